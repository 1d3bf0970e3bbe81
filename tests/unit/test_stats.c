/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdbool.h>
#include <string.h>

#include <criterion/criterion.h>

#include "ifp_stats.h"

Test(stats, every_drop_reason_has_a_unique_name)
{
	for (int i = 0; i < IFP_DROP_MAX; i++) {
		cr_assert_not_null(ifp_drop_name(i));
		cr_assert_neq(strcmp(ifp_drop_name(i), "unknown"), 0);
		for (int j = 0; j < i; j++)
			cr_assert_neq(strcmp(ifp_drop_name(i), ifp_drop_name(j)), 0,
				      "%s twice", ifp_drop_name(i));
	}
	cr_assert_str_eq(ifp_drop_name(IFP_DROP_MAX), "unknown");
}

Test(stats, every_answer_kind_has_a_unique_name)
{
	for (int i = 0; i < IFP_ANS_MAX; i++)
		for (int j = 0; j < i; j++)
			cr_assert_neq(strcmp(ifp_answer_name(i), ifp_answer_name(j)), 0);
}

Test(stats, every_answer_kind_falls_in_the_console_column_it_belongs_to)
{
	cr_assert_eq(ifp_answer_class(IFP_ANS_ECHO), IFP_ANS_CLASS_REPLY);
	cr_assert_eq(ifp_answer_class(IFP_ANS_EXT_ECHO), IFP_ANS_CLASS_REPLY);
	cr_assert_eq(ifp_answer_class(IFP_ANS_ARP), IFP_ANS_CLASS_NEIGHBOR);
	cr_assert_eq(ifp_answer_class(IFP_ANS_TIME_EXCEEDED), IFP_ANS_CLASS_ERROR);
	/* the name says it: errors are never "_reply", replies always are */
	for (int i = 0; i < IFP_ANS_MAX; i++) {
		bool reply = strstr(ifp_answer_name(i), "_reply") != NULL;

		if (ifp_answer_class(i) == IFP_ANS_CLASS_ERROR)
			cr_assert_not(reply, "%s", ifp_answer_name(i));
		if (ifp_answer_class(i) == IFP_ANS_CLASS_REPLY)
			cr_assert(reply, "%s", ifp_answer_name(i));
	}
}

Test(stats, fold_adds_every_counter)
{
	struct ifp_stats a = {.rx = 1, .answered = 2}, b = {.rx = 10, .tx = 3};

	a.dropped[IFP_DROP_TCP] = 4;
	b.dropped[IFP_DROP_TCP] = 5;
	b.dropped[IFP_DROP_TX_FULL] = 6;
	b.answers[IFP_ANS_ECHO] = 7;
	ifp_stats_fold(&a, &b);
	cr_assert_eq(a.rx, 11);
	cr_assert_eq(a.tx, 3);
	cr_assert_eq(a.answered, 2);
	cr_assert_eq(a.dropped[IFP_DROP_TCP], 9);
	cr_assert_eq(a.answers[IFP_ANS_ECHO], 7);
	cr_assert_eq(ifp_stats_dropped_total(&a), 15);
}

Test(stats, burst_sizes_fall_in_power_of_two_buckets)
{
	static const struct {
		unsigned int n, bucket;
	} cases[] = {
		{1, 0}, {2, 1}, {3, 1}, {4, 2}, {7, 2}, {8, 3}, {15, 3},
		{16, 4}, {31, 4}, {32, 5}, {63, 5}, {64, 6}, {200, 6},
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(ifp_burst_bucket(cases[i].n), cases[i].bucket,
			     "burst of %u", cases[i].n);
	cr_assert_eq(IFP_BURST_HIST, 7);
}

Test(stats, fold_adds_cycles_and_burst_histogram)
{
	struct ifp_stats a = {.idle_cycles = 5}, b = {.idle_cycles = 7};

	a.burst_hist[0] = 1;
	b.burst_hist[0] = 2;
	b.burst_hist[IFP_BURST_HIST - 1] = 3;
	ifp_stats_fold(&a, &b);
	cr_assert_eq(a.idle_cycles, 12);
	cr_assert_eq(a.burst_hist[0], 3);
	cr_assert_eq(a.burst_hist[IFP_BURST_HIST - 1], 3);
}

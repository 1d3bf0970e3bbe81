/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "ifp_trace.h"
#include "trace_frames.h"

static struct ifp_trace_buf *
buf_new(void)
{
	struct ifp_trace_buf *tb = malloc(sizeof(*tb));

	cr_assert_not_null(tb);
	ifp_trace_init(tb, 3);
	return tb;
}

/* One traced burst of one frame, ended by @p end. */
static void
trace_one(struct ifp_trace_buf *tb, const uint8_t *f, uint32_t len,
	  void (*end)(struct ifp_trace_rec *))
{
	struct ifp_trace_rec *r;

	cr_assert(ifp_trace_on(tb));
	ifp_trace_burst_begin(tb);
	r = ifp_trace_frame(tb, f, len, len, 1, 0, 0, 0);
	if (r != NULL)
		end(r);
	ifp_trace_burst_end(tb);
}

static struct ifp_trace_rec got;

static void
get_last(const struct ifp_trace_buf *tb)
{
	uint64_t first, last;

	ifp_trace_ids(tb, &first, &last);
	cr_assert_leq(first, last, "no record");
	cr_assert_eq(ifp_trace_get(tb, last, &got), 0);
}

/* A fresh buffer armed for one frame of trace_echo4, ended by @p end, into got. */
static void
record_one(void (*end)(struct ifp_trace_rec *))
{
	struct ifp_trace_buf *tb = buf_new();

	ifp_trace_arm(tb, 1, NULL);
	trace_one(tb, trace_echo4, sizeof(trace_echo4), end);
	get_last(tb);
	free(tb);
}

static void
end_echo(struct ifp_trace_rec *r)
{
	IFP_TRACE_STEP(r, "l2: ours, vlan %d", 7);
	IFP_TRACE_STEP(r, "ipv4: ok");
	IFP_TRACE_STEP(r, "icmp: echo request");
	ifp_trace_answered(r, IFP_ANS_ECHO);
}

Test(trace, an_answered_frame_keeps_its_steps_in_order_and_its_answer_kind)
{
	record_one(end_echo);
	cr_assert_eq(got.n_steps, 3);
	cr_assert_str_eq(ifp_trace_step_text(&got, 0), "l2: ours, vlan 7");
	cr_assert_str_eq(ifp_trace_step_text(&got, 1), "ipv4: ok");
	cr_assert_str_eq(ifp_trace_step_text(&got, 2), "icmp: echo request");
	cr_assert_str_eq(ifp_trace_outcome_name(got.outcome), "answered");
	cr_assert_str_eq(ifp_trace_result_name(&got), "echo_reply");
	cr_assert_eq(got.lcore, 3);
}

static void
end_limited(struct ifp_trace_rec *r)
{
	IFP_TRACE_STEP(r, "ipv4: ok");
	ifp_trace_route(r, "icmpfp.ini:12", "198.51.100.0/24", "unreachable host");
	ifp_trace_ratelimited(r, IFP_ANS_UNREACH_ROUTE, "per-source");
}

Test(trace, a_ratelimited_frame_names_the_route_line_the_limiter_and_the_kind)
{
	record_one(end_limited);
	cr_assert_eq(got.n_steps, 3);
	cr_assert_str_eq(ifp_trace_step_text(&got, 1),
			 "route: 198.51.100.0/24 (icmpfp.ini:12) unreachable host");
	cr_assert_str_eq(ifp_trace_step_text(&got, 2), "ratelimit: per-source");
	cr_assert_str_eq(got.route, "icmpfp.ini:12");
	cr_assert_str_eq(ifp_trace_outcome_name(got.outcome), "ratelimited");
	cr_assert_str_eq(ifp_trace_result_name(&got), "unreachable_route");
}

static void
end_dropped(struct ifp_trace_rec *r)
{
	IFP_TRACE_STEP(r, "ipv4: ok");
	ifp_trace_policy(r, "policy.ini:4", "deny");
	ifp_trace_dropped(r, IFP_DROP_ICMP_CHECKSUM);
}

Test(trace, a_dropped_frame_names_its_reason_as_the_counter_does)
{
	record_one(end_dropped);
	cr_assert_str_eq(ifp_trace_step_text(&got, 1), "policy: policy.ini:4 deny");
	cr_assert_str_eq(got.policy, "policy.ini:4");
	cr_assert_str_eq(ifp_trace_outcome_name(got.outcome), "dropped");
	cr_assert_str_eq(ifp_trace_result_name(&got),
			 ifp_drop_name(IFP_DROP_ICMP_CHECKSUM));
}

static void
end_held(struct ifp_trace_rec *r)
{
	ifp_trace_dropped(r, IFP_DROP_IP_FRAG_REASM);
}

Test(trace, a_fragment_held_for_reassembly_says_so_in_its_counters_words)
{
	record_one(end_held);
	cr_assert_str_eq(ifp_trace_step_text(&got, 0), "fragment: held for reassembly");
	cr_assert_str_eq(ifp_trace_result_name(&got), "ip_frag_reasm");
}

static void
end_none(struct ifp_trace_rec *r)
{
	(void)r;
}

Test(trace, a_frame_whose_end_was_never_recorded_says_open)
{
	record_one(end_none);
	cr_assert_str_eq(ifp_trace_outcome_name(got.outcome), "open");
}

static void
end_many(struct ifp_trace_rec *r)
{
	for (int i = 0; i < IFP_TRACE_STEPS + 5; i++)
		ifp_trace_step(r, "step %d", i);
	ifp_trace_answered(r, IFP_ANS_ECHO);
}

Test(trace, steps_past_the_bound_are_counted_not_written)
{
	record_one(end_many);
	cr_assert_eq(got.n_steps, IFP_TRACE_STEPS);
	cr_assert_eq(got.steps_lost, 5);
	cr_assert_str_eq(ifp_trace_step_text(&got, IFP_TRACE_STEPS - 1), "step 15");
}

Test(trace, disarmed_the_burst_test_is_false_and_nothing_is_kept)
{
	struct ifp_trace_buf *tb = buf_new();
	uint64_t first, last;

	cr_assert_not(ifp_trace_on(tb));
	cr_assert_eq(ifp_trace_left(tb), 0);
	ifp_trace_ids(tb, &first, &last);
	cr_assert_gt(first, last);
	free(tb);
}

/* The ids the buffer offers are [first, last]. */
static void
assert_ids(const struct ifp_trace_buf *tb, uint64_t first, uint64_t last)
{
	uint64_t f, l;

	ifp_trace_ids(tb, &f, &l);
	cr_assert_eq(f, first, "first %lu", (unsigned long)f);
	cr_assert_eq(l, last, "last %lu", (unsigned long)l);
}

/* A burst of @p n copies of @p f, each answered; returns frames traced. */
static unsigned int
burst(struct ifp_trace_buf *tb, const uint8_t *f, uint32_t len, unsigned int n,
      uint16_t port, bool drop)
{
	unsigned int traced = 0;

	if (!ifp_trace_on(tb))
		return 0;
	ifp_trace_burst_begin(tb);
	for (unsigned int i = 0; i < n; i++) {
		struct ifp_trace_rec *r =
			ifp_trace_frame(tb, f, len, len, i + 1, port, 0, 0);

		if (r == NULL)
			continue;
		traced++;
		if (drop && i % 2)
			ifp_trace_dropped(r, IFP_DROP_TCP);
		else
			ifp_trace_answered(r, IFP_ANS_ECHO);
	}
	ifp_trace_burst_end(tb);
	return traced;
}

Test(trace, arming_takes_the_next_n_frames_then_disarms_itself)
{
	struct ifp_trace_buf *tb = buf_new();

	ifp_trace_arm(tb, 5, NULL);
	cr_assert_eq(ifp_trace_left(tb), 5);
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 3, 0, false), 3);
	cr_assert_eq(ifp_trace_left(tb), 2);
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 10, 0, false), 2);
	cr_assert_not(ifp_trace_on(tb));
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 10, 0, false), 0);
	assert_ids(tb, 1, 5);
	free(tb);
}

Test(trace, arming_zero_disarms_at_once)
{
	struct ifp_trace_buf *tb = buf_new();

	ifp_trace_arm(tb, 100, NULL);
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 4, 0, false), 4);
	ifp_trace_arm(tb, 0, NULL);
	cr_assert_not(ifp_trace_on(tb));
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 4, 0, false), 0);
	free(tb);
}

Test(trace, the_buffer_keeps_the_newest_records_and_no_more)
{
	struct ifp_trace_buf *tb = buf_new();
	struct ifp_trace_rec r;
	uint64_t first, last;

	ifp_trace_arm(tb, 1000, NULL);
	for (int i = 0; i < 10; i++)
		burst(tb, trace_echo4, sizeof(trace_echo4), 64, 0, false);
	ifp_trace_ids(tb, &first, &last);
	cr_assert_eq(last, 640);
	cr_assert_eq(last - first + 1, IFP_TRACE_KEEP - IFP_TRACE_OPEN_MAX);
	cr_assert_eq(ifp_trace_get(tb, last, &r), 0);
	cr_assert_eq(r.id, last);
	cr_assert_eq(ifp_trace_get(tb, first, &r), 0);
	cr_assert_eq(ifp_trace_get(tb, first - 1, &r), -ENOENT);
	cr_assert_eq(ifp_trace_get(tb, last + 1, &r), -ENOENT);
	/* one burst opens no more than the slots that are not the last's */
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 100, 0, false),
		     IFP_TRACE_OPEN_MAX);
	free(tb);
}

Test(trace, clear_forgets_the_kept_records_and_keeps_the_arming)
{
	struct ifp_trace_buf *tb = buf_new();
	uint64_t first, last;

	ifp_trace_arm(tb, 10, NULL);
	burst(tb, trace_echo4, sizeof(trace_echo4), 4, 0, false);
	ifp_trace_clear(tb);
	ifp_trace_ids(tb, &first, &last);
	cr_assert_gt(first, last);
	cr_assert_eq(ifp_trace_left(tb), 6);
	burst(tb, trace_echo4, sizeof(trace_echo4), 1, 0, false);
	assert_ids(tb, 5, 5);
	free(tb);
}

Test(trace, the_dropped_filter_keeps_dropped_frames_only_and_counts_them)
{
	struct ifp_trace_buf *tb = buf_new();
	struct ifp_trace_filter f;
	uint64_t first, last;
	char err[128];

	cr_assert_eq(ifp_trace_filter_parse("dropped", &f, err, sizeof(err)), 0);
	ifp_trace_arm(tb, 3, &f);
	burst(tb, trace_echo4, sizeof(trace_echo4), 4, 0, true);
	ifp_trace_ids(tb, &first, &last);
	cr_assert_eq(last, 2);
	for (uint64_t id = first; id <= last; id++) {
		cr_assert_eq(ifp_trace_get(tb, id, &got), 0);
		cr_assert_str_eq(ifp_trace_result_name(&got), "tcp");
		cr_assert_eq(got.frame % 2, 0, "frame %lu", (unsigned long)got.frame);
	}
	cr_assert_eq(ifp_trace_left(tb), 1);
	free(tb);
}

Test(trace, the_src_and_port_filters_take_matching_frames_of_either_family)
{
	struct ifp_trace_buf *tb = buf_new();
	struct ifp_trace_filter f;
	char err[128];

	cr_assert_eq(ifp_trace_filter_parse("src=192.0.2.0/30,port=1", &f, err,
					    sizeof(err)), 0);
	ifp_trace_arm(tb, 100, &f);
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 2, 0, false), 0);
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 2, 1, false), 2);
	cr_assert_eq(burst(tb, trace_arp_req, sizeof(trace_arp_req), 1, 1, false), 1);
	cr_assert_eq(burst(tb, trace_echo6, sizeof(trace_echo6), 1, 1, false), 0);

	cr_assert_eq(ifp_trace_filter_parse("src=192.0.2.4/30", &f, err,
					    sizeof(err)), 0);
	ifp_trace_arm(tb, 100, &f);
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 2, 0, false), 0);

	cr_assert_eq(ifp_trace_filter_parse("src=2001:db8:1::/48 dropped", &f,
					    err, sizeof(err)), 0);
	cr_assert(f.dropped_only);
	ifp_trace_arm(tb, 100, &f);
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 1, 0, false), 0);
	cr_assert_eq(burst(tb, trace_echo6, sizeof(trace_echo6), 1, 0, false), 1);
	free(tb);
}

Test(trace, a_bad_filter_is_refused_with_the_term_it_did_not_take)
{
	struct ifp_trace_filter f;
	char err[128];

	cr_assert_eq(ifp_trace_filter_parse("", &f, err, sizeof(err)), 0);
	cr_assert_not(f.by_src || f.by_port || f.dropped_only);
	cr_assert_eq(ifp_trace_filter_parse("src=192.0.2.0/33", &f, err, sizeof(err)), -1);
	cr_assert(strstr(err, "src=192.0.2.0/33") != NULL, "%s", err);
	cr_assert_eq(ifp_trace_filter_parse("port=x", &f, err, sizeof(err)), -1);
	cr_assert_eq(ifp_trace_filter_parse("port=70000", &f, err, sizeof(err)), -1);
	cr_assert_eq(ifp_trace_filter_parse("dst=1.2.3.4", &f, err, sizeof(err)), -1);
	cr_assert(strstr(err, "src=PREFIX") != NULL, "%s", err);
}

static const char *
summary(const uint8_t *f, uint32_t avail, uint32_t len)
{
	static char buf[IFP_TRACE_LINE];

	ifp_trace_summary(f, avail, len, buf, sizeof(buf));
	return buf;
}

Test(trace, the_summary_of_an_ipv4_echo_gives_addresses_type_id_seq_length)
{
	cr_assert_str_eq(summary(trace_echo4, sizeof(trace_echo4), sizeof(trace_echo4)),
			 "ipv4 192.0.2.2 > 192.0.2.1 ttl 64 icmp 8/0 echo request "
			 "id 4660 seq 7 len 42");
}

Test(trace, the_summary_of_an_ipv6_echo_and_an_arp_request)
{
	cr_assert_str_eq(summary(trace_echo6, sizeof(trace_echo6), sizeof(trace_echo6)),
			 "ipv6 2001:db8:1::2 > 2001:db8:1::1 hlim 64 icmp6 128/0 "
			 "echo request id 1 seq 2 len 62");
	cr_assert_str_eq(summary(trace_arp_req, sizeof(trace_arp_req), 60),
			 "arp who-has 192.0.2.1 tell 192.0.2.2 len 60");
}

Test(trace, the_summary_of_truncated_and_garbage_frames_says_what_is_there)
{
	uint8_t junk[60];

	cr_assert_str_eq(summary(trace_echo4, 10, 10), "runt len 10");
	cr_assert_str_eq(summary(trace_echo4, 26, 26), "ipv4 truncated (12 of 20 bytes) len 26");
	cr_assert_str_eq(summary(trace_echo6, 40, 40), "ipv6 truncated (26 of 40 bytes) len 40");
	cr_assert_str_eq(summary(trace_echo4, 36, 36),
			 "ipv4 192.0.2.2 > 192.0.2.1 ttl 64 icmp truncated len 36");
	memset(junk, 0xa5, sizeof(junk));
	cr_assert_str_eq(summary(junk, sizeof(junk), sizeof(junk)),
			 "ethertype 0xa5a5 len 60");
	/* any bytes, any length: no read past avail, always a string */
	for (uint32_t n = 0; n <= sizeof(trace_echo6); n++)
		cr_assert_leq(strlen(summary(trace_echo6, n, n)), IFP_TRACE_LINE - 1);
}

Test(trace, the_summary_of_a_tagged_frame_names_the_vlan)
{
	uint8_t f[sizeof(trace_echo4) + 4];

	memcpy(f, trace_echo4, 12);
	memcpy(f + 12, "\x81\x00\x00\x07", 4);
	memcpy(f + 16, trace_echo4 + 12, sizeof(trace_echo4) - 12);
	cr_assert_str_eq(summary(f, sizeof(f), sizeof(f)),
			 "vlan 7 ipv4 192.0.2.2 > 192.0.2.1 ttl 64 icmp 8/0 echo "
			 "request id 4660 seq 7 len 46");
}

Test(trace, the_json_of_a_record_is_the_object_docs_trace_md_describes)
{
	struct ifp_trace_buf *tb = buf_new();
	struct ifp_trace_rec *r;
	char buf[2048];
	size_t n;

	ifp_trace_arm(tb, 1, NULL);
	ifp_trace_burst_begin(tb);
	r = ifp_trace_frame(tb, trace_echo4, sizeof(trace_echo4), sizeof(trace_echo4), 12, 1, 2,
			    1700000000123456789ull);
	ifp_trace_step(r, "icmp: \"quoted\"");
	ifp_trace_route(r, "icmpfp.ini:12", "198.51.100.0/24", "unreachable host");
	ifp_trace_answered(r, IFP_ANS_UNREACH_ROUTE);
	ifp_trace_burst_end(tb);
	get_last(tb);
	n = ifp_trace_json(&got, false, buf, sizeof(buf));
	cr_assert_eq(n, strlen(buf));
	cr_assert_str_eq(buf,
		"{\"frame\": 12, \"time\": 1700000000.123456, \"summary\": "
		"\"ipv4 192.0.2.2 > 192.0.2.1 ttl 64 icmp 8/0 echo request id 4660 "
		"seq 7 len 42\", \"steps\": [\"icmp: \\\"quoted\\\"\", \"route: "
		"198.51.100.0/24 (icmpfp.ini:12) unreachable host\"], \"outcome\": "
		"\"answered\", \"answer\": \"unreachable_route\", \"route\": "
		"\"icmpfp.ini:12\"}");
	ifp_trace_json(&got, true, buf, sizeof(buf));
	cr_assert(strstr(buf, ", \"lcore\": 3, \"port\": 1, \"queue\": 2, "
			      "\"wall_time\": \"2023-11-14T22:13:20.123456Z\"}") != NULL,
		  "%s", buf);
	/* cut short: says so */
	cr_assert_eq(ifp_trace_json(&got, false, buf, 40), 40);
	free(tb);
}

Test(trace, the_summary_of_ipv6_walks_the_extension_headers)
{
	/* IPv6(nh=0) / IPv6ExtHdrHopByHop(PadN) / IPv6ExtHdrFragment(m=1) /
	 * UDP(sport=546, dport=547) */
	uint8_t f[14 + 40 + 8 + 8 + 8];

	memcpy(f, trace_echo6, 14 + 40);
	f[14 + 5] = 24;
	f[14 + 6] = 0;
	memcpy(f + 54, "\x2c\x00\x01\x04\x00\x00\x00\x00", 8);
	memcpy(f + 62, "\x11\x00\x00\x01\x00\x00\x00\x2a", 8);
	memcpy(f + 70, "\x02\x22\x02\x23\x00\x08\x00\x00", 8);
	cr_assert_str_eq(summary(f, sizeof(f), sizeof(f)),
			 "ipv6 2001:db8:1::2 > 2001:db8:1::1 hlim 64 hop-by-hop "
			 "fragment off 0 M udp 546 > 547 len 78");
	/* a later fragment: no upper-layer header to read */
	f[62 + 2] = 0x05;
	f[62 + 3] = 0xa8;
	cr_assert_str_eq(summary(f, sizeof(f), sizeof(f)),
			 "ipv6 2001:db8:1::2 > 2001:db8:1::1 hlim 64 hop-by-hop "
			 "fragment off 1448 proto 17 len 78");
	/* cut inside the extension headers */
	cr_assert_str_eq(summary(f, 60, 60),
			 "ipv6 2001:db8:1::2 > 2001:db8:1::1 hlim 64 hop-by-hop "
			 "truncated len 60");
}

Test(trace, the_summary_of_random_bytes_reads_only_what_it_was_given)
{
	static const uint16_t types[] = {0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8};
	unsigned int seed = 22;

	for (int i = 0; i < 20000; i++) {
		uint32_t n = (uint32_t)rand_r(&seed) % 140;
		/* exactly n bytes on the heap: valgrind and ASan see a read past */
		uint8_t *f = malloc(n ? n : 1);
		char buf[IFP_TRACE_LINE];

		for (uint32_t k = 0; k < n; k++)
			f[k] = (uint8_t)rand_r(&seed);
		if (n >= 14) {
			uint16_t t = types[rand_r(&seed) % 5];

			f[12] = (uint8_t)(t >> 8);
			f[13] = (uint8_t)t;
			if (n >= 18 && (t == 0x8100 || t == 0x88a8)) {
				t = types[rand_r(&seed) % 3];
				f[16] = (uint8_t)(t >> 8);
				f[17] = (uint8_t)t;
			}
		}
		cr_assert_lt(ifp_trace_summary(f, n, n, buf, sizeof(buf)), sizeof(buf));
		cr_assert_eq(strlen(buf), ifp_trace_summary(f, n, n, buf, sizeof(buf)));
		free(f);
	}
}

Test(trace, a_record_keeps_the_head_of_a_long_frame_and_its_whole_length)
{
	struct ifp_trace_buf *tb = buf_new();
	struct ifp_trace_rec *r;
	uint8_t f[1500] = {0};
	char buf[IFP_TRACE_LINE];

	memcpy(f, trace_echo4, sizeof(trace_echo4));
	ifp_trace_arm(tb, 1, NULL);
	ifp_trace_burst_begin(tb);
	r = ifp_trace_frame(tb, f, sizeof(f), sizeof(f), 1, 0, 0, 0);
	ifp_trace_answered(r, IFP_ANS_ECHO);
	ifp_trace_burst_end(tb);
	get_last(tb);
	cr_assert_eq(got.head_len, IFP_TRACE_HEAD);
	cr_assert_eq(got.len, 1500);
	ifp_trace_rec_summary(&got, buf, sizeof(buf));
	cr_assert_str_eq(buf, "ipv4 192.0.2.2 > 192.0.2.1 ttl 64 icmp 8/0 echo request "
			      "id 4660 seq 7 len 1500");
	free(tb);
}

Test(trace, arming_for_ever_traces_every_frame_as_replay_will)
{
	struct ifp_trace_buf *tb = buf_new();

	ifp_trace_arm(tb, 3, NULL);
	cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 3, 0, false), 3);
	ifp_trace_arm(tb, UINT64_MAX, NULL);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(burst(tb, trace_echo4, sizeof(trace_echo4), 64, 0, false), 64);
	cr_assert(ifp_trace_on(tb));
	assert_ids(tb, 3 + 5 * 64 - (IFP_TRACE_KEEP - IFP_TRACE_OPEN_MAX) + 1, 3 + 5 * 64);
	free(tb);
}

static void
end_limited_by_step(struct ifp_trace_rec *r)
{
	IFP_TRACE_STEP(r, "ratelimit: errors");
	ifp_trace_ratelimited(r, IFP_ANS_TIME_EXCEEDED, NULL);
}

Test(trace, a_limiter_that_recorded_its_own_step_is_not_named_twice)
{
	record_one(end_limited_by_step);
	cr_assert_eq(got.n_steps, 1);
	cr_assert_str_eq(ifp_trace_step_text(&got, 0), "ratelimit: errors");
	cr_assert_str_eq(ifp_trace_result_name(&got), "time_exceeded");
}

static char long_name[300];

static void
end_cat(struct ifp_trace_rec *r)
{
	memset(long_name, 'x', sizeof(long_name) - 1);
	ifp_trace_step_cat(r, "l2: ", "ours");
	ifp_trace_icmp(r, false, 8, 0);
	ifp_trace_icmp(r, true, 135, 0);
	ifp_trace_icmp(r, true, 200, 3);
	ifp_trace_step_cat(r, "long: ", long_name);
	for (int i = 0; i < IFP_TRACE_STEPS; i++)
		ifp_trace_step_cat(r, "more: ", "x");
	ifp_trace_dropped(r, IFP_DROP_TCP);
}

Test(trace, joined_steps_are_named_cut_at_a_line_and_bounded)
{
	record_one(end_cat);
	cr_assert_str_eq(ifp_trace_step_text(&got, 0), "l2: ours");
	cr_assert_str_eq(ifp_trace_step_text(&got, 1), "icmp: echo request");
	cr_assert_str_eq(ifp_trace_step_text(&got, 2), "nd: neighbor solicitation");
	cr_assert_str_eq(ifp_trace_step_text(&got, 3), "icmp6: type 200 code 3");
	/* a step is one telemetry string: IFP_TRACE_LINE - 1 bytes at most */
	cr_assert_eq(strlen(ifp_trace_step_text(&got, 4)), IFP_TRACE_LINE - 1);
	cr_assert_eq(strncmp(ifp_trace_step_text(&got, 4), "long: xx", 8), 0);
	cr_assert_eq(got.n_steps, IFP_TRACE_STEPS);
	cr_assert_eq(got.steps_lost, 5);
	cr_assert_str_eq(ifp_trace_result_name(&got), "tcp");
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rate limiter on its own clock: bursts, refill, the share of each
 * lcore, per-source isolation, recycling of the per-source table, Frag
 * Needed never starved, echo unlimited at 0; then the echo limit through
 * the fast path.
 */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <rte_jhash.h>

#include "fixtures.h"
#include "ifp_proc.h"
#include "ifp_ratelimit.h"
#include "ifp_test.h"

#define MS 1000000ull
#define SEC 1000000000ull
/* a wall clock in 2026, so nothing works only near 0 */
#define T0 (1795000000ull * SEC)

static struct ifp_rl rl;
static struct ifp_ratelimit_conf c;

static void
setup(void)
{
	struct ifp_conf conf;

	ifp_conf_defaults(&conf);
	c = conf.ratelimit;
	cr_assert_eq(ifp_rl_init(&rl, 1), 0);
	ifp_rl_seed_set(&rl, 0);
}

TestSuite(ratelimit, .init = setup);

/* the per-source key of an IPv4 source in host order */
static uint64_t
ip(uint32_t host_order)
{
	return ifp_rl_key_ipv4(rte_cpu_to_be_32(host_order));
}

/* How many of @p n answers of kind @p k to @p src at @p now are allowed. */
static unsigned int
allow_n(enum ifp_rl_kind k, uint64_t src, uint64_t now, unsigned int n)
{
	unsigned int ok = 0;

	for (unsigned int i = 0; i < n; i++)
		ok += ifp_rl_allow(&rl, &c, k, src, now);
	return ok;
}

Test(ratelimit, defaults_are_linux_like_and_keep_a_traceroute_hop_whole)
{
	cr_assert_eq(c.errors_per_sec, 1000);
	cr_assert_eq(c.errors_burst, 50);
	cr_assert_eq(c.per_source_per_sec, 100);
	cr_assert_geq(c.per_source_burst, 3);
	cr_assert_eq(c.echo_per_sec, 0);
	/* the three probes of one hop arrive together */
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(0xc6336401), T0, 3), 3);
}

Test(ratelimit, init_refuses_zero_lcores)
{
	cr_assert_eq(ifp_rl_init(&rl, 0), -EINVAL);
}

Test(ratelimit, global_bucket_gives_its_burst_then_limits)
{
	c.per_source_per_sec = 0; /* per-source off: the global bucket alone */
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(0x0a000001), T0, 1000),
		     c.errors_burst);
}

Test(ratelimit, global_bucket_refills_at_its_rate_and_no_further_than_its_burst)
{
	c.per_source_per_sec = 0;
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(0x0a000001), T0, 100), 50);
	/* 1000/s: one token per millisecond */
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(0x0a000001), T0 + MS - 1, 10), 0);
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(0x0a000001), T0 + MS, 10), 1);
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(0x0a000001), T0 + 10 * MS, 100),
		     9);
	/* a quiet hour fills the bucket to its burst, not to an hour's worth */
	cr_assert_eq(
	    allow_n(IFP_RL_ERROR, ip(0x0a000001), T0 + 3600 * SEC, 10000), 50);
}

Test(ratelimit, one_second_of_flood_gets_at_most_rate_plus_burst)
{
	unsigned int ok = 0;

	c.per_source_per_sec = 0;
	/* 10,000 errors spread over one second */
	for (unsigned int i = 0; i < 10000; i++)
		ok += ifp_rl_allow(&rl, &c, IFP_RL_ERROR, ip(0x0a000000 + i),
				   T0 + i * (SEC / 10000));
	cr_assert_leq(ok, c.errors_per_sec + c.errors_burst);
	cr_assert_geq(ok, c.errors_per_sec);
}

Test(ratelimit, one_second_of_flood_from_one_source_gets_its_rate_plus_burst)
{
	unsigned int ok = 0;

	/* the case: 10,000 TTL-1 probes from one source in 1 s */
	for (unsigned int i = 0; i < 10000; i++)
		ok += ifp_rl_allow(&rl, &c, IFP_RL_ERROR, ip(0xc6336401),
				   T0 + i * (SEC / 10000));
	cr_assert_leq(ok, c.per_source_per_sec + c.per_source_burst);
	cr_assert_geq(ok, c.per_source_per_sec);
}

/* A full bucket at any clock gives one answer, then another a period on. */
static void
extreme_case(unsigned int lcores, uint32_t rate, uint32_t burst, uint64_t now)
{
	uint64_t period = (SEC * lcores + rate - 1) / rate;

	cr_assert_eq(ifp_rl_init(&rl, lcores), 0);
	c.errors_per_sec = rate;
	c.errors_burst = burst;
	c.per_source_per_sec = rate;
	c.per_source_burst = RTE_MAX(burst, 3u);
	cr_assert(ifp_rl_allow(&rl, &c, IFP_RL_ERROR, ip(1), now),
		  "rate %u burst %u lcores %u now %lu", rate, burst, lcores,
		  (unsigned long)now);
	if (now > UINT64_MAX - 2 * period - c.per_source_burst * SEC)
		return;
	/* past the burst: one more per period, not locked */
	allow_n(IFP_RL_ERROR, ip(1), now, RTE_MIN(burst, 1000u) + 5);
	cr_assert(ifp_rl_allow(&rl, &c, IFP_RL_ERROR, ip(1),
			       now + c.per_source_burst * SEC + period),
		  "rate %u burst %u lcores %u now %lu: locked", rate, burst,
		  lcores, (unsigned long)now);
}

Test(ratelimit, extreme_rates_and_bursts_neither_overflow_nor_lock)
{
	static const uint32_t v[] = {1, 3, 1000, 100000000};
	static const uint64_t now[] = {0, 1, T0, UINT64_MAX / 2,
				       UINT64_MAX - 1};

	for (unsigned int lcores = 1; lcores <= 128; lcores *= 128)
		for (unsigned int a = 0; a < RTE_DIM(v); a++)
			for (unsigned int b = 0; b < RTE_DIM(v); b++)
				for (unsigned int t = 0; t < RTE_DIM(now); t++)
					extreme_case(lcores, v[a], v[b],
						     now[t]);
}

Test(ratelimit, lcores_share_the_global_rate_not_the_burst)
{
	cr_assert_eq(ifp_rl_init(&rl, 4), 0);
	c.per_source_per_sec = 0;
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0, 100), 50);
	/* 1000/s over 4 lcores: 250/s here, one token per 4 ms */
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0 + 4 * MS - 1, 10), 0);
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0 + 4 * MS, 10), 1);
}

Test(ratelimit, a_rate_below_one_per_lcore_still_refills)
{
	cr_assert_eq(ifp_rl_init(&rl, 4), 0);
	c.per_source_per_sec = 0;
	c.errors_per_sec = 2;
	c.errors_burst = 1;
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0, 5), 1);
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0 + 2 * SEC - 1, 5), 0);
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0 + 2 * SEC, 5), 1);
}

Test(ratelimit, per_source_bucket_limits_one_source_only)
{
	uint64_t a = ip(0xc6336401), b = ip(0xc6336402);

	cr_assert_eq(allow_n(IFP_RL_ERROR, a, T0, 100), c.per_source_burst);
	cr_assert_eq(allow_n(IFP_RL_ERROR, b, T0, 100), c.per_source_burst);
	/* 100/s: a token per 10 ms, for each source on its own */
	cr_assert_eq(allow_n(IFP_RL_ERROR, a, T0 + 10 * MS, 100), 1);
	cr_assert_eq(allow_n(IFP_RL_ERROR, b, T0 + 10 * MS, 100), 1);
}

Test(ratelimit, a_limited_source_takes_nothing_from_the_global_bucket)
{
	uint64_t a = ip(0xc6336401);

	c.errors_burst = 10;
	cr_assert_eq(allow_n(IFP_RL_ERROR, a, T0, 1000), 5);
	/* 995 refusals later, the other sources still have 10 - 5 */
	for (uint32_t i = 0; i < 5; i++)
		cr_assert(ifp_rl_allow(&rl, &c, IFP_RL_ERROR,
				       ip(0x0a000000 + i), T0));
	cr_assert_not(ifp_rl_allow(&rl, &c, IFP_RL_ERROR, ip(0x0b000000), T0));
}

Test(ratelimit, many_sources_share_the_global_bucket)
{
	unsigned int ok = 0;

	for (uint32_t i = 0; i < 10000; i++)
		ok +=
		    ifp_rl_allow(&rl, &c, IFP_RL_ERROR, ip(0x0a000000 + i), T0);
	cr_assert_eq(ok, c.errors_burst);
}

Test(ratelimit, frag_needed_is_not_starved_by_other_errors_of_its_source)
{
	uint64_t a = ip(0xcb007101);

	cr_assert_eq(allow_n(IFP_RL_ERROR, a, T0, 100), c.per_source_burst);
	/* the source's error bucket is empty; PMTU discovery goes on */
	cr_assert_eq(allow_n(IFP_RL_PMTU, a, T0, 100),
		     c.per_source_burst);
	/* and Frag Needed has a bucket, not a free pass */
	cr_assert_eq(allow_n(IFP_RL_PMTU, a, T0 + 10 * MS, 100), 1);
	cr_assert_eq(allow_n(IFP_RL_ERROR, a, T0 + 10 * MS, 100), 1);
}

Test(ratelimit, frag_needed_stays_under_the_global_bucket)
{
	c.per_source_per_sec = 0;
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0, 100), c.errors_burst);
	cr_assert_not(ifp_rl_allow(&rl, &c, IFP_RL_PMTU, ip(2), T0));
}

Test(ratelimit, echo_is_unlimited_at_zero)
{
	cr_assert_eq(allow_n(IFP_RL_ECHO, ip(1), T0, 1000000), 1000000);
	/* and echo takes nothing from the error buckets */
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0, 3), 3);
}

Test(ratelimit, echo_limit_has_a_tenth_of_a_second_of_burst)
{
	c.echo_per_sec = 1000;
	cr_assert_eq(allow_n(IFP_RL_ECHO, ip(1), T0, 1000), 100);
	cr_assert_eq(allow_n(IFP_RL_ECHO, ip(2), T0 + MS, 1000), 1);
	cr_assert_eq(allow_n(IFP_RL_ECHO, ip(3), T0 + SEC, 1000), 100);
	/* echo limits leave errors alone */
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0 + SEC, 3), 3);
}

Test(ratelimit, error_limits_leave_echo_alone)
{
	c.echo_per_sec = 10;
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0, 1000),
		     c.per_source_burst);
	cr_assert_eq(allow_n(IFP_RL_ECHO, ip(1), T0, 1000), 1);
}

Test(ratelimit, zero_rates_mean_unlimited)
{
	c.errors_per_sec = 0;
	c.per_source_per_sec = 0;
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0, 100000), 100000);
	cr_assert_eq(allow_n(IFP_RL_PMTU, ip(1), T0, 100000), 100000);
}

Test(ratelimit, a_new_rate_in_the_conf_applies_at_once)
{
	c.per_source_per_sec = 0;
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0, 100), 50);
	/* a reload: one token per 100 ms, no burst */
	c.errors_per_sec = 10;
	c.errors_burst = 1;
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0 + 50 * MS, 100), 1);
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0 + 150 * MS - 1, 100), 0);
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0 + 150 * MS, 100), 1);
}

Test(ratelimit, a_clock_that_goes_back_does_not_lock_the_buckets)
{
	cr_assert_eq(allow_n(IFP_RL_ERROR, ip(1), T0 + 60 * SEC, 100), 5);
	/* a capture out of order: an hour back */
	cr_assert_gt(allow_n(IFP_RL_ERROR, ip(1), T0 - 3600 * SEC, 100), 0);
}

/* @p n sources (from @p first up) that land in the same set as @p first */
static void
same_set_sources(uint32_t first, uint64_t *out, unsigned int n)
{
	unsigned int set = ifp_rl_set_of(&rl, ip(first));
	unsigned int k = 0;

	for (uint32_t a = first; k < n; a++)
		if (ifp_rl_set_of(&rl, ip(a)) == set)
			out[k++] = ip(a);
}

Test(ratelimit, table_recycles_full_buckets_without_loss)
{
	/* many more sources than the table holds, each quiet a second later */
	for (uint32_t i = 0; i < 4 * IFP_RL_SOURCES; i++)
		cr_assert(ifp_rl_allow(&rl, &c, IFP_RL_ERROR,
				       ip(0x0a000000 + i),
				       T0 + i * (SEC / 1000)));
	cr_assert_eq(rl.src_evictions, 0);
}

Test(ratelimit, table_evicts_the_fullest_way_when_a_set_is_busy)
{
	uint64_t s[IFP_RL_WAYS + 1];

	c.errors_per_sec = 0;
	same_set_sources(0x0a000001, s, RTE_DIM(s));
	/* every way of the set holds a limited source... */
	for (unsigned int w = 0; w < IFP_RL_WAYS; w++)
		cr_assert_eq(allow_n(IFP_RL_ERROR, s[w], T0 + w * MS, 10), 5);
	/* ...one more comes: it gets its burst, the fullest way goes */
	cr_assert_eq(allow_n(IFP_RL_ERROR, s[IFP_RL_WAYS], T0 + 10 * MS, 10),
		     5);
	cr_assert_eq(rl.src_evictions, 1);
	/* the latest of the old sources kept its (empty) bucket */
	cr_assert_eq(
	    allow_n(IFP_RL_ERROR, s[IFP_RL_WAYS - 1], T0 + 10 * MS, 10), 0);
}

Test(ratelimit, table_memory_is_fixed)
{
	/* the table is part of the lcore context: nothing to allocate */
	cr_assert_eq(sizeof(rl.set) / sizeof(rl.set[0]), IFP_RL_SETS);
	cr_assert_leq(sizeof(struct ifp_rl), 128 * 1024);
}

/* The echo limit where the fast path applies it. */
Test(ratelimit, limited_echo_is_counted_and_freed)
{
	struct rte_mempool *mp = ifp_test_pool_create(64, 2048);
	static struct ifp_lcore lc;
	struct ifp_conf conf;
	struct rte_mbuf *r;
	unsigned int answered = 0;

	ifp_test_conf(&conf);
	conf.ratelimit.echo_per_sec = 10; /* burst 1 */
	ifp_lcore_init(&lc, &conf, 0, 1);
	lc.now_ns = T0;
	for (int i = 0; i < 20; i++) {
		r = ifp_test_run1(&lc, ifp_test_mbuf(mp, fx_echo_req,
						     sizeof(fx_echo_req), 0));
		if (r != NULL) {
			answered++;
			rte_pktmbuf_free(r);
		}
	}
	cr_assert_eq(answered, 1);
	cr_assert_eq(lc.st.ratelimited, 19);
	cr_assert_eq(lc.st.ratelimited_by[IFP_ANS_ECHO], 19);
	cr_assert_eq(lc.st.rx, lc.st.answered + lc.st.ratelimited +
				   ifp_stats_dropped_total(&lc.st));
	/* 10/s: the next reply 100 ms later */
	lc.now_ns = T0 + 100 * MS;
	r = ifp_test_run1(
	    &lc, ifp_test_mbuf(mp, fx_echo_req, sizeof(fx_echo_req), 0));
	cr_assert_not_null(r);
	rte_pktmbuf_free(r);
	cr_assert_eq(lc.st.answered, 2);
	cr_assert_eq(ifp_test_pool_in_use(mp), 0, "mbufs leaked");
	ifp_test_pool_free(mp);
}

Test(ratelimit, ipv6_sources_share_a_bucket_per_slash_64_and_never_one_with_ipv4)
{
	uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
	uint8_t b[16];

	c.errors_per_sec = 0;
	/* one /64: the privacy addresses of one host, or one attacker's */
	memcpy(b, a, 16);
	b[15] = 0x77;
	b[9] = 0x42;
	cr_assert_eq(ifp_rl_key_ipv6(a), ifp_rl_key_ipv6(b));
	cr_assert_eq(allow_n(IFP_RL_ERROR, ifp_rl_key_ipv6(a), T0, 3) +
			     allow_n(IFP_RL_ERROR, ifp_rl_key_ipv6(b), T0, 10),
		     5);
	/* the next /64 has a bucket of its own */
	b[7] = 2;
	cr_assert_eq(allow_n(IFP_RL_ERROR, ifp_rl_key_ipv6(b), T0, 10), 5);
	/* 0.0.0.0 and 32.1.13.184 are not the /64s of ::/64 and 2001:db8::/64 */
	memset(b, 0, 16);
	cr_assert_neq(ifp_rl_key_ipv4(0), ifp_rl_key_ipv6(b));
	cr_assert_neq(ifp_rl_key_ipv4(RTE_BE32(0x20010db8)), ifp_rl_key_ipv6(a));
}

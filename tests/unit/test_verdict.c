/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Verdicts are typed (ifp_pkt.h): a drop reason lives in its own tagged
 * number space, the header walkers answer with statuses of their own, and
 * the line that counts a drop asserts that it got one. Frames are packed
 * here byte by byte, on mbufs built without EAL.
 */
#include <signal.h>
#include <string.h>

#include <criterion/criterion.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "ifp_exthdr.h"
#include "ifp_options.h"
#include "ifp_pkt.h"
#include "ifp_test.h"

static struct rte_mempool *mp;
static struct ifp_conf conf;
static struct ifp_lcore lc;

static void
setup(void)
{
	mp = ifp_test_pool_create(16, 2048);
	ifp_test_conf(&conf);
	ifp_lcore_init(&lc, &conf, 0, 1);
}

static void
teardown(void)
{
	cr_assert_eq(ifp_test_pool_in_use(mp), 0, "mbufs leaked");
	ifp_test_pool_free(mp);
}

TestSuite(verdict, .init = setup, .fini = teardown);

/* an IPv6 packet to us with the extension headers @p ext (@p n bytes,
 * the first of type @p nh) and 8 bytes of ICMPv6 after them, walked; the
 * mbuf holds only the first @p cut bytes of the frame (0: all) */
static enum ifp_exthdr_status
walk6_cut(const uint8_t *ext, uint32_t n, uint8_t nh, uint32_t cut,
	  struct ifp_exthdr_pp *pp)
{
	static const uint8_t peer[16] = IFP_TEST_IP6_PEER, us[16] = IFP_TEST_IP6_US;
	uint8_t f[256] = {0};
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(f + 14);
	struct ifp_pkt pkt = {0};
	enum ifp_exthdr_status st;

	memcpy(f, IFP_TEST_MAC_US, 6);
	memcpy(f + 6, IFP_TEST_MAC_PEER, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(n + 8));
	ip->proto = nh;
	ip->hop_limits = 64;
	memcpy(ip->src_addr, peer, 16);
	memcpy(ip->dst_addr, us, 16);
	memcpy(f + 54, ext, n);
	f[54 + n] = 128;
	pkt.m = ifp_test_mbuf(mp, f, cut ? cut : 54 + n + 8, 0);
	pkt.eth = rte_pktmbuf_mtod(pkt.m, struct rte_ether_hdr *);
	pkt.ip6 = (struct rte_ipv6_hdr *)(pkt.eth + 1);
	pkt.port = &conf.port[0];
	pkt.l2_len = 14;
	pkt.ip_len = (uint16_t)(40 + n + 8);
	pkt.v6 = true;
	st = ifp_exthdr_walk(&pkt, pp);
	rte_pktmbuf_free(pkt.m);
	return st;
}

static enum ifp_exthdr_status
walk6(const uint8_t *ext, uint32_t n, uint8_t nh, struct ifp_exthdr_pp *pp)
{
	return walk6_cut(ext, n, nh, 0, pp);
}

Test(verdict, a_fragment_and_a_parameter_problem_are_walk_statuses_never_drops)
{
	/* a first fragment (offset 0, M set) */
	const uint8_t frag[8] = {58, 0, 0, 1, 1, 2, 3, 4};
	/* a Hop-by-Hop option of type 10xxxxxx: 4/2 at it */
	const uint8_t hbh[8] = {58, 0, 0x9e, 0, 1, 2, 0, 0};
	struct ifp_exthdr_pp pf, pp;
	enum ifp_exthdr_status sf = walk6(frag, 8, 44, &pf);
	enum ifp_exthdr_status sp = walk6(hbh, 8, 0, &pp);

	cr_assert_eq(sf, IFP_EXTHDR_FRAGMENT);
	cr_assert_eq(pf.ptr, 40, "the Fragment header right after the IPv6 one");
	cr_assert_eq(sp, IFP_EXTHDR_PARAM_PROBLEM);
	cr_assert_eq(pp.code, 2);
	cr_assert_eq(pp.ptr, 42);
	cr_assert_neq(sf, sp, "a fragment is not a parameter problem");
	/* none of the walkers' statuses is a drop the counters would take,
	 * whatever number it has */
	cr_assert(!ifp_v_is_drop((enum ifp_verdict)sf));
	cr_assert(!ifp_v_is_drop((enum ifp_verdict)sp));
	cr_assert(!ifp_v_is_drop((enum ifp_verdict)IFP_OPT_PARAM_PROBLEM));
	cr_assert(!ifp_v_is_drop((enum ifp_verdict)IFP_OPT_SOURCE_ROUTE));
	cr_assert(!ifp_v_is_drop(IFP_V_NONE), "'go on' is no drop reason");
	/* and a drop is one */
	cr_assert(ifp_v_is_drop(ifp_v_drop(IFP_DROP_L2_RUNT)));
	cr_assert(ifp_v_is_drop(ifp_v_drop(IFP_DROP_MAX - 1)));
	cr_assert(!ifp_v_is_drop(ifp_v_answer(IFP_ANS_ECHO)));
	cr_assert(!ifp_v_is_drop(ifp_v_limited(IFP_ANS_ECHO)));
}

/* the walk trusts no earlier trim: a header the frame does not hold (its
 * length claimed by pkt->ip_len) is a drop, not a NULL read */
Test(verdict, a_header_past_the_frame_is_a_drop_not_a_crash)
{
	/* Destination Options of 16 bytes, Pad1 all the way: every byte of
	 * it is read */
	const uint8_t dst[16] = {58, 1};
	struct ifp_exthdr_pp pp;

	/* the frame ends 8 bytes into the header */
	cr_assert_eq(walk6_cut(dst, 16, 60, 54 + 8, &pp), IFP_EXTHDR_DROP);
	cr_assert_eq(pp.drop, IFP_DROP_IP6_EXTHDR);
	/* the frame ends inside the first 8 bytes */
	cr_assert_eq(walk6_cut(dst, 16, 60, 54 + 4, &pp), IFP_EXTHDR_DROP);
	cr_assert_eq(pp.drop, IFP_DROP_IP6_EXTHDR);
	/* whole, it is walked to the ICMPv6 after it */
	cr_assert_eq(walk6(dst, 16, 60, &pp), IFP_EXTHDR_UPPER);
}

Test(verdict, a_bad_ipv4_option_is_a_status_with_its_pointer_apart)
{
	uint8_t f[64] = {0};
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);
	struct ifp_pkt pkt = {0};
	uint8_t where = 0;

	ip->version_ihl = 0x46;
	/* record route of length 2: too short for its pointer (RFC 791) */
	f[34] = IPOPT_RR;
	f[35] = 2;
	pkt.ip = ip;
	pkt.l3_len = 24;
	pkt.local = &conf.port[0].addr[0];
	cr_assert_eq(ifp_ipv4_options_check(&lc, &pkt, &where),
		     IFP_OPT_PARAM_PROBLEM);
	cr_assert_eq(where, 21, "the pointer: the option's length octet");
	f[34] = IPOPT_LSRR;
	f[35] = 3;
	cr_assert_eq(ifp_ipv4_options_check(&lc, &pkt, &where),
		     IFP_OPT_SOURCE_ROUTE);
}

/* the bound check of the counting line (a build without NDEBUG: every
 * test build) */
Test(verdict, counting_a_walk_status_as_a_drop_aborts, .signal = SIGABRT)
{
	struct ifp_stats st = {0};

	/* what IFP_EXTHDR_FRAGMENT and IFP_OPT_PARAM_PROBLEM both were: an
	 * index 512 KiB past the counters */
	ifp_v_count_drop(&st, (enum ifp_verdict)0x10000);
}

Test(verdict, counting_go_on_as_a_drop_aborts, .signal = SIGABRT)
{
	struct ifp_stats st = {0};

	ifp_v_count_drop(&st, IFP_V_NONE);
}

Test(verdict, a_drop_is_counted_under_its_reason)
{
	struct ifp_stats st = {0};

	ifp_v_count_drop(&st, ifp_v_drop(IFP_DROP_ICMP_CHECKSUM));
	cr_assert_eq(st.dropped[IFP_DROP_ICMP_CHECKSUM], 1);
	cr_assert_eq(ifp_stats_dropped_total(&st), 1);
}

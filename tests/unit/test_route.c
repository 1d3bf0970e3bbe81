/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Route hits (each route counts the frames it decided, one row a worker)
 * and `route get` (ifp_route_probe(): what a TTL 1 probe and a 1500-octet
 * DF datagram to an address earn), held to what the fast path does with
 * the same frames. Default routes only: rte_lpm needs EAL, the replay
 * tests (tests/replay/test_routes.py) cover longer prefixes.
 */
#include <arpa/inet.h>
#include <string.h>

#include <criterion/criterion.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "ifp_lpa_table.h"
#include "ifp_proc.h"
#include "ifp_route.h"
#include "ifp_route_get.h"
#include "ifp_test.h"

static struct rte_mempool *mp;
static struct ifp_conf conf;
static struct ifp_lcore lc, lc2;
static uint8_t frame[2048];

static void
setup(void)
{
	mp = ifp_test_pool_create(64, 2048);
	ifp_test_conf(&conf);
}

static void
teardown(void)
{
	free(conf.route_hits);
	cr_assert_eq(ifp_test_pool_in_use(mp), 0, "mbufs leaked");
	ifp_test_pool_free(mp);
}

TestSuite(route, .init = setup, .fini = teardown);

/* a default route of family @p v6, route @p i of the conf */
static void
default_route(uint32_t i, bool v6, uint8_t action, uint16_t arg)
{
	conf.route[i] = (struct ifp_route){.v6 = v6, .action = action, .arg = arg,
					   .modem = 7, .line = 10 + i};
	conf.n_routes = RTE_MAX(conf.n_routes, i + 1);
	if (v6)
		conf.route_default6 = i;
	else
		conf.route_default = i;
}

/*
 * An ICMP (ICMPv6) echo request of @p len octets of IP datagram from the
 * test peer to @p dst, sent to our MAC, TTL (hop limit) @p hops, DF set.
 */
static uint32_t
probe_frame(const struct ifp_ipx *dst, uint8_t hops, uint32_t len)
{
	memset(frame, 0, sizeof(frame));
	memcpy(frame, IFP_TEST_MAC_US, 6);
	memcpy(frame + 6, IFP_TEST_MAC_PEER, 6);
	if (dst->v6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(frame + 14);

		frame[12] = 0x86;
		frame[13] = 0xdd;
		ip->vtc_flow = RTE_BE32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16((uint16_t)(len - 40));
		ip->proto = 58;
		ip->hop_limits = hops;
		memcpy(ip->src_addr, IFP_TEST_IP6_PEER, 16);
		memcpy(ip->dst_addr, dst->ip6, 16);
		frame[54] = 128;
		ifp_test_icmp6_cksum_fix(frame, 14, 54);
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);

		frame[12] = 0x08;
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t)len);
		ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = hops;
		ip->next_proto_id = IPPROTO_ICMP;
		ip->src_addr = rte_cpu_to_be_32(IFP_TEST_IPV4(192, 0, 2, 2));
		ip->dst_addr = dst->ip4;
		frame[34] = 8;
		ifp_test_icmp_cksum_fix(frame, 14);
		ifp_test_ipv4_cksum_fix(frame, 14);
	}
	return 14 + len;
}

/* what the fast path did with one frame, as ifp_route_probe() says it */
static struct ifp_route_outcome
fast_path(struct ifp_lcore *l, uint32_t len)
{
	struct rte_mbuf *r;
	int drop;

	memset(&l->st, 0, sizeof(l->st));
	r = ifp_test_run1(l, ifp_test_mbuf(mp, frame, len, 0));
	if (r != NULL) {
		rte_pktmbuf_free(r);
		for (unsigned int a = 0; a < IFP_ANS_MAX; a++)
			if (l->st.answers[a] == 1)
				return (struct ifp_route_outcome){true, (uint8_t)a};
		cr_assert_fail("answered, but no answer kind counted");
	}
	drop = ifp_test_only_drop(&l->st);
	cr_assert_geq(drop, 0, "neither answered nor one drop");
	return (struct ifp_route_outcome){false, (uint8_t)drop};
}

static const char *
outcome_name(struct ifp_route_outcome o)
{
	return o.answered ? ifp_answer_name(o.kind) : ifp_drop_name(o.kind);
}

/*
 * route get of @p dst against the fast path with both probes, a fresh
 * lcore each (no [ratelimit] left over); @p ttl1 and @p df1500 the names
 * both must give.
 */
static void
probe_as_fast_path(const struct ifp_ipx *dst, const struct ifp_lpa_view *v,
		   const char *ttl1, const char *df1500)
{
	struct ifp_route_probe p;
	struct ifp_route_outcome fp;
	char a[64];

	inet_ntop(dst->v6 ? AF_INET6 : AF_INET, dst->v6 ? (const void *)dst->ip6
							: (const void *)&dst->ip4, a, sizeof(a));
	ifp_route_probe(&conf, v, dst, &p);
	ifp_lcore_init(&lc, &conf, 0, 1);
	lc.lpa = v;
	fp = fast_path(&lc, probe_frame(dst, 1, 64));
	cr_assert_str_eq(outcome_name(p.ttl1), outcome_name(fp), "%s TTL 1: %s, fast path %s",
			 a, outcome_name(p.ttl1), outcome_name(fp));
	cr_assert_str_eq(outcome_name(p.ttl1), ttl1, "%s TTL 1: %s", a, outcome_name(p.ttl1));
	ifp_lcore_init(&lc, &conf, 0, 1);
	lc.lpa = v;
	fp = fast_path(&lc, probe_frame(dst, 64, 1500));
	cr_assert_str_eq(outcome_name(p.df1500), outcome_name(fp),
			 "%s 1500 DF: %s, fast path %s", a, outcome_name(p.df1500),
			 outcome_name(fp));
	cr_assert_str_eq(outcome_name(p.df1500), df1500, "%s 1500 DF: %s", a,
			 outcome_name(p.df1500));
}

static struct ifp_ipx
ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	return (struct ifp_ipx){.ip4 = rte_cpu_to_be_32(IFP_TEST_IPV4(a, b, c, d))};
}

static struct ifp_ipx
ip6(const char *s)
{
	struct ifp_ipx x = {.v6 = true};

	memcpy(x.ip6, s, 16);
	return x;
}

#define OTHER6 "\x20\x01\x0d\xb8\x00\x00\x00\x99\x00\x00\x00\x00\x00\x00\x00\x07"

Test(route, route_get_says_what_the_fast_path_does_in_both_families)
{
	static const struct ifp_lpa_view up = {.n = 1, .m[0] = {.id = 7, .mtu = 1400, .up = 1}};
	static const struct ifp_lpa_view up0 = {.n = 1, .m[0] = {.id = 7, .mtu = 0, .up = 1}};
	/* the default route of each family (none: no route at all), the
	 * modems heard, and what TTL 1 and 1500 DF earn in IPv4, then IPv6 */
	static const struct {
		int action; /* -1: no route */
		uint16_t arg4, arg6;
		const struct ifp_lpa_view *lpa;
		const char *want[4];
	} cases[] = {
		{-1, 0, 0, NULL, {"time_exceeded", "transit", "icmp6_time_exceeded", "transit"}},
		{IFP_ROUTE_UNREACHABLE, 1, 3, NULL,
		 {"unreachable_route", "unreachable_route", "icmp6_unreachable_route",
		  "icmp6_unreachable_route"}},
		{IFP_ROUTE_MTU, 1400, 1400, NULL,
		 {"time_exceeded", "frag_needed", "icmp6_time_exceeded", "icmp6_packet_too_big"}},
		{IFP_ROUTE_DROP, 0, 0, NULL,
		 {"time_exceeded", "transit", "icmp6_time_exceeded", "transit"}},
		/* a modem never heard, up with an MTU, up without one */
		{IFP_ROUTE_MODEM, 0, 0, NULL,
		 {"unreachable_modem", "unreachable_modem", "icmp6_unreachable_modem",
		  "icmp6_unreachable_modem"}},
		{IFP_ROUTE_MODEM, 0, 0, &up,
		 {"time_exceeded", "frag_needed", "icmp6_time_exceeded", "icmp6_packet_too_big"}},
		{IFP_ROUTE_MODEM, 0, 0, &up0,
		 {"time_exceeded", "transit", "icmp6_time_exceeded", "transit"}},
	};
	const struct ifp_ipx a4 = ip4(198, 51, 100, 7), a6 = ip6(OTHER6);

	for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
		if (cases[i].action >= 0) {
			default_route(0, false, (uint8_t)cases[i].action, cases[i].arg4);
			default_route(1, true, (uint8_t)cases[i].action, cases[i].arg6);
		}
		probe_as_fast_path(&a4, cases[i].lpa, cases[i].want[0], cases[i].want[1]);
		probe_as_fast_path(&a6, cases[i].lpa, cases[i].want[2], cases[i].want[3]);
	}
}

Test(route, route_get_of_groups_and_link_local_as_the_fast_path)
{
	const struct ifp_ipx g4 = ip4(239, 1, 2, 3);
	const struct ifp_ipx site = ip6("\xff\x05\0\0\0\0\0\0\0\0\0\0\0\0\0\x07");
	const struct ifp_ipx link = ip6("\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x07");
	const struct ifp_ipx ll = ip6("\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x07");
	struct ifp_route_probe p;

	default_route(0, false, IFP_ROUTE_MTU, 1400);
	default_route(1, true, IFP_ROUTE_MTU, 1400);
	probe_as_fast_path(&g4, NULL, "ip_dst_multicast", "ip_dst_multicast");
	/* RFC 4443 2.4(e.3): a routed group earns Packet Too Big alone */
	probe_as_fast_path(&site, NULL, "ip6_dst_multicast", "icmp6_packet_too_big");
	probe_as_fast_path(&link, NULL, "ip6_dst_multicast", "ip6_dst_multicast");
	probe_as_fast_path(&ll, NULL, "ip6_dst_link_local", "ip6_dst_link_local");
	ifp_route_probe(&conf, NULL, &ll, &p);
	cr_assert_eq(p.route, IFP_ROUTE_NONE, "never routed: no route decides it");
	ifp_route_probe(&conf, NULL, &site, &p);
	cr_assert_eq(p.route, 1);
}

Test(route, each_route_counts_the_frames_it_decided_per_worker)
{
	const struct ifp_ipx a4 = ip4(198, 51, 100, 7), a6 = ip6(OTHER6);
	const struct ifp_ipx us = ip4(192, 0, 2, 1);
	uint32_t len;

	default_route(0, false, IFP_ROUTE_MTU, 1400);
	cr_assert_eq(ifp_routes_hits_alloc(&conf, 2), 0);
	cr_assert_eq(conf.route_hits_stride % 8, 0, "a row on cache lines of its own");
	ifp_lcore_init(&lc, &conf, 0, 2);
	ifp_lcore_init(&lc2, &conf, 1, 2);
	lc2.worker = 1;
	/* worker 0: 3 TTL-1 probes and a 1500 DF one; worker 1: 2 of them */
	for (int i = 0; i < 3; i++)
		fast_path(&lc, probe_frame(&a4, 1, 64));
	fast_path(&lc, probe_frame(&a4, 64, 1500));
	for (int i = 0; i < 2; i++)
		fast_path(&lc2, probe_frame(&a4, 1, 64));
	/* not decided by a route: an echo to us, IPv6 without a route */
	len = probe_frame(&us, 64, 84);
	cr_assert(fast_path(&lc, len).answered);
	fast_path(&lc, probe_frame(&a6, 1, 64));
	cr_assert_eq(conf.route_hits[0], 4);
	cr_assert_eq(conf.route_hits[conf.route_hits_stride], 2);
	cr_assert_eq(ifp_route_hits(&conf, 0), 6);
	/* now IPv6 has one, in the same conf */
	default_route(1, true, IFP_ROUTE_UNREACHABLE, 0);
	cr_assert_eq(ifp_routes_hits_alloc(&conf, 2), 0, "hits for both routes");
	cr_assert_eq(ifp_route_hits(&conf, 0), 0, "new counters count from zero");
	fast_path(&lc2, probe_frame(&a6, 64, 100));
	fast_path(&lc2, probe_frame(&a4, 64, 100));
	cr_assert_eq(ifp_route_hits(&conf, 1), 1);
	cr_assert_eq(ifp_route_hits(&conf, 0), 1);
	cr_assert_eq(ifp_route_hits(&conf, 2), 0, "no route 2");
	/* route get counts nothing */
	{
		struct ifp_route_probe p;

		ifp_route_probe(&conf, NULL, &a4, &p);
		ifp_route_probe(&conf, NULL, &a6, &p);
		cr_assert_eq(ifp_route_hits(&conf, 0) + ifp_route_hits(&conf, 1), 2);
	}
}

Test(route, a_conf_without_hits_counts_nothing_and_goes_on)
{
	const struct ifp_ipx a4 = ip4(198, 51, 100, 7);

	default_route(0, false, IFP_ROUTE_MTU, 1400);
	cr_assert_null(conf.route_hits);
	ifp_lcore_init(&lc, &conf, 0, 1);
	cr_assert_str_eq(outcome_name(fast_path(&lc, probe_frame(&a4, 1, 64))), "time_exceeded");
	cr_assert_eq(ifp_route_hits(&conf, 0), 0);
}

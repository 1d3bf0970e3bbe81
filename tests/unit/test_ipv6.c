/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 on the link, on mbufs built without EAL: validity, each RFC 4861
 * 7.1.1 rule, each extension header outcome and its pointer, the NA and
 * MLDv2 report bytes, the 1280-byte quote. Frames are packed here byte by
 * byte; checksums are checked with DPDK's sums, not ours.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "ifp_fragid.h"
#include "ifp_lpa_table.h"
#include "ifp_nd.h"
#include "ifp_proc.h"
#include "ifp_test.h"

static struct rte_mempool *mp;
static struct ifp_conf conf;
static struct ifp_lcore lc;
static uint8_t frame[4096];
static uint8_t out[4096];

static const uint8_t all_nodes[16] = {0xff, 2, 0, 0, 0, 0, 0, 0,
				      0, 0, 0, 0, 0, 0, 0, 1};
/* ff02::1:ff00:1, the solicited-node group of ...::1 */
static const uint8_t snm_us[16] = {0xff, 2, 0, 0, 0, 0, 0, 0,
				   0, 0, 0, 1, 0xff, 0, 0, 1};
static const uint8_t peer_ll[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0,
				    0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t unspec[16];

static void
setup(void)
{
	mp = ifp_test_pool_create(256, 2048);
	ifp_test_conf(&conf);
	ifp_lcore_init(&lc, &conf, 0, 1);
}

static void
teardown(void)
{
	cr_assert_eq(ifp_test_pool_in_use(mp), 0, "mbufs leaked");
	ifp_test_pool_free(mp);
}

TestSuite(ipv6, .init = setup, .fini = teardown);

/*
 * A frame to @p dmac: Ethernet, an IPv6 header (src, dst, next header,
 * hop limit) and @p n bytes of payload. Returns its length.
 */
static uint32_t
pack6(const uint8_t *dmac, const uint8_t *src, const uint8_t *dst, uint8_t nh,
      uint8_t hlim, const void *payload, uint32_t n)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(frame + 14);

	memset(frame, 0, 14 + 40);
	memcpy(frame, dmac, 6);
	memcpy(frame + 6, IFP_TEST_MAC_PEER, 6);
	frame[12] = 0x86;
	frame[13] = 0xdd;
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)n);
	ip->proto = nh;
	ip->hop_limits = hlim;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
	memcpy(frame + 54, payload, n);
	return 54 + n;
}

/* an ICMPv6 message after @p ext extension header bytes, its checksum set */
static uint32_t
pack_icmp6(const uint8_t *dmac, const uint8_t *src, const uint8_t *dst,
	   uint8_t hlim, const void *ext, uint32_t next, uint8_t first_nh,
	   const void *msg, uint32_t mlen)
{
	uint8_t p[2048];

	if (next)
		memcpy(p, ext, next);
	memcpy(p + next, msg, mlen);
	pack6(dmac, src, dst, next ? first_nh : 58, hlim, p, next + mlen);
	ifp_test_icmp6_cksum_fix(frame, 14, 54 + next);
	return 54 + next + mlen;
}

static struct rte_mbuf *
run(uint32_t len)
{
	struct rte_mbuf *r = ifp_test_run1(&lc, ifp_test_mbuf(mp, frame, len, 0));

	cr_assert_eq(lc.st.rx, lc.st.answered + lc.st.ratelimited +
				       ifp_stats_dropped_total(&lc.st));
	return r;
}

static void
expect_drop(uint32_t len, enum ifp_drop reason)
{
	struct rte_mbuf *r = run(len);

	cr_assert_null(r, "%s: answered", ifp_drop_name(reason));
	cr_assert_eq(ifp_test_only_drop(&lc.st), (int)reason, "expected %s",
		     ifp_drop_name(reason));
	memset(&lc.st, 0, sizeof(lc.st));
}

/* an answer's ICMPv6 checksum, by DPDK's sums */
static void
assert_icmp6_cksum_good(const uint8_t *f, uint32_t l3, uint32_t l4, uint32_t len)
{
	const struct rte_ipv6_hdr *ip = (const void *)(f + l3);
	struct {
		rte_be32_t len;
		rte_be32_t proto;
	} ph = {rte_cpu_to_be_32(len), RTE_BE32(58)};
	uint32_t sum;

	sum = __rte_raw_cksum(ip->src_addr, 32, 0);
	sum = __rte_raw_cksum(&ph, sizeof(ph), sum);
	sum = __rte_raw_cksum(f + l4, len, sum);
	cr_assert_eq(__rte_raw_cksum_reduce(sum), 0xffff, "ICMPv6 checksum");
}

/* the answer @p r is an ICMPv6 message of type @p type to the peer;
 * returns its length, the frame in out[] */
static uint32_t
answer(struct rte_mbuf *r, uint8_t type)
{
	uint32_t n;
	const struct rte_ipv6_hdr *ip = (const void *)(out + 14);

	cr_assert_not_null(r);
	n = ifp_test_mbuf_read(r, out, sizeof(out));
	cr_assert_eq(memcmp(out + 6, IFP_TEST_MAC_US, 6), 0, "from our MAC");
	cr_assert_eq(out[12], 0x86);
	cr_assert_eq(out[13], 0xdd);
	cr_assert_eq(rte_be_to_cpu_16(ip->payload_len), n - 54);
	cr_assert_eq(r->l2_len, 14);
	cr_assert_eq(r->l3_len, 40);
	cr_assert_eq(out[54], type, "type %u, want %u", out[54], type);
	if (ip->proto == 58)
		assert_icmp6_cksum_good(out, 14, 54, n - 54);
	rte_pktmbuf_free(r);
	return n;
}

/* --- validity ---------------------------------------------------------- */

Test(ipv6, an_echo_request_gets_a_reply_in_place)
{
	static const uint8_t echo[] = {128, 0, 0, 0, 0x12, 0x34, 0, 7, 'p', 'i', 'n', 'g'};
	uint32_t len = pack_icmp6((const uint8_t *)IFP_TEST_MAC_US,
				  (const uint8_t *)IFP_TEST_IP6_PEER,
				  (const uint8_t *)IFP_TEST_IP6_US2, 64, NULL, 0, 0,
				  echo, sizeof(echo));
	const struct rte_ipv6_hdr *ip = (const void *)(out + 14);

	cr_assert_eq(answer(run(len), 129), len);
	cr_assert_eq(memcmp(ip->src_addr, IFP_TEST_IP6_US2, 16), 0, "from the address pinged");
	cr_assert_eq(memcmp(ip->dst_addr, IFP_TEST_IP6_PEER, 16), 0);
	cr_assert_eq(ip->hop_limits, conf.icmp6.reply_hop_limit);
	cr_assert_eq(memcmp(out + 58, echo + 4, sizeof(echo) - 4), 0);
	cr_assert_eq(memcmp(out, IFP_TEST_MAC_PEER, 6), 0);
	cr_assert_eq(lc.st.answers[IFP_ANS_ECHO6], 1);
}

Test(ipv6, echo_to_all_nodes_is_answered_only_with_echo_multicast_from_the_scope_of_the_source)
{
	static const uint8_t echo[] = {128, 0, 0, 0, 0, 1, 0, 1};
	uint32_t len = pack_icmp6((const uint8_t *)"\x33\x33\0\0\0\x01", peer_ll,
				  all_nodes, 64, NULL, 0, 0, echo, sizeof(echo));
	const struct rte_ipv6_hdr *ip = (const void *)(out + 14);

	expect_drop(len, IFP_DROP_IP6_DST_MULTICAST);
	conf.icmp6.echo_multicast = true;
	answer(run(len), 129);
	cr_assert_eq(memcmp(ip->src_addr, IFP_TEST_IP6_LL, 16), 0, "link-local to link-local");
	cr_assert_eq(memcmp(ip->dst_addr, peer_ll, 16), 0);
	len = pack_icmp6((const uint8_t *)"\x33\x33\0\0\0\x01",
			 (const uint8_t *)IFP_TEST_IP6_PEER, all_nodes, 64, NULL, 0, 0,
			 echo, sizeof(echo));
	answer(run(len), 129);
	cr_assert_eq(memcmp(ip->src_addr, IFP_TEST_IP6_US, 16), 0, "the first global to a global");
}

Test(ipv6, each_validity_failure_is_its_own_reason)
{
	static const uint8_t echo[] = {128, 0, 0, 0, 0, 1, 0, 1};
	const uint8_t *us = (const uint8_t *)IFP_TEST_IP6_US;
	const uint8_t *peer = (const uint8_t *)IFP_TEST_IP6_PEER;
	const uint8_t *mac = (const uint8_t *)IFP_TEST_MAC_US;
	uint8_t src[16];
	uint32_t len = pack_icmp6(mac, peer, us, 64, NULL, 0, 0, echo, sizeof(echo));

	expect_drop(14 + 39, IFP_DROP_IP6_RUNT);
	frame[14] = 0x45;
	expect_drop(len, IFP_DROP_IP6_VERSION);
	len = pack_icmp6(mac, peer, us, 64, NULL, 0, 0, echo, sizeof(echo));
	expect_drop(len - 1, IFP_DROP_IP6_PAYLOAD_LENGTH);
	memcpy(src, "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	expect_drop(pack_icmp6(mac, src, us, 64, NULL, 0, 0, echo, sizeof(echo)),
		    IFP_DROP_IP6_MARTIAN_SRC);
	memcpy(src, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	expect_drop(pack_icmp6(mac, src, us, 64, NULL, 0, 0, echo, sizeof(echo)),
		    IFP_DROP_IP6_MARTIAN_SRC);
	memcpy(src, "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\0\x02\x02", 16);
	expect_drop(pack_icmp6(mac, src, us, 64, NULL, 0, 0, echo, sizeof(echo)),
		    IFP_DROP_IP6_MARTIAN_SRC);
	/* :: only on a DAD solicitation */
	expect_drop(pack_icmp6(mac, unspec, us, 64, NULL, 0, 0, echo, sizeof(echo)),
		    IFP_DROP_IP6_MARTIAN_SRC);
	expect_drop(pack_icmp6(mac, peer, (const uint8_t *)"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01",
			       64, NULL, 0, 0, echo, sizeof(echo)),
		    IFP_DROP_IP6_MARTIAN_DST);
	memcpy(src, "\xff\x05\0\0\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	expect_drop(pack_icmp6((const uint8_t *)"\x33\x33\0\0\0\x01", peer, src, 64,
			       NULL, 0, 0, echo, sizeof(echo)),
		    IFP_DROP_IP6_DST_MULTICAST);
	/* a group of somebody else's: its MAC is not one we take */
	expect_drop(pack_icmp6((const uint8_t *)"\x33\x33\xff\x12\x34\x56", peer, us, 64,
			       NULL, 0, 0, echo, sizeof(echo)),
		    IFP_DROP_L2_OTHER_MAC);
	/* all-nodes MAC on an IPv4 frame */
	len = pack_icmp6((const uint8_t *)"\x33\x33\0\0\0\x01", peer, us, 64, NULL, 0,
			 0, echo, sizeof(echo));
	frame[12] = 0x08;
	frame[13] = 0x00;
	expect_drop(len, IFP_DROP_L2_OTHER_MAC);
	frame[54] ^= 0;
	len = pack_icmp6(mac, peer, us, 64, NULL, 0, 0, echo, sizeof(echo));
	frame[57] ^= 1;
	expect_drop(len, IFP_DROP_ICMP6_CHECKSUM);
	expect_drop(pack_icmp6(mac, peer, us, 64, NULL, 0, 0, echo, 4), IFP_DROP_ICMP6_RUNT);
	/* transit with no route: not forwarded */
	memcpy(src, us, 16);
	src[3] = 0x99;
	expect_drop(pack_icmp6(mac, peer, src, 64, NULL, 0, 0, echo, sizeof(echo)),
		    IFP_DROP_TRANSIT);
	expect_drop(pack_icmp6((const uint8_t *)"\xff\xff\xff\xff\xff\xff", peer, src, 64,
			       NULL, 0, 0, echo, sizeof(echo)),
		    IFP_DROP_L2_BCAST_TRANSIT);
}

Test(ipv6, a_port_without_ipv6_drops_it_as_a_foreign_ethertype)
{
	static const uint8_t echo[] = {128, 0, 0, 0, 0, 1, 0, 1};

	conf.port[0].n_addr6 = 0;
	expect_drop(pack_icmp6((const uint8_t *)IFP_TEST_MAC_US,
			       (const uint8_t *)IFP_TEST_IP6_PEER,
			       (const uint8_t *)IFP_TEST_IP6_US, 64, NULL, 0, 0, echo,
			       sizeof(echo)),
		    IFP_DROP_L2_ETHERTYPE);
}

Test(ipv6, icmp6_types_not_answered_are_counted_by_kind)
{
	static const struct {
		uint8_t type;
		enum ifp_drop why;
	} c[] = {
		{1, IFP_DROP_ICMP6_ERROR_TO_US}, {4, IFP_DROP_ICMP6_ERROR_TO_US},
		{100, IFP_DROP_ICMP6_ERROR_TO_US}, {129, IFP_DROP_ICMP6_REPLY_TO_US},
		{161, IFP_DROP_ICMP6_REPLY_TO_US}, {139, IFP_DROP_ICMP6_UNKNOWN_TYPE},
		{200, IFP_DROP_ICMP6_UNKNOWN_TYPE}, {143, IFP_DROP_ND_TO_US},
		{160, IFP_DROP_ICMP6_DISABLED},
	};

	for (unsigned int i = 0; i < RTE_DIM(c); i++) {
		uint8_t msg[24] = {c[i].type};

		expect_drop(pack_icmp6((const uint8_t *)IFP_TEST_MAC_US,
				       (const uint8_t *)IFP_TEST_IP6_PEER,
				       (const uint8_t *)IFP_TEST_IP6_US, 255, NULL, 0, 0,
				       msg, sizeof(msg)),
			    c[i].why);
	}
}

/* --- neighbour discovery (RFC 4861 7.1.1) --------------------------------- */

/* a solicitation for @p target, with a source link-layer option if @p sllao */
static uint32_t
ns(const uint8_t *dmac, const uint8_t *src, const uint8_t *dst, uint8_t hlim,
   const uint8_t *target, bool sllao)
{
	uint8_t m[32] = {135, 0};

	memcpy(m + 8, target, 16);
	m[24] = 1;
	m[25] = 1;
	memcpy(m + 26, IFP_TEST_MAC_PEER, 6);
	return pack_icmp6(dmac, src, dst, hlim, NULL, 0, 0, m, sllao ? 32 : 24);
}

Test(ipv6, a_solicitation_for_our_address_gets_an_advertisement_in_place)
{
	static const uint8_t want[32] = {
		136, 0, 0, 0, 0xe0, 0, 0, 0,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1,
		2, 1, 2, 0, 0, 0, 0, 1,
	};
	const struct rte_ipv6_hdr *ip = (const void *)(out + 14);
	uint32_t len = ns((const uint8_t *)"\x33\x33\xff\0\0\x01",
			  (const uint8_t *)IFP_TEST_IP6_PEER, snm_us, 255,
			  (const uint8_t *)IFP_TEST_IP6_US, true);
	uint8_t got[32];

	cr_assert_eq(answer(run(len), 136), 14 + 40 + 32);
	memcpy(got, out + 54, 32);
	got[2] = got[3] = 0;
	/* R, S, O; the target; its link-layer address option */
	cr_assert_eq(memcmp(got, want, 32), 0);
	cr_assert_eq(ip->hop_limits, 255);
	cr_assert_eq(memcmp(ip->src_addr, IFP_TEST_IP6_US, 16), 0, "from the target");
	cr_assert_eq(memcmp(ip->dst_addr, IFP_TEST_IP6_PEER, 16), 0);
	cr_assert_eq(memcmp(out, IFP_TEST_MAC_PEER, 6), 0);
	cr_assert_eq(lc.st.answers[IFP_ANS_NA], 1);
	/* unicast to us, without an option: the NA grows to 32 */
	len = ns((const uint8_t *)IFP_TEST_MAC_US, peer_ll,
		 (const uint8_t *)IFP_TEST_IP6_LL, 255, (const uint8_t *)IFP_TEST_IP6_LL,
		 false);
	cr_assert_eq(answer(run(len), 136), 14 + 40 + 32);
	cr_assert_eq(memcmp(out + 62, IFP_TEST_IP6_LL, 16), 0);
	cr_assert_eq(memcmp(ip->src_addr, IFP_TEST_IP6_LL, 16), 0);
}

Test(ipv6, a_dad_probe_is_defended_to_all_nodes_without_the_solicited_flag)
{
	const struct rte_ipv6_hdr *ip = (const void *)(out + 14);
	uint32_t len = ns((const uint8_t *)"\x33\x33\xff\0\0\x01", unspec, snm_us, 255,
			  (const uint8_t *)IFP_TEST_IP6_US, false);

	answer(run(len), 136);
	cr_assert_eq(out[58], 0xa0, "R and O, not S");
	cr_assert_eq(memcmp(ip->dst_addr, all_nodes, 16), 0);
	cr_assert_eq(memcmp(out, "\x33\x33\0\0\0\x01", 6), 0);
	cr_assert_eq(memcmp(ip->src_addr, IFP_TEST_IP6_US, 16), 0);
}

Test(ipv6, each_rfc4861_validity_rule_drops_by_its_reason)
{
	const uint8_t *smac = (const uint8_t *)"\x33\x33\xff\0\0\x01";
	const uint8_t *peer = (const uint8_t *)IFP_TEST_IP6_PEER;
	const uint8_t *us = (const uint8_t *)IFP_TEST_IP6_US;
	uint8_t other[16];
	uint32_t len;

	expect_drop(ns(smac, peer, snm_us, 254, us, true), IFP_DROP_ND_HOP_LIMIT);
	expect_drop(ns(smac, peer, snm_us, 1, us, true), IFP_DROP_ND_HOP_LIMIT);
	len = ns(smac, peer, snm_us, 255, us, true);
	frame[55] = 1;
	ifp_test_icmp6_cksum_fix(frame, 14, 54);
	expect_drop(len, IFP_DROP_ND_CODE);
	len = ns(smac, peer, snm_us, 255, us, false);
	/* 20 octets of solicitation */
	frame[19] = 20;
	ifp_test_icmp6_cksum_fix(frame, 14, 54);
	expect_drop(len - 4, IFP_DROP_ND_RUNT);
	expect_drop(ns(smac, peer, snm_us, 255, all_nodes, false),
		    IFP_DROP_ND_TARGET_MULTICAST);
	len = ns(smac, peer, snm_us, 255, us, true);
	frame[54 + 25] = 0; /* an option of length 0 */
	ifp_test_icmp6_cksum_fix(frame, 14, 54);
	expect_drop(len, IFP_DROP_ND_OPTION);
	len = ns(smac, peer, snm_us, 255, us, true);
	frame[54 + 25] = 2; /* past the end */
	ifp_test_icmp6_cksum_fix(frame, 14, 54);
	expect_drop(len, IFP_DROP_ND_OPTION);
	expect_drop(ns(smac, unspec, snm_us, 255, us, true), IFP_DROP_ND_DAD_SLLAO);
	expect_drop(ns((const uint8_t *)IFP_TEST_MAC_US, unspec, us, 255, us, false),
		    IFP_DROP_ND_DAD_DST);
	expect_drop(ns((const uint8_t *)"\x33\x33\0\0\0\x01", unspec, all_nodes, 255, us,
		       false),
		    IFP_DROP_ND_DAD_DST);
	memcpy(other, us, 16);
	other[14] = 0x55;
	expect_drop(ns((const uint8_t *)IFP_TEST_MAC_US, peer, us, 255, other, true),
		    IFP_DROP_ND_NOT_OURS);
}

Test(ipv6, router_and_neighbour_messages_to_us_are_counted_not_answered)
{
	for (uint8_t t = 133; t <= 137; t++) {
		uint8_t m[40] = {t};

		if (t == 135)
			continue;
		expect_drop(pack_icmp6((const uint8_t *)IFP_TEST_MAC_US, peer_ll,
				       (const uint8_t *)IFP_TEST_IP6_LL, 255, NULL, 0, 0,
				       m, sizeof(m)),
			    IFP_DROP_ND_TO_US);
		expect_drop(pack_icmp6((const uint8_t *)IFP_TEST_MAC_US, peer_ll,
				       (const uint8_t *)IFP_TEST_IP6_LL, 64, NULL, 0, 0,
				       m, sizeof(m)),
			    IFP_DROP_ND_HOP_LIMIT);
	}
}

/* --- MLD (RFC 3810) -------------------------------------------------------- */

/* fe80::ff:fe00:1 to ff02::16, hop limit 1, Router Alert, and records of
 * @p rtype for ff02::1:ff00:1 (fe80::ff:fe00:1 and 2001:db8:0:1::1 share it)
 * and ff02::1:ff00:9 */
static void
assert_mld_report(const uint8_t *f, uint32_t n, uint8_t rtype)
{
	static const uint8_t ip6[40] = {
		0x60, 0, 0, 0, 0, 8 + 8 + 40, 0, 1,
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 0, 1,
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16,
	};
	static const uint8_t hbh[8] = {58, 0, 5, 2, 0, 0, 1, 0};
	uint8_t mld[48] = {
		143, 0, 0, 0, 0, 0, 0, 2,
		0, 0, 0, 0, 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 1,
		0, 0, 0, 0, 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 9,
	};

	mld[8] = mld[28] = rtype;
	cr_assert_eq(n, 14 + 40 + 8 + 48);
	cr_assert_eq(memcmp(f, "\x33\x33\0\0\0\x16", 6), 0);
	cr_assert_eq(memcmp(f + 6, IFP_TEST_MAC_US, 6), 0);
	cr_assert_eq(memcmp(f + 14, ip6, 40), 0, "IPv6 header");
	cr_assert_eq(memcmp(f + 54, hbh, 8), 0, "Hop-by-Hop with the Router Alert");
	cr_assert_eq(memcmp(f + 62, mld, 2), 0);
	cr_assert_eq(memcmp(f + 66, mld + 4, 44), 0, "records");
	assert_icmp6_cksum_good(f, 14, 62, 48);
}

Test(ipv6, the_port_up_mld_report_joins_our_solicited_node_groups)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	cr_assert_eq(ifp_mld_report_build(m, &conf.port[0]), 0);
	assert_mld_report(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len, 4);
	rte_pktmbuf_free(m);
}

Test(ipv6, a_general_query_gets_a_report_of_every_group_in_place)
{
	static const uint8_t hbh[8] = {58, 0, 5, 2, 0, 0, 1, 0};
	uint8_t q[28] = {130, 0, 0, 0, 0x27, 0x10};
	uint32_t len = pack_icmp6((const uint8_t *)"\x33\x33\0\0\0\x01", peer_ll,
				  all_nodes, 1, hbh, 8, 0, q, sizeof(q));
	struct rte_mbuf *r = run(len);
	uint32_t n;

	cr_assert_not_null(r);
	n = ifp_test_mbuf_read(r, out, sizeof(out));
	assert_mld_report(out, n, 2);
	cr_assert_eq(lc.st.answers[IFP_ANS_MLD_REPORT], 1);
	rte_pktmbuf_free(r);
}

Test(ipv6, a_group_query_is_answered_for_our_groups_only_from_link_local)
{
	static const uint8_t hbh[8] = {58, 0, 5, 2, 0, 0, 1, 0};
	uint8_t q[28] = {130, 0};
	struct rte_mbuf *r;
	uint32_t len;

	memcpy(q + 8, snm_us, 16);
	len = pack_icmp6((const uint8_t *)"\x33\x33\xff\0\0\x01", peer_ll, snm_us, 1,
			 hbh, 8, 0, q, sizeof(q));
	r = run(len);
	cr_assert_not_null(r);
	cr_assert_eq(r->pkt_len, 14 + 40 + 8 + 8 + 20, "one record");
	rte_pktmbuf_free(r);
	q[8 + 15] = 0x42;
	len = pack_icmp6((const uint8_t *)"\x33\x33\xff\0\0\x01", peer_ll, snm_us, 1,
			 hbh, 8, 0, q, sizeof(q));
	memset(&lc.st, 0, sizeof(lc.st));
	expect_drop(len, IFP_DROP_MLD_NOT_OURS);
	expect_drop(pack_icmp6((const uint8_t *)"\x33\x33\0\0\0\x01",
			       (const uint8_t *)IFP_TEST_IP6_PEER, all_nodes, 1, hbh, 8,
			       0, q, sizeof(q)),
		    IFP_DROP_MLD_INVALID);
	expect_drop(pack_icmp6((const uint8_t *)"\x33\x33\0\0\0\x01", peer_ll,
			       all_nodes, 1, hbh, 8, 0, q, 20),
		    IFP_DROP_MLD_INVALID);
}

Test(ipv6, the_port_up_advertisement_is_unsolicited_with_override)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	const uint8_t *f;

	cr_assert_eq(ifp_nd_una_build(m, &conf.port[0], 1), 0);
	f = rte_pktmbuf_mtod(m, const uint8_t *);
	cr_assert_eq(m->pkt_len, 14 + 40 + 32);
	cr_assert_eq(memcmp(f, "\x33\x33\0\0\0\x01", 6), 0);
	cr_assert_eq(f[21], 255, "hop limit");
	cr_assert_eq(memcmp(f + 22, IFP_TEST_IP6_US, 16), 0);
	cr_assert_eq(memcmp(f + 38, all_nodes, 16), 0);
	cr_assert_eq(f[54], 136);
	cr_assert_eq(f[58], 0xa0, "R and O, never S (RFC 4861 7.2.6)");
	cr_assert_eq(memcmp(f + 62, IFP_TEST_IP6_US, 16), 0);
	cr_assert_eq(memcmp(f + 78, "\x02\x01", 2), 0);
	cr_assert_eq(memcmp(f + 80, IFP_TEST_MAC_US, 6), 0);
	assert_icmp6_cksum_good(f, 14, 54, 32);
	cr_assert_eq(ifp_nd_una_build(m, &conf.port[0], 3), -1, "not empty");
	rte_pktmbuf_free(m);
}

Test(ipv6, the_solicitation_for_an_lpa_neighbour_goes_to_its_solicited_node_group)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	static const uint8_t peer_snm[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
					     0, 0, 0, 1, 0xff, 0, 0, 2};
	const uint8_t *f;

	/* RFC 4861 7.2.2, for 2001:db8:0:1::2: from our address of its
	 * scope, with our link-layer address */
	cr_assert_eq(ifp_nd_ns_build(m, &conf.port[0], (const uint8_t *)IFP_TEST_IP6_PEER), 0);
	f = rte_pktmbuf_mtod(m, const uint8_t *);
	cr_assert_eq(m->pkt_len, 14 + 40 + 32);
	cr_assert_eq(memcmp(f, "\x33\x33\xff\0\0\x02", 6), 0);
	cr_assert_eq(memcmp(f + 6, IFP_TEST_MAC_US, 6), 0);
	cr_assert_eq(f[20], 58);
	cr_assert_eq(f[21], 255, "hop limit");
	cr_assert_eq(memcmp(f + 22, IFP_TEST_IP6_US, 16), 0);
	cr_assert_eq(memcmp(f + 38, peer_snm, 16), 0);
	cr_assert_eq(f[54], 135);
	cr_assert_eq(f[55], 0);
	cr_assert_eq(memcmp(f + 58, "\0\0\0\0", 4), 0, "reserved");
	cr_assert_eq(memcmp(f + 62, IFP_TEST_IP6_PEER, 16), 0, "target");
	cr_assert_eq(memcmp(f + 78, "\x01\x01", 2), 0, "source link-layer address");
	cr_assert_eq(memcmp(f + 80, IFP_TEST_MAC_US, 6), 0);
	assert_icmp6_cksum_good(f, 14, 54, 32);
	rte_pktmbuf_free(m);
	/* a link-local target is asked from our link-local */
	m = rte_pktmbuf_alloc(mp);
	cr_assert_eq(ifp_nd_ns_build(m, &conf.port[0], peer_ll), 0);
	f = rte_pktmbuf_mtod(m, const uint8_t *);
	cr_assert_eq(memcmp(f + 22, IFP_TEST_IP6_LL, 16), 0);
	assert_icmp6_cksum_good(f, 14, 54, 32);
	rte_pktmbuf_free(m);
	/* a port without IPv6 asks nothing */
	m = rte_pktmbuf_alloc(mp);
	conf.port[0].n_addr6 = 0;
	cr_assert_eq(ifp_nd_ns_build(m, &conf.port[0], peer_ll), -1);
	cr_assert_eq(m->data_len, 0);
	rte_pktmbuf_free(m);
}

/* --- extension headers (RFC 8200 4) --------------------------------------- */

static const uint8_t echo8[8] = {128, 0, 0, 0, 0, 9, 0, 9};

/* a packet with extension headers @p ext (first one @p nh) and an echo
 * request; the answer's type or the drop */
static uint32_t
with_ext(const void *ext, uint32_t n, uint8_t nh, bool mcast)
{
	return pack_icmp6(mcast ? (const uint8_t *)"\x33\x33\0\0\0\x01"
				: (const uint8_t *)IFP_TEST_MAC_US,
			  (const uint8_t *)IFP_TEST_IP6_PEER,
			  mcast ? all_nodes : (const uint8_t *)IFP_TEST_IP6_US, 64,
			  ext, n, nh, echo8, sizeof(echo8));
}

/* a Parameter Problem with @p code and @p ptr about the packet in frame[] */
static void
expect_pp(uint32_t len, uint8_t code, uint32_t ptr)
{
	struct rte_mbuf *r = run(len);
	uint8_t req[2048];
	uint32_t n, got;

	memcpy(req, frame, len);
	n = answer(r, 4);
	cr_assert_eq(out[55], code, "code %u, want %u", out[55], code);
	got = (uint32_t)out[58] << 24 | (uint32_t)out[59] << 16 |
	      (uint32_t)out[60] << 8 | out[61];
	cr_assert_eq(got, ptr, "pointer %u, want %u", got, ptr);
	/* the quote is the packet from its IPv6 header */
	cr_assert_eq(n, 62 + len - 14);
	cr_assert_eq(memcmp(out + 62, req + 14, len - 14), 0);
	cr_assert_eq(lc.st.answers[IFP_ANS_PARAM_PROBLEM6], 1);
	memset(&lc.st, 0, sizeof(lc.st));
}

Test(ipv6, hop_by_hop_options_act_by_their_two_high_bits)
{
	/* Router Alert and PadN are known; 0x1e (00) is skipped */
	uint8_t h[8] = {58, 0, 0x1e, 0, 5, 2, 0, 0};
	struct rte_mbuf *r;

	r = run(with_ext(h, 8, 0, false));
	answer(r, 129);
	memset(&lc.st, 0, sizeof(lc.st));
	h[2] = 0x5e; /* 01: discard */
	expect_drop(with_ext(h, 8, 0, false), IFP_DROP_IP6_OPTION_DISCARD);
	h[2] = 0x9e; /* 10: 4/2 at the option, even to a group */
	expect_pp(with_ext(h, 8, 0, false), 2, 42);
	conf.icmp6.echo_multicast = true;
	expect_pp(with_ext(h, 8, 0, true), 2, 42);
	h[2] = 0xde; /* 11: 4/2, unless to a group */
	expect_pp(with_ext(h, 8, 0, false), 2, 42);
	expect_drop(with_ext(h, 8, 0, true), IFP_DROP_IP6_OPTION_DISCARD);
	/* an option past its header */
	h[2] = 1;
	h[3] = 5;
	expect_drop(with_ext(h, 8, 0, false), IFP_DROP_IP6_EXTHDR);
}

Test(ipv6, the_option_pointer_counts_from_the_ipv6_header)
{
	/* a Destination Options header behind a Hop-by-Hop one, its second
	 * option unknown with 10: at 40 + 8 + 4 */
	uint8_t h[16] = {60, 0, 1, 4, 0, 0, 0, 0, 58, 0, 1, 0, 0x80, 0, 1, 0};

	expect_pp(with_ext(h, 16, 0, false), 2, 52);
}

Test(ipv6, hop_by_hop_anywhere_but_first_is_an_unrecognised_next_header)
{
	uint8_t h[16] = {0, 0, 1, 4, 0, 0, 0, 0, 58, 0, 1, 4, 0, 0, 0, 0};

	/* the Destination Options header's Next Header, at 40 */
	expect_pp(with_ext(h, 16, 60, false), 1, 40);
}

Test(ipv6, routing_headers_are_ignored_with_segments_left_zero_else_4_0_at_the_type)
{
	uint8_t h[24] = {58, 2, 4, 0};
	struct rte_mbuf *r;

	r = run(with_ext(h, 24, 43, false));
	answer(r, 129);
	memset(&lc.st, 0, sizeof(lc.st));
	h[3] = 1; /* type 4 (SRH), one segment left */
	expect_pp(with_ext(h, 24, 43, false), 0, 42);
	h[2] = 0; /* type 0, RFC 5095 */
	expect_pp(with_ext(h, 24, 43, false), 0, 42);
	/* to a group: no error */
	conf.icmp6.echo_multicast = true;
	expect_drop(with_ext(h, 24, 43, true), IFP_DROP_NOERR_BROADCAST);
}

Test(ipv6, an_unknown_upper_layer_gets_4_1_at_its_next_header)
{
	uint8_t h[8] = {99, 0, 1, 4, 0, 0, 0, 0};
	uint32_t len = pack6((const uint8_t *)IFP_TEST_MAC_US,
			     (const uint8_t *)IFP_TEST_IP6_PEER,
			     (const uint8_t *)IFP_TEST_IP6_US, 253, 64, "abcdefgh", 8);

	expect_pp(len, 1, 6);
	len = pack6((const uint8_t *)IFP_TEST_MAC_US, (const uint8_t *)IFP_TEST_IP6_PEER,
		    (const uint8_t *)IFP_TEST_IP6_US, 60, 64, h, 8);
	expect_pp(len, 1, 40);
	/* ESP: no IPsec here */
	len = pack6((const uint8_t *)IFP_TEST_MAC_US, (const uint8_t *)IFP_TEST_IP6_PEER,
		    (const uint8_t *)IFP_TEST_IP6_US, 50, 64, "abcdefgh", 8);
	expect_pp(len, 1, 6);
}

Test(ipv6, no_next_header_truncated_chains_tcp_and_udp)
{
	uint8_t h[8] = {59, 0, 1, 4, 0, 0, 0, 0};
	struct rte_mbuf *r;
	uint32_t len;

	expect_drop(pack6((const uint8_t *)IFP_TEST_MAC_US,
			  (const uint8_t *)IFP_TEST_IP6_PEER,
			  (const uint8_t *)IFP_TEST_IP6_US, 59, 64, "", 0),
		    IFP_DROP_IP6_NO_NEXT_HEADER);
	expect_drop(pack6((const uint8_t *)IFP_TEST_MAC_US,
			  (const uint8_t *)IFP_TEST_IP6_PEER,
			  (const uint8_t *)IFP_TEST_IP6_US, 60, 64, h, 8),
		    IFP_DROP_IP6_NO_NEXT_HEADER);
	h[1] = 1; /* 16 octets claimed, 8 there */
	expect_drop(pack6((const uint8_t *)IFP_TEST_MAC_US,
			  (const uint8_t *)IFP_TEST_IP6_PEER,
			  (const uint8_t *)IFP_TEST_IP6_US, 60, 64, h, 8),
		    IFP_DROP_IP6_EXTHDR);
	expect_drop(pack6((const uint8_t *)IFP_TEST_MAC_US,
			  (const uint8_t *)IFP_TEST_IP6_PEER,
			  (const uint8_t *)IFP_TEST_IP6_US, 0, 64, h, 4),
		    IFP_DROP_IP6_EXTHDR);
	expect_drop(pack6((const uint8_t *)IFP_TEST_MAC_US,
			  (const uint8_t *)IFP_TEST_IP6_PEER,
			  (const uint8_t *)IFP_TEST_IP6_US, 6, 64, "01234567890123456789", 20),
		    IFP_DROP_TCP);
	len = pack6((const uint8_t *)IFP_TEST_MAC_US, (const uint8_t *)IFP_TEST_IP6_PEER,
		    (const uint8_t *)IFP_TEST_IP6_US, 17, 64, "\x80\x00\x00\x09\x00\x0a\x00\x00xy", 10);
	r = run(len);
	answer(r, 1);
	cr_assert_eq(out[55], 4, "port unreachable");
	cr_assert_eq(lc.st.answers[IFP_ANS_PORT_UNREACH6], 1);
}

Test(ipv6, an_atomic_fragment_is_processed_at_once)
{
	/* offset 0, M clear (RFC 6946) */
	uint8_t h[8] = {58, 0, 0, 0, 1, 2, 3, 4};

	answer(run(with_ext(h, 8, 44, false)), 129);
}

Test(ipv6, fragments_without_a_reassembly_table_are_dropped_and_checked)
{
	/* a first fragment (M set) whose chain ends in its middle: 4/3 */
	uint8_t h[16] = {60, 0, 0, 1, 1, 2, 3, 4, 58, 1, 0, 0, 0, 0, 0, 0};
	uint32_t len;

	lc.frag_tbl = NULL;
	expect_drop(with_ext(h, 8, 44, false), IFP_DROP_IP6_FRAGMENT);
	conf.icmp6.reassembly = true;
	/* RFC 7112 is checked before reassembly: needs the table; without
	 * one every fragment is ip6_fragment */
	len = pack6((const uint8_t *)IFP_TEST_MAC_US, (const uint8_t *)IFP_TEST_IP6_PEER,
		    (const uint8_t *)IFP_TEST_IP6_US, 44, 64, h, 16);
	expect_drop(len, IFP_DROP_IP6_FRAGMENT);
}

/* --- errors: the quote, the never-answer rules, extensions ----------------- */

static uint32_t
udp_to_us(uint32_t payload, const uint8_t *dmac)
{
	uint8_t u[2048];

	memset(u, 'u', sizeof(u));
	memcpy(u, "\x80\x00\x00\x09", 4);
	u[4] = (uint8_t)((8 + payload) >> 8);
	u[5] = (uint8_t)(8 + payload);
	u[6] = u[7] = 0;
	return pack6(dmac, (const uint8_t *)IFP_TEST_IP6_PEER,
		     (const uint8_t *)IFP_TEST_IP6_US, 17, 64, u, 8 + payload);
}

Test(ipv6, an_error_quotes_as_much_as_keeps_it_within_1280_bytes)
{
	uint8_t req[2048];
	uint32_t len = udp_to_us(1400, (const uint8_t *)IFP_TEST_MAC_US), n;
	const struct rte_ipv6_hdr *ip = (const void *)(out + 14);

	memcpy(req, frame, len);
	n = answer(run(len), 1);
	cr_assert_eq(n - 14, 1280, "the error is 1280 bytes of IPv6");
	cr_assert_eq(memcmp(out + 62, req + 14, 1280 - 48), 0);
	cr_assert_eq(memcmp(ip->src_addr, IFP_TEST_IP6_US, 16), 0);
	cr_assert_eq(memcmp(ip->dst_addr, IFP_TEST_IP6_PEER, 16), 0);
	cr_assert_eq(ip->hop_limits, 64);
	/* a short one is quoted whole */
	len = udp_to_us(100, (const uint8_t *)IFP_TEST_MAC_US);
	cr_assert_eq(answer(run(len), 1), 14 + 48 + len - 14);
}

Test(ipv6, errors_are_never_sent_about_groups_errors_or_from_unspecified)
{
	uint8_t err[48] = {1, 4, 0, 0, 0, 0, 0, 0, 0x60};
	uint32_t len = udp_to_us(10, (const uint8_t *)"\x33\x33\0\0\0\x01");
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(frame + 14);

	/* to our address, but as link-layer multicast */
	expect_drop(len, IFP_DROP_NOERR_BROADCAST);
	/* to ff02::1 */
	memcpy(ip->dst_addr, all_nodes, 16);
	expect_drop(len, IFP_DROP_NOERR_BROADCAST);
	/* an ICMPv6 error behind a Destination Options header with an
	 * unknown option of type 10: no error about an error */
	{
		uint8_t h[8] = {58, 0, 0x80, 4, 0, 0, 0, 0};

		expect_drop(pack_icmp6((const uint8_t *)IFP_TEST_MAC_US,
				       (const uint8_t *)IFP_TEST_IP6_PEER,
				       (const uint8_t *)IFP_TEST_IP6_US, 64, h, 8, 60, err,
				       sizeof(err)),
			    IFP_DROP_NOERR_ICMP_ERROR);
		/* a redirect, likewise (RFC 4443 2.4(e.2)) */
		err[0] = 137;
		expect_drop(pack_icmp6((const uint8_t *)IFP_TEST_MAC_US,
				       (const uint8_t *)IFP_TEST_IP6_PEER,
				       (const uint8_t *)IFP_TEST_IP6_US, 64, h, 8, 60, err,
				       sizeof(err)),
			    IFP_DROP_NOERR_ICMP_ERROR);
	}
}

Test(ipv6, extensions_carry_the_rfc4884_length_in_64_bit_words_and_an_ipv6_address)
{
	uint32_t len = udp_to_us(20, (const uint8_t *)IFP_TEST_MAC_US), n;
	const uint8_t *eh;

	conf.icmp6.extensions = true;
	n = answer(run(len), 1);
	cr_assert_eq(out[58], 128 / 8, "RFC 4884 length, 64-bit words");
	eh = out + 62 + 128;
	cr_assert_eq(eh[0], 0x20, "extension version 2");
	cr_assert_eq(rte_raw_cksum(eh, n - (62 + 128)), 0xffff);
	/* RFC 5837: class 2, ifIndex 1, AFI 2 and the address answered from */
	cr_assert_eq(eh[6], 2);
	cr_assert_eq(memcmp(eh + 8, "\0\0\0\x01", 4), 0);
	cr_assert_eq(memcmp(eh + 12, "\0\x02\0\0", 4), 0);
	cr_assert_eq(memcmp(eh + 16, IFP_TEST_IP6_US, 16), 0);
	/* Parameter Problem carries none (RFC 4884 4.5) */
	len = pack6((const uint8_t *)IFP_TEST_MAC_US, (const uint8_t *)IFP_TEST_IP6_PEER,
		    (const uint8_t *)IFP_TEST_IP6_US, 253, 64, "abcdefgh", 8);
	expect_pp(len, 1, 6);
}

Test(ipv6, errors_share_the_ratelimit_buckets_keyed_by_the_source_slash_64)
{
	uint32_t len;
	unsigned int sent = 0;

	conf.ratelimit.per_source_per_sec = 1;
	conf.ratelimit.per_source_burst = 3;
	for (unsigned int i = 0; i < 10; i++) {
		struct rte_mbuf *r;
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(frame + 14);

		len = udp_to_us(10, (const uint8_t *)IFP_TEST_MAC_US);
		/* a different /128 each time, one /64 */
		ip->src_addr[15] = (uint8_t)(0x10 + i);
		r = run(len);
		if (r != NULL) {
			sent++;
			rte_pktmbuf_free(r);
		}
	}
	cr_assert_eq(sent, 3);
	cr_assert_eq(lc.st.ratelimited_by[IFP_ANS_PORT_UNREACH6], 7);
}

/* --- transit (issue 11), through the default route: no rte_lpm6, no EAL --- */

/* a UDP probe of @p size bytes of IPv6 to 2001:db8:99::1 */
static uint32_t
transit6(uint8_t hlim, uint32_t size)
{
	static const uint8_t far[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x99, 0, 0,
					0, 0, 0, 0, 0, 0, 0, 1};
	uint8_t u[4096];

	memset(u, 'p', sizeof(u));
	memcpy(u, "\x9c\x40\x82\x9a", 4);
	u[4] = (uint8_t)((size - 40) >> 8);
	u[5] = (uint8_t)(size - 40);
	u[6] = u[7] = 0;
	return pack6((const uint8_t *)IFP_TEST_MAC_US, (const uint8_t *)IFP_TEST_IP6_PEER,
		     far, 17, hlim, u, size - 40);
}

static void
default_route6(uint8_t action, uint16_t arg)
{
	conf.route[0] = (struct ifp_route){.v6 = true, .action = action, .arg = arg,
					   .modem = 7};
	conf.n_routes = 1;
	conf.route_default6 = 0;
}

Test(ipv6, the_default_route_answers_each_code_before_the_hop_limit)
{
	static const uint8_t codes[] = {0, 1, 3, 5, 6};

	for (unsigned int i = 0; i < RTE_DIM(codes); i++) {
		default_route6(IFP_ROUTE_UNREACHABLE, codes[i]);
		answer(run(transit6(1, 100)), 1);
		cr_assert_eq(out[55], codes[i]);
		cr_assert_eq(memcmp(out + 58, "\0\0\0\0", 4), 0, "unused");
	}
	cr_assert_eq(lc.st.answers[IFP_ANS_UNREACH_ROUTE6], RTE_DIM(codes));
}

Test(ipv6, hop_limit_1_or_0_gets_time_exceeded_else_transit)
{
	expect_drop(transit6(2, 100), IFP_DROP_TRANSIT);
	answer(run(transit6(1, 100)), 3);
	cr_assert_eq(out[55], 0);
	answer(run(transit6(0, 100)), 3);
	cr_assert_eq(lc.st.answers[IFP_ANS_TIME_EXCEEDED6], 2);
	/* a route that is not the IPv6 default changes nothing */
	conf.route[0] = (struct ifp_route){.action = IFP_ROUTE_UNREACHABLE};
	conf.n_routes = 1;
	conf.route_default = 0;
	answer(run(transit6(1, 100)), 3);
}

Test(ipv6, packet_too_big_carries_the_mtu_and_at_most_1280_bytes)
{
	uint8_t req[4096];
	uint32_t len, n;

	default_route6(IFP_ROUTE_MTU, 1400);
	expect_drop(transit6(64, 1400), IFP_DROP_TRANSIT);
	len = transit6(64, 1401);
	memcpy(req, frame, len);
	n = answer(run(len), 2);
	cr_assert_eq(out[55], 0);
	cr_assert_eq(memcmp(out + 58, "\0\0\x05\x78", 4), 0, "MTU 1400");
	cr_assert_eq(n - 14, 1280);
	cr_assert_eq(memcmp(out + 62, req + 14, 1232), 0, "the quote, byte for byte");
	/* hop limit first */
	answer(run(transit6(1, 1500)), 3);
	cr_assert_eq(lc.st.answers[IFP_ANS_PKT_TOO_BIG6], 1);
}

Test(ipv6, a_modem_route_is_1_0_while_down_and_its_mtu_floored_at_1280_while_up)
{
	static struct ifp_lpa_view v = {.n = 1, .m = {{.id = 7, .mtu = 1200, .up = 1}}};

	default_route6(IFP_ROUTE_MODEM, 0);
	answer(run(transit6(64, 100)), 1);
	cr_assert_eq(out[55], 0, "never heard: no route");
	cr_assert_eq(lc.st.answers[IFP_ANS_UNREACH_MODEM6], 1);
	lc.lpa = &v;
	expect_drop(transit6(64, 1280), IFP_DROP_TRANSIT);
	answer(run(transit6(64, 1281)), 2);
	cr_assert_eq(memcmp(out + 58, "\0\0\x05\x00", 4), 0, "MTU 1280, not 1200");
	answer(run(transit6(1, 100)), 3);
	v.m[0].mtu = 0;
	expect_drop(transit6(64, 4000), IFP_DROP_TRANSIT);
	v.m[0].up = 0;
	answer(run(transit6(1, 100)), 1);
	lc.lpa = NULL;
}

/* RFC 7739 5.2: the Identification of our fragmented datagrams */
Test(fragid, siphash24_gives_the_reference_vector)
{
	/* SipHash-2-4, key 00 01 .. 0f, message 00 01 .. 07: the eighth of
	 * the reference implementation's vectors (vectors.h) */
	const uint64_t key[2] = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};

	cr_assert_eq(ifp_siphash24_u64(key, 0x0706050403020100ull), 0x93f5f5799a932462ull);
}

Test(fragid, consecutive_ids_show_no_constant_step)
{
	struct ifp_fragid a, b;
	uint32_t id[257], same_step = 0, same_id = 0;

	cr_assert_eq(ifp_fragid_init(&a), 0, "getrandom(2) gave no key");
	ifp_fragid_init(&b);
	cr_assert(a.key[0] != b.key[0] || a.key[1] != b.key[1], "two starts, one key");
	for (unsigned int i = 0; i < RTE_DIM(id); i++)
		id[i] = ifp_fragid_next(&a);
	for (unsigned int i = 2; i < RTE_DIM(id); i++) {
		same_step += id[i] - id[i - 1] == id[i - 1] - id[i - 2];
		same_id += id[i] == id[i - 1];
	}
	/* 255 steps of 2^32 possible values: by chance, none repeats */
	cr_assert_lt(same_step, 2, "%u repeated steps", same_step);
	cr_assert_lt(same_id, 2);
	/* a fixed seed (icmpfp-replay) gives the same IDs, still no step */
	ifp_fragid_seed_set(&a, 0);
	ifp_fragid_seed_set(&b, 0);
	for (unsigned int i = 0; i < 3; i++) {
		id[i] = ifp_fragid_next(&a);
		cr_assert_eq(id[i], ifp_fragid_next(&b));
	}
	cr_assert_neq(id[1] - id[0], id[2] - id[1]);
}

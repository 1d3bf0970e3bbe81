/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fast path on mbufs built without EAL: answers checked field by field,
 * each drop reason provoked once, and every mbuf accounted for.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "fixtures.h"
#include "ifp_cksum.h"
#include "ifp_arp.h"
#include "ifp_mbuf.h"
#include "ifp_proc.h"
#include "ifp_test.h"

static struct rte_mempool *mp;
static struct ifp_conf conf;
static struct ifp_lcore lc;
static uint8_t frame[4096];
static uint8_t out[4096];

static void
setup(void)
{
	mp = ifp_test_pool_create(512, 2048);
	ifp_test_conf(&conf);
	ifp_lcore_init(&lc, &conf, 0, 1);
}

static void
teardown(void)
{
	cr_assert_eq(ifp_test_pool_in_use(mp), 0, "mbufs leaked");
	ifp_test_pool_free(mp);
}

TestSuite(proc, .init = setup, .fini = teardown);

/* the conservation law of the design, after every test */
static void
assert_counters_add_up(void)
{
	cr_assert_eq(lc.st.rx, lc.st.answered + lc.st.ratelimited +
				       ifp_stats_dropped_total(&lc.st));
}

static struct rte_mbuf *
run(const void *data, uint32_t len, uint32_t seg)
{
	struct rte_mbuf *m = ifp_test_mbuf(mp, data, len, seg);
	struct rte_mbuf *r = ifp_test_run1(&lc, m);

	assert_counters_add_up();
	return r;
}

/* The frame @p data, changed by @p mutate, must be dropped for @p reason. */
static void
expect_drop(const uint8_t *data, uint32_t len, enum ifp_drop reason)
{
	struct rte_mbuf *r = run(data, len, 0);

	cr_assert_null(r, "%s: answered", ifp_drop_name(reason));
	cr_assert_eq(ifp_test_only_drop(&lc.st), (int)reason,
		     "expected %s", ifp_drop_name(reason));
	memset(&lc.st, 0, sizeof(lc.st));
}

static void
check_echo_reply(const uint8_t *req, uint32_t len, uint32_t l3,
		 const uint8_t *rep, uint32_t rlen)
{
	const struct rte_ipv4_hdr *qi = (const void *)(req + l3);
	const struct rte_ipv4_hdr *ri = (const void *)(rep + l3);
	uint32_t ihl = 20;

	cr_assert_eq(rlen, len);
	/* MACs swapped, VLAN tag and ethertype kept */
	cr_assert_eq(memcmp(rep, req + 6, 6), 0);
	cr_assert_eq(memcmp(rep + 6, IFP_TEST_MAC_US, 6), 0);
	cr_assert_eq(memcmp(rep + 12, req + 12, l3 - 12), 0);
	/* addresses swapped, TTL = reply_ttl, checksum fresh and good */
	cr_assert_eq(ri->src_addr, qi->dst_addr);
	cr_assert_eq(ri->dst_addr, qi->src_addr);
	cr_assert_eq(ri->time_to_live, conf.icmp.reply_ttl);
	cr_assert_eq(ri->total_length, qi->total_length);
	cr_assert_eq(rte_raw_cksum(ri, ihl), 0xffff);
	/* type 0, code 0, identifier, sequence and data unchanged */
	cr_assert_eq(rep[l3 + ihl], 0);
	cr_assert_eq(rep[l3 + ihl + 1], 0);
	cr_assert_eq(memcmp(rep + l3 + ihl + 4, req + l3 + ihl + 4,
			    len - l3 - ihl - 4), 0);
	cr_assert_eq(rte_raw_cksum(rep + l3 + ihl, len - l3 - ihl), 0xffff);
}

Test(proc, echo_request_becomes_echo_reply_in_the_same_mbuf)
{
	struct rte_mbuf *m = ifp_test_mbuf(mp, fx_echo_req, sizeof(fx_echo_req), 0);
	struct rte_mbuf *r = ifp_test_run1(&lc, m);
	uint32_t n;

	cr_assert_eq(r, m);
	n = ifp_test_mbuf_read(r, out, sizeof(out));
	check_echo_reply(fx_echo_req, sizeof(fx_echo_req), 14, out, n);
	cr_assert_eq(lc.st.answers[IFP_ANS_ECHO], 1);
	cr_assert_eq(lc.st.answered, 1);
	assert_counters_add_up();
	rte_pktmbuf_free(r);
}

Test(proc, echo_reply_keeps_the_vlan_tag)
{
	struct rte_mbuf *r = run(fx_echo_req_vlan, sizeof(fx_echo_req_vlan), 0);
	uint32_t n;

	cr_assert_not_null(r);
	n = ifp_test_mbuf_read(r, out, sizeof(out));
	check_echo_reply(fx_echo_req_vlan, sizeof(fx_echo_req_vlan), 18, out, n);
	cr_assert_eq(out[12], 0x81);
	cr_assert_eq(out[13], 0x00);
	cr_assert_eq(r->l2_len, 18);
	rte_pktmbuf_free(r);
}

Test(proc, echo_reply_source_is_the_address_pinged)
{
	struct rte_mbuf *r = run(fx_echo_req_vlan, sizeof(fx_echo_req_vlan), 0);
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(r, void *, 18);

	cr_assert_eq(ip->src_addr, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 9)));
	rte_pktmbuf_free(r);
}

/* and leaves as one direct mbuf of the pool: what a fast-free TX queue
 * may take (ifp_mbuf_tx_contract()) */
Test(proc, multi_segment_echo_is_verified_and_answered_in_one_direct_mbuf)
{
	for (uint32_t seg = 34 + 8; seg < 600; seg += 37) {
		struct rte_mbuf *r = run(fx_echo_req_big, sizeof(fx_echo_req_big), seg);
		uint32_t n;

		cr_assert_not_null(r, "segment size %u", seg);
		cr_assert_null(ifp_mbuf_tx_contract(r, mp), "segment size %u: %s", seg,
			       ifp_mbuf_tx_contract(r, mp));
		n = ifp_test_mbuf_read(r, out, sizeof(out));
		check_echo_reply(fx_echo_req_big, sizeof(fx_echo_req_big), 14, out, n);
		rte_pktmbuf_free(r);
	}
}

/* the answer must be copied into one mbuf of the port's pool, and that
 * pool is dry: a named drop, nothing leaked, the counters add up */
Test(proc, an_answer_that_cannot_get_an_mbuf_is_dropped_as_no_mbuf)
{
	struct rte_mempool *dry = ifp_test_pool_create(1, 2048);
	struct rte_mbuf *hold = rte_pktmbuf_alloc(dry);

	cr_assert_not_null(hold);
	lc.tx_pool[0] = dry;
	cr_assert_null(run(fx_echo_req_big, sizeof(fx_echo_req_big), 100));
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_NO_MBUF);
	/* one direct mbuf of the port's pool is taken as it is */
	rte_pktmbuf_free(hold);
	lc.tx_pool[0] = mp;
	memset(&lc.st, 0, sizeof(lc.st));
	hold = run(fx_echo_req, sizeof(fx_echo_req), 0);
	cr_assert_not_null(hold);
	cr_assert_null(ifp_mbuf_tx_contract(hold, mp));
	rte_pktmbuf_free(hold);
	lc.tx_pool[0] = NULL;
	cr_assert_eq(ifp_test_pool_in_use(dry), 0);
	ifp_test_pool_free(dry);
}

Test(proc, bad_icmp_checksum_in_a_later_segment_is_caught)
{
	memcpy(frame, fx_echo_req_big, sizeof(fx_echo_req_big));
	frame[sizeof(fx_echo_req_big) - 3] ^= 0x40;
	cr_assert_null(run(frame, sizeof(fx_echo_req_big), 100));
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_ICMP_CHECKSUM);
}

Test(proc, headers_split_across_segments_are_dropped_not_read)
{
	expect_drop(fx_echo_req, 0, IFP_DROP_L2_RUNT);
	for (uint32_t seg = 1; seg < 14 + 20 + 8; seg++) {
		cr_assert_null(run(fx_echo_req, sizeof(fx_echo_req), seg));
		cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_L2_SPLIT_HEADER,
			     "segment %u", seg);
		memset(&lc.st, 0, sizeof(lc.st));
	}
}

Test(proc, ethernet_padding_is_trimmed_from_the_reply)
{
	uint32_t len = sizeof(fx_echo_req);
	struct rte_mbuf *r;

	memcpy(frame, fx_echo_req, len);
	memset(frame + len, 0xee, 20);
	r = run(frame, len + 20, 0);
	cr_assert_not_null(r);
	cr_assert_eq(r->pkt_len, len);
	rte_pktmbuf_free(r);
}

Test(proc, padding_spanning_segments_is_trimmed)
{
	uint32_t len = sizeof(fx_echo_req);
	struct rte_mbuf *r;

	memcpy(frame, fx_echo_req, len);
	memset(frame + len, 0, 300);
	r = run(frame, len + 300, 80);
	cr_assert_not_null(r);
	cr_assert_eq(r->pkt_len, len);
	cr_assert_eq(rte_pktmbuf_pkt_len(r), len);
	cr_assert_eq(r->nb_segs, 1);
	rte_pktmbuf_free(r);
}

Test(proc, arp_request_for_our_address_gets_a_reply_in_place)
{
	struct rte_mbuf *r = run(fx_arp_req, sizeof(fx_arp_req), 0);
	const struct rte_ether_hdr *eth;
	const struct rte_arp_hdr *arp;

	cr_assert_not_null(r);
	eth = rte_pktmbuf_mtod(r, void *);
	arp = (const void *)(eth + 1);
	cr_assert_eq(memcmp(&eth->dst_addr, IFP_TEST_MAC_PEER, 6), 0);
	cr_assert_eq(memcmp(&eth->src_addr, IFP_TEST_MAC_US, 6), 0);
	cr_assert_eq(arp->arp_opcode, RTE_BE16(RTE_ARP_OP_REPLY));
	cr_assert_eq(memcmp(&arp->arp_data.arp_sha, IFP_TEST_MAC_US, 6), 0);
	cr_assert_eq(memcmp(&arp->arp_data.arp_tha, IFP_TEST_MAC_PEER, 6), 0);
	cr_assert_eq(arp->arp_data.arp_sip, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 9)));
	cr_assert_eq(arp->arp_data.arp_tip, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 2)));
	cr_assert_eq(lc.st.answers[IFP_ANS_ARP], 1);
	rte_pktmbuf_free(r);
}

Test(proc, arp_that_is_not_a_request_for_us_is_dropped_by_reason)
{
	const uint32_t len = sizeof(fx_arp_req), a = 14;

	memcpy(frame, fx_arp_req, len);
	frame[a + 7] = RTE_ARP_OP_REPLY;
	expect_drop(frame, len, IFP_DROP_ARP_NOT_REQUEST);

	memcpy(frame, fx_arp_req, len);
	frame[a + 27] = 77; /* target 192.0.2.77 */
	expect_drop(frame, len, IFP_DROP_ARP_NOT_OURS);

	memcpy(frame, fx_arp_req, len);
	frame[a + 4] = 8; /* hardware address length */
	expect_drop(frame, len, IFP_DROP_ARP_FORMAT);

	memcpy(frame, fx_arp_req, len);
	frame[a + 3] = 0xdd; /* protocol 0x08dd */
	expect_drop(frame, len, IFP_DROP_ARP_FORMAT);

	expect_drop(fx_arp_req, 14 + 27, IFP_DROP_ARP_TRUNCATED);
}

/* The mutations of an echo request that RFC 1812 5.2.2 and the design
 * require us to drop, each with the reason it must be counted under. */
Test(proc, every_ipv4_and_icmp_drop_reason_is_counted_once)
{
	const uint32_t len = sizeof(fx_echo_req), l3 = 14;
	struct rte_ipv4_hdr *ip = (void *)(frame + l3);

#define RESET() memcpy(frame, fx_echo_req, len)
	RESET();
	frame[0] = 0x02, frame[5] = 0x77;
	expect_drop(frame, len, IFP_DROP_L2_OTHER_MAC);
	RESET();
	frame[0] = 0x01, frame[1] = 0x00, frame[2] = 0x5e;
	expect_drop(frame, len, IFP_DROP_L2_OTHER_MAC);
	RESET();
	frame[12] = 0x88, frame[13] = 0xcc; /* LLDP */
	expect_drop(frame, len, IFP_DROP_L2_ETHERTYPE);
	RESET();
	frame[12] = 0x88, frame[13] = 0xa8;
	expect_drop(frame, len, IFP_DROP_L2_QINQ);
	expect_drop(fx_echo_req, 13, IFP_DROP_L2_RUNT);
	expect_drop(fx_echo_req, 14 + 19, IFP_DROP_IP_RUNT);

	RESET();
	ip->version_ihl = 0x65;
	ifp_test_ipv4_cksum_fix(frame, l3);
	expect_drop(frame, len, IFP_DROP_IP_VERSION);
	RESET();
	ip->version_ihl = 0x44;
	expect_drop(frame, len, IFP_DROP_IP_IHL);
	RESET();
	ip->version_ihl = 0x4f; /* 60 bytes of header in a shorter frame */
	expect_drop(frame, 14 + 40, IFP_DROP_IP_IHL);
	RESET();
	ip->total_length = RTE_BE16(19);
	ifp_test_ipv4_cksum_fix(frame, l3);
	expect_drop(frame, len, IFP_DROP_IP_TOTAL_LENGTH);
	RESET();
	ip->total_length = rte_cpu_to_be_16(len - 14 + 1);
	ifp_test_ipv4_cksum_fix(frame, l3);
	expect_drop(frame, len, IFP_DROP_IP_TOTAL_LENGTH);
	RESET();
	ip->hdr_checksum ^= 0x0100;
	expect_drop(frame, len, IFP_DROP_IP_CHECKSUM);

	static const uint32_t martians[] = {
		IFP_TEST_IPV4(0, 0, 0, 0), IFP_TEST_IPV4(127, 0, 0, 1), IFP_TEST_IPV4(224, 0, 0, 5),
		IFP_TEST_IPV4(240, 1, 2, 3), IFP_TEST_IPV4(255, 255, 255, 255),
	};
	for (unsigned int i = 0; i < RTE_DIM(martians); i++) {
		RESET();
		ip->src_addr = rte_cpu_to_be_32(martians[i]);
		ifp_test_ipv4_cksum_fix(frame, l3);
		expect_drop(frame, len, IFP_DROP_IP_MARTIAN_SRC);
	}

	RESET();
	ip->dst_addr = RTE_BE32(IFP_TEST_IPV4(224, 0, 0, 1));
	ifp_test_ipv4_cksum_fix(frame, l3);
	expect_drop(frame, len, IFP_DROP_IP_DST_MULTICAST);
	RESET();
	ip->dst_addr = RTE_BE32(IFP_TEST_IPV4(198, 51, 100, 1));
	ifp_test_ipv4_cksum_fix(frame, l3);
	expect_drop(frame, len, IFP_DROP_TRANSIT);
	RESET();
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
	ifp_test_ipv4_cksum_fix(frame, l3);
	expect_drop(frame, len, IFP_DROP_IP_FRAGMENT);

	RESET();
	ip->total_length = RTE_BE16(20 + 7);
	ifp_test_ipv4_cksum_fix(frame, l3);
	expect_drop(frame, 14 + 27, IFP_DROP_ICMP_RUNT);
	RESET();
	frame[len - 1] ^= 1;
	expect_drop(frame, len, IFP_DROP_ICMP_CHECKSUM);

	static const struct {
		uint8_t type;
		enum ifp_drop reason;
	} types[] = {
		{0, IFP_DROP_ICMP_REPLY_TO_US}, {3, IFP_DROP_ICMP_ERROR_TO_US},
		{4, IFP_DROP_ICMP_ERROR_TO_US}, {5, IFP_DROP_ICMP_ERROR_TO_US},
		{11, IFP_DROP_ICMP_ERROR_TO_US}, {12, IFP_DROP_ICMP_ERROR_TO_US},
		{14, IFP_DROP_ICMP_REPLY_TO_US}, {15, IFP_DROP_ICMP_INFO_REQUEST},
		{16, IFP_DROP_ICMP_REPLY_TO_US}, {18, IFP_DROP_ICMP_REPLY_TO_US},
		{43, IFP_DROP_ICMP_REPLY_TO_US}, {99, IFP_DROP_ICMP_UNKNOWN_TYPE},
		{255, IFP_DROP_ICMP_UNKNOWN_TYPE},
	};
	for (unsigned int i = 0; i < RTE_DIM(types); i++) {
		RESET();
		frame[l3 + 20] = types[i].type;
		ifp_test_icmp_cksum_fix(frame, l3);
		expect_drop(frame, len, types[i].reason);
	}
#undef RESET
}

Test(proc, tcp_to_us_is_dropped_udp_and_other_protocols_get_unreachables)
{
	struct rte_mbuf *r;
	uint32_t n;

	expect_drop(fx_tcp_to_us, sizeof(fx_tcp_to_us), IFP_DROP_TCP);

	r = run(fx_udp_to_us, sizeof(fx_udp_to_us), 0);
	cr_assert_not_null(r);
	n = ifp_test_mbuf_read(r, out, sizeof(out));
	/* Ethernet + IP + ICMP 3/3 + the whole 40-byte datagram quoted */
	cr_assert_eq(n, 14 + 20 + 8 + sizeof(fx_udp_to_us) - 14);
	cr_assert_eq(out[34], 3);
	cr_assert_eq(out[35], 3);
	cr_assert_eq(memcmp(out + 42, fx_udp_to_us + 14, sizeof(fx_udp_to_us) - 14), 0);
	cr_assert_eq(lc.st.answers[IFP_ANS_PORT_UNREACH], 1);
	rte_pktmbuf_free(r);

	memcpy(frame, fx_udp_to_us, sizeof(fx_udp_to_us));
	frame[14 + 9] = 47; /* GRE */
	ifp_test_ipv4_cksum_fix(frame, 14);
	r = run(frame, sizeof(fx_udp_to_us), 0);
	cr_assert_not_null(r);
	cr_assert_eq(rte_pktmbuf_mtod_offset(r, uint8_t *, 34)[0], 3);
	cr_assert_eq(rte_pktmbuf_mtod_offset(r, uint8_t *, 34)[1], 2);
	rte_pktmbuf_free(r);
}

Test(proc, echo_off_drops_echo_requests)
{
	conf.icmp.echo = false;
	expect_drop(fx_echo_req, sizeof(fx_echo_req), IFP_DROP_ICMP_DISABLED);
}

Test(proc, broadcast_echo_is_answered_only_with_echo_broadcast_on)
{
	struct rte_mbuf *r;
	const struct rte_ipv4_hdr *ip;

	expect_drop(fx_echo_req_bcast, sizeof(fx_echo_req_bcast),
		    IFP_DROP_IP_DST_BROADCAST);
	conf.icmp.echo_broadcast = true;
	r = run(fx_echo_req_bcast, sizeof(fx_echo_req_bcast), 0);
	cr_assert_not_null(r);
	ip = rte_pktmbuf_mtod_offset(r, void *, 14);
	/* answered from the subnet's own address, never from the broadcast */
	cr_assert_eq(ip->src_addr, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 1)));
	rte_pktmbuf_free(r);
}

Test(proc, rx_checksum_flags_of_the_pmd_are_trusted)
{
	struct rte_mbuf *m = ifp_test_mbuf(mp, fx_echo_req, sizeof(fx_echo_req), 0);

	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_BAD;
	cr_assert_null(ifp_test_run1(&lc, m));
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_IP_CHECKSUM);

	memcpy(frame, fx_echo_req, sizeof(fx_echo_req));
	frame[14 + 10] ^= 0xff; /* a bad checksum the PMD vouched for */
	m = ifp_test_mbuf(mp, frame, sizeof(fx_echo_req), 0);
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	m = ifp_test_run1(&lc, m);
	cr_assert_not_null(m);
	/* never summed here, so never updated: the reply's is computed */
	cr_assert_eq(rte_raw_cksum(rte_pktmbuf_mtod_offset(m, void *, 14), 20), 0xffff,
		     "fast path");
	rte_pktmbuf_free(m);

	memcpy(frame, fx_echo_req_vlan, sizeof(fx_echo_req_vlan));
	frame[18 + 10] ^= 0xff;
	m = ifp_test_mbuf(mp, frame, sizeof(fx_echo_req_vlan), 0);
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	m = ifp_test_run1(&lc, m);
	cr_assert_not_null(m);
	cr_assert_eq(rte_raw_cksum(rte_pktmbuf_mtod_offset(m, void *, 18), 20), 0xffff,
		     "scalar path");
	rte_pktmbuf_free(m);
}

Test(proc, tx_checksum_offload_leaves_the_checksum_to_the_port)
{
	struct rte_mbuf *r;

	conf.port[0].flags |= IFP_PORT_TX_IPV4_CKSUM;
	r = run(fx_echo_req, sizeof(fx_echo_req), 0);
	cr_assert_not_null(r);
	cr_assert(r->ol_flags & RTE_MBUF_F_TX_IP_CKSUM);
	cr_assert(r->ol_flags & RTE_MBUF_F_TX_IPV4);
	cr_assert_eq(r->l2_len, 14);
	cr_assert_eq(r->l3_len, 20);
	cr_assert_eq(rte_pktmbuf_mtod_offset(r, struct rte_ipv4_hdr *, 14)->hdr_checksum, 0);
	rte_pktmbuf_free(r);
}

/* echo, TCP to us, ARP request, a runt, echo with a tag, UDP to us */
static void
mixed_burst(struct rte_mbuf **pkts)
{
	pkts[0] = ifp_test_mbuf(mp, fx_echo_req, sizeof(fx_echo_req), 0);
	pkts[1] = ifp_test_mbuf(mp, fx_tcp_to_us, sizeof(fx_tcp_to_us), 0);
	pkts[2] = ifp_test_mbuf(mp, fx_arp_req, sizeof(fx_arp_req), 0);
	pkts[3] = ifp_test_mbuf(mp, fx_echo_req, 10, 0);
	pkts[4] = ifp_test_mbuf(mp, fx_echo_req_vlan, sizeof(fx_echo_req_vlan), 0);
	pkts[5] = ifp_test_mbuf(mp, fx_udp_to_us, sizeof(fx_udp_to_us), 0);
}

Test(proc, a_mixed_burst_keeps_order_and_counts)
{
	struct rte_mbuf *pkts[6];
	uint16_t n;

	mixed_burst(pkts);
	struct rte_mbuf *want[] = {pkts[0], pkts[2], pkts[4], pkts[5]};
	struct rte_mbuf *tx_big[IFP_TX_MAX];

	n = ifp_process_burst(&lc, pkts, 6, tx_big);
	cr_assert_eq(n, 4);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(tx_big[i], want[i]);
	cr_assert_eq(lc.st.rx, 6);
	cr_assert_eq(lc.st.answered, 4);
	cr_assert_eq(ifp_stats_dropped_total(&lc.st), 2);
	rte_pktmbuf_free_bulk(tx_big, n);
	return;
}

Test(proc, tx_refused_by_the_port_moves_answers_to_tx_full)
{
	struct rte_mbuf *pkts[4], *tx[IFP_TX_MAX];
	uint16_t n;

	for (int i = 0; i < 4; i++)
		pkts[i] = ifp_test_mbuf(mp, fx_echo_req, sizeof(fx_echo_req), 0);
	n = ifp_process_burst(&lc, pkts, 4, tx);
	cr_assert_eq(n, 4);
	rte_pktmbuf_free_bulk(tx, 1); /* as if the PMD sent the first */
	ifp_tx_account(&lc, tx, n, 1);
	cr_assert_eq(lc.st.tx, 1);
	cr_assert_eq(lc.st.answered, 1);
	cr_assert_eq(lc.st.dropped[IFP_DROP_TX_FULL], 3);
	assert_counters_add_up();
}

Test(proc, garp_announces_each_address)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	const struct rte_ether_hdr *eth;
	const struct rte_arp_hdr *arp;

	cr_assert_eq(ifp_garp_build(m, &conf.port[0], conf.port[0].addr[1].ip), 0);
	cr_assert_eq(m->pkt_len, 60);
	eth = rte_pktmbuf_mtod(m, void *);
	arp = (const void *)(eth + 1);
	cr_assert(rte_is_broadcast_ether_addr(&eth->dst_addr));
	cr_assert_eq(memcmp(&eth->src_addr, IFP_TEST_MAC_US, 6), 0);
	cr_assert_eq(eth->ether_type, RTE_BE16(RTE_ETHER_TYPE_ARP));
	cr_assert_eq(arp->arp_opcode, RTE_BE16(RTE_ARP_OP_REQUEST));
	cr_assert_eq(arp->arp_data.arp_sip, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 9)));
	cr_assert_eq(arp->arp_data.arp_tip, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 9)));
	cr_assert(rte_is_zero_ether_addr(&arp->arp_data.arp_tha));
	/* a used mbuf is refused */
	cr_assert_eq(ifp_garp_build(m, &conf.port[0], 0), -1);
	rte_pktmbuf_free(m);
}

/* --- the packet trace through the fast path (docs/trace.md) ------------- */

static struct ifp_trace_buf tb;

static void
trace_arm(uint64_t n)
{
	ifp_trace_init(&tb, 0);
	lc.trace = &tb;
	ifp_trace_arm(&tb, n, NULL);
}

/* record @p id: its outcome, result name and steps "a|b|c" */
static void
assert_rec(uint64_t id, enum ifp_trace_outcome o, const char *result,
	   const char *steps)
{
	struct ifp_trace_rec r;
	char got[512] = "";

	cr_assert_eq(ifp_trace_get(&tb, id, &r), 0, "record %lu", (unsigned long)id);
	for (unsigned int i = 0; i < r.n_steps; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
			 i ? "|" : "", ifp_trace_step_text(&r, i));
	cr_assert_eq(r.outcome, o, "record %lu: %s", (unsigned long)id,
		     ifp_trace_outcome_name(r.outcome));
	cr_assert_str_eq(ifp_trace_result_name(&r), result);
	cr_assert_str_eq(got, steps, "record %lu: %s", (unsigned long)id, got);
	cr_assert_eq(r.frame, id, "frames numbered as received");
}

Test(proc, a_traced_burst_records_each_frame_its_steps_and_its_end)
{
	struct rte_mbuf *pkts[6], *tx[IFP_TX_MAX];
	uint64_t first, last;
	uint16_t n;

	trace_arm(100);
	mixed_burst(pkts);
	n = ifp_process_burst(&lc, pkts, 6, tx);
	cr_assert_eq(n, 4);
	/* nothing is readable before the TX is accounted */
	ifp_trace_ids(&tb, &first, &last);
	cr_assert_gt(first, last);
	rte_pktmbuf_free_bulk(tx, n);
	ifp_tx_account(&lc, tx, n, n);
	ifp_trace_ids(&tb, &first, &last);
	cr_assert_eq(first, 1);
	cr_assert_eq(last, 6);
	assert_rec(1, IFP_TRACE_ANSWERED, "echo_reply", "l2: ours|ipv4: ok|icmp: echo request");
	assert_rec(2, IFP_TRACE_DROPPED, "tcp", "l2: ours|ipv4: ok");
	assert_rec(3, IFP_TRACE_ANSWERED, "arp_reply", "l2: broadcast|arp: request for 192.0.2.9");
	assert_rec(4, IFP_TRACE_DROPPED, "l2_runt", "");
	assert_rec(5, IFP_TRACE_ANSWERED, "echo_reply",
		   "l2: ours, vlan 42|ipv4: ok|icmp: echo request");
	assert_rec(6, IFP_TRACE_ANSWERED, "port_unreachable", "l2: ours|ipv4: ok|udp: no listener");
	assert_counters_add_up();
}

Test(proc, a_traced_answer_the_port_refused_ends_as_tx_full)
{
	struct rte_mbuf *pkts[4], *tx[IFP_TX_MAX];
	uint16_t n;

	trace_arm(100);
	for (int i = 0; i < 4; i++)
		pkts[i] = ifp_test_mbuf(mp, fx_echo_req, sizeof(fx_echo_req), 0);
	n = ifp_process_burst(&lc, pkts, 4, tx);
	rte_pktmbuf_free_bulk(tx, 1); /* as if the PMD sent the first */
	ifp_tx_account(&lc, tx, n, 1);
	assert_rec(1, IFP_TRACE_ANSWERED, "echo_reply", "l2: ours|ipv4: ok|icmp: echo request");
	for (uint64_t id = 2; id <= 4; id++)
		assert_rec(id, IFP_TRACE_DROPPED, "tx_full",
			   "l2: ours|ipv4: ok|icmp: echo request|tx: queue full");
	cr_assert_eq(lc.st.dropped[IFP_DROP_TX_FULL], 3);
	assert_counters_add_up();
}

Test(proc, the_trace_disarms_after_its_frames_and_echoes_go_back_to_the_fast_path)
{
	struct rte_mbuf *pkts[4], *tx[IFP_TX_MAX], **out;
	uint64_t first, last;
	uint16_t n;

	trace_arm(3);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 4; i++)
			pkts[i] = ifp_test_mbuf(mp, fx_echo_req, sizeof(fx_echo_req), 0);
		n = ifp_process_burst_out(&lc, pkts, 4, tx, &out);
		cr_assert_eq(n, 4);
		/* traced: frame by frame into tx; disarmed: the echo fast
		 * path answers the burst where it lies */
		cr_assert_eq(out == pkts, round == 1, "round %d", round);
		rte_pktmbuf_free_bulk(out, n);
		ifp_tx_account(&lc, out, n, n);
	}
	ifp_trace_ids(&tb, &first, &last);
	cr_assert_eq(last, 3, "three frames armed, three kept");
	cr_assert_eq(ifp_trace_left(&tb), 0);
	cr_assert_eq(lc.st.answers[IFP_ANS_ECHO], 8);
	assert_counters_add_up();
}

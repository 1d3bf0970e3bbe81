/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The answers of issue 3 crafted in place, on mbufs built without EAL:
 * ICMP errors and their quotes, RFC 4884/5837 extensions, IP options,
 * timestamp, address mask, PROBE, and reply fragmentation.
 * (Routes need rte_lpm, hence EAL: they are covered by the replay tests.)
 */
#include <string.h>

#include <criterion/criterion.h>
#include <rte_ip.h>

#include "fixtures.h"
#include "ifp_proc.h"
#include "ifp_test.h"

static struct rte_mempool *mp, *ind;
static struct ifp_conf conf;
static struct ifp_lcore lc;
static uint8_t frame[9000], out[9000];

static void
setup(void)
{
	mp = ifp_test_pool_create(512, 2048);
	ind = ifp_test_pool_create(64, 0);
	ifp_test_conf(&conf);
	ifp_lcore_init(&lc, &conf, 0, 1);
	lc.indirect_pool = ind;
	/* 2026-11-21 12:00:01.234 UT */
	lc.now_ns = 1795262401234000000ull;
}

static void
teardown(void)
{
	cr_assert_eq(ifp_test_pool_in_use(mp), 0, "mbufs leaked");
	cr_assert_eq(ifp_test_pool_in_use(ind), 0, "indirect mbufs leaked");
	ifp_test_pool_free(mp);
	ifp_test_pool_free(ind);
}

TestSuite(answers, .init = setup, .fini = teardown);

/* run a frame, return the answer's bytes in out[] and its length */
static uint32_t
answer(const void *data, uint32_t len)
{
	struct rte_mbuf *r = ifp_test_run1(&lc, ifp_test_mbuf(mp, data, len, 0));
	uint32_t n;

	cr_assert_eq(lc.st.rx, lc.st.answered + lc.st.ratelimited +
				       ifp_stats_dropped_total(&lc.st));
	if (r == NULL)
		return 0;
	n = ifp_test_mbuf_read(r, out, sizeof(out));
	rte_pktmbuf_free(r);
	return n;
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* the common shape of an error: IP from our first address to the sender,
 * both checksums good; returns the ICMP message length */
static uint32_t
check_error(uint32_t n, uint8_t type, uint8_t code, const uint8_t *req)
{
	const uint8_t *ip = out + 14, *icmp = out + 34;
	uint32_t ip_len = be16(ip + 2);

	cr_assert_eq(n, 14 + ip_len);
	cr_assert_eq(memcmp(out, req + 6, 6), 0, "to the sender's MAC");
	cr_assert_eq(memcmp(out + 6, IFP_TEST_MAC_US, 6), 0);
	cr_assert_eq(ip[0], 0x45);
	cr_assert_eq(ip[8], conf.icmp.reply_ttl);
	cr_assert_eq(ip[9], 1);
	cr_assert_eq(be32(ip + 12), IFP_TEST_IPV4(192, 0, 2, 1), "P's first address");
	cr_assert_eq(memcmp(ip + 16, req + 14 + 12, 4), 0, "back to the source");
	cr_assert_eq(rte_raw_cksum(ip, 20), 0xffff);
	cr_assert_eq(icmp[0], type);
	cr_assert_eq(icmp[1], code);
	cr_assert_eq(rte_raw_cksum(icmp, ip_len - 20), 0xffff);
	return ip_len - 20;
}

Test(answers, ttl_1_transit_gets_time_exceeded_quoting_the_datagram)
{
	const uint32_t len = sizeof(fx_udp_ttl1_transit);
	uint32_t n = answer(fx_udp_ttl1_transit, len);
	uint32_t icmp_len = check_error(n, 11, 0, fx_udp_ttl1_transit);

	cr_assert_eq(icmp_len, 8 + len - 14, "the whole short datagram quoted");
	cr_assert_eq(memcmp(out + 42, fx_udp_ttl1_transit + 14, len - 14), 0,
		     "quoted byte for byte");
	cr_assert_eq(be32(out + 38), 0, "unused, no RFC 4884 length");
	cr_assert_eq(out[15], 0xc0 | (0x28 & 0x1e), "precedence 6, the TOS bits kept");
	cr_assert_eq(lc.st.answers[IFP_ANS_TIME_EXCEEDED], 1);
}

Test(answers, an_error_about_a_big_datagram_is_exactly_576_bytes_of_ip)
{
	uint32_t n = answer(fx_udp_big_to_us, sizeof(fx_udp_big_to_us));

	check_error(n, 3, 3, fx_udp_big_to_us);
	cr_assert_eq(n - 14, 576);
	cr_assert_eq(memcmp(out + 42, fx_udp_big_to_us + 14, 576 - 28), 0);
}

Test(answers, an_error_in_a_multi_segment_mbuf_quotes_across_segments)
{
	struct rte_mbuf *r = ifp_test_run1(&lc, ifp_test_mbuf(mp, fx_udp_big_to_us,
							     sizeof(fx_udp_big_to_us), 100));
	uint32_t n;

	cr_assert_not_null(r);
	n = ifp_test_mbuf_read(r, out, sizeof(out));
	rte_pktmbuf_free(r);
	check_error(n, 3, 3, fx_udp_big_to_us);
	cr_assert_eq(n - 14, 576);
	cr_assert_eq(memcmp(out + 42, fx_udp_big_to_us + 14, 576 - 28), 0);
}

Test(answers, extensions_add_rfc4884_length_and_an_rfc5837_object)
{
	uint32_t n, icmp_len;
	const uint8_t *icmp = out + 34, *ext, *obj;

	conf.icmp.extensions = true;
	n = answer(fx_udp_ttl1_transit, sizeof(fx_udp_ttl1_transit));
	icmp_len = check_error(n, 11, 0, fx_udp_ttl1_transit);
	/* RFC 4884: original datagram field padded to 128, length in words */
	cr_assert_eq(icmp[5], 128 / 4);
	cr_assert_eq(memcmp(icmp + 8, fx_udp_ttl1_transit + 14,
			    sizeof(fx_udp_ttl1_transit) - 14), 0);
	for (uint32_t i = 8 + sizeof(fx_udp_ttl1_transit) - 14; i < 8 + 128; i++)
		cr_assert_eq(icmp[i], 0, "zero padding at %u", i);
	ext = icmp + 8 + 128;
	cr_assert_eq(ext[0] >> 4, 2, "extension version 2");
	cr_assert_eq(rte_raw_cksum(ext, icmp_len - 8 - 128), 0xffff,
		     "extension checksum");
	obj = ext + 4;
	cr_assert_eq(be16(obj), icmp_len - 8 - 128 - 4, "one object fills it");
	cr_assert_eq(obj[2], 2, "class: interface information");
	cr_assert_eq(obj[3], 0x0f, "incoming; ifIndex, address, name, MTU");
	cr_assert_eq(be32(obj + 4), 1, "ifIndex = port 0 + 1");
	cr_assert_eq(be16(obj + 8), 1, "AFI IPv4");
	cr_assert_eq(be32(obj + 12), IFP_TEST_IPV4(192, 0, 2, 1));
	cr_assert_eq(obj[16], 8, "name sub-object: 1 + 'test0', padded to 8");
	cr_assert_eq(memcmp(obj + 17, "test0", 5), 0);
	cr_assert_eq(be32(obj + 24), 1500, "MTU");
}

Test(answers, extensions_cut_a_long_quote_to_128_bytes)
{
	uint32_t n;

	conf.icmp.extensions = true;
	n = answer(fx_udp_big_to_us, sizeof(fx_udp_big_to_us));
	check_error(n, 3, 3, fx_udp_big_to_us);
	cr_assert_eq(out[34 + 5], 32);
	cr_assert_eq(memcmp(out + 42, fx_udp_big_to_us + 14, 128), 0);
}

Test(answers, no_error_about_an_icmp_error_a_fragment_or_a_broadcast)
{
	const uint32_t len = sizeof(fx_udp_ttl1_transit);
	struct rte_ipv4_hdr *ip = (void *)(frame + 14);

	/* a Time Exceeded in transit with TTL 1 */
	memcpy(frame, fx_udp_ttl1_transit, len);
	ip->next_proto_id = IPPROTO_ICMP;
	frame[34] = 11;
	ifp_test_ipv4_cksum_fix(frame, 14);
	cr_assert_eq(answer(frame, len), 0);
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_NOERR_ICMP_ERROR);
	memset(&lc.st, 0, sizeof(lc.st));

	/* an echo request in transit with TTL 1 is answered */
	frame[34] = 8;
	cr_assert_neq(answer(frame, len), 0);
	memset(&lc.st, 0, sizeof(lc.st));

	memcpy(frame, fx_udp_ttl1_transit, len);
	ip->fragment_offset = rte_cpu_to_be_16(100);
	ifp_test_ipv4_cksum_fix(frame, 14);
	cr_assert_eq(answer(frame, len), 0);
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_NOERR_FRAGMENT);
	memset(&lc.st, 0, sizeof(lc.st));

	memcpy(frame, fx_udp_ttl1_transit, len);
	memset(frame, 0xff, 6);
	cr_assert_eq(answer(frame, len), 0);
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_L2_BCAST_TRANSIT);
	memset(&lc.st, 0, sizeof(lc.st));

	memcpy(frame, fx_udp_ttl1_transit, len);
	ip->src_addr = RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 255));
	ifp_test_ipv4_cksum_fix(frame, 14);
	cr_assert_eq(answer(frame, len), 0);
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_NOERR_SOURCE);
	memset(&lc.st, 0, sizeof(lc.st));

	/* UDP to a directed broadcast: no Port Unreachable */
	memcpy(frame, fx_udp_ttl1_transit, len);
	ip->dst_addr = RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 255));
	ifp_test_ipv4_cksum_fix(frame, 14);
	cr_assert_eq(answer(frame, len), 0);
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_IP_DST_BROADCAST);
}

Test(answers, record_route_in_an_echo_comes_back_with_our_address)
{
	uint32_t n = answer(fx_echo_rr, sizeof(fx_echo_rr));
	const uint8_t *opt = out + 34;

	cr_assert_eq(n, sizeof(fx_echo_rr));
	cr_assert_eq(opt[0], 7);
	cr_assert_eq(opt[2], 8, "pointer moved past one address");
	cr_assert_eq(be32(opt + 3), IFP_TEST_IPV4(192, 0, 2, 1));
	cr_assert_eq(be32(opt + 7), 0, "the rest untouched");
	cr_assert_eq(rte_raw_cksum(out + 14, (out[14] & 0xf) * 4), 0xffff);
	cr_assert_eq(out[14 + (out[14] & 0xf) * 4], 0, "echo reply");
}

Test(answers, a_malformed_option_earns_parameter_problem_at_the_octet)
{
	uint32_t n;

	memcpy(frame, fx_echo_rr, sizeof(fx_echo_rr));
	frame[34 + 2] = 3; /* record-route pointer below 4 */
	ifp_test_ipv4_cksum_fix(frame, 14);
	n = answer(frame, sizeof(fx_echo_rr));
	check_error(n, 12, 0, fx_echo_rr);
	cr_assert_eq(out[34 + 4], 20 + 2, "pointer at the option's pointer octet");
	cr_assert_eq(lc.st.answers[IFP_ANS_PARAM_PROBLEM], 1);

	memcpy(frame, fx_echo_rr, sizeof(fx_echo_rr));
	frame[34 + 1] = 60; /* option length past the header */
	ifp_test_ipv4_cksum_fix(frame, 14);
	n = answer(frame, sizeof(fx_echo_rr));
	check_error(n, 12, 0, fx_echo_rr);
	cr_assert_eq(out[34 + 4], 20 + 1, "pointer at the length octet");
}

Test(answers, source_routed_datagrams_are_dropped)
{
	cr_assert_eq(answer(fx_echo_lsrr, sizeof(fx_echo_lsrr)), 0);
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_IP_SOURCE_ROUTE);
}

Test(answers, timestamp_reply_copies_originate_and_stamps_ms_since_midnight)
{
	uint32_t n = answer(fx_timestamp_req, sizeof(fx_timestamp_req));
	const uint8_t *icmp = out + 34;
	const uint32_t ms = (12 * 3600 + 1) * 1000 + 234;

	cr_assert_eq(n, sizeof(fx_timestamp_req));
	cr_assert_eq(icmp[0], 14);
	cr_assert_eq(be16(icmp + 4), 5);
	cr_assert_eq(be16(icmp + 6), 6);
	cr_assert_eq(be32(icmp + 8), 12345678, "originate copied");
	cr_assert_eq(be32(icmp + 12), ms, "receive");
	cr_assert_eq(be32(icmp + 16), ms, "transmit");
	cr_assert_eq(rte_raw_cksum(icmp, 20), 0xffff);

	conf.icmp.timestamp = false;
	cr_assert_eq(answer(fx_timestamp_req, sizeof(fx_timestamp_req)), 0);
	cr_assert_eq(lc.st.dropped[IFP_DROP_ICMP_DISABLED], 1);
}

Test(answers, a_timestamp_request_of_the_wrong_length_is_dropped)
{
	memcpy(frame, fx_timestamp_req, sizeof(fx_timestamp_req));
	frame[14 + 3] -= 4; /* IP total length: ICMP of 16 bytes */
	ifp_test_ipv4_cksum_fix(frame, 14);
	ifp_test_icmp_cksum_fix(frame, 14);
	cr_assert_eq(answer(frame, sizeof(fx_timestamp_req) - 4), 0);
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_ICMP_LENGTH);
}

Test(answers, address_mask_is_answered_only_when_enabled)
{
	uint32_t n;

	cr_assert_eq(answer(fx_mask_req, sizeof(fx_mask_req)), 0);
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_ICMP_DISABLED);
	conf.icmp.address_mask = true;
	n = answer(fx_mask_req, sizeof(fx_mask_req));
	cr_assert_eq(n, sizeof(fx_mask_req));
	cr_assert_eq(out[34], 18);
	cr_assert_eq(be32(out + 42), 0xffffff00);
	cr_assert_eq(be32(out + 26), IFP_TEST_IPV4(192, 0, 2, 9), "from the address asked");
	cr_assert_eq(rte_raw_cksum(out + 34, 12), 0xffff);
}

static void
check_probe(const uint8_t *req, uint32_t len, uint8_t code, uint8_t bits)
{
	uint32_t n = answer(req, len);

	cr_assert_eq(n, len);
	cr_assert_eq(out[34], 43);
	cr_assert_eq(out[35], code, "code %u, want %u", out[35], code);
	cr_assert_eq(be16(out + 38), 0x77, "identifier");
	cr_assert_eq(out[40], 3, "sequence");
	cr_assert_eq(out[41], bits);
	cr_assert_eq(rte_raw_cksum(out + 34, len - 34), 0xffff);
}

Test(answers, probe_is_off_by_default_and_answers_each_query_kind)
{
	cr_assert_eq(answer(fx_probe_by_index, sizeof(fx_probe_by_index)), 0);
	cr_assert_eq(ifp_test_only_drop(&lc.st), IFP_DROP_ICMP_DISABLED);
	conf.icmp.extended_echo = true;
	check_probe(fx_probe_by_name, sizeof(fx_probe_by_name), 0, 0x07); /* A, 4 and 6: the test port has both */
	check_probe(fx_probe_by_index, sizeof(fx_probe_by_index), 0, 0x07); /* A, 4 and 6: the test port has both */
	check_probe(fx_probe_by_addr, sizeof(fx_probe_by_addr), 0, 0x07); /* A, 4 and 6: the test port has both */
	check_probe(fx_probe_no_if, sizeof(fx_probe_no_if), 2, 0);
	check_probe(fx_probe_proxy, sizeof(fx_probe_proxy), 3, 0);

	memcpy(frame, fx_probe_by_index, sizeof(fx_probe_by_index));
	frame[34 + 8] = 0x10; /* extension version 1 */
	ifp_test_icmp_cksum_fix(frame, 14);
	check_probe(frame, sizeof(fx_probe_by_index), 1, 0);

	/* the same address on two ports: multiple interfaces */
	conf.port[1] = conf.port[0];
	snprintf(conf.port[1].name, sizeof(conf.port[1].name), "test1");
	check_probe(fx_probe_by_addr, sizeof(fx_probe_by_addr), 4, 0);
}

Test(answers, a_reply_larger_than_the_mtu_leaves_in_fragments)
{
	struct rte_mbuf *m, *tx[IFP_TX_MAX];
	uint16_t n;
	uint32_t total = 0;

	conf.port[0].mtu = 576;
	m = ifp_test_mbuf(mp, fx_echo_req_big, sizeof(fx_echo_req_big), 0);
	n = ifp_process_burst(&lc, &m, 1, tx);
	cr_assert_eq(n, 3, "1428 bytes of IP at MTU 576: 3 fragments");
	cr_assert_eq(lc.st.answered, 1);
	for (uint16_t i = 0; i < n; i++) {
		uint32_t len = ifp_test_mbuf_read(tx[i], out, sizeof(out));
		uint16_t fo = be16(out + 20);

		cr_assert_leq(len - 14, 576);
		cr_assert_eq(memcmp(out + 6, IFP_TEST_MAC_US, 6), 0);
		cr_assert_eq(rte_raw_cksum(out + 14, 20), 0xffff);
		cr_assert_eq((fo & 0x1fff) * 8, total, "offsets follow");
		cr_assert_eq(!!(fo & 0x2000), i < n - 1, "MF on all but the last");
		cr_assert_eq(fo & 0x4000, 0, "DF cleared");
		cr_assert_eq(tx[i]->hash.usr, i == 0);
		total += len - 34;
	}
	cr_assert_eq(total, sizeof(fx_echo_req_big) - 34);
	ifp_tx_account(&lc, tx, n, 1); /* the port took one fragment */
	cr_assert_eq(lc.st.answered, 1, "the answer left");
	cr_assert_eq(lc.st.tx, 1);
	rte_pktmbuf_free(tx[0]);
}

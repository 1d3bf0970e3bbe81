/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The echo fast path against the scalar path: the same bursts, once with
 * the fast path off and once with it on, must give the same answers (bytes,
 * order, mbuf fields) and the same counters. Bursts of every size 1..64,
 * drawn from plain echo requests and from near misses that differ in one
 * field the fast path must notice.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "fixtures.h"
#include "ifp_classify.h"
#include "ifp_proc.h"
#include "ifp_test.h"

/* RTE_IPV4() shifts an int: 192 << 24 is undefined behaviour (UBSan) */
#define IP4(a, b, c, d)                                                      \
	RTE_BE32(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) |              \
		 ((uint32_t)(c) << 8) | (uint32_t)(d))

#define NVARIANT4 34
/* IPv6 echo and its near misses (make_frame6) */
#define NVARIANT6 26
#define NVARIANT (NVARIANT4 + NVARIANT6)

/* payload lengths drawn: all sizes by default; 22..86 are the frames of
 * 64..128 bytes the AVX-512 groups of eight take */
static uint32_t data_min = 0, data_span = 180;

static struct rte_mempool *mp;
static struct ifp_conf conf;

static void
setup(void)
{
	mp = ifp_test_pool_create(1024, 2048);
	ifp_test_conf(&conf);
}

static void
teardown(void)
{
	ifp_classify_enable(true);
	cr_assert_eq(ifp_test_pool_in_use(mp), 0, "mbufs leaked");
	ifp_test_pool_free(mp);
}

TestSuite(classify, .init = setup, .fini = teardown);

struct frame {
	uint8_t b[256];
	uint32_t len;
	uint32_t seg;       /* segment size, 0: one segment */
	uint64_t ol_flags;  /* RX flags the PMD would set */
};

/* a plain echo request to 192.0.2.1, @p data bytes of payload */
static void
echo_frame(struct frame *f, uint32_t data)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f->b;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);

	memset(f, 0, sizeof(*f));
	memcpy(&eth->dst_addr, IFP_TEST_MAC_US, 6);
	memcpy(&eth->src_addr, IFP_TEST_MAC_PEER, 6);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(28 + data));
	ip->packet_id = RTE_BE16(0x77);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = IP4(192, 0, 2, 2);
	ip->dst_addr = IP4(192, 0, 2, 1);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	icmp->icmp_ident = RTE_BE16(0x4242);
	icmp->icmp_seq_nb = (uint16_t)rand();
	for (uint32_t i = 0; i < data; i++)
		((uint8_t *)(icmp + 1))[i] = (uint8_t)rand();
	f->len = 14 + 28 + data;
	ifp_test_icmp_cksum_fix(f->b, 14);
	ifp_test_ipv4_cksum_fix(f->b, 14);
}

/* a plain ICMPv6 echo request to 2001:db8:0:1::1, @p data bytes, any
 * traffic class and flow label */
static void
echo6_frame(struct frame *f, uint32_t data)
{
	uint8_t d[256];

	memset(f, 0, sizeof(*f));
	for (uint32_t i = 0; i < data; i++)
		d[i] = (uint8_t)rand();
	f->len = ifp_test_echo6_frame(f->b, (uint16_t)rand(), d, data);
	((struct rte_ipv6_hdr *)(f->b + 14))->vtc_flow =
		rte_cpu_to_be_32(6u << 28 | (uint32_t)rand() % 0xfffffff);
}

/* variant @p v of an ICMPv6 echo request: 0 and 1 plain, the rest near
 * misses */
static void
make_frame6(struct frame *f, unsigned int v)
{
	uint8_t *b = f->b;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(b + 14);
	uint8_t *icmp = b + 54;

	echo6_frame(f, data_min + (uint32_t)rand() % data_span);
	switch (v) {
	case 0: /* plain */
	case 1:
		break;
	case 2: /* to our second address */
		ip->dst_addr[15] = 9;
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	case 3: /* link-local to link-local */
		memcpy(ip->dst_addr, IFP_TEST_IP6_LL, 16);
		memcpy(ip->src_addr, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	case 4: /* to all nodes (echo_multicast is off) */
		memcpy(ip->dst_addr, "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
		memcpy(b, "\x33\x33\0\0\0\x01", 6);
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	case 5: /* bad ICMPv6 checksum */
		icmp[3] ^= 0x10;
		break;
	case 6: /* checksummed without the pseudo-header */
		icmp[2] = icmp[3] = 0;
		{
			uint16_t ck = (uint16_t)~rte_raw_cksum(icmp, f->len - 54);

			memcpy(icmp + 2, &ck, 2);
		}
		break;
	case 7: /* padding after the payload */
		f->len += 1 + (uint32_t)rand() % 20;
		break;
	case 8: /* payload length past the frame */
		f->len -= 1 + (uint32_t)rand() % 8;
		break;
	case 9: /* multicast source */
		ip->src_addr[0] = 0xff;
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	case 10: /* ::1, ::, IPv4-mapped sources */
		memset(ip->src_addr, 0, 16);
		if (rand() % 3 == 0)
			ip->src_addr[15] = 1;
		else if (rand() % 2)
			memcpy(ip->src_addr + 10, "\xff\xff\xc0\x00\x02\x02", 6);
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	case 11: /* a Hop-by-Hop header (PadN) before the message */
		memmove(b + 62, b + 54, f->len - 54);
		memcpy(b + 54, "\x3a\x00\x01\x04\x00\x00\x00\x00", 8);
		ip->proto = 0;
		ip->payload_len = rte_cpu_to_be_16(rte_be_to_cpu_16(ip->payload_len) + 8);
		f->len += 8;
		ifp_test_icmp6_cksum_fix(b, 14, 62);
		break;
	case 12: /* version 4 in an IPv6 frame */
		b[14] = 0x45;
		break;
	case 13: /* UDP */
		ip->proto = 17;
		break;
	case 14: /* echo reply */
		icmp[0] = 129;
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	case 15: /* another MAC */
		b[5] = 0x77;
		break;
	case 16: /* multi-segment chain */
		f->seg = 16 + (uint32_t)rand() % 50;
		break;
	case 17: /* VLAN: scalar only */
		memmove(b + 18, b + 14, f->len - 14);
		memcpy(b + 12, "\x81\x00\x00\x2a\x86\xdd", 6);
		f->len += 4;
		break;
	case 18: /* transit */
		ip->dst_addr[7] = 0x77;
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	case 19: /* a non-zero code, any hop limit, traffic class */
		icmp[1] = (uint8_t)rand();
		ip->hop_limits = (uint8_t)rand();
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	case 20: /* ICMPv6 shorter than its header */
		ip->payload_len = rte_cpu_to_be_16((uint16_t)(rand() % 8));
		f->len = 54 + rte_be_to_cpu_16(ip->payload_len);
		break;
	case 21: /* runt */
		f->len = 14 + (uint32_t)rand() % 48;
		break;
	case 22: /* a DAD-like source :: on an echo */
		memset(ip->src_addr, 0, 16);
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	case 23: /* the PMD's IPv4 checksum flags on an IPv6 frame */
		f->ol_flags = rand() % 2 ? RTE_MBUF_F_RX_IP_CKSUM_GOOD
					 : RTE_MBUF_F_RX_IP_CKSUM_BAD;
		break;
	case 24: /* a neighbour solicitation for us */
		icmp[0] = 135;
		ip->hop_limits = 255;
		memcpy(icmp + 8, IFP_TEST_IP6_US, 16);
		ip->payload_len = RTE_BE16(24);
		f->len = 54 + 24;
		ifp_test_icmp6_cksum_fix(b, 14, 54);
		break;
	default: /* a random byte of the headers flipped */
		b[rand() % 62] ^= (uint8_t)(1 + rand() % 255);
		break;
	}
}

/* variant @p v of an echo request: 0 and 1 plain, the rest near misses;
 * IPv6 from NVARIANT4 on */
static void
make_frame(struct frame *f, unsigned int v)
{
	uint8_t *b = f->b;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(b + 14);
	uint8_t *icmp = b + 34;

	if (v >= NVARIANT4) {
		make_frame6(f, v - NVARIANT4);
		return;
	}
	echo_frame(f, data_min + (uint32_t)rand() % data_span);
	switch (v) {
	case 0: /* plain */
	case 1:
		break;
	case 2: /* broadcast MAC: still ours */
		memset(b, 0xff, 6);
		break;
	case 3: /* another MAC */
		b[5] = 0x99;
		break;
	case 4: /* bad IP checksum */
		ip->hdr_checksum ^= 0x0400;
		break;
	case 5: /* bad ICMP checksum */
		icmp[2] ^= 0x01;
		break;
	case 6: /* the PMD vouches for the header checksum */
		f->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
		break;
	case 7: /* the PMD says the header checksum is bad */
		f->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_BAD;
		break;
	case 8: /* header checksum wrong but the PMD says good */
		ip->hdr_checksum ^= 0x0001;
		f->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
		break;
	case 9: /* a fragment */
		ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 10: /* a non-first fragment */
		ip->fragment_offset = RTE_BE16(8);
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 11: /* Ethernet padding after the datagram */
		f->len += 1 + (uint32_t)rand() % 20;
		break;
	case 12: /* total length past the frame */
		f->len -= 1 + (uint32_t)rand() % 8;
		break;
	case 13: /* martian source */
		ip->src_addr = IP4(127, 0, 0, 1);
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 14: /* to our second address */
		ip->dst_addr = IP4(192, 0, 2, 9);
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 15: /* to the subnet broadcast */
		ip->dst_addr = IP4(192, 0, 2, 255);
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 16: /* transit */
		ip->dst_addr = IP4(198, 51, 100, 1);
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 17: /* timestamp request */
		icmp[0] = 13;
		ifp_test_icmp_cksum_fix(b, 14);
		break;
	case 18: /* echo reply */
		icmp[0] = 0;
		ifp_test_icmp_cksum_fix(b, 14);
		break;
	case 19: /* echo request with a non-zero code */
		icmp[1] = 5;
		ifp_test_icmp_cksum_fix(b, 14);
		break;
	case 20: /* UDP */
		ip->next_proto_id = IPPROTO_UDP;
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 21: /* IP options (IHL 6) */
		ip->version_ihl = 0x46;
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 22: /* IHL 4 */
		ip->version_ihl = 0x44;
		break;
	case 23: /* version 6 */
		ip->version_ihl = 0x65;
		break;
	case 24: /* ARP ethertype on an IP body */
		b[12] = 0x08;
		b[13] = 0x06;
		break;
	case 25: /* VLAN: moves everything by 4, scalar only */
		memmove(b + 18, b + 14, f->len - 14);
		b[12] = 0x81;
		b[13] = 0x00;
		b[14] = 0x00;
		b[15] = 0x2a;
		b[16] = 0x08;
		b[17] = 0x00;
		f->len += 4;
		break;
	case 26: /* multi-segment chain */
		f->seg = 16 + (uint32_t)rand() % 40;
		break;
	case 27: /* runt */
		f->len = (uint32_t)rand() % 42;
		break;
	case 28: /* ICMP shorter than its header */
		ip->total_length = rte_cpu_to_be_16(20 + (uint16_t)(rand() % 8));
		f->len = 14 + rte_be_to_cpu_16(ip->total_length);
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 29: /* source 0.0.0.0 */
		ip->src_addr = 0;
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 30: /* multicast or class E source */
		ip->src_addr = IP4(224 + rand() % 32, 1, 2, 3);
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 31: /* flags: the reserved bit, DF or none; another TTL: the
		  * reply's header sum is updated, not recomputed */
		ip->fragment_offset = RTE_BE16((uint16_t)((rand() % 4) << 14));
		ip->time_to_live = (uint8_t)rand();
		ifp_test_ipv4_cksum_fix(b, 14);
		break;
	case 32: /* the PMD says the header sum is unknown or good, and
		  * it is right */
		f->ol_flags = rand() % 2 ? RTE_MBUF_F_RX_IP_CKSUM_GOOD
					 : RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN;
		break;
	default: /* a random byte of the headers flipped */
		b[rand() % 42] ^= (uint8_t)(1 + rand() % 255);
		break;
	}
}

static struct rte_mbuf *
frame_mbuf(const struct frame *f)
{
	struct rte_mbuf *m;

	if (f->len == 0) {
		m = rte_pktmbuf_alloc(mp);
		m->port = 0;
	} else {
		m = ifp_test_mbuf(mp, f->b, f->len, f->seg);
	}
	m->ol_flags = f->ol_flags;
	return m;
}

static void
assert_same_mbuf(const struct rte_mbuf *a, const struct rte_mbuf *b,
		 unsigned int i)
{
	static uint8_t da[4096], db[4096];
	uint32_t la = ifp_test_mbuf_read(a, da, sizeof(da));
	uint32_t lb = ifp_test_mbuf_read(b, db, sizeof(db));

	cr_assert_eq(la, lb, "answer %u: length", i);
	cr_assert_eq(memcmp(da, db, la), 0, "answer %u: bytes", i);
	cr_assert_eq(a->ol_flags, b->ol_flags, "answer %u: ol_flags", i);
	cr_assert_eq(a->l2_len, b->l2_len, "answer %u: l2_len", i);
	cr_assert_eq(a->l3_len, b->l3_len, "answer %u: l3_len", i);
	cr_assert_eq(a->nb_segs, b->nb_segs, "answer %u: nb_segs", i);
}

/* one burst the scalar way and the fast way (groups of eight on or off) */
static void
run_one(const struct frame *f, uint16_t n, bool x8)
{
	struct rte_mbuf *pa[IFP_BURST_MAX], *pb[IFP_BURST_MAX];
	struct rte_mbuf *ta[IFP_BURST_MAX], *tb[IFP_BURST_MAX];
	struct ifp_lcore la, lb;
	uint16_t na, nb;

	ifp_lcore_init(&la, &conf, 0, 1);
	ifp_lcore_init(&lb, &conf, 0, 1);
	for (uint16_t i = 0; i < n; i++) {
		pa[i] = frame_mbuf(&f[i]);
		pb[i] = frame_mbuf(&f[i]);
	}
	ifp_classify_enable(false);
	na = ifp_process_burst(&la, pa, n, ta);
	ifp_classify_enable(true);
	ifp_classify_x8_enable(x8);
	nb = ifp_process_burst(&lb, pb, n, tb);
	ifp_classify_x8_enable(false);

	cr_assert_eq(na, nb, "burst of %u: %u answers scalar, %u fast", n, na, nb);
	for (uint16_t i = 0; i < na; i++)
		assert_same_mbuf(ta[i], tb[i], i);
	cr_assert_eq(memcmp(&la.st, &lb.st, sizeof(la.st)), 0,
		     "burst of %u: counters differ", n);
	rte_pktmbuf_free_bulk(ta, na);
	rte_pktmbuf_free_bulk(tb, nb);
}

static void
run_both(const struct frame *f, uint16_t n)
{
	run_one(f, n, false);
	run_one(f, n, true);
}

Test(classify, random_bursts_of_every_size_get_the_scalar_paths_answers)
{
	struct frame f[IFP_BURST_MAX];

	srand(42);
	for (unsigned int round = 0; round < 20; round++)
		for (uint16_t n = 1; n <= IFP_BURST_MAX; n++) {
			for (uint16_t i = 0; i < n; i++)
				make_frame(&f[i], (unsigned int)rand() % NVARIANT);
			run_both(f, n);
		}
}

/* mostly plain echo, one near miss each: the fast path must not take it */
Test(classify, one_near_miss_in_a_burst_of_plain_echo_gets_the_scalar_answer)
{
	struct frame f[IFP_BURST_MAX];

	srand(7);
	for (unsigned int v = 2; v < NVARIANT; v++)
		for (uint16_t n = 1; n <= IFP_BURST_MAX; n++) {
			for (uint16_t i = 0; i < n; i++)
				make_frame(&f[i], 0);
			make_frame(&f[(uint16_t)rand() % n], v);
			run_both(f, n);
		}
}

Test(classify, echo_with_tx_checksum_offload_gets_the_scalar_answer)
{
	struct frame f[IFP_BURST_MAX];

	conf.port[0].flags |= IFP_PORT_TX_IPV4_CKSUM;
	srand(3);
	for (uint16_t n = 1; n <= IFP_BURST_MAX; n++) {
		for (uint16_t i = 0; i < n; i++)
			make_frame(&f[i], (unsigned int)rand() % NVARIANT);
		run_both(f, n);
	}
}

Test(classify, echo_turned_off_or_limited_leaves_everything_to_the_scalar_path)
{
	struct rte_mbuf *m, *tx[1];
	struct frame f;
	struct ifp_lcore lc;

	srand(5);
	make_frame(&f, 0);
	ifp_lcore_init(&lc, &conf, 0, 1);
	conf.icmp.echo = false;
	m = frame_mbuf(&f);
	cr_assert_eq(ifp_classify_echo_burst(&lc, &m, 1), 0);
	cr_assert_eq(ifp_process_burst(&lc, &m, 1, tx), 0);
	conf.icmp.echo = true;
	conf.ratelimit.echo_per_sec = 10;
	m = frame_mbuf(&f);
	cr_assert_eq(ifp_classify_echo_burst(&lc, &m, 1), 0);
	rte_pktmbuf_free(m);
}

Test(classify, plain_ipv6_echo_is_taken_by_the_fast_path)
{
	struct rte_mbuf *m[4];
	struct frame f;
	struct ifp_lcore lc;

	srand(19);
	ifp_lcore_init(&lc, &conf, 0, 1);
	for (int i = 0; i < 4; i++) {
		make_frame(&f, NVARIANT4 + (unsigned int)i % 4);
		m[i] = frame_mbuf(&f);
	}
	/* global twice, the second address, link-local */
	cr_assert_eq(ifp_classify_echo_burst(&lc, m, 4), 0xf);
	cr_assert_eq(lc.st.answers[IFP_ANS_ECHO6], 4);
	cr_assert_eq(lc.st.answers[IFP_ANS_ECHO], 0);
	rte_pktmbuf_free_bulk(m, 4);
}

/* IPv6 echo in a burst of IPv4 echo, and the other way round */
Test(classify, mixed_family_bursts_get_the_scalar_paths_answers)
{
	struct frame f[IFP_BURST_MAX];

	srand(23);
	for (unsigned int round = 0; round < 10; round++)
		for (uint16_t n = 1; n <= IFP_BURST_MAX; n++) {
			for (uint16_t i = 0; i < n; i++)
				make_frame(&f[i], rand() % 2 ? (unsigned int)rand() % 2
							: NVARIANT4 + (unsigned int)rand() % 4);
			run_both(f, n);
		}
}

Test(classify, ipv6_echo_turned_off_leaves_it_to_the_scalar_path)
{
	struct rte_mbuf *m, *tx[1];
	struct frame f;
	struct ifp_lcore lc;

	srand(29);
	make_frame(&f, NVARIANT4);
	ifp_lcore_init(&lc, &conf, 0, 1);
	conf.icmp6.echo = false;
	m = frame_mbuf(&f);
	cr_assert_eq(ifp_classify_echo_burst(&lc, &m, 1), 0);
	cr_assert_eq(ifp_process_burst(&lc, &m, 1, tx), 0);
	cr_assert_eq(lc.st.dropped[IFP_DROP_ICMP6_DISABLED], 1);
	/* IPv4 echo still goes the fast way */
	make_frame(&f, 0);
	m = frame_mbuf(&f);
	cr_assert_eq(ifp_classify_echo_burst(&lc, &m, 1), 1);
	rte_pktmbuf_free(m);
	conf.icmp6.echo = true;
	conf.icmp.echo = false;
	make_frame(&f, NVARIANT4);
	m = frame_mbuf(&f);
	cr_assert_eq(ifp_classify_echo_burst(&lc, &m, 1), 1);
	rte_pktmbuf_free(m);
}

Test(classify, plain_echo_is_taken_by_the_fast_path)
{
	struct rte_mbuf *m[4];
	struct frame f;
	struct ifp_lcore lc;

	srand(9);
	ifp_lcore_init(&lc, &conf, 0, 1);
	for (int i = 0; i < 4; i++) {
		make_frame(&f, 0);
		m[i] = frame_mbuf(&f);
	}
	cr_assert_eq(ifp_classify_echo_burst(&lc, m, 4), 0xf);
	cr_assert_eq(lc.st.answers[IFP_ANS_ECHO], 4);
	rte_pktmbuf_free_bulk(m, 4);
}

/* the groups of eight: frames of 64..128 bytes, near misses among them */
Test(classify, groups_of_eight_get_the_scalar_paths_answers)
{
	struct frame f[IFP_BURST_MAX];

	data_min = 22;
	data_span = 65;
	srand(11);
	for (unsigned int round = 0; round < 10; round++)
		for (uint16_t n = 8; n <= IFP_BURST_MAX; n++) {
			for (uint16_t i = 0; i < n; i++)
				make_frame(&f[i], rand() % 4 ? 0 : (unsigned int)rand() % NVARIANT);
			run_both(f, n);
		}
	data_min = 0;
	data_span = 180;
}

/* one address: the template compares the destination itself */
Test(classify, groups_of_eight_on_a_port_with_one_address_get_the_scalar_paths_answers)
{
	struct frame f[IFP_BURST_MAX];

	conf.port[0].n_addr = 1;
	data_min = 22;
	data_span = 65;
	srand(13);
	for (unsigned int round = 0; round < 10; round++)
		for (uint16_t n = 8; n <= IFP_BURST_MAX; n++) {
			for (uint16_t i = 0; i < n; i++)
				make_frame(&f[i], rand() % 4 ? 0 : (unsigned int)rand() % NVARIANT);
			run_both(f, n);
		}
	data_min = 0;
	data_span = 180;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link Property Advertisements: the Rate Block codec (round trips, every
 * malformed case, saturation, unknown blocks skipped) and the frames icmpfp
 * sends about its own ports.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_icmp.h>
#include <rte_udp.h>

#include "ifp_cksum.h"
#include "ifp_lpa.h"
#include "ifp_lpa_table.h"
#include "ifp_test.h"

/* The Rate Block of the design's example: modem 7, up, bidirectional,
 * MTU 1200, 2/1/8 Mbit/s, modem address 10.20.0.1. The bytes as the
 * reference generator lays them out, written by hand. */
static const uint8_t modem7[32] = {
	0x00, 0x01, 0x00, 0x20,             /* type 1, length 32 */
	0x01, 0x01, 0x00, 0x00,             /* 1 link, rate desc 1, flags */
	0x00, 0x00, 0x00, 0x07,             /* Modem ID 7 */
	0x04, 0xb0, 0x00, 0x2b,             /* MTU 1200; bidir|v4|up|out */
	0x00, 0x1e, 0x84, 0x80,             /* current 2 000 000 */
	0x00, 0x0f, 0x42, 0x40,             /* minimum 1 000 000 */
	0x00, 0x7a, 0x12, 0x00,             /* maximum 8 000 000 */
	10, 20, 0, 1,                       /* 10.20.0.1 */
};

static int
parse(const void *p, size_t len, struct ifp_lpa_block *out, enum ifp_drop *why)
{
	*why = IFP_DROP_MAX;
	return ifp_lpa_parse(p, len, out, why);
}

Test(lpa, a_rate_block_decodes_field_by_field)
{
	struct ifp_lpa_block b[IFP_LPA_BLOCKS_MAX];
	enum ifp_drop why;

	cr_assert_eq(parse(modem7, sizeof(modem7), b, &why), 1);
	cr_assert_eq(b[0].modem_id, 7);
	cr_assert_eq(b[0].mtu, 1200);
	cr_assert_eq(b[0].if_flags, IFP_LPA_IF_BIDIR | IFP_LPA_IF_IPV4 |
					IFP_LPA_IF_UP | IFP_LPA_IF_OUT);
	cr_assert_eq(b[0].rate_cur, 2000000);
	cr_assert_eq(b[0].rate_min, 1000000);
	cr_assert_eq(b[0].rate_max, 8000000);
	cr_assert_eq(b[0].modem_ip, RTE_BE32(IFP_TEST_IPV4(10, 20, 0, 1)));
	cr_assert_eq(b[0].n_links, 1);
	cr_assert_eq(b[0].rate_desc, 1);
}

Test(lpa, a_rate_block_encodes_to_the_same_bytes)
{
	struct ifp_lpa_block b[IFP_LPA_BLOCKS_MAX];
	uint8_t out[32];
	enum ifp_drop why;

	cr_assert_eq(parse(modem7, sizeof(modem7), b, &why), 1);
	memset(out, 0xaa, sizeof(out));
	ifp_lpa_block_write(out, &b[0]);
	cr_assert_arr_eq(out, modem7, sizeof(modem7));
}

Test(lpa, several_blocks_round_trip_in_order)
{
	struct ifp_lpa_block in[5], b[IFP_LPA_BLOCKS_MAX];
	uint8_t buf[5 * 32];
	enum ifp_drop why;

	for (unsigned int i = 0; i < 5; i++) {
		memset(&in[i], 0, sizeof(in[i]));
		in[i].modem_id = 0x10000000u + i;
		in[i].mtu = (uint16_t)(1000 + i);
		in[i].if_flags = (uint16_t)(i & 1 ? IFP_LPA_IF_UP : 0);
		in[i].rate_cur = 0xfffffff0u + i;
		in[i].rate_min = i;
		in[i].rate_max = UINT32_MAX;
		in[i].modem_ip = RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 100 + i));
		in[i].modem_flags = (uint16_t)(0x8000 | i);
		ifp_lpa_block_write(buf + i * 32, &in[i]);
	}
	cr_assert_eq(parse(buf, sizeof(buf), b, &why), 5);
	for (unsigned int i = 0; i < 5; i++)
		cr_assert_eq(memcmp(&b[i], &in[i], sizeof(b[i])), 0, "block %u", i);
}

Test(lpa, a_block_of_another_type_is_skipped_by_its_length)
{
	struct ifp_lpa_block b[IFP_LPA_BLOCKS_MAX];
	uint8_t buf[12 + 32 + 4];
	enum ifp_drop why;

	/* type 9, length 12 (8 bytes of body), a Rate Block, then an empty
	 * block of type 0x7fff */
	memcpy(buf, "\x00\x09\x00\x0c" "ABCDEFGH", 12);
	memcpy(buf + 12, modem7, 32);
	memcpy(buf + 44, "\x7f\xff\x00\x04", 4);
	cr_assert_eq(parse(buf, sizeof(buf), b, &why), 1);
	cr_assert_eq(b[0].modem_id, 7);
	/* only blocks of other types: well formed, nothing to take */
	cr_assert_eq(parse(buf, 12, b, &why), 0);
}

struct bad_lpa {
	uint8_t bytes[80];
	uint8_t len;
	enum ifp_drop want;
};

/* every malformed case of the issue, each its own reason */
static struct bad_lpa bad[] = {
	/* an empty payload is no LPA */
	{{0}, 0, IFP_DROP_LPA_TRUNCATED},
	/* fewer bytes than a block header */
	{{0x00, 0x01, 0x00}, 3, IFP_DROP_LPA_TRUNCATED},
	/* a whole block, then two stray bytes: not a whole block */
	{{0x00, 0x09, 0x00, 0x04, 0xee, 0xee}, 6, IFP_DROP_LPA_TRUNCATED},
	/* length below the header's own 4 (0 would loop forever) */
	{{0x00, 0x09, 0x00, 0x00}, 4, IFP_DROP_LPA_BLOCK_LENGTH},
	{{0x00, 0x01, 0x00, 0x03}, 4, IFP_DROP_LPA_BLOCK_LENGTH},
	/* length past the end of the payload */
	{{0x00, 0x01, 0x00, 0x20, 0x01, 0x01}, 6, IFP_DROP_LPA_BLOCK_LENGTH},
	{{0x00, 0x09, 0x00, 0x05, 0, 0, 0, 0}, 8, IFP_DROP_LPA_TRUNCATED},
	{{0x00, 0x09, 0x00, 0x09, 0, 0, 0, 0}, 8, IFP_DROP_LPA_BLOCK_LENGTH},
	/* a Rate Block must be 32 bytes, longer or shorter */
	{{0x00, 0x01, 0x00, 0x1c, 1, 1, 0, 0, 0, 0, 0, 7}, 28, IFP_DROP_LPA_RATE_LENGTH},
	{{0x00, 0x01, 0x00, 0x24, 1, 1, 0, 0, 0, 0, 0, 7}, 36, IFP_DROP_LPA_RATE_LENGTH},
	/* Modem ID 0 names no modem */
	{{0x00, 0x01, 0x00, 0x20, 1, 1, 0, 0, 0, 0, 0, 0, 0x05, 0xdc, 0, 2}, 32,
	 IFP_DROP_LPA_MODEM_ID},
};

Test(lpa, every_malformed_case_has_its_own_reason)
{
	struct ifp_lpa_block b[IFP_LPA_BLOCKS_MAX];
	enum ifp_drop why;

	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		cr_assert_eq(parse(bad[i].bytes, bad[i].len, b, &why), -1, "case %u", i);
		cr_assert_eq(why, bad[i].want, "case %u: %s, want %s", i,
			     ifp_drop_name(why), ifp_drop_name(bad[i].want));
	}
}

Test(lpa, a_bad_block_after_good_ones_refuses_the_whole_datagram)
{
	struct ifp_lpa_block b[IFP_LPA_BLOCKS_MAX];
	uint8_t buf[64];
	enum ifp_drop why;

	memcpy(buf, modem7, 32);
	memcpy(buf + 32, modem7, 32);
	buf[32 + 11] = 0; /* the second one's Modem ID: 0 */
	cr_assert_eq(parse(buf, sizeof(buf), b, &why), -1);
	cr_assert_eq(why, IFP_DROP_LPA_MODEM_ID);
}

Test(lpa, more_rate_blocks_than_a_box_has_ports_are_refused)
{
	struct ifp_lpa_block b[IFP_LPA_BLOCKS_MAX];
	uint8_t buf[(IFP_LPA_BLOCKS_MAX + 1) * 32];
	enum ifp_drop why;

	for (unsigned int i = 0; i <= IFP_LPA_BLOCKS_MAX; i++)
		memcpy(buf + i * 32, modem7, 32);
	cr_assert_eq(parse(buf, IFP_LPA_BLOCKS_MAX * 32, b, &why), IFP_LPA_BLOCKS_MAX);
	cr_assert_eq(parse(buf, sizeof(buf), b, &why), -1);
	cr_assert_eq(why, IFP_DROP_LPA_TOO_MANY);
}

Test(lpa, rates_saturate_at_the_formats_4_gbit_limit)
{
	cr_assert_eq(ifp_lpa_rate_sat(0), 0);
	cr_assert_eq(ifp_lpa_rate_sat(1000000000ull), 1000000000u);
	cr_assert_eq(ifp_lpa_rate_sat(UINT32_MAX), UINT32_MAX);
	cr_assert_eq(ifp_lpa_rate_sat(UINT32_MAX + 1ull), UINT32_MAX);
	/* a 10 Gbit/s and a 100 Gbit/s port say 0xffffffff */
	cr_assert_eq(ifp_lpa_rate_sat(10000000000ull), UINT32_MAX);
	cr_assert_eq(ifp_lpa_rate_sat(100000000000ull), UINT32_MAX);
}

Test(lpa, a_port_is_described_as_modem_port_id_plus_one)
{
	struct ifp_conf c;
	struct ifp_lpa_block b;
	struct ifp_lpa_link up = {.speed_bps = 1000000000ull, .up = 1,
				  .full_duplex = 1, .fixed = 1};
	struct ifp_lpa_link down = {.speed_bps = 0};

	ifp_test_conf(&c);
	c.port[0].mtu = 1400;
	ifp_lpa_block_of_port(&c.port[0], 0, &up, &b);
	cr_assert_eq(b.modem_id, 1);
	cr_assert_eq(b.mtu, 1400);
	cr_assert_eq(b.rate_cur, 1000000000u);
	cr_assert_eq(b.rate_min, 1000000000u);
	cr_assert_eq(b.rate_max, 1000000000u);
	cr_assert_eq(b.if_flags, IFP_LPA_IF_OUT | IFP_LPA_IF_UP | IFP_LPA_IF_BIDIR |
				     IFP_LPA_IF_FIXED | IFP_LPA_IF_IPV4);
	cr_assert_eq(b.modem_ip, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 1)));
	ifp_lpa_block_of_port(&c.port[0], 3, &down, &b);
	cr_assert_eq(b.modem_id, 4);
	cr_assert_eq(b.if_flags & IFP_LPA_IF_UP, 0);
	cr_assert_eq(b.rate_cur, 0);
}

Test(lpa, the_frame_sent_is_udp_to_the_group_with_good_checksums)
{
	struct rte_mempool *mp = ifp_test_pool_create(4, 2048);
	struct ifp_conf c;
	struct ifp_lpa_block b[2], back[IFP_LPA_BLOCKS_MAX];
	struct ifp_ipx group = {.ip4 = RTE_BE32(UINT32_C(0xe0000002))};
	struct rte_ether_addr gmac;
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	struct ifp_lpa_link l = {.speed_bps = 10000000000ull, .up = 1};
	enum ifp_drop why;

	ifp_test_conf(&c);
	ifp_lpa_block_of_port(&c.port[0], 0, &l, &b[0]);
	ifp_lpa_block_of_port(&c.port[0], 1, &l, &b[1]);
	ifp_ipx_group_mac(&group, &gmac);
	cr_assert_eq(ifp_lpa_frame_build(m, &c.port[0], group.ip4, &gmac, 1, 77,
					 7575, b, 2), 0);
	cr_assert_eq(m->pkt_len, 14 + 20 + 8 + 64);
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	cr_assert_arr_eq(eth->dst_addr.addr_bytes, "\x01\x00\x5e\x00\x00\x02", 6);
	cr_assert_arr_eq(eth->src_addr.addr_bytes, IFP_TEST_MAC_US, 6);
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	cr_assert_eq(ip->time_to_live, 1);
	cr_assert_eq(ip->src_addr, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 1)));
	cr_assert_eq(ip->dst_addr, RTE_BE32(UINT32_C(0xe0000002)));
	cr_assert_eq(ip->packet_id, RTE_BE16(77));
	cr_assert_eq(ifp_cksum_raw(ip, 20), 0xffff, "IP header checksum");
	udp = (const struct rte_udp_hdr *)(ip + 1);
	cr_assert_eq(udp->dst_port, RTE_BE16(7575));
	cr_assert_eq(udp->dgram_len, RTE_BE16(8 + 64));
	/* DPDK's own verifier, not ours */
	cr_assert_eq(rte_ipv4_udptcp_cksum_verify(ip, udp), 0, "UDP checksum");
	cr_assert_eq(parse(udp + 1, 64, back, &why), 2);
	cr_assert_eq(back[1].modem_id, 2);
	cr_assert_eq(back[0].rate_cur, UINT32_MAX, "10 Gbit/s saturates");
	rte_pktmbuf_free(m);
	cr_assert_eq(ifp_test_pool_in_use(mp), 0);
	ifp_test_pool_free(mp);
}

Test(lpa, a_frame_is_not_built_in_a_buffer_too_small)
{
	struct rte_mempool *mp = ifp_test_pool_create(2, 64);
	struct ifp_conf c;
	struct ifp_lpa_block b = {.modem_id = 1};
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	ifp_test_conf(&c);
	cr_assert_eq(ifp_lpa_frame_build(m, &c.port[0], 0, &c.port[0].mac, 1, 1,
					 7575, &b, 1), -1);
	cr_assert_eq(m->data_len, 0);
	rte_pktmbuf_free(m);
	ifp_test_pool_free(mp);
}

/* --- the frames over IPv6 -------------------------------------------- */

static const uint8_t all_routers6[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
					 0, 0, 0, 0, 0, 0, 0, 2};

/*
 * The Internet checksum of @p n bytes at @p p added to @p acc, the plain
 * way: big-endian 16-bit words, an odd byte padded, carries folded at the
 * end. Independent of ifp_cksum_* and of DPDK.
 */
static uint32_t
sum_words(const uint8_t *p, size_t n, uint32_t acc)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

static uint16_t
fold_words(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* RFC 8200 8.1: the pseudo-header (source, destination, upper-layer
 * length in 32 bits, three zero bytes, next header 17) and the datagram,
 * checksum field included, sum to 0xffff when the checksum is right */
static uint16_t
udp6_sum(const uint8_t *ip6)
{
	const uint16_t ulen = (uint16_t)(ip6[4] << 8 | ip6[5]);
	const uint8_t phdr[8] = {0, 0, (uint8_t)(ulen >> 8), (uint8_t)ulen, 0, 0, 0, 17};
	uint32_t acc = sum_words(ip6 + 8, 32, 0);

	acc = sum_words(phdr, sizeof(phdr), acc);
	return fold_words(sum_words(ip6 + 40, ulen, acc));
}

/* An IPv6 LPA of @p n blocks about port 0 (and more) to @p dst; the frame
 * built in @p m or -1. */
static int
build6(struct rte_mbuf *m, const struct ifp_port_conf *p, const uint8_t *dst,
       const struct rte_ether_addr *mac, struct ifp_lpa_block *b, unsigned int n)
{
	struct ifp_lpa_link l = {.speed_bps = 1000000000ull, .up = 1, .full_duplex = 1};

	for (unsigned int i = 0; i < n; i++)
		ifp_lpa_block_of_port(p, (uint16_t)i, &l, &b[i]);
	return ifp_lpa_frame_build6(m, p, dst, mac, 1, 7575, b, n);
}

Test(lpa, the_ipv6_frame_to_all_routers_comes_from_the_link_local_with_a_good_udp_checksum)
{
	struct rte_mempool *mp = ifp_test_pool_create(4, 2048);
	struct ifp_conf c;
	struct ifp_lpa_block b[2], back[IFP_LPA_BLOCKS_MAX];
	struct ifp_ipx group = {.v6 = true};
	struct rte_ether_addr gmac;
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	const uint8_t *f;
	struct rte_ipv6_hdr *ip;
	enum ifp_drop why;
	/* the 60 bytes before the UDP checksum, written out by hand */
	static const uint8_t head[14 + 40 + 6] = {
		0x33, 0x33, 0, 0, 0, 2,                 /* ff02::2's MAC */
		0x02, 0, 0, 0, 0, 0x01,                 /* ours */
		0x86, 0xdd,
		0x6c, 0, 0, 0,                          /* v6, class 0xc0, no flow */
		0, 8 + 64, 17, 1,                       /* length, UDP, hop limit 1 */
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 0, 1,
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0x1d, 0x97, 0x1d, 0x97,                 /* 7575 -> 7575 */
		0, 8 + 64,                              /* UDP length */
	};

	ifp_test_conf(&c);
	memcpy(group.ip6, all_routers6, 16);
	ifp_ipx_group_mac(&group, &gmac);
	cr_assert_eq(build6(m, &c.port[0], all_routers6, &gmac, b, 2), 0);
	cr_assert_eq(m->pkt_len, 14 + 40 + 8 + 64);
	cr_assert_eq(m->data_len, m->pkt_len);
	f = rte_pktmbuf_mtod(m, const uint8_t *);
	cr_assert_arr_eq(f, head, sizeof(head), "Ethernet, IPv6 and UDP header");
	/* RFC 8200 8.1: never 0 over IPv6 */
	cr_assert_neq(f[14 + 40 + 6] | f[14 + 40 + 7], 0);
	cr_assert_eq(udp6_sum(f + 14), 0xffff, "UDP checksum, summed by hand");
	ip = (struct rte_ipv6_hdr *)(f + 14);
	cr_assert_eq(rte_ipv6_udptcp_cksum_verify(ip, ip + 1), 0, "UDP checksum, by DPDK");
	cr_assert_eq(parse(f + 14 + 48, 64, back, &why), 2);
	cr_assert_eq(back[0].modem_id, 1);
	cr_assert_eq(back[1].modem_id, 2);
	cr_assert_eq(back[0].modem_ip, RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 1)));
	cr_assert_eq(back[0].if_flags, IFP_LPA_IF_OUT | IFP_LPA_IF_UP | IFP_LPA_IF_BIDIR |
					   IFP_LPA_IF_IPV4);
	rte_pktmbuf_free(m);
	cr_assert_eq(ifp_test_pool_in_use(mp), 0);
	ifp_test_pool_free(mp);
}

Test(lpa, an_ipv6_frame_beyond_the_link_comes_from_the_first_address6)
{
	struct rte_mempool *mp = ifp_test_pool_create(4, 2048);
	struct ifp_conf c;
	struct ifp_lpa_block b[1];
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	const struct rte_ether_addr peer = {.addr_bytes = {2, 0, 0, 0, 0, 2}};
	const uint8_t *f;

	ifp_test_conf(&c);
	cr_assert_eq(build6(m, &c.port[0], (const uint8_t *)IFP_TEST_IP6_PEER, &peer, b, 1), 0);
	f = rte_pktmbuf_mtod(m, const uint8_t *);
	cr_assert_arr_eq(f, peer.addr_bytes, 6, "the neighbour's MAC");
	cr_assert_arr_eq(f + 14 + 8, IFP_TEST_IP6_US, 16, "from 2001:db8:0:1::1, not ::9");
	cr_assert_arr_eq(f + 14 + 24, IFP_TEST_IP6_PEER, 16);
	cr_assert_eq(udp6_sum(f + 14), 0xffff);
	rte_pktmbuf_free(m);
	ifp_test_pool_free(mp);
}

Test(lpa, the_ipv6_source_follows_the_scope_of_the_destination)
{
	struct ifp_conf c;
	const struct ifp_port_conf *p = &c.port[0];
	static const uint8_t ff05[16] = {0xff, 0x05, [15] = 2};
	static const uint8_t ff12[16] = {0xff, 0x12, [15] = 2};
	static const uint8_t fe80[16] = {0xfe, 0x80, [15] = 2};

	ifp_test_conf(&c);
	cr_assert_arr_eq(ifp_lpa_src6(p, all_routers6), IFP_TEST_IP6_LL, 16);
	cr_assert_arr_eq(ifp_lpa_src6(p, ff12), IFP_TEST_IP6_LL, 16, "a link-scope transient group");
	cr_assert_arr_eq(ifp_lpa_src6(p, fe80), IFP_TEST_IP6_LL, 16);
	cr_assert_arr_eq(ifp_lpa_src6(p, ff05), IFP_TEST_IP6_US, 16, "site scope");
	cr_assert_arr_eq(ifp_lpa_src6(p, (const uint8_t *)IFP_TEST_IP6_PEER), IFP_TEST_IP6_US, 16);
	/* the link-local only: nothing beyond the link */
	c.port[0].n_addr6 = 1;
	cr_assert_arr_eq(ifp_lpa_src6(p, all_routers6), IFP_TEST_IP6_LL, 16);
	cr_assert_null(ifp_lpa_src6(p, ff05));
	cr_assert_null(ifp_lpa_src6(p, (const uint8_t *)IFP_TEST_IP6_PEER));
	/* no IPv6 at all */
	c.port[0].n_addr6 = 0;
	cr_assert_null(ifp_lpa_src6(p, all_routers6));
	cr_assert_null(ifp_lpa_src6(p, fe80));
}

Test(lpa, a_port_with_no_source_of_the_scope_builds_no_ipv6_frame)
{
	struct rte_mempool *mp = ifp_test_pool_create(2, 2048);
	struct rte_mempool *tiny = ifp_test_pool_create(2, 64);
	struct ifp_conf c;
	struct ifp_lpa_block b[1];
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	static const uint8_t ff05[16] = {0xff, 0x05, [15] = 2};

	ifp_test_conf(&c);
	c.port[0].n_addr6 = 1;
	cr_assert_eq(build6(m, &c.port[0], ff05, &c.port[0].mac, b, 1), -1);
	cr_assert_eq(m->data_len, 0);
	c.port[0].n_addr6 = 0;
	cr_assert_eq(build6(m, &c.port[0], all_routers6, &c.port[0].mac, b, 1), -1);
	cr_assert_eq(m->data_len, 0);
	rte_pktmbuf_free(m);
	/* nor in a buffer too small */
	ifp_test_conf(&c);
	m = rte_pktmbuf_alloc(tiny);
	cr_assert_eq(build6(m, &c.port[0], all_routers6, &c.port[0].mac, b, 1), -1);
	cr_assert_eq(m->data_len, 0);
	rte_pktmbuf_free(m);
	ifp_test_pool_free(tiny);
	ifp_test_pool_free(mp);
}

Test(lpa, a_udp_checksum_summing_to_zero_is_sent_as_all_ones)
{
	struct rte_mempool *mp = ifp_test_pool_create(2, 2048);
	struct ifp_conf c;
	struct ifp_lpa_block b = {.modem_id = 1};
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	const uint8_t *f;
	uint16_t ck;

	ifp_test_conf(&c);
	cr_assert_eq(ifp_lpa_frame_build6(m, &c.port[0], all_routers6, &c.port[0].mac, 1,
					  7575, &b, 1), 0);
	f = rte_pktmbuf_mtod(m, const uint8_t *);
	ck = (uint16_t)(f[14 + 40 + 6] << 8 | f[14 + 40 + 7]);
	rte_pktmbuf_free(m);
	/* the checksum's own value in a 16-bit word of the payload (the low
	 * half of the minimum rate) makes the sum 0xffff and its complement
	 * zero: RFC 8200 8.1 sends it as 0xffff */
	b.rate_min = ck;
	m = rte_pktmbuf_alloc(mp);
	cr_assert_eq(ifp_lpa_frame_build6(m, &c.port[0], all_routers6, &c.port[0].mac, 1,
					  7575, &b, 1), 0);
	f = rte_pktmbuf_mtod(m, const uint8_t *);
	cr_assert_eq(f[14 + 40 + 6], 0xff);
	cr_assert_eq(f[14 + 40 + 7], 0xff);
	cr_assert_eq(udp6_sum(f + 14), 0xffff);
	rte_pktmbuf_free(m);
	ifp_test_pool_free(mp);
}

/* --- the modem table and its view ----------------------------------- */

#define S(x) ((uint64_t)(x) * 1000000000ull)
#define HOLD S(3)

struct changes {
	unsigned int n;
	uint32_t id[16];
	enum ifp_lpa_state from[16], to[16];
};

static void
note_change(const struct ifp_lpa_modem *m, enum ifp_lpa_state old, void *arg)
{
	struct changes *c = arg;

	if (c->n < 16) {
		c->id[c->n] = m->id;
		c->from[c->n] = old;
		c->to[c->n] = m->state;
	}
	c->n++;
}

static struct ifp_lpa_heard
heard(uint32_t id, uint8_t src_last, bool up, uint16_t mtu, uint64_t t)
{
	struct ifp_lpa_heard h;

	memset(&h, 0, sizeof(h));
	h.rx_ns = t;
	h.src.ip4 = rte_cpu_to_be_32(IFP_TEST_IPV4(192, 0, 2, src_last));
	h.b.modem_id = id;
	h.b.mtu = mtu;
	h.b.if_flags = (uint16_t)(IFP_LPA_IF_OUT | (up ? IFP_LPA_IF_UP : 0));
	h.b.rate_cur = 2000000;
	h.b.rate_min = 1000000;
	h.b.rate_max = 8000000;
	return h;
}

static struct ifp_lpa_table tbl;
static struct ifp_lpa_view view;

static bool
view_up(uint32_t id, uint16_t *mtu)
{
	ifp_lpa_view_build(&tbl, &view);
	*mtu = 0xdead;
	return ifp_lpa_view_up(&view, id, mtu);
}

Test(lpa_table, a_modem_never_heard_is_down)
{
	uint16_t mtu;

	ifp_lpa_table_init(&tbl);
	cr_assert_not(view_up(7, &mtu));
	cr_assert_not(ifp_lpa_view_up(NULL, 7, &mtu), "no view at all");
}

Test(lpa_table, up_down_and_silence_are_state_changes_with_old_and_new)
{
	struct changes c = {0};
	struct ifp_lpa_heard h;
	uint16_t mtu;

	ifp_lpa_table_init(&tbl);
	h = heard(7, 50, true, 1200, S(10));
	cr_assert_eq(ifp_lpa_table_apply(&tbl, &h, HOLD, note_change, &c), 0);
	cr_assert(view_up(7, &mtu));
	cr_assert_eq(mtu, 1200);
	/* again up: no change */
	h = heard(7, 50, true, 1200, S(11));
	ifp_lpa_table_apply(&tbl, &h, HOLD, note_change, &c);
	h = heard(7, 50, false, 1200, S(12));
	ifp_lpa_table_apply(&tbl, &h, HOLD, note_change, &c);
	cr_assert_not(view_up(7, &mtu));
	h = heard(7, 50, true, 1500, S(13));
	ifp_lpa_table_apply(&tbl, &h, HOLD, note_change, &c);
	/* the hold timer: silent for 3 s, at 3 s */
	ifp_lpa_table_tick(&tbl, S(13) + HOLD - 1, HOLD, note_change, &c);
	cr_assert(view_up(7, &mtu));
	cr_assert_eq(mtu, 1500);
	ifp_lpa_table_tick(&tbl, S(13) + HOLD, HOLD, note_change, &c);
	cr_assert_not(view_up(7, &mtu));
	cr_assert_eq(c.n, 4);
	cr_assert_eq(c.from[0], IFP_LPA_UNHEARD);
	cr_assert_eq(c.to[0], IFP_LPA_UP);
	cr_assert_eq(c.from[1], IFP_LPA_UP);
	cr_assert_eq(c.to[1], IFP_LPA_DOWN);
	cr_assert_eq(c.from[2], IFP_LPA_DOWN);
	cr_assert_eq(c.to[2], IFP_LPA_UP);
	cr_assert_eq(c.from[3], IFP_LPA_UP);
	cr_assert_eq(c.to[3], IFP_LPA_SILENT);
	cr_assert_eq(tbl.n, 1);
	cr_assert_eq(tbl.m[0].count, 4);
	cr_assert_eq(tbl.m[0].first_ns, S(10));
	cr_assert_eq(tbl.m[0].last_ns, S(13));
	cr_assert_str_eq(ifp_lpa_state_name(IFP_LPA_SILENT), "silent");
}

Test(lpa_table, the_same_id_from_two_sources_is_two_modems)
{
	struct ifp_lpa_heard a = heard(7, 50, true, 1400, S(1));
	struct ifp_lpa_heard b = heard(7, 60, false, 1200, S(1));
	uint16_t mtu;

	ifp_lpa_table_init(&tbl);
	ifp_lpa_table_apply(&tbl, &a, HOLD, NULL, NULL);
	ifp_lpa_table_apply(&tbl, &b, HOLD, NULL, NULL);
	cr_assert_eq(tbl.n, 2);
	cr_assert_eq(tbl.m[0].state, IFP_LPA_UP);
	cr_assert_eq(tbl.m[1].state, IFP_LPA_DOWN);
	/* a route follows the ID: up while any source says up */
	cr_assert(view_up(7, &mtu));
	cr_assert_eq(mtu, 1400);
	/* both up: the smaller MTU, so PMTU discovery fits either path */
	b = heard(7, 60, true, 1200, S(2));
	ifp_lpa_table_apply(&tbl, &b, HOLD, NULL, NULL);
	cr_assert(view_up(7, &mtu));
	cr_assert_eq(mtu, 1200);
	/* an MTU of 0 gives none: the other's stands */
	b = heard(7, 60, true, 0, S(3));
	ifp_lpa_table_apply(&tbl, &b, HOLD, NULL, NULL);
	cr_assert(view_up(7, &mtu));
	cr_assert_eq(mtu, 1400);
	a = heard(7, 50, false, 1400, S(4));
	b = heard(7, 60, false, 0, S(4));
	ifp_lpa_table_apply(&tbl, &a, HOLD, NULL, NULL);
	ifp_lpa_table_apply(&tbl, &b, HOLD, NULL, NULL);
	cr_assert_not(view_up(7, &mtu));
	cr_assert_eq(view.n, 1, "one view entry per Modem ID");
}

Test(lpa_table, a_block_older_than_the_last_is_ignored)
{
	struct ifp_lpa_heard a = heard(7, 50, true, 1400, S(5));
	struct ifp_lpa_heard b = heard(7, 50, false, 1400, S(4));
	uint16_t mtu;

	ifp_lpa_table_init(&tbl);
	ifp_lpa_table_apply(&tbl, &a, HOLD, NULL, NULL);
	ifp_lpa_table_apply(&tbl, &b, HOLD, NULL, NULL);
	cr_assert(view_up(7, &mtu));
	cr_assert_eq(tbl.stale, 1);
	cr_assert_eq(tbl.blocks, 1);
}

Test(lpa_table, rates_are_kept_by_direction)
{
	struct ifp_lpa_heard h = heard(9, 50, true, 1500, S(1));

	ifp_lpa_table_init(&tbl);
	ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL);
	cr_assert_eq(tbl.m[0].dirs, 1u << IFP_LPA_DIR_OUT);
	cr_assert_eq(tbl.m[0].rate[IFP_LPA_DIR_OUT][0], 2000000);
	h.b.if_flags = IFP_LPA_IF_UP; /* incoming */
	h.b.rate_cur = 512000;
	ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL);
	cr_assert_eq(tbl.m[0].rate[IFP_LPA_DIR_OUT][0], 2000000);
	cr_assert_eq(tbl.m[0].rate[IFP_LPA_DIR_IN][0], 512000);
	h.b.if_flags = IFP_LPA_IF_UP | IFP_LPA_IF_BIDIR;
	h.b.rate_max = 9;
	ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL);
	cr_assert_eq(tbl.m[0].rate[IFP_LPA_DIR_OUT][2], 9);
	cr_assert_eq(tbl.m[0].rate[IFP_LPA_DIR_IN][2], 9);
	cr_assert_eq(tbl.m[0].dirs, 3);
}

Test(lpa_table, a_full_table_forgets_the_longest_silent_modem_only)
{
	struct changes c = {0};
	struct ifp_lpa_heard h;
	uint16_t mtu;

	ifp_lpa_table_init(&tbl);
	for (uint32_t i = 0; i < IFP_LPA_MODEMS_MAX; i++) {
		h = heard(i + 1, 50, true, 1500, S(100) + i);
		cr_assert_eq(ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL), 0);
	}
	/* all within hold: no room */
	h = heard(1000, 51, true, 1500, S(101));
	cr_assert_eq(ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL), -1);
	cr_assert_eq(tbl.refused, 1);
	/* later, all silent: modem 1, the longest silent, makes room */
	h = heard(1000, 51, true, 1500, S(200));
	cr_assert_eq(ifp_lpa_table_apply(&tbl, &h, HOLD, note_change, &c), 0);
	cr_assert_eq(tbl.evicted, 1);
	cr_assert_eq(tbl.n, IFP_LPA_MODEMS_MAX);
	cr_assert(view_up(1000, &mtu));
	cr_assert_not(view_up(1, &mtu));
	/* 256 turned silent, then 1 was forgotten, then 1000 came up */
	cr_assert_eq(c.n, IFP_LPA_MODEMS_MAX + 2);
}

Test(lpa_table, the_view_is_sorted_and_compares)
{
	struct ifp_lpa_view v2;
	struct ifp_lpa_heard h;
	uint16_t mtu;

	ifp_lpa_table_init(&tbl);
	for (uint32_t k = 0; k < 8; k++) {
		uint32_t id = 50 - 7 * k; /* 50, 43, ... 1: in reverse */

		h = heard(id, 50, id % 2, (uint16_t)(1000 + id), S(1));
		ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL);
	}
	ifp_lpa_view_build(&tbl, &view);
	for (uint32_t i = 1; i < view.n; i++)
		cr_assert_lt(view.m[i - 1].id, view.m[i].id);
	cr_assert(ifp_lpa_view_up(&view, 43, &mtu));
	cr_assert_eq(mtu, 1043);
	cr_assert_not(ifp_lpa_view_up(&view, 36, &mtu));
	cr_assert_not(ifp_lpa_view_up(&view, 2, &mtu));
	ifp_lpa_view_build(&tbl, &v2);
	cr_assert(ifp_lpa_view_equal(&view, &v2));
	h = heard(43, 50, false, 1043, S(2));
	ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL);
	ifp_lpa_view_build(&tbl, &v2);
	cr_assert_not(ifp_lpa_view_equal(&view, &v2));
}

/* --- the listener and the routes, through ifp_process_burst() ------------ */

#include <rte_ring.h>

#include "ifp_proc.h"

static struct rte_mempool *mp;
static struct ifp_conf conf;
static struct ifp_lcore lc;
static struct rte_ring *ring;
static uint8_t frame[2048];

#define RING_SIZE 64
#define PEER IFP_TEST_IPV4(192, 0, 2, 50)

static void
fp_setup(void)
{
	ssize_t sz = rte_ring_get_memsize_elem(sizeof(struct ifp_lpa_heard), RING_SIZE);

	mp = ifp_test_pool_create(64, 2048);
	ifp_test_conf(&conf);
	conf.lpa.listen = true;
	ifp_lcore_init(&lc, &conf, 1, 1);
	/* a ring without EAL: its memory is ours */
	ring = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL((size_t)sz, RTE_CACHE_LINE_SIZE));
	cr_assert_eq(rte_ring_init(ring, "lpa_test", RING_SIZE,
				   RING_F_SP_ENQ | RING_F_SC_DEQ), 0);
	lc.lpa_ring = ring;
}

static void
fp_teardown(void)
{
	cr_assert_eq(lc.st.rx, lc.st.answered + lc.st.ratelimited +
				       ifp_stats_dropped_total(&lc.st));
	cr_assert_eq(ifp_test_pool_in_use(mp), 0, "mbufs leaked");
	ifp_test_pool_free(mp);
	free(ring);
}

TestSuite(lpa_fast, .init = fp_setup, .fini = fp_teardown);

/* Ethernet + IPv4 + UDP from PEER to @p dst, checksums by DPDK's code */
static uint32_t
udp4(const char *dst_mac, uint32_t dst, uint16_t dport, const void *payload,
     uint16_t plen)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(frame, 0, sizeof(frame));
	memcpy(&eth->dst_addr, dst_mac, 6);
	memcpy(&eth->src_addr, IFP_TEST_MAC_PEER, 6);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + 8 + plen));
	ip->time_to_live = 1;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(PEER);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = RTE_BE16(7575);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + plen));
	memcpy(udp + 1, payload, plen);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	return 14 + 20 + 8 + plen;
}

#define GROUP_MAC "\x01\x00\x5e\x00\x00\x02"
#define ALL_ROUTERS IFP_TEST_IPV4(224, 0, 0, 2)

static struct rte_mbuf *
run(uint32_t len)
{
	return ifp_test_run1(&lc, ifp_test_mbuf(mp, frame, len, 0));
}

static void
assert_dropped(struct rte_mbuf *a, enum ifp_drop why)
{
	cr_assert_null(a, "answered");
	cr_assert_eq(ifp_test_only_drop(&lc.st), (int)why, "dropped as %s, want %s",
		     ifp_drop_name((enum ifp_drop)ifp_test_only_drop(&lc.st)),
		     ifp_drop_name(why));
}

Test(lpa_fast, an_lpa_to_all_routers_is_heard_and_passed_on_never_answered)
{
	struct ifp_lpa_heard h;

	lc.now_ns = S(1234);
	assert_dropped(run(udp4(GROUP_MAC, ALL_ROUTERS, 7575, modem7, 32)),
		       IFP_DROP_LPA_HEARD);
	cr_assert_eq(rte_ring_count(ring), 1);
	cr_assert_eq(rte_ring_sc_dequeue_elem(ring, &h, sizeof(h)), 0);
	cr_assert_eq(h.rx_ns, S(1234));
	cr_assert_eq(h.b.modem_id, 7);
	cr_assert_eq(h.b.mtu, 1200);
	cr_assert_not(h.src.v6);
	cr_assert_eq(h.src.ip4, rte_cpu_to_be_32(PEER));
	cr_assert_eq(h.port, 0);
}

Test(lpa_fast, an_lpa_to_our_address_is_heard_with_no_port_unreachable)
{
	uint8_t two[64];

	memcpy(two, modem7, 32);
	memcpy(two + 32, modem7, 32);
	two[32 + 11] = 8;
	assert_dropped(run(udp4(IFP_TEST_MAC_US, IFP_TEST_IPV4(192, 0, 2, 9), 7575,
				two, sizeof(two))),
		       IFP_DROP_LPA_HEARD);
	cr_assert_eq(rte_ring_count(ring), 2);
}

Test(lpa_fast, other_udp_to_us_still_gets_port_unreachable)
{
	struct rte_mbuf *a = run(udp4(IFP_TEST_MAC_US, IFP_TEST_IPV4(192, 0, 2, 1),
				      33434, modem7, 32));

	cr_assert_not_null(a);
	cr_assert_eq(lc.st.answers[IFP_ANS_PORT_UNREACH], 1);
	rte_pktmbuf_free(a);
}

Test(lpa_fast, other_udp_to_the_group_is_dropped_as_multicast)
{
	assert_dropped(run(udp4(GROUP_MAC, ALL_ROUTERS, 7576, modem7, 32)),
		       IFP_DROP_IP_DST_MULTICAST);
	cr_assert_eq(rte_ring_count(ring), 0);
}

Test(lpa_fast, with_listen_off_the_group_mac_is_not_ours_and_udp_is_unreachable)
{
	struct rte_mbuf *a;

	conf.lpa.listen = false;
	assert_dropped(run(udp4(GROUP_MAC, ALL_ROUTERS, 7575, modem7, 32)),
		       IFP_DROP_L2_OTHER_MAC);
	memset(&lc.st, 0, sizeof(lc.st));
	a = run(udp4(IFP_TEST_MAC_US, IFP_TEST_IPV4(192, 0, 2, 1), 7575, modem7, 32));
	cr_assert_not_null(a);
	cr_assert_eq(lc.st.answers[IFP_ANS_PORT_UNREACH], 1);
	rte_pktmbuf_free(a);
}

Test(lpa_fast, a_group_not_configured_is_not_heard)
{
	/* 224.0.0.5 (OSPF): its MAC is not taken */
	assert_dropped(run(udp4("\x01\x00\x5e\x00\x00\x05", IFP_TEST_IPV4(224, 0, 0, 5),
				7575, modem7, 32)),
		       IFP_DROP_L2_OTHER_MAC);
	/* the all-routers MAC, another group's address: a MAC collision */
	memset(&lc.st, 0, sizeof(lc.st));
	assert_dropped(run(udp4(GROUP_MAC, IFP_TEST_IPV4(239, 128, 0, 2), 7575,
				modem7, 32)),
		       IFP_DROP_IP_DST_MULTICAST);
}

Test(lpa_fast, the_udp_port_is_configurable)
{
	conf.lpa.udp_port = 9999;
	assert_dropped(run(udp4(GROUP_MAC, ALL_ROUTERS, 9999, modem7, 32)),
		       IFP_DROP_LPA_HEARD);
}

Test(lpa_fast, a_bad_udp_checksum_or_length_is_its_own_reason)
{
	uint32_t len = udp4(GROUP_MAC, ALL_ROUTERS, 7575, modem7, 32);

	frame[14 + 20 + 8 + 20] ^= 1; /* a rate bit */
	assert_dropped(run(len), IFP_DROP_LPA_UDP_CHECKSUM);
	memset(&lc.st, 0, sizeof(lc.st));
	len = udp4(GROUP_MAC, ALL_ROUTERS, 7575, modem7, 32);
	/* UDP length past the IP datagram */
	frame[14 + 20 + 5] = 8 + 33;
	assert_dropped(run(len), IFP_DROP_LPA_UDP_LENGTH);
	memset(&lc.st, 0, sizeof(lc.st));
	len = udp4(GROUP_MAC, ALL_ROUTERS, 7575, modem7, 32);
	frame[14 + 20 + 5] = 7;
	assert_dropped(run(len), IFP_DROP_LPA_UDP_LENGTH);
	cr_assert_eq(rte_ring_count(ring), 0);
}

Test(lpa_fast, a_zero_udp_checksum_means_none)
{
	uint32_t len = udp4(GROUP_MAC, ALL_ROUTERS, 7575, modem7, 32);

	frame[14 + 20 + 6] = frame[14 + 20 + 7] = 0;
	assert_dropped(run(len), IFP_DROP_LPA_HEARD);
}

Test(lpa_fast, a_malformed_lpa_is_counted_by_its_reason_and_passes_nothing)
{
	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		memset(&lc.st, 0, sizeof(lc.st));
		assert_dropped(run(udp4(GROUP_MAC, ALL_ROUTERS, 7575, bad[i].bytes,
					bad[i].len)),
			       bad[i].want);
	}
	cr_assert_eq(rte_ring_count(ring), 0);
}

Test(lpa_fast, a_full_ring_is_a_backlog_and_takes_none_of_the_datagram)
{
	uint8_t two[64];

	memcpy(two, modem7, 32);
	memcpy(two + 32, modem7, 32);
	for (unsigned int i = 0; i < RING_SIZE - 2; i++) {
		memset(&lc.st, 0, sizeof(lc.st));
		assert_dropped(run(udp4(GROUP_MAC, ALL_ROUTERS, 7575, modem7, 32)),
			       IFP_DROP_LPA_HEARD);
	}
	/* a ring of 64 holds 63: one left, two wanted */
	memset(&lc.st, 0, sizeof(lc.st));
	assert_dropped(run(udp4(GROUP_MAC, ALL_ROUTERS, 7575, two, 64)),
		       IFP_DROP_LPA_BACKLOG);
	cr_assert_eq(rte_ring_count(ring), RING_SIZE - 2);
	lc.lpa_ring = NULL;
	memset(&lc.st, 0, sizeof(lc.st));
	assert_dropped(run(udp4(GROUP_MAC, ALL_ROUTERS, 7575, modem7, 32)),
		       IFP_DROP_LPA_BACKLOG);
}

/* a transit probe towards 10.20.0.0/16, behind modem 7 */
static uint32_t
probe(uint8_t ttl, uint16_t len, bool df)
{
	uint8_t payload[1500] = {0};
	uint32_t n = udp4(IFP_TEST_MAC_US, IFP_TEST_IPV4(10, 20, 1, 1), 33434,
			  payload, (uint16_t)(len - 28));
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);

	ip->time_to_live = ttl;
	ip->fragment_offset = df ? RTE_BE16(RTE_IPV4_HDR_DF_FLAG) : 0;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return n;
}

static const struct rte_icmp_hdr *
icmp_of(const struct rte_mbuf *a)
{
	return rte_pktmbuf_mtod_offset(a, const struct rte_icmp_hdr *, 14 + 20);
}

static void
modem_route(void)
{
	/* the default route: no rte_lpm (and no EAL) needed */
	conf.route[0] = (struct ifp_route){.depth = 0, .action = IFP_ROUTE_MODEM,
					   .modem = 7};
	conf.n_routes = 1;
	conf.route_default = 0;
}

Test(lpa_fast, a_route_to_a_modem_never_heard_is_net_unreachable)
{
	struct rte_mbuf *a;

	modem_route();
	a = run(probe(64, 100, false));
	cr_assert_not_null(a);
	cr_assert_eq(icmp_of(a)->icmp_type, 3);
	cr_assert_eq(icmp_of(a)->icmp_code, 0);
	cr_assert_eq(lc.st.answers[IFP_ANS_UNREACH_MODEM], 1);
	rte_pktmbuf_free(a);
	/* before the TTL: the net is unreachable, whatever the TTL */
	a = run(probe(1, 100, false));
	cr_assert_eq(icmp_of(a)->icmp_type, 3);
	rte_pktmbuf_free(a);
}

Test(lpa_fast, a_route_to_a_modem_up_answers_ttl_and_its_mtu)
{
	struct ifp_lpa_heard h = heard(7, 50, true, 1200, S(1));
	struct rte_mbuf *a;
	uint32_t aux;

	modem_route();
	ifp_lpa_table_init(&tbl);
	ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL);
	ifp_lpa_view_build(&tbl, &view);
	lc.lpa = &view;
	a = run(probe(1, 100, false));
	cr_assert_eq(icmp_of(a)->icmp_type, 11);
	rte_pktmbuf_free(a);
	a = run(probe(64, 1300, true));
	cr_assert_eq(icmp_of(a)->icmp_type, 3);
	cr_assert_eq(icmp_of(a)->icmp_code, 4);
	memcpy(&aux, &icmp_of(a)->icmp_ident, 4);
	cr_assert_eq(rte_be_to_cpu_32(aux), 1200, "next-hop MTU");
	rte_pktmbuf_free(a);
	/* within the MTU, or fragmentable: not ours to forward */
	cr_assert_null(run(probe(64, 1200, true)));
	cr_assert_null(run(probe(64, 1300, false)));
	cr_assert_eq(lc.st.dropped[IFP_DROP_TRANSIT], 2);
	/* an MTU below 68 says nothing */
	h = heard(7, 50, true, 60, S(2));
	ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL);
	ifp_lpa_view_build(&tbl, &view);
	cr_assert_null(run(probe(64, 1300, true)));
	/* down again */
	h = heard(7, 50, false, 1200, S(3));
	ifp_lpa_table_apply(&tbl, &h, HOLD, NULL, NULL);
	ifp_lpa_view_build(&tbl, &view);
	a = run(probe(1, 100, false));
	cr_assert_eq(icmp_of(a)->icmp_type, 3);
	cr_assert_eq(icmp_of(a)->icmp_code, 0);
	rte_pktmbuf_free(a);
}

/* --- the neighbours of unicast advertise_to destinations ------------------ */

#define PEER6 ((const uint8_t *)IFP_TEST_IP6_PEER)

/* advertise on, to the group and to the peer by both families */
static void
advertise_to_peer(void)
{
	conf.lpa.advertise = true;
	conf.lpa.to[1].ip4 = rte_cpu_to_be_32(PEER);
	conf.lpa.to[2].v6 = true;
	memcpy(conf.lpa.to[2].ip6, PEER6, 16);
	conf.lpa.n_to = 3;
}

/*
 * A neighbour advertisement (RFC 4861 4.4) about @p target from it to
 * @p dst at @p dst_mac, hop limit @p hlim, code @p code, flags @p flags,
 * with @p opt (8 bytes, or NULL for none) as its option.
 */
static uint32_t
na6(const uint8_t *dst_mac, const uint8_t *dst, const uint8_t *target,
    uint8_t hlim, uint8_t code, uint8_t flags, const uint8_t *opt)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	uint8_t *na = (uint8_t *)(ip + 1);
	const uint16_t len = opt != NULL ? 32 : 24;

	memset(frame, 0, sizeof(frame));
	memcpy(&eth->dst_addr, dst_mac, 6);
	memcpy(&eth->src_addr, IFP_TEST_MAC_PEER, 6);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(len);
	ip->proto = 58;
	ip->hop_limits = hlim;
	memcpy(ip->src_addr, target, 16);
	memcpy(ip->dst_addr, dst, 16);
	na[0] = 136;
	na[1] = code;
	na[4] = flags;
	memcpy(na + 8, target, 16);
	if (opt != NULL)
		memcpy(na + 24, opt, 8);
	ifp_test_icmp6_cksum_fix(frame, 14, 14 + 40);
	return 14 + 40 + len;
}

/* the target link-layer address option: a MAC the peer's frame does not
 * come from, so the test sees which one is learned */
static const uint8_t tlla[8] = {2, 1, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
#define NA_SO 0x60 /* solicited, override */

Test(lpa_fast, a_neighbour_advertisement_from_an_advertise_to_address_passes_its_mac_on)
{
	struct ifp_lpa_heard h;

	advertise_to_peer();
	lc.now_ns = S(77);
	assert_dropped(run(na6((const uint8_t *)IFP_TEST_MAC_US,
			       (const uint8_t *)IFP_TEST_IP6_US, PEER6, 255, 0, NA_SO,
			       tlla)),
		       IFP_DROP_LPA_NEIGHBOUR);
	cr_assert_eq(rte_ring_sc_dequeue_elem(ring, &h, sizeof(h)), 0);
	cr_assert_eq(h.kind, IFP_LPA_HEARD_NEIGH);
	cr_assert(h.src.v6);
	cr_assert_arr_eq(h.src.ip6, PEER6, 16);
	cr_assert_arr_eq(h.mac.addr_bytes, tlla + 2, 6, "the target link-layer address");
	cr_assert_eq(h.rx_ns, S(77));
	cr_assert_eq(h.port, 0);
}

static const uint8_t na_other[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1,
				     0, 0, 0, 0, 0, 0, 0, 0x77};
static const uint8_t na_all_nodes[16] = {0xff, 2, [15] = 1};
static const uint8_t na_zero_len[8] = {2, 0};

static const struct na_case {
	const char *what;
	const uint8_t *dst_mac, *dst, *target;
	uint8_t hlim, code, flags;
	const uint8_t *opt;
	enum ifp_drop want;
} na_other_cases[] = {
	{"about a host we do not advertise to", (const uint8_t *)IFP_TEST_MAC_US,
	 (const uint8_t *)IFP_TEST_IP6_US, na_other, 255, 0, NA_SO, tlla, IFP_DROP_ND_TO_US},
	{"unsolicited, to all nodes: not the answer to our solicitation",
	 (const uint8_t *)"\x33\x33\0\0\0\x01", na_all_nodes, PEER6, 255, 0, 0x20, tlla,
	 IFP_DROP_ND_TO_US},
	{"RFC 4861 7.2.5: no target link-layer address, nothing to learn",
	 (const uint8_t *)IFP_TEST_MAC_US, (const uint8_t *)IFP_TEST_IP6_US, PEER6, 255, 0,
	 NA_SO, NULL, IFP_DROP_ND_TO_US},
	/* RFC 4861 7.1.2: hop limit, code, options */
	{"hop limit 254", (const uint8_t *)IFP_TEST_MAC_US, (const uint8_t *)IFP_TEST_IP6_US,
	 PEER6, 254, 0, NA_SO, tlla, IFP_DROP_ND_HOP_LIMIT},
	{"code 1", (const uint8_t *)IFP_TEST_MAC_US, (const uint8_t *)IFP_TEST_IP6_US, PEER6,
	 255, 1, NA_SO, tlla, IFP_DROP_ND_CODE},
	{"an option of length 0", (const uint8_t *)IFP_TEST_MAC_US,
	 (const uint8_t *)IFP_TEST_IP6_US, PEER6, 255, 0, NA_SO, na_zero_len,
	 IFP_DROP_ND_OPTION},
};

Test(lpa_fast, other_neighbour_advertisements_are_still_only_counted)
{
	advertise_to_peer();
	for (unsigned int i = 0; i < RTE_DIM(na_other_cases); i++) {
		const struct na_case *c = &na_other_cases[i];
		struct rte_mbuf *a;

		memset(&lc.st, 0, sizeof(lc.st));
		a = run(na6(c->dst_mac, c->dst, c->target, c->hlim, c->code, c->flags, c->opt));
		cr_assert_null(a, "%s: answered", c->what);
		cr_assert_eq(ifp_test_only_drop(&lc.st), (int)c->want, "%s: dropped as %s",
			     c->what, ifp_drop_name((enum ifp_drop)ifp_test_only_drop(&lc.st)));
	}
	/* advertising off: nobody asked */
	memset(&lc.st, 0, sizeof(lc.st));
	conf.lpa.advertise = false;
	assert_dropped(run(na6((const uint8_t *)IFP_TEST_MAC_US,
			       (const uint8_t *)IFP_TEST_IP6_US, PEER6, 255, 0, NA_SO,
			       tlla)),
		       IFP_DROP_ND_TO_US);
	cr_assert_eq(rte_ring_count(ring), 0);
}

Test(lpa_fast, an_arp_reply_from_an_advertise_to_address_passes_its_mac_on)
{
	const rte_be32_t us = RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 1));
	const rte_be32_t peer = rte_cpu_to_be_32(PEER);
	struct ifp_lpa_heard h;

	advertise_to_peer();
	assert_dropped(run(ifp_test_arp_frame(frame, RTE_ARP_OP_REPLY, IFP_TEST_MAC_US,
					      tlla + 2, peer, us)),
		       IFP_DROP_LPA_NEIGHBOUR);
	cr_assert_eq(rte_ring_sc_dequeue_elem(ring, &h, sizeof(h)), 0);
	cr_assert_eq(h.kind, IFP_LPA_HEARD_NEIGH);
	cr_assert_not(h.src.v6);
	cr_assert_eq(h.src.ip4, peer);
	cr_assert_arr_eq(h.mac.addr_bytes, tlla + 2, 6);
	/* the same reply about a group of advertise_to teaches nothing */
	conf.lpa.to[1].ip4 = RTE_BE32(IFP_TEST_IPV4(224, 0, 0, 2));
	memset(&lc.st, 0, sizeof(lc.st));
	assert_dropped(run(ifp_test_arp_frame(frame, RTE_ARP_OP_REPLY, IFP_TEST_MAC_US,
					      tlla + 2, conf.lpa.to[1].ip4, us)),
		       IFP_DROP_ARP_NOT_REQUEST);
}

Test(lpa_fast, a_neighbour_advertisement_finding_the_ring_full_is_a_backlog)
{
	advertise_to_peer();
	lc.lpa_ring = NULL;
	assert_dropped(run(na6((const uint8_t *)IFP_TEST_MAC_US,
			       (const uint8_t *)IFP_TEST_IP6_US, PEER6, 255, 0, NA_SO,
			       tlla)),
		       IFP_DROP_LPA_BACKLOG);
}

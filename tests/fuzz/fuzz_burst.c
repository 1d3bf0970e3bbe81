/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: arbitrary bursts through ifp_process_burst(), on the
 * test mempool of tests/unit (no EAL), under ASan and UBSan.
 *
 * After every burst: the counters add up (rx = answered + ratelimited +
 * sum of dropped), and every answer is well formed: its segments add up to
 * its length, it leaves from our MAC, an ARP reply is a reply from one of
 * our addresses, an IPv4 answer has a consistent header, a good header
 * checksum, an ICMP checksum good over the whole message (both checked with
 * DPDK's rte_raw_cksum, not ours), comes from one of our addresses, is
 * never larger than what triggered it unless it is an error within 576
 * bytes; an IPv6 answer likewise: its payload length the frame's, its
 * ICMPv6 checksum good with the pseudo-header (DPDK's sums), from one of
 * our IPv6 addresses, to a unicast or the group its kind goes to, at most
 * 1280 bytes when it is an error. After every input: no mbuf left out of the pool (once the
 * reassembly table, where there is one, has let go of what it holds).
 *
 * Input (tests/fuzz/make_corpus.py writes seeds of it):
 *
 *   u8 conf      bit 0 echo_broadcast, 1 echo off, 2 echo_per_sec = 5,
 *                3 tight error limits and a [policy] (every kind,
 *                  deny, rate, `to`, default deny), 4 reassembly off,
 *                  5 extensions,
 *                6 TX IP checksum offload, 7 the PMD takes half the answers
 *   u8 conf2     bit 0 address_mask, 1 extended_echo, 2 timestamp off,
 *                3 extreme limits (rates 1 and 1e8, bursts 1e8),
 *                4 one of 128 lcores sharing the global limits,
 *                5 LPA: [lpa] listen and advertise (to 192.0.2.2 and
 *                  2001:db8:0:1::2), the default routes (0.0.0.0/0 and
 *                  ::/0) follow modem 7; without it, ::/0 = mtu 1280 when
 *                  bit 6 is set; what the lcore passes on
 *                  is applied to a modem table after every burst (as the
 *                  main lcore does) and its view given back
 *                6 [icmp6] echo_multicast, extended_echo and extensions,
 *                7 [icmp6] reassembly off; IPv6 off on the port when bit
 *                6 is clear
 *   u8 seg       0: one segment per frame; else segments of seg bytes
 *   records      u8 ctl, u16 len (big endian), len bytes of frame
 *                ctl bit 0: the burst ends after this frame
 *                ctl bit 1/2: RX flag IP checksum good/bad
 *                ctl bits 3-7: the burst's clock advances that many ms
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "ifp_lpa_table.h"
#include "ifp_policy.h"
#include "ifp_proc.h"
#include "ifp_test.h"

#define FUZZ_POOL 16384
#define FUZZ_ROOM 2048
#define FUZZ_MAX_FRAME 9018 /* a jumbo frame with a VLAN tag */
#define FUZZ_MAX_SEGS 128
/* RFC 1812 4.3.2.3: an error datagram is at most 576 bytes */
#define FUZZ_ERROR_MAX 576
#define FUZZ_T0 (1795000000ull * 1000000000ull)

/*
 * Issue 3 (main) lets an answer larger than the port MTU leave in
 * fragments (indirect mbufs, up to IFP_TX_MAX frames per burst). Built
 * against it, the target gives the lcore an indirect pool and checks that
 * no frame exceeds the MTU.
 */
#ifdef IFP_TX_MAX
#define FUZZ_TX_MAX IFP_TX_MAX
#define FUZZ_REPLY_FRAGMENTS 1
#else
#define FUZZ_TX_MAX IFP_BURST_MAX
#define FUZZ_REPLY_FRAGMENTS 0
#endif

/*
 * Issue 3's reassembly table lives in rte_malloc memory: built against it,
 * the target starts EAL once (no hugepages, no PCI) and gives each input a
 * fresh table, freed at its end, so that fragments are fuzzed too. The
 * mbufs still come from the test pool.
 */
#ifdef IFP_FRAG_FLOWS
#include <unistd.h>

#include <rte_eal.h>
#include <rte_memory.h>
#define FUZZ_REASSEMBLY 1
#else
#define FUZZ_REASSEMBLY 0
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rte_mempool *mp;
static struct rte_mempool *indirect;
static struct ifp_conf conf;
static struct ifp_lcore lc;
static uint8_t flat[FUZZ_MAX_FRAME + 64];
/* the main lcore's part of LPA (conf2 bit 5) */
#define FUZZ_LPA_RING 256
static struct rte_ring *lpa_ring;
static struct ifp_lpa_table lpa_table;
static struct ifp_lpa_view lpa_view;
/* [policy] (issue 21), with the tight error limits (conf bit 3): built
 * once (rte_acl needs EAL), every kind, deny, rate, `to`, default deny */
static struct ifp_policy *policy;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_burst: %s:%d: %s: ", __FILE__,   \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			abort();                                               \
		}                                                              \
	} while (0)

#if FUZZ_REASSEMBLY
static void
fuzz_runtime_dir_remove(void)
{
	rmdir(rte_eal_get_runtime_dir());
}
#endif

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
#if FUZZ_REASSEMBLY
	{
		static char prefix[64];
		static char *eal[] = {
		    "fuzz_burst",
		    "--no-huge",
		    "-m",
		    "64",
		    "--no-pci",
		    "--no-shconf",
		    "--no-telemetry",
		    "--log-level=error",
		    prefix,
		    NULL,
		};

		snprintf(prefix, sizeof(prefix), "--file-prefix=ifp-fuzz-%d",
			 (int)getpid());
		if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
			abort();
		/* EAL leaves its runtime directory (empty with --no-shconf
		 * and --no-telemetry) behind: one a fuzzing process */
		atexit(fuzz_runtime_dir_remove);
	}
#endif
#if FUZZ_REASSEMBLY
	{
		static const char *const rules[][2] = {
		    {"default", "deny"},
		    {"192.0.2.2 echo,extended-echo", "rate 5/s burst 3"},
		    {"0.0.0.0/0 to 192.0.2.9 *", "deny"},
		    {"0.0.0.0/0 echo,time-exceeded,unreachable,packet-too-big,param-problem",
		     "allow"},
		    {"0.0.0.0/0 timestamp,address-mask", "rate 2/s burst 1"},
		    {"0.0.0.0/0 neighbour,lpa", "rate 100/s burst 2"},
		    {"2001:db8:bad::/48 *", "deny"},
		    {"::/0 echo,extended-echo,packet-too-big", "rate 1000/s burst 4"},
		    {"::/0 time-exceeded,unreachable,param-problem", "deny"},
		    {"::/0 neighbour,mld,lpa", "rate 100/s burst 2"},
		};
		struct ifp_policy_conf pc;
		char err[256];

		ifp_policy_conf_init(&pc);
		for (unsigned int i = 0; i < RTE_DIM(rules); i++)
			if (ifp_policy_entry(&pc, rules[i][0], rules[i][1], i + 1, err,
					     sizeof(err)) < 0) {
				fprintf(stderr, "fuzz_burst: policy: %s\n", err);
				abort();
			}
		if (ifp_policy_build(&pc, "fuzz.ini", "fuzz_policy", SOCKET_ID_ANY, 1,
				     &policy, err, sizeof(err)) < 0) {
			fprintf(stderr, "fuzz_burst: policy: %s\n", err);
			abort();
		}
		ifp_policy_conf_free(&pc);
	}
#endif
	mp = ifp_test_pool_create(FUZZ_POOL, FUZZ_ROOM);
	indirect = ifp_test_pool_create(FUZZ_POOL, 0);
	lpa_ring = aligned_alloc(RTE_CACHE_LINE_SIZE,
				 RTE_ALIGN_CEIL((size_t)rte_ring_get_memsize_elem(
						    sizeof(struct ifp_lpa_heard),
						    FUZZ_LPA_RING),
						RTE_CACHE_LINE_SIZE));
	if (lpa_ring == NULL ||
	    rte_ring_init(lpa_ring, "fuzz_lpa", FUZZ_LPA_RING,
			  RING_F_SP_ENQ | RING_F_SC_DEQ) != 0)
		abort();
	return 0;
}

static void
fuzz_conf(uint8_t f1, uint8_t f2)
{
	ifp_test_conf(&conf);
	conf.icmp.echo_broadcast = f1 & 0x01;
	conf.icmp.echo = !(f1 & 0x02);
	if (f1 & 0x04)
		conf.ratelimit.echo_per_sec = 5;
	if (f1 & 0x08) {
		/* not with echo_per_sec: the echo fast path decides too */
		conf.policy = policy;
		conf.ratelimit.errors_per_sec = 10;
		conf.ratelimit.errors_burst = 1;
		conf.ratelimit.per_source_per_sec = 1;
		conf.ratelimit.per_source_burst = 3;
	}
	conf.icmp.reassembly = !(f1 & 0x10);
	conf.icmp.extensions = f1 & 0x20;
	if (f1 & 0x40)
		conf.port[0].flags |= IFP_PORT_TX_IPV4_CKSUM;
	conf.icmp6.echo_multicast = f2 & 0x40;
	conf.icmp6.extended_echo = f2 & 0x40;
	conf.icmp6.extensions = f2 & 0x40;
	conf.icmp6.reassembly = !(f2 & 0x80);
	if ((f2 & 0xc0) == 0x80)
		conf.port[0].n_addr6 = 0;
	conf.icmp.address_mask = f2 & 0x01;
	conf.icmp.extended_echo = f2 & 0x02;
	conf.icmp.timestamp = !(f2 & 0x04);
	if (f2 & 0x20) {
		conf.lpa.listen = true;
		conf.lpa.advertise = true;
		conf.lpa.to[1].ip4 = RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 2));
		conf.lpa.to[2].v6 = true;
		memcpy(conf.lpa.to[2].ip6, IFP_TEST_IP6_PEER, 16);
		conf.lpa.n_to = 3;
		/* the default routes: no rte_lpm nor rte_lpm6 needed */
		conf.route[0] = (struct ifp_route){.action = IFP_ROUTE_MODEM,
						   .modem = 7};
		conf.route[1] = (struct ifp_route){.action = IFP_ROUTE_MODEM,
						   .modem = 7, .v6 = true};
		conf.n_routes = 2;
		conf.route_default = 0;
		conf.route_default6 = 1;
	} else if (f2 & 0x40) {
		/* IPv6 transit: Packet Too Big above 1280, the rest drops */
		conf.route[0] = (struct ifp_route){.action = IFP_ROUTE_MTU,
						   .arg = 1280, .v6 = true};
		conf.n_routes = 1;
		conf.route_default6 = 0;
	}
	if (f2 & 0x08) {
		conf.ratelimit.errors_per_sec = 1;
		conf.ratelimit.errors_burst = 100000000;
		conf.ratelimit.per_source_per_sec = 100000000;
		conf.ratelimit.per_source_burst = 3;
		conf.ratelimit.echo_per_sec = 1;
	}
}

static bool
is_our_ip(rte_be32_t a)
{
	for (unsigned int i = 0; i < conf.port[0].n_addr; i++)
		if (conf.port[0].addr[i].ip == a)
			return true;
	return false;
}

static bool
is_our_ip6(const uint8_t *a)
{
	for (unsigned int i = 0; i < conf.port[0].n_addr6; i++)
		if (memcmp(conf.port[0].addr6[i].ip, a, 16) == 0)
			return true;
	return false;
}

/* an IPv6 packet with a Fragment header among its first headers */
static bool
is_fragment6(const uint8_t *f, uint32_t len, uint32_t l2)
{
	uint32_t off = l2 + 40;
	uint8_t nh;

	if (len < off)
		return false;
	nh = f[l2 + 6];
	for (int i = 0; i < 8 && off + 8 <= len; i++) {
		if (nh == 44)
			return true;
		if (nh != 0 && nh != 43 && nh != 60)
			return false;
		nh = f[off];
		off += (f[off + 1] + 1u) * 8;
	}
	return nh == 44;
}

static bool
is_fragment(const uint8_t *f, uint32_t len)
{
	uint32_t l2 = 14;
	const struct rte_ipv4_hdr *ip;

	if (len >= 18 && f[12] == 0x81 && f[13] == 0x00)
		l2 = 18;
	if (len >= l2 && f[l2 - 2] == 0x86 && f[l2 - 1] == 0xdd)
		return is_fragment6(f, len, l2);
	if (len < l2 + sizeof(*ip))
		return false;
	ip = (const void *)(f + l2);
	return (ip->fragment_offset &
		RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0;
}

static void
check_arp(const uint8_t *f, uint32_t len, uint32_t l2)
{
	const struct rte_arp_hdr *arp = (const void *)(f + l2);

	CHECK(len >= l2 + sizeof(*arp), "ARP answer of %u bytes", len);
	CHECK(arp->arp_hardware == RTE_BE16(RTE_ARP_HRD_ETHER) &&
		  arp->arp_protocol == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
		  arp->arp_hlen == 6 && arp->arp_plen == 4,
	      "ARP format");
	CHECK(arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY), "ARP opcode");
	CHECK(memcmp(&arp->arp_data.arp_sha, IFP_TEST_MAC_US, 6) == 0,
	      "ARP sender MAC");
	CHECK(is_our_ip(arp->arp_data.arp_sip), "ARP sender IP");
	CHECK(memcmp(f, &arp->arp_data.arp_tha, 6) == 0,
	      "ARP reply not sent to its target");
}

static void
check_ipv4(const struct rte_mbuf *m, const uint8_t *f, uint32_t len,
	   uint32_t l2, uint32_t in_len)
{
	const struct rte_ipv4_hdr *ip = (const void *)(f + l2);
	uint32_t ihl, tot, dst;
	bool frag;

	CHECK(len >= l2 + sizeof(*ip), "IPv4 answer of %u bytes", len);
	CHECK((ip->version_ihl >> 4) == 4, "IP version");
	ihl = (ip->version_ihl & 0xf) * 4u;
	tot = rte_be_to_cpu_16(ip->total_length);
	CHECK(ihl >= 20 && ihl <= tot, "IHL %u, total length %u", ihl, tot);
	CHECK(tot == len - l2, "total length %u in a frame of %u (l2 %u)", tot,
	      len, l2);
	if (FUZZ_REPLY_FRAGMENTS)
		CHECK(tot <= conf.port[0].mtu, "a frame of %u bytes, MTU %u",
		      tot, conf.port[0].mtu);
	if (!(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM))
		CHECK(rte_raw_cksum(ip, ihl) == 0xffff, "IP header checksum");
	else
		CHECK(m->l2_len == l2 && m->l3_len == ihl,
		      "TX offload without l2_len/l3_len");
	CHECK(is_our_ip(ip->src_addr), "answer from a foreign address");
	dst = rte_be_to_cpu_32(ip->dst_addr);
	CHECK(dst != 0 && (dst >> 24) != 127 && (dst >> 28) < 0xe,
	      "answer to a martian 0x%08x", dst);
	CHECK(ip->next_proto_id == IPPROTO_ICMP, "protocol %u",
	      ip->next_proto_id);
	frag = (ip->fragment_offset &
		RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0;
	if (!frag) {
		const uint8_t *icmp = f + l2 + ihl;
		uint8_t type;

		CHECK(tot - ihl >= 8, "ICMP message of %u bytes", tot - ihl);
		CHECK(rte_raw_cksum(icmp, tot - ihl) == 0xffff,
		      "ICMP checksum");
		type = icmp[0];
		if (type == 3 || type == 4 || type == 5 || type == 11 ||
		    type == 12)
			CHECK(tot <= FUZZ_ERROR_MAX, "error of %u bytes", tot);
	}
	/* no amplification: an answer is at most its trigger, an error at
	 * most 576 bytes of IP (reassembled answers are bigger than the
	 * fragment whose mbuf they reuse: not checked here) */
	if (in_len != 0)
		CHECK(len <= RTE_MAX(in_len, l2 + FUZZ_ERROR_MAX),
		      "answer of %u bytes to %u", len, in_len);
}

/* the ICMPv6 message at @p icmp of @p len bytes after the IPv6 header @p ip
 * sums to 0xffff with its pseudo-header (DPDK's rte_ipv6_phdr_cksum) */
static bool
icmp6_cksum_good(const struct rte_ipv6_hdr *ip, const uint8_t *icmp, uint32_t len)
{
	struct rte_ipv6_hdr h = *ip;
	uint32_t sum;

	h.proto = 58;
	h.payload_len = rte_cpu_to_be_16((uint16_t)len);
	sum = rte_ipv6_phdr_cksum(&h, 0);
	sum += rte_raw_cksum(icmp, len);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

static void
check_ipv6(const struct rte_mbuf *m, const uint8_t *f, uint32_t len,
	   uint32_t l2, uint32_t in_len)
{
	const struct rte_ipv6_hdr *ip = (const void *)(f + l2);
	const uint8_t *p = (const uint8_t *)(ip + 1);
	uint32_t plen, off = 0;
	uint8_t nh;

	CHECK(len >= l2 + sizeof(*ip), "IPv6 answer of %u bytes", len);
	CHECK((f[l2] >> 4) == 6, "IPv6 version");
	plen = rte_be_to_cpu_16(ip->payload_len);
	CHECK(plen + sizeof(*ip) == len - l2, "payload %u in a frame of %u (l2 %u)",
	      plen, len, l2);
	CHECK(plen + sizeof(*ip) <= conf.port[0].mtu, "a packet of %u bytes, MTU %u",
	      plen + 40, conf.port[0].mtu);
	CHECK(m->l2_len == l2 && m->l3_len == sizeof(*ip), "l2_len %u l3_len %u",
	      m->l2_len, m->l3_len);
	CHECK(is_our_ip6(ip->src_addr), "IPv6 answer from a foreign address");
	CHECK(!(ip->src_addr[0] == 0xff), "from a group");
	nh = ip->proto;
	/* the MLDv2 report's Hop-by-Hop header (Router Alert) */
	if (nh == 0) {
		CHECK(plen >= 8, "Hop-by-Hop of a %u-byte payload", plen);
		nh = p[0];
		off = (p[1] + 1u) * 8;
		CHECK(off <= plen, "Hop-by-Hop past the payload");
	}
	if (nh == 44)
		return; /* a fragment of a reply: the whole was checked */
	CHECK(nh == 58, "next header %u", nh);
	CHECK(plen - off >= 8, "ICMPv6 message of %u bytes", plen - off);
	CHECK(icmp6_cksum_good(ip, p + off, plen - off), "ICMPv6 checksum");
	switch (p[off]) {
	case 136: /* NA: to the solicitor, or to ff02::1 (DAD, RFC 4862) */
		CHECK(ip->hop_limits == 255, "NA hop limit %u", ip->hop_limits);
		CHECK(ip->dst_addr[0] != 0xff || ip->dst_addr[15] == 1, "NA to a group");
		break;
	case 143: /* MLDv2 report to ff02::16 from the link-local */
		CHECK(ip->hop_limits == 1 && ip->dst_addr[15] == 0x16 &&
		      memcmp(ip->src_addr, conf.port[0].addr6[0].ip, 16) == 0,
		      "MLD report");
		break;
	default:
		CHECK(ip->dst_addr[0] != 0xff, "answer to a group");
		CHECK(ip->hop_limits == conf.icmp6.reply_hop_limit, "hop limit %u",
		      ip->hop_limits);
		/* RFC 4443 2.4(c): an error within 1280 bytes */
		if (p[off] < 128)
			CHECK(len - l2 <= 1280, "error of %u bytes", len - l2);
		break;
	}
	/* no amplification: an answer is at most its trigger, an error at
	 * most 1280 bytes, an MLD report at most what 17 groups take */
	if (in_len != 0)
		CHECK(len <= RTE_MAX(in_len, l2 + 1280), "answer of %u bytes to %u",
		      len, in_len);
}

static void
check_answer(const struct rte_mbuf *m, uint32_t in_len)
{
	const struct rte_mbuf *s;
	uint32_t sum = 0, nseg = 0, len, l2 = 14;
	uint16_t type;

	for (s = m; s != NULL; s = s->next) {
		sum += s->data_len;
		nseg++;
	}
	CHECK(sum == m->pkt_len, "segments hold %u of %u bytes", sum,
	      m->pkt_len);
	CHECK(nseg == m->nb_segs, "%u segments, nb_segs %u", nseg, m->nb_segs);
	CHECK(m->pkt_len <= sizeof(flat), "answer of %u bytes", m->pkt_len);
	len = ifp_test_mbuf_read(m, flat, sizeof(flat));
	CHECK(len >= 14, "answer of %u bytes", len);
	CHECK(memcmp(flat + 6, IFP_TEST_MAC_US, 6) == 0, "source MAC");
	type = (uint16_t)(flat[12] << 8 | flat[13]);
	if (type == RTE_ETHER_TYPE_VLAN) {
		CHECK(len >= 18, "VLAN answer of %u bytes", len);
		type = (uint16_t)(flat[16] << 8 | flat[17]);
		l2 = 18;
	}
	if (type == RTE_ETHER_TYPE_ARP)
		check_arp(flat, len, l2);
	else if (type == RTE_ETHER_TYPE_IPV4)
		check_ipv4(m, flat, len, l2, in_len);
	else if (type == RTE_ETHER_TYPE_IPV6)
		check_ipv6(m, flat, len, l2, in_len);
	else
		CHECK(false, "answer of ethertype 0x%04x", type);
}

static void
check_counters(void)
{
	const struct ifp_stats *st = &lc.st;
	uint64_t answers = 0, limited = 0;

	for (unsigned int i = 0; i < IFP_ANS_MAX; i++) {
		answers += st->answers[i];
		limited += st->ratelimited_by[i];
	}
	CHECK(st->rx ==
		  st->answered + st->ratelimited + ifp_stats_dropped_total(st),
	      "rx %lu != answered %lu + ratelimited %lu + dropped %lu",
	      (unsigned long)st->rx, (unsigned long)st->answered,
	      (unsigned long)st->ratelimited,
	      (unsigned long)ifp_stats_dropped_total(st));
	CHECK(answers == st->answered + st->dropped[IFP_DROP_TX_FULL],
	      "answers by kind %lu", (unsigned long)answers);
	CHECK(limited == st->ratelimited, "ratelimited by kind %lu",
	      (unsigned long)limited);
}

/* The main lcore's part: every Rate Block passed on goes into the table,
 * the hold timer runs, the view goes back to the lcore. */
static void
lpa_main_step(void)
{
	struct ifp_lpa_heard h;

	if (lc.lpa_ring == NULL)
		return;
	while (rte_ring_sc_dequeue_elem(lpa_ring, &h, sizeof(h)) == 0) {
		CHECK(h.kind == IFP_LPA_HEARD_RATE || h.kind == IFP_LPA_HEARD_NEIGH,
		      "kind %u", h.kind);
		CHECK(h.rx_ns == lc.now_ns, "RX time");
		if (h.kind == IFP_LPA_HEARD_RATE) {
			CHECK(h.b.modem_id != 0, "Modem ID 0 passed on");
			ifp_lpa_table_apply(&lpa_table, &h, 3000000000ull, NULL, NULL);
		}
	}
	ifp_lpa_table_tick(&lpa_table, lc.now_ns, 3000000000ull, NULL, NULL);
	CHECK(lpa_table.n <= IFP_LPA_MODEMS_MAX, "%u modems", lpa_table.n);
	ifp_lpa_view_build(&lpa_table, &lpa_view);
	for (uint32_t i = 1; i < lpa_view.n; i++)
		CHECK(lpa_view.m[i - 1].id < lpa_view.m[i].id, "view not sorted");
	lc.lpa = &lpa_view;
}

static void
run_burst(struct rte_mbuf **pkts, const uint32_t *in_len, uint16_t n,
	  bool tx_half)
{
	struct rte_mbuf *in[IFP_BURST_MAX], *tx[FUZZ_TX_MAX];
	uint16_t ntx, sent;

	memcpy(in, pkts, n * sizeof(*in));
	ntx = ifp_process_burst(&lc, pkts, n, tx);
	CHECK(ntx <= FUZZ_TX_MAX, "%u frames out for %u in", ntx, n);
	CHECK(FUZZ_REPLY_FRAGMENTS || ntx <= n, "%u answers to %u frames", ntx,
	      n);
	check_counters();
	for (uint16_t i = 0; i < ntx; i++) {
		uint32_t len = 0;

		for (uint16_t j = 0; j < n; j++)
			if (in[j] == tx[i])
				len = in_len[j];
		for (uint16_t j = 0; j < i; j++)
			CHECK(tx[j] != tx[i], "one mbuf answered twice");
		check_answer(tx[i], len);
	}
	sent = tx_half ? ntx / 2 : ntx;
	ifp_tx_account(&lc, tx, ntx, sent);
	check_counters();
	if (sent)
		rte_pktmbuf_free_bulk(tx, sent);
	lpa_main_step();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *pkts[IFP_BURST_MAX];
	uint32_t in_len[IFP_BURST_MAX];
	uint16_t n = 0;
	uint32_t seg;
	bool tx_half;
	size_t off = 3;

	if (size < 3)
		return -1;
	fuzz_conf(data[0], data[1]);
	tx_half = data[0] & 0x80;
	seg = data[2];
	ifp_lcore_init(&lc, &conf, 0, (data[1] & 0x10) ? 128 : 1);
	ifp_rl_seed_set(&lc.rl, 0);
#if FUZZ_REPLY_FRAGMENTS
	lc.indirect_pool = indirect;
#endif
#if FUZZ_REASSEMBLY
	{
		char err[128];

		if (ifp_lcore_frag_create(&lc, SOCKET_ID_ANY, err,
					  sizeof(err)) < 0) {
			fprintf(stderr, "fuzz_burst: %s\n", err);
			abort();
		}
	}
#endif
	lc.now_ns = FUZZ_T0;
	if (data[1] & 0x20) {
		rte_ring_reset(lpa_ring);
		ifp_lpa_table_init(&lpa_table);
		lc.lpa_ring = lpa_ring;
	}

	while (off + 3 <= size) {
		uint8_t ctl = data[off];
		uint32_t len = (uint32_t)data[off + 1] << 8 | data[off + 2];
		uint32_t s = seg;
		struct rte_mbuf *m;

		off += 3;
		len = RTE_MIN(len, (uint32_t)(size - off));
		len = RTE_MIN(len, (uint32_t)FUZZ_MAX_FRAME);
		if (s != 0 && len / s >= FUZZ_MAX_SEGS)
			s = len / FUZZ_MAX_SEGS + 1;
		if (n == 0)
			lc.now_ns += (uint64_t)(ctl >> 3) * 1000000u;
		m = ifp_test_mbuf(mp, data + off, len, s);
		if (ctl & 0x02)
			m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
		else if (ctl & 0x04)
			m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_BAD;
		/* an answer is never bigger than a trigger that is not a
		 * fragment (a reassembled one is) */
		in_len[n] = is_fragment(data + off, len) ? 0 : len;
		pkts[n++] = m;
		off += len;
		if ((ctl & 0x01) || n == IFP_BURST_MAX) {
			run_burst(pkts, in_len, n, tx_half);
			n = 0;
		}
	}
	if (n)
		run_burst(pkts, in_len, n, tx_half);
#if FUZZ_REASSEMBLY
	/* what the table still holds was counted when it came */
	ifp_lcore_frag_free(&lc);
#endif
	CHECK(ifp_test_pool_in_use(mp) == 0, "%u mbufs not returned",
	      ifp_test_pool_in_use(mp));
	CHECK(ifp_test_pool_in_use(indirect) == 0,
	      "%u indirect mbufs not returned", ifp_test_pool_in_use(indirect));
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#if defined(RTE_ARCH_X86_64)
#include <immintrin.h>
#endif

#include "ifp_cksum.h"
#include "ifp_classify.h"
#include "ifp_pkt.h"

#define IFP_ECHO_MIN_FRAME                                                   \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) +        \
	 sizeof(struct rte_icmp_hdr))
#define IFP_CLASSIFY_PREFETCH 4
/* a 32-bit constant written as the bytes lie in memory, first byte highest:
 * for comparing four header bytes in one load */
#define IFP_BYTES32(x) rte_cpu_to_be_32((uint32_t)(x))
/* bursts left to the per-frame check after a group pass that found too
 * few plain echo requests */
#define IFP_CLASSIFY_X8_BACKOFF 64

static bool ifp_classify_on = true;
static bool ifp_classify_x8_on = false;

void
ifp_classify_enable(bool on)
{
	ifp_classify_on = on;
}

bool
ifp_classify_enabled(void)
{
	return ifp_classify_on;
}

void
ifp_classify_x8_enable(bool on)
{
	ifp_classify_x8_on = on;
}

/*
 * A MAC as the low 48 bits of one 8-byte load (both callers have two more
 * bytes after it: the source MAC, the port's MTU). Copying 6 bytes into a
 * zeroed word instead costs a failed store forward, ~20 cycles.
 */
static inline uint64_t
ifp_mac48(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v & 0xffffffffffffULL;
}

/* the 20 bytes of an IHL-5 header, folded: 0xffff when it verifies */
static inline uint16_t
ifp_ipv4_hdr_sum(const struct rte_ipv4_hdr *ip)
{
	uint64_t a, b, s;
	uint32_t c;

	memcpy(&a, ip, 8);
	memcpy(&b, (const uint8_t *)ip + 8, 8);
	memcpy(&c, (const uint8_t *)ip + 16, 4);
	s = (a & 0xffffffff) + (a >> 32) + (b & 0xffffffff) + (b >> 32) + c;
	s = (s & 0xffffffff) + (s >> 32);
	return ifp_cksum_fold((uint32_t)s);
}

/*
 * The checks of the scalar path (ifp_l2_input, ifp_ipv4_input,
 * ifp_icmp_input, ifp_icmp_echo), narrowed to the case where every one of
 * them passes; anything else returns NULL and the frame goes the scalar
 * way, which then finds the drop reason itself.
 */
static inline const struct ifp_addr *
ifp_classify_plain_echo(const struct ifp_conf *conf, struct rte_mbuf *m)
{
	const struct ifp_port_conf *port = &conf->port[m->port];
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const struct rte_icmp_hdr *icmp;
	const struct ifp_addr *local;
	uint64_t dst, ck_flags;
	uint32_t src, w;
	uint16_t ip_len;

	/* one segment, long enough for Ethernet, IPv4 and ICMP headers */
	if (m->nb_segs != 1 || m->data_len != m->pkt_len ||
	    m->data_len < IFP_ECHO_MIN_FRAME)
		return NULL;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	icmp = (const struct rte_icmp_hdr *)(ip + 1);

	/* L2: ours or broadcast, IPv4 without a tag */
	dst = ifp_mac48(&eth->dst_addr);
	if (dst != ifp_mac48(&port->mac) && dst != 0xffffffffffffULL)
		return NULL;

	/*
	 * RFC 1812 5.2.2 in two loads: the EtherType, version 4 and IHL 5 (no
	 * options) in the frame's bytes 12..15 (the TOS byte not compared);
	 * not a fragment (MF and offset zero, DF and the reserved bit not
	 * compared) and ICMP in bytes 20..23 (the TTL not compared)
	 */
	memcpy(&w, &eth->ether_type, sizeof(w));
	if ((w & IFP_BYTES32(0xffffff00)) !=
	    IFP_BYTES32((RTE_ETHER_TYPE_IPV4 << 16) | (RTE_IPV4_VHL_DEF << 8)))
		return NULL;
	memcpy(&w, &ip->fragment_offset, sizeof(w));
	if ((w & IFP_BYTES32(0x3fff00ff)) != IFP_BYTES32(IPPROTO_ICMP))
		return NULL;
	/* total length exactly the frame (no padding to trim); a reply
	 * larger than the port's MTU leaves in fragments: scalar */
	ip_len = rte_be_to_cpu_16(ip->total_length);
	if (ip_len + sizeof(*eth) != m->data_len ||
	    ip_len < sizeof(*ip) + sizeof(*icmp) || ip_len > port->mtu)
		return NULL;

	/* RFC 1812 5.3.7: no martian source */
	src = rte_be_to_cpu_32(ip->src_addr);
	if (src == 0 || (src >> 24) == 127 || (src >> 28) >= 0xe)
		return NULL;

	/* echo request, to one of our unicast addresses */
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST)
		return NULL;
	local = ifp_port_addr_find(port, ip->dst_addr);
	if (local == NULL)
		return NULL;

	/* both checksums; the PMD's flag may vouch for the header's */
	ck_flags = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	if (ck_flags == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return NULL;
	if (ck_flags != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
	    ifp_ipv4_hdr_sum(ip) != 0xffff)
		return NULL;
	if (ifp_cksum_raw(icmp, ip_len - sizeof(*ip)) != 0xffff)
		return NULL;
	return local;
}

/*
 * What ifp_icmp_echo() and ifp_ipv4_reply_prepare() write, for an IHL-5
 * header: type 0 and both checksums updated per RFC 1624.
 */
static inline void
ifp_classify_echo_reply(const struct ifp_conf *conf, struct rte_mbuf *m)
{
	const struct ifp_port_conf *port = &conf->port[m->port];
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	const rte_be32_t old_dst = ip->dst_addr;
	const rte_be16_t old_frag = ip->fragment_offset;
	const uint8_t old_ttl = ip->time_to_live;
	const bool vouched = (m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) ==
			     RTE_MBUF_F_RX_IP_CKSUM_GOOD;

	/* type 8 -> 0 (RFC 1624 eqn. 3): ~old + new is 0xffff - 8, whatever
	 * the code, as ifp_icmp_echo_turn() computes it */
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = ifp_cksum_final((uint16_t)~icmp->icmp_cksum + 0xfff7u);

	eth->dst_addr = eth->src_addr;
	eth->src_addr = port->mac;

	/* the source is the local address the request went to, its
	 * destination: a swap, which leaves the header's sum as it was */
	ip->dst_addr = ip->src_addr;
	ip->src_addr = old_dst;
	ip->time_to_live = conf->icmp.reply_ttl;
	ip->fragment_offset = old_frag & RTE_BE16(RTE_IPV4_HDR_DF_FLAG);

	ifp_mbuf_tx_flags_reset(m);
	m->tx_offload = rte_mbuf_tx_offload(sizeof(*eth), sizeof(*ip), 0, 0,
					    0, 0, 0);
	m->hash.usr = 1; /* the frame that stands for the answer */
	if (port->flags & IFP_PORT_TX_IPV4_CKSUM) {
		ip->hdr_checksum = 0;
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
		return;
	}
	/* the PMD vouched for the header, so it was never summed here: an
	 * update would carry on whatever sum it had */
	if (vouched) {
		ip->hdr_checksum = 0;
		ip->hdr_checksum = ifp_cksum_final(ifp_ipv4_hdr_sum(ip));
		return;
	}
	/*
	 * RFC 1624 eqn. 3 for the TTL|protocol and flags words, one fold, as
	 * ifp_x8_reply() does: ~old + new is 0xffff + new TTL - old TTL (the
	 * TTL is the word's first byte, the low one as loaded), and 0xffff -
	 * the bits cleared from the flags word. The scalar path's update also
	 * adds the swap's terms, ~a + a: negative zeros, which change a fold
	 * only from 0 to 0xffff, and ifp_cksum_final() writes both as 0xffff.
	 */
	ip->hdr_checksum = ifp_cksum_final(
		(uint16_t)~ip->hdr_checksum + 2 * 0xffffu + conf->icmp.reply_ttl -
		old_ttl - (uint16_t)(old_frag & ~RTE_BE16(RTE_IPV4_HDR_DF_FLAG)));
}

#define IFP_ECHO6_MIN_FRAME                                                  \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv6_hdr) +        \
	 sizeof(struct rte_icmp_hdr))

/*
 * The IPv6 counterpart: the checks of ifp_ipv6_input(), ifp_icmp6_input()
 * and ifp_icmp6_echo(), narrowed to an echo request to one of the port's
 * unicast addresses with no extension header; anything else goes the
 * scalar way.
 */
static inline const struct ifp_addr6 *
ifp_classify_plain_echo6(const struct ifp_conf *conf, struct rte_mbuf *m)
{
	const struct ifp_port_conf *port = &conf->port[m->port];
	const struct rte_ether_hdr *eth;
	const struct rte_ipv6_hdr *ip;
	const struct rte_icmp_hdr *icmp;
	uint32_t plen;

	if (m->nb_segs != 1 || m->data_len != m->pkt_len ||
	    m->data_len < IFP_ECHO6_MIN_FRAME)
		return NULL;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	ip = (const struct rte_ipv6_hdr *)(eth + 1);
	icmp = (const struct rte_icmp_hdr *)(ip + 1);

	/* L2: to our MAC, IPv6 without a tag, on a port with IPv6 */
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV6) ||
	    ifp_mac48(&eth->dst_addr) != ifp_mac48(&port->mac) ||
	    port->n_addr6 == 0)
		return NULL;
	/* RFC 8200: version 6, payload exactly the frame, ICMPv6 next */
	if ((*(const uint8_t *)ip >> 4) != 6 || ip->proto != IFP_IP6_ICMP)
		return NULL;
	plen = rte_be_to_cpu_16(ip->payload_len);
	if (plen + sizeof(*eth) + sizeof(*ip) != m->data_len ||
	    plen < sizeof(*icmp) || plen + sizeof(*ip) > port->mtu)
		return NULL;
	/* no multicast source, nor ::/64 (::, ::1, IPv4-mapped: the scalar
	 * path tells them apart) */
	if (ifp_ip6_is_mcast(ip->src_addr) || ifp_ip6_is_zero64(ip->src_addr))
		return NULL;
	if (icmp->icmp_type != IFP_ICMP6_ECHO)
		return NULL;
	/*
	 * RFC 4443 2.3: the pseudo-header and the message. The addresses lie
	 * right before the message, so one sum takes both; the pseudo-header's
	 * length and next header are added as the 16-bit words they are in
	 * it: the payload length field itself, and 58 (both sums > 0, so the
	 * fold is 0xffff exactly when ifp_cksum_ipv6_phdr()'s is)
	 */
	if (ifp_cksum_fold((uint32_t)ifp_cksum_raw(ip->src_addr, 32 + plen) +
			   ip->payload_len + RTE_BE16(IFP_IP6_ICMP)) != 0xffff)
		return NULL;
	/* to one of our unicast addresses */
	return ifp_port_addr6_find(port, ip->dst_addr);
}

/*
 * What ifp_icmp6_echo() and ifp_ipv6_reply_prepare() write: the addresses
 * swapped (the destination was ours: the pseudo-header's sum stays), hop
 * limit, type 129 with the checksum updated per RFC 1624.
 */
static inline void
ifp_classify_echo6_reply(const struct ifp_conf *conf, struct rte_mbuf *m)
{
	const struct ifp_port_conf *port = &conf->port[m->port];
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	uint8_t a[16];

	/* type 128 -> 129 (RFC 1624 eqn. 3): ~old + new is 0x10000, whatever
	 * the code, as ifp_icmp_echo_turn() computes it */
	icmp->icmp_type = IFP_ICMP6_ECHO_REPLY;
	icmp->icmp_cksum = ifp_cksum_final((uint16_t)~icmp->icmp_cksum + 0x10000u);
	eth->dst_addr = eth->src_addr;
	eth->src_addr = port->mac;
	memcpy(a, ip->src_addr, 16);
	memcpy(ip->src_addr, ip->dst_addr, 16);
	memcpy(ip->dst_addr, a, 16);
	ip->hop_limits = conf->icmp6.reply_hop_limit;
	ifp_mbuf_tx_flags_reset(m);
	m->tx_offload = rte_mbuf_tx_offload(sizeof(*eth), sizeof(*ip), 0, 0,
					    0, 0, 0);
	m->hash.usr = 1;
}

#if defined(RTE_ARCH_X86_64)
/*
 * Eight frames at a time with AVX-512, the way l3fwd_sse.h's
 * processx4_step1() classifies four: the mbuf and header fields of eight
 * frames are gathered into the lanes of a few vectors and compared with
 * what a plain echo to us has, eight frames a compare; the sums of the
 * eight IP headers and the eight ICMP messages are reduced together (one
 * tree for sixteen sums instead of a horizontal add each) and checked in
 * one compare; the reply's headers are rewritten as one word permutation of
 * the request. A frame the vectors cannot decide (other length than 64..128
 * bytes, another port, an address to look up) is left to the per-frame
 * check; one they reject, the per-frame check would reject too.
 */
#define IFP_X8_TARGET "avx512f,avx512bw,avx512vl,bmi2"

/* frames the vectors take: two loads hold all of it */
#define IFP_X8_MIN_LEN 64
#define IFP_X8_MAX_LEN 128

struct ifp_x8_tmpl {
	__m512i reply;     /* the reply's Ethernet source and TTL|protocol */
	__m512i reply_and; /* flags word: DF only; ICMP type 0 */
	uint64_t mac;      /* the port's MAC, low 48 bits */
	rte_be32_t addr;   /* the port's first address */
	uint16_t port;
	uint8_t reply_ttl;
	bool one_addr;     /* the destination compared in the lanes */
};

/* frame word w (of the first 32) -> word w + 1, in words 6..30: the IP
 * header lands on dwords 3..7 and the ICMP message's first 30 bytes on
 * dwords 8..15, so one VPMADDWD keeps the two sums apart */
static const uint16_t ifp_x8_shift1[32] __rte_aligned(64) = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 0,
};
#define IFP_X8_SHIFT1_KEEP 0x7fffffc0u

/* the reply's words from the request's: the Ethernet destination is the
 * source, the IP addresses swap (the source is the local address the
 * request went to); the rest stays, or comes from the template */
static const uint16_t ifp_x8_reply_idx[32] __rte_aligned(64) = {
	3, 4, 5, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 13,
	14, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};
/* words from the template: Ethernet source (3-5), TTL|protocol (11) */
#define IFP_X8_REPLY_KEEP (~((7u << 3) | (1u << 11)))
/* bytes 0..37: Ethernet, IP and the ICMP type, code and checksum */
#define IFP_X8_REPLY_STORE ((1ULL << 38) - 1)

/* sums of the tree below, lane 4k + t: k = 0, 1 IP and ICMP of frame 2t,
 * k = 2, 3 of frame 2t + 1; put back as IP of 0..7, ICMP of 0..7 */
static const uint32_t ifp_x8_sum_idx[16] __rte_aligned(64) = {
	0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15,
};

/* a zeroed word XORed with 0x8000 reads -32768 in VPMADDWD: 10 header
 * words, 15 + 32 message words (zeros past the frame included) each took
 * that bias */
#define IFP_X8_IP_BIAS (10 * 32768)
#define IFP_X8_ICMP_BIAS (47 * 32768)

static inline __attribute__((target(IFP_X8_TARGET))) void
ifp_x8_tmpl_build(struct ifp_x8_tmpl *t, const struct ifp_conf *conf,
		  uint16_t port_id)
{
	const struct ifp_port_conf *port = &conf->port[port_id];
	uint64_t mac = ifp_mac48(&port->mac);
	__m512i r = _mm512_setzero_si512();

	/* with one address the lanes compare the destination; with several
	 * each answer looks its own up */
	t->one_addr = port->n_addr == 1;
	t->mac = mac;
	t->port = port_id;
	t->addr = port->addr[0].ip;
	t->reply_ttl = conf->icmp.reply_ttl;

	r = _mm512_mask_mov_epi8(r, 0x3fULL << 6,
				 _mm512_set1_epi64((long long)((mac << 48) | (mac >> 16))));
	r = _mm512_mask_set1_epi16(
		r, 1u << 11, (short)(conf->icmp.reply_ttl | (IPPROTO_ICMP << 8)));
	t->reply = r;
	t->reply_and = _mm512_mask_mov_epi8(
		_mm512_set1_epi8((char)0xff), (3ULL << 20) | (1ULL << 34),
		_mm512_mask_set1_epi8(_mm512_setzero_si512(), 1ULL << 20,
				      RTE_IPV4_HDR_DF_FLAG >> 8));
}

/*
 * The sums' vector of the frame at @p p, @p len bytes (64..128 for a
 * meaningful one; any length reads nothing past the frame): dwords 0..7
 * hold the IP header's words, 8..15 the ICMP message's, biased.
 */
static inline __attribute__((target(IFP_X8_TARGET))) __m512i
ifp_x8_sums(const uint8_t *p, uint32_t len)
{
	const __m512i bias = _mm512_set1_epi16((short)0x8000);
	const __m512i one = _mm512_set1_epi16(1);
	__m512i v0, v1, d0, d1;

	/* masked loads never fault; BZHI takes the low 8 bits of the
	 * length, so past 255 bytes fewer are read, never more */
	v0 = _mm512_maskz_loadu_epi8(_bzhi_u64(~0ULL, len), p);
	v1 = _mm512_maskz_loadu_epi8(
		_bzhi_u64(~0ULL, len > 64 ? len - 64 : 0), p + 64);
	d0 = _mm512_maskz_permutexvar_epi16(IFP_X8_SHIFT1_KEEP,
					   _mm512_load_si512(ifp_x8_shift1),
					   _mm512_xor_si512(v0, bias));
	d0 = _mm512_madd_epi16(d0, one);
	d1 = _mm512_madd_epi16(_mm512_xor_si512(v1, bias), one);
	d1 = _mm512_add_epi32(d1, _mm512_shuffle_i64x2(d1, d1, 0x4e));
	return _mm512_mask_add_epi32(d0, 0xff00, d0, d1);
}

/* the 8 bytes at offset @p off of 8 objects, one per lane; lanes not in
 * @p k are not read */
#define IFP_X8_GATHER(k, ptrs, off)                                          \
	_mm512_mask_i64gather_epi64(_mm512_setzero_si512(), (k), (ptrs),      \
				    (const void *)(uintptr_t)(off), 1)

/*
 * Processx4_step1() of l3fwd_sse.h, eight wide: the mbuf fields and the
 * header fields of eight frames gathered into the lanes of a few vectors
 * and compared with what a plain echo to us has, all eight in each
 * compare. Returns the lanes that passed (all but the sums and, when the
 * port has several addresses, the address); @p sure: the lanes the vectors decide (the others: a
 * length they do not take, another port; the per-frame check decides).
 * Headers are read only from frames of 64 bytes or more in one segment.
 */
static inline __attribute__((target(IFP_X8_TARGET))) __mmask8
ifp_x8_step1(const struct ifp_x8_tmpl *t, struct rte_mbuf **pkts,
	     __m512i *data, __m512i *len, __mmask8 *sure)
{
	const __m512i w16 = _mm512_set1_epi64(0xffff);
	const __m512i mb = _mm512_loadu_si512(pkts);
	const __m512i ckm = _mm512_set1_epi64(RTE_MBUF_F_RX_IP_CKSUM_MASK);
	__m512i q0, q16, qf, ql, h0, h12, h20, h26, h34, x;
	__mmask8 ok, s;

	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, nb_segs) !=
			 offsetof(struct rte_mbuf, data_off) + 4);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, port) !=
			 offsetof(struct rte_mbuf, data_off) + 6);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, data_len) !=
			 offsetof(struct rte_mbuf, pkt_len) + 4);
	q0 = IFP_X8_GATHER(0xff, mb, offsetof(struct rte_mbuf, buf_addr));
	q16 = IFP_X8_GATHER(0xff, mb, offsetof(struct rte_mbuf, data_off));
	qf = IFP_X8_GATHER(0xff, mb, offsetof(struct rte_mbuf, ol_flags));
	ql = IFP_X8_GATHER(0xff, mb, offsetof(struct rte_mbuf, pkt_len));
	*data = _mm512_add_epi64(q0, _mm512_and_si512(q16, w16));
	*len = _mm512_and_si512(_mm512_srli_epi64(ql, 32), w16);
	qf = _mm512_and_si512(qf, ckm);

	/* 64..128 bytes, on the template's port */
	s = _mm512_cmple_epu64_mask(
		_mm512_sub_epi64(*len, _mm512_set1_epi64(IFP_X8_MIN_LEN)),
		_mm512_set1_epi64(IFP_X8_MAX_LEN - IFP_X8_MIN_LEN));
	s = _mm512_mask_cmpeq_epi64_mask(s, _mm512_srli_epi64(q16, 48),
					 _mm512_set1_epi64(t->port));
	*sure = s;
	/* one segment, no PMD verdict of a bad header sum */
	ok = _mm512_mask_cmpeq_epi64_mask(
		s, _mm512_and_si512(_mm512_srli_epi64(q16, 32), w16),
		_mm512_set1_epi64(1));
	ok = _mm512_mask_cmpeq_epi64_mask(
		ok, _mm512_and_si512(ql, _mm512_set1_epi64(0xffffffff)), *len);
	ok = _mm512_mask_cmpneq_epi64_mask(
		ok, qf, _mm512_set1_epi64(RTE_MBUF_F_RX_IP_CKSUM_BAD));
	if (ok == 0)
		return 0;

	h0 = IFP_X8_GATHER(ok, *data, 0);
	h12 = IFP_X8_GATHER(ok, *data, 12);
	h20 = IFP_X8_GATHER(ok, *data, 20);
	h26 = IFP_X8_GATHER(ok, *data, 26);
	h34 = IFP_X8_GATHER(ok, *data, 34);
	/* IPv6 frames are the per-frame check's (ifp_classify_plain_echo6) */
	*sure &= ~_mm512_mask_cmpeq_epi64_mask(
		ok, _mm512_and_si512(h12, _mm512_set1_epi64(0xffff)),
		_mm512_set1_epi64(0xdd86));
	/* L2: ours or broadcast, IPv4 without a tag (08 00), then version 4
	 * and IHL 5 (RFC 1812 5.2.2) */
	x = _mm512_and_si512(h0, _mm512_set1_epi64(0xffffffffffffLL));
	ok &= _mm512_cmpeq_epi64_mask(x, _mm512_set1_epi64((long long)t->mac)) |
	      _mm512_cmpeq_epi64_mask(x, _mm512_set1_epi64(0xffffffffffffLL));
	ok = _mm512_mask_cmpeq_epi64_mask(
		ok, _mm512_and_si512(h12, _mm512_set1_epi64(0xffffff)),
		_mm512_set1_epi64(0x450008));
	/* total length exactly the frame (no padding): bytes 16-17, big
	 * endian; a reply of at most 114 bytes fits any MTU let through */
	x = _mm512_shuffle_epi8(h12, _mm512_broadcast_i32x4(_mm_set_epi64x(
		(long long)0x8080808080800c0dULL, (long long)0x8080808080800405ULL)));
	ok = _mm512_mask_cmpeq_epi64_mask(
		ok, x, _mm512_sub_epi64(*len, _mm512_set1_epi64(14)));
	/* not a fragment (MF clear, offset 0), ICMP */
	ok = _mm512_mask_cmpeq_epi64_mask(
		ok, _mm512_and_si512(h20, _mm512_set1_epi64(0xff00ff3f)),
		_mm512_set1_epi64(IPPROTO_ICMP << 24));
	/* RFC 1812 5.3.7: no martian source (0.0.0.0, 127/8, 224/3) */
	ok = _mm512_mask_test_epi64_mask(ok, h26,
					 _mm512_set1_epi64(0xffffffff));
	x = _mm512_and_si512(h26, _mm512_set1_epi64(0xff));
	ok = _mm512_mask_cmpneq_epi64_mask(ok, x, _mm512_set1_epi64(127));
	ok = _mm512_mask_cmplt_epu64_mask(ok, x, _mm512_set1_epi64(0xe0));
	/* to our only address (with several: looked up frame by frame) */
	if (t->one_addr)
		ok = _mm512_mask_cmpeq_epi64_mask(
			ok, _mm512_srli_epi64(h26, 32),
			_mm512_set1_epi64(t->addr));
	/* echo request */
	ok = _mm512_mask_cmpeq_epi64_mask(
		ok, _mm512_and_si512(h34, _mm512_set1_epi64(0xff)),
		_mm512_set1_epi64(RTE_IP_ICMP_ECHO_REQUEST));
	return ok;
}

/* the reply in place: what ifp_classify_echo_reply() writes */
static inline __attribute__((target(IFP_X8_TARGET))) void
ifp_x8_reply(const struct ifp_x8_tmpl *t, struct rte_mbuf *m, uint8_t *p)
{
	__m512i r;
	uint16_t hc, frag, ick;
	uint32_t sum;

	memcpy(&hc, p + 24, 2);
	memcpy(&frag, p + 20, 2);
	memcpy(&ick, p + 36, 2);
	/*
	 * RFC 1624 eqn. 3 for the TTL|protocol and flags words, the same
	 * integer sum ifp_classify_echo_reply() folds: ~old + new is
	 * 0xffff + new TTL - old TTL, and 0xffff - the bits cleared from
	 * the flags word. The addresses swap: their sum does not move.
	 */
	sum = (uint16_t)~hc + 2 * 0xffffu + t->reply_ttl - p[22] -
	      (uint16_t)(frag & ~RTE_BE16(RTE_IPV4_HDR_DF_FLAG));
	hc = ifp_cksum_final(sum);
	/* type 8 -> 0: ~old + new is 0xffff - 8 whatever the code */
	ick = ifp_cksum_final((uint16_t)~ick + 0xfff7u);

	r = _mm512_mask_permutexvar_epi16(t->reply, IFP_X8_REPLY_KEEP,
					  _mm512_load_si512(ifp_x8_reply_idx),
					  _mm512_loadu_si512(p));
	r = _mm512_and_si512(r, t->reply_and);
	r = _mm512_mask_set1_epi16(r, 1u << 12, (short)hc);
	r = _mm512_mask_set1_epi16(r, 1u << 18, (short)ick);
	_mm512_mask_storeu_epi8(p, IFP_X8_REPLY_STORE, r);

	ifp_mbuf_tx_flags_reset(m);
	m->tx_offload = rte_mbuf_tx_offload(sizeof(struct rte_ether_hdr),
					    sizeof(struct rte_ipv4_hdr), 0, 0,
					    0, 0, 0);
	m->hash.usr = 1;
}

/*
 * Groups of eight of @p pkts[0..n) (n a multiple of 8) against the
 * template of port @p port_id: returns the mask of frames answered; the
 * others are untouched, and those the per-frame check must still look at
 * are set in @p unsure.
 */
static __attribute__((target(IFP_X8_TARGET))) uint64_t
ifp_classify_x8(const struct ifp_conf *conf, struct rte_mbuf **pkts,
		uint16_t n, uint16_t port_id, uint64_t *unsure)
{
	const struct ifp_port_conf *port = &conf->port[port_id];
	struct ifp_x8_tmpl t;
	uint64_t done = 0;

	ifp_x8_tmpl_build(&t, conf, port_id);
	for (uint16_t i = 0; i < n; i += 8) {
		__m512i e[8], c0, c1, c2, c3, f0, f1, g, data, len;
		uint64_t dp[8] __rte_aligned(64), dl[8] __rte_aligned(64);
		__mmask8 sure;
		unsigned int cand;
		__mmask16 k;

		if (i + 8 < n)
			for (unsigned int j = 0; j < 8; j++)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 8 + j], void *));
		cand = ifp_x8_step1(&t, &pkts[i], &data, &len, &sure);
		*unsure |= (uint64_t)(uint8_t)~sure << i;
		if (cand == 0)
			continue;
		_mm512_store_si512(dp, data);
		_mm512_store_si512(dl, len);
		for (unsigned int j = 0; j < 8; j++)
			e[j] = ifp_x8_sums((const uint8_t *)(uintptr_t)dp[j],
					   (uint32_t)dl[j]);
		/* sixteen sums at once: halves, then quarters, then pairs */
		c0 = _mm512_add_epi32(_mm512_shuffle_i32x4(e[0], e[1], 0x88),
				      _mm512_shuffle_i32x4(e[0], e[1], 0xdd));
		c1 = _mm512_add_epi32(_mm512_shuffle_i32x4(e[2], e[3], 0x88),
				      _mm512_shuffle_i32x4(e[2], e[3], 0xdd));
		c2 = _mm512_add_epi32(_mm512_shuffle_i32x4(e[4], e[5], 0x88),
				      _mm512_shuffle_i32x4(e[4], e[5], 0xdd));
		c3 = _mm512_add_epi32(_mm512_shuffle_i32x4(e[6], e[7], 0x88),
				      _mm512_shuffle_i32x4(e[6], e[7], 0xdd));
		f0 = _mm512_add_epi32(_mm512_unpacklo_epi64(c0, c1),
				      _mm512_unpackhi_epi64(c0, c1));
		f1 = _mm512_add_epi32(_mm512_unpacklo_epi64(c2, c3),
				      _mm512_unpackhi_epi64(c2, c3));
		g = _mm512_add_epi32(
			_mm512_castps_si512(_mm512_shuffle_ps(
				_mm512_castsi512_ps(f0), _mm512_castsi512_ps(f1), 0x88)),
			_mm512_castps_si512(_mm512_shuffle_ps(
				_mm512_castsi512_ps(f0), _mm512_castsi512_ps(f1), 0xdd)));
		g = _mm512_permutexvar_epi32(_mm512_load_si512(ifp_x8_sum_idx), g);
		g = _mm512_add_epi32(g, _mm512_mask_blend_epi32(
			0xff00, _mm512_set1_epi32(IFP_X8_IP_BIAS),
			_mm512_set1_epi32(IFP_X8_ICMP_BIAS)));
		/* fold to 16 bits (RFC 1071 4.1): 0xffff when it verifies */
		g = _mm512_add_epi32(_mm512_and_si512(g, _mm512_set1_epi32(0xffff)),
				     _mm512_srli_epi32(g, 16));
		g = _mm512_add_epi32(_mm512_and_si512(g, _mm512_set1_epi32(0xffff)),
				     _mm512_srli_epi32(g, 16));
		k = _mm512_cmpeq_epi32_mask(g, _mm512_set1_epi32(0xffff));
		/* both sums verified here, whatever the PMD said: the reply's
		 * are updates of them (RFC 1624) */
		cand &= (unsigned int)k & ((unsigned int)k >> 8);
		for (unsigned int c = cand; c != 0; c &= c - 1) {
			unsigned int j = (unsigned int)__builtin_ctz(c);
			struct rte_mbuf *m = pkts[i + j];
			uint8_t *p = (uint8_t *)(uintptr_t)dp[j];
			rte_be32_t dst;

			if (!t.one_addr) {
				memcpy(&dst, p + 30, sizeof(dst));
				if (ifp_port_addr_find(port, dst) == NULL) {
					cand &= ~(1u << j);
					continue;
				}
			}
			ifp_x8_reply(&t, m, p);
		}
		done |= (uint64_t)cand << i;
	}
	return done;
}

/* whether the groups of eight may run for a burst arriving on @p port */
static inline bool
ifp_classify_x8_usable(const struct ifp_port_conf *port)
{
	/* the AVX-512 checksum kernel was chosen: the CPU has it and EAL's
	 * --force-max-simd-bitwidth allows it */
	return ifp_classify_x8_on && ifp_cksum_raw_kernel == ifp_cksum_raw_avx512 &&
	       port->n_addr > 0 && port->mtu >= IFP_X8_MAX_LEN - 14 &&
	       !(port->flags & IFP_PORT_TX_IPV4_CKSUM);
}
#endif /* RTE_ARCH_X86_64 */

uint64_t
ifp_classify_echo_burst(struct ifp_lcore *lc, struct rte_mbuf **pkts,
			uint16_t n)
{
	const struct ifp_conf *conf = lc->conf;
	uint64_t done = 0, unsure = 0;
	uint16_t i, n8 = 0;

	const bool echo4 = conf->icmp.echo, echo6 = conf->icmp6.echo;
	uint64_t done6 = 0;

	/* any echo policy beyond on/off (a rate limit) is the scalar
	 * path's to apply */
	if (!ifp_classify_on || !(echo4 || echo6) ||
	    conf->ratelimit.echo_per_sec != 0)
		return 0;
	RTE_BUILD_BUG_ON(offsetof(struct ifp_port_conf, mac) + 8 >
			 sizeof(struct ifp_port_conf));
	n = RTE_MIN(n, (uint16_t)64);
#if defined(RTE_ARCH_X86_64)
	if (lc->x8_skip > 0) {
		lc->x8_skip--;
	} else if (n >= 8 && echo4 &&
		   ifp_classify_x8_usable(&conf->port[pkts[0]->port])) {
		n8 = n & ~(uint16_t)7;
		done = ifp_classify_x8(conf, pkts, n8, pkts[0]->port, &unsure);
		/* the groups cost about what the per-frame check saves on
		 * three frames in four: below that (a mixed load), leave the
		 * next bursts to the per-frame check */
		if (4u * (unsigned int)__builtin_popcountll(done) < 3u * n8)
			lc->x8_skip = IFP_CLASSIFY_X8_BACKOFF;
	}
#endif
	for (i = n8; i < RTE_MIN(n, n8 + IFP_CLASSIFY_PREFETCH); i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct ifp_addr *local;

		if (i < n8) {
			if (likely(!(unsure & (1ULL << i))))
				continue;
		} else if (i + IFP_CLASSIFY_PREFETCH < n) {
			rte_prefetch0(rte_pktmbuf_mtod(
				pkts[i + IFP_CLASSIFY_PREFETCH], void *));
		}
		local = echo4 ? ifp_classify_plain_echo(conf, m) : NULL;
		if (unlikely(local == NULL)) {
			/* IPv6 is tried only once IPv4 has said no */
			if (echo6 && ifp_classify_plain_echo6(conf, m) != NULL) {
				ifp_classify_echo6_reply(conf, m);
				done6 |= 1ULL << i;
			}
			continue;
		}
		ifp_classify_echo_reply(conf, m);
		done |= 1ULL << i;
	}
	lc->st.answers[IFP_ANS_ECHO] += (uint64_t)__builtin_popcountll(done);
	if (done6 != 0)
		lc->st.answers[IFP_ANS_ECHO6] += (uint64_t)__builtin_popcountll(done6);
	return done | done6;
}

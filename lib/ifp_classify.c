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
#include "ifp_cksum_x86.h"
#include "ifp_classify.h"
#include "ifp_pkt.h"
#include "ifp_reply.h"

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

/* on, echo on in a family, no echo rate limit: any echo policy beyond
 * on/off is the scalar path's to apply ([policy] is applied to what the
 * fast path answered, a burst at a time: ifp_proc.c) */
bool
ifp_classify_reads(const struct ifp_conf *conf)
{
	return ifp_classify_on && (conf->icmp.echo || conf->icmp6.echo) &&
	       conf->ratelimit.echo_per_sec == 0;
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

#define IFP_ECHO6_MIN_FRAME                                                  \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv6_hdr) +        \
	 sizeof(struct rte_icmp_hdr))

/*
 * The reply in place, with the scalar path's helpers (ifp_icmp_echo():
 * ifp_ipv4_reply_write(), ifp_icmp_echo_turn()), for an IHL-5 header
 * without a tag, from the address the request went to.
 */
static __rte_always_inline void
ifp_classify_echo_reply(const struct ifp_conf *conf,
			const struct ifp_port_conf *port, struct rte_mbuf *m,
			struct rte_ether_hdr *eth)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);

	ifp_ipv4_reply_write(m, eth, ip, port, ip->dst_addr, conf->icmp.reply_ttl,
			     sizeof(*eth), sizeof(*ip), false);
	ifp_icmp_echo_turn((struct rte_icmp_hdr *)(ip + 1), IFP_ICMP_ECHO,
			   IFP_ICMP_ECHO_REPLY);
}

/*
 * The checks of the scalar path (ifp_l2_input, ifp_ipv4_input,
 * ifp_icmp_input, ifp_icmp_echo) from the EtherType on, narrowed to the
 * case where every one of them passes, then the reply; anything else
 * returns false and the frame goes the scalar way, which then finds the
 * drop reason itself. The frame is one segment of at least
 * IFP_ECHO_MIN_FRAME bytes to our MAC or the broadcast
 * (ifp_classify_frame()). @p sum: the burst function's kernel.
 */
static __rte_always_inline bool
ifp_classify_echo4(const struct ifp_conf *conf, const struct ifp_port_conf *port,
		   struct rte_mbuf *m, struct rte_ether_hdr *eth,
		   ifp_cksum_kernel_t sum)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
	const struct rte_icmp_hdr *icmp = (const struct rte_icmp_hdr *)(ip + 1);
	const uint64_t ck_flags = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	uint32_t w;
	uint16_t ip_len;

	/*
	 * RFC 1812 5.2.2 in two loads: the EtherType, version 4 and IHL 5 (no
	 * options) in the frame's bytes 12..15 (the TOS byte not compared);
	 * not a fragment (MF and offset zero, DF and the reserved bit not
	 * compared) and ICMP in bytes 20..23 (the TTL not compared)
	 */
	memcpy(&w, &eth->ether_type, sizeof(w));
	if ((w & IFP_BYTES32(0xffffff00)) !=
	    IFP_BYTES32((RTE_ETHER_TYPE_IPV4 << 16) | (RTE_IPV4_VHL_DEF << 8)))
		return false;
	memcpy(&w, &ip->fragment_offset, sizeof(w));
	if ((w & IFP_BYTES32(0x3fff00ff)) != IFP_BYTES32(IPPROTO_ICMP))
		return false;
	/* total length exactly the frame (no padding to trim), so at least
	 * the two headers (IFP_ECHO_MIN_FRAME); a reply larger than the
	 * port's MTU leaves in fragments: scalar */
	ip_len = ifp_be16_to_cpu(ip->total_length);
	if ((uint32_t)ip_len + (uint32_t)sizeof(*eth) != m->data_len ||
	    ip_len > port->mtu)
		return false;

	/* RFC 1812 5.3.7: no martian source */
	if (ifp_ipv4_src_is_martian(ip->src_addr))
		return false;

	/* echo request, to one of our unicast addresses */
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST ||
	    ifp_port_addr_find(port, ip->dst_addr) == NULL)
		return false;

	/* both checksums; the PMD's flag may vouch for the header's */
	if (ck_flags == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return false;
	if (ck_flags != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
	    ifp_cksum_ipv4_hdr20(ip) != 0xffff)
		return false;
	if (sum(icmp, ip_len - sizeof(*ip)) != 0xffff)
		return false;
	ifp_classify_echo_reply(conf, port, m, eth);
	return true;
}

/*
 * The IPv6 counterpart: the checks of ifp_ipv6_input(), ifp_icmp6_input()
 * and ifp_icmp6_echo() from the EtherType on, narrowed to an echo request
 * to one of the port's unicast addresses with no extension header, then the
 * reply (ifp_icmp6_echo(): ifp_ipv6_reply_write(), ifp_icmp_echo_turn(),
 * from the address the request went to, so the pseudo-header's sum stays);
 * anything else goes the scalar way. The frame is to our MAC.
 */
static __rte_always_inline bool
ifp_classify_echo6(const struct ifp_conf *conf, const struct ifp_port_conf *port,
		   struct rte_mbuf *m, struct rte_ether_hdr *eth,
		   ifp_cksum_kernel_t sum)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	const struct rte_icmp_hdr *icmp = (const struct rte_icmp_hdr *)(ip + 1);
	uint32_t plen;

	/* L2: IPv6 without a tag, on a port with IPv6 */
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV6) ||
	    port->n_addr6 == 0 || m->data_len < IFP_ECHO6_MIN_FRAME)
		return false;
	/* RFC 8200: version 6, payload exactly the frame, ICMPv6 next */
	if ((*(const uint8_t *)ip >> 4) != 6 || ip->proto != IFP_IP6_ICMP)
		return false;
	plen = ifp_be16_to_cpu(ip->payload_len);
	if (plen + sizeof(*eth) + sizeof(*ip) != m->data_len ||
	    plen + sizeof(*ip) > port->mtu)
		return false;
	/* no martian source, nor :: (the scalar path decides: DAD) */
	if (ifp_ipv6_src_is_martian(ip->src_addr) || ifp_ip6_is_unspec(ip->src_addr))
		return false;
	if (icmp->icmp_type != IFP_ICMP6_ECHO)
		return false;
	/*
	 * RFC 4443 2.3: the pseudo-header and the message. The addresses lie
	 * right before the message, so one sum takes both; the pseudo-header's
	 * length and next header are added as the 16-bit words they are in
	 * it: the payload length field itself, and 58 (both sums > 0, so the
	 * fold is 0xffff exactly when ifp_cksum_ipv6_phdr()'s is)
	 */
	if (ifp_cksum_fold((uint32_t)sum(ip->src_addr, 32 + plen) +
			   ip->payload_len + RTE_BE16(IFP_IP6_ICMP)) != 0xffff)
		return false;
	/* to one of our unicast addresses */
	if (ifp_port_addr6_find(port, ip->dst_addr) == NULL)
		return false;
	ifp_ipv6_reply_write(m, eth, ip, port, ip->dst_addr,
			     conf->icmp6.reply_hop_limit, sizeof(*eth));
	ifp_icmp_echo_turn((struct rte_icmp_hdr *)(ip + 1), IFP_ICMP6_ECHO,
			   IFP_ICMP6_ECHO_REPLY);
	return true;
}

/*
 * One frame: one segment, long enough for Ethernet, IPv4 and ICMP headers,
 * to our MAC (or, IPv4 only, the broadcast), then the family's check by the
 * EtherType. 4 or 6: answered as an echo of that family; 0: scalar.
 */
static __rte_always_inline unsigned int
ifp_classify_frame(const struct ifp_conf *conf, struct rte_mbuf *m, bool echo4,
		   bool echo6, ifp_cksum_kernel_t sum)
{
	const struct ifp_port_conf *port = &conf->port[m->port];
	struct rte_ether_hdr *eth;
	uint64_t dst, mac;
	bool ours;

	if (m->nb_segs != 1 || m->data_len != m->pkt_len ||
	    m->data_len < IFP_ECHO_MIN_FRAME)
		return 0;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	dst = ifp_mac48(&eth->dst_addr);
	mac = ifp_mac48(&port->mac);
	ours = dst == mac;
	if (likely(echo4) && eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return (ours || dst == 0xffffffffffffULL) &&
				       ifp_classify_echo4(conf, port, m, eth, sum)
			       ? 4
			       : 0;
	if (echo6 && ours && ifp_classify_echo6(conf, port, m, eth, sum))
		return 6;
	return 0;
}

/*
 * The per-frame check of pkts[from..n), and of the frames before @p from
 * whose bit in @p look is set (the groups of eight leave out the frames they
 * decided), with the sum kernel @p sum: inlined into one burst function per
 * kernel below, the kernel chosen once a burst (as a PMD chooses its
 * rx_pkt_burst), so a frame's sums make no call through a pointer. Bit i of
 * the result: pkts[i] answered; the IPv6 echoes among them in *@p done6.
 */
static __rte_always_inline uint64_t
ifp_classify_frames(const struct ifp_conf *conf, struct rte_mbuf **pkts,
		    uint16_t n, uint16_t from, uint64_t look, uint64_t *done6,
		    ifp_cksum_kernel_t sum)
{
	const bool echo4 = conf->icmp.echo, echo6 = conf->icmp6.echo;
	uint64_t done = 0, d6 = 0;
	unsigned int f;
	uint16_t i;

	/* the frames the groups of eight could not decide */
	for (uint64_t l = look; l != 0; l &= l - 1) {
		i = (uint16_t)__builtin_ctzll(l);
		f = ifp_classify_frame(conf, pkts[i], echo4, echo6, sum);
		if (f == 4)
			done |= 1ULL << i;
		else if (f == 6)
			d6 |= 1ULL << i;
	}
	for (i = from; i < RTE_MIN(n, from + IFP_CLASSIFY_PREFETCH); i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = from; i < n; i++) {
		if (i + IFP_CLASSIFY_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(
				pkts[i + IFP_CLASSIFY_PREFETCH], void *));
		f = ifp_classify_frame(conf, pkts[i], echo4, echo6, sum);
		if (likely(f == 4))
			done |= 1ULL << i;
		else if (f == 6)
			d6 |= 1ULL << i;
	}
	*done6 = d6;
	return done | d6;
}

/* one burst function per sum kernel: the kernel inlined in each */
#define IFP_CLASSIFY_FRAMES(name, attr, kernel)                              \
	static attr uint64_t name(const struct ifp_conf *conf,               \
				  struct rte_mbuf **pkts, uint16_t n,         \
				  uint16_t from, uint64_t look,               \
				  uint64_t *done6)                            \
	{                                                                    \
		return ifp_classify_frames(conf, pkts, n, from, look, done6,  \
					   kernel);                           \
	}

IFP_CLASSIFY_FRAMES(ifp_classify_frames_scalar, , ifp_cksum_raw_scalar)
#if defined(RTE_ARCH_X86_64)
IFP_CLASSIFY_FRAMES(ifp_classify_frames_avx2, __attribute__((target(IFP_AVX2_TARGET))),
		    ifp_cksum_avx2_inline)
IFP_CLASSIFY_FRAMES(ifp_classify_frames_avx512,
		    __attribute__((target(IFP_AVX512_TARGET))), ifp_cksum_avx512_inline)
#endif

#if defined(RTE_ARCH_X86_64)
/*
 * Eight frames at a time with AVX-512, the way l3fwd_sse.h's
 * processx4_step1() classifies four: the mbuf and header fields of eight
 * frames are gathered into the lanes of a few vectors and compared with
 * what a plain echo to us has, eight frames a compare; the sums of the
 * eight IP headers and the eight ICMP messages are reduced together (one
 * tree for sixteen sums instead of a horizontal add each) and checked in
 * one compare; the martian-source check and the reply are the per-frame
 * path's own helpers, for each frame that passed. A frame the vectors cannot decide (other length than 64..128
 * bytes, another port, an address to look up) is left to the per-frame
 * check; one they reject, the per-frame check would reject too.
 */
#define IFP_X8_TARGET IFP_AVX512_TARGET

/* frames the vectors take: two loads hold all of it */
#define IFP_X8_MIN_LEN 64
#define IFP_X8_MAX_LEN 128

struct ifp_x8_tmpl {
	uint64_t mac;      /* the port's MAC, low 48 bits */
	rte_be32_t addr;   /* the port's first address */
	uint16_t port;
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

	/* with one address the lanes compare the destination; with several
	 * each answer looks its own up */
	t->one_addr = port->n_addr == 1;
	t->mac = ifp_mac48(&port->mac);
	t->port = port_id;
	t->addr = port->addr[0].ip;
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
 * compare. Returns the lanes that passed (all but the sums, the martian
 * source and, when the port has several addresses, the address); @p sure: the lanes the vectors decide (the others: a
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
	/* IPv6 frames are the per-frame check's (ifp_classify_echo6) */
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
	/* RFC 1812 5.3.7's martian source: ifp_ipv4_src_is_martian(), frame
	 * by frame, on those that pass (ifp_classify_x8()) */
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
			const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(
				(const uint8_t *)(uintptr_t)dp[j] +
				sizeof(struct rte_ether_hdr));

			/* RFC 1812 5.3.7, then the address when the lanes
			 * could not compare it: the scalar way decides */
			if (ifp_ipv4_src_is_martian(ip->src_addr) ||
			    (!t.one_addr &&
			     ifp_port_addr_find(port, ip->dst_addr) == NULL)) {
				cand &= ~(1u << j);
				continue;
			}
			ifp_classify_echo_reply(conf, port, pkts[i + j],
						rte_pktmbuf_mtod(pkts[i + j],
								 struct rte_ether_hdr *));
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
	return ifp_classify_x8_on && ifp_cksum_kind == IFP_CKSUM_AVX512 &&
	       port->n_addr > 0 && port->mtu >= IFP_X8_MAX_LEN - 14 &&
	       !(port->flags & IFP_PORT_TX_IPV4_CKSUM);
}
#endif /* RTE_ARCH_X86_64 */

uint64_t
ifp_classify_echo_burst(struct ifp_lcore *lc, struct rte_mbuf **pkts,
			uint16_t n)
{
	const struct ifp_conf *conf = lc->conf;
	uint64_t done, done6, unsure = 0, x8 = 0;
	uint16_t n8 = 0;

	if (!ifp_classify_reads(conf))
		return 0;
	RTE_BUILD_BUG_ON(offsetof(struct ifp_port_conf, mac) + 8 >
			 sizeof(struct ifp_port_conf));
	n = RTE_MIN(n, (uint16_t)64);
#if defined(RTE_ARCH_X86_64)
	if (lc->x8_skip > 0) {
		lc->x8_skip--;
	} else if (n >= 8 && conf->icmp.echo &&
		   ifp_classify_x8_usable(&conf->port[pkts[0]->port])) {
		n8 = n & ~(uint16_t)7;
		x8 = ifp_classify_x8(conf, pkts, n8, pkts[0]->port, &unsure);
		/* the groups cost about what the per-frame check saves on
		 * three frames in four: below that (a mixed load), leave the
		 * next bursts to the per-frame check */
		if (4u * (unsigned int)__builtin_popcountll(x8) < 3u * n8)
			lc->x8_skip = IFP_CLASSIFY_X8_BACKOFF;
	}
	/* the kernel chosen once a burst */
	switch (ifp_cksum_kind) {
	case IFP_CKSUM_AVX512:
		done = ifp_classify_frames_avx512(conf, pkts, n, n8, unsure, &done6);
		break;
	case IFP_CKSUM_AVX2:
		done = ifp_classify_frames_avx2(conf, pkts, n, n8, unsure, &done6);
		break;
	default:
		done = ifp_classify_frames_scalar(conf, pkts, n, n8, unsure, &done6);
		break;
	}
#else
	done = ifp_classify_frames_scalar(conf, pkts, n, n8, unsure, &done6);
#endif
	done |= x8;
	lc->st.answers[IFP_ANS_ECHO] += (uint64_t)__builtin_popcountll(done & ~done6);
	if (unlikely(done6 != 0))
		lc->st.answers[IFP_ANS_ECHO6] += (uint64_t)__builtin_popcountll(done6);
	return done;
}

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_PKT_H
#define IFP_PKT_H

/*
 * Internal to lib/: what the parse learned of one frame, and how the
 * handlers say what became of it. Every handler includes this; it includes
 * nothing of the handlers.
 */

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_conf.h"
#include "ifp_lcore.h"
#include "ifp_mbuf.h"
#include "ifp_policy.h"
#include "ifp_stats.h"
#include "ifp_trace.h"
#include "ifp_trace_fp.h"

/* ICMP types (RFC 792, 950, 8335); DPDK 22.11 names only echo */
#define IFP_ICMP_ECHO_REPLY 0
#define IFP_ICMP_DEST_UNREACH 3
#define IFP_ICMP_ECHO 8
#define IFP_ICMP_TIME_EXCEEDED 11
#define IFP_ICMP_PARAM_PROBLEM 12
#define IFP_ICMP_TIMESTAMP 13
#define IFP_ICMP_TIMESTAMP_REPLY 14
#define IFP_ICMP_MASK 17
#define IFP_ICMP_MASK_REPLY 18
#define IFP_ICMP_EXT_ECHO 42
#define IFP_ICMP_EXT_ECHO_REPLY 43

/* ICMPv6 types (RFC 4443, 4861, 3810, 8335) */
#define IFP_ICMP6_DEST_UNREACH 1
#define IFP_ICMP6_PKT_TOO_BIG 2
#define IFP_ICMP6_TIME_EXCEEDED 3
#define IFP_ICMP6_PARAM_PROBLEM 4
#define IFP_ICMP6_ECHO 128
#define IFP_ICMP6_ECHO_REPLY 129
#define IFP_ICMP6_MLD_QUERY 130
#define IFP_ICMP6_MLD_REPORT 131
#define IFP_ICMP6_MLD_DONE 132
#define IFP_ICMP6_RS 133
#define IFP_ICMP6_RA 134
#define IFP_ICMP6_NS 135
#define IFP_ICMP6_NA 136
#define IFP_ICMP6_REDIRECT 137
#define IFP_ICMP6_MLD2_REPORT 143
#define IFP_ICMP6_EXT_ECHO 160
#define IFP_ICMP6_EXT_ECHO_REPLY 161

/* IPv6 next header values of the extension headers (RFC 8200 4) */
#define IFP_IP6_HOPOPTS 0
#define IFP_IP6_ROUTING 43
#define IFP_IP6_FRAGMENT 44
#define IFP_IP6_NONE 59
#define IFP_IP6_DSTOPTS 60
#define IFP_IP6_ICMP 58

struct ifp_pkt {
	struct rte_mbuf *m;           /**< the frame; NULL once consumed */
	const struct ifp_port_conf *port;
	struct rte_ether_hdr *eth;
	union {
		struct rte_ipv4_hdr *ip;
		struct rte_ipv6_hdr *ip6;
	};
	union {
		const struct ifp_addr *local;   /**< the local address addressed */
		const struct ifp_addr6 *local6; /**< ours to answer from */
	};
	uint16_t l2_len;              /**< 14, or 18 with a VLAN tag */
	/** IHL * 4; IPv6: 40 + the extension headers, where the upper
	 * layer starts */
	uint16_t l3_len;
	uint16_t ip_len;              /**< IP total length (IPv6: 40 + payload) */
	/** destination is not one host: an IPv4 broadcast, an IPv6
	 * multicast group of ours */
	bool bcast;
	bool v6;                      /**< an IPv6 frame */
	/* IPv6 only, set by the extension header walk */
	uint8_t proto;                /**< the upper-layer protocol */
	uint16_t nh_off;              /**< where its Next Header field is,
				       *   from the IPv6 header */
	uint16_t frag_off;            /**< offset of a fragment passed, in
				       *   bytes; 0: first or none */
	/** the frame's trace record (IFP_TRACE_STEP()); NULL: not traced */
	struct ifp_trace_rec *trace;
};

/*
 * A verdict: what became of a frame. The tag says which table the low byte
 * indexes: a drop reason (enum ifp_drop), an answer kind (enum ifp_answer),
 * or the answer kind that was rate-limited. IFP_V_NONE (no tag) is no
 * verdict yet: the handler that got it goes on. Nothing else lives in this
 * number space: the header walkers (ifp_options.h, ifp_exthdr.h) say "go
 * on", "fragment" or "parameter problem" with statuses of their own types,
 * which their callers turn into verdicts.
 */
enum ifp_verdict {
	IFP_V_NONE = 0,
	IFP_V_DROP = 0x100,
	IFP_V_ANSWER = 0x200,
	IFP_V_LIMITED = 0x400,
};
#define IFP_V_TAG_MASK 0xff00u
#define IFP_V_KIND(v) ((uint32_t)(v) & 0xffu)

static_assert(IFP_DROP_MAX <= 0x100, "a drop reason fits a verdict's low byte");
static_assert(IFP_ANS_MAX <= 0x100, "an answer kind fits a verdict's low byte");

static inline enum ifp_verdict
ifp_v_answer(enum ifp_answer a)
{
	return (enum ifp_verdict)(IFP_V_ANSWER | a);
}

static inline enum ifp_verdict
ifp_v_limited(enum ifp_answer a)
{
	return (enum ifp_verdict)(IFP_V_LIMITED | a);
}

static inline enum ifp_verdict
ifp_v_drop(enum ifp_drop r)
{
	return (enum ifp_verdict)(IFP_V_DROP | r);
}

/*
 * Is @p v a drop whose reason indexes the counters? In debug builds (the
 * default, and every test build: NDEBUG unset) the counting line asserts
 * it, so a value from another number space aborts instead of writing past
 * the counters.
 */
static inline bool
ifp_v_is_drop(enum ifp_verdict v)
{
	return ((uint32_t)v & IFP_V_TAG_MASK) == IFP_V_DROP &&
	       IFP_V_KIND(v) < IFP_DROP_MAX;
}

/** Count the drop @p v in @p st; @p v must be one (asserted). */
static inline void
ifp_v_count_drop(struct ifp_stats *st, enum ifp_verdict v)
{
	assert(ifp_v_is_drop(v));
	st->dropped[IFP_V_KIND(v)]++;
}

/*
 * [policy] (docs/policy.md) on one answer of kind @p a the handler has
 * settled, before it rewrites the frame and before [ratelimit] (a denied
 * frame takes no token): IFP_V_NONE to go on, or the policy_deny drop, or
 * @p a rate-limited by its rule's bucket.
 */
static inline enum ifp_verdict
ifp_policy_verdict(struct ifp_lcore *lc, struct ifp_trace_rec *tr,
		   const struct ifp_policy_key *k, enum ifp_answer a)
{
	const enum ifp_policy_verdict pv =
		ifp_policy_decide(lc->conf->policy, lc->worker, k, lc->now_ns);

	if (unlikely(tr != NULL))
		ifp_trace_policy_key(tr, lc->conf, k, pv);
	switch (pv) {
	case IFP_POLICY_SEND:
		return IFP_V_NONE;
	case IFP_POLICY_DROP:
		return ifp_v_drop(IFP_DROP_POLICY_DENY);
	case IFP_POLICY_LIMITED:
		break;
	}
	return ifp_v_limited(a);
}

/** ifp_policy_verdict() for an IPv4 answer from @p src to @p dst (@p tr:
 * the frame's trace record). */
static inline enum ifp_verdict
ifp_policy_check4(struct ifp_lcore *lc, struct ifp_trace_rec *tr,
		  rte_be32_t src, rte_be32_t dst, enum ifp_answer a)
{
	struct ifp_policy_key k;

	if (likely(lc->conf->policy == NULL))
		return IFP_V_NONE;
	ifp_policy_key4(&k, src, dst, ifp_policy_kind_of(a));
	return ifp_policy_verdict(lc, tr, &k, a);
}

/** ifp_policy_verdict() for an IPv6 answer from @p src to @p dst. */
static inline enum ifp_verdict
ifp_policy_check6(struct ifp_lcore *lc, struct ifp_trace_rec *tr,
		  const uint8_t *src, const uint8_t *dst, enum ifp_answer a)
{
	struct ifp_policy_key k;

	if (likely(lc->conf->policy == NULL))
		return IFP_V_NONE;
	ifp_policy_key6(&k, src, dst, ifp_policy_kind_of(a));
	return ifp_policy_verdict(lc, tr, &k, a);
}

/*
 * Address classes on host-order values. Not DPDK's RTE_IPV4() and
 * RTE_IS_IPV4_MCAST(): they shift a signed int into its sign bit, which
 * UBSan rightly reports.
 */
#define IFP_IPV4_LIMITED_BCAST UINT32_C(0xffffffff)

static inline bool
ifp_ipv4_is_mcast(uint32_t a)
{
	return (a >> 28) == 0xe; /* 224/4, class D */
}

/*
 * Was @p m cut by its port? A frame as long as the longest the port hands
 * over whole whose datagram claims more was (af_packet with a framesz too
 * small for what the kernel reassembled, a capture's snaplen), not sent
 * malformed.
 */
static inline bool
ifp_port_rx_cut(const struct ifp_port_conf *p, const struct rte_mbuf *m)
{
	return p->rx_frame_max != 0 && m->pkt_len >= p->rx_frame_max;
}

/** The local address of @p p equal to @p ip, or NULL. */
static inline const struct ifp_addr *
ifp_port_addr_find(const struct ifp_port_conf *p, rte_be32_t ip)
{
	for (unsigned int i = 0; i < p->n_addr; i++)
		if (p->addr[i].ip == ip)
			return &p->addr[i];
	return NULL;
}

/*
 * RFC 792 / RFC 4443 4.2: echo request -> echo reply, type @p req -> @p reply
 * (8 -> 0, 128 -> 129), the code kept, the checksum updated (RFC 1624 eqn.
 * 3). Only the type byte changes, so ~old + new of the type word is a
 * constant whatever the code: the update is one add and a fold. Every path
 * that answers an echo (scalar, per frame, groups of eight) turns it here.
 */
static __rte_always_inline void
ifp_icmp_echo_turn(struct rte_icmp_hdr *icmp, uint8_t req, uint8_t reply)
{
	const uint8_t wo[2] = {req, 0}, wn[2] = {reply, 0};
	uint16_t old, new;

	memcpy(&old, wo, sizeof(old));
	memcpy(&new, wn, sizeof(new));
	icmp->icmp_type = reply;
	icmp->icmp_cksum = ifp_cksum_update(icmp->icmp_cksum + (uint32_t)old +
					    0xffffu - new);
}

/*
 * RFC 1812 5.3.7: a router must not accept a datagram whose source is
 * 0.0.0.0 ("this host"), in 127/8 (loopback), a class D (multicast) or
 * class E address, or the limited broadcast; class E covers 255.255.255.255.
 * Every IPv4 path checks it here.
 */
static inline bool
ifp_ipv4_src_is_martian(rte_be32_t src)
{
	uint8_t b[4];

	/* the first octet as it lies in memory: no byte swap */
	memcpy(b, &src, sizeof(b));
	return src == 0 || b[0] == 127 || b[0] >= 0xe0;
}

/*
 * A 16-bit field of the wire in host order, as rte_be_to_cpu_16() but
 * without DPDK's inline asm, which the compiler cannot fold into a compare.
 */
static inline uint16_t
ifp_be16_to_cpu(rte_be16_t x)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	return __builtin_bswap16(x);
#else
	return x;
#endif
}

/* IPv6 address classes (RFC 4291 2.4), on addresses as they lie in memory */
static inline bool
ifp_ip6_is_mcast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static inline bool
ifp_ip6_is_link_local(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/** The top 64 bits are zero: ::, ::1, IPv4-mapped and -compatible. */
static inline bool
ifp_ip6_is_zero64(const uint8_t *a)
{
	uint64_t hi;

	memcpy(&hi, a, 8);
	return hi == 0;
}

static inline bool
ifp_ip6_is_unspec(const uint8_t *a)
{
	uint64_t w[2];

	memcpy(w, a, 16);
	return (w[0] | w[1]) == 0;
}

static inline bool
ifp_ip6_eq(const uint8_t *a, const uint8_t *b)
{
	uint64_t x[2], y[2];

	memcpy(x, a, 16);
	memcpy(y, b, 16);
	return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

/*
 * RFC 4291 2.5.2-2.5.5, RFC 4443 2.4(e): no packet comes from a multicast
 * address, the loopback or an IPv4-mapped address; the unspecified :: only
 * on a DAD neighbour solicitation (checked where the ICMPv6 type is known).
 * Every IPv6 path checks it here.
 */
static inline bool
ifp_ipv6_src_is_martian(const uint8_t *src)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (ifp_ip6_is_mcast(src))
		return true;
	if (!ifp_ip6_is_zero64(src))
		return false;
	if (memcmp(src, mapped, sizeof(mapped)) == 0)
		return true;
	/* ::1; :: passes here */
	return memcmp(src + 8, "\0\0\0\0\0\0\0\1", 8) == 0;
}

/** The IPv6 address of @p p equal to @p ip (link-local included), or NULL. */
static inline const struct ifp_addr6 *
ifp_port_addr6_find(const struct ifp_port_conf *p, const uint8_t *ip)
{
	for (unsigned int i = 0; i < p->n_addr6; i++)
		if (ifp_ip6_eq(p->addr6[i].ip, ip))
			return &p->addr6[i];
	return NULL;
}

/*
 * RFC 6724 rule 2, as far as one port goes: to a link-local (or
 * unspecified) peer we speak from our link-local, to any other from the
 * port's first global address, when it has one.
 */
static inline const struct ifp_addr6 *
ifp_port_addr6_for(const struct ifp_port_conf *p, const uint8_t *peer)
{
	if (p->n_addr6 > 1 && !ifp_ip6_is_link_local(peer) &&
	    !ifp_ip6_is_unspec(peer))
		return &p->addr6[1];
	return &p->addr6[0];
}

/** Is @p ip the solicited-node group (RFC 4291 2.7.1) of an address of @p p? */
static inline bool
ifp_port_snm_find(const struct ifp_port_conf *p, const uint8_t *ip)
{
	static const uint8_t pfx[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
					0, 0, 0, 1, 0xff};

	if (memcmp(ip, pfx, sizeof(pfx)) != 0)
		return false;
	for (unsigned int i = 0; i < p->n_addr6; i++)
		if (memcmp(p->addr6[i].ip + 13, ip + 13, 3) == 0)
			return true;
	return false;
}

/** ff02::1, the link-local all-nodes group */
static inline bool
ifp_ip6_is_all_nodes(const uint8_t *a)
{
	static const uint8_t all[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
					0, 0, 0, 0, 0, 0, 0, 1};

	return ifp_ip6_eq(a, all);
}

/*
 * The handlers that rewrite a message's body need it in one segment: pull a
 * message of @p len bytes after the IP headers, split over segments, into
 * the first (rte_pktmbuf_linearize keeps the first segment's data where it
 * is, so header pointers stay valid). IFP_V_NONE, or the no_room drop.
 */
static inline enum ifp_verdict
ifp_icmp_contiguous(struct rte_mbuf *m, const struct ifp_pkt *pkt, uint32_t len)
{
	if (likely(m->data_len >= pkt->l2_len + pkt->l3_len + len))
		return IFP_V_NONE;
	return rte_pktmbuf_linearize(m) < 0 ? ifp_v_drop(IFP_DROP_NO_ROOM) : IFP_V_NONE;
}

/*
 * After rte_ip_frag took a fragment of either family: count the fragments
 * its death row freed, and go on with the datagram it completed (pkt->m
 * NULL: the fragment is held, or was freed, by the table). Returns whether
 * a datagram is complete.
 */
static inline bool
ifp_frag_settle(struct ifp_lcore *lc, struct ifp_pkt *pkt, struct rte_mbuf *r)
{
	lc->st.frag_freed += lc->frag_dr->cnt;
	rte_ip_frag_free_death_row(lc->frag_dr, 0);
	pkt->m = r;
	if (r == NULL)
		return false;
	pkt->eth = rte_pktmbuf_mtod(r, struct rte_ether_hdr *);
	return true;
}

/** Milliseconds since midnight UT of a wall-clock time (RFC 792). */
static inline uint32_t
ifp_ms_since_midnight(uint64_t ns)
{
	return (uint32_t)((ns / 1000000u) % 86400000u);
}

#endif /* IFP_PKT_H */

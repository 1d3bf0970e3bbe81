/* SPDX-License-Identifier: BSD-3-Clause */
#include <assert.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_icmp.h"
#include "ifp_mbuf.h"
#include "ifp_pkt.h"
#include "ifp_probe.h"
#include "ifp_reply.h"

/* RFC 1122 3.2.2.6 / 3.2.2.8: echo and timestamp to a broadcast address
 * are answered only when the operator asks for it (Linux treats both under
 * icmp_echo_ignore_broadcasts the same way) */
static inline bool
ifp_icmp_bcast_refused(const struct ifp_lcore *lc, const struct ifp_pkt *pkt)
{
	return pkt->bcast && !lc->conf->icmp.echo_broadcast;
}

static inline uint32_t
ifp_icmp_len(const struct ifp_pkt *pkt)
{
	return (uint32_t)pkt->ip_len - pkt->l3_len;
}

/*
 * RFC 1122 1.2.2: be liberal in what you accept. A request longer than its
 * type needs (scapy pads an address mask request to 16 bytes) is answered
 * with the standard reply of @p len bytes: the message and the datagram are
 * cut there, the total length and its header checksum (RFC 1624) follow.
 */
static inline void
ifp_icmp_cut(struct rte_mbuf *m, struct ifp_pkt *pkt, uint32_t len)
{
	rte_be16_t old = pkt->ip->total_length;

	if (likely(ifp_icmp_len(pkt) == len))
		return;
	pkt->ip_len = (uint16_t)(pkt->l3_len + len);
	pkt->ip->total_length = rte_cpu_to_be_16(pkt->ip_len);
	pkt->ip->hdr_checksum = ifp_cksum_adjust16(pkt->ip->hdr_checksum, old,
						   pkt->ip->total_length);
	ifp_mbuf_trim_to(m, pkt->l2_len + pkt->ip_len);
}

/* type and code rewritten, checksum computed afresh over @p len bytes */
static inline void
ifp_icmp_rewrite(struct rte_icmp_hdr *icmp, uint8_t type, uint8_t code,
		 uint32_t len)
{
	icmp->icmp_type = type;
	icmp->icmp_code = code;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ifp_cksum_final(ifp_cksum_raw(icmp, len));
}

/* RFC 792: an echo reply is the request with type 0; identifier, sequence
 * number and data are returned unchanged. Only the type word changes, so
 * the checksum is updated, not recomputed (RFC 1624). */
static enum ifp_verdict
ifp_icmp_echo(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
	      struct rte_icmp_hdr *icmp)
{
	enum ifp_verdict v;
	if (!lc->conf->icmp.echo)
		return ifp_v_drop(IFP_DROP_ICMP_DISABLED);
	if (ifp_icmp_bcast_refused(lc, pkt))
		return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
	v = ifp_policy_check4(lc, pkt->trace, pkt->ip->src_addr, pkt->ip->dst_addr, IFP_ANS_ECHO);
	if (v != IFP_V_NONE)
		return v;
	if (!ifp_rl_allow(&lc->rl, &lc->conf->ratelimit, IFP_RL_ECHO,
			  pkt->ip->src_addr, lc->now_ns)) {
		IFP_TRACE_STEP(pkt->trace, "ratelimit: echo");
		return ifp_v_limited(IFP_ANS_ECHO);
	}

	ifp_icmp_echo_turn(icmp, IFP_ICMP_ECHO, IFP_ICMP_ECHO_REPLY);
	ifp_ipv4_reply_prepare(lc, m, pkt);
	return ifp_v_answer(IFP_ANS_ECHO);
}

/*
 * RFC 792 timestamp: originate copied, receive and transmit in ms since
 * midnight UT. Both are the RX time of the burst: the reply is built in
 * place within microseconds, well under the millisecond the field resolves.
 */
static enum ifp_verdict
ifp_icmp_timestamp(struct ifp_lcore *lc, struct rte_mbuf *m,
		   struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	enum ifp_verdict v;
	uint8_t *b = (uint8_t *)icmp;
	rte_be32_t ms;

	if (!lc->conf->icmp.timestamp)
		return ifp_v_drop(IFP_DROP_ICMP_DISABLED);
	if (ifp_icmp_bcast_refused(lc, pkt))
		return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
	if (ifp_icmp_len(pkt) < 20)
		return ifp_v_drop(IFP_DROP_ICMP_LENGTH);
	v = ifp_policy_check4(lc, pkt->trace, pkt->ip->src_addr, pkt->ip->dst_addr, IFP_ANS_TIMESTAMP);
	if (v != IFP_V_NONE)
		return v;
	if (ifp_icmp_contiguous(m, pkt, 20) != 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	ifp_icmp_cut(m, pkt, 20);
	ms = rte_cpu_to_be_32(ifp_ms_since_midnight(lc->now_ns));
	memcpy(b + 12, &ms, 4);
	memcpy(b + 16, &ms, 4);
	ifp_icmp_rewrite(icmp, IFP_ICMP_TIMESTAMP_REPLY, 0, 20);
	ifp_ipv4_reply_prepare(lc, m, pkt);
	return ifp_v_answer(IFP_ANS_TIMESTAMP);
}

/* RFC 950: the mask of the subnet the request reached us on */
static enum ifp_verdict
ifp_icmp_mask(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
	      struct rte_icmp_hdr *icmp)
{
	enum ifp_verdict v;
	/* RFC 1122 3.2.2.9: only an authoritative agent answers */
	/* RFC 950 3: a host asks by broadcast, so a broadcast request is
	 * answered whatever echo_broadcast says */
	if (!lc->conf->icmp.address_mask)
		return ifp_v_drop(IFP_DROP_ICMP_DISABLED);
	if (ifp_icmp_len(pkt) < 12)
		return ifp_v_drop(IFP_DROP_ICMP_LENGTH);
	v = ifp_policy_check4(lc, pkt->trace, pkt->ip->src_addr, pkt->ip->dst_addr, IFP_ANS_MASK);
	if (v != IFP_V_NONE)
		return v;
	if (ifp_icmp_contiguous(m, pkt, 12) != 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	ifp_icmp_cut(m, pkt, 12);
	memcpy((uint8_t *)icmp + 8, &pkt->local->mask, 4);
	ifp_icmp_rewrite(icmp, IFP_ICMP_MASK_REPLY, 0, 12);
	ifp_ipv4_reply_prepare(lc, m, pkt);
	return ifp_v_answer(IFP_ANS_MASK);
}

/*
 * RFC 8335 extended echo (PROBE): the reply is the request with type 43,
 * the code and the state bits of the probed interface; like Linux, the
 * request's extension structure travels back unchanged.
 */
static enum ifp_verdict
ifp_icmp_ext_echo(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
		  struct rte_icmp_hdr *icmp)
{
	enum ifp_verdict v;
	const uint32_t len = ifp_icmp_len(pkt);
	uint8_t *b = (uint8_t *)icmp, code;

	/* RFC 1122 3.2.2: not a type answered to a broadcast */
	if (pkt->bcast)
		return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
	/* RFC 8335 8: off unless the operator turns it on */
	if (!lc->conf->icmp.extended_echo)
		return ifp_v_drop(IFP_DROP_ICMP_DISABLED);
	v = ifp_policy_check4(lc, pkt->trace, pkt->ip->src_addr, pkt->ip->dst_addr, IFP_ANS_EXT_ECHO);
	if (v != IFP_V_NONE)
		return v;
	if (ifp_icmp_contiguous(m, pkt, len) != 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);

	code = ifp_probe_answer(lc->conf, b, len);
	ifp_icmp_rewrite(icmp, IFP_ICMP_EXT_ECHO_REPLY, code, len);
	ifp_ipv4_reply_prepare(lc, m, pkt);
	return ifp_v_answer(IFP_ANS_EXT_ECHO);
}

/*
 * The types icmpfp does not answer, each with its reason (every other
 * unanswered type: icmp_unknown_type). Requests are dispatched by the switch
 * of ifp_icmp_input(); these only name a reason, so they are a table of
 * reasons, not of functions.
 */
#define IFP_ICMP_NO_DROP 0 /* not in the table: an unknown type */
static_assert(IFP_DROP_L2_RUNT == IFP_ICMP_NO_DROP, "no ICMP type's reason");
static const uint8_t ifp_icmp_drop[256] = {
	/* a reply addressed to us answers nothing we asked: count it */
	[IFP_ICMP_ECHO_REPLY] = IFP_DROP_ICMP_REPLY_TO_US,
	[IFP_ICMP_TIMESTAMP_REPLY] = IFP_DROP_ICMP_REPLY_TO_US,
	[16] = IFP_DROP_ICMP_REPLY_TO_US,   /* information reply */
	[IFP_ICMP_MASK_REPLY] = IFP_DROP_ICMP_REPLY_TO_US,
	[IFP_ICMP_EXT_ECHO_REPLY] = IFP_DROP_ICMP_REPLY_TO_US,
	/* RFC 1122 3.2.2: an ICMP error is never answered with an ICMP
	 * message */
	[IFP_ICMP_DEST_UNREACH] = IFP_DROP_ICMP_ERROR_TO_US,
	[4] = IFP_DROP_ICMP_ERROR_TO_US,    /* source quench */
	[5] = IFP_DROP_ICMP_ERROR_TO_US,    /* redirect */
	[IFP_ICMP_TIME_EXCEEDED] = IFP_DROP_ICMP_ERROR_TO_US,
	[IFP_ICMP_PARAM_PROBLEM] = IFP_DROP_ICMP_ERROR_TO_US,
	/* RFC 6918 deprecates information request/reply (15/16) */
	[15] = IFP_DROP_ICMP_INFO_REQUEST,
};

enum ifp_verdict
ifp_icmp_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	uint32_t off = pkt->l2_len + pkt->l3_len;
	uint32_t len = pkt->ip_len - pkt->l3_len;
	struct rte_icmp_hdr *icmp;
	uint16_t sum;
	uint8_t type;

	if (unlikely(len < sizeof(*icmp)))
		return ifp_v_drop(IFP_DROP_ICMP_RUNT);
	if (unlikely(m->data_len < off + sizeof(*icmp)))
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
	/* RFC 1122 3.2.2: the checksum covers the whole ICMP message */
	if (likely(m->nb_segs == 1))
		sum = ifp_cksum_raw(rte_pktmbuf_mtod_offset(m, void *, off), len);
	else if (ifp_cksum_mbuf(m, off, len, &sum) < 0)
		return ifp_v_drop(IFP_DROP_IP_TOTAL_LENGTH);
	if (unlikely(sum != 0xffff))
		return ifp_v_drop(IFP_DROP_ICMP_CHECKSUM);

	icmp = rte_pktmbuf_mtod_offset(m, struct rte_icmp_hdr *, off);
	type = icmp->icmp_type;
	if (unlikely(pkt->trace != NULL))
		ifp_trace_icmp(pkt->trace, false, type, icmp->icmp_code);
	switch (type) {
	case IFP_ICMP_ECHO:
		return ifp_icmp_echo(lc, m, pkt, icmp);
	case IFP_ICMP_TIMESTAMP:
		return ifp_icmp_timestamp(lc, m, pkt, icmp);
	case IFP_ICMP_MASK:
		return ifp_icmp_mask(lc, m, pkt, icmp);
	case IFP_ICMP_EXT_ECHO:
		return ifp_icmp_ext_echo(lc, m, pkt, icmp);
	default:
		if (ifp_icmp_drop[type] == IFP_ICMP_NO_DROP)
			return ifp_v_drop(IFP_DROP_ICMP_UNKNOWN_TYPE);
		/* RFC 1122 3.2.2: only echo and timestamp (and the mask
		 * request, RFC 950 3) may be answered when sent to a
		 * broadcast; every other type to a broadcast is not for us */
		if (unlikely(pkt->bcast))
			return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
		return ifp_v_drop((enum ifp_drop)ifp_icmp_drop[type]);
	}
}

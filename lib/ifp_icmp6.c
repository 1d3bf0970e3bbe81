/* SPDX-License-Identifier: BSD-3-Clause */
#include <assert.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_icmp6.h"
#include "ifp_nd.h"
#include "ifp_pkt.h"
#include "ifp_probe.h"
#include "ifp_reply.h"

/*
 * RFC 4443 4.2: an echo reply is the request with type 129; identifier,
 * sequence number and data are returned unchanged. To one of our unicast
 * addresses the reply's pseudo-header holds the same two addresses, so
 * only the type word moves the checksum (RFC 1624); to a group
 * (echo_multicast = on) the reply comes from our address of the sender's
 * scope, and the sum is made afresh.
 */
static enum ifp_verdict
ifp_icmp6_echo(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
	       struct rte_icmp_hdr *icmp)
{
	enum ifp_verdict v;
	if (!lc->conf->icmp6.echo)
		return ifp_v_drop(IFP_DROP_ICMP6_DISABLED);
	if (pkt->bcast && !lc->conf->icmp6.echo_multicast)
		return ifp_v_drop(IFP_DROP_IP6_DST_MULTICAST);
	v = ifp_policy_check6(lc, pkt->trace, pkt->ip6->src_addr, pkt->ip6->dst_addr, IFP_ANS_ECHO6);
	if (v != IFP_V_NONE)
		return v;
	if (!ifp_rl_allow(&lc->rl, &lc->conf->ratelimit, IFP_RL_ECHO,
			  ifp_rl_key_ipv6(pkt->ip6->src_addr), lc->now_ns)) {
		IFP_TRACE_STEP(pkt->trace, "ratelimit: echo");
		return ifp_v_limited(IFP_ANS_ECHO6);
	}

	if (ifp_ipv6_reply_prepare(lc, m, pkt, pkt->local6->ip) < 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	icmp = rte_pktmbuf_mtod_offset(m, struct rte_icmp_hdr *,
				       pkt->l2_len + pkt->l3_len);
	if (likely(!pkt->bcast)) {
		ifp_icmp_echo_turn(icmp, IFP_ICMP6_ECHO, IFP_ICMP6_ECHO_REPLY);
	} else {
		uint32_t len = (uint32_t)pkt->ip_len - pkt->l3_len;
		uint16_t sum;

		icmp->icmp_type = IFP_ICMP6_ECHO_REPLY;
		icmp->icmp_cksum = 0;
		if (ifp_cksum_mbuf(m, pkt->l2_len + pkt->l3_len, len, &sum) < 0)
			return ifp_v_drop(IFP_DROP_NO_ROOM);
		icmp->icmp_cksum = ifp_cksum_final(
			(uint32_t)sum +
			ifp_cksum_ipv6_phdr(pkt->ip6->src_addr, len, IFP_IP6_ICMP));
	}
	return ifp_v_answer(IFP_ANS_ECHO6);
}

/* RFC 8335: extended echo 160 -> 161, the body as ICMP's (ifp_probe.c) */
static enum ifp_verdict
ifp_icmp6_ext_echo(struct ifp_lcore *lc, struct rte_mbuf *m,
		   struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	enum ifp_verdict v;
	const uint32_t len = (uint32_t)pkt->ip_len - pkt->l3_len;
	uint8_t code;

	/* RFC 8335 8: off unless the operator turns it on */
	if (!lc->conf->icmp6.extended_echo)
		return ifp_v_drop(IFP_DROP_ICMP6_DISABLED);
	if (pkt->bcast)
		return ifp_v_drop(IFP_DROP_IP6_DST_MULTICAST);
	v = ifp_policy_check6(lc, pkt->trace, pkt->ip6->src_addr, pkt->ip6->dst_addr, IFP_ANS_EXT_ECHO6);
	if (v != IFP_V_NONE)
		return v;
	if (ifp_icmp_contiguous(m, pkt, len) != 0 ||
	    ifp_ipv6_reply_prepare(lc, m, pkt, pkt->local6->ip) < 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	icmp = (struct rte_icmp_hdr *)(pkt->ip6 + 1);
	code = ifp_probe_answer(lc->conf, (uint8_t *)icmp, len);
	icmp->icmp_type = IFP_ICMP6_EXT_ECHO_REPLY;
	icmp->icmp_code = code;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ifp_cksum_final(
		(uint32_t)ifp_cksum_raw(icmp, len) +
		ifp_cksum_ipv6_phdr(pkt->ip6->src_addr, len, IFP_IP6_ICMP));
	return ifp_v_answer(IFP_ANS_EXT_ECHO6);
}

/*
 * The informational types (128-255) icmpfp does not answer, each with its
 * reason; RFC 4443 2.4(b): any other unknown one is discarded
 * (icmp6_unknown_type). The types answered are the switch of
 * ifp_icmp6_input(): a table of reasons, not of functions.
 */
#define IFP_ICMP6_NO_DROP 0 /* not in the table: an unknown type */
static_assert(IFP_DROP_L2_RUNT == IFP_ICMP6_NO_DROP, "no ICMPv6 type's reason");
static const uint8_t ifp_icmp6_drop[256] = {
	/* a reply addressed to us answers nothing we asked: count it */
	[IFP_ICMP6_ECHO_REPLY] = IFP_DROP_ICMP6_REPLY_TO_US,
	[IFP_ICMP6_EXT_ECHO_REPLY] = IFP_DROP_ICMP6_REPLY_TO_US,
	/* MLD reports and done (RFC 2710, 3810) reach us when another
	 * listener shares a solicited-node group of ours: a router's
	 * business */
	[IFP_ICMP6_MLD_REPORT] = IFP_DROP_ND_TO_US,
	[IFP_ICMP6_MLD_DONE] = IFP_DROP_ND_TO_US,
	[IFP_ICMP6_MLD2_REPORT] = IFP_DROP_ND_TO_US,
};

enum ifp_verdict
ifp_icmp6_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	const uint32_t off = pkt->l2_len + pkt->l3_len;
	const uint32_t len = (uint32_t)pkt->ip_len - pkt->l3_len;
	struct rte_icmp_hdr *icmp;
	uint8_t type;
	uint16_t sum;

	if (unlikely(pkt->ip_len < pkt->l3_len + sizeof(*icmp)))
		return ifp_v_drop(IFP_DROP_ICMP6_RUNT);
	/* the extension headers may have been walked across segments; the
	 * handlers read the ICMPv6 header where it lies */
	if (unlikely(m->data_len < off + sizeof(*icmp)) &&
	    rte_pktmbuf_linearize(m) < 0)
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
	/* RFC 4443 2.3: the checksum covers the pseudo-header and the whole
	 * message; verified before anything is answered */
	if (likely(m->nb_segs == 1))
		sum = ifp_cksum_raw(rte_pktmbuf_mtod_offset(m, void *, off), len);
	else if (ifp_cksum_mbuf(m, off, len, &sum) < 0)
		return ifp_v_drop(IFP_DROP_IP6_PAYLOAD_LENGTH);
	if (unlikely(ifp_cksum_fold((uint32_t)sum +
				    ifp_cksum_ipv6_phdr(pkt->ip6->src_addr, len,
							IFP_IP6_ICMP)) != 0xffff))
		return ifp_v_drop(IFP_DROP_ICMP6_CHECKSUM);

	icmp = rte_pktmbuf_mtod_offset(m, struct rte_icmp_hdr *, off);
	type = icmp->icmp_type;
	if (unlikely(pkt->trace != NULL))
		ifp_trace_icmp(pkt->trace, true, type, icmp->icmp_code);
	/* :: is a source only for DAD (RFC 4862 5.4.2) */
	if (unlikely(ifp_ip6_is_unspec(pkt->ip6->src_addr)) && type != IFP_ICMP6_NS)
		return ifp_v_drop(IFP_DROP_IP6_MARTIAN_SRC);
	/* RFC 4443 2.4(b): an error, known or not, goes to the upper layer
	 * that sent the packet it is about: none here */
	if (type < 128)
		return ifp_v_drop(IFP_DROP_ICMP6_ERROR_TO_US);
	switch (type) {
	case IFP_ICMP6_ECHO:
		return ifp_icmp6_echo(lc, m, pkt, icmp);
	case IFP_ICMP6_NS:
		return ifp_nd_ns_input(lc, m, pkt, icmp);
	case IFP_ICMP6_NA:
		return ifp_nd_na_input(lc, m, pkt, icmp);
	case IFP_ICMP6_RS:
	case IFP_ICMP6_RA:
	case IFP_ICMP6_REDIRECT:
		return ifp_nd_other_input(lc, m, pkt, icmp);
	case IFP_ICMP6_MLD_QUERY:
		return ifp_mld_query_input(lc, m, pkt, icmp);
	case IFP_ICMP6_EXT_ECHO:
		return ifp_icmp6_ext_echo(lc, m, pkt, icmp);
	default:
		if (ifp_icmp6_drop[type] == IFP_ICMP6_NO_DROP)
			return ifp_v_drop(IFP_DROP_ICMP6_UNKNOWN_TYPE);
		return ifp_v_drop((enum ifp_drop)ifp_icmp6_drop[type]);
	}
}

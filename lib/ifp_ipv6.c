/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "ifp_error.h"
#include "ifp_exthdr.h"
#include "ifp_icmp6.h"
#include "ifp_ipv6.h"
#include "ifp_mbuf.h"
#include "ifp_pkt.h"
#include "ifp_reply.h"
#include "ifp_route.h"
#include "ifp_transit.h"
#include "ifp_udp.h"

/*
 * Step 5 for a destination that is not ours (ifp_transit.h), the IPv6
 * length being the whole packet's: no DF in IPv6, routers never fragment
 * (RFC 8200 5). Extension headers are not walked: a node on the path
 * examines none but Hop-by-Hop, which it may ignore (RFC 8200 4, 4.3).
 */
static enum ifp_verdict
ifp_ipv6_transit(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	const uint8_t *dst = pkt->ip6->dst_addr;
	const bool to_us = rte_is_same_ether_addr(&pkt->eth->dst_addr, &pkt->port->mac);
	const enum ifp_verdict v = ifp_transit6_dst_check(dst, to_us);

	if (v != IFP_V_NONE)
		return v;
	return ifp_transit_answer(lc, m, pkt, ifp_route6_lookup(lc->conf, dst),
				  pkt->ip6->hop_limits, pkt->ip_len, ifp_ip6_is_mcast(dst));
}

/*
 * Which of our addresses a packet to @p dst is for: one of A6(P), or
 * ff02::1 or the solicited-node group of one of them, or a group the LPA
 * listener hears (*lpa set) (then pkt->bcast is set, and the address to
 * answer from chosen by the sender's scope). NULL: not for us.
 */
static inline const struct ifp_addr6 *
ifp_ipv6_local_find(const struct ifp_lcore *lc, struct ifp_pkt *pkt,
		    const uint8_t *dst, bool *lpa)
{
	const struct ifp_port_conf *port = pkt->port;

	pkt->bcast = false;
	*lpa = false;
	if (likely(!ifp_ip6_is_mcast(dst)))
		return ifp_port_addr6_find(port, dst);
	*lpa = ifp_lpa_group6(lc->conf, dst);
	if (*lpa || ifp_ip6_is_all_nodes(dst) || ifp_port_snm_find(port, dst)) {
		pkt->bcast = true;
		return ifp_port_addr6_for(port, pkt->ip6->src_addr);
	}
	return NULL;
}

/*
 * RFC 7112 5: a first fragment must hold the whole header chain, the
 * upper-layer header included (as Linux's ipv6frag_thdr_truncated(): 8
 * octets of ICMPv6 or UDP, 20 of TCP, 1 of anything else).
 */
static bool
ifp_ipv6_chain_complete(const struct ifp_pkt *pkt, uint32_t off, uint8_t nh)
{
	uint16_t fo;
	int32_t up = ifp_exthdr_skip(pkt->m, pkt->l2_len, off, pkt->ip_len, &nh,
				     &fo);
	uint32_t need;

	if (up < 0)
		return false;
	switch (nh) {
	case IPPROTO_TCP:
		need = 20;
		break;
	case IPPROTO_UDP:
	case IFP_IP6_ICMP:
		need = 8;
		break;
	case IFP_IP6_NONE:
		need = 0;
		break;
	default:
		need = 1;
		break;
	}
	return (uint32_t)up + need <= pkt->ip_len;
}

/*
 * A fragment addressed to us (RFC 8200 4.5), its Fragment header at @p fh
 * bytes into the packet, goes into the lcore's reassembly table, the one
 * IPv4 uses (rte_ip_frag keys the two families apart). It is counted there
 * (ip6_frag_reasm) unless it completes a datagram, which then goes on in
 * pkt->m as if it had arrived whole, its Fragment header removed.
 */
static enum ifp_verdict
ifp_ipv6_reassemble(struct ifp_lcore *lc, struct ifp_pkt *pkt, uint32_t fh)
{
	struct rte_mbuf *m = pkt->m, *r;
	struct rte_ipv6_fragment_ext *frag;
	uint8_t tmp[8];
	const uint8_t *h;
	uint32_t payload, off;
	bool more;

	if (!lc->conf->icmp6.reassembly || lc->frag_tbl == NULL)
		return ifp_v_drop(IFP_DROP_IP6_FRAGMENT);
	/* the walk read these 8 bytes: NULL only if the frame ever stops
	 * holding pkt->ip_len */
	h = rte_pktmbuf_read(m, pkt->l2_len + fh, 8, tmp);
	if (unlikely(h == NULL))
		return ifp_v_drop(IFP_DROP_IP6_EXTHDR);
	off = pkt->frag_off;
	more = h[3] & 1;
	payload = pkt->ip_len - fh - 8u;
	if (payload == 0)
		return ifp_v_drop(IFP_DROP_IP6_FRAG_BAD);
	/* RFC 8200 4.5: every fragment but the last carries a multiple of 8
	 * octets (4/0 at the Payload Length), and none ends past 65535 (4/0
	 * at the Fragment Offset); the error builder sends them only about a
	 * first fragment (design step 6) */
	if (more && (payload & 7))
		return ifp_error_send(lc, m, pkt, IFP_ANS_PARAM_PROBLEM6,
				      IFP_ICMP6_PARAM_PROBLEM, 0,
				      offsetof(struct rte_ipv6_hdr, payload_len));
	if (off + payload > UINT16_MAX)
		return ifp_error_send(lc, m, pkt, IFP_ANS_PARAM_PROBLEM6,
				      IFP_ICMP6_PARAM_PROBLEM, 0, fh + 2);
	/* RFC 7112 5, RFC 8200 4.5: 4/3 with the pointer zero */
	if (off == 0 && !ifp_ipv6_chain_complete(pkt, fh + 8, h[0]))
		return ifp_error_send(lc, m, pkt, IFP_ANS_PARAM_PROBLEM6,
				      IFP_ICMP6_PARAM_PROBLEM, 3, 0);

	/* rte_ip_frag wants the Fragment header right after the IPv6 header,
	 * both in the first segment: the headers before it have been acted
	 * on, so they go */
	pkt->proto = IFP_IP6_FRAGMENT;
	pkt->l3_len = (uint16_t)fh;
	if (ifp_ipv6_exthdr_strip(m, pkt) < 0 ||
	    m->data_len < pkt->l2_len + sizeof(struct rte_ipv6_hdr) + 8)
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
	frag = (struct rte_ipv6_fragment_ext *)(pkt->ip6 + 1);
	m->l2_len = pkt->l2_len;
	m->l3_len = sizeof(struct rte_ipv6_hdr) + sizeof(*frag);
	r = rte_ipv6_frag_reassemble_packet(lc->frag_tbl, lc->frag_dr, m,
					    lc->now_ns, pkt->ip6, frag);
	if (!ifp_frag_settle(lc, pkt, r))
		return ifp_v_drop(IFP_DROP_IP6_FRAG_REASM);
	pkt->ip6 = rte_pktmbuf_mtod_offset(r, struct rte_ipv6_hdr *, pkt->l2_len);
	pkt->ip_len = (uint16_t)(sizeof(struct rte_ipv6_hdr) +
				 rte_be_to_cpu_16(pkt->ip6->payload_len));
	pkt->frag_off = 0;
	r->l3_len = sizeof(struct rte_ipv6_hdr);
	return IFP_V_NONE;
}

/* the extension header walk's status, carried out as a verdict */
static enum ifp_verdict
ifp_ipv6_exthdr(struct ifp_lcore *lc, struct ifp_pkt *pkt, bool reassembled)
{
	struct ifp_exthdr_pp pp;
	enum ifp_verdict v;

	switch (ifp_exthdr_walk(pkt, &pp)) {
	case IFP_EXTHDR_UPPER:
		return IFP_V_NONE;
	case IFP_EXTHDR_DROP:
		return ifp_v_drop(pp.drop);
	case IFP_EXTHDR_PARAM_PROBLEM:
		return ifp_error_send(lc, pkt->m, pkt, IFP_ANS_PARAM_PROBLEM6,
				      IFP_ICMP6_PARAM_PROBLEM, pp.code, pp.ptr);
	case IFP_EXTHDR_FRAGMENT:
		/* a Fragment header inside a reassembled datagram */
		if (reassembled)
			return ifp_v_drop(IFP_DROP_IP6_FRAG_BAD);
		v = ifp_ipv6_reassemble(lc, pkt, pp.ptr);
		if (v != IFP_V_NONE)
			return v;
		IFP_TRACE_STEP(pkt->trace, "fragment: completes a datagram of %u bytes",
			       pkt->ip_len);
		return ifp_ipv6_exthdr(lc, pkt, true);
	}
	/* every status is a case above (-Wswitch) */
	return ifp_v_drop(IFP_DROP_IP6_EXTHDR);
}

enum ifp_verdict
ifp_ipv6_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	const struct ifp_port_conf *port = pkt->port;
	struct rte_ipv6_hdr *ip;
	enum ifp_verdict v;
	uint32_t frame_l3;
	bool lpa;

	/* a port without IPv6 speaks no IPv6 */
	if (unlikely(port->n_addr6 == 0))
		return ifp_v_drop(IFP_DROP_L2_ETHERTYPE);
	frame_l3 = m->pkt_len - pkt->l2_len;
	if (unlikely(frame_l3 < sizeof(*ip)))
		return ifp_v_drop(IFP_DROP_IP6_RUNT);
	if (unlikely(m->data_len < pkt->l2_len + sizeof(*ip)))
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, pkt->l2_len);
	pkt->ip6 = ip;
	pkt->frag_off = 0;

	/* RFC 8200 3: version 6; the payload within the frame */
	if (unlikely((*(const uint8_t *)ip >> 4) != 6))
		return ifp_v_drop(IFP_DROP_IP6_VERSION);
	pkt->ip_len = (uint16_t)RTE_MIN(sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len),
					(uint32_t)UINT16_MAX);
	if (unlikely(sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len) > frame_l3))
		return ifp_v_drop(ifp_port_rx_cut(port, m) ? IFP_DROP_RX_TRUNCATED
							   : IFP_DROP_IP6_PAYLOAD_LENGTH);
	if (unlikely(ifp_ipv6_src_is_martian(ip->src_addr)))
		return ifp_v_drop(IFP_DROP_IP6_MARTIAN_SRC);
	IFP_TRACE_STEP(pkt->trace, "ipv6: ok");

	/* Ethernet padding after the packet is not part of it */
	if (unlikely(frame_l3 > pkt->ip_len))
		ifp_mbuf_trim_to(m, pkt->l2_len + pkt->ip_len);
	m->l3_len = sizeof(*ip);

	pkt->local6 = ifp_ipv6_local_find(lc, pkt, ip->dst_addr, &lpa);
	if (pkt->local6 == NULL) {
		/* RFC 4291 2.5.2, 2.5.3, 2.5.5.2: never a destination on
		 * the wire */
		if (ifp_ip6_is_zero64(ip->dst_addr) &&
		    (ifp_ipv6_src_is_martian(ip->dst_addr) ||
		     ifp_ip6_is_unspec(ip->dst_addr)))
			return ifp_v_drop(IFP_DROP_IP6_MARTIAN_DST);
		IFP_TRACE_STEP(pkt->trace, "ipv6: transit");
		return ifp_ipv6_transit(lc, m, pkt);
	}

	v = ifp_ipv6_exthdr(lc, pkt, false);
	if (v != IFP_V_NONE)
		return v;
	m = pkt->m;

	/* :: is a source only for DAD (RFC 4862 5.4.2) */
	if (unlikely(ifp_ip6_is_unspec(pkt->ip6->src_addr)) &&
	    pkt->proto != IFP_IP6_ICMP)
		return ifp_v_drop(IFP_DROP_IP6_MARTIAN_SRC);

	/* an LPA group is heard for its UDP, nothing else */
	if (unlikely(lpa))
		return pkt->proto == IPPROTO_UDP ? ifp_udp_input(lc, m, pkt, true)
						 : ifp_v_drop(IFP_DROP_IP6_DST_MULTICAST);
	switch (pkt->proto) {
	case IFP_IP6_ICMP:
		return ifp_icmp6_input(lc, m, pkt);
	case IPPROTO_TCP:
		/* a TCP RST is a TCP stack's answer, not ours */
		return ifp_v_drop(IFP_DROP_TCP);
	case IPPROTO_UDP:
		/* an LPA, or Port Unreachable (ifp_udp.c) */
		return ifp_udp_input(lc, m, pkt, false);
	default:
		/* RFC 8200 4: an unrecognised Next Header at the
		 * destination: 4/1 pointing at it */
		return ifp_error_send(lc, m, pkt, IFP_ANS_PARAM_PROBLEM6,
				      IFP_ICMP6_PARAM_PROBLEM, 1, pkt->nh_off);
	}
}

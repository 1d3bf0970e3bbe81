/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_error.h"
#include "ifp_icmp.h"
#include "ifp_ipv4.h"
#include "ifp_mbuf.h"
#include "ifp_options.h"
#include "ifp_route.h"
#include "ifp_transit.h"
#include "ifp_udp.h"

/*
 * Is @p dst a broadcast for port @p p: the limited broadcast or the directed
 * broadcast of one of its subnets. Returns the address to answer from.
 */
static inline const struct ifp_addr *
ifp_ipv4_bcast_find(const struct ifp_port_conf *p, rte_be32_t dst, bool *bc)
{
	*bc = false;
	/* not RTE_IPV4_BROADCAST: DPDK defines that as 224.0.0.0 */
	if (dst == IFP_IPV4_LIMITED_BCAST) {
		*bc = true;
		return p->n_addr ? &p->addr[0] : NULL;
	}
	for (unsigned int i = 0; i < p->n_addr; i++) {
		if (p->addr[i].bcast == dst && dst != 0) {
			*bc = true;
			return &p->addr[i];
		}
	}
	return NULL;
}

/*
 * Step 5 of the design, for a unicast destination that is not ours: the
 * route's error first, then TTL, then the route's MTU (ifp_transit.h).
 */
static enum ifp_verdict
ifp_ipv4_transit(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	const struct rte_ipv4_hdr *ip = pkt->ip;

	/* a frame sent to the link-layer broadcast is not ours to route
	 * (RFC 1812 5.3.4) */
	if (!rte_is_same_ether_addr(&pkt->eth->dst_addr, &pkt->port->mac))
		return ifp_v_drop(IFP_DROP_L2_BCAST_TRANSIT);
	/* only a datagram with DF set may be too big: a router fragments
	 * the others */
	return ifp_transit_answer(lc, m, pkt, ifp_route_lookup(lc->conf, ip->dst_addr),
				  ip->time_to_live,
				  (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG))
					  ? pkt->ip_len
					  : 0,
				  false);
}

/*
 * A fragment addressed to us goes into the lcore's reassembly table. It is
 * counted there (ip_frag_reasm) unless it completes a datagram, which then
 * goes on in pkt->m as if it had arrived whole.
 */
static enum ifp_verdict
ifp_ipv4_reassemble(struct ifp_lcore *lc, struct ifp_pkt *pkt)
{
	struct rte_mbuf *m = pkt->m, *r;
	struct rte_ipv4_hdr *ip = pkt->ip;
	uint16_t fo = rte_be_to_cpu_16(ip->fragment_offset);
	uint32_t payload = pkt->ip_len - pkt->l3_len;
	uint32_t off = (uint32_t)(fo & RTE_IPV4_HDR_OFFSET_MASK) * 8;

	if (!lc->conf->icmp.reassembly || lc->frag_tbl == NULL)
		return ifp_v_drop(IFP_DROP_IP_FRAGMENT);
	/* RFC 791: every fragment but the last carries a multiple of 8
	 * octets, and no datagram exceeds 65535 */
	if (payload == 0 || ((fo & RTE_IPV4_HDR_MF_FLAG) && (payload & 7)) ||
	    off + payload + pkt->l3_len > UINT16_MAX)
		return ifp_v_drop(IFP_DROP_IP_FRAG_BAD);

	r = rte_ipv4_frag_reassemble_packet(lc->frag_tbl, lc->frag_dr, m,
					    lc->now_ns, ip);
	if (!ifp_frag_settle(lc, pkt, r))
		return ifp_v_drop(IFP_DROP_IP_FRAG_REASM);
	pkt->ip = rte_pktmbuf_mtod_offset(r, struct rte_ipv4_hdr *, r->l2_len);
	pkt->l3_len = r->l3_len;
	pkt->ip_len = rte_be_to_cpu_16(pkt->ip->total_length);
	/* rte_ip_frag leaves the checksum zero; an error may quote it */
	pkt->ip->hdr_checksum = 0;
	pkt->ip->hdr_checksum = (uint16_t)~ifp_cksum_ipv4_hdr(pkt->ip, pkt->l3_len);
	return IFP_V_NONE;
}

enum ifp_verdict
ifp_ipv4_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	const struct ifp_port_conf *port = pkt->port;
	struct rte_ipv4_hdr *ip;
	enum ifp_verdict v;
	uint32_t frame_l3;
	uint64_t ck_flags;

	/* RFC 1812 5.2.2 (1): the link layer length must hold a minimal
	 * IP header */
	frame_l3 = m->pkt_len - pkt->l2_len;
	if (unlikely(frame_l3 < sizeof(*ip)))
		return ifp_v_drop(IFP_DROP_IP_RUNT);
	if (unlikely(m->data_len < pkt->l2_len + sizeof(*ip)))
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, pkt->l2_len);
	pkt->ip = ip;

	/* (3) version 4; (4) IHL at least 5 and within the frame */
	if (unlikely((ip->version_ihl >> 4) != 4))
		return ifp_v_drop(IFP_DROP_IP_VERSION);
	pkt->l3_len = (ip->version_ihl & 0xf) * 4;
	if (unlikely(pkt->l3_len < sizeof(*ip) || pkt->l3_len > frame_l3))
		return ifp_v_drop(IFP_DROP_IP_IHL);
	if (unlikely(m->data_len < pkt->l2_len + pkt->l3_len))
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);

	/* (5) total length at least the header, at most the frame */
	pkt->ip_len = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(pkt->ip_len < pkt->l3_len))
		return ifp_v_drop(IFP_DROP_IP_TOTAL_LENGTH);
	if (unlikely(pkt->ip_len > frame_l3))
		return ifp_v_drop(ifp_port_rx_cut(port, m) ? IFP_DROP_RX_TRUNCATED
							   : IFP_DROP_IP_TOTAL_LENGTH);

	/* (2) header checksum; the PMD may have checked it for us */
	ck_flags = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	if (ck_flags == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return ifp_v_drop(IFP_DROP_IP_CHECKSUM);
	if (ck_flags != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
	    unlikely(ifp_cksum_ipv4_hdr(ip, pkt->l3_len) != 0xffff))
		return ifp_v_drop(IFP_DROP_IP_CHECKSUM);

	if (unlikely(ifp_ipv4_src_is_martian(ip->src_addr)))
		return ifp_v_drop(IFP_DROP_IP_MARTIAN_SRC);
	IFP_TRACE_STEP(pkt->trace, "ipv4: ok");

	/* Ethernet padding after the datagram is not part of it */
	if (unlikely(frame_l3 > pkt->ip_len))
		ifp_mbuf_trim_to(m, pkt->l2_len + pkt->ip_len);
	m->l3_len = pkt->l3_len;

	pkt->bcast = false;
	pkt->local = ifp_port_addr_find(port, ip->dst_addr);
	if (pkt->local == NULL) {
		pkt->local = ifp_ipv4_bcast_find(port, ip->dst_addr, &pkt->bcast);
		if (pkt->local == NULL) {
			if (!ifp_ipv4_is_mcast(rte_be_to_cpu_32(ip->dst_addr))) {
				IFP_TRACE_STEP(pkt->trace, "ipv4: transit");
				return ifp_ipv4_transit(lc, m, pkt);
			}
			/* a group the LPA listener hears: whole datagrams,
			 * their options ignored */
			if (ip->next_proto_id == IPPROTO_UDP &&
			    !(ip->fragment_offset &
			      RTE_BE16(RTE_IPV4_HDR_MF_FLAG |
				       RTE_IPV4_HDR_OFFSET_MASK)) &&
			    ifp_lpa_group4(lc->conf, ip->dst_addr))
				return ifp_udp_input(lc, m, pkt, true);
			return ifp_v_drop(IFP_DROP_IP_DST_MULTICAST);
		}
	}

	if (unlikely(ip->fragment_offset &
		     RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))) {
		v = ifp_ipv4_reassemble(lc, pkt);
		if (v != IFP_V_NONE)
			return v;
		IFP_TRACE_STEP(pkt->trace, "fragment: completes a datagram of %u bytes",
			       pkt->ip_len);
		m = pkt->m;
		ip = pkt->ip;
	}

	if (unlikely(pkt->l3_len > sizeof(*ip))) {
		uint8_t where;

		switch (ifp_ipv4_options_check(lc, pkt, &where)) {
		case IFP_OPT_OK:
			IFP_TRACE_STEP(pkt->trace, "ipv4: options ok");
			break;
		case IFP_OPT_SOURCE_ROUTE:
			/* RFC 7126 4.3, 4.4: drop source-routed datagrams */
			return ifp_v_drop(IFP_DROP_IP_SOURCE_ROUTE);
		case IFP_OPT_PARAM_PROBLEM:
			/* RFC 792: the pointer is the octet in error */
			return ifp_error_send(lc, m, pkt, IFP_ANS_PARAM_PROBLEM,
					      IFP_ICMP_PARAM_PROBLEM, 0,
					      (uint32_t)where << 24);
		}
	}

	switch (ip->next_proto_id) {
	case IPPROTO_ICMP:
		return ifp_icmp_input(lc, m, pkt);
	case IPPROTO_TCP:
		/* a TCP RST is a TCP stack's answer, not ours */
		return ifp_v_drop(IFP_DROP_TCP);
	case IPPROTO_UDP:
		return ifp_udp_input(lc, m, pkt, false);
	default:
		if (pkt->bcast)
			return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
		return ifp_error_send(lc, m, pkt, IFP_ANS_PROTO_UNREACH,
				      IFP_ICMP_DEST_UNREACH, 2, 0);
	}
}

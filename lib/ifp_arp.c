/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_arp.h>
#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "ifp_arp.h"
#include "ifp_pkt.h"
#include "ifp_udp.h"

/*
 * RFC 826: a request for one of our addresses is answered by turning the
 * frame around; everything else (replies, announcements, requests for other
 * hosts, RARP) is dropped. ARP probes (sender 0.0.0.0, RFC 5227 2.1.1) are
 * answered like any request, which is how an address is defended.
 */
enum ifp_verdict
ifp_arp_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	const struct ifp_port_conf *port = pkt->port;
	struct rte_arp_hdr *arp;
	struct rte_ether_addr sha;
	rte_be32_t sip, tip;
	enum ifp_verdict v;

	if (unlikely(m->pkt_len < pkt->l2_len + sizeof(*arp)))
		return ifp_v_drop(IFP_DROP_ARP_TRUNCATED);
	if (unlikely(m->data_len < pkt->l2_len + sizeof(*arp)))
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
	arp = rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, pkt->l2_len);
	if (arp->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4)
		return ifp_v_drop(IFP_DROP_ARP_FORMAT);
	memcpy(&tip, &arp->arp_data.arp_tip, sizeof(tip));
	memcpy(&sip, &arp->arp_data.arp_sip, sizeof(sip));
	IFP_TRACE_STEP(pkt->trace, "arp: %s for %u.%u.%u.%u",
		       arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REQUEST) ? "request" :
		       arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY) ? "reply" : "op",
		       ((const uint8_t *)&tip)[0], ((const uint8_t *)&tip)[1],
		       ((const uint8_t *)&tip)[2], ((const uint8_t *)&tip)[3]);
	if (arp->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST)) {
		if (arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY) &&
		    ifp_port_addr_find(port, tip) != NULL &&
		    ifp_lpa_to_unicast(lc->conf, &(struct ifp_ipx){.ip4 = sip}))
			return ifp_lpa_neigh_pass(lc, m->port,
						  &(struct ifp_ipx){.ip4 = sip},
						  &arp->arp_data.arp_sha);
		return ifp_v_drop(IFP_DROP_ARP_NOT_REQUEST);
	}

	if (ifp_port_addr_find(port, tip) == NULL)
		return ifp_v_drop(IFP_DROP_ARP_NOT_OURS);
	/* [policy] neighbour: the key's destination is the target */
	v = ifp_policy_check4(lc, pkt->trace, sip, tip, IFP_ANS_ARP);
	if (v != IFP_V_NONE)
		return v;

	sha = arp->arp_data.arp_sha;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	arp->arp_data.arp_tha = sha;
	arp->arp_data.arp_sha = port->mac;
	memcpy(&arp->arp_data.arp_tip, &sip, sizeof(sip));
	memcpy(&arp->arp_data.arp_sip, &tip, sizeof(tip));
	pkt->eth->dst_addr = sha;
	pkt->eth->src_addr = port->mac;
	ifp_mbuf_tx_flags_reset(m);
	return ifp_v_answer(IFP_ANS_ARP);
}

int
ifp_arp_request_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
		      rte_be32_t sip, rte_be32_t tip)
{
	/* 60 bytes: the minimum Ethernet frame without FCS, zero padded,
	 * since a software port (af_packet, tap) pads nothing itself */
	const uint16_t len = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;
	char *frame;

	if (rte_pktmbuf_tailroom(m) < len || m->data_len != 0)
		return -1;
	frame = rte_pktmbuf_mtod(m, char *);
	m->data_len = len;
	m->pkt_len = len;
	memset(frame, 0, len);
	eth = (struct rte_ether_hdr *)frame;
	memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	eth->src_addr = p->mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp = (struct rte_arp_hdr *)(eth + 1);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	arp->arp_data.arp_sha = p->mac;
	memcpy(&arp->arp_data.arp_sip, &sip, sizeof(sip));
	memcpy(&arp->arp_data.arp_tip, &tip, sizeof(tip));
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_mbuf.h"
#include "ifp_options.h"
#include "ifp_reply.h"

void
ifp_ipv4_reply_prepare(struct ifp_lcore *lc, struct rte_mbuf *m,
		       struct ifp_pkt *pkt)
{
	struct rte_ipv4_hdr *ip = pkt->ip;
	struct rte_ether_hdr *eth = pkt->eth;
	rte_be32_t old_dst = ip->dst_addr;
	rte_be16_t old_frag = ip->fragment_offset;
	/* a reply is a new datagram: keep DF, never fragment flags */
	rte_be16_t new_frag = old_frag & RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	uint8_t ttl_proto[2];
	uint16_t old_tp, new_tp, hc;
	const bool rx_vouched = (m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) ==
				RTE_MBUF_F_RX_IP_CKSUM_GOOD;

	eth->dst_addr = eth->src_addr;
	eth->src_addr = pkt->port->mac;

	/* the old and new TTL/protocol words are built in registers:
	 * reading them back after the stores would miss store forwarding */
	memcpy(ttl_proto, &ip->time_to_live, sizeof(ttl_proto));
	memcpy(&old_tp, ttl_proto, sizeof(old_tp));
	ttl_proto[0] = lc->conf->icmp.reply_ttl;
	memcpy(&new_tp, ttl_proto, sizeof(new_tp));

	ip->dst_addr = ip->src_addr;
	ip->src_addr = pkt->local->ip;
	ip->time_to_live = lc->conf->icmp.reply_ttl;
	ip->fragment_offset = new_frag;
	if (unlikely(pkt->l3_len > sizeof(*ip)))
		ifp_ipv4_options_echo(lc, pkt);

	ifp_mbuf_tx_flags_reset(m);
	m->l2_len = pkt->l2_len;
	m->l3_len = pkt->l3_len;
	if (pkt->port->flags & IFP_PORT_TX_IPV4_CKSUM) {
		ip->hdr_checksum = 0;
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
		return;
	}
	/* Options were filled in, or the PMD vouched for the header so we
	 * never summed it: an update would carry on whatever sum it had. */
	if (unlikely(pkt->l3_len > sizeof(*ip) || rx_vouched)) {
		ip->hdr_checksum = 0;
		ip->hdr_checksum = ifp_cksum_final(ifp_cksum_raw(ip, pkt->l3_len));
		return;
	}
	/* RFC 1624: the header was verified on RX, so update, do not
	 * recompute. Swapping the addresses leaves the sum alone; what
	 * changes is old destination -> our address, TTL and the flags. */
	hc = ip->hdr_checksum;
	hc = ifp_cksum_adjust32(hc, old_dst, pkt->local->ip);
	hc = ifp_cksum_adjust16(hc, old_tp, new_tp);
	hc = ifp_cksum_adjust16(hc, old_frag, new_frag);
	ip->hdr_checksum = hc;
}

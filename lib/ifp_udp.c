/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring_elem.h>
#include <rte_udp.h>

#include "ifp_cksum.h"
#include "ifp_error.h"
#include "ifp_lpa.h"
#include "ifp_lpa_table.h"
#include "ifp_udp.h"

/*
 * RFC 768: the checksum covers a pseudo header (source, destination,
 * protocol, UDP length) and the datagram; 0 means none was computed. RFC
 * 8200 8.1: over IPv6 the checksum is mandatory, and its pseudo-header is
 * the IPv6 one.
 */
static bool
ifp_udp_cksum_ok(const struct rte_mbuf *m, const struct ifp_pkt *pkt,
		 const struct rte_udp_hdr *udp, uint16_t ulen)
{
	uint64_t flags = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	uint32_t sum;

	if (udp->dgram_cksum == 0)
		return !pkt->v6;
	if (flags == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		return true;
	if (flags == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		return false;
	if (pkt->v6) {
		sum = ifp_cksum_ipv6_phdr(pkt->ip6->src_addr, ulen, IPPROTO_UDP);
		sum += ifp_cksum_raw(udp, ulen);
		return ifp_cksum_fold(sum) == 0xffff;
	}
	sum = ifp_cksum_raw(&pkt->ip->src_addr, 8);
	sum += rte_cpu_to_be_16(IPPROTO_UDP);
	sum += udp->dgram_len;
	sum += ifp_cksum_raw(udp, ulen);
	return ifp_cksum_fold(sum) == 0xffff;
}

/*
 * A Link Property Advertisement: decoded whole or refused whole, each Rate
 * Block passed to the main lcore with the RX time and the source. Never
 * answered: the modem expects nothing back, and a Port Unreachable would
 * tell it nobody listens.
 */
static enum ifp_verdict
ifp_udp_lpa(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	struct ifp_lpa_block b[IFP_LPA_BLOCKS_MAX];
	struct ifp_lpa_heard h[IFP_LPA_BLOCKS_MAX];
	const struct rte_udp_hdr *udp;
	uint32_t off = pkt->l2_len + pkt->l3_len;
	uint16_t ulen;
	enum ifp_drop why;
	int n;

	/* a reassembled datagram comes as a chain: the decoder wants it in
	 * one piece */
	if (m->nb_segs > 1 && rte_pktmbuf_linearize(m) < 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	if (pkt->v6)
		pkt->ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, pkt->l2_len);
	else
		pkt->ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, pkt->l2_len);
	/* [policy] lpa: a denied LPA is dropped before it is decoded, so it
	 * never reaches the modem table (a rate rule's excess likewise:
	 * there is no answer to count it as rate-limited) */
	if (lc->conf->policy != NULL) {
		struct ifp_policy_key k;
		enum ifp_policy_verdict pv;

		if (pkt->v6)
			ifp_policy_key6(&k, pkt->ip6->src_addr, pkt->ip6->dst_addr,
					IFP_POLICY_LPA);
		else
			ifp_policy_key4(&k, pkt->ip->src_addr, pkt->ip->dst_addr,
					IFP_POLICY_LPA);
		pv = ifp_policy_decide(lc->conf->policy, lc->worker, &k, lc->now_ns);
		if (unlikely(pkt->trace != NULL))
			ifp_trace_policy_key(pkt->trace, lc->conf, &k, pv);
		if (pv != IFP_POLICY_SEND)
			return ifp_v_drop(IFP_DROP_POLICY_DENY);
	}
	udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, off);
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (ulen < sizeof(*udp) || ulen > pkt->ip_len - pkt->l3_len)
		return ifp_v_drop(IFP_DROP_LPA_UDP_LENGTH);
	if (!ifp_udp_cksum_ok(m, pkt, udp, ulen))
		return ifp_v_drop(IFP_DROP_LPA_UDP_CHECKSUM);
	n = ifp_lpa_parse(udp + 1, ulen - sizeof(*udp), b, &why);
	if (n < 0)
		return ifp_v_drop(why);
	IFP_TRACE_STEP(pkt->trace, "lpa: %d blocks", n);
	for (int i = 0; i < n; i++) {
		h[i].rx_ns = lc->now_ns;
		h[i].b = b[i];
		if (pkt->v6) {
			h[i].src = (struct ifp_ipx){.v6 = true};
			memcpy(h[i].src.ip6, pkt->ip6->src_addr, 16);
		} else {
			h[i].src = (struct ifp_ipx){.ip4 = pkt->ip->src_addr};
		}
		h[i].port = m->port;
		h[i].kind = IFP_LPA_HEARD_RATE;
	}
	/* all of the datagram or none of it: the table sees whole LPAs */
	if (n > 0 && (lc->lpa_ring == NULL ||
		      rte_ring_sp_enqueue_bulk_elem(lc->lpa_ring, h, sizeof(h[0]),
						    (unsigned int)n, NULL) == 0))
		return ifp_v_drop(IFP_DROP_LPA_BACKLOG);
	return ifp_v_drop(IFP_DROP_LPA_HEARD);
}

enum ifp_verdict
ifp_lpa_neigh_pass(struct ifp_lcore *lc, uint16_t port, const struct ifp_ipx *ip,
		   const struct rte_ether_addr *mac)
{
	struct ifp_lpa_heard h = {
		.rx_ns = lc->now_ns,
		.mac = *mac,
		.src = *ip,
		.port = port,
		.kind = IFP_LPA_HEARD_NEIGH,
	};

	if (lc->lpa_ring == NULL ||
	    rte_ring_sp_enqueue_elem(lc->lpa_ring, &h, sizeof(h)) != 0)
		return ifp_v_drop(IFP_DROP_LPA_BACKLOG);
	return ifp_v_drop(IFP_DROP_LPA_NEIGHBOUR);
}

enum ifp_verdict
ifp_udp_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
	      bool group)
{
	const struct ifp_lpa_conf *l = &lc->conf->lpa;
	struct rte_udp_hdr buf;
	const struct rte_udp_hdr *udp;

	/* IPv6: to ff02::1 or a solicited-node group, the error builder
	 * sends nothing (RFC 4443 2.4(e.3)) */
	if (!group && pkt->bcast && !pkt->v6)
		return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
	if (l->listen && pkt->ip_len >= pkt->l3_len + sizeof(*udp)) {
		udp = rte_pktmbuf_read(m, pkt->l2_len + pkt->l3_len, sizeof(*udp),
				       &buf);
		if (udp != NULL && udp->dst_port == rte_cpu_to_be_16(l->udp_port)) {
			IFP_TRACE_STEP(pkt->trace, "udp: lpa port %u", l->udp_port);
			return ifp_udp_lpa(lc, m, pkt);
		}
	}
	IFP_TRACE_STEP(pkt->trace, "udp: no listener");
	if (group)
		return ifp_v_drop(pkt->v6 ? IFP_DROP_IP6_DST_MULTICAST
					  : IFP_DROP_IP_DST_MULTICAST);
	/* RFC 1122 3.2.2.1, RFC 4443 3.1: no listener on the port */
	if (pkt->v6)
		return ifp_error_send(lc, m, pkt, IFP_ANS_PORT_UNREACH6,
				      IFP_ICMP6_DEST_UNREACH, 4, 0);
	return ifp_error_send(lc, m, pkt, IFP_ANS_PORT_UNREACH,
			      IFP_ICMP_DEST_UNREACH, 3, 0);
}

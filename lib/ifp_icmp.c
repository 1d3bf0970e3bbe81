/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_pkt.h"

typedef uint32_t (*ifp_icmp_handler_t)(struct ifp_lcore *lc,
				       struct rte_mbuf *m, struct ifp_pkt *pkt,
				       struct rte_icmp_hdr *icmp);

/* RFC 792: an echo reply is the request with type 0; identifier, sequence
 * number and data are returned unchanged. Only the type word changes, so
 * the checksum is updated, not recomputed (RFC 1624). */
static uint32_t
ifp_icmp_echo(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
	      struct rte_icmp_hdr *icmp)
{
	uint16_t old, new;
	uint8_t w[2];

	if (!lc->conf->icmp.echo)
		return ifp_v_drop(IFP_DROP_ICMP_DISABLED);
	if (pkt->bcast && !lc->conf->icmp.echo_broadcast)
		return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);

	/* the new word is built in a register: reading it back after the
	 * byte store would miss store forwarding (~20 cycles a packet) */
	memcpy(w, &icmp->icmp_type, sizeof(w));
	memcpy(&old, w, sizeof(old));
	w[0] = RTE_IP_ICMP_ECHO_REPLY;
	memcpy(&new, w, sizeof(new));
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = ifp_cksum_adjust16(icmp->icmp_cksum, old, new);
	ifp_ipv4_reply_prepare(lc, m, pkt);
	return ifp_v_answer(IFP_ANS_ECHO);
}

/* RFC 1122 3.2.2: an ICMP error is never answered with an ICMP message */
static uint32_t
ifp_icmp_error_to_us(struct ifp_lcore *lc, struct rte_mbuf *m,
		     struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	return ifp_v_drop(IFP_DROP_ICMP_ERROR_TO_US);
}

/* a reply addressed to us answers nothing we asked: count it */
static uint32_t
ifp_icmp_reply_to_us(struct ifp_lcore *lc, struct rte_mbuf *m,
		     struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	return ifp_v_drop(IFP_DROP_ICMP_REPLY_TO_US);
}

/* RFC 6918 deprecates information request/reply (15/16) */
static uint32_t
ifp_icmp_info_request(struct ifp_lcore *lc, struct rte_mbuf *m,
		      struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	return ifp_v_drop(IFP_DROP_ICMP_INFO_REQUEST);
}

static const ifp_icmp_handler_t ifp_icmp_handlers[256] = {
	[0] = ifp_icmp_reply_to_us,        /* echo reply */
	[3] = ifp_icmp_error_to_us,        /* destination unreachable */
	[4] = ifp_icmp_error_to_us,        /* source quench */
	[5] = ifp_icmp_error_to_us,        /* redirect */
	[8] = ifp_icmp_echo,               /* echo request */
	[11] = ifp_icmp_error_to_us,       /* time exceeded */
	[12] = ifp_icmp_error_to_us,       /* parameter problem */
	[14] = ifp_icmp_reply_to_us,       /* timestamp reply */
	[15] = ifp_icmp_info_request,      /* information request */
	[16] = ifp_icmp_reply_to_us,       /* information reply */
	[18] = ifp_icmp_reply_to_us,       /* address mask reply */
	[43] = ifp_icmp_reply_to_us,       /* extended echo reply */
};

uint32_t
ifp_icmp_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	uint32_t off = pkt->l2_len + pkt->l3_len;
	uint32_t len = pkt->ip_len - pkt->l3_len;
	struct rte_icmp_hdr *icmp;
	ifp_icmp_handler_t h;
	uint16_t sum;

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
	h = ifp_icmp_handlers[icmp->icmp_type];
	if (unlikely(h == NULL))
		return ifp_v_drop(IFP_DROP_ICMP_UNKNOWN_TYPE);
	return h(lc, m, pkt, icmp);
}

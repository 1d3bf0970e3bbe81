/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_arp.h>
#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "ifp_classify.h"
#include "ifp_pkt.h"
#include "ifp_proc.h"

#define IFP_PREFETCH_AHEAD 4

void
ifp_lcore_init(struct ifp_lcore *lc, const struct ifp_conf *conf,
	       unsigned int lcore_id)
{
	memset(lc, 0, sizeof(*lc));
	lc->conf = conf;
	lc->lcore_id = lcore_id;
}

void
ifp_mbuf_trim_to(struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *seg = m;
	uint32_t left = len;

	if (m->pkt_len <= len)
		return;
	while (seg->data_len < left) {
		left -= seg->data_len;
		seg = seg->next;
	}
	seg->data_len = (uint16_t)left;
	if (seg->next != NULL) {
		uint16_t nb = 0;

		for (struct rte_mbuf *s = m; s != seg->next; s = s->next)
			nb++;
		rte_pktmbuf_free(seg->next);
		seg->next = NULL;
		m->nb_segs = nb;
	}
	m->pkt_len = len;
}

/*
 * L2: Ethernet with at most one 802.1Q tag. The tag stays in the frame, so
 * the answer built in place carries it back.
 */
static inline uint32_t
ifp_l2_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	struct rte_ether_hdr *eth;
	rte_be16_t type;

	if (unlikely(m->pkt_len < sizeof(*eth)))
		return ifp_v_drop(IFP_DROP_L2_RUNT);
	if (unlikely(m->data_len < sizeof(*eth)))
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	pkt->eth = eth;
	pkt->port = &lc->conf->port[m->port];

	if (!rte_is_same_ether_addr(&eth->dst_addr, &pkt->port->mac) &&
	    !rte_is_broadcast_ether_addr(&eth->dst_addr))
		return ifp_v_drop(IFP_DROP_L2_OTHER_MAC);

	type = eth->ether_type;
	pkt->l2_len = sizeof(*eth);
	if (type == RTE_BE16(RTE_ETHER_TYPE_VLAN)) {
		const struct rte_vlan_hdr *vh;

		if (unlikely(m->pkt_len < sizeof(*eth) + sizeof(*vh)))
			return ifp_v_drop(IFP_DROP_L2_RUNT);
		if (unlikely(m->data_len < sizeof(*eth) + sizeof(*vh)))
			return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
		vh = (const struct rte_vlan_hdr *)(eth + 1);
		type = vh->eth_proto;
		pkt->l2_len += sizeof(*vh);
		if (type == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
		    type == RTE_BE16(RTE_ETHER_TYPE_QINQ))
			return ifp_v_drop(IFP_DROP_L2_QINQ);
	} else if (type == RTE_BE16(RTE_ETHER_TYPE_QINQ)) {
		return ifp_v_drop(IFP_DROP_L2_QINQ);
	}
	/* one 64-bit store: a 7-bit l2_len store followed by the 16-bit
	 * read-modify-write of l3_len misses store forwarding (~20 cycles) */
	m->tx_offload = pkt->l2_len;

	if (likely(type == RTE_BE16(RTE_ETHER_TYPE_IPV4)))
		return ifp_ipv4_input(lc, m, pkt);
	if (type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		return ifp_arp_input(lc, m, pkt);
	return ifp_v_drop(IFP_DROP_L2_ETHERTYPE);
}

uint16_t
ifp_process_burst(struct ifp_lcore *lc, struct rte_mbuf **pkts, uint16_t n,
		  struct rte_mbuf **tx)
{
	struct rte_mbuf *drop[IFP_BURST_MAX];
	struct ifp_stats *st = &lc->st;
	uint16_t ntx = 0, ndrop = 0;
	uint64_t fast;
	uint16_t i;

	/* plain echo requests are answered by the fast path; the rest, in
	 * their order, below */
	fast = ifp_classify_echo_burst(lc, pkts, n);
	if (likely(n <= 64 && n > 0 && fast == RTE_LEN2MASK(n, uint64_t))) {
		memcpy(tx, pkts, n * sizeof(pkts[0]));
		st->rx += n;
		st->answered += n;
		return n;
	}
	for (i = 0; i < RTE_MIN(n, IFP_PREFETCH_AHEAD); i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct ifp_pkt pkt;
		uint32_t v;

		if (i < 64 && (fast & (1ULL << i))) {
			tx[ntx++] = m;
			continue;
		}
		if (i + IFP_PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + IFP_PREFETCH_AHEAD],
						       void *));
		v = ifp_l2_input(lc, m, &pkt);
		if (likely(v & IFP_V_ANSWER)) {
			st->answers[IFP_V_KIND(v)]++;
			tx[ntx++] = m;
			continue;
		}
		if (v & IFP_V_LIMITED)
			st->ratelimited++;
		else
			st->dropped[v]++;
		drop[ndrop++] = m;
		if (unlikely(ndrop == RTE_DIM(drop))) {
			rte_pktmbuf_free_bulk(drop, ndrop);
			ndrop = 0;
		}
	}
	if (ndrop)
		rte_pktmbuf_free_bulk(drop, ndrop);
	st->rx += n;
	st->answered += ntx;
	return ntx;
}

void
ifp_tx_account(struct ifp_lcore *lc, struct rte_mbuf **tx, uint16_t n,
	       uint16_t sent)
{
	lc->st.tx += sent;
	if (unlikely(sent < n)) {
		uint16_t lost = n - sent;

		rte_pktmbuf_free_bulk(&tx[sent], lost);
		lc->st.answered -= lost;
		lc->st.dropped[IFP_DROP_TX_FULL] += lost;
	}
}

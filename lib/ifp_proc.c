/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "ifp_arp.h"
#include "ifp_cksum.h"
#include "ifp_classify.h"
#include "ifp_ipv4.h"
#include "ifp_ipv6.h"
#include "ifp_mbuf.h"
#include "ifp_pkt.h"
#include "ifp_proc.h"
#include "ifp_udp.h"

#define IFP_PREFETCH_AHEAD 4

/* 802.1ad and the pre-standard QinQ TPIDs some switches still send */
static inline bool
ifp_l2_is_qinq(rte_be16_t type)
{
	return type == RTE_BE16(RTE_ETHER_TYPE_QINQ) ||
	       type == RTE_BE16(RTE_ETHER_TYPE_QINQ1) ||
	       type == RTE_BE16(RTE_ETHER_TYPE_QINQ2) ||
	       type == RTE_BE16(RTE_ETHER_TYPE_QINQ3);
}

/*
 * Design "IPv6 (dual stack)" step 1: besides its own MAC and broadcast, a
 * port with IPv6 takes frames to all-nodes (33:33:00:00:00:01) and to the
 * solicited-node group of each of its addresses (33:33:ff and the low 24
 * bits, RFC 2464 7).
 */
static bool
ifp_l2_is_ipv6_group_ours(const struct ifp_port_conf *p,
			  const struct rte_ether_addr *dst)
{
	const uint8_t *d = dst->addr_bytes;

	if (d[0] != 0x33 || d[1] != 0x33 || p->n_addr6 == 0)
		return false;
	if (d[2] == 0 && d[3] == 0 && d[4] == 0 && d[5] == 1)
		return true;
	if (d[2] != 0xff)
		return false;
	for (unsigned int i = 0; i < p->n_addr6; i++)
		if (memcmp(&p->addr6[i].ip[13], &d[3], 3) == 0)
			return true;
	return false;
}

/* The L2 step of a traced frame: whose MAC, which VLAN. */
static __rte_noinline __rte_cold void
ifp_l2_trace(const struct ifp_pkt *pkt)
{
	const struct rte_ether_addr *dst = &pkt->eth->dst_addr;
	const char *who = rte_is_same_ether_addr(dst, &pkt->port->mac) ? "ours"
			  : rte_is_broadcast_ether_addr(dst)            ? "broadcast"
									: "group";

	if (pkt->l2_len > sizeof(struct rte_ether_hdr)) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(pkt->eth + 1);

		ifp_trace_step(pkt->trace, "l2: %s, vlan %u", who,
			       rte_be_to_cpu_16(vh->vlan_tci) & 0xfffu);
	} else {
		ifp_trace_step_cat(pkt->trace, "l2: ", who);
	}
}

/*
 * L2: Ethernet with at most one 802.1Q tag. The tag stays in the frame, so
 * the answer built in place carries it back.
 */
static inline enum ifp_verdict
ifp_l2_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	struct rte_ether_hdr *eth;
	bool group6 = false;
	rte_be16_t type;

	if (unlikely(m->pkt_len < sizeof(*eth)))
		return ifp_v_drop(IFP_DROP_L2_RUNT);
	if (unlikely(m->data_len < sizeof(*eth)))
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	pkt->eth = eth;
	pkt->port = &lc->conf->port[m->port];

	/* ours, the broadcast, or a group the LPA listener hears (on every
	 * port) */
	if (!rte_is_same_ether_addr(&eth->dst_addr, &pkt->port->mac) &&
	    !rte_is_broadcast_ether_addr(&eth->dst_addr) &&
	    !ifp_lpa_group_mac(lc->conf, &eth->dst_addr)) {
		group6 = ifp_l2_is_ipv6_group_ours(pkt->port, &eth->dst_addr);
		if (!group6)
			return ifp_v_drop(IFP_DROP_L2_OTHER_MAC);
	}

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
		if (type == RTE_BE16(RTE_ETHER_TYPE_VLAN) || ifp_l2_is_qinq(type))
			return ifp_v_drop(IFP_DROP_L2_QINQ);
	} else if (unlikely(ifp_l2_is_qinq(type))) {
		return ifp_v_drop(IFP_DROP_L2_QINQ);
	}
	/* one 64-bit store: a 7-bit l2_len store followed by the 16-bit
	 * read-modify-write of l3_len misses store forwarding (~20 cycles) */
	m->tx_offload = pkt->l2_len;
	if (unlikely(pkt->trace != NULL))
		ifp_l2_trace(pkt);

	if (unlikely(group6) && type != RTE_BE16(RTE_ETHER_TYPE_IPV6))
		return ifp_v_drop(IFP_DROP_L2_OTHER_MAC);

	if (likely(type == RTE_BE16(RTE_ETHER_TYPE_IPV4))) {
		pkt->v6 = false;
		return ifp_ipv4_input(lc, m, pkt);
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		pkt->v6 = true;
		return ifp_ipv6_input(lc, m, pkt);
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		return ifp_arp_input(lc, m, pkt);
	return ifp_v_drop(IFP_DROP_L2_ETHERTYPE);
}

/*
 * An answer that is not one direct mbuf, or is larger than the port's MTU
 * (a reply to a reassembled datagram), leaves as frames a fast-free TX
 * queue may take (ifp_mbuf_tx_contract()): copied into one mbuf of the
 * port's pool when it fits the MTU and that mbuf, else fragmented (at the
 * smaller of the two) by
 * rte_ipv4_fragment_packet() (RFC 791) or rte_ipv6_fragment_packet()
 * (RFC 8200 4.5; icmpfp is the source, so it may), each fragment then
 * given the answer's L2 header back and copied into one mbuf. An IPv4
 * reply is a datagram of ours, so DF is cleared; an IPv6 reply gets an
 * Identification of ours (RFC 7739 5.2, ifp_fragid.h), DPDK leaves it 0.
 * Returns the number of frames, or 0 with *reason set when it could not be
 * done. Each frame says in hash.usr whether it stands for the answer (the
 * first), for ifp_tx_account().
 */
static uint16_t
ifp_tx_fragment(struct ifp_lcore *lc, struct ifp_pkt *pkt,
		struct rte_mbuf **out, uint16_t room, enum ifp_drop *reason)
{
	struct rte_mbuf *m = pkt->m;
	const uint16_t l2 = pkt->l2_len;
	const bool v6 = pkt->v6;
	struct rte_mempool *mp = lc->tx_pool[pkt->port - lc->conf->port];
	uint8_t l2hdr[sizeof(struct rte_ether_hdr) + sizeof(struct rte_vlan_hdr)];
	rte_be32_t id6 = 0;
	uint16_t mtu;
	int32_t n;

	if (mp == NULL)
		mp = m->pool;
	/* a fragment must fit one mbuf of the pool, L2 header included */
	mtu = (uint16_t)RTE_MIN((uint32_t)pkt->port->mtu,
				(uint32_t)(rte_pktmbuf_data_room_size(mp) - RTE_PKTMBUF_HEADROOM - l2));
	*reason = IFP_DROP_NO_MBUF;
	if (m->pkt_len - l2 <= mtu || m->l3_len == 0) {
		out[0] = ifp_mbuf_tx_single(m, mp);
		if (out[0] == NULL)
			return 0;
		out[0]->hash.usr = 1;
		pkt->m = NULL;
		return 1;
	}
	*reason = IFP_DROP_NO_ROOM;
	if (lc->indirect_pool == NULL)
		return 0;
	memcpy(l2hdr, rte_pktmbuf_mtod(m, void *), l2);
	rte_pktmbuf_adj(m, l2);
	if (v6) {
		/* rte_ipv6_fragment_packet() copies the first 40 bytes as the
		 * header: a reply carries no extension header */
		n = rte_ipv6_fragment_packet(m, out, room, mtu, mp,
					     lc->indirect_pool);
		id6 = rte_cpu_to_be_32(ifp_fragid_next(&lc->frag6_id));
	} else {
		pkt->ip->fragment_offset &= ~RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
		n = rte_ipv4_fragment_packet(m, out, room, mtu, mp,
					     lc->indirect_pool);
	}
	if (n == -ENOMEM)
		*reason = IFP_DROP_NO_MBUF;
	if (n <= 0)
		return 0;
	rte_pktmbuf_free(m); /* the fragments hold their own references */
	pkt->m = NULL;
	for (int32_t i = 0; i < n; i++) {
		struct rte_mbuf *f = out[i];
		char *p = rte_pktmbuf_prepend(f, l2);

		if (p == NULL) {
			rte_pktmbuf_free_bulk(out, n);
			return 0;
		}
		memcpy(p, l2hdr, l2);
		f->port = pkt->port - lc->conf->port;
		f->l2_len = l2;
		f->hash.usr = i == 0; /* the frame that stands for the answer */
		if (v6) {
			struct rte_ipv6_fragment_ext *fh =
				(struct rte_ipv6_fragment_ext *)(p + l2 +
								 sizeof(struct rte_ipv6_hdr));

			f->l3_len = sizeof(struct rte_ipv6_hdr);
			fh->id = id6;
		} else {
			struct rte_ipv4_hdr *fip = (struct rte_ipv4_hdr *)(p + l2);

			f->l3_len = (fip->version_ihl & 0xf) * 4;
			fip->hdr_checksum = 0;
			if (pkt->port->flags & IFP_PORT_TX_IPV4_CKSUM)
				f->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
			else
				fip->hdr_checksum = ifp_cksum_final(ifp_cksum_raw(fip, f->l3_len));
		}
		/* the header mbuf and an indirect one for the payload: one
		 * direct mbuf instead */
		out[i] = ifp_mbuf_tx_single(f, mp);
		if (out[i] == NULL) {
			*reason = IFP_DROP_NO_MBUF;
			rte_pktmbuf_free_bulk(&out[i], n - i);
			rte_pktmbuf_free_bulk(out, i);
			return 0;
		}
	}
	return (uint16_t)n;
}

/*
 * Frames of an answer in fragments carry hash.usr (ifp_tx_fragment()); once a
 * burst has some, every other answer in @p tx says it stands for one too.
 * Bursts without fragments write nothing: their every frame is an answer.
 */
static inline void
ifp_tx_mark(struct rte_mbuf **tx, uint16_t from, uint16_t to)
{
	for (uint16_t i = from; i < to; i++)
		tx[i]->hash.usr = 1;
}

/*
 * [policy] on the echoes the fast path answered (@p fast; already turned
 * into replies, from our address to the requester), decided in one call
 * (ifp_policy_decide_replies(): its per-worker cache read against the
 * headers, rte_acl for what the cache misses). A denied reply is freed as
 * policy_deny, one over its rule's rate as ratelimited; both leave the
 * answered count. Returns the frames still to send; the ones freed in
 * *@p gone.
 */
static __rte_noinline uint64_t
ifp_proc_policy(struct ifp_lcore *lc, struct rte_mbuf **pkts, uint64_t fast,
		uint64_t *gone)
{
	uint8_t verdict[IFP_BURST_MAX];
	struct ifp_stats *st = &lc->st;
	uint64_t other;

	other = ifp_policy_decide_replies(lc->conf->policy, lc->worker, pkts, fast,
					  lc->now_ns, verdict);
	*gone = other;
	for (; other != 0; other &= other - 1) {
		const unsigned int i = (unsigned int)__builtin_ctzll(other);
		/* the fast path's frames carry no tag */
		const struct rte_ether_hdr *eth =
			rte_pktmbuf_mtod(pkts[i], const struct rte_ether_hdr *);
		const enum ifp_answer a =
			eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) ? IFP_ANS_ECHO
									: IFP_ANS_ECHO6;

		st->answers[a]--;
		if (verdict[i] == IFP_POLICY_DROP) {
			st->dropped[IFP_DROP_POLICY_DENY]++;
		} else {
			st->ratelimited++;
			st->ratelimited_by[a]++;
		}
		rte_pktmbuf_free(pkts[i]);
	}
	return fast & ~*gone;
}

/*
 * Open the record of frame @p i of a traced burst: its number is the
 * worker's count of received frames (a replay's: its place in the capture).
 */
static __rte_noinline struct ifp_trace_rec *
ifp_proc_trace_frame(struct ifp_lcore *lc, struct rte_mbuf *m, uint16_t i)
{
	return ifp_trace_frame(lc->trace, rte_pktmbuf_mtod(m, const void *),
			       m->data_len, m->pkt_len, lc->st.rx + i + 1u, m->port,
			       lc->rx_queue, lc->now_ns);
}

/*
 * The frames of a burst the echo fast path did not answer (@p fast) nor
 * the policy free (@p gone), one by one, in their order. Made twice: for
 * a traced burst (@p traced, every frame here, each with its record) and
 * for the others, which then test nothing of the trace but what the
 * handlers test of pkt.trace.
 */
static __rte_always_inline uint16_t
ifp_burst_frames(struct ifp_lcore *lc, struct rte_mbuf **pkts, uint16_t n,
		 struct rte_mbuf **tx, uint64_t fast, uint64_t gone,
		 const bool traced)
{
	struct rte_mbuf *drop[IFP_BURST_MAX];
	struct ifp_stats *st = &lc->st;
	uint16_t ntx = 0, ndrop = 0, nans = 0;
	bool marked = false, prefetch;
	uint16_t i;

	/* the frames the fast path did not read are prefetched here */
	prefetch = !ifp_classify_reads(lc->conf);
	if (prefetch)
		for (i = 0; i < RTE_MIN(n, IFP_PREFETCH_AHEAD); i++)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));

	for (i = 0; i < n; i++) {
		struct ifp_pkt pkt;
		enum ifp_verdict v;

		if (i < 64 && (fast & (1ULL << i))) {
			if (unlikely(marked))
				pkts[i]->hash.usr = 1;
			tx[ntx++] = pkts[i];
			nans++;
			continue;
		}
		if (unlikely(gone != 0) && i < 64 && (gone & (1ULL << i)))
			continue; /* counted and freed by the policy */
		if (prefetch && i + IFP_PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + IFP_PREFETCH_AHEAD],
						       void *));
		pkt.m = pkts[i];
		pkt.trace = NULL;
		if (unlikely(traced))
			pkt.trace = ifp_proc_trace_frame(lc, pkt.m, i);
		v = ifp_l2_input(lc, pkt.m, &pkt);
		if (likely(v & IFP_V_ANSWER)) {
			struct rte_mbuf *m = pkt.m;
			const uint16_t slot = ntx;

			if (likely(m->nb_segs == 1 &&
				   (m->pkt_len - pkt.l2_len <= pkt.port->mtu ||
				    m->l3_len == 0))) {
				if (unlikely(marked))
					m->hash.usr = 1;
				tx[ntx++] = m;
			} else {
				enum ifp_drop why;
				uint16_t nf = ifp_tx_fragment(lc, &pkt, &tx[ntx],
							      IFP_TX_MAX - ntx, &why);

				if (nf == 0) {
					v = ifp_v_drop(why);
					goto dropped;
				}
				if (!marked) {
					ifp_tx_mark(tx, 0, ntx);
					marked = true;
				}
				ntx += nf;
			}
			st->answers[IFP_V_KIND(v)]++;
			nans++;
			/* each frame's end where its counter is bumped */
			if (traced && unlikely(pkt.trace != NULL)) {
				ifp_trace_answered(pkt.trace, IFP_V_KIND(v));
				ifp_trace_tx(pkt.trace, slot);
			}
			continue;
		}
		if (v & IFP_V_LIMITED) {
			st->ratelimited++;
			st->ratelimited_by[IFP_V_KIND(v)]++;
			if (traced && unlikely(pkt.trace != NULL))
				ifp_trace_ratelimited(pkt.trace, IFP_V_KIND(v), NULL);
			goto free;
		}
dropped:
		/* a drop reason and nothing else (asserted): the walkers'
		 * statuses are of other types */
		ifp_v_count_drop(st, v);
		if (traced && unlikely(pkt.trace != NULL))
			ifp_trace_dropped(pkt.trace, IFP_V_KIND(v));
free:
		if (pkt.m == NULL)
			continue; /* consumed: held by the reassembly table */
		drop[ndrop++] = pkt.m;
		if (unlikely(ndrop == RTE_DIM(drop))) {
			rte_pktmbuf_free_bulk(drop, ndrop);
			ndrop = 0;
		}
	}
	if (ndrop)
		rte_pktmbuf_free_bulk(drop, ndrop);
	lc->tx_marked = marked;
	st->rx += n;
	st->answered += nans;
	st->rl_src_evictions = lc->rl.src_evictions;
	return ntx;
}

/* A traced burst: every frame on the per-frame path with its record;
 * ifp_tx_account() ends it. */
static __rte_noinline uint16_t
ifp_burst_traced(struct ifp_lcore *lc, struct rte_mbuf **pkts, uint16_t n,
		 struct rte_mbuf **tx)
{
	if (lc->trace_open)
		ifp_trace_burst_end(lc->trace); /* no TX was accounted */
	ifp_trace_burst_begin(lc->trace);
	lc->trace_open = true;
	lc->tx_marked = false;
	return ifp_burst_frames(lc, pkts, n, tx, 0, 0, true);
}

static inline uint16_t
ifp_process_burst_in(struct ifp_lcore *lc, struct rte_mbuf **pkts, uint16_t n,
		     struct rte_mbuf **tx, bool *in_place)
{
	struct ifp_stats *st = &lc->st;
	uint64_t fast, gone = 0;

	*in_place = false;
	/* the trace's one test a burst (ifp_trace.h) */
	if (unlikely(ifp_trace_on(lc->trace)))
		return ifp_burst_traced(lc, pkts, n, tx);
	/* plain echo requests are answered by the fast path, which reads
	 * (and prefetches) every frame; the rest, in their order, below */
	fast = ifp_classify_echo_burst(lc, pkts, n);
	if (unlikely(lc->conf->policy != NULL) && fast != 0)
		fast = ifp_proc_policy(lc, pkts, fast, &gone);
	lc->tx_marked = false;
	if (likely(n <= 64 && n > 0 && fast == RTE_LEN2MASK(n, uint64_t))) {
		/* all of them: sent from pkts as they are */
		*in_place = true;
		st->rx += n;
		st->answered += n;
		return n;
	}
	return ifp_burst_frames(lc, pkts, n, tx, fast, gone, false);
}

uint16_t
ifp_process_burst(struct ifp_lcore *lc, struct rte_mbuf **pkts, uint16_t n,
		  struct rte_mbuf **tx)
{
	bool in_place;
	uint16_t ntx = ifp_process_burst_in(lc, pkts, n, tx, &in_place);

	if (in_place)
		memcpy(tx, pkts, ntx * sizeof(pkts[0]));
	return ntx;
}

uint16_t
ifp_process_burst_out(struct ifp_lcore *lc, struct rte_mbuf **pkts, uint16_t n,
		      struct rte_mbuf **tx, struct rte_mbuf ***out)
{
	bool in_place;
	uint16_t ntx = ifp_process_burst_in(lc, pkts, n, tx, &in_place);

	*out = in_place ? pkts : tx;
	return ntx;
}

void
ifp_tx_account(struct ifp_lcore *lc, struct rte_mbuf **tx, uint16_t n,
	       uint16_t sent)
{
	lc->st.tx += sent;
	if (unlikely(sent < n)) {
		uint16_t lost = n - sent;

		/* every frame an answer, unless the burst had fragments:
		 * then only the first of each stands for its answer */
		if (lc->tx_marked) {
			lost = 0;
			for (uint16_t i = sent; i < n; i++)
				lost += tx[i]->hash.usr == 1;
		}
		lc->st.answered -= lost;
		lc->st.dropped[IFP_DROP_TX_FULL] += lost;
		rte_pktmbuf_free_bulk(&tx[sent], n - sent);
	}
	if (unlikely(lc->trace_open)) {
		/* the answers the port did not take end as tx_full, as
		 * counted above; then the burst's records are committed */
		ifp_trace_burst_sent(lc->trace, sent);
		ifp_trace_burst_end(lc->trace);
		lc->trace_open = false;
	}
}

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_MBUF_H
#define IFP_MBUF_H

/**
 * @file
 * Mbuf helpers of the fast path and its tests: cutting a chain, building
 * one from bytes, and the flags an answer leaves with.
 */

#include <stdint.h>

#include <rte_mbuf.h>

/**
 * Cut the packet data of a chain to @p len bytes, freeing segments left
 * empty. No-op when it is already that short.
 */
void ifp_mbuf_trim_to(struct rte_mbuf *m, uint32_t len);

/**
 * Copy a frame of @p len bytes into a new mbuf chain from @p mp, in
 * segments of at most @p seg bytes (0: as much as each mbuf holds), with
 * m->port = 0. NULL when the pool runs dry (nothing is left allocated).
 */
struct rte_mbuf *ifp_mbuf_from_frame(struct rte_mempool *mp, const void *data,
				     uint32_t len, uint32_t seg);

/**
 * Why @p m may not be handed to a TX queue whose mbufs come from @p mp when
 * RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE is on (rte_ethdev.h: "same mempool,
 * refcnt = 1, direct and non-segmented": a vector TX path puts them back
 * to the first one's pool in bulk, without rte_pktmbuf_prefree_seg()), or
 * NULL when it may. @p mp NULL: any pool. icmpfp keeps this contract on
 * every port, fast-free or not (docs/operations.md).
 */
static inline const char *
ifp_mbuf_tx_contract(const struct rte_mbuf *m, const struct rte_mempool *mp)
{
	if (m->nb_segs != 1 || m->next != NULL)
		return "segmented";
	if (!RTE_MBUF_DIRECT(m))
		return "not direct";
	if (rte_mbuf_refcnt_read(m) != 1)
		return "refcnt not 1";
	if (mp != NULL && m->pool != mp)
		return "from another pool";
	return NULL;
}

/**
 * @p m as one direct mbuf of @p mp (NULL: its own pool): @p m itself when
 * it keeps ifp_mbuf_tx_contract() already, else a copy (rte_pktmbuf_copy(),
 * with its metadata) and @p m is freed. NULL, @p m left as it was, when
 * @p mp is dry or the frame does not fit one of its mbufs.
 */
struct rte_mbuf *ifp_mbuf_tx_single(struct rte_mbuf *m, struct rte_mempool *mp);

/*
 * Before an answer leaves: drop the RX flags, keep what the mbuf needs to be
 * freed right, and put back a VLAN tag the PMD stripped on RX.
 */
static inline void
ifp_mbuf_tx_flags_reset(struct rte_mbuf *m)
{
	uint64_t f = m->ol_flags;

	m->ol_flags = f & (RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT);
	if (f & RTE_MBUF_F_RX_VLAN_STRIPPED)
		m->ol_flags |= RTE_MBUF_F_TX_VLAN;
}

#endif /* IFP_MBUF_H */

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

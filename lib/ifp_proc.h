/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_PROC_H
#define IFP_PROC_H

/**
 * @file
 * The fast path: a burst in, the answers out. The top of lib/'s ladder:
 * it includes the handlers, nothing in lib/ includes it.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_lcore.h"
#include "ifp_mbuf.h"

/**
 * Process a received burst. Each frame is answered in place (and placed in
 * @p tx, which has room for IFP_TX_MAX mbufs: an answer larger than the
 * port MTU leaves in fragments), or freed and counted as dropped or
 * rate-limited. Frames are read on the port m->port; answers go back out of
 * that same port.
 *
 * @return the number of frames placed in @p tx.
 */
uint16_t ifp_process_burst(struct ifp_lcore *lc, struct rte_mbuf **pkts,
			   uint16_t n, struct rte_mbuf **tx);

/**
 * Account for a TX: @p sent of the @p n frames in @p tx were accepted by
 * the PMD. The rest are freed; each answer among them (the first frame of
 * an answer: hash.usr == 1) moves from answered to tx_full.
 */
void ifp_tx_account(struct ifp_lcore *lc, struct rte_mbuf **tx, uint16_t n,
		    uint16_t sent);

#endif /* IFP_PROC_H */

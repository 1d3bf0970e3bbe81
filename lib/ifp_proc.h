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
 * ifp_process_burst() for a caller that sends what it gets back: when every
 * frame of the burst was answered in place (a burst of plain echoes), *@p out
 * is @p pkts itself, not copied into @p tx; else *@p out is @p tx.
 *
 * @return the number of frames to send from *@p out.
 */
uint16_t ifp_process_burst_out(struct ifp_lcore *lc, struct rte_mbuf **pkts,
			       uint16_t n, struct rte_mbuf **tx,
			       struct rte_mbuf ***out);

/**
 * Account for a TX of the last burst processed (every caller of
 * ifp_process_burst() that traces, ifp_trace.h, must: it ends the traced
 * burst, the records of answers not sent ending as tx_full): @p sent of the @p n frames
 * in @p tx (what ifp_process_burst() filled, or *out of
 * ifp_process_burst_out()) were accepted by the PMD. The rest are freed;
 * each answer among them moves from answered to tx_full: every frame, or,
 * when the burst had answers in fragments (lc->tx_marked), the first frame
 * of each (hash.usr == 1).
 */
void ifp_tx_account(struct ifp_lcore *lc, struct rte_mbuf **tx, uint16_t n,
		    uint16_t sent);

#endif /* IFP_PROC_H */

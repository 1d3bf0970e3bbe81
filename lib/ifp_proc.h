/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_PROC_H
#define IFP_PROC_H

/**
 * @file
 * The fast path: a burst in, the answers out.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "ifp_conf.h"
#include "ifp_ratelimit.h"
#include "ifp_stats.h"

#define IFP_BURST_MAX 64

/**
 * Everything one worker lcore owns. Reached once per burst; nothing in
 * here is written by any other lcore.
 */
struct ifp_lcore {
	struct ifp_stats st;
	const struct ifp_conf *conf;
	uint64_t now_ns; /**< wall clock (ns since the epoch, UT) at RX */
	unsigned int lcore_id;
	struct ifp_rl rl; /**< rate limits, a fixed-size table inside */
} __rte_cache_aligned;

/**
 * Prepare @p lc to run the fast path over @p conf, as one of @p n_lcores
 * workers (they share the global rate limits; 0 counts as 1).
 */
void ifp_lcore_init(struct ifp_lcore *lc, const struct ifp_conf *conf,
		    unsigned int lcore_id, unsigned int n_lcores);

/**
 * Process a received burst. Each frame is answered in place (and placed in
 * @p tx, which has room for @p n mbufs), or freed and counted as dropped or
 * rate-limited. Frames are read on the port m->port; answers go back out of
 * that same port.
 *
 * @return the number of answers placed in @p tx.
 */
uint16_t ifp_process_burst(struct ifp_lcore *lc, struct rte_mbuf **pkts,
			   uint16_t n, struct rte_mbuf **tx);

/**
 * Account for a TX: @p sent of the @p n answers in @p tx were accepted by
 * the PMD. The rest are freed and move from answered to tx_full.
 */
void ifp_tx_account(struct ifp_lcore *lc, struct rte_mbuf **tx, uint16_t n,
		    uint16_t sent);

/**
 * Build a gratuitous ARP (RFC 5227 announcement: an ARP request whose sender
 * and target are both @p ip) from port @p p into the empty mbuf @p m.
 * Returns 0, or -1 when @p m has too little room.
 */
int ifp_garp_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
		   rte_be32_t ip);

#endif /* IFP_PROC_H */

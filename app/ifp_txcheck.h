/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_TXCHECK_H
#define IFP_TXCHECK_H

/**
 * @file
 * Test builds only (icmpfp-test, icmpfp-replay-test: built with
 * -DIFP_TEST_HOOKS, never installed): every mbuf handed to TX is checked
 * against the contract of RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE
 * (ifp_mbuf_tx_contract()), on every port, whether the port declared
 * fast-free or not, and a breach aborts the process: the replay and lab
 * suites run these binaries, so a chain or an indirect mbuf that reaches
 * TX fails them. In the installed binaries this is nothing.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_mbuf.h>

#include "ifp_mbuf.h"

#ifdef IFP_TEST_HOOKS
static inline void
ifp_txcheck(uint16_t port, struct rte_mbuf *const *tx, uint16_t n,
	    const struct rte_mempool *mp)
{
	for (uint16_t i = 0; i < n; i++) {
		const char *why = ifp_mbuf_tx_contract(tx[i], mp);

		if (why != NULL) {
			fprintf(stderr,
				"icmpfp: TX contract broken on port %u: frame %u of %u "
				"(%u bytes, %u segments): %s\n",
				port, i, n, tx[i]->pkt_len, tx[i]->nb_segs, why);
			abort();
		}
	}
}
#else
#define ifp_txcheck(port, tx, n, mp) \
	do { \
	} while (0)
#endif

#endif /* IFP_TXCHECK_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_CTL_H
#define IFP_CTL_H

/**
 * @file
 * The control path: every frame the box originates (the announcements of
 * a port that comes up, lib/ifp_announce.h, and whatever else the main
 * lcore has to say on a link) leaves through here and only here.
 *
 * The main lcore builds the frames and puts them on one single-producer /
 * single-consumer ring; the first worker, which owns queue 0 of every port,
 * takes them between bursts and sends them on its own queue. No TX queue is
 * ever used by two lcores, and the workers need no lock. What the worker
 * sends counts in its tx and originated counters (originated_lost when
 * the PMD refuses a frame), so the ethdev opackets of a port equal the sum
 * of the workers' tx.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "ifp_conf.h"
#include "ifp_lcore.h"
#include "ifp_txcheck.h"

/** Frames waiting for the worker at most; more are dropped and counted. */
#define IFP_CTL_RING_SIZE 1024

/**
 * Create the control ring on NUMA @p socket. Returns it (the first worker
 * drains it), or NULL with rte_errno set.
 */
struct rte_ring *ifp_ctl_create(int socket);

/**
 * Main lcore: queue @p m (m->port set) for sending. The frame is the
 * ring's, or freed and counted in ifp_ctl_lost() when the ring is full.
 */
void ifp_ctl_send(struct rte_mbuf *m);

/**
 * Main lcore: port @p port (conf @p p, mbufs from @p mp) came up, at start
 * or on a link-up event: send its announcements (ifp_announce_build()).
 * Returns how many frames were queued.
 */
unsigned int ifp_ctl_port_up(uint16_t port, const struct ifp_port_conf *p,
			     struct rte_mempool *mp);

/** Frames the full control ring refused, since start. */
uint64_t ifp_ctl_lost(void);

/** Free the ring and whatever still waits in it. */
void ifp_ctl_free(void);

/**
 * The first worker, between bursts: send what waits in @p ring on queue
 * @p queue of each frame's port, counting into @p lc. Cheap when empty.
 */
static inline void
ifp_ctl_worker_drain(struct rte_ring *ring, struct ifp_lcore *lc,
		     uint16_t queue)
{
	struct rte_mbuf *m[32];
	unsigned int n;

	if (likely(rte_ring_empty(ring)))
		return;
	n = rte_ring_sc_dequeue_burst(ring, (void **)m, RTE_DIM(m), NULL);
	for (unsigned int i = 0; i < n; i++) {
		/* one at a time: frames of several ports may be queued */
		ifp_txcheck(m[i]->port, &m[i], 1, NULL);
		if (rte_eth_tx_burst(m[i]->port, queue, &m[i], 1) == 1) {
			lc->st.tx++;
			lc->st.originated++;
		} else {
			rte_pktmbuf_free(m[i]);
			lc->st.originated_lost++;
		}
	}
}

#endif /* IFP_CTL_H */

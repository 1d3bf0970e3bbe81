/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_LPA_LISTEN_H
#define IFP_LPA_LISTEN_H

/**
 * @file
 * The main lcore's part of listening to Link Property Advertisements,
 * shared by icmpfp and icmpfp-replay.
 *
 * Each worker passes the Rate Blocks it decodes through a single-producer
 * / single-consumer ring of its own (struct ifp_lpa_heard elements). The
 * main lcore drains the rings, owns the modem table (lib/ifp_lpa_table.h),
 * runs its hold timer on the clock it is given, logs every state change
 * (modem, source, old and new state) and publishes the view that routes
 * follow. In icmpfp the view is a pointer the workers load between bursts
 * and the old one is freed through an rte_rcu_qsbr defer queue once every
 * worker has reported quiescent; icmpfp-replay, one thread, calls
 * ifp_lpa_step() after each burst with the capture's clock and frees at
 * once.
 */

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "ifp_conf.h"
#include "ifp_lcore.h"
#include "ifp_lpa_table.h"

/** Rate Blocks one worker may have waiting for the main lcore. */
#define IFP_LPA_RING_SIZE 1024

/** The published view; workers read it through ifp_lpa_worker_refresh(). */
extern _Atomic(const struct ifp_lpa_view *) ifp_lpa_live;

/**
 * Set up: @p qs is the QSBR variable the workers report to (NULL: one
 * thread, views freed at once); @p clock_ns, the clock of the RX times
 * (NULL: the last time ifp_lpa_step() was given). Returns 0 or a negative
 * errno.
 */
int ifp_lpa_init(struct rte_rcu_qsbr *qs, uint64_t (*clock_ns)(void));

/**
 * Create the ring worker @p lcore passes its LPAs through, on NUMA
 * @p socket. Returns it (for lc->lpa_ring), or NULL with rte_errno set.
 */
struct rte_ring *ifp_lpa_ring_create(unsigned int lcore, int socket);

/**
 * The main lcore, often (icmpfp: every turn of its loop; icmpfp-replay:
 * around every burst): drain the rings into the table, apply the hold timer
 * of @p c at @p now_ns, publish the view when it changed.
 */
void ifp_lpa_step(const struct ifp_conf *c, uint64_t now_ns);

/** The view published now (NULL: nothing heard yet). */
static inline const struct ifp_lpa_view *
ifp_lpa_view_current(void)
{
	return atomic_load_explicit(&ifp_lpa_live, memory_order_acquire);
}

/** On a worker, between bursts, after its quiescent report. */
static inline void
ifp_lpa_worker_refresh(struct ifp_lcore *lc)
{
	lc->lpa = ifp_lpa_view_current();
}

/**
 * Run @p fn on the table while the main lcore cannot change it (telemetry),
 * with the time now on the RX clock. Returns what @p fn returns.
 */
int ifp_lpa_with_table(int (*fn)(const struct ifp_lpa_table *t,
				 uint64_t now_ns, void *arg),
		       void *arg);

/** Unicast advertise_to addresses whose MAC is known, at most. */
#define IFP_LPA_NEIGH_MAX 64

/** The MAC of a unicast advertise_to address, from its ARP reply or
 * neighbour advertisement. */
struct ifp_lpa_neigh {
	struct ifp_ipx ip;
	uint16_t port;
	struct rte_ether_addr mac;
	uint64_t learned_ns; /**< 0: a free entry */
};

/**
 * What an ARP reply or a neighbour advertisement taught of @p ip on
 * @p port. Returns 0, or -ENOENT when nothing yet.
 */
int ifp_lpa_neigh_get(uint16_t port, const struct ifp_ipx *ip,
		      struct ifp_lpa_neigh *out);

/** The views published so far. */
uint64_t ifp_lpa_views(void);

/** "a.b.c.d" or an IPv6 address, for logs and telemetry. */
void ifp_ipx_str(const struct ifp_ipx *a, char *out, size_t len);

/** The table as a JSON object (icmpfp-replay's report), at @p now_ns. */
void ifp_lpa_json(FILE *f, uint64_t now_ns);

/** Free the rings, the view and the defer queue (workers stopped). */
void ifp_lpa_fini(void);

#endif /* IFP_LPA_LISTEN_H */

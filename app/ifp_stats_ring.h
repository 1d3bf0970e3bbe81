/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_STATS_RING_H
#define IFP_STATS_RING_H

/**
 * @file
 * Per-core stats rings. Each worker owns its counters and, at a fixed
 * period, copies them into its own single-producer/single-consumer
 * rte_ring. The main lcore drains every ring, keeps the newest snapshot of
 * each worker and folds them into totals; readers (console, telemetry) see
 * only those folded copies, never the workers' live counters.
 *
 * Snapshots are cumulative, so one lost to a full ring costs nothing but
 * freshness: the next one carries everything.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_branch_prediction.h>
#include <rte_ring.h>

#include "ifp_stats.h"

/** How often a worker publishes, in milliseconds. */
#define IFP_STATS_PUBLISH_MS 10

/** One worker's counters at one moment. */
struct ifp_stats_snap {
	uint64_t tsc;  /**< when it was taken */
	uint64_t seq;  /**< how many the worker published before */
	uint64_t lost; /**< how many before it a full ring refused */
	struct ifp_stats st;
};

/** The worker's end of its ring. */
struct ifp_stats_pub {
	struct rte_ring *ring;
	uint64_t period; /**< TSC cycles between snapshots */
	uint64_t next;	 /**< TSC of the next snapshot */
	uint64_t seq;
	uint64_t lost; /**< snapshots the full ring refused */
};

/**
 * Create the ring of worker @p lcore (on its socket) and set up @p pub.
 * Returns 0, or a negative errno.
 */
int ifp_stats_ring_create(unsigned int lcore, struct ifp_stats_pub *pub);

/** Copy @p st into the ring now. Called by the owning worker only. */
void ifp_stats_ring_publish(struct ifp_stats_pub *pub,
			    const struct ifp_stats *st, uint64_t tsc);

/** Publish when the period has passed; cheap otherwise. */
static inline void
ifp_stats_ring_publish_due(struct ifp_stats_pub *pub,
			   const struct ifp_stats *st, uint64_t tsc)
{
	if (unlikely(tsc >= pub->next))
		ifp_stats_ring_publish(pub, st, tsc);
}

/** Main lcore: take every snapshot waiting and fold the newest ones. */
void ifp_stats_ring_drain(void);

/** Totals over every worker, as of the last drain. */
void ifp_stats_ring_total(struct ifp_stats *out);

/**
 * Newest snapshot of worker @p lcore. Returns 0, or -ENOENT when @p lcore
 * is not a worker.
 */
int ifp_stats_ring_lcore(unsigned int lcore, struct ifp_stats_snap *out);

/** Is @p lcore a worker with a ring. */
bool ifp_stats_ring_has(unsigned int lcore);

/**
 * Print one aligned console line, within 120 columns: the local time,
 * frame rates since @p prev (updated) over @p secs seconds in the unit that
 * shows them (pps, k, M), answers by class (replies, errors,
 * arp/nd), drops, rate-limited, cycles per packet, busy %. A header comes
 * first and every 20 lines.
 */
void ifp_stats_ring_console(FILE *f, struct ifp_stats *prev, double secs);

/** Free every ring. */
void ifp_stats_ring_free(void);

#endif /* IFP_STATS_RING_H */

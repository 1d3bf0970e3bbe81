/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_LCORE_H
#define IFP_LCORE_H

/**
 * @file
 * The per-lcore context of the fast path: what one worker owns.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ip_frag.h>

#include "ifp_conf.h"
#include "ifp_fragid.h"
#include "ifp_ratelimit.h"
#include "ifp_stats.h"

#define IFP_BURST_MAX 64
/** Room a TX array needs: a burst of answers, some leaving in fragments. */
#define IFP_TX_MAX (IFP_BURST_MAX * 4)

/*
 * Reassembly, per lcore (RFC 791 3.2 reassembly timer: 15 s): at most
 * IFP_FRAG_FLOWS datagrams in progress, so a flood of fragments that never
 * complete holds at most IFP_FRAG_FLOWS * RTE_LIBRTE_IP_FRAG_MAX_FRAG mbufs.
 */
#define IFP_FRAG_FLOWS 256
#define IFP_FRAG_WAYS 4
#define IFP_FRAG_TIMEOUT_NS (15ull * 1000000000ull)
#define IFP_FRAG_MBUFS_MAX (IFP_FRAG_FLOWS * RTE_LIBRTE_IP_FRAG_MAX_FRAG)

struct rte_mempool;
struct rte_ring;
struct ifp_lpa_view;
struct ifp_trace_buf;

/**
 * Everything one worker lcore owns. Reached once per burst; nothing in
 * here is written by any other lcore.
 */
struct ifp_lcore {
	struct ifp_stats st;
	const struct ifp_conf *conf;
	uint64_t now_ns; /**< wall clock (ns since the epoch, UT) at RX */
	unsigned int lcore_id;
	/** 0 .. workers - 1: this worker's counters and buckets in
	 * conf->policy (ifp_policy_decide()) */
	unsigned int worker;
	uint16_t ip_id;  /**< IP identification of the datagrams we originate */
	/** IPv6 Fragment Identification (RFC 7739 5.2), ifp_fragid.h */
	struct ifp_fragid frag6_id;
	/** reassembly of fragments addressed to us; NULL: none (drop them) */
	struct rte_ip_frag_tbl *frag_tbl;
	struct rte_ip_frag_death_row *frag_dr;
	/** indirect mbufs for answers larger than the port MTU; NULL: none */
	struct rte_mempool *indirect_pool;
	/** the pool of each port's queues: an answer that is not one direct
	 * mbuf of it is copied into one before TX (ifp_mbuf_tx_single());
	 * NULL: the answer's own pool */
	struct rte_mempool *tx_pool[IFP_MAX_PORTS];
	/** the modems routes follow (ifp_lpa_table.h), published by the main
	 * lcore; NULL: none heard */
	const struct ifp_lpa_view *lpa;
	/** where this worker passes the LPAs it hears to the main lcore
	 * (struct ifp_lpa_heard elements, single producer); NULL: nowhere */
	struct rte_ring *lpa_ring;
	/** this worker's packet trace (ifp_trace.h): tested once a burst
	 * (ifp_trace_on()); never NULL after ifp_lcore_init(), which points
	 * it at a buffer that is never armed */
	struct ifp_trace_buf *trace;
	/** the configuration file, for the FILE:LINE of a traced route */
	const char *trace_file;
	/** the RX queue of the burst in process (a trace record's queue) */
	uint16_t rx_queue;
	/** the burst in process is traced: ifp_tx_account() ends it */
	bool trace_open;
	/** bursts the echo fast path leaves to its per-frame check */
	uint16_t x8_skip;
	/** the last burst's TX holds answers in fragments: hash.usr marks
	 * the frame that stands for each answer (ifp_tx_account()) */
	bool tx_marked;
	struct ifp_rl rl; /**< rate limits, a fixed-size table inside */
} __rte_cache_aligned;

/**
 * Prepare @p lc to run the fast path over @p conf, as one of @p n_lcores
 * workers (they share the global rate limits; 0 counts as 1).
 */
void ifp_lcore_init(struct ifp_lcore *lc, const struct ifp_conf *conf,
		    unsigned int lcore_id, unsigned int n_lcores);

/**
 * Give @p lc its reassembly table on NUMA @p socket (needs EAL: rte_malloc).
 * Returns 0, or -1 with the reason in @p err.
 */
int ifp_lcore_frag_create(struct ifp_lcore *lc, int socket, char *err,
			  size_t errlen);

/**
 * Free the datagrams of @p lc's reassembly table whose time is up at
 * @p now_ns (RFC 791 3.2's timer, IFP_FRAG_TIMEOUT_NS), counted in
 * frag_freed. rte_ip_frag frees them only when a lookup meets them: without
 * this, fragments that never complete hold their mbufs until traffic
 * comes. The worker owning @p lc calls it, between bursts.
 */
void ifp_lcore_frag_sweep(struct ifp_lcore *lc, uint64_t now_ns);

/** Free the reassembly table of @p lc and the fragments it holds. */
void ifp_lcore_frag_free(struct ifp_lcore *lc);

#endif /* IFP_LCORE_H */

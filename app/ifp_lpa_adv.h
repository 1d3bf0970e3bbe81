/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_LPA_ADV_H
#define IFP_LPA_ADV_H

/**
 * @file
 * icmpfp's own Link Property Advertisements ([lpa] advertise = on): the
 * box speaks for its ports as a smart modem speaks for its link. Every
 * `interval` seconds, and at once after every link event, each port that
 * is up sends to each advertise_to destination (TTL or hop limit `ttl`)
 * one datagram holding a Rate Block for every port of the box
 * (ifp_lpa_block_of_port()): a link that went down is announced on the
 * links still up. Over IPv4 it speaks from its first address; over IPv6
 * from its link-local to a link-scope destination, else from its first
 * address6 (ifp_lpa_src6()), and a port without one sends nothing to a
 * group it cannot speak to, and says so once in the log. Groups go out of every port; a unicast
 * destination out of the ports on its link, once an ARP reply or a
 * neighbour advertisement gave its MAC (the main lcore asks, the workers
 * pass the answer on). Frames are built in lib/ and leave through the
 * control path (ifp_ctl.h).
 * The main lcore's only.
 */

#include <stdint.h>

#include <rte_mempool.h>

#include "ifp_conf.h"

/** Set up: @p pool_of gives the mempool to build a port's frames from. */
void ifp_lpa_adv_init(struct rte_mempool *(*pool_of)(uint16_t port));

/** A link went up or down: a round goes at the next ifp_lpa_adv_tick(). */
void ifp_lpa_adv_event(void);

/**
 * Main lcore, every turn of its loop: send a round when `interval` has
 * passed since the last periodic one, or a link event is pending.
 */
void ifp_lpa_adv_tick(const struct ifp_conf *c, uint64_t now_ns);

/** What advertising has done since start. */
struct ifp_lpa_adv_stats {
	uint64_t rounds;       /**< rounds sent (periodic and events) */
	uint64_t event_rounds; /**< of which after a link event */
	uint64_t datagrams;    /**< LPAs queued for sending */
	uint64_t unresolved;   /**< unicast LPAs not sent: no MAC yet */
	uint64_t arp_requests; /**< sent to find those MACs (IPv4) */
	uint64_t ns_requests;  /**< neighbour solicitations, the same (IPv6) */
	uint64_t no_source;    /**< IPv6 LPAs to a group not sent: the port
				*   has no address of the group's scope */
	uint64_t no_mbuf;      /**< frames not built: pool empty */
	uint64_t last_ns;      /**< time of the last round, 0: none */
};

/** A copy of the counters (any thread). */
void ifp_lpa_adv_stats_get(struct ifp_lpa_adv_stats *out);

#endif /* IFP_LPA_ADV_H */

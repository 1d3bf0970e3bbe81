/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_LINK_H
#define IFP_LINK_H

/**
 * @file
 * Link state of the ports: every change up or down is logged with its
 * speed and counted. Ports whose PMD raises link-status interrupts report
 * through an RTE_ETH_EVENT_INTR_LSC callback at once and are polled once a
 * second besides; the others are polled every IFP_LINK_POLL_MS, so that
 * their link events (and the LPAs that announce them) come within a
 * second. An af_packet port takes its link from the kernel interface
 * under it (IFF_RUNNING): DPDK 22.11's PMD does not report it.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>

/** What is known of one port's link. */
struct ifp_link_state {
	bool watched;
	bool lsc;		  /**< the PMD reports by interrupt */
	struct rte_eth_link link; /**< last seen */
	uint64_t up_events;
	uint64_t down_events;
	/* events handed to ifp_link_events() so far */
	uint64_t up_taken;
	uint64_t down_taken;
	char profile[64]; /**< drivers-conf profile the port runs */
};

/**
 * Does @p port raise link-status interrupts; when it does, icmpfp asks for
 * them (set rte_eth_conf.intr_conf.lsc before rte_eth_dev_configure).
 */
bool ifp_link_has_lsc(uint16_t port);

/**
 * Start watching a started @p port (after its first link wait): remember
 * its state and its profile, register the LSC callback when it has one.
 */
void ifp_link_watch(uint16_t port, const char *profile);

/** How often the main lcore polls ports without link interrupts. */
#define IFP_LINK_POLL_MS 100
/** Ports with link interrupts are polled every this many polls (1 s). */
#define IFP_LINK_POLL_LSC_EVERY (1000 / IFP_LINK_POLL_MS)

/** Main lcore, every IFP_LINK_POLL_MS: poll the watched ports. */
void ifp_link_poll(void);

/** Is @p port's link read from its kernel interface (af_packet). */
bool ifp_link_kernel_is_polled(uint16_t port);

/**
 * Main lcore, often (every turn of its loop): call @p cb for each port
 * whose link went down, then for each whose link went up, since the last
 * call, whoever saw the change (the interrupt thread or ifp_link_poll()).
 * Several changes between two calls give at most one call per direction.
 */
void ifp_link_events(void (*cb)(uint16_t port, bool up, void *arg), void *arg);

/** What is known of @p port. Returns 0, or -ENOENT when not watched. */
int ifp_link_get(uint16_t port, struct ifp_link_state *out);

/** Stop watching every port (before they are closed). */
void ifp_link_unwatch(void);

#endif /* IFP_LINK_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_ANNOUNCE_H
#define IFP_ANNOUNCE_H

/**
 * @file
 * What the box says on a link when a port comes up: a gratuitous ARP for
 * each IPv4 address (RFC 5227 3). The daemon sends these through its
 * control path (app/ifp_ctl.h) at start and on every link-up event;
 * icmpfp-replay writes them first into its output, as "the port comes up".
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_conf.h"

/** Most frames ifp_announce_build() makes for one port. */
#define IFP_ANNOUNCE_MAX (IFP_MAX_ADDRS * 2 + 2)

/**
 * Build the announcements of port @p port_id (its conf @p p) in new mbufs
 * from @p mp, each with m->port = @p port_id, into @p out (room for
 * IFP_ANNOUNCE_MAX). Returns how many were built; a pool that runs dry
 * gives fewer.
 */
uint16_t ifp_announce_build(const struct ifp_port_conf *p, uint16_t port_id,
			    struct rte_mempool *mp, struct rte_mbuf **out);

#endif /* IFP_ANNOUNCE_H */

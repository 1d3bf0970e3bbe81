/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_TRANSIT_H
#define IFP_TRANSIT_H

/*
 * Internal to lib/: step 5 of both families, what a packet that passes
 * through the box earns from its route, its hop count and its length.
 * icmpfp forwards nothing: a packet that earns no error is dropped.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/**
 * Answer transit packet @p pkt (pkt->v6: IPv6) whose route is
 * c->route[@p hop] (IFP_ROUTE_NONE: none), in the design's order: the
 * route's Destination Unreachable, or a modem's that is down; else
 * @p hops_left (TTL, hop limit) at most 1: Time Exceeded; else @p len
 * longer than the route's MTU (a modem's): Fragmentation Needed / Packet
 * Too Big; else the transit drop. @p len 0: the packet may be fragmented
 * on its way (IPv4 without DF), no MTU is too small for it. @p group: a
 * multicast destination, about which only Packet Too Big is ever sent (RFC
 * 4443 2.4(e.3)); whatever else it earns is the ip6_dst_multicast drop.
 */
uint32_t ifp_transit_answer(struct ifp_lcore *lc, struct rte_mbuf *m,
			    struct ifp_pkt *pkt, uint32_t hop, uint8_t hops_left,
			    uint32_t len, bool group);

#endif /* IFP_TRANSIT_H */

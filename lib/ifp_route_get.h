/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_ROUTE_GET_H
#define IFP_ROUTE_GET_H

/**
 * @file
 * `route get` (icmpfpctl, /icmpfp/route): what a destination earns from
 * the routes, decided by the fast path's own ifp_transit_decide(). Above
 * ifp_transit.h in the ladder, so that ifp_route stays below the packet
 * handlers.
 */

#include <stdbool.h>
#include <stdint.h>

#include "ifp_conf.h"
#include "ifp_route.h"

/** What a probe earns: an answer of some kind, or a drop for a reason. */
struct ifp_route_outcome {
	bool answered;
	uint8_t kind; /**< enum ifp_answer when answered, else enum ifp_drop */
};

/** What ifp_route_probe() found for an address. */
struct ifp_route_probe {
	uint32_t route; /**< index into c->route of its route, or IFP_ROUTE_NONE */
	struct ifp_route_outcome ttl1;   /**< an echo request, TTL / hop limit 1 */
	struct ifp_route_outcome df1500; /**< 1500 octets, DF (IPv6: any) */
};

struct ifp_lpa_view;

/**
 * `route get`: what a packet to @p dst, an address that is not one of the
 * box's own, earns from the routes of @p c and the modems of @p lpa (NULL:
 * none heard), sent to the box's MAC: the route that covers it, and what
 * an echo request with TTL (hop limit) 1 and a 1500-octet datagram with DF
 * would earn. The same decision as the fast path's (ifp_transit_decide()),
 * before [policy] and [ratelimit], for a probe that may earn an error (a
 * first fragment from a unicast source, not an ICMP error); nothing is
 * counted. No EAL.
 */
void ifp_route_probe(const struct ifp_conf *c, const struct ifp_lpa_view *lpa,
		     const struct ifp_ipx *dst, struct ifp_route_probe *out);

#endif /* IFP_ROUTE_GET_H */

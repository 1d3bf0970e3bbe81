/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_REPLY_H
#define IFP_REPLY_H

/*
 * Internal to lib/: a request turned into its reply in place.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/**
 * Turn the IPv4 header of @p pkt around in place: source = our address,
 * destination = the sender, TTL = reply_ttl, fresh header checksum (or the
 * TX offload flags), and the Ethernet addresses swapped.
 */
void ifp_ipv4_reply_prepare(struct ifp_lcore *lc, struct rte_mbuf *m,
			    struct ifp_pkt *pkt);

/**
 * Turn the IPv6 header of @p pkt around in place: extension headers
 * removed (a reply carries none), source = @p src, destination = the
 * sender, hop limit = reply_hop_limit, traffic class and flow label kept,
 * and the Ethernet addresses swapped. The upper-layer checksum is the
 * caller's. Returns 0, or -1 when the headers could not be made contiguous.
 */
int ifp_ipv6_reply_prepare(struct ifp_lcore *lc, struct rte_mbuf *m,
			   struct ifp_pkt *pkt, const uint8_t *src);

/**
 * Remove the extension headers of @p pkt: the Ethernet and IPv6 headers
 * move up over them, the IPv6 Next Header becomes the upper layer's.
 * Returns 0, or -1 when they could not be made contiguous.
 */
int ifp_ipv6_exthdr_strip(struct rte_mbuf *m, struct ifp_pkt *pkt);

#endif /* IFP_REPLY_H */

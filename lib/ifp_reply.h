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

#endif /* IFP_REPLY_H */

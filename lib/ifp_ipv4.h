/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_IPV4_H
#define IFP_IPV4_H

/*
 * Internal to lib/: IPv4 input (RFC 1812 5.2.2), local delivery or transit.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/** RFC 1812 5.2.2 checks, then local delivery or transit. */
enum ifp_verdict ifp_ipv4_input(struct ifp_lcore *lc, struct rte_mbuf *m,
			struct ifp_pkt *pkt);

#endif /* IFP_IPV4_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_IPV6_H
#define IFP_IPV6_H

/*
 * Internal to lib/: IPv6 input (RFC 8200), local delivery or transit.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/**
 * The IPv6 checks of docs/answers.md ("IPv6"): validity, local or
 * transit, extension headers, reassembly, then the upper layer.
 */
enum ifp_verdict ifp_ipv6_input(struct ifp_lcore *lc, struct rte_mbuf *m,
			struct ifp_pkt *pkt);

#endif /* IFP_IPV6_H */

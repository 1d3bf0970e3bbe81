/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_ICMP_H
#define IFP_ICMP_H

/*
 * Internal to lib/: ICMP messages addressed to us.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/** ICMP addressed to us: checksum, then the type's handler. */
enum ifp_verdict ifp_icmp_input(struct ifp_lcore *lc, struct rte_mbuf *m,
			struct ifp_pkt *pkt);

#endif /* IFP_ICMP_H */

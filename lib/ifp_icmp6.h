/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_ICMP6_H
#define IFP_ICMP6_H

/*
 * Internal to lib/: ICMPv6 messages addressed to us (RFC 4443).
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/** ICMPv6 addressed to us: checksum with the pseudo-header, then the type's
 * handler. */
enum ifp_verdict ifp_icmp6_input(struct ifp_lcore *lc, struct rte_mbuf *m,
			 struct ifp_pkt *pkt);

#endif /* IFP_ICMP6_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_OPTIONS_H
#define IFP_OPTIONS_H

/*
 * Internal to lib/: IPv4 options of datagrams addressed to us (RFC 791,
 * RFC 1122 3.2.2.5, 3.2.2.6; RFC 7126).
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/**
 * Check the options of a datagram addressed to us, changing nothing.
 * Returns 0, a drop reason (source routes), or IFP_OPT_PARAM_PROBLEM |
 * pointer (octet of the IP header) for a malformed option.
 */
uint32_t ifp_ipv4_options_check(struct ifp_lcore *lc, struct ifp_pkt *pkt);

/**
 * Update the record-route and timestamp options of a datagram we answer
 * (RFC 1122 3.2.2.6) with our address. Returns 0, a drop reason, or
 * IFP_OPT_PARAM_PROBLEM | pointer for a malformed option.
 */
uint32_t ifp_ipv4_options_echo(struct ifp_lcore *lc, struct ifp_pkt *pkt);
#define IFP_OPT_PARAM_PROBLEM 0x10000u

#endif /* IFP_OPTIONS_H */

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

/** What the walk of a datagram's options found: a status of its own, never
 * a verdict (ifp_pkt.h); the caller turns it into one. */
enum ifp_opt_status {
	IFP_OPT_OK,            /**< well formed: go on */
	IFP_OPT_SOURCE_ROUTE,  /**< a source route (RFC 7126 4.3, 4.4) */
	IFP_OPT_PARAM_PROBLEM, /**< malformed: Parameter Problem, *ptr set */
};

/**
 * Check the options of a datagram addressed to us, changing nothing.
 * For IFP_OPT_PARAM_PROBLEM, @p ptr is the octet of the IP header in error.
 */
enum ifp_opt_status ifp_ipv4_options_check(struct ifp_lcore *lc,
					   struct ifp_pkt *pkt, uint8_t *ptr);

/**
 * Update the record-route and timestamp options of a datagram we answer
 * (RFC 1122 3.2.2.6) with our address and time. Only on options
 * ifp_ipv4_options_check() passed: the same walk, so it finds no fault
 * (asserted in debug builds).
 */
void ifp_ipv4_options_echo(struct ifp_lcore *lc, struct ifp_pkt *pkt);

#endif /* IFP_OPTIONS_H */

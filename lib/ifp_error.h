/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_ERROR_H
#define IFP_ERROR_H

/*
 * Internal to lib/: the ICMP and ICMPv6 errors we send, built in the mbuf
 * of the datagram they are about.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"
#include "ifp_stats.h"

/**
 * Send ICMP (pkt->v6: ICMPv6) error @p type / @p code about the datagram of
 * @p pkt, built in its own mbuf: the never-answer rules first (RFC 1122
 * 3.2.2 and RFC 1812 4.3.2.7; RFC 4443 2.4(e)), then the rate limits, then
 * the quote (within 576 bytes, RFC 1812 4.3.2.3; 1280, RFC 4443 2.4(c))
 * and, with extensions on, the RFC 4884 / RFC 5837 objects. @p aux is the
 * 32-bit rest-of-header word in host order (next-hop MTU, ICMP Parameter
 * Problem pointer << 24, ICMPv6 Parameter Problem pointer).
 */
enum ifp_verdict ifp_error_send(struct ifp_lcore *lc, struct rte_mbuf *m,
			struct ifp_pkt *pkt, enum ifp_answer kind, uint8_t type,
			uint8_t code, uint32_t aux);

#endif /* IFP_ERROR_H */

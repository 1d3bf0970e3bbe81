/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_ARP_H
#define IFP_ARP_H

/*
 * Internal to lib/: ARP (RFC 826), and the gratuitous ARP the main lcore
 * sends when a port comes up (RFC 5227 3).
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/** ARP frame handed over by the L2 parse. */
enum ifp_verdict ifp_arp_input(struct ifp_lcore *lc, struct rte_mbuf *m,
		       struct ifp_pkt *pkt);

/**
 * Build an ARP request (RFC 826) from port @p p, sender @p sip, for
 * @p tip, to the broadcast, into the empty mbuf @p m. Returns 0, or -1
 * when @p m has too little room.
 */
int ifp_arp_request_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
			  rte_be32_t sip, rte_be32_t tip);

/**
 * Build a gratuitous ARP (RFC 5227 announcement: an ARP request whose sender
 * and target are both @p ip) from port @p p into the empty mbuf @p m.
 * Returns 0, or -1 when @p m has too little room.
 */
static inline int
ifp_garp_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
	       rte_be32_t ip)
{
	return ifp_arp_request_build(m, p, ip, ip);
}

#endif /* IFP_ARP_H */

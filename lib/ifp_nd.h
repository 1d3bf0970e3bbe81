/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_ND_H
#define IFP_ND_H

/*
 * Internal to lib/: neighbour discovery (RFC 4861) and multicast listener
 * discovery (RFC 3810) on the link: the answers built in place, and the
 * frames the main lcore sends when a port comes up (unsolicited neighbour
 * advertisements, the MLDv2 report), the IPv6 counterparts of the
 * gratuitous ARP.
 */

#include <stdint.h>

#include <rte_icmp.h>
#include <rte_mbuf.h>

#include "ifp_pkt.h"

/** Neighbour solicitation (135) to us: RFC 4861 7.1.1, then the NA. */
enum ifp_verdict ifp_nd_ns_input(struct ifp_lcore *lc, struct rte_mbuf *m,
			 struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp);

/**
 * Neighbour advertisement (136) to us: RFC 4861 7.1.2; the target's MAC
 * goes to the main lcore when the target is a unicast advertise_to
 * destination (lpa_neighbour), else counted (nd_to_us).
 */
enum ifp_verdict ifp_nd_na_input(struct ifp_lcore *lc, struct rte_mbuf *m,
			 struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp);

/** RS, RA, redirect (133, 134, 137) to us: checked, counted. */
enum ifp_verdict ifp_nd_other_input(struct ifp_lcore *lc, struct rte_mbuf *m,
			    struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp);

/** MLD listener query (130): the MLDv2 report of our groups, in place. */
enum ifp_verdict ifp_mld_query_input(struct ifp_lcore *lc, struct rte_mbuf *m,
			     struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp);

/**
 * Build an unsolicited neighbour advertisement (RFC 4861 7.2.6) of
 * address @p idx of port @p p (addr6[0] is the link-local) into the empty
 * mbuf @p m: to ff02::1, from that address, R=1, S=0, O=1, with the target
 * link-layer address. Returns 0, or -1 when @p m has too little room.
 */
int ifp_nd_una_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
		     unsigned int idx);

/**
 * Build a neighbour solicitation (RFC 4861 7.2.2) for @p target from port
 * @p p into the empty mbuf @p m: to the target's solicited-node group, from
 * the port's address of the target's scope, hop limit 255, with the source
 * link-layer address. The main lcore sends it to learn the MAC of a unicast
 * IPv6 advertise_to destination. Returns 0, or -1 when the port has no
 * IPv6 or @p m too little room.
 */
int ifp_nd_ns_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
		    const uint8_t *target);

/**
 * Build the MLDv2 report (RFC 3810 5.2) that joins the solicited-node
 * groups of port @p p (one CHANGE_TO_EXCLUDE_MODE record each, RFC 3810
 * 6.1) into the empty mbuf @p m: to ff02::16 from the link-local, hop limit
 * 1, Router Alert. Returns 0, or -1 when @p m has too little room.
 */
int ifp_mld_report_build(struct rte_mbuf *m, const struct ifp_port_conf *p);

#endif /* IFP_ND_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_UDP_H
#define IFP_UDP_H

/*
 * Internal to lib/: UDP addressed to us, over IPv4 or IPv6. With [lpa]
 * listen = on, a datagram to the LPA port, sent to one of our addresses or
 * to one of the groups, is a Link Property Advertisement: decoded
 * (ifp_lpa.h), passed to the main lcore, counted, never answered. Any other
 * UDP to us gets Port Unreachable (RFC 1122 3.2.2.1, RFC 4443 3.1).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/** Is @p dst (network order) an IPv4 group the LPA listener hears. */
static inline bool
ifp_lpa_group4(const struct ifp_conf *c, rte_be32_t dst)
{
	const struct ifp_lpa_conf *l = &c->lpa;

	if (!l->listen)
		return false;
	for (unsigned int i = 0; i < l->n_groups; i++)
		if (!l->group[i].v6 && l->group[i].ip4 == dst)
			return true;
	return false;
}

/** Is @p dst an IPv6 group the LPA listener hears. */
static inline bool
ifp_lpa_group6(const struct ifp_conf *c, const uint8_t *dst)
{
	const struct ifp_lpa_conf *l = &c->lpa;

	if (!l->listen)
		return false;
	for (unsigned int i = 0; i < l->n_groups; i++)
		if (l->group[i].v6 && memcmp(l->group[i].ip6, dst, 16) == 0)
			return true;
	return false;
}

/**
 * Is @p mac the Ethernet group address of a group the LPA listener hears:
 * such frames are taken on every port.
 */
static inline bool
ifp_lpa_group_mac(const struct ifp_conf *c, const struct rte_ether_addr *mac)
{
	const struct ifp_lpa_conf *l = &c->lpa;

	if (!l->listen || !rte_is_multicast_ether_addr(mac))
		return false;
	for (unsigned int i = 0; i < l->n_groups; i++)
		if (rte_is_same_ether_addr(mac, &l->group_mac[i]))
			return true;
	return false;
}

/** Is @p ip a unicast advertise_to destination of [lpa] advertise = on:
 * its MAC, from its ARP reply or neighbour advertisement, goes to the main
 * lcore. */
static inline bool
ifp_lpa_to_unicast(const struct ifp_conf *c, const struct ifp_ipx *ip)
{
	const struct ifp_lpa_conf *l = &c->lpa;

	if (!l->advertise || ifp_ipx_is_group(ip))
		return false;
	for (unsigned int i = 0; i < l->n_to; i++)
		if (ifp_ipx_eq(&l->to[i], ip))
			return true;
	return false;
}

/**
 * The answer to a request the main lcore sent for a unicast advertise_to
 * destination @p ip (an ARP reply, a neighbour advertisement): its MAC
 * @p mac, heard on @p port, goes to the main lcore (the worker keeps
 * nothing). Returns the verdict: lpa_neighbour, or lpa_backlog when the
 * ring is full.
 */
enum ifp_verdict ifp_lpa_neigh_pass(struct ifp_lcore *lc, uint16_t port,
			    const struct ifp_ipx *ip,
			    const struct rte_ether_addr *mac);

/**
 * UDP to us: @p group when the destination is an LPA group (then nothing
 * but an LPA is taken, and nothing is ever answered), else one of our
 * addresses or a broadcast (pkt->bcast).
 */
enum ifp_verdict ifp_udp_input(struct ifp_lcore *lc, struct rte_mbuf *m,
		       struct ifp_pkt *pkt, bool group);

#endif /* IFP_UDP_H */

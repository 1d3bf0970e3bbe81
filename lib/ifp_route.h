/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_ROUTE_H
#define IFP_ROUTE_H

/**
 * @file
 * The [routes] of a config: the IPv4 ones in an rte_lpm table, the IPv6
 * ones in an rte_lpm6 table. Both belong to the struct ifp_conf they were
 * built from: a reload builds a new conf with new tables and frees the old
 * ones together once no worker can see them.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_lpm.h>
#include <rte_lpm6.h>

#include "ifp_conf.h"

/**
 * Build c->lpm and c->lpm6 from c->route[] on NUMA @p socket, and the
 * route hits of @p n_workers workers (ifp_routes_hits_alloc()). Needs EAL
 * (the tables allocate from rte_malloc). The tables are named after
 * @p name, which must be unique among live tables. The default routes
 * (depth 0) stay out of the tables: c->route_default, c->route_default6.
 * Returns 0, or -1 with "PATH:LINE: reason" in @p err, @p path being the
 * file the routes came from.
 */
int ifp_routes_build(struct ifp_conf *c, const char *path, const char *name,
		     int socket, unsigned int n_workers, char *err, size_t errlen);

/**
 * ifp_routes_build() for a conf that is to replace @p old (a reload): a
 * family whose routes in @p c are old's, prefix for prefix at the same
 * index, borrows old's table instead of building one (the actions may
 * differ: they live in c->route). Each table takes 64 MiB (the first
 * level of rte_lpm and rte_lpm6: 2^24 entries of 4 bytes), so a reload
 * that changes actions only needs no more memory. A borrowed table stays
 * old's until ifp_routes_handover(). The hits are never borrowed: c's
 * count from zero.
 */
int ifp_routes_build_from(struct ifp_conf *c, const struct ifp_conf *old,
			  const char *path, const char *name, int socket,
			  unsigned int n_workers, char *err, size_t errlen);

/**
 * Once no reader can see @p old any more (it was replaced by @p c): the
 * tables c borrowed from it become c's, and freeing old leaves them.
 */
void ifp_routes_handover(struct ifp_conf *c, struct ifp_conf *old);

/** Free the tables @p c owns (NULL ones are fine) and its route hits. */
void ifp_routes_free(struct ifp_conf *c);

/**
 * Give @p c the route hits of @p n_workers workers (0 counts as 1): one
 * row of counters a worker, each row on cache lines of its own, which
 * only that worker writes (the fast path's one increment a transit frame,
 * ifp_transit_answer()). No EAL. ifp_routes_build() calls it; a conf made
 * by hand may. Returns 0, or -1 when out of memory.
 */
int ifp_routes_hits_alloc(struct ifp_conf *c, unsigned int n_workers);

/**
 * The frames route @p i of @p c decided, the sum over the workers. Read
 * from another thread while they run: each counter is one aligned 64-bit
 * word only its worker writes.
 */
uint64_t ifp_route_hits(const struct ifp_conf *c, uint32_t i);

/** The words of `unreachable CODE` and their code in each family. */
struct ifp_route_code {
	const char *name;
	int16_t code4; /**< of ICMP type 3; -1: IPv4 has none */
	int16_t code6; /**< of ICMPv6 type 1 */
};

/** `prohibited`: communication administratively prohibited */
#define IFP_ROUTE_PROHIBITED4 13 /* RFC 1812 5.2.7.1 */
#define IFP_ROUTE_PROHIBITED6 1  /* RFC 4443 3.1 */

/** Every `unreachable CODE`, ifp_route_n_codes of them. */
extern const struct ifp_route_code ifp_route_codes[];
extern const unsigned int ifp_route_n_codes;

/** "prefix/len" of a route, as the file gives it. */
void ifp_route_prefix_str(const struct ifp_route *r, char *out, size_t len);

/** "action" of a route, as the file gives it ("unreachable host", "mtu 1400"). */
void ifp_route_action_str(const struct ifp_route *r, char *out, size_t len);

/** "prefix/len = action" of a route, as the file gives it. */
void ifp_route_str(const struct ifp_route *r, char *out, size_t len);

/**
 * Longest-prefix match of @p dst (network order): the index into c->route
 * of the matching route, the default route when no other matches, or
 * IFP_ROUTE_NONE.
 */
static inline uint32_t
ifp_route_lookup(const struct ifp_conf *c, rte_be32_t dst)
{
	uint32_t hop;

	if (c->lpm != NULL &&
	    rte_lpm_lookup(c->lpm, rte_be_to_cpu_32(dst), &hop) == 0)
		return hop;
	return c->route_default;
}

/** The same for IPv6 destination @p dst. */
static inline uint32_t
ifp_route6_lookup(const struct ifp_conf *c, const uint8_t *dst)
{
	uint32_t hop;

	if (c->lpm6 != NULL && rte_lpm6_lookup(c->lpm6, dst, &hop) == 0)
		return hop;
	return c->route_default6;
}

#endif /* IFP_ROUTE_H */

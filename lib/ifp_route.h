/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_ROUTE_H
#define IFP_ROUTE_H

/**
 * @file
 * The [routes] of a config in an rte_lpm table. The table belongs to the
 * struct ifp_conf it was built from: a reload builds a new conf with a new
 * table and frees the old pair together once no worker can see it.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_lpm.h>

#include "ifp_conf.h"

/**
 * Build c->lpm from c->route[] on NUMA @p socket. Needs EAL (rte_lpm
 * allocates from rte_malloc). Each table is named after @p name, which must
 * be unique among live tables. The default route (depth 0) stays out of
 * the table: c->route_default. Returns 0, or -1 with "PATH:LINE: reason"
 * in @p err, @p path being the file the routes came from.
 */
int ifp_routes_build(struct ifp_conf *c, const char *path, const char *name,
		     int socket, char *err, size_t errlen);

/** Free c->lpm (NULL is fine). */
void ifp_routes_free(struct ifp_conf *c);

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

#endif /* IFP_ROUTE_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lpm.h>

#include "ifp_route.h"

/* "a.b.c.d/len" of a route, for its errors */
static void
ifp_route_str(const struct ifp_route *r, char *out, size_t len)
{
	uint32_t a = htonl(r->prefix);
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	snprintf(out, len, "%s/%u", ip, r->depth);
}

int
ifp_routes_build(struct ifp_conf *c, const char *path, const char *name,
		 int socket, char *err, size_t errlen)
{
	struct rte_lpm_config lc = {
		.max_rules = RTE_MAX(c->n_routes, 16u),
		/* every /24 or shorter prefix fits tbl24; each longer one
		 * needs at most one tbl8 group */
		.number_tbl8s = RTE_MAX(c->n_routes, 16u),
	};
	uint32_t in_table = 0;

	c->lpm = NULL;
	c->route_default = IFP_ROUTE_NONE;
	for (uint32_t i = 0; i < c->n_routes; i++) {
		if (c->route[i].depth == 0)
			c->route_default = i;
		else
			in_table++;
	}
	if (in_table == 0)
		return 0;
	c->lpm = rte_lpm_create(name, socket, &lc);
	if (c->lpm == NULL) {
		snprintf(err, errlen, "%s: the routing table cannot be made: %s",
			 path, rte_strerror(rte_errno));
		return -1;
	}
	for (uint32_t i = 0; i < c->n_routes; i++) {
		const struct ifp_route *r = &c->route[i];
		char pfx[32];
		int rc;

		if (r->depth == 0)
			continue;
		rc = rte_lpm_add(c->lpm, r->prefix, r->depth, i);
		if (rc < 0) {
			ifp_route_str(r, pfx, sizeof(pfx));
			snprintf(err, errlen,
				 "%s:%u: route '%s' cannot be added to the routing table: %s",
				 path, r->line, pfx, strerror(-rc));
			ifp_routes_free(c);
			return -1;
		}
	}
	return 0;
}

void
ifp_routes_free(struct ifp_conf *c)
{
	rte_lpm_free(c->lpm);
	c->lpm = NULL;
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lpm.h>

#include "ifp_route.h"

int
ifp_routes_build(struct ifp_conf *c, const char *name, int socket, char *err,
		 size_t errlen)
{
	struct rte_lpm_config lc = {
		.max_rules = RTE_MAX(c->n_routes, 16u),
		/* every /24 or shorter prefix fits tbl24; each longer one
		 * needs at most one tbl8 group */
		.number_tbl8s = RTE_MAX(c->n_routes, 16u),
	};

	c->lpm = NULL;
	if (c->n_routes == 0)
		return 0;
	c->lpm = rte_lpm_create(name, socket, &lc);
	if (c->lpm == NULL) {
		snprintf(err, errlen, "routes: rte_lpm_create: %s",
			 rte_strerror(rte_errno));
		return -1;
	}
	for (uint32_t i = 0; i < c->n_routes; i++) {
		const struct ifp_route *r = &c->route[i];
		int rc = rte_lpm_add(c->lpm, r->prefix, r->depth, i);

		if (rc < 0) {
			snprintf(err, errlen, "routes: adding route %u: %s", i,
				 strerror(-rc));
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

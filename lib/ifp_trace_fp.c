/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <netinet/in.h>

#include "ifp_route.h"
#include "ifp_trace_fp.h"

void
ifp_trace_route_hop(struct ifp_trace_rec *t, const char *file,
		    const struct ifp_conf *c, uint32_t hop)
{
	char pfx[INET6_ADDRSTRLEN + 4], line[IFP_TRACE_NOTE];
	char str[INET6_ADDRSTRLEN + 32];
	const struct ifp_route *r;
	const char *action;

	if (hop == IFP_ROUTE_NONE || hop >= c->n_routes) {
		ifp_trace_step(t, "route: none");
		return;
	}
	r = &c->route[hop];
	ifp_route_prefix_str(r, pfx, sizeof(pfx));
	/* "PREFIX = ACTION", as the file gives it: the action */
	ifp_route_str(r, str, sizeof(str));
	action = strstr(str, " = ");
	action = action != NULL ? action + 3 : str;
	snprintf(line, sizeof(line), "%s:%u", file != NULL ? file : "config", r->line);
	ifp_trace_route(t, line, pfx, action);
}

void
ifp_trace_policy_key(struct ifp_trace_rec *t, const struct ifp_conf *c,
		     const struct ifp_policy_key *k, enum ifp_policy_verdict v)
{
	const struct ifp_policy *p = c->policy;
	char line[IFP_TRACE_NOTE], verdict[64];
	uint32_t i, n;

	/* the rule ifp_policy_decide() applied: the first that matches */
	ifp_policy_classify(p, k->family, k, 1, &i);
	if (i == IFP_POLICY_DEFAULT) {
		n = c->policy_conf != NULL ? c->policy_conf->def_line : 0;
		/* a kind `*` leaves out (neighbour, lpa) passes a deny
		 * default: say what was done */
		snprintf(verdict, sizeof(verdict), "default %s",
			 v == IFP_POLICY_SEND ? "allow"
					      : ifp_policy_action_name(ifp_policy_default(p)));
	} else {
		n = ifp_policy_rule(p, i)->line;
		snprintf(verdict, sizeof(verdict), "%s%s",
			 ifp_policy_action_name(ifp_policy_rule(p, i)->action),
			 v == IFP_POLICY_LIMITED ? ", over its rate" : "");
	}
	if (n == 0) {
		ifp_trace_step(t, "policy: %s", verdict);
		return;
	}
	snprintf(line, sizeof(line), "%s:%u", ifp_policy_path(p), n);
	ifp_trace_policy(t, line, verdict);
}

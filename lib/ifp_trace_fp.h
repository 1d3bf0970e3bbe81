/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_TRACE_FP_H
#define IFP_TRACE_FP_H

/**
 * @file
 * The steps of a traced frame that name a line of the config file: the
 * route and the policy rule that decided (docs/trace.md). Called only for
 * a traced frame (its record not NULL): they format text, the fast path
 * never reaches them with the trace off.
 */

#include <stdint.h>

#include "ifp_conf.h"
#include "ifp_policy.h"
#include "ifp_trace.h"

/**
 * Step "route: PREFIX (FILE:LINE) ACTION" for route c->route[@p hop] of
 * config file @p file, and the record's route; "route: none" for
 * IFP_ROUTE_NONE.
 */
void ifp_trace_route_hop(struct ifp_trace_rec *t, const char *file,
			 const struct ifp_conf *c, uint32_t hop);

/**
 * Step "policy: FILE:LINE VERDICT" for the rule of @p c->policy that
 * matches @p k (the default's line, or "default" when the file gives
 * none), and the record's policy: what ifp_policy_decide() made of it.
 */
void ifp_trace_policy_key(struct ifp_trace_rec *t, const struct ifp_conf *c,
			  const struct ifp_policy_key *k,
			  enum ifp_policy_verdict v);

#endif /* IFP_TRACE_FP_H */

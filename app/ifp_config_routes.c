/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [routes] of the config (docs/configuration.md, "[routes]"): one prefix
 * of either family per line and what to answer for it. A file may hold
 * IFP_MAX_ROUTES of them: each line costs the same whatever came before
 * (a repeat is found in a hash set, not by a scan of the earlier routes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "ifp_config_int.h"
#include "ifp_route.h"

int
ifp_cfg_routes_begin(struct ifp_cfg_load *l)
{
	/* twice the most routes: the set stays at most half full */
	l->route_mask = 2 * IFP_MAX_ROUTES - 1;
	l->route_slot = calloc(2 * IFP_MAX_ROUTES, sizeof(*l->route_slot));
	return l->route_slot == NULL ? -1 : 0;
}

void
ifp_cfg_routes_end(struct ifp_cfg_load *l)
{
	free(l->route_slot);
	l->route_slot = NULL;
}

static bool
cfg_route_same_prefix(const struct ifp_route *a, const struct ifp_route *b)
{
	if (a->v6 != b->v6 || a->depth != b->depth)
		return false;
	return a->v6 ? memcmp(a->prefix6, b->prefix6, 16) == 0
		     : a->prefix == b->prefix;
}

/* FNV-1a of the family, the depth and the prefix's bytes */
static uint32_t
cfg_route_hash(const struct ifp_route *r)
{
	const uint8_t *b = r->v6 ? r->prefix6 : (const uint8_t *)&r->prefix;
	unsigned int n = r->v6 ? 16 : 4;
	uint32_t h = 2166136261u;

	h = (h ^ r->v6) * 16777619u;
	h = (h ^ r->depth) * 16777619u;
	for (unsigned int i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/*
 * The route of @p r's prefix read before, or NULL; when none, the slot
 * where it goes in @p slot.
 */
static const struct ifp_route *
cfg_route_seen(struct ifp_cfg_load *l, const struct ifp_route *r, uint32_t **slot)
{
	for (uint32_t i = cfg_route_hash(r);; i++) {
		uint32_t *s = &l->route_slot[i & l->route_mask];

		if (*s == 0) {
			*slot = s;
			return NULL;
		}
		if (cfg_route_same_prefix(&l->c->route[*s - 1], r))
			return &l->c->route[*s - 1];
	}
}

/*
 * The prefix of a route: IPv4 "a.b.c.d/len" or IPv6 "x:y::/len", length 0
 * (the default route) included, no host bits set.
 */
static int
cfg_route_prefix(struct ifp_ini *x, const char *name, struct ifp_route *r)
{
	rte_be32_t ip;

	if (strchr(name, ':') != NULL) {
		r->v6 = true;
		if (ifp_cfg_parse_prefix6(name, true, 0, r->prefix6, &r->depth) < 0)
			return ifp_ini_error(x, "route '%s' is not an IPv6 prefix/len "
					     "(len 0-128)", name);
		for (unsigned int b = r->depth; b < 128; b++)
			if (r->prefix6[b / 8] & (0x80 >> (b % 8)))
				return ifp_ini_error(x, "route '%s' has host bits set",
						     name);
		return 0;
	}
	if (ifp_cfg_parse_prefix(name, 0, &ip, &r->depth) < 0)
		return ifp_ini_error(x, "route '%s' is not a.b.c.d/len", name);
	r->prefix = rte_be_to_cpu_32(ip);
	if (r->depth < 32 &&
	    (r->prefix & (r->depth ? ~(~0u << (32 - r->depth)) : ~0u)))
		return ifp_ini_error(x, "route '%s' has host bits set", name);
	return 0;
}

static int
cfg_route_unreachable(struct ifp_ini *x, const char *arg, struct ifp_route *r)
{
	const struct ifp_route_code *k = NULL;

	for (unsigned int i = 0; i < ifp_route_n_codes; i++)
		if (strcmp(arg, ifp_route_codes[i].name) == 0)
			k = &ifp_route_codes[i];
	if (k == NULL)
		return ifp_ini_error(x, "unreachable '%s': expected net, host, "
				     "net-prohibited, host-prohibited, or for IPv6 "
				     "policy or reject", arg);
	/* ICMP has no code for a failed policy or a reject route: refused
	 * rather than guessed (prohibited is the nearest) */
	if (!r->v6 && k->code4 < 0)
		return ifp_ini_error(x, "unreachable '%s' is an ICMPv6 code (1/%d): "
				     "IPv4 has none; 'prohibited' (3/13) is the nearest",
				     arg, k->code6);
	r->action = IFP_ROUTE_UNREACHABLE;
	r->arg = (uint16_t)(r->v6 ? k->code6 : k->code4);
	return 0;
}

/* The action @p value of route @p r: every word of it is used. */
static int
cfg_route_action(struct ifp_ini *x, const char *value, struct ifp_route *r)
{
	static const struct {
		const char *name;
		unsigned int args; /* words after the action's */
	} acts[] = {
		{"drop", 0}, {"prohibited", 0}, {"unreachable", 1}, {"mtu", 1},
		{"modem", 1},
	};
	char buf[IFP_INI_LINE_MAX], *save = NULL, *w[3];
	unsigned int n = 0, a;
	uint32_t v, min_mtu = r->v6 ? 1280 : 68; /* RFC 791, RFC 8200 5 */

	snprintf(buf, sizeof(buf), "%s", value);
	for (char *t = strtok_r(buf, " \t", &save); t != NULL && n < RTE_DIM(w);
	     t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	for (a = 0; a < RTE_DIM(acts); a++)
		if (strcmp(w[0], acts[a].name) == 0)
			break;
	if (a == RTE_DIM(acts) || n < 1 + acts[a].args)
		return ifp_ini_error(x, "route action '%s': expected drop, prohibited, "
				     "unreachable <code>, mtu <M> or modem <ID>", value);
	if (n > 1 + acts[a].args)
		return ifp_ini_error(x, "route action '%s': '%s' takes %s, "
				     "'%s' is one word too many", value, acts[a].name,
				     acts[a].args ? "one word" : "no word",
				     w[1 + acts[a].args]);
	switch (a) {
	case 0:
		r->action = IFP_ROUTE_DROP;
		return 0;
	case 1: /* communication administratively prohibited */
		r->action = IFP_ROUTE_UNREACHABLE;
		r->arg = r->v6 ? IFP_ROUTE_PROHIBITED6 : IFP_ROUTE_PROHIBITED4;
		return 0;
	case 2:
		return cfg_route_unreachable(x, w[1], r);
	case 3:
		if (ifp_cfg_parse_u32(w[1], min_mtu, 65535, &v) < 0)
			return ifp_ini_error(x, "mtu '%s' must be %u to 65535%s", w[1],
					     min_mtu,
					     r->v6 ? " (IPv6's minimum MTU is 1280, RFC 8200 5)"
						   : "");
		r->action = IFP_ROUTE_MTU;
		r->arg = (uint16_t)v;
		return 0;
	default:
		/* Modem ID 0 is malformed on the wire: no LPA names it */
		if (ifp_cfg_parse_u32(w[1], 1, UINT32_MAX, &v) < 0)
			return ifp_ini_error(x, "modem '%s' is not a Modem ID from 1 to %u",
					     w[1], UINT32_MAX);
		r->action = IFP_ROUTE_MODEM;
		r->modem = v;
		return 0;
	}
}

static int
cfg_route_entry(struct ifp_ini *x, const char *key, const char *value)
{
	struct ifp_cfg_load *l = x->user;
	struct ifp_conf *c = l->c;
	const struct ifp_route *prev;
	struct ifp_route r = {0};
	uint32_t *slot;

	if (cfg_route_prefix(x, key, &r) < 0)
		return -1;
	prev = cfg_route_seen(l, &r, &slot);
	if (prev != NULL)
		return ifp_ini_error(x, "route '%s' given twice (first at line %u)",
				     key, prev->line);
	if (c->n_routes >= IFP_MAX_ROUTES)
		return ifp_ini_error(x, "more than %d routes", IFP_MAX_ROUTES);
	if (cfg_route_action(x, value, &r) < 0)
		return -1;
	r.line = (uint32_t)x->line;
	if (r.depth == 0 && r.v6)
		c->route_default6 = c->n_routes;
	else if (r.depth == 0)
		c->route_default = c->n_routes;
	c->route[c->n_routes++] = r;
	*slot = c->n_routes;
	return 0;
}

const struct ifp_ini_section ifp_cfg_routes_section = {
	.name = "routes",
	.keys = NULL, /* the keys are prefixes */
	.entry = cfg_route_entry,
	.reloads = true,
	.help = "prefix = drop | prohibited | unreachable CODE | mtu M | modem ID",
};

/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>

#include "ifp_route.h"

const struct ifp_route_code ifp_route_codes[] = {
	/* RFC 792 and RFC 1812 5.2.7.1 codes of type 3; RFC 4443 3.1 codes
	 * of type 1, which has one "administratively prohibited" and no
	 * net/host split of it, and two codes IPv4 lacks */
	{"net", 0, 0},
	{"host", 1, 3},
	{"net-prohibited", 9, 1},
	{"host-prohibited", 10, 1},
	{"policy", -1, 5},
	{"reject", -1, 6},
};

const unsigned int ifp_route_n_codes = RTE_DIM(ifp_route_codes);

void
ifp_route_prefix_str(const struct ifp_route *r, char *out, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (r->v6) {
		inet_ntop(AF_INET6, r->prefix6, ip, sizeof(ip));
	} else {
		uint32_t a = htonl(r->prefix);

		inet_ntop(AF_INET, &a, ip, sizeof(ip));
	}
	snprintf(out, len, "%s/%u", ip, r->depth);
}

/* the words of an `unreachable` route's code, as the file gives them */
static const char *
ifp_route_code_name(const struct ifp_route *r)
{
	if (r->arg == (r->v6 ? IFP_ROUTE_PROHIBITED6 : IFP_ROUTE_PROHIBITED4))
		return "prohibited";
	for (unsigned int i = 0; i < ifp_route_n_codes; i++)
		if ((r->v6 ? ifp_route_codes[i].code6 : ifp_route_codes[i].code4) ==
		    (int16_t)r->arg)
			return ifp_route_codes[i].name;
	return NULL;
}

void
ifp_route_action_str(const struct ifp_route *r, char *out, size_t len)
{
	const char *name;

	switch (r->action) {
	case IFP_ROUTE_UNREACHABLE:
		name = ifp_route_code_name(r);
		if (name != NULL && strcmp(name, "prohibited") == 0)
			snprintf(out, len, "prohibited");
		else if (name != NULL)
			snprintf(out, len, "unreachable %s", name);
		else
			snprintf(out, len, "unreachable %u", r->arg);
		break;
	case IFP_ROUTE_MTU:
		snprintf(out, len, "mtu %u", r->arg);
		break;
	case IFP_ROUTE_MODEM:
		snprintf(out, len, "modem %u", r->modem);
		break;
	default:
		snprintf(out, len, "drop");
		break;
	}
}

void
ifp_route_str(const struct ifp_route *r, char *out, size_t len)
{
	char pfx[INET6_ADDRSTRLEN + 4], act[32];

	ifp_route_prefix_str(r, pfx, sizeof(pfx));
	ifp_route_action_str(r, act, sizeof(act));
	snprintf(out, len, "%s = %s", pfx, act);
}

static int
ifp_route_add_error(const struct ifp_route *r, const char *path, int rc,
		    char *err, size_t errlen)
{
	char pfx[INET6_ADDRSTRLEN + 4];

	ifp_route_prefix_str(r, pfx, sizeof(pfx));
	snprintf(err, errlen,
		 "%s:%u: route '%s' cannot be added to the routing table: %s",
		 path, r->line, pfx, strerror(-rc));
	return -1;
}

/*
 * Do @p a and @p b hold the same routes of one family (@p v6) in its
 * table: the same prefixes at the same indexes? Then the tables built from
 * them are the same.
 */
static bool
ifp_routes_same(const struct ifp_conf *a, const struct ifp_conf *b, bool v6)
{
	uint32_t n = RTE_MAX(a->n_routes, b->n_routes);

	for (uint32_t i = 0; i < n; i++) {
		const struct ifp_route *x = i < a->n_routes ? &a->route[i] : NULL;
		const struct ifp_route *y = i < b->n_routes ? &b->route[i] : NULL;
		bool in_x = x != NULL && x->v6 == v6 && x->depth > 0;
		bool in_y = y != NULL && y->v6 == v6 && y->depth > 0;

		if (in_x != in_y)
			return false;
		if (in_x && (x->depth != y->depth ||
			     (v6 ? memcmp(x->prefix6, y->prefix6, 16) != 0
				 : x->prefix != y->prefix)))
			return false;
	}
	return true;
}

int
ifp_routes_build_from(struct ifp_conf *c, const struct ifp_conf *old,
		      const char *path, const char *name, int socket,
		      unsigned int n_workers, char *err, size_t errlen)
{
	uint32_t in4 = 0, in6 = 0, tbl8s6 = 0;
	char name6[RTE_LPM6_NAMESIZE];

	c->lpm = NULL;
	c->lpm6 = NULL;
	c->lpm_borrowed = c->lpm6_borrowed = false;
	if (ifp_routes_hits_alloc(c, n_workers) < 0) {
		snprintf(err, errlen, "%s: the route hits: out of memory", path);
		return -1;
	}
	c->route_default = IFP_ROUTE_NONE;
	c->route_default6 = IFP_ROUTE_NONE;
	for (uint32_t i = 0; i < c->n_routes; i++) {
		const struct ifp_route *r = &c->route[i];

		if (r->depth == 0 && r->v6) {
			c->route_default6 = i;
		} else if (r->depth == 0) {
			c->route_default = i;
		} else if (!r->v6) {
			in4++;
		} else {
			/* rte_lpm6 resolves the first 24 bits in one table and
			 * each further octet in a tbl8 group: a prefix needs
			 * one group per octet past the third, at most */
			in6++;
			if (r->depth > 24)
				tbl8s6 += (r->depth - 24u + 7) / 8;
		}
	}
	if (old != NULL && old->lpm != NULL && ifp_routes_same(c, old, false)) {
		c->lpm = old->lpm;
		c->lpm_borrowed = true;
		in4 = 0;
	}
	if (old != NULL && old->lpm6 != NULL && ifp_routes_same(c, old, true)) {
		c->lpm6 = old->lpm6;
		c->lpm6_borrowed = true;
		in6 = 0;
	}
	if (in4 > 0) {
		struct rte_lpm_config lc = {
			.max_rules = RTE_MAX(in4, 16u),
			/* every /24 or shorter prefix fits tbl24; each
			 * longer one needs at most one tbl8 group */
			.number_tbl8s = RTE_MAX(in4, 16u),
		};

		c->lpm = rte_lpm_create(name, socket, &lc);
		if (c->lpm == NULL) {
			snprintf(err, errlen, "%s: the routing table cannot be made: %s",
				 path, rte_strerror(rte_errno));
			ifp_routes_free(c);
			return -1;
		}
	}
	if (in6 > 0) {
		struct rte_lpm6_config lc = {
			.max_rules = RTE_MAX(in6, 16u),
			.number_tbl8s = RTE_MAX(tbl8s6, 16u),
		};

		snprintf(name6, sizeof(name6), "%s6", name);
		c->lpm6 = rte_lpm6_create(name6, socket, &lc);
		if (c->lpm6 == NULL) {
			snprintf(err, errlen, "%s: the IPv6 routing table cannot be made: %s",
				 path, rte_strerror(rte_errno));
			ifp_routes_free(c);
			return -1;
		}
	}
	for (uint32_t i = 0; i < c->n_routes; i++) {
		const struct ifp_route *r = &c->route[i];
		int rc;

		if (r->depth == 0 || (r->v6 ? c->lpm6_borrowed : c->lpm_borrowed))
			continue;
		rc = r->v6 ? rte_lpm6_add(c->lpm6, r->prefix6, r->depth, i)
			   : rte_lpm_add(c->lpm, r->prefix, r->depth, i);
		if (rc < 0) {
			ifp_routes_free(c);
			return ifp_route_add_error(r, path, rc, err, errlen);
		}
	}
	return 0;
}

int
ifp_routes_build(struct ifp_conf *c, const char *path, const char *name,
		 int socket, unsigned int n_workers, char *err, size_t errlen)
{
	return ifp_routes_build_from(c, NULL, path, name, socket, n_workers, err,
				     errlen);
}

int
ifp_routes_hits_alloc(struct ifp_conf *c, unsigned int n_workers)
{
	/* counters a cache line holds: a row never shares a line */
	const uint32_t per_line = RTE_CACHE_LINE_SIZE / sizeof(uint64_t);
	uint32_t stride = RTE_ALIGN_CEIL(RTE_MAX(c->n_routes, 1u), per_line);
	size_t size;

	n_workers = RTE_MAX(n_workers, 1u);
	size = (size_t)n_workers * stride * sizeof(uint64_t);
	free(c->route_hits);
	c->route_hits = aligned_alloc(RTE_CACHE_LINE_SIZE, size);
	if (c->route_hits == NULL)
		return -1;
	memset(c->route_hits, 0, size);
	c->route_hits_stride = stride;
	c->route_hits_workers = n_workers;
	return 0;
}

uint64_t
ifp_route_hits(const struct ifp_conf *c, uint32_t i)
{
	uint64_t n = 0;

	if (c->route_hits == NULL || i >= c->n_routes)
		return 0;
	for (uint32_t w = 0; w < c->route_hits_workers; w++)
		n += ((const volatile uint64_t *)c->route_hits)[(size_t)w * c->route_hits_stride + i];
	return n;
}

void
ifp_routes_handover(struct ifp_conf *c, struct ifp_conf *old)
{
	if (c->lpm_borrowed && old->lpm == c->lpm) {
		old->lpm = NULL;
		c->lpm_borrowed = false;
	}
	if (c->lpm6_borrowed && old->lpm6 == c->lpm6) {
		old->lpm6 = NULL;
		c->lpm6_borrowed = false;
	}
}

void
ifp_routes_free(struct ifp_conf *c)
{
	if (!c->lpm_borrowed)
		rte_lpm_free(c->lpm);
	if (!c->lpm6_borrowed)
		rte_lpm6_free(c->lpm6);
	c->lpm = NULL;
	c->lpm6 = NULL;
	c->lpm_borrowed = c->lpm6_borrowed = false;
	free(c->route_hits);
	c->route_hits = NULL;
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_acl.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_jhash.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "ifp_policy.h"

/*
 * How the rte_acl contexts classify (lib/acl/rte_acl.h).
 *
 * Kinds: the key carries its kind one-hot in 16 bits; a rule's field is a
 * BITMASK of value 0 and mask ~kinds. rte_acl's BITMASK matches an input
 * byte b when (b & mask) == (value & mask) (acl_gen_mask() in acl_bld.c),
 * so it matches exactly the one-hot inputs whose bit is in the rule's set:
 * one ACL rule a policy rule, whatever its kinds. Expanding a rule into
 * one ACL rule a kind would do the same with up to 11 times the rules to
 * build (`*` alone is 8), at 65,536 rules a family.
 *
 * Priority: the file's order, the first rule the highest; rte_acl returns
 * the highest-priority match's userdata, which is the rule's index + 1 (0
 * is rte_acl's "no match").
 */
enum {
	F_FAMILY,
	F_KIND,
	F_PAD,
	F_SRC,
};

#define IFP_ACL_FIELDS4 (F_SRC + 2)
#define IFP_ACL_FIELDS6 (F_SRC + 8)

RTE_ACL_RULE_DEF(ifp_acl_rule, IFP_ACL_FIELDS6);

/*
 * rte_acl_build()'s budget for the run-time tries of one family (EAL
 * memory): over it, the builder splits the rules into more tries, then
 * gives up (-ERANGE). 65,536 prefixes a family with one list of kinds
 * (a bogon list) build in 2.6 s into far less; what grows the tries is
 * many distinct lists of kinds and `to` addresses (bench/RESULTS.md,
 * "Issue 21").
 */
#define IFP_ACL_MAX_SIZE_MB 256u

struct ifp_policy_slot {
	uint64_t matched;
	uint64_t denied;
	uint64_t limited;
	uint64_t tat; /**< the rate bucket (ifp_rl_conforms()) */
};

/*
 * A worker's cache of the lookup: (family, kind, source, destination) ->
 * the rule that matches (or IFP_POLICY_DEFAULT), direct-mapped
 * by a CRC of the key. rte_acl walks its tries for some 250 instructions a
 * key (bench/RESULTS.md, "Issue 21") however few the rules; a hit costs a
 * hash and a compare. Only the lookup is cached: the rule's action, its
 * counters and its bucket are applied to every frame. The policy never
 * changes once built, so the cache, part of it, is never stale: a reload
 * builds a new policy with empty caches.
 */
#define IFP_POLICY_CACHE 512

struct ifp_policy_cache_ent {
	struct ifp_policy_key key; /**< family 0: an empty entry */
	/** the slot of the rule that matches: its index, n_rules for the
	 * default */
	uint32_t slot;
	/** what it does to this key's kind (the default resolved: deny
	 * only of the `*` kinds) */
	uint8_t action;
};

/* One worker's state: written by that worker only. */
struct ifp_policy_worker {
	uint64_t hits, misses; /**< of the cache */
	struct ifp_policy_cache_ent cache[IFP_POLICY_CACHE];
	/** one a rule, then the default's counts (tat unused) */
	struct ifp_policy_slot r[];
};

struct ifp_policy {
	struct rte_acl_ctx *acl[2]; /**< [0] IPv4, [1] IPv6; NULL: no rule */
	uint16_t kinds[2]; /**< the kinds some rule of the family names */
	uint8_t def;
	uint32_t n_rules;
	unsigned int n_workers;
	char *path;
	struct ifp_policy_rule *rule;
	struct ifp_rl_rate *rate; /**< of each rule (rate rules only) */
	struct ifp_policy_worker **w;
};

/* The repeat check: (source, to) of earlier rules and their kinds. */
struct ifp_policy_seen {
	uint32_t rule1; /**< index + 1 of the first rule of this (source, to); 0: free */
	uint16_t kinds; /**< the kinds of every rule of it so far */
};

static const char *const kind_names[] = {
#define IFP_X_NAME(e, s, star) [IFP_POLICY_##e] = s,
	IFP_POLICY_KINDS(IFP_X_NAME)
#undef IFP_X_NAME
};

const char *
ifp_policy_kind_name(enum ifp_policy_kind k)
{
	return (unsigned int)k < IFP_POLICY_KIND_MAX ? kind_names[k] : "?";
}

const char *
ifp_policy_action_name(enum ifp_policy_action a)
{
	switch (a) {
	case IFP_POLICY_ALLOW:
		return "allow";
	case IFP_POLICY_DENY:
		return "deny";
	case IFP_POLICY_RATE:
		return "rate";
	}
	return "?";
}

static int
pol_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- the section as read ---- */

void
ifp_policy_conf_init(struct ifp_policy_conf *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->def = IFP_POLICY_ALLOW;
}

void
ifp_policy_conf_free(struct ifp_policy_conf *pc)
{
	free(pc->rule);
	free(pc->seen);
	ifp_policy_conf_init(pc);
}

/* A decimal number of 1 to UINT32_MAX, the whole of @p s. */
static bool
pol_number(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return v > 0;
}

/* An address of either family, the whole of @p s. */
static bool
pol_addr(const char *s, struct ifp_ipx *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->ip4) == 1)
		return true;
	a->v6 = true;
	return inet_pton(AF_INET6, s, a->ip6) == 1;
}

/* Clear the bits of @p a past @p depth; true when some were set. */
static bool
pol_host_bits_clear(struct ifp_ipx *a, uint8_t depth)
{
	uint8_t *b = a->v6 ? a->ip6 : (uint8_t *)&a->ip4;
	unsigned int len = a->v6 ? 16 : 4;
	bool set = false;

	for (unsigned int i = 0; i < len; i++) {
		unsigned int keep = depth >= 8 * (i + 1) ? 8
				    : depth > 8 * i ? depth - 8 * i : 0;
		uint8_t m = (uint8_t)(0xff00u >> keep);

		set |= (b[i] & ~m) != 0;
		b[i] &= m;
	}
	return set;
}

/* SOURCE: ADDRESS/LEN, or an ADDRESS alone (a host: /32, /128). */
static int
pol_source(const char *s, struct ifp_policy_rule *r, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 8], shown[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	uint32_t depth;
	size_t alen = slash != NULL ? (size_t)(slash - s) : strlen(s);

	if (alen >= sizeof(buf))
		return pol_error(err, errlen, "source '%s' is not a prefix", s);
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (!pol_addr(buf, &r->src))
		return pol_error(err, errlen,
				 "source '%s' is not an IPv4 or IPv6 prefix", s);
	if (slash == NULL) {
		depth = r->src.v6 ? 128 : 32;
	} else if (strcmp(slash + 1, "0") == 0) {
		depth = 0;
	} else if (!pol_number(slash + 1, &depth) ||
		   depth > (r->src.v6 ? 128u : 32u)) {
		return pol_error(err, errlen,
				 "source '%s': the length must be 0 to %u", s,
				 r->src.v6 ? 128 : 32);
	}
	r->depth = (uint8_t)depth;
	if (pol_host_bits_clear(&r->src, r->depth)) {
		inet_ntop(r->src.v6 ? AF_INET6 : AF_INET,
			  r->src.v6 ? (const void *)r->src.ip6 : &r->src.ip4,
			  shown, sizeof(shown));
		return pol_error(err, errlen,
				 "source '%s' has host bits set (the prefix is %s/%u)",
				 s, shown, depth);
	}
	return 0;
}

/* KIND[,KIND...], spaces around the commas allowed; `*` for its set. */
static int
pol_kinds(char *s, uint16_t *kinds, char *err, size_t errlen)
{
	*kinds = 0;
	for (char *tok = s, *next; tok != NULL; tok = next) {
		uint16_t bit = 0;
		char *e;

		next = strchr(tok, ',');
		if (next != NULL)
			*next++ = '\0';
		while (isspace((unsigned char)*tok))
			tok++;
		e = tok + strlen(tok);
		while (e > tok && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (*tok == '\0')
			return pol_error(err, errlen,
					 *kinds ? "an empty kind in the list"
						: "no kind: SOURCE [to ADDRESS] KIND[,KIND...]");
		if (strcmp(tok, "*") == 0)
			bit = IFP_POLICY_STAR;
		for (unsigned int k = 0; bit == 0 && k < IFP_POLICY_KIND_MAX; k++)
			if (strcmp(tok, kind_names[k]) == 0)
				bit = IFP_POLICY_BIT(k);
		if (bit == 0)
			return pol_error(err, errlen,
					 "unknown kind '%s' (echo, timestamp, address-mask, extended-echo, time-exceeded, unreachable, packet-too-big, param-problem, neighbour, mld, lpa, or * for all but neighbour, mld and lpa)",
					 tok);
		if ((*kinds & bit) == bit)
			return pol_error(err, errlen, "kind '%s' given twice", tok);
		*kinds |= bit;
	}
	return 0;
}

/* ACTION: allow | deny | rate N/s [burst B] */
static int
pol_action(const char *value, struct ifp_policy_rule *r, char *err,
	   size_t errlen)
{
	char buf[128], *tok[5], *save = NULL;
	unsigned int n = 0;
	size_t len;

	if (strlen(value) >= sizeof(buf))
		return pol_error(err, errlen, "action '%.32s...' is too long", value);
	snprintf(buf, sizeof(buf), "%s", value);
	for (char *t = strtok_r(buf, " \t", &save); t != NULL;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == RTE_DIM(tok))
			return pol_error(err, errlen, "action '%s': extra words", value);
		tok[n++] = t;
	}
	if (n == 0)
		return pol_error(err, errlen, "no action: allow, deny or rate N/s [burst B]");
	if (n == 1 && strcmp(tok[0], "allow") == 0) {
		r->action = IFP_POLICY_ALLOW;
		return 0;
	}
	if (n == 1 && strcmp(tok[0], "deny") == 0) {
		r->action = IFP_POLICY_DENY;
		return 0;
	}
	if (strcmp(tok[0], "rate") != 0)
		return pol_error(err, errlen,
				 "action '%s' is not allow, deny or rate N/s [burst B]",
				 value);
	if (n != 2 && n != 4)
		return pol_error(err, errlen, "action '%s': rate N/s [burst B]", value);
	len = strlen(tok[1]);
	if (len < 3 || strcmp(tok[1] + len - 2, "/s") != 0)
		return pol_error(err, errlen, "rate '%s' is not N/s", tok[1]);
	tok[1][len - 2] = '\0';
	if (strcmp(tok[1], "0") == 0)
		return pol_error(err, errlen, "rate 0/s: use deny to answer nothing");
	if (!pol_number(tok[1], &r->rate))
		return pol_error(err, errlen, "rate '%s/s': N must be 1 to %u",
				 tok[1], UINT32_MAX);
	/* a tenth of a second's worth, at least one: as the echo bucket
	 * of [ratelimit], which has no burst of its own either */
	r->burst = RTE_MAX(r->rate / 10, 1u);
	if (n == 4) {
		if (strcmp(tok[2], "burst") != 0)
			return pol_error(err, errlen,
					 "action '%s': '%s' where burst B goes",
					 value, tok[2]);
		if (!pol_number(tok[3], &r->burst))
			return pol_error(err, errlen, "burst '%s' must be 1 to %u",
					 tok[3], UINT32_MAX);
	}
	r->action = IFP_POLICY_RATE;
	return 0;
}

/*
 * The next word of *@p p, NUL-terminated, *@p p moved past it and the
 * spaces after it; NULL when the word is the last one (nothing follows).
 */
static char *
pol_word(char **p)
{
	char *w = *p;

	while (**p != '\0' && !isspace((unsigned char)**p))
		(*p)++;
	if (**p == '\0')
		return NULL;
	*(*p)++ = '\0';
	while (isspace((unsigned char)**p))
		(*p)++;
	return w;
}

int
ifp_policy_rule_parse(const char *key, const char *value, uint32_t line,
		      struct ifp_policy_rule *r, char *err, size_t errlen)
{
	char buf[1024], *p, *src, *addr;

	memset(r, 0, sizeof(*r));
	r->line = line;
	if (strlen(key) >= sizeof(buf))
		return pol_error(err, errlen, "rule '%.32s...' is too long", key);
	snprintf(buf, sizeof(buf), "%s", key);
	p = buf;
	while (isspace((unsigned char)*p))
		p++;
	src = pol_word(&p);
	if (src == NULL)
		return pol_error(err, errlen,
				 "rule '%s' is not SOURCE [to ADDRESS] KIND[,KIND...]",
				 key);
	if (pol_source(src, r, err, errlen) < 0)
		return -1;
	if (strncmp(p, "to", 2) == 0 && isspace((unsigned char)p[2])) {
		p += 2;
		while (isspace((unsigned char)*p))
			p++;
		addr = pol_word(&p);
		if (addr == NULL)
			return pol_error(err, errlen, "rule '%s': to ADDRESS KIND[,KIND...]",
					 key);
		if (!pol_addr(addr, &r->to))
			return pol_error(err, errlen, "to '%s' is not an address", addr);
		if (r->to.v6 != r->src.v6)
			return pol_error(err, errlen,
					 "to '%s' is an %s address, the source '%s' an %s prefix",
					 addr, r->to.v6 ? "IPv6" : "IPv4", src,
					 r->src.v6 ? "IPv6" : "IPv4");
		r->has_to = true;
	}
	if (pol_kinds(p, &r->kinds, err, errlen) < 0)
		return -1;
	return pol_action(value, r, err, errlen);
}

/* The bytes that make a rule's (source, to): what a repeat repeats. */
static void
pol_seen_key(const struct ifp_policy_rule *r, uint8_t out[40])
{
	memset(out, 0, 40);
	out[0] = r->src.v6;
	out[1] = r->depth;
	out[2] = r->has_to;
	if (r->src.v6)
		memcpy(out + 4, r->src.ip6, 16);
	else
		memcpy(out + 4, &r->src.ip4, 4);
	if (r->has_to && r->to.v6)
		memcpy(out + 20, r->to.ip6, 16);
	else if (r->has_to)
		memcpy(out + 20, &r->to.ip4, 4);
}

/* The slot of @p r's (source, to) in the table: its own or a free one. */
static struct ifp_policy_seen *
pol_seen_find(struct ifp_policy_seen *seen, uint32_t cap,
	      const struct ifp_policy_rule *rules,
	      const struct ifp_policy_rule *r)
{
	uint8_t k[40], k2[40];
	uint32_t i;

	pol_seen_key(r, k);
	i = rte_jhash(k, sizeof(k), 0) & (cap - 1);
	for (;; i = (i + 1) & (cap - 1)) {
		if (seen[i].rule1 == 0)
			return &seen[i];
		pol_seen_key(&rules[seen[i].rule1 - 1], k2);
		if (memcmp(k, k2, sizeof(k)) == 0)
			return &seen[i];
	}
}

/* Keep the table at most half full. */
static int
pol_seen_grow(struct ifp_policy_conf *pc)
{
	uint32_t cap = pc->seen_cap ? pc->seen_cap * 2 : 256;
	struct ifp_policy_seen *t;

	if (pc->seen_n * 2 < pc->seen_cap)
		return 0;
	t = calloc(cap, sizeof(*t));
	if (t == NULL)
		return -1;
	for (uint32_t i = 0; i < pc->seen_cap; i++)
		if (pc->seen[i].rule1 != 0)
			*pol_seen_find(t, cap, pc->rule,
				       &pc->rule[pc->seen[i].rule1 - 1]) = pc->seen[i];
	free(pc->seen);
	pc->seen = t;
	pc->seen_cap = cap;
	return 0;
}

int
ifp_policy_entry(struct ifp_policy_conf *pc, const char *key,
		 const char *value, uint32_t line, char *err, size_t errlen)
{
	struct ifp_policy_rule r;
	struct ifp_policy_seen *s;
	unsigned int fam;

	if (strcmp(key, "default") == 0) {
		if (pc->def_line != 0)
			return pol_error(err, errlen, "default given twice (first at line %u)",
					 pc->def_line);
		if (strcmp(value, "allow") == 0)
			pc->def = IFP_POLICY_ALLOW;
		else if (strcmp(value, "deny") == 0)
			pc->def = IFP_POLICY_DENY;
		else
			return pol_error(err, errlen, "default '%s' is not allow or deny",
					 value);
		pc->def_line = line;
		return 0;
	}
	if (ifp_policy_rule_parse(key, value, line, &r, err, errlen) < 0)
		return -1;
	fam = r.src.v6;
	if (pc->n_family[fam] == IFP_POLICY_RULES_MAX)
		return pol_error(err, errlen, "more than %u %s rules", IFP_POLICY_RULES_MAX,
				 fam ? "IPv6" : "IPv4");
	if (pol_seen_grow(pc) < 0)
		return pol_error(err, errlen, "out of memory");
	s = pol_seen_find(pc->seen, pc->seen_cap, pc->rule, &r);
	if (s->rule1 != 0 && (r.kinds & ~s->kinds) == 0)
		return pol_error(err, errlen,
				 "repeats the source%s and kinds of line %u and after: it would never match",
				 r.has_to ? ", to" : "", pc->rule[s->rule1 - 1].line);
	if (pc->n_rules == pc->cap) {
		uint32_t cap = pc->cap ? pc->cap * 2 : 64;
		struct ifp_policy_rule *t = realloc(pc->rule, cap * sizeof(*t));

		if (t == NULL)
			return pol_error(err, errlen, "out of memory");
		pc->rule = t;
		pc->cap = cap;
	}
	pc->rule[pc->n_rules] = r;
	if (s->rule1 == 0) {
		s->rule1 = pc->n_rules + 1;
		pc->seen_n++;
	}
	s->kinds |= r.kinds;
	pc->n_rules++;
	pc->n_family[fam]++;
	return 0;
}

bool
ifp_policy_own_conf(const struct ifp_ipx *a, const void *conf)
{
	const struct ifp_conf *c = conf;

	for (unsigned int p = 0; p < IFP_MAX_PORTS; p++) {
		const struct ifp_port_conf *pc = &c->port[p];

		if (!pc->present)
			continue;
		for (unsigned int i = 0; !a->v6 && i < pc->n_addr; i++)
			if (pc->addr[i].ip == a->ip4)
				return true;
		for (unsigned int i = pc->ll_auto ? 1 : 0; a->v6 && i < pc->n_addr6; i++)
			if (memcmp(pc->addr6[i].ip, a->ip6, 16) == 0)
				return true;
	}
	return false;
}

int
ifp_policy_finish(const struct ifp_policy_conf *pc, ifp_policy_own_fn *own,
		  const void *arg, uint32_t *line, char *err, size_t errlen)
{
	char ip[INET6_ADDRSTRLEN];

	for (uint32_t i = 0; i < pc->n_rules; i++) {
		const struct ifp_policy_rule *r = &pc->rule[i];

		if (!r->has_to || own(&r->to, arg))
			continue;
		*line = r->line;
		inet_ntop(r->to.v6 ? AF_INET6 : AF_INET,
			  r->to.v6 ? (const void *)r->to.ip6 : &r->to.ip4, ip,
			  sizeof(ip));
		return pol_error(err, errlen, "to %s is not an address of this box", ip);
	}
	return 0;
}

void
ifp_policy_rule_str(const struct ifp_policy_rule *r, char *out, size_t len)
{
	char src[INET6_ADDRSTRLEN], to[INET6_ADDRSTRLEN + 4] = "";
	char kinds[160] = "", action[64];
	uint16_t k = r->kinds;
	size_t n = 0;

	inet_ntop(r->src.v6 ? AF_INET6 : AF_INET,
		  r->src.v6 ? (const void *)r->src.ip6 : &r->src.ip4, src,
		  sizeof(src));
	if (r->has_to) {
		memcpy(to, " to ", 4);
		inet_ntop(r->to.v6 ? AF_INET6 : AF_INET,
			  r->to.v6 ? (const void *)r->to.ip6 : &r->to.ip4, to + 4,
			  sizeof(to) - 4);
	}
	if ((k & IFP_POLICY_STAR) == IFP_POLICY_STAR) {
		n += (size_t)snprintf(kinds, sizeof(kinds), "*");
		k &= (uint16_t)~IFP_POLICY_STAR;
	}
	for (unsigned int i = 0; i < IFP_POLICY_KIND_MAX && n < sizeof(kinds); i++)
		if (k & IFP_POLICY_BIT(i))
			n += (size_t)snprintf(kinds + n, sizeof(kinds) - n, "%s%s",
					      n ? "," : "", kind_names[i]);
	if (r->action == IFP_POLICY_RATE)
		snprintf(action, sizeof(action), "rate %u/s burst %u", r->rate,
			 r->burst);
	else
		snprintf(action, sizeof(action), "%s",
			 ifp_policy_action_name(r->action));
	snprintf(out, len, "%s/%u%s %s = %s", src, r->depth, to, kinds, action);
}

void
ifp_policy_key(struct ifp_policy_key *k, const struct ifp_ipx *src,
	       const struct ifp_ipx *dst, enum ifp_policy_kind kind)
{
	if (src->v6)
		ifp_policy_key6(k, src->ip6, dst->ip6, kind);
	else
		ifp_policy_key4(k, src->ip4, dst->ip4, kind);
}

/* ---- the built policy ---- */

/*
 * Field definitions of one family's context: IPv4 (5) or IPv6 (11). The
 * trie's levels follow this order, not the key's: the addresses first,
 * then the kind, whose rule sets are many and overlapping. Walked kind
 * first, every set of kinds would split the tries from their top, and
 * 10,000 rules take seconds more to build.
 */
static uint32_t
pol_acl_defs(bool v6, struct rte_acl_field_def *d)
{
	uint32_t n = 0, words = v6 ? 4 : 1;
	uint32_t src = v6 ? offsetof(struct ifp_policy_key, ip6.src)
			  : offsetof(struct ifp_policy_key, ip4.src);
	uint32_t dst = v6 ? offsetof(struct ifp_policy_key, ip6.dst)
			  : offsetof(struct ifp_policy_key, ip4.dst);

	d[n++] = (struct rte_acl_field_def){
		.type = RTE_ACL_FIELD_TYPE_BITMASK, .size = 1,
		.field_index = F_FAMILY, .input_index = 0,
		.offset = offsetof(struct ifp_policy_key, family),
	};
	for (uint32_t a = 0; a < 2; a++)
		for (uint32_t w = 0; w < words; w++) {
			d[n] = (struct rte_acl_field_def){
				.type = RTE_ACL_FIELD_TYPE_MASK, .size = 4,
				.field_index = (uint8_t)(F_SRC + n - 1),
				.input_index = (uint8_t)n,
				.offset = (a ? dst : src) + 4 * w,
			};
			n++;
		}
	/* kind and pad make one group of four bytes */
	d[n++] = (struct rte_acl_field_def){
		.type = RTE_ACL_FIELD_TYPE_BITMASK, .size = 2,
		.field_index = F_KIND, .input_index = (uint8_t)(2 * words + 1),
		.offset = offsetof(struct ifp_policy_key, kind),
	};
	d[n++] = (struct rte_acl_field_def){
		.type = RTE_ACL_FIELD_TYPE_BITMASK, .size = 2,
		.field_index = F_PAD, .input_index = (uint8_t)(2 * words + 1),
		.offset = offsetof(struct ifp_policy_key, pad1),
	};
	return n;
}

/* The MASK fields of an address of @p words words, /@p depth. */
static void
pol_acl_addr(struct rte_acl_field *f, const struct ifp_ipx *a, uint32_t depth,
	     uint32_t words)
{
	for (uint32_t w = 0; w < words; w++) {
		uint32_t word;

		memcpy(&word, a->v6 ? a->ip6 + 4 * w : (const uint8_t *)&a->ip4, 4);
		f[w].value.u32 = rte_be_to_cpu_32(word);
		f[w].mask_range.u32 = depth > 32 * w ? RTE_MIN(depth - 32 * w, 32u) : 0;
	}
}

static void
pol_acl_rule(const struct ifp_policy_rule *r, uint32_t index,
	     uint32_t in_family, struct ifp_acl_rule *a)
{
	uint32_t words = r->src.v6 ? 4 : 1;

	memset(a, 0, sizeof(*a));
	a->data.category_mask = 1;
	a->data.priority = (int32_t)(RTE_ACL_MAX_PRIORITY - in_family);
	a->data.userdata = index + 1;
	a->field[F_FAMILY].value.u8 = r->src.v6 ? 6 : 4;
	a->field[F_FAMILY].mask_range.u8 = 0xff;
	a->field[F_KIND].value.u16 = 0;
	a->field[F_KIND].mask_range.u16 = (uint16_t)~r->kinds;
	pol_acl_addr(&a->field[F_SRC], &r->src, r->depth, words);
	if (r->has_to)
		pol_acl_addr(&a->field[F_SRC + words], &r->to, 32 * words, words);
}

/* The context of one family's rules, or NULL with @p err. */
static struct rte_acl_ctx *
pol_acl_build(const struct ifp_policy_conf *pc, bool v6, const char *name,
	      int socket, char *err, size_t errlen)
{
	char cname[RTE_ACL_NAMESIZE];
	struct rte_acl_config cfg = {.num_categories = 1,
				     .max_size = (size_t)IFP_ACL_MAX_SIZE_MB << 20};
	struct rte_acl_param prm = {
		.name = cname,
		.socket_id = socket,
		.max_rule_num = pc->n_family[v6],
	};
	struct rte_acl_ctx *ctx;
	struct ifp_acl_rule *rules;
	uint32_t n = 0;
	int rc;

	cfg.num_fields = pol_acl_defs(v6, cfg.defs);
	prm.rule_size = RTE_ACL_RULE_SZ(cfg.num_fields);
	snprintf(cname, sizeof(cname), "%s%d", name, v6 ? 6 : 4);
	rules = calloc(pc->n_family[v6], sizeof(*rules));
	if (rules == NULL) {
		pol_error(err, errlen, "out of memory");
		return NULL;
	}
	for (uint32_t i = 0; i < pc->n_rules; i++)
		if (pc->rule[i].src.v6 == v6) {
			pol_acl_rule(&pc->rule[i], i, n, &rules[n]);
			n++;
		}
	ctx = rte_acl_create(&prm);
	if (ctx == NULL) {
		free(rules);
		pol_error(err, errlen, "the %s policy table cannot be made: %s",
			  v6 ? "IPv6" : "IPv4", rte_strerror(rte_errno));
		return NULL;
	}
	/* one at a time: rte_acl reads rule_size bytes a rule, and an IPv4
	 * rule is shorter than struct ifp_acl_rule */
	rc = 0;
	for (uint32_t i = 0; rc == 0 && i < n; i++)
		rc = rte_acl_add_rules(ctx, (const struct rte_acl_rule *)&rules[i], 1);
	free(rules);
	if (rc == 0)
		rc = rte_acl_build(ctx, &cfg);
	if (rc == -ERANGE) {
		rte_acl_free(ctx);
		pol_error(err, errlen,
			  "the %s policy table would need more than %u MiB: fewer distinct lists of kinds and fewer 'to' make it smaller",
			  v6 ? "IPv6" : "IPv4", IFP_ACL_MAX_SIZE_MB);
		return NULL;
	}
	if (rc != 0) {
		rte_acl_free(ctx);
		pol_error(err, errlen, "the %s policy table cannot be built: %s",
			  v6 ? "IPv6" : "IPv4", strerror(-rc));
		return NULL;
	}
	return ctx;
}

int
ifp_policy_build(const struct ifp_policy_conf *pc, const char *path,
		 const char *name, int socket, unsigned int n_workers,
		 struct ifp_policy **out, char *err, size_t errlen)
{
	struct ifp_policy *p;

	*out = NULL;
	if (pc->n_rules == 0 && pc->def == IFP_POLICY_ALLOW)
		return 0;
	n_workers = RTE_MAX(n_workers, 1u);
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return pol_error(err, errlen, "%s: out of memory", path);
	p->def = pc->def;
	p->n_rules = pc->n_rules;
	p->n_workers = n_workers;
	p->path = strdup(path);
	p->rule = malloc(RTE_MAX(pc->n_rules, 1u) * sizeof(*p->rule));
	p->rate = calloc(RTE_MAX(pc->n_rules, 1u), sizeof(*p->rate));
	p->w = calloc(n_workers, sizeof(*p->w));
	if (p->path == NULL || p->rule == NULL || p->rate == NULL || p->w == NULL)
		goto nomem;
	memcpy(p->rule, pc->rule, pc->n_rules * sizeof(*p->rule));
	for (uint32_t i = 0; i < pc->n_rules; i++)
		p->kinds[p->rule[i].src.v6] |= p->rule[i].kinds;
	for (uint32_t i = 0; i < pc->n_rules; i++)
		if (p->rule[i].action == IFP_POLICY_RATE)
			ifp_rl_rate_update(&p->rate[i], p->rule[i].rate,
					   p->rule[i].burst, n_workers);
	for (unsigned int i = 0; i < n_workers; i++) {
		p->w[i] = rte_zmalloc_socket(name,
					     sizeof(struct ifp_policy_worker) +
						     (pc->n_rules + 1) * sizeof(struct ifp_policy_slot),
					     RTE_CACHE_LINE_SIZE, socket);
		if (p->w[i] == NULL)
			goto nomem;
	}
	for (unsigned int v6 = 0; v6 < 2; v6++) {
		if (pc->n_family[v6] == 0)
			continue;
		p->acl[v6] = pol_acl_build(pc, v6, name, socket, err, errlen);
		if (p->acl[v6] == NULL) {
			char why[256];

			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errlen, "%s: %s", path, why);
			ifp_policy_free(p);
			return -1;
		}
	}
	*out = p;
	return 0;
nomem:
	ifp_policy_free(p);
	return pol_error(err, errlen, "%s: the policy: out of memory", path);
}

void
ifp_policy_free(struct ifp_policy *p)
{
	if (p == NULL)
		return;
	rte_acl_free(p->acl[0]);
	rte_acl_free(p->acl[1]);
	for (unsigned int i = 0; p->w != NULL && i < p->n_workers; i++)
		rte_free(p->w[i]);
	free(p->w);
	free(p->rate);
	free(p->rule);
	free(p->path);
	free(p);
}

uint32_t
ifp_policy_n_rules(const struct ifp_policy *p)
{
	return p->n_rules;
}

const struct ifp_policy_rule *
ifp_policy_rule(const struct ifp_policy *p, uint32_t i)
{
	return &p->rule[i];
}

const char *
ifp_policy_path(const struct ifp_policy *p)
{
	return p->path;
}

enum ifp_policy_action
ifp_policy_default(const struct ifp_policy *p)
{
	return p->def;
}

/* ifp_policy_classify() of the @p n keys @p data points to */
static void
pol_classify(const struct ifp_policy *p, int family, const uint8_t **data,
	     uint32_t n, uint32_t *results)
{
	const struct rte_acl_ctx *ctx = p->acl[family == 6];
	uint16_t kinds = 0;

	RTE_ASSERT(n <= IFP_POLICY_BURST_MAX);
	/* a burst of kinds no rule names (echo, when only errors are
	 * filtered) matches nothing: no walk of the tries, which costs
	 * some 250 instructions a key (bench/RESULTS.md, "Issue 21") */
	for (uint32_t i = 0; ctx != NULL && i < n; i++)
		kinds |= ((const struct ifp_policy_key *)data[i])->kind;
	if (ctx == NULL ||
	    (rte_be_to_cpu_16(kinds) & p->kinds[family == 6]) == 0) {
		for (uint32_t i = 0; i < n; i++)
			results[i] = IFP_POLICY_DEFAULT;
		return;
	}
	rte_acl_classify(ctx, data, results, n, 1);
	/* userdata is the index + 1; 0, no match, becomes UINT32_MAX */
	for (uint32_t i = 0; i < n; i++)
		results[i] -= 1;
}

void
ifp_policy_classify(const struct ifp_policy *p, int family,
		    const struct ifp_policy_key *keys, uint32_t n,
		    uint32_t *results)
{
	const uint8_t *data[IFP_POLICY_BURST_MAX];

	for (uint32_t i = 0; i < n; i++)
		data[i] = (const uint8_t *)&keys[i];
	pol_classify(p, family, data, n, results);
}

/* CRC32-C of @p data onto @p init: the instruction itself where the
 * build has SSE4.2 (rte_hash_crc_8byte() tests for it on every call) */
static __rte_always_inline uint32_t
pol_crc64(uint64_t data, uint32_t init)
{
#if defined(RTE_ARCH_X86_64) && defined(__SSE4_2__)
	return (uint32_t)_mm_crc32_u64(init, data);
#else
	return rte_hash_crc_8byte(data, init);
#endif
}

static __rte_always_inline uint64_t
pol_load64(const uint8_t *b)
{
	uint64_t v;

	memcpy(&v, b, sizeof(v));
	return v;
}

/*
 * The cache entry of @p k (@p len bytes of it): a CRC of the kind and of
 * the addresses (IPv4: both whole; IPv6: the two low halves XORed); the
 * compare then checks every byte.
 */
static __rte_always_inline uint32_t
pol_cache_slot(const struct ifp_policy_key *k, uint32_t len)
{
	const uint8_t *b = (const uint8_t *)k;
	const uint32_t seed = (uint32_t)(pol_load64(b) >> 32);

	if (len > 16) /* the source's and the destination's low halves */
		return pol_crc64(pol_load64(b + 16) ^ pol_load64(b + 32), seed) &
		       (IFP_POLICY_CACHE - 1);
	return pol_crc64(pol_load64(b + 8), seed) & (IFP_POLICY_CACHE - 1);
}

/* Is @p a (of @p r's family) in @p r's source prefix? */
static bool
pol_in_prefix(const struct ifp_policy_rule *r, const uint8_t *a)
{
	const uint8_t *pfx = r->src.v6 ? r->src.ip6 : (const uint8_t *)&r->src.ip4;
	unsigned int full = r->depth / 8, rest = r->depth % 8;

	return memcmp(a, pfx, full) == 0 &&
	       (rest == 0 || ((a[full] ^ pfx[full]) & (0xff00u >> rest)) == 0);
}

uint32_t
ifp_policy_match_linear(const struct ifp_policy *p,
			const struct ifp_policy_key *key)
{
	bool v6 = key->family == 6;
	const uint8_t *src = v6 ? key->ip6.src : (const uint8_t *)&key->ip4.src;
	const uint8_t *dst = v6 ? key->ip6.dst : (const uint8_t *)&key->ip4.dst;
	uint16_t kind = rte_be_to_cpu_16(key->kind);

	for (uint32_t i = 0; i < p->n_rules; i++) {
		const struct ifp_policy_rule *r = &p->rule[i];

		if (r->src.v6 == v6 && (r->kinds & kind) != 0 &&
		    pol_in_prefix(r, src) &&
		    (!r->has_to ||
		     memcmp(dst, v6 ? r->to.ip6 : (const uint8_t *)&r->to.ip4,
			    v6 ? 16 : 4) == 0))
			return i;
	}
	return IFP_POLICY_DEFAULT;
}

/*
 * The cache entry of classification result @p res (a rule's index, or
 * IFP_POLICY_DEFAULT) for kind bit @p kind: the slot that counts it and
 * the action, the default's resolved (it is of the `*` kinds: neighbour,
 * mld and lpa are denied only by a rule that names them).
 */
static void
pol_resolve(const struct ifp_policy *p, uint32_t res, uint16_t kind,
	    struct ifp_policy_cache_ent *e)
{
	if (res == IFP_POLICY_DEFAULT) {
		e->slot = p->n_rules;
		e->action = p->def == IFP_POLICY_DENY && (kind & IFP_POLICY_STAR)
				    ? IFP_POLICY_DENY
				    : IFP_POLICY_ALLOW;
		return;
	}
	e->slot = res;
	e->action = (uint8_t)p->rule[res].action;
}

/* Apply cache entry @p e to a frame: count it, take a rate rule's token. */
static __rte_always_inline enum ifp_policy_verdict
pol_apply(const struct ifp_policy *p, struct ifp_policy_worker *w,
	  const struct ifp_policy_cache_ent *e, uint64_t now_ns)
{
	struct ifp_policy_slot *s = &w->r[e->slot];
	uint64_t next;

	s->matched++;
	if (likely(e->action == IFP_POLICY_ALLOW))
		return IFP_POLICY_SEND;
	if (e->action == IFP_POLICY_DENY) {
		s->denied++;
		return IFP_POLICY_DROP;
	}
	if (!ifp_rl_conforms(s->tat, &p->rate[e->slot], now_ns, &next)) {
		s->limited++;
		return IFP_POLICY_LIMITED;
	}
	s->tat = next;
	return IFP_POLICY_SEND;
}

/* Are the first @p len bytes (16 or 40, a multiple of 8) of two keys equal? */
static __rte_always_inline bool
pol_key_eq(const struct ifp_policy_key *a, const struct ifp_policy_key *b,
	   uint32_t len)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
	uint64_t d = 0;

	for (uint32_t o = 0; o < len; o += 8) {
		uint64_t u, v;

		memcpy(&u, x + o, 8);
		memcpy(&v, y + o, 8);
		d |= u ^ v;
	}
	return d == 0;
}

/*
 * The keys the cache missed (@p data, of family @p family, going to
 * cache slots @p mslot, frames @p miss): to rte_acl in one call, then
 * into the cache, and applied. Returns the frames not to send.
 */
static uint64_t
pol_misses(const struct ifp_policy *p, struct ifp_policy_worker *w, int family,
	   const uint8_t **data, const uint32_t *mslot, const uint8_t *miss,
	   uint32_t nm, uint64_t now_ns, uint8_t *verdicts)
{
	uint32_t mres[IFP_POLICY_BURST_MAX];
	uint64_t other = 0;

	w->misses += nm;
	pol_classify(p, family, data, nm, mres);
	for (uint32_t j = 0; j < nm; j++) {
		const struct ifp_policy_key *k = (const struct ifp_policy_key *)data[j];
		struct ifp_policy_cache_ent *e = &w->cache[mslot[j]];
		const uint32_t i = miss[j];

		memcpy(&e->key, k, sizeof(e->key));
		pol_resolve(p, mres[j], rte_be_to_cpu_16(k->kind), e);
		verdicts[i] = (uint8_t)pol_apply(p, w, e, now_ns);
		other |= (uint64_t)(verdicts[i] != IFP_POLICY_SEND) << i;
	}
	return other;
}

/*
 * ifp_policy_decide_burst() for keys of @p len bytes (a constant in each
 * caller): a hit is a CRC, a compare and the rule applied; the misses go
 * to rte_acl in one call, then into the cache. An empty entry's family is
 * 0, which no key has.
 */
static __rte_always_inline uint64_t
pol_decide(const struct ifp_policy *p, struct ifp_policy_worker *w, int family,
	   const struct ifp_policy_key *keys, uint32_t n, uint64_t now_ns,
	   uint8_t *verdicts, uint32_t len)
{
	uint32_t mslot[IFP_POLICY_BURST_MAX], nm = 0;
	const uint8_t *data[IFP_POLICY_BURST_MAX];
	uint8_t miss[IFP_POLICY_BURST_MAX];
	uint64_t other = 0;

	RTE_ASSERT(n <= IFP_POLICY_BURST_MAX);
	for (uint32_t i = 0; i < n; i++) {
		const uint32_t slot = pol_cache_slot(&keys[i], len);
		const struct ifp_policy_cache_ent *e = &w->cache[slot];

		if (likely(pol_key_eq(&e->key, &keys[i], len))) {
			const uint8_t v = (uint8_t)pol_apply(p, w, e, now_ns);

			verdicts[i] = v;
			other |= (uint64_t)(v != IFP_POLICY_SEND) << i;
			continue;
		}
		data[nm] = (const uint8_t *)&keys[i];
		mslot[nm] = slot;
		miss[nm++] = (uint8_t)i;
	}
	w->hits += n - nm;
	if (likely(nm == 0))
		return other;
	return other | pol_misses(p, w, family, data, mslot, miss, nm, now_ns,
				  verdicts);
}

/* Are a key's addresses @p k (source, destination: 32 bytes) those of
 * the header's @p a (destination, source: 16 bytes each) swapped? */
static __rte_always_inline bool
pol_eq32_swapped(const uint8_t *k, const uint8_t *a)
{
#if defined(RTE_ARCH_X86) && defined(__SSE4_1__)
	const __m128i d = _mm_or_si128(
		_mm_xor_si128(_mm_loadu_si128((const void *)k),
			      _mm_loadu_si128((const void *)(a + 16))),
		_mm_xor_si128(_mm_loadu_si128((const void *)(k + 16)),
			      _mm_loadu_si128((const void *)a)));

	return _mm_testz_si128(d, d);
#else
	return ((pol_load64(k) ^ pol_load64(a + 16)) |
		(pol_load64(k + 8) ^ pol_load64(a + 24)) |
		(pol_load64(k + 16) ^ pol_load64(a)) |
		(pol_load64(k + 24) ^ pol_load64(a + 8))) == 0;
#endif
}

/* The first eight bytes of an echo key of @p family: family, kind. */
static __rte_always_inline uint64_t
pol_echo_head(int family)
{
	struct ifp_policy_key k;
	uint64_t h;

	memset(&k, 0, sizeof(k));
	k.family = (uint8_t)family;
	k.kind = rte_cpu_to_be_16(IFP_POLICY_BIT(IFP_POLICY_ECHO));
	memcpy(&h, &k, sizeof(h));
	return h;
}

uint64_t
ifp_policy_decide_replies(const struct ifp_policy *p, unsigned int worker,
			  struct rte_mbuf *const *pkts, uint64_t mask,
			  uint64_t now_ns, uint8_t *verdicts)
{
	/* the reply goes from the box (source) to the requester
	 * (destination): the key's source is the header's destination */
	const uint64_t head4 = pol_echo_head(4), head6 = pol_echo_head(6);
	const uint32_t seed4 = (uint32_t)(head4 >> 32), seed6 = (uint32_t)(head6 >> 32);
	struct ifp_policy_worker *w = p->w[worker];
	uint32_t mslot[2][IFP_POLICY_BURST_MAX], nm[2] = {0, 0}, nhit = 0;
	uint8_t miss[2][IFP_POLICY_BURST_MAX];
	uint64_t other = 0;

	for (; mask != 0; mask &= mask - 1) {
		const unsigned int i = (unsigned int)__builtin_ctzll(mask);
		const uint8_t *l3 = rte_pktmbuf_mtod_offset(pkts[i], const uint8_t *,
							    sizeof(struct rte_ether_hdr));
		const struct ifp_policy_cache_ent *e;
		enum ifp_policy_verdict v;
		const uint8_t *k;
		uint32_t slot;
		int v6;

		if ((l3[0] >> 4) == 4) {
			/* 12: source (the box), 16: destination */
			const uint64_t a = pol_load64(l3 + 12);
			const uint64_t sd = (a >> 32) | (a << 32);

			slot = pol_crc64(sd, seed4) & (IFP_POLICY_CACHE - 1);
			e = &w->cache[slot];
			k = (const uint8_t *)&e->key;
			if (likely(pol_load64(k) == head4 && pol_load64(k + 8) == sd))
				goto hit;
			v6 = 0;
		} else {
			/* 8: source (the box), 24: destination; the hash of
			 * pol_cache_slot(), the low halves of both */
			slot = pol_crc64(pol_load64(l3 + 32) ^ pol_load64(l3 + 16),
					 seed6) &
			       (IFP_POLICY_CACHE - 1);
			e = &w->cache[slot];
			k = (const uint8_t *)&e->key;
			if (likely(pol_load64(k) == head6 &&
				   pol_eq32_swapped(k + 8, l3 + 8)))
				goto hit;
			v6 = 1;
		}
		mslot[v6][nm[v6]] = slot;
		miss[v6][nm[v6]++] = (uint8_t)i;
		continue;
hit:
		nhit++;
		v = pol_apply(p, w, e, now_ns);
		if (unlikely(v != IFP_POLICY_SEND)) {
			verdicts[i] = (uint8_t)v;
			other |= 1ULL << i;
		}
	}
	w->hits += nhit;
	for (int v6 = 0; v6 < 2; v6++) {
		struct ifp_policy_key keys[IFP_POLICY_BURST_MAX];
		const uint8_t *data[IFP_POLICY_BURST_MAX];

		if (likely(nm[v6] == 0))
			continue;
		for (uint32_t j = 0; j < nm[v6]; j++) {
			const uint8_t *l3 = rte_pktmbuf_mtod_offset(
				pkts[miss[v6][j]], const uint8_t *,
				sizeof(struct rte_ether_hdr));

			if (v6) {
				const struct rte_ipv6_hdr *ip6 = (const void *)l3;

				ifp_policy_key6(&keys[j], ip6->dst_addr, ip6->src_addr,
						IFP_POLICY_ECHO);
			} else {
				const struct rte_ipv4_hdr *ip = (const void *)l3;

				ifp_policy_key4(&keys[j], ip->dst_addr, ip->src_addr,
						IFP_POLICY_ECHO);
			}
			data[j] = (const uint8_t *)&keys[j];
		}
		other |= pol_misses(p, w, v6 ? 6 : 4, data, mslot[v6], miss[v6], nm[v6],
				    now_ns, verdicts);
	}
	return other;
}

uint64_t
ifp_policy_decide_burst(const struct ifp_policy *p, unsigned int worker,
			int family, const struct ifp_policy_key *keys,
			uint32_t n, uint64_t now_ns, uint8_t *verdicts)
{
	struct ifp_policy_worker *w = p->w[worker];

	if (family == 6)
		return pol_decide(p, w, 6, keys, n, now_ns, verdicts,
				  (uint32_t)sizeof(struct ifp_policy_key));
	return pol_decide(p, w, 4, keys, n, now_ns, verdicts, 16);
}

enum ifp_policy_verdict
ifp_policy_decide(const struct ifp_policy *p, unsigned int worker,
		  const struct ifp_policy_key *key, uint64_t now_ns)
{
	uint8_t v;

	ifp_policy_decide_burst(p, worker, key->family, key, 1, now_ns, &v);
	return (enum ifp_policy_verdict)v;
}

void
ifp_policy_counts(const struct ifp_policy *p, uint32_t i,
		  struct ifp_policy_counts *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int k = 0; k < p->n_workers; k++) {
		const struct ifp_policy_slot *s =
			&p->w[k]->r[i == IFP_POLICY_DEFAULT ? p->n_rules : i];

		out->matched += s->matched;
		out->denied += s->denied;
		out->limited += s->limited;
	}
}

void
ifp_policy_cache_stats(const struct ifp_policy *p, unsigned int worker,
		       uint64_t *hits, uint64_t *misses)
{
	*hits = p->w[worker]->hits;
	*misses = p->w[worker]->misses;
}

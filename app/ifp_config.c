/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "ifp_config.h"
#include "ifp_route.h"

#define IFP_CFG_MAX_ENTRIES (IFP_MAX_ROUTES + 64)

/* What the parser of one file carries around to report where it failed. */
struct cfg_ctx {
	const char *path;
	char *err;
	size_t errlen;
};

static int
cfg_error(struct cfg_ctx *x, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(x->err, x->errlen, "%s:%d: ", x->path, line);
	if (n < 0 || (size_t)n >= x->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(x->err + n, x->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *
cfg_strip(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * rte_cfgfile keeps no line numbers, so errors are located by reading the
 * file again: the line of the @p nth (from 0) entry @p key of the @p sec_nth
 * section named @p section, or of that section's header when key is NULL.
 */
static int
cfg_line_of(const char *path, const char *section, int sec_nth,
	    const char *key, int nth)
{
	char buf[1024], cur[CFG_NAME_LEN] = "";
	int line = 0, sec_seen = -1;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *s, *c;

		line++;
		c = strchr(buf, ';');
		if (c != NULL)
			*c = '\0';
		s = cfg_strip(buf);
		if (*s == '[') {
			c = strchr(s, ']');
			if (c != NULL)
				*c = '\0';
			snprintf(cur, sizeof(cur), "%s", cfg_strip(s + 1));
			if (strcmp(cur, section) == 0) {
				sec_seen++;
				if (key == NULL && sec_seen == sec_nth)
					goto out;
			}
			continue;
		}
		if (key == NULL || sec_seen != sec_nth ||
		    strcmp(cur, section) != 0)
			continue;
		c = strchr(s, '=');
		if (c == NULL)
			continue;
		*c = '\0';
		if (strcmp(cfg_strip(s), key) == 0 && nth-- == 0)
			goto out;
	}
	line = 0;
out:
	fclose(f);
	return line;
}

/*
 * Every line must be blank, a comment, a [section] or key = value: checked
 * here with line numbers, since rte_cfgfile reports none to its caller and
 * takes a line without '=' silently.
 */
static int
cfg_syntax_check(struct cfg_ctx *x)
{
	char buf[1024];
	int line = 0;
	bool in_section = false;
	FILE *f = fopen(x->path, "r");

	if (f == NULL)
		return cfg_error(x, 0, "cannot open: %s", strerror(errno));
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *s, *c;
		size_t len = strlen(buf);

		line++;
		if (len > CFG_NAME_LEN + CFG_VALUE_LEN) {
			fclose(f);
			return cfg_error(x, line, "line longer than %d characters",
					 CFG_NAME_LEN + CFG_VALUE_LEN);
		}
		c = strchr(buf, ';');
		if (c != NULL)
			*c = '\0';
		s = cfg_strip(buf);
		if (*s == '\0')
			continue;
		if (*s == '[') {
			if (s[strlen(s) - 1] != ']') {
				fclose(f);
				return cfg_error(x, line,
						 "section header without ']'");
			}
			in_section = true;
			continue;
		}
		c = strchr(s, '=');
		if (c == NULL || c == s) {
			fclose(f);
			return cfg_error(x, line, "expected 'key = value', got '%s'",
					 s);
		}
		if (!in_section) {
			fclose(f);
			return cfg_error(x, line, "entry before any [section]");
		}
		*c = '\0';
		if (strlen(cfg_strip(s)) >= CFG_NAME_LEN ||
		    strlen(cfg_strip(c + 1)) >= CFG_VALUE_LEN) {
			fclose(f);
			return cfg_error(x, line, "key or value too long");
		}
	}
	fclose(f);
	return 0;
}

int
ifp_config_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"on", "yes", "true", "1"};
	static const char *const no[] = {"off", "no", "false", "0"};

	for (unsigned int i = 0; i < RTE_DIM(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static int
cfg_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* "a.b.c.d/len" into network-order address and depth. */
static int
cfg_parse_prefix(const char *s, uint32_t min_depth, rte_be32_t *ip,
		 uint8_t *depth)
{
	char buf[64];
	char *slash;
	uint32_t d;
	struct in_addr a;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -1;
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	if (inet_pton(AF_INET, cfg_strip(buf), &a) != 1)
		return -1;
	if (cfg_parse_u32(cfg_strip(slash + 1), min_depth, 32, &d) < 0)
		return -1;
	*ip = a.s_addr;
	*depth = (uint8_t)d;
	return 0;
}

static bool
cfg_addr_is_unusable(rte_be32_t ip)
{
	uint32_t a = rte_be_to_cpu_32(ip);

	return (a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) >= 0xe;
}

static int
cfg_port_address(struct cfg_ctx *x, int line, struct ifp_port_conf *p,
		 const char *value)
{
	char buf[CFG_VALUE_LEN];
	char *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		rte_be32_t ip;
		uint8_t depth;

		tok = cfg_strip(tok);
		if (cfg_parse_prefix(tok, 1, &ip, &depth) < 0)
			return cfg_error(x, line,
					 "address '%s' is not a.b.c.d/len (len 1-32)",
					 tok);
		if (cfg_addr_is_unusable(ip))
			return cfg_error(x, line,
					 "address '%s' is in 0/8, 127/8, multicast or class E",
					 tok);
		for (unsigned int i = 0; i < p->n_addr; i++)
			if (p->addr[i].ip == ip)
				return cfg_error(x, line,
						 "address '%s' given twice", tok);
		if (ifp_port_addr_add(p, ip, depth) < 0)
			return cfg_error(x, line, "more than %d addresses",
					 IFP_MAX_ADDRS);
	}
	if (p->n_addr == 0)
		return cfg_error(x, line, "address is empty");
	return 0;
}

/* "x:y::z" or "x:y::z/len" (@p need_len: the length is required, from
 * @p min_depth to 128) */
static int
cfg_parse_prefix6(const char *s, bool need_len, uint32_t min_depth, uint8_t ip[16],
		  uint8_t *depth)
{
	char buf[64];
	char *slash;
	uint32_t d = 128;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -1;
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (cfg_parse_u32(cfg_strip(slash + 1), min_depth, 128, &d) < 0)
			return -1;
	} else if (need_len) {
		return -1;
	}
	if (inet_pton(AF_INET6, cfg_strip(buf), ip) != 1)
		return -1;
	*depth = (uint8_t)d;
	return 0;
}

static bool
cfg_ip6_is_link_local(const uint8_t *ip)
{
	return ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80;
}

/*
 * Why an address6 cannot be an interface address, or NULL. RFC 4291 2.4:
 * only global unicast (ULAs and the documentation prefix included) is
 * configured here; the link-local is link_local's. The host bits of an
 * interface address are the address itself, so the one value refused for
 * them is all zeros: that is the prefix's Subnet-Router anycast address
 * (RFC 4291 2.6.1), which a /127 does not use (RFC 6164) and a /128 has
 * not.
 */
static const char *
cfg_addr6_unusable(const uint8_t *ip, uint8_t depth)
{
	static const uint8_t zero[16];

	if (ip[0] == 0xff)
		return "is multicast";
	if (memcmp(ip, zero, 15) == 0 && ip[15] <= 1)
		return ip[15] ? "is the loopback ::1" : "is the unspecified ::";
	if (ip[0] == 0)
		return "is in ::/8 (IPv4-mapped, IPv4-compatible, reserved)";
	if (cfg_ip6_is_link_local(ip))
		return "is link-local (fe80::/10): give it as link_local";
	if (ip[0] == 0xfe && (ip[1] & 0xc0) == 0xc0)
		return "is site-local (fec0::/10, deprecated by RFC 3879)";
	if (depth <= 126) {
		bool host_zero = true;

		for (unsigned int b = depth; b < 128; b++)
			if (ip[b / 8] & (0x80 >> (b % 8)))
				host_zero = false;
		if (host_zero)
			return "is the Subnet-Router anycast address of its prefix (interface identifier all zeros)";
	}
	return NULL;
}

static int
cfg_port_address6(struct cfg_ctx *x, int line, struct ifp_port_conf *p,
		  const char *value)
{
	char buf[CFG_VALUE_LEN];
	char *save = NULL, *tok;
	unsigned int n = 0;

	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		uint8_t ip[16], depth;
		const char *why;

		tok = cfg_strip(tok);
		if (cfg_parse_prefix6(tok, true, 1, ip, &depth) < 0)
			return cfg_error(x, line,
					 "address6 '%s' is not an IPv6 address/len (len 1-128)",
					 tok);
		why = cfg_addr6_unusable(ip, depth);
		if (why != NULL)
			return cfg_error(x, line, "address6 '%s' %s", tok, why);
		for (unsigned int i = 1; i < p->n_addr6; i++)
			if (memcmp(p->addr6[i].ip, ip, 16) == 0)
				return cfg_error(x, line,
						 "address6 '%s' given twice", tok);
		if (ifp_port_addr6_add(p, ip, depth) < 0)
			return cfg_error(x, line, "more than %d address6",
					 IFP_MAX_ADDRS);
		n++;
	}
	if (n == 0)
		return cfg_error(x, line, "address6 is empty");
	return 0;
}

static int
cfg_port_link_local(struct cfg_ctx *x, int line, struct ifp_port_conf *p,
		    const char *value)
{
	uint8_t ip[16], depth;

	if (strcmp(value, "auto") == 0) {
		ifp_port_ipv6_enable(p);
		return 0;
	}
	if (cfg_parse_prefix6(value, false, 1, ip, &depth) < 0 ||
	    !cfg_ip6_is_link_local(ip) || depth != (strchr(value, '/') ? 64 : 128))
		return cfg_error(x, line,
				 "link_local '%s': expected auto or a fe80::/10 address (with /64 or no length)",
				 value);
	/* RFC 4291 2.5.6: fe80::/64 and an interface identifier */
	if (memcmp(ip + 2, "\0\0\0\0\0\0", 6) != 0 ||
	    memcmp(ip + 8, "\0\0\0\0\0\0\0\0", 8) == 0)
		return cfg_error(x, line,
				 "link_local '%s': expected fe80::/64 with a non-zero interface identifier",
				 value);
	ifp_port_ll_set(p, ip);
	return 0;
}

static int
cfg_port_entry(struct cfg_ctx *x, int line, struct ifp_port_conf *p,
	       const struct rte_cfgfile_entry *e)
{
	uint32_t v;

	if (strcmp(e->name, "address") == 0)
		return cfg_port_address(x, line, p, e->value);
	if (strcmp(e->name, "address6") == 0)
		return cfg_port_address6(x, line, p, e->value);
	if (strcmp(e->name, "link_local") == 0)
		return cfg_port_link_local(x, line, p, e->value);
	if (strcmp(e->name, "mac") == 0) {
		if (rte_ether_unformat_addr(e->value, &p->mac) < 0)
			return cfg_error(x, line, "mac '%s' is not xx:xx:xx:xx:xx:xx",
					 e->value);
		if (!rte_is_unicast_ether_addr(&p->mac) ||
		    rte_is_zero_ether_addr(&p->mac))
			return cfg_error(x, line, "mac '%s' is not a unicast address",
					 e->value);
		p->mac_set = true;
		return 0;
	}
	if (strcmp(e->name, "mtu") == 0) {
		/* RFC 791: every host must take 68-byte datagrams */
		if (cfg_parse_u32(e->value, 68, 9600, &v) < 0)
			return cfg_error(x, line, "mtu '%s' is not a number from 68 to 9600",
					 e->value);
		p->mtu = (uint16_t)v;
		return 0;
	}
	if (strcmp(e->name, "profile") == 0) {
		const char *s = e->value;

		if (*s == '\0' || strlen(s) >= sizeof(p->profile))
			return cfg_error(x, line, "profile name is empty or too long");
		for (; *s; s++)
			if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
				return cfg_error(x, line,
						 "profile '%s': only letters, digits, '_' and '-'",
						 e->value);
		memcpy(p->profile, e->value, strlen(e->value) + 1); /* length checked */
		return 0;
	}
	return cfg_error(x, line, "unknown key '%s' in [port N] "
			 "(known: address, address6, link_local, mac, mtu, profile)", e->name);
}

/*
 * [icmp] and [icmp6]: switches and one number from 1 to 255, each key where
 * its value lives in the section's struct. The parser and telemetry's
 * /icmpfp/config read the same table.
 */
static const struct ifp_cfg_key cfg_icmp_keys[] = {
	{"echo", offsetof(struct ifp_icmp_conf, echo), false},
	{"timestamp", offsetof(struct ifp_icmp_conf, timestamp), false},
	{"address_mask", offsetof(struct ifp_icmp_conf, address_mask), false},
	{"extended_echo", offsetof(struct ifp_icmp_conf, extended_echo), false},
	{"echo_broadcast", offsetof(struct ifp_icmp_conf, echo_broadcast), false},
	{"reassembly", offsetof(struct ifp_icmp_conf, reassembly), false},
	{"extensions", offsetof(struct ifp_icmp_conf, extensions), false},
	{"reply_ttl", offsetof(struct ifp_icmp_conf, reply_ttl), true},
};

static const struct ifp_cfg_key cfg_icmp6_keys[] = {
	{"echo", offsetof(struct ifp_icmp6_conf, echo), false},
	{"echo_multicast", offsetof(struct ifp_icmp6_conf, echo_multicast), false},
	{"extended_echo", offsetof(struct ifp_icmp6_conf, extended_echo), false},
	{"reassembly", offsetof(struct ifp_icmp6_conf, reassembly), false},
	{"extensions", offsetof(struct ifp_icmp6_conf, extensions), false},
	{"reply_hop_limit", offsetof(struct ifp_icmp6_conf, reply_hop_limit), true},
};

const struct ifp_cfg_section ifp_cfg_icmp = {
	.name = "icmp",
	.off = offsetof(struct ifp_conf, icmp),
	.n = RTE_DIM(cfg_icmp_keys),
	.keys = cfg_icmp_keys,
};

const struct ifp_cfg_section ifp_cfg_icmp6 = {
	.name = "icmp6",
	.off = offsetof(struct ifp_conf, icmp6),
	.n = RTE_DIM(cfg_icmp6_keys),
	.keys = cfg_icmp6_keys,
};

static int
cfg_switches_entry(struct cfg_ctx *x, int line, const struct ifp_cfg_section *sec,
		   struct ifp_conf *c, const struct rte_cfgfile_entry *e)
{
	char *base = (char *)c + sec->off;
	uint32_t v;

	for (unsigned int i = 0; i < sec->n; i++) {
		const struct ifp_cfg_key *k = &sec->keys[i];

		if (strcmp(e->name, k->name) != 0)
			continue;
		if (!k->is_u8) {
			if (ifp_config_parse_bool(e->value, (bool *)(base + k->off)) < 0)
				return cfg_error(x, line, "%s = '%s': expected on or off",
						 e->name, e->value);
			return 0;
		}
		if (cfg_parse_u32(e->value, 1, 255, &v) < 0)
			return cfg_error(x, line, "%s '%s' is not 1 to 255", e->name,
					 e->value);
		*(uint8_t *)(base + k->off) = (uint8_t)v;
		return 0;
	}
	return cfg_error(x, line, "unknown key '%s' in [%s]", e->name, sec->name);
}

/*
 * The prefix of a route: IPv4 "a.b.c.d/len" or IPv6 "x:y::/len", length 0
 * (the default route) included, no host bits set.
 */
static int
cfg_route_prefix(struct cfg_ctx *x, int line, const char *name,
		 struct ifp_route *r)
{
	rte_be32_t ip;

	if (strchr(name, ':') != NULL) {
		r->v6 = true;
		if (cfg_parse_prefix6(name, true, 0, r->prefix6, &r->depth) < 0)
			return cfg_error(x, line,
					 "route '%s' is not an IPv6 prefix/len (len 0-128)",
					 name);
		for (unsigned int b = r->depth; b < 128; b++)
			if (r->prefix6[b / 8] & (0x80 >> (b % 8)))
				return cfg_error(x, line, "route '%s' has host bits set",
						 name);
		return 0;
	}
	if (cfg_parse_prefix(name, 0, &ip, &r->depth) < 0)
		return cfg_error(x, line, "route '%s' is not a.b.c.d/len", name);
	r->prefix = rte_be_to_cpu_32(ip);
	if (r->depth < 32 &&
	    (r->prefix & (r->depth ? ~(~0u << (32 - r->depth)) : ~0u)))
		return cfg_error(x, line, "route '%s' has host bits set", name);
	return 0;
}

static bool
cfg_route_same_prefix(const struct ifp_route *a, const struct ifp_route *b)
{
	if (a->v6 != b->v6 || a->depth != b->depth)
		return false;
	return a->v6 ? memcmp(a->prefix6, b->prefix6, 16) == 0
		     : a->prefix == b->prefix;
}

static int
cfg_route_entry(struct cfg_ctx *x, int line, struct ifp_conf *c,
		const struct rte_cfgfile_entry *e)
{
	struct ifp_route r = {0};
	char act[CFG_VALUE_LEN], arg[CFG_VALUE_LEN];
	uint32_t v, min_mtu;
	int n;

	if (cfg_route_prefix(x, line, e->name, &r) < 0)
		return -1;
	for (uint32_t i = 0; i < c->n_routes; i++)
		if (cfg_route_same_prefix(&c->route[i], &r))
			return cfg_error(x, line, "route '%s' given twice", e->name);
	if (c->n_routes >= IFP_MAX_ROUTES)
		return cfg_error(x, line, "more than %d routes", IFP_MAX_ROUTES);
	/* the smallest link MTU: RFC 791 (68), RFC 8200 5 (1280) */
	min_mtu = r.v6 ? 1280 : 68;

	arg[0] = '\0';
	n = sscanf(e->value, "%255s %255s", act, arg);
	if (n < 1)
		return cfg_error(x, line, "route '%s' has no action", e->name);
	if (strcmp(act, "drop") == 0 && n == 1) {
		r.action = IFP_ROUTE_DROP;
	} else if (strcmp(act, "prohibited") == 0 && n == 1) {
		/* communication administratively prohibited */
		r.action = IFP_ROUTE_UNREACHABLE;
		r.arg = r.v6 ? IFP_ROUTE_PROHIBITED6 : IFP_ROUTE_PROHIBITED4;
	} else if (strcmp(act, "unreachable") == 0 && n == 2) {
		const struct ifp_route_code *k = NULL;

		for (unsigned int i = 0; i < ifp_route_n_codes; i++)
			if (strcmp(arg, ifp_route_codes[i].name) == 0)
				k = &ifp_route_codes[i];
		if (k == NULL)
			return cfg_error(x, line,
					 "unreachable '%s': expected net, host, net-prohibited, "
					 "host-prohibited, or for IPv6 policy or reject",
					 arg);
		/* ICMP has no code for a failed policy or a reject route:
		 * refused rather than guessed (prohibited is the nearest) */
		if (!r.v6 && k->code4 < 0)
			return cfg_error(x, line,
					 "unreachable '%s' is an ICMPv6 code (1/%d): IPv4 has "
					 "none; 'prohibited' (3/13) is the nearest",
					 arg, k->code6);
		r.action = IFP_ROUTE_UNREACHABLE;
		r.arg = (uint16_t)(r.v6 ? k->code6 : k->code4);
	} else if (strcmp(act, "mtu") == 0 && n == 2) {
		if (cfg_parse_u32(arg, min_mtu, 65535, &v) < 0)
			return cfg_error(x, line, "mtu '%s' is not %u to 65535%s", arg,
					 min_mtu,
					 r.v6 ? " (IPv6's minimum MTU is 1280, RFC 8200 5)"
					      : "");
		r.action = IFP_ROUTE_MTU;
		r.arg = (uint16_t)v;
	} else if (strcmp(act, "modem") == 0 && n == 2) {
		/* Modem ID 0 is malformed on the wire: no LPA names it */
		if (cfg_parse_u32(arg, 1, UINT32_MAX, &v) < 0)
			return cfg_error(x, line, "modem '%s' is not a Modem ID from 1 to %u",
					 arg, UINT32_MAX);
		r.action = IFP_ROUTE_MODEM;
		r.modem = v;
	} else {
		return cfg_error(x, line,
				 "route action '%s': expected drop, prohibited, unreachable <code>, "
				 "mtu <M> or modem <ID>",
				 e->value);
	}
	r.line = (uint32_t)line;
	if (r.depth == 0 && r.v6)
		c->route_default6 = c->n_routes;
	else if (r.depth == 0)
		c->route_default = c->n_routes;
	c->route[c->n_routes++] = r;
	return 0;
}

static int
cfg_ratelimit_entry(struct cfg_ctx *x, int line, struct ifp_ratelimit_conf *rl,
		    const struct rte_cfgfile_entry *e)
{
	static const struct {
		const char *name;
		size_t off;
		uint32_t min;
	} keys[] = {
		{"errors_per_sec", offsetof(struct ifp_ratelimit_conf, errors_per_sec), 0},
		{"errors_burst", offsetof(struct ifp_ratelimit_conf, errors_burst), 1},
		{"per_source_per_sec", offsetof(struct ifp_ratelimit_conf, per_source_per_sec), 0},
		/* the three probes of one traceroute hop must all be
		 * answered */
		{"per_source_burst", offsetof(struct ifp_ratelimit_conf, per_source_burst), 3},
		{"echo_per_sec", offsetof(struct ifp_ratelimit_conf, echo_per_sec), 0},
	};

	for (unsigned int i = 0; i < RTE_DIM(keys); i++) {
		if (strcmp(e->name, keys[i].name) != 0)
			continue;
		if (cfg_parse_u32(e->value, keys[i].min, 100000000,
				  (uint32_t *)((char *)rl + keys[i].off)) < 0)
			return cfg_error(x, line, "%s '%s' is not a number from %u",
					 e->name, e->value, keys[i].min);
		return 0;
	}
	return cfg_error(x, line, "unknown key '%s' in [ratelimit]", e->name);
}

/* "a.b.c.d" or an IPv6 address, nothing else */
static int
cfg_parse_ipx(const char *s, struct ifp_ipx *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &out->ip4) == 1)
		return 0;
	if (inet_pton(AF_INET6, s, out->ip6) == 1) {
		out->v6 = true;
		return 0;
	}
	return -1;
}

/* A comma-separated list of addresses into @p out (at most @p max). */
static int
cfg_lpa_addresses(struct cfg_ctx *x, int line, const char *key,
		  const char *value, struct ifp_ipx *out, unsigned int max,
		  uint8_t *n)
{
	char buf[CFG_VALUE_LEN];
	char *save = NULL, *tok;

	*n = 0;
	snprintf(buf, sizeof(buf), "%s", value);
	/* "none": an empty list, which rte_cfgfile cannot carry */
	if (strcmp(cfg_strip(buf), "none") == 0)
		return 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		struct ifp_ipx a;

		tok = cfg_strip(tok);
		if (cfg_parse_ipx(tok, &a) < 0)
			return cfg_error(x, line, "%s '%s' is not an IPv4 or IPv6 address",
					 key, tok);
		for (unsigned int i = 0; i < *n; i++)
			if (memcmp(&out[i], &a, sizeof(a)) == 0)
				return cfg_error(x, line, "%s '%s' given twice", key, tok);
		if (*n == max)
			return cfg_error(x, line, "%s: more than %u addresses", key, max);
		out[(*n)++] = a;
	}
	return 0;
}

static int
cfg_lpa_entry(struct cfg_ctx *x, int line, struct ifp_lpa_conf *l,
	      const struct rte_cfgfile_entry *e)
{
	uint32_t v;

	if (strcmp(e->name, "listen") == 0 || strcmp(e->name, "advertise") == 0) {
		if (ifp_config_parse_bool(e->value, e->name[0] == 'l' ? &l->listen
								     : &l->advertise) < 0)
			return cfg_error(x, line, "%s = '%s': expected on or off",
					 e->name, e->value);
		return 0;
	}
	if (strcmp(e->name, "udp_port") == 0) {
		if (cfg_parse_u32(e->value, 1, 65535, &v) < 0)
			return cfg_error(x, line, "udp_port '%s' is not 1 to 65535",
					 e->value);
		l->udp_port = (uint16_t)v;
		return 0;
	}
	if (strcmp(e->name, "hold") == 0 || strcmp(e->name, "interval") == 0) {
		if (cfg_parse_u32(e->value, 1, 86400, &v) < 0)
			return cfg_error(x, line, "%s '%s' is not 1 to 86400 seconds",
					 e->name, e->value);
		*(e->name[0] == 'h' ? &l->hold : &l->interval) = v;
		return 0;
	}
	if (strcmp(e->name, "ttl") == 0) {
		if (cfg_parse_u32(e->value, 1, 255, &v) < 0)
			return cfg_error(x, line, "ttl '%s' is not 1 to 255", e->value);
		l->ttl = (uint8_t)v;
		return 0;
	}
	if (strcmp(e->name, "groups") == 0) {
		if (cfg_lpa_addresses(x, line, "groups", e->value, l->group,
				      IFP_LPA_GROUPS_MAX, &l->n_groups) < 0)
			return -1;
		for (unsigned int i = 0; i < l->n_groups; i++) {
			char a[INET6_ADDRSTRLEN];

			if (ifp_ipx_is_group(&l->group[i]))
				continue;
			inet_ntop(l->group[i].v6 ? AF_INET6 : AF_INET,
				  l->group[i].v6 ? (const void *)l->group[i].ip6
						 : (const void *)&l->group[i].ip4,
				  a, sizeof(a));
			return cfg_error(x, line,
					 "groups '%s' is not a multicast group (unicast to our "
					 "addresses is heard anyway)", a);
		}
		ifp_lpa_conf_macs(l);
		return 0;
	}
	if (strcmp(e->name, "advertise_to") == 0)
		return cfg_lpa_addresses(x, line, "advertise_to", e->value, l->to,
					 IFP_LPA_TO_MAX, &l->n_to);
	return cfg_error(x, line, "unknown key '%s' in [lpa] (known: listen, udp_port, "
			 "groups, hold, advertise, interval, advertise_to, ttl)", e->name);
}

/*
 * An IPv6 advertise_to @p ip (@p s as written) must leave some port: a
 * group or a link-local address of link scope out of any port with IPv6
 * (from its link-local), a wider group out of a port with an address6, a
 * global address out of the port on whose prefix it lies.
 */
static int
cfg_lpa_check6(struct cfg_ctx *x, const struct ifp_conf *c, int line,
	       const uint8_t *ip, const char *s)
{
	static const uint8_t zero[16];
	const bool mcast = ip[0] == 0xff;
	const bool link = ifp_ip6_link_scope(ip);
	bool any6 = false, global6 = false, on_link = false;

	if (mcast && ((ip[1] & 0x0f) <= 1 || (ip[1] & 0x0f) == 0xf))
		return cfg_error(x, line,
				 "advertise_to '%s' is a group of reserved or interface-local "
				 "scope: it never leaves the box (RFC 4291 2.7)", s);
	if (!mcast && memcmp(ip, zero, 15) == 0 && ip[15] <= 1)
		return cfg_error(x, line, "advertise_to '%s' is :: or ::1", s);
	if (!mcast && ip[0] == 0)
		return cfg_error(x, line,
				 "advertise_to '%s' is in ::/8 (IPv4-mapped, IPv4-compatible, "
				 "reserved): give the IPv4 address", s);
	for (unsigned int p = 0; p < IFP_MAX_PORTS; p++) {
		const struct ifp_port_conf *pc = &c->port[p];

		if (!pc->present || pc->n_addr6 == 0)
			continue;
		any6 = true;
		global6 |= pc->n_addr6 > 1;
		for (unsigned int k = 0; k < pc->n_addr6; k++)
			if (memcmp(ip, pc->addr6[k].ip, 16) == 0)
				return cfg_error(x, line,
						 "advertise_to '%s' is an address of port %u",
						 s, p);
		on_link |= ifp_port_prefix6_has(pc, ip);
	}
	if (!any6)
		return cfg_error(x, line,
				 "advertise_to '%s': no port has IPv6 (address6 or "
				 "link_local) to send it from", s);
	if (!link && mcast && !global6)
		return cfg_error(x, line,
				 "advertise_to '%s' is a group wider than the link: no port "
				 "has an address6 to send it from (a link-local source "
				 "stays on its link)", s);
	if (!link && !mcast && !on_link)
		return cfg_error(x, line,
				 "advertise_to '%s' is on no port's address6 prefix "
				 "(icmpfp sends unicast LPAs on the link only)", s);
	return 0;
}

/*
 * advertise_to needs the ports: a group goes out of every port, a unicast
 * address out of the ports on its subnet (icmpfp has no gateway), so it
 * must be on one.
 */
static int
cfg_lpa_check(struct cfg_ctx *x, const struct ifp_conf *c, int line)
{
	const struct ifp_lpa_conf *l = &c->lpa;

	for (unsigned int i = 0; i < l->n_to; i++) {
		const struct ifp_ipx *a = &l->to[i];
		char s[INET6_ADDRSTRLEN];
		bool on_link = false;

		inet_ntop(a->v6 ? AF_INET6 : AF_INET,
			  a->v6 ? (const void *)a->ip6 : (const void *)&a->ip4, s,
			  sizeof(s));
		if (a->v6) {
			if (cfg_lpa_check6(x, c, line, a->ip6, s) < 0)
				return -1;
			continue;
		}
		if (ifp_ipx_is_group(a))
			continue;
		if (cfg_addr_is_unusable(a->ip4))
			return cfg_error(x, line,
					 "advertise_to '%s' is in 0/8, 127/8 or class E", s);
		for (unsigned int p = 0; p < IFP_MAX_PORTS; p++) {
			const struct ifp_port_conf *pc = &c->port[p];

			for (unsigned int k = 0; pc->present && k < pc->n_addr; k++) {
				const struct ifp_addr *ad = &pc->addr[k];

				if (a->ip4 == ad->ip || (ad->bcast != 0 && a->ip4 == ad->bcast))
					return cfg_error(x, line,
							 "advertise_to '%s' is an address or "
							 "broadcast of port %u", s, p);
				if ((a->ip4 & ad->mask) == (ad->ip & ad->mask))
					on_link = true;
			}
		}
		if (!on_link)
			return cfg_error(x, line,
					 "advertise_to '%s' is on no port's subnet (icmpfp "
					 "sends unicast LPAs on the link only)", s);
	}
	return 0;
}

int
ifp_config_load(const char *path, struct ifp_conf *c, char *err, size_t errlen)
{
	struct cfg_ctx x = {.path = path, .err = err, .errlen = errlen};
	struct rte_cfgfile_entry *entries = NULL;
	struct rte_cfgfile *cfg;
	int nsec, ret = -1;
	bool any_port = false;
	char seen[IFP_MAX_PORTS + 5] = {0};
	int lpa_to_line = 0;

	ifp_conf_defaults(c);
	if (cfg_syntax_check(&x) < 0)
		return -1;
	cfg = rte_cfgfile_load(path, 0);
	if (cfg == NULL)
		return cfg_error(&x, 0, "rte_cfgfile cannot parse this file");
	entries = calloc(IFP_CFG_MAX_ENTRIES, sizeof(*entries));
	if (entries == NULL) {
		cfg_error(&x, 0, "out of memory");
		goto out;
	}

	nsec = rte_cfgfile_num_sections(cfg, NULL, 0);
	for (int s = 0; s < nsec; s++) {
		char sec[CFG_NAME_LEN];
		int n, sec_nth = 0, kind, line;
		struct ifp_port_conf *port = NULL;
		unsigned int pid;
		char tail;

		n = rte_cfgfile_section_entries_by_index(cfg, s, sec, entries,
							 IFP_CFG_MAX_ENTRIES);
		if (n < 0) {
			cfg_error(&x, 0, "cannot read section %d", s);
			goto out;
		}
		/* which occurrence of this name this section is */
		for (int t = 0; t < s; t++) {
			char other[CFG_NAME_LEN];

			if (rte_cfgfile_section_num_entries_by_index(cfg, other, t) >= 0 &&
			    strcmp(other, sec) == 0)
				sec_nth++;
		}
		line = cfg_line_of(path, sec, sec_nth, NULL, 0);

		if (sscanf(sec, "port %u%c", &pid, &tail) == 1) {
			if (pid >= IFP_MAX_PORTS) {
				cfg_error(&x, line, "[%s]: port ids go from 0 to %d",
					  sec, IFP_MAX_PORTS - 1);
				goto out;
			}
			kind = 0;
			port = &c->port[pid];
		} else if (strcmp(sec, "icmp") == 0) {
			kind = 1;
			pid = IFP_MAX_PORTS;
		} else if (strcmp(sec, "routes") == 0) {
			kind = 2;
			pid = IFP_MAX_PORTS + 1;
		} else if (strcmp(sec, "ratelimit") == 0) {
			kind = 3;
			pid = IFP_MAX_PORTS + 2;
		} else if (strcmp(sec, "lpa") == 0) {
			kind = 4;
			pid = IFP_MAX_PORTS + 3;
		} else if (strcmp(sec, "icmp6") == 0) {
			kind = 5;
			pid = IFP_MAX_PORTS + 4;
		} else {
			cfg_error(&x, line,
				  "unknown section [%s] (known: [port N], [icmp], [icmp6], [routes], "
				  "[ratelimit], [lpa])",
				  sec);
			goto out;
		}
		if (seen[pid]++) {
			cfg_error(&x, line, "section [%s] given twice", sec);
			goto out;
		}

		for (int i = 0; i < n; i++) {
			int nth = 0, eline, r;

			for (int j = 0; j < i; j++)
				if (strcmp(entries[j].name, entries[i].name) == 0)
					nth++;
			eline = cfg_line_of(path, sec, sec_nth, entries[i].name, nth);
			if (nth > 0) {
				cfg_error(&x, eline, "[%s] %s given twice", sec,
					  entries[i].name);
				goto out;
			}
			switch (kind) {
			case 0:
				r = cfg_port_entry(&x, eline, port, &entries[i]);
				break;
			case 1:
				r = cfg_switches_entry(&x, eline, &ifp_cfg_icmp, c,
						       &entries[i]);
				break;
			case 2:
				r = cfg_route_entry(&x, eline, c, &entries[i]);
				break;
			case 4:
				r = cfg_lpa_entry(&x, eline, &c->lpa, &entries[i]);
				if (strcmp(entries[i].name, "advertise_to") == 0)
					lpa_to_line = eline;
				break;
			case 5:
				r = cfg_switches_entry(&x, eline, &ifp_cfg_icmp6, c,
						       &entries[i]);
				break;
			default:
				r = cfg_ratelimit_entry(&x, eline, &c->ratelimit,
							&entries[i]);
				break;
			}
			if (r < 0)
				goto out;
		}
		if (kind == 0) {
			if (port->n_addr == 0) {
				cfg_error(&x, line, "[%s] has no address", sec);
				goto out;
			}
			/* RFC 8200 5: every link carrying IPv6 has an MTU of
			 * 1280 octets or more */
			ifp_port_ll_auto(port);
			if (port->n_addr6 > 0 && port->mtu < 1280) {
				cfg_error(&x, cfg_line_of(path, sec, sec_nth, "mtu", 0),
					  "[%s] mtu %u is below IPv6's minimum of 1280 (RFC 8200 5)",
					  sec, port->mtu);
				goto out;
			}
			port->present = true;
			any_port = true;
		}
	}
	if (!any_port) {
		cfg_error(&x, 0, "no [port N] section: nothing to answer on");
		goto out;
	}
	if (cfg_lpa_check(&x, c, lpa_to_line) < 0)
		goto out;
	ret = 0;
out:
	free(entries);
	rte_cfgfile_close(cfg);
	return ret;
}

void
ifp_profile_defaults(struct ifp_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->rx_desc = 1024;
	p->tx_desc = 1024;
	p->rss = true;
	p->rx_ipv4_cksum = true;
	p->tx_ipv4_cksum = true;
	p->tx_fast_free = true;
	p->burst = 32;
	p->mbufs = 4096;
	p->mbuf_size = RTE_MBUF_DEFAULT_DATAROOM;
}

int
ifp_profile_load(const char *dir, const char *name, struct ifp_profile *p,
		 char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct cfg_ctx x = {.path = path, .err = err, .errlen = errlen};
	struct rte_cfgfile_entry entries[32];
	struct rte_cfgfile *cfg;
	int n, ret = -1;

	ifp_profile_defaults(p);
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(path, sizeof(path), "%s/%s.ini", dir, name);
	if (cfg_syntax_check(&x) < 0)
		return -1;
	cfg = rte_cfgfile_load(path, 0);
	if (cfg == NULL)
		return cfg_error(&x, 0, "rte_cfgfile cannot parse this file");
	if (rte_cfgfile_num_sections(cfg, NULL, 0) != 1 ||
	    !rte_cfgfile_has_section(cfg, "profile")) {
		cfg_error(&x, 0, "a profile holds exactly one section, [profile]");
		goto out;
	}
	n = rte_cfgfile_section_entries(cfg, "profile", entries, RTE_DIM(entries));
	for (int i = 0; i < n; i++) {
		const struct rte_cfgfile_entry *e = &entries[i];
		int line = cfg_line_of(path, "profile", 0, e->name, 0);
		uint32_t v;
		bool b;

		if (strcmp(e->name, "rx_desc") == 0 || strcmp(e->name, "tx_desc") == 0) {
			if (cfg_parse_u32(e->value, 64, 32768, &v) < 0) {
				cfg_error(&x, line, "%s '%s' is not 64 to 32768",
					  e->name, e->value);
				goto out;
			}
			if (e->name[0] == 'r')
				p->rx_desc = (uint16_t)v;
			else
				p->tx_desc = (uint16_t)v;
		} else if (strcmp(e->name, "burst") == 0) {
			if (cfg_parse_u32(e->value, 1, 64, &v) < 0) {
				cfg_error(&x, line, "burst '%s' is not 1 to %d",
					  e->value, 64);
				goto out;
			}
			p->burst = (uint16_t)v;
		} else if (strcmp(e->name, "mbufs") == 0) {
			if (cfg_parse_u32(e->value, 512, 1u << 20, &v) < 0) {
				cfg_error(&x, line, "mbufs '%s' is not 512 to 1048576",
					  e->value);
				goto out;
			}
			p->mbufs = v;
		} else if (strcmp(e->name, "mbuf_size") == 0) {
			if (cfg_parse_u32(e->value, 1024, UINT16_MAX - RTE_PKTMBUF_HEADROOM,
					  &v) < 0) {
				cfg_error(&x, line, "mbuf_size '%s' is not 1024 to %d",
					  e->value, UINT16_MAX - RTE_PKTMBUF_HEADROOM);
				goto out;
			}
			p->mbuf_size = (uint16_t)v;
		} else if (strcmp(e->name, "rss") == 0 ||
			   strcmp(e->name, "rx_ipv4_cksum") == 0 ||
			   strcmp(e->name, "tx_ipv4_cksum") == 0 ||
			   strcmp(e->name, "tx_fast_free") == 0) {
			if (ifp_config_parse_bool(e->value, &b) < 0) {
				cfg_error(&x, line, "%s = '%s': expected on or off",
					  e->name, e->value);
				goto out;
			}
			if (strcmp(e->name, "rss") == 0)
				p->rss = b;
			else if (strcmp(e->name, "rx_ipv4_cksum") == 0)
				p->rx_ipv4_cksum = b;
			else if (strcmp(e->name, "tx_ipv4_cksum") == 0)
				p->tx_ipv4_cksum = b;
			else
				p->tx_fast_free = b;
		} else if (strcmp(e->name, "driver") != 0 &&
			   strcmp(e->name, "devargs") != 0) {
			cfg_error(&x, line, "unknown key '%s' in [profile]", e->name);
			goto out;
		}
	}
	ret = 0;
out:
	rte_cfgfile_close(cfg);
	return ret;
}

int
ifp_config_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	return cfg_parse_u32(s, min, max, out);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * icmpfp's config file (docs/configuration.md): the table of its sections
 * for the INI reader (ifp_ini.h), the switch sections [icmp], [icmp6] and
 * [ratelimit], and the checks that need the whole file. [port N], [routes]
 * and [lpa] have a file each.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_common.h>

#include "ifp_config.h"
#include "ifp_config_int.h"

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

int
ifp_cfg_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
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

int
ifp_cfg_num_set(struct ifp_ini *x, const struct ifp_cfg_num *t, void *base,
		const char *key, const char *value)
{
	char *field;
	uint32_t v;

	for (unsigned int i = 0; t[i].name != NULL; i++) {
		if (strcmp(key, t[i].name) != 0)
			continue;
		if (ifp_cfg_parse_u32(value, t[i].min, t[i].max, &v) < 0)
			return ifp_ini_error(x, "%s '%s' must be %u to %u", key, value,
					     t[i].min, t[i].max);
		field = (char *)base + t[i].off;
		if (t[i].size == 1)
			*(uint8_t *)field = (uint8_t)v;
		else if (t[i].size == 2)
			*(uint16_t *)field = (uint16_t)v;
		else
			*(uint32_t *)field = v;
		return 0;
	}
	return 1;
}

int
ifp_cfg_parse_prefix(const char *s, uint32_t min_depth, rte_be32_t *ip,
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
	if (inet_pton(AF_INET, ifp_ini_strip(buf), &a) != 1)
		return -1;
	if (ifp_cfg_parse_u32(ifp_ini_strip(slash + 1), min_depth, 32, &d) < 0)
		return -1;
	*ip = a.s_addr;
	*depth = (uint8_t)d;
	return 0;
}

int
ifp_cfg_parse_prefix6(const char *s, bool need_len, uint32_t min_depth,
		      uint8_t ip[16], uint8_t *depth)
{
	char buf[64];
	char *slash;
	uint32_t d = 128;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -1;
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (ifp_cfg_parse_u32(ifp_ini_strip(slash + 1), min_depth, 128, &d) < 0)
			return -1;
	} else if (need_len) {
		return -1;
	}
	if (inet_pton(AF_INET6, ifp_ini_strip(buf), ip) != 1)
		return -1;
	*depth = (uint8_t)d;
	return 0;
}

bool
ifp_cfg_addr_is_unusable(rte_be32_t ip)
{
	uint32_t a = rte_be_to_cpu_32(ip);

	return (a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) >= 0xe;
}

bool
ifp_cfg_ip6_is_link_local(const uint8_t *ip)
{
	return ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80;
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
	{NULL, 0, false},
};

static const struct ifp_cfg_key cfg_icmp6_keys[] = {
	{"echo", offsetof(struct ifp_icmp6_conf, echo), false},
	{"echo_multicast", offsetof(struct ifp_icmp6_conf, echo_multicast), false},
	{"extended_echo", offsetof(struct ifp_icmp6_conf, extended_echo), false},
	{"reassembly", offsetof(struct ifp_icmp6_conf, reassembly), false},
	{"extensions", offsetof(struct ifp_icmp6_conf, extensions), false},
	{"reply_hop_limit", offsetof(struct ifp_icmp6_conf, reply_hop_limit), true},
	{NULL, 0, false},
};

const struct ifp_cfg_section ifp_cfg_icmp = {
	.name = "icmp",
	.off = offsetof(struct ifp_conf, icmp),
	.n = RTE_DIM(cfg_icmp_keys) - 1,
	.keys = cfg_icmp_keys,
};

const struct ifp_cfg_section ifp_cfg_icmp6 = {
	.name = "icmp6",
	.off = offsetof(struct ifp_conf, icmp6),
	.n = RTE_DIM(cfg_icmp6_keys) - 1,
	.keys = cfg_icmp6_keys,
};

static int
cfg_switches_entry(struct ifp_ini *x, const struct ifp_cfg_section *sec,
		   const char *key, const char *value)
{
	struct ifp_cfg_load *l = x->user;
	char *base = (char *)l->c + sec->off;
	uint32_t v;

	for (unsigned int i = 0; i < sec->n; i++) {
		const struct ifp_cfg_key *k = &sec->keys[i];

		if (strcmp(key, k->name) != 0)
			continue;
		if (!k->is_u8) {
			if (ifp_config_parse_bool(value, (bool *)(base + k->off)) < 0)
				return ifp_ini_error(x, "%s = '%s': expected on or off "
						     "(also yes/no, true/false, 1/0)",
						     key, value);
			return 0;
		}
		if (ifp_cfg_parse_u32(value, 1, 255, &v) < 0)
			return ifp_ini_error(x, "%s '%s' must be 1 to 255", key, value);
		*(uint8_t *)(base + k->off) = (uint8_t)v;
		return 0;
	}
	return ifp_ini_error(x, "unknown key '%s' in [%s]", key, sec->name);
}

static int
cfg_icmp_entry(struct ifp_ini *x, const char *key, const char *value)
{
	return cfg_switches_entry(x, &ifp_cfg_icmp, key, value);
}

static int
cfg_icmp6_entry(struct ifp_ini *x, const char *key, const char *value)
{
	return cfg_switches_entry(x, &ifp_cfg_icmp6, key, value);
}

#define CFG_RL_MAX 100000000u
#define CFG_RL(key, min)                                                       \
	{#key, min, CFG_RL_MAX, offsetof(struct ifp_ratelimit_conf, key), 4}

static const struct ifp_cfg_num cfg_rl_keys[] = {
	CFG_RL(errors_per_sec, 0),
	CFG_RL(errors_burst, 1),
	CFG_RL(per_source_per_sec, 0),
	/* the three probes of one traceroute hop must all be answered */
	CFG_RL(per_source_burst, 3),
	CFG_RL(echo_per_sec, 0),
	{NULL, 0, 0, 0, 0},
};

static int
cfg_ratelimit_entry(struct ifp_ini *x, const char *key, const char *value)
{
	struct ifp_cfg_load *l = x->user;

	/* the reader lets only the table's keys through */
	return ifp_cfg_num_set(x, cfg_rl_keys, &l->c->ratelimit, key, value) < 0 ? -1 : 0;
}

static const struct ifp_ini_section cfg_icmp_section = {
	.name = "icmp",
	.keys = cfg_icmp_keys,
	.key_size = sizeof(cfg_icmp_keys[0]),
	.entry = cfg_icmp_entry,
	.reloads = true,
	.help = "which IPv4 messages are answered, reply TTL",
};

static const struct ifp_ini_section cfg_icmp6_section = {
	.name = "icmp6",
	.keys = cfg_icmp6_keys,
	.key_size = sizeof(cfg_icmp6_keys[0]),
	.entry = cfg_icmp6_entry,
	.reloads = true,
	.help = "the same for IPv6, reply hop limit",
};

static const struct ifp_ini_section cfg_ratelimit_section = {
	.name = "ratelimit",
	.keys = cfg_rl_keys,
	.key_size = sizeof(cfg_rl_keys[0]),
	.entry = cfg_ratelimit_entry,
	.reloads = true,
	.help = "ICMP errors and echo replies per second",
};

/*
 * The sections of the file, in the order docs/configuration.md and the
 * man page give them. A new section is one more line here.
 */
static const struct ifp_ini_section *const cfg_sections[] = {
	&ifp_cfg_port_section,
	&cfg_icmp_section,
	&cfg_icmp6_section,
	&ifp_cfg_routes_section,
	&cfg_ratelimit_section,
	&ifp_cfg_lpa_section,
	&ifp_cfg_policy_section,
};

const struct ifp_ini_section *const *
ifp_config_sections(unsigned int *n)
{
	*n = RTE_DIM(cfg_sections);
	return cfg_sections;
}

void
ifp_config_sections_print(FILE *f)
{
	for (unsigned int i = 0; i < RTE_DIM(cfg_sections); i++) {
		const struct ifp_ini_section *s = cfg_sections[i];
		char name[32];

		snprintf(name, sizeof(name), "[%s%s]", s->name, s->id_max ? " N" : "");
		fprintf(f, "  %-12s %s (%s)\n", name, s->help,
			s->reloads ? "SIGHUP reloads it" : "restart to change");
	}
}

int
ifp_config_load(const char *path, struct ifp_conf *c, char *err, size_t errlen)
{
	struct ifp_cfg_load l = {.c = c};
	struct ifp_ini x = {.path = path, .err = err, .errlen = errlen};
	int rc;

	ifp_conf_defaults(c);
	if (ifp_cfg_routes_begin(&l) < 0)
		return ifp_ini_error_at(&x, 0, "out of memory");
	rc = ifp_ini_read(path, cfg_sections, RTE_DIM(cfg_sections), &l, err, errlen);
	ifp_cfg_routes_end(&l);
	if (rc == 0 && !l.any_port)
		rc = ifp_ini_error_at(&x, 0, "no [port N] section: nothing to answer on");
	if (rc == 0)
		rc = ifp_cfg_lpa_check(&x, c, l.lpa_to_line);
	if (rc == 0)
		rc = ifp_cfg_policy_check(&x, c);
	if (rc < 0)
		ifp_config_free(c);
	return rc < 0 ? -1 : 0;
}

static size_t
cfg_addrs_str(const struct ifp_port_conf *p, char *out, size_t len)
{
	size_t o = 0;

	for (unsigned int i = 0; i < p->n_addr && o < len; i++) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &p->addr[i].ip, a, sizeof(a));
		o += (size_t)snprintf(out + o, len - o, " %s/%u", a, p->addr[i].depth);
	}
	/* addr6[0] is the link-local: shown only when the file gives it */
	for (unsigned int i = p->ll_auto ? 1 : 0; i < p->n_addr6 && o < len; i++) {
		char a[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, p->addr6[i].ip, a, sizeof(a));
		o += (size_t)snprintf(out + o, len - o, " %s/%u", a, p->addr6[i].depth);
	}
	if (p->ll_auto && o < len)
		o += (size_t)snprintf(out + o, len - o, " link_local auto");
	return o;
}

void
ifp_config_summary(const struct ifp_conf *c, const char *path, char *out,
		   size_t len)
{
	unsigned int n4 = 0, n6 = 0;
	size_t o;

	for (uint32_t i = 0; i < c->n_routes; i++) {
		if (c->route[i].v6)
			n6++;
		else
			n4++;
	}
	o = (size_t)snprintf(out, len, "config %s:", path);
	for (unsigned int p = 0; p < IFP_MAX_PORTS && o < len; p++) {
		if (!c->port[p].present)
			continue;
		o += (size_t)snprintf(out + o, len - o, " port %u", p);
		if (o < len)
			o += cfg_addrs_str(&c->port[p], out + o, len - o);
		if (o < len)
			o += (size_t)snprintf(out + o, len - o, ";");
	}
	if (o < len)
		snprintf(out + o, len - o, " routes %u IPv4, %u IPv6", n4, n6);
}

int
ifp_config_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	return ifp_cfg_parse_u32(s, min, max, out);
}

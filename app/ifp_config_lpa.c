/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [lpa] of the config (docs/lpa.md): the Link Property Advertisements
 * icmpfp hears and sends, and where it sends its own.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ifp_config.h"
#include "ifp_config_int.h"

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
cfg_lpa_addresses(struct ifp_ini *x, const char *key,
		  const char *value, struct ifp_ipx *out, unsigned int max,
		  uint8_t *n)
{
	char buf[IFP_INI_LINE_MAX];
	char *save = NULL, *tok;

	*n = 0;
	snprintf(buf, sizeof(buf), "%s", value);
	/* "none": an empty list (an empty value is refused) */
	if (strcmp(ifp_ini_strip(buf), "none") == 0)
		return 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		struct ifp_ipx a;

		tok = ifp_ini_strip(tok);
		if (cfg_parse_ipx(tok, &a) < 0)
			return ifp_ini_error(x, "%s '%s' is not an IPv4 or IPv6 address",
					 key, tok);
		for (unsigned int i = 0; i < *n; i++)
			if (memcmp(&out[i], &a, sizeof(a)) == 0)
				return ifp_ini_error(x, "%s '%s' given twice", key, tok);
		if (*n == max)
			return ifp_ini_error(x, "%s: more than %u addresses", key, max);
		out[(*n)++] = a;
	}
	return 0;
}

static int
cfg_lpa_groups(struct ifp_ini *x, struct ifp_lpa_conf *l, const char *value)
{
	if (cfg_lpa_addresses(x, "groups", value, l->group, IFP_LPA_GROUPS_MAX,
			      &l->n_groups) < 0)
		return -1;
	for (unsigned int i = 0; i < l->n_groups; i++) {
		char a[INET6_ADDRSTRLEN];

		if (ifp_ipx_is_group(&l->group[i]))
			continue;
		inet_ntop(l->group[i].v6 ? AF_INET6 : AF_INET,
			  l->group[i].v6 ? (const void *)l->group[i].ip6
					 : (const void *)&l->group[i].ip4,
			  a, sizeof(a));
		return ifp_ini_error(x, "groups '%s' is not a multicast group (unicast "
				     "to our addresses is heard anyway)", a);
	}
	ifp_lpa_conf_macs(l);
	return 0;
}

/* hold and interval: seconds */
static const struct ifp_cfg_num cfg_lpa_nums[] = {
	{"udp_port", 1, 65535, offsetof(struct ifp_lpa_conf, udp_port), 2},
	{"hold", 1, 86400, offsetof(struct ifp_lpa_conf, hold), 4},
	{"interval", 1, 86400, offsetof(struct ifp_lpa_conf, interval), 4},
	{"ttl", 1, 255, offsetof(struct ifp_lpa_conf, ttl), 1},
	{NULL, 0, 0, 0, 0},
};

static int
cfg_lpa_entry(struct ifp_ini *x, const char *key, const char *value)
{
	struct ifp_cfg_load *ld = x->user;
	struct ifp_lpa_conf *l = &ld->c->lpa;
	int rc;

	if (strcmp(key, "listen") == 0 || strcmp(key, "advertise") == 0) {
		if (ifp_config_parse_bool(value, strcmp(key, "listen") == 0
							 ? &l->listen
							 : &l->advertise) < 0)
			return ifp_ini_error(x, "%s = '%s': expected on or off",
					     key, value);
		return 0;
	}
	rc = ifp_cfg_num_set(x, cfg_lpa_nums, l, key, value);
	if (rc <= 0)
		return rc;
	if (strcmp(key, "groups") == 0)
		return cfg_lpa_groups(x, l, value);
	/* advertise_to, the last key the reader lets through */
	ld->lpa_to_line = x->line;
	return cfg_lpa_addresses(x, "advertise_to", value, l->to, IFP_LPA_TO_MAX,
				 &l->n_to);
}

/*
 * An IPv6 advertise_to @p ip (@p s as written) must leave some port: a
 * group or a link-local address of link scope out of any port with IPv6
 * (from its link-local), a wider group out of a port with an address6, a
 * global address out of the port on whose prefix it lies.
 */
static int
cfg_lpa_check6(struct ifp_ini *x, const struct ifp_conf *c, int line,
	       const uint8_t *ip, const char *s)
{
	static const uint8_t zero[16];
	const bool mcast = ip[0] == 0xff;
	const bool link = ifp_ip6_link_scope(ip);
	bool any6 = false, global6 = false, on_link = false;

	if (mcast && ((ip[1] & 0x0f) <= 1 || (ip[1] & 0x0f) == 0xf))
		return ifp_ini_error_at(x, line,
				 "advertise_to '%s' is a group of reserved or interface-local "
				 "scope: it never leaves the box (RFC 4291 2.7)", s);
	if (!mcast && memcmp(ip, zero, 15) == 0 && ip[15] <= 1)
		return ifp_ini_error_at(x, line, "advertise_to '%s' is :: or ::1", s);
	if (!mcast && ip[0] == 0)
		return ifp_ini_error_at(x, line,
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
				return ifp_ini_error_at(x, line,
						 "advertise_to '%s' is an address of port %u",
						 s, p);
		on_link |= ifp_port_prefix6_has(pc, ip);
	}
	if (!any6)
		return ifp_ini_error_at(x, line,
				 "advertise_to '%s': no port has IPv6 (address6 or "
				 "link_local) to send it from", s);
	if (!link && mcast && !global6)
		return ifp_ini_error_at(x, line,
				 "advertise_to '%s' is a group wider than the link: no port "
				 "has an address6 to send it from (a link-local source "
				 "stays on its link)", s);
	if (!link && !mcast && !on_link)
		return ifp_ini_error_at(x, line,
				 "advertise_to '%s' is on no port's address6 prefix "
				 "(icmpfp sends unicast LPAs on the link only)", s);
	return 0;
}

/*
 * advertise_to needs the ports: a group goes out of every port, a unicast
 * address out of the ports on its subnet (icmpfp has no gateway), so it
 * must be on one.
 */
int
ifp_cfg_lpa_check(struct ifp_ini *x, const struct ifp_conf *c, int line)
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
		if (ifp_cfg_addr_is_unusable(a->ip4))
			return ifp_ini_error_at(x, line,
					 "advertise_to '%s' is in 0/8, 127/8 or class E", s);
		for (unsigned int p = 0; p < IFP_MAX_PORTS; p++) {
			const struct ifp_port_conf *pc = &c->port[p];

			for (unsigned int k = 0; pc->present && k < pc->n_addr; k++) {
				const struct ifp_addr *ad = &pc->addr[k];

				if (a->ip4 == ad->ip || (ad->bcast != 0 && a->ip4 == ad->bcast))
					return ifp_ini_error_at(x, line,
							 "advertise_to '%s' is an address or "
							 "broadcast of port %u", s, p);
				if ((a->ip4 & ad->mask) == (ad->ip & ad->mask))
					on_link = true;
			}
		}
		if (!on_link)
			return ifp_ini_error_at(x, line,
					 "advertise_to '%s' is on no port's subnet (icmpfp "
					 "sends unicast LPAs on the link only)", s);
	}
	return 0;
}


static const char *const cfg_lpa_keys[] = {
	"listen", "udp_port", "groups", "hold", "advertise", "interval",
	"advertise_to", "ttl", NULL,
};

const struct ifp_ini_section ifp_cfg_lpa_section = {
	.name = "lpa",
	.keys = cfg_lpa_keys,
	.entry = cfg_lpa_entry,
	.reloads = true,
	.help = "Link Property Advertisements heard and sent",
};

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [port N] of the config (docs/configuration.md, "[port N]"): the
 * addresses a port answers for, its MAC, MTU and driver profile.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <rte_ether.h>

#include "ifp_config_int.h"

static int
cfg_port_address(struct ifp_ini *x, struct ifp_port_conf *p,
		 const char *value)
{
	char buf[IFP_INI_LINE_MAX];
	char *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		rte_be32_t ip;
		uint8_t depth;

		tok = ifp_ini_strip(tok);
		if (ifp_cfg_parse_prefix(tok, 1, &ip, &depth) < 0)
			return ifp_ini_error(x,
					 "address '%s' is not a.b.c.d/len (len 1-32)",
					 tok);
		if (ifp_cfg_addr_is_unusable(ip))
			return ifp_ini_error(x,
					 "address '%s' is in 0/8, 127/8, multicast or class E",
					 tok);
		for (unsigned int i = 0; i < p->n_addr; i++)
			if (p->addr[i].ip == ip)
				return ifp_ini_error(x,
						 "address '%s' given twice", tok);
		if (ifp_port_addr_add(p, ip, depth) < 0)
			return ifp_ini_error(x, "more than %d addresses",
					 IFP_MAX_ADDRS);
	}
	if (p->n_addr == 0)
		return ifp_ini_error(x, "address is empty");
	return 0;
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
	if (ifp_cfg_ip6_is_link_local(ip))
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
cfg_port_address6(struct ifp_ini *x, struct ifp_port_conf *p,
		  const char *value)
{
	char buf[IFP_INI_LINE_MAX];
	char *save = NULL, *tok;
	unsigned int n = 0;

	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		uint8_t ip[16], depth;
		const char *why;

		tok = ifp_ini_strip(tok);
		if (ifp_cfg_parse_prefix6(tok, true, 1, ip, &depth) < 0)
			return ifp_ini_error(x,
					 "address6 '%s' is not an IPv6 address/len (len 1-128)",
					 tok);
		why = cfg_addr6_unusable(ip, depth);
		if (why != NULL)
			return ifp_ini_error(x, "address6 '%s' %s", tok, why);
		for (unsigned int i = 1; i < p->n_addr6; i++)
			if (memcmp(p->addr6[i].ip, ip, 16) == 0)
				return ifp_ini_error(x,
						 "address6 '%s' given twice", tok);
		if (ifp_port_addr6_add(p, ip, depth) < 0)
			return ifp_ini_error(x, "more than %d address6",
					 IFP_MAX_ADDRS);
		n++;
	}
	if (n == 0)
		return ifp_ini_error(x, "address6 is empty");
	return 0;
}

static int
cfg_port_link_local(struct ifp_ini *x, struct ifp_port_conf *p,
		    const char *value)
{
	uint8_t ip[16], depth;

	if (strcmp(value, "auto") == 0) {
		ifp_port_ipv6_enable(p);
		return 0;
	}
	if (ifp_cfg_parse_prefix6(value, false, 1, ip, &depth) < 0 ||
	    !ifp_cfg_ip6_is_link_local(ip) || depth != (strchr(value, '/') ? 64 : 128))
		return ifp_ini_error(x,
				 "link_local '%s': expected auto or a fe80::/10 address (with /64 or no length)",
				 value);
	/* RFC 4291 2.5.6: fe80::/64 and an interface identifier */
	if (memcmp(ip + 2, "\0\0\0\0\0\0", 6) != 0 ||
	    memcmp(ip + 8, "\0\0\0\0\0\0\0\0", 8) == 0)
		return ifp_ini_error(x,
				 "link_local '%s': expected fe80::/64 with a non-zero interface identifier",
				 value);
	ifp_port_ll_set(p, ip);
	return 0;
}

static int
cfg_port_mac(struct ifp_ini *x, struct ifp_port_conf *p, const char *value)
{
	if (rte_ether_unformat_addr(value, &p->mac) < 0)
		return ifp_ini_error(x, "mac '%s' is not xx:xx:xx:xx:xx:xx", value);
	if (!rte_is_unicast_ether_addr(&p->mac) || rte_is_zero_ether_addr(&p->mac))
		return ifp_ini_error(x, "mac '%s' is not a unicast address", value);
	p->mac_set = true;
	return 0;
}

static int
cfg_port_profile(struct ifp_ini *x, struct ifp_port_conf *p, const char *value)
{
	if (strlen(value) >= sizeof(p->profile))
		return ifp_ini_error(x, "profile name is longer than %zu characters",
				     sizeof(p->profile) - 1);
	for (const char *s = value; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return ifp_ini_error(x,
					     "profile '%s': only letters, digits, '_' and '-'",
					     value);
	snprintf(p->profile, sizeof(p->profile), "%s", value);
	return 0;
}

static int
cfg_port_entry(struct ifp_ini *x, const char *key, const char *value)
{
	struct ifp_cfg_load *l = x->user;
	struct ifp_port_conf *p = &l->c->port[x->id];
	uint32_t v;

	if (strcmp(key, "address") == 0)
		return cfg_port_address(x, p, value);
	if (strcmp(key, "address6") == 0)
		return cfg_port_address6(x, p, value);
	if (strcmp(key, "link_local") == 0)
		return cfg_port_link_local(x, p, value);
	if (strcmp(key, "mac") == 0)
		return cfg_port_mac(x, p, value);
	if (strcmp(key, "profile") == 0)
		return cfg_port_profile(x, p, value);
	/* mtu, the last key the reader lets through. RFC 791: every host
	 * must take 68-byte datagrams */
	if (ifp_cfg_parse_u32(value, 68, 9600, &v) < 0)
		return ifp_ini_error(x, "mtu '%s' must be a number from 68 to 9600",
				     value);
	p->mtu = (uint16_t)v;
	l->mtu_line = x->line;
	return 0;
}

static int
cfg_port_finish(struct ifp_ini *x, int line)
{
	struct ifp_cfg_load *l = x->user;
	struct ifp_port_conf *p = &l->c->port[x->id];
	int mtu_line = l->mtu_line ? l->mtu_line : line;

	l->mtu_line = 0;
	if (p->n_addr == 0)
		return ifp_ini_error_at(x, line, "[%s] has no address", x->section);
	ifp_port_ll_auto(p);
	/* RFC 8200 5: every link carrying IPv6 has an MTU of 1280 octets or
	 * more */
	if (p->n_addr6 > 0 && p->mtu < 1280)
		return ifp_ini_error_at(x, mtu_line,
					"[%s] mtu %u is below IPv6's minimum of 1280 "
					"(RFC 8200 5)", x->section, p->mtu);
	p->present = true;
	l->any_port = true;
	return 0;
}

static const char *const cfg_port_keys[] = {
	"address", "address6", "link_local", "mac", "mtu", "profile", NULL,
};

const struct ifp_ini_section ifp_cfg_port_section = {
	.name = "port",
	.id_max = IFP_MAX_PORTS,
	.keys = cfg_port_keys,
	.entry = cfg_port_entry,
	.finish = cfg_port_finish,
	.reloads = false,
	.help = "a port: its addresses, MAC, MTU, driver profile",
};

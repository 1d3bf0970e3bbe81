/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "ifp_conf.h"

void
ifp_conf_defaults(struct ifp_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->icmp = (struct ifp_icmp_conf){
		.echo = true,
		.timestamp = true,
		.address_mask = false,
		/* RFC 8335 8: PROBE is off unless the operator turns it on */
		.extended_echo = false,
		.echo_broadcast = false,
		.reassembly = true,
		.extensions = false,
		.reply_ttl = 64,
	};
	/* [icmp6]: as [icmp], and RFC 8335 8 for extended echo; echo to
	 * ff02::1 is off, unlike Linux's icmpv6 echo_ignore_multicast = 0 */
	c->icmp6 = (struct ifp_icmp6_conf){
		.echo = true,
		.echo_multicast = false,
		.extended_echo = false,
		.reassembly = true,
		.extensions = false,
		.reply_hop_limit = 64,
	};
	/* Linux's icmp_msgs_per_sec and icmp_msgs_burst; per source 100/s,
	 * where Linux's icmp_ratelimit allows about 1/s (docs/configuration.md,
	 * "[ratelimit]") */
	c->ratelimit = (struct ifp_ratelimit_conf){
		.errors_per_sec = 1000,
		.errors_burst = 50,
		.per_source_per_sec = 100,
		.per_source_burst = 5,
		.echo_per_sec = 0,
	};
	/* the reference generator's port; all-routers (RFC 1256 and RFC
	 * 4861 name it for routers) in both families */
	c->lpa = (struct ifp_lpa_conf){
		.listen = false,
		.advertise = false,
		.udp_port = 7575,
		.ttl = 1,
		.hold = 3,
		.interval = 1,
		.n_groups = 2,
		.n_to = 1,
	};
	c->lpa.group[0].ip4 = RTE_BE32(UINT32_C(0xe0000002));
	c->lpa.group[1].v6 = true;
	c->lpa.group[1].ip6[0] = 0xff;
	c->lpa.group[1].ip6[1] = 0x02;
	c->lpa.group[1].ip6[15] = 0x02;
	c->lpa.to[0] = c->lpa.group[0];
	ifp_lpa_conf_macs(&c->lpa);
	c->route_default = IFP_ROUTE_NONE;
	c->route_default6 = IFP_ROUTE_NONE;
	for (unsigned int i = 0; i < IFP_MAX_PORTS; i++)
		c->port[i].mtu = 1500;
}

int
ifp_port_addr_add(struct ifp_port_conf *p, rte_be32_t ip, uint8_t depth)
{
	struct ifp_addr *a;
	uint32_t mask;

	if (p->n_addr >= IFP_MAX_ADDRS)
		return -1;
	mask = depth == 0 ? 0 : ~0u << (32 - depth);
	a = &p->addr[p->n_addr++];
	a->ip = ip;
	a->depth = depth;
	a->mask = rte_cpu_to_be_32(mask);
	/* /31 and /32 have no broadcast address (RFC 3021) */
	a->bcast = depth >= 31 ? 0 : (ip | ~a->mask);
	return 0;
}

void
ifp_port_ipv6_enable(struct ifp_port_conf *p)
{
	if (p->n_addr6 > 0)
		return;
	memset(&p->addr6[0], 0, sizeof(p->addr6[0]));
	p->addr6[0].depth = 64;
	p->ll_auto = true;
	p->n_addr6 = 1;
	ifp_port_ll_auto(p);
}

void
ifp_port_ll_set(struct ifp_port_conf *p, const uint8_t ip[16])
{
	ifp_port_ipv6_enable(p);
	memcpy(p->addr6[0].ip, ip, 16);
	p->addr6[0].depth = 64;
	p->ll_auto = false;
}

int
ifp_port_addr6_add(struct ifp_port_conf *p, const uint8_t ip[16],
		   uint8_t depth)
{
	struct ifp_addr6 *a;

	ifp_port_ipv6_enable(p);
	if (p->n_addr6 >= IFP_MAX_ADDRS6)
		return -1;
	a = &p->addr6[p->n_addr6++];
	memcpy(a->ip, ip, 16);
	a->depth = depth;
	return 0;
}

void
ifp_port_ll_auto(struct ifp_port_conf *p)
{
	uint8_t *ip = p->addr6[0].ip;
	const uint8_t *mac = p->mac.addr_bytes;

	if (p->n_addr6 == 0 || !p->ll_auto)
		return;
	memset(ip, 0, 16);
	ip[0] = 0xfe;
	ip[1] = 0x80;
	/* RFC 4291 appendix A: the universal/local bit inverted, ff:fe in
	 * the middle */
	ip[8] = mac[0] ^ 0x02;
	ip[9] = mac[1];
	ip[10] = mac[2];
	ip[11] = 0xff;
	ip[12] = 0xfe;
	ip[13] = mac[3];
	ip[14] = mac[4];
	ip[15] = mac[5];
}

bool
ifp_port_prefix6_has(const struct ifp_port_conf *p, const uint8_t *ip)
{
	for (unsigned int i = 1; i < p->n_addr6; i++) {
		const uint8_t *a = p->addr6[i].ip;
		unsigned int d = p->addr6[i].depth, k = d / 8;

		/* the whole octets, then the prefix's last bits */
		if (memcmp(a, ip, k) == 0 &&
		    (d % 8 == 0 || ((a[k] ^ ip[k]) & (uint8_t)(0xff00 >> (d % 8))) == 0))
			return true;
	}
	return false;
}

void
ifp_ipx_group_mac(const struct ifp_ipx *g, struct rte_ether_addr *mac)
{
	if (g->v6) {
		/* RFC 2464 7: 33-33 and the group's last four octets */
		mac->addr_bytes[0] = 0x33;
		mac->addr_bytes[1] = 0x33;
		memcpy(&mac->addr_bytes[2], &g->ip6[12], 4);
	} else {
		/* RFC 1112 6.4: 01-00-5E and the low-order 23 bits */
		uint32_t a = rte_be_to_cpu_32(g->ip4);

		mac->addr_bytes[0] = 0x01;
		mac->addr_bytes[1] = 0x00;
		mac->addr_bytes[2] = 0x5e;
		mac->addr_bytes[3] = (uint8_t)((a >> 16) & 0x7f);
		mac->addr_bytes[4] = (uint8_t)(a >> 8);
		mac->addr_bytes[5] = (uint8_t)a;
	}
}

void
ifp_lpa_conf_macs(struct ifp_lpa_conf *l)
{
	for (unsigned int i = 0; i < l->n_groups; i++)
		ifp_ipx_group_mac(&l->group[i], &l->group_mac[i]);
}

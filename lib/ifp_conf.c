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
	/* Linux's icmp_ratelimit and icmp_msgs_per_sec defaults */
	c->ratelimit = (struct ifp_ratelimit_conf){
		.errors_per_sec = 1000,
		.errors_burst = 50,
		.per_source_per_sec = 100,
		.per_source_burst = 5,
		.echo_per_sec = 0,
	};
	c->route_default = IFP_ROUTE_NONE;
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

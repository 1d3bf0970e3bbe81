/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 8335 extended echo: what the reply says about the probed interface.
 * Like Linux, the request's extension structure travels back unchanged.
 */
#include <string.h>

#include <rte_byteorder.h>

#include "ifp_pkt.h"
#include "ifp_probe.h"

/* RFC 8335 2: Interface Identification Object, class 3 */
#define IFP_PROBE_CLASS_IIO 3
#define IFP_PROBE_BY_NAME 1
#define IFP_PROBE_BY_INDEX 2
#define IFP_PROBE_BY_ADDR 3
/* RFC 8335 3: reply codes */
#define IFP_PROBE_OK 0
#define IFP_PROBE_MALFORMED 1
#define IFP_PROBE_NO_IF 2
#define IFP_PROBE_NO_ENTRY 3
#define IFP_PROBE_MULTIPLE 4
/* RFC 8335 3: the last octet of the reply header */
#define IFP_PROBE_ACTIVE 0x04
#define IFP_PROBE_IPV4 0x02
#define IFP_PROBE_IPV6 0x01

/*
 * Which of our ports the Interface Identification Object names. Our
 * interfaces are the configured ports: name = the port's name, ifIndex =
 * DPDK port id + 1 (as in the RFC 5837 objects of our errors), addresses
 * = the port's IPv4 and IPv6 addresses (its link-local included). Sets
 * *found to the port of a single match.
 */
static uint8_t
ifp_probe_lookup(const struct ifp_conf *c, const uint8_t *obj, uint32_t olen,
		 uint16_t *found)
{
	const uint8_t *p = obj + 4;
	uint32_t plen = olen - 4, matches = 0;

	for (uint16_t i = 0; i < IFP_MAX_PORTS; i++) {
		const struct ifp_port_conf *pc = &c->port[i];
		bool hit = false;

		if (!pc->present)
			continue;
		switch (obj[3]) {
		case IFP_PROBE_BY_NAME: {
			size_t n = strnlen((const char *)p, plen);

			hit = n > 0 && n == strnlen(pc->name, sizeof(pc->name)) &&
			      memcmp(p, pc->name, n) == 0;
			break;
		}
		case IFP_PROBE_BY_INDEX: {
			rte_be32_t idx;

			if (plen != 4)
				return IFP_PROBE_MALFORMED;
			memcpy(&idx, p, 4);
			hit = rte_be_to_cpu_32(idx) == (uint32_t)i + 1;
			break;
		}
		case IFP_PROBE_BY_ADDR: {
			uint16_t afi;
			rte_be32_t a;

			if (plen < 4)
				return IFP_PROBE_MALFORMED;
			afi = (uint16_t)(p[0] << 8 | p[1]);
			if (afi == 2 && p[2] == 16 && plen >= 20) {
				hit = ifp_port_addr6_find(pc, p + 4) != NULL;
				break;
			}
			if (afi != 1 || p[2] != 4 || plen < 8)
				return IFP_PROBE_MALFORMED;
			memcpy(&a, p + 4, 4);
			hit = ifp_port_addr_find(pc, a) != NULL;
			break;
		}
		default:
			return IFP_PROBE_MALFORMED;
		}
		if (hit) {
			matches++;
			*found = i;
		}
	}
	if (matches == 0)
		return IFP_PROBE_NO_IF;
	return matches == 1 ? IFP_PROBE_OK : IFP_PROBE_MULTIPLE;
}

uint8_t
ifp_probe_answer(const struct ifp_conf *c, uint8_t *b, uint32_t len)
{
	uint8_t code, bits = 0;
	uint16_t port = 0;

	if (len < 8 + 4 + 4 || (b[8] >> 4) != 2) {
		/* no extension structure of version 2 with an object */
		code = IFP_PROBE_MALFORMED;
	} else {
		const uint8_t *obj = b + 12;
		uint32_t olen = (uint32_t)(obj[0] << 8 | obj[1]);

		if (obj[2] != IFP_PROBE_CLASS_IIO || olen < 4 || 12 + olen > len)
			code = IFP_PROBE_MALFORMED;
		else if (!(b[7] & 1))
			/* L clear: a neighbour by proxy; we keep no neighbour
			 * table (RFC 8335 4) */
			code = IFP_PROBE_NO_ENTRY;
		else
			code = ifp_probe_lookup(c, obj, olen, &port);
	}
	if (code == IFP_PROBE_OK) {
		/* a configured port is up as far as the fast path knows:
		 * its worker is polling it */
		bits = IFP_PROBE_ACTIVE;
		if (c->port[port].n_addr > 0)
			bits |= IFP_PROBE_IPV4;
		if (c->port[port].n_addr6 > 0)
			bits |= IFP_PROBE_IPV6;
	}
	b[7] = bits; /* State 0 for a local probe, Res 0, A, 4, 6 */
	return code;
}

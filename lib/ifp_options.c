/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 options of datagrams addressed to us (RFC 791 3.1). Checked before
 * anything is answered; updated only in a reply built in place.
 */
#include <assert.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "ifp_options.h"
#include "ifp_pkt.h"

/* option numbers and timestamp flags: <netinet/ip.h>, via rte_ip.h */

/* a Parameter Problem pointing at octet @p off (< 60) of the IP header */
static inline enum ifp_opt_status
pp_at(uint8_t *where, uint32_t off)
{
	*where = (uint8_t)off;
	return IFP_OPT_PARAM_PROBLEM;
}

/*
 * Walk the options; with @p update, record our address and time in
 * record-route and timestamp options (RFC 1122 3.2.2.6: "updated to include
 * the current host"). The checks follow Linux's ip_options_compile().
 */
static enum ifp_opt_status
ifp_ipv4_options_walk(struct ifp_lcore *lc, struct ifp_pkt *pkt, bool update,
		      uint8_t *where)
{
	uint8_t *opt = (uint8_t *)(pkt->ip + 1);
	const uint32_t len = pkt->l3_len - sizeof(struct rte_ipv4_hdr);
	const uint32_t base = sizeof(struct rte_ipv4_hdr);
	rte_be32_t us = pkt->local->ip;
	uint32_t i = 0;

	while (i < len) {
		uint8_t *o = opt + i, ol, ptr;

		if (o[0] == IPOPT_END)
			break;
		if (o[0] == IPOPT_NOOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return pp_at(where, base + i);
		ol = o[1];
		if (ol < 2 || ol > len - i)
			return pp_at(where, base + i + 1);

		switch (o[0]) {
		case IPOPT_LSRR:
		case IPOPT_SSRR:
			/* RFC 7126 4.3, 4.4: drop source-routed datagrams */
			return IFP_OPT_SOURCE_ROUTE;
		case IPOPT_RR:
			if (ol < 3)
				return pp_at(where, base + i + 1);
			ptr = o[2];
			if (ptr < 4)
				return pp_at(where, base + i + 2);
			if (ptr <= ol) {
				if (ptr + 3 > ol)
					return pp_at(where, base + i + 2);
				if (update) {
					memcpy(o + ptr - 1, &us, 4);
					o[2] = (uint8_t)(ptr + 4);
				}
			}
			/* a full route is left as it is (RFC 791) */
			break;
		case IPOPT_TS: {
			uint8_t flg, oflw, entry;
			rte_be32_t ts;

			if (ol < 4)
				return pp_at(where, base + i + 1);
			ptr = o[2];
			if (ptr < 5)
				return pp_at(where, base + i + 2);
			flg = o[3] & 0xf;
			oflw = o[3] >> 4;
			if (flg != IPOPT_TS_TSONLY && flg != IPOPT_TS_TSANDADDR &&
			    flg != IPOPT_TS_PRESPEC)
				return pp_at(where, base + i + 3);
			entry = flg == IPOPT_TS_TSONLY ? 4 : 8;
			if (ptr > ol) {
				/* no room: count the overflow; past 15 the
				 * datagram is in error (RFC 791) */
				if (oflw == 15)
					return pp_at(where, base + i + 3);
				if (update)
					o[3] = (uint8_t)(((oflw + 1) << 4) | flg);
				break;
			}
			if (ptr + entry - 1 > ol)
				return pp_at(where, base + i + 2);
			if (!update)
				break;
			ts = rte_cpu_to_be_32(ifp_ms_since_midnight(lc->now_ns));
			if (flg == IPOPT_TS_TSONLY) {
				memcpy(o + ptr - 1, &ts, 4);
				o[2] = (uint8_t)(ptr + 4);
			} else if (flg == IPOPT_TS_TSANDADDR) {
				memcpy(o + ptr - 1, &us, 4);
				memcpy(o + ptr + 3, &ts, 4);
				o[2] = (uint8_t)(ptr + 8);
			} else if (memcmp(o + ptr - 1, &us, 4) == 0) {
				/* prespecified: only where our address is next */
				memcpy(o + ptr + 3, &ts, 4);
				o[2] = (uint8_t)(ptr + 8);
			}
			break;
		}
		default:
			/* other options travel back unchanged */
			break;
		}
		i += ol;
	}
	return IFP_OPT_OK;
}

enum ifp_opt_status
ifp_ipv4_options_check(struct ifp_lcore *lc, struct ifp_pkt *pkt, uint8_t *ptr)
{
	return ifp_ipv4_options_walk(lc, pkt, false, ptr);
}

void
ifp_ipv4_options_echo(struct ifp_lcore *lc, struct ifp_pkt *pkt)
{
	uint8_t ptr;
	enum ifp_opt_status st = ifp_ipv4_options_walk(lc, pkt, true, &ptr);

	assert(st == IFP_OPT_OK);
	(void)st;
}

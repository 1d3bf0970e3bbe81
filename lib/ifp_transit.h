/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_TRANSIT_H
#define IFP_TRANSIT_H

/*
 * Internal to lib/: step 5 of both families, what a packet that passes
 * through the box earns from its route, its hop count and its length: one
 * order of checks, the families' constants in struct ifp_transit_af.
 * icmpfp forwards nothing: a packet that earns no error is dropped.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_conf.h"
#include "ifp_error.h"
#include "ifp_lcore.h"
#include "ifp_lpa_table.h"
#include "ifp_pkt.h"

/* What the two families' transit answers differ in. */
struct ifp_transit_af {
	enum ifp_answer route; /**< a route's Destination Unreachable */
	enum ifp_answer modem; /**< the same, for a modem that is down */
	enum ifp_answer time;  /**< Time Exceeded */
	enum ifp_answer big;   /**< Frag Needed, Packet Too Big */
	uint8_t unreach;       /**< type of Destination Unreachable */
	uint8_t time_type;
	uint8_t big_type;
	uint8_t big_code;
	uint16_t min_mtu;      /**< the smallest link MTU of the family */
	/** a modem MTU below min_mtu: min_mtu (true) or no MTU at all */
	bool mtu_floor;
};

static const struct ifp_transit_af ifp_transit_ipv4 = {
	.route = IFP_ANS_UNREACH_ROUTE,
	.modem = IFP_ANS_UNREACH_MODEM,
	.time = IFP_ANS_TIME_EXCEEDED,
	.big = IFP_ANS_FRAG_NEEDED,
	.unreach = IFP_ICMP_DEST_UNREACH,
	.time_type = IFP_ICMP_TIME_EXCEEDED,
	/* RFC 1191 4: Destination Unreachable, fragmentation needed and
	 * DF set */
	.big_type = IFP_ICMP_DEST_UNREACH,
	.big_code = 4,
	/* RFC 791: no link has an MTU below 68, so a modem saying less
	 * says nothing of its MTU */
	.min_mtu = 68,
	.mtu_floor = false,
};

static const struct ifp_transit_af ifp_transit_ipv6 = {
	.route = IFP_ANS_UNREACH_ROUTE6,
	.modem = IFP_ANS_UNREACH_MODEM6,
	.time = IFP_ANS_TIME_EXCEEDED6,
	.big = IFP_ANS_PKT_TOO_BIG6,
	.unreach = IFP_ICMP6_DEST_UNREACH,
	.time_type = IFP_ICMP6_TIME_EXCEEDED,
	.big_type = IFP_ICMP6_PKT_TOO_BIG,
	.big_code = 0,
	/* RFC 8200 5: a link that cannot carry 1280 octets fragments and
	 * reassembles below IPv6, so IPv6 sees an MTU of 1280 on it */
	.min_mtu = 1280,
	.mtu_floor = true,
};

/** What a transit packet earns: ifp_transit_decide(). */
struct ifp_transit_decision {
	/** ifp_v_answer(kind), to be sent with type, code and mtu, or
	 * ifp_v_drop(reason) */
	enum ifp_verdict v;
	uint8_t type;
	uint8_t code;
	uint16_t mtu; /**< Frag Needed, Packet Too Big: the next-hop MTU */
};

/*
 * The decision of ifp_transit_answer(), without a frame: what a packet of
 * family @p v6 earns from route c->route[@p hop] (IFP_ROUTE_NONE: none),
 * the LPA view @p lpa, @p hops_left, @p len and @p group (as there). The
 * fast path and `route get` (ifp_transit_probe()) both decide here.
 */
static inline struct ifp_transit_decision
ifp_transit_decide(const struct ifp_conf *c, const struct ifp_lpa_view *lpa,
		   bool v6, uint32_t hop, uint8_t hops_left, uint32_t len,
		   bool group)
{
	const struct ifp_transit_af *af = v6 ? &ifp_transit_ipv6 : &ifp_transit_ipv4;
	const struct ifp_route *r = hop == IFP_ROUTE_NONE ? NULL : &c->route[hop];
	const struct ifp_transit_decision silent = {
		.v = ifp_v_drop(group ? IFP_DROP_IP6_DST_MULTICAST : IFP_DROP_TRANSIT),
	};
	uint16_t mtu = 0;

	if (r != NULL) {
		switch (r->action) {
		case IFP_ROUTE_UNREACHABLE:
			if (group)
				return silent;
			return (struct ifp_transit_decision){
				ifp_v_answer(af->route), af->unreach, (uint8_t)r->arg, 0};
		case IFP_ROUTE_MTU:
			mtu = r->arg;
			break;
		case IFP_ROUTE_MODEM:
			/* the modem's link is the next hop: while it is down
			 * (said so, silent past hold, never heard) the net
			 * behind it is unreachable (net: code 0 in both) */
			if (!ifp_lpa_view_up(lpa, r->modem, &mtu)) {
				if (group)
					return silent;
				return (struct ifp_transit_decision){
					ifp_v_answer(af->modem), af->unreach, 0, 0};
			}
			/* 0: none given */
			if (mtu != 0 && mtu < af->min_mtu)
				mtu = af->mtu_floor ? af->min_mtu : 0;
			break;
		default:
			break;
		}
	}
	/* RFC 1812 5.3.1, RFC 4443 3.3: a packet whose TTL or hop limit
	 * would reach zero is discarded with Time Exceeded, code 0 */
	if (hops_left <= 1) {
		if (group)
			return silent;
		return (struct ifp_transit_decision){ifp_v_answer(af->time),
						     af->time_type, 0, 0};
	}
	/* RFC 1191 4: Fragmentation Needed carries the next-hop MTU in the
	 * low-order 16 bits; RFC 4443 3.2: Packet Too Big carries the MTU of
	 * the next-hop link, and may answer a multicast (RFC 8201) */
	if (mtu != 0 && len > mtu)
		return (struct ifp_transit_decision){ifp_v_answer(af->big),
						     af->big_type, af->big_code, mtu};
	return silent;
}

/*
 * What an IPv6 packet to @p dst, not one of ours, earns before its route
 * is looked up, sent to our MAC (@p to_us) or to a link-layer group:
 * IFP_V_NONE to go on to the route (a group of wider than link scope, sent
 * to us, too), or the drop.
 */
static inline enum ifp_verdict
ifp_transit6_dst_check(const uint8_t *dst, bool to_us)
{
	if (unlikely(ifp_ip6_is_mcast(dst))) {
		/* RFC 4291 2.7: a group of interface- or link-local scope
		 * never leaves the link; one of wider scope is routed when
		 * it was sent to us, and may earn Packet Too Big alone */
		if ((dst[1] & 0x0f) <= 2 || !to_us)
			return ifp_v_drop(IFP_DROP_IP6_DST_MULTICAST);
	} else if (!to_us) {
		/* a frame sent to link-layer multicast or broadcast is not
		 * ours to route (RFC 1812 5.3.4 in spirit; Linux drops
		 * PACKET_MULTICAST frames to a unicast it does not own) */
		return ifp_v_drop(IFP_DROP_L2_BCAST_TRANSIT);
	} else if (unlikely(ifp_ip6_is_link_local(dst))) {
		/* RFC 4291 2.5.6: routers do not forward a packet to a
		 * link-local address */
		return ifp_v_drop(IFP_DROP_IP6_DST_LINK_LOCAL);
	}
	return IFP_V_NONE;
}

/**
 * Answer transit packet @p pkt (pkt->v6: IPv6) whose route is
 * c->route[@p hop] (IFP_ROUTE_NONE: none), in docs/configuration.md's
 * order ("[routes]"): the
 * route's Destination Unreachable, or a modem's that is down; else
 * @p hops_left (TTL, hop limit) at most 1: Time Exceeded; else @p len
 * longer than the route's MTU (a modem's): Fragmentation Needed / Packet
 * Too Big; else the transit drop. @p len 0: the packet may be fragmented
 * on its way (IPv4 without DF), no MTU is too small for it. @p group: a
 * multicast destination, about which only Packet Too Big is ever sent (RFC
 * 4443 2.4(e.3)); whatever else it earns is the ip6_dst_multicast drop.
 * The route counts the packet in its hits (this worker's, ifp_route_hits()).
 * Inline: the bench's transit probes pay for a call (bench/bench_proc mix).
 */
static inline enum ifp_verdict
ifp_transit_answer(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
		   uint32_t hop, uint8_t hops_left, uint32_t len, bool group)
{
	const struct ifp_conf *c = lc->conf;
	struct ifp_transit_decision d;

	/* one increment, in this worker's own row: no atomics, no line
	 * shared with another worker (ifp_routes_hits_alloc()) */
	if (hop != IFP_ROUTE_NONE && likely(c->route_hits != NULL))
		c->route_hits[(size_t)lc->worker * c->route_hits_stride + hop]++;
	if (unlikely(pkt->trace != NULL))
		ifp_trace_route_hop(pkt->trace, lc->trace_file, c, hop);
	d = ifp_transit_decide(c, lc->lpa, pkt->v6, hop, hops_left, len, group);
	if (ifp_v_is_drop(d.v))
		return d.v;
	return ifp_error_send(lc, m, pkt, (enum ifp_answer)IFP_V_KIND(d.v), d.type,
			      d.code, d.mtu);
}

#endif /* IFP_TRANSIT_H */

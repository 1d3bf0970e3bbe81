/* SPDX-License-Identifier: BSD-3-Clause */
#include "ifp_pkt.h"
#include "ifp_route_get.h"
#include "ifp_transit.h"

static struct ifp_route_outcome
ifp_route_outcome(enum ifp_verdict v)
{
	return (struct ifp_route_outcome){
		.answered = !ifp_v_is_drop(v),
		.kind = (uint8_t)IFP_V_KIND(v),
	};
}

void
ifp_route_probe(const struct ifp_conf *c, const struct ifp_lpa_view *lpa,
		const struct ifp_ipx *dst, struct ifp_route_probe *out)
{
	enum ifp_verdict pre = IFP_V_NONE;
	bool group = false;

	if (dst->v6) {
		pre = ifp_transit6_dst_check(dst->ip6, true);
		group = ifp_ip6_is_mcast(dst->ip6);
		out->route = ifp_route6_lookup(c, dst->ip6);
	} else {
		/* ifp_ipv4_input(): a group not ours is never routed */
		if (ifp_ipv4_is_mcast(rte_be_to_cpu_32(dst->ip4)))
			pre = ifp_v_drop(IFP_DROP_IP_DST_MULTICAST);
		out->route = ifp_route_lookup(c, dst->ip4);
	}
	if (pre != IFP_V_NONE) {
		out->route = IFP_ROUTE_NONE;
		out->ttl1 = out->df1500 = ifp_route_outcome(pre);
		return;
	}
	out->ttl1 = ifp_route_outcome(
	    ifp_transit_decide(c, lpa, dst->v6, out->route, 1, 0, group).v);
	out->df1500 = ifp_route_outcome(
	    ifp_transit_decide(c, lpa, dst->v6, out->route, 64, 1500, group).v);
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <pthread.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "ifp_arp.h"
#include "ifp_ctl.h"
#include "ifp_link.h"
#include "ifp_log.h"
#include "ifp_lpa.h"
#include "ifp_lpa_adv.h"
#include "ifp_lpa_listen.h"
#include "ifp_nd.h"

/* a known MAC is asked again after this long, and kept meanwhile */
#define IFP_LPA_NEIGH_REFRESH_NS (60ull * 1000000000ull)

static struct {
	struct rte_mempool *(*pool_of)(uint16_t port);
	/* the config whose missing IPv6 sources were logged, and which:
	 * bit i of noted[p], advertise_to entry i on port p */
	const struct ifp_conf *noted_conf;
	uint8_t noted[IFP_MAX_PORTS];
	bool event;
	uint64_t next_ns; /* of the next periodic round; 0: at once */
	uint16_t ip_id;
	pthread_mutex_t lock; /* the counters, for telemetry */
	struct ifp_lpa_adv_stats st;
} adv = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

void
ifp_lpa_adv_init(struct rte_mempool *(*pool_of)(uint16_t port))
{
	adv.pool_of = pool_of;
	adv.ip_id = 1;
}

void
ifp_lpa_adv_event(void)
{
	adv.event = true;
}

/* The link of @p port as the link watch last saw it (ifp_link.h). */
static void
port_link(uint16_t port, struct ifp_lpa_link *l)
{
	struct ifp_link_state ls;

	memset(l, 0, sizeof(*l));
	if (ifp_link_get(port, &ls) != 0)
		return;
	l->up = ls.link.link_status == RTE_ETH_LINK_UP;
	/* a link that is down carries nothing, whatever speed it had */
	if (l->up && ls.link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN)
		l->speed_bps = (uint64_t)ls.link.link_speed * 1000000u;
	l->full_duplex = ls.link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX;
	l->fixed = ls.link.link_autoneg == RTE_ETH_LINK_FIXED;
}

static struct rte_mbuf *
frame_alloc(uint16_t port)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(adv.pool_of(port));

	if (m == NULL)
		adv.st.no_mbuf++;
	else
		m->port = port;
	return m;
}

/*
 * Is the unicast destination @p to on the link of port @p pc (icmpfp has
 * no gateway): on the subnet of one of its addresses (IPv4; *@p sip is that
 * address, the ARP request's sender), on the prefix of one of its address6,
 * or link-local, which every IPv6 link has. Never one of our own addresses.
 */
static bool
on_link(const struct ifp_port_conf *pc, const struct ifp_ipx *to, rte_be32_t *sip)
{
	if (!to->v6) {
		for (unsigned int i = 0; i < pc->n_addr; i++)
			if ((to->ip4 & pc->addr[i].mask) ==
			    (pc->addr[i].ip & pc->addr[i].mask)) {
				*sip = pc->addr[i].ip;
				return true;
			}
		return false;
	}
	if (pc->n_addr6 == 0)
		return false;
	for (unsigned int i = 0; i < pc->n_addr6; i++)
		if (memcmp(to->ip6, pc->addr6[i].ip, 16) == 0)
			return false;
	return ifp_ip6_link_scope(to->ip6) || ifp_port_prefix6_has(pc, to->ip6);
}

/* Ask the link of port @p p for the MAC of @p to: an ARP request from
 * @p sip, or a neighbour solicitation. */
static void
neigh_ask(const struct ifp_port_conf *pc, uint16_t p, const struct ifp_ipx *to,
	  rte_be32_t sip)
{
	struct rte_mbuf *m = frame_alloc(p);

	if (m == NULL)
		return;
	if ((to->v6 ? ifp_nd_ns_build(m, pc, to->ip6)
		    : ifp_arp_request_build(m, pc, sip, to->ip4)) < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	ifp_ctl_send(m);
	if (to->v6)
		adv.st.ns_requests++;
	else
		adv.st.arp_requests++;
}

/* Where a datagram for @p to leaves port @p p: the group's MAC, or the
 * unicast destination's once known (asked for otherwise). */
static bool
dest_mac(const struct ifp_port_conf *pc, uint16_t p, const struct ifp_ipx *to,
	 uint64_t now_ns, struct rte_ether_addr *mac)
{
	struct ifp_lpa_neigh nb;
	rte_be32_t sip = 0;
	bool known;

	if (ifp_ipx_is_group(to)) {
		ifp_ipx_group_mac(to, mac);
		return true;
	}
	if (!on_link(pc, to, &sip))
		return false;
	known = ifp_lpa_neigh_get(p, to, &nb) == 0;
	if (!known || now_ns - nb.learned_ns > IFP_LPA_NEIGH_REFRESH_NS)
		neigh_ask(pc, p, to, sip);
	if (!known) {
		adv.st.unresolved++;
		return false;
	}
	*mac = nb.mac;
	return true;
}

/*
 * Port @p p has no IPv6 source for the group of advertise_to entry @p i: it
 * sends it nothing. Counted every round, logged once for each port and
 * entry of a config.
 */
static void
no_source(const struct ifp_conf *c, uint16_t p, unsigned int i)
{
	char s[INET6_ADDRSTRLEN];

	adv.st.no_source++;
	if (adv.noted_conf != c) {
		memset(adv.noted, 0, sizeof(adv.noted));
		adv.noted_conf = c;
	}
	if (adv.noted[p] & (1u << i))
		return;
	adv.noted[p] |= (uint8_t)(1u << i);
	ifp_ipx_str(&c->lpa.to[i], s, sizeof(s));
	IFP_LOG(NOTICE, "lpa: port %u has no IPv6 %s: no LPA to %s from it", p,
		c->port[p].n_addr6 == 0 ? "(no address6, no link_local)"
					: "address of that scope (no address6)",
		s);
}

static void
round_send(const struct ifp_conf *c, uint64_t now_ns)
{
	const struct ifp_lpa_conf *l = &c->lpa;
	struct ifp_lpa_block b[IFP_LPA_BLOCKS_MAX];
	bool up[IFP_MAX_PORTS] = {false};
	unsigned int n = 0;

	for (uint16_t p = 0; p < IFP_MAX_PORTS && n < IFP_LPA_BLOCKS_MAX; p++) {
		struct ifp_lpa_link link;

		if (!c->port[p].present)
			continue;
		port_link(p, &link);
		up[p] = link.up;
		ifp_lpa_block_of_port(&c->port[p], p, &link, &b[n++]);
	}
	for (uint16_t p = 0; p < IFP_MAX_PORTS; p++) {
		const struct ifp_port_conf *pc = &c->port[p];

		if (!pc->present || !up[p])
			continue;
		for (unsigned int i = 0; i < l->n_to; i++) {
			const struct ifp_ipx *to = &l->to[i];
			struct rte_ether_addr mac;
			struct rte_mbuf *m;
			int rc;

			/* a unicast destination has a source on every port
			 * whose link it is on (dest_mac()) */
			if (to->v6 && ifp_ipx_is_group(to) &&
			    ifp_lpa_src6(pc, to->ip6) == NULL) {
				no_source(c, p, i);
				continue;
			}
			if (!dest_mac(pc, p, to, now_ns, &mac))
				continue;
			m = frame_alloc(p);
			if (m == NULL)
				continue;
			rc = to->v6 ? ifp_lpa_frame_build6(m, pc, to->ip6, &mac, l->ttl,
							   l->udp_port, b, n)
				    : ifp_lpa_frame_build(m, pc, to->ip4, &mac, l->ttl,
							  adv.ip_id++, l->udp_port, b, n);
			if (rc < 0) {
				rte_pktmbuf_free(m);
				continue;
			}
			ifp_ctl_send(m);
			adv.st.datagrams++;
		}
	}
}

void
ifp_lpa_adv_tick(const struct ifp_conf *c, uint64_t now_ns)
{
	const uint64_t period = (uint64_t)c->lpa.interval * 1000000000u;
	bool periodic, event = adv.event;

	adv.event = false;
	if (!c->lpa.advertise) {
		adv.next_ns = 0;
		return;
	}
	periodic = now_ns >= adv.next_ns;
	if (!periodic && !event)
		return;
	pthread_mutex_lock(&adv.lock);
	round_send(c, now_ns);
	adv.st.rounds++;
	if (!periodic)
		adv.st.event_rounds++;
	adv.st.last_ns = now_ns;
	pthread_mutex_unlock(&adv.lock);
	/* a round after an event does not move the periodic ones */
	if (periodic)
		adv.next_ns = now_ns + period;
}

void
ifp_lpa_adv_stats_get(struct ifp_lpa_adv_stats *out)
{
	pthread_mutex_lock(&adv.lock);
	*out = adv.st;
	pthread_mutex_unlock(&adv.lock);
}

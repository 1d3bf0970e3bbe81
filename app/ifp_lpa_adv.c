/* SPDX-License-Identifier: BSD-3-Clause */
#include <pthread.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "ifp_arp.h"
#include "ifp_ctl.h"
#include "ifp_link.h"
#include "ifp_lpa.h"
#include "ifp_lpa_adv.h"
#include "ifp_lpa_listen.h"

/* a known MAC is asked again after this long, and kept meanwhile */
#define IFP_LPA_NEIGH_REFRESH_NS (60ull * 1000000000ull)

static struct {
	struct rte_mempool *(*pool_of)(uint16_t port);
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

/* Where a datagram for @p to leaves port @p p: the group's MAC, or the
 * unicast destination's once known (asked for otherwise). */
static bool
dest_mac(const struct ifp_port_conf *pc, uint16_t p, const struct ifp_ipx *to,
	 uint64_t now_ns, struct rte_ether_addr *mac)
{
	const struct ifp_addr *a = NULL;
	struct ifp_lpa_neigh nb;
	bool known;

	if ((rte_be_to_cpu_32(to->ip4) >> 28) == 0xe) {
		ifp_ipx_group_mac(to, mac);
		return true;
	}
	for (unsigned int i = 0; i < pc->n_addr && a == NULL; i++)
		if ((to->ip4 & pc->addr[i].mask) == (pc->addr[i].ip & pc->addr[i].mask))
			a = &pc->addr[i];
	if (a == NULL)
		return false; /* not on this port's link */
	known = ifp_lpa_neigh_get(p, to->ip4, &nb) == 0;
	if (!known || now_ns - nb.learned_ns > IFP_LPA_NEIGH_REFRESH_NS) {
		struct rte_mbuf *m = frame_alloc(p);

		if (m != NULL && ifp_arp_request_build(m, pc, a->ip, to->ip4) == 0) {
			ifp_ctl_send(m);
			adv.st.arp_requests++;
		} else if (m != NULL) {
			rte_pktmbuf_free(m);
		}
	}
	if (!known) {
		adv.st.unresolved++;
		return false;
	}
	*mac = nb.mac;
	return true;
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

		if (!pc->present || pc->n_addr == 0 || !up[p])
			continue;
		for (unsigned int i = 0; i < l->n_to; i++) {
			struct rte_ether_addr mac;
			struct rte_mbuf *m;

			if (l->to[i].v6 || !dest_mac(pc, p, &l->to[i], now_ns, &mac))
				continue;
			m = frame_alloc(p);
			if (m == NULL)
				continue;
			if (ifp_lpa_frame_build(m, pc, l->to[i].ip4, &mac, l->ttl,
						adv.ip_id++, l->udp_port, b, n) < 0) {
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

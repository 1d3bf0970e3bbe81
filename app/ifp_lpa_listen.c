/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "ifp_log.h"
#include "ifp_lpa_listen.h"

/* state changes logged a second at most: a flapping modem, or anyone on
 * the link sending LPAs, must not flood the log; the rest are counted and
 * summed up once a second */
#define IFP_LPA_LOG_PER_SEC 20

/* views waiting for the workers' grace period: a flapping modem changes
 * the view at most every 10 ms, the workers pass quiescent states every
 * few microseconds */
#define IFP_LPA_DQ_SIZE 64

_Atomic(const struct ifp_lpa_view *) ifp_lpa_live;

static struct {
	/* the main lcore writes the table under it; telemetry reads */
	pthread_mutex_t lock;
	struct ifp_lpa_table table;
	struct ifp_lpa_view scratch;
	struct rte_ring *ring[RTE_MAX_LCORE];
	struct rte_rcu_qsbr_dq *dq;
	uint64_t (*clock_ns)(void);
	uint64_t last_now;
	uint64_t views;
	uint64_t log_second;     /* the second of the clock logs count in */
	unsigned int log_count;  /* changes logged in it */
	uint64_t log_suppressed; /* changes not logged since the last sum */
	struct ifp_lpa_neigh neigh[IFP_LPA_NEIGH_MAX];
} lpa = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

static void
view_free(void *p, void *e, unsigned int n)
{
	(void)p;
	for (unsigned int i = 0; i < n; i++)
		free(((void **)e)[i]);
}

int
ifp_lpa_init(struct rte_rcu_qsbr *qs, uint64_t (*clock_ns)(void))
{
	ifp_lpa_table_init(&lpa.table);
	lpa.clock_ns = clock_ns;
	atomic_store_explicit(&ifp_lpa_live, NULL, memory_order_release);
	if (qs == NULL)
		return 0;
	lpa.dq = rte_rcu_qsbr_dq_create(&(struct rte_rcu_qsbr_dq_parameters){
		.name = "ifp_lpa_views",
		.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE,
		.size = IFP_LPA_DQ_SIZE,
		.esize = sizeof(void *),
		.trigger_reclaim_limit = 1,
		.max_reclaim_size = IFP_LPA_DQ_SIZE,
		.free_fn = view_free,
		.v = qs,
	});
	return lpa.dq == NULL ? -rte_errno : 0;
}

struct rte_ring *
ifp_lpa_ring_create(unsigned int lcore, int socket)
{
	char name[RTE_RING_NAMESIZE];

	if (lcore >= RTE_MAX_LCORE) {
		rte_errno = EINVAL;
		return NULL;
	}
	snprintf(name, sizeof(name), "ifp_lpa_%u", lcore);
	lpa.ring[lcore] = rte_ring_create_elem(name, sizeof(struct ifp_lpa_heard),
					       IFP_LPA_RING_SIZE, socket,
					       RING_F_SP_ENQ | RING_F_SC_DEQ);
	return lpa.ring[lcore];
}

void
ifp_ipx_str(const struct ifp_ipx *a, char *out, size_t len)
{
	if (inet_ntop(a->v6 ? AF_INET6 : AF_INET,
		      a->v6 ? (const void *)a->ip6 : (const void *)&a->ip4, out,
		      (socklen_t)len) == NULL)
		snprintf(out, len, "?");
}

/* Every state change is logged: the modem, its source, old and new. */
static void
log_change(const struct ifp_lpa_modem *m, enum ifp_lpa_state old, void *arg)
{
	char src[INET6_ADDRSTRLEN];

	(void)arg;
	if (lpa.last_now / 1000000000u != lpa.log_second) {
		lpa.log_second = lpa.last_now / 1000000000u;
		lpa.log_count = 0;
		if (lpa.log_suppressed)
			IFP_LOG(NOTICE, "lpa: %" PRIu64 " more state changes not logged",
				lpa.log_suppressed);
		lpa.log_suppressed = 0;
	}
	if (lpa.log_count++ >= IFP_LPA_LOG_PER_SEC) {
		lpa.log_suppressed++;
		return;
	}
	ifp_ipx_str(&m->src, src, sizeof(src));
	if (m->state == IFP_LPA_UP)
		IFP_LOG(NOTICE,
			"lpa: modem %" PRIu32 " from %s (port %u): %s -> up, mtu %u, "
			"rate %" PRIu32 " bit/s (min %" PRIu32 ", max %" PRIu32 ")",
			m->id, src, m->port, ifp_lpa_state_name(old), m->mtu,
			m->rate[m->dirs & 1 ? IFP_LPA_DIR_OUT : IFP_LPA_DIR_IN][0],
			m->rate[m->dirs & 1 ? IFP_LPA_DIR_OUT : IFP_LPA_DIR_IN][1],
			m->rate[m->dirs & 1 ? IFP_LPA_DIR_OUT : IFP_LPA_DIR_IN][2]);
	else
		IFP_LOG(NOTICE, "lpa: modem %" PRIu32 " from %s (port %u): %s -> %s",
			m->id, src, m->port, ifp_lpa_state_name(old),
			ifp_lpa_state_name(m->state));
}

/* Publish the view when it changed. Returns once it is done, or when the
 * defer queue has no room yet (the next step tries again). */
static void
view_publish(void)
{
	const struct ifp_lpa_view *old =
	    atomic_load_explicit(&ifp_lpa_live, memory_order_relaxed);
	static const struct ifp_lpa_view empty;
	struct ifp_lpa_view *v;
	unsigned int freed, pending = 0, avail;

	ifp_lpa_view_build(&lpa.table, &lpa.scratch);
	if (ifp_lpa_view_equal(old != NULL ? old : &empty, &lpa.scratch))
		return;
	/* the old view must find room in the defer queue ("available" is
	 * not what DPDK 22.11 returns there: pending is) */
	if (lpa.dq != NULL) {
		rte_rcu_qsbr_dq_reclaim(lpa.dq, IFP_LPA_DQ_SIZE, &freed, &pending,
					&avail);
		if (pending >= IFP_LPA_DQ_SIZE / 2)
			return;
	}
	v = malloc(sizeof(*v));
	if (v == NULL)
		return;
	memcpy(v, &lpa.scratch, sizeof(*v));
	atomic_store_explicit(&ifp_lpa_live, v, memory_order_release);
	lpa.views++;
	if (old == NULL)
		return;
	/* a worker may still be in a burst that read the old one */
	if (lpa.dq == NULL)
		free((void *)(uintptr_t)old);
	else
		rte_rcu_qsbr_dq_enqueue(lpa.dq, &old);
}

/* The MAC an ARP reply or a neighbour advertisement gave for an
 * advertise_to address; the oldest entry makes room. */
static void
neigh_learn(const struct ifp_lpa_heard *h)
{
	struct ifp_lpa_neigh *e = &lpa.neigh[0];

	for (unsigned int i = 0; i < IFP_LPA_NEIGH_MAX; i++) {
		struct ifp_lpa_neigh *x = &lpa.neigh[i];

		if (x->learned_ns != 0 && x->port == h->port &&
		    ifp_ipx_eq(&x->ip, &h->src)) {
			e = x;
			break;
		}
		if (x->learned_ns < e->learned_ns)
			e = x;
	}
	e->port = h->port;
	e->ip = h->src;
	e->mac = h->mac;
	/* 0 marks a free entry */
	e->learned_ns = h->rx_ns ? h->rx_ns : 1;
}

int
ifp_lpa_neigh_get(uint16_t port, const struct ifp_ipx *ip,
		  struct ifp_lpa_neigh *out)
{
	int rc = -ENOENT;

	pthread_mutex_lock(&lpa.lock);
	for (unsigned int i = 0; i < IFP_LPA_NEIGH_MAX; i++) {
		const struct ifp_lpa_neigh *x = &lpa.neigh[i];

		if (x->learned_ns != 0 && x->port == port && ifp_ipx_eq(&x->ip, ip)) {
			*out = *x;
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&lpa.lock);
	return rc;
}

void
ifp_lpa_step(const struct ifp_conf *c, uint64_t now_ns)
{
	const uint64_t hold_ns = (uint64_t)c->lpa.hold * 1000000000u;
	struct ifp_lpa_heard h[64];

	pthread_mutex_lock(&lpa.lock);
	lpa.last_now = now_ns;
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		unsigned int n;

		if (lpa.ring[l] == NULL)
			continue;
		do {
			n = rte_ring_sc_dequeue_burst_elem(lpa.ring[l], h, sizeof(h[0]),
							   RTE_DIM(h), NULL);
			for (unsigned int i = 0; i < n; i++) {
				if (h[i].kind == IFP_LPA_HEARD_NEIGH)
					neigh_learn(&h[i]);
				else
					ifp_lpa_table_apply(&lpa.table, &h[i],
							    hold_ns, log_change,
							    NULL);
			}
		} while (n == RTE_DIM(h));
	}
	ifp_lpa_table_tick(&lpa.table, now_ns, hold_ns, log_change, NULL);
	pthread_mutex_unlock(&lpa.lock);
	view_publish();
}

int
ifp_lpa_with_table(int (*fn)(const struct ifp_lpa_table *t, uint64_t now_ns,
			     void *arg),
		   void *arg)
{
	int rc;

	pthread_mutex_lock(&lpa.lock);
	rc = fn(&lpa.table, lpa.clock_ns != NULL ? lpa.clock_ns() : lpa.last_now,
		arg);
	pthread_mutex_unlock(&lpa.lock);
	return rc;
}

uint64_t
ifp_lpa_views(void)
{
	return lpa.views;
}

void
ifp_lpa_json(FILE *f, uint64_t now_ns)
{
	const struct ifp_lpa_table *t = &lpa.table;

	fprintf(f, "{\"blocks\": %" PRIu64 ", \"stale\": %" PRIu64
		", \"refused\": %" PRIu64 ", \"evicted\": %" PRIu64
		", \"views\": %" PRIu64 ", \"modems\": [",
		t->blocks, t->stale, t->refused, t->evicted, lpa.views);
	for (uint32_t i = 0; i < t->n; i++) {
		const struct ifp_lpa_modem *m = &t->m[i];
		char src[INET6_ADDRSTRLEN];

		ifp_ipx_str(&m->src, src, sizeof(src));
		fprintf(f, "%s{\"source\": \"%s\", \"modem\": %" PRIu32
			", \"state\": \"%s\", \"mtu\": %u, \"if_flags\": %u"
			", \"rate_out\": [%" PRIu32 ", %" PRIu32 ", %" PRIu32 "]"
			", \"rate_in\": [%" PRIu32 ", %" PRIu32 ", %" PRIu32 "]"
			", \"count\": %" PRIu64 ", \"changes\": %" PRIu64
			", \"age_ns\": %" PRIu64 "}",
			i ? ", " : "", src, m->id, ifp_lpa_state_name(m->state),
			m->mtu, m->if_flags, m->rate[0][0], m->rate[0][1],
			m->rate[0][2], m->rate[1][0], m->rate[1][1], m->rate[1][2],
			m->count, m->changes,
			now_ns >= m->last_ns ? now_ns - m->last_ns : 0);
	}
	fprintf(f, "]}");
}

void
ifp_lpa_fini(void)
{
	const struct ifp_lpa_view *v;

	if (lpa.dq != NULL && rte_rcu_qsbr_dq_delete(lpa.dq) == 0)
		lpa.dq = NULL;
	v = atomic_exchange(&ifp_lpa_live, NULL);
	free((void *)(uintptr_t)v);
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		rte_ring_free(lpa.ring[l]);
		lpa.ring[l] = NULL;
	}
}

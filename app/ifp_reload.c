/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "ifp_log.h"
#include "ifp_reload.h"
#include "ifp_route.h"

/* a worker that has not passed a quiescent state after this long is stuck */
#define IFP_RELOAD_WAIT_WARN_MS 1000

struct ifp_reload_live ifp_reload_live;

static struct {
	/* held while the published config may be freed or is being read by
	 * the control plane (telemetry thread) */
	pthread_mutex_t lock;
	struct ifp_conf *initial; /* the caller's: never freed here */
	atomic_bool requested;
	struct ifp_reload_status status;
	unsigned int n_workers; /* each policy has their counters */
} rl = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

static void
on_sighup(int sig)
{
	(void)sig;
	ifp_reload_request();
}

void
ifp_reload_request(void)
{
	atomic_store_explicit(&rl.requested, true, memory_order_relaxed);
}

int
ifp_reload_init(const char *path, struct ifp_conf *running,
		unsigned int n_workers)
{
	struct sigaction sa = {.sa_handler = on_sighup, .sa_flags = SA_RESTART};
	size_t sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	struct rte_rcu_qsbr *qs;

	qs = rte_zmalloc("ifp_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (qs == NULL)
		return -ENOMEM;
	if (rte_rcu_qsbr_init(qs, RTE_MAX_LCORE) != 0) {
		rte_free(qs);
		return -rte_errno;
	}
	ifp_reload_live.qs = qs;
	rl.initial = running;
	rl.n_workers = n_workers;
	atomic_store_explicit(&ifp_reload_live.conf, running,
			      memory_order_release);
	snprintf(rl.status.path, sizeof(rl.status.path), "%s", path);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGHUP, &sa, NULL) != 0)
		return -errno;
	return 0;
}

int
ifp_reload_worker_register(unsigned int lcore)
{
	return rte_rcu_qsbr_thread_register(ifp_reload_live.qs, lcore);
}

void
ifp_reload_worker_online(unsigned int lcore)
{
	rte_rcu_qsbr_thread_online(ifp_reload_live.qs, lcore);
}

void
ifp_reload_worker_offline(unsigned int lcore)
{
	rte_rcu_qsbr_thread_offline(ifp_reload_live.qs, lcore);
	rte_rcu_qsbr_thread_unregister(ifp_reload_live.qs, lcore);
}

static uint64_t
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Ports are set up once (queues, MAC, MTU, addresses the gratuitous ARPs
 * announced): a [port N] that differs from the running one needs a
 * restart, and the running port settings are kept. What differs goes into
 * @p pending ("[port 0] address, [port 1] mtu", empty when nothing does)
 * and each into a warning.
 */
static void
ports_compare(const struct ifp_conf *old, const struct ifp_conf *nc,
	      char *pending, size_t len)
{
	size_t used = 0;

	pending[0] = '\0';
	for (unsigned int p = 0; p < IFP_MAX_PORTS; p++) {
		const struct ifp_port_conf *a = &old->port[p],
					   *b = &nc->port[p];
		const char *what = NULL;

		if (a->present != b->present)
			what = b->present ? "section added" : "section removed";
		else if (!a->present)
			continue;
		else if (a->n_addr != b->n_addr)
			what = "address";
		else if (a->n_addr6 != b->n_addr6 || a->ll_auto != b->ll_auto)
			what = "address6 or link_local";
		else if (a->mtu != b->mtu)
			what = "mtu";
		else if (b->mac_set ? !rte_is_same_ether_addr(&a->mac, &b->mac)
				    : a->mac_set)
			/* the running MAC is the file's or the port's own */
			what = "mac";
		else if (strcmp(a->profile, b->profile) != 0)
			what = "profile";
		for (unsigned int i = 0; what == NULL && i < a->n_addr; i++)
			if (a->addr[i].ip != b->addr[i].ip ||
			    a->addr[i].depth != b->addr[i].depth)
				what = "address";
		/* the running link-local may come from the MAC: compare
		 * it only when the file gives it */
		for (unsigned int i = b->ll_auto ? 1 : 0;
		     what == NULL && i < a->n_addr6; i++)
			if (memcmp(a->addr6[i].ip, b->addr6[i].ip, 16) != 0 ||
			    a->addr6[i].depth != b->addr6[i].depth)
				what = "address6 or link_local";
		if (what == NULL)
			continue;
		IFP_LOG(WARNING,
			"reload: [port %u] %s changed: ports change only with a "
			"restart; port %u keeps its running settings (restart_pending "
			"in /icmpfp/config)",
			p, what, p);
		if (used < len)
			used += (size_t)snprintf(pending + used, len - used, "%s[port %u] %s",
						 used ? ", " : "", p, what);
	}
}

static void
conf_free(struct ifp_conf *c)
{
	ifp_routes_free(c);
	ifp_config_free(c);
	if (c != rl.initial)
		rte_free(c);
}

int
ifp_reload_now(char *err, size_t errlen)
{
	struct ifp_conf *old, *nc;
	char name[32], pending[sizeof(rl.status.restart_pending)];
	uint64_t token, t0, gen;
	bool warned = false;

	old = atomic_load_explicit(&ifp_reload_live.conf, memory_order_relaxed);
	gen = rl.status.generation + 1;
	nc = rte_zmalloc("ifp_conf", sizeof(*nc), RTE_CACHE_LINE_SIZE);
	if (nc == NULL) {
		snprintf(err, errlen, "%s: no memory for a new config",
			 rl.status.path);
		goto refused;
	}
	if (ifp_config_load(rl.status.path, nc, err, errlen) < 0)
		goto refused;
	ports_compare(old, nc, pending, sizeof(pending));
	/* the running ports, with what port set-up learned (MAC, offloads,
	 * names) */
	memcpy(nc->port, old->port, sizeof(nc->port));
	snprintf(name, sizeof(name), "ifp_routes_%" PRIu64, gen);
	/* a family whose prefixes did not change keeps its table: 64 MiB
	 * each, which a reload of both would need twice over; the route
	 * hits are the new conf's, from zero (docs/configuration.md) */
	if (ifp_routes_build_from(nc, old, rl.status.path, name, (int)rte_socket_id(),
				  rl.n_workers, err, errlen) < 0)
		goto refused;
	/* a new policy, new counters: the old one goes with the old conf */
	snprintf(name, sizeof(name), "ifp_policy_%" PRIu64, gen);
	if (ifp_config_policy_build(nc, rl.status.path, name, (int)rte_socket_id(),
				    rl.n_workers, err, errlen) < 0)
		goto refused;

	pthread_mutex_lock(&rl.lock);
	atomic_store_explicit(&ifp_reload_live.conf, nc, memory_order_release);
	pthread_mutex_unlock(&rl.lock);

	/* every worker reports quiescent between bursts: once each has done
	 * so after the token, none can still hold the old conf */
	token = rte_rcu_qsbr_start(ifp_reload_live.qs);
	t0 = rte_get_timer_cycles();
	while (rte_rcu_qsbr_check(ifp_reload_live.qs, token, false) != 1) {
		if (!warned &&
		    rte_get_timer_cycles() - t0 >
			rte_get_timer_hz() / 1000 * IFP_RELOAD_WAIT_WARN_MS) {
			IFP_LOG(
			    WARNING,
			    "reload: a worker has not passed a quiescent state "
			    "for %u ms; still waiting",
			    IFP_RELOAD_WAIT_WARN_MS);
			warned = true;
		}
		rte_delay_us_sleep(10);
	}

	pthread_mutex_lock(&rl.lock);
	/* no worker reads old now: the tables nc borrowed are nc's */
	ifp_routes_handover(nc, old);
	conf_free(old);
	rl.status.generation = gen;
	rl.status.ok++;
	rl.status.last_ns = wall_ns();
	rl.status.last_error[0] = '\0';
	memcpy(rl.status.restart_pending, pending, sizeof(pending));
	pthread_mutex_unlock(&rl.lock);
	IFP_LOG(NOTICE,
		"reload: %s is generation %" PRIu64 " (%u routes, echo %s, "
		"reply_ttl %u, errors %u/s, echo %u/s); old config freed %.3f "
		"ms after the swap",
		rl.status.path, gen, nc->n_routes, nc->icmp.echo ? "on" : "off",
		nc->icmp.reply_ttl, nc->ratelimit.errors_per_sec,
		nc->ratelimit.echo_per_sec,
		(double)(rte_get_timer_cycles() - t0) * 1e3 /
		    (double)rte_get_timer_hz());
	return 0;

refused:
	if (nc != NULL) {
		ifp_routes_free(nc);
		ifp_config_free(nc);
		rte_free(nc);
	}
	pthread_mutex_lock(&rl.lock);
	rl.status.failed++;
	rl.status.last_ns = wall_ns();
	snprintf(rl.status.last_error, sizeof(rl.status.last_error), "%s", err);
	pthread_mutex_unlock(&rl.lock);
	IFP_LOG(ERR, "reload refused: %s; generation %" PRIu64 " keeps running",
		err, rl.status.generation);
	return -1;
}

int
ifp_reload_poll(void)
{
	char err[IFP_ERR_LEN];

	if (!atomic_exchange_explicit(&rl.requested, false,
				      memory_order_relaxed))
		return 0;
	IFP_LOG(NOTICE, "SIGHUP: reloading %s", rl.status.path);
	return ifp_reload_now(err, sizeof(err)) == 0 ? 1 : -1;
}

void
ifp_reload_status_get(struct ifp_reload_status *out)
{
	pthread_mutex_lock(&rl.lock);
	*out = rl.status;
	pthread_mutex_unlock(&rl.lock);
}

int
ifp_reload_with_conf(int (*fn)(const struct ifp_conf *c, void *arg), void *arg)
{
	int rc;

	pthread_mutex_lock(&rl.lock);
	rc = fn(
	    atomic_load_explicit(&ifp_reload_live.conf, memory_order_acquire),
	    arg);
	pthread_mutex_unlock(&rl.lock);
	return rc;
}

void
ifp_reload_fini(void)
{
	struct ifp_conf *c;

	pthread_mutex_lock(&rl.lock);
	c = atomic_exchange(&ifp_reload_live.conf, rl.initial);
	if (c != NULL && c != rl.initial)
		conf_free(c);
	pthread_mutex_unlock(&rl.lock);
	rte_free(ifp_reload_live.qs);
	ifp_reload_live.qs = NULL;
}

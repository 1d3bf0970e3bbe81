/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>

#include "ifp_ctl.h"
#include "ifp_config.h"
#include "ifp_link.h"
#include "ifp_lpa_adv.h"
#include "ifp_lpa_listen.h"
#include "ifp_pkt.h"
#include "ifp_policy.h"
#include "ifp_reload.h"
#include "ifp_route.h"
#include "ifp_route_get.h"
#include "ifp_stats_ring.h"
#include "ifp_telemetry.h"

/* telemetry names take letters, digits, _ and / only */
/* how many routes /icmpfp/config lists (the socket answers 16 kB at most) */
#define IFP_TEL_ROUTES_MAX 64
/* how many modems /icmpfp/lpa lists, for the same reason */
#define IFP_TEL_MODEMS_MAX 24

static const char *const burst_bucket_names[IFP_BURST_HIST] = {
    "1", "2_3", "4_7", "8_15", "16_31", "32_63", "64",
};

/* "N" with N a decimal below @p max, nothing else */
static int
param_id(const char *params, unsigned long max, unsigned long *id)
{
	char *end;

	if (params == NULL || !isdigit((unsigned char)params[0]))
		return -EINVAL;
	errno = 0;
	*id = strtoul(params, &end, 10);
	if (errno != 0 || *end != '\0' || *id >= max)
		return -EINVAL;
	return 0;
}

static int
param_none(const char *params)
{
	return params == NULL || params[0] == '\0' ? 0 : -EINVAL;
}

static const char *
onoff(bool b)
{
	return b ? "on" : "off";
}

static void
add_container(struct rte_tel_data *d, const char *name, struct rte_tel_data *c)
{
	if (c != NULL && rte_tel_data_add_dict_container(d, name, c, 0) != 0)
		rte_tel_data_free(c);
}

/* a counter by answer kind: answers, ratelimited_by */
static struct rte_tel_data *
answers_dict(const uint64_t *v)
{
	struct rte_tel_data *a = rte_tel_data_alloc();

	if (a == NULL)
		return NULL;
	rte_tel_data_start_dict(a);
	for (unsigned int i = 0; i < IFP_ANS_MAX; i++)
		rte_tel_data_add_dict_u64(a, ifp_answer_name(i), v[i]);
	return a;
}

static void
drops_into(struct rte_tel_data *d, const struct ifp_stats *s)
{
	for (unsigned int i = 0; i < IFP_DROP_MAX; i++)
		rte_tel_data_add_dict_u64(d, ifp_drop_name(i), s->dropped[i]);
}

/* The counters every view shares, totals or one lcore: each counter of the
 * final JSON (ifp_report.c) is here, docs/counters.md names them all. */
static void
stats_into(struct rte_tel_data *d, const struct ifp_stats *s)
{
	uint64_t all = s->busy_cycles + s->idle_cycles;

	rte_tel_data_add_dict_u64(d, "rx", s->rx);
	rte_tel_data_add_dict_u64(d, "tx", s->tx);
	rte_tel_data_add_dict_u64(d, "originated", s->originated);
	rte_tel_data_add_dict_u64(d, "originated_lost", s->originated_lost);
	rte_tel_data_add_dict_u64(d, "answered", s->answered);
	rte_tel_data_add_dict_u64(d, "ratelimited", s->ratelimited);
	rte_tel_data_add_dict_u64(d, "dropped", ifp_stats_dropped_total(s));
	add_container(d, "answers", answers_dict(s->answers));
	add_container(d, "ratelimited_by", answers_dict(s->ratelimited_by));
	rte_tel_data_add_dict_u64(d, "rl_src_evictions", s->rl_src_evictions);
	rte_tel_data_add_dict_u64(d, "frag_freed", s->frag_freed);
	rte_tel_data_add_dict_u64(d, "bursts", s->bursts);
	rte_tel_data_add_dict_u64(d, "busy_cycles", s->busy_cycles);
	rte_tel_data_add_dict_u64(d, "idle_cycles", s->idle_cycles);
	rte_tel_data_add_dict_u64(d, "proc_cycles", s->proc_cycles);
	/* telemetry has no floats: rounded here, exact from the cycles */
	rte_tel_data_add_dict_u64(d, "cycles_per_packet",
				  s->rx ? (s->busy_cycles + s->rx / 2) / s->rx
					: 0);
	rte_tel_data_add_dict_u64(d, "busy_percent",
				  all ? (s->busy_cycles * 100 + all / 2) / all
				      : 0);
}

static int
lpa_table_counters(const struct ifp_lpa_table *t, uint64_t now_ns, void *arg)
{
	struct rte_tel_data *d = arg;
	uint64_t up = 0;

	(void)now_ns;
	for (uint32_t i = 0; i < t->n; i++)
		up += t->m[i].state == IFP_LPA_UP;
	rte_tel_data_add_dict_u64(d, "modems", t->n);
	rte_tel_data_add_dict_u64(d, "modems_up", up);
	rte_tel_data_add_dict_u64(d, "blocks", t->blocks);
	rte_tel_data_add_dict_u64(d, "stale", t->stale);
	rte_tel_data_add_dict_u64(d, "refused", t->refused);
	rte_tel_data_add_dict_u64(d, "evicted", t->evicted);
	return 0;
}

/* What listening and advertising did, for /icmpfp/stats. */
static struct rte_tel_data *
lpa_counters(void)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	struct ifp_lpa_adv_stats as;

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	ifp_lpa_with_table(lpa_table_counters, d);
	rte_tel_data_add_dict_u64(d, "views", ifp_lpa_views());
	ifp_lpa_adv_stats_get(&as);
	rte_tel_data_add_dict_u64(d, "adv_rounds", as.rounds);
	rte_tel_data_add_dict_u64(d, "adv_event_rounds", as.event_rounds);
	rte_tel_data_add_dict_u64(d, "adv_datagrams", as.datagrams);
	rte_tel_data_add_dict_u64(d, "adv_unresolved", as.unresolved);
	rte_tel_data_add_dict_u64(d, "adv_arp_requests", as.arp_requests);
	rte_tel_data_add_dict_u64(d, "adv_ns_requests", as.ns_requests);
	rte_tel_data_add_dict_u64(d, "adv_no_source", as.no_source);
	rte_tel_data_add_dict_u64(d, "adv_no_mbuf", as.no_mbuf);
	return d;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ifp_reload_status rs;
	struct rte_tel_data *l;
	struct ifp_stats s;

	(void)cmd;
	if (param_none(params) < 0)
		return -EINVAL;
	ifp_stats_ring_total(&s);
	/* and what the main lcore could not even queue for the workers */
	s.originated_lost += ifp_ctl_lost();
	ifp_reload_status_get(&rs);
	rte_tel_data_start_dict(d);
	stats_into(d, &s);
	rte_tel_data_add_dict_u64(d, "tsc_hz", rte_get_tsc_hz());
	rte_tel_data_add_dict_u64(d, "config_generation", rs.generation);
	add_container(d, "lpa", lpa_counters());
	l = rte_tel_data_alloc();
	if (l != NULL) {
		rte_tel_data_start_array(l, RTE_TEL_INT_VAL);
		for (unsigned int i = 0; i < RTE_MAX_LCORE; i++)
			if (ifp_stats_ring_has(i))
				rte_tel_data_add_array_int(l, (int)i);
		add_container(d, "lcores", l);
	}
	return 0;
}

static int
tel_lcore(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ifp_stats_snap snap;
	struct rte_tel_data *h, *dr;
	unsigned long id;

	(void)cmd;
	if (param_id(params, RTE_MAX_LCORE, &id) < 0 ||
	    ifp_stats_ring_lcore((unsigned int)id, &snap) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "lcore", id);
	rte_tel_data_add_dict_u64(d, "socket",
				  rte_lcore_to_socket_id((unsigned int)id));
	stats_into(d, &snap.st);
	rte_tel_data_add_dict_u64(d, "snapshots", snap.seq + 1);
	rte_tel_data_add_dict_u64(d, "snapshots_lost", snap.lost);
	rte_tel_data_add_dict_u64(d, "snapshot_age_us",
				  snap.tsc ? (rte_rdtsc() - snap.tsc) *
						 1000000 / rte_get_tsc_hz()
					   : 0);
	h = rte_tel_data_alloc();
	if (h != NULL) {
		rte_tel_data_start_dict(h);
		for (unsigned int i = 0; i < IFP_BURST_HIST; i++)
			rte_tel_data_add_dict_u64(h, burst_bucket_names[i],
						  snap.st.burst_hist[i]);
		add_container(d, "burst_size", h);
	}
	dr = rte_tel_data_alloc();
	if (dr != NULL) {
		rte_tel_data_start_dict(dr);
		drops_into(dr, &snap.st);
		add_container(d, "drops", dr);
	}
	return 0;
}

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ifp_stats s;

	(void)cmd;
	if (param_none(params) < 0)
		return -EINVAL;
	ifp_stats_ring_total(&s);
	rte_tel_data_start_dict(d);
	drops_into(d, &s);
	return 0;
}

static int
ratelimit_into(const struct ifp_conf *c, void *arg)
{
	struct rte_tel_data *d = arg;
	const struct ifp_ratelimit_conf *r = &c->ratelimit;

	rte_tel_data_add_dict_u64(d, "errors_per_sec", r->errors_per_sec);
	rte_tel_data_add_dict_u64(d, "errors_burst", r->errors_burst);
	rte_tel_data_add_dict_u64(d, "per_source_per_sec",
				  r->per_source_per_sec);
	rte_tel_data_add_dict_u64(d, "per_source_burst", r->per_source_burst);
	rte_tel_data_add_dict_u64(d, "echo_per_sec", r->echo_per_sec);
	return 0;
}

static int
tel_ratelimit(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *l;
	struct ifp_stats s;

	(void)cmd;
	if (param_none(params) < 0)
		return -EINVAL;
	ifp_stats_ring_total(&s);
	rte_tel_data_start_dict(d);
	ifp_reload_with_conf(ratelimit_into, d);
	rte_tel_data_add_dict_u64(d, "ratelimited", s.ratelimited);
	l = rte_tel_data_alloc();
	if (l != NULL) {
		rte_tel_data_start_dict(l);
		for (unsigned int i = 0; i < RTE_MAX_LCORE; i++) {
			struct ifp_stats_snap snap;
			char name[16];

			if (ifp_stats_ring_lcore(i, &snap) < 0)
				continue;
			snprintf(name, sizeof(name), "%u", i);
			rte_tel_data_add_dict_u64(l, name, snap.st.ratelimited);
		}
		add_container(d, "ratelimited_by_lcore", l);
	}
	return 0;
}

/* [icmp] or [icmp6] as the parser's table names them */
static struct rte_tel_data *
switches_dict(const struct ifp_cfg_section *sec, const struct ifp_conf *c)
{
	const char *base = (const char *)c + sec->off;
	struct rte_tel_data *t = rte_tel_data_alloc();

	if (t == NULL)
		return NULL;
	rte_tel_data_start_dict(t);
	for (unsigned int i = 0; i < sec->n; i++) {
		const struct ifp_cfg_key *k = &sec->keys[i];

		if (k->is_u8)
			rte_tel_data_add_dict_u64(t, k->name,
						  *(const uint8_t *)(base + k->off));
		else
			rte_tel_data_add_dict_string(t, k->name,
						     onoff(*(const bool *)(base + k->off)));
	}
	return t;
}

/* "a, b, c": a list of addresses as one telemetry string */
static void
ipx_list(const struct ifp_ipx *a, unsigned int n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n && used < len; i++) {
		char s[INET6_ADDRSTRLEN];

		ifp_ipx_str(&a[i], s, sizeof(s));
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", s);
	}
}

static void
lpa_conf_into(const struct ifp_lpa_conf *l, struct rte_tel_data *d)
{
	char buf[RTE_TEL_MAX_STRING_LEN];

	rte_tel_data_add_dict_string(d, "listen", onoff(l->listen));
	rte_tel_data_add_dict_u64(d, "udp_port", l->udp_port);
	ipx_list(l->group, l->n_groups, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "groups", buf);
	rte_tel_data_add_dict_u64(d, "hold", l->hold);
	rte_tel_data_add_dict_string(d, "advertise", onoff(l->advertise));
	rte_tel_data_add_dict_u64(d, "interval", l->interval);
	ipx_list(l->to, l->n_to, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "advertise_to", buf);
	rte_tel_data_add_dict_u64(d, "ttl", l->ttl);
}

static int
config_into(const struct ifp_conf *c, void *arg)
{
	struct rte_tel_data *d = arg, *rl, *routes, *ports, *lpa;

	add_container(d, ifp_cfg_icmp.name, switches_dict(&ifp_cfg_icmp, c));
	add_container(d, ifp_cfg_icmp6.name, switches_dict(&ifp_cfg_icmp6, c));
	rl = rte_tel_data_alloc();
	if (rl != NULL) {
		rte_tel_data_start_dict(rl);
		ratelimit_into(c, rl);
		add_container(d, "ratelimit", rl);
	}
	lpa = rte_tel_data_alloc();
	if (lpa != NULL) {
		rte_tel_data_start_dict(lpa);
		lpa_conf_into(&c->lpa, lpa);
		add_container(d, "lpa", lpa);
	}
	rte_tel_data_add_dict_u64(d, "n_routes", c->n_routes);
	routes = rte_tel_data_alloc();
	if (routes != NULL) {
		rte_tel_data_start_array(routes, RTE_TEL_STRING_VAL);
		for (uint32_t i = 0; i < c->n_routes && i < IFP_TEL_ROUTES_MAX;
		     i++) {
			char buf[RTE_TEL_MAX_STRING_LEN];

			ifp_route_str(&c->route[i], buf, sizeof(buf));
			rte_tel_data_add_array_string(routes, buf);
		}
		add_container(d, "routes", routes);
	}
	if (c->policy_conf != NULL) {
		const struct ifp_policy_conf *pc = c->policy_conf;
		struct rte_tel_data *pol = rte_tel_data_alloc();

		rte_tel_data_add_dict_string(d, "policy_default",
					     ifp_policy_action_name((enum ifp_policy_action)pc->def));
		rte_tel_data_add_dict_u64(d, "n_policy_rules", pc->n_rules);
		if (pol != NULL) {
			rte_tel_data_start_array(pol, RTE_TEL_STRING_VAL);
			for (uint32_t i = 0; i < pc->n_rules && i < IFP_TEL_ROUTES_MAX; i++) {
				char buf[RTE_TEL_MAX_STRING_LEN], r[RTE_TEL_MAX_STRING_LEN - 12];

				ifp_policy_rule_str(&pc->rule[i], r, sizeof(r));
				snprintf(buf, sizeof(buf), "%u: %s", pc->rule[i].line, r);
				rte_tel_data_add_array_string(pol, buf);
			}
			add_container(d, "policy", pol);
		}
	}
	ports = rte_tel_data_alloc();
	if (ports != NULL) {
		rte_tel_data_start_array(ports, RTE_TEL_INT_VAL);
		for (int p = 0; p < IFP_MAX_PORTS; p++)
			if (c->port[p].present)
				rte_tel_data_add_array_int(ports, p);
		add_container(d, "ports", ports);
	}
	return 0;
}

static int
tel_config(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ifp_reload_status rs;

	(void)cmd;
	if (param_none(params) < 0)
		return -EINVAL;
	ifp_reload_status_get(&rs);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "path", rs.path);
	rte_tel_data_add_dict_u64(d, "generation", rs.generation);
	rte_tel_data_add_dict_u64(d, "reloads_ok", rs.ok);
	rte_tel_data_add_dict_u64(d, "reloads_failed", rs.failed);
	rte_tel_data_add_dict_u64(d, "last_reload_ns", rs.last_ns);
	/* the reason is FILE:LINE: reason, cut to what telemetry carries */
	rs.last_error[RTE_TEL_MAX_STRING_LEN - 1] = '\0';
	rte_tel_data_add_dict_string(d, "last_reload_error", rs.last_error);
	rs.restart_pending[RTE_TEL_MAX_STRING_LEN - 1] = '\0';
	rte_tel_data_add_dict_string(d, "restart_pending", rs.restart_pending);
	ifp_reload_with_conf(config_into, d);
	return 0;
}

/* rules /icmpfp/policy lists (a dict holds RTE_TEL_MAX_DICT_ENTRIES) */
#define IFP_TEL_POLICY_MAX 200

static void
policy_rule_into(struct rte_tel_data *d, const struct ifp_policy *p, uint32_t i)
{
	struct rte_tel_data *r = rte_tel_data_alloc();
	struct ifp_policy_counts n;
	char buf[RTE_TEL_MAX_STRING_LEN], name[16];
	uint32_t line = 0;

	if (r == NULL)
		return;
	rte_tel_data_start_dict(r);
	ifp_policy_counts(p, i, &n);
	if (i == IFP_POLICY_DEFAULT) {
		snprintf(name, sizeof(name), "default");
		rte_tel_data_add_dict_string(r, "text", "default");
		rte_tel_data_add_dict_string(r, "action",
					     ifp_policy_action_name(ifp_policy_default(p)));
	} else {
		const struct ifp_policy_rule *rule = ifp_policy_rule(p, i);

		line = rule->line;
		snprintf(name, sizeof(name), "%u", line);
		ifp_policy_rule_str(rule, buf, sizeof(buf));
		rte_tel_data_add_dict_string(r, "text", buf);
		rte_tel_data_add_dict_string(r, "action",
					     ifp_policy_action_name((enum ifp_policy_action)rule->action));
	}
	snprintf(buf, sizeof(buf), "%s:%u", ifp_policy_path(p), line);
	rte_tel_data_add_dict_string(r, "at", buf);
	rte_tel_data_add_dict_u64(r, "matched", n.matched);
	rte_tel_data_add_dict_u64(r, "denied", n.denied);
	rte_tel_data_add_dict_u64(r, "limited", n.limited);
	add_container(d, name, r);
}

static int
policy_into(const struct ifp_conf *c, void *arg)
{
	struct rte_tel_data *d = arg;
	const struct ifp_policy *p = c->policy;
	uint32_t n;

	if (p == NULL) {
		rte_tel_data_add_dict_u64(d, "rules", 0);
		return 0;
	}
	n = ifp_policy_n_rules(p);
	rte_tel_data_add_dict_u64(d, "rules", n);
	rte_tel_data_add_dict_u64(d, "rules_not_shown",
				  n > IFP_TEL_POLICY_MAX ? n - IFP_TEL_POLICY_MAX : 0);
	for (uint32_t i = 0; i < n && i < IFP_TEL_POLICY_MAX; i++)
		policy_rule_into(d, p, i);
	policy_rule_into(d, p, IFP_POLICY_DEFAULT);
	return 0;
}

/* every rule: where it is, its text, its counts summed over the workers */
static int
tel_policy(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	if (param_none(params) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	ifp_reload_with_conf(policy_into, d);
	return 0;
}

/* routes a page of /icmpfp/routes holds (16 kB at most, arrays of 512) */
#define IFP_TEL_ROUTES_PAGE 100

struct routes_arg {
	struct rte_tel_data *d;
	uint32_t from;
	const char *path;
};

/* a page of parallel arrays: DPDK 22.11 nests containers one level */
static int
routes_into(const struct ifp_conf *c, void *arg)
{
	struct routes_arg *ra = arg;
	struct rte_tel_data *a[4];
	uint32_t end;

	if (ra->from > c->n_routes)
		return -EINVAL;
	end = RTE_MIN(c->n_routes, ra->from + IFP_TEL_ROUTES_PAGE);
	rte_tel_data_add_dict_string(ra->d, "file", ra->path);
	rte_tel_data_add_dict_u64(ra->d, "n_routes", c->n_routes);
	rte_tel_data_add_dict_u64(ra->d, "from", ra->from);
	for (unsigned int k = 0; k < RTE_DIM(a); k++) {
		a[k] = rte_tel_data_alloc();
		if (a[k] == NULL) {
			while (k-- > 0)
				rte_tel_data_free(a[k]);
			return -ENOMEM;
		}
	}
	rte_tel_data_start_array(a[0], RTE_TEL_U64_VAL);
	rte_tel_data_start_array(a[1], RTE_TEL_STRING_VAL);
	rte_tel_data_start_array(a[2], RTE_TEL_STRING_VAL);
	rte_tel_data_start_array(a[3], RTE_TEL_U64_VAL);
	for (uint32_t i = ra->from; i < end; i++) {
		char buf[RTE_TEL_MAX_STRING_LEN];

		rte_tel_data_add_array_u64(a[0], c->route[i].line);
		ifp_route_prefix_str(&c->route[i], buf, sizeof(buf));
		rte_tel_data_add_array_string(a[1], buf);
		ifp_route_action_str(&c->route[i], buf, sizeof(buf));
		rte_tel_data_add_array_string(a[2], buf);
		rte_tel_data_add_array_u64(a[3], ifp_route_hits(c, i));
	}
	add_container(ra->d, "line", a[0]);
	add_container(ra->d, "prefix", a[1]);
	add_container(ra->d, "action", a[2]);
	add_container(ra->d, "hits", a[3]);
	return 0;
}

/* [routes] from index FROM (none: 0): line, prefix, action, hits */
static int
tel_routes(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ifp_reload_status rs;
	struct routes_arg ra = {.d = d, .path = rs.path};
	unsigned long from = 0;

	(void)cmd;
	if (param_none(params) < 0 &&
	    param_id(params, (unsigned long)IFP_MAX_ROUTES + 1, &from) < 0)
		return -EINVAL;
	ra.from = (uint32_t)from;
	ifp_reload_status_get(&rs);
	rte_tel_data_start_dict(d);
	return ifp_reload_with_conf(routes_into, &ra);
}

struct route_get_arg {
	struct rte_tel_data *d;
	struct ifp_ipx dst;
	struct ifp_lpa_view lpa; /* the modems as the workers see them */
	const char *path;
};

static int
route_get_lpa(const struct ifp_lpa_table *t, uint64_t now_ns, void *arg)
{
	struct route_get_arg *ga = arg;

	(void)now_ns;
	ifp_lpa_view_build(t, &ga->lpa);
	return 0;
}

/* one of the box's own: an address of a port, or a broadcast of one */
static bool
route_get_local(const struct ifp_conf *c, const struct ifp_ipx *a)
{
	if (ifp_policy_own_conf(a, c))
		return true;
	if (a->v6)
		return false;
	if (a->ip4 == RTE_BE32(IFP_IPV4_LIMITED_BCAST))
		return true;
	for (unsigned int p = 0; p < IFP_MAX_PORTS; p++)
		for (unsigned int i = 0; c->port[p].present && i < c->port[p].n_addr; i++)
			if (c->port[p].addr[i].bcast == a->ip4)
				return true;
	return false;
}

/* {"outcome": "answered", "answer": KIND} or "dropped", "reason" */
static struct rte_tel_data *
route_outcome_dict(const struct ifp_route_outcome *o, bool local)
{
	struct rte_tel_data *r = rte_tel_data_alloc();

	if (r == NULL)
		return NULL;
	rte_tel_data_start_dict(r);
	if (local) {
		rte_tel_data_add_dict_string(r, "outcome", "local");
	} else if (o->answered) {
		rte_tel_data_add_dict_string(r, "outcome", "answered");
		rte_tel_data_add_dict_string(r, "answer",
					     ifp_answer_name((enum ifp_answer)o->kind));
	} else {
		rte_tel_data_add_dict_string(r, "outcome", "dropped");
		rte_tel_data_add_dict_string(r, "reason",
					     ifp_drop_name((enum ifp_drop)o->kind));
	}
	return r;
}

static int
route_get_into(const struct ifp_conf *c, void *arg)
{
	struct route_get_arg *ga = arg;
	struct ifp_route_probe p = {.route = IFP_ROUTE_NONE};
	bool local = route_get_local(c, &ga->dst);
	char buf[RTE_TEL_MAX_STRING_LEN] = "";
	const struct ifp_route *r;

	if (!local)
		ifp_route_probe(c, &ga->lpa, &ga->dst, &p);
	r = p.route == IFP_ROUTE_NONE ? NULL : &c->route[p.route];
	rte_tel_data_add_dict_string(ga->d, "file", ga->path);
	rte_tel_data_add_dict_u64(ga->d, "line", r != NULL ? r->line : 0);
	if (r != NULL)
		ifp_route_prefix_str(r, buf, sizeof(buf));
	rte_tel_data_add_dict_string(ga->d, "prefix", buf);
	if (r != NULL)
		ifp_route_action_str(r, buf, sizeof(buf));
	rte_tel_data_add_dict_string(ga->d, "action", local ? "local"
						      : r != NULL ? buf : "none");
	rte_tel_data_add_dict_u64(ga->d, "hits", r != NULL ? ifp_route_hits(c, p.route) : 0);
	add_container(ga->d, "ttl1", route_outcome_dict(&p.ttl1, local));
	add_container(ga->d, "df1500", route_outcome_dict(&p.df1500, local));
	return 0;
}

/* route get ADDRESS: its route and what two probes to it earn */
static int
tel_route(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct route_get_arg *ga;
	struct ifp_reload_status rs;
	char text[INET6_ADDRSTRLEN];

	(void)cmd;
	if (params == NULL)
		return -EINVAL;
	ga = calloc(1, sizeof(*ga));
	if (ga == NULL)
		return -ENOMEM;
	if (inet_pton(AF_INET, params, &ga->dst.ip4) == 1) {
		ga->dst.v6 = false;
	} else if (inet_pton(AF_INET6, params, ga->dst.ip6) == 1) {
		ga->dst.v6 = true;
	} else {
		free(ga);
		return -EINVAL;
	}
	ifp_reload_status_get(&rs);
	ga->d = d;
	ga->path = rs.path;
	ifp_lpa_with_table(route_get_lpa, ga);
	rte_tel_data_start_dict(d);
	ifp_ipx_str(&ga->dst, text, sizeof(text));
	rte_tel_data_add_dict_string(d, "address", text);
	ifp_reload_with_conf(route_get_into, ga);
	free(ga);
	return 0;
}

struct port_arg {
	uint16_t port;
	struct rte_tel_data *d;
};

static int
port_into(const struct ifp_conf *c, void *arg)
{
	struct port_arg *pa = arg;
	const struct ifp_port_conf *pc = &c->port[pa->port];
	struct rte_tel_data *a;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	if (!pc->present)
		return -EINVAL;
	rte_tel_data_add_dict_string(pa->d, "name", pc->name);
	rte_ether_format_addr(mac, sizeof(mac), &pc->mac);
	rte_tel_data_add_dict_string(pa->d, "mac", mac);
	rte_tel_data_add_dict_u64(pa->d, "mtu", pc->mtu);
	a = rte_tel_data_alloc();
	if (a != NULL) {
		rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
		for (unsigned int i = 0; i < pc->n_addr; i++) {
			char ip[INET_ADDRSTRLEN], buf[32];

			inet_ntop(AF_INET, &pc->addr[i].ip, ip, sizeof(ip));
			snprintf(buf, sizeof(buf), "%s/%u", ip,
				 pc->addr[i].depth);
			rte_tel_data_add_array_string(a, buf);
		}
		add_container(pa->d, "addresses", a);
	}
	/* the link-local first; empty when IPv6 is off on the port */
	a = rte_tel_data_alloc();
	if (a != NULL) {
		rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
		for (unsigned int i = 0; i < pc->n_addr6; i++) {
			char ip[INET6_ADDRSTRLEN], buf[64];

			inet_ntop(AF_INET6, pc->addr6[i].ip, ip, sizeof(ip));
			snprintf(buf, sizeof(buf), "%s/%u", ip,
				 pc->addr6[i].depth);
			rte_tel_data_add_array_string(a, buf);
		}
		add_container(pa->d, "addresses6", a);
	}
	return 0;
}

static int
tel_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct port_arg pa = {.d = d};
	struct ifp_link_state ls;
	struct rte_eth_dev_info info;
	struct rte_eth_stats es;
	char link[RTE_ETH_LINK_MAX_STR_LEN];
	unsigned long id;

	(void)cmd;
	if (param_id(params, RTE_MAX_ETHPORTS, &id) < 0 ||
	    !rte_eth_dev_is_valid_port((uint16_t)id) ||
	    ifp_link_get((uint16_t)id, &ls) < 0)
		return -EINVAL;
	pa.port = (uint16_t)id;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "port", id);
	if (ifp_reload_with_conf(port_into, &pa) < 0)
		return -EINVAL;
	if (rte_eth_dev_info_get(pa.port, &info) == 0) {
		rte_tel_data_add_dict_string(d, "driver", info.driver_name);
		rte_tel_data_add_dict_u64(d, "rx_queues", info.nb_rx_queues);
		rte_tel_data_add_dict_u64(d, "tx_queues", info.nb_tx_queues);
	}
	rte_tel_data_add_dict_string(d, "profile", ls.profile);
	rte_tel_data_add_dict_string(d, "link_status",
				     ls.link.link_status ? "up" : "down");
	rte_tel_data_add_dict_u64(d, "link_speed_mbps",
				  ls.link.link_speed ==
					  RTE_ETH_SPEED_NUM_UNKNOWN
				      ? 0
				      : ls.link.link_speed);
	rte_eth_link_to_str(link, sizeof(link), &ls.link);
	rte_tel_data_add_dict_string(d, "link", link);
	rte_tel_data_add_dict_string(
	    d, "link_events_by",
	    ls.lsc ? "interrupt and polling"
		   : ifp_link_kernel_is_polled(pa.port) ? "polling the kernel interface"
							: "polling");
	rte_tel_data_add_dict_u64(d, "link_up_events", ls.up_events);
	rte_tel_data_add_dict_u64(d, "link_down_events", ls.down_events);
	if (rte_eth_stats_get(pa.port, &es) == 0) {
		rte_tel_data_add_dict_u64(d, "ipackets", es.ipackets);
		rte_tel_data_add_dict_u64(d, "opackets", es.opackets);
		rte_tel_data_add_dict_u64(d, "ibytes", es.ibytes);
		rte_tel_data_add_dict_u64(d, "obytes", es.obytes);
		rte_tel_data_add_dict_u64(d, "imissed", es.imissed);
		rte_tel_data_add_dict_u64(d, "ierrors", es.ierrors);
		rte_tel_data_add_dict_u64(d, "oerrors", es.oerrors);
		rte_tel_data_add_dict_u64(d, "rx_nombuf", es.rx_nombuf);
	}
	return 0;
}

static const char *
lpa_rate_names[2][3] = {
	{"rate_out_current", "rate_out_min", "rate_out_max"},
	{"rate_in_current", "rate_in_min", "rate_in_max"},
};

/* One modem as a dict of plain values (telemetry nests one level). */
static struct rte_tel_data *
lpa_modem_dict(const struct ifp_lpa_modem *m, uint64_t now_ns)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	char src[INET6_ADDRSTRLEN], mip[INET_ADDRSTRLEN] = "";

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	ifp_ipx_str(&m->src, src, sizeof(src));
	rte_tel_data_add_dict_string(d, "source", src);
	rte_tel_data_add_dict_u64(d, "modem", m->id);
	rte_tel_data_add_dict_string(d, "state", ifp_lpa_state_name(m->state));
	rte_tel_data_add_dict_u64(d, "up", m->state == IFP_LPA_UP);
	rte_tel_data_add_dict_u64(d, "port", m->port);
	rte_tel_data_add_dict_u64(d, "mtu", m->mtu);
	for (unsigned int dir = 0; dir < 2; dir++)
		if (m->dirs & (1u << dir))
			for (unsigned int k = 0; k < 3; k++)
				rte_tel_data_add_dict_u64(d, lpa_rate_names[dir][k],
							  m->rate[dir][k]);
	rte_tel_data_add_dict_string(d, "direction",
				     m->if_flags & IFP_LPA_IF_OUT ? "out" : "in");
	rte_tel_data_add_dict_u64(d, "bidirectional",
				  !!(m->if_flags & IFP_LPA_IF_BIDIR));
	rte_tel_data_add_dict_u64(d, "fixed", !!(m->if_flags & IFP_LPA_IF_FIXED));
	if (m->if_flags & IFP_LPA_IF_IPV4)
		inet_ntop(AF_INET, &m->modem_ip, mip, sizeof(mip));
	rte_tel_data_add_dict_string(d, "modem_ip", mip);
	rte_tel_data_add_dict_u64(d, "if_flags", m->if_flags);
	/* telemetry has no floats: milliseconds */
	rte_tel_data_add_dict_u64(d, "age_ms",
				  now_ns > m->last_ns ? (now_ns - m->last_ns) / 1000000u
						      : 0);
	rte_tel_data_add_dict_u64(d, "count", m->count);
	rte_tel_data_add_dict_u64(d, "changes", m->changes);
	return d;
}

/*
 * Keyed "ID/SOURCE" ("7/192_0_2_50"): telemetry nests dicts in dicts, not
 * in arrays, and its names take letters, digits, '_' and '/' only.
 */
static int
lpa_modems_into(const struct ifp_lpa_table *t, uint64_t now_ns, void *arg)
{
	struct rte_tel_data *d = arg;

	for (uint32_t i = 0, n = 0; i < t->n && n < IFP_TEL_MODEMS_MAX; i++) {
		char key[RTE_TEL_MAX_STRING_LEN], src[INET6_ADDRSTRLEN];
		struct rte_tel_data *m;

		if (t->m[i].state == IFP_LPA_UNHEARD)
			continue;
		ifp_ipx_str(&t->m[i].src, src, sizeof(src));
		for (char *c = src; *c; c++)
			if (*c == '.' || *c == ':')
				*c = '_';
		snprintf(key, sizeof(key), "%" PRIu32 "/%s", t->m[i].id, src);
		m = lpa_modem_dict(&t->m[i], now_ns);
		add_container(d, key, m);
		n++;
	}
	return 0;
}

static int
tel_lpa(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	if (param_none(params) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	ifp_lpa_with_table(lpa_modems_into, d);
	return 0;
}

int
ifp_telemetry_init(void)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
	    {"/icmpfp/stats", tel_stats,
	     "Totals over every worker lcore: rx, tx, answers by kind, drops, "
	     "cycles. No parameters."},
	    {"/icmpfp/lcore", tel_lcore,
	     "One worker lcore: counters, cycles/packet, busy %, burst sizes, "
	     "drops. Parameters: int lcore_id"},
	    {"/icmpfp/port", tel_port,
	     "One port: addresses, link, link events, ethdev counters. "
	     "Parameters: int port_id"},
	    {"/icmpfp/drops", tel_drops,
	     "Dropped frames by reason, over every worker lcore. No "
	     "parameters."},
	    {"/icmpfp/ratelimit", tel_ratelimit,
	     "Rate limits in force and what they limited. No parameters."},
	    {"/icmpfp/config", tel_config,
	     "The running config: generation, reloads, [icmp], [icmp6], [ratelimit], "
	     "[lpa], [routes], [policy]. No parameters."},
	    {"/icmpfp/policy", tel_policy,
	     "[policy] rules by line: FILE:LINE, text, action, matched, denied, "
	     "limited; the default. No parameters."},
	    {"/icmpfp/routes", tel_routes,
	     "[routes] from index FROM, 100 at most: line, prefix, action, hits. "
	     "Parameters: int FROM"},
	    {"/icmpfp/route", tel_route,
	     "route get: the route of an address and what TTL 1 and 1500 DF "
	     "probes earn. Parameters: string ADDRESS"},
	    {"/icmpfp/lpa", tel_lpa,
	     "Every modem heard in Link Property Advertisements: source, Modem "
	     "ID, state, MTU, rates, age. No parameters."},
	};

	for (unsigned int i = 0; i < RTE_DIM(cmds); i++) {
		int rc = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn,
						    cmds[i].help);

		if (rc != 0)
			return rc;
	}
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_RELOAD_H
#define IFP_RELOAD_H

/**
 * @file
 * Live reload (SIGHUP) of every section but [port N] (ifp_config_sections()
 * says which reload).
 *
 * The running config is one pointer. A reload builds a whole new struct
 * ifp_conf and its rte_lpm aside, publishes the pointer, waits on an
 * rte_rcu_qsbr until every worker has reported a quiescent state (which
 * they do between bursts, holding nothing from the config), then frees the
 * old conf and its table together. A burst therefore sees one config from
 * its first packet to its last, never half a table. A file that does not
 * load is refused with FILE:LINE: reason and the running config stays.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_rcu_qsbr.h>

#include "ifp_config.h"
#include "ifp_conf.h"
#include "ifp_proc.h"

/** What workers read: the published config and the QSBR they report to. */
struct ifp_reload_live {
	_Atomic(struct ifp_conf *) conf;
	struct rte_rcu_qsbr *qs;
};

extern struct ifp_reload_live ifp_reload_live;

/**
 * Take @p running (already loaded, its routes built and its ports set up by
 * the caller, who keeps owning it) as the first published config; set up
 * the QSBR variable and SIGHUP. Returns 0 or a negative errno.
 */
int ifp_reload_init(const char *path, struct ifp_conf *running,
		    unsigned int n_workers);

/** Register worker @p lcore with the QSBR; called before it is launched. */
int ifp_reload_worker_register(unsigned int lcore);

/** On the worker: start reporting quiescent states. */
void ifp_reload_worker_online(unsigned int lcore);

/** On the worker, when it stops polling for good. */
void ifp_reload_worker_offline(unsigned int lcore);

/**
 * On the worker, between bursts: report a quiescent state (nothing of the
 * config is held), then pick up the config published now.
 */
static inline void
ifp_reload_worker_quiescent(struct ifp_lcore *lc)
{
	rte_rcu_qsbr_quiescent(ifp_reload_live.qs, lc->lcore_id);
	lc->conf =
	    atomic_load_explicit(&ifp_reload_live.conf, memory_order_acquire);
}

/** SIGHUP, or anyone who wants a reload: ask the main lcore for one. */
void ifp_reload_request(void);

/**
 * Main lcore: do a requested reload, if any. Returns 1 when a new config
 * runs, 0 when nothing was asked, -1 when the file was refused.
 */
int ifp_reload_poll(void);

/**
 * Reload now from the file. Returns 0, or -1 with the reason (FILE:LINE:
 * reason) in @p err; the running config then stays.
 */
int ifp_reload_now(char *err, size_t errlen);

/** Reload history, for telemetry. */
struct ifp_reload_status {
	uint64_t generation; /**< 0: the config read at start */
	uint64_t ok;
	uint64_t failed;
	uint64_t last_ns; /**< wall clock of the last attempt, 0: none */
	char last_error[IFP_ERR_LEN];
	/** what the file changed that only a restart applies ("[port 0]
	 * address"), as of the last reload that took effect; "" when none */
	char restart_pending[256];
	char path[512];
};

/** Copy of the reload history. */
void ifp_reload_status_get(struct ifp_reload_status *out);

/**
 * Run @p fn on the running config while no reload can free it (control
 * plane readers only: telemetry). Returns what @p fn returns.
 */
int ifp_reload_with_conf(int (*fn)(const struct ifp_conf *c, void *arg),
			 void *arg);

/** Free what the reloads allocated (after the workers stopped). */
void ifp_reload_fini(void);

#endif /* IFP_RELOAD_H */

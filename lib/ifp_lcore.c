/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ip_frag.h>
#include <rte_malloc.h>

#include "ifp_lcore.h"
#include "ifp_trace.h"

/* what a worker without a trace of its own tests: zeroes, never armed */
static struct ifp_trace_buf ifp_trace_never;

void
ifp_lcore_init(struct ifp_lcore *lc, const struct ifp_conf *conf,
	       unsigned int lcore_id, unsigned int n_lcores)
{
	memset(lc, 0, sizeof(*lc));
	lc->conf = conf;
	lc->lcore_id = lcore_id;
	/* lcores start their IP identifications far apart */
	lc->ip_id = (uint16_t)(lcore_id * 7919u);
	ifp_fragid_init(&lc->frag6_id);
	ifp_rl_init(&lc->rl, RTE_MAX(n_lcores, 1u));
	lc->trace = &ifp_trace_never;
}

int
ifp_lcore_frag_create(struct ifp_lcore *lc, int socket, char *err,
		      size_t errlen)
{
	/* the table's clock is lc->now_ns, so its "cycles" are ns */
	lc->frag_tbl = rte_ip_frag_table_create(IFP_FRAG_FLOWS / IFP_FRAG_WAYS,
						IFP_FRAG_WAYS, IFP_FRAG_FLOWS,
						IFP_FRAG_TIMEOUT_NS, socket);
	if (lc->frag_tbl == NULL) {
		snprintf(err, errlen, "lcore %u: reassembly table: %s",
			 lc->lcore_id, rte_strerror(rte_errno));
		return -1;
	}
	lc->frag_dr = rte_zmalloc_socket("ifp_frag_dr", sizeof(*lc->frag_dr),
					 RTE_CACHE_LINE_SIZE, socket);
	if (lc->frag_dr == NULL) {
		ifp_lcore_frag_free(lc);
		snprintf(err, errlen, "lcore %u: reassembly death row: no memory",
			 lc->lcore_id);
		return -1;
	}
	return 0;
}

void
ifp_lcore_frag_sweep(struct ifp_lcore *lc, uint64_t now_ns)
{
	if (lc->frag_tbl == NULL)
		return;
	rte_ip_frag_table_del_expired_entries(lc->frag_tbl, lc->frag_dr, now_ns);
	lc->st.frag_freed += lc->frag_dr->cnt;
	rte_ip_frag_free_death_row(lc->frag_dr, 0);
}

void
ifp_lcore_frag_free(struct ifp_lcore *lc)
{
	if (lc->frag_dr != NULL)
		rte_ip_frag_free_death_row(lc->frag_dr, 0);
	if (lc->frag_tbl != NULL) {
		/* frees the fragments still held, counted when they came */
		rte_ip_frag_table_destroy(lc->frag_tbl);
	}
	rte_free(lc->frag_dr);
	lc->frag_tbl = NULL;
	lc->frag_dr = NULL;
}

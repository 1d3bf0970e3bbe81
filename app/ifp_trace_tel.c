/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>

#include "ifp_trace_tel.h"

/* frames one arming may ask for, a worker */
#define IFP_TRACE_ARM_MAX 100000
/* records the index lists: what fits in one telemetry answer (16 kB) */
#define IFP_TRACE_INDEX_MAX 512

static ifp_trace_buf_fn buf_of;
static pthread_mutex_t ctl_lock = PTHREAD_MUTEX_INITIALIZER;
/* the filter of the last arming, as given */
static char armed_filter[RTE_TEL_MAX_STRING_LEN];

struct rec_ref {
	uint64_t time_ns, id;
	unsigned int lcore;
};

static int
ref_cmp(const void *a, const void *b)
{
	const struct rec_ref *x = a, *y = b;

	if (x->time_ns != y->time_ns)
		return x->time_ns < y->time_ns ? -1 : 1;
	if (x->lcore != y->lcore)
		return x->lcore < y->lcore ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every record kept, oldest first, at most IFP_TRACE_INDEX_MAX (the newest). */
static int
trace_index(struct rte_tel_data *d)
{
	struct rec_ref *refs = malloc(sizeof(*refs) * RTE_MAX_LCORE *
				      (IFP_TRACE_KEEP - IFP_TRACE_OPEN_MAX));
	struct ifp_trace_rec *r = malloc(sizeof(*r));
	struct rte_tel_data *a = rte_tel_data_alloc();
	unsigned int n = 0;
	uint64_t left = 0;

	if (refs == NULL || r == NULL || a == NULL) {
		free(refs);
		free(r);
		rte_tel_data_free(a);
		return -ENOMEM;
	}
	for (unsigned int lc = 0; lc < RTE_MAX_LCORE; lc++) {
		const struct ifp_trace_buf *tb = buf_of(lc);
		uint64_t first, last;

		if (tb == NULL)
			continue;
		left += ifp_trace_left(tb);
		ifp_trace_ids(tb, &first, &last);
		for (uint64_t id = first; id <= last; id++)
			if (ifp_trace_get(tb, id, r) == 0)
				refs[n++] = (struct rec_ref){r->time_ns, id, lc};
	}
	qsort(refs, n, sizeof(*refs), ref_cmp);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "left", left);
	rte_tel_data_add_dict_string(d, "filter", armed_filter);
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	for (unsigned int i = n > IFP_TRACE_INDEX_MAX ? n - IFP_TRACE_INDEX_MAX : 0;
	     i < n; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%u/%" PRIu64, refs[i].lcore, refs[i].id);
		rte_tel_data_add_array_string(a, key);
	}
	if (rte_tel_data_add_dict_container(d, "records", a, 0) != 0)
		rte_tel_data_free(a);
	free(refs);
	free(r);
	return 0;
}

static int
trace_clear(struct rte_tel_data *d)
{
	uint64_t n = 0;

	pthread_mutex_lock(&ctl_lock);
	for (unsigned int lc = 0; lc < RTE_MAX_LCORE; lc++) {
		struct ifp_trace_buf *tb = buf_of(lc);
		uint64_t first, last;

		if (tb == NULL)
			continue;
		ifp_trace_ids(tb, &first, &last);
		n += last >= first ? last - first + 1 : 0;
		ifp_trace_clear(tb);
	}
	pthread_mutex_unlock(&ctl_lock);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "cleared", n);
	return 0;
}

/* "N" or "N,FILTER" */
static int
trace_arm(const char *params, struct rte_tel_data *d)
{
	struct ifp_trace_filter f;
	struct rte_tel_data *lcores;
	const char *filter;
	unsigned long long n;
	char err[128], *end;

	if (!isdigit((unsigned char)params[0]))
		return -EINVAL;
	errno = 0;
	n = strtoull(params, &end, 10);
	if (errno != 0 || n > IFP_TRACE_ARM_MAX || (*end != '\0' && *end != ','))
		return -EINVAL;
	filter = *end == ',' ? end + 1 : "";
	if (strlen(filter) >= sizeof(armed_filter) ||
	    ifp_trace_filter_parse(filter, &f, err, sizeof(err)) < 0)
		return -EINVAL;
	lcores = rte_tel_data_alloc();
	if (lcores == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(lcores, RTE_TEL_INT_VAL);
	pthread_mutex_lock(&ctl_lock);
	for (unsigned int lc = 0; lc < RTE_MAX_LCORE; lc++) {
		struct ifp_trace_buf *tb = buf_of(lc);

		if (tb == NULL)
			continue;
		ifp_trace_arm(tb, n, &f);
		rte_tel_data_add_array_int(lcores, (int)lc);
	}
	snprintf(armed_filter, sizeof(armed_filter), "%s", n ? filter : "");
	pthread_mutex_unlock(&ctl_lock);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "armed", n);
	rte_tel_data_add_dict_string(d, "filter", filter);
	if (rte_tel_data_add_dict_container(d, "lcores", lcores, 0) != 0)
		rte_tel_data_free(lcores);
	return 0;
}

static int
tel_trace(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	if (params == NULL || params[0] == '\0')
		return trace_index(d);
	if (strcmp(params, "clear") == 0)
		return trace_clear(d);
	return trace_arm(params, d);
}

/* A record as the object of docs/trace.md, live: telemetry has no floats,
 * so time is a string. */
static void
record_into(const struct ifp_trace_rec *r, struct rte_tel_data *d)
{
	struct rte_tel_data *steps = rte_tel_data_alloc();
	char buf[RTE_TEL_MAX_STRING_LEN], sec[32], iso[40];

	ifp_trace_time_str(r->time_ns, sec, sizeof(sec), iso, sizeof(iso));
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "frame", r->frame);
	rte_tel_data_add_dict_string(d, "time", sec);
	ifp_trace_rec_summary(r, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "summary", buf);
	if (steps != NULL) {
		rte_tel_data_start_array(steps, RTE_TEL_STRING_VAL);
		for (unsigned int i = 0; i < r->n_steps; i++)
			rte_tel_data_add_array_string(steps, ifp_trace_step_text(r, i));
		if (r->steps_lost) {
			snprintf(buf, sizeof(buf), "... %u more steps", r->steps_lost);
			rte_tel_data_add_array_string(steps, buf);
		}
		if (rte_tel_data_add_dict_container(d, "steps", steps, 0) != 0)
			rte_tel_data_free(steps);
	}
	rte_tel_data_add_dict_string(d, "outcome", ifp_trace_outcome_name(r->outcome));
	if (r->outcome == IFP_TRACE_ANSWERED || r->outcome == IFP_TRACE_RATELIMITED)
		rte_tel_data_add_dict_string(d, "answer", ifp_trace_result_name(r));
	else if (r->outcome == IFP_TRACE_DROPPED)
		rte_tel_data_add_dict_string(d, "reason", ifp_trace_result_name(r));
	if (r->route[0])
		rte_tel_data_add_dict_string(d, "route", r->route);
	if (r->policy[0])
		rte_tel_data_add_dict_string(d, "policy", r->policy);
	rte_tel_data_add_dict_u64(d, "lcore", r->lcore);
	rte_tel_data_add_dict_u64(d, "port", r->port);
	rte_tel_data_add_dict_u64(d, "queue", r->queue);
	rte_tel_data_add_dict_string(d, "wall_time", iso);
}

/* "LCORE,ID" */
static int
tel_trace_record(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct ifp_trace_buf *tb;
	struct ifp_trace_rec *r;
	unsigned long lc;
	unsigned long long id;
	char *end;
	int rc;

	(void)cmd;
	if (params == NULL || !isdigit((unsigned char)params[0]))
		return -EINVAL;
	errno = 0;
	lc = strtoul(params, &end, 10);
	if (errno != 0 || *end != ',' || lc >= RTE_MAX_LCORE ||
	    !isdigit((unsigned char)end[1]))
		return -EINVAL;
	id = strtoull(end + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	tb = buf_of((unsigned int)lc);
	if (tb == NULL)
		return -EINVAL;
	r = malloc(sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	rc = ifp_trace_get(tb, id, r);
	if (rc == 0)
		record_into(r, d);
	free(r);
	return rc == 0 ? 0 : -EINVAL;
}

/* help texts: under RTE_TEL_MAX_STRING_LEN, or the command is refused */
int
ifp_trace_tel_init(ifp_trace_buf_fn fn)
{
	int rc;

	buf_of = fn;
	rc = rte_telemetry_register_cmd(
	    "/icmpfp/trace", tel_trace,
	    "Packet trace: the records kept. N[,src=PREFIX][,port=P][,dropped]: "
	    "arm N frames a worker. clear: forget.");
	if (rc != 0)
		return rc;
	return rte_telemetry_register_cmd(
	    "/icmpfp/trace_record", tel_trace_record,
	    "One traced frame: summary, steps, outcome. Parameters: int lcore, "
	    "int id");
}

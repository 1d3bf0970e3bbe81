/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>

#include "ifp_report.h"

static void
ifp_report_by_answer(FILE *f, const char *name, const uint64_t *v)
{
	fprintf(f, ", \"%s\": {", name);
	for (unsigned int i = 0; i < IFP_ANS_MAX; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "",
			ifp_answer_name(i), v[i]);
	fprintf(f, "}");
}

void
ifp_report_json_open(FILE *f, const struct ifp_stats *s)
{
	fprintf(f, "{\"rx\": %" PRIu64 ", \"tx\": %" PRIu64
		", \"originated\": %" PRIu64 ", \"originated_lost\": %" PRIu64
		", \"answered\": %" PRIu64 ", \"ratelimited\": %" PRIu64,
		s->rx, s->tx, s->originated, s->originated_lost, s->answered,
		s->ratelimited);
	fprintf(f, ", \"dropped\": {");
	for (unsigned int i = 0; i < IFP_DROP_MAX; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "",
			ifp_drop_name(i), s->dropped[i]);
	fprintf(f, "}");
	ifp_report_by_answer(f, "answers", s->answers);
	ifp_report_by_answer(f, "ratelimited_by", s->ratelimited_by);
	fprintf(f, ", \"rl_src_evictions\": %" PRIu64 ", \"frag_freed\": %" PRIu64,
		s->rl_src_evictions, s->frag_freed);
	fprintf(f, ", \"busy_cycles\": %" PRIu64 ", \"proc_cycles\": %" PRIu64
		", \"bursts\": %" PRIu64,
		s->busy_cycles, s->proc_cycles, s->bursts);
}

void
ifp_report_json(FILE *f, const struct ifp_stats *s)
{
	ifp_report_json_open(f, s);
	fprintf(f, "}\n");
}

int
ifp_report_check(const struct ifp_stats *s)
{
	uint64_t by_kind = 0;

	for (unsigned int i = 0; i < IFP_ANS_MAX; i++)
		by_kind += s->ratelimited_by[i];
	if (by_kind != s->ratelimited)
		return -1;
	return s->rx == s->answered + s->ratelimited +
				ifp_stats_dropped_total(s) ? 0 : -1;
}

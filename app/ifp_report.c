/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>

#include "ifp_report.h"

void
ifp_report_json(FILE *f, const struct ifp_stats *s)
{
	fprintf(f, "{\"rx\": %" PRIu64 ", \"tx\": %" PRIu64
		", \"answered\": %" PRIu64 ", \"ratelimited\": %" PRIu64,
		s->rx, s->tx, s->answered, s->ratelimited);
	fprintf(f, ", \"dropped\": {");
	for (unsigned int i = 0; i < IFP_DROP_MAX; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "",
			ifp_drop_name(i), s->dropped[i]);
	fprintf(f, "}, \"answers\": {");
	for (unsigned int i = 0; i < IFP_ANS_MAX; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "",
			ifp_answer_name(i), s->answers[i]);
	fprintf(f, "}, \"busy_cycles\": %" PRIu64 ", \"proc_cycles\": %" PRIu64
		", \"bursts\": %" PRIu64 "}\n",
		s->busy_cycles, s->proc_cycles, s->bursts);
}

int
ifp_report_check(const struct ifp_stats *s)
{
	return s->rx == s->answered + s->ratelimited +
				ifp_stats_dropped_total(s) ? 0 : -1;
}

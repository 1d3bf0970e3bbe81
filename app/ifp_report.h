/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_REPORT_H
#define IFP_REPORT_H

#include <stdio.h>

#include "ifp_stats.h"

/**
 * Write @p s as one JSON object: rx, tx, answered, ratelimited, dropped
 * (reason -> count, every reason), answers and ratelimited_by (answer
 * kind -> count).
 */
void ifp_report_json(FILE *f, const struct ifp_stats *s);

/**
 * ifp_report_json() without the closing brace and newline, for a caller
 * that appends members of its own (", \"key\": value" ... "}\n").
 */
void ifp_report_json_open(FILE *f, const struct ifp_stats *s);

/**
 * 0 when rx = answered + ratelimited + sum of dropped and ratelimited =
 * sum of ratelimited_by, else -1.
 */
int ifp_report_check(const struct ifp_stats *s);

#endif /* IFP_REPORT_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_TRACE_TEL_H
#define IFP_TRACE_TEL_H

/**
 * @file
 * The packet trace over telemetry (docs/icmpfpctl.md, docs/trace.md):
 *
 * - /icmpfp/trace,N[,FILTER]  arm the next N frames on every worker
 *   (FILTER: src=PREFIX, port=P, dropped, comma-separated); N 0 disarms;
 * - /icmpfp/trace,clear       forget the records kept;
 * - /icmpfp/trace             the index: {left, filter, records: [LCORE/ID]};
 * - /icmpfp/trace_record,LCORE,ID  one record.
 *
 * Telemetry runs each client on a thread of its own: arming and clearing
 * are serialised here, the one control thread ifp_trace.h asks for.
 */

#include "ifp_trace.h"

/** The trace buffer of worker @p lcore, NULL when it is not a worker. */
typedef struct ifp_trace_buf *(*ifp_trace_buf_fn)(unsigned int lcore);

/** Register the commands; @p buf_of finds each worker's buffer. */
int ifp_trace_tel_init(ifp_trace_buf_fn buf_of);

#endif /* IFP_TRACE_TEL_H */

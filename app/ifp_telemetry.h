/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_TELEMETRY_H
#define IFP_TELEMETRY_H

/**
 * @file
 * icmpfp's commands on the DPDK telemetry socket (dpdk-telemetry.py):
 * /icmpfp/stats, /icmpfp/lcore,<id>, /icmpfp/port,<id>, /icmpfp/drops,
 * /icmpfp/ratelimit, /icmpfp/config, /icmpfp/lpa. Each answers one JSON
 * object read from the folded stats rings, the link watch, the published
 * config and the modem table (ifp_lpa_listen.h); a bad
 * parameter answers -EINVAL (null on the socket). Names of drop reasons and
 * answer kinds come from the X-macro tables of ifp_stats.h.
 */

/** Register the commands. Returns 0 or a negative errno. */
int ifp_telemetry_init(void);

#endif /* IFP_TELEMETRY_H */

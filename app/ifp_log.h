/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_LOG_H
#define IFP_LOG_H

/**
 * @file
 * icmpfp's own DPDK log type, "icmpfp": `--log-level=icmpfp:debug` sets
 * it, and every line starts `icmpfp: ` (rte_log.h's dynamic log types).
 */

#include <rte_log.h>

/** The log type registered as "icmpfp" (RTE_LOG_REGISTER, level INFO). */
extern int ifp_logtype;

#define IFP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, ifp_logtype, "icmpfp: " fmt "\n", ##__VA_ARGS__)

#endif /* IFP_LOG_H */

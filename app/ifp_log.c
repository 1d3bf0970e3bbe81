/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_log.h>

#include "ifp_log.h"

RTE_LOG_REGISTER(ifp_logtype, icmpfp, INFO);

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_PROBE_H
#define IFP_PROBE_H

/*
 * Internal to lib/: the body of an RFC 8335 extended echo (PROBE) reply,
 * the same for ICMP (42/43) and ICMPv6 (160/161).
 */

#include <stdint.h>

#include "ifp_conf.h"

/**
 * Answer the extended echo request @p b of @p len bytes (ICMP header
 * included, the message contiguous): the interface its Interface
 * Identification Object names among the ports of @p c, looked up by name,
 * ifIndex (port id + 1) or IPv4 or IPv6 address. Writes the state bits (A,
 * 4, 6) into b[7] and returns the reply's code (RFC 8335 3).
 */
uint8_t ifp_probe_answer(const struct ifp_conf *c, uint8_t *b, uint32_t len);

#endif /* IFP_PROBE_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_POLICY_GEN_H
#define IFP_POLICY_GEN_H

/*
 * Random [policy] rules and keys, for test_policy and bench_policy (EAL's
 * rte_rand: seed it with rte_srand() first).
 */

#include <stdbool.h>
#include <stdint.h>

#include "ifp_policy.h"

/**
 * Start EAL for a test or a benchmark: no hugepages (@p mem_mb MB), no
 * PCI, no shared config, file prefix @p name-PID. Returns rte_eal_init()'s.
 */
int ifp_pgen_eal_init(const char *argv0, const char *name, const char *mem_mb);

/** Stop EAL and remove the runtime directory it leaves behind. */
void ifp_pgen_eal_fini(void);

/** The addresses the box of these rules has, IPv4 then IPv6. */
extern const char *const ifp_pgen_own[4];

/** ifp_policy_own_fn: is @p a one of ifp_pgen_own? */
bool ifp_pgen_own_fn(const struct ifp_ipx *a, const void *arg);

/**
 * Add @p n random rules to @p pc, as lines of a file through
 * ifp_policy_entry(): IPv4 or IPv6 at even odds, mostly long prefixes
 * (a few short ones). @p varied: random sets of kinds and actions, one in
 * ten with a `to` (of ifp_pgen_own); else `* = deny` each, as a bogon
 * list. A rule the parser refuses as a repeat is drawn again. Returns 0,
 * or -1 with @p err when it refuses anything else.
 */
int ifp_pgen_rules(struct ifp_policy_conf *pc, uint32_t n, bool varied,
		   char *err, size_t errlen);

/**
 * @p n random keys for @p pc's rules: of the family of a random rule or
 * the other, the source from inside that rule's prefix half the time, the
 * destination one of ifp_pgen_own half the time, a random kind.
 */
void ifp_pgen_keys(const struct ifp_policy_conf *pc, struct ifp_policy_key *keys,
		   uint32_t n);

#endif /* IFP_POLICY_GEN_H */

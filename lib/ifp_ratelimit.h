/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_RATELIMIT_H
#define IFP_RATELIMIT_H

/**
 * @file
 * Rate limits of the answers a flood could multiply ([ratelimit],
 * docs/configuration.md): ICMP errors and, optionally, echo replies.
 *
 * Every bucket is a token bucket kept as GCRA (the "virtual scheduling"
 * form of ITU-T I.371): one 64-bit theoretical arrival time (TAT) per
 * bucket, emission interval T = 1 s / rate, tolerance tau = (burst - 1) * T.
 * A packet at time t conforms when TAT - tau <= t; it then moves TAT to
 * max(TAT, t) + T. That is exactly a bucket of @c burst tokens refilled at
 * @c rate per second, with no division and no refill loop per packet.
 *
 * The clock is the packet's RX time (lc->now_ns), so icmpfp-replay, whose
 * clock is the capture's, limits reproducibly.
 *
 * Sources are keyed by 64 bits (ifp_rl_key_ipv4(), ifp_rl_key_ipv6()):
 * an IPv4 address, or the /64 of an IPv6 one. A /64 is what one host owns
 * (SLAAC, privacy addresses, RFC 8981) and what one attacker can spread its
 * sources over at no cost; keyed by /128, one host would fill the table and
 * never meet its per-source limit.
 *
 * Everything lives in struct ifp_rl, inside the lcore context: the
 * per-source table is a fixed array of IFP_RL_SETS sets of IFP_RL_WAYS
 * sources, sized at build time, never allocated per packet. A source not
 * in its set takes the way whose buckets are fullest; a way whose buckets
 * are full holds nothing worth keeping, so in steady state recycling loses
 * nothing, and under a spoofed-source flood the global bucket still bounds
 * what goes out.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_jhash.h>

#include "ifp_conf.h"

/** What an answer is limited as. */
enum ifp_rl_kind {
	IFP_RL_ERROR, /**< any ICMP or ICMPv6 error but those of IFP_RL_PMTU */
	IFP_RL_PMTU,  /**< Frag Needed 3/4 (RFC 1191), Packet Too Big (RFC 8201) */
	IFP_RL_ECHO,	    /**< echo reply */
};

#define IFP_RL_KIND_MAX 3

/** Ways per set of the per-source table (sources compared per lookup). */
#define IFP_RL_WAYS 4
/** Sets of the per-source table; a power of two. */
#define IFP_RL_SETS 1024
/** Sources one lcore tracks at once. */
#define IFP_RL_SOURCES (IFP_RL_SETS * IFP_RL_WAYS)

/** A rate as the buckets use it, derived from a per-second rate. */
struct ifp_rl_rate {
	uint32_t per_sec; /**< what t_ns and tau_ns were computed from */
	uint32_t burst;
	uint64_t t_ns;	 /**< emission interval; 0: unlimited */
	uint64_t tau_ns; /**< (burst - 1) * t_ns */
};

/*
 * One set of the per-source table. Each source has two buckets: one for
 * errors, one for Frag Needed and Packet Too Big alone, so that no other
 * error to the same source can starve PMTU discovery (RFC 1191, RFC 8201:
 * a lost Packet Too Big is a black hole, IPv6 routers never fragment).
 */
struct ifp_rl_set {
	uint64_t src[IFP_RL_WAYS]; /**< keys, ifp_rl_key_ipv4/6() */
	uint64_t tat[IFP_RL_WAYS][2]; /**< [way][IFP_RL_ERROR/PMTU] */
};

/** The rate limiter of one lcore. */
struct ifp_rl {
	unsigned int n_lcores; /**< sharing errors_per_sec, echo_per_sec */
	uint32_t seed;	       /**< hash seed of the per-source table */
	uint64_t tat_errors;   /**< global error bucket of this lcore */
	uint64_t tat_echo;
	struct ifp_rl_rate errors; /**< cached from the conf */
	struct ifp_rl_rate per_source;
	struct ifp_rl_rate echo;
	uint64_t src_evictions; /**< sources recycled while still limited */
	struct ifp_rl_set set[IFP_RL_SETS] __rte_cache_aligned;
};

/**
 * Reset @p rl: every bucket full, the per-source table empty, a random
 * hash seed. @p n_lcores lcores share errors_per_sec and echo_per_sec
 * (each gets 1/n of the rate and the whole burst).
 *
 * @return 0, or -EINVAL when @p n_lcores is 0.
 */
int ifp_rl_init(struct ifp_rl *rl, unsigned int n_lcores);

/** Fix the hash seed of the per-source table (replays, tests). */
void ifp_rl_seed_set(struct ifp_rl *rl, uint32_t seed);

/*
 * The per-source key of an IPv4 source (network order), tagged with ffff in
 * the top 16 bits: the /64 of an IPv6 source there is multicast, dropped
 * before any answer, so the two families never share a key.
 */
static inline uint64_t
ifp_rl_key_ipv4(rte_be32_t src)
{
	return (UINT64_C(0xffff) << 48) | (uint64_t)src;
}

/** The per-source key of an IPv6 source: its /64 (see above). */
static inline uint64_t
ifp_rl_key_ipv6(const uint8_t *src)
{
	uint64_t k;

	memcpy(&k, src, sizeof(k));
	return k;
}

/** The set of the per-source table a key falls in. */
static inline unsigned int
ifp_rl_set_of(const struct ifp_rl *rl, uint64_t key)
{
	return rte_jhash_2words((uint32_t)key, (uint32_t)(key >> 32),
				rl->seed) & (IFP_RL_SETS - 1);
}

/**
 * Fill @p r for @p per_sec answers a second shared by @p share lcores and a
 * bucket of @p burst (0 counts as 1); per_sec 0: unlimited. A no-op when
 * @p r already holds that rate and burst (a reload swaps the conf under
 * the workers; comparing two words is cheaper than dividing per packet).
 */
void ifp_rl_rate_update(struct ifp_rl_rate *r, uint32_t per_sec, uint32_t burst,
			unsigned int share);

static inline uint64_t
ifp_rl_sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/**
 * GCRA: does a packet at @p now conform to the bucket whose TAT is @p tat?
 * Leaves in @p next the TAT to store if it is sent (every bucket of icmpfp:
 * these, and the per-rule ones of [policy], ifp_policy.h).
 */
static inline bool
ifp_rl_conforms(uint64_t tat, const struct ifp_rl_rate *r, uint64_t now,
		uint64_t *next)
{
	uint64_t x;

	if (r->t_ns == 0) {
		*next = tat;
		return true;
	}
	/* A TAT further ahead than a full burst can put it means the clock
	 * went back (a capture out of order, a clock step): start afresh
	 * rather than limit until the clock catches up. */
	if (unlikely(tat > now && tat - now > r->tau_ns + r->t_ns))
		tat = now;
	x = RTE_MAX(tat, now);
	if (x - now > r->tau_ns)
		return false;
	*next = ifp_rl_sat_add(x, r->t_ns);
	return true;
}

/** The out-of-line part of ifp_rl_allow(): every kind but unlimited echo. */
bool ifp_rl_allow_slow(struct ifp_rl *rl, const struct ifp_ratelimit_conf *c,
		       enum ifp_rl_kind k, uint64_t src, uint64_t now_ns);

/**
 * May an answer of kind @p k to @p src go out at @p now_ns (the packet's
 * RX time)? Takes a token from each bucket it passes: errors need one from
 * the lcore's error bucket and one from the source's (Frag Needed and
 * Packet Too Big: from their own per-source bucket); echo needs one from the echo bucket.
 *
 * @return true: send; false: limited (the caller counts it).
 */
static inline bool
ifp_rl_allow(struct ifp_rl *rl, const struct ifp_ratelimit_conf *c,
	     enum ifp_rl_kind k, uint64_t src, uint64_t now_ns)
{
	/* echo_per_sec = 0: unlimited, the common case, without a call */
	if (likely(k == IFP_RL_ECHO && c->echo_per_sec == 0))
		return true;
	return ifp_rl_allow_slow(rl, c, k, src, now_ns);
}

#endif /* IFP_RATELIMIT_H */

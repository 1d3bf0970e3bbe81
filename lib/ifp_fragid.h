/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_FRAGID_H
#define IFP_FRAGID_H

/**
 * @file
 * The Identification of the IPv6 datagrams icmpfp sends in fragments
 * (RFC 8200 4.5), chosen as RFC 7739 5.2 asks: a value an off-path host
 * cannot predict, so it can neither inject fragments into our answers nor
 * count them. Each is SipHash-2-4, keyed with a secret drawn at start, of a
 * per-worker counter: a pseudo-random 32-bit value per datagram, with no
 * step between consecutive ones to any destination.
 */

#include <stdint.h>

/** One worker's generator: its secret and how many IDs it has given. */
struct ifp_fragid {
	uint64_t key[2];
	uint64_t n;
};

/** SipHash-2-4 (Aumasson, Bernstein 2012) of one 64-bit word under @p key. */
uint64_t ifp_siphash24_u64(const uint64_t key[2], uint64_t word);

/**
 * Draw a secret for @p f from the kernel's random source (getrandom(2)).
 * Returns 0, or -1 when there was none (the key then mixes the TSC and the
 * address of @p f: still no step, but weaker).
 */
int ifp_fragid_init(struct ifp_fragid *f);

/** A fixed key, for a reproducible replay (icmpfp-replay). */
void ifp_fragid_seed_set(struct ifp_fragid *f, uint64_t seed);

/** The Identification of the next fragmented datagram, host order. */
static inline uint32_t
ifp_fragid_next(struct ifp_fragid *f)
{
	uint64_t h = ifp_siphash24_u64(f->key, f->n++);

	return (uint32_t)(h ^ (h >> 32));
}

#endif /* IFP_FRAGID_H */

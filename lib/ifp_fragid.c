/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#include <rte_cycles.h>

#include "ifp_fragid.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1;                                                      \
		v1 = ROTL(v1, 13);                                             \
		v1 ^= v0;                                                      \
		v0 = ROTL(v0, 32);                                             \
		v2 += v3;                                                      \
		v3 = ROTL(v3, 16);                                             \
		v3 ^= v2;                                                      \
		v0 += v3;                                                      \
		v3 = ROTL(v3, 21);                                             \
		v3 ^= v0;                                                      \
		v2 += v1;                                                      \
		v1 = ROTL(v1, 17);                                             \
		v1 ^= v2;                                                      \
		v2 = ROTL(v2, 32);                                             \
	} while (0)

uint64_t
ifp_siphash24_u64(const uint64_t key[2], uint64_t word)
{
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ull;
	uint64_t v1 = key[1] ^ 0x646f72616e646f6dull;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ull;
	uint64_t v3 = key[1] ^ 0x7465646279746573ull;
	const uint64_t last = 8ull << 56; /* the message length, no bytes left */

	/* c = 2 compression rounds a block, the word then the last block */
	v3 ^= word;
	SIPROUND;
	SIPROUND;
	v0 ^= word;
	v3 ^= last;
	SIPROUND;
	SIPROUND;
	v0 ^= last;
	/* d = 4 finalization rounds */
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

int
ifp_fragid_init(struct ifp_fragid *f)
{
	ssize_t n;

	f->n = 0;
	do
		n = getrandom(f->key, sizeof(f->key), 0);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(f->key))
		return 0;
	f->key[0] = rte_rdtsc() ^ (uint64_t)(uintptr_t)f;
	f->key[1] = ifp_siphash24_u64(f->key, rte_rdtsc());
	return -1;
}

void
ifp_fragid_seed_set(struct ifp_fragid *f, uint64_t seed)
{
	f->key[0] = seed;
	f->key[1] = ~seed;
	f->n = 0;
}

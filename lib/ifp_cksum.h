/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_CKSUM_H
#define IFP_CKSUM_H

/**
 * @file
 * Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * Sums are kept in the byte order of memory: the one's-complement sum is
 * independent of byte order (RFC 1071 2.(B)), so no swap is ever needed and
 * results compare directly with rte_raw_cksum().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>

struct rte_mbuf;

/** A sum kernel: the contract of ifp_cksum_raw(). */
typedef uint16_t (*ifp_cksum_kernel_t)(const void *buf, size_t len);

/** The kernel ifp_cksum_raw() calls; set by ifp_cksum_select(). */
extern ifp_cksum_kernel_t ifp_cksum_raw_kernel;

/**
 * One's-complement sum of @p len bytes at @p buf, folded to 16 bits,
 * not complemented: the same value rte_raw_cksum() returns.
 * Any alignment, any length.
 */
static inline uint16_t
ifp_cksum_raw(const void *buf, size_t len)
{
	return ifp_cksum_raw_kernel(buf, len);
}

/** The portable scalar kernel: 64-bit accumulators, unrolled. */
uint16_t ifp_cksum_raw_scalar(const void *buf, size_t len);

#if defined(RTE_ARCH_X86_64)
/** AVX2 kernel; only on a CPU with AVX2. */
uint16_t ifp_cksum_raw_avx2(const void *buf, size_t len);
/** AVX-512 kernel; only on a CPU with AVX512F, AVX512BW, AVX512VL, BMI2. */
uint16_t ifp_cksum_raw_avx512(const void *buf, size_t len);
#endif

/**
 * Point ifp_cksum_raw() at the widest kernel the CPU has and
 * rte_vect_get_max_simd_bitwidth() allows (no limit before rte_eal_init(),
 * which is how tests and benches run). A constructor calls it at load; the
 * daemon calls it again after rte_eal_init() so that EAL's
 * --force-max-simd-bitwidth applies. Returns the kernel's name.
 */
const char *ifp_cksum_select(void);

/**
 * Does this CPU run 512-bit integer vectors at full clock? AMD's Zen 4 and
 * later do; Intel's since Ice Lake (AVX512_VBMI2) lose next to nothing on
 * the light integer instructions the kernels use, while Skylake-SP and
 * Cascade Lake drop to a lower frequency licence for the whole core.
 * False without AVX512F, BW and VL.
 */
bool ifp_cksum_avx512_cheap(void);

/** Name of the kernel in use: "scalar", "avx2" or "avx512". */
const char *ifp_cksum_kernel_name(void);

/**
 * Folded sum of @p len bytes starting @p off bytes into the packet data of
 * a (possibly multi-segment) mbuf chain. Returns -1 when the chain holds
 * fewer than off + len bytes.
 */
int ifp_cksum_mbuf(const struct rte_mbuf *m, uint32_t off, uint32_t len,
		   uint16_t *sum);

/** Fold a 32-bit partial sum to 16 bits. */
static inline uint16_t
ifp_cksum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * The checksum field for a sum: its complement, but never 0x0000. Eqn. 3 of
 * RFC 1624 yields 0x0000 when the new data sums to zero, which for all-zero
 * data (an echo reply of zeros) does not verify; 0xffff verifies whenever
 * 0x0000 would (RFC 1624 3, the -0/+0 ambiguity). Every checksum icmpfp
 * writes goes through here, so an update and a recomputation of the same
 * bytes always agree.
 */
static inline uint16_t
ifp_cksum_final(uint32_t sum)
{
	uint16_t hc = (uint16_t)~ifp_cksum_fold(sum);

	return hc != 0 ? hc : 0xffff;
}

/**
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for a 16-bit field of the
 * checksummed data changing from @p old to @p new. All three values as they
 * lie in the packet.
 */
static inline uint16_t
ifp_cksum_adjust16(uint16_t hc, uint16_t old, uint16_t new)
{
	uint32_t sum = (uint16_t)~hc;

	sum += (uint16_t)~old;
	sum += new;
	return ifp_cksum_final(sum);
}

/** RFC 1624 update for a 32-bit field (an IPv4 address, say). */
static inline uint16_t
ifp_cksum_adjust32(uint16_t hc, uint32_t old, uint32_t new)
{
	uint32_t sum = (uint16_t)~hc;

	sum += (uint16_t)~(old & 0xffff);
	sum += (uint16_t)~(old >> 16);
	sum += new & 0xffff;
	sum += new >> 16;
	return ifp_cksum_final(sum);
}

#endif /* IFP_CKSUM_H */

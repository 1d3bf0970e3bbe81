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
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>

struct rte_mbuf;

/** A sum kernel: the contract of ifp_cksum_raw(). */
typedef uint16_t (*ifp_cksum_kernel_t)(const void *buf, size_t len);

/** The kernels, widest last. */
enum ifp_cksum_kind {
	IFP_CKSUM_SCALAR,
	IFP_CKSUM_AVX2,
	IFP_CKSUM_AVX512,
};

/** The kernel ifp_cksum_raw() calls; set by ifp_cksum_select(). */
extern enum ifp_cksum_kind ifp_cksum_kind;

/** The portable scalar kernel: 64-bit accumulators, unrolled. */
uint16_t ifp_cksum_raw_scalar(const void *buf, size_t len);

#if defined(RTE_ARCH_X86_64)
/** AVX2 kernel; only on a CPU with AVX2. */
uint16_t ifp_cksum_raw_avx2(const void *buf, size_t len);
/** AVX-512 kernel; only on a CPU with AVX512F, AVX512BW, AVX512VL, BMI2. */
uint16_t ifp_cksum_raw_avx512(const void *buf, size_t len);
#endif

/**
 * One's-complement sum of @p len bytes at @p buf, folded to 16 bits,
 * not complemented: the same value rte_raw_cksum() returns.
 * Any alignment, any length. A direct call of the kernel selected, not a
 * call through a pointer: the branch is the same for every call. The fast
 * path (ifp_classify.c) chooses its kernel once per burst instead.
 */
static inline uint16_t
ifp_cksum_raw(const void *buf, size_t len)
{
#if defined(RTE_ARCH_X86_64)
	if (likely(ifp_cksum_kind == IFP_CKSUM_AVX512))
		return ifp_cksum_raw_avx512(buf, len);
	if (ifp_cksum_kind == IFP_CKSUM_AVX2)
		return ifp_cksum_raw_avx2(buf, len);
#endif
	return ifp_cksum_raw_scalar(buf, len);
}

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

/**
 * The IPv6 pseudo-header (RFC 8200 8.1: source, destination, upper-layer
 * packet length, next header), summed like ifp_cksum_raw() and folded to 16
 * bits. @p addrs points at the source address, the destination following
 * it (as in struct rte_ipv6_hdr). Add the upper-layer message's sum and
 * fold: 0xffff when an ICMPv6 message verifies. The same sum serves RX
 * verification and TX construction.
 */
static inline uint16_t
ifp_cksum_ipv6_phdr(const void *addrs, uint32_t len, uint8_t proto)
{
	uint64_t w[4], s;

	memcpy(w, addrs, sizeof(w));
	s = (w[0] & 0xffffffff) + (w[0] >> 32) + (w[1] & 0xffffffff) +
	    (w[1] >> 32) + (w[2] & 0xffffffff) + (w[2] >> 32) +
	    (w[3] & 0xffffffff) + (w[3] >> 32);
	/* the two 32-bit words as they lie in memory, big endian */
	s += rte_cpu_to_be_32(len);
	s += rte_cpu_to_be_32((uint32_t)proto);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/**
 * Fold a 32-bit partial sum to 16 bits (RFC 1071 4.1). Adding the sum to
 * itself rotated by 16 adds its two halves in the upper half, and the
 * carry out of the lower half is the end-around carry: the upper half is
 * the folded sum, exactly what two rounds of (s & 0xffff) + (s >> 16)
 * give, in three instructions (Linux's csum_fold()).
 */
static inline uint16_t
ifp_cksum_fold(uint32_t sum)
{
	return (uint16_t)((sum + ((sum << 16) | (sum >> 16))) >> 16);
}

/**
 * The 20 bytes of an IPv4 header without options, summed and folded:
 * 0xffff when its checksum verifies. Inline, five loads: the fixed-length
 * sum every IPv4 frame needs.
 */
static inline uint16_t
ifp_cksum_ipv4_hdr20(const void *ip)
{
	uint64_t a, b, s, t;
	uint32_t c;

	memcpy(&a, ip, 8);
	memcpy(&b, (const uint8_t *)ip + 8, 8);
	memcpy(&c, (const uint8_t *)ip + 16, 4);
	/* 64-bit one's-complement adds (the carry goes around: 2^64 is 1
	 * modulo 0xffff), then 64 -> 32 bits as ifp_cksum_fold() does 32 -> 16 */
	s = a + b;
	s += s < a;
	t = s + c;
	t += t < s;
	t += (t << 32) | (t >> 32);
	return ifp_cksum_fold((uint32_t)(t >> 32));
}

/**
 * An IPv4 header of @p len bytes (20..60) summed and folded: inline for the
 * usual 20, the kernel for one with options.
 */
static inline uint16_t
ifp_cksum_ipv4_hdr(const void *ip, size_t len)
{
	if (likely(len == 20))
		return ifp_cksum_ipv4_hdr20(ip);
	return ifp_cksum_raw(ip, len);
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
 * RFC 1624 eqn. 3 for updates made in place: ~HC' = ~HC + ~m + m' is
 * HC' = HC + m - m' in one's complement, so the caller passes @p sum = HC +
 * the sum of (m + 0xffff - m') over the fields changed (> 0), and this folds
 * it. No complement and no zero test: a fold of a sum > 0 is never 0, and
 * it is the one non-zero value ifp_cksum_final() gives for the same update
 * (the same residue modulo 0xffff), so an update and a recomputation of the
 * same bytes still agree.
 */
static inline uint16_t
ifp_cksum_update(uint32_t sum)
{
	return ifp_cksum_fold(sum);
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

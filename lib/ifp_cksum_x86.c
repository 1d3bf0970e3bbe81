/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AVX2 and AVX-512 one's-complement sum kernels.
 *
 * Built with per-function target attributes, not global -m flags (DPDK's
 * pkg-config adds -march=corei7): the binary runs anywhere, and
 * ifp_cksum_select() only points at a kernel the CPU has.
 *
 * The trick (same in both): a 16-bit word u, XORed with 0x8000, read as a
 * signed word, is exactly u - 32768. VPMADDWD by ones then adds each pair of
 * words into a 32-bit lane as u0 + u1 - 65536, one instruction for the
 * zero-extension and the pairwise add that the scalar loop needs three for.
 * The bias is the same for every lane of every vector loaded, so it is
 * added back exactly (65536 per lane per vector) before the lanes are
 * folded: the total is the true sum of the unsigned words, so the folded
 * result equals rte_raw_cksum()'s bit for bit, 0x0000 versus 0xffff
 * included.
 */
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "ifp_cksum.h"
#include "ifp_cksum_x86.h"

#if defined(RTE_ARCH_X86_64)

/*
 * Vectors summed into the 32-bit lanes of one block before the lanes are
 * added up: each lane moves by at most 65536 per vector, so with 1024
 * vectors even the sum of all 16 lanes of a zmm stays within +-2^30.
 */
#define IFP_CKSUM_BLOCK_VECS 1024u

/* Up to 31 bytes, 32-bit words into a 64-bit sum; the odd byte is padded
 * with a zero octet (RFC 1071 4.1). */
static inline uint64_t
ifp_cksum_tail(const uint8_t *p, size_t len)
{
	uint64_t s = 0;
	uint32_t w;
	uint16_t h;

	while (len >= 4) {
		memcpy(&w, p, 4);
		s += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		s += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		h = 0;
		memcpy(&h, p, 1);
		s += h;
	}
	return s;
}

static inline uint16_t
ifp_cksum_fold64(uint64_t s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	return ifp_cksum_fold((uint32_t)s);
}

/* Exact sum of the words behind biased lanes: each of the @p lanes lanes
 * took @p nvec times -65536. */
static inline uint64_t
ifp_cksum_unbias(int32_t hsum, size_t nvec, unsigned int lanes)
{
	return (uint64_t)((int64_t)hsum + (int64_t)((nvec * lanes) << 16));
}

/* at most IFP_CKSUM_BLOCK_VECS vectors of 32 bytes */
__attribute__((target("avx2"))) static inline uint64_t
ifp_cksum_avx2_block(const uint8_t *p, size_t nvec)
{
	const __m256i bias = _mm256_set1_epi16((short)0x8000);
	const __m256i one = _mm256_set1_epi16(1);
	__m256i a0 = _mm256_setzero_si256();
	__m256i a1 = _mm256_setzero_si256();
	size_t i = 0;

	/* four loads in flight, two add chains: VPMADDWD's latency hides
	 * behind the next pair */
	for (; i + 4 <= nvec; i += 4) {
		const __m256i *v = (const __m256i *)(p + 32 * i);
		__m256i v0 = _mm256_loadu_si256(v);
		__m256i v1 = _mm256_loadu_si256(v + 1);
		__m256i v2 = _mm256_loadu_si256(v + 2);
		__m256i v3 = _mm256_loadu_si256(v + 3);

		v0 = _mm256_madd_epi16(_mm256_xor_si256(v0, bias), one);
		v1 = _mm256_madd_epi16(_mm256_xor_si256(v1, bias), one);
		v2 = _mm256_madd_epi16(_mm256_xor_si256(v2, bias), one);
		v3 = _mm256_madd_epi16(_mm256_xor_si256(v3, bias), one);
		a0 = _mm256_add_epi32(a0, _mm256_add_epi32(v0, v2));
		a1 = _mm256_add_epi32(a1, _mm256_add_epi32(v1, v3));
	}
	for (; i < nvec; i++) {
		__m256i v0 = _mm256_loadu_si256((const __m256i *)(p + 32 * i));

		v0 = _mm256_madd_epi16(_mm256_xor_si256(v0, bias), one);
		a0 = _mm256_add_epi32(a0, v0);
	}
	return ifp_cksum_unbias(ifp_cksum_hsum256(_mm256_add_epi32(a0, a1)),
				nvec, 8);
}

/* AVX2 has no byte-masked load: past the short sums, the last 0..31
 * bytes go the scalar way. */
__attribute__((target("avx2"))) uint16_t
ifp_cksum_raw_avx2(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t sum = 0;

	if (len <= IFP_CKSUM_SHORT_MAX)
		return ifp_cksum_avx2_short(buf, len);
	while (len >= 32) {
		size_t nvec = RTE_MIN(len / 32, (size_t)IFP_CKSUM_BLOCK_VECS);

		sum += ifp_cksum_avx2_block(p, nvec);
		p += 32 * nvec;
		len -= 32 * nvec;
	}
	sum += ifp_cksum_tail(p, len);
	return ifp_cksum_fold64(sum);
}

/*
 * @p len (1..64 * IFP_CKSUM_BLOCK_VECS) bytes: full vectors, then the tail
 * as one byte-masked load. Masked-off bytes read as zero and never fault,
 * so any length needs no scalar loop.
 */
__attribute__((target(IFP_AVX512_TARGET))) static inline uint64_t
ifp_cksum_avx512_block(const uint8_t *p, size_t len)
{
	const __m512i bias = _mm512_set1_epi16((short)0x8000);
	const __m512i one = _mm512_set1_epi16(1);
	__m512i a0 = _mm512_setzero_si512();
	__m512i a1 = _mm512_setzero_si512();
	size_t nvec = len / 64, i = 0;

	for (; i + 4 <= nvec; i += 4) {
		const __m512i *v = (const __m512i *)(p + 64 * i);
		__m512i v0 = _mm512_loadu_si512(v);
		__m512i v1 = _mm512_loadu_si512(v + 1);
		__m512i v2 = _mm512_loadu_si512(v + 2);
		__m512i v3 = _mm512_loadu_si512(v + 3);

		v0 = _mm512_madd_epi16(_mm512_xor_si512(v0, bias), one);
		v1 = _mm512_madd_epi16(_mm512_xor_si512(v1, bias), one);
		v2 = _mm512_madd_epi16(_mm512_xor_si512(v2, bias), one);
		v3 = _mm512_madd_epi16(_mm512_xor_si512(v3, bias), one);
		a0 = _mm512_add_epi32(a0, _mm512_add_epi32(v0, v2));
		a1 = _mm512_add_epi32(a1, _mm512_add_epi32(v1, v3));
	}
	for (; i < nvec; i++) {
		__m512i v0 = _mm512_loadu_si512((const __m512i *)(p + 64 * i));

		v0 = _mm512_madd_epi16(_mm512_xor_si512(v0, bias), one);
		a0 = _mm512_add_epi32(a0, v0);
	}
	if (len & 63) {
		__m512i v0 = _mm512_maskz_loadu_epi8(_bzhi_u64(~0ULL, len & 63),
						     p + 64 * nvec);

		v0 = _mm512_madd_epi16(_mm512_xor_si512(v0, bias), one);
		a0 = _mm512_add_epi32(a0, v0);
		nvec++;
	}
	return ifp_cksum_unbias(
		_mm512_reduce_add_epi32(_mm512_add_epi32(a0, a1)), nvec, 16);
}

/* past 64 KiB, block by block; never on a frame, so kept out of line */
__attribute__((target(IFP_AVX512_TARGET), noinline, cold)) static uint16_t
ifp_cksum_avx512_big(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;

	while (len) {
		size_t n = RTE_MIN(len, (size_t)64 * IFP_CKSUM_BLOCK_VECS);

		sum += ifp_cksum_avx512_block(p, n);
		p += n;
		len -= n;
	}
	return ifp_cksum_fold64(sum);
}

/* short sums, what the fast path does most, are ifp_cksum_avx512_short() */
__attribute__((target(IFP_AVX512_TARGET))) uint16_t
ifp_cksum_raw_avx512(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (len <= IFP_CKSUM_SHORT_MAX)
		return ifp_cksum_avx512_short(buf, len);
	if (unlikely(len > 64 * IFP_CKSUM_BLOCK_VECS))
		return ifp_cksum_avx512_big(p, len);
	return ifp_cksum_fold64(ifp_cksum_avx512_block(p, len));
}

#endif /* RTE_ARCH_X86_64 */

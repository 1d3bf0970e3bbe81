/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_CKSUM_X86_H
#define IFP_CKSUM_X86_H

/*
 * Internal to lib/: the short sums of the AVX2 and AVX-512 kernels, inline,
 * for the kernels themselves and for a burst function built for one kernel
 * (ifp_classify.c), which then makes no call for a frame's sums. Each is
 * built for its target only (per-function attributes, not global -m flags):
 * a caller must carry the same target.
 *
 * The trick (same in both, see ifp_cksum_x86.c): a 16-bit word XORed with
 * 0x8000 and read as signed is the word - 32768, so VPMADDWD by ones
 * zero-extends and adds pairs in one instruction; every lane of every
 * vector takes the same bias, added back exactly before the fold, so the
 * results equal rte_raw_cksum()'s bit for bit.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>

#include "ifp_cksum.h"

#if defined(RTE_ARCH_X86_64)
#include <immintrin.h>

#define IFP_AVX2_TARGET "avx2"
#define IFP_AVX512_TARGET "avx512f,avx512bw,avx512vl,bmi2"

/* the longest sum the short kernels take: an echo of ping's default size
 * in either family, an IP header, an error's quote of a small datagram */
#define IFP_CKSUM_SHORT_MAX 128

__attribute__((target(IFP_AVX2_TARGET), always_inline)) static inline int32_t
ifp_cksum_hsum256(__m256i acc)
{
	__m128i x = _mm_add_epi32(_mm256_castsi256_si128(acc),
				  _mm256_extracti128_si256(acc, 1));

	x = _mm_add_epi32(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(1, 0, 3, 2)));
	x = _mm_add_epi32(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1)));
	return _mm_cvtsi128_si32(x);
}

/*
 * @p len 0..IFP_CKSUM_SHORT_MAX bytes with AVX2: whole 32-byte vectors,
 * then the whole 32-bit words of the rest in one dword-masked load (masked
 * elements read as zero and never fault), then the last 0..3 bytes by hand,
 * an odd byte padded with a zero octet (RFC 1071 4.1).
 */
__attribute__((target(IFP_AVX2_TARGET), always_inline)) static inline __m256i
ifp_cksum_avx2_vec(const uint8_t *p)
{
	return _mm256_madd_epi16(
		_mm256_xor_si256(_mm256_loadu_si256((const __m256i *)p),
				 _mm256_set1_epi16((short)0x8000)),
		_mm256_set1_epi16(1));
}

__attribute__((target(IFP_AVX2_TARGET), always_inline)) static inline uint16_t
ifp_cksum_avx2_short(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	const uint32_t rem = (uint32_t)len & 31;
	uint32_t nvec = (uint32_t)len / 32, tail = 0;
	__m256i a = _mm256_setzero_si256();
	uint16_t h;

	/* the whole vectors, unrolled: a branch each, no loop */
	if (len >= 32) {
		a = ifp_cksum_avx2_vec(p);
		if (len >= 64) {
			a = _mm256_add_epi32(a, ifp_cksum_avx2_vec(p + 32));
			if (len >= 96) {
				a = _mm256_add_epi32(a, ifp_cksum_avx2_vec(p + 64));
				if (len >= 128)
					a = _mm256_add_epi32(a, ifp_cksum_avx2_vec(p + 96));
			}
		}
	}
	if (rem != 0) {
		p += len - rem;
		if (rem >= 4) {
			__m256i k = _mm256_cmpgt_epi32(
				_mm256_set1_epi32((int)(rem >> 2)),
				_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
			__m256i v = _mm256_maskload_epi32((const int *)p, k);

			a = _mm256_add_epi32(
				a, _mm256_madd_epi16(
					   _mm256_xor_si256(v, _mm256_set1_epi16((short)0x8000)),
					   _mm256_set1_epi16(1)));
			nvec++;
			p += rem & ~3u;
		}
		if (rem & 2) {
			memcpy(&h, p, 2);
			tail += h;
			p += 2;
		}
		if (rem & 1) {
			h = 0;
			memcpy(&h, p, 1);
			tail += h;
		}
	}
	/* each vector's 8 lanes took -65536 */
	return ifp_cksum_fold((uint32_t)(ifp_cksum_hsum256(a) + (int32_t)(nvec << 19)) +
			      tail);
}

/*
 * @p len 0..IFP_CKSUM_SHORT_MAX bytes with AVX-512: a header of 20 bytes
 * is one masked load in a ymm (which halves the horizontal add), an echo of
 * 64 one masked load, a 98-byte frame two.
 */
__attribute__((target(IFP_AVX512_TARGET), always_inline)) static inline uint16_t
ifp_cksum_avx512_short(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (len <= 32) {
		__m256i v = _mm256_maskz_loadu_epi8(
			(__mmask32)_bzhi_u32(~0u, (unsigned int)len), p);

		v = _mm256_madd_epi16(
			_mm256_xor_si256(v, _mm256_set1_epi16((short)0x8000)),
			_mm256_set1_epi16(1));
		return ifp_cksum_fold((uint32_t)(ifp_cksum_hsum256(v) + (8 << 16)));
	}
	if (len <= 64) {
		__m512i v = _mm512_maskz_loadu_epi8(_bzhi_u64(~0ULL, len), p);

		v = _mm512_madd_epi16(
			_mm512_xor_si512(v, _mm512_set1_epi16((short)0x8000)),
			_mm512_set1_epi16(1));
		return ifp_cksum_fold(
			(uint32_t)(_mm512_reduce_add_epi32(v) + (16 << 16)));
	}
	{
		const __m512i bias = _mm512_set1_epi16((short)0x8000);
		const __m512i one = _mm512_set1_epi16(1);
		__m512i v0 = _mm512_loadu_si512(p);
		__m512i v1 = _mm512_maskz_loadu_epi8(_bzhi_u64(~0ULL, len - 64),
						     p + 64);

		v0 = _mm512_madd_epi16(_mm512_xor_si512(v0, bias), one);
		v1 = _mm512_madd_epi16(_mm512_xor_si512(v1, bias), one);
		return ifp_cksum_fold((uint32_t)(
			_mm512_reduce_add_epi32(_mm512_add_epi32(v0, v1)) +
			(32 << 16)));
	}
}

/* what a burst function built for AVX2 sums with: inline up to
 * IFP_CKSUM_SHORT_MAX bytes, a direct call of the kernel past that */
__attribute__((target(IFP_AVX2_TARGET), always_inline)) static inline uint16_t
ifp_cksum_avx2_inline(const void *buf, size_t len)
{
	if (likely(len <= IFP_CKSUM_SHORT_MAX))
		return ifp_cksum_avx2_short(buf, len);
	return ifp_cksum_raw_avx2(buf, len);
}

/* the same for AVX-512 */
__attribute__((target(IFP_AVX512_TARGET), always_inline)) static inline uint16_t
ifp_cksum_avx512_inline(const void *buf, size_t len)
{
	if (likely(len <= IFP_CKSUM_SHORT_MAX))
		return ifp_cksum_avx512_short(buf, len);
	return ifp_cksum_raw_avx512(buf, len);
}
#endif /* RTE_ARCH_X86_64 */

#endif /* IFP_CKSUM_X86_H */

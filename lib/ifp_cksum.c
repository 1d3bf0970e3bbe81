/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#if defined(RTE_ARCH_X86_64)
#include <cpuid.h>
#endif

#include "ifp_cksum.h"

/*
 * 32-bit words summed into 64-bit accumulators: no carry can be lost before
 * 2^32 words, far beyond any frame. Four accumulators break the dependency
 * chain so the adds issue in parallel.
 */
uint16_t
ifp_cksum_raw_scalar(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
	uint32_t w[4];

	while (len >= 16) {
		memcpy(w, p, 16);
		a0 += w[0];
		a1 += w[1];
		a2 += w[2];
		a3 += w[3];
		p += 16;
		len -= 16;
	}
	while (len >= 4) {
		memcpy(w, p, 4);
		a0 += w[0];
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t h;

		memcpy(&h, p, 2);
		a1 += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		/* RFC 1071: a trailing odd byte is padded with a zero octet */
		uint16_t h = 0;

		*(uint8_t *)&h = *p;
		a2 += h;
	}
	a0 += a1;
	a2 += a3;
	/* the two additions below cannot overflow 64 bits for any frame */
	a0 += a2;
	a0 = (a0 & 0xffffffff) + (a0 >> 32);
	a0 = (a0 & 0xffffffff) + (a0 >> 32);
	return ifp_cksum_fold((uint32_t)a0);
}

enum ifp_cksum_kind ifp_cksum_kind = IFP_CKSUM_SCALAR;
static const char *const ifp_cksum_names[] = {
	[IFP_CKSUM_SCALAR] = "scalar",
	[IFP_CKSUM_AVX2] = "avx2",
	[IFP_CKSUM_AVX512] = "avx512",
};

const char *
ifp_cksum_select(void)
{
	enum ifp_cksum_kind k = IFP_CKSUM_SCALAR;
#if defined(RTE_ARCH_X86_64)
	/* 0 until rte_eal_init() has parsed --force-max-simd-bitwidth */
	unsigned int bw = rte_vect_get_max_simd_bitwidth();

	if (bw == 0)
		bw = RTE_VECT_SIMD_MAX;
	if (bw >= RTE_VECT_SIMD_512 &&
	    rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) > 0 &&
	    rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512BW) > 0) {
		k = IFP_CKSUM_AVX512;
	} else if (bw >= RTE_VECT_SIMD_256 &&
		   rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) > 0) {
		k = IFP_CKSUM_AVX2;
	}
#endif
	ifp_cksum_kind = k;
	return ifp_cksum_names[k];
}

bool
ifp_cksum_avx512_cheap(void)
{
#if defined(RTE_ARCH_X86_64)
	unsigned int eax, ebx, ecx, edx;

	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) <= 0 ||
	    rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512BW) <= 0 ||
	    rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512VL) <= 0)
		return false;
	/* leaf 0: the vendor, "AuthenticAMD" in EBX EDX ECX */
	__cpuid(0, eax, ebx, ecx, edx);
	if (ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163)
		return true; /* Zen 4 and later: AVX-512 without a clock drop */
	return rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512VBMI2) > 0;
#else
	return false;
#endif
}

const char *
ifp_cksum_kernel_name(void)
{
	return ifp_cksum_names[ifp_cksum_kind];
}

RTE_INIT(ifp_cksum_init)
{
	ifp_cksum_select();
}

int
ifp_cksum_mbuf(const struct rte_mbuf *m, uint32_t off, uint32_t len,
	       uint16_t *sum_out)
{
	uint32_t sum = 0;
	uint32_t done = 0;

	while (m != NULL && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (m != NULL && done < len) {
		uint32_t chunk = RTE_MIN((uint32_t)m->data_len - off, len - done);
		uint16_t s = ifp_cksum_raw(rte_pktmbuf_mtod_offset(m, const void *, off),
					   chunk);

		/* a chunk starting at an odd offset of the message sums
		 * its bytes in swapped lanes (RFC 1071 2.(B)) */
		if (done & 1)
			s = rte_bswap16(s);
		sum += s;
		done += chunk;
		off = 0;
		m = m->next;
	}
	if (done < len)
		return -1;
	*sum_out = ifp_cksum_fold(sum);
	return 0;
}

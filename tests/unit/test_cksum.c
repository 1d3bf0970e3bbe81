/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <rte_cpuflags.h>
#include <rte_ip.h>

#include "ifp_cksum.h"
#include "ifp_test.h"

static uint8_t buf[4096 + 64];

static void
fill_random(unsigned int seed)
{
	srand(seed);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
}

/* every kernel this CPU can run, called directly, not through the
 * dispatcher */
struct kernel {
	const char *name;
	ifp_cksum_kernel_t fn;
	enum ifp_cksum_kind kind;
};

static unsigned int
kernels_usable(struct kernel *k)
{
	unsigned int n = 0;

	k[n++] = (struct kernel){"scalar", ifp_cksum_raw_scalar, IFP_CKSUM_SCALAR};
#if defined(RTE_ARCH_X86_64)
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) > 0)
		k[n++] = (struct kernel){"avx2", ifp_cksum_raw_avx2, IFP_CKSUM_AVX2};
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) > 0 &&
	    rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512BW) > 0)
		k[n++] = (struct kernel){"avx512", ifp_cksum_raw_avx512, IFP_CKSUM_AVX512};
#endif
	return n;
}

static void
assert_kernels_match_every_length_and_alignment(void)
{
	struct kernel k[4];
	unsigned int nk = kernels_usable(k);

	for (size_t len = 0; len <= 2048; len++)
		for (size_t align = 0; align < 64; align++) {
			uint16_t want = rte_raw_cksum(buf + align, len);

			for (unsigned int i = 0; i < nk; i++)
				cr_assert_eq(k[i].fn(buf + align, len), want,
					     "%s: len %zu align %zu", k[i].name,
					     len, align);
			cr_assert_eq(ifp_cksum_raw(buf + align, len), want,
				     "dispatch (%s): len %zu align %zu",
				     ifp_cksum_kernel_name(), len, align);
		}
}

Test(cksum, each_kernel_equals_rte_raw_cksum_for_every_length_and_alignment)
{
	fill_random(1);
	assert_kernels_match_every_length_and_alignment();
}

/* all-zero data sums to 0x0000, everything else to 1..0xffff: a kernel
 * that adds a bias or folds differently shows here first */
Test(cksum, each_kernel_keeps_zero_and_all_ones_apart)
{
	memset(buf, 0, sizeof(buf));
	assert_kernels_match_every_length_and_alignment();
	memset(buf, 0xff, sizeof(buf));
	assert_kernels_match_every_length_and_alignment();
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (i & 1) ? 0x80 : 0x00; /* words at the bias edge */
	assert_kernels_match_every_length_and_alignment();
}

Test(cksum, each_kernel_equals_rte_raw_cksum_on_jumbo_lengths)
{
	static uint8_t big[65536 + 64];
	struct kernel k[4];
	unsigned int nk = kernels_usable(k);

	srand(7);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)rand();
	for (unsigned int t = 0; t < 300; t++) {
		size_t len = (size_t)rand() % 65536, align = (size_t)rand() % 64;
		uint16_t want = rte_raw_cksum(big + align, len);

		for (unsigned int i = 0; i < nk; i++)
			cr_assert_eq(k[i].fn(big + align, len), want,
				     "%s: len %zu align %zu", k[i].name, len,
				     align);
	}
}

Test(cksum, dispatcher_picks_the_widest_kernel_the_cpu_has)
{
	struct kernel k[4];
	unsigned int nk = kernels_usable(k);

	cr_assert_str_eq(ifp_cksum_select(), k[nk - 1].name);
	cr_assert_eq(ifp_cksum_kind, k[nk - 1].kind);
}

Test(cksum, scalar_kernel_equals_rte_raw_cksum_on_random_data)
{
	for (unsigned int seed = 0; seed < 200; seed++) {
		fill_random(seed);
		size_t len = (size_t)rand() % 4096, align = (size_t)rand() % 64;

		cr_assert_eq(ifp_cksum_raw_scalar(buf + align, len),
			     rte_raw_cksum(buf + align, len), "seed %u", seed);
	}
}

Test(cksum, all_ones_data_does_not_lose_carries)
{
	memset(buf, 0xff, sizeof(buf));
	for (size_t len = 0; len <= 4096; len += 7)
		cr_assert_eq(ifp_cksum_raw(buf, len), rte_raw_cksum(buf, len));
}

Test(cksum, mbuf_chain_sum_equals_flat_sum_for_random_splits_with_each_kernel)
{
	struct rte_mempool *mp = ifp_test_pool_create(4096, 2048);
	struct kernel k[4];
	unsigned int nk = kernels_usable(k);

	for (unsigned int i = 0; i < nk; i++) {
		ifp_cksum_kind = k[i].kind;
		for (unsigned int seed = 0; seed < 300; seed++) {
			fill_random(seed);
			uint32_t len = 1 + (uint32_t)rand() % 3000;
			uint32_t seg = 1 + (uint32_t)rand() % 200;
			uint32_t off = (uint32_t)rand() % len;
			struct rte_mbuf *m = ifp_test_mbuf(mp, buf, len, seg);
			uint16_t sum;

			cr_assert_eq(ifp_cksum_mbuf(m, off, len - off, &sum), 0);
			cr_assert_eq(sum, rte_raw_cksum(buf + off, len - off),
				     "%s: seed %u len %u seg %u off %u",
				     k[i].name, seed, len, seg, off);
			rte_pktmbuf_free(m);
		}
	}
	ifp_cksum_select();
	cr_assert_eq(ifp_test_pool_in_use(mp), 0);
	ifp_test_pool_free(mp);
}

Test(cksum, an_update_to_all_zero_data_still_verifies)
{
	/* echo request of zeros: type 8, checksum 0xf7ff, becoming type 0 */
	uint8_t msg[22] = {8, 0, 0xf7, 0xff};
	uint16_t hc, old, new = 0;

	cr_assert_eq(rte_raw_cksum(msg, sizeof(msg)), 0xffff);
	memcpy(&old, msg, 2);
	memcpy(&hc, msg + 2, 2);
	msg[0] = 0;
	hc = ifp_cksum_adjust16(hc, old, new);
	memcpy(msg + 2, &hc, 2);
	cr_assert_eq(rte_raw_cksum(msg, sizeof(msg)), 0xffff, "checksum %04x", hc);
}

Test(cksum, mbuf_sum_past_the_chain_fails)
{
	struct rte_mempool *mp = ifp_test_pool_create(16, 2048);
	struct rte_mbuf *m = ifp_test_mbuf(mp, buf, 100, 30);
	uint16_t sum;

	cr_assert_eq(ifp_cksum_mbuf(m, 50, 51, &sum), -1);
	cr_assert_eq(ifp_cksum_mbuf(m, 50, 50, &sum), 0);
	rte_pktmbuf_free(m);
	ifp_test_pool_free(mp);
}

Test(cksum, incremental_update_equals_recomputation)
{
	for (unsigned int seed = 0; seed < 1000; seed++) {
		fill_random(seed);
		size_t len = 8 + 2 * ((size_t)rand() % 200);
		size_t at = 2 * ((size_t)rand() % (len / 2 - 2));
		uint16_t old16, new16 = (uint16_t)rand();
		uint32_t old32, new32 = (uint32_t)rand();
		uint16_t hc = (uint16_t)~rte_raw_cksum(buf, len);

		memcpy(&old16, buf + at, 2);
		memcpy(buf + at, &new16, 2);
		hc = ifp_cksum_adjust16(hc, old16, new16);
		/* data plus its checksum sums to all ones (RFC 1071) */
		cr_assert_eq(ifp_cksum_fold((uint32_t)rte_raw_cksum(buf, len) + hc),
			     0xffff, "16-bit update, seed %u", seed);

		memcpy(&old32, buf + at, 4);
		memcpy(buf + at, &new32, 4);
		hc = ifp_cksum_adjust32(hc, old32, new32);
		/* a message with the updated checksum must verify */
		cr_assert_eq(ifp_cksum_fold((uint32_t)rte_raw_cksum(buf, len) + hc),
			     0xffff, "32-bit update, seed %u", seed);
	}
}

/*
 * RFC 8200 8.1 and RFC 1071, spelled out: the pseudo-header and the
 * message as big-endian 16-bit words, a trailing odd octet padded with
 * zero, carries folded back. Nothing of lib/ or DPDK.
 */
static uint16_t
ref_icmp6_sum(const uint8_t *addrs, const uint8_t *msg, uint32_t len)
{
	uint64_t s = 0;

	for (int i = 0; i < 32; i += 2)
		s += (uint32_t)(addrs[i] << 8 | addrs[i + 1]);
	s += len >> 16;
	s += len & 0xffff;
	s += 58;
	for (uint32_t i = 0; i < len; i += 2)
		s += (uint32_t)(msg[i] << 8 | (i + 1 < len ? msg[i + 1] : 0));
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

Test(cksum, ipv6_pseudo_header_sum_matches_a_reference_at_every_length_and_alignment)
{
	struct kernel k[4];
	unsigned int nk = kernels_usable(k);
	static uint8_t hdr[64 + 32];

	fill_random(17);
	for (size_t i = 0; i < sizeof(hdr); i++)
		hdr[i] = (uint8_t)rand();
	for (uint32_t len = 0; len <= 2048; len++)
		for (size_t align = 0; align < 64; align++) {
			const uint8_t *addrs = hdr + (align * 7) % 64;
			const uint8_t *msg = buf + align;
			uint16_t want = rte_cpu_to_be_16(ref_icmp6_sum(addrs, msg, len));
			uint16_t ph = ifp_cksum_ipv6_phdr(addrs, len, 58);

			for (unsigned int i = 0; i < nk; i++)
				cr_assert_eq(ifp_cksum_fold((uint32_t)ph + k[i].fn(msg, len)),
					     want, "%s: len %u align %zu", k[i].name,
					     len, align);
		}
}

Test(cksum, ipv6_pseudo_header_sum_agrees_with_dpdk)
{
	struct rte_ipv6_hdr ip;

	fill_random(23);
	for (unsigned int i = 0; i < 1000; i++) {
		memcpy(&ip, buf + i, sizeof(ip));
		/* below 128: DPDK 22.11 shifts the int proto << 24 (UBSan) */
		ip.proto = (uint8_t)(rand() % 128);
		ip.payload_len = rte_cpu_to_be_16((uint16_t)rand());
		cr_assert_eq(ifp_cksum_ipv6_phdr(ip.src_addr,
						 rte_be_to_cpu_16(ip.payload_len),
						 ip.proto),
			     rte_ipv6_phdr_cksum(&ip, 0));
	}
}

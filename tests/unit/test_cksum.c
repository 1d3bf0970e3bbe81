/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
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

Test(cksum, raw_equals_rte_raw_cksum_for_every_length_and_alignment)
{
	fill_random(1);
	for (size_t len = 0; len <= 2048; len++)
		for (size_t align = 0; align < 64; align += (len < 128 ? 1 : 13))
			cr_assert_eq(ifp_cksum_raw(buf + align, len),
				     rte_raw_cksum(buf + align, len),
				     "len %zu align %zu", len, align);
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

Test(cksum, mbuf_chain_sum_equals_flat_sum_for_random_splits)
{
	struct rte_mempool *mp = ifp_test_pool_create(4096, 2048);

	for (unsigned int seed = 0; seed < 300; seed++) {
		fill_random(seed);
		uint32_t len = 1 + (uint32_t)rand() % 3000;
		uint32_t seg = 1 + (uint32_t)rand() % 200;
		uint32_t off = (uint32_t)rand() % len;
		struct rte_mbuf *m = ifp_test_mbuf(mp, buf, len, seg);
		uint16_t sum;

		cr_assert_eq(ifp_cksum_mbuf(m, off, len - off, &sum), 0);
		cr_assert_eq(sum, rte_raw_cksum(buf + off, len - off),
			     "seed %u len %u seg %u off %u", seed, len, seg, off);
		rte_pktmbuf_free(m);
	}
	cr_assert_eq(ifp_test_pool_in_use(mp), 0);
	ifp_test_pool_free(mp);
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

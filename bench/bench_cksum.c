/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checksum kernels against rte_raw_cksum(), TSC cycles per byte, one run.
 *
 *   build/bench/bench_cksum [REPS]
 *
 * The data stays in L1 (the fast path sums a frame it has just parsed).
 * rte_raw_cksum() is inlined into its timing loop, as it is in DPDK code;
 * our kernels are real calls (direct for each kernel, through the
 * dispatch pointer for "ifp"), so call overhead counts against us. Each
 * cell is the median of REPS runs (default 31), the kernels alternating
 * within every run so that noise from the neighbours hits all alike.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_ip.h>

#include "ifp_cksum.h"

#define MAX_K 5
#define MAX_REPS 101

static uint8_t buf[16384 + 64] __rte_aligned(64);
static volatile uint16_t sink;

/* @p calls sums of @p len bytes at @p p; the barrier makes the pointer
 * opaque, so the compiler cannot hoist the sum out of the loop */
#define TIME_LOOP(expr)                                                      \
	do {                                                                 \
		uint64_t t0 = rte_rdtsc_precise();                           \
		uint16_t acc = 0;                                            \
		for (unsigned int c = 0; c < calls; c++) {                   \
			const uint8_t *q = p;                                \
			__asm__ volatile("" : "+r"(q));                      \
			acc ^= (expr);                                       \
		}                                                            \
		sink = acc;                                                  \
		return rte_rdtsc_precise() - t0;                             \
	} while (0)

static uint64_t
time_rte(const uint8_t *p, size_t len, unsigned int calls)
{
	TIME_LOOP(rte_raw_cksum(q, len));
}

static uint64_t
time_fn(ifp_cksum_kernel_t fn, const uint8_t *p, size_t len,
	unsigned int calls)
{
	TIME_LOOP(fn(q, len));
}

static uint64_t
time_dispatch(const uint8_t *p, size_t len, unsigned int calls)
{
	TIME_LOOP(ifp_cksum_raw(q, len));
}

/* rte_get_tsc_hz() needs EAL; a 100 ms nap does for a label */
static double
tsc_mhz(void)
{
	struct timespec a, b, nap = {0, 100000000};
	uint64_t t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &a);
	t0 = rte_rdtsc();
	nanosleep(&nap, NULL);
	t1 = rte_rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(t1 - t0) /
	       ((double)(b.tv_sec - a.tv_sec) * 1e6 +
		(double)(b.tv_nsec - a.tv_nsec) / 1e3);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static const size_t lens[] = {20, 21, 64, 84, 98, 127, 576, 577,
				      1500, 1501, 9000, 9001};
	static const size_t aligns[] = {0, 1, 3, 32};
	const char *name[MAX_K];
	ifp_cksum_kernel_t fn[MAX_K];
	unsigned int nk = 0, reps = 31;

	if (argc > 1)
		reps = (unsigned int)atoi(argv[1]);
	if (reps < 1 || reps > MAX_REPS)
		reps = 31;
	/* name[0] is rte_raw_cksum, timed inline; name[1] the dispatcher */
	name[nk] = "rte_raw";
	fn[nk++] = NULL;
	name[nk] = "ifp";
	fn[nk++] = NULL;
	name[nk] = "scalar";
	fn[nk++] = ifp_cksum_raw_scalar;
#if defined(RTE_ARCH_X86_64)
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) > 0) {
		name[nk] = "avx2";
		fn[nk++] = ifp_cksum_raw_avx2;
	}
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) > 0 &&
	    rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512BW) > 0) {
		name[nk] = "avx512";
		fn[nk++] = ifp_cksum_raw_avx512;
	}
#endif
	srand(1);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();

	printf("# command: %s %u\n", argv[0], reps);
	printf("# TSC %.0f MHz; dispatcher 'ifp' uses %s; median of %u runs\n",
	       tsc_mhz(), ifp_cksum_kernel_name(), reps);
	printf("# cycles/byte per kernel, then speed-up = rte_raw / kernel\n");
	printf("%6s %5s", "len", "align");
	for (unsigned int k = 0; k < nk; k++)
		printf(" %9s", name[k]);
	for (unsigned int k = 1; k < nk; k++)
		printf(" %8s", name[k]);
	printf("   cyc/call(rte, ifp)\n");

	for (size_t li = 0; li < RTE_DIM(lens); li++) {
		for (size_t ai = 0; ai < RTE_DIM(aligns); ai++) {
			size_t len = lens[li];
			const uint8_t *p = buf + aligns[ai];
			unsigned int calls = (unsigned int)(400000 / (len + 16));
			uint64_t t[MAX_K][MAX_REPS];
			double cpb[MAX_K];

			if (calls < 64)
				calls = 64;
			for (unsigned int r = 0; r < reps; r++) {
				/* rotate the order run by run */
				for (unsigned int j = 0; j < nk; j++) {
					unsigned int k = (j + r) % nk;

					if (k == 0)
						t[k][r] = time_rte(p, len, calls);
					else if (k == 1)
						t[k][r] = time_dispatch(p, len, calls);
					else
						t[k][r] = time_fn(fn[k], p, len, calls);
				}
			}
			for (unsigned int k = 0; k < nk; k++) {
				qsort(t[k], reps, sizeof(t[k][0]), cmp_u64);
				cpb[k] = (double)t[k][reps / 2] / calls / len;
			}
			printf("%6zu %5zu", len, aligns[ai]);
			for (unsigned int k = 0; k < nk; k++)
				printf(" %9.4f", cpb[k]);
			for (unsigned int k = 1; k < nk; k++)
				printf(" %7.2fx", cpb[0] / cpb[k]);
			printf("   %.1f, %.1f\n", cpb[0] * len, cpb[1] * len);
		}
	}
	return 0;
}

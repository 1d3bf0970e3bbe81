/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the packet trace (lib/ifp_trace.h) costs, no EAL.
 *
 *   build/bench/bench_trace [BURSTS]
 *
 * off:   a burst of 32 frames with the trace disarmed: the one
 *        ifp_trace_on() of the burst (what the fast path pays when off);
 * armed: a burst of 32 IPv4 echo requests, each recorded as the fast path
 *        will: its record opened (the summary line), three steps, its end.
 * Instructions, where the PMU is out of reach:
 *   valgrind --tool=callgrind --toggle-collect=burst_off \
 *       build/bench/bench_trace 1000
 *   valgrind --tool=callgrind --toggle-collect=burst_armed \
 *       build/bench/bench_trace 1000
 * and divide by 32,000 frames. Cycles (TSC, median of the bursts) are
 * printed too; they are noisy on a shared box.
 */
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>

#include "ifp_trace.h"
#include "trace_frames.h"

#define BURST 32

static struct ifp_trace_buf tb;
static volatile unsigned int sink;

__attribute__((noinline)) static void
burst_off(void)
{
	/* the fast path's test, then its untraced work (not counted here) */
	if (ifp_trace_on(&tb))
		sink++;
}

__attribute__((noinline)) static void
burst_armed(uint64_t *frame)
{
	ifp_trace_burst_begin(&tb);
	for (unsigned int i = 0; i < BURST; i++) {
		struct ifp_trace_rec *r =
			ifp_trace_frame(&tb, trace_echo4, sizeof(trace_echo4),
					sizeof(trace_echo4), ++*frame, 0, 0, 0);

		IFP_TRACE_STEP(r, "l2: ours");
		IFP_TRACE_STEP(r, "ipv4: ok");
		IFP_TRACE_STEP(r, "icmp: echo request");
		if (r != NULL)
			ifp_trace_answered(r, IFP_ANS_ECHO);
	}
	ifp_trace_burst_end(&tb);
}

static int
cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	uint64_t *off = calloc(n, sizeof(*off)), *armed = calloc(n, sizeof(*armed));
	uint64_t frame = 0;

	if (n == 0 || off == NULL || armed == NULL)
		return 1;
	ifp_trace_init(&tb, 1);
	for (unsigned long i = 0; i < n; i++) {
		uint64_t t0 = rte_rdtsc();

		burst_off();
		off[i] = rte_rdtsc() - t0;
	}
	/* armed for every frame of every burst */
	ifp_trace_arm(&tb, (uint64_t)n * BURST, NULL);
	for (unsigned long i = 0; i < n; i++) {
		uint64_t t0 = rte_rdtsc();

		burst_armed(&frame);
		armed[i] = rte_rdtsc() - t0;
	}
	qsort(off, n, sizeof(*off), cmp);
	qsort(armed, n, sizeof(*armed), cmp);
	printf("off: %lu cycles a burst (with the TSC pair); armed: %.1f cycles a "
	       "frame; %lu bursts of %d\n",
	       (unsigned long)off[n / 2], (double)armed[n / 2] / BURST, n, BURST);
	free(off);
	free(armed);
	return 0;
}

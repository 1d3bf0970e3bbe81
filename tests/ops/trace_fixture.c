/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-in for icmpfp's workers, to test the packet trace over telemetry
 * (app/ifp_trace_tel.c) and icmpfpctl's trace commands end to end before
 * the fast path records into it: EAL, the trace commands, and on every
 * worker lcore a loop that every 2 ms takes a burst of four known frames
 * through lib/ifp_trace.h as the fast path will (one ifp_trace_on() a
 * burst, a record a frame while armed):
 *   an IPv4 echo request, answered echo_reply;
 *   the same with a bad ICMP checksum, dropped icmp_checksum;
 *   an IPv6 echo request, answered icmp6_echo_reply;
 *   a UDP datagram to 198.51.100.7 with TTL 1, rate-limited time_exceeded.
 * Bursts alternate between port 0 and port 1. It also answers
 * /icmpfp/stats ({"fixture": 1}) so that icmpfpctl takes it for icmpfp.
 *
 *   trace_fixture EAL-ARGS    runs until SIGINT or SIGTERM
 *   trace_fixture --jsonl     two bursts as icmpfp-replay --trace writes them
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_telemetry.h>

#include "ifp_trace_tel.h"
#include "trace_frames.h"

/* A burst: each frame, the steps the fast path would record, its end. */
static const struct burst_frame {
	const uint8_t *data;
	uint32_t len;
	const char *steps[3];
	enum ifp_trace_outcome outcome;
	unsigned int code;
	bool routed; /* 198.51.100.0/24 (icmpfp.ini:19) decided, per-source */
} burst[] = {
	{trace_echo4, sizeof(trace_echo4), {"l2: ours", "ipv4: ok", "icmp: echo request"},
	 IFP_TRACE_ANSWERED, IFP_ANS_ECHO, false},
	{trace_echo4, sizeof(trace_echo4), {"l2: ours", "ipv4: ok"},
	 IFP_TRACE_DROPPED, IFP_DROP_ICMP_CHECKSUM, false},
	{trace_echo6, sizeof(trace_echo6), {"l2: ours", "ipv6: ok", "icmp6: echo request"},
	 IFP_TRACE_ANSWERED, IFP_ANS_ECHO6, false},
	{trace_udp_ttl1, sizeof(trace_udp_ttl1), {"l2: ours", "ipv4: ttl 1"},
	 IFP_TRACE_RATELIMITED, IFP_ANS_TIME_EXCEEDED, true},
};

static volatile sig_atomic_t stop;
static struct ifp_trace_buf *bufs[RTE_MAX_LCORE];

static struct ifp_trace_buf *
buf_of(unsigned int lcore)
{
	return lcore < RTE_MAX_LCORE ? bufs[lcore] : NULL;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One burst of the frames above, recorded as the fast path will. */
static void
one_burst(struct ifp_trace_buf *tb, uint16_t port, uint64_t t, uint64_t *rx)
{
	if (!ifp_trace_on(tb)) {
		*rx += RTE_DIM(burst);
		return;
	}
	ifp_trace_burst_begin(tb);
	for (unsigned int i = 0; i < RTE_DIM(burst); i++) {
		const struct burst_frame *f = &burst[i];
		struct ifp_trace_rec *r =
			ifp_trace_frame(tb, f->data, f->len, f->len, ++*rx, port, 0, t);

		if (r == NULL)
			continue;
		for (unsigned int k = 0; k < RTE_DIM(f->steps) && f->steps[k]; k++)
			ifp_trace_step(r, "%s", f->steps[k]);
		if (f->routed)
			ifp_trace_route(r, "icmpfp.ini:19", "198.51.100.0/24",
					"unreachable host");
		if (f->outcome == IFP_TRACE_ANSWERED)
			ifp_trace_answered(r, f->code);
		else if (f->outcome == IFP_TRACE_RATELIMITED)
			ifp_trace_ratelimited(r, f->code, "per-source");
		else
			ifp_trace_dropped(r, f->code);
	}
	ifp_trace_burst_end(tb);
}

static int
worker(void *arg)
{
	struct ifp_trace_buf *tb = bufs[rte_lcore_id()];
	uint64_t rx = 0, bursts = 0;

	(void)arg;
	while (!stop) {
		usleep(2000);
		one_burst(tb, bursts++ % 2, now_ns(), &rx);
	}
	return 0;
}

/* --jsonl: two bursts traced as icmpfp-replay --trace will, one JSON
 * object a line (ifp_trace_json), no EAL */
static int
jsonl(void)
{
	struct ifp_trace_buf *tb = malloc(sizeof(*tb));
	struct ifp_trace_rec *r = malloc(sizeof(*r));
	uint64_t rx = 0, first, last;
	char buf[4096];

	if (tb == NULL || r == NULL)
		return 1;
	ifp_trace_init(tb, 0);
	ifp_trace_arm(tb, UINT64_MAX, NULL);
	for (uint16_t b = 0; b < 2; b++)
		one_burst(tb, 0, 1700000000000000000ull + b * 1000000ull, &rx);
	ifp_trace_ids(tb, &first, &last);
	for (uint64_t id = first; id <= last; id++)
		if (ifp_trace_get(tb, id, r) == 0 &&
		    ifp_trace_json(r, false, buf, sizeof(buf)) < sizeof(buf))
			printf("%s\n", buf);
	free(r);
	free(tb);
	return 0;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "fixture", 1);
	return 0;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	unsigned int lc;

	if (argc == 2 && strcmp(argv[1], "--jsonl") == 0)
		return jsonl();
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "trace_fixture: EAL did not start\n");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	RTE_LCORE_FOREACH_WORKER(lc) {
		bufs[lc] = rte_zmalloc("trace", sizeof(*bufs[lc]), RTE_CACHE_LINE_SIZE);
		if (bufs[lc] == NULL) {
			fprintf(stderr, "trace_fixture: no memory\n");
			return 1;
		}
		ifp_trace_init(bufs[lc], lc);
	}
	if (rte_telemetry_register_cmd("/icmpfp/stats", tel_stats, "a stand-in") != 0 ||
	    ifp_trace_tel_init(buf_of) != 0) {
		fprintf(stderr, "trace_fixture: telemetry commands not registered\n");
		return 1;
	}
	RTE_LCORE_FOREACH_WORKER(lc)
		rte_eal_remote_launch(worker, NULL, lc);
	printf("trace_fixture running\n");
	fflush(stdout);
	while (!stop)
		usleep(20000);
	rte_eal_mp_wait_lcore();
	RTE_LCORE_FOREACH_WORKER(lc)
		rte_free(bufs[lc]);
	rte_eal_cleanup();
	return 0;
}

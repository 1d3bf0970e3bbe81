/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * icmpfp-replay: the fast path of lib/ over a capture. Port 0 is the
 * capture; every frame icmpfp would transmit is written to OUT.pcap with the
 * time of the frame that caused it; the counters are printed as one JSON
 * object. The clock is the capture's own, so a replay is reproducible.
 * The manual is icmpfp-replay(1) (man/icmpfp-replay.1.in).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "ifp_announce.h"
#include "ifp_config.h"
#include "ifp_log.h"
#include "ifp_lpa_listen.h"
#include "ifp_policy.h"
#include "ifp_proc.h"
#include "ifp_report.h"
#include "ifp_route.h"
#include "ifp_trace.h"
#include "ifp_txcheck.h"

#define REPLAY_MBUFS 16383
#define REPLAY_MAX_FRAME 65535

/* the MAC of port 0 when the config gives none: a capture has no NIC */
static const struct rte_ether_addr replay_default_mac = {
	.addr_bytes = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
};

struct replay {
	struct ifp_lcore lc;
	struct ifp_conf conf;
	struct rte_mempool *pool;
	struct rte_mempool *indirect;
	pcap_dumper_t *out;
	uint16_t seg_size; /**< 0: one segment per frame when it fits */
	uint16_t burst;
	uint64_t last_ts; /**< of the last frame read */
	/** --trace: every frame's record, one JSON line each; NULL: none */
	FILE *trace_out;
	struct ifp_trace_buf *trace;
	uint64_t trace_done; /**< the records written so far */
	uint8_t frame[REPLAY_MAX_FRAME];
};

static struct replay replay_ctx;
/* --trace's buffer, static as replay_ctx */
static struct ifp_trace_buf replay_trace_buf;

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: icmpfp-replay -c FILE [--segment N] [--burst N] [--trace FILE]\n"
		"                     IN.pcap OUT.pcap\n"
		"  -c FILE       icmpfp config; [port 0] is the capture\n"
		"  --segment N   split each frame into N-byte mbuf segments\n"
		"  --burst N     frames per burst, 1 to %d (default 32)\n"
		"  --trace FILE  why each frame got its answer, JSON Lines (- stdout is\n"
		"                the report: give a file)\n"
		"Exit status: 0 done, 1 cannot run, 2 usage, 3 counters do not add up or\n"
		"mbufs leaked. The manual: man 1 icmpfp-replay\n",
		IFP_BURST_MAX);
}

static void
replay_write(struct replay *r, struct rte_mbuf *m, uint64_t ts_ns)
{
	struct pcap_pkthdr h = {0};
	const void *p;

	h.ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000u / 1000u);
	h.caplen = h.len = m->pkt_len;
	p = rte_pktmbuf_read(m, 0, m->pkt_len, r->frame);
	pcap_dump((u_char *)r->out, &h, p);
}

/*
 * --trace: write the records the last burst committed, in frame order.
 * Called after every burst, which opens at most IFP_BURST_MAX records: the
 * ring (IFP_TRACE_KEEP - IFP_TRACE_OPEN_MAX readable) never drops one.
 */
static int
replay_trace_drain(struct replay *r)
{
	struct ifp_trace_rec rec;
	char line[4096];
	uint64_t first, last;

	if (r->trace == NULL)
		return 0;
	ifp_trace_ids(r->trace, &first, &last);
	if (r->trace_done + 1 < first) {
		fprintf(stderr, "icmpfp-replay: trace: records %" PRIu64 "..%" PRIu64
			" lost\n", r->trace_done + 1, first - 1);
		return -1;
	}
	for (uint64_t id = r->trace_done + 1; id <= last; id++) {
		size_t n;

		if (ifp_trace_get(r->trace, id, &rec) != 0)
			return -1;
		n = ifp_trace_json(&rec, false, line, sizeof(line));
		if (n >= sizeof(line))
			return -1;
		fputs(line, r->trace_out);
		fputc('\n', r->trace_out);
		r->trace_done = id;
	}
	return 0;
}

/* --trace: an empty record of the capture, counted as a runt outside the
 * fast path (nothing to read), traced as one */
static int
replay_trace_empty(struct replay *r, uint64_t ts_ns)
{
	struct ifp_trace_rec *rec;

	if (r->trace == NULL)
		return 0;
	ifp_trace_burst_begin(r->trace);
	rec = ifp_trace_frame(r->trace, r->frame, 0, 0, r->lc.st.rx + 1, 0, 0, ts_ns);
	if (rec != NULL) {
		ifp_trace_step(rec, "l2: empty frame");
		ifp_trace_dropped(rec, IFP_DROP_L2_RUNT);
	}
	ifp_trace_burst_end(r->trace);
	return replay_trace_drain(r);
}

static int
replay_flush(struct replay *r, struct rte_mbuf **pkts, uint16_t n,
	     uint64_t ts_ns)
{
	struct rte_mbuf *tx[IFP_TX_MAX];
	uint16_t ntx;

	/* the main lcore's part, on the capture's clock: the hold timer up
	 * to this burst, then what the burst heard, before the next one */
	ifp_lpa_step(&r->conf, ts_ns);
	r->lc.lpa = ifp_lpa_view_current();
	r->lc.now_ns = ts_ns;
	ntx = ifp_process_burst(&r->lc, pkts, n, tx);
	ifp_lpa_step(&r->conf, ts_ns);
	r->lc.lpa = ifp_lpa_view_current();
	ifp_txcheck(0, tx, ntx, r->pool);
	for (uint16_t i = 0; i < ntx; i++)
		replay_write(r, tx[i], ts_ns);
	ifp_tx_account(&r->lc, tx, ntx, ntx);
	rte_pktmbuf_free_bulk(tx, ntx);
	return replay_trace_drain(r);
}

/* The port comes up when the capture starts: what the daemon sends then
 * (ifp_announce.h) comes first. */
static void
replay_announce(struct replay *r, uint64_t ts_ns)
{
	struct rte_mbuf *m[IFP_ANNOUNCE_MAX];
	uint16_t n = ifp_announce_build(&r->conf.port[0], 0, r->pool, m);

	for (uint16_t i = 0; i < n; i++) {
		replay_write(r, m[i], ts_ns);
		r->lc.st.tx++;
		r->lc.st.originated++;
	}
	rte_pktmbuf_free_bulk(m, n);
}

static int
replay_trace_lost(void)
{
	fprintf(stderr, "icmpfp-replay: trace: a record could not be written\n");
	return -1;
}

static int
replay_run(struct replay *r, pcap_t *in)
{
	struct rte_mbuf *pkts[IFP_BURST_MAX];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t burst_ts = 0;
	uint16_t n = 0;
	bool first = true;
	int rc;

	while ((rc = pcap_next_ex(in, &h, &data)) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u +
			      (uint64_t)h->ts.tv_usec; /* nanosecond handle */
		struct rte_mbuf *m;

		if (first) {
			replay_announce(r, ts);
			first = false;
		}
		/* one burst holds frames of one instant: the fast path reads
		 * one clock per burst */
		/* traced, an empty frame ends the burst: its line comes
		 * after those of the frames before it */
		if (n > 0 && (ts != burst_ts || n == r->burst ||
			      (h->caplen == 0 && r->trace != NULL))) {
			if (replay_flush(r, pkts, n, burst_ts) < 0)
				return replay_trace_lost();
			n = 0;
		}
		if (h->caplen == 0) {
			/* an empty frame still arrived: count it as a runt */
			if (replay_trace_empty(r, ts) < 0)
				return replay_trace_lost();
			r->lc.st.rx++;
			r->lc.st.dropped[IFP_DROP_L2_RUNT]++;
			continue;
		}
		m = ifp_mbuf_from_frame(r->pool, data, h->caplen, r->seg_size);
		if (m == NULL) {
			fprintf(stderr, "icmpfp-replay: out of mbufs\n");
			return -1;
		}
		burst_ts = ts;
		r->last_ts = ts;
		pkts[n++] = m;
	}
	if (rc != PCAP_ERROR_BREAK) {
		fprintf(stderr, "icmpfp-replay: reading capture: %s\n",
			pcap_geterr(in));
		return -1;
	}
	if (n > 0 && replay_flush(r, pkts, n, burst_ts) < 0)
		return replay_trace_lost();
	if (first)
		replay_announce(r, 0);
	return 0;
}

/* EAL's runtime directory of this run (icmpfp-replay-PID), for atexit */
static char replay_runtime_dir[PATH_MAX];

/*
 * EAL makes a runtime directory for the prefix and leaves it behind:
 * one a run under /var/run/dpdk, thousands for a test suite. The prefix
 * is this process's own, so at exit its directory goes, with whatever
 * EAL put in it (nothing with --no-shconf and --no-telemetry).
 */
static void
replay_runtime_dir_remove(void)
{
	DIR *d = opendir(replay_runtime_dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(replay_runtime_dir);
}

/* each rule's counts and the default's, as /icmpfp/policy gives them */
static void
replay_policy_json(const struct ifp_policy *p)
{
	uint32_t n = p == NULL ? 0 : ifp_policy_n_rules(p);

	printf("[");
	for (uint32_t i = 0; i <= n && p != NULL; i++) {
		uint32_t k = i < n ? i : IFP_POLICY_DEFAULT;
		struct ifp_policy_counts pc;

		ifp_policy_counts(p, k, &pc);
		printf("%s{\"line\": %u, \"matched\": %" PRIu64 ", \"denied\": %" PRIu64
		       ", \"limited\": %" PRIu64 "}",
		       i ? ", " : "", i < n ? ifp_policy_rule(p, i)->line : 0,
		       pc.matched, pc.denied, pc.limited);
	}
	printf("]");
}

/* each route's hits, as /icmpfp/routes gives them */
static void
replay_routes_json(const struct ifp_conf *c)
{
	printf("[");
	for (uint32_t i = 0; i < c->n_routes; i++) {
		char pfx[64], act[32];

		ifp_route_prefix_str(&c->route[i], pfx, sizeof(pfx));
		ifp_route_action_str(&c->route[i], act, sizeof(act));
		printf("%s{\"line\": %u, \"prefix\": \"%s\", \"action\": \"%s\", "
		       "\"hits\": %" PRIu64 "}",
		       i ? ", " : "", c->route[i].line, pfx, act, ifp_route_hits(c, i));
	}
	printf("]");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"segment", required_argument, NULL, 's'},
		{"burst", required_argument, NULL, 'b'},
		{"trace", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char prefix[64], err[IFP_ERR_LEN], perr[PCAP_ERRBUF_SIZE];
	char *eal_argv[] = {
		argv[0], "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
		"--no-telemetry", "--log-level=error", prefix, NULL,
	};
	const char *config = NULL, *trace = NULL;
	struct replay *r;
	pcap_t *in, *dead;
	int opt, rc;

	/* static, not calloc'd: the early exits then leak nothing that
	 * LeakSanitizer would report */
	r = &replay_ctx;
	r->burst = 32;
	while ((opt = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 's':
			r->seg_size = (uint16_t)atoi(optarg);
			if (r->seg_size < 1) {
				usage(stderr);
				return 2;
			}
			break;
		case 'b':
			r->burst = (uint16_t)atoi(optarg);
			if (r->burst < 1 || r->burst > IFP_BURST_MAX) {
				usage(stderr);
				return 2;
			}
			break;
		case 't':
			trace = optarg;
			break;
		default:
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (config == NULL || argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	if (ifp_config_load(config, &r->conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "icmpfp-replay: %s\n", err);
		return 1;
	}
	if (!r->conf.port[0].present) {
		fprintf(stderr, "icmpfp-replay: %s: no [port 0]: the capture is port 0\n",
			config);
		return 1;
	}
	if (!r->conf.port[0].mac_set)
		r->conf.port[0].mac = replay_default_mac;
	ifp_port_ll_auto(&r->conf.port[0]);
	snprintf(r->conf.port[0].name, sizeof(r->conf.port[0].name), "replay0");

	snprintf(prefix, sizeof(prefix), "--file-prefix=icmpfp-replay-%d",
		 (int)getpid());
	rc = rte_eal_init(RTE_DIM(eal_argv) - 1, eal_argv);
	if (rc < 0) {
		fprintf(stderr, "icmpfp-replay: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (strstr(rte_eal_get_runtime_dir(), prefix + strlen("--file-prefix=")) != NULL &&
	    snprintf(replay_runtime_dir, sizeof(replay_runtime_dir), "%s",
		     rte_eal_get_runtime_dir()) < (int)sizeof(replay_runtime_dir))
		atexit(replay_runtime_dir_remove);
	/* stdout is the JSON report: logs go to stderr, DPDK's own at
	 * error, icmpfp's notices (the LPA state changes) too */
	rte_openlog_stream(stderr);
	rte_log_set_level_pattern("*", RTE_LOG_ERR);
	rte_log_set_level(ifp_logtype, RTE_LOG_NOTICE);
	rte_log_set_global_level(RTE_LOG_NOTICE);
	r->pool = rte_pktmbuf_pool_create("replay", REPLAY_MBUFS, 0, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (r->pool == NULL) {
		fprintf(stderr, "icmpfp-replay: mempool: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}

	in = pcap_open_offline_with_tstamp_precision(argv[optind],
						     PCAP_TSTAMP_PRECISION_NANO, perr);
	if (in == NULL) {
		fprintf(stderr, "icmpfp-replay: %s: %s\n", argv[optind], perr);
		return 1;
	}
	if (pcap_datalink(in) != DLT_EN10MB) {
		fprintf(stderr, "icmpfp-replay: %s: not an Ethernet capture\n",
			argv[optind]);
		return 1;
	}
	/* the capture's snapshot length cuts frames as af_packet's framesz
	 * does: a frame that long whose datagram claims more was cut */
	r->conf.port[0].rx_frame_max = (uint32_t)pcap_snapshot(in);
	dead = pcap_open_dead(DLT_EN10MB, REPLAY_MAX_FRAME);
	r->out = pcap_dump_open(dead, argv[optind + 1]);
	if (r->out == NULL) {
		fprintf(stderr, "icmpfp-replay: %s: %s\n", argv[optind + 1],
			pcap_geterr(dead));
		return 1;
	}

	if (ifp_routes_build(&r->conf, config, "replay_routes", SOCKET_ID_ANY, 1,
			     err, sizeof(err)) < 0) {
		fprintf(stderr, "icmpfp-replay: %s\n", err);
		return 1;
	}
	if (ifp_config_policy_build(&r->conf, config, "replay_policy", SOCKET_ID_ANY,
				    1, err, sizeof(err)) < 0) {
		fprintf(stderr, "icmpfp-replay: %s\n", err);
		return 1;
	}
	ifp_lcore_init(&r->lc, &r->conf, rte_lcore_id(), 1);
	/* same capture, same answers: no random hash seed */
	ifp_rl_seed_set(&r->lc.rl, 0);
	ifp_fragid_seed_set(&r->lc.frag6_id, 0);
	r->indirect = rte_pktmbuf_pool_create("replay_indirect", 4095, 0, 0, 0,
					      SOCKET_ID_ANY);
	if (r->indirect == NULL ||
	    ifp_lcore_frag_create(&r->lc, SOCKET_ID_ANY, err, sizeof(err)) < 0) {
		fprintf(stderr, "icmpfp-replay: %s\n",
			r->indirect == NULL ? "indirect mempool" : err);
		return 1;
	}
	r->lc.indirect_pool = r->indirect;
	if (trace != NULL) {
		/* every frame, from the first: UINT64_MAX (ifp_trace_arm()) */
		r->trace = &replay_trace_buf;
		r->trace_out = fopen(trace, "w");
		if (r->trace_out == NULL) {
			fprintf(stderr, "icmpfp-replay: %s: %s\n", trace, strerror(errno));
			return 1;
		}
		ifp_trace_init(r->trace, rte_lcore_id());
		ifp_trace_arm(r->trace, UINT64_MAX, NULL);
		r->lc.trace = r->trace;
		r->lc.trace_file = config;
	}
	r->lc.tx_pool[0] = r->pool;
	/* one lcore: the view is freed at once, the ring is its own */
	r->lc.lpa_ring = ifp_lpa_ring_create(rte_lcore_id(), SOCKET_ID_ANY);
	if (r->lc.lpa_ring == NULL || ifp_lpa_init(NULL, NULL) != 0) {
		fprintf(stderr, "icmpfp-replay: LPA ring: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	rc = replay_run(r, in);
	if (r->trace_out != NULL && fclose(r->trace_out) != 0) {
		fprintf(stderr, "icmpfp-replay: %s: %s\n", trace, strerror(errno));
		rc = -1;
	}
	pcap_dump_close(r->out);
	pcap_close(dead);
	pcap_close(in);
	if (rc < 0)
		return 1;

	/* the capture has ended: what the reassembly table still holds will
	 * never complete (counted when it came, as ip_frag_reasm) */
	ifp_lcore_frag_free(&r->lc);
	ifp_report_json_open(stdout, &r->lc.st);
	printf(", \"mbufs_in_use\": %u, \"lpa\": ", rte_mempool_in_use_count(r->pool));
	ifp_lpa_json(stdout, r->last_ts);
	printf(", \"policy\": ");
	replay_policy_json(r->conf.policy);
	printf(", \"routes\": ");
	replay_routes_json(&r->conf);
	printf("}\n");
	if (ifp_report_check(&r->lc.st) < 0) {
		fprintf(stderr, "icmpfp-replay: counters do not add up\n");
		return 3;
	}
	if (rte_mempool_in_use_count(r->pool) != 0 ||
	    rte_mempool_in_use_count(r->indirect) != 0) {
		fprintf(stderr, "icmpfp-replay: %u mbufs leaked\n",
			rte_mempool_in_use_count(r->pool) +
			rte_mempool_in_use_count(r->indirect));
		return 3;
	}
	ifp_lpa_fini();
	rte_mempool_free(r->indirect);
	rte_mempool_free(r->pool);
	ifp_routes_free(&r->conf);
	ifp_config_free(&r->conf);
	rte_eal_cleanup();
	return 0;
}

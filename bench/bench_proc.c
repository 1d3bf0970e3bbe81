/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cycles per packet of ifp_process_burst() on bursts of 32, no EAL.
 *
 *   build/bench/bench_proc [ROUNDS [LOAD [RULES]]]
 *
 * With LOAD (echo, mix, echo-x8, mix-x8, echo6), only that load runs: for
 * counting its instructions where the PMU is out of reach, e.g.
 *   valgrind --tool=callgrind --toggle-collect=ifp_process_burst \
 *       build/bench/bench_proc 1 echo
 * (valgrind runs the AVX2 kernel: it has no AVX-512).
 * With RULES, the config has a [policy] of RULES random rules (IPv4 and
 * IPv6 at even odds, random kinds, echo among them, random actions and
 * `to`: tests/unit/policy_gen.c, seed 21) after two that allow the bench's
 * own sources their echo (first: among 10,000 random rules some
 * `0.0.0.0/0 echo... = deny` would otherwise drop them; rte_acl walks its
 * tries the same whichever rule wins); EAL starts for rte_acl. The
 * policy's lookup cache then answers every burst but the first; its hits
 * and misses are printed. E.g. (issue 21):
 *   valgrind --tool=callgrind --toggle-collect=ifp_process_burst \
 *       build/bench/bench_proc 1 echo 10000
 * With IFP_BENCH_TRACE=1 in the environment, every frame is traced
 * (docs/trace.md: each load's lcore armed with UINT64_MAX, each burst
 * ended by ifp_tx_account()): what an armed trace costs, e.g. (issue 22)
 *   IFP_BENCH_TRACE=1 valgrind --tool=callgrind \
 *       --toggle-collect=ifp_process_burst --toggle-collect=ifp_tx_account \
 *       build/bench/bench_proc 1 echo
 *
 * Workloads:
 *   echo  32 echo requests of 98 bytes (ping's default: 56 data bytes)
 *   mix   per burst: 14 echo, 2 echo with an 802.1Q tag, 2 timestamp
 *         requests, 4 TTL-1 transit probes, 2 ARP requests for us, 2 bad IP
 *         checksums, 2 bad ICMP checksums, 2 for another MAC, 2 garbage
 *         (runt and bad version); positions shuffled once. The config
 *         has one route, 0.0.0.0/0 = mtu 9000: the probes count its hits
 *   echo6 32 ICMPv6 echo requests of 118 bytes (ping -6's default: 56
 *         data bytes) to the port's global address
 *   echo-x8, mix-x8  the same with the echo fast path in groups of eight
 *         (ifp_classify_x8_enable(), AVX-512); the test config has two
 *         addresses, so each answer also looks its address up
 *
 * What is counted: only the ifp_process_burst() call (TSC before and after,
 * the cost of an empty TSC pair subtracted), which includes parsing, both
 * checksum verifications, crafting the answers in place and freeing the
 * drops into the mempool.
 * What is not: RX and TX (no PMD here), and re-arming: between bursts every
 * frame is copied back into its mbuf (answers back into requests, dropped
 * mbufs allocated again), then a full fence so that none of the copy's
 * stores is still in flight (a masked vector load cannot be forwarded from
 * a pending store and would wait for it: an artifact no NIC causes). The
 * copy leaves the frames in L1, so these are hot-cache figures, a lower
 * bound for a NIC that DMAs into LLC.
 * The mempool is the test pool of tests/unit/ifp_test.c (no per-lcore cache:
 * freeing costs a little more than rte_mempool with a cache).
 * Each figure is the median over ROUNDS rounds of 2000 bursts, the four
 * loads alternating round by round. insn/pkt: user-space instructions
 * retired in the call, counted by the PMU over one more round.
 */
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_random.h>

#include "ifp_cksum.h"
#include "ifp_classify.h"
#include "ifp_policy.h"
#include "ifp_proc.h"
#include "ifp_route.h"
#include "ifp_test.h"
#include "ifp_trace.h"
#include "policy_gen.h"

/* RTE_IPV4() shifts an int: 192 << 24 is undefined behaviour (UBSan) */
#define IP4(a, b, c, d)                                                      \
	RTE_BE32(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) |              \
		 ((uint32_t)(c) << 8) | (uint32_t)(d))

#define BURST 32
#define BURSTS_PER_ROUND 2000
#define MAX_ROUNDS 101
#define FRAME_MAX 128
/* workloads, each holding a burst of mbufs between rounds */
#define NLOADS 5u

struct frame {
	uint8_t b[FRAME_MAX];
	uint16_t len;
};

struct workload {
	const char *name;
	bool x8; /* the echo fast path in groups of eight (AVX-512) */
	struct frame f[BURST];
	struct rte_mbuf *m[BURST];
	double cpp[MAX_ROUNDS];
	double ipp; /* user-space instructions per packet, or < 0 */
	struct ifp_lcore lc;
};

static struct rte_mempool *mp;
static struct ifp_conf conf;
/* IFP_BENCH_TRACE: every frame traced */
static bool traced;

enum kind { ECHO, ECHO_VLAN, TSTAMP, TTL1, ARP, BAD_IP, BAD_ICMP, OTHER_MAC,
	    RUNT, BAD_VERSION, ECHO6 };

static void
frame_ipv4(struct frame *f, enum kind k)
{
	uint8_t *p = f->b;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	uint32_t l3 = sizeof(*eth);
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;
	uint16_t icmp_len = 64; /* 8 + 56 data: a 98-byte frame */

	memset(f, 0, sizeof(*f));
	memcpy(&eth->dst_addr, k == OTHER_MAC ? "\x02\x00\x00\x00\x00\x77"
					       : IFP_TEST_MAC_US, 6);
	memcpy(&eth->src_addr, IFP_TEST_MAC_PEER, 6);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	if (k == ECHO_VLAN) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(eth + 1);

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = RTE_BE16(42);
		vh->eth_proto = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		l3 += sizeof(*vh);
	}
	if (k == TSTAMP)
		icmp_len = 20;
	ip = (struct rte_ipv4_hdr *)(p + l3);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + icmp_len);
	ip->packet_id = RTE_BE16(0x1234);
	ip->time_to_live = k == TTL1 ? 1 : 64;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = IP4(192, 0, 2, 2);
	ip->dst_addr = k == TTL1 ? IP4(198, 51, 100, 7)
				 : IP4(192, 0, 2, 1);
	icmp = (struct rte_icmp_hdr *)(ip + 1);
	icmp->icmp_type = k == TSTAMP ? 13 : RTE_IP_ICMP_ECHO_REQUEST;
	icmp->icmp_ident = RTE_BE16(0x4242);
	icmp->icmp_seq_nb = RTE_BE16(7);
	for (uint16_t i = sizeof(*icmp); i < icmp_len; i++)
		((uint8_t *)icmp)[i] = (uint8_t)i;
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, icmp_len);
	ip->hdr_checksum = (uint16_t)~rte_raw_cksum(ip, sizeof(*ip));
	if (k == BAD_IP)
		ip->hdr_checksum ^= 0x0100;
	if (k == BAD_ICMP)
		icmp->icmp_cksum ^= 0x0001;
	if (k == BAD_VERSION)
		ip->version_ihl = 0x65;
	f->len = (uint16_t)(l3 + sizeof(*ip) + icmp_len);
	if (k == RUNT)
		f->len = 12;
}

static void
frame_arp(struct frame *f)
{
	memset(f, 0, sizeof(*f));
	f->len = (uint16_t)ifp_test_arp_frame(f->b, RTE_ARP_OP_REQUEST,
					      "\xff\xff\xff\xff\xff\xff",
					      IFP_TEST_MAC_PEER, IP4(192, 0, 2, 2),
					      IP4(192, 0, 2, 1));
}

static void
frame_echo6(struct frame *f)
{
	uint8_t data[56];

	memset(f, 0, sizeof(*f));
	for (unsigned int i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i + 8);
	f->len = (uint16_t)ifp_test_echo6_frame(f->b, 7, data, sizeof(data));
}

static void
workload_init(struct workload *w, const char *name, const enum kind *mix)
{
	w->name = name;
	for (int i = 0; i < BURST; i++) {
		if (mix[i] == ARP)
			frame_arp(&w->f[i]);
		else if (mix[i] == ECHO6)
			frame_echo6(&w->f[i]);
		else
			frame_ipv4(&w->f[i], mix[i]);
		w->m[i] = ifp_test_mbuf(mp, w->f[i].b, w->f[i].len, 0);
	}
	ifp_lcore_init(&w->lc, &conf, 0, 1);
	if (traced) {
		struct ifp_trace_buf *tb = malloc(sizeof(*tb));

		if (tb == NULL)
			abort();
		ifp_trace_init(tb, 0);
		ifp_trace_arm(tb, UINT64_MAX, NULL);
		w->lc.trace = tb;
	}
}

/* put every frame back as it arrived; dropped mbufs were freed */
static void
workload_rearm(struct workload *w, struct rte_mbuf **tx, uint16_t ntx)
{
	struct rte_mbuf *keep[BURST];
	uint16_t nkeep = 0;

	memcpy(keep, tx, ntx * sizeof(tx[0]));
	nkeep = ntx;
	if (nkeep < BURST &&
	    rte_pktmbuf_alloc_bulk(mp, keep + nkeep, BURST - nkeep) != 0)
		abort();
	for (int i = 0; i < BURST; i++) {
		struct rte_mbuf *m = keep[i];

		rte_pktmbuf_reset(m);
		memcpy(rte_pktmbuf_mtod(m, void *), w->f[i].b, w->f[i].len);
		m->data_len = w->f[i].len;
		m->pkt_len = w->f[i].len;
		m->port = 0;
		w->m[i] = m;
	}
}

static uint64_t tsc_overhead;

/* instructions retired in user space, counted by the PMU (-1: none) */
static int insn_fd = -1;

static void
insn_open(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	insn_fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static uint64_t
insn_read(void)
{
	uint64_t v = 0;

	if (read(insn_fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

/* one more round, counting instructions around the call only (the
 * counter's own read, measured empty, subtracted) */
static void
workload_insn(struct workload *w)
{
	struct rte_mbuf *tx[BURST];
	uint64_t insn = 0, empty = UINT64_MAX;

	w->ipp = -1;
	if (insn_fd < 0)
		return;
	ifp_classify_x8_enable(w->x8);
	for (int i = 0; i < 100; i++) {
		uint64_t i0 = insn_read();

		empty = RTE_MIN(empty, insn_read() - i0);
	}
	for (int b = 0; b < BURSTS_PER_ROUND; b++) {
		uint64_t i0 = insn_read();
		uint16_t ntx = ifp_process_burst(&w->lc, w->m, BURST, tx);

		insn += insn_read() - i0 - empty;
		if (traced)
			ifp_tx_account(&w->lc, tx, ntx, ntx);
		workload_rearm(w, tx, ntx);
	}
	w->ipp = (double)insn / ((double)BURSTS_PER_ROUND * BURST);
}

static double
workload_round(struct workload *w)
{
	struct rte_mbuf *tx[BURST];
	uint64_t cycles = 0;

	ifp_classify_x8_enable(w->x8);
	for (int b = 0; b < BURSTS_PER_ROUND; b++) {
		uint64_t t0 = rte_rdtsc();
		uint16_t ntx = ifp_process_burst(&w->lc, w->m, BURST, tx);

		cycles += rte_rdtsc() - t0 - tsc_overhead;
		if (traced)
			ifp_tx_account(&w->lc, tx, ntx, ntx); /* ends the burst */
		/* no allocation in the fast path: what is not answered has
		 * gone back to the pool */
		if (ifp_test_pool_in_use(mp) != NLOADS * BURST - (BURST - ntx))
			abort();
		workload_rearm(w, tx, ntx);
		/* a NIC's DMA leaves nothing in the core's store queue: drain
		 * the re-arm's stores, or every masked load of the frame
		 * waits for them to retire */
		rte_mb();
	}
	return (double)cycles / ((double)BURSTS_PER_ROUND * BURST);
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(struct workload *w, unsigned int rounds)
{
	const struct ifp_stats *st = &w->lc.st;

	qsort(w->cpp, rounds, sizeof(w->cpp[0]), cmp_d);
	printf("%-7s %8.1f %8.1f %8.1f %8.1f   rx %lu answered %lu (echo %lu arp %lu) dropped %lu\n",
	       w->name, w->cpp[rounds / 2], w->cpp[0], w->cpp[rounds - 1], w->ipp,
	       (unsigned long)st->rx, (unsigned long)st->answered,
	       (unsigned long)(st->answers[IFP_ANS_ECHO] + st->answers[IFP_ANS_ECHO6]),
	       (unsigned long)st->answers[IFP_ANS_ARP],
	       (unsigned long)ifp_stats_dropped_total(st));
}

/* the [policy] of RULES (see the top): into conf.policy. -1: refused */
static int
policy_setup(const char *argv0, uint32_t rules)
{
	static const char *const own[][2] = {
		{"192.0.2.2 echo", "192.0.2.1"},
		{"2001:db8:0:1::2 echo", "2001:db8:0:1::1"},
	};
	struct ifp_policy_conf pc;
	char err[512];

	if (ifp_pgen_eal_init(argv0, "ifp-bench-proc", "2048") < 0) {
		fprintf(stderr, "bench_proc: EAL\n");
		return -1;
	}
	rte_srand(21);
	ifp_policy_conf_init(&pc);
	if (ifp_policy_entry(&pc, own[0][0], "allow", 1, err, sizeof(err)) < 0 ||
	    ifp_policy_entry(&pc, own[1][0], "allow", 2, err, sizeof(err)) < 0 ||
	    ifp_pgen_rules(&pc, rules, true, err, sizeof(err)) < 0 ||
	    ifp_policy_build(&pc, "bench_proc.ini", "bproc", SOCKET_ID_ANY, 1,
			     &conf.policy, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_proc: policy: %s\n", err);
		return -1;
	}
	printf("# [policy]: %u rules (IPv4 %u, IPv6 %u)\n", pc.n_rules,
	       pc.n_family[0], pc.n_family[1]);
	for (unsigned int f = 0; f < RTE_DIM(own); f++) {
		struct ifp_policy_key k;
		struct ifp_ipx src, dst;
		uint32_t r;
		char buf[256];

		memset(&src, 0, sizeof(src));
		memset(&dst, 0, sizeof(dst));
		if (f == 0) {
			src.ip4 = IP4(192, 0, 2, 2);
			dst.ip4 = IP4(192, 0, 2, 1);
		} else {
			src.v6 = dst.v6 = true;
			memcpy(src.ip6, IFP_TEST_IP6_PEER, 16);
			memcpy(dst.ip6, IFP_TEST_IP6_US, 16);
		}
		ifp_policy_key(&k, &src, &dst, IFP_POLICY_ECHO);
		r = ifp_policy_match_linear(conf.policy, &k);
		if (r == IFP_POLICY_DEFAULT)
			snprintf(buf, sizeof(buf), "the default");
		else
			ifp_policy_rule_str(ifp_policy_rule(conf.policy, r), buf, sizeof(buf));
		printf("# the echo from %s is decided by: %s\n", own[f][0], buf);
	}
	ifp_policy_conf_free(&pc);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct workload echo, mix, echo8, mix8, echo6;
	static const enum kind mix_kinds[BURST] = {
		ECHO, ECHO, TTL1, ECHO, ARP, ECHO, BAD_IP, ECHO_VLAN,
		ECHO, TSTAMP, ECHO, OTHER_MAC, ECHO, BAD_ICMP, TTL1, ECHO,
		RUNT, ECHO, ARP, ECHO, TSTAMP, BAD_VERSION, ECHO, TTL1,
		ECHO_VLAN, ECHO, BAD_IP, OTHER_MAC, ECHO, BAD_ICMP, TTL1, ECHO,
	};
	enum kind echo_kinds[BURST], echo6_kinds[BURST];
	unsigned int rounds = 31;

	if (argc > 1)
		rounds = (unsigned int)atoi(argv[1]);
	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = 31;
	for (int i = 0; i < BURST; i++) {
		echo_kinds[i] = ECHO;
		echo6_kinds[i] = ECHO6;
	}
	traced = getenv("IFP_BENCH_TRACE") != NULL;
	mp = ifp_test_pool_create(8 * BURST, 2048);
	ifp_test_conf(&conf);
	/* a default route (issue 22): mix's TTL-1 probes are decided by it
	 * and count its hits, as a box with [routes] does */
	conf.route[0] = (struct ifp_route){.action = IFP_ROUTE_MTU, .arg = 9000};
	conf.n_routes = 1;
	conf.route_default = 0;
	if (ifp_routes_hits_alloc(&conf, 1) < 0)
		return 1;
	if (argc > 3 && policy_setup(argv[0], (uint32_t)atoi(argv[3])) < 0)
		return 1;
	workload_init(&echo, "echo", echo_kinds);
	workload_init(&mix, "mix", mix_kinds);
	workload_init(&echo8, "echo-x8", echo_kinds);
	workload_init(&mix8, "mix-x8", mix_kinds);
	workload_init(&echo6, "echo6", echo6_kinds);
	echo8.x8 = mix8.x8 = true;

	for (int i = 0; i < 1000; i++) {
		uint64_t t0 = rte_rdtsc();

		tsc_overhead = RTE_MIN(i ? tsc_overhead : UINT64_MAX,
				       rte_rdtsc() - t0);
	}
	if (argc > 2) {
		struct workload *all[] = {&echo, &mix, &echo8, &mix8, &echo6};

		for (unsigned int i = 0; i < RTE_DIM(all); i++) {
			if (strcmp(argv[2], all[i]->name) != 0)
				continue;
			for (unsigned int r = 0; r < rounds; r++)
				all[i]->cpp[r] = workload_round(all[i]);
			printf("%-8s %8.1f cycles/packet (first round)\n", all[i]->name,
			       all[i]->cpp[0]);
			if (conf.policy != NULL) {
				uint64_t hits, misses;

				ifp_policy_cache_stats(conf.policy, 0, &hits, &misses);
				printf("# policy lookups: %lu cache hits, %lu misses\n",
				       (unsigned long)hits, (unsigned long)misses);
				ifp_policy_free(conf.policy);
				ifp_pgen_eal_fini();
			}
			return 0;
		}
		fprintf(stderr, "bench_proc: no load '%s'\n", argv[2]);
		return 2;
	}
	for (unsigned int r = 0; r < rounds; r++) {
		if (r & 1) {
			echo6.cpp[r] = workload_round(&echo6);
			mix8.cpp[r] = workload_round(&mix8);
			echo8.cpp[r] = workload_round(&echo8);
			mix.cpp[r] = workload_round(&mix);
			echo.cpp[r] = workload_round(&echo);
		} else {
			echo.cpp[r] = workload_round(&echo);
			mix.cpp[r] = workload_round(&mix);
			echo8.cpp[r] = workload_round(&echo8);
			mix8.cpp[r] = workload_round(&mix8);
			echo6.cpp[r] = workload_round(&echo6);
		}
	}
	insn_open();
	workload_insn(&echo);
	workload_insn(&mix);
	workload_insn(&echo8);
	workload_insn(&mix8);
	workload_insn(&echo6);
	printf("# command: %s %u\n", argv[0], rounds);
	printf("# ifp_process_burst(), bursts of %d, checksum kernel %s, "
	       "TSC pair overhead %lu cycles subtracted\n",
	       BURST, ifp_cksum_kernel_name(), (unsigned long)tsc_overhead);
	printf("# cycles/packet: median, min, max over %u rounds of %d bursts\n",
	       rounds, BURSTS_PER_ROUND);
	printf("# insn/pkt: user-space instructions per packet in one more round "
	       "(perf_event_open; -1: no PMU access)\n");
	printf("%-7s %8s %8s %8s %8s\n", "load", "median", "min", "max", "insn/pkt");
	report(&echo, rounds);
	report(&mix, rounds);
	report(&echo8, rounds);
	report(&mix8, rounds);
	report(&echo6, rounds);
	return 0;
}

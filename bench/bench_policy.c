/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the answer policy ([policy], lib/ifp_policy.h) costs a key, and
 * what building it costs.
 *
 *   build/bench/bench_policy [RULES [BURSTS [FAMILY [LIST]]]]
 *
 * RULES random rules (tests/unit/policy_gen.c: IPv4 and IPv6 at even
 * odds, mostly long prefixes, random kinds, actions and `to`; seed 21;
 * LIST "bogons": `PREFIX * = deny` each instead, as a bogon list),
 * default = deny so that even 0 rules builds a policy (no rte_acl
 * context: every key takes the default). Then BURSTS (default 1000)
 * bursts of 32 keys, IPv4 and IPv6 bursts in turn (FAMILY 4 or 6: that
 * family's only; 0: both), each through ifp_policy_decide_burst()
 * (ifp_policy_classify(), then each rule's action, counters and bucket)
 * and again through ifp_policy_classify() alone.
 * Prints the build's time and each call's TSC cycles a key (noisy on a
 * shared machine); for instructions, count them with callgrind, which
 * runs rte_acl's AVX2 method (it has no AVX-512):
 *
 *   valgrind --tool=callgrind --toggle-collect=ifp_policy_decide_burst \
 *       build/bench/bench_policy 10000 1000
 *
 * and divide Ir by BURSTS x 32 (with --toggle-collect=ifp_policy_classify,
 * by 2 x BURSTS x 32: it runs inside decide_burst too). No [policy] at
 * all is a NULL policy: the fast path tests one pointer a burst and calls
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_random.h>

#include "ifp_policy.h"
#include "policy_gen.h"

#define BURST 32
#define KEYS 4096 /* a pool of keys of each family, walked in bursts */

static struct ifp_policy_key keys4[KEYS], keys6[KEYS];
static uint8_t verdicts[BURST];
static uint32_t results[BURST];

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Split the generator's keys by family. */
static void
keys_make(const struct ifp_policy_conf *pc)
{
	static struct ifp_policy_key k[4 * KEYS];
	uint32_t n4 = 0, n6 = 0;

	while (n4 < KEYS || n6 < KEYS) {
		ifp_pgen_keys(pc, k, RTE_DIM(k));
		for (uint32_t i = 0; i < RTE_DIM(k); i++) {
			if (k[i].family == 4 && n4 < KEYS)
				keys4[n4++] = k[i];
			else if (k[i].family == 6 && n6 < KEYS)
				keys6[n6++] = k[i];
		}
	}
}

int
main(int argc, char **argv)
{
	char err[512];
	uint32_t rules = argc > 1 ? (uint32_t)atoi(argv[1]) : 10000;
	uint32_t bursts = argc > 2 ? (uint32_t)atoi(argv[2]) : 1000;
	int only = argc > 3 ? atoi(argv[3]) : 0;
	bool varied = argc <= 4 || strcmp(argv[4], "bogons") != 0;
	struct ifp_policy_conf pc;
	struct ifp_policy *p;
	uint64_t t, cyc_decide = 0, cyc_classify = 0;
	double t0;

	if (ifp_pgen_eal_init(argv[0], "ifp-bench-policy", "2048") < 0) {
		fprintf(stderr, "bench_policy: EAL\n");
		return 1;
	}
	rte_srand(21);
	ifp_policy_conf_init(&pc);
	if (ifp_policy_entry(&pc, "default", "deny", 1, err, sizeof(err)) < 0 ||
	    ifp_pgen_rules(&pc, rules, varied, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_policy: %s\n", err);
		ifp_pgen_eal_fini();
		return 1;
	}
	t0 = now_s();
	if (ifp_policy_build(&pc, "bench.ini", "bpol", SOCKET_ID_ANY, 1, &p, err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "bench_policy: %s\n", err);
		ifp_pgen_eal_fini();
		return 1;
	}
	printf("rules %u (IPv4 %u, IPv6 %u): built in %.3f s\n", pc.n_rules,
	       pc.n_family[0], pc.n_family[1], now_s() - t0);
	if (pc.n_rules == 0) {
		/* keys need rules to be drawn from: one of each family */
		struct ifp_policy_conf one;

		ifp_policy_conf_init(&one);
		ifp_policy_entry(&one, "10.0.0.0/8 echo", "deny", 1, err, sizeof(err));
		ifp_policy_entry(&one, "2001:db8::/32 echo", "deny", 2, err, sizeof(err));
		keys_make(&one);
		ifp_policy_conf_free(&one);
	} else {
		keys_make(&pc);
	}
	for (uint32_t b = 0; b < bursts; b++) {
		int fam = only ? only : b & 1 ? 6 : 4;
		const struct ifp_policy_key *k =
			(fam == 6 ? keys6 : keys4) + (b / 2 * BURST) % KEYS;

		t = rte_rdtsc();
		ifp_policy_decide_burst(p, 0, fam, k, BURST, 1795000000ull * 1000000000ull,
					verdicts);
		cyc_decide += rte_rdtsc() - t;
		t = rte_rdtsc();
		ifp_policy_classify(p, fam, k, BURST, results);
		cyc_classify += rte_rdtsc() - t;
	}
	printf("decide_burst %.1f cycles a key, classify %.1f (TSC, bursts of %u)\n",
	       (double)cyc_decide / bursts / BURST,
	       (double)cyc_classify / bursts / BURST, BURST);
	ifp_policy_free(p);
	ifp_policy_conf_free(&pc);
	ifp_pgen_eal_fini();
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How long ifp_config_load() takes on a [routes] of N prefixes, half IPv4
 * half IPv6 (issue 19; bench/RESULTS.md). No EAL.
 *
 *   build/bench/bench_config N [ROUNDS]
 *
 * Prints the fastest of ROUNDS loads (default 5), in ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "ifp_config.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	static struct ifp_conf conf;
	char path[] = "/tmp/bench-config-XXXXXX", err[IFP_ERR_LEN];
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 4096;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	double best = 1e30;
	int fd = mkstemp(path);
	FILE *f;

	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		return 1;
	fprintf(f, "[port 0]\naddress = 192.0.2.1/24\naddress6 = 2001:db8::1/64\n[routes]\n");
	for (unsigned int i = 0; i < n / 2; i++)
		fprintf(f, "%u.%u.%u.0/24 = mtu 1400\n", 10 + (i >> 16), (i >> 8) & 255,
			i & 255);
	for (unsigned int i = 0; i < n - n / 2; i++)
		fprintf(f, "2001:db8:%x::/48 = unreachable host\n", i);
	fclose(f);
	for (int r = 0; r < rounds; r++) {
		double t0 = now_ms();

		if (ifp_config_load(path, &conf, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			unlink(path);
			return 1;
		}
		t0 = now_ms() - t0;
		if (t0 < best)
			best = t0;
	}
	unlink(path);
	printf("%u routes: %.2f ms (fastest of %d)\n", n, best, rounds);
	return 0;
}

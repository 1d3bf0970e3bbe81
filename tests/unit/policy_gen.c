/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_random.h>

#include "policy_gen.h"

static char pgen_prefix[64];
static char pgen_runtime_dir[PATH_MAX];

int
ifp_pgen_eal_init(const char *argv0, const char *name, const char *mem_mb)
{
	char *argv[] = {
		(char *)argv0, "--no-huge", "-m", (char *)mem_mb, "--no-pci",
		"--no-shconf", "--no-telemetry", "-l", "0",
		"--log-level=lib.eal:error", pgen_prefix, NULL,
	};
	int rc;

	snprintf(pgen_prefix, sizeof(pgen_prefix), "--file-prefix=%s-%d", name,
		 (int)getpid());
	rc = rte_eal_init(RTE_DIM(argv) - 1, argv);
	if (rc >= 0)
		snprintf(pgen_runtime_dir, sizeof(pgen_runtime_dir), "%s",
			 rte_eal_get_runtime_dir());
	return rc;
}

/* EAL leaves its runtime directory behind: this process's own goes */
void
ifp_pgen_eal_fini(void)
{
	DIR *d;
	struct dirent *e;

	rte_eal_cleanup();
	if (pgen_runtime_dir[0] == '\0' ||
	    strstr(pgen_runtime_dir, pgen_prefix + strlen("--file-prefix=")) == NULL)
		return;
	d = opendir(pgen_runtime_dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(pgen_runtime_dir);
}

const char *const ifp_pgen_own[4] = {
	"192.0.2.9", "192.0.2.1", "2001:db8::9", "2001:db8::1",
};

bool
ifp_pgen_own_fn(const struct ifp_ipx *a, const void *arg)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(a->v6 ? AF_INET6 : AF_INET, a->v6 ? (const void *)a->ip6 : &a->ip4,
		  s, sizeof(s));
	for (unsigned int i = 0; i < RTE_DIM(ifp_pgen_own); i++)
		if (strcmp(s, ifp_pgen_own[i]) == 0)
			return true;
	return false;
}

/* @p len bytes: the first @p depth bits of @p in, the rest random or 0. */
static void
pgen_addr(const uint8_t *in, unsigned int len, unsigned int depth, bool rest,
	  uint8_t *out)
{
	for (unsigned int i = 0; i < len; i++) {
		unsigned int keep = depth >= 8 * (i + 1) ? 8
				    : depth > 8 * i ? depth - 8 * i : 0;
		uint8_t m = (uint8_t)(0xff00u >> keep);

		out[i] = (uint8_t)((in[i] & m) | (rest ? rte_rand() & ~m : 0));
	}
}

/* A prefix length: mostly long, one in 500 short enough to catch many. */
static unsigned int
pgen_depth(bool v6)
{
	if (rte_rand_max(500) == 0)
		return (unsigned int)rte_rand_max(v6 ? 16 : 12);
	return v6 ? 16 + (unsigned int)rte_rand_max(113)
		  : 12 + (unsigned int)rte_rand_max(21);
}

int
ifp_pgen_rules(struct ifp_policy_conf *pc, uint32_t n, bool varied, char *err,
	       size_t errlen)
{
	static const char *const actions[] = {"allow", "deny", "rate 100/s burst 5"};
	static const uint8_t zero[16];
	uint32_t line = 0;

	while (n > 0) {
		bool v6 = rte_rand_max(2);
		unsigned int depth = pgen_depth(v6);
		uint16_t set = (uint16_t)(rte_rand_max(IFP_POLICY_ALL) + 1);
		char ip[INET6_ADDRSTRLEN], key[256], kinds[160] = "";
		uint8_t a[16];
		size_t kn = 0;

		/* random bits under the prefix, none after it */
		pgen_addr(zero, 16, 0, true, a);
		pgen_addr(a, 16, depth, false, a);
		inet_ntop(v6 ? AF_INET6 : AF_INET, a, ip, sizeof(ip));
		for (unsigned int b = 0; b < IFP_POLICY_KIND_MAX; b++)
			if (set & IFP_POLICY_BIT(b))
				kn += (size_t)snprintf(kinds + kn, sizeof(kinds) - kn, "%s%s",
						       kn ? "," : "",
						       ifp_policy_kind_name(b));
		if (!varied)
			snprintf(kinds, sizeof(kinds), "*");
		if (varied && rte_rand_max(10) == 0)
			snprintf(key, sizeof(key), "%s/%u to %s %s", ip, depth,
				 ifp_pgen_own[(v6 ? 2 : 0) + rte_rand_max(2)], kinds);
		else
			snprintf(key, sizeof(key), "%s/%u %s", ip, depth, kinds);
		if (ifp_policy_entry(pc, key, varied ? actions[rte_rand_max(3)] : "deny",
				     ++line, err, errlen) == 0)
			n--;
		else if (strstr(err, "repeats") == NULL)
			return -1;
	}
	return 0;
}

void
ifp_pgen_keys(const struct ifp_policy_conf *pc, struct ifp_policy_key *keys,
	      uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct ifp_policy_rule *r = &pc->rule[rte_rand_max(pc->n_rules)];
		bool v6 = rte_rand_max(2) ? r->src.v6 : !r->src.v6;
		struct ifp_ipx s = {.v6 = v6}, d = {.v6 = v6};

		pgen_addr(s.ip6, 16, 0, true, s.ip6);
		pgen_addr(d.ip6, 16, 0, true, d.ip6);
		if (v6 == r->src.v6 && rte_rand_max(2))
			pgen_addr(v6 ? r->src.ip6 : (const uint8_t *)&r->src.ip4,
				  v6 ? 16 : 4, r->depth, true,
				  v6 ? s.ip6 : (uint8_t *)&s.ip4);
		if (rte_rand_max(2)) {
			const char *o = ifp_pgen_own[(v6 ? 2 : 0) + rte_rand_max(2)];

			inet_pton(v6 ? AF_INET6 : AF_INET, o,
				  v6 ? (void *)d.ip6 : &d.ip4);
		}
		ifp_policy_key(&keys[i], &s, &d,
			       (enum ifp_policy_kind)rte_rand_max(IFP_POLICY_KIND_MAX));
	}
}

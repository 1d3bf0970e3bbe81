/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The drivers-conf/ port profiles (docs/configuration.md, "Driver
 * profiles"): one [profile] section per file, NAME.ini.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "ifp_config.h"
#include "ifp_config_int.h"

void
ifp_profile_defaults(struct ifp_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->rx_desc = 1024;
	p->tx_desc = 1024;
	p->rss = true;
	p->rx_ipv4_cksum = true;
	p->tx_ipv4_cksum = true;
	p->tx_fast_free = true;
	p->burst = 32;
	p->mbufs = 4096;
	p->mbuf_size = RTE_MBUF_DEFAULT_DATAROOM;
}

static const struct ifp_cfg_num prof_nums[] = {
	{"rx_desc", 64, 32768, offsetof(struct ifp_profile, rx_desc), 2},
	{"tx_desc", 64, 32768, offsetof(struct ifp_profile, tx_desc), 2},
	{"burst", 1, 64, offsetof(struct ifp_profile, burst), 2},
	{"mbufs", 512, 1u << 20, offsetof(struct ifp_profile, mbufs), 4},
	{"mbuf_size", 1024, UINT16_MAX - RTE_PKTMBUF_HEADROOM,
	 offsetof(struct ifp_profile, mbuf_size), 2},
	{NULL, 0, 0, 0, 0},
};

static const struct {
	const char *name;
	size_t off;
} prof_bools[] = {
	{"rss", offsetof(struct ifp_profile, rss)},
	{"rx_ipv4_cksum", offsetof(struct ifp_profile, rx_ipv4_cksum)},
	{"tx_ipv4_cksum", offsetof(struct ifp_profile, tx_ipv4_cksum)},
	{"tx_fast_free", offsetof(struct ifp_profile, tx_fast_free)},
};

/* the profile being read and whether its [profile] was seen */
struct prof_load {
	struct ifp_profile *p;
	bool seen;
};

static int
prof_entry(struct ifp_ini *x, const char *key, const char *value)
{
	struct prof_load *l = x->user;
	char *base = (char *)l->p;
	int rc;

	l->seen = true;
	rc = ifp_cfg_num_set(x, prof_nums, l->p, key, value);
	if (rc <= 0)
		return rc;
	for (unsigned int i = 0; i < RTE_DIM(prof_bools); i++) {
		if (strcmp(key, prof_bools[i].name) != 0)
			continue;
		if (ifp_config_parse_bool(value, (bool *)(base + prof_bools[i].off)) < 0)
			return ifp_ini_error(x, "%s = '%s': expected on or off", key,
					     value);
		return 0;
	}
	/* driver and devargs: documentation for the operator */
	return 0;
}

static int
prof_finish(struct ifp_ini *x, int line)
{
	struct prof_load *l = x->user;

	(void)line;
	l->seen = true;
	return 0;
}

static const char *const prof_keys[] = {
	"driver", "devargs", "rx_desc", "tx_desc", "burst", "mbufs", "mbuf_size",
	"rss", "rx_ipv4_cksum", "tx_ipv4_cksum", "tx_fast_free", NULL,
};

static const struct ifp_ini_section prof_section = {
	.name = "profile",
	.keys = prof_keys,
	.entry = prof_entry,
	.finish = prof_finish,
	.reloads = false,
	.help = "how to set up one kind of port",
};

int
ifp_profile_load(const char *dir, const char *name, struct ifp_profile *p,
		 char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct prof_load l = {.p = p};
	struct ifp_ini x = {.path = path, .err = err, .errlen = errlen};

	ifp_profile_defaults(p);
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(path, sizeof(path), "%s/%s.ini", dir, name);
	if (ifp_ini_read(path, (const struct ifp_ini_section *const[]){&prof_section}, 1,
			 &l, err, errlen) < 0)
		return -1;
	if (!l.seen)
		return ifp_ini_error_at(&x, 0, "a profile holds one section, [profile]");
	return 0;
}

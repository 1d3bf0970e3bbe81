/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_CONFIG_H
#define IFP_CONFIG_H

/**
 * @file
 * The INI files: icmpfp's config (docs/configuration.md) and the
 * drivers-conf/ port profiles, both read by ifp_ini.h's reader through a
 * table of sections. Errors name the file, the line and the reason.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ifp_conf.h"
#include "ifp_ini.h"

#define IFP_ERR_LEN 512

/**
 * Load and check the config file @p path into @p c (defaults first).
 * Returns 0, or -1 with "FILE:LINE: reason" in @p err.
 */
int ifp_config_load(const char *path, struct ifp_conf *c, char *err,
		    size_t errlen);

/**
 * Build the [policy] @p c read (ifp_policy_build(), named @p name, for
 * @p n_workers workers) into c->policy: NULL when there is none. Needs EAL.
 * Returns 0, or -1 with "PATH: reason" in @p err.
 */
int ifp_config_policy_build(struct ifp_conf *c, const char *path,
			    const char *name, int socket,
			    unsigned int n_workers, char *err, size_t errlen);

/** Free what ifp_config_load() and ifp_config_policy_build() gave @p c
 * besides the routes: the policy, built and as read. */
void ifp_config_free(struct ifp_conf *c);

/** [policy] as read, one rule a line with its line number (--check). */
void ifp_config_policy_print(const struct ifp_conf *c, FILE *f);

/**
 * The sections of the config file, @p n of them, in the order the manual
 * gives them: for --help, --check and the docs' shape test.
 */
const struct ifp_ini_section *const *ifp_config_sections(unsigned int *n);

/** One line per section: "[name]  what it holds (reloads or restart)". */
void ifp_config_sections_print(FILE *f);

/**
 * One line of what @p c holds, read from @p path: each port with its
 * addresses, the routes of each family. For --check and the start-up log.
 */
void ifp_config_summary(const struct ifp_conf *c, const char *path, char *out,
			size_t len);

/** A drivers-conf/ profile: how to set up one kind of port. */
struct ifp_profile {
	char name[64];
	uint16_t rx_desc;
	uint16_t tx_desc;
	bool rss;
	bool rx_ipv4_cksum; /**< use the RX IPv4 checksum flag if offered */
	bool tx_ipv4_cksum; /**< use TX IPv4 checksum offload if offered */
	bool tx_fast_free;  /**< RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE if offered */
	uint16_t burst;
	uint32_t mbufs;     /**< mbufs per queue pair in the pool */
	uint16_t mbuf_size; /**< data bytes per mbuf, after the headroom */
};

/**
 * Load profile @p name (a file NAME.ini in @p dir). Returns 0, or -1 with
 * the file, line and reason in @p err.
 */
int ifp_profile_load(const char *dir, const char *name,
		     struct ifp_profile *p, char *err, size_t errlen);

/** The profile defaults, used for keys a profile leaves out. */
void ifp_profile_defaults(struct ifp_profile *p);

/** A key of [icmp] or [icmp6]: where its value lives in the section. */
struct ifp_cfg_key {
	const char *name;
	size_t off;  /**< in struct ifp_icmp_conf or ifp_icmp6_conf */
	bool is_u8;  /**< a number from 1 to 255; else on/off (bool) */
};

/** The keys of [icmp] or [icmp6], for the parser and for telemetry (n of
 * them, and a NULL name after the last, for the reader). */
struct ifp_cfg_section {
	const char *name;
	size_t off; /**< of the section's struct in struct ifp_conf */
	unsigned int n;
	const struct ifp_cfg_key *keys;
};

extern const struct ifp_cfg_section ifp_cfg_icmp;
extern const struct ifp_cfg_section ifp_cfg_icmp6;

/** Parse "on"/"off" (also yes/no, true/false, 1/0). -1 if neither. */
int ifp_config_parse_bool(const char *s, bool *out);

/**
 * A decimal number from @p min to @p max, digits only (no sign, no
 * spaces), as the config's numbers: 0, or -1 when @p s is not one.
 */
int ifp_config_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

#endif /* IFP_CONFIG_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_CONFIG_INT_H
#define IFP_CONFIG_INT_H

/**
 * @file
 * Inside the config parser: what its sections (ifp_config_port.c,
 * ifp_config_routes.c, ifp_config_lpa.c) share. Not for the rest of app/.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>

#include "ifp_conf.h"
#include "ifp_ini.h"

/** One load of a config file: the ifp_ini user of its sections. */
struct ifp_cfg_load {
	struct ifp_conf *c;
	int lpa_to_line;      /**< of [lpa] advertise_to, checked at the end */
	bool any_port;
	int mtu_line;         /**< of the [port N] being read, 0: none */
	uint32_t *route_slot; /**< open-addressing set of route indexes + 1 */
	uint32_t route_mask;  /**< its size - 1 */
};

/** A key whose value is a number: its range and where it lives. */
struct ifp_cfg_num {
	const char *name;
	uint32_t min, max;
	size_t off;   /**< in the section's struct */
	uint8_t size; /**< of the field: 1, 2 or 4 bytes */
};

/**
 * Set @p key of @p base from @p value if @p key is one of @p t (ended by
 * a NULL name). Returns 0, -1 with "KEY 'VALUE' must be MIN to MAX" in
 * x->err, or 1 when @p key is none of them.
 */
int ifp_cfg_num_set(struct ifp_ini *x, const struct ifp_cfg_num *t, void *base,
		    const char *key, const char *value);

/** @p s as a decimal number from @p min to @p max. -1 if not. */
int ifp_cfg_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/** "a.b.c.d/len" (len from @p min_depth) into network order. -1 if not. */
int ifp_cfg_parse_prefix(const char *s, uint32_t min_depth, rte_be32_t *ip,
			 uint8_t *depth);

/** "x::y" or "x::y/len" (@p need_len: the length is required, from
 * @p min_depth to 128). -1 if not. */
int ifp_cfg_parse_prefix6(const char *s, bool need_len, uint32_t min_depth,
			  uint8_t ip[16], uint8_t *depth);

/** 0/8, 127/8, multicast or class E: never an interface's address. */
bool ifp_cfg_addr_is_unusable(rte_be32_t ip);

/** fe80::/10 */
bool ifp_cfg_ip6_is_link_local(const uint8_t *ip);

extern const struct ifp_ini_section ifp_cfg_port_section;
extern const struct ifp_ini_section ifp_cfg_routes_section;
extern const struct ifp_ini_section ifp_cfg_lpa_section;
extern const struct ifp_ini_section ifp_cfg_policy_section;

/** [policy]'s checks of the whole file (each `to` one of the box's
 * addresses), once all of it is read. */
int ifp_cfg_policy_check(struct ifp_ini *x, const struct ifp_conf *c);

/** Make the duplicate-route set of @p l. -1: out of memory. */
int ifp_cfg_routes_begin(struct ifp_cfg_load *l);

/** Free it. */
void ifp_cfg_routes_end(struct ifp_cfg_load *l);

/** [lpa] advertise_to against the ports, once all are read. */
int ifp_cfg_lpa_check(struct ifp_ini *x, const struct ifp_conf *c, int line);

#endif /* IFP_CONFIG_INT_H */

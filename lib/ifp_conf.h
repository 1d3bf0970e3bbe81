/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_CONF_H
#define IFP_CONF_H

/**
 * @file
 * The running configuration, as the fast path reads it. Filled by the
 * config parser of app/ (or by a test), read-only while workers run.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#define IFP_MAX_PORTS 32
#define IFP_MAX_ADDRS 16
#define IFP_MAX_ROUTES 65536
#define IFP_NAME_LEN 64
/** IPv6 addresses of a port: its link-local, then up to IFP_MAX_ADDRS of
 * address6 */
#define IFP_MAX_ADDRS6 (IFP_MAX_ADDRS + 1)

/** One local address of a port. All in network byte order. */
struct ifp_addr {
	rte_be32_t ip;
	rte_be32_t mask;
	rte_be32_t bcast; /**< directed broadcast of the subnet */
	uint8_t depth;    /**< prefix length */
};

/** One IPv6 address of a port, in network byte order. */
struct ifp_addr6 {
	uint8_t ip[16];
	uint8_t depth; /**< prefix length */
};

/** Port flags, set by app/ from what the PMD offers. */
#define IFP_PORT_TX_IPV4_CKSUM (1u << 0) /**< TX offload of the IP cksum */

struct ifp_port_conf {
	bool present;            /**< a [port N] section exists */
	bool mac_set;            /**< mac given in the file */
	struct rte_ether_addr mac;
	uint16_t mtu;
	uint8_t n_addr;
	uint32_t flags;          /**< IFP_PORT_* */
	/** largest frame the port hands over whole; a frame of this length
	 * or more may have been cut by it (af_packet's framesz, a capture's
	 * snaplen). 0: the port never cuts (a NIC drops what it cannot hold) */
	uint32_t rx_frame_max;
	struct ifp_addr addr[IFP_MAX_ADDRS];
	char profile[IFP_NAME_LEN]; /**< drivers-conf profile name or "" */
	char name[IFP_NAME_LEN];    /**< port name (RFC 5837 ifName) */
	/*
	 * IPv6, after everything the IPv4 fast path reads. n_addr6 = 0: IPv6
	 * is off on this port (its frames are dropped as l2_ethertype);
	 * else addr6[0] is the link-local address and addr6[1..] the
	 * address6 of the file, in its order.
	 */
	uint8_t n_addr6;
	bool ll_auto; /**< addr6[0] is made from mac: ifp_port_ll_auto() */
	struct ifp_addr6 addr6[IFP_MAX_ADDRS6];
};

struct ifp_icmp_conf {
	bool echo;
	bool timestamp;
	bool address_mask;
	bool extended_echo;
	bool echo_broadcast;
	bool reassembly;
	bool extensions;
	uint8_t reply_ttl;
};

/** [icmp6] (docs/configuration.md). */
struct ifp_icmp6_conf {
	bool echo;
	bool echo_multicast; /**< answer echo sent to ff02::1 */
	bool extended_echo;  /**< RFC 8335 types 160/161 */
	bool reassembly;
	bool extensions;     /**< RFC 4884 + 5837 on types 1 and 3 */
	uint8_t reply_hop_limit;
};

enum ifp_route_action {
	IFP_ROUTE_DROP = 0,
	IFP_ROUTE_UNREACHABLE, /**< Destination Unreachable, code in arg */
	IFP_ROUTE_MTU,         /**< next-hop MTU in arg */
	IFP_ROUTE_MODEM,       /**< follows the LPAs of Modem ID modem */
};

/** One line of [routes], of either family. */
struct ifp_route {
	union {
		uint32_t prefix;     /**< IPv4, host order, as rte_lpm wants it */
		uint8_t prefix6[16]; /**< IPv6, as rte_lpm6 wants it */
	};
	uint8_t depth;
	uint8_t action;  /**< enum ifp_route_action */
	/** the family's code (ICMP type 3 or ICMPv6 type 1) or the MTU */
	uint16_t arg;
	uint32_t line;   /**< line of the config file, for its errors */
	uint32_t modem;  /**< Modem ID of IFP_ROUTE_MODEM */
	bool v6;         /**< an IPv6 prefix */
};

/** An address of either family, as the [lpa] keys give them. */
struct ifp_ipx {
	bool v6;
	union {
		rte_be32_t ip4;  /**< network order */
		uint8_t ip6[16];
	};
};

/** Are @p a and @p b the same address (of the same family). */
static inline bool
ifp_ipx_eq(const struct ifp_ipx *a, const struct ifp_ipx *b)
{
	if (a->v6 != b->v6)
		return false;
	return a->v6 ? memcmp(a->ip6, b->ip6, 16) == 0 : a->ip4 == b->ip4;
}

/** Is @p a a multicast group: 224.0.0.0/4, ff00::/8. */
static inline bool
ifp_ipx_is_group(const struct ifp_ipx *a)
{
	return a->v6 ? a->ip6[0] == 0xff : (rte_be_to_cpu_32(a->ip4) >> 28) == 0xe;
}

#define IFP_LPA_GROUPS_MAX 8
#define IFP_LPA_TO_MAX 8

/** [lpa]: Link Property Advertisements heard and sent (ifp_lpa.h). */
struct ifp_lpa_conf {
	bool listen;    /**< decode LPAs to the groups and to us */
	bool advertise; /**< send LPAs about our own ports */
	uint16_t udp_port;
	uint8_t ttl;    /**< of the LPAs we send */
	uint8_t n_groups;
	uint8_t n_to;
	uint32_t hold;     /**< s of silence before a modem counts as down */
	uint32_t interval; /**< s between our periodic LPAs */
	struct ifp_ipx group[IFP_LPA_GROUPS_MAX];
	/** the Ethernet group address of each group, accepted on every port
	 * while listen is on */
	struct rte_ether_addr group_mac[IFP_LPA_GROUPS_MAX];
	struct ifp_ipx to[IFP_LPA_TO_MAX]; /**< advertise_to */
};

/** No route: an index into ifp_conf.route that is none. */
#define IFP_ROUTE_NONE UINT32_MAX

struct ifp_ratelimit_conf {
	uint32_t errors_per_sec;
	uint32_t errors_burst;
	uint32_t per_source_per_sec;
	uint32_t per_source_burst;
	uint32_t echo_per_sec; /**< 0: unlimited */
};

struct rte_lpm;
struct rte_lpm6;
struct ifp_policy;
struct ifp_policy_conf;

struct ifp_conf {
	struct rte_lpm *lpm; /**< IPv4 route[] by prefix (ifp_route.h), or NULL */
	struct rte_lpm6 *lpm6; /**< IPv6 route[] by prefix, or NULL */
	/** lpm, lpm6 are an older conf's until ifp_routes_handover() */
	bool lpm_borrowed, lpm6_borrowed;
	struct ifp_port_conf port[IFP_MAX_PORTS];
	struct ifp_icmp_conf icmp;
	struct ifp_icmp6_conf icmp6;
	struct ifp_ratelimit_conf ratelimit;
	struct ifp_lpa_conf lpa;
	uint32_t n_routes;
	/** the route of 0.0.0.0/0, matched when no longer prefix is: rte_lpm
	 * has no depth 0, so it lives outside the table. IFP_ROUTE_NONE: no
	 * default route, the default action is drop */
	uint32_t route_default;
	/** the route of ::/0, likewise (rte_lpm6 has no depth 0 either) */
	uint32_t route_default6;
	/** the frames each route decided, one row a worker:
	 * route_hits[worker * route_hits_stride + i] (ifp_routes_hits_alloc());
	 * NULL: not counted (a conf made by hand). They belong to this conf:
	 * a reload's new conf counts from zero */
	uint64_t *route_hits;
	uint32_t route_hits_stride;  /**< n_routes rounded up to a cache line */
	uint32_t route_hits_workers; /**< rows */
	/** [policy] as read (ifp_policy.h), or NULL: the file has none */
	struct ifp_policy_conf *policy_conf;
	/** [policy] built (ifp_policy_build()), or NULL: every answer is
	 * allowed and the fast path checks nothing else */
	struct ifp_policy *policy;
	/** both families' routes, in the file's order */
	struct ifp_route route[IFP_MAX_ROUTES];
};

/** Fill @p c with the defaults of docs/configuration.md: no port, no route. */
void ifp_conf_defaults(struct ifp_conf *c);

/**
 * Add address @p ip (network order) / @p depth to a port. Returns 0, or -1
 * when the port already holds IFP_MAX_ADDRS addresses.
 */
int ifp_port_addr_add(struct ifp_port_conf *p, rte_be32_t ip, uint8_t depth);

/**
 * Turn IPv6 on for a port: its link-local address, addr6[0], is made from
 * the MAC (link_local = auto) until ifp_port_ll_set() gives one. No-op when
 * it is on already.
 */
void ifp_port_ipv6_enable(struct ifp_port_conf *p);

/** Set the link-local address of a port (link_local = fe80::...). */
void ifp_port_ll_set(struct ifp_port_conf *p, const uint8_t ip[16]);

/**
 * Add IPv6 address @p ip / @p depth to a port (turning IPv6 on). Returns 0,
 * or -1 when the port already holds IFP_MAX_ADDRS of them.
 */
int ifp_port_addr6_add(struct ifp_port_conf *p, const uint8_t ip[16],
		       uint8_t depth);

/**
 * With link_local = auto, make addr6[0] fe80::/64 with the modified EUI-64
 * interface identifier of p->mac (RFC 4291 2.5.1, appendix A). Call it once
 * the port's MAC is known; no-op otherwise.
 */
void ifp_port_ll_auto(struct ifp_port_conf *p);

/**
 * Is IPv6 address @p ip of link scope: a group of scope 2 or less (RFC
 * 4291 2.7: the low four bits of its second octet), as ff02::/16, or
 * link-local unicast, fe80::/10 (RFC 4291 2.5.6). Such a destination is
 * spoken to from the link-local, and a link-local source never leaves the
 * link.
 */
static inline bool
ifp_ip6_link_scope(const uint8_t *ip)
{
	return ip[0] == 0xff ? (ip[1] & 0x0f) <= 2
			     : ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80;
}

/** Is @p ip on the prefix of one of the address6 of @p p (its link-local
 * aside). */
bool ifp_port_prefix6_has(const struct ifp_port_conf *p, const uint8_t *ip);

/** The Ethernet group address of multicast group @p g (RFC 1112 6.4,
 * RFC 2464 7). */
void ifp_ipx_group_mac(const struct ifp_ipx *g, struct rte_ether_addr *mac);

/** Fill l->group_mac[] from l->group[]. */
void ifp_lpa_conf_macs(struct ifp_lpa_conf *l);

#endif /* IFP_CONF_H */

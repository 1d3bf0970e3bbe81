/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_LPA_H
#define IFP_LPA_H

/**
 * @file
 * Link Property Advertisements: the codec of the Rate Block.
 *
 * "Modem Link-Property Advertisements" (Ivancic, Wood, Shell, Floreani,
 * Asati; IEEE 2012): a smart modem advertises its link's properties in UDP
 * datagrams, periodically and on every link event. The draft's wire text is
 * not available; the layout below is that of the authors' 2012 reference
 * generator. A datagram's payload is a sequence of blocks, each starting
 * with a 16-bit type and a 16-bit length (the whole block, header
 * included); type 1 is the Rate Block, 32 bytes, big-endian:
 *
 *    0: Block Type (16) = 1        | Block Length (16) = 32
 *    4: No. Links (8) = 1 | Link Rate Desc (8) = 1 | Modem Flags (16)
 *    8: Modem ID (32)
 *   12: MTU (16)                    | Interface Flags (16)
 *   16: Current Rate (32, bit/s)
 *   20: Minimum Rate (32, bit/s)
 *   24: Maximum Rate (32, bit/s)
 *   28: Modem IPv4 address (32)
 *
 * Blocks of any other type are skipped by their length. Pure functions: no
 * state, no EAL.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "ifp_conf.h"
#include "ifp_stats.h"

/** The reference generator's UDP port. */
#define IFP_LPA_UDP_PORT 7575
#define IFP_LPA_BLOCK_HDR 4
#define IFP_LPA_TYPE_RATE 1
#define IFP_LPA_RATE_LEN 32
/** Rate Blocks icmpfp takes from one datagram (one per port of a box). */
#define IFP_LPA_BLOCKS_MAX IFP_MAX_PORTS

/* Interface Flags */
#define IFP_LPA_IF_BIDIR 0x0020 /**< the rates hold for both directions */
#define IFP_LPA_IF_FIXED 0x0010 /**< fixed rate (no adaptive coding) */
#define IFP_LPA_IF_IPV4 0x0008  /**< the modem IPv4 address is present */
#define IFP_LPA_IF_IPV6 0x0004  /**< an IPv6 address is present */
#define IFP_LPA_IF_UP 0x0002    /**< the link is up */
/** direction: set, the rates are for traffic leaving the advertiser over
 * its link (towards the far end); clear, for traffic arriving from it */
#define IFP_LPA_IF_OUT 0x0001

/** One Rate Block, decoded. Rates in bit/s. */
struct ifp_lpa_block {
	uint32_t modem_id;
	uint32_t rate_cur;
	uint32_t rate_min;
	uint32_t rate_max;
	rte_be32_t modem_ip; /**< network order; meaningful with IF_IPV4 */
	uint16_t mtu;        /**< 0: not given */
	uint16_t if_flags;   /**< IFP_LPA_IF_* */
	uint16_t modem_flags;
	uint8_t n_links;
	uint8_t rate_desc;
};

/** A rate in bit/s as the format carries it: at most 0xffffffff. */
static inline uint32_t
ifp_lpa_rate_sat(uint64_t bps)
{
	return bps > UINT32_MAX ? UINT32_MAX : (uint32_t)bps;
}

/**
 * Decode the UDP payload @p p of @p len bytes: every Rate Block into
 * @p out (room for IFP_LPA_BLOCKS_MAX), blocks of other types skipped.
 * All or nothing: returns the number of Rate Blocks (0 when there were
 * only other blocks), or -1 with the first malformed case in @p why:
 * IFP_DROP_LPA_TRUNCATED (no room for a block header where one must
 * start: an empty payload, or bytes left over after the last block),
 * IFP_DROP_LPA_BLOCK_LENGTH (a length below 4 or past the payload),
 * IFP_DROP_LPA_RATE_LENGTH (a Rate Block whose length is not 32),
 * IFP_DROP_LPA_MODEM_ID (Modem ID 0), IFP_DROP_LPA_TOO_MANY.
 */
int ifp_lpa_parse(const void *p, size_t len, struct ifp_lpa_block *out,
		  enum ifp_drop *why);

/** Encode @p b as the 32 bytes of a Rate Block at @p out. */
void ifp_lpa_block_write(void *out, const struct ifp_lpa_block *b);

/** The IPv4 TOS and IPv6 traffic class of our LPAs: precedence 6
 * (internetwork control, CS6), as routing protocols send. */
#define IFP_LPA_TCLASS 0xc0

/**
 * Build in the empty mbuf @p m an Ethernet + IPv4 + UDP datagram from
 * port @p p (its MAC, its first address, UDP source and destination port
 * @p udp_port) to @p dst (network order) at @p dst_mac, TTL @p ttl, IP
 * identification @p ip_id, carrying the @p n Rate Blocks @p b. The UDP
 * checksum is computed. Returns 0, or -1 when @p m has too little room.
 */
int ifp_lpa_frame_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
			rte_be32_t dst, const struct rte_ether_addr *dst_mac,
			uint8_t ttl, uint16_t ip_id, uint16_t udp_port,
			const struct ifp_lpa_block *b, unsigned int n);

/**
 * The IPv6 source of port @p p's LPAs to @p dst: its link-local for a
 * link-scope destination (a group of scope 2 or less, as ff02::/16, and
 * fe80::/10), else its first address6. NULL when the port has none of
 * that scope (no IPv6 at all, or only its link-local): it sends nothing
 * to @p dst.
 */
const uint8_t *ifp_lpa_src6(const struct ifp_port_conf *p, const uint8_t *dst);

/**
 * As ifp_lpa_frame_build(), over IPv6: from ifp_lpa_src6() to @p dst (16
 * bytes, network order) at @p dst_mac, hop limit @p hop_limit, the UDP
 * checksum over the IPv6 pseudo-header (mandatory, RFC 8200 8.1). Returns
 * 0, or -1 when the port has no source for @p dst or @p m too little room.
 */
int ifp_lpa_frame_build6(struct rte_mbuf *m, const struct ifp_port_conf *p,
			 const uint8_t *dst, const struct rte_ether_addr *dst_mac,
			 uint8_t hop_limit, uint16_t udp_port,
			 const struct ifp_lpa_block *b, unsigned int n);

/** What the box knows of the link of one of its ports, for its LPAs. */
struct ifp_lpa_link {
	uint64_t speed_bps; /**< 0: unknown */
	uint8_t up;
	uint8_t full_duplex;
	uint8_t fixed;      /**< no autonegotiation */
};

/**
 * The Rate Block about port @p port_id (conf @p p, link @p l): Modem ID
 * port id + 1 (as the ifIndex of the RFC 5837 objects), the port's MTU,
 * its speed as the current, minimum and maximum rate, up or down, its first
 * IPv4 address. The rates are those the port sends at (direction set);
 * a full-duplex link is bidirectional.
 */
void ifp_lpa_block_of_port(const struct ifp_port_conf *p, uint16_t port_id,
			   const struct ifp_lpa_link *l,
			   struct ifp_lpa_block *b);

#endif /* IFP_LPA_H */

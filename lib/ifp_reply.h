/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_REPLY_H
#define IFP_REPLY_H

/*
 * Internal to lib/: a request turned into its reply in place.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_mbuf.h"
#include "ifp_pkt.h"

/*
 * The rewrites every path shares (the scalar handlers, the per-frame fast
 * path and its groups of eight, ifp_classify.c): one implementation each,
 * which tests/unit/test_classify.c's three-way equivalence guards.
 */

/**
 * What every answer built in place starts with: the Ethernet addresses
 * turned around (a VLAN tag stays), the RX flags dropped, the TX lengths
 * set (in one 64-bit store: a bit-field store followed by the next one's
 * read-modify-write misses store forwarding).
 */
static __rte_always_inline void
ifp_reply_l2_write(struct rte_mbuf *m, struct rte_ether_hdr *eth,
		   const struct ifp_port_conf *port, uint16_t l2_len,
		   uint16_t l3_len)
{
	eth->dst_addr = eth->src_addr;
	eth->src_addr = port->mac;
	ifp_mbuf_tx_flags_reset(m);
	m->tx_offload = rte_mbuf_tx_offload(l2_len, l3_len, 0, 0, 0, 0, 0);
}

/**
 * The IPv4 header @p ip (@p l3_len bytes, options already written) of a
 * request turned into its reply's, and the frame's L2 with it: source @p src
 * (the address the request reached: its destination, unless that was a
 * broadcast), destination the sender, TTL @p ttl, DF kept and the fragment
 * fields cleared (a reply is a new datagram). The header checksum: left to
 * the port's TX offload if it has one; made afresh when @p resum (options
 * were updated) or when the PMD vouched for the header, which was then never
 * summed here; otherwise updated per RFC 1624 eqn. 3 from the sum verified
 * on RX, in one fold. Swapping the addresses moves no sum; when @p src is
 * not the old destination, its change is added.
 */
static __rte_always_inline void
ifp_ipv4_reply_write(struct rte_mbuf *m, struct rte_ether_hdr *eth,
		     struct rte_ipv4_hdr *ip, const struct ifp_port_conf *port,
		     rte_be32_t src, uint8_t ttl, uint16_t l2_len,
		     uint16_t l3_len, bool resum)
{
	const rte_be32_t old_dst = ip->dst_addr;
	const rte_be16_t old_frag = ip->fragment_offset;
	const rte_be16_t new_frag = old_frag & RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	const bool vouched = (m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) ==
			     RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	uint8_t tp[2];
	uint16_t old_tp, new_tp;
	uint32_t sum;

	/* the TTL|protocol words built in registers: reading them back after
	 * the byte store would miss store forwarding */
	memcpy(tp, &ip->time_to_live, sizeof(tp));
	memcpy(&old_tp, tp, sizeof(old_tp));
	tp[0] = ttl;
	memcpy(&new_tp, tp, sizeof(new_tp));

	ip->dst_addr = ip->src_addr;
	ip->src_addr = src;
	ip->time_to_live = ttl;
	ip->fragment_offset = new_frag;
	ifp_reply_l2_write(m, eth, port, l2_len, l3_len);
	if (port->flags & IFP_PORT_TX_IPV4_CKSUM) {
		ip->hdr_checksum = 0;
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
		return;
	}
	if (unlikely(resum || vouched)) {
		ip->hdr_checksum = 0;
		ip->hdr_checksum = ifp_cksum_final(ifp_cksum_ipv4_hdr(ip, l3_len));
		return;
	}
	/* RFC 1624: HC + old - new for each of the two words */
	sum = ip->hdr_checksum + 2 * 0xffffu + old_tp - new_tp + old_frag - new_frag;
	if (src != old_dst)
		sum += (old_dst & 0xffff) + (0xffff - (src & 0xffff)) +
		       (old_dst >> 16) + (0xffff - (src >> 16));
	ip->hdr_checksum = ifp_cksum_update(sum);
}

/**
 * The IPv6 header @p ip (no extension header left) of a request turned into
 * its reply's, and the frame's L2 with it: source @p src (16 bytes, may be
 * the request's destination in place), destination the sender, hop limit
 * @p hops; traffic class and flow label kept. The upper-layer checksum is
 * the caller's: with @p src the old destination, its pseudo-header sum has
 * not moved.
 */
static __rte_always_inline void
ifp_ipv6_reply_write(struct rte_mbuf *m, struct rte_ether_hdr *eth,
		     struct rte_ipv6_hdr *ip, const struct ifp_port_conf *port,
		     const uint8_t *src, uint8_t hops, uint16_t l2_len)
{
	uint8_t a[16];

	memcpy(a, src, sizeof(a));
	memcpy(ip->dst_addr, ip->src_addr, sizeof(a));
	memcpy(ip->src_addr, a, sizeof(a));
	ip->hop_limits = hops;
	ifp_reply_l2_write(m, eth, port, l2_len, sizeof(*ip));
}

/**
 * Turn the IPv4 header of @p pkt around in place (ifp_ipv4_reply_write()):
 * source = our address, destination = the sender, TTL = reply_ttl, the
 * record-route and timestamp options updated (options ifp_ipv4_options_check()
 * passed), fresh header checksum (or the TX offload flags), and the Ethernet
 * addresses swapped.
 */
void ifp_ipv4_reply_prepare(struct ifp_lcore *lc, struct rte_mbuf *m,
			    struct ifp_pkt *pkt);

/**
 * Turn the IPv6 header of @p pkt around in place: extension headers
 * removed (a reply carries none), source = @p src, destination = the
 * sender, hop limit = reply_hop_limit, traffic class and flow label kept,
 * and the Ethernet addresses swapped. The upper-layer checksum is the
 * caller's. Returns 0, or -1 when the headers could not be made contiguous.
 */
int ifp_ipv6_reply_prepare(struct ifp_lcore *lc, struct rte_mbuf *m,
			   struct ifp_pkt *pkt, const uint8_t *src);

/**
 * Remove the extension headers of @p pkt: the Ethernet and IPv6 headers
 * move up over them, the IPv6 Next Header becomes the upper layer's.
 * Returns 0, or -1 when they could not be made contiguous.
 */
int ifp_ipv6_exthdr_strip(struct rte_mbuf *m, struct ifp_pkt *pkt);

#endif /* IFP_REPLY_H */

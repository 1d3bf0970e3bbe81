/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_PKT_H
#define IFP_PKT_H

/*
 * Internal to lib/: what the parse learned of one frame, and how the
 * handlers say what became of it. Every handler includes this; it includes
 * nothing of the handlers.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_conf.h"
#include "ifp_lcore.h"
#include "ifp_mbuf.h"
#include "ifp_stats.h"

/* ICMP types (RFC 792, 950, 8335); DPDK 22.11 names only echo */
#define IFP_ICMP_ECHO_REPLY 0
#define IFP_ICMP_DEST_UNREACH 3
#define IFP_ICMP_ECHO 8
#define IFP_ICMP_TIME_EXCEEDED 11
#define IFP_ICMP_PARAM_PROBLEM 12
#define IFP_ICMP_TIMESTAMP 13
#define IFP_ICMP_TIMESTAMP_REPLY 14
#define IFP_ICMP_MASK 17
#define IFP_ICMP_MASK_REPLY 18
#define IFP_ICMP_EXT_ECHO 42
#define IFP_ICMP_EXT_ECHO_REPLY 43

struct ifp_pkt {
	struct rte_mbuf *m;           /**< the frame; NULL once consumed */
	const struct ifp_port_conf *port;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	const struct ifp_addr *local; /**< the local address addressed */
	uint16_t l2_len;              /**< 14, or 18 with a VLAN tag */
	uint16_t l3_len;              /**< IHL * 4 */
	uint16_t ip_len;              /**< IP total length */
	bool bcast;                   /**< IP destination is a broadcast */
};

/*
 * A verdict: a drop reason (below IFP_DROP_MAX), or an answer kind tagged
 * IFP_V_ANSWER, or a rate-limited answer kind tagged IFP_V_LIMITED.
 */
#define IFP_V_ANSWER 0x100u
#define IFP_V_LIMITED 0x200u
#define IFP_V_KIND(v) ((v) & 0xffu)

static inline uint32_t
ifp_v_answer(enum ifp_answer a)
{
	return IFP_V_ANSWER | a;
}

static inline uint32_t
ifp_v_drop(enum ifp_drop r)
{
	return r;
}

/*
 * Address classes on host-order values. Not DPDK's RTE_IPV4() and
 * RTE_IS_IPV4_MCAST(): they shift a signed int into its sign bit, which
 * UBSan rightly reports.
 */
#define IFP_IPV4_LIMITED_BCAST UINT32_C(0xffffffff)

static inline bool
ifp_ipv4_is_mcast(uint32_t a)
{
	return (a >> 28) == 0xe; /* 224/4, class D */
}

/*
 * Was @p m cut by its port? A frame as long as the longest the port hands
 * over whole whose datagram claims more was (af_packet with a framesz too
 * small for what the kernel reassembled, a capture's snaplen), not sent
 * malformed.
 */
static inline bool
ifp_port_rx_cut(const struct ifp_port_conf *p, const struct rte_mbuf *m)
{
	return p->rx_frame_max != 0 && m->pkt_len >= p->rx_frame_max;
}

/** The local address of @p p equal to @p ip, or NULL. */
static inline const struct ifp_addr *
ifp_port_addr_find(const struct ifp_port_conf *p, rte_be32_t ip)
{
	for (unsigned int i = 0; i < p->n_addr; i++)
		if (p->addr[i].ip == ip)
			return &p->addr[i];
	return NULL;
}

/*
 * RFC 792: echo request -> echo reply, type 8 -> 0 with the checksum
 * updated (RFC 1624). The new type word is built in a register: reading it
 * back after the byte store would miss store forwarding (~20 cycles).
 */
static inline void
ifp_icmp_echo_turn(struct rte_icmp_hdr *icmp)
{
	uint8_t w[2];
	uint16_t old, new;

	memcpy(w, &icmp->icmp_type, sizeof(w));
	memcpy(&old, w, sizeof(old));
	w[0] = RTE_IP_ICMP_ECHO_REPLY;
	memcpy(&new, w, sizeof(new));
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = ifp_cksum_adjust16(icmp->icmp_cksum, old, new);
}

/** Milliseconds since midnight UT of a wall-clock time (RFC 792). */
static inline uint32_t
ifp_ms_since_midnight(uint64_t ns)
{
	return (uint32_t)((ns / 1000000u) % 86400000u);
}

#endif /* IFP_PKT_H */

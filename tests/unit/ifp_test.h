/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_TEST_H
#define IFP_TEST_H

/*
 * Unit-test support: mbufs without EAL. A mempool whose ops (registered by
 * constructor, as every mempool driver is) hand out mbufs from a plain
 * calloc'd array, so the fast path can allocate and free as in production,
 * and a test can check that every mbuf came back.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "ifp_conf.h"
#include "ifp_proc.h"

/*
 * a.b.c.d in host order. DPDK 22.11's RTE_IPV4() shifts an int into its
 * sign bit for a >= 128, which UBSan rightly reports.
 */
#define IFP_TEST_IPV4(a, b, c, d)                                          \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |  \
	 (uint32_t)(d))

#define IFP_TEST_MAC_US "\x02\x00\x00\x00\x00\x01"
#define IFP_TEST_MAC_PEER "\x02\x00\x00\x00\x00\x02"

/** A pool of @p n mbufs with @p room bytes of data room each. */
struct rte_mempool *ifp_test_pool_create(unsigned int n, uint16_t room);
void ifp_test_pool_free(struct rte_mempool *mp);
/** Mbufs handed out and not yet returned. */
unsigned int ifp_test_pool_in_use(const struct rte_mempool *mp);

/**
 * A frame of @p len bytes in a chain of segments of at most @p seg bytes
 * (0: one segment).
 */
struct rte_mbuf *ifp_test_mbuf(struct rte_mempool *mp, const void *data,
			       uint32_t len, uint32_t seg);

/** Copy out the packet data of a chain; returns its length. */
uint32_t ifp_test_mbuf_read(const struct rte_mbuf *m, void *out,
			    uint32_t max);

/* the test config's IPv6 addresses, and a peer's */
#define IFP_TEST_IP6_US                                                      \
	"\x20\x01\x0d\xb8\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01"
#define IFP_TEST_IP6_US2                                                     \
	"\x20\x01\x0d\xb8\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x09"
#define IFP_TEST_IP6_PEER                                                    \
	"\x20\x01\x0d\xb8\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02"
/* fe80::ff:fe00:1, the modified EUI-64 of IFP_TEST_MAC_US */
#define IFP_TEST_IP6_LL                                                      \
	"\xfe\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xfe\x00\x00\x01"

/**
 * The config of most tests: port 0 with MAC 02:00:00:00:00:01, addresses
 * 192.0.2.1/24 and 192.0.2.9/24, address6 2001:db8:0:1::1/64 and
 * 2001:db8:0:1::9/64 and link_local = auto (fe80::ff:fe00:1), the
 * design's defaults otherwise.
 */
void ifp_test_conf(struct ifp_conf *c);

/**
 * Run one frame through ifp_process_burst(). Returns the answer (the same
 * mbuf, or NULL when it was dropped) and leaves the verdict in lc->st.
 */
struct rte_mbuf *ifp_test_run1(struct ifp_lcore *lc, struct rte_mbuf *m);

/** The one drop reason counted in @p st, or -1 if none or several. */
int ifp_test_only_drop(const struct ifp_stats *st);

/** Recompute the IPv4 header checksum of a frame at @p l3 bytes in. */
void ifp_test_ipv4_cksum_fix(uint8_t *frame, uint32_t l3);

/** Recompute the ICMP checksum of a frame whose IP header starts at @p l3. */
void ifp_test_icmp_cksum_fix(uint8_t *frame, uint32_t l3);

/**
 * Recompute the ICMPv6 checksum of a frame whose IPv6 header starts at
 * @p l3 and whose ICMPv6 message starts at @p l4 (after any extension
 * header) and runs to the end of the payload, with DPDK's sums, not ours.
 */
void ifp_test_icmp6_cksum_fix(uint8_t *frame, uint32_t l3, uint32_t l4);

/**
 * An ARP frame (RFC 826) of opcode @p op from IFP_TEST_MAC_PEER's port to
 * @p dst_mac at @p frame: sender @p sha and @p sip, target @p tip (network
 * order), zero padded to 60 bytes. Returns its length.
 */
uint32_t ifp_test_arp_frame(uint8_t *frame, uint16_t op, const void *dst_mac,
			    const void *sha, rte_be32_t sip, rte_be32_t tip);

/**
 * An ICMPv6 echo request from IFP_TEST_IP6_PEER to IFP_TEST_IP6_US at
 * @p frame: identifier 0x4242, sequence @p seq, @p n bytes of @p data.
 * Returns its length.
 */
uint32_t ifp_test_echo6_frame(uint8_t *frame, uint16_t seq, const void *data,
			      uint32_t n);

#endif

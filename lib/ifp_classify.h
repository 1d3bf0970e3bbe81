/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_CLASSIFY_H
#define IFP_CLASSIFY_H

/**
 * @file
 * Fast path for the one case that is most of the traffic: a plain echo
 * request to one of the port's unicast addresses (Ethernet II, no VLAN,
 * IPv4 with IHL 5, not fragmented, no padding, one segment). Such a frame
 * is verified and answered here without the general parse; every other
 * frame, and every frame the fast path has any doubt about, goes to the
 * scalar path (ifp_l2_input() and what it calls), which stays the authority:
 * the fast path must give exactly what it would give, and
 * tests/unit/test_classify.c checks that it does.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_lcore.h"

/** Turn the fast path on or off (on by default); for tests and benches. */
void ifp_classify_enable(bool on);

/** Whether the fast path is on. */
bool ifp_classify_enabled(void);

/**
 * Whether ifp_classify_echo_burst() reads the frames of a burst under
 * @p conf: then it has prefetched every one (for the scalar path after it).
 */
bool ifp_classify_reads(const struct ifp_conf *conf);

/**
 * Let the fast path take groups of eight frames with AVX-512 (used only
 * when the AVX-512 checksum kernel was selected), or keep it to the
 * per-frame check. Off by default: it halves the instructions of an echo
 * and wins when frames arrive by DMA (bench_proc), but loses ~3 cycles a
 * packet on a port whose PMD writes the mbufs and frames with the CPU just
 * before (net_pcap): gathers and wide loads are not store-forwarded from
 * those narrower stores (bench/RESULTS.md).
 */
void ifp_classify_x8_enable(bool on);

/**
 * Answer in place every frame of @p pkts (@p n <= 64) that is a plain echo
 * request to us whose checksums verify, and count those answers in
 * lc->st.answers. Returns a mask: bit i set when pkts[i] was answered;
 * frames whose bit is clear are untouched and take the scalar path.
 */
uint64_t ifp_classify_echo_burst(struct ifp_lcore *lc, struct rte_mbuf **pkts,
				 uint16_t n);

#endif /* IFP_CLASSIFY_H */

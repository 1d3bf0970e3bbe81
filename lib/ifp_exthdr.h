/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_EXTHDR_H
#define IFP_EXTHDR_H

/*
 * Internal to lib/: the IPv6 extension headers (RFC 8200 4) of a packet
 * addressed to us: walked in order and acted on, or skipped to find the
 * upper layer.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "ifp_pkt.h"

/**
 * What the walk found: a status of its own type, never a verdict
 * (ifp_pkt.h), so that none of it can reach the drop counters; the caller
 * turns it into one.
 */
enum ifp_exthdr_status {
	IFP_EXTHDR_UPPER,         /**< the upper layer reached: go on */
	IFP_EXTHDR_DROP,          /**< discard, for pp->drop */
	IFP_EXTHDR_FRAGMENT,      /**< a real fragment: reassemble */
	IFP_EXTHDR_PARAM_PROBLEM, /**< a Parameter Problem (type 4): pp */
};

/** What the walk leaves for its caller besides its status. */
struct ifp_exthdr_pp {
	uint32_t ptr;       /**< Parameter Problem pointer; Fragment: where it is */
	enum ifp_drop drop; /**< IFP_EXTHDR_DROP: why */
	uint8_t code;       /**< Parameter Problem code */
};

/**
 * Walk the extension headers of @p pkt (its IPv6 header checked, pkt->ip_len
 * its length) from the IPv6 header's Next Header, in order, acting on each
 * (RFC 8200 4): Hop-by-Hop only first, options by their two high bits,
 * Routing with Segments Left 0 ignored, atomic fragments passed (RFC 6946).
 * IFP_EXTHDR_UPPER: pkt->proto, pkt->l3_len and pkt->nh_off are set at the
 * upper layer; IFP_EXTHDR_DROP: pp->drop; IFP_EXTHDR_FRAGMENT: pp->ptr is
 * where the Fragment header is, pkt->frag_off set; IFP_EXTHDR_PARAM_PROBLEM:
 * pp->code and pp->ptr. The headers are read a few bytes at a time: no
 * buffer of a whole header (up to 2 KiB) on the stack.
 */
enum ifp_exthdr_status ifp_exthdr_walk(struct ifp_pkt *pkt,
				       struct ifp_exthdr_pp *pp);

/**
 * Skip the extension headers of the IPv6 packet at offset @p l2 of @p m,
 * from offset @p off (from the IPv6 header) whose type is *nh, within @p end
 * bytes of the packet, doing nothing else. Returns the offset of the upper
 * layer with its protocol in *nh, or -1 when a header is cut short or the
 * chain is too long. A Fragment header of a non-first fragment ends the
 * walk there: *frag_off is its offset in bytes (0 otherwise), the return
 * value the offset of what follows it.
 */
int32_t ifp_exthdr_skip(const struct rte_mbuf *m, uint32_t l2, uint32_t off,
			uint32_t end, uint8_t *nh, uint16_t *frag_off);

#endif /* IFP_EXTHDR_H */

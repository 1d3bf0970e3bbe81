/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 extension headers (RFC 8200 4). The headers are read with
 * rte_pktmbuf_read(), so a chain split over mbuf segments (a reassembled
 * datagram) is walked like any other.
 */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_exthdr.h"
#include "ifp_pkt.h"

/* Headers walked before a chain is refused (Linux bounds the options of
 * one header, at 8 by default, not the headers; a packet of 8-byte
 * headers could otherwise make us read thousands). */
#define IFP_EXTHDR_MAX 16
/* Option types with a meaning here (RFC 8200 4.2, RFC 2711) */
#define IFP_OPT_PAD1 0
#define IFP_OPT_PADN 1
#define IFP_OPT_ROUTER_ALERT 5
#define IFP_AH 51

static inline enum ifp_exthdr_status
ifp_exthdr_pp_set(struct ifp_exthdr_pp *pp, uint8_t code, uint32_t ptr)
{
	pp->code = code;
	pp->ptr = ptr;
	return IFP_EXTHDR_PARAM_PROBLEM;
}

static inline enum ifp_exthdr_status
ifp_exthdr_drop(struct ifp_exthdr_pp *pp, enum ifp_drop why)
{
	pp->drop = why;
	return IFP_EXTHDR_DROP;
}

/*
 * RFC 8200 4.2: the options of the Hop-by-Hop or Destination Options header
 * of @p len bytes at @p off (from the IPv6 header). Pad1, PadN and Router
 * Alert are ours to know; any other by its two high bits: 00 skip, 01
 * discard, 10 discard and Parameter Problem code 2 at the option, 11 the
 * same unless the packet went to a multicast address. As Linux's
 * ip6_parse_tlv(), an option that runs past its header is dropped. Only an
 * option's type and length are read, two bytes at a time.
 */
static enum ifp_exthdr_status
ifp_exthdr_options(const struct ifp_pkt *pkt, uint32_t off, uint32_t len,
		   struct ifp_exthdr_pp *pp)
{
	const uint32_t at = pkt->l2_len + off;
	uint32_t i = 2;

	while (i < len) {
		uint8_t tmp[2];
		const uint8_t *o = rte_pktmbuf_read(pkt->m, at + i,
						    RTE_MIN(len - i, 2u), tmp);
		uint8_t t;

		if (unlikely(o == NULL))
			return ifp_exthdr_drop(pp, IFP_DROP_IP6_EXTHDR);
		t = o[0];
		if (t == IFP_OPT_PAD1) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2u + o[1] > len)
			return ifp_exthdr_drop(pp, IFP_DROP_IP6_EXTHDR);
		if (t != IFP_OPT_PADN && t != IFP_OPT_ROUTER_ALERT) {
			switch (t >> 6) {
			case 0:
				break;
			case 1:
				return ifp_exthdr_drop(pp, IFP_DROP_IP6_OPTION_DISCARD);
			case 3:
				/* RFC 4443 2.4(e.3): the only 4/2 that may
				 * answer a multicast is for 10: for 11, a
				 * multicast (IP or link layer) is discarded
				 * without one */
				if (pkt->bcast ||
				    !rte_is_unicast_ether_addr(&pkt->eth->dst_addr))
					return ifp_exthdr_drop(pp, IFP_DROP_IP6_OPTION_DISCARD);
				/* fall through */
			default:
				return ifp_exthdr_pp_set(pp, 2, off + i);
			}
		}
		i += 2u + o[1];
	}
	return IFP_EXTHDR_UPPER;
}

enum ifp_exthdr_status
ifp_exthdr_walk(struct ifp_pkt *pkt, struct ifp_exthdr_pp *pp)
{
	const struct rte_mbuf *m = pkt->m;
	const uint32_t l2 = pkt->l2_len, end = pkt->ip_len;
	uint32_t off = sizeof(struct rte_ipv6_hdr);
	uint32_t nh_off = offsetof(struct rte_ipv6_hdr, proto);
	uint8_t nh = pkt->ip6->proto;

	for (unsigned int n = 0;; n++) {
		uint8_t buf[8];
		const uint8_t *h;
		uint8_t next;
		uint32_t len;

		switch (nh) {
		case IFP_IP6_HOPOPTS:
			/* RFC 8200 4.1: only right after the IPv6 header;
			 * anywhere else it is an unrecognised Next Header
			 * (RFC 8200 4, Linux ip6_input_finish) */
			if (off != sizeof(struct rte_ipv6_hdr))
				return ifp_exthdr_pp_set(pp, 1, nh_off);
			break;
		case IFP_IP6_ROUTING:
		case IFP_IP6_FRAGMENT:
		case IFP_IP6_DSTOPTS:
			break;
		case IFP_IP6_NONE:
			/* RFC 8200 4.7: nothing follows */
			return ifp_exthdr_drop(pp, IFP_DROP_IP6_NO_NEXT_HEADER);
		default:
			pkt->proto = nh;
			pkt->l3_len = (uint16_t)off;
			pkt->nh_off = (uint16_t)nh_off;
			return IFP_EXTHDR_UPPER;
		}
		/* every extension header is 8 octets or more */
		if (unlikely(n == IFP_EXTHDR_MAX || off + 8 > end))
			return ifp_exthdr_drop(pp, IFP_DROP_IP6_EXTHDR);
		/* within pkt->ip_len, which the frame holds (ifp_ipv6_input):
		 * NULL only if that ever stops being true */
		h = rte_pktmbuf_read(m, l2 + off, 8, buf);
		if (unlikely(h == NULL))
			return ifp_exthdr_drop(pp, IFP_DROP_IP6_EXTHDR);
		IFP_TRACE_STEP(pkt->trace, "exthdr: %s",
			       nh == IFP_IP6_HOPOPTS ? "hop-by-hop" :
			       nh == IFP_IP6_ROUTING ? "routing" :
			       nh == IFP_IP6_FRAGMENT ? "fragment" : "dst-opts");
		next = h[0];
		if (nh == IFP_IP6_FRAGMENT) {
			uint16_t fo = (uint16_t)(h[2] << 8 | h[3]);

			/* RFC 6946 4: offset 0 and M clear is an atomic
			 * fragment, processed at once as the whole packet */
			if ((fo & 0xfff9) != 0) {
				pkt->frag_off = fo & 0xfff8;
				pp->ptr = off;
				return IFP_EXTHDR_FRAGMENT;
			}
			len = 8;
		} else {
			enum ifp_exthdr_status st;

			len = (h[1] + 1u) * 8;
			if (off + len > end)
				return ifp_exthdr_drop(pp, IFP_DROP_IP6_EXTHDR);
			if (nh == IFP_IP6_ROUTING) {
				/* RFC 8200 4.4, RFC 5095 3: we recognise no
				 * Routing Type (type 0 is deprecated): with
				 * Segments Left 0 the header is ignored, else
				 * 4/0 points at the Routing Type */
				if (h[3] != 0)
					return ifp_exthdr_pp_set(pp, 0, off + 2);
			} else {
				st = ifp_exthdr_options(pkt, off, len, pp);
				if (st != IFP_EXTHDR_UPPER)
					return st;
			}
		}
		nh_off = off;
		nh = next;
		off += len;
	}
}

int32_t
ifp_exthdr_skip(const struct rte_mbuf *m, uint32_t l2, uint32_t off,
		uint32_t end, uint8_t *nhp, uint16_t *frag_off)
{
	uint8_t nh = *nhp;

	*frag_off = 0;
	for (unsigned int n = 0; n < IFP_EXTHDR_MAX; n++) {
		uint8_t tmp[8];
		const uint8_t *h;
		uint32_t len;

		if (nh != IFP_IP6_HOPOPTS && nh != IFP_IP6_ROUTING &&
		    nh != IFP_IP6_FRAGMENT && nh != IFP_IP6_DSTOPTS &&
		    nh != IFP_AH) {
			*nhp = nh;
			return (int32_t)off;
		}
		if (off + 8 > end)
			return -1;
		h = rte_pktmbuf_read(m, l2 + off, 8, tmp);
		if (h == NULL)
			return -1;
		if (nh == IFP_IP6_FRAGMENT) {
			uint16_t fo = (uint16_t)(h[2] << 8 | h[3]) & 0xfff8;

			len = 8;
			if (fo != 0) {
				*frag_off = fo;
				*nhp = h[0];
				return (int32_t)(off + len);
			}
		} else if (nh == IFP_AH) {
			/* RFC 4302 2.2: in 32-bit words, minus 2 */
			len = (h[1] + 2u) * 4;
		} else {
			len = (h[1] + 1u) * 8;
		}
		if (off + len > end)
			return -1;
		nh = h[0];
		off += len;
	}
	return -1;
}

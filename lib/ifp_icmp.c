/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_icmp.h"
#include "ifp_mbuf.h"
#include "ifp_pkt.h"
#include "ifp_reply.h"

typedef uint32_t (*ifp_icmp_handler_t)(struct ifp_lcore *lc,
				       struct rte_mbuf *m, struct ifp_pkt *pkt,
				       struct rte_icmp_hdr *icmp);

/* RFC 1122 3.2.2.6 / 3.2.2.8: echo and timestamp to a broadcast address
 * are answered only when the operator asks for it (Linux treats both under
 * icmp_echo_ignore_broadcasts the same way) */
static inline bool
ifp_icmp_bcast_refused(const struct ifp_lcore *lc, const struct ifp_pkt *pkt)
{
	return pkt->bcast && !lc->conf->icmp.echo_broadcast;
}

static inline uint32_t
ifp_icmp_len(const struct ifp_pkt *pkt)
{
	return (uint32_t)pkt->ip_len - pkt->l3_len;
}

/*
 * The handlers that rewrite a message's body need it in one segment: pull a
 * message split over segments into the first (rte_pktmbuf_linearize keeps
 * the first segment's data where it is, so header pointers stay valid).
 */
static inline uint32_t
ifp_icmp_contiguous(struct rte_mbuf *m, const struct ifp_pkt *pkt, uint32_t len)
{
	if (likely(m->data_len >= pkt->l2_len + pkt->l3_len + len))
		return 0;
	return rte_pktmbuf_linearize(m) < 0 ? ifp_v_drop(IFP_DROP_NO_ROOM) : 0;
}

/*
 * RFC 1122 1.2.2: be liberal in what you accept. A request longer than its
 * type needs (scapy pads an address mask request to 16 bytes) is answered
 * with the standard reply of @p len bytes: the message and the datagram are
 * cut there, the total length and its header checksum (RFC 1624) follow.
 */
static inline void
ifp_icmp_cut(struct rte_mbuf *m, struct ifp_pkt *pkt, uint32_t len)
{
	rte_be16_t old = pkt->ip->total_length;

	if (likely(ifp_icmp_len(pkt) == len))
		return;
	pkt->ip_len = (uint16_t)(pkt->l3_len + len);
	pkt->ip->total_length = rte_cpu_to_be_16(pkt->ip_len);
	pkt->ip->hdr_checksum = ifp_cksum_adjust16(pkt->ip->hdr_checksum, old,
						   pkt->ip->total_length);
	ifp_mbuf_trim_to(m, pkt->l2_len + pkt->ip_len);
}

/* type and code rewritten, checksum computed afresh over @p len bytes */
static inline void
ifp_icmp_rewrite(struct rte_icmp_hdr *icmp, uint8_t type, uint8_t code,
		 uint32_t len)
{
	icmp->icmp_type = type;
	icmp->icmp_code = code;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ifp_cksum_final(ifp_cksum_raw(icmp, len));
}

/* RFC 792: an echo reply is the request with type 0; identifier, sequence
 * number and data are returned unchanged. Only the type word changes, so
 * the checksum is updated, not recomputed (RFC 1624). */
static uint32_t
ifp_icmp_echo(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
	      struct rte_icmp_hdr *icmp)
{
	if (!lc->conf->icmp.echo)
		return ifp_v_drop(IFP_DROP_ICMP_DISABLED);
	if (ifp_icmp_bcast_refused(lc, pkt))
		return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
	if (!ifp_rl_allow(&lc->rl, &lc->conf->ratelimit, IFP_RL_ECHO,
			  pkt->ip->src_addr, lc->now_ns))
		return IFP_V_LIMITED | IFP_ANS_ECHO;

	ifp_icmp_echo_turn(icmp);
	ifp_ipv4_reply_prepare(lc, m, pkt);
	return ifp_v_answer(IFP_ANS_ECHO);
}

/*
 * RFC 792 timestamp: originate copied, receive and transmit in ms since
 * midnight UT. Both are the RX time of the burst: the reply is built in
 * place within microseconds, well under the millisecond the field resolves.
 */
static uint32_t
ifp_icmp_timestamp(struct ifp_lcore *lc, struct rte_mbuf *m,
		   struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	uint8_t *b = (uint8_t *)icmp;
	rte_be32_t ms;

	if (!lc->conf->icmp.timestamp)
		return ifp_v_drop(IFP_DROP_ICMP_DISABLED);
	if (ifp_icmp_bcast_refused(lc, pkt))
		return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
	if (ifp_icmp_len(pkt) < 20)
		return ifp_v_drop(IFP_DROP_ICMP_LENGTH);
	if (ifp_icmp_contiguous(m, pkt, 20) != 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	ifp_icmp_cut(m, pkt, 20);
	ms = rte_cpu_to_be_32(ifp_ms_since_midnight(lc->now_ns));
	memcpy(b + 12, &ms, 4);
	memcpy(b + 16, &ms, 4);
	ifp_icmp_rewrite(icmp, IFP_ICMP_TIMESTAMP_REPLY, 0, 20);
	ifp_ipv4_reply_prepare(lc, m, pkt);
	return ifp_v_answer(IFP_ANS_TIMESTAMP);
}

/* RFC 950: the mask of the subnet the request reached us on */
static uint32_t
ifp_icmp_mask(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
	      struct rte_icmp_hdr *icmp)
{
	/* RFC 1122 3.2.2.9: only an authoritative agent answers */
	/* RFC 950 3: a host asks by broadcast, so a broadcast request is
	 * answered whatever echo_broadcast says */
	if (!lc->conf->icmp.address_mask)
		return ifp_v_drop(IFP_DROP_ICMP_DISABLED);
	if (ifp_icmp_len(pkt) < 12)
		return ifp_v_drop(IFP_DROP_ICMP_LENGTH);
	if (ifp_icmp_contiguous(m, pkt, 12) != 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	ifp_icmp_cut(m, pkt, 12);
	memcpy((uint8_t *)icmp + 8, &pkt->local->mask, 4);
	ifp_icmp_rewrite(icmp, IFP_ICMP_MASK_REPLY, 0, 12);
	ifp_ipv4_reply_prepare(lc, m, pkt);
	return ifp_v_answer(IFP_ANS_MASK);
}

/* RFC 8335 2: Interface Identification Object, class 3 */
#define IFP_PROBE_CLASS_IIO 3
#define IFP_PROBE_BY_NAME 1
#define IFP_PROBE_BY_INDEX 2
#define IFP_PROBE_BY_ADDR 3
/* RFC 8335 3: reply codes */
#define IFP_PROBE_OK 0
#define IFP_PROBE_MALFORMED 1
#define IFP_PROBE_NO_IF 2
#define IFP_PROBE_NO_ENTRY 3
#define IFP_PROBE_MULTIPLE 4
/* RFC 8335 3: the last octet of the reply header */
#define IFP_PROBE_ACTIVE 0x04
#define IFP_PROBE_IPV4 0x02

/*
 * Which of our ports the Interface Identification Object names. Our
 * interfaces are the configured ports: name = the port's name, ifIndex =
 * DPDK port id + 1 (as in the RFC 5837 objects of our errors), addresses
 * = the port's IPv4 addresses. Sets *found to the port of a single match.
 */
static uint8_t
ifp_probe_lookup(const struct ifp_conf *c, const uint8_t *obj, uint32_t olen,
		 uint16_t *found)
{
	const uint8_t *p = obj + 4;
	uint32_t plen = olen - 4, matches = 0;

	for (uint16_t i = 0; i < IFP_MAX_PORTS; i++) {
		const struct ifp_port_conf *pc = &c->port[i];
		bool hit = false;

		if (!pc->present)
			continue;
		switch (obj[3]) {
		case IFP_PROBE_BY_NAME: {
			size_t n = strnlen((const char *)p, plen);

			hit = n > 0 && n == strnlen(pc->name, sizeof(pc->name)) &&
			      memcmp(p, pc->name, n) == 0;
			break;
		}
		case IFP_PROBE_BY_INDEX: {
			rte_be32_t idx;

			if (plen != 4)
				return IFP_PROBE_MALFORMED;
			memcpy(&idx, p, 4);
			hit = rte_be_to_cpu_32(idx) == (uint32_t)i + 1;
			break;
		}
		case IFP_PROBE_BY_ADDR: {
			uint16_t afi;
			rte_be32_t a;

			if (plen < 4)
				return IFP_PROBE_MALFORMED;
			afi = (uint16_t)(p[0] << 8 | p[1]);
			if (afi == 2 && p[2] == 16 && plen >= 20)
				return IFP_PROBE_NO_IF; /* no IPv6 here */
			if (afi != 1 || p[2] != 4 || plen < 8)
				return IFP_PROBE_MALFORMED;
			memcpy(&a, p + 4, 4);
			hit = ifp_port_addr_find(pc, a) != NULL;
			break;
		}
		default:
			return IFP_PROBE_MALFORMED;
		}
		if (hit) {
			matches++;
			*found = i;
		}
	}
	if (matches == 0)
		return IFP_PROBE_NO_IF;
	return matches == 1 ? IFP_PROBE_OK : IFP_PROBE_MULTIPLE;
}

/*
 * RFC 8335 extended echo (PROBE): the reply is the request with type 43,
 * the code and the state bits of the probed interface; like Linux, the
 * request's extension structure travels back unchanged.
 */
static uint32_t
ifp_icmp_ext_echo(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
		  struct rte_icmp_hdr *icmp)
{
	const uint32_t len = ifp_icmp_len(pkt);
	uint8_t *b = (uint8_t *)icmp, code, bits = 0;
	uint16_t port = 0;

	/* RFC 8335 8: off unless the operator turns it on */
	if (!lc->conf->icmp.extended_echo)
		return ifp_v_drop(IFP_DROP_ICMP_DISABLED);
	if (pkt->bcast)
		return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
	if (ifp_icmp_contiguous(m, pkt, len) != 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);

	if (len < 8 + 4 + 4 || (b[8] >> 4) != 2) {
		/* no extension structure of version 2 with an object */
		code = IFP_PROBE_MALFORMED;
	} else {
		const uint8_t *obj = b + 12;
		uint32_t olen = (uint32_t)(obj[0] << 8 | obj[1]);

		if (obj[2] != IFP_PROBE_CLASS_IIO || olen < 4 || 12 + olen > len)
			code = IFP_PROBE_MALFORMED;
		else if (!(b[7] & 1))
			/* L clear: a neighbour by proxy; we keep no neighbour
			 * table (RFC 8335 4) */
			code = IFP_PROBE_NO_ENTRY;
		else
			code = ifp_probe_lookup(lc->conf, obj, olen, &port);
	}
	if (code == IFP_PROBE_OK) {
		/* a configured port is up as far as the fast path knows:
		 * its worker is polling it */
		bits = IFP_PROBE_ACTIVE;
		if (lc->conf->port[port].n_addr > 0)
			bits |= IFP_PROBE_IPV4;
	}
	b[7] = bits; /* State 0 for a local probe, Res 0, A, 4, 6 */
	ifp_icmp_rewrite(icmp, IFP_ICMP_EXT_ECHO_REPLY, code, len);
	ifp_ipv4_reply_prepare(lc, m, pkt);
	return ifp_v_answer(IFP_ANS_EXT_ECHO);
}

/* RFC 1122 3.2.2: an ICMP error is never answered with an ICMP message */
static uint32_t
ifp_icmp_error_to_us(struct ifp_lcore *lc, struct rte_mbuf *m,
		     struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	return ifp_v_drop(IFP_DROP_ICMP_ERROR_TO_US);
}

/* a reply addressed to us answers nothing we asked: count it */
static uint32_t
ifp_icmp_reply_to_us(struct ifp_lcore *lc, struct rte_mbuf *m,
		     struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	return ifp_v_drop(IFP_DROP_ICMP_REPLY_TO_US);
}

/* RFC 6918 deprecates information request/reply (15/16) */
static uint32_t
ifp_icmp_info_request(struct ifp_lcore *lc, struct rte_mbuf *m,
		      struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	return ifp_v_drop(IFP_DROP_ICMP_INFO_REQUEST);
}

static const ifp_icmp_handler_t ifp_icmp_handlers[256] = {
	[0] = ifp_icmp_reply_to_us,        /* echo reply */
	[3] = ifp_icmp_error_to_us,        /* destination unreachable */
	[4] = ifp_icmp_error_to_us,        /* source quench */
	[5] = ifp_icmp_error_to_us,        /* redirect */
	[8] = ifp_icmp_echo,               /* echo request */
	[13] = ifp_icmp_timestamp,         /* timestamp request */
	[17] = ifp_icmp_mask,              /* address mask request */
	[42] = ifp_icmp_ext_echo,          /* extended echo request */
	[11] = ifp_icmp_error_to_us,       /* time exceeded */
	[12] = ifp_icmp_error_to_us,       /* parameter problem */
	[14] = ifp_icmp_reply_to_us,       /* timestamp reply */
	[15] = ifp_icmp_info_request,      /* information request */
	[16] = ifp_icmp_reply_to_us,       /* information reply */
	[18] = ifp_icmp_reply_to_us,       /* address mask reply */
	[43] = ifp_icmp_reply_to_us,       /* extended echo reply */
};

uint32_t
ifp_icmp_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	uint32_t off = pkt->l2_len + pkt->l3_len;
	uint32_t len = pkt->ip_len - pkt->l3_len;
	struct rte_icmp_hdr *icmp;
	ifp_icmp_handler_t h;
	uint16_t sum;

	if (unlikely(len < sizeof(*icmp)))
		return ifp_v_drop(IFP_DROP_ICMP_RUNT);
	if (unlikely(m->data_len < off + sizeof(*icmp)))
		return ifp_v_drop(IFP_DROP_L2_SPLIT_HEADER);
	/* RFC 1122 3.2.2: the checksum covers the whole ICMP message */
	if (likely(m->nb_segs == 1))
		sum = ifp_cksum_raw(rte_pktmbuf_mtod_offset(m, void *, off), len);
	else if (ifp_cksum_mbuf(m, off, len, &sum) < 0)
		return ifp_v_drop(IFP_DROP_IP_TOTAL_LENGTH);
	if (unlikely(sum != 0xffff))
		return ifp_v_drop(IFP_DROP_ICMP_CHECKSUM);

	icmp = rte_pktmbuf_mtod_offset(m, struct rte_icmp_hdr *, off);
	h = ifp_icmp_handlers[icmp->icmp_type];
	if (unlikely(h == NULL))
		return ifp_v_drop(IFP_DROP_ICMP_UNKNOWN_TYPE);
	/* RFC 1122 3.2.2: only echo and timestamp may be answered when sent
	 * to a broadcast; every other type to a broadcast is not for us */
	if (unlikely(pkt->bcast) && icmp->icmp_type != IFP_ICMP_ECHO &&
	    icmp->icmp_type != IFP_ICMP_TIMESTAMP && icmp->icmp_type != IFP_ICMP_MASK)
		return ifp_v_drop(IFP_DROP_IP_DST_BROADCAST);
	return h(lc, m, pkt, icmp);
}

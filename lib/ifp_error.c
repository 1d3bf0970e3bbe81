/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP and ICMPv6 errors (Destination Unreachable, Time Exceeded, Parameter
 * Problem), built in the mbuf of the datagram they are about: the original
 * IP header stays where it is and becomes the quote; a new IP and ICMP
 * header are prepended into the headroom and the Ethernet header moves in
 * front. One builder for both families: they differ only in the constants
 * of struct ifp_err_af, the never-answer rules, and the IP header written.
 */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_error.h"
#include "ifp_exthdr.h"
#include "ifp_mbuf.h"
#include "ifp_pkt.h"
#include "ifp_ratelimit.h"

/* RFC 4884 5.1: with extensions, the original datagram field is at least
 * 128 octets; we quote exactly 128, as traceroute -e expects (a multiple
 * of 8, as ICMPv6 needs too) */
#define IFP_ERR_EXT_QUOTE 128
/* RFC 4884 7: extension structure header; RFC 5837 4: object classes */
#define IFP_EXT_VERSION 2
#define IFP_EXT_CLASS_IF_INFO 2
#define IFP_EXT_IFINFO_IFINDEX 0x08
#define IFP_EXT_IFINFO_IPADDR 0x04
#define IFP_EXT_IFINFO_NAME 0x02
#define IFP_EXT_IFINFO_MTU 0x01
/* RFC 5837 4.1: interface role in the two top bits: 0 = incoming */
#define IFP_EXT_ROLE_INCOMING 0x00

/* What the two families' errors differ in, besides the IP header. */
struct ifp_err_af {
	uint16_t max_len;   /**< the whole error datagram at most */
	uint8_t ip_hdr;     /**< bytes of the IP header we write */
	uint8_t len_octet;  /**< RFC 4884: ICMP header octet of the length */
	uint8_t len_unit;   /**< RFC 4884: the length counts units of this */
	uint8_t afi;        /**< RFC 5837 IP address sub-object: AFI */
	uint8_t addr_len;
	uint32_t ext_types; /**< types that carry RFC 4884 extensions, 1 << t */
};

/* RFC 1812 4.3.2.3: 576 octets; RFC 4884 4.1-4.3: the length in 32-bit
 * words, the second octet after the checksum of types 3, 11 and 12 */
static const struct ifp_err_af ifp_err_ipv4 = {
	.max_len = 576,
	.ip_hdr = sizeof(struct rte_ipv4_hdr),
	.len_octet = 5,
	.len_unit = 4,
	.afi = 1,
	.addr_len = 4,
	.ext_types = 1u << IFP_ICMP_DEST_UNREACH | 1u << IFP_ICMP_TIME_EXCEEDED |
		     1u << IFP_ICMP_PARAM_PROBLEM,
};

/* RFC 4443 2.4(c): as much as fits in 1280 octets (the IPv6 minimum MTU);
 * RFC 4884 4.4-4.5: the length in 64-bit words, the first octet after the
 * checksum of types 1 and 3 */
static const struct ifp_err_af ifp_err_ipv6 = {
	.max_len = 1280,
	.ip_hdr = sizeof(struct rte_ipv6_hdr),
	.len_octet = 4,
	.len_unit = 8,
	.afi = 2,
	.addr_len = 16,
	.ext_types = 1u << IFP_ICMP6_DEST_UNREACH | 1u << IFP_ICMP6_TIME_EXCEEDED,
};

static inline bool
ifp_icmp_type_is_error(uint8_t type)
{
	/* RFC 792 / RFC 1812 4.3.2.7: the ICMP error messages */
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/*
 * RFC 1122 3.2.2 / RFC 1812 4.3.2.7: an ICMP error is never sent about an
 * ICMP error, a non-initial fragment, a datagram to a broadcast or
 * multicast address or sent as a link-layer broadcast, or from a source
 * that is not one host. 0 when we may answer, else the reason.
 */
static enum ifp_verdict
ifp_error4_forbidden(const struct rte_mbuf *m, const struct ifp_pkt *pkt)
{
	const struct rte_ipv4_hdr *ip = pkt->ip;
	uint32_t dst = rte_be_to_cpu_32(ip->dst_addr);

	if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK))
		return ifp_v_drop(IFP_DROP_NOERR_FRAGMENT);
	if (pkt->bcast || ifp_ipv4_is_mcast(dst) || dst == IFP_IPV4_LIMITED_BCAST ||
	    !rte_is_unicast_ether_addr(&pkt->eth->dst_addr))
		return ifp_v_drop(IFP_DROP_NOERR_BROADCAST);
	for (unsigned int i = 0; i < pkt->port->n_addr; i++)
		if (pkt->port->addr[i].bcast == ip->src_addr &&
		    ip->src_addr != 0)
			return ifp_v_drop(IFP_DROP_NOERR_SOURCE);
	if (ip->next_proto_id == IPPROTO_ICMP) {
		uint32_t off = pkt->l2_len + pkt->l3_len;
		const uint8_t *type;
		uint8_t buf;

		/* Linux sends nothing when it cannot read the type either */
		if (pkt->ip_len < pkt->l3_len + 1)
			return ifp_v_drop(IFP_DROP_NOERR_ICMP_ERROR);
		type = rte_pktmbuf_read(m, off, 1, &buf);
		if (type == NULL || ifp_icmp_type_is_error(*type))
			return ifp_v_drop(IFP_DROP_NOERR_ICMP_ERROR);
	}
	return 0;
}

/*
 * RFC 4443 2.4(e) and the design's step 6: no ICMPv6 error about an
 * ICMPv6 error or a redirect (e.1, e.2), about a packet to a multicast
 * address or sent as link-layer multicast or broadcast (e.3; but Packet
 * Too Big, and Parameter Problem code 2, which the extension header walk
 * sends only where RFC 8200 4.2 asks for it), to a source that is not one
 * host (e.4-e.6), nor about a non-first fragment.
 */
static enum ifp_verdict
ifp_error6_forbidden(const struct rte_mbuf *m, const struct ifp_pkt *pkt,
		     uint8_t type, uint8_t code)
{
	const struct rte_ipv6_hdr *ip = pkt->ip6;
	const bool mcast_ok = type == IFP_ICMP6_PKT_TOO_BIG ||
			      (type == IFP_ICMP6_PARAM_PROBLEM && code == 2);
	uint16_t frag_off;
	uint8_t nh = ip->proto;
	int32_t off;

	if (pkt->frag_off != 0)
		return ifp_v_drop(IFP_DROP_NOERR_FRAGMENT);
	if (!mcast_ok && (pkt->bcast || ifp_ip6_is_mcast(ip->dst_addr) ||
			  !rte_is_unicast_ether_addr(&pkt->eth->dst_addr)))
		return ifp_v_drop(IFP_DROP_NOERR_BROADCAST);
	if (ifp_ip6_is_unspec(ip->src_addr) || ifp_ip6_is_mcast(ip->src_addr))
		return ifp_v_drop(IFP_DROP_NOERR_SOURCE);
	/* as Linux's is_ineligible(): the upper layer past the extension
	 * headers; a chain we cannot follow is no ICMPv6 error */
	off = ifp_exthdr_skip(m, pkt->l2_len, sizeof(*ip), pkt->ip_len, &nh,
			      &frag_off);
	/* a transit packet's headers are not walked: its Fragment header
	 * shows here */
	if (off >= 0 && frag_off != 0)
		return ifp_v_drop(IFP_DROP_NOERR_FRAGMENT);
	if (off >= 0 && nh == IFP_IP6_ICMP) {
		const uint8_t *t;
		uint8_t buf;

		/* no type byte: a first fragment that hides what it carries
		 * earns its 4/3 (RFC 7112 5; Linux's is_ineligible() too);
		 * anything else may be an error */
		if ((uint32_t)off >= pkt->ip_len)
			return type == IFP_ICMP6_PARAM_PROBLEM && code == 3
				       ? 0
				       : ifp_v_drop(IFP_DROP_NOERR_ICMP_ERROR);
		t = rte_pktmbuf_read(m, pkt->l2_len + (uint32_t)off, 1, &buf);
		/* RFC 4443 2.1: types 0-127 are the errors */
		if (t == NULL || *t < 128 || *t == IFP_ICMP6_REDIRECT)
			return ifp_v_drop(IFP_DROP_NOERR_ICMP_ERROR);
	}
	return 0;
}

/* [ratelimit]: the lcore's error bucket and the source's */
static inline bool
ifp_error_allowed(struct ifp_lcore *lc, enum ifp_answer kind, uint64_t src)
{
	/* Frag Needed and Packet Too Big have per-source buckets of their
	 * own, so other errors to the same source cannot starve PMTU
	 * discovery (RFC 1191, RFC 8201) */
	const bool pmtu = kind == IFP_ANS_FRAG_NEEDED || kind == IFP_ANS_PKT_TOO_BIG6;

	return ifp_rl_allow(&lc->rl, &lc->conf->ratelimit,
			    pmtu ? IFP_RL_PMTU : IFP_RL_ERROR, src, lc->now_ns);
}

/* the length of ifp_ext_ifinfo_write()'s object */
static inline uint16_t
ifp_ext_ifinfo_len(const struct ifp_port_conf *port, const struct ifp_err_af *af)
{
	return (uint16_t)(4 + 4 + 4 + af->addr_len +
			  RTE_ALIGN_CEIL(1 + strnlen(port->name, 63), 4) + 4);
}

/*
 * RFC 5837 interface information object about the receiving port:
 * ifIndex (DPDK port id + 1: ifIndex 0 is not valid), the address the
 * error comes from, its name and MTU. Returns its length.
 */
static uint16_t
ifp_ext_ifinfo_write(uint8_t *o, const struct ifp_port_conf *port,
		     uint16_t port_id, const struct ifp_err_af *af,
		     const void *addr)
{
	size_t nlen = strnlen(port->name, 63);
	/* name sub-object: length octet + name, padded to 4 (RFC 5837 4.3) */
	uint8_t name_len = (uint8_t)RTE_ALIGN_CEIL(1 + nlen, 4);
	uint16_t len = ifp_ext_ifinfo_len(port, af);
	uint32_t v;
	uint8_t *p = o;

	*p++ = (uint8_t)(len >> 8);
	*p++ = (uint8_t)len;
	*p++ = IFP_EXT_CLASS_IF_INFO;
	*p++ = IFP_EXT_ROLE_INCOMING | IFP_EXT_IFINFO_IFINDEX |
	       IFP_EXT_IFINFO_IPADDR | IFP_EXT_IFINFO_NAME | IFP_EXT_IFINFO_MTU;
	v = rte_cpu_to_be_32((uint32_t)port_id + 1);
	memcpy(p, &v, 4);
	p += 4;
	/* IP address sub-object (RFC 5837 4.2): AFI, reserved, address */
	*p++ = 0;
	*p++ = af->afi;
	*p++ = 0;
	*p++ = 0;
	memcpy(p, addr, af->addr_len);
	p += af->addr_len;
	memset(p, 0, name_len);
	p[0] = name_len;
	memcpy(p + 1, port->name, nlen);
	p += name_len;
	v = rte_cpu_to_be_32(port->mtu);
	memcpy(p, &v, 4);
	return len;
}

/* IPv4 header of an error of @p len bytes of ICMP to @p peer */
static void
ifp_error4_ip_write(struct ifp_lcore *lc, struct rte_ipv4_hdr *ip, uint8_t tos,
		    rte_be32_t peer, rte_be32_t src, uint32_t len)
{
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	/* RFC 1812 4.3.2.5: precedence 6 (internetwork control), the TOS
	 * bits of the datagram that caused it, as Linux does */
	ip->type_of_service = (uint8_t)((tos & 0x1e) | 0xc0);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + len));
	ip->packet_id = rte_cpu_to_be_16(lc->ip_id++);
	ip->fragment_offset = 0;
	ip->time_to_live = lc->conf->icmp.reply_ttl;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = src;
	ip->dst_addr = peer;
	ip->hdr_checksum = 0;
}

/* IPv6 header of an error of @p len bytes of ICMPv6 to @p peer */
static void
ifp_error6_ip_write(struct ifp_lcore *lc, struct rte_ipv6_hdr *ip,
		    const uint8_t *peer, const uint8_t *src, uint32_t len)
{
	/* traffic class 0 and no flow label, as Linux's ICMPv6 socket */
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)len);
	ip->proto = IFP_IP6_ICMP;
	ip->hop_limits = lc->conf->icmp6.reply_hop_limit;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, peer, 16);
}

enum ifp_verdict
ifp_error_send(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
	       enum ifp_answer kind, uint8_t type, uint8_t code, uint32_t aux)
{
	const struct ifp_port_conf *port = pkt->port;
	const bool v6 = pkt->v6;
	const struct ifp_err_af *af = v6 ? &ifp_err_ipv6 : &ifp_err_ipv4;
	const uint32_t hdrs = af->ip_hdr + sizeof(struct rte_icmp_hdr);
	const bool ext = (v6 ? lc->conf->icmp6.extensions : lc->conf->icmp.extensions) &&
			 type < 32 && (af->ext_types & (1u << type));
	struct rte_ether_addr peer_mac;
	struct rte_icmp_hdr *icmp;
	uint32_t quote, field, ext_len = 0, l2 = pkt->l2_len, need, len;
	uint8_t l2hdr[sizeof(struct rte_ether_hdr) + sizeof(struct rte_vlan_hdr)];
	uint8_t peer[16], tos = 0;
	const void *src;
	enum ifp_verdict pv;
	uint64_t key;
	uint32_t v;
	uint16_t ck;
	char *data;

	if (v6) {
		const struct ifp_addr6 *a;

		v = ifp_error6_forbidden(m, pkt, type, code);
		if (v != 0)
			return v;
		memcpy(peer, pkt->ip6->src_addr, 16);
		key = ifp_rl_key_ipv6(peer);
		/* the source of the invoking packet's scope (RFC 6724) */
		a = ifp_port_addr6_for(port, peer);
		src = a->ip;
	} else {
		v = ifp_error4_forbidden(m, pkt);
		if (v != 0)
			return v;
		memcpy(peer, &pkt->ip->src_addr, 4);
		tos = pkt->ip->type_of_service;
		key = ifp_rl_key_ipv4(pkt->ip->src_addr);
		src = &port->addr[0].ip;
	}
	/* [policy] before [ratelimit]: a denied error takes no token; to
	 * matches the invoking datagram's destination, so never a transit */
	pv = v6 ? ifp_policy_check6(lc, pkt->trace, peer, pkt->ip6->dst_addr, kind)
		: ifp_policy_check4(lc, pkt->trace, pkt->ip->src_addr, pkt->ip->dst_addr, kind);
	if (pv != IFP_V_NONE)
		return pv;
	if (!ifp_error_allowed(lc, kind, key)) {
		IFP_TRACE_STEP(pkt->trace, "ratelimit: %s",
			       kind == IFP_ANS_FRAG_NEEDED || kind == IFP_ANS_PKT_TOO_BIG6
				       ? "pmtu" : "errors");
		return ifp_v_limited(kind);
	}

	quote = RTE_MIN((uint32_t)pkt->ip_len,
			ext ? IFP_ERR_EXT_QUOTE : af->max_len - hdrs);
	field = ext ? IFP_ERR_EXT_QUOTE : quote;
	if (ext)
		ext_len = 4 + ifp_ext_ifinfo_len(port, af);

	/* the quote must be contiguous: cut the chain first, then pull it
	 * into one segment */
	ifp_mbuf_trim_to(m, l2 + quote);
	if (m->nb_segs > 1 && rte_pktmbuf_linearize(m) < 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	need = field - quote + ext_len;
	if (rte_pktmbuf_tailroom(m) < need + (rte_pktmbuf_headroom(m) < hdrs ?
					      hdrs : 0))
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	if (rte_pktmbuf_headroom(m) < hdrs) {
		data = rte_pktmbuf_mtod(m, char *);
		memmove(data + hdrs, data, m->data_len);
		m->data_off += hdrs;
	}

	memcpy(l2hdr, rte_pktmbuf_mtod(m, void *), l2);
	peer_mac = ((struct rte_ether_hdr *)l2hdr)->src_addr;
	data = rte_pktmbuf_prepend(m, (uint16_t)hdrs);
	memcpy(data, l2hdr, l2);
	((struct rte_ether_hdr *)data)->dst_addr = peer_mac;
	((struct rte_ether_hdr *)data)->src_addr = port->mac;
	if (need) {
		uint8_t *tail = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)need);

		/* RFC 4884 5.1: the original datagram is zero padded */
		memset(tail, 0, field - quote);
		if (ext) {
			uint8_t *eh = tail + field - quote;

			eh[0] = IFP_EXT_VERSION << 4;
			eh[1] = eh[2] = eh[3] = 0;
			ifp_ext_ifinfo_write(eh + 4, port, m->port, af, src);
			/* RFC 4884 7: checksum of the extension structure */
			ck = (uint16_t)~ifp_cksum_raw(eh, ext_len);
			memcpy(eh + 2, &ck, 2);
		}
	}

	len = sizeof(*icmp) + field + ext_len;
	icmp = (struct rte_icmp_hdr *)(data + l2 + af->ip_hdr);
	icmp->icmp_type = type;
	icmp->icmp_code = code;
	icmp->icmp_cksum = 0;
	/* RFC 4884: the length of the padded original datagram, in the
	 * family's units, at its octet of the rest-of-header word */
	if (ext)
		aux |= (field / af->len_unit) << (8 * (7 - af->len_octet));
	v = rte_cpu_to_be_32(aux);
	memcpy(&icmp->icmp_ident, &v, 4);
	ck = ifp_cksum_raw(icmp, len);

	ifp_mbuf_tx_flags_reset(m);
	m->l2_len = l2;
	m->l3_len = af->ip_hdr;
	pkt->l3_len = af->ip_hdr;
	pkt->ip_len = (uint16_t)(af->ip_hdr + len);
	if (v6) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(data + l2);

		ifp_error6_ip_write(lc, ip6, peer, src, len);
		/* RFC 4443 2.3: the pseudo-header is part of the sum */
		icmp->icmp_cksum = ifp_cksum_final(
			(uint32_t)ck +
			ifp_cksum_ipv6_phdr(ip6->src_addr, len, IFP_IP6_ICMP));
		pkt->ip6 = ip6;
		pkt->proto = IFP_IP6_ICMP;
		return ifp_v_answer(kind);
	}
	{
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(data + l2);
		rte_be32_t p4;

		memcpy(&p4, peer, 4);
		ifp_error4_ip_write(lc, ip, tos, p4, port->addr[0].ip, len);
		icmp->icmp_cksum = ifp_cksum_final(ck);
		pkt->ip = ip;
		if (port->flags & IFP_PORT_TX_IPV4_CKSUM)
			m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
		else
			ip->hdr_checksum = ifp_cksum_final(ifp_cksum_raw(ip, sizeof(*ip)));
	}
	return ifp_v_answer(kind);
}

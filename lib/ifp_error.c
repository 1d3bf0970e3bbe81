/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP errors (Destination Unreachable, Time Exceeded, Parameter Problem),
 * built in the mbuf of the datagram they are about: the original IP header
 * stays where it is and becomes the quote; a new IP and ICMP header are
 * prepended into the headroom and the Ethernet header moves in front.
 */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_error.h"
#include "ifp_mbuf.h"
#include "ifp_pkt.h"
#include "ifp_ratelimit.h"

/* RFC 1812 4.3.2.3: the whole error datagram within 576 octets */
#define IFP_ERR_MAX_IP 576
#define IFP_ERR_HDRS (sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_icmp_hdr))
/* RFC 4884 5.1: with extensions, the original datagram field is at least
 * 128 octets; we quote exactly 128, as traceroute -e expects */
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
static uint32_t
ifp_error_forbidden(const struct rte_mbuf *m, const struct ifp_pkt *pkt)
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

/* [ratelimit]: the lcore's error bucket and the source's */
static inline bool
ifp_error_allowed(struct ifp_lcore *lc, enum ifp_answer kind, rte_be32_t src)
{
	/* Frag Needed has per-source buckets of its own, so other errors
	 * from the same source cannot starve PMTU discovery (RFC 1191) */
	return ifp_rl_allow(&lc->rl, &lc->conf->ratelimit,
			    kind == IFP_ANS_FRAG_NEEDED ? IFP_RL_FRAG_NEEDED
							: IFP_RL_ERROR,
			    src, lc->now_ns);
}

/*
 * RFC 5837 interface information object about the receiving port:
 * ifIndex (DPDK port id + 1: ifIndex 0 is not valid), its first IPv4
 * address, its name and MTU. Returns its length.
 */
static uint16_t
ifp_ext_ifinfo_write(uint8_t *o, const struct ifp_port_conf *port,
		     uint16_t port_id)
{
	size_t nlen = strnlen(port->name, 63);
	/* name sub-object: length octet + name, padded to 4 (RFC 5837 4.3) */
	uint8_t name_len = (uint8_t)RTE_ALIGN_CEIL(1 + nlen, 4);
	uint16_t len = 4 + 4 + 8 + name_len + 4;
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
	/* IP address sub-object: AFI 1 (IPv4), reserved, address */
	*p++ = 0;
	*p++ = 1;
	*p++ = 0;
	*p++ = 0;
	memcpy(p, &port->addr[0].ip, 4);
	p += 4;
	memset(p, 0, name_len);
	p[0] = name_len;
	memcpy(p + 1, port->name, nlen);
	p += name_len;
	v = rte_cpu_to_be_32(port->mtu);
	memcpy(p, &v, 4);
	return len;
}

uint32_t
ifp_error_send(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
	       enum ifp_answer kind, uint8_t type, uint8_t code, uint32_t aux)
{
	const struct ifp_port_conf *port = pkt->port;
	const bool ext = lc->conf->icmp.extensions &&
			 (type == 3 || type == 11 || type == 12);
	struct rte_ether_addr peer_mac;
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;
	uint32_t quote, field, ext_len = 0, l2 = pkt->l2_len, need;
	uint8_t l2hdr[sizeof(struct rte_ether_hdr) + sizeof(struct rte_vlan_hdr)];
	uint8_t tos = pkt->ip->type_of_service;
	rte_be32_t peer = pkt->ip->src_addr;
	uint32_t v;
	char *data;

	v = ifp_error_forbidden(m, pkt);
	if (v != 0)
		return v;
	if (!ifp_error_allowed(lc, kind, peer))
		return IFP_V_LIMITED | kind;

	quote = RTE_MIN((uint32_t)pkt->ip_len,
			ext ? IFP_ERR_EXT_QUOTE : IFP_ERR_MAX_IP - IFP_ERR_HDRS);
	field = ext ? IFP_ERR_EXT_QUOTE : quote;
	if (ext)
		ext_len = 4 + 4 + 4 + 8 + RTE_ALIGN_CEIL(1 + strnlen(port->name, 63), 4) + 4;

	/* the quote must be contiguous: cut the chain first, then pull it
	 * into one segment */
	ifp_mbuf_trim_to(m, l2 + quote);
	if (m->nb_segs > 1 && rte_pktmbuf_linearize(m) < 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	need = field - quote + ext_len;
	if (rte_pktmbuf_tailroom(m) < need + (rte_pktmbuf_headroom(m) < IFP_ERR_HDRS ?
					      IFP_ERR_HDRS : 0))
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	if (rte_pktmbuf_headroom(m) < IFP_ERR_HDRS) {
		data = rte_pktmbuf_mtod(m, char *);
		memmove(data + IFP_ERR_HDRS, data, m->data_len);
		m->data_off += IFP_ERR_HDRS;
	}

	memcpy(l2hdr, rte_pktmbuf_mtod(m, void *), l2);
	peer_mac = ((struct rte_ether_hdr *)l2hdr)->src_addr;
	data = rte_pktmbuf_prepend(m, IFP_ERR_HDRS);
	memcpy(data, l2hdr, l2);
	((struct rte_ether_hdr *)data)->dst_addr = peer_mac;
	((struct rte_ether_hdr *)data)->src_addr = port->mac;
	if (need) {
		uint8_t *tail = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)need);

		/* RFC 4884 5.1: the original datagram is zero padded */
		memset(tail, 0, field - quote);
		if (ext) {
			uint8_t *eh = tail + field - quote;
			uint16_t ck;

			eh[0] = IFP_EXT_VERSION << 4;
			eh[1] = eh[2] = eh[3] = 0;
			ifp_ext_ifinfo_write(eh + 4, port, m->port);
			/* RFC 4884 7: checksum of the extension structure */
			ck = (uint16_t)~ifp_cksum_raw(eh, ext_len);
			memcpy(eh + 2, &ck, 2);
		}
	}

	ip = (struct rte_ipv4_hdr *)(data + l2);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	/* RFC 1812 4.3.2.5: precedence 6 (internetwork control), the TOS
	 * bits of the datagram that caused it, as Linux does */
	ip->type_of_service = (uint8_t)((tos & 0x1e) | 0xc0);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(IFP_ERR_HDRS + field + ext_len));
	ip->packet_id = rte_cpu_to_be_16(lc->ip_id++);
	ip->fragment_offset = 0;
	ip->time_to_live = lc->conf->icmp.reply_ttl;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = port->addr[0].ip;
	ip->dst_addr = peer;
	ip->hdr_checksum = 0;

	icmp = (struct rte_icmp_hdr *)(ip + 1);
	icmp->icmp_type = type;
	icmp->icmp_code = code;
	icmp->icmp_cksum = 0;
	/* RFC 4884 4.1-4.3: the length of the padded original datagram, in
	 * 32-bit words, is the second octet after the checksum in types 3,
	 * 11 and 12 alike (after "unused" or the Parameter Problem pointer) */
	if (ext)
		aux |= (field / 4) << 16;
	v = rte_cpu_to_be_32(aux);
	memcpy(&icmp->icmp_ident, &v, 4);
	icmp->icmp_cksum = ifp_cksum_final(ifp_cksum_raw(icmp, sizeof(*icmp) + field + ext_len));

	pkt->ip = ip;
	pkt->l3_len = sizeof(*ip);
	pkt->ip_len = (uint16_t)(IFP_ERR_HDRS + field + ext_len);
	ifp_mbuf_tx_flags_reset(m);
	m->l2_len = l2;
	m->l3_len = sizeof(*ip);
	if (port->flags & IFP_PORT_TX_IPV4_CKSUM)
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	else
		ip->hdr_checksum = ifp_cksum_final(ifp_cksum_raw(ip, sizeof(*ip)));
	return ifp_v_answer(kind);
}

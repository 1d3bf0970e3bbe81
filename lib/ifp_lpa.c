/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "ifp_cksum.h"
#include "ifp_lpa.h"

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int
ifp_lpa_parse(const void *p, size_t len, struct ifp_lpa_block *out,
	      enum ifp_drop *why)
{
	const uint8_t *b = p;
	size_t off = 0;
	int n = 0;

	/* an LPA holds at least one block */
	if (len < IFP_LPA_BLOCK_HDR) {
		*why = IFP_DROP_LPA_TRUNCATED;
		return -1;
	}
	while (off < len) {
		uint16_t type, blen;
		struct ifp_lpa_block *r;

		if (len - off < IFP_LPA_BLOCK_HDR) {
			*why = IFP_DROP_LPA_TRUNCATED;
			return -1;
		}
		type = rd16(b + off);
		blen = rd16(b + off + 2);
		if (blen < IFP_LPA_BLOCK_HDR || blen > len - off) {
			*why = IFP_DROP_LPA_BLOCK_LENGTH;
			return -1;
		}
		if (type != IFP_LPA_TYPE_RATE) {
			/* a block of a type we do not know: skipped whole */
			off += blen;
			continue;
		}
		if (blen != IFP_LPA_RATE_LEN) {
			*why = IFP_DROP_LPA_RATE_LENGTH;
			return -1;
		}
		if (rd32(b + off + 8) == 0) {
			*why = IFP_DROP_LPA_MODEM_ID;
			return -1;
		}
		if (n == IFP_LPA_BLOCKS_MAX) {
			*why = IFP_DROP_LPA_TOO_MANY;
			return -1;
		}
		r = &out[n++];
		r->n_links = b[off + 4];
		r->rate_desc = b[off + 5];
		r->modem_flags = rd16(b + off + 6);
		r->modem_id = rd32(b + off + 8);
		r->mtu = rd16(b + off + 12);
		r->if_flags = rd16(b + off + 14);
		r->rate_cur = rd32(b + off + 16);
		r->rate_min = rd32(b + off + 20);
		r->rate_max = rd32(b + off + 24);
		memcpy(&r->modem_ip, b + off + 28, 4);
		off += blen;
	}
	return n;
}

void
ifp_lpa_block_write(void *out, const struct ifp_lpa_block *b)
{
	uint8_t *o = out;

	wr16(o, IFP_LPA_TYPE_RATE);
	wr16(o + 2, IFP_LPA_RATE_LEN);
	o[4] = b->n_links;
	o[5] = b->rate_desc;
	wr16(o + 6, b->modem_flags);
	wr32(o + 8, b->modem_id);
	wr16(o + 12, b->mtu);
	wr16(o + 14, b->if_flags);
	wr32(o + 16, b->rate_cur);
	wr32(o + 20, b->rate_min);
	wr32(o + 24, b->rate_max);
	memcpy(o + 28, &b->modem_ip, 4);
}

/*
 * The parts of an LPA frame both families share: in the empty mbuf @p m,
 * the Ethernet header (ethertype @p et), room for @p l3 bytes of IP header,
 * the UDP header from and to @p udp_port and the @p n Rate Blocks @p b.
 * The UDP checksum is left 0 for the family's pseudo-header. Returns the
 * UDP header, or NULL when @p m has too little room.
 */
static struct rte_udp_hdr *
lpa_frame_start(struct rte_mbuf *m, const struct ifp_port_conf *p,
		const struct rte_ether_addr *dst_mac, uint16_t et, uint16_t l3,
		uint16_t udp_port, const struct ifp_lpa_block *b, unsigned int n)
{
	const uint16_t ulen = (uint16_t)(sizeof(struct rte_udp_hdr) +
					 n * IFP_LPA_RATE_LEN);
	const uint16_t len = (uint16_t)(sizeof(struct rte_ether_hdr) + l3 + ulen);
	struct rte_ether_hdr *eth;
	struct rte_udp_hdr *udp;
	uint8_t *data;

	if (n == 0 || n > IFP_LPA_BLOCKS_MAX || m->data_len != 0 ||
	    rte_pktmbuf_tailroom(m) < len)
		return NULL;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	m->data_len = len;
	m->pkt_len = len;
	m->l2_len = sizeof(*eth);
	m->l3_len = l3;
	eth->dst_addr = *dst_mac;
	eth->src_addr = p->mac;
	eth->ether_type = rte_cpu_to_be_16(et);

	udp = (struct rte_udp_hdr *)((uint8_t *)(eth + 1) + l3);
	udp->src_port = rte_cpu_to_be_16(udp_port);
	udp->dst_port = rte_cpu_to_be_16(udp_port);
	udp->dgram_len = rte_cpu_to_be_16(ulen);
	udp->dgram_cksum = 0;
	data = (uint8_t *)(udp + 1);
	for (unsigned int i = 0; i < n; i++)
		ifp_lpa_block_write(data + i * IFP_LPA_RATE_LEN, &b[i]);
	return udp;
}

int
ifp_lpa_frame_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
		    rte_be32_t dst, const struct rte_ether_addr *dst_mac,
		    uint8_t ttl, uint16_t ip_id, uint16_t udp_port,
		    const struct ifp_lpa_block *b, unsigned int n)
{
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint16_t ulen;
	uint32_t sum;

	if (p->n_addr == 0)
		return -1;
	udp = lpa_frame_start(m, p, dst_mac, RTE_ETHER_TYPE_IPV4, sizeof(*ip),
			      udp_port, b, n);
	if (udp == NULL)
		return -1;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	ip = (struct rte_ipv4_hdr *)udp - 1;
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	/* precedence 6, internetwork control, as routing protocols send */
	ip->type_of_service = IFP_LPA_TCLASS;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + ulen));
	ip->packet_id = rte_cpu_to_be_16(ip_id);
	ip->fragment_offset = 0;
	ip->time_to_live = ttl;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = p->addr[0].ip;
	ip->dst_addr = dst;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = ifp_cksum_final(ifp_cksum_raw(ip, sizeof(*ip)));

	/* RFC 768: the pseudo header, then the datagram; a sum of zero is
	 * sent as all ones (ifp_cksum_final never gives 0x0000) */
	sum = ifp_cksum_raw(&ip->src_addr, 8);
	sum += rte_cpu_to_be_16(IPPROTO_UDP);
	sum += udp->dgram_len;
	sum += ifp_cksum_raw(udp, ulen);
	udp->dgram_cksum = ifp_cksum_final(sum);
	return 0;
}

const uint8_t *
ifp_lpa_src6(const struct ifp_port_conf *p, const uint8_t *dst)
{
	if (p->n_addr6 == 0)
		return NULL;
	/* RFC 6724 rule 2: the source of the destination's scope; a
	 * link-local source must not leave the link (RFC 4291 2.5.6) */
	if (ifp_ip6_link_scope(dst))
		return p->addr6[0].ip;
	return p->n_addr6 > 1 ? p->addr6[1].ip : NULL;
}

int
ifp_lpa_frame_build6(struct rte_mbuf *m, const struct ifp_port_conf *p,
		     const uint8_t *dst, const struct rte_ether_addr *dst_mac,
		     uint8_t hop_limit, uint16_t udp_port,
		     const struct ifp_lpa_block *b, unsigned int n)
{
	const uint8_t *src = ifp_lpa_src6(p, dst);
	struct rte_ipv6_hdr *ip;
	struct rte_udp_hdr *udp;
	uint16_t ulen;

	if (src == NULL)
		return -1;
	udp = lpa_frame_start(m, p, dst_mac, RTE_ETHER_TYPE_IPV6, sizeof(*ip),
			      udp_port, b, n);
	if (udp == NULL)
		return -1;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	ip = (struct rte_ipv6_hdr *)udp - 1;
	/* version 6, the traffic class of the IPv4 frames, no flow label */
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)IFP_LPA_TCLASS << 20);
	ip->payload_len = udp->dgram_len;
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = hop_limit;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);

	/* RFC 8200 8.1: the checksum is mandatory over IPv6, over the IPv6
	 * pseudo-header; a sum of zero is sent as all ones */
	udp->dgram_cksum = ifp_cksum_final(
		(uint32_t)ifp_cksum_raw(udp, ulen) +
		ifp_cksum_ipv6_phdr(ip->src_addr, ulen, IPPROTO_UDP));
	return 0;
}

void
ifp_lpa_block_of_port(const struct ifp_port_conf *p, uint16_t port_id,
		      const struct ifp_lpa_link *l, struct ifp_lpa_block *b)
{
	uint32_t rate = ifp_lpa_rate_sat(l->speed_bps);

	memset(b, 0, sizeof(*b));
	b->n_links = 1;
	b->rate_desc = 1;
	/* ifIndex 0 is not valid (RFC 2863), nor is Modem ID 0 */
	b->modem_id = (uint32_t)port_id + 1;
	b->mtu = p->mtu;
	b->if_flags = IFP_LPA_IF_OUT;
	if (l->up)
		b->if_flags |= IFP_LPA_IF_UP;
	if (l->full_duplex)
		b->if_flags |= IFP_LPA_IF_BIDIR;
	if (l->fixed)
		b->if_flags |= IFP_LPA_IF_FIXED;
	b->rate_cur = b->rate_min = b->rate_max = rate;
	if (p->n_addr > 0) {
		b->if_flags |= IFP_LPA_IF_IPV4;
		b->modem_ip = p->addr[0].ip;
	}
}

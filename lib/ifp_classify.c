/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "ifp_cksum.h"
#include "ifp_classify.h"
#include "ifp_pkt.h"

#define IFP_ECHO_MIN_FRAME                                                   \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) +        \
	 sizeof(struct rte_icmp_hdr))
#define IFP_CLASSIFY_PREFETCH 4

static bool ifp_classify_on = true;

void
ifp_classify_enable(bool on)
{
	ifp_classify_on = on;
}

bool
ifp_classify_enabled(void)
{
	return ifp_classify_on;
}

/*
 * A MAC as the low 48 bits of one 8-byte load (both callers have two more
 * bytes after it: the source MAC, the port's MTU). Copying 6 bytes into a
 * zeroed word instead costs a failed store forward, ~20 cycles.
 */
static inline uint64_t
ifp_mac48(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v & 0xffffffffffffULL;
}

/* the 20 bytes of an IHL-5 header, folded: 0xffff when it verifies */
static inline uint16_t
ifp_ipv4_hdr_sum(const struct rte_ipv4_hdr *ip)
{
	uint64_t a, b, s;
	uint32_t c;

	memcpy(&a, ip, 8);
	memcpy(&b, (const uint8_t *)ip + 8, 8);
	memcpy(&c, (const uint8_t *)ip + 16, 4);
	s = (a & 0xffffffff) + (a >> 32) + (b & 0xffffffff) + (b >> 32) + c;
	s = (s & 0xffffffff) + (s >> 32);
	return ifp_cksum_fold((uint32_t)s);
}

/*
 * The checks of the scalar path (ifp_l2_input, ifp_ipv4_input,
 * ifp_icmp_input, ifp_icmp_echo), narrowed to the case where every one of
 * them passes; anything else returns NULL and the frame goes the scalar
 * way, which then finds the drop reason itself.
 */
static inline const struct ifp_addr *
ifp_classify_plain_echo(const struct ifp_conf *conf, struct rte_mbuf *m)
{
	const struct ifp_port_conf *port = &conf->port[m->port];
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const struct rte_icmp_hdr *icmp;
	const struct ifp_addr *local;
	uint64_t dst, ck_flags;
	uint32_t src;
	uint16_t ip_len;

	/* one segment, long enough for Ethernet, IPv4 and ICMP headers */
	if (m->nb_segs != 1 || m->data_len != m->pkt_len ||
	    m->data_len < IFP_ECHO_MIN_FRAME)
		return NULL;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	icmp = (const struct rte_icmp_hdr *)(ip + 1);

	/* L2: ours or broadcast, IPv4 without a tag */
	dst = ifp_mac48(&eth->dst_addr);
	if (dst != ifp_mac48(&port->mac) && dst != 0xffffffffffffULL)
		return NULL;
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return NULL;

	/* RFC 1812 5.2.2: version 4, IHL 5 (no options), total length
	 * exactly the frame (no padding to trim), not a fragment, ICMP */
	if (ip->version_ihl != RTE_IPV4_VHL_DEF ||
	    ip->next_proto_id != IPPROTO_ICMP ||
	    (ip->fragment_offset &
	     RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return NULL;
	ip_len = rte_be_to_cpu_16(ip->total_length);
	if (ip_len + sizeof(*eth) != m->data_len ||
	    ip_len < sizeof(*ip) + sizeof(*icmp))
		return NULL;
	/* a reply larger than the port's MTU leaves in fragments: scalar */
	if (ip_len > port->mtu)
		return NULL;

	/* RFC 1812 5.3.7: no martian source */
	src = rte_be_to_cpu_32(ip->src_addr);
	if (src == 0 || (src >> 24) == 127 || (src >> 28) >= 0xe)
		return NULL;

	/* echo request, to one of our unicast addresses */
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST)
		return NULL;
	local = ifp_port_addr_find(port, ip->dst_addr);
	if (local == NULL)
		return NULL;

	/* both checksums; the PMD's flag may vouch for the header's */
	ck_flags = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	if (ck_flags == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return NULL;
	if (ck_flags != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
	    ifp_ipv4_hdr_sum(ip) != 0xffff)
		return NULL;
	if (ifp_cksum_raw(icmp, ip_len - sizeof(*ip)) != 0xffff)
		return NULL;
	return local;
}

/*
 * What ifp_icmp_echo() and ifp_ipv4_reply_prepare() write, for an IHL-5
 * header: type 0 and both checksums updated per RFC 1624.
 */
static inline void
ifp_classify_echo_reply(const struct ifp_conf *conf, struct rte_mbuf *m,
			const struct ifp_addr *local)
{
	const struct ifp_port_conf *port = &conf->port[m->port];
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	rte_be32_t old_dst = ip->dst_addr;
	rte_be16_t old_frag = ip->fragment_offset;
	rte_be16_t new_frag = old_frag & RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	const bool vouched = (m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) ==
			     RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	uint8_t w[2];
	uint16_t old, new;
	uint32_t sum;

	/* ICMP: type 8 -> 0, words built in registers (store forwarding) */
	memcpy(w, &icmp->icmp_type, sizeof(w));
	memcpy(&old, w, sizeof(old));
	w[0] = RTE_IP_ICMP_ECHO_REPLY;
	memcpy(&new, w, sizeof(new));
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = ifp_cksum_adjust16(icmp->icmp_cksum, old, new);

	eth->dst_addr = eth->src_addr;
	eth->src_addr = port->mac;

	memcpy(w, &ip->time_to_live, sizeof(w));
	memcpy(&old, w, sizeof(old));
	w[0] = conf->icmp.reply_ttl;
	memcpy(&new, w, sizeof(new));
	ip->dst_addr = ip->src_addr;
	ip->src_addr = local->ip;
	ip->time_to_live = conf->icmp.reply_ttl;
	ip->fragment_offset = new_frag;

	ifp_mbuf_tx_flags_reset(m);
	m->tx_offload = rte_mbuf_tx_offload(sizeof(*eth), sizeof(*ip), 0, 0,
					    0, 0, 0);
	m->hash.usr = 1; /* the frame that stands for the answer */
	if (port->flags & IFP_PORT_TX_IPV4_CKSUM) {
		ip->hdr_checksum = 0;
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
		return;
	}
	/* the PMD vouched for the header, so it was never summed here: an
	 * update would carry on whatever sum it had */
	if (vouched) {
		ip->hdr_checksum = 0;
		ip->hdr_checksum = (uint16_t)~ifp_ipv4_hdr_sum(ip);
		return;
	}
	/* RFC 1624 eqn. 3 for the three changes at once, one fold:
	 * destination -> our address, TTL word, flags word */
	sum = (uint16_t)~ip->hdr_checksum;
	sum += (uint16_t)~(old_dst & 0xffff);
	sum += (uint16_t)~(old_dst >> 16);
	sum += local->ip & 0xffff;
	sum += local->ip >> 16;
	sum += (uint16_t)~old;
	sum += new;
	sum += (uint16_t)~old_frag;
	sum += new_frag;
	ip->hdr_checksum = (uint16_t)~ifp_cksum_fold(sum);
}

uint64_t
ifp_classify_echo_burst(struct ifp_lcore *lc, struct rte_mbuf **pkts,
			uint16_t n)
{
	const struct ifp_conf *conf = lc->conf;
	uint64_t done = 0;
	uint16_t i;

	/* any echo policy beyond on/off (a rate limit) is the scalar
	 * path's to apply */
	if (!ifp_classify_on || !conf->icmp.echo ||
	    conf->ratelimit.echo_per_sec != 0)
		return 0;
	RTE_BUILD_BUG_ON(offsetof(struct ifp_port_conf, mac) + 8 >
			 sizeof(struct ifp_port_conf));
	n = RTE_MIN(n, (uint16_t)64);
	for (i = 0; i < RTE_MIN(n, IFP_CLASSIFY_PREFETCH); i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct ifp_addr *local;

		if (i + IFP_CLASSIFY_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(
				pkts[i + IFP_CLASSIFY_PREFETCH], void *));
		local = ifp_classify_plain_echo(conf, m);
		if (unlikely(local == NULL))
			continue;
		ifp_classify_echo_reply(conf, m, local);
		done |= 1ULL << i;
	}
	lc->st.answers[IFP_ANS_ECHO] += (uint64_t)__builtin_popcountll(done);
	return done;
}

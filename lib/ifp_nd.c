/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour discovery (RFC 4861) and MLDv2 (RFC 3810) as far as a node
 * that answers on its link needs them: neighbour solicitations for our
 * addresses get an advertisement built in place, a listener query gets a
 * report of our solicited-node groups; the rest is counted. icmpfp keeps
 * no neighbour cache: every answer goes back to the frame's source MAC.
 */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_nd.h"
#include "ifp_pkt.h"
#include "ifp_reply.h"
#include "ifp_udp.h"

/* RFC 4861 4.3, 4.4: the fixed parts; 4.6: options in 8-octet units */
#define IFP_ND_NS_LEN 24
#define IFP_ND_NA_LEN 32 /* with the target link-layer address option; a
			  * solicitation with the source one is as long */
#define IFP_ND_OPT_SLLA 1
#define IFP_ND_OPT_TLLA 2
/* RFC 4861 4.4: the flags octet of an advertisement */
#define IFP_NA_ROUTER 0x80
#define IFP_NA_SOLICITED 0x40
#define IFP_NA_OVERRIDE 0x20
/* RFC 4861 6.1.2, 7.1.1 and the others: only a hop limit of 255 proves
 * the sender is on the link */
#define IFP_ND_HOP_LIMIT 255

/* RFC 3810 5.1: a query is 28 octets or more (an MLDv1 query, RFC 2710
 * 3, is 24, which Linux takes too) */
#define IFP_MLD_QUERY_MIN 24
/* RFC 3810 5.2.12: record types */
#define IFP_MLD_MODE_IS_EXCLUDE 2
#define IFP_MLD_CHANGE_TO_EXCLUDE 4
#define IFP_MLD_RECORD_LEN 20
/* the Hop-by-Hop header of a report: Router Alert (RFC 2711, value 0:
 * MLD), PadN to 8 octets */
#define IFP_MLD_HBH_LEN 8

static const uint8_t ifp_ip6_all_nodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
					      0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t ifp_ip6_all_mldv2[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
					      0, 0, 0, 0, 0, 0, 0, 0x16};

/* RFC 2464 7: the MAC of an IPv6 group is 33:33 and its low 32 bits */
static inline void
ifp_ip6_mcast_mac(struct rte_ether_addr *mac, const uint8_t *group)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], group + 12, 4);
}

/* the ICMPv6 checksum of the message after @p ip, its payload */
static inline void
ifp_icmp6_cksum_set(struct rte_ipv6_hdr *ip, struct rte_icmp_hdr *icmp,
		    uint32_t len)
{
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ifp_cksum_final(
		(uint32_t)ifp_cksum_raw(icmp, len) +
		ifp_cksum_ipv6_phdr(ip->src_addr, len, IFP_IP6_ICMP));
}

/* the body of a solicitation or an advertisement (@p type) of @p target at
 * @p b, with our link-layer address in option @p opt: 32 octets */
static inline void
ifp_nd_msg_write(uint8_t *b, uint8_t type, uint8_t flags, const uint8_t *target,
		 uint8_t opt, const struct rte_ether_addr *mac)
{
	b[0] = type;
	b[1] = 0;
	memset(b + 4, 0, 4);
	b[4] = flags;
	if (b + 8 != target)
		memcpy(b + 8, target, 16);
	b[24] = opt;
	b[25] = 1;
	memcpy(b + 26, mac, RTE_ETHER_ADDR_LEN);
}

/* the body of an advertisement of @p target at @p b: 32 octets */
static inline void
ifp_nd_na_write(uint8_t *b, uint8_t flags, const uint8_t *target,
		const struct rte_ether_addr *mac)
{
	ifp_nd_msg_write(b, IFP_ICMP6_NA, flags, target, IFP_ND_OPT_TLLA, mac);
}

/*
 * Make the message after the IPv6 header of @p pkt exactly @p len octets
 * (its first segment holds what it keeps). -1: no room.
 */
static int
ifp_nd_resize(struct rte_mbuf *m, struct ifp_pkt *pkt, uint32_t len)
{
	uint32_t want = pkt->l2_len + sizeof(struct rte_ipv6_hdr) + len;

	if (want > (uint32_t)m->buf_len - m->data_off)
		return -1;
	ifp_mbuf_trim_to(m, RTE_MIN(m->pkt_len, RTE_MIN(want, (uint32_t)m->data_len)));
	if (m->pkt_len < want &&
	    rte_pktmbuf_append(m, (uint16_t)(want - m->pkt_len)) == NULL)
		return -1;
	pkt->ip_len = (uint16_t)(sizeof(struct rte_ipv6_hdr) + len);
	pkt->ip6->payload_len = rte_cpu_to_be_16((uint16_t)len);
	pkt->ip6->proto = IFP_IP6_ICMP;
	return 0;
}

/* RFC 4861 4.6: every option of a message is at least 8 octets, none
 * runs past the end; *@p found is the first option of type @p type (NULL:
 * none) */
static enum ifp_verdict
ifp_nd_options(const uint8_t *o, uint32_t len, uint8_t type,
	       const uint8_t **found)
{
	uint32_t i = 0;

	*found = NULL;
	while (i < len) {
		if (len - i < 2 || o[i + 1] == 0 || o[i + 1] * 8u > len - i)
			return ifp_v_drop(IFP_DROP_ND_OPTION);
		if (o[i] == type && *found == NULL)
			*found = o + i;
		i += o[i + 1] * 8u;
	}
	return 0;
}

enum ifp_verdict
ifp_nd_ns_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
		struct rte_icmp_hdr *icmp)
{
	const uint32_t len = (uint32_t)pkt->ip_len - pkt->l3_len;
	const struct ifp_addr6 *t;
	const bool dad = ifp_ip6_is_unspec(pkt->ip6->src_addr);
	const uint8_t *sllao;
	uint8_t *b;
	uint32_t v;

	/* RFC 4861 7.1.1, in its order */
	if (pkt->ip6->hop_limits != IFP_ND_HOP_LIMIT)
		return ifp_v_drop(IFP_DROP_ND_HOP_LIMIT);
	if (icmp->icmp_code != 0)
		return ifp_v_drop(IFP_DROP_ND_CODE);
	if (len < IFP_ND_NS_LEN)
		return ifp_v_drop(IFP_DROP_ND_RUNT);
	if (ifp_icmp_contiguous(m, pkt, len) != 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	b = (uint8_t *)icmp;
	if (ifp_ip6_is_mcast(b + 8))
		return ifp_v_drop(IFP_DROP_ND_TARGET_MULTICAST);
	v = ifp_nd_options(b + IFP_ND_NS_LEN, len - IFP_ND_NS_LEN,
			   IFP_ND_OPT_SLLA, &sllao);
	if (v != 0)
		return v;
	if (dad && !(pkt->bcast && !ifp_ip6_is_all_nodes(pkt->ip6->dst_addr)))
		return ifp_v_drop(IFP_DROP_ND_DAD_DST);
	if (dad && sllao != NULL)
		return ifp_v_drop(IFP_DROP_ND_DAD_SLLAO);
	t = ifp_port_addr6_find(pkt->port, b + 8);
	if (t == NULL)
		return ifp_v_drop(IFP_DROP_ND_NOT_OURS);
	/* [policy] neighbour: the key's destination is the target */
	v = ifp_policy_check6(lc, pkt->trace, pkt->ip6->src_addr, t->ip, IFP_ANS_NA);
	if (v != IFP_V_NONE)
		return v;

	/* RFC 4861 7.2.4: the advertisement comes from the target, to the
	 * solicitation's source with S set; RFC 4862 5.4.3: a DAD probe is
	 * answered to all nodes with S clear, and the address is ours */
	if (ifp_ipv6_reply_prepare(lc, m, pkt, t->ip) < 0 ||
	    ifp_nd_resize(m, pkt, IFP_ND_NA_LEN) < 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	pkt->ip6->hop_limits = IFP_ND_HOP_LIMIT;
	icmp = (struct rte_icmp_hdr *)(pkt->ip6 + 1);
	if (dad) {
		memcpy(pkt->ip6->dst_addr, ifp_ip6_all_nodes, 16);
		ifp_ip6_mcast_mac(&pkt->eth->dst_addr, ifp_ip6_all_nodes);
	}
	ifp_nd_na_write((uint8_t *)icmp,
			IFP_NA_ROUTER | IFP_NA_OVERRIDE | (dad ? 0 : IFP_NA_SOLICITED),
			t->ip, &pkt->port->mac);
	ifp_icmp6_cksum_set(pkt->ip6, icmp, IFP_ND_NA_LEN);
	return ifp_v_answer(IFP_ANS_NA);
}

/*
 * A neighbour advertisement to one of our addresses: checked as RFC 4861
 * 7.1.2 says; when its target is a unicast advertise_to destination (the
 * answer to the solicitation the main lcore sent for it, ifp_nd_ns_build())
 * the MAC of its target link-layer address option goes to the main lcore.
 * icmpfp keeps no neighbour cache; its own LPAs need that one MAC.
 */
enum ifp_verdict
ifp_nd_na_input(struct ifp_lcore *lc, struct rte_mbuf *m, struct ifp_pkt *pkt,
		struct rte_icmp_hdr *icmp)
{
	const uint32_t len = (uint32_t)pkt->ip_len - pkt->l3_len;
	struct ifp_ipx target = {.v6 = true};
	struct rte_ether_addr mac;
	const uint8_t *b, *tlla;
	uint32_t v;

	if (pkt->ip6->hop_limits != IFP_ND_HOP_LIMIT)
		return ifp_v_drop(IFP_DROP_ND_HOP_LIMIT);
	if (len < IFP_ND_NS_LEN)
		return ifp_v_drop(IFP_DROP_ND_RUNT);
	if (ifp_icmp_contiguous(m, pkt, len) != 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	b = rte_pktmbuf_mtod_offset(m, const uint8_t *, pkt->l2_len + pkt->l3_len);
	/* an answer to our solicitation comes to our address (RFC 4861
	 * 7.2.4) and is about a destination of ours; any other is what it
	 * always was, a neighbour cache's business */
	memcpy(target.ip6, b + 8, 16);
	if (pkt->bcast || !ifp_lpa_to_unicast(lc->conf, &target))
		return ifp_v_drop(IFP_DROP_ND_TO_US);
	/* the rest of RFC 4861 7.1.2 before we learn from it (the target is
	 * unicast: ifp_lpa_to_unicast() takes no group) */
	if (icmp->icmp_code != 0)
		return ifp_v_drop(IFP_DROP_ND_CODE);
	v = ifp_nd_options(b + IFP_ND_NS_LEN, len - IFP_ND_NS_LEN,
			   IFP_ND_OPT_TLLA, &tlla);
	if (v != 0)
		return v;
	/* RFC 4861 7.2.5: without the target's link-layer address an
	 * advertisement teaches nothing to a node that has none */
	if (tlla == NULL || tlla[1] != 1)
		return ifp_v_drop(IFP_DROP_ND_TO_US);
	memcpy(&mac, tlla + 2, RTE_ETHER_ADDR_LEN);
	return ifp_lpa_neigh_pass(lc, m->port, &target, &mac);
}

enum ifp_verdict
ifp_nd_other_input(struct ifp_lcore *lc, struct rte_mbuf *m,
		   struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	/* RFC 4861 6.1, 7.1.2, 8.1: not from on-link, not valid */
	if (pkt->ip6->hop_limits != IFP_ND_HOP_LIMIT)
		return ifp_v_drop(IFP_DROP_ND_HOP_LIMIT);
	/* a router's business, or a neighbour cache's: we keep none */
	return ifp_v_drop(IFP_DROP_ND_TO_US);
}

/* the solicited-node groups of @p p, without repeats: their low 24 bits */
static unsigned int
ifp_mld_groups(const struct ifp_port_conf *p, uint8_t groups[][3])
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < p->n_addr6; i++) {
		unsigned int j;

		for (j = 0; j < n; j++)
			if (memcmp(groups[j], p->addr6[i].ip + 13, 3) == 0)
				break;
		if (j == n)
			memcpy(groups[n++], p->addr6[i].ip + 13, 3);
	}
	return n;
}

static inline void
ifp_mld_snm(uint8_t *g, const uint8_t low[3])
{
	static const uint8_t pfx[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
					0, 0, 0, 1, 0xff};

	memcpy(g, pfx, sizeof(pfx));
	memcpy(g + 13, low, 3);
}

/*
 * An MLDv2 report (RFC 3810 5.2) at @p ip: the IPv6 header, the Hop-by-Hop
 * header with the Router Alert, one record of type @p rtype for each of
 * @p n groups. Returns its length from the IPv6 header.
 */
static uint32_t
ifp_mld_report_write(uint8_t *at, const struct ifp_port_conf *p, uint8_t rtype,
		     uint8_t groups[][3], unsigned int n)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)at;
	uint8_t *hbh = at + sizeof(*ip);
	uint8_t *r = hbh + IFP_MLD_HBH_LEN;
	const uint32_t mlen = 8 + n * IFP_MLD_RECORD_LEN;
	uint32_t sum;

	/* RFC 3810 5: link-local source, hop limit 1, Router Alert */
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(IFP_MLD_HBH_LEN + mlen));
	ip->proto = IFP_IP6_HOPOPTS;
	ip->hop_limits = 1;
	memcpy(ip->src_addr, p->addr6[0].ip, 16);
	memcpy(ip->dst_addr, ifp_ip6_all_mldv2, 16);
	hbh[0] = IFP_IP6_ICMP;
	hbh[1] = 0;
	hbh[2] = 5; /* Router Alert, 2 octets, value 0: MLD */
	hbh[3] = 2;
	hbh[4] = 0;
	hbh[5] = 0;
	hbh[6] = 1; /* PadN of 0 octets */
	hbh[7] = 0;
	r[0] = IFP_ICMP6_MLD2_REPORT;
	memset(r + 1, 0, 5);
	r[6] = (uint8_t)(n >> 8);
	r[7] = (uint8_t)n;
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *rec = r + 8 + i * IFP_MLD_RECORD_LEN;

		rec[0] = rtype;
		rec[1] = 0; /* aux data */
		rec[2] = 0; /* no sources: EXCLUDE {} is "all of them" */
		rec[3] = 0;
		ifp_mld_snm(rec + 4, groups[i]);
	}
	/* the pseudo-header's upper layer is ICMPv6, past the Hop-by-Hop */
	sum = (uint32_t)ifp_cksum_raw(r, mlen) +
	      ifp_cksum_ipv6_phdr(ip->src_addr, mlen, IFP_IP6_ICMP);
	{
		uint16_t ck = ifp_cksum_final(sum);

		memcpy(r + 2, &ck, 2);
	}
	return sizeof(*ip) + IFP_MLD_HBH_LEN + mlen;
}

enum ifp_verdict
ifp_mld_query_input(struct ifp_lcore *lc, struct rte_mbuf *m,
		    struct ifp_pkt *pkt, struct rte_icmp_hdr *icmp)
{
	const uint32_t len = (uint32_t)pkt->ip_len - pkt->l3_len;
	uint8_t groups[IFP_MAX_ADDRS6][3];
	const uint8_t *b = (const uint8_t *)icmp;
	struct rte_ether_hdr *eth;
	enum ifp_verdict v;
	unsigned int n;
	uint32_t rlen, want;

	/* RFC 3810 5.1.14 and Linux's igmp6_event_query(): a query comes
	 * from a link-local address and holds at least an MLDv1 query */
	if (len < IFP_MLD_QUERY_MIN ||
	    !ifp_ip6_is_link_local(pkt->ip6->src_addr))
		return ifp_v_drop(IFP_DROP_MLD_INVALID);
	if (ifp_icmp_contiguous(m, pkt, IFP_MLD_QUERY_MIN) != 0)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	n = ifp_mld_groups(pkt->port, groups);
	/* a general query (group ::) asks for all our groups, a
	 * group-specific one (with or without sources) for that group */
	if (!ifp_ip6_is_unspec(b + 8)) {
		unsigned int i;

		for (i = 0; i < n; i++) {
			uint8_t g[16];

			ifp_mld_snm(g, groups[i]);
			if (ifp_ip6_eq(g, b + 8))
				break;
		}
		if (i == n)
			return ifp_v_drop(IFP_DROP_MLD_NOT_OURS);
		memmove(groups[0], groups[i], 3);
		n = 1;
	}
	v = ifp_policy_check6(lc, pkt->trace, pkt->ip6->src_addr, pkt->ip6->dst_addr,
			      IFP_ANS_MLD_REPORT);
	if (v != IFP_V_NONE)
		return v;
	/* RFC 3810 6.2 lets a host delay its report up to the query's
	 * Maximum Response Delay; we answer at once, from the query's mbuf */
	rlen = sizeof(struct rte_ipv6_hdr) + IFP_MLD_HBH_LEN + 8 +
	       n * IFP_MLD_RECORD_LEN;
	want = pkt->l2_len + rlen;
	if (want > (uint32_t)m->buf_len - m->data_off)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	ifp_mbuf_trim_to(m, RTE_MIN(m->pkt_len, RTE_MIN(want, (uint32_t)m->data_len)));
	if (m->pkt_len < want &&
	    rte_pktmbuf_append(m, (uint16_t)(want - m->pkt_len)) == NULL)
		return ifp_v_drop(IFP_DROP_NO_ROOM);
	eth = pkt->eth;
	ifp_mld_report_write((uint8_t *)eth + pkt->l2_len, pkt->port,
			     IFP_MLD_MODE_IS_EXCLUDE, groups, n);
	ifp_ip6_mcast_mac(&eth->dst_addr, ifp_ip6_all_mldv2);
	eth->src_addr = pkt->port->mac;
	ifp_mbuf_tx_flags_reset(m);
	m->l2_len = pkt->l2_len;
	m->l3_len = sizeof(struct rte_ipv6_hdr);
	pkt->ip_len = (uint16_t)rlen;
	pkt->l3_len = sizeof(struct rte_ipv6_hdr) + IFP_MLD_HBH_LEN;
	return ifp_v_answer(IFP_ANS_MLD_REPORT);
}

/* an empty mbuf with room for @p len octets, made that long */
static uint8_t *
ifp_nd_frame(struct rte_mbuf *m, uint16_t len)
{
	if (rte_pktmbuf_tailroom(m) < len || m->data_len != 0)
		return NULL;
	m->data_len = len;
	m->pkt_len = len;
	return rte_pktmbuf_mtod(m, uint8_t *);
}

/*
 * In the empty mbuf @p m, the Ethernet and IPv6 headers of a neighbour
 * discovery message of IFP_ND_NA_LEN octets from port @p p, @p src to the
 * group @p dst, hop limit 255. Returns its IPv6 header, or NULL when @p m
 * has too little room.
 */
static struct rte_ipv6_hdr *
ifp_nd_frame6(struct rte_mbuf *m, const struct ifp_port_conf *p,
	      const uint8_t *src, const uint8_t *dst)
{
	const uint16_t len = sizeof(struct rte_ether_hdr) +
			     sizeof(struct rte_ipv6_hdr) + IFP_ND_NA_LEN;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)ifp_nd_frame(m, len);
	struct rte_ipv6_hdr *ip;

	if (eth == NULL)
		return NULL;
	ifp_ip6_mcast_mac(&eth->dst_addr, dst);
	eth->src_addr = p->mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip = (struct rte_ipv6_hdr *)(eth + 1);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = RTE_BE16(IFP_ND_NA_LEN);
	ip->proto = IFP_IP6_ICMP;
	ip->hop_limits = IFP_ND_HOP_LIMIT;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
	return ip;
}

int
ifp_nd_una_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
		 unsigned int idx)
{
	struct rte_ipv6_hdr *ip;

	if (idx >= p->n_addr6 ||
	    (ip = ifp_nd_frame6(m, p, p->addr6[idx].ip, ifp_ip6_all_nodes)) == NULL)
		return -1;
	/* RFC 4861 7.2.6: S clear; O set, so neighbours update their
	 * caches with our MAC */
	ifp_nd_na_write((uint8_t *)(ip + 1), IFP_NA_ROUTER | IFP_NA_OVERRIDE,
			p->addr6[idx].ip, &p->mac);
	ifp_icmp6_cksum_set(ip, (struct rte_icmp_hdr *)(ip + 1), IFP_ND_NA_LEN);
	return 0;
}

int
ifp_nd_ns_build(struct rte_mbuf *m, const struct ifp_port_conf *p,
		const uint8_t *target)
{
	uint8_t snm[16];
	struct rte_ipv6_hdr *ip;

	if (p->n_addr6 == 0 || ifp_ip6_is_mcast(target))
		return -1;
	/* RFC 4861 7.2.2: to the target's solicited-node group (RFC 4291
	 * 2.7.1), from an address of the interface: the one of the
	 * target's scope, which our LPAs will come from; with our
	 * link-layer address, so the answer needs no solicitation of its
	 * own */
	ifp_mld_snm(snm, target + 13);
	ip = ifp_nd_frame6(m, p, ifp_port_addr6_for(p, target)->ip, snm);
	if (ip == NULL)
		return -1;
	ifp_nd_msg_write((uint8_t *)(ip + 1), IFP_ICMP6_NS, 0, target,
			 IFP_ND_OPT_SLLA, &p->mac);
	ifp_icmp6_cksum_set(ip, (struct rte_icmp_hdr *)(ip + 1), IFP_ND_NA_LEN);
	return 0;
}

int
ifp_mld_report_build(struct rte_mbuf *m, const struct ifp_port_conf *p)
{
	uint8_t groups[IFP_MAX_ADDRS6][3];
	struct rte_ether_hdr *eth;
	unsigned int n;
	uint16_t len;
	uint8_t *f;

	if (p->n_addr6 == 0)
		return -1;
	n = ifp_mld_groups(p, groups);
	len = (uint16_t)(sizeof(*eth) + sizeof(struct rte_ipv6_hdr) +
			 IFP_MLD_HBH_LEN + 8 + n * IFP_MLD_RECORD_LEN);
	f = ifp_nd_frame(m, len);
	if (f == NULL)
		return -1;
	eth = (struct rte_ether_hdr *)f;
	ifp_ip6_mcast_mac(&eth->dst_addr, ifp_ip6_all_mldv2);
	eth->src_addr = p->mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ifp_mld_report_write((uint8_t *)(eth + 1), p, IFP_MLD_CHANGE_TO_EXCLUDE,
			     groups, n);
	return 0;
}

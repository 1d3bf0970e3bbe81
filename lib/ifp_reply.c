/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ifp_cksum.h"
#include "ifp_mbuf.h"
#include "ifp_options.h"
#include "ifp_reply.h"

void
ifp_ipv4_reply_prepare(struct ifp_lcore *lc, struct rte_mbuf *m,
		       struct ifp_pkt *pkt)
{
	const bool opts = pkt->l3_len > sizeof(struct rte_ipv4_hdr);

	/* RFC 1122 3.2.2.6: record-route and timestamp options get us; the
	 * header is then summed afresh */
	if (unlikely(opts))
		ifp_ipv4_options_echo(lc, pkt);
	ifp_ipv4_reply_write(m, pkt->eth, pkt->ip, pkt->port, pkt->local->ip,
			     lc->conf->icmp.reply_ttl, pkt->l2_len, pkt->l3_len, opts);
}

int
ifp_ipv6_exthdr_strip(struct rte_mbuf *m, struct ifp_pkt *pkt)
{
	const uint32_t ext = pkt->l3_len - sizeof(struct rte_ipv6_hdr);
	const uint32_t move = pkt->l2_len + sizeof(struct rte_ipv6_hdr);
	char *data;

	if (ext == 0)
		return 0;
	if (m->data_len < move + ext && rte_pktmbuf_linearize(m) < 0)
		return -1;
	data = rte_pktmbuf_mtod(m, char *);
	memmove(data + ext, data, move);
	rte_pktmbuf_adj(m, (uint16_t)ext);
	pkt->eth = (struct rte_ether_hdr *)(data + ext);
	pkt->ip6 = (struct rte_ipv6_hdr *)(data + ext + pkt->l2_len);
	pkt->ip6->proto = pkt->proto;
	pkt->ip_len = (uint16_t)(pkt->ip_len - ext);
	pkt->ip6->payload_len =
		rte_cpu_to_be_16((uint16_t)(pkt->ip_len - sizeof(struct rte_ipv6_hdr)));
	pkt->l3_len = sizeof(struct rte_ipv6_hdr);
	pkt->nh_off = offsetof(struct rte_ipv6_hdr, proto);
	return 0;
}

int
ifp_ipv6_reply_prepare(struct ifp_lcore *lc, struct rte_mbuf *m,
		       struct ifp_pkt *pkt, const uint8_t *src)
{
	if (unlikely(ifp_ipv6_exthdr_strip(m, pkt) < 0))
		return -1;
	ifp_ipv6_reply_write(m, pkt->eth, pkt->ip6, pkt->port, src,
			     lc->conf->icmp6.reply_hop_limit, pkt->l2_len);
	return 0;
}

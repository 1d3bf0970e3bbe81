/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "ifp_cksum.h"
#include "ifp_test.h"

/*
 * the pool's objects live in pool_data: a stack of free mbufs. Each mbuf is
 * an allocation of its own, so that under ASan a read or write past the
 * end of one buffer hits a redzone instead of the next mbuf. As in a real
 * mempool, a struct rte_mempool_objhdr sits right before each object:
 * rte_pktmbuf_detach() reads the object's IOVA from it.
 */
#define TP_HDR_ROOM RTE_CACHE_LINE_SIZE
struct test_store {
	unsigned int n;
	unsigned int top;
	void **free;
	void **mem;
};

static int
tp_alloc(struct rte_mempool *mp)
{
	return 0;
}

static void
tp_free(struct rte_mempool *mp)
{
}

static int
tp_enqueue(struct rte_mempool *mp, void *const *objs, unsigned int n)
{
	struct test_store *s = mp->pool_data;

	if (s->top + n > s->n)
		abort(); /* more returned than handed out: a double free */
	for (unsigned int i = 0; i < n; i++)
		s->free[s->top++] = objs[i];
	return 0;
}

static int
tp_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	struct test_store *s = mp->pool_data;

	if (s->top < n)
		return -ENOBUFS;
	for (unsigned int i = 0; i < n; i++)
		objs[i] = s->free[--s->top];
	return 0;
}

static unsigned int
tp_get_count(const struct rte_mempool *mp)
{
	const struct test_store *s = mp->pool_data;

	return s->top;
}

static struct rte_mempool_ops tp_ops = {
	.name = "ifp_test",
	.alloc = tp_alloc,
	.free = tp_free,
	.enqueue = tp_enqueue,
	.dequeue = tp_dequeue,
	.get_count = tp_get_count,
};

RTE_MEMPOOL_REGISTER_OPS(tp_ops);

struct rte_mempool *
ifp_test_pool_create(unsigned int n, uint16_t room)
{
	size_t hdr = sizeof(struct rte_mempool) +
		     sizeof(struct rte_pktmbuf_pool_private);
	size_t elt = sizeof(struct rte_mbuf) + room;
	struct rte_pktmbuf_pool_private *priv;
	struct rte_mempool *mp;
	struct test_store *s;

	mp = calloc(1, hdr);
	s = calloc(1, sizeof(*s));
	s->n = n;
	s->free = calloc(n, sizeof(void *));
	s->mem = calloc(n, sizeof(void *));
	snprintf(mp->name, sizeof(mp->name), "ifp_test");
	mp->size = n;
	mp->elt_size = (uint32_t)elt;
	mp->private_data_size = sizeof(*priv);
	if (rte_mempool_set_ops_byname(mp, "ifp_test", NULL) != 0)
		abort();
	mp->pool_data = s;
	priv = rte_mempool_get_priv(mp);
	priv->mbuf_data_room_size = room;
	priv->mbuf_priv_size = 0;

	RTE_BUILD_BUG_ON(sizeof(struct rte_mempool_objhdr) > TP_HDR_ROOM);
	for (unsigned int i = 0; i < n; i++) {
		struct rte_mempool_objhdr *oh;
		struct rte_mbuf *m;
		char *base;

		base = aligned_alloc(RTE_CACHE_LINE_SIZE,
				     TP_HDR_ROOM +
					     RTE_ALIGN_CEIL(elt, RTE_CACHE_LINE_SIZE));
		if (base == NULL)
			abort();
		s->mem[i] = base;
		m = (struct rte_mbuf *)(base + TP_HDR_ROOM);
		oh = (struct rte_mempool_objhdr *)((char *)m - sizeof(*oh));
		memset(oh, 0, sizeof(*oh));
		oh->mp = mp;
		oh->iova = (rte_iova_t)(uintptr_t)m;
		memset(m, 0, sizeof(*m));
		m->priv_size = 0;
		m->buf_addr = (char *)m + sizeof(*m);
		rte_mbuf_iova_set(m, (rte_iova_t)(uintptr_t)m->buf_addr);
		m->buf_len = room;
		m->pool = mp;
		m->nb_segs = 1;
		m->port = RTE_MBUF_PORT_INVALID;
		rte_mbuf_refcnt_set(m, 1);
		m->next = NULL;
		s->free[s->top++] = m;
	}
	return mp;
}

void
ifp_test_pool_free(struct rte_mempool *mp)
{
	struct test_store *s = mp->pool_data;

	for (unsigned int i = 0; i < s->n; i++)
		free(s->mem[i]);
	free(s->mem);
	free(s->free);
	free(s);
	free(mp);
}

unsigned int
ifp_test_pool_in_use(const struct rte_mempool *mp)
{
	const struct test_store *s = mp->pool_data;

	return s->n - s->top;
}

struct rte_mbuf *
ifp_test_mbuf(struct rte_mempool *mp, const void *data, uint32_t len,
	      uint32_t seg)
{
	struct rte_mbuf *m = ifp_mbuf_from_frame(mp, data, len, seg);

	if (m == NULL)
		abort(); /* a test pool too small for its test */
	return m;
}

uint32_t
ifp_test_mbuf_read(const struct rte_mbuf *m, void *out, uint32_t max)
{
	uint32_t len = RTE_MIN(m->pkt_len, max);
	const void *p = rte_pktmbuf_read(m, 0, len, out);

	if (p != out)
		memcpy(out, p, len);
	return len;
}

void
ifp_test_conf(struct ifp_conf *c)
{
	ifp_conf_defaults(c);
	c->port[0].present = true;
	memcpy(&c->port[0].mac, IFP_TEST_MAC_US, RTE_ETHER_ADDR_LEN);
	c->port[0].mac_set = true;
	ifp_port_addr_add(&c->port[0], RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 1)), 24);
	ifp_port_addr_add(&c->port[0], RTE_BE32(IFP_TEST_IPV4(192, 0, 2, 9)), 24);
	ifp_port_addr6_add(&c->port[0], (const uint8_t *)IFP_TEST_IP6_US, 64);
	ifp_port_addr6_add(&c->port[0], (const uint8_t *)IFP_TEST_IP6_US2, 64);
	ifp_port_ll_auto(&c->port[0]);
	snprintf(c->port[0].name, sizeof(c->port[0].name), "test0");
}

struct rte_mbuf *
ifp_test_run1(struct ifp_lcore *lc, struct rte_mbuf *m)
{
	struct rte_mbuf *tx[IFP_TX_MAX];
	uint16_t n = ifp_process_burst(lc, &m, 1, tx);

	if (n > 1)
		abort(); /* an answer in fragments: call ifp_process_burst */
	return n == 1 ? tx[0] : NULL;
}

int
ifp_test_only_drop(const struct ifp_stats *st)
{
	int found = -1;

	for (int i = 0; i < IFP_DROP_MAX; i++) {
		if (st->dropped[i] == 0)
			continue;
		if (found >= 0 || st->dropped[i] != 1)
			return -1;
		found = i;
	}
	return found;
}

void
ifp_test_ipv4_cksum_fix(uint8_t *frame, uint32_t l3)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + l3);
	uint32_t ihl = (ip->version_ihl & 0xf) * 4;

	ip->hdr_checksum = 0;
	ip->hdr_checksum = (uint16_t)~rte_raw_cksum(ip, ihl);
}

void
ifp_test_icmp_cksum_fix(uint8_t *frame, uint32_t l3)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + l3);
	uint32_t ihl = (ip->version_ihl & 0xf) * 4;
	uint32_t len = rte_be_to_cpu_16(ip->total_length) - ihl;
	uint8_t *icmp = frame + l3 + ihl;

	icmp[2] = icmp[3] = 0;
	uint16_t ck = (uint16_t)~rte_raw_cksum(icmp, len);
	memcpy(icmp + 2, &ck, 2);
}

void
ifp_test_icmp6_cksum_fix(uint8_t *frame, uint32_t l3, uint32_t l4)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(frame + l3);
	uint32_t len = l3 + sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len) - l4;
	uint8_t *icmp = frame + l4;
	struct {
		rte_be32_t len;
		rte_be32_t proto;
	} ph = {rte_cpu_to_be_32(len), rte_cpu_to_be_32(58)};
	uint32_t sum;
	uint16_t ck;

	icmp[2] = icmp[3] = 0;
	sum = __rte_raw_cksum(ip->src_addr, 32, 0);
	sum = __rte_raw_cksum(&ph, sizeof(ph), sum);
	sum = __rte_raw_cksum(icmp, len, sum);
	ck = (uint16_t)~__rte_raw_cksum_reduce(sum);
	memcpy(icmp + 2, &ck, 2);
}

uint32_t
ifp_test_arp_frame(uint8_t *frame, uint16_t op, const void *dst_mac,
		   const void *sha, rte_be32_t sip, rte_be32_t tip)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);
	const uint32_t len = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;

	memset(frame, 0, len);
	memcpy(&eth->dst_addr, dst_mac, RTE_ETHER_ADDR_LEN);
	memcpy(&eth->src_addr, IFP_TEST_MAC_PEER, RTE_ETHER_ADDR_LEN);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(op);
	memcpy(&arp->arp_data.arp_sha, sha, RTE_ETHER_ADDR_LEN);
	memcpy(&arp->arp_data.arp_sip, &sip, 4);
	memcpy(&arp->arp_data.arp_tip, &tip, 4);
	return len;
}

uint32_t
ifp_test_echo6_frame(uint8_t *frame, uint16_t seq, const void *data,
		     uint32_t n)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);

	memset(frame, 0, sizeof(*eth) + sizeof(*ip) + sizeof(*icmp));
	memcpy(&eth->dst_addr, IFP_TEST_MAC_US, 6);
	memcpy(&eth->src_addr, IFP_TEST_MAC_PEER, 6);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(sizeof(*icmp) + n));
	ip->proto = 58;
	ip->hop_limits = 64;
	memcpy(ip->src_addr, IFP_TEST_IP6_PEER, 16);
	memcpy(ip->dst_addr, IFP_TEST_IP6_US, 16);
	icmp->icmp_type = 128;
	icmp->icmp_ident = RTE_BE16(0x4242);
	icmp->icmp_seq_nb = rte_cpu_to_be_16(seq);
	memcpy(icmp + 1, data, n);
	ifp_test_icmp6_cksum_fix(frame, sizeof(*eth), sizeof(*eth) + sizeof(*ip));
	return sizeof(*eth) + sizeof(*ip) + sizeof(*icmp) + n;
}

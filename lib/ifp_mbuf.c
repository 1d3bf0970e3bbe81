/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "ifp_mbuf.h"

void
ifp_mbuf_trim_to(struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *seg = m;
	uint32_t left = len;

	if (m->pkt_len <= len)
		return;
	while (seg->data_len < left) {
		left -= seg->data_len;
		seg = seg->next;
	}
	seg->data_len = (uint16_t)left;
	if (seg->next != NULL) {
		uint16_t nb = 0;

		for (struct rte_mbuf *s = m; s != seg->next; s = s->next)
			nb++;
		rte_pktmbuf_free(seg->next);
		seg->next = NULL;
		m->nb_segs = nb;
	}
	m->pkt_len = len;
}

struct rte_mbuf *
ifp_mbuf_from_frame(struct rte_mempool *mp, const void *data, uint32_t len,
		    uint32_t seg)
{
	struct rte_mbuf *head = NULL, *tail = NULL;
	uint32_t off = 0;

	do {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		uint32_t chunk;

		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		chunk = RTE_MIN((uint32_t)rte_pktmbuf_tailroom(m), len - off);
		if (seg)
			chunk = RTE_MIN(chunk, seg);
		memcpy(rte_pktmbuf_append(m, (uint16_t)chunk),
		       (const char *)data + off, chunk);
		off += chunk;
		if (head == NULL) {
			head = m;
		} else {
			tail->next = m;
			head->nb_segs++;
			head->pkt_len += chunk;
		}
		tail = m;
	} while (off < len);
	head->port = 0;
	return head;
}

struct rte_mbuf *
ifp_mbuf_tx_single(struct rte_mbuf *m, struct rte_mempool *mp)
{
	struct rte_mbuf *c;

	if (mp == NULL)
		mp = m->pool;
	if (ifp_mbuf_tx_contract(m, mp) == NULL)
		return m;
	if (m->pkt_len > (uint32_t)(rte_pktmbuf_data_room_size(mp) - RTE_PKTMBUF_HEADROOM))
		return NULL;
	c = rte_pktmbuf_copy(m, mp, 0, UINT32_MAX);
	if (c == NULL)
		return NULL;
	rte_pktmbuf_free(m);
	return c;
}

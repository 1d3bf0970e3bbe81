/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_mbuf.h>

#include "ifp_announce.h"
#include "ifp_arp.h"

uint16_t
ifp_announce_build(const struct ifp_port_conf *p, uint16_t port_id,
		   struct rte_mempool *mp, struct rte_mbuf **out)
{
	uint16_t n = 0;

	/* RFC 5227 3: announce every address we start using */
	for (unsigned int i = 0; i < p->n_addr && n < IFP_ANNOUNCE_MAX; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

		if (m == NULL)
			break;
		if (ifp_garp_build(m, p, p->addr[i].ip) < 0) {
			rte_pktmbuf_free(m);
			continue;
		}
		m->port = port_id;
		out[n++] = m;
	}
	return n;
}

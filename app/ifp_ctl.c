/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_errno.h>
#include <rte_ring.h>

#include "ifp_announce.h"
#include "ifp_ctl.h"

static struct {
	struct rte_ring *ring;
	uint64_t lost; /* main lcore only */
} ctl;

struct rte_ring *
ifp_ctl_create(int socket)
{
	ctl.ring = rte_ring_create("ifp_ctl", IFP_CTL_RING_SIZE, socket,
				   RING_F_SP_ENQ | RING_F_SC_DEQ);
	return ctl.ring;
}

void
ifp_ctl_send(struct rte_mbuf *m)
{
	if (ctl.ring == NULL || rte_ring_sp_enqueue(ctl.ring, m) != 0) {
		rte_pktmbuf_free(m);
		ctl.lost++;
	}
}

unsigned int
ifp_ctl_port_up(uint16_t port, const struct ifp_port_conf *p,
		struct rte_mempool *mp)
{
	struct rte_mbuf *m[IFP_ANNOUNCE_MAX];
	uint16_t n = ifp_announce_build(p, port, mp, m);

	for (uint16_t i = 0; i < n; i++)
		ifp_ctl_send(m[i]);
	return n;
}

uint64_t
ifp_ctl_lost(void)
{
	return ctl.lost;
}

void
ifp_ctl_free(void)
{
	void *m;

	if (ctl.ring == NULL)
		return;
	while (rte_ring_sc_dequeue(ctl.ring, &m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(ctl.ring);
	ctl.ring = NULL;
}

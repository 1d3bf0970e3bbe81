/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_spinlock.h>

#include "ifp_link.h"

#define IFP_LOG(level, fmt, ...)                                               \
	RTE_LOG(level, USER1, "icmpfp: " fmt "\n", ##__VA_ARGS__)

static struct {
	/* the interrupt thread, the main lcore and telemetry all come here */
	rte_spinlock_t lock;
	struct ifp_link_state port[RTE_MAX_ETHPORTS];
} lk = {
    .lock = RTE_SPINLOCK_INITIALIZER,
};

bool
ifp_link_has_lsc(uint16_t port)
{
	struct rte_eth_dev_info info;

	return rte_eth_dev_info_get(port, &info) == 0 &&
	       info.dev_flags != NULL &&
	       (*info.dev_flags & RTE_ETH_DEV_INTR_LSC);
}

/* Compare with what was known, log and count a change. */
static void
link_update(uint16_t port)
{
	struct ifp_link_state *s = &lk.port[port];
	struct rte_eth_link link;
	char str[RTE_ETH_LINK_MAX_STR_LEN];
	bool changed;

	if (rte_eth_link_get_nowait(port, &link) != 0)
		return;
	rte_spinlock_lock(&lk.lock);
	changed = s->watched && link.link_status != s->link.link_status;
	if (changed) {
		if (link.link_status)
			s->up_events++;
		else
			s->down_events++;
	}
	if (s->watched)
		s->link = link;
	rte_spinlock_unlock(&lk.lock);
	if (changed) {
		rte_eth_link_to_str(str, sizeof(str), &link);
		IFP_LOG(NOTICE, "port %u: link %s: %s", port,
			link.link_status ? "up" : "down", str);
	}
}

static int
on_lsc(uint16_t port, enum rte_eth_event_type type, void *arg, void *ret)
{
	(void)type;
	(void)arg;
	(void)ret;
	if (port < RTE_MAX_ETHPORTS)
		link_update(port);
	return 0;
}

void
ifp_link_watch(uint16_t port, const char *profile)
{
	struct ifp_link_state *s = &lk.port[port];
	struct rte_eth_link link = {0};

	rte_eth_link_get_nowait(port, &link);
	rte_spinlock_lock(&lk.lock);
	s->link = link;
	s->watched = true;
	s->lsc = ifp_link_has_lsc(port);
	snprintf(s->profile, sizeof(s->profile), "%s", profile);
	rte_spinlock_unlock(&lk.lock);
	if (s->lsc && rte_eth_dev_callback_register(
			  port, RTE_ETH_EVENT_INTR_LSC, on_lsc, NULL) != 0)
		s->lsc = false;
}

void
ifp_link_poll(void)
{
	/* ports with interrupts too: a missed or coalesced interrupt must not
	 * leave a change uncounted (the comparison makes each count once) */
	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (lk.port[p].watched)
			link_update(p);
}

void
ifp_link_events(void (*cb)(uint16_t port, bool up, void *arg), void *arg)
{
	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct ifp_link_state *s = &lk.port[p];
		bool down, up;

		if (!s->watched)
			continue;
		rte_spinlock_lock(&lk.lock);
		down = s->down_events != s->down_taken;
		up = s->up_events != s->up_taken;
		s->down_taken = s->down_events;
		s->up_taken = s->up_events;
		rte_spinlock_unlock(&lk.lock);
		if (down)
			cb(p, false, arg);
		if (up)
			cb(p, true, arg);
	}
}

int
ifp_link_get(uint16_t port, struct ifp_link_state *out)
{
	int rc = 0;

	if (port >= RTE_MAX_ETHPORTS)
		return -ENOENT;
	rte_spinlock_lock(&lk.lock);
	if (lk.port[port].watched)
		*out = lk.port[port];
	else
		rc = -ENOENT;
	rte_spinlock_unlock(&lk.lock);
	return rc;
}

void
ifp_link_unwatch(void)
{
	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++) {
		if (!lk.port[p].watched)
			continue;
		if (lk.port[p].lsc)
			rte_eth_dev_callback_unregister(
			    p, RTE_ETH_EVENT_INTR_LSC, on_lsc, NULL);
		rte_spinlock_lock(&lk.lock);
		lk.port[p].watched = false;
		rte_spinlock_unlock(&lk.lock);
	}
}

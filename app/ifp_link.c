/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_spinlock.h>

#include "ifp_link.h"
#include "ifp_log.h"

static struct {
	/* the interrupt thread, the main lcore and telemetry all come here */
	rte_spinlock_t lock;
	struct ifp_link_state port[RTE_MAX_ETHPORTS];
	/* kernel interface of an af_packet port (0: none), and a socket to
	 * ask the kernel about it */
	unsigned int kernel_if[RTE_MAX_ETHPORTS];
	int ioctl_fd;
	unsigned int polls;
} lk = {
    .lock = RTE_SPINLOCK_INITIALIZER,
    .ioctl_fd = -1,
};

/*
 * DPDK 22.11's af_packet PMD reports its link up from start to stop,
 * whatever the interface it is bound to does (later DPDK reads the
 * interface's IFF_RUNNING). icmpfp asks the kernel itself: a veth or NIC
 * under af_packet that loses its carrier, or is set down, is down.
 */
static void
kernel_link(uint16_t port, struct rte_eth_link *link)
{
	struct ifreq ifr = {0};

	if (lk.kernel_if[port] == 0 || lk.ioctl_fd < 0 ||
	    if_indextoname(lk.kernel_if[port], ifr.ifr_name) == NULL ||
	    ioctl(lk.ioctl_fd, SIOCGIFFLAGS, &ifr) < 0)
		return;
	link->link_status = (ifr.ifr_flags & IFF_RUNNING) ? RTE_ETH_LINK_UP
							  : RTE_ETH_LINK_DOWN;
}

bool
ifp_link_kernel_is_polled(uint16_t port)
{
	return port < RTE_MAX_ETHPORTS && lk.kernel_if[port] != 0;
}

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
	kernel_link(port, &link);
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
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port, &info) == 0 &&
	    strcmp(info.driver_name, "net_af_packet") == 0 && info.if_index != 0) {
		if (lk.ioctl_fd < 0)
			lk.ioctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		lk.kernel_if[port] = info.if_index;
	}
	rte_eth_link_get_nowait(port, &link);
	kernel_link(port, &link);
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
	/* ports with interrupts too, every IFP_LINK_POLL_LSC_EVERY polls: a
	 * missed or coalesced interrupt must not leave a change uncounted
	 * (the comparison makes each count once) */
	bool all = lk.polls++ % IFP_LINK_POLL_LSC_EVERY == 0;

	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (lk.port[p].watched && (all || !lk.port[p].lsc))
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
		lk.kernel_if[p] = 0;
	}
	if (lk.ioctl_fd >= 0)
		close(lk.ioctl_fd);
	lk.ioctl_fd = -1;
}

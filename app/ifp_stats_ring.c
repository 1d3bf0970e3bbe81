/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_ring_elem.h>
#include <rte_spinlock.h>

#include "ifp_stats_ring.h"

/* a second of snapshots at the default period: the main lcore may stall a
 * while (a reload, a slow terminal) without losing freshness */
#define IFP_STATS_RING_SIZE 128
#define IFP_STATS_DRAIN_MAX 16

static struct {
	/* taken by the main lcore to fold, by the telemetry thread to read */
	rte_spinlock_t lock;
	struct rte_ring *ring[RTE_MAX_LCORE];
	struct ifp_stats_snap latest[RTE_MAX_LCORE];
	struct ifp_stats total;
	unsigned int lines;
} sr = {
    .lock = RTE_SPINLOCK_INITIALIZER,
};

int
ifp_stats_ring_create(unsigned int lcore, struct ifp_stats_pub *pub)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	if (lcore >= RTE_MAX_LCORE)
		return -EINVAL;
	snprintf(name, sizeof(name), "ifp_stats_%u", lcore);
	r = rte_ring_create_elem(
	    name, sizeof(struct ifp_stats_snap), IFP_STATS_RING_SIZE,
	    (int)rte_lcore_to_socket_id(lcore), RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (r == NULL)
		return -rte_errno;
	memset(pub, 0, sizeof(*pub));
	pub->ring = r;
	pub->period = rte_get_tsc_hz() / 1000 * IFP_STATS_PUBLISH_MS;
	sr.ring[lcore] = r;
	return 0;
}

void
ifp_stats_ring_publish(struct ifp_stats_pub *pub, const struct ifp_stats *st,
		       uint64_t tsc)
{
	struct ifp_stats_snap snap;

	snap.tsc = tsc;
	snap.seq = pub->seq++;
	snap.lost = pub->lost;
	snap.st = *st;
	if (rte_ring_sp_enqueue_elem(pub->ring, &snap, sizeof(snap)) != 0)
		pub->lost++;
	pub->next = tsc + pub->period;
}

void
ifp_stats_ring_drain(void)
{
	struct ifp_stats_snap snap[IFP_STATS_DRAIN_MAX];
	struct ifp_stats total;
	bool changed = false;

	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		unsigned int n, got = 0;

		if (sr.ring[l] == NULL)
			continue;
		/* only the newest matters: the others are older sums */
		do {
			n = rte_ring_sc_dequeue_burst_elem(sr.ring[l], snap,
							   sizeof(snap[0]),
							   RTE_DIM(snap), NULL);
			if (n > 0)
				got = n;
		} while (n == RTE_DIM(snap));
		if (got == 0)
			continue;
		rte_spinlock_lock(&sr.lock);
		sr.latest[l] = snap[got - 1];
		rte_spinlock_unlock(&sr.lock);
		changed = true;
	}
	if (!changed)
		return;
	memset(&total, 0, sizeof(total));
	rte_spinlock_lock(&sr.lock);
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		if (sr.ring[l] != NULL)
			ifp_stats_fold(&total, &sr.latest[l].st);
	sr.total = total;
	rte_spinlock_unlock(&sr.lock);
}

void
ifp_stats_ring_total(struct ifp_stats *out)
{
	rte_spinlock_lock(&sr.lock);
	*out = sr.total;
	rte_spinlock_unlock(&sr.lock);
}

bool
ifp_stats_ring_has(unsigned int lcore)
{
	return lcore < RTE_MAX_LCORE && sr.ring[lcore] != NULL;
}

int
ifp_stats_ring_lcore(unsigned int lcore, struct ifp_stats_snap *out)
{
	if (!ifp_stats_ring_has(lcore))
		return -ENOENT;
	rte_spinlock_lock(&sr.lock);
	*out = sr.latest[lcore];
	rte_spinlock_unlock(&sr.lock);
	return 0;
}

/* answers of each class (ifp_answer_class) in @p s */
static void
console_classes(const struct ifp_stats *s, uint64_t out[3])
{
	out[0] = out[1] = out[2] = 0;
	for (unsigned int i = 0; i < IFP_ANS_MAX; i++)
		out[ifp_answer_class(i)] += s->answers[i];
}

/*
 * @p pps in the unit that shows it: "40", "12.3k", "1.25M" (a lab's 40
 * frames a second read 0.000 in Mpps).
 */
static void
console_rate(char *out, size_t len, double pps)
{
	if (pps < 999.5)
		snprintf(out, len, "%.0f", pps);
	else if (pps < 999.5e3)
		snprintf(out, len, "%.1fk", pps / 1e3);
	else
		snprintf(out, len, "%.2fM", pps / 1e6);
}

void
ifp_stats_ring_console(FILE *f, struct ifp_stats *prev, double secs)
{
	struct ifp_stats now;
	uint64_t drx, dcyc, cls_now[3], cls_prev[3];
	char rx[16], tx[16], stamp[16];
	time_t t = time(NULL);
	struct tm tm;

	ifp_stats_ring_total(&now);
	/* about 100 columns: the answers by class, every kind of each is one
	 * telemetry command away (/icmpfp/stats) */
	if (sr.lines++ % 20 == 0)
		fprintf(f, "%8s %9s %9s %9s %9s %9s %9s %11s %11s %7s\n", "time",
			"rx/s", "tx/s", "replies", "errors", "arp/nd", "dropped",
			"ratelimited", "cyc/pkt", "busy%");
	drx = now.rx - prev->rx;
	dcyc = now.busy_cycles - prev->busy_cycles;
	console_classes(&now, cls_now);
	console_classes(prev, cls_prev);
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	console_rate(rx, sizeof(rx), (double)drx / secs);
	console_rate(tx, sizeof(tx), (double)(now.tx - prev->tx) / secs);
	fprintf(f, "%8s %9s %9s", stamp, rx, tx);
	fprintf(f, " %9" PRIu64 " %9" PRIu64 " %9" PRIu64,
		cls_now[IFP_ANS_CLASS_REPLY] - cls_prev[IFP_ANS_CLASS_REPLY],
		cls_now[IFP_ANS_CLASS_ERROR] - cls_prev[IFP_ANS_CLASS_ERROR],
		cls_now[IFP_ANS_CLASS_NEIGHBOR] - cls_prev[IFP_ANS_CLASS_NEIGHBOR]);
	fprintf(f, " %9" PRIu64 " %11" PRIu64 " %11.1f %6.1f%%\n",
		ifp_stats_dropped_total(&now) - ifp_stats_dropped_total(prev),
		now.ratelimited - prev->ratelimited,
		drx ? (double)dcyc / (double)drx : 0.0,
		dcyc + now.idle_cycles - prev->idle_cycles
		    ? 100.0 * (double)dcyc /
			  (double)(dcyc + now.idle_cycles - prev->idle_cycles)
		    : 0.0);
	fflush(f);
	*prev = now;
}

void
ifp_stats_ring_free(void)
{
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		rte_ring_free(sr.ring[l]);
		sr.ring[l] = NULL;
	}
}

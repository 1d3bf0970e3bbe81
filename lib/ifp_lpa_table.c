/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include "ifp_lpa_table.h"

const char *
ifp_lpa_state_name(enum ifp_lpa_state s)
{
	static const char *const names[] = {
		[IFP_LPA_UNHEARD] = "unheard",
		[IFP_LPA_UP] = "up",
		[IFP_LPA_DOWN] = "down",
		[IFP_LPA_SILENT] = "silent",
	};

	return (unsigned int)s < RTE_DIM(names) ? names[s] : "unknown";
}

void
ifp_lpa_table_init(struct ifp_lpa_table *t)
{
	memset(t, 0, sizeof(*t));
}

static bool
ipx_equal(const struct ifp_ipx *a, const struct ifp_ipx *b)
{
	if (a->v6 != b->v6)
		return false;
	return a->v6 ? memcmp(a->ip6, b->ip6, 16) == 0 : a->ip4 == b->ip4;
}

/* A slot for a new modem: a free one, or the one silent longest. */
static struct ifp_lpa_modem *
table_slot(struct ifp_lpa_table *t, ifp_lpa_change_fn fn, void *arg)
{
	struct ifp_lpa_modem *old = NULL;

	if (t->n < IFP_LPA_MODEMS_MAX)
		return &t->m[t->n++];
	for (uint32_t i = 0; i < t->n; i++)
		if (t->m[i].state == IFP_LPA_SILENT &&
		    (old == NULL || t->m[i].last_ns < old->last_ns))
			old = &t->m[i];
	if (old == NULL)
		return NULL;
	old->state = IFP_LPA_UNHEARD;
	if (fn != NULL)
		fn(old, IFP_LPA_SILENT, arg);
	t->evicted++;
	return old;
}

static void
set_state(struct ifp_lpa_modem *m, enum ifp_lpa_state s, ifp_lpa_change_fn fn,
	  void *arg)
{
	enum ifp_lpa_state old = m->state;

	if (old == s)
		return;
	m->state = (uint8_t)s;
	m->changes++;
	if (fn != NULL)
		fn(m, old, arg);
}

int
ifp_lpa_table_apply(struct ifp_lpa_table *t, const struct ifp_lpa_heard *h,
		    uint64_t hold_ns, ifp_lpa_change_fn fn, void *arg)
{
	const struct ifp_lpa_block *b = &h->b;
	struct ifp_lpa_modem *m = NULL;
	unsigned int dir;

	for (uint32_t i = 0; i < t->n; i++) {
		if (t->m[i].id == b->modem_id && ipx_equal(&t->m[i].src, &h->src)) {
			m = &t->m[i];
			break;
		}
	}
	if (m == NULL) {
		/* silent modems are forgotten only when room is needed;
		 * before, one silent past hold is brought up to date */
		ifp_lpa_table_tick(t, h->rx_ns, hold_ns, fn, arg);
		m = table_slot(t, fn, arg);
		if (m == NULL) {
			t->refused++;
			return -1;
		}
		memset(m, 0, sizeof(*m));
		m->src = h->src;
		m->id = b->modem_id;
		m->first_ns = h->rx_ns;
	} else if (h->rx_ns < m->last_ns) {
		t->stale++;
		return 0;
	}
	t->blocks++;
	m->port = h->port;
	m->mtu = b->mtu;
	m->if_flags = b->if_flags;
	m->modem_ip = b->modem_ip;
	m->last_ns = h->rx_ns;
	m->count++;
	/* the rates of a bidirectional link hold both ways; else the
	 * direction flag says which way (set: out of the modem onto its
	 * link) */
	dir = (b->if_flags & IFP_LPA_IF_OUT) ? IFP_LPA_DIR_OUT : IFP_LPA_DIR_IN;
	for (unsigned int d = 0; d < 2; d++) {
		if (d != dir && !(b->if_flags & IFP_LPA_IF_BIDIR))
			continue;
		m->rate[d][0] = b->rate_cur;
		m->rate[d][1] = b->rate_min;
		m->rate[d][2] = b->rate_max;
		m->dirs |= (uint8_t)(1u << d);
	}
	set_state(m, (b->if_flags & IFP_LPA_IF_UP) ? IFP_LPA_UP : IFP_LPA_DOWN,
		  fn, arg);
	return 0;
}

void
ifp_lpa_table_tick(struct ifp_lpa_table *t, uint64_t now_ns, uint64_t hold_ns,
		   ifp_lpa_change_fn fn, void *arg)
{
	for (uint32_t i = 0; i < t->n; i++) {
		struct ifp_lpa_modem *m = &t->m[i];

		/* "silent for hold seconds": at hold, not after it */
		if ((m->state == IFP_LPA_UP || m->state == IFP_LPA_DOWN) &&
		    now_ns >= m->last_ns && now_ns - m->last_ns >= hold_ns)
			set_state(m, IFP_LPA_SILENT, fn, arg);
	}
}

static int
view_cmp(const void *a, const void *b)
{
	const struct ifp_lpa_view_modem *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

void
ifp_lpa_view_build(const struct ifp_lpa_table *t, struct ifp_lpa_view *v)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->n; i++) {
		const struct ifp_lpa_modem *m = &t->m[i];

		if (m->state == IFP_LPA_UNHEARD)
			continue;
		v->m[n].id = m->id;
		v->m[n].up = m->state == IFP_LPA_UP;
		v->m[n].mtu = v->m[n].up ? m->mtu : 0;
		n++;
	}
	qsort(v->m, n, sizeof(v->m[0]), view_cmp);
	/* one entry per Modem ID: up when any source says up, the smallest
	 * MTU given among those up */
	v->n = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct ifp_lpa_view_modem *last = v->n ? &v->m[v->n - 1] : NULL;
		const struct ifp_lpa_view_modem *e = &v->m[i];

		if (last == NULL || last->id != e->id) {
			v->m[v->n++] = *e;
			continue;
		}
		if (e->up && (!last->up || (e->mtu != 0 && (last->mtu == 0 ||
							     e->mtu < last->mtu))))
			last->mtu = e->mtu;
		last->up |= e->up;
	}
}

bool
ifp_lpa_view_equal(const struct ifp_lpa_view *a, const struct ifp_lpa_view *b)
{
	return a->n == b->n &&
	       memcmp(a->m, b->m, a->n * sizeof(a->m[0])) == 0;
}

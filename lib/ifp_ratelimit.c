/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_random.h>

#include "ifp_ratelimit.h"

#define NS_PER_SEC 1000000000ull
/* no tolerance beyond this: keeps every sum below 2^64 */
#define IFP_RL_TAU_MAX (UINT64_MAX / 4)
/* The echo bucket holds a tenth of a second of its rate (at least one
 * reply): [ratelimit] has no echo_burst, and a ping -f must not get
 * a whole second's worth at once. */
#define IFP_RL_ECHO_BURST_DIV 10

int
ifp_rl_init(struct ifp_rl *rl, unsigned int n_lcores)
{
	if (n_lcores == 0)
		return -EINVAL;
	memset(rl, 0, sizeof(*rl));
	rl->n_lcores = n_lcores;
	rl->seed = (uint32_t)rte_rand();
	return 0;
}

void
ifp_rl_seed_set(struct ifp_rl *rl, uint32_t seed)
{
	rl->seed = seed;
}

void
ifp_rl_rate_update(struct ifp_rl_rate *r, uint32_t per_sec, uint32_t burst,
		   unsigned int share)
{
	uint64_t t;

	if (likely(r->per_sec == per_sec && r->burst == burst))
		return;
	r->per_sec = per_sec;
	r->burst = burst;
	if (per_sec == 0) {
		r->t_ns = 0;
		r->tau_ns = 0;
		return;
	}
	/* round T up: never more than the configured rate */
	t = (NS_PER_SEC * share + per_sec - 1) / per_sec;
	r->t_ns = t;
	burst = RTE_MAX(burst, 1u);
	r->tau_ns = (uint64_t)(burst - 1) > IFP_RL_TAU_MAX / t
			? IFP_RL_TAU_MAX
			: (uint64_t)(burst - 1) * t;
}

/* The way of @p s holding @p src, or the one to recycle for it. */
static unsigned int
ifp_rl_way(struct ifp_rl *rl, struct ifp_rl_set *s, uint64_t src,
	   uint64_t now)
{
	unsigned int w, victim = 0;
	uint64_t victim_tat = UINT64_MAX;

	for (w = 0; w < IFP_RL_WAYS; w++) {
		uint64_t tat;

		if (s->src[w] == src)
			return w;
		/* the fullest buckets are the cheapest to forget */
		tat = RTE_MAX(s->tat[w][0], s->tat[w][1]);
		if (tat < victim_tat) {
			victim_tat = tat;
			victim = w;
		}
	}
	/* a bucket whose TAT is past is full: forgetting it is lossless */
	if (victim_tat > now)
		rl->src_evictions++;
	s->src[victim] = src;
	s->tat[victim][0] = 0;
	s->tat[victim][1] = 0;
	return victim;
}

static bool
ifp_rl_error_allow(struct ifp_rl *rl, const struct ifp_ratelimit_conf *c,
		   enum ifp_rl_kind k, uint64_t src, uint64_t now)
{
	unsigned int b = k == IFP_RL_PMTU ? 1 : 0;
	struct ifp_rl_set *s;
	uint64_t next_g, next_s;
	unsigned int w;

	ifp_rl_rate_update(&rl->errors, c->errors_per_sec, c->errors_burst,
			   rl->n_lcores);
	ifp_rl_rate_update(&rl->per_source, c->per_source_per_sec,
			   c->per_source_burst, 1);

	if (!ifp_rl_conforms(rl->tat_errors, &rl->errors, now, &next_g))
		return false;
	if (rl->per_source.t_ns != 0) {
		s = &rl->set[ifp_rl_set_of(rl, src)];
		w = ifp_rl_way(rl, s, src, now);
		if (!ifp_rl_conforms(s->tat[w][b], &rl->per_source, now,
				     &next_s))
			return false;
		s->tat[w][b] = next_s;
	}
	/* taken from the global bucket only once the source's allowed it:
	 * a limited source must not eat everybody's tokens */
	rl->tat_errors = next_g;
	return true;
}

bool
ifp_rl_allow_slow(struct ifp_rl *rl, const struct ifp_ratelimit_conf *c,
		  enum ifp_rl_kind k, uint64_t src, uint64_t now_ns)
{
	uint64_t next;

	switch (k) {
	case IFP_RL_ECHO:
		ifp_rl_rate_update(&rl->echo, c->echo_per_sec,
				   RTE_MAX(c->echo_per_sec / rl->n_lcores /
					       IFP_RL_ECHO_BURST_DIV,
					   1u),
				   rl->n_lcores);
		if (!ifp_rl_conforms(rl->tat_echo, &rl->echo, now_ns, &next))
			return false;
		rl->tat_echo = next;
		return true;
	case IFP_RL_ERROR:
	case IFP_RL_PMTU:
		return ifp_rl_error_allow(rl, c, k, src, now_ns);
	}
	return false;
}

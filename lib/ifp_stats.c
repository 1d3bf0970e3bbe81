/* SPDX-License-Identifier: BSD-3-Clause */
#include "ifp_stats.h"

static const char *const drop_names[IFP_DROP_MAX] = {
#define IFP_X_NAME(e, s) [IFP_DROP_##e] = s,
	IFP_DROP_REASONS(IFP_X_NAME)
#undef IFP_X_NAME
};

static const char *const answer_names[IFP_ANS_MAX] = {
#define IFP_X_NAME(e, s, c) [IFP_ANS_##e] = s,
	IFP_ANSWER_KINDS(IFP_X_NAME)
#undef IFP_X_NAME
};

static const enum ifp_answer_class answer_classes[IFP_ANS_MAX] = {
#define IFP_X_CLASS(e, s, c) [IFP_ANS_##e] = IFP_ANS_CLASS_##c,
	IFP_ANSWER_KINDS(IFP_X_CLASS)
#undef IFP_X_CLASS
};

const char *
ifp_drop_name(enum ifp_drop r)
{
	return (unsigned int)r < IFP_DROP_MAX ? drop_names[r] : "unknown";
}

const char *
ifp_answer_name(enum ifp_answer a)
{
	return (unsigned int)a < IFP_ANS_MAX ? answer_names[a] : "unknown";
}

enum ifp_answer_class
ifp_answer_class(enum ifp_answer a)
{
	return (unsigned int)a < IFP_ANS_MAX ? answer_classes[a] : IFP_ANS_CLASS_REPLY;
}

uint64_t
ifp_stats_dropped_total(const struct ifp_stats *s)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < IFP_DROP_MAX; i++)
		sum += s->dropped[i];
	return sum;
}

void
ifp_stats_fold(struct ifp_stats *dst, const struct ifp_stats *src)
{
	const uint64_t *s = (const uint64_t *)src;
	uint64_t *d = (uint64_t *)dst;

	/* struct ifp_stats is nothing but uint64_t counters */
	for (unsigned int i = 0; i < sizeof(*src) / sizeof(uint64_t); i++)
		d[i] += s[i];
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [policy] of the config (docs/policy.md): who gets which answer. The
 * lines are read by lib/ifp_policy (ifp_policy_entry()); this file hands
 * them over, prefixes FILE:LINE to its refusals, builds the policy the
 * workers use and frees it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ifp_config.h"
#include "ifp_config_int.h"
#include "ifp_policy.h"

static int
cfg_policy_entry(struct ifp_ini *x, const char *key, const char *value)
{
	struct ifp_cfg_load *l = x->user;
	struct ifp_conf *c = l->c;
	char why[IFP_INI_LINE_MAX];

	if (c->policy_conf == NULL) {
		c->policy_conf = malloc(sizeof(*c->policy_conf));
		if (c->policy_conf == NULL)
			return ifp_ini_error(x, "out of memory");
		ifp_policy_conf_init(c->policy_conf);
	}
	if (ifp_policy_entry(c->policy_conf, key, value, (uint32_t)x->line, why,
			     sizeof(why)) < 0)
		return ifp_ini_error(x, "%s", why);
	return 0;
}

const struct ifp_ini_section ifp_cfg_policy_section = {
	.name = "policy",
	.keys = NULL, /* the keys are rules */
	.entry = cfg_policy_entry,
	.reloads = true,
	.help = "SOURCE [to ADDRESS] KINDS = allow | deny | rate N/s [burst B]",
};

int
ifp_cfg_policy_check(struct ifp_ini *x, const struct ifp_conf *c)
{
	char why[IFP_INI_LINE_MAX];
	uint32_t line = 0;

	if (c->policy_conf == NULL)
		return 0;
	if (ifp_policy_finish(c->policy_conf, ifp_policy_own_conf, c, &line, why,
			      sizeof(why)) < 0)
		return ifp_ini_error_at(x, (int)line, "%s", why);
	return 0;
}

int
ifp_config_policy_build(struct ifp_conf *c, const char *path, const char *name,
			int socket, unsigned int n_workers, char *err,
			size_t errlen)
{
	c->policy = NULL;
	if (c->policy_conf == NULL)
		return 0;
	return ifp_policy_build(c->policy_conf, path, name, socket, n_workers,
				&c->policy, err, errlen);
}

void
ifp_config_free(struct ifp_conf *c)
{
	ifp_policy_free(c->policy);
	c->policy = NULL;
	if (c->policy_conf != NULL) {
		ifp_policy_conf_free(c->policy_conf);
		free(c->policy_conf);
		c->policy_conf = NULL;
	}
}

void
ifp_config_policy_print(const struct ifp_conf *c, FILE *f)
{
	const struct ifp_policy_conf *pc = c->policy_conf;

	if (pc == NULL)
		return;
	fprintf(f, "[policy]\ndefault = %s\n",
		ifp_policy_action_name((enum ifp_policy_action)pc->def));
	for (uint32_t i = 0; i < pc->n_rules; i++) {
		char buf[IFP_INI_LINE_MAX];

		ifp_policy_rule_str(&pc->rule[i], buf, sizeof(buf));
		fprintf(f, "%u: %s\n", pc->rule[i].line, buf);
	}
}

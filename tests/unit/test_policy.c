/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The answer policy, [policy] (lib/ifp_policy.h, docs/policy.md): the
 * parser and each of its refusals at its line; the kinds, `*` and the
 * answer kinds' mapping; then the built policy (rte_acl, so EAL: the
 * suites that build start it, --no-huge, and remove its runtime directory
 * when they end): first match wins, `to`, both families, the rate bucket,
 * the counters, and 10,000 random rules against the linear reference.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_random.h>

#include "ifp_policy.h"
#include "policy_gen.h"

#define MS 1000000ull
#define SEC 1000000000ull
/* a wall clock in 2026, so nothing works only near 0 */
#define T0 (1795000000ull * SEC)

/* ---- helpers ---- */

static struct ifp_policy_conf pc;
static struct ifp_policy *pol;
static char err[512];

static void
conf_fresh(void)
{
	ifp_policy_conf_init(&pc);
	pol = NULL;
}

static void
conf_done(void)
{
	ifp_policy_free(pol);
	ifp_policy_conf_free(&pc);
}

/* EAL for the suites that build a policy (rte_acl) */
static void
built_up(void)
{
	cr_assert_geq(ifp_pgen_eal_init("test_policy", "ifp-test-policy", "256"), 0,
		      "EAL");
	conf_fresh();
}

static void
built_down(void)
{
	conf_done();
	ifp_pgen_eal_fini();
}

/*
 * Feed @p lines ("key = value", NULL-terminated) to the section as lines
 * 1, 2, ...; the line of the first refusal, 0 when all are taken.
 */
static uint32_t
feed(const char *const *lines)
{
	for (uint32_t i = 0; lines[i] != NULL; i++) {
		char key[256], *eq;
		const char *value;

		snprintf(key, sizeof(key), "%s", lines[i]);
		eq = strstr(key, " = ");
		cr_assert_not_null(eq, "test line '%s' has no ' = '", lines[i]);
		*eq = '\0';
		value = eq + 3;
		if (ifp_policy_entry(&pc, key, value, i + 1, err, sizeof(err)) < 0)
			return i + 1;
	}
	return 0;
}

static struct ifp_ipx
ipx(const char *s)
{
	struct ifp_ipx a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, &a.ip4) != 1) {
		a.v6 = true;
		cr_assert_eq(inet_pton(AF_INET6, s, a.ip6), 1, "address %s", s);
	}
	return a;
}

static struct ifp_policy_key
key(const char *src, const char *dst, enum ifp_policy_kind kind)
{
	struct ifp_policy_key k;
	struct ifp_ipx s = ipx(src), d = ipx(dst);

	ifp_policy_key(&k, &s, &d, kind);
	return k;
}

/* Feed, finish and build @p lines; every line must be taken. */
static void
build(const char *const *lines)
{
	uint32_t line = 0;

	cr_assert_eq(feed(lines), 0, "refused: %s", err);
	cr_assert_eq(ifp_policy_finish(&pc, ifp_pgen_own_fn, NULL, &line, err, sizeof(err)), 0,
		     "finish: line %u: %s", line, err);
	cr_assert_eq(ifp_policy_build(&pc, "test.ini", "tpol", SOCKET_ID_ANY, 2, &pol,
				      err, sizeof(err)),
		     0, "build: %s", err);
}

/* The rule (index) or IFP_POLICY_DEFAULT that classifies @p k, checked
 * to be the linear reference's and the per-burst one's. */
static uint32_t
match(const struct ifp_policy_key *k)
{
	uint32_t r;

	ifp_policy_classify(pol, k->family, k, 1, &r);
	cr_assert_eq(r, ifp_policy_match_linear(pol, k), "rte_acl and the reference");
	return r;
}

/* The frame @p src -> @p dst of @p kind matches rule @p want. */
#define matches(src, dst, kind, want)                                        \
	do {                                                                 \
		struct ifp_policy_key k_ = key(src, dst, kind);              \
                                                                             \
		cr_assert_eq(match(&k_), want, "%s -> %s %s", src, dst,      \
			     ifp_policy_kind_name(kind));                    \
	} while (0)

/* Worker 0 decides the frame @p src -> @p dst of @p kind at T0 so. */
#define decides(src, dst, kind, want)                                        \
	do {                                                                 \
		struct ifp_policy_key k_ = key(src, dst, kind);              \
                                                                             \
		cr_expect_eq(ifp_policy_decide(pol, 0, &k_, T0), want,       \
			     "%s -> %s %s", src, dst,                        \
			     ifp_policy_kind_name(kind));                    \
	} while (0)

/* ---- the parser ---- */

TestSuite(policy_parse, .init = conf_fresh, .fini = conf_done);

struct refusal {
	const char *lines[4];
	uint32_t line;     /* refused at */
	const char *says;  /* in the message */
};

static const struct refusal refusals[] = {
	{{"192.0.2.0/24 echo = allow", "192.0.2.0/33 echo = deny"}, 2, "length must be 0 to 32"},
	{{"2001:db8::/129 echo = deny"}, 1, "length must be 0 to 128"},
	{{"192.0.2.300/24 echo = deny"}, 1, "is not an IPv4 or IPv6 prefix"},
	{{"192.0.2.0/x echo = deny"}, 1, "length must be"},
	{{"192.0.2.1/24 echo = deny"}, 1, "host bits set (the prefix is 192.0.2.0/24)"},
	{{"2001:db8::1/64 echo = deny"}, 1, "host bits set (the prefix is 2001:db8::/64)"},
	{{"192.0.2.0/24 echoes = deny"}, 1, "unknown kind 'echoes'"},
	{{"192.0.2.0/24 echo,,timestamp = deny"}, 1, "empty kind"},
	{{"192.0.2.0/24 echo,echo = deny"}, 1, "given twice"},
	{{"192.0.2.0/24 = deny"}, 1, "is not SOURCE [to ADDRESS] KIND"},
	{{"192.0.2.0/24 echo = permit"}, 1, "is not allow, deny or rate"},
	{{"192.0.2.0/24 echo = allow now"}, 1, "is not allow, deny or rate"},
	{{"192.0.2.0/24 echo = "}, 1, "no action"},
	{{"192.0.2.0/24 echo = rate 10"}, 1, "is not N/s"},
	{{"192.0.2.0/24 echo = rate 0/s"}, 1, "rate 0/s"},
	{{"192.0.2.0/24 echo = rate 5000000000/s"}, 1, "N must be 1 to"},
	{{"192.0.2.0/24 echo = rate 10/s burst 0"}, 1, "burst '0' must be 1 to"},
	{{"192.0.2.0/24 echo = rate 10/s burst"}, 1, "rate N/s [burst B]"},
	{{"192.0.2.0/24 echo = rate 10/s bust 3"}, 1, "where burst B goes"},
	{{"192.0.2.0/24 to 2001:db8::9 echo = deny"}, 1, "is an IPv6 address, the source '192.0.2.0/24' an IPv4"},
	{{"::/0 to 192.0.2.9 echo = deny"}, 1, "is an IPv4 address"},
	{{"192.0.2.0/24 to nowhere echo = deny"}, 1, "to 'nowhere' is not an address"},
	{{"192.0.2.0/24 to 192.0.2.9 = deny"}, 1, "to ADDRESS KIND"},
	/* a repeat: the same source and kinds, or kinds all taken before */
	{{"10.0.0.0/8 echo = allow", "10.0.0.0/8 echo = deny"}, 2, "repeats the source and kinds of line 1"},
	{{"10.0.0.0/8 echo = allow", "10.0.0.0/8 timestamp = deny", "10.0.0.0/8 timestamp,echo = deny"}, 3, "of line 1"},
	{{"0.0.0.0/0 * = deny", "0.0.0.0/0 unreachable = allow"}, 2, "it would never match"},
	{{"10.0.0.0/8 to 192.0.2.9 echo = deny", "10.0.0.0/8 to 192.0.2.9 echo = allow"}, 2, "repeats the source, to and kinds"},
	{{"default = allow", "default = deny"}, 2, "default given twice (first at line 1)"},
	{{"default = maybe"}, 1, "default 'maybe' is not allow or deny"},
};

Test(policy_parse, refuses_each_mistake_at_its_line)
{
	for (unsigned int i = 0; i < RTE_DIM(refusals); i++) {
		const struct refusal *t = &refusals[i];

		uint32_t at;

		ifp_policy_conf_free(&pc);
		err[0] = '\0';
		at = feed(t->lines);
		cr_expect_eq(at, t->line, "case %u (%s): refused at %u: %s", i,
			     t->lines[t->line - 1], at, err);
		cr_expect_not_null(strstr(err, t->says), "case %u: '%s' does not say '%s'", i,
				   err, t->says);
	}
}

Test(policy_parse, takes_what_is_no_repeat)
{
	static const char *const ok[] = {
		"default = deny",
		"10.0.0.0/8 echo = allow",
		"10.0.0.0/8 timestamp = deny", /* same source, other kinds */
		"10.0.0.0/8 to 192.0.2.9 echo = deny", /* same source, a to */
		"10.0.0.0/16 echo = deny",     /* a longer prefix */
		"10.0.0.0/8 echo,unreachable = rate 10/s", /* one kind new */
		"192.0.2.7 echo = deny",       /* a host */
		"2001:db8:bad::/48 * = deny",
		"::/0 time-exceeded, unreachable = deny", /* spaces in the list */
		NULL,
	};

	cr_assert_eq(feed(ok), 0, "%s", err);
	cr_assert_eq(pc.n_rules, 8);
	cr_assert_eq(pc.n_family[0], 6);
	cr_assert_eq(pc.n_family[1], 2);
	cr_assert_eq(pc.def, IFP_POLICY_DENY);
	cr_assert_eq(pc.rule[4].burst, 1, "rate 10/s: a tenth of a second's worth");
	cr_assert_eq(pc.rule[5].depth, 32);
	cr_assert_eq(pc.rule[0].line, 2);
}

Test(policy_parse, refuses_to_an_address_the_box_does_not_have_at_its_line)
{
	static const char *const lines[] = {
		"10.0.0.0/8 to 192.0.2.9 echo = deny",
		"2001:db8::/32 to 2001:db8::1 echo = deny",
		"10.0.0.0/8 to 192.0.2.77 timestamp = deny",
		NULL,
	};
	uint32_t line = 0;

	cr_assert_eq(feed(lines), 0, "%s", err);
	cr_assert_eq(ifp_policy_finish(&pc, ifp_pgen_own_fn, NULL, &line, err, sizeof(err)), -1);
	cr_assert_eq(line, 3);
	cr_assert_str_eq(err, "to 192.0.2.77 is not an address of this box");
}

Test(policy_parse, own_addresses_of_a_conf_are_its_ports)
{
	static struct ifp_conf c;
	struct ifp_ipx a = ipx("192.0.2.9"), b = ipx("2001:db8::9"),
		       l = ipx("fe80::1");

	ifp_conf_defaults(&c);
	c.port[1].present = true;
	cr_assert_eq(ifp_port_addr_add(&c.port[1], a.ip4, 24), 0);
	cr_assert_not(ifp_policy_own_conf(&b, &c));
	cr_assert_eq(ifp_port_addr6_add(&c.port[1], b.ip6, 64), 0);
	cr_assert(ifp_policy_own_conf(&a, &c));
	cr_assert(ifp_policy_own_conf(&b, &c));
	/* link_local = auto: not known before the port's MAC */
	cr_assert_not(ifp_policy_own_conf(&l, &c));
	ifp_port_ll_set(&c.port[1], l.ip6);
	cr_assert(ifp_policy_own_conf(&l, &c));
	a.ip4 ^= rte_cpu_to_be_32(1);
	cr_assert_not(ifp_policy_own_conf(&a, &c));
}

Test(policy_parse, refuses_the_65537th_rule_of_a_family_not_of_the_other)
{
	char key[64];
	uint32_t i;

	for (i = 0; i < IFP_POLICY_RULES_MAX; i++) {
		snprintf(key, sizeof(key), "10.%u.%u.0/24 echo", i >> 8, i & 0xff);
		cr_assert_eq(ifp_policy_entry(&pc, key, "deny", i + 1, err, sizeof(err)), 0,
			     "%s: %s", key, err);
	}
	cr_assert_eq(ifp_policy_entry(&pc, "11.0.0.0/24 echo", "deny", i + 1, err,
				      sizeof(err)),
		     -1);
	cr_assert_str_eq(err, "more than 65536 IPv4 rules");
	cr_assert_eq(ifp_policy_entry(&pc, "2001:db8::/32 echo", "deny", i + 2, err,
				      sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(pc.n_rules, IFP_POLICY_RULES_MAX + 1);
}

Test(policy_parse, a_rule_reads_back_as_the_file_gives_it)
{
	static const char *const lines[] = {
		"192.0.2.0/24 echo = allow",
		"0.0.0.0/0 echo = rate 1000/s burst 50",
		"10.0.0.0/8 to 192.0.2.9 * = deny",
		"2001:db8:bad::/48 *,lpa = deny",
		"::/0 time-exceeded,unreachable = deny",
		NULL,
	};
	static const char *const shown[] = {
		"192.0.2.0/24 echo = allow",
		"0.0.0.0/0 echo = rate 1000/s burst 50",
		"10.0.0.0/8 to 192.0.2.9 * = deny",
		"2001:db8:bad::/48 *,lpa = deny",
		"::/0 time-exceeded,unreachable = deny",
	};
	char s[256];

	cr_assert_eq(feed(lines), 0, "%s", err);
	for (unsigned int i = 0; i < RTE_DIM(shown); i++) {
		ifp_policy_rule_str(&pc.rule[i], s, sizeof(s));
		cr_expect_str_eq(s, shown[i]);
	}
}

Test(policy_parse, star_is_every_kind_but_neighbour_mld_and_lpa)
{
	struct ifp_policy_rule r;

	cr_assert_eq(ifp_policy_rule_parse("0.0.0.0/0 *", "deny", 1, &r, err, sizeof(err)), 0);
	for (unsigned int k = 0; k < IFP_POLICY_KIND_MAX; k++) {
		bool link = k == IFP_POLICY_NEIGHBOUR || k == IFP_POLICY_MLD ||
			    k == IFP_POLICY_LPA;

		cr_expect_eq(!!(r.kinds & IFP_POLICY_BIT(k)), !link, "%s",
			     ifp_policy_kind_name(k));
	}
}

Test(policy_parse, every_answer_kind_has_its_policy_kind)
{
	static const struct {
		enum ifp_answer a;
		enum ifp_policy_kind k;
	} some[] = {
		{IFP_ANS_ECHO, IFP_POLICY_ECHO},
		{IFP_ANS_ECHO6, IFP_POLICY_ECHO},
		{IFP_ANS_ARP, IFP_POLICY_NEIGHBOUR},
		{IFP_ANS_NA, IFP_POLICY_NEIGHBOUR},
		{IFP_ANS_MLD_REPORT, IFP_POLICY_MLD},
		{IFP_ANS_MASK, IFP_POLICY_ADDRESS_MASK},
		{IFP_ANS_UNREACH_MODEM, IFP_POLICY_UNREACHABLE},
		{IFP_ANS_UNREACH_MODEM6, IFP_POLICY_UNREACHABLE},
		{IFP_ANS_PROTO_UNREACH, IFP_POLICY_UNREACHABLE},
		{IFP_ANS_FRAG_NEEDED, IFP_POLICY_PACKET_TOO_BIG},
		{IFP_ANS_PKT_TOO_BIG6, IFP_POLICY_PACKET_TOO_BIG},
		{IFP_ANS_TIME_EXCEEDED6, IFP_POLICY_TIME_EXCEEDED},
		{IFP_ANS_PARAM_PROBLEM6, IFP_POLICY_PARAM_PROBLEM},
		{IFP_ANS_EXT_ECHO6, IFP_POLICY_EXTENDED_ECHO},
	};
	unsigned int seen = 0;

	for (unsigned int a = 0; a < IFP_ANS_MAX; a++) {
		enum ifp_policy_kind k = ifp_policy_kind_of(a);

		cr_expect_lt(k, IFP_POLICY_KIND_MAX, "%s has no policy kind",
			     ifp_answer_name(a));
		/* an error is of an error kind, a neighbour answer of neighbour
		 * or mld, a reply of a query kind */
		if (ifp_answer_class(a) == IFP_ANS_CLASS_NEIGHBOR)
			cr_expect(k == IFP_POLICY_NEIGHBOUR || k == IFP_POLICY_MLD, "%s",
				  ifp_answer_name(a));
		else if (ifp_answer_class(a) == IFP_ANS_CLASS_ERROR)
			cr_expect(k >= IFP_POLICY_TIME_EXCEEDED && k <= IFP_POLICY_PARAM_PROBLEM,
				  "%s", ifp_answer_name(a));
		else
			cr_expect(k <= IFP_POLICY_EXTENDED_ECHO, "%s", ifp_answer_name(a));
		seen |= 1u << k;
	}
	for (unsigned int i = 0; i < RTE_DIM(some); i++)
		cr_expect_eq(ifp_policy_kind_of(some[i].a), some[i].k, "%s",
			     ifp_answer_name(some[i].a));
	/* every kind but lpa (an LPA heard is no answer) is some answer's */
	cr_expect_eq(seen, IFP_POLICY_ALL & ~IFP_POLICY_BIT(IFP_POLICY_LPA));
}

/* ---- the built policy ---- */

TestSuite(policy, .init = built_up, .fini = built_down, .timeout = 120);

Test(policy, no_section_or_allow_only_builds_nothing)
{
	static const char *const lines[] = {"default = allow", NULL};

	cr_assert_eq(ifp_policy_build(&pc, "test.ini", "tpol", SOCKET_ID_ANY, 1, &pol,
				      err, sizeof(err)),
		     0);
	cr_assert_null(pol);
	build(lines);
	cr_assert_null(pol);
}

Test(policy, first_matching_rule_wins_in_file_order)
{
	static const char *const lines[] = {
		"10.1.0.0/16 echo = allow",
		"10.0.0.0/8 echo,timestamp = deny",
		"10.1.2.0/24 * = rate 5/s",
		"10.1.2.3 echo = deny",
		NULL,
	};
	struct ifp_policy_key k;

	build(lines);
	k = key("10.1.2.3", "192.0.2.1", IFP_POLICY_ECHO);
	cr_assert_eq(match(&k), 0, "the /16 comes first, though the /32 is longer");
	matches("10.1.2.3", "192.0.2.1", IFP_POLICY_TIMESTAMP, 1);
	matches("10.1.2.3", "192.0.2.1", IFP_POLICY_UNREACHABLE, 2);
	matches("10.2.0.1", "192.0.2.1", IFP_POLICY_ECHO, 1);
	matches("11.0.0.1", "192.0.2.1", IFP_POLICY_ECHO, IFP_POLICY_DEFAULT);
}

Test(policy, star_and_default_deny_leave_neighbour_mld_and_lpa_alone)
{
	static const char *const lines[] = {
		"default = deny",
		"0.0.0.0/0 * = deny",
		"::/0 * = deny",
		"10.9.0.0/16 lpa = allow",
		"0.0.0.0/0 lpa = deny",
		NULL,
	};
	static const enum ifp_policy_kind link[] = {
		IFP_POLICY_NEIGHBOUR, IFP_POLICY_MLD, IFP_POLICY_LPA,
	};
	struct ifp_policy_key k;

	build(lines);
	for (unsigned int i = 0; i < RTE_DIM(link); i++) {
		k = key("2001:db8::5", "2001:db8::1", link[i]);
		cr_expect_eq(match(&k), IFP_POLICY_DEFAULT, "%s",
			     ifp_policy_kind_name(link[i]));
		cr_expect_eq(ifp_policy_decide(pol, 0, &k, T0), IFP_POLICY_SEND,
			     "default = deny is of the * kinds: %s",
			     ifp_policy_kind_name(link[i]));
	}
	decides("192.0.2.5", "192.0.2.1", IFP_POLICY_NEIGHBOUR, IFP_POLICY_SEND);
	matches("2001:db8::5", "2001:db8::1", IFP_POLICY_PARAM_PROBLEM, 1);
	/* lpa, named: from the modems' prefix heard, from elsewhere not */
	matches("10.9.1.1", "224.0.0.9", IFP_POLICY_LPA, 2);
	decides("10.9.1.1", "224.0.0.9", IFP_POLICY_LPA, IFP_POLICY_SEND);
	matches("10.8.1.1", "224.0.0.9", IFP_POLICY_LPA, 3);
	decides("10.8.1.1", "224.0.0.9", IFP_POLICY_LPA, IFP_POLICY_DROP);
}

Test(policy, to_matches_only_frames_to_that_address)
{
	static const char *const lines[] = {
		"10.0.0.0/8 to 192.0.2.9 * = deny",
		"2001:db8:1::/48 to 2001:db8::9 echo = deny",
		"0.0.0.0/0 echo = allow",
		NULL,
	};
	struct ifp_policy_key k;

	build(lines);
	matches("10.1.1.1", "192.0.2.9", IFP_POLICY_ECHO, 0);
	k = key("10.1.1.1", "192.0.2.1", IFP_POLICY_ECHO);
	cr_assert_eq(match(&k), 2, "to another of our addresses");
	k = key("10.1.1.1", "198.51.100.1", IFP_POLICY_TIME_EXCEEDED);
	cr_assert_eq(match(&k), IFP_POLICY_DEFAULT, "a transit frame");
	matches("2001:db8:1::7", "2001:db8::9", IFP_POLICY_ECHO, 1);
	matches("2001:db8:1::7", "2001:db8::1", IFP_POLICY_ECHO, IFP_POLICY_DEFAULT);
}

Test(policy, each_family_has_its_own_rules)
{
	static const char *const lines[] = {
		"0.0.0.0/0 echo = deny",
		"::/0 time-exceeded,unreachable = deny",
		"2001:db8:bad::/48 * = deny",
		NULL,
	};

	build(lines);
	matches("198.51.100.1", "192.0.2.1", IFP_POLICY_ECHO, 0);
	matches("198.51.100.1", "192.0.2.1", IFP_POLICY_TIME_EXCEEDED, IFP_POLICY_DEFAULT);
	matches("2001:db8:5::1", "2001:db8::1", IFP_POLICY_ECHO, IFP_POLICY_DEFAULT);
	matches("2001:db8:5::1", "2001:db8::1", IFP_POLICY_TIME_EXCEEDED, 1);
	matches("2001:db8:bad:ff::1", "2001:db8::1", IFP_POLICY_ECHO, 2);
	matches("2001:db8:bae::1", "2001:db8::1", IFP_POLICY_ECHO, IFP_POLICY_DEFAULT);
}

Test(policy, a_burst_of_kinds_no_rule_names_takes_the_default)
{
	static const char *const lines[] = {
		"0.0.0.0/0 time-exceeded = deny",
		"::/0 echo = deny",
		NULL,
	};
	struct ifp_policy_key k[3];
	uint32_t r[3];

	build(lines);
	k[0] = key("198.51.100.1", "192.0.2.1", IFP_POLICY_ECHO);
	k[1] = key("198.51.100.2", "192.0.2.1", IFP_POLICY_ECHO);
	ifp_policy_classify(pol, 4, k, 2, r);
	cr_assert_eq(r[0], IFP_POLICY_DEFAULT);
	cr_assert_eq(r[1], IFP_POLICY_DEFAULT);
	/* one key of a named kind: the whole burst is classified */
	k[2] = key("198.51.100.3", "198.51.100.9", IFP_POLICY_TIME_EXCEEDED);
	ifp_policy_classify(pol, 4, k, 3, r);
	cr_assert_eq(r[0], IFP_POLICY_DEFAULT);
	cr_assert_eq(r[2], 0);
	k[0] = key("2001:db8::5", "2001:db8::1", IFP_POLICY_ECHO);
	cr_assert_eq(match(&k[0]), 1, "echo is named for IPv6");
}

Test(policy, a_rate_rule_gives_its_burst_then_what_refills)
{
	static const char *const lines[] = {
		"0.0.0.0/0 echo = rate 20/s burst 3",
		"0.0.0.0/0 timestamp = deny",
		NULL,
	};
	struct ifp_policy_key k[8];
	uint8_t v[8];
	unsigned int sent = 0, limited = 0;
	struct ifp_policy_counts c;

	build(lines); /* two workers: 10/s each, the whole burst each */
	for (unsigned int i = 0; i < 8; i++)
		k[i] = key(i & 1 ? "198.51.100.1" : "203.0.113.7", "192.0.2.1",
			   IFP_POLICY_ECHO);
	ifp_policy_decide_burst(pol, 0, 4, k, 8, T0, v);
	for (unsigned int i = 0; i < 8; i++) {
		sent += v[i] == IFP_POLICY_SEND;
		limited += v[i] == IFP_POLICY_LIMITED;
	}
	cr_assert_eq(sent, 3, "the burst, over every source the rule matches");
	cr_assert_eq(limited, 5);
	/* 10/s a worker: one token a 100 ms */
	cr_assert_eq(ifp_policy_decide(pol, 0, &k[0], T0 + 99 * MS), IFP_POLICY_LIMITED);
	cr_assert_eq(ifp_policy_decide(pol, 0, &k[0], T0 + 100 * MS), IFP_POLICY_SEND);
	cr_assert_eq(ifp_policy_decide(pol, 0, &k[0], T0 + 101 * MS), IFP_POLICY_LIMITED);
	/* the other worker has its own bucket */
	cr_assert_eq(ifp_policy_decide(pol, 1, &k[0], T0), IFP_POLICY_SEND);
	/* a second idle fills the bucket again, no more than the burst */
	ifp_policy_decide_burst(pol, 0, 4, k, 8, T0 + 2 * SEC, v);
	sent = 0;
	for (unsigned int i = 0; i < 8; i++)
		sent += v[i] == IFP_POLICY_SEND;
	cr_assert_eq(sent, 3);
	ifp_policy_counts(pol, 0, &c);
	cr_assert_eq(c.matched, 20);
	cr_assert_eq(c.limited, 5 + 2 + 5);
	cr_assert_eq(c.denied, 0);
}

Test(policy, counts_are_summed_over_workers)
{
	static const char *const lines[] = {
		"default = deny",
		"192.0.2.0/24 echo = allow",
		"0.0.0.0/0 echo = deny",
		NULL,
	};
	struct ifp_policy_key a = key("192.0.2.5", "192.0.2.1", IFP_POLICY_ECHO);
	struct ifp_policy_key d = key("198.51.100.5", "192.0.2.1", IFP_POLICY_ECHO);
	struct ifp_policy_key t = key("198.51.100.5", "192.0.2.1", IFP_POLICY_TIMESTAMP);
	struct ifp_policy_counts c;
	char s[128];

	build(lines);
	cr_assert_eq(ifp_policy_n_rules(pol), 2);
	cr_assert_str_eq(ifp_policy_path(pol), "test.ini");
	cr_assert_eq(ifp_policy_default(pol), IFP_POLICY_DENY);
	ifp_policy_rule_str(ifp_policy_rule(pol, 1), s, sizeof(s));
	cr_assert_str_eq(s, "0.0.0.0/0 echo = deny");
	cr_assert_eq(ifp_policy_rule(pol, 1)->line, 3);
	cr_assert_eq(ifp_policy_decide(pol, 0, &a, T0), IFP_POLICY_SEND);
	cr_assert_eq(ifp_policy_decide(pol, 1, &a, T0), IFP_POLICY_SEND);
	cr_assert_eq(ifp_policy_decide(pol, 0, &d, T0), IFP_POLICY_DROP);
	cr_assert_eq(ifp_policy_decide(pol, 1, &t, T0), IFP_POLICY_DROP);
	ifp_policy_counts(pol, 0, &c);
	cr_assert_eq(c.matched, 2);
	cr_assert_eq(c.denied, 0);
	ifp_policy_counts(pol, 1, &c);
	cr_assert_eq(c.matched, 1);
	cr_assert_eq(c.denied, 1);
	ifp_policy_counts(pol, IFP_POLICY_DEFAULT, &c);
	cr_assert_eq(c.matched, 1);
	cr_assert_eq(c.denied, 1);
}

/* the addresses of examples/policy-edge.ini's ports */
static bool
own_edge(const struct ifp_ipx *a, const void *arg)
{
	static const char *const own[] = {
		"192.0.2.9", "2001:db8:0:1::9", "10.9.0.1", "2001:db8:9::1",
	};

	for (unsigned int i = 0; i < RTE_DIM(own); i++) {
		struct ifp_ipx o = ipx(own[i]);

		if (ifp_ipx_eq(a, &o))
			return true;
	}
	return false;
}

Test(policy, the_edge_example_does_what_its_comments_say)
{
	char buf[512];
	uint32_t line = 0, at = 0;
	bool in = false;
	FILE *f = fopen(IFP_SOURCE_DIR "/examples/policy-edge.ini", "r");
	struct ifp_policy_key k;

	cr_assert_not_null(f);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *c = strchr(buf, ';'), *eq;

		line++;
		if (c != NULL)
			*c = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		if (buf[0] == '[') {
			in = strcmp(buf, "[policy]") == 0;
			continue;
		}
		eq = strstr(buf, " = ");
		if (!in || eq == NULL)
			continue;
		*eq = '\0';
		cr_assert_eq(ifp_policy_entry(&pc, buf, eq + 3, line, err, sizeof(err)), 0,
			     "policy-edge.ini:%u: %s", line, err);
	}
	fclose(f);
	cr_assert_gt(pc.n_rules, 10);
	cr_assert_eq(ifp_policy_finish(&pc, own_edge, NULL, &at, err, sizeof(err)), 0,
		     "policy-edge.ini:%u: %s", at, err);
	cr_assert_eq(ifp_policy_build(&pc, "policy-edge.ini", "tpol", SOCKET_ID_ANY, 1,
				      &pol, err, sizeof(err)),
		     0, "%s", err);
	/* the NOC's traceroute sees us, the internet's does not */
	decides("198.51.100.7", "192.0.2.77", IFP_POLICY_TIME_EXCEEDED, IFP_POLICY_SEND);
	decides("8.8.8.8", "192.0.2.77", IFP_POLICY_TIME_EXCEEDED, IFP_POLICY_DROP);
	decides("2001:4860::8888", "2001:db8:7::1", IFP_POLICY_UNREACHABLE, IFP_POLICY_DROP);
	/* PMTU discovery keeps working for everyone */
	decides("8.8.8.8", "192.0.2.77", IFP_POLICY_PACKET_TOO_BIG, IFP_POLICY_SEND);
	/* the abusive /48: nothing, not even ping */
	decides("2001:db8:bad:1::1", "2001:db8:0:1::9", IFP_POLICY_ECHO, IFP_POLICY_DROP);
	/* the internet's ping: the burst, then limited */
	k = key("8.8.8.8", "192.0.2.9", IFP_POLICY_ECHO);
	for (unsigned int i = 0; i < 50; i++)
		cr_expect_eq(ifp_policy_decide(pol, 0, &k, T0), IFP_POLICY_SEND);
	cr_expect_eq(ifp_policy_decide(pol, 0, &k, T0), IFP_POLICY_LIMITED);
	/* the modems' side: pinged from the modems' link only */
	decides("8.8.8.8", "10.9.0.1", IFP_POLICY_ECHO, IFP_POLICY_DROP);
	decides("10.9.3.3", "10.9.0.1", IFP_POLICY_ECHO, IFP_POLICY_SEND);
	/* timestamps to outsiders never */
	decides("8.8.8.8", "192.0.2.9", IFP_POLICY_TIMESTAMP, IFP_POLICY_DROP);
	/* LPAs from the modems' prefix only; ARP from anyone */
	decides("10.9.0.7", "224.0.0.2", IFP_POLICY_LPA, IFP_POLICY_SEND);
	decides("192.0.2.66", "224.0.0.2", IFP_POLICY_LPA, IFP_POLICY_DROP);
	decides("fe80::66", "ff02::2", IFP_POLICY_LPA, IFP_POLICY_DROP);
	k = key("203.0.113.5", "192.0.2.9", IFP_POLICY_NEIGHBOUR);
	cr_expect_eq(ifp_policy_decide(pol, 0, &k, T0), IFP_POLICY_SEND,
		     "even the denied /24 gets ARP: * leaves neighbour alone");
}

/* ---- 10,000 random rules against the linear reference ---- */

#define RANDOM_RULES 10000
#define RANDOM_KEYS 100000

/* pc and pol: @p n random rules (tests/unit/policy_gen.c) drawn from @p seed */
static void
random_policy(uint64_t seed, uint32_t n)
{
	uint32_t line = 0;

	rte_srand(seed);
	cr_assert_eq(ifp_pgen_rules(&pc, n, true, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(ifp_policy_finish(&pc, ifp_pgen_own_fn, NULL, &line, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(ifp_policy_build(&pc, "test.ini", "tpol", SOCKET_ID_ANY, 1, &pol, err,
				      sizeof(err)),
		     0, "%s", err);
}

Test(policy, ten_thousand_random_rules_classify_as_the_linear_reference)
{
	static struct ifp_policy_key keys[RANDOM_KEYS];
	uint32_t res[IFP_POLICY_BURST_MAX], hits = 0, defaults = 0;

	random_policy(21, RANDOM_RULES);
	ifp_pgen_keys(&pc, keys, RANDOM_KEYS);
	/* in bursts of one family, as the fast path makes them */
	for (uint32_t i = 0; i < RANDOM_KEYS;) {
		struct ifp_policy_key burst[IFP_POLICY_BURST_MAX];
		uint32_t nb = 0;
		int fam = keys[i].family;

		while (i < RANDOM_KEYS && nb < 32 && keys[i].family == fam)
			burst[nb++] = keys[i++];
		ifp_policy_classify(pol, fam, burst, nb, res);
		for (uint32_t j = 0; j < nb; j++) {
			uint32_t want = ifp_policy_match_linear(pol, &burst[j]);

			cr_assert_eq(res[j], want, "key %u: rte_acl %u, reference %u",
				     i - nb + j, res[j], want);
			hits += want != IFP_POLICY_DEFAULT;
			defaults += want == IFP_POLICY_DEFAULT;
		}
	}
	/* both verdicts are well represented */
	cr_assert_gt(hits, RANDOM_KEYS / 5, "%u keys matched a rule", hits);
	cr_assert_gt(defaults, RANDOM_KEYS / 5, "%u keys matched none", defaults);
}

/*
 * The workers' cache of the lookup (ifp_policy_decide_burst()) decides as
 * the reference does: 2,000 random keys (more than the cache holds, so it
 * hits, misses and evicts), decided twice in bursts of one family; every
 * rule's matched count (and the default's) is twice what the linear scan
 * finds, and the cache both hit and missed.
 */
#define CACHE_RULES 2000
#define CACHE_KEYS 2000

/*
 * Each rule's matched count (and the default's, want[n_rules]) is
 * @p want, after CACHE_KEYS keys decided twice, which the cache both hit
 * and missed.
 */
static void
counted_as_the_reference(const uint64_t *want)
{
	uint64_t hits, misses;

	for (uint32_t r = 0; r <= pc.n_rules; r++) {
		struct ifp_policy_counts c;

		ifp_policy_counts(pol, r == pc.n_rules ? IFP_POLICY_DEFAULT : r, &c);
		cr_assert_eq(c.matched, want[r], "rule %u: matched %lu, the reference %lu", r,
			     (unsigned long)c.matched, (unsigned long)want[r]);
	}
	ifp_policy_cache_stats(pol, 0, &hits, &misses);
	cr_assert_eq(hits + misses, 2 * CACHE_KEYS);
	cr_assert_gt(hits, 0);
	cr_assert_gt(misses, CACHE_KEYS / 2);
}

Test(policy, the_lookup_cache_decides_as_the_linear_reference)
{
	static struct ifp_policy_key keys[CACHE_KEYS];
	static uint64_t want[CACHE_RULES + 1];
	uint8_t v[IFP_POLICY_BURST_MAX];

	random_policy(2121, CACHE_RULES);
	ifp_pgen_keys(&pc, keys, CACHE_KEYS);
	for (uint32_t i = 0; i < CACHE_KEYS; i++) {
		uint32_t r = ifp_policy_match_linear(pol, &keys[i]);

		want[r == IFP_POLICY_DEFAULT ? pc.n_rules : r] += 2;
	}
	for (int round = 0; round < 2; round++)
		for (uint32_t i = 0; i < CACHE_KEYS;) {
			uint32_t from = i, nb = 0;
			int fam = keys[i].family;

			while (i < CACHE_KEYS && nb < 32 && keys[i].family == fam) {
				i++;
				nb++;
			}
			ifp_policy_decide_burst(pol, 0, fam, &keys[from], nb, T0, v);
		}
	counted_as_the_reference(want);
}

/*
 * The fast path's echo replies (ifp_policy_decide_replies()): read against
 * the headers where they lie, the cache decides as the reference does.
 * 2,000 random keys made echo replies (the box's address the source, the
 * requester the destination), IPv4 and IPv6 mixed in bursts of 32, decided
 * twice: every rule's matched count is twice the reference's, and each
 * frame whose rule denies it (and no other) comes back denied.
 */
#define REPLY_HEAD 128

struct reply_frame {
	struct rte_mbuf m;
	uint8_t buf[REPLY_HEAD + sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv6_hdr)];
};

/* @p f: the echo reply to the request of key @p k (its kind ignored) */
static void
reply_of(struct reply_frame *f, const struct ifp_policy_key *k)
{
	uint8_t *l2 = f->buf + REPLY_HEAD;
	struct rte_ether_hdr *eth = (void *)l2;

	memset(f, 0, sizeof(*f));
	f->m.buf_addr = f->buf;
	f->m.data_off = REPLY_HEAD;
	if (k->family == 4) {
		struct rte_ipv4_hdr *ip = (void *)(eth + 1);

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->src_addr = k->ip4.dst;
		ip->dst_addr = k->ip4.src;
	} else {
		struct rte_ipv6_hdr *ip6 = (void *)(eth + 1);

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
		ip6->vtc_flow = RTE_BE32(6u << 28);
		memcpy(ip6->src_addr, k->ip6.dst, 16);
		memcpy(ip6->dst_addr, k->ip6.src, 16);
	}
}

Test(policy, the_echo_replies_are_decided_in_place_as_the_linear_reference)
{
	static struct ifp_policy_key keys[CACHE_KEYS];
	static struct reply_frame frames[CACHE_KEYS];
	static uint64_t want[CACHE_RULES + 1];
	static uint32_t rule_of[CACHE_KEYS];
	uint64_t denied = 0;

	random_policy(4884, CACHE_RULES);
	ifp_pgen_keys(&pc, keys, CACHE_KEYS);
	for (uint32_t i = 0; i < CACHE_KEYS; i++) {
		keys[i].kind = rte_cpu_to_be_16(IFP_POLICY_BIT(IFP_POLICY_ECHO));
		rule_of[i] = ifp_policy_match_linear(pol, &keys[i]);
		want[rule_of[i] == IFP_POLICY_DEFAULT ? pc.n_rules : rule_of[i]] += 2;
		reply_of(&frames[i], &keys[i]);
	}
	for (int round = 0; round < 2; round++)
		for (uint32_t i = 0; i < CACHE_KEYS; i += 32) {
			struct rte_mbuf *burst[32];
			uint8_t v[IFP_POLICY_BURST_MAX];
			uint32_t nb = RTE_MIN(32u, CACHE_KEYS - i);
			uint64_t other;

			for (uint32_t j = 0; j < nb; j++)
				burst[j] = &frames[i + j].m;
			other = ifp_policy_decide_replies(pol, 0, burst,
							  RTE_LEN2MASK(nb, uint64_t), T0, v);
			for (uint32_t j = 0; j < nb; j++) {
				uint32_t r = rule_of[i + j];
				bool deny = r != IFP_POLICY_DEFAULT &&
					    ifp_policy_rule(pol, r)->action == IFP_POLICY_DENY;

				if (r != IFP_POLICY_DEFAULT &&
				    ifp_policy_rule(pol, r)->action == IFP_POLICY_RATE)
					continue;
				cr_assert_eq((other >> j) & 1, deny, "key %u: rule %u", i + j, r);
				if (deny)
					cr_assert_eq(v[j], IFP_POLICY_DROP);
				denied += deny;
			}
		}
	counted_as_the_reference(want);
	cr_assert_gt(denied, 50, "%lu denied", (unsigned long)denied);
}

/*
 * Two IPv6 requesters whose addresses differ only in their high halves
 * share a cache entry (the hash reads the low halves): each still gets
 * its own rule, however they alternate.
 */
Test(policy, requesters_that_share_a_cache_entry_keep_their_own_rules)
{
	static const char *const lines[] = {
		"2001:db8:bad::/48 * = deny",
		NULL,
	};
	struct ifp_policy_key kd, ka;
	struct reply_frame fd, fa;

	build(lines);
	kd = key("2001:db8:bad::7", "2001:db8::1", IFP_POLICY_ECHO);
	ka = key("2001:db8:600d::7", "2001:db8::1", IFP_POLICY_ECHO);
	reply_of(&fd, &kd);
	reply_of(&fa, &ka);
	for (int i = 0; i < 4; i++) {
		struct rte_mbuf *b[2] = {i & 1 ? &fa.m : &fd.m, i & 1 ? &fd.m : &fa.m};
		uint8_t v[2];
		uint64_t other = ifp_policy_decide_replies(pol, 0, b, 1, T0, v);

		cr_assert_eq(other, i & 1 ? 0u : 1u, "round %d", i);
		other = ifp_policy_decide_replies(pol, 0, b + 1, 1, T0, v);
		cr_assert_eq(other, i & 1 ? 1u : 0u, "round %d", i);
		/* the slow path's lookup shares the entry */
		cr_assert_eq(ifp_policy_decide(pol, 0, &kd, T0), IFP_POLICY_DROP);
		cr_assert_eq(ifp_policy_decide(pol, 0, &ka, T0), IFP_POLICY_SEND);
	}
}

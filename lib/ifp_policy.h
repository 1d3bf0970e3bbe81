/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_POLICY_H
#define IFP_POLICY_H

/**
 * @file
 * The answer policy, [policy] (docs/policy.md): who gets which answer.
 *
 *     [policy]
 *     default = allow                 ; allow | deny
 *     SOURCE [to ADDRESS] KIND[,KIND...] = allow | deny | rate N/s [burst B]
 *
 * Three stages, each usable on its own:
 * - the section as read (struct ifp_policy_conf): ifp_policy_entry() per
 *   line and ifp_policy_finish() once the box's addresses are known; pure
 *   C, no EAL, so a config check without EAL refuses what the daemon would;
 * - the built policy (struct ifp_policy): one rte_acl context per family,
 *   built off the fast path, immutable, freed as a whole, so that it is
 *   published and retired with RCU like the route tables (ifp_route.h); it
 *   also holds each worker's per-rule counters and rate buckets;
 * - the fast path's use of it: ifp_policy_decide_burst() on a burst of
 *   keys of one family, ifp_policy_decide() for one frame.
 * No [policy] (or one that only says `default = allow`) builds a NULL
 * policy: the fast path then tests one pointer per burst and nothing else.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "ifp_conf.h"
#include "ifp_ratelimit.h"
#include "ifp_stats.h"

/*
 * The kinds a rule names, X(enum suffix, name, in `*`). `*` leaves out the
 * three a box needs to stay on its link: they must be named to be filtered,
 * so that a broad deny cannot cut the box off its neighbours.
 */
#define IFP_POLICY_KINDS(X)                                                  \
	X(ECHO, "echo", true)                                                \
	X(TIMESTAMP, "timestamp", true)                                      \
	X(ADDRESS_MASK, "address-mask", true)                                \
	X(EXTENDED_ECHO, "extended-echo", true)                              \
	X(TIME_EXCEEDED, "time-exceeded", true)                              \
	X(UNREACHABLE, "unreachable", true)                                  \
	X(PACKET_TOO_BIG, "packet-too-big", true)                            \
	X(PARAM_PROBLEM, "param-problem", true)                              \
	X(NEIGHBOUR, "neighbour", false) /* ARP reply, Neighbor Advert */    \
	X(MLD, "mld", false)             /* MLD report */                    \
	X(LPA, "lpa", false)             /* an LPA heard */

enum ifp_policy_kind {
#define IFP_X_ENUM(e, s, star) IFP_POLICY_##e,
	IFP_POLICY_KINDS(IFP_X_ENUM)
#undef IFP_X_ENUM
	IFP_POLICY_KIND_MAX
};

/* one bit a kind: a rule's set of kinds, a key's kind */
#define IFP_POLICY_BIT(k) ((uint16_t)(1u << (k)))

/** The kinds of `*`. */
#define IFP_POLICY_STAR                                                      \
	((uint16_t)(0                                                        \
	IFP_POLICY_KINDS(IFP_POLICY_X_STAR)))
#define IFP_POLICY_X_STAR(e, s, star) | ((star) ? IFP_POLICY_BIT(IFP_POLICY_##e) : 0)

/** Every kind. */
#define IFP_POLICY_ALL ((uint16_t)((1u << IFP_POLICY_KIND_MAX) - 1))

/** Name of a kind, as the file spells it. */
const char *ifp_policy_kind_name(enum ifp_policy_kind k);

/**
 * The policy kind of an answer kind (ifp_stats.h). A switch without a
 * default: an answer kind added to IFP_ANSWER_KINDS and not mapped here
 * fails the build (-Wswitch, -Werror). The compiler makes it a table.
 */
static inline enum ifp_policy_kind
ifp_policy_kind_of(enum ifp_answer a)
{
	switch (a) {
	case IFP_ANS_ECHO:
	case IFP_ANS_ECHO6:
		return IFP_POLICY_ECHO;
	case IFP_ANS_TIMESTAMP:
		return IFP_POLICY_TIMESTAMP;
	case IFP_ANS_MASK:
		return IFP_POLICY_ADDRESS_MASK;
	case IFP_ANS_EXT_ECHO:
	case IFP_ANS_EXT_ECHO6:
		return IFP_POLICY_EXTENDED_ECHO;
	case IFP_ANS_TIME_EXCEEDED:
	case IFP_ANS_TIME_EXCEEDED6:
		return IFP_POLICY_TIME_EXCEEDED;
	case IFP_ANS_UNREACH_ROUTE:
	case IFP_ANS_PORT_UNREACH:
	case IFP_ANS_PROTO_UNREACH:
	case IFP_ANS_UNREACH_MODEM:
	case IFP_ANS_PORT_UNREACH6:
	case IFP_ANS_UNREACH_ROUTE6:
	case IFP_ANS_UNREACH_MODEM6:
		return IFP_POLICY_UNREACHABLE;
	case IFP_ANS_FRAG_NEEDED:
	case IFP_ANS_PKT_TOO_BIG6:
		return IFP_POLICY_PACKET_TOO_BIG;
	case IFP_ANS_PARAM_PROBLEM:
	case IFP_ANS_PARAM_PROBLEM6:
		return IFP_POLICY_PARAM_PROBLEM;
	case IFP_ANS_ARP:
	case IFP_ANS_NA:
		return IFP_POLICY_NEIGHBOUR;
	case IFP_ANS_MLD_REPORT:
		return IFP_POLICY_MLD;
	case IFP_ANS_MAX:
		break;
	}
	return IFP_POLICY_KIND_MAX;
}

enum ifp_policy_action {
	IFP_POLICY_ALLOW, /**< answered (the [ratelimit] limits still apply) */
	IFP_POLICY_DENY,  /**< not answered: the caller drops it as policy_deny */
	IFP_POLICY_RATE,  /**< the rule's own bucket (rate, burst) */
};

/** Rules of one family at most. */
#define IFP_POLICY_RULES_MAX 65536u

/** One rule of [policy]. Addresses in network order. */
struct ifp_policy_rule {
	struct ifp_ipx src; /**< the prefix, host bits clear; its family */
	struct ifp_ipx to;  /**< with has_to: one of the box's addresses */
	uint8_t depth;      /**< of src */
	bool has_to;
	uint8_t action;     /**< enum ifp_policy_action */
	uint16_t kinds;     /**< IFP_POLICY_BIT() of each kind */
	uint32_t line;      /**< of the config file */
	uint32_t rate;      /**< IFP_POLICY_RATE: answers a second */
	uint32_t burst;     /**< IFP_POLICY_RATE: the bucket's depth */
};

/*
 * The repeat check's table: one slot for each distinct (source, to) of
 * the rules read so far, with the kinds they took.
 */
struct ifp_policy_seen;

/** [policy] as read, in the file's order. Owns its arrays. */
struct ifp_policy_conf {
	uint8_t def;        /**< allow or deny: what no rule matches gets */
	uint32_t def_line;  /**< line of `default`; 0: not given (allow) */
	uint32_t n_rules;   /**< both families */
	uint32_t n_family[2]; /**< [0] IPv4, [1] IPv6 */
	uint32_t cap;
	struct ifp_policy_rule *rule;
	uint32_t seen_n, seen_cap;
	struct ifp_policy_seen *seen;
};

/** An empty section: no rule, default allow. */
void ifp_policy_conf_init(struct ifp_policy_conf *pc);

/** Free what @p pc holds; it is then empty again. */
void ifp_policy_conf_free(struct ifp_policy_conf *pc);

/**
 * Read one line of [policy], `key = value`, the @p line th of its file:
 * `default = allow|deny`, or a rule (ifp_policy_rule_parse()) that must
 * not repeat the source, `to` and kinds of earlier rules (it would never
 * match) nor make its family's rules more than IFP_POLICY_RULES_MAX.
 *
 * @return 0, or -1 with the reason in @p err, without FILE:LINE (the
 * caller prefixes it); -ENOMEM-like failures say "out of memory".
 */
int ifp_policy_entry(struct ifp_policy_conf *pc, const char *key,
		     const char *value, uint32_t line, char *err, size_t errlen);

/**
 * Parse one rule, `key = value`, into @p r (its line set to @p line).
 * Pure: no check against other rules nor the box's addresses.
 *
 * @return 0, or -1 with the reason in @p err (no FILE:LINE).
 */
int ifp_policy_rule_parse(const char *key, const char *value, uint32_t line,
			  struct ifp_policy_rule *r, char *err, size_t errlen);

/** Is @p a one of the box's addresses? @p arg is the caller's. */
typedef bool ifp_policy_own_fn(const struct ifp_ipx *a, const void *arg);

/**
 * ifp_policy_own_fn over a struct ifp_conf: an address of a present port
 * (IPv4 address, IPv6 link-local or address6). A link-local made from the
 * MAC (link_local = auto) is unknown before the port starts: a `to` it
 * names is refused.
 */
bool ifp_policy_own_conf(const struct ifp_ipx *a, const void *conf);

/**
 * The checks of the whole section, once every address of the box is
 * known (after the last section of the file): each `to` must be an
 * address of the box, as @p own says.
 *
 * @return 0, or -1 with the reason in @p err and the line it concerns in
 * @p line (the caller prefixes FILE:LINE).
 */
int ifp_policy_finish(const struct ifp_policy_conf *pc, ifp_policy_own_fn *own,
		      const void *arg, uint32_t *line, char *err,
		      size_t errlen);

/** "SOURCE [to ADDRESS] KINDS = ACTION" of a rule, as a file gives it. */
void ifp_policy_rule_str(const struct ifp_policy_rule *r, char *out,
			 size_t len);

/** "allow", "deny" or "rate" (the exporter's action label). */
const char *ifp_policy_action_name(enum ifp_policy_action a);

/*
 * What the fast path classifies, one per frame, in the layout of the
 * rte_acl contexts (lib/acl/rte_acl.h: the first field one byte, then
 * groups of four bytes; every field in network order):
 *   family   the first field (4 or 6), matched exactly
 *   kind     1 << ifp_policy_kind, a 16-bit group with 16 bits that are 0
 *   src, dst four bytes for IPv4, four groups of four for IPv6, as
 *            DPDK's examples/l3fwd/l3fwd_acl.c lays an IPv6 address out
 * dst is what the frame was addressed to (ARP and ND: the target), which
 * is what `to` matches.
 */
struct ifp_policy_key {
	uint8_t family;
	uint8_t pad0[3];
	rte_be16_t kind;
	uint16_t pad1;
	union {
		struct {
			rte_be32_t src;
			rte_be32_t dst;
		} ip4;
		struct {
			uint8_t src[16];
			uint8_t dst[16];
		} ip6;
	};
};

/** Fill @p k for an IPv4 frame from @p src to @p dst (network order). */
static inline void
ifp_policy_key4(struct ifp_policy_key *k, rte_be32_t src, rte_be32_t dst,
		enum ifp_policy_kind kind)
{
	k->family = 4;
	k->pad0[0] = k->pad0[1] = k->pad0[2] = 0;
	k->kind = rte_cpu_to_be_16(IFP_POLICY_BIT(kind));
	k->pad1 = 0;
	k->ip4.src = src;
	k->ip4.dst = dst;
}

/** Fill @p k for an IPv6 frame from @p src to @p dst. */
static inline void
ifp_policy_key6(struct ifp_policy_key *k, const uint8_t *src,
		const uint8_t *dst, enum ifp_policy_kind kind)
{
	k->family = 6;
	k->pad0[0] = k->pad0[1] = k->pad0[2] = 0;
	k->kind = rte_cpu_to_be_16(IFP_POLICY_BIT(kind));
	k->pad1 = 0;
	memcpy(k->ip6.src, src, 16);
	memcpy(k->ip6.dst, dst, 16);
}

/** A key of @p a's family from @p src to @p dst (slow path, tests). */
void ifp_policy_key(struct ifp_policy_key *k, const struct ifp_ipx *src,
		    const struct ifp_ipx *dst, enum ifp_policy_kind kind);

/** No rule matched: the default decides (of the `*` kinds only). */
#define IFP_POLICY_DEFAULT UINT32_MAX

/** Frames a burst classifies at most (IFP_BURST_MAX). */
#define IFP_POLICY_BURST_MAX 64

struct rte_mbuf;

/** The built policy (opaque): rules, rte_acl contexts, workers' state. */
struct ifp_policy;

/**
 * Build the policy of @p pc (ifp_policy_finish() passed) on NUMA
 * @p socket for @p n_workers workers, each of which gets its own
 * counters and buckets (a `rate N/s` rule gives each N / n_workers a
 * second and the whole burst, as [ratelimit]'s shared limits do). The
 * rte_acl contexts are named after @p name, unique among live policies
 * (a reload builds the next before the running one is freed). Needs EAL
 * (rte_acl and rte_malloc memory); runs on the main lcore, never on a
 * worker. @p path is kept for FILE:LINE in what operators see.
 *
 * @return 0 with the policy in @p *out, NULL when @p pc has no rule and
 * allows by default (nothing to check); or -1 with the reason in @p err.
 */
int ifp_policy_build(const struct ifp_policy_conf *pc, const char *path,
		     const char *name, int socket, unsigned int n_workers,
		     struct ifp_policy **out, char *err, size_t errlen);

/** Free @p p, its contexts and the workers' state (NULL is fine). */
void ifp_policy_free(struct ifp_policy *p);

/** Rules of @p p (both families), in the file's order. */
uint32_t ifp_policy_n_rules(const struct ifp_policy *p);
/** Rule @p i of @p p. */
const struct ifp_policy_rule *ifp_policy_rule(const struct ifp_policy *p,
					      uint32_t i);
/** The file the rules came from. */
const char *ifp_policy_path(const struct ifp_policy *p);
/** `default` of @p p. */
enum ifp_policy_action ifp_policy_default(const struct ifp_policy *p);

/**
 * Classify @p n (<= IFP_POLICY_BURST_MAX) keys of family @p family (4 or
 * 6) at once with the family's rte_acl context: in @p results the index of
 * the first rule (file order) each matches, or IFP_POLICY_DEFAULT.
 */
void ifp_policy_classify(const struct ifp_policy *p, int family,
			 const struct ifp_policy_key *keys, uint32_t n,
			 uint32_t *results);

/**
 * The same by a linear scan of the rules: the reference the tests hold
 * the classifier to. Slow (every rule); never on the fast path.
 */
uint32_t ifp_policy_match_linear(const struct ifp_policy *p,
				 const struct ifp_policy_key *key);

/** What a worker does with a frame's answer. */
enum ifp_policy_verdict {
	IFP_POLICY_SEND,    /**< answer it */
	IFP_POLICY_DROP,    /**< denied: drop it as policy_deny */
	IFP_POLICY_LIMITED, /**< over its rule's rate: count it ratelimited */
};

/**
 * Decide the @p n (<= IFP_POLICY_BURST_MAX) keys of family @p family that
 * worker @p worker classifies at @p now_ns (the frames' RX time): classify
 * them, then apply the matching rule (counting it, taking a token for a
 * rate rule) or the default, into @p verdicts; returns the keys whose
 * verdict is not SEND, bit i for key i. Only worker @p worker may
 * call it with that index.
 */
uint64_t ifp_policy_decide_burst(const struct ifp_policy *p,
				 unsigned int worker, int family,
				 const struct ifp_policy_key *keys, uint32_t n,
				 uint64_t now_ns, uint8_t *verdicts);

/**
 * ifp_policy_decide_burst() for the echo replies the fast path made: the
 * frames of @p pkts whose bit is set in @p mask, each untagged Ethernet
 * then IPv4 or IPv6, from the box's address to the requester (the key:
 * source the requester, destination the box, kind echo). The cache is
 * read against the headers where they are: only what it misses gets a
 * key and goes to rte_acl. Returns the frames not to send; verdicts[i]
 * is set for those only.
 */
uint64_t ifp_policy_decide_replies(const struct ifp_policy *p,
				   unsigned int worker,
				   struct rte_mbuf *const *pkts, uint64_t mask,
				   uint64_t now_ns, uint8_t *verdicts);

/** ifp_policy_decide_burst() for one frame (the slow path's answers). */
enum ifp_policy_verdict ifp_policy_decide(const struct ifp_policy *p,
					  unsigned int worker,
					  const struct ifp_policy_key *key,
					  uint64_t now_ns);

/**
 * The lookups of worker @p worker the cache of ifp_policy_decide_burst()
 * answered (@p hits) and left to rte_acl (@p misses).
 */
void ifp_policy_cache_stats(const struct ifp_policy *p, unsigned int worker,
			    uint64_t *hits, uint64_t *misses);

/** A rule's counts, or the default's. */
struct ifp_policy_counts {
	uint64_t matched; /**< frames the rule decided */
	uint64_t denied;  /**< of matched: dropped as policy_deny */
	uint64_t limited; /**< of matched: over the rule's rate */
};

/**
 * Counts of rule @p i of @p p (IFP_POLICY_DEFAULT: of the default), the
 * sum over the workers. Read from another lcore while they run: each
 * counter is one aligned 64-bit word only its worker writes.
 */
void ifp_policy_counts(const struct ifp_policy *p, uint32_t i,
		       struct ifp_policy_counts *out);

#endif /* IFP_POLICY_H */

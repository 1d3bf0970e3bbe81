/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_TRACE_H
#define IFP_TRACE_H

/**
 * @file
 * Packet trace: why a frame got its answer (docs/trace.md).
 *
 * While a worker's trace is armed, each frame it takes gets a record: a
 * one-line summary of the frame, the checks that decided it in order
 * ("ipv4: ok", "route: 198.51.100.0/24 (icmpfp.ini:12) unreachable host"),
 * and its end, named as the counters name it (ifp_stats.h): answered with
 * the answer kind, rate-limited with the kind withheld, or dropped with the
 * reason.
 *
 * Cost when disarmed: ifp_trace_on() once per burst, one load and one
 * compare. The fast path keeps a record pointer per frame that is NULL
 * unless the burst is traced, and every step is IFP_TRACE_STEP(), a test of
 * that pointer.
 *
 * Threads: the worker that owns a buffer writes its records (single
 * writer); one control thread at a time arms, disarms and clears it
 * (ifp_trace_arm(), ifp_trace_clear(): the caller serialises them); any
 * thread reads records with ifp_trace_get(), which copies a record under
 * the buffer's rte_seqcount and retries while the worker writes.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_seqcount.h>

#include "ifp_stats.h"

/*
 * Records kept per worker, a ring: the newest IFP_TRACE_KEEP stay. Two
 * full bursts (IFP_BURST_MAX is 64), so the records a burst has open never
 * overwrite the last burst's, and at ~1.5 kB a record a worker's buffer is
 * ~190 kB. An operator reads a few frames, as VPP's `trace add ... 50`.
 */
#define IFP_TRACE_KEEP 128
/** Frames one burst may trace: the slots that are not the last burst's. */
#define IFP_TRACE_OPEN_MAX (IFP_TRACE_KEEP / 2)
/** Steps a record holds; more are counted, not kept. */
#define IFP_TRACE_STEPS 16
/* Text of a record's steps, and the longest step and summary: one DPDK
 * telemetry string each (RTE_TEL_MAX_STRING_LEN, 128 in 22.11). */
#define IFP_TRACE_TEXT 1024
#define IFP_TRACE_LINE 128
/** A route's or policy rule's FILE:LINE. */
#define IFP_TRACE_NOTE 96
/*
 * Bytes of the frame a record keeps; its summary is made from them when
 * the record is read, not on the worker (as VPP formats its traces at
 * `show trace`). Ethernet, two tags, IPv6 and a chain of extension headers
 * before the ICMP header.
 */
#define IFP_TRACE_HEAD 192

/** How a traced frame ended: the three ends of every frame, ifp_stats.h. */
enum ifp_trace_outcome {
	IFP_TRACE_OPEN,        /**< no end recorded (a missing call) */
	IFP_TRACE_ANSWERED,    /**< code: enum ifp_answer */
	IFP_TRACE_RATELIMITED, /**< code: the enum ifp_answer withheld */
	IFP_TRACE_DROPPED,     /**< code: enum ifp_drop */
};

/** Which frames an armed trace takes (all given terms must match). */
struct ifp_trace_filter {
	bool by_src;        /**< src=PREFIX */
	bool src_v6;        /**< the prefix is IPv6 */
	uint8_t src_depth;  /**< prefix length */
	uint8_t src[16];    /**< the prefix, network order (IPv4: 4 bytes) */
	bool by_port;       /**< port=P */
	uint16_t port;
	bool dropped_only;  /**< dropped: keep dropped frames only */
};

/** One traced frame. */
struct ifp_trace_rec {
	uint64_t id;      /**< 1-based, in commit order on its worker */
	uint64_t frame;   /**< the caller's frame number (replay: capture order) */
	uint64_t time_ns; /**< receive (replay: capture) time, UNIX ns */
	uint32_t len;     /**< frame length on the wire */
	uint32_t lcore;
	uint16_t port;
	uint16_t queue;
	uint16_t code;    /**< enum ifp_answer or enum ifp_drop, by outcome */
	uint8_t outcome;  /**< enum ifp_trace_outcome */
	uint8_t n_steps;
	uint16_t steps_lost; /**< steps past IFP_TRACE_STEPS or the text */
	uint16_t used;       /**< bytes of text used */
	uint16_t step_off[IFP_TRACE_STEPS];
	uint16_t head_len;   /**< bytes of head[] the frame filled */
	/** where its answer's first frame lies in the burst's TX array
	 * (ifp_trace_tx()); UINT16_MAX: none */
	uint16_t tx_slot;
	uint8_t head[IFP_TRACE_HEAD]; /**< the frame's first bytes */
	char route[IFP_TRACE_NOTE];  /**< FILE:LINE of the deciding route */
	char policy[IFP_TRACE_NOTE]; /**< FILE:LINE of the deciding rule */
	char text[IFP_TRACE_TEXT];   /**< the steps, NUL-terminated each */
};

/** One worker's trace: its arming, and the ring of its records. */
struct ifp_trace_buf {
	/* control-owned: what to take, under arm_sc */
	rte_seqcount_t arm_sc;
	struct ifp_trace_filter arm_filter;
	/** armed while committed < until: the one test of a burst */
	uint64_t until;
	/** ids up to this one were cleared (ifp_trace_clear) */
	uint64_t cleared;

	/* worker-owned */
	uint32_t lcore;
	struct ifp_trace_filter filter; /**< this burst's copy */
	uint64_t committed;             /**< records committed, ever */
	uint32_t n_open;                /**< records this burst has open */
	rte_seqcount_t sc;              /**< guards rec[] against readers */
	struct ifp_trace_rec rec[IFP_TRACE_KEEP];
};

/** A disarmed, empty buffer for the worker on @p lcore. */
void ifp_trace_init(struct ifp_trace_buf *tb, uint32_t lcore);

/**
 * Arm the next @p n frames that match @p f (NULL: every frame) on this
 * worker; 0 disarms, UINT64_MAX traces every frame. Control thread.
 */
void ifp_trace_arm(struct ifp_trace_buf *tb, uint64_t n,
		   const struct ifp_trace_filter *f);

/** Frames still to trace (0: disarmed). Any thread. */
uint64_t ifp_trace_left(const struct ifp_trace_buf *tb);

/** Forget the records kept so far (readers skip them). Control thread. */
void ifp_trace_clear(struct ifp_trace_buf *tb);

/**
 * Parse a filter: terms "src=PREFIX", "port=P", "dropped", separated by
 * ',' or ' '; "" is every frame. 0, or -1 with @p err set.
 */
int ifp_trace_filter_parse(const char *s, struct ifp_trace_filter *f,
			   char *err, size_t errlen);

/** Whether a burst is traced: one relaxed load, one compare. Worker. */
static inline bool
ifp_trace_on(const struct ifp_trace_buf *tb)
{
	return unlikely(__atomic_load_n(&tb->until, __ATOMIC_RELAXED) >
			tb->committed);
}

/** Start a traced burst (after ifp_trace_on()). Worker. */
void ifp_trace_burst_begin(struct ifp_trace_buf *tb);

/**
 * Open a record for a frame of a traced burst: @p data holds @p avail
 * bytes of a frame of @p len (the first segment, rte_pktmbuf_mtod). NULL
 * when the filter does not take it or the budget is spent. Worker.
 */
struct ifp_trace_rec *ifp_trace_frame(struct ifp_trace_buf *tb,
				      const void *data, uint32_t avail,
				      uint32_t len, uint64_t frame,
				      uint16_t port, uint16_t queue,
				      uint64_t time_ns);

/** The answer of @p r lies from @p slot on in the burst's TX array. */
static inline void
ifp_trace_tx(struct ifp_trace_rec *r, uint16_t slot)
{
	r->tx_slot = slot;
}

/**
 * The port took the first @p sent frames of the burst's TX array: an
 * answer whose first frame lies beyond them ends dropped as tx_full, as
 * ifp_tx_account() counts it. Before ifp_trace_burst_end(). Worker.
 */
void ifp_trace_burst_sent(struct ifp_trace_buf *tb, uint16_t sent);

/** End a traced burst: commit its records (the filter's "dropped"). */
void ifp_trace_burst_end(struct ifp_trace_buf *tb);

/** Append a step ("ipv4: ok"), printf-style; a format without '%' is
 * copied as it is. */
void ifp_trace_step(struct ifp_trace_rec *r, const char *fmt, ...)
	__rte_format_printf(2, 3);

/** Append the step @p a followed by @p b ("icmp: " "echo request"),
 * without printf. */
void ifp_trace_step_cat(struct ifp_trace_rec *r, const char *a, const char *b);

/** The step, when the frame is traced (@p r not NULL). */
#define IFP_TRACE_STEP(r, ...)                                              \
	do {                                                                 \
		if (unlikely((r) != NULL))                                   \
			ifp_trace_step((r), __VA_ARGS__);                    \
	} while (0)

/** The ICMP (@p v6: ICMPv6, ND) handler of message @p type / @p code:
 * step "icmp: echo request", "nd: neighbor solicitation", ... */
void ifp_trace_icmp(struct ifp_trace_rec *r, bool v6, uint8_t type,
		    uint8_t code);

/** The route that decided: step "route: PREFIX (LINE) ACTION". */
void ifp_trace_route(struct ifp_trace_rec *r, const char *line,
		     const char *prefix, const char *action);
/** The policy rule that decided: step "policy: LINE VERDICT". */
void ifp_trace_policy(struct ifp_trace_rec *r, const char *line,
		      const char *verdict);

/** The frame was answered with @p a. */
void ifp_trace_answered(struct ifp_trace_rec *r, enum ifp_answer a);
/** The answer @p a was withheld by @p limiter ("per-source", ...; NULL:
 * the limiter recorded its own step). */
void ifp_trace_ratelimited(struct ifp_trace_rec *r, enum ifp_answer a,
			   const char *limiter);
/** The frame was dropped for @p d; IP_FRAG_REASM/IP6_FRAG_REASM: held. */
void ifp_trace_dropped(struct ifp_trace_rec *r, enum ifp_drop d);

/**
 * Copy the record @p id into @p out. 0, -ENOENT (cleared, overwritten or
 * not yet committed), -EAGAIN (the worker kept writing). Any thread.
 */
int ifp_trace_get(const struct ifp_trace_buf *tb, uint64_t id,
		  struct ifp_trace_rec *out);
/** The ids ifp_trace_get() may find: [*first, *last]; none if first > last. */
void ifp_trace_ids(const struct ifp_trace_buf *tb, uint64_t *first,
		   uint64_t *last);

/** "answered", "ratelimited", "dropped" (or "open"). */
const char *ifp_trace_outcome_name(enum ifp_trace_outcome o);
/** The answer kind or drop reason of a record, as the counters name it. */
const char *ifp_trace_result_name(const struct ifp_trace_rec *r);
/** The summary line of a record's frame (ifp_trace_summary()). */
size_t ifp_trace_rec_summary(const struct ifp_trace_rec *r, char *buf,
			     size_t size);
/** Step @p i of a record. */
const char *ifp_trace_step_text(const struct ifp_trace_rec *r, unsigned int i);

/**
 * One line about a frame from its bytes alone: addresses, protocol,
 * type/code, id/seq, length; any bytes, any length. Returns strlen.
 */
size_t ifp_trace_summary(const void *data, uint32_t avail, uint32_t len,
			 char *buf, size_t size);

/**
 * A receive time as "SECONDS.MICROSECONDS" in @p sec and as UTC ISO 8601
 * ("2026-12-06T01:23:45.123456Z") in @p iso, each cut to its size.
 */
void ifp_trace_time_str(uint64_t time_ns, char *sec, size_t sec_len,
			char *iso, size_t iso_len);

/**
 * A record as one JSON object (docs/trace.md); @p live adds lcore, port,
 * queue and wall_time. Returns its length, or @p size when it did not fit.
 */
size_t ifp_trace_json(const struct ifp_trace_rec *r, bool live, char *buf,
		      size_t size);

#endif /* IFP_TRACE_H */

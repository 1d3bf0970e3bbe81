/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_LPA_TABLE_H
#define IFP_LPA_TABLE_H

/**
 * @file
 * The modems heard in Link Property Advertisements, and the view of them
 * that routes follow.
 *
 * Workers decode LPAs and pass each Rate Block (struct ifp_lpa_heard) to
 * the main lcore through a ring of their own; only the main lcore writes
 * the table. It keeps one entry per modem, keyed by the LPA's source
 * address and the Modem ID (two modems that share an ID behind different
 * sources stay apart), applies the hold timer and derives from the table a
 * view: per Modem ID, whether a route that follows it is up and the MTU to
 * report. Workers read a published view, never the table.
 *
 * Time is an argument everywhere (ns on the clock of the RX times), so
 * icmpfp-replay reproduces the hold timer from capture timestamps. No EAL.
 */

#include <stdbool.h>
#include <stdint.h>

#include "ifp_conf.h"
#include "ifp_lpa.h"

/** Modems the table holds; a new one past this evicts the longest silent. */
#define IFP_LPA_MODEMS_MAX 256

/* what a struct ifp_lpa_heard carries */
#define IFP_LPA_HEARD_RATE 0  /**< a Rate Block of an LPA */
#define IFP_LPA_HEARD_NEIGH 1 /**< the MAC of an advertise_to address */

/**
 * What a worker passes to the main lcore: one Rate Block it heard, or the
 * MAC address an ARP reply gave for a unicast advertise_to destination
 * (icmpfp keeps no neighbour cache; its own LPAs need one).
 */
struct ifp_lpa_heard {
	uint64_t rx_ns;          /**< RX time of the datagram */
	union {
		struct ifp_lpa_block b;     /**< IFP_LPA_HEARD_RATE */
		struct rte_ether_addr mac;  /**< IFP_LPA_HEARD_NEIGH: src's */
	};
	struct ifp_ipx src;      /**< the datagram's IP source */
	uint16_t port;           /**< heard on */
	uint16_t kind;           /**< IFP_LPA_HEARD_* */
} __rte_aligned(8);

/** A modem's state, as the table sees it. */
enum ifp_lpa_state {
	IFP_LPA_UNHEARD = 0, /**< no LPA yet (or forgotten) */
	IFP_LPA_UP,          /**< its last LPA said up, within hold */
	IFP_LPA_DOWN,        /**< its last LPA said down, within hold */
	IFP_LPA_SILENT,      /**< no LPA for hold seconds */
};

/** Name of a state, as logs and telemetry show it. */
const char *ifp_lpa_state_name(enum ifp_lpa_state s);

/* directions of rates heard (IFP_LPA_IF_OUT set: out) */
#define IFP_LPA_DIR_OUT 0
#define IFP_LPA_DIR_IN 1

/** One modem: a source address and a Modem ID. */
struct ifp_lpa_modem {
	struct ifp_ipx src;
	uint32_t id;
	uint16_t port;      /**< where its last LPA came in */
	uint16_t mtu;       /**< as last heard; 0: not given */
	uint16_t if_flags;  /**< as last heard */
	uint8_t state;      /**< enum ifp_lpa_state */
	uint8_t dirs;       /**< bit IFP_LPA_DIR_*: rates heard that way */
	/** [IFP_LPA_DIR_*][current, minimum, maximum], bit/s; a
	 * bidirectional block sets both */
	uint32_t rate[2][3];
	rte_be32_t modem_ip;
	uint64_t first_ns;  /**< first heard */
	uint64_t last_ns;   /**< last heard */
	uint64_t count;     /**< Rate Blocks heard */
	uint64_t changes;   /**< state changes */
};

struct ifp_lpa_table {
	uint32_t n;
	uint64_t blocks;  /**< Rate Blocks applied */
	uint64_t stale;   /**< older than what their modem holds: ignored */
	uint64_t refused; /**< a new modem, the table full of live ones */
	uint64_t evicted; /**< silent modems forgotten to make room */
	struct ifp_lpa_modem m[IFP_LPA_MODEMS_MAX];
};

/**
 * Told of every state change: modem @p m went from @p old to its
 * m->state. The main lcore logs them.
 */
typedef void (*ifp_lpa_change_fn)(const struct ifp_lpa_modem *m,
				  enum ifp_lpa_state old, void *arg);

/** An empty table. */
void ifp_lpa_table_init(struct ifp_lpa_table *t);

/**
 * Apply one Rate Block heard: its modem's entry (made when new) takes the
 * block's state, MTU and rates. A block older than the entry's last one
 * (two workers' rings drained out of order) is ignored. Returns 0, or -1
 * when the table is full of modems heard within @p hold_ns.
 */
int ifp_lpa_table_apply(struct ifp_lpa_table *t, const struct ifp_lpa_heard *h,
			uint64_t hold_ns, ifp_lpa_change_fn fn, void *arg);

/** The hold timer: every modem not heard for @p hold_ns at @p now_ns
 * turns silent. */
void ifp_lpa_table_tick(struct ifp_lpa_table *t, uint64_t now_ns,
			uint64_t hold_ns, ifp_lpa_change_fn fn, void *arg);

/** What a route that follows one Modem ID sees. */
struct ifp_lpa_view_modem {
	uint32_t id;
	uint16_t mtu; /**< 0: none given */
	uint16_t up;
};

/**
 * The view the workers read: one entry per Modem ID, sorted by ID. A Modem
 * ID heard from several sources is up when any of them is up, and its MTU
 * is the smallest MTU of those up (the route may take either path; PMTU
 * discovery must fit both).
 */
struct ifp_lpa_view {
	uint32_t n;
	struct ifp_lpa_view_modem m[IFP_LPA_MODEMS_MAX];
};

/** Derive @p v from @p t. */
void ifp_lpa_view_build(const struct ifp_lpa_table *t, struct ifp_lpa_view *v);

/** Do two views say the same. */
bool ifp_lpa_view_equal(const struct ifp_lpa_view *a,
			const struct ifp_lpa_view *b);

/**
 * Is Modem ID @p id up in @p v (NULL: nothing heard); when it is, its MTU
 * (0: none given) in @p mtu.
 */
static inline bool
ifp_lpa_view_up(const struct ifp_lpa_view *v, uint32_t id, uint16_t *mtu)
{
	uint32_t lo = 0, hi;

	if (v == NULL)
		return false;
	hi = v->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (v->m[mid].id < id) {
			lo = mid + 1;
		} else if (v->m[mid].id > id) {
			hi = mid;
		} else {
			*mtu = v->m[mid].mtu;
			return v->m[mid].up != 0;
		}
	}
	return false;
}

#endif /* IFP_LPA_TABLE_H */

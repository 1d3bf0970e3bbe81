/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ifp_trace.h"

/* ifp_trace_get() gives up after this many torn copies */
#define IFP_TRACE_READ_TRIES 1000

void
ifp_trace_init(struct ifp_trace_buf *tb, uint32_t lcore)
{
	memset(tb, 0, sizeof(*tb));
	rte_seqcount_init(&tb->arm_sc);
	rte_seqcount_init(&tb->sc);
	tb->lcore = lcore;
}

void
ifp_trace_arm(struct ifp_trace_buf *tb, uint64_t n,
	      const struct ifp_trace_filter *f)
{
	uint64_t done = __atomic_load_n(&tb->committed, __ATOMIC_RELAXED);

	rte_seqcount_write_begin(&tb->arm_sc);
	if (f != NULL)
		tb->arm_filter = *f;
	else
		memset(&tb->arm_filter, 0, sizeof(tb->arm_filter));
	rte_seqcount_write_end(&tb->arm_sc);
	/* the filter is published before the worker can see the budget */
	/* UINT64_MAX: every frame from now on (icmpfp-replay --trace) */
	__atomic_store_n(&tb->until, n == 0 ? 0 : n > UINT64_MAX - done ? UINT64_MAX : done + n,
			 __ATOMIC_RELEASE);
}

uint64_t
ifp_trace_left(const struct ifp_trace_buf *tb)
{
	uint64_t until = __atomic_load_n(&tb->until, __ATOMIC_ACQUIRE);
	uint64_t done = __atomic_load_n(&tb->committed, __ATOMIC_RELAXED);

	return until > done ? until - done : 0;
}

void
ifp_trace_clear(struct ifp_trace_buf *tb)
{
	__atomic_store_n(&tb->cleared,
			 __atomic_load_n(&tb->committed, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELEASE);
}

/* "a.b.c.d/n" or "x::/n" (no /n: the whole address) */
static int
prefix_parse(const char *s, size_t n, struct ifp_trace_filter *f)
{
	char buf[64], *slash, *end;
	unsigned long depth;
	unsigned int max;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	memset(f->src, 0, sizeof(f->src));
	if (inet_pton(AF_INET, buf, f->src) == 1) {
		f->src_v6 = false;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, f->src) == 1) {
		f->src_v6 = true;
		max = 128;
	} else {
		return -1;
	}
	depth = max;
	if (slash != NULL) {
		errno = 0;
		depth = strtoul(slash + 1, &end, 10);
		if (slash[1] == '\0' || *end != '\0' || errno != 0 || depth > max)
			return -1;
	}
	f->src_depth = (uint8_t)depth;
	f->by_src = true;
	return 0;
}

int
ifp_trace_filter_parse(const char *s, struct ifp_trace_filter *f, char *err,
		       size_t errlen)
{
	memset(f, 0, sizeof(*f));
	while (s != NULL && *s != '\0') {
		size_t n = strcspn(s, ", ");
		char *end;

		if (n == 0) {
			s++;
			continue;
		}
		if (n == 7 && strncmp(s, "dropped", 7) == 0) {
			f->dropped_only = true;
		} else if (n > 4 && strncmp(s, "src=", 4) == 0) {
			if (prefix_parse(s + 4, n - 4, f) < 0) {
				snprintf(err, errlen,
					 "'%.*s': src= takes an IPv4 or IPv6 prefix",
					 (int)n, s);
				return -1;
			}
		} else if (n > 5 && strncmp(s, "port=", 5) == 0) {
			unsigned long p;

			errno = 0;
			p = strtoul(s + 5, &end, 10);
			if (end != s + n || errno != 0 || p > UINT16_MAX ||
			    s[5] < '0' || s[5] > '9') {
				snprintf(err, errlen,
					 "'%.*s': port= takes a port number",
					 (int)n, s);
				return -1;
			}
			f->by_port = true;
			f->port = (uint16_t)p;
		} else {
			snprintf(err, errlen,
				 "'%.*s': filters are src=PREFIX, port=P, dropped",
				 (int)n, s);
			return -1;
		}
		s += n;
	}
	return 0;
}

/* Byte reader over what the frame holds: never past @p avail. */
struct rd {
	const uint8_t *p;
	uint32_t avail;
};

static bool
has(const struct rd *r, uint32_t off, uint32_t n)
{
	return off <= r->avail && n <= r->avail - off;
}

static uint16_t
be16(const struct rd *r, uint32_t off)
{
	return (uint16_t)(r->p[off] << 8 | r->p[off + 1]);
}

/* Where the frame's L3 starts and its ethertype, past up to two tags. */
static int
l2_parse(const struct rd *r, uint32_t *off, uint16_t *etype, int *vlan)
{
	*off = 12;
	*vlan = -1;
	if (!has(r, 0, 14))
		return -1;
	*etype = be16(r, 12);
	for (int tags = 0; tags < 2 && (*etype == 0x8100 || *etype == 0x88a8);
	     tags++) {
		if (!has(r, *off, 6))
			return -1;
		if (*vlan < 0)
			*vlan = be16(r, *off + 2) & 0xfff;
		*off += 4;
		*etype = be16(r, *off);
	}
	*off += 2;
	return 0;
}

/* The source address the filter compares: IPv4, IPv6 or ARP's sender. */
static bool
filter_takes(const struct ifp_trace_filter *f, const struct rd *r,
	     uint16_t port)
{
	const uint8_t *a = NULL;
	uint32_t off;
	uint16_t et;
	int vlan;

	if (f->by_port && f->port != port)
		return false;
	if (!f->by_src)
		return true;
	if (l2_parse(r, &off, &et, &vlan) < 0)
		return false;
	if (!f->src_v6 && et == 0x0800 && has(r, off, 20))
		a = r->p + off + 12;
	else if (!f->src_v6 && et == 0x0806 && has(r, off, 28))
		a = r->p + off + 14;
	else if (f->src_v6 && et == 0x86dd && has(r, off, 40))
		a = r->p + off + 8;
	if (a == NULL)
		return false;
	for (unsigned int bit = 0; bit < f->src_depth; bit += 8) {
		unsigned int left = f->src_depth - bit;
		uint8_t mask = left >= 8 ? 0xff : (uint8_t)(0xff << (8 - left));

		if ((a[bit / 8] ^ f->src[bit / 8]) & mask)
			return false;
	}
	return true;
}

void
ifp_trace_burst_begin(struct ifp_trace_buf *tb)
{
	uint32_t sn;

	do {
		sn = rte_seqcount_read_begin(&tb->arm_sc);
		tb->filter = tb->arm_filter;
	} while (rte_seqcount_read_retry(&tb->arm_sc, sn));
	tb->n_open = 0;
	rte_seqcount_write_begin(&tb->sc);
}

struct ifp_trace_rec *
ifp_trace_frame(struct ifp_trace_buf *tb, const void *data, uint32_t avail,
		uint32_t len, uint64_t frame, uint16_t port, uint16_t queue,
		uint64_t time_ns)
{
	const struct rd r = {.p = data, .avail = avail};
	uint64_t until = __atomic_load_n(&tb->until, __ATOMIC_RELAXED);
	struct ifp_trace_rec *rec;

	/* "dropped" keeps what ends dropped: the budget is counted at the end */
	if (tb->n_open >= IFP_TRACE_OPEN_MAX ||
	    (!tb->filter.dropped_only && tb->committed + tb->n_open >= until) ||
	    !filter_takes(&tb->filter, &r, port))
		return NULL;
	rec = &tb->rec[(tb->committed + tb->n_open) % IFP_TRACE_KEEP];
	tb->n_open++;
	rec->id = 0;
	rec->frame = frame;
	rec->time_ns = time_ns;
	rec->len = len;
	rec->lcore = tb->lcore;
	rec->port = port;
	rec->queue = queue;
	rec->code = 0;
	rec->outcome = IFP_TRACE_OPEN;
	rec->n_steps = 0;
	rec->steps_lost = 0;
	rec->used = 0;
	rec->route[0] = '\0';
	rec->policy[0] = '\0';
	rec->tx_slot = UINT16_MAX;
	rec->head_len = (uint16_t)RTE_MIN(RTE_MIN(avail, len), (uint32_t)IFP_TRACE_HEAD);
	memcpy(rec->head, data, rec->head_len);
	return rec;
}

void
ifp_trace_burst_sent(struct ifp_trace_buf *tb, uint16_t sent)
{
	for (uint32_t i = 0; i < tb->n_open; i++) {
		struct ifp_trace_rec *r =
			&tb->rec[(tb->committed + i) % IFP_TRACE_KEEP];

		if (r->outcome == IFP_TRACE_ANSWERED && r->tx_slot != UINT16_MAX &&
		    r->tx_slot >= sent) {
			ifp_trace_step(r, "tx: queue full");
			ifp_trace_dropped(r, IFP_DROP_TX_FULL);
		}
	}
}

void
ifp_trace_burst_end(struct ifp_trace_buf *tb)
{
	uint64_t until = __atomic_load_n(&tb->until, __ATOMIC_RELAXED);
	uint64_t base = tb->committed, kept = 0;

	for (uint32_t i = 0; i < tb->n_open && base + kept < until; i++) {
		struct ifp_trace_rec *r = &tb->rec[(base + i) % IFP_TRACE_KEEP];
		struct ifp_trace_rec *to = &tb->rec[(base + kept) % IFP_TRACE_KEEP];

		if (tb->filter.dropped_only && r->outcome != IFP_TRACE_DROPPED)
			continue;
		if (to != r)
			memcpy(to, r, sizeof(*to));
		to->id = base + ++kept;
	}
	tb->n_open = 0;
	rte_seqcount_write_end(&tb->sc);
	__atomic_store_n(&tb->committed, base + kept, __ATOMIC_RELEASE);
}

static void
step_add(struct ifp_trace_rec *r, const char *fmt, va_list ap)
{
	size_t room = sizeof(r->text) - r->used;
	int n;

	if (r->n_steps >= IFP_TRACE_STEPS || room < 2) {
		r->steps_lost++;
		return;
	}
	if (room > IFP_TRACE_LINE)
		room = IFP_TRACE_LINE;
	if (strchr(fmt, '%') == NULL) {
		/* most steps are constants: no printf */
		n = (int)RTE_MIN(strlen(fmt), room - 1);
		memcpy(r->text + r->used, fmt, (size_t)n);
		r->text[r->used + n] = '\0';
	} else {
		n = vsnprintf(r->text + r->used, room, fmt, ap);
	}
	if (n < 0) {
		r->steps_lost++;
		return;
	}
	r->step_off[r->n_steps++] = r->used;
	r->used = (uint16_t)(r->used + ((size_t)n < room ? (size_t)n : room - 1) + 1);
}

void
ifp_trace_step_cat(struct ifp_trace_rec *r, const char *a, const char *b)
{
	size_t room = RTE_MIN(sizeof(r->text) - r->used, (size_t)IFP_TRACE_LINE);
	size_t na = strlen(a), nb = strlen(b);
	char *to = r->text + r->used;

	if (r->n_steps >= IFP_TRACE_STEPS || room < 2) {
		r->steps_lost++;
		return;
	}
	na = RTE_MIN(na, room - 1);
	nb = RTE_MIN(nb, room - 1 - na);
	memcpy(to, a, na);
	memcpy(to + na, b, nb);
	to[na + nb] = '\0';
	r->step_off[r->n_steps++] = r->used;
	r->used = (uint16_t)(r->used + na + nb + 1);
}

void
ifp_trace_step(struct ifp_trace_rec *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	step_add(r, fmt, ap);
	va_end(ap);
}

void
ifp_trace_route(struct ifp_trace_rec *r, const char *line, const char *prefix,
		const char *action)
{
	snprintf(r->route, sizeof(r->route), "%s", line);
	ifp_trace_step(r, "route: %s (%s) %s", prefix, line, action);
}

void
ifp_trace_policy(struct ifp_trace_rec *r, const char *line, const char *verdict)
{
	snprintf(r->policy, sizeof(r->policy), "%s", line);
	ifp_trace_step(r, "policy: %s %s", line, verdict);
}

void
ifp_trace_answered(struct ifp_trace_rec *r, enum ifp_answer a)
{
	r->outcome = IFP_TRACE_ANSWERED;
	r->code = (uint16_t)a;
}

void
ifp_trace_ratelimited(struct ifp_trace_rec *r, enum ifp_answer a,
		      const char *limiter)
{
	if (limiter != NULL)
		ifp_trace_step(r, "ratelimit: %s", limiter);
	r->outcome = IFP_TRACE_RATELIMITED;
	r->code = (uint16_t)a;
}

void
ifp_trace_dropped(struct ifp_trace_rec *r, enum ifp_drop d)
{
	if (d == IFP_DROP_IP_FRAG_REASM || d == IFP_DROP_IP6_FRAG_REASM)
		ifp_trace_step(r, "fragment: held for reassembly");
	r->outcome = IFP_TRACE_DROPPED;
	r->code = (uint16_t)d;
}

void
ifp_trace_ids(const struct ifp_trace_buf *tb, uint64_t *first, uint64_t *last)
{
	uint64_t done = __atomic_load_n(&tb->committed, __ATOMIC_ACQUIRE);
	uint64_t cleared = __atomic_load_n(&tb->cleared, __ATOMIC_ACQUIRE);
	/* the next burst may open IFP_TRACE_OPEN_MAX slots over the oldest */
	uint64_t low = done > IFP_TRACE_KEEP - IFP_TRACE_OPEN_MAX
			       ? done - (IFP_TRACE_KEEP - IFP_TRACE_OPEN_MAX) + 1
			       : 1;

	*first = RTE_MAX(low, cleared + 1);
	*last = done;
}

int
ifp_trace_get(const struct ifp_trace_buf *tb, uint64_t id,
	      struct ifp_trace_rec *out)
{
	uint64_t first, last;

	ifp_trace_ids(tb, &first, &last);
	if (id < first || id > last)
		return -ENOENT;
	for (int tries = 0; tries < IFP_TRACE_READ_TRIES; tries++) {
		uint32_t sn = rte_seqcount_read_begin(&tb->sc);

		memcpy(out, &tb->rec[(id - 1) % IFP_TRACE_KEEP], sizeof(*out));
		if (!rte_seqcount_read_retry(&tb->sc, sn))
			return out->id == id ? 0 : -ENOENT;
	}
	return -EAGAIN;
}

const char *
ifp_trace_outcome_name(enum ifp_trace_outcome o)
{
	switch (o) {
	case IFP_TRACE_ANSWERED:
		return "answered";
	case IFP_TRACE_RATELIMITED:
		return "ratelimited";
	case IFP_TRACE_DROPPED:
		return "dropped";
	case IFP_TRACE_OPEN:
		break;
	}
	return "open";
}

const char *
ifp_trace_result_name(const struct ifp_trace_rec *r)
{
	switch (r->outcome) {
	case IFP_TRACE_ANSWERED:
	case IFP_TRACE_RATELIMITED:
		return ifp_answer_name(r->code);
	case IFP_TRACE_DROPPED:
		return ifp_drop_name(r->code);
	}
	return "";
}

size_t
ifp_trace_rec_summary(const struct ifp_trace_rec *r, char *buf, size_t size)
{
	return ifp_trace_summary(r->head, r->head_len, r->len, buf, size);
}

const char *
ifp_trace_step_text(const struct ifp_trace_rec *r, unsigned int i)
{
	return i < r->n_steps ? r->text + r->step_off[i] : "";
}

/* ---- the one-line summary ---- */

static const char *const icmp4_names[] = {
	[0] = "echo reply", [3] = "unreachable", [4] = "source quench",
	[5] = "redirect", [8] = "echo request", [11] = "time exceeded",
	[12] = "parameter problem", [13] = "timestamp request",
	[14] = "timestamp reply", [15] = "info request", [16] = "info reply",
	[17] = "mask request", [18] = "mask reply",
	[42] = "extended echo request", [43] = "extended echo reply",
};

static const char *
icmp6_name(uint8_t t)
{
	switch (t) {
	case 1: return "unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded";
	case 4: return "parameter problem";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 130: return "mld query";
	case 131: return "mld report";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	case 137: return "redirect";
	case 143: return "mldv2 report";
	case 160: return "extended echo request";
	case 161: return "extended echo reply";
	}
	return NULL;
}

void
ifp_trace_icmp(struct ifp_trace_rec *r, bool v6, uint8_t type, uint8_t code)
{
	const char *name = v6 ? icmp6_name(type)
			      : type < RTE_DIM(icmp4_names) ? icmp4_names[type] : NULL;
	/* RFC 4861 4: router and neighbour discovery, redirect */
	const char *stage = !v6 ? "icmp: " : type >= 133 && type <= 137 ? "nd: " : "icmp6: ";

	if (name != NULL)
		ifp_trace_step_cat(r, stage, name);
	else
		ifp_trace_step(r, "%stype %u code %u", stage, type, code);
}

/* Appends to a fixed buffer, cutting what does not fit. */
struct out {
	char *buf;
	size_t size, n;
	bool cut;
};

static void __rte_format_printf(2, 3)
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->n + 1 >= o->size) {
		o->cut = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->n, o->size - o->n, fmt, ap);
	va_end(ap);
	if (n > 0 && o->n + (size_t)n >= o->size)
		o->cut = true;
	if (n > 0)
		o->n = RTE_MIN(o->n + (size_t)n, o->size - 1);
}

/* ICMP or ICMPv6 message at @p off: type/code and, for echo, id/seq */
static void
icmp_put(struct out *o, const struct rd *r, uint32_t off, bool v6)
{
	const char *name;
	uint8_t t;

	if (!has(r, off, 4)) {
		put(o, " %s truncated", v6 ? "icmp6" : "icmp");
		return;
	}
	t = r->p[off];
	name = v6 ? icmp6_name(t) : t < RTE_DIM(icmp4_names) ? icmp4_names[t] : NULL;
	put(o, " %s %u/%u%s%s", v6 ? "icmp6" : "icmp", t, r->p[off + 1],
	    name ? " " : "", name ? name : "");
	if (has(r, off, 8) && (v6 ? (t == 128 || t == 129)
				  : (t == 0 || t == 8 || t == 13 || t == 14)))
		put(o, " id %u seq %u", be16(r, off + 4), be16(r, off + 6));
}

static void
ports_put(struct out *o, const struct rd *r, uint32_t off, const char *proto)
{
	if (has(r, off, 4))
		put(o, " %s %u > %u", proto, be16(r, off), be16(r, off + 2));
	else
		put(o, " %s truncated", proto);
}

/* What follows an IP header: protocol @p proto at @p off. */
static void
l4_put(struct out *o, const struct rd *r, uint32_t off, uint8_t proto, bool v6)
{
	switch (proto) {
	case 1:
	case 58:
		if ((proto == 58) == v6) {
			icmp_put(o, r, off, v6);
			return;
		}
		break;
	case 6:
		ports_put(o, r, off, "tcp");
		return;
	case 17:
		ports_put(o, r, off, "udp");
		return;
	}
	put(o, " proto %u", proto);
}

/* "NAME truncated (N of LEN bytes)" when the header is not all there */
static bool
whole(struct out *o, const struct rd *r, uint32_t off, uint32_t len,
      const char *name)
{
	if (has(r, off, len))
		return true;
	put(o, "%s truncated (%u of %u bytes)", name,
	    r->avail - RTE_MIN(off, r->avail), len);
	return false;
}

/* "ipv4 SRC > DST ttl N" or "ipv6 SRC > DST hlim N" */
static bool
ip_put(struct out *o, const struct rd *r, uint32_t off, bool v6)
{
	const int af = v6 ? AF_INET6 : AF_INET;
	const uint32_t a = v6 ? 8 : 12, alen = v6 ? 16 : 4;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	if (!whole(o, r, off, v6 ? 40 : 20, v6 ? "ipv6" : "ipv4"))
		return false;
	inet_ntop(af, r->p + off + a, s, sizeof(s));
	inet_ntop(af, r->p + off + a + alen, d, sizeof(d));
	put(o, "%s %s > %s %s %u", v6 ? "ipv6" : "ipv4", s, d, v6 ? "hlim" : "ttl",
	    r->p[off + (v6 ? 7 : 8)]);
	return true;
}

static void
ipv4_put(struct out *o, const struct rd *r, uint32_t off)
{
	uint32_t ihl;
	uint16_t frag;

	if (!ip_put(o, r, off, false))
		return;
	if ((r->p[off] >> 4) != 4)
		put(o, " version %u", r->p[off] >> 4);
	ihl = (r->p[off] & 0xfu) * 4u;
	frag = be16(r, off + 6);
	if (frag & 0x3fff)
		put(o, " frag id %u off %u%s", be16(r, off + 4),
		    (frag & 0x1fffu) * 8u, frag & 0x2000 ? " MF" : "");
	if (ihl < 20)
		put(o, " ihl %u", ihl);
	else if (frag & 0x1fff)
		put(o, " proto %u", r->p[off + 9]);
	else
		l4_put(o, r, off + ihl, r->p[off + 9], false);
}

static void
ipv6_put(struct out *o, const struct rd *r, uint32_t off)
{
	uint8_t nh;

	if (!ip_put(o, r, off, true))
		return;
	nh = r->p[off + 6];
	off += 40;
	/* RFC 8200 4: hop-by-hop, routing, fragment, destination options */
	for (int i = 0; i < 8; i++) {
		static const char *const ext[] = {
			[0] = "hop-by-hop", [43] = "routing", [44] = "fragment",
			[60] = "dst-opts",
		};

		if (nh >= RTE_DIM(ext) || ext[nh] == NULL)
			break;
		put(o, " %s", ext[nh]);
		if (!has(r, off, 8)) {
			put(o, " truncated");
			return;
		}
		if (nh == 44) {
			uint16_t fo = be16(r, off + 2);

			put(o, " off %u%s", fo & 0xfff8u, fo & 1 ? " M" : "");
			if (fo & 0xfff8u) {
				put(o, " proto %u", r->p[off]);
				return;
			}
			nh = r->p[off];
			off += 8;
		} else {
			uint8_t next = r->p[off];

			off += 8u + r->p[off + 1] * 8u;
			nh = next;
		}
	}
	if (nh == 59)
		put(o, " no-next-header");
	else
		l4_put(o, r, off, nh, true);
}

static void
arp_put(struct out *o, const struct rd *r, uint32_t off)
{
	char s[INET_ADDRSTRLEN], t[INET_ADDRSTRLEN];
	uint16_t op;

	if (!whole(o, r, off, 28, "arp"))
		return;
	op = be16(r, off + 6);
	inet_ntop(AF_INET, r->p + off + 14, s, sizeof(s));
	inet_ntop(AF_INET, r->p + off + 24, t, sizeof(t));
	if (op == 1)
		put(o, "arp who-has %s tell %s", t, s);
	else if (op == 2)
		put(o, "arp reply %s is-at %02x:%02x:%02x:%02x:%02x:%02x", s,
		    r->p[off + 8], r->p[off + 9], r->p[off + 10], r->p[off + 11],
		    r->p[off + 12], r->p[off + 13]);
	else
		put(o, "arp op %u %s > %s", op, s, t);
}

size_t
ifp_trace_summary(const void *data, uint32_t avail, uint32_t len, char *buf,
		  size_t size)
{
	const struct rd r = {.p = data, .avail = RTE_MIN(avail, len)};
	struct out o = {.buf = buf, .size = size};
	uint32_t off;
	uint16_t et;
	int vlan;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (l2_parse(&r, &off, &et, &vlan) < 0) {
		put(&o, "runt len %u", len);
		return o.n;
	}
	if (vlan >= 0)
		put(&o, "vlan %d ", vlan);
	switch (et) {
	case 0x0800:
		ipv4_put(&o, &r, off);
		break;
	case 0x86dd:
		ipv6_put(&o, &r, off);
		break;
	case 0x0806:
		arp_put(&o, &r, off);
		break;
	default:
		put(&o, "ethertype 0x%04x", et);
	}
	put(&o, " len %u", len);
	return o.n;
}

/* ---- JSON ---- */

static void
json_str(struct out *o, const char *s)
{
	put(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c < 0x20)
			put(o, "\\u%04x", c);
		else
			put(o, "%c", c);
	}
	put(o, "\"");
}

void
ifp_trace_time_str(uint64_t time_ns, char *sec, size_t sec_len, char *iso,
		   size_t iso_len)
{
	time_t s = (time_t)(time_ns / 1000000000u);
	uint64_t us = time_ns % 1000000000u / 1000u;
	struct tm tm;
	size_t n = 0;

	snprintf(sec, sec_len, "%" PRIu64 ".%06" PRIu64, time_ns / 1000000000u, us);
	if (iso_len == 0)
		return;
	iso[0] = '\0';
	if (gmtime_r(&s, &tm) != NULL)
		n = strftime(iso, iso_len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n > 0)
		snprintf(iso + n, iso_len - n, ".%06" PRIu64 "Z", us);
}

size_t
ifp_trace_json(const struct ifp_trace_rec *r, bool live, char *buf,
	       size_t size)
{
	struct out o = {.buf = buf, .size = size};
	const char *outcome = ifp_trace_outcome_name(r->outcome);
	char sec[32], iso[40], summary[IFP_TRACE_LINE];

	if (size)
		buf[0] = '\0';
	ifp_trace_time_str(r->time_ns, sec, sizeof(sec), iso, sizeof(iso));
	ifp_trace_rec_summary(r, summary, sizeof(summary));
	put(&o, "{\"frame\": %" PRIu64 ", \"time\": %s, \"summary\": ",
	    r->frame, sec);
	json_str(&o, summary);
	put(&o, ", \"steps\": [");
	for (unsigned int i = 0; i < r->n_steps; i++) {
		if (i)
			put(&o, ", ");
		json_str(&o, ifp_trace_step_text(r, i));
	}
	if (r->steps_lost)
		put(&o, "%s\"... %u more steps\"", r->n_steps ? ", " : "",
		    r->steps_lost);
	put(&o, "], \"outcome\": \"%s\"", outcome);
	if (r->outcome == IFP_TRACE_ANSWERED || r->outcome == IFP_TRACE_RATELIMITED)
		put(&o, ", \"answer\": \"%s\"", ifp_trace_result_name(r));
	else if (r->outcome == IFP_TRACE_DROPPED)
		put(&o, ", \"reason\": \"%s\"", ifp_trace_result_name(r));
	if (r->route[0]) {
		put(&o, ", \"route\": ");
		json_str(&o, r->route);
	}
	if (r->policy[0]) {
		put(&o, ", \"policy\": ");
		json_str(&o, r->policy);
	}
	if (live)
		put(&o, ", \"lcore\": %u, \"port\": %u, \"queue\": %u, "
			"\"wall_time\": \"%s\"",
		    r->lcore, r->port, r->queue, iso);
	put(&o, "}");
	return o.cut ? size : o.n;
}

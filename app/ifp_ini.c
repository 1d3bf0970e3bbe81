/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifp_ini.h"

/* the most kinds of section a table may have, and ids of [name N] */
#define INI_SECTIONS_MAX 32
#define INI_IDS_MAX 64
#define INI_KEYS_MAX 64

static int
ini_verror(struct ifp_ini *x, int line, const char *fmt, va_list ap)
{
	int n;

	n = line > 0 ? snprintf(x->err, x->errlen, "%s:%d: ", x->path, line)
		     : snprintf(x->err, x->errlen, "%s: ", x->path);
	if (n < 0 || (size_t)n >= x->errlen)
		return -1;
	vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
	return -1;
}

int
ifp_ini_error(struct ifp_ini *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ini_verror(x, x->line, fmt, ap);
	va_end(ap);
	return -1;
}

int
ifp_ini_error_at(struct ifp_ini *x, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ini_verror(x, line, fmt, ap);
	va_end(ap);
	return -1;
}

char *
ifp_ini_strip(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * Edits from @p a to @p b (both shorter than 64): letters added, removed,
 * changed, or two neighbours swapped ("ecoh" is one from "echo").
 */
static unsigned int
ini_distance(const char *a, const char *b)
{
	unsigned int r[3][64], la = (unsigned int)strlen(a),
				lb = (unsigned int)strlen(b);
	unsigned int *pp = r[0], *p = r[1], *cur = r[2];

	for (unsigned int j = 0; j <= lb; j++)
		p[j] = j;
	for (unsigned int i = 1; i <= la; i++) {
		unsigned int *t;

		cur[0] = i;
		for (unsigned int j = 1; j <= lb; j++) {
			unsigned int best = p[j - 1] + (a[i - 1] != b[j - 1]);

			if (p[j] + 1 < best)
				best = p[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			cur[j] = best;
		}
		t = pp;
		pp = p;
		p = cur;
		cur = t;
	}
	return p[lb];
}

const char *
ifp_ini_nearest(const char *word, const char *const *names)
{
	const char *best = NULL;
	unsigned int best_d = 3;

	if (strlen(word) >= 64)
		return NULL;
	for (; *names != NULL; names++) {
		unsigned int d;

		if (strlen(*names) >= 64)
			continue;
		d = ini_distance(word, *names);
		/* a near miss, not any short word: "mtu" is not "ttl" */
		if (d < best_d && d * 3 <= strlen(*names)) {
			best = *names;
			best_d = d;
		}
	}
	return best;
}

/* "[icmp], [port N], ..." of the table into @p out */
static void
ini_section_list(const struct ifp_ini_section *const *sec, unsigned int n,
		 char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s[%s%s]", i ? ", " : "",
				      sec[i]->name, sec[i]->id_max ? " N" : "");
}

/* The names of @p s's keys into @p names, NULL-terminated; how many. */
static unsigned int
ini_key_names(const struct ifp_ini_section *s, const char *names[INI_KEYS_MAX + 1])
{
	size_t size = s->key_size ? s->key_size : sizeof(const char *);
	unsigned int n = 0;

	while (n < INI_KEYS_MAX) {
		const char *k = *(const char *const *)((const char *)s->keys + n * size);

		if (k == NULL)
			break;
		names[n++] = k;
	}
	names[n] = NULL;
	return n;
}

static void
ini_key_list(const char *const *keys, char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned int i = 0; keys[i] != NULL && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? ", " : "", keys[i]);
}

/*
 * Which section of the table the header @p name is, its id in @p id.
 * NULL with the reason in x->err when none.
 */
static const struct ifp_ini_section *
ini_section_find(struct ifp_ini *x, const struct ifp_ini_section *const *sec,
		 unsigned int n, const char *name, unsigned int *id, unsigned int *which)
{
	const char *names[INI_SECTIONS_MAX + 1];
	char list[512];
	const char *near;

	for (unsigned int i = 0; i < n; i++) {
		size_t l = strlen(sec[i]->name);
		const char *p = name + l;
		unsigned long v;
		char *end;

		names[i] = sec[i]->name;
		if (sec[i]->id_max == 0) {
			if (strcmp(name, sec[i]->name) == 0) {
				*id = 0;
				*which = i;
		return sec[i];
			}
			continue;
		}
		if (strncmp(name, sec[i]->name, l) != 0 ||
		    (*p != '\0' && !isspace((unsigned char)*p)))
			continue;
		while (isspace((unsigned char)*p))
			p++;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (!isdigit((unsigned char)*p) || *end != '\0' || errno != 0) {
			ifp_ini_error(x, "[%s]: expected [%s N], N a number from 0 to %u",
				      name, sec[i]->name, sec[i]->id_max - 1);
			return NULL;
		}
		if (v >= sec[i]->id_max) {
			ifp_ini_error(x, "[%s]: %s ids go from 0 to %u", name,
				      sec[i]->name, sec[i]->id_max - 1);
			return NULL;
		}
		*id = (unsigned int)v;
		*which = i;
		return sec[i];
	}
	names[n] = NULL;
	ini_section_list(sec, n, list, sizeof(list));
	near = ifp_ini_nearest(name, names);
	if (near != NULL)
		ifp_ini_error(x, "unknown section [%s]: did you mean [%s]? (known: %s)",
			      name, near, list);
	else
		ifp_ini_error(x, "unknown section [%s] (known: %s)", name, list);
	return NULL;
}

/* The index of @p key among @p s's keys, or -1 with the reason in x->err. */
static int
ini_key_find(struct ifp_ini *x, const struct ifp_ini_section *s, const char *key)
{
	const char *keys[INI_KEYS_MAX + 1];
	char list[512];
	const char *near;

	ini_key_names(s, keys);
	for (int i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], key) == 0)
			return i;
	ini_key_list(keys, list, sizeof(list));
	near = ifp_ini_nearest(key, keys);
	if (near != NULL)
		return ifp_ini_error(x, "unknown key '%s' in [%s]: did you mean '%s'? "
				     "(known: %s)", key, x->section, near, list);
	return ifp_ini_error(x, "unknown key '%s' in [%s] (known: %s)", key,
			     x->section, list);
}

/*
 * The line in @p buf, its comment cut: ';' or '#' to the end of the line
 * (no value of the file holds either).
 */
static char *
ini_line_clean(char *buf)
{
	buf[strcspn(buf, ";#\r\n")] = '\0';
	return ifp_ini_strip(buf);
}

static int
ini_lines(struct ifp_ini *x, FILE *f, const struct ifp_ini_section *const *sec,
	  unsigned int n)
{
	char buf[IFP_INI_LINE_MAX + 1], header[IFP_INI_LINE_MAX];
	uint64_t seen_sec[INI_SECTIONS_MAX] = {0}, seen_keys = 0;
	int first_key[INI_KEYS_MAX];
	const struct ifp_ini_section *cur = NULL;
	int cur_line = 0;

	x->line = 0;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		size_t len = strlen(buf);
		char *s, *eq, *key, *value;
		unsigned int id, which;

		x->line++;
		if (len == sizeof(buf) - 1 && buf[len - 1] != '\n' && !feof(f))
			return ifp_ini_error(x, "line longer than %d characters",
					     IFP_INI_LINE_MAX - 1);
		s = ini_line_clean(buf);
		if (*s == '\0')
			continue;
		if (*s == '[') {
			const struct ifp_ini_section *next;

			if (s[strlen(s) - 1] != ']')
				return ifp_ini_error(x, "section header without ']'");
			if (cur != NULL && cur->finish != NULL &&
			    cur->finish(x, cur_line) < 0)
				return -1;
			s[strlen(s) - 1] = '\0';
			snprintf(header, sizeof(header), "%s", ifp_ini_strip(s + 1));
			x->section = header;
			next = ini_section_find(x, sec, n, header, &id, &which);
			if (next == NULL)
				return -1;
			if (seen_sec[which] & (UINT64_C(1) << id))
				return ifp_ini_error(x, "section [%s] given twice", header);
			seen_sec[which] |= UINT64_C(1) << id;
			cur = next;
			cur_line = x->line;
			x->id = id;
			seen_keys = 0;
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL || eq == s)
			return ifp_ini_error(x, "expected 'key = value', got '%s'", s);
		if (cur == NULL)
			return ifp_ini_error(x, "entry before any [section]");
		*eq = '\0';
		key = ifp_ini_strip(s);
		value = ifp_ini_strip(eq + 1);
		if (*value == '\0')
			return ifp_ini_error(x, "'%s =' has no value", key);
		if (cur->keys != NULL) {
			int k = ini_key_find(x, cur, key);

			if (k < 0)
				return -1;
			if (seen_keys & (UINT64_C(1) << k))
				return ifp_ini_error(x, "[%s] %s given twice (first at line %d)",
						     header, key, first_key[k]);
			seen_keys |= UINT64_C(1) << k;
			first_key[k] = x->line;
		}
		if (cur->entry(x, key, value) < 0)
			return -1;
	}
	if (ferror(f))
		return ifp_ini_error_at(x, 0, "read error: %s", strerror(errno));
	if (cur != NULL && cur->finish != NULL && cur->finish(x, cur_line) < 0)
		return -1;
	return 0;
}

int
ifp_ini_read(const char *path, const struct ifp_ini_section *const *sec,
	     unsigned int n, void *user, char *err, size_t errlen)
{
	struct ifp_ini x = {
		.path = path, .err = err, .errlen = errlen, .user = user,
		.section = "",
	};
	FILE *f;
	int rc;

	if (n > INI_SECTIONS_MAX)
		return ifp_ini_error_at(&x, 0, "more than %d kinds of section",
					INI_SECTIONS_MAX);
	for (unsigned int i = 0; i < n; i++) {
		const char *names[INI_KEYS_MAX + 1];

		/* a table one key too long would stop at INI_KEYS_MAX */
		if (sec[i]->id_max > INI_IDS_MAX ||
		    (sec[i]->keys != NULL && ini_key_names(sec[i], names) == INI_KEYS_MAX))
			return ifp_ini_error_at(&x, 0, "[%s]: too many ids or keys",
						sec[i]->name);
	}
	f = fopen(path, "r");
	if (f == NULL)
		return ifp_ini_error_at(&x, 0, "cannot open: %s", strerror(errno));
	rc = ini_lines(&x, f, sec, n);
	fclose(f);
	return rc;
}

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IFP_INI_H
#define IFP_INI_H

/**
 * @file
 * One INI reader for icmpfp's config and the drivers-conf/ profiles: it
 * reads the file once, line by line, keeps each line's number, and hands
 * every entry to the section that owns it through a table of
 * {name, entry, finish}. Linear in the file's length. Needs no EAL.
 *
 * The syntax (docs/configuration.md, "The file"): `[section]` or
 * `[section N]`, `key = value` (a key may hold spaces and '/', it ends at
 * the first '='), blank lines, comments from ';' or '#' to the end of the
 * line.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The longest line the reader takes, its newline included. */
#define IFP_INI_LINE_MAX 1024

struct ifp_ini;

/** One kind of section: what the reader does with its lines. */
struct ifp_ini_section {
	const char *name; /**< "icmp"; "port" for [port N] when id_max > 0 */
	/** 0: the header is [name]; else [name N], N from 0 to id_max - 1 */
	unsigned int id_max;
	/**
	 * The keys it takes: an array whose entries (of key_size bytes; 0:
	 * plain const char *) each begin with the key's name, ended by a NULL
	 * name, so that a table of keys and what they set serves as is. The
	 * reader refuses any other key (naming these, and the nearest one)
	 * and a key given twice. NULL: the keys are data (routes, rules) and
	 * entry() sees every one, repeats included.
	 */
	const void *keys;
	size_t key_size;
	/** key = value of this section; its line is x->line. */
	int (*entry)(struct ifp_ini *x, const char *key, const char *value);
	/** After the section's last line (may be NULL); @p line: its header */
	int (*finish)(struct ifp_ini *x, int line);
	/** a SIGHUP applies it (else it needs a restart): docs and --help */
	bool reloads;
	/** what it holds, one line for --help */
	const char *help;
};

/** What a section's callbacks see of the reader. */
struct ifp_ini {
	const char *path;
	char *err;
	size_t errlen;
	void *user;          /**< the caller's (ifp_ini_read()) */
	int line;            /**< of the entry being handed over */
	unsigned int id;     /**< N of [name N] */
	const char *section; /**< the header's text, "port 0" */
};

/**
 * Read @p path, handing each entry to its section of @p sec (@p n of them;
 * a new kind of section is one more pointer in the caller's table).
 * A section given twice, an unknown section, a line that is neither a
 * header nor `key = value`, an empty value, a line longer than
 * IFP_INI_LINE_MAX: refused. Returns 0, or -1 with "PATH:LINE: reason" (or
 * "PATH: reason" when no line is to blame) in @p err.
 */
int ifp_ini_read(const char *path, const struct ifp_ini_section *const *sec,
		 unsigned int n, void *user, char *err, size_t errlen);

/** "PATH:LINE: reason" into x->err for the current line; returns -1. */
int ifp_ini_error(struct ifp_ini *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** The same for line @p line (0: "PATH: reason"). */
int ifp_ini_error_at(struct ifp_ini *x, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Of @p names (NULL-terminated), the one @p word most likely was meant to
 * be: at most two letters added, removed or changed, or NULL.
 */
const char *ifp_ini_nearest(const char *word, const char *const *names);

/** @p s without its leading and trailing blanks (in place). */
char *ifp_ini_strip(char *s);

#endif /* IFP_INI_H */

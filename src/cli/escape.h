/* SPDX-License-Identifier: MIT */
/*
 * The one escaping of strings that come from input (file names, log text,
 * messages that quote them) on their way out: a terminal never receives a
 * raw control character from them, and JSON strings are always valid
 * UTF-8. Every printer, the output layer's and any faster path, calls it.
 */
#ifndef PGT_CLI_ESCAPE_H
#define PGT_CLI_ESCAPE_H

#include <stddef.h>

enum escape_mode {
	/* For people: control characters (C0, DEL, C1) as \t \n \r or \xHH,
	 * each byte that is not part of UTF-8 as \xHH; the rest as it is. */
	ESCAPE_TEXT,
	/* The inside of a JSON string: " and \ escaped, control characters
	 * as \n \t \r \b \f or \u00XX, each byte that is not part of UTF-8
	 * as \ufffd (the replacement character). */
	ESCAPE_JSON,
};

/*
 * Write s, escaped, to dst (cap bytes with the terminating NUL, cap > 0)
 * and return the length of the whole escaped form, as snprintf does (at
 * most 6 bytes for each byte of s). What does not fit is cut between
 * characters, never inside a character or an escape.
 */
size_t escape_str(char *dst, size_t cap, const char *s, enum escape_mode mode);

#endif

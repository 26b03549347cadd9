// SPDX-License-Identifier: MIT
/* Escaping input-derived strings for a terminal or for JSON. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

/* The length of the well-formed UTF-8 character at p (Unicode 15, table
 * 3-7: no overlongs, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* A C0 or C1 control character, or DEL: what a terminal may act on. */
static bool is_control(const unsigned char *p, size_t n)
{
	return (n == 1 && (p[0] < 0x20 || p[0] == 0x7f)) || (n == 2 && p[0] == 0xc2 && p[1] < 0xa0);
}

/* The escape of one character of n bytes at p (n == 0: a byte that is not
 * UTF-8) into e; its length, or 0 when it goes out as it is. */
static size_t escape_one(const unsigned char *p, size_t n, enum escape_mode mode, char *e)
{
	static const char named[][2] = {['\b'] = "b", ['\t'] = "t", ['\n'] = "n", ['\f'] = "f",
					['\r'] = "r"};
	bool control = n && is_control(p, n);
	if (mode == ESCAPE_JSON) {
		if (!n)
			return (size_t)sprintf(e, "\\ufffd");
		if (n == 1 && (p[0] == '"' || p[0] == '\\'))
			return (size_t)sprintf(e, "\\%c", p[0]);
		if (!control)
			return 0;
		unsigned cp = n == 1 ? p[0] : p[1];
		if (cp < sizeof(named) / sizeof(named[0]) && named[cp][0])
			return (size_t)sprintf(e, "\\%c", named[cp][0]);
		return (size_t)sprintf(e, "\\u%04x", cp);
	}
	if (n && !control)
		return 0;
	if (n == 1 && (p[0] == '\t' || p[0] == '\n' || p[0] == '\r'))
		return (size_t)sprintf(e, "\\%c", named[p[0]][0]);
	size_t len = 0;
	for (size_t i = 0; i < (n ? n : 1); i++)
		len += (size_t)sprintf(e + len, "\\x%02x", p[i]);
	return len;
}

size_t escape_str(char *dst, size_t cap, const char *s, enum escape_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t out = 0, written = 0;
	while (*p) {
		char e[16];
		size_t n = utf8_len(p);
		size_t elen = escape_one(p, n, mode, e);
		size_t plen = elen ? elen : n;
		if (written == out && out + plen < cap) {
			memcpy(dst + out, elen ? e : (const char *)p, plen);
			written += plen;
		}
		out += plen;
		p += n ? n : 1;
	}
	dst[written] = 0;
	return out;
}

/* SPDX-License-Identifier: MIT */
/*
 * Numbers written by hand, inline: the printers of a line per IOVA or leaf
 * call these for each field, a million times (format.c's conversions and
 * output.c's records).
 */
#ifndef PGT_CLI_DIGITS_H
#define PGT_CLI_DIGITS_H

#include <stdint.h>
#include <string.h>

/* "00" to "ff", "00" to "99" (format.c) */
extern const char digits_hex_pairs[513];
extern const char digits_dec_pairs[201];

/* The hex digits of u, counted from its highest bit. */
static inline unsigned digits_hex_count(uint64_t u)
{
	return u ? (67u - (unsigned)__builtin_clzll(u)) / 4 : 1;
}

/* The n low hex digits of u at o (n 1 to 16), two at a time from the end. */
static inline char *digits_hex(char *o, uint64_t u, unsigned n)
{
	unsigned i = n;
	for (; i >= 2; i -= 2, u >>= 8)
		memcpy(o + i - 2, digits_hex_pairs + 2 * (u & 0xff), 2);
	if (i)
		o[0] = digits_hex_pairs[2 * (u & 15) + 1];
	return o + n;
}

/* u in decimal at o: small ones (a level, a count) in place, others two
 * digits at a time from the end. */
static inline char *digits_dec(char *o, uint64_t u)
{
	if (u < 10) {
		*o = (char)('0' + u);
		return o + 1;
	}
	char dec[20], *d = dec + sizeof(dec);
	for (; u >= 100; u /= 100)
		memcpy(d -= 2, digits_dec_pairs + 2 * (u % 100), 2);
	if (u >= 10)
		memcpy(d -= 2, digits_dec_pairs + 2 * u, 2);
	else
		*--d = (char)('0' + u);
	size_t n = (size_t)(dec + sizeof(dec) - d);
	memcpy(o, d, n);
	return o + n;
}

/* v in hex at o, at least min (up to 16) digits, zeros before. */
static inline char *digits_hex_min(char *o, uint64_t v, unsigned min)
{
	unsigned n = digits_hex_count(v);
	return digits_hex(o, v, n < min && min <= 16 ? min : n);
}

#endif

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
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* "00" to "99" (format.c) */
extern const char digits_dec_pairs[201];

/* The hex digits of u, counted from its highest bit. */
static inline unsigned digits_hex_count(uint64_t u)
{
	return u ? (67u - (unsigned)__builtin_clzll(u)) / 4 : 1;
}

/* 32 bits as 8 hex digits in one word, most significant first in memory:
 * each nibble spread to a byte, then made a digit by adding. */
static inline uint64_t digits_hex8(uint32_t v)
{
	uint64_t x = v;
	x = (x & 0xffff0000ull) << 16 | (x & 0xffffull);
	x = (x & 0x0000ff000000ff00ull) << 8 | (x & 0x000000ff000000ffull);
	x = (x & 0x00f000f000f000f0ull) << 4 | (x & 0x000f000f000f000full);
	/* nibble i in byte i; 1 in each byte whose nibble is 10 or more */
	uint64_t alpha = (x + 0x0606060606060606ull) >> 4 & 0x0101010101010101ull;
	x += 0x3030303030303030ull + alpha * (uint64_t)('a' - '0' - 10);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/* The n low hex digits of u at o (n 1 to 16), and 16 - n bytes after them
 * that the caller's room takes: no branch on the digits, whose number
 * varies line by line. */
static inline char *digits_hex(char *o, uint64_t u, unsigned n)
{
	u <<= 4 * (16 - n);
#if defined(__SSE2__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* all 16 in one register: the bytes most significant first, each
	 * split in its two nibbles, a digit made of each at once */
	const __m128i nibble = _mm_set1_epi8(0x0f);
	__m128i x = _mm_cvtsi64_si128((long long)__builtin_bswap64(u));
	__m128i d = _mm_unpacklo_epi8(_mm_and_si128(_mm_srli_epi16(x, 4), nibble),
				      _mm_and_si128(x, nibble));
	__m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(d, _mm_set1_epi8(9)),
				      _mm_set1_epi8('a' - '0' - 10));
	d = _mm_add_epi8(d, _mm_add_epi8(alpha, _mm_set1_epi8('0')));
	_mm_storeu_si128((__m128i *)(void *)o, d);
#else
	uint64_t hi = digits_hex8((uint32_t)(u >> 32)), lo = digits_hex8((uint32_t)u);
	memcpy(o, &hi, 8);
	memcpy(o + 8, &lo, 8);
#endif
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

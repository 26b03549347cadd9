// SPDX-License-Identifier: MIT
/*
 * printf for the output layer's hot paths (translate and dump print a line
 * per IOVA or leaf): the conversions pgtctl's formats use, converted by
 * hand into a buffer, numbers written in place. A format with anything
 * else (precision, floating point, an unusual flag) is left to vfprintf
 * whole, so the output is printf's in every case.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

/* Room a number may take beyond its width: 20 digits, and slack for the
 * fixed-size copies below. */
#define NUMBER_ROOM 40

/* pad bytes; the fixed-size fill of the common case compiles to a store */
static char *fill(char *o, char pad, unsigned n)
{
	if (n <= 16)
		memset(o, pad, 16);
	else
		memset(o, pad, n);
	return o + n;
}

/* u at o, padded to width: hex by shifts, decimal by a constant divisor
 * (no division at run time). There is room for width + NUMBER_ROOM. */
static char *number(char *o, uint64_t u, char conv, bool minus, unsigned width, bool left,
		    char pad)
{
	char dec[40], *d = dec + 20;
	unsigned n;
	if (conv == 'x' || conv == 'X') {
		n = u ? (67u - (unsigned)__builtin_clzll(u)) / 4 : 1;
	} else {
		do {
			*--d = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		n = (unsigned)(dec + 20 - d);
	}
	unsigned len = n + minus, gap = width > len ? width - len : 0;
	if (!left)
		o = fill(o, pad, gap);
	if (minus)
		*o++ = '-';
	if (conv == 'x' || conv == 'X') {
		const char *digits = conv == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
		for (unsigned i = n; i-- > 0; u >>= 4)
			o[i] = digits[u & 15];
	} else {
		memcpy(o, d, 20);
	}
	o += n;
	return left ? fill(o, ' ', gap) : o;
}

int out_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	/* The literal characters are fewer than the format's: room for them
	 * is made once, and only what conversions write is counted. */
	size_t flen = strlen(fmt);
	if (flen > size)
		return -1;
	size_t room = size - flen;
	char *o = buf;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			*o++ = *p;
			continue;
		}
		bool left = false, zero = false;
		unsigned width = 0;
		for (p++; *p == '-' || *p == '0'; p++)
			*(*p == '-' ? &left : &zero) = true;
		if (*p == '*') {
			int w = va_arg(ap, int);
			left |= w < 0;
			width = (unsigned)(w < 0 ? -w : w);
			p++;
		}
		for (; *p >= '0' && *p <= '9'; p++)
			width = width * 10 + (unsigned)(*p - '0');
		unsigned longs = 0;
		for (; *p == 'l' || *p == 'z'; p++)
			longs += *p == 'z' ? 2 : 1;
		char *from = o;
		switch (*p) {
		case '%':
			if (!room)
				return -1;
			*o++ = '%';
			break;
		case 's':
		case 'c': {
			char c;
			const char *s = *p == 's' ? va_arg(ap, const char *) : (c = (char)va_arg(ap, int), &c);
			if (!s)
				return -1;
			size_t len = *p == 's' ? strlen(s) : 1, gap = width > len ? width - len : 0;
			if (room < len + gap + 16)
				return -1;
			if (!left)
				o = fill(o, ' ', (unsigned)gap);
			memcpy(o, s, len);
			o += len;
			if (left)
				o = fill(o, ' ', (unsigned)gap);
			break;
		}
		case 'd':
		case 'i': {
			long long v = longs >= 2 ? va_arg(ap, long long)
					: longs   ? va_arg(ap, long)
						  : va_arg(ap, int);
			/* printf puts a zero pad after the sign: rare, left to it */
			if ((v < 0 && zero) || room < width + NUMBER_ROOM)
				return -1;
			o = number(o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 'd', v < 0, width, left,
				   zero && !left ? '0' : ' ');
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t u = longs >= 2 ? va_arg(ap, unsigned long long)
				     : longs	  ? va_arg(ap, unsigned long)
						  : va_arg(ap, unsigned);
			if (room < width + NUMBER_ROOM)
				return -1;
			o = number(o, u, *p, false, width, left, zero && !left ? '0' : ' ');
			break;
		}
		default:
			return -1;
		}
		room -= (size_t)(o - from);
	}
	return (int)(o - buf);
}

int out_vprintf(FILE *f, const char *fmt, va_list ap)
{
	char buf[512];
	va_list again;
	va_copy(again, ap);
	int n = out_vformat(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		n = vfprintf(f, fmt, again);
	else if (fwrite_unlocked(buf, 1, (size_t)n, f) != (size_t)n)
		n = -1;
	va_end(again);
	return n;
}

int out_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = out_vprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

// SPDX-License-Identifier: MIT
/*
 * printf for the output layer's hot paths (translate and dump print a line
 * per IOVA or leaf): the conversions pgtctl's formats use, converted by
 * hand into a buffer, numbers written in place. A format with anything
 * else (precision, floating point, an unusual flag) is left to vfprintf
 * whole, so the output is printf's in every case.
 */
#include <link.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "digits.h"
#include "output.h"

/* Room a number may take beyond its width: 20 digits, a sign, and slack
 * for the fixed-size stores below. */
#define NUMBER_ROOM 40

const char digits_dec_pairs[201] =
	"0001020304050607080910111213141516171819202122232425262728293031"
	"3233343536373839404142434445464748495051525354555657585960616263"
	"6465666768697071727374757677787980818283848586878889909192939495"
	"96979899";

/* pad bytes; the fixed-size fill of the common case compiles to a store */
static char *fill(char *o, char pad, unsigned n)
{
	if (n <= 16)
		memset(o, pad, 16);
	else
		memset(o, pad, n);
	return o + n;
}

/* The n low hex digits of u at o, in conv's case. */
static char *hex_digits(char *o, uint64_t u, unsigned n, bool upper)
{
	if (!upper)
		return digits_hex(o, u, n);
	for (unsigned i = n; i-- > 0; u >>= 4)
		o[i] = "0123456789ABCDEF"[u & 15];
	return o + n;
}

/* The digits u takes in conv. */
static unsigned digits_of(uint64_t u, char conv)
{
	if (conv == 'x' || conv == 'X')
		return digits_hex_count(u);
	unsigned n = 1;
	for (; u >= 10; u /= 10)
		n++;
	return n;
}

/* u at o, padded to width. There is room for width + NUMBER_ROOM. */
static char *number(char *o, uint64_t u, char conv, bool minus, unsigned width, bool left,
		    char pad)
{
	bool hex = conv == 'x' || conv == 'X';
	if (hex && !minus && (!width || (pad == '0' && width <= 16))) {
		/* the common case: no fill but zeros, which are digits too */
		unsigned n = digits_of(u, conv);
		return hex_digits(o, u, n < width ? width : n, conv == 'X');
	}
	if (!hex && !width && !minus)
		return digits_dec(o, u);
	unsigned len = digits_of(u, conv) + minus, gap = width > len ? width - len : 0;
	if (!left)
		o = fill(o, pad, gap);
	if (minus)
		*o++ = '-';
	o = hex ? hex_digits(o, u, digits_of(u, conv), conv == 'X') : digits_dec(o, u);
	return left ? fill(o, ' ', gap) : o;
}

/* s at o without its length first: short strings (a page size, prot
 * letters) are copied as they are read, a longer one's rest by memcpy. */
static char *copy_string(char *o, const char *s, size_t room)
{
	for (unsigned i = 0; i < 16; i++) {
		if (!s[i])
			return o + i;
		o[i] = s[i];
	}
	size_t rest = strlen(s + 16);
	if (rest + 16 > room)
		return NULL;
	memcpy(o + 16, s + 16, rest);
	return o + 16 + rest;
}

/*
 * A format taken apart once: a printer calls the same few formats a
 * million times (translate's line has six conversions). Kept by the
 * format's address, and unless that is read-only, checked against its
 * bytes (an address may be a buffer used again).
 */
#define MAX_CONV 8

struct conv {
	uint8_t at, end; /* the conversion is text[at, end) */
	char conv;	 /* s c d i u x X */
	bool left, zero, star;
	uint8_t longs;
	unsigned width;
};

struct spec {
	const char *at;
	uint8_t len;
	uint8_t n;   /* conversions */
	bool usable; /* at most MAX_CONV conversions, of those */
	bool stable; /* at is read-only: it cannot change */
	struct conv c[MAX_CONV];
	char text[64 + 16]; /* the format; 16 bytes of slack for fixed copies */
};

static struct spec specs[64];

/* Parse the conversion at p (after '%') into sp; the end of it, or NULL. */
static const char *parse_spec(const char *p, struct conv *sp)
{
	for (; *p == '-' || *p == '0'; p++)
		*(*p == '-' ? &sp->left : &sp->zero) = true;
	if (*p == '*') {
		sp->star = true;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		sp->width = sp->width * 10 + (unsigned)(*p - '0');
	for (; *p == 'l' || *p == 'z'; p++)
		sp->longs += *p == 'z' ? 2 : 1;
	if (!*p || !strchr("scdiuxX", *p))
		return NULL;
	sp->conv = *p;
	return p + 1;
}

/* A conversion's argument, with its width when that is an argument too. */
struct arg {
	unsigned width;
	bool left;
	union {
		uint64_t u;
		long long d;
		const char *s;
		char c;
	};
};

/* Take sp's argument from ap. A macro: va_arg must run in the function
 * that owns the list, which a list passed on by value does not advance on
 * every ABI. */
#define TAKE_ARG(sp, ap, a)                                                                  \
	do {                                                                                 \
		(a).width = (sp)->width;                                                     \
		(a).left = (sp)->left;                                                       \
		if ((sp)->star) {                                                            \
			int w_ = va_arg(ap, int);                                            \
			(a).left |= w_ < 0;                                                  \
			(a).width = (unsigned)(w_ < 0 ? -w_ : w_);                           \
		}                                                                            \
		if ((sp)->conv == 's')                                                       \
			(a).s = va_arg(ap, const char *);                                    \
		else if ((sp)->conv == 'c')                                                  \
			(a).c = (char)va_arg(ap, int);                                       \
		else if ((sp)->conv == 'd' || (sp)->conv == 'i')                             \
			(a).d = (sp)->longs >= 2 ? va_arg(ap, long long)                     \
				: (sp)->longs	 ? va_arg(ap, long)                          \
						 : va_arg(ap, int);                          \
		else                                                                         \
			(a).u = (sp)->longs >= 2 ? va_arg(ap, unsigned long long)            \
				: (sp)->longs	 ? va_arg(ap, unsigned long)                 \
						 : va_arg(ap, unsigned);                     \
	} while (0)

/* One conversion at o, within room bytes; the new o, or NULL when it
 * does not fit or only printf knows it. */
static char *convert(char *o, size_t room, const struct conv *sp, const struct arg *a)
{
	unsigned width = a->width;
	bool left = a->left;
	switch (sp->conv) {
	case 's':
	case 'c': {
		const char *s = sp->conv == 's' ? a->s : &a->c;
		if (!s)
			return NULL;
		if (sp->conv == 's' && !width)
			return room < 32 ? NULL : copy_string(o, s, room - 16);
		size_t len = sp->conv == 's' ? strlen(s) : 1, gap = width > len ? width - len : 0;
		if (room < len + gap + 16)
			return NULL;
		if (!left)
			o = fill(o, ' ', (unsigned)gap);
		memcpy(o, s, len);
		o += len;
		return left ? fill(o, ' ', (unsigned)gap) : o;
	}
	case 'd':
	case 'i':
		/* printf puts a zero pad after the sign: rare, left to it */
		if ((a->d < 0 && sp->zero) || room < width + NUMBER_ROOM)
			return NULL;
		return number(o, a->d < 0 ? 0 - (uint64_t)a->d : (uint64_t)a->d, 'd', a->d < 0, width,
			      left, sp->zero && !left ? '0' : ' ');
	default:
		if (room < width + NUMBER_ROOM)
			return NULL;
		return number(o, a->u, sp->conv, false, width, left, sp->zero && !left ? '0' : ' ');
	}
}

/* The program's read-only segments: a format there (a string literal)
 * cannot change, so its address alone finds it again. */
static struct span {
	uintptr_t lo, hi;
} ro[4];
static unsigned n_ro;
static bool ro_known;

static int find_ro(struct dl_phdr_info *info, size_t size, void *ctx)
{
	(void)size;
	(void)ctx;
	for (unsigned i = 0; i < info->dlpi_phnum && n_ro < 4; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && !(ph->p_flags & PF_W))
			ro[n_ro++] = (struct span){info->dlpi_addr + ph->p_vaddr,
						   info->dlpi_addr + ph->p_vaddr + ph->p_memsz};
	}
	return 1; /* the first object is the program */
}

static bool read_only(const char *p)
{
	if (!ro_known) {
		dl_iterate_phdr(find_ro, NULL);
		ro_known = true;
	}
	for (unsigned i = 0; i < n_ro; i++)
		if ((uintptr_t)p >= ro[i].lo && (uintptr_t)p < ro[i].hi)
			return true;
	return false;
}

/* fmt taken apart, or NULL when it has more than MAX_CONV conversions or
 * one only vfprintf knows ("%%" included: rare, left to the interpreter). */
static const struct spec *lookup(const char *fmt)
{
	struct spec *sp = &specs[((uintptr_t)fmt >> 2) & 63];
	if (sp->at == fmt && (sp->stable || !strcmp(sp->text, fmt)))
		return sp->usable ? sp : NULL;
	size_t len = strlen(fmt);
	if (len >= 64)
		return NULL;
	memset(sp, 0, sizeof(*sp));
	sp->at = fmt;
	sp->stable = read_only(fmt);
	sp->len = (uint8_t)len;
	memcpy(sp->text, fmt, len + 1);
	sp->usable = true;
	for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
		struct conv *c = &sp->c[sp->n];
		const char *end = sp->n < MAX_CONV ? parse_spec(p + 1, c) : NULL;
		if (!end) {
			sp->usable = false;
			break;
		}
		c->at = (uint8_t)(p - fmt);
		c->end = (uint8_t)(end - fmt);
		sp->n++;
		p = end;
	}
	return sp->usable ? sp : NULL;
}

/* The literal text of sp before conversion i (i == n: after the last). */
static void segment(const struct spec *sp, unsigned i, const char **from, size_t *n)
{
	unsigned start = i ? sp->c[i - 1].end : 0, end = i < sp->n ? sp->c[i].at : sp->len;
	*from = sp->text + start;
	*n = end - start;
}

/* n bytes of literal text at o, before end; from a spec's text, which has
 * slack to copy 16 bytes at a time where the buffer has room for them. */
static char *literal(char *o, const char *end, const char *from, size_t n)
{
	if (n <= 16 && end - o >= 16)
		memcpy(o, from, 16);
	else
		memcpy(o, from, n);
	return o + n;
}

/* The interpreter: any number of conversions. */
static int interpret(char *buf, size_t size, const char *fmt, va_list ap)
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
		if (p[1] == '%') {
			*o++ = *++p;
			continue;
		}
		struct conv sp = {0};
		const char *next = parse_spec(p + 1, &sp);
		if (!next)
			return -1;
		p = next - 1;
		char *from = o;
		struct arg a;
		TAKE_ARG(&sp, ap, a);
		o = convert(o, room, &sp, &a);
		if (!o)
			return -1;
		room -= (size_t)(o - from);
	}
	return (int)(o - buf);
}

int out_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	const struct spec *sp = lookup(fmt);
	if (!sp)
		return interpret(buf, size, fmt, ap);
	/* room for the literal text is made once (it is shorter than the
	 * format), and only what conversions write is counted */
	if (size < (size_t)sp->len + 16)
		return -1;
	size_t room = size - sp->len;
	char *o = buf;
	const char *from;
	size_t n;
	for (unsigned i = 0; i < sp->n; i++) {
		segment(sp, i, &from, &n);
		o = literal(o, buf + size, from, n);
		struct arg a;
		TAKE_ARG(&sp->c[i], ap, a);
		char *before = o;
		o = convert(o, room, &sp->c[i], &a);
		if (!o)
			return -1;
		room -= (size_t)(o - before);
	}
	segment(sp, sp->n, &from, &n);
	o = literal(o, buf + size, from, n);
	return (int)(o - buf);
}

/* A format of exactly one conversion, taken apart: NULL for any other. */
static const struct conv *only_conv(const char *fmt, const struct spec **spp)
{
	const struct spec *sp = lookup(fmt);
	*spp = sp;
	return sp && sp->n == 1 ? &sp->c[0] : NULL;
}

int out_format_value(char *buf, size_t size, const char *fmt, uint64_t v, bool minus)
{
	const struct spec *sp;
	const struct conv *c = only_conv(fmt, &sp);
	if (!c || c->conv == 's' || c->conv == 'c' || c->star || (minus && c->zero) ||
	    size < (size_t)sp->len + c->width + NUMBER_ROOM)
		return -1;
	char *o = literal(buf, buf + size, sp->text, c->at);
	o = number(o, v, c->conv == 'i' ? 'd' : c->conv, minus, c->width, c->left,
		   c->zero && !c->left ? '0' : ' ');
	o = literal(o, buf + size, sp->text + c->end, (size_t)(sp->len - c->end));
	return (int)(o - buf);
}

int out_format_string(char *buf, size_t size, const char *fmt, const char *s)
{
	const struct spec *sp;
	const struct conv *c = only_conv(fmt, &sp);
	if (!c || c->conv != 's' || c->star)
		return -1;
	size_t len = strlen(s), gap = c->width > len ? c->width - len : 0;
	if (size < sp->len + len + gap + 32)
		return -1;
	char *o = literal(buf, buf + size, sp->text, c->at);
	if (!c->left)
		o = fill(o, ' ', (unsigned)gap);
	memcpy(o, s, len);
	o += len;
	if (c->left)
		o = fill(o, ' ', (unsigned)gap);
	o = literal(o, buf + size, sp->text + c->end, (size_t)(sp->len - c->end));
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

// SPDX-License-Identifier: MIT
/* Text or JSON, from the same calls; JSON written as a stream, no tree. */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "pgt/parse.h"

#define MAX_DEPTH 32

static struct {
	FILE *f;
	bool json;
	bool started;
	unsigned depth;
	bool first[MAX_DEPTH]; /* nothing printed yet at this level */
	bool in_array[MAX_DEPTH];
} o = {.f = NULL};

/* Text is formatted into a buffer and written a few KiB at a time, as
 * stdio would, not by a call per field (translate and dump print
 * millions): a line at a time to a terminal. */
static struct {
	size_t n; /* first: buf[0] at n's 4 KiB alias would stall every call */
	bool by_line;
	char buf[4000];
} line;

static void line_flush(void)
{
	if (line.n)
		fwrite_unlocked(line.buf, 1, line.n, o.f);
	line.n = 0;
}

/* After text was added: write what is due. */
static void line_added(void)
{
	if (line.by_line ? line.buf[line.n - 1] == '\n' : line.n > sizeof(line.buf) - 512)
		line_flush();
}


void out_init(FILE *f, bool json)
{
	line_flush();
	memset(&o, 0, sizeof(o));
	line.by_line = isatty(fileno(f));
	o.f = f;
	o.json = json;
	o.first[0] = true;
}

bool out_json(void)
{
	return o.json;
}

bool out_started(void)
{
	return o.started;
}

void out_flush(void)
{
	line_flush();
	fflush(o.f);
}

static void json_string(const char *s)
{
	fputc('"', o.f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", o.f);
			break;
		case '\\':
			fputs("\\\\", o.f);
			break;
		case '\n':
			fputs("\\n", o.f);
			break;
		case '\t':
			fputs("\\t", o.f);
			break;
		default:
			if (*p < 0x20)
				fprintf(o.f, "\\u%04x", *p);
			else
				fputc(*p, o.f);
		}
	}
	fputc('"', o.f);
}

/* Separator and key before a JSON value. */
static void json_key(const char *key)
{
	o.started = true;
	if (o.depth > 0 && !o.first[o.depth])
		fputc(',', o.f);
	o.first[o.depth] = false;
	if (key && o.depth > 0 && !o.in_array[o.depth]) {
		json_string(key);
		fputc(':', o.f);
	}
}

static void open_(const char *key, char c, bool array)
{
	if (!o.json)
		return;
	json_key(key);
	fputc(c, o.f);
	if (o.depth + 1 < MAX_DEPTH)
		o.depth++;
	o.first[o.depth] = true;
	o.in_array[o.depth] = array;
}

static void close_(char c)
{
	if (!o.json)
		return;
	fputc(c, o.f);
	if (o.depth > 0)
		o.depth--;
	if (o.depth == 0)
		fputc('\n', o.f);
}

void out_obj_begin(const char *key)
{
	open_(key, '{', false);
}

void out_obj_end(void)
{
	close_('}');
}

void out_arr_begin(const char *key)
{
	open_(key, '[', true);
}

void out_arr_end(void)
{
	close_(']');
}

/* Format into the line: false when only vfprintf can (ap is then spent:
 * the caller starts it again, which is cheaper than a copy of it here). */
static bool line_format(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static bool line_format(const char *fmt, va_list ap)
{
	o.started = true;
	int n = out_vformat(line.buf + line.n, sizeof(line.buf) - line.n, fmt, ap);
	if (n < 0)
		return false;
	line.n += (size_t)n;
	line_added();
	return true;
}

/* What line_format could not: after the line so far, by vfprintf. */
static void line_fallback(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static void line_fallback(const char *fmt, va_list ap)
{
	line_flush();
	vfprintf(o.f, fmt, ap);
}

/* After out_format_*: the line takes n bytes more, or -1 said no. */
static bool line_took(int n)
{
	o.started = true;
	if (n < 0)
		return false;
	line.n += (size_t)n;
	line_added();
	return true;
}

/* An integer field's text: by the format taken apart, without printf. */
static bool line_value(const char *fmt, uint64_t v, bool minus)
{
	if (sizeof(line.buf) - line.n < 256)
		line_flush();
	return line_took(out_format_value(line.buf + line.n, sizeof(line.buf) - line.n, fmt, v,
					  minus));
}

static bool line_string(const char *fmt, const char *s)
{
	if (sizeof(line.buf) - line.n < 256)
		line_flush();
	return line_took(out_format_string(line.buf + line.n, sizeof(line.buf) - line.n, fmt, s));
}

static void text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void text(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool done = line_format(fmt, ap);
	va_end(ap);
	if (!done) {
		va_start(ap, fmt);
		line_fallback(fmt, ap);
		va_end(ap);
	}
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void out_hex(const char *key, const char *fmt, uint64_t v)
{
	if (o.json) {
		json_key(key);
		out_printf(o.f, "\"0x%llx\"", (unsigned long long)v);
	} else if (fmt && !line_value(fmt, v, false)) {
		text(fmt, (unsigned long long)v);
	}
}

void out_uint(const char *key, const char *fmt, uint64_t v)
{
	if (o.json) {
		json_key(key);
		out_printf(o.f, "%llu", (unsigned long long)v);
	} else if (fmt && !line_value(fmt, v, false)) {
		text(fmt, (unsigned long long)v);
	}
}

void out_int(const char *key, const char *fmt, long long v)
{
	if (o.json) {
		json_key(key);
		out_printf(o.f, "%lld", v);
	} else if (fmt && !line_value(fmt, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0)) {
		text(fmt, v);
	}
}

void out_str(const char *key, const char *fmt, const char *s)
{
	if (o.json) {
		json_key(key);
		json_string(s);
	} else if (fmt && !line_string(fmt, s)) {
		text(fmt, s);
	}
}

void out_bool(const char *key, const char *fmt, bool v)
{
	if (o.json) {
		json_key(key);
		fputs(v ? "true" : "false", o.f);
	} else if (fmt) {
		text(fmt, v ? "yes" : "no");
	}
}

void out_prot(const char *key, const char *fmt, unsigned prot)
{
	if (o.json) {
		const char *w[6];
		unsigned n = pgt_prot_words(prot, w);
		json_key(key);
		fputc('[', o.f);
		for (unsigned i = 0; i < n; i++) {
			if (i)
				fputc(',', o.f);
			json_string(w[i]);
		}
		fputc(']', o.f);
	} else if (fmt) {
		char b[8];
		if (!line_string(fmt, pgt_prot_letters(prot, b)))
			text(fmt, b);
	}
}
#pragma GCC diagnostic pop

void out_null(const char *key, const char *txt)
{
	if (o.json) {
		json_key(key);
		fputs("null", o.f);
	} else if (txt) {
		text("%s", txt);
	}
}

void out_text(const char *fmt, ...)
{
	if (o.json)
		return;
	va_list ap;
	va_start(ap, fmt);
	bool done = line_format(fmt, ap);
	va_end(ap);
	if (!done) {
		va_start(ap, fmt);
		line_fallback(fmt, ap);
		va_end(ap);
	}
}

void out_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out_verror(fmt, ap);
	va_end(ap);
}

void out_verror(const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (o.json) {
		/* Always valid JSON: a top-level object, an element of the open
		 * array, or a key of the open object. */
		if (o.depth == 0 || o.in_array[o.depth]) {
			json_key(NULL);
			fputs("{\"error\":", o.f);
			json_string(msg);
			fputs(o.depth == 0 ? "}\n" : "}", o.f);
		} else {
			json_key("error");
			json_string(msg);
		}
		fflush(o.f);
		return;
	}
	line_flush();
	fflush(o.f);
	fprintf(stderr, "pgtctl: %s\n", msg);
}

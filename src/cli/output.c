// SPDX-License-Identifier: MIT
/*
 * Text or JSON, from the same calls; JSON written as a stream, no tree.
 * The framing of one command's JSON value lives here, not in commands: its
 * top-level container is closed only by out_end(), so that whatever the
 * command prints after closing it (an error, typically) joins it, and an
 * error met before it began is held and written as the value's first
 * member.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digits.h"
#include "output.h"
#include "pgt/parse.h"

#define MAX_DEPTH 32

static struct {
	FILE *f; /* the report's stream: standard output, unless data goes there */
	bool json;
	bool session;	/* a session's array is open at depth 1 */
	unsigned depth; /* containers open */
	unsigned base;	/* depth of the command's value: 0, or 1 in a session */
	bool written;	/* the command's value has begun */
	char closing;	/* its container is complete but for this character */
	char *held;	/* an error met before the value began */
	bool first[MAX_DEPTH]; /* nothing printed yet at this level */
	bool in_array[MAX_DEPTH];
	bool has_error[MAX_DEPTH]; /* an object with its "error" member */
} o;
/* before the first command, or when no command changed it */
#define OUT (o.f ? o.f : stdout)

/* Text is formatted into a buffer and written 64 KiB at a time, not by a
 * call per field or a write per stdio buffer (translate and dump print
 * millions of lines): a line at a time to a terminal. JSON goes to the stream
 * directly; the buffer is empty whenever the stream is written otherwise. */
static struct {
	size_t n; /* first: buf[0] at n's 4 KiB alias would stall every call */
	bool by_line;
	char buf[65536];
} line;

static void line_flush(void)
{
	if (line.n)
		fwrite_unlocked(line.buf, 1, line.n, OUT);
	line.n = 0;
}

/* After text was added: write what is due. */
static void line_added(void)
{
	if (line.by_line ? line.n && line.buf[line.n - 1] == '\n' : line.n > sizeof(line.buf) - 512)
		line_flush();
}

/* The report's stream from now on, after what the old one was given. */
static void set_stream(FILE *f)
{
	line_flush();
	fflush(OUT);
	o.f = f;
	line.by_line = isatty(fileno(f));
}

void out_begin(bool json)
{
	set_stream(stdout);
	free(o.held);
	o.held = NULL;
	o.closing = 0;
	o.written = false;
	if (o.session) {
		o.json = true;
		o.base = o.depth = 1;
		return;
	}
	o.json = json;
	o.base = o.depth = 0;
	o.first[0] = true;
}

void out_session_begin(void)
{
	out_begin(true);
	o.session = true;
	o.depth = 1;
	o.first[1] = true;
	o.in_array[1] = true;
	fputc('[', OUT);
}

/* The array is the value of the command that ran the session. */
void out_session_end(void)
{
	fputs(o.first[1] ? "]" : "\n]", OUT);
	o.session = false;
	o.depth = o.base = 0;
	o.written = true;
}

/* The command writes its data to standard output (-o -): its report goes
 * to standard error instead, in the same form. */
void out_to_stderr(void)
{
	set_stream(stderr);
}

bool out_json(void)
{
	return o.json;
}

bool out_by_line(void)
{
	return line.by_line;
}

/* s escaped into buf, or into a bigger buffer the caller frees. */
static char *escaped(const char *s, enum escape_mode mode, char *buf, size_t cap)
{
	size_t need = escape_str(buf, cap, s, mode);
	char *big = need < cap ? NULL : malloc(need + 1);
	if (!big)
		return buf; /* cut between characters when memory is short */
	escape_str(big, need + 1, s, mode);
	return big;
}

static void json_string(const char *s)
{
	char buf[256];
	char *e = escaped(s, ESCAPE_JSON, buf, sizeof(buf));
	fputc('"', OUT);
	fputs(e, OUT);
	fputc('"', OUT);
	if (e != buf)
		free(e);
}

/* The command's container, complete, takes more after all. */
static void reopen(void)
{
	if (o.closing && o.depth == o.base) {
		o.depth++;
		o.closing = 0;
	}
}

/* Separator and key before a JSON value. */
static void json_key(const char *key)
{
	reopen();
	if (o.depth > 0 && !o.first[o.depth])
		fputc(',', OUT);
	o.first[o.depth] = false;
	if (o.depth == o.base) {
		o.written = true;
		if (o.session)
			fputc('\n', OUT); /* a session's commands one a line */
		return;
	}
	if (key && !o.in_array[o.depth]) {
		json_string(key);
		fputc(':', OUT);
	}
}

static void error_member(const char *msg)
{
	if (o.in_array[o.depth]) {
		json_key(NULL);
		fputs("{\"error\":", OUT);
		json_string(msg);
		fputc('}', OUT);
	} else {
		json_key("error");
		json_string(msg);
		o.has_error[o.depth] = true;
	}
}

static void open_(const char *key, char c, bool array)
{
	if (!o.json)
		return;
	json_key(key);
	fputc(c, OUT);
	if (o.depth + 1 < MAX_DEPTH)
		o.depth++;
	o.first[o.depth] = true;
	o.in_array[o.depth] = array;
	o.has_error[o.depth] = false;
	if (o.held && o.depth == o.base + 1) {
		error_member(o.held);
		free(o.held);
		o.held = NULL;
	}
}

static void close_(char c)
{
	if (!o.json || o.depth == o.base)
		return;
	o.depth--;
	if (o.depth == o.base)
		o.closing = c;
	else
		fputc(c, OUT);
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

void out_end(void)
{
	if (o.json) {
		if (!o.written) {
			json_key(NULL);
			if (o.held) {
				fputs("{\"error\":", OUT);
				json_string(o.held);
				fputc('}', OUT);
			} else {
				fputs("null", OUT);
			}
		}
		reopen();
		for (; o.depth > o.base; o.depth--)
			fputc(o.in_array[o.depth] ? ']' : '}', OUT);
		if (!o.session)
			fputc('\n', OUT);
	}
	free(o.held);
	o.held = NULL;
	o.closing = 0;
	line_flush();
	fflush(OUT);
}

/* Format into the line: false when only vfprintf can (ap is then spent:
 * the caller starts it again, which is cheaper than a copy of it here). */
static bool line_format(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static bool line_format(const char *fmt, va_list ap)
{
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
	vfprintf(OUT, fmt, ap);
}

/* After out_format_*: the line takes n bytes more, or -1 said no. */
static bool line_took(int n)
{
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
		out_printf(OUT, "\"0x%llx\"", (unsigned long long)v);
	} else if (fmt && !line_value(fmt, v, false)) {
		text(fmt, (unsigned long long)v);
	}
}

void out_uint(const char *key, const char *fmt, uint64_t v)
{
	if (o.json) {
		json_key(key);
		out_printf(OUT, "%llu", (unsigned long long)v);
	} else if (fmt && !line_value(fmt, v, false)) {
		text(fmt, (unsigned long long)v);
	}
}

void out_int(const char *key, const char *fmt, long long v)
{
	if (o.json) {
		json_key(key);
		out_printf(OUT, "%lld", v);
	} else if (fmt && !line_value(fmt, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0)) {
		text(fmt, v);
	}
}

void out_str(const char *key, const char *fmt, const char *s)
{
	if (o.json) {
		json_key(key);
		json_string(s);
	} else if (fmt) {
		char buf[256];
		char *e = escaped(s, ESCAPE_TEXT, buf, sizeof(buf));
		if (!line_string(fmt, e))
			text(fmt, e);
		if (e != buf)
			free(e);
	}
}

void out_bool(const char *key, const char *fmt, bool v)
{
	if (o.json) {
		json_key(key);
		fputs(v ? "true" : "false", OUT);
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
		fputc('[', OUT);
		for (unsigned i = 0; i < n; i++) {
			if (i)
				fputc(',', OUT);
			json_string(w[i]);
		}
		fputc(']', OUT);
	} else if (fmt) {
		char b[8];
		if (!line_string(fmt, pgt_prot_letters(prot, b)))
			text(fmt, b);
	}
}
#pragma GCC diagnostic pop

/* Texts that repeat line after line, made once: the prot letters of every
 * combination of the six bits, the size of the last line. */
static struct {
	bool made;
	struct {
		char s[16];
		unsigned char len;
	} prot[64];
	uint64_t size;
	unsigned char size_len;
	char size_text[24];
} cache;

static void cache_prot(void)
{
	for (unsigned p = 0; p < 64; p++) {
		char b[8];
		pgt_prot_letters(p, b);
		cache.prot[p].len = (unsigned char)strlen(b);
		memcpy(cache.prot[p].s, b, cache.prot[p].len + 1);
	}
	cache.made = true;
}

/* s of len bytes at to, in width (right-aligned, or left): s has 16 bytes
 * to copy at least, to room for 16 more than it takes. */
static inline char *aligned(char *to, const char *s, size_t len, unsigned width, bool left)
{
	size_t gap = width > len ? width - len : 0;
	if (!left) {
		memset(to, ' ', 16);
		to += gap;
	}
	if (len <= 16)
		memcpy(to, s, 16);
	else
		memcpy(to, s, len);
	to += len;
	if (left) {
		memset(to, ' ', 16);
		to += gap;
	}
	return to;
}

static void fields_json(const struct out_field *f, const uint64_t *v)
{
	for (; f->kind != OUT_END; f++, v++) {
		if (!f->key)
			continue;
		switch (f->kind) {
		case OUT_HEX:
		case OUT_SIZE:
			out_hex(f->key, NULL, *v);
			break;
		case OUT_UINT:
			out_uint(f->key, NULL, *v);
			break;
		case OUT_PROT:
			out_prot(f->key, NULL, (unsigned)*v);
			break;
		case OUT_END:
			break;
		}
	}
}

void out_fields(const struct out_field *f, const uint64_t *v)
{
	if (o.json) {
		fields_json(f, v);
		return;
	}
	if (!cache.made)
		cache_prot();
	char *p = line.buf + line.n;
	for (;; f++, v++) {
		if (f->json_only)
			continue;
		/* room for any field: a text of 26 bytes, a number of 20 digits
		 * or a width below 256, 16 bytes of slack each */
		if ((size_t)(line.buf + sizeof(line.buf) - p) < 512) {
			line.n = (size_t)(p - line.buf);
			line_flush();
			p = line.buf;
		}
		if (f->text_len <= 16)
			memcpy(p, f->text, 16);
		else
			memcpy(p, f->text, f->text_len);
		p += f->text_len;
		switch (f->kind) {
		case OUT_HEX:
			p = digits_hex_min(p, *v, f->width);
			break;
		case OUT_UINT:
			p = digits_dec(p, *v);
			break;
		case OUT_SIZE:
			if (*v != cache.size || !cache.size_len) {
				pgt_fmt_size(*v, cache.size_text);
				cache.size = *v;
				cache.size_len = (unsigned char)strlen(cache.size_text);
			}
			p = aligned(p, cache.size_text, cache.size_len, f->width, false);
			break;
		case OUT_PROT:
			if (*v < 64) {
				p = aligned(p, cache.prot[*v].s, cache.prot[*v].len, f->width, true);
			} else {
				char b[16] = "";
				pgt_prot_letters((unsigned)*v, b);
				p = aligned(p, b, strlen(b), f->width, true);
			}
			break;
		case OUT_END:
			line.n = (size_t)(p - line.buf);
			line_added();
			return;
		}
	}
}

void out_null(const char *key, const char *txt)
{
	if (o.json) {
		json_key(key);
		fputs("null", OUT);
	} else if (txt) {
		text("%s", txt);
	}
}

void out_document(const char *key, const char *txt)
{
	if (o.json) {
		json_key(key);
		json_string(txt);
	} else {
		line_flush();
		fputs(txt, OUT);
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

/* the line of a batch script running, as sh and make name it */
static struct {
	const char *name;
	unsigned line;
} where;

void out_where(const char *name, unsigned line_no)
{
	where.name = name;
	where.line = line_no;
}

/* "pgtctl: [FILE:LINE: ][what: ]msg" on stderr, after what standard
 * output has. */
static void to_stderr(const char *what, const char *msg)
{
	char buf[256];
	char *e = escaped(msg, ESCAPE_TEXT, buf, sizeof(buf));
	line_flush();
	fflush(OUT);
	if (where.name) {
		char nbuf[256];
		char *n = escaped(where.name, ESCAPE_TEXT, nbuf, sizeof(nbuf));
		fprintf(stderr, "pgtctl: %s:%u: %s%s\n", n, where.line, what, e);
		if (n != nbuf)
			free(n);
	} else {
		fprintf(stderr, "pgtctl: %s%s\n", what, e);
	}
	if (e != buf)
		free(e);
}

void out_verror(const char *fmt, va_list ap)
{
	char *msg;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	const char *m = msg ? msg : "out of memory";
	if (!o.json) {
		to_stderr("", m);
	} else if (o.depth == o.base && !o.closing) {
		/* before the value began: it will hold the error */
		if (!o.held && msg) {
			o.held = msg;
			msg = NULL;
		} else {
			to_stderr("", m);
		}
	} else {
		reopen();
		if (o.in_array[o.depth] || !o.has_error[o.depth])
			error_member(m);
		else
			to_stderr("", m); /* an object has one "error" */
	}
	free(msg);
}

void out_warning(const char *fmt, ...)
{
	if (o.json)
		return;
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	to_stderr("warning: ", msg ? msg : "out of memory");
	free(msg);
}

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

#include "output.h"
#include "pgt/parse.h"

#define MAX_DEPTH 32

static struct {
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

void out_begin(bool json)
{
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
	fputc('[', stdout);
}

/* The array is the value of the command that ran the session. */
void out_session_end(void)
{
	fputs(o.first[1] ? "]" : "\n]", stdout);
	o.session = false;
	o.depth = o.base = 0;
	o.written = true;
}

bool out_json(void)
{
	return o.json;
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
	fputc('"', stdout);
	fputs(e, stdout);
	fputc('"', stdout);
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
		fputc(',', stdout);
	o.first[o.depth] = false;
	if (o.depth == o.base) {
		o.written = true;
		if (o.session)
			fputc('\n', stdout); /* a session's commands one a line */
		return;
	}
	if (key && !o.in_array[o.depth]) {
		json_string(key);
		fputc(':', stdout);
	}
}

static void error_member(const char *msg)
{
	if (o.in_array[o.depth]) {
		json_key(NULL);
		fputs("{\"error\":", stdout);
		json_string(msg);
		fputc('}', stdout);
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
	fputc(c, stdout);
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
		fputc(c, stdout);
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
				fputs("{\"error\":", stdout);
				json_string(o.held);
				fputc('}', stdout);
			} else {
				fputs("null", stdout);
			}
		}
		reopen();
		for (; o.depth > o.base; o.depth--)
			fputc(o.in_array[o.depth] ? ']' : '}', stdout);
		if (!o.session)
			fputc('\n', stdout);
	}
	free(o.held);
	o.held = NULL;
	o.closing = 0;
	fflush(stdout);
}

static void text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void text(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void out_hex(const char *key, const char *fmt, uint64_t v)
{
	if (o.json) {
		json_key(key);
		fprintf(stdout, "\"0x%llx\"", (unsigned long long)v);
	} else if (fmt) {
		text(fmt, (unsigned long long)v);
	}
}

void out_uint(const char *key, const char *fmt, uint64_t v)
{
	if (o.json) {
		json_key(key);
		fprintf(stdout, "%llu", (unsigned long long)v);
	} else if (fmt) {
		text(fmt, (unsigned long long)v);
	}
}

void out_int(const char *key, const char *fmt, long long v)
{
	if (o.json) {
		json_key(key);
		fprintf(stdout, "%lld", v);
	} else if (fmt) {
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
		text(fmt, e);
		if (e != buf)
			free(e);
	}
}

void out_bool(const char *key, const char *fmt, bool v)
{
	if (o.json) {
		json_key(key);
		fputs(v ? "true" : "false", stdout);
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
		fputc('[', stdout);
		for (unsigned i = 0; i < n; i++) {
			if (i)
				fputc(',', stdout);
			json_string(w[i]);
		}
		fputc(']', stdout);
	} else if (fmt) {
		char b[8];
		text(fmt, pgt_prot_letters(prot, b));
	}
}
#pragma GCC diagnostic pop

void out_null(const char *key, const char *txt)
{
	if (o.json) {
		json_key(key);
		fputs("null", stdout);
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
		fputs(txt, stdout);
	}
}

void out_text(const char *fmt, ...)
{
	if (o.json)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
}

void out_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out_verror(fmt, ap);
	va_end(ap);
}

/* "pgtctl: [what: ]msg" on stderr, after what standard output has. */
static void to_stderr(const char *what, const char *msg)
{
	char buf[256];
	char *e = escaped(msg, ESCAPE_TEXT, buf, sizeof(buf));
	fflush(stdout);
	fprintf(stderr, "pgtctl: %s%s\n", what, e);
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

/* SPDX-License-Identifier: MIT */
/*
 * One printing path for text and JSON (after iproute2's print_*): every
 * call names the JSON key and the text format together, so the two forms
 * of a command's output cannot drift apart.
 *
 * Under --json every command prints exactly one JSON value, whatever it
 * does (after bpftool's json_writer and do_batch): its object or array,
 * with its errors inside it; {"error": ...} when it failed before printing
 * anything; null when it printed nothing. A session (batch, repl) opens
 * one array and each of its commands is one element of it.
 */
#ifndef PGT_CLI_OUTPUT_H
#define PGT_CLI_OUTPUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "escape.h"

/* One command's output, to standard output: text, or one JSON value. */
void out_begin(bool json);
void out_end(void);
/* A session's JSON array around the values of its commands. */
void out_session_begin(void);
void out_session_end(void);
bool out_json(void);
/* The report goes to a terminal, a line at a time: a command that reads
 * its input as it comes answers each line before it reads the next. */
bool out_by_line(void);
/* The command writes its data to standard output (-o -): its report goes
 * to standard error, in the same form. */
void out_to_stderr(void);
/* Messages on standard error name NAME:LINE, the line of a script that
 * runs (NULL: none). */
void out_where(const char *name, unsigned line_no);

/* key is ignored inside arrays and at the top level. */
void out_obj_begin(const char *key);
void out_obj_end(void);
void out_arr_begin(const char *key);
void out_arr_end(void);

/* In text mode fmt (printf style, may be NULL) prints the value. */
void out_hex(const char *key, const char *fmt, uint64_t v); /* JSON "0x..." */
void out_uint(const char *key, const char *fmt, uint64_t v); /* JSON number */
void out_int(const char *key, const char *fmt, long long v);
/* s is escaped (escape_str) in both forms: it may come from input. */
void out_str(const char *key, const char *fmt, const char *s);
void out_bool(const char *key, const char *fmt, bool v);
void out_null(const char *key, const char *text);
/* JSON: list of prot words; text: fmt applied to the letters ("rwc"). */
void out_prot(const char *key, const char *fmt, unsigned prot);
/*
 * A record: fields printed as one line of text or as a JSON object's
 * members, from one description, the same calls as above in one (the
 * printers of a line per IOVA or leaf: translate, dump --leaves). No
 * format is interpreted for the text: it is built in place.
 */
enum out_kind {
	OUT_HEX,  /* JSON "0x..."; text hex digits, zero-padded to width (<= 16) */
	OUT_UINT, /* JSON number; text decimal */
	OUT_SIZE, /* JSON "0x..."; text "4K" (pgt_fmt_size), right-aligned in width */
	OUT_PROT, /* JSON list of prot words; text letters, left-aligned in width */
	OUT_END,  /* no value: the text after the last field */
};

struct out_field {
	const char *key; /* JSON member; NULL: text only */
	enum out_kind kind;
	bool json_only;	 /* no text */
	unsigned char width;
	unsigned char text_len;
	char text[27]; /* before the value: room to copy 16 bytes of any */
};

#define OUT_FIELD(key, kind, text, width) {key, kind, false, width, sizeof(text) - 1, text}
#define OUT_JSON_FIELD(key, kind) {key, kind, true, 0, 0, ""}
#define OUT_FIELDS_END(text) {NULL, OUT_END, false, 0, sizeof(text) - 1, text}

/* f up to its OUT_END, a value each from v. */
void out_fields(const struct out_field *f, const uint64_t *v);

/* A text of ours printed whole (a YAML spec, a help text): as it is, or
 * a JSON string under key. */
void out_document(const char *key, const char *text);
/* Text only; for our own words and numbers (input goes through out_str). */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* vsnprintf by hand for the conversions the output uses (format.c): the
 * length, or -1 when the format needs vfprintf or buf is too small. */
int out_vformat(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* The same for a format of one conversion of v (an integer; minus: it is
 * negative, v its magnitude) or of s. */
int out_format_value(char *buf, size_t size, const char *fmt, uint64_t v, bool minus);
int out_format_string(char *buf, size_t size, const char *fmt, const char *s);
/* fprintf, through out_vformat where it can. */
int out_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int out_vprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* "pgtctl: msg" on stderr, or {"error": "msg"} when JSON output is on. */
void out_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_verror(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* "pgtctl: warning: msg" on stderr; nothing in JSON, whose output says it. */
void out_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

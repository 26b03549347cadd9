// SPDX-License-Identifier: MIT
/*
 * Finding faults in kernel log text. Each kind lists the lines its driver
 * prints as patterns (struct fault_log); a line is matched wherever the
 * pattern's text sits in it, so dmesg timestamps, syslog and journal
 * prefixes and the device name in front do not matter. A fault printed
 * over several lines (SMMUv3's event words, Mali's status) is collected
 * until its last line, and reported incomplete when that never comes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "fault_int.h"

/* Lines a record may wait for its next line among unrelated ones. */
#define MAX_IDLE 16

struct pgt_fault_scanner {
	pgt_fault_found_fn fn;
	void *ctx;
	unsigned long lines;
	/* A record waiting for its following lines */
	bool pending;
	const struct pgt_fault_kind *kind;
	const struct fault_log *log;
	unsigned long start_line;
	char device[96];
	struct fault_captures cap;
	unsigned got, idle;
};

bool fault_capture(const struct fault_captures *c, const char *name, uint64_t *v)
{
	for (unsigned i = 0; i < c->n; i++)
		if (!strcmp(c->c[i].name, name)) {
			*v = c->c[i].value;
			return true;
		}
	return false;
}

const char *fault_capture_text(const struct fault_captures *c, const char *name)
{
	for (unsigned i = 0; i < c->n; i++)
		if (!strcmp(c->c[i].name, name))
			return c->c[i].text;
	return NULL;
}

/* --- Patterns ------------------------------------------------------------ */

static bool capture_add(struct fault_captures *cap, const char *name, size_t len, unsigned index,
			uint64_t value, const char *text, size_t text_len)
{
	if (!len)
		return true;
	if (cap->n == FAULT_MAX_CAPTURES)
		return false;
	char *out = cap->c[cap->n].name;
	size_t o = 0;
	for (size_t i = 0; i < len && o + 2 < sizeof(cap->c[0].name); i++)
		if (name[i] == '#')
			out[o++] = (char)('0' + index % 10);
		else
			out[o++] = name[i];
	out[o] = 0;
	cap->c[cap->n].value = value;
	snprintf(cap->c[cap->n].text, sizeof(cap->c[0].text), "%.*s", (int)text_len,
		 text ? text : "");
	cap->n++;
	return true;
}

/* Digits of a number: hex or decimal, at most a 64-bit value's. */
static const char *number(const char *s, bool hex, uint64_t *v)
{
	const char *p = s;
	unsigned significant = 0;
	*v = 0;
	while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)) {
		unsigned d = isdigit((unsigned char)*p) ? (unsigned)(*p - '0')
							: (unsigned)(tolower((unsigned char)*p) - 'a' + 10);
		if (*v || d)
			significant++;
		if (significant > (hex ? 16u : 19u))
			return NULL;
		*v = *v * (hex ? 16 : 10) + d;
		p++;
	}
	return p == s ? NULL : p;
}

/* Match pattern p exactly at s; the end of the match in s, or NULL. */
static const char *match_here(const char *p, const char *s, struct fault_captures *cap,
			      unsigned index)
{
	while (*p) {
		if (*p == ' ') {
			/* a blank matches a run of them, as logs get re-spaced */
			size_t n = strspn(s, " \t");
			if (!n)
				return NULL;
			p++;
			s += n;
			continue;
		}
		if (*p != '{') {
			if (*p++ != *s++)
				return NULL;
			continue;
		}
		const char *close = strchr(p, '}');
		const char *colon = memchr(p, ':', (size_t)(close - p));
		const char *name = p + 1;
		size_t len = (size_t)((colon ? colon : close) - name);
		char type = colon ? colon[1] : 'x';
		p = close + 1;
		if (type == 's') {
			/* text up to the next literal character, at least one */
			const char *end = *p && s[0] ? strchr(s + 1, *p) : NULL;
			if (!end || !capture_add(cap, name, len, index, 0, s, (size_t)(end - s)))
				return NULL;
			s = end;
			continue;
		}
		uint64_t v;
		const char *end = number(s, type == 'x', &v);
		if (!end || !capture_add(cap, name, len, index, v, NULL, 0))
			return NULL;
		s = end;
	}
	return s;
}

/* Find pattern p in line; to_end: only trailing blanks may follow it.
 * Returns where the match starts, or NULL; cap gets its captures. */
static const char *find(const char *p, const char *line, bool to_end, struct fault_captures *cap,
			unsigned index)
{
	size_t lit = strcspn(p, "{"), n = strlen(line);
	for (const char *s = line; s <= line + n; s++) {
		if (lit) {
			s = memmem(s, (size_t)(line + n - s), p, lit);
			if (!s)
				return NULL;
		}
		struct fault_captures tmp = *cap;
		const char *end = match_here(p, s, &tmp, index);
		if (end && (!to_end || !end[strspn(end, " \t\r")])) {
			*cap = tmp;
			return s;
		}
	}
	return NULL;
}

/* --- Log prefixes -------------------------------------------------------- */

/* "kern  :err   : " of dmesg -x */
static const char *facility_level(const char *p)
{
	for (int part = 0; part < 2; part++) {
		const char *q = p;
		while (isalpha((unsigned char)*q))
			q++;
		if (q == p)
			return NULL;
		q += strspn(q, " ");
		if (*q != ':')
			return NULL;
		p = q + 1;
	}
	return *p == ' ' ? p : NULL;
}

/* Where the message starts: after a journal or syslog prefix (up to
 * " kernel: "), "<3>" levels, "[  12.345678]" or "[Mon Jan ...]"
 * timestamps, "[T123]" caller ids and dmesg -x's facility and level. */
static const char *message_start(const char *line)
{
	const char *p = line, *k = strstr(line, " kernel: ");
	if (k && k - line < 80)
		p = k + 9;
	for (;;) {
		const char *q;
		p += strspn(p, " \t");
		if (*p == '<' && isdigit((unsigned char)p[1])) {
			q = p + 1 + strspn(p + 1, "0123456789");
			if (*q == '>') {
				p = q + 1;
				continue;
			}
		}
		if (*p == '[' && (q = strchr(p, ']')) && q - p < 48) {
			p = q + 1;
			continue;
		}
		if ((q = facility_level(p))) {
			p = q;
			continue;
		}
		return p;
	}
}

/* The device prefix between a message's start and the match, without
 * trailing blanks (or an escaped tab) and colon. */
static void device_prefix(const char *from, const char *to, char *out, size_t len)
{
	for (;;) {
		while (to > from && isspace((unsigned char)to[-1]))
			to--;
		if (to - from >= 4 && !memcmp(to - 4, "\\x09", 4))
			to -= 4;
		else if (to - from >= 2 && !memcmp(to - 2, "\\t", 2))
			to -= 2;
		else
			break;
	}
	if (to > from && to[-1] == ':')
		to--;
	snprintf(out, len, "%.*s", (int)(to - from), from);
}

/* --- The scanner --------------------------------------------------------- */

struct pgt_fault_scanner *pgt_fault_scanner_new(pgt_fault_found_fn fn, void *ctx)
{
	struct pgt_fault_scanner *s = calloc(1, sizeof(*s));
	if (s) {
		s->fn = fn;
		s->ctx = ctx;
	}
	return s;
}

void pgt_fault_scanner_free(struct pgt_fault_scanner *s)
{
	free(s);
}

unsigned long pgt_fault_scanner_lines(const struct pgt_fault_scanner *s)
{
	return s->lines;
}

/* Captures whose names are the kind's fields give those fields. */
static void by_name(const struct pgt_fault_kind *k, const struct fault_captures *c, uint64_t *v,
		    unsigned *given)
{
	for (unsigned i = 0; i < c->n; i++) {
		int idx = fault_field_index(k, c->c[i].name);
		if (idx >= 0) {
			v[idx] = c->c[i].value;
			*given |= 1u << idx;
		}
	}
}

static int report(struct pgt_fault_scanner *s, int code, const struct pgt_error *err)
{
	struct pgt_fault_found *found = calloc(1, sizeof(*found));
	if (!found)
		return -ENOMEM;
	found->line = s->start_line;
	found->device = s->device;
	if (code) {
		found->error = code;
		found->err = *err;
	} else {
		uint64_t v[PGT_FAULT_MAX_INPUTS] = {0};
		unsigned given = 0;
		int rc = 0;
		if (s->kind->from_log)
			rc = s->kind->from_log(&s->cap, s->device, v, &given, &found->err);
		else
			by_name(s->kind, &s->cap, v, &given);
		if (!rc)
			rc = fault_decode_values(s->kind, v, given, &found->fault, &found->err);
		if (rc) {
			found->error = rc;
			pgt_error_prefix(&found->err, "%s fault", s->kind->name);
		}
	}
	s->pending = false;
	int rc = s->fn(s->ctx, found);
	free(found);
	return rc;
}

/* A continuation pattern as an example line: "raw fault status: 0x..." */
static void pattern_example(const char *p, char *out, size_t len)
{
	size_t o = 0;
	while (*p && o + 4 < len) {
		if (*p == '{') {
			memcpy(out + o, "...", 3);
			o += 3;
			p = strchr(p, '}') + 1;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = 0;
}

static int incomplete(struct pgt_fault_scanner *s)
{
	struct pgt_error err;
	char example[96];
	unsigned left = s->log->n_more - s->got;
	pattern_example(s->log->more, example, sizeof(example));
	pgt_fail(&err, -EINVAL, "%s fault cut short: %u more line%s expected, like '%s'",
		 s->kind->name, left, left == 1 ? "" : "s", example);
	return report(s, -EINVAL, &err);
}

/* The pending record's next line? */
static bool continues(struct pgt_fault_scanner *s, const char *msg)
{
	struct fault_captures cap = s->cap;
	const char *at = find(s->log->more, msg, true, &cap, s->got);
	char dev[sizeof(s->device)];
	if (!at)
		return false;
	device_prefix(msg, at, dev, sizeof(dev));
	if (*dev && strcmp(dev, s->device))
		return false;
	s->cap = cap;
	s->got++;
	s->idle = 0;
	return true;
}

/* The first pattern of a kind that starts a fault on this line. */
static bool match_start(const char *msg, const struct pgt_fault_kind **kind,
			const struct fault_log **log, struct fault_captures *cap, const char **at)
{
	for (const struct pgt_fault_kind *const *k = pgt_fault_kinds(); *k; k++)
		for (const struct fault_log *l = (*k)->logs; l->start; l++) {
			memset(cap, 0, sizeof(*cap));
			if ((*at = find(l->start, msg, false, cap, 0))) {
				*kind = *k;
				*log = l;
				return true;
			}
		}
	return false;
}

/* One line of a message, its prefixes skipped. */
static int scan_message(struct pgt_fault_scanner *s, const char *msg)
{
	const char *at;
	const struct pgt_fault_kind *kind;
	const struct fault_log *log;
	struct fault_captures cap;
	int rc;

	if (s->pending && continues(s, msg))
		return s->got == s->log->n_more ? report(s, 0, NULL) : 0;
	if (!match_start(msg, &kind, &log, &cap, &at)) {
		if (s->pending && ++s->idle > MAX_IDLE)
			return incomplete(s);
		return 0;
	}
	/* A new fault while the last one still waits: the last is cut short. */
	if (s->pending && (rc = incomplete(s)))
		return rc;
	s->pending = true;
	s->kind = kind;
	s->log = log;
	s->start_line = s->lines;
	s->cap = cap;
	s->got = s->idle = 0;
	device_prefix(msg, at, s->device, sizeof(s->device));
	return log->n_more ? 0 : report(s, 0, NULL);
}

/* rsyslog writes a message's newlines as "#012" (its control character
 * escape), so a multi-line message (panfrost's) can sit on one line. */
#define SYSLOG_NEWLINE "#012"

int pgt_fault_scan_line(struct pgt_fault_scanner *s, const char *line)
{
	s->lines++;
	if (!strstr(line, SYSLOG_NEWLINE))
		return scan_message(s, message_start(line));
	char *copy = strdup(line);
	int rc = 0;
	if (!copy)
		return -ENOMEM;
	for (char *seg = copy, *next; seg && !rc; seg = next) {
		if ((next = strstr(seg, SYSLOG_NEWLINE))) {
			*next = 0;
			next += strlen(SYSLOG_NEWLINE);
		}
		rc = scan_message(s, message_start(seg));
	}
	free(copy);
	return rc;
}

int pgt_fault_scan_end(struct pgt_fault_scanner *s)
{
	return s->pending ? incomplete(s) : 0;
}

// SPDX-License-Identifier: MIT
/*
 * The log lines of a fault kind, as patterns (struct fault_log): a line is
 * matched wherever the pattern's text sits in it, so dmesg timestamps,
 * syslog and journal prefixes and the device name in front do not matter;
 * the device name is kept apart to tell whose lines follow a fault's
 * first one.
 */
#include <ctype.h>
#include <stdio.h>

#include "fault_int.h"

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
		unsigned d = isdigit((unsigned char)*p)
				     ? (unsigned)(*p - '0')
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
			/* text up to the next literal character, at least one and
			 * no more than a capture holds: a name, not the rest of a
			 * long line (each start would scan it all again) */
			size_t room = sizeof(cap->c[0].text) - 1, n = 1;
			while (*p && s[0] && n <= room && s[n] && s[n] != *p)
				n++;
			if (!*p || !s[0] || n > room || s[n] != *p ||
			    !capture_add(cap, name, len, index, 0, s, n))
				return NULL;
			s += n;
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
const char *fault_log_find(const char *p, const char *line, bool to_end, struct fault_captures *cap,
			   unsigned index)
{
	size_t lit = strcspn(p, "{"), n = strlen(line);
	for (const char *s = line; s <= line + n; s++) {
		if (lit) {
			s = memmem(s, (size_t)(line + n - s), p, lit);
			if (!s)
				return NULL;
		}
		/* only the captures in use: this runs at every place the
		 * literal start is found */
		struct fault_captures tmp;
		tmp.n = cap->n;
		memcpy(tmp.c, cap->c, cap->n * sizeof(cap->c[0]));
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
const char *fault_log_message(const char *line)
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
void fault_log_device(const char *from, const char *to, char *out, size_t len)
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

/* A continuation pattern as an example line: "raw fault status: 0x..." */
void fault_log_example(const char *p, char *out, size_t len)
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

// SPDX-License-Identifier: MIT
/*
 * Finding faults in kernel log text, line by line: a line that starts a
 * kind's fault (logpattern.c matches them) opens a record; a fault printed
 * over several lines (SMMUv3's event words, Mali's status) is collected
 * until its last line, and reported cut short when that never comes.
 */
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

int pgt_fault_scanner_new(pgt_fault_found_fn fn, void *ctx, struct pgt_fault_scanner **out,
			  struct pgt_error *err)
{
	struct pgt_fault_scanner *s = calloc(1, sizeof(*s));
	if (!s)
		return pgt_fail(err, -ENOMEM, "out of memory");
	s->fn = fn;
	s->ctx = ctx;
	*out = s;
	return 0;
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
	struct {
		struct pgt_fault_found found;
		struct pgt_error err;
		struct pgt_fault fault;
	} *rec = calloc(1, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	struct pgt_fault_found *found = &rec->found;
	found->err = &rec->err;
	found->line = s->start_line;
	found->device = s->device;
	if (code) {
		found->error = code;
		rec->err = *err;
	} else {
		uint64_t v[PGT_FAULT_MAX_INPUTS] = {0};
		unsigned given = 0;
		int rc = 0;
		if (s->kind->from_log)
			rc = s->kind->from_log(&s->cap, s->device, v, &given, &rec->err);
		else
			by_name(s->kind, &s->cap, v, &given);
		if (!rc)
			rc = fault_decode_values(s->kind, v, given, &rec->fault, &rec->err);
		if (!rc)
			found->fault = &rec->fault;
		if (rc) {
			found->error = rc;
			pgt_error_prefix(&rec->err, "%s fault", s->kind->name);
		}
	}
	s->pending = false;
	int rc = s->fn(s->ctx, found);
	free(rec);
	return rc;
}

static int incomplete(struct pgt_fault_scanner *s)
{
	struct pgt_error err;
	char example[96];
	unsigned left = s->log->n_more - s->got;
	fault_log_example(s->log->more, example, sizeof(example));
	pgt_fail(&err, -EINVAL, "%s fault cut short: %u more line%s expected, like '%s'",
		 s->kind->name, left, left == 1 ? "" : "s", example);
	return report(s, -EINVAL, &err);
}

/* The pending record's next line? */
static bool continues(struct pgt_fault_scanner *s, const char *msg)
{
	struct fault_captures cap = s->cap;
	const char *at = fault_log_find(s->log->more, msg, true, &cap, s->got);
	char dev[sizeof(s->device)];
	if (!at)
		return false;
	fault_log_device(msg, at, dev, sizeof(dev));
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
			if ((*at = fault_log_find(l->start, msg, false, cap, 0))) {
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
	fault_log_device(msg, at, s->device, sizeof(s->device));
	return log->n_more ? 0 : report(s, 0, NULL);
}

/* rsyslog writes a message's newlines as "#012" (its control character
 * escape), so a multi-line message (panfrost's) can sit on one line. */
#define SYSLOG_NEWLINE "#012"

int pgt_fault_scan_line(struct pgt_fault_scanner *s, const char *line)
{
	s->lines++;
	if (!strstr(line, SYSLOG_NEWLINE))
		return scan_message(s, fault_log_message(line));
	char *copy = strdup(line);
	int rc = 0;
	if (!copy)
		return -ENOMEM;
	for (char *seg = copy, *next; seg && !rc; seg = next) {
		if ((next = strstr(seg, SYSLOG_NEWLINE))) {
			*next = 0;
			next += strlen(SYSLOG_NEWLINE);
		}
		rc = scan_message(s, fault_log_message(seg));
	}
	free(copy);
	return rc;
}

int pgt_fault_scan_end(struct pgt_fault_scanner *s)
{
	return s->pending ? incomplete(s) : 0;
}

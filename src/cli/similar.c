// SPDX-License-Identifier: MIT
/*
 * "Did you mean": the known words nearest to a mistyped one. Nearness is
 * the edit distance git ranks commands by for its suggestion (help.c,
 * help_unknown_cmd): swapping two neighbouring letters is free, a letter
 * the typed word lacks costs 1, a wrong letter 2, an extra letter 3. A word
 * is offered when it is at most 5 away and no further than the typed word
 * is long (so that "x" does not suggest "map").
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define MAX_WORD 64
#define FAR 5

enum { COST_SWAP = 0, COST_MISSING = 1, COST_WRONG = 2, COST_EXTRA = 3 };

static unsigned min2(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

/* The optimal-string-alignment distance from typed to known, by rows. */
static unsigned distance(const char *typed, size_t m, const char *known, size_t n)
{
	unsigned rows[3][MAX_WORD + 1];
	unsigned *two = rows[0], *prev = rows[1], *cur = rows[2];

	for (size_t j = 0; j <= n; j++)
		prev[j] = (unsigned)j * COST_MISSING;
	for (size_t i = 1; i <= m; i++) {
		cur[0] = (unsigned)i * COST_EXTRA;
		for (size_t j = 1; j <= n; j++) {
			unsigned d = prev[j - 1] + (typed[i - 1] == known[j - 1] ? 0 : COST_WRONG);
			d = min2(d, prev[j] + COST_EXTRA);
			d = min2(d, cur[j - 1] + COST_MISSING);
			if (i > 1 && j > 1 && typed[i - 1] == known[j - 2] &&
			    typed[i - 2] == known[j - 1])
				d = min2(d, two[j - 2] + COST_SWAP);
			cur[j] = d;
		}
		unsigned *t = two;
		two = prev;
		prev = cur;
		cur = t;
	}
	return prev[n];
}

void similar_init(struct similar *s, const char *typed, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->typed = typed;
	s->len = len;
	s->best = FAR + 1;
}

void similar_add(struct similar *s, const char *known)
{
	size_t n = strlen(known);
	if (s->len > MAX_WORD || n > MAX_WORD)
		return;
	unsigned d = distance(s->typed, s->len, known, n);
	if (d > FAR || d > s->len || d > s->best)
		return;
	if (d < s->best) {
		s->best = d;
		s->n = 0;
	}
	for (unsigned i = 0; i < s->n; i++)
		if (!strcmp(s->words[i], known))
			return;
	if (s->n < SIMILAR_MAX)
		s->words[s->n++] = known;
}

const char *similar_text(const struct similar *s, const char *prefix, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!s->n)
		return buf;
	size_t at = (size_t)snprintf(buf, len, "; did you mean ");
	for (unsigned i = 0; i < s->n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s'%s%s'",
				       !i ? "" : i + 1 < s->n ? ", " : " or ", prefix, s->words[i]);
	if (at < len)
		snprintf(buf + at, len - at, "?");
	return buf;
}

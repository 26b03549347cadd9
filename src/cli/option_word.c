// SPDX-License-Identifier: MIT
/*
 * A word of a line looked up among a line's options as getopt_long reads
 * it: a long option by its name or a prefix that names one option, --name=
 * VALUE; short options grouped, the first that takes a value taking the
 * rest of the word or the next word.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util/join.h"

static void match_long(const struct argp *group, const struct argp_option *op, void *ctx)
{
	struct option_word *w = ctx;
	if (!op->name)
		return;
	similar_add(&w->near, op->name);
	if (strncmp(op->name, w->name, w->len))
		return;
	if (!op->name[w->len]) {
		w->exact++;
		w->op = op;
		w->group = group;
		return;
	}
	if (w->exact)
		return;
	/* getopt_long takes a prefix that names one option, under any name */
	if (!w->op || w->group != group || w->op->key != op->key) {
		char b[48];
		snprintf(b, sizeof(b), "--%s", op->name);
		pgt_join(w->names, sizeof(w->names), ", ", b);
		w->prefixes++;
	}
	w->op = op;
	w->group = group;
}

static void match_short(const struct argp *group, const struct argp_option *op, void *ctx)
{
	struct option_word *w = ctx;
	if (op->key == *w->shorts) {
		w->op = op;
		w->group = group;
	}
}

enum option_verdict option_word_check(const struct argp *argp, const char *text, bool last,
				      struct option_word *w)
{
	memset(w, 0, sizeof(*w));
	if (text[0] != '-' || !text[1] || !strcmp(text, "--"))
		return WORD_OK;
	if (text[1] == '-') {
		const char *eq = strchr(text, '=');
		w->name = text + 2;
		w->len = eq ? (size_t)(eq - w->name) : strlen(w->name);
		similar_init(&w->near, w->name, w->len);
		cli_each_option(argp, match_long, w);
		if (!w->exact && w->prefixes > 1)
			return WORD_AMBIGUOUS;
		if (!w->op)
			return WORD_UNKNOWN;
		if (eq && !w->op->arg)
			return WORD_NO_VALUE;
		if (!eq && w->op->arg && !(w->op->flags & OPTION_ARG_OPTIONAL) && last)
			return WORD_NEEDS_VALUE;
		return WORD_OK;
	}
	for (w->shorts = text + 1; *w->shorts; w->shorts++) {
		w->op = NULL;
		cli_each_option(argp, match_short, w);
		if (!w->op)
			return WORD_UNKNOWN;
		if (w->op->arg)
			return w->shorts[1] || !last || (w->op->flags & OPTION_ARG_OPTIONAL)
				       ? WORD_OK
				       : WORD_NEEDS_VALUE;
	}
	return WORD_OK;
}

bool option_word_takes_next(const struct argp *argp, const char *word)
{
	struct option_word w;
	if (option_word_check(argp, word, false, &w) != WORD_OK || !w.op || !w.op->arg ||
	    (w.op->flags & OPTION_ARG_OPTIONAL))
		return false;
	/* --name=VALUE, or -kVALUE: the value is in the word */
	return w.shorts ? !w.shorts[1] : !w.name[w.len];
}


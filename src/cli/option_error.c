// SPDX-License-Identifier: MIT
/*
 * What is wrong with an option. argp (getopt, with its messages off so that
 * --json can frame ours) only says that something is; the user is told which
 * option, why (unknown, an ambiguous prefix, a value missing or not wanted),
 * what comes near it, and the command's usage in one line, as git and
 * coreutils do.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum verdict { WORD_OK, WORD_UNKNOWN, WORD_AMBIGUOUS, WORD_NEEDS_VALUE, WORD_NO_VALUE };

/* One word of a line, looked up in a command's options. */
struct word {
	const char *name; /* a long option's name, after the dashes */
	size_t len;	  /* up to its "=", if any */
	char shorts;	  /* the short option looked up, or 0 */
	unsigned exact, prefixes;
	const struct argp_option *op;
	char names[160]; /* the long options an ambiguous prefix names */
	struct similar near;
};

static void match_long(const struct argp_option *op, void *ctx)
{
	struct word *w = ctx;
	if (!op->name)
		return;
	similar_add(&w->near, op->name);
	if (strncmp(op->name, w->name, w->len))
		return;
	if (!op->name[w->len]) {
		w->exact++;
		w->op = op;
		return;
	}
	if (w->exact)
		return;
	/* getopt_long takes a prefix that names one option, under any name */
	if (!w->op || w->op->key != op->key) {
		char b[48];
		snprintf(b, sizeof(b), "--%s", op->name);
		pgt_join(w->names, sizeof(w->names), ", ", b);
		w->prefixes++;
	}
	w->op = op;
}

static void match_short(const struct argp_option *op, void *ctx)
{
	struct word *w = ctx;
	if (op->key == w->shorts)
		w->op = op;
}

/* Look one word up in argp's options; last: no word follows it. */
static enum verdict check_word(const struct argp *argp, const char *text, bool last,
			       struct word *w)
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
	for (const char *p = text + 1; *p; p++) {
		w->shorts = *p;
		w->op = NULL;
		cli_each_option(argp, match_short, w);
		if (!w->op)
			return WORD_UNKNOWN;
		if (w->op->arg)
			return p[1] || !last || (w->op->flags & OPTION_ARG_OPTIONAL) ? WORD_OK
										  : WORD_NEEDS_VALUE;
	}
	return WORD_OK;
}

/* The option as the user typed it, for the message: "--name" or "-k". */
static const char *typed(const struct word *w, char *buf, size_t len)
{
	if (w->shorts)
		snprintf(buf, len, "-%c", w->shorts);
	else
		snprintf(buf, len, "--%.*s", (int)(w->len > 60 ? 60 : w->len), w->name);
	return buf;
}

/* Report word's problem, w's verdict v, as a message of cmd ("" for none). */
static void say(const char *cmd, const struct word *w, enum verdict v)
{
	char opt[72], hint[160];
	const char *sep = *cmd ? ": " : "";
	switch (v) {
	case WORD_UNKNOWN:
		out_error("%s%sunknown option '%s'%s", cmd, sep, typed(w, opt, sizeof(opt)),
			  w->shorts ? "" : similar_text(&w->near, "--", hint, sizeof(hint)));
		break;
	case WORD_AMBIGUOUS:
		out_error("%s%soption '%s' is ambiguous (%s)", cmd, sep,
			  typed(w, opt, sizeof(opt)), w->names);
		break;
	case WORD_NEEDS_VALUE:
		out_error("%s%soption '%s' needs a value (%s)", cmd, sep,
			  typed(w, opt, sizeof(opt)), w->op->arg);
		break;
	case WORD_NO_VALUE:
		out_error("%s%soption '%s' takes no value", cmd, sep, typed(w, opt, sizeof(opt)));
		break;
	case WORD_OK:
		break;
	}
}

/* After the message, as coreutils and git do: the command's one-line usage
 * and where the rest is. Text only: in JSON the message is the document. */
static void usage_hint(const char *prog, const char *args)
{
	if (out_json())
		return;
	int n = (int)strcspn(args, "\n");
	fprintf(stderr, "Usage: %s [OPTION...]%s%.*s\n", prog, n ? " " : "", n, args);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
}

/* argp refused an option (getopt leaves next past the word, or on it when
 * the bad letter is inside a group of short options). */
void cli_option_error(const struct cmd *cmd, const struct session *s, char **argv, int argc,
		      int next)
{
	struct line_argp line;
	struct word w;
	enum verdict v = WORD_OK;
	line_argp_init(&line, cmd);
	for (int i = next - 1; i <= next && v == WORD_OK; i++)
		if (i >= 0 && i < argc)
			v = check_word(&line.argp, argv[i], i + 1 == argc, &w);
	if (v == WORD_OK)
		out_error("internal error: %s: getopt refused an option that pgtctl finds right",
			  cmd->name);
	else
		say(cmd->name, &w, v);
	char prog[64];
	snprintf(prog, sizeof(prog), "%s%s", s ? "" : "pgtctl ", cmd->name);
	usage_hint(prog, cmd->argp->args_doc ? cmd->argp->args_doc : "");
}

int cli_option_without_command(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		struct word w;
		bool known = false, value = false;
		for (const struct cmd *const *c = commands; *c; c++) {
			struct line_argp line;
			line_argp_init(&line, *c);
			enum verdict v = check_word(&line.argp, argv[i], i + 1 == argc, &w);
			known |= v != WORD_UNKNOWN;
			value |= v == WORD_OK && w.op && w.op->arg && !w.shorts && !strchr(argv[i], '=');
		}
		if (!known) {
			/* what is near it among the options every command takes */
			check_word(&argp_global, argv[i], i + 1 == argc, &w);
			say("", &w, WORD_UNKNOWN);
			usage_hint("pgtctl", "COMMAND [ARG...]");
			return EXIT_USAGE;
		}
		i += value;
	}
	return EXIT_OK;
}

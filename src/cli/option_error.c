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
#include "util/join.h"

/* The option as the user typed it, for the message: "--name" or "-k". */
static const char *typed(const struct option_word *w, char *buf, size_t len)
{
	if (w->shorts)
		snprintf(buf, len, "-%c", *w->shorts);
	else
		snprintf(buf, len, "--%.*s", (int)(w->len > 60 ? 60 : w->len), w->name);
	return buf;
}

/* Report word's problem, w's verdict v, as a message of cmd ("" for none). */
static void say(const char *cmd, const struct option_word *w, enum option_verdict v)
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
	struct option_word w;
	enum option_verdict v = WORD_OK;
	line_argp_init(&line, cmd);
	for (int i = next - 1; i <= next && v == WORD_OK; i++)
		if (i >= 0 && i < argc)
			v = option_word_check(&line.argp, argv[i], i + 1 == argc, &w);
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
		struct option_word w;
		bool known = false, value = false;
		for (const struct cmd *const *c = commands; *c; c++) {
			struct line_argp line;
			line_argp_init(&line, *c);
			enum option_verdict v = option_word_check(&line.argp, argv[i], i + 1 == argc, &w);
			known |= v != WORD_UNKNOWN;
			value |= v == WORD_OK && w.op && w.op->arg && !w.shorts && !strchr(argv[i], '=');
		}
		if (!known) {
			/* what is near it among the options every command takes */
			option_word_check(&argp_global, argv[i], i + 1 == argc, &w);
			say("", &w, WORD_UNKNOWN);
			usage_hint("pgtctl", "COMMAND [ARG...]");
			return EXIT_USAGE;
		}
		i += value;
	}
	return EXIT_OK;
}

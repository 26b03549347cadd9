// SPDX-License-Identifier: MIT
/*
 * A command line: which word is its command, and the argp it is parsed
 * with. Options come before or after the command, so the command is found
 * with each command's own options: it is the first word that names a
 * command and that this command's options leave free (no option of it
 * takes the word as its value, no argument comes before it). The line's
 * argp makes the command's own argp (its options, parser, usage and doc)
 * and the shared groups it takes children of one parser that hands each
 * its input (the command's own options struct; struct cli for the shared
 * groups), collects the arguments and notes where argp stopped on an
 * option it refused.
 */
#include <string.h>

#include "cli.h"

static error_t parse_line(int key, char *arg, struct argp_state *state)
{
	struct cli *c = state->input;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = c->opts;
		for (unsigned i = 1; state->root_argp->children[i].argp; i++)
			state->child_inputs[i] = c;
		return 0;
	case ARGP_KEY_ARG:
		if (c->n_args == MAX_ARGS)
			return cli_bad_option("too many arguments");
		c->args[c->n_args++] = arg;
		return 0;
	case ARGP_KEY_ERROR:
		c->stop = state->next;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

void line_argp_init(struct line_argp *l, const struct cmd *cmd)
{
	unsigned n = 0;
	memset(l, 0, sizeof(*l));
	l->children[n++].argp = cmd->argp;
	l->children[n++].argp = &argp_global;
	if (cmd->flags & CMD_SOURCE_OPTIONS)
		l->children[n++].argp = &argp_source;
	l->argp.parser = parse_line;
	l->argp.children = l->children;
}

int line_before_command(const struct cmd *cmd, char **argv, int k)
{
	struct line_argp line;
	line_argp_init(&line, cmd);
	for (int i = 1; i < k; i++) {
		if (!strcmp(argv[i], "--"))
			return i + 1 == k ? 0 : i + 1;
		if (argv[i][0] != '-' || !argv[i][1])
			return i;
		if (option_word_takes_next(&line.argp, argv[i]) && ++i == k)
			return -1;
	}
	return 0;
}

int line_command(int argc, char **argv, const struct cmd **cmd)
{
	char why[256];
	for (int k = 1; k < argc; k++) {
		const struct cmd *c = cmd_find(argv[k], why, sizeof(why));
		if (c && !line_before_command(c, argv, k)) {
			*cmd = c;
			return k;
		}
	}
	*cmd = NULL;
	return -1;
}

/* Does any command take word, an option, with the next word as its value? */
static bool any_takes_next(const char *word)
{
	for (const struct cmd *const *c = commands; *c; c++) {
		struct line_argp line;
		line_argp_init(&line, *c);
		if (option_word_takes_next(&line.argp, word))
			return true;
	}
	return false;
}

int line_first_argument(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return i + 1 < argc ? i + 1 : -1;
		if (argv[i][0] != '-' || !argv[i][1])
			return i;
		i += any_takes_next(argv[i]);
	}
	return -1;
}

void cli_each_option(const struct argp *argp,
		     void (*visit)(const struct argp *group, const struct argp_option *op, void *ctx),
		     void *ctx)
{
	for (const struct argp_option *op = argp->options; op && (op->name || op->key || op->doc);
	     op++)
		if ((op->name || op->key) && !(op->flags & OPTION_DOC))
			visit(argp, op, ctx);
	for (const struct argp_child *ch = argp->children; ch && ch->argp; ch++)
		cli_each_option(ch->argp, visit, ctx);
}

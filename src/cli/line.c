// SPDX-License-Identifier: MIT
/*
 * The argp a command's line is parsed with. The command's own argp (its
 * options, parser, usage and doc) and the shared groups it takes are
 * children of one parser that hands each its input (the command's own
 * options struct; struct cli for the shared groups), collects the
 * arguments and notes where argp stopped on an option it refused.
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

void cli_each_option(const struct argp *argp,
		     void (*visit)(const struct argp_option *op, void *ctx), void *ctx)
{
	for (const struct argp_option *op = argp->options; op && (op->name || op->key || op->doc);
	     op++)
		if ((op->name || op->key) && !(op->flags & OPTION_DOC))
			visit(op, ctx);
	for (const struct argp_child *ch = argp->children; ch && ch->argp; ch++)
		cli_each_option(ch->argp, visit, ctx);
}

// SPDX-License-Identifier: MIT
/*
 * pgtctl help [COMMAND] (as git help): the commands, or one command's
 * options. From the shell it is pgtctl --help and pgtctl COMMAND --help; in
 * a session it lists the commands that work there.
 */
#include <stdio.h>

#include "cli.h"
#include "complete.h"

void help_commands(FILE *f)
{
	fprintf(f, "Usage: pgtctl [OPTION...] COMMAND [ARG...]\n"
		   "Build and inspect IOMMU page tables in the Linux io-pgtable formats.\n\n"
		   "Commands:\n");
	for (const struct cmd *const *c = commands; *c; c++)
		if (!((*c)->flags & CMD_SESSION_ONLY))
			fprintf(f, "  %-12s %s\n", (*c)->name, (*c)->summary);
	fprintf(f, "\nOptions for every command:\n"
		   "  -j, --json     JSON output (errors too)\n"
		   "  -?, --help     help, also after a command: pgtctl COMMAND --help\n"
		   "  -V, --version  the version\n\n"
		   "See pgtctl(1) and pgtctl-spec(5).\n");
}

/* The commands that run where help was asked, as a list. */
static void list_commands(const struct session *s)
{
	unsigned skip = s ? CMD_NO_SESSION : CMD_SESSION_ONLY;
	out_obj_begin(NULL);
	if (s)
		out_text("Commands (a SOURCE, or the IMAGE of map and unmap, is the loaded table):\n");
	out_arr_begin("commands");
	for (const struct cmd *const *k = commands; *k; k++) {
		if ((*k)->flags & skip)
			continue;
		out_obj_begin(NULL);
		out_str("name", "  %-10s", (*k)->name);
		out_str("summary", " %s\n", (*k)->summary);
		out_obj_end();
	}
	out_arr_end();
	if (s)
		out_text("help COMMAND for its options; quit or Ctrl-D to leave.\n");
	out_obj_end();
}

static int run(struct cli *c)
{
	if (c->n_args > 1)
		return cli_usage("help takes at most one command");
	if (!c->n_args) {
		if (c->session || out_json())
			list_commands(c->session);
		else
			help_commands(stdout);
		return EXIT_OK;
	}
	char why[256];
	const struct cmd *cmd = cmd_find(c->args[0], why, sizeof(why));
	if (!cmd)
		return cli_usage("%s", why);
	if (out_json()) {
		out_obj_begin(NULL);
		out_str("name", NULL, cmd->name);
		out_str("summary", NULL, cmd->summary);
		out_obj_end();
		return EXIT_OK;
	}
	char prog[64];
	snprintf(prog, sizeof(prog), "%s%s", c->session ? "" : "pgtctl ", cmd->name);
	struct line_argp line;
	line_argp_init(&line, cmd);
	argp_help(&line.argp, stdout, ARGP_HELP_STD_HELP & ~ARGP_HELP_EXIT_OK, prog);
	return EXIT_OK;
}

static void complete_arg(struct completion *co)
{
	if (!co->arg)
		complete_commands(co);
}

static const struct argp argp = {NULL, NULL, "[COMMAND]",
				 "The commands, or one command's options (as COMMAND --help).",
				 NULL, NULL, NULL};

const struct cmd cmd_help = {
	.name = "help",
	.run = run,
	.argp = &argp,
	.complete_arg = complete_arg,
	.summary = "the commands, or one command's options",
};

// SPDX-License-Identifier: MIT
/*
 * Running one command line, from the shell, the REPL or a batch script:
 * find the command word (options may come before or after it), parse the
 * rest with that command's argp, run it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* argp's, here with the code that prints them rather than in main(), so
 * that the command line links without it (the REPL's fuzz target) */
const char *argp_program_version = "pgtctl " PGTCTL_VERSION;
const char *argp_program_bug_address = "the pgtctl issue tracker";

int cli_fail(int status, const struct pgt_error *err)
{
	out_error("%s", err->msg);
	return status;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out_verror(fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

int cli_out_of_memory(void)
{
	out_error("out of memory");
	return EXIT_FAILED;
}

int cli_parse_number(const char *what, const char *s, uint64_t *out)
{
	struct pgt_error err;
	if (pgt_parse_u64(s, out, &err)) {
		out_error("%s: %s", what, err.msg);
		return -1;
	}
	return 0;
}

int cli_parse_pow2(const char *what, const char *s, uint64_t *out)
{
	struct pgt_error err;
	if (pgt_parse_pow2(s, out, &err)) {
		out_error("%s: %s", what, err.msg);
		return -1;
	}
	return 0;
}

const struct cmd *cmd_find(const char *name, char *why, size_t len)
{
	const struct cmd *found = NULL;
	unsigned n = 0;
	char names[256] = "";
	struct similar near;

	for (const struct cmd *const *c = commands; *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	similar_init(&near, name, strlen(name));
	for (const struct cmd *const *c = commands; *c; c++) {
		similar_add(&near, (*c)->name);
		if (strncmp((*c)->name, name, strlen(name)))
			continue;
		found = *c;
		n++;
		pgt_join(names, sizeof(names), ", ", (*c)->name);
	}
	if (n == 1)
		return found;
	char hint[160];
	if (n > 1)
		snprintf(why, len, "ambiguous command '%s' (%s)", name, names);
	else if (near.n)
		snprintf(why, len, "unknown command '%s'%s", name,
			 similar_text(&near, "", hint, sizeof(hint)));
	else
		snprintf(why, len, "unknown command '%s' (see 'pgtctl --help')", name);
	return NULL;
}

/* Does a long or short option take a value in every command that has it?
 * "--raw" is a FILE for read commands and a flag for build/emit: for it the
 * next word is its value unless that word names a command. */
enum takes { TAKES_NO, TAKES_YES, TAKES_MAYBE };

struct takes_word {
	const char *tok;
	bool with, without;
};

static void option_takes_one(const struct argp_option *op, void *ctx)
{
	struct takes_word *t = ctx;
	bool match = t->tok[1] == '-' ? op->name && !strcmp(op->name, t->tok + 2)
				      : op->key == t->tok[1] && !t->tok[2];
	if (!match)
		return;
	if (op->arg)
		t->with = true;
	else
		t->without = true;
}

static enum takes option_takes(const char *tok)
{
	struct takes_word t = {tok, false, false};
	for (const struct cmd *const *c = commands; *c; c++)
		cli_each_option((*c)->argp, option_takes_one, &t);
	if (t.with && t.without)
		return TAKES_MAYBE;
	return t.with ? TAKES_YES : TAKES_NO;
}

static int find_command(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			return i + 1 < argc ? i + 1 : -1;
		if (a[0] != '-' || !a[1])
			return i; /* option values were skipped below */
		if (strchr(a, '='))
			continue;
		enum takes t = option_takes(a);
		if (t == TAKES_YES) {
			i++;
		} else if (t == TAKES_MAYBE && i + 1 < argc) {
			char why[256];
			if (!cmd_find(argv[i + 1], why, sizeof(why)))
				i++;
		}
	}
	return -1;
}

int cli_parse(int argc, char **argv, struct session *session, struct cli **out)
{
	*out = NULL;
	bool json = session && session->json;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			json = true;
	out_init(stdout, json);

	int k = find_command(argc, argv);
	if (k < 0) {
		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-?") ||
			    !strcmp(argv[i], "-h")) {
				help_commands(stdout);
				return EXIT_OK;
			}
			if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
				printf("%s\n", argp_program_version);
				return EXIT_OK;
			}
		}
		if (cli_option_without_command(argc, argv) == EXIT_OK)
			help_commands(stderr);
		return EXIT_USAGE;
	}
	char why[256];
	const struct cmd *cmd = cmd_find(argv[k], why, sizeof(why));
	if (!cmd)
		return cli_usage("%s", why);
	if (session && (cmd->flags & CMD_NO_SESSION))
		return cli_usage("%s cannot run inside a session", cmd->name);
	if (!session && (cmd->flags & CMD_SESSION_ONLY))
		return cli_usage("%s works in a session: pgtctl repl, or pgtctl batch", cmd->name);

	/* argv without the command word; argv[0] names the command for --help */
	char prog[64];
	snprintf(prog, sizeof(prog), "pgtctl %s", cmd->name);
	char **av = calloc((size_t)argc + 1, sizeof(*av));
	if (!av)
		return cli_out_of_memory();
	int ac = 0;
	av[ac++] = prog;
	for (int i = 1; i < argc; i++)
		if (i != k)
			av[ac++] = argv[i];

	struct cli *c = calloc(1, sizeof(*c));
	if (!c) {
		free(av);
		return cli_out_of_memory();
	}
	c->cmd = cmd;
	c->json = json;
	c->session = session;
	pgt_cfg_init(&c->src.cfg);
	int idx;
	bool bad = argp_parse(cmd->argp, ac, av, ARGP_NO_EXIT | ARGP_NO_HELP | ARGP_NO_ERRS, &idx,
			      c);
	free(av);
	if (bad || c->help_shown) {
		free(c);
		return bad ? EXIT_USAGE : EXIT_OK;
	}
	*out = c;
	return EXIT_OK;
}

int cli_run(int argc, char **argv, struct session *session)
{
	struct cli *c;
	int status = cli_parse(argc, argv, session, &c);
	if (c) {
		status = c->cmd->run(c);
		free(c);
	}
	out_flush();
	return status;
}

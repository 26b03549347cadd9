// SPDX-License-Identifier: MIT
/*
 * Running one command line, from the shell, the REPL or a batch script:
 * find the command word (options may come before or after it), parse the
 * rest with that command's argp, run it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "util/join.h"

/* argp's, here with the code that prints them rather than in main(), so
 * that the command line links without it (the REPL's fuzz target) */
const char *argp_program_version = "pgtctl " PGTCTL_VERSION;
const char *argp_program_bug_address = "the pgtctl issue tracker";

/* libpgt's remedies, in the command line's words */
static const char *const remedies[] = {
	[PGT_REMEDY_NONE] = "",
	[PGT_REMEDY_REPLACE] = "; --replace applies the kernel's map_pages as it is",
	[PGT_REMEDY_SPLIT] = " (--split splits it as 6.12 did)",
	[PGT_REMEDY_SPLIT_612] = " (only 6.12 splits, with --split)",
	[PGT_REMEDY_KERNEL_UNMAP] = " (--split does that)",
	[PGT_REMEDY_SMALLER_IAS] = " (a smaller --ias gives one)",
	[PGT_REMEDY_BUDGET] = " (raise it with --budget N)",
	[PGT_REMEDY_AS_DUMP] = "; read it as a dump: --dump FILE --format NAME --root PA",
	[PGT_REMEDY_RAW_BASE] = " (--raw FILE --base PA)",
	[PGT_REMEDY_EDIT_COPY] = " (pgtctl emit FILE -o NEW --elf)",
};

const char *cli_error_text(const struct pgt_error *err)
{
	static char text[1024];
	unsigned r = pgt_error_remedy(err);
	snprintf(text, sizeof(text), "%s%s", pgt_error_message(err),
		 r < sizeof(remedies) / sizeof(remedies[0]) ? remedies[r] : "");
	return text;
}

int cli_fail(int status, const struct pgt_error *err)
{
	out_error("%s", cli_error_text(err));
	return status;
}

struct pgt_error *cli_error_new(void)
{
	struct pgt_error *err = pgt_error_new();
	if (!err) {
		out_error("out of memory");
		exit(EXIT_FAILED);
	}
	return err;
}

void cli_error_release(struct pgt_error **err)
{
	pgt_error_free(*err);
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

/* "-", or a name of the pipe or file standard output is (/dev/stdout,
 * /dev/fd/1); a device such as /dev/null may be both and stay apart */
static bool is_stdout(const char *path)
{
	struct stat out, st;
	return !strcmp(path, "-") || (!fstat(STDOUT_FILENO, &out) && !stat(path, &st) &&
				      !S_ISCHR(st.st_mode) && out.st_dev == st.st_dev &&
				      out.st_ino == st.st_ino);
}

int cli_data_output(struct cli *c, const char *path)
{
	if (!path || !is_stdout(path))
		return EXIT_OK;
	if (c->session)
		return cli_usage("standard output (-) is the session's own output: write to a FILE");
	out_to_stderr();
	return EXIT_OK;
}

int cli_parse_number(const char *what, const char *s, uint64_t *out)
{
	CLI_ERROR(err);
	if (pgt_parse_u64(s, out, err)) {
		out_error("%s: %s", what, pgt_error_message(err));
		return -1;
	}
	return 0;
}

int cli_parse_pow2(const char *what, const char *s, uint64_t *out)
{
	CLI_ERROR(err);
	if (pgt_parse_pow2(s, out, err)) {
		out_error("%s: %s", what, pgt_error_message(err));
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

/* A help text, as it is or as {"help": "..."}: argp's for a command,
 * else the list of commands. */
void cli_print_help(const struct argp *argp, unsigned flags, const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		cli_out_of_memory();
		return;
	}
	if (argp)
		argp_help(argp, f, flags, (char *)name);
	else
		help_commands(f);
	fclose(f);
	out_obj_begin(NULL);
	out_document("help", buf);
	out_obj_end();
	free(buf);
}

void cli_print_version(void)
{
	out_obj_begin(NULL);
	out_str("version", "%s\n", argp_program_version);
	out_obj_end();
}

/* A line in which no word is a command: help, the version, or what is
 * wrong. */
static int no_command(int argc, char **argv, bool json)
{
	int w = line_first_argument(argc, argv);
	char why[256];
	if (w >= 0) {
		const struct cmd *named = cmd_find(argv[w], why, sizeof(why));
		int before = named ? line_before_command(named, argv, w) : 0;
		if (!named)
			return cli_usage("%s", why);
		return cli_usage("%s: unexpected argument '%s' before the command", named->name,
				 argv[before > 0 ? before : w]);
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-?") || !strcmp(argv[i], "-h")) {
			cli_print_help(NULL, 0, NULL);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			cli_print_version();
			return EXIT_OK;
		}
	}
	if (cli_option_without_command(argc, argv))
		return EXIT_USAGE;
	if (json)
		return cli_usage("no command given (see 'pgtctl --help')");
	help_commands(stderr);
	return EXIT_USAGE;
}

int cli_parse(int argc, char **argv, struct session *session, struct cli **out)
{
	*out = NULL;
	bool json = session && session->json;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			json = true;
	out_begin(json);

	const struct cmd *cmd;
	int k = line_command(argc, argv, &cmd);
	if (k < 0)
		return no_command(argc, argv, json);
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
	if (!c || (cmd->opts_size && !(c->opts = calloc(1, cmd->opts_size)))) {
		free(c);
		free(av);
		return cli_out_of_memory();
	}
	c->cmd = cmd;
	c->json = json;
	c->session = session;
	c->src.cfg = (struct source_cfg){.coherent_walk = true, .cpu_page_size = 4096};
	struct line_argp line;
	line_argp_init(&line, cmd);
	int idx;
	error_t err = argp_parse(&line.argp, ac, av, ARGP_NO_EXIT | ARGP_NO_HELP | ARGP_NO_ERRS,
				 &idx, c);
	/* argp says EINVAL when getopt refused an option; a parser that
	 * refused a value said why */
	if (err == EINVAL)
		cli_option_error(cmd, session, av, ac, c->stop);
	else if (err == ENOMEM)
		cli_out_of_memory();
	free(av);
	if (err || c->help_shown) {
		cli_free(c);
		return err ? EXIT_USAGE : EXIT_OK;
	}
	*out = c;
	return EXIT_OK;
}

void cli_free(struct cli *c)
{
	if (c)
		free(c->opts);
	free(c);
}

/* The limits the environment raises (pgtctl(1), ENVIRONMENT). */
static int environment(void)
{
	const char *v = getenv("PGTCTL_TABLE_MEMORY");
	uint64_t n;
	if (!v)
		return 0;
	if (cli_parse_number("PGTCTL_TABLE_MEMORY", v, &n))
		return EXIT_USAGE;
	if (!n)
		return cli_usage("PGTCTL_TABLE_MEMORY must not be zero");
	pgt_arena_set_default_limit(n);
	return 0;
}

int cli_run(int argc, char **argv, struct session *session)
{
	struct cli *c;
	int status = cli_parse(argc, argv, session, &c);
	if (c) {
		status = environment();
		if (!status)
			status = c->cmd->run(c);
		cli_free(c);
	}
	out_end();
	return status;
}

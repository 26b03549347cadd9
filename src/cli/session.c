// SPDX-License-Identifier: MIT
/*
 * The session the REPL and batch scripts share: the loaded table, its undo
 * stack, and the commands that exist only there (load, save, new, undo,
 * quit). Every other command runs through the same table as on the
 * command line; commands that read a SOURCE take the loaded table.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void session_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
}

void session_drop_undo(struct session *s)
{
	for (unsigned i = 0; i < s->n_undo; i++)
		pgt_journal_free(s->undo[i].j);
	s->n_undo = 0;
}

void session_free(struct session *s)
{
	session_drop_undo(s);
	source_close(&s->cur);
	free(s->path);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

void session_set(struct session *s, struct source *src, const char *path)
{
	session_drop_undo(s);
	source_close(&s->cur);
	free(s->path);
	free(s->name);
	s->cur = *src;
	s->cur.borrowed = false;
	s->path = path ? strdup(path) : NULL;
	/* the source's name may live in a line that is gone after this command */
	s->name = strdup(src->name ? src->name : "table");
	s->cur.name = s->name;
	s->dirty = false;
}

void session_push_undo(struct session *s, struct pgt_journal *j, bool dirty)
{
	if (s->n_undo == UNDO_DEPTH) {
		pgt_journal_free(s->undo[0].j);
		memmove(&s->undo[0], &s->undo[1], (UNDO_DEPTH - 1) * sizeof(s->undo[0]));
		s->n_undo--;
	}
	s->undo[s->n_undo++] = (struct undo){j, dirty};
}

const char *session_prompt(const struct session *s, char *buf, size_t len)
{
	if (!s->cur.t)
		snprintf(buf, len, "pgtctl> ");
	else
		snprintf(buf, len, "pgtctl(%s%s)> ", pgt_format_name(pgt_table_format(s->cur.t)),
			 s->dirty ? "*" : "");
	return buf;
}

/* --- the session's own commands ------------------------------------------ */

static const struct argp_child children[] = {
	{&argp_global, 0, NULL, 0}, {&argp_source, 0, NULL, 0}, {NULL, 0, NULL, 0}};
static const struct argp_child global_only[] = {{&argp_global, 0, NULL, 0}, {NULL, 0, NULL, 0}};

static int run_load(struct cli *c)
{
	struct pgt_error err = {0};
	struct source src;
	bool memory = source_opts_given(&c->src);
	if (c->n_args != (memory ? 0 : 1))
		return cli_usage("load takes one SOURCE (an IMAGE or a spec), or memory options");
	const char *path = memory ? NULL : c->args[0];
	/* an IMAGE or a spec loads editable; memory stays read-only */
	int status = source_open(&c->src, path, !memory, &src, &err);
	if (status)
		return cli_fail(status, &err);
	session_set(c->session, &src, src.kind == SOURCE_IMAGE ? path : NULL);
	out_obj_begin(NULL);
	out_str("loaded", "loaded %s", memory ? c->src.file[0].path : path);
	out_str("format", " (%s)\n", pgt_format_name(pgt_table_format(src.t)));
	out_obj_end();
	return EXIT_OK;
}

static int run_save(struct cli *c)
{
	struct session *s = c->session;
	struct pgt_error err = {0};
	if (!s->cur.t)
		return cli_usage("no table loaded: nothing to save");
	if (c->n_args > 1)
		return cli_usage("save takes at most one FILE");
	const char *path = c->n_args ? c->args[0] : s->path;
	if (!path)
		return cli_usage("save needs a FILE: the table was not loaded from an IMAGE");
	if (pgt_image_write(s->cur.t, path, c->raw_out, &err))
		return cli_fail(EXIT_FAILED, &err);
	if (!c->raw_out) {
		if (path != s->path) {
			free(s->path);
			s->path = strdup(path);
		}
		s->dirty = false;
	}
	out_obj_begin(NULL);
	out_str("saved", "saved %s\n", path);
	out_obj_end();
	return EXIT_OK;
}

static int run_new(struct cli *c)
{
	struct pgt_error err = {0};
	struct source src = {0};
	uint64_t base = 0x80000000;
	if (c->n_args < 1 || c->n_args > 2)
		return cli_usage("new takes FORMAT [BASE] and configuration options");
	if (c->n_args == 2 && cli_parse_number("base", c->args[1], &base))
		return EXIT_USAGE;
	if (c->src.n_files || c->src.roots)
		return cli_usage("new makes an empty table: no --dump, --raw or --root");
	const struct pgt_format *fmt = pgt_format_find(c->args[0]);
	if (!fmt)
		return cli_usage("unknown format '%s' (see 'formats')", c->args[0]);
	struct pgt_cfg cfg;
	if (source_config(&c->src, fmt, &cfg, &err))
		return cli_fail(EXIT_USAGE, &err);
	src.mem = pgt_arena_new(base);
	if (!src.mem)
		return cli_out_of_memory();
	if (pgt_table_create(fmt, &cfg, src.mem, &src.t, &err)) {
		pgt_mem_destroy(src.mem);
		return cli_fail(EXIT_FAILED, &err);
	}
	src.kind = SOURCE_SPEC;
	src.name = "new";
	session_set(c->session, &src, NULL);
	c->session->dirty = true;
	out_obj_begin(NULL);
	out_str("format", "new %s table", pgt_format_name(fmt));
	out_hex("base", " at 0x%llx\n", base);
	out_obj_end();
	return EXIT_OK;
}

static int run_undo(struct cli *c)
{
	struct session *s = c->session;
	if (c->n_args)
		return cli_usage("undo takes no arguments");
	if (!s->n_undo)
		return cli_usage("nothing to undo");
	struct undo *u = &s->undo[--s->n_undo];
	pgt_journal_undo(s->cur.t, u->j);
	s->dirty = u->dirty;
	out_obj_begin(NULL);
	out_uint("undo_left", "undone (%llu more to undo)\n", s->n_undo);
	out_obj_end();
	return EXIT_OK;
}

static int run_quit(struct cli *c)
{
	struct session *s = c->session;
	if (s->dirty && s->cur.t && !s->quit_warned) {
		s->quit_warned = true;
		out_error("the table has unsaved changes: save it, or quit again to leave anyway");
		if (s->interactive)
			return EXIT_FAILED;
	}
	s->quit = true;
	return EXIT_OK;
}

static const struct argp_option save_options[] = {
	{"raw", 'R', NULL, 0, "write flat table memory instead of an IMAGE", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

static const struct argp load_argp = {NULL, cli_parse_opt, "SOURCE",
				      "Load a table: an IMAGE or a spec (editable), or memory "
				      "(read-only).",
				      children, NULL, NULL};
static const struct argp save_argp = {save_options, cli_parse_opt, "[FILE]",
				      "Write the table as an IMAGE (atomically): to FILE, or "
				      "back to the IMAGE it was loaded from.",
				      global_only, NULL, NULL};
static const struct argp new_argp = {NULL, cli_parse_opt, "FORMAT [BASE]",
				     "Start an empty table of FORMAT, its table memory from BASE "
				     "(0x80000000), with configuration options.",
				     children, NULL, NULL};
static const struct argp undo_argp = {NULL, cli_parse_opt, "",
				      "Undo the last map or unmap.", global_only, NULL, NULL};
static const struct argp quit_argp = {NULL, cli_parse_opt, "",
				      "Leave (asks again when there are unsaved changes).",
				      global_only, NULL, NULL};

const struct cmd cmd_load = {"load", run_load, &load_argp, CMD_SESSION_ONLY,
			     "load a table to work on"};
const struct cmd cmd_save = {"save", run_save, &save_argp, CMD_SESSION_ONLY,
			     "save the table (atomically)"};
const struct cmd cmd_new = {"new", run_new, &new_argp, CMD_SESSION_ONLY,
			    "start an empty table of a format"};
const struct cmd cmd_undo = {"undo", run_undo, &undo_argp, CMD_SESSION_ONLY,
			     "undo the last map or unmap"};
const struct cmd cmd_quit = {"quit", run_quit, &quit_argp, CMD_SESSION_ONLY, "leave"};
const struct cmd cmd_exit = {"exit", run_quit, &quit_argp, CMD_SESSION_ONLY, "leave (as quit)"};

/* --- running a line -------------------------------------------------------- */

int session_split(const char *line, char *buf, char **argv, int max)
{
	int argc = 0;
	const char *p = line;
	char *o = buf;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = o;
		char quote = 0;
		for (; *p && (quote || !isspace((unsigned char)*p)); p++) {
			if (quote && *p == quote)
				quote = 0;
			else if (!quote && (*p == '\'' || *p == '"'))
				quote = *p;
			else if (*p == '\\' && p[1] && quote != '\'')
				*o++ = *++p;
			else
				*o++ = *p;
		}
		if (quote)
			return -1;
		*o++ = 0;
	}
}

int session_line(struct session *s, const char *line)
{
	char *buf = malloc(strlen(line) + 1);
	char *argv[MAX_ARGS + 2];
	if (!buf)
		return cli_out_of_memory();
	argv[0] = "pgtctl";
	int argc = session_split(line, buf, argv + 1, MAX_ARGS);
	int status = EXIT_OK;
	if (argc < 0) {
		out_init(stdout, s->json);
		status = cli_usage("unbalanced quotes, or too many words");
	} else if (argc > 0) {
		if (s->json && s->n_run++)
			fputs(",", stdout);
		status = cli_run(argc + 1, argv, s);
		if (s->json && !out_started())
			fputs("null\n", stdout); /* every command is one element */
		if (!strcmp(argv[1], "quit") || !strcmp(argv[1], "exit"))
			; /* its own warning decides */
		else
			s->quit_warned = false;
	}
	free(buf);
	if (status > s->worst)
		s->worst = status;
	return status;
}

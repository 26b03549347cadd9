// SPDX-License-Identifier: MIT
/*
 * The session the REPL and batch scripts share: the loaded table, its undo
 * stack, and the commands that exist only there (load, save, new, undo,
 * quit). Every other command runs through the same table as on the
 * command line; commands that read a SOURCE take the loaded table.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "complete.h"

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

int session_load(struct session *s, const struct source_opts *o, const char *path)
{
	CLI_ERROR(err);
	struct source src;
	/* taken before the file is read, so that any later change is seen at
	 * save */
	struct pgt_file_version version = {0};
	if (path)
		pgt_file_version(path, &version, NULL);
	/* an IMAGE or a spec loads editable; memory stays read-only */
	int status = source_open(o, path, path != NULL, &src, err);
	if (status)
		return cli_fail(status, err);
	session_set(s, &src, src.kind == SOURCE_IMAGE ? path : NULL);
	s->version = version;
	return EXIT_OK;
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

static int run_load(struct cli *c)
{
	bool memory = source_opts_given(&c->src);
	if (c->n_args != (memory ? 0 : 1))
		return cli_usage("load takes one SOURCE (an IMAGE or a spec), or memory options");
	const char *path = memory ? NULL : c->args[0];
	int status = session_load(c->session, &c->src, path);
	if (status)
		return status;
	out_obj_begin(NULL);
	out_str("loaded", "loaded %s", memory ? c->src.file[0].path : path);
	out_str("format", " (%s)\n", pgt_format_name(pgt_table_format(c->session->cur.t)));
	out_obj_end();
	return EXIT_OK;
}

struct save_opts {
	bool raw;
};

static int run_save(struct cli *c)
{
	const struct save_opts *o = c->opts;
	struct session *s = c->session;
	CLI_ERROR(err);
	if (!s->cur.t)
		return cli_usage("no table loaded: nothing to save");
	if (c->n_args > 1)
		return cli_usage("save takes at most one FILE");
	const char *path = c->n_args ? c->args[0] : s->path;
	if (!path)
		return cli_usage("save needs a FILE: the table was not loaded from an IMAGE");
	int status = cli_data_output(c, path);
	if (status)
		return status;
	/* the file the table came from is replaced only as it was then: a
	 * change another program made meanwhile is not overwritten */
	bool loaded = s->path && !strcmp(path, s->path);
	struct pgt_replace *r;
	struct pgt_file_version written;
	if (pgt_replace_begin(path, PGT_REPLACE_REMOVE_STALE, loaded ? &s->version : NULL, &r,
			      err) ||
	    pgt_image_commit(s->cur.t, r, o->raw ? PGT_IMAGE_RAW : 0, err)) {
		pgt_replace_end(r);
		return cli_fail(EXIT_FAILED, err);
	}
	/* a file written through (a device, a FIFO) is not the table's file */
	bool made_file = !pgt_replace_written(r, &written);
	pgt_replace_end(r);
	if (!o->raw && made_file) {
		if (path != s->path) {
			free(s->path);
			s->path = strdup(path);
		}
		s->version = written;
		s->dirty = false;
	}
	out_obj_begin(NULL);
	out_str("saved", "saved %s\n", path);
	out_obj_end();
	return EXIT_OK;
}

static int run_new(struct cli *c)
{
	CLI_ERROR(err);
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
	struct pgt_cfg *cfg;
	if (source_config(&c->src, fmt, &cfg, err))
		return cli_fail(EXIT_USAGE, err);
	if (pgt_arena_new(base, &src.mem, err)) {
		pgt_cfg_free(cfg);
		return cli_out_of_memory();
	}
	int rc = pgt_table_create(fmt, cfg, src.mem, &src.t, err);
	pgt_cfg_free(cfg);
	if (rc) {
		pgt_mem_destroy(src.mem);
		return cli_fail(EXIT_FAILED, err);
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

/* kernel [VERSION]: whose map and unmap edit the loaded table from now on
 * (undone by undo), or which it is. */
static int run_kernel(struct cli *c)
{
	struct session *s = c->session;
	CLI_ERROR(err);
	if (c->n_args > 1)
		return cli_usage("kernel takes at most one VERSION");
	if (!s->cur.t)
		return cli_usage("no table loaded: load SOURCE, or new FORMAT");
	if (c->n_args) {
		enum pgt_kernel k = pgt_kernel_find(c->args[0]);
		char list[64];
		if (k == PGT_KERNEL_DEFAULT)
			return cli_usage("kernel: unknown kernel '%s' (kernels: %s)", c->args[0],
					 pgt_kernel_list(NULL, list, sizeof(list)));
		if (k != pgt_table_kernel(s->cur.t)) {
			struct pgt_journal *j;
			if (pgt_journal_begin(s->cur.t, &j, err))
				return cli_fail(EXIT_FAILED, err);
			int rc = source_set_kernel(&s->cur, k, err);
			pgt_journal_end(s->cur.t, NULL); /* nothing to record but the table */
			if (rc) {
				pgt_journal_free(j);
				return cli_fail(EXIT_FAILED, err);
			}
			session_push_undo(s, j, s->dirty);
			s->dirty = true;
		}
	}
	out_obj_begin(NULL);
	out_str("kernel", "Linux %s\n", pgt_kernel_name(pgt_table_kernel(s->cur.t)));
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

static bool unsaved(const struct session *s)
{
	return s->dirty && s->cur.t;
}

/* Leaving a script with unsaved changes loses them: a failure. */
static int lost(void)
{
	out_error("the table has unsaved changes, lost as the script ends: save it first, or "
		  "leave with 'quit --force'");
	return EXIT_FAILED;
}

struct quit_opts {
	bool force;
};

static int run_quit(struct cli *c)
{
	const struct quit_opts *o = c->opts;
	struct session *s = c->session;
	if (unsaved(s) && !o->force && s->interactive && !s->quit_warned) {
		s->quit_warned = true;
		out_error("the table has unsaved changes: save it, or quit again to leave anyway");
		return EXIT_FAILED;
	}
	s->quit = true;
	return unsaved(s) && !o->force && !s->interactive ? lost() : EXIT_OK;
}

static error_t parse_save(int key, char *arg, struct argp_state *state)
{
	struct save_opts *o = state->input;
	(void)arg;
	if (key != 'R')
		return ARGP_ERR_UNKNOWN;
	o->raw = true;
	return 0;
}

static error_t parse_quit(int key, char *arg, struct argp_state *state)
{
	struct quit_opts *o = state->input;
	(void)arg;
	if (key != 'f')
		return ARGP_ERR_UNKNOWN;
	o->force = true;
	return 0;
}

static const struct argp_option save_options[] = {
	{"raw", 'R', NULL, 0, "write flat table memory instead of an IMAGE", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};
static const struct argp_option quit_options[] = {
	{"force", 'f', NULL, 0, "leave without saving, and without a warning", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

static void complete_format_arg(struct completion *co)
{
	if (!co->arg)
		complete_formats(co);
}

static void complete_kernel_arg(struct completion *co)
{
	if (!co->arg)
		complete_kernels(co);
}

static const struct argp load_argp = {NULL, NULL, "SOURCE",
				      "Load a table: an IMAGE or a spec (editable), or memory "
				      "(read-only).",
				      NULL, NULL, NULL};
static const struct argp save_argp = {save_options, parse_save, "[FILE]",
				      "Write the table as an IMAGE (atomically): to FILE, or "
				      "back to the IMAGE it was loaded from.",
				      NULL, NULL, NULL};
static const struct argp new_argp = {NULL, NULL, "FORMAT [BASE]",
				     "Start an empty table of FORMAT, its table memory from BASE "
				     "(0x80000000), with configuration options.",
				     NULL, NULL, NULL};
static const struct argp undo_argp = {NULL, NULL, "",
				      "Undo the last map, unmap or kernel change.", NULL, NULL,
				      NULL};
static const struct argp kernel_argp = {NULL, NULL, "[VERSION]",
					"Edit the loaded table as Linux VERSION (6.12, 7.3) does "
					"from now on, or show whose it is.",
					NULL, NULL, NULL};
static const struct argp quit_argp = {quit_options, parse_quit, "",
				      "Leave. With unsaved changes a terminal asks again (quit "
				      "twice to leave); a script leaves, warns that they are lost "
				      "and fails.",
				      NULL, NULL, NULL};

const struct cmd cmd_load = {
	.name = "load",
	.run = run_load,
	.argp = &load_argp,
	.complete_arg = complete_files,
	.flags = CMD_SESSION_ONLY | CMD_SOURCE_OPTIONS,
	.summary = "load a table to work on",
};
const struct cmd cmd_save = {
	.name = "save",
	.run = run_save,
	.argp = &save_argp,
	.opts_size = sizeof(struct save_opts),
	.complete_arg = complete_files,
	.flags = CMD_SESSION_ONLY,
	.summary = "save the table (atomically)",
};
const struct cmd cmd_new = {
	.name = "new",
	.run = run_new,
	.argp = &new_argp,
	.complete_arg = complete_format_arg,
	.flags = CMD_SESSION_ONLY | CMD_SOURCE_OPTIONS,
	.summary = "start an empty table of a format",
};
const struct cmd cmd_undo = {
	.name = "undo",
	.run = run_undo,
	.argp = &undo_argp,
	.flags = CMD_SESSION_ONLY,
	.summary = "undo the last map, unmap or kernel change",
};
const struct cmd cmd_kernel = {
	.name = "kernel",
	.run = run_kernel,
	.argp = &kernel_argp,
	.complete_arg = complete_kernel_arg,
	.flags = CMD_SESSION_ONLY,
	.summary = "the kernel whose map and unmap edit the table",
};
const struct cmd cmd_quit = {
	.name = "quit",
	.run = run_quit,
	.argp = &quit_argp,
	.opts_size = sizeof(struct quit_opts),
	.flags = CMD_SESSION_ONLY,
	.summary = "leave",
};
const struct cmd cmd_exit = {
	.name = "exit",
	.run = run_quit,
	.argp = &quit_argp,
	.opts_size = sizeof(struct quit_opts),
	.flags = CMD_SESSION_ONLY,
	.summary = "leave (as quit)",
};

/* --- running a line -------------------------------------------------------- */

int session_split(const char *line, char *buf, char **argv, int max, struct redirect *r)
{
	int argc = 0;
	const char *p = line;
	char *o = buf;
	*r = (struct redirect){NULL, NULL};
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			return argc;
		const char **target = NULL;
		if (*p == '<') {
			bool here = p[1] == '<';
			if (r->file || r->here_end)
				return -2;
			p += here ? 2 : 1;
			while (isspace((unsigned char)*p))
				p++;
			if (!*p || *p == '#' || *p == '<')
				return -2;
			target = here ? &r->here_end : &r->file;
		} else if (argc == max) {
			return -1;
		}
		char *word = o;
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
		if (target)
			*target = word;
		else
			argv[argc++] = word;
	}
}

int cli_input(struct cli *c, FILE **in, const char **name)
{
	if (!c->session) {
		*in = stdin;
		*name = "stdin";
		return EXIT_OK;
	}
	*in = c->session->data;
	*name = c->session->data_name;
	if (!*in)
		return cli_usage("in a session '-' reads the lines that follow the command (CMD - "
				 "<<END, the lines, END) or a file (CMD - <FILE), never standard "
				 "input");
	return EXIT_OK;
}

/*
 * Open what '-' reads for r: the FILE, or the here-document read from the
 * session's next lines into *text. EXIT_OK, a failure's status, or -1
 * when the user cancelled the here-document.
 */
static int open_data(struct session *s, const struct redirect *r, char **text)
{
	size_t len = 0;
	*text = NULL;
	if (r->file) {
		if (!(s->data = fopen(r->file, "r")))
			return cli_usage("%s: %s", r->file, strerror(errno));
		s->data_name = r->file;
		return EXIT_OK;
	}
	if (!r->here_end)
		return EXIT_OK;
	FILE *m = open_memstream(text, &len);
	if (!m)
		return cli_out_of_memory();
	for (;;) {
		char *l;
		int rc = s->read_line(s, true, &l);
		if (rc <= 0) {
			fclose(m);
			free(*text);
			*text = NULL;
			if (rc < 0)
				return -1;
			return cli_usage("the input ended inside a here-document: no line '%s' after it",
					 r->here_end);
		}
		bool end = !strcmp(l, r->here_end);
		if (!end)
			fprintf(m, "%s\n", l);
		free(l);
		if (end)
			break;
	}
	fclose(m);
	if (!(s->data = fmemopen(*text, len, "r")))
		return cli_out_of_memory();
	s->data_name = "here-document";
	return EXIT_OK;
}

int session_line(struct session *s, const char *line)
{
	char *buf = malloc(strlen(line) + 1);
	char *argv[MAX_ARGS + 2];
	struct redirect r;
	char *text = NULL;
	int status;
	/* what goes wrong before the command runs is the line's one value */
	out_begin(s->json);
	argv[0] = "pgtctl";
	int argc = buf ? session_split(line, buf, argv + 1, MAX_ARGS, &r) : 0;
	if (!buf)
		status = cli_out_of_memory();
	else if (argc == -1)
		status = cli_usage("unbalanced quotes, or too many words");
	else if (argc < 0)
		status = cli_usage("a redirection takes a FILE or a WORD, once a line: CMD - <FILE, "
				   "or CMD - <<END");
	else
		status = open_data(s, &r, &text);
	if (status > 0) {
		out_end();
	} else if (!status && argc > 0) {
		status = cli_run(argc + 1, argv, s);
		if (strcmp(argv[1], "quit") && strcmp(argv[1], "exit"))
			s->quit_warned = false; /* quit again means right away */
	}
	if (s->data)
		fclose(s->data);
	s->data = NULL;
	s->data_name = NULL;
	free(text);
	free(buf);
	if (status < 0)
		status = EXIT_OK; /* cancelled: nothing ran */
	if (status > s->worst)
		s->worst = status;
	return status;
}

int session_run(struct session *s)
{
	while (!s->quit) {
		char *line;
		int rc = s->read_line(s, false, &line);
		if (rc > 0) {
			if (s->script)
				out_where(s->script, s->lines_read);
			session_line(s, line);
			out_where(NULL, 0);
			free(line);
		} else if (!rc && s->interactive) {
			session_line(s, "quit"); /* Ctrl-D */
		} else if (!rc) {
			break;
		}
	}
	if (!s->quit && unsaved(s)) {
		out_begin(s->json);
		s->worst = lost() > s->worst ? EXIT_FAILED : s->worst;
		out_end();
	}
	return s->worst;
}

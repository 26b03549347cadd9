// SPDX-License-Identifier: MIT
/*
 * pgtctl repl [SOURCE] and pgtctl batch FILE: a session fed from a
 * terminal (readline: prompt, completion, history), from a pipe or file
 * (no prompt, no editing), or from -c 'cmd; cmd'. The exit status is the
 * worst of the commands'.
 */
#include <errno.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* --- completion -------------------------------------------------------------- */

static const char *const coherent_words[] = {"yes", "no", NULL};
static const char *const output_words[] = {"text", "yaml", NULL};
static const char *const endian_words[] = {"little", "big", NULL};

/* Candidates for the word being completed, set before each generator run. */
static struct {
	const char *words[256];
	unsigned n;
	const char *prefix; /* kept in front: "arm-ns," when completing a list */
} cand;

static void cand_add(const char *w)
{
	if (cand.n < 255)
		cand.words[cand.n++] = w;
}

static char *generator(const char *text, int state)
{
	static unsigned i;
	static size_t skip;
	if (!state) {
		i = 0;
		skip = cand.prefix ? strlen(cand.prefix) : 0;
	}
	while (i < cand.n) {
		const char *w = cand.words[i++];
		if (strncmp(w, text + skip, strlen(text + skip)))
			continue;
		char *m = malloc(skip + strlen(w) + 1);
		if (m) {
			memcpy(m, text, skip);
			strcpy(m + skip, w);
		}
		return m;
	}
	return NULL;
}

/* "--name" of an option; the strings live in a ring longer than any
 * command's list of options, for the generator to return them later */
static void add_option(const struct argp_option *o, void *ctx)
{
	static char buf[64][40];
	static unsigned next;
	(void)ctx;
	if (!o->name)
		return;
	char *b = buf[next++ % 64];
	snprintf(b, 40, "--%s", o->name);
	cand_add(b);
}

/* fault --kind KIND: the kind's FIELD= names; false without a kind. */
static bool fault_fields(char *const *words, unsigned n)
{
	const struct pgt_fault_kind *k = NULL;
	for (unsigned i = 1; i + 1 < n; i++)
		if (!strcmp(words[i], "--kind"))
			k = pgt_fault_kind_find(words[i + 1]);
	if (!n || strcmp(words[0], "fault") || !k)
		return false;
	const struct pgt_fault_field_info *fi;
	size_t nf = pgt_fault_kind_fields(k, &fi);
	static char names[16][24];
	for (size_t i = 0; i < nf && i < 16; i++) {
		snprintf(names[i], sizeof(names[i]), "%s=", fi[i].name);
		cand_add(names[i]);
	}
	rl_completion_append_character = '\0';
	return true;
}

/* A comma-separated list: complete the last item, keep the rest. */
static void list_of(const char *text, const char *const *names)
{
	static char prefix[256];
	const char *comma = strrchr(text, ',');
	size_t n = comma ? (size_t)(comma - text + 1) : 0;
	if (n >= sizeof(prefix))
		n = 0;
	memcpy(prefix, text, n);
	prefix[n] = 0;
	cand.prefix = prefix;
	for (; *names; names++)
		cand_add(*names);
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	char line[1024], *words[64];
	unsigned n = 0;
	snprintf(line, sizeof(line), "%.*s", start, rl_line_buffer);
	for (char *save = NULL, *w = strtok_r(line, " \t", &save); w && n < 64;
	     w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	cand.n = 0;
	cand.prefix = NULL;
	rl_attempted_completion_over = 1;

	const char *prev = n ? words[n - 1] : "";
	if (!strcmp(prev, "--format") || (n == 1 && !strcmp(words[0], "new"))) {
		for (const struct pgt_format *const *f = pgt_formats(); *f; f++)
			cand_add(pgt_format_name(*f));
	} else if (!strcmp(prev, "--quirks")) {
		list_of(text, pgt_quirk_names);
	} else if (!strcmp(prev, "--prot") || !strcmp(prev, "-p")) {
		list_of(text, pgt_prot_word_names);
	} else if (!strcmp(prev, "--coherent-walk")) {
		for (const char *const *w = coherent_words; *w; w++)
			cand_add(*w);
	} else if (!strcmp(prev, "--output")) {
		for (const char *const *w = output_words; *w; w++)
			cand_add(*w);
	} else if (!strcmp(prev, "--endian")) {
		for (const char *const *w = endian_words; *w; w++)
			cand_add(*w);
	} else if (!strcmp(prev, "--kind")) {
		for (const struct pgt_fault_kind *const *k = pgt_fault_kinds(); *k; k++)
			cand_add(pgt_fault_kind_name(*k));
	} else if (!n) {
		for (const struct cmd *const *c = commands; *c; c++)
			if (!((*c)->flags & CMD_NO_SESSION))
				cand_add((*c)->name);
	} else if (text[0] == '-') {
		char why[256];
		const struct cmd *cmd = cmd_find(words[0], why, sizeof(why));
		if (cmd)
			cli_each_option(cmd->argp, add_option, NULL);
	} else if (!fault_fields(words, n)) {
		rl_attempted_completion_over = 0; /* file names */
		return NULL;
	}
	return rl_completion_matches(text, generator);
}

/* --- history ----------------------------------------------------------------- */

static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir = NULL, *path = NULL;
	if (state && *state) {
		if (asprintf(&dir, "%s/pgtctl", state) < 0)
			return NULL;
	} else if (home && *home) {
		if (asprintf(&dir, "%s/.local/state/pgtctl", home) < 0)
			return NULL;
	} else {
		return NULL;
	}
	/* mkdir -p */
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
	if (asprintf(&path, "%s/history", dir) < 0)
		path = NULL;
	free(dir);
	return path;
}

/* --- the loops ----------------------------------------------------------------- */

static void interactive(struct session *s)
{
	char prompt[128];
	char *hist = history_path();
	rl_readline_name = "pgtctl";
	rl_attempted_completion_function = complete;
	rl_completer_word_break_characters = " \t";
	using_history();
	if (hist)
		read_history(hist);
	while (!s->quit) {
		char *line = readline(session_prompt(s, prompt, sizeof(prompt)));
		if (!line) { /* Ctrl-D: as quit */
			putchar('\n');
			session_line(s, "quit");
			continue;
		}
		if (*line) {
			add_history(line);
			session_line(s, line);
		}
		free(line);
	}
	if (hist) {
		write_history(hist);
		history_truncate_file(hist, 1000);
	}
	free(hist);
}

static void from_stream(struct session *s, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	while (!s->quit && getline(&line, &cap, in) >= 0) {
		line[strcspn(line, "\r\n")] = 0;
		session_line(s, line);
	}
	free(line);
}

/* -c 'cmd; cmd': split at semicolons outside quotes */
static void from_list(struct session *s, const char *list)
{
	char *buf = strdup(list);
	char quote = 0, *start = buf;
	if (!buf)
		return;
	for (char *p = buf;; p++) {
		if (quote && *p == quote)
			quote = 0;
		else if (!quote && (*p == '\'' || *p == '"'))
			quote = *p;
		else if (!*p || (*p == ';' && !quote)) {
			bool end = !*p;
			*p = 0;
			if (!s->quit)
				session_line(s, start);
			if (end)
				break;
			start = p + 1;
		}
	}
	free(buf);
}

static int load_first(struct session *s, struct cli *c)
{
	struct pgt_error err = {0};
	struct source src;
	bool memory = source_opts_given(&c->src);
	if (c->n_args > (memory ? 0 : 1))
		return cli_usage("%s takes at most one SOURCE", c->cmd->name);
	if (!c->n_args && !memory)
		return EXIT_OK;
	const char *path = c->n_args ? c->args[0] : NULL;
	int status = source_open(&c->src, path, !memory, &src, &err);
	if (status)
		return cli_fail(status, &err);
	session_set(s, &src, src.kind == SOURCE_IMAGE ? path : NULL);
	return EXIT_OK;
}

static int run_repl(struct cli *c)
{
	struct session s;
	session_init(&s);
	int status = load_first(&s, c);
	if (status)
		return status;
	if (c->commands) {
		from_list(&s, c->commands);
	} else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		s.interactive = true;
		interactive(&s);
	} else {
		from_stream(&s, stdin);
	}
	status = s.worst;
	session_free(&s);
	return status;
}

static int run_batch(struct cli *c)
{
	struct session s;
	FILE *in = stdin;
	if (c->n_args != 1)
		return cli_usage("batch takes one FILE, or - for standard input");
	if (strcmp(c->args[0], "-") && !(in = fopen(c->args[0], "r")))
		return cli_usage("%s: %s", c->args[0], strerror(errno));
	session_init(&s);
	s.json = c->json;
	if (s.json)
		fputs("[", stdout);
	from_stream(&s, in);
	if (s.json)
		fputs("]\n", stdout);
	if (in != stdin)
		fclose(in);
	int status = s.worst;
	session_free(&s);
	return status;
}

static const struct argp_option repl_options[] = {
	{"commands", 'c', "'CMD; CMD'", 0, "run these commands and leave", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};
static const struct argp_child repl_children[] = {
	{&argp_global, 0, NULL, 0}, {&argp_source, 0, NULL, 0}, {NULL, 0, NULL, 0}};
static const struct argp repl_argp = {
	repl_options, cli_parse_opt, "[SOURCE]",
	"An interactive shell over the same commands, working on one loaded table: a SOURCE "
	"(and the IMAGE of map and unmap) is that table. Also load, save, new, undo, help, "
	"quit. Reads commands without a prompt when standard input is not a terminal; the "
	"exit status is then the worst of theirs.",
	repl_children, NULL, NULL,
};
static const struct argp_child batch_children[] = {{&argp_global, 0, NULL, 0},
						   {NULL, 0, NULL, 0}};
static const struct argp batch_argp = {
	NULL, cli_parse_opt, "FILE|-",
	"Run the commands of FILE (or standard input), one a line, as the REPL runs them; "
	"with --json each command's output is one element of a JSON array.",
	batch_children, NULL, NULL,
};

const struct cmd cmd_repl = {"repl", run_repl, &repl_argp, CMD_NO_SESSION,
			     "interactive shell over the same commands"};
const struct cmd cmd_batch = {"batch", run_batch, &batch_argp, CMD_NO_SESSION,
			      "run commands from a file"};

// SPDX-License-Identifier: MIT
/*
 * pgtctl repl [SOURCE] and pgtctl batch FILE: a session fed from a
 * terminal (readline: prompt, completion, history), from a pipe or file
 * (no prompt, no editing), or from -c 'cmd; cmd'. The exit status is the
 * worst of the commands'.
 */
#include <ctype.h>
#include <errno.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "complete.h"

/* --- completion -------------------------------------------------------------- */

/* The candidates of the word being completed, as complete_line gives them. */
static struct {
	char **words;
	size_t n, cap;
	bool failed; /* out of memory: offer nothing rather than part */
} cand;

static void cand_add(void *ctx, const char *word, const char *desc)
{
	(void)ctx;
	(void)desc;
	if (cand.n == cand.cap) {
		size_t cap = cand.cap ? 2 * cand.cap : 64;
		char **w = realloc(cand.words, cap * sizeof(*w));
		if (!w) {
			cand.failed = true;
			return;
		}
		cand.words = w;
		cand.cap = cap;
	}
	if (!(cand.words[cand.n] = strdup(word)))
		cand.failed = true;
	else
		cand.n++;
}

static void cand_clear(void)
{
	for (size_t i = 0; i < cand.n; i++)
		free(cand.words[i]);
	cand.n = 0;
	cand.failed = false;
}

/* readline's generator: the candidates in turn, each for readline to free */
static char *generator(const char *text, int state)
{
	static size_t i;
	(void)text;
	if (!state)
		i = 0;
	return i < cand.n ? strdup(cand.words[i++]) : NULL;
}

/* File names after the word's prefix (--dump=), as readline finds them. */
static void add_files(const char *text, size_t prefix_len)
{
	char *f;
	for (int state = 0; (f = rl_filename_completion_function(text + prefix_len, state));
	     state++) {
		char *word;
		if (asprintf(&word, "%.*s%s", (int)prefix_len, text, f) >= 0) {
			cand_add(NULL, word, NULL);
			free(word);
		}
		free(f);
	}
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	char *before = strndup(rl_line_buffer, (size_t)start);
	char *buf = before ? malloc((size_t)start + 1) : NULL;
	char *argv[MAX_ARGS + 2] = {"pgtctl"};
	struct redirect r;
	rl_attempted_completion_over = 1;
	int argc = buf ? session_split(before, buf, argv + 1, MAX_ARGS, &r) : -1;
	cand_clear();
	if (argc >= 0) {
		struct completion co = {.argc = argc + 1, .argv = argv, .cur = text,
					.session = true, .add = cand_add};
		complete_line(&co);
		if (co.flags & COMPLETE_FILES)
			add_files(text, co.prefix_len);
		rl_filename_completion_desired = !!(co.flags & COMPLETE_FILES);
		if (co.flags & COMPLETE_NOSPACE)
			rl_completion_append_character = '\0';
	}
	free(buf);
	free(before);
	if (cand.failed)
		cand_clear();
	return cand.n ? rl_completion_matches(text, generator) : NULL;
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

/* --- where the lines come from -------------------------------------------------- */

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

static struct {
	bool done;
	char *line;
} got;

static void on_line(char *line)
{
	got.done = true;
	got.line = line;
	rl_callback_handler_remove();
}

/*
 * One line from the terminal with readline's callback interface, so that
 * Ctrl-C at the prompt cancels the line and leaves the session alive, as
 * in bash and python (readline() itself would only pass the signal on).
 * SIGINT is caught only while waiting here; a command runs with the
 * disposition the program had.
 */
static int terminal_line(struct session *s, bool continued, char **line)
{
	char prompt[128];
	struct sigaction sa = {.sa_handler = on_interrupt}, old_sa;
	sigset_t block, old_mask;
	int fd = fileno(rl_instream ? rl_instream : stdin);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_sa);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	interrupted = 0;
	got.done = false;
	rl_callback_handler_install(continued ? "> " : session_prompt(s, prompt, sizeof(prompt)),
				    on_line);
	while (!got.done && !interrupted) {
		fd_set in;
		FD_ZERO(&in);
		FD_SET(fd, &in);
		/* SIGINT is let in only while waiting: no Ctrl-C is missed */
		int n = pselect(fd + 1, &in, NULL, NULL, NULL, &old_mask);
		if (n > 0)
			rl_callback_read_char();
		else if (n < 0 && errno != EINTR)
			break;
	}
	int rc = 0;
	if (got.done) {
		*line = got.line;
		rc = got.line ? 1 : 0;
		if (!got.line)
			fputc('\n', rl_outstream); /* Ctrl-D leaves the prompt's line */
		else if (!continued && *got.line)
			add_history(got.line);
	} else {
		if (interrupted) {
			rl_echo_signal_char(SIGINT);
			rc = -1;
		}
		rl_free_line_state();
		rl_callback_sigcleanup();
		rl_callback_handler_remove();
		fputc('\n', rl_outstream);
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGINT, &old_sa, NULL);
	return rc;
}

static void interactive(struct session *s)
{
	char *hist = history_path();
	rl_readline_name = "pgtctl";
	rl_attempted_completion_function = complete;
	rl_completer_word_break_characters = " \t";
	rl_catch_signals = 0;
	/* under --json standard output holds the JSON document alone */
	rl_outstream = s->json ? stderr : stdout;
	using_history();
	if (hist)
		read_history(hist);
	s->read_line = terminal_line;
	session_run(s);
	if (hist) {
		write_history(hist);
		history_truncate_file(hist, 1000);
	}
	free(hist);
	cand_clear();
	free(cand.words);
}

/* Lines of a file or pipe, without their line ends. */
static int stream_line(struct session *s, bool continued, char **line)
{
	(void)continued;
	char *l = NULL;
	size_t cap = 0;
	if (getline(&l, &cap, s->reader) < 0) {
		free(l);
		return 0;
	}
	l[strcspn(l, "\r\n")] = 0;
	s->lines_read++;
	*line = l;
	return 1;
}

/* -c 'cmd; cmd': the parts between semicolons outside quotes, trimmed,
 * are the lines (a here-document's lines too). */
static int list_line(struct session *s, bool continued, char **line)
{
	(void)continued;
	const char **next = s->reader;
	const char *p = *next, *start = p;
	char quote = 0;
	if (!p)
		return 0;
	for (; *p && (quote || *p != ';'); p++) {
		if (quote && *p == quote)
			quote = 0;
		else if (!quote && (*p == '\'' || *p == '"'))
			quote = *p;
	}
	*next = *p ? p + 1 : NULL;
	while (start < p && isspace((unsigned char)*start))
		start++;
	while (p > start && isspace((unsigned char)p[-1]))
		p--;
	if (!(*line = strndup(start, (size_t)(p - start))))
		return 0;
	return 1;
}

static int load_first(struct session *s, struct cli *c)
{
	bool memory = source_opts_given(&c->src);
	if (c->n_args > (memory ? 0 : 1))
		return cli_usage("%s takes at most one SOURCE", c->cmd->name);
	if (!c->n_args && !memory)
		return EXIT_OK;
	return session_load(s, &c->src, c->n_args ? c->args[0] : NULL);
}

/* The session's lines, with its commands' JSON in one array. */
static int run_session(struct session *s)
{
	if (s->json)
		out_session_begin();
	if (s->interactive)
		interactive(s);
	else
		session_run(s);
	if (s->json)
		out_session_end();
	int status = s->worst;
	session_free(s);
	return status;
}

struct repl_opts {
	const char *commands; /* -c */
};

static int run_repl(struct cli *c)
{
	struct session s;
	session_init(&s);
	int status = load_first(&s, c);
	if (status)
		return status;
	s.json = c->json;
	const char *list = ((const struct repl_opts *)c->opts)->commands;
	if (list) {
		s.read_line = list_line;
		s.reader = &list;
	} else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		s.interactive = true;
	} else {
		s.read_line = stream_line;
		s.reader = stdin;
	}
	return run_session(&s);
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
	s.read_line = stream_line;
	s.reader = in;
	s.script = in == stdin ? "<stdin>" : c->args[0];
	int status = run_session(&s);
	if (in != stdin)
		fclose(in);
	return status;
}

static const struct argp_option repl_options[] = {
	{"commands", 'c', "'CMD; CMD'", 0, "run these commands and leave", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

static error_t parse_repl(int key, char *arg, struct argp_state *state)
{
	struct repl_opts *o = state->input;
	if (key != 'c')
		return ARGP_ERR_UNKNOWN;
	o->commands = arg;
	return 0;
}

static const struct argp repl_argp = {
	repl_options, parse_repl, "[SOURCE]",
	"An interactive shell over the same commands, working on one loaded table: a SOURCE "
	"(and the IMAGE of map and unmap) is that table. Also load, save, new, undo, help, "
	"quit. Reads commands without a prompt when standard input is not a terminal; the "
	"exit status is then the worst of theirs.",
	NULL, NULL, NULL,
};
static const struct argp batch_argp = {
	NULL, NULL, "FILE|-",
	"Run the commands of FILE (or standard input), one a line, as the REPL runs them; "
	"with --json each command's output is one element of a JSON array.",
	NULL, NULL, NULL,
};

const struct cmd cmd_repl = {
	.name = "repl",
	.run = run_repl,
	.argp = &repl_argp,
	.opts_size = sizeof(struct repl_opts),
	.complete_arg = complete_files,
	.flags = CMD_NO_SESSION | CMD_SOURCE_OPTIONS,
	.summary = "interactive shell over the same commands",
};
const struct cmd cmd_batch = {
	.name = "batch",
	.run = run_batch,
	.argp = &batch_argp,
	.complete_arg = complete_files,
	.flags = CMD_NO_SESSION,
	.summary = "run commands from a file",
};

// SPDX-License-Identifier: MIT
/*
 * The command lines of the REPL and of batch scripts: each line of the
 * input split as the session splits it (session_split), then found in the
 * command table and parsed with the command's options (cli_parse), both as
 * a session's line and as the shell's, and its last word completed as Tab
 * and the shells' completion would (complete_line). Nothing runs: a parsed
 * line is thrown away, so no command reads or writes a file.
 */
#include "cli/cli.h"
#include "cli/complete.h"
#include "fuzz.h"

/* Lines of one input: a batch script's worth. */
#define MAX_LINES 16

static void parse(char **argv, int argc, struct session *session)
{
	struct cli *c;
	cli_parse(argc, argv, session, &c);
	if (!c)
		return;
	FUZZ_CHECK(c->n_args <= MAX_ARGS, "%d arguments", c->n_args);
	cli_free(c);
}

static void candidate(void *ctx, const char *word, const char *desc)
{
	const char *cur = ctx;
	(void)desc;
	FUZZ_CHECK(!strncmp(word, cur, strlen(cur)), "candidate '%s' does not extend '%s'", word,
		   cur);
}

/* argv[argc] is the word completed */
static void complete(char **argv, int argc, bool session)
{
	struct completion co = {.argc = argc, .argv = argv, .cur = argv[argc], .session = session,
				.add = candidate, .ctx = argv[argc]};
	complete_line(&co);
	FUZZ_CHECK(co.prefix_len <= strlen(co.cur), "a prefix of %zu in '%s'", co.prefix_len,
		   co.cur);
}

static void line(const char *text)
{
	size_t len = strlen(text);
	char *buf = malloc(len + 1);
	char *argv[MAX_ARGS + 2];
	struct redirect r;
	if (!buf)
		abort();
	argv[0] = "pgtctl";
	int argc = session_split(text, buf, argv + 1, MAX_ARGS, &r);
	FUZZ_CHECK(argc <= MAX_ARGS, "%d words", argc);
	for (int i = 1; i <= argc; i++)
		FUZZ_CHECK(argv[i] >= buf && argv[i] + strlen(argv[i]) <= buf + len,
			   "word %d lies outside the split buffer", i);
	const char *redirected[] = {r.file, r.here_end};
	for (unsigned i = 0; argc >= 0 && i < 2; i++)
		FUZZ_CHECK(!redirected[i] ||
				   (redirected[i] >= buf && redirected[i] + strlen(redirected[i]) <= buf + len),
			   "a redirection's word lies outside the split buffer");
	if (argc > 0) {
		struct session s;
		session_init(&s);
		parse(argv, argc + 1, &s);
		parse(argv, argc + 1, NULL);
		session_free(&s);
		complete(argv, argc, true);
		complete(argv, argc, false);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Usage errors and --help are printed, and are not what is tested;
	 * glibc lets a program point stdout and stderr elsewhere. */
	static FILE *null;
	if (!null && (null = fopen("/dev/null", "w")))
		stdout = stderr = null;
	char *text = fuzz_string(data, size), *save = NULL;
	unsigned n = 0;
	for (char *l = strtok_r(text, "\n", &save); l && n < MAX_LINES;
	     l = strtok_r(NULL, "\n", &save), n++)
		line(l);
	free(text);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Completion of a command line from the tables it is parsed with. The line
 * is read as dispatch reads it (line_command finds the command with its
 * own options); the word under the cursor is then an option's value (after
 * --name= or an option that takes the next word), an option, the command,
 * or an argument, and what it completes to comes from the option's group
 * (option_values) or the command (complete_arg).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "complete.h"

const char *complete_typed(const struct completion *co)
{
	return co->cur + co->prefix_len;
}

void complete_keep(struct completion *co, size_t n)
{
	co->prefix_len += n;
}

void complete_add(struct completion *co, const char *word, const char *desc)
{
	const char *typed = complete_typed(co);
	char buf[512];
	if (strncmp(word, typed, strlen(typed)))
		return;
	if (snprintf(buf, sizeof(buf), "%.*s%s", (int)co->prefix_len, co->cur, word) >=
	    (int)sizeof(buf))
		return;
	co->add(co->ctx, buf, desc);
}

void complete_list(struct completion *co, const char *const *words)
{
	const char *comma = strrchr(complete_typed(co), ',');
	if (comma)
		complete_keep(co, (size_t)(comma + 1 - complete_typed(co)));
	for (; *words; words++)
		complete_add(co, *words, NULL);
}

void complete_files(struct completion *co)
{
	co->flags |= COMPLETE_FILES;
}

void complete_commands(struct completion *co)
{
	unsigned skip = co->session ? CMD_NO_SESSION : CMD_SESSION_ONLY;
	for (const struct cmd *const *c = commands; *c; c++)
		if (!((*c)->flags & skip))
			complete_add(co, (*c)->name, (*c)->summary);
}

void complete_source_arg(struct completion *co)
{
	if (!co->session && !co->arg)
		complete_files(co);
}

void complete_formats(struct completion *co)
{
	for (const struct pgt_format *const *f = pgt_formats(); *f; f++)
		complete_add(co, pgt_format_name(*f), pgt_format_summary(*f));
}

void complete_kernels(struct completion *co)
{
	for (enum pgt_kernel k = PGT_KERNEL_DEFAULT + 1; k < PGT_KERNEL_END; k++)
		complete_add(co, pgt_kernel_name(k), NULL);
}

/* --- reading the line -------------------------------------------------------- */

/* The values table of an option group of cmd's line. */
static const struct option_values *group_values(const struct cmd *cmd, const struct argp *group)
{
	if (group == &argp_global)
		return global_values;
	if (group == &argp_source)
		return source_values;
	return cmd && group == cmd->argp ? cmd->values : NULL;
}

/* The value of op (in group, of cmd's line) is being typed. */
static void complete_value(struct completion *co, const struct cmd *cmd, const struct argp *group,
			   const struct argp_option *op)
{
	co->option = op;
	for (const struct option_values *v = group_values(cmd, group); v && v->key; v++)
		if (v->key == op->key) {
			v->complete(co);
			return;
		}
}

/* The option that takes a value word names in cmd's line, or with no
 * command, in the first line that has one of that name. */
static bool find_option(const struct completion *co, const char *word, const struct cmd **cmd,
			struct option_word *w)
{
	for (const struct cmd *const *c = commands; *c; c++) {
		struct line_argp line;
		*cmd = co->cmd ? co->cmd : *c;
		line_argp_init(&line, *cmd);
		if (option_word_check(&line.argp, word, false, w) == WORD_OK && w->op && w->op->arg)
			return true;
		if (co->cmd)
			break;
	}
	return false;
}

/* The option's value is in its word: --name=VALUE, -kVALUE. */
static bool value_in_word(const struct option_word *w)
{
	return w->shorts ? w->shorts[1] : w->name[w->len];
}

/* Is cur the value of the option before it (then completed), or which
 * argument of the command is it (co->arg)? */
static bool read_line(struct completion *co)
{
	const struct cmd *cmd;
	struct option_word w;
	bool dashdash = false;
	co->arg = 0;
	for (int i = 1; i < co->argc; i++) {
		const char *word = co->argv[i];
		if (i == co->cmd_at)
			continue;
		if (dashdash || word[0] != '-' || !word[1]) {
			co->arg++;
		} else if (!strcmp(word, "--")) {
			dashdash = true;
		} else if (find_option(co, word, &cmd, &w) && !value_in_word(&w)) {
			if (i + 1 == co->argc) {
				complete_value(co, cmd, w.group, w.op);
				return true;
			}
			i++;
		}
	}
	return false;
}

static void add_option(const struct argp *group, const struct argp_option *op, void *ctx)
{
	char name[64];
	(void)group;
	if (op->name)
		snprintf(name, sizeof(name), "--%s", op->name);
	else if (op->key > 0 && op->key < 128)
		snprintf(name, sizeof(name), "-%c", op->key);
	else
		return;
	complete_add(ctx, name, op->doc);
}

const char *complete_option_value(const struct completion *co, const char *name)
{
	struct line_argp line;
	const char *value = NULL;
	if (!co->cmd)
		return NULL;
	line_argp_init(&line, co->cmd);
	for (int i = 1; i < co->argc; i++) {
		const char *word = co->argv[i], *v;
		struct option_word w;
		if (!strcmp(word, "--"))
			break;
		if (word[0] != '-' || option_word_check(&line.argp, word, false, &w) != WORD_OK ||
		    !w.op || !w.op->arg)
			continue;
		if (value_in_word(&w))
			v = w.shorts ? w.shorts + 1 : w.name + w.len + 1;
		else if (i + 1 < co->argc)
			v = co->argv[++i];
		else
			break;
		if (w.op->name && !strcmp(w.op->name, name))
			value = v;
	}
	return value;
}

void complete_line(struct completion *co)
{
	struct line_argp line;
	const struct argp *argp = &argp_global;
	const struct cmd *cmd;
	struct option_word w;
	co->cmd_at = line_command(co->argc, co->argv, &co->cmd);
	if (co->cmd) {
		line_argp_init(&line, co->cmd);
		argp = &line.argp;
	}
	co->prefix_len = 0;
	co->flags = 0;
	co->option = NULL;

	const char *eq = strchr(co->cur, '=');
	if (co->cur[0] == '-' && co->cur[1] == '-' && eq) {
		if (find_option(co, co->cur, &cmd, &w)) {
			complete_keep(co, (size_t)(eq + 1 - co->cur));
			complete_value(co, cmd, w.group, w.op);
		}
		return;
	}
	if (read_line(co))
		return;
	if (co->cur[0] == '-')
		cli_each_option(argp, add_option, co);
	else if (!co->cmd)
		complete_commands(co);
	else if (co->cmd->complete_arg)
		co->cmd->complete_arg(co);
}

/* --- pgtctl __complete --------------------------------------------------------- */

static void print_candidate(void *ctx, const char *word, const char *desc)
{
	(void)ctx;
	if (!desc) {
		printf("%s\n", word);
		return;
	}
	/* the description's first line, as one line */
	printf("%s\t%.*s\n", word, (int)strcspn(desc, "\n"), desc);
}

int complete_main(int argc, char **argv)
{
	if (argc < 2)
		return EXIT_USAGE;
	/* argv[0] ("__complete") stands where a line has its program */
	struct completion co = {
		.argc = argc - 1,
		.argv = argv,
		.cur = argv[argc - 1],
		.add = print_candidate,
	};
	complete_line(&co);
	if (co.flags & COMPLETE_NOSPACE)
		printf(":nospace\n");
	if (co.flags & COMPLETE_FILES)
		printf(":files%s%.*s\n", co.prefix_len ? " " : "", (int)co.prefix_len, co.cur);
	return fflush(stdout) ? EXIT_FAILED : EXIT_OK;
}

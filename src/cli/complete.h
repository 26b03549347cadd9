/* SPDX-License-Identifier: MIT */
/*
 * Completing the word under the cursor of a command line, from the tables
 * the line is parsed with: the commands, each command's own options and
 * the groups it takes, what their values are (the library's lists of
 * formats, quirks, kernels, IOMMU and fault kinds and fields), and each
 * command's arguments. The shells ask for it (pgtctl __complete, as git's
 * --git-completion-helper), the REPL calls it.
 */
#ifndef PGT_CLI_COMPLETE_H
#define PGT_CLI_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

struct argp_option;
struct cmd;

enum complete_flags {
	COMPLETE_FILES = 1u << 0,   /* file names too, after the prefix */
	COMPLETE_NOSPACE = 1u << 1, /* candidates to go on typing after (FIELD=) */
};

struct completion {
	/* The line up to the word completed: argv[0] the program, then the
	 * words before it; cur the word as typed so far. */
	int argc;
	char **argv;
	const char *cur;
	bool session; /* the REPL's or a script's commands, not the shell's */
	/* Each candidate, whole (the prefix in front): to print, or keep. */
	void (*add)(void *ctx, const char *word, const char *desc);
	void *ctx;

	/* What the line is, for the completers. */
	const struct cmd *cmd;		/* the line's command, or NULL */
	int cmd_at;			/* its word */
	unsigned arg;			/* which argument of it cur is, from 0 */
	const struct argp_option *option; /* the option whose value cur is */
	/* What they fill in: the part of cur kept in front of every candidate
	 * ("--quirks=arm-ns,"), and the flags. */
	size_t prefix_len;
	unsigned flags;
};

/* Complete co->cur: co->add gets the candidates that start with it. */
void complete_line(struct completion *co);

/* For completers: cur after the prefix, what the candidates must start with. */
const char *complete_typed(const struct completion *co);
/* Offer word (with co's prefix in front) when it starts with what is typed. */
void complete_add(struct completion *co, const char *word, const char *desc);
/* Keep n more characters of cur in front of the candidates. */
void complete_keep(struct completion *co, size_t n);
/* A comma-separated list of words: the item being typed is one of words. */
void complete_list(struct completion *co, const char *const *words);
/* File names (the shell's or readline's own completion); as a command's
 * complete_arg, for arguments that are all files (build SPEC, diff A B). */
void complete_files(struct completion *co);
/* The value of the line's command's option of this long name (its last, as
 * the parser keeps), or NULL. */
const char *complete_option_value(const struct completion *co, const char *name);

/* The commands where the line runs (help's argument, the command word). */
void complete_commands(struct completion *co);
/* The SOURCE or IMAGE before the other arguments; in a session the loaded
 * table is it, and the arguments are the others. */
void complete_source_arg(struct completion *co);
/* Format names (with their summaries); kernel names. */
void complete_formats(struct completion *co);
void complete_kernels(struct completion *co);

/* pgtctl __complete WORD... CURRENT (argv[0] is "__complete"): the
 * candidates one a line (a tab, then a description, when there is one),
 * then the flags as lines ":nospace", ":files PREFIX". */
int complete_main(int argc, char **argv);

#endif

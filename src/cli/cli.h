/* SPDX-License-Identifier: MIT */
/*
 * The command line: one table of commands, each with its own options; the
 * parsed line every command reads from; and the exit statuses the man page
 * promises.
 */
#ifndef PGT_CLI_H
#define PGT_CLI_H

#include <argp.h>
#include <errno.h>

#include "pgt/pgt.h"
#include "output.h"
#include "problems.h"
#include "session.h"
#include "source.h"

enum exit_status {
	EXIT_OK = 0,
	EXIT_FAILED = 1, /* an operation failed, or diff/check found something */
	EXIT_USAGE = 2,	 /* bad usage or unreadable input */
};

#define MAX_ARGS 64

/* A parsed command line: what every command reads. The command's own
 * options are in opts, the struct its own parser filled. */
struct cli {
	const struct cmd *cmd;
	struct session *session; /* in the REPL or a batch script, else NULL */
	bool json;
	bool help_shown;
	char *args[MAX_ARGS];
	int n_args;
	struct source_opts src; /* the source options, and --kernel */
	void *opts;		/* cmd->opts_size bytes */
	int stop;		/* where argp stopped on an option it refused */
};

enum cmd_flags {
	CMD_SOURCE_OPTIONS = 1u << 0, /* takes the source options (argp_source) */
	CMD_WRITES_IMAGE = 1u << 1,   /* rewrites an IMAGE in place */
	CMD_SESSION_ONLY = 1u << 2,   /* load, save, new, undo, quit: a session's table */
	CMD_NO_SESSION = 1u << 3,     /* repl and batch themselves */
};

/* Run one command line (argv[0] is ignored) in a session or from the shell. */
int cli_run(int argc, char **argv, struct session *session);
/*
 * Its first half: find the command and parse its options and arguments,
 * reporting what is wrong. *out is the parsed line, for cmd->run and then
 * cli_free(), when there is a command to run; the status says why not.
 */
int cli_parse(int argc, char **argv, struct session *session, struct cli **out);
void cli_free(struct cli *c);

struct completion;
/* What the value of an option (its key in its group) completes to. */
struct option_values {
	int key;
	void (*complete)(struct completion *co);
};

/*
 * A command owns its options: argp holds its own option table, its parser,
 * its usage and doc; the parser fills a struct of opts_size bytes (its
 * state->input, zeroed), which run finds at c->opts. values says what its
 * options' values complete to, complete_arg its arguments (complete.h;
 * NULL: nothing). The groups every command shares (argp_global) or that
 * read a SOURCE (argp_source, with CMD_SOURCE_OPTIONS) are added by the
 * line (line_argp).
 */
struct cmd {
	const char *name;
	int (*run)(struct cli *c);
	const struct argp *argp;
	size_t opts_size;
	const struct option_values *values; /* ended by key 0 */
	void (*complete_arg)(struct completion *co);
	unsigned flags;
	const char *summary;
};

extern const struct cmd *const commands[];
/* The command a word names, in full or by a unique prefix; else NULL, and
 * why says so (with the commands it may have meant). */
const struct cmd *cmd_find(const char *name, char *why, size_t len);
/* The command list of pgtctl --help, pgtctl help and a missing command. */
void help_commands(FILE *f);

/* "Did you mean": the known words nearest to a typed one (similar.c). */
#define SIMILAR_MAX 4
struct similar {
	const char *typed;
	size_t len;
	unsigned best, n;
	const char *words[SIMILAR_MAX];
};
void similar_init(struct similar *s, const char *typed, size_t len);
void similar_add(struct similar *s, const char *known);
/* "; did you mean 'a' or 'b'?", each word after prefix; "" when none is near */
const char *similar_text(const struct similar *s, const char *prefix, char *buf, size_t len);

/* Help and version, as text or under --json as one object. argp NULL:
 * the list of commands. */
void cli_print_help(const struct argp *argp, unsigned flags, const char *name);
void cli_print_version(void);

/* Report err as "pgtctl: <what>: <why>" and give the exit status. */
int cli_fail(int status, const struct pgt_error *err);
/* The library's message with the command line's words for its remedy
 * (static: valid until the next call). */
const char *cli_error_text(const struct pgt_error *err);
/* A record for the library's errors, freed where it goes out of scope:
 * CLI_ERROR(err); then pass err. Memory short for it ends the process with
 * a message (cli_error_new). */
#define CLI_ERROR(name) \
	struct pgt_error *name __attribute__((cleanup(cli_error_release))) = cli_error_new()
struct pgt_error *cli_error_new(void);
void cli_error_release(struct pgt_error **err);
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A command about to write its data to path: when that is standard output
 * ("-", /dev/stdout), the data has it and the report goes to standard
 * error (refused in a session, whose standard output is its own). */
int cli_data_output(struct cli *c, const char *path);
/* A walk or an allocation ran out of memory: the operation failed. */
int cli_out_of_memory(void);

int cli_parse_number(const char *what, const char *s, uint64_t *out);
int cli_parse_pow2(const char *what, const char *s, uint64_t *out);

/* What '-' reads (translate -, fault --log -): standard input, or in a
 * session the line's here-document or <FILE, with a name for messages. */
int cli_input(struct cli *c, FILE **in, const char **name);

/* Open the command's SOURCE: the first argument, or the memory options.
 * *first is set to the index of the first argument after the SOURCE. */
int open_source(struct cli *c, struct source *s, int *first);
/* The same, for commands that take the SOURCE and nothing else. */
int open_sole_source(struct cli *c, struct source *s);

/* Shared printers */
void print_config(const struct pgt_table *t);
void print_roots(const struct pgt_table *t);
void print_registers(const struct pgt_table *t);
/* The walk of one address, every level decoded (translate -v): the root
 * line, then a "walk" array of the steps with their fields. */
void print_walk(struct pgt_table *t, const struct pgt_walk *w);
/* Events printer for --trace-tlb; call trace_begin/end around the work. */
extern const struct pgt_events trace_events;
void trace_begin(struct pgt_table *t, bool on);
void trace_end(bool on);

/* The IOMMU's structures (print_iommu.c) */
void print_iommu_entry(const struct pgt_iommu_entry *e);
void print_iommu_problem(const struct pgt_iommu_problem *p, const char *indent);
/* Format, roots, config (text: format and roots): in an object named
 * key, or (NULL) the open one. */
void print_iommu_table(const char *key, const struct pgt_iommu_table *t);
/* A --device source's device: id, mode, domain, structures, problems. */
void print_iommu_device(const struct pgt_iommu_kind *k, const struct pgt_iommu_device *d);
const char *iommu_config_str(const struct pgt_iommu_table *t, char *buf, size_t len);

/* The option groups commands share: every command's (--json, --help,
 * --version, --kernel), and those that read a SOURCE. Their parsers fill
 * struct cli. */
extern const struct argp argp_global;
extern const struct argp argp_source;
extern const struct option_values global_values[], source_values[];
/* An option's value is wrong: say why (as out_error), and give its parser
 * CLI_OPTION_REFUSED to return (argp's own errors are EINVAL). */
#define CLI_OPTION_REFUSED ECANCELED
error_t cli_bad_option(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The argp a command's line is parsed with: the command's own argp and the
 * shared groups it takes, as children of a parser that collects the
 * arguments (line.c). */
#define LINE_GROUPS 3
struct line_argp {
	struct argp_child children[LINE_GROUPS + 1];
	struct argp argp;
};
void line_argp_init(struct line_argp *l, const struct cmd *cmd);
/* The command of a line (argv[0] is the program): the first word that names
 * one (cmd_find) and that its own options leave free. Its index, or -1
 * (*cmd NULL) when no word is. */
int line_command(int argc, char **argv, const struct cmd **cmd);
/* What cmd's options make of word k: 0 when it can be the command (every
 * word before it an option or an option's value), -1 when it is an
 * option's value, else the index of the first argument before it. */
int line_before_command(const struct cmd *cmd, char **argv, int k);
/* A line without a command: the word that should have been it, the first
 * that no command's option takes as its value; -1 when there is none. */
int line_first_argument(int argc, char **argv);
/* Visit every option of argp and of its children, with the argp it is in. */
void cli_each_option(const struct argp *argp,
		     void (*visit)(const struct argp *group, const struct argp_option *op, void *ctx),
		     void *ctx);

/* One word of a line looked up among an argp's options (option_word.c). */
enum option_verdict { WORD_OK, WORD_UNKNOWN, WORD_AMBIGUOUS, WORD_NEEDS_VALUE, WORD_NO_VALUE };
struct option_word {
	const char *name;   /* a long option's name, after the dashes */
	size_t len;	    /* up to its "=", if any */
	const char *shorts; /* the short option looked up, in the word; or NULL */
	unsigned exact, prefixes;
	const struct argp_option *op; /* what it names, in group */
	const struct argp *group;
	char names[160]; /* the long options an ambiguous prefix names */
	struct similar near;
};
/* Look text up; last: no word follows it. WORD_OK for a word that is no
 * option (an argument, "-", "--"), w->op NULL. */
enum option_verdict option_word_check(const struct argp *argp, const char *text, bool last,
				      struct option_word *w);
/* Is word an option of argp that takes the next word as its value? */
bool option_word_takes_next(const struct argp *argp, const char *word);
/* argp refused an option of cmd's line argv, stopping at next: say which,
 * and why. */
void cli_option_error(const struct cmd *cmd, const struct session *s, char **argv, int argc,
		      int next);
/* A line with no command: report an option no command takes (EXIT_USAGE),
 * else EXIT_OK. */
int cli_option_without_command(int argc, char **argv);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A session: the table the REPL and batch scripts work on. Commands that
 * read a SOURCE use it when they are given none; map and unmap edit it,
 * keeping a journal of each edit for undo; save writes it atomically.
 */
#ifndef PGT_CLI_SESSION_H
#define PGT_CLI_SESSION_H

#include "source.h"

#define UNDO_DEPTH 32

struct session {
	struct source cur; /* the loaded table; cur.t is NULL before load/new */
	char *path;	   /* where save writes when given no FILE */
	char *name;	   /* what was loaded, for messages */
	bool dirty;	   /* changed since load or save */
	struct undo {
		struct pgt_journal *j; /* what the edit changed */
		bool dirty;	       /* before it */
	} undo[UNDO_DEPTH];
	unsigned n_undo;
	bool interactive; /* a terminal: prompts, line editing, confirmations */
	bool json;	  /* batch --json: every command's output in one array */
	unsigned n_run;	  /* commands run so far */
	int worst;	  /* the highest exit status so far */
	bool quit;
	bool quit_warned;
};

void session_init(struct session *s);
void session_free(struct session *s);
/* Replace the loaded table (the session takes src over). */
void session_set(struct session *s, struct source *src, const char *path);
/* Keep the journal of an edit; dirty: the table's state before it. */
void session_push_undo(struct session *s, struct pgt_journal *j, bool dirty);
/* Forget every edit: none can be undone any more. */
void session_drop_undo(struct session *s);
/* "pgtctl(arm-64-lpae-s1*)> " */
const char *session_prompt(const struct session *s, char *buf, size_t len);

/* Run one line of the REPL or a batch script. */
int session_line(struct session *s, const char *line);

/*
 * Split a line as a shell would: blanks, '...' and "..." quoting,
 * backslash escapes, # comments. The words go to buf (strlen(line) + 1
 * bytes) and argv (max). Returns the count, or -1 for unbalanced quotes
 * or more than max words.
 */
int session_split(const char *line, char *buf, char **argv, int max);

#endif

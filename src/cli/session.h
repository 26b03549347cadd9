/* SPDX-License-Identifier: MIT */
/*
 * A session: the table the REPL and batch scripts work on. Commands that
 * read a SOURCE use it when they are given none; map, unmap and kernel
 * change it, keeping a journal of each change for undo; save writes it
 * atomically.
 */
#ifndef PGT_CLI_SESSION_H
#define PGT_CLI_SESSION_H

#include <stdio.h>

#include "source.h"

#define UNDO_DEPTH 32

struct session {
	struct source cur; /* the loaded table; cur.t is NULL before load/new */
	char *path;	   /* where save writes when given no FILE */
	struct pgt_file_version version; /* of path, as loaded or last saved */
	char *name;	   /* what was loaded, for messages */
	bool dirty;	   /* changed since load or save */
	struct undo {
		struct pgt_journal *j; /* what the edit changed */
		bool dirty;	       /* before it */
	} undo[UNDO_DEPTH];
	unsigned n_undo;
	bool interactive; /* a terminal: prompts, line editing, confirmations */
	bool json;	  /* --json: every command's output one element of an array */
	int worst;	  /* the highest exit status so far */
	bool quit;
	bool quit_warned;
	/* The next line of input, as a string to free: 1, or 0 at its end, or
	 * -1 when the user cancelled it (Ctrl-C). continued: a line of a
	 * here-document, not a command. */
	int (*read_line)(struct session *s, bool continued, char **line);
	void *reader; /* the read_line's own state */
	/* a script's name for messages, and the number of its lines read */
	const char *script;
	unsigned lines_read;
	/* What '-' reads in the command running: its here-document or <FILE. */
	FILE *data;
	const char *data_name;
};

void session_init(struct session *s);
void session_free(struct session *s);
/* Replace the loaded table (the session takes src over). */
void session_set(struct session *s, struct source *src, const char *path);
/* Load SOURCE (path, or the memory options when path is NULL) as the
 * session's table, reporting what went wrong; an exit status. */
int session_load(struct session *s, const struct source_opts *o, const char *path);
/* Keep the journal of an edit; dirty: the table's state before it. */
void session_push_undo(struct session *s, struct pgt_journal *j, bool dirty);
/* Forget every edit: none can be undone any more. */
void session_drop_undo(struct session *s);
/* "pgtctl(arm-64-lpae-s1*)> " */
const char *session_prompt(const struct session *s, char *buf, size_t len);

/* Run one line of the REPL or a batch script (reading on through
 * s->read_line for a here-document). */
int session_line(struct session *s, const char *line);
/* Run the lines of s->read_line until its end or quit, then warn about
 * unsaved changes that the end of a script loses; the worst status. */
int session_run(struct session *s);

/* A line's redirection of what '-' reads: <FILE, or <<WORD (the lines up
 * to one that is WORD alone). NULL when not given. */
struct redirect {
	const char *file;
	const char *here_end;
};

/*
 * Split a line as a shell would: blanks, '...' and "..." quoting,
 * backslash escapes, # comments, and one unquoted redirection (<FILE or
 * <<WORD, anywhere in the line) into *r. The words go to buf
 * (strlen(line) + 1 bytes) and argv (max). Returns the count, or -1 for
 * unbalanced quotes or more than max words, -2 for a redirection without
 * its word or a second one.
 */
int session_split(const char *line, char *buf, char **argv, int max, struct redirect *r);

#endif

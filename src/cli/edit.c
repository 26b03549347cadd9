// SPDX-License-Identifier: MIT
/* Editing an IMAGE: all or nothing. The operation works on a copy of the
 * table in memory; the file is replaced only when it succeeded. The file
 * is locked before it is read and until it is replaced, so that edits
 * running at once take turns and none is lost. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edit.h"

/*
 * In a session: a journal records what the operation changes, for undo,
 * and puts the table back when the operation fails, so an error never
 * loses the loaded table. An edit costs what it changes, not a copy.
 */
static int edit_session(struct cli *c, bool trace_tlb,
			int (*op)(struct pgt_table *t, void *ctx, struct pgt_error *err),
			void (*report)(void *ctx), void *ctx)
{
	struct session *s = c->session;
	CLI_ERROR(err);
	struct pgt_journal *j;
	int status = EXIT_OK;

	if (!s->cur.t)
		return cli_usage("no table loaded: load SOURCE, or new FORMAT");
	if (!pgt_mem_is_arena(pgt_table_mem(s->cur.t)))
		return cli_usage("the loaded table is read-only memory; emit it as an IMAGE and "
				 "load that to edit it");
	if (pgt_journal_begin(s->cur.t, &j, err))
		return cli_fail(EXIT_FAILED, err);
	out_obj_begin(NULL);
	trace_begin(s->cur.t, trace_tlb);
	int rc = op(s->cur.t, ctx, err);
	trace_end(trace_tlb);
	pgt_table_set_events(s->cur.t, NULL, NULL);
	bool undoable = !pgt_journal_end(s->cur.t, NULL);
	if (!undoable) {
		pgt_journal_free(j);
		session_drop_undo(s);
		s->dirty = true;
		out_error("%s: out of memory recording it: it cannot be undone, and what it "
			  "changed stays",
			  c->cmd->name);
	}
	if (rc) {
		if (undoable)
			pgt_journal_undo(s->cur.t, j);
		pgt_error_prefix(err, "%s", c->cmd->name);
		status = cli_fail(EXIT_FAILED, err);
	} else {
		if (undoable)
			session_push_undo(s, j, s->dirty);
		s->dirty = true;
		report(ctx);
	}
	out_obj_end();
	return status;
}

int edit_image(struct cli *c, const char *path, bool trace_tlb,
	       int (*op)(struct pgt_table *t, void *ctx, struct pgt_error *err),
	       void (*report)(void *ctx), void *ctx)
{
	if (c->session)
		return edit_session(c, trace_tlb, op, report, ctx);
	CLI_ERROR(err);
	struct pgt_replace *r;
	struct source s;
	struct stat st;
	int status = EXIT_OK;

	if (access(path, R_OK) || stat(path, &st))
		return cli_usage("%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cli_usage("%s: not a regular file", path);
	if (pgt_replace_begin(path, PGT_REPLACE_EXISTING | PGT_REPLACE_REMOVE_STALE, NULL, &r, err)) {
		pgt_replace_end(r);
		return cli_fail(EXIT_FAILED, err);
	}
	if (!pgt_file_is_elf(path)) {
		pgt_replace_end(r);
		return cli_usage("%s: not an IMAGE; %s edits an IMAGE in place (build a spec into one "
				 "first)",
				 path, c->cmd->name);
	}
	if ((status = source_open(&c->src, path, true, &s, err))) {
		pgt_replace_end(r);
		return cli_fail(status, err);
	}

	out_obj_begin(NULL);
	trace_begin(s.t, trace_tlb);
	int rc = op(s.t, ctx, err);
	trace_end(trace_tlb);
	if (rc) {
		pgt_error_prefix(err, "%s", c->cmd->name);
		status = cli_fail(EXIT_FAILED, err);
	} else if (pgt_image_commit(s.t, r, 0, err)) {
		status = cli_fail(EXIT_FAILED, err);
	} else {
		report(ctx);
	}
	out_obj_end();
	source_close(&s);
	pgt_replace_end(r);
	return status;
}

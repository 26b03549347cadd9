// SPDX-License-Identifier: MIT
/* Editing an IMAGE: all or nothing. The operation works on a copy of the
 * table in memory; the file is replaced only when it succeeded. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "edit.h"

int edit_image(struct cli *c, const char *path,
	       int (*op)(struct pgt_table *t, void *ctx, struct pgt_error *err),
	       void (*report)(void *ctx), void *ctx)
{
	struct pgt_error err = {0};
	struct source s;
	int status = EXIT_OK;

	if (access(path, R_OK))
		return cli_usage("%s: %s", path, strerror(errno));
	if (!pgt_file_is_elf(path))
		return cli_usage("%s: not an IMAGE; %s edits an IMAGE in place (build a spec into one "
				 "first)",
				 path, c->cmd->name);
	if (source_open(&c->src, path, true, &s, &err))
		return cli_fail(EXIT_USAGE, &err);

	out_obj_begin(NULL);
	trace_begin(s.t, c->trace_tlb);
	int rc = op(s.t, ctx, &err);
	trace_end(c->trace_tlb);
	if (rc) {
		pgt_error_prefix(&err, "%s", c->cmd->name);
		status = cli_fail(EXIT_FAILED, &err);
	} else if (pgt_image_write(s.t, path, false, &err)) {
		status = cli_fail(EXIT_FAILED, &err);
	} else {
		report(ctx);
	}
	out_obj_end();
	source_close(&s);
	return status;
}

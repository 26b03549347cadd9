/* SPDX-License-Identifier: MIT */
/* The shared shape of commands that change an IMAGE: load it editable,
 * apply one operation (with --trace-tlb: printing the TLB maintenance it
 * asks for), write it back atomically, report. */
#ifndef PGT_CLI_EDIT_H
#define PGT_CLI_EDIT_H

#include "cli.h"

int edit_image(struct cli *c, const char *path, bool trace_tlb,
	       int (*op)(struct pgt_table *t, void *ctx, struct pgt_error *err),
	       void (*report)(void *ctx), void *ctx);

#endif

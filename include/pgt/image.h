/* SPDX-License-Identifier: MIT */
/*
 * pgtctl's IMAGE file: an ELF64 core whose PT_LOAD segments hold table
 * memory at its physical addresses, and whose PT_NOTE "PGTCTL" records the
 * format, configuration, roots and registers. Written atomically.
 */
#ifndef PGT_IMAGE_H
#define PGT_IMAGE_H

#include "replace.h"
#include "table.h"

#define PGT_NOTE_OWNER "PGTCTL"
#define PGT_NOTE_TYPE 1

/* True when the file starts with the ELF magic. */
bool pgt_file_is_elf(const char *path);

/*
 * Write t to path as an IMAGE (or, with raw, the flat bytes of its memory),
 * laid out canonically, replacing path safely (see replace.h): on any
 * failure path is left untouched.
 */
int pgt_image_write(struct pgt_table *t, const char *path, bool raw, struct pgt_error *err);
/* The same, as the commit of a replacement begun by the caller (an edit
 * that read the file under its lock). */
int pgt_image_commit(struct pgt_table *t, struct pgt_replace *r, bool raw, struct pgt_error *err);

/*
 * Open an IMAGE read-only (its memory is the mapped file) or, with
 * editable, copied into an arena so the table can be changed. The caller
 * destroys the table, then the memory.
 */
int pgt_image_open(const char *path, bool editable, struct pgt_mem **mem, struct pgt_table **t,
		   struct pgt_error *err);

/* The note's text for a table: "key=value" lines. */
int pgt_image_note(struct pgt_table *t, char **text, size_t *len);

#endif

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

PGT_BEGIN_DECLS

#define PGT_NOTE_OWNER "PGTCTL"
#define PGT_NOTE_TYPE 1

/* True when the file starts with the ELF magic. */
PGT_EXPORT bool pgt_file_is_elf(const char *path);

enum pgt_image_flags {
	PGT_IMAGE_RAW = 1u << 0, /* the flat bytes of the table's memory, no ELF */
	/* afterwards remove what killed writers of the file left
	 * (PGT_REPLACE_REMOVE_STALE) */
	PGT_IMAGE_REMOVE_STALE = 1u << 1,
};

/*
 * Write t to path as an IMAGE (or, with PGT_IMAGE_RAW, the flat bytes of
 * its memory), laid out canonically, replacing path safely (see
 * replace.h): on any failure path is left untouched.
 */
PGT_EXPORT int pgt_image_write(struct pgt_table *t, const char *path, unsigned flags,
			       struct pgt_error *err);
/* The same, as the commit of a replacement begun by the caller (an edit
 * that read the file under its lock); flags: PGT_IMAGE_RAW. */
PGT_EXPORT int pgt_image_commit(struct pgt_table *t, struct pgt_replace *r, unsigned flags,
				struct pgt_error *err);

/*
 * Open an IMAGE read-only (its memory is the mapped file) or, with
 * editable, copied into an arena so the table can be changed. The caller
 * destroys the table, then the memory.
 */
PGT_EXPORT int pgt_image_open(const char *path, bool editable, struct pgt_mem **mem,
			      struct pgt_table **t,
		   struct pgt_error *err);

/* The note's text for a table: "key=value" lines. */
PGT_EXPORT int pgt_image_note(struct pgt_table *t, char **text, size_t *len,
			      struct pgt_error *err);

PGT_END_DECLS

#endif

/* SPDX-License-Identifier: MIT */
/*
 * pgtctl's IMAGE file: an ELF64 core whose PT_LOAD segments hold table
 * memory at its physical addresses, and whose PT_NOTE "PGTCTL" records the
 * format, configuration, roots and registers. Written atomically.
 */
#ifndef PGT_IMAGE_H
#define PGT_IMAGE_H

#include "table.h"

#define PGT_NOTE_OWNER "PGTCTL"
#define PGT_NOTE_TYPE 1

/* True when the file starts with the ELF magic. */
bool pgt_file_is_elf(const char *path);

/*
 * Write t to path as an IMAGE (or, with raw, the flat bytes of its memory),
 * laid out canonically. A temporary file in the same directory is written,
 * fsynced and renamed over path; on any failure path is left untouched.
 */
int pgt_image_write(struct pgt_table *t, const char *path, bool raw, struct pgt_error *err);

/*
 * Open an IMAGE read-only (its memory is the mapped file) or, with
 * editable, copied into an arena so the table can be changed. The caller
 * destroys the table, then the memory.
 */
int pgt_image_open(const char *path, bool editable, struct pgt_mem **mem, struct pgt_table **t,
		   struct pgt_error *err);

/* The note's text for a table: "key=value" lines. */
int pgt_image_note(struct pgt_table *t, char **text, size_t *len);

/* Atomically replace path with these bytes. */
int pgt_write_file(const char *path, const void *buf, size_t len, struct pgt_error *err);

/* Atomically replace path with what a writer callback writes to fd. */
int pgt_atomic_write(const char *path, int (*fill)(int fd, void *ctx), void *ctx,
		     struct pgt_error *err);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The YAML spec (man 5 pgtctl-spec): a format, its configuration, where
 * table memory starts, the mappings to make and the ranges to unmap after.
 */
#ifndef PGT_SPEC_H
#define PGT_SPEC_H

#include <stdio.h>

#include "table.h"

PGT_BEGIN_DECLS

/* A spec, loaded (opaque). */
struct pgt_spec;

/* Parse; every error reads "file:line:column: what". kernel: the kernel to
 * build for, over the spec's kernel key (PGT_KERNEL_DEFAULT: the spec's,
 * else the format's default kernel); pgt_spec_parse takes the spec's. */
PGT_EXPORT int pgt_spec_load(const char *path, enum pgt_kernel kernel, struct pgt_spec **out,
			     struct pgt_error *err);
PGT_EXPORT int pgt_spec_parse(const char *name, const void *buf, size_t len,
			      struct pgt_spec **out, struct pgt_error *err);
PGT_EXPORT void pgt_spec_free(struct pgt_spec *spec);

/* Build the table the spec describes in a new arena; events may be NULL. */
PGT_EXPORT int pgt_spec_build(const struct pgt_spec *spec, const struct pgt_events *ev,
			      void *cookie,
		   struct pgt_mem **arena, struct pgt_table **t, struct pgt_error *err);

/* Write a spec that rebuilds t exactly (dump --output yaml). */
PGT_EXPORT int pgt_spec_emit(struct pgt_table *t, const char *comment, FILE *out,
			     struct pgt_error *err);

PGT_END_DECLS

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The YAML spec (man 5 pgtctl-spec): a format, its configuration, where
 * table memory starts, the mappings to make and the ranges to unmap after.
 */
#ifndef PGT_SPEC_H
#define PGT_SPEC_H

#include <stdio.h>

#include "table.h"

struct pgt_spec_pos {
	unsigned line, column; /* 1-based */
};

struct pgt_spec_mapping {
	pgt_addr iova, pa;
	uint64_t size;
	uint64_t pgsize; /* 0: as iommu_map() splits it */
	unsigned prot;
	bool replace; /* PGT_MAP_REPLACE */
	struct pgt_spec_pos pos;
};

struct pgt_spec_unmap {
	pgt_addr iova;
	uint64_t size;
	bool split;
	struct pgt_spec_pos pos;
};

struct pgt_spec {
	char *name; /* file name for messages */
	const struct pgt_format *fmt;
	struct pgt_cfg cfg;
	struct pgt_spec_pos cfg_pos; /* where format/config were given */
	pgt_addr mem_base;
	uint64_t mem_limit; /* 0: the arena's default */
	struct pgt_spec_mapping *maps;
	size_t n_maps;
	struct pgt_spec_unmap *unmaps;
	size_t n_unmaps;
};

/* Parse; every error reads "file:line:column: what". kernel: the kernel to
 * build for, over the spec's kernel key (PGT_KERNEL_DEFAULT: the spec's,
 * else the format's default kernel); pgt_spec_parse takes the spec's. */
int pgt_spec_load(const char *path, enum pgt_kernel kernel, struct pgt_spec *spec,
		  struct pgt_error *err);
int pgt_spec_parse(const char *name, const void *buf, size_t len, struct pgt_spec *spec,
		   struct pgt_error *err);
void pgt_spec_free(struct pgt_spec *spec);

/* Build the table the spec describes in a new arena; events may be NULL. */
int pgt_spec_build(const struct pgt_spec *spec, const struct pgt_events *ev, void *cookie,
		   struct pgt_mem **arena, struct pgt_table **t, struct pgt_error *err);

/* Write a spec that rebuilds t exactly (dump --output yaml). */
int pgt_spec_emit(struct pgt_table *t, const char *comment, FILE *out, struct pgt_error *err);

#endif

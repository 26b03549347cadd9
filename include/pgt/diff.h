/* SPDX-License-Identifier: MIT */
/*
 * Comparing two tables: by what they map (any two formats: prot compared as
 * IOMMU_* words), or descriptor by descriptor (two tables of one format).
 */
#ifndef PGT_DIFF_H
#define PGT_DIFF_H

#include "table.h"

enum pgt_diff_kind {
	PGT_DIFF_ONLY_A, /* mapped in A, not in B */
	PGT_DIFF_ONLY_B,
	PGT_DIFF_CHANGED, /* mapped in both, to another PA, prot or page size */
};

struct pgt_diff_side {
	pgt_addr pa; /* of the range's first IOVA */
	unsigned prot;
	uint64_t pgsize;
};

struct pgt_diff_range {
	enum pgt_diff_kind kind;
	pgt_addr iova;
	uint64_t size;
	struct pgt_diff_side a, b; /* a for ONLY_A and CHANGED, b for ONLY_B and CHANGED */
};

struct pgt_diff_ops {
	int (*range)(void *ctx, const struct pgt_diff_range *r);
	/* a problem met walking table 'a' or 'b'; NULL to ignore them */
	int (*problem)(void *ctx, char side, const struct pgt_problem *p);
	void *ctx;
};

/*
 * Walk both tables in IOVA order and report the ranges that differ,
 * coalesced and sorted by IOVA. by_pgsize also reports ranges mapped alike
 * but with another page size. Returns 0 or a negative errno.
 */
int pgt_diff_mappings(struct pgt_table *a, struct pgt_table *b, bool by_pgsize,
		      const struct pgt_diff_ops *ops, struct pgt_error *err);

/* A descriptor that differs between two tables of one format and geometry. */
struct pgt_diff_desc {
	unsigned depth, label;
	pgt_addr iova;
	pgt_addr desc_pa_a, desc_pa_b;
	uint64_t raw_a, raw_b;
};

/*
 * Walk both trees side by side and report every descriptor that differs:
 * leaves by value, table descriptors by everything but the table address
 * (tables may sit elsewhere in each). Subtrees only one side has are
 * reported at their top descriptor; a pair of tables reached again (shared
 * tables, loops) is not compared again. -EINVAL when the two tables differ
 * in format or layout (pgt_geometry_same_layout()).
 */
int pgt_diff_descriptors(struct pgt_table *a, struct pgt_table *b,
			 int (*fn)(void *ctx, const struct pgt_diff_desc *d), void *ctx,
			 struct pgt_error *err);

/* A named value two tables of one format hold differently: the kernel, a
 * configuration value or option, the layout (levels, start_level,
 * root_entries, roots), a register ("reg.vtcr.sl", like the image note's
 * keys), or a decoded field of a descriptor; a and b as text ("none" where
 * one side has no such value). */
struct pgt_diff_value {
	char name[48];
	char a[40], b[40];
};

/* The kernel, configuration, layout and registers that differ between two
 * tables of one format, in that order: how many, at most max, go to out. */
size_t pgt_diff_setup(const struct pgt_table *a, const struct pgt_table *b,
		      struct pgt_diff_value *out, size_t max);

/* The decoded fields of a descriptor pgt_diff_descriptors reported that
 * differ between the two sides (table addresses left out). */
size_t pgt_diff_desc_fields(const struct pgt_table *a, const struct pgt_table *b,
			    const struct pgt_diff_desc *d, struct pgt_diff_value *out, size_t max);

#endif

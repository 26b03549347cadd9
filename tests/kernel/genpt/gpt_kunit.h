/* SPDX-License-Identifier: MIT */
/*
 * Linux 7.3's generic_pt IOMMU kunit cases (drivers/iommu/generic_pt/
 * kunit_iommu_pt.h: test_increase_level, test_map_simple,
 * test_map_table_to_oa, test_unmap_split, test_random_map with a reference
 * of what is mapped, test_pgsize_boundary, test_mixed), written again as
 * test vectors over a domain that is either the kernel's table (the
 * oracle), libpgt's, or both in step (gpt_pair.c): each case asserts what
 * the kunit asserts, so it holds the kernel's code and libpgt to the same
 * expectations.
 */
#ifndef PGT_GPT_KUNIT_H
#define PGT_GPT_KUNIT_H

#include <stdbool.h>
#include <stdint.h>

#include "gpt_oracle.h"

/* What the cases do to a domain: iommu_map() (map_range, and the part
 * mapped unmapped on failure), iommu_unmap(), iommu_iova_to_phys(), and
 * the two walks the kunit makes (count_valids, pt_top_range). */
struct gdom_ops {
	int (*map)(void *d, uint64_t iova, uint64_t pa, uint64_t len, unsigned prot);
	uint64_t (*unmap)(void *d, uint64_t iova, uint64_t len);
	uint64_t (*iova_to_phys)(void *d, uint64_t iova);
	void (*count_leaves)(void *d, uint64_t per_size[64]);
	void (*ranges)(void *d, struct gpt_ranges *r);
};

struct gdom {
	const struct gdom_ops *ops;
	void *d;
	/* the domain's facts, as the kunit's pt_kunit_priv_init() reads them */
	uint64_t pgsize_bitmap; /* domain->pgsize_bitmap */
	unsigned max_vasz, max_oasz;
	bool sign_extend, dynamic_top;
};

/* The results of one case: expectations, and the first failure. */
struct gk_result {
	unsigned n, fails;
	bool skipped;
	char first[300];
};

typedef void (*gk_case_fn)(struct gdom *g, struct gk_result *r, uint64_t seed);

struct gk_case {
	const char *name;
	gk_case_fn fn;
};

extern const struct gk_case gk_cases[];
extern const unsigned gk_n_cases;

#endif

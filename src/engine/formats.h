/* SPDX-License-Identifier: MIT */
/* The format rows, one per kernel enum io_pgtable_fmt value. */
#ifndef PGT_FORMATS_H
#define PGT_FORMATS_H

#include "engine.h"

extern const struct pgt_format pgt_fmt_arm_32_lpae_s1;
extern const struct pgt_format pgt_fmt_arm_32_lpae_s2;
extern const struct pgt_format pgt_fmt_arm_64_lpae_s1;
extern const struct pgt_format pgt_fmt_arm_64_lpae_s2;
extern const struct pgt_format pgt_fmt_arm_v7s;
extern const struct pgt_format pgt_fmt_arm_mali_lpae;
extern const struct pgt_format pgt_fmt_amd_iommu_v1;
extern const struct pgt_format pgt_fmt_apple_dart;
extern const struct pgt_format pgt_fmt_apple_dart2;

/* The alloc's refusal of quirks its format does not take, by name. */
int pgt_check_quirks(const struct pgt_table *t, uint64_t accepted, struct pgt_error *err);

#endif

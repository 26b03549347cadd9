/* SPDX-License-Identifier: MIT */
/* The format rows: the kernel's enum io_pgtable_fmt values, then the
 * formats only generic_pt builds. */
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
extern const struct pgt_format pgt_fmt_amd_iommu_v2;
extern const struct pgt_format pgt_fmt_intel_vtd_ss;
extern const struct pgt_format pgt_fmt_intel_vtd_fs;
extern const struct pgt_format pgt_fmt_riscv_iommu;

/* AMD's unmap_pages (iommu_v1_unmap_pages(), iommu_v2_unmap_pages()): a
 * lookup per IOVA, the page found removed whole (fmt_amd.c). */
uint64_t pgt_amd_unmap_pages(struct pgt_table *t, pgt_addr iova, uint64_t pgsize,
			     uint64_t pgcount, const struct pgt_unmap_opts *o, struct pgt_error *err);

/* The alloc's refusal of quirks its format does not take, by name. */
int pgt_check_quirks(const struct pgt_table *t, uint64_t accepted, struct pgt_error *err);

/* The alloc's refusal of an ias outside lo to hi. */
int pgt_check_ias(const struct pgt_table *t, unsigned lo, unsigned hi, struct pgt_error *err);

/* The 4 KiB, 512-entry shape of generic_pt's x86_64, vtdss and riscv64
 * (radix512.c): the geometry of a table of levels levels with leaves up to
 * level top_leaf (level0_more: extra level-0 sizes, RISC-V's 64K), the
 * pgsize_bitmap narrowed to what allowed holds (it must keep 4K), a
 * leaf_step of one page, and the decoding of a present entry by x86's PS
 * bit (true for a leaf, whose prot the caller fills in). */
void pgt_radix512_geometry(struct pgt_table *t, unsigned levels, unsigned top_leaf,
			   uint64_t level0_more);
int pgt_radix512_pgsizes(struct pgt_table *t, uint64_t allowed, struct pgt_error *err);
uint64_t pgt_leaf_step_pgsize(const struct pgt_table *t, unsigned depth, uint64_t pgsize,
			      pgt_addr pa, uint64_t n);
bool pgt_decode_ps(const struct pgt_table *t, unsigned depth, uint64_t raw, uint64_t ps,
		   uint64_t oa, const char *ps_reserved, struct pgt_entry *e);

#endif

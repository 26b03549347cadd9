/* SPDX-License-Identifier: MIT */
/*
 * Between the kernel oracle's translation units. Each of oracle.c (LPAE and
 * the io-pgtable.c core), oracle_v7s.c, oracle_dart.c and oracle_amd.c
 * compiles one kernel file, whose static names would collide in one unit;
 * this is what they need from each other, in plain C types.
 */
#ifndef PGT_KERNEL_ORACLE_INT_H
#define PGT_KERNEL_ORACLE_INT_H

#include <stdint.h>

#include "oracle.h"

/* The Linux the oracle compiles, (major << 8) | minor (build.sh sets it),
 * for the few places the oracle's own code follows the kernel's changes. */
#define ORACLE_SINCE(major, minor) (ORACLE_LINUX >= ((major) << 8 | (minor)))

struct io_pgtable_ops;

/* oracle.c: the AMD code called a driver function (enum oracle_tlb_kind). */
void oracle_note_driver(void *cookie, enum oracle_tlb_kind kind, uint64_t iova, uint64_t size,
			uint64_t root, unsigned mode);

/* oracle_v7s.c */
uint64_t oracle_v7s_pgd(struct io_pgtable_ops *ops);
/* The kernel's arm_v7s_do_selftests(), via its subsys_initcall(). */
int oracle_v7s_run_selftest(void);

/* oracle_amd.c: protection_domain_alloc()'s part for AMD_IOMMU_V1, with
 * amd_iommu_pgsize_bitmap (0: the default) and an optional mode (0: 3). */
struct io_pgtable_ops *oracle_amd_alloc(uint64_t pgsize_bitmap, unsigned mode, void *cookie);
void oracle_amd_free(struct io_pgtable_ops *ops);
void oracle_amd_state(struct io_pgtable_ops *ops, uint64_t *root, unsigned *mode);

#endif

// SPDX-License-Identifier: MIT
/*
 * The kernel oracle's ARM_V7S part: Linux 6.12's
 * drivers/iommu/io-pgtable-arm-v7s.c, compiled as it is (see oracle.c),
 * with its selftest, which the oracle runs on request.
 */
#include "oracle_int.h"

#define CONFIG_IOMMU_IO_PGTABLE_ARMV7S 1
#define CONFIG_IOMMU_IO_PGTABLE_ARMV7S_SELFTEST 1
/* The selftest is an initcall in the kernel; here a function to call. */
#define subsys_initcall(fn)                                                                        \
	int oracle_v7s_run_selftest(void)                                                          \
	{                                                                                          \
		return fn();                                                                       \
	}

#include <io-pgtable-arm-v7s.c>

#include <kshim_rt.h>

uint64_t oracle_v7s_pgd(struct io_pgtable_ops *ops)
{
	return virt_to_phys(io_pgtable_ops_to_data(ops)->pgd);
}

int oracle_v7s_selftest(uint64_t phys_base, struct oracle_stats *st)
{
	struct kshim_phys *prev = kshim_phys_current();
	struct kshim_phys *m = kshim_phys_new(phys_base, 64ull << 20);
	if (!m)
		return -ENOMEM;
	kshim_phys_use(m);
	int rc = oracle_v7s_run_selftest();
	const struct kshim_stats *k = kshim_phys_stats(m);
	memset(st, 0, sizeof(*st));
	st->warns = k->warns;
	memcpy(st->last_warn, k->last_warn, sizeof(st->last_warn));
	memcpy(st->last_msg, k->last_msg, sizeof(st->last_msg));
	st->dma_syncs = k->dma_syncs;
	st->allocs = k->allocs;
	st->frees = k->frees;
	st->live_blocks = k->live_blocks;
	st->live_pages = k->live_pages;
	st->slab_allocs = k->slab_allocs;
	st->slab_frees = k->slab_frees;
	st->slab_live = k->slab_live;
	kshim_phys_delete(m);
	kshim_phys_use(prev);
	return rc;
}

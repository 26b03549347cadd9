// SPDX-License-Identifier: MIT
/*
 * The kernel oracle's ARM_V7S part: Linux 6.12's
 * drivers/iommu/io-pgtable-arm-v7s.c, compiled as it is (see oracle.c),
 * with its selftest as a function (oracle.c's oracle_v7s_selftest() runs it
 * in a memory of its own).
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

uint64_t oracle_v7s_pgd(struct io_pgtable_ops *ops)
{
	return virt_to_phys(io_pgtable_ops_to_data(ops)->pgd);
}

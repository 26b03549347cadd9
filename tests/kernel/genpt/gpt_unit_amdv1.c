// SPDX-License-Identifier: MIT
/*
 * The generic_pt oracle's AMD v1 unit: Linux 7.3's
 * drivers/iommu/generic_pt/fmt/iommu_amdv1.c (amdv1.h, the host page table
 * of the AMD IOMMU), compiled as it is; see gpt_unit.h for the domain
 * around it. cfg.level is the starting_level (amd/iommu.c uses 2).
 */
#include <gpt_shim.h>

#include <generic_pt/fmt/iommu_amdv1.c>

#define GPT_UNIT_FMT GPT_AMDV1
#define GPT_UNIT_IMPL gpt_impl_amdv1
#define GPT_SET_LEVEL(cfg, level) ((cfg).starting_level = (level))
#define GPT_HW_ROOT(hw) ((hw).host_pt_root)
#define GPT_HW_MODE(hw) ((hw).mode)
#include "gpt_unit.h"

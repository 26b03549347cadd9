// SPDX-License-Identifier: MIT
/*
 * The generic_pt oracle's x86_64 unit: Linux 7.3's
 * drivers/iommu/generic_pt/fmt/iommu_x86_64.c (x86_64.h: the AMD v2 table
 * and the VT-d first stage), compiled as it is; see gpt_unit.h. cfg.level is
 * the top_level (3: 4 levels, 4: 5 levels).
 */
#include <gpt_shim.h>

#include <generic_pt/fmt/iommu_x86_64.c>

#define GPT_UNIT_FMT GPT_X86_64
#define GPT_UNIT_IMPL gpt_impl_x86_64
#define GPT_SET_LEVEL(cfg, level) ((cfg).top_level = (level))
#define GPT_HW_ROOT(hw) ((hw).gcr3_pt)
#define GPT_HW_MODE(hw) ((hw).levels)
#include "gpt_unit.h"

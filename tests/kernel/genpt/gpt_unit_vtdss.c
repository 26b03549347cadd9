// SPDX-License-Identifier: MIT
/*
 * The generic_pt oracle's VT-d second-stage unit: Linux 7.3's
 * drivers/iommu/generic_pt/fmt/iommu_vtdss.c (vtdss.h), compiled as it is;
 * see gpt_unit.h. cfg.level is the top_level (2, 3, 4: 3 to 5 levels).
 */
#include <gpt_shim.h>

#include <generic_pt/fmt/iommu_vtdss.c>

#define GPT_UNIT_FMT GPT_VTDSS
#define GPT_UNIT_IMPL gpt_impl_vtdss
#define GPT_SET_LEVEL(cfg, level) ((cfg).top_level = (level))
#define GPT_HW_ROOT(hw) ((hw).ssptptr)
#define GPT_HW_MODE(hw) ((hw).aw)
#include "gpt_unit.h"

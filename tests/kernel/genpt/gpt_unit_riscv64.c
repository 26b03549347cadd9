// SPDX-License-Identifier: MIT
/*
 * The generic_pt oracle's RISC-V unit: Linux 7.3's
 * drivers/iommu/generic_pt/fmt/iommu_riscv64.c (riscv.h, Sv39/48/57 chosen
 * by hw_max_vasz_lg2), compiled as it is; see gpt_unit.h. The format's cfg
 * has no level.
 */
#include <gpt_shim.h>

#include <generic_pt/fmt/iommu_riscv64.c>

#define GPT_UNIT_FMT GPT_RISCV64
#define GPT_UNIT_IMPL gpt_impl_riscv64
#define GPT_SET_LEVEL(cfg, level) ((void)(cfg), (void)(level))
#define GPT_HW_ROOT(hw) ((hw).ppn)
#define GPT_HW_MODE(hw) ((hw).fsc_iosatp_mode)
#include "gpt_unit.h"

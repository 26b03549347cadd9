/* SPDX-License-Identifier: MIT */
/* Linux 6.12's AMD_IOMMU_V2 and libpgt's amd-iommu-v2 in step (gpt_v2pair.c). */
#ifndef PGT_GPT_V2PAIR_H
#define PGT_GPT_V2PAIR_H

#include <stddef.h>
#include <stdint.h>

#include "gpt_oracle.h"

/* nops random operations on a table of `levels` levels (4 or 5), the
 * kernel's memory at kbase, libpgt's arena at abase; returns the number of
 * differences, msg the first (or what was done). */
unsigned long amdv2_differential(unsigned levels, unsigned nops, uint64_t seed, uint64_t kbase,
				 uint64_t abase, char *msg, size_t len);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The generic_pt configurations the tests run: each IOMMU driver's set-up
 * of its format in Linux 7.3 (amd/iommu.c, intel/iommu.c, riscv/iommu.c),
 * and the format's own kunit configurations (fmt/<fmt>.h kunit_fmt_cfgs,
 * with every other feature the format supports turned on, as
 * pt_kunit_priv_init() does).
 */
#ifndef PGT_GPT_CONFIGS_H
#define PGT_GPT_CONFIGS_H

#include "gpt_oracle.h"

struct gpt_config {
	const char *label;
	enum gpt_fmt fmt;
	struct gpt_cfg cfg;
	/* the name libpgt knows the table by (NULL: a kunit-only set-up that
	 * no driver makes, run against the oracle alone) */
	const char *pgt_format;
};

extern const struct gpt_config gpt_configs[];
extern const unsigned gpt_n_configs;

#endif

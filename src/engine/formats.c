// SPDX-License-Identifier: MIT
/* The registry of formats and the lookups every front-end uses. */
#include <elf.h>
#include <strings.h>

#include "formats.h"

/* Formats whose description is still to be written: listed, refused. */
const struct pgt_format pgt_fmt_arm_v7s = {
	.name = "arm-v7s",
	.kernel_name = "ARM_V7S",
	.summary = "ARMv7 short descriptor (SMMU AArch32-S, MediaTek)",
	.desc_bytes = 4,
	.elf_machine = EM_ARM,
};
const struct pgt_format pgt_fmt_amd_iommu_v1 = {
	.name = "amd-iommu-v1",
	.kernel_name = "AMD_IOMMU_V1",
	.summary = "AMD-Vi host page table",
	.desc_bytes = 8,
	.needs_mode = true,
	.elf_machine = EM_X86_64,
};
const struct pgt_format pgt_fmt_apple_dart = {
	.name = "apple-dart",
	.kernel_name = "APPLE_DART",
	.summary = "Apple DART (t8103 and earlier)",
	.desc_bytes = 8,
	.elf_machine = EM_AARCH64,
};
const struct pgt_format pgt_fmt_apple_dart2 = {
	.name = "apple-dart2",
	.kernel_name = "APPLE_DART2",
	.summary = "Apple DART2 (t6000, t8110)",
	.desc_bytes = 8,
	.elf_machine = EM_AARCH64,
};

static const struct pgt_format *const all_formats[] = {
	&pgt_fmt_arm_32_lpae_s1, &pgt_fmt_arm_32_lpae_s2, &pgt_fmt_arm_64_lpae_s1,
	&pgt_fmt_arm_64_lpae_s2, &pgt_fmt_arm_v7s,	  &pgt_fmt_arm_mali_lpae,
	&pgt_fmt_amd_iommu_v1,	 &pgt_fmt_apple_dart,	  &pgt_fmt_apple_dart2,
	NULL,
};

const struct pgt_format *const *pgt_formats(void)
{
	return all_formats;
}

const struct pgt_format *pgt_format_find(const char *name)
{
	for (const struct pgt_format *const *f = all_formats; *f; f++)
		if (!strcasecmp(name, (*f)->name) || !strcasecmp(name, (*f)->kernel_name))
			return *f;
	return NULL;
}

const char *pgt_format_name(const struct pgt_format *fmt)
{
	return fmt->name;
}

const char *pgt_format_kernel_name(const struct pgt_format *fmt)
{
	return fmt->kernel_name;
}

const char *pgt_format_summary(const struct pgt_format *fmt)
{
	return fmt->summary;
}

bool pgt_format_available(const struct pgt_format *fmt)
{
	return fmt->ops != NULL;
}

uint64_t pgt_format_quirks(const struct pgt_format *fmt)
{
	return fmt->quirks;
}

uint64_t pgt_format_pgsizes(const struct pgt_format *fmt)
{
	return fmt->pgsizes;
}

unsigned pgt_format_max_ias(const struct pgt_format *fmt)
{
	return fmt->max_ias;
}

unsigned pgt_format_max_oas(const struct pgt_format *fmt)
{
	return fmt->max_oas;
}

bool pgt_format_needs_mode(const struct pgt_format *fmt)
{
	return fmt->needs_mode;
}

void pgt_format_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	pgt_cfg_init(cfg);
	if (fmt->ops)
		fmt->ops->default_cfg(fmt, cfg);
}

unsigned pgt_format_elf_machine(const struct pgt_format *fmt)
{
	return fmt->elf_machine;
}

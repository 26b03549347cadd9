// SPDX-License-Identifier: MIT
/* The registry of formats and the lookups every front-end uses. */
#include <errno.h>
#include <strings.h>

#include "formats.h"
#include "pgt/parse.h"

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

int pgt_check_quirks(const struct pgt_table *t, uint64_t accepted, struct pgt_error *err)
{
	uint64_t extra = t->cfg.quirks & ~accepted;
	char a[200], b[200];
	if (!extra)
		return 0;
	return pgt_fail(err, -EINVAL, "%s does not accept quirks %s (accepted: %s)", t->fmt->name,
			pgt_quirks_str(extra, a, sizeof(a)), pgt_quirks_str(accepted, b, sizeof(b)));
}

// SPDX-License-Identifier: MIT
/* The registry of formats and kernels, and the lookups every front-end uses. */
#include <errno.h>
#include <strings.h>

#include "formats.h"
#include "internal.h"

static const struct pgt_format *const all_formats[] = {
	&pgt_fmt_arm_32_lpae_s1, &pgt_fmt_arm_32_lpae_s2, &pgt_fmt_arm_64_lpae_s1,
	&pgt_fmt_arm_64_lpae_s2, &pgt_fmt_arm_v7s,	  &pgt_fmt_arm_mali_lpae,
	&pgt_fmt_amd_iommu_v1,	 &pgt_fmt_apple_dart,	  &pgt_fmt_apple_dart2,
	&pgt_fmt_amd_iommu_v2,	 &pgt_fmt_intel_vtd_ss,	  &pgt_fmt_intel_vtd_fs,
	&pgt_fmt_riscv_iommu,	 NULL,
};

static const char *const kernel_names[PGT_KERNEL_END] = {
	[PGT_KERNEL_DEFAULT] = "default",
	[PGT_KERNEL_6_12] = "6.12",
	[PGT_KERNEL_7_3] = "7.3",
};

const char *pgt_kernel_name(enum pgt_kernel k)
{
	return (unsigned)k < PGT_KERNEL_END ? kernel_names[k] : "?";
}

enum pgt_kernel pgt_kernel_find(const char *name)
{
	if (!strncasecmp(name, "linux-", 6))
		name += 6;
	else if (*name == 'v' || *name == 'V')
		name++;
	for (unsigned k = PGT_KERNEL_DEFAULT + 1; k < PGT_KERNEL_END; k++)
		if (!strcmp(name, kernel_names[k]))
			return (enum pgt_kernel)k;
	return PGT_KERNEL_DEFAULT;
}

const struct pgt_format *const *pgt_formats(void)
{
	return all_formats;
}

static bool is_alias(const struct pgt_format *f, const char *name)
{
	return !strcasecmp(name, f->kernel_name) || (f->pt_name && !strcasecmp(name, f->pt_name));
}

const struct pgt_format *pgt_format_find(const char *name)
{
	const struct pgt_format *found = NULL;
	for (const struct pgt_format *const *f = all_formats; *f; f++) {
		if (!strcasecmp(name, (*f)->name))
			return *f;
		if (is_alias(*f, name)) {
			/* a kernel spelling two formats share names neither */
			if (found)
				return NULL;
			found = *f;
		}
	}
	return found;
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

enum pgt_kernel pgt_format_default_kernel(const struct pgt_format *fmt)
{
	for (unsigned k = PGT_KERNEL_DEFAULT + 1; k < PGT_KERNEL_END; k++)
		if (fmt->kernel[k])
			return (enum pgt_kernel)k;
	return PGT_KERNEL_DEFAULT;
}

const struct pgt_format_kernel *pgt_format_row(const struct pgt_format *fmt,
					       enum pgt_kernel kernel)
{
	if (kernel == PGT_KERNEL_DEFAULT)
		kernel = pgt_format_default_kernel(fmt);
	return (unsigned)kernel < PGT_KERNEL_END ? fmt->kernel[kernel] : NULL;
}

const char *pgt_kernel_list(const struct pgt_format *fmt, char *buf, size_t len)
{
	buf[0] = 0;
	for (unsigned k = PGT_KERNEL_DEFAULT + 1; k < PGT_KERNEL_END; k++)
		if (!fmt || fmt->kernel[k])
			pgt_join(buf, len, ", ", kernel_names[k]);
	return buf;
}

bool pgt_format_has_kernel(const struct pgt_format *fmt, enum pgt_kernel kernel)
{
	return pgt_format_row(fmt, kernel) != NULL;
}

bool pgt_format_available(const struct pgt_format *fmt, enum pgt_kernel kernel)
{
	const struct pgt_format_kernel *row = pgt_format_row(fmt, kernel);
	return row && (row->ops || fmt->ops);
}

uint64_t pgt_format_quirks(const struct pgt_format *fmt, enum pgt_kernel kernel)
{
	const struct pgt_format_kernel *row = pgt_format_row(fmt, kernel);
	return row ? row->quirks : 0;
}

uint64_t pgt_format_pgsizes(const struct pgt_format *fmt)
{
	return fmt->pgsizes;
}

unsigned pgt_format_max_ias(const struct pgt_format *fmt, enum pgt_kernel kernel)
{
	const struct pgt_format_kernel *row = pgt_format_row(fmt, kernel);
	return row && row->max_ias ? row->max_ias : fmt->max_ias;
}

unsigned pgt_format_max_oas(const struct pgt_format *fmt)
{
	return fmt->max_oas;
}

unsigned pgt_format_stage(const struct pgt_format *fmt)
{
	return fmt->stage;
}

void pgt_format_cfg_defaults(const struct pgt_format *fmt, enum pgt_kernel kernel,
			     struct pgt_cfg *cfg)
{
	pgt_cfg_init(cfg);
	if (kernel == PGT_KERNEL_DEFAULT)
		kernel = pgt_format_default_kernel(fmt);
	cfg->kernel = kernel;
	const struct pgt_format_kernel *row = pgt_format_row(fmt, kernel);
	const struct pgt_format_ops *ops = row && row->ops ? row->ops : fmt->ops;
	if (ops)
		ops->default_cfg(fmt, cfg);
	for (unsigned i = 0; i < fmt->n_options; i++)
		cfg->opt[i] = fmt->options[i].dflt;
}

int pgt_format_default_cfg(const struct pgt_format *fmt, enum pgt_kernel kernel,
			   struct pgt_cfg **out, struct pgt_error *err)
{
	int rc = pgt_cfg_new(out, err);
	if (!rc)
		pgt_format_cfg_defaults(fmt, kernel, *out);
	return rc;
}

unsigned pgt_format_elf_machine(const struct pgt_format *fmt)
{
	return fmt->elf_machine;
}

unsigned pgt_format_n_options(const struct pgt_format *fmt)
{
	return fmt->n_options;
}

const struct pgt_format_option *pgt_format_option(const struct pgt_format *fmt, unsigned i)
{
	return i < fmt->n_options ? &fmt->options[i] : NULL;
}

int pgt_format_option_find(const struct pgt_format *fmt, const char *name)
{
	for (unsigned i = 0; i < fmt->n_options; i++)
		if (!strcmp(fmt->options[i].name, name))
			return (int)i;
	return -1;
}

/* The formats that have an option of this name, for the refusal. */
static const char *formats_with(const char *name, char *buf, size_t len)
{
	buf[0] = 0;
	for (const struct pgt_format *const *f = all_formats; *f; f++)
		if (pgt_format_option_find(*f, name) >= 0)
			pgt_join(buf, len, ", ", (*f)->name);
	return buf;
}

int pgt_cfg_set_option(const struct pgt_format *fmt, struct pgt_cfg *cfg, const char *name,
		       uint64_t value, struct pgt_error *err)
{
	int i = pgt_format_option_find(fmt, name);
	char list[200];
	if (i < 0) {
		formats_with(name, list, sizeof(list));
		return pgt_fail(err, -EINVAL, "%s has no option '%s'%s%s%s", fmt->name, name,
				*list ? " (" : "", list, *list ? " has)" : "");
	}
	const struct pgt_format_option *o = &fmt->options[i];
	if (value < o->min || value > o->max)
		return pgt_fail(err, -EINVAL, "%s: %s is %u to %u (got %llu)", fmt->name, name,
				o->min, o->max, (unsigned long long)value);
	cfg->opt[i] = (unsigned)value;
	return 0;
}

unsigned pgt_format_level_counts(const struct pgt_format *fmt, unsigned *levels, unsigned max)
{
	for (unsigned i = 0; i < fmt->n_level_choices && i < max; i++)
		levels[i] = fmt->level_choices[i].levels;
	return fmt->n_level_choices;
}

int pgt_cfg_set_levels(const struct pgt_format *fmt, struct pgt_cfg *cfg, unsigned n,
		       struct pgt_error *err)
{
	const struct pgt_level_choice *c = NULL;
	for (unsigned i = 0; i < fmt->n_level_choices; i++)
		if (fmt->level_choices[i].levels == n)
			c = &fmt->level_choices[i];
	if (!c)
		return pgt_fail(err, -EINVAL, "%s has no tables of %u levels", fmt->name, n);
	if (fmt->levels_option) {
		int rc = pgt_cfg_set_option(fmt, cfg, fmt->levels_option, n, err);
		if (rc)
			return rc;
	}
	if (c->ias)
		cfg->ias = c->ias;
	return 0;
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

int pgt_check_ias(const struct pgt_table *t, unsigned lo, unsigned hi, struct pgt_error *err)
{
	if (t->cfg.ias < lo || t->cfg.ias > hi)
		return pgt_fail(err, -EINVAL, "%s needs ias %u to %u (got %u)", t->fmt->name, lo, hi,
				t->cfg.ias);
	return 0;
}

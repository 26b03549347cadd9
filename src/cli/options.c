// SPDX-License-Identifier: MIT
/*
 * The option groups commands share: the global options every command takes
 * and the source options of the commands that read a SOURCE. Each command
 * owns its other options (its cmd_*.c). Errors are ours, not argp's, so
 * that --json turns them into JSON too.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "complete.h"

enum {
	OPT_USAGE = 256,
	OPT_KERNEL,
	OPT_DUMP,
	OPT_RAWFILE,
	OPT_BASE,
	OPT_FORMAT,
	OPT_ROOT,
	OPT_IAS,
	OPT_OAS,
	OPT_PGSIZE_BITMAP,
	OPT_QUIRKS,
	OPT_COHERENT,
	OPT_MODE,
	OPT_LEVELS,
	OPT_CPU_PAGE,
	OPT_ENDIAN,
	OPT_IOMMU,
	OPT_IOMMU_REG,
	OPT_DEVICE,
};

static const struct argp_option global_options[] = {
	{"json", 'j', NULL, 0, "JSON output (errors too)", -1},
	{"help", '?', NULL, 0, "this help", -1},
	{"usage", OPT_USAGE, NULL, 0, "a short usage message", -1},
	{"version", 'V', NULL, 0, "print the version", -1},
	{"kernel", OPT_KERNEL, "VERSION", 0,
	 "the Linux whose tables to reproduce: 6.12 or 7.3 (default: the format's oldest)", -1},
	{NULL, 0, NULL, 0, NULL, 0},
};

static const struct argp_option source_options[] = {
	{NULL, 0, NULL, 0, "Memory sources (instead of an IMAGE or spec):", 1},
	{"dump", OPT_DUMP, "FILE", 0, "a crash dump: ELF core (vmcore, QEMU, image) or compressed or flattened kdump; repeatable", 1},
	{"raw", OPT_RAWFILE, "FILE", 0, "a flat memory file; give --base after it", 1},
	{"base", OPT_BASE, "PA", 0, "physical address of the preceding --raw file's first byte", 1},
	{"format", OPT_FORMAT, "NAME", 0, "the table format (see 'pgtctl formats')", 1},
	{"root", OPT_ROOT, "PA[,PA...]", 0, "root table address(es): TTBR, VTTBR, ...", 1},
	{NULL, 0, NULL, 0, "Configuration of a memory source (io_pgtable_cfg):", 2},
	{"ias", OPT_IAS, "BITS", 0, "input address size", 2},
	{"oas", OPT_OAS, "BITS", 0, "output address size", 2},
	{"pgsize-bitmap", OPT_PGSIZE_BITMAP, "SIZES", 0, "page sizes: 0x40201000 or 4K,2M,1G", 2},
	{"quirks", OPT_QUIRKS, "LIST", 0, "quirk names (arm-ns,arm-ttbr1,...) or bits", 2},
	{"coherent-walk", OPT_COHERENT, "yes|no", 0, "the walker is cache coherent", 2},
	{"mode", OPT_MODE, "N", 0, "amd-iommu-v1: number of levels (1-6)", 2},
	{"levels", OPT_LEVELS, "N", 0, "amd-iommu-v2 (4-5), intel-vtd-ss (3-5): number of levels", 2},
	{"cpu-page-size", OPT_CPU_PAGE, "SIZE", 0, "the kernel's PAGE_SIZE (LPAE granule choice)", 2},
	{"endian", OPT_ENDIAN, "little|big", 0,
	 "byte order of the descriptors (default: the dump's, else little)", 2},
	{NULL, 0, NULL, 0, "A device's table, from the IOMMU's structures (instead of --format --root):", 3},
	{"iommu", OPT_IOMMU, "KIND", 0, "the IOMMU: amd-vi, intel-vtd, smmuv3, riscv", 3},
	{"iommu-reg", OPT_IOMMU_REG, "VALUE", 0,
	 "its root register as read from it (smmuv3: STRTAB_BASE,STRTAB_BASE_CFG); one per IOMMU", 3},
	{"device", OPT_DEVICE, "ID", 0, "the device: a BDF (0000:00:03.0) or ID number, /PASID", 3},
	{NULL, 0, NULL, 0, NULL, 0},
};

error_t cli_bad_option(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out_verror(fmt, ap);
	va_end(ap);
	return CLI_OPTION_REFUSED;
}

static error_t bad_value(const char *what, const struct pgt_error *err)
{
	return cli_bad_option("%s: %s", what, cli_error_text(err));
}

static error_t config_number(const char *what, const char *arg, unsigned max, unsigned *out)
{
	CLI_ERROR(err);
	uint64_t v;
	if (pgt_parse_u64(arg, &v, err))
		return bad_value(what, err);
	if (v > max) {
		pgt_fail(err, -ERANGE, "%llu is larger than %u", (unsigned long long)v, max);
		return bad_value(what, err);
	}
	*out = (unsigned)v;
	return 0;
}

/* One of a format's own options (pgt_format_option): checked against the
 * format once it is known. */
static error_t format_option(struct source_opts *s, const char *name, const char *arg)
{
	char what[40];
	unsigned v;
	snprintf(what, sizeof(what), "--%s", name);
	error_t rc = config_number(what, arg, UINT32_MAX, &v);
	if (rc)
		return rc;
	for (unsigned i = 0; i < s->n_opts; i++)
		if (!strcmp(s->opt[i].name, name)) {
			s->opt[i].value = v;
			return 0;
		}
	if (s->n_opts == PGT_MAX_FORMAT_OPTIONS)
		return cli_bad_option("internal error: more format options than a cfg holds");
	s->opt[s->n_opts++] = (struct option_setting){name, v};
	s->given |= GIVEN_OPTION;
	return 0;
}

static error_t parse_global(int key, char *arg, struct argp_state *state)
{
	struct cli *c = state->input;
	CLI_ERROR(err);

	switch (key) {
	case 'j':
		c->json = true;
		return 0;
	case '?':
		cli_print_help(state->root_argp, ARGP_HELP_STD_HELP & ~ARGP_HELP_EXIT_OK,
			       state->name);
		c->help_shown = true;
		return 0;
	case OPT_USAGE:
		cli_print_help(state->root_argp, ARGP_HELP_USAGE, state->name);
		c->help_shown = true;
		return 0;
	case 'V':
		cli_print_version();
		c->help_shown = true;
		return 0;
	case OPT_KERNEL:
		c->src.kernel = pgt_kernel_find(arg);
		if (c->src.kernel == PGT_KERNEL_DEFAULT) {
			char list[64];
			pgt_fail(err, -EINVAL, "unknown kernel '%s' (kernels: %s)", arg,
				 pgt_kernel_list(NULL, list, sizeof(list)));
			return bad_value("--kernel", err);
		}
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static error_t parse_source(int key, char *arg, struct argp_state *state)
{
	struct source_opts *s = &((struct cli *)state->input)->src;
	CLI_ERROR(err);

	switch (key) {
	case OPT_DUMP:
	case OPT_RAWFILE:
		if (s->n_files == MAX_MEM_FILES)
			return cli_bad_option("too many memory files");
		s->file[s->n_files++] = (struct mem_file){arg, key == OPT_RAWFILE, false, 0};
		return 0;
	case OPT_BASE: {
		struct mem_file *f = s->n_files ? &s->file[s->n_files - 1] : NULL;
		if (!f || !f->raw || f->has_base)
			return cli_bad_option("--base: give it right after the --raw FILE it places");
		if (pgt_parse_u64(arg, &f->base, err))
			return bad_value("--base", err);
		f->has_base = true;
		return 0;
	}
	case OPT_FORMAT:
		s->format = arg;
		return 0;
	case OPT_ROOT:
		s->roots = arg;
		return 0;
	case OPT_IAS:
		s->given |= GIVEN_IAS;
		return config_number("--ias", arg, 64, &s->cfg.ias);
	case OPT_OAS:
		s->given |= GIVEN_OAS;
		return config_number("--oas", arg, 64, &s->cfg.oas);
	case OPT_MODE:
		return format_option(s, "mode", arg);
	case OPT_LEVELS:
		return format_option(s, "levels", arg);
	case OPT_PGSIZE_BITMAP:
		s->given |= GIVEN_PGSIZES;
		if (pgt_parse_pgsizes(arg, &s->cfg.pgsize_bitmap, err))
			return bad_value("--pgsize-bitmap", err);
		return 0;
	case OPT_QUIRKS:
		s->given |= GIVEN_QUIRKS;
		if (pgt_parse_quirks(arg, &s->cfg.quirks, err))
			return bad_value("--quirks", err);
		return 0;
	case OPT_COHERENT:
		s->given |= GIVEN_COHERENT;
		if (pgt_parse_bool(arg, &s->cfg.coherent_walk, err))
			return bad_value("--coherent-walk", err);
		return 0;
	case OPT_ENDIAN:
		if (strcmp(arg, "little") && strcmp(arg, "big"))
			return cli_bad_option("--endian: little or big");
		s->endian = true;
		s->big_endian = !strcmp(arg, "big");
		return 0;
	case OPT_CPU_PAGE:
		s->given |= GIVEN_PAGE;
		if (pgt_parse_pow2(arg, &s->cfg.cpu_page_size, err))
			return bad_value("--cpu-page-size", err);
		return 0;
	case OPT_IOMMU:
		s->iommu = arg;
		for (unsigned i = 0; i < s->n_iommu_regs; i++)
			if (!s->iommu_reg[i].kind)
				s->iommu_reg[i].kind = arg;
		return 0;
	case OPT_IOMMU_REG:
		if (s->n_iommu_regs == MAX_IOMMUS)
			return cli_bad_option("--iommu-reg: too many IOMMUs");
		s->iommu_reg[s->n_iommu_regs++] = (struct iommu_reg_opt){s->iommu, arg};
		return 0;
	case OPT_DEVICE:
		if (s->n_devices == 2)
			return cli_bad_option("--device: at most two (diff compares two devices)");
		if (!s->n_devices) {
			s->b_files = s->n_files;
			s->b_regs = s->n_iommu_regs;
		}
		s->device[s->n_devices++] = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp argp_global = {global_options, parse_global, NULL, NULL, NULL, NULL, NULL};
const struct argp argp_source = {source_options, parse_source, NULL, NULL, NULL, NULL, NULL};

/* --- what their values complete to ------------------------------------------ */

static void complete_words(struct completion *co, const char *const *words)
{
	for (; *words; words++)
		complete_add(co, *words, NULL);
}

static void complete_yes_no(struct completion *co)
{
	static const char *const words[] = {"yes", "no", NULL};
	complete_words(co, words);
}

static void complete_endian(struct completion *co)
{
	static const char *const words[] = {"little", "big", NULL};
	complete_words(co, words);
}

static void complete_iommus(struct completion *co)
{
	for (const struct pgt_iommu_kind *const *k = pgt_iommu_kinds(); *k; k++)
		complete_add(co, pgt_iommu_kind_name(*k), pgt_iommu_kind_summary(*k));
}

/* The line's --format, if it names one. */
static const struct pgt_format *line_format(const struct completion *co)
{
	const char *name = complete_option_value(co, "format");
	return name ? pgt_format_find(name) : NULL;
}

/* The quirks of the line's --format under its --kernel; every quirk when
 * no format is given. */
static void complete_quirks(struct completion *co)
{
	const struct pgt_format *fmt = line_format(co);
	const char *kernel = complete_option_value(co, "kernel");
	const char *names[65];
	unsigned n = 0;
	if (!fmt) {
		complete_list(co, pgt_quirk_names());
		return;
	}
	uint64_t quirks = pgt_format_quirks(fmt, kernel ? pgt_kernel_find(kernel) : PGT_KERNEL_DEFAULT);
	for (unsigned bit = 0; bit < 64; bit++)
		if (quirks >> bit & 1 && pgt_quirk_name(1ull << bit))
			names[n++] = pgt_quirk_name(1ull << bit);
	names[n] = NULL;
	complete_list(co, names);
}

/* A format's own option (--mode, --levels): the values it takes in the
 * line's --format, or in every format that has it. */
static void complete_format_option(struct completion *co)
{
	const struct pgt_format *given = line_format(co);
	uint64_t values = 0;
	for (const struct pgt_format *const *f = pgt_formats(); *f; f++) {
		int i = pgt_format_option_find(*f, co->option->name);
		if ((given && *f != given) || i < 0)
			continue;
		const struct pgt_format_option *o = pgt_format_option(*f, (unsigned)i);
		for (unsigned v = o->min; v <= o->max && v < 64; v++)
			values |= 1ull << v;
	}
	for (unsigned v = 0; v < 64; v++) {
		char word[4];
		snprintf(word, sizeof(word), "%u", v);
		if (values >> v & 1)
			complete_add(co, word, NULL);
	}
}

const struct option_values global_values[] = {
	{OPT_KERNEL, complete_kernels},
	{0, NULL},
};

const struct option_values source_values[] = {
	{OPT_DUMP, complete_files},
	{OPT_RAWFILE, complete_files},
	{OPT_FORMAT, complete_formats},
	{OPT_QUIRKS, complete_quirks},
	{OPT_COHERENT, complete_yes_no},
	{OPT_MODE, complete_format_option},
	{OPT_LEVELS, complete_format_option},
	{OPT_ENDIAN, complete_endian},
	{OPT_IOMMU, complete_iommus},
	{0, NULL},
};

// SPDX-License-Identifier: MIT
/*
 * Every option of every command, parsed by one function. A command's argp
 * lists the options it accepts; argp refuses the others. Errors are ours,
 * not argp's, so that --json turns them into JSON too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_DUMP = 256,
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
	OPT_USAGE,
	OPT_IOMMU,
	OPT_IOMMU_REG,
	OPT_DEVICE,
	OPT_KERNEL,
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

/* The groups' own parser: the command's parser alone hands out inputs. */
static error_t parse_group(int key, char *arg, struct argp_state *state)
{
	if (key == ARGP_KEY_INIT || key == ARGP_KEY_ARG || key == ARGP_KEY_ERROR)
		return ARGP_ERR_UNKNOWN;
	return cli_parse_opt(key, arg, state);
}

const struct argp argp_global = {global_options, parse_group, NULL, NULL, NULL, NULL, NULL};

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

const struct argp argp_source = {source_options, parse_group, NULL, NULL, NULL, NULL, NULL};

static error_t bad_value(struct argp_state *state, const char *what, const struct pgt_error *err)
{
	((struct cli *)state->input)->err_shown = true;
	out_error("%s: %s", what, err->msg);
	return EINVAL;
}

static error_t refuse(struct argp_state *state, const char *msg)
{
	((struct cli *)state->input)->err_shown = true;
	out_error("%s", msg);
	return EINVAL;
}

static error_t config_number(struct argp_state *state, const char *what, const char *arg,
			     unsigned max, unsigned *out)
{
	struct pgt_error err;
	uint64_t v;
	if (pgt_parse_u64(arg, &v, &err))
		return bad_value(state, what, &err);
	if (v > max) {
		pgt_fail(&err, -ERANGE, "%llu is larger than %u", (unsigned long long)v, max);
		return bad_value(state, what, &err);
	}
	*out = (unsigned)v;
	return 0;
}

void cli_each_option(const struct argp *argp,
		     void (*visit)(const struct argp_option *op, void *ctx), void *ctx)
{
	for (const struct argp_option *op = argp->options; op && (op->name || op->key || op->doc);
	     op++)
		if ((op->name || op->key) && !(op->flags & OPTION_DOC))
			visit(op, ctx);
	for (const struct argp_child *ch = argp->children; ch && ch->argp; ch++)
		cli_each_option(ch->argp, visit, ctx);
}

/* One of a format's own options (pgt_format_option): checked against the
 * format once it is known. */
static error_t format_option(struct argp_state *state, const char *name, const char *arg)
{
	struct source_opts *s = &((struct cli *)state->input)->src;
	char what[40];
	unsigned v;
	snprintf(what, sizeof(what), "--%s", name);
	error_t rc = config_number(state, what, arg, UINT32_MAX, &v);
	if (rc)
		return rc;
	for (unsigned i = 0; i < s->n_opts; i++)
		if (!strcmp(s->opt[i].name, name)) {
			s->opt[i].value = v;
			return 0;
		}
	if (s->n_opts == PGT_MAX_FORMAT_OPTIONS)
		return refuse(state, "internal error: more format options than a cfg holds");
	s->opt[s->n_opts++] = (struct option_setting){name, v};
	s->given |= GIVEN_OPTION;
	return 0;
}

error_t cli_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct cli *c = state->input;
	struct source_opts *s = &c->src;
	struct pgt_error err;

	switch (key) {
	case ARGP_KEY_INIT:
		for (unsigned i = 0; state->root_argp->children &&
				     state->root_argp->children[i].argp;
		     i++)
			state->child_inputs[i] = state->input;
		return 0;
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
	case 'v':
		c->verbose = true;
		return 0;
	case OPT_KERNEL:
		s->kernel = pgt_kernel_find(arg);
		if (s->kernel == PGT_KERNEL_DEFAULT) {
			char list[64];
			pgt_fail(&err, -EINVAL, "unknown kernel '%s' (kernels: %s)", arg,
				 pgt_kernel_list(NULL, list, sizeof(list)));
			return bad_value(state, "--kernel", &err);
		}
		return 0;
	case 'o':
		c->out_path = arg;
		return 0;
	case 'O':
		if (strcmp(arg, "yaml") && strcmp(arg, "text"))
			return refuse(state, "--output: valid forms are text and yaml");
		c->out_fmt = arg;
		return 0;
	case 'p':
		c->prot = arg;
		return 0;
	case 's':
		c->pgsize = arg ? arg : "";
		return 0;
	case 'D':
		c->descriptors = true;
		return 0;
	case 'f':
		c->force = true;
		return 0;
	case 'z':
		c->free_size = arg;
		return 0;
	case 'a':
		c->free_align = arg;
		return 0;
	case 'g':
		c->free_range = arg;
		return 0;
	case 'c':
		c->commands = arg;
		return 0;
	case OPT_FAULT_KIND:
		c->fault_kind = arg;
		return 0;
	case OPT_FAULT_LOG:
		c->fault_log = arg;
		return 0;
	case OPT_ALL:
		c->all = true;
		return 0;
	case 'T':
		c->trace_tlb = true;
		return 0;
	case 'R':
		c->raw_out = true;
		return 0;
	case 'E':
		c->elf_out = true;
		return 0;
	case 'l':
		c->leaves = true;
		return 0;
	case 't':
		c->tree = true;
		return 0;
	case 'S':
		c->split = true;
		return 0;
	case 'r':
		c->replace = true;
		return 0;
	case 'n':
		c->top = arg;
		return 0;
	case OPT_SCAN_BUDGET:
		c->budget = arg;
		return 0;
	case OPT_DUMP:
	case OPT_RAWFILE:
		if (s->n_files == MAX_MEM_FILES)
			return refuse(state, "too many memory files");
		s->file[s->n_files++] = (struct mem_file){arg, key == OPT_RAWFILE, false, 0};
		return 0;
	case OPT_BASE: {
		struct mem_file *f = s->n_files ? &s->file[s->n_files - 1] : NULL;
		if (!f || !f->raw || f->has_base)
			return refuse(state, "--base: give it right after the --raw FILE it places");
		if (pgt_parse_u64(arg, &f->base, &err))
			return bad_value(state, "--base", &err);
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
		return config_number(state, "--ias", arg, 64, &s->cfg.ias);
	case OPT_OAS:
		s->given |= GIVEN_OAS;
		return config_number(state, "--oas", arg, 64, &s->cfg.oas);
	case OPT_MODE:
		return format_option(state, "mode", arg);
	case OPT_LEVELS:
		return format_option(state, "levels", arg);
	case OPT_PGSIZE_BITMAP:
		s->given |= GIVEN_PGSIZES;
		if (pgt_parse_pgsizes(arg, &s->cfg.pgsize_bitmap, &err))
			return bad_value(state, "--pgsize-bitmap", &err);
		return 0;
	case OPT_QUIRKS:
		s->given |= GIVEN_QUIRKS;
		if (pgt_parse_quirks(arg, &s->cfg.quirks, &err))
			return bad_value(state, "--quirks", &err);
		return 0;
	case OPT_COHERENT:
		s->given |= GIVEN_COHERENT;
		if (pgt_parse_bool(arg, &s->cfg.coherent_walk, &err))
			return bad_value(state, "--coherent-walk", &err);
		return 0;
	case OPT_ENDIAN:
		if (strcmp(arg, "little") && strcmp(arg, "big"))
			return refuse(state, "--endian: little or big");
		s->endian = true;
		s->big_endian = !strcmp(arg, "big");
		return 0;
	case OPT_CPU_PAGE:
		s->given |= GIVEN_PAGE;
		if (pgt_parse_pow2(arg, &s->cfg.cpu_page_size, &err))
			return bad_value(state, "--cpu-page-size", &err);
		return 0;
	case OPT_IOMMU:
		s->iommu = arg;
		for (unsigned i = 0; i < s->n_iommu_regs; i++)
			if (!s->iommu_reg[i].kind)
				s->iommu_reg[i].kind = arg;
		return 0;
	case OPT_IOMMU_REG:
		if (s->n_iommu_regs == MAX_IOMMUS)
			return refuse(state, "--iommu-reg: too many IOMMUs");
		s->iommu_reg[s->n_iommu_regs++] = (struct iommu_reg_opt){s->iommu, arg};
		return 0;
	case OPT_DEVICE:
		if (s->n_devices == 2)
			return refuse(state, "--device: at most two (diff compares two devices)");
		if (!s->n_devices) {
			s->b_files = s->n_files;
			s->b_regs = s->n_iommu_regs;
		}
		s->device[s->n_devices++] = arg;
		return 0;
	case ARGP_KEY_ARG:
		if (c->n_args == MAX_ARGS)
			return refuse(state, "too many arguments");
		c->args[c->n_args++] = arg;
		return 0;
	case ARGP_KEY_ERROR:
		if (!c->err_shown)
			cli_option_error(c, state);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

// SPDX-License-Identifier: MIT
/* pgtctl scan --dump FILE --format NAME: candidate roots, best first. */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"

enum { OPT_BUDGET = 256 };

static const struct argp_option options[] = {
	{"top", 'n', "N", 0, "how many candidates to show (default 10)", 0},
	{"budget", OPT_BUDGET, "N", 0,
	 "descriptors the walks may read in all, per level count tried (default 1G); past it the "
	 "scan stops",
	 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct scan_opts {
	const char *top, *budget;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct scan_opts *o = state->input;
	switch (key) {
	case 'n':
		o->top = arg;
		return 0;
	case OPT_BUDGET:
		o->budget = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse, "--dump FILE --format NAME [CONFIG]\n--dump FILE --iommu KIND",
	"Find candidate root tables of a format in memory when the TTBR is unknown: every "
	"aligned table whose entries all decode is walked and scored by how plausible the "
	"tree below it is. Prints each candidate's root, score, tables, leaf pages and IOVA "
	"span, best first; without --ias or the format's --mode/--levels, at every level count the "
	"kernel builds the format with. With --iommu, find the IOMMU's root structure instead (device "
	"table, root table, stream table, device directory) by its shape: valid entries "
	"pointing to plausible tables; each candidate with the --iommu-reg value it implies.",
	NULL, NULL, NULL,
};

/* scan --iommu KIND: the structures, by their shape */
static int scan_iommu(struct cli *c, uint64_t top)
{
	CLI_ERROR(err);
	const struct pgt_iommu_kind *k;
	struct pgt_mem *mem;
	if (source_iommu_kind(c->src.iommu, &k, err))
		return cli_fail(EXIT_USAGE, err);
	if (c->src.n_iommu_regs || c->src.n_devices || c->src.format || c->src.roots ||
	    c->src.given)
		return cli_usage("scan --iommu finds the register: --iommu-reg, --device, --format, "
				 "--root and configuration options do not apply");
	if (source_open_files(&c->src, 0, c->src.n_files, &mem, err))
		return cli_fail(EXIT_USAGE, err);
	struct pgt_iommu_candidates *cand;
	int rc = pgt_iommu_scan(k, mem, top, &cand, err);
	pgt_mem_destroy(mem);
	if (rc)
		return cli_out_of_memory();
	size_t n = pgt_iommu_candidates_count(cand);
	out_obj_begin(NULL);
	out_str("iommu", NULL, pgt_iommu_kind_name(k));
	out_text("%-18s %9s %8s %8s %7s  %s\n", "STRUCTURE", "SCORE", "ENTRIES", "DEVICES",
		 "TABLES", "--iommu-reg");
	out_arr_begin("candidates");
	for (size_t i = 0; i < n; i++) {
		struct pgt_iommu_candidate found;
		const struct pgt_iommu_candidate *x = &found;
		pgt_iommu_candidates_get(cand, i, &found);
		out_obj_begin(NULL);
		out_hex("root", "0x%-16llx", x->pa);
		out_int("score", " %9lld", (long long)x->score);
		out_uint("entries", " %8llu", x->entries);
		out_uint("devices", " %8llu", x->devices);
		out_uint("tables", " %7llu", x->tables);
		out_uint("problems", NULL, x->problems);
		out_str("register", "  %s", x->reg);
		out_text("%s\n", x->problems ? " (some tables implausible)" : "");
		out_obj_end();
	}
	out_arr_end();
	if (!n)
		out_text("no candidate %s structures found\n", pgt_iommu_kind_name(k));
	out_obj_end();
	pgt_iommu_candidates_free(cand);
	return n ? EXIT_OK : EXIT_FAILED;
}

static void print(const struct pgt_scan_candidate *found, const unsigned *levels, size_t n,
		  const char *stopped)
{
	char b[24];
	out_obj_begin(NULL);
	out_text("%-18s %6s %9s %7s %9s %8s  %s\n", "ROOT", "LEVELS", "SCORE", "TABLES", "PAGES",
		 "MAPPED", "IOVA SPAN");
	out_arr_begin("candidates");
	for (size_t i = 0; i < n; i++) {
		const struct pgt_scan_candidate *k = &found[i];
		out_obj_begin(NULL);
		out_hex("root", "0x%-16llx", k->root);
		out_uint("levels", " %6llu", levels[i]);
		out_int("score", " %9lld", (long long)k->score);
		out_uint("tables", " %7llu", k->tables);
		out_uint("pages", " %9llu", k->leaves);
		out_hex("mapped", NULL, k->mapped);
		out_text(" %8s", pgt_fmt_size(k->mapped, b));
		out_uint("problems", NULL, k->problems);
		out_arr_begin("span");
		out_hex(NULL, "  0x%llx", k->lo);
		out_hex(NULL, "-0x%llx", k->hi);
		out_arr_end();
		out_text("%s\n", k->problems ? " (with problems)" : "");
		out_obj_end();
	}
	out_arr_end();
	if (!n && !stopped)
		out_text("no candidate tables found\n");
	out_bool("complete", NULL, !stopped);
	if (stopped)
		out_str("stopped", NULL, stopped);
	out_obj_end();
}

static int run(struct cli *c)
{
	CLI_ERROR(err);
	const struct scan_opts *o = c->opts;
	struct source_opts src = c->src;
	struct pgt_scan_opts opts = {0};
	uint64_t top = 10;

	if (c->n_args)
		return cli_usage("scan takes no arguments: the memory comes from --dump/--raw");
	if (o->top && cli_parse_number("--top", o->top, &top))
		return EXIT_USAGE;
	if (src.iommu && src.n_files)
		return scan_iommu(c, top);
	if (!src.n_files || !src.format)
		return cli_usage("scan needs --dump FILE (or --raw FILE --base PA) and --format NAME "
				 "or --iommu KIND");
	if (src.roots)
		return cli_usage("scan finds the roots: --root does not apply");
	if (o->budget && cli_parse_number("--budget", o->budget, &opts.budget))
		return EXIT_USAGE;
	if (o->budget && !opts.budget)
		return cli_usage("--budget must not be zero");
	struct pgt_mem *mem;
	const struct pgt_format *fmt;
	struct pgt_cfg *cfg;
	if (source_open_memory(&src, &mem, &fmt, &cfg, err))
		return cli_fail(EXIT_USAGE, err);
	/* without --ias or the format's option, the count is not known */
	unsigned flags = source_levels_given(&src) ? 0 : PGT_SCAN_EVERY_LEVEL_COUNT;
	struct pgt_scan_candidate *found = calloc(top ? top : 1, sizeof(*found));
	unsigned *levels = calloc(top ? top : 1, sizeof(*levels));
	size_t n = 0;
	int rc = found && levels ? pgt_scan_levels(fmt, cfg, mem, &opts, flags, found, levels, top,
						   &n, err)
				 : -ENOMEM;
	pgt_cfg_free(cfg);
	pgt_mem_destroy(mem);
	if (rc && rc != -E2BIG) {
		free(found);
		free(levels);
		if (rc == -ENOMEM)
			return cli_out_of_memory();
		/* several roots are the options' to narrow; any other refusal
		 * is the kernel's alloc's, which fails as it does for a spec */
		return cli_fail(pgt_error_remedy(err) == PGT_REMEDY_SMALLER_IAS ? EXIT_USAGE
										  : EXIT_FAILED,
				err);
	}
	print(found, levels, n, rc ? cli_error_text(err) : NULL);
	free(found);
	free(levels);
	/* the best so far are shown; the message says why there may be better */
	if (rc) {
		if (!out_json())
			out_error("%s", cli_error_text(err));
		return EXIT_FAILED;
	}
	return n ? EXIT_OK : EXIT_FAILED;
}

const struct cmd cmd_scan = {
	.name = "scan",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct scan_opts),
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "find candidate roots in a dump, best first",
};

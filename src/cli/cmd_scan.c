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

/* A candidate and the level count it was read at. */
struct found {
	struct pgt_scan_candidate c;
	unsigned levels;
};

static void print(const struct found *found, size_t n, const char *stopped)
{
	char b[24];
	out_obj_begin(NULL);
	out_text("%-18s %6s %9s %7s %9s %8s  %s\n", "ROOT", "LEVELS", "SCORE", "TABLES", "PAGES",
		 "MAPPED", "IOVA SPAN");
	out_arr_begin("candidates");
	for (size_t i = 0; i < n; i++) {
		const struct pgt_scan_candidate *k = &found[i].c;
		out_obj_begin(NULL);
		out_hex("root", "0x%-16llx", k->root);
		out_uint("levels", " %6llu", found[i].levels);
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

/* Best first, as pgt_scan_with orders them. */
static int by_score(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	if (x->c.score != y->c.score)
		return x->c.score > y->c.score ? -1 : 1;
	return x->c.root < y->c.root ? -1 : x->c.root > y->c.root;
}

/* The same leaves: a tree read whole at two level counts, the deeper
 * through a page that points at the other's root (AMD-Vi's GCR3 table
 * read as a fifth level above the v2 table it names). */
static bool same_tree(const struct pgt_scan_candidate *a, const struct pgt_scan_candidate *b)
{
	return a->leaves == b->leaves && a->mapped == b->mapped && a->lo == b->lo &&
	       a->hi == b->hi && a->problems == b->problems;
}

/* Of one tree read at two level counts, the reading to keep: at the
 * count the format's tables have by default (a 4-level table whose top
 * has one entry is not its child's 3-level tree, nor is a 4-level table
 * a fifth level's under the GCR3 table above it), else at the fewer. */
static bool preferred(unsigned levels, unsigned other, unsigned dflt)
{
	return levels == dflt || (other != dflt && levels < other);
}

/* Add a scan's candidates at this level count to the best *n of top:
 * a root found at several counts is kept at the one it scores best at,
 * and a tree found at several (under different roots) at the one
 * preferred, whatever the extra table on top of the other scores. */
static void merge(struct found *best, size_t *n, size_t top, const struct pgt_scan_candidate *cand,
		  size_t n_cand, unsigned levels, unsigned dflt)
{
	for (size_t i = 0; i < n_cand; i++) {
		const struct found f = {cand[i], levels};
		size_t k = 0;
		while (k < *n && best[k].c.root != f.c.root &&
		       !(best[k].levels != levels && same_tree(&best[k].c, &f.c)))
			k++;
		if (k < *n && best[k].c.root != f.c.root) {
			if (!preferred(levels, best[k].levels, dflt))
				continue;
		} else if (k < *n) {
			if (best[k].c.score >= f.c.score)
				continue;
		} else if (*n < top) {
			k = (*n)++;
		} else if (top && by_score(&f, &best[top - 1]) < 0) {
			k = top - 1;
		} else {
			continue;
		}
		best[k] = f;
		qsort(best, *n, sizeof(*best), by_score);
	}
}

/* Scan with cfg, at the level count it gives, into the best so far
 * (dflt: the count the format's default configuration gives). */
static int scan_one(const struct pgt_format *fmt, const struct pgt_cfg *cfg, struct pgt_mem *mem,
		    const struct pgt_scan_opts *opts, struct found *best, size_t *n, size_t top,
		    unsigned dflt, struct pgt_error *err)
{
	unsigned ias, levels;
	size_t n_cand = 0;
	source_layout(fmt, cfg, &ias, &levels);
	struct pgt_scan_candidate *cand = calloc(top ? top : 1, sizeof(*cand));
	int rc = cand ? pgt_scan_with(fmt, cfg, mem, opts, cand, top, &n_cand, err) : -ENOMEM;
	if (!rc || rc == -E2BIG)
		merge(best, n, top, cand, n_cand, levels, dflt);
	free(cand);
	return rc;
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
	/* a table read at the wrong level count reads every level wrong, so
	 * the right count scores best: without --ias or the format's option,
	 * every count its tables can have is tried */
	unsigned counts[PGT_MAX_LEVELS];
	unsigned n_counts = source_level_counts(&src, fmt, counts, PGT_MAX_LEVELS), ias, dflt;
	source_layout(fmt, cfg, &ias, &dflt);
	struct found *best = calloc(top ? top : 1, sizeof(*best));
	size_t n = 0;
	unsigned tried = 0;
	int rc = best ? 0 : -ENOMEM;
	for (unsigned i = 0; !rc && i < n_counts; i++) {
		struct pgt_cfg *at;
		if ((rc = pgt_cfg_dup(cfg, &at, err)))
			break;
		/* a count the kernel refuses with the rest of the configuration
		 * is not tried */
		if (!pgt_cfg_set_levels(fmt, at, counts[i], NULL) &&
		    !pgt_table_check_config(fmt, at, NULL)) {
			tried++;
			rc = scan_one(fmt, at, mem, &opts, best, &n, top, dflt, err);
		}
		pgt_cfg_free(at);
	}
	/* what the kernel's alloc refuses fails as it does for a spec */
	if (!rc && !tried && pgt_table_check_config(fmt, cfg, err)) {
		pgt_cfg_free(cfg);
		pgt_mem_destroy(mem);
		free(best);
		return cli_fail(EXIT_FAILED, err);
	}
	if (!rc && !tried)
		rc = scan_one(fmt, cfg, mem, &opts, best, &n, top, dflt, err);
	pgt_cfg_free(cfg);
	pgt_mem_destroy(mem);
	if (rc && rc != -E2BIG) {
		free(best);
		return rc == -ENOMEM ? cli_out_of_memory() : cli_fail(EXIT_USAGE, err);
	}
	print(best, n, rc ? cli_error_text(err) : NULL);
	free(best);
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

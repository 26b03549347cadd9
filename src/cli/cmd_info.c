// SPDX-License-Identifier: MIT
/* pgtctl info SOURCE: format, configuration, geometry, roots, registers,
 * and the table memory in use per level. */
#include "cli.h"
#include "complete.h"

static const struct argp argp = {
	NULL, NULL, "SOURCE",
	"Show the format, its configuration, the roots and registers, and table memory per level.",
	NULL, NULL, NULL,
};

struct usage {
	uint64_t tables[PGT_MAX_LEVELS], bytes[PGT_MAX_LEVELS];
	uint64_t leaves, mapped;
	struct problems problems;
};

static int count_table(void *ctx, const struct pgt_table_visit *tv)
{
	struct usage *u = ctx;
	u->tables[tv->depth]++;
	u->bytes[tv->depth] += tv->bytes;
	return 0;
}

static int count_leaf(void *ctx, const struct pgt_leaf *l)
{
	struct usage *u = ctx;
	u->leaves++;
	u->mapped += l->span;
	return 0;
}

static int count_problem(void *ctx, const struct pgt_problem *p)
{
	return problems_add(&((struct usage *)ctx)->problems, p, 0);
}

static void print_geometry(const struct pgt_table *t)
{
	const struct pgt_geometry *g = pgt_table_geometry(t);
	char b[24];
	out_obj_begin("geometry");
	out_text("geometry   ");
	unsigned n_roots = pgt_geometry_roots(g);
	bool sign_extend = pgt_geometry_sign_extend(g);
	out_uint("n_levels", "%llu levels", pgt_geometry_levels(g));
	out_hex("granule", NULL, pgt_geometry_granule(g));
	out_text(", granule %s", pgt_fmt_size(pgt_geometry_granule(g), b));
	out_uint("n_roots", ", %llu root", n_roots);
	out_text("%s", n_roots == 1 ? "" : "s");
	out_bool("sign_extend", NULL, sign_extend);
	out_text("%s\n", sign_extend ? ", sign-extended" : "");
	out_arr_begin("levels");
	for (unsigned d = 0; d < pgt_geometry_levels(g); d++) {
		const struct pgt_level_geom *l = pgt_geometry_level(g, d);
		out_obj_begin(NULL);
		out_uint("level", "  L%llu", l->label);
		out_uint("top_bit", " iova[%llu:", l->shift + l->index_bits - 1);
		out_uint("shift", "%llu]", l->shift);
		out_uint("index_bits", NULL, l->index_bits);
		out_uint("entries", "  %llu entries", 1ull << l->index_bits);
		out_hex("table_bytes", NULL, l->table_bytes);
		out_text(" in %s tables", pgt_fmt_size(l->table_bytes, b));
		char sizes[128];
		out_hex("leaf_sizes", NULL, l->leaf_sizes);
		if (l->leaf_sizes)
			out_text(", leaves %s", pgt_pgsizes_str(l->leaf_sizes, sizes, sizeof(sizes)));
		out_text("\n");
		out_obj_end();
	}
	out_arr_end();
	out_obj_end();
}

static int run(struct cli *c)
{
	struct source s;
	int status = open_sole_source(c, &s);
	if (status)
		return status;
	struct pgt_table *t = s.t;
	const struct pgt_format *f = pgt_table_format(t);
	const struct pgt_geometry *g = pgt_table_geometry(t);
	struct usage u = {0};
	struct pgt_visitor v = {.table = count_table, .leaf = count_leaf,
				.problem = count_problem, .ctx = &u};
	int rc = pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v);
	char b[24];

	out_obj_begin(NULL);
	out_str("format", "format     %s", pgt_format_name(f));
	out_str("kernel_name", " (%s)\n", pgt_format_kernel_name(f));
	out_str("kernel", "kernel     Linux %s\n", pgt_kernel_name(pgt_table_kernel(t)));
	out_str("source", "source     %s\n", s.name);
	if (s.dev) {
		out_obj_begin("device");
		print_iommu_device(s.iommu, s.dev);
		out_obj_end();
	}
	print_config(t);
	print_geometry(t);
	print_roots(t);
	print_registers(t);

	out_text("tables\n");
	out_arr_begin("tables");
	uint64_t total_t = 0, total_b = 0;
	for (unsigned d = 0; d < pgt_geometry_levels(g); d++) {
		out_obj_begin(NULL);
		out_uint("level", NULL, pgt_geometry_level(g, d)->label);
		out_text("  L%-5u", pgt_geometry_level(g, d)->label);
		out_uint("count", "%6llu", u.tables[d]);
		out_text(" table%s", u.tables[d] == 1 ? " " : "s");
		out_hex("bytes", NULL, u.bytes[d]);
		out_text("  %s\n", pgt_fmt_size(u.bytes[d], b));
		out_obj_end();
		total_t += u.tables[d];
		total_b += u.bytes[d];
	}
	out_arr_end();
	out_uint("table_count", "  total %6llu", total_t);
	out_hex("table_bytes", NULL, total_b);
	out_text(" tables  %s\n", pgt_fmt_size(total_b, b));
	out_uint("leaves", "leaves     %llu", u.leaves);
	out_hex("mapped", ", mapping 0x%llx bytes\n", u.mapped);
	uint64_t problems = u.problems.count;
	if (problems)
		out_text("problems   %llu (see 'pgtctl check')\n", (unsigned long long)problems);
	problems_print(&u.problems);
	out_obj_end();
	source_close(&s);
	if (rc)
		return cli_out_of_memory();
	return problems ? EXIT_FAILED : EXIT_OK;
}

const struct cmd cmd_info = {
	.name = "info",
	.run = run,
	.argp = &argp,
	.complete_arg = complete_source_arg,
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "format, config, registers, table memory use",
};

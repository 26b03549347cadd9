// SPDX-License-Identifier: MIT
/* pgtctl whereis SOURCE PA [SIZE]: the IOVAs that reach a physical range. */
#include "cli.h"

static const struct argp_child children[] = {
	{&argp_global, 0, NULL, 0}, {&argp_source, 0, NULL, 0}, {NULL, 0, NULL, 0}};
static const struct argp argp = {
	NULL, cli_parse_opt, "SOURCE PA [SIZE]",
	"List every IOVA range that maps onto the physical range [PA, PA+SIZE) (SIZE 1 by "
	"default), with its prot and level: the reverse of translate. Exit status 1 when none, "
	"or when the walk met problems (a malformed table hides what it maps).",
	children, NULL, NULL,
};

struct find {
	pgt_addr lo, hi; /* inclusive */
	uint64_t found;
	struct problems problems;
};

static int on_problem(void *ctx, const struct pgt_problem *p)
{
	return problems_add(&((struct find *)ctx)->problems, p, 0);
}

static int on_run(void *ctx, const struct pgt_range *r)
{
	struct find *f = ctx;
	pgt_addr pa_last = r->pa + r->size - 1;
	if (pa_last < f->lo || r->pa > f->hi)
		return 0;
	pgt_addr from = r->pa < f->lo ? f->lo : r->pa;
	pgt_addr to = pa_last > f->hi ? f->hi : pa_last;
	pgt_addr iova = r->iova + (from - r->pa);
	char b[24];
	f->found++;
	out_obj_begin(NULL);
	out_hex("iova", "0x%016llx", iova);
	out_text("-0x%016llx", (unsigned long long)(iova + (to - from)));
	out_hex("pa", " -> 0x%016llx", from);
	out_hex("size", NULL, to - from + 1);
	out_text(" %6s", pgt_fmt_size(to - from + 1, b));
	out_prot("prot", " %-4s", r->prot);
	if (r->label != ~0u)
		out_uint("level", " L%llu", r->label);
	out_text("\n");
	out_obj_end();
	return 0;
}

static int run(struct cli *c)
{
	struct source s;
	int first, status = open_source(c, &s, &first);
	uint64_t pa, size = 1;
	if (status)
		return status;
	int left = c->n_args - first;
	if ((left != 1 && left != 2) || cli_parse_number("pa", c->args[first], &pa) ||
	    (left == 2 && cli_parse_number("size", c->args[first + 1], &size))) {
		source_close(&s);
		return left == 1 || left == 2 ? EXIT_USAGE : cli_usage("whereis takes PA [SIZE]");
	}
	if (!size || pa + size - 1 < pa) {
		source_close(&s);
		return cli_usage("whereis: the range must be non-empty and not wrap");
	}
	struct find f = {.lo = pa, .hi = pa + size - 1};
	out_obj_begin(NULL);
	out_arr_begin("mappings");
	int rc = pgt_walk_ranges(s.t, pgt_table_iova_min(s.t), pgt_table_iova_max(s.t), false,
				 on_run, on_problem, &f);
	out_arr_end();
	if (!f.found)
		out_text("no IOVA maps 0x%llx-0x%llx\n", (unsigned long long)f.lo,
			 (unsigned long long)f.hi);
	uint64_t problems = f.problems.count;
	problems_print(&f.problems);
	out_obj_end();
	source_close(&s);
	if (rc)
		return cli_out_of_memory();
	return f.found && !problems ? EXIT_OK : EXIT_FAILED;
}

const struct cmd cmd_whereis = {"whereis", run, &argp, CMD_READS_SOURCE,
				"IOVA ranges that map a physical range"};

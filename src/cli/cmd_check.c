// SPDX-License-Identifier: MIT
/* pgtctl check SOURCE: every malformed descriptor, bad pointer and loop. */
#include "cli.h"
#include "complete.h"

static const struct argp argp = {
	NULL, NULL, "SOURCE",
	"Walk the whole table and list every problem: descriptors the format cannot accept, "
	"reserved or misaligned fields, table pointers outside memory or into pages a dump "
	"excluded, loops and tables reached twice; for a --device, the problems of the IOMMU's "
	"structure entries on the way to its table first. Exit status 1 when there is any.",
	NULL, NULL, NULL,
};

struct tally {
	uint64_t tables, leaves, problems;
};

static int on_table(void *ctx, const struct pgt_table_visit *tv)
{
	(void)tv;
	((struct tally *)ctx)->tables++;
	return 0;
}

static int on_leaf(void *ctx, const struct pgt_leaf *l)
{
	(void)l;
	((struct tally *)ctx)->leaves++;
	return 0;
}

static int on_problem(void *ctx, const struct pgt_problem *p)
{
	((struct tally *)ctx)->problems++;
	problem_print(&(struct problem){p->kind, p->label, p->iova, p->desc_pa, p->raw, 0,
					(char *)p->why});
	return 0;
}

static int run(struct cli *c)
{
	struct source s;
	int status = open_sole_source(c, &s);
	if (status)
		return status;
	struct tally t = {0};
	struct pgt_visitor v = {.table = on_table, .leaf = on_leaf, .problem = on_problem,
				.check_descriptors = true, .ctx = &t};
	out_obj_begin(NULL);
	out_arr_begin("problems");
	for (unsigned i = 0; s.dev && i < pgt_iommu_device_n_problems(s.dev); i++, t.problems++)
		print_iommu_problem(pgt_iommu_device_problem(s.dev, i), "");
	int rc = pgt_walk_range(s.t, pgt_table_iova_min(s.t), pgt_table_iova_max(s.t), &v);
	out_arr_end();
	out_uint("tables", t.tables == 1 ? "%llu table" : "%llu tables", t.tables);
	out_uint("leaves", t.leaves == 1 ? ", %llu leaf" : ", %llu leaves", t.leaves);
	out_uint("problem_count", t.problems == 1 ? ", %llu problem\n" : ", %llu problems\n",
		 t.problems);
	out_obj_end();
	source_close(&s);
	if (rc)
		return cli_out_of_memory();
	return t.problems ? EXIT_FAILED : EXIT_OK;
}

const struct cmd cmd_check = {
	.name = "check",
	.run = run,
	.argp = &argp,
	.complete_arg = complete_source_arg,
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "malformed descriptors, loops, bad pointers",
};

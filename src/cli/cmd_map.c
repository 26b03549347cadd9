// SPDX-License-Identifier: MIT
/* pgtctl map IMAGE IOVA PADDR SIZE: add a mapping to an IMAGE in place. */
#include "cli.h"
#include "complete.h"
#include "edit.h"

static const struct argp_option options[] = {
	{"prot", 'p', "PROT", 0, "rw (default), or letters r w c x m p, or words", 0},
	{"pgsize", 's', "SIZE", 0, "map with this page size only", 0},
	{"replace", 'r', NULL, 0,
	 "do what the kernel's map_pages does over existing mappings (tear down tables under "
	 "a block) instead of refusing",
	 0},
	{"trace-tlb", 'T', NULL, 0, "print the TLB maintenance the kernel would request", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct map_opts {
	const char *prot, *pgsize;
	bool replace;
	bool trace_tlb;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct map_opts *o = state->input;
	switch (key) {
	case 'p':
		o->prot = arg;
		return 0;
	case 's':
		o->pgsize = arg;
		return 0;
	case 'r':
		o->replace = true;
		return 0;
	case 'T':
		o->trace_tlb = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static void complete_prot(struct completion *co)
{
	complete_list(co, pgt_prot_names());
}

static const struct option_values values[] = {
	{'p', complete_prot},
	{0, NULL},
};

static const struct argp argp = {
	options, parse, "IMAGE IOVA PADDR SIZE",
	"Map [IOVA, IOVA+SIZE) to PADDR in IMAGE, split into page sizes as iommu_map() does. "
	"IMAGE is rewritten atomically; on any error it is left as it was.",
	NULL, NULL, NULL,
};

struct map_args {
	pgt_addr iova, pa;
	uint64_t size, pgsize;
	unsigned prot;
	bool replace;
};

static int do_map(struct pgt_table *t, void *ctx, struct pgt_error *err)
{
	struct map_args *a = ctx;
	return pgt_map(t, a->iova, a->pa, a->size, a->prot, a->pgsize,
		       a->replace ? PGT_MAP_REPLACE : 0, err);
}

static void report(void *ctx)
{
	struct map_args *a = ctx;
	out_text("mapped ");
	out_hex("iova", "0x%llx", a->iova);
	out_hex("size", "+0x%llx", a->size);
	out_hex("pa", " -> 0x%llx", a->pa);
	out_prot("prot", " %s\n", a->prot);
}

static int run(struct cli *c)
{
	const struct map_opts *o = c->opts;
	struct map_args a = {.prot = PGT_READ | PGT_WRITE, .replace = o->replace};
	CLI_ERROR(err);

	/* in a session the IMAGE is the loaded table */
	int i = c->session ? 0 : 1;
	if (c->n_args != i + 3)
		return cli_usage(i ? "map takes IMAGE IOVA PADDR SIZE (see 'pgtctl map --help')"
				   : "map takes IOVA PADDR SIZE");
	if (cli_parse_number("iova", c->args[i], &a.iova) ||
	    cli_parse_number("paddr", c->args[i + 1], &a.pa) ||
	    cli_parse_number("size", c->args[i + 2], &a.size) ||
	    (o->pgsize && cli_parse_number("--pgsize", o->pgsize, &a.pgsize)))
		return EXIT_USAGE;
	if (o->prot && pgt_parse_prot(o->prot, &a.prot, err)) {
		pgt_error_prefix(err, "--prot");
		return cli_fail(EXIT_USAGE, err);
	}
	return edit_image(c, i ? c->args[0] : NULL, o->trace_tlb, do_map, report, &a);
}

const struct cmd cmd_map = {
	.name = "map",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct map_opts),
	.values = values,
	.complete_arg = complete_source_arg,
	.flags = CMD_WRITES_IMAGE,
	.summary = "map a range in an IMAGE",
};

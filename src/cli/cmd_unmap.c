// SPDX-License-Identifier: MIT
/* pgtctl unmap IMAGE IOVA SIZE: remove a range from an IMAGE in place. */
#include "cli.h"
#include "complete.h"
#include "edit.h"

static const struct argp_option options[] = {
	{"split", 'S', NULL, 0, "split a block the range covers in part, as Linux 6.12 did", 0},
	{"trace-tlb", 'T', NULL, 0, "print the TLB maintenance the kernel would request", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct unmap_opts {
	bool split;
	bool trace_tlb;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct unmap_opts *o = state->input;
	(void)arg;
	switch (key) {
	case 'S':
		o->split = true;
		return 0;
	case 'T':
		o->trace_tlb = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse, "IMAGE IOVA SIZE",
	"Unmap [IOVA, IOVA+SIZE) from IMAGE as iommu_unmap() does. Part of a block is refused "
	"unless --split. IMAGE is rewritten atomically; on any error it is left as it was.",
	NULL, NULL, NULL,
};

struct unmap_args {
	pgt_addr iova;
	uint64_t size, unmapped;
	bool split;
};

static int do_unmap(struct pgt_table *t, void *ctx, struct pgt_error *err)
{
	struct unmap_args *a = ctx;
	return pgt_unmap(t, a->iova, a->size, a->split ? PGT_SPLIT_612 : PGT_SPLIT_REFUSE,
			 &a->unmapped, err);
}

static void report(void *ctx)
{
	struct unmap_args *a = ctx;
	out_text("unmapped ");
	out_hex("iova", "0x%llx", a->iova);
	out_hex("size", "+0x%llx\n", a->unmapped);
}

static int run(struct cli *c)
{
	const struct unmap_opts *o = c->opts;
	struct unmap_args a = {.split = o->split};
	int i = c->session ? 0 : 1; /* in a session the IMAGE is the loaded table */
	if (c->n_args != i + 2)
		return cli_usage(i ? "unmap takes IMAGE IOVA SIZE (see 'pgtctl unmap --help')"
				   : "unmap takes IOVA SIZE");
	if (cli_parse_number("iova", c->args[i], &a.iova) ||
	    cli_parse_number("size", c->args[i + 1], &a.size))
		return EXIT_USAGE;
	return edit_image(c, i ? c->args[0] : NULL, o->trace_tlb, do_unmap, report, &a);
}

const struct cmd cmd_unmap = {
	.name = "unmap",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct unmap_opts),
	.complete_arg = complete_source_arg,
	.flags = CMD_WRITES_IMAGE,
	.summary = "unmap a range in an IMAGE",
};

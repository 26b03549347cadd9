// SPDX-License-Identifier: MIT
/* pgtctl build SPEC -o IMAGE: build the table a YAML spec describes. */
#include "cli.h"

static const struct argp_option options[] = {
	{NULL, 'o', "IMAGE", 0, "write the table here (atomically; - is standard output)", 0},
	{"raw", 'R', NULL, 0, "write flat table memory instead of an IMAGE", 0},
	{"trace-tlb", 'T', NULL, 0, "print the TLB maintenance the kernel would request", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};
static const struct argp_child children[] = {{&argp_global, 0, NULL, 0}, {NULL, 0, NULL, 0}};
static const struct argp argp = {
	options, cli_parse_opt, "SPEC.yaml",
	"Build the table a YAML spec describes (see pgtctl-spec(5)) and print its registers.",
	children, NULL, NULL,
};

static int run(struct cli *c)
{
	struct pgt_spec spec;
	struct pgt_error err = {0};
	struct pgt_mem *arena = NULL;
	struct pgt_table *t = NULL;
	int status = EXIT_OK;

	if (c->n_args != 1)
		return cli_usage("build takes one SPEC file (see 'pgtctl build --help')");
	if ((status = cli_data_output(c, c->out_path)))
		return status;
	if (pgt_spec_load(c->args[0], c->src.kernel, &spec, &err))
		return cli_fail(EXIT_USAGE, &err);

	out_obj_begin(NULL);
	trace_begin(NULL, c->trace_tlb);
	int rc = pgt_spec_build(&spec, c->trace_tlb ? &trace_events : NULL, NULL, &arena, &t, &err);
	trace_end(c->trace_tlb);
	pgt_spec_free(&spec);
	if (rc) {
		status = cli_fail(EXIT_FAILED, &err);
		goto out;
	}
	if (c->out_path && pgt_image_write(t, c->out_path, c->raw_out, &err)) {
		status = cli_fail(EXIT_FAILED, &err);
		goto out;
	}
	out_str("format", "format     %s\n", pgt_format_name(pgt_table_format(t)));
	out_str("kernel", "kernel     Linux %s\n", pgt_kernel_name(pgt_table_cfg(t)->kernel));
	if (c->out_path)
		out_str(c->raw_out ? "raw" : "image", c->raw_out ? "raw        %s\n" : "image      %s\n",
			c->out_path);
	print_roots(t);
	print_registers(t);
out:
	out_obj_end();
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	return status;
}

const struct cmd cmd_build = {"build", run, &argp, 0, "build a table from a YAML spec"};

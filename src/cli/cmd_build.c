// SPDX-License-Identifier: MIT
/* pgtctl build SPEC -o IMAGE: build the table a YAML spec describes. */
#include "cli.h"
#include "complete.h"

static const struct argp_option options[] = {
	{NULL, 'o', "IMAGE", 0, "write the table here (atomically; - is standard output)", 0},
	{"raw", 'R', NULL, 0, "write flat table memory instead of an IMAGE", 0},
	{"trace-tlb", 'T', NULL, 0, "print the TLB maintenance the kernel would request", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct build_opts {
	const char *out_path;
	bool raw;
	bool trace_tlb;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct build_opts *o = state->input;
	switch (key) {
	case 'o':
		o->out_path = arg;
		return 0;
	case 'R':
		o->raw = true;
		return 0;
	case 'T':
		o->trace_tlb = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct option_values values[] = {
	{'o', complete_files},
	{0, NULL},
};

static const struct argp argp = {
	options, parse, "SPEC.yaml",
	"Build the table a YAML spec describes (see pgtctl-spec(5)) and print its registers.",
	NULL, NULL, NULL,
};

static int run(struct cli *c)
{
	const struct build_opts *o = c->opts;
	struct pgt_spec *spec;
	CLI_ERROR(err);
	struct pgt_mem *arena = NULL;
	struct pgt_table *t = NULL;
	int status = EXIT_OK;

	if (c->n_args != 1)
		return cli_usage("build takes one SPEC file (see 'pgtctl build --help')");
	if ((status = cli_data_output(c, o->out_path)))
		return status;
	if (pgt_spec_load(c->args[0], c->src.kernel, &spec, err))
		return cli_fail(EXIT_USAGE, err);

	out_obj_begin(NULL);
	trace_begin(NULL, o->trace_tlb);
	int rc = pgt_spec_build(spec, o->trace_tlb ? &trace_events : NULL, NULL, &arena, &t, err);
	trace_end(o->trace_tlb);
	pgt_spec_free(spec);
	if (rc) {
		status = cli_fail(EXIT_FAILED, err);
		goto out;
	}
	if (o->out_path && pgt_image_write(t, o->out_path,
					     (o->raw ? PGT_IMAGE_RAW : 0) | PGT_IMAGE_REMOVE_STALE,
					     err)) {
		status = cli_fail(EXIT_FAILED, err);
		goto out;
	}
	out_str("format", "format     %s\n", pgt_format_name(pgt_table_format(t)));
	out_str("kernel", "kernel     Linux %s\n", pgt_kernel_name(pgt_table_kernel(t)));
	if (o->out_path)
		out_str(o->raw ? "raw" : "image", o->raw ? "raw        %s\n" : "image      %s\n",
			o->out_path);
	print_roots(t);
	print_registers(t);
out:
	out_obj_end();
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	return status;
}

const struct cmd cmd_build = {
	.name = "build",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct build_opts),
	.values = values,
	.complete_arg = complete_files,
	.summary = "build a table from a YAML spec",
};

// SPDX-License-Identifier: MIT
/* pgtctl emit SOURCE -o OUT --raw|--elf: convert a table to another file form. */
#include "cli.h"
#include "complete.h"

static const struct argp_option options[] = {
	{NULL, 'o', "OUT", 0, "the file to write (atomically; - is standard output)", 0},
	{"raw", 'R', NULL, 0, "flat table memory from its base address", 0},
	{"elf", 'E', NULL, 0, "an IMAGE (ELF core with a PGTCTL note)", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct emit_opts {
	const char *out_path;
	bool raw, elf;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct emit_opts *o = state->input;
	switch (key) {
	case 'o':
		o->out_path = arg;
		return 0;
	case 'R':
		o->raw = true;
		return 0;
	case 'E':
		o->elf = true;
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
	options, parse, "IMAGE -o OUT --raw|--elf",
	"Write the table of IMAGE (or of a spec) as flat memory or as an IMAGE, laid out "
	"canonically: roots first, then every table in depth-first IOVA order.",
	NULL, NULL, NULL,
};

static int run(struct cli *c)
{
	const struct emit_opts *o = c->opts;
	CLI_ERROR(err);
	struct source s;
	if (o->raw == o->elf)
		return cli_usage("emit needs exactly one of --raw and --elf");
	if (!o->out_path)
		return cli_usage("emit needs -o OUT");
	int status = cli_data_output(c, o->out_path);
	if (status || (status = open_sole_source(c, &s)))
		return status;
	if (pgt_image_write(s.t, o->out_path, (o->raw ? PGT_IMAGE_RAW : 0) | PGT_IMAGE_REMOVE_STALE,
			    err))
		status = cli_fail(EXIT_FAILED, err);
	out_obj_begin(NULL);
	if (!status) {
		out_str("output", "wrote %s", o->out_path);
		out_hex("base", " (table memory from 0x%llx)\n", pgt_table_mem_base(s.t));
	}
	out_obj_end();
	source_close(&s);
	return status;
}

const struct cmd cmd_emit = {
	.name = "emit",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct emit_opts),
	.values = values,
	.complete_arg = complete_source_arg,
	.summary = "convert an IMAGE to raw memory or ELF",
};

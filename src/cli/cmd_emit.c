// SPDX-License-Identifier: MIT
/* pgtctl emit SOURCE -o OUT --raw|--elf: convert a table to another file form. */
#include "cli.h"

static const struct argp_option options[] = {
	{NULL, 'o', "OUT", 0, "the file to write (atomically; - is standard output)", 0},
	{"raw", 'R', NULL, 0, "flat table memory from its base address", 0},
	{"elf", 'E', NULL, 0, "an IMAGE (ELF core with a PGTCTL note)", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};
static const struct argp_child children[] = {{&argp_global, 0, NULL, 0}, {NULL, 0, NULL, 0}};
static const struct argp argp = {
	options, cli_parse_opt, "IMAGE -o OUT --raw|--elf",
	"Write the table of IMAGE (or of a spec) as flat memory or as an IMAGE, laid out "
	"canonically: roots first, then every table in depth-first IOVA order.",
	children, NULL, NULL,
};

static int run(struct cli *c)
{
	struct pgt_error err = {0};
	struct source s;
	if (c->raw_out == c->elf_out)
		return cli_usage("emit needs exactly one of --raw and --elf");
	if (!c->out_path)
		return cli_usage("emit needs -o OUT");
	int status = cli_data_output(c, c->out_path);
	if (status || (status = open_sole_source(c, &s)))
		return status;
	if (pgt_image_write(s.t, c->out_path, c->raw_out, &err))
		status = cli_fail(EXIT_FAILED, &err);
	out_obj_begin(NULL);
	if (!status) {
		out_str("output", "wrote %s", c->out_path);
		out_hex("base", " (table memory from 0x%llx)\n", pgt_table_mem_base(s.t));
	}
	out_obj_end();
	source_close(&s);
	return status;
}

const struct cmd cmd_emit = {"emit", run, &argp, 0, "convert an IMAGE to raw memory or ELF"};

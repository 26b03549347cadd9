// SPDX-License-Identifier: MIT
/* pgtctl translate SOURCE IOVA...|-: what each IOVA maps to, and with -v
 * the whole walk: every level's descriptor, decoded, and why it stopped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "complete.h"

static const struct argp_option options[] = {
	{"verbose", 'v', NULL, 0, "show the walk: every level's descriptor, decoded", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct translate_opts {
	bool verbose;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct translate_opts *o = state->input;
	(void)arg;
	if (key != 'v')
		return ARGP_ERR_UNKNOWN;
	o->verbose = true;
	return 0;
}

static const struct argp argp = {
	options, parse, "SOURCE IOVA...\nSOURCE -",
	"Translate IOVAs: physical address, page size, level, prot. '-' reads IOVAs from "
	"standard input, one a line (in a session: the lines of CMD - <<END, or CMD - <FILE). "
	"Exit status 1 when an IOVA is not mapped.",
	NULL, NULL, NULL,
};

/* One IOVA; returns true when it translates. */
static bool translate_one(struct cli *c, struct source *s, pgt_addr iova)
{
	struct pgt_walk w;
	bool ok = pgt_translate(s->t, iova, &w);
	const struct pgt_walk_step *last = w.n_steps ? &w.step[w.n_steps - 1] : NULL;
	char b[24];
	const struct translate_opts *o = c->opts;

	out_obj_begin(NULL);
	out_hex("iova", "0x%llx", iova);
	if (ok) {
		out_hex("pa", " -> 0x%llx", w.pa);
		out_hex("size", NULL, last->e.size);
		out_text("  %s", pgt_fmt_size(last->e.size, b));
		out_uint("level", "  L%llu", last->label);
		out_prot("prot", "  %s", last->e.prot);
		out_hex("desc", "  desc 0x%016llx", last->e.raw);
	} else {
		out_null("pa", " -> not mapped");
		if (last) {
			out_uint("level", NULL, last->label);
			out_hex("desc", NULL, last->e.raw);
		}
		out_str("stop", NULL, pgt_stop_name(w.stop));
		out_str("why", " (%s)", w.why);
	}
	out_text("\n");
	if (o->verbose)
		print_walk(s->t, &w);
	out_obj_end();
	return ok;
}

/* IOVAs one a line from '-': standard input, or a session's data. */
static int translate_input(struct cli *c, struct source *s, FILE *in, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int status = EXIT_OK;
	unsigned long lineno = 0;

	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		uint64_t iova;
		struct pgt_error err;
		if (pgt_parse_u64(p, &iova, &err)) {
			out_error("%s:%lu: %s", name, lineno, err.msg);
			status = EXIT_USAGE;
			continue;
		}
		if (!translate_one(c, s, iova) && status == EXIT_OK)
			status = EXIT_FAILED;
	}
	free(line);
	return status;
}

static int run(struct cli *c)
{
	struct source s;
	int first, status = open_source(c, &s, &first);
	if (status)
		return status;
	if (first >= c->n_args) {
		source_close(&s);
		return cli_usage("translate needs IOVAs, or '-' to read them from standard input");
	}
	bool from_stdin = first + 1 == c->n_args && !strcmp(c->args[first], "-");
	FILE *in = NULL;
	const char *in_name = NULL;
	if (from_stdin && (status = cli_input(c, &in, &in_name))) {
		source_close(&s);
		return status;
	}
	uint64_t *iovas = calloc((size_t)c->n_args, sizeof(*iovas));
	if (!iovas) {
		source_close(&s);
		return cli_out_of_memory();
	}
	if (!from_stdin)
		for (int i = first; i < c->n_args; i++)
			if (cli_parse_number("iova", c->args[i], &iovas[i])) {
				free(iovas);
				source_close(&s);
				return EXIT_USAGE;
			}
	out_arr_begin(NULL);
	if (from_stdin)
		status = translate_input(c, &s, in, in_name);
	else
		for (int i = first; i < c->n_args; i++)
			if (!translate_one(c, &s, iovas[i]))
				status = EXIT_FAILED;
	out_arr_end();
	free(iovas);
	source_close(&s);
	return status;
}

const struct cmd cmd_translate = {
	.name = "translate",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct translate_opts),
	.complete_arg = complete_source_arg,
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "translate IOVAs: PA, page size, level, prot",
};

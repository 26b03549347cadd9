// SPDX-License-Identifier: MIT
/* pgtctl translate SOURCE IOVA...|-: what each IOVA maps to, and with -v
 * the whole walk: every level's descriptor, decoded, and why it stopped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct argp_option options[] = {
	{"verbose", 'v', NULL, 0, "show the walk: every level's descriptor, decoded", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};
static const struct argp_child children[] = {
	{&argp_global, 0, NULL, 0}, {&argp_source, 0, NULL, 0}, {NULL, 0, NULL, 0}};
static const struct argp argp = {
	options, cli_parse_opt, "SOURCE IOVA...\nSOURCE -",
	"Translate IOVAs: physical address, page size, level, prot. '-' reads IOVAs from "
	"standard input, one a line (in a session: the lines of CMD - <<END, or CMD - <FILE). "
	"Exit status 1 when an IOVA is not mapped.",
	children, NULL, NULL,
};

/* One IOVA, walked in w; returns true when it translates. */
static bool translate_one(struct cli *c, struct source *s, struct pgt_walk *w, pgt_addr iova)
{
	bool ok = pgt_translate(s->t, iova, w);
	unsigned n = pgt_walk_steps(w);
	const struct pgt_walk_step *last = n ? pgt_walk_at(w, n - 1) : NULL;
	char b[24];

	out_obj_begin(NULL);
	out_hex("iova", "0x%llx", iova);
	if (ok) {
		out_hex("pa", " -> 0x%llx", pgt_walk_pa(w));
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
		out_str("stop", NULL, pgt_stop_name(pgt_walk_stop(w)));
		out_str("why", " (%s)", pgt_walk_why(w));
	}
	out_text("\n");
	if (c->verbose)
		print_walk(s->t, w);
	out_obj_end();
	return ok;
}

/* IOVAs one a line from '-': standard input, or a session's data. */
static int translate_input(struct cli *c, struct source *s, struct pgt_walk *w, FILE *in,
			   const char *name)
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
		CLI_ERROR(err);
		if (pgt_parse_u64(p, &iova, err)) {
			out_error("%s:%lu: %s", name, lineno, cli_error_text(err));
			status = EXIT_USAGE;
			continue;
		}
		if (!translate_one(c, s, w, iova) && status == EXIT_OK)
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
	struct pgt_walk *w = NULL;
	if (!iovas || pgt_walk_new(&w, NULL)) {
		free(iovas);
		source_close(&s);
		return cli_out_of_memory();
	}
	if (!from_stdin)
		for (int i = first; i < c->n_args; i++)
			if (cli_parse_number("iova", c->args[i], &iovas[i])) {
				pgt_walk_free(w);
				free(iovas);
				source_close(&s);
				return EXIT_USAGE;
			}
	out_arr_begin(NULL);
	if (from_stdin)
		status = translate_input(c, &s, w, in, in_name);
	else
		for (int i = first; i < c->n_args; i++)
			if (!translate_one(c, &s, w, iovas[i]))
				status = EXIT_FAILED;
	out_arr_end();
	pgt_walk_free(w);
	free(iovas);
	source_close(&s);
	return status;
}

const struct cmd cmd_translate = {"translate", run, &argp, CMD_READS_SOURCE,
				  "translate IOVAs: PA, page size, level, prot"};

// SPDX-License-Identifier: MIT
/* pgtctl dump SOURCE: the mappings (coalesced), every leaf, the tree of
 * tables, or a spec that rebuilds the table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "complete.h"

static const struct argp_option options[] = {
	{"leaves", 'l', NULL, 0, "one line per leaf descriptor, with its level and value", 0},
	{"tree", 't', NULL, 0, "the tables and their entries, indented by level", 0},
	{"output", 'O', "FORM", 0, "text (default) or yaml: a spec that rebuilds the table", 0},
	{NULL, 'o', "FILE", 0, "with --output yaml, write the spec here (atomically; - is standard output)", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct dump_opts {
	bool leaves, tree;
	bool yaml;	      /* --output yaml */
	const char *out_path; /* -o */
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct dump_opts *o = state->input;
	switch (key) {
	case 'l':
		o->leaves = true;
		return 0;
	case 't':
		o->tree = true;
		return 0;
	case 'O':
		if (strcmp(arg, "yaml") && strcmp(arg, "text"))
			return cli_bad_option("--output: valid forms are text and yaml");
		o->yaml = !strcmp(arg, "yaml");
		return 0;
	case 'o':
		o->out_path = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static void complete_output(struct completion *co)
{
	complete_add(co, "text", "the mappings, leaves or tree (default)");
	complete_add(co, "yaml", "a spec that rebuilds the table");
}

static const struct option_values values[] = {
	{'O', complete_output},
	{'o', complete_files},
	{0, NULL},
};

static const struct argp argp = {
	options, parse, "SOURCE",
	"Print the table's mappings: coalesced ranges of one page size and prot (default), "
	"leaf descriptors (--leaves), the tree of tables (--tree), or a YAML spec (--output yaml).",
	NULL, NULL, NULL,
};

struct dump {
	struct pgt_table *t;
	struct problems problems;
	/* --tree: tables still open, innermost last */
	unsigned open_depth[PGT_MAX_LEVELS + 1];
	unsigned n_open;
};

static int on_problem(void *ctx, const struct pgt_problem *p)
{
	return problems_add(&((struct dump *)ctx)->problems, p, 0);
}

static int on_range(void *ctx, const struct pgt_range *r)
{
	(void)ctx;
	char b[24];
	out_obj_begin(NULL);
	out_hex("iova", "0x%016llx", r->iova);
	out_text("-0x%016llx", (unsigned long long)(r->iova + r->size - 1));
	out_hex("pa", " -> 0x%016llx", r->pa);
	out_hex("size", NULL, r->size);
	out_text(" %6s", pgt_fmt_size(r->size, b));
	out_prot("prot", " %-4s", r->prot);
	out_hex("pgsize", NULL, r->pgsize);
	out_text(" %llu x %s\n", (unsigned long long)(r->size / r->pgsize),
		 pgt_fmt_size(r->pgsize, b));
	out_obj_end();
	return 0;
}

/* A leaf: its line, or its object's members. */
static const struct out_field leaf_line[] = {
	OUT_FIELD("level", OUT_UINT, "L", 0),
	OUT_FIELD("iova", OUT_HEX, " 0x", 16),
	OUT_FIELD("pa", OUT_HEX, " -> 0x", 16),
	OUT_FIELD("size", OUT_SIZE, " ", 5),
	OUT_FIELD("prot", OUT_PROT, " ", 4),
	OUT_JSON_FIELD("pgsize", OUT_HEX),
	OUT_FIELD("desc", OUT_HEX, " desc 0x", 16),
	OUT_FIELD("desc_pa", OUT_HEX, " @0x", 0),
	OUT_FIELDS_END("\n"),
};

static void leaf_fields(const struct pgt_leaf *l)
{
	out_fields(leaf_line, (const uint64_t[]){l->label, l->iova, l->pa, l->span, l->prot,
						 l->size, l->raw, l->desc_pa});
}

static int on_leaf(void *ctx, const struct pgt_leaf *l)
{
	(void)ctx;
	out_obj_begin(NULL);
	leaf_fields(l);
	out_obj_end();
	return 0;
}

/* --tree: JSON nests each table's entries inside it; text indents. */
static void close_tables(struct dump *d, unsigned depth)
{
	while (d->n_open && d->open_depth[d->n_open - 1] >= depth) {
		out_arr_end();
		out_obj_end();
		d->n_open--;
	}
}

static int tree_table(void *ctx, const struct pgt_table_visit *tv)
{
	struct dump *d = ctx;
	const struct pgt_geometry *g = pgt_table_geometry(d->t);
	close_tables(d, tv->depth);
	out_obj_begin(NULL);
	out_text("%*s", (int)(2 * tv->depth), "");
	if (tv->depth == 0)
		out_text("root %u ", tv->root);
	else
		out_hex("desc", "desc 0x%016llx -> ", tv->raw);
	out_uint("level", "L%llu table", tv->label);
	out_hex("pa", " 0x%llx", tv->pa);
	out_hex("iova", " iova 0x%llx", tv->iova);
	out_uint("entries", " (%llu entries)\n", 1ull << pgt_geometry_level(g, tv->depth)->index_bits);
	out_arr_begin("entries");
	d->open_depth[d->n_open++] = tv->depth;
	return 0;
}

static int tree_leaf(void *ctx, const struct pgt_leaf *l)
{
	struct dump *d = ctx;
	close_tables(d, l->depth + 1);
	out_obj_begin(NULL);
	out_text("%*s", (int)(2 * (l->depth + 1)), "");
	leaf_fields(l);
	out_obj_end();
	return 0;
}

/* The spec as text or as a JSON string, or with -o written to FILE. */
static int dump_yaml(struct cli *c, struct source *s)
{
	const struct dump_opts *o = c->opts;
	CLI_ERROR(err);
	char name[256], comment[512];
	/* one comment line, whatever the name holds */
	escape_str(name, sizeof(name), s->name, ESCAPE_TEXT);
	snprintf(comment, sizeof(comment), "pgtctl dump --output yaml of %s", name);
	if (!o->out_path && !out_json()) /* streamed: a spec can be large */
		return pgt_spec_emit(s->t, comment, stdout, err) ? cli_fail(EXIT_FAILED, err)
								  : EXIT_OK;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return cli_out_of_memory();
	int rc = pgt_spec_emit(s->t, comment, f, err);
	fclose(f);
	if (!rc && o->out_path)
		rc = pgt_write_file(o->out_path, buf, len, PGT_REPLACE_REMOVE_STALE, err);
	if (!rc) {
		out_obj_begin(NULL);
		out_str("format", NULL, pgt_format_name(pgt_table_format(s->t)));
		if (o->out_path)
			out_str("output", NULL, o->out_path);
		else
			out_document("spec", buf);
		out_obj_end();
	}
	free(buf);
	return rc ? cli_fail(EXIT_FAILED, err) : EXIT_OK;
}

static int run(struct cli *c)
{
	const struct dump_opts *o = c->opts;
	struct source s;
	int status = open_sole_source(c, &s);
	if (status)
		return status;
	if (o->yaml) {
		if (!(status = cli_data_output(c, o->out_path)))
			status = dump_yaml(c, &s);
		source_close(&s);
		return status;
	}
	struct pgt_table *t = s.t;
	struct dump d = {.t = t};
	pgt_addr lo = pgt_table_iova_min(t), hi = pgt_table_iova_max(t);
	int rc;

	out_obj_begin(NULL);
	out_str("format", NULL, pgt_format_name(pgt_table_format(t)));
	if (o->tree) {
		struct pgt_visitor v = {.table = tree_table, .leaf = tree_leaf,
					.problem = on_problem, .ctx = &d};
		out_arr_begin("tables");
		rc = pgt_walk_range(t, lo, hi, &v);
		close_tables(&d, 0);
		out_arr_end();
	} else if (o->leaves) {
		struct pgt_visitor v = {.leaf = on_leaf, .problem = on_problem, .ctx = &d};
		out_arr_begin("mappings");
		rc = pgt_walk_range(t, lo, hi, &v);
		out_arr_end();
	} else {
		out_arr_begin("mappings");
		rc = pgt_walk_ranges(t, lo, hi, true, on_range, on_problem, &d);
		out_arr_end();
	}
	uint64_t problems = d.problems.count;
	problems_print(&d.problems);
	out_obj_end();
	source_close(&s);
	if (rc)
		return cli_out_of_memory();
	return problems ? EXIT_FAILED : EXIT_OK;
}

const struct cmd cmd_dump = {
	.name = "dump",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct dump_opts),
	.values = values,
	.complete_arg = complete_source_arg,
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "print mappings, leaves, the table tree, or a spec",
};

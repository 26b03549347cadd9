// SPDX-License-Identifier: MIT
/* pgtctl diff A B: what two tables map differently; exit 1 if anything. */
#include <errno.h>
#include <stdio.h>

#include "cli.h"
#include "complete.h"

static const struct argp_option options[] = {
	{"pgsize", 's', NULL, 0, "also report ranges mapped alike with another page size", 0},
	{"descriptors", 'D', NULL, 0,
	 "the kernel, configuration, layout and registers that differ, then every descriptor "
	 "that differs and its fields (two tables of one format)",
	 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct diff_opts {
	bool pgsize;
	bool descriptors;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct diff_opts *o = state->input;
	(void)arg;
	switch (key) {
	case 's':
		o->pgsize = true;
		return 0;
	case 'D':
		o->descriptors = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse,
	"A B\nA --dump FILE --format NAME --root PA [CONFIG]\n--dump FILE --iommu KIND "
	"--iommu-reg VALUE --device A --device B",
	"Compare two tables, of any formats: ranges mapped only in A, only in B, and mapped in "
	"both to another physical address or prot (--pgsize: or page size), one line each in "
	"IOVA order, then a summary. With memory options, B is that memory. Two --device "
	"options compare two devices' tables; --dump and --iommu-reg options given after the "
	"first --device are B's (one device in two dumps). Exit status 0 when "
	"they are the same, 1 when they differ, 2 on error.",
	NULL, NULL, NULL,
};

struct tally {
	uint64_t n[3], bytes[3];
	struct problems problems;
	bool pgsize;
};

static const char *const kind_key[] = {"only-a", "only-b", "changed"};

static void side(const char *key, const struct pgt_diff_side *s, bool show_pgsize)
{
	char b[24];
	out_obj_begin(key);
	out_hex("pa", " 0x%llx", s->pa);
	out_prot("prot", " %s", s->prot);
	out_hex("pgsize", NULL, s->pgsize);
	if (show_pgsize)
		out_text(" %s", s->pgsize ? pgt_fmt_size(s->pgsize, b) : "mixed");
	out_obj_end();
}

static int on_range(void *ctx, const struct pgt_diff_range *r)
{
	struct tally *t = ctx;
	static const char mark[] = "-+!";
	char b[24];
	t->n[r->kind]++;
	t->bytes[r->kind] += r->size;
	out_obj_begin(NULL);
	out_str("kind", NULL, kind_key[r->kind]);
	out_text("%c ", mark[r->kind]);
	out_hex("iova", "0x%016llx", r->iova);
	out_text("-0x%016llx", (unsigned long long)(r->iova + r->size - 1));
	out_hex("size", NULL, r->size);
	out_text(" %6s ", pgt_fmt_size(r->size, b));
	if (r->kind == PGT_DIFF_ONLY_B)
		out_null("a", NULL);
	else {
		out_text(r->kind == PGT_DIFF_CHANGED ? " A" : "");
		side("a", &r->a, t->pgsize);
	}
	if (r->kind == PGT_DIFF_ONLY_A)
		out_null("b", NULL);
	else {
		out_text(r->kind == PGT_DIFF_CHANGED ? "  B" : "");
		side("b", &r->b, t->pgsize);
	}
	out_text("%s\n", r->kind == PGT_DIFF_ONLY_A ? "  (only in A)" :
			 r->kind == PGT_DIFF_ONLY_B ? "  (only in B)" : "");
	out_obj_end();
	return 0;
}

static int on_problem(void *ctx, char which, const struct pgt_problem *p)
{
	return problems_add(&((struct tally *)ctx)->problems, p, which);
}

static void desc_side(const char *key, pgt_addr pa, uint64_t raw, const char *label)
{
	out_obj_begin(key);
	out_text("  %s @0x%llx = ", label, (unsigned long long)pa);
	out_hex("desc_pa", NULL, pa);
	out_hex("desc", "0x%016llx\n", raw);
	out_obj_end();
}

struct dctx {
	struct pgt_table *a, *b;
	uint64_t n;
};

/* Named values that differ, "name a -> b" each, after first and then sep
 * in text. */
struct values {
	const char *first, *sep;
	size_t n;
};

static int print_value(void *ctx, const struct pgt_diff_value *v)
{
	struct values *p = ctx;
	out_obj_begin(NULL);
	out_text("%s", p->n++ ? p->sep : p->first);
	out_str("name", "%s", v->name);
	out_str("a", " %s", v->a);
	out_str("b", " -> %s", v->b);
	out_obj_end();
	return 0;
}

static int on_desc(void *ctx, const struct pgt_diff_desc *d)
{
	struct dctx *x = ctx;
	struct pgt_entry ea, eb;
	struct values v = {": ", ", ", 0};
	pgt_table_decode(x->a, d->depth, d->raw_a, &ea);
	pgt_table_decode(x->b, d->depth, d->raw_b, &eb);
	static const char *const kinds[] = {"empty", "table", "leaf", "malformed"};
	x->n++;
	out_obj_begin(NULL);
	out_uint("level", "L%llu", d->label);
	out_hex("iova", " iova 0x%llx", d->iova);
	out_text(": %s -> %s", kinds[ea.kind], kinds[eb.kind]);
	out_arr_begin("fields");
	pgt_diff_desc_fields(x->a, x->b, d, print_value, &v);
	out_arr_end();
	out_text("\n");
	desc_side("a", d->desc_pa_a, d->raw_a, "A");
	desc_side("b", d->desc_pa_b, d->raw_b, "B");
	out_obj_end();
	return 0;
}

/*
 * diff --descriptors: what differs in the tables' set-up by name (kernel,
 * configuration, layout, registers), then, when both lay out their memory
 * alike, every descriptor that differs with its fields. Tables of two
 * formats cannot be compared so: bad usage.
 */
static int diff_descriptors(struct pgt_table *a, struct pgt_table *b, int *status,
			    struct pgt_error *err)
{
	struct values v = {"set-up: ", "\n        ", 0};
	struct dctx x = {a, b, 0};
	if (pgt_table_format(a) != pgt_table_format(b)) {
		*status = EXIT_USAGE;
		return pgt_fail(err, -EINVAL,
				"--descriptors compares two tables of one format (%s and %s)",
				pgt_format_name(pgt_table_format(a)),
				pgt_format_name(pgt_table_format(b)));
	}
	out_arr_begin("setup");
	pgt_diff_setup(a, b, print_value, &v);
	out_arr_end();
	out_text(v.n ? "\n" : "");
	bool alike = pgt_geometry_same_layout(pgt_table_geometry(a), pgt_table_geometry(b));
	out_bool("compared", NULL, alike);
	out_arr_begin("descriptors");
	int rc = alike ? pgt_diff_descriptors(a, b, on_desc, &x, err) : 0;
	out_arr_end();
	if (!alike)
		out_text("the layouts differ: descriptors are not compared\n");
	else if (!rc)
		out_uint("count", x.n ? "%llu descriptors differ\n" : "no descriptor differs\n", x.n);
	*status = rc || x.n || v.n ? EXIT_FAILED : EXIT_OK;
	return rc;
}

static int open_b(struct cli *c, struct source *b, struct pgt_error *err)
{
	if (c->src.n_devices == 2)
		return source_open_device(&c->src, 1, b, err);
	if (!source_opts_given(&c->src)) {
		struct source_opts none = {0};
		return source_open(&none, c->args[c->n_args - 1], false, b, err);
	}
	return source_open(&c->src, NULL, false, b, err);
}

static int run(struct cli *c)
{
	const struct diff_opts *o = c->opts;
	CLI_ERROR(err);
	struct source a, b;
	struct source_opts none = {0};
	bool memory = source_opts_given(&c->src);
	int status;
	/* in a session A is the loaded table */
	int given = (c->session ? 0 : 1) + (memory ? 0 : 1);

	if (c->src.n_devices == 2) {
		if (c->n_args)
			return cli_usage("diff of two devices takes no SOURCE arguments");
		if ((status = source_open_device(&c->src, 0, &a, err)))
			return cli_fail(status, err);
	} else if (c->n_args != given) {
		return cli_usage(c->session ? "diff takes one SOURCE to compare the table with"
					    : "diff takes two SOURCEs: A B, or A and memory options "
					      "for B");
	} else if (c->session) {
		if (!c->session->cur.t)
			return cli_usage("no table loaded: load SOURCE, or new FORMAT");
		a = c->session->cur;
		a.borrowed = true;
	} else if ((status = source_open(&none, c->args[0], false, &a, err))) {
		return cli_fail(status, err);
	}
	if ((status = open_b(c, &b, err))) {
		source_close(&a);
		return cli_fail(status, err);
	}
	int rc;
	out_obj_begin(NULL);
	if (o->descriptors) {
		rc = diff_descriptors(a.t, b.t, &status, err);
	} else {
		struct tally t = {.pgsize = o->pgsize};
		struct pgt_diff_ops ops = {on_range, on_problem, &t};
		out_arr_begin("differences");
		rc = pgt_diff_mappings(a.t, b.t, t.pgsize, &ops, err);
		out_arr_end();
		uint64_t any = t.n[0] + t.n[1] + t.n[2];
		if (!rc && !any)
			out_text("no differences\n");
		if (!rc) {
			char b1[24], b2[24], b3[24];
			out_obj_begin("summary");
			out_uint("only_a", any ? "%llu only in A" : NULL, t.n[0]);
			out_hex("only_a_bytes", NULL, t.bytes[0]);
			if (any) {
				out_text(" (%s), ", pgt_fmt_size(t.bytes[0], b1));
				out_text("%llu only in B (%s), ", (unsigned long long)t.n[1],
					 pgt_fmt_size(t.bytes[1], b2));
				out_text("%llu mapped differently (%s)\n", (unsigned long long)t.n[2],
					 pgt_fmt_size(t.bytes[2], b3));
			}
			out_uint("only_b", NULL, t.n[1]);
			out_hex("only_b_bytes", NULL, t.bytes[1]);
			out_uint("changed", NULL, t.n[2]);
			out_hex("changed_bytes", NULL, t.bytes[2]);
			out_obj_end();
		}
		/* a walk that met malformed descriptors fails, as dump does */
		status = rc || any || t.problems.count ? EXIT_FAILED : EXIT_OK;
		problems_print(&t.problems);
	}
	if (rc)
		cli_fail(status, err);
	out_obj_end();
	source_close(&a);
	source_close(&b);
	return status;
}

const struct cmd cmd_diff = {
	.name = "diff",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct diff_opts),
	.complete_arg = complete_files,
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "mapping-level differences of two tables",
};

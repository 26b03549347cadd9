// SPDX-License-Identifier: MIT
/*
 * What two tables of one format hold differently, by name: the kernel that
 * built them, their configuration and options, their layout and registers,
 * and the decoded fields of a descriptor. What a kernel upgrade changes
 * (diff --descriptors of one spec built for each) reads as these names.
 */
#include <stdio.h>
#include <string.h>

#include "pgt/diff.h"
#include "pgt/parse.h"

struct values {
	struct pgt_diff_value *out;
	size_t n, max;
};

static void add(struct values *v, const char *name, const char *a, const char *b)
{
	if (!strcmp(a, b) || v->n == v->max)
		return;
	struct pgt_diff_value *d = &v->out[v->n++];
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->a, sizeof(d->a), "%s", a);
	snprintf(d->b, sizeof(d->b), "%s", b);
}

static void add_num(struct values *v, const char *name, uint64_t a, uint64_t b, bool hex)
{
	char x[40], y[40];
	snprintf(x, sizeof(x), hex ? "0x%llx" : "%llu", (unsigned long long)a);
	snprintf(y, sizeof(y), hex ? "0x%llx" : "%llu", (unsigned long long)b);
	add(v, name, x, y);
}

static void config(struct values *v, const struct pgt_table *ta, const struct pgt_table *tb)
{
	const struct pgt_cfg *a = pgt_table_cfg(ta), *b = pgt_table_cfg(tb);
	const struct pgt_format *fmt = pgt_table_format(ta);
	char x[40], y[40];
	add(v, "kernel", pgt_kernel_name(a->kernel), pgt_kernel_name(b->kernel));
	add_num(v, "ias", a->ias, b->ias, false);
	add_num(v, "oas", a->oas, b->oas, false);
	add_num(v, "pgsize_bitmap", a->pgsize_bitmap, b->pgsize_bitmap, true);
	add(v, "quirks", pgt_quirks_str(a->quirks, x, sizeof(x)),
	    pgt_quirks_str(b->quirks, y, sizeof(y)));
	add(v, "coherent_walk", a->coherent_walk ? "yes" : "no", b->coherent_walk ? "yes" : "no");
	for (unsigned i = 0; i < pgt_format_n_options(fmt); i++)
		add_num(v, pgt_format_option(fmt, i)->name, a->opt[i], b->opt[i], false);
}

static void layout(struct values *v, const struct pgt_table *ta, const struct pgt_table *tb)
{
	const struct pgt_geometry *a = pgt_table_geometry(ta), *b = pgt_table_geometry(tb);
	add_num(v, "levels", a->n_levels, b->n_levels, false);
	add_num(v, "start_level", a->level[0].label, b->level[0].label, false);
	add_num(v, "root_entries", 1ull << a->level[0].index_bits, 1ull << b->level[0].index_bits,
		false);
	add_num(v, "roots", a->n_roots, b->n_roots, false);
}

static const struct pgt_reg *reg_named(const struct pgt_regs *r, const char *name)
{
	for (unsigned i = 0; i < r->n; i++)
		if (!strcmp(r->reg[i].name, name))
			return &r->reg[i];
	return NULL;
}

/* One register of either side, against the other's of that name (a
 * register only one side has reads as "none" on the other). */
static void reg(struct values *v, const struct pgt_reg *a, const struct pgt_reg *b)
{
	const struct pgt_reg *r = a ? a : b;
	char name[48], x[40], y[40];
	switch (r->kind) {
	case PGT_REG_VALUE:
	case PGT_REG_COUNT:
		snprintf(name, sizeof(name), "reg.%s", r->name);
		snprintf(x, sizeof(x), r->kind == PGT_REG_VALUE ? "0x%llx" : "%llu",
			 (unsigned long long)(a ? a->value : 0));
		snprintf(y, sizeof(y), r->kind == PGT_REG_VALUE ? "0x%llx" : "%llu",
			 (unsigned long long)(b ? b->value : 0));
		add(v, name, a ? x : "none", b ? y : "none");
		return;
	case PGT_REG_FIELDS:
		for (unsigned k = 0; k < r->n; k++) {
			snprintf(name, sizeof(name), "reg.%s.%s", r->name, r->field[k].name);
			snprintf(x, sizeof(x), "%llu", (unsigned long long)(a ? a->field[k].value : 0));
			snprintf(y, sizeof(y), "%llu", (unsigned long long)(b ? b->field[k].value : 0));
			add(v, name, a ? x : "none", b ? y : "none");
		}
		return;
	case PGT_REG_LIST: {
		unsigned n = a ? a->n : 0;
		if (b && b->n > n)
			n = b->n;
		for (unsigned k = 0; k < n && k < PGT_MAX_ROOTS; k++) {
			bool in_a = a && k < a->n, in_b = b && k < b->n;
			snprintf(name, sizeof(name), "reg.%s.%u", r->name, k);
			snprintf(x, sizeof(x), "0x%llx", (unsigned long long)(in_a ? a->list[k] : 0));
			snprintf(y, sizeof(y), "0x%llx", (unsigned long long)(in_b ? b->list[k] : 0));
			add(v, name, in_a ? x : "none", in_b ? y : "none");
		}
		return;
	}
	}
}

static void registers(struct values *v, const struct pgt_table *ta, const struct pgt_table *tb)
{
	struct pgt_regs a, b;
	pgt_table_registers(ta, &a);
	pgt_table_registers(tb, &b);
	for (unsigned i = 0; i < a.n; i++)
		reg(v, &a.reg[i], reg_named(&b, a.reg[i].name));
	for (unsigned i = 0; i < b.n; i++)
		if (!reg_named(&a, b.reg[i].name))
			reg(v, NULL, &b.reg[i]);
}

size_t pgt_diff_setup(const struct pgt_table *a, const struct pgt_table *b,
		      struct pgt_diff_value *out, size_t max)
{
	struct values v = {out, 0, max};
	config(&v, a, b);
	layout(&v, a, b);
	registers(&v, a, b);
	return v.n;
}

static const struct pgt_field *field_named(const struct pgt_field *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return &f[i];
	return NULL;
}

static void field_text(const struct pgt_field *f, char *buf, size_t len)
{
	if (!f)
		snprintf(buf, len, "none");
	else if (f->meaning)
		snprintf(buf, len, "0x%llx(%s)", (unsigned long long)f->value, f->meaning);
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)f->value);
}

size_t pgt_diff_desc_fields(const struct pgt_table *a, const struct pgt_table *b,
			    const struct pgt_diff_desc *d, struct pgt_diff_value *out, size_t max)
{
	struct pgt_field fa[PGT_MAX_FIELDS], fb[PGT_MAX_FIELDS];
	size_t na = pgt_table_fields(a, d->depth, d->raw_a, fa, PGT_MAX_FIELDS);
	size_t nb = pgt_table_fields(b, d->depth, d->raw_b, fb, PGT_MAX_FIELDS);
	struct values v = {out, 0, max};
	char x[40], y[40];
	for (size_t i = 0; i < na; i++) {
		/* table addresses are where each side put its tables */
		if (!strcmp(fa[i].name, "addr") && d->raw_a && d->raw_b) {
			struct pgt_entry ea;
			pgt_table_decode(a, d->depth, d->raw_a, &ea);
			if (ea.kind == PGT_TABLE)
				continue;
		}
		field_text(&fa[i], x, sizeof(x));
		field_text(field_named(fb, nb, fa[i].name), y, sizeof(y));
		add(&v, fa[i].name, x, y);
	}
	for (size_t i = 0; i < nb; i++)
		if (!field_named(fa, na, fb[i].name)) {
			field_text(&fb[i], y, sizeof(y));
			add(&v, fb[i].name, "none", y);
		}
	return v.n;
}

// SPDX-License-Identifier: MIT
/* Printers more than one command uses: configuration, registers, traces. */
#include <string.h>

#include "cli.h"

void print_config(const struct pgt_table *t)
{
	const struct pgt_cfg *c = pgt_table_cfg(t);
	char b[24], q[256];
	const char *w[64];
	unsigned n = 0;

	out_obj_begin("config");
	out_text("config     ");
	out_uint("ias", "ias %llu", c->ias);
	out_uint("oas", "  oas %llu", c->oas);
	out_hex("pgsize_bitmap", NULL, c->pgsize_bitmap);
	out_text("  pgsize %s", pgt_pgsizes_str(c->pgsize_bitmap, q, sizeof(q)));
	out_text("  quirks %s", pgt_quirks_str(c->quirks, q, sizeof(q)));
	if (out_json()) {
		out_arr_begin("quirks");
		for (unsigned i = 0; i < 64; i++)
			if ((c->quirks >> i) & 1)
				w[n++] = pgt_quirk_name(1ull << i);
		for (unsigned i = 0; i < n; i++)
			out_str(NULL, NULL, w[i] ? w[i] : "unknown");
		out_arr_end();
	}
	out_bool("coherent_walk", "  coherent_walk %s", c->coherent_walk);
	out_hex("cpu_page_size", NULL, c->cpu_page_size);
	out_text("  cpu_page_size %s", pgt_fmt_size(c->cpu_page_size, b));
	const struct pgt_format *fmt = pgt_table_format(t);
	for (unsigned i = 0; i < pgt_format_n_options(fmt); i++) {
		const char *name = pgt_format_option(fmt, i)->name;
		out_text("  %s", name);
		out_uint(name, " %llu", c->opt[i]);
	}
	out_text("\n");
	out_obj_end();
}

void print_roots(const struct pgt_table *t)
{
	pgt_addr roots[PGT_MAX_ROOTS];
	unsigned n = pgt_table_roots(t, roots);
	out_text("roots     ");
	out_arr_begin("roots");
	for (unsigned i = 0; i < n; i++)
		out_hex(NULL, " 0x%llx", roots[i]);
	out_arr_end();
	out_text("\n");
}

void print_registers(const struct pgt_table *t)
{
	struct pgt_regs regs;
	pgt_table_registers(t, &regs);
	out_obj_begin("registers");
	out_text("registers\n");
	for (unsigned i = 0; i < regs.n; i++) {
		const struct pgt_reg *r = &regs.reg[i];
		out_text("  %-9s", r->name);
		switch (r->kind) {
		case PGT_REG_VALUE:
			out_hex(r->name, "0x%016llx", r->value);
			break;
		case PGT_REG_COUNT:
			out_uint(r->name, "%llu", r->value);
			break;
		case PGT_REG_FIELDS:
			out_obj_begin(r->name);
			if (r->image)
				out_hex("value", "0x%016llx ", r->value);
			for (unsigned k = 0; k < r->n; k++) {
				out_text("%s%s=", k ? " " : "", r->field[k].name);
				out_uint(r->field[k].name, "%llu", r->field[k].value);
			}
			out_obj_end();
			break;
		case PGT_REG_LIST:
			out_arr_begin(r->name);
			for (unsigned k = 0; k < r->n; k++)
				out_hex(NULL, k ? " 0x%016llx" : "0x%016llx", r->list[k]);
			out_arr_end();
			break;
		}
		out_text("\n");
	}
	out_obj_end();
}

/* --- Walks (translate -v, fault -v) ----------------------------------------- */

static const char *kind_word(const struct pgt_entry *e, bool last)
{
	switch (e->kind) {
	case PGT_EMPTY:
		return "empty";
	case PGT_TABLE:
		return "table";
	case PGT_LEAF:
		return last ? "page" : "block";
	case PGT_BAD:
		return "malformed";
	}
	return "?";
}

static void print_step(struct pgt_table *t, const struct pgt_walk_step *s)
{
	const struct pgt_geometry *g = pgt_table_geometry(t);
	struct pgt_field f[PGT_MAX_FIELDS];
	size_t n = pgt_table_fields(t, s->depth, s->e.raw, f, PGT_MAX_FIELDS);
	char b[24];

	out_obj_begin(NULL);
	out_uint("level", "    L%llu", s->label);
	out_uint("index", "[%llu]", s->index);
	out_hex("desc_pa", " @0x%llx", s->desc_pa);
	out_hex("desc", " = 0x%016llx", s->e.raw);
	out_str("type", " %s", kind_word(&s->e, s->depth + 1 == g->n_levels));
	if (s->e.kind == PGT_TABLE)
		out_hex("next", " -> 0x%llx", s->e.pa);
	if (s->e.kind == PGT_LEAF) {
		out_hex("size", NULL, s->e.size);
		out_text(" %s", pgt_fmt_size(s->e.size, b));
		out_hex("out", " -> 0x%llx", s->e.pa);
	}
	if (s->e.kind == PGT_BAD)
		out_str("why", " (%s)", s->e.why);
	out_obj_begin("fields");
	for (size_t i = 0; i < n; i++) {
		if (out_json()) {
			if (f[i].meaning)
				out_str(f[i].name, NULL, f[i].meaning);
			else if (!strcmp(f[i].name, "addr"))
				out_hex(f[i].name, NULL, f[i].value);
			else
				out_uint(f[i].name, NULL, f[i].value);
			continue;
		}
		if (!strcmp(f[i].name, "addr") || !strcmp(f[i].name, "type"))
			continue;
		out_text(i ? " %s=%llu" : "\n        %s=%llu", f[i].name,
			 (unsigned long long)f[i].value);
		if (f[i].meaning)
			out_text("(%s)", f[i].meaning);
	}
	out_obj_end();
	out_text("\n");
	out_obj_end();
}

void print_walk(struct pgt_table *t, const struct pgt_walk *w)
{
	pgt_addr roots[PGT_MAX_ROOTS];
	pgt_table_roots(t, roots);
	out_uint("root", NULL, w->root);
	out_text("    root %u at 0x%llx\n", w->root, (unsigned long long)roots[w->root]);
	out_arr_begin("walk");
	for (unsigned i = 0; i < w->n_steps; i++)
		print_step(t, &w->step[i]);
	out_arr_end();
}

/* --- --trace-tlb ------------------------------------------------------------ */

static void ev_flush_all(void *cookie)
{
	(void)cookie;
	out_obj_begin(NULL);
	out_str("op", "%s\n", "tlb_flush_all");
	out_obj_end();
}

static void ev_flush_walk(pgt_addr iova, uint64_t size, uint64_t granule, void *cookie)
{
	(void)cookie;
	out_obj_begin(NULL);
	out_str("op", "%s", "tlb_flush_walk");
	out_hex("iova", " iova=0x%llx", iova);
	out_hex("size", " size=0x%llx", size);
	out_hex("granule", " granule=0x%llx\n", granule);
	out_obj_end();
}

static void ev_add_page(pgt_addr iova, uint64_t granule, void *cookie)
{
	(void)cookie;
	out_obj_begin(NULL);
	out_str("op", "%s", "tlb_add_page");
	out_hex("iova", " iova=0x%llx", iova);
	out_hex("granule", " granule=0x%llx\n", granule);
	out_obj_end();
}

static void ev_map_pages(pgt_addr iova, pgt_addr pa, uint64_t pgsize, uint64_t pgcount,
			 void *cookie)
{
	(void)cookie;
	out_obj_begin(NULL);
	out_str("op", "# %s", "map_pages");
	out_hex("iova", " iova=0x%llx", iova);
	out_hex("pa", " pa=0x%llx", pa);
	out_hex("pgsize", " pgsize=0x%llx", pgsize);
	out_uint("pgcount", " pgcount=%llu\n", pgcount);
	out_obj_end();
}

static void ev_unmap_pages(pgt_addr iova, uint64_t pgsize, uint64_t pgcount, void *cookie)
{
	(void)cookie;
	out_obj_begin(NULL);
	out_str("op", "# %s", "unmap_pages");
	out_hex("iova", " iova=0x%llx", iova);
	out_hex("pgsize", " pgsize=0x%llx", pgsize);
	out_uint("pgcount", " pgcount=%llu\n", pgcount);
	out_obj_end();
}

static void ev_driver(const char *what, pgt_addr iova, uint64_t size, void *cookie)
{
	(void)cookie;
	out_obj_begin(NULL);
	out_str("op", "%s", what);
	if (size) {
		out_hex("iova", " iova=0x%llx", iova);
		out_hex("size", " size=0x%llx", size);
	}
	out_text("\n");
	out_obj_end();
}

/* generic_pt: the driver's iotlb_sync with its gather */
static void ev_iotlb_sync(const struct pgt_gather *g, void *cookie)
{
	(void)cookie;
	out_obj_begin(NULL);
	out_str("op", "%s", "iotlb_sync");
	out_hex("start", " start=0x%llx", g->start);
	out_hex("end", " end=0x%llx", g->end);
	out_uint("pages", " pages=%llu", g->pages);
	if (g->leaf_levels || g->table_levels) {
		out_hex("leaf_levels", " leaf_levels=0x%llx", g->leaf_levels);
		out_hex("table_levels", " table_levels=0x%llx", g->table_levels);
	}
	out_text("\n");
	out_obj_end();
}

const struct pgt_events trace_events = {
	.driver = ev_driver,
	.iotlb_sync = ev_iotlb_sync,
	.flush_all = ev_flush_all,
	.flush_walk = ev_flush_walk,
	.add_page = ev_add_page,
	.map_pages = ev_map_pages,
	.unmap_pages = ev_unmap_pages,
};

void trace_begin(struct pgt_table *t, bool on)
{
	if (!on)
		return;
	if (t)
		pgt_table_set_events(t, &trace_events, NULL);
	out_arr_begin("trace");
}

void trace_end(bool on)
{
	if (on)
		out_arr_end();
}

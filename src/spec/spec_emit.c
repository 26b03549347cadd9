// SPDX-License-Identifier: MIT
/*
 * Writing a spec that rebuilds a table exactly: its configuration, its
 * leaves coalesced into mappings that keep their page size, and, for every
 * table the kernel would have left empty after unmaps, a page mapped and
 * unmapped again so that the rebuilt table keeps that table too. Together
 * with the canonical image layout this makes dump -> build byte-identical.
 */
#include <errno.h>
#include <stdlib.h>

#include <string.h>

#include "pgt/parse.h"
#include "pgt/spec.h"

struct emit {
	struct pgt_table *t;
	FILE *out;
	/* Empty tables found, as the page that recreates each. */
	struct hole {
		pgt_addr iova;
		uint64_t size;
		unsigned label;
	} *holes;
	size_t n_holes, cap;
	size_t n_inexact;
	uint8_t *buf;
};

static void prot_list(FILE *f, unsigned prot)
{
	const char *w[6];
	unsigned n = pgt_prot_words(prot, w);
	fputc('[', f);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", w[i]);
	fputc(']', f);
}

/* Bytes one entry at this level maps. */
static uint64_t entry_span(const struct pgt_table *t, unsigned label)
{
	const struct pgt_geometry *g = pgt_table_geometry(t);
	for (unsigned d = 0; d < g->n_levels; d++)
		if (g->level[d].label == label)
			return 1ull << g->level[d].shift;
	return 0;
}

static int on_range(void *ctx, const struct pgt_range *r)
{
	struct emit *e = ctx;
	char b[24], s[24];
	uint64_t pgsize = r->pgsize;
	/*
	 * Part of a page of several entries whose others a map with replace
	 * overwrote (AMD v1 keeps the rest): no map makes that, so it is
	 * rebuilt as pages of one entry each, and the spec says so.
	 */
	if ((r->iova | r->pa | r->size) & (pgsize - 1)) {
		uint64_t span = entry_span(e->t, r->label);
		if (!span || !(pgt_table_cfg(e->t)->pgsize_bitmap & span)) {
			fprintf(e->out, "  # cannot recreate iova 0x%llx+0x%llx, part of a %s page\n",
				(unsigned long long)r->iova, (unsigned long long)r->size,
				pgt_fmt_size(pgsize, b));
			return 0;
		}
		fprintf(e->out, "  # note: iova 0x%llx+0x%llx is part of a %s page; rebuilt as %s "
			"pages\n", (unsigned long long)r->iova, (unsigned long long)r->size,
			pgt_fmt_size(pgsize, b), pgt_fmt_size(span, s));
		pgsize = span;
	}
	/* map_pages of every format makes no leaf without read or write */
	if (!(r->prot & (PGT_READ | PGT_WRITE))) {
		fprintf(e->out, "  # cannot recreate iova 0x%llx+0x%llx: its leaves grant neither "
			"read nor write\n", (unsigned long long)r->iova, (unsigned long long)r->size);
		return 0;
	}
	fprintf(e->out, "  - { iova: 0x%llx, paddr: 0x%llx, size: %s, pgsize: ",
		(unsigned long long)r->iova, (unsigned long long)r->pa, pgt_fmt_size(r->size, b));
	fprintf(e->out, "%s, prot: ", pgt_fmt_size(pgsize, b));
	prot_list(e->out, r->prot);
	fprintf(e->out, " }\n");
	return 0;
}

static int on_table(void *ctx, const struct pgt_table_visit *tv)
{
	struct emit *e = ctx;
	uint64_t bytes = tv->bytes;
	if (tv->depth == 0)
		return 0;
	uint8_t *b = realloc(e->buf, bytes);
	if (!b)
		return -ENOMEM;
	e->buf = b;
	if (pgt_mem_read(pgt_table_mem(e->t), tv->pa, b, bytes))
		return 0;
	for (uint64_t i = 0; i < bytes; i++)
		if (b[i])
			return 0;
	if (e->n_holes == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct hole *h = realloc(e->holes, cap * sizeof(*h));
		if (!h)
			return -ENOMEM;
		e->holes = h;
		e->cap = cap;
	}
	const struct pgt_level_geom *l = &pgt_table_geometry(e->t)->level[tv->depth];
	e->holes[e->n_holes++] = (struct hole){tv->iova, 1ull << l->shift, l->label};
	return 0;
}

/* Leaves whose bits the spec's words cannot reproduce. */
static int on_leaf(void *ctx, const struct pgt_leaf *l)
{
	struct emit *e = ctx;
	uint64_t again;
	/* (leaves without read or write are left out, and said so, by on_range) */
	if (!pgt_table_leaf_from_map(e->t, l, &again) && again != l->raw && e->n_inexact++ < 16)
		fprintf(e->out,
			"# note: the level %u leaf at iova 0x%llx (0x%016llx) has bits its prot "
			"words do not give; rebuilt it reads 0x%016llx\n",
			l->label, (unsigned long long)l->iova, (unsigned long long)l->raw,
			(unsigned long long)again);
	return 0;
}

int pgt_spec_emit(struct pgt_table *t, const char *comment, FILE *out, struct pgt_error *err)
{
	const struct pgt_cfg *c = pgt_table_cfg(t);
	struct emit e = {.t = t, .out = out};
	char q[256], b[24];
	/* mappings read past a broken tree would not rebuild it */
	int rc = pgt_table_check_sound(t, err);
	if (rc) {
		if (rc == -EUCLEAN)
			pgt_error_prefix(err, "cannot write a spec");
		return rc;
	}
	if (comment)
		fprintf(out, "# %s\n", comment);
	fprintf(out, "format: %s\n", pgt_format_name(pgt_table_format(t)));
	fprintf(out, "kernel: %s\n", pgt_kernel_name(c->kernel));
	fprintf(out, "config:\n");
	fprintf(out, "  ias: %u\n  oas: %u\n", c->ias, c->oas);
	fprintf(out, "  pgsize_bitmap: 0x%llx\n", (unsigned long long)c->pgsize_bitmap);
	fprintf(out, "  quirks: [%s]\n", c->quirks ? pgt_quirks_str(c->quirks, q, sizeof(q)) : "");
	fprintf(out, "  coherent_walk: %s\n", c->coherent_walk ? "true" : "false");
	fprintf(out, "  cpu_page_size: %s\n", pgt_fmt_size(c->cpu_page_size, b));
	const struct pgt_format *fmt = pgt_table_format(t);
	for (unsigned i = 0; i < pgt_format_n_options(fmt); i++)
		fprintf(out, "  %s: %u\n", pgt_format_option(fmt, i)->name, c->opt[i]);
	fprintf(out, "memory:\n  base: 0x%llx\n", (unsigned long long)pgt_table_mem_base(t));

	struct pgt_visitor v = {.table = on_table, .leaf = on_leaf, .ctx = &e};
	rc = pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v);
	if (rc)
		goto out;
	fprintf(out, "mappings:\n");
	rc = pgt_walk_ranges(t, pgt_table_iova_min(t), pgt_table_iova_max(t), true, on_range, NULL,
			     &e);
	if (rc)
		goto out;
	if (e.n_holes) {
		fprintf(out, "  # pages whose unmap below leaves an empty table, as the kernel "
			     "leaves it\n");
		for (size_t i = 0; i < e.n_holes; i++) {
			const struct hole *h = &e.holes[i];
			if (!(c->pgsize_bitmap & h->size)) {
				fprintf(out, "  # cannot recreate the empty level %u table at 0x%llx\n",
					h->label, (unsigned long long)h->iova);
				continue;
			}
			fprintf(out, "  - { iova: 0x%llx, paddr: 0x0, size: %s, pgsize: %s, prot: [read] }\n",
				(unsigned long long)h->iova, pgt_fmt_size(h->size, b),
				pgt_fmt_size(h->size, b));
		}
		fprintf(out, "unmap:\n");
		for (size_t i = 0; i < e.n_holes; i++) {
			const struct hole *h = &e.holes[i];
			if (c->pgsize_bitmap & h->size)
				fprintf(out, "  - { iova: 0x%llx, size: %s }\n",
					(unsigned long long)h->iova, pgt_fmt_size(h->size, b));
		}
	}
out:
	free(e.holes);
	free(e.buf);
	if (rc)
		return pgt_fail(err, rc, "out of memory");
	return 0;
}

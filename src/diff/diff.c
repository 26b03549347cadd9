// SPDX-License-Identifier: MIT
/*
 * diff: two walks merged in IOVA order. Each side is a stream of coalesced
 * runs; a sweep cuts the IOVA space where either side's run starts or ends
 * and classifies each piece, and neighbouring pieces of one kind that go on
 * consistently are joined again before they are reported.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgt/diff.h"

struct side {
	struct pgt_runs *runs;
	struct pgt_range r; /* current run, from iova on */
	bool have;
	char name;
	const struct pgt_diff_ops *ops;
};

static int side_problem(void *ctx, const struct pgt_problem *p)
{
	struct side *s = ctx;
	return s->ops->problem ? s->ops->problem(s->ops->ctx, s->name, p) : 0;
}

static int advance(struct side *s)
{
	int rc = pgt_runs_next(s->runs, &s->r);
	if (rc < 0)
		return rc;
	s->have = rc > 0;
	return 0;
}

/* Consume [from, to) of the side's current run. */
static int consume(struct side *s, pgt_addr to)
{
	uint64_t cut = to - s->r.iova;
	if (cut >= s->r.size)
		return advance(s);
	s->r.iova += cut;
	s->r.pa += cut;
	s->r.size -= cut;
	return 0;
}

/* A pending difference, grown while the next piece continues it. */
struct pending {
	bool open;
	struct pgt_diff_range d;
};

static bool continues(const struct pgt_diff_side *x, const struct pgt_diff_side *y,
		      uint64_t size)
{
	return y->pa == x->pa + size && y->prot == x->prot && y->pgsize == x->pgsize;
}

static int emit(const struct pgt_diff_ops *ops, struct pending *p, const struct pgt_diff_range *d)
{
	struct pgt_diff_range *c = &p->d;
	if (p->open && d->kind == c->kind && d->iova == c->iova + c->size &&
	    (d->kind == PGT_DIFF_ONLY_B || continues(&c->a, &d->a, c->size)) &&
	    (d->kind == PGT_DIFF_ONLY_A || continues(&c->b, &d->b, c->size))) {
		c->size += d->size;
		return 0;
	}
	int rc = p->open ? ops->range(ops->ctx, c) : 0;
	p->d = *d;
	p->open = true;
	return rc;
}

static struct pgt_diff_side side_of(const struct pgt_range *r)
{
	return (struct pgt_diff_side){r->pa, r->prot, r->pgsize};
}

int pgt_diff_mappings(struct pgt_table *ta, struct pgt_table *tb, bool by_pgsize,
		      const struct pgt_diff_ops *ops, struct pgt_error *err)
{
	struct side a = {.name = 'a', .ops = ops}, b = {.name = 'b', .ops = ops};
	struct pending p = {0};
	int rc = -ENOMEM;

	a.runs = pgt_runs_new(ta, pgt_table_iova_min(ta), pgt_table_iova_max(ta), true,
			      side_problem, &a);
	b.runs = pgt_runs_new(tb, pgt_table_iova_min(tb), pgt_table_iova_max(tb), true,
			      side_problem, &b);
	if (!a.runs || !b.runs || (rc = advance(&a)) || (rc = advance(&b)))
		goto out;
	while (a.have || b.have) {
		struct pgt_diff_range d = {0};
		pgt_addr a_end = a.r.iova + a.r.size, b_end = b.r.iova + b.r.size;
		if (a.have && (!b.have || a.r.iova < b.r.iova)) {
			pgt_addr end = b.have && b.r.iova < a_end ? b.r.iova : a_end;
			d = (struct pgt_diff_range){PGT_DIFF_ONLY_A, a.r.iova, end - a.r.iova,
						    side_of(&a.r), {0}};
			rc = consume(&a, end);
		} else if (b.have && (!a.have || b.r.iova < a.r.iova)) {
			pgt_addr end = a.have && a.r.iova < b_end ? a.r.iova : b_end;
			d = (struct pgt_diff_range){PGT_DIFF_ONLY_B, b.r.iova, end - b.r.iova,
						    {0}, side_of(&b.r)};
			rc = consume(&b, end);
		} else {
			/* both start here: the piece up to the nearer end */
			pgt_addr end = a_end < b_end ? a_end : b_end;
			d = (struct pgt_diff_range){PGT_DIFF_CHANGED, a.r.iova, end - a.r.iova,
						    side_of(&a.r), side_of(&b.r)};
			bool same = a.r.pa == b.r.pa && a.r.prot == b.r.prot &&
				    (!by_pgsize || a.r.pgsize == b.r.pgsize);
			if (!(rc = consume(&a, end)))
				rc = consume(&b, end);
			if (same)
				d.size = 0;
		}
		if (rc)
			goto out;
		if (d.size && (rc = emit(ops, &p, &d)))
			goto out;
	}
	rc = p.open ? ops->range(ops->ctx, &p.d) : 0;
out:
	pgt_runs_free(a.runs);
	pgt_runs_free(b.runs);
	if (rc < 0 && rc != -ECANCELED)
		return pgt_fail(err, rc, "out of memory");
	return rc;
}

/* --- descriptor by descriptor ------------------------------------------- */

/*
 * The pairs of tables compared so far, so that a pair reached again (tables
 * shared between descriptors, or a loop in a hostile dump) is compared once,
 * as the range walk visits a table once: a tree of shared tables is
 * otherwise exponential to walk. Open addressing, growing at half full.
 */
struct pair_set {
	struct pair {
		pgt_addr a, b;
		unsigned depth;
		bool used;
	} *slot;
	size_t cap, n;
};

static size_t pair_hash(pgt_addr a, pgt_addr b, unsigned depth)
{
	uint64_t h = (a ^ (b * 0x9e3779b97f4a7c15ull) ^ depth) * 0xff51afd7ed558ccdull;
	return (size_t)(h ^ (h >> 29));
}

/* 1 when the pair is new (and now in the set), 0 when seen, -ENOMEM. */
static int pair_add(struct pair_set *s, pgt_addr a, pgt_addr b, unsigned depth)
{
	if (2 * (s->n + 1) > s->cap) {
		struct pair_set g = {calloc(s->cap ? 2 * s->cap : 256, sizeof(struct pair)),
				     s->cap ? 2 * s->cap : 256, 0};
		if (!g.slot)
			return -ENOMEM;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i].used)
				pair_add(&g, s->slot[i].a, s->slot[i].b, s->slot[i].depth);
		free(s->slot);
		*s = g;
	}
	for (size_t i = pair_hash(a, b, depth) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		struct pair *p = &s->slot[i];
		if (!p->used) {
			*p = (struct pair){a, b, depth, true};
			s->n++;
			return 1;
		}
		if (p->a == a && p->b == b && p->depth == depth)
			return 0;
	}
}

struct dd {
	struct pgt_table *a, *b;
	int (*fn)(void *ctx, const struct pgt_diff_desc *d);
	void *ctx;
	uint8_t *buf[2][PGT_MAX_LEVELS];
	struct pair_set seen;
};

static const void *read_table(struct dd *x, int side, struct pgt_table *t, unsigned depth,
			      pgt_addr pa)
{
	const struct pgt_level_geom *l = &pgt_table_geometry(t)->level[depth];
	struct pgt_mem *mem = pgt_table_mem(t);
	const void *p = pgt_mem_ptr(mem, pa, l->table_bytes);
	if (p)
		return p;
	if (!x->buf[side][depth] && !(x->buf[side][depth] = malloc(l->table_bytes)))
		return NULL;
	return pgt_mem_read(mem, pa, x->buf[side][depth], l->table_bytes) ? NULL
									 : x->buf[side][depth];
}

static int compare_tables(struct dd *x, unsigned depth, pgt_addr pa_a, pgt_addr pa_b,
			  pgt_addr base)
{
	struct pgt_table *a = x->a, *b = x->b;
	const struct pgt_geometry *g = pgt_table_geometry(a);
	const struct pgt_level_geom *l = &g->level[depth];
	int fresh = pair_add(&x->seen, pa_a, pa_b, depth);
	if (fresh <= 0)
		return fresh;
	const void *pa = read_table(x, 0, a, depth, pa_a), *pb = read_table(x, 1, b, depth, pa_b);
	if (!pa || !pb)
		return 0; /* an unreadable table: reported at its descriptor already */
	uint64_t n = 1ull << l->index_bits;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t ra = pgt_table_desc_at(a, pa, i), rb = pgt_table_desc_at(b, pb, i);
		if (!ra && !rb)
			continue;
		struct pgt_entry ea, eb;
		pgt_table_decode(a, depth, ra, &ea);
		pgt_table_decode(b, depth, rb, &eb);
		pgt_addr iova = base + (l->shift < 64 ? i << l->shift : 0);
		bool tables = ea.kind == PGT_TABLE && eb.kind == PGT_TABLE;
		bool differ = tables ? pgt_table_desc_sans_addr(a, depth, ra) !=
					       pgt_table_desc_sans_addr(b, depth, rb)
				     : ra != rb;
		if (differ) {
			struct pgt_diff_desc d = {depth,
						  l->label,
						  iova,
						  pa_a + i * g->desc_bytes,
						  pa_b + i * g->desc_bytes,
						  ra,
						  rb};
			int rc = x->fn(x->ctx, &d);
			if (rc)
				return rc;
		}
		if (tables && depth + 1 < g->n_levels) {
			int rc = compare_tables(x, depth + 1, ea.pa, eb.pa, iova);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int pgt_diff_descriptors(struct pgt_table *a, struct pgt_table *b,
			 int (*fn)(void *ctx, const struct pgt_diff_desc *d), void *ctx,
			 struct pgt_error *err)
{
	const struct pgt_geometry *g = pgt_table_geometry(a);
	if (pgt_table_format(a) != pgt_table_format(b) || !pgt_geometry_same_layout(g, pgt_table_geometry(b)))
		return pgt_fail(err, -EINVAL,
				"internal error: descriptors of two layouts compared (%s and %s)",
				pgt_format_name(pgt_table_format(a)),
				pgt_format_name(pgt_table_format(b)));
	struct dd x = {.a = a, .b = b, .fn = fn, .ctx = ctx};
	pgt_addr ra[PGT_MAX_ROOTS], rb[PGT_MAX_ROOTS];
	unsigned n = pgt_table_roots(a, ra);
	pgt_table_roots(b, rb);
	int rc = 0;
	for (unsigned r = 0; r < n && !rc; r++) {
		pgt_addr base = g->iova_high | (g->n_roots > 1 ? (pgt_addr)r << g->root_shift : 0);
		rc = compare_tables(&x, 0, ra[r], rb[r], base);
	}
	for (int s = 0; s < 2; s++)
		for (unsigned d = 0; d < PGT_MAX_LEVELS; d++)
			free(x.buf[s][d]);
	free(x.seen.slot);
	if (rc == -ENOMEM)
		return pgt_fail(err, rc, "out of memory");
	return rc;
}

// SPDX-License-Identifier: MIT
/*
 * Scanning memory for page tables of a format when the root is unknown.
 * A cheap first pass keeps only aligned tables whose every entry decodes
 * and whose table pointers stay inside memory; a bounded walk below each
 * survivor then scores it: valid tables and leaves count for it, malformed
 * descriptors, misaligned outputs and pointers outside memory against it.
 * A lower-level table taken for a root reads its entries at the wrong
 * level, so its tree scores worse than the real root's. Leaves that
 * map_pages would not have written count against a candidate: those that
 * grant neither read nor write, and those with bits the format does not
 * encode for their prot. Other tables that decode as this format are full
 * of them: a CPU page table read as AMD v1 (its permission bits are the
 * CPU's ignored bits), or an arm64 CPU table read as LPAE (software bits,
 * contiguous hints, PXN), so the IOMMU's tables rank above them.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine.h"

#define MAX_PROBLEMS 16	  /* a walk that meets more is not a table */
#define MAX_TABLES 200000 /* bound on the tables one walk visits */
#define PER_TABLE 8
#define PER_PROBLEM 64
#define PER_FOREIGN 2

struct score {
	struct pgt_scan_candidate c;
	uint64_t foreign; /* leaves map_pages would not write */
	struct pgt_table *t;
	bool any;
};

static int on_table(void *ctx, const struct pgt_table_visit *tv)
{
	struct score *s = ctx;
	(void)tv;
	return ++s->c.tables > MAX_TABLES ? 1 : 0;
}

static int on_leaf(void *ctx, const struct pgt_leaf *l)
{
	struct score *s = ctx;
	s->c.leaves++;
	s->c.mapped += l->span;
	if (!pgt_table_leaf_from_map(s->t, l, NULL))
		s->foreign++;
	if (!s->any || l->iova < s->c.lo)
		s->c.lo = l->iova;
	if (!s->any || l->iova + l->span - 1 > s->c.hi)
		s->c.hi = l->iova + l->span - 1;
	s->any = true;
	return 0;
}

static int on_problem(void *ctx, const struct pgt_problem *p)
{
	struct score *s = ctx;
	(void)p;
	return ++s->c.problems > MAX_PROBLEMS ? 1 : 0;
}

/* First pass: does the table at pa look like a root of this format? */
static bool plausible_root(struct pgt_table *t, pgt_addr pa, uint8_t *buf)
{
	const struct pgt_level_geom *l0 = &t->geo.level[0];
	const void *p = pgt_mem_ptr(t->mem, pa, l0->table_bytes);
	if (!p) {
		if (pgt_mem_read(t->mem, pa, buf, l0->table_bytes))
			return false;
		p = buf;
	}
	uint64_t n = 1ull << l0->index_bits, used = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t raw = pgt_desc_get(t, p, i);
		if (!raw)
			continue;
		struct pgt_entry e;
		t->ops->decode(t, 0, raw, &e);
		if (e.kind == PGT_BAD)
			return false;
		if (e.kind == PGT_TABLE) {
			uint8_t probe;
			if (t->geo.n_levels < 2 || e.pa == pa || pgt_mem_read(t->mem, e.pa, &probe, 1))
				return false;
		}
		if (e.kind != PGT_EMPTY)
			used++;
	}
	return used > 0;
}

static int by_score(const void *a, const void *b)
{
	const struct pgt_scan_candidate *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->root < y->root ? -1 : x->root > y->root;
}

/* Keep the best max_out candidates, best first. */
static size_t keep(struct pgt_scan_candidate *out, size_t n, size_t max_out,
		   const struct pgt_scan_candidate *c)
{
	if (n < max_out)
		out[n++] = *c;
	else if (max_out && c->score > out[max_out - 1].score)
		out[max_out - 1] = *c;
	else
		return n;
	qsort(out, n, sizeof(*out), by_score);
	return n;
}

int pgt_scan(const struct pgt_format *fmt, const struct pgt_cfg *cfg, struct pgt_mem *mem,
	     struct pgt_scan_candidate *out, size_t max_out, struct pgt_error *err)
{
	size_t n_ranges = pgt_mem_ranges(mem, NULL, 0), n_out = 0;
	struct pgt_mem_range *ranges = calloc(n_ranges ? n_ranges : 1, sizeof(*ranges));
	struct pgt_table *t = NULL;
	uint8_t *buf = NULL;
	int rc;

	if (!ranges)
		return pgt_fail(err, -ENOMEM, "out of memory");
	pgt_mem_ranges(mem, ranges, n_ranges);
	if ((rc = pgt_table_setup(fmt, cfg, mem, &t, err)))
		goto out;
	if (t->geo.n_roots != 1) {
		rc = pgt_fail(err, -EINVAL,
			      "%s with this configuration has %u roots; scan one at a time (a "
			      "smaller --ias gives one)",
			      fmt->name, t->geo.n_roots);
		goto out;
	}
	t->n_roots = 1;
	const struct pgt_level_geom *l0 = &t->geo.level[0];
	uint64_t step = l0->table_align < 64 ? 64 : l0->table_align;
	buf = malloc(l0->table_bytes);
	if (!buf) {
		rc = pgt_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 0; r < n_ranges; r++) {
		pgt_addr first = (ranges[r].pa + step - 1) & ~(step - 1);
		pgt_addr end = ranges[r].pa + ranges[r].len;
		for (pgt_addr pa = first; pa >= ranges[r].pa && pa + l0->table_bytes <= end;
		     pa += step) {
			if (!plausible_root(t, pa, buf))
				continue;
			struct score s = {.c = {.root = pa}, .t = t};
			struct pgt_visitor v = {.table = on_table, .leaf = on_leaf,
						.problem = on_problem, .check_descriptors = true,
						.ctx = &s};
			t->root[0] = pa;
			pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v);
			if (s.c.problems > MAX_PROBLEMS || !s.c.leaves)
				continue;
			s.c.score = (int64_t)(s.c.tables * PER_TABLE + s.c.leaves - s.foreign) -
				    (int64_t)(s.c.problems * PER_PROBLEM + s.foreign * PER_FOREIGN);
			n_out = keep(out, n_out, max_out, &s.c);
		}
	}
	rc = (int)n_out;
out:
	pgt_table_destroy(t);
	free(buf);
	free(ranges);
	return rc;
}

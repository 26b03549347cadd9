// SPDX-License-Identifier: MIT
/*
 * Copy a table into a fresh arena in canonical layout: the roots first, then
 * every table in depth-first IOVA order. An image therefore depends only on
 * the table's contents, never on the order its tables were allocated in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"

struct placed {
	pgt_addr old_pa, new_pa;
	unsigned depth;
};

struct collect {
	struct placed *v;
	size_t n, cap;
};

static int on_table(void *ctx, const struct pgt_table_visit *tv)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct placed *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = (struct placed){tv->pa, 0, tv->depth};
	return 0;
}

static int by_old(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	return x->old_pa < y->old_pa ? -1 : x->old_pa > y->old_pa;
}

/* Where the table at old went; false when it was not copied. */
static bool lookup(const struct placed *sorted, size_t n, pgt_addr old, pgt_addr *new_pa)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sorted[mid].old_pa < old)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || sorted[lo].old_pa != old)
		return false;
	*new_pa = sorted[lo].new_pa;
	return true;
}

int pgt_table_clone(struct pgt_table *t, pgt_addr base, struct pgt_mem **arena_out,
		    struct pgt_table **out, struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->fmt->ops;
	const struct pgt_geometry *g = &t->geo;
	struct collect c = {0};
	struct pgt_visitor v = {.table = on_table, .ctx = &c};
	struct pgt_mem *arena = NULL;
	struct placed *sorted = NULL;
	uint8_t *buf = NULL;
	/* a loop or a shared table has no canonical copy */
	int rc = pgt_table_check_sound(t, err);
	if (rc)
		return rc;
	rc = pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v);
	if (rc) {
		rc = pgt_fail(err, -ENOMEM, "out of memory");
		goto out;
	}

	arena = pgt_arena_new(base);
	if (arena)
		arena->big_endian = t->big_endian;
	if (!arena) {
		rc = pgt_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	/* Roots first, in root order; the walk met them in that order. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c.n; i++) {
			if ((c.v[i].depth == 0) != (pass == 0))
				continue;
			const struct pgt_level_geom *l = &g->level[c.v[i].depth];
			rc = pgt_arena_alloc(arena, l->table_bytes, l->table_align, &c.v[i].new_pa,
					     err);
			if (rc)
				goto out;
		}

	sorted = malloc((c.n ? c.n : 1) * sizeof(*sorted));
	buf = malloc(65536);
	if (!sorted || !buf) {
		rc = pgt_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	memcpy(sorted, c.v, c.n * sizeof(*sorted));
	qsort(sorted, c.n, sizeof(*sorted), by_old);

	for (size_t i = 0; i < c.n; i++) {
		unsigned d = c.v[i].depth;
		const struct pgt_level_geom *l = &g->level[d];
		if (l->table_bytes > 65536 || pgt_mem_read(t->mem, c.v[i].old_pa, buf, l->table_bytes)) {
			rc = pgt_fail(err, -EFAULT, "internal error: table at 0x%llx is unreadable",
				      (unsigned long long)c.v[i].old_pa);
			goto out;
		}
		uint64_t n = 1ull << l->index_bits;
		for (uint64_t k = 0; l->has_tables && k < n; k++) {
			uint64_t raw = pgt_desc_get(t, buf, k);
			if (!raw)
				continue;
			struct pgt_entry e;
			pgt_addr to;
			ops->decode(t, d, raw, &e);
			/* An entry outside the input range (a DART table beyond
			 * ias) may point anywhere; the walk never followed it, so
			 * there is no copy to point at: it is kept as it is. */
			if (e.kind != PGT_TABLE || !lookup(sorted, c.n, e.pa, &to))
				continue;
			pgt_desc_put(t, buf, k, ops->retarget(t, d, raw, to));
		}
		if (pgt_mem_write(arena, c.v[i].new_pa, buf, l->table_bytes)) {
			rc = pgt_fail(err, -ENOMEM, "out of memory");
			goto out;
		}
	}

	pgt_addr roots[PGT_MAX_ROOTS];
	for (unsigned r = 0; r < t->n_roots; r++)
		if (!lookup(sorted, c.n, t->root[r], &roots[r]))
			roots[r] = 0; /* not reached: the walk meets every root */
	rc = pgt_table_attach(t->fmt, &t->cfg, arena, roots, t->n_roots, out, err);
	if (rc)
		goto out;
	(*out)->ev = t->ev;
	(*out)->ev_cookie = t->ev_cookie;
	*arena_out = arena;
	arena = NULL;
out:
	pgt_mem_destroy(arena);
	free(sorted);
	free(buf);
	free(c.v);
	return rc;
}

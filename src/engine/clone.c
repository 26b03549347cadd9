// SPDX-License-Identifier: MIT
/*
 * The canonical layout of a table: the roots first, then every table in
 * depth-first IOVA order, packed from a base as a fresh arena allocates
 * them. An image therefore depends only on the table's contents, never on
 * the order its tables were allocated in. A table built in IOVA order is
 * already laid out so, and is written as it is; any other is copied.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"

struct placed {
	pgt_addr old_pa, new_pa;
	unsigned depth;
};

struct layout {
	struct placed *v;
	size_t n, cap;
	pgt_addr end; /* one past the last table placed */
};

static int on_table(void *ctx, const struct pgt_table_visit *tv)
{
	struct layout *c = ctx;
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

/*
 * Every table in walk order, and where the canonical layout from base puts
 * it. The walk reads the tables that hold tables, not the last level: a
 * table not known to be sound is checked whole first, since a loop or a
 * shared table has no canonical copy.
 */
static int plan(struct pgt_table *t, pgt_addr base, struct layout *L, struct pgt_error *err)
{
	int rc = pgt_table_check_sound(t, err);
	if (rc)
		return rc;
	struct pgt_visitor v = {.table = on_table, .tables_only = true, .ctx = L};
	if (pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v))
		return pgt_fail(err, -ENOMEM, "out of memory");
	/* roots first, in root order (the walk met them in that order),
	 * each aligned as pgt_alloc_table has the arena align it */
	pgt_addr top = base;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < L->n; i++) {
			if ((L->v[i].depth == 0) != (pass == 0))
				continue;
			const struct pgt_level_geom *l = &t->geo.level[L->v[i].depth];
			uint64_t align = l->table_align > l->table_bytes ? l->table_align
									 : l->table_bytes;
			L->v[i].new_pa = (top + align - 1) & ~(align - 1);
			top = L->v[i].new_pa + l->table_bytes;
		}
	L->end = top;
	return 0;
}

/* Is the table's arena already its canonical layout, byte for byte? Every
 * table in its place, and nothing else below the end but zeros. */
static bool in_place(struct pgt_table *t, const struct layout *L)
{
	if (!pgt_mem_is_arena(t->mem) || !pgt_arena_only_tables(t->mem) ||
	    L->end != pgt_arena_end(t->mem))
		return false;
	for (size_t i = 0; i < L->n; i++)
		if (L->v[i].new_pa != L->v[i].old_pa)
			return false;
	return true;
}

/* Copy the planned tables into a new arena, their table descriptors
 * pointing at the copies. */
static int copy(struct pgt_table *t, pgt_addr base, struct layout *L, struct pgt_mem **arena_out,
		struct pgt_table **out, struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->ops;
	const struct pgt_geometry *g = &t->geo;
	struct placed *sorted = malloc((L->n ? L->n : 1) * sizeof(*sorted));
	struct pgt_mem *arena = NULL;
	int rc = 0;
	if (!sorted) {
		rc = pgt_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = pgt_arena_new(base, &arena, err)))
		goto out;
	arena->big_endian = t->big_endian;
	memcpy(sorted, L->v, L->n * sizeof(*sorted));
	qsort(sorted, L->n, sizeof(*sorted), by_old);

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < L->n; i++) {
			if ((L->v[i].depth == 0) != (pass == 0))
				continue;
			const struct pgt_level_geom *l = &g->level[L->v[i].depth];
			pgt_addr pa;
			if ((rc = pgt_arena_alloc(arena, l->table_bytes, l->table_align, &pa, err)))
				goto out;
			if (pa != L->v[i].new_pa) {
				rc = pgt_fail(err, -EFAULT,
					      "internal error: a table copied to 0x%llx, planned "
					      "at 0x%llx",
					      (unsigned long long)pa,
					      (unsigned long long)L->v[i].new_pa);
				goto out;
			}
		}
	for (size_t i = 0; i < L->n; i++) {
		unsigned d = L->v[i].depth;
		const struct pgt_level_geom *l = &g->level[d];
		void *to = pgt_mem_ptr(arena, L->v[i].new_pa, l->table_bytes);
		if (!to || pgt_mem_read(t->mem, L->v[i].old_pa, to, l->table_bytes)) {
			rc = pgt_fail(err, -EFAULT, "internal error: table at 0x%llx is unreadable",
				      (unsigned long long)L->v[i].old_pa);
			goto out;
		}
		uint64_t n = 1ull << l->index_bits;
		for (uint64_t k = 0; l->has_tables && k < n; k++) {
			uint64_t raw = pgt_desc_get(t, to, k);
			if (!raw)
				continue;
			struct pgt_entry e;
			pgt_addr moved;
			ops->decode(t, d, raw, &e);
			/* An entry outside the input range (a DART table beyond
			 * ias) may point anywhere; the walk never followed it, so
			 * there is no copy to point at: it is kept as it is. */
			if (e.kind != PGT_TABLE || !lookup(sorted, L->n, e.pa, &moved))
				continue;
			pgt_desc_put(t, to, k, ops->retarget(t, d, raw, moved));
		}
	}

	pgt_addr roots[PGT_MAX_ROOTS];
	for (unsigned r = 0; r < t->n_roots; r++)
		if (!lookup(sorted, L->n, t->root[r], &roots[r]))
			roots[r] = 0; /* not reached: the walk meets every root */
	rc = pgt_table_attach(t->fmt, &t->cfg, arena, roots, t->n_roots, out, err);
	if (rc)
		goto out;
	(*out)->ev = t->ev;
	(*out)->ev_cookie = t->ev_cookie;
	(*out)->known_sound = true;
	*arena_out = arena;
	arena = NULL;
out:
	pgt_mem_destroy(arena);
	free(sorted);
	return rc;
}

int pgt_table_clone(struct pgt_table *t, pgt_addr base, struct pgt_mem **arena_out,
		    struct pgt_table **out, struct pgt_error *err)
{
	struct layout L = {0};
	int rc = plan(t, base, &L, err);
	if (!rc)
		rc = copy(t, base, &L, arena_out, out, err);
	free(L.v);
	return rc;
}

int pgt_table_canonical(struct pgt_table *t, struct pgt_mem **arena_out, struct pgt_table **out,
			struct pgt_error *err)
{
	struct layout L = {0};
	pgt_addr base = pgt_table_mem_base(t);
	int rc = plan(t, base, &L, err);
	if (!rc && in_place(t, &L)) {
		*arena_out = NULL;
		*out = t;
	} else if (!rc) {
		rc = copy(t, base, &L, arena_out, out, err);
	}
	free(L.v);
	return rc;
}

// SPDX-License-Identifier: MIT
/*
 * The test's own walker: every non-zero descriptor of a table in IOVA order
 * (a table descriptor before the table's contents), read from the memory
 * with nothing of libpgt's but the bytes. The format gives the geometry and
 * the descriptor rules, both as the kernel has them (struct kt_fmt).
 */
#include <stdlib.h>
#include <string.h>

#include "kt_int.h"

void kt_entv_add(struct kt_entv *e, struct kt_ent x)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 1024;
		e->v = realloc(e->v, e->cap * sizeof(*e->v));
		if (!e->v)
			abort();
	}
	e->v[e->n++] = x;
}

typedef const uint8_t *(*ptr_fn)(const struct kt_pair *p, uint64_t pa, uint64_t len);

struct walker {
	const struct kt_pair *p;
	const struct kt_geom *g;
	ptr_fn ptr;
	struct kt_walk *out;
};

static uint64_t desc_at(const uint8_t *t, uint64_t i, unsigned bytes)
{
	uint64_t v = 0;
	if (bytes == 4) {
		uint32_t x;
		memcpy(&x, t + i * 4, 4);
		v = x;
	} else {
		memcpy(&v, t + i * 8, 8);
	}
	return v;
}

static void walk_table(const struct walker *w, unsigned depth, uint64_t pa, uint64_t base)
{
	const struct kt_level *l = &w->g->level[depth];
	uint64_t n = 1ull << (l->table_bits ? l->table_bits : l->index_bits);
	const uint8_t *t = w->ptr(w->p, pa, n * w->g->desc_bytes);
	w->out->tables++;
	if (!t) {
		w->out->unreadable++;
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t raw = desc_at(t, i, w->g->desc_bytes), next = 0;
		if (!raw)
			continue;
		/* an entry past the 64-bit IOVA space: no IOVA reaches it */
		bool wraps = l->shift >= 64 || (i && (i << l->shift) >> l->shift != i);
		struct kt_ent e = {
			.iova = wraps ? base : base + (i << l->shift),
			.raw = raw,
			.span = wraps ? 0 : 1ull << l->shift,
			.label = (uint16_t)l->label,
		};
		e.size = e.span;
		e.count = 1;
		e.kind = wraps ? KT_JUNK : w->p->f->classify(w->p, l, t, i, &e, &next);
		if (e.kind == KT_TABLE && depth + 1 >= w->g->n_levels)
			e.kind = KT_JUNK;
		if (e.kind != KT_LEAF)
			e.span = e.size = e.pa = e.count = 0;
		if (e.kind == KT_TABLE)
			e.raw = raw & ~w->p->f->table_addr_bits(w->p);
		kt_entv_add(&w->out->ents, e);
		if (e.kind == KT_TABLE)
			walk_table(w, depth + 1, next, e.iova);
	}
}

static void walk(const struct kt_pair *p, ptr_fn ptr, const uint64_t *roots, unsigned n_roots,
		 unsigned mode, struct kt_walk *out)
{
	struct kt_geom g;
	memset(out, 0, sizeof(*out));
	p->f->geometry(p, mode, &g);
	if (!g.n_levels) {
		out->unreadable++;
		return;
	}
	struct walker w = {p, &g, ptr, out};
	for (unsigned r = 0; r < n_roots; r++)
		walk_table(&w, 0, roots[r], p->iova_high | (r ? (uint64_t)r << g.root_shift : 0));
}

static const uint8_t *libpgt_ptr(const struct kt_pair *p, uint64_t pa, uint64_t len)
{
	return pgt_mem_ptr(pgt_table_mem(p->t), pa, len);
}

unsigned kt_libpgt_mode(const struct pgt_table *t)
{
	struct pgt_regs regs;
	pgt_table_registers(t, &regs);
	for (unsigned i = 0; i < regs.n; i++)
		if (!strcmp(regs.reg[i].name, "mode") &&
		    (regs.reg[i].kind == PGT_REG_COUNT || regs.reg[i].kind == PGT_REG_VALUE))
			return (unsigned)regs.reg[i].value;
	return pgt_table_geometry(t)->n_levels;
}

void kt_free_walk(struct kt_walk *w)
{
	free(w->ents.v);
}

void kt_walk_kernel(const struct kt_pair *p, struct kt_walk *out)
{
	uint64_t roots[4];
	unsigned n = oracle_roots(p->k, roots);
	walk(p, kt_kernel_ptr, roots, n, oracle_amd_mode(p->k), out);
}

void kt_walk_libpgt(const struct kt_pair *p, struct kt_walk *out)
{
	pgt_addr roots[PGT_MAX_ROOTS];
	unsigned n = pgt_table_roots(p->t, roots);
	walk(p, libpgt_ptr, roots, n, kt_libpgt_mode(p->t), out);
}

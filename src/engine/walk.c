// SPDX-License-Identifier: MIT
/*
 * Read-only walks: one IOVA (translate, iova_to_phys) and every entry of a
 * range (dump, check, info, diff). Memory may be a hostile dump, so every
 * read is checked, a pointer outside memory is reported and not followed,
 * and a table reached twice (a loop, or two parents) is not walked again.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"

const char *pgt_stop_name(enum pgt_stop stop)
{
	switch (stop) {
	case PGT_STOP_LEAF:
		return "mapped";
	case PGT_STOP_EMPTY:
		return "empty";
	case PGT_STOP_BAD:
		return "malformed";
	case PGT_STOP_OUTSIDE:
		return "outside-memory";
	case PGT_STOP_EXCLUDED:
		return "excluded";
	case PGT_STOP_LOOP:
		return "loop";
	case PGT_STOP_RANGE:
		return "out-of-range";
	case PGT_STOP_BOTTOM:
		return "too-deep";
	}
	return "?";
}

bool pgt_translate(struct pgt_table *t, pgt_addr iova, struct pgt_walk *w)
{
	const struct pgt_geometry *g = &t->geo;
	memset(w, 0, sizeof(*w));
	w->iova = iova;
	if (!pgt_iova_in_range(t, iova)) {
		w->stop = PGT_STOP_RANGE;
		snprintf(w->why, sizeof(w->why), "iova is outside the %u-bit input address space%s",
			 g->iova_bits, g->iova_high ? " of the upper (TTBR1) half" : "");
		return false;
	}
	w->root = pgt_root_index(g, iova);
	pgt_addr tbl = t->root[w->root];
	for (unsigned d = 0; d < g->n_levels; d++) {
		struct pgt_walk_step *s = &w->step[w->n_steps];
		s->depth = d;
		s->label = g->level[d].label;
		s->index = pgt_index(g, d, iova);
		s->table_pa = tbl;
		s->desc_pa = tbl + (uint64_t)s->index * g->desc_bytes;
		uint64_t raw;
		int rc = pgt_mem_read_desc(t->mem, s->desc_pa, g->desc_bytes, t->big_endian, &raw);
		if (rc) {
			bool excluded = rc == -ENODATA;
			w->stop = excluded ? PGT_STOP_EXCLUDED : PGT_STOP_OUTSIDE;
			snprintf(w->why, sizeof(w->why), "level %u descriptor address 0x%llx is %s",
				 s->label, (unsigned long long)s->desc_pa,
				 excluded ? "in a page the dump excluded" : "outside memory");
			return false;
		}
		w->n_steps++;
		t->fmt->ops->decode(t, d, raw, &s->e);
		switch (s->e.kind) {
		case PGT_EMPTY:
			w->stop = PGT_STOP_EMPTY;
			snprintf(w->why, sizeof(w->why), "level %u descriptor at 0x%llx is empty",
				 s->label, (unsigned long long)s->desc_pa);
			return false;
		case PGT_BAD:
			w->stop = PGT_STOP_BAD;
			snprintf(w->why, sizeof(w->why), "level %u descriptor at 0x%llx: %s", s->label,
				 (unsigned long long)s->desc_pa, s->e.why);
			return false;
		case PGT_LEAF:
			w->stop = PGT_STOP_LEAF;
			w->pa = s->e.pa | (iova & (s->e.size - 1));
			return true;
		case PGT_TABLE:
			break;
		}
		if (d + 1 == g->n_levels) {
			w->stop = PGT_STOP_BOTTOM;
			snprintf(w->why, sizeof(w->why), "table pointer at the last level (%u)",
				 s->label);
			return false;
		}
		for (unsigned k = 0; k <= d; k++)
			if (w->step[k].table_pa == s->e.pa) {
				w->stop = PGT_STOP_LOOP;
				snprintf(w->why, sizeof(w->why),
					 "level %u descriptor at 0x%llx points back to the level %u "
					 "table at 0x%llx",
					 s->label, (unsigned long long)s->desc_pa, w->step[k].label,
					 (unsigned long long)s->e.pa);
				return false;
			}
		tbl = s->e.pa;
	}
	return false;
}

pgt_addr pgt_iova_to_phys(struct pgt_table *t, pgt_addr iova)
{
	struct pgt_walk w;
	return pgt_translate(t, iova, &w) ? w.pa : 0;
}

/* --- Range walk --------------------------------------------------------- */

/* Open-addressing set of table addresses already walked. */
struct pa_set {
	pgt_addr *slot;
	size_t cap, n;
};

static size_t pa_hash(pgt_addr pa, size_t cap)
{
	return (size_t)((pa >> 6) * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
}

/* Returns 1 if added, 0 if already present, -1 on no memory. */
static int pa_set_add(struct pa_set *s, pgt_addr pa)
{
	pa += 1; /* 0 marks a free slot */
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		pgt_addr *n = calloc(cap, sizeof(*n));
		if (!n)
			return -1;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slot[i])
				continue;
			size_t h = pa_hash(s->slot[i], cap);
			while (n[h])
				h = (h + 1) & (cap - 1);
			n[h] = s->slot[i];
		}
		free(s->slot);
		s->slot = n;
		s->cap = cap;
	}
	size_t h = pa_hash(pa, s->cap);
	while (s->slot[h]) {
		if (s->slot[h] == pa)
			return 0;
		h = (h + 1) & (s->cap - 1);
	}
	s->slot[h] = pa;
	s->n++;
	return 1;
}

struct frame {
	pgt_addr table_pa;
	pgt_addr base_iova; /* IOVA of entry 0 */
	const uint8_t *data;
	uint8_t *buf; /* copy, when memory gives no direct pointer */
	uint64_t idx, end;
};

struct range_walk {
	struct pgt_table *t;
	const struct pgt_visitor *v;
	pgt_addr lo, hi;
	struct pa_set seen;
	unsigned root;
	struct frame f[PGT_MAX_LEVELS];
};

static int report(struct range_walk *rw, enum pgt_stop kind, unsigned depth, pgt_addr iova,
		  pgt_addr desc_pa, uint64_t raw, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static int report(struct range_walk *rw, enum pgt_stop kind, unsigned depth, pgt_addr iova,
		  pgt_addr desc_pa, uint64_t raw, const char *fmt, ...)
{
	if (!rw->v->problem)
		return 0;
	struct pgt_problem p = {kind, depth, rw->t->geo.level[depth].label, iova, desc_pa, raw, ""};
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p.why, sizeof(p.why), fmt, ap);
	va_end(ap);
	return rw->v->problem(rw->v->ctx, &p);
}

/* Make the table at depth readable; 0 on success, else problem reported
 * (its value returned when the visitor asked to stop, -EFAULT otherwise). */
static int open_frame(struct range_walk *rw, unsigned depth, pgt_addr pa, pgt_addr base,
		      pgt_addr parent_desc, uint64_t parent_raw)
{
	struct pgt_table *t = rw->t;
	const struct pgt_level_geom *l = &t->geo.level[depth];
	struct frame *f = &rw->f[depth];
	f->table_pa = pa;
	f->base_iova = base;
	f->data = pgt_mem_ptr(t->mem, pa, l->table_bytes);
	if (!f->data) {
		if (!f->buf)
			f->buf = malloc(l->table_bytes);
		int got = f->buf ? pgt_mem_read(t->mem, pa, f->buf, l->table_bytes) : -ENOMEM;
		if (got) {
			bool excluded = got == -ENODATA;
			int rc = report(rw, excluded ? PGT_STOP_EXCLUDED : PGT_STOP_OUTSIDE,
					depth ? depth - 1 : 0, base, parent_desc, parent_raw,
					"level %u table at 0x%llx is %s", l->label,
					(unsigned long long)pa,
					excluded ? "in a page the dump excluded" : "outside memory");
			return rc ? rc : -EFAULT;
		}
		f->data = f->buf;
	}
	/* Only the entries whose IOVA range meets [lo, hi] */
	uint64_t n = 1ull << l->index_bits, span_shift = l->shift;
	f->idx = 0;
	f->end = n;
	if (rw->lo > base)
		f->idx = span_shift >= 64 ? 0 : (rw->lo - base) >> span_shift;
	if (span_shift < 64 && rw->hi - base < ((n - 1) << span_shift))
		f->end = ((rw->hi - base) >> span_shift) + 1;
	if (f->idx > n)
		f->idx = n;
	return 0;
}

static bool is_ancestor(struct range_walk *rw, unsigned depth, pgt_addr pa)
{
	for (unsigned k = 0; k <= depth; k++)
		if (rw->f[k].table_pa == pa)
			return true;
	return false;
}

static int visit_table(struct range_walk *rw, unsigned depth, pgt_addr iova, pgt_addr pa,
		       pgt_addr desc_pa, uint64_t raw)
{
	const struct pgt_level_geom *l = &rw->t->geo.level[depth];
	struct pgt_table_visit tv = {depth, l->label, iova, pa, l->table_bytes, desc_pa, raw,
				     rw->root};
	return rw->v->table ? rw->v->table(rw->v->ctx, &tv) : 0;
}

static int walk_root(struct range_walk *rw, pgt_addr root, pgt_addr base)
{
	struct pgt_table *t = rw->t;
	const struct pgt_geometry *g = &t->geo;
	const struct pgt_format_ops *ops = t->fmt->ops;
	const struct pgt_visitor *v = rw->v;
	int rc;

	if (pa_set_add(&rw->seen, root) < 0)
		return -ENOMEM;
	if ((rc = open_frame(rw, 0, root, base, root, 0)))
		return rc == -EFAULT ? 0 : rc;
	if ((rc = visit_table(rw, 0, base, root, 0, 0)))
		return rc;

	unsigned depth = 0;
	for (;;) {
		struct frame *f = &rw->f[depth];
		if (f->idx >= f->end) {
			if (depth == 0)
				return 0;
			depth--;
			continue;
		}
		const struct pgt_level_geom *l = &g->level[depth];
		uint64_t i = f->idx++;
		uint64_t raw = pgt_desc_get(t, f->data, i);
		if (!raw)
			continue;
		pgt_addr iova = f->base_iova + (l->shift < 64 ? i << l->shift : 0);
		pgt_addr desc_pa = f->table_pa + i * g->desc_bytes;
		struct pgt_entry e;
		ops->decode(t, depth, raw, &e);

		if (v->check_descriptors && ops->lint) {
			const char *why = ops->lint(t, depth, raw);
			if (why && (rc = report(rw, PGT_STOP_BAD, depth, iova, desc_pa, raw, "%s", why)))
				return rc;
		}
		switch (e.kind) {
		case PGT_EMPTY:
			break;
		case PGT_BAD:
			if ((rc = report(rw, PGT_STOP_BAD, depth, iova, desc_pa, raw, "%s", e.why)))
				return rc;
			break;
		case PGT_LEAF:
			if (v->leaf) {
				uint64_t span = pgt_size_of_depth(t, depth);
				struct pgt_leaf lf = {
					.iova = iova,
					.span = span,
					.pa = e.pa | (iova & (e.size - 1)),
					.size = e.size,
					.count = e.count,
					.prot = e.prot,
					.depth = depth,
					.label = l->label,
					.desc_pa = desc_pa,
					.raw = raw,
				};
				if ((rc = v->leaf(v->ctx, &lf)))
					return rc;
			}
			break;
		case PGT_TABLE: {
			if (depth + 1 >= g->n_levels) {
				if ((rc = report(rw, PGT_STOP_BOTTOM, depth, iova, desc_pa, raw,
						 "table pointer at the last level")))
					return rc;
				break;
			}
			int added = pa_set_add(&rw->seen, e.pa);
			if (added < 0)
				return -ENOMEM;
			if (!added) {
				bool loop = is_ancestor(rw, depth, e.pa);
				if ((rc = report(rw, PGT_STOP_LOOP, depth, iova, desc_pa, raw,
						 loop ? "points back up the walk to the table at 0x%llx"
						      : "points to the table at 0x%llx, already reached "
							"from another descriptor",
						 (unsigned long long)e.pa)))
					return rc;
				break;
			}
			rc = open_frame(rw, depth + 1, e.pa, iova, desc_pa, raw);
			if (rc == -EFAULT)
				break;
			if (rc)
				return rc;
			if ((rc = visit_table(rw, depth + 1, iova, e.pa, desc_pa, raw)))
				return rc;
			depth++;
			break;
		}
		}
	}
}

int pgt_walk_range(struct pgt_table *t, pgt_addr lo, pgt_addr hi, const struct pgt_visitor *v)
{
	const struct pgt_geometry *g = &t->geo;
	struct range_walk rw = {.t = t, .v = v, .lo = lo, .hi = hi};
	int rc = 0;

	for (unsigned r = 0; r < t->n_roots && !rc; r++) {
		pgt_addr base = g->iova_high | (g->n_roots > 1 ? (pgt_addr)r << g->root_shift : 0);
		pgt_addr top = pgt_table_iova_max(t);
		if (g->n_roots > 1 && g->root_shift < 64)
			top = base + ((1ull << g->root_shift) - 1);
		if (top < lo || base > hi)
			continue;
		rw.root = r;
		rc = walk_root(&rw, t->root[r], base);
	}
	for (unsigned d = 0; d < PGT_MAX_LEVELS; d++)
		free(rw.f[d].buf);
	free(rw.seen.slot);
	return rc;
}

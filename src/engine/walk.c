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
#include <string.h>

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
	case PGT_STOP_UNREADABLE:
		return "unreadable";
	}
	return "?";
}

enum pgt_stop pgt_unread(struct pgt_mem *mem, int rc, char *why, size_t len)
{
	if (rc == -ENODATA) {
		snprintf(why, len, "in a page the dump excluded");
		return PGT_STOP_EXCLUDED;
	}
	if (rc == -EIO || rc == -ENOMEM) {
		snprintf(why, len, "in a page of the dump that cannot be read (%s)", pgt_mem_why(mem));
		return PGT_STOP_UNREADABLE;
	}
	snprintf(why, len, "outside memory");
	return PGT_STOP_OUTSIDE;
}

int pgt_walk_new(struct pgt_walk **out, struct pgt_error *err)
{
	struct pgt_walk *w = calloc(1, sizeof(*w));
	if (!w)
		return pgt_fail(err, -ENOMEM, "out of memory");
	*out = w;
	return 0;
}

void pgt_walk_free(struct pgt_walk *w)
{
	free(w);
}

pgt_addr pgt_walk_iova(const struct pgt_walk *w)
{
	return w->iova;
}

unsigned pgt_walk_root(const struct pgt_walk *w)
{
	return w->root;
}

unsigned pgt_walk_steps(const struct pgt_walk *w)
{
	return w->n_steps;
}

const struct pgt_walk_step *pgt_walk_at(const struct pgt_walk *w, unsigned i)
{
	return i < w->n_steps ? &w->step[i] : NULL;
}

enum pgt_stop pgt_walk_stop(const struct pgt_walk *w)
{
	return w->stop;
}

pgt_addr pgt_walk_pa(const struct pgt_walk *w)
{
	return w->pa;
}

const char *pgt_walk_why(const struct pgt_walk *w)
{
	return w->why;
}

/* Start a walk of iova: false (w says why) when it is outside the range.
 * Only what the walk sets is written: a caller may keep many walks. */
static bool walk_begin(struct pgt_table *t, pgt_addr iova, struct pgt_walk *w, pgt_addr *tbl)
{
	const struct pgt_geometry *g = &t->geo;
	w->iova = iova;
	w->n_steps = 0;
	w->pa = 0;
	w->why[0] = 0;
	w->root = 0;
	if (!pgt_iova_in_range(t, iova)) {
		w->stop = PGT_STOP_RANGE;
		snprintf(w->why, sizeof(w->why), "iova is outside the %u-bit input address space%s",
			 g->iova_bits, g->iova_high ? " of the upper (TTBR1) half" : "");
		return false;
	}
	w->root = pgt_root_index(g, iova);
	*tbl = t->root[w->root];
	return true;
}

/* Where the walk reads next: the descriptor at its depth in table tbl. */
static pgt_addr walk_desc_pa(const struct pgt_table *t, const struct pgt_walk *w, pgt_addr tbl)
{
	return tbl + (uint64_t)pgt_index(&t->geo, w->n_steps, w->iova) * t->geo.desc_bytes;
}

/* One level: true when the walk goes on, to the table now in *tbl. at is
 * the descriptor in memory when the caller has it, else NULL. */
static bool walk_step(struct pgt_table *t, struct pgt_walk *w, pgt_addr *tbl, const void *at)
{
	const struct pgt_geometry *g = &t->geo;
	unsigned d = w->n_steps;
	if (d >= g->n_levels)
		return false;
	struct pgt_walk_step *s = &w->step[d];
	s->depth = d;
	s->label = g->level[d].label;
	s->index = pgt_index(g, d, w->iova);
	s->table_pa = *tbl;
	s->desc_pa = *tbl + (uint64_t)s->index * g->desc_bytes;
	uint64_t raw;
	int rc = at ? (raw = pgt_desc_get(t, at, 0), 0)
		    : pgt_mem_read_desc(t->mem, s->desc_pa, g->desc_bytes, t->big_endian, &raw);
	if (rc) {
		char where[sizeof(w->why) - 64];
		w->stop = pgt_unread(t->mem, rc, where, sizeof(where));
		snprintf(w->why, sizeof(w->why), "level %u descriptor address 0x%llx is %s",
			 s->label, (unsigned long long)s->desc_pa, where);
		return false;
	}
	w->n_steps++;
	t->ops->decode(t, d, raw, &s->e);
	switch (s->e.kind) {
	case PGT_EMPTY:
		w->stop = PGT_STOP_EMPTY;
		snprintf(w->why, sizeof(w->why), "level %u descriptor at 0x%llx is empty", s->label,
			 (unsigned long long)s->desc_pa);
		return false;
	case PGT_BAD:
		w->stop = PGT_STOP_BAD;
		snprintf(w->why, sizeof(w->why), "level %u descriptor at 0x%llx: %s", s->label,
			 (unsigned long long)s->desc_pa, s->e.why);
		return false;
	case PGT_LEAF:
		w->stop = PGT_STOP_LEAF;
		w->pa = s->e.pa | (w->iova & (s->e.size - 1));
		return false;
	case PGT_TABLE:
		break;
	}
	if (d + 1 == g->n_levels) {
		w->stop = PGT_STOP_BOTTOM;
		/* no format's decoder gives one: a bug if it happens */
		snprintf(w->why, sizeof(w->why),
			 "internal error: a table pointer at the last level (%u)", s->label);
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
	*tbl = s->e.pa;
	return true;
}

bool pgt_translate(struct pgt_table *t, pgt_addr iova, struct pgt_walk *w)
{
	pgt_addr tbl;
	if (!walk_begin(t, iova, w, &tbl))
		return false;
	while (walk_step(t, w, &tbl, NULL))
		;
	return w->stop == PGT_STOP_LEAF;
}

/*
 * Walks whose IOVAs agree above the lowest two levels read the same
 * descriptors down to there (a 4 GiB space has four such prefixes in a
 * 4-level table). Within one call memory does not change, so a walk copies
 * those steps from an earlier walk of the call that went through them
 * rather than reading and decoding them again: the same steps, checks
 * included, as its own walk would have made.
 */
enum { PREFIX_SLOTS = 64 };

struct walk_prefix {
	unsigned depth; /* steps shared; 0: none */
	unsigned shift; /* of the IOVA bits that decide them */
	struct {
		pgt_addr key;
		const struct pgt_walk *from;
	} slot[PREFIX_SLOTS];
};

static void prefix_init(const struct pgt_table *t, struct walk_prefix *p)
{
	const struct pgt_geometry *g = &t->geo;
	p->depth = g->n_levels > 2 ? g->n_levels - 2 : 0;
	p->shift = p->depth ? g->level[p->depth - 1].shift : 0;
	memset(p->slot, 0, sizeof(p->slot));
}

/* w begun: its shared steps, if an earlier walk made them */
static void prefix_take(const struct walk_prefix *p, struct pgt_walk *w, pgt_addr *tbl)
{
	if (!p->depth)
		return;
	pgt_addr key = w->iova >> p->shift;
	const struct pgt_walk *from = p->slot[key % PREFIX_SLOTS].from;
	if (!from || p->slot[key % PREFIX_SLOTS].key != key)
		return;
	memcpy(w->step, from->step, p->depth * sizeof(w->step[0]));
	w->n_steps = p->depth;
	*tbl = from->step[p->depth - 1].e.pa;
}

/* w ended: its steps shared when it went below them */
static void prefix_give(struct walk_prefix *p, const struct pgt_walk *w)
{
	if (!p->depth || w->n_steps <= p->depth)
		return;
	pgt_addr key = w->iova >> p->shift;
	p->slot[key % PREFIX_SLOTS].key = key;
	p->slot[key % PREFIX_SLOTS].from = w;
}

/*
 * The walks of a batch advance a level at a time, all of them: each
 * level's descriptors are asked of memory together (prefetched) before any
 * is read, so that their cache and TLB misses overlap instead of each walk
 * waiting on its own, one after the other.
 */
size_t pgt_translate_many(struct pgt_table *t, const pgt_addr *iova, size_t n,
			  struct pgt_walk *const *w)
{
	enum { BATCH = 32 };
	size_t mapped = 0;
	struct walk_prefix prefix;
	prefix_init(t, &prefix);
	for (size_t first = 0; first < n; first += BATCH) {
		size_t k = n - first < BATCH ? n - first : BATCH;
		struct pgt_walk *const *bw = w + first;
		pgt_addr tbl[BATCH];
		bool going[BATCH];
		bool any = false;
		for (size_t i = 0; i < k; i++) {
			going[i] = walk_begin(t, iova[first + i], bw[i], &tbl[i]);
			if (going[i])
				prefix_take(&prefix, bw[i], &tbl[i]);
			any |= going[i];
		}
		const void *at[BATCH];
		while (any) {
			for (size_t i = 0; i < k; i++) {
				if (!going[i])
					continue;
				at[i] = pgt_mem_ptr(t->mem, walk_desc_pa(t, bw[i], tbl[i]),
						    t->geo.desc_bytes);
				if (at[i])
					__builtin_prefetch(at[i]);
			}
			any = false;
			for (size_t i = 0; i < k; i++)
				if (going[i])
					any |= going[i] = walk_step(t, bw[i], &tbl[i], at[i]);
		}
		for (size_t i = 0; i < k; i++) {
			mapped += bw[i]->stop == PGT_STOP_LEAF;
			prefix_give(&prefix, bw[i]);
		}
	}
	return mapped;
}

pgt_addr pgt_iova_to_phys(struct pgt_table *t, pgt_addr iova)
{
	struct pgt_walk w;
	if (!pgt_translate(t, iova, &w))
		return 0;
	const struct pgt_walk_step *s = &w.step[w.n_steps - 1];
	uint64_t count = s->e.count;
	if (!pgt_feat(t, PGT_FEAT_PHYS_FROM_GROUP_HEAD) || count <= 1)
		return w.pa;
	/* The group head may since have been replaced by a smaller page or a
	 * table: the kernel uses whatever address it holds, or 0 if empty. */
	uint64_t raw;
	struct pgt_entry head;
	pgt_addr head_pa = s->table_pa + (s->index & ~(count - 1)) * t->geo.desc_bytes;
	if (pgt_mem_read_desc(t->mem, head_pa, t->geo.desc_bytes, t->big_endian, &raw))
		return 0;
	t->ops->decode(t, s->depth, raw, &head);
	if (head.kind != PGT_LEAF && head.kind != PGT_TABLE)
		return 0;
	return (head.pa & ~(s->e.size - 1)) | (iova & (s->e.size - 1));
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

/*
 * A range walk as an iterator: the frames of the tables open on the way
 * down, and a short queue of what the next calls hand out (an entry can
 * give a problem and its leaf or table at once).
 */
struct pgt_iter {
	struct pgt_table *t;
	pgt_addr lo, hi;
	bool check, ends;
	bool tables_only; /* leave the entries of tables without tables unread */
	struct pa_set seen;
	unsigned root;	 /* the root being walked (or failing to open) */
	unsigned next;	 /* the next root to open */
	int depth;	 /* the open frame, -1 between roots */
	struct frame f[PGT_MAX_LEVELS];
	struct pgt_item queue[3];
	char why[3][256]; /* the problems' of the queue's items */
	unsigned head, n;
};

static struct pgt_item *push(struct pgt_iter *it, enum pgt_item_kind kind)
{
	struct pgt_item *item = &it->queue[(it->head + it->n++) % 3];
	item->kind = kind;
	return item;
}

/* The IOVA range root r covers. */
static void root_span(const struct pgt_table *t, unsigned r, pgt_addr *base, pgt_addr *top)
{
	const struct pgt_geometry *g = &t->geo;
	*base = g->iova_high | (g->n_roots > 1 ? (pgt_addr)r << g->root_shift : 0);
	*top = pgt_table_iova_max(t);
	if (g->n_roots > 1 && g->root_shift < 64)
		*top = *base + ((1ull << g->root_shift) - 1);
}

static void problem(struct pgt_iter *it, enum pgt_stop kind, unsigned depth, pgt_addr iova,
		    pgt_addr desc_pa, uint64_t raw, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void problem(struct pgt_iter *it, enum pgt_stop kind, unsigned depth, pgt_addr iova,
		    pgt_addr desc_pa, uint64_t raw, const char *fmt, ...)
{
	struct pgt_item *item = push(it, PGT_ITEM_PROBLEM);
	struct pgt_problem *p = &item->problem;
	char *why = it->why[item - it->queue];
	/* a root that cannot be read hides all it covers: the walk is still
	 * between roots (depth -1) when it fails to open one */
	uint64_t span = pgt_size_of_depth(it->t, depth);
	pgt_addr base, last = span ? iova + span - 1 : ~0ull;
	if (it->depth < 0)
		root_span(it->t, it->root, &base, &last);
	*p = (struct pgt_problem){.kind = kind,
				  .depth = depth,
				  .label = it->t->geo.level[depth].label,
				  .iova = iova,
				  .last = last,
				  .desc_pa = desc_pa,
				  .raw = raw,
				  .why = why};
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(it->why[0]), fmt, ap);
	va_end(ap);
}

static void table_item(struct pgt_iter *it, unsigned depth, pgt_addr iova, pgt_addr pa,
		       pgt_addr desc_pa, uint64_t raw)
{
	const struct pgt_level_geom *l = &it->t->geo.level[depth];
	push(it, PGT_ITEM_TABLE)->table = (struct pgt_table_visit){
		depth, l->label, iova, pa, l->table_bytes, desc_pa, raw, it->root};
}

/*
 * Where iova falls in a sign-extended root's entries, which run from the
 * lower half up through the upper: its walked bits. An IOVA in the
 * non-canonical hole between the halves goes to the first entry of the
 * upper half (up) or the last of the lower.
 */
static pgt_addr root_linear(const struct pgt_geometry *g, pgt_addr iova, bool up)
{
	uint64_t half = 1ull << (g->iova_bits - 1);
	if (pgt_iova_canonical(g, iova) == iova)
		return iova & (2 * half - 1);
	return up ? half : half - 1;
}

/* Make the table at depth readable; false (and a problem queued) when it
 * is not in memory. */
static bool open_frame(struct pgt_iter *it, unsigned depth, pgt_addr pa, pgt_addr base,
		       pgt_addr parent_desc, uint64_t parent_raw)
{
	struct pgt_table *t = it->t;
	const struct pgt_level_geom *l = &t->geo.level[depth];
	struct frame *f = &it->f[depth];
	f->table_pa = pa;
	f->base_iova = base;
	f->data = pgt_mem_ptr(t->mem, pa, l->table_bytes);
	if (!f->data) {
		if (!f->buf)
			f->buf = malloc(l->table_bytes);
		int got = f->buf ? pgt_mem_read(t->mem, pa, f->buf, l->table_bytes) : -ENOMEM;
		if (got) {
			char where[192];
			enum pgt_stop kind = pgt_unread(t->mem, got, where, sizeof(where));
			problem(it, kind, depth ? depth - 1 : 0, base, parent_desc, parent_raw,
				"level %u table at 0x%llx is %s", l->label, (unsigned long long)pa,
				where);
			return false;
		}
		f->data = f->buf;
	}
	/* Only the entries whose IOVA range meets [lo, hi] */
	uint64_t n = 1ull << l->index_bits, span_shift = l->shift;
	pgt_addr lo = it->lo, hi = it->hi;
	if (depth == 0 && t->geo.sign_extend) {
		lo = root_linear(&t->geo, lo, true);
		hi = root_linear(&t->geo, hi, false);
	}
	f->idx = 0;
	f->end = n;
	if (lo > base)
		f->idx = span_shift >= 64 ? 0 : (lo - base) >> span_shift;
	if (span_shift < 64 && hi - base < ((n - 1) << span_shift))
		f->end = ((hi - base) >> span_shift) + 1;
	if (f->idx > n)
		f->idx = n;
	if (it->tables_only && (depth + 1 >= t->geo.n_levels || !l->has_tables))
		f->end = f->idx;
	return true;
}

static bool is_ancestor(struct pgt_iter *it, unsigned depth, pgt_addr pa)
{
	for (unsigned k = 0; k <= depth; k++)
		if (it->f[k].table_pa == pa)
			return true;
	return false;
}

/* Open the next root that meets the range; false when none is left. */
static bool next_root(struct pgt_iter *it)
{
	for (; it->next < it->t->n_roots; it->next++) {
		pgt_addr base, top, pa = it->t->root[it->next];
		it->root = it->next;
		root_span(it->t, it->root, &base, &top);
		if (top < it->lo || base > it->hi)
			continue;
		pa_set_add(&it->seen, pa);
		if (open_frame(it, 0, pa, base, pa, 0)) {
			table_item(it, 0, base, pa, 0, 0);
			it->depth = 0;
		}
		it->next++;
		return true;
	}
	return false;
}

/* Take one entry of the open frame, queueing what it gives. */
static int step(struct pgt_iter *it)
{
	struct pgt_table *t = it->t;
	const struct pgt_geometry *g = &t->geo;
	const struct pgt_format_ops *ops = t->ops;
	unsigned depth = (unsigned)it->depth;
	struct frame *f = &it->f[depth];
	const struct pgt_level_geom *l = &g->level[depth];

	if (f->idx >= f->end) {
		if (it->ends)
			push(it, PGT_ITEM_TABLE_END)->table = (struct pgt_table_visit){
				depth, l->label, f->base_iova, f->table_pa, l->table_bytes, 0, 0,
				it->root};
		it->depth--;
		return 0;
	}
	uint64_t i = f->idx++;
	uint64_t raw = pgt_desc_get(t, f->data, i);
	if (!raw)
		return 0;
	pgt_addr iova = pgt_iova_canonical(g, f->base_iova + (l->shift < 64 ? i << l->shift : 0));
	pgt_addr desc_pa = f->table_pa + i * g->desc_bytes;
	struct pgt_entry e;
	ops->decode(t, depth, raw, &e);
	if (it->check && ops->lint) {
		const char *why = ops->lint(t, depth, raw);
		if (why)
			problem(it, PGT_STOP_BAD, depth, iova, desc_pa, raw, "%s", why);
	}
	/* a page of several entries, against its first */
	if (it->check && ops->lint_group && e.kind == PGT_LEAF && e.count > 1 && (i & (e.count - 1))) {
		uint64_t head = pgt_desc_get(t, f->data, i & ~((uint64_t)e.count - 1));
		const char *why = ops->lint_group(t, depth, raw, head);
		if (why)
			problem(it, PGT_STOP_BAD, depth, iova, desc_pa, raw, "%s", why);
	}
	switch (e.kind) {
	case PGT_EMPTY:
		break;
	case PGT_BAD:
		problem(it, PGT_STOP_BAD, depth, iova, desc_pa, raw, "%s", e.why);
		break;
	case PGT_LEAF:
		push(it, PGT_ITEM_LEAF)->leaf = (struct pgt_leaf){
			.iova = iova,
			.span = pgt_size_of_depth(t, depth),
			.pa = e.pa | (iova & (e.size - 1)),
			.size = e.size,
			.count = e.count,
			.prot = e.prot,
			.depth = depth,
			.label = l->label,
			.desc_pa = desc_pa,
			.raw = raw,
		};
		break;
	case PGT_TABLE: {
		if (depth + 1 >= g->n_levels) {
			problem(it, PGT_STOP_BOTTOM, depth, iova, desc_pa, raw,
				"internal error: a table pointer at the last level");
			break;
		}
		int added = pa_set_add(&it->seen, e.pa);
		if (added < 0)
			return -ENOMEM;
		if (!added) {
			bool loop = is_ancestor(it, depth, e.pa);
			problem(it, PGT_STOP_LOOP, depth, iova, desc_pa, raw,
				loop ? "points back up the walk to the table at 0x%llx"
				     : "points to the table at 0x%llx, already reached from "
				       "another descriptor",
				(unsigned long long)e.pa);
			break;
		}
		if (open_frame(it, depth + 1, e.pa, iova, desc_pa, raw)) {
			table_item(it, depth + 1, iova, e.pa, desc_pa, raw);
			it->depth++;
		}
		break;
	}
	}
	return 0;
}

int pgt_iter_new(struct pgt_table *t, pgt_addr lo, pgt_addr hi, unsigned flags,
		 struct pgt_iter **out, struct pgt_error *err)
{
	struct pgt_iter *it = calloc(1, sizeof(*it));
	if (!it)
		return pgt_fail(err, -ENOMEM, "out of memory");
	it->t = t;
	it->lo = lo;
	it->hi = hi;
	it->check = flags & PGT_ITER_CHECK;
	it->ends = flags & PGT_ITER_ENDS;
	it->tables_only = flags & PGT_ITER_TABLES_ONLY;
	it->depth = -1;
	*out = it;
	return 0;
}

int pgt_iter_next(struct pgt_iter *it, const struct pgt_item **item)
{
	while (!it->n) {
		if (it->depth < 0) {
			if (!next_root(it))
				return 0;
			continue;
		}
		int rc = step(it);
		if (rc)
			return rc;
	}
	*item = &it->queue[it->head];
	it->head = (it->head + 1) % 3;
	it->n--;
	return 1;
}

void pgt_iter_skip(struct pgt_iter *it)
{
	/* the TABLE item came last from the step that opened its frame */
	if (it->depth >= 0 && !it->n)
		it->depth--;
}

void pgt_iter_free(struct pgt_iter *it)
{
	if (!it)
		return;
	for (unsigned d = 0; d < PGT_MAX_LEVELS; d++)
		free(it->f[d].buf);
	free(it->seen.slot);
	free(it);
}

int pgt_walk_range(struct pgt_table *t, pgt_addr lo, pgt_addr hi, const struct pgt_visitor *v)
{
	struct pgt_iter *it;
	const struct pgt_item *item;
	unsigned flags = (v->check_descriptors ? PGT_ITER_CHECK : 0) |
			 (v->tables_only ? PGT_ITER_TABLES_ONLY : 0);
	int rc = pgt_iter_new(t, lo, hi, flags, &it, NULL);
	if (rc)
		return rc;
	while ((rc = pgt_iter_next(it, &item)) > 0) {
		switch (item->kind) {
		case PGT_ITEM_TABLE:
			rc = v->table ? v->table(v->ctx, &item->table) : 0;
			break;
		case PGT_ITEM_LEAF:
			rc = v->leaf ? v->leaf(v->ctx, &item->leaf) : 0;
			break;
		case PGT_ITEM_PROBLEM:
			rc = v->problem ? v->problem(v->ctx, &item->problem) : 0;
			break;
		case PGT_ITEM_TABLE_END:
			break;
		}
		if (rc)
			break;
	}
	pgt_iter_free(it);
	return rc;
}

static int first_problem(void *ctx, const struct pgt_problem *p)
{
	return pgt_fail(ctx, -EUCLEAN,
			"the table is malformed: level %u descriptor 0x%016llx at 0x%llx: %s", p->label,
			(unsigned long long)p->raw, (unsigned long long)p->desc_pa, p->why);
}

int pgt_table_check_sound(struct pgt_table *t, struct pgt_error *err)
{
	if (t->known_sound)
		return 0;
	struct pgt_visitor v = {.problem = first_problem, .ctx = err};
	int rc = pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v);
	if (rc && rc != -EUCLEAN)
		return pgt_fail(err, rc, "out of memory");
	t->known_sound = !rc;
	return rc;
}

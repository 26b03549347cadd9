// SPDX-License-Identifier: MIT
/*
 * The generic page table library's map and unmap (Linux 6.19 on,
 * drivers/iommu/generic_pt/iommu_pt.h), for every format a kernel row
 * builds with PGT_FEAT_RANGE_OPS: the iommu core hands it whole ranges
 * (iommu_map_nosync() calls map_range(), __iommu_unmap() unmap_range()),
 * and it picks page sizes, walks and frees tables itself. The format's
 * ops say the bits (leaf, table, decode, prot_attrs, check_prot) and its
 * geometry the levels; a table whose top grows (PT_FEAT_DYNAMIC_TOP) has a
 * grow hook. What the IOMMU driver sees is reported through the events:
 * its iotlb_sync with the gather (the range, the table pages freed after
 * it, the levels touched), as iommu_iotlb_sync() calls it.
 *
 * Levels here are depths (0 the top) where the kernel counts levels from
 * the leaves up; the geometry's label is the kernel's level.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine.h"

/* An iommu_iotlb_gather with the free list of its pages, and the
 * iommupt_pending_gather of one operation folded in. */
struct gather {
	pgt_addr start, end;
	bool queued;
	uint8_t leaf_levels, table_levels;
	/* the pending part: tables to free and levels, not yet gathered */
	uint8_t pending_leaf, pending_table;
	struct {
		pgt_addr pa;
		uint64_t bytes;
	} *page;
	size_t n_pages, n_pending, cap;
};

static void gather_init(struct gather *g)
{
	g->start = ~0ull;
	g->end = 0;
	g->leaf_levels = g->table_levels = 0;
	g->n_pages = g->n_pending = 0;
}

static bool has_quirk(const struct pgt_table *t, unsigned pt_quirk)
{
	return (t->cfg.quirks & PGT_QUIRK_PT(pt_quirk)) != 0;
}

/* gather_add_table(): the table goes on the pending free list; its level
 * is the level of the entry that pointed to it */
static int gather_add_table(struct pgt_table *t, struct gather *g, unsigned depth, pgt_addr pa,
			    struct pgt_error *err)
{
	if (g->n_pages + g->n_pending == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 16;
		void *n = realloc(g->page, cap * sizeof(*g->page));
		if (!n)
			return pgt_fail(err, -ENOMEM, "out of memory");
		g->page = n;
		g->cap = cap;
	}
	g->page[g->n_pages + g->n_pending].pa = pa;
	g->page[g->n_pages + g->n_pending].bytes = t->geo.level[depth + 1].table_bytes;
	g->n_pending++;
	if (has_quirk(t, PGT_PT_DETAILED_GATHER))
		g->pending_table |= (uint8_t)(1u << t->geo.level[depth].label);
	return 0;
}

/* iommu_iotlb_sync(): the driver's iotlb_sync flushes the range and puts
 * the pages, when the gather has a range (start < end); then the gather
 * is empty again, pages or not. */
static void gather_sync(struct pgt_table *t, struct gather *g)
{
	if (g->start < g->end) {
		struct pgt_gather ev = {g->start, g->end, (unsigned)g->n_pages, g->leaf_levels,
					g->table_levels};
		if (t->ev.iotlb_sync)
			t->ev.iotlb_sync(&ev, t->ev_cookie);
		for (size_t i = 0; i < g->n_pages; i++)
			pgt_arena_free(t->mem, g->page[i].pa, g->page[i].bytes);
	}
	/* the pending part stays: it moves down over the synced pages */
	for (size_t i = 0; i < g->n_pending; i++)
		g->page[i] = g->page[g->n_pages + i];
	g->start = ~0ull;
	g->end = 0;
	g->leaf_levels = g->table_levels = 0;
	g->n_pages = 0;
}

/* iommu_iotlb_gather_is_disjoint() */
static bool gather_disjoint(const struct gather *g, pgt_addr iova, uint64_t len)
{
	pgt_addr start = iova, end = start + len - 1;
	return g->end != 0 && (end + 1 < g->start || start > g->end + 1);
}

/* gather_range_pending(): the range goes to the gather (unless a flush
 * queue flushes everything later), a disjoint one flushed first under
 * PT_FEAT_FLUSH_RANGE_NO_GAPS; the pending pages and levels join it. */
static void gather_range_pending(struct pgt_table *t, struct gather *g, pgt_addr iova,
				 uint64_t len)
{
	if (!g->queued) {
		if (has_quirk(t, PGT_PT_FLUSH_RANGE_NO_GAPS) && gather_disjoint(g, iova, len))
			gather_sync(t, g);
		/* iommu_iotlb_gather_add_range() */
		pgt_addr end = iova + len - 1;
		if (g->start > iova)
			g->start = iova;
		if (g->end < end)
			g->end = end;
	}
	g->n_pages += g->n_pending;
	g->n_pending = 0;
	if (has_quirk(t, PGT_PT_DETAILED_GATHER)) {
		g->leaf_levels |= g->pending_leaf;
		g->table_levels |= g->pending_table;
	}
	g->pending_leaf = g->pending_table = 0;
}

/* --- the range the table takes ------------------------------------------ */

/* The VA bits the top table takes now: pt_top_range()'s max_vasz_lg2, the
 * configuration's, or for a growing top what its levels reach. */
static unsigned top_vasz(const struct pgt_table *t)
{
	if (t->ops->grow && t->geo.iova_bits < t->cfg.ias)
		return t->geo.iova_bits;
	return t->cfg.ias;
}

/* pt_check_range(): both ends inside the lower range, or with
 * PT_FEAT_SIGN_EXTEND both inside the half va's top bit says. */
static bool range_fits(const struct pgt_table *t, pgt_addr va, pgt_addr last)
{
	unsigned v = top_vasz(t);
	if (v >= 64)
		return true;
	uint64_t prefix = 0;
	if (t->geo.sign_extend && ((va >> (v - 1)) & 1))
		prefix = ~0ull;
	return (va >> v) == (prefix >> v) && (last >> v) == (prefix >> v);
}

/*
 * The range map and unmap take: the kernel's pt_check_range(), and two
 * refusals of pgtctl's where the kernel would write entries the IOMMU
 * walks for other IOVAs. pt_check_range() checks only the bits above
 * max_vasz_lg2, so a sign-extended table takes a range running from the
 * lower half into the non-canonical addresses above it, at the slots of
 * the upper half; and where max_vasz_lg2 is below the span of the levels
 * (VT-d's first stage on a 39-bit MGAW), the kernel's indexing (the VA
 * modulo max_vasz_lg2) puts the upper half at the top table's first
 * entry, where the IOMMU walks lower-half IOVAs.
 */
static int range_refused(const struct pgt_table *t, pgt_addr va, pgt_addr last,
			 struct pgt_error *err)
{
	const struct pgt_geometry *g = &t->geo;
	if (!range_fits(t, va, last))
		return pgt_fail(err, -ERANGE,
				"iova 0x%llx-0x%llx is outside the %u-bit input address space "
				"(ERANGE)",
				(unsigned long long)va, (unsigned long long)last, top_vasz(t));
	if (!g->sign_extend)
		return 0;
	if (pgt_iova_canonical(g, va) != va || pgt_iova_canonical(g, last) != last)
		return pgt_fail(err, -ERANGE,
				"iova 0x%llx-0x%llx is not inside one half of the %u-bit "
				"sign-extended input address space (ERANGE)",
				(unsigned long long)va, (unsigned long long)last, g->iova_bits);
	if (t->cfg.ias < g->iova_bits && va >> 63)
		return pgt_fail(err, -ERANGE,
				"iova 0x%llx: the upper half of a %u-bit table limited to %u bits "
				"is placed by the kernel where the IOMMU does not walk; refused",
				(unsigned long long)va, g->iova_bits, t->cfg.ias);
	return 0;
}

/* --- page sizes ----------------------------------------------------------- */

static unsigned fls64(uint64_t x)
{
	return x ? 64 - (unsigned)__builtin_clzll(x) : 0;
}

/* pt_compute_best_pgsize(): the largest size of the bitmap that va and oa
 * are aligned to and that fits before last; 0 when none. */
static unsigned best_pgsize(uint64_t bitmap, pgt_addr va, pgt_addr last, pgt_addr oa)
{
	uint64_t len = last - va + 1;
	uint64_t mask = va | oa | (1ull << (fls64(len) - 1));
	unsigned best = (unsigned)__builtin_ctzll(mask);
	if (best < 63)
		bitmap &= (1ull << (best + 1)) - 1;
	return fls64(bitmap) ? fls64(bitmap) - 1 : 0;
}

/* pt_pgsz_count(): how many pages of 2^lg2 from va before the next larger
 * size of the bitmap can take over (va and oa aligned alike to it). */
static uint64_t pgsz_count(uint64_t bitmap, pgt_addr va, pgt_addr last, pgt_addr oa,
			   unsigned lg2)
{
	uint64_t len = last - va + 1;
	uint64_t next = lg2 + 1 < 64 ? bitmap & ~((2ull << lg2) - 1) : 0;
	if (next) {
		unsigned nlg2 = (unsigned)__builtin_ctzll(next);
		uint64_t nmask = (1ull << nlg2) - 1;
		if (((va ^ oa) & nmask) == 0) {
			uint64_t to_next = (va | nmask) - va + 1;
			if (to_next < len)
				len = to_next;
		}
	}
	return len >> lg2;
}

/* The depth whose items are this size or whose contiguous entries are
 * (pt_pgsz_lg2_to_level()); -1 when none. */
static int depth_of(const struct pgt_table *t, unsigned lg2)
{
	for (unsigned d = t->geo.n_levels; d-- > 0;) {
		unsigned shift = t->geo.level[d].shift;
		if (lg2 >= shift && (d == 0 || lg2 < t->geo.level[d - 1].shift))
			return (t->geo.level[d].leaf_sizes >> lg2) & 1 ? (int)d : -1;
	}
	return -1;
}

/* --- map_range ------------------------------------------------------------ */

struct map_state {
	uint64_t attrs;
	struct gather g;
};

/* __collect_tables() with check_mapped: every table below the table at
 * depth onto the pending list; -EADDRINUSE if any leaf is in them. */
static int collect_tables(struct pgt_table *t, unsigned depth, pgt_addr tbl, struct gather *g,
			  struct pgt_error *err)
{
	void *p = pgt_table_ptr(t, depth, tbl, err);
	if (!p)
		return err->code;
	uint64_t n = 1ull << t->geo.level[depth].index_bits;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t raw = pgt_desc_get(t, p, i);
		struct pgt_entry e;
		t->ops->decode(t, depth, raw, &e);
		if (e.kind == PGT_TABLE) {
			int rc = gather_add_table(t, g, depth, e.pa, err);
			if (!rc)
				rc = collect_tables(t, depth + 1, e.pa, g, err);
			if (rc)
				return rc;
		} else if (e.kind == PGT_LEAF || e.kind == PGT_BAD) {
			return pgt_fail(err, -EADDRINUSE,
					"iova range already in use (EADDRINUSE): a level %u table "
					"at 0x%llx in the way still maps pages",
					t->geo.level[depth].label, (unsigned long long)tbl);
		}
	}
	return 0;
}

static int in_use(struct pgt_table *t, unsigned depth, pgt_addr va, const struct pgt_entry *e,
		  struct pgt_error *err)
{
	char b[24];
	return pgt_fail(err, -EADDRINUSE,
			"iova 0x%llx is already mapped (EADDRINUSE): a %s leaf at level %u maps "
			"it to pa 0x%llx",
			(unsigned long long)va, pgt_fmt_size(e->size, b), t->geo.level[depth].label,
			(unsigned long long)(e->pa | (va & (e->size - 1))));
}

/* clear_contig(): the items a leaf of `count` items goes over must be
 * empty or tables of nothing, which are cleared and freed through the
 * gather (their range flushed) one by one. */
static int clear_contig(struct pgt_table *t, unsigned depth, void *p, uint64_t idx,
			uint64_t count, pgt_addr va, struct gather *g, struct pgt_error *err)
{
	uint64_t span = pgt_size_of_depth(t, depth);
	for (uint64_t k = 0; k < count; k++) {
		struct pgt_entry e;
		t->ops->decode(t, depth, pgt_desc_get(t, p, idx + k), &e);
		if (e.kind == PGT_EMPTY)
			continue;
		if (e.kind != PGT_TABLE)
			return in_use(t, depth, va + k * span, &e, err);
		size_t mark = g->n_pending;
		int rc = collect_tables(t, depth + 1, e.pa, g, err);
		if (rc) {
			g->n_pending = mark;
			return rc;
		}
		pgt_desc_set(t, p, idx + k, 0);
		if ((rc = gather_add_table(t, g, depth, e.pa, err)))
			return rc;
		gather_range_pending(t, g, va + k * span, span);
	}
	return 0;
}

/* Leaves of 2^lg2 from va, up to n of them in the table va's leaf goes
 * in (__map_range() down to the leaf level, then __map_range_leaf() along
 * that table): missing tables are made, a leaf in the way is refused.
 * Where the slots are free the run is written whole; a slot in use goes
 * alone, through the checks. *done: the leaves mapped. */
static int map_run(struct pgt_table *t, unsigned depth, pgt_addr va, pgt_addr oa, unsigned lg2,
		   uint64_t n, struct map_state *m, uint64_t *done, struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->ops;
	pgt_addr tbl = t->root[0];
	bool fresh = false;
	*done = 0;
	for (unsigned d = 0; d < depth; d++) {
		void *p = pgt_table_ptr(t, d, tbl, err);
		if (!p)
			return err->code;
		unsigned idx = pgt_index(&t->geo, d, va);
		uint64_t raw = pgt_desc_get(t, p, idx);
		struct pgt_entry e;
		ops->decode(t, d, raw, &e);
		fresh = false;
		if (e.kind == PGT_TABLE) {
			tbl = e.pa;
			continue;
		}
		if (e.kind == PGT_LEAF)
			return in_use(t, d, va, &e, err);
		if (e.kind == PGT_BAD)
			return pgt_malformed(t, d, tbl + (uint64_t)idx * t->geo.desc_bytes, &e, err);
		/* pt_iommu_new_table() */
		pgt_addr child;
		int rc = pgt_alloc_table(t, d + 1, &child, err);
		if (rc)
			return rc;
		pgt_desc_set(t, p, idx, ops->table(t, d, child, 0));
		tbl = child;
		fresh = true;
	}
	void *p = pgt_table_ptr(t, depth, tbl, err);
	if (!p)
		return err->code;
	const struct pgt_level_geom *l = &t->geo.level[depth];
	uint64_t count = 1ull << (lg2 - l->shift);
	uint64_t idx = pgt_index(&t->geo, depth, va);
	uint64_t room = ((1ull << l->index_bits) - idx) / count;
	if (n > room)
		n = room;
	uint64_t run = fresh ? n : pgt_free_run(t, p, idx, count, n);
	if (!run) {
		int rc = clear_contig(t, depth, p, idx, count, va, &m->g, err);
		if (rc)
			return rc;
		run = 1;
	}
	pgt_write_leaves(t, depth, p, idx, 1ull << lg2, oa, m->attrs, run);
	*done = run;
	return 0;
}

/* The leaf size and count NS(map_range) starts with, and
 * __map_range_leaf() moves on to. */
static int next_chunk(uint64_t bitmap, pgt_addr va, pgt_addr last,
		      pgt_addr oa, unsigned *lg2, uint64_t *n, struct pgt_error *err)
{
	*lg2 = best_pgsize(bitmap, va, last, oa);
	if (!*lg2)
		return pgt_fail(err, -ENXIO,
				"iova 0x%llx and pa 0x%llx are not aligned to a page size of "
				"pgsize_bitmap 0x%llx (ENXIO)",
				(unsigned long long)va, (unsigned long long)oa,
				(unsigned long long)bitmap);
	*n = pgsz_count(bitmap, va, last, oa, *lg2);
	return 0;
}

int pgt_range_map(struct pgt_table *t, pgt_addr iova, pgt_addr pa, uint64_t len, unsigned prot,
		  uint64_t bitmap, uint64_t *mapped, struct pgt_error *err)
{
	struct map_state m = {0};
	unsigned lg2;
	uint64_t n;
	int rc;

	*mapped = 0;
	if (!t->writable)
		return pgt_fail(err, -EROFS, "the table's memory (%s) is read-only", t->mem->name);
	/* NS(map_range): prot without read or write is a WARN and -EINVAL */
	if (!(prot & (PGT_READ | PGT_WRITE)))
		return pgt_fail(err, -EINVAL, "prot must include read or write");
	/* only the start address is checked against the output size */
	if (t->cfg.oas < 64 && pa >> t->cfg.oas)
		return pgt_fail(err, -ERANGE,
				"physical address 0x%llx+0x%llx is beyond the %u-bit output "
				"address space (ERANGE)",
				(unsigned long long)pa, (unsigned long long)len, t->cfg.oas);
	if (t->ops->check_prot && (rc = t->ops->check_prot(t, prot, err)))
		return rc;
	m.attrs = t->ops->prot_attrs(t, prot);
	/* make_range_no_check() */
	if (!len)
		return pgt_fail(err, -EINVAL, "size is zero");
	pgt_addr last = iova + len - 1;
	if (last < iova)
		return pgt_fail(err, -EOVERFLOW, "iova 0x%llx plus size 0x%llx wraps (EOVERFLOW)",
				(unsigned long long)iova, (unsigned long long)len);
	if ((rc = next_chunk(bitmap, iova, last, pa, &lg2, &n, err)))
		return rc;
	/* check_map_range(): a table that grows grows first, for the whole
	 * range and the first leaf's level */
	if (t->ops->grow)
		rc = t->ops->grow(t, last, 1ull << lg2, err);
	else
		rc = range_refused(t, iova, last, err);
	if (rc)
		return rc;

	gather_init(&m.g);
	pgt_addr va = iova, oa = pa;
	for (;;) {
		int depth = depth_of(t, lg2);
		if (depth < 0) {
			rc = pgt_fail(err, -ENXIO, "internal error: no level holds pages of 2^%u", lg2);
			break;
		}
		while (n) {
			uint64_t done;
			rc = map_run(t, (unsigned)depth, va, oa, lg2, n, &m, &done, err);
			if (rc)
				break;
			va += done << lg2;
			oa += done << lg2;
			n -= done;
		}
		if (rc || va - 1 == last)
			break;
		if ((rc = next_chunk(bitmap, va, last, oa, &lg2, &n, err)))
			break;
	}
	*mapped = va - iova;
	/* tables replaced by leaves: their walk caches go (map_range()) */
	if (m.g.n_pages)
		gather_sync(t, &m.g);
	free(m.g.page);
	return rc;
}

/* --- unmap_range ---------------------------------------------------------- */

struct unmap_state {
	pgt_addr va, last; /* pt_range: va moves to each entry visited */
	uint64_t unmapped;
	struct gather *g;
	struct pgt_error *err;
};

/* pt_index_to_va(): va with the bits this table translates set to entry
 * idx's (the bits above, a sign extension included, kept) */
static pgt_addr entry_va(const struct pgt_level_geom *l, pgt_addr va, uint64_t idx)
{
	unsigned span = l->shift + l->index_bits;
	uint64_t mask = span < 64 ? (1ull << span) - 1 : ~0ull;
	return (va & ~mask) | (idx << l->shift);
}

/* pt_entry_fully_covered(): the range starts at the entry and reaches its
 * end */
static bool fully_covered(const struct unmap_state *u, unsigned shift)
{
	uint64_t mask = shift < 64 ? (1ull << shift) - 1 : ~0ull;
	if (u->va & mask)
		return false;
	if ((u->va & ~mask) != (u->last & ~mask))
		return true;
	return (u->last & mask) == mask;
}

/* __unmap_range(): leaves from u->va on are cleared whole, tables walked
 * and freed when the range covers them; an empty entry, or a start inside
 * a leaf, stops it (-EINVAL up through the levels). */
static int unmap_table(struct pgt_table *t, unsigned depth, pgt_addr tbl, struct unmap_state *u)
{
	const struct pgt_format_ops *ops = t->ops;
	const struct pgt_level_geom *l = &t->geo.level[depth];
	void *p = pgt_table_ptr(t, depth, tbl, u->err);
	if (!p)
		return u->err->code;
	uint64_t idx = pgt_index(&t->geo, depth, u->va);
	/* pt_range_to_end_index(): last_va's entry when it is in this table */
	uint64_t end = 1ull << l->index_bits;
	if (entry_va(l, u->va, 0) == entry_va(l, u->last, 0))
		end = pgt_index(&t->geo, depth, u->last) + 1;
	const uint64_t start = idx;
	uint64_t leaves = 0;
	int rc = 0;

	while (idx < end) {
		uint64_t raw = pgt_desc_get(t, p, idx);
		struct pgt_entry e;
		ops->decode(t, depth, raw, &e);
		if (idx != start)
			u->va = entry_va(l, u->va, idx);
		if (e.kind == PGT_LEAF) {
			if (idx == start && (u->va & (e.size - 1))) {
				pgt_refuse_partial(t, depth, u->va, &e,
						   "generic_pt unmaps no part of a page (EINVAL)", u->err);
				rc = -EINVAL;
				break;
			}
			uint64_t first = idx & ~((uint64_t)e.count - 1);
			for (uint64_t k = 0; k < e.count; k++)
				pgt_desc_set(t, p, first + k, 0);
			if (has_quirk(t, PGT_PT_DETAILED_GATHER))
				u->g->pending_leaf |= (uint8_t)(1u << l->label);
			leaves += e.count;
			idx = first + e.count;
			continue;
		}
		if (e.kind != PGT_TABLE) {
			if (e.kind == PGT_BAD)
				pgt_malformed(t, depth, tbl + idx * t->geo.desc_bytes, &e, u->err);
			else
				pgt_not_mapped(t, depth, u->va, tbl + idx * t->geo.desc_bytes, u->err);
			rc = -EINVAL;
			break;
		}
		bool whole = fully_covered(u, l->shift);
		rc = unmap_table(t, depth + 1, e.pa, u);
		if (rc)
			break;
		if (whole) {
			if ((rc = gather_add_table(t, u->g, depth, e.pa, u->err)))
				break;
			pgt_desc_set(t, p, idx, 0);
		}
		idx++;
	}
	u->unmapped += leaves << l->shift;
	return rc;
}

uint64_t pgt_range_unmap(struct pgt_table *t, pgt_addr iova, uint64_t len, bool queued,
			 struct pgt_error *err)
{
	struct gather g = {0};
	struct unmap_state u = {iova, iova + len - 1, 0, &g, err};

	if (!t->writable) {
		pgt_fail(err, -EROFS, "the table's memory (%s) is read-only", t->mem->name);
		return 0;
	}
	/* make_range(): nothing for an empty, wrapping or outside range */
	if (!len) {
		pgt_fail(err, -EINVAL, "size is zero");
		return 0;
	}
	if (u.last < iova) {
		pgt_fail(err, -EOVERFLOW, "iova 0x%llx plus size 0x%llx wraps (EOVERFLOW)",
			 (unsigned long long)iova, (unsigned long long)len);
		return 0;
	}
	if (range_refused(t, iova, u.last, err))
		return 0;
	gather_init(&g);
	g.queued = queued;
	unmap_table(t, 0, t->root[0], &u);
	/* NS(unmap_range), then iommu_unmap()'s iommu_iotlb_sync() */
	gather_range_pending(t, &g, iova, u.unmapped);
	if (queued) {
		for (size_t i = 0; i < g.n_pages; i++)
			pgt_arena_free(t->mem, g.page[i].pa, g.page[i].bytes);
	} else {
		gather_sync(t, &g);
	}
	free(g.page);
	return u.unmapped;
}

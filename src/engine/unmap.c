// SPDX-License-Identifier: MIT
/*
 * unmap_pages: the common checks, then the format's own unmap where it
 * has one (AMD v1's iommu_v1_unmap_pages), else the generic one here: clear
 * a run of leaves at the level whose pages have the size asked for,
 * tearing down tables met there, and where the kernel row splits blocks
 * and the caller asks for it, splitting a block the range covers in part
 * (__arm_lpae_unmap, arm_lpae_split_blk_unmap, __arm_v7s_unmap,
 * dart_unmap_pages).
 */
#include <errno.h>
#include <stdio.h>

#include "engine.h"

static void tlb_flush_walk(struct pgt_table *t, pgt_addr iova, uint64_t size, uint64_t granule)
{
	if (t->ev.flush_walk)
		t->ev.flush_walk(iova, size, granule, t->ev_cookie);
}

static void tlb_add_page(struct pgt_table *t, pgt_addr iova, uint64_t granule)
{
	if (t->ev.add_page)
		t->ev.add_page(iova, granule, t->ev_cookie);
}

/* io_pgtable_tlb_add_page() through a gather: LPAE asks for a gather that
 * is not queued; v7s and DART only that it is not queued (NULL is not). */
static bool gather_takes_pages(const struct pgt_table *t, const struct pgt_unmap_opts *o)
{
	if (o->gather_queued && o->gather)
		return false;
	return o->gather || pgt_feat(t, PGT_FEAT_ADD_PAGE_WITHOUT_GATHER);
}

uint64_t pgt_not_mapped(struct pgt_table *t, unsigned depth, pgt_addr iova, pgt_addr desc_pa,
			struct pgt_error *err)
{
	pgt_fail(err, -ENOENT, "iova 0x%llx is not mapped (level %u descriptor at 0x%llx is empty)",
		 (unsigned long long)iova, t->geo.level[depth].label, (unsigned long long)desc_pa);
	return 0;
}

uint64_t pgt_refuse_partial(struct pgt_table *t, unsigned depth, pgt_addr iova,
			    const struct pgt_entry *e, const char *what, struct pgt_error *err)
{
	char b[24];
	pgt_addr start = iova & ~(e->size - 1);
	pgt_fail(err, -EINVAL,
		 "iova 0x%llx is inside a %s %s at level %u (0x%llx-0x%llx -> pa 0x%llx); %s",
		 (unsigned long long)iova, pgt_fmt_size(e->size, b),
		 depth + 1 == t->geo.n_levels ? "page" : "block", t->geo.level[depth].label,
		 (unsigned long long)start, (unsigned long long)(start + e->size - 1),
		 (unsigned long long)e->pa, what);
	return 0;
}

/*
 * Rewrite the entries of a multi-entry page as single-entry pages of the
 * level's own size (arm_v7s_split_cont()), so that part of it can go.
 */
static void ungroup(struct pgt_table *t, void *p, unsigned depth, uint64_t idx, pgt_addr iova,
		    const struct pgt_entry *e)
{
	const struct pgt_format_ops *ops = t->ops;
	uint64_t span = pgt_size_of_depth(t, depth);
	uint64_t first = idx & ~((uint64_t)e->count - 1);
	uint64_t attrs = ops->leaf_attrs(t, depth, e->raw);
	for (uint64_t k = 0; k < e->count; k++)
		pgt_desc_set(t, p, first + k, ops->leaf(t, depth, span, e->pa + k * span, attrs, 0));
	tlb_flush_walk(t, iova, e->size, e->size);
}

static uint64_t unmap_at(struct pgt_table *t, pgt_addr iova, uint64_t pgsize, uint64_t pgcount,
			 const struct pgt_unmap_opts *o, unsigned depth, pgt_addr tbl,
			 struct pgt_error *err);

/*
 * Replace a block by a table of the next level holding the rest of it
 * (arm_lpae_split_blk_unmap, arm_v7s_split_blk_unmap). The next level is
 * filled with pages of pgsize when its leaves can have that size, leaving
 * out the window being unmapped; otherwise with its own blocks, and the
 * unmap goes on inside. The block's output address is kept: 6.12's v7s
 * loses it (its pages map PA 0 + offset), pgtctl does not copy that bug.
 */
static uint64_t split_block(struct pgt_table *t, pgt_addr iova, uint64_t pgsize,
			    uint64_t pgcount, const struct pgt_unmap_opts *o, unsigned depth,
			    void *parent, uint64_t parent_idx, const struct pgt_entry *blk,
			    struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->ops;
	const struct pgt_level_geom *l = &t->geo.level[depth];
	uint64_t entries = 1ull << l->index_bits;
	bool window = (l->leaf_sizes & pgsize) != 0;
	uint64_t piece = window ? pgsize : pgt_size_of_depth(t, depth);
	uint64_t per = piece >> l->shift;
	uint64_t start = entries, pages = 0;
	pgt_addr child;

	if (pgt_alloc_table(t, depth, &child, err))
		return 0;
	void *p = pgt_table_ptr(t, depth, child, err);
	if (!p)
		return 0;
	if (window) {
		uint64_t batch = 1ull << l->batch_bits;
		start = pgt_index(&t->geo, depth, iova);
		uint64_t room = (batch - (start & (batch - 1))) / per;
		pages = pgt_feat(t, PGT_FEAT_PER_PAGE) ? 1 : (pgcount < room ? pgcount : room);
	}
	uint64_t attrs = ops->leaf_attrs(t, depth - 1, blk->raw);
	for (uint64_t i = 0; i < entries; i += per) {
		if (i >= start && i < start + pages * per)
			continue;
		for (uint64_t k = 0; k < per; k++)
			pgt_desc_set(t, p, i + k,
				     ops->leaf(t, depth, piece, blk->pa + i * pgt_size_of_depth(t, depth),
					       attrs, (unsigned)k));
	}
	pgt_desc_set(t, parent, parent_idx, ops->table(t, depth - 1, child, blk->raw));
	if (pages) {
		/* 6.12 adds these pages whatever the gather says */
		for (uint64_t i = 0; i < pages; i++)
			tlb_add_page(t, iova + i * pgsize, pgsize);
		return pages * pgsize;
	}
	return unmap_at(t, iova, pgsize, pgcount, o, depth, child, err);
}

/* Clear n pages of pgsize at this depth; returns bytes unmapped. */
static uint64_t clear_run(struct pgt_table *t, pgt_addr iova, uint64_t pgsize, uint64_t pgcount,
			  const struct pgt_unmap_opts *o, unsigned depth, pgt_addr tbl, void *p,
			  uint64_t idx, struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->ops;
	const struct pgt_level_geom *l = &t->geo.level[depth];
	unsigned bytes = t->geo.desc_bytes;
	uint64_t span = pgt_size_of_depth(t, depth);
	uint64_t per = pgsize >> l->shift;
	uint64_t batch = 1ull << l->batch_bits;
	uint64_t room = (batch - (idx & (batch - 1))) / per;
	uint64_t n = pgt_feat(t, PGT_FEAT_PER_PAGE) ? 1 : (pgcount < room ? pgcount : room);
	uint64_t k;

	/* Entries up to the first empty one; a page is whole or not at all. */
	for (k = 0; k < n * per; k++)
		if (!pgt_desc_get(t, p, idx + k))
			break;
	uint64_t pages = k / per;
	if (pages < n)
		pgt_not_mapped(t, depth, iova + pages * pgsize, tbl + (idx + k) * bytes, err);
	if (!pages)
		return 0;

	bool to_gather = gather_takes_pages(t, o);
	/* a level that holds no tables has only leaves to clear */
	for (k = 0; l->has_tables && k < pages * per; k++) {
		uint64_t raw = pgt_desc_get(t, p, idx + k);
		struct pgt_entry e;
		ops->decode(t, depth, raw, &e);
		pgt_addr at = iova + k * span;
		if (e.kind == PGT_TABLE) {
			pgt_desc_set(t, p, idx + k, 0);
			tlb_flush_walk(t, at, span, t->geo.granule);
			pgt_free_subtree(t, depth + 1, e.pa);
		} else if (pgt_feat(t, PGT_FEAT_TLB_PER_ENTRY) && to_gather) {
			tlb_add_page(t, at, span);
		}
	}
	for (k = 0; !l->has_tables && pgt_feat(t, PGT_FEAT_TLB_PER_ENTRY) && to_gather && k < pages * per;
	     k++)
		tlb_add_page(t, iova + k * span, span);
	/* zero in either byte order */
	if (t->journal)
		pgt_journal_note(t->journal, (uint8_t *)p + idx * bytes, pages * per * bytes);
	memset((uint8_t *)p + idx * bytes, 0, pages * per * bytes);
	if (!pgt_feat(t, PGT_FEAT_TLB_PER_ENTRY) && to_gather)
		for (uint64_t j = 0; j < pages; j++)
			tlb_add_page(t, iova + j * pgsize, pgsize);
	return pages * pgsize;
}

/* Is a block the range covers in part split, or the unmap refused? */
static bool splits(const struct pgt_table *t, const struct pgt_unmap_opts *o)
{
	return o->split == PGT_SPLIT_612 && pgt_feat(t, PGT_FEAT_SPLIT_BLOCKS);
}

static uint64_t refuse_split(struct pgt_table *t, unsigned depth, pgt_addr iova,
			     const struct pgt_entry *e, const char *what, struct pgt_error *err)
{
	char why[160];
	bool splits = pgt_feat(t, PGT_FEAT_SPLIT_BLOCKS);
	if (splits)
		snprintf(why, sizeof(why), "unmapping part of %s is refused, as Linux does since 6.13",
			 what);
	else
		snprintf(why, sizeof(why), "unmapping part of %s is refused, as Linux %s refuses it",
			 what, pgt_kernel_name(t->cfg.kernel));
	return pgt_remedy(err, splits ? PGT_REMEDY_SPLIT : PGT_REMEDY_SPLIT_612,
			  pgt_refuse_partial(t, depth, iova, e, why, err));
}

static uint64_t unmap_at(struct pgt_table *t, pgt_addr iova, uint64_t pgsize, uint64_t pgcount,
			 const struct pgt_unmap_opts *o, unsigned depth, pgt_addr tbl,
			 struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->ops;
	unsigned bytes = t->geo.desc_bytes;
	char b[24];

	for (;; depth++) {
		const struct pgt_level_geom *l = &t->geo.level[depth];
		void *p = pgt_table_ptr(t, depth, tbl, err);
		if (!p)
			return 0;
		uint64_t idx = pgt_index(&t->geo, depth, iova);
		struct pgt_entry e;
		ops->decode(t, depth, pgt_desc_get(t, p, idx), &e);
		if (e.kind == PGT_EMPTY)
			return pgt_not_mapped(t, depth, iova, tbl + idx * bytes, err);
		if (e.kind == PGT_BAD) {
			pgt_malformed(t, depth, tbl + idx * bytes, &e, err);
			return 0;
		}
		/* Part of a multi-entry page: make its entries single pages. */
		if (e.kind == PGT_LEAF && e.count > 1 && pgsize < e.size) {
			if (!splits(t, o))
				return refuse_split(t, depth, iova, &e, "it", err);
			ungroup(t, p, depth, idx, iova, &e);
			ops->decode(t, depth, pgt_desc_get(t, p, idx), &e);
		}
		if (l->leaf_sizes & pgsize)
			return clear_run(t, iova, pgsize, pgcount, o, depth, tbl, p, idx, err);
		if (e.kind == PGT_LEAF) {
			if (!splits(t, o))
				return refuse_split(t, depth, iova, &e, "a block", err);
			if (depth + 1 >= t->geo.n_levels)
				return 0;
			return split_block(t, iova, pgsize, pgcount, o, depth + 1, p, idx, &e, err);
		}
		if (depth + 1 >= t->geo.n_levels) {
			pgt_fail(err, -EINVAL, "internal error: page size %s matches no level",
				 pgt_fmt_size(pgsize, b));
			return 0;
		}
		tbl = e.pa;
	}
}

uint64_t pgt_unmap_bytes(struct pgt_table *t, pgt_addr iova, uint64_t pgsize, uint64_t pgcount,
			 const struct pgt_unmap_opts *opts, struct pgt_error *err)
{
	char b[24];
	if (!t->writable) {
		pgt_fail(err, -EROFS, "the table's memory (%s) is read-only", t->mem->name);
		return 0;
	}
	if (!pgsize || (pgsize & t->cfg.pgsize_bitmap) != pgsize || (pgsize & (pgsize - 1)) ||
	    !pgcount) {
		pgt_fail(err, -EINVAL, "page size %s (count %llu) is not one of pgsize_bitmap 0x%llx",
			 pgt_fmt_size(pgsize, b), (unsigned long long)pgcount,
			 (unsigned long long)t->cfg.pgsize_bitmap);
		return 0;
	}
	/* generic_pt has no unmap_pages: the pages as one range */
	if (pgt_feat(t, PGT_FEAT_RANGE_OPS))
		return pgt_range_unmap(t, iova, pgsize * pgcount, opts->gather && opts->gather_queued,
				       err);
	if (!pgt_iova_in_range(t, iova)) {
		pgt_fail(err, -ERANGE, "iova 0x%llx is outside the %u-bit input address space",
			 (unsigned long long)iova, t->geo.iova_bits);
		return 0;
	}
	if (t->ops->unmap_pages)
		return t->ops->unmap_pages(t, iova, pgsize, pgcount, opts, err);
	if (!pgt_feat(t, PGT_FEAT_PER_PAGE))
		return unmap_at(t, iova, pgsize, pgcount, opts, 0,
				t->root[pgt_root_index(&t->geo, iova)], err);
	/* arm_v7s_unmap_pages(): page by page, stopping at the first that fails */
	uint64_t done = 0;
	for (; pgcount; pgcount--, iova += pgsize, done += pgsize)
		if (!unmap_at(t, iova, pgsize, 1, opts, 0, t->root[pgt_root_index(&t->geo, iova)],
			      err))
			break;
	return done;
}

int pgt_unmap_pages(struct pgt_table *t, pgt_addr iova, uint64_t pgsize, uint64_t pgcount,
		    const struct pgt_unmap_opts *opts, uint64_t *unmapped, struct pgt_error *err)
{
	struct pgt_error e = {0};
	*unmapped = pgt_unmap_bytes(t, iova, pgsize, pgcount, opts, &e);
	if (e.code && err)
		*err = e;
	return *unmapped ? 0 : e.code;
}

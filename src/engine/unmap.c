// SPDX-License-Identifier: MIT
/*
 * unmap_pages for every format (__arm_lpae_unmap, arm_lpae_split_blk_unmap):
 * clear a run of leaves at the level whose page size matches, tearing down
 * tables met there, and deal with a block that the range covers only in part.
 */
#include <errno.h>

#include "engine.h"

static void tlb_flush_walk(struct pgt_table *t, pgt_addr iova, uint64_t size)
{
	if (t->ev.flush_walk)
		t->ev.flush_walk(iova, size, t->geo.granule, t->ev_cookie);
}

static void tlb_add_page(struct pgt_table *t, pgt_addr iova, uint64_t granule)
{
	if (t->ev.add_page)
		t->ev.add_page(iova, granule, t->ev_cookie);
}

static uint64_t unmap_at(struct pgt_table *t, pgt_addr iova, uint64_t pgsize, uint64_t pgcount,
			 const struct pgt_unmap_opts *o, unsigned depth, pgt_addr tbl,
			 struct pgt_error *err);

static uint64_t not_mapped(struct pgt_table *t, unsigned depth, pgt_addr iova, pgt_addr desc_pa,
			   struct pgt_error *err)
{
	pgt_fail(err, -ENOENT, "iova 0x%llx is not mapped (level %u descriptor at 0x%llx is empty)",
		 (unsigned long long)iova, t->geo.level[depth].label, (unsigned long long)desc_pa);
	return 0;
}

/*
 * arm_lpae_split_blk_unmap(): replace the block by a table of the next level
 * holding the rest of it, minus the window being unmapped when the page size
 * is that level's; otherwise split again one level further down.
 */
static uint64_t split_block(struct pgt_table *t, pgt_addr iova, uint64_t pgsize,
			    uint64_t pgcount, const struct pgt_unmap_opts *o, unsigned depth,
			    void *parent, uint64_t parent_idx, const struct pgt_entry *blk,
			    struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->fmt->ops;
	const struct pgt_level_geom *l = &t->geo.level[depth];
	unsigned bytes = t->geo.desc_bytes;
	uint64_t split_sz = pgt_size_of_depth(t, depth);
	uint64_t entries = 1ull << l->index_bits;
	uint64_t start = entries, num = 0;
	pgt_addr child;

	if (pgt_alloc_table(t, depth, &child, err))
		return 0;
	void *p = pgt_table_ptr(t, depth, child, err);
	if (!p)
		return 0;
	if (pgsize == split_sz) {
		uint64_t batch = 1ull << l->batch_bits;
		start = pgt_index(&t->geo, depth, iova);
		uint64_t room = batch - (start & (batch - 1));
		num = pgcount < room ? pgcount : room;
	}
	uint64_t attrs = ops->leaf_attrs(t, depth - 1, blk->raw);
	pgt_addr blk_pa = blk->pa;
	for (uint64_t i = 0; i < entries; i++, blk_pa += split_sz) {
		if (i >= start && i < start + num)
			continue;
		pgt_desc_set(p, bytes, i, ops->leaf(t, depth, split_sz, blk_pa, attrs, 0));
	}
	pgt_desc_set(parent, bytes, parent_idx, ops->table(t, depth - 1, child, blk->raw));
	if (num) {
		/* 6.12 adds these pages whatever the gather says */
		for (uint64_t i = 0; i < num; i++)
			tlb_add_page(t, iova + i * pgsize, pgsize);
		return num * pgsize;
	}
	return unmap_at(t, iova, pgsize, pgcount, o, depth, child, err);
}

static uint64_t unmap_at(struct pgt_table *t, pgt_addr iova, uint64_t pgsize, uint64_t pgcount,
			 const struct pgt_unmap_opts *o, unsigned depth, pgt_addr tbl,
			 struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->fmt->ops;
	unsigned bytes = t->geo.desc_bytes;
	char b[24];

	for (;; depth++) {
		const struct pgt_level_geom *l = &t->geo.level[depth];
		void *p = pgt_table_ptr(t, depth, tbl, err);
		if (!p)
			return 0;
		uint64_t idx = pgt_index(&t->geo, depth, iova);
		struct pgt_entry e;
		ops->decode(t, depth, pgt_desc_get(p, bytes, idx), &e);
		if (e.kind == PGT_EMPTY)
			return not_mapped(t, depth, iova, tbl + idx * bytes, err);
		if (e.kind == PGT_BAD) {
			pgt_fail(err, -EINVAL, "level %u descriptor 0x%016llx at 0x%llx is malformed: %s",
				 l->label, (unsigned long long)e.raw,
				 (unsigned long long)(tbl + idx * bytes), e.why);
			return 0;
		}

		if (pgsize == pgt_size_of_depth(t, depth)) {
			uint64_t batch = 1ull << l->batch_bits;
			uint64_t room = batch - (idx & (batch - 1));
			uint64_t n = pgcount < room ? pgcount : room, i;
			for (i = 0; i < n; i++) {
				uint64_t raw = pgt_desc_get(p, bytes, idx + i);
				if (!raw)
					break;
				ops->decode(t, depth, raw, &e);
				if (e.kind == PGT_TABLE) {
					pgt_desc_set(p, bytes, idx + i, 0);
					tlb_flush_walk(t, iova + i * pgsize, pgsize);
					pgt_free_subtree(t, depth + 1, e.pa);
				}
			}
			for (uint64_t j = 0; j < i; j++)
				pgt_desc_set(p, bytes, idx + j, 0);
			if (o->gather && !o->gather_queued)
				for (uint64_t j = 0; j < i; j++)
					tlb_add_page(t, iova + j * pgsize, pgsize);
			if (i < n)
				pgt_fail(err, -ENOENT,
					 "iova 0x%llx is not mapped (level %u descriptor at 0x%llx "
					 "is empty)",
					 (unsigned long long)(iova + i * pgsize), l->label,
					 (unsigned long long)(tbl + (idx + i) * bytes));
			return i * pgsize;
		}

		if (e.kind == PGT_LEAF) {
			pgt_addr start = iova & ~(e.size - 1);
			if (o->split == PGT_SPLIT_REFUSE) {
				pgt_fail(err, -EINVAL,
					 "iova 0x%llx is inside a %s block at level %u "
					 "(0x%llx-0x%llx -> pa 0x%llx); unmapping part of a block is "
					 "refused, as Linux does since 6.13 (--split splits it as 6.12 "
					 "did)",
					 (unsigned long long)iova, pgt_fmt_size(e.size, b), l->label,
					 (unsigned long long)start,
					 (unsigned long long)(start + e.size - 1),
					 (unsigned long long)e.pa);
				return 0;
			}
			if (depth + 1 >= t->geo.n_levels)
				return 0;
			return split_block(t, iova, pgsize, pgcount, o, depth + 1, p, idx, &e, err);
		}
		if (depth + 1 >= t->geo.n_levels) {
			pgt_fail(err, -EINVAL, "page size %s matches no level of the walk",
				 pgt_fmt_size(pgsize, b));
			return 0;
		}
		tbl = e.pa;
	}
}

uint64_t pgt_unmap_pages(struct pgt_table *t, pgt_addr iova, uint64_t pgsize, uint64_t pgcount,
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
	if (!pgt_iova_in_range(t, iova)) {
		pgt_fail(err, -ERANGE, "iova 0x%llx is outside the %u-bit input address space",
			 (unsigned long long)iova, t->geo.iova_bits);
		return 0;
	}
	return unmap_at(t, iova, pgsize, pgcount, opts, 0, t->root[pgt_root_index(&t->geo, iova)],
			err);
}

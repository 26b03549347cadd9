// SPDX-License-Identifier: MIT
/*
 * map_pages for every format: walk to the level whose leaves have the page
 * size, creating tables on the way, then write leaves. The kernel row's
 * features say what a leaf in the way does (-EEXIST, or destroyed and
 * overwritten as AMD v1 does), whether a call stops at the end of a table
 * (__arm_lpae_map, dart_map_pages) or maps every page (arm_v7s_map_pages,
 * iommu_v1_map_pages), and the format's grow hook whether the table grows
 * first.
 */
#include <errno.h>

#include "engine.h"

static void tlb_flush_walk(struct pgt_table *t, pgt_addr iova, uint64_t size)
{
	if (t->ev.flush_walk)
		t->ev.flush_walk(iova, size, t->geo.granule, t->ev_cookie);
}

/* The checks io-pgtable's map_pages makes before walking, plus what the
 * kernel leaves to its callers: alignment, the end of the range, one size. */
static int check_map(struct pgt_table *t, pgt_addr iova, pgt_addr pa, uint64_t pgsize,
		     uint64_t pgcount, unsigned prot, struct pgt_error *err)
{
	char b[24];
	if (!t->writable)
		return pgt_fail(err, -EROFS, "the table's memory (%s) is read-only", t->mem->name);
	if (!pgsize || (pgsize & t->cfg.pgsize_bitmap) != pgsize || (pgsize & (pgsize - 1)))
		return pgt_fail(err, -EINVAL, "page size %s is not one of pgsize_bitmap 0x%llx",
				pgt_fmt_size(pgsize, b), (unsigned long long)t->cfg.pgsize_bitmap);
	if (!pgcount)
		return pgt_fail(err, -EINVAL, "no pages to map");
	uint64_t last = iova + (pgcount * pgsize - 1);
	/* A table that grows (AMD v1) takes any IOVA: it adds levels for it. */
	bool grows = t->ops->grow != NULL;
	if (pgcount > (~0ull / pgsize) || last < iova ||
	    (!grows && (!pgt_iova_in_range(t, iova) || !pgt_iova_in_range(t, last))))
		return pgt_fail(err, -ERANGE,
				"iova 0x%llx+0x%llx is outside the %u-bit input address space (ERANGE)",
				(unsigned long long)iova, (unsigned long long)(pgcount * pgsize),
				t->geo.iova_bits);
	if (t->cfg.oas < 64 && (pa >> t->cfg.oas || (pa + pgcount * pgsize - 1) >> t->cfg.oas))
		return pgt_fail(err, -ERANGE,
				"physical address 0x%llx+0x%llx is beyond the %u-bit output "
				"address space (ERANGE)",
				(unsigned long long)pa, (unsigned long long)(pgcount * pgsize),
				t->cfg.oas);
	if (!(prot & (PGT_READ | PGT_WRITE)))
		return pgt_fail(err, -EINVAL, "prot must include read or write");
	if ((iova | pa) & (pgsize - 1))
		return pgt_fail(err, -EINVAL, "iova 0x%llx or pa 0x%llx is not aligned to the page size %s",
				(unsigned long long)iova, (unsigned long long)pa,
				pgt_fmt_size(pgsize, b));
	if (t->ops->check_leaf)
		return t->ops->check_leaf(t, pgsize, pa, pgcount, err);
	return 0;
}

static int already_mapped(struct pgt_table *t, unsigned depth, pgt_addr iova,
			  const struct pgt_entry *e, struct pgt_error *err)
{
	char b[24];
	uint64_t size = e->size;
	pgt_addr start = iova & ~(size - 1);
	return pgt_fail(err, -EEXIST,
			"iova 0x%llx is already mapped (EEXIST): a %s %s at level %u maps "
			"0x%llx-0x%llx to pa 0x%llx",
			(unsigned long long)iova, pgt_fmt_size(size, b),
			depth + 1 == t->geo.n_levels ? "page" : "block", t->geo.level[depth].label,
			(unsigned long long)start, (unsigned long long)(start + size - 1),
			(unsigned long long)e->pa);
}

int pgt_malformed(struct pgt_table *t, unsigned depth, pgt_addr desc_pa,
		  const struct pgt_entry *e, struct pgt_error *err)
{
	return pgt_fail(err, -EINVAL, "level %u descriptor 0x%016llx at 0x%llx is malformed: %s",
			t->geo.level[depth].label, (unsigned long long)e->raw,
			(unsigned long long)desc_pa, e->why);
}

/* Clear the entries of a multi-entry page that still hold its descriptor
 * (AMD v1 alloc_pte(): the replicated PTEs "that still match"). */
static void clear_group(struct pgt_table *t, void *p, uint64_t idx, const struct pgt_entry *e)
{
	uint64_t first = idx & ~((uint64_t)e->count - 1);
	for (uint64_t k = first; k < first + e->count; k++)
		if (pgt_desc_get(t, p, k) == e->raw)
			pgt_desc_set(t, p, k, 0);
}

/* Descend to depth `target`, creating missing tables; returns the table
 * there, and whether this walk made it (all its slots are free). */
static int walk_to(struct pgt_table *t, pgt_addr iova, unsigned target, pgt_addr *table,
		   bool *fresh, bool *updated, struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->ops;
	unsigned bytes = t->geo.desc_bytes;
	pgt_addr tbl = t->root[pgt_root_index(&t->geo, iova)];

	*fresh = false;
	for (unsigned d = 0; d < target; d++) {
		void *p = pgt_table_ptr(t, d, tbl, err);
		if (!p)
			return err->code;
		unsigned idx = pgt_index(&t->geo, d, iova);
		struct pgt_entry e;
		uint64_t raw = pgt_desc_get(t, p, idx);
		ops->decode(t, d, raw, &e);
		if (e.kind == PGT_LEAF && pgt_feat(t, PGT_FEAT_REPLACE_BLOCKS)) {
			if (e.count > 1)
				clear_group(t, p, idx, &e);
			*updated = true;
			e.kind = PGT_EMPTY; /* the table goes where the leaf was */
		}
		*fresh = false;
		switch (e.kind) {
		case PGT_EMPTY: {
			pgt_addr child;
			int rc = pgt_alloc_table(t, d + 1, &child, err);
			if (rc)
				return rc;
			pgt_desc_set(t, p, idx, ops->table(t, d, child, 0));
			tbl = child;
			*fresh = true;
			break;
		}
		case PGT_TABLE:
			tbl = e.pa;
			break;
		case PGT_LEAF:
			return already_mapped(t, d, iova, &e, err);
		case PGT_BAD:
			return pgt_malformed(t, d, tbl + (uint64_t)idx * bytes, &e, err);
		}
	}
	*table = tbl;
	return 0;
}

void pgt_write_leaves(struct pgt_table *t, unsigned depth, void *p, uint64_t idx, uint64_t pgsize,
		      pgt_addr pa, uint64_t attrs, uint64_t n)
{
	const struct pgt_format_ops *ops = t->ops;
	uint64_t per = pgsize >> t->geo.level[depth].shift;
	uint64_t step = per == 1 && ops->leaf_step ? ops->leaf_step(t, depth, pgsize, pa, n) : 0;
	if (step) {
		uint64_t first = ops->leaf(t, depth, pgsize, pa, attrs, 0);
		if (t->geo.desc_bytes == 8 && !t->big_endian && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
			/* the bulk case: a plain run the compiler can vectorize */
			uint64_t *d = (uint64_t *)p + idx;
			if (t->journal)
				pgt_journal_note(t->journal, d, n * 8);
			for (uint64_t i = 0; i < n; i++)
				d[i] = first + i * step;
			return;
		}
		for (uint64_t i = 0; i < n; i++)
			pgt_desc_set(t, p, idx + i, first + i * step);
		return;
	}
	for (uint64_t i = 0; i < n; i++)
		for (uint64_t k = 0; k < per; k++)
			pgt_desc_set(t, p, idx + i * per + k,
				     ops->leaf(t, depth, pgsize, pa + i * pgsize, attrs, (unsigned)k));
}

uint64_t pgt_free_run(const struct pgt_table *t, const void *p, uint64_t idx, uint64_t per,
		      uint64_t n)
{
	uint64_t i = 0;
	if (t->geo.desc_bytes == 8) {
		/* zero in either byte order: no conversion per entry */
		const uint64_t *d = (const uint64_t *)p + idx;
		while (i < n * per && !d[i])
			i++;
	} else {
		while (i < n * per && !pgt_desc_get(t, p, idx + i))
			i++;
	}
	return i / per;
}

/*
 * One run of n pages at the target depth: check the slots, tear down the
 * tables in the way (arm_lpae_init_pte, arm_v7s_init_pte, free_clear_pte),
 * then write the leaves. Slots known to be free are not read.
 */
static int fill(struct pgt_table *t, unsigned depth, pgt_addr tbl, void *p, pgt_addr iova,
		pgt_addr pa, uint64_t pgsize, uint64_t n, uint64_t attrs, bool free_slots,
		bool *updated, struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->ops;
	const struct pgt_level_geom *l = &t->geo.level[depth];
	unsigned bytes = t->geo.desc_bytes;
	uint64_t per = pgsize >> l->shift;
	uint64_t idx = pgt_index(&t->geo, depth, iova);

	for (uint64_t i = 0; !free_slots && i < n * per; i++) {
		uint64_t raw = pgt_desc_get(t, p, idx + i);
		if (!raw)
			continue;
		struct pgt_entry e;
		ops->decode(t, depth, raw, &e);
		pgt_addr at = iova + (i / per) * pgsize;
		if (e.kind == PGT_LEAF && pgt_feat(t, PGT_FEAT_REPLACE_LEAVES)) {
			if (pgt_feat(t, PGT_FEAT_REPLACE_FLUSHES))
				*updated = true;
			continue;
		}
		if (e.kind == PGT_EMPTY)
			continue;
		if (e.kind == PGT_LEAF)
			return already_mapped(t, depth, at, &e, err);
		if (e.kind == PGT_BAD)
			return pgt_malformed(t, depth, tbl + (idx + i) * bytes, &e, err);
		pgt_desc_set(t, p, idx + i, 0);
		if (t->kern->driver_flush)
			*updated = true;
		else
			tlb_flush_walk(t, at + (i % per) * pgt_size_of_depth(t, depth),
				       pgt_size_of_depth(t, depth));
		pgt_free_subtree(t, depth + 1, e.pa);
	}
	pgt_write_leaves(t, depth, p, idx, pgsize, pa, attrs, n);
	return 0;
}

int pgt_map_pages(struct pgt_table *t, pgt_addr iova, pgt_addr pa, uint64_t pgsize,
		  uint64_t pgcount, unsigned prot, uint64_t *mapped, struct pgt_error *err)
{
	const struct pgt_format_ops *ops = t->ops;
	const pgt_addr first_iova = iova;
	const uint64_t total = pgcount * pgsize;
	bool updated = false;

	/* generic_pt has no map_pages: the pages as one range of a domain
	 * whose only page size is pgsize */
	if (pgt_feat(t, PGT_FEAT_RANGE_OPS)) {
		char b[24];
		if (!pgsize || (pgsize & t->cfg.pgsize_bitmap) != pgsize || (pgsize & (pgsize - 1)) ||
		    !pgcount || pgcount > ~0ull / pgsize)
			return pgt_fail(err, -EINVAL, "page size %s is not one of pgsize_bitmap 0x%llx",
					pgt_fmt_size(pgsize, b), (unsigned long long)t->cfg.pgsize_bitmap);
		uint64_t done;
		int rc = pgt_range_map(t, iova, pa, pgsize * pgcount, prot, pgsize, &done, err);
		*mapped += done;
		return rc;
	}
	int rc = check_map(t, iova, pa, pgsize, pgcount, prot, err);
	if (rc)
		return rc;
	uint64_t attrs = ops->prot_attrs(t, prot);
	const bool per_page = pgt_feat(t, PGT_FEAT_PER_PAGE);

	while (pgcount) {
		if (ops->grow && (rc = ops->grow(t, iova + (per_page ? pgsize : total) - 1,
						 pgsize, err)))
			break;
		int target = pgt_depth_of_pgsize(t, pgsize);
		if (target < 0) {
			rc = pgt_fail(err, -EINVAL,
				      "internal error: no level holds pages of size 0x%llx",
				      (unsigned long long)pgsize);
			break;
		}
		pgt_addr tbl = 0;
		bool fresh;
		if ((rc = walk_to(t, iova, (unsigned)target, &tbl, &fresh, &updated, err)))
			break;
		void *p = pgt_table_ptr(t, (unsigned)target, tbl, err);
		if (!p) {
			rc = err->code;
			break;
		}
		/* LPAE and DART stop at the end of the table, v7s and AMD map
		 * page by page through the whole request: the pages of one
		 * table whose slots are free are one run either way, and the
		 * first page whose slot is taken goes alone. */
		const struct pgt_level_geom *l = &t->geo.level[target];
		uint64_t per = pgsize >> l->shift;
		uint64_t idx = pgt_index(&t->geo, (unsigned)target, iova);
		uint64_t batch = 1ull << l->batch_bits;
		uint64_t room = (batch - (idx & (batch - 1))) / per;
		uint64_t n = pgcount < room ? pgcount : room;
		bool free_slots = fresh;
		if (per_page && !fresh) {
			uint64_t run = pgt_free_run(t, p, idx, per, n);
			free_slots = run > 0;
			n = run ? run : 1;
		}
		if ((rc = fill(t, (unsigned)target, tbl, p, iova, pa, pgsize, n, attrs, free_slots,
			       &updated, err)))
			break;
		*mapped += n * pgsize;
		iova += n * pgsize;
		pa += n * pgsize;
		pgcount -= n;
		if (!per_page)
			break;
	}
	if (updated && t->kern->driver_flush && t->ev.driver)
		t->ev.driver(t->kern->driver_flush, first_iova, total, t->ev_cookie);
	return rc;
}

// SPDX-License-Identifier: MIT
/*
 * The iommu core's loops above io-pgtable (drivers/iommu/iommu.c):
 * iommu_pgsize() picks page sizes, __iommu_map() and __iommu_unmap() call
 * map_pages/unmap_pages until the range is done or the table refuses.
 */
#include <errno.h>

#include "engine.h"

/* Bits 0..h set (GENMASK(h, 0)). */
static uint64_t low_mask(unsigned h)
{
	return h >= 63 ? ~0ull : (1ull << (h + 1)) - 1;
}

static unsigned fls64(uint64_t x)
{
	return 63u - (unsigned)__builtin_clzll(x);
}

uint64_t pgt_iommu_pgsize(uint64_t bitmap, pgt_addr iova, pgt_addr pa, uint64_t size,
			  uint64_t *count)
{
	uint64_t addr_merge = pa | iova;
	if (!size)
		return 0;
	uint64_t sizes = bitmap & low_mask(fls64(size));
	if (addr_merge)
		sizes &= low_mask((unsigned)__builtin_ctzll(addr_merge));
	if (!sizes)
		return 0;
	unsigned idx = fls64(sizes);
	uint64_t pgsize = 1ull << idx;

	/* Stop short of where the next larger size becomes usable. */
	uint64_t bigger = bitmap & ~low_mask(idx);
	if (bigger) {
		uint64_t next = 1ull << __builtin_ctzll(bigger);
		if (!((iova ^ pa) & (next - 1))) {
			uint64_t offset = next - (addr_merge & (next - 1));
			if (offset + next >= offset && offset + next <= size)
				size = offset;
		}
	}
	if (count)
		*count = size >> idx;
	return pgsize;
}

struct first {
	struct pgt_leaf leaf;
	pgt_addr lo;
};

static int take_leaf(void *ctx, const struct pgt_leaf *l)
{
	struct first *f = ctx;
	if (l->iova + l->span - 1 < f->lo)
		return 0;
	f->leaf = *l;
	return 1;
}

int pgt_first_leaf(struct pgt_table *t, pgt_addr iova, uint64_t size, struct pgt_leaf *leaf)
{
	struct first f = {.lo = iova};
	struct pgt_visitor v = {.leaf = take_leaf, .ctx = &f};
	if (pgt_walk_range(t, iova, iova + size - 1, &v) != 1)
		return 0;
	*leaf = f.leaf;
	return 1;
}

/*
 * A mapping whose leaves alone need more table memory than the arena may
 * hold is refused before the first table is allocated, not after gigabytes
 * of them: the leaves of the largest page the range could use fill at
 * least size / (the span of one table at that page's level) tables.
 */
static int check_table_budget(const struct pgt_table *t, pgt_addr iova, pgt_addr pa,
			      uint64_t size, uint64_t force_pgsize, struct pgt_error *err)
{
	if (!t->writable)
		return 0;
	uint64_t page = force_pgsize;
	for (int i = 63; i >= 0 && !page; i--) {
		uint64_t p = 1ull << i;
		if ((t->cfg.pgsize_bitmap & p) && p <= size && !((iova ^ pa) & (p - 1)))
			page = p;
	}
	if (!page)
		return 0;
	const struct pgt_geometry *g = &t->geo;
	for (unsigned d = 0; d < g->n_levels; d++) {
		const struct pgt_level_geom *l = &g->level[d];
		if (!(l->leaf_sizes & page))
			continue;
		unsigned span_bits = l->shift + l->index_bits;
		uint64_t tables = span_bits >= 64 ? 0 : size >> span_bits;
		uint64_t limit = pgt_arena_limit(t->mem);
		if (tables && tables > limit / l->table_bytes) {
			char b[24];
			return pgt_fail(err, -ENOMEM,
					"in %s pages this needs at least %llu tables, more than "
					"the table memory limit of 0x%llx bytes holds",
					pgt_fmt_size(page, b), (unsigned long long)tables,
					(unsigned long long)limit);
		}
		break;
	}
	return 0;
}

/*
 * iommu_map() of a generic_pt domain (iommu_map_nosync()): one map_range()
 * for the whole request, and what it mapped before failing unmapped again.
 * A forced page size is a domain whose pgsize_bitmap has that size alone.
 */
static int map_range(struct pgt_table *t, pgt_addr iova, pgt_addr pa, uint64_t size,
		     unsigned prot, uint64_t force_pgsize, struct pgt_error *err)
{
	uint64_t bitmap = force_pgsize ? force_pgsize : t->cfg.pgsize_bitmap, mapped;
	char b[24];
	if (force_pgsize && ((force_pgsize & t->cfg.pgsize_bitmap) != force_pgsize ||
			     (force_pgsize & (force_pgsize - 1))))
		return pgt_fail(err, -EINVAL, "page size %s is not one of pgsize_bitmap 0x%llx",
				pgt_fmt_size(force_pgsize, b),
				(unsigned long long)t->cfg.pgsize_bitmap);
	int rc = check_table_budget(t, iova, pa, size, force_pgsize, err);
	if (rc)
		return rc;
	rc = pgt_range_map(t, iova, pa, size, prot, bitmap, &mapped, err);
	if (rc && mapped) {
		struct pgt_error ignored;
		pgt_range_unmap(t, iova, mapped, false, &ignored);
	}
	return rc;
}

int pgt_map(struct pgt_table *t, pgt_addr iova, pgt_addr pa, uint64_t size, unsigned prot,
	    uint64_t force_pgsize, unsigned flags, struct pgt_error *err)
{
	uint64_t bitmap = t->cfg.pgsize_bitmap;
	char b[24];

	if (pgt_feat(t, PGT_FEAT_RANGE_OPS))
		return map_range(t, iova, pa, size, prot, force_pgsize, err);

	if (!size)
		return pgt_fail(err, -EINVAL, "size is zero");
	if (iova + size - 1 < iova || pa + size - 1 < pa)
		return pgt_fail(err, -ERANGE, "iova 0x%llx or pa 0x%llx plus size 0x%llx wraps",
				(unsigned long long)iova, (unsigned long long)pa,
				(unsigned long long)size);
	uint64_t min = bitmap & -bitmap;
	if (!min)
		return pgt_fail(err, -EINVAL, "the table has no page sizes");
	uint64_t align = force_pgsize ? force_pgsize : min;
	if (force_pgsize && ((force_pgsize & bitmap) != force_pgsize ||
			     (force_pgsize & (force_pgsize - 1))))
		return pgt_fail(err, -EINVAL, "page size %s is not one of pgsize_bitmap 0x%llx",
				pgt_fmt_size(force_pgsize, b), (unsigned long long)bitmap);
	if ((iova | pa | size) & (align - 1))
		return pgt_fail(err, -EINVAL,
				"unaligned: iova 0x%llx, pa 0x%llx and size 0x%llx must be "
				"multiples of %s",
				(unsigned long long)iova, (unsigned long long)pa,
				(unsigned long long)size, pgt_fmt_size(align, b));
	int rc = check_table_budget(t, iova, pa, size, force_pgsize, err);
	if (rc)
		return rc;
	struct pgt_leaf l;
	if (!(flags & PGT_MAP_REPLACE) && pgt_first_leaf(t, iova, size, &l))
		return pgt_fail(err, -EEXIST,
				"0x%llx-0x%llx is already mapped (EEXIST): a %s leaf at level %u "
				"maps iova 0x%llx to pa 0x%llx; --replace applies the kernel's "
				"map_pages as it is",
				(unsigned long long)iova, (unsigned long long)(iova + size - 1),
				pgt_fmt_size(l.size, b), l.label, (unsigned long long)l.iova,
				(unsigned long long)l.pa);
	while (size) {
		uint64_t count, mapped = 0;
		uint64_t pgsize = force_pgsize;
		if (pgsize)
			count = size / pgsize;
		else
			pgsize = pgt_iommu_pgsize(bitmap, iova, pa, size, &count);
		if (t->ev.map_pages)
			t->ev.map_pages(iova, pa, pgsize, count, t->ev_cookie);
		rc = pgt_map_pages(t, iova, pa, pgsize, count, prot, &mapped, err);
		if (rc)
			return rc;
		if (!mapped)
			return pgt_fail(err, -EINVAL,
					"internal error: map_pages made no progress at iova 0x%llx",
					(unsigned long long)iova);
		size -= mapped;
		iova += mapped;
		pa += mapped;
	}
	return 0;
}

/*
 * iommu_unmap() of a generic_pt domain: one unmap_range(). It unmaps whole
 * leaves, so one that ends past the range goes whole: refused unless split
 * says to do as the kernel does.
 */
static int unmap_range(struct pgt_table *t, pgt_addr iova, uint64_t size, enum pgt_split split,
		       uint64_t *unmapped_out, struct pgt_error *err)
{
	struct pgt_walk w;
	pgt_addr last = iova + size - 1;
	if (size && last >= iova && split == PGT_SPLIT_REFUSE && pgt_translate(t, last, &w)) {
		const struct pgt_walk_step *s = &w.step[w.n_steps - 1];
		pgt_addr start = last & ~(s->e.size - 1);
		if (start + s->e.size - 1 > last && start >= iova) {
			pgt_refuse_partial(t, s->depth, last, &s->e,
					   "unmapping part of it is refused: the kernel would unmap "
					   "all of it (--split does that)",
					   err);
			return -EINVAL;
		}
	}
	uint64_t unmapped = pgt_range_unmap(t, iova, size, false, err);
	if (unmapped_out)
		*unmapped_out = unmapped;
	if (unmapped >= size)
		return 0;
	return err->code ? err->code
			 : pgt_fail(err, -EINVAL, "internal error: unmap stopped at iova 0x%llx",
				    (unsigned long long)(iova + unmapped));
}

int pgt_unmap(struct pgt_table *t, pgt_addr iova, uint64_t size, enum pgt_split split,
	      uint64_t *unmapped_out, struct pgt_error *err)
{
	if (pgt_feat(t, PGT_FEAT_RANGE_OPS))
		return unmap_range(t, iova, size, split, unmapped_out, err);

	struct pgt_unmap_opts o = {.split = split, .gather = true, .gather_queued = false};
	uint64_t bitmap = t->cfg.pgsize_bitmap, min = bitmap & -bitmap, unmapped = 0;
	char b[24];

	if (unmapped_out)
		*unmapped_out = 0;
	if (!size)
		return pgt_fail(err, -EINVAL, "size is zero");
	if (iova + size - 1 < iova)
		return pgt_fail(err, -ERANGE, "iova 0x%llx plus size 0x%llx wraps",
				(unsigned long long)iova, (unsigned long long)size);
	if (!min || ((iova | size) & (min - 1)))
		return pgt_fail(err, -EINVAL,
				"unaligned: iova 0x%llx and size 0x%llx must be multiples of %s",
				(unsigned long long)iova, (unsigned long long)size,
				pgt_fmt_size(min, b));
	const pgt_addr first = iova;
	int rc = 0;
	while (unmapped < size) {
		uint64_t count;
		uint64_t pgsize = pgt_iommu_pgsize(bitmap, iova, iova, size - unmapped, &count);
		if (t->ev.unmap_pages)
			t->ev.unmap_pages(iova, pgsize, count, t->ev_cookie);
		uint64_t got = pgt_unmap_pages(t, iova, pgsize, count, &o, err);
		if (!got) {
			rc = err->code ? err->code : -EINVAL;
			break;
		}
		iova += got;
		unmapped += got;
	}
	/* A driver without io-pgtable flush ops flushes what the gather
	 * collected at iommu_iotlb_sync() (amd_iommu_iotlb_sync()). */
	if (unmapped && t->kern->driver_flush && t->ev.driver)
		t->ev.driver(t->kern->driver_flush, first, unmapped, t->ev_cookie);
	if (unmapped_out)
		*unmapped_out = unmapped;
	return rc;
}

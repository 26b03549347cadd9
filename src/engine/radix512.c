// SPDX-License-Identifier: MIT
/*
 * What generic_pt's x86_64, vtdss and riscv64 formats share: 4 KiB tables
 * of 512 8-byte entries indexed 9 bits a level (level 0 the PTEs, as
 * pt_table_item_lg2sz() counts them), one root, and x86's PS bit, which
 * x86_64 and vtdss read the same way. Each format keeps its bits, its
 * present rule and its leaf sizes; the shape is written once here.
 */
#include <errno.h>

#include "formats.h"

#define SZ_4K (1ull << 12)

void pgt_radix512_geometry(struct pgt_table *t, unsigned levels, unsigned top_leaf,
			   uint64_t level0_more)
{
	struct pgt_geometry *g = &t->geo;
	memset(g, 0, sizeof(*g));
	g->n_levels = levels;
	g->desc_bytes = 8;
	g->n_roots = 1;
	g->granule = SZ_4K;
	g->iova_bits = 12 + 9 * levels;
	g->sign_extend = (t->cfg.quirks & PGT_QUIRK_PT(PGT_PT_SIGN_EXTEND)) != 0;
	for (unsigned d = 0; d < levels; d++) {
		struct pgt_level_geom *l = &g->level[d];
		unsigned lvl = levels - 1 - d;
		uint64_t sizes = (1ull << (12 + 9 * lvl)) | (lvl == 0 ? level0_more : 0);
		l->label = lvl;
		l->shift = 12 + 9 * lvl;
		l->index_bits = 9;
		l->batch_bits = 9;
		l->table_bytes = SZ_4K;
		l->table_align = SZ_4K;
		l->leaf_sizes = lvl <= top_leaf ? sizes & t->cfg.pgsize_bitmap : 0;
		l->has_tables = lvl > 0;
	}
}

int pgt_radix512_pgsizes(struct pgt_table *t, uint64_t allowed, struct pgt_error *err)
{
	t->cfg.pgsize_bitmap &= allowed;
	if (!(t->cfg.pgsize_bitmap & SZ_4K))
		return pgt_fail(err, -EINVAL, "%s: pgsize_bitmap must include 4K", t->fmt->name);
	return 0;
}

uint64_t pgt_leaf_step_pgsize(const struct pgt_table *t, unsigned depth, uint64_t pgsize,
			      pgt_addr pa, uint64_t n)
{
	(void)t;
	(void)depth;
	(void)pa;
	(void)n;
	return pgsize;
}

/* x86_64_pt_entry_type() and vtdss_pt_load_entry_raw(): level 0 is always
 * a leaf, levels 1 and 2 one with PS, a table otherwise; the IOMMU
 * faults on PS higher up, where the kernel would follow a table. */
bool pgt_decode_ps(const struct pgt_table *t, unsigned depth, uint64_t raw, uint64_t ps,
		   uint64_t oa, const char *ps_reserved, struct pgt_entry *e)
{
	unsigned lvl = t->geo.level[depth].label;
	if (lvl == 0 || (lvl <= 2 && (raw & ps))) {
		uint64_t size = pgt_size_of_depth(t, depth);
		e->kind = PGT_LEAF;
		e->size = size;
		e->count = 1;
		e->pa = raw & oa & ~(size - 1);
		return true;
	}
	if (raw & ps) {
		e->kind = PGT_BAD;
		e->why = ps_reserved;
		return false;
	}
	e->kind = PGT_TABLE;
	e->pa = raw & oa;
	return false;
}

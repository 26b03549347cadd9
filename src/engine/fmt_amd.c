// SPDX-License-Identifier: MIT
/*
 * AMD_IOMMU_V1, the AMD-Vi host page table (Linux 6.12
 * drivers/iommu/amd/io_pgtable.c with amd_iommu_types.h): 4 KiB tables of
 * 512 entries, "mode" levels (1..6) numbered from 0 at the 4K leaves up,
 * every power-of-two page size, sizes between a level's natural ones
 * written as several identical "next level 7" entries, and a table that
 * grows new levels above its root when a mapping needs them.
 */
#include <elf.h>
#include <errno.h>

#include "engine.h"
#include "formats.h"

#define PTE_PR (1ull << 0)
#define PTE_FC (1ull << 60)
#define PTE_IR (1ull << 61)
#define PTE_IW (1ull << 62)
#define ADDR_MASK 0x000ffffffffff000ull /* PM_ADDR_MASK */
#define LEVEL7 7ull
#define SZ_4K (1ull << 12)
#define SZ_512G (1ull << 39)
/* AMD_IOMMU_PGSIZES: every power of two from 4K to 2^51 but 512G */
#define PGSIZES ((((1ull << 52) - 1) & ~((1ull << 12) - 1)) ^ SZ_512G)
#define MAX_MODE 6
/* pgt_cfg.opt[]: the number of levels, the DTE's Mode field */
#define OPT_MODE 0

static unsigned next_level(uint64_t pte)
{
	return (unsigned)((pte >> 9) & 7);
}

static unsigned label_of(const struct pgt_table *t, unsigned depth)
{
	return t->geo.level[depth].label;
}

/* PTE_PAGE_SIZE(): 2^(1 + the lowest zero bit of pte | 0xfff); 0 when
 * that is 2^64 or more (bits 62:12 all set), which no level holds and
 * the kernel's macro would shift out of range for */
static uint64_t level7_size(uint64_t pte)
{
	uint64_t ones = ~(pte | 0xfffull);
	unsigned shift = ones ? 1 + (unsigned)__builtin_ctzll(ones) : 64;
	return shift < 64 ? 1ull << shift : 0;
}

/* PM_LEVEL_SIZE(): the highest IOVA mode levels translate */
static uint64_t coverage(unsigned mode)
{
	return mode < 6 ? (1ull << (12 + 9 * mode)) - 1 : ~0ull;
}

/* The levels of a table of `mode` levels: depth 0 is level mode - 1. */
static void amd_geometry(struct pgt_table *t, unsigned mode)
{
	struct pgt_geometry *g = &t->geo;
	memset(g, 0, sizeof(*g));
	g->n_levels = mode;
	g->desc_bytes = 8;
	g->n_roots = 1;
	g->granule = SZ_4K;
	g->iova_bits = mode < 6 ? 12 + 9 * mode : 64;
	for (unsigned d = 0; d < mode; d++) {
		struct pgt_level_geom *l = &g->level[d];
		unsigned lvl = mode - 1 - d;
		l->label = lvl;
		l->shift = 12 + 9 * lvl;
		l->index_bits = l->shift + 9 > 64 ? 64 - l->shift : 9;
		l->batch_bits = 9;
		l->table_bytes = SZ_4K;
		l->table_align = SZ_4K;
		/* PAGE_SIZE_LEVEL(): sizes 2^shift .. 2^(shift + 8) live here */
		uint64_t sizes = 0;
		for (unsigned k = 0; k < 9 && l->shift + k < 64; k++)
			sizes |= 1ull << (l->shift + k);
		l->leaf_sizes = sizes & t->cfg.pgsize_bitmap;
		l->has_tables = lvl > 0;
	}
	t->cfg.opt[OPT_MODE] = mode;
}

static void amd_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	(void)fmt;
	cfg->ias = 52;
	cfg->oas = 52;
	cfg->pgsize_bitmap = PGSIZES;
}

/* v1_alloc_pgtable(): the kernel sets its own sizes; a narrower bitmap
 * is what amd_iommu=nohugepages (4K) or v2_pgsizes_only (4K|2M|1G) give. */
static int amd_setup(struct pgt_table *t, struct pgt_error *err)
{
	struct pgt_cfg *cfg = &t->cfg;
	cfg->pgsize_bitmap &= PGSIZES;
	if (!(cfg->pgsize_bitmap & SZ_4K))
		return pgt_fail(err, -EINVAL,
				"amd-iommu-v1: pgsize_bitmap must include 4K (AMD_IOMMU_PGSIZES or a "
				"narrower set, as amd_iommu=nohugepages gives)");
	cfg->ias = 52; /* IOMMU_IN_ADDR_BIT_SIZE */
	cfg->oas = 52; /* IOMMU_OUT_ADDR_BIT_SIZE */
	amd_geometry(t, cfg->opt[OPT_MODE]);
	return 0;
}

static uint64_t amd_prot_attrs(const struct pgt_table *t, unsigned prot)
{
	(void)t;
	return (prot & PGT_READ ? PTE_IR : 0) | (prot & PGT_WRITE ? PTE_IW : 0);
}

/* iommu_v1_map_pages(): a natural-size leaf, or (PAGE_SIZE_PTE) the page
 * size encoded in the address bits with next level 7, in every entry */
static uint64_t amd_leaf(const struct pgt_table *t, unsigned depth, uint64_t pgsize, pgt_addr pa,
			 uint64_t attrs, unsigned index)
{
	(void)index;
	uint64_t pte = PTE_PR | PTE_FC | attrs;
	if (pgsize == pgt_size_of_depth(t, depth))
		return pte | pa;
	return pte | (((pa | (pgsize - 1)) & ~(pgsize >> 1)) & ADDR_MASK) | (LEVEL7 << 9);
}

static uint64_t amd_leaf_step(const struct pgt_table *t, unsigned depth, uint64_t pgsize,
			      pgt_addr pa, uint64_t n)
{
	(void)pa;
	(void)n;
	return pgsize == pgt_size_of_depth(t, depth) ? pgsize : 0;
}

/* PM_LEVEL_PDE(): the next-level field holds the level of the table the
 * entry is in (the child's level plus one). */
static uint64_t amd_table(const struct pgt_table *t, unsigned depth, pgt_addr pa, uint64_t old)
{
	(void)old;
	return pa | ((uint64_t)label_of(t, depth) << 9) | PTE_PR | PTE_IR | PTE_IW;
}

static void amd_decode(const struct pgt_table *t, unsigned depth, uint64_t pte,
		       struct pgt_entry *e)
{
	unsigned lvl = label_of(t, depth), next = next_level(pte);
	memset(e, 0, sizeof(*e));
	e->raw = pte;
	if (!(pte & PTE_PR)) {
		/* IOMMU_PTE_PRESENT() is false: not mapped, whatever else is set */
		e->kind = PGT_EMPTY;
		return;
	}
	uint64_t span = pgt_size_of_depth(t, depth);
	if (next == 0 || next == LEVEL7 || lvl == 0) {
		uint64_t size = next == LEVEL7 ? level7_size(pte) : span;
		if (next == LEVEL7 && (size <= span || size > span << 8)) {
			e->kind = PGT_BAD;
			e->why = "next level 7 with a page size this level cannot hold";
			return;
		}
		e->kind = PGT_LEAF;
		e->size = size;
		e->count = (unsigned)(size / span);
		e->pa = pte & ADDR_MASK & ~(size - 1);
		e->prot = (pte & PTE_IR ? PGT_READ : 0) | (pte & PTE_IW ? PGT_WRITE : 0);
		return;
	}
	if (next != lvl) {
		/* fetch_pte(): "No level skipping support yet" */
		e->kind = PGT_BAD;
		e->why = "a table pointer whose next level is not this level (level skipping)";
		return;
	}
	e->kind = PGT_TABLE;
	e->pa = pte & ADDR_MASK;
}

static uint64_t amd_leaf_attrs(const struct pgt_table *t, unsigned depth, uint64_t pte)
{
	(void)t;
	(void)depth;
	return pte & (PTE_IR | PTE_IW);
}

static uint64_t amd_retarget(const struct pgt_table *t, unsigned depth, uint64_t pte,
			     pgt_addr new_pa)
{
	(void)t;
	(void)depth;
	return (pte & ~ADDR_MASK) | (new_pa & ADDR_MASK);
}

/* increase_address_space(): a new root whose entry 0 points to the old
 * one, one level at a time, until the page fits; never past 6 levels. */
static int amd_grow(struct pgt_table *t, pgt_addr last, uint64_t pgsize, struct pgt_error *err)
{
	unsigned page_level = ((unsigned)__builtin_ctzll(pgsize) - 12) / 9;
	while (last > coverage(t->geo.n_levels) || t->geo.n_levels - 1 < page_level) {
		unsigned mode = t->geo.n_levels;
		if (mode == MAX_MODE)
			return pgt_fail(err, -ENOMEM,
					"iova 0x%llx needs more than 6 levels (ENOMEM)",
					(unsigned long long)last);
		/* the new root's entry 0 must hold the old root's address */
		if (t->root[0] & ~ADDR_MASK)
			return pgt_fail(err, -ENOMEM,
					"the root at 0x%llx is beyond what a table entry can point "
					"at, so the table cannot grow; place table memory lower",
					(unsigned long long)t->root[0]);
		pgt_addr root;
		int rc = pgt_arena_alloc(t->mem, SZ_4K, SZ_4K, &root, err);
		if (rc)
			return rc;
		void *p = pgt_mem_ptr(t->mem, root, SZ_4K);
		uint64_t pde = t->root[0] | ((uint64_t)mode << 9) | PTE_PR | PTE_IR | PTE_IW;
		pgt_desc_set(t, p, 0, pde);
		t->root[0] = root;
		amd_geometry(t, mode + 1);
		if (t->ev.driver)
			t->ev.driver("amd_iommu_update_and_flush_device_table", 0, 0, t->ev_cookie);
	}
	return 0;
}

/*
 * One entry of iova's walk for iommu_v1_unmap_pages(), at depth d of table
 * p (at tbl): 1 when it was a page, cleared, with the pages after it in
 * the table that continue it as a mapped run (each a page the kernel's next
 * walk would find there and clear); *to: where the next page starts,
 * *bytes: the pages' sizes (the kernel counts a page whole, wherever in it
 * iova was). 0 when it points at the next table (*next), -1 when the unmap
 * stops there (err says why). [start, end) is the range asked for, left
 * the bytes the kernel's loop has still to count.
 */
static int take_pages(struct pgt_table *t, unsigned d, pgt_addr tbl, void *p, pgt_addr iova,
		      pgt_addr start, pgt_addr end, uint64_t left, const struct pgt_unmap_opts *o,
		      pgt_addr *to, uint64_t *bytes, pgt_addr *next, struct pgt_error *err)
{
	const struct pgt_geometry *g = &t->geo;
	uint64_t idx = pgt_index(g, d, iova);
	struct pgt_entry e;
	t->ops->decode(t, d, pgt_desc_get(t, p, idx), &e);
	if (e.kind == PGT_LEAF) {
		pgt_addr at = iova & ~(e.size - 1);
		if (o->split == PGT_SPLIT_REFUSE && (at < start || at + e.size > end)) {
			pgt_refuse_partial(t, d, iova, &e,
					   "unmapping part of it is refused: the kernel would unmap "
					   "all of it",
					   err);
			pgt_remedy(err, PGT_REMEDY_KERNEL_UNMAP, 0);
			return -1;
		}
		uint64_t first = idx & ~((uint64_t)e.count - 1);
		/* the run: pages of the table the kernel's loop goes on to
		 * (until it has counted the range), none it would refuse */
		uint64_t max = (1ull << g->level[d].index_bits) - idx;
		uint64_t to_count = left / e.size + (left % e.size != 0);
		if (max > to_count)
			max = to_count;
		if (o->split == PGT_SPLIT_REFUSE && max > (end - at) / e.size)
			max = (end - at) / e.size;
		uint64_t n = pgt_leaf_run(t, d, p, idx, &e, max ? max : 1);
		pgt_clear_entries(t, p, first, n > 1 ? n : e.count);
		*to = at + n * e.size;
		*bytes = n * e.size;
		return 1;
	}
	if (d + 1 == g->n_levels) {
		/* an empty last-level slot still counts, for the kernel */
		if (o->split == PGT_SPLIT_REFUSE) {
			pgt_fail(err, -ENOENT,
				 "iova 0x%llx is not mapped (level %u descriptor at 0x%llx is "
				 "empty); the kernel would count it as unmapped",
				 (unsigned long long)iova, g->level[d].label,
				 (unsigned long long)(tbl + idx * g->desc_bytes));
			pgt_remedy(err, PGT_REMEDY_KERNEL_UNMAP, 0);
			return -1;
		}
		pgt_clear_entries(t, p, idx, 1);
		*bytes = pgt_size_of_depth(t, d);
		*to = (iova & ~(*bytes - 1)) + *bytes;
		return 1;
	}
	if (e.kind != PGT_TABLE) {
		if (e.kind == PGT_BAD)
			pgt_malformed(t, d, tbl + idx * g->desc_bytes, &e, err);
		else
			pgt_not_mapped(t, d, iova, tbl + idx * g->desc_bytes, err);
		return -1;
	}
	*next = e.pa;
	return 0;
}

/*
 * iommu_v1_unmap_pages(): whatever page holds each IOVA goes whole, and the
 * next IOVA is the end of that page; a missing table stops it, but an empty
 * slot of an existing last-level table counts as a page (fetch_pte()). The
 * kernel walks down for each page; the pages after one in the same table
 * are taken there, which is the same walk.
 */
uint64_t pgt_amd_unmap_pages(struct pgt_table *t, pgt_addr iova, uint64_t pgsize,
			     uint64_t pgcount, const struct pgt_unmap_opts *o, struct pgt_error *err)
{
	const struct pgt_geometry *g = &t->geo;
	uint64_t size = pgcount * pgsize, unmapped = 0;
	const pgt_addr start = iova, end = iova + size;

	while (unmapped < size) {
		/* past the levels: the next call says so, as __iommu_unmap's does */
		if (!pgt_iova_in_range(t, iova))
			return unmapped;
		pgt_addr tbl = t->root[pgt_root_index(g, iova)], next = 0, to = 0;
		uint64_t bytes = 0;
		void *p = NULL;
		unsigned d = 0;
		int r;
		for (;; d++) {
			struct pgt_error e2;
			p = pgt_table_ptr(t, d, tbl, &e2);
			if (!p) {
				*err = e2;
				return unmapped;
			}
			if ((r = take_pages(t, d, tbl, p, iova, start, end, size - unmapped, o, &to,
					    &bytes, &next, err)))
				break;
			tbl = next;
		}
		/* the bits above those the table at d translates */
		unsigned above = g->level[d].shift + g->level[d].index_bits;
		while (r > 0) {
			pgt_addr prev = iova;
			unmapped += bytes;
			iova = to;
			if (unmapped >= size || !iova || (above < 64 && (iova ^ prev) >> above))
				break;
			r = take_pages(t, d, tbl, p, iova, start, end, size - unmapped, o, &to, &bytes,
				       &next, err);
		}
		if (r < 0)
			return unmapped;
	}
	return unmapped;
}

static void amd_registers(const struct pgt_table *t, struct pgt_regs *r)
{
	pgt_reg_value(r, "root", t->root[0]);
	pgt_reg_count(r, "mode", t->geo.n_levels);
}

static size_t amd_fields(const struct pgt_table *t, unsigned depth, uint64_t pte,
			 struct pgt_field *out, size_t max)
{
	struct pgt_entry e;
	struct pgt_fields fl = {out, 0, max};
	amd_decode(t, depth, pte, &e);
	pgt_field_add(&fl, "pr", pte & 1, NULL);
	pgt_field_add(&fl, "next_level", next_level(pte),
	      e.kind == PGT_TABLE ? "table" : next_level(pte) == 7 ? "large page" : NULL);
	if (e.kind == PGT_TABLE || e.kind == PGT_LEAF)
		pgt_field_add(&fl, "addr", e.pa, NULL);
	pgt_field_add(&fl, "ir", (pte >> 61) & 1, NULL);
	pgt_field_add(&fl, "iw", (pte >> 62) & 1, NULL);
	if (e.kind == PGT_LEAF) {
		pgt_field_add(&fl, "fc", (pte >> 60) & 1, NULL);
		pgt_field_add(&fl, "hd", (pte >> 6) & 1, NULL);
	}
	return fl.n;
}

static const char *amd_lint(const struct pgt_table *t, unsigned depth, uint64_t pte)
{
	struct pgt_entry e;
	amd_decode(t, depth, pte, &e);
	if (pte && !(pte & PTE_PR))
		return "not present but not zero";
	if (e.kind == PGT_LEAF && label_of(t, depth) == 0 && next_level(pte) != 0 &&
	    next_level(pte) != LEVEL7)
		return "a level-0 entry with a table's next level";
	return NULL;
}

static const struct pgt_format_ops amd_ops = {
	.default_cfg = amd_default_cfg,
	.setup = amd_setup,
	.prot_attrs = amd_prot_attrs,
	.leaf = amd_leaf,
	.leaf_step = amd_leaf_step,
	.table = amd_table,
	.decode = amd_decode,
	.leaf_attrs = amd_leaf_attrs,
	.retarget = amd_retarget,
	.registers = amd_registers,
	.fields = amd_fields,
	.lint = amd_lint,
	.grow = amd_grow,
	.unmap_pages = pgt_amd_unmap_pages,
};

/*
 * Linux 7.3 builds the same table with generic_pt's amdv1
 * (drivers/iommu/generic_pt/fmt/amdv1.h) as
 * amd_iommu_domain_alloc_paging_v1() sets it up: starting level 2 (mode
 * 3), PT_FEAT_DYNAMIC_TOP, PT_FEAT_AMDV1_ENCRYPT_TABLES and
 * PT_FEAT_AMDV1_FORCE_COHERENCE (all three forced by iommu_amdv1.c, so FC
 * is in every leaf as in 6.12), hw_max_vasz_lg2 amd_iommu_hpt_vasize (48,
 * 57 or 64 from EFR HATS), the same descriptors (amdv1pt_install_leaf_entry(),
 * amdv1pt_install_table()), and generic_pt's map_range and unmap_range.
 */
#define Q(x) PGT_QUIRK_PT(PGT_PT_##x)
#define AMD73_FORCED (Q(DYNAMIC_TOP) | Q(AMDV1_ENCRYPT_TABLES) | Q(AMDV1_FORCE_COHERENCE))

static void amd73_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	(void)fmt;
	cfg->ias = 64;
	cfg->oas = 52;
	cfg->pgsize_bitmap = PGSIZES;
	cfg->quirks = AMD73_FORCED | Q(FLUSH_RANGE);
}

/* pt_iommu_amdv1_init(): amdv1pt_iommu_fmt_init() and pt_init_common();
 * the domain's page sizes are get_info()'s (every level's below half of
 * max_vasz) narrowed by amd_iommu_pgsize_bitmap */
static int amd73_setup(struct pgt_table *t, struct pgt_error *err)
{
	struct pgt_cfg *cfg = &t->cfg;
	int rc = pgt_check_quirks(t, t->kern->quirks, err);
	if (rc)
		return rc;
	if ((cfg->quirks & AMD73_FORCED) != AMD73_FORCED)
		return pgt_fail(err, -EOPNOTSUPP,
				"%s needs quirks %s: iommu_amdv1.c forces them (EOPNOTSUPP)",
				t->fmt->name, "dynamic-top,amdv1-encrypt-tables,amdv1-force-coherence");
	/* PT_FEAT_DMA_INCOHERENT is not amdv1's */
	if (!cfg->coherent_walk)
		return pgt_fail(err, -EOPNOTSUPP, "%s needs a coherent walk", t->fmt->name);
	rc = pgt_check_ias(t, 21, 64, err);
	if (rc)
		return rc;
	if (!cfg->oas || cfg->oas > 52)
		cfg->oas = 52;
	cfg->pgsize_bitmap &= PGSIZES & ((1ull << (cfg->ias - 1)) - 1);
	if (!(cfg->pgsize_bitmap & SZ_4K))
		return pgt_fail(err, -EINVAL,
				"amd-iommu-v1: pgsize_bitmap must include 4K (AMD_IOMMU_PGSIZES or a "
				"narrower set, as amd_iommu=nohugepages gives)");
	amd_geometry(t, cfg->opt[OPT_MODE]);
	return 0;
}

/* increase_top(): new tops, each with entry 0 pointing at the one below,
 * until the range fits the top and the top holds the page's level; no
 * level whose entries would span max_vasz_lg2 (-ERANGE); then the driver
 * points the DTEs at the new top (amd_iommu_change_top()). */
static int amd73_grow(struct pgt_table *t, pgt_addr last, uint64_t pgsize, struct pgt_error *err)
{
	unsigned page_level = ((unsigned)__builtin_ctzll(pgsize) - 12) / 9;
	unsigned ias = t->cfg.ias, mode = t->geo.n_levels;
	for (;;) {
		/* _pt_top_range(): the top's reach, capped at max_vasz */
		unsigned v = mode == MAX_MODE || 12 + 9 * mode > ias ? ias : 12 + 9 * mode;
		if ((v >= 64 || !(last >> v)) && page_level + 1 <= mode)
			break;
		if (mode == MAX_MODE || 12 + 9 * mode >= ias)
			return pgt_fail(err, -ERANGE,
					"iova 0x%llx is outside the %u-bit input address space "
					"(ERANGE)",
					(unsigned long long)last, ias);
		mode++;
	}
	if (mode == t->geo.n_levels)
		return 0;
	for (unsigned m = t->geo.n_levels; m < mode; m++) {
		if (t->root[0] & ~ADDR_MASK)
			return pgt_fail(err, -ENOMEM,
					"the root at 0x%llx is beyond what a table entry can point "
					"at, so the table cannot grow; place table memory lower",
					(unsigned long long)t->root[0]);
		pgt_addr root;
		int rc = pgt_arena_alloc(t->mem, SZ_4K, SZ_4K, &root, err);
		if (rc)
			return rc;
		uint64_t pde = t->root[0] | ((uint64_t)m << 9) | PTE_PR | PTE_IR | PTE_IW;
		pgt_desc_set(t, pgt_mem_ptr(t->mem, root, SZ_4K), 0, pde);
		t->root[0] = root;
	}
	amd_geometry(t, mode);
	if (t->ev.driver)
		t->ev.driver("amd_iommu_change_top", 0, 0, t->ev_cookie);
	return 0;
}

static const struct pgt_format_ops amd73_ops = {
	.default_cfg = amd73_default_cfg,
	.setup = amd73_setup,
	.prot_attrs = amd_prot_attrs,
	.leaf = amd_leaf,
	.leaf_step = amd_leaf_step,
	.table = amd_table,
	.decode = amd_decode,
	.leaf_attrs = amd_leaf_attrs,
	.retarget = amd_retarget,
	.registers = amd_registers,
	.fields = amd_fields,
	.lint = amd_lint,
	.grow = amd73_grow,
};

/* both kernels start at 3 levels (v1_alloc_pgtable(), 7.3's
 * starting_level 2) and grow to 6 as mappings need */
static const struct pgt_level_choice amd_levels[] = {{3, 0}, {4, 0}, {5, 0}, {6, 0}};

static const struct pgt_format_option amd_options[] = {
	/* v1_alloc_pgtable() starts every domain at PAGE_MODE_3_LEVEL */
	{"mode", "number of levels", 1, MAX_MODE, 3, true},
};

#define F(x) (1u << PGT_FEAT_##x)

static const struct pgt_format_kernel amd_612 = {
	.features = F(PER_PAGE) | F(REPLACE_LEAVES) | F(REPLACE_BLOCKS) | F(UNMAP_WHOLE_PAGES) |
		    F(PHYS_FROM_GROUP_HEAD),
	.driver_flush = "amd_iommu_domain_flush_pages",
};

/* iommu_amdv1.c's PT_SUPPORTED_FEATURES */
static const struct pgt_format_kernel amd_73 = {
	.features = F(RANGE_OPS),
	.quirks = Q(FULL_VA) | Q(DYNAMIC_TOP) | Q(FLUSH_RANGE) | Q(FLUSH_RANGE_NO_GAPS) |
		  Q(AMDV1_ENCRYPT_TABLES) | Q(AMDV1_FORCE_COHERENCE),
	.max_ias = 64,
	.ops = &amd73_ops,
};

const struct pgt_format pgt_fmt_amd_iommu_v1 = {
	.name = "amd-iommu-v1",
	.kernel_name = "AMD_IOMMU_V1",
	.pt_name = "amdv1",
	.summary = "AMD-Vi host page table (v1)",
	.desc_bytes = 8,
	.pgsizes = PGSIZES,
	.max_ias = 64,
	.max_oas = 52,
	.elf_machine = EM_X86_64,
	.options = amd_options,
	.n_options = 1,
	.level_choices = amd_levels,
	.n_level_choices = 4,
	.levels_option = "mode",
	.ops = &amd_ops,
	.kernel = {[PGT_KERNEL_6_12] = &amd_612, [PGT_KERNEL_7_3] = &amd_73},
};

// SPDX-License-Identifier: MIT
/*
 * APPLE_DART and APPLE_DART2 (drivers/iommu/io-pgtable-dart.c): one page
 * size (4K or 16K), two table levels (Linux 7.3: three where the input
 * space needs them, for the t602x DARTs), and up to four TTBRs that split
 * the input address space (Linux 7.3: only with 4K pages). The two formats
 * differ only in where the protection bits and the output address sit in
 * a descriptor.
 */
#include <elf.h>
#include <errno.h>

#include "engine.h"
#include "formats.h"

#define SZ_4K (1ull << 12)
#define SZ_16K (1ull << 14)

#define PTE_VALID (1ull << 0)
#define SUBPAGE_END (0xfffull << 40)   /* bits 51:40: END = 0xfff */
#define SUBPAGE_START (0xfffull << 52) /* bits 63:52: START = 0 */
#define DART1_SP_DIS (1ull << 1)
#define DART1_NO_WRITE (1ull << 7)
#define DART1_NO_READ (1ull << 8)
#define DART1_PADDR_MASK 0x0000000ffffff000ull /* bits 35:12 */
#define DART2_NO_CACHE (1ull << 1)
#define DART2_NO_WRITE (1ull << 2)
#define DART2_NO_READ (1ull << 3)
#define DART2_PADDR_MASK 0x0000003ffffffc00ull /* bits 37:10 */
#define DART2_PADDR_SHIFT 4
/* Kernel rows' private features (PGT_FEAT_FMT_START on) */
enum {
	/* Bit 1 (DART1's SP_DIS) in every leaf of both formats: on DART2
	 * that is NO_CACHE, whatever IOMMU_CACHE says (6.12 dart_init_pte()). */
	DART_FEAT_LEAF_BIT1 = PGT_FEAT_FMT_START,
	/* Levels as the input space needs them, up to three tables below the
	 * TTBRs, and several TTBRs only with 4K pages (7.3
	 * dart_alloc_pgtable(), its n_levels counting the TTBR level). */
	DART_FEAT_LEVELS,
};

struct dart_facts {
	bool dart2;
};

static bool is_dart2(const struct pgt_table *t)
{
	return ((const struct dart_facts *)t->fmt->facts)->dart2;
}

/* paddr_to_iopte() / iopte_to_paddr() */
static uint64_t pa_to_field(const struct pgt_table *t, pgt_addr pa)
{
	if (!is_dart2(t))
		return pa & DART1_PADDR_MASK;
	return (pa >> DART2_PADDR_SHIFT) & DART2_PADDR_MASK;
}

static pgt_addr field_to_pa(const struct pgt_table *t, uint64_t pte)
{
	if (!is_dart2(t))
		return pte & DART1_PADDR_MASK;
	return (pte & DART2_PADDR_MASK) << DART2_PADDR_SHIFT;
}

static void dart_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	/* t8103 (M1): DART1 with 16K pages; t6000: DART2 */
	cfg->ias = 32;
	cfg->oas = ((const struct dart_facts *)fmt->facts)->dart2 ? 42 : 36;
	cfg->pgsize_bitmap = SZ_16K;
}

/* apple_dart_alloc_pgtable(), dart_alloc_pgtable() */
static int dart_setup(struct pgt_table *t, struct pgt_error *err)
{
	struct pgt_cfg *cfg = &t->cfg;
	const char *name = t->fmt->name;

	if (!cfg->coherent_walk)
		return pgt_fail(err, -EINVAL, "%s needs a coherent walk", name);
	if (cfg->oas != 36 && cfg->oas != 42)
		return pgt_fail(err, -EINVAL, "%s needs oas 36 or 42 (got %u)", name, cfg->oas);
	if (cfg->ias > cfg->oas)
		return pgt_fail(err, -EINVAL, "%s needs ias <= oas (got ias %u, oas %u)", name,
				cfg->ias, cfg->oas);
	if (cfg->pgsize_bitmap != SZ_4K && cfg->pgsize_bitmap != SZ_16K)
		return pgt_fail(err, -EINVAL,
				"%s needs pgsize_bitmap exactly 4K or exactly 16K (got 0x%llx)", name,
				(unsigned long long)cfg->pgsize_bitmap);
	unsigned pg_shift = (unsigned)__builtin_ctzll(cfg->pgsize_bitmap);
	int bpl = (int)pg_shift - 3;
	int va_bits = (int)cfg->ias - (int)pg_shift;
	int levels = 2, max_tbl_bits = 2;
	if (pgt_feat(t, DART_FEAT_LEVELS)) {
		/* old 4K DARTs use up to four TTBRs, newer ones one */
		max_tbl_bits = pg_shift == 12 ? 2 : 0;
		levels = (va_bits - max_tbl_bits + bpl - 1) / bpl;
		if (levels < 2)
			levels = 2;
		if (levels > 3)
			return pgt_fail(err, -EINVAL,
					"%s: ias %u needs %d levels with %lluK pages; the kernel "
					"builds at most 3",
					name, cfg->ias, levels,
					(unsigned long long)cfg->pgsize_bitmap >> 10);
	}
	int tbl_bits = va_bits - levels * bpl;
	if (tbl_bits < 0)
		tbl_bits = 0;
	if (tbl_bits > max_tbl_bits)
		return pgt_fail(err, -EINVAL,
				"%s: ias %u needs %d TTBRs with %lluK pages; the kernel allows %d",
				name, cfg->ias, 1 << tbl_bits,
				(unsigned long long)cfg->pgsize_bitmap >> 10, 1 << max_tbl_bits);

	struct pgt_geometry *g = &t->geo;
	memset(g, 0, sizeof(*g));
	g->n_levels = (unsigned)levels;
	g->desc_bytes = 8;
	g->n_roots = 1u << tbl_bits;
	g->root_shift = (unsigned)((levels + 1) * bpl) + 3;
	g->granule = cfg->pgsize_bitmap;
	g->iova_bits = cfg->ias;
	for (unsigned d = 0; d < g->n_levels; d++) {
		struct pgt_level_geom *l = &g->level[d];
		bool last = d + 1 == g->n_levels;
		l->label = d + 1;
		l->shift = (g->n_levels - d) * (unsigned)bpl + 3;
		l->index_bits = (unsigned)bpl;
		l->batch_bits = (unsigned)bpl;
		l->table_bytes = cfg->pgsize_bitmap;
		l->table_align = cfg->pgsize_bitmap;
		l->leaf_sizes = last ? cfg->pgsize_bitmap : 0;
		l->has_tables = !last;
	}
	/*
	 * A DART2 table descriptor holds bits 41:14 of the table's address
	 * (paddr_to_iopte()), so a 4K table below another must sit on a 16K
	 * boundary. The kernel's tables go anywhere and it loses bits 13:12,
	 * as it does for 4K pages (see dart_check_leaf); ours go where the
	 * descriptor can point. Roots are in TTBRs, which take any 4K page.
	 */
	for (unsigned d = 1; is_dart2(t) && pg_shift < 14 && d < g->n_levels; d++)
		g->level[d].table_align = SZ_16K;
	return 0;
}

/* dart_prot_to_pte(): NOEXEC, MMIO and PRIV have no bits; DART1 leaves
 * always have SP_DIS (6.12 sets it in dart_init_pte(), for DART2 too) */
static uint64_t dart_prot_attrs(const struct pgt_table *t, unsigned prot)
{
	uint64_t pte = 0;
	if (!is_dart2(t)) {
		pte |= DART1_SP_DIS;
		if (!(prot & PGT_WRITE))
			pte |= DART1_NO_WRITE;
		if (!(prot & PGT_READ))
			pte |= DART1_NO_READ;
		return pte;
	}
	if (!(prot & PGT_WRITE))
		pte |= DART2_NO_WRITE;
	if (!(prot & PGT_READ))
		pte |= DART2_NO_READ;
	if (!(prot & PGT_CACHE))
		pte |= DART2_NO_CACHE;
	return pte;
}

/* dart_init_pte(): subpage protection that allows the whole page, and in
 * 6.12 bit 1 (SP_DIS on DART1) on every leaf of both formats: on DART2
 * that is NO_CACHE, so 6.12 sets it whatever IOMMU_CACHE says. */
static uint64_t dart_leaf(const struct pgt_table *t, unsigned depth, uint64_t pgsize, pgt_addr pa,
			  uint64_t attrs, unsigned index)
{
	(void)depth;
	(void)pgsize;
	(void)index;
	uint64_t bit1 = pgt_feat(t, DART_FEAT_LEAF_BIT1) ? DART1_SP_DIS : 0;
	return attrs | SUBPAGE_END | bit1 | PTE_VALID | pa_to_field(t, pa);
}

static uint64_t dart_leaf_step(const struct pgt_table *t, unsigned depth, uint64_t pgsize,
			       pgt_addr pa, uint64_t n)
{
	(void)depth;
	(void)pa;
	(void)n;
	return pa_to_field(t, pgsize);
}

/* dart_install_table() */
static uint64_t dart_table(const struct pgt_table *t, unsigned depth, pgt_addr pa, uint64_t old)
{
	(void)depth;
	(void)old;
	return pa_to_field(t, pa) | PTE_VALID;
}

static void dart_decode(const struct pgt_table *t, unsigned depth, uint64_t pte,
			struct pgt_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->raw = pte;
	if (!pte) {
		e->kind = PGT_EMPTY;
		return;
	}
	if (!(pte & PTE_VALID)) {
		/* 6.12 follows or translates any non-zero entry; the DART does not. */
		e->kind = PGT_BAD;
		e->why = "not valid (bit 0 clear) but not zero";
		return;
	}
	e->pa = field_to_pa(t, pte);
	if (depth + 1 < t->geo.n_levels) {
		e->kind = PGT_TABLE;
		return;
	}
	e->kind = PGT_LEAF;
	e->size = t->cfg.pgsize_bitmap;
	e->count = 1;
	bool no_read = pte & (is_dart2(t) ? DART2_NO_READ : DART1_NO_READ);
	bool no_write = pte & (is_dart2(t) ? DART2_NO_WRITE : DART1_NO_WRITE);
	e->prot = (no_read ? 0 : PGT_READ) | (no_write ? 0 : PGT_WRITE);
	if (is_dart2(t) && !(pte & DART2_NO_CACHE))
		e->prot |= PGT_CACHE;
}

static uint64_t dart_leaf_attrs(const struct pgt_table *t, unsigned depth, uint64_t pte)
{
	struct pgt_entry e;
	dart_decode(t, depth, pte, &e);
	return dart_prot_attrs(t, e.prot);
}

static uint64_t dart_retarget(const struct pgt_table *t, unsigned depth, uint64_t pte,
			      pgt_addr new_pa)
{
	(void)depth;
	uint64_t mask = is_dart2(t) ? DART2_PADDR_MASK : DART1_PADDR_MASK;
	return (pte & ~mask) | pa_to_field(t, new_pa);
}

static void dart_registers(const struct pgt_table *t, struct pgt_regs *r)
{
	struct pgt_reg *g = pgt_reg_list(r, "ttbr");
	g->n = t->n_roots;
	for (unsigned i = 0; i < t->n_roots; i++)
		g->list[i] = t->root[i];
	pgt_reg_count(r, "n_ttbrs", t->n_roots);
	/* apple_dart_cfg.n_levels: the table levels and the TTBR's */
	if (pgt_feat(t, DART_FEAT_LEVELS))
		pgt_reg_count(r, "n_levels", t->geo.n_levels + 1);
}

static size_t dart_fields(const struct pgt_table *t, unsigned depth, uint64_t pte,
			  struct pgt_field *out, size_t max)
{
	struct pgt_entry e;
	struct pgt_fields fl = {out, 0, max};
	dart_decode(t, depth, pte, &e);
	pgt_field_add(&fl, "type", pte & 1, e.kind == PGT_TABLE ? "table" : e.kind == PGT_LEAF ? "page" : "invalid");
	if (e.kind != PGT_TABLE && e.kind != PGT_LEAF)
		return fl.n;
	pgt_field_add(&fl, "addr", e.pa, NULL);
	if (e.kind == PGT_TABLE)
		return fl.n;
	if (is_dart2(t)) {
		pgt_field_add(&fl, "no_read", (pte >> 3) & 1, NULL);
		pgt_field_add(&fl, "no_write", (pte >> 2) & 1, NULL);
		pgt_field_add(&fl, "no_cache", (pte >> 1) & 1, NULL);
	} else {
		pgt_field_add(&fl, "no_read", (pte >> 8) & 1, NULL);
		pgt_field_add(&fl, "no_write", (pte >> 7) & 1, NULL);
		pgt_field_add(&fl, "sp_dis", (pte >> 1) & 1, NULL);
	}
	pgt_field_add(&fl, "sp_start", pte >> 52, NULL);
	pgt_field_add(&fl, "sp_end", (pte >> 40) & 0xfff, NULL);
	return fl.n;
}

static const char *dart_lint(const struct pgt_table *t, unsigned depth, uint64_t pte)
{
	struct pgt_entry e;
	dart_decode(t, depth, pte, &e);
	if (e.kind == PGT_LEAF && (e.pa & (e.size - 1)))
		return "output address is not aligned to the page size";
	if (e.kind == PGT_LEAF && ((pte >> 52) != 0 || ((pte >> 40) & 0xfff) != 0xfff))
		return "subpage protection does not cover the whole page";
	/* (DART2's field starts at PA bit 14: it cannot say 13:12 at all) */
	return NULL;
}

/* DART2 keeps PA >> 4 in bits 37:10, so a 4K page's PA bits 13:12 are
 * lost; 6.12 maps such pages at the wrong address without a word. */
static int dart_check_leaf(const struct pgt_table *t, uint64_t pgsize, pgt_addr pa, uint64_t n,
			   struct pgt_error *err)
{
	if (!is_dart2(t) || pgsize != SZ_4K)
		return 0;
	for (uint64_t i = 0; i < n; i++)
		if ((pa + i * pgsize) & 0x3000)
			return pgt_fail(err, -EINVAL,
					"apple-dart2 cannot hold PA bits 13:12 of a 4K page (pa "
					"0x%llx): the kernel would map pa 0x%llx instead; DART2 "
					"needs 16K pages",
					(unsigned long long)(pa + i * pgsize),
					(unsigned long long)((pa + i * pgsize) & ~0x3000ull));
	return 0;
}

static const struct pgt_format_ops dart_ops = {
	.check_leaf = dart_check_leaf,
	.default_cfg = dart_default_cfg,
	.setup = dart_setup,
	.prot_attrs = dart_prot_attrs,
	.leaf = dart_leaf,
	.leaf_step = dart_leaf_step,
	.table = dart_table,
	.decode = dart_decode,
	.leaf_attrs = dart_leaf_attrs,
	.retarget = dart_retarget,
	.registers = dart_registers,
	.fields = dart_fields,
	.lint = dart_lint,
};

static const struct dart_facts dart1 = {.dart2 = false}, dart2 = {.dart2 = true};

static const struct pgt_format_kernel dart_612 = {
	.features = 1u << PGT_FEAT_ADD_PAGE_WITHOUT_GATHER | 1u << DART_FEAT_LEAF_BIT1,
};
static const struct pgt_format_kernel dart_73 = {
	.features = 1u << PGT_FEAT_ADD_PAGE_WITHOUT_GATHER | 1u << DART_FEAT_LEVELS,
	/* 16K pages, three levels, ias up to oas */
	.max_ias = 42,
};

const struct pgt_format pgt_fmt_apple_dart = {
	.name = "apple-dart",
	.kernel_name = "APPLE_DART",
	.summary = "Apple DART (M1: t8103)",
	.desc_bytes = 8,
	.pgsizes = SZ_4K | SZ_16K,
	.max_ias = 38,
	.max_oas = 42,
	.elf_machine = EM_AARCH64,
	.facts = &dart1,
	.ops = &dart_ops,
	.kernel = {[PGT_KERNEL_6_12] = &dart_612, [PGT_KERNEL_7_3] = &dart_73},
};

const struct pgt_format pgt_fmt_apple_dart2 = {
	.name = "apple-dart2",
	.kernel_name = "APPLE_DART2",
	.summary = "Apple DART2 (M1 Pro/Max: t6000, t8110)",
	.desc_bytes = 8,
	.pgsizes = SZ_4K | SZ_16K,
	.max_ias = 38,
	.max_oas = 42,
	.elf_machine = EM_AARCH64,
	.facts = &dart2,
	.ops = &dart_ops,
	.kernel = {[PGT_KERNEL_6_12] = &dart_612, [PGT_KERNEL_7_3] = &dart_73},
};

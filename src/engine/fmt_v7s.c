// SPDX-License-Identifier: MIT
/*
 * ARM_V7S: the ARMv7 short-descriptor format with 32-bit entries, as Linux
 * 6.12 drivers/iommu/io-pgtable-arm-v7s.c builds it. Two levels: 1M
 * sections and 16M supersections (16 identical entries) at level 1, 4K small
 * and 64K large pages (16 identical entries) at level 2, 1 KiB level-2
 * tables. MediaTek's extension keeps PA bits 34:32 in spare entry bits.
 */
#include <elf.h>
#include <errno.h>

#include "engine.h"
#include "formats.h"

#define SZ_4K (1ull << 12)
#define SZ_64K (1ull << 16)
#define SZ_1M (1ull << 20)
#define SZ_16M (1ull << 24)

#define TYPE_TABLE 0x1u
#define TYPE_PAGE 0x2u
#define TYPE_CONT_PAGE 0x1u
#define ATTR_B (1u << 2)
#define ATTR_C (1u << 3)
#define ATTR_NS_TABLE (1u << 3)
#define ATTR_NS_SECTION (1u << 19)
#define CONT_SECTION (1u << 18)
#define CONT_PAGE_XN_SHIFT 15
#define CONT_PAGE_TEX_SHIFT 6
#define CONT_PAGE_TEX_MASK (7u << CONT_PAGE_TEX_SHIFT)
#define MTK_PA_BIT32 (1u << 9)
#define MTK_PA_BIT33 (1u << 4)
#define MTK_PA_BIT34 (1u << 5)
#define TABLE_MASK 0xfffffc00u

/* The 8-bit attribute block, shifted left by 10 at level 1, by 4 at level 2
 * (ARM_V7S_ATTR_SHIFT). */
#define BLK_AF (1u << 0)
#define BLK_AP1 (1u << 1)
#define BLK_TEX_SHIFT 2
#define BLK_AP2 (1u << 5)
#define BLK_S (1u << 6)
#define BLK_NG (1u << 7)

/* Our level-free form of a leaf's attributes: the block, then the flags
 * whose place depends on the level. */
#define A_BLOCK 0xffu
#define A_XN (1u << 8)
#define A_B (1u << 9)
#define A_C (1u << 10)
#define A_NS (1u << 11)

static unsigned lvl_of(unsigned depth)
{
	return depth + 1;
}

static unsigned attr_shift(unsigned lvl)
{
	return 16 - lvl * 6;
}

static uint32_t xn_bit(unsigned lvl)
{
	return 1u << (4 * (2 - lvl));
}

static uint32_t lvl_mask(unsigned lvl)
{
	return ~0u << (lvl == 1 ? 20 : 12);
}

/* MTK_EXT takes effect on kernels with a 64-bit phys_addr_t, as every
 * kernel that uses it is (arm_v7s_is_mtk_enabled()). */
static bool mtk(const struct pgt_table *t)
{
	return t->cfg.quirks & PGT_QUIRK_ARM_MTK_EXT;
}

static uint32_t to_mtk(pgt_addr pa, uint32_t pte)
{
	if (pa & (1ull << 32))
		pte |= MTK_PA_BIT32;
	if (pa & (1ull << 33))
		pte |= MTK_PA_BIT33;
	if (pa & (1ull << 34))
		pte |= MTK_PA_BIT34;
	return pte;
}

static pgt_addr from_mtk(const struct pgt_table *t, uint32_t pte, pgt_addr pa)
{
	if (!mtk(t))
		return pa;
	if (pte & MTK_PA_BIT32)
		pa |= 1ull << 32;
	if (pte & MTK_PA_BIT33)
		pa |= 1ull << 33;
	if (pte & MTK_PA_BIT34)
		pa |= 1ull << 34;
	return pa;
}

static bool is_table(uint32_t pte, unsigned lvl)
{
	return lvl == 1 && (pte & 3) == TYPE_TABLE;
}

/* arm_v7s_pte_is_cont() */
static bool is_cont(uint32_t pte, unsigned lvl)
{
	if (lvl == 1 && !is_table(pte, lvl))
		return pte & CONT_SECTION;
	if (lvl == 2)
		return !(pte & TYPE_PAGE);
	return false;
}

/* arm_v7s_pte_to_cont() / arm_v7s_cont_to_pte() */
static uint32_t to_cont(uint32_t pte, unsigned lvl)
{
	if (lvl == 1)
		return pte | CONT_SECTION;
	uint32_t xn = pte & xn_bit(2), tex = pte & CONT_PAGE_TEX_MASK;
	pte ^= xn | tex | TYPE_PAGE;
	return pte | (xn << CONT_PAGE_XN_SHIFT) | (tex << CONT_PAGE_TEX_SHIFT) | TYPE_CONT_PAGE;
}

static uint32_t from_cont(uint32_t pte, unsigned lvl)
{
	if (lvl == 1)
		return pte & ~CONT_SECTION;
	uint32_t xn = pte & (1u << CONT_PAGE_XN_SHIFT);
	uint32_t tex = pte & (CONT_PAGE_TEX_MASK << CONT_PAGE_TEX_SHIFT);
	pte ^= xn | tex | TYPE_CONT_PAGE;
	return pte | (xn >> CONT_PAGE_XN_SHIFT) | (tex >> CONT_PAGE_TEX_SHIFT) | TYPE_PAGE;
}

static void v7s_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	(void)fmt;
	cfg->ias = 32;
	cfg->oas = 32;
	cfg->pgsize_bitmap = SZ_4K | SZ_64K | SZ_1M | SZ_16M;
}

/* arm_v7s_alloc_pgtable() */
static int v7s_setup(struct pgt_table *t, struct pgt_error *err)
{
	struct pgt_cfg *cfg = &t->cfg;
	unsigned max_ias = mtk(t) ? 34 : 32, max_oas = mtk(t) ? 35 : 32;

	if (cfg->ias > max_ias || cfg->oas > max_oas)
		return pgt_fail(err, -EINVAL, "arm-v7s%s needs ias <= %u and oas <= %u (got ias %u, oas %u)",
				mtk(t) ? " with arm-mtk-ext" : "", max_ias, max_oas, cfg->ias, cfg->oas);
	if (pgt_check_quirks(t, t->kern->quirks, err))
		return err->code;
	if ((cfg->quirks & PGT_QUIRK_ARM_MTK_EXT) && !(cfg->quirks & PGT_QUIRK_NO_PERMS))
		return pgt_fail(err, -EINVAL, "arm-v7s: quirk arm-mtk-ext needs no-perms too");
	if ((cfg->quirks & PGT_QUIRK_ARM_MTK_TTBR_EXT) && !mtk(t))
		return pgt_fail(err, -EINVAL, "arm-v7s: quirk arm-mtk-ttbr-ext needs arm-mtk-ext");
	/* arm_v7s_alloc_pgtable has no lower bound: at 20 bits the level-1
	 * table is one entry; below, its size would be a negative shift. */
	if (cfg->ias < 20)
		return pgt_fail(err, -EINVAL, "arm-v7s: ias %u is below the 20 bits of one section",
				cfg->ias);
	/* Supersections only when the caller asked for them. */
	cfg->pgsize_bitmap &= SZ_4K | SZ_64K | SZ_1M | SZ_16M;

	struct pgt_geometry *g = &t->geo;
	memset(g, 0, sizeof(*g));
	g->n_levels = 2;
	g->desc_bytes = 4;
	g->n_roots = 1;
	g->granule = SZ_4K;
	g->iova_bits = cfg->ias;
	/* Level-1 tables live below 4 GiB (the entry holds 32 bits of PA),
	 * or below 2^oas with MediaTek's TTBR extension. */
	g->table_pa_limit = cfg->quirks & PGT_QUIRK_ARM_MTK_TTBR_EXT ? 1ull << cfg->oas
								    : 1ull << 32;
	struct pgt_level_geom *l1 = &g->level[0], *l2 = &g->level[1];
	l1->label = 1;
	l1->shift = 20;
	l1->index_bits = cfg->ias - 20;
	l1->batch_bits = l1->index_bits;
	l1->table_bytes = 4ull << l1->index_bits;
	l1->table_align = l1->table_bytes < 128 ? 128 : l1->table_bytes;
	l1->leaf_sizes = cfg->pgsize_bitmap & (SZ_1M | SZ_16M);
	l1->has_tables = true;
	l2->label = 2;
	l2->shift = 12;
	l2->index_bits = 8;
	l2->batch_bits = 8;
	l2->table_bytes = 1024;
	l2->table_align = 1024;
	l2->leaf_sizes = cfg->pgsize_bitmap & (SZ_4K | SZ_64K);
	return 0;
}

/* arm_v7s_prot_to_pte(), in our level-free form */
static uint64_t v7s_prot_attrs(const struct pgt_table *t, unsigned prot)
{
	bool ap = !(t->cfg.quirks & PGT_QUIRK_NO_PERMS);
	uint64_t a = BLK_NG | BLK_S;
	if (!(prot & PGT_MMIO))
		a |= 1u << BLK_TEX_SHIFT;
	if (ap) {
		a |= BLK_AF;
		if (!(prot & PGT_PRIV))
			a |= BLK_AP1;
		if (!(prot & PGT_WRITE))
			a |= BLK_AP2;
	}
	if ((prot & PGT_NOEXEC) && ap)
		a |= A_XN;
	if (prot & PGT_MMIO)
		a |= A_B;
	else if (prot & PGT_CACHE)
		a |= A_B | A_C;
	if (t->cfg.quirks & PGT_QUIRK_ARM_NS)
		a |= A_NS;
	return a;
}

/* arm_v7s_init_pte(): every entry of a large page or supersection is the
 * same, its address masked at the level's 1M or 4K granularity. */
static uint64_t v7s_leaf(const struct pgt_table *t, unsigned depth, uint64_t pgsize, pgt_addr pa,
			 uint64_t a, unsigned index)
{
	(void)index;
	unsigned lvl = lvl_of(depth);
	uint32_t pte = (uint32_t)(a & A_BLOCK) << attr_shift(lvl);
	if (a & A_XN)
		pte |= xn_bit(lvl);
	if (a & A_B)
		pte |= ATTR_B;
	if (a & A_C)
		pte |= ATTR_C;
	pte |= TYPE_PAGE;
	if (lvl == 1 && (a & A_NS))
		pte |= ATTR_NS_SECTION;
	if (pgsize > pgt_size_of_depth(t, depth))
		pte = to_cont(pte, lvl);
	uint32_t addr = (uint32_t)pa & lvl_mask(lvl);
	return pte | (mtk(t) ? to_mtk(pa, addr) : addr);
}

/* arm_v7s_install_table() */
static uint64_t v7s_table(const struct pgt_table *t, unsigned depth, pgt_addr pa, uint64_t old)
{
	(void)depth;
	(void)old;
	uint32_t pte = (uint32_t)pa | TYPE_TABLE;
	if (t->cfg.quirks & PGT_QUIRK_ARM_MTK_TTBR_EXT)
		pte = to_mtk(pa, pte);
	if (t->cfg.quirks & PGT_QUIRK_ARM_NS)
		pte |= ATTR_NS_TABLE;
	return pte;
}

/* arm_v7s_pte_to_prot(), for entries in their ordinary (not contiguous) form */
static unsigned pte_prot(uint32_t pte, unsigned lvl)
{
	unsigned prot = PGT_READ;
	uint32_t attr = pte >> attr_shift(lvl);
	if (!(attr & BLK_AP2))
		prot |= PGT_WRITE;
	if (!(attr & BLK_AP1))
		prot |= PGT_PRIV;
	if (!(attr & (7u << BLK_TEX_SHIFT)))
		prot |= PGT_MMIO;
	else if (pte & ATTR_C)
		prot |= PGT_CACHE;
	if (pte & xn_bit(lvl))
		prot |= PGT_NOEXEC;
	return prot;
}

static void v7s_decode(const struct pgt_table *t, unsigned depth, uint64_t raw,
		       struct pgt_entry *e)
{
	unsigned lvl = lvl_of(depth);
	uint32_t pte = (uint32_t)raw;
	memset(e, 0, sizeof(*e));
	e->raw = raw;
	if (!pte) {
		e->kind = PGT_EMPTY;
		return;
	}
	if (!(pte & 3)) {
		/* ARM_V7S_PTE_IS_VALID() is false: the hardware faults. */
		e->kind = PGT_BAD;
		e->why = "invalid (bits 1:0 are 0) but not zero";
		return;
	}
	if (is_table(pte, lvl)) {
		e->kind = PGT_TABLE;
		e->pa = from_mtk(t, pte, pte & TABLE_MASK);
		return;
	}
	bool cont = is_cont(pte, lvl);
	uint32_t mask = lvl_mask(lvl) * (cont ? 16 : 1);
	e->kind = PGT_LEAF;
	e->count = cont ? 16 : 1;
	e->size = pgt_size_of_depth(t, depth) * e->count;
	e->pa = from_mtk(t, pte, pte & mask);
	e->prot = pte_prot(cont ? from_cont(pte, lvl) : pte, lvl);
	/* Without permissions there are no AP or XN bits to read: MediaTek
	 * keeps PA bits 34:32 in some of them (bits 4, 5 and 9). */
	if (t->cfg.quirks & PGT_QUIRK_NO_PERMS)
		e->prot = (e->prot & (PGT_MMIO | PGT_CACHE)) | PGT_READ | PGT_WRITE;
}

/* arm_v7s_split_blk_unmap(): a section's pages get the attributes of its
 * prot, re-encoded at level 2 under the table's quirks. */
/* Pages of the level's own size step by their size in the entry, while
 * the PA's bits from 32 up (which MTK_EXT keeps in bits of their own) stay
 * the same. */
static uint64_t v7s_leaf_step(const struct pgt_table *t, unsigned depth, uint64_t pgsize,
			      pgt_addr pa, uint64_t n)
{
	if (pgsize != pgt_size_of_depth(t, depth) || ((pa + (n - 1) * pgsize) >> 32) != pa >> 32)
		return 0;
	return pgsize;
}

static uint64_t v7s_leaf_attrs(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	struct pgt_entry e;
	v7s_decode(t, depth, raw, &e);
	return v7s_prot_attrs(t, e.prot);
}

static uint64_t v7s_retarget(const struct pgt_table *t, unsigned depth, uint64_t raw,
			     pgt_addr new_pa)
{
	uint32_t keep = (uint32_t)raw & ~TABLE_MASK;
	if (t->cfg.quirks & PGT_QUIRK_ARM_MTK_TTBR_EXT)
		keep &= ~(MTK_PA_BIT32 | MTK_PA_BIT33 | MTK_PA_BIT34);
	(void)depth;
	uint32_t pte = keep | ((uint32_t)new_pa & TABLE_MASK);
	return t->cfg.quirks & PGT_QUIRK_ARM_MTK_TTBR_EXT ? to_mtk(new_pa, pte) : pte;
}

static void v7s_registers(const struct pgt_table *t, struct pgt_regs *r)
{
	pgt_addr pa = t->root[0];
	uint32_t ttbr;
	if (mtk(t))
		ttbr = (uint32_t)(pa | (pa >> 32));
	else /* S, and with a coherent walk NOS, inner and outer WBWA */
		ttbr = (uint32_t)pa | (1u << 1) | (t->cfg.coherent_walk ? 0x68u : 0);
	pgt_reg_value(r, "ttbr", ttbr);
	pgt_reg_value(r, "tcr", 0);
	/* NMRR: IR7 = OR7 = WBWA */
	pgt_reg_value(r, "nmrr", (1u << 14) | (1u << 30));
	/* PRRR: TR1 device, TR4 and TR7 normal, DS0, DS1, NS1, NOS7 */
	pgt_reg_value(r, "prrr", (1u << 2) | (2u << 8) | (2u << 14) | (1u << 16) | (1u << 17) | (1u << 19) |
			       (1u << 31));
}

static size_t v7s_fields(const struct pgt_table *t, unsigned depth, uint64_t raw,
			 struct pgt_field *out, size_t max)
{
	unsigned lvl = lvl_of(depth);
	struct pgt_entry e;
	struct pgt_fields fl = {out, 0, max};
	v7s_decode(t, depth, raw, &e);
	uint32_t pte = (uint32_t)raw;
	if (e.kind == PGT_TABLE) {
		pgt_field_add(&fl, "type", pte & 3, "table");
		pgt_field_add(&fl, "addr", e.pa, NULL);
		pgt_field_add(&fl, "ns", (pte >> 3) & 1, NULL);
		return fl.n;
	}
	if (e.kind != PGT_LEAF) {
		pgt_field_add(&fl, "type", pte & 3, "invalid");
		return fl.n;
	}
	static const char *const kinds[2][2] = {{"section", "supersection"},
						{"small page", "large page"}};
	pgt_field_add(&fl, "type", pte & 3, kinds[lvl - 1][e.count > 1]);
	pgt_field_add(&fl, "addr", e.pa, NULL);
	uint32_t plain = e.count > 1 ? from_cont(pte, lvl) : pte;
	uint32_t blk = plain >> attr_shift(lvl);
	unsigned tex = (blk >> BLK_TEX_SHIFT) & 7;
	unsigned idx = ((tex & 1) << 2) | (((plain >> 3) & 1) << 1) | ((plain >> 2) & 1);
	pgt_field_add(&fl, "tex", tex, NULL);
	pgt_field_add(&fl, "c", (plain >> 3) & 1, NULL);
	pgt_field_add(&fl, "b", (plain >> 2) & 1, NULL);
	pgt_field_add(&fl, "tr", idx, idx == 7 ? "normal-wb" : idx == 4 ? "normal-nc" : idx == 1 ? "device" : NULL);
	pgt_field_add(&fl, "af", blk & BLK_AF, NULL);
	pgt_field_add(&fl, "ap1", (blk >> 1) & 1, NULL);
	pgt_field_add(&fl, "ap2", (blk >> 5) & 1, NULL);
	pgt_field_add(&fl, "s", (blk >> 6) & 1, NULL);
	pgt_field_add(&fl, "ng", (blk >> 7) & 1, NULL);
	pgt_field_add(&fl, "xn", (plain & xn_bit(lvl)) ? 1 : 0, NULL);
	if (lvl == 1)
		pgt_field_add(&fl, "ns", (pte >> 19) & 1, NULL);
	return fl.n;
}

static const char *v7s_lint(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	struct pgt_entry e;
	v7s_decode(t, depth, raw, &e);
	/* (a leaf's address field is aligned to its size: nothing to check) */
	if (e.kind == PGT_LEAF && (e.pa >> t->cfg.oas))
		return "output address is beyond oas";
	if (e.kind == PGT_LEAF && !(t->cfg.pgsize_bitmap & e.size))
		return "a page size not in pgsize_bitmap";
	return NULL;
}

/* Short descriptors with SCTLR.AFE: AP[0] is the access flag, except
 * under NO_PERMS (MediaTek M4U), whose leaves have no AP bits at all. */
static int v7s_access_flag(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	if (t->cfg.quirks & PGT_QUIRK_NO_PERMS)
		return -1;
	return ((uint32_t)raw >> attr_shift(lvl_of(depth))) & BLK_AF;
}

static const struct pgt_format_ops v7s_ops = {
	.default_cfg = v7s_default_cfg,
	.setup = v7s_setup,
	.prot_attrs = v7s_prot_attrs,
	.leaf = v7s_leaf,
	.leaf_step = v7s_leaf_step,
	.table = v7s_table,
	.decode = v7s_decode,
	.leaf_attrs = v7s_leaf_attrs,
	.retarget = v7s_retarget,
	.registers = v7s_registers,
	.fields = v7s_fields,
	.lint = v7s_lint,
	.access_flag = v7s_access_flag,
};

#define F(x) (1u << PGT_FEAT_##x)

#define V7S_QUIRKS                                                                            \
	(PGT_QUIRK_ARM_NS | PGT_QUIRK_NO_PERMS | PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_ARM_MTK_TTBR_EXT)

static const struct pgt_format_kernel v7s_612 = {
	.features = F(PER_PAGE) | F(SPLIT_BLOCKS) | F(TLB_PER_ENTRY) | F(ADD_PAGE_WITHOUT_GATHER),
	.quirks = V7S_QUIRKS,
};
/* 7.3: arm_v7s_split_cont() and arm_v7s_split_blk_unmap() are gone; a
 * partial unmap of a section or large page is refused */
static const struct pgt_format_kernel v7s_73 = {
	.features = F(PER_PAGE) | F(TLB_PER_ENTRY) | F(ADD_PAGE_WITHOUT_GATHER),
	.quirks = V7S_QUIRKS,
};

const struct pgt_format pgt_fmt_arm_v7s = {
	.name = "arm-v7s",
	.kernel_name = "ARM_V7S",
	.summary = "ARMv7 short descriptor (SMMU AArch32-S, MediaTek M4U)",
	.desc_bytes = 4,
	.pgsizes = SZ_4K | SZ_64K | SZ_1M | SZ_16M,
	.max_ias = 34,
	.max_oas = 35,
	.elf_machine = EM_ARM,
	.stage = 1,
	.ops = &v7s_ops,
	.kernel = {[PGT_KERNEL_6_12] = &v7s_612, [PGT_KERNEL_7_3] = &v7s_73},
};

// SPDX-License-Identifier: MIT
/*
 * x86-64 long-mode paging as IOMMUs walk it: AMD_IOMMU_V2, the AMD IOMMU's
 * guest (PASID) table, and Intel VT-d's first stage. 4 KiB tables of 512
 * 8-byte entries, 4 or 5 levels (level 0 the PTEs, 4 the PML5Es), 2M and
 * 1G leaves with PS at levels 1 and 2.
 *
 *  - Linux 6.12 builds AMD_IOMMU_V2 with io-pgtable
 *    (drivers/iommu/amd/io_pgtable_v2.c): set_pte_attr() writes P, U, A and
 *    D on every leaf, RW for IOMMU_WRITE, PSE for 2M and 1G; tables
 *    (set_pgtable_attr()) P, RW, U, A. iommu_v2_map_pages() walks from the
 *    root per page and tears down whatever is in the way
 *    (v2_alloc_pte()), iommu_v2_unmap_pages() removes whole pages
 *    (fetch_pte()). The table has amd_iommu_gpt_level levels; the GCR3
 *    entry of PASID 0 points at its root (init_gcr3_table()).
 *  - Linux 7.3 builds both with generic_pt's x86_64 format
 *    (drivers/iommu/generic_pt/fmt/x86_64.h): x86_64_pt_iommu_set_prot()
 *    writes U and A on every leaf, RW and D for IOMMU_WRITE only, never
 *    XD; x86_64_pt_install_table() P, RW, U, A. The AMD driver
 *    (amd_iommu_domain_alloc_paging_v2()) cuts the top bit (47 or 56 bits,
 *    no sign extension: PASID 0 walks without it); VT-d
 *    (intel_iommu_domain_alloc_first_stage(), compute_vasz_lg2_fs())
 *    sign-extends, 48 bits on 4 levels or min(57, MGAW) on 5, and marks
 *    every table entry with software bit 0 (bit 9) once an incoherent
 *    walker's cache is flushed (pt_iommu_new_table(), x86_64_pt_sw_bit()).
 */
#include <elf.h>
#include <errno.h>

#include "engine.h"
#include "formats.h"

#define X86_P (1ull << 0)
#define X86_RW (1ull << 1)
#define X86_U (1ull << 2)
#define X86_PWT (1ull << 3)
#define X86_PCD (1ull << 4)
#define X86_A (1ull << 5)
#define X86_D (1ull << 6)
#define X86_PS (1ull << 7) /* PAT in a PTE */
#define X86_G (1ull << 8)
#define X86_XD (1ull << 63)
#define X86_OA 0x000ffffffffff000ull /* X86_64_FMT_OA, PM_ADDR_MASK */
/* x86_64_pt_sw_bit(0): generic_pt's SW_BIT_CACHE_FLUSH_DONE */
#define X86_SW_FLUSHED (1ull << 9)
#define SZ_4K (1ull << 12)
#define SZ_2M (1ull << 21)
#define SZ_1G (1ull << 30)
#define PGSIZES (SZ_4K | SZ_2M | SZ_1G) /* AMD_IOMMU_PGSIZES_V2 */

/* pgt_cfg.opt[] of amd-iommu-v2: amd_iommu_gpt_level, 4 or 5 */
#define OPT_LEVELS 0

struct x86_facts {
	bool vtd; /* VT-d's first stage: sign-extended, levels from ias */
};

static const struct x86_facts *facts(const struct pgt_table *t)
{
	return t->fmt->facts;
}

static bool is_612(const struct pgt_table *t)
{
	return t->cfg.kernel == PGT_KERNEL_6_12;
}

static unsigned level_of(const struct pgt_table *t, unsigned depth)
{
	return t->geo.level[depth].label;
}

static void x86_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	const struct x86_facts *f = fmt->facts;
	cfg->pgsize_bitmap = PGSIZES;
	cfg->oas = 52;
	if (f->vtd) {
		cfg->ias = 48;
		cfg->quirks = PGT_QUIRK_PT(PGT_PT_SIGN_EXTEND) | PGT_QUIRK_PT(PGT_PT_FLUSH_RANGE);
	} else if (cfg->kernel == PGT_KERNEL_6_12) {
		cfg->ias = 52;
	} else {
		cfg->ias = 47;
		cfg->quirks = PGT_QUIRK_PT(PGT_PT_X86_64_AMD_ENCRYPT_TABLES) |
			      PGT_QUIRK_PT(PGT_PT_FLUSH_RANGE);
	}
}

static int x86_setup(struct pgt_table *t, struct pgt_error *err)
{
	struct pgt_cfg *cfg = &t->cfg;
	unsigned levels;
	int rc = pgt_check_quirks(t, t->kern->quirks, err);
	if (rc)
		return rc;
	rc = pgt_radix512_pgsizes(t, PGSIZES, err);
	if (rc)
		return rc;
	if (facts(t)->vtd) {
		/* compute_vasz_lg2_fs(): 5 levels only past 48 bits */
		rc = pgt_check_ias(t, 21, 57, err);
		if (rc)
			return rc;
		levels = cfg->ias > 48 ? 5 : 4;
	} else {
		levels = cfg->opt[OPT_LEVELS];
		/* v2_alloc_pgtable(): ias 52, or 57 with 5 levels; 7.3's
		 * amd_iommu_domain_alloc_paging_v2(): 47 or 56 */
		if (is_612(t))
			cfg->ias = levels == 5 ? 57 : 52;
		else
			cfg->ias = levels == 5 ? 56 : 47;
	}
	/* 6.12: IOMMU_OUT_ADDR_BIT_SIZE; 7.3: hw_max_oasz_lg2 52, no wider
	 * than PT_MAX_OUTPUT_ADDRESS_LG2 */
	if (is_612(t) || !cfg->oas || cfg->oas > 52)
		cfg->oas = 52;
	/* x86_64_pt_can_have_leaf(): levels 0 to 2 */
	pgt_radix512_geometry(t, levels, 2, 0);
	return 0;
}

/* 6.12 set_pte_attr(), 7.3 x86_64_pt_iommu_set_prot(): no type or address */
static uint64_t x86_prot_attrs(const struct pgt_table *t, unsigned prot)
{
	if (is_612(t))
		return X86_U | X86_A | X86_D | (prot & PGT_WRITE ? X86_RW : 0);
	return X86_U | X86_A | (prot & PGT_WRITE ? X86_RW | X86_D : 0);
}

/* set_pte_attr() / x86_64_pt_install_leaf_entry(): P, the address, PS
 * above level 0 */
static uint64_t x86_leaf(const struct pgt_table *t, unsigned depth, uint64_t pgsize, pgt_addr pa,
			 uint64_t attrs, unsigned index)
{
	(void)pgsize;
	(void)index;
	return X86_P | (pa & X86_OA) | attrs | (level_of(t, depth) ? X86_PS : 0);
}

/* set_pgtable_attr() / x86_64_pt_install_table(); an incoherent walker's
 * tables get SW_BIT_CACHE_FLUSH_DONE once flushed (7.3) */
static uint64_t x86_table(const struct pgt_table *t, unsigned depth, pgt_addr pa, uint64_t old)
{
	(void)depth;
	(void)old;
	uint64_t e = X86_P | X86_RW | X86_U | X86_A | (pa & X86_OA);
	if (!is_612(t) && !t->cfg.coherent_walk)
		e |= X86_SW_FLUSHED;
	return e;
}

static void x86_decode(const struct pgt_table *t, unsigned depth, uint64_t raw,
		       struct pgt_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->raw = raw;
	if (!(raw & X86_P)) {
		e->kind = PGT_EMPTY;
		return;
	}
	if (pgt_decode_ps(t, depth, raw, X86_PS, X86_OA,
			  "PS set above level 2 (reserved in a PML4E or PML5E)", e))
		/* U clear: supervisor only, as IOMMU_PRIV means (the kernel sets U
		 * on every leaf; VT-d faults a user request on it, reason 0x81) */
		e->prot = PGT_READ | (raw & X86_RW ? PGT_WRITE : 0) |
			  (raw & X86_XD ? PGT_NOEXEC : 0) | (raw & X86_U ? 0 : PGT_PRIV);
}

static uint64_t x86_leaf_attrs(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	(void)t;
	(void)depth;
	return raw & (X86_RW | X86_U | X86_A | X86_D | X86_XD);
}

static uint64_t x86_retarget(const struct pgt_table *t, unsigned depth, uint64_t raw,
			     pgt_addr new_pa)
{
	(void)t;
	(void)depth;
	return (raw & ~X86_OA) | (new_pa & X86_OA);
}

/* AMD: the GCR3 table entry's guest CR3 and the DTE's GPT level
 * (init_gcr3_table(), set_dte_gcr3_table()); VT-d: the PASID entry's
 * FSPTPTR and FLPM (pasid_pte_config_first_level(): 1 for 5 levels) */
static void x86_registers(const struct pgt_table *t, struct pgt_regs *r)
{
	pgt_reg_value(r, "root", t->root[0]);
	if (facts(t)->vtd)
		pgt_reg_count(r, "flpm", t->geo.n_levels == 5);
	else
		pgt_reg_count(r, "levels", t->geo.n_levels);
}

static size_t x86_fields(const struct pgt_table *t, unsigned depth, uint64_t raw,
			 struct pgt_field *out, size_t max)
{
	struct pgt_entry e;
	struct pgt_fields fl = {out, 0, max};
	unsigned lvl = level_of(t, depth);
	x86_decode(t, depth, raw, &e);
	pgt_field_add(&fl, "p", raw & 1, NULL);
	if (e.kind == PGT_EMPTY)
		return fl.n;
	pgt_field_add(&fl, "rw", (raw >> 1) & 1, NULL);
	pgt_field_add(&fl, "us", (raw >> 2) & 1, NULL);
	pgt_field_add(&fl, "pwt", (raw >> 3) & 1, NULL);
	pgt_field_add(&fl, "pcd", (raw >> 4) & 1, NULL);
	pgt_field_add(&fl, "a", (raw >> 5) & 1, NULL);
	if (e.kind == PGT_LEAF) {
		pgt_field_add(&fl, "d", (raw >> 6) & 1, NULL);
		pgt_field_add(&fl, lvl ? "ps" : "pat", (raw >> 7) & 1, lvl ? "large page" : NULL);
		pgt_field_add(&fl, "g", (raw >> 8) & 1, NULL);
	} else if (lvl <= 2) {
		pgt_field_add(&fl, "ps", (raw >> 7) & 1, NULL);
	}
	if (e.kind == PGT_TABLE || e.kind == PGT_LEAF)
		pgt_field_add(&fl, "addr", e.pa, NULL);
	pgt_field_add(&fl, "avl", (raw >> 9) & 7,
		      e.kind == PGT_TABLE && (raw & X86_SW_FLUSHED) ? "cache flushed (generic_pt)"
								    : NULL);
	pgt_field_add(&fl, "sw", (raw >> 52) & 0x7ff, NULL);
	pgt_field_add(&fl, "xd", raw >> 63, NULL);
	return fl.n;
}

static const char *x86_lint(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	struct pgt_entry e;
	unsigned lvl = level_of(t, depth);
	x86_decode(t, depth, raw, &e);
	if (raw && !(raw & X86_P))
		return "not present but not zero";
	if (e.kind == PGT_LEAF && lvl && (raw & X86_OA & (e.size - 1)))
		/* bits 20:13 (2M) or 29:13 (1G) are reserved, bit 12 is PAT */
		return "output address is not aligned to the block size";
	if (e.kind == PGT_LEAF && !lvl && (raw & X86_PS))
		return "PAT set in a PTE (no kernel writes it)";
	if (e.kind == PGT_LEAF && !(raw & X86_U))
		return "a leaf without U (the IOMMU denies a user-mode request)";
	return NULL;
}

/* what both kernels' x86-64 tables share; they differ in unmap alone */
#define X86_OPS                                                                                \
	.default_cfg = x86_default_cfg, .setup = x86_setup, .prot_attrs = x86_prot_attrs,        \
	.leaf = x86_leaf, .leaf_step = pgt_leaf_step_pgsize, .table = x86_table,                 \
	.decode = x86_decode, .leaf_attrs = x86_leaf_attrs, .retarget = x86_retarget,            \
	.registers = x86_registers, .fields = x86_fields, .lint = x86_lint

static const struct pgt_format_ops x86_ops = {X86_OPS};

static const struct pgt_format_ops x86_612_ops = {
	X86_OPS,
	/* iommu_v2_unmap_pages() looks each IOVA up as AMD v1's does */
	.unmap_pages = pgt_amd_unmap_pages,
};

#define F(x) (1u << PGT_FEAT_##x)
#define Q(x) PGT_QUIRK_PT(PGT_PT_##x)

/* 6.12's io_pgtable_v2.c: per page from the root, what is in the way torn
 * down (a replaced leaf too makes the driver flush), whole pages unmapped */
static const struct pgt_format_kernel amd_v2_612 = {
	.features = F(PER_PAGE) | F(REPLACE_LEAVES) | F(REPLACE_BLOCKS) | F(REPLACE_FLUSHES) |
		    F(UNMAP_WHOLE_PAGES),
	.driver_flush = "amd_iommu_domain_flush_pages",
	.ops = &x86_612_ops,
};

/* iommu_x86_64.c's PT_SUPPORTED_FEATURES */
static const struct pgt_format_kernel x86_64_73 = {
	.features = F(RANGE_OPS),
	.quirks = Q(SIGN_EXTEND) | Q(FLUSH_RANGE) | Q(FLUSH_RANGE_NO_GAPS) |
		  Q(X86_64_AMD_ENCRYPT_TABLES),
};

static const struct pgt_format_option amd_v2_options[] = {
	/* amd_iommu_gpt_level: 5 when the CPU has LA57 and EFR GATS allows */
	{"levels", "number of levels", 4, 5, 4, true},
};

/* amd-iommu-v2: the option (the setup gives the ias); VT-d first stage:
 * compute_vasz_lg2_fs(), 48 bits on 4 levels or 57 on 5 */
static const struct pgt_level_choice amd_v2_levels[] = {{4, 0}, {5, 0}};
static const struct pgt_level_choice vtd_fs_levels[] = {{4, 48}, {5, 57}};

static const struct x86_facts amd_v2_facts = {.vtd = false};
static const struct x86_facts vtd_fs_facts = {.vtd = true};

const struct pgt_format pgt_fmt_amd_iommu_v2 = {
	.name = "amd-iommu-v2",
	.kernel_name = "AMD_IOMMU_V2",
	.pt_name = "x86_64",
	.summary = "AMD-Vi guest page table (v2, x86-64 4/5-level)",
	.desc_bytes = 8,
	.pgsizes = PGSIZES,
	.max_ias = 57,
	.max_oas = 52,
	.elf_machine = EM_X86_64,
	.stage = 1,
	.options = amd_v2_options,
	.n_options = 1,
	.level_choices = amd_v2_levels,
	.n_level_choices = 2,
	.levels_option = "levels",
	.facts = &amd_v2_facts,
	.ops = &x86_ops,
	.kernel = {[PGT_KERNEL_6_12] = &amd_v2_612, [PGT_KERNEL_7_3] = &x86_64_73},
};

const struct pgt_format pgt_fmt_intel_vtd_fs = {
	.name = "intel-vtd-fs",
	.kernel_name = "x86_64",
	.pt_name = "x86_64",
	.summary = "Intel VT-d first stage (x86-64 4/5-level)",
	.desc_bytes = 8,
	.pgsizes = PGSIZES,
	.max_ias = 57,
	.max_oas = 52,
	.elf_machine = EM_X86_64,
	.stage = 1,
	.level_choices = vtd_fs_levels,
	.n_level_choices = 2,
	.facts = &vtd_fs_facts,
	.ops = &x86_ops,
	.kernel = {[PGT_KERNEL_7_3] = &x86_64_73},
};

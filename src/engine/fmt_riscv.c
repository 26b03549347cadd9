// SPDX-License-Identifier: MIT
/*
 * The RISC-V IOMMU's first-stage table: Sv39, Sv48 or Sv57 paging as the
 * device context's iosatp points at it (Linux 7.3's generic_pt riscv64,
 * drivers/iommu/generic_pt/fmt/riscv.h, set up by
 * riscv_iommu_alloc_paging_domain()). 4 KiB tables of 512 8-byte entries,
 * 3 to 5 levels chosen by ias 39, 48 or 57 (riscvpt_iommu_fmt_init()),
 * sign-extended, a leaf possible at every level (4K, 2M, 1G, 512G, 256T),
 * and with Svnapot a 64K page as 16 equal level-0 entries.
 *
 * A leaf (riscvpt_iommu_set_prot(), riscvpt_install_leaf_entry()) is V,
 * the PPN in bits 53:10, A and U always, W with R and D for IOMMU_WRITE, R
 * for IOMMU_READ, X unless IOMMU_NOEXEC; a 64K one sets N and ppn[3] (bit
 * 13) in each of its entries. A table (riscvpt_install_table()) is V and
 * the PPN. The kernel reads any V entry with R, W or X, or at level 0, as a
 * leaf (riscvpt_load_entry_raw()). The driver sets iosatp MODE 8, 9 or 10
 * for Sv39/48/57 (top level + 6) and the root's PPN
 * (riscvpt_iommu_fmt_hw_info(), riscv_iommu_attach_paging_domain()).
 *
 * Svpbmt: riscv_iommu_alloc_paging_domain() asks for PT_FEAT_RISCV_SVPBMT
 * on an IOMMU with the capability, but iommu_riscv64.c leaves it out of
 * PT_SUPPORTED_FEATURES, so pt_init_common() refuses the domain
 * (-EOPNOTSUPP): Linux 7.3 builds no table with PBMT bits, and neither
 * does pgtctl; it reads them.
 */
#include <elf.h>
#include <errno.h>

#include "engine.h"
#include "formats.h"

#define RV_V (1ull << 0)
#define RV_R (1ull << 1)
#define RV_W (1ull << 2)
#define RV_X (1ull << 3)
#define RV_U (1ull << 4)
#define RV_G (1ull << 5)
#define RV_A (1ull << 6)
#define RV_D (1ull << 7)
#define RV_PPN 0x003ffffffffffc00ull	   /* RISCVPT_PPN64, bits 53:10 */
#define RV_NAPOT_SZ (1ull << 13)	   /* RISCVPT_PPN64_64K_SZ: ppn[3:0] 1000 */
#define RV_RESERVED 0x1fc0000000000000ull /* bits 60:54 */
#define RV_PBMT_SHIFT 61
#define RV_N (1ull << 63)
#define SZ_4K (1ull << 12)
#define SZ_64K (1ull << 16)

#define Q(x) PGT_QUIRK_PT(PGT_PT_##x)

static unsigned level_of(const struct pgt_table *t, unsigned depth)
{
	return t->geo.level[depth].label;
}

static pgt_addr ppn_pa(uint64_t raw)
{
	return ((raw & RV_PPN) >> 10) << 12;
}

/* every level's item, and 64K at level 0 with Svnapot */
static uint64_t level_sizes(unsigned lvl, bool napot)
{
	return (1ull << (12 + 9 * lvl)) | (lvl == 0 && napot ? SZ_64K : 0);
}

/* NS(get_info)(): every level's sizes below half the VA space and within
 * the output size */
static uint64_t rv_pgsizes(unsigned levels, unsigned oas, bool napot)
{
	uint64_t sizes = 0;
	unsigned vasz = 12 + 9 * levels;
	for (unsigned lvl = 0; lvl < levels; lvl++)
		sizes |= level_sizes(lvl, napot);
	sizes &= (1ull << (vasz - 1)) - 1;
	return oas < 64 ? sizes & ((1ull << oas) - 1) : sizes;
}

/* riscvpt_iommu_fmt_init(): Sv39, Sv48 and Sv57 */
static const struct pgt_level_choice rv_levels[] = {{3, 39}, {4, 48}, {5, 57}};

static void rv_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	cfg->ias = 48;
	cfg->oas = 56;
	cfg->quirks = Q(SIGN_EXTEND) | Q(FLUSH_RANGE) | Q(RISCV_SVNAPOT_64K) | Q(DETAILED_GATHER);
	cfg->pgsize_bitmap = fmt->pgsizes; /* narrowed by the setup to what ias gives */
}

static int rv_setup(struct pgt_table *t, struct pgt_error *err)
{
	struct pgt_cfg *cfg = &t->cfg;
	if (cfg->quirks & Q(RISCV_SVPBMT))
		return pgt_fail(err, -EOPNOTSUPP,
				"riscv-iommu: Linux 7.3 refuses riscv-svpbmt: iommu_riscv64.c does "
				"not support PT_FEAT_RISCV_SVPBMT, so the domain riscv/iommu.c asks "
				"for on an Svpbmt IOMMU fails in pt_init_common() (EOPNOTSUPP)");
	int rc = pgt_check_quirks(t, t->kern->quirks, err);
	if (rc)
		return rc;
	/* PT_FEAT_DMA_INCOHERENT is not riscv64's */
	if (!cfg->coherent_walk)
		return pgt_fail(err, -EOPNOTSUPP, "%s needs a coherent walk", t->fmt->name);
	/* PT_FORCE_ENABLED_FEATURES of iommu_riscv64.c */
	if (!(cfg->quirks & Q(DETAILED_GATHER)))
		return pgt_fail(err, -EOPNOTSUPP,
				"%s needs quirks %s: iommu_riscv64.c forces them (EOPNOTSUPP)",
				t->fmt->name, "detailed-gather");
	if (cfg->ias != 39 && cfg->ias != 48 && cfg->ias != 57)
		return pgt_fail(err, -EINVAL,
				"riscv-iommu needs ias 39, 48 or 57 (Sv39, Sv48, Sv57; got %u)",
				cfg->ias);
	/* hw_max_oasz_lg2 56, PT_MAX_OUTPUT_ADDRESS_LG2 56 */
	if (!cfg->oas || cfg->oas > 56)
		cfg->oas = 56;
	unsigned levels = (cfg->ias - 12) / 9;
	bool napot = cfg->quirks & Q(RISCV_SVNAPOT_64K);
	rc = pgt_radix512_pgsizes(t, rv_pgsizes(levels, cfg->oas, napot), err);
	if (rc)
		return rc;
	/* a leaf at every level */
	pgt_radix512_geometry(t, levels, levels - 1, napot ? SZ_64K : 0);
	return 0;
}

static uint64_t rv_prot_attrs(const struct pgt_table *t, unsigned prot)
{
	(void)t;
	uint64_t pte = RV_A | RV_U;
	if (prot & PGT_WRITE)
		pte |= RV_W | RV_R | RV_D;
	if (prot & PGT_READ)
		pte |= RV_R;
	if (!(prot & PGT_NOEXEC))
		pte |= RV_X;
	return pte;
}

static uint64_t rv_leaf(const struct pgt_table *t, unsigned depth, uint64_t pgsize, pgt_addr pa,
			uint64_t attrs, unsigned index)
{
	(void)index;
	uint64_t pte = RV_V | (((pa >> 12) << 10) & RV_PPN) | attrs;
	if (pgsize != pgt_size_of_depth(t, depth))
		pte |= RV_N | RV_NAPOT_SZ;
	return pte;
}

static uint64_t rv_leaf_step(const struct pgt_table *t, unsigned depth, uint64_t pgsize,
			     pgt_addr pa, uint64_t n)
{
	(void)pa;
	(void)n;
	return pgsize == pgt_size_of_depth(t, depth) ? pgsize >> 2 : 0;
}

static uint64_t rv_table(const struct pgt_table *t, unsigned depth, pgt_addr pa, uint64_t old)
{
	(void)t;
	(void)depth;
	(void)old;
	return RV_V | (((pa >> 12) << 10) & RV_PPN);
}

static void rv_decode(const struct pgt_table *t, unsigned depth, uint64_t raw,
		      struct pgt_entry *e)
{
	unsigned lvl = level_of(t, depth);
	memset(e, 0, sizeof(*e));
	e->raw = raw;
	if (!(raw & RV_V)) {
		e->kind = PGT_EMPTY;
		return;
	}
	if (!(raw & (RV_R | RV_W | RV_X))) {
		if (lvl == 0) {
			/* riscvpt_load_entry_raw() takes it as a leaf, the IOMMU as
			 * a pointer where none can be */
			e->kind = PGT_BAD;
			e->why = "a table pointer at level 0 (no R, W or X)";
			return;
		}
		e->kind = PGT_TABLE;
		e->pa = ppn_pa(raw);
		return;
	}
	if ((raw & (RV_R | RV_W)) == RV_W) {
		e->kind = PGT_BAD;
		e->why = "W without R (a reserved encoding)";
		return;
	}
	uint64_t size = pgt_size_of_depth(t, depth);
	e->count = 1;
	if (raw & RV_N) {
		/* Svnapot: only 64K (ppn[3:0] = 1000) is defined, at level 0 */
		if (lvl != 0 || ((raw >> 10) & 0xf) != 0x8) {
			e->kind = PGT_BAD;
			e->why = "N set but not a 64K level-0 page (ppn[3:0] != 1000): reserved";
			return;
		}
		size = SZ_64K;
		e->count = 16;
	}
	e->kind = PGT_LEAF;
	e->size = size;
	e->pa = ppn_pa(raw) & ~(size - 1);
	e->prot = (raw & RV_R ? PGT_READ : 0) | (raw & RV_W ? PGT_WRITE : 0) |
		  (raw & RV_X ? 0 : PGT_NOEXEC) | ((raw >> RV_PBMT_SHIFT & 3) == 2 ? PGT_MMIO : 0);
}

static uint64_t rv_leaf_attrs(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	(void)t;
	(void)depth;
	/* riscvpt_attr_from_entry() */
	return raw & (RV_R | RV_W | RV_X | RV_U | RV_G | RV_A | RV_D | (3ull << RV_PBMT_SHIFT));
}

static uint64_t rv_retarget(const struct pgt_table *t, unsigned depth, uint64_t raw,
			    pgt_addr new_pa)
{
	(void)t;
	(void)depth;
	return (raw & ~RV_PPN) | (((new_pa >> 12) << 10) & RV_PPN);
}

/* the device context's fsc: iosatp MODE (8 Sv39, 9 Sv48, 10 Sv57) and PPN */
static void rv_registers(const struct pgt_table *t, struct pgt_regs *r)
{
	uint64_t mode = t->geo.n_levels - 1 + 6, ppn = t->root[0] >> 12;
	struct pgt_reg *g = pgt_reg_image(r, "iosatp", mode << 60 | ppn);
	pgt_reg_field(g, "mode", mode);
	pgt_reg_field(g, "ppn", ppn);
}

static const char *const pbmt_words[] = {"pma", "nc", "io", "reserved"};

static size_t rv_fields(const struct pgt_table *t, unsigned depth, uint64_t raw,
			struct pgt_field *out, size_t max)
{
	struct pgt_entry e;
	struct pgt_fields fl = {out, 0, max};
	rv_decode(t, depth, raw, &e);
	pgt_field_add(&fl, "v", raw & 1, NULL);
	if (e.kind == PGT_EMPTY)
		return fl.n;
	pgt_field_add(&fl, "r", (raw >> 1) & 1, NULL);
	pgt_field_add(&fl, "w", (raw >> 2) & 1, NULL);
	pgt_field_add(&fl, "x", (raw >> 3) & 1, NULL);
	pgt_field_add(&fl, "u", (raw >> 4) & 1, NULL);
	pgt_field_add(&fl, "g", (raw >> 5) & 1, NULL);
	pgt_field_add(&fl, "a", (raw >> 6) & 1, NULL);
	pgt_field_add(&fl, "d", (raw >> 7) & 1, NULL);
	pgt_field_add(&fl, "rsw", (raw >> 8) & 3, NULL);
	pgt_field_add(&fl, "ppn", (raw & RV_PPN) >> 10, NULL);
	if (e.kind == PGT_TABLE || e.kind == PGT_LEAF)
		pgt_field_add(&fl, "addr", e.pa, NULL);
	unsigned pbmt = (unsigned)(raw >> RV_PBMT_SHIFT) & 3;
	pgt_field_add(&fl, "pbmt", pbmt, pbmt_words[pbmt]);
	pgt_field_add(&fl, "n", raw >> 63, raw & RV_N ? "napot 64K" : NULL);
	return fl.n;
}

static const char *rv_lint(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	struct pgt_entry e;
	rv_decode(t, depth, raw, &e);
	if (raw && !(raw & RV_V))
		return "not valid (bit 0 clear) but not zero";
	if (raw & RV_RESERVED)
		return "reserved bits 60:54 set";
	if (e.kind == PGT_TABLE && (raw & (RV_D | RV_A | RV_U | RV_N | (3ull << RV_PBMT_SHIFT))))
		return "D, A, U, N or PBMT set in a pointer to a table (reserved)";
	if (e.kind == PGT_LEAF && (raw >> RV_PBMT_SHIFT & 3) == 3)
		return "PBMT 3 (reserved)";
	if (e.kind == PGT_LEAF && e.count == 1 && ((raw & RV_PPN) >> 10) &
						       ((e.size >> 12) - 1))
		return "output address is not aligned to the block size";
	return NULL;
}

/* Svnapot: the 16 entries of a 64K page must be the same PTE (the
 * hardware may use any of them) */
static const char *rv_group_lint(const struct pgt_table *t, unsigned depth, uint64_t raw,
				 uint64_t head)
{
	(void)t;
	(void)depth;
	if (raw != head)
		return "an entry of a 64K Svnapot page differs from its first";
	return NULL;
}

static const struct pgt_format_ops rv_ops = {
	.default_cfg = rv_default_cfg,
	.setup = rv_setup,
	.prot_attrs = rv_prot_attrs,
	.leaf = rv_leaf,
	.leaf_step = rv_leaf_step,
	.table = rv_table,
	.decode = rv_decode,
	.leaf_attrs = rv_leaf_attrs,
	.retarget = rv_retarget,
	.registers = rv_registers,
	.fields = rv_fields,
	.lint = rv_lint,
	.lint_group = rv_group_lint,
};

/* iommu_riscv64.c's PT_SUPPORTED_FEATURES: no DMA_INCOHERENT, no SVPBMT */
static const struct pgt_format_kernel riscv_73 = {
	.features = 1u << PGT_FEAT_RANGE_OPS,
	.quirks = Q(SIGN_EXTEND) | Q(FLUSH_RANGE) | Q(RISCV_SVNAPOT_64K) | Q(DETAILED_GATHER),
};

const struct pgt_format pgt_fmt_riscv_iommu = {
	.name = "riscv-iommu",
	.kernel_name = "riscv64",
	.pt_name = "riscv64",
	.summary = "RISC-V IOMMU first stage (Sv39/Sv48/Sv57)",
	.desc_bytes = 8,
	.pgsizes = (1ull << 12) | SZ_64K | (1ull << 21) | (1ull << 30) | (1ull << 39) | (1ull << 48),
	.max_ias = 57,
	.max_oas = 56,
	.elf_machine = EM_RISCV,
	.stage = 1,
	.level_choices = rv_levels,
	.n_level_choices = 3,
	.ops = &rv_ops,
	.kernel = {[PGT_KERNEL_7_3] = &riscv_73},
};

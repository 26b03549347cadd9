// SPDX-License-Identifier: MIT
/*
 * Intel VT-d second stage: the table legacy-mode context entries and
 * scalable-mode PASID entries point at (Linux 7.3's generic_pt vtdss,
 * drivers/iommu/generic_pt/fmt/vtdss.h, set up by
 * intel_iommu_domain_alloc_second_stage()). 4 KiB tables of 512 8-byte
 * entries, 3 to 5 levels (top_level 2 to 4; compute_vasz_lg2_ss() takes
 * the largest the MGAW and SAGAW allow, and may put a 48-bit space on 5
 * levels), 2M and 1G leaves with PS at levels 1 and 2.
 *
 * There is no present bit: the kernel takes any non-zero entry as present
 * (vtdss_pt_load_entry_raw()), the IOMMU one with R or W. Leaves
 * (vtdss_pt_iommu_set_prot(), vtdss_pt_install_leaf_entry()) get R and W
 * from the prot, SNP under PT_FEAT_VTDSS_FORCE_COHERENCE (which
 * intel_iommu_enforce_cache_coherency() turns on), PS above level 0;
 * tables (vtdss_pt_install_table()) R and W, and software bit 0 (bit 10)
 * once an incoherent walker's cache is flushed (pt_iommu_new_table(),
 * vtdss_pt_sw_bit()). The IOMMU sets A and D itself when the PASID entry
 * asks for it (SSADE: dirty tracking). The context or PASID entry gets the
 * root and AW = top_level - 1 (vtdss_pt_iommu_fmt_hw_info()).
 */
#include <elf.h>
#include <errno.h>

#include "engine.h"
#include "formats.h"

#define SS_R (1ull << 0)
#define SS_W (1ull << 1)
#define SS_X (1ull << 2)
#define SS_PS (1ull << 7)
#define SS_A (1ull << 8)
#define SS_D (1ull << 9)
#define SS_SW_FLUSHED (1ull << 10) /* vtdss_pt_sw_bit(0) */
#define SS_SNP (1ull << 11)
#define SS_OA 0x000ffffffffff000ull /* VTDSS_FMT_OA */
#define SZ_4K (1ull << 12)
#define SZ_2M (1ull << 21)
#define SZ_1G (1ull << 30)
#define PGSIZES (SZ_4K | SZ_2M | SZ_1G)

/* pgt_cfg.opt[]: the number of levels, 3 to 5; 0: the fewest that hold ias */
#define OPT_LEVELS 0

/* compute_vasz_lg2_ss(): each top level with the widest ias it holds */
static const struct pgt_level_choice ss_levels[] = {{3, 39}, {4, 48}, {5, 57}};

#define Q(x) PGT_QUIRK_PT(PGT_PT_##x)

static unsigned level_of(const struct pgt_table *t, unsigned depth)
{
	return t->geo.level[depth].label;
}

static void ss_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	(void)fmt;
	cfg->ias = 0; /* ss_setup(): what the levels hold */
	cfg->oas = 52;
	cfg->pgsize_bitmap = PGSIZES;
	cfg->quirks = Q(FLUSH_RANGE);
}

/* pt_iommu_vtdss_init(): vtdss_pt_iommu_fmt_init() takes top levels 2 to
 * 4, pt_init_common() a top level that holds hw_max_vasz_lg2 */
static int ss_setup(struct pgt_table *t, struct pgt_error *err)
{
	struct pgt_cfg *cfg = &t->cfg;
	int rc = pgt_check_quirks(t, t->kern->quirks, err);
	if (rc)
		return rc;
	/* levels without an ias: the ias compute_vasz_lg2_ss() pairs them
	 * with; neither: 48 bits */
	for (unsigned i = 0; !cfg->ias && i < sizeof(ss_levels) / sizeof(ss_levels[0]); i++)
		if (ss_levels[i].levels == (cfg->opt[OPT_LEVELS] ? cfg->opt[OPT_LEVELS] : 4))
			cfg->ias = ss_levels[i].ias;
	rc = pgt_check_ias(t, 21, 57, err);
	if (rc)
		return rc;
	unsigned fewest = cfg->ias > 48 ? 5 : cfg->ias > 39 ? 4 : 3;
	if (!cfg->opt[OPT_LEVELS])
		cfg->opt[OPT_LEVELS] = fewest;
	if (cfg->opt[OPT_LEVELS] < fewest)
		return pgt_fail(err, -EOPNOTSUPP,
				"intel-vtd-ss: %u levels do not hold ias %u (EOPNOTSUPP)",
				cfg->opt[OPT_LEVELS], cfg->ias);
	rc = pgt_radix512_pgsizes(t, PGSIZES, err);
	if (rc)
		return rc;
	/* hw_max_oasz_lg2 52, no wider than PT_MAX_OUTPUT_ADDRESS_LG2 */
	if (!cfg->oas || cfg->oas > 52)
		cfg->oas = 52;
	/* vtdss_pt_can_have_leaf(): levels 0 to 2 */
	pgt_radix512_geometry(t, cfg->opt[OPT_LEVELS], 2, 0);
	return 0;
}

static uint64_t ss_prot_attrs(const struct pgt_table *t, unsigned prot)
{
	return (prot & PGT_READ ? SS_R : 0) | (prot & PGT_WRITE ? SS_W : 0) |
	       (t->cfg.quirks & Q(VTDSS_FORCE_COHERENCE) ? SS_SNP : 0);
}

/* vtdss_pt_iommu_set_prot(): a read-only leaf is refused on a nesting
 * parent, for the ERRATA_772415_SPR17 workaround */
static int ss_check_prot(const struct pgt_table *t, unsigned prot, struct pgt_error *err)
{
	if ((t->cfg.quirks & Q(VTDSS_FORCE_WRITEABLE)) && !(prot & PGT_WRITE))
		return pgt_fail(err, -EINVAL,
				"Read-only mapping is disallowed on the domain which serves as the "
				"parent in a nested configuration, due to HW errata "
				"(ERRATA_772415_SPR17) (vtdss-force-writeable)");
	return 0;
}

static uint64_t ss_leaf(const struct pgt_table *t, unsigned depth, uint64_t pgsize, pgt_addr pa,
			uint64_t attrs, unsigned index)
{
	(void)pgsize;
	(void)index;
	return (pa & SS_OA) | attrs | (level_of(t, depth) ? SS_PS : 0);
}

static uint64_t ss_table(const struct pgt_table *t, unsigned depth, pgt_addr pa, uint64_t old)
{
	(void)depth;
	(void)old;
	return SS_R | SS_W | (pa & SS_OA) | (t->cfg.coherent_walk ? 0 : SS_SW_FLUSHED);
}

static void ss_decode(const struct pgt_table *t, unsigned depth, uint64_t raw,
		      struct pgt_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->raw = raw;
	if (!raw) {
		e->kind = PGT_EMPTY;
		return;
	}
	if (!(raw & (SS_R | SS_W))) {
		/* the kernel would take it as present, the IOMMU as not */
		e->kind = PGT_BAD;
		e->why = "neither R nor W: not present to the IOMMU, present to the kernel";
		return;
	}
	if (pgt_decode_ps(t, depth, raw, SS_PS, SS_OA,
			  "PS set above level 2 (reserved in an SL-PML4E or SL-PML5E)", e))
		e->prot = (raw & SS_R ? PGT_READ : 0) | (raw & SS_W ? PGT_WRITE : 0);
}

static uint64_t ss_leaf_attrs(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	(void)t;
	(void)depth;
	return raw & (SS_R | SS_W | SS_SNP);
}

static uint64_t ss_retarget(const struct pgt_table *t, unsigned depth, uint64_t raw,
			    pgt_addr new_pa)
{
	(void)t;
	(void)depth;
	return (raw & ~SS_OA) | (new_pa & SS_OA);
}

/* The context entry's ASR and AW (domain_context_mapping_one()), or the
 * PASID entry's SLPTPTR and AW (intel_pasid_setup_second_level()) */
static void ss_registers(const struct pgt_table *t, struct pgt_regs *r)
{
	pgt_reg_value(r, "root", t->root[0]);
	pgt_reg_count(r, "aw", t->geo.n_levels - 2);
}

static size_t ss_fields(const struct pgt_table *t, unsigned depth, uint64_t raw,
			struct pgt_field *out, size_t max)
{
	struct pgt_entry e;
	struct pgt_fields fl = {out, 0, max};
	unsigned lvl = level_of(t, depth);
	ss_decode(t, depth, raw, &e);
	pgt_field_add(&fl, "r", raw & 1, NULL);
	pgt_field_add(&fl, "w", (raw >> 1) & 1, NULL);
	if (e.kind == PGT_EMPTY)
		return fl.n;
	pgt_field_add(&fl, "x", (raw >> 2) & 1, NULL);
	if (e.kind == PGT_LEAF) {
		pgt_field_add(&fl, "emt", (raw >> 3) & 7, NULL);
		pgt_field_add(&fl, "ipat", (raw >> 6) & 1, NULL);
	}
	if (lvl && lvl <= 2)
		pgt_field_add(&fl, "ps", (raw >> 7) & 1, raw & SS_PS ? "large page" : NULL);
	pgt_field_add(&fl, "a", (raw >> 8) & 1, NULL);
	if (e.kind == PGT_LEAF) {
		pgt_field_add(&fl, "d", (raw >> 9) & 1, NULL);
		pgt_field_add(&fl, "snp", (raw >> 11) & 1, NULL);
	} else {
		pgt_field_add(&fl, "sw", (raw >> 10) & 1,
			      raw & SS_SW_FLUSHED ? "cache flushed (generic_pt)" : NULL);
	}
	if (e.kind == PGT_TABLE || e.kind == PGT_LEAF)
		pgt_field_add(&fl, "addr", e.pa, NULL);
	pgt_field_add(&fl, "tm", (raw >> 62) & 1, NULL);
	return fl.n;
}

static const char *ss_lint(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	struct pgt_entry e;
	ss_decode(t, depth, raw, &e);
	if (e.kind == PGT_LEAF && level_of(t, depth) && (raw & SS_OA & (e.size - 1)))
		return "output address is not aligned to the block size";
	if (e.kind == PGT_TABLE && (raw & (SS_SNP | (7ull << 3))))
		return "memory-type or snoop bits set in a table entry (reserved or ignored)";
	return NULL;
}

static const struct pgt_format_ops ss_ops = {
	.default_cfg = ss_default_cfg,
	.setup = ss_setup,
	.prot_attrs = ss_prot_attrs,
	.check_prot = ss_check_prot,
	.leaf = ss_leaf,
	.leaf_step = pgt_leaf_step_pgsize,
	.table = ss_table,
	.decode = ss_decode,
	.leaf_attrs = ss_leaf_attrs,
	.retarget = ss_retarget,
	.registers = ss_registers,
	.fields = ss_fields,
	.lint = ss_lint,
};

/* iommu_vtdss.c's PT_SUPPORTED_FEATURES (and DMA_INCOHERENT) */
static const struct pgt_format_kernel vtdss_73 = {
	.features = 1u << PGT_FEAT_RANGE_OPS,
	.quirks = Q(FLUSH_RANGE) | Q(VTDSS_FORCE_COHERENCE) | Q(VTDSS_FORCE_WRITEABLE),
};

static const struct pgt_format_option ss_options[] = {
	/* compute_vasz_lg2_ss(): what SAGAW allows, at least enough for MGAW */
	{"levels",
	 "number of levels, 3 to 5 (AW + 2); 0: the fewest that hold ias; without ias, the ias "
	 "they hold (39, 48, 57)",
	 0, 5, 0, false},
};

const struct pgt_format pgt_fmt_intel_vtd_ss = {
	.name = "intel-vtd-ss",
	.kernel_name = "vtdss",
	.pt_name = "vtdss",
	.summary = "Intel VT-d second stage (3/4/5-level)",
	.desc_bytes = 8,
	.pgsizes = PGSIZES,
	.max_ias = 57,
	.max_oas = 52,
	.elf_machine = EM_X86_64,
	.stage = 2,
	.options = ss_options,
	.n_options = 1,
	.level_choices = ss_levels,
	.n_level_choices = 3,
	.levels_option = "levels",
	.ops = &ss_ops,
	.kernel = {[PGT_KERNEL_7_3] = &vtdss_73},
};

// SPDX-License-Identifier: MIT
/*
 * The ARM LPAE family: ARM_64_LPAE_S1/S2, ARM_32_LPAE_S1/S2 and ARM_MALI_LPAE
 * (Linux 6.12 drivers/iommu/io-pgtable-arm.c). The five formats share one
 * descriptor layout; what differs between them is the data in lpae_facts.
 */
#include <elf.h>
#include <errno.h>

#include "engine.h"
#include "formats.h"

enum lpae_kind { LPAE_S1, LPAE_S2, LPAE_MALI };

struct lpae_facts {
	enum lpae_kind kind;
	/* Refused above these before anything else (arm_32_lpae_alloc_pgtable_*,
	 * arm_mali_lpae_alloc_pgtable); 0 when the format has no pre-check. */
	unsigned pre_ias, pre_oas;
	/* pgsize_bitmap is first narrowed to these (0: not narrowed). */
	uint64_t pre_pgsizes;
	/* The clamped oas must be a TCR.IPS / VTCR.PS value. */
	bool oas_is_ps;
	/* Mali: always a one-entry level-0 root. */
	bool full_root;
	unsigned dflt_ias, dflt_oas;
	uint64_t dflt_pgsizes;
};

#define SZ_4K (1ull << 12)
#define SZ_16K (1ull << 14)
#define SZ_64K (1ull << 16)
#define SZ_2M (1ull << 21)
#define SZ_32M (1ull << 25)
#define SZ_512M (1ull << 29)
#define SZ_1G (1ull << 30)
#define SZ_4T (1ull << 42)

/* Descriptor bits (io-pgtable-arm.c ARM_LPAE_PTE_*) */
#define PTE_TYPE_MASK 3ull
#define PTE_TYPE_BLOCK 1ull
#define PTE_TYPE_TABLE 3ull
#define PTE_TYPE_PAGE 3ull
#define PTE_ADDR_MASK 0x0000fffffffff000ull /* bits 47:12 */
#define PTE_NSTABLE (1ull << 63)
#define PTE_XN (3ull << 53)
#define PTE_CONT (1ull << 52)
#define PTE_DBM (1ull << 51)
#define PTE_AF (1ull << 10)
#define PTE_SH_OS (2ull << 8)
#define PTE_SH_IS (3ull << 8)
#define PTE_NS (1ull << 5)
#define PTE_SW_SYNC (1ull << 55)
#define PTE_AP_UNPRIV (1ull << 6)
#define PTE_AP_RDONLY (1ull << 7)
#define PTE_NG (1ull << 11)
#define PTE_HAP_READ (1ull << 6)
#define PTE_HAP_WRITE (2ull << 6)
#define PTE_MEMATTR_OIWB (0xfull << 2)
#define PTE_MEMATTR_FWB_WB (0x6ull << 2) /* with S2FWB: force write-back */
#define PTE_MEMATTR_NC (0x5ull << 2)
#define PTE_MEMATTR_DEV (0x1ull << 2)
#define PTE_ATTRINDX_SHIFT 2
/* What a split copies from the block: bits 11:2, XN and DBM (iopte_prot) */
#define PTE_ATTR_MASK ((0x3ffull << 2) | PTE_XN | PTE_DBM)

#define MAIR_IDX_NC 0
#define MAIR_IDX_CACHE 1
#define MAIR_IDX_DEV 2
#define MAIR_IDX_INC_OCACHE 3

/* Kernel rows' private features (PGT_FEAT_FMT_START on) */
enum {
	/* Stage 2 concatenates a level-0 root of at most 16 entries into
	 * level 1 (6.12's arm_64_lpae_alloc_pgtable_s2()). */
	LPAE_FEAT_CONCAT_SMALL_PGD = PGT_FEAT_FMT_START,
	/* Stage 2 concatenates only where the architecture requires it, and
	 * refuses a table that would need more than 16 (since 6.14 and the
	 * 6.12.y fix; arm_lpae_concat_mandatory()). */
	LPAE_FEAT_CONCAT_MANDATORY,
};

static const struct lpae_facts *facts(const struct pgt_table *t)
{
	return t->fmt->facts;
}

static unsigned start_level(const struct pgt_table *t)
{
	return t->geo.level[0].label;
}

static unsigned level_of(const struct pgt_table *t, unsigned depth)
{
	return start_level(t) + depth;
}

/* paddr_to_iopte(): PA[51:48] folds into bits 15:12 for every granule. */
static uint64_t pa_to_field(pgt_addr pa)
{
	return (pa | (pa >> 36)) & PTE_ADDR_MASK;
}

/* iopte_to_paddr(): the fold is undone only for the 64K granule. */
static pgt_addr field_to_pa(const struct pgt_table *t, uint64_t pte)
{
	uint64_t pa = pte & PTE_ADDR_MASK;
	if (t->geo.granule < SZ_64K)
		return pa;
	return (pa | (pa << 36)) & (PTE_ADDR_MASK << 4);
}

static bool is_last_level(const struct pgt_table *t, unsigned depth)
{
	return level_of(t, depth) == 3;
}

/* iopte_leaf(): a page at level 3 has type 0b11 except on Mali, 0b01 elsewhere. */
static bool pte_is_leaf(const struct pgt_table *t, unsigned depth, uint64_t pte)
{
	if (is_last_level(t, depth) && facts(t)->kind != LPAE_MALI)
		return (pte & PTE_TYPE_MASK) == PTE_TYPE_PAGE;
	return (pte & PTE_TYPE_MASK) == PTE_TYPE_BLOCK;
}

static void lpae_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	const struct lpae_facts *f = fmt->facts;
	cfg->ias = f->dflt_ias;
	cfg->oas = f->dflt_oas;
	cfg->pgsize_bitmap = f->dflt_pgsizes;
}

/* arm_lpae_restrict_pgsizes() */
static void restrict_pgsizes(struct pgt_cfg *cfg)
{
	uint64_t page = cfg->cpu_page_size, bm = cfg->pgsize_bitmap, granule, sizes;
	unsigned max_bits = 48;

	if (bm & page)
		granule = page;
	else if (bm & (page - 1))
		granule = 1ull << (63 - __builtin_clzll(bm & (page - 1)));
	else if (bm & ~(page - 1))
		granule = 1ull << __builtin_ctzll(bm & ~(page - 1));
	else
		granule = 0;

	switch (granule) {
	case SZ_4K:
		sizes = SZ_4K | SZ_2M | SZ_1G;
		break;
	case SZ_16K:
		sizes = SZ_16K | SZ_32M;
		break;
	case SZ_64K:
		max_bits = 52;
		sizes = SZ_64K | SZ_512M;
		if (cfg->oas > 48) /* the caller's oas, before clamping */
			sizes |= SZ_4T;
		break;
	default:
		sizes = 0;
	}
	cfg->pgsize_bitmap &= sizes;
	if (cfg->ias > max_bits)
		cfg->ias = max_bits;
	if (cfg->oas > max_bits)
		cfg->oas = max_bits;
}

/* ARM_LPAE_TCR_PS_*: the IPS/PS encoding of an output size. */
static int ps_code(unsigned oas)
{
	static const unsigned bits[] = {32, 36, 40, 42, 44, 48, 52};
	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (bits[i] == oas)
			return (int)i;
	return -1;
}

/*
 * arm_lpae_concat_mandatory(): where Arm DDI0487 (K.a) requires a stage-2
 * walk to start one level down on concatenated tables (R_DXBSH: 16K and
 * ias 48; R_SRKBC: 4K with a 40- or 42-bit PA size from level 0, 16K with
 * 48 bits from level 0 or 40 bits from level 1). ias and oas as clamped.
 */
static bool concat_mandatory(const struct pgt_cfg *cfg, unsigned pg_shift, unsigned start)
{
	if (pg_shift == 14 && start == 0)
		return cfg->oas == 48 || cfg->ias == 48;
	if (pg_shift == 12 && start == 0)
		return cfg->oas == 40 || cfg->oas == 42;
	return pg_shift == 14 && start == 1 && cfg->oas == 40;
}

static int lpae_setup(struct pgt_table *t, struct pgt_error *err)
{
	const struct lpae_facts *f = facts(t);
	struct pgt_cfg *cfg = &t->cfg;
	const char *name = t->fmt->name;

	/* arm_32_lpae_alloc_pgtable_s1/s2 and Mali check these first. */
	if (f->pre_ias && (cfg->ias > f->pre_ias || cfg->oas > f->pre_oas))
		return pgt_fail(err, -EINVAL, "%s needs ias <= %u and oas <= %u (got ias %u, oas %u)",
				name, f->pre_ias, f->pre_oas, cfg->ias, cfg->oas);
	if (pgt_check_quirks(t, t->kern->quirks, err))
		return err->code;
	if (f->pre_pgsizes)
		cfg->pgsize_bitmap &= f->pre_pgsizes;

	restrict_pgsizes(cfg);
	if (!(cfg->pgsize_bitmap & (SZ_4K | SZ_16K | SZ_64K)))
		return pgt_fail(err, -EINVAL,
				"%s: pgsize_bitmap holds no granule (4K, 16K or 64K) usable with "
				"cpu page size 0x%llx",
				name, (unsigned long long)cfg->cpu_page_size);

	/* arm_lpae_alloc_pgtable(): geometry from ias and the granule */
	unsigned pg_shift = (unsigned)__builtin_ctzll(cfg->pgsize_bitmap);
	unsigned bpl = pg_shift - 3;
	if (cfg->ias <= pg_shift)
		return pgt_fail(err, -EINVAL, "%s: ias %u leaves no index bits above the %lluK granule",
				name, cfg->ias, (unsigned long long)(1ull << pg_shift) >> 10);
	unsigned va_bits = cfg->ias - pg_shift;
	unsigned levels = (va_bits + bpl - 1) / bpl;
	unsigned start = 4 - levels;
	unsigned pgd_bits = va_bits - bpl * (levels - 1);

	/* arm_64_lpae_alloc_pgtable_s2(): concatenate the root into the next
	 * level, 6.12 whenever the level-0 table has at most 16 entries */
	bool concat = pgt_feat(t, LPAE_FEAT_CONCAT_SMALL_PGD) && start == 0 && (1u << pgd_bits) <= 16;
	if (pgt_feat(t, LPAE_FEAT_CONCAT_MANDATORY) && concat_mandatory(cfg, pg_shift, start)) {
		if ((1u << pgd_bits) > 16)
			return pgt_fail(err, -EINVAL,
					"%s: Linux %s must concatenate the %u-entry level-%u root "
					"(ias %u, oas %u) but concatenates at most 16 tables",
					name, pgt_kernel_name(cfg->kernel), 1u << pgd_bits, start,
					cfg->ias, cfg->oas);
		concat = true;
	}
	if (concat) {
		pgd_bits += bpl;
		start++;
	}
	/* arm_mali_lpae_alloc_pgtable(): a full 4-level walk from a 1-entry root */
	if (f->full_root && start > 0) {
		start = 0;
		pgd_bits = 0;
	}

	if (f->kind == LPAE_S1 && cfg->coherent_walk && (cfg->quirks & PGT_QUIRK_ARM_OUTER_WBWA))
		return pgt_fail(err, -EINVAL,
				"%s: quirk arm-outer-wbwa is only for a non-coherent walk", name);
	if (f->oas_is_ps && ps_code(cfg->oas) < 0)
		return pgt_fail(err, -EINVAL,
				"%s: oas %u (after clamping) is not an output size the TCR can "
				"encode (32, 36, 40, 42, 44, 48, 52)",
				name, cfg->oas);

	struct pgt_geometry *g = &t->geo;
	memset(g, 0, sizeof(*g));
	g->n_levels = 4 - start;
	g->desc_bytes = 8;
	g->n_roots = 1;
	g->granule = 1ull << pg_shift;
	g->iova_bits = cfg->ias;
	if (cfg->quirks & PGT_QUIRK_ARM_TTBR1)
		g->iova_high = ~0ull << cfg->ias;
	for (unsigned d = 0; d < g->n_levels; d++) {
		struct pgt_level_geom *l = &g->level[d];
		unsigned lvl = start + d;
		l->label = lvl;
		l->shift = (4 - lvl) * bpl + 3;
		l->index_bits = d == 0 ? pgd_bits : bpl;
		l->batch_bits = bpl;
		l->table_bytes = 8ull << l->index_bits;
		l->table_align = d == 0 ? (l->table_bytes < 64 ? 64 : l->table_bytes) : g->granule;
		l->leaf_sizes = (l->shift < 64 ? 1ull << l->shift : 0) & cfg->pgsize_bitmap;
		l->has_tables = lvl < 3;
	}
	return 0;
}

/* arm_lpae_prot_to_pte() */
static uint64_t lpae_prot_attrs(const struct pgt_table *t, unsigned prot)
{
	const struct lpae_facts *f = facts(t);
	uint64_t pte;

	if (f->kind == LPAE_S1) {
		pte = PTE_NG;
		if (!(prot & PGT_WRITE) && (prot & PGT_READ))
			pte |= PTE_AP_RDONLY;
		else if (t->cfg.quirks & PGT_QUIRK_ARM_HD)
			pte |= PTE_DBM;
		if (!(prot & PGT_PRIV))
			pte |= PTE_AP_UNPRIV;
	} else {
		pte = 0;
		if (prot & PGT_READ)
			pte |= PTE_HAP_READ;
		if (prot & PGT_WRITE)
			pte |= PTE_HAP_WRITE;
	}

	if (f->kind == LPAE_S2) {
		if (prot & PGT_MMIO)
			pte |= PTE_MEMATTR_DEV;
		else if ((prot & PGT_CACHE) && (t->cfg.quirks & PGT_QUIRK_ARM_S2FWB))
			pte |= PTE_MEMATTR_FWB_WB;
		else if (prot & PGT_CACHE)
			pte |= PTE_MEMATTR_OIWB;
		else
			pte |= PTE_MEMATTR_NC;
	} else {
		if (prot & PGT_MMIO)
			pte |= (uint64_t)MAIR_IDX_DEV << PTE_ATTRINDX_SHIFT;
		else if (prot & PGT_CACHE)
			pte |= (uint64_t)MAIR_IDX_CACHE << PTE_ATTRINDX_SHIFT;
	}

	/* Mali's outer domain is "outside the GPU": always outer shareable. */
	if ((prot & PGT_CACHE) && f->kind != LPAE_MALI)
		pte |= PTE_SH_IS;
	else
		pte |= PTE_SH_OS;
	if (prot & PGT_NOEXEC)
		pte |= PTE_XN;
	if (t->cfg.quirks & PGT_QUIRK_ARM_NS)
		pte |= PTE_NS;
	if (f->kind != LPAE_MALI)
		pte |= PTE_AF;
	return pte;
}

/* __arm_lpae_init_pte(): page type at level 3 except on Mali, block elsewhere */
static uint64_t lpae_leaf(const struct pgt_table *t, unsigned depth, uint64_t pgsize, pgt_addr pa,
			  uint64_t attrs, unsigned index)
{
	(void)pgsize;
	(void)index;
	uint64_t type = is_last_level(t, depth) && facts(t)->kind != LPAE_MALI ? PTE_TYPE_PAGE
									       : PTE_TYPE_BLOCK;
	return attrs | type | pa_to_field(pa);
}

/* pa_to_field() is linear while PA[51:48], the bits it folds, stay the same. */
static uint64_t lpae_leaf_step(const struct pgt_table *t, unsigned depth, uint64_t pgsize,
			       pgt_addr pa, uint64_t n)
{
	(void)t;
	(void)depth;
	pgt_addr last = pa + (n - 1) * pgsize;
	if ((pa >> 48) != (last >> 48) || pgsize >= (1ull << 48))
		return 0;
	return pgsize;
}

/* arm_lpae_install_table(): NSTABLE with ARM_NS; a non-coherent walker gets
 * the SW_SYNC marker unless the entry it replaces carried one already. */
static uint64_t lpae_table(const struct pgt_table *t, unsigned depth, pgt_addr pa, uint64_t old)
{
	(void)depth;
	uint64_t pte = pa_to_field(pa) | PTE_TYPE_TABLE;
	if (t->cfg.quirks & PGT_QUIRK_ARM_NS)
		pte |= PTE_NSTABLE;
	if (!t->cfg.coherent_walk && !(old & PTE_SW_SYNC))
		pte |= PTE_SW_SYNC;
	return pte;
}

static unsigned lpae_leaf_prot(const struct pgt_table *t, uint64_t pte)
{
	const struct lpae_facts *f = facts(t);
	unsigned prot = 0;

	if (f->kind == LPAE_S1) {
		prot |= PGT_READ;
		if (!(pte & PTE_AP_RDONLY))
			prot |= PGT_WRITE;
		if (!(pte & PTE_AP_UNPRIV))
			prot |= PGT_PRIV;
	} else {
		if (pte & PTE_HAP_READ)
			prot |= PGT_READ;
		if (pte & PTE_HAP_WRITE)
			prot |= PGT_WRITE;
	}
	/* IOMMU_CACHE sets inner shareability besides the memory type, so
	 * it survives next to MMIO's device type (not on Mali: always outer). */
	bool inner = ((pte >> 8) & 3) == 3;
	if (f->kind == LPAE_S2) {
		unsigned memattr = (pte >> 2) & 0xf;
		bool fwb = t->cfg.quirks & PGT_QUIRK_ARM_S2FWB;
		if (memattr == (fwb ? 0x6u : 0xfu) || inner)
			prot |= PGT_CACHE;
		if (memattr == 0x1)
			prot |= PGT_MMIO;
	} else {
		unsigned idx = (pte >> PTE_ATTRINDX_SHIFT) & 7;
		if (idx == MAIR_IDX_CACHE || inner)
			prot |= PGT_CACHE;
		if (idx == MAIR_IDX_DEV)
			prot |= PGT_MMIO;
	}
	if (pte & PTE_XN)
		prot |= PGT_NOEXEC;
	return prot;
}

static void lpae_decode(const struct pgt_table *t, unsigned depth, uint64_t pte,
			struct pgt_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->raw = pte;
	if (!pte) {
		e->kind = PGT_EMPTY;
		return;
	}
	if (pte_is_leaf(t, depth, pte)) {
		e->kind = PGT_LEAF;
		e->pa = field_to_pa(t, pte);
		e->size = 1ull << t->geo.level[depth].shift;
		e->prot = lpae_leaf_prot(t, pte);
		e->count = 1;
		return;
	}
	if (!is_last_level(t, depth) && (pte & PTE_TYPE_MASK) == PTE_TYPE_TABLE) {
		e->kind = PGT_TABLE;
		e->pa = field_to_pa(t, pte);
		return;
	}
	/* The 6.12 walkers would follow such an entry as a table pointer; the
	 * hardware faults on it. Report it rather than follow it. */
	e->kind = PGT_BAD;
	switch (pte & PTE_TYPE_MASK) {
	case 0:
		e->why = "invalid (type 0b00) but not zero";
		break;
	case 2:
		e->why = "reserved descriptor type 0b10";
		break;
	case 1:
		e->why = "type 0b01 is reserved at level 3";
		break;
	default:
		e->why = "type 0b11 at level 3 is not a Mali page (Mali pages are 0b01)";
	}
}

static uint64_t lpae_leaf_attrs(const struct pgt_table *t, unsigned depth, uint64_t pte)
{
	(void)t;
	(void)depth;
	return pte & PTE_ATTR_MASK;
}

static uint64_t lpae_retarget(const struct pgt_table *t, unsigned depth, uint64_t pte,
			      pgt_addr new_pa)
{
	(void)t;
	(void)depth;
	return (pte & ~PTE_ADDR_MASK) | pa_to_field(new_pa);
}

/* TCR/VTCR TG encodings: TG0 4K=0 64K=1 16K=2; TG1 16K=1 4K=2 64K=3 */
static unsigned tg_code(uint64_t granule, bool tg1)
{
	switch (granule) {
	case SZ_4K:
		return tg1 ? 2 : 0;
	case SZ_16K:
		return tg1 ? 1 : 2;
	default:
		return tg1 ? 3 : 1;
	}
}

static void lpae_registers(const struct pgt_table *t, struct pgt_regs *r)
{
	const struct lpae_facts *f = facts(t);
	const struct pgt_cfg *cfg = &t->cfg;
	bool coherent = cfg->coherent_walk;
	/* sh: IS(3)/OS(2); rgn: WBWA(1)/NC(0) */
	unsigned sh = coherent ? 3 : 2, irgn = coherent ? 1 : 0, orgn = irgn;

	memset(r, 0, sizeof(*r));
	if (f->kind == LPAE_MALI) {
		/* arm_mali_lpae_alloc_pgtable(): ADRMODE_TABLE | READ_INNER
		 * (| SHARE_OUTER); memattr in 64-bit arithmetic */
		pgt_reg_value(r, "transtab", t->root[0] | 0x3 | 0x4 | (coherent ? 0x10 : 0));
		pgt_reg_value(r, "memattr", (0x88ull << 0) | (0x8dull << 8) | (0x88ull << 16));
		return;
	}
	if (f->kind == LPAE_S1) {
		if (!coherent && (cfg->quirks & PGT_QUIRK_ARM_OUTER_WBWA))
			orgn = 1;
		pgt_reg_value(r, "ttbr", t->root[0]);
		struct pgt_reg *tcr = pgt_reg_group(r, "tcr");
		pgt_reg_field(tcr, "ips", (uint64_t)ps_code(cfg->oas));
		pgt_reg_field(tcr, "tg", tg_code(t->geo.granule, cfg->quirks & PGT_QUIRK_ARM_TTBR1));
		pgt_reg_field(tcr, "sh", sh);
		pgt_reg_field(tcr, "orgn", orgn);
		pgt_reg_field(tcr, "irgn", irgn);
		pgt_reg_field(tcr, "tsz", 64 - cfg->ias);
		/* The kernel ORs int-typed MAIR bytes: 0xf4 << 24 lands in the
		 * sign bit and sign-extends into the u64, so bits 63:32 are set. */
		uint32_t low = (0x44u << (8 * MAIR_IDX_NC)) | (0xffu << (8 * MAIR_IDX_CACHE)) |
			       (0x04u << (8 * MAIR_IDX_DEV)) | (0xf4u << (8 * MAIR_IDX_INC_OCACHE));
		pgt_reg_value(r, "mair", (uint64_t)(int64_t)(int32_t)low);
		return;
	}
	/* Stage 2: SL0 counts differently for the 4K granule */
	unsigned sl = start_level(t) + (t->geo.granule == SZ_4K ? 1 : 0);
	pgt_reg_value(r, "vttbr", t->root[0]);
	struct pgt_reg *vtcr = pgt_reg_group(r, "vtcr");
	pgt_reg_field(vtcr, "ps", (uint64_t)ps_code(cfg->oas));
	pgt_reg_field(vtcr, "tg", tg_code(t->geo.granule, false));
	pgt_reg_field(vtcr, "sh", sh);
	pgt_reg_field(vtcr, "orgn", orgn);
	pgt_reg_field(vtcr, "irgn", irgn);
	pgt_reg_field(vtcr, "sl", ~sl & 3);
	pgt_reg_field(vtcr, "tsz", 64 - cfg->ias);
}

static const char *sh_word(unsigned sh)
{
	static const char *const w[] = {"non-shareable", "reserved", "outer", "inner"};
	return w[sh & 3];
}

static size_t lpae_fields(const struct pgt_table *t, unsigned depth, uint64_t pte,
			  struct pgt_field *out, size_t max)
{
	const struct lpae_facts *f = facts(t);
	struct pgt_entry e;
	struct pgt_fields fl = {out, 0, max};

	lpae_decode(t, depth, pte, &e);
	static const char *const types[] = {"invalid", "block", "reserved", "table"};
	const char *type = types[pte & 3];
	if (e.kind == PGT_LEAF && is_last_level(t, depth))
		type = "page";
	pgt_field_add(&fl, "type", pte & 3, type);
	if (e.kind == PGT_TABLE) {
		pgt_field_add(&fl, "addr", e.pa, NULL);
		if (pte & PTE_NSTABLE)
			pgt_field_add(&fl, "nstable", 1, NULL);
		if (pte & PTE_SW_SYNC)
			pgt_field_add(&fl, "sw_sync", 1, NULL);
		return fl.n;
	}
	if (e.kind != PGT_LEAF)
		return fl.n;
	pgt_field_add(&fl, "addr", e.pa, NULL);
	if (f->kind == LPAE_S2) {
		unsigned ma = (pte >> 2) & 0xf;
		bool fwb = t->cfg.quirks & PGT_QUIRK_ARM_S2FWB;
		pgt_field_add(&fl, "memattr", ma,
			      ma == (fwb ? 0x6u : 0xfu) ? (fwb ? "force-write-back" : "write-back")
			      : ma == 5		      ? "non-cacheable"
			      : ma == 1		      ? "device"
						      : NULL);
		unsigned ap = (pte >> 6) & 3;
		static const char *const s2ap[] = {"none", "read", "write", "read-write"};
		pgt_field_add(&fl, "s2ap", ap, s2ap[ap]);
	} else {
		unsigned idx = (pte >> 2) & 7;
		pgt_field_add(&fl, "attrindx", idx,
		      idx == 0 ? "normal-nc" : idx == 1 ? "write-back" : idx == 2 ? "device" : NULL);
		if (f->kind == LPAE_S1) {
			pgt_field_add(&fl, "ns", (pte >> 5) & 1, NULL);
			unsigned ap = (pte >> 6) & 3;
			static const char *const s1ap[] = {"rw-priv", "rw", "ro-priv", "ro"};
			pgt_field_add(&fl, "ap", ap, s1ap[ap]);
		} else {
			unsigned ap = (pte >> 6) & 3;
			static const char *const mali[] = {"none", "read", "write", "read-write"};
			pgt_field_add(&fl, "perm", ap, mali[ap]);
		}
	}
	pgt_field_add(&fl, "sh", (pte >> 8) & 3, sh_word((pte >> 8) & 3));
	pgt_field_add(&fl, "af", (pte >> 10) & 1, NULL);
	if (f->kind == LPAE_S1)
		pgt_field_add(&fl, "ng", (pte >> 11) & 1, NULL);
	if (pte & PTE_DBM)
		pgt_field_add(&fl, "dbm", 1, NULL);
	if (pte & PTE_CONT)
		pgt_field_add(&fl, "contiguous", 1, NULL);
	pgt_field_add(&fl, "xn", (pte >> 53) & 3, NULL);
	return fl.n;
}

static const char *lpae_lint(const struct pgt_table *t, unsigned depth, uint64_t pte)
{
	struct pgt_entry e;
	lpae_decode(t, depth, pte, &e);
	if (e.kind == PGT_TABLE) {
		if (e.pa & (t->geo.granule - 1))
			return "table address is not aligned to the granule";
		return NULL;
	}
	if (e.kind != PGT_LEAF)
		return NULL;
	uint64_t size = e.size;
	if (!(t->cfg.pgsize_bitmap & size))
		return "block of a size this granule cannot map at this level";
	if (e.pa & (size - 1))
		return "output address is not aligned to the block size";
	if (e.pa >> t->cfg.oas)
		return "output address is beyond oas";
	return NULL;
}

/*
 * arm-smmu.c sets SCTLR.AFE and no hardware AF update for LPAE contexts:
 * a leaf with AF clear faults (the kernel always sets it). SMMUv3 with
 * dirty tracking (ARM_HD) also sets the CD's HA, and the SMMU sets AF
 * itself (arm_smmu_make_s1_cd()). Mali leaves have no AF
 * (arm_lpae_init_pte() leaves it out) and the GPU checks none.
 */
static int lpae_access_flag(const struct pgt_table *t, unsigned depth, uint64_t pte)
{
	(void)depth;
	if (facts(t)->kind == LPAE_MALI || (t->cfg.quirks & PGT_QUIRK_ARM_HD))
		return -1;
	return (pte & PTE_AF) != 0;
}

static const struct pgt_format_ops lpae_ops = {
	.default_cfg = lpae_default_cfg,
	.setup = lpae_setup,
	.prot_attrs = lpae_prot_attrs,
	.leaf = lpae_leaf,
	.leaf_step = lpae_leaf_step,
	.table = lpae_table,
	.decode = lpae_decode,
	.leaf_attrs = lpae_leaf_attrs,
	.retarget = lpae_retarget,
	.registers = lpae_registers,
	.fields = lpae_fields,
	.lint = lpae_lint,
	.access_flag = lpae_access_flag,
};

#define S1_QUIRKS                                                                           \
	(PGT_QUIRK_ARM_NS | PGT_QUIRK_ARM_TTBR1 | PGT_QUIRK_ARM_OUTER_WBWA | PGT_QUIRK_ARM_HD)
#define ALL_64K (SZ_4K | SZ_2M | SZ_1G | SZ_16K | SZ_32M | SZ_64K | SZ_512M | SZ_4T)

static const struct lpae_facts arm64_s1 = {
	.kind = LPAE_S1,
	.oas_is_ps = true,
	.dflt_ias = 48,
	.dflt_oas = 48,
	.dflt_pgsizes = SZ_4K | SZ_2M | SZ_1G,
};
static const struct lpae_facts arm64_s2 = {
	.kind = LPAE_S2,
	.oas_is_ps = true,
	.dflt_ias = 48,
	.dflt_oas = 48,
	.dflt_pgsizes = SZ_4K | SZ_2M | SZ_1G,
};
static const struct lpae_facts arm32_s1 = {
	.kind = LPAE_S1,
	.pre_ias = 32,
	.pre_oas = 40,
	.pre_pgsizes = SZ_4K | SZ_2M | SZ_1G,
	.oas_is_ps = true,
	.dflt_ias = 32,
	.dflt_oas = 40,
	.dflt_pgsizes = SZ_4K | SZ_2M | SZ_1G,
};
static const struct lpae_facts arm32_s2 = {
	.kind = LPAE_S2,
	.pre_ias = 40,
	.pre_oas = 40,
	.pre_pgsizes = SZ_4K | SZ_2M | SZ_1G,
	.oas_is_ps = true,
	.dflt_ias = 40,
	.dflt_oas = 40,
	.dflt_pgsizes = SZ_4K | SZ_2M | SZ_1G,
};
static const struct lpae_facts mali = {
	.kind = LPAE_MALI,
	.pre_ias = 48,
	.pre_oas = 40,
	.pre_pgsizes = SZ_4K | SZ_2M | SZ_1G,
	.full_root = true,
	.dflt_ias = 48,
	.dflt_oas = 40,
	.dflt_pgsizes = SZ_4K | SZ_2M, /* what panfrost asks for */
};

#define F(x) (1u << PGT_FEAT_##x)

static const struct pgt_format_kernel s1_612 = {
	.features = F(SPLIT_BLOCKS),
	.quirks = S1_QUIRKS,
};
static const struct pgt_format_kernel s2_612 = {
	.features = F(SPLIT_BLOCKS) | 1u << LPAE_FEAT_CONCAT_SMALL_PGD,
};
static const struct pgt_format_kernel mali_612 = {
	.features = F(SPLIT_BLOCKS),
};
/* 7.3: a partial block unmap is refused (no arm_lpae_split_blk_unmap);
 * NO_WARN only silences WARNs; S2FWB arrives */
static const struct pgt_format_kernel s1_73 = {
	.quirks = S1_QUIRKS | PGT_QUIRK_NO_WARN,
};
static const struct pgt_format_kernel s2_73 = {
	.features = 1u << LPAE_FEAT_CONCAT_MANDATORY,
	.quirks = PGT_QUIRK_ARM_S2FWB | PGT_QUIRK_NO_WARN,
};
static const struct pgt_format_kernel mali_73 = {0};

const struct pgt_format pgt_fmt_arm_64_lpae_s1 = {
	.name = "arm-64-lpae-s1",
	.kernel_name = "ARM_64_LPAE_S1",
	.summary = "ARMv8 LPAE stage 1 (SMMUv2/v3, AArch64 contexts)",
	.desc_bytes = 8,
	.pgsizes = ALL_64K,
	.max_ias = 52,
	.max_oas = 52,
	.elf_machine = EM_AARCH64,
	.facts = &arm64_s1,
	.ops = &lpae_ops,
	.stage = 1,
	.kernel = {[PGT_KERNEL_6_12] = &s1_612, [PGT_KERNEL_7_3] = &s1_73},
};
const struct pgt_format pgt_fmt_arm_64_lpae_s2 = {
	.name = "arm-64-lpae-s2",
	.kernel_name = "ARM_64_LPAE_S2",
	.summary = "ARMv8 LPAE stage 2 (SMMU nested/stage-2 contexts)",
	.desc_bytes = 8,
	.pgsizes = ALL_64K,
	.max_ias = 52,
	.max_oas = 52,
	.elf_machine = EM_AARCH64,
	.facts = &arm64_s2,
	.ops = &lpae_ops,
	.stage = 2,
	.kernel = {[PGT_KERNEL_6_12] = &s2_612, [PGT_KERNEL_7_3] = &s2_73},
};
const struct pgt_format pgt_fmt_arm_32_lpae_s1 = {
	.name = "arm-32-lpae-s1",
	.kernel_name = "ARM_32_LPAE_S1",
	.summary = "ARMv7 LPAE stage 1 (AArch32-L contexts)",
	.desc_bytes = 8,
	.pgsizes = SZ_4K | SZ_2M | SZ_1G,
	.max_ias = 32,
	.max_oas = 40,
	.elf_machine = EM_ARM,
	.facts = &arm32_s1,
	.ops = &lpae_ops,
	.stage = 1,
	.kernel = {[PGT_KERNEL_6_12] = &s1_612, [PGT_KERNEL_7_3] = &s1_73},
};
const struct pgt_format pgt_fmt_arm_32_lpae_s2 = {
	.name = "arm-32-lpae-s2",
	.kernel_name = "ARM_32_LPAE_S2",
	.summary = "ARMv7 LPAE stage 2",
	.desc_bytes = 8,
	.pgsizes = SZ_4K | SZ_2M | SZ_1G,
	.max_ias = 40,
	.max_oas = 40,
	.elf_machine = EM_ARM,
	.facts = &arm32_s2,
	.ops = &lpae_ops,
	.stage = 2,
	.kernel = {[PGT_KERNEL_6_12] = &s2_612, [PGT_KERNEL_7_3] = &s2_73},
};
const struct pgt_format pgt_fmt_arm_mali_lpae = {
	.name = "arm-mali-lpae",
	.kernel_name = "ARM_MALI_LPAE",
	.summary = "Arm Mali GPU MMU, LPAE-like (Panfrost)",
	.desc_bytes = 8,
	.pgsizes = SZ_4K | SZ_2M | SZ_1G,
	.max_ias = 48,
	.max_oas = 40,
	.elf_machine = EM_AARCH64,
	.facts = &mali,
	.ops = &lpae_ops,
	.stage = 1,
	.kernel = {[PGT_KERNEL_6_12] = &mali_612, [PGT_KERNEL_7_3] = &mali_73},
};

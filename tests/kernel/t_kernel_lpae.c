// SPDX-License-Identifier: MIT
/*
 * Differential test of libpgt against the real io-pgtable-arm.c of Linux
 * 6.12 or 7.3 (the kernel oracle, oracle.h, whichever this binary is linked
 * with), for the five LPAE formats; the comparisons are kt_common.h's.
 *
 * For every format, granule and ias the kernel's own LPAE selftest uses
 * (plus non-coherent walkers, the stage-1 quirks, stage-2 concatenation
 * corners and 52-bit output with 4T blocks), the same operations run
 * against both implementations: a directed sequence (overlaps, block splits,
 * tables torn down by larger maps, holes, batches cut at a table end) and a
 * seeded random sequence of map_pages/unmap_pages, some of whose unmaps start
 * off the page grid. A TTBR1 table is used in its upper IOVA range, and its
 * random window may straddle the boundaries of the larger tables. An
 * allocation grid checks that both accept and refuse the same configurations
 * and narrow them the same way.
 *
 * Output is TAP. Usage: t_kernel_lpae [-v] [-q] [-s SEED] [-n OPS]
 *   -n scales the number of random operations per configuration;
 *   -q runs a quick subset.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kt_common.h"

/* Where the two implementations keep their tables: deliberately different. */
#define KBASE 0x80000000ull
#define KLEN (1ull << 30)
#define ARENA 0x4000000000ull

/* --- the format, from the kernel's facts ------------------------------------- */

/* ARM_LPAE_PTE_ADDR_MASK, bits 47:12 (a 64K granule keeps PA[51:48] in 15:12) */
#define ADDR_MASK 0x0000fffffffff000ull
#define TYPE_MASK 3u
#define TYPE_BLOCK 1u
#define TYPE_PAGE 3u

enum kind { K_S1, K_S2, K_MALI };

static enum kind kind_of(const struct kt_pair *p)
{
	switch (p->f->kf) {
	case ORACLE_ARM_32_LPAE_S2:
	case ORACLE_ARM_64_LPAE_S2:
		return K_S2;
	case ORACLE_ARM_MALI_LPAE:
		return K_MALI;
	default:
		return K_S1;
	}
}

/* iopte_to_paddr() */
static uint64_t paddr(const struct kt_pair *p, uint64_t pte)
{
	uint64_t granule = p->kcfg.pgsize_bitmap & -p->kcfg.pgsize_bitmap;
	uint64_t x = pte & ADDR_MASK;
	if (granule < KT_64K)
		return x;
	return (x | (x << 36)) & (ADDR_MASK << 4);
}

/* struct arm_lpae_io_pgtable: levels start_level..3 of bits_per_level index
 * bits (pgd_bits at the start: a stage-2 root may be concatenated), each
 * map_pages/unmap_pages call within one granule-sized table. */
static void lpae_geometry(const struct kt_pair *p, unsigned mode, struct kt_geom *g)
{
	(void)mode;
	struct oracle_geom k;
	oracle_geometry(p->k, &k);
	unsigned bpl = (unsigned)k.bits_per_level, start = (unsigned)k.start_level;
	memset(g, 0, sizeof(*g));
	g->n_levels = 4 - start;
	g->desc_bytes = 8;
	g->n_roots = 1;
	g->granule = 8ull << bpl;
	for (unsigned d = 0; d < g->n_levels; d++)
		g->level[d] = (struct kt_level){
			.label = start + d,
			.shift = (4 - (start + d)) * bpl + 3, /* ARM_LPAE_LVL_SHIFT */
			.index_bits = d ? bpl : (unsigned)k.pgd_bits,
			.batch_bits = bpl,
		};
}

/* iopte_leaf(): a page at level 3 (a block on Mali), a block above; any
 * other non-zero entry is a table to the kernel's walk. */
static enum kt_ent_kind lpae_classify(const struct kt_pair *p, const struct kt_level *l,
				      const uint8_t *table, uint64_t i, struct kt_ent *e,
				      uint64_t *next)
{
	(void)table;
	(void)i;
	bool mali = p->f->kf == ORACLE_ARM_MALI_LPAE;
	unsigned type = (unsigned)e->raw & TYPE_MASK;
	if (type == (l->label == 3 && !mali ? TYPE_PAGE : TYPE_BLOCK)) {
		e->pa = paddr(p, e->raw);
		return KT_LEAF;
	}
	*next = paddr(p, e->raw);
	return KT_TABLE;
}

static uint64_t lpae_table_addr_bits(const struct kt_pair *p)
{
	(void)p;
	return ADDR_MASK;
}

/* The cfg union of the stage; the base registers hold the root. */
static bool lpae_regs(struct kt_pair *p, char *msg, size_t len)
{
	const struct oracle_cfg *k = &p->kcfg;
#define TCR(f) ((struct kt_reg_want){"tcr", #f, KT_REG_FIELD, k->tcr.f})
#define VTCR(f) ((struct kt_reg_want){"vtcr", #f, KT_REG_FIELD, k->vtcr.f})
	const struct kt_reg_want s1[] = {
		{"ttbr", NULL, KT_REG_ROOT, k->ttbr},
		TCR(ips),
		TCR(tg),
		TCR(sh),
		TCR(orgn),
		TCR(irgn),
		TCR(tsz),
		{"mair", NULL, KT_REG_VALUE, k->mair},
	};
	const struct kt_reg_want s2[] = {
		{"vttbr", NULL, KT_REG_ROOT, k->vttbr},
		VTCR(ps),
		VTCR(tg),
		VTCR(sh),
		VTCR(orgn),
		VTCR(irgn),
		VTCR(sl),
		VTCR(tsz),
	};
#undef VTCR
#undef TCR
	const struct kt_reg_want mali[] = {
		{"transtab", NULL, KT_REG_ROOT, k->transtab},
		{"memattr", NULL, KT_REG_VALUE, k->memattr},
	};
	switch (kind_of(p)) {
	case K_S1:
		return kt_regs_match(p, s1, KT_ARRAY_SIZE(s1), msg, len);
	case K_S2:
		return kt_regs_match(p, s2, KT_ARRAY_SIZE(s2), msg, len);
	case K_MALI:
		return kt_regs_match(p, mali, KT_ARRAY_SIZE(mali), msg, len);
	}
	return false;
}

/* The 4T block (when there is one) rarely: it fills the window at once. */
static uint64_t lpae_pick_size(struct kt_pair *p)
{
	unsigned n = p->n_sizes;
	if (p->sizes[n - 1] == KT_4T && !kt_chance(5))
		n--;
	return p->sizes[kt_rnd_below(n)];
}

/*
 * 7.3's arm_lpae_iova_to_phys() (6.12 has a loop of its own) walks
 * [iova, iova + 1): for the last IOVA of the 64-bit space (a TTBR1 table's
 * top) the range wraps to nothing, no entry is visited, and it returns what
 * its uninitialised struct iova_to_phys_data holds. A kernel bug, not
 * copied.
 */
static bool lpae_phys_undefined(const struct kt_pair *p, uint64_t iova)
{
	(void)p;
	return kt_kernel() != PGT_KERNEL_6_12 && iova == UINT64_MAX;
}

/* --- the directed sequence ----------------------------------------------------- */

static void lpae_directed(struct kt_pair *p)
{
	const unsigned rwc = PGT_READ | PGT_WRITE | PGT_CACHE;
	const uint64_t G = p->granule, top = p->top;
	/* high output addresses, as far as oas lets them be */
	const uint64_t pb = (p->pa_limit > p->wsize ? p->pa_limit - p->wsize : 0) & ~(top - 1);
	const enum oracle_gather g = ORACLE_GATHER;

	for (unsigned k = 0; k < p->n_sizes; k++) {
		const uint64_t S = p->sizes[k];
		const uint64_t r = k * top, pa = pb + k * top;
		if (r + top > p->wsize)
			break;
		/* a mapping, and every size over it: EEXIST */
		kt_do_map(p, kt_W(p, r), pa, S, 1, rwc);
		for (unsigned j = 0; j <= k; j++)
			kt_do_map(p, kt_W(p, r), pa, p->sizes[j], 1, PGT_READ);
		if (k > 0) {
			/* a fresh block split as the reference examples do */
			if (k + 1 < p->n_sizes) {
				kt_do_map(p, kt_W(p, r + S), pa + S, S, 1, rwc | PGT_NOEXEC);
				kt_do_unmap(p, kt_W(p, r + S + S - 2 * G), G, 4,
					    ORACLE_GATHER_NULL);
				kt_do_unmap(p, kt_W(p, r + S), S, 1, g);
			}
			kt_do_unmap(p, kt_W(p, r + G), G, 1, g);
			kt_do_map(p, kt_W(p, r + G), pa + G, G, 1, rwc);
			kt_do_unmap(p, kt_W(p, r + 3 * G), G, 3, g);
			if (k >= 2)
				kt_do_unmap(p, kt_W(p, r + p->sizes[1]), p->sizes[1], 2, g);
			kt_do_unmap(p, kt_W(p, r + S - 2 * G), G, 4, ORACLE_GATHER_QUEUED);
			/* the block's slot now holds a table: this tears it down */
			kt_do_unmap(p, kt_W(p, r), S, 1, g);
			/* a batch cut at the end of a table, then a block over the pages */
			kt_do_map(p, kt_W(p, r), pa, G, p->batch + 5, PGT_WRITE | PGT_MMIO);
			kt_do_map(p, kt_W(p, r), pa, S, 1, PGT_READ | PGT_PRIV);
			kt_do_unmap(p, kt_W(p, r), S, 1, g);
			/* a batch meeting a table, an empty slot, then a leaf: the table
			 * is torn down before the leaf fails the call with EEXIST */
			if (r + 3 * S <= p->wsize) {
				kt_do_map(p, kt_W(p, r), pa, G, 2, rwc);
				kt_do_map(p, kt_W(p, r + 2 * S), pa, S, 1, rwc);
				kt_do_map(p, kt_W(p, r), pa, S, 3, rwc);
				kt_do_unmap(p, kt_W(p, r), S, 3, g);
			}
		}
		/* holes */
		kt_do_unmap(p, kt_W(p, r), G, 1, g);
		kt_do_unmap(p, kt_W(p, r), S, 2, g);
		/* the smallest page, then the largest block over its tables */
		kt_do_map(p, kt_W(p, r), pa, G, 3, rwc);
		kt_do_map(p, kt_W(p, r), pa, top, 1, rwc);
		kt_do_unmap(p, kt_W(p, r), top, 1, ORACLE_GATHER_NULL);
	}
	/* a run crossing the end of a top-level-block-sized range */
	if (p->n_sizes > 1 && 2 * top <= p->wsize) {
		uint64_t S = p->sizes[p->n_sizes - 2];
		kt_do_map(p, kt_W(p, top - S), pb, S, 2, PGT_READ | PGT_WRITE);
		kt_do_unmap(p, kt_W(p, top - S), S, 2, g);
	}
	/* batches across the end of the first granule-sized table of a
	 * concatenated stage-2 root, where a call stops, and across the middle
	 * of it, where it does not; in blocks when the root holds them */
	struct oracle_geom kg;
	oracle_geometry(p->k, &kg);
	unsigned bpl = (unsigned)kg.bits_per_level;
	unsigned shift = (4 - (unsigned)kg.start_level) * bpl + 3;
	if (kg.pgd_bits > kg.bits_per_level && kt_has(p, 1ull << shift)) {
		const uint64_t S = 1ull << shift;
		const uint64_t at[] = {(1ull << bpl) - 1, (1ull << (bpl - 1)) - 1};
		for (size_t i = 0; i < KT_ARRAY_SIZE(at); i++) {
			uint64_t iova = p->iova_high | (at[i] << shift);
			kt_do_map(p, iova, pb, S, 3, PGT_READ | PGT_WRITE);
			kt_do_unmap(p, iova, S, 3, g);
			kt_do_map(p, iova, pb, G, p->batch + 1, PGT_READ);
			kt_do_unmap(p, iova, S, 2, g);
		}
	}
	kt_compare_structure(p, "after the directed sequence");
	kt_do_unmap(p, kt_W(p, 0), top, p->wsize / top, g);
}

/* --- the formats --------------------------------------------------------------- */

#define LPAE_FMT(fmt_name, oracle_fmt)                                                             \
	{                                                                                          \
		.name = fmt_name, .kf = oracle_fmt, .geometry = lpae_geometry,                     \
		.classify = lpae_classify, .table_addr_bits = lpae_table_addr_bits,                \
		.compare_regs = lpae_regs, .pick_size = lpae_pick_size, .directed = lpae_directed, \
		.kernel_phys_undefined = lpae_phys_undefined, .warns_are_errors = true,            \
		.unaligned_unmaps = 3,                                                             \
	}

static const struct kt_fmt fmts[] = {
	LPAE_FMT("arm-64-lpae-s1", ORACLE_ARM_64_LPAE_S1),
	LPAE_FMT("arm-64-lpae-s2", ORACLE_ARM_64_LPAE_S2),
	LPAE_FMT("arm-32-lpae-s1", ORACLE_ARM_32_LPAE_S1),
	LPAE_FMT("arm-32-lpae-s2", ORACLE_ARM_32_LPAE_S2),
	LPAE_FMT("arm-mali-lpae", ORACLE_ARM_MALI_LPAE),
};
#define N_FMTS KT_ARRAY_SIZE(fmts)

/* What the plan gives each format, as fmts[]. */
static const struct {
	bool only_4k; /* the kernel ANDs the bitmap with 4K|2M|1G */
	unsigned max_ias, oas;
} limits[N_FMTS] = {
	{false, 48, 48}, {false, 48, 48}, {true, 32, 40}, {true, 40, 40}, {true, 48, 40}};

/* --- oracle self-check: documented behaviour ------------------------------------ */

/* 6.12 splits a block an unmap covers in part; 7.3 refuses with a WARN. */
static void selfcheck(void)
{
	struct kt_expect e = {0};
	struct oracle_cfg c;
	const struct kt_cfg in = {0, KT_4K | KT_2M | KT_1G, 48, 48, true, 0};
	struct oracle *k = kt_oracle_new(ORACLE_ARM_64_LPAE_S1, &in, KBASE, 1ull << 24, &c);
	const bool splits = kt_kernel() == PGT_KERNEL_6_12;
	char what[96];
	snprintf(what, sizeof(what), "the kernel oracle reproduces documented %s behaviour",
		 oracle_kernel());
	if (!kt_expect_oracle(&e, k, what))
		return;
	int rc;
	kt_expect(&e, c.mair == 0xFFFFFFFFF404FF44ull, "mair 0x%" PRIx64, c.mair);
	kt_expect(&e, c.tcr.tsz == 16 && c.tcr.ips == 5 && c.tcr.sh == 3,
		  "tcr: tsz %u ips %u sh %u", c.tcr.tsz, c.tcr.ips, c.tcr.sh);
	uint64_t m = kt_omap(k, 0x40000000, 0x40000000, KT_1G, 1, PGT_READ | PGT_WRITE, &rc);
	kt_expect(&e, !rc && m == KT_1G, "map 1G: rc %d", rc);
	/* a 4K unmap inside a 1G block: split, one add_page per page (6.12),
	 * or nothing with a WARN (7.3) */
	oracle_tlb_clear(k);
	unsigned long w0 = kt_owarns(k);
	uint64_t u = oracle_unmap_pages(k, 0x40001000, KT_4K, 3, ORACLE_GATHER);
	if (splits)
		kt_expect(&e,
			  u == 0x3000 && !strcmp(kt_olog(k), "A(40001000,1000) A(40002000,1000) "
							     "A(40003000,1000)"),
			  "split unmap of a 1G block: 0x%" PRIx64 ", events %s", u, kt_olog(k));
	else
		kt_expect(&e, u == 0 && !*kt_olog(k) && kt_owarns(k) == w0 + 1,
			  "partial unmap of a 1G block refused: 0x%" PRIx64 ", events %s, %lu WARNs",
			  u, kt_olog(k), kt_owarns(k) - w0);
	kt_expect(&e,
		  oracle_iova_to_phys(k, 0x40004123) == 0x40004123 &&
			  oracle_iova_to_phys(k, 0x40002000) == (splits ? 0 : 0x40002000),
		  "iova_to_phys after the unmap");
	/* past the end of a 2M block: the unmap stops there */
	m = kt_omap(k, 0x200000, 0x200000, KT_2M, 1, PGT_READ, &rc);
	oracle_tlb_clear(k);
	u = oracle_unmap_pages(k, 0x3FE000, KT_4K, 4, ORACLE_GATHER_NULL);
	size_t n = oracle_tlb_log(k, &(const struct oracle_tlb *){0});
	kt_expect(&e, !rc && u == (splits ? 0x2000 : 0) && n == (splits ? 2 : 0),
		  "unmap at the end of a 2M block: 0x%" PRIx64 ", %zu events", u, n);
	/* a map over a block: EEXIST with a WARN; an unmap of nothing: 0 with one */
	w0 = kt_owarns(k);
	kt_omap(k, 0x200000, 0, KT_4K, 1, PGT_READ, &rc);
	kt_expect(&e, rc == -EEXIST && kt_owarns(k) == w0 + 1, "EEXIST: rc %d, %lu WARNs", rc,
		  kt_owarns(k) - w0);
	u = oracle_unmap_pages(k, 0x80000000, KT_4K, 1, ORACLE_GATHER);
	kt_expect(&e, u == 0 && kt_owarns(k) == w0 + 2, "hole: 0x%" PRIx64 ", %lu WARNs", u,
		  kt_owarns(k) - w0);
	long live = oracle_destroy(k);
	kt_expect(&e, !live, "%ld blocks leaked", live);
	kt_expect_tap(&e, what);
}

/* Stage 2 as each kernel builds it: where the root is concatenated (6.12:
 * any level-0 root of up to 16 entries; 7.3: arm_lpae_concat_mandatory()),
 * and 7.3's S2FWB write-back MemAttr. */
static void selfcheck_s2(void)
{
	struct kt_expect e = {0};
	const char *what = "stage 2: concatenation and S2FWB as the kernel has them";
	const bool v73 = kt_kernel() == PGT_KERNEL_7_3;
	static const struct {
		uint64_t pgsizes;
		unsigned ias, oas;
		int start_612, start_73; /* -1: refused */
	} rows[] = {
		{KT_4K | KT_2M | KT_1G, 40, 40, 1, 1},
		{KT_4K | KT_2M | KT_1G, 40, 48, 1, 0},
		{KT_4K | KT_2M | KT_1G, 42, 42, 1, 1},
		{KT_4K | KT_2M | KT_1G, 44, 40, 0, -1},
		{KT_16K | KT_32M, 48, 48, 1, 1},
		{KT_16K | KT_32M, 40, 40, 1, 2},
		{KT_16K | KT_32M, 47, 40, 1, -1},
		{KT_64K | KT_512M, 48, 48, 1, 1},
	};
	for (size_t i = 0; i < KT_ARRAY_SIZE(rows); i++) {
		const struct kt_cfg in = {0, rows[i].pgsizes, rows[i].ias, rows[i].oas, true, 0};
		struct oracle *k = kt_oracle_new(ORACLE_ARM_64_LPAE_S2, &in, KBASE, 1ull << 24, NULL);
		int want = v73 ? rows[i].start_73 : rows[i].start_612;
		struct oracle_geom g = {.start_level = -1};
		if (k)
			oracle_geometry(k, &g);
		kt_expect(&e, k ? g.start_level == want : want < 0,
			  "ias %u oas %u pgsizes 0x%" PRIx64 ": start level %d, want %d",
			  rows[i].ias, rows[i].oas, rows[i].pgsizes, k ? g.start_level : -1, want);
		oracle_destroy(k);
	}
	const struct kt_cfg fwb = {PGT_QUIRK_ARM_S2FWB, KT_4K | KT_2M | KT_1G, 40, 40, true, 0};
	struct oracle *k = kt_oracle_new(ORACLE_ARM_64_LPAE_S2, &fwb, KBASE, 1ull << 24, NULL);
	kt_expect(&e, !k == !v73, "arm-s2fwb: %s", k ? "accepted" : "refused");
	if (k) {
		int rc;
		kt_omap(k, 0x40000000, 0x40000000, KT_4K, 1, PGT_READ | PGT_WRITE | PGT_CACHE, &rc);
		struct oracle_geom g;
		oracle_geometry(k, &g);
		/* the level-3 entry of 0x40000000 under a concatenated level-1 root */
		uint64_t l1 = kt_ord64(k, g.pgd_pa + 8 * (0x40000000 >> 30));
		uint64_t l2 = kt_ord64(k, (l1 & 0xfffffffff000ull) + 0);
		uint64_t l3 = kt_ord64(k, (l2 & 0xfffffffff000ull) + 0);
		kt_expect(&e, !rc && ((l3 >> 2) & 0xf) == 0x6,
			  "S2FWB: a cacheable leaf's MemAttr is 0b0110 (0x%016" PRIx64 ")", l3);
		oracle_destroy(k);
	}
	kt_expect_tap(&e, what);
}

/* --- plan ---------------------------------------------------------------------- */

/* The kernel selftest's granule families and ias values. */
static const uint64_t families[] = {KT_4K | KT_2M | KT_1G, KT_16K | KT_32M, KT_64K | KT_512M};
static const unsigned selftest_ias[] = {32, 36, 40, 42, 44, 48};

static const char *family_name(uint64_t bm)
{
	if (bm & KT_4K)
		return "4K";
	if (bm & KT_16K)
		return "16K";
	return (bm & KT_4T) ? "64K+4T" : "64K";
}

static void add_run(const struct kt_fmt *f, uint64_t pgsizes, unsigned ias, unsigned oas,
		    uint64_t quirks, bool coherent, unsigned nops)
{
	const struct kt_cfg c = {quirks, pgsizes, ias, oas, coherent, 0};
	struct kt_run *r = kt_add_run(f, &c, nops);
	r->kbase = KBASE;
	r->klen = KLEN;
	r->arena = ARENA;
	r->iova_high = quirks & PGT_QUIRK_ARM_TTBR1 ? ~0ull << ias : 0;
	r->window_on_top = true;
	char q[96];
	kt_quirk_names(quirks, q, sizeof(q));
	snprintf(r->label, sizeof(r->label), "%s %s ias %u oas %u%s%s%s", f->name,
		 family_name(pgsizes), ias, oas, coherent ? "" : " non-coherent",
		 q[0] ? " quirks " : "", q);
}

static void plan(unsigned nops, bool quick)
{
	const struct kt_fmt *s1 = &fmts[0], *s2 = &fmts[1], *s1_32 = &fmts[2];
	for (size_t fi = 0; fi < N_FMTS; fi++) {
		const struct kt_fmt *f = &fmts[fi];
		for (size_t gi = 0; gi < 3; gi++) {
			if (limits[fi].only_4k && gi > 0)
				continue;
			for (size_t ii = 0; ii < 6; ii++) {
				unsigned ias = selftest_ias[ii];
				if (ias > limits[fi].max_ias)
					continue;
				if (quick && ii % 3)
					continue;
				add_run(f, families[gi], ias, limits[fi].oas, 0, true, nops);
				/* every format again with a non-coherent walker */
				if (ii % 2 == 0 || limits[fi].only_4k)
					add_run(f, families[gi], ias, limits[fi].oas, 0, false,
						nops / 2);
			}
		}
	}
	/* stage-1 quirks, both stage-1 formats */
	static const uint64_t quirk_sets[] = {
		PGT_QUIRK_ARM_NS,
		PGT_QUIRK_ARM_HD,
		PGT_QUIRK_ARM_TTBR1,
		PGT_QUIRK_ARM_OUTER_WBWA, /* non-coherent only */
		PGT_QUIRK_ARM_NS | PGT_QUIRK_ARM_HD | PGT_QUIRK_ARM_TTBR1 |
			PGT_QUIRK_ARM_OUTER_WBWA,
	};
	for (size_t q = 0; q < KT_ARRAY_SIZE(quirk_sets); q++) {
		bool coherent = !(quirk_sets[q] & PGT_QUIRK_ARM_OUTER_WBWA);
		for (size_t gi = 0; gi < 3; gi++) {
			add_run(s1, families[gi], 48, 48, quirk_sets[q], coherent, nops / 2);
			if (!quick)
				add_run(s1, families[gi], gi == 2 ? 42 : 36, 48, quirk_sets[q],
					coherent, nops / 2);
		}
		add_run(s1_32, families[0], 32, 40, quirk_sets[q], coherent, nops / 2);
	}
	/* stage-2 concatenation corners and 52-bit output with 4T blocks */
	add_run(s2, families[0], 39, 48, 0, true, nops / 2);
	add_run(s2, families[0], 43, 44, 0, true, nops / 2);
	add_run(&fmts[3], families[0], 40, 40, 0, false, nops / 2);
	add_run(s1, KT_64K | KT_512M | KT_4T, 48, 52, 0, true, nops / 2);
	add_run(s1, KT_64K | KT_512M | KT_4T, 52, 52, PGT_QUIRK_ARM_TTBR1, true, nops / 2);
	add_run(s2, KT_64K | KT_512M | KT_4T, 52, 52, 0, false, nops / 2);
	add_run(s2, KT_64K | KT_512M | KT_4T, 48, 52, 0, true, nops / 2);
	/* a bitmap with every size: the kernel picks the granule */
	add_run(s1, KT_4K | KT_16K | KT_64K | KT_2M | KT_32M | KT_512M | KT_1G, 40, 44, 0, true,
		nops / 2);
	add_run(&fmts[4], KT_4K | KT_2M, 33, 40, 0, true, nops / 2);
	/* where 7.3 concatenates a 16K root into level 2 (a 256K root) and 6.12
	 * walks from level 1; and 7.3's S2FWB */
	add_run(s2, KT_16K | KT_32M, 40, 40, 0, true, nops / 2);
	if (kt_kernel() == PGT_KERNEL_7_3)
		add_run(s2, families[0], 40, 40, PGT_QUIRK_ARM_S2FWB | PGT_QUIRK_NO_WARN, true,
			nops / 2);
}

static void grids(void)
{
	static const uint64_t bitmaps[] = {
		KT_4K | KT_2M | KT_1G,
		KT_16K | KT_32M,
		KT_64K | KT_512M,
		KT_64K | KT_512M | KT_4T,
		KT_4K | KT_16K | KT_64K | KT_2M | KT_32M | KT_512M | KT_1G | KT_4T,
		KT_16K | KT_64K | KT_32M | KT_512M,
		KT_2M | KT_1G,
		(KT_4K / 2) | KT_64K,
		(KT_4K * 2) | KT_2M,
	};
	static const unsigned iass[] = {32, 36, 39, 40, 41, 42, 43, 44, 47, 48, 49, 52, 56};
	static const unsigned oass[] = {32, 33, 36, 40, 42, 44, 48, 52, 56};
	static const uint64_t quirks[] = {
		0,
		PGT_QUIRK_ARM_NS,
		PGT_QUIRK_NO_PERMS,
		PGT_QUIRK_ARM_TTBR1,
		PGT_QUIRK_ARM_OUTER_WBWA,
		PGT_QUIRK_ARM_HD,
		PGT_QUIRK_ARM_NS | PGT_QUIRK_ARM_TTBR1 | PGT_QUIRK_ARM_HD,
		PGT_QUIRK_ARM_S2FWB,
		PGT_QUIRK_NO_WARN,
		PGT_QUIRK_ARM_S2FWB | PGT_QUIRK_NO_WARN,
	};
	for (size_t fi = 0; fi < N_FMTS; fi++) {
		char label[64];
		snprintf(label, sizeof(label), "%s alloc grid", fmts[fi].name);
		const struct kt_grid g = {
			.f = &fmts[fi],
			.bitmaps = KT_LIST(bitmaps),
			.iass = KT_LIST(iass),
			.oass = KT_LIST(oass),
			.quirks = KT_LIST(quirks),
			.kbase = KBASE,
			.arena = ARENA,
			.label = label,
		};
		kt_grid_run(&g);
	}
}

static void checks(void)
{
	selfcheck();
	selfcheck_s2();
	grids();
}

int main(int argc, char **argv)
{
	static const struct kt_suite suite = {
		.seed = 0x6b65726e656cull, /* "kernel" */
		.fmts = fmts,
		.n_fmts = N_FMTS,
		.n_checks = 2 + N_FMTS, /* the self-checks, a grid for each format */
		.checks = checks,
		.plan = plan,
	};
	return kt_main(argc, argv, &suite);
}

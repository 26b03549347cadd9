// SPDX-License-Identifier: MIT
/*
 * Differential test of libpgt's apple-dart and apple-dart2 against the real
 * drivers/iommu/io-pgtable-dart.c of Linux 6.12 or 7.3 (the kernel oracle
 * this binary is linked with), and checks that the oracle reproduces the
 * documented behaviour (formats.md §4; 7.3: up to three levels, several
 * TTBRs only with 4K pages, NO_CACHE only on uncached DART2 leaves).
 *
 * APPLE_DART2 with 4K pages is only in the allocation grid and the
 * self-checks: its table descriptors cannot hold table PA bits 13:12, so
 * what the kernel's table becomes depends on where its allocator put the
 * tables, which no other allocator reproduces (see selfcheck_dart2_4k()).
 *
 * Output is TAP. Usage: t_kernel_dart [-v] [-q] [-s SEED] [-n OPS]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "kt_common.h"

#define KBASE 0x80000000ull
#define KLEN (1ull << 30)
#define ARENA 0x400000000ull /* below 2^36: DART1 table descriptors hold PA[35:12] */

#define DART1_ADDR 0x0000000ffffff000ull /* GENMASK_ULL(35, 12) */
#define DART2_ADDR 0x0000003ffffffc00ull /* GENMASK_ULL(37, 10) */

/* --- the format, from the kernel's facts ------------------------------------- */

static bool dart2(const struct kt_pair *p)
{
	return p->f->kf == ORACLE_APPLE_DART2;
}

static uint64_t decode(bool d2, uint64_t pte)
{
	return d2 ? (pte & DART2_ADDR) << 4 : pte & DART1_ADDR;
}

static unsigned pg_shift(const struct kt_pair *p)
{
	return (unsigned)__builtin_ctzll(p->kcfg.pgsize_bitmap);
}

/* Table levels below the TTBRs: apple_dart_cfg.n_levels counts the TTBR's
 * too (7.3); 6.12 always has two. */
static unsigned n_levels(const struct kt_pair *p)
{
	return p->kcfg.dart.n_levels ? p->kcfg.dart.n_levels - 1 : 2;
}

/* Levels of pgsize / 8 entries under each of n_ttbrs roots;
 * dart_map_pages() stops at the end of a leaf table. */
static void dart_geometry(const struct kt_pair *p, unsigned mode, struct kt_geom *g)
{
	(void)mode;
	unsigned ps = pg_shift(p), bpl = ps - 3, n = n_levels(p);
	*g = (struct kt_geom){
		.n_levels = n,
		.desc_bytes = 8,
		.n_roots = p->kcfg.dart.n_ttbrs,
		.root_shift = (n + 1) * bpl + 3,
	};
	for (unsigned d = 0; d < n; d++)
		g->level[d] = (struct kt_level){
			.label = d + 1,
			.shift = ps + (n - 1 - d) * bpl,
			.index_bits = bpl,
			.batch_bits = d + 1 == n ? bpl : 0,
		};
}

/* dart_get_last(): any non-zero entry above the last level is a table;
 * iova_to_phys(): any non-zero leaf translates. */
static enum kt_ent_kind dart_classify(const struct kt_pair *p, const struct kt_level *l,
				      const uint8_t *table, uint64_t i, struct kt_ent *e,
				      uint64_t *next)
{
	(void)table;
	(void)i;
	if (l->label < n_levels(p)) {
		*next = decode(dart2(p), e->raw);
		return KT_TABLE;
	}
	e->pa = decode(dart2(p), e->raw);
	return KT_LEAF;
}

static uint64_t dart_table_addr_bits(const struct kt_pair *p)
{
	return dart2(p) ? DART2_ADDR : DART1_ADDR;
}

/* "ttbr", a list of the n_ttbrs root PAs (each side's own), and "n_ttbrs";
 * and the oracle's ttbr[i] is its root i. */
static bool dart_regs(struct kt_pair *p, char *msg, size_t len)
{
	uint64_t kroots[4];
	unsigned kn = oracle_roots(p->k, kroots), n = p->kcfg.dart.n_ttbrs;
	bool ok = kn == n;
	for (unsigned i = 0; ok && i < n; i++)
		ok = p->kcfg.dart.ttbr[i] == kroots[i];
	if (!ok)
		kt_append(msg, len, " [oracle: %u roots, n_ttbrs %u, ttbr[0] 0x%" PRIx64 "]", kn, n,
			  p->kcfg.dart.ttbr[0]);
	const struct kt_reg_want w[] = {
		{"ttbr", NULL, KT_REG_ROOTS, n},
		{"n_ttbrs", NULL, KT_REG_NUMBER, n},
		{"n_levels", NULL, KT_REG_NUMBER, p->kcfg.dart.n_levels},
	};
	/* n_levels: a register since 6.18 */
	size_t nw = p->kcfg.dart.n_levels ? KT_ARRAY_SIZE(w) : KT_ARRAY_SIZE(w) - 1;
	return kt_regs_match(p, w, nw, msg, len) && ok;
}

/* --- the directed sequence ----------------------------------------------------- */

static void dart_directed(struct kt_pair *p)
{
	const uint64_t P = p->granule, top = p->top, N = p->batch;
	const uint64_t pb = (p->pa_limit - 8 * top) & ~(top - 1);
	const enum oracle_gather g = ORACLE_GATHER;
	const unsigned rw = PGT_READ | PGT_WRITE;
	if (p->wsize < 4 * top)
		goto roots; /* an input space smaller than the window */
	/* a batch across the end of a leaf table: map_pages stops there */
	kt_do_map(p, kt_W(p, top - 3 * P), pb, P, 8, rw | PGT_CACHE);
	/* over it: EEXIST, nothing written (from the start of the batch) */
	kt_do_map(p, kt_W(p, top - 5 * P), pb, P, 3, PGT_READ);
	kt_do_map(p, kt_W(p, top + 2 * P), pb, P, 1, PGT_WRITE);
	/* every prot */
	for (unsigned prot = 1; prot < 64; prot++)
		if (prot & rw)
			kt_do_map(p, kt_W(p, 2 * top + prot * P), pb + prot * P, P, 1, prot);
	/* unmap: NULL gather (add_page all the same), queued (none) */
	kt_do_unmap(p, kt_W(p, 2 * top + P), P, 4, ORACLE_GATHER_NULL);
	kt_do_unmap(p, kt_W(p, 2 * top + 8 * P), P, 4, ORACLE_GATHER_QUEUED);
	/* through a hole: stops at the first empty entry, with a WARN */
	kt_do_unmap(p, kt_W(p, 2 * top + 12 * P), P, 64, g);
	/* no leaf table at all: WARN, 0 */
	kt_do_unmap(p, kt_W(p, 3 * top), P, 1, g);
	/* across the end of a leaf table: stops there, the next call goes on */
	kt_do_unmap(p, kt_W(p, top - 3 * P), P, 8, g);
	/* the window full, then empty */
	kt_do_map(p, kt_W(p, 0), pb, P, 4 * N, rw);
	kt_do_unmap(p, kt_W(p, P), P, 4 * N - 2, g);
	kt_do_unmap(p, kt_W(p, 0), P, 4 * N, g);
roots:
	/* the top of the input space, and every root */
	for (unsigned r = 0; r < p->kcfg.dart.n_ttbrs; r++) {
		uint64_t rs = p->space / p->kcfg.dart.n_ttbrs;
		kt_do_map(p, r * rs + rs - 2 * P, p->pa_limit - 2 * P, P, 2, rw);
		kt_do_map(p, r * rs, 0, P, 1, PGT_READ);
	}
	for (unsigned r = 0; r < p->kcfg.dart.n_ttbrs; r++) {
		uint64_t rs = p->space / p->kcfg.dart.n_ttbrs;
		kt_do_unmap(p, r * rs + rs - 2 * P, P, 2, g);
		kt_do_unmap(p, r * rs, P, 1, g);
	}
}

#define DART_FMT(fmt_name, oracle_fmt)                                                             \
	{                                                                                          \
		.name = fmt_name, .kf = oracle_fmt, .geometry = dart_geometry,                     \
		.classify = dart_classify, .table_addr_bits = dart_table_addr_bits,                \
		.compare_regs = dart_regs, .directed = dart_directed, .warns_are_errors = true,    \
	}

static const struct kt_fmt dart_fmts[2] = {
	DART_FMT("apple-dart", ORACLE_APPLE_DART),
	DART_FMT("apple-dart2", ORACLE_APPLE_DART2),
};

/* --- oracle self-checks: documented behaviour ------------------------------------- */

static bool v73(void)
{
	return kt_kernel() == PGT_KERNEL_7_3;
}

static struct oracle *mk(enum oracle_fmt f, uint64_t quirks, uint64_t bitmap, unsigned ias,
			 unsigned oas, bool coh, struct oracle_cfg *out)
{
	const struct kt_cfg c = {quirks, bitmap, ias, oas, coh, 0};
	return kt_oracle_new(f, &c, KBASE, 1ull << 26, out);
}

/* The leaf entry of iova (16K pages or 4K, one root assumed for DART2). */
static uint64_t leaf(struct oracle *o, bool d2, unsigned ps, uint64_t iova)
{
	unsigned bpl = ps - 3;
	uint64_t roots[4];
	unsigned n = oracle_roots(o, roots);
	uint64_t r = (iova >> (3 * bpl + 3)) & (n - 1);
	uint64_t l1 = kt_ord64(o, roots[r] + ((iova >> (2 * bpl + 3)) & ((1ull << bpl) - 1)) * 8);
	if (!l1)
		return 0;
	return kt_ord64(o, decode(d2, l1) + ((iova >> ps) & ((1ull << bpl) - 1)) * 8);
}

/* §4.1, §4.2: what alloc accepts, the TTBR count; for 7.3 also the levels
 * (dart_alloc_pgtable(): as many as the input space needs, at most three,
 * and several TTBRs only with 4K pages). */
static void selfcheck_alloc(void)
{
	struct kt_expect e = {0};
	const struct {
		enum oracle_fmt f;
		uint64_t q, bm;
		unsigned ias, oas;
		bool coh;
		unsigned n_ttbrs, n_ttbrs_73; /* 0: refused */
		unsigned levels_73;	       /* apple_dart_cfg.n_levels */
	} cases[] = {
		{ORACLE_APPLE_DART, 0, KT_4K, 24, 36, true, 1, 1, 3},
		{ORACLE_APPLE_DART, 0, KT_4K, 30, 36, true, 1, 1, 3},
		{ORACLE_APPLE_DART, 0, KT_4K, 31, 36, true, 2, 2, 3},
		{ORACLE_APPLE_DART, 0, KT_4K, 32, 36, true, 4, 4, 3},
		{ORACLE_APPLE_DART, 0, KT_4K, 33, 36, true, 0, 1, 4},
		{ORACLE_APPLE_DART, 0, KT_4K, 41, 42, true, 0, 4, 4},
		{ORACLE_APPLE_DART, 0, KT_4K, 42, 42, true, 0, 0, 0},
		{ORACLE_APPLE_DART, 0, KT_16K, 32, 36, true, 1, 1, 3},
		{ORACLE_APPLE_DART, 0, KT_16K, 36, 36, true, 1, 1, 3},
		{ORACLE_APPLE_DART2, 0, KT_16K, 37, 42, true, 2, 1, 4},
		{ORACLE_APPLE_DART2, 0, KT_16K, 38, 42, true, 4, 1, 4},
		{ORACLE_APPLE_DART2, 0, KT_16K, 39, 42, true, 0, 1, 4},
		{ORACLE_APPLE_DART2, 0, KT_16K, 42, 42, true, 0, 1, 4},
		{ORACLE_APPLE_DART, 0, KT_16K, 37, 36, true, 0, 0, 0},  /* ias > oas */
		{ORACLE_APPLE_DART, 0, KT_16K, 32, 40, true, 0, 0, 0},  /* oas not 36/42 */
		{ORACLE_APPLE_DART, 0, KT_16K, 32, 36, false, 0, 0, 0}, /* non-coherent */
		{ORACLE_APPLE_DART, 0, KT_4K | KT_16K, 32, 36, true, 0, 0, 0},
		{ORACLE_APPLE_DART, 0, KT_64K, 32, 36, true, 0, 0, 0},
		{ORACLE_APPLE_DART, 0, 0, 32, 36, true, 0, 0, 0},
		/* accepted, though broken */
		{ORACLE_APPLE_DART2, 0, KT_4K, 32, 42, true, 4, 4, 3},
		{ORACLE_APPLE_DART, PGT_QUIRK_ARM_NS | PGT_QUIRK_ARM_TTBR1 | PGT_QUIRK_ARM_S2FWB,
		 KT_16K, 32, 36, true, 1, 1, 3}, /* quirks ignored */
		{ORACLE_APPLE_DART, 0, KT_16K, 12, 36, true, 1, 1, 3},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oracle_cfg c;
		struct oracle *o = mk(cases[i].f, cases[i].q, cases[i].bm, cases[i].ias,
				      cases[i].oas, cases[i].coh, &c);
		char what[120];
		snprintf(what, sizeof(what),
			 "%s pgsize 0x%" PRIx64 " ias %u oas %u%s quirks 0x%" PRIx64,
			 cases[i].f == ORACLE_APPLE_DART ? "DART" : "DART2", cases[i].bm,
			 cases[i].ias, cases[i].oas, cases[i].coh ? "" : " non-coherent",
			 cases[i].q);
		unsigned want = v73() ? cases[i].n_ttbrs_73 : cases[i].n_ttbrs;
		kt_expect(&e, !!o == !!want, "%s: kernel %s", what, o ? "accepts" : "refuses");
		if (!o)
			continue;
		kt_expect(&e, c.dart.n_levels == (v73() ? cases[i].levels_73 : 0),
			  "%s: n_levels %u", what, c.dart.n_levels);
		uint64_t roots[4];
		unsigned n = oracle_roots(o, roots);
		bool distinct = true;
		for (unsigned j = 0; j < n; j++)
			distinct &= c.dart.ttbr[j] == roots[j] && (!j || roots[j] != roots[j - 1]);
		kt_expect(&e,
			  c.dart.n_ttbrs == want && n == c.dart.n_ttbrs && distinct &&
				  c.pgsize_bitmap == cases[i].bm && c.ias == cases[i].ias &&
				  c.oas == cases[i].oas,
			  "%s: n_ttbrs %u (want %u), cfg 0x%" PRIx64 " ias %u oas %u", what,
			  c.dart.n_ttbrs, want, c.pgsize_bitmap, c.ias, c.oas);
		struct oracle_stats st;
		oracle_stats(o, &st);
		kt_expect(&e,
			  st.live_blocks == (long)n &&
				  st.live_pages == (long)n * (long)(cases[i].bm >> 12),
			  "%s: %ld blocks, %ld pages for %u roots", what, st.live_blocks,
			  st.live_pages, n);
		kt_expect(&e, !oracle_destroy(o), "%s: leak", what);
	}
	kt_expect_tap(&e,
		      "oracle: DART alloc constraints and TTBR counts are formats.md §4.1/§4.2's");
}

/* §4.3: the example entries: each prot's leaf, the table descriptor (of the
 * first leaf table, right after the root), and iova_to_phys up to the top
 * of the output space. 7.3 sets bit 1 (NO_CACHE) on a DART2 leaf only
 * without IOMMU_CACHE; 6.12 on every leaf. */
static void selfcheck_ptes(void)
{
	const unsigned rw = PGT_READ | PGT_WRITE;
	const struct {
		const char *name;
		enum oracle_fmt f;
		unsigned oas;
		struct {
			unsigned prot;
			uint64_t want;
		} leaf[4];
		uint64_t table;
	} v[] = {
		{"DART1",
		 ORACLE_APPLE_DART,
		 36,
		 {{rw, 0x000FFF0800000003ull},
		  {PGT_READ, 0x000FFF0800000083ull},
		  {PGT_WRITE, 0x000FFF0800000103ull},
		  {rw | PGT_CACHE | PGT_NOEXEC | PGT_MMIO | PGT_PRIV, 0x000FFF0800000003ull}},
		 (KBASE + KT_16K) + 1},
		{"DART2",
		 ORACLE_APPLE_DART2,
		 42,
		 {{rw, 0x000FFF0080000003ull},
		  {rw | PGT_CACHE, 0x000FFF0080000003ull}, /* 7.3: ...0001 */
		  {PGT_READ, 0x000FFF0080000007ull},
		  {PGT_WRITE, 0x000FFF008000000Bull}},
		 ((KBASE + KT_16K) >> 4) + 1},
	};
	struct kt_expect e = {0};
	int rc;
	for (size_t k = 0; k < KT_ARRAY_SIZE(v); k++) {
		bool d2 = v[k].f == ORACLE_APPLE_DART2;
		struct oracle *o = mk(v[k].f, 0, KT_16K, 32, v[k].oas, true, NULL);
		kt_expect(&e, o, "%s alloc", v[k].name);
		if (!o)
			continue;
		for (unsigned i = 0; i < 4; i++) {
			kt_omap(o, i * KT_16K, 0x800000000ull, KT_16K, 1, v[k].leaf[i].prot, &rc);
			uint64_t pte = leaf(o, d2, 14, i * KT_16K);
			uint64_t want = v[k].leaf[i].want;
			if (d2 && v73() && (v[k].leaf[i].prot & PGT_CACHE))
				want &= ~2ull;
			kt_expect(&e, !rc && pte == want,
				  "%s prot 0x%x: 0x%016" PRIx64 " (want 0x%016" PRIx64 ")",
				  v[k].name, v[k].leaf[i].prot, pte, want);
		}
		uint64_t l1 = kt_ord64(o, oracle_root(o));
		kt_expect(&e, l1 == v[k].table,
			  "%s table descriptor for a table at 0x%" PRIx64 ": 0x%016" PRIx64,
			  v[k].name, (uint64_t)(KBASE + KT_16K), l1);
		kt_expect(&e, oracle_iova_to_phys(o, KT_16K + 0x123) == 0x800000123ull,
			  "%s iova_to_phys 0x%" PRIx64, v[k].name,
			  oracle_iova_to_phys(o, KT_16K + 0x123));
		uint64_t top = (1ull << v[k].oas) - KT_16K;
		kt_omap(o, 8 * KT_16K, top, KT_16K, 1, rw, &rc);
		kt_expect(&e, oracle_iova_to_phys(o, 8 * KT_16K + 5) == top + 5,
			  "%s PA 2^%u - 16K: iova_to_phys 0x%" PRIx64, v[k].name, v[k].oas,
			  oracle_iova_to_phys(o, 8 * KT_16K + 5));
		kt_expect(&e, !oracle_destroy(o), "%s leak", v[k].name);
	}
	kt_expect_tap(&e, "oracle: DART PTEs are formats.md §4.3's examples");
}

/* §4.4, and §7's DART column. */
static void selfcheck_ops(void)
{
	const char *what = "oracle: DART map/unmap/iova_to_phys as formats.md §4.4/§7";
	struct kt_expect e = {0};
	int rc;
	uint64_t m, u;
	struct oracle *o = mk(ORACLE_APPLE_DART, 0, KT_16K, 32, 36, true, NULL);
	if (!kt_expect_oracle(&e, o, what))
		return;
	const uint64_t P = KT_16K, T = 2048 * KT_16K; /* a leaf table spans 32M */
	unsigned long w0 = kt_owarns(o);
	m = kt_omap(o, 0, 0, KT_4K, 1, PGT_READ, &rc);
	kt_expect(&e, rc == -EINVAL && kt_owarns(o) == w0 + 1, "pgsize 4K: rc %d", rc);
	w0 = kt_owarns(o);
	m = kt_omap(o, 0, 1ull << 36, P, 1, PGT_READ, &rc);
	kt_expect(&e, rc == -ERANGE && kt_owarns(o) == w0 + 1, "PA 2^36: rc %d", rc);
	w0 = kt_owarns(o);
	m = kt_omap(o, 0, 0, P, 1, PGT_CACHE, &rc);
	kt_expect(&e, rc == -EINVAL && kt_owarns(o) == w0, "no R/W: rc %d", rc);
	/* map stops at the end of the leaf table, returning 0 */
	m = kt_omap(o, T - 2 * P, 0x100000000ull, P, 5, PGT_READ | PGT_WRITE, &rc);
	kt_expect(&e, !rc && m == 2 * P && oracle_tlb_log(o, &(const struct oracle_tlb *){0}) == 0,
		  "5 pages 2 before a table end: rc %d mapped 0x%" PRIx64 ", no events", rc, m);
	/* EEXIST if any slot is valid: nothing written */
	w0 = kt_owarns(o);
	m = kt_omap(o, T - 4 * P, 0x200000000ull, P, 3, PGT_READ, &rc);
	kt_expect(&e,
		  rc == -EEXIST && !m && kt_owarns(o) == w0 + 1 && !leaf(o, false, 14, T - 4 * P),
		  "batch meeting a mapping: rc %d mapped 0x%" PRIx64 ", first slot 0x%" PRIx64, rc,
		  m, leaf(o, false, 14, T - 4 * P));
	/* unmap: add_page per entry with a NULL gather too; queued: none */
	kt_omap(o, 0, 0x300000000ull, P, 8, PGT_READ | PGT_WRITE, &rc);
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 0, P, 2, ORACLE_GATHER_NULL);
	const struct oracle_tlb *l;
	size_t n = oracle_tlb_log(o, &l);
	kt_expect(&e,
		  u == 2 * P && n == 2 && l[0].kind == ORACLE_TLB_ADD_PAGE && l[0].iova == 0 &&
			  l[1].iova == P && l[1].granule == P,
		  "unmap 2, NULL gather: 0x%" PRIx64 ", %zu events", u, n);
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 2 * P, P, 2, ORACLE_GATHER_QUEUED);
	kt_expect(&e, u == 2 * P && !oracle_tlb_log(o, &l), "unmap 2, queued: 0x%" PRIx64, u);
	/* stops at the first empty entry, with a WARN, returning what it did */
	w0 = kt_owarns(o);
	u = oracle_unmap_pages(o, 4 * P, P, 10, ORACLE_GATHER);
	kt_expect(&e, u == 4 * P && kt_owarns(o) == w0 + 1,
		  "unmap 10 over 4: 0x%" PRIx64 ", %lu WARNs", u, kt_owarns(o) - w0);
	/* stops at the table end without a WARN */
	w0 = kt_owarns(o);
	u = oracle_unmap_pages(o, T - 2 * P, P, 5, ORACLE_GATHER);
	kt_expect(&e, u == 2 * P && kt_owarns(o) == w0, "unmap across a table end: 0x%" PRIx64, u);
	/* no leaf table: WARN, 0; pgcount 0: WARN, 0; wrong pgsize: WARN, 0 */
	w0 = kt_owarns(o);
	u = oracle_unmap_pages(o, 4 * T, P, 1, ORACLE_GATHER);
	u += oracle_unmap_pages(o, 0, P, 0, ORACLE_GATHER);
	u += oracle_unmap_pages(o, 0, KT_4K, 1, ORACLE_GATHER);
	kt_expect(&e, u == 0 && kt_owarns(o) == w0 + 3,
		  "three refused unmaps: 0x%" PRIx64 ", %lu WARNs", u, kt_owarns(o) - w0);
	/* tables are never freed by unmaps */
	struct oracle_stats st;
	oracle_stats(o, &st);
	kt_expect(&e, st.live_blocks == 2 && st.frees == 0,
		  "root + 1 leaf table live after unmapping everything: %ld (%lu freed)",
		  st.live_blocks, st.frees);
	/* iova_to_phys: any non-zero entry; a map over a non-zero entry without
	 * VALID is no EEXIST */
	uint64_t fake = 0x0000000812345000ull; /* no VALID bit */
	uint64_t roots[4];
	oracle_roots(o, roots);
	uint64_t l2 = decode(false, kt_ord64(o, roots[0]));
	oracle_poke(o, l2 + 9 * 8, &fake, 8);
	kt_expect(&e, oracle_iova_to_phys(o, 9 * P + 7) == 0x812345007ull,
		  "entry without VALID translates: 0x%" PRIx64, oracle_iova_to_phys(o, 9 * P + 7));
	m = kt_omap(o, 9 * P, 0x400000000ull, P, 1, PGT_READ, &rc);
	kt_expect(&e, !rc && m == P, "map over an entry without VALID: rc %d", rc);
	/* no IOVA range check: 16K with ias 32 uses level-1 slots above 2^ias,
	 * and IOVA bits above the TTBR field are dropped */
	m = kt_omap(o, 1ull << 33, 0x500000000ull, P, 1, PGT_READ, &rc);
	kt_expect(&e,
		  !rc && m == P && oracle_iova_to_phys(o, (1ull << 33) + 1) == 0x500000001ull &&
			  kt_ord64(o, roots[0] + 256 * 8),
		  "map at 2^33 with ias 32: rc %d, level-1 slot 256 0x%" PRIx64, rc,
		  kt_ord64(o, roots[0] + 256 * 8));
	/* IOVA bits above the TTBR field: 6.12 drops them (the index is masked
	 * to the TTBRs there are), 7.3 refuses a TTBR index past them */
	m = kt_omap(o, (1ull << 40) | (16 * P), 0x600000000ull, P, 1, PGT_READ, &rc);
	if (v73())
		kt_expect(&e, rc == -ENOMEM && !oracle_iova_to_phys(o, 16 * P),
			  "map at 2^40 + 16 pages: rc %d (ENOMEM: TTBR index 16)", rc);
	else
		kt_expect(&e, !rc && oracle_iova_to_phys(o, 16 * P) == 0x600000000ull,
			  "map at 2^40 + 16 pages aliases iova 16 pages: 0x%" PRIx64,
			  oracle_iova_to_phys(o, 16 * P));
	long live = oracle_destroy(o);
	kt_expect(&e, !live, "teardown left %ld", live);
	kt_expect_tap(&e, what);
}

/* DART2 with 4K pages: leaf and table PAs lose bits 13:12. */
static void selfcheck_dart2_4k(void)
{
	const char *what = "oracle: DART2 with 4K pages loses PA bits 13:12 of leaves and tables "
			   "(formats.md §4.3), so leaf tables alias";
	struct kt_expect e = {0};
	int rc;
	struct oracle_cfg c;
	struct oracle *o = mk(ORACLE_APPLE_DART2, 0, KT_4K, 32, 42, true, &c);
	if (!kt_expect_oracle(&e, o, what))
		return;
	/* 4 roots at +0..+0x3000; the first leaf table lands at +0x4000
	 * (bits 13:12 clear), the second at +0x5000 */
	kt_omap(o, 0, 0x80003000ull, KT_4K, 1, PGT_READ | PGT_WRITE, &rc);
	uint64_t r0 = kt_ord64(o, oracle_root(o)), l2a = decode(true, r0);
	kt_expect(&e,
		  !rc && l2a == KBASE + 0x4000 && oracle_iova_to_phys(o, 0x123) == 0x80000123ull,
		  "a leaf for PA 0x80003000 translates to 0x%" PRIx64 " (PA bits 13:12 lost)",
		  oracle_iova_to_phys(o, 0x123));
	kt_omap(o, KT_2M + KT_4K, 0x90000000ull, KT_4K, 1, PGT_READ | PGT_WRITE, &rc);
	uint64_t r1 = kt_ord64(o, oracle_root(o) + 8);
	kt_expect(&e,
		  !rc && r1 == (((KBASE + 0x5000) >> 4) & DART2_ADDR) + 1 &&
			  decode(true, r1) == KBASE + 0x4000,
		  "the second leaf table, at 0x%" PRIx64 ": descriptor 0x%" PRIx64
		  " points to 0x%" PRIx64,
		  (uint64_t)(KBASE + 0x5000), r1, decode(true, r1));
	/* both level-1 slots now share the first table: iova 4K and 2M + 4K
	 * are the same entry */
	kt_expect(&e, oracle_iova_to_phys(o, 0x1005) == 0x90000005ull,
		  "iova 4K, never mapped, translates through the aliased table: 0x%" PRIx64,
		  oracle_iova_to_phys(o, 0x1005));
	/* free would free the first table twice (and never the second): take
	 * the aliasing descriptor out first, and the second table leaks */
	uint64_t zero = 0;
	oracle_poke(o, oracle_root(o) + 8, &zero, 8);
	long live = oracle_destroy(o);
	kt_expect(&e, live == 1, "after unhooking the alias, teardown leaves %ld block (want 1)",
		  live);
	kt_expect_tap(&e, what);
}

/* --- plan -------------------------------------------------------------------- */

/* The table levels below the TTBRs the kernel builds for pgsize and ias
 * (7.3's dart_alloc_pgtable(); 6.12 always two). */
static unsigned kernel_levels(uint64_t pgsize, unsigned ias)
{
	int ps = __builtin_ctzll(pgsize), bpl = ps - 3, max_tbl_bits = ps == 12 ? 2 : 0;
	int levels = ((int)ias - ps - max_tbl_bits + bpl - 1) / bpl;
	return v73() && levels > 2 ? (unsigned)levels : 2;
}

static void add_run(const struct kt_fmt *f, uint64_t quirks, uint64_t pgsize, unsigned ias,
		    unsigned oas, unsigned nops)
{
	const struct kt_cfg c = {quirks, pgsize, ias, oas, true, 0};
	struct kt_run *r = kt_add_run(f, &c, nops);
	r->kbase = KBASE;
	r->klen = KLEN;
	r->arena = ARENA;
	r->batch = (unsigned)(pgsize / 8);
	r->top = pgsize * r->batch; /* a leaf table's span */
	/* the window straddles a root boundary when there are several */
	unsigned bpl = (unsigned)__builtin_ctzll(pgsize) - 3;
	uint64_t root_span = 1ull << ((kernel_levels(pgsize, ias) + 1) * bpl + 3);
	r->wbase = (1ull << ias) > root_span ? root_span - 2 * r->top : KT_WINDOW_RANDOM;
	snprintf(r->label, sizeof(r->label), "%s pgsize %uK ias %u oas %u%s", f->name,
		 (unsigned)(pgsize >> 10), ias, oas, quirks ? " quirks (ignored)" : "");
}

static void plan(unsigned nops, bool quick)
{
	const struct kt_fmt *d1 = &dart_fmts[0], *d2 = &dart_fmts[1];
	add_run(d1, 0, KT_16K, 32, 36, nops);	  /* t8103 */
	add_run(d2, 0, KT_16K, 32, 42, nops);	  /* t6000 */
	add_run(d1, 0, KT_4K, 32, 36, nops / 2);  /* 4 TTBRs */
	add_run(d2, 0, KT_16K, 38, 42, nops / 2); /* 4 TTBRs */
	/* 7.3's third level: one TTBR with 16K pages, four with 4K */
	if (v73()) {
		add_run(d2, 0, KT_16K, 42, 42, nops / 2);
		add_run(d1, 0, KT_4K, 41, 42, nops / 2);
	}
	if (quick)
		return;
	if (v73())
		add_run(d1, 0, KT_4K, 33, 36, nops / 2);
	add_run(d1, 0, KT_4K, 30, 36, nops / 2);
	add_run(d1, 0, KT_4K, 31, 36, nops / 2);
	add_run(d1, 0, KT_16K, 36, 36, nops / 2);
	add_run(d1, 0, KT_16K, 37, 42, nops / 2); /* DART1 with PAs above its 36 bits */
	add_run(d2, 0, KT_16K, 36, 36, nops / 2);
	add_run(d2, PGT_QUIRK_ARM_NS, KT_16K, 24, 42, nops / 2);
}

static void grids(void)
{
	for (int i = 0; i < 2; i++) {
		const struct kt_grid g = {
			.f = &dart_fmts[i],
			.bitmaps = KT_U64S(KT_4K, KT_16K, KT_4K | KT_16K, KT_64K, 0, KT_4K | KT_2M,
					   KT_16K | KT_32M),
			.iass = KT_UINTS(12, 24, 30, 31, 32, 33, 36, 37, 38, 39, 42, 43),
			.oass = KT_UINTS(32, 35, 36, 40, 42, 44, 48),
			.quirks = KT_U64S(0, PGT_QUIRK_ARM_NS,
					  PGT_QUIRK_NO_PERMS | PGT_QUIRK_ARM_TTBR1),
			.kbase = KBASE,
			.arena = ARENA,
			.label = i ? "apple-dart2 alloc grid" : "apple-dart alloc grid",
		};
		kt_grid_run(&g);
	}
}

static void checks(void)
{
	selfcheck_alloc();
	selfcheck_ptes();
	selfcheck_ops();
	selfcheck_dart2_4k();
	grids();
}

int main(int argc, char **argv)
{
	static const struct kt_suite suite = {
		.seed = 0x64617274,
		.fmts = dart_fmts,
		.n_fmts = 2,
		.n_checks = 4 + 2, /* four self-checks, a grid for each format */
		.checks = checks,
		.plan = plan,
	};
	return kt_main(argc, argv, &suite);
}

// SPDX-License-Identifier: MIT
/*
 * Differential test of libpgt's arm-v7s against the real Linux 6.12 or 7.3
 * drivers/iommu/io-pgtable-arm-v7s.c (the kernel oracle), and checks that
 * the oracle reproduces the documented 6.12 behaviour (formats.md §3, §8.2),
 * including the kernel's own selftest.
 *
 * Where libpgt deliberately differs from 6.12 (formats.md §3.6), the kernel
 * is compared against the corrected expectation, not skipped: see
 * v7s_kernel_unmap() below.
 *
 * Output is TAP. Usage: t_kernel_v7s [-v] [-q] [-s SEED] [-n OPS]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_common.h"

#define FMT "arm-v7s"
#define ALL_SIZES (KT_4K | KT_64K | KT_1M | KT_16M)
#define RWC (PGT_READ | PGT_WRITE | PGT_CACHE)

/* Kernel table memory below 4 GiB (v7s tables must be), libpgt's elsewhere
 * below 4 GiB; with MTK_TTBR_EXT both above 4 GiB. */
#define KBASE 0x80000000ull
#define KLEN (1ull << 28)
#define ARENA 0x10000000ull
#define KBASE_HIGH 0x300000000ull   /* PA bits 33:32 = 3 */
#define ARENA_HIGH 0x500000000ull   /* PA bits 34, 32 */
#define ARENA_HIGH34 0x200000000ull /* PA bit 33: below 2^34 */

/* --- the format, from the kernel's facts ------------------------------------- */

#define TYPE_MASK 3u
#define CONT_SECTION (1u << 18)
#define MTK_BITS ((1u << 9) | (1u << 4) | (1u << 5))

static bool mtk(uint64_t quirks)
{
	return quirks & PGT_QUIRK_ARM_MTK_EXT;
}

static uint64_t mtk_pa(uint32_t pte)
{
	return (pte & (1u << 9) ? 1ull << 32 : 0) | (pte & (1u << 4) ? 1ull << 33 : 0) |
	       (pte & (1u << 5) ? 1ull << 34 : 0);
}

static uint32_t to_mtk(uint64_t pa)
{
	return (pa & (1ull << 32) ? 1u << 9 : 0) | (pa & (1ull << 33) ? 1u << 4 : 0) |
	       (pa & (1ull << 34) ? 1u << 5 : 0);
}

static bool is_table(uint32_t pte)
{
	return (pte & TYPE_MASK) == 1;
}

static bool is_valid(uint32_t pte)
{
	return (pte & TYPE_MASK) != 0;
}

/* iopte_to_paddr() */
static uint64_t table_pa(uint64_t quirks, uint32_t pte)
{
	return (pte & 0xfffffc00u) | (mtk(quirks) ? mtk_pa(pte) : 0);
}

/* iova_to_phys() of a leaf entry */
static uint64_t leaf_pa(uint64_t quirks, uint32_t pte, unsigned lvl, uint64_t iova)
{
	bool cont = lvl == 1 ? (pte & CONT_SECTION) != 0 : !(pte & 2);
	uint32_t mask = lvl == 1 ? 0xfff00000u : 0xfffff000u;
	if (cont)
		mask *= 16;
	return (pte & mask) | (mtk(quirks) ? mtk_pa(pte) : 0) |
	       (iova & ~(uint64_t)mask & 0xffffffffu);
}

/* Level 1: ias - 20 bits of 1M entries; level 2: 256 of 4K; 4-byte
 * descriptors. */
static void v7s_geometry(const struct kt_pair *p, unsigned mode, struct kt_geom *g)
{
	(void)mode;
	*g = (struct kt_geom){
		.n_levels = 2,
		.desc_bytes = 4,
		.n_roots = 1,
		.level = {{.label = 1, .shift = 20, .index_bits = p->kcfg.ias - 20},
			  {.label = 2, .shift = 12, .index_bits = 8}},
	};
}

/* ARM_V7S_PTE_IS_VALID/_IS_TABLE, ARM_V7S_CONT_SECTION, the large page's
 * type; iova_to_phys() for the PA. */
static enum kt_ent_kind v7s_classify(const struct kt_pair *p, const struct kt_level *l,
				     const uint8_t *table, uint64_t i, struct kt_ent *e,
				     uint64_t *next)
{
	(void)table;
	(void)i;
	uint64_t q = p->kcfg.quirks;
	uint32_t pte = (uint32_t)e->raw;
	if (!is_valid(pte))
		return KT_JUNK;
	if (l->label == 1 && is_table(pte)) {
		*next = table_pa(q, pte);
		return KT_TABLE;
	}
	if (l->label == 1 ? (pte & CONT_SECTION) != 0 : !(pte & 2)) {
		e->size = 16 * e->span; /* supersection, large page */
		e->count = 16;
	}
	e->pa = leaf_pa(q, pte, l->label, e->iova);
	return KT_LEAF;
}

static uint64_t v7s_table_addr_bits(const struct kt_pair *p)
{
	return 0xfffffc00u | (p->kcfg.quirks & PGT_QUIRK_ARM_MTK_TTBR_EXT ? MTK_BITS : 0);
}

/* "ttbr", "tcr", "nmrr", "prrr", values; ttbr holds the root, plainly
 * (root + attributes), or MTK's (u32)(root | root >> 32). */
static bool v7s_regs(struct kt_pair *p, char *msg, size_t len)
{
	pgt_addr lroot = 0;
	uint64_t kroot = oracle_root(p->k);
	pgt_table_roots(p->t, &lroot);
	uint32_t kttbr = p->kcfg.v7s.ttbr;
	bool ok = true;
	struct kt_reg_want w[] = {
		{"ttbr", NULL, KT_REG_ROOT, kttbr},
		{"tcr", NULL, KT_REG_VALUE, p->kcfg.v7s.tcr},
		{"nmrr", NULL, KT_REG_VALUE, p->kcfg.v7s.nmrr},
		{"prrr", NULL, KT_REG_VALUE, p->kcfg.v7s.prrr},
	};
	if (mtk(p->kcfg.quirks)) {
		/* not root-relative: the high bits fold into the low ones */
		w[0].rule = KT_REG_VALUE;
		w[0].value = (uint32_t)(lroot | lroot >> 32);
		if (kttbr != (uint32_t)(kroot | kroot >> 32)) {
			ok = false;
			kt_append(msg, len,
				  " [oracle: MTK ttbr 0x%08x is not (u32)(root | root >> 32)]",
				  kttbr);
		}
	}
	return kt_regs_match(p, w, KT_ARRAY_SIZE(w), msg, len) && ok;
}

/* --- the corrected expectation of the kernel's unmap -------------------------- */

static uint32_t kl1(struct kt_pair *p, uint64_t slot)
{
	uint32_t v = 0;
	const uint8_t *q = kt_kernel_ptr(p, oracle_root(p->k) + slot * 4, 4);
	if (q)
		memcpy(&v, q, 4);
	return v;
}

/*
 * After a kernel unmap call: every level-1 slot that held a section (or
 * was part of a supersection) before the call and holds a table now was
 * split by arm_v7s_split_blk_unmap(), whose 6.12 template has no address:
 * its pages map PA j * pgsize. libpgt keeps the section's PA (a deliberate
 * difference), so the kernel's new level-2 entries get the PA they should
 * have had, written into the kernel's memory: the corrected expectation.
 * Every non-zero entry of such a table came from the split (or from a
 * 64K-group split of it in the same call), so its address field holds
 * j * 4K < 1M and the section's PA is simply added.
 */
static void v7s_patch_splits(struct kt_pair *p, uint64_t s0, const uint32_t *snap, uint64_t n)
{
	uint64_t q = p->kcfg.quirks;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t slot = s0 + i;
		uint32_t was = snap[i], now = kl1(p, slot);
		if (!is_valid(was) || is_table(was) || !is_table(now))
			continue;
		uint32_t lo = was & 0xfff00000u;
		if (was & CONT_SECTION)
			lo += (uint32_t)(slot & 15) << 20; /* arm_v7s_split_cont() */
		uint64_t sect_pa = lo | (mtk(q) ? mtk_pa(was) : 0);
		uint64_t l2pa = table_pa(q, now);
		const uint8_t *l2 = kt_kernel_ptr(p, l2pa, 1024);
		if (!l2)
			continue;
		uint32_t e[256];
		memcpy(e, l2, sizeof(e));
		for (unsigned j = 0; j < 256; j++)
			if (e[j])
				e[j] = (e[j] + lo) | (mtk(q) ? to_mtk(sect_pa) : 0);
		oracle_poke(p->k, l2pa, e, sizeof(e));
		p->n_corrections++;
	}
}

/*
 * The kernel's unmap_pages with libpgt's two deliberate corrections of
 * 6.12 (formats.md §3.6) applied, so that everything else is still
 * compared with the kernel:
 *  1. section split: the split table's pages get the section's PA
 *     (v7s_patch_splits);
 *  2. 4K or 64K inside a supersection outside its first MiB: 6.12
 *     de-contiguifies the supersection (flush_walk(iova, 16M, 16M)), then
 *     its section-split CAS expects the group's first entry, finds another
 *     section and returns 0. libpgt does the correct thing, which is what
 *     the kernel does when called again on the now plain section: split it
 *     (add_page(iova, pgsize)) and carry on. So when the kernel stops at
 *     such a page, the oracle is called again from there, and the events
 *     of both calls, and their bytes, make the expectation.
 * GUESS at libpgt's future behaviour for (2): the same events in the same
 * order (the 16M flush_walk, then the split's add_page), as if 6.12's
 * split had worked.
 */
static uint64_t v7s_kernel_unmap(struct kt_pair *p, uint64_t iova, uint64_t pgsize,
				 uint64_t pgcount, enum oracle_gather g)
{
	/* 7.3 splits nothing: nothing to correct */
	if (pgsize >= KT_1M || kt_kernel() != PGT_KERNEL_6_12)
		return oracle_unmap_pages(p->k, iova, pgsize, pgcount, g);
	uint64_t n1 = 1ull << (p->kcfg.ias - 20);
	uint64_t done = 0, retried = UINT64_MAX;
	while (done < pgcount) {
		uint64_t at = iova + done * pgsize, left = pgcount - done;
		uint64_t s0 = at >> 20, s1 = (at + left * pgsize - 1) >> 20;
		if (s1 >= n1)
			s1 = n1 - 1;
		uint64_t n = s0 <= s1 ? s1 - s0 + 1 : 0;
		uint32_t *snap = calloc(n ? n : 1, sizeof(*snap));
		if (!snap)
			abort();
		for (uint64_t i = 0; i < n; i++)
			snap[i] = kl1(p, s0 + i);
		uint64_t r = oracle_unmap_pages(p->k, at, pgsize, left, g);
		v7s_patch_splits(p, s0, snap, n);
		done += r / pgsize;
		if (r == left * pgsize) {
			free(snap);
			break;
		}
		uint64_t it = at + r, slot = it >> 20;
		uint32_t was = slot >= s0 && slot - s0 < n ? snap[slot - s0] : 0,
			 now = kl1(p, slot);
		free(snap);
		if (it != retried && is_valid(was) && !is_table(was) && (was & CONT_SECTION) &&
		    (slot & 15) && is_valid(now) && !is_table(now) && !(now & CONT_SECTION)) {
			retried = it;
			p->n_continued++;
			continue;
		}
		break;
	}
	return done * pgsize;
}

/* --- the directed sequence ------------------------------------------------------ */

static void v7s_directed(struct kt_pair *p)
{
	const uint64_t top = p->top;
	const uint64_t pb = (p->pa_limit > 8 * top ? p->pa_limit - 8 * top : 0) & ~(top - 1);
	const enum oracle_gather g = ORACLE_GATHER;
	for (unsigned k = 0; k < p->n_sizes; k++) {
		const uint64_t S = p->sizes[k], r = k * top, pa = pb + k * top;
		if (r + top > p->wsize)
			break;
		/* a mapping, and every size over it: EEXIST */
		kt_do_map(p, kt_W(p, r), pa, S, 1, RWC);
		for (unsigned j = 0; j <= k; j++)
			kt_do_map(p, kt_W(p, r), pa, p->sizes[j], 1, PGT_READ);
		if (S == KT_16M) {
			/* a page outside a fresh supersection's first MiB: 6.12
			 * de-contiguifies and returns 0 (corrected, see above);
			 * 4K, then 64K on a fresh one again */
			kt_do_unmap(p, kt_W(p, r + 5 * KT_1M + KT_4K), KT_4K, 1, g);
			kt_do_unmap(p, kt_W(p, r), S, 1, g);
			kt_do_map(p, kt_W(p, r), pa, S, 1, RWC);
			if (kt_has(p, KT_64K)) {
				kt_do_unmap(p, kt_W(p, r + 7 * KT_1M), KT_64K, 2, g);
				kt_do_unmap(p, kt_W(p, r), S, 1, ORACLE_GATHER_NULL);
				kt_do_map(p, kt_W(p, r), pa, S, 1, RWC);
			}
		}
		if (S > p->granule) {
			const uint64_t G = p->granule;
			/* a page inside: 4K in 64K (group split), in a section (the
			 * 6.12 split that loses the PA), in a supersection's first
			 * MiB (group split, then section split) */
			kt_do_unmap(p, kt_W(p, r + G), G, 1, g);
			kt_do_map(p, kt_W(p, r + G), pa + G, G, 1, RWC);
			kt_do_unmap(p, kt_W(p, r + 3 * G), G, 2, ORACLE_GATHER_NULL);
			if (S == KT_16M && kt_has(p, KT_1M)) {
				/* whole sections of the former group */
				kt_do_unmap(p, kt_W(p, r + 9 * KT_1M), KT_1M, 1,
					    ORACLE_GATHER_QUEUED);
				kt_do_unmap(p, kt_W(p, r + 12 * KT_1M), KT_1M, 2, g);
			}
			if (S >= KT_1M && kt_has(p, KT_64K))
				kt_do_unmap(p, kt_W(p, r + S - KT_64K), KT_64K, 1,
					    ORACLE_GATHER_QUEUED);
			/* the whole page again: now holes and tables */
			kt_do_unmap(p, kt_W(p, r), S, 1, g);
			kt_do_unmap(p, kt_W(p, r), G, 1, g);
		}
		/* holes */
		kt_do_unmap(p, kt_W(p, r), S, 2, g);
		/* pages across a level-2 table's end, then a block over their tables:
		 * the tables are torn down (flush_walk) */
		kt_do_map(p, kt_W(p, r + KT_1M - 8 * p->granule), pa, p->granule, 260,
			  PGT_WRITE | PGT_MMIO);
		if (S >= KT_1M) {
			kt_do_map(p, kt_W(p, r), pa, S, 1, PGT_READ | PGT_PRIV);
			kt_do_unmap(p, kt_W(p, r), S, 1, ORACLE_GATHER_NULL);
		}
		kt_do_unmap(p, kt_W(p, r), p->granule, (2 * KT_1M) / p->granule, g);
		/* a table, an empty slot, then a section: the table is torn down
		 * before the section fails the supersection map with EEXIST */
		if (S == KT_16M && kt_has(p, KT_1M)) {
			kt_do_map(p, kt_W(p, r), pa, p->granule, 2, RWC);
			kt_do_map(p, kt_W(p, r + 2 * KT_1M), pa, KT_1M, 1, RWC);
			kt_do_map(p, kt_W(p, r), pa, KT_16M, 1, RWC);
			kt_do_unmap(p, kt_W(p, r + 2 * KT_1M), KT_1M, 1, g);
			kt_do_map(p, kt_W(p, r), pa, KT_16M, 1, RWC | PGT_NOEXEC);
			kt_do_unmap(p, kt_W(p, r), KT_16M, 1, g);
		}
	}
	kt_compare_structure(p, "after the directed sequence");
	kt_do_unmap(p, kt_W(p, 0), top, p->wsize / top, g);
}

static const struct kt_fmt v7s_fmt = {
	.name = FMT,
	.kf = ORACLE_ARM_V7S,
	.geometry = v7s_geometry,
	.classify = v7s_classify,
	.table_addr_bits = v7s_table_addr_bits,
	.compare_regs = v7s_regs,
	.kernel_unmap = v7s_kernel_unmap,
	.directed = v7s_directed,
	.warns_are_errors = true,
};

/* --- oracle self-checks: documented 6.12 behaviour ----------------------------- */

static struct oracle *mk(uint64_t quirks, uint64_t bitmap, unsigned ias, unsigned oas, bool coh,
			 uint64_t base, struct oracle_cfg *out)
{
	const struct kt_cfg c = {quirks, bitmap, ias, oas, coh, 0};
	return kt_oracle_new(ORACLE_ARM_V7S, &c, base, 1ull << 26, out);
}

/* The level-1 and level-2 entries of iova. */
static uint32_t ol1(struct oracle *o, uint64_t iova)
{
	return kt_ord32(o, oracle_root(o) + (iova >> 20) * 4);
}

static uint32_t ol2(struct oracle *o, uint64_t quirks, uint64_t iova)
{
	uint32_t t = ol1(o, iova);
	return is_table(t) ? kt_ord32(o, table_pa(quirks, t) + ((iova >> 12) & 255) * 4) : 0;
}

/* §3.3 reference values, the 16 identical copies, the 1M/4K address masks. */
static void selfcheck_values(void)
{
	struct kt_expect e = {0};
	int rc;
	for (int ns = 0; ns < 2; ns++) {
		uint64_t q = ns ? PGT_QUIRK_ARM_NS : 0;
		struct oracle *o = mk(q, ALL_SIZES, 32, 32, true, KBASE, NULL);
		kt_expect(&e, o, "alloc");
		if (!o)
			continue;
		kt_omap(o, 0x1000, 0x12345000, KT_4K, 1, RWC, &rc);
		kt_expect(&e, ol2(o, q, 0x1000) == (0x12345000u | 0xC7E), "small page RWC: 0x%x",
			  ol2(o, q, 0x1000));
		uint32_t tbl = ol1(o, 0);
		kt_expect(&e, (tbl & 0x3ff) == (ns ? 0x9u : 0x1u),
			  "table descriptor low bits 0x%x (NS_TABLE bit 3 %s)", tbl & 0x3ff,
			  ns ? "expected" : "not expected");
		kt_omap(o, 0x2000, 0x12346000, KT_4K, 1, RWC | PGT_NOEXEC, &rc);
		kt_expect(&e, (ol2(o, q, 0x2000) & 0xfff) == 0xC7F, "small page RWCX: 0x%x",
			  ol2(o, q, 0x2000));
		kt_omap(o, 0x10000, 0x22220000, KT_64K, 1, RWC, &rc);
		bool same = true;
		for (int i = 0; i < 16; i++)
			same &= ol2(o, q, 0x10000 + i * KT_4K) == (0x22220000u | 0x1C3D);
		kt_expect(&e, same, "large page RWC: 16 copies of 0x22221C3D, first 0x%x",
			  ol2(o, q, 0x10000));
		kt_expect(&e, oracle_iova_to_phys(o, 0x1f123) == 0x2222f123,
			  "large page iova_to_phys 0x%" PRIx64, oracle_iova_to_phys(o, 0x1f123));
		kt_omap(o, KT_1M, 0x40000000, KT_1M, 1, RWC, &rc);
		kt_expect(&e, ol1(o, KT_1M) == (0x40000000u | (ns ? 0xB1C0E : 0x31C0E)),
			  "section RWC%s: 0x%x", ns ? " NS" : "", ol1(o, KT_1M));
		kt_omap(o, 2 * KT_1M, 0x40100000, KT_1M, 1, PGT_READ, &rc);
		kt_expect(&e, (ol1(o, 2 * KT_1M) & 0xfffff) == (ns ? 0xB9C02u : 0x39C02u),
			  "section R: 0x%x", ol1(o, 2 * KT_1M));
		kt_omap(o, 3 * KT_1M, 0x40200000, KT_1M, 1, PGT_WRITE, &rc);
		kt_expect(&e, (ol1(o, 3 * KT_1M) & 0xfffff) == (ns ? 0xB1C02u : 0x31C02u),
			  "section W only is read/write (AP2 clear): 0x%x", ol1(o, 3 * KT_1M));
		kt_omap(o, 4 * KT_1M, 0x40300000, KT_1M, 1,
			PGT_READ | PGT_WRITE | PGT_MMIO | PGT_PRIV | PGT_NOEXEC, &rc);
		kt_expect(&e, (ol1(o, 4 * KT_1M) & 0xfffff) == (ns ? 0xB0416u : 0x30416u),
			  "section RW|MMIO|PRIV|NOEXEC: 0x%x", ol1(o, 4 * KT_1M));
		kt_omap(o, KT_16M, 0x51000000, KT_16M, 1, RWC, &rc);
		same = true;
		for (int i = 0; i < 16; i++)
			same &= ol1(o, KT_16M + i * KT_1M) ==
				(0x51000000u | (ns ? 0xF1C0E : 0x71C0E));
		kt_expect(&e, same, "supersection RWC%s: 16 copies, first 0x%x", ns ? " NS" : "",
			  ol1(o, KT_16M));
		kt_expect(&e, oracle_iova_to_phys(o, KT_16M + 0xabcdef) == 0x51abcdef,
			  "supersection iova_to_phys 0x%" PRIx64,
			  oracle_iova_to_phys(o, KT_16M + 0xabcdef));
		/* misaligned PAs leak into the descriptor (masked at 1M/4K only) */
		kt_omap(o, 2 * KT_16M, 0x61100000, KT_16M, 1, RWC, &rc);
		kt_expect(&e,
			  (ol1(o, 2 * KT_16M) & 0xfff00000u) == 0x61100000u &&
				  oracle_iova_to_phys(o, 2 * KT_16M + 5) == 0x61000005,
			  "supersection at PA 0x61100000: entry 0x%x, iova_to_phys 0x%" PRIx64,
			  ol1(o, 2 * KT_16M), oracle_iova_to_phys(o, 2 * KT_16M + 5));
		kt_omap(o, 0x40000, 0x7000b000, KT_64K, 1, RWC, &rc);
		kt_expect(&e, ol2(o, q, 0x40000) == (0x70000000u | 0x1C3D | 0xb000),
			  "large page at PA 0x7000b000: PA bits 15:12 land in XN/TEX: 0x%x",
			  ol2(o, q, 0x40000));
		/* pgsize is not checked: 2M makes two "supersection" entries */
		unsigned long w0 = kt_owarns(o);
		kt_omap(o, 3 * KT_16M, 0x62000000, KT_2M, 1, RWC, &rc);
		kt_expect(&e,
			  !rc && (ol1(o, 3 * KT_16M) & CONT_SECTION) &&
				  (ol1(o, 3 * KT_16M + KT_1M) & CONT_SECTION) &&
				  !ol1(o, 3 * KT_16M + 2 * KT_1M) && kt_owarns(o) == w0,
			  "a 2M map: rc %d, entries 0x%x 0x%x 0x%x", rc, ol1(o, 3 * KT_16M),
			  ol1(o, 3 * KT_16M + KT_1M), ol1(o, 3 * KT_16M + 2 * KT_1M));
		kt_expect(&e, !oracle_destroy(o), "leak");
	}
	/* NO_PERMS */
	uint64_t q = PGT_QUIRK_NO_PERMS;
	struct oracle *o = mk(q, ALL_SIZES, 32, 32, true, KBASE, NULL);
	kt_expect(&e, o, "alloc NO_PERMS");
	if (o) {
		kt_omap(o, 0x1000, 0, KT_4K, 1, RWC | PGT_NOEXEC, &rc);
		kt_expect(&e, ol2(o, q, 0x1000) == 0xC4E, "NO_PERMS small page RWCX: 0x%x",
			  ol2(o, q, 0x1000));
		kt_omap(o, 0x10000, 0, KT_64K, 1, RWC | PGT_NOEXEC, &rc);
		kt_expect(&e, ol2(o, q, 0x10000) == 0x1C0D, "NO_PERMS large page RWCX: 0x%x",
			  ol2(o, q, 0x10000));
		kt_expect(&e, !oracle_destroy(o), "leak");
	}
	kt_expect_tap(&e, "oracle: v7s descriptors are formats.md §3.2/§3.3's reference values");
}

/* §3.1 limits and §3.4 registers. */
static void selfcheck_alloc(void)
{
	struct kt_expect e = {0};
	struct oracle_cfg c;
	struct oracle *o = mk(0, ALL_SIZES, 32, 32, true, KBASE, &c);
	kt_expect(&e,
		  o && c.v7s.ttbr == (uint32_t)oracle_root(o) + 0x6A && c.v7s.tcr == 0 &&
			  c.v7s.prrr == 0x800B8204 && c.v7s.nmrr == 0x40004000,
		  "coherent: ttbr 0x%x tcr 0x%x prrr 0x%x nmrr 0x%x", c.v7s.ttbr, c.v7s.tcr,
		  c.v7s.prrr, c.v7s.nmrr);
	oracle_destroy(o);
	o = mk(0, ALL_SIZES, 32, 32, false, KBASE, &c);
	kt_expect(&e, o && c.v7s.ttbr == (uint32_t)oracle_root(o) + 0x02, "non-coherent: ttbr 0x%x",
		  c.v7s.ttbr);
	oracle_destroy(o);
	uint64_t mq = PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_NO_PERMS | PGT_QUIRK_ARM_MTK_TTBR_EXT;
	o = mk(mq, ALL_SIZES, 34, 35, true, KBASE_HIGH, &c);
	kt_expect(&e,
		  o && oracle_root(o) >= (1ull << 32) &&
			  c.v7s.ttbr == (uint32_t)(oracle_root(o) | oracle_root(o) >> 32),
		  "MTK ttbr 0x%x for root 0x%" PRIx64, c.v7s.ttbr, o ? oracle_root(o) : 0);
	oracle_destroy(o);
	/* refusals */
	const struct {
		uint64_t q, bm;
		unsigned ias, oas;
		uint64_t base;
		bool ok;
		const char *what;
	} cases[] = {
		{0, ALL_SIZES, 33, 32, KBASE, false, "ias 33"},
		{0, ALL_SIZES, 32, 33, KBASE, false, "oas 33"},
		{0, ALL_SIZES, 20, 24, KBASE, true, "ias 20 oas 24"},
		{PGT_QUIRK_ARM_MTK_EXT, ALL_SIZES, 32, 32, KBASE, false,
		 "MTK_EXT without NO_PERMS"},
		{PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_NO_PERMS, ALL_SIZES, 34, 35, KBASE, true,
		 "MTK_EXT ias 34 oas 35"},
		{PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_NO_PERMS, ALL_SIZES, 35, 35, KBASE, false,
		 "MTK_EXT ias 35"},
		{PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_NO_PERMS, ALL_SIZES, 34, 36, KBASE, false,
		 "MTK_EXT oas 36"},
		{PGT_QUIRK_ARM_MTK_TTBR_EXT, ALL_SIZES, 32, 32, KBASE, false,
		 "MTK_TTBR_EXT without MTK_EXT"},
		{PGT_QUIRK_ARM_TTBR1, ALL_SIZES, 32, 32, KBASE, false, "ARM_TTBR1 (not listed)"},
		{0, ALL_SIZES, 32, 32, KBASE_HIGH, false, "tables above 4 GiB"},
		{mq, ALL_SIZES, 34, 33, KBASE_HIGH, false, "MTK_TTBR_EXT tables above 2^oas"},
		{mq, ALL_SIZES, 34, 34, KBASE_HIGH, true, "MTK_TTBR_EXT tables below 2^oas"},
		{0, 0, 32, 32, KBASE, true, "an empty bitmap"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = mk(cases[i].q, cases[i].bm, cases[i].ias, cases[i].oas, true, cases[i].base,
		       &c);
		kt_expect(&e, !!o == cases[i].ok, "%s: kernel %s", cases[i].what,
			  o ? "accepts" : "refuses");
		if (o)
			kt_expect(&e, !oracle_destroy(o), "%s: leak", cases[i].what);
	}
	o = mk(0, KT_4K | KT_2M | KT_16M | KT_1G, 32, 32, true, KBASE, &c);
	kt_expect(&e, o && c.pgsize_bitmap == (KT_4K | KT_16M),
		  "bitmap 4K|2M|16M|1G narrowed to 0x%" PRIx64, c.pgsize_bitmap);
	oracle_destroy(o);
	kt_expect_tap(&e, "oracle: v7s limits and registers are formats.md §3.1/§3.4's");
}

/* 7.3 refuses an unmap of part of a section, supersection or large page:
 * 0, a WARN, no TLB call, the table as it was. */
static void expect_refused(struct kt_expect *e, struct oracle *o, uint64_t iova, uint64_t pgsize,
			   enum oracle_gather g, const char *what)
{
	uint64_t before = oracle_iova_to_phys(o, iova);
	unsigned long w0 = kt_owarns(o);
	oracle_tlb_clear(o);
	uint64_t u = oracle_unmap_pages(o, iova, pgsize, 1, g);
	kt_expect(e,
		  u == 0 && kt_owarns(o) == w0 + 1 && !*kt_olog(o) &&
			  oracle_iova_to_phys(o, iova) == before,
		  "%s: refused with a WARN: 0x%" PRIx64 ", events %s", what, u, kt_olog(o));
}

/* §3.6: the consequences of 6.12's unmap, confirmed (7.3 refuses each
 * partial unmap instead); §7's v7s column. */
static void selfcheck_unmap(void)
{
	const bool splits = kt_kernel() == PGT_KERNEL_6_12;
	const char *what = splits ? "oracle: v7s map/unmap as formats.md §3.5/§3.6/§7 (6.12 split "
				    "bugs included)"
				  : "oracle: v7s map/unmap as formats.md §3.5/§7, partial unmaps "
				    "refused (7.3)";
	struct kt_expect e = {0};
	int rc;
	uint64_t u;
	unsigned long w0;
	struct oracle_stats st;
	struct oracle *o = mk(0, ALL_SIZES, 32, 32, true, KBASE, NULL);
	if (!kt_expect_oracle(&e, o, what))
		return;
	kt_omap(o, KT_16M, 0x40000000, KT_16M, 1, RWC, &rc);
	kt_omap(o, 2 * KT_16M, 0x50000000, KT_16M, 1, RWC, &rc);
	kt_omap(o, 3 * KT_16M, 0x60000000, KT_16M, 1, RWC, &rc);
	kt_omap(o, 4 * KT_16M, 0x70000000, KT_1M, 1, RWC, &rc);
	kt_omap(o, 5 * KT_16M, 0x70100000, KT_1M, 1, RWC, &rc);
	kt_omap(o, 6 * KT_16M, 0x71230000, KT_64K, 1, RWC, &rc);
	if (!splits) {
		expect_refused(&e, o, KT_16M + KT_4K, KT_4K, ORACLE_GATHER,
			       "4K in a supersection's first MiB");
		expect_refused(&e, o, 2 * KT_16M + KT_1M + KT_4K, KT_4K, ORACLE_GATHER,
			       "4K in a supersection outside its first MiB");
		expect_refused(&e, o, 3 * KT_16M + 2 * KT_1M, KT_64K, ORACLE_GATHER,
			       "64K in a supersection");
		expect_refused(&e, o, 3 * KT_16M + 2 * KT_1M, KT_1M, ORACLE_GATHER,
			       "1M in a supersection");
		expect_refused(&e, o, 4 * KT_16M + KT_4K, KT_4K, ORACLE_GATHER_NULL,
			       "4K in a section, NULL gather");
		expect_refused(&e, o, 5 * KT_16M + KT_64K, KT_64K, ORACLE_GATHER_QUEUED,
			       "64K in a section, queued gather");
		expect_refused(&e, o, 6 * KT_16M + KT_4K, KT_4K, ORACLE_GATHER, "4K in a 64K page");
		/* the 64K page, whole: its 16 entries, add_page for each */
		oracle_tlb_clear(o);
		u = oracle_unmap_pages(o, 6 * KT_16M, KT_64K, 1, ORACLE_GATHER);
		kt_expect(&e, u == KT_64K && oracle_tlb_log(o, &(const struct oracle_tlb *){0}) == 16,
			  "the 64K page whole: 0x%" PRIx64 ", events %s", u, kt_olog(o));
		/* what the checks below need: the 64K page's table with 15 pages
		 * and a hole at the second (6.12 leaves it so) */
		kt_omap(o, 6 * KT_16M, 0x71230000, KT_4K, 1, RWC, &rc);
		kt_omap(o, 6 * KT_16M + 2 * KT_4K, 0x71232000, KT_4K, 14, RWC, &rc);
		goto group_with_a_hole;
	}
	/* 4K inside a supersection, first MiB */
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, KT_16M + KT_4K, KT_4K, 1, ORACLE_GATHER);
	kt_expect(&e,
		  u == KT_4K && !strcmp(kt_olog(o), "W(1001000,1000000,1000000) A(1001000,1000)"),
		  "4K in a supersection's first MiB: %" PRIx64 ", events %s", u, kt_olog(o));
	kt_expect(&e,
		  oracle_iova_to_phys(o, KT_16M + 0x2123) == 0x2123 && !ol2(o, 0, KT_16M + KT_4K) &&
			  ol2(o, 0, KT_16M + 2 * KT_4K) == (0x2000 | 0xC7E) &&
			  oracle_iova_to_phys(o, KT_16M + KT_1M + 5) == 0x40100005 &&
			  !(ol1(o, KT_16M + KT_1M) & CONT_SECTION),
		  "after it: the MiB's pages map PA 0 + offset (0x%" PRIx64 "), the other MiBs "
		  "are sections (0x%" PRIx64 ")",
		  oracle_iova_to_phys(o, KT_16M + 0x2123),
		  oracle_iova_to_phys(o, KT_16M + KT_1M + 5));
	/* 4K inside a supersection, outside its first MiB */
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 2 * KT_16M + KT_1M + KT_4K, KT_4K, 1, ORACLE_GATHER);
	bool sections = true;
	for (int i = 0; i < 16; i++)
		sections &= ol1(o, 2 * KT_16M + i * KT_1M) ==
			    ((0x50000000u + i * (uint32_t)KT_1M) | 0x31C0E);
	kt_expect(&e,
		  u == 0 && !strcmp(kt_olog(o), "W(2101000,1000000,1000000)") && sections &&
			  oracle_iova_to_phys(o, 2 * KT_16M + KT_1M + KT_4K) == 0x50101000,
		  "4K in a supersection outside its first MiB: %" PRIx64
		  ", events %s, 16 sections %d",
		  u, kt_olog(o), sections);
	/* 64K likewise: returns 0 too */
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 3 * KT_16M + 2 * KT_1M, KT_64K, 1, ORACLE_GATHER);
	kt_expect(&e, u == 0 && !strcmp(kt_olog(o), "W(3200000,1000000,1000000)"),
		  "64K in a supersection outside its first MiB: %" PRIx64 ", events %s", u,
		  kt_olog(o));
	/* 4K in a plain section, NULL gather: add_page all the same */
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 4 * KT_16M + KT_4K, KT_4K, 1, ORACLE_GATHER_NULL);
	kt_expect(&e,
		  u == KT_4K && !strcmp(kt_olog(o), "A(4001000,1000)") &&
			  oracle_iova_to_phys(o, 4 * KT_16M + 0x2008) == 0x2008 &&
			  ol2(o, 0, 4 * KT_16M + 0x2000) == (0x2000 | 0xC7E),
		  "4K in a section, NULL gather: %" PRIx64 ", events %s, PA 0x%" PRIx64, u,
		  kt_olog(o), oracle_iova_to_phys(o, 4 * KT_16M + 0x2008));
	/* 64K in a plain section, queued gather: add_page all the same */
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 5 * KT_16M + KT_64K, KT_64K, 1, ORACLE_GATHER_QUEUED);
	kt_expect(&e,
		  u == KT_64K && !strcmp(kt_olog(o), "A(5010000,10000)") &&
			  oracle_iova_to_phys(o, 5 * KT_16M + 0x20010) == 0x20010 &&
			  ol2(o, 0, 5 * KT_16M + 0x20000) == (0x20000 | 0x1C3D) &&
			  !ol2(o, 0, 5 * KT_16M + 0x10000),
		  "64K in a section, queued gather: %" PRIx64 ", events %s, PA 0x%" PRIx64, u,
		  kt_olog(o), oracle_iova_to_phys(o, 5 * KT_16M + 0x20010));
	/* 4K in a 64K large page: kept right */
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 6 * KT_16M + KT_4K, KT_4K, 1, ORACLE_GATHER);
	kt_expect(&e,
		  u == KT_4K && !strcmp(kt_olog(o), "W(6001000,10000,10000) A(6001000,1000)") &&
			  oracle_iova_to_phys(o, 6 * KT_16M + 0x2008) == 0x71232008 &&
			  ol2(o, 0, 6 * KT_16M + 0xf000) == (0x7123f000u | 0xC7E),
		  "4K in a 64K page: %" PRIx64 ", events %s", u, kt_olog(o));
group_with_a_hole:
	/* a 64K unmap over the now broken group: a hole, WARN, 0 */
	w0 = kt_owarns(o);
	u = oracle_unmap_pages(o, 6 * KT_16M, KT_64K, 1, ORACLE_GATHER);
	kt_expect(&e, u == 0 && kt_owarns(o) == w0 + 1,
		  "64K unmap over a group with a hole: %" PRIx64 ", %lu WARNs", u,
		  kt_owarns(o) - w0);
	/* level-2 tables are never freed by unmaps */
	oracle_stats(o, &st);
	long slab0 = st.slab_live;
	u = oracle_unmap_pages(o, 6 * KT_16M, KT_4K, 1, ORACLE_GATHER);
	for (int i = 2; i < 16; i++)
		u += oracle_unmap_pages(o, 6 * KT_16M + i * KT_4K, KT_4K, 1, ORACLE_GATHER);
	oracle_stats(o, &st);
	kt_expect(&e, u == 15 * KT_4K && st.slab_live == slab0 && ol1(o, 6 * KT_16M),
		  "emptied level-2 table: unmapped 0x%" PRIx64 ", tables %ld -> %ld", u, slab0,
		  st.slab_live);
	/* full supersection: 16 add_page of 1M; queued: none */
	kt_omap(o, 7 * KT_16M, 0x72000000, KT_16M, 1, RWC, &rc);
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 7 * KT_16M, KT_16M, 1, ORACLE_GATHER_NULL);
	const struct oracle_tlb *l;
	size_t n = oracle_tlb_log(o, &l);
	bool inc = n == 16;
	for (size_t i = 0; inc && i < 16; i++)
		inc = l[i].kind == ORACLE_TLB_ADD_PAGE && l[i].iova == 7 * KT_16M + i * KT_1M &&
		      l[i].granule == KT_1M;
	kt_expect(&e, u == KT_16M && inc,
		  "whole supersection, NULL gather: %" PRIx64 ", %zu events %s", u, n, kt_olog(o));
	kt_omap(o, 7 * KT_16M, 0x72000000, KT_16M, 1, RWC, &rc);
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 7 * KT_16M, KT_16M, 1, ORACLE_GATHER_QUEUED);
	kt_expect(&e, u == KT_16M && !oracle_tlb_log(o, &l),
		  "whole supersection, queued gather: %" PRIx64 ", events %s", u, kt_olog(o));
	/* a section over a level-2 table: flush_walk, the table freed */
	kt_omap(o, 8 * KT_16M, 0x1000, KT_4K, 1, RWC, &rc);
	oracle_stats(o, &st);
	slab0 = st.slab_live;
	oracle_tlb_clear(o);
	kt_omap(o, 8 * KT_16M, 0x73000000, KT_1M, 1, RWC, &rc);
	oracle_stats(o, &st);
	kt_expect(&e,
		  !rc && !strcmp(kt_olog(o), "W(8000000,100000,1000)") && st.slab_live == slab0 - 1,
		  "section over a table: rc %d, events %s, tables %ld -> %ld", rc, kt_olog(o),
		  slab0, st.slab_live);
	/* a supersection over a table, an empty slot and a section: the table
	 * goes, then EEXIST with a WARN */
	kt_omap(o, 9 * KT_16M, 0x1000, KT_4K, 1, RWC, &rc);
	kt_omap(o, 9 * KT_16M + 2 * KT_1M, 0x74000000, KT_1M, 1, RWC, &rc);
	oracle_tlb_clear(o);
	w0 = kt_owarns(o);
	kt_omap(o, 9 * KT_16M, 0x75000000, KT_16M, 1, RWC, &rc);
	kt_expect(&e,
		  rc == -EEXIST && kt_owarns(o) == w0 + 1 &&
			  !strcmp(kt_olog(o), "W(9000000,100000,1000)") && !ol1(o, 9 * KT_16M) &&
			  ol1(o, 9 * KT_16M + 2 * KT_1M),
		  "supersection over table+section: rc %d, events %s", rc, kt_olog(o));
	/* 4K under a section: EEXIST; map range and prot */
	w0 = kt_owarns(o);
	kt_omap(o, 9 * KT_16M + 2 * KT_1M, 0, KT_4K, 1, RWC, &rc);
	kt_expect(&e, rc == -EEXIST && kt_owarns(o) == w0 + 1, "4K under a section: rc %d", rc);
	w0 = kt_owarns(o);
	kt_omap(o, 1ull << 32, 0, KT_4K, 1, RWC, &rc);
	kt_expect(&e, rc == -ERANGE && kt_owarns(o) == w0 + 1, "iova 2^32: rc %d", rc);
	w0 = kt_owarns(o);
	uint64_t m = kt_omap(o, 10 * KT_16M, 0, KT_4K, 1, PGT_CACHE, &rc);
	kt_expect(&e, rc == -EINVAL && kt_owarns(o) == w0 && !m, "prot without R/W: rc %d", rc);
	/* v7s maps all pgcount pages, across level-2 tables */
	m = kt_omap(o, 10 * KT_16M + KT_1M - 2 * KT_4K, 0x100000, KT_4K, 300, RWC, &rc);
	kt_expect(&e, !rc && m == 300 * KT_4K,
		  "300 pages across a table end: rc %d mapped 0x%" PRIx64, rc, m);
	/* unmap stops at the first hole, counting whole pages */
	w0 = kt_owarns(o);
	u = oracle_unmap_pages(o, 10 * KT_16M + KT_1M - 2 * KT_4K, KT_4K, 400, ORACLE_GATHER);
	kt_expect(&e, u == 300 * KT_4K && kt_owarns(o) == w0 + 1,
		  "unmap of 400 over 300: 0x%" PRIx64 ", %lu WARNs", u, kt_owarns(o) - w0);
	/* free: flush_all once, nothing leaked */
	long live = oracle_destroy(o);
	kt_expect(&e, live == 0, "teardown left %ld blocks", live);
	kt_expect_tap(&e, what);
}

/* §8.2: the kernel's own selftest, and its sequence replayed. */
static void selfcheck_selftest(void)
{
	const char *what = "oracle: formats.md §8.2's selftest sequence, replayed, with its events";
	struct oracle_stats st;
	int rc = oracle_v7s_selftest(KBASE, &st);
	st.last_msg[strcspn(st.last_msg, "\n")] = 0;
	kt_tap(!rc && !st.warns && !st.live_blocks && !st.slab_live &&
		       strstr(st.last_msg, "self test ok"),
	       "oracle: the kernel's own v7s selftest (arm_v7s_do_selftests) passes: rc %d, %lu "
	       "WARNs%s%s, last message \"%.60s\", %ld blocks and %ld level-2 tables left",
	       rc, st.warns, st.warns ? " " : "", st.warns ? st.last_warn : "", st.last_msg,
	       st.live_blocks, st.slab_live);

	struct kt_expect e = {0};
	uint64_t q = PGT_QUIRK_ARM_NS;
	struct oracle *o = mk(q, ALL_SIZES, 32, 32, true, KBASE, NULL);
	if (!kt_expect_oracle(&e, o, what))
		return;
	kt_expect(&e,
		  !oracle_iova_to_phys(o, 42) && !oracle_iova_to_phys(o, KT_1G + 42) &&
			  !oracle_iova_to_phys(o, 2 * KT_1G + 42),
		  "empty table translates");
	const uint64_t sizes[] = {KT_4K, KT_64K, KT_1M, KT_16M};
	const unsigned rwxc = PGT_READ | PGT_WRITE | PGT_NOEXEC | PGT_CACHE;
	uint64_t iova = 0;
	for (int i = 0; i < 4; i++, iova += KT_16M) {
		kt_omap(o, iova, iova, sizes[i], 1, rwxc, &rc);
		kt_expect(&e, !rc, "map 0x%" PRIx64 " at 0x%" PRIx64 ": %d", sizes[i], iova, rc);
		kt_omap(o, iova, iova + sizes[i], sizes[i], 1, PGT_READ | PGT_NOEXEC, &rc);
		kt_expect(&e, rc, "overlapping map 0x%" PRIx64 " at 0x%" PRIx64 " succeeded",
			  sizes[i], iova);
		kt_expect(&e, oracle_iova_to_phys(o, iova + 42) == iova + 42,
			  "translate 0x%" PRIx64, iova);
	}
	/* 6.12's selftest unmaps 4K inside each larger page and maps it
	 * again; 7.3's has no partial unmaps (the kernel refuses them) */
	const bool splits = kt_kernel() == PGT_KERNEL_6_12;
	for (int i = 1; splits && i < 4; i++) {
		uint64_t s = i * KT_16M;
		uint64_t u = oracle_unmap_pages(o, s + KT_4K, KT_4K, 1, ORACLE_GATHER_NULL);
		kt_expect(&e, u == KT_4K, "partial unmap at 0x%" PRIx64 ": 0x%" PRIx64, s + KT_4K,
			  u);
		kt_omap(o, s + KT_4K, KT_4K, KT_4K, 1, PGT_READ, &rc);
		kt_expect(&e, !rc && oracle_iova_to_phys(o, s + KT_4K + 42) == KT_4K + 42,
			  "remap at 0x%" PRIx64 ": rc %d", s + KT_4K, rc);
	}
	const char *want_612[] = {
		"A(0,1000)",
		"A(1000000,1000) A(1001000,1000) A(1002000,1000) A(1003000,1000) A(1004000,1000) "
		"A(1005000,1000) A(1006000,1000) A(1007000,1000) A(1008000,1000) A(1009000,1000) "
		"A(100a000,1000) A(100b000,1000) A(100c000,1000) A(100d000,1000) A(100e000,1000) "
		"A(100f000,1000)",
		"W(2000000,100000,1000)",
		"W(3000000,100000,1000) A(3100000,100000) A(3200000,100000) A(3300000,100000) "
		"A(3400000,100000) A(3500000,100000) A(3600000,100000) A(3700000,100000) "
		"A(3800000,100000) A(3900000,100000) A(3a00000,100000) A(3b00000,100000) "
		"A(3c00000,100000) A(3d00000,100000) A(3e00000,100000) A(3f00000,100000)",
	};
	/* 7.3: each page as it was mapped */
	const char *want_73[] = {
		"A(0,1000)",
		"A(1000000,1000) A(1001000,1000) A(1002000,1000) A(1003000,1000) A(1004000,1000) "
		"A(1005000,1000) A(1006000,1000) A(1007000,1000) A(1008000,1000) A(1009000,1000) "
		"A(100a000,1000) A(100b000,1000) A(100c000,1000) A(100d000,1000) A(100e000,1000) "
		"A(100f000,1000)",
		"A(2000000,100000)",
		"A(3000000,100000) A(3100000,100000) A(3200000,100000) A(3300000,100000) "
		"A(3400000,100000) A(3500000,100000) A(3600000,100000) A(3700000,100000) "
		"A(3800000,100000) A(3900000,100000) A(3a00000,100000) A(3b00000,100000) "
		"A(3c00000,100000) A(3d00000,100000) A(3e00000,100000) A(3f00000,100000)",
	};
	const char *const *want = splits ? want_612 : want_73;
	iova = 0;
	for (int i = 0; i < 4; i++, iova += KT_16M) {
		oracle_tlb_clear(o);
		uint64_t u = oracle_unmap_pages(o, iova, sizes[i], 1, ORACLE_GATHER_NULL);
		kt_expect(&e, u == sizes[i] && !strcmp(kt_olog(o), want[i]),
			  "full unmap of 0x%" PRIx64 " at 0x%" PRIx64 ": 0x%" PRIx64 ", events %s",
			  sizes[i], iova, u, kt_olog(o));
		kt_expect(&e, !oracle_iova_to_phys(o, iova + 42), "0x%" PRIx64 " unmapped", iova);
		kt_omap(o, iova, iova, sizes[i], 1, PGT_WRITE, &rc);
		kt_expect(&e, !rc && oracle_iova_to_phys(o, iova + 42) == iova + 42,
			  "remap W at 0x%" PRIx64 ": %d", iova, rc);
	}
	oracle_tlb_clear(o);
	long live = oracle_destroy(o);
	kt_expect(&e, !live, "leak %ld", live);
	kt_expect_tap(&e, what);
}

/* --- plan ---------------------------------------------------------------------- */

static void add_run(uint64_t quirks, uint64_t bitmap, unsigned ias, unsigned oas, bool coh,
		    uint64_t kbase, uint64_t arena, unsigned nops)
{
	const struct kt_cfg c = {quirks, bitmap, ias, oas, coh, 0};
	struct kt_run *r = kt_add_run(&v7s_fmt, &c, nops);
	r->kbase = kbase;
	r->klen = KLEN;
	r->arena = arena;
	r->batch = 256;
	char qs[96];
	kt_quirk_names(quirks, qs, sizeof(qs));
	snprintf(r->label, sizeof(r->label), "%s pgsizes 0x%" PRIx64 " ias %u oas %u%s%s%s%s", FMT,
		 bitmap, ias, oas, coh ? "" : " non-coherent", qs[0] ? " quirks " : "", qs,
		 kbase >= (1ull << 32) ? " tables above 4G" : "");
}

static void plan(unsigned nops, bool quick)
{
	const uint64_t mq = PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_NO_PERMS;
	/* the kernel selftest's configuration */
	add_run(PGT_QUIRK_ARM_NS, ALL_SIZES, 32, 32, true, KBASE, ARENA, nops);
	add_run(0, ALL_SIZES, 32, 32, true, KBASE, ARENA, nops);
	add_run(0, ALL_SIZES, 32, 32, false, KBASE, ARENA, nops / 2);
	add_run(PGT_QUIRK_NO_PERMS, ALL_SIZES, 32, 32, true, KBASE, ARENA, nops / 2);
	add_run(mq, ALL_SIZES, 34, 35, true, KBASE, ARENA, nops / 2);
	add_run(mq | PGT_QUIRK_ARM_MTK_TTBR_EXT, ALL_SIZES, 34, 35, false, KBASE_HIGH, ARENA_HIGH,
		nops / 2);
	if (quick)
		return;
	add_run(0, KT_4K | KT_64K | KT_1M, 32, 32, true, KBASE, ARENA, nops / 2);
	add_run(0, KT_4K | KT_1M, 28, 30, true, KBASE, ARENA, nops / 2);
	add_run(PGT_QUIRK_ARM_NS | PGT_QUIRK_NO_PERMS, ALL_SIZES, 26, 32, true, KBASE, ARENA,
		nops / 2);
	add_run(mq | PGT_QUIRK_ARM_NS, KT_4K | KT_64K | KT_16M, 33, 34, true, KBASE, ARENA,
		nops / 2);
	add_run(mq | PGT_QUIRK_ARM_MTK_TTBR_EXT, ALL_SIZES, 32, 34, true, KBASE_HIGH, ARENA_HIGH34,
		nops / 2);
}

static void grids(void)
{
	static const uint64_t bitmaps[] = {
		ALL_SIZES,
		KT_4K | KT_64K | KT_1M,
		KT_4K,
		0,
		KT_4K | KT_2M | KT_1G,
		KT_1M | KT_16M,
		ALL_SIZES | KT_2M | KT_1G | KT_16K,
	};
	static const unsigned iass[] = {20, 21, 24, 31, 32, 33, 34, 35};
	static const unsigned oass[] = {24, 30, 32, 33, 34, 35, 36, 40};
	static const uint64_t quirks[] = {
		0,
		PGT_QUIRK_ARM_NS,
		PGT_QUIRK_NO_PERMS,
		PGT_QUIRK_ARM_MTK_EXT,
		PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_NO_PERMS,
		PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_NO_PERMS | PGT_QUIRK_ARM_MTK_TTBR_EXT,
		PGT_QUIRK_ARM_MTK_TTBR_EXT | PGT_QUIRK_NO_PERMS,
		PGT_QUIRK_ARM_NS | PGT_QUIRK_NO_PERMS | PGT_QUIRK_ARM_MTK_EXT,
		PGT_QUIRK_ARM_TTBR1,
		PGT_QUIRK_ARM_HD,
		1u << 2,
		PGT_QUIRK_ARM_S2FWB,
	};
	struct kt_grid g = {
		.f = &v7s_fmt,
		.bitmaps = KT_LIST(bitmaps),
		.iass = KT_LIST(iass),
		.oass = KT_LIST(oass),
		.quirks = KT_LIST(quirks),
		.kbase = KBASE,
		.arena = KBASE,
		.label = FMT " alloc grid, tables at 0x80000000",
	};
	kt_grid_run(&g);
	/* tables above 4 GiB: only MTK_TTBR_EXT, and below 2^oas */
	g.kbase = g.arena = KBASE_HIGH;
	g.label = FMT " alloc grid, tables at 0x300000000";
	kt_grid_run(&g);
}

static void checks(void)
{
	selfcheck_selftest();
	selfcheck_values();
	selfcheck_alloc();
	selfcheck_unmap();
	grids();
}

int main(int argc, char **argv)
{
	static const struct kt_suite suite = {
		.seed = 0x76377320,
		.fmts = &v7s_fmt,
		.n_fmts = 1,
		.n_checks = 5 + 2, /* the selftest (2), values, alloc, unmap; two grids */
		.checks = checks,
		.plan = plan,
	};
	return kt_main(argc, argv, &suite);
}

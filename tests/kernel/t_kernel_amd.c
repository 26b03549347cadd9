// SPDX-License-Identifier: MIT
/*
 * Differential test of libpgt's amd-iommu-v1 against the real Linux 6.12
 * drivers/iommu/amd/io_pgtable.c (the kernel oracle, in the protection
 * domain the AMD driver would give it), and checks that the oracle
 * reproduces the documented 6.12 behaviour (formats.md §5).
 *
 * AMD v1 makes no io-pgtable flush callbacks; its events are the driver
 * calls it makes: amd_iommu_domain_flush_pages() at the end of a map that
 * tore something down, and amd_iommu_update_and_flush_device_table() at
 * every growth step (libpgt: pgt_events.driver, see kt_common.h for the
 * names). The registers ("root" and "mode") change as the table grows and
 * are compared after every call. Unmapping part of a large page removes the
 * whole page in 6.12; libpgt does the same with PGT_SPLIT_612.
 *
 * The kernel always allocates with mode 3; libpgt's amd_mode 1..6 is
 * checked against the kernel's code by re-setting the empty root's mode
 * right after the kernel's alloc (oracle.h, struct oracle_cfg.amd).
 *
 * Output is TAP. Usage: t_kernel_amd [-v] [-q] [-s SEED] [-n OPS]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kt_common.h"

#define FMT "amd-iommu-v1"
#define KBASE 0x80000000ull
#define KLEN (1ull << 30)
#define ARENA 0x4000000000ull

#define PR (1ull << 0)
#define FC (1ull << 60)
#define IR (1ull << 61)
#define IW (1ull << 62)
#define ADDR 0x000ffffffffff000ull /* PM_ADDR_MASK */
#define NL(pte) (((pte) >> 9) & 7)

/* --- the format, from the kernel's facts --------------------------------------- */

/* PTE_PAGE_SIZE(): 2^(1 + the lowest zero bit of (pte | 0xfff)) */
static uint64_t l7_size(uint64_t pte)
{
	return 2ull << __builtin_ctzll(~(pte | 0xfff));
}

/* A level-7 entry's address bits: PAGE_SIZE_PTE(pa, size) */
static uint64_t l7_addr(uint64_t pa, uint64_t size)
{
	return (pa | (size - 1)) & ~(size >> 1) & ADDR;
}

static unsigned lg(uint64_t x)
{
	return (unsigned)__builtin_ctzll(x);
}

/* mode levels of 512 entries, labelled mode - 1 down to 0; at the top of
 * mode 6 only 7 bits of the index are below 2^64. */
static void amd_geometry(const struct kt_pair *p, unsigned mode, struct kt_geom *g)
{
	(void)p;
	memset(g, 0, sizeof(*g));
	if (mode < 1 || mode > 6)
		return;
	g->n_levels = mode;
	g->desc_bytes = 8;
	g->n_roots = 1;
	for (unsigned d = 0; d < mode; d++) {
		struct kt_level *l = &g->level[d];
		l->label = mode - 1 - d;
		l->shift = 12 + 9 * l->label;
		l->index_bits = l->shift + 9 > 64 ? 64 - l->shift : 9;
		l->table_bits = 9;
	}
}

/* fetch_pte() and iova_to_phys(): a level-7 entry's size from its address
 * bits, and its group's other entries; a table's next level must be the
 * level below (no level skipping). */
static enum kt_ent_kind amd_classify(const struct kt_pair *p, const struct kt_level *l,
				     const uint8_t *table, uint64_t i, struct kt_ent *e,
				     uint64_t *next)
{
	(void)p;
	uint64_t pte = e->raw;
	unsigned level = l->label, nl = (unsigned)NL(pte);
	if (!(pte & PR))
		return KT_JUNK;
	if (nl == 7) {
		/* PAGE_SIZE_LEVEL and PAGE_SIZE_PTE_COUNT of the size */
		uint64_t size = l7_size(pte);
		unsigned count = 1u << ((lg(size) - 12) % 9);
		if ((lg(size) - 12) / 9 != level)
			return KT_JUNK;
		/* iova_to_phys uses the group's first entry: the same as this
		 * entry's own only while the group is whole */
		uint64_t first = i & ~(uint64_t)(count - 1);
		bool whole = true;
		for (unsigned k = 0; k < count && whole; k++) {
			uint64_t other;
			memcpy(&other, table + (first + k) * 8, 8);
			whole = other == pte;
		}
		e->size = size;
		e->count = count;
		e->kernel_differs = !whole;
	}
	if (nl == 0 || nl == 7) {
		e->pa = ((pte & ADDR) & ~(e->size - 1)) + (e->iova & (e->size - 1));
		return KT_LEAF;
	}
	if (level == 0 || nl != level)
		return KT_JUNK; /* a table at level 0, or level skipping */
	*next = pte & ADDR;
	return KT_TABLE;
}

/* The entry holding iova in the kernel's table, when it is in a level-7
 * group that is no longer whole: its own translation (see kt_ent). */
static bool amd_entry_translation(struct kt_pair *p, uint64_t iova, uint64_t *pa,
				  bool *head_is_table)
{
	unsigned mode = oracle_amd_mode(p->k);
	if (mode < 6 && (iova >> (12 + 9 * mode)))
		return false;
	uint64_t tbl = oracle_root(p->k);
	for (unsigned level = mode - 1;; level--) {
		const uint8_t *t = kt_kernel_ptr(p, tbl, 4096);
		if (!t)
			return false;
		unsigned i = (unsigned)((iova >> (12 + 9 * level)) & 511);
		uint64_t pte;
		memcpy(&pte, t + i * 8, 8);
		if (!(pte & PR))
			return false;
		if (NL(pte) == 7) {
			uint64_t size = l7_size(pte);
			unsigned count = 1u << ((lg(size) - 12) % 9), first = i & ~(count - 1);
			for (unsigned k = 0; k < count; k++) {
				uint64_t other;
				memcpy(&other, t + (first + k) * 8, 8);
				if (other != pte) {
					uint64_t head;
					memcpy(&head, t + first * 8, 8);
					*head_is_table = (head & PR) && NL(head) != 7 &&
							 NL(head) != 0 && level > 0;
					*pa = ((pte & ADDR) & ~(size - 1)) | (iova & (size - 1));
					return true;
				}
			}
			return false;
		}
		if (NL(pte) == 0 || level == 0 || NL(pte) != level)
			return false;
		tbl = pte & ADDR;
	}
}

static uint64_t amd_table_addr_bits(const struct kt_pair *p)
{
	(void)p;
	return ADDR;
}

/* "root" (the root table's PA, each side's own) and "mode" (the kernel's
 * current): both change as the table grows. */
static bool amd_regs(struct kt_pair *p, char *msg, size_t len)
{
	const struct kt_reg_want w[] = {
		{"root", NULL, KT_REG_ROOT, oracle_root(p->k)},
		{"mode", NULL, KT_REG_NUMBER, oracle_amd_mode(p->k)},
	};
	return kt_regs_match(p, w, KT_ARRAY_SIZE(w), msg, len);
}

/* Mostly small pages, sometimes up to 1G, rarely the huge ones. */
static uint64_t amd_pick_size(struct kt_pair *p)
{
	unsigned r = (unsigned)kt_rnd_below(100), lo, hi;
	if (r < 45)
		lo = 12, hi = 16;
	else if (r < 70)
		lo = 17, hi = 21;
	else if (r < 90)
		lo = 22, hi = 30;
	else
		lo = 31, hi = 51;
	uint64_t cand[64];
	unsigned n = 0;
	for (unsigned b = lo; b <= hi; b++)
		if (p->kcfg.pgsize_bitmap & (1ull << b))
			cand[n++] = 1ull << b;
	if (!n)
		return p->sizes[kt_rnd_below(p->n_sizes)];
	return cand[kt_rnd_below(n)];
}

static void amd_directed(struct kt_pair *p)
{
	const uint64_t G = KT_4K, pb = 0x123400000000ull;
	const unsigned rw = PGT_READ | PGT_WRITE;
	const enum oracle_gather g = ORACLE_GATHER;
	uint64_t W0 = kt_W(p, 0);
	/* leaf over leaf: overwritten, no flush */
	kt_do_map(p, W0, pb, G, 4, rw);
	kt_do_map(p, W0 + G, pb + 0x100000, G, 2, PGT_READ);
	kt_do_map(p, W0, pb, G, 1, PGT_WRITE | PGT_CACHE | PGT_NOEXEC);
	/* holes in an existing level-0 table count 4K each */
	kt_do_unmap(p, W0 + 8 * G, G, 4, g);
	kt_do_unmap(p, W0, G, 6, ORACLE_GATHER_NULL);
	/* a hole above level 0: nothing */
	kt_do_unmap(p, W0 + KT_1G / 2, G, 1, g);
	if (p->wsize >= 2 * KT_2M && kt_has(p, KT_64K)) {
		/* a 64K page, a 4K page into it (the other 15 entries stay), unmaps
		 * of 4K inside it (the whole page goes) */
		kt_do_map(p, W0 + KT_64K, pb, KT_64K, 2, rw);
		kt_do_map(p, W0 + KT_64K + 5 * G, pb + 0x200000, G, 1, rw);
		kt_do_unmap(p, W0 + KT_64K + 7 * G, G, 1, g);
		kt_do_unmap(p, W0 + 2 * KT_64K + 3 * G, G, 2, g);
		kt_do_unmap(p, W0 + KT_64K, KT_64K, 2, g);
	}
	if (p->wsize >= 4 * KT_2M && kt_has(p, KT_2M)) {
		/* a 2M page over a level-0 table with pages: the table is freed,
		 * flush */
		kt_do_map(p, W0 + KT_2M, pb, G, 3, rw);
		kt_do_map(p, W0 + KT_2M, pb, KT_2M, 1, rw);
		/* 4K into the 2M page: the page is destroyed, flush */
		kt_do_map(p, W0 + KT_2M + 9 * G, pb, G, 1, rw);
		/* 4K unmapped inside a 2M page: the whole page, 2M counted */
		kt_do_map(p, W0 + 2 * KT_2M, pb, KT_2M, 1, PGT_READ);
		kt_do_unmap(p, W0 + 2 * KT_2M + 5 * G, G, 1, g);
	}
	if (p->wsize >= 8 * KT_2M && kt_has(p, 2 * KT_2M)) {
		/* a 4M page (two level-1 entries), 4K into its second half */
		kt_do_map(p, W0 + 4 * KT_2M, pb, 2 * KT_2M, 1, rw);
		kt_do_map(p, W0 + 5 * KT_2M + G, pb, G, 1, rw);
		kt_do_unmap(p, W0 + 4 * KT_2M, 2 * KT_2M, 1, g);
	}
	/* pages across table ends, all in one call */
	kt_do_map(p, W0 + KT_2M - 4 * G, pb, G, 600, PGT_WRITE);
	kt_do_unmap(p, W0 + KT_2M - 4 * G, G, 600, g);
	/* growth: the top of the input space, and a big page */
	uint64_t top_iova = p->space - 2 * G;
	kt_do_map(p, top_iova, pb, G, 2, rw);
	kt_do_unmap(p, top_iova, G, 2, g);
	for (unsigned k = p->n_sizes; k-- > 0;) {
		uint64_t S = p->sizes[k];
		if (S <= p->space / 4 && S >= KT_1G) {
			kt_do_map(p, S, pb & ~(S - 1), S, 1, rw);
			kt_do_unmap(p, S + G, G, 1, g);
			break;
		}
	}
}

static const struct kt_fmt amd_fmt = {
	.name = FMT,
	.kf = ORACLE_AMD_IOMMU_V1,
	.geometry = amd_geometry,
	.classify = amd_classify,
	.table_addr_bits = amd_table_addr_bits,
	.compare_regs = amd_regs,
	.pick_size = amd_pick_size,
	.directed = amd_directed,
	.entry_translation = amd_entry_translation,
	.warns_are_errors = false,
	.regs_follow_ops = true,
	.kernel_orphans_tables = true,
};

/* --- oracle self-checks: documented 6.12 behaviour -------------------------------- */

static struct oracle *mk(uint64_t bitmap, unsigned mode, uint64_t klen, struct oracle_cfg *out)
{
	/* ias, oas and the quirks are ignored by the format */
	const struct kt_cfg c = {PGT_QUIRK_ARM_NS, bitmap, 32, 40, false, mode};
	return kt_oracle_new(ORACLE_AMD_IOMMU_V1, &c, KBASE, klen, out);
}

/* The entry at `level` on the way to iova (0 when the walk stops above). */
static uint64_t ent(struct oracle *o, uint64_t iova, unsigned level)
{
	unsigned l = oracle_amd_mode(o) - 1;
	uint64_t t = oracle_root(o);
	for (;;) {
		uint64_t e = kt_ord64(o, t + ((iova >> (12 + 9 * l)) & 511) * 8);
		if (l == level)
			return e;
		if (!(e & PR) || NL(e) != l)
			return 0;
		t = e & ADDR;
		l--;
	}
}

/* §5.1: alloc and growth. */
static void selfcheck_alloc_growth(void)
{
	const char *what = "oracle: AMD alloc, mode and growth as formats.md §5.1";
	struct kt_expect e = {0};
	struct oracle_cfg c;
	int rc;
	const struct {
		uint64_t in, out;
	} bms[] = {{0, ORACLE_AMD_PGSIZES},
		   {ORACLE_AMD_PGSIZES_4K, KT_4K},
		   {ORACLE_AMD_PGSIZES_V2, KT_4K | KT_2M | KT_1G}};
	for (int i = 0; i < 3; i++) {
		struct oracle *o = mk(bms[i].in, 0, 1ull << 24, &c);
		kt_expect(&e,
			  o && c.pgsize_bitmap == bms[i].out && c.ias == 52 && c.oas == 52 &&
				  oracle_amd_mode(o) == 3 && oracle_root(o) == KBASE &&
				  kt_olive(o) == 1,
			  "alloc with amd_iommu_pgsize_bitmap 0x%" PRIx64 ": cfg 0x%" PRIx64
			  " ias %u oas %u, mode %u",
			  bms[i].in, c.pgsize_bitmap, c.ias, c.oas, o ? oracle_amd_mode(o) : 0);
		oracle_destroy(o);
	}
	kt_expect(&e, ORACLE_AMD_PGSIZES == 0x000FFF7FFFFFF000ull, "default bitmap");
	struct oracle *o = mk(0, 0, 1ull << 26, NULL);
	if (!kt_expect_oracle(&e, o, what))
		return;
	/* a page beyond the coverage: one step; the old root under entry 0 */
	uint64_t r3 = oracle_root(o);
	oracle_tlb_clear(o);
	kt_omap(o, 1ull << 39, 0x1000, KT_4K, 1, PGT_READ, &rc);
	uint64_t r4 = oracle_root(o);
	char want[96];
	snprintf(want, sizeof(want), "D(%" PRIx64 ",4)", r4);
	kt_expect(&e,
		  !rc && oracle_amd_mode(o) == 4 && r4 != r3 && !strcmp(kt_olog(o), want) &&
			  kt_ord64(o, r4) == (r3 | (3ull << 9) | PR | IR | IW),
		  "map at 2^39: rc %d mode %u, events %s, new root entry 0 0x%" PRIx64, rc,
		  oracle_amd_mode(o), kt_olog(o), kt_ord64(o, r4));
	/* two steps at once, to mode 6 */
	oracle_tlb_clear(o);
	kt_omap(o, 1ull << 57, 0x2000, KT_4K, 1, PGT_READ, &rc);
	kt_expect(&e,
		  !rc && oracle_amd_mode(o) == 6 &&
			  oracle_tlb_log(o, &(const struct oracle_tlb *){0}) == 2 &&
			  oracle_iova_to_phys(o, (1ull << 57) + 5) == 0x2005 &&
			  oracle_iova_to_phys(o, (1ull << 39) + 5) == 0x1005,
		  "map at 2^57: rc %d mode %u, events %s", rc, oracle_amd_mode(o), kt_olog(o));
	oracle_destroy(o);
	/* a page whose level is above the root: growth until mode - 1 >= level */
	o = mk(0, 0, 1ull << 26, NULL);
	oracle_tlb_clear(o);
	kt_omap(o, 0, 0x30000000000ull, 1ull << 40, 1, PGT_READ | PGT_WRITE, &rc);
	kt_expect(&e,
		  o && !rc && oracle_amd_mode(o) == 4 &&
			  ent(o, 0, 3) == (l7_addr(0x30000000000ull, 1ull << 40) | (7ull << 9) |
					   PR | FC | IR | IW) &&
			  ent(o, 1ull << 39, 3) == ent(o, 0, 3),
		  "a 2^40 page at 0 in mode 3: rc %d mode %u, root entries 0x%" PRIx64
		  " 0x%" PRIx64,
		  rc, oracle_amd_mode(o), ent(o, 0, 3), ent(o, 1ull << 39, 3));
	/* a leaf in the root itself */
	oracle_destroy(o);
	o = mk(0, 2, 1ull << 26, NULL);
	kt_omap(o, KT_1G, KT_1G, KT_1G, 1, PGT_READ, &rc);
	kt_expect(&e,
		  o && !rc && oracle_amd_mode(o) == 3 && ent(o, KT_1G, 2) == (KT_1G | PR | FC | IR),
		  "1G in a mode-2 table: rc %d mode %u, root entry 0x%" PRIx64, rc,
		  oracle_amd_mode(o), ent(o, KT_1G, 2));
	oracle_destroy(o);
	/* mode 1: a 2M window that grows step by step */
	o = mk(0, 1, 1ull << 26, NULL);
	oracle_tlb_clear(o);
	kt_omap(o, KT_2M, 0, KT_4K, 1, PGT_READ, &rc);
	kt_expect(&e, o && !rc && oracle_amd_mode(o) == 2 && kt_olive(o) == 3,
		  "mode 1, a page at 2M: rc %d mode %u, %ld tables, events %s", rc,
		  oracle_amd_mode(o), kt_olive(o), kt_olog(o));
	long live = oracle_destroy(o);
	kt_expect(&e, !live, "leak %ld", live);
	kt_expect_tap(&e, what);
}

/* §5.2: PTE layout and the examples. */
static void selfcheck_ptes(void)
{
	const char *what = "oracle: AMD PTEs are formats.md §5.2's layout and examples";
	struct kt_expect e = {0};
	int rc;
	struct oracle *o = mk(0, 0, 1ull << 26, NULL);
	if (!kt_expect_oracle(&e, o, what))
		return;
	const uint64_t PA = 0x123400000000ull;
	kt_omap(o, 0, PA, KT_4K, 1, PGT_READ | PGT_WRITE, &rc);
	kt_expect(&e, ent(o, 0, 0) == (PA | 0x7000000000000001ull), "4K RW: 0x%016" PRIx64,
		  ent(o, 0, 0));
	uint64_t pde = ent(o, 0, 1);
	kt_expect(&e,
		  (pde & ~ADDR) == ((1ull << 9) | 0x6000000000000001ull) &&
			  (ent(o, 0, 2) & ~ADDR) == ((2ull << 9) | 0x6000000000000001ull),
		  "PDEs: 0x%016" PRIx64 " 0x%016" PRIx64, pde, ent(o, 0, 2));
	kt_omap(o, KT_4K, PA, KT_4K, 1, PGT_READ | PGT_CACHE | PGT_NOEXEC | PGT_MMIO | PGT_PRIV,
		&rc);
	kt_omap(o, 2 * KT_4K, PA, KT_4K, 1, PGT_WRITE, &rc);
	kt_expect(&e,
		  ent(o, KT_4K, 0) == (PA | 0x3000000000000001ull) &&
			  ent(o, 2 * KT_4K, 0) == (PA | 0x5000000000000001ull),
		  "4K R (others ignored): 0x%016" PRIx64 ", W: 0x%016" PRIx64, ent(o, KT_4K, 0),
		  ent(o, 2 * KT_4K, 0));
	uint64_t m = kt_omap(o, 3 * KT_4K, PA, KT_4K, 1, PGT_CACHE, &rc);
	kt_expect(&e, rc == -EINVAL && !m && !ent(o, 3 * KT_4K, 0), "no R/W: rc %d", rc);
	/* 8K: 2 entries at level 0, address bit 12 clear */
	kt_omap(o, 4 * KT_4K, PA, 2 * KT_4K, 1, PGT_READ | PGT_WRITE, &rc);
	uint64_t v8 = PA | (7ull << 9) | PR | FC | IR | IW;
	kt_expect(&e,
		  ent(o, 4 * KT_4K, 0) == v8 && ent(o, 5 * KT_4K, 0) == v8 && !ent(o, 6 * KT_4K, 0),
		  "8K: 0x%016" PRIx64 " 0x%016" PRIx64, ent(o, 4 * KT_4K, 0), ent(o, 5 * KT_4K, 0));
	/* 64K: 16 entries, low address bits 0x7000 */
	kt_omap(o, KT_64K, PA, KT_64K, 1, PGT_READ | PGT_WRITE, &rc);
	bool all = true;
	for (int i = 0; i < 16; i++)
		all &= ent(o, KT_64K + i * KT_4K, 0) == (PA | 0x7000000000007E01ull);
	kt_expect(&e, all && !ent(o, 2 * KT_64K, 0), "64K: 16 x 0x%016" PRIx64, ent(o, KT_64K, 0));
	kt_expect(&e, oracle_iova_to_phys(o, KT_64K + 0xfedc) == PA + 0xfedc,
		  "64K iova_to_phys 0x%" PRIx64, oracle_iova_to_phys(o, KT_64K + 0xfedc));
	/* 4M: 2 at level 1; 32M: 16 at level 1; 256G: 256 at level 2 */
	const struct {
		uint64_t size, iova;
		unsigned level, count;
	} big[] = {{4ull << 20, 1ull << 30, 1, 2},
		   {32ull << 20, 2ull << 30, 1, 16},
		   {256ull << 30, 256ull << 30, 2, 256}};
	for (int b = 0; b < 3; b++) {
		kt_omap(o, big[b].iova, PA & ~(big[b].size - 1), big[b].size, 1, PGT_READ, &rc);
		uint64_t want =
			l7_addr(PA & ~(big[b].size - 1), big[b].size) | (7ull << 9) | PR | FC | IR;
		unsigned n = 0;
		uint64_t step = 1ull << (12 + 9 * big[b].level);
		for (unsigned i = 0; i < 512 && n < 1000; i++)
			if (ent(o, big[b].iova + i * step, big[b].level) == want)
				n++;
			else
				break;
		kt_expect(&e, !rc && n == big[b].count && l7_size(want) == big[b].size,
			  "0x%" PRIx64 " page: rc %d, %u entries at level %u of 0x%016" PRIx64,
			  big[b].size, rc, n, big[b].level, want);
	}
	long live = oracle_destroy(o);
	kt_expect(&e, !live, "leak %ld", live);
	kt_expect_tap(&e, what);
}

/* §5.3 and §7's AMD column. */
static void selfcheck_ops(void)
{
	const char *what = "oracle: AMD map/unmap/iova_to_phys as formats.md §5.3/§7";
	struct kt_expect e = {0};
	int rc;
	uint64_t m, u;
	struct oracle *o = mk(0, 0, 1ull << 26, NULL);
	if (!kt_expect_oracle(&e, o, what))
		return;
	const uint64_t PA = 0x55500000000ull, G = KT_4K;
	/* leaf over leaf: overwritten, no flush, no error */
	kt_omap(o, 0, PA, G, 2, PGT_READ, &rc);
	oracle_tlb_clear(o);
	m = kt_omap(o, 0, PA + KT_1M, G, 2, PGT_WRITE, &rc);
	kt_expect(&e,
		  !rc && m == 2 * G && !*kt_olog(o) &&
			  ent(o, G, 0) == ((PA + KT_1M + G) | PR | FC | IW),
		  "leaf over leaf: rc %d, events %s", rc, kt_olog(o));
	/* holes inside an existing level-0 table count 4K each */
	u = oracle_unmap_pages(o, 8 * G, G, 4, ORACLE_GATHER);
	kt_expect(&e, u == 4 * G, "4 x 4K over empty slots of a level-0 table: 0x%" PRIx64, u);
	/* a hole above level 0: 0 */
	u = oracle_unmap_pages(o, KT_1G, G, 1, ORACLE_GATHER);
	kt_expect(&e, u == 0, "4K where no level-0 table is: 0x%" PRIx64, u);
	/* beyond the coverage: 0, and not mapped */
	u = oracle_unmap_pages(o, 1ull << 45, G, 1, ORACLE_GATHER);
	kt_expect(&e, u == 0 && !oracle_iova_to_phys(o, 1ull << 45), "beyond coverage: 0x%" PRIx64,
		  u);
	/* 2M over a level-0 table with pages: subtree freed after the flush */
	long live0 = kt_olive(o);
	oracle_tlb_clear(o);
	m = kt_omap(o, 0, PA, KT_2M, 1, PGT_READ | PGT_WRITE, &rc);
	kt_expect(&e,
		  !rc && m == KT_2M && !strcmp(kt_olog(o), "P(0,200000)") &&
			  kt_olive(o) == live0 - 1,
		  "2M over a level-0 table: rc %d, events %s, tables %ld -> %ld", rc, kt_olog(o),
		  live0, kt_olive(o));
	/* 4K into the 2M page: the page is destroyed, the rest unmapped */
	oracle_tlb_clear(o);
	m = kt_omap(o, 5 * G, PA, G, 1, PGT_READ, &rc);
	kt_expect(&e,
		  !rc && !strcmp(kt_olog(o), "P(5000,1000)") && !oracle_iova_to_phys(o, 6 * G) &&
			  oracle_iova_to_phys(o, 5 * G) == PA,
		  "4K into a 2M page: rc %d, events %s", rc, kt_olog(o));
	/* 4K into a 4M page (level-7 at level 1): the group cleared, flush */
	kt_omap(o, 4 * KT_2M, PA, 2 * KT_2M, 1, PGT_READ, &rc);
	oracle_tlb_clear(o);
	m = kt_omap(o, 5 * KT_2M + G, PA, G, 3, PGT_READ, &rc);
	kt_expect(&e,
		  !rc && !strcmp(kt_olog(o), "P(a01000,3000)") && !ent(o, 4 * KT_2M, 1) &&
			  !oracle_iova_to_phys(o, 4 * KT_2M),
		  "4K x 3 into a 4M page: rc %d, events %s", rc, kt_olog(o));
	/* 4K into a 64K page: the other 15 entries stay */
	kt_omap(o, 8 * KT_2M, PA, KT_64K, 1, PGT_READ, &rc);
	oracle_tlb_clear(o);
	kt_omap(o, 8 * KT_2M + 5 * G, PA + KT_1M, G, 1, PGT_WRITE, &rc);
	unsigned l7 = 0;
	for (int i = 0; i < 16; i++)
		l7 += NL(ent(o, 8 * KT_2M + i * G, 0)) == 7;
	kt_expect(&e,
		  !rc && !*kt_olog(o) && l7 == 15 &&
			  oracle_iova_to_phys(o, 8 * KT_2M + 9 * G) == PA + 9 * G,
		  "4K into a 64K page: rc %d, events %s, %u level-7 entries left", rc, kt_olog(o),
		  l7);
	/* unmap of 4K inside it: the whole group (from its first entry), 64K */
	u = oracle_unmap_pages(o, 8 * KT_2M + 9 * G, G, 1, ORACLE_GATHER);
	kt_expect(&e, u == KT_64K && !ent(o, 8 * KT_2M, 0) && !ent(o, 8 * KT_2M + 5 * G, 0),
		  "4K unmap inside the 64K page: 0x%" PRIx64, u);
	/* unmap of 4K inside a 2M page: 2M */
	kt_omap(o, 10 * KT_2M, PA, KT_2M, 1, PGT_READ, &rc);
	u = oracle_unmap_pages(o, 10 * KT_2M + 7 * G, G, 1, ORACLE_GATHER_QUEUED);
	kt_expect(&e, u == KT_2M && !oracle_iova_to_phys(o, 10 * KT_2M),
		  "4K unmap inside a 2M page: 0x%" PRIx64, u);
	/* a 4M page, a 2M page over its first half, a 4K page into that (a
	 * table now): an unmap in the second half (the level-7 entry left)
	 * clears the whole aligned group from its first entry, the table
	 * descriptor included; the table is lost (never freed) */
	kt_omap(o, 12 * KT_2M, PA, 2 * KT_2M, 1, PGT_READ, &rc);
	kt_omap(o, 12 * KT_2M, PA, KT_2M, 1, PGT_READ, &rc);
	kt_omap(o, 12 * KT_2M + G, PA, G, 1, PGT_READ, &rc);
	live0 = kt_olive(o);
	uint64_t pde = ent(o, 12 * KT_2M, 1);
	u = oracle_unmap_pages(o, 13 * KT_2M, G, 1, ORACLE_GATHER);
	kt_expect(&e,
		  NL(pde) == 1 && u == 2 * KT_2M && !ent(o, 12 * KT_2M, 1) &&
			  !ent(o, 13 * KT_2M, 1) && kt_olive(o) == live0,
		  "4K unmap in a broken 4M group: 0x%" PRIx64 ", the table descriptor 0x%" PRIx64
		  " now 0x%" PRIx64 ", tables %ld -> %ld (the table under it is lost)",
		  u, pde, ent(o, 12 * KT_2M, 1), live0, kt_olive(o));
	/* no TLB callbacks at all; tables never freed by unmaps */
	live0 = kt_olive(o);
	oracle_tlb_clear(o);
	u = oracle_unmap_pages(o, 0, KT_2M, 16, ORACLE_GATHER);
	kt_expect(&e, !*kt_olog(o) && kt_olive(o) == live0, "unmaps: events %s, tables %ld -> %ld",
		  kt_olog(o), live0, kt_olive(o));
	long live = oracle_destroy(o);
	kt_expect(&e, live == 1, "teardown left %ld tables (want 1: the lost one)", live);

	/* out of memory: *mapped shows the pages done; the flush comes all
	 * the same when something was torn down first */
	o = mk(0, 0, 5 * KT_4K, NULL);
	if (o) {
		kt_omap(o, 0, PA, G, 1, PGT_READ, &rc); /* level-1 and level-0 tables */
		kt_omap(o, 4 * KT_2M, PA, 2 * KT_2M, 1, PGT_READ, &rc); /* a 4M page */
		kt_omap(o, KT_2M, PA, G, 1, PGT_READ, &rc);
		kt_omap(o, 2 * KT_2M, PA, G, 1, PGT_READ, &rc); /* memory full */
		m = kt_omap(o, 2 * KT_2M + 510 * G, PA, G, 3, PGT_READ, &rc);
		kt_expect(&e, rc == -ENOMEM && m == 2 * G,
			  "3 pages, the third without memory: rc %d mapped 0x%" PRIx64, rc, m);
		oracle_tlb_clear(o);
		m = kt_omap(o, 4 * KT_2M, PA, G, 1, PGT_READ, &rc);
		kt_expect(&e,
			  rc == -ENOMEM && !m && !strcmp(kt_olog(o), "P(800000,1000)") &&
				  !oracle_iova_to_phys(o, 4 * KT_2M + 5),
			  "4K into a 4M page without memory: rc %d, events %s", rc, kt_olog(o));
		live = oracle_destroy(o);
		kt_expect(&e, !live, "leak %ld", live);
	}
	kt_expect_tap(&e, what);
}

/* --- plan -------------------------------------------------------------------------- */

static void add_run(uint64_t bitmap, unsigned mode, uint64_t space, uint64_t top, unsigned nops)
{
	const struct kt_cfg c = {0, bitmap, 52, 52, true, mode};
	struct kt_run *r = kt_add_run(&amd_fmt, &c, nops);
	r->kbase = KBASE;
	r->klen = KLEN;
	r->arena = ARENA;
	r->space = space;
	r->top = top;
	r->pa_limit = 1ull << 52;
	r->batch = 512;
	snprintf(r->label, sizeof(r->label), "%s pgsizes 0x%" PRIx64 " mode %u, IOVAs below 2^%u",
		 FMT, bitmap, mode, lg(space));
}

static void plan(unsigned nops, bool quick)
{
	add_run(ORACLE_AMD_PGSIZES, 3, 1ull << 48, KT_1G, nops);
	add_run(ORACLE_AMD_PGSIZES, 1, 1ull << 32, KT_2M, nops);
	add_run(ORACLE_AMD_PGSIZES, 6, 1ull << 52, KT_1G, nops / 2);
	if (quick)
		return;
	add_run(ORACLE_AMD_PGSIZES_4K, 3, 1ull << 40, KT_2M, nops / 2);
	add_run(ORACLE_AMD_PGSIZES_V2, 4, 1ull << 48, KT_1G, nops / 2);
	add_run(ORACLE_AMD_PGSIZES, 2, 1ull << 52, KT_1G, nops / 2);
	add_run(ORACLE_AMD_PGSIZES, 3, 1ull << 40, KT_64K, nops / 2);
	add_run(ORACLE_AMD_PGSIZES, 5, 1ull << 39, KT_2M, nops / 2);
}

/*
 * The grid: the kernel takes any cfg (quirks, ias, oas and coherent_walk
 * are not looked at; pgsize_bitmap, ias and oas are overwritten with
 * amd_iommu_pgsize_bitmap and 52). The bitmap given is taken as the
 * driver's amd_iommu_pgsize_bitmap, one of its three boot-time values, so
 * the narrowed bitmap is the one given; libpgt is expected to accept those
 * three and amd_mode 1..6. (libpgt refuses a bitmap without 4K, 0
 * included: no driver value is like that, so the grid has none.)
 */
static void grids(void)
{
	const struct kt_grid g = {
		.f = &amd_fmt,
		.bitmaps =
			KT_U64S(ORACLE_AMD_PGSIZES, ORACLE_AMD_PGSIZES_4K, ORACLE_AMD_PGSIZES_V2),
		.iass = KT_UINTS(0, 32, 48, 52, 64),
		.oass = KT_UINTS(0, 40, 52),
		.quirks = KT_U64S(0, PGT_QUIRK_ARM_NS | PGT_QUIRK_ARM_TTBR1),
		.modes = KT_UINTS(1, 2, 3, 4, 5, 6),
		.kbase = KBASE,
		.arena = ARENA,
		.label = FMT " alloc grid",
	};
	kt_grid_run(&g);
}

static void checks(void)
{
	selfcheck_alloc_growth();
	selfcheck_ptes();
	selfcheck_ops();
	grids();
}

int main(int argc, char **argv)
{
	static const struct kt_suite suite = {
		.seed = 0x616d6476,
		.fmts = &amd_fmt,
		.n_fmts = 1,
		.n_checks = 3 + 1, /* three self-checks, the grid */
		.checks = checks,
		.plan = plan,
	};
	return kt_main(argc, argv, &suite);
}

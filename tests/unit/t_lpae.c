// SPDX-License-Identifier: MIT
/*
 * The LPAE family against values read off Linux 6.12 io-pgtable-arm.c:
 * geometry per granule and ias, stage-2 concatenation, leaf descriptors
 * per prot, address folding, registers, refusals, and the unmap paths.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "../tools/open.h"

#include "unit/table_fixture.h"

/* The leaf descriptor written for one page of pgsize at iova/pa. */
static uint64_t leaf_of(const char *fmt, uint64_t bitmap, uint64_t quirks, uint64_t pgsize,
			pgt_addr iova, pgt_addr pa, unsigned prot)
{
	struct tbl x;
	struct pgt_error err;
	struct pgt_walk w;
	uint64_t mapped = 0, raw = ~0ull;
	if (make(&x, fmt, strstr(fmt, "32") ? 32 : 48,
		 strstr(fmt, "32") || strstr(fmt, "mali") ? 40 : 48, bitmap, quirks, true, 0x80000000))
		return raw;
	if (!pgt_map_pages(x.t, iova, pa, pgsize, 1, prot, &mapped, &err) &&
	    pgt_translate(x.t, iova, &w))
		raw = w.step[w.n_steps - 1].e.raw;
	else
		printf("# map: %s\n", err.msg);
	drop(&x);
	return raw;
}

static void test_geometry(void)
{
	/* formats.md 2.2 root sizes: granule, ias -> levels, start level, root entries */
	static const struct {
		uint64_t bm;
		unsigned ias, levels, start, entries;
	} rows[] = {
		{K4, 32, 3, 1, 4},	{K4, 36, 3, 1, 64},	  {K4, 39, 3, 1, 512},
		{K4, 40, 4, 0, 2},	{K4, 42, 4, 0, 8},	  {K4, 44, 4, 0, 32},
		{K4, 48, 4, 0, 512},	{K16, 32, 2, 2, 128},	  {K16, 36, 2, 2, 2048},
		{K16, 40, 3, 1, 16},	{K16, 42, 3, 1, 64},	  {K16, 44, 3, 1, 256},
		{K16, 48, 4, 0, 2},	{K64, 32, 2, 2, 8},	  {K64, 36, 2, 2, 128},
		{K64, 40, 2, 2, 2048},	{K64, 42, 2, 2, 8192},	  {K64, 44, 3, 1, 4},
		{K64, 48, 3, 1, 64},	{K64, 52, 3, 1, 1024},
	};
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct tbl x;
		if (make(&x, "arm-64-lpae-s1", rows[i].ias, 52, rows[i].bm, 0, true, 0x80000000)) {
			OK(0, "s1 geometry row %u created", i);
			continue;
		}
		const struct pgt_geometry *g = pgt_table_geometry(x.t);
		OK(g->n_levels == rows[i].levels && g->level[0].label == rows[i].start &&
			   (1u << g->level[0].index_bits) == rows[i].entries &&
			   g->level[0].table_bytes == 8ull * rows[i].entries,
		   "s1 granule 0x%llx ias %u: %u levels from L%u, %u root entries",
		   (unsigned long long)rows[i].bm, rows[i].ias, g->n_levels, g->level[0].label,
		   1u << g->level[0].index_bits);
		drop(&x);
	}

	/* formats.md 2.3: 6.12 concatenates a level-0 root of <= 16 entries */
	static const struct {
		uint64_t bm;
		unsigned ias, start, entries;
	} s2[] = {
		{K4, 39, 1, 512}, {K4, 40, 1, 1024}, {K4, 41, 1, 2048}, {K4, 42, 1, 4096},
		{K4, 43, 1, 8192}, {K4, 44, 0, 32},  {K4, 48, 0, 512},  {K16, 47, 1, 2048},
		{K16, 48, 1, 4096}, {K64, 48, 1, 64}, {K64, 52, 1, 1024},
	};
	for (unsigned i = 0; i < sizeof(s2) / sizeof(s2[0]); i++) {
		struct tbl x;
		if (make(&x, "arm-64-lpae-s2", s2[i].ias, 48, s2[i].bm, 0, true, 0x80000000)) {
			OK(0, "s2 row %u created", i);
			continue;
		}
		const struct pgt_geometry *g = pgt_table_geometry(x.t);
		OK(g->level[0].label == s2[i].start && (1u << g->level[0].index_bits) == s2[i].entries,
		   "s2 granule 0x%llx ias %u: start L%u, %u root entries", (unsigned long long)s2[i].bm,
		   s2[i].ias, g->level[0].label, 1u << g->level[0].index_bits);
		drop(&x);
	}

	/* Mali: a one-entry level-0 root below ias 40, the normal walk above */
	struct tbl x;
	if (!make(&x, "arm-mali-lpae", 33, 40, K4 | M2, 0, true, 0x80000000)) {
		const struct pgt_geometry *g = pgt_table_geometry(x.t);
		OK(g->n_levels == 4 && g->level[0].label == 0 && g->level[0].index_bits == 0,
		   "mali ias 33: 4 levels from a 1-entry L0 root");
		drop(&x);
	}
	if (!make(&x, "arm-mali-lpae", 48, 40, K4 | M2, 0, true, 0x80000000)) {
		OK(pgt_table_geometry(x.t)->level[0].index_bits == 9, "mali ias 48: 512-entry root");
		drop(&x);
	}
}

static void test_granule_choice(void)
{
	struct pgt_cfg cfg;
	struct pgt_error err;
	struct pgt_mem *a = t_arena(0);
	struct pgt_table *t;
	static const struct {
		uint64_t page, bm, want;
		unsigned oas;
	} rows[] = {
		/* arm_lpae_restrict_pgsizes(): PAGE_SIZE if offered, else the largest
		 * smaller size, else the smallest larger one */
		{K4, K4 | K16 | K64 | M2 | M32 | M512 | G1, K4 | M2 | G1, 48},
		{K64, K4 | K64 | M2 | M512, K64 | M512, 48},
		{K16, K4 | K64 | M2 | M512, K4 | M2, 48},
		{K4, K16 | K64 | M32, K16 | M32, 48},
		/* 4T blocks only when the caller's oas exceeds 48 */
		{K4, K64 | M512 | (1ull << 42), K64 | M512 | (1ull << 42), 52},
		{K4, K64 | M512 | (1ull << 42), K64 | M512, 48},
	};
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		pgt_cfg_init(&cfg);
		cfg.ias = 48;
		cfg.oas = rows[i].oas;
		cfg.cpu_page_size = rows[i].page;
		cfg.pgsize_bitmap = rows[i].bm;
		int rc = pgt_table_create(pgt_format_find("arm-64-lpae-s1"), &cfg, a, &t, &err);
		OK(!rc && pgt_table_cfg(t)->pgsize_bitmap == rows[i].want,
		   "PAGE_SIZE 0x%llx, bitmap 0x%llx narrows to 0x%llx",
		   (unsigned long long)rows[i].page, (unsigned long long)rows[i].bm,
		   (unsigned long long)rows[i].want);
		if (!rc)
			pgt_table_destroy(t);
	}
	/* ias/oas clamp silently to 48 (52 with 64K) */
	pgt_cfg_init(&cfg);
	cfg.ias = 52;
	cfg.oas = 52;
	cfg.pgsize_bitmap = K4;
	if (!pgt_table_create(pgt_format_find("arm-64-lpae-s1"), &cfg, a, &t, &err)) {
		EQ(pgt_table_cfg(t)->ias, 48, "4K granule clamps ias 52 to 48");
		pgt_table_destroy(t);
	}
	pgt_mem_destroy(a);
}

static void test_refusals(void)
{
	static const struct {
		const char *fmt;
		unsigned ias, oas;
		uint64_t bm, quirks;
		bool coherent;
		const char *why;
	} rows[] = {
		{"arm-32-lpae-s1", 33, 40, K4, 0, true, "ARM_32_LPAE_S1 ias > 32"},
		{"arm-32-lpae-s1", 32, 44, K4, 0, true, "ARM_32_LPAE_S1 oas > 40"},
		{"arm-32-lpae-s2", 41, 40, K4, 0, true, "ARM_32_LPAE_S2 ias > 40"},
		{"arm-64-lpae-s2", 48, 48, K4, PGT_QUIRK_ARM_NS, true, "stage 2 takes no quirks"},
		{"arm-mali-lpae", 48, 40, K4, PGT_QUIRK_ARM_NS, true, "Mali takes no quirks"},
		{"arm-mali-lpae", 48, 44, K4, 0, true, "Mali oas > 40"},
		{"arm-64-lpae-s1", 48, 45, K4, 0, true, "oas 45 is no TCR.IPS value"},
		{"arm-64-lpae-s1", 48, 48, K4, PGT_QUIRK_ARM_OUTER_WBWA, true,
		 "outer-wbwa with a coherent walk"},
		{"arm-64-lpae-s1", 48, 48, K4, PGT_QUIRK_ARM_S2FWB, true, "6.12 has no S2FWB"},
		{"arm-64-lpae-s1", 48, 48, K4, PGT_QUIRK_NO_PERMS, true, "no-perms is v7s only"},
		{"arm-64-lpae-s1", 48, 48, M2, 0, true, "no granule in the bitmap"},
	};
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pgt_cfg cfg;
		struct pgt_error err;
		struct pgt_table *t = NULL;
		struct pgt_mem *a = t_arena(0);
		pgt_cfg_init(&cfg);
		cfg.ias = rows[i].ias;
		cfg.oas = rows[i].oas;
		cfg.pgsize_bitmap = rows[i].bm;
		cfg.quirks = rows[i].quirks;
		cfg.coherent_walk = rows[i].coherent;
		int rc = pgt_table_create(pgt_format_find(rows[i].fmt), &cfg, a, &t, &err);
		OK(rc == -EINVAL, "refused: %s", rows[i].why);
		if (!rc)
			pgt_table_destroy(t);
		pgt_mem_destroy(a);
	}
}

static void test_leaves(void)
{
	const uint64_t bm = K4 | M2 | G1;
	const unsigned R = PGT_READ, W = PGT_WRITE, C = PGT_CACHE, X = PGT_NOEXEC;
	/* formats.md 2.7 reference values (from arm_lpae_prot_to_pte) */
	static const struct {
		const char *fmt;
		unsigned prot;
		uint64_t page, block;
	} rows[] = {
		{"arm-64-lpae-s1", 1 | 2 | 4, 0xF47, 0xF45},
		{"arm-64-lpae-s1", 1 | 2, 0xE43, 0xE41},
		{"arm-64-lpae-s1", 1, 0xEC3, 0xEC1},
		{"arm-64-lpae-s1", 2, 0xE43, 0xE41},
		{"arm-64-lpae-s1", 1 | 2 | 16, 0xE4B, 0xE49},
		{"arm-64-lpae-s1", 1 | 2 | 4 | 32, 0xF07, 0xF05},
		{"arm-64-lpae-s2", 1 | 2 | 4, 0x7FF, 0x7FD},
		{"arm-64-lpae-s2", 1 | 2, 0x6D7, 0x6D5},
		{"arm-64-lpae-s2", 1, 0x657, 0x655},
		{"arm-64-lpae-s2", 2, 0x697, 0x695},
		{"arm-64-lpae-s2", 1 | 2 | 16, 0x6C7, 0x6C5},
		{"arm-mali-lpae", 1 | 2 | 4, 0x2C5, 0x2C5},
		{"arm-mali-lpae", 1 | 2, 0x2C1, 0x2C1},
		{"arm-mali-lpae", 1, 0x241, 0x241},
		{"arm-mali-lpae", 1 | 2 | 16, 0x2C9, 0x2C9},
		{"arm-32-lpae-s1", 1 | 2 | 4, 0xF47, 0xF45},
		{"arm-32-lpae-s2", 1 | 2 | 4, 0x7FF, 0x7FD},
	};
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		EQ(leaf_of(rows[i].fmt, bm, 0, K4, 0x1000, 0x40000000, rows[i].prot),
		   rows[i].page | 0x40000000, "%s prot 0x%x page", rows[i].fmt, rows[i].prot);
		EQ(leaf_of(rows[i].fmt, bm, 0, M2, 0x200000, 0x40000000, rows[i].prot),
		   rows[i].block | 0x40000000, "%s prot 0x%x block", rows[i].fmt, rows[i].prot);
		EQ(leaf_of(rows[i].fmt, bm, 0, K4, 0x1000, 0x40000000, rows[i].prot | X),
		   rows[i].page | 0x40000000 | 0x0060000000000000ull, "%s prot 0x%x noexec",
		   rows[i].fmt, rows[i].prot);
	}
	EQ(leaf_of("arm-64-lpae-s1", bm, PGT_QUIRK_ARM_HD, K4, 0, 0x1000, R | W | C),
	   0x0008000000001F47ull, "arm-hd: DBM on a writable leaf");
	EQ(leaf_of("arm-64-lpae-s1", bm, PGT_QUIRK_ARM_HD, K4, 0, 0x1000, R | C),
	   0x1FC7ull, "arm-hd: no DBM on a read-only leaf");
	EQ(leaf_of("arm-64-lpae-s1", bm, PGT_QUIRK_ARM_NS, K4, 0, 0x1000, R | W | C),
	   0x1F67ull, "arm-ns: NS on leaves");
}

static void test_address_fold(void)
{
	/* paddr_to_iopte(): PA[51:48] in bits 15:12 with the 64K granule */
	struct tbl x;
	struct pgt_error err;
	struct pgt_walk w;
	uint64_t mapped = 0;
	if (make(&x, "arm-64-lpae-s1", 48, 52, K64 | M512, 0, true, 0x80000000))
		return;
	pgt_addr pa = 0x000F123400010000ull;
	OK(!pgt_map_pages(x.t, 0x10000, pa, K64, 1, PGT_READ | PGT_WRITE, &mapped, &err),
	   "map a 52-bit PA");
	OK(pgt_translate(x.t, 0x10042, &w) && w.pa == pa + 0x42, "52-bit PA translates back");
	EQ(w.step[w.n_steps - 1].e.raw & 0x0000fffffffff000ull, 0x123400010000ull | 0xF000,
	   "PA[51:48] folded into bits 15:12");
	drop(&x);
}

static void test_registers(void)
{
	struct tbl x;
	struct pgt_regs r;
	if (!make(&x, "arm-64-lpae-s1", 48, 48, K4 | M2 | G1, 0, true, 0x80000000)) {
		pgt_table_regs(x.t, &r);
		EQ(r.reg[0].value, 0x80000000, "ttbr is the root");
		const struct pgt_reg *tcr = &r.reg[1];
		OK(tcr->field[0].value == 5 && tcr->field[1].value == 0 && tcr->field[2].value == 3 &&
			   tcr->field[3].value == 1 && tcr->field[4].value == 1 &&
			   tcr->field[5].value == 16,
		   "s1 tcr: ips 5 tg 0 sh 3 orgn 1 irgn 1 tsz 16");
		EQ(r.reg[2].value, 0xFFFFFFFFF404FF44ull, "mair sign-extends as in 6.12");
		drop(&x);
	}
	if (!make(&x, "arm-64-lpae-s1", 39, 40, K64 | M512, PGT_QUIRK_ARM_TTBR1 | PGT_QUIRK_ARM_OUTER_WBWA, false, 0x80000000)) {
		pgt_table_regs(x.t, &r);
		const struct pgt_reg *tcr = &r.reg[1];
		OK(tcr->field[0].value == 2 && tcr->field[1].value == 3 && tcr->field[2].value == 2 &&
			   tcr->field[3].value == 1 && tcr->field[4].value == 0 &&
			   tcr->field[5].value == 25,
		   "s1 ttbr1 64K non-coherent outer-wbwa: ips 2 tg1 3 sh 2 orgn 1 irgn 0 tsz 25");
		drop(&x);
	}
	if (!make(&x, "arm-64-lpae-s2", 40, 40, K4 | M2 | G1, 0, true, 0x80000000)) {
		pgt_table_regs(x.t, &r);
		const struct pgt_reg *vtcr = &r.reg[1];
		OK(vtcr->field[0].value == 2 && vtcr->field[1].value == 0 &&
			   vtcr->field[2].value == 3 && vtcr->field[5].value == 1 &&
			   vtcr->field[6].value == 24,
		   "s2 4K ias 40 concatenated: ps 2 tg 0 sh 3 sl 1 tsz 24");
		drop(&x);
	}
	if (!make(&x, "arm-64-lpae-s2", 48, 48, K16 | M32, 0, false, 0x80000000)) {
		pgt_table_regs(x.t, &r);
		const struct pgt_reg *vtcr = &r.reg[1];
		OK(vtcr->field[1].value == 2 && vtcr->field[2].value == 2 &&
			   vtcr->field[3].value == 0 && vtcr->field[5].value == 2,
		   "s2 16K ias 48 (start L1): tg 2, sh 2, orgn 0, sl 2");
		drop(&x);
	}
	if (!make(&x, "arm-mali-lpae", 48, 40, K4 | M2, 0, true, 0x80000000)) {
		pgt_table_regs(x.t, &r);
		EQ(r.reg[0].value, 0x80000000 | 0x17, "mali transtab: root | 0x17 when coherent");
		EQ(r.reg[1].value, 0x888D88, "mali memattr");
		drop(&x);
	}
	if (!make(&x, "arm-mali-lpae", 48, 40, K4 | M2, 0, false, 0x80000000)) {
		pgt_table_regs(x.t, &r);
		EQ(r.reg[0].value, 0x80000000 | 0x7, "mali transtab: root | 0x7 when not coherent");
		drop(&x);
	}
}

static void test_unmap(void)
{
	struct pgt_unmap_opts split = {PGT_SPLIT_612, true, false};
	struct pgt_unmap_opts refuse = {PGT_SPLIT_REFUSE, true, false};
	struct tbl x;
	struct pgt_error err;
	uint64_t mapped = 0;

	if (make(&x, "arm-64-lpae-s1", 48, 48, K4 | M2 | G1, 0, true, 0x80000000))
		return;
	pgt_map_pages(x.t, G1, G1, G1, 1, PGT_READ | PGT_WRITE, &mapped, &err);
	OK(pgt_map_pages(x.t, G1 + M2, 0, M2, 1, PGT_READ, &mapped, &err) == -EEXIST,
	   "a map inside a block is EEXIST");
	EQ(pgt_unmap_bytes(x.t, 0x40001000, K4, 3, &refuse, &err), 0,
	   "partial block unmap refused by default");
	OK(strstr(err.msg, "1G block") != NULL, "the refusal names the block: %s", err.msg);
	EQ(pgt_iova_to_phys(x.t, 0x40001000), 0x40001000, "refused unmap changed nothing");

	/* formats.md 2.10 example: two new tables, three add_page calls */
	EQ(pgt_unmap_bytes(x.t, 0x40001000, K4, 3, &split, &err), 0x3000, "6.12 split returns 0x3000");
	OK(!strcmp(x.log, "page 40001000 1000;page 40002000 1000;page 40003000 1000;"),
	   "split events: %s", x.log);
	EQ(pgt_iova_to_phys(x.t, 0x40000123), 0x40000123, "page before the window kept");
	EQ(pgt_iova_to_phys(x.t, 0x40002000), 0, "window unmapped");
	EQ(pgt_iova_to_phys(x.t, 0x40004000), 0x40004000, "page after the window kept");
	EQ(pgt_iova_to_phys(x.t, 0x7fe00000), 0x7fe00000, "last 2M block of the split kept");

	/* unmap the now-table at 1G: flush_walk, subtree freed, then add_page */
	clear_log(&x);
	EQ(pgt_unmap_bytes(x.t, G1, G1, 1, &split, &err), G1, "unmap the split region whole");
	OK(!strcmp(x.log, "walk 40000000 40000000 1000;page 40000000 40000000;"),
	   "table teardown events: %s", x.log);

	/* formats.md 2.10: the batch stops at the end of the new table */
	pgt_map_pages(x.t, M2, M2, M2, 1, PGT_READ, &mapped, &err);
	EQ(pgt_unmap_bytes(x.t, 0x3FE000, K4, 4, &split, &err), 0x2000,
	   "split window stops at the table's end");
	EQ(pgt_unmap_bytes(x.t, 0x3FE000, K4, 1, &split, &err), 0, "unmap of a hole returns 0");
	OK(err.code == -ENOENT, "hole unmap says not mapped: %s", err.msg);

	/* a block over a table tears the table down with one flush_walk */
	pgt_map_pages(x.t, 0x80000000, 0, K4, 1, PGT_READ, &mapped, &err);
	pgt_unmap_bytes(x.t, 0x80000000, K4, 1, &split, &err);
	clear_log(&x);
	OK(!pgt_map_pages(x.t, 0x80000000, 0, M2, 1, PGT_READ, &mapped, &err),
	   "a block replaces an emptied table");
	OK(!strcmp(x.log, "walk 80000000 200000 1000;"), "map over a table: %s", x.log);
	drop(&x);
}

static void test_iommu_pgsize(void)
{
	uint64_t count;
	const uint64_t bm = K4 | M2 | G1;
	EQ(pgt_iommu_pgsize(bm, 0, 0, 4 * G1, &count), G1, "aligned 4G: 1G pages");
	EQ(count, 4, "four of them");
	EQ(pgt_iommu_pgsize(bm, 0x1000, 0x1000, G1, &count), K4, "unaligned start: 4K pages");
	EQ(count, 511, "up to the next 2M boundary");
	EQ(pgt_iommu_pgsize(bm, 0x200000, 0x1000, 4 * M2, &count), K4,
	   "iova and pa differently offset: 4K");
	EQ(count, 2048, "all of it in 4K");
}

int main(void)
{
	test_geometry();
	test_granule_choice();
	test_refusals();
	test_leaves();
	test_address_fold();
	test_registers();
	test_unmap();
	test_iommu_pgsize();
	return t_done();
}

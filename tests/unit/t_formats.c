// SPDX-License-Identifier: MIT
/*
 * arm-v7s, apple-dart(2) and amd-iommu-v1 against values read off Linux
 * 6.12 (io-pgtable-arm-v7s.c, io-pgtable-dart.c, amd/io_pgtable.c):
 * descriptors per prot and page size, registers, refusals, the unmap and
 * split paths with their TLB calls, and AMD's growth.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "internal.h"

#include "unit/table_fixture.h"

static void test_v7s(void)
{
	const unsigned R = PGT_READ, W = PGT_WRITE, C = PGT_CACHE, X = PGT_NOEXEC, M = PGT_MMIO,
		       P = PGT_PRIV;
	const uint64_t all = K4 | K64 | M1 | M16;
	struct tbl x;
	struct pgt_error err;

	/* formats.md 3.3 reference values (arm_v7s_prot_to_pte) */
	static const struct {
		uint64_t size, quirks;
		unsigned prot;
		uint32_t value;
	} rows[] = {
		{K4, 0, 1 | 2 | 4, 0xC7E},
		{K4, 0, 1 | 2 | 4 | 8, 0xC7F},
		{K64, 0, 1 | 2 | 4, 0x1C3D},
		{M1, 0, 1 | 2 | 4, 0x31C0E},
		{M1, PGT_QUIRK_ARM_NS, 1 | 2 | 4, 0xB1C0E},
		{M1, 0, 1, 0x39C02},
		{M1, 0, 1 | 2 | 16 | 32 | 8, 0x30416},
		{M16, 0, 1 | 2 | 4, 0x71C0E},
		{M16, PGT_QUIRK_ARM_NS, 1 | 2 | 4, 0xF1C0E},
		{K4, PGT_QUIRK_NO_PERMS, 1 | 2 | 4 | 8, 0xC4E},
		{K64, PGT_QUIRK_NO_PERMS, 1 | 2 | 4 | 8, 0x1C0D},
	};
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (make(&x, "arm-v7s", 32, 32, all, rows[i].quirks, true, 0x40000000))
			continue;
		map1(&x, 0x20000000, 0, rows[i].size, rows[i].prot);
		EQ(leaf_at(&x, 0x20000000), rows[i].value, "v7s %s prot 0x%x%s",
		   rows[i].size == K4 ? "small page" : rows[i].size == K64 ? "large page"
		   : rows[i].size == M1 ? "section" : "supersection",
		   rows[i].prot, rows[i].quirks ? " with a quirk" : "");
		drop(&x);
	}

	/* registers: formats.md 3.4 */
	struct pgt_regs r;
	if (!make(&x, "arm-v7s", 32, 32, all, 0, true, 0x40000000)) {
		pgt_table_regs(x.t, &r);
		OK(r.reg[0].value == 0x4000006a && r.reg[1].value == 0 &&
			   r.reg[2].value == 0x40004000 && r.reg[3].value == 0x800B8204,
		   "v7s coherent: ttbr PA|0x6a, tcr 0, nmrr 0x40004000, prrr 0x800b8204");
		drop(&x);
	}
	if (!make(&x, "arm-v7s", 32, 32, all, 0, false, 0x40000000)) {
		pgt_table_regs(x.t, &r);
		EQ(r.reg[0].value, 0x40000002, "v7s non-coherent: ttbr PA|0x2");
		drop(&x);
	}
	uint64_t mtk = PGT_QUIRK_NO_PERMS | PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_ARM_MTK_TTBR_EXT;
	if (!make(&x, "arm-v7s", 34, 35, all, mtk, true, 0x340000000)) {
		pgt_table_regs(x.t, &r);
		EQ(r.reg[0].value, 0x40000003, "v7s mtk: ttbr (u32)(PA | PA >> 32)");
		/* PA bits 32..34 in bits 9, 4, 5 */
		map1(&x, 0x1000, 0x700001000, K4, R | W);
		EQ(leaf_at(&x, 0x1000) & 0x230, 0x230, "v7s mtk: PA bits 34:32 in entry bits 5, 4, 9");
		EQ(pgt_iova_to_phys(x.t, 0x1042), 0x700001042, "v7s mtk: the 35-bit PA translates");
		struct pgt_walk w;
		pgt_translate(x.t, 0x1000, &w);
		/* the level-2 table is at 0x3_4001_0000: PA bits 33 and 32 */
		EQ(w.step[0].e.raw & 0x230, 0x210, "v7s mtk-ttbr-ext: table PA bits 34:32 too");
		drop(&x);
	}

	/* refusals: arm_v7s_alloc_pgtable() */
	OK(make(&x, "arm-v7s", 33, 32, all, 0, true, 0) == -EINVAL, "v7s refuses ias 33");
	OK(make(&x, "arm-v7s", 32, 33, all, 0, true, 0) == -EINVAL, "v7s refuses oas 33");
	OK(make(&x, "arm-v7s", 32, 32, all, PGT_QUIRK_ARM_MTK_EXT, true, 0) == -EINVAL,
	   "arm-mtk-ext without no-perms is refused");
	OK(make(&x, "arm-v7s", 32, 32, all, PGT_QUIRK_ARM_MTK_TTBR_EXT | PGT_QUIRK_NO_PERMS, true,
		0) == -EINVAL,
	   "arm-mtk-ttbr-ext without arm-mtk-ext is refused");
	OK(make(&x, "arm-v7s", 32, 32, all, PGT_QUIRK_ARM_TTBR1, true, 0) == -EINVAL,
	   "an LPAE quirk is refused");
	OK(make(&x, "arm-v7s", 32, 32, all, 0, true, 0x100000000) == -ENOMEM,
	   "a level-1 table above 4G is refused without arm-mtk-ttbr-ext");
	OK(make(&x, "arm-v7s", 19, 32, all, 0, true, 0) == -EINVAL,
	   "ias 19 is refused (the kernel's level-1 size would be a negative shift)");
	if (!make(&x, "arm-v7s", 20, 32, all, 0, true, 0x40000000)) {
		OK(!map1(&x, 0, 0x100000, M1, R | W), "ias 20: a one-entry level 1 holds a section");
		EQ(pgt_iova_to_phys(x.t, 0xfffff), 0x1fffff, "ias 20: the section translates");
		OK(map1(&x, M1, M1, K4, R) == -ERANGE, "ias 20: nothing above 1M");
		drop(&x);
	}

	/* formats.md 8.2: the kernel selftest's partial unmaps, with events */
	struct pgt_unmap_opts split = {PGT_SPLIT_612, true, false};
	if (make(&x, "arm-v7s", 32, 32, all, PGT_QUIRK_ARM_NS, true, 0x40000000))
		return;
	const uint64_t sizes[] = {K4, K64, M1, M16};
	for (unsigned i = 0; i < 4; i++) {
		pgt_addr iova = i * M16;
		OK(!map1(&x, iova, iova, sizes[i], R | W | X | C), "selftest map at 0x%llx",
		   (unsigned long long)iova);
		OK(map1(&x, iova, iova + sizes[i], sizes[i], R | X) == -EEXIST, "overlap refused");
		EQ(pgt_iova_to_phys(x.t, iova + 42), iova + 42, "translates");
	}
	clear_log(&x);
	EQ(pgt_unmap_bytes(x.t, M16 + K4, K4, 1, &split, &err), K4, "4K out of a 64K large page");
	OK(!strcmp(x.log, "walk 1001000 10000 10000;page 1001000 1000;"),
	   "large page split: flush_walk(iova, 64K, 64K) then add_page: %s", x.log);
	EQ(pgt_iova_to_phys(x.t, M16 + 0x2042), M16 + 0x2042, "the rest keeps its addresses");
	clear_log(&x);
	EQ(pgt_unmap_bytes(x.t, 2 * M16 + K4, K4, 1, &split, &err), K4, "4K out of a section");
	OK(!strcmp(x.log, "page 2001000 1000;"), "section split: one add_page: %s", x.log);
	EQ(pgt_iova_to_phys(x.t, 2 * M16 + 0x2042), 2 * M16 + 0x2042,
	   "the section's PA is kept (6.12 would give 0x2042)");
	clear_log(&x);
	EQ(pgt_unmap_bytes(x.t, 3 * M16 + 5 * M1 + K4, K4, 1, &split, &err), K4,
	   "4K out of a supersection, outside its first MiB");
	OK(!strcmp(x.log, "walk 3501000 1000000 1000000;page 3501000 1000;"),
	   "supersection split: flush_walk(iova, 16M, 16M) then add_page: %s", x.log);
	EQ(pgt_iova_to_phys(x.t, 3 * M16 + 5 * M1 + 0x2042), 3 * M16 + 5 * M1 + 0x2042,
	   "the supersection's other pages keep their addresses");
	EQ(pgt_iova_to_phys(x.t, 3 * M16 + 9 * M1 + 42), 3 * M16 + 9 * M1 + 42,
	   "and so do its other sections");

	/* full unmaps: formats.md 8.2 step 4 events */
	clear_log(&x);
	EQ(pgt_unmap_bytes(x.t, 0, K4, 1, &split, &err), K4, "unmap the small page");
	clear_log(&x);
	pgt_map_pages(x.t, M16 + K4, K4, K4, 1, R, &(uint64_t){0}, &err);
	EQ(pgt_unmap_bytes(x.t, M16, K64, 1, &split, &err), K64, "unmap what was the large page");
	OK(!strncmp(x.log, "page 1000000 1000;page 1001000 1000;", 36),
	   "16 add_page calls of 4K, in order: %.60s", x.log);
	clear_log(&x);
	EQ(pgt_unmap_bytes(x.t, 2 * M16, M1, 1, &split, &err), M1, "unmap the split section (a table)");
	OK(!strcmp(x.log, "walk 2000000 100000 1000;"), "one flush_walk(iova, 1M, 4K): %s", x.log);
	struct pgt_unmap_opts refuse = {PGT_SPLIT_REFUSE, true, false};
	pgt_map_pages(x.t, 5 * M16, 5 * M16, K64, 1, R, &(uint64_t){0}, &err);
	EQ(pgt_unmap_bytes(x.t, 5 * M16 + K4, K4, 1, &refuse, &err), 0,
	   "part of a large page is refused by default");
	EQ(pgt_iova_to_phys(x.t, 5 * M16 + K4), 5 * M16 + K4, "and nothing changed");
	drop(&x);
	(void)M;
	(void)P;
}

static void test_dart(void)
{
	struct tbl x;
	struct pgt_regs r;
	struct pgt_error err;
	const unsigned R = PGT_READ, W = PGT_WRITE, C = PGT_CACHE;

	/* formats.md 4.3 examples */
	if (!make(&x, "apple-dart", 32, 36, K16, 0, true, 0x80000000)) {
		map1(&x, 0x4000, 0x800000000, K16, R | W);
		map1(&x, 0x8000, 0x800000000, K16, R);
		EQ(leaf_at(&x, 0x4000), 0x000FFF0800000003ull, "DART1 R|W leaf");
		EQ(leaf_at(&x, 0x8000), 0x000FFF0800000083ull, "DART1 R leaf: NO_WRITE");
		pgt_table_regs(x.t, &r);
		OK(r.reg[0].kind == PGT_REG_LIST && r.reg[0].n == 1 && r.reg[0].list[0] == 0x80000000 &&
			   r.reg[1].value == 1,
		   "DART1 16K ias 32: one TTBR");
		drop(&x);
	}
	if (!make(&x, "apple-dart2", 32, 42, K16, 0, true, 0x80000000)) {
		map1(&x, 0x4000, 0x800000000, K16, R | W);
		map1(&x, 0x8000, 0x800000000, K16, R | W | C);
		map1(&x, 0xc000, 0x800000000, K16, R);
		EQ(leaf_at(&x, 0x4000), 0x000FFF0080000003ull, "DART2 R|W leaf: NO_CACHE (bit 1) set");
		EQ(leaf_at(&x, 0x8000), 0x000FFF0080000003ull, "DART2 R|W|CACHE: bit 1 set all the same");
		EQ(leaf_at(&x, 0xc000), 0x000FFF0080000007ull, "DART2 R leaf");
		struct pgt_walk w;
		pgt_translate(x.t, 0x4000, &w);
		EQ(w.step[0].e.raw, ((w.step[0].e.pa >> 4) | 1), "DART2 table descriptor: PA >> 4 | VALID");
		drop(&x);
	}
	/* TTBR count by ias: formats.md 4.2 */
	static const struct {
		uint64_t pg;
		unsigned ias, n;
	} rows[] = {{K4, 30, 1}, {K4, 31, 2}, {K4, 32, 4}, {K16, 36, 1}, {K16, 37, 2}, {K16, 38, 4}};
	for (unsigned i = 0; i < 6; i++)
		if (!make(&x, "apple-dart", rows[i].ias, 42, rows[i].pg, 0, true, 0x80000000)) {
			EQ(pgt_table_geometry(x.t)->n_roots, rows[i].n, "DART %lluK ias %u: %u TTBRs",
			   (unsigned long long)rows[i].pg >> 10, rows[i].ias, rows[i].n);
			drop(&x);
		}
	OK(make(&x, "apple-dart", 33, 36, K4, 0, true, 0) == -EINVAL, "DART 4K ias 33 needs 8 TTBRs: refused");
	OK(make(&x, "apple-dart", 32, 40, K16, 0, true, 0) == -EINVAL, "DART oas 40 refused");
	OK(make(&x, "apple-dart", 32, 36, K16 | K4, 0, true, 0) == -EINVAL, "DART two page sizes refused");
	OK(make(&x, "apple-dart", 32, 36, K16, 0, false, 0) == -EINVAL, "DART non-coherent refused");
	OK(make(&x, "apple-dart", 37, 36, K16, 0, true, 0) == -EINVAL, "DART ias > oas refused");

	/* four TTBRs: each root takes its quarter */
	if (!make(&x, "apple-dart", 32, 36, K4, 0, true, 0x80000000)) {
		for (unsigned q = 0; q < 4; q++)
			map1(&x, (uint64_t)q << 30 | 0x5000, 0x100000000 + q * K4, K4, R | W);
		struct pgt_walk w;
		bool ok = true;
		for (unsigned q = 0; q < 4; q++)
			ok = ok && pgt_translate(x.t, (uint64_t)q << 30 | 0x5000, &w) && w.root == q &&
			     w.pa == 0x100000000 + q * K4;
		OK(ok, "DART 4K ias 32: IOVA bits 31:30 pick the TTBR");
		struct pgt_unmap_opts o = {PGT_SPLIT_REFUSE, false, false};
		clear_log(&x);
		EQ(pgt_unmap_bytes(x.t, 0x5000, K4, 1, &o, &err), K4, "DART unmap");
		OK(!strcmp(x.log, "page 5000 1000;"), "DART add_page with a NULL gather: %s", x.log);
		drop(&x);
	}
	/* DART2 with 4K pages cannot hold PA bits 13:12 */
	if (!make(&x, "apple-dart2", 32, 42, K4, 0, true, 0x80000000)) {
		uint64_t mapped = 0;
		OK(pgt_map_pages(x.t, 0x1000, 0x801001000, K4, 1, R, &mapped, &err) == -EINVAL &&
			   strstr(err.msg, "13:12"),
		   "DART2 4K page with PA bit 12 refused: %s", err.msg);
		OK(!pgt_map_pages(x.t, 0x1000, 0x801004000, K4, 1, R, &mapped, &err),
		   "DART2 4K page at a 16K-aligned PA maps");
		/* nor its table descriptors those bits of a table's address:
		 * every second-level table lands on a 16K boundary */
		struct pgt_walk w;
		bool ok = true;
		for (unsigned q = 0; q < 4; q++) {
			pgt_addr iova = (uint64_t)q << 30 | 0x201000;
			ok = ok && !map1(&x, iova, 0x801008000, K4, R) && pgt_translate(x.t, iova, &w) &&
			     w.pa == 0x801008000 && !(w.step[1].table_pa & (K16 - 1));
		}
		OK(ok, "DART2 4K: a second-level table under each TTBR, each where it is pointed at");
		drop(&x);
	}
}

static void test_amd(void)
{
	struct tbl x;
	struct pgt_error err;
	struct pgt_regs r;
	const unsigned R = PGT_READ, W = PGT_WRITE;
	uint64_t mapped;

	if (make(&x, "amd-iommu-v1", 52, 52, ~0ull, 0, true, 0x100000000))
		return;
	pgt_table_regs(x.t, &r);
	OK(r.reg[0].value == 0x100000000 && r.reg[1].kind == PGT_REG_COUNT && r.reg[1].value == 3,
	   "AMD: a 4K root, mode 3 (v1_alloc_pgtable)");
	EQ(pgt_table_cfg(x.t)->pgsize_bitmap, 0x000FFFFFFFFFF000ull ^ (1ull << 39),
	   "AMD_IOMMU_PGSIZES: 4K..2^51 but 512G");

	/* formats.md 5.2 examples */
	map1(&x, 0x10000, 0x200010000, K64, R | W);
	EQ(leaf_at(&x, 0x10000), 0x200010000ull | 0x7000000000007E01ull, "64K RW: PA | 0x7000000000007E01");
	struct pgt_walk w;
	pgt_translate(x.t, 0x1f000, &w);
	OK(w.step[w.n_steps - 1].e.count == 16 && w.step[w.n_steps - 1].e.size == K64 &&
		   w.pa == 0x20001f000,
	   "64K: 16 level-0 entries, translated within");
	map1(&x, 0x2000, 0x200002000, 0x2000, W);
	EQ(leaf_at(&x, 0x2000), 0x200002000ull | (1ull << 60) | (1ull << 62) | (7 << 9) | 1,
	   "8K write-only: 2 entries, address bit 12 = 0");
	map1(&x, 0x400000, 0x400400000, 4 * M1, R);
	pgt_translate(x.t, 0x400000, &w);
	OK(w.step[w.n_steps - 1].label == 1 && w.step[w.n_steps - 1].e.count == 2,
	   "4M: 2 entries at level 1");
	map1(&x, M2, 0x300200000, M2, R | W);
	EQ(leaf_at(&x, M2), 0x300200000ull | (3ull << 60 | 1ull << 62) | 1,
	   "2M: a natural level-1 leaf, FC IR IW PR");
	pgt_translate(x.t, M2, &w);
	EQ(w.step[0].e.raw & 0xe01, (2 << 9) | 1, "PDE in the level-2 root: next level 2, PR");

	/* the kernel overwrites a leaf in map_pages (no EEXIST, no flush) */
	clear_log(&x);
	mapped = 0;
	OK(!pgt_map_pages(x.t, 0x10000, 0x500000000, K4, 1, R, &mapped, &err),
	   "map_pages over a 64K group's first entry: overwritten");
	OK(x.len == 0, "leaf over leaf: no flush (%s)", x.log);
	pgt_translate(x.t, 0x11000, &w);
	EQ(w.pa, 0x200011000, "the group's other entries stay, and translate reads them");
	EQ(pgt_iova_to_phys(x.t, 0x11000), 0x500001000,
	   "iova_to_phys reads the group's first entry with the hit entry's size, as fetch_pte");
	/* a large page on the way down is destroyed, and the driver flushes */
	clear_log(&x);
	OK(!pgt_map_pages(x.t, M2 + K4, 0x600001000, K4, 1, R, &mapped, &err),
	   "map_pages inside a 2M page");
	OK(!strcmp(x.log, "amd_iommu_domain_flush_pages 201000 1000;"),
	   "the 2M page is destroyed, one driver flush: %s", x.log);
	EQ(pgt_iova_to_phys(x.t, M2), 0, "the rest of the 2M page is gone, as in the kernel");

	/* unmap: lookup, whole pages, holes in a level-0 table count */
	struct pgt_unmap_opts kernel = {PGT_SPLIT_612, true, false};
	struct pgt_unmap_opts refuse = {PGT_SPLIT_REFUSE, true, false};
	EQ(pgt_unmap_bytes(x.t, 0x400000 + K4, K4, 1, &refuse, &err), 0,
	   "part of a 4M page: refused by default");
	EQ(pgt_unmap_bytes(x.t, 0x400000 + K4, K4, 1, &kernel, &err), 4 * M1,
	   "the kernel's way: the whole 4M page goes, 4M reported");
	EQ(pgt_unmap_bytes(x.t, 0x30000, K4, 4, &refuse, &err), 0,
	   "empty slots of an existing level-0 table: refused by default");
	EQ(pgt_unmap_bytes(x.t, 0x30000, K4, 4, &kernel, &err), 0x4000,
	   "the kernel's way: four empty slots count 16K");
	EQ(pgt_unmap_bytes(x.t, 0x4000000000ull, K4, 1, &kernel, &err), 0,
	   "no table at all: 0");

	/* growth: formats.md 5.1 */
	clear_log(&x);
	mapped = 0;
	OK(!pgt_map_pages(x.t, 0x8000000000ull, 0x700000000, K4, 1, R, &mapped, &err),
	   "map above 512G");
	pgt_table_regs(x.t, &r);
	OK(r.reg[1].value == 4 && !strcmp(x.log, "amd_iommu_update_and_flush_device_table 0 0;"),
	   "the table grew to mode 4, the device table updated once: %s", x.log);
	EQ(pgt_iova_to_phys(x.t, 0x10042), 0x500000042, "the old mappings are under the new root");
	mapped = 0;
	OK(!pgt_map_pages(x.t, 0, 0, 1ull << 48, 1, R, &mapped, &err), "a 256T page");
	pgt_table_regs(x.t, &r);
	EQ(r.reg[1].value, 5, "which needs mode 5");
	mapped = 0;
	OK(!pgt_map_pages(x.t, 1ull << 63, 0x1000, K4, 1, R, &mapped, &err), "iova 2^63: mode 6");
	drop(&x);

	OK(make(&x, "amd-iommu-v1", 52, 52, K64, 0, true, 0) == -EINVAL,
	   "AMD page sizes without 4K are refused");
}

int main(void)
{
	test_v7s();
	test_dart();
	test_amd();
	return t_done();
}

// SPDX-License-Identifier: MIT
/*
 * The IOMMU structures: each kind's entries built here by hand, as the
 * kernels write them (and as they must not: reserved bits, misaligned and
 * outside pointers, loops), decoded and followed to the tables they name.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "../tools/open.h"
#include "iommu/iommu_int.h"

#define MEM_BASE 0x100000ull
#define MEM_SIZE 0x400000ull /* 1M..5M */

static struct pgt_mem *mem_new(void)
{
	struct pgt_error err;
	struct pgt_mem *m = t_arena(MEM_BASE);
	if (pgt_arena_reserve(m, MEM_BASE, MEM_SIZE, &err))
		abort();
	return m;
}

static void put(struct pgt_mem *m, pgt_addr pa, unsigned n, const uint64_t *w)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t v = htole64(w[i]);
		pgt_mem_write(m, pa + i * 8ull, &v, 8);
	}
}

static void put1(struct pgt_mem *m, pgt_addr pa, uint64_t w)
{
	put(m, pa, 1, &w);
}

static struct pgt_iommu *open_io(const char *kind, const char *reg, struct pgt_mem *m)
{
	struct pgt_iommu *io;
	struct pgt_error err;
	if (pgt_iommu_open(pgt_iommu_kind_find(kind), reg, m, &io, &err)) {
		printf("# open %s %s: %s\n", kind, reg, err.msg);
		return NULL;
	}
	return io;
}

static int find(struct pgt_iommu *io, const char *id, struct pgt_iommu_device *d,
		struct pgt_error *err)
{
	struct pgt_devid x;
	if (pgt_devid_parse(id, &x, err))
		return err->code;
	return iommu_find(io, &x, d, err);
}

/* Every device and problem of a walk, as text. */
struct seen {
	const struct pgt_iommu_kind *k;
	char devs[2048], probs[2048];
	unsigned n_devs, n_probs;
};

static int on_dev(void *ctx, const struct pgt_iommu_device *d)
{
	struct seen *s = ctx;
	char id[48], line[160];
	snprintf(line, sizeof(line), "%s %s%s%s;", pgt_devid_str(s->k, &d->id, id, sizeof(id)),
		 pgt_dev_mode_name(d->mode), d->has_table ? " " : "",
		 d->has_table ? d->table.format : "");
	strncat(s->devs, line, sizeof(s->devs) - strlen(s->devs) - 1);
	s->n_devs++;
	return 0;
}

static int on_prob(void *ctx, const struct pgt_iommu_problem *p)
{
	struct seen *s = ctx;
	char line[400];
	snprintf(line, sizeof(line), "%s %s: %s;", pgt_stop_name(p->kind), p->what, p->why);
	strncat(s->probs, line, sizeof(s->probs) - strlen(s->probs) - 1);
	s->n_probs++;
	return 0;
}

static void walk(struct pgt_iommu *io, bool all, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	s->k = pgt_iommu_kind_of(io);
	struct pgt_iommu_visitor v = {on_dev, on_prob, all, s};
	int rc = pgt_iommu_walk(io, &v);
	if (rc)
		printf("# walk: %d\n", rc);
}

static void devids(void)
{
	struct pgt_devid id;
	struct pgt_error err;
	char b[48];
	OK(!pgt_devid_parse("0001:02:03.4", &id, &err) && id.seg == 1 && id.id == 0x21c &&
		   !id.has_pasid,
	   "a BDF with its segment");
	OK(!pgt_devid_parse("00:03.0/7", &id, &err) && id.id == 0x18 && id.has_pasid &&
		   id.pasid == 7,
	   "a BDF with a PASID");
	OK(!pgt_devid_parse("0x10/0x401", &id, &err) && id.id == 0x10 && id.pasid == 0x401,
	   "a stream ID with a substream ID");
	OK(pgt_devid_parse("00:20.0", &id, &err) == -EINVAL, "a device number above 31 is refused");
	OK(pgt_devid_parse("nic", &id, &err) == -EINVAL, "a word is refused");
	OK(pgt_devid_parse("1/0x100000", &id, &err) == -ERANGE, "a PASID wider than 20 bits too");
	pgt_devid_parse("00:03.0/1", &id, &err);
	OK(!strcmp(pgt_devid_str(pgt_iommu_kind_find("amd-vi"), &id, b, sizeof(b)),
		   "0000:00:03.0/1") &&
		   !strcmp(pgt_devid_str(pgt_iommu_kind_find("smmuv3"), &id, b, sizeof(b)),
			   "0x18/1"),
	   "written as a BDF for PCI IOMMUs, a number for SMMUv3");
}

/* --- AMD-Vi ----------------------------------------------------------------- */

#define DEVTAB 0x200000ull /* 2 pages: 256 DTEs */

static void dte(struct pgt_mem *m, unsigned devid, uint64_t w0, uint64_t w1, uint64_t w2)
{
	uint64_t d[4] = {w0, w1, w2, 0};
	put(m, DEVTAB + devid * 32ull, 4, d);
}

/* set_dte_gcr3_table(): the GCR3 table's address spread over three fields */
static void dte_gcr3(struct pgt_mem *m, unsigned devid, pgt_addr gcr3, unsigned glx, bool giov)
{
	uint64_t w0 = 3 | 1ull << 55 | (uint64_t)glx << 56 | ((gcr3 >> 12) & 7) << 58 |
		      3ull << 61 | (giov ? 1ull << 54 : 0);
	uint64_t w1 = 9 | ((gcr3 >> 15) & 0xffff) << 16 | (gcr3 >> 31) << 43;
	dte(m, devid, w0, w1, 0);
}

static void amd_vi(void)
{
	struct pgt_mem *m = mem_new();
	struct pgt_iommu_device d;
	struct pgt_error err;
	struct pgt_iommu *io;
	struct seen s;

	OK(pgt_iommu_open(pgt_iommu_kind_find("amd-vi"), "0x200e00", m, &io, &err) == -EINVAL &&
		   strstr(err.msg, "reserved bits 0xe00"),
	   "a Device Table Base with reserved bits set is refused: %s", err.msg);
	io = open_io("amd-vi", "0x200001", m);
	OK(io && !strcmp(pgt_iommu_register(io)->name, "Device Table Base register") &&
		   pgt_iommu_register(io)->field[0].value == DEVTAB &&
		   pgt_iommu_register(io)->field[1].value == 1,
	   "the register: DevTabBase and Size");
	/* init_device_table_dma(): V and TV everywhere */
	for (unsigned i = 0; i < 256; i++)
		dte(m, i, 3, 0, 0);
	/* 00:03.0: a 3-level v1 table, domain 5 (amd_iommu_set_dte_v1()) */
	dte(m, 0x18, 3 | 3ull << 9 | 0x300000 | 3ull << 61, 5, 0);
	/* 00:04.0 passed through (set_dte_passthrough()); 00:04.1 V alone */
	dte(m, 0x20, 3 | 3ull << 61, 6, 0);
	dte(m, 0x21, 1, 0, 0);
	/* 00:05.0 Mode 7; 00:05.1 a reserved bit */
	dte(m, 0x28, 3 | 7ull << 9, 0, 0);
	dte(m, 0x29, 3 | 3ull << 9 | 0x300000 | 1ull << 4, 0, 0);

	OK(!find(io, "0000:00:03.0", &d, &err) && d.mode == PGT_DEV_TRANSLATED && d.has_table &&
		   !strcmp(d.table.format, "amd-iommu-v1") && d.table.root[0] == 0x300000 &&
		   d.table.cfg.opt[0] == 3 && d.has_domain && d.domain == 5 &&
		   !strcmp(d.domain_name, "DomainID"),
	   "00:03.0: translated by its v1 table, mode 3, domain 5");
	OK(d.n_chain == 1 && !strcmp(d.chain[0].name, "DTE") && d.chain[0].index == 0x18 &&
		   d.chain[0].pa == DEVTAB + 0x18 * 32 && !d.n_problems,
	   "its chain: the one DTE, where it is");
	OK(!find(io, "00:04.0", &d, &err) && d.mode == PGT_DEV_BYPASS && !d.has_table,
	   "IR and IW without a table: bypass");
	OK(!find(io, "00:04.1", &d, &err) && d.mode == PGT_DEV_ABORT, "V alone (7.3's clear DTE): abort");
	OK(!find(io, "00:05.0", &d, &err) && d.mode == PGT_DEV_ABORT && d.n_problems == 1 &&
		   d.problem[0].kind == PGT_STOP_BAD,
	   "Mode 7: abort, and a malformed DTE");
	OK(!find(io, "00:05.1", &d, &err) && d.mode == PGT_DEV_TRANSLATED && d.n_problems == 1 &&
		   strstr(d.problem[0].why, "reserved bits 0x10 set in word 0"),
	   "a reserved bit: still translated as the hardware would, and reported");
	OK(find(io, "0000:01:00.0", &d, &err) == -ENOENT &&
		   strstr(err.msg, "beyond the device table's 256 entries"),
	   "a device beyond the table: %s", err.msg);

	walk(io, false, &s);
	OK(!strcmp(s.devs, "0000:00:03.0 translated amd-iommu-v1;0000:00:04.0 bypass;"
			   "0000:00:05.1 translated amd-iommu-v1;"),
	   "the walk: abort entries are left out: %s", s.devs);
	OK(s.n_probs == 2, "and both problems are reported: %s", s.probs);
	walk(io, true, &s);
	OK(s.n_devs == 256, "--all: every entry (%u)", s.n_devs);

	/* 00:06.0: GV, a 1-level GCR3 table with PASIDs 0 and 3, GIOV */
	put1(m, 0x301000, 0x310000 | 1);
	put1(m, 0x301000 + 3 * 8, 0x320000 | 1);
	dte_gcr3(m, 0x30, 0x301000, 0, true);
	OK(!find(io, "00:06.0", &d, &err) && d.mode == PGT_DEV_TRANSLATED &&
		   !strcmp(d.table.format, "amd-iommu-v2") && d.table.root[0] == 0x310000 &&
		   d.domain == 9,
	   "GIOV: DMA without a PASID goes through PASID 0's v2 table");
	OK(d.n_chain == 2 && !strcmp(d.chain[1].name, "GCR3 entry") && d.chain[1].index == 0,
	   "its chain: DTE, then GCR3 entry 0");
	OK(!find(io, "00:06.0/3", &d, &err) && d.table.root[0] == 0x320000 && d.id.has_pasid,
	   "PASID 3: its own v2 table");
	OK(find(io, "00:06.0/4", &d, &err) == -ENOENT, "PASID 4 has no entry");
	/* 00:06.1: nested, GLX 1: PASID 513 in the second table of the directory */
	put1(m, 0x302000 + 1 * 8, 0x303000 | 1);
	put1(m, 0x303000 + 1 * 8, 0x330000 | 1);
	dte_gcr3(m, 0x31, 0x302000, 1, false);
	uint64_t w0 = 3 | 1ull << 55 | 1ull << 56 | ((0x302000ull >> 12) & 7) << 58 | 3ull << 61 |
		      2ull << 9 | 0x340000;
	uint64_t w1 = 9 | ((0x302000ull >> 15) & 0xffff) << 16;
	dte(m, 0x31, w0, w1, 1ull << 54);
	OK(!find(io, "00:06.1/513", &d, &err) && d.mode == PGT_DEV_NESTED &&
		   d.table.root[0] == 0x330000 && d.has_stage2 && d.stage2.root[0] == 0x340000 &&
		   d.stage2.cfg.opt[0] == 2 && d.n_chain == 3,
	   "GLX 1: PASID 513 through the directory, a 5-level guest table nested in the v1 host one");
	OK(!find(io, "00:06.1", &d, &err) && d.mode == PGT_DEV_TRANSLATED &&
		   !strcmp(d.table.format, "amd-iommu-v1"),
	   "without GIOV DMA without a PASID takes the host table");
	/* a directory entry pointing at its own directory: a loop */
	put1(m, 0x302000 + 2 * 8, 0x302000 | 1);
	walk(io, false, &s);
	OK(strstr(s.probs, "loop GCR3 directory entry: GCR3 table at 0x302000 overlaps the table "
			   "at 0x302000 above it"),
	   "a GCR3 directory pointing back at itself is a loop: %s", s.probs);
	/* a GCR3 table outside memory */
	dte_gcr3(m, 0x32, 0x7000000, 0, false);
	walk(io, false, &s);
	OK(strstr(s.probs, "outside-memory DTE: GCR3 table at 0x7000000 is outside memory;"),
	   "a GCR3 table outside memory is reported, not read: %s", s.probs);
	pgt_iommu_close(io);

	io = open_io("amd-vi", "0x7000000", m);
	walk(io, false, &s);
	OK(s.n_devs == 0 && !strcmp(s.probs, "outside-memory Device Table Base register: device "
					    "table at 0x7000000 is outside memory;"),
	   "a device table outside memory: %s", s.probs);
	pgt_iommu_close(io);
	pgt_mem_destroy(m);
}

/* --- SMMUv3 ----------------------------------------------------------------- */

#define STRTAB 0x200000ull

static void ste(struct pgt_mem *m, pgt_addr pa, uint64_t w0, uint64_t w1, uint64_t w2,
		uint64_t w3)
{
	uint64_t s[8] = {w0, w1, w2, w3, 0, 0, 0, 0};
	put(m, pa, 8, s);
}

/* arm_smmu_make_s1_cd(): T0SZ, TG0 4K, WBWA inner shareable, EPD1, V,
 * IPS, AA64, R, A, ASET, ASID; TTB0 */
static void cd(struct pgt_mem *m, pgt_addr pa, unsigned t0sz, unsigned ips, pgt_addr ttb,
	       unsigned asid)
{
	uint64_t c[8] = {t0sz | 1u << 8 | 1u << 10 | 3u << 12 | 1u << 30 | 1ull << 31 |
				 (uint64_t)ips << 32 | 1ull << 41 | 1ull << 45 | 1ull << 46 |
				 1ull << 47 | (uint64_t)asid << 48,
			 ttb, 0, 0x44ff04, 0, 0, 0, 0};
	put(m, pa, 8, c);
}

/* A table of fmt at base in m, mapping 0x10000-0x11fff to 0x80010000. */
static void table_at(struct pgt_mem *m, pgt_addr base, const char *fmt, unsigned ias)
{
	struct pgt_table *t;
	struct pgt_error err;
	struct pgt_cfg cfg;
	pgt_format_cfg_defaults(pgt_format_find(fmt), PGT_KERNEL_DEFAULT, &cfg);
	if (ias)
		cfg.ias = ias;
	struct pgt_mem *arena = t_arena(base);
	pgt_table_create(pgt_format_find(fmt), &cfg, arena, &t, &err);
	pgt_map(t, 0x10000, 0x80010000, 0x2000, PGT_READ | PGT_WRITE, 0, 0, &err);
	/* copy its memory into m */
	uint8_t page[4096];
	for (pgt_addr pa = base; pa < pgt_arena_end(arena); pa += 4096) {
		pgt_mem_read(arena, pa, page, 4096);
		pgt_mem_write(m, pa, page, 4096);
	}
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
}

static void smmuv3(void)
{
	struct pgt_mem *m = mem_new();
	struct pgt_iommu_device d;
	struct pgt_error err;
	struct pgt_iommu *io;
	struct pgt_table *t;
	struct seen s;

	OK(pgt_iommu_open(pgt_iommu_kind_find("smmuv3"), "0x200000", m, &io, &err) == -EINVAL,
	   "STRTAB_BASE alone is not enough: %s", err.msg);
	OK(pgt_iommu_open(pgt_iommu_kind_find("smmuv3"), "0x200000,0x10148", m, &io, &err) ==
		   -EINVAL && strstr(err.msg, "SPLIT 5 is a reserved value"),
	   "a SPLIT the architecture does not have: %s", err.msg);
	table_at(m, 0x380000, "arm-64-lpae-s1", 39);
	/* linear, 64 STEs: SID 1 stage 1 with one CD, SID 2 bypass, SID 3 abort */
	io = open_io("smmuv3", "0x200000,0x6", m);
	ste(m, STRTAB + 64, 1 | 5 << 1 | 0x210000, 0, 0, 0);
	cd(m, 0x210000, 25, 2, 0x380000, 7);
	ste(m, STRTAB + 128, 1 | 4 << 1, 0, 0, 0);
	ste(m, STRTAB + 192, 1, 0, 0, 0);
	OK(!find(io, "1", &d, &err) && d.mode == PGT_DEV_TRANSLATED &&
		   !strcmp(d.table.format, "arm-64-lpae-s1") && d.table.root[0] == 0x380000 &&
		   d.table.cfg.ias == 39 && d.table.cfg.oas == 40 &&
		   d.table.cfg.pgsize_bitmap == 0x40201000 && d.table.cfg.coherent_walk &&
		   d.domain == 7 && !strcmp(d.domain_name, "ASID"),
	   "SID 1: its CD's table, ias 64 - T0SZ, oas from IPS, the 4K granule's sizes, ASID 7");
	OK(d.n_chain == 2 && !strcmp(d.chain[0].name, "STE") && !strcmp(d.chain[1].name, "CD"),
	   "its chain: STE, CD");
	OK(!pgt_iommu_table_open(&d.table, m, &t, &err) &&
		   pgt_iova_to_phys(t, 0x11008) == 0x80011008,
	   "the table opens with that configuration and translates");
	pgt_table_destroy(t);
	d.table.cfg.ias = 48;
	d.table.expect[0].value = 64 - 39;
	OK(pgt_iommu_table_open(&d.table, m, &t, &err) == -EINVAL && strstr(err.msg, "tcr.tsz 16"),
	   "a table whose TCR would not be the CD's is refused: %s", err.msg);
	OK(!find(io, "2", &d, &err) && d.mode == PGT_DEV_BYPASS, "SID 2: bypass");
	OK(!find(io, "3", &d, &err) && d.mode == PGT_DEV_ABORT, "SID 3: abort");
	OK(!find(io, "4", &d, &err) && d.mode == PGT_DEV_INVALID, "SID 4: invalid");
	OK(find(io, "64", &d, &err) == -ENOENT && strstr(err.msg, "beyond the stream table's 64"),
	   "SID 64 is beyond the table: %s", err.msg);

	/* SID 5: stage 2 (arm_smmu_make_s2_domain_ste()), VTCR for ias 40 with 4K: SL0 1 */
	table_at(m, 0x380000, "arm-64-lpae-s2", 40);
	uint64_t vtcr = 24 | 1u << 6 | 1u << 8 | 1u << 10 | 3u << 12 | 2u << 16;
	ste(m, STRTAB + 5 * 64, 1 | 6 << 1, 0, 3 | vtcr << 32 | 1ull << 51, 0x380000);
	OK(!find(io, "5", &d, &err) && d.mode == PGT_DEV_TRANSLATED &&
		   !strcmp(d.table.format, "arm-64-lpae-s2") && d.table.cfg.ias == 40 &&
		   d.domain == 3 && !strcmp(d.domain_name, "VMID") &&
		   !pgt_iommu_table_open(&d.table, m, &t, &err),
	   "SID 5: stage 2, VMID 3, and the kernel's VTCR agrees: %s", err.msg);
	pgt_table_destroy(t);
	ste(m, STRTAB + 5 * 64, 1 | 6 << 1, 0, 3 | (vtcr & ~0xc0ull) << 32 | 1ull << 51, 0x380000);
	OK(!find(io, "5", &d, &err) && pgt_iommu_table_open(&d.table, m, &t, &err) == -EINVAL &&
		   strstr(err.msg, "vtcr.sl 1, the structures say 0"),
	   "an SL0 the kernel would not write for that ias: %s", err.msg);
	/* reserved Config, reserved bits */
	ste(m, STRTAB + 6 * 64, 1 | 2 << 1, 0, 0, 0);
	ste(m, STRTAB + 7 * 64, 1 | 4 << 1 | 1ull << 55, 0, 0, 0);
	walk(io, false, &s);
	OK(strstr(s.probs, "malformed STE: Config 2 is reserved;") &&
		   strstr(s.probs, "malformed STE: reserved bits 0x80000000000000 set in word 0"),
	   "a reserved Config and reserved bits: %s", s.probs);
	OK(!strcmp(s.devs, "0x1 translated arm-64-lpae-s1;0x2 bypass;0x5 translated "
			   "arm-64-lpae-s2;0x7 bypass;"),
	   "the streams that translate or bypass: %s", s.devs);

	/* SID 8: S1CDMax 11, 2-level CDs of 1024 (S1Fmt 2), S1DSS substream 0 */
	ste(m, STRTAB + 8 * 64, 1 | 5 << 1 | 2 << 4 | 0x220000 | 11ull << 59, 2, 0, 0);
	put1(m, 0x220000, 0x221000 | 1);
	put1(m, 0x220008, 0x240000 | 1);
	cd(m, 0x221000, 25, 5, 0x380000, 1);
	cd(m, 0x240000 + 64, 25, 5, 0x380000, 2);
	OK(!find(io, "8", &d, &err) && d.mode == PGT_DEV_TRANSLATED && d.domain == 1 &&
		   d.n_chain == 3,
	   "S1DSS substream 0: the stream's own transactions take CD 0");
	OK(!find(io, "8/1025", &d, &err) && d.domain == 2 && d.n_chain == 3 &&
		   !strcmp(d.chain[1].name, "L1CD") && d.chain[1].index == 1,
	   "SSID 1025: the second L2 table of CDs");
	OK(find(io, "8/0", &d, &err) == -ENOENT, "SSID 0 is not a substream of its own");
	pgt_iommu_close(io);

	/* misaligned linear table: 64 STEs need 4K alignment */
	io = open_io("smmuv3", "0x200040,0x6", m);
	walk(io, false, &s);
	OK(strstr(s.probs, "stream table at 0x200040 is not aligned to 0x1000: the hardware reads "
			   "0x200000"),
	   "a misaligned stream table: %s", s.probs);
	pgt_iommu_close(io);

	/* 2-level, SPLIT 8, 16 SID bits: SID 0x110 through L1 entry 1 */
	io = open_io("smmuv3", "0x230000,0x10210", m);
	put1(m, 0x230000 + 8, 0x250000 | 9);
	ste(m, 0x250000 + 0x10 * 64, 1 | 5 << 1 | 0x210000, 0, 0, 0);
	OK(!find(io, "0x110", &d, &err) && d.mode == PGT_DEV_TRANSLATED && d.n_chain == 3 &&
		   !strcmp(d.chain[0].name, "L1STD"),
	   "2-level: SID 0x110 through L1STD 1");
	OK(!find(io, "01:02.0", &d, &err) && d.id.id == 0x110, "a BDF is its requester ID");
	/* an L1STD outside memory, one with a span too wide, one pointing at the L1 */
	put1(m, 0x230000 + 16, 0x9000000 | 9);
	put1(m, 0x230000 + 24, 0x250000 | 12);
	put1(m, 0x230000 + 32, 0x230000 | 1);
	walk(io, false, &s);
	OK(strstr(s.probs, "outside-memory L1STD: L2 stream table at 0x9000000 is outside memory;") &&
		   strstr(s.probs, "malformed L1STD: Span 12 is reserved") &&
		   strstr(s.probs, "loop L1STD: L2 stream table at 0x230000 overlaps the table"),
	   "bad L1 descriptors: %s", s.probs);
	OK(find(io, "0x210", &d, &err) == -ENOENT && strstr(err.msg, "is outside memory"),
	   "a device below a bad descriptor: %s", err.msg);
	pgt_iommu_close(io);
	pgt_mem_destroy(m);
}

/* --- Intel VT-d -------------------------------------------------------------- */

static void intel_vtd(void)
{
	struct pgt_mem *m = mem_new();
	struct pgt_iommu_device d;
	struct pgt_error err;
	struct pgt_iommu *io;
	struct seen s;

	OK(pgt_iommu_open(pgt_iommu_kind_find("intel-vtd"), "0x200800", m, &io, &err) == -EINVAL,
	   "TTM 2 is refused: %s", err.msg);
	/* legacy: bus 0 -> context table; 00:02.0 second stage AW 2 DID 4;
	 * 00:03.0 pass-through */
	io = open_io("intel-vtd", "0x200000", m);
	put1(m, 0x200000, 0x201000 | 1);
	uint64_t c1[2] = {0x300000 | 1, 2 | 4 << 8}, c2[2] = {1 | 2 << 2, 2 | 5 << 8};
	put(m, 0x201000 + 0x10 * 16, 2, c1);
	put(m, 0x201000 + 0x18 * 16, 2, c2);
	OK(!find(io, "00:02.0", &d, &err) && d.mode == PGT_DEV_TRANSLATED &&
		   !strcmp(d.table.format, "intel-vtd-ss") && d.table.root[0] == 0x300000 &&
		   d.table.cfg.ias == 48 && d.domain == 4 && !strcmp(d.domain_name, "DID"),
	   "legacy: 00:02.0's second-stage table, AW 2 (48 bits), DID 4");
	OK(!find(io, "00:03.0", &d, &err) && d.mode == PGT_DEV_BYPASS, "TT 2: pass-through");
	c1[1] |= 1ull << 7;
	put(m, 0x201000 + 0x10 * 16, 2, c1);
	walk(io, false, &s);
	OK(strstr(s.probs, "malformed context entry: reserved bits 0x80 set in word 1"),
	   "a reserved bit of a context entry: %s", s.probs);
	pgt_iommu_close(io);

	/* scalable: 00:02.0's PASID directory, RID_PASID 0 first stage 5-level,
	 * PASID 65 nested, PASID 66 pass-through */
	io = open_io("intel-vtd", "0x210400", m);
	put1(m, 0x210000, 0x211000 | 1);
	uint64_t sc[4] = {0x212000 | 1 | 1 << 3, 0, 0, 0};
	put(m, 0x211000 + 0x10 * 32, 4, sc);
	put1(m, 0x212000, 0x213000 | 1);
	put1(m, 0x212008, 0x214000 | 1);
	uint64_t pe0[8] = {1 | 1 << 6 | 2 << 2, 7, 0x320000 | 1 << 2};
	uint64_t pe65[8] = {1 | 3 << 6 | 2 << 2 | 0x330000, 8, 0x340000};
	uint64_t pe66[8] = {1 | 4 << 6, 9};
	put(m, 0x213000, 8, pe0);
	put(m, 0x214000 + 64, 8, pe65);
	put(m, 0x214000 + 128, 8, pe66);
	OK(!find(io, "00:02.0", &d, &err) && d.mode == PGT_DEV_TRANSLATED &&
		   !strcmp(d.table.format, "intel-vtd-fs") && d.table.root[0] == 0x320000 &&
		   d.table.cfg.ias == 57 && d.domain == 7 && d.n_chain == 4,
	   "scalable: RID_PASID 0's first-stage table, FLPM 1 (57 bits), through root, context, "
	   "directory and PASID entries");
	OK(!find(io, "00:02.0/65", &d, &err) && d.mode == PGT_DEV_NESTED &&
		   d.table.root[0] == 0x340000 && !strcmp(d.stage2.format, "intel-vtd-ss") &&
		   d.stage2.root[0] == 0x330000,
	   "PASID 65: nested, first stage then second");
	OK(!find(io, "00:02.0/66", &d, &err) && d.mode == PGT_DEV_BYPASS, "PASID 66: pass-through");
	walk(io, false, &s);
	OK(!strcmp(s.devs, "0000:00:02.0 translated intel-vtd-fs;0000:00:02.0/65 nested "
			   "intel-vtd-fs;0000:00:02.0/66 bypass;"),
	   "the walk: %s", s.devs);
	/* devfn 0x80 and up are under the root entry's upper pointer */
	uint64_t re[2] = {0x211000 | 1, 0x215000 | 1};
	put(m, 0x210000, 2, re);
	put(m, 0x215000 + 0x08 * 32, 4, sc);
	OK(!find(io, "00:11.0", &d, &err) && d.chain[1].index == 0x88, "devfn 0x88 under UCTP");
	pgt_iommu_close(io);
	pgt_mem_destroy(m);
}

/* --- RISC-V ---------------------------------------------------------------- */

static void riscv(void)
{
	struct pgt_mem *m = mem_new();
	struct pgt_iommu_device d;
	struct pgt_error err;
	struct pgt_iommu *io;
	struct seen s;

	/* 2LVL base format: DDTP PPN 0x200, device 0x18 (DDI[1] 0, DDI[0] 0x18) */
	io = open_io("riscv", "0x80003", m);
	put1(m, 0x200000, 0x201ull << 10 | 1);
	uint64_t dc[4] = {1, 0, 6ull << 12, 8ull << 60 | 0x300};
	put(m, 0x201000 + 0x18 * 32, 4, dc);
	OK(!find(io, "00:03.0", &d, &err) && d.mode == PGT_DEV_TRANSLATED &&
		   !strcmp(d.table.format, "riscv-iommu") && d.table.root[0] == 0x300000 &&
		   d.table.cfg.ias == 39 && d.domain == 6 && !strcmp(d.domain_name, "PSCID"),
	   "2LVL: device 0x18's Sv39 iosatp, PSCID 6");
	/* device 0x98: DDI[1] 1, an invalid DDT entry */
	OK(find(io, "0x98", &d, &err) == -ENOENT && strstr(err.msg, "DDT entry is not valid"),
	   "a device below an invalid DDT entry: %s", err.msg);
	/* device 0x19: PDTV with PD8 and DPE: process 0 and process 5 */
	uint64_t dc2[4] = {1 | 1 << 5 | 1 << 9, 9ull << 60 | 0x400 | 3ull << 44, 0,
			   1ull << 60 | 0x310};
	put(m, 0x201000 + 0x19 * 32, 4, dc2);
	uint64_t pc0[2] = {1 | 2 << 12, 9ull << 60 | 0x320}, pc5[2] = {1 | 3 << 12, 10ull << 60 | 0x330};
	put(m, 0x310000, 2, pc0);
	put(m, 0x310000 + 5 * 16, 2, pc5);
	OK(!find(io, "0x19", &d, &err) && d.mode == PGT_DEV_NESTED && d.table.cfg.ias == 48 &&
		   d.domain == 2 && d.stage2.cfg.ias == 50 && d.stage2.root[0] == 0x400000,
	   "DPE: transactions without a process ID take process 0, Sv48 nested in Sv48x4");
	OK(!find(io, "0x19/5", &d, &err) && d.table.cfg.ias == 57 && d.table.root[0] == 0x330000,
	   "process 5: Sv57");
	dc[2] |= 1;
	put(m, 0x201000 + 0x18 * 32, 4, dc);
	walk(io, false, &s);
	OK(strstr(s.probs, "malformed device context: reserved bits 0x1 set in word 2") &&
		   !strcmp(s.devs, "0000:00:03.0 translated riscv-iommu;0000:00:03.1 nested "
				   "riscv-iommu;0000:00:03.1/5 nested riscv-iommu;"),
	   "a reserved bit of ta: %s; %s", s.probs, s.devs);
	pgt_iommu_close(io);

	/* 1LVL extended (MSI_FLAT): 64-byte contexts, 64 of them */
	io = open_io("riscv", "0x80002,0x400000", m);
	uint64_t xdc[8] = {1, 0, 0, 10ull << 60 | 0x350};
	put(m, 0x200000 + 3 * 64, 8, xdc);
	OK(!find(io, "0x3", &d, &err) && d.table.cfg.ias == 57 &&
		   !strcmp(d.chain[0].name, "extended device context"),
	   "extended device contexts with CAPABILITIES.MSI_FLAT");
	OK(find(io, "0x40", &d, &err) == -ENOENT && strstr(err.msg, "beyond the device directory's 64 entries"),
	   "a device ID beyond one level: %s", err.msg);
	pgt_iommu_close(io);
	io = open_io("riscv", "0x0", m);
	OK(find(io, "0x3", &d, &err) == -ENOENT && strstr(err.msg, "the IOMMU is Off"),
	   "DDTP Off: %s", err.msg);
	pgt_iommu_close(io);
	pgt_mem_destroy(m);
}

/* --- scan -------------------------------------------------------------------- */

static void scan(void)
{
	struct pgt_mem *m = mem_new();
	struct iommu_candidate c[4];
	struct pgt_error err;
	table_at(m, 0x380000, "arm-64-lpae-s1", 39);
	/* an SMMUv3 linear table of 64 STEs, the kernel's: every STE valid */
	for (unsigned i = 0; i < 64; i++)
		ste(m, STRTAB + i * 64, 1, 0, 0, 0);
	ste(m, STRTAB + 64, 1 | 5 << 1 | 0x210000, 0, 0, 0);
	cd(m, 0x210000, 25, 2, 0x380000, 7);
	int n = iommu_scan(pgt_iommu_kind_find("smmuv3"), m, c, 4, &err);
	OK(n >= 1 && c[0].pa == STRTAB && c[0].devices == 1 && c[0].tables == 1 &&
		   !strcmp(c[0].reg, "0x200000,0x6"),
	   "smmuv3: the stream table first, with the register it implies (%s)", n ? c[0].reg : "");
	/* an AMD-Vi device table of two pages, one device on a v1 table */
	table_at(m, 0x300000, "amd-iommu-v1", 0);
	for (unsigned i = 0; i < 256; i++)
		dte(m, i, 3, 0, 0);
	dte(m, 0x18, 3 | 3ull << 9 | 0x300000 | 3ull << 61, 5, 0);
	n = iommu_scan(pgt_iommu_kind_find("amd-vi"), m, c, 4, &err);
	OK(n >= 1 && c[0].pa == DEVTAB && c[0].entries == 256 && !strcmp(c[0].reg, "0x200001"),
	   "amd-vi: the device table, 256 entries in 2 pages (%s)", n ? c[0].reg : "");
	/* Linux's RISC-V directory: 3LVL, extended contexts (MSI_FLAT), the
	 * host bridge and the NIC (00:02.0) in the identity domain (valid,
	 * Bare: no table); a page of stray base contexts beside it */
	put1(m, 0x440000, 0x441ull << 10 | 1);
	put1(m, 0x441000, 0x442ull << 10 | 1);
	put1(m, 0x442000, 1);
	put1(m, 0x442000 + 0x10 * 64, 1);
	for (unsigned i = 0; i < 4; i++)
		put1(m, 0x443000 + i * 32, 1);
	n = iommu_scan(pgt_iommu_kind_find("riscv"), m, c, 4, &err);
	OK(n >= 1 && c[0].pa == 0x440000 && c[0].entries == 2 && !strcmp(c[0].reg, "0x110004,0x400000"),
	   "riscv: the 3LVL directory of Bare contexts, above its own levels and stray contexts (%s)",
	   n ? c[0].reg : "");
	pgt_mem_destroy(m);
}

int main(void)
{
	devids();
	amd_vi();
	smmuv3();
	intel_vtd();
	riscv();
	scan();
	return t_done();
}

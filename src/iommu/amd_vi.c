// SPDX-License-Identifier: MIT
/*
 * AMD-Vi: the device table the Device Table Base register (MMIO 0x0)
 * names, one 256-bit DTE per requester ID, and the per-device GCR3 table
 * of guest (v2) page tables indexed by PASID. Bit layouts: the 6.12 and
 * 7.3 kernels' amd_iommu_types.h (DTE_FLAG_*, DEV_ENTRY_*, DTE_GCR3_*,
 * DTE_GPT_LEVEL_*, GCR3_VALID), and the AMD I/O Virtualization Technology
 * specification (48882, "Device Table Entry Format") for what the kernel
 * does not name: the reserved bits, the interrupt fields, Mode 7.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "iommu_int.h"

#define DTE_BYTES 32
#define DTE_WORDS 4
#define GCR3_ENTRIES 512

static const char *const mode_words[] = {
	"no host table", "1 level", "2 levels", "3 levels", "4 levels", "5 levels",
	"6 levels",	 "reserved",
};
static const char *const glx_words[] = {"1 level", "2 levels", "3 levels", "reserved"};
static const char *const gpt_words[] = {"4 levels", "5 levels", "reserved", "reserved"};
static const char *const had_words[] = {"off", "access", "reserved", "access and dirty"};

/* iommu_set_device_table(): the table's address | (its size in 4K pages - 1) */
static const struct field_def reg_fields[] = {
	{"DevTabBase", 0, 51, 12, SHOW_ADDRESS, NULL, 0},
	{"Size", 0, 8, 0, SHOW_VALUE, NULL, 0},
};

static const struct struct_def reg_def = {
	"Device Table Base register", 1, FIELDS(reg_fields), {GENMASK(63, 52) | GENMASK(11, 9)},
};

static const struct field_def dte_fields[] = {
	{"V", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"TV", 0, 1, 1, SHOW_VALUE, NULL, 0},
	{"HAD", 0, 8, 7, SHOW_VALUE, MEANINGS(had_words)},
	{"Mode", 0, 11, 9, SHOW_VALUE, MEANINGS(mode_words)},
	{"HostPageTableRootPtr", 0, 51, 12, SHOW_ADDRESS, NULL, 0},
	{"PPR", 0, 52, 52, SHOW_VALUE, NULL, 0},
	{"GPRP", 0, 53, 53, SHOW_VALUE, NULL, 0},
	{"GIOV", 0, 54, 54, SHOW_VALUE, NULL, 0},
	{"GV", 0, 55, 55, SHOW_VALUE, NULL, 0},
	{"GLX", 0, 57, 56, SHOW_VALUE, MEANINGS(glx_words)},
	{"GCR3[14:12]", 0, 60, 58, SHOW_VALUE, NULL, 0},
	{"IR", 0, 61, 61, SHOW_VALUE, NULL, 0},
	{"IW", 0, 62, 62, SHOW_VALUE, NULL, 0},
	{"DomainID", 1, 15, 0, SHOW_VALUE, NULL, 0},
	{"GCR3[30:15]", 1, 31, 16, SHOW_VALUE, NULL, 0},
	{"I", 1, 32, 32, SHOW_VALUE, NULL, 0},
	{"SE", 1, 33, 33, SHOW_VALUE, NULL, 0},
	{"SA", 1, 34, 34, SHOW_VALUE, NULL, 0},
	{"IoCtl", 1, 36, 35, SHOW_VALUE, NULL, 0},
	{"Cache", 1, 37, 37, SHOW_VALUE, NULL, 0},
	{"SD", 1, 38, 38, SHOW_VALUE, NULL, 0},
	{"EX", 1, 39, 39, SHOW_VALUE, NULL, 0},
	{"SysMgt", 1, 41, 40, SHOW_VALUE, NULL, 0},
	{"GCR3[51:31]", 1, 63, 43, SHOW_VALUE, NULL, 0},
	{"IV", 2, 0, 0, SHOW_VALUE, NULL, 0},
	{"IntTabLen", 2, 4, 1, SHOW_VALUE, NULL, 0},
	{"IG", 2, 5, 5, SHOW_VALUE, NULL, 0},
	{"IntTableRootPtr", 2, 51, 6, SHOW_ADDRESS, NULL, 0},
	{"GuestPagingMode", 2, 55, 54, SHOW_VALUE, MEANINGS(gpt_words)},
	{"InitPass", 2, 56, 56, SHOW_VALUE, NULL, 0},
	{"EIntPass", 2, 57, 57, SHOW_VALUE, NULL, 0},
	{"NMIPass", 2, 58, 58, SHOW_VALUE, NULL, 0},
	{"IntCtl", 2, 61, 60, SHOW_VALUE, NULL, 0},
	{"Lint0Pass", 2, 62, 62, SHOW_VALUE, NULL, 0},
	{"Lint1Pass", 2, 63, 63, SHOW_VALUE, NULL, 0},
};

/* The specification's reserved bits of the DMA half (word 0: 6:2 and 63). */
static const struct struct_def dte_def = {
	"DTE", DTE_WORDS, FIELDS(dte_fields), {GENMASK(6, 2) | GENMASK(63, 63)},
};

/* __get_gcr3_pte(): GCR3_VALID and the next table or the guest CR3 */
static const struct field_def gcr3_fields[] = {
	{"V", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"Address", 0, 51, 12, SHOW_ADDRESS, NULL, 0},
};

static const struct struct_def gcr3_def = {
	"GCR3 entry", 1, FIELDS(gcr3_fields), {GENMASK(11, 1) | GENMASK(63, 52)},
};

static const struct struct_def gcr3_dir_def = {
	"GCR3 directory entry", 1, FIELDS(gcr3_fields), {GENMASK(11, 1) | GENMASK(63, 52)},
};

static int amd_open(struct pgt_iommu *io, struct pgt_error *err)
{
	uint64_t reg = io->reg[0];
	if (reg & reg_def.reserved[0])
		return pgt_fail(err, -EINVAL, "reserved bits 0x%llx set in %s 0x%llx",
				(unsigned long long)(reg & reg_def.reserved[0]), reg_def.name,
				(unsigned long long)reg);
	io->root = reg & GENMASK(51, 12);
	io->entries = ((reg & 0x1ff) + 1) * 4096 / DTE_BYTES;
	return 0;
}

/* DTE_GCR3_14_12, DTE_GCR3_30_15, DTE_GCR3_51_31 */
static pgt_addr gcr3_table(const uint64_t *dte)
{
	return bits(dte[0], 60, 58) << 12 | bits(dte[1], 31, 16) << 15 | bits(dte[1], 63, 43) << 31;
}

static void v1_table(struct pgt_iommu_table *t, const uint64_t *dte)
{
	iommu_table_init(t, "amd-iommu-v1");
	t->n_roots = 1;
	t->root[0] = dte[0] & GENMASK(51, 12);
	iommu_table_option(t, "mode", (unsigned)bits(dte[0], 11, 9));
}

/* amd_iommu_gpt_level: 4 levels, or with GUEST_PGTABLE_5_LEVEL 5 */
static void v2_table(struct pgt_iommu_table *t, const uint64_t *dte, uint64_t gcr3)
{
	iommu_table_init(t, "amd-iommu-v2");
	t->n_roots = 1;
	t->root[0] = gcr3 & GENMASK(51, 12);
	iommu_table_option(t, "levels", bits(dte[2], 55, 54) == 1 ? 5 : 4);
}

struct amd_dev {
	uint32_t devid;
	uint64_t dte[DTE_WORDS];
};

static void set_domain(struct iommu_walk *w, const uint64_t *dte)
{
	w->dev.has_domain = true;
	w->dev.domain = (uint32_t)bits(dte[1], 15, 0);
	w->dev.domain_name = "DomainID";
}

/* A PASID's row: its v2 table, then the host table if Mode has one. */
static int emit_pasid(struct iommu_walk *w, const struct amd_dev *d, bool has_pasid,
		      uint32_t pasid, const uint64_t *gcr3_entry)
{
	iommu_dev_begin(w, d->devid, has_pasid, pasid);
	set_domain(w, d->dte);
	if (!gcr3_entry || !(*gcr3_entry & 1)) {
		w->dev.mode = PGT_DEV_ABORT;
		w->dev.note = "its GCR3 entry is not valid: DMA with this PASID faults";
		return iommu_emit(w);
	}
	w->dev.has_table = true;
	v2_table(&w->dev.table, d->dte, *gcr3_entry);
	unsigned mode = (unsigned)bits(d->dte[0], 11, 9);
	if (mode >= 1 && mode <= 6) {
		w->dev.mode = PGT_DEV_NESTED;
		w->dev.has_stage2 = true;
		v1_table(&w->dev.stage2, d->dte);
	} else {
		w->dev.mode = PGT_DEV_TRANSLATED;
	}
	return iommu_emit(w);
}

/* Is entry i of a GCR3 table at level one to go into? */
static bool gcr3_wanted(const struct iommu_walk *w, const struct amd_dev *d, const uint64_t *e,
			uint32_t i, unsigned level, uint32_t pasid, int64_t only, bool giov)
{
	if (only >= 0)
		return (uint32_t)(only >> (9 * level) & 0x1ff) == i;
	if (!(*e & 1))
		return false;
	if (level)
		return !w->want || !w->want->has_pasid || (w->want->pasid >> (9 * level) & 0x1ff) == i;
	/* with GIOV PASID 0 is the device's own row (emit_requester) */
	return !(giov && pasid == 0) && iommu_wants(w, d->devid, false, true, pasid);
}

/*
 * The GCR3 table at level: every valid guest CR3 (only < 0) or the one of
 * PASID only, as __get_gcr3_pte() indexes it: 9 PASID bits a level.
 */
static int gcr3_walk(struct iommu_walk *w, const struct amd_dev *d, pgt_addr table,
		     unsigned level, uint32_t prefix, int64_t only, bool giov)
{
	uint64_t *e = malloc(GCR3_ENTRIES * 8);
	if (!e)
		return -ENOMEM;
	int rc = iommu_read(w, level ? "GCR3 directory" : "GCR3 table", table, GCR3_ENTRIES, e);
	for (uint32_t i = 0; !rc && i < GCR3_ENTRIES; i++) {
		uint32_t pasid = prefix | i << (9 * level);
		if (!gcr3_wanted(w, d, &e[i], i, level, pasid, only, giov))
			continue;
		rc = iommu_push(w, level ? &gcr3_dir_def : &gcr3_def, i, table + i * 8ull, &e[i]);
		if (!rc && level && (e[i] & 1)) {
			pgt_addr next = e[i] & GENMASK(51, 12);
			rc = iommu_enter(w, "GCR3 table", &next, 4096, 4096);
			if (!rc) {
				rc = gcr3_walk(w, d, next, level - 1, pasid, only, giov);
				iommu_exit(w);
			}
		} else if (!rc) {
			rc = emit_pasid(w, d, only < 0, pasid, level ? NULL : &e[i]);
		}
		iommu_pop(w);
		if (rc == IOMMU_SKIP)
			rc = 0;
	}
	free(e);
	return rc;
}

static int gcr3_enter(struct iommu_walk *w, const struct amd_dev *d, int64_t only)
{
	unsigned glx = (unsigned)bits(d->dte[0], 57, 56);
	pgt_addr table = gcr3_table(d->dte);
	if (glx == 3)
		return iommu_problem(w, PGT_STOP_BAD, "%s %u is reserved", "GLX", glx);
	int rc = iommu_enter(w, "GCR3 table", &table, 4096, 4096);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	rc = gcr3_walk(w, d, table, glx, 0, only, bits(d->dte[0], 54, 54));
	iommu_exit(w);
	return rc;
}

/* What DMA without a PASID gets (amd_iommu_types.h DTE_FLAG_*, Mode). */
static int emit_requester(struct iommu_walk *w, const struct amd_dev *d)
{
	const uint64_t *dte = d->dte;
	unsigned mode = (unsigned)bits(dte[0], 11, 9);
	bool gv = bits(dte[0], 55, 55), giov = bits(dte[0], 54, 54);

	if (!iommu_wants(w, d->devid, false, false, 0))
		return 0;
	if (gv && giov && bits(dte[0], 1, 1))
		/* GIOV: requests without a PASID use PASID 0's guest table */
		return gcr3_enter(w, d, 0);
	iommu_dev_begin(w, d->devid, false, 0);
	struct pgt_iommu_device *dev = &w->dev;
	if (!(dte[0] & 1)) {
		dev->mode = PGT_DEV_INVALID;
		dev->note = "the DTE is not valid (V=0): the IOMMU passes the device's DMA untranslated";
		dev->untranslated = PGT_READ | PGT_WRITE;
		return iommu_emit(w);
	}
	set_domain(w, dte);
	if (!bits(dte[0], 1, 1)) {
		/* amd_iommu_make_clear_dte() (7.3): V alone blocks all DMA */
		dev->mode = PGT_DEV_ABORT;
		dev->note = "translation information not valid (TV=0): DMA is blocked";
	} else if (mode == 7) {
		dev->mode = PGT_DEV_ABORT;
		dev->note = "Mode 7 is reserved: the IOMMU reports an illegal DTE";
	} else if (mode) {
		dev->mode = PGT_DEV_TRANSLATED;
		dev->has_table = true;
		v1_table(&dev->table, dte);
	} else if (bits(dte[0], 62, 61)) {
		/* set_dte_passthrough(): TV, IR and IW with no table */
		dev->mode = PGT_DEV_BYPASS;
		dev->untranslated = (bits(dte[0], 61, 61) ? PGT_READ : 0) |
				    (bits(dte[0], 62, 62) ? PGT_WRITE : 0);
		dev->note = bits(dte[0], 62, 61) == 3 ? NULL
			    : bits(dte[0], 61, 61)    ? "untranslated, reads only (IR)"
						      : "untranslated, writes only (IW)";
	} else {
		dev->mode = PGT_DEV_ABORT;
		dev->note = "no host table and neither IR nor IW: DMA is blocked";
	}
	return iommu_emit(w);
}

static int one_dte(struct iommu_walk *w, uint32_t devid)
{
	struct amd_dev d = {.devid = devid};
	pgt_addr pa = w->io->root + (uint64_t)devid * DTE_BYTES;
	int rc = iommu_read(w, "DTE", pa, DTE_WORDS, d.dte);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	if (!(d.dte[0] & 1) && !w->v->all && !w->want)
		return 0;
	if ((rc = iommu_push(w, &dte_def, devid, pa, d.dte)))
		goto out;
	if (bits(d.dte[0], 11, 9) == 7 &&
	    (rc = iommu_problem(w, PGT_STOP_BAD, "%s %u is reserved", "Mode", 7)))
		goto out;
	if ((rc = emit_requester(w, &d)))
		goto out;
	if ((d.dte[0] & 3) == 3 && bits(d.dte[0], 55, 55) && iommu_wants(w, devid, true, false, 0) &&
	    (!w->want || w->want->has_pasid))
		rc = gcr3_enter(w, &d, -1);
out:
	iommu_pop(w);
	return rc == IOMMU_SKIP ? 0 : rc;
}

static int amd_walk(struct iommu_walk *w)
{
	struct pgt_iommu *io = w->io;
	if (w->want) {
		if (w->want->id >= io->entries)
			return iommu_problem(w, PGT_STOP_RANGE,
					     "device ID 0x%x is beyond the %s's %llu entries",
					     w->want->id, "device table",
					     (unsigned long long)io->entries);
		return one_dte(w, w->want->id);
	}
	pgt_addr root = io->root;
	int rc = iommu_enter(w, "device table", &root, io->entries * DTE_BYTES, 4096);
	if (rc)
		return rc;
	for (uint32_t devid = 0; !rc && devid < io->entries; devid++)
		rc = one_dte(w, devid);
	iommu_exit(w);
	return rc;
}

/* --- scan ----------------------------------------------------------------- */

/* A page of DTEs: entries valid with clean reserved bits (and word 3,
 * which no kernel writes, zero), or all zero; a few broken ones (a
 * corrupted table is what a dump is read for) are borne. Returns how many
 * are valid, or -1 when the page is not one. */
static int dte_page(struct pgt_mem *mem, pgt_addr pa, uint64_t *page)
{
	if (!iommu_peek(mem, pa, 512, page))
		return -1;
	int valid = 0, bad = 0;
	for (unsigned i = 0; i < 4096 / DTE_BYTES; i++) {
		const uint64_t *d = &page[i * DTE_WORDS];
		if (!(d[0] | d[1] | d[2] | d[3]))
			continue;
		if (!(d[0] & 1) || (d[0] & dte_def.reserved[0]) || bits(d[0], 11, 9) == 7 || d[3])
			bad++;
		else
			valid++;
	}
	return bad * 8 > valid ? -1 : valid;
}

static void amd_probe(struct pgt_mem *mem, pgt_addr pa, struct iommu_candidate *c)
{
	uint64_t *page = malloc(4096);
	struct iommu_roots seen = {0};
	unsigned pages = 0;
	if (!page)
		return;
	/* the first page of a table: the one before it is no DTE page */
	if ((pa >= 4096 && dte_page(mem, pa - 4096, page) > 0) || dte_page(mem, pa, page) <= 0)
		goto out;
	/* init_device_table_dma(): every DTE up to the last device is valid */
	for (; pages < 512 && dte_page(mem, pa + pages * 4096ull, page) > 0; pages++) {
		for (unsigned i = 0; i < 4096 / DTE_BYTES; i++) {
			const uint64_t *d = &page[i * DTE_WORDS];
			struct pgt_iommu_table t;
			uint64_t gcr3;
			if (!(d[0] & 1))
				continue;
			c->entries++;
			unsigned mode = (unsigned)bits(d[0], 11, 9);
			if (!(d[0] & 2) || (!mode && !bits(d[0], 55, 55)))
				continue;
			if (mode)
				v1_table(&t, d);
			else if (iommu_peek(mem, gcr3_table(d), 1, &gcr3) && (gcr3 & 1))
				v2_table(&t, d, gcr3);
			else
				continue;
			iommu_count_table(mem, &t, &seen, c);
		}
	}
	/* alloc_dev_table(): a power of two of pages */
	unsigned size = 1;
	while (size < pages)
		size <<= 1;
	snprintf(c->reg, sizeof(c->reg), "0x%llx", (unsigned long long)(pa | (size - 1)));
	iommu_score(c);
out:
	free(page);
}

static const struct iommu_kind_ops ops = {amd_open, amd_walk, amd_probe};

const struct pgt_iommu_kind iommu_amd_vi = {
	.name = "amd-vi",
	.summary = "AMD-Vi: device table (256-bit DTEs), GCR3 tables per PASID",
	.register_doc = "the Device Table Base register (MMIO offset 0x0)",
	.max_regs = 1,
	.pci_ids = true,
	.reg_def = &reg_def,
	.ops = &ops,
};

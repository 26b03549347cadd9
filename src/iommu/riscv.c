// SPDX-License-Identifier: MIT
/*
 * RISC-V IOMMU: the device directory DDTP names (1 to 3 levels of
 * non-leaf entries above device contexts: 32-byte base ones, or 64-byte
 * extended ones when the capabilities register has MSI_FLAT), each
 * device context's translation control, second stage (iohgatp) and first
 * stage (fsc: an iosatp, or a process directory of process contexts).
 * Bit layouts: the 7.3 kernel's riscv/iommu-bits.h (RISCV_IOMMU_DDTP_*,
 * RISCV_IOMMU_DDTE_*, RISCV_IOMMU_DC_*, RISCV_IOMMU_PC_*) and the
 * directory's indexing from riscv_iommu_get_dc(); the process directory's
 * layout and the reserved bits from the RISC-V IOMMU specification 1.0
 * ("Device-directory-table", "Process-directory-table").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "iommu_int.h"

static const char *const ddtp_words[] = {"Off", "Bare", "1LVL", "2LVL", "3LVL"};
static const char *const atp_words[] = {"Bare", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					"Sv39", "Sv48", "Sv57"};
static const char *const gatp_words[] = {"Bare", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					 "Sv39x4", "Sv48x4", "Sv57x4"};
static const char *const pdtp_words[] = {"Bare", "PD8", "PD17", "PD20"};

/* RISCV_IOMMU_DDTP_IOMMU_MODE, _BUSY, _PPN; word 1: the capabilities */
static const struct field_def reg_fields[] = {
	{"iommu_mode", 0, 3, 0, SHOW_VALUE, MEANINGS(ddtp_words)},
	{"busy", 0, 4, 4, SHOW_VALUE, NULL, 0},
	{"PPN", 0, 53, 10, SHOW_VALUE, NULL, 0},
	{"MSI_FLAT", 1, 22, 22, SHOW_VALUE, NULL, 0},
};

static const struct struct_def reg_def = {
	"DDTP", 2, FIELDS(reg_fields), {GENMASK(63, 54) | GENMASK(9, 5)},
};

static const struct field_def ddte_fields[] = {
	{"V", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"PPN", 0, 53, 10, SHOW_VALUE, NULL, 0},
};

static const struct struct_def ddte_def = {
	"DDT entry", 1, FIELDS(ddte_fields), {GENMASK(63, 54) | GENMASK(9, 1)},
};

static const struct struct_def pdte_def = {
	"PDT entry", 1, FIELDS(ddte_fields), {GENMASK(63, 54) | GENMASK(9, 1)},
};

static const struct field_def dc_fields[] = {
	{"V", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"EN_ATS", 0, 1, 1, SHOW_VALUE, NULL, 0},
	{"EN_PRI", 0, 2, 2, SHOW_VALUE, NULL, 0},
	{"T2GPA", 0, 3, 3, SHOW_VALUE, NULL, 0},
	{"DTF", 0, 4, 4, SHOW_VALUE, NULL, 0},
	{"PDTV", 0, 5, 5, SHOW_VALUE, NULL, 0},
	{"PRPR", 0, 6, 6, SHOW_VALUE, NULL, 0},
	{"GADE", 0, 7, 7, SHOW_VALUE, NULL, 0},
	{"SADE", 0, 8, 8, SHOW_VALUE, NULL, 0},
	{"DPE", 0, 9, 9, SHOW_VALUE, NULL, 0},
	{"SBE", 0, 10, 10, SHOW_VALUE, NULL, 0},
	{"SXL", 0, 11, 11, SHOW_VALUE, NULL, 0},
	{"iohgatp.PPN", 1, 43, 0, SHOW_VALUE, NULL, 0},
	{"iohgatp.GSCID", 1, 59, 44, SHOW_VALUE, NULL, 0},
	{"iohgatp.MODE", 1, 63, 60, SHOW_VALUE, MEANINGS(gatp_words)},
	{"ta.PSCID", 2, 31, 12, SHOW_VALUE, NULL, 0},
	{"fsc.PPN", 3, 43, 0, SHOW_VALUE, NULL, 0},
	{"fsc.MODE", 3, 63, 60, SHOW_VALUE, NULL, 0},
};

static const struct struct_def dc_def = {
	"device context", 4, FIELDS(dc_fields),
	{GENMASK(31, 12), 0, GENMASK(63, 32) | GENMASK(11, 0), GENMASK(59, 44)},
};

static const struct field_def xdc_fields[] = {
	{"V", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"EN_ATS", 0, 1, 1, SHOW_VALUE, NULL, 0},
	{"EN_PRI", 0, 2, 2, SHOW_VALUE, NULL, 0},
	{"T2GPA", 0, 3, 3, SHOW_VALUE, NULL, 0},
	{"DTF", 0, 4, 4, SHOW_VALUE, NULL, 0},
	{"PDTV", 0, 5, 5, SHOW_VALUE, NULL, 0},
	{"PRPR", 0, 6, 6, SHOW_VALUE, NULL, 0},
	{"GADE", 0, 7, 7, SHOW_VALUE, NULL, 0},
	{"SADE", 0, 8, 8, SHOW_VALUE, NULL, 0},
	{"DPE", 0, 9, 9, SHOW_VALUE, NULL, 0},
	{"SBE", 0, 10, 10, SHOW_VALUE, NULL, 0},
	{"SXL", 0, 11, 11, SHOW_VALUE, NULL, 0},
	{"iohgatp.PPN", 1, 43, 0, SHOW_VALUE, NULL, 0},
	{"iohgatp.GSCID", 1, 59, 44, SHOW_VALUE, NULL, 0},
	{"iohgatp.MODE", 1, 63, 60, SHOW_VALUE, MEANINGS(gatp_words)},
	{"ta.PSCID", 2, 31, 12, SHOW_VALUE, NULL, 0},
	{"fsc.PPN", 3, 43, 0, SHOW_VALUE, NULL, 0},
	{"fsc.MODE", 3, 63, 60, SHOW_VALUE, NULL, 0},
	{"msiptp.PPN", 4, 43, 0, SHOW_VALUE, NULL, 0},
	{"msiptp.MODE", 4, 63, 60, SHOW_VALUE, NULL, 0},
	{"msi_addr_mask", 5, 51, 0, SHOW_VALUE, NULL, 0},
	{"msi_addr_pattern", 6, 51, 0, SHOW_VALUE, NULL, 0},
};

static const struct struct_def xdc_def = {
	"extended device context", 8, FIELDS(xdc_fields),
	{GENMASK(31, 12), 0, GENMASK(63, 32) | GENMASK(11, 0), GENMASK(59, 44), GENMASK(59, 44), GENMASK(63, 52),
	 GENMASK(63, 52), ~0ull},
};

static const struct field_def pc_fields[] = {
	{"V", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"ENS", 0, 1, 1, SHOW_VALUE, NULL, 0},
	{"SUM", 0, 2, 2, SHOW_VALUE, NULL, 0},
	{"PSCID", 0, 31, 12, SHOW_VALUE, NULL, 0},
	{"fsc.PPN", 1, 43, 0, SHOW_VALUE, NULL, 0},
	{"fsc.MODE", 1, 63, 60, SHOW_VALUE, MEANINGS(atp_words)},
};

static const struct struct_def pc_def = {
	"process context", 2, FIELDS(pc_fields), {GENMASK(63, 32) | GENMASK(11, 3), GENMASK(59, 44)},
};

static int riscv_open(struct pgt_iommu *io, struct pgt_error *err)
{
	uint64_t ddtp = io->reg[0];
	unsigned mode = (unsigned)bits(ddtp, 3, 0);
	if (ddtp & reg_def.reserved[0])
		return pgt_fail(err, -EINVAL, "reserved bits 0x%llx set in %s 0x%llx",
				(unsigned long long)(ddtp & reg_def.reserved[0]), reg_def.name,
				(unsigned long long)ddtp);
	if (mode > 4)
		return pgt_fail(err, -EINVAL, "%s %u is a reserved value", "DDTP.iommu_mode", mode);
	io->mode = mode;
	io->levels = mode >= 2 ? mode - 1 : 0;
	io->root = bits(ddtp, 53, 10) << 12;
	io->extended = io->n_reg > 1 && bits(io->reg[1], 22, 22);
	io->entries = 1u << 24;
	return 0;
}

/* riscv_iommu_get_dc(): the device ID bits each level resolves */
static unsigned ddi_shift(bool extended, unsigned level)
{
	static const unsigned base[] = {0, 7, 16}, ext[] = {0, 6, 15};
	return extended ? ext[level] : base[level];
}

static unsigned ddi_bits(bool extended, unsigned level)
{
	return level ? (level == 2 && !extended ? 8 : 9) : extended ? 6 : 7;
}

/* An iosatp (or a process context's fsc): Sv39, Sv48 or Sv57. */
static bool fs_table(struct pgt_iommu_table *t, uint64_t atp)
{
	unsigned mode = (unsigned)bits(atp, 63, 60);
	if (mode < 8 || mode > 10)
		return false;
	iommu_table_init(t, "riscv-iommu");
	t->n_roots = 1;
	t->root[0] = bits(atp, 43, 0) << 12;
	t->cfg.ias = 39 + 9 * (mode - 8);
	return true;
}

/* iohgatp Sv39x4..Sv57x4: two more bits of input, a 16K root; a format
 * of its own, which no kernel builds for an IOMMU yet */
static bool g_table(struct pgt_iommu_table *t, uint64_t gatp)
{
	unsigned mode = (unsigned)bits(gatp, 63, 60);
	if (mode < 8 || mode > 10)
		return false;
	iommu_table_init(t, "riscv-iommu-gstage");
	t->n_roots = 1;
	t->root[0] = bits(gatp, 43, 0) << 12;
	t->cfg.ias = 41 + 9 * (mode - 8);
	return true;
}

/* The row of a first-stage context (fsc of a DC or a PC) with the DC's
 * second stage. */
static int emit_stages(struct iommu_walk *w, const uint64_t *dc, uint64_t fsc, uint64_t pscid)
{
	struct pgt_iommu_device *d = &w->dev;
	bool fs = bits(fsc, 63, 60) != 0, gs = bits(dc[1], 63, 60) != 0;
	if (fs && !fs_table(&d->table, fsc)) {
		d->mode = PGT_DEV_ABORT;
		d->note = "fsc.MODE is reserved: transactions fault";
		return iommu_emit(w);
	}
	if (gs && !g_table(fs ? &d->stage2 : &d->table, dc[1])) {
		d->mode = PGT_DEV_ABORT;
		d->note = "iohgatp.MODE is reserved: transactions fault";
		return iommu_emit(w);
	}
	d->has_domain = fs || gs;
	d->domain = (uint32_t)(fs ? pscid : bits(dc[1], 59, 44));
	d->domain_name = fs ? "PSCID" : "GSCID";
	d->has_table = fs || gs;
	d->has_stage2 = fs && gs;
	d->mode = fs && gs ? PGT_DEV_NESTED : fs || gs ? PGT_DEV_TRANSLATED : PGT_DEV_BYPASS;
	return iommu_emit(w);
}

/* A process directory level (the PD8/PD17/PD20 layout: 8 bits of
 * process ID at the leaf, 9 above, 3 at the top of PD20). */
static int pdt_walk(struct iommu_walk *w, uint32_t devid, const uint64_t *dc, pgt_addr table,
		    unsigned level, uint32_t prefix, int64_t only)
{
	/* with DPE process 0 is the device's own row (emit_device) */
	bool skip0 = only < 0 && bits(dc[0], 9, 9);
	unsigned shift = level ? 8 + 9 * (level - 1) : 0;
	unsigned n = level ? 512 : 256, words = level ? 1 : 2;
	uint64_t *e = malloc(4096);
	if (!e)
		return -ENOMEM;
	int rc = iommu_read(w, level ? "PDT" : "process context table", table, 512, e);
	for (uint32_t i = 0; !rc && i < n; i++) {
		uint32_t pid = prefix | i << shift;
		const uint64_t *x = &e[i * words];
		if (only >= 0 && (uint32_t)((uint64_t)only >> shift) % n != i)
			continue;
		if (only < 0 && (!(x[0] & 1) || (!level && skip0 && pid == 0) ||
				 (!level && !iommu_wants(w, devid, false, true, pid)) ||
				 (level && w->want && w->want->has_pasid &&
				  (w->want->pasid >> shift) % n != i)))
			continue;
		rc = iommu_push(w, level ? &pdte_def : &pc_def, i, table + (uint64_t)i * words * 8, x);
		if (!rc && level && (x[0] & 1)) {
			pgt_addr next = bits(x[0], 53, 10) << 12;
			rc = iommu_enter(w, "PDT", &next, 4096, 4096);
			if (!rc) {
				rc = pdt_walk(w, devid, dc, next, level - 1, pid, only);
				iommu_exit(w);
			}
		} else if (!rc) {
			iommu_dev_begin(w, devid, only < 0, pid);
			if (level || !(x[0] & 1)) {
				w->dev.mode = PGT_DEV_ABORT;
				w->dev.note = "its process context is not valid: transactions fault";
				rc = iommu_emit(w);
			} else {
				rc = emit_stages(w, dc, x[1], bits(x[0], 31, 12));
			}
		}
		iommu_pop(w);
		if (rc == IOMMU_SKIP)
			rc = 0;
	}
	free(e);
	return rc;
}

static int pdt_enter(struct iommu_walk *w, uint32_t devid, const uint64_t *dc, int64_t only)
{
	unsigned mode = (unsigned)bits(dc[3], 63, 60);
	pgt_addr table = bits(dc[3], 43, 0) << 12;
	if (!mode)
		return 0;
	if (mode > 3)
		return iommu_problem(w, PGT_STOP_BAD, "%s %u is reserved", "pdtp.MODE", mode);
	int rc = iommu_enter(w, "PDT", &table, 4096, 4096);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	rc = pdt_walk(w, devid, dc, table, mode - 1, 0, only);
	iommu_exit(w);
	return rc;
}

/* What transactions without a process ID get. */
static int emit_device(struct iommu_walk *w, uint32_t devid, const uint64_t *dc)
{
	if (!iommu_wants(w, devid, false, false, 0))
		return 0;
	bool pdtv = bits(dc[0], 5, 5);
	unsigned pdt_mode = (unsigned)bits(dc[3], 63, 60);
	/* DPE: process ID 0 for transactions without one */
	if ((dc[0] & 1) && pdtv && pdt_mode && bits(dc[0], 9, 9))
		return pdt_enter(w, devid, dc, 0);
	iommu_dev_begin(w, devid, false, 0);
	if (!(dc[0] & 1)) {
		w->dev.mode = PGT_DEV_INVALID;
		w->dev.note = "the device context is not valid: transactions fault";
		return iommu_emit(w);
	}
	/* without a process ID and DPE the first stage is Bare */
	return emit_stages(w, dc, pdtv ? 0 : dc[3], bits(dc[2], 31, 12));
}

static int one_dc(struct iommu_walk *w, uint32_t devid, pgt_addr pa)
{
	bool ext = w->io->extended;
	uint64_t dc[8];
	int rc = iommu_read(w, "device context", pa, ext ? 8 : 4, dc);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	if (!(dc[0] & 1) && !w->v->all && !w->want)
		return 0;
	if ((rc = iommu_push(w, ext ? &xdc_def : &dc_def, devid, pa, dc)))
		goto out;
	/* fsc is an iosatp, or with PDTV a pdtp */
	if (bits(dc[0], 5, 5))
		entry_meaning(iommu_top(w), "fsc.MODE", MEANINGS(pdtp_words));
	else
		entry_meaning(iommu_top(w), "fsc.MODE", MEANINGS(atp_words));
	if ((rc = emit_device(w, devid, dc)))
		goto out;
	if ((dc[0] & 1) && bits(dc[0], 5, 5) && bits(dc[3], 63, 60) &&
	    iommu_wants(w, devid, true, false, 0) && (!w->want || w->want->has_pasid))
		rc = pdt_enter(w, devid, dc, -1);
out:
	iommu_pop(w);
	return rc == IOMMU_SKIP ? 0 : rc;
}

/* A directory level: non-leaf entries above, device contexts at 0. */
static int ddt_walk(struct iommu_walk *w, pgt_addr table, unsigned level, uint32_t prefix)
{
	bool ext = w->io->extended;
	unsigned shift = ddi_shift(ext, level), n = 1u << ddi_bits(ext, level);
	int rc = 0;
	for (uint32_t i = 0; !rc && i < n; i++) {
		uint32_t id = prefix | i << shift;
		if (w->want && (w->want->id >> shift) % n != i)
			continue;
		if (!level) {
			rc = one_dc(w, id, table + (uint64_t)i * (ext ? 64 : 32));
			continue;
		}
		uint64_t e;
		pgt_addr pa = table + i * 8ull;
		if ((rc = iommu_read(w, "DDT entry", pa, 1, &e)))
			break;
		if (!(e & 1) && !w->want)
			continue;
		rc = iommu_push(w, &ddte_def, i, pa, &e);
		if (!rc && !(e & 1))
			rc = iommu_problem(w, PGT_STOP_EMPTY, "the %s is not valid", "DDT entry");
		if (!rc && (e & 1)) {
			pgt_addr next = bits(e, 53, 10) << 12;
			rc = iommu_enter(w, "DDT", &next, 4096, 4096);
			if (!rc) {
				rc = ddt_walk(w, next, level - 1, id);
				iommu_exit(w);
			}
		}
		iommu_pop(w);
		if (rc == IOMMU_SKIP)
			rc = 0;
	}
	return rc;
}

static int riscv_walk(struct iommu_walk *w)
{
	struct pgt_iommu *io = w->io;
	if (io->mode < 2 && !w->want)
		return 0;
	if (io->mode < 2)
		return iommu_problem(w, PGT_STOP_EMPTY, "the IOMMU is %s",
				     io->mode ? "Bare: transactions pass untranslated"
					      : "Off: every transaction faults");
	unsigned top = io->levels - 1;
	unsigned width = ddi_shift(io->extended, top) + ddi_bits(io->extended, top);
	if (w->want && w->want->id >> width)
		return iommu_problem(w, PGT_STOP_RANGE, "device ID 0x%x is beyond the %s's %llu entries",
				     w->want->id, "device directory", 1ull << width);
	pgt_addr root = io->root;
	int rc = iommu_enter(w, "DDT", &root, 4096, 4096);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	rc = ddt_walk(w, root, top, 0);
	iommu_exit(w);
	return rc;
}

/* --- scan ----------------------------------------------------------------- */

struct shape {
	bool extended;
	struct iommu_candidate *c;
	struct iommu_roots seen;
	unsigned followed;
	unsigned links; /* directory entries leading to device contexts */
};

static void count_dc(struct pgt_mem *mem, struct shape *s, const uint64_t *dc)
{
	struct pgt_iommu_table t;
	s->c->entries++;
	if (!bits(dc[0], 5, 5) && fs_table(&t, dc[3]))
		iommu_count_table(mem, &t, &s->seen, s->c);
}

/* The page at pa as a directory level of this shape: false when an entry
 * cannot be one. */
static bool ddt_shape(struct pgt_mem *mem, pgt_addr pa, unsigned level, struct shape *s)
{
	uint64_t e[512];
	const struct struct_def *def = s->extended ? &xdc_def : &dc_def;
	unsigned words = s->extended ? 8 : 4;
	if (!iommu_peek(mem, pa, 512, e))
		return false;
	for (unsigned i = 0; i < 512; i += level ? 1 : words) {
		uint64_t any = 0;
		for (unsigned k = 0; k < (level ? 1 : words); k++) {
			any |= e[i + k];
			if (e[i + k] & (level ? ddte_def.reserved[0] : def->reserved[k]))
				return false;
		}
		if (!any)
			continue;
		if (!(e[i] & 1))
			return false;
		if (!level) {
			count_dc(mem, s, &e[i]);
			continue;
		}
		uint64_t below = s->c->entries;
		if (s->followed++ > 64 || !ddt_shape(mem, bits(e[i], 53, 10) << 12, level - 1, s))
			return false;
		s->links += s->c->entries > below;
	}
	return true;
}

/*
 * Each reading of the page (1 to 3 levels, base or extended contexts) that
 * parses; the best is kept. Linux gives every device it does not hand to
 * user space the identity domain (Bare contexts, no table: IOMMU_DMA is not
 * a RISC-V option), so a real directory often shows only a few valid
 * contexts, and a page of them also parses as a 1LVL directory of its own.
 * What marks the real root is its directory levels: each entry that leads
 * to device contexts weighs as a device does, so the deepest reading wins
 * (the kernel takes the most levels the IOMMU offers). Extended contexts
 * are tried first and kept on a tie: when every context sits at an even
 * base index both readings parse, and an IOMMU with MSI_FLAT, whose
 * contexts Linux makes extended, is the likelier.
 */
static void riscv_probe(struct pgt_mem *mem, pgt_addr pa, struct iommu_candidate *c)
{
	struct iommu_candidate best = *c;
	for (unsigned ext = 2; ext-- > 0;)
		for (unsigned levels = 1; levels <= 3; levels++) {
			struct iommu_candidate k = {.pa = pa};
			struct shape s = {.extended = ext, .c = &k};
			if (!ddt_shape(mem, pa, levels - 1, &s) || !k.entries)
				continue;
			iommu_score(&k);
			k.score += 10 * (int64_t)s.links - levels;
			if (best.entries && k.score <= best.score)
				continue;
			best = k;
			unsigned long long ddtp = pa >> 12 << 10 | (levels + 1);
			if (ext)
				snprintf(best.reg, sizeof(best.reg), "0x%llx,0x%x", ddtp, 1u << 22);
			else
				snprintf(best.reg, sizeof(best.reg), "0x%llx", ddtp);
		}
	*c = best;
}

static const struct iommu_kind_ops ops = {riscv_open, riscv_walk, riscv_probe};

const struct pgt_iommu_kind iommu_riscv = {
	.name = "riscv",
	.summary = "RISC-V IOMMU: device directory, device and process contexts",
	.register_doc = "DDTP (MMIO offset 0x10), with ',CAPABILITIES' (offset 0x0) when "
			"device contexts are extended (MSI_FLAT)",
	.max_regs = 2,
	.pci_ids = true,
	.reg_def = &reg_def,
	.ops = &ops,
};

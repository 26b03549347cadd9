// SPDX-License-Identifier: MIT
/*
 * Intel VT-d: the root table RTADDR_REG names (256 root entries, one per
 * bus), the context tables below them (legacy: 128-bit entries with the
 * second-stage table; scalable mode: 256-bit entries with a PASID
 * directory), and in scalable mode the PASID directory and the 512-bit
 * PASID entries with first- and second-stage tables. Bit layouts: the 6.12
 * and 7.3 kernels' intel/iommu.h (struct root_entry, struct context_entry,
 * context_set_*, DMA_RTADDR_SMT) and intel/pasid.h (pasid_set_*,
 * PASID_ENTRY_PGTT_*); what they leave out (TTM's other values, the
 * reserved bits) is from the Intel VT-d specification ("Root Entry",
 * "Scalable-Mode Context-Entry", "Scalable-Mode PASID Table Entry").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "iommu_int.h"

#define PASID_ENTRY_WORDS 8
#define PASID_PER_TABLE 64 /* PASID_PDE_SHIFT */

static const char *const ttm_words[] = {"legacy", "scalable", "reserved", "reserved"};
static const char *const tt_words[] = {"second stage", "second stage, device TLB",
				       "pass-through", "reserved"};
static const char *const aw_words[] = {"30 bits", "39 bits", "48 bits", "57 bits",
				       "64 bits", "reserved", "reserved", "reserved"};
static const char *const pgtt_words[] = {"reserved", "first stage", "second stage", "nested",
					 "pass-through", "reserved", "reserved", "reserved"};
static const char *const flpm_words[] = {"4 levels", "5 levels", "reserved", "reserved"};

static const struct field_def reg_fields[] = {
	{"RTA", 0, 63, 12, SHOW_ADDRESS, NULL, 0},
	{"TTM", 0, 11, 10, SHOW_VALUE, MEANINGS(ttm_words)},
};

static const struct struct_def reg_def = {"RTADDR_REG", 1, FIELDS(reg_fields), {GENMASK(9, 0)}};

static const struct field_def root_fields[] = {
	{"P", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"CTP", 0, 63, 12, SHOW_ADDRESS, NULL, 0},
};

static const struct struct_def root_def = {
	"root entry", 2, FIELDS(root_fields), {GENMASK(11, 1), ~0ull},
};

/* root_entry_lctp(), root_entry_uctp() */
static const struct field_def sm_root_fields[] = {
	{"LP", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"LCTP", 0, 63, 12, SHOW_ADDRESS, NULL, 0},
	{"UP", 1, 0, 0, SHOW_VALUE, NULL, 0},
	{"UCTP", 1, 63, 12, SHOW_ADDRESS, NULL, 0},
};

static const struct struct_def sm_root_def = {
	"scalable-mode root entry", 2, FIELDS(sm_root_fields), {GENMASK(11, 1), GENMASK(11, 1)},
};

/* struct context_entry: lo P, FPD, TT, SLPTPTR; hi AW, AVAIL, DID */
static const struct field_def ctx_fields[] = {
	{"P", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"FPD", 0, 1, 1, SHOW_VALUE, NULL, 0},
	{"TT", 0, 3, 2, SHOW_VALUE, MEANINGS(tt_words)},
	{"SLPTPTR", 0, 63, 12, SHOW_ADDRESS, NULL, 0},
	{"AW", 1, 2, 0, SHOW_VALUE, MEANINGS(aw_words)},
	{"AVAIL", 1, 6, 3, SHOW_VALUE, NULL, 0},
	{"DID", 1, 23, 8, SHOW_VALUE, NULL, 0},
};

static const struct struct_def ctx_def = {
	"context entry", 2, FIELDS(ctx_fields), {GENMASK(11, 4), GENMASK(63, 24) | GENMASK(7, 7)},
};

/* context_entry_set_pasid_table(), context_set_sm_*() */
static const struct field_def sm_ctx_fields[] = {
	{"P", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"FPD", 0, 1, 1, SHOW_VALUE, NULL, 0},
	{"DTE", 0, 2, 2, SHOW_VALUE, NULL, 0},
	{"PASIDE", 0, 3, 3, SHOW_VALUE, NULL, 0},
	{"PRE", 0, 4, 4, SHOW_VALUE, NULL, 0},
	{"PDTS", 0, 11, 9, SHOW_VALUE, NULL, 0},
	{"PASIDDIRPTR", 0, 63, 12, SHOW_ADDRESS, NULL, 0},
	{"RID_PASID", 1, 19, 0, SHOW_VALUE, NULL, 0},
};

static const struct struct_def sm_ctx_def = {
	"scalable-mode context entry", 4, FIELDS(sm_ctx_fields), {GENMASK(8, 5), 0, ~0ull, ~0ull},
};

static const struct field_def pde_fields[] = {
	{"P", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"FPD", 0, 1, 1, SHOW_VALUE, NULL, 0},
	{"SMPTBLPTR", 0, 63, 12, SHOW_ADDRESS, NULL, 0},
};

static const struct struct_def pde_def = {
	"PASID directory entry", 1, FIELDS(pde_fields), {GENMASK(11, 2)},
};

/* pasid_set_*(): val[0] P FPD AW PGTT SSADE SLPTPTR; val[1] DID, snoop;
 * val[2] SRE FLPM WPE EAFE FLPTPTR */
static const struct field_def pasid_fields[] = {
	{"P", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"FPD", 0, 1, 1, SHOW_VALUE, NULL, 0},
	{"AW", 0, 4, 2, SHOW_VALUE, MEANINGS(aw_words)},
	{"PGTT", 0, 8, 6, SHOW_VALUE, MEANINGS(pgtt_words)},
	{"SSADE", 0, 9, 9, SHOW_VALUE, NULL, 0},
	{"SLPTPTR", 0, 63, 12, SHOW_ADDRESS, NULL, 0},
	{"DID", 1, 15, 0, SHOW_VALUE, NULL, 0},
	{"PWSNP", 1, 23, 23, SHOW_VALUE, NULL, 0},
	{"PGSNP", 1, 24, 24, SHOW_VALUE, NULL, 0},
	{"SRE", 2, 0, 0, SHOW_VALUE, NULL, 0},
	{"FLPM", 2, 3, 2, SHOW_VALUE, MEANINGS(flpm_words)},
	{"WPE", 2, 4, 4, SHOW_VALUE, NULL, 0},
	{"EAFE", 2, 7, 7, SHOW_VALUE, NULL, 0},
	{"FLPTPTR", 2, 63, 12, SHOW_ADDRESS, NULL, 0},
};

static const struct struct_def pasid_def = {
	"PASID entry", PASID_ENTRY_WORDS, FIELDS(pasid_fields), {GENMASK(11, 10)},
};

static int vtd_open(struct pgt_iommu *io, struct pgt_error *err)
{
	uint64_t reg = io->reg[0];
	unsigned ttm = (unsigned)bits(reg, 11, 10);
	if (reg & reg_def.reserved[0])
		return pgt_fail(err, -EINVAL, "reserved bits 0x%llx set in %s 0x%llx",
				(unsigned long long)(reg & reg_def.reserved[0]), reg_def.name,
				(unsigned long long)reg);
	/* legacy (0) or scalable (1); the others are reserved or abort-DMA */
	if (ttm > 1)
		return pgt_fail(err, -EINVAL, "%s %u is a reserved value", "RTADDR_REG.TTM", ttm);
	io->root = reg & GENMASK(63, 12);
	io->scalable = ttm == 1;
	io->entries = 1u << 16;
	return 0;
}

/* 30 + 9 * AW bits: the adjusted guest address width (agaw_to_level()) */
static unsigned aw_bits(unsigned aw)
{
	return 30 + 9 * aw;
}

/* pasid_set_address_width(), context_set_address_width(): AW is the
 * levels less 2 */
static void ss_table(struct pgt_iommu_table *t, pgt_addr root, unsigned aw)
{
	iommu_table_init(t, "intel-vtd-ss");
	t->n_roots = 1;
	t->root[0] = root;
	t->cfg.ias = aw_bits(aw);
	iommu_table_option(t, "levels", aw + 2);
}

/* pasid_pte_config_first_level(): FLPM 1 with PASID_FLAG_FL5LP */
static void fs_table(struct pgt_iommu_table *t, const uint64_t *pe)
{
	iommu_table_init(t, "intel-vtd-fs");
	t->n_roots = 1;
	t->root[0] = pe[2] & GENMASK(63, 12);
	t->cfg.ias = bits(pe[2], 3, 2) == 1 ? 57 : 48;
}

static void set_did(struct iommu_walk *w, uint64_t did)
{
	w->dev.has_domain = true;
	w->dev.domain = (uint32_t)did;
	w->dev.domain_name = "DID";
}

/* A legacy context entry's row. */
static int emit_legacy(struct iommu_walk *w, uint32_t rid, const uint64_t *ce)
{
	iommu_dev_begin(w, rid, false, 0);
	struct pgt_iommu_device *d = &w->dev;
	if (!(ce[0] & 1)) {
		d->mode = PGT_DEV_INVALID;
		d->note = "the context entry is not present: DMA faults";
		return iommu_emit(w);
	}
	set_did(w, bits(ce[1], 23, 8));
	switch (bits(ce[0], 3, 2)) {
	case 2:
		d->mode = PGT_DEV_BYPASS;
		break;
	case 3:
		d->mode = PGT_DEV_ABORT;
		d->note = "TT 3 is reserved: DMA faults";
		break;
	default:
		d->mode = PGT_DEV_TRANSLATED;
		d->has_table = true;
		ss_table(&d->table, ce[0] & GENMASK(63, 12), (unsigned)bits(ce[1], 2, 0));
	}
	return iommu_emit(w);
}

/* A PASID entry's row (the requester's own when !has_pasid). */
static int emit_pasid(struct iommu_walk *w, uint32_t rid, bool has_pasid, uint32_t pasid,
		      const uint64_t *pe)
{
	iommu_dev_begin(w, rid, has_pasid, pasid);
	struct pgt_iommu_device *d = &w->dev;
	if (!pe || !(pe[0] & 1)) {
		d->mode = PGT_DEV_ABORT;
		d->note = "its PASID entry is not present: DMA faults";
		return iommu_emit(w);
	}
	set_did(w, bits(pe[1], 15, 0));
	unsigned aw = (unsigned)bits(pe[0], 4, 2);
	switch (bits(pe[0], 8, 6)) {
	case 1:
		d->mode = PGT_DEV_TRANSLATED;
		d->has_table = true;
		fs_table(&d->table, pe);
		break;
	case 2:
		d->mode = PGT_DEV_TRANSLATED;
		d->has_table = true;
		ss_table(&d->table, pe[0] & GENMASK(63, 12), aw);
		break;
	case 3:
		d->mode = PGT_DEV_NESTED;
		d->has_table = d->has_stage2 = true;
		fs_table(&d->table, pe);
		ss_table(&d->stage2, pe[0] & GENMASK(63, 12), aw);
		break;
	case 4:
		d->mode = PGT_DEV_BYPASS;
		break;
	default:
		d->mode = PGT_DEV_ABORT;
		d->note = "PGTT is reserved: DMA faults";
	}
	return iommu_emit(w);
}

/* The PASID table at table: its 64 entries from PASID first, or only. */
static int pasid_table(struct iommu_walk *w, uint32_t rid, pgt_addr table, uint32_t first,
		       int64_t only, uint32_t rid_pasid)
{
	int rc = 0;
	for (uint32_t i = 0; !rc && i < PASID_PER_TABLE; i++) {
		uint32_t pasid = first + i;
		uint64_t pe[PASID_ENTRY_WORDS];
		if (only >= 0 ? pasid != only
			      : pasid == rid_pasid || !iommu_wants(w, rid, false, true, pasid))
			continue;
		pgt_addr pa = table + i * 64ull;
		if ((rc = iommu_read(w, "PASID entry", pa, PASID_ENTRY_WORDS, pe)))
			break;
		if (!(pe[0] & 1) && only < 0 && !w->v->all && !w->want)
			continue;
		rc = iommu_push(w, &pasid_def, pasid, pa, pe);
		if (!rc)
			rc = emit_pasid(w, rid, only < 0, pasid, pe);
		iommu_pop(w);
	}
	return rc;
}

/* The PASID directory of a scalable-mode context entry: 2^(PDTS + 7)
 * entries, each a table of 64 PASIDs (intel_pasid_get_entry()). */
static int pasid_dir(struct iommu_walk *w, uint32_t rid, const uint64_t *ce, int64_t only)
{
	uint64_t n = 1ull << (bits(ce[0], 11, 9) + 7);
	uint32_t rid_pasid = (uint32_t)bits(ce[1], 19, 0);
	pgt_addr dir = ce[0] & GENMASK(63, 12);
	int rc = iommu_enter(w, "PASID directory", &dir, n * 8, 4096);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	for (uint64_t i = 0; !rc && i < n; i++) {
		uint64_t pde;
		if (only >= 0 && (uint64_t)only / PASID_PER_TABLE != i)
			continue;
		if (w->want && w->want->has_pasid && w->want->pasid / PASID_PER_TABLE != i)
			continue;
		if ((rc = iommu_read(w, "PASID directory entry", dir + i * 8, 1, &pde)))
			break;
		if (!(pde & 1) && only < 0)
			continue;
		rc = iommu_push(w, &pde_def, i, dir + i * 8, &pde);
		if (!rc && !(pde & 1)) {
			rc = emit_pasid(w, rid, false, (uint32_t)only, NULL);
		} else if (!rc) {
			pgt_addr table = pde & GENMASK(63, 12);
			rc = iommu_enter(w, "PASID table", &table, 4096, 4096);
			if (!rc) {
				rc = pasid_table(w, rid, table, (uint32_t)(i * PASID_PER_TABLE), only,
						 rid_pasid);
				iommu_exit(w);
			}
		}
		iommu_pop(w);
		if (rc == IOMMU_SKIP)
			rc = 0;
	}
	iommu_exit(w);
	return rc == IOMMU_SKIP ? 0 : rc;
}

/* One context entry of requester rid at pa. */
static int one_context(struct iommu_walk *w, uint32_t rid, pgt_addr pa)
{
	bool sm = w->io->scalable;
	uint64_t ce[4];
	int rc = iommu_read(w, "context entry", pa, sm ? 4 : 2, ce);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	if (!(ce[0] & 1) && !w->v->all && !w->want)
		return 0;
	if ((rc = iommu_push(w, sm ? &sm_ctx_def : &ctx_def, rid & 0xff, pa, ce)))
		goto out;
	if (!sm) {
		if (iommu_wants(w, rid, false, false, 0))
			rc = emit_legacy(w, rid, ce);
		goto out;
	}
	if (!(ce[0] & 1)) {
		if (iommu_wants(w, rid, false, false, 0)) {
			iommu_dev_begin(w, rid, false, 0);
			w->dev.mode = PGT_DEV_INVALID;
			w->dev.note = "the context entry is not present: DMA faults";
			rc = iommu_emit(w);
		}
		goto out;
	}
	/* requests without a PASID take RID_PASID's entry */
	if (iommu_wants(w, rid, false, false, 0) &&
	    (rc = pasid_dir(w, rid, ce, (int64_t)bits(ce[1], 19, 0))))
		goto out;
	if (bits(ce[0], 3, 3) && (!w->want || w->want->has_pasid))
		rc = pasid_dir(w, rid, ce, -1);
out:
	iommu_pop(w);
	return rc == IOMMU_SKIP ? 0 : rc;
}

/* The context table one root entry pointer (half, in scalable mode) gives. */
static int context_table(struct iommu_walk *w, unsigned bus, pgt_addr table, unsigned first)
{
	bool sm = w->io->scalable;
	unsigned n = sm ? 128 : 256, bytes = sm ? 32 : 16;
	int rc = iommu_enter(w, "context table", &table, 4096, 4096);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	for (unsigned i = 0; !rc && i < n; i++) {
		uint32_t rid = bus << 8 | (first + i);
		if (!w->want || w->want->id == rid)
			rc = one_context(w, rid, table + (uint64_t)i * bytes);
	}
	iommu_exit(w);
	return rc;
}

static int vtd_walk(struct iommu_walk *w)
{
	struct pgt_iommu *io = w->io;
	pgt_addr root = io->root;
	if (w->want && w->want->id > 0xffff)
		return iommu_problem(w, PGT_STOP_RANGE, "device ID 0x%x is beyond the %s's %llu entries",
				     w->want->id, "root table", 65536ull);
	int rc = iommu_enter(w, "root table", &root, 4096, 4096);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	for (unsigned bus = 0; !rc && bus < 256; bus++) {
		uint64_t re[2];
		if (w->want && w->want->id >> 8 != bus)
			continue;
		pgt_addr pa = root + bus * 16ull;
		if ((rc = iommu_read(w, "root entry", pa, 2, re)))
			break;
		if (!((re[0] | (io->scalable ? re[1] : 0)) & 1) && !w->want)
			continue;
		rc = iommu_push(w, io->scalable ? &sm_root_def : &root_def, bus, pa, re);
		/* iommu_context_addr(): devfn 128 and up under the upper pointer */
		for (unsigned half = 0; !rc && half < (io->scalable ? 2u : 1u); half++) {
			if (w->want && (w->want->id & 0xff) >> 7 != half && io->scalable)
				continue;
			if (re[half] & 1)
				rc = context_table(w, bus, re[half] & GENMASK(63, 12), half * 128);
			else if (w->want)
				rc = iommu_problem(w, PGT_STOP_EMPTY, "the %s is not valid",
						   io->scalable ? (half ? "UCTP" : "LCTP") : "CTP");
		}
		iommu_pop(w);
		if (rc == IOMMU_SKIP)
			rc = 0;
	}
	iommu_exit(w);
	return rc;
}

/* --- scan ----------------------------------------------------------------- */

/* A context table of the mode's shape at pa: valid entries, or -1. */
static int context_shape(struct pgt_mem *mem, pgt_addr pa, bool sm)
{
	uint64_t t[512];
	if (!iommu_peek(mem, pa, 512, t))
		return -1;
	const struct struct_def *def = sm ? &sm_ctx_def : &ctx_def;
	unsigned words = sm ? 4 : 2;
	int valid = 0;
	for (unsigned i = 0; i < 512; i += words) {
		uint64_t any = 0;
		for (unsigned k = 0; k < words; k++) {
			any |= t[i + k];
			if (t[i + k] & def->reserved[k])
				return -1;
		}
		if (any && !(t[i] & 1))
			return -1;
		valid += any != 0;
	}
	return valid;
}

/* A root table at pa in one mode: its score into c, false when not one. */
static bool probe_mode(struct pgt_mem *mem, pgt_addr pa, bool sm, struct pgt_iommu_candidate *c)
{
	uint64_t re[512];
	if (!iommu_peek(mem, pa, 512, re))
		return false;
	const struct struct_def *def = sm ? &sm_root_def : &root_def;
	struct iommu_roots seen = {0};
	for (unsigned i = 0; i < 512; i++) {
		if (!re[i])
			continue;
		if ((re[i] & def->reserved[i & 1]) || !(re[i] & 1) ||
		    context_shape(mem, re[i] & GENMASK(63, 12), sm) <= 0)
			return false;
	}
	for (unsigned i = 0; i < 512; i++) {
		uint64_t t[512];
		if (!re[i] || !iommu_peek(mem, re[i] & GENMASK(63, 12), 512, t))
			continue;
		for (unsigned k = 0; k < 512; k += sm ? 4 : 2) {
			struct pgt_iommu_table tt;
			if (!(t[k] & 1))
				continue;
			c->entries++;
			if (!sm) {
				if (bits(t[k], 3, 2) > 1)
					continue;
				ss_table(&tt, t[k] & GENMASK(63, 12), (unsigned)bits(t[k + 1], 2, 0));
			} else {
				uint64_t pde, pe[PASID_ENTRY_WORDS];
				uint64_t rid_pasid = bits(t[k + 1], 19, 0);
				pgt_addr dir = t[k] & GENMASK(63, 12);
				if (!iommu_peek(mem, dir + rid_pasid / 64 * 8, 1, &pde) || !(pde & 1) ||
				    !iommu_peek(mem, (pde & GENMASK(63, 12)) + rid_pasid % 64 * 64,
						PASID_ENTRY_WORDS, pe) ||
				    !(pe[0] & 1))
					continue;
				unsigned pgtt = (unsigned)bits(pe[0], 8, 6);
				if (pgtt == 1 || pgtt == 3)
					fs_table(&tt, pe);
				else if (pgtt == 2)
					ss_table(&tt, pe[0] & GENMASK(63, 12), (unsigned)bits(pe[0], 4, 2));
				else
					continue;
			}
			iommu_count_table(mem, &tt, &seen, c);
		}
	}
	iommu_score(c);
	snprintf(c->reg, sizeof(c->reg), "0x%llx", (unsigned long long)(pa | (sm ? 1u << 10 : 0)));
	return c->entries > 0;
}

static void vtd_probe(struct pgt_mem *mem, pgt_addr pa, struct pgt_iommu_candidate *c)
{
	struct pgt_iommu_candidate legacy = *c, sm = *c;
	bool l = probe_mode(mem, pa, false, &legacy), s = probe_mode(mem, pa, true, &sm);
	if (l && (!s || legacy.score >= sm.score))
		*c = legacy;
	else if (s)
		*c = sm;
}

static const struct iommu_kind_ops ops = {vtd_open, vtd_walk, vtd_probe};

const struct pgt_iommu_kind iommu_intel_vtd = {
	.name = "intel-vtd",
	.summary = "Intel VT-d: root and context tables, scalable-mode PASID tables",
	.register_doc = "RTADDR_REG (MMIO offset 0x20)",
	.max_regs = 1,
	.pci_ids = true,
	.reg_def = &reg_def,
	.ops = &ops,
};

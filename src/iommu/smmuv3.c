// SPDX-License-Identifier: MIT
/*
 * Arm SMMUv3: the stream table STRTAB_BASE and STRTAB_BASE_CFG name
 * (linear, or two levels of L1 descriptors and STE tables), 512-bit STEs,
 * and the context descriptor tables of stage-1 streams (linear, or two
 * levels), one CD per substream. Bit layouts: the 6.12 and 7.3 kernels'
 * arm-smmu-v3.h (STRTAB_*, CTXDESC_*); what they do not name (S1Fmt's
 * 4K-L2 encoding, the reserved bits, SPLIT's valid values, Config's
 * reserved encodings) is from the Arm SMMUv3 architecture specification
 * (IHI 0070, "Stream Table Entry", "Context Descriptor").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "iommu_int.h"

#define STE_WORDS 8
#define CD_WORDS 8

static const char *const fmt_words[] = {"linear", "2-level", "reserved", "reserved"};
static const char *const config_words[] = {"abort",    "reserved", "reserved", "reserved",
					   "bypass",   "stage 1",  "stage 2",  "nested"};
static const char *const s1fmt_words[] = {"linear", "2-level, 4K L2", "2-level, 64K L2",
					  "reserved"};
static const char *const s1dss_words[] = {"terminate", "bypass", "substream 0", "reserved"};
static const char *const tg_words[] = {"4K", "64K", "16K", "reserved"};
static const char *const ps_words[] = {"32 bits", "36 bits", "40 bits", "42 bits",
				       "44 bits", "48 bits", "52 bits", "reserved"};

/* ARM_SMMU_STRTAB_BASE (word 0) and ARM_SMMU_STRTAB_BASE_CFG (word 1) */
static const struct field_def reg_fields[] = {
	{"RA", 0, 62, 62, SHOW_VALUE, NULL, 0},
	{"ADDR", 0, 51, 6, SHOW_ADDRESS, NULL, 0},
	{"FMT", 1, 17, 16, SHOW_VALUE, MEANINGS(fmt_words)},
	{"SPLIT", 1, 10, 6, SHOW_VALUE, NULL, 0},
	{"LOG2SIZE", 1, 5, 0, SHOW_VALUE, NULL, 0},
};

static const struct struct_def reg_def = {
	"STRTAB_BASE", 2, FIELDS(reg_fields),
	{GENMASK(63, 63) | GENMASK(61, 52) | GENMASK(5, 0), GENMASK(63, 18) | GENMASK(15, 11)},
};

/* STRTAB_L1_DESC_SPAN, STRTAB_L1_DESC_L2PTR_MASK */
static const struct field_def l1std_fields[] = {
	{"Span", 0, 4, 0, SHOW_VALUE, NULL, 0},
	{"L2Ptr", 0, 51, 6, SHOW_ADDRESS, NULL, 0},
};

static const struct struct_def l1std_def = {
	"L1STD", 1, FIELDS(l1std_fields), {GENMASK(63, 52) | GENMASK(5, 5)},
};

static const struct field_def ste_fields[] = {
	{"V", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"Config", 0, 3, 1, SHOW_VALUE, MEANINGS(config_words)},
	{"S1Fmt", 0, 5, 4, SHOW_VALUE, MEANINGS(s1fmt_words)},
	{"S1ContextPtr", 0, 51, 6, SHOW_ADDRESS, NULL, 0},
	{"S1CDMax", 0, 63, 59, SHOW_VALUE, NULL, 0},
	{"S1DSS", 1, 1, 0, SHOW_VALUE, MEANINGS(s1dss_words)},
	{"S1CIR", 1, 3, 2, SHOW_VALUE, NULL, 0},
	{"S1COR", 1, 5, 4, SHOW_VALUE, NULL, 0},
	{"S1CSH", 1, 7, 6, SHOW_VALUE, NULL, 0},
	{"MEV", 1, 19, 19, SHOW_VALUE, NULL, 0},
	{"S2FWB", 1, 25, 25, SHOW_VALUE, NULL, 0},
	{"S1STALLD", 1, 27, 27, SHOW_VALUE, NULL, 0},
	{"EATS", 1, 29, 28, SHOW_VALUE, NULL, 0},
	{"STRW", 1, 31, 30, SHOW_VALUE, NULL, 0},
	{"SHCFG", 1, 45, 44, SHOW_VALUE, NULL, 0},
	{"S2VMID", 2, 15, 0, SHOW_VALUE, NULL, 0},
	{"S2T0SZ", 2, 37, 32, SHOW_VALUE, NULL, 0},
	{"S2SL0", 2, 39, 38, SHOW_VALUE, NULL, 0},
	{"S2IR0", 2, 41, 40, SHOW_VALUE, NULL, 0},
	{"S2OR0", 2, 43, 42, SHOW_VALUE, NULL, 0},
	{"S2SH0", 2, 45, 44, SHOW_VALUE, NULL, 0},
	{"S2TG", 2, 47, 46, SHOW_VALUE, MEANINGS(tg_words)},
	{"S2PS", 2, 50, 48, SHOW_VALUE, MEANINGS(ps_words)},
	{"S2AA64", 2, 51, 51, SHOW_VALUE, NULL, 0},
	{"S2ENDI", 2, 52, 52, SHOW_VALUE, NULL, 0},
	{"S2AFFD", 2, 53, 53, SHOW_VALUE, NULL, 0},
	{"S2PTW", 2, 54, 54, SHOW_VALUE, NULL, 0},
	{"S2HD", 2, 55, 55, SHOW_VALUE, NULL, 0},
	{"S2HA", 2, 56, 56, SHOW_VALUE, NULL, 0},
	{"S2S", 2, 57, 57, SHOW_VALUE, NULL, 0},
	{"S2R", 2, 58, 58, SHOW_VALUE, NULL, 0},
	{"S2TTB", 3, 51, 4, SHOW_ADDRESS, NULL, 0},
};

static const struct struct_def ste_def = {
	"STE", STE_WORDS, FIELDS(ste_fields),
	{GENMASK(58, 52), 0, GENMASK(63, 59), GENMASK(63, 52) | GENMASK(3, 0)},
};

/* CTXDESC_L1_DESC_V, CTXDESC_L1_DESC_L2PTR_MASK */
static const struct field_def l1cd_fields[] = {
	{"V", 0, 0, 0, SHOW_VALUE, NULL, 0},
	{"L2Ptr", 0, 51, 12, SHOW_ADDRESS, NULL, 0},
};

static const struct struct_def l1cd_def = {
	"L1CD", 1, FIELDS(l1cd_fields), {GENMASK(63, 52) | GENMASK(11, 1)},
};

static const struct field_def cd_fields[] = {
	{"T0SZ", 0, 5, 0, SHOW_VALUE, NULL, 0},
	{"TG0", 0, 7, 6, SHOW_VALUE, MEANINGS(tg_words)},
	{"IR0", 0, 9, 8, SHOW_VALUE, NULL, 0},
	{"OR0", 0, 11, 10, SHOW_VALUE, NULL, 0},
	{"SH0", 0, 13, 12, SHOW_VALUE, NULL, 0},
	{"EPD0", 0, 14, 14, SHOW_VALUE, NULL, 0},
	{"ENDI", 0, 15, 15, SHOW_VALUE, NULL, 0},
	{"T1SZ", 0, 21, 16, SHOW_VALUE, NULL, 0},
	{"TG1", 0, 23, 22, SHOW_VALUE, NULL, 0},
	{"EPD1", 0, 30, 30, SHOW_VALUE, NULL, 0},
	{"V", 0, 31, 31, SHOW_VALUE, NULL, 0},
	{"IPS", 0, 34, 32, SHOW_VALUE, MEANINGS(ps_words)},
	{"AFFD", 0, 35, 35, SHOW_VALUE, NULL, 0},
	{"TBI0", 0, 38, 38, SHOW_VALUE, NULL, 0},
	{"AA64", 0, 41, 41, SHOW_VALUE, NULL, 0},
	{"HD", 0, 42, 42, SHOW_VALUE, NULL, 0},
	{"HA", 0, 43, 43, SHOW_VALUE, NULL, 0},
	{"S", 0, 44, 44, SHOW_VALUE, NULL, 0},
	{"R", 0, 45, 45, SHOW_VALUE, NULL, 0},
	{"A", 0, 46, 46, SHOW_VALUE, NULL, 0},
	{"ASET", 0, 47, 47, SHOW_VALUE, NULL, 0},
	{"ASID", 0, 63, 48, SHOW_VALUE, NULL, 0},
	{"TTB0", 1, 51, 4, SHOW_ADDRESS, NULL, 0},
	{"TTB1", 2, 51, 4, SHOW_ADDRESS, NULL, 0},
	{"MAIR", 3, 63, 0, SHOW_VALUE, NULL, 0},
};

static const struct struct_def cd_def = {
	"CD", CD_WORDS, FIELDS(cd_fields), {0, GENMASK(63, 52), GENMASK(63, 52)},
};

static int smmu_open(struct pgt_iommu *io, struct pgt_error *err)
{
	if (io->n_reg != 2)
		return pgt_fail(err, -EINVAL, "%s takes %s", io->kind->name, io->kind->register_doc);
	for (unsigned i = 0; i < 2; i++)
		if (io->reg[i] & reg_def.reserved[i])
			return pgt_fail(err, -EINVAL, "reserved bits 0x%llx set in %s 0x%llx",
					(unsigned long long)(io->reg[i] & reg_def.reserved[i]),
					i ? "STRTAB_BASE_CFG" : "STRTAB_BASE",
					(unsigned long long)io->reg[i]);
	unsigned fmt = (unsigned)bits(io->reg[1], 17, 16);
	unsigned log2size = (unsigned)bits(io->reg[1], 5, 0);
	io->split = (unsigned)bits(io->reg[1], 10, 6);
	if (fmt > 1)
		return pgt_fail(err, -EINVAL, "%s %u is a reserved value", "STRTAB_BASE_CFG.FMT", fmt);
	/* StreamIDs have at most 32 bits */
	if (log2size > 32)
		return pgt_fail(err, -EINVAL, "%s %u is a reserved value", "STRTAB_BASE_CFG.LOG2SIZE",
				log2size);
	/* the architecture's valid SPLITs: 4K, 16K or 64K of STEs */
	if (fmt == 1 && io->split != 6 && io->split != 8 && io->split != 10)
		return pgt_fail(err, -EINVAL, "%s %u is a reserved value", "STRTAB_BASE_CFG.SPLIT",
				io->split);
	io->root = io->reg[0] & GENMASK(51, 6);
	io->levels = fmt + 1;
	io->entries = 1ull << log2size;
	return 0;
}

/* --- context descriptors ------------------------------------------------ */

static uint64_t granule_of_tg(unsigned tg)
{
	return tg == 0 ? 1ull << 12 : tg == 1 ? 1ull << 16 : 1ull << 14;
}

/* The page sizes of a granule (arm_lpae_restrict_pgsizes()). */
static uint64_t pgsizes_of(uint64_t granule)
{
	return granule == 1ull << 12   ? granule | 1ull << 21 | 1ull << 30
	       : granule == 1ull << 14 ? granule | 1ull << 25
				       : granule | 1ull << 29 | 1ull << 42;
}

static const unsigned ps_bits[] = {32, 36, 40, 42, 44, 48, 52};

/*
 * The table a CD gives (arm_smmu_make_s1_cd(): T0SZ = 64 - ias, TG0 the
 * granule, IPS the oas, IR0/OR0/SH0 WBWA inner-shareable when the walk is
 * coherent, HA and HD with IO_PGTABLE_QUIRK_ARM_HD).
 */
static void cd_table(struct pgt_iommu_table *t, const uint64_t *cd)
{
	bool aa64 = bits(cd[0], 41, 41);
	unsigned t0sz = (unsigned)bits(cd[0], 5, 0), tg = (unsigned)bits(cd[0], 7, 6);
	unsigned ips = (unsigned)bits(cd[0], 34, 32);
	iommu_table_init(t, aa64 ? "arm-64-lpae-s1" : "arm-32-lpae-s1");
	t->n_roots = 1;
	t->root[0] = cd[1] & GENMASK(51, 4);
	t->cfg.ias = (aa64 ? 64 : 32) - (t0sz > 32 && !aa64 ? 32 : t0sz);
	if (ips < 7)
		t->cfg.oas = ps_bits[ips];
	t->cfg.cpu_page_size = granule_of_tg(tg);
	t->cfg.pgsize_bitmap = pgsizes_of(t->cfg.cpu_page_size);
	t->cfg.coherent_walk = bits(cd[0], 9, 8) != 0;
	if (!t->cfg.coherent_walk && bits(cd[0], 11, 10) == 1)
		t->cfg.quirks |= PGT_QUIRK_ARM_OUTER_WBWA;
	if (bits(cd[0], 43, 42) == 3)
		t->cfg.quirks |= PGT_QUIRK_ARM_HD;
	if (!aa64)
		return;
	iommu_table_expect(t, "tcr", "tsz", t0sz);
	iommu_table_expect(t, "tcr", "tg", tg);
	iommu_table_expect(t, "tcr", "ips", ips);
}

/* arm_smmu_make_s2_domain_ste(): VTCR's fields and S2TTB */
static void s2_table(struct pgt_iommu_table *t, const uint64_t *ste)
{
	unsigned tsz = (unsigned)bits(ste[2], 37, 32), tg = (unsigned)bits(ste[2], 47, 46);
	unsigned ps = (unsigned)bits(ste[2], 50, 48);
	iommu_table_init(t, "arm-64-lpae-s2");
	t->n_roots = 1;
	t->root[0] = ste[3] & GENMASK(51, 4);
	t->cfg.ias = 64 - tsz;
	if (ps < 7)
		t->cfg.oas = ps_bits[ps];
	t->cfg.cpu_page_size = granule_of_tg(tg);
	t->cfg.pgsize_bitmap = pgsizes_of(t->cfg.cpu_page_size);
	t->cfg.coherent_walk = bits(ste[2], 41, 40) != 0;
	iommu_table_expect(t, "vtcr", "tsz", tsz);
	iommu_table_expect(t, "vtcr", "tg", tg);
	iommu_table_expect(t, "vtcr", "ps", ps);
	iommu_table_expect(t, "vtcr", "sl", bits(ste[2], 39, 38));
}

struct stream {
	uint32_t sid;
	uint64_t ste[STE_WORDS];
	unsigned config;
};

static void set_vmid(struct iommu_walk *w, const struct stream *s)
{
	w->dev.has_domain = true;
	w->dev.domain = (uint32_t)bits(s->ste[2], 15, 0);
	w->dev.domain_name = "VMID";
}

/* One substream's row (SSID ssid, or the stream's own when !has_ssid). */
static int emit_cd(struct iommu_walk *w, const struct stream *s, bool has_ssid, uint32_t ssid,
		   const uint64_t *cd)
{
	iommu_dev_begin(w, s->sid, has_ssid, ssid);
	struct pgt_iommu_device *d = &w->dev;
	if (!cd || !bits(cd[0], 31, 31)) {
		d->mode = PGT_DEV_ABORT;
		d->note = "its CD is not valid: transactions abort (C_BAD_CD)";
		return iommu_emit(w);
	}
	d->has_domain = true;
	d->domain = (uint32_t)bits(cd[0], 63, 48);
	d->domain_name = "ASID";
	if (bits(cd[0], 14, 14)) {
		d->mode = PGT_DEV_ABORT;
		d->note = "EPD0: walks of TTB0 are disabled, every access faults";
		return iommu_emit(w);
	}
	d->has_table = true;
	cd_table(&d->table, cd);
	d->mode = PGT_DEV_TRANSLATED;
	if (s->config == 7) {
		d->mode = PGT_DEV_NESTED;
		d->has_stage2 = true;
		s2_table(&d->stage2, s->ste);
	}
	return iommu_emit(w);
}

static bool cd_wanted(const struct iommu_walk *w, const struct stream *s, uint32_t ssid,
		      int64_t only)
{
	if (only >= 0)
		return ssid == (uint64_t)only;
	return iommu_wants(w, s->sid, false, true, ssid);
}

/* n CDs at table, SSIDs from first: their rows. */
static int cd_leaf_table(struct iommu_walk *w, const struct stream *s, pgt_addr table,
			 uint32_t first, uint32_t n, int64_t only, bool skip0)
{
	int rc = 0;
	for (uint32_t i = 0; !rc && i < n; i++) {
		uint32_t ssid = first + i;
		uint64_t cd[CD_WORDS];
		if (!cd_wanted(w, s, ssid, only) || (skip0 && ssid == 0 && only < 0))
			continue;
		pgt_addr pa = table + (uint64_t)i * CD_WORDS * 8;
		rc = iommu_read(w, "CD", pa, CD_WORDS, cd);
		if (rc)
			break;
		if (!bits(cd[0], 31, 31) && only < 0 && !w->v->all && !w->want)
			continue;
		rc = iommu_push(w, &cd_def, ssid, pa, cd);
		if (!rc)
			rc = emit_cd(w, s, only < 0, ssid, cd);
		iommu_pop(w);
	}
	return rc;
}

/* The CD table of a stage-1 stream: every CD (only < 0) or CD only. */
static int cd_walk(struct iommu_walk *w, const struct stream *s, int64_t only, bool skip0)
{
	unsigned s1fmt = (unsigned)bits(s->ste[0], 5, 4);
	unsigned cdmax = (unsigned)bits(s->ste[0], 63, 59);
	uint64_t n = 1ull << cdmax;
	pgt_addr table = s->ste[0] & GENMASK(51, 6);
	int rc;

	if (s1fmt == 3)
		return iommu_problem(w, PGT_STOP_BAD, "%s %u is reserved", "S1Fmt", s1fmt);
	if (s1fmt == 0 || cdmax == 0) {
		if ((rc = iommu_enter(w, "CD table", &table, n * CD_WORDS * 8, 64)))
			return rc == IOMMU_SKIP ? 0 : rc;
		rc = cd_leaf_table(w, s, table, 0, (uint32_t)n, only, skip0);
		iommu_exit(w);
		return rc;
	}
	/* CTXDESC_L2_ENTRIES is 64K of CDs; the architecture also has 4K */
	unsigned l2_bits = s1fmt == 2 ? 10 : 6;
	uint64_t n_l1 = cdmax > l2_bits ? 1ull << (cdmax - l2_bits) : 1;
	if ((rc = iommu_enter(w, "L1 CD table", &table, n_l1 * 8, 64)))
		return rc == IOMMU_SKIP ? 0 : rc;
	for (uint64_t i = 0; !rc && i < n_l1; i++) {
		uint64_t l1;
		if (only >= 0 && (uint64_t)only >> l2_bits != i)
			continue;
		if (w->want && w->want->has_pasid && w->want->pasid >> l2_bits != i)
			continue;
		rc = iommu_read(w, "L1CD", table + i * 8, 1, &l1);
		if (rc)
			break;
		if (!(l1 & 1) && only < 0)
			continue;
		rc = iommu_push(w, &l1cd_def, i, table + i * 8, &l1);
		if (!rc && !(l1 & 1)) {
			rc = emit_cd(w, s, false, (uint32_t)only, NULL);
		} else if (!rc) {
			pgt_addr l2 = l1 & GENMASK(51, 12);
			uint32_t n_l2 = 1u << l2_bits;
			rc = iommu_enter(w, "L2 CD table", &l2, (uint64_t)n_l2 * CD_WORDS * 8, 4096);
			if (!rc) {
				rc = cd_leaf_table(w, s, l2, (uint32_t)(i << l2_bits), n_l2, only, skip0);
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

/* --- streams -------------------------------------------------------------- */

/* What transactions without a substream get (STRTAB_STE_0_CFG, S1DSS). */
static int emit_stream(struct iommu_walk *w, struct stream *s)
{
	const uint64_t *ste = s->ste;
	unsigned cdmax = (unsigned)bits(ste[0], 63, 59), s1dss = (unsigned)bits(ste[1], 1, 0);
	bool s1 = s->config == 5 || s->config == 7;

	if (!iommu_wants(w, s->sid, false, false, 0))
		return 0;
	/* one CD, or S1DSS substream 0: transactions without an SSID use CD 0 */
	if (s1 && (cdmax == 0 || s1dss == 2))
		return cd_walk(w, s, 0, false);
	iommu_dev_begin(w, s->sid, false, 0);
	struct pgt_iommu_device *d = &w->dev;
	if (!(ste[0] & 1)) {
		d->mode = PGT_DEV_INVALID;
		d->note = "the STE is not valid: transactions abort (C_BAD_STE)";
		return iommu_emit(w);
	}
	switch (s->config) {
	case 0:
		d->mode = PGT_DEV_ABORT;
		break;
	case 4:
		d->mode = PGT_DEV_BYPASS;
		break;
	case 6:
		set_vmid(w, s);
		d->mode = PGT_DEV_TRANSLATED;
		d->has_table = true;
		s2_table(&d->table, ste);
		break;
	case 5:
	case 7:
		if (s1dss == 1 && s->config == 5) {
			d->mode = PGT_DEV_BYPASS;
			d->note = "S1DSS bypass: transactions without a substream are not translated";
		} else if (s1dss == 1) {
			set_vmid(w, s);
			d->mode = PGT_DEV_TRANSLATED;
			d->note = "S1DSS bypass: transactions without a substream take stage 2 alone";
			d->has_table = true;
			s2_table(&d->table, ste);
		} else {
			d->mode = PGT_DEV_ABORT;
			d->note = "S1DSS terminate: transactions without a substream abort";
		}
		break;
	default:
		d->mode = PGT_DEV_ABORT;
		d->note = "Config is reserved: transactions abort (C_BAD_STE)";
	}
	return iommu_emit(w);
}

static int one_ste(struct iommu_walk *w, pgt_addr pa, uint32_t sid)
{
	struct stream s = {.sid = sid};
	int rc = iommu_read(w, "STE", pa, STE_WORDS, s.ste);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	if (!(s.ste[0] & 1) && !w->v->all && !w->want)
		return 0;
	s.config = (unsigned)bits(s.ste[0], 3, 1);
	if ((rc = iommu_push(w, &ste_def, sid, pa, s.ste)))
		goto out;
	if ((s.ste[0] & 1) && s.config && s.config < 4 &&
	    (rc = iommu_problem(w, PGT_STOP_BAD, "%s %u is reserved", "Config", s.config)))
		goto out;
	if ((rc = emit_stream(w, &s)))
		goto out;
	/* substreams: with S1CDMax, every CD but the one S1DSS gave the stream */
	bool s1 = (s.ste[0] & 1) && (s.config == 5 || s.config == 7);
	if (s1 && bits(s.ste[0], 63, 59) && iommu_wants(w, sid, true, false, 0) &&
	    (!w->want || w->want->has_pasid))
		rc = cd_walk(w, &s, -1, bits(s.ste[1], 1, 0) == 2);
out:
	iommu_pop(w);
	return rc == IOMMU_SKIP ? 0 : rc;
}

static int linear_walk(struct iommu_walk *w)
{
	struct pgt_iommu *io = w->io;
	uint64_t bytes = io->entries * STE_WORDS * 8;
	pgt_addr table = io->root;
	int rc = iommu_enter(w, "stream table", &table, bytes, bytes);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	for (uint64_t sid = 0; !rc && sid < io->entries; sid++)
		if (!w->want || w->want->id == sid)
			rc = one_ste(w, table + sid * STE_WORDS * 8, (uint32_t)sid);
	iommu_exit(w);
	return rc;
}

/* STRTAB_SPLIT bits of the StreamID index an L2 table of STEs. */
static int two_level_walk(struct iommu_walk *w)
{
	struct pgt_iommu *io = w->io;
	unsigned log2size = (unsigned)bits(io->reg[1], 5, 0);
	uint64_t n_l1 = log2size > io->split ? 1ull << (log2size - io->split) : 1;
	pgt_addr table = io->root;
	int rc = iommu_enter(w, "L1 stream table", &table, n_l1 * 8, n_l1 * 8 > 64 ? n_l1 * 8 : 64);
	if (rc)
		return rc == IOMMU_SKIP ? 0 : rc;
	for (uint64_t i = 0; !rc && i < n_l1; i++) {
		uint64_t l1;
		if (w->want && w->want->id >> io->split != i)
			continue;
		rc = iommu_read(w, "L1STD", table + i * 8, 1, &l1);
		if (rc)
			break;
		unsigned span = (unsigned)bits(l1, 4, 0);
		if (!span && !w->want)
			continue;
		rc = iommu_push(w, &l1std_def, i, table + i * 8, &l1);
		/* an L2 table holds at most 2^SPLIT STEs */
		if (!rc && span > io->split + 1)
			rc = iommu_problem(w, PGT_STOP_BAD, "%s %u is reserved", "Span", span);
		if (!rc && span && span <= io->split + 1) {
			uint64_t n_l2 = 1ull << (span - 1), bytes = n_l2 * STE_WORDS * 8;
			pgt_addr l2 = l1 & GENMASK(51, 6);
			rc = iommu_enter(w, "L2 stream table", &l2, bytes, bytes);
			if (!rc) {
				for (uint64_t k = 0; !rc && k < n_l2; k++) {
					uint32_t sid = (uint32_t)(i << io->split | k);
					if (!w->want || w->want->id == sid)
						rc = one_ste(w, l2 + k * STE_WORDS * 8, sid);
				}
				iommu_exit(w);
			}
		}
		iommu_pop(w);
		if (rc == IOMMU_SKIP)
			rc = 0;
	}
	iommu_exit(w);
	return rc;
}

static int smmu_walk(struct iommu_walk *w)
{
	if (w->want && w->want->id >= w->io->entries)
		return iommu_problem(w, PGT_STOP_RANGE, "device ID 0x%x is beyond the %s's %llu entries",
				     w->want->id, "stream table", (unsigned long long)w->io->entries);
	return w->io->levels == 1 ? linear_walk(w) : two_level_walk(w);
}

/* --- scan ----------------------------------------------------------------- */

/* An STE that could be the kernel's: valid with a defined Config, clean
 * reserved bits, or all zero. -1 when it cannot be an STE. */
static int ste_shape(const uint64_t *s)
{
	uint64_t any = 0;
	for (unsigned i = 0; i < STE_WORDS; i++)
		any |= s[i];
	if (!any)
		return 0;
	unsigned config = (unsigned)bits(s[0], 3, 1);
	if (!(s[0] & 1) || (config && config < 4))
		return -1;
	for (unsigned i = 0; i < STE_WORDS; i++)
		if (s[i] & ste_def.reserved[i])
			return -1;
	return 1;
}

/* n STEs at pa: how many are valid, or -1 when one cannot be an STE. */
static int ste_run(struct pgt_mem *mem, pgt_addr pa, uint64_t n)
{
	int valid = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t s[STE_WORDS];
		if (!iommu_peek(mem, pa + i * 64, STE_WORDS, s))
			return -1;
		int shape = ste_shape(s);
		if (shape < 0)
			return -1;
		valid += shape;
	}
	return valid;
}

/* The table an STE of the right shape gives, for scoring; false when none. */
static bool ste_table(struct pgt_mem *mem, const uint64_t *s, struct pgt_iommu_table *t)
{
	unsigned config = (unsigned)bits(s[0], 3, 1);
	if (config == 6) {
		s2_table(t, s);
		return true;
	}
	if (config != 5 && config != 7)
		return false;
	uint64_t cd[CD_WORDS];
	pgt_addr ctx = s[0] & GENMASK(51, 6);
	if (bits(s[0], 5, 4) && bits(s[0], 63, 59)) {
		uint64_t l1;
		if (!iommu_peek(mem, ctx, 1, &l1) || !(l1 & 1))
			return false;
		ctx = l1 & GENMASK(51, 12);
	}
	if (!iommu_peek(mem, ctx, CD_WORDS, cd) || !bits(cd[0], 31, 31))
		return false;
	cd_table(t, cd);
	return true;
}

/* Count the n STEs at pa (already of the right shape) into c. */
static void score_stes(struct pgt_mem *mem, pgt_addr pa, uint64_t n, struct pgt_iommu_candidate *c,
		       struct iommu_roots *seen)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t s[STE_WORDS];
		struct pgt_iommu_table t;
		if (!iommu_peek(mem, pa + i * 64, STE_WORDS, s) || !(s[0] & 1))
			continue;
		c->entries++;
		if (ste_table(mem, s, &t))
			iommu_count_table(mem, &t, seen, c);
	}
}

/* An L1 stream table at pa: its SPLIT and last valid index, or false. */
static bool l1_shape(struct pgt_mem *mem, pgt_addr pa, unsigned *split, unsigned *last)
{
	uint64_t l1[512];
	unsigned span = 0;
	if (!iommu_peek(mem, pa, 512, l1))
		return false;
	for (unsigned i = 0; i < 512; i++) {
		unsigned sp = (unsigned)bits(l1[i], 4, 0);
		if (!l1[i])
			continue;
		if (!sp || (l1[i] & l1std_def.reserved[0]) || (span && sp != span))
			return false;
		span = sp;
		*last = i;
	}
	*split = span - 1;
	if (!span || (*split != 6 && *split != 8 && *split != 10))
		return false;
	for (unsigned i = 0; i <= *last; i++)
		if (l1[i] && ste_run(mem, l1[i] & GENMASK(51, 6), 1ull << *split) < 0)
			return false;
	return true;
}

/*
 * A stream table starting at pa: an L1 table of descriptors whose spans
 * and L2 pointers lead to STEs (the kernel's 2-level table), or the first
 * page of a run of STE pages (a linear one).
 */
static void smmu_probe(struct pgt_mem *mem, pgt_addr pa, struct pgt_iommu_candidate *c)
{
	struct iommu_roots r = {0};
	unsigned split, last = 0;
	if (l1_shape(mem, pa, &split, &last)) {
		uint64_t l1;
		unsigned n_l1 = 0;
		for (unsigned i = 0; i <= last; i++)
			if (iommu_peek(mem, pa + i * 8, 1, &l1) && l1) {
				score_stes(mem, l1 & GENMASK(51, 6), 1ull << split, c, &r);
				n_l1++;
			}
		unsigned l1_bits = 0;
		while ((1u << l1_bits) < last + 1)
			l1_bits++;
		snprintf(c->reg, sizeof(c->reg), "0x%llx,0x%x", (unsigned long long)pa,
			 1u << 16 | split << 6 | (split + l1_bits));
		iommu_score(c);
		/* its L1 descriptors are evidence an L2 table alone lacks */
		c->score += n_l1;
		return;
	}
	if (ste_run(mem, pa, 64) <= 0 || (pa >= 4096 && ste_run(mem, pa - 4096, 64) > 0))
		return;
	uint64_t n = 64;
	/* the kernel writes every STE of a linear table (abort or bypass) */
	while (n < 1u << 16 && ste_run(mem, pa + n * 64, 64) > 0)
		n += 64;
	score_stes(mem, pa, n, c, &r);
	unsigned log2 = 0;
	while ((1ull << log2) < n)
		log2++;
	snprintf(c->reg, sizeof(c->reg), "0x%llx,0x%x", (unsigned long long)pa, log2);
	iommu_score(c);
}

static const struct iommu_kind_ops ops = {smmu_open, smmu_walk, smmu_probe};

const struct pgt_iommu_kind iommu_smmuv3 = {
	.name = "smmuv3",
	.summary = "Arm SMMUv3: stream table (STEs), context descriptor tables (CDs)",
	.register_doc = "STRTAB_BASE,STRTAB_BASE_CFG (MMIO offsets 0x80 and 0x88)",
	.max_regs = 2,
	.pci_ids = false,
	.reg_def = &reg_def,
	.ops = &ops,
};

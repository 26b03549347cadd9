// SPDX-License-Identifier: MIT
/*
 * One configuration for both sides, and the oracle alone for self-checks.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kt_int.h"

void kt_oracle_cfg(const struct kt_cfg *c, struct oracle_cfg *out)
{
	memset(out, 0, sizeof(*out));
	out->quirks = c->quirks;
	out->pgsize_bitmap = c->pgsize_bitmap;
	out->ias = c->ias;
	out->oas = c->oas;
	out->coherent_walk = c->coherent;
	out->amd.mode = c->amd_mode;
}

enum pgt_kernel kt_kernel(void)
{
	return pgt_kernel_find(oracle_kernel());
}

void kt_pgt_cfg(const struct pgt_format *pf, const struct kt_cfg *c, struct pgt_cfg *out)
{
	pgt_cfg_init(out);
	out->quirks = c->quirks;
	out->pgsize_bitmap = c->pgsize_bitmap;
	out->ias = c->ias;
	out->oas = c->oas;
	out->coherent_walk = c->coherent;
	out->cpu_page_size = 4096; /* the kernel's PAGE_SIZE, as the oracle's shim has it */
	out->kernel = kt_kernel();
	int mode = pf ? pgt_format_option_find(pf, "mode") : -1;
	if (mode >= 0)
		out->opt[mode] = c->amd_mode;
}

struct oracle *kt_oracle_new(enum oracle_fmt f, const struct kt_cfg *c, uint64_t base, uint64_t len,
			     struct oracle_cfg *out)
{
	struct oracle_cfg in, tmp;
	struct oracle *o = NULL;
	kt_oracle_cfg(c, &in);
	if (oracle_create(f, &in, base, len, &o, out ? out : &tmp))
		return NULL;
	return o;
}

/* The tests' own short names: labels stay the same whatever libpgt calls
 * the quirks. */
const char *kt_quirk_names(uint64_t quirks, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {
		{PGT_QUIRK_ARM_NS, "arm-ns"},	    {PGT_QUIRK_NO_PERMS, "no-perms"},
		{PGT_QUIRK_ARM_MTK_EXT, "mtk-ext"}, {PGT_QUIRK_ARM_MTK_TTBR_EXT, "mtk-ttbr-ext"},
		{PGT_QUIRK_ARM_TTBR1, "arm-ttbr1"}, {PGT_QUIRK_ARM_OUTER_WBWA, "outer-wbwa"},
		{PGT_QUIRK_ARM_HD, "arm-hd"},	    {PGT_QUIRK_ARM_S2FWB, "arm-s2fwb"},
	};
	buf[0] = 0;
	for (size_t i = 0; i < KT_ARRAY_SIZE(names); i++)
		if (quirks & names[i].bit)
			kt_append(buf, len, "%s%s", buf[0] ? "," : "", names[i].name);
	return buf;
}

const char *kt_prot_str(unsigned prot, char buf[16])
{
	snprintf(buf, 16, "%s%s%s%s%s%s", prot & PGT_READ ? "r" : "", prot & PGT_WRITE ? "w" : "",
		 prot & PGT_CACHE ? "c" : "", prot & PGT_NOEXEC ? "x" : "",
		 prot & PGT_MMIO ? "m" : "", prot & PGT_PRIV ? "p" : "");
	return buf;
}

/* --- the oracle alone --------------------------------------------------------- */

uint64_t kt_omap(struct oracle *o, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t pgcount,
		 unsigned prot, int *rc)
{
	uint64_t m = 0;
	*rc = oracle_map_pages(o, iova, pa, pgsize, pgcount, prot, &m);
	return m;
}

unsigned long kt_owarns(struct oracle *o)
{
	struct oracle_stats st;
	oracle_stats(o, &st);
	return st.warns;
}

long kt_olive(struct oracle *o)
{
	struct oracle_stats st;
	oracle_stats(o, &st);
	return st.live_blocks;
}

static bool oread(struct oracle *o, uint64_t pa, void *v, size_t n)
{
	uint64_t base, len;
	const uint8_t *b = oracle_mem(o, &base, &len);
	if (pa < base || pa - base > len || len - (pa - base) < n)
		return false;
	memcpy(v, b + (pa - base), n);
	return true;
}

uint64_t kt_ord64(struct oracle *o, uint64_t pa)
{
	uint64_t v = 0;
	oread(o, pa, &v, 8);
	return v;
}

uint32_t kt_ord32(struct oracle *o, uint64_t pa)
{
	uint32_t v = 0;
	oread(o, pa, &v, 4);
	return v;
}

const char *kt_olog(struct oracle *o)
{
	static char buf[2048];
	const struct oracle_tlb *l;
	size_t n = oracle_tlb_log(o, &l);
	buf[0] = 0;
	for (size_t i = 0; i < n && strlen(buf) < sizeof(buf) - 64; i++) {
		const char *sp = buf[0] ? " " : "";
		switch (l[i].kind) {
		case ORACLE_TLB_FLUSH_ALL:
			kt_append(buf, sizeof(buf), "%sF", sp);
			break;
		case ORACLE_TLB_FLUSH_WALK:
			kt_append(buf, sizeof(buf), "%sW(%" PRIx64 ",%" PRIx64 ",%" PRIx64 ")", sp,
				  l[i].iova, l[i].size, l[i].granule);
			break;
		case ORACLE_TLB_ADD_PAGE:
			kt_append(buf, sizeof(buf), "%sA(%" PRIx64 ",%" PRIx64 ")", sp, l[i].iova,
				  l[i].granule);
			break;
		case ORACLE_AMD_FLUSH_PAGES:
			kt_append(buf, sizeof(buf), "%sP(%" PRIx64 ",%" PRIx64 ")", sp, l[i].iova,
				  l[i].size);
			break;
		case ORACLE_AMD_UPDATE_DTE:
			kt_append(buf, sizeof(buf), "%sD(%" PRIx64 ",%u)", sp, l[i].root,
				  l[i].mode);
			break;
		}
	}
	return buf;
}

// SPDX-License-Identifier: MIT
/*
 * The generic_pt oracle test (TAP): Linux 7.3's generic_pt formats and
 * Linux 6.12's AMD_IOMMU_V2, compiled from the kernel's sources
 * (gpt_oracle.h).
 *
 *   - the inits the kernel refuses, refused;
 *   - Linux 6.12's AMD_IOMMU_V2 and libpgt's amd-iommu-v2 in step through
 *     random map_pages and unmap_pages (gpt_v2pair.c);
 *   - generic_pt's IOMMU kunit cases (gpt_kunit.c) on the kernel's table for
 *     every configuration of gpt_configs.c: the oracle does what the
 *     kernel's own kunit expects of it;
 *   - for every configuration libpgt has a format for: each level's span,
 *     entries and page sizes in both (kunit_generic_pt.h's
 *     test_entry_possible_sizes and test_table_radix as a differential),
 *     the kunit cases on the kernel's table and libpgt's in step, and
 *     random map and unmap operations, every result, every driver call and
 *     every descriptor compared (gpt_pair.c).
 *
 *   t_kernel_genpt [-s SEED] [-n OPS] [-q]    -q: fewer configurations
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpt_configs.h"
#include "gpt_kunit.h"
#include "gpt_pair.h"
#include "gpt_v2pair.h"
#include "kt_common.h"

#define KBASE 0x100000000ull
#define KLEN (1ull << 30)
/* libpgt's arena: the same class of addresses as the kernel's memory */
#define ABASE 0x200000000ull

/* --- the kernel's table as a gdom ---------------------------------------- */

static int o_map(void *d, uint64_t iova, uint64_t pa, uint64_t len, unsigned prot)
{
	return gpt_iommu_map(d, iova, pa, len, prot);
}

static uint64_t o_unmap(void *d, uint64_t iova, uint64_t len)
{
	return gpt_unmap(d, iova, len, false);
}

static uint64_t o_iova_to_phys(void *d, uint64_t iova)
{
	return gpt_iova_to_phys(d, iova);
}

static void o_count(void *d, uint64_t per_size[64])
{
	gpt_count_leaves(d, per_size);
}

static void o_ranges(void *d, struct gpt_ranges *r)
{
	gpt_ranges(d, r);
}

static const struct gdom_ops oracle_gdom = {o_map, o_unmap, o_iova_to_phys, o_count, o_ranges};

static void oracle_dom(struct gpt_oracle *o, struct gdom *g)
{
	struct gpt_info in;
	gpt_info(o, &in);
	*g = (struct gdom){
		.ops = &oracle_gdom,
		.d = o,
		.pgsize_bitmap = in.pgsize_bitmap,
		.max_vasz = in.max_vasz,
		.max_oasz = in.max_oasz,
		.sign_extend = in.features & GPT_BIT(GPT_FEAT_SIGN_EXTEND),
		.dynamic_top = in.features & GPT_BIT(GPT_FEAT_DYNAMIC_TOP),
	};
}

/* --- the inits the kernel refuses ----------------------------------------- */

struct refusal {
	const char *what;
	enum gpt_fmt fmt;
	struct gpt_cfg cfg;
	int rc;
};

#define F(x) GPT_BIT(GPT_FEAT_##x)
static const struct refusal refusals[] = {
	/* riscv/iommu.c sets PT_FEAT_RISCV_SVPBMT on an IOMMU with Svpbmt, but
	 * iommu_riscv64.c leaves it out of PT_SUPPORTED_FEATURES, so
	 * pt_init_common() refuses the domain */
	{"riscv64 with PT_FEAT_RISCV_SVPBMT", GPT_RISCV64,
	 {F(SIGN_EXTEND) | F(FLUSH_RANGE) | F(RISCV_SVNAPOT_64K) | F(DETAILED_GATHER) |
		  F(RISCV_SVPBMT),
	  48, 56, 0, 0, 0},
	 -EOPNOTSUPP},
	/* riscvpt_iommu_fmt_init(): Sv39, Sv48, Sv57 only */
	{"riscv64 vasz 40", GPT_RISCV64, {F(SIGN_EXTEND), 40, 56, 0, 0, 0}, -EINVAL},
	/* x86_64_pt_iommu_fmt_init(): top level 3 or 4 */
	{"x86_64 top level 2", GPT_X86_64, {0, 39, 52, 2, 0, 0}, -EOPNOTSUPP},
	/* vtdss_pt_iommu_fmt_init(): top level 2..4 */
	{"vtdss top level 1", GPT_VTDSS, {F(FLUSH_RANGE), 30, 52, 1, 0, 0}, -EOPNOTSUPP},
	/* pt_init_common(): the top level must hold max_vasz without DYNAMIC_TOP */
	{"vtdss 3 levels for 48 bits", GPT_VTDSS, {F(FLUSH_RANGE), 48, 52, 2, 0, 0}, -EOPNOTSUPP},
	/* pt_iommu_init(): SIGN_EXTEND with DYNAMIC_TOP or FULL_VA */
	{"amdv1 with SIGN_EXTEND", GPT_AMDV1, {F(DYNAMIC_TOP) | F(SIGN_EXTEND), 48, 52, 2, 0, 0},
	 -EOPNOTSUPP},
	/* pt_init_common(): amdv1 forces DYNAMIC_TOP, ENCRYPT and FORCE_COHERENCE */
	{"amdv1 without its forced features", GPT_AMDV1, {F(DYNAMIC_TOP), 48, 52, 2, 0, 0},
	 -EOPNOTSUPP},
	/* amdv1pt_iommu_fmt_init(): starting level 1..5 */
	{"amdv1 starting level 0", GPT_AMDV1,
	 {F(DYNAMIC_TOP) | F(AMDV1_ENCRYPT_TABLES) | F(AMDV1_FORCE_COHERENCE), 48, 52, 0, 0, 0},
	 -EINVAL},
	/* pt_iommu_init(): vasz beyond PT_MAX_VA_ADDRESS_LG2 */
	{"x86_64 vasz 58", GPT_X86_64, {0, 58, 52, 4, 0, 0}, -EINVAL},
	/* a feature another format has: DETAILED_GATHER is riscv64's alone */
	{"vtdss with DETAILED_GATHER", GPT_VTDSS, {F(FLUSH_RANGE) | F(DETAILED_GATHER), 48, 52, 3, 0, 0},
	 -EOPNOTSUPP},
};

static void check_refusals(void)
{
	struct kt_expect e = {0};
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *r = &refusals[i];
		struct gpt_oracle *o = NULL;
		int rc = gpt_create(r->fmt, &r->cfg, KBASE, KLEN, &o);
		kt_expect(&e, rc == r->rc, "%s: init gave %d, not %d", r->what, rc, r->rc);
		gpt_destroy(o);
	}
	kt_expect_tap(&e, "the inits the kernel refuses are refused");
}

/* --- Linux 6.12's AMD_IOMMU_V2: the facts libpgt's amd-iommu-v2 is written
 * from, held against the kernel's code ---------------------------------- */

static uint64_t v2_rd(struct amdv2_oracle *o, uint64_t pa)
{
	uint64_t base, len, v;
	const uint8_t *mem = amdv2_mem(o, &base, &len);
	if (pa < base || pa + 8 > base + len)
		return 0;
	memcpy(&v, mem + (pa - base), 8);
	return v;
}

/* The descriptor the walk of iova meets at depth (0: the root's). */
static uint64_t v2_desc(struct amdv2_oracle *o, unsigned levels, uint64_t iova, unsigned depth)
{
	uint64_t table = amdv2_root(o), d = 0;
	for (unsigned i = 0; i <= depth; i++) {
		unsigned shift = 12 + 9 * (levels - 1 - i);
		d = v2_rd(o, table + ((iova >> shift) & 511) * 8);
		table = d & 0x000ffffffffff000ull;
	}
	return d;
}

static void check_amdv2_612(void)
{
	struct kt_expect e = {0};
	for (unsigned levels = 4; levels <= 5; levels++) {
		struct amdv2_oracle *o;
		int rc = amdv2_create(levels, KBASE, KLEN, &o);
		kt_expect(&e, rc == 0, "%u levels: alloc gave %d", levels, rc);
		if (rc)
			continue;
		uint64_t bitmap, m;
		unsigned ias, oas;
		amdv2_cfg(o, &bitmap, &ias, &oas);
		/* v2_alloc_pgtable(): AMD_IOMMU_PGSIZES_V2, ias 52 (57 with 5 levels),
		 * oas IOMMU_OUT_ADDR_BIT_SIZE */
		kt_expect(&e, bitmap == (0x1000ull | 0x200000 | 0x40000000), "pgsize_bitmap 0x%llx",
			  (unsigned long long)bitmap);
		kt_expect(&e, ias == (levels == 5 ? 57u : 52u) && oas == 52, "ias %u oas %u", ias, oas);
		/* set_pte_attr(): present, user, accessed and dirty always; RW with
		 * IOMMU_WRITE; PSE for 2M and 1G; never NX */
		rc = amdv2_map_pages(o, 0x1000, 0x80001000, 0x1000, 1, 1, &m);
		uint64_t d = v2_desc(o, levels, 0x1000, levels - 1);
		kt_expect(&e, !rc && d == (0x80001000ull | 0x65), "read-only 4K leaf 0x%llx",
			  (unsigned long long)d);
		rc = amdv2_map_pages(o, 0x200000, 0x80200000, 0x200000, 1, 3, &m);
		d = v2_desc(o, levels, 0x200000, levels - 2);
		kt_expect(&e, !rc && d == (0x80200000ull | 0xe7), "read-write 2M leaf 0x%llx",
			  (unsigned long long)d);
		/* set_pgtable_attr(): tables present, RW, user, accessed */
		d = v2_desc(o, levels, 0x200000, levels - 3);
		kt_expect(&e, (d & 0xfff) == 0x27, "table descriptor 0x%llx", (unsigned long long)d);
		/* v2_alloc_pte() tears down what is in the way, silently */
		rc = amdv2_map_pages(o, 0x200000, 0x90000000, 0x1000, 1, 3, &m);
		kt_expect(&e, !rc && amdv2_iova_to_phys(o, 0x200000) == 0x90000000 &&
				      amdv2_iova_to_phys(o, 0x201000) == 0,
			  "a 4K page mapped over a 2M one replaces it (rc %d)", rc);
		/* iommu_v2_unmap_pages(): a lookup per page, the found page removed
		 * whole */
		rc = amdv2_map_pages(o, 0x40000000, 0x40000000, 0x40000000, 1, 3, &m);
		uint64_t n = amdv2_unmap_pages(o, 0x40000000, 0x1000, 1);
		kt_expect(&e, !rc && n == 0x40000000, "unmap of 4K of a 1G page: 0x%llx",
			  (unsigned long long)n);
		kt_expect(&e, amdv2_warns(o) == 0, "kernel WARNs");
		kt_expect(&e, amdv2_destroy(o) == 0, "table pages leaked");
	}
	kt_expect_tap(&e, "Linux 6.12's AMD_IOMMU_V2 (io_pgtable_v2.c) writes what amd-iommu-v2 "
			  "is written from");
}

/* --- where libpgt refuses what the kernel does --------------------------- */

/*
 * VT-d's first stage on an IOMMU whose MGAW is below 48 bits: 39 bits on 4
 * levels, sign-extended (compute_vasz_lg2_fs()). The kernel puts an upper
 * half IOVA at top-level index 0 (pt_range_to_index() takes the VA modulo
 * max_vasz_lg2), where the IOMMU, walking 48 bits, finds lower-half IOVAs:
 * the mapping answers its own iova_to_phys() but not the device. libpgt
 * refuses the map (ERANGE); the lower half is mapped alike.
 */
static void check_narrow_upper_half(void)
{
	struct kt_expect e = {0};
	const struct gpt_cfg cfg = {GPT_BIT(GPT_FEAT_SIGN_EXTEND) | GPT_BIT(GPT_FEAT_FLUSH_RANGE),
				    39, 52, 3, 0, 0};
	const uint64_t va = 0xffffffc000200000ull, pa = 0x40000000;
	struct gpt_oracle *o;
	int rc = gpt_create(GPT_X86_64, &cfg, KBASE, KLEN, &o);
	kt_expect(&e, rc == 0, "the kernel's init gave %d", rc);
	if (!rc) {
		struct gpt_info in;
		uint64_t m, top;
		rc = gpt_map_range(o, va, pa, 0x1000, 3, &m);
		gpt_info(o, &in);
		uint64_t base, len;
		const uint8_t *mem = gpt_mem(o, &base, &len);
		memcpy(&top, mem + (in.top_pa - base), 8);
		kt_expect(&e, rc == 0 && gpt_iova_to_phys(o, va) == pa,
			  "the kernel maps 0x%llx (%d)", (unsigned long long)va, rc);
		kt_expect(&e, (top & 1) != 0, "the kernel's top entry 0 holds it: 0x%llx",
			  (unsigned long long)top);
		gpt_destroy(o);
	}
	const struct pgt_format *f = pgt_format_find("intel-vtd-fs");
	struct pgt_cfg pc;
	struct pgt_mem *arena = pgt_arena_new(ABASE);
	struct pgt_table *t = NULL;
	struct pgt_error err;
	pgt_format_default_cfg(f, PGT_KERNEL_7_3, &pc);
	pc.ias = 39;
	rc = pgt_table_create(f, &pc, arena, &t, &err);
	kt_expect(&e, rc == 0, "libpgt's create: %s", rc ? err.msg : "");
	if (!rc) {
		rc = pgt_map(t, va, pa, 0x1000, 3, 0, 0, &err);
		kt_expect(&e, rc == -ERANGE, "libpgt's map of 0x%llx gave %d, not ERANGE",
			  (unsigned long long)va, rc);
		rc = pgt_map(t, 0x200000, pa, 0x1000, 3, 0, 0, &err);
		kt_expect(&e, rc == 0 && pgt_iova_to_phys(t, 0x200000) == pa,
			  "libpgt maps the lower half (%d)", rc);
	}
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	kt_expect_tap(&e, "a 39-bit VT-d first stage: the kernel misplaces the upper half, "
			  "libpgt refuses it");
}

/* --- the kunit cases on the kernel's table -------------------------------- */

/* One configuration: every case on a fresh domain, as kunit runs them; one
 * point, naming the cases the kunit itself skips for it. */
static void run_kunit(const struct gpt_config *c, uint64_t seed)
{
	char skipped[200] = "";
	unsigned expectations = 0;
	for (unsigned k = 0; k < gk_n_cases; k++) {
		const struct gk_case *kc = &gk_cases[k];
		struct gpt_oracle *o;
		int rc = gpt_create(c->fmt, &c->cfg, KBASE, KLEN, &o);
		if (rc) {
			kt_tap(false, "%s: the kernel's init failed (%d)", c->label, rc);
			return;
		}
		struct gdom g;
		struct gk_result r;
		struct gpt_stats st;
		oracle_dom(o, &g);
		kc->fn(&g, &r, seed ^ (0x9e3779b97f4a7c15ull * (k + 1)));
		gpt_stats(o, &st);
		long live = gpt_destroy(o);
		if (r.fails) {
			kt_tap(false, "%s: %s: %u of %u fail; first: %s", c->label, kc->name,
			       r.fails, r.n, r.first);
			return;
		}
		if (live) {
			kt_tap(false, "%s: %s: %ld table blocks leaked", c->label, kc->name, live);
			return;
		}
		if (st.warns) {
			kt_tap(false, "%s: %s: kernel WARN: %s", c->label, kc->name, st.last_warn);
			return;
		}
		if (r.skipped)
			kt_append(skipped, sizeof(skipped), " %s", kc->name);
		expectations += r.n;
	}
	kt_tap(true, "%s: the kunit cases hold on the kernel's table (%u expectations; "
	       "not applicable here:%s)", c->label, expectations, *skipped ? skipped : " none");
}

/* The kunit cases on the pair, then random operations. Two points. */
static void run_pair(const struct gpt_config *c, uint64_t seed, unsigned nops)
{
	char msg[400], counts[300];
	unsigned expectations = 0;
	for (unsigned k = 0; k < gk_n_cases; k++) {
		struct gpt_pair *p = gpt_pair_open(c, KBASE, ABASE, msg, sizeof(msg));
		if (!p) {
			kt_tap(false, "%s: libpgt beside the kernel: %s", c->label, msg);
			kt_tap(false, "%s: random operations: not run", c->label);
			return;
		}
		struct gdom g;
		struct gk_result r;
		gpt_pair_gdom(p, &g);
		gk_cases[k].fn(&g, &r, seed ^ (0x9e3779b97f4a7c15ull * (k + 1)));
		gpt_pair_compare(p, gk_cases[k].name);
		unsigned long fails = gpt_pair_close(p, msg, sizeof(msg));
		if (fails || r.fails) {
			kt_tap(false, "%s: %s in step: %lu differences, %u kunit failures; first: %s",
			       c->label, gk_cases[k].name, fails, r.fails, fails ? msg : r.first);
			break;
		}
		expectations += r.n;
		if (k + 1 == gk_n_cases)
			kt_tap(true, "%s: libpgt and the kernel in step through the kunit cases "
			       "(%u expectations)", c->label, expectations);
	}
	struct gpt_pair *p = gpt_pair_open(c, KBASE, ABASE, msg, sizeof(msg));
	if (!p) {
		kt_tap(false, "%s: random operations: %s", c->label, msg);
		return;
	}
	gpt_pair_random(p, nops, seed);
	gpt_pair_counts(p, counts, sizeof(counts));
	unsigned long fails = gpt_pair_close(p, msg, sizeof(msg));
	kt_tap(!fails, "%s: random operations in step: %s%s%s", c->label, counts,
	       fails ? "; first difference: " : "", fails ? msg : "");
}

int main(int argc, char **argv)
{
	uint64_t seed = 0x6e70742d6b756e69ull;
	bool quick = false;
	unsigned nops = 2000;
	int c;
	while ((c = getopt(argc, argv, "s:n:q")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			nops = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'q':
			quick = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n OPS] [-q]\n", argv[0]);
			return 2;
		}
	}
	unsigned n_configs = quick ? 4 : gpt_n_configs, n_pairs = 0;
	for (unsigned i = 0; i < n_configs; i++)
		n_pairs += gpt_configs[i].pgt_format != NULL;
	kt_plan(5 + n_configs + n_pairs);
	kt_diag("seed 0x%llx", (unsigned long long)seed);
	check_refusals();
	check_amdv2_612();
	check_narrow_upper_half();
	for (unsigned levels = 4; levels <= 5; levels++) {
		char msg[400];
		unsigned long fails = amdv2_differential(levels, nops, seed + levels, KBASE, ABASE,
							 msg, sizeof(msg));
		kt_tap(!fails, "Linux 6.12's AMD_IOMMU_V2 with %u levels and libpgt's amd-iommu-v2 "
		       "in step: %s", levels, msg);
	}
	for (unsigned i = 0; i < n_configs; i++) {
		uint64_t s = seed ^ (0x9e3779b97f4a7c15ull * (i + 1)) << 1;
		if (gpt_configs[i].pgt_format)
			run_pair(&gpt_configs[i], s, nops);
		else
			run_kunit(&gpt_configs[i], s);
	}
	return kt_finish();
}

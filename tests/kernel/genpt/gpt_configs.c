// SPDX-License-Identifier: MIT
/* The configurations of gpt_configs.h, with where each comes from. */
#include "gpt_configs.h"

#define F(x) GPT_BIT(GPT_FEAT_##x)
#define SZ_4K (1ull << 12)
#define SZ_2M (1ull << 21)
#define SZ_1G (1ull << 30)
/* amd/amd_iommu_types.h: AMD_IOMMU_PGSIZES, _4K (amd_iommu=nohugepages),
 * _V2 (amd_iommu=v2_pgsizes_only) */
#define AMD_PGSIZES ((((1ull << 52) - 1) & ~(SZ_4K - 1)) ^ (1ull << 39))
#define AMD_PGSIZES_V2 (SZ_4K | SZ_2M | SZ_1G)

/* amd_iommu_domain_alloc_paging_v1(): starting level 2, vasz
 * amd_iommu_hpt_vasize (from EFR HATS: 48, 57 or 64), FLUSH_RANGE
 * (FLUSH_RANGE_NO_GAPS when the IOMMU caches non-present entries) */
#define AMDV1_FEATURES (F(DYNAMIC_TOP) | F(AMDV1_ENCRYPT_TABLES) | F(AMDV1_FORCE_COHERENCE))
/* amd_iommu_domain_alloc_paging_v2(): no sign extension, the top bit cut */
#define AMDV2_FEATURES (F(X86_64_AMD_ENCRYPT_TABLES) | F(FLUSH_RANGE))
/* intel_iommu_domain_alloc_first_stage() */
#define VTDFS_FEATURES (F(SIGN_EXTEND) | F(FLUSH_RANGE))
/* riscv_iommu_alloc_paging_domain() */
#define RISCV_FEATURES (F(SIGN_EXTEND) | F(FLUSH_RANGE) | F(RISCV_SVNAPOT_64K) | F(DETAILED_GATHER))

const struct gpt_config gpt_configs[] = {
	{"amdv1 hats0 (48-bit)", GPT_AMDV1, {AMDV1_FEATURES | F(FLUSH_RANGE), 48, 52, 2, AMD_PGSIZES, 0},
	 "amd-iommu-v1"},
	{"amdv1 hats1 np-cache", GPT_AMDV1,
	 {AMDV1_FEATURES | F(FLUSH_RANGE_NO_GAPS), 57, 52, 2, AMD_PGSIZES, 0}, "amd-iommu-v1"},
	{"amdv1 64-bit v2_pgsizes_only", GPT_AMDV1,
	 {AMDV1_FEATURES | F(FLUSH_RANGE), 64, 52, 2, AMD_PGSIZES_V2, 0}, "amd-iommu-v1"},
	{"amdv1 48-bit nohugepages", GPT_AMDV1,
	 {AMDV1_FEATURES | F(FLUSH_RANGE), 48, 52, 2, SZ_4K, 0}, "amd-iommu-v1"},
	{"x86_64 amd v2 4-level", GPT_X86_64, {AMDV2_FEATURES, 47, 52, 3, 0, 0}, "amd-iommu-v2"},
	{"x86_64 amd v2 5-level", GPT_X86_64, {AMDV2_FEATURES, 56, 52, 4, 0, 0}, "amd-iommu-v2"},
	{"x86_64 vt-d fs 4-level", GPT_X86_64, {VTDFS_FEATURES, 48, 52, 3, 0, 0}, "intel-vtd-fs"},
	{"x86_64 vt-d fs 5-level incoherent", GPT_X86_64,
	 {VTDFS_FEATURES | F(DMA_INCOHERENT), 57, 52, 4, 0, 0}, "intel-vtd-fs"},
	{"x86_64 vt-d fs mgaw 39 no fl1gp", GPT_X86_64, {VTDFS_FEATURES, 39, 52, 3, ~SZ_1G, 0},
	 "intel-vtd-fs"},
	/* intel_iommu_domain_alloc_second_stage(), compute_vasz_lg2_ss() */
	{"vtdss 3-level", GPT_VTDSS, {F(FLUSH_RANGE), 39, 52, 2, 0, 0}, "intel-vtd-ss"},
	{"vtdss 4-level", GPT_VTDSS, {F(FLUSH_RANGE), 48, 52, 3, 0, 0}, "intel-vtd-ss"},
	{"vtdss 5-level incoherent", GPT_VTDSS, {F(FLUSH_RANGE) | F(DMA_INCOHERENT), 57, 52, 4, 0, 0},
	 "intel-vtd-ss"},
	{"vtdss 5-level table, mgaw 48", GPT_VTDSS, {F(FLUSH_RANGE), 48, 52, 4, 0, 0},
	 "intel-vtd-ss"},
	{"vtdss nest parent, sslps 2M", GPT_VTDSS,
	 {F(FLUSH_RANGE) | F(VTDSS_FORCE_WRITEABLE), 48, 52, 3, ~SZ_1G, 0}, "intel-vtd-ss"},
	{"vtdss force coherence", GPT_VTDSS,
	 {F(FLUSH_RANGE) | F(VTDSS_FORCE_COHERENCE), 48, 52, 3, 0, 0}, "intel-vtd-ss"},
	{"riscv64 sv39", GPT_RISCV64, {RISCV_FEATURES, 39, 56, 0, 0, 0}, "riscv-iommu"},
	{"riscv64 sv48", GPT_RISCV64, {RISCV_FEATURES, 48, 56, 0, 0, 0}, "riscv-iommu"},
	{"riscv64 sv57", GPT_RISCV64, {RISCV_FEATURES, 57, 56, 0, 0, 0}, "riscv-iommu"},
	/* the kunit's own: fmt/amdv1.h amdv1_kunit_fmt_cfgs */
	{"amdv1 kunit cfg 0", GPT_AMDV1,
	 {F(FULL_VA) | AMDV1_FEATURES | F(FLUSH_RANGE) | F(FLUSH_RANGE_NO_GAPS), 64, 52, 2, 0, 0},
	 NULL},
	{"amdv1 kunit cfg 1", GPT_AMDV1,
	 {F(FULL_VA) | AMDV1_FEATURES | F(FLUSH_RANGE) | F(FLUSH_RANGE_NO_GAPS), 32, 52, 2, 0, 0},
	 NULL},
	/* fmt/x86_64.h x86_64_kunit_fmt_cfgs */
	{"x86_64 kunit cfg 0", GPT_X86_64,
	 {F(SIGN_EXTEND) | F(FLUSH_RANGE) | F(FLUSH_RANGE_NO_GAPS) | F(X86_64_AMD_ENCRYPT_TABLES) |
		  F(DMA_INCOHERENT),
	  48, 52, 3, 0, 0},
	 NULL},
	{"x86_64 kunit cfg 1", GPT_X86_64,
	 {F(SIGN_EXTEND) | F(FLUSH_RANGE) | F(FLUSH_RANGE_NO_GAPS) | F(X86_64_AMD_ENCRYPT_TABLES) |
		  F(DMA_INCOHERENT),
	  57, 52, 4, 0, 0},
	 NULL},
	/* fmt/vtdss.h vtdss_kunit_fmt_cfgs */
	{"vtdss kunit cfg 1", GPT_VTDSS,
	 {F(FLUSH_RANGE) | F(VTDSS_FORCE_COHERENCE) | F(DMA_INCOHERENT), 48, 52, 3, 0, 0}, NULL},
	/* fmt/riscv.h riscv_64_kunit_fmt_cfgs */
	{"riscv64 kunit cfg 1", GPT_RISCV64,
	 {F(SIGN_EXTEND) | F(FLUSH_RANGE) | F(DETAILED_GATHER), 48, 56, 0, 0, 0}, NULL},
};
const unsigned gpt_n_configs = sizeof(gpt_configs) / sizeof(gpt_configs[0]);

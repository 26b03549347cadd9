/* SPDX-License-Identifier: MIT */
/*
 * The generic_pt oracle: Linux 7.3's drivers/iommu/generic_pt formats
 * (fmt/iommu_amdv1.c, iommu_x86_64.c, iommu_vtdss.c, iommu_riscv64.c, with
 * pt_iter.h and iommu_pt.h), compiled unmodified in userspace over
 * tests/kernel/genpt/shim, behind a C API that needs no kernel header. An
 * instance is an iommu_domain the way a driver sets one up: the format's
 * pt_iommu_<fmt>_init() with a driver's configuration, the driver's
 * narrowing of domain->pgsize_bitmap, its iotlb_sync (which frees the
 * gather's page list, as drivers do) and its change_top (AMD's DTE update),
 * all recorded. Operations are what the iommu core calls: map_range,
 * iommu_unmap() (unmap_range and the sync after it), iova_to_phys.
 *
 * Each instance owns a simulated physical memory its tables come from.
 * Instances may coexist; each call selects the instance's memory first.
 */
#ifndef PGT_GPT_ORACLE_H
#define PGT_GPT_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gpt_fmt {
	GPT_AMDV1,
	GPT_X86_64,
	GPT_VTDSS,
	GPT_RISCV64,
	GPT_N_FMTS
};

/* enum pt_features (include/linux/generic_pt/common.h), bit numbers; the
 * per-format ones share the numbers from GPT_FEAT_FMT_START. Each unit
 * checks these against the kernel's enum at compile time. */
enum {
	GPT_FEAT_DMA_INCOHERENT = 0,
	GPT_FEAT_FULL_VA = 1,
	GPT_FEAT_DYNAMIC_TOP = 2,
	GPT_FEAT_SIGN_EXTEND = 3,
	GPT_FEAT_FLUSH_RANGE = 4,
	GPT_FEAT_FLUSH_RANGE_NO_GAPS = 5,
	GPT_FEAT_DETAILED_GATHER = 6,
	GPT_FEAT_FMT_START = 7,
	GPT_FEAT_AMDV1_ENCRYPT_TABLES = GPT_FEAT_FMT_START,
	GPT_FEAT_AMDV1_FORCE_COHERENCE = GPT_FEAT_FMT_START + 1,
	GPT_FEAT_VTDSS_FORCE_COHERENCE = GPT_FEAT_FMT_START,
	GPT_FEAT_VTDSS_FORCE_WRITEABLE = GPT_FEAT_FMT_START + 1,
	GPT_FEAT_RISCV_SVNAPOT_64K = GPT_FEAT_FMT_START,
	GPT_FEAT_RISCV_SVPBMT = GPT_FEAT_FMT_START + 1,
	GPT_FEAT_X86_64_AMD_ENCRYPT_TABLES = GPT_FEAT_FMT_START,
};
#define GPT_BIT(n) (1u << (n))

/* struct pt_iommu_<fmt>_cfg, and what the driver does around the init. */
struct gpt_cfg {
	unsigned features;  /* GPT_BIT(GPT_FEAT_...) */
	unsigned vasz, oasz; /* hw_max_vasz_lg2, hw_max_oasz_lg2 */
	/* amdv1: starting_level; x86_64, vtdss: top_level; riscv64: unused */
	unsigned level;
	/* domain->pgsize_bitmap &= pgsize_mask after init (amd_iommu_pgsize_bitmap,
	 * VT-d's sslps and fl1gp); 0: left as the format reports it */
	uint64_t pgsize_mask;
	/* the SME C-bit mask __sme_set() ORs in (0: memory encryption off) */
	uint64_t sme_mask;
};

/* What the init gave: get_info, the domain, pt_common, hw_info. */
struct gpt_info {
	uint64_t pgsize_bitmap;	       /* domain->pgsize_bitmap after the driver */
	uint64_t fmt_pgsize_bitmap;    /* ops->get_info() */
	uint64_t aperture_start, aperture_end;
	unsigned max_vasz, max_oasz;   /* pt_common, after init */
	unsigned features;	       /* pt_common, after init (FULL_VA added) */
	/* pt_iommu_<fmt>_hw_info(): amdv1 host_pt_root/mode, x86_64
	 * gcr3_pt/levels, vtdss ssptptr/aw, riscv64 ppn/fsc_iosatp_mode */
	uint64_t hw_root;
	unsigned hw_mode;
	/* the top of table: its level and physical address */
	unsigned top_level;
	uint64_t top_pa;
};

enum gpt_ev_kind {
	GPT_EV_SYNC,	   /* the driver's iotlb_sync(gather) */
	GPT_EV_CHANGE_TOP, /* driver_ops->change_top(top_paddr, top_level) */
	GPT_EV_CLFLUSH,	   /* clflush_cache_range(pa, len): an incoherent write */
};

struct gpt_ev {
	enum gpt_ev_kind kind;
	/* SYNC: the gather's range [start, end]; CHANGE_TOP: start = the new
	 * top's pa; CLFLUSH: start = pa, end = pa + len - 1 */
	uint64_t start, end;
	unsigned pages;		/* SYNC: pages on the gather's free list */
	uint8_t leaf_levels, table_levels; /* SYNC: gather->pt (DETAILED_GATHER) */
	unsigned level;		/* CHANGE_TOP: top_level */
};

struct gpt_stats {
	unsigned long warns;
	char last_warn[256];
	char last_msg[256];
	long live_blocks; /* table allocations not yet freed */
	unsigned long allocs, frees;
};

struct gpt_oracle;

/* pt_iommu_<fmt>_init() with cfg on memory [base, base + len). Returns 0,
 * or the init's negative errno (no instance then), -ENOMEM when the region
 * could not be made. */
int gpt_create(enum gpt_fmt fmt, const struct gpt_cfg *cfg, uint64_t base, uint64_t len,
	       struct gpt_oracle **out);
/* pt_iommu_deinit(); returns the table blocks still allocated after it. */
long gpt_destroy(struct gpt_oracle *o);

void gpt_info(struct gpt_oracle *o, struct gpt_info *info);

/* ops->map_range(): 0 or its negative errno; *mapped the bytes it mapped. */
int gpt_map_range(struct gpt_oracle *o, uint64_t iova, uint64_t pa, uint64_t len, unsigned prot,
		  uint64_t *mapped);
/* iommu_map(): map_range, and what it mapped unmapped again on failure. */
int gpt_iommu_map(struct gpt_oracle *o, uint64_t iova, uint64_t pa, uint64_t len, unsigned prot);
/* iommu_unmap(): unmap_range with a fresh gather, then iommu_iotlb_sync().
 * queued: iommu_unmap_fast() with a queued gather (DMA-FQ), whose free list
 * the flush queue puts later (here at once, unrecorded). Returns bytes. */
uint64_t gpt_unmap(struct gpt_oracle *o, uint64_t iova, uint64_t len, bool queued);
/* iommu_iova_to_phys() through the domain's ops: 0 when not mapped. */
uint64_t gpt_iova_to_phys(struct gpt_oracle *o, uint64_t iova);

/* pt_top_range() and pt_upper_range() as they are now (a table with
 * PT_FEAT_DYNAMIC_TOP grows): [va, last] of the lower and the upper
 * (sign-extended) half; without PT_FEAT_SIGN_EXTEND both are the whole. */
struct gpt_ranges {
	uint64_t va, last;
	uint64_t upper_va, upper_last;
	unsigned top_level;
	unsigned max_vasz; /* of the top range */
};
void gpt_ranges(struct gpt_oracle *o, struct gpt_ranges *r);
/* One level of the table as the format describes it (the facts
 * kunit_generic_pt.h's test_entry_possible_sizes and test_table_radix
 * check, level by level as pt_iommu_get_info() visits them). */
struct gpt_level {
	unsigned level;
	unsigned item_lg2sz;	 /* pt_table_item_lg2sz() */
	unsigned num_items_lg2;	 /* pt_num_items_lg2(); the top: of the top range */
	uint64_t possible_sizes; /* pt_possible_sizes() */
	bool can_leaf, can_table;
};
/* Levels 0 to the top now; returns how many. */
unsigned gpt_levels(struct gpt_oracle *o, struct gpt_level *out, unsigned max);
/* Leaf entries by log2 of their size, a contiguous entry counted once, as
 * the kunit's count_valids() walks them (pt_walk_range over the top range). */
void gpt_count_leaves(struct gpt_oracle *o, uint64_t per_size[64]);

size_t gpt_events(struct gpt_oracle *o, const struct gpt_ev **log);
void gpt_events_clear(struct gpt_oracle *o);
void gpt_stats(struct gpt_oracle *o, struct gpt_stats *st);

/* The simulated memory: buffer, base, bytes ever handed out from base. */
const uint8_t *gpt_mem(struct gpt_oracle *o, uint64_t *base, uint64_t *len);
/* Put len bytes of table memory (what gpt_mem gave of a table built with
 * the same configuration, whose top did not move) back from base: an
 * instance fresh from gpt_create() then walks that table. 0 or -EFAULT. */
int gpt_load(struct gpt_oracle *o, const void *buf, uint64_t len);

const char *gpt_fmt_name(enum gpt_fmt f);

/* --- Linux 6.12's AMD_IOMMU_V2 (drivers/iommu/amd/io_pgtable_v2.c) ------- */

struct amdv2_oracle;

/* protection_domain_alloc() with amd_iommu_pgtable = AMD_IOMMU_V2 and
 * amd_iommu_gpt_level = levels (4 or 5). */
int amdv2_create(unsigned levels, uint64_t base, uint64_t len, struct amdv2_oracle **out);
long amdv2_destroy(struct amdv2_oracle *o);
/* the io_pgtable_cfg the format filled in */
void amdv2_cfg(struct amdv2_oracle *o, uint64_t *pgsize_bitmap, unsigned *ias, unsigned *oas);
uint64_t amdv2_root(struct amdv2_oracle *o);
int amdv2_map_pages(struct amdv2_oracle *o, uint64_t iova, uint64_t pa, uint64_t pgsize,
		    uint64_t pgcount, unsigned prot, uint64_t *mapped);
uint64_t amdv2_unmap_pages(struct amdv2_oracle *o, uint64_t iova, uint64_t pgsize,
			   uint64_t pgcount);
uint64_t amdv2_iova_to_phys(struct amdv2_oracle *o, uint64_t iova);
/* amd_iommu_domain_flush_pages(domain, address, size) calls, recorded */
size_t amdv2_flushes(struct amdv2_oracle *o, const uint64_t (**log)[2]);
void amdv2_flushes_clear(struct amdv2_oracle *o);
const uint8_t *amdv2_mem(struct amdv2_oracle *o, uint64_t *base, uint64_t *len);
/* gpt_load() for AMD v2 */
int amdv2_load(struct amdv2_oracle *o, const void *buf, uint64_t len);
unsigned long amdv2_warns(struct amdv2_oracle *o);

#endif

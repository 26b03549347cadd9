/* SPDX-License-Identifier: MIT */
/*
 * The kernel oracle: Linux's drivers/iommu/io-pgtable-arm.c,
 * io-pgtable-arm-v7s.c, io-pgtable-dart.c and (6.12) amd/io_pgtable.c, and
 * the io-pgtable.c core, compiled in userspace over shim headers, behind a
 * small C API that needs no kernel header; built once per kernel version
 * (oracle_kernel()). Each instance owns a simulated physical memory region
 * that its page tables are allocated from.
 *
 * Instances may coexist; each call selects the instance's memory first.
 * Not thread safe.
 */
#ifndef PGT_KERNEL_ORACLE_H
#define PGT_KERNEL_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The members of the kernel's enum io_pgtable_fmt the oracle compiles
 * (all but AMD_IOMMU_V2). */
enum oracle_fmt {
	ORACLE_ARM_32_LPAE_S1,
	ORACLE_ARM_32_LPAE_S2,
	ORACLE_ARM_64_LPAE_S1,
	ORACLE_ARM_64_LPAE_S2,
	ORACLE_ARM_MALI_LPAE,
	ORACLE_ARM_V7S,
	ORACLE_APPLE_DART,
	ORACLE_APPLE_DART2,
	ORACLE_AMD_IOMMU_V1,
};

/* amd_iommu_pgsize_bitmap's three values (drivers/iommu/amd/init.c):
 * the default, amd_iommu=nohugepages, amd_iommu=v2_pgsizes_only. */
#define ORACLE_AMD_PGSIZES (0x000ffffffffff000ull ^ 0x8000000000ull)
#define ORACLE_AMD_PGSIZES_4K 0x1000ull
#define ORACLE_AMD_PGSIZES_V2 (0x1000ull | (1ull << 21) | (1ull << 30))

/* struct io_pgtable_cfg: the inputs, and after alloc the narrowed values and
 * the format's output union, bitfields widened. */
struct oracle_cfg {
	uint64_t quirks;
	uint64_t pgsize_bitmap;
	unsigned ias, oas;
	bool coherent_walk;

	/* arm_lpae_s1_cfg */
	uint64_t ttbr;
	struct {
		unsigned ips, tg, sh, orgn, irgn, tsz;
	} tcr;
	uint64_t mair;
	/* arm_lpae_s2_cfg */
	uint64_t vttbr;
	struct {
		unsigned ps, tg, sh, orgn, irgn, sl, tsz;
	} vtcr;
	/* arm_mali_lpae_cfg */
	uint64_t transtab, memattr;
	/* arm_v7s_cfg */
	struct {
		uint32_t ttbr, tcr, nmrr, prrr;
	} v7s;
	/* apple_dart_cfg */
	struct {
		uint64_t ttbr[4];
		unsigned n_ttbrs;
		unsigned n_levels; /* since 6.18; 0 before */
	} dart;
	/*
	 * AMD_IOMMU_V1 inputs (the format reads no cfg input but amd.nid). The
	 * driver allocates through its protection domain; the oracle does it
	 * as protection_domain_alloc() does (6.12), with these two settings:
	 *  - pgsize_bitmap above is taken as the driver's global
	 *    amd_iommu_pgsize_bitmap for this instance (the format copies it
	 *    into the cfg); 0 means the default ORACLE_AMD_PGSIZES;
	 *  - mode: 0 leaves the kernel's PAGE_MODE_3_LEVEL; 1..6 re-sets the
	 *    empty root's mode right after alloc (the kernel itself never does:
	 *    it is how libpgt's amd_mode is checked against the kernel's code).
	 */
	struct {
		unsigned mode;
	} amd;
};

/* struct arm_lpae_io_pgtable, as the kernel computed it. */
struct oracle_geom {
	int start_level;
	int pgd_bits;
	int bits_per_level;
	uint64_t pgd_pa; /* physical address of the root */
};

enum oracle_tlb_kind {
	ORACLE_TLB_FLUSH_ALL,
	ORACLE_TLB_FLUSH_WALK,
	ORACLE_TLB_ADD_PAGE,
	/* AMD v1: the driver calls io_pgtable.c makes instead of flush ops */
	ORACLE_AMD_FLUSH_PAGES, /* amd_iommu_domain_flush_pages(iova, size) */
	ORACLE_AMD_UPDATE_DTE,	/* amd_iommu_update_and_flush_device_table();
				 * root and mode: the domain's new ones */
};

/* One iommu_flush_ops callback, or an AMD driver call. add_page: size is 0,
 * granule the page size. */
struct oracle_tlb {
	enum oracle_tlb_kind kind;
	uint64_t iova, size, granule;
	bool gather; /* add_page: a gather pointer was passed */
	uint64_t root; /* AMD_UPDATE_DTE */
	unsigned mode;
};

/* What unmap_pages gets as its iommu_iotlb_gather. */
enum oracle_gather {
	ORACLE_GATHER_NULL,   /* NULL */
	ORACLE_GATHER,	      /* a gather, not queued (iommu_unmap) */
	ORACLE_GATHER_QUEUED, /* a gather with queued set (flush queue) */
};

struct oracle_stats {
	unsigned long warns;	/* WARN_ON conditions that were true */
	char last_warn[256];
	unsigned long dma_syncs; /* dma_sync_single_for_device calls */
	unsigned long dma_maps, dma_unmaps;
	unsigned long allocs, frees;
	long live_blocks, live_pages;
	/* v7s level-2 tables come from a slab cache, not the page allocator */
	unsigned long slab_allocs, slab_frees;
	long slab_live;
	char last_msg[256]; /* the last printk */
};

struct oracle;

/* The kernel version the oracle was built from: "6.12", "7.3". */
const char *oracle_kernel(void);

/*
 * alloc_io_pgtable_ops(fmt, cfg, cookie) with the TLB callbacks recorded.
 * The table memory is simulated physical [phys_base, phys_base + phys_len).
 * Returns 0 and fills *out (and cfg_out when non-NULL); -EINVAL when the
 * kernel's alloc returned NULL, or this kernel's io-pgtable has no such
 * format (AMD since 6.19); -ENOMEM when the region could not be made.
 */
int oracle_create(enum oracle_fmt fmt, const struct oracle_cfg *in, uint64_t phys_base,
		  uint64_t phys_len, struct oracle **out, struct oracle_cfg *cfg_out);
/* free_io_pgtable_ops(); returns the blocks of table memory and the kmalloc
 * objects still allocated after it (0 unless the kernel leaked). */
long oracle_destroy(struct oracle *o);

int oracle_map_pages(struct oracle *o, uint64_t iova, uint64_t pa, uint64_t pgsize,
		     uint64_t pgcount, unsigned prot, uint64_t *mapped);
uint64_t oracle_unmap_pages(struct oracle *o, uint64_t iova, uint64_t pgsize, uint64_t pgcount,
			    enum oracle_gather gather);
uint64_t oracle_iova_to_phys(struct oracle *o, uint64_t iova);

/* The (first) root table's physical address: LPAE pgd, v7s level-1 table,
 * DART ttbr[0], AMD the current root. */
uint64_t oracle_root(struct oracle *o);
/* Every root: 1, or DART's n_ttbrs. Fills up to 4. */
unsigned oracle_roots(struct oracle *o, uint64_t *roots);
/* LPAE formats only. */
void oracle_geometry(struct oracle *o, struct oracle_geom *g);
void oracle_get_cfg(struct oracle *o, struct oracle_cfg *cfg);
/* AMD v1: the domain's current mode (levels), 1..6; 0 for other formats. */
unsigned oracle_amd_mode(struct oracle *o);

/*
 * Run the kernel's own v7s selftest (arm_v7s_do_selftests, §8.2 of the
 * format notes) in a fresh simulated memory at phys_base. Returns its
 * result (0: "self test ok"); st gets the WARNs and printks it caused.
 */
int oracle_v7s_selftest(uint64_t phys_base, struct oracle_stats *st);

/* The simulated memory: its buffer, physical base, and how much of it was
 * ever handed out (bytes from base). */
const uint8_t *oracle_mem(struct oracle *o, uint64_t *base, uint64_t *len);

/* Write into the simulated memory behind the kernel's back (a test applies
 * a correction to the kernel's table this way). -EFAULT outside it. */
int oracle_poke(struct oracle *o, uint64_t pa, const void *buf, size_t len);

/*
 * Put a table another instance built (the len bytes oracle_mem gave it,
 * from the same base) into this instance's memory, over its own, so that
 * iova_to_phys walks that table: a kernel-side program loads a saved table
 * this way. Only lookups may follow: the allocator knows nothing of it.
 * -EFAULT when it does not fit the region.
 */
int oracle_load(struct oracle *o, const void *buf, uint64_t len);

size_t oracle_tlb_log(struct oracle *o, const struct oracle_tlb **log);
void oracle_tlb_clear(struct oracle *o);

void oracle_stats(struct oracle *o, struct oracle_stats *st);

/* Print the kernel's WARN_ONs and printks on stderr as they happen. */
void oracle_verbose(bool on);

#endif

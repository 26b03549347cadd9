/* SPDX-License-Identifier: MIT */
/*
 * The kernel oracle: Linux 6.12's drivers/iommu/io-pgtable-arm.c (and the
 * io-pgtable.c core), compiled in userspace over shim headers, behind a
 * small C API that needs no kernel header. Each instance owns a simulated
 * physical memory region that its page tables are allocated from.
 *
 * Instances may coexist; each call selects the instance's memory first.
 * Not thread safe.
 */
#ifndef PGT_KERNEL_ORACLE_H
#define PGT_KERNEL_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The LPAE members of the kernel's enum io_pgtable_fmt. */
enum oracle_fmt {
	ORACLE_ARM_32_LPAE_S1,
	ORACLE_ARM_32_LPAE_S2,
	ORACLE_ARM_64_LPAE_S1,
	ORACLE_ARM_64_LPAE_S2,
	ORACLE_ARM_MALI_LPAE,
};

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
};

/* struct arm_lpae_io_pgtable, as the kernel computed it. */
struct oracle_geom {
	int start_level;
	int pgd_bits;
	int bits_per_level;
	uint64_t pgd_pa; /* physical address of the root */
};

enum oracle_tlb_kind { ORACLE_TLB_FLUSH_ALL, ORACLE_TLB_FLUSH_WALK, ORACLE_TLB_ADD_PAGE };

/* One iommu_flush_ops callback. add_page: size is 0, granule the page size. */
struct oracle_tlb {
	enum oracle_tlb_kind kind;
	uint64_t iova, size, granule;
	bool gather; /* add_page: a gather pointer was passed */
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
};

struct oracle;

/*
 * alloc_io_pgtable_ops(fmt, cfg, cookie) with the TLB callbacks recorded.
 * The table memory is simulated physical [phys_base, phys_base + phys_len).
 * Returns 0 and fills *out (and cfg_out when non-NULL); -EINVAL when the
 * kernel's alloc returned NULL; -ENOMEM when the region could not be made.
 */
int oracle_create(enum oracle_fmt fmt, const struct oracle_cfg *in, uint64_t phys_base,
		  uint64_t phys_len, struct oracle **out, struct oracle_cfg *cfg_out);
/* free_io_pgtable_ops(); returns the blocks of table memory still allocated
 * after it (0 unless the kernel leaked). */
long oracle_destroy(struct oracle *o);

int oracle_map_pages(struct oracle *o, uint64_t iova, uint64_t pa, uint64_t pgsize,
		     uint64_t pgcount, unsigned prot, uint64_t *mapped);
uint64_t oracle_unmap_pages(struct oracle *o, uint64_t iova, uint64_t pgsize, uint64_t pgcount,
			    enum oracle_gather gather);
uint64_t oracle_iova_to_phys(struct oracle *o, uint64_t iova);

uint64_t oracle_root(struct oracle *o);
void oracle_geometry(struct oracle *o, struct oracle_geom *g);
void oracle_get_cfg(struct oracle *o, struct oracle_cfg *cfg);

/* The simulated memory: its buffer, physical base, and how much of it was
 * ever handed out (bytes from base). */
const uint8_t *oracle_mem(struct oracle *o, uint64_t *base, uint64_t *len);

size_t oracle_tlb_log(struct oracle *o, const struct oracle_tlb **log);
void oracle_tlb_clear(struct oracle *o);

void oracle_stats(struct oracle *o, struct oracle_stats *st);

/* Print the kernel's WARN_ONs and printks on stderr as they happen. */
void oracle_verbose(bool on);

#endif

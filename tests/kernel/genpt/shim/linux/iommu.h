/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for Linux 7.3's <linux/iommu.h>: what generic_pt's iommu_pt.h,
 * include/linux/generic_pt/iommu.h and iommu-pages.h use. The gather helpers
 * are written from 7.3's inline functions of the same names, which decide
 * when the driver's iotlb_sync runs; the oracle records those calls.
 */
#ifndef KSHIM_LINUX_IOMMU_H
#define KSHIM_LINUX_IOMMU_H

#include <gpt_shim.h>

#define IOMMU_READ (1 << 0)
#define IOMMU_WRITE (1 << 1)
#define IOMMU_CACHE (1 << 2)
#define IOMMU_NOEXEC (1 << 3)
#define IOMMU_MMIO (1 << 4)
#define IOMMU_PRIV (1 << 5)

#define IOMMU_DIRTY_NO_CLEAR (1 << 0)

#define __IOMMU_DOMAIN_PAGING (1U << 0)
#define __IOMMU_DOMAIN_DMA_API (1U << 1)
#define IOMMU_DOMAIN_UNMANAGED (__IOMMU_DOMAIN_PAGING)

struct iommu_domain;

struct iommu_domain_geometry {
	dma_addr_t aperture_start;
	dma_addr_t aperture_end;
	bool force_aperture;
};

struct iommu_pages_list {
	struct list_head pages;
};
#define IOMMU_PAGES_LIST_INIT(name) ((struct iommu_pages_list){.pages = LIST_HEAD_INIT(name.pages)})

struct iommu_iotlb_gather {
	unsigned long start;
	unsigned long end;
	union {
		size_t pgsize;
		struct {
			u8 leaf_levels_bitmap;
			u8 table_levels_bitmap;
		} pt;
	};
	struct iommu_pages_list freelist;
	bool queued;
};

struct iommu_dirty_bitmap {
	struct iova_bitmap *bitmap;
	struct iommu_iotlb_gather *gather;
};

struct iommu_domain_ops {
	phys_addr_t (*iova_to_phys)(struct iommu_domain *domain, dma_addr_t iova);
	void (*iotlb_sync)(struct iommu_domain *domain, struct iommu_iotlb_gather *gather);
};

struct iommu_dirty_ops {
	int (*read_and_clear_dirty)(struct iommu_domain *domain, unsigned long iova, size_t size,
				    unsigned long flags, struct iommu_dirty_bitmap *dirty);
};

struct iommu_domain {
	unsigned type;
	bool is_iommupt;
	const struct iommu_domain_ops *ops;
	const struct iommu_dirty_ops *dirty_ops;
	unsigned long pgsize_bitmap;
	struct iommu_domain_geometry geometry;
};

static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *gather)
{
	*gather = (struct iommu_iotlb_gather){
		.start = ULONG_MAX,
		.freelist = IOMMU_PAGES_LIST_INIT(gather->freelist),
	};
}

static inline void iommu_iotlb_sync(struct iommu_domain *domain,
				    struct iommu_iotlb_gather *iotlb_gather)
{
	if (domain->ops->iotlb_sync && likely(iotlb_gather->start < iotlb_gather->end))
		domain->ops->iotlb_sync(domain, iotlb_gather);

	iommu_iotlb_gather_init(iotlb_gather);
}

static inline bool iommu_iotlb_gather_is_disjoint(struct iommu_iotlb_gather *gather,
						  unsigned long iova, size_t size)
{
	unsigned long start = iova, end = start + size - 1;

	return gather->end != 0 && (end + 1 < gather->start || start > gather->end + 1);
}

static inline void iommu_iotlb_gather_add_range(struct iommu_iotlb_gather *gather,
						unsigned long iova, size_t size)
{
	unsigned long end = iova + size - 1;

	if (gather->start > iova)
		gather->start = iova;
	if (gather->end < end)
		gather->end = end;
}

static inline bool iommu_iotlb_gather_queued(struct iommu_iotlb_gather *gather)
{
	return gather && gather->queued;
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for the kernel's <linux/iommu.h>: only what io-pgtable.h, the
 * io-pgtable formats and amd_iommu_types.h use. Values as in Linux 6.12
 * and 7.3.
 */
#ifndef KSHIM_LINUX_IOMMU_H
#define KSHIM_LINUX_IOMMU_H

#include <kshim.h>

#define IOMMU_READ (1 << 0)
#define IOMMU_WRITE (1 << 1)
#define IOMMU_CACHE (1 << 2)
#define IOMMU_NOEXEC (1 << 3)
#define IOMMU_MMIO (1 << 4)
#define IOMMU_PRIV (1 << 5)

#define IOMMU_DIRTY_NO_CLEAR (1 << 0)

struct iommu_iotlb_gather {
	unsigned long start;
	unsigned long end;
	size_t pgsize;
	struct list_head freelist;
	bool queued;
};

static inline bool iommu_iotlb_gather_queued(struct iommu_iotlb_gather *gather)
{
	return gather && gather->queued;
}

/* 7.3: pages of tables being freed (iommu-pages.h) */
struct iommu_pages_list {
	struct list_head pages;
};

struct iova_bitmap;

struct iommu_dirty_bitmap {
	struct iova_bitmap *bitmap;
	struct iommu_iotlb_gather *gather;
};

/* The oracle does not track dirty bits; the hook only counts. */
void kshim_dirty_record(unsigned long iova, size_t length);

static inline void iommu_dirty_bitmap_record(struct iommu_dirty_bitmap *dirty, unsigned long iova,
					     unsigned long length)
{
	(void)dirty;
	kshim_dirty_record(iova, length);
}

/* The iommu core's objects that amd_iommu_types.h embeds; the oracle never
 * looks inside them. */
struct iommu_domain {
	unsigned int type;
};
struct iommu_device {
	struct device *dev;
};
struct iommu_group;
struct iopf_fault;
struct iommu_page_response;

static inline struct iommu_device *dev_to_iommu_device(struct device *dev)
{
	(void)dev;
	return NULL;
}

static inline struct iommu_device *__iommu_get_iommu_dev(struct device *dev)
{
	(void)dev;
	return NULL;
}
#define iommu_get_iommu_dev(dev, type, member)                                     \
	container_of(__iommu_get_iommu_dev(dev), type, member)

#endif

// SPDX-License-Identifier: MIT
/*
 * Linux 7.3's page allocator for IOMMU tables, which 6.12 had as inline
 * functions of iommu-pages.h and 7.3 has as drivers/iommu/iommu-pages.c:
 * the same behaviour over the shim's simulated memory (a naturally aligned
 * block of 2^get_order(size) zeroed pages; a non-coherent table is mapped
 * for DMA while it lives). The kernel's file keeps its state in struct page,
 * which here is the table memory itself, so it is restated, not compiled.
 */
#include "iommu-pages.h"

/* Blocks iommu_pages_start_incoherent() mapped, by address. */
static struct incoherent {
	const void *virt;
	size_t size;
} *incoherent;
static size_t n_incoherent, cap_incoherent;

static size_t block_size(const void *virt)
{
	return PAGE_SIZE << kshim_block_order(virt);
}

void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size)
{
	(void)nid;
	if (WARN_ON(gfp & __GFP_HIGHMEM))
		return NULL;
	/* sub-page allocations get a full page */
	return kshim_alloc_pages(get_order(size));
}

static bool forget_incoherent(const void *virt)
{
	for (size_t i = 0; i < n_incoherent; i++)
		if (incoherent[i].virt == virt) {
			incoherent[i] = incoherent[--n_incoherent];
			return true;
		}
	return false;
}

void iommu_free_pages(void *virt)
{
	if (!virt)
		return;
	/* __iommu_free_desc() with IOMMU_PAGES_USE_DMA_API */
	WARN_ON_ONCE(forget_incoherent(virt));
	kshim_free_pages(virt, kshim_block_order(virt));
}

int iommu_pages_start_incoherent(void *virt, struct device *dma_dev)
{
	for (size_t i = 0; i < n_incoherent; i++)
		if (WARN_ON(incoherent[i].virt == virt))
			return -EINVAL;
	size_t size = block_size(virt);
	dma_addr_t dma = dma_map_single(dma_dev, virt, size, DMA_TO_DEVICE);
	if (dma_mapping_error(dma_dev, dma))
		return -EINVAL;
	if (n_incoherent == cap_incoherent) {
		size_t cap = cap_incoherent ? 2 * cap_incoherent : 64;
		struct incoherent *n = realloc(incoherent, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		incoherent = n;
		cap_incoherent = cap;
	}
	incoherent[n_incoherent++] = (struct incoherent){virt, size};
	return 0;
}

void iommu_pages_free_incoherent(void *virt, struct device *dma_dev)
{
	if (forget_incoherent(virt))
		dma_unmap_single(dma_dev, virt_to_phys(virt), block_size(virt), DMA_TO_DEVICE);
	kshim_free_pages(virt, kshim_block_order(virt));
}

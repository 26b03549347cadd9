// SPDX-License-Identifier: MIT
/*
 * Runtime of the generic_pt shim: the iommu-pages API of Linux 7.3
 * (drivers/iommu/iommu-pages.h) over the 6.12 shim's simulated physical
 * memory, with the page descriptors (struct folio, overlaid by struct
 * ioptdesc) kept beside each region; clflush_cache_range, which x86's
 * iommu_pages_flush_incoherent() calls, recorded as an event. Allocation
 * follows iommu_alloc_pages_node_sz(): zeroed, rounded up to a power of two
 * pages, naturally aligned; the incoherent bookkeeping follows
 * iommu_pages_start_incoherent() for CONFIG_X86 (no DMA API).
 */
#include <stdio.h>

#include <gpt_shim.h>
#include <iommu-pages.h>
#include <kshim_rt.h>

#include "gpt_int.h"

u64 sme_me_mask;

struct region_pages {
	struct kshim_phys *m;
	struct folio *folios; /* one per page from the region's base */
	int8_t *order;	      /* order of the allocation starting there */
	size_t n;
	struct region_pages *next;
};

static struct region_pages *regions;

static struct region_pages *region_of(struct kshim_phys *m)
{
	for (struct region_pages *r = regions; r; r = r->next)
		if (r->m == m)
			return r;
	struct region_pages *r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->m = m;
	r->next = regions;
	regions = r;
	return r;
}

/* The descriptor slot of page pfn (from the base), grown on demand. */
static size_t slot(struct region_pages *r, u64 pa)
{
	size_t pfn = (size_t)((pa - kshim_phys_base(r->m)) >> PAGE_SHIFT);
	if (pfn >= r->n) {
		size_t n = r->n ? r->n : 64;
		while (n <= pfn)
			n *= 2;
		struct folio *f = realloc(r->folios, n * sizeof(*f));
		int8_t *o = realloc(r->order, n);
		if (!f || !o)
			abort();
		memset(f + r->n, 0, (n - r->n) * sizeof(*f));
		memset(o + r->n, -1, n - r->n);
		r->folios = f;
		r->order = o;
		r->n = n;
	}
	return pfn;
}

void gpt_shim_forget(struct kshim_phys *m)
{
	for (struct region_pages **p = &regions; *p; p = &(*p)->next) {
		if ((*p)->m != m)
			continue;
		struct region_pages *r = *p;
		*p = r->next;
		free(r->folios);
		free(r->order);
		free(r);
		return;
	}
}

struct folio *virt_to_folio(const void *virt)
{
	struct region_pages *r = region_of(kshim_phys_current());
	u64 pa = kshim_virt_to_phys(virt) & ~(u64)(PAGE_SIZE - 1);
	return &r->folios[slot(r, pa)];
}

void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size)
{
	(void)nid;
	if (WARN_ON(gfp & __GFP_HIGHMEM))
		return NULL;
	int order = get_order(size);
	void *virt = kshim_alloc_pages(order);
	if (!virt)
		return NULL;
	struct region_pages *r = region_of(kshim_phys_current());
	size_t s = slot(r, kshim_virt_to_phys(virt));
	memset(&r->folios[s], 0, sizeof(r->folios[s]));
	r->order[s] = (int8_t)order;
	folio_ioptdesc(&r->folios[s])->incoherent = false;
	return virt;
}

/* The slot of an allocation's descriptor; dies on any other. */
static size_t desc_slot(struct region_pages *r, struct ioptdesc *iopt)
{
	size_t s = (size_t)((struct folio *)iopt - r->folios);
	if (s >= r->n || r->order[s] < 0) {
		fprintf(stderr, "gpt_shim: a page iommu_alloc_pages_node_sz() did not give\n");
		abort();
	}
	return s;
}

/* folio_address() */
static void *desc_virt(struct region_pages *r, size_t s)
{
	return kshim_phys_to_virt(kshim_phys_base(r->m) + ((u64)s << PAGE_SHIFT));
}

static void free_desc(struct ioptdesc *iopt)
{
	struct region_pages *r = region_of(kshim_phys_current());
	size_t s = desc_slot(r, iopt);
	int order = r->order[s];
	r->order[s] = -1;
	kshim_free_pages(desc_virt(r, s), order);
}

void iommu_free_pages(void *virt)
{
	if (virt)
		free_desc(virt_to_ioptdesc(virt));
}

void iommu_put_pages_list(struct iommu_pages_list *list)
{
	struct list_head *pos = list->pages.next;
	while (pos != &list->pages) {
		struct list_head *next = pos->next;
		free_desc(container_of(pos, struct ioptdesc, iopt_freelist_elm));
		pos = next;
	}
}

/* ioptdesc_mem_size() */
static size_t mem_size(struct ioptdesc *iopt)
{
	struct region_pages *r = region_of(kshim_phys_current());
	return (size_t)PAGE_SIZE << r->order[desc_slot(r, iopt)];
}

int iommu_pages_start_incoherent(void *virt, struct device *dma_dev)
{
	struct ioptdesc *iopt = virt_to_ioptdesc(virt);
	if (WARN_ON(iopt->incoherent))
		return -EINVAL;
	iommu_pages_flush_incoherent(dma_dev, virt, 0, mem_size(iopt));
	iopt->incoherent = 1;
	return 0;
}

int iommu_pages_start_incoherent_list(struct iommu_pages_list *list, struct device *dma_dev)
{
	struct list_head *pos;
	for (pos = list->pages.next; pos != &list->pages; pos = pos->next) {
		struct ioptdesc *cur = container_of(pos, struct ioptdesc, iopt_freelist_elm);
		if (WARN_ON(cur->incoherent))
			continue;
		struct region_pages *r = region_of(kshim_phys_current());
		int ret = iommu_pages_start_incoherent(desc_virt(r, desc_slot(r, cur)), dma_dev);
		if (ret)
			return ret;
	}
	return 0;
}

void clflush_cache_range(void *addr, unsigned int size)
{
	struct gpt_oracle *o = gpt_running();
	u64 pa = kshim_virt_to_phys(addr);
	if (o)
		gpt_note(o, &(struct gpt_ev){.kind = GPT_EV_CLFLUSH, .start = pa, .end = pa + size - 1});
}

void iova_bitmap_set(struct iova_bitmap *bitmap, unsigned long iova, size_t length)
{
	(void)bitmap;
	(void)iova;
	(void)length;
}

void __pt_no_sw_bit(void)
{
	kshim_bug(__FILE__, __LINE__, "a software bit of a format without them");
}

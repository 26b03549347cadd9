// SPDX-License-Identifier: MIT
/*
 * Linux 6.12's AMD_IOMMU_V2 (drivers/iommu/amd/io_pgtable_v2.c, the x86
 * long-mode guest table the AMD IOMMU walks for PASIDs), compiled as it is
 * over the 6.12 oracle's shim (tests/kernel/shim), with what of the AMD
 * driver it needs: the protection domain it lives in,
 * amd_iommu_gpt_level, and amd_iommu_domain_flush_pages(), recorded.
 *
 * The io-pgtable core of the 6.12 oracle (tests/kernel/oracle.c) already
 * has a stand-in for this format's init table entry, and the v1 unit a
 * flush_pages of its own; this unit's names for them are its own (the
 * defines below rename the kernel's symbols at compile time, the kernel's
 * text is untouched), and it does alloc_io_pgtable_ops()'s part itself.
 */
#define io_pgtable_amd_iommu_v2_init_fns amdv2_unit_init_fns
#define amd_iommu_domain_flush_pages amdv2_unit_flush_pages
#define amd_iommu_gpt_level amdv2_unit_gpt_level
#define CONFIG_AMD_IOMMU 1

#include <amd/io_pgtable_v2.c>

#include <kshim_amd.h>
#include <kshim_rt.h>

#include "gpt_oracle.h"

int amd_iommu_gpt_level = PAGE_MODE_4_LEVEL;

struct amdv2_oracle {
	struct protection_domain dom;
	struct kshim_phys *phys;
	struct io_pgtable_ops *ops;
	unsigned levels;
	uint64_t (*flush)[2];
	size_t n_flush, cap_flush;
};

static void use(struct amdv2_oracle *o)
{
	kshim_phys_use(o->phys);
	amd_iommu_gpt_level = (int)o->levels;
}

/* drivers/iommu/amd/iommu.c: flushes the IOTLBs; here, recorded. */
void amd_iommu_domain_flush_pages(struct protection_domain *domain, u64 address, size_t size)
{
	struct amdv2_oracle *o = container_of(domain, struct amdv2_oracle, dom);
	if (o->n_flush == o->cap_flush) {
		size_t cap = o->cap_flush ? 2 * o->cap_flush : 64;
		uint64_t(*n)[2] = realloc(o->flush, cap * sizeof(*n));
		if (!n)
			abort();
		o->flush = n;
		o->cap_flush = cap;
	}
	o->flush[o->n_flush][0] = address;
	o->flush[o->n_flush][1] = size;
	o->n_flush++;
}

/* protection_domain_alloc(IOMMU_DOMAIN_DMA) with amd_iommu_pgtable =
 * AMD_IOMMU_V2 (6.12), and alloc_io_pgtable_ops(AMD_IOMMU_V2, ...) */
int amdv2_create(unsigned levels, uint64_t base, uint64_t len, struct amdv2_oracle **out)
{
	if (levels != PAGE_MODE_4_LEVEL && levels != PAGE_MODE_5_LEVEL)
		return -EINVAL;
	struct amdv2_oracle *o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->phys = kshim_phys_new(base, len);
	if (!o->phys) {
		free(o);
		return -ENOMEM;
	}
	o->levels = levels;
	use(o);
	struct protection_domain *domain = &o->dom;
	kshim_amd_domain_init(domain, PD_MODE_V2);

	struct io_pgtable_cfg *cfg = &domain->iop.pgtbl.cfg;
	struct io_pgtable *iop = io_pgtable_amd_iommu_v2_init_fns.alloc(cfg, domain);
	if (!iop) {
		kshim_phys_delete(o->phys);
		free(o);
		return -ENOMEM;
	}
	iop->fmt = AMD_IOMMU_V2;
	iop->cookie = domain;
	iop->cfg = *cfg;
	o->ops = &iop->ops;
	*out = o;
	return 0;
}

long amdv2_destroy(struct amdv2_oracle *o)
{
	if (!o)
		return 0;
	use(o);
	io_pgtable_amd_iommu_v2_init_fns.free(io_pgtable_ops_to_pgtable(o->ops));
	long live = kshim_phys_stats(o->phys)->live_blocks;
	kshim_phys_delete(o->phys);
	free(o->flush);
	free(o);
	return live;
}

void amdv2_cfg(struct amdv2_oracle *o, uint64_t *pgsize_bitmap, unsigned *ias, unsigned *oas)
{
	const struct io_pgtable_cfg *cfg = &io_pgtable_ops_to_pgtable(o->ops)->cfg;
	*pgsize_bitmap = cfg->pgsize_bitmap;
	*ias = cfg->ias;
	*oas = cfg->oas;
}

uint64_t amdv2_root(struct amdv2_oracle *o)
{
	use(o);
	/* init_gcr3_table(): GCR3[0] = iommu_virt_to_phys(pdom->iop.pgd) */
	return iommu_virt_to_phys(o->dom.iop.pgd);
}

int amdv2_map_pages(struct amdv2_oracle *o, uint64_t iova, uint64_t pa, uint64_t pgsize,
		    uint64_t pgcount, unsigned prot, uint64_t *mapped)
{
	size_t m = 0;
	use(o);
	int rc = o->ops->map_pages(o->ops, (unsigned long)iova, (phys_addr_t)pa, (size_t)pgsize,
				   (size_t)pgcount, (int)prot, GFP_KERNEL, &m);
	*mapped = m;
	return rc;
}

uint64_t amdv2_unmap_pages(struct amdv2_oracle *o, uint64_t iova, uint64_t pgsize,
			   uint64_t pgcount)
{
	struct iommu_iotlb_gather g;
	memset(&g, 0, sizeof(g));
	g.start = ULONG_MAX;
	g.freelist.next = g.freelist.prev = &g.freelist;
	use(o);
	return o->ops->unmap_pages(o->ops, (unsigned long)iova, (size_t)pgsize, (size_t)pgcount,
				   &g);
}

uint64_t amdv2_iova_to_phys(struct amdv2_oracle *o, uint64_t iova)
{
	use(o);
	return o->ops->iova_to_phys(o->ops, (unsigned long)iova);
}

size_t amdv2_flushes(struct amdv2_oracle *o, const uint64_t (**log)[2])
{
	*log = (const uint64_t(*)[2])o->flush;
	return o->n_flush;
}

void amdv2_flushes_clear(struct amdv2_oracle *o)
{
	o->n_flush = 0;
}

int amdv2_load(struct amdv2_oracle *o, const void *buf, uint64_t len)
{
	if (len > kshim_phys_len(o->phys))
		return -EFAULT;
	use(o);
	memcpy(__va(kshim_phys_base(o->phys)), buf, len);
	return 0;
}

const uint8_t *amdv2_mem(struct amdv2_oracle *o, uint64_t *base, uint64_t *len)
{
	*base = kshim_phys_base(o->phys);
	*len = kshim_phys_top(o->phys) - *base;
	return kshim_phys_buf(o->phys);
}

unsigned long amdv2_warns(struct amdv2_oracle *o)
{
	return kshim_phys_stats(o->phys)->warns;
}

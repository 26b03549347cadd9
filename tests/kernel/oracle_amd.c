// SPDX-License-Identifier: MIT
/*
 * The kernel oracle's AMD_IOMMU_V1 part: Linux 6.12's
 * drivers/iommu/amd/io_pgtable.c with amd_iommu_types.h and amd_iommu.h,
 * compiled as they are (see oracle.c), plus what of the AMD driver
 * (amd/iommu.c, amd/init.c) the format needs: the protection domain it
 * lives in, amd_iommu_pgsize_bitmap, and the two driver calls it makes,
 * which are recorded in the oracle's event log instead of flushing
 * anything. AMD_IOMMU_V2 (io_pgtable_v2.c) is not part of the oracle.
 */
#include "oracle_int.h"

#define CONFIG_AMD_IOMMU 1

#include <amd/io_pgtable.c>

#include <kshim_amd.h>
#include <kshim_rt.h>

/* drivers/iommu/amd/init.c; set per instance by oracle_amd_alloc(). */
unsigned long amd_iommu_pgsize_bitmap = AMD_IOMMU_PGSIZES;

struct oracle_amd {
	struct protection_domain dom;
	void *cookie; /* the struct oracle */
};

static struct oracle_amd *to_oracle_amd(struct protection_domain *domain)
{
	return container_of(domain, struct oracle_amd, dom);
}

/* drivers/iommu/amd/iommu.c: flushes the IOTLBs; here, recorded. */
void amd_iommu_domain_flush_pages(struct protection_domain *domain, u64 address, size_t size)
{
	oracle_note_driver(to_oracle_amd(domain)->cookie, ORACLE_AMD_FLUSH_PAGES, address, size,
			   iommu_virt_to_phys(domain->iop.root), (unsigned)domain->iop.mode);
}

/* drivers/iommu/amd/iommu.c: rewrites the DTEs of the domain's devices
 * with the new root and mode (increase_address_space()); here, recorded. */
void amd_iommu_update_and_flush_device_table(struct protection_domain *domain)
{
	oracle_note_driver(to_oracle_amd(domain)->cookie, ORACLE_AMD_UPDATE_DTE, 0, 0,
			   iommu_virt_to_phys(domain->iop.root), (unsigned)domain->iop.mode);
}

/* io-pgtable.c's format table names AMD_IOMMU_V2's entry; it is not here. */
static struct io_pgtable *v2_absent_alloc(struct io_pgtable_cfg *cfg, void *cookie)
{
	(void)cfg;
	(void)cookie;
	return NULL;
}

static void v2_absent_free(struct io_pgtable *iop)
{
	(void)iop;
}

struct io_pgtable_init_fns io_pgtable_amd_iommu_v2_init_fns = {
	.alloc = v2_absent_alloc,
	.free = v2_absent_free,
};

/* protection_domain_alloc(IOMMU_DOMAIN_UNMANAGED, NUMA_NO_NODE), 6.12 */
struct io_pgtable_ops *oracle_amd_alloc(uint64_t pgsize_bitmap, unsigned mode, void *cookie)
{
	struct oracle_amd *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->cookie = cookie;
	struct protection_domain *domain = &a->dom;
	kshim_amd_domain_init(domain, PD_MODE_V1);

	amd_iommu_pgsize_bitmap = pgsize_bitmap ? (unsigned long)pgsize_bitmap : AMD_IOMMU_PGSIZES;
	struct io_pgtable_ops *ops =
		alloc_io_pgtable_ops(AMD_IOMMU_V1, &domain->iop.pgtbl.cfg, domain);
	amd_iommu_pgsize_bitmap = AMD_IOMMU_PGSIZES;
	if (!ops) {
		free(a);
		return NULL;
	}
	if (mode >= PAGE_MODE_1_LEVEL && mode <= PAGE_MODE_6_LEVEL)
		domain->iop.mode = (int)mode;
	return ops;
}

void oracle_amd_free(struct io_pgtable_ops *ops)
{
	struct protection_domain *domain = io_pgtable_ops_to_domain(ops);
	free_io_pgtable_ops(ops);
	free(to_oracle_amd(domain));
}

void oracle_amd_state(struct io_pgtable_ops *ops, uint64_t *root, unsigned *mode)
{
	struct amd_io_pgtable *pgtable = io_pgtable_ops_to_data(ops);
	*root = iommu_virt_to_phys(pgtable->root);
	*mode = (unsigned)pgtable->mode;
}

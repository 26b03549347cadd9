/* SPDX-License-Identifier: MIT */
/*
 * The AMD driver's protection domain as Linux 6.12's
 * protection_domain_alloc() (amd/iommu.c) sets it up before it allocates
 * the domain's table, for the oracle units that compile an AMD format
 * (oracle_amd.c: v1, genpt/amdv2_unit.c: v2). Included after
 * amd_iommu_types.h; the domain ID is always 1 and the node NUMA_NO_NODE.
 */
#ifndef KSHIM_AMD_H
#define KSHIM_AMD_H

static inline void kshim_amd_domain_init(struct protection_domain *domain,
					 enum protection_domain_mode mode)
{
	domain->id = 1;
	spin_lock_init(&domain->lock);
	INIT_LIST_HEAD(&domain->dev_list);
	INIT_LIST_HEAD(&domain->dev_data_list);
	xa_init(&domain->iommu_array);
	domain->iop.pgtbl.cfg.amd.nid = NUMA_NO_NODE;
	domain->pd_mode = mode;
}

#endif

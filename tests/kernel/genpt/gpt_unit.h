/* SPDX-License-Identifier: MIT */
/*
 * The body of each gpt_unit_<fmt>.c, after it has included one of the
 * kernel's fmt/iommu_<fmt>.c: an iommu_domain around the format's table set
 * up as the IOMMU drivers do (drivers/iommu/amd/iommu.c
 * amd_iommu_domain_alloc_paging_v1/_v2, intel/iommu.c
 * intel_iommu_domain_alloc_first/second_stage, riscv/iommu.c
 * riscv_iommu_alloc_paging_domain): features and sizes from the cfg, the
 * driver narrowing domain->pgsize_bitmap after the init, an iotlb_sync that
 * records the gather and puts its page list (as amd_iommu_iotlb_sync and the
 * others do after flushing), and for PT_FEAT_DYNAMIC_TOP a change_top that
 * records the new top (amd_iommu_change_top rewrites the DTEs with it).
 *
 * The unit defines first:
 *   GPT_UNIT_FMT, GPT_UNIT_IMPL   its enum gpt_fmt and struct gpt_impl name
 *   GPT_SET_LEVEL(cfg, level)     the format cfg's level member, if any
 *   GPT_HW_ROOT(hw), GPT_HW_MODE(hw)  the members of its hw_info
 */
#include <kshim_rt.h>

#include "gpt_int.h"

static_assert((int)PT_FEAT_DMA_INCOHERENT == GPT_FEAT_DMA_INCOHERENT);
static_assert((int)PT_FEAT_FULL_VA == GPT_FEAT_FULL_VA);
static_assert((int)PT_FEAT_DYNAMIC_TOP == GPT_FEAT_DYNAMIC_TOP);
static_assert((int)PT_FEAT_SIGN_EXTEND == GPT_FEAT_SIGN_EXTEND);
static_assert((int)PT_FEAT_FLUSH_RANGE == GPT_FEAT_FLUSH_RANGE);
static_assert((int)PT_FEAT_FLUSH_RANGE_NO_GAPS == GPT_FEAT_FLUSH_RANGE_NO_GAPS);
static_assert((int)PT_FEAT_DETAILED_GATHER == GPT_FEAT_DETAILED_GATHER);
static_assert((int)PT_FEAT_FMT_START == GPT_FEAT_FMT_START);

struct gpt_unit {
	union {
		struct iommu_domain domain;
		struct pt_iommu_table fmt_table;
	};
	spinlock_t top_lock;
	struct gpt_oracle *o;
};
PT_IOMMU_CHECK_DOMAIN(struct gpt_unit, fmt_table.iommu, domain);

static void unit_iotlb_sync(struct iommu_domain *domain, struct iommu_iotlb_gather *gather)
{
	struct gpt_unit *u = container_of(domain, struct gpt_unit, domain);
	unsigned pages = 0;
	for (struct list_head *p = gather->freelist.pages.next; p != &gather->freelist.pages;
	     p = p->next)
		pages++;
	gpt_note(u->o, &(struct gpt_ev){.kind = GPT_EV_SYNC,
					.start = gather->start,
					.end = gather->end,
					.pages = pages,
					.leaf_levels = gather->pt.leaf_levels_bitmap,
					.table_levels = gather->pt.table_levels_bitmap});
	iommu_put_pages_list(&gather->freelist);
}

#define UNIT_DOMAIN_OPS(x) IOMMU_PT_DOMAIN_OPS(x)
static const struct iommu_domain_ops unit_domain_ops = {
	UNIT_DOMAIN_OPS(PTPFX_RAW),
	.iotlb_sync = unit_iotlb_sync,
};

static void unit_change_top(struct pt_iommu *iommu_table, phys_addr_t top_paddr,
			    unsigned int top_level)
{
	struct gpt_unit *u = container_of(iommu_table, struct gpt_unit, fmt_table.iommu);
	gpt_note(u->o, &(struct gpt_ev){.kind = GPT_EV_CHANGE_TOP,
					.start = top_paddr,
					.level = top_level});
}

static spinlock_t *unit_get_top_lock(struct pt_iommu *iommu_table)
{
	return &container_of(iommu_table, struct gpt_unit, fmt_table.iommu)->top_lock;
}

static const struct pt_iommu_driver_ops unit_driver_ops = {
	.change_top = unit_change_top,
	.get_top_lock = unit_get_top_lock,
};

/* A device to flush through: never dereferenced (x86 uses clflush). */
static struct device *const unit_device = (struct device *)&unit_device;

static void *unit_create(struct gpt_oracle *o, const struct gpt_cfg *c, int *rc)
{
	struct gpt_unit *u = calloc(1, sizeof(*u));
	if (!u) {
		*rc = -ENOMEM;
		return NULL;
	}
	struct pt_iommu_table_cfg cfg = {
		.common.features = c->features,
		.common.hw_max_vasz_lg2 = (u8)c->vasz,
		.common.hw_max_oasz_lg2 = (u8)c->oasz,
	};
	GPT_SET_LEVEL(cfg, c->level);
	u->o = o;
	spin_lock_init(&u->top_lock);
	u->fmt_table.iommu.nid = NUMA_NO_NODE;
	u->fmt_table.iommu.driver_ops = &unit_driver_ops;
	u->fmt_table.iommu.iommu_device = unit_device;
	u->domain.ops = &unit_domain_ops;
	*rc = pt_iommu_init(&u->fmt_table, &cfg, GFP_KERNEL);
	if (*rc) {
		free(u);
		return NULL;
	}
	if (c->pgsize_mask)
		u->domain.pgsize_bitmap &= c->pgsize_mask;
	return u;
}

static void unit_destroy(void *p)
{
	struct gpt_unit *u = p;
	pt_iommu_deinit(&u->fmt_table.iommu);
	free(u);
}

static void unit_info(void *p, struct gpt_info *info)
{
	struct gpt_unit *u = p;
	struct pt_common *common = common_from_iommu(&u->fmt_table.iommu);
	struct pt_iommu_info pi;
	struct pt_iommu_table_hw_info hw;
	memset(info, 0, sizeof(*info));
	u->fmt_table.iommu.ops->get_info(&u->fmt_table.iommu, &pi);
	info->fmt_pgsize_bitmap = pi.pgsize_bitmap;
	info->pgsize_bitmap = u->domain.pgsize_bitmap;
	info->aperture_start = u->domain.geometry.aperture_start;
	info->aperture_end = u->domain.geometry.aperture_end;
	info->max_vasz = common->max_vasz_lg2;
	info->max_oasz = common->max_oasz_lg2;
	info->features = common->features;
	pt_iommu_hw_info(&u->fmt_table, &hw);
	info->hw_root = GPT_HW_ROOT(hw);
	info->hw_mode = GPT_HW_MODE(hw);
	struct pt_range top = pt_top_range(common);
	info->top_level = top.top_level;
	info->top_pa = virt_to_phys(top.top_table);
}

static int unit_map_range(void *p, uint64_t iova, uint64_t pa, uint64_t len, unsigned prot,
			  uint64_t *mapped)
{
	struct gpt_unit *u = p;
	size_t m = 0;
	int rc;
	/* iommu_map_nosync()'s checks before map_range */
	if (WARN_ON_ONCE(!(u->domain.type & __IOMMU_DOMAIN_PAGING) || !u->domain.pgsize_bitmap))
		return -EINVAL;
	rc = u->fmt_table.iommu.ops->map_range(&u->fmt_table.iommu, iova, pa, len, prot,
					       GFP_KERNEL, &m);
	*mapped = m;
	return rc;
}

static uint64_t unit_unmap(void *p, uint64_t iova, uint64_t len, bool queued)
{
	struct gpt_unit *u = p;
	struct iommu_iotlb_gather gather;
	size_t n;
	iommu_iotlb_gather_init(&gather);
	gather.queued = queued;
	/* __iommu_unmap()'s checks before unmap_range */
	if (WARN_ON_ONCE(!(u->domain.type & __IOMMU_DOMAIN_PAGING) || !u->domain.pgsize_bitmap))
		return 0;
	n = u->fmt_table.iommu.ops->unmap_range(&u->fmt_table.iommu, iova, len, &gather);
	if (queued)
		iommu_put_pages_list(&gather.freelist);
	else
		iommu_iotlb_sync(&u->domain, &gather);
	return n;
}

static uint64_t unit_iova_to_phys(void *p, uint64_t iova)
{
	struct gpt_unit *u = p;
	return u->domain.ops->iova_to_phys(&u->domain, iova);
}

static void unit_ranges(void *p, struct gpt_ranges *r)
{
	struct gpt_unit *u = p;
	struct pt_common *common = common_from_iommu(&u->fmt_table.iommu);
	struct pt_range top = pt_top_range(common), upper = pt_upper_range(common);
	r->va = top.va;
	r->last = top.last_va;
	r->upper_va = upper.va;
	r->upper_last = upper.last_va;
	r->top_level = top.top_level;
	r->max_vasz = top.max_vasz_lg2;
}

static int unit_count(struct pt_range *range, void *arg, unsigned int level,
		      struct pt_table_p *table)
{
	struct pt_state pts = pt_init(range, level, table);
	uint64_t *per_size = arg;

	for_each_pt_level_entry(&pts) {
		if (pts.type == PT_ENTRY_TABLE)
			pt_descend(&pts, arg, unit_count);
		else if (pts.type == PT_ENTRY_OA)
			per_size[pt_entry_oa_lg2sz(&pts)]++;
	}
	return 0;
}

static void unit_count_leaves(void *p, uint64_t per_size[64])
{
	struct gpt_unit *u = p;
	struct pt_range range = pt_top_range(common_from_iommu(&u->fmt_table.iommu));
	memset(per_size, 0, 64 * sizeof(*per_size));
	pt_walk_range(&range, unit_count, per_size);
	if (pt_feature(range.common, PT_FEAT_SIGN_EXTEND)) {
		range = pt_upper_range(range.common);
		pt_walk_range(&range, unit_count, per_size);
	}
}

/* pt_iommu_get_info()'s visit of the levels; the top's size from its range
 * as kunit_generic_pt.h's safe_pt_num_items_lg2() takes it. */
static unsigned unit_levels(void *p, struct gpt_level *out, unsigned max)
{
	struct gpt_unit *u = p;
	struct pt_range range = pt_top_range(common_from_iommu(&u->fmt_table.iommu));
	struct pt_state pts = pt_init_top(&range);
	unsigned n = 0;
	for (pts.level = 0; pts.level <= range.top_level && n < max; pts.level++, n++) {
		struct pt_state top = pt_init_top(&range);
		out[n] = (struct gpt_level){
			.level = pts.level,
			.item_lg2sz = pt_table_item_lg2sz(&pts),
			.num_items_lg2 = pts.level == range.top_level ?
						 (unsigned)ilog2(pt_range_to_end_index(&top)) :
						 pt_num_items_lg2(&pts),
			.possible_sizes = pt_possible_sizes(&pts),
			.can_leaf = pt_can_have_leaf(&pts),
			.can_table = pt_can_have_table(&pts),
		};
	}
	return n;
}

const struct gpt_impl GPT_UNIT_IMPL = {
	.fmt = GPT_UNIT_FMT,
	.name = __stringify(PTPFX_RAW),
	.create = unit_create,
	.destroy = unit_destroy,
	.info = unit_info,
	.map_range = unit_map_range,
	.unmap = unit_unmap,
	.iova_to_phys = unit_iova_to_phys,
	.ranges = unit_ranges,
	.count_leaves = unit_count_leaves,
	.levels = unit_levels,
};

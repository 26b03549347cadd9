// SPDX-License-Identifier: MIT
/*
 * The kernel oracle (see oracle.h). This file compiles the real Linux 6.12
 * drivers/iommu/io-pgtable-arm.c and io-pgtable.c by including them; the
 * other formats are compiled the same way in oracle_v7s.c, oracle_dart.c and
 * oracle_amd.c (one kernel file per unit: their static names collide), and
 * this file's API drives them all. The build puts the kernel's
 * drivers/iommu and include directories on the -isystem path, so their
 * warnings are not ours to fix, while the code below is built with -Wall
 * -Wextra. The kernel sources are fetched at test time
 * (tests/kernel/fetch.sh); none is kept in this repository.
 */
#include "oracle_int.h"

#define CONFIG_IOMMU_IO_PGTABLE_LPAE 1
#undef CONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST
/* io-pgtable.c's format table: the other units provide these formats
 * (AMD's until 6.19, when it moved to generic_pt) */
#define CONFIG_IOMMU_IO_PGTABLE_ARMV7S 1
#define CONFIG_IOMMU_IO_PGTABLE_DART 1
#if !ORACLE_SINCE(6, 19)
#define CONFIG_AMD_IOMMU 1
#define ORACLE_HAS_AMD 1
#endif

#include <io-pgtable-arm.c>
#include <io-pgtable.c>

#include <kshim_rt.h>

struct oracle {
	struct kshim_phys *phys;
	enum io_pgtable_fmt fmt;
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	struct oracle_tlb *log;
	size_t log_n, log_cap;
};

static bool is_lpae(enum io_pgtable_fmt fmt)
{
	return fmt == ARM_32_LPAE_S1 || fmt == ARM_32_LPAE_S2 || fmt == ARM_64_LPAE_S1 ||
	       fmt == ARM_64_LPAE_S2 || fmt == ARM_MALI_LPAE;
}

static void log_add(struct oracle *o, struct oracle_tlb e)
{
	if (o->log_n == o->log_cap) {
		size_t cap = o->log_cap ? 2 * o->log_cap : 256;
		struct oracle_tlb *n = realloc(o->log, cap * sizeof(*n));
		if (!n)
			abort();
		o->log = n;
		o->log_cap = cap;
	}
	o->log[o->log_n++] = e;
}

static void cb_flush_all(void *cookie)
{
	log_add(cookie, (struct oracle_tlb){.kind = ORACLE_TLB_FLUSH_ALL});
}

static void cb_flush_walk(unsigned long iova, size_t size, size_t granule, void *cookie)
{
	log_add(cookie, (struct oracle_tlb){.kind = ORACLE_TLB_FLUSH_WALK,
					    .iova = iova,
					    .size = size,
					    .granule = granule});
}

static void cb_add_page(struct iommu_iotlb_gather *gather, unsigned long iova, size_t granule,
			void *cookie)
{
	log_add(cookie, (struct oracle_tlb){.kind = ORACLE_TLB_ADD_PAGE,
					    .iova = iova,
					    .granule = granule,
					    .gather = gather != NULL});
}

void oracle_note_driver(void *cookie, enum oracle_tlb_kind kind, uint64_t iova, uint64_t size,
			uint64_t root, unsigned mode)
{
	log_add(cookie, (struct oracle_tlb){.kind = kind,
					    .iova = iova,
					    .size = size,
					    .root = root,
					    .mode = mode});
}

static const struct iommu_flush_ops flush_ops = {
	.tlb_flush_all = cb_flush_all,
	.tlb_flush_walk = cb_flush_walk,
	.tlb_add_page = cb_add_page,
};

static enum io_pgtable_fmt kernel_fmt(enum oracle_fmt f)
{
	switch (f) {
	case ORACLE_ARM_32_LPAE_S1:
		return ARM_32_LPAE_S1;
	case ORACLE_ARM_32_LPAE_S2:
		return ARM_32_LPAE_S2;
	case ORACLE_ARM_64_LPAE_S1:
		return ARM_64_LPAE_S1;
	case ORACLE_ARM_64_LPAE_S2:
		return ARM_64_LPAE_S2;
	case ORACLE_ARM_MALI_LPAE:
		return ARM_MALI_LPAE;
	case ORACLE_ARM_V7S:
		return ARM_V7S;
	case ORACLE_APPLE_DART:
		return APPLE_DART;
	case ORACLE_APPLE_DART2:
		return APPLE_DART2;
	case ORACLE_AMD_IOMMU_V1:
#ifdef ORACLE_HAS_AMD
		return AMD_IOMMU_V1;
#else
		break;
#endif
	}
	return IO_PGTABLE_NUM_FMTS;
}

static void cfg_out(const struct io_pgtable_cfg *c, enum io_pgtable_fmt fmt, struct oracle_cfg *o)
{
	memset(o, 0, sizeof(*o));
	o->quirks = c->quirks;
	o->pgsize_bitmap = c->pgsize_bitmap;
	o->ias = c->ias;
	o->oas = c->oas;
	o->coherent_walk = c->coherent_walk;
	switch (fmt) {
	case ARM_32_LPAE_S1:
	case ARM_64_LPAE_S1:
		o->ttbr = c->arm_lpae_s1_cfg.ttbr;
		o->tcr.ips = c->arm_lpae_s1_cfg.tcr.ips;
		o->tcr.tg = c->arm_lpae_s1_cfg.tcr.tg;
		o->tcr.sh = c->arm_lpae_s1_cfg.tcr.sh;
		o->tcr.orgn = c->arm_lpae_s1_cfg.tcr.orgn;
		o->tcr.irgn = c->arm_lpae_s1_cfg.tcr.irgn;
		o->tcr.tsz = c->arm_lpae_s1_cfg.tcr.tsz;
		o->mair = c->arm_lpae_s1_cfg.mair;
		break;
	case ARM_32_LPAE_S2:
	case ARM_64_LPAE_S2:
		o->vttbr = c->arm_lpae_s2_cfg.vttbr;
		o->vtcr.ps = c->arm_lpae_s2_cfg.vtcr.ps;
		o->vtcr.tg = c->arm_lpae_s2_cfg.vtcr.tg;
		o->vtcr.sh = c->arm_lpae_s2_cfg.vtcr.sh;
		o->vtcr.orgn = c->arm_lpae_s2_cfg.vtcr.orgn;
		o->vtcr.irgn = c->arm_lpae_s2_cfg.vtcr.irgn;
		o->vtcr.sl = c->arm_lpae_s2_cfg.vtcr.sl;
		o->vtcr.tsz = c->arm_lpae_s2_cfg.vtcr.tsz;
		break;
	case ARM_MALI_LPAE:
		o->transtab = c->arm_mali_lpae_cfg.transtab;
		o->memattr = c->arm_mali_lpae_cfg.memattr;
		break;
	case ARM_V7S:
		o->v7s.ttbr = c->arm_v7s_cfg.ttbr;
		o->v7s.tcr = c->arm_v7s_cfg.tcr;
		o->v7s.nmrr = c->arm_v7s_cfg.nmrr;
		o->v7s.prrr = c->arm_v7s_cfg.prrr;
		break;
	case APPLE_DART:
	case APPLE_DART2:
		for (int i = 0; i < 4; i++)
			o->dart.ttbr[i] = c->apple_dart_cfg.ttbr[i];
		o->dart.n_ttbrs = c->apple_dart_cfg.n_ttbrs;
#if ORACLE_SINCE(6, 18)
		o->dart.n_levels = c->apple_dart_cfg.n_levels;
#endif
		break;
	default:
		break;
	}
}

int oracle_create(enum oracle_fmt fmt, const struct oracle_cfg *in, uint64_t phys_base,
		  uint64_t phys_len, struct oracle **out, struct oracle_cfg *out_cfg)
{
	struct oracle *o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->phys = kshim_phys_new(phys_base, phys_len);
	if (!o->phys) {
		free(o);
		return -ENOMEM;
	}
	o->fmt = kernel_fmt(fmt);
	o->cfg = (struct io_pgtable_cfg){
		.quirks = (unsigned long)in->quirks,
		.pgsize_bitmap = (unsigned long)in->pgsize_bitmap,
		.ias = in->ias,
		.oas = in->oas,
		.coherent_walk = in->coherent_walk,
		.tlb = &flush_ops,
		.iommu_dev = NULL,
	};
	kshim_phys_use(o->phys);
	if (o->fmt == IO_PGTABLE_NUM_FMTS) {
		o->ops = NULL; /* not one this kernel's io-pgtable has */
#ifdef ORACLE_HAS_AMD
	} else if (o->fmt == AMD_IOMMU_V1) {
		/* the driver's protection domain holds the cfg; AMD sets no
		 * flush ops (it flushes through its own calls, recorded) */
		o->ops = oracle_amd_alloc(in->pgsize_bitmap, in->amd.mode, o);
		if (o->ops)
			o->cfg = io_pgtable_ops_to_pgtable(o->ops)->cfg;
#endif
	} else {
		/* v7s and DART get the recording flush ops like LPAE, so that
		 * the log shows what io-pgtable asks for (Apple's DART driver
		 * itself passes none) */
		o->ops = alloc_io_pgtable_ops(o->fmt, &o->cfg, o);
	}
	if (!o->ops) {
		kshim_phys_delete(o->phys);
		free(o->log);
		free(o);
		return -EINVAL;
	}
	if (out_cfg)
		cfg_out(&o->cfg, o->fmt, out_cfg);
	*out = o;
	return 0;
}

long oracle_destroy(struct oracle *o)
{
	if (!o)
		return 0;
	kshim_phys_use(o->phys);
#ifdef ORACLE_HAS_AMD
	if (o->fmt == AMD_IOMMU_V1)
		oracle_amd_free(o->ops);
	else
#endif
		free_io_pgtable_ops(o->ops);
	const struct kshim_stats *st = kshim_phys_stats(o->phys);
	long live = st->live_blocks + st->slab_live + st->kmalloc_live;
	kshim_phys_delete(o->phys);
	free(o->log);
	free(o);
	return live;
}

int oracle_map_pages(struct oracle *o, uint64_t iova, uint64_t pa, uint64_t pgsize,
		     uint64_t pgcount, unsigned prot, uint64_t *mapped)
{
	size_t m = 0;
	kshim_phys_use(o->phys);
	int rc = o->ops->map_pages(o->ops, (unsigned long)iova, (phys_addr_t)pa, (size_t)pgsize,
				   (size_t)pgcount, (int)prot, GFP_KERNEL, &m);
	*mapped = m;
	return rc;
}

uint64_t oracle_unmap_pages(struct oracle *o, uint64_t iova, uint64_t pgsize, uint64_t pgcount,
			    enum oracle_gather gather)
{
	struct iommu_iotlb_gather g;
	memset(&g, 0, sizeof(g));
	g.start = ULONG_MAX;
	g.freelist.next = g.freelist.prev = &g.freelist;
	g.queued = gather == ORACLE_GATHER_QUEUED;
	kshim_phys_use(o->phys);
	return o->ops->unmap_pages(o->ops, (unsigned long)iova, (size_t)pgsize, (size_t)pgcount,
				   gather == ORACLE_GATHER_NULL ? NULL : &g);
}

uint64_t oracle_iova_to_phys(struct oracle *o, uint64_t iova)
{
	kshim_phys_use(o->phys);
	return o->ops->iova_to_phys(o->ops, (unsigned long)iova);
}

void oracle_geometry(struct oracle *o, struct oracle_geom *g)
{
	if (!is_lpae(o->fmt)) {
		memset(g, 0, sizeof(*g));
		g->pgd_pa = oracle_root(o);
		return;
	}
	struct arm_lpae_io_pgtable *data = io_pgtable_ops_to_data(o->ops);
	kshim_phys_use(o->phys);
	g->start_level = data->start_level;
	g->pgd_bits = data->pgd_bits;
	g->bits_per_level = data->bits_per_level;
	g->pgd_pa = virt_to_phys(data->pgd);
}

unsigned oracle_roots(struct oracle *o, uint64_t *roots)
{
	kshim_phys_use(o->phys);
	switch (o->fmt) {
	case ARM_V7S:
		roots[0] = oracle_v7s_pgd(o->ops);
		return 1;
	case APPLE_DART:
	case APPLE_DART2: {
		const struct io_pgtable_cfg *c = &io_pgtable_ops_to_pgtable(o->ops)->cfg;
		unsigned n = c->apple_dart_cfg.n_ttbrs;
		for (unsigned i = 0; i < n && i < 4; i++)
			roots[i] = c->apple_dart_cfg.ttbr[i];
		return n;
	}
#ifdef ORACLE_HAS_AMD
	case AMD_IOMMU_V1: {
		unsigned mode;
		oracle_amd_state(o->ops, &roots[0], &mode);
		return 1;
	}
#endif
	default: {
		struct oracle_geom g;
		oracle_geometry(o, &g);
		roots[0] = g.pgd_pa;
		return 1;
	}
	}
}

uint64_t oracle_root(struct oracle *o)
{
	uint64_t roots[4];
	oracle_roots(o, roots);
	return roots[0];
}

unsigned oracle_amd_mode(struct oracle *o)
{
	unsigned mode = 0;
#ifdef ORACLE_HAS_AMD
	uint64_t root;
	kshim_phys_use(o->phys);
	if (o->fmt == AMD_IOMMU_V1)
		oracle_amd_state(o->ops, &root, &mode);
#else
	(void)o;
#endif
	return mode;
}

const char *oracle_kernel(void)
{
	return ORACLE_KERNEL;
}

void oracle_get_cfg(struct oracle *o, struct oracle_cfg *cfg)
{
	cfg_out(&io_pgtable_ops_to_pgtable(o->ops)->cfg, o->fmt, cfg);
}

const uint8_t *oracle_mem(struct oracle *o, uint64_t *base, uint64_t *len)
{
	*base = kshim_phys_base(o->phys);
	*len = kshim_phys_top(o->phys) - *base;
	return kshim_phys_buf(o->phys);
}

int oracle_poke(struct oracle *o, uint64_t pa, const void *buf, size_t len)
{
	uint64_t base = kshim_phys_base(o->phys), top = kshim_phys_top(o->phys);
	if (pa < base || pa + len < pa || pa + len > top)
		return -EFAULT;
	kshim_phys_use(o->phys);
	memcpy(__va(pa), buf, len);
	return 0;
}

int oracle_load(struct oracle *o, const void *buf, uint64_t len)
{
	if (len > kshim_phys_len(o->phys))
		return -EFAULT;
	kshim_phys_use(o->phys);
	memcpy(__va(kshim_phys_base(o->phys)), buf, len);
	return 0;
}

size_t oracle_tlb_log(struct oracle *o, const struct oracle_tlb **log)
{
	*log = o->log;
	return o->log_n;
}

void oracle_tlb_clear(struct oracle *o)
{
	o->log_n = 0;
}

static void stats_of(struct kshim_phys *m, struct oracle_stats *st)
{
	const struct kshim_stats *k = kshim_phys_stats(m);
	memset(st, 0, sizeof(*st));
	st->warns = k->warns;
	memcpy(st->last_warn, k->last_warn, sizeof(st->last_warn));
	st->dma_syncs = k->dma_syncs;
	st->dma_maps = k->dma_maps;
	st->dma_unmaps = k->dma_unmaps;
	st->allocs = k->allocs;
	st->frees = k->frees;
	st->live_blocks = k->live_blocks;
	st->live_pages = k->live_pages;
	st->slab_allocs = k->slab_allocs;
	st->slab_frees = k->slab_frees;
	st->slab_live = k->slab_live;
	memcpy(st->last_msg, k->last_msg, sizeof(st->last_msg));
}

void oracle_stats(struct oracle *o, struct oracle_stats *st)
{
	stats_of(o->phys, st);
}

/* The selftest allocates through whatever memory is current: it gets one of
 * its own, and the caller's instance keeps its memory. */
int oracle_v7s_selftest(uint64_t phys_base, struct oracle_stats *st)
{
	struct kshim_phys *prev = kshim_phys_current();
	struct kshim_phys *m = kshim_phys_new(phys_base, 64ull << 20);
	if (!m)
		return -ENOMEM;
	kshim_phys_use(m);
	int rc = oracle_v7s_run_selftest();
	stats_of(m, st);
	kshim_phys_delete(m);
	kshim_phys_use(prev);
	return rc;
}

void oracle_verbose(bool on)
{
	kshim_set_verbose(on);
}

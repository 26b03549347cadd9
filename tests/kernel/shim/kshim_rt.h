/* SPDX-License-Identifier: MIT */
/*
 * The oracle's side of the shim runtime: simulated physical memory regions
 * and the counters the kernel code's WARN_ON, printk and DMA calls feed.
 * The kernel code itself only sees kshim.h.
 */
#ifndef KSHIM_RT_H
#define KSHIM_RT_H

#include <stdint.h>

struct kshim_phys;

struct kshim_stats {
	unsigned long warns;
	unsigned long printks;
	unsigned long dma_maps, dma_unmaps, dma_syncs;
	unsigned long allocs, frees;
	unsigned long dirty_records;
	unsigned long bad_va; /* __va() of an address outside the memory */
	long live_blocks; /* page allocations not yet freed (slab pages not counted) */
	long live_pages;
	/* slab objects (v7s level-2 tables): allocated, freed, still live */
	unsigned long slab_allocs, slab_frees;
	long slab_live;
	long slab_pages; /* pages the slab caches hold */
	long kmalloc_live; /* kmalloc()ed objects not yet kfree()d */
	char last_warn[256];
	char last_msg[256];
};

/* A region standing for physical [base, base + len); len is reserved, not touched. */
struct kshim_phys *kshim_phys_new(uint64_t base, uint64_t len);
void kshim_phys_delete(struct kshim_phys *m);
/* Route the kernel code's allocations and address translations to m. */
void kshim_phys_use(struct kshim_phys *m);
struct kshim_phys *kshim_phys_current(void);
uint64_t kshim_phys_base(const struct kshim_phys *m);
/* One past the highest byte ever handed out. */
uint64_t kshim_phys_top(const struct kshim_phys *m);
const uint8_t *kshim_phys_buf(const struct kshim_phys *m);
/* The bytes the region reserves (its len). */
uint64_t kshim_phys_len(const struct kshim_phys *m);
struct kshim_stats *kshim_phys_stats(struct kshim_phys *m);
/* Abort on any misuse (bad free, pointer outside the region). Default on. */
void kshim_set_verbose(int on);

#endif

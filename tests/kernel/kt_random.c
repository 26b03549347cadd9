// SPDX-License-Identifier: MIT
/*
 * The seeded random sequence of map and unmap requests.
 */
#include <stdio.h>

#include "kt_int.h"

static unsigned rnd_prot(void)
{
	unsigned prot = (unsigned)kt_rnd_below(64);
	if (!(prot & (PGT_READ | PGT_WRITE)))
		prot |= kt_chance(50) ? PGT_READ : PGT_WRITE;
	return prot;
}

static uint64_t rnd_count(struct kt_pair *p)
{
	unsigned r = (unsigned)kt_rnd_below(100);
	if (r < 65)
		return 1 + kt_rnd_below(4);
	if (r < 90)
		return 1 + kt_rnd_below(64);
	return 1 + kt_rnd_below(p->batch + 64);
}

static void hot_add(struct kt_pair *p, uint64_t off)
{
	p->hot[p->n_hot++ % 64] = off;
}

static uint64_t pick_offset(struct kt_pair *p, uint64_t pgsize, unsigned hot_percent)
{
	uint64_t slots = p->wsize / pgsize;
	if (p->n_hot && kt_chance(hot_percent)) {
		uint64_t h = p->hot[kt_rnd_below(p->n_hot < 64 ? p->n_hot : 64)] / pgsize;
		int64_t d = (int64_t)kt_rnd_below(9) - 4;
		if ((int64_t)h + d < 0)
			d = 0;
		h = (uint64_t)((int64_t)h + d);
		if (h >= slots)
			h = slots - 1;
		return h * pgsize;
	}
	return kt_rnd_below(slots) * pgsize;
}

static uint64_t pick_pa(struct kt_pair *p, uint64_t pgsize, uint64_t *count)
{
	uint64_t slots = p->pa_limit / pgsize;
	if (*count > slots)
		*count = slots;
	return kt_rnd_below(slots - *count + 1) * pgsize;
}

static enum oracle_gather pick_gather(void)
{
	unsigned r = (unsigned)kt_rnd_below(100);
	return r < 80 ? ORACLE_GATHER : r < 90 ? ORACLE_GATHER_NULL : ORACLE_GATHER_QUEUED;
}

void kt_random_ops(struct kt_pair *p, unsigned nops)
{
	for (unsigned i = 0; i < nops; i++) {
		unsigned r = (unsigned)kt_rnd_below(100);
		uint64_t pgsize =
			p->f->pick_size ? p->f->pick_size(p) : p->sizes[kt_rnd_below(p->n_sizes)];
		uint64_t count = rnd_count(p);
		/* pages larger than the window only at sparse places; window
		 * offsets are multiples of the page size, the window's base may
		 * not be */
		if ((pgsize > p->wsize || (p->wbase & (pgsize - 1))) &&
		    (r >= 8 || pgsize > p->space))
			pgsize = p->granule;
		if (r < 2) {
			/* clear the window, in the largest pages up to top */
			uint64_t cs = p->granule;
			for (unsigned k = 0; k < p->n_sizes; k++)
				if (p->sizes[k] <= p->top && p->sizes[k] <= p->wsize)
					cs = p->sizes[k];
			kt_do_unmap(p, kt_W(p, 0), cs, p->wsize / cs, ORACLE_GATHER);
		} else if (r < 8) {
			/* anywhere in the input space, sparse */
			uint64_t x = kt_rnd_below(p->space / pgsize) * pgsize;
			uint64_t iova = p->iova_high | x;
			if (count > (p->space - x) / pgsize)
				count = (p->space - x) / pgsize;
			if (count > 3)
				count = 3;
			if (kt_chance(60)) {
				uint64_t pa = pick_pa(p, pgsize, &count);
				kt_do_map(p, iova, pa, pgsize, count, rnd_prot());
			} else {
				kt_do_unmap(p, iova, pgsize, count, pick_gather());
			}
		} else if (r < 58) {
			uint64_t off = pick_offset(p, pgsize, 50);
			if (count > (p->wsize - off) / pgsize)
				count = (p->wsize - off) / pgsize;
			uint64_t pa = pick_pa(p, pgsize, &count);
			hot_add(p, off);
			kt_do_map(p, kt_W(p, off), pa, pgsize, count, rnd_prot());
		} else {
			uint64_t off = pick_offset(p, pgsize, 75);
			if (p->f->unaligned_unmaps && pgsize > p->granule &&
			    off + 2 * pgsize <= p->wsize && kt_chance(p->f->unaligned_unmaps))
				off += kt_rnd_below(pgsize / p->granule) * p->granule;
			if (count > (p->wsize - off) / pgsize)
				count = (p->wsize - off) / pgsize;
			if (!count)
				count = 1;
			hot_add(p, off);
			kt_do_unmap(p, kt_W(p, off), pgsize, count, pick_gather());
		}
		if ((i + 1) % 500 == 0 && i + 1 < nops) {
			char when[48];
			snprintf(when, sizeof(when), "after random op %u", i + 1);
			kt_compare_structure(p, when);
		}
	}
}

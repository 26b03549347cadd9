// SPDX-License-Identifier: MIT
/*
 * The generic_pt oracle's API (gpt_oracle.h) over the per-format units
 * (gpt_unit_<fmt>.c): instances with their simulated memory, the event log
 * the units record into.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <kshim_rt.h>

#include "gpt_int.h"

static const struct gpt_impl *const impls[GPT_N_FMTS] = {
	[GPT_AMDV1] = &gpt_impl_amdv1,
	[GPT_X86_64] = &gpt_impl_x86_64,
	[GPT_VTDSS] = &gpt_impl_vtdss,
	[GPT_RISCV64] = &gpt_impl_riscv64,
};

/* gpt_shim.c's SME mask, set per call from the instance */
extern uint64_t sme_me_mask;

struct gpt_oracle {
	const struct gpt_impl *impl;
	struct kshim_phys *phys;
	void *u;
	uint64_t sme_mask;
	struct gpt_ev *log;
	size_t log_n, log_cap;
};

static struct gpt_oracle *running;

struct gpt_oracle *gpt_running(void)
{
	return running;
}

static void use(struct gpt_oracle *o)
{
	running = o;
	kshim_phys_use(o->phys);
	sme_me_mask = o->sme_mask;
}

void gpt_note(struct gpt_oracle *o, const struct gpt_ev *ev)
{
	if (o->log_n == o->log_cap) {
		size_t cap = o->log_cap ? 2 * o->log_cap : 64;
		struct gpt_ev *n = realloc(o->log, cap * sizeof(*n));
		if (!n)
			abort();
		o->log = n;
		o->log_cap = cap;
	}
	o->log[o->log_n++] = *ev;
}

const char *gpt_fmt_name(enum gpt_fmt f)
{
	return f < GPT_N_FMTS ? impls[f]->name : "?";
}

int gpt_create(enum gpt_fmt fmt, const struct gpt_cfg *cfg, uint64_t base, uint64_t len,
	       struct gpt_oracle **out)
{
	if (fmt >= GPT_N_FMTS)
		return -EINVAL;
	struct gpt_oracle *o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->impl = impls[fmt];
	o->sme_mask = cfg->sme_mask;
	o->phys = kshim_phys_new(base, len);
	if (!o->phys) {
		free(o);
		return -ENOMEM;
	}
	int rc;
	use(o);
	o->u = o->impl->create(o, cfg, &rc);
	if (!o->u) {
		gpt_shim_forget(o->phys);
		kshim_phys_delete(o->phys);
		free(o->log);
		free(o);
		running = NULL;
		return rc;
	}
	*out = o;
	return 0;
}

long gpt_destroy(struct gpt_oracle *o)
{
	if (!o)
		return 0;
	use(o);
	o->impl->destroy(o->u);
	long live = kshim_phys_stats(o->phys)->live_blocks;
	gpt_shim_forget(o->phys);
	kshim_phys_delete(o->phys);
	free(o->log);
	free(o);
	running = NULL;
	return live;
}

void gpt_info(struct gpt_oracle *o, struct gpt_info *info)
{
	use(o);
	o->impl->info(o->u, info);
}

int gpt_map_range(struct gpt_oracle *o, uint64_t iova, uint64_t pa, uint64_t len, unsigned prot,
		  uint64_t *mapped)
{
	use(o);
	return o->impl->map_range(o->u, iova, pa, len, prot, mapped);
}

uint64_t gpt_unmap(struct gpt_oracle *o, uint64_t iova, uint64_t len, bool queued)
{
	use(o);
	return o->impl->unmap(o->u, iova, len, queued);
}

int gpt_iommu_map(struct gpt_oracle *o, uint64_t iova, uint64_t pa, uint64_t len, unsigned prot)
{
	uint64_t mapped = 0;
	int rc = gpt_map_range(o, iova, pa, len, prot, &mapped);
	/* iommu_map_nosync(): a failed map is undone */
	if (rc)
		gpt_unmap(o, iova, mapped, false);
	return rc;
}

uint64_t gpt_iova_to_phys(struct gpt_oracle *o, uint64_t iova)
{
	use(o);
	return o->impl->iova_to_phys(o->u, iova);
}

void gpt_ranges(struct gpt_oracle *o, struct gpt_ranges *r)
{
	use(o);
	o->impl->ranges(o->u, r);
}

void gpt_count_leaves(struct gpt_oracle *o, uint64_t per_size[64])
{
	use(o);
	o->impl->count_leaves(o->u, per_size);
}

unsigned gpt_levels(struct gpt_oracle *o, struct gpt_level *out, unsigned max)
{
	use(o);
	return o->impl->levels(o->u, out, max);
}

size_t gpt_events(struct gpt_oracle *o, const struct gpt_ev **log)
{
	*log = o->log;
	return o->log_n;
}

void gpt_events_clear(struct gpt_oracle *o)
{
	o->log_n = 0;
}

void gpt_stats(struct gpt_oracle *o, struct gpt_stats *st)
{
	struct kshim_stats *k = kshim_phys_stats(o->phys);
	memset(st, 0, sizeof(*st));
	st->warns = k->warns;
	memcpy(st->last_warn, k->last_warn, sizeof(st->last_warn));
	memcpy(st->last_msg, k->last_msg, sizeof(st->last_msg));
	st->live_blocks = k->live_blocks;
	st->allocs = k->allocs;
	st->frees = k->frees;
}

const uint8_t *gpt_mem(struct gpt_oracle *o, uint64_t *base, uint64_t *len)
{
	*base = kshim_phys_base(o->phys);
	*len = kshim_phys_top(o->phys) - *base;
	return kshim_phys_buf(o->phys);
}

int gpt_load(struct gpt_oracle *o, const void *buf, uint64_t len)
{
	if (len > kshim_phys_len(o->phys))
		return -EFAULT;
	/* the buffer is the memory: written as the kernel's stores write it */
	memcpy((void *)kshim_phys_buf(o->phys), buf, len);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Between the generic_pt oracle's units: each gpt_unit_<fmt>.c compiles one
 * kernel format (their static names collide in one unit) and fills a
 * struct gpt_impl; gpt_oracle.c is the API over them. Plain C types only:
 * the units see the kernel's headers, gpt_oracle.c does not.
 */
#ifndef PGT_GPT_INT_H
#define PGT_GPT_INT_H

#include "gpt_oracle.h"

struct kshim_phys;
struct gpt_ranges;

struct gpt_impl {
	enum gpt_fmt fmt;
	const char *name;
	/* the format's init with the driver's set-up; NULL and *rc on refusal */
	void *(*create)(struct gpt_oracle *o, const struct gpt_cfg *cfg, int *rc);
	void (*destroy)(void *u);
	void (*info)(void *u, struct gpt_info *info);
	int (*map_range)(void *u, uint64_t iova, uint64_t pa, uint64_t len, unsigned prot,
			 uint64_t *mapped);
	uint64_t (*unmap)(void *u, uint64_t iova, uint64_t len, bool queued);
	uint64_t (*iova_to_phys)(void *u, uint64_t iova);
	void (*ranges)(void *u, struct gpt_ranges *r);
	void (*count_leaves)(void *u, uint64_t per_size[64]);
	unsigned (*levels)(void *u, struct gpt_level *out, unsigned max);
};

extern const struct gpt_impl gpt_impl_amdv1, gpt_impl_x86_64, gpt_impl_vtdss, gpt_impl_riscv64;

/* gpt_oracle.c: record an event of the instance */
void gpt_note(struct gpt_oracle *o, const struct gpt_ev *ev);
/* the instance whose call is running (clflush_cache_range has no context) */
struct gpt_oracle *gpt_running(void);

/* gpt_shim.c: page descriptors for a region, dropped with it */
void gpt_shim_forget(struct kshim_phys *m);

#endif

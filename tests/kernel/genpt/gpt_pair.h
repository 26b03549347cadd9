/* SPDX-License-Identifier: MIT */
/*
 * The kernel's generic_pt table and libpgt's, made with the same
 * configuration, their levels compared as the format describes them, and
 * driven in step (gpt_pair.c): every operation on both,
 * its results compared, and what the driver sees (iotlb_sync with its
 * gather, the AMD top change) compared call by call; at checkpoints every
 * descriptor of both tables (leaves raw, tables with their address
 * masked), the registers, and libpgt's reading of the kernel's memory
 * against the kernel's own walk. Only libpgt's public API is used.
 */
#ifndef PGT_GPT_PAIR_H
#define PGT_GPT_PAIR_H

#include "gpt_configs.h"
#include "gpt_kunit.h"
#include "pgt/pgt.h"

struct gpt_pair;

/* Both tables of config c (the kernel's memory at kbase, libpgt's arena at
 * abase); NULL and msg when either side failed, or they disagree on the
 * configuration. */
struct gpt_pair *gpt_pair_open(const struct gpt_config *c, uint64_t kbase, uint64_t abase,
			       char *msg, size_t len);
/* Close; returns the number of failed comparisons, first in msg. */
unsigned long gpt_pair_close(struct gpt_pair *p, char *msg, size_t len);

/* Does libpgt map the upper half of this sign-extended table (it refuses
 * it where the table is narrower than its levels, see gpt_pair.c)? */
bool gpt_pair_upper_half(const struct gpt_pair *p);

/* The pair as a gdom for the kunit cases (the kernel's answers returned). */
void gpt_pair_gdom(struct gpt_pair *p, struct gdom *g);

/* Every descriptor, the registers and libpgt's reading of the kernel's
 * table, compared now. */
void gpt_pair_compare(struct gpt_pair *p, const char *when);

/* Random map and unmap operations on both, compared. */
void gpt_pair_random(struct gpt_pair *p, unsigned nops, uint64_t seed);

/* Operations done, for the point's label. */
void gpt_pair_counts(const struct gpt_pair *p, char *buf, size_t len);

/* What a table holds (the kernel's walk): leaves by log2 size. */
void gpt_pair_kernel_leaves(struct gpt_pair *p, uint64_t per_size[64]);

#endif

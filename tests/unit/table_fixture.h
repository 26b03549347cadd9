// SPDX-License-Identifier: MIT
/*
 * A table on a fresh arena for the unit tests, with its TLB and driver
 * events logged as text ("walk IOVA SIZE GRANULE;", "page IOVA GRANULE;",
 * "WHAT IOVA SIZE;") so a test compares the kernel's sequence as one string.
 */
#ifndef PGT_TEST_TABLE_FIXTURE_H
#define PGT_TEST_TABLE_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../tools/open.h"

#define K4 0x1000ull
#define K16 0x4000ull
#define K64 0x10000ull
#define M1 0x100000ull
#define M2 0x200000ull
#define M16 0x1000000ull
#define M32 0x2000000ull
#define M512 0x20000000ull
#define G1 0x40000000ull

struct tbl {
	struct pgt_mem *arena;
	struct pgt_table *t;
	char log[8192];
	size_t len;
};

static inline void ev_walk(pgt_addr iova, uint64_t size, uint64_t granule, void *c)
{
	struct tbl *x = c;
	x->len += (size_t)snprintf(x->log + x->len, sizeof(x->log) - x->len, "walk %llx %llx %llx;",
				   (unsigned long long)iova, (unsigned long long)size,
				   (unsigned long long)granule);
}

static inline void ev_page(pgt_addr iova, uint64_t granule, void *c)
{
	struct tbl *x = c;
	x->len += (size_t)snprintf(x->log + x->len, sizeof(x->log) - x->len, "page %llx %llx;",
				   (unsigned long long)iova, (unsigned long long)granule);
}

static inline void ev_driver(const char *what, pgt_addr iova, uint64_t size, void *c)
{
	struct tbl *x = c;
	x->len += (size_t)snprintf(x->log + x->len, sizeof(x->log) - x->len, "%s %llx %llx;", what,
				   (unsigned long long)iova, (unsigned long long)size);
}

static const struct pgt_events tbl_events = {
	.flush_walk = ev_walk, .add_page = ev_page, .driver = ev_driver};

/* A table of the format with this configuration, its memory from base. */
static inline int make(struct tbl *x, const char *fmt, unsigned ias, unsigned oas, uint64_t bitmap,
		uint64_t quirks, bool coherent, pgt_addr base)
{
	struct pgt_cfg cfg;
	struct pgt_error err;
	pgt_cfg_init(&cfg);
	cfg.ias = ias;
	cfg.oas = oas;
	cfg.pgsize_bitmap = bitmap;
	cfg.quirks = quirks;
	cfg.coherent_walk = coherent;
	memset(x, 0, sizeof(*x));
	x->arena = t_arena(base);
	int rc = pgt_table_create(pgt_format_find(fmt), &cfg, x->arena, &x->t, &err);
	if (rc) {
		printf("# create %s: %s\n", fmt, err.msg);
		pgt_mem_destroy(x->arena);
		return rc;
	}
	pgt_table_set_events(x->t, &tbl_events, x);
	return 0;
}

static inline void drop(struct tbl *x)
{
	pgt_table_destroy(x->t);
	pgt_mem_destroy(x->arena);
}

static inline void clear_log(struct tbl *x)
{
	x->len = 0;
	x->log[0] = 0;
}

/* The raw leaf descriptor that translates iova, or 0. */
static inline uint64_t leaf_at(struct tbl *x, pgt_addr iova)
{
	struct pgt_walk w;
	if (!pgt_translate(x->t, iova, &w))
		return 0;
	return w.step[w.n_steps - 1].e.raw;
}

/* map_pages of one page; the error is printed unless it is EEXIST. */
static inline int map1(struct tbl *x, pgt_addr iova, pgt_addr pa, uint64_t pgsize, unsigned prot)
{
	struct pgt_error err;
	uint64_t mapped = 0;
	int rc = pgt_map_pages(x->t, iova, pa, pgsize, 1, prot, &mapped, &err);
	if (rc && rc != -EEXIST)
		printf("# map 0x%llx: %s\n", (unsigned long long)iova, err.msg);
	return rc;
}

#endif

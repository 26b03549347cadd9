/* SPDX-License-Identifier: MIT */
/*
 * libpgt's constructors in the shape a test reads best: the object, or
 * NULL with err (which may be NULL) saying why. The library hands objects
 * back through out-parameters (pgt/base.h, errors).
 */
#ifndef PGT_TESTS_OPEN_H
#define PGT_TESTS_OPEN_H

#include "internal.h"

static inline struct pgt_mem *t_arena(pgt_addr base)
{
	struct pgt_mem *m = NULL;
	pgt_arena_new(base, &m, NULL);
	return m;
}

static inline struct pgt_mem *t_rawfile(const char *path, pgt_addr base, struct pgt_error *err)
{
	struct pgt_mem *m = NULL;
	pgt_rawfile_open(path, base, &m, err);
	return m;
}

static inline struct pgt_mem *t_elfcore(const char *path, struct pgt_error *err)
{
	struct pgt_mem *m = NULL;
	pgt_elfcore_open(path, &m, err);
	return m;
}

static inline struct pgt_mem *t_kdump(const char *path, struct pgt_error *err)
{
	struct pgt_mem *m = NULL;
	pgt_kdump_open(path, &m, err);
	return m;
}

static inline struct pgt_mem *t_dump(const char *path, struct pgt_error *err)
{
	struct pgt_mem *m = NULL;
	pgt_dump_open(path, &m, err);
	return m;
}

static inline struct pgt_mem *t_union(struct pgt_mem **parts, size_t n, struct pgt_error *err)
{
	struct pgt_mem *m = NULL;
	pgt_mem_union(parts, n, &m, err);
	return m;
}

static inline struct pgt_iter *t_iter(struct pgt_table *t, pgt_addr lo, pgt_addr hi,
				      unsigned flags)
{
	struct pgt_iter *it = NULL;
	pgt_iter_new(t, lo, hi, flags, &it, NULL);
	return it;
}

static inline struct pgt_runs *t_runs(struct pgt_table *t, pgt_addr lo, pgt_addr hi,
				      bool by_pgsize,
				      int (*problem)(void *ctx, const struct pgt_problem *p),
				      void *ctx)
{
	struct pgt_runs *r = NULL;
	pgt_runs_new(t, lo, hi, by_pgsize, problem, ctx, &r, NULL);
	return r;
}

static inline struct pgt_fault_scanner *t_scanner(pgt_fault_found_fn fn, void *ctx)
{
	struct pgt_fault_scanner *s = NULL;
	pgt_fault_scanner_new(fn, ctx, &s, NULL);
	return s;
}

#endif

// SPDX-License-Identifier: MIT
/*
 * Scanning at every level count a format's tables can have. A table read
 * at the wrong count reads every level wrong, so the right count scores
 * best: a caller that does not know the count (no ias, no option of the
 * format's picking it) scans at each count the kernel builds the format
 * with and keeps, of a root found at several, its best reading.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine.h"

/* A candidate and the level count it was read at. */
struct found {
	struct pgt_scan_candidate c;
	unsigned levels;
};

/* Best first, as pgt_scan_with orders them. */
static int by_score(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	if (x->c.score != y->c.score)
		return x->c.score > y->c.score ? -1 : 1;
	return x->c.root < y->c.root ? -1 : x->c.root > y->c.root;
}

/* The same leaves: a tree read whole at two level counts, the deeper
 * through a page that points at the other's root (AMD-Vi's GCR3 table
 * read as a fifth level above the v2 table it names). */
static bool same_tree(const struct pgt_scan_candidate *a, const struct pgt_scan_candidate *b)
{
	return a->leaves == b->leaves && a->mapped == b->mapped && a->lo == b->lo &&
	       a->hi == b->hi && a->problems == b->problems;
}

/* Of one tree read at two level counts, the reading to keep: at the
 * count the format's tables have by default (a 4-level table whose top
 * has one entry is not its child's 3-level tree, nor is a 4-level table
 * a fifth level's under the GCR3 table above it), else at the fewer. */
static bool preferred(unsigned levels, unsigned other, unsigned dflt)
{
	return levels == dflt || (other != dflt && levels < other);
}

/* Add a scan's candidates at this level count to the best *n of top:
 * a root found at several counts is kept at the one it scores best at,
 * and a tree found at several (under different roots) at the one
 * preferred, whatever the extra table on top of the other scores. */
static void merge(struct found *best, size_t *n, size_t top, const struct pgt_scan_candidate *cand,
		  size_t n_cand, unsigned levels, unsigned dflt)
{
	for (size_t i = 0; i < n_cand; i++) {
		const struct found f = {cand[i], levels};
		size_t k = 0;
		while (k < *n && best[k].c.root != f.c.root &&
		       !(best[k].levels != levels && same_tree(&best[k].c, &f.c)))
			k++;
		if (k < *n && best[k].c.root != f.c.root) {
			if (!preferred(levels, best[k].levels, dflt))
				continue;
		} else if (k < *n) {
			if (best[k].c.score >= f.c.score)
				continue;
		} else if (*n < top) {
			k = (*n)++;
		} else if (top && by_score(&f, &best[top - 1]) < 0) {
			k = top - 1;
		} else {
			continue;
		}
		best[k] = f;
		qsort(best, *n, sizeof(*best), by_score);
	}
}

/* Scan with cfg into the best so far; the budget's -E2BIG keeps what the
 * scan found before it ran out. */
static int scan_one(const struct pgt_format *fmt, const struct pgt_cfg *cfg, struct pgt_mem *mem,
		    const struct pgt_scan_opts *opts, struct found *best, size_t *n, size_t top,
		    unsigned dflt, struct pgt_error *err)
{
	size_t n_cand = 0;
	struct pgt_scan_candidate *cand = calloc(top ? top : 1, sizeof(*cand));
	if (!cand)
		return pgt_fail(err, -ENOMEM, "out of memory");
	int rc = pgt_scan_with(fmt, cfg, mem, opts, cand, top, &n_cand, err);
	if (!rc || rc == -E2BIG)
		merge(best, n, top, cand, n_cand, pgt_config_levels(fmt, cfg), dflt);
	free(cand);
	return rc;
}

int pgt_scan_levels(const struct pgt_format *fmt, const struct pgt_cfg *cfg, struct pgt_mem *mem,
		    const struct pgt_scan_opts *opts, unsigned flags, struct pgt_scan_candidate *out,
		    unsigned *levels, size_t max_out, size_t *n_out, struct pgt_error *err)
{
	unsigned counts[PGT_MAX_LEVELS], n_counts = 0, tried = 0;
	if (flags & PGT_SCAN_EVERY_LEVEL_COUNT) {
		n_counts = pgt_format_level_counts(fmt, counts, PGT_MAX_LEVELS);
		if (n_counts > PGT_MAX_LEVELS)
			n_counts = PGT_MAX_LEVELS;
	}
	unsigned dflt = pgt_config_levels(fmt, cfg);
	struct found *best = calloc(max_out ? max_out : 1, sizeof(*best));
	size_t n = 0;
	int rc = best ? 0 : pgt_fail(err, -ENOMEM, "out of memory");
	*n_out = 0;
	for (unsigned i = 0; !rc && i < n_counts; i++) {
		struct pgt_cfg at = *cfg;
		/* a count the kernel's alloc refuses with the rest of the
		 * configuration is not tried */
		if (!pgt_cfg_set_levels(fmt, &at, counts[i], NULL) && pgt_config_levels(fmt, &at)) {
			tried++;
			rc = scan_one(fmt, &at, mem, opts, best, &n, max_out, dflt, err);
		}
	}
	/* refused at every count: the kernel's reason at the count cfg gives */
	if (!rc && !tried)
		rc = pgt_table_check_config(fmt, cfg, err);
	if (!rc && !tried)
		rc = scan_one(fmt, cfg, mem, opts, best, &n, max_out, dflt, err);
	if (!rc || rc == -E2BIG) {
		for (size_t i = 0; i < n; i++) {
			out[i] = best[i].c;
			if (levels)
				levels[i] = best[i].levels;
		}
		*n_out = n;
	}
	free(best);
	return rc;
}

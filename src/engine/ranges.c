// SPDX-License-Identifier: MIT
/* Coalescing leaves into runs: what dump prints and what diff compares. */
#include <errno.h>
#include <stdlib.h>

#include "engine.h"

struct pgt_runs {
	struct pgt_iter *it;
	bool by_pgsize;
	bool open, done;
	struct pgt_range r;
	int (*problem)(void *ctx, const struct pgt_problem *p);
	void *ctx;
};

struct pgt_runs *pgt_runs_new(struct pgt_table *t, pgt_addr lo, pgt_addr hi, bool by_pgsize,
			      int (*problem)(void *ctx, const struct pgt_problem *p), void *ctx)
{
	struct pgt_runs *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->it = pgt_iter_new(t, lo, hi, 0);
	if (!r->it) {
		free(r);
		return NULL;
	}
	r->by_pgsize = by_pgsize;
	r->problem = problem;
	r->ctx = ctx;
	return r;
}

/* Does the leaf continue the open run? */
static bool extends(const struct pgt_runs *r, const struct pgt_leaf *l)
{
	const struct pgt_range *g = &r->r;
	return r->open && l->iova == g->iova + g->size && l->pa == g->pa + g->size &&
	       l->prot == g->prot &&
	       (!r->by_pgsize || (l->size == g->pgsize && l->label == g->label));
}

int pgt_runs_next(struct pgt_runs *r, struct pgt_range *out)
{
	const struct pgt_item *item;
	int rc;
	while (!r->done) {
		rc = pgt_iter_next(r->it, &item);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			r->done = true;
			break;
		}
		if (item->kind == PGT_ITEM_PROBLEM) {
			if (r->problem && (rc = r->problem(r->ctx, &item->problem)))
				return rc < 0 ? rc : -ECANCELED;
			continue;
		}
		if (item->kind != PGT_ITEM_LEAF)
			continue;
		const struct pgt_leaf *l = &item->leaf;
		if (extends(r, l)) {
			struct pgt_range *g = &r->r;
			g->size += l->span;
			g->leaves++;
			if (l->size != g->pgsize)
				g->pgsize = 0;
			if (l->label != g->label)
				g->label = ~0u;
			continue;
		}
		bool had = r->open;
		struct pgt_range done = r->r;
		r->r = (struct pgt_range){l->iova, l->pa, l->span, l->prot, l->size, l->label, 1};
		r->open = true;
		if (had) {
			*out = done;
			return 1;
		}
	}
	if (!r->open)
		return 0;
	r->open = false;
	*out = r->r;
	return 1;
}

void pgt_runs_free(struct pgt_runs *r)
{
	if (!r)
		return;
	pgt_iter_free(r->it);
	free(r);
}

int pgt_walk_ranges(struct pgt_table *t, pgt_addr lo, pgt_addr hi, bool by_pgsize,
		    int (*fn)(void *ctx, const struct pgt_range *r),
		    int (*problem)(void *ctx, const struct pgt_problem *p), void *ctx)
{
	struct pgt_runs *r = pgt_runs_new(t, lo, hi, by_pgsize, problem, ctx);
	struct pgt_range g;
	int rc;
	if (!r)
		return -ENOMEM;
	while ((rc = pgt_runs_next(r, &g)) > 0)
		if ((rc = fn(ctx, &g)))
			break;
	pgt_runs_free(r);
	return rc;
}

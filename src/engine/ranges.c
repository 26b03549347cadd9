// SPDX-License-Identifier: MIT
/* Coalescing leaves into runs: what dump prints and what diff compares. */
#include "engine.h"

struct coalesce {
	bool by_pgsize;
	bool open;
	struct pgt_range r;
	int (*fn)(void *ctx, const struct pgt_range *r);
	int (*problem)(void *ctx, const struct pgt_problem *p);
	void *ctx;
};

static int flush(struct coalesce *c)
{
	if (!c->open)
		return 0;
	c->open = false;
	return c->fn(c->ctx, &c->r);
}

static int on_leaf(void *ctx, const struct pgt_leaf *l)
{
	struct coalesce *c = ctx;
	struct pgt_range *r = &c->r;
	if (c->open && l->iova == r->iova + r->size && l->pa == r->pa + r->size &&
	    l->prot == r->prot &&
	    (!c->by_pgsize || (l->size == r->pgsize && l->label == r->label))) {
		r->size += l->span;
		r->leaves++;
		if (l->size != r->pgsize)
			r->pgsize = 0;
		if (l->label != r->label)
			r->label = ~0u;
		return 0;
	}
	int rc = flush(c);
	if (rc)
		return rc;
	*r = (struct pgt_range){l->iova, l->pa, l->span, l->prot, l->size, l->label, 1};
	c->open = true;
	return 0;
}

static int on_problem(void *ctx, const struct pgt_problem *p)
{
	struct coalesce *c = ctx;
	return c->problem ? c->problem(c->ctx, p) : 0;
}

int pgt_walk_ranges(struct pgt_table *t, pgt_addr lo, pgt_addr hi, bool by_pgsize,
		    int (*fn)(void *ctx, const struct pgt_range *r),
		    int (*problem)(void *ctx, const struct pgt_problem *p), void *ctx)
{
	struct coalesce c = {.by_pgsize = by_pgsize, .fn = fn, .problem = problem, .ctx = ctx};
	struct pgt_visitor v = {.leaf = on_leaf, .problem = on_problem, .ctx = &c};
	int rc = pgt_walk_range(t, lo, hi, &v);
	if (rc)
		return rc;
	return flush(&c);
}

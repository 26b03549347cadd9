// SPDX-License-Identifier: MIT
/* Several memories seen as one: physical memory split across files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgt/mem.h"

struct piece {
	pgt_addr pa;
	uint64_t len;
	struct pgt_mem *part;
};

struct memunion {
	struct pgt_mem mem;
	struct pgt_mem **parts;
	size_t n_parts;
	struct piece *piece;
	size_t n_piece;
	struct pgt_mem *failed; /* the part whose read failed last */
};

static struct memunion *union_of(struct pgt_mem *mem)
{
	return (struct memunion *)mem;
}

static const struct piece *find_piece(struct memunion *u, pgt_addr pa)
{
	size_t lo = 0, hi = u->n_piece;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct piece *p = &u->piece[mid];
		if (pa < p->pa)
			hi = mid;
		else if (pa - p->pa >= p->len)
			lo = mid + 1;
		else
			return p;
	}
	return NULL;
}

/* The first piece ending after pa (n_piece if none). */
static size_t piece_after(const struct memunion *u, pgt_addr pa)
{
	size_t lo = 0, hi = u->n_piece;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct piece *p = &u->piece[mid];
		if (pa >= p->pa && pa - p->pa >= p->len)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool union_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out)
{
	struct memunion *u = union_of(mem);
	for (size_t i = piece_after(u, from); i < u->n_piece; i++) {
		const struct piece *p = &u->piece[i];
		struct pgt_mem_range r;
		if (!pgt_mem_data(p->part, from > p->pa ? from : p->pa, &r) ||
		    r.pa - p->pa >= p->len)
			continue;
		if (r.len > p->len - (r.pa - p->pa))
			r.len = p->len - (r.pa - p->pa);
		*out = r;
		return true;
	}
	return false;
}

static void *union_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	const struct piece *p = find_piece(union_of(mem), pa);
	return p ? pgt_mem_ptr(p->part, pa, len) : NULL;
}

static int union_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	struct memunion *u = union_of(mem);
	while (len) {
		const struct piece *p = find_piece(u, pa);
		if (!p)
			return -EFAULT;
		uint64_t n = p->pa + p->len - pa < len ? p->pa + p->len - pa : len;
		int rc = pgt_mem_read(p->part, pa, buf, n);
		if (rc) {
			u->failed = p->part;
			return rc;
		}
		buf = (uint8_t *)buf + n;
		pa += n;
		len -= n;
	}
	return 0;
}

static const char *union_why(struct pgt_mem *mem)
{
	struct memunion *u = union_of(mem);
	return u->failed ? pgt_mem_why(u->failed) : NULL;
}

static size_t union_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct memunion *u = union_of(mem);
	for (size_t i = 0; i < u->n_piece && i < max; i++)
		out[i] = (struct pgt_mem_range){u->piece[i].pa, u->piece[i].len};
	return u->n_piece;
}

static void union_destroy(struct pgt_mem *mem)
{
	struct memunion *u = union_of(mem);
	for (size_t i = 0; i < u->n_parts; i++)
		pgt_mem_destroy(u->parts[i]);
	free(u->parts);
	free(u->piece);
	free(u);
}

static const struct pgt_mem_ops union_ops = {
	.ptr = union_ptr,
	.read = union_read,
	.why = union_why,
	.ranges = union_ranges,
	.data = union_data,
	.destroy = union_destroy,
};

static int by_pa(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

struct pgt_mem *pgt_mem_union(struct pgt_mem **parts, size_t n, struct pgt_error *err)
{
	struct memunion *u = calloc(1, sizeof(*u));
	if (!u)
		goto oom;
	u->mem.ops = &union_ops;
	u->mem.name = n ? parts[0]->name : "memory";
	u->parts = calloc(n ? n : 1, sizeof(*parts));
	if (!u->parts)
		goto oom;
	memcpy(u->parts, parts, n * sizeof(*parts));
	u->n_parts = n;
	for (size_t i = 0; i < n; i++) {
		size_t k = pgt_mem_ranges(parts[i], NULL, 0);
		struct piece *np = realloc(u->piece, (u->n_piece + k + 1) * sizeof(*np));
		if (!np)
			goto oom;
		u->piece = np;
		struct pgt_mem_range *r = calloc(k + 1, sizeof(*r));
		if (!r)
			goto oom;
		pgt_mem_ranges(parts[i], r, k);
		for (size_t j = 0; j < k; j++)
			u->piece[u->n_piece++] = (struct piece){r[j].pa, r[j].len, parts[i]};
		free(r);
	}
	qsort(u->piece, u->n_piece, sizeof(*u->piece), by_pa);
	for (size_t i = 1; i < u->n_piece; i++) {
		const struct piece *a = &u->piece[i - 1], *b = &u->piece[i];
		if (b->pa - a->pa < a->len) {
			pgt_fail(err, -EINVAL, "%s and %s both hold physical address 0x%llx",
				 a->part->name, b->part->name, (unsigned long long)b->pa);
			union_destroy(&u->mem);
			return NULL;
		}
	}
	return &u->mem;
oom:
	pgt_fail(err, -ENOMEM, "out of memory");
	if (u)
		union_destroy(&u->mem);
	else
		for (size_t i = 0; i < n; i++)
			pgt_mem_destroy(parts[i]);
	return NULL;
}

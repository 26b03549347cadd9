// SPDX-License-Identifier: MIT
/*
 * pgt_translate_many gives every IOVA the walk pgt_translate gives it,
 * step for step, though its walks share the steps their IOVAs have in
 * common: many IOVAs in few upper-level tables, some where an upper level
 * is empty, ends in a block or lies outside the input range, under
 * several roots (DART), five levels (VT-d first stage), the upper half of
 * an LPAE space (TTBR1) and the 3-level AMD v1 of the benches.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../tools/open.h"

#include "unit/table_fixture.h"

enum { N = 5000 };

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static bool same_step(const struct pgt_walk_step *a, const struct pgt_walk_step *b)
{
	return a->depth == b->depth && a->label == b->label && a->index == b->index &&
	       a->table_pa == b->table_pa && a->desc_pa == b->desc_pa && a->e.kind == b->e.kind &&
	       a->e.raw == b->e.raw && a->e.pa == b->e.pa && a->e.size == b->e.size &&
	       a->e.prot == b->e.prot && a->e.count == b->e.count;
}

/* N IOVAs, each near one of the bases (within span), walked together and
 * one by one: the same walks? */
static void walks_agree(const char *what, struct tbl *x, const pgt_addr *base, size_t n_base,
			uint64_t span, bool some_outside)
{
	static pgt_addr iova[N];
	static struct pgt_walk *many[N];
	struct pgt_walk *one;
	uint64_t r = 0x9e3779b97f4a7c15ull;
	bool made = !pgt_walk_new(&one, NULL);
	for (size_t i = 0; i < N; i++) {
		iova[i] = base[rnd(&r) % n_base] + (rnd(&r) % span & ~0xfffull) + (i & 0xfff);
		made = made && !pgt_walk_new(&many[i], NULL);
	}
	OK(made, "%s: %u walks made", what, N);
	if (!made)
		return;
	size_t mapped = pgt_translate_many(x->t, iova, N, many), mapped_one = 0;
	unsigned differ = 0, stops[PGT_STOP_UNREADABLE + 1] = {0};
	for (size_t i = 0; i < N; i++) {
		mapped_one += pgt_translate(x->t, iova[i], one);
		const struct pgt_walk *m = many[i];
		bool same = pgt_walk_stop(m) == pgt_walk_stop(one) &&
			    pgt_walk_pa(m) == pgt_walk_pa(one) &&
			    pgt_walk_root(m) == pgt_walk_root(one) &&
			    pgt_walk_steps(m) == pgt_walk_steps(one) &&
			    !strcmp(pgt_walk_why(m), pgt_walk_why(one));
		for (unsigned s = 0; same && s < pgt_walk_steps(one); s++)
			same = same_step(pgt_walk_at(m, s), pgt_walk_at(one, s));
		if (!same && differ++ < 3)
			printf("# %s: 0x%llx walks differently in a batch (%s, %u steps) and alone "
			       "(%s, %u steps)\n",
			       what, (unsigned long long)iova[i], pgt_stop_name(pgt_walk_stop(m)),
			       pgt_walk_steps(m), pgt_stop_name(pgt_walk_stop(one)),
			       pgt_walk_steps(one));
		stops[pgt_walk_stop(one)]++;
	}
	EQ(differ, 0, "%s: every IOVA's walk in a batch is its walk alone", what);
	EQ(mapped, mapped_one, "%s: as many translate (%zu)", what, mapped_one);
	OK(stops[PGT_STOP_LEAF] && stops[PGT_STOP_EMPTY],
	   "%s: some translate (%u), some stop at an empty entry (%u)", what, stops[PGT_STOP_LEAF],
	   stops[PGT_STOP_EMPTY]);
	if (some_outside)
		OK(stops[PGT_STOP_RANGE], "%s: some are outside the input range (%u)", what,
		   stops[PGT_STOP_RANGE]);
	for (size_t i = 0; i < N; i++)
		pgt_walk_free(many[i]);
	pgt_walk_free(one);
}

/* Pages in runs, with holes, under the first n bases; a block at the
 * next when block is given. */
static void map_runs(struct tbl *x, const pgt_addr *base, size_t n, uint64_t block)
{
	for (size_t b = 0; b < n; b++)
		for (uint64_t off = 0; off < 64 * K4; off += K4)
			if (off % (8 * K4) != 7 * K4)
				map1(x, base[b] + off, 0x100000000ull + b * M2 + off, K4,
				     PGT_READ | PGT_WRITE);
	if (block)
		map1(x, base[n], 0x200000000ull, block, PGT_READ);
}

/* A table, the bases its IOVAs are near, how many of them get runs of
 * pages (the next one a block of this size, if any; the rest nothing, or
 * outside the range), and the span of IOVAs about each base. */
struct case_ {
	const char *what, *format;
	unsigned ias, oas;
	uint64_t quirks;
	pgt_addr base[5];
	size_t n_base, n_runs;
	uint64_t block, span;
	bool some_outside;
};

static const struct case_ cases[] = {
	{"amd-iommu-v1", "amd-iommu-v1", 32, 52, 0,
	 {0x0, 0x40000000, 0x80200000, 0xc0000000, 0x7fe00000}, 5, 4, M2, 1ull << 20, false},
	/* four levels: the steps shared are the top two, decided by IOVA bits 30 up */
	{"amd-iommu-v2", "amd-iommu-v2", 48, 52, 0,
	 {0x0, 0x40000000, 0x8000000000ull, 0x7fff40000000ull, 0x1000000000ull}, 5, 4, G1,
	 1ull << 30, false},
	/* four roots, one a GiB */
	{"apple-dart", "apple-dart", 32, 36, 0, {0x1000000, 0x40000000, 0xc0200000, 0x80000000}, 4,
	 3, 0, 1ull << 22, false},
	{"intel-vtd-fs", "intel-vtd-fs", 57, 52, 0,
	 {0x0, 0x7fffffe00000ull, 0x100000000000000ull, 0xffffffc0000000ull, 0x40000000}, 5, 4, G1,
	 1ull << 31, false},
	/* the upper half, and IOVAs of the lower one, outside its range */
	{"arm-64-lpae-s1 TTBR1", "arm-64-lpae-s1", 48, 48, PGT_QUIRK_ARM_TTBR1,
	 {0xffff000000000000ull, 0xffff800040000000ull, 0xffffffffc0000000ull,
	  0xffff000080000000ull, 0x40000000},
	 5, 3, G1, 1ull << 30, true},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		uint64_t pages = !strcmp(c->format, "apple-dart") ? K4 : K4 | M2 | G1;
		struct tbl x;
		if (make(&x, c->format, c->ias, c->oas, pages, c->quirks, true, 0x80000000)) {
			OK(0, "%s is made", c->what);
			continue;
		}
		map_runs(&x, c->base, c->n_runs, c->block);
		walks_agree(c->what, &x, c->base, c->n_base, c->span, c->some_outside);
		drop(&x);
	}
	return t_done();
}

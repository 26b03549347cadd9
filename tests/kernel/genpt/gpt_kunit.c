// SPDX-License-Identifier: MIT
/*
 * The generic_pt IOMMU kunit cases as test vectors (see gpt_kunit.h). Each
 * follows its namesake in Linux 7.3's kunit_iommu_pt.h step by step, with
 * one difference: the page sizes are the domain's (domain->pgsize_bitmap,
 * after the driver narrowed it) rather than the format's get_info(), so
 * that a driver's configuration (AMD's v2_pgsizes_only, VT-d's sslps) can
 * run them. Randomness is the test's own generator, seeded per case.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt_kunit.h"

#define RW 3u /* IOMMU_READ | IOMMU_WRITE */
#define SZ_4K (1ull << 12)
#define SZ_2G (1ull << 31)
#define SZ_16G (1ull << 34)
#define SZ_1G (1ull << 30)
/* lib/maple_tree.c: the reference tree cannot hold index 0..4095 */
#define MAPLE_RESERVED_RANGE 4096

/* The kunit's per-test priv, from the domain's facts. */
struct gk {
	struct gdom *g;
	struct gk_result *r;
	unsigned smallest_lg2;
	uint64_t smallest;
	uint64_t test_oa;
	uint64_t safe_pgsize_bitmap;
	uint64_t rnd;
	bool stop; /* a KUNIT_ASSERT failed: the case ends */
};

static uint64_t lg2_mod(uint64_t a, unsigned lg2)
{
	return lg2 >= 64 ? a : a & ((1ull << lg2) - 1);
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static void gk_init(struct gk *k, struct gdom *g, struct gk_result *r, uint64_t seed)
{
	memset(k, 0, sizeof(*k));
	memset(r, 0, sizeof(*r));
	k->g = g;
	k->r = r;
	k->smallest_lg2 = (unsigned)__builtin_ctzll(g->pgsize_bitmap);
	k->smallest = 1ull << k->smallest_lg2;
	k->test_oa = lg2_mod(0x74a71445deadbeefull, g->max_oasz);
	k->safe_pgsize_bitmap = lg2_mod(g->pgsize_bitmap, g->max_vasz - 1);
	k->rnd = seed | 1;
}

/* KUNIT_ASSERT_*: on failure the rest of the case is not run. */
static bool gk_assert(struct gk *k, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool gk_assert(struct gk *k, bool ok, const char *fmt, ...)
{
	k->r->n++;
	if (ok)
		return true;
	if (!k->r->fails++) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(k->r->first, sizeof(k->r->first), fmt, ap);
		va_end(ap);
	}
	k->stop = true;
	return false;
}

static void gk_skip(struct gk *k)
{
	k->r->skipped = true;
	k->stop = true;
}

static uint32_t rnd_u32(struct gk *k)
{
	k->rnd ^= k->rnd << 13;
	k->rnd ^= k->rnd >> 7;
	k->rnd ^= k->rnd << 17;
	return (uint32_t)(k->rnd >> 16);
}

/* get_random_u32_below() */
static uint32_t rnd_below(struct gk *k, uint64_t n)
{
	return n ? (uint32_t)(rnd_u32(k) % n) : 0;
}

static void do_map(struct gk *k, uint64_t va, uint64_t pa, uint64_t len)
{
	if (k->stop)
		return;
	int rc = k->g->ops->map(k->g->d, va, pa, len, RW);
	gk_assert(k, rc == 0, "map(0x%llx, 0x%llx, 0x%llx): errno %d", (unsigned long long)va,
		  (unsigned long long)pa, (unsigned long long)len, rc);
}

static void do_unmap(struct gk *k, uint64_t va, uint64_t len)
{
	if (k->stop)
		return;
	uint64_t n = k->g->ops->unmap(k->g->d, va, len);
	gk_assert(k, n == len, "unmap(0x%llx, 0x%llx) unmapped 0x%llx", (unsigned long long)va,
		  (unsigned long long)len, (unsigned long long)n);
}

/* check_iova(): every smallest page of the range translates in step. The
 * kunit checks every page; ranges of more than CHECK_PAGES pages are
 * checked at their first and last CHECK_PAGES / 4 pages and at CHECK_PAGES
 * / 2 pages drawn at random, which keeps a run of every configuration in
 * seconds. */
#define CHECK_PAGES 4096u

static bool check_page(struct gk *k, uint64_t va, uint64_t pa)
{
	uint64_t res = k->g->ops->iova_to_phys(k->g->d, va);
	return gk_assert(k, res == pa, "iova_to_phys(0x%llx) = 0x%llx, not 0x%llx",
			 (unsigned long long)va, (unsigned long long)res, (unsigned long long)pa);
}

static uint32_t rnd_u32(struct gk *k);

static void check_iova(struct gk *k, uint64_t va, uint64_t pa, uint64_t len)
{
	uint64_t pages = len >> k->smallest_lg2;
	if (pages <= CHECK_PAGES) {
		for (uint64_t i = 0; i < pages && !k->stop; i++)
			check_page(k, va + i * k->smallest, pa + i * k->smallest);
		return;
	}
	for (uint64_t i = 0; i < CHECK_PAGES / 4 && !k->stop; i++) {
		uint64_t j = pages - 1 - i;
		if (check_page(k, va + i * k->smallest, pa + i * k->smallest))
			check_page(k, va + j * k->smallest, pa + j * k->smallest);
	}
	for (unsigned n = 0; n < CHECK_PAGES / 2 && !k->stop; n++) {
		uint64_t i = (((uint64_t)rnd_u32(k) << 32) | rnd_u32(k)) % pages;
		check_page(k, va + i * k->smallest, pa + i * k->smallest);
	}
}

static uint64_t count_valids(struct gk *k)
{
	uint64_t per[64], total = 0;
	k->g->ops->count_leaves(k->g->d, per);
	for (unsigned i = 0; i < 64; i++)
		total += per[i];
	return total;
}

/* count_valids_single(): only pgsz is present */
static uint64_t count_valids_single(struct gk *k, uint64_t pgsz)
{
	uint64_t per[64], total = 0;
	k->g->ops->count_leaves(k->g->d, per);
	for (unsigned i = 0; i < 64; i++) {
		if ((1ull << i) == pgsz)
			total = per[i];
		else if (!gk_assert(k, per[i] == 0, "%llu leaves of 2^%u besides those of 0x%llx",
				    (unsigned long long)per[i], i, (unsigned long long)pgsz))
			break;
	}
	return total;
}

static struct gpt_ranges ranges(struct gk *k)
{
	struct gpt_ranges r;
	k->g->ops->ranges(k->g->d, &r);
	return r;
}

static void test_increase_level(struct gdom *g, struct gk_result *r, uint64_t seed)
{
	struct gk k;
	gk_init(&k, g, r, seed);
	if (!g->dynamic_top || g->max_vasz <= ranges(&k).max_vasz) {
		gk_skip(&k);
		return;
	}
	while (!k.stop && g->max_vasz != ranges(&k).max_vasz) {
		struct gpt_ranges top = ranges(&k);
		if (top.va == 0)
			do_map(&k, top.last + 1, 0, k.smallest);
		else
			do_map(&k, top.va - k.smallest, 0, k.smallest);
		struct gpt_ranges now = ranges(&k);
		gk_assert(&k, now.top_level == top.top_level + 1, "top level %u after %u",
			  now.top_level, top.top_level);
		gk_assert(&k, g->max_vasz >= now.max_vasz, "top range of 2^%u past max_vasz %u",
			  now.max_vasz, g->max_vasz);
	}
}

static void test_map_simple(struct gdom *g, struct gk_result *r, uint64_t seed)
{
	struct gk k;
	gk_init(&k, g, r, seed);
	struct gpt_ranges range = ranges(&k);
	uint64_t bitmap = k.safe_pgsize_bitmap, cur_va = range.va + k.smallest * 256;

	for (unsigned lg2 = 0; lg2 < 64 && !k.stop; lg2++) {
		uint64_t len = 1ull << lg2, paddr = k.test_oa & ~(len - 1);
		if (!(bitmap & len))
			continue;
		cur_va = align_up(cur_va, len);
		do_map(&k, cur_va, paddr, len);
		if (len <= SZ_2G)
			check_iova(&k, cur_va, paddr, len);
		cur_va += len;
	}

	uint64_t per[64];
	g->ops->count_leaves(g->d, per);
	for (unsigned lg2 = 0; lg2 < 64 && !k.stop; lg2++)
		gk_assert(&k, per[lg2] == (bitmap >> lg2 & 1), "%llu leaves of 2^%u",
			  (unsigned long long)per[lg2], lg2);

	range = ranges(&k);
	cur_va = range.va + k.smallest * 256;
	for (unsigned lg2 = 0; lg2 < 64 && !k.stop; lg2++) {
		uint64_t len = 1ull << lg2;
		if (!(bitmap & len))
			continue;
		cur_va = align_up(cur_va, len);
		do_unmap(&k, cur_va, len);
		cur_va += len;
	}
	if (!k.stop)
		gk_assert(&k, count_valids(&k) == 0, "leaves left after unmapping all");
}

static void test_map_table_to_oa(struct gdom *g, struct gk_result *r, uint64_t seed)
{
	struct gk k;
	gk_init(&k, g, r, seed);
	uint64_t limited = g->pgsize_bitmap % SZ_16G;
	struct gpt_ranges range = ranges(&k);
	uint64_t max_pgsize = 1ull << (63 - __builtin_clzll(limited));

	for (unsigned lg2 = 0; lg2 < 64 && !k.stop; lg2++) {
		uint64_t len = 1ull << lg2, paddr = k.test_oa & ~(len - 1);
		if (!(g->pgsize_bitmap & len))
			continue;
		if (len > max_pgsize)
			break;
		uint64_t cur_va = align_up(range.va + k.smallest * 256, max_pgsize);
		for (uint64_t off = 0; off != max_pgsize && !k.stop; off += len)
			do_map(&k, cur_va + off, paddr + off, len);
		check_iova(&k, cur_va, paddr, max_pgsize);
		uint64_t n = count_valids_single(&k, len);
		gk_assert(&k, n == max_pgsize >> lg2, "%llu leaves of 0x%llx, not %llu",
			  (unsigned long long)n, (unsigned long long)len,
			  (unsigned long long)(max_pgsize >> lg2));
		if (len == max_pgsize) {
			do_unmap(&k, cur_va, max_pgsize);
		} else {
			do_unmap(&k, cur_va, max_pgsize / 2);
			for (uint64_t off = max_pgsize / 2; off != max_pgsize && !k.stop; off += len)
				do_unmap(&k, cur_va + off, len);
		}
		if (!k.stop)
			gk_assert(&k, count_valids(&k) == 0, "leaves left after 0x%llx pages",
				  (unsigned long long)len);
	}
}

static void test_unmap_split(struct gdom *g, struct gk_result *r, uint64_t seed)
{
	struct gk k;
	gk_init(&k, g, r, seed);
	struct gpt_ranges top = ranges(&k);
	uint64_t bitmap = k.safe_pgsize_bitmap;
	unsigned count = 0;

	for (unsigned lg2 = 0; lg2 < 64 && !k.stop; lg2++) {
		uint64_t base_len = 1ull << lg2;
		if (!(bitmap & base_len))
			continue;
		for (unsigned next = lg2 + 1; next < 64 && !k.stop; next++) {
			uint64_t next_len = 1ull << next, vaddr = top.va, n;
			if (!(bitmap & next_len))
				continue;
			do_map(&k, vaddr, 0, next_len);
			if (k.stop)
				break;
			n = g->ops->unmap(g->d, vaddr, base_len);
			gk_assert(&k, n == next_len, "unmap 0x%llx of a 0x%llx page gave 0x%llx",
				  (unsigned long long)base_len, (unsigned long long)next_len,
				  (unsigned long long)n);
			/* unmap does not keep going */
			do_map(&k, vaddr, 0, next_len);
			do_map(&k, vaddr + next_len, 0, next_len);
			if (k.stop)
				break;
			n = g->ops->unmap(g->d, vaddr, base_len);
			gk_assert(&k, n == next_len, "unmap 0x%llx of the first of two 0x%llx pages "
				  "gave 0x%llx", (unsigned long long)base_len,
				  (unsigned long long)next_len, (unsigned long long)n);
			if (k.stop)
				break;
			n = g->ops->unmap(g->d, vaddr + next_len, next_len);
			gk_assert(&k, n == next_len, "unmap of the second 0x%llx page gave 0x%llx",
				  (unsigned long long)next_len, (unsigned long long)n);
			count++;
		}
	}
	if (!k.stop && count == 0)
		gk_skip(&k);
}

/* The reference of test_random_map (the kunit's maple tree): disjoint
 * ranges [start, last] that are mapped. */
struct ref {
	uint64_t (*v)[2];
	size_t n, cap;
};

static void ref_insert(struct ref *t, uint64_t start, uint64_t last)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		if (!t->v)
			abort();
	}
	size_t i = t->n;
	while (i && t->v[i - 1][0] > start) {
		t->v[i][0] = t->v[i - 1][0];
		t->v[i][1] = t->v[i - 1][1];
		i--;
	}
	t->v[i][0] = start;
	t->v[i][1] = last;
	t->n++;
}

/* unmap_collisions(): every reference range meeting [start, last]
 * checked and unmapped whole */
static void unmap_collisions(struct gk *k, struct ref *t, uint64_t start, uint64_t last)
{
	size_t i = 0;
	while (i < t->n && !k->stop) {
		uint64_t s = t->v[i][0], l = t->v[i][1];
		if (l < start || s > last) {
			i++;
			continue;
		}
		memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
		t->n--;
		uint64_t pa = lg2_mod(s, k->g->max_oasz);
		check_iova(k, s, pa, l - s + 1);
		do_unmap(k, s, l - s + 1);
	}
}

static void clamp_range(struct gk *k, uint64_t *va, uint64_t *last)
{
	if (*last - *va > SZ_1G)
		*last = *va + SZ_1G;
	if (*va <= MAPLE_RESERVED_RANGE)
		*va = align_up(MAPLE_RESERVED_RANGE, k->smallest);
}

static void test_random_map(struct gdom *g, struct gk_result *r, uint64_t seed)
{
	struct gk k;
	gk_init(&k, g, r, seed);
	struct gpt_ranges rg = ranges(&k);
	uint64_t lo[2] = {rg.va, rg.upper_va}, hi[2] = {rg.last, rg.upper_last};
	struct ref t = {0};

	clamp_range(&k, &lo[0], &hi[0]);
	clamp_range(&k, &lo[1], &hi[1]);
	for (unsigned iter = 0; iter != 1000 && !k.stop; iter++) {
		unsigned w = g->sign_extend && (rnd_u32(&k) & 1);
		uint64_t span = hi[w] - lo[w];
		uint64_t start = rnd_below(&k, span < UINT32_MAX ? span : UINT32_MAX);
		uint64_t rest = hi[w] - start;
		uint64_t end = rnd_below(&k, rest < UINT32_MAX ? rest : UINT32_MAX);

		start &= ~(k.smallest - 1);
		end = align_up(end, k.smallest);
		start += lo[w];
		end += start;
		if (start < lo[w] || end > hi[w] + 1 || start >= end)
			continue;

		/* overmapping tests the failure handling */
		uint64_t pa = lg2_mod(start, g->max_oasz);
		int rc = g->ops->map(g->d, start, pa, end - start, RW);
		if (rc) {
			if (!gk_assert(&k, rc == -EADDRINUSE, "map(0x%llx, 0x%llx): errno %d",
				       (unsigned long long)start, (unsigned long long)(end - start), rc))
				break;
			unmap_collisions(&k, &t, start, end - 1);
			do_map(&k, start, pa, end - start);
		}
		ref_insert(&t, start, end - 1);
		check_iova(&k, start, pa, end - start);
	}
	unmap_collisions(&k, &t, 0, UINT64_MAX);
	if (!k.stop)
		gk_assert(&k, count_valids(&k) == 0, "leaves left after unmapping all");
	free(t.v);
}

/* https://lore.kernel.org/r/b9b18a03-63a2-4065-a27e-d92dd5c860bc@amd.com */
static void test_pgsize_boundary(struct gdom *g, struct gk_result *r, uint64_t seed)
{
	struct gk k;
	gk_init(&k, g, r, seed);
	struct gpt_ranges top = ranges(&k);
	if (top.va != 0 || top.last < 0xfef9ffff || k.smallest != SZ_4K) {
		gk_skip(&k);
		return;
	}
	do_map(&k, 0xfef80000, 0x208b95d000, 0xfef9ffff - 0xfef80000 + 1);
}

/* https://lore.kernel.org/r/20250826143816.38686-1-eugkoira@amazon.com */
static void test_mixed(struct gdom *g, struct gk_result *r, uint64_t seed)
{
	struct gk k;
	gk_init(&k, g, r, seed);
	struct gpt_ranges top = ranges(&k);
	uint64_t start = 0x3fe400ull << 12, end = 0x4c0600ull << 12, len = end - start;
	uint64_t mask_30_21 = ((1ull << 31) - 1) & ~((1ull << 21) - 1);

	if (top.last <= start ||
	    (k.safe_pgsize_bitmap & mask_30_21) != ((1ull << 30) | (1ull << 21))) {
		gk_skip(&k);
		return;
	}
	do_map(&k, start, start, len);
	/* 14 2M, 3 1G, 3 2M */
	if (!k.stop)
		gk_assert(&k, count_valids(&k) == 20, "%llu leaves, not 20",
			  (unsigned long long)count_valids(&k));
	check_iova(&k, start, start, len);
}

const struct gk_case gk_cases[] = {
	{"test_increase_level", test_increase_level},
	{"test_map_simple", test_map_simple},
	{"test_map_table_to_oa", test_map_table_to_oa},
	{"test_unmap_split", test_unmap_split},
	{"test_random_map", test_random_map},
	{"test_pgsize_boundary", test_pgsize_boundary},
	{"test_mixed", test_mixed},
};
const unsigned gk_n_cases = sizeof(gk_cases) / sizeof(gk_cases[0]);

// SPDX-License-Identifier: MIT
/*
 * make bench: the engine's hot paths on arm-64-lpae-s1 with the 4K
 * granule. Map and unmap of 1 GiB and 4 GiB of 4K pages, translation of a
 * million random IOVAs, and a walk of a table with a million leaves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pgt/pgt.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static struct pgt_table *fresh(struct pgt_mem **arena)
{
	struct pgt_cfg cfg;
	struct pgt_error err;
	struct pgt_table *t;
	pgt_cfg_init(&cfg);
	cfg.ias = 48;
	cfg.oas = 48;
	cfg.pgsize_bitmap = 0x40201000;
	*arena = pgt_arena_new(0x80000000);
	if (pgt_table_create(pgt_format_find("arm-64-lpae-s1"), &cfg, *arena, &t, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		exit(1);
	}
	return t;
}

static int count_leaf(void *ctx, const struct pgt_leaf *l)
{
	(void)l;
	(*(uint64_t *)ctx)++;
	return 0;
}

static int count_range(void *ctx, const struct pgt_range *r)
{
	(void)r;
	(*(uint64_t *)ctx)++;
	return 0;
}

static void row(const char *what, double ns, uint64_t n, const char *unit)
{
	printf("  %-46s %9.2f ns/%s  (%llu in %.1f ms)\n", what, ns / (double)n, unit,
	       (unsigned long long)n, ns / 1e6);
}

static void map_unmap(uint64_t bytes, const char *label)
{
	struct pgt_mem *arena;
	struct pgt_table *t = fresh(&arena);
	struct pgt_error err;
	struct pgt_unmap_opts o = {PGT_SPLIT_REFUSE, true, false};
	uint64_t pages = bytes >> 12;
	char what[80];

	double t0 = now();
	if (pgt_map(t, 0x100000000ull, 0x4000000000ull, bytes, PGT_READ | PGT_WRITE, 0x1000, 0,
		    &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		exit(1);
	}
	double t1 = now();
	snprintf(what, sizeof(what), "map %s of 4K pages (iommu_map)", label);
	row(what, t1 - t0, pages, "page");

	/* unmap_pages in 4K pages: each leaf cleared, tables kept */
	t0 = now();
	uint64_t done = 0;
	while (done < bytes) {
		uint64_t got = pgt_unmap_pages(t, 0x100000000ull + done, 0x1000, (bytes - done) >> 12,
					       &o, &err);
		if (!got) {
			fprintf(stderr, "bench: %s\n", err.msg);
			exit(1);
		}
		done += got;
	}
	t1 = now();
	snprintf(what, sizeof(what), "unmap %s of 4K pages (unmap_pages, 4K)", label);
	row(what, t1 - t0, pages, "page");
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
}

int main(void)
{
	printf("pgtctl engine benchmark: arm-64-lpae-s1, 4K granule, ias/oas 48\n");
	map_unmap(1ull << 30, "1 GiB");
	map_unmap(4ull << 30, "4 GiB");

	struct pgt_mem *arena;
	struct pgt_table *t = fresh(&arena);
	struct pgt_error err;
	const uint64_t bytes = 4ull << 30, pages = bytes >> 12;
	if (pgt_map(t, 0, 0x4000000000ull, bytes, PGT_READ | PGT_WRITE, 0x1000, 0, &err))
		return 1;

	/* translate a million random IOVAs in the 4 GiB */
	const unsigned n = 1000000;
	uint64_t *iova = malloc(n * sizeof(*iova)), x = 0x9e3779b97f4a7c15ull, sum = 0;
	for (unsigned i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		iova[i] = x % bytes;
	}
	double t0 = now();
	for (unsigned i = 0; i < n; i++)
		sum += pgt_iova_to_phys(t, iova[i]);
	double t1 = now();
	row("translate, random IOVAs (iova_to_phys)", t1 - t0, n, "iova");
	struct pgt_walk w;
	t0 = now();
	for (unsigned i = 0; i < n; i++)
		sum += pgt_translate(t, iova[i], &w);
	t1 = now();
	row("translate with the full walk record", t1 - t0, n, "iova");

	uint64_t leaves = 0, ranges = 0;
	struct pgt_visitor v = {.leaf = count_leaf, .ctx = &leaves};
	t0 = now();
	pgt_walk_range(t, 0, pgt_table_iova_max(t), &v);
	t1 = now();
	row("walk every leaf (dump --leaves)", t1 - t0, leaves, "leaf");
	t0 = now();
	pgt_walk_ranges(t, 0, pgt_table_iova_max(t), true, count_range, NULL, &ranges);
	t1 = now();
	row("walk and coalesce leaves (dump)", t1 - t0, leaves, "leaf");

	struct pgt_mem *a2;
	struct pgt_table *copy;
	t0 = now();
	if (pgt_table_clone(t, 0x80000000, &a2, &copy, &err))
		return 1;
	t1 = now();
	row("canonical copy of the table (image write)", t1 - t0, pages, "leaf");
	printf("  (%llu leaves in %llu range%s; checksum %llx)\n", (unsigned long long)leaves,
	       (unsigned long long)ranges, ranges == 1 ? "" : "s", (unsigned long long)sum);
	pgt_table_destroy(copy);
	pgt_mem_destroy(a2);
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	free(iova);
	return 0;
}

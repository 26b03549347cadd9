// SPDX-License-Identifier: MIT
/*
 * libpgt from outside, with nothing but its installed headers and library:
 *
 *   walk                 build an arm-64-lpae-s1 table in memory (a 2M
 *                        block and a 4K page), translate in it, list what
 *                        it maps; then read the same table through memory
 *                        of callbacks, as a debugger or an emulator would
 *                        hand it over, and translate again
 *   walk IMAGE IOVA...   translate IOVAs in an IMAGE file (pgtctl build)
 *
 * Build it against an installed libpgt:
 *
 *   cc -o walk walk.c $(pkg-config --cflags --libs libpgt)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <pgt/pgt.h>

static int fail(const char *what, const struct pgt_error *err)
{
	fprintf(stderr, "walk: %s: %s\n", what, pgt_error_message(err));
	return 1;
}

/* One IOVA: "0x... -> 0x... (4K page, level 3)" or why it is not mapped. */
static void translate(struct pgt_table *t, struct pgt_walk *w, pgt_addr iova)
{
	char size[24];
	if (!pgt_translate(t, iova, w)) {
		printf("0x%" PRIx64 " not mapped: %s\n", iova, pgt_walk_why(w));
		return;
	}
	const struct pgt_walk_step *leaf = pgt_walk_at(w, pgt_walk_steps(w) - 1);
	printf("0x%" PRIx64 " -> 0x%" PRIx64 " (%s page, level %u)\n", iova, pgt_walk_pa(w),
	       pgt_fmt_size(leaf->e.size, size), leaf->label);
}

static int print_range(void *ctx, const struct pgt_range *r)
{
	char size[24], prot[8];
	(void)ctx;
	printf("map 0x%" PRIx64 " -> 0x%" PRIx64 " %s %s\n", r->iova, r->pa,
	       pgt_fmt_size(r->size, size), pgt_prot_letters(r->prot, prot));
	return 0;
}

/* Memory of callbacks: here the bytes of another memory, read with
 * pgt_mem_read; a debugger would read the machine's. */
static int read_other(void *ctx, pgt_addr pa, void *buf, uint64_t len, struct pgt_error *err)
{
	int rc = pgt_mem_read(ctx, pa, buf, len);
	return rc ? pgt_fail(err, rc, "no memory at 0x%" PRIx64, pa) : 0;
}

static size_t ranges_of_other(void *ctx, struct pgt_mem_range *out, size_t max)
{
	return pgt_mem_ranges(ctx, out, max);
}

static int in_memory(struct pgt_error *err)
{
	const struct pgt_format *fmt = pgt_format_find("arm-64-lpae-s1");
	struct pgt_mem *arena = NULL, *seen = NULL;
	struct pgt_table *t = NULL, *again = NULL;
	struct pgt_cfg *cfg = NULL;
	struct pgt_walk *w = NULL;
	pgt_addr roots[PGT_MAX_ROOTS];
	int status = 1;

	if (pgt_format_default_cfg(fmt, PGT_KERNEL_DEFAULT, &cfg, err) ||
	    pgt_cfg_set(cfg, PGT_CFG_IAS, 39, err) || pgt_arena_new(0x80000000, &arena, err) ||
	    pgt_table_create(fmt, cfg, arena, &t, err) || pgt_walk_new(&w, err)) {
		fail("a new table", err);
		goto out;
	}
	if (pgt_map(t, 0x10000000, 0x880000000, 2 << 20, PGT_READ | PGT_WRITE, 0, 0, err) ||
	    pgt_map(t, 0x40001000, 0x90001000, 4096, PGT_READ, 0, 0, err)) {
		fail("map", err);
		goto out;
	}
	printf("format %s, Linux %s, %u levels\n", pgt_format_name(pgt_table_format(t)),
	       pgt_kernel_name(pgt_table_kernel(t)), pgt_geometry_levels(pgt_table_geometry(t)));
	translate(t, w, 0x10012345);
	translate(t, w, 0x40001abc);
	translate(t, w, 0x50000000);
	if (pgt_walk_ranges(t, pgt_table_iova_min(t), pgt_table_iova_max(t), false, print_range,
			    NULL, NULL))
		goto out;

	const struct pgt_mem_callbacks cb = {.read = read_other, .ranges = ranges_of_other};
	unsigned n = pgt_table_roots(t, roots, PGT_MAX_ROOTS);
	if (pgt_mem_new("callbacks", &cb, arena, &seen, err) ||
	    pgt_table_attach(fmt, pgt_table_cfg(t), seen, roots, n, &again, err)) {
		fail("the table through callbacks", err);
		goto out;
	}
	printf("through callbacks:\n");
	translate(again, w, 0x10012345);
	translate(again, w, 0x40001abc);
	status = 0;
out:
	pgt_walk_free(w);
	pgt_table_destroy(again);
	pgt_mem_destroy(seen);
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	pgt_cfg_free(cfg);
	return status;
}

static int in_image(const char *path, char **iovas, int n, struct pgt_error *err)
{
	struct pgt_mem *mem;
	struct pgt_table *t;
	struct pgt_walk *w;
	if (pgt_image_open(path, false, &mem, &t, err))
		return fail(path, err);
	if (pgt_walk_new(&w, err)) {
		pgt_table_destroy(t);
		pgt_mem_destroy(mem);
		return fail("a walk", err);
	}
	int status = 0;
	for (int i = 0; i < n; i++) {
		uint64_t iova;
		if (pgt_parse_u64(iovas[i], &iova, err)) {
			status = fail(iovas[i], err);
			continue;
		}
		translate(t, w, iova);
	}
	pgt_walk_free(w);
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);
	return status;
}

int main(int argc, char **argv)
{
	struct pgt_error *err = pgt_error_new();
	if (!err)
		return 1;
	int status = argc > 2 ? in_image(argv[1], argv + 2, argc - 2, err) : in_memory(err);
	pgt_error_free(err);
	return status;
}

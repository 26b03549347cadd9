// SPDX-License-Identifier: MIT
/*
 * The conformance suite every format runs, under every kernel that builds
 * it, with the configuration it gets when only the format is named: map
 * one page of every page size, translate it back (the walk and
 * iova_to_phys), refuse a map over it, walk and coalesce the leaves, check
 * the table clean, rebuild it from dump --output yaml and from its IMAGE,
 * and unmap it all. Formats come from pgt_formats(), so a new one is
 * covered the day its row is added; tests/random/random_ops.c runs the
 * random differential over the same list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "pgt/pgt.h"

#define MAX_PAGES 64
/* larger pages would need more IOVA space than some defaults have */
#define MAX_PAGE (1ull << 30)

struct page {
	pgt_addr iova, pa;
	uint64_t size;
};

struct instance {
	const struct pgt_format *fmt;
	enum pgt_kernel kernel;
	char name[80];
	struct pgt_mem *arena;
	struct pgt_table *t;
	struct page page[MAX_PAGES];
	unsigned n;
	char why[600];
};

static void why(struct instance *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(struct instance *x, const char *fmt, ...)
{
	if (x->why[0])
		return; /* the first reason is the one to read */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->why, sizeof(x->why), fmt, ap);
	va_end(ap);
}

static bool point(struct instance *x, bool ok, const char *what)
{
	OK(ok && !x->why[0], "%s: %s", x->name, what);
	if (!ok || x->why[0])
		printf("#   %s\n", x->why[0] ? x->why : "(no detail)");
	x->why[0] = 0;
	return ok;
}

/* One page of each size at its own IOVA, spaced by twice the largest, and
 * a PA in the top half of the output space (aligned for every size). */
static void plan_pages(struct instance *x)
{
	const struct pgt_cfg *c = pgt_table_cfg(x->t);
	uint64_t sizes = c->pgsize_bitmap & (MAX_PAGE | (MAX_PAGE - 1)), largest = 0;
	for (unsigned b = 0; b < 64; b++)
		if ((sizes >> b) & 1)
			largest = 1ull << b;
	pgt_addr lo = pgt_table_iova_min(x->t), hi = pgt_table_iova_max(x->t);
	uint64_t pa_top = c->oas < 64 ? 1ull << (c->oas - 1) : 1ull << 62;
	for (unsigned b = 0; b < 64 && x->n < MAX_PAGES; b++) {
		uint64_t s = 1ull << b;
		if (!(sizes & s))
			continue;
		pgt_addr iova = lo + (uint64_t)(x->n + 1) * 2 * largest;
		if (iova + s - 1 > hi || iova - lo + s > pa_top)
			continue;
		x->page[x->n++] = (struct page){iova, pa_top + (iova - lo), s};
	}
}

static bool translates(struct instance *x, struct pgt_table *t, const struct page *p)
{
	const pgt_addr at[] = {p->iova, p->iova + p->size / 2, p->iova + p->size - 1};
	for (unsigned i = 0; i < 3; i++) {
		struct pgt_walk w;
		pgt_addr want = p->pa + (at[i] - p->iova);
		if (!pgt_translate(t, at[i], &w)) {
			why(x, "iova 0x%llx does not translate: %s", (unsigned long long)at[i], w.why);
			return false;
		}
		const struct pgt_entry *e = &w.step[w.n_steps - 1].e;
		if (w.pa != want || e->size != p->size ||
		    (e->prot & (PGT_READ | PGT_WRITE)) != (PGT_READ | PGT_WRITE)) {
			why(x, "iova 0x%llx: pa 0x%llx size 0x%llx prot 0x%x, want pa 0x%llx size 0x%llx rw",
			    (unsigned long long)at[i], (unsigned long long)w.pa,
			    (unsigned long long)e->size, e->prot, (unsigned long long)want,
			    (unsigned long long)p->size);
			return false;
		}
		if (pgt_iova_to_phys(t, at[i]) != want) {
			why(x, "iova_to_phys(0x%llx) is 0x%llx, the walk says 0x%llx",
			    (unsigned long long)at[i], (unsigned long long)pgt_iova_to_phys(t, at[i]),
			    (unsigned long long)want);
			return false;
		}
	}
	return true;
}

static bool map_all(struct instance *x)
{
	struct pgt_error err;
	for (unsigned i = 0; i < x->n; i++) {
		const struct page *p = &x->page[i];
		if (pgt_map(x->t, p->iova, p->pa, p->size, PGT_READ | PGT_WRITE, 0, 0, &err)) {
			why(x, "map 0x%llx -> 0x%llx size 0x%llx: %s", (unsigned long long)p->iova,
			    (unsigned long long)p->pa, (unsigned long long)p->size, err.msg);
			return false;
		}
	}
	for (unsigned i = 0; i < x->n; i++)
		if (!translates(x, x->t, &x->page[i]))
			return false;
	return x->n > 0;
}

/* io-pgtable's map_pages refuses with -EEXIST, generic_pt's map_range with
 * -EADDRINUSE */
static bool refuses_overmap(struct instance *x)
{
	struct pgt_error err;
	int want = pgt_table_feature(x->t, PGT_FEAT_RANGE_OPS) ? -EADDRINUSE : -EEXIST;
	for (unsigned i = 0; i < x->n; i++) {
		const struct page *p = &x->page[i];
		int rc = pgt_map(x->t, p->iova, p->pa, p->size, PGT_READ, 0, 0, &err);
		if (rc != want) {
			why(x, "a map over the page at 0x%llx gave %d, not %d",
			    (unsigned long long)p->iova, rc, want);
			return false;
		}
	}
	return true;
}

struct runs {
	struct instance *x;
	unsigned n;
	bool ok;
};

static int on_run(void *ctx, const struct pgt_range *r)
{
	struct runs *v = ctx;
	const struct page *p = v->n < v->x->n ? &v->x->page[v->n] : NULL;
	if (!p || r->iova != p->iova || r->pa != p->pa || r->size != p->size ||
	    r->pgsize != p->size) {
		why(v->x, "run %u: iova 0x%llx pa 0x%llx size 0x%llx pgsize 0x%llx is not page %u",
		    v->n, (unsigned long long)r->iova, (unsigned long long)r->pa,
		    (unsigned long long)r->size, (unsigned long long)r->pgsize, v->n);
		v->ok = false;
	}
	v->n++;
	return 0;
}

static bool walks(struct instance *x, struct pgt_table *t)
{
	struct runs v = {x, 0, true};
	int rc = pgt_walk_ranges(t, pgt_table_iova_min(t), pgt_table_iova_max(t), true, on_run, NULL,
				 &v);
	if (!rc && v.ok && v.n != x->n)
		why(x, "%u runs, %u pages mapped", v.n, x->n);
	return !rc && v.ok && v.n == x->n;
}

static int on_problem(void *ctx, const struct pgt_problem *p)
{
	why(ctx, "problem at iova 0x%llx, level %u: %s", (unsigned long long)p->iova, p->label,
	    p->why);
	return 1;
}

static bool clean(struct instance *x, struct pgt_table *t)
{
	struct pgt_error err;
	struct pgt_visitor v = {.problem = on_problem, .check_descriptors = true, .ctx = x};
	if (pgt_table_check_sound(t, &err)) {
		why(x, "%s", err.msg);
		return false;
	}
	return pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v) == 0;
}

static bool same_files(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool ok = fa && fb;
	int ca = 0, cb = 0;
	while (ok && ca == cb && ca != EOF) {
		ca = fgetc(fa);
		cb = fgetc(fb);
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return ok && ca == cb;
}

/* dump --output yaml, then build: the same IMAGE, byte for byte. */
static bool yaml_round_trip(struct instance *x, const char *dir)
{
	char a[512], b[512], *yaml = NULL;
	size_t len = 0;
	struct pgt_error err;
	struct pgt_spec spec;
	struct pgt_mem *arena = NULL;
	struct pgt_table *t2 = NULL;
	bool ok = false;
	snprintf(a, sizeof(a), "%s/a.img", dir);
	snprintf(b, sizeof(b), "%s/b.img", dir);
	FILE *f = open_memstream(&yaml, &len);
	if (!f)
		return false;
	int rc = pgt_spec_emit(x->t, NULL, f, &err);
	fclose(f);
	if (rc)
		why(x, "emit: %s", err.msg);
	else if (pgt_spec_parse("dumped.yaml", yaml, len, &spec, &err))
		why(x, "the dumped spec does not load: %s", err.msg);
	else {
		rc = pgt_spec_build(&spec, NULL, NULL, &arena, &t2, &err);
		pgt_spec_free(&spec);
		if (rc)
			why(x, "the dumped spec does not build: %s", err.msg);
		else if (pgt_image_write(x->t, a, false, &err) || pgt_image_write(t2, b, false, &err))
			why(x, "image write: %s", err.msg);
		else if (!(ok = same_files(a, b)))
			why(x, "the rebuilt image differs");
	}
	free(yaml);
	pgt_table_destroy(t2);
	pgt_mem_destroy(arena);
	unlink(a);
	unlink(b);
	return ok;
}

/* The IMAGE keeps the kernel, the options and the mappings. */
static bool image_round_trip(struct instance *x, const char *dir)
{
	char a[512];
	struct pgt_error err;
	struct pgt_mem *mem = NULL;
	struct pgt_table *t2 = NULL;
	bool ok = false;
	snprintf(a, sizeof(a), "%s/c.img", dir);
	if (pgt_image_write(x->t, a, false, &err) || pgt_image_open(a, false, &mem, &t2, &err)) {
		why(x, "image: %s", err.msg);
	} else {
		const struct pgt_cfg *c1 = pgt_table_cfg(x->t), *c2 = pgt_table_cfg(t2);
		ok = c1->kernel == c2->kernel && !memcmp(c1->opt, c2->opt, sizeof(c1->opt));
		if (!ok)
			why(x, "the image reads back as Linux %s", pgt_kernel_name(c2->kernel));
		for (unsigned i = 0; ok && i < x->n; i++)
			ok = translates(x, t2, &x->page[i]);
		ok = ok && walks(x, t2) && clean(x, t2);
	}
	pgt_table_destroy(t2);
	pgt_mem_destroy(mem);
	unlink(a);
	return ok;
}

static bool unmap_all(struct instance *x)
{
	struct pgt_error err;
	for (unsigned i = 0; i < x->n; i++) {
		const struct page *p = &x->page[i];
		uint64_t done;
		struct pgt_walk w;
		if (pgt_unmap(x->t, p->iova, p->size, PGT_SPLIT_REFUSE, &done, &err) ||
		    done != p->size) {
			why(x, "unmap 0x%llx size 0x%llx: %s", (unsigned long long)p->iova,
			    (unsigned long long)p->size, err.msg);
			return false;
		}
		if (pgt_translate(x->t, p->iova, &w) || pgt_iova_to_phys(x->t, p->iova)) {
			why(x, "0x%llx still translates after its unmap", (unsigned long long)p->iova);
			return false;
		}
	}
	x->n = 0;
	return walks(x, x->t) && clean(x, x->t);
}

static void conform(const struct pgt_format *fmt, enum pgt_kernel kernel, const char *dir)
{
	struct instance x = {.fmt = fmt, .kernel = kernel};
	struct pgt_cfg cfg;
	struct pgt_error err;
	snprintf(x.name, sizeof(x.name), "%s (Linux %s)", pgt_format_name(fmt),
		 pgt_kernel_name(kernel));
	pgt_format_default_cfg(fmt, kernel, &cfg);
	x.arena = pgt_arena_new(0x40000000);
	int rc = x.arena ? pgt_table_create(fmt, &cfg, x.arena, &x.t, &err) : -ENOMEM;
	if (rc)
		why(&x, "%s", x.arena ? err.msg : "out of memory");
	bool made = point(&x, !rc && pgt_table_cfg(x.t)->kernel == kernel,
			  "its default configuration makes a table");
	if (made) {
		plan_pages(&x);
		point(&x, map_all(&x), "a page of every size maps and translates back");
		point(&x, refuses_overmap(&x), "a map over a mapping is refused (EEXIST; EADDRINUSE by generic_pt)");
		point(&x, walks(&x, x.t), "the walk finds every page, as one run each");
		point(&x, clean(&x, x.t), "check finds nothing wrong");
		point(&x, yaml_round_trip(&x, dir), "dump --output yaml rebuilds the same image");
		point(&x, image_round_trip(&x, dir), "its IMAGE reads back the same");
		point(&x, unmap_all(&x), "every page unmaps, leaving a clean empty table");
	}
	pgt_table_destroy(x.t);
	pgt_mem_destroy(x.arena);
}

int main(void)
{
	char dir[] = "/tmp/pgtctl-conformance.XXXXXX";
	if (!mkdtemp(dir))
		return 2;
	unsigned instances = 0;
	for (const struct pgt_format *const *f = pgt_formats(); *f; f++)
		for (unsigned k = PGT_KERNEL_DEFAULT + 1; k < PGT_KERNEL_END; k++)
			if (pgt_format_has_kernel(*f, (enum pgt_kernel)k)) {
				conform(*f, (enum pgt_kernel)k, dir);
				instances++;
			}
	OK(instances >= 9, "%u formats-and-kernels ran the suite", instances);
	rmdir(dir);
	return t_done();
}

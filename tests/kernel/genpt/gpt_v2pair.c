// SPDX-License-Identifier: MIT
/*
 * Linux 6.12's AMD_IOMMU_V2 and libpgt's amd-iommu-v2 (kernel 6.12) in
 * step: random map_pages and unmap_pages on both, as the iommu core calls
 * them, with the return values, the bytes, the driver's flushes
 * (amd_iommu_domain_flush_pages) and at checkpoints every descriptor and
 * the registers compared.
 *
 * One thing is left out: mapping a 2M or 1G page where a page of the same
 * size is. v2_alloc_pte() then takes the page for a table and frees it
 * (iommu_free_page() of the data page, free_pgtable() of it for 1G): the
 * kernel corrupts its own memory, which the oracle's allocator catches.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt_v2pair.h"
#include "kt_kview.h"
#include "../../tools/open.h"

struct v2 {
	struct amdv2_oracle *k;
	struct pgt_mem *arena;
	struct pgt_table *t;
	unsigned levels;
	unsigned long fails, checks, maps, unmaps, flushes, skipped;
	char first[400];
	/* libpgt's driver flushes since the last comparison */
	uint64_t pflush[256][2];
	size_t n_pflush;
	uint64_t rnd;
	uint64_t hot[16]; /* IOVAs mapped lately: operations go back to them */
};

static void check(struct v2 *v, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void check(struct v2 *v, bool ok, const char *fmt, ...)
{
	v->checks++;
	if (ok)
		return;
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!v->fails++)
		snprintf(v->first, sizeof(v->first), "%s", msg);
	if (v->fails <= 6)
		printf("#   amd v2 6.12, %u levels: %s\n", v->levels, msg);
}

static void p_driver(const char *what, pgt_addr iova, uint64_t size, void *cookie)
{
	struct v2 *v = cookie;
	if (strcmp(what, "amd_iommu_domain_flush_pages")) {
		check(v, false, "libpgt reported %s, which io_pgtable_v2.c never calls", what);
		return;
	}
	if (v->n_pflush < 256) {
		v->pflush[v->n_pflush][0] = iova;
		v->pflush[v->n_pflush][1] = size;
	}
	v->n_pflush++;
}

static const struct pgt_events v2_events = {.driver = p_driver};

static void compare_flushes(struct v2 *v, const char *op)
{
	const uint64_t(*k)[2];
	size_t kn = amdv2_flushes(v->k, &k);
	check(v, kn == v->n_pflush, "%s: the kernel flushes %zu times, libpgt %zu", op, kn,
	      v->n_pflush);
	for (size_t i = 0; i < kn && i < v->n_pflush && i < 256; i++)
		check(v, k[i][0] == v->pflush[i][0] && k[i][1] == v->pflush[i][1],
		      "%s: flush %zu: kernel 0x%" PRIx64 "+0x%" PRIx64 ", libpgt 0x%" PRIx64
		      "+0x%" PRIx64,
		      op, i, k[i][0], k[i][1], v->pflush[i][0], v->pflush[i][1]);
	v->flushes += kn;
	amdv2_flushes_clear(v->k);
	v->n_pflush = 0;
}

static const uint8_t *kernel_mem(void *k, uint64_t *base, uint64_t *len)
{
	return amdv2_mem(k, base, len);
}

/* Every leaf and table of both, in walk order, tables without addresses. */
static void compare_tables(struct v2 *v, const char *when)
{
	struct kt_kview kv;
	struct pgt_table *kt;
	struct pgt_error err;
	pgt_addr root = amdv2_root(v->k);
	const struct pgt_cfg *cfg = pgt_table_cfg(v->t);
	kt_kview_init(&kv, "kernel", kernel_mem, v->k);
	if (pgt_table_attach(pgt_table_format(v->t), cfg, &kv.mem, &root, 1, &kt, &err)) {
		check(v, false, "%s: cannot attach to the kernel's table: %s", when, err.msg);
		return;
	}
	struct pgt_iter *a = t_iter(kt, 0, pgt_table_iova_max(kt), true);
	struct pgt_iter *b = t_iter(v->t, 0, pgt_table_iova_max(v->t), true);
	const struct pgt_item *x, *y;
	for (;;) {
		int ra = pgt_iter_next(a, &x), rb = pgt_iter_next(b, &y);
		if (ra <= 0 || rb <= 0) {
			check(v, ra == rb, "%s: one walk ends first (%d, %d)", when, ra, rb);
			break;
		}
		uint64_t xr, yr, xi, yi;
		if (x->kind != y->kind || x->kind == PGT_ITEM_PROBLEM) {
			check(v, false, "%s: items differ (kinds %d, %d)", when, x->kind, y->kind);
			break;
		}
		if (x->kind == PGT_ITEM_LEAF) {
			xr = x->leaf.raw, yr = y->leaf.raw, xi = x->leaf.iova, yi = y->leaf.iova;
		} else {
			xi = x->table.iova, yi = y->table.iova;
			xr = x->table.desc_pa ? pgt_table_desc_sans_addr(kt, x->table.depth - 1,
									  x->table.raw)
					      : 0;
			yr = y->table.desc_pa ? pgt_table_desc_sans_addr(v->t, y->table.depth - 1,
									  y->table.raw)
					      : 0;
		}
		if (xr != yr || xi != yi) {
			check(v, false, "%s: at iova 0x%" PRIx64 " the kernel has 0x%016" PRIx64
			      ", libpgt at iova 0x%" PRIx64 " 0x%016" PRIx64,
			      when, xi, xr, yi, yr);
			break;
		}
	}
	pgt_iter_free(a);
	pgt_iter_free(b);
	pgt_table_destroy(kt);
	struct pgt_regs r;
	pgt_table_regs(v->t, &r);
	pgt_addr mine;
	pgt_table_roots(v->t, &mine, 1);
	check(v, r.n == 2 && !strcmp(r.reg[0].name, "root") && r.reg[0].value == mine &&
			 !strcmp(r.reg[1].name, "levels") && r.reg[1].value == v->levels,
	      "%s: registers root and levels", when);
}

static uint64_t rnd(struct v2 *v)
{
	v->rnd ^= v->rnd << 13;
	v->rnd ^= v->rnd >> 7;
	v->rnd ^= v->rnd << 17;
	return v->rnd;
}

static uint64_t below(struct v2 *v, uint64_t n)
{
	return n ? rnd(v) % n : 0;
}

static void one_op(struct v2 *v)
{
	static const uint64_t sizes[] = {1ull << 12, 1ull << 12, 1ull << 21, 1ull << 30};
	uint64_t pgsize = sizes[below(v, 4)], count = 1 + below(v, pgsize == 1ull << 30 ? 2 : 8);
	uint64_t win = 1ull << 33; /* 8G, to meet tables and large pages often */
	uint64_t iova = below(v, (win - count * pgsize) / pgsize + 1) * pgsize;
	if (below(v, 3) == 0 && v->hot[0])
		iova = v->hot[below(v, 16)] & ~(pgsize - 1);
	char op[120];
	if (below(v, 3)) {
		/* not over a page of the same size: see the top of the file */
		for (uint64_t i = 0; i < count && pgsize > (1ull << 12); i++) {
			struct pgt_walk w;
			if (pgt_translate(v->t, iova + i * pgsize, &w) &&
			    w.step[w.n_steps - 1].e.size == pgsize) {
				v->skipped++;
				return;
			}
		}
		uint64_t pa = below(v, (1ull << 40) / pgsize) * pgsize, km = 0, pm = 0;
		unsigned prot = (unsigned)(1 + below(v, 3));
		struct pgt_error err = {0};
		int krc = amdv2_map_pages(v->k, iova, pa, pgsize, count, prot, &km);
		int prc = pgt_map_pages(v->t, iova, pa, pgsize, count, prot, &pm, &err);
		snprintf(op, sizeof(op), "map_pages(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 " x %" PRIu64 ")",
			 iova, pa, pgsize, count);
		check(v, krc == prc && km == pm, "%s: kernel %d 0x%" PRIx64 ", libpgt %d 0x%" PRIx64 " (%s)",
		      op, krc, km, prc, pm, err.msg);
		v->maps++;
		v->hot[below(v, 16)] = iova;
	} else {
		struct pgt_error err = {0};
		struct pgt_unmap_opts o = {PGT_SPLIT_612, true, false};
		uint64_t kn = amdv2_unmap_pages(v->k, iova, pgsize, count);
		uint64_t pn = pgt_unmap_bytes(v->t, iova, pgsize, count, &o, &err);
		snprintf(op, sizeof(op), "unmap_pages(0x%" PRIx64 ", 0x%" PRIx64 " x %" PRIu64 ")", iova,
			 pgsize, count);
		check(v, kn == pn, "%s: kernel 0x%" PRIx64 ", libpgt 0x%" PRIx64 " (%s)", op, kn, pn,
		      err.msg);
		v->unmaps++;
	}
	compare_flushes(v, op);
}

unsigned long amdv2_differential(unsigned levels, unsigned nops, uint64_t seed, uint64_t kbase,
				 uint64_t abase, char *msg, size_t len)
{
	struct v2 v = {.levels = levels, .rnd = seed | 1};
	struct pgt_cfg cfg;
	struct pgt_error err;
	const struct pgt_format *f = pgt_format_find("amd-iommu-v2");
	int rc = amdv2_create(levels, kbase, 1ull << 31, &v.k);
	if (rc) {
		snprintf(msg, len, "the kernel's alloc failed (%d)", rc);
		return 1;
	}
	pgt_format_cfg_defaults(f, PGT_KERNEL_6_12, &cfg);
	cfg.opt[pgt_format_option_find(f, "levels")] = levels;
	v.arena = t_arena(abase);
	if (pgt_table_create(f, &cfg, v.arena, &v.t, &err)) {
		snprintf(msg, len, "libpgt's create: %s", err.msg);
		amdv2_destroy(v.k);
		pgt_mem_destroy(v.arena);
		return 1;
	}
	pgt_table_set_events(v.t, &v2_events, &v);
	uint64_t kbm;
	unsigned ias, oas;
	amdv2_cfg(v.k, &kbm, &ias, &oas);
	check(&v, pgt_table_cfg(v.t)->pgsize_bitmap == kbm && pgt_table_cfg(v.t)->ias == ias &&
			  pgt_table_cfg(v.t)->oas == oas,
	      "cfg: kernel 0x%" PRIx64 " ias %u oas %u, libpgt 0x%" PRIx64 " ias %u oas %u", kbm, ias,
	      oas, pgt_table_cfg(v.t)->pgsize_bitmap, pgt_table_cfg(v.t)->ias,
	      pgt_table_cfg(v.t)->oas);
	for (unsigned i = 0; i < nops && !v.fails; i++) {
		one_op(&v);
		if (i % 64 == 63)
			compare_tables(&v, "random");
	}
	compare_tables(&v, "at the end");
	check(&v, amdv2_warns(v.k) == 0, "kernel WARNs");
	pgt_table_destroy(v.t);
	pgt_mem_destroy(v.arena);
	amdv2_destroy(v.k);
	if (v.fails)
		snprintf(msg, len, "%s", v.first);
	else
		snprintf(msg, len,
			 "%lu map_pages, %lu unmap_pages, %lu flushes, %lu maps over a same-size "
			 "page left out, %lu comparisons",
			 v.maps, v.unmaps, v.flushes, v.skipped, v.checks);
	return v.fails;
}

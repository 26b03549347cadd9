// SPDX-License-Identifier: MIT
/*
 * The walker of every format over memory it cannot trust, as translate,
 * dump, check, scan, diff and emit meet it in a dump: a header picks the
 * format, its configuration, where memory sits and the roots; the rest of
 * the input is the memory. Every walk must end, and quickly, whatever the
 * descriptors say (loops, tables reached twice, pointers anywhere), and a
 * table copied (emit, save) must map what the original maps.
 */
#include "fuzz.h"
#include "pgt/pgt.h"

/* The header, byte by byte. */
enum {
	H_FORMAT,      /* index into pgt_formats() */
	H_FLAGS,       /* enum flag */
	H_IAS,	       /* with F_IAS */
	H_OAS,	       /* with F_OAS */
	H_MODE,	       /* the format's first option (amd-iommu-v1 mode), if not 0 */
	H_PAGE_SHIFT,  /* cpu_page_size = 1 << it, if not 0 */
	H_QUIRKS,      /* quirk bits 7:0, with F_QUIRKS */
	H_PGSIZES = 8, /* 8 bytes: pgsize_bitmap, with F_PGSIZES */
	H_BASE = 16,   /* 8 bytes: physical address of the memory */
	H_ROOTS = 24,  /* 4 x 4 bytes: roots, as offsets from the base */
	H_IOVAS = 40,  /* 3 x 8 bytes: IOVAs to translate */
	H_GAP = 64,    /* 4 bytes: with F_SPLIT, the second half's distance */
	H_SIZE = 68,
};

enum flag {
	F_BIG_ENDIAN = 1u << 0,
	F_RAWFILE = 1u << 1, /* memory is a mapped file, not an arena */
	F_SPLIT = 1u << 2,   /* two pieces of memory, a union */
	F_IAS = 1u << 3,
	F_OAS = 1u << 4,
	F_PGSIZES = 1u << 5,
	F_QUIRKS = 1u << 6,
	F_SCAN = 1u << 7,
};

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* One piece of memory at base: an arena or the bytes as a file. */
static struct pgt_mem *piece(const uint8_t *data, size_t size, pgt_addr base, bool file)
{
	struct pgt_error err;
	if (file)
		return pgt_rawfile_open(fuzz_file(data, size), base, &err);
	struct pgt_mem *m = pgt_arena_new(base);
	if (m && (pgt_arena_reserve(m, base, size, &err) || pgt_mem_write(m, base, data, size))) {
		pgt_mem_destroy(m);
		return NULL;
	}
	return m;
}

static struct pgt_mem *memory(const uint8_t *h, const uint8_t *data, size_t size)
{
	unsigned flags = h[H_FLAGS];
	pgt_addr base = le(h + H_BASE, 8);
	struct pgt_mem *m;
	if (flags & F_SPLIT) {
		/* the union owns its parts, even when it refuses them */
		struct pgt_error err;
		size_t half = size / 2;
		struct pgt_mem *parts[2] = {
			piece(data, half, base, false),
			piece(data + half, size - half, base + half + le(h + H_GAP, 4), false),
		};
		if (!parts[0] || !parts[1]) {
			pgt_mem_destroy(parts[0]);
			pgt_mem_destroy(parts[1]);
			return NULL;
		}
		m = pgt_mem_union(parts, 2, &err);
	} else {
		m = piece(data, size, base, flags & F_RAWFILE);
	}
	if (m)
		m->big_endian = flags & F_BIG_ENDIAN;
	return m;
}

static void config(const uint8_t *h, const struct pgt_format *fmt, struct pgt_cfg *cfg)
{
	unsigned flags = h[H_FLAGS];
	pgt_format_default_cfg(fmt, PGT_KERNEL_DEFAULT, cfg);
	if (flags & F_IAS)
		cfg->ias = h[H_IAS];
	if (flags & F_OAS)
		cfg->oas = h[H_OAS];
	if (flags & F_PGSIZES)
		cfg->pgsize_bitmap = le(h + H_PGSIZES, 8);
	if (flags & F_QUIRKS)
		cfg->quirks = h[H_QUIRKS];
	if (h[H_MODE])
		cfg->opt[0] = h[H_MODE];
	if (h[H_PAGE_SHIFT])
		cfg->cpu_page_size = h[H_PAGE_SHIFT] < 64 ? 1ull << h[H_PAGE_SHIFT] : 0;
}

/* The format's number of roots is unknown until its setup: try each. */
static struct pgt_table *attach(const uint8_t *h, const struct pgt_format *fmt,
				const struct pgt_cfg *cfg, struct pgt_mem *mem)
{
	pgt_addr roots[PGT_MAX_ROOTS];
	struct pgt_table *t;
	struct pgt_error err;
	for (unsigned r = 0; r < PGT_MAX_ROOTS; r++)
		roots[r] = le(h + H_BASE, 8) + le(h + H_ROOTS + 4 * r, 4);
	for (unsigned n = 1; n <= PGT_MAX_ROOTS; n *= 2)
		if (!pgt_table_attach(fmt, cfg, mem, roots, n, &t, &err))
			return t;
	return NULL;
}

static void translate(struct pgt_table *t, pgt_addr iova)
{
	struct pgt_walk w;
	struct pgt_field fields[PGT_MAX_FIELDS];
	bool mapped = pgt_translate(t, iova, &w);
	FUZZ_CHECK(w.n_steps <= pgt_table_geometry(t)->n_levels, "a walk of %u steps",
		   w.n_steps);
	FUZZ_CHECK(mapped == (w.stop == PGT_STOP_LEAF), "translate says %d, stop %s", mapped,
		   pgt_stop_name(w.stop));
	for (unsigned s = 0; s < w.n_steps; s++)
		pgt_table_fields(t, w.step[s].depth, w.step[s].e.raw, fields, PGT_MAX_FIELDS);
	pgt_iova_to_phys(t, iova);
}

/* Everything a walk hands out, touched, so that ASan sees each field. */
static int on_table(void *ctx, const struct pgt_table_visit *tv)
{
	(*(uint64_t *)ctx) += tv->bytes;
	return 0;
}

static int on_leaf(void *ctx, const struct pgt_leaf *l)
{
	(*(uint64_t *)ctx) += l->span;
	return 0;
}

static int on_problem(void *ctx, const struct pgt_problem *p)
{
	(*(uint64_t *)ctx) += strlen(p->why);
	return 0;
}

static void walks(struct pgt_table *t, pgt_addr a, pgt_addr b)
{
	uint64_t sum = 0;
	pgt_addr lo = pgt_table_iova_min(t), hi = pgt_table_iova_max(t);
	struct pgt_visitor check = {.table = on_table, .leaf = on_leaf, .problem = on_problem,
				    .check_descriptors = true, .ctx = &sum};
	pgt_walk_range(t, lo, hi, &check);
	pgt_walk_range(t, a < b ? a : b, a < b ? b : a, &check);

	for (int by_pgsize = 0; by_pgsize < 2; by_pgsize++) {
		struct pgt_runs *r = pgt_runs_new(t, lo, hi, by_pgsize, NULL, NULL);
		struct pgt_range g;
		pgt_addr next = lo;
		bool first = true;
		while (r && pgt_runs_next(r, &g) > 0) {
			FUZZ_CHECK(g.size && (first || g.iova >= next),
				   "run 0x%llx+0x%llx out of order (next 0x%llx)",
				   (unsigned long long)g.iova, (unsigned long long)g.size,
				   (unsigned long long)next);
			next = g.iova + g.size;
			first = false;
		}
		pgt_runs_free(r);
	}
	struct pgt_leaf leaf;
	pgt_addr from = a < b ? a : b, to = a < b ? b : a;
	pgt_first_leaf(t, from, to - from + 1 ? to - from + 1 : to - from, &leaf);
}

static int on_diff(void *ctx, const struct pgt_diff_range *r)
{
	FUZZ_CHECK(0, "%s: iova 0x%llx+0x%llx differs (kind %d)", (const char *)ctx,
		   (unsigned long long)r->iova, (unsigned long long)r->size, r->kind);
	return 1;
}

static int on_diff_desc(void *ctx, const struct pgt_diff_desc *d)
{
	FUZZ_CHECK(0, "%s: the descriptor of iova 0x%llx differs: 0x%llx, 0x%llx",
		   (const char *)ctx, (unsigned long long)d->iova, (unsigned long long)d->raw_a,
		   (unsigned long long)d->raw_b);
	return 1;
}

/* emit and save copy the table first; a copy maps what the table maps. */
static void copy(struct pgt_table *t)
{
	struct pgt_mem *arena;
	struct pgt_table *c;
	struct pgt_error err;
	if (pgt_table_clone(t, pgt_table_mem_base(t), &arena, &c, &err))
		return;
	struct pgt_diff_ops ops = {.range = on_diff, .ctx = "the copy"};
	pgt_diff_mappings(t, c, true, &ops, &err);
	pgt_diff_descriptors(t, c, on_diff_desc, "the copy", &err);

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		abort();
	pgt_spec_emit(c, NULL, f, &err);
	fclose(f);
	free(text);
	pgt_table_destroy(c);
	pgt_mem_destroy(arena);
}

static void scan(const struct pgt_format *fmt, const struct pgt_cfg *cfg, struct pgt_mem *mem)
{
	struct pgt_scan_candidate best[4];
	struct pgt_error err;
	int n = pgt_scan(fmt, cfg, mem, best, 4, &err);
	for (int i = 1; i < n; i++)
		FUZZ_CHECK(best[i - 1].score >= best[i].score, "scan: candidates out of order");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned n_formats;
	const struct pgt_format *const *formats = pgt_formats();
	if (!n_formats)
		while (formats[n_formats])
			n_formats++;
	if (size < H_SIZE)
		return 0;
	const uint8_t *h = data;
	const struct pgt_format *fmt = formats[h[H_FORMAT] % n_formats];
	struct pgt_cfg cfg;
	config(h, fmt, &cfg);
	struct pgt_mem *mem = memory(h, data + H_SIZE, size - H_SIZE);
	if (!mem)
		return 0;
	/* scan tries a root at every 64 bytes: small memories only */
	if ((h[H_FLAGS] & F_SCAN) && size - H_SIZE <= 16384)
		scan(fmt, &cfg, mem);
	struct pgt_table *t = attach(h, fmt, &cfg, mem);
	if (t) {
		pgt_addr iova[3];
		for (unsigned i = 0; i < 3; i++) {
			iova[i] = le(h + H_IOVAS + 8 * i, 8);
			translate(t, iova[i]);
		}
		translate(t, pgt_table_iova_min(t));
		translate(t, pgt_table_iova_max(t));
		struct pgt_regs regs;
		pgt_table_registers(t, &regs);
		walks(t, iova[0], iova[1]);
		copy(t);
		pgt_table_destroy(t);
	}
	pgt_mem_destroy(mem);
	return 0;
}

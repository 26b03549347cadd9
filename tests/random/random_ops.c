// SPDX-License-Identifier: MIT
/*
 * Randomized differential test: thousands of random iommu_map/iommu_unmap
 * operations per format and granule, each checked against a reference
 * model that holds the expected leaves (iova, page size, pa, prot) in a
 * sorted array. Every so often the whole table is compared leaf by leaf
 * and sampled IOVAs are translated; at the end the table goes through
 * dump --output yaml and build, which must give a byte-identical image.
 *
 * Operations the model says must fail run in an undo journal and are
 * undone, and so is a share of the others (then done again): the table
 * must come back to the byte, and doing it again must give the same bytes.
 *
 * The model predicts outcomes only where they do not depend on table
 * structure it does not keep (a range with unmapped pages in it may still
 * unmap when it covers a whole table), so unmaps are drawn over mapped
 * pages; partial block unmaps run with and without the 6.12 split, which
 * a kernel that never splits refuses either way.
 *
 * Besides the hand-picked configurations below, every format of
 * pgt_formats() runs under every kernel that builds it, with its default
 * configuration: the conformance suite's random differential.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/harness.h"
#include "../tools/open.h"

struct leaf {
	pgt_addr iova, pa;
	uint64_t size;
	unsigned prot;
};

struct model {
	struct leaf *v;
	size_t n, cap;
};

static uint64_t rng_state;
static unsigned check_every = 200;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* First leaf whose end is above iova. */
static size_t find(const struct model *m, pgt_addr iova)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->v[mid].iova + m->v[mid].size <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool overlaps(const struct model *m, pgt_addr iova, uint64_t size)
{
	size_t i = find(m, iova);
	return i < m->n && m->v[i].iova < iova + size;
}

/* Is [iova, iova+size) entirely mapped? */
static bool fully_mapped(const struct model *m, pgt_addr iova, uint64_t size)
{
	pgt_addr at = iova;
	for (size_t i = find(m, iova); i < m->n && at < iova + size; i++) {
		if (m->v[i].iova > at)
			return false;
		at = m->v[i].iova + m->v[i].size;
	}
	return at >= iova + size;
}

static void insert(struct model *m, struct leaf l)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->v = realloc(m->v, m->cap * sizeof(*m->v));
		if (!m->v)
			abort();
	}
	size_t i = find(m, l.iova);
	memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(*m->v));
	m->v[i] = l;
	m->n++;
}

static void erase(struct model *m, size_t i)
{
	memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof(*m->v));
	m->n--;
}

struct config {
	const char *fmt;
	enum pgt_kernel kernel;
	unsigned ias, oas;
	uint64_t bitmap, quirks;
	bool coherent;
	pgt_addr window; /* IOVAs drawn from [iova_base, iova_base + window) */
	unsigned ops;
};

struct run {
	const struct config *cfg;
	struct pgt_mem *arena;
	struct pgt_table *t;
	struct model m;
	pgt_addr iova_base;
	unsigned failures;
	bool lookup; /* unmap removes whole pages (PGT_FEAT_UNMAP_WHOLE_PAGES) */
	bool range;  /* generic_pt's map_range/unmap_range (PGT_FEAT_RANGE_OPS) */
	bool splits; /* a partial unmap with split changes the table */
};

/* The depth whose leaves have this page size. */
static unsigned depth_of(struct run *r, uint64_t size)
{
	const struct pgt_geometry *g = pgt_table_geometry(r->t);
	for (unsigned d = 0; d < g->n_levels; d++)
		if (g->level[d].leaf_sizes & size)
			return d;
	return 0;
}

/* The prot a leaf decodes to after the format encodes it. */
static unsigned normalized_prot(struct run *r, uint64_t size, unsigned prot)
{
	struct pgt_entry e;
	unsigned d = depth_of(r, size);
	pgt_table_decode(r->t, d, pgt_table_encode_leaf(r->t, d, size, 0, prot), &e);
	return e.prot;
}

/* iommu_map() on the model: the page sizes iommu_pgsize() picks. */
static void model_map(struct run *r, pgt_addr iova, pgt_addr pa, uint64_t size, unsigned prot,
		      uint64_t force)
{
	while (size) {
		uint64_t count, pgsize = force;
		if (pgsize)
			count = size / force;
		else
			pgsize = pgt_iommu_pgsize(r->cfg->bitmap & pgt_table_cfg(r->t)->pgsize_bitmap,
						  iova, pa, size, &count);
		for (uint64_t i = 0; i < count; i++)
			insert(&r->m, (struct leaf){iova + i * pgsize, pa + i * pgsize, pgsize,
						    normalized_prot(r, pgsize, prot)});
		iova += count * pgsize;
		pa += count * pgsize;
		size -= count * pgsize;
	}
}

/*
 * Split the leaf at index i for an unmap of pgsize inside it: a page of
 * several entries becomes pages of its level's size; a block becomes the
 * next level's pages of pgsize where that level holds them, else its own
 * blocks (arm_lpae_split_blk_unmap, arm_v7s_split_cont/_split_blk_unmap).
 */
static void model_split(struct run *r, size_t i, uint64_t pgsize)
{
	const struct pgt_geometry *g = pgt_table_geometry(r->t);
	struct leaf l = r->m.v[i];
	unsigned d = depth_of(r, l.size);
	uint64_t span = 1ull << g->level[d].shift, piece;
	if (l.size > span)
		piece = span;
	else if (g->level[d + 1].leaf_sizes & pgsize)
		piece = pgsize;
	else
		piece = 1ull << g->level[d + 1].shift;
	erase(&r->m, i);
	for (uint64_t off = 0; off < l.size; off += piece)
		insert(&r->m, (struct leaf){l.iova + off, l.pa + off, piece,
					    normalized_prot(r, piece, l.prot)});
}

/* iommu_unmap() with split (or the kernel's way) on the model. */
static void model_unmap(struct run *r, pgt_addr iova, uint64_t size)
{
	const uint64_t bm = pgt_table_cfg(r->t)->pgsize_bitmap;
	uint64_t done = 0;
	while (done < size) {
		uint64_t count;
		uint64_t pgsize = pgt_iommu_pgsize(bm, iova, iova, size - done, &count);
		size_t i = find(&r->m, iova);
		if (r->lookup) {
			/* iommu_v1_unmap_pages(): whole pages, counted whole */
			uint64_t chunk = count * pgsize, got = 0;
			while (got < chunk) {
				i = find(&r->m, iova);
				struct leaf l = r->m.v[i];
				erase(&r->m, i);
				iova = l.iova + l.size;
				got += l.size;
			}
			done += got;
			continue;
		}
		/* The leaf at iova is larger than the chunk: split it down. */
		while (r->m.v[i].size > pgsize) {
			model_split(r, i, pgsize);
			i = find(&r->m, iova);
		}
		/* Remove everything in the chunk's slots (tables go whole). */
		pgt_addr end = iova + pgsize * count;
		while ((i = find(&r->m, iova)) < r->m.n && r->m.v[i].iova < end) {
			if (r->m.v[i].size > pgsize)
				model_split(r, i, pgsize);
			else
				erase(&r->m, i);
		}
		iova = end;
		done += pgsize * count;
	}
}

static void fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct run *r, const char *fmt, ...)
{
	va_list ap;
	if (r->failures++ >= 5)
		return;
	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

struct cmp {
	struct run *r;
	size_t i;
	uint64_t seen; /* bytes of model leaf i met so far */
};

/* The walk reports one leaf per entry: a page of several entries comes as
 * several, each with the page's size. */
static int cmp_leaf(void *ctx, const struct pgt_leaf *l)
{
	struct cmp *c = ctx;
	struct model *m = &c->r->m;
	if (c->i >= m->n) {
		fail(c->r, "extra leaf at iova 0x%llx", (unsigned long long)l->iova);
		return 1;
	}
	const struct leaf *w = &m->v[c->i];
	if (w->iova + c->seen != l->iova || w->size != l->size || w->pa + c->seen != l->pa ||
	    w->prot != l->prot) {
		fail(c->r,
		     "leaf mismatch: table iova 0x%llx size 0x%llx pa 0x%llx prot 0x%x; model iova "
		     "0x%llx size 0x%llx pa 0x%llx prot 0x%x",
		     (unsigned long long)l->iova, (unsigned long long)l->size,
		     (unsigned long long)l->pa, l->prot, (unsigned long long)(w->iova + c->seen),
		     (unsigned long long)w->size, (unsigned long long)(w->pa + c->seen), w->prot);
		return 1;
	}
	c->seen += l->span;
	if (c->seen == w->size) {
		c->i++;
		c->seen = 0;
	}
	return 0;
}

static int cmp_problem(void *ctx, const struct pgt_problem *p)
{
	struct cmp *c = ctx;
	fail(c->r, "walk problem: %s", p->why);
	return 1;
}

static bool compare_all(struct run *r)
{
	struct cmp c = {r, 0, 0};
	struct pgt_visitor v = {.leaf = cmp_leaf, .problem = cmp_problem, .ctx = &c};
	if (pgt_walk_range(r->t, pgt_table_iova_min(r->t), pgt_table_iova_max(r->t), &v))
		return false;
	if (c.i != r->m.n) {
		fail(r, "table has %zu leaves, model %zu", c.i, r->m.n);
		return false;
	}
	/* and translation, page by page at sampled addresses */
	for (unsigned k = 0; k < 256; k++) {
		pgt_addr iova = r->iova_base + below(r->cfg->window);
		size_t i = find(&r->m, iova);
		bool mapped = i < r->m.n && r->m.v[i].iova <= iova;
		struct pgt_walk w;
		bool ok = pgt_translate(r->t, iova, &w);
		pgt_addr want = mapped ? r->m.v[i].pa + (iova - r->m.v[i].iova) : 0;
		if (ok != mapped || (ok && w.pa != want)) {
			fail(r, "translate 0x%llx: got %s 0x%llx, want %s 0x%llx",
			     (unsigned long long)iova, ok ? "pa" : "unmapped",
			     (unsigned long long)w.pa, mapped ? "pa" : "unmapped",
			     (unsigned long long)want);
			return false;
		}
	}
	return true;
}

/* The arena's bytes and extent: a table's whole state, to the byte. The
 * buffers are kept from one operation to the next. */
struct snap {
	uint8_t *b;
	size_t cap;
	pgt_addr base, end;
};

static void take(struct run *r, struct snap *s)
{
	s->base = pgt_arena_base(r->arena);
	s->end = pgt_arena_end(r->arena);
	if (s->end - s->base + 1 > s->cap) {
		s->cap = 2 * (s->end - s->base + 1);
		s->b = realloc(s->b, s->cap);
	}
	if (!s->b || pgt_mem_read(r->arena, s->base, s->b, s->end - s->base))
		abort();
}

static bool same_snap(const struct snap *a, const struct snap *b)
{
	return a->base == b->base && a->end == b->end && !memcmp(a->b, b->b, a->end - a->base);
}

/*
 * Run op in an undo journal, undo it, and check that the table is as it
 * was to the byte; with redo, run it again and check that it gives the
 * same bytes as the first time (the arena's free blocks were put back as
 * they were too). Returns what op returned.
 */
static int undone(struct run *r, int (*op)(struct pgt_table *, void *), void *ctx, bool redo,
		  const char *what)
{
	static struct snap before, again, after, twice;
	struct pgt_journal *j;
	struct pgt_error err;
	take(r, &before);
	if (pgt_journal_begin(r->t, &j, &err)) {
		fail(r, "journal: %s", err.msg);
		return 0;
	}
	int rc = op(r->t, ctx);
	if (pgt_journal_end(r->t, NULL))
		fail(r, "%s: the journal lost a change", what);
	take(r, &after);
	pgt_journal_undo(r->t, j);
	take(r, &again);
	if (!same_snap(&before, &again))
		fail(r, "%s, undone: the table is not as it was", what);
	if (redo) {
		int rc2 = op(r->t, ctx);
		take(r, &twice);
		if (rc2 != rc || !same_snap(&after, &twice))
			fail(r, "%s, undone and done again: not the same table", what);
	}
	return rc;
}

struct map_op {
	pgt_addr iova, pa;
	uint64_t size, pgsize;
	unsigned prot;
	struct pgt_error err;
};

static int do_map(struct pgt_table *t, void *ctx)
{
	struct map_op *o = ctx;
	return pgt_map(t, o->iova, o->pa, o->size, o->prot, o->pgsize, 0, &o->err);
}

struct unmap_op {
	pgt_addr iova;
	uint64_t size;
	enum pgt_split split;
	struct pgt_error err;
};

static int do_unmap(struct pgt_table *t, void *ctx)
{
	struct unmap_op *o = ctx;
	return pgt_unmap(t, o->iova, o->size, o->split, NULL, &o->err);
}

static uint64_t pick_pgsize(struct run *r)
{
	uint64_t bm = pgt_table_cfg(r->t)->pgsize_bitmap, sizes[64];
	unsigned n = 0;
	for (unsigned i = 0; i < 64; i++)
		if (((bm >> i) & 1) && (1ull << i) <= r->cfg->window / 4)
			sizes[n++] = 1ull << i;
	/* smaller sizes more often */
	unsigned k = (unsigned)below(n);
	return sizes[below(2) ? 0 : k];
}

static void random_map(struct run *r)
{
	struct map_op o = {0};
	uint64_t pgsize = pick_pgsize(r);
	uint64_t min = pgt_table_cfg(r->t)->pgsize_bitmap & -pgt_table_cfg(r->t)->pgsize_bitmap;
	uint64_t align = below(3) ? pgsize : min;
	o.size = (1 + below(below(4) ? 4 : 40)) * (align == pgsize ? pgsize : min);
	if (o.size > r->cfg->window / 2)
		o.size = pgsize;
	o.iova = r->iova_base + (below(r->cfg->window - o.size) & ~(align - 1));
	o.pa = (below(1ull << (r->cfg->oas - 2)) & ~(align - 1)) | (o.iova & (align - 1));
	o.pa &= ~(min - 1);
	o.pgsize = below(4) == 0 && o.size / min <= 4096 ? min : 0;
	o.prot = (unsigned)below(64) | (below(2) ? PGT_READ : PGT_WRITE);
	if (o.pa + o.size > (1ull << r->cfg->oas))
		return;
	bool expect_fail = overlaps(&r->m, o.iova, o.size);
	/* what must fail is undone; one success in eight is undone and redone */
	int rc = expect_fail || !below(8) ? undone(r, do_map, &o, !expect_fail, "map")
					  : do_map(r->t, &o);
	/* map_range refuses with -EADDRINUSE, map_pages with -EEXIST */
	int refusal = r->range ? -EADDRINUSE : -EEXIST;
	if (expect_fail && rc != refusal)
		fail(r, "map 0x%llx+0x%llx over a mapping: got %d, want %d",
		     (unsigned long long)o.iova, (unsigned long long)o.size, rc, refusal);
	if (getenv("RANDOM_OPS_TRACE"))
		printf("# map 0x%llx+0x%llx -> 0x%llx pgsize 0x%llx: %d\n", (unsigned long long)o.iova,
		       (unsigned long long)o.size, (unsigned long long)o.pa,
		       (unsigned long long)o.pgsize, rc);
	if (!expect_fail) {
		if (rc)
			fail(r, "map 0x%llx+0x%llx -> 0x%llx: %s", (unsigned long long)o.iova,
			     (unsigned long long)o.size, (unsigned long long)o.pa, o.err.msg);
		else
			model_map(r, o.iova, o.pa, o.size, o.prot, o.pgsize);
	}
}

static void random_unmap(struct run *r)
{
	if (!r->m.n)
		return;
	const struct leaf *l = &r->m.v[below(r->m.n)];
	uint64_t min = pgt_table_cfg(r->t)->pgsize_bitmap & -pgt_table_cfg(r->t)->pgsize_bitmap;
	struct unmap_op o = {.split = below(2) ? PGT_SPLIT_612 : PGT_SPLIT_REFUSE};
	/* a whole leaf, a run of leaves, or a piece of one */
	switch (below(3)) {
	case 0:
		o.iova = l->iova;
		o.size = l->size;
		break;
	case 1:
		o.iova = l->iova;
		o.size = l->size * (1 + below(8));
		break;
	default:
		o.size = min * (1 + below(4));
		if (o.size > l->size)
			o.size = l->size;
		o.iova = l->iova + (below(l->size - o.size + 1) & ~(min - 1));
	}
	if (!fully_mapped(&r->m, o.iova, o.size))
		return;
	/* Does the range cut through a leaf? Then it is a partial block unmap. */
	size_t first = find(&r->m, o.iova), last = find(&r->m, o.iova + o.size - 1);
	bool partial = r->m.v[first].iova != o.iova ||
		       r->m.v[last].iova + r->m.v[last].size != o.iova + o.size;
	/* generic_pt takes the leaf the range ends in whole, but refuses to
	 * start inside one */
	bool expect_fail = partial && (o.split == PGT_SPLIT_REFUSE || !r->splits ||
				       (r->range && r->m.v[first].iova != o.iova));
	int rc = expect_fail || !below(8) ? undone(r, do_unmap, &o, !expect_fail, "unmap")
					  : do_unmap(r->t, &o);
	if (expect_fail && (rc != -EINVAL || !strstr(o.err.msg, "part of")))
		fail(r, "partial unmap 0x%llx+0x%llx without split: got %d (%s)",
		     (unsigned long long)o.iova, (unsigned long long)o.size, rc, o.err.msg);
	if (getenv("RANDOM_OPS_TRACE"))
		printf("# unmap 0x%llx+0x%llx split %d: %d\n", (unsigned long long)o.iova,
		       (unsigned long long)o.size, o.split, rc);
	if (!expect_fail) {
		if (rc)
			fail(r, "unmap 0x%llx+0x%llx: %s", (unsigned long long)o.iova,
			     (unsigned long long)o.size, o.err.msg);
		else
			model_unmap(r, o.iova, o.size);
	}
}

/* dump --output yaml, then build: the image must be byte-identical. */
static bool round_trip(struct run *r, const char *dir)
{
	char a[512], b[512];
	struct pgt_error err;
	struct pgt_spec *spec = NULL;
	struct pgt_mem *arena = NULL;
	struct pgt_table *t2 = NULL;
	char *yaml = NULL;
	size_t len = 0;
	bool ok = false;

	snprintf(a, sizeof(a), "%s/a.img", dir);
	snprintf(b, sizeof(b), "%s/b.img", dir);
	FILE *f = open_memstream(&yaml, &len);
	if (!f || pgt_spec_emit(r->t, NULL, f, &err)) {
		fail(r, "emit: %s", err.msg);
		goto out;
	}
	fclose(f);
	f = NULL;
	if (pgt_spec_parse("dumped.yaml", yaml, len, &spec, &err)) {
		fail(r, "parse of the dumped spec: %s", err.msg);
		goto out;
	}
	int rc = pgt_spec_build(spec, NULL, NULL, &arena, &t2, &err);
	pgt_spec_free(spec);
	if (rc) {
		fail(r, "build of the dumped spec: %s", err.msg);
		goto out;
	}
	if (pgt_image_write(r->t, a, 0, &err) || pgt_image_write(t2, b, 0, &err)) {
		fail(r, "image write: %s", err.msg);
		goto out;
	}
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb;
	ok = fa && fb;
	do {
		ca = ok ? fgetc(fa) : EOF;
		cb = ok ? fgetc(fb) : EOF;
	} while (ok && ca == cb && ca != EOF);
	ok = ok && ca == cb;
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	if (!ok)
		fail(r, "rebuilt image differs from the original");
	if (!ok && getenv("RANDOM_OPS_KEEP")) {
		char keep[1200];
		snprintf(keep, sizeof(keep), "cp %.250s %.250s.orig; cp %.250s %.250s.rebuilt", a, a, b, b);
		if (system(keep) == 0)
			printf("#   kept %s.orig and %s.rebuilt\n", a, b);
	}
out:
	if (f)
		fclose(f);
	free(yaml);
	pgt_table_destroy(t2);
	pgt_mem_destroy(arena);
	unlink(a);
	unlink(b);
	return ok;
}

static void run_config(const struct config *c, const char *dir)
{
	struct run r = {.cfg = c};
	struct pgt_cfg cfg;
	struct pgt_error err;
	pgt_cfg_init(&cfg);
	cfg.ias = c->ias;
	cfg.oas = c->oas;
	cfg.pgsize_bitmap = c->bitmap;
	cfg.quirks = c->quirks;
	cfg.coherent_walk = c->coherent;
	cfg.kernel = c->kernel;
	r.arena = t_arena(0x40000000);
	if (pgt_table_create(pgt_format_find(c->fmt), &cfg, r.arena, &r.t, &err)) {
		OK(0, "%s: create: %s", c->fmt, err.msg);
		return;
	}
	r.iova_base = pgt_table_iova_min(r.t);
	r.range = pgt_table_feature(r.t, PGT_FEAT_RANGE_OPS);
	r.lookup = r.range || pgt_table_feature(r.t, PGT_FEAT_UNMAP_WHOLE_PAGES);
	r.splits = r.lookup || pgt_table_feature(r.t, PGT_FEAT_SPLIT_BLOCKS);

	unsigned maps = 0, unmaps = 0;
	bool consistent = true;
	for (unsigned i = 0; i < c->ops && !r.failures; i++) {
		if (below(5) < 3) {
			random_map(&r);
			maps++;
		} else {
			random_unmap(&r);
			unmaps++;
		}
		if ((i % check_every) == check_every - 1 && !compare_all(&r))
			consistent = false;
	}
	if (!compare_all(&r))
		consistent = false;
	char name[160];
	snprintf(name, sizeof(name), "%s (Linux %s) bitmap 0x%llx ias %u%s%s", c->fmt,
		 pgt_kernel_name(pgt_table_cfg(r.t)->kernel), (unsigned long long)c->bitmap, c->ias,
		 c->quirks ? " quirks" : "", c->coherent ? "" : " non-coherent");
	OK(consistent && !r.failures, "%s: %u maps, %u unmaps, %zu leaves agree with the model",
	   name, maps, unmaps, r.m.n);
	OK(round_trip(&r, dir), "%s: dump --output yaml then build is byte-identical", name);
	pgt_table_destroy(r.t);
	pgt_mem_destroy(r.arena);
	free(r.m.v);
}

/* A format's default configuration under a kernel, with a window of 64
 * of its largest page up to 1G, within its input space. */
static struct config default_config(const struct pgt_format *fmt, enum pgt_kernel kernel,
				    unsigned ops)
{
	struct pgt_cfg cfg;
	pgt_format_cfg_defaults(fmt, kernel, &cfg);
	/* an ias the default leaves to the format (intel-vtd-ss: its levels'):
	 * what its setup chooses */
	struct pgt_mem *arena = t_arena(0x40000000);
	struct pgt_table *t;
	if (!cfg.ias && arena && !pgt_table_create(fmt, &cfg, arena, &t, NULL)) {
		cfg.ias = pgt_table_cfg(t)->ias;
		pgt_table_destroy(t);
	}
	pgt_mem_destroy(arena);
	uint64_t largest = 0;
	for (unsigned b = 0; b <= 30; b++)
		if ((cfg.pgsize_bitmap >> b) & 1)
			largest = 1ull << b;
	uint64_t window = 64 * largest;
	if (cfg.ias < 64 && window > 1ull << cfg.ias)
		window = 1ull << cfg.ias;
	return (struct config){pgt_format_name(fmt), kernel, cfg.ias, cfg.oas, cfg.pgsize_bitmap,
			       cfg.quirks, cfg.coherent_walk, window, ops};
}

int main(int argc, char **argv)
{
	rng_state = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x5eed1234abcdull;
	unsigned ops = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 3000;
	if (argc > 3)
		check_every = (unsigned)strtoul(argv[3], NULL, 0);
	printf("# seed 0x%llx, %u operations per configuration\n", (unsigned long long)rng_state,
	       ops);
	char dir[] = "/tmp/pgtctl-random.XXXXXX";
	if (!mkdtemp(dir))
		return 2;
	const uint64_t K4 = 1ull << 12, K16 = 1ull << 14, K64 = 1ull << 16, M2 = 1ull << 21,
		       M32 = 1ull << 25, M512 = 1ull << 29, G1 = 1ull << 30;
	const uint64_t K64_ = K64, M1 = 1ull << 20, M16 = 1ull << 24, T1 = 1ull << 40;
	const uint64_t V7S = K4 | K64_ | M1 | M16;
	const uint64_t MTK = PGT_QUIRK_NO_PERMS | PGT_QUIRK_ARM_MTK_EXT | PGT_QUIRK_ARM_MTK_TTBR_EXT;
	const struct config configs[] = {
		{"arm-64-lpae-s1", PGT_KERNEL_DEFAULT, 48, 48, K4 | M2 | G1, 0, true, 8 * G1, ops},
		{"arm-64-lpae-s1", PGT_KERNEL_DEFAULT, 48, 48, K4 | M2 | G1, 0, false, 64 * M2, ops},
		{"arm-64-lpae-s1", PGT_KERNEL_DEFAULT, 39, 44, K4 | M2 | G1,
		 PGT_QUIRK_ARM_TTBR1 | PGT_QUIRK_ARM_NS | PGT_QUIRK_ARM_HD, true, 4 * G1, ops},
		{"arm-64-lpae-s1", PGT_KERNEL_DEFAULT, 48, 48, K16 | M32, 0, true, 64 * M32, ops},
		{"arm-64-lpae-s1", PGT_KERNEL_DEFAULT, 48, 52, K64 | M512, 0, true, 32 * M512, ops},
		{"arm-64-lpae-s2", PGT_KERNEL_DEFAULT, 40, 40, K4 | M2 | G1, 0, true, 8 * G1, ops},
		{"arm-64-lpae-s2", PGT_KERNEL_DEFAULT, 48, 48, K16 | M32, 0, false, 64 * M32, ops},
		{"arm-64-lpae-s2", PGT_KERNEL_DEFAULT, 42, 48, K64 | M512, 0, true, 32 * M512, ops},
		{"arm-32-lpae-s1", PGT_KERNEL_DEFAULT, 32, 40, K4 | M2 | G1, 0, true, 4 * G1, ops},
		{"arm-32-lpae-s2", PGT_KERNEL_DEFAULT, 40, 40, K4 | M2 | G1, 0, true, 8 * G1, ops},
		{"arm-mali-lpae", PGT_KERNEL_DEFAULT, 33, 40, K4 | M2, 0, true, 64 * M2, ops},
		{"arm-mali-lpae", PGT_KERNEL_DEFAULT, 48, 40, K4 | M2 | G1, 0, false, 8 * G1, ops},
		{"arm-v7s", PGT_KERNEL_DEFAULT, 32, 32, V7S, PGT_QUIRK_ARM_NS, true, 64 * M16, ops},
		{"arm-v7s", PGT_KERNEL_DEFAULT, 32, 32, V7S, 0, false, 16 * M16, ops},
		{"arm-v7s", PGT_KERNEL_DEFAULT, 34, 35, V7S, MTK, true, 64 * M16, ops},
		{"apple-dart", PGT_KERNEL_DEFAULT, 32, 36, K16, 0, true, 1ull << 32, ops},
		{"apple-dart", PGT_KERNEL_DEFAULT, 32, 36, K4, 0, true, 1ull << 32, ops},
		{"apple-dart2", PGT_KERNEL_DEFAULT, 38, 42, K16, 0, true, 1ull << 38, ops},
		{"amd-iommu-v1", PGT_KERNEL_DEFAULT, 52, 52, ~0ull, 0, true, 2 * T1, ops},
		{"amd-iommu-v1", PGT_KERNEL_DEFAULT, 52, 52, K4 | M2 | G1, 0, true, 64 * G1, ops},
	};
	for (unsigned i = 0; i < sizeof(configs) / sizeof(configs[0]); i++)
		run_config(&configs[i], dir);
	for (const struct pgt_format *const *f = pgt_formats(); *f; f++)
		for (unsigned k = PGT_KERNEL_DEFAULT + 1; k < PGT_KERNEL_END; k++)
			if (pgt_format_has_kernel(*f, (enum pgt_kernel)k)) {
				struct config c = default_config(*f, (enum pgt_kernel)k, ops / 3);
				run_config(&c, dir);
			}
	rmdir(dir);
	return t_done();
}

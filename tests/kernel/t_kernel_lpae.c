// SPDX-License-Identifier: MIT
/*
 * Differential test of libpgt against the real Linux 6.12 io-pgtable-arm.c
 * (the kernel oracle, oracle.h), for the five LPAE formats.
 *
 * For every format, granule and ias the kernel's own LPAE selftest uses
 * (plus non-coherent walkers, the stage-1 quirks, stage-2 concatenation
 * corners and 52-bit output with 4T blocks), the same operations run
 * against both implementations: a directed sequence (overlaps, block splits,
 * tables torn down by larger maps, holes, batches cut at a table end) and a
 * seeded random sequence of map_pages/unmap_pages. Compared:
 *   - return values (errno, bytes mapped/unmapped) of every call;
 *   - the TLB maintenance callbacks, in order;
 *   - iova_to_phys at sampled IOVAs;
 *   - the output registers (root addresses taken out);
 *   - the kernel's geometry (start level, pgd bits, bits per level);
 *   - every leaf descriptor (iova, level, raw value), and every table
 *     descriptor with its address field masked;
 *   - libpgt attached to the kernel's memory (a pgt_mem over the simulated
 *     physical memory, and a raw file of it): pgt_translate and
 *     pgt_walk_range must agree with the kernel.
 * An allocation grid checks that both accept and refuse the same
 * configurations and narrow them the same way.
 *
 * Output is TAP. Usage: t_kernel_lpae [-v] [-s SEED] [-n OPS] [-q]
 *   -n scales the number of random operations per configuration;
 *   -q runs a quick subset.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pgt/table.h"

#include "oracle.h"

#define KIB(x) ((uint64_t)(x) << 10)
#define SZ_4K KIB(4)
#define SZ_16K KIB(16)
#define SZ_64K KIB(64)
#define SZ_2M (KIB(2) << 10)
#define SZ_32M (KIB(32) << 10)
#define SZ_512M (KIB(512) << 10)
#define SZ_1G (1ull << 30)
#define SZ_4T (1ull << 42)

/* Descriptor address field, bits 47:12 (64K granule keeps PA[51:48] in 15:12). */
#define ADDR_MASK 0x0000fffffffff000ull

/* Where the two implementations keep their tables: deliberately different. */
#define KERNEL_PHYS_BASE 0x80000000ull
#define KERNEL_PHYS_LEN (1ull << 30)
#define GRID_PHYS_LEN (1ull << 20)
#define ARENA_BASE 0x4000000000ull

static bool verbose;

/* --- TAP ------------------------------------------------------------- */

static unsigned tap_n, tap_fail;

static void tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	if (!ok)
		tap_fail++;
	printf("%sok %u - ", ok ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* A category of comparison within one configuration: counts failures and
 * prints the first few. */
struct check {
	const char *name;
	unsigned long n, fails;
};

#define MAX_DIAG 6

static void check_fail(struct check *c, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check_fail(struct check *c, const char *label, const char *fmt, ...)
{
	va_list ap;
	if (c->fails++ >= MAX_DIAG)
		return;
	printf("# %s: %s: ", label, c->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* --- random numbers -------------------------------------------------- */

static uint64_t rng;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n == 0 means the whole 64-bit range. */
static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : rnd();
}

static bool chance(unsigned percent)
{
	return rnd_below(100) < percent;
}

/* --- formats and configurations -------------------------------------- */

enum kind { K_S1, K_S2, K_MALI };

struct fmt_desc {
	const char *name;
	enum oracle_fmt kf;
	enum kind kind;
	bool only_4k; /* the kernel ANDs the bitmap with 4K|2M|1G */
	unsigned max_ias, oas;
};

static const struct fmt_desc fmts[] = {
	{"arm-64-lpae-s1", ORACLE_ARM_64_LPAE_S1, K_S1, false, 48, 48},
	{"arm-64-lpae-s2", ORACLE_ARM_64_LPAE_S2, K_S2, false, 48, 48},
	{"arm-32-lpae-s1", ORACLE_ARM_32_LPAE_S1, K_S1, true, 32, 40},
	{"arm-32-lpae-s2", ORACLE_ARM_32_LPAE_S2, K_S2, true, 40, 40},
	{"arm-mali-lpae", ORACLE_ARM_MALI_LPAE, K_MALI, true, 48, 40},
};
#define N_FMTS (sizeof(fmts) / sizeof(fmts[0]))

/* The kernel selftest's granule families and ias values. */
static const uint64_t families[] = {SZ_4K | SZ_2M | SZ_1G, SZ_16K | SZ_32M, SZ_64K | SZ_512M};
static const unsigned selftest_ias[] = {32, 36, 40, 42, 44, 48};

struct run_cfg {
	const struct fmt_desc *f;
	uint64_t pgsizes;
	unsigned ias, oas;
	uint64_t quirks;
	bool coherent;
	unsigned nops;
	char label[160];
};

static const char *family_name(uint64_t bm)
{
	if (bm & SZ_4K)
		return "4K";
	if (bm & SZ_16K)
		return "16K";
	return (bm & SZ_4T) ? "64K+4T" : "64K";
}

static void quirk_names(uint64_t q, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {{PGT_QUIRK_ARM_NS, "arm-ns"},
		     {PGT_QUIRK_ARM_TTBR1, "arm-ttbr1"},
		     {PGT_QUIRK_ARM_OUTER_WBWA, "outer-wbwa"},
		     {PGT_QUIRK_ARM_HD, "arm-hd"}};
	buf[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (q & names[i].bit)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "," : "",
				 names[i].name);
}

static void set_label(struct run_cfg *c)
{
	char q[96];
	quirk_names(c->quirks, q, sizeof(q));
	snprintf(c->label, sizeof(c->label), "%s %s ias %u oas %u%s%s%s", c->f->name,
		 family_name(c->pgsizes), c->ias, c->oas, c->coherent ? "" : " non-coherent",
		 q[0] ? " quirks " : "", q);
}

/* --- the pair of tables under test ----------------------------------- */

/* libpgt's view of the kernel's simulated physical memory. */
struct kview {
	struct pgt_mem mem;
	struct oracle *k;
};

static void *kview_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	struct kview *v = (struct kview *)mem;
	uint64_t base, size;
	const uint8_t *buf = oracle_mem(v->k, &base, &size);
	if (pa < base || pa + len < pa || pa + len - base > size)
		return NULL;
	return (void *)(buf + (pa - base));
}

static int kview_read(struct pgt_mem *mem, pgt_addr pa, void *out, uint64_t len)
{
	const void *p = kview_ptr(mem, pa, len);
	if (!p)
		return -EFAULT;
	memcpy(out, p, len);
	return 0;
}

static size_t kview_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct kview *v = (struct kview *)mem;
	uint64_t base, size;
	oracle_mem(v->k, &base, &size);
	if (max)
		out[0] = (struct pgt_mem_range){base, size};
	return 1;
}

static void kview_destroy(struct pgt_mem *mem)
{
	(void)mem; /* embedded in struct pair */
}

static const struct pgt_mem_ops kview_ops = {
	.ptr = kview_ptr,
	.read = kview_read,
	.write = NULL,
	.ranges = kview_ranges,
	.destroy = kview_destroy,
};

struct tlbv {
	struct oracle_tlb *v;
	size_t n, cap;
};

static void tlbv_add(struct tlbv *l, struct oracle_tlb e)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = e;
}

struct pair {
	const struct run_cfg *rc;
	const char *label;
	struct oracle *k;
	struct oracle_cfg kcfg;
	const struct pgt_format *pf;
	struct pgt_cfg pcfg;
	struct pgt_mem *arena;
	struct pgt_table *t;
	struct tlbv plog;
	struct kview kv;
	struct pgt_table *kt; /* libpgt attached to the kernel's memory */

	/* geometry of the test's IOVA use */
	uint64_t sizes[4];
	unsigned n_sizes;
	uint64_t granule, top;
	uint64_t iova_high; /* TTBR1 */
	uint64_t space;	    /* 2^ias */
	uint64_t wbase, wsize;
	uint64_t pa_limit; /* 2^oas */
	unsigned table_entries;

	/* recently used window offsets, to aim operations at each other */
	uint64_t hot[64];
	unsigned n_hot;

	struct check c_ops, c_tlb, c_desc, c_phys, c_attach, c_warn;
	unsigned long n_map_calls, n_unmap_calls, n_eexist, n_eexist_teardown, n_holes,
		n_partial, n_splits, n_flush_walk, n_add_page, n_samples;
};

static void ev_flush_all(void *cookie)
{
	struct pair *p = cookie;
	tlbv_add(&p->plog, (struct oracle_tlb){.kind = ORACLE_TLB_FLUSH_ALL});
}

static void ev_flush_walk(pgt_addr iova, uint64_t size, uint64_t granule, void *cookie)
{
	struct pair *p = cookie;
	tlbv_add(&p->plog, (struct oracle_tlb){
				   .kind = ORACLE_TLB_FLUSH_WALK, .iova = iova, .size = size, .granule = granule});
}

static void ev_add_page(pgt_addr iova, uint64_t granule, void *cookie)
{
	struct pair *p = cookie;
	tlbv_add(&p->plog,
		 (struct oracle_tlb){.kind = ORACLE_TLB_ADD_PAGE, .iova = iova, .granule = granule});
}

static const struct pgt_events events = {
	.flush_all = ev_flush_all,
	.flush_walk = ev_flush_walk,
	.add_page = ev_add_page,
};

static void fill_pcfg(struct pgt_cfg *pc, uint64_t quirks, uint64_t pgsizes, unsigned ias,
		      unsigned oas, bool coherent)
{
	pgt_cfg_init(pc);
	pc->quirks = quirks;
	pc->pgsize_bitmap = pgsizes;
	pc->ias = ias;
	pc->oas = oas;
	pc->coherent_walk = coherent;
	pc->cpu_page_size = 4096;
}

static void fill_kcfg(struct oracle_cfg *kc, uint64_t quirks, uint64_t pgsizes, unsigned ias,
		      unsigned oas, bool coherent)
{
	memset(kc, 0, sizeof(*kc));
	kc->quirks = quirks;
	kc->pgsize_bitmap = pgsizes;
	kc->ias = ias;
	kc->oas = oas;
	kc->coherent_walk = coherent;
}

/* --- registers and geometry ------------------------------------------ */

static const struct pgt_reg *find_reg(const struct pgt_regs *r, const char *name)
{
	for (unsigned i = 0; i < r->n; i++)
		if (!strcmp(r->reg[i].name, name))
			return &r->reg[i];
	return NULL;
}

static bool reg_field(const struct pgt_reg *g, const char *name, uint64_t *v)
{
	if (!g || g->kind != PGT_REG_FIELDS)
		return false;
	for (unsigned i = 0; i < g->n; i++)
		if (!strcmp(g->field[i].name, name)) {
			*v = g->field[i].value;
			return true;
		}
	return false;
}

/* Compare libpgt's registers with the kernel's cfg union; the base
 * registers with each side's own root taken out. Appends to msg. */
static bool compare_regs(enum kind kind, const struct oracle_cfg *kc, uint64_t kroot,
			 struct pgt_table *t, char *msg, size_t len)
{
	struct pgt_regs regs;
	pgt_addr root;
	pgt_table_roots(t, &root);
	pgt_table_registers(t, &regs);
	bool ok = true;
	msg[0] = 0;
#define MISMATCH(...)                                                                      \
	do {                                                                               \
		ok = false;                                                                \
		snprintf(msg + strlen(msg), len - strlen(msg), __VA_ARGS__);               \
	} while (0)
#define VALUE(name, kval, kbase)                                                           \
	do {                                                                               \
		const struct pgt_reg *g_ = find_reg(&regs, name);                          \
		if (!g_ || g_->kind != PGT_REG_VALUE)                                      \
			MISMATCH(" [%s missing]", name);                                   \
		else if (g_->value - ((kbase) ? root : 0) != (kval) - (kbase))             \
			MISMATCH(" [%s: kernel 0x%" PRIx64 " (root 0x%" PRIx64                \
				 "), libpgt 0x%" PRIx64 " (root 0x%" PRIx64 ")]",              \
				 name, (uint64_t)(kval), (uint64_t)(kbase), g_->value,          \
				 (uint64_t)root);                                           \
	} while (0)
#define FIELD(group, name, kval)                                                           \
	do {                                                                               \
		uint64_t v_;                                                               \
		if (!reg_field(find_reg(&regs, group), name, &v_))                         \
			MISMATCH(" [%s.%s missing]", group, name);                         \
		else if (v_ != (uint64_t)(kval))                                           \
			MISMATCH(" [%s.%s: kernel %u, libpgt %" PRIu64 "]", group, name,   \
				 (unsigned)(kval), v_);                                     \
	} while (0)
	switch (kind) {
	case K_S1:
		VALUE("ttbr", kc->ttbr, kroot);
		FIELD("tcr", "ips", kc->tcr.ips);
		FIELD("tcr", "tg", kc->tcr.tg);
		FIELD("tcr", "sh", kc->tcr.sh);
		FIELD("tcr", "orgn", kc->tcr.orgn);
		FIELD("tcr", "irgn", kc->tcr.irgn);
		FIELD("tcr", "tsz", kc->tcr.tsz);
		VALUE("mair", kc->mair, 0);
		break;
	case K_S2:
		VALUE("vttbr", kc->vttbr, kroot);
		FIELD("vtcr", "ps", kc->vtcr.ps);
		FIELD("vtcr", "tg", kc->vtcr.tg);
		FIELD("vtcr", "sh", kc->vtcr.sh);
		FIELD("vtcr", "orgn", kc->vtcr.orgn);
		FIELD("vtcr", "irgn", kc->vtcr.irgn);
		FIELD("vtcr", "sl", kc->vtcr.sl);
		FIELD("vtcr", "tsz", kc->vtcr.tsz);
		break;
	case K_MALI:
		VALUE("transtab", kc->transtab, kroot);
		VALUE("memattr", kc->memattr, 0);
		break;
	}
#undef FIELD
#undef VALUE
#undef MISMATCH
	return ok;
}

static bool compare_geometry(struct oracle *k, struct pgt_table *t, char *msg, size_t len)
{
	struct oracle_geom kg;
	const struct pgt_geometry *g = pgt_table_geometry(t);
	oracle_geometry(k, &kg);
	msg[0] = 0;
	bool ok = g->n_levels >= 1 && g->desc_bytes == 8 && g->n_roots == 1 &&
		  g->n_levels == (unsigned)(4 - kg.start_level) &&
		  g->level[0].label == (unsigned)kg.start_level &&
		  g->level[0].index_bits == (unsigned)kg.pgd_bits &&
		  g->granule == 8ull << kg.bits_per_level;
	for (unsigned d = 0; ok && d < g->n_levels; d++) {
		unsigned lvl = (unsigned)kg.start_level + d;
		const struct pgt_level_geom *l = &g->level[d];
		ok = l->label == lvl && l->shift == (4 - lvl) * (unsigned)kg.bits_per_level + 3 &&
		     l->batch_bits == (unsigned)kg.bits_per_level &&
		     (d == 0 || l->index_bits == (unsigned)kg.bits_per_level);
	}
	if (!ok)
		snprintf(msg, len,
			 "kernel start_level %d pgd_bits %d bits_per_level %d; libpgt n_levels %u "
			 "level0 label %u index_bits %u granule 0x%" PRIx64,
			 kg.start_level, kg.pgd_bits, kg.bits_per_level, g->n_levels,
			 g->level[0].label, g->level[0].index_bits, g->granule);
	return ok;
}

/* --- descriptor walks ------------------------------------------------ */

enum ent_kind { E_LEAF, E_TABLE, E_JUNK };

struct ent {
	uint64_t iova;
	uint64_t raw; /* tables: address field masked */
	uint16_t label;
	uint8_t kind;
};

struct entv {
	struct ent *v;
	size_t n, cap;
};

static void entv_add(struct entv *e, struct ent x)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 1024;
		e->v = realloc(e->v, e->cap * sizeof(*e->v));
		if (!e->v)
			abort();
	}
	e->v[e->n++] = x;
}

typedef const uint8_t *(*ptr_fn)(void *ctx, uint64_t pa, uint64_t len);

/* A walker of its own, independent of libpgt's: only the level geometry
 * comes from libpgt (and is checked against the kernel's separately). */
struct walker {
	const struct pgt_geometry *g;
	bool mali;
	ptr_fn ptr;
	void *ctx;
	struct entv *out;
	unsigned long tables; /* including the root */
	unsigned long unreadable;
};

static uint64_t table_pa(const struct walker *w, uint64_t raw)
{
	uint64_t x = raw & ADDR_MASK;
	if (w->g->granule < SZ_64K)
		return x;
	return (x | (x << 36)) & (ADDR_MASK << 4);
}

static void walk_table(struct walker *w, unsigned depth, uint64_t pa, uint64_t base)
{
	const struct pgt_level_geom *l = &w->g->level[depth];
	uint64_t n = 1ull << l->index_bits;
	const uint8_t *p = w->ptr(w->ctx, pa, n * 8);
	w->tables++;
	if (!p) {
		w->unreadable++;
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t raw;
		memcpy(&raw, p + i * 8, 8);
		if (!raw)
			continue;
		uint64_t iova = base + (i << l->shift);
		bool leaf = (l->label == 3 && !w->mali) ? (raw & 3) == 3 : (raw & 3) == 1;
		if (leaf) {
			entv_add(w->out, (struct ent){iova, raw, (uint16_t)l->label, E_LEAF});
		} else if (depth + 1 >= w->g->n_levels) {
			entv_add(w->out, (struct ent){iova, raw, (uint16_t)l->label, E_JUNK});
		} else {
			entv_add(w->out,
				 (struct ent){iova, raw & ~ADDR_MASK, (uint16_t)l->label, E_TABLE});
			walk_table(w, depth + 1, table_pa(w, raw), iova);
		}
	}
}

static const uint8_t *kernel_ptr(void *ctx, uint64_t pa, uint64_t len)
{
	return kview_ptr(&((struct pair *)ctx)->kv.mem, pa, len);
}

static const uint8_t *libpgt_ptr(void *ctx, uint64_t pa, uint64_t len)
{
	return pgt_mem_ptr(pgt_table_mem(((struct pair *)ctx)->t), pa, len);
}

static void walk_kernel(struct pair *p, struct entv *out, unsigned long *tables)
{
	struct walker w = {pgt_table_geometry(p->t), p->rc->f->kind == K_MALI, kernel_ptr, p, out,
			   0, 0};
	walk_table(&w, 0, oracle_root(p->k), pgt_table_geometry(p->t)->iova_high);
	*tables = w.tables;
}

static void walk_libpgt(struct pair *p, struct entv *out, unsigned long *tables)
{
	pgt_addr root;
	pgt_table_roots(p->t, &root);
	struct walker w = {pgt_table_geometry(p->t), p->rc->f->kind == K_MALI, libpgt_ptr, p, out,
			   0, 0};
	walk_table(&w, 0, root, pgt_table_geometry(p->t)->iova_high);
	*tables = w.tables;
}

struct leaf_collect {
	struct entv *out;
	const struct pgt_geometry *g;
	unsigned long problems;
	unsigned long tables;
	char first_problem[200];
};

static int collect_leaf(void *ctx, const struct pgt_leaf *lf)
{
	struct leaf_collect *c = ctx;
	entv_add(c->out, (struct ent){lf->iova, lf->raw, (uint16_t)lf->label, E_LEAF});
	return 0;
}

/* A table met: recorded as the descriptor that leads to it, address masked. */
static int collect_table(void *ctx, const struct pgt_table_visit *tv)
{
	struct leaf_collect *c = ctx;
	c->tables++;
	if (tv->depth > 0)
		entv_add(c->out, (struct ent){tv->iova, tv->raw & ~ADDR_MASK,
					      (uint16_t)c->g->level[tv->depth - 1].label, E_TABLE});
	return 0;
}

static int collect_problem(void *ctx, const struct pgt_problem *pr)
{
	struct leaf_collect *c = ctx;
	if (!c->problems++)
		snprintf(c->first_problem, sizeof(c->first_problem), "iova 0x%" PRIx64 ": %s",
			 pr->iova, pr->why);
	return 0;
}

/* Descriptors of a table as pgt_walk_range sees them. */
static int walk_range_leaves(struct pgt_table *t, struct entv *out, struct leaf_collect *c)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->g = pgt_table_geometry(t);
	struct pgt_visitor v = {
		.table = collect_table,
		.leaf = collect_leaf,
		.problem = collect_problem,
		.check_descriptors = false,
		.ctx = c,
	};
	return pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v);
}

static const char *ent_kind_name(uint8_t k)
{
	return k == E_LEAF ? "leaf" : k == E_TABLE ? "table" : "junk";
}

static bool ent_eq(const struct ent *a, const struct ent *b)
{
	return a->iova == b->iova && a->raw == b->raw && a->label == b->label && a->kind == b->kind;
}

/* Compare two descriptor lists; report the first difference. */
static bool compare_ents(struct check *c, const char *label, const char *what,
			 const struct entv *k, const char *kname, const struct entv *l,
			 const char *lname)
{
	size_t i = 0, j = 0;
	for (; i < k->n && j < l->n; i++, j++) {
		if (!ent_eq(&k->v[i], &l->v[j])) {
			check_fail(c, label,
				   "%s: first difference: %s %s iova 0x%" PRIx64 " level %u raw 0x%016" PRIx64
				   ", %s %s iova 0x%" PRIx64 " level %u raw 0x%016" PRIx64,
				   what, kname, ent_kind_name(k->v[i].kind), k->v[i].iova,
				   k->v[i].label, k->v[i].raw, lname, ent_kind_name(l->v[j].kind),
				   l->v[j].iova, l->v[j].label, l->v[j].raw);
			return false;
		}
	}
	if (i != k->n || j != l->n) {
		const struct ent *x = i != k->n ? &k->v[i] : &l->v[j];
		check_fail(c, label,
			   "%s: %s has an extra %s at iova 0x%" PRIx64 " level %u raw 0x%016" PRIx64,
			   what, i != k->n ? kname : lname, ent_kind_name(x->kind), x->iova, x->label,
			   x->raw);
		return false;
	}
	return true;
}

/* Every descriptor of both tables, plus libpgt's own range walk of its
 * table and of the kernel's. */
static void compare_structure(struct pair *p, const char *when)
{
	struct entv k = {0}, l = {0}, r = {0}, kr = {0};
	unsigned long kt, lt;
	char what[96];

	p->c_desc.n++;
	walk_kernel(p, &k, &kt);
	walk_libpgt(p, &l, &lt);
	snprintf(what, sizeof(what), "%s: descriptors", when);
	compare_ents(&p->c_desc, p->label, what, &k, "kernel", &l, "libpgt");
	for (size_t i = 0; i < k.n; i++)
		if (k.v[i].kind == E_JUNK) {
			check_fail(&p->c_desc, p->label,
				   "%s: kernel table has a non-leaf at the last level, iova 0x%" PRIx64,
				   when, k.v[i].iova);
			break;
		}

	/* The kernel's table memory holds exactly the tables reachable from the root. */
	struct oracle_stats st;
	oracle_stats(p->k, &st);
	if ((unsigned long)st.live_blocks != kt)
		check_fail(&p->c_desc, p->label,
			   "%s: kernel has %ld table allocations but %lu tables are reachable", when,
			   st.live_blocks, kt);

	/* pgt_walk_range over libpgt's own table */
	struct leaf_collect c;
	int rc = walk_range_leaves(p->t, &r, &c);
	snprintf(what, sizeof(what), "%s: pgt_walk_range of libpgt's table", when);
	compare_ents(&p->c_desc, p->label, what, &l, "own walker", &r, "pgt_walk_range");
	if (rc || c.problems || c.tables != lt)
		check_fail(&p->c_desc, p->label,
			   "%s: pgt_walk_range of libpgt's table: rc %d, %lu problems (%s), %lu "
			   "tables (own walker %lu)",
			   when, rc, c.problems, c.first_problem, c.tables, lt);

	/* pgt_walk_range over the kernel's table, attached */
	p->c_attach.n++;
	rc = walk_range_leaves(p->kt, &kr, &c);
	snprintf(what, sizeof(what), "%s: pgt_walk_range of the kernel's table", when);
	compare_ents(&p->c_attach, p->label, what, &k, "kernel (own walker)", &kr,
		     "libpgt attached");
	if (rc || c.problems || c.tables != kt)
		check_fail(&p->c_attach, p->label,
			   "%s: pgt_walk_range of the kernel's table: rc %d, %lu problems (%s), "
			   "%lu tables (own walker %lu)",
			   when, rc, c.problems, c.first_problem, c.tables, kt);
	free(k.v);
	free(l.v);
	free(r.v);
	free(kr.v);
}

/* --- operations on both ---------------------------------------------- */

static const char *tlb_kind(enum oracle_tlb_kind k)
{
	return k == ORACLE_TLB_FLUSH_ALL ? "flush_all" : k == ORACLE_TLB_FLUSH_WALK ? "flush_walk"
									 : "add_page";
}

static void clear_logs(struct pair *p)
{
	oracle_tlb_clear(p->k);
	p->plog.n = 0;
}

static void compare_logs(struct pair *p, const char *op)
{
	const struct oracle_tlb *kl;
	size_t kn = oracle_tlb_log(p->k, &kl);
	p->c_tlb.n++;
	for (size_t i = 0; i < kn; i++) {
		if (kl[i].kind == ORACLE_TLB_FLUSH_WALK)
			p->n_flush_walk++;
		else if (kl[i].kind == ORACLE_TLB_ADD_PAGE)
			p->n_add_page++;
	}
	size_t n = kn < p->plog.n ? kn : p->plog.n;
	for (size_t i = 0; i < n; i++) {
		const struct oracle_tlb *a = &kl[i], *b = &p->plog.v[i];
		if (a->kind != b->kind || a->iova != b->iova || a->size != b->size ||
		    a->granule != b->granule) {
			check_fail(&p->c_tlb, p->label,
				   "%s: callback %zu of %zu: kernel %s(0x%" PRIx64 ", 0x%" PRIx64
				   ", 0x%" PRIx64 "), libpgt %s(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
				   ")",
				   op, i, kn, tlb_kind(a->kind), a->iova, a->size, a->granule,
				   tlb_kind(b->kind), b->iova, b->size, b->granule);
			return;
		}
	}
	if (kn != p->plog.n) {
		const struct oracle_tlb *x = kn > p->plog.n ? &kl[n] : &p->plog.v[n];
		check_fail(&p->c_tlb, p->label,
			   "%s: kernel made %zu TLB callbacks, libpgt %zu; first extra: %s %s(0x%" PRIx64
			   ", 0x%" PRIx64 ", 0x%" PRIx64 ")",
			   op, kn, p->plog.n, kn > p->plog.n ? "kernel" : "libpgt", tlb_kind(x->kind),
			   x->iova, x->size, x->granule);
	}
}

static unsigned long kernel_warns(struct pair *p)
{
	struct oracle_stats st;
	oracle_stats(p->k, &st);
	return st.warns;
}

static void sample_phys(struct pair *p, uint64_t iova)
{
	/* only inside the input range: the kernel does not check it */
	if ((iova & ~(p->space - 1)) != p->iova_high)
		return;
	uint64_t kpa = oracle_iova_to_phys(p->k, iova);
	uint64_t lpa = pgt_iova_to_phys(p->t, iova);
	struct pgt_walk w;
	bool ok = pgt_translate(p->kt, iova, &w);
	uint64_t apa = ok ? w.pa : 0;
	p->n_samples++;
	p->c_phys.n++;
	p->c_attach.n++;
	if (kpa != lpa)
		check_fail(&p->c_phys, p->label,
			   "iova_to_phys(0x%" PRIx64 "): kernel 0x%" PRIx64 ", libpgt 0x%" PRIx64, iova,
			   kpa, lpa);
	if (kpa != apa)
		check_fail(&p->c_attach, p->label,
			   "pgt_translate(0x%" PRIx64 ") on the kernel's table: kernel 0x%" PRIx64
			   ", libpgt %s 0x%" PRIx64 " (%s)",
			   iova, kpa, ok ? "translates to" : "stops", apa,
			   ok ? "" : pgt_stop_name(w.stop));
}

static void sample_range(struct pair *p, uint64_t iova, uint64_t len)
{
	sample_phys(p, iova);
	if (len > 1) {
		sample_phys(p, iova + len - 1);
		sample_phys(p, iova + rnd_below(len));
	}
}

static char *fmt_prot(unsigned prot, char *b)
{
	snprintf(b, 32, "%s%s%s%s%s%s", prot & PGT_READ ? "r" : "", prot & PGT_WRITE ? "w" : "",
		 prot & PGT_CACHE ? "c" : "", prot & PGT_NOEXEC ? "x" : "",
		 prot & PGT_MMIO ? "m" : "", prot & PGT_PRIV ? "p" : "");
	return b;
}

/* One map request as the iommu core makes it: map_pages until all is
 * mapped or a call fails. Returns bytes mapped (kernel). */
static uint64_t do_map(struct pair *p, uint64_t iova, uint64_t pa, uint64_t pgsize,
		       uint64_t pgcount, unsigned prot)
{
	uint64_t done = 0;
	char op[160], pb[32];
	while (done < pgcount) {
		uint64_t at = iova + done * pgsize, pat = pa + done * pgsize, n = pgcount - done;
		uint64_t km = 0, pm = 0;
		struct pgt_error err = {0};
		snprintf(op, sizeof(op),
			 "map_pages(iova 0x%" PRIx64 ", pa 0x%" PRIx64 ", pgsize 0x%" PRIx64
			 ", pgcount %" PRIu64 ", prot %s)",
			 at, pat, pgsize, n, fmt_prot(prot, pb));
		clear_logs(p);
		unsigned long w0 = kernel_warns(p);
		int krc = oracle_map_pages(p->k, at, pat, pgsize, n, prot, &km);
		bool kwarn = kernel_warns(p) != w0;
		int prc = pgt_map_pages(p->t, at, pat, pgsize, n, prot, &pm, &err);
		p->n_map_calls++;
		p->c_ops.n++;
		if (krc != prc || km != pm)
			check_fail(&p->c_ops, p->label,
				   "%s: kernel rc %d mapped 0x%" PRIx64 ", libpgt rc %d mapped 0x%" PRIx64
				   "%s%s",
				   op, krc, km, prc, pm, prc ? ": " : "", prc ? err.msg : "");
		p->c_warn.n++;
		if (kwarn != (krc != 0))
			check_fail(&p->c_warn, p->label, "%s: kernel rc %d but %s WARN", op, krc,
				   kwarn ? "a" : "no");
		if (krc == -EEXIST)
			p->n_eexist++;
		if (krc == -EEXIST && oracle_tlb_log(p->k, &(const struct oracle_tlb *){0}))
			p->n_eexist_teardown++;
		if (km < n * pgsize && !krc)
			p->n_partial++;
		compare_logs(p, op);
		if (krc || prc || !km || km != pm)
			break;
		done += km / pgsize;
	}
	sample_range(p, iova, pgcount * pgsize);
	return done * pgsize;
}

/* One unmap request as iommu_unmap makes it. */
static uint64_t do_unmap(struct pair *p, uint64_t iova, uint64_t pgsize, uint64_t pgcount,
			 enum oracle_gather gather)
{
	static const char *gname[] = {"NULL", "gather", "queued gather"};
	uint64_t done = 0;
	char op[160];
	struct pgt_unmap_opts opts = {
		.split = PGT_SPLIT_612,
		.gather = gather != ORACLE_GATHER_NULL,
		.gather_queued = gather == ORACLE_GATHER_QUEUED,
	};
	while (done < pgcount) {
		uint64_t at = iova + done * pgsize, n = pgcount - done;
		struct pgt_error err = {0};
		snprintf(op, sizeof(op),
			 "unmap_pages(iova 0x%" PRIx64 ", pgsize 0x%" PRIx64 ", pgcount %" PRIu64
			 ", %s)",
			 at, pgsize, n, gname[gather]);
		clear_logs(p);
		unsigned long w0 = kernel_warns(p);
		struct oracle_stats s0, s1;
		oracle_stats(p->k, &s0);
		uint64_t ku = oracle_unmap_pages(p->k, at, pgsize, n, gather);
		oracle_stats(p->k, &s1);
		bool kwarn = kernel_warns(p) != w0;
		uint64_t pu = pgt_unmap_pages(p->t, at, pgsize, n, &opts, &err);
		p->n_unmap_calls++;
		p->c_ops.n++;
		if (s1.allocs != s0.allocs)
			p->n_splits++;
		if (!ku)
			p->n_holes++;
		if (ku != pu)
			check_fail(&p->c_ops, p->label,
				   "%s: kernel unmapped 0x%" PRIx64 ", libpgt 0x%" PRIx64 "%s%s", op, ku,
				   pu, err.code ? ": " : "", err.code ? err.msg : "");
		p->c_warn.n++;
		if (kwarn != (err.code != 0) || (err.code && err.code != -ENOENT))
			check_fail(&p->c_warn, p->label,
				   "%s: kernel %s (%s); libpgt err %d (%s)", op,
				   kwarn ? "WARNed" : "did not WARN", kwarn ? s1.last_warn : "-",
				   err.code, err.code ? err.msg : "-");
		compare_logs(p, op);
		if (!ku || ku != pu)
			break;
		done += ku / pgsize;
	}
	sample_range(p, iova, pgcount * pgsize);
	return done * pgsize;
}

/* --- setting up and tearing down ------------------------------------- */

static int pair_open(struct pair *p, const struct run_cfg *rc, char *msg, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->rc = rc;
	p->label = rc->label;
	p->c_ops.name = "return values";
	p->c_tlb.name = "TLB callbacks";
	p->c_desc.name = "descriptors";
	p->c_phys.name = "iova_to_phys";
	p->c_attach.name = "libpgt on the kernel's memory";
	p->c_warn.name = "WARN vs libpgt error";

	struct oracle_cfg kin;
	fill_kcfg(&kin, rc->quirks, rc->pgsizes, rc->ias, rc->oas, rc->coherent);
	int krc = oracle_create(rc->f->kf, &kin, KERNEL_PHYS_BASE, KERNEL_PHYS_LEN, &p->k, &p->kcfg);
	p->pf = pgt_format_find(rc->f->name);
	fill_pcfg(&p->pcfg, rc->quirks, rc->pgsizes, rc->ias, rc->oas, rc->coherent);
	struct pgt_error err = {0};
	p->arena = pgt_arena_new(ARENA_BASE);
	int prc = p->pf && p->arena ? pgt_table_create(p->pf, &p->pcfg, p->arena, &p->t, &err)
				    : -ENOENT;
	if (krc || prc) {
		snprintf(msg, len, "kernel alloc %s, libpgt create %s (%.300s)",
			 krc ? "refused" : "accepted", prc ? "refused" : "accepted",
			 prc ? err.msg : "-");
		return -1;
	}
	pgt_table_set_events(p->t, &events, p);

	const struct pgt_cfg *nc = pgt_table_cfg(p->t);
	if (nc->pgsize_bitmap != p->kcfg.pgsize_bitmap || nc->ias != p->kcfg.ias ||
	    nc->oas != p->kcfg.oas) {
		snprintf(msg, len,
			 "narrowed cfg differs: kernel pgsize_bitmap 0x%" PRIx64
			 " ias %u oas %u, libpgt 0x%" PRIx64 " ias %u oas %u",
			 p->kcfg.pgsize_bitmap, p->kcfg.ias, p->kcfg.oas, nc->pgsize_bitmap, nc->ias,
			 nc->oas);
		return -1;
	}

	p->kv.mem.ops = &kview_ops;
	p->kv.mem.name = "kernel simulated memory";
	p->kv.k = p->k;
	pgt_addr kroot = oracle_root(p->k);
	if (pgt_table_attach(p->pf, &p->pcfg, &p->kv.mem, &kroot, 1, &p->kt, &err)) {
		snprintf(msg, len, "pgt_table_attach to the kernel's root 0x%" PRIx64 ": %.300s", kroot,
			 err.msg);
		return -1;
	}

	uint64_t bm = p->kcfg.pgsize_bitmap;
	for (unsigned b = 0; b < 64; b++)
		if (bm & (1ull << b))
			p->sizes[p->n_sizes++] = 1ull << b;
	p->granule = p->sizes[0];
	p->top = p->sizes[p->n_sizes - 1];
	p->space = 1ull << p->kcfg.ias;
	p->pa_limit = 1ull << p->kcfg.oas;
	p->iova_high = (rc->quirks & PGT_QUIRK_ARM_TTBR1) ? ~0ull << p->kcfg.ias : 0;
	p->wsize = 4 * p->top < p->space ? 4 * p->top : p->space;
	p->wbase = rnd_below((p->space - p->wsize) / p->top + 1) * p->top;
	p->table_entries = (unsigned)(p->granule / 8);
	msg[0] = 0;
	return 0;
}

static void pair_close(struct pair *p)
{
	if (p->kt)
		pgt_table_destroy(p->kt);
	if (p->t)
		pgt_table_destroy(p->t);
	if (p->arena)
		pgt_mem_destroy(p->arena);
	if (p->k)
		oracle_destroy(p->k);
	free(p->plog.v);
	p->k = NULL;
	p->t = p->kt = NULL;
	p->arena = NULL;
}

/* --- directed sequence ----------------------------------------------- */

static uint64_t W(struct pair *p, uint64_t off)
{
	return p->iova_high | (p->wbase + off);
}

static uint64_t pa_base(struct pair *p)
{
	/* high output addresses, as far as oas lets them be */
	uint64_t b = p->pa_limit > p->wsize ? p->pa_limit - p->wsize : 0;
	return b & ~(p->top - 1);
}

static void directed(struct pair *p)
{
	const unsigned rwc = PGT_READ | PGT_WRITE | PGT_CACHE;
	const uint64_t G = p->granule, top = p->top;
	const uint64_t pb = pa_base(p);
	const enum oracle_gather g = ORACLE_GATHER;

	for (unsigned k = 0; k < p->n_sizes; k++) {
		const uint64_t S = p->sizes[k];
		const uint64_t r = k * top, pa = pb + k * top;
		if (r + top > p->wsize)
			break;
		/* a mapping, and every size over it: EEXIST */
		do_map(p, W(p, r), pa, S, 1, rwc);
		for (unsigned j = 0; j <= k; j++)
			do_map(p, W(p, r), pa, p->sizes[j], 1, PGT_READ);
		if (k > 0) {
			/* a fresh block split as the reference examples do */
			if (k + 1 < p->n_sizes) {
				do_map(p, W(p, r + S), pa + S, S, 1, rwc | PGT_NOEXEC);
				do_unmap(p, W(p, r + S + S - 2 * G), G, 4, ORACLE_GATHER_NULL);
				do_unmap(p, W(p, r + S), S, 1, g);
			}
			do_unmap(p, W(p, r + G), G, 1, g);
			do_map(p, W(p, r + G), pa + G, G, 1, rwc);
			do_unmap(p, W(p, r + 3 * G), G, 3, g);
			if (k >= 2)
				do_unmap(p, W(p, r + p->sizes[1]), p->sizes[1], 2, g);
			do_unmap(p, W(p, r + S - 2 * G), G, 4, ORACLE_GATHER_QUEUED);
			/* the block's slot now holds a table: this tears it down */
			do_unmap(p, W(p, r), S, 1, g);
			/* a batch cut at the end of a table, then a block over the pages */
			do_map(p, W(p, r), pa, G, p->table_entries + 5, PGT_WRITE | PGT_MMIO);
			do_map(p, W(p, r), pa, S, 1, PGT_READ | PGT_PRIV);
			do_unmap(p, W(p, r), S, 1, g);
			/* a batch meeting a table, an empty slot, then a leaf: the table
			 * is torn down before the leaf fails the call with EEXIST */
			if (r + 3 * S <= p->wsize) {
				do_map(p, W(p, r), pa, G, 2, rwc);
				do_map(p, W(p, r + 2 * S), pa, S, 1, rwc);
				do_map(p, W(p, r), pa, S, 3, rwc);
				do_unmap(p, W(p, r), S, 3, g);
			}
		}
		/* holes */
		do_unmap(p, W(p, r), G, 1, g);
		do_unmap(p, W(p, r), S, 2, g);
		/* the smallest page, then the largest block over its tables */
		do_map(p, W(p, r), pa, G, 3, rwc);
		do_map(p, W(p, r), pa, top, 1, rwc);
		do_unmap(p, W(p, r), top, 1, ORACLE_GATHER_NULL);
	}
	/* a run crossing the end of a top-level-block-sized range */
	if (p->n_sizes > 1 && 2 * top <= p->wsize) {
		uint64_t S = p->sizes[p->n_sizes - 2];
		do_map(p, W(p, top - S), pb, S, 2, PGT_READ | PGT_WRITE);
		do_unmap(p, W(p, top - S), S, 2, g);
	}
	/* a batch crossing the boundary between the granule-sized tables of a
	 * concatenated stage-2 root */
	const struct pgt_level_geom *l0 = &pgt_table_geometry(p->t)->level[0];
	if (l0->index_bits > l0->batch_bits && (l0->leaf_sizes & (1ull << l0->shift))) {
		uint64_t S = 1ull << l0->shift;
		uint64_t iova = ((1ull << l0->batch_bits) - 1) << l0->shift;
		do_map(p, p->iova_high | iova, pb, S, 3, PGT_READ | PGT_WRITE);
		do_unmap(p, p->iova_high | iova, S, 3, g);
		do_map(p, p->iova_high | iova, pb, G, p->table_entries + 1, PGT_READ);
		do_unmap(p, p->iova_high | iova, S, 2, g);
	}
	compare_structure(p, "after the directed sequence");
	do_unmap(p, W(p, 0), top, p->wsize / top, g);
}

/* --- random sequence ------------------------------------------------- */

static unsigned rnd_prot(void)
{
	unsigned prot = (unsigned)rnd_below(64);
	if (!(prot & (PGT_READ | PGT_WRITE)))
		prot |= chance(50) ? PGT_READ : PGT_WRITE;
	return prot;
}

static uint64_t rnd_count(struct pair *p)
{
	unsigned r = (unsigned)rnd_below(100);
	if (r < 65)
		return 1 + rnd_below(4);
	if (r < 90)
		return 1 + rnd_below(64);
	return 1 + rnd_below(p->table_entries + 64);
}

static void hot_add(struct pair *p, uint64_t off)
{
	p->hot[p->n_hot++ % 64] = off;
}

/* A window offset aligned to pgsize, often near an earlier operation. */
static uint64_t pick_offset(struct pair *p, uint64_t pgsize, unsigned hot_percent)
{
	uint64_t slots = p->wsize / pgsize;
	if (p->n_hot && chance(hot_percent)) {
		uint64_t h = p->hot[rnd_below(p->n_hot < 64 ? p->n_hot : 64)] / pgsize;
		int64_t d = (int64_t)rnd_below(9) - 4;
		if ((int64_t)h + d < 0)
			d = 0;
		h = (uint64_t)((int64_t)h + d);
		if (h >= slots)
			h = slots - 1;
		return h * pgsize;
	}
	return rnd_below(slots) * pgsize;
}

static uint64_t pick_size(struct pair *p)
{
	/* the 4T size (when present) rarely */
	unsigned n = p->n_sizes;
	if (p->sizes[n - 1] == SZ_4T && !chance(5))
		n--;
	return p->sizes[rnd_below(n)];
}

static uint64_t pick_pa(struct pair *p, uint64_t pgsize, uint64_t *count)
{
	uint64_t slots = p->pa_limit / pgsize;
	if (*count > slots)
		*count = slots;
	return rnd_below(slots - *count + 1) * pgsize;
}

static enum oracle_gather pick_gather(void)
{
	unsigned r = (unsigned)rnd_below(100);
	return r < 80 ? ORACLE_GATHER : r < 90 ? ORACLE_GATHER_NULL : ORACLE_GATHER_QUEUED;
}

static void random_ops(struct pair *p, unsigned nops)
{
	for (unsigned i = 0; i < nops; i++) {
		unsigned r = (unsigned)rnd_below(100);
		uint64_t pgsize = pick_size(p), count = rnd_count(p);
		if (r < 2) {
			/* clear the window */
			do_unmap(p, W(p, 0), p->top, p->wsize / p->top, ORACLE_GATHER);
		} else if (r < 8) {
			/* anywhere in the input space, sparse */
			uint64_t iova = rnd_below(p->space / pgsize) * pgsize;
			if (count > (p->space - iova) / pgsize)
				count = (p->space - iova) / pgsize;
			if (count > 3)
				count = 3;
			if (chance(60)) {
				uint64_t pa = pick_pa(p, pgsize, &count);
				do_map(p, p->iova_high | iova, pa, pgsize, count, rnd_prot());
			} else {
				do_unmap(p, p->iova_high | iova, pgsize, count, pick_gather());
			}
		} else if (r < 58) {
			uint64_t off = pick_offset(p, pgsize, 50);
			if (count > (p->wsize - off) / pgsize)
				count = (p->wsize - off) / pgsize;
			uint64_t pa = pick_pa(p, pgsize, &count);
			hot_add(p, off);
			do_map(p, W(p, off), pa, pgsize, count, rnd_prot());
		} else {
			uint64_t off = pick_offset(p, pgsize, 75);
			if (pgsize > p->granule && off + 2 * pgsize <= p->wsize && chance(3))
				off += rnd_below(pgsize / p->granule) * p->granule;
			if (count > (p->wsize - off) / pgsize)
				count = (p->wsize - off) / pgsize;
			if (!count)
				count = 1;
			hot_add(p, off);
			do_unmap(p, W(p, off), pgsize, count, pick_gather());
		}
		if ((i + 1) % 500 == 0 && i + 1 < nops) {
			char when[48];
			snprintf(when, sizeof(when), "after random op %u", i + 1);
			compare_structure(p, when);
		}
	}
}

/* libpgt attached to a raw file of the kernel's memory: every leaf of the
 * kernel's table must translate as the kernel translates it. */
static void check_rawfile(struct pair *p)
{
	uint64_t base, len;
	const uint8_t *buf = oracle_mem(p->k, &base, &len);
	char path[] = "/tmp/pgt-kernel-mem.XXXXXX";
	int fd = mkstemp(path);
	p->c_attach.n++;
	if (fd < 0) {
		check_fail(&p->c_attach, p->label, "mkstemp: %s", strerror(errno));
		return;
	}
	uint64_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w <= 0)
			break;
		off += (uint64_t)w;
	}
	close(fd);
	struct pgt_error err = {0};
	struct pgt_mem *mem = off == len ? pgt_rawfile_open(path, base, &err) : NULL;
	struct pgt_table *t = NULL;
	pgt_addr root = oracle_root(p->k);
	if (!mem || pgt_table_attach(p->pf, &p->pcfg, mem, &root, 1, &t, &err)) {
		check_fail(&p->c_attach, p->label, "raw file of the kernel's memory: %s", err.msg);
		pgt_mem_destroy(mem);
		unlink(path);
		return;
	}
	struct entv k = {0};
	unsigned long kt;
	walk_kernel(p, &k, &kt);
	unsigned long bad = 0;
	for (size_t i = 0; i < k.n && bad < MAX_DIAG; i++) {
		if (k.v[i].kind != E_LEAF)
			continue;
		const struct pgt_level_geom *l = NULL;
		const struct pgt_geometry *g = pgt_table_geometry(t);
		for (unsigned d = 0; d < g->n_levels; d++)
			if (g->level[d].label == k.v[i].label)
				l = &g->level[d];
		uint64_t span = l ? 1ull << l->shift : 1;
		uint64_t probe[3] = {k.v[i].iova, k.v[i].iova + span - 1, k.v[i].iova + rnd_below(span)};
		for (int j = 0; j < 3; j++) {
			struct pgt_walk w;
			uint64_t kpa = oracle_iova_to_phys(p->k, probe[j]);
			bool ok = pgt_translate(t, probe[j], &w);
			p->c_attach.n++;
			if (!ok || w.pa != kpa) {
				bad++;
				check_fail(&p->c_attach, p->label,
					   "raw file: pgt_translate(0x%" PRIx64 ") %s 0x%" PRIx64
					   ", kernel 0x%" PRIx64,
					   probe[j], ok ? "=" : "stops", ok ? w.pa : 0, kpa);
			}
		}
	}
	free(k.v);
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);
	unlink(path);
}

/* --- one configuration ----------------------------------------------- */

#define POINTS_PER_RUN 10

static void run_config(const struct run_cfg *rc)
{
	struct pair p;
	char msg[512];
	int rc_open = pair_open(&p, rc, msg, sizeof(msg));
	tap(!rc_open, "%s: both accept the configuration, narrowed alike%s%s", rc->label,
	    msg[0] ? ": " : "", msg);
	if (rc_open) {
		for (int i = 1; i < POINTS_PER_RUN; i++)
			tap(false, "%s: not run", rc->label);
		pair_close(&p);
		return;
	}
	bool ok = compare_regs(rc->f->kind, &p.kcfg, oracle_root(p.k), p.t, msg, sizeof(msg));
	tap(ok, "%s: registers%s", rc->label, msg);
	ok = compare_geometry(p.k, p.t, msg, sizeof(msg));
	tap(ok, "%s: geometry matches the kernel's%s%s", rc->label, ok ? "" : ": ", msg);

	struct check before = p.c_ops;
	struct check tlb_before = p.c_tlb;
	unsigned long desc_before = p.c_desc.fails;
	directed(&p);
	tap(p.c_ops.fails == before.fails && p.c_tlb.fails == tlb_before.fails &&
		    p.c_desc.fails == desc_before,
	    "%s: directed sequence (%lu calls): results, TLB callbacks, descriptors", rc->label,
	    p.c_ops.n - before.n);

	random_ops(&p, rc->nops);
	compare_structure(&p, "at the end");
	check_rawfile(&p);

	tap(!p.c_ops.fails, "%s: %u random ops: %lu map_pages and %lu unmap_pages calls agree",
	    rc->label, rc->nops, p.n_map_calls, p.n_unmap_calls);
	tap(!p.c_tlb.fails, "%s: TLB callbacks agree (%lu flush_walk, %lu add_page)", rc->label,
	    p.n_flush_walk, p.n_add_page);
	tap(!p.c_desc.fails, "%s: leaf and table descriptors agree (%lu comparisons)", rc->label,
	    p.c_desc.n);
	tap(!p.c_phys.fails, "%s: iova_to_phys agrees at %lu sampled IOVAs", rc->label,
	    p.n_samples);
	tap(!p.c_attach.fails && !p.c_warn.fails,
	    "%s: libpgt attached to the kernel's memory translates and walks alike; WARNs match "
	    "libpgt errors",
	    rc->label);
	if (verbose)
		diag("%s: %lu EEXIST (%lu after tearing down tables), %lu holes, %lu batches cut "
		     "short, %lu unmaps that split",
		     rc->label, p.n_eexist, p.n_eexist_teardown, p.n_holes, p.n_partial, p.n_splits);

	/* free_io_pgtable_ops: one flush_all, every table freed */
	oracle_tlb_clear(p.k);
	struct oracle *k = p.k;
	p.k = NULL;
	struct oracle_stats st;
	oracle_stats(k, &st);
	unsigned long allocs = st.allocs;
	long live = oracle_destroy(k);
	tap(live == 0, "%s: kernel teardown frees all %lu tables it allocated (%ld left)",
	    rc->label, allocs, live);
	pair_close(&p);
}

/* --- the allocation grid --------------------------------------------- */

static unsigned grid_fmt(const struct fmt_desc *f)
{
	static const uint64_t bitmaps[] = {
		SZ_4K | SZ_2M | SZ_1G,
		SZ_16K | SZ_32M,
		SZ_64K | SZ_512M,
		SZ_64K | SZ_512M | SZ_4T,
		SZ_4K | SZ_16K | SZ_64K | SZ_2M | SZ_32M | SZ_512M | SZ_1G | SZ_4T,
		SZ_16K | SZ_64K | SZ_32M | SZ_512M,
		SZ_2M | SZ_1G,
		KIB(2) | SZ_64K,
		KIB(8) | SZ_2M,
	};
	static const unsigned iass[] = {32, 36, 39, 40, 41, 42, 43, 44, 47, 48, 49, 52, 56};
	static const unsigned oass[] = {32, 33, 36, 40, 42, 44, 48, 52, 56};
	static const uint64_t quirkss[] = {
		0,
		PGT_QUIRK_ARM_NS,
		PGT_QUIRK_NO_PERMS,
		PGT_QUIRK_ARM_TTBR1,
		PGT_QUIRK_ARM_OUTER_WBWA,
		PGT_QUIRK_ARM_HD,
		PGT_QUIRK_ARM_NS | PGT_QUIRK_ARM_TTBR1 | PGT_QUIRK_ARM_HD,
		PGT_QUIRK_ARM_S2FWB,
	};
	const struct pgt_format *pf = pgt_format_find(f->name);
	unsigned long combos = 0, accepted = 0, fails = 0;
	struct check c = {"allocation", 0, 0};
	char label[64];
	snprintf(label, sizeof(label), "%s alloc grid", f->name);

	for (size_t b = 0; b < sizeof(bitmaps) / sizeof(bitmaps[0]); b++)
		for (size_t i = 0; i < sizeof(iass) / sizeof(iass[0]); i++)
			for (size_t o = 0; o < sizeof(oass) / sizeof(oass[0]); o++)
				for (size_t q = 0; q < sizeof(quirkss) / sizeof(quirkss[0]); q++)
					for (int coh = 0; coh < 2; coh++) {
						struct oracle_cfg kin, kout;
						struct pgt_cfg pin;
						struct oracle *k = NULL;
						struct pgt_table *t = NULL;
						struct pgt_error err = {0};
						char msg[512];
						fill_kcfg(&kin, quirkss[q], bitmaps[b], iass[i],
							  oass[o], coh);
						fill_pcfg(&pin, quirkss[q], bitmaps[b], iass[i],
							  oass[o], coh);
						combos++;
						int krc = oracle_create(f->kf, &kin, KERNEL_PHYS_BASE,
									GRID_PHYS_LEN, &k, &kout);
						struct pgt_mem *arena = pgt_arena_new(ARENA_BASE);
						int prc = pgt_table_create(pf, &pin, arena, &t, &err);
						char cfgs[160];
						snprintf(cfgs, sizeof(cfgs),
							 "pgsize_bitmap 0x%" PRIx64
							 " ias %u oas %u quirks 0x%" PRIx64 "%s",
							 bitmaps[b], iass[i], oass[o], quirkss[q],
							 coh ? "" : " non-coherent");
						if (krc == -ENOMEM) {
							check_fail(&c, label, "%s: no memory", cfgs);
							fails++;
						} else if (!krc != !prc) {
							fails++;
							check_fail(&c, label,
								   "%s: kernel %s, libpgt %s%s%s", cfgs,
								   krc ? "refuses" : "accepts",
								   prc ? "refuses" : "accepts",
								   prc ? ": " : "", prc ? err.msg : "");
						} else if (!krc) {
							accepted++;
							const struct pgt_cfg *nc = pgt_table_cfg(t);
							if (nc->pgsize_bitmap != kout.pgsize_bitmap ||
							    nc->ias != kout.ias || nc->oas != kout.oas) {
								fails++;
								check_fail(
									&c, label,
									"%s: narrowed to 0x%" PRIx64
									" ias %u oas %u by the kernel, 0x%" PRIx64
									" ias %u oas %u by libpgt",
									cfgs, kout.pgsize_bitmap, kout.ias,
									kout.oas, nc->pgsize_bitmap, nc->ias,
									nc->oas);
							} else if (!compare_regs(f->kind, &kout,
										 oracle_root(k), t, msg,
										 sizeof(msg))) {
								fails++;
								check_fail(&c, label, "%s: registers:%s",
									   cfgs, msg);
							} else if (!compare_geometry(k, t, msg,
										     sizeof(msg))) {
								fails++;
								check_fail(&c, label, "%s: geometry: %s",
									   cfgs, msg);
							}
						}
						if (k && oracle_destroy(k)) {
							fails++;
							check_fail(&c, label, "%s: kernel leaked", cfgs);
						}
						if (t)
							pgt_table_destroy(t);
						pgt_mem_destroy(arena);
					}
	tap(!fails, "%s: %lu configurations, %lu accepted: acceptance, narrowed cfg, registers "
		    "and geometry agree",
	    label, combos, accepted);
	return (unsigned)fails;
}

/* --- checks that the oracle reproduces documented 6.12 behaviour ----- */

static bool oracle_selfcheck(char *msg, size_t len)
{
	struct oracle_cfg in, out;
	struct oracle *k;
	fill_kcfg(&in, 0, SZ_4K | SZ_2M | SZ_1G, 48, 48, true);
	if (oracle_create(ORACLE_ARM_64_LPAE_S1, &in, KERNEL_PHYS_BASE, GRID_PHYS_LEN * 16, &k,
			  &out)) {
		snprintf(msg, len, "alloc failed");
		return false;
	}
	bool ok = true;
	const struct oracle_tlb *log;
	uint64_t mapped = 0;
	struct oracle_stats st;
#define EXPECT(cond, ...)                                                                  \
	do {                                                                               \
		if (ok && !(cond)) {                                                       \
			ok = false;                                                        \
			snprintf(msg, len, __VA_ARGS__);                                   \
		}                                                                          \
	} while (0)
	EXPECT(out.mair == 0xFFFFFFFFF404FF44ull, "mair 0x%" PRIx64, out.mair);
	EXPECT(out.tcr.tsz == 16 && out.tcr.ips == 5 && out.tcr.sh == 3, "tcr");
	int rc = oracle_map_pages(k, 0x40000000, 0x40000000, SZ_1G, 1, PGT_READ | PGT_WRITE,
				  &mapped);
	EXPECT(!rc && mapped == SZ_1G, "map 1G: rc %d", rc);
	oracle_tlb_clear(k);
	uint64_t u = oracle_unmap_pages(k, 0x40001000, SZ_4K, 3, ORACLE_GATHER);
	size_t n = oracle_tlb_log(k, &log);
	EXPECT(u == 0x3000 && n == 3 && log[0].kind == ORACLE_TLB_ADD_PAGE &&
		       log[0].iova == 0x40001000 && log[2].iova == 0x40003000 &&
		       log[2].granule == SZ_4K,
	       "split unmap of 1G block: %" PRIx64 ", %zu callbacks", u, n);
	EXPECT(oracle_iova_to_phys(k, 0x40004123) == 0x40004123 &&
		       oracle_iova_to_phys(k, 0x40002000) == 0,
	       "iova_to_phys after split");
	mapped = 0;
	rc = oracle_map_pages(k, 0x200000, 0x200000, SZ_2M, 1, PGT_READ, &mapped);
	oracle_tlb_clear(k);
	u = oracle_unmap_pages(k, 0x3FE000, SZ_4K, 4, ORACLE_GATHER_NULL);
	n = oracle_tlb_log(k, &log);
	EXPECT(!rc && u == 0x2000 && n == 2, "unmap at the end of a 2M block: %" PRIx64 ", %zu", u,
	       n);
	oracle_stats(k, &st);
	unsigned long w0 = st.warns;
	rc = oracle_map_pages(k, 0x200000, 0, SZ_4K, 1, PGT_READ, &mapped);
	oracle_stats(k, &st);
	EXPECT(rc == -EEXIST && st.warns == w0 + 1, "EEXIST: rc %d, warns %lu", rc,
	       st.warns - w0);
	u = oracle_unmap_pages(k, 0x80000000, SZ_4K, 1, ORACLE_GATHER);
	oracle_stats(k, &st);
	EXPECT(u == 0 && st.warns == w0 + 2, "hole: %" PRIx64, u);
#undef EXPECT
	long live = oracle_destroy(k);
	if (ok && live) {
		ok = false;
		snprintf(msg, len, "%ld blocks leaked", live);
	}
	return ok;
}

/* --- the plan --------------------------------------------------------- */

#define MAX_RUNS 256

static struct run_cfg runs[MAX_RUNS];
static unsigned n_runs;

static void add_run(const struct fmt_desc *f, uint64_t pgsizes, unsigned ias, unsigned oas,
		    uint64_t quirks, bool coherent, unsigned nops)
{
	if (n_runs == MAX_RUNS)
		abort();
	struct run_cfg *c = &runs[n_runs++];
	c->f = f;
	c->pgsizes = pgsizes;
	c->ias = ias;
	c->oas = oas;
	c->quirks = quirks;
	c->coherent = coherent;
	c->nops = nops;
	set_label(c);
}

static void plan_runs(unsigned nops, bool quick)
{
	const struct fmt_desc *s1 = &fmts[0], *s2 = &fmts[1], *s1_32 = &fmts[2];
	for (size_t fi = 0; fi < N_FMTS; fi++) {
		const struct fmt_desc *f = &fmts[fi];
		for (size_t gi = 0; gi < 3; gi++) {
			if (f->only_4k && gi > 0)
				continue;
			for (size_t ii = 0; ii < 6; ii++) {
				unsigned ias = selftest_ias[ii];
				if (ias > f->max_ias)
					continue;
				if (quick && ii % 3)
					continue;
				add_run(f, families[gi], ias, f->oas, 0, true, nops);
				/* every format again with a non-coherent walker */
				if (ii % 2 == 0 || f->only_4k)
					add_run(f, families[gi], ias, f->oas, 0, false, nops / 2);
			}
		}
	}
	/* stage-1 quirks, both stage-1 formats */
	static const uint64_t quirk_sets[] = {
		PGT_QUIRK_ARM_NS,
		PGT_QUIRK_ARM_HD,
		PGT_QUIRK_ARM_TTBR1,
		PGT_QUIRK_ARM_OUTER_WBWA, /* non-coherent only */
		PGT_QUIRK_ARM_NS | PGT_QUIRK_ARM_HD | PGT_QUIRK_ARM_TTBR1 | PGT_QUIRK_ARM_OUTER_WBWA,
	};
	for (size_t q = 0; q < sizeof(quirk_sets) / sizeof(quirk_sets[0]); q++) {
		bool coherent = !(quirk_sets[q] & PGT_QUIRK_ARM_OUTER_WBWA);
		for (size_t gi = 0; gi < 3; gi++) {
			add_run(s1, families[gi], 48, 48, quirk_sets[q], coherent, nops / 2);
			if (!quick)
				add_run(s1, families[gi], gi == 2 ? 42 : 36, 48, quirk_sets[q],
					coherent, nops / 2);
		}
		add_run(s1_32, families[0], 32, 40, quirk_sets[q], coherent, nops / 2);
	}
	/* stage-2 concatenation corners and 52-bit output with 4T blocks */
	add_run(s2, families[0], 39, 48, 0, true, nops / 2);
	add_run(s2, families[0], 43, 44, 0, true, nops / 2);
	add_run(&fmts[3], families[0], 40, 40, 0, false, nops / 2);
	add_run(s1, SZ_64K | SZ_512M | SZ_4T, 48, 52, 0, true, nops / 2);
	add_run(s1, SZ_64K | SZ_512M | SZ_4T, 52, 52, PGT_QUIRK_ARM_TTBR1, true, nops / 2);
	add_run(s2, SZ_64K | SZ_512M | SZ_4T, 52, 52, 0, false, nops / 2);
	add_run(s2, SZ_64K | SZ_512M | SZ_4T, 48, 52, 0, true, nops / 2);
	/* a bitmap with every size: the kernel picks the granule */
	add_run(s1, SZ_4K | SZ_16K | SZ_64K | SZ_2M | SZ_32M | SZ_512M | SZ_1G, 40, 44, 0, true,
		nops / 2);
	add_run(&fmts[4], SZ_4K | SZ_2M, 33, 40, 0, true, nops / 2);
}

int main(int argc, char **argv)
{
	uint64_t seed = 0x6b65726e656cull; /* "kernel" */
	unsigned nops = 4000;
	bool quick = false;
	int opt;
	while ((opt = getopt(argc, argv, "vqs:n:")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'q':
			quick = true;
			nops = 400;
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			nops = (unsigned)strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-v] [-q] [-s SEED] [-n OPS]\n", argv[0]);
			return 2;
		}
	}
	rng = seed;
	plan_runs(nops, quick);
	printf("1..%u\n", 1 + (unsigned)N_FMTS + n_runs * POINTS_PER_RUN);
	diag("seed 0x%" PRIx64 ", %u configurations", seed, n_runs);

	char msg[256] = "";
	bool ok = oracle_selfcheck(msg, sizeof(msg));
	tap(ok, "the kernel oracle reproduces documented 6.12 behaviour%s%s", ok ? "" : ": ", msg);
	for (size_t fi = 0; fi < N_FMTS; fi++)
		grid_fmt(&fmts[fi]);
	for (unsigned i = 0; i < n_runs; i++) {
		rng = seed ^ (0x9e3779b97f4a7c15ull * (i + 1));
		run_config(&runs[i]);
	}
	diag("%u of %u failed", tap_fail, tap_n);
	return tap_fail ? 1 : 0;
}

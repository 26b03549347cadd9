// SPDX-License-Identifier: MIT
/* The kernel's generic_pt table and libpgt's in step (gpt_pair.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt_pair.h"
#include "kt_kview.h"
#include "../../tools/open.h"

#define KLEN (1ull << 31)
#define MAX_EVENTS 4096

/* What the driver saw: an iotlb_sync, or the AMD top change. */
struct ev {
	bool top;
	struct pgt_gather g;
};

struct evlog {
	struct ev v[MAX_EVENTS];
	size_t n;
	bool overflow;
};

struct gpt_pair {
	const struct gpt_config *c;
	const struct pgt_format *pf;
	struct gpt_oracle *k;
	struct pgt_cfg cfg; /* as libpgt narrowed it */
	struct pgt_mem *arena;
	struct pgt_table *t;
	struct evlog plog;
	struct kt_kview kv; /* libpgt's view of the kernel's simulated memory */
	unsigned long fails, checks;
	char first[400];
	unsigned long n_map, n_unmap, n_refused, n_partial, n_syncs, n_tops;
	uint64_t rnd;
};

static void fail(struct gpt_pair *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct gpt_pair *p, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!p->fails++)
		snprintf(p->first, sizeof(p->first), "%s", msg);
	if (p->fails <= 6)
		printf("#   %s: %s\n", p->c->label, msg);
}

static void check(struct gpt_pair *p, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check(struct gpt_pair *p, bool ok, const char *fmt, ...)
{
	p->checks++;
	if (ok)
		return;
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail(p, "%s", msg);
}

/* --- configuration ---------------------------------------------------------- */

/* enum pt_features bits of a format as pgtctl's quirks */
static uint64_t quirks_of(enum gpt_fmt f, unsigned features)
{
	static const unsigned common[][2] = {
		{GPT_FEAT_SIGN_EXTEND, PGT_PT_SIGN_EXTEND},
		{GPT_FEAT_FULL_VA, PGT_PT_FULL_VA},
		{GPT_FEAT_DYNAMIC_TOP, PGT_PT_DYNAMIC_TOP},
		{GPT_FEAT_FLUSH_RANGE, PGT_PT_FLUSH_RANGE},
		{GPT_FEAT_FLUSH_RANGE_NO_GAPS, PGT_PT_FLUSH_RANGE_NO_GAPS},
		{GPT_FEAT_DETAILED_GATHER, PGT_PT_DETAILED_GATHER},
	};
	static const unsigned own[GPT_N_FMTS][2] = {
		[GPT_AMDV1] = {PGT_PT_AMDV1_ENCRYPT_TABLES, PGT_PT_AMDV1_FORCE_COHERENCE},
		[GPT_X86_64] = {PGT_PT_X86_64_AMD_ENCRYPT_TABLES, PGT_PT_N_QUIRKS},
		[GPT_VTDSS] = {PGT_PT_VTDSS_FORCE_COHERENCE, PGT_PT_VTDSS_FORCE_WRITEABLE},
		[GPT_RISCV64] = {PGT_PT_RISCV_SVNAPOT_64K, PGT_PT_RISCV_SVPBMT},
	};
	uint64_t q = 0;
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (features & GPT_BIT(common[i][0]))
			q |= PGT_QUIRK_PT(common[i][1]);
	for (unsigned i = 0; i < 2; i++)
		if ((features & GPT_BIT(GPT_FEAT_FMT_START + i)) && own[f][i] != PGT_PT_N_QUIRKS)
			q |= PGT_QUIRK_PT(own[f][i]);
	return q;
}

/* The format's option holding the number of levels: AMD v1's mode, AMD v2's
 * and VT-d second stage's levels; -1 where ias decides it */
static int levels_option(const struct pgt_format *pf)
{
	int i = pgt_format_option_find(pf, "mode");
	return i >= 0 ? i : pgt_format_option_find(pf, "levels");
}

static void cfg_of(const struct gpt_config *c, const struct pgt_format *pf, unsigned levels,
		   struct pgt_cfg *out)
{
	pgt_format_cfg_defaults(pf, PGT_KERNEL_7_3, out);
	out->ias = c->cfg.vasz;
	out->oas = c->cfg.oasz;
	out->quirks = quirks_of(c->fmt, c->cfg.features);
	out->coherent_walk = !(c->cfg.features & GPT_BIT(GPT_FEAT_DMA_INCOHERENT));
	if (c->cfg.pgsize_mask)
		out->pgsize_bitmap &= c->cfg.pgsize_mask;
	int opt = levels_option(pf);
	if (opt >= 0)
		out->opt[opt] = levels;
}

/* --- events ------------------------------------------------------------------- */

static void log_add(struct evlog *l, struct ev e)
{
	if (l->n == MAX_EVENTS) {
		l->overflow = true;
		return;
	}
	l->v[l->n++] = e;
}

static void p_sync(const struct pgt_gather *g, void *cookie)
{
	struct gpt_pair *p = cookie;
	log_add(&p->plog, (struct ev){.g = *g});
}

static void p_driver(const char *what, pgt_addr iova, uint64_t size, void *cookie)
{
	struct gpt_pair *p = cookie;
	(void)iova;
	(void)size;
	if (!strcmp(what, "amd_iommu_change_top"))
		log_add(&p->plog, (struct ev){.top = true});
	else
		fail(p, "libpgt reported a driver call %s, which generic_pt makes none of", what);
}

static const struct pgt_events pair_events = {.driver = p_driver, .iotlb_sync = p_sync};

static void ev_str(const struct ev *e, char *buf, size_t len)
{
	if (e->top)
		snprintf(buf, len, "change_top");
	else
		snprintf(buf, len, "sync[0x%" PRIx64 "-0x%" PRIx64 " pages %u leaf 0x%x table 0x%x]",
			 e->g.start, e->g.end, e->g.pages, e->g.leaf_levels, e->g.table_levels);
}

/* The kernel's log and libpgt's since the last operation, alike. */
static void compare_events(struct gpt_pair *p, const char *op)
{
	const struct gpt_ev *kv;
	size_t kn = gpt_events(p->k, &kv), j = 0;
	struct evlog *pl = &p->plog;
	char a[160], b[160];
	for (size_t i = 0; i < kn; i++) {
		struct ev k;
		if (kv[i].kind == GPT_EV_CLFLUSH)
			continue; /* cache maintenance, not the driver's */
		if (kv[i].kind == GPT_EV_CHANGE_TOP) {
			k = (struct ev){.top = true};
			p->n_tops++;
		} else {
			k = (struct ev){.g = {kv[i].start, kv[i].end, kv[i].pages, kv[i].leaf_levels,
					      kv[i].table_levels}};
			p->n_syncs++;
		}
		ev_str(&k, a, sizeof(a));
		if (j == pl->n) {
			fail(p, "%s: the kernel's driver sees %s, libpgt reports nothing more", op, a);
			break;
		}
		ev_str(&pl->v[j++], b, sizeof(b));
		if (strcmp(a, b)) {
			fail(p, "%s: the kernel's driver sees %s, libpgt reports %s", op, a, b);
			break;
		}
	}
	if (j < pl->n && !p->fails) {
		ev_str(&pl->v[j], b, sizeof(b));
		fail(p, "%s: libpgt reports %s, the kernel's driver nothing more", op, b);
	}
	if (pl->overflow)
		fail(p, "%s: more than %u events", op, MAX_EVENTS);
	p->checks++;
	gpt_events_clear(p->k);
	pl->n = 0;
	pl->overflow = false;
}

/* --- the kernel's memory ------------------------------------------------------ */

static const uint8_t *kernel_mem(void *k, uint64_t *base, uint64_t *len)
{
	return gpt_mem(k, base, len);
}

/* libpgt on the kernel's table as it is now */
static struct pgt_table *attach_kernel(struct gpt_pair *p, struct pgt_error *err)
{
	struct gpt_info in;
	struct pgt_cfg cfg;
	struct pgt_table *t;
	gpt_info(p->k, &in);
	cfg_of(p->c, p->pf, in.top_level + 1, &cfg);
	pgt_addr root = in.top_pa;
	if (pgt_table_attach(p->pf, &cfg, &p->kv.mem, &root, 1, &t, err))
		return NULL;
	return t;
}

/* kunit_generic_pt.h's test_entry_possible_sizes and test_table_radix as a
 * differential: each level's span, entries and page sizes in the kernel's
 * format against libpgt's geometry (whose leaf sizes are those the
 * configuration allows, as the domain's pgsize_bitmap is). */
static void compare_levels(struct gpt_pair *p)
{
	const struct pgt_geometry *g = pgt_table_geometry(p->t);
	struct gpt_level kl[8];
	unsigned n = gpt_levels(p->k, kl, 8);
	check(p, n == g->n_levels, "the kernel's format has %u levels, libpgt %u", n,
	      g->n_levels);
	for (unsigned i = 0; i < n && i < g->n_levels; i++) {
		const struct pgt_level_geom *l = &g->level[g->n_levels - 1 - kl[i].level];
		bool top = i + 1 == n;
		/* the top: the entries that the ias reaches (of a sign-extended
		 * table, its lower half's) */
		unsigned bits = l->index_bits, span = p->cfg.ias - g->sign_extend;
		if (top)
			bits = span <= l->shift ? 0 : span - l->shift < bits ? span - l->shift : bits;
		check(p, l->label == kl[i].level, "depth %u: libpgt's level %u, the kernel's %u",
		      g->n_levels - 1 - kl[i].level, l->label, kl[i].level);
		check(p, l->shift == kl[i].item_lg2sz,
		      "level %u: entries of 2^%u bytes, libpgt 2^%u", kl[i].level, kl[i].item_lg2sz,
		      l->shift);
		check(p, bits == kl[i].num_items_lg2, "level %u: 2^%u entries, libpgt 2^%u",
		      kl[i].level, kl[i].num_items_lg2, bits);
		check(p, l->leaf_sizes == (kl[i].possible_sizes & p->cfg.pgsize_bitmap),
		      "level %u: page sizes 0x%" PRIx64 " (of 0x%" PRIx64 "), libpgt 0x%" PRIx64,
		      kl[i].level, kl[i].possible_sizes & p->cfg.pgsize_bitmap,
		      kl[i].possible_sizes, l->leaf_sizes);
		check(p, kl[i].can_leaf || !kl[i].possible_sizes,
		      "level %u: sizes without leaves", kl[i].level);
		check(p, l->has_tables == kl[i].can_table, "level %u: tables %d, libpgt %d",
		      kl[i].level, kl[i].can_table, l->has_tables);
	}
}

/* --- opening ------------------------------------------------------------------ */

struct gpt_pair *gpt_pair_open(const struct gpt_config *c, uint64_t kbase, uint64_t abase,
			       char *msg, size_t len)
{
	struct gpt_pair *p = calloc(1, sizeof(*p));
	struct pgt_error err;
	struct gpt_info in;
	if (!p) {
		snprintf(msg, len, "out of memory");
		return NULL;
	}
	p->c = c;
	p->pf = pgt_format_find(c->pgt_format);
	int rc = p->pf ? gpt_create(c->fmt, &c->cfg, kbase, KLEN, &p->k) : -ENOENT;
	if (rc) {
		if (p->pf)
			snprintf(msg, len, "the kernel's init failed (%d)", rc);
		else
			snprintf(msg, len, "libpgt has no format %s", c->pgt_format);
		free(p);
		return NULL;
	}
	gpt_info(p->k, &in);
	kt_kview_init(&p->kv, "kernel", kernel_mem, p->k);
	cfg_of(c, p->pf, in.top_level + 1, &p->cfg);
	p->arena = t_arena(abase);
	if (!p->arena || pgt_table_create(p->pf, &p->cfg, p->arena, &p->t, &err)) {
		snprintf(msg, len, "libpgt refused the kernel's configuration: %.300s",
			 p->arena ? err.msg : "out of memory");
		gpt_destroy(p->k);
		pgt_mem_destroy(p->arena);
		free(p);
		return NULL;
	}
	p->cfg = *pgt_table_cfg(p->t);
	pgt_table_set_events(p->t, &pair_events, p);
	/* what both made of the configuration */
	check(p, p->cfg.pgsize_bitmap == in.pgsize_bitmap,
	      "pgsize_bitmap: kernel 0x%" PRIx64 ", libpgt 0x%" PRIx64, in.pgsize_bitmap,
	      p->cfg.pgsize_bitmap);
	check(p, p->cfg.ias == in.max_vasz, "max_vasz_lg2 %u, libpgt's ias %u", in.max_vasz,
	      p->cfg.ias);
	check(p, p->cfg.oas == in.max_oasz, "max_oasz_lg2 %u, libpgt's oas %u", in.max_oasz,
	      p->cfg.oas);
	check(p, pgt_table_geometry(p->t)->n_levels == in.top_level + 1,
	      "the kernel's top level %u, libpgt's %u levels", in.top_level,
	      pgt_table_geometry(p->t)->n_levels);
	compare_levels(p);
	return p;
}

unsigned long gpt_pair_close(struct gpt_pair *p, char *msg, size_t len)
{
	struct gpt_stats st;
	gpt_stats(p->k, &st);
	if (st.warns)
		fail(p, "kernel WARN: %s", st.last_warn);
	pgt_table_destroy(p->t);
	pgt_mem_destroy(p->arena);
	long live = gpt_destroy(p->k);
	if (live)
		fail(p, "the kernel leaked %ld table blocks", live);
	unsigned long f = p->fails;
	snprintf(msg, len, "%s", p->first);
	free(p);
	return f;
}

/* --- comparisons ---------------------------------------------------------------- */

/* Walk a table into a list of items (tables with addresses masked). */
struct item {
	unsigned kind, depth;
	uint64_t iova, raw, size;
};

struct items {
	struct item *v;
	size_t n, cap;
	unsigned long problems;
	char problem[300];
};

static void items_walk(struct pgt_table *t, struct items *out)
{
	struct pgt_iter *it = t_iter(t, pgt_table_iova_min(t), pgt_table_iova_max(t), true);
	const struct pgt_item *x;
	memset(out, 0, sizeof(*out));
	while (it && pgt_iter_next(it, &x) > 0) {
		struct item y = {x->kind, 0, 0, 0, 0};
		if (x->kind == PGT_ITEM_PROBLEM) {
			if (!out->problems++)
				snprintf(out->problem, sizeof(out->problem), "%s", x->problem.why);
			continue;
		}
		if (x->kind == PGT_ITEM_TABLE) {
			y.depth = x->table.depth;
			y.iova = x->table.iova;
			y.raw = x->table.desc_pa ? pgt_table_desc_sans_addr(t, x->table.depth - 1,
									    x->table.raw)
						 : 0;
		} else {
			y.depth = x->leaf.depth;
			y.iova = x->leaf.iova;
			y.raw = x->leaf.raw;
			y.size = x->leaf.size;
		}
		if (out->n == out->cap) {
			out->cap = out->cap ? 2 * out->cap : 256;
			out->v = realloc(out->v, out->cap * sizeof(*out->v));
			if (!out->v)
				abort();
		}
		out->v[out->n++] = y;
	}
	pgt_iter_free(it);
}

static void per_size_of(const struct items *it, uint64_t per[64])
{
	memset(per, 0, 64 * sizeof(*per));
	for (size_t i = 0; i < it->n; i++)
		if (it->v[i].kind == PGT_ITEM_LEAF && !(it->v[i].iova & (it->v[i].size - 1)))
			per[__builtin_ctzll(it->v[i].size)]++;
}

static const char *item_str(const struct item *x, char *buf, size_t len)
{
	snprintf(buf, len, "%s at depth %u iova 0x%" PRIx64 " desc 0x%016" PRIx64,
		 x->kind == PGT_ITEM_LEAF ? "leaf" : "table", x->depth, x->iova, x->raw);
	return buf;
}

static void compare_registers(struct gpt_pair *p, const char *when)
{
	struct gpt_info in;
	struct pgt_regs r;
	pgt_addr root;
	gpt_info(p->k, &in);
	pgt_table_roots(p->t, &root, 1);
	pgt_table_regs(p->t, &r);
	check(p, in.hw_root == (p->c->fmt == GPT_RISCV64 ? in.top_pa >> 12 : in.top_pa),
	      "%s: the kernel's hw_info root 0x%" PRIx64 " is not its top 0x%" PRIx64, when,
	      in.hw_root, in.top_pa);
	for (unsigned i = 0; i < r.n; i++) {
		const struct pgt_reg *g = &r.reg[i];
		uint64_t want, got = g->value;
		if (!strcmp(g->name, "root")) {
			want = root;
		} else if (!strcmp(g->name, "mode") || !strcmp(g->name, "levels") ||
			   !strcmp(g->name, "aw")) {
			want = in.hw_mode; /* amdv1 mode, x86_64 levels, vtdss aw */
		} else if (!strcmp(g->name, "flpm")) {
			want = in.hw_mode == 5;
		} else if (!strcmp(g->name, "iosatp")) {
			want = (uint64_t)in.hw_mode << 60 | root >> 12;
			check(p, g->n == 2 && g->field[0].value == in.hw_mode &&
					 g->field[1].value == root >> 12,
			      "%s: iosatp fields", when);
		} else {
			fail(p, "%s: libpgt register %s, which the kernel has not", when, g->name);
			continue;
		}
		check(p, got == want, "%s: register %s is 0x%" PRIx64 ", the kernel's 0x%" PRIx64,
		      when, g->name, got, want);
	}
}

void gpt_pair_compare(struct gpt_pair *p, const char *when)
{
	struct pgt_error err;
	struct items a, b;
	char x[200], y[200];
	uint64_t kper[64], aper[64];
	struct pgt_table *kt = attach_kernel(p, &err);
	if (!kt) {
		fail(p, "%s: libpgt cannot attach to the kernel's table: %s", when, err.msg);
		return;
	}
	compare_levels(p); /* a growing top adds levels */
	items_walk(kt, &a);
	items_walk(p->t, &b);
	pgt_table_destroy(kt);
	check(p, !a.problems, "%s: libpgt finds %lu problems in the kernel's table; first: %s",
	      when, a.problems, a.problem);
	check(p, !b.problems, "%s: libpgt finds %lu problems in its own table; first: %s", when,
	      b.problems, b.problem);
	size_t i;
	for (i = 0; i < a.n && i < b.n; i++)
		if (memcmp(&a.v[i], &b.v[i], sizeof(a.v[i])))
			break;
	check(p, i == a.n && i == b.n, "%s: the kernel's %s, libpgt's %s", when,
	      i < a.n ? item_str(&a.v[i], x, sizeof(x)) : "end",
	      i < b.n ? item_str(&b.v[i], y, sizeof(y)) : "end");
	/* libpgt's reading of the kernel's table against the kernel's own walk */
	gpt_count_leaves(p->k, kper);
	per_size_of(&a, aper);
	for (i = 0; i < 64; i++)
		if (kper[i] != aper[i])
			break;
	check(p, i == 64, "%s: the kernel walks %" PRIu64 " leaves of 2^%zu, libpgt %" PRIu64,
	      when, i < 64 ? kper[i] : 0, i, i < 64 ? aper[i] : 0);
	/* iova_to_phys at every leaf's first and last byte */
	for (i = 0; i < b.n && i < 4096; i++) {
		if (b.v[i].kind != PGT_ITEM_LEAF)
			continue;
		uint64_t span = b.v[i].size > 1 ? b.v[i].size : 1;
		pgt_addr va[2] = {b.v[i].iova, b.v[i].iova + (span - 1)};
		for (unsigned k = 0; k < 2; k++) {
			uint64_t kp = gpt_iova_to_phys(p->k, va[k]), lp = pgt_iova_to_phys(p->t, va[k]);
			check(p, kp == lp, "%s: iova_to_phys(0x%" PRIx64 "): kernel 0x%" PRIx64
			      ", libpgt 0x%" PRIx64, when, va[k], kp, lp);
		}
	}
	free(a.v);
	free(b.v);
	compare_registers(p, when);
}

void gpt_pair_kernel_leaves(struct gpt_pair *p, uint64_t per_size[64])
{
	gpt_count_leaves(p->k, per_size);
}

/* --- the pair as a domain ---------------------------------------------------- */

static int pr_map(void *d, uint64_t iova, uint64_t pa, uint64_t len, unsigned prot)
{
	struct gpt_pair *p = d;
	struct pgt_error err = {0};
	char op[120];
	int krc = gpt_iommu_map(p->k, iova, pa, len, prot);
	int prc = pgt_map(p->t, iova, pa, len, prot, 0, 0, &err);
	snprintf(op, sizeof(op), "map(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ", %u)", iova, pa,
		 len, prot);
	p->n_map++;
	if (krc)
		p->n_refused++;
	check(p, krc == prc, "%s: kernel %d, libpgt %d (%s)", op, krc, prc, prc ? err.msg : "");
	compare_events(p, op);
	return krc;
}

static uint64_t pr_unmap_mode(struct gpt_pair *p, uint64_t iova, uint64_t len, bool queued)
{
	struct pgt_error err = {0};
	char op[120];
	uint64_t kn = gpt_unmap(p->k, iova, len, queued), pn = 0;
	if (queued) {
		struct pgt_unmap_opts o = {PGT_SPLIT_612, true, true};
		pn = pgt_unmap_bytes(p->t, iova, 0x1000, len >> 12, &o, &err);
	} else {
		pgt_unmap(p->t, iova, len, PGT_SPLIT_612, &pn, &err);
	}
	snprintf(op, sizeof(op), "unmap%s(0x%" PRIx64 ", 0x%" PRIx64 ")", queued ? " queued" : "",
		 iova, len);
	p->n_unmap++;
	if (kn != len)
		p->n_partial++;
	check(p, kn == pn, "%s: kernel 0x%" PRIx64 ", libpgt 0x%" PRIx64 " (%s)", op, kn, pn,
	      err.msg);
	compare_events(p, op);
	return kn;
}

static uint64_t pr_unmap(void *d, uint64_t iova, uint64_t len)
{
	return pr_unmap_mode(d, iova, len, false);
}

static uint64_t pr_iova_to_phys(void *d, uint64_t iova)
{
	struct gpt_pair *p = d;
	uint64_t kp = gpt_iova_to_phys(p->k, iova), lp = pgt_iova_to_phys(p->t, iova);
	check(p, kp == lp, "iova_to_phys(0x%" PRIx64 "): kernel 0x%" PRIx64 ", libpgt 0x%" PRIx64,
	      iova, kp, lp);
	return kp;
}

static void pr_count(void *d, uint64_t per_size[64])
{
	struct gpt_pair *p = d;
	struct items b;
	uint64_t mine[64];
	gpt_count_leaves(p->k, per_size);
	items_walk(p->t, &b);
	per_size_of(&b, mine);
	free(b.v);
	check(p, !memcmp(mine, per_size, sizeof(mine)), "leaf counts differ");
	/* the kunit counts where its cases have built something: compare all */
	gpt_pair_compare(p, "at a count");
}

static void pr_ranges(void *d, struct gpt_ranges *r)
{
	struct gpt_pair *p = d;
	gpt_ranges(p->k, r);
	check(p, pgt_table_geometry(p->t)->n_levels == r->top_level + 1,
	      "the kernel's top level %u, libpgt's %u levels", r->top_level,
	      pgt_table_geometry(p->t)->n_levels);
}

static const struct gdom_ops pair_gdom = {pr_map, pr_unmap, pr_iova_to_phys, pr_count, pr_ranges};

/*
 * The upper half of a sign-extended table narrower than its levels (VT-d's
 * first stage with a 39-bit MGAW: 39 bits on 4 levels) is where libpgt and
 * the kernel part: the kernel indexes the top table with the VA modulo
 * max_vasz_lg2 (pt_range_to_index()), so an upper-half IOVA lands at top
 * index 0, where the IOMMU walks lower-half IOVAs; libpgt refuses it. The
 * pair leaves that half out of the cases and checks the refusal instead.
 */
bool gpt_pair_upper_half(const struct gpt_pair *p)
{
	const struct pgt_geometry *g = pgt_table_geometry(p->t);
	return g->sign_extend && p->cfg.ias >= g->iova_bits;
}

void gpt_pair_gdom(struct gpt_pair *p, struct gdom *g)
{
	struct gpt_info in;
	gpt_info(p->k, &in);
	*g = (struct gdom){
		.ops = &pair_gdom,
		.d = p,
		.pgsize_bitmap = in.pgsize_bitmap,
		.max_vasz = in.max_vasz,
		.max_oasz = in.max_oasz,
		.sign_extend = gpt_pair_upper_half(p),
		.dynamic_top = in.features & GPT_BIT(GPT_FEAT_DYNAMIC_TOP),
	};
}

/* --- random operations --------------------------------------------------------- */

static uint64_t rnd(struct gpt_pair *p)
{
	p->rnd ^= p->rnd << 13;
	p->rnd ^= p->rnd >> 7;
	p->rnd ^= p->rnd << 17;
	return p->rnd;
}

static uint64_t below(struct gpt_pair *p, uint64_t n)
{
	return n ? rnd(p) % n : 0;
}

/* A page size of the domain, smaller ones likelier; at most max. */
static uint64_t pick_size(struct gpt_pair *p, uint64_t bitmap, uint64_t max)
{
	uint64_t sizes[64];
	unsigned n = 0;
	for (unsigned i = 0; i < 64; i++)
		if ((bitmap >> i & 1) && (1ull << i) <= max)
			sizes[n++] = 1ull << i;
	unsigned k = (unsigned)below(p, n);
	if (k && below(p, 2))
		k = (unsigned)below(p, k + 1);
	return sizes[k];
}

static const unsigned prots[] = {1, 2, 3, 3, 3, 1 | 8, 3 | 4, 3 | 16, 2 | 8};

void gpt_pair_random(struct gpt_pair *p, unsigned nops, uint64_t seed)
{
	struct gpt_info in;
	gpt_info(p->k, &in);
	p->rnd = seed | 1;
	uint64_t bitmap = in.pgsize_bitmap;
	/* a window of 4 GiB where the lower range has it, else all of it; the
	 * upper half too when the table sign-extends */
	struct gpt_ranges r;
	gpt_ranges(p->k, &r);
	uint64_t span = r.last - r.va + 1, win = span && span < (1ull << 32) ? span : 1ull << 32;
	uint64_t largest = win / 4;
	for (unsigned i = 0; i < nops && !p->fails; i++) {
		bool upper = gpt_pair_upper_half(p) && below(p, 4) == 0;
		uint64_t base = upper ? r.upper_last - win + 1 : r.va;
		uint64_t pgsize = pick_size(p, bitmap, largest);
		uint64_t count = 1 + below(p, 3);
		uint64_t len = pgsize * count;
		uint64_t off = below(p, win / pgsize - count + 1) * pgsize;
		if (below(p, 5) == 0) /* any granule */
			off = below(p, (win - len) >> 12) << 12;
		uint64_t iova = base + off;
		if (below(p, 3)) {
			uint64_t oa_top = in.max_oasz < 40 ? 1ull << in.max_oasz : 1ull << 40;
			uint64_t pa = below(p, oa_top / pgsize - count) * pgsize;
			if (below(p, 6) == 0)
				pa = below(p, (oa_top - len) >> 12) << 12;
			pr_map(p, iova, pa, len, prots[below(p, sizeof(prots) / sizeof(prots[0]))]);
		} else {
			if (below(p, 2))
				len = pgsize << below(p, 3);
			if (iova + len - 1 > base + win - 1)
				len = base + win - iova;
			pr_unmap_mode(p, iova, len, below(p, 8) == 0);
		}
		if (i % 64 == 63)
			gpt_pair_compare(p, "random");
	}
	gpt_pair_compare(p, "after the random operations");
}

void gpt_pair_counts(const struct gpt_pair *p, char *buf, size_t len)
{
	snprintf(buf, len,
		 "%lu maps (%lu refused), %lu unmaps (%lu partial), %lu syncs, %lu top changes, "
		 "%lu comparisons",
		 p->n_map, p->n_refused, p->n_unmap, p->n_partial, p->n_syncs, p->n_tops, p->checks);
}

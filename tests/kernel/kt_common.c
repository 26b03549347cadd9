// SPDX-License-Identifier: MIT
/*
 * The differential machinery shared by t_kernel_v7s, t_kernel_dart and
 * t_kernel_amd (see kt_common.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kt_common.h"

bool kt_verbose;

/* --- TAP ----------------------------------------------------------------- */

static unsigned tap_n, tap_fail;

void kt_plan(unsigned n)
{
	printf("1..%u\n", n);
	fflush(stdout);
}

void kt_tap(bool ok, const char *fmt, ...)
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

void kt_diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int kt_finish(void)
{
	kt_diag("%u of %u failed", tap_fail, tap_n);
	return tap_fail ? 1 : 0;
}

#define MAX_DIAG 6

void kt_check_fail(struct kt_check *c, const char *label, const char *fmt, ...)
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

void kt_expect(struct kt_expect *e, bool cond, const char *fmt, ...)
{
	va_list ap;
	e->n++;
	if (cond)
		return;
	char msg[400];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!e->fails++)
		snprintf(e->first, sizeof(e->first), "%s", msg);
	printf("#   expectation failed: %s\n", msg);
}

void kt_expect_tap(const struct kt_expect *e, const char *what)
{
	if (e->fails)
		kt_tap(false, "%s: %u of %u expectations fail; first: %s", what, e->fails, e->n,
		       e->first);
	else
		kt_tap(true, "%s (%u expectations)", what, e->n);
}

/* What the test is doing, for the watchdog's message. */
static char last_op[320] = "starting";

static void set_last_op(const char *label, const char *side, const char *op)
{
	snprintf(last_op, sizeof(last_op), "%s: %s %s", label, side, op);
}

static void watchdog(int sig)
{
	(void)sig;
	static const char a[] = "Bail out! the test timed out (a hang?) in: ";
	ssize_t w = write(STDOUT_FILENO, a, sizeof(a) - 1);
	w += write(STDOUT_FILENO, last_op, strlen(last_op));
	w += write(STDOUT_FILENO, "\n", 1);
	(void)w;
	_exit(3);
}

bool kt_options(int argc, char **argv, struct kt_opts *o)
{
	int opt;
	unsigned timeout = 1800;
	const char *env = getenv("KT_TIMEOUT");
	if (env)
		timeout = (unsigned)strtoul(env, NULL, 0);
	signal(SIGALRM, watchdog);
	alarm(timeout);
	while ((opt = getopt(argc, argv, "vqs:n:")) != -1) {
		switch (opt) {
		case 'v':
			kt_verbose = true;
			oracle_verbose(true); /* the kernel's WARNs and printks on stderr */
			break;
		case 'q':
			o->quick = true;
			o->nops = 400;
			break;
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			o->nops = (unsigned)strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-v] [-q] [-s SEED] [-n OPS]\n", argv[0]);
			return false;
		}
	}
	return true;
}

/* --- randomness --------------------------------------------------------- */

static uint64_t rng;

void kt_seed(uint64_t seed)
{
	rng = seed;
}

uint64_t kt_rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t kt_rnd_below(uint64_t n)
{
	return n ? kt_rnd() % n : kt_rnd();
}

bool kt_chance(unsigned percent)
{
	return kt_rnd_below(100) < percent;
}

/* --- libpgt ------------------------------------------------------------- */

bool kt_implemented(const char *name, char *why, size_t len)
{
	const struct pgt_format *pf = pgt_format_find(name);
	if (!pf) {
		snprintf(why, len, "pgt_format_find(\"%s\") finds no format", name);
		return false;
	}
	if (!pgt_format_available(pf)) {
		snprintf(why, len, "pgt_format_available() is false");
		return false;
	}
	struct pgt_cfg cfg;
	pgt_format_default_cfg(pf, &cfg);
	struct pgt_mem *arena = pgt_arena_new(0x10000000ull);
	struct pgt_table *t = NULL;
	struct pgt_error err = {0};
	int rc = arena ? pgt_table_create(pf, &cfg, arena, &t, &err) : -ENOMEM;
	if (t)
		pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	if (rc == -EOPNOTSUPP) {
		snprintf(why, len, "pgt_table_create: %s", err.msg);
		return false;
	}
	why[0] = 0;
	return true;
}

const char *kt_prot_str(unsigned prot, char buf[16])
{
	snprintf(buf, 16, "%s%s%s%s%s%s", prot & PGT_READ ? "r" : "", prot & PGT_WRITE ? "w" : "",
		 prot & PGT_CACHE ? "c" : "", prot & PGT_NOEXEC ? "x" : "",
		 prot & PGT_MMIO ? "m" : "", prot & PGT_PRIV ? "p" : "");
	return buf;
}

/* --- events --------------------------------------------------------------- */

const char *kt_ev_name(enum kt_ev_kind k)
{
	switch (k) {
	case KT_FLUSH_ALL:
		return "flush_all";
	case KT_FLUSH_WALK:
		return "flush_walk";
	case KT_ADD_PAGE:
		return "add_page";
	case KT_AMD_FLUSH_PAGES:
		return KT_DRIVER_FLUSH_PAGES;
	case KT_AMD_UPDATE_DTE:
		return KT_DRIVER_UPDATE_DTE;
	case KT_DRIVER_OTHER:
		return "driver";
	}
	return "?";
}

static void evv_add(struct kt_evv *l, struct kt_ev e)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = e;
}

static void ev_flush_all(void *cookie)
{
	struct kt_pair *p = cookie;
	evv_add(&p->plog, (struct kt_ev){.kind = KT_FLUSH_ALL});
}

static void ev_flush_walk(pgt_addr iova, uint64_t size, uint64_t granule, void *cookie)
{
	struct kt_pair *p = cookie;
	evv_add(&p->plog,
		(struct kt_ev){
			.kind = KT_FLUSH_WALK, .iova = iova, .size = size, .granule = granule});
}

static void ev_add_page(pgt_addr iova, uint64_t granule, void *cookie)
{
	struct kt_pair *p = cookie;
	evv_add(&p->plog, (struct kt_ev){.kind = KT_ADD_PAGE, .iova = iova, .granule = granule});
}

static void ev_driver(const char *what, pgt_addr iova, uint64_t size, void *cookie)
{
	struct kt_pair *p = cookie;
	struct kt_ev e = {.kind = KT_DRIVER_OTHER, .iova = iova, .size = size};
	if (what && !strcmp(what, KT_DRIVER_FLUSH_PAGES)) {
		e.kind = KT_AMD_FLUSH_PAGES;
	} else if (what && !strcmp(what, KT_DRIVER_UPDATE_DTE)) {
		e.kind = KT_AMD_UPDATE_DTE;
		e.iova = e.size = 0; /* not compared */
	}
	snprintf(e.what, sizeof(e.what), "%s", what ? what : "(null)");
	evv_add(&p->plog, e);
}

static const struct pgt_events events = {
	.flush_all = ev_flush_all,
	.flush_walk = ev_flush_walk,
	.add_page = ev_add_page,
	.driver = ev_driver,
};

static struct kt_ev kernel_ev(const struct oracle_tlb *t)
{
	struct kt_ev e = {.iova = t->iova, .size = t->size, .granule = t->granule};
	switch (t->kind) {
	case ORACLE_TLB_FLUSH_ALL:
		e.kind = KT_FLUSH_ALL;
		break;
	case ORACLE_TLB_FLUSH_WALK:
		e.kind = KT_FLUSH_WALK;
		break;
	case ORACLE_TLB_ADD_PAGE:
		e.kind = KT_ADD_PAGE;
		e.size = 0;
		break;
	case ORACLE_AMD_FLUSH_PAGES:
		e.kind = KT_AMD_FLUSH_PAGES;
		break;
	case ORACLE_AMD_UPDATE_DTE:
		e.kind = KT_AMD_UPDATE_DTE;
		e.iova = e.size = 0;
		break;
	}
	snprintf(e.what, sizeof(e.what), "%s", kt_ev_name(e.kind));
	return e;
}

static bool ev_eq(const struct kt_ev *a, const struct kt_ev *b)
{
	return a->kind == b->kind && a->iova == b->iova && a->size == b->size &&
	       a->granule == b->granule;
}

static void ev_str(const struct kt_ev *e, char *buf, size_t len)
{
	switch (e->kind) {
	case KT_FLUSH_ALL:
	case KT_AMD_UPDATE_DTE:
		snprintf(buf, len, "%s()", kt_ev_name(e->kind));
		break;
	case KT_ADD_PAGE:
		snprintf(buf, len, "add_page(0x%" PRIx64 ", 0x%" PRIx64 ")", e->iova, e->granule);
		break;
	case KT_FLUSH_WALK:
		snprintf(buf, len, "flush_walk(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ")",
			 e->iova, e->size, e->granule);
		break;
	case KT_AMD_FLUSH_PAGES:
	case KT_DRIVER_OTHER:
		snprintf(buf, len, "%s(0x%" PRIx64 ", 0x%" PRIx64 ")", e->what, e->iova, e->size);
		break;
	}
}

static void clear_logs(struct kt_pair *p)
{
	oracle_tlb_clear(p->k);
	p->plog.n = 0;
}

static void compare_logs(struct kt_pair *p, const char *op)
{
	const struct oracle_tlb *kl;
	size_t kn = oracle_tlb_log(p->k, &kl);
	p->c_ev.n++;
	p->n_events += kn;
	size_t n = kn < p->plog.n ? kn : p->plog.n;
	char a[128], b[128];
	for (size_t i = 0; i < n; i++) {
		struct kt_ev ke = kernel_ev(&kl[i]);
		if (!ev_eq(&ke, &p->plog.v[i])) {
			ev_str(&ke, a, sizeof(a));
			ev_str(&p->plog.v[i], b, sizeof(b));
			kt_check_fail(&p->c_ev, p->label,
				      "%s: event %zu of %zu: kernel %s, libpgt %s", op, i, kn, a,
				      b);
			return;
		}
	}
	if (kn != p->plog.n) {
		struct kt_ev x = kn > p->plog.n ? kernel_ev(&kl[n]) : p->plog.v[n];
		ev_str(&x, a, sizeof(a));
		kt_check_fail(&p->c_ev, p->label,
			      "%s: kernel made %zu calls, libpgt %zu; first extra: %s %s", op, kn,
			      p->plog.n, kn > p->plog.n ? "kernel" : "libpgt", a);
	}
}

/* --- the kernel's memory as a pgt_mem --------------------------------------- */

static void *kview_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	struct kt_kview *v = (struct kt_kview *)mem;
	uint64_t base, size;
	const uint8_t *buf = oracle_mem(v->k, &base, &size);
	if (pa < base || pa + len < pa || pa + len - base > size)
		return NULL;
	return (void *)(buf + (pa - base));
}

static int kview_read(struct pgt_mem *mem, pgt_addr pa, void *out, uint64_t len)
{
	const void *q = kview_ptr(mem, pa, len);
	if (!q)
		return -EFAULT;
	memcpy(out, q, len);
	return 0;
}

static size_t kview_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct kt_kview *v = (struct kt_kview *)mem;
	uint64_t base, size;
	oracle_mem(v->k, &base, &size);
	if (max)
		out[0] = (struct pgt_mem_range){base, size};
	return 1;
}

static void kview_destroy(struct pgt_mem *mem)
{
	(void)mem; /* embedded in struct kt_pair */
}

static const struct pgt_mem_ops kview_ops = {
	.ptr = kview_ptr,
	.read = kview_read,
	.write = NULL,
	.ranges = kview_ranges,
	.destroy = kview_destroy,
};

const uint8_t *kt_kernel_ptr(const struct kt_pair *p, uint64_t pa, uint64_t len)
{
	return kview_ptr((struct pgt_mem *)&p->kv.mem, pa, len);
}

/* --- registers after operations, attaching to the kernel's table ------------ */

/* libpgt attached to the kernel's table as it is now: its roots and (AMD)
 * its mode change as the table grows. */
static int attach_kernel(struct kt_pair *p, char *msg, size_t len)
{
	uint64_t roots[4];
	unsigned n = oracle_roots(p->k, roots), mode = oracle_amd_mode(p->k);
	if (p->kt && n == p->kt_n_roots && mode == p->kt_mode &&
	    !memcmp(roots, p->kt_roots, n * sizeof(roots[0])))
		return 0;
	if (p->kt)
		pgt_table_destroy(p->kt);
	p->kt = NULL;
	struct pgt_cfg cfg = p->pcfg;
	if (mode)
		cfg.amd_mode = mode;
	struct pgt_error err = {0};
	if (pgt_table_attach(p->pf, &cfg, &p->kv.mem, roots, n, &p->kt, &err)) {
		snprintf(msg, len, "pgt_table_attach to the kernel's root 0x%" PRIx64 "%s: %.300s",
			 roots[0], mode ? " (AMD mode follows)" : "", err.msg);
		p->kt = NULL;
		return -1;
	}
	memcpy(p->kt_roots, roots, sizeof(roots));
	p->kt_n_roots = n;
	p->kt_mode = mode;
	return 0;
}

static void after_call(struct kt_pair *p, const char *op)
{
	char msg[512];
	if (!p->f->regs_follow_ops)
		return;
	p->c_regs.n++;
	if (!p->f->compare_regs(p, msg, sizeof(msg)))
		kt_check_fail(&p->c_regs, p->label, "after %s:%s", op, msg);
	if (attach_kernel(p, msg, sizeof(msg)))
		kt_check_fail(&p->c_attach, p->label, "after %s: %s", op, msg);
}

/* --- descriptors ------------------------------------------------------------ */

void kt_entv_add(struct kt_entv *e, struct kt_ent x)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 1024;
		e->v = realloc(e->v, e->cap * sizeof(*e->v));
		if (!e->v)
			abort();
	}
	e->v[e->n++] = x;
}

static const uint8_t *libpgt_ptr(void *ctx, uint64_t pa, uint64_t len)
{
	return pgt_mem_ptr(pgt_table_mem(((struct kt_pair *)ctx)->t), pa, len);
}

static const uint8_t *kernel_ptr(void *ctx, uint64_t pa, uint64_t len)
{
	return kt_kernel_ptr(ctx, pa, len);
}

/* libpgt's AMD mode: its "mode" register, else its number of levels. */
static unsigned libpgt_mode(struct pgt_table *t)
{
	struct pgt_regs regs;
	pgt_table_registers(t, &regs);
	for (unsigned i = 0; i < regs.n; i++)
		if (!strcmp(regs.reg[i].name, "mode") &&
		    (regs.reg[i].kind == PGT_REG_COUNT || regs.reg[i].kind == PGT_REG_VALUE))
			return (unsigned)regs.reg[i].value;
	return pgt_table_geometry(t)->n_levels;
}

static void walk_kernel(struct kt_pair *p, struct kt_entv *out, unsigned long *tables)
{
	uint64_t roots[4];
	unsigned n = oracle_roots(p->k, roots);
	struct kt_walker w = {kernel_ptr, p, out, 0, 0};
	p->f->walk(p, &w, roots, n, oracle_amd_mode(p->k));
	*tables = w.tables;
}

static void walk_libpgt(struct kt_pair *p, struct kt_entv *out, unsigned long *tables)
{
	pgt_addr roots[PGT_MAX_ROOTS];
	unsigned n = pgt_table_roots(p->t, roots);
	struct kt_walker w = {libpgt_ptr, p, out, 0, 0};
	p->f->walk(p, &w, roots, n, p->f->kf == ORACLE_AMD_IOMMU_V1 ? libpgt_mode(p->t) : 0);
	*tables = w.tables;
}

struct collect {
	struct kt_pair *p;
	struct kt_entv *out;
	unsigned long problems, tables;
	char first_problem[200];
};

static int collect_leaf(void *ctx, const struct pgt_leaf *lf)
{
	struct collect *c = ctx;
	kt_entv_add(c->out, (struct kt_ent){.iova = lf->iova,
					    .raw = lf->raw,
					    .span = lf->span,
					    .size = lf->size,
					    .pa = lf->pa,
					    .count = lf->count,
					    .label = (uint16_t)lf->label,
					    .kind = KT_LEAF});
	return 0;
}

/* A table met: recorded as the descriptor that leads to it (roots have
 * none), address bits masked, at the label of the level holding it. */
static int collect_table(void *ctx, const struct pgt_table_visit *tv)
{
	struct collect *c = ctx;
	c->tables++;
	if (tv->depth > 0)
		kt_entv_add(c->out,
			    (struct kt_ent){.iova = tv->iova,
					    .raw = tv->raw & ~c->p->f->table_addr_bits(c->p),
					    .label = (uint16_t)c->p->f->parent_label(tv->label),
					    .kind = KT_TABLE});
	return 0;
}

static int collect_problem(void *ctx, const struct pgt_problem *pr)
{
	struct collect *c = ctx;
	if (!c->problems++)
		snprintf(c->first_problem, sizeof(c->first_problem), "iova 0x%" PRIx64 ": %s",
			 pr->iova, pr->why);
	return 0;
}

static int walk_range(struct kt_pair *p, struct pgt_table *t, struct kt_entv *out,
		      struct collect *c)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	c->out = out;
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
	return k == KT_LEAF ? "leaf" : k == KT_TABLE ? "table" : "junk";
}

static bool ent_eq(const struct kt_ent *a, const struct kt_ent *b)
{
	if (a->iova != b->iova || a->raw != b->raw || a->label != b->label || a->kind != b->kind)
		return false;
	if (a->kind != KT_LEAF)
		return true;
	if (a->span != b->span || a->size != b->size || a->count != b->count)
		return false;
	return a->pa == b->pa;
}

static void ent_str(const struct kt_ent *e, char *buf, size_t len)
{
	if (e->kind == KT_LEAF)
		snprintf(buf, len,
			 "leaf iova 0x%" PRIx64 " level %u raw 0x%016" PRIx64 " span 0x%" PRIx64
			 " size 0x%" PRIx64 " count %u pa 0x%" PRIx64 "%s",
			 e->iova, e->label, e->raw, e->span, e->size, e->count, e->pa,
			 e->kernel_differs ? " (iova_to_phys differs: a broken group)" : "");
	else
		snprintf(buf, len, "%s iova 0x%" PRIx64 " level %u raw 0x%016" PRIx64,
			 ent_kind_name(e->kind), e->iova, e->label, e->raw);
}

static bool compare_ents(struct kt_check *c, const char *label, const char *what,
			 const struct kt_entv *k, const char *kname, const struct kt_entv *l,
			 const char *lname)
{
	size_t i = 0, j = 0;
	char a[256], b[256];
	for (; i < k->n && j < l->n; i++, j++) {
		if (!ent_eq(&k->v[i], &l->v[j])) {
			ent_str(&k->v[i], a, sizeof(a));
			ent_str(&l->v[j], b, sizeof(b));
			kt_check_fail(c, label, "%s: first difference: %s %s; %s %s", what, kname,
				      a, lname, b);
			return false;
		}
	}
	if (i != k->n || j != l->n) {
		const struct kt_ent *x = i != k->n ? &k->v[i] : &l->v[j];
		ent_str(x, a, sizeof(a));
		kt_check_fail(c, label, "%s: %s has an extra %s", what, i != k->n ? kname : lname,
			      a);
		return false;
	}
	return true;
}

void kt_compare_structure(struct kt_pair *p, const char *when)
{
	struct kt_entv k = {0}, l = {0}, r = {0}, kr = {0};
	unsigned long kt, lt;
	char what[128];

	p->c_desc.n++;
	set_last_op(p->label, "walks", when);
	walk_kernel(p, &k, &kt);
	walk_libpgt(p, &l, &lt);
	snprintf(what, sizeof(what), "%s: descriptors", when);
	compare_ents(&p->c_desc, p->label, what, &k, "kernel", &l, "libpgt");
	for (size_t i = 0; i < k.n; i++)
		if (k.v[i].kind == KT_JUNK) {
			kt_check_fail(
				&p->c_desc, p->label,
				"%s: the kernel's table has a descriptor its walk does not accept, "
				"iova 0x%" PRIx64 " raw 0x%" PRIx64,
				when, k.v[i].iova, k.v[i].raw);
			break;
		}

	/* iova_to_phys at every leaf of the kernel's table, on both */
	for (size_t i = 0; i < k.n; i++)
		if (k.v[i].kind == KT_LEAF)
			kt_sample_phys(p, k.v[i].iova + kt_rnd_below(k.v[i].span));

	/* The kernel's table memory holds exactly the tables reachable. */
	struct oracle_stats st;
	oracle_stats(p->k, &st);
	long lost = st.live_blocks + st.slab_live - (long)kt;
	if (lost > 0 && p->f->kernel_orphans_tables) {
		if (lost > p->kernel_orphans)
			kt_diag("%s: %s: the kernel has lost %ld table%s it allocated (known 6.12 "
				"behaviour, see kt_fmt.kernel_orphans_tables)",
				p->label, when, lost, lost == 1 ? "" : "s");
		p->kernel_orphans = lost;
	} else if (lost) {
		kt_check_fail(&p->c_desc, p->label,
			      "%s: the kernel has %ld table allocations (%ld pages, %ld slab) but "
			      "%lu tables are reachable",
			      when, st.live_blocks + st.slab_live, st.live_blocks, st.slab_live,
			      kt);
	}

	struct collect c;
	int rc = walk_range(p, p->t, &r, &c);
	snprintf(what, sizeof(what), "%s: pgt_walk_range of libpgt's table", when);
	compare_ents(&p->c_desc, p->label, what, &l, "own walker", &r, "pgt_walk_range");
	if (rc || c.problems || c.tables != lt)
		kt_check_fail(&p->c_desc, p->label,
			      "%s: pgt_walk_range of libpgt's table: rc %d, %lu problems (%s), %lu "
			      "tables (own walker %lu)",
			      when, rc, c.problems, c.first_problem, c.tables, lt);

	p->c_attach.n++;
	if (p->kt) {
		rc = walk_range(p, p->kt, &kr, &c);
		snprintf(what, sizeof(what), "%s: pgt_walk_range of the kernel's table", when);
		compare_ents(&p->c_attach, p->label, what, &k, "kernel (own walker)", &kr,
			     "libpgt attached");
		if (rc || c.problems || c.tables != kt)
			kt_check_fail(
				&p->c_attach, p->label,
				"%s: pgt_walk_range of the kernel's table: rc %d, %lu problems "
				"(%s), %lu tables (own walker %lu)",
				when, rc, c.problems, c.first_problem, c.tables, kt);
	}
	free(k.v);
	free(l.v);
	free(r.v);
	free(kr.v);
}

/* --- operations on both ---------------------------------------------------- */

static unsigned long kernel_warns(struct kt_pair *p)
{
	struct oracle_stats st;
	oracle_stats(p->k, &st);
	return st.warns;
}

/* iova_to_phys by the group-head rule (fetch_pte), on libpgt's own table
 * where the head is a table pointer at an address of libpgt's choosing. */
static uint64_t own_group_head_translation(struct pgt_table *t, uint64_t iova)
{
	struct pgt_walk w;
	if (!pgt_translate(t, iova, &w))
		return 0;
	const struct pgt_walk_step *s = &w.step[w.n_steps - 1];
	const struct pgt_geometry *g = pgt_table_geometry(t);
	uint64_t head_pa = s->table_pa + (s->index & ~(uint64_t)(s->e.count - 1)) * g->desc_bytes;
	const uint8_t *b = pgt_mem_ptr(pgt_table_mem(t), head_pa, g->desc_bytes);
	if (!b)
		return 0;
	struct pgt_entry head;
	pgt_table_decode(t, s->depth, pgt_table_desc_at(t, b, 0), &head);
	if (head.kind != PGT_TABLE && head.kind != PGT_LEAF)
		return 0;
	return (head.pa & ~(s->e.size - 1)) | (iova & (s->e.size - 1));
}

void kt_sample_phys(struct kt_pair *p, uint64_t iova)
{
	/* only inside the input range: the kernels do not all check it */
	if (iova >= p->space)
		return;
	uint64_t kpa = oracle_iova_to_phys(p->k, iova);
	uint64_t lpa = pgt_iova_to_phys(p->t, iova);
	p->n_samples++;
	p->c_phys.n++;
	uint64_t hw, want_lpa = kpa;
	bool head_is_table = false;
	bool differs = p->f->entry_translation &&
		       p->f->entry_translation(p, iova, &hw, &head_is_table);
	if (differs && head_is_table)
		want_lpa = own_group_head_translation(p->t, iova);
	if (want_lpa != lpa)
		kt_check_fail(
			&p->c_phys, p->label,
			"iova_to_phys(0x%" PRIx64 "): kernel 0x%" PRIx64 ", libpgt 0x%" PRIx64 "%s",
			iova, kpa, lpa,
			differs ? " (in a level-7 group no longer whole: the kernel reads the "
				  "group's first entry)"
				: "");
	if (!p->kt)
		return;
	/* on the kernel's own memory, iova_to_phys must agree to the bit */
	p->c_phys.n++;
	uint64_t kt_pa = pgt_iova_to_phys(p->kt, iova);
	if (kt_pa != kpa)
		kt_check_fail(&p->c_phys, p->label,
			      "iova_to_phys(0x%" PRIx64 ") on the kernel's table: kernel 0x%" PRIx64
			      ", libpgt 0x%" PRIx64,
			      iova, kpa, kt_pa);
	struct pgt_walk w;
	bool ok = pgt_translate(p->kt, iova, &w);
	uint64_t apa = ok ? w.pa : 0, want = kpa;
	if (differs)
		want = hw;
	p->c_attach.n++;
	if (want != apa)
		kt_check_fail(&p->c_attach, p->label,
			      "pgt_translate(0x%" PRIx64 ") on the kernel's table: %s 0x%" PRIx64
			      ", libpgt %s 0x%" PRIx64 " (%s)",
			      iova, differs ? "the entry (not iova_to_phys, see kt_ent)" : "kernel",
			      want, ok ? "translates to" : "stops", apa,
			      ok ? "" : pgt_stop_name(w.stop));
}

static void sample_range(struct kt_pair *p, uint64_t iova, uint64_t len)
{
	kt_sample_phys(p, iova);
	if (len > 1) {
		kt_sample_phys(p, iova + len - 1);
		kt_sample_phys(p, iova + kt_rnd_below(len));
	}
}

uint64_t kt_do_map(struct kt_pair *p, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t pgcount,
		   unsigned prot)
{
	uint64_t done = 0;
	char op[200], pb[16];
	while (done < pgcount) {
		uint64_t at = iova + done * pgsize, pat = pa + done * pgsize, n = pgcount - done;
		uint64_t km = 0, pm = 0;
		struct pgt_error err = {0};
		snprintf(op, sizeof(op),
			 "map_pages(iova 0x%" PRIx64 ", pa 0x%" PRIx64 ", pgsize 0x%" PRIx64
			 ", pgcount %" PRIu64 ", prot %s)",
			 at, pat, pgsize, n, kt_prot_str(prot, pb));
		clear_logs(p);
		unsigned long w0 = kernel_warns(p);
		set_last_op(p->label, "kernel", op);
		int krc = oracle_map_pages(p->k, at, pat, pgsize, n, prot, &km);
		bool kwarn = kernel_warns(p) != w0;
		set_last_op(p->label, "libpgt", op);
		int prc = pgt_map_pages(p->t, at, pat, pgsize, n, prot, &pm, &err);
		p->n_map_calls++;
		p->c_ops.n++;
		if (krc != prc || km != pm)
			kt_check_fail(&p->c_ops, p->label,
				      "%s: kernel rc %d mapped 0x%" PRIx64
				      ", libpgt rc %d mapped 0x%" PRIx64 "%s%s",
				      op, krc, km, prc, pm, prc ? ": " : "", prc ? err.msg : "");
		if (p->f->warns_are_errors) {
			p->c_warn.n++;
			if (kwarn != (krc != 0))
				kt_check_fail(&p->c_warn, p->label, "%s: kernel rc %d but %s WARN",
					      op, krc, kwarn ? "a" : "no");
		}
		if (krc == -EEXIST)
			p->n_eexist++;
		if (km < n * pgsize && !krc)
			p->n_partial++;
		compare_logs(p, op);
		after_call(p, op);
		if (krc || prc || !km || km != pm)
			break;
		done += km / pgsize;
	}
	sample_range(p, iova, pgcount * pgsize);
	return done * pgsize;
}

uint64_t kt_do_unmap(struct kt_pair *p, uint64_t iova, uint64_t pgsize, uint64_t pgcount,
		     enum oracle_gather gather)
{
	static const char *gname[] = {"NULL", "gather", "queued gather"};
	uint64_t done = 0;
	char op[200];
	struct pgt_unmap_opts opts = {
		.split = PGT_SPLIT_612,
		.gather = gather != ORACLE_GATHER_NULL,
		.gather_queued = gather == ORACLE_GATHER_QUEUED,
	};
	/* bytes, as __iommu_unmap() counts: AMD unmaps whole pages (more than
	 * asked, or holes of 4K), so a call may end off the pgsize grid */
	const uint64_t total = pgcount * pgsize;
	while (done < total) {
		uint64_t at = iova + done, n = (total - done) / pgsize;
		if (!n || (at & (pgsize - 1)))
			break; /* the iommu core would go on in smaller pages */
		struct pgt_error err = {0};
		snprintf(op, sizeof(op),
			 "unmap_pages(iova 0x%" PRIx64 ", pgsize 0x%" PRIx64 ", pgcount %" PRIu64
			 ", %s)",
			 at, pgsize, n, gname[gather]);
		clear_logs(p);
		unsigned long w0 = kernel_warns(p);
		struct oracle_stats s0, s1;
		oracle_stats(p->k, &s0);
		set_last_op(p->label, "kernel", op);
		uint64_t ku = p->f->kernel_unmap ? p->f->kernel_unmap(p, at, pgsize, n, gather)
						 : oracle_unmap_pages(p->k, at, pgsize, n, gather);
		oracle_stats(p->k, &s1);
		bool kwarn = kernel_warns(p) != w0;
		set_last_op(p->label, "libpgt", op);
		uint64_t pu = pgt_unmap_pages(p->t, at, pgsize, n, &opts, &err);
		p->n_unmap_calls++;
		p->c_ops.n++;
		if (s1.allocs + s1.slab_allocs != s0.allocs + s0.slab_allocs)
			p->n_splits++;
		if (!ku)
			p->n_holes++;
		if (ku != pu)
			kt_check_fail(&p->c_ops, p->label,
				      "%s: kernel unmapped 0x%" PRIx64 ", libpgt 0x%" PRIx64 "%s%s",
				      op, ku, pu, err.code ? ": " : "", err.code ? err.msg : "");
		if (p->f->warns_are_errors) {
			p->c_warn.n++;
			if (kwarn != (err.code != 0) || (err.code && err.code != -ENOENT))
				kt_check_fail(&p->c_warn, p->label,
					      "%s: kernel %s (%s); libpgt err %d (%s)", op,
					      kwarn ? "WARNed" : "did not WARN",
					      kwarn ? s1.last_warn : "-", err.code,
					      err.code ? err.msg : "-");
		}
		compare_logs(p, op);
		after_call(p, op);
		if (!ku || ku != pu)
			break;
		done += ku;
	}
	sample_range(p, iova, total);
	return done;
}

/* --- opening a pair ------------------------------------------------------------ */

int kt_pair_open(struct kt_pair *p, const struct kt_run *rc, char *msg, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->rc = rc;
	p->f = rc->f;
	p->label = rc->label;
	p->c_ops.name = "return values";
	p->c_ev.name = "events";
	p->c_desc.name = "descriptors";
	p->c_phys.name = "iova_to_phys";
	p->c_attach.name = "libpgt on the kernel's memory";
	p->c_warn.name = "WARN vs libpgt error";
	p->c_regs.name = "registers after an operation";
	msg[0] = 0;

	int krc = oracle_create(rc->f->kf, &rc->kin, rc->kbase, rc->klen, &p->k, &p->kcfg);
	p->pf = pgt_format_find(rc->f->name);
	p->pcfg = rc->pin;
	struct pgt_error err = {0};
	p->arena = pgt_arena_new(rc->arena);
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
			 p->kcfg.pgsize_bitmap, p->kcfg.ias, p->kcfg.oas, nc->pgsize_bitmap,
			 nc->ias, nc->oas);
		return -1;
	}

	p->kv.mem.ops = &kview_ops;
	p->kv.mem.name = "kernel simulated memory";
	p->kv.k = p->k;
	if (attach_kernel(p, msg, len))
		return -1;

	uint64_t bm = p->kcfg.pgsize_bitmap;
	for (unsigned b = 0; b < 64; b++)
		if (bm & (1ull << b))
			p->sizes[p->n_sizes++] = 1ull << b;
	if (!p->n_sizes) {
		snprintf(msg, len, "no page sizes");
		return -1;
	}
	p->granule = p->sizes[0];
	p->top = rc->top ? rc->top : p->sizes[p->n_sizes - 1];
	p->space = rc->space ? rc->space : (p->kcfg.ias >= 64 ? UINT64_MAX : 1ull << p->kcfg.ias);
	p->pa_limit = rc->pa_limit ? rc->pa_limit : 1ull << p->kcfg.oas;
	p->batch = rc->batch ? rc->batch : 512;
	p->wsize = 4 * p->top < p->space ? 4 * p->top : p->space;
	/* a random window is aligned to its size, so that every page size up
	 * to it fits at its offsets */
	p->wbase = rc->wbase != UINT64_MAX
			   ? rc->wbase
			   : kt_rnd_below((p->space - p->wsize) / p->wsize + 1) * p->wsize;
	return 0;
}

void kt_pair_close(struct kt_pair *p)
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

uint64_t kt_W(const struct kt_pair *p, uint64_t off)
{
	return p->wbase + off;
}

/* --- random sequence ------------------------------------------------------------ */

static unsigned rnd_prot(void)
{
	unsigned prot = (unsigned)kt_rnd_below(64);
	if (!(prot & (PGT_READ | PGT_WRITE)))
		prot |= kt_chance(50) ? PGT_READ : PGT_WRITE;
	return prot;
}

static uint64_t rnd_count(struct kt_pair *p)
{
	unsigned r = (unsigned)kt_rnd_below(100);
	if (r < 65)
		return 1 + kt_rnd_below(4);
	if (r < 90)
		return 1 + kt_rnd_below(64);
	return 1 + kt_rnd_below(p->batch + 64);
}

static void hot_add(struct kt_pair *p, uint64_t off)
{
	p->hot[p->n_hot++ % 64] = off;
}

static uint64_t pick_offset(struct kt_pair *p, uint64_t pgsize, unsigned hot_percent)
{
	uint64_t slots = p->wsize / pgsize;
	if (p->n_hot && kt_chance(hot_percent)) {
		uint64_t h = p->hot[kt_rnd_below(p->n_hot < 64 ? p->n_hot : 64)] / pgsize;
		int64_t d = (int64_t)kt_rnd_below(9) - 4;
		if ((int64_t)h + d < 0)
			d = 0;
		h = (uint64_t)((int64_t)h + d);
		if (h >= slots)
			h = slots - 1;
		return h * pgsize;
	}
	return kt_rnd_below(slots) * pgsize;
}

static uint64_t pick_pa(struct kt_pair *p, uint64_t pgsize, uint64_t *count)
{
	uint64_t slots = p->pa_limit / pgsize;
	if (*count > slots)
		*count = slots;
	return kt_rnd_below(slots - *count + 1) * pgsize;
}

static enum oracle_gather pick_gather(void)
{
	unsigned r = (unsigned)kt_rnd_below(100);
	return r < 80 ? ORACLE_GATHER : r < 90 ? ORACLE_GATHER_NULL : ORACLE_GATHER_QUEUED;
}

void kt_random_ops(struct kt_pair *p, unsigned nops)
{
	for (unsigned i = 0; i < nops; i++) {
		unsigned r = (unsigned)kt_rnd_below(100);
		uint64_t pgsize =
			p->f->pick_size ? p->f->pick_size(p) : p->sizes[kt_rnd_below(p->n_sizes)];
		uint64_t count = rnd_count(p);
		/* pages larger than the window only at sparse places; window
		 * offsets are multiples of the page size, the window's base may
		 * not be */
		if ((pgsize > p->wsize || (p->wbase & (pgsize - 1))) &&
		    (r >= 8 || pgsize > p->space))
			pgsize = p->granule;
		if (r < 2) {
			/* clear the window, in the largest pages up to top */
			uint64_t cs = p->granule;
			for (unsigned k = 0; k < p->n_sizes; k++)
				if (p->sizes[k] <= p->top && p->sizes[k] <= p->wsize)
					cs = p->sizes[k];
			kt_do_unmap(p, kt_W(p, 0), cs, p->wsize / cs, ORACLE_GATHER);
		} else if (r < 8) {
			/* anywhere in the input space, sparse */
			uint64_t iova = kt_rnd_below(p->space / pgsize) * pgsize;
			if (count > (p->space - iova) / pgsize)
				count = (p->space - iova) / pgsize;
			if (count > 3)
				count = 3;
			if (kt_chance(60)) {
				uint64_t pa = pick_pa(p, pgsize, &count);
				kt_do_map(p, iova, pa, pgsize, count, rnd_prot());
			} else {
				kt_do_unmap(p, iova, pgsize, count, pick_gather());
			}
		} else if (r < 58) {
			uint64_t off = pick_offset(p, pgsize, 50);
			if (count > (p->wsize - off) / pgsize)
				count = (p->wsize - off) / pgsize;
			uint64_t pa = pick_pa(p, pgsize, &count);
			hot_add(p, off);
			kt_do_map(p, kt_W(p, off), pa, pgsize, count, rnd_prot());
		} else {
			uint64_t off = pick_offset(p, pgsize, 75);
			if (count > (p->wsize - off) / pgsize)
				count = (p->wsize - off) / pgsize;
			if (!count)
				count = 1;
			hot_add(p, off);
			kt_do_unmap(p, kt_W(p, off), pgsize, count, pick_gather());
		}
		if ((i + 1) % 500 == 0 && i + 1 < nops) {
			char when[48];
			snprintf(when, sizeof(when), "after random op %u", i + 1);
			kt_compare_structure(p, when);
		}
	}
}

/* libpgt attached to a raw file of the kernel's memory: every leaf of the
 * kernel's table translates as the kernel translates it. */
static void check_rawfile(struct kt_pair *p)
{
	uint64_t base, len;
	const uint8_t *buf = oracle_mem(p->k, &base, &len);
	char path[] = "/tmp/pgt-kernel-mem.XXXXXX";
	int fd = mkstemp(path);
	p->c_attach.n++;
	if (fd < 0) {
		kt_check_fail(&p->c_attach, p->label, "mkstemp: %s", strerror(errno));
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
	uint64_t roots[4];
	unsigned n = oracle_roots(p->k, roots), mode = oracle_amd_mode(p->k);
	struct pgt_cfg cfg = p->pcfg;
	if (mode)
		cfg.amd_mode = mode;
	if (!mem || pgt_table_attach(p->pf, &cfg, mem, roots, n, &t, &err)) {
		kt_check_fail(&p->c_attach, p->label, "raw file of the kernel's memory: %s",
			      err.msg);
		pgt_mem_destroy(mem);
		unlink(path);
		return;
	}
	struct kt_entv k = {0};
	unsigned long kt;
	walk_kernel(p, &k, &kt);
	unsigned long bad = 0;
	for (size_t i = 0; i < k.n && bad < MAX_DIAG; i++) {
		if (k.v[i].kind != KT_LEAF)
			continue;
		uint64_t span = k.v[i].span;
		uint64_t probe[3] = {k.v[i].iova, k.v[i].iova + span - 1,
				     k.v[i].iova + kt_rnd_below(span)};
		for (int j = 0; j < 3; j++) {
			struct pgt_walk w;
			uint64_t kpa = k.v[i].kernel_differs ? k.v[i].pa + (probe[j] - k.v[i].iova)
							     : oracle_iova_to_phys(p->k, probe[j]);
			bool ok = pgt_translate(t, probe[j], &w);
			p->c_attach.n++;
			/* the kernel's 0 is "not mapped" or PA 0 */
			if ((ok ? w.pa : 0) != kpa) {
				bad++;
				char es[256];
				ent_str(&k.v[i], es, sizeof(es));
				kt_check_fail(&p->c_attach, p->label,
					      "raw file: pgt_translate(0x%" PRIx64 ") %s 0x%" PRIx64
					      ", expected 0x%" PRIx64 " (the kernel's %s)",
					      probe[j], ok ? "=" : "stops", ok ? w.pa : 0, kpa, es);
			}
		}
	}
	free(k.v);
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);
	unlink(path);
}

/* --- one configuration ------------------------------------------------------- */

void kt_run_config(const struct kt_run *rc)
{
	struct kt_pair p;
	char msg[600];
	int rc_open = kt_pair_open(&p, rc, msg, sizeof(msg));
	kt_tap(!rc_open, "%s: both accept the configuration, narrowed alike%s%s", rc->label,
	       msg[0] ? ": " : "", msg);
	if (rc_open) {
		for (int i = 1; i < KT_POINTS_PER_RUN; i++)
			kt_tap(false, "%s: not run", rc->label);
		kt_pair_close(&p);
		return;
	}
	char gmsg[400];
	bool ok = rc->f->compare_regs(&p, msg, sizeof(msg));
	bool gok = rc->f->check_geometry(&p, gmsg, sizeof(gmsg));
	kt_tap(ok && gok, "%s: registers and geometry%s%s", rc->label, msg, gmsg);

	unsigned long ops0 = p.c_ops.fails, ev0 = p.c_ev.fails, desc0 = p.c_desc.fails,
		      n0 = p.c_ops.n;
	if (rc->f->directed)
		rc->f->directed(&p);
	kt_compare_structure(&p, "after the directed sequence");
	kt_tap(p.c_ops.fails == ops0 && p.c_ev.fails == ev0 && p.c_desc.fails == desc0,
	       "%s: directed sequence (%lu calls): results, events, descriptors", rc->label,
	       p.c_ops.n - n0);

	kt_random_ops(&p, rc->nops);
	kt_compare_structure(&p, "at the end");
	check_rawfile(&p);

	kt_tap(!p.c_ops.fails, "%s: %u random ops: %lu map_pages and %lu unmap_pages calls agree",
	       rc->label, rc->nops, p.n_map_calls, p.n_unmap_calls);
	kt_tap(!p.c_ev.fails && !p.c_regs.fails, "%s: events agree (%lu kernel events)%s",
	       rc->label, p.n_events, rc->f->regs_follow_ops ? ", registers follow alike" : "");
	kt_tap(!p.c_desc.fails, "%s: leaf and table descriptors agree (%lu comparisons)", rc->label,
	       p.c_desc.n);
	kt_tap(!p.c_phys.fails, "%s: iova_to_phys agrees at %lu sampled IOVAs", rc->label,
	       p.n_samples);
	kt_tap(!p.c_attach.fails && !p.c_warn.fails,
	       "%s: libpgt attached to the kernel's memory translates and walks alike%s", rc->label,
	       rc->f->warns_are_errors ? "; WARNs match libpgt errors" : "");
	kt_diag("%s: %lu EEXIST, %lu unmaps of nothing, %lu maps cut short, %lu unmaps that "
		"allocated (splits); kernel results corrected: %lu split tables, %lu unmaps "
		"continued",
		rc->label, p.n_eexist, p.n_holes, p.n_partial, p.n_splits, p.n_corrections,
		p.n_continued);

	/* free_io_pgtable_ops frees every table reachable (kt_compare_structure
	 * above counted the ones the kernel lost) */
	struct oracle *k = p.k;
	p.k = NULL;
	struct oracle_stats st;
	oracle_stats(k, &st);
	unsigned long allocs = st.allocs + st.slab_allocs;
	long live = oracle_destroy(k);
	kt_tap(live == p.kernel_orphans,
	       "%s: kernel teardown frees all %lu tables it allocated (%ld left%s)", rc->label,
	       allocs, live, p.kernel_orphans ? ", lost by the kernel before" : "");
	kt_pair_close(&p);
}

/* --- the allocation grid -------------------------------------------------------- */

struct grid_count {
	unsigned long combos, accepted, fails;
	struct kt_check c;
};

static void grid_one(const struct kt_grid *g, const struct pgt_format *pf, uint64_t bitmap,
		     unsigned ias, unsigned oas, uint64_t quirks, unsigned mode, bool coh,
		     struct grid_count *n)
{
	struct kt_run run = {0};
	run.f = g->f;
	run.kin.quirks = quirks;
	run.kin.pgsize_bitmap = bitmap;
	run.kin.ias = ias;
	run.kin.oas = oas;
	run.kin.coherent_walk = coh;
	run.kin.amd.mode = mode;
	pgt_cfg_init(&run.pin);
	run.pin.quirks = quirks;
	run.pin.pgsize_bitmap = bitmap;
	run.pin.ias = ias;
	run.pin.oas = oas;
	run.pin.coherent_walk = coh;
	run.pin.cpu_page_size = 4096;
	if (g->modes)
		run.pin.amd_mode = mode;
	char cfgs[200];
	snprintf(cfgs, sizeof(cfgs),
		 "pgsize_bitmap 0x%" PRIx64 " ias %u oas %u quirks 0x%" PRIx64 "%s", bitmap, ias,
		 oas, quirks, coh ? "" : " non-coherent");
	if (g->modes)
		snprintf(cfgs + strlen(cfgs), sizeof(cfgs) - strlen(cfgs), " amd_mode %u", mode);
	n->combos++;

	struct kt_pair p;
	memset(&p, 0, sizeof(p));
	p.f = g->f;
	p.rc = &run;
	p.label = g->label;
	p.pf = pf;
	p.pcfg = run.pin;
	struct pgt_error err = {0};
	int krc = oracle_create(g->f->kf, &run.kin, g->kbase, 1ull << 24, &p.k, &p.kcfg);
	p.arena = pgt_arena_new(g->arena);
	int prc = pgt_table_create(pf, &run.pin, p.arena, &p.t, &err);
	char msg[600] = "", gmsg[400] = "";
	if (krc == -ENOMEM) {
		n->fails++;
		kt_check_fail(&n->c, g->label, "%s: no memory", cfgs);
	} else if (!krc != !prc) {
		n->fails++;
		kt_check_fail(&n->c, g->label, "%s: kernel %s, libpgt %s%s%s", cfgs,
			      krc ? "refuses" : "accepts", prc ? "refuses" : "accepts",
			      prc ? ": " : "", prc ? err.msg : "");
	} else if (!krc) {
		n->accepted++;
		const struct pgt_cfg *nc = pgt_table_cfg(p.t);
		bool rok, gok;
		if (nc->pgsize_bitmap != p.kcfg.pgsize_bitmap || nc->ias != p.kcfg.ias ||
		    nc->oas != p.kcfg.oas) {
			n->fails++;
			kt_check_fail(&n->c, g->label,
				      "%s: narrowed to 0x%" PRIx64
				      " ias %u oas %u by the kernel, 0x%" PRIx64
				      " ias %u oas %u by libpgt",
				      cfgs, p.kcfg.pgsize_bitmap, p.kcfg.ias, p.kcfg.oas,
				      nc->pgsize_bitmap, nc->ias, nc->oas);
		} else if (rok = g->f->compare_regs(&p, msg, sizeof(msg)),
			   gok = g->f->check_geometry(&p, gmsg, sizeof(gmsg)), !rok || !gok) {
			n->fails++;
			kt_check_fail(&n->c, g->label, "%s: registers/geometry:%s%s", cfgs, msg,
				      gmsg);
		}
	}
	if (p.k && oracle_destroy(p.k)) {
		n->fails++;
		kt_check_fail(&n->c, g->label, "%s: kernel leaked", cfgs);
	}
	if (p.t)
		pgt_table_destroy(p.t);
	pgt_mem_destroy(p.arena);
}

void kt_grid_run(const struct kt_grid *g)
{
	const struct pgt_format *pf = pgt_format_find(g->f->name);
	struct grid_count n = {0, 0, 0, {"allocation", 0, 0}};
	size_t n_modes = g->modes ? g->n_modes : 1;
	for (size_t b = 0; b < g->n_bitmaps; b++)
		for (size_t i = 0; i < g->n_iass; i++)
			for (size_t o = 0; o < g->n_oass; o++)
				for (size_t q = 0; q < g->n_quirks; q++)
					for (size_t m = 0; m < n_modes; m++)
						for (int coh = 0; coh < 2; coh++)
							grid_one(g, pf, g->bitmaps[b], g->iass[i],
								 g->oass[o], g->quirks[q],
								 g->modes ? g->modes[m] : 0, coh,
								 &n);
	kt_tap(!n.fails,
	       "%s: %lu configurations, %lu accepted: acceptance, narrowed cfg, registers and "
	       "geometry agree",
	       g->label, n.combos, n.accepted);
}

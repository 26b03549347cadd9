// SPDX-License-Identifier: MIT
/*
 * Every descriptor of both tables, found by the format's own walker and by
 * pgt_walk_range, compared; and libpgt on a raw file of the kernel's memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kt_int.h"

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
	kt_set_last_op(p->label, "walks", when);
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

/* libpgt attached to a raw file of the kernel's memory: every leaf of the
 * kernel's table translates as the kernel translates it. */
void kt_check_rawfile(struct kt_pair *p)
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
	for (size_t i = 0; i < k.n && bad < KT_MAX_DIAG; i++) {
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

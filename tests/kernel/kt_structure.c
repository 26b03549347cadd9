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

/* What pgt_walk_range reports of a table, as the own walker would. */
struct collect {
	struct kt_pair *p;
	struct kt_geom g; /* the kernel's, for the table's mode */
	struct kt_walk *out;
	unsigned long problems;
	char first_problem[300];
};

static void collect_problem_str(struct collect *c, uint64_t iova, const char *why)
{
	if (!c->problems++)
		snprintf(c->first_problem, sizeof(c->first_problem), "iova 0x%" PRIx64 ": %s", iova,
			 why);
}

static int collect_leaf(void *ctx, const struct pgt_leaf *lf)
{
	struct collect *c = ctx;
	kt_entv_add(&c->out->ents, (struct kt_ent){.iova = lf->iova,
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
	c->out->tables++;
	if (tv->depth >= c->g.n_levels || tv->label != c->g.level[tv->depth].label) {
		collect_problem_str(c, tv->iova,
				    "a table's label is not the kernel's for its depth");
		return 0;
	}
	if (tv->depth > 0)
		kt_entv_add(&c->out->ents,
			    (struct kt_ent){.iova = tv->iova,
					    .raw = tv->raw & ~c->p->f->table_addr_bits(c->p),
					    .label = (uint16_t)c->g.level[tv->depth - 1].label,
					    .kind = KT_TABLE});
	return 0;
}

static int collect_problem(void *ctx, const struct pgt_problem *pr)
{
	collect_problem_str(ctx, pr->iova, pr->why);
	return 0;
}

/* pgt_walk_range over all of t, whose mode (AMD) is mode. */
static int walk_range(struct kt_pair *p, struct pgt_table *t, unsigned mode, struct kt_walk *out,
		      struct collect *c)
{
	memset(c, 0, sizeof(*c));
	memset(out, 0, sizeof(*out));
	c->p = p;
	c->out = out;
	p->f->geometry(p, mode, &c->g);
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
	struct kt_walk k, l, r, kr;
	char what[128];

	p->c_desc.n++;
	kt_set_last_op(p->label, "walks", when);
	kt_walk_kernel(p, &k);
	kt_walk_libpgt(p, &l);
	snprintf(what, sizeof(what), "%s: descriptors", when);
	compare_ents(&p->c_desc, p->label, what, &k.ents, "kernel", &l.ents, "libpgt");
	if (k.unreadable || l.unreadable)
		kt_check_fail(&p->c_desc, p->label,
			      "%s: tables outside the memory: %lu of the kernel's, %lu of libpgt's",
			      when, k.unreadable, l.unreadable);
	for (size_t i = 0; i < k.ents.n; i++)
		if (k.ents.v[i].kind == KT_JUNK) {
			kt_check_fail(
				&p->c_desc, p->label,
				"%s: the kernel's table has a descriptor its walk does not accept, "
				"iova 0x%" PRIx64 " raw 0x%" PRIx64,
				when, k.ents.v[i].iova, k.ents.v[i].raw);
			break;
		}

	/* iova_to_phys at every leaf of the kernel's table, on both */
	for (size_t i = 0; i < k.ents.n; i++)
		if (k.ents.v[i].kind == KT_LEAF)
			kt_sample_phys(p, k.ents.v[i].iova + kt_rnd_below(k.ents.v[i].span));

	/* The kernel's table memory holds exactly the tables reachable. */
	struct oracle_stats st;
	oracle_stats(p->k, &st);
	long lost = st.live_blocks + st.slab_live - (long)k.tables;
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
			      k.tables);
	}

	struct collect c;
	int rc = walk_range(p, p->t, kt_libpgt_mode(p->t), &r, &c);
	snprintf(what, sizeof(what), "%s: pgt_walk_range of libpgt's table", when);
	compare_ents(&p->c_desc, p->label, what, &l.ents, "own walker", &r.ents, "pgt_walk_range");
	if (rc || c.problems || r.tables != l.tables)
		kt_check_fail(&p->c_desc, p->label,
			      "%s: pgt_walk_range of libpgt's table: rc %d, %lu problems (%s), %lu "
			      "tables (own walker %lu)",
			      when, rc, c.problems, c.first_problem, r.tables, l.tables);
	kt_free_walk(&r);

	p->c_attach.n++;
	if (p->kt) {
		rc = walk_range(p, p->kt, oracle_amd_mode(p->k), &kr, &c);
		snprintf(what, sizeof(what), "%s: pgt_walk_range of the kernel's table", when);
		compare_ents(&p->c_attach, p->label, what, &k.ents, "kernel (own walker)", &kr.ents,
			     "libpgt attached");
		if (rc || c.problems || kr.tables != k.tables)
			kt_check_fail(
				&p->c_attach, p->label,
				"%s: pgt_walk_range of the kernel's table: rc %d, %lu problems "
				"(%s), %lu tables (own walker %lu)",
				when, rc, c.problems, c.first_problem, kr.tables, k.tables);
		kt_free_walk(&kr);
	}
	kt_free_walk(&k);
	kt_free_walk(&l);
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
	if (!mem || kt_attach(p, mem, &t, &err)) {
		kt_check_fail(&p->c_attach, p->label, "raw file of the kernel's memory: %s",
			      err.msg);
		pgt_mem_destroy(mem);
		unlink(path);
		return;
	}
	struct kt_walk k;
	kt_walk_kernel(p, &k);
	unsigned long bad = 0;
	for (size_t i = 0; i < k.ents.n && bad < KT_MAX_DIAG; i++) {
		const struct kt_ent *e = &k.ents.v[i];
		if (e->kind != KT_LEAF)
			continue;
		uint64_t probe[3] = {e->iova, e->iova + e->span - 1,
				     e->iova + kt_rnd_below(e->span)};
		for (int j = 0; j < 3; j++) {
			struct pgt_walk w;
			uint64_t kpa = e->kernel_differs ? e->pa + (probe[j] - e->iova)
							 : kt_kernel_phys(p, probe[j]);
			bool ok = pgt_translate(t, probe[j], &w);
			p->c_attach.n++;
			/* a leaf the kernel's walk takes: it translates, PA 0 too */
			if (!ok || w.pa != kpa) {
				bad++;
				char es[256];
				ent_str(e, es, sizeof(es));
				kt_check_fail(&p->c_attach, p->label,
					      "raw file: pgt_translate(0x%" PRIx64 ") %s 0x%" PRIx64
					      ", expected 0x%" PRIx64 " (the kernel's %s)",
					      probe[j], ok ? "=" : "stops", ok ? w.pa : 0, kpa, es);
			}
		}
	}
	kt_free_walk(&k);
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);
	unlink(path);
}

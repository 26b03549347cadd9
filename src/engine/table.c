// SPDX-License-Identifier: MIT
/* Table instances: creation as the kernel's alloc does it, attaching to an
 * existing table in memory, and the small helpers the mapper and walker share. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"

/*
 * The kernel's alloc checks and narrowing of t->cfg, and the geometry: the
 * kernel's row first (the format's default kernel when none is named),
 * then the format's options, then the format's own setup.
 */
static int configure(struct pgt_table *t, struct pgt_error *err)
{
	struct pgt_cfg *cfg = &t->cfg;
	const struct pgt_format *fmt = t->fmt;
	char list[64] = "";

	if (cfg->kernel == PGT_KERNEL_DEFAULT)
		cfg->kernel = pgt_format_default_kernel(fmt);
	t->kern = pgt_format_row(fmt, cfg->kernel);
	if (!t->kern)
		return pgt_fail(err, -EOPNOTSUPP, "Linux %s does not build %s (kernels: %s)",
				pgt_kernel_name(cfg->kernel), fmt->name,
				pgt_kernel_list(fmt, list, sizeof(list)));
	t->ops = t->kern->ops ? t->kern->ops : fmt->ops;
	t->features = t->kern->features;
	for (unsigned i = 0; i < fmt->n_options; i++) {
		const struct pgt_format_option *o = &fmt->options[i];
		if (!cfg->opt[i])
			cfg->opt[i] = o->dflt;
		if (cfg->opt[i] < o->min || cfg->opt[i] > o->max)
			return pgt_fail(err, -EINVAL, "%s needs %s %u to %u (got %u)", fmt->name,
					o->name, o->min, o->max, cfg->opt[i]);
	}
	if (!cfg->cpu_page_size || (cfg->cpu_page_size & (cfg->cpu_page_size - 1)))
		return pgt_fail(err, -EINVAL,
				"internal error: cpu_page_size 0x%llx is not a power of two",
				(unsigned long long)cfg->cpu_page_size);
	return t->ops->setup(t, err);
}

int pgt_table_check_config(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
			   struct pgt_error *err)
{
	struct pgt_table t = {.fmt = fmt, .cfg = *cfg};
	return configure(&t, err);
}

unsigned pgt_config_levels(const struct pgt_format *fmt, const struct pgt_cfg *cfg)
{
	struct pgt_table t = {.fmt = fmt, .cfg = *cfg};
	return configure(&t, NULL) ? 0 : t.geo.n_levels;
}

int pgt_table_setup(const struct pgt_format *fmt, const struct pgt_cfg *cfg, struct pgt_mem *mem,
		    struct pgt_table **out, struct pgt_error *err)
{
	struct pgt_table *t = calloc(1, sizeof(*t));
	if (!t)
		return pgt_fail(err, -ENOMEM, "out of memory");
	t->fmt = fmt;
	t->cfg = *cfg;
	t->mem = mem;
	t->writable = pgt_mem_is_arena(mem);
	t->big_endian = mem->big_endian;
	int rc = configure(t, err);
	if (rc) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int pgt_table_create(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
		     struct pgt_mem *arena, struct pgt_table **out, struct pgt_error *err)
{
	struct pgt_table *t;
	if (!pgt_mem_is_arena(arena))
		return pgt_fail(err, -EINVAL, "internal error: a new table needs an arena");
	int rc = pgt_table_setup(fmt, cfg, arena, &t, err);
	if (rc)
		return rc;
	t->n_roots = t->geo.n_roots;
	for (unsigned r = 0; r < t->n_roots; r++) {
		rc = pgt_alloc_table(t, 0, &t->root[r], err);
		if (rc) {
			free(t);
			return rc;
		}
	}
	/* map and unmap keep it so: only the engine writes this table */
	t->known_sound = true;
	*out = t;
	return 0;
}

int pgt_table_set_kernel(struct pgt_table *t, enum pgt_kernel kernel, struct pgt_error *err)
{
	if (kernel == PGT_KERNEL_DEFAULT || kernel == t->cfg.kernel)
		return 0;
	struct pgt_table k = {.fmt = t->fmt, .cfg = t->cfg};
	struct pgt_cfg drivers;
	pgt_format_cfg_defaults(t->fmt, kernel, &drivers);
	k.cfg.kernel = kernel;
	/* of the table's quirks, those this kernel has, and those its driver
	 * always sets (7.3's amdv1: dynamic-top, its encryption and coherence
	 * bits), which a table built by another kernel, or named by an IOMMU's
	 * structures, does not carry */
	k.cfg.quirks = (k.cfg.quirks & pgt_format_quirks(t->fmt, kernel)) | drivers.quirks;
	int rc = configure(&k, err);
	if (rc)
		return rc;
	if (!pgt_geometry_same_layout(&t->geo, &k.geo))
		return pgt_fail(err, -EINVAL,
				"Linux %s lays out this %s table differently from Linux %s, which "
				"built it (%u levels from level %u there, %u from level %u here); "
				"read it as Linux %s's",
				pgt_kernel_name(kernel), t->fmt->name, pgt_kernel_name(t->cfg.kernel),
				t->geo.n_levels, t->geo.level[0].label, k.geo.n_levels,
				k.geo.level[0].label, pgt_kernel_name(t->cfg.kernel));
	t->kern = k.kern;
	t->ops = k.ops;
	t->features = k.features;
	t->cfg = k.cfg;
	t->geo = k.geo;
	/* sound as the other kernel read it: this one decodes for itself */
	t->known_sound = false;
	return 0;
}

int pgt_table_attach(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
		     struct pgt_mem *mem, const pgt_addr *roots, unsigned n_roots,
		     struct pgt_table **out, struct pgt_error *err)
{
	struct pgt_table *t;
	int rc = pgt_table_setup(fmt, cfg, mem, &t, err);
	if (rc)
		return rc;
	if (n_roots != t->geo.n_roots) {
		unsigned want = t->geo.n_roots;
		free(t);
		return pgt_fail(err, -EINVAL, "%s with this configuration has %u root%s, %u given",
				fmt->name, want, want == 1 ? "" : "s", n_roots);
	}
	const struct pgt_level_geom *l0 = &t->geo.level[0];
	uint8_t *probe = malloc(l0->table_bytes);
	if (!probe) {
		free(t);
		return pgt_fail(err, -ENOMEM, "out of memory");
	}
	for (unsigned r = 0; r < n_roots; r++) {
		pgt_addr last = roots[r] + l0->table_bytes - 1;
		char where[192];
		int got;
		if (roots[r] & (l0->table_align - 1)) {
			rc = pgt_fail(err, -EINVAL, "root 0x%llx is not aligned to 0x%llx bytes",
				      (unsigned long long)roots[r],
				      (unsigned long long)l0->table_align);
			break;
		}
		/* the whole table: a page of it a dump left out or cannot read
		 * is not a table outside memory */
		if ((got = pgt_mem_read(mem, roots[r], probe, l0->table_bytes))) {
			if (pgt_unread(mem, got, where, sizeof(where)) == PGT_STOP_OUTSIDE)
				rc = pgt_fail(err, -EFAULT,
					      "root table 0x%llx..0x%llx is not inside the memory of %s",
					      (unsigned long long)roots[r], (unsigned long long)last,
					      mem->name);
			else
				rc = pgt_fail(err, -EFAULT, "root table 0x%llx..0x%llx is %s",
					      (unsigned long long)roots[r], (unsigned long long)last,
					      where);
			break;
		}
		t->root[r] = roots[r];
	}
	free(probe);
	if (rc) {
		free(t);
		return rc;
	}
	t->n_roots = n_roots;
	*out = t;
	return 0;
}

void pgt_table_destroy(struct pgt_table *t)
{
	free(t);
}

const struct pgt_format *pgt_table_format(const struct pgt_table *t)
{
	return t->fmt;
}

const struct pgt_cfg *pgt_table_cfg(const struct pgt_table *t)
{
	return &t->cfg;
}

enum pgt_kernel pgt_table_kernel(const struct pgt_table *t)
{
	return t->cfg.kernel;
}

const struct pgt_geometry *pgt_table_geometry(const struct pgt_table *t)
{
	return &t->geo;
}

unsigned pgt_table_roots(const struct pgt_table *t, pgt_addr *roots, unsigned max)
{
	for (unsigned r = 0; r < max && r < t->n_roots; r++)
		roots[r] = t->root[r];
	return t->n_roots;
}

struct pgt_mem *pgt_table_mem(const struct pgt_table *t)
{
	return t->mem;
}

void pgt_table_regs(const struct pgt_table *t, struct pgt_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	t->ops->registers(t, regs);
}

int pgt_table_registers(const struct pgt_table *t, struct pgt_regs **out, struct pgt_error *err)
{
	struct pgt_regs *r = malloc(sizeof(*r));
	if (!r)
		return pgt_fail(err, -ENOMEM, "out of memory");
	pgt_table_regs(t, r);
	*out = r;
	return 0;
}

void pgt_regs_free(struct pgt_regs *r)
{
	free(r);
}

unsigned pgt_regs_count(const struct pgt_regs *r)
{
	return r->n;
}

int pgt_regs_get(const struct pgt_regs *r, unsigned i, struct pgt_register *out)
{
	if (i >= r->n)
		return -ERANGE;
	const struct pgt_reg *g = &r->reg[i];
	*out = (struct pgt_register){g->name, g->kind, g->value, g->image, g->n, g->field, g->list};
	return 0;
}

void pgt_table_set_events(struct pgt_table *t, const struct pgt_events *ev, void *cookie)
{
	if (ev)
		t->ev = *ev;
	else
		memset(&t->ev, 0, sizeof(t->ev));
	t->ev_cookie = cookie;
}

void pgt_table_decode(const struct pgt_table *t, unsigned depth, uint64_t raw,
		      struct pgt_entry *e)
{
	t->ops->decode(t, depth, raw, e);
}

uint64_t pgt_table_encode_leaf(const struct pgt_table *t, unsigned depth, uint64_t pgsize,
			       pgt_addr pa, unsigned prot)
{
	const struct pgt_format_ops *ops = t->ops;
	return ops->leaf(t, depth, pgsize, pa, ops->prot_attrs(t, prot), 0);
}

bool pgt_table_leaf_from_map(const struct pgt_table *t, const struct pgt_leaf *l,
			     uint64_t *again)
{
	struct pgt_entry e;
	t->ops->decode(t, l->depth, l->raw, &e);
	uint64_t want = pgt_table_encode_leaf(t, l->depth, l->size, e.pa, l->prot);
	if (again)
		*again = want;
	return (l->prot & (PGT_READ | PGT_WRITE)) && want == l->raw;
}

uint64_t pgt_table_desc_at(const struct pgt_table *t, const void *table, uint64_t idx)
{
	return pgt_desc_get(t, table, idx);
}

uint64_t pgt_table_desc_sans_addr(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	return t->ops->retarget(t, depth, raw, 0);
}

size_t pgt_table_fields(const struct pgt_table *t, unsigned depth, uint64_t raw,
			struct pgt_field *out, size_t max)
{
	return t->ops->fields(t, depth, raw, out, max);
}

bool pgt_geometry_same_layout(const struct pgt_geometry *x, const struct pgt_geometry *y)
{
	if (x->n_levels != y->n_levels || x->n_roots != y->n_roots || x->desc_bytes != y->desc_bytes ||
	    x->root_shift != y->root_shift)
		return false;
	for (unsigned d = 0; d < x->n_levels; d++)
		if (x->level[d].shift != y->level[d].shift ||
		    x->level[d].index_bits != y->level[d].index_bits ||
		    x->level[d].label != y->level[d].label)
			return false;
	return true;
}

bool pgt_table_feature(const struct pgt_table *t, enum pgt_feature f)
{
	return pgt_feat(t, f);
}

int pgt_table_access_flag(const struct pgt_table *t, unsigned depth, uint64_t raw)
{
	return t->ops->access_flag ? t->ops->access_flag(t, depth, raw) : -1;
}

int pgt_depth_of_pgsize(const struct pgt_table *t, uint64_t pgsize)
{
	for (unsigned d = 0; d < t->geo.n_levels; d++)
		if (t->geo.level[d].leaf_sizes & pgsize)
			return (int)d;
	return -1;
}

uint64_t pgt_size_of_depth(const struct pgt_table *t, unsigned depth)
{
	unsigned s = t->geo.level[depth].shift;
	return s < 64 ? 1ull << s : 0;
}

static uint64_t iova_span_mask(const struct pgt_table *t)
{
	unsigned bits = t->geo.iova_bits;
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

pgt_addr pgt_iova_canonical(const struct pgt_geometry *g, pgt_addr iova)
{
	if (!g->sign_extend || g->iova_bits >= 64)
		return iova;
	uint64_t mask = (1ull << g->iova_bits) - 1;
	return (iova >> (g->iova_bits - 1)) & 1 ? iova | ~mask : iova & mask;
}

bool pgt_iova_in_range(const struct pgt_table *t, pgt_addr iova)
{
	if (t->geo.sign_extend)
		return pgt_iova_canonical(&t->geo, iova) == iova;
	return (iova & ~iova_span_mask(t)) == t->geo.iova_high;
}

pgt_addr pgt_table_iova_min(const struct pgt_table *t)
{
	return t->geo.iova_high;
}

unsigned pgt_table_iova_spans(const struct pgt_table *t, pgt_addr lo[2], pgt_addr hi[2])
{
	const struct pgt_geometry *g = &t->geo;
	lo[0] = pgt_table_iova_min(t);
	hi[0] = pgt_table_iova_max(t);
	if (!g->sign_extend || g->iova_bits >= 64)
		return 1;
	uint64_t half = 1ull << (g->iova_bits - 1);
	hi[0] = half - 1;
	lo[1] = ~0ull - (half - 1);
	hi[1] = ~0ull;
	return 2;
}

pgt_addr pgt_table_iova_max(const struct pgt_table *t)
{
	if (t->geo.sign_extend)
		return ~0ull;
	return t->geo.iova_high | iova_span_mask(t);
}

int pgt_alloc_table(struct pgt_table *t, unsigned depth, pgt_addr *pa, struct pgt_error *err)
{
	const struct pgt_level_geom *l = &t->geo.level[depth];
	int rc = pgt_arena_alloc(t->mem, l->table_bytes, l->table_align, pa, err);
	if (rc)
		return rc;
	uint64_t limit = t->geo.table_pa_limit;
	if (limit && *pa + l->table_bytes > limit) {
		pgt_arena_free(t->mem, *pa, l->table_bytes);
		return pgt_fail(err, -ENOMEM,
				"a level %u table at 0x%llx does not fit the format's table "
				"addresses (below 0x%llx); place table memory lower",
				l->label, (unsigned long long)*pa, (unsigned long long)limit);
	}
	/* A table below the root is only as reachable as the descriptor that
	 * points at it: one its parent cannot encode would be written as a
	 * pointer to somewhere else (DART above oas, LPAE above 48 bits). */
	if (depth > 0 && !pgt_table_addressable(t, depth - 1, *pa)) {
		pgt_arena_free(t->mem, *pa, l->table_bytes);
		return pgt_fail(err, -ENOMEM,
				"a level %u table at 0x%llx is beyond what a level %u descriptor "
				"can point at; place table memory lower",
				l->label, (unsigned long long)*pa, t->geo.level[depth - 1].label);
	}
	return 0;
}

bool pgt_table_addressable(const struct pgt_table *t, unsigned parent_depth, pgt_addr pa)
{
	const struct pgt_format_ops *ops = t->ops;
	struct pgt_entry e;
	ops->decode(t, parent_depth, ops->table(t, parent_depth, pa, 0), &e);
	return e.kind == PGT_TABLE && e.pa == pa;
}

void *pgt_table_ptr(struct pgt_table *t, unsigned depth, pgt_addr pa, struct pgt_error *err)
{
	void *p = pgt_mem_ptr(t->mem, pa, t->geo.level[depth].table_bytes);
	if (!p)
		pgt_fail(err, -EFAULT, "level %u table at 0x%llx is outside the table memory",
			 t->geo.level[depth].label, (unsigned long long)pa);
	return p;
}

void pgt_free_subtree(struct pgt_table *t, unsigned depth, pgt_addr table_pa)
{
	const struct pgt_level_geom *l = &t->geo.level[depth];
	void *p = pgt_mem_ptr(t->mem, table_pa, l->table_bytes);
	if (!p)
		return;
	if (l->has_tables && depth + 1 < t->geo.n_levels) {
		uint64_t n = 1ull << l->index_bits;
		for (uint64_t i = 0; i < n; i++) {
			uint64_t raw = pgt_desc_get(t, p, i);
			if (!raw)
				continue;
			struct pgt_entry e;
			t->ops->decode(t, depth, raw, &e);
			if (e.kind == PGT_TABLE)
				pgt_free_subtree(t, depth + 1, e.pa);
		}
	}
	pgt_arena_free(t->mem, table_pa, l->table_bytes);
}

pgt_addr pgt_table_mem_base(const struct pgt_table *t)
{
	struct pgt_mem_range r;
	if (pgt_mem_is_arena(t->mem))
		return pgt_arena_base(t->mem);
	if (pgt_mem_ranges(t->mem, &r, 1))
		return r.pa;
	return t->root[0];
}

unsigned pgt_geometry_levels(const struct pgt_geometry *g)
{
	return g->n_levels;
}

const struct pgt_level_geom *pgt_geometry_level(const struct pgt_geometry *g, unsigned depth)
{
	return depth < g->n_levels ? &g->level[depth] : NULL;
}

unsigned pgt_geometry_desc_bytes(const struct pgt_geometry *g)
{
	return g->desc_bytes;
}

unsigned pgt_geometry_roots(const struct pgt_geometry *g)
{
	return g->n_roots;
}

uint64_t pgt_geometry_granule(const struct pgt_geometry *g)
{
	return g->granule;
}

unsigned pgt_geometry_iova_bits(const struct pgt_geometry *g)
{
	return g->iova_bits;
}

bool pgt_geometry_sign_extend(const struct pgt_geometry *g)
{
	return g->sign_extend;
}

// SPDX-License-Identifier: MIT
/*
 * libpgt's static description of a table, its registers and its geometry,
 * against the kernel's: each format says what they must be (struct
 * kt_reg_want, struct kt_geom), and the comparing is done here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kt_int.h"

static const struct pgt_reg *find_reg(const struct pgt_regs *r, const char *name)
{
	for (unsigned i = 0; i < r->n; i++)
		if (!strcmp(r->reg[i].name, name))
			return &r->reg[i];
	return NULL;
}

/* What rule w->rule needs libpgt's register to be, in words when it is not. */
static const char *kind_wrong(const struct pgt_reg *g, enum kt_reg_rule r)
{
	switch (r) {
	case KT_REG_VALUE:
	case KT_REG_ROOT:
		return g->kind == PGT_REG_VALUE ? NULL : "a value";
	case KT_REG_NUMBER:
		return g->kind == PGT_REG_COUNT || g->kind == PGT_REG_VALUE ? NULL : "a count";
	case KT_REG_FIELD:
		return g->kind == PGT_REG_FIELDS ? NULL : "fields";
	case KT_REG_ROOTS:
		return g->kind == PGT_REG_LIST ? NULL : "a list";
	}
	return "?";
}

static bool one_reg(const struct pgt_regs *regs, const struct kt_reg_want *w, uint64_t kroot,
		    const pgt_addr *lroots, unsigned n_lroots, char *msg, size_t len)
{
	const struct pgt_reg *g = find_reg(regs, w->name);
	const char *wrong = g ? kind_wrong(g, w->rule) : NULL;
	if (!g || wrong) {
		kt_append(msg, len, " [%s: libpgt's is %s%s]", w->name, g ? "not " : "missing",
			  g ? wrong : "");
		return false;
	}
	switch (w->rule) {
	case KT_REG_VALUE:
	case KT_REG_NUMBER:
		if (g->value == w->value)
			return true;
		kt_append(msg, len, " [%s: kernel 0x%" PRIx64 ", libpgt 0x%" PRIx64 "]", w->name,
			  w->value, g->value);
		return false;
	case KT_REG_ROOT:
		if (g->value - lroots[0] == w->value - kroot)
			return true;
		kt_append(msg, len,
			  " [%s: kernel 0x%" PRIx64 " (root 0x%" PRIx64 "), libpgt 0x%" PRIx64
			  " (root 0x%" PRIx64 ")]",
			  w->name, w->value, kroot, g->value, (uint64_t)lroots[0]);
		return false;
	case KT_REG_FIELD:
		for (unsigned i = 0; i < g->n; i++)
			if (!strcmp(g->field[i].name, w->field)) {
				if (g->field[i].value == w->value)
					return true;
				kt_append(msg, len,
					  " [%s.%s: kernel %" PRIu64 ", libpgt %" PRIu64 "]",
					  w->name, w->field, w->value, g->field[i].value);
				return false;
			}
		kt_append(msg, len, " [%s.%s missing]", w->name, w->field);
		return false;
	case KT_REG_ROOTS: {
		bool ok = g->n == w->value && n_lroots == g->n;
		for (unsigned i = 0; ok && i < g->n; i++)
			ok = g->list[i] == lroots[i];
		if (!ok)
			kt_append(msg, len,
				  " [%s: libpgt's list has %u entries for its %u roots (first "
				  "0x%" PRIx64 ", root 0x%" PRIx64 "), kernel %" PRIu64 "]",
				  w->name, g->n, n_lroots, g->n ? g->list[0] : 0,
				  (uint64_t)lroots[0], w->value);
		return ok;
	}
	}
	return false;
}

bool kt_regs_match(struct kt_pair *p, const struct kt_reg_want *w, size_t n, char *msg, size_t len)
{
	struct pgt_regs regs;
	pgt_addr lroots[PGT_MAX_ROOTS] = {0};
	unsigned n_lroots = pgt_table_roots(p->t, lroots, PGT_MAX_ROOTS);
	pgt_table_regs(p->t, &regs);
	uint64_t kroot = oracle_root(p->k);
	bool ok = true;
	for (size_t i = 0; i < n; i++)
		ok &= one_reg(&regs, &w[i], kroot, lroots, n_lroots, msg, len);
	return ok;
}

static void geom_eq(bool *ok, char *msg, size_t len, const char *what, uint64_t lib, uint64_t ker)
{
	if (lib == ker)
		return;
	*ok = false;
	kt_append(msg, len, " [geometry %s: libpgt %" PRIu64 ", kernel %" PRIu64 "]", what, lib,
		  ker);
}

bool kt_geometry_match(struct kt_pair *p, char *msg, size_t len)
{
	const struct pgt_geometry *g = pgt_table_geometry(p->t);
	struct kt_geom k;
	p->f->geometry(p, oracle_amd_mode(p->k), &k);
	bool ok = true;
	geom_eq(&ok, msg, len, "desc_bytes", g->desc_bytes, k.desc_bytes);
	geom_eq(&ok, msg, len, "n_roots", g->n_roots, k.n_roots);
	if (k.n_roots > 1)
		geom_eq(&ok, msg, len, "root_shift", g->root_shift, k.root_shift);
	if (k.granule)
		geom_eq(&ok, msg, len, "granule", g->granule, k.granule);
	geom_eq(&ok, msg, len, "n_levels", g->n_levels, k.n_levels);
	if (!ok || !k.n_levels)
		return false;
	for (unsigned d = 0; d < k.n_levels; d++) {
		const struct pgt_level_geom *l = &g->level[d];
		const struct kt_level *kl = &k.level[d];
		unsigned table_bits = kl->table_bits ? kl->table_bits : kl->index_bits;
		const struct {
			const char *name;
			uint64_t lib, ker;
			bool compared;
		} f[] = {
			{"label", l->label, kl->label, true},
			{"shift", l->shift, kl->shift, true},
			{"index_bits", l->index_bits, kl->index_bits, true},
			{"table_bytes", l->table_bytes, (uint64_t)k.desc_bytes << table_bits, true},
			{"batch_bits", l->batch_bits, kl->batch_bits, kl->batch_bits != 0},
		};
		for (size_t i = 0; i < KT_ARRAY_SIZE(f); i++) {
			char what[48];
			snprintf(what, sizeof(what), "level %u %s", d, f[i].name);
			if (f[i].compared)
				geom_eq(&ok, msg, len, what, f[i].lib, f[i].ker);
		}
	}
	return ok;
}

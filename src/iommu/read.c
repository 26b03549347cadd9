// SPDX-License-Identifier: MIT
/*
 * The one way every IOMMU kind reads its structures: entries fetched from
 * memory with bounds checks, decoded by their field tables, pushed on the
 * chain from the register down; pointers checked before they are followed.
 * What is wrong becomes a problem of the entry that holds it.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "iommu_int.h"

void entry_meaning(struct pgt_iommu_entry *e, const char *name, const char *const *words,
		   unsigned n_words)
{
	for (unsigned i = 0; i < e->n_fields; i++)
		if (!strcmp(e->field[i].name, name))
			e->field[i].meaning = e->field[i].value < n_words ? words[e->field[i].value]
									    : NULL;
}

void iommu_decode(const struct struct_def *def, uint64_t index, pgt_addr pa,
		  const uint64_t *words, struct pgt_iommu_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->name = def->name;
	e->index = index;
	e->pa = pa;
	e->n_words = def->words;
	memcpy(e->word, words, def->words * sizeof(*words));
	for (unsigned i = 0; i < def->n_fields && e->n_fields < PGT_IOMMU_MAX_FIELDS; i++) {
		const struct field_def *f = &def->fields[i];
		uint64_t w = words[f->word];
		uint64_t v = f->show == SHOW_ADDRESS ? field_in_place(w, f->hi, f->lo)
						     : bits(w, f->hi, f->lo);
		const char *meaning = f->meanings && v < f->n_meanings ? f->meanings[v] : NULL;
		e->field[e->n_fields++] = (struct pgt_field){f->name, v, meaning};
	}
}

static const char *top_name(const struct iommu_walk *w)
{
	return w->n_chain ? w->chain[w->n_chain - 1].name : w->io->reg_entry.name;
}

static int report(struct iommu_walk *w, const struct pgt_iommu_problem *p)
{
	if (w->n_chain && w->n_probs < PGT_IOMMU_MAX_PROBLEMS) {
		w->probs[w->n_probs].level = w->n_chain;
		w->probs[w->n_probs++].p = *p;
	}
	if (w->want) {
		w->stop = *p;
		w->stopped = true;
		return 0;
	}
	return w->v->problem ? w->v->problem(w->v->ctx, p) : 0;
}

int iommu_problem(struct iommu_walk *w, enum pgt_stop kind, const char *fmt, ...)
{
	struct pgt_iommu_problem p = {.kind = kind, .what = top_name(w)};
	const struct pgt_iommu_entry *e = w->n_chain ? iommu_top(w) : &w->io->reg_entry;
	p.pa = e->pa;
	p.raw = e->word[0];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p.why, sizeof(p.why), fmt, ap);
	va_end(ap);
	return report(w, &p);
}

int iommu_budget(struct iommu_walk *w, uint64_t n)
{
	if (w->budget >= n) {
		w->budget -= n;
		return 0;
	}
	if (!w->over_budget) {
		w->over_budget = true;
		iommu_problem(w, PGT_STOP_UNREADABLE,
			      "the structures hold more than %u words: the walk stops here",
			      WALK_BUDGET);
	}
	return IOMMU_STOP;
}

/* Why a read failed, as the table walker says it (walk.c unread()). */
static enum pgt_stop unread(struct pgt_mem *mem, int rc, char *why, size_t len)
{
	if (rc == -ENODATA) {
		snprintf(why, len, "in a page the dump excluded");
		return PGT_STOP_EXCLUDED;
	}
	if (rc == -EIO || rc == -ENOMEM) {
		snprintf(why, len, "in a page of the dump that cannot be read (%s)", pgt_mem_why(mem));
		return PGT_STOP_UNREADABLE;
	}
	snprintf(why, len, "outside memory");
	return PGT_STOP_OUTSIDE;
}

int iommu_read(struct iommu_walk *w, const char *what, pgt_addr pa, unsigned n, uint64_t *words)
{
	int rc = iommu_budget(w, n);
	if (rc)
		return rc;
	rc = pgt_mem_read(w->io->mem, pa, words, (uint64_t)n * 8);
	if (!rc) {
		for (unsigned i = 0; i < n; i++)
			words[i] = le64toh(words[i]);
		return 0;
	}
	char where[128];
	enum pgt_stop kind = unread(w->io->mem, rc, where, sizeof(where));
	rc = iommu_problem(w, kind, "%s at 0x%llx is %s", what, (unsigned long long)pa, where);
	return rc ? rc : IOMMU_SKIP;
}

int iommu_push(struct iommu_walk *w, const struct struct_def *def, uint64_t index, pgt_addr pa,
	       const uint64_t *words)
{
	if (w->n_chain == PGT_IOMMU_MAX_CHAIN)
		return IOMMU_SKIP; /* no kind nests deeper */
	iommu_decode(def, index, pa, words, &w->chain[w->n_chain++]);
	for (unsigned i = 0; i < def->words; i++) {
		uint64_t set = words[i] & def->reserved[i];
		if (!set)
			continue;
		int rc = iommu_problem(w, PGT_STOP_BAD, "reserved bits 0x%llx set in word %u",
				       (unsigned long long)set, i);
		if (rc)
			return rc;
	}
	return 0;
}

void iommu_pop(struct iommu_walk *w)
{
	while (w->n_probs && w->probs[w->n_probs - 1].level >= w->n_chain)
		w->n_probs--;
	w->n_chain--;
}

int iommu_enter(struct iommu_walk *w, const char *what, pgt_addr *pa, uint64_t bytes,
		uint64_t align)
{
	int rc;
	if (*pa & (align - 1)) {
		pgt_addr aligned = *pa & ~(align - 1);
		rc = iommu_problem(w, PGT_STOP_BAD,
				   "%s at 0x%llx is not aligned to 0x%llx: the hardware reads 0x%llx",
				   what, (unsigned long long)*pa, (unsigned long long)align,
				   (unsigned long long)aligned);
		if (rc)
			return rc;
		*pa = aligned;
	}
	uint8_t b;
	int got = pgt_mem_read(w->io->mem, *pa, &b, 1);
	if (!got)
		got = pgt_mem_read(w->io->mem, *pa + bytes - 1, &b, 1);
	if (got) {
		char where[128];
		enum pgt_stop kind = unread(w->io->mem, got, where, sizeof(where));
		rc = iommu_problem(w, kind, "%s at 0x%llx is %s", what, (unsigned long long)*pa,
				   where);
		return rc ? rc : IOMMU_SKIP;
	}
	for (unsigned i = 0; i < w->n_path; i++) {
		pgt_addr lo = w->path[i].pa, hi = lo + w->path[i].bytes - 1;
		if (*pa <= hi && *pa + bytes - 1 >= lo) {
			rc = iommu_problem(w, PGT_STOP_LOOP,
					   "%s at 0x%llx overlaps the table at 0x%llx above it",
					   what, (unsigned long long)*pa, (unsigned long long)lo);
			return rc ? rc : IOMMU_SKIP;
		}
	}
	if (w->n_path == PGT_IOMMU_MAX_CHAIN)
		return IOMMU_SKIP; /* no kind nests deeper */
	w->path[w->n_path].pa = *pa;
	w->path[w->n_path++].bytes = bytes;
	return 0;
}

void iommu_exit(struct iommu_walk *w)
{
	w->n_path--;
}

bool iommu_wants(const struct iommu_walk *w, uint32_t id, bool id_only, bool has_pasid,
		 uint32_t pasid)
{
	if (!w->want)
		return true;
	if (w->want->id != id)
		return false;
	if (id_only)
		return true;
	return w->want->has_pasid == has_pasid && (!has_pasid || w->want->pasid == pasid);
}

void iommu_dev_begin(struct iommu_walk *w, uint32_t id, bool has_pasid, uint32_t pasid)
{
	struct pgt_iommu_device *d = &w->dev;
	memset(d, 0, offsetof(struct pgt_iommu_device, chain));
	d->id.id = id;
	d->id.has_pasid = has_pasid;
	d->id.pasid = pasid;
}

int iommu_emit(struct iommu_walk *w)
{
	struct pgt_iommu_device *d = &w->dev;
	if (w->want) {
		d->id.seg = w->want->seg;
		if (!pgt_devid_eq(&d->id, w->want))
			return 0;
	}
	if (d->mode == PGT_DEV_BYPASS && !d->untranslated)
		d->untranslated = PGT_READ | PGT_WRITE;
	d->n_chain = w->n_chain;
	memcpy(d->chain, w->chain, w->n_chain * sizeof(w->chain[0]));
	d->n_problems = w->n_probs;
	for (unsigned i = 0; i < w->n_probs; i++)
		d->problem[i] = w->probs[i].p;
	if (w->want) {
		*w->found = *d;
		w->got = true;
		return IOMMU_STOP;
	}
	if (!w->v->all && (d->mode == PGT_DEV_INVALID || d->mode == PGT_DEV_ABORT))
		return 0;
	return w->v->device ? w->v->device(w->v->ctx, d) : 0;
}

void iommu_table_init(struct pgt_iommu_table *t, const char *format)
{
	memset(t, 0, sizeof(*t));
	t->format = format;
	const struct pgt_format *fmt = pgt_format_find(format);
	if (fmt)
		pgt_format_cfg_defaults(fmt, PGT_KERNEL_DEFAULT, &t->cfg);
	else
		pgt_cfg_init(&t->cfg);
}

void iommu_table_expect(struct pgt_iommu_table *t, const char *reg, const char *field,
			uint64_t value)
{
	if (t->n_expect < sizeof(t->expect) / sizeof(t->expect[0]))
		t->expect[t->n_expect++] = (struct pgt_iommu_expect){reg, field, value};
}

void iommu_table_option(struct pgt_iommu_table *t, const char *name, unsigned value)
{
	const struct pgt_format *fmt = pgt_format_find(t->format);
	int i = fmt ? pgt_format_option_find(fmt, name) : -1;
	if (i >= 0)
		t->cfg.opt[i] = value;
}

/* --- scan helpers ------------------------------------------------------ */

bool iommu_peek(struct pgt_mem *mem, pgt_addr pa, unsigned n, uint64_t *words)
{
	if (pgt_mem_read(mem, pa, words, (uint64_t)n * 8))
		return false;
	for (unsigned i = 0; i < n; i++)
		words[i] = le64toh(words[i]);
	return true;
}

bool iommu_mem_has(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	uint8_t b;
	return len && !pgt_mem_read(mem, pa, &b, 1) && !pgt_mem_read(mem, pa + len - 1, &b, 1);
}

// SPDX-License-Identifier: MIT
/* The IOMMU kinds, device IDs, and the walks every kind shares. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "iommu_int.h"

static const struct pgt_iommu_kind *const kinds[] = {
	&iommu_amd_vi, &iommu_intel_vtd, &iommu_smmuv3, &iommu_riscv, NULL,
};

const struct pgt_iommu_kind *const *pgt_iommu_kinds(void)
{
	return kinds;
}

const struct pgt_iommu_kind *pgt_iommu_kind_find(const char *name)
{
	for (const struct pgt_iommu_kind *const *k = kinds; *k; k++)
		if (!strcasecmp((*k)->name, name))
			return *k;
	return NULL;
}

const char *pgt_iommu_kind_name(const struct pgt_iommu_kind *k)
{
	return k->name;
}

const char *pgt_iommu_kind_summary(const struct pgt_iommu_kind *k)
{
	return k->summary;
}

const char *pgt_iommu_kind_register(const struct pgt_iommu_kind *k)
{
	return k->register_doc;
}

const char *pgt_dev_mode_name(enum pgt_dev_mode m)
{
	static const char *const names[] = {
		[PGT_DEV_INVALID] = "invalid",	     [PGT_DEV_ABORT] = "abort",
		[PGT_DEV_BYPASS] = "bypass",	     [PGT_DEV_TRANSLATED] = "translated",
		[PGT_DEV_NESTED] = "nested",
	};
	return names[m];
}

/* --- Device IDs ---------------------------------------------------------- */

static bool parse_bdf(const char *s, size_t len, struct pgt_devid *id)
{
	char buf[32];
	unsigned seg = 0, bus, dev, fn;
	int used = 0;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = 0;
	if (sscanf(buf, "%x:%x:%x.%x%n", &seg, &bus, &dev, &fn, &used) != 4 || buf[used]) {
		seg = 0;
		used = 0;
		if (sscanf(buf, "%x:%x.%x%n", &bus, &dev, &fn, &used) != 3 || buf[used])
			return false;
	}
	if (seg > 0xffff || bus > 0xff || dev > 0x1f || fn > 7 || strchr(buf, '-') ||
	    strchr(buf, '+') || strchr(buf, ' '))
		return false;
	id->seg = seg;
	id->id = bus << 8 | dev << 3 | fn;
	return true;
}

int pgt_devid_parse(const char *s, struct pgt_devid *id, struct pgt_error *err)
{
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	memset(id, 0, sizeof(*id));
	if (!strchr(s, ':') || (slash && memchr(s, ':', len) == NULL)) {
		char buf[32];
		uint64_t v;
		if (len >= sizeof(buf))
			return pgt_fail(err, -EINVAL, "'%s' is not a device: a BDF like 0000:00:03.0 or "
					"an ID number, with an optional /PASID", s);
		memcpy(buf, s, len);
		buf[len] = 0;
		if (pgt_parse_u64(buf, &v, err))
			return pgt_fail(err, -EINVAL, "'%s' is not a device: a BDF like 0000:00:03.0 or "
					"an ID number, with an optional /PASID", s);
		if (v > 0xffffffffull)
			return pgt_fail(err, -ERANGE, "device ID %s is wider than 32 bits", buf);
		id->id = (uint32_t)v;
	} else if (!parse_bdf(s, len, id)) {
		return pgt_fail(err, -EINVAL, "'%s' is not a device: a BDF like 0000:00:03.0 or an ID "
				"number, with an optional /PASID", s);
	}
	if (slash) {
		uint64_t v;
		if (pgt_parse_u64(slash + 1, &v, err))
			return err->code;
		if (v > 0xfffff)
			return pgt_fail(err, -ERANGE, "PASID %s is wider than 20 bits", slash + 1);
		id->has_pasid = true;
		id->pasid = (uint32_t)v;
	}
	return 0;
}

const char *pgt_devid_str(const struct pgt_iommu_kind *k, const struct pgt_devid *id, char *buf,
			  size_t len)
{
	int n;
	if (k->pci_ids)
		n = snprintf(buf, len, "%04x:%02x:%02x.%x", id->seg ? id->seg : id->id >> 16,
			     (id->id >> 8) & 0xff, (id->id >> 3) & 0x1f, id->id & 7);
	else
		n = snprintf(buf, len, "0x%x", id->id);
	if (id->has_pasid && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "/%u", id->pasid);
	return buf;
}

bool pgt_devid_eq(const struct pgt_devid *a, const struct pgt_devid *b)
{
	return a->seg == b->seg && a->id == b->id && a->has_pasid == b->has_pasid &&
	       (!a->has_pasid || a->pasid == b->pasid);
}

/* --- An IOMMU ----------------------------------------------------------- */

static int parse_registers(struct pgt_iommu *io, const char *reg, struct pgt_error *err)
{
	const struct pgt_iommu_kind *k = io->kind;
	char *buf = strdup(reg), *save = NULL;
	int rc = 0;
	if (!buf)
		return pgt_fail(err, -ENOMEM, "out of memory");
	for (char *v = strtok_r(buf, ",", &save); v && !rc; v = strtok_r(NULL, ",", &save)) {
		if (io->n_reg == k->max_regs)
			rc = pgt_fail(err, -EINVAL, "%s takes %s", k->name, k->register_doc);
		else
			rc = pgt_parse_u64(v, &io->reg[io->n_reg++], err);
	}
	free(buf);
	if (!rc && !io->n_reg)
		rc = pgt_fail(err, -EINVAL, "%s takes %s", k->name, k->register_doc);
	return rc;
}

int pgt_iommu_open(const struct pgt_iommu_kind *k, const char *reg, struct pgt_mem *mem,
		   struct pgt_iommu **out, struct pgt_error *err)
{
	struct pgt_iommu *io = calloc(1, sizeof(*io));
	if (!io)
		return pgt_fail(err, -ENOMEM, "out of memory");
	io->kind = k;
	io->mem = mem;
	int rc = parse_registers(io, reg, err);
	if (!rc) {
		iommu_decode(k->reg_def, 0, 0, io->reg, &io->reg_entry);
		rc = k->ops->open(io, err);
	}
	if (rc) {
		free(io);
		return rc;
	}
	*out = io;
	return 0;
}

void pgt_iommu_close(struct pgt_iommu *io)
{
	free(io);
}

const struct pgt_iommu_kind *pgt_iommu_kind_of(const struct pgt_iommu *io)
{
	return io->kind;
}

const struct pgt_iommu_entry *pgt_iommu_register(const struct pgt_iommu *io)
{
	return &io->reg_entry;
}

unsigned pgt_iommu_register_values(const struct pgt_iommu *io, uint64_t *v)
{
	memcpy(v, io->reg, io->n_reg * sizeof(*v));
	return io->n_reg;
}

static struct iommu_walk *walk_new(struct pgt_iommu *io, const struct pgt_iommu_visitor *v)
{
	struct iommu_walk *w = calloc(1, sizeof(*w));
	if (w) {
		w->io = io;
		w->v = v;
		w->budget = WALK_BUDGET;
	}
	return w;
}

static int walk_rc(int rc)
{
	return rc == IOMMU_STOP || rc == IOMMU_SKIP ? 0 : rc;
}

int pgt_iommu_walk(struct pgt_iommu *io, const struct pgt_iommu_visitor *v)
{
	struct iommu_walk *w = walk_new(io, v);
	if (!w)
		return -ENOMEM;
	int rc = walk_rc(io->kind->ops->walk(w));
	free(w);
	return rc;
}

int iommu_find(struct pgt_iommu *io, const struct pgt_devid *id, struct pgt_iommu_device *dev,
	       struct pgt_error *err)
{
	static const struct pgt_iommu_visitor none = {0};
	char name[48];
	struct iommu_walk *w = walk_new(io, &none);
	if (!w)
		return pgt_fail(err, -ENOMEM, "out of memory");
	w->want = id;
	w->found = dev;
	io->kind->ops->walk(w);
	int rc = 0;
	pgt_devid_str(io->kind, id, name, sizeof(name));
	if (!w->got && w->stopped && w->stop.what == io->reg_entry.name)
		rc = pgt_fail(err, -ENOENT, "device %s: %s", name, w->stop.why);
	else if (!w->got && w->stopped)
		rc = pgt_fail(err, -ENOENT, "device %s: %s at 0x%llx: %s", name, w->stop.what,
			      (unsigned long long)w->stop.pa, w->stop.why);
	else if (!w->got)
		rc = pgt_fail(err, -ENOENT, "device %s: the %s structures have no entry for it",
			      name, io->kind->name);
	free(w);
	return rc;
}

int pgt_iommu_find(struct pgt_iommu *io, const struct pgt_devid *id,
		   struct pgt_iommu_device **out, struct pgt_error *err)
{
	struct pgt_iommu_device *d = calloc(1, sizeof(*d));
	if (!d)
		return pgt_fail(err, -ENOMEM, "out of memory");
	int rc = iommu_find(io, id, d, err);
	if (rc) {
		free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void pgt_iommu_device_free(struct pgt_iommu_device *d)
{
	free(d);
}

const struct pgt_devid *pgt_iommu_device_id(const struct pgt_iommu_device *d)
{
	return &d->id;
}

enum pgt_dev_mode pgt_iommu_device_mode(const struct pgt_iommu_device *d)
{
	return d->mode;
}

bool pgt_iommu_device_domain(const struct pgt_iommu_device *d, uint32_t *domain, const char **name)
{
	*domain = d->domain;
	*name = d->domain_name;
	return d->has_domain;
}

const struct pgt_iommu_table *pgt_iommu_device_table(const struct pgt_iommu_device *d)
{
	return d->has_table ? &d->table : NULL;
}

const struct pgt_iommu_table *pgt_iommu_device_stage2(const struct pgt_iommu_device *d)
{
	return d->has_stage2 ? &d->stage2 : NULL;
}

unsigned pgt_iommu_device_untranslated(const struct pgt_iommu_device *d)
{
	return d->untranslated;
}

const char *pgt_iommu_device_note(const struct pgt_iommu_device *d)
{
	return d->note;
}

unsigned pgt_iommu_device_n_chain(const struct pgt_iommu_device *d)
{
	return d->n_chain;
}

const struct pgt_iommu_entry *pgt_iommu_device_chain(const struct pgt_iommu_device *d, unsigned i)
{
	return i < d->n_chain ? &d->chain[i] : NULL;
}

unsigned pgt_iommu_device_n_problems(const struct pgt_iommu_device *d)
{
	return d->n_problems;
}

const struct pgt_iommu_problem *pgt_iommu_device_problem(const struct pgt_iommu_device *d,
							 unsigned i)
{
	return i < d->n_problems ? &d->problem[i] : NULL;
}

const char *pgt_iommu_table_format(const struct pgt_iommu_table *it)
{
	return it->format;
}

unsigned pgt_iommu_table_n_roots(const struct pgt_iommu_table *it)
{
	return it->n_roots;
}

pgt_addr pgt_iommu_table_root(const struct pgt_iommu_table *it, unsigned i)
{
	return i < it->n_roots ? it->root[i] : 0;
}

const struct pgt_cfg *pgt_iommu_table_cfg(const struct pgt_iommu_table *it)
{
	return &it->cfg;
}

const char *pgt_iommu_entry_name(const struct pgt_iommu_entry *e)
{
	return e->name;
}

uint64_t pgt_iommu_entry_index(const struct pgt_iommu_entry *e)
{
	return e->index;
}

pgt_addr pgt_iommu_entry_pa(const struct pgt_iommu_entry *e)
{
	return e->pa;
}

unsigned pgt_iommu_entry_n_words(const struct pgt_iommu_entry *e)
{
	return e->n_words;
}

uint64_t pgt_iommu_entry_word(const struct pgt_iommu_entry *e, unsigned i)
{
	return i < e->n_words ? e->word[i] : 0;
}

unsigned pgt_iommu_entry_n_fields(const struct pgt_iommu_entry *e)
{
	return e->n_fields;
}

const struct pgt_field *pgt_iommu_entry_field(const struct pgt_iommu_entry *e, unsigned i)
{
	return i < e->n_fields ? &e->field[i] : NULL;
}

enum pgt_stop pgt_iommu_problem_kind(const struct pgt_iommu_problem *p)
{
	return p->kind;
}

const char *pgt_iommu_problem_what(const struct pgt_iommu_problem *p)
{
	return p->what;
}

pgt_addr pgt_iommu_problem_pa(const struct pgt_iommu_problem *p)
{
	return p->pa;
}

uint64_t pgt_iommu_problem_raw(const struct pgt_iommu_problem *p)
{
	return p->raw;
}

const char *pgt_iommu_problem_why(const struct pgt_iommu_problem *p)
{
	return p->why;
}

/* --- A device's table --------------------------------------------------- */

static bool reg_value(const struct pgt_regs *regs, const struct pgt_iommu_expect *x,
		      uint64_t *v)
{
	for (unsigned i = 0; i < regs->n; i++) {
		const struct pgt_reg *r = &regs->reg[i];
		if (strcmp(r->name, x->reg))
			continue;
		if (!x->field) {
			*v = r->value;
			return true;
		}
		for (unsigned k = 0; k < r->n; k++)
			if (!strcmp(r->field[k].name, x->field)) {
				*v = r->field[k].value;
				return true;
			}
	}
	return false;
}

int pgt_iommu_table_open(const struct pgt_iommu_table *it, struct pgt_mem *mem,
			 struct pgt_table **out, struct pgt_error *err)
{
	const struct pgt_format *fmt = pgt_format_find(it->format);
	if (!fmt || !pgt_format_available(fmt, PGT_KERNEL_DEFAULT))
		return pgt_fail(err, -EOPNOTSUPP, "libpgt cannot walk %s tables yet", it->format);
	int rc = pgt_table_check_config(fmt, &it->cfg, err);
	if (!rc)
		rc = pgt_table_attach(fmt, &it->cfg, mem, it->root, it->n_roots, out, err);
	if (rc)
		return rc;
	struct pgt_regs regs;
	pgt_table_regs(*out, &regs);
	for (unsigned i = 0; i < it->n_expect; i++) {
		const struct pgt_iommu_expect *x = &it->expect[i];
		uint64_t v;
		if (!reg_value(&regs, x, &v) || v == x->value)
			continue;
		pgt_table_destroy(*out);
		*out = NULL;
		return pgt_fail(err, -EINVAL,
				"the kernel's %s table for this configuration has %s.%s %llu, the "
				"structures say %llu",
				it->format, x->reg, x->field ? x->field : "",
				(unsigned long long)v, (unsigned long long)x->value);
	}
	return 0;
}

/* --- Scan helpers -------------------------------------------------------- */

struct plausible {
	uint64_t leaves, problems, items;
};

static int count_leaf(void *ctx, const struct pgt_leaf *l)
{
	struct plausible *p = ctx;
	(void)l;
	p->leaves++;
	return ++p->items > 4096;
}

static int count_problem(void *ctx, const struct pgt_problem *pr)
{
	(void)pr;
	((struct plausible *)ctx)->problems++;
	return 1;
}

static int count_table(void *ctx, const struct pgt_table_visit *tv)
{
	(void)tv;
	return ++((struct plausible *)ctx)->items > 4096;
}

unsigned iommu_plausible_table(struct pgt_mem *mem, const struct pgt_iommu_table *it)
{
	struct pgt_error err;
	struct pgt_table *t;
	if (pgt_iommu_table_open(it, mem, &t, &err))
		return 0;
	struct plausible p = {0};
	struct pgt_visitor v = {.table = count_table, .leaf = count_leaf, .problem = count_problem,
				.check_descriptors = true, .ctx = &p};
	pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v);
	pgt_table_destroy(t);
	return p.problems ? 0 : p.leaves ? 2 : 1;
}

void iommu_count_table(struct pgt_mem *mem, const struct pgt_iommu_table *t,
		       struct iommu_roots *seen, struct iommu_candidate *c)
{
	c->devices++;
	for (unsigned k = 0; k < seen->n; k++)
		if (seen->pa[k] == t->root[0])
			return;
	if (seen->n == 16)
		return;
	seen->pa[seen->n++] = t->root[0];
	switch (iommu_plausible_table(mem, t)) {
	case 2:
		c->tables++;
		break;
	case 0:
		c->problems++;
		break;
	}
}

/* Tables with mappings weigh most, then devices, then valid entries;
 * tables that do not walk count against. */
void iommu_score(struct iommu_candidate *c)
{
	c->score = (int64_t)c->tables * 1000 + (int64_t)c->devices * 10 + (int64_t)c->entries / 16 -
		   (int64_t)c->problems * 500;
}

/* --- Scan ------------------------------------------------------------------ */

static int by_score(const void *a, const void *b)
{
	const struct iommu_candidate *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

int iommu_scan(const struct pgt_iommu_kind *k, struct pgt_mem *mem, struct iommu_candidate *out,
	       size_t max_out, struct pgt_error *err)
{
	size_t n_ranges = pgt_mem_ranges(mem, NULL, 0), n = 0;
	struct pgt_mem_range *r = calloc(n_ranges ? n_ranges : 1, sizeof(*r));
	if (!r)
		return pgt_fail(err, -ENOMEM, "out of memory");
	pgt_mem_ranges(mem, r, n_ranges);
	for (size_t i = 0; i < n_ranges; i++) {
		/* every whole page of the range (which may end at 2^64) */
		pgt_addr pa = (r[i].pa + 0xfff) & ~0xfffull, last = r[i].pa + (r[i].len - 1);
		for (; pa >= r[i].pa && pa <= last && last - pa >= 0xfff; pa += 0x1000) {
			struct iommu_candidate c = {.pa = pa};
			k->ops->probe(mem, pa, &c);
			if (!c.entries || !max_out)
				continue;
			if (n < max_out)
				out[n++] = c;
			else if (by_score(&c, &out[n - 1]) < 0)
				out[n - 1] = c;
			else
				continue;
			qsort(out, n, sizeof(*out), by_score);
		}
	}
	free(r);
	return (int)n;
}

struct pgt_iommu_candidates {
	size_t n;
	struct iommu_candidate c[];
};

int pgt_iommu_scan(const struct pgt_iommu_kind *k, struct pgt_mem *mem, size_t max_out,
		   struct pgt_iommu_candidates **out, struct pgt_error *err)
{
	struct pgt_iommu_candidates *c = calloc(1, sizeof(*c) + max_out * sizeof(c->c[0]));
	if (!c)
		return pgt_fail(err, -ENOMEM, "out of memory");
	int n = iommu_scan(k, mem, c->c, max_out, err);
	if (n < 0) {
		free(c);
		return n;
	}
	c->n = (size_t)n;
	*out = c;
	return 0;
}

size_t pgt_iommu_candidates_count(const struct pgt_iommu_candidates *c)
{
	return c->n;
}

int pgt_iommu_candidates_get(const struct pgt_iommu_candidates *c, size_t i,
			     struct pgt_iommu_candidate *out)
{
	if (i >= c->n)
		return -ERANGE;
	const struct iommu_candidate *x = &c->c[i];
	*out = (struct pgt_iommu_candidate){x->pa,     x->score,    x->devices, x->entries,
					    x->tables, x->problems, x->reg};
	return 0;
}

void pgt_iommu_candidates_free(struct pgt_iommu_candidates *c)
{
	free(c);
}

// SPDX-License-Identifier: MIT
/*
 * pgt.Table: a page table in memory, opened as pgtctl opens a SOURCE (an
 * IMAGE, a spec built in memory, a format and roots in memory), or made
 * empty to be mapped; its format, configuration, layout and registers;
 * translate with the walk; map, unmap and save.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtmodule.h"
#include <structmember.h>

PyObject *table_wrap(struct pgt_table *t, MemoryObject *memory, PyObject *name,
		     PyObject *device)
{
	TableObject *self = PyObject_GC_New(TableObject, &Table_Type);
	if (!self) {
		pgt_table_destroy(t);
		return NULL;
	}
	self->t = t;
	self->memory = (MemoryObject *)Py_NewRef(memory);
	self->name = Py_NewRef(name ? name : memory->name);
	self->device = Py_NewRef(device ? device : Py_None);
	self->weakrefs = NULL;
	PyObject_GC_Track(self);
	return (PyObject *)self;
}

/* Read t as the given kernel's (pgtctl's --kernel): an exception naming
 * the table where that kernel lays it out otherwise. */
int table_set_kernel(struct pgt_table *t, enum pgt_kernel kernel, const char *name)
{
	struct pgt_error *err = error_new();
	int rc = err ? pgt_table_set_kernel(t, kernel, err) : -ENOMEM;
	if (rc && err) {
		pgt_error_prefix(err, "%s", name);
		raise_pgt(err, rc, ANYWHERE);
	}
	pgt_error_free(err);
	return rc ? -1 : 0;
}

/* --- Opening ----------------------------------------------------------------- */

static int conv_roots(PyObject *o, void *out)
{
	struct {
		pgt_addr v[PGT_MAX_ROOTS];
		unsigned n;
	} *roots = out;
	PyObject *list = NULL;
	if (PyUnicode_Check(o)) {
		PyObject *sep = PyUnicode_FromString(",");
		list = sep ? PyUnicode_Split(o, sep, -1) : NULL;
		Py_XDECREF(sep);
	} else if (PyLong_Check(o)) {
		list = Py_BuildValue("[O]", o);
	} else {
		list = PySequence_List(o);
	}
	if (!list)
		return 0;
	Py_ssize_t n = PyList_GET_SIZE(list);
	int ok = 1;
	if (!n || n > PGT_MAX_ROOTS) {
		PyErr_Format(types.InvalidError, "a table has 1 to %d roots (got %zd)", PGT_MAX_ROOTS,
			     n);
		ok = 0;
	}
	for (Py_ssize_t i = 0; ok && i < n; i++)
		ok = conv_u64(PyList_GET_ITEM(list, i), &roots->v[i]);
	roots->n = (unsigned)n;
	Py_DECREF(list);
	return ok;
}

/* An option the format cannot be read without, not given. */
static int need_options(const struct pgt_format *fmt, PyObject *config)
{
	for (unsigned i = 0; i < pgt_format_n_options(fmt); i++) {
		const struct pgt_format_option *o = pgt_format_option(fmt, i);
		PyObject *v = config ? PyDict_GetItemString(config, o->name) : NULL;
		if (o->needed_to_read && (!v || v == Py_None)) {
			PyErr_Format(types.InvalidError, "%s needs %s=N (its %s)", pgt_format_name(fmt),
				     o->name, o->summary);
			return -1;
		}
	}
	return 0;
}

static PyObject *table_attach(PyObject *cls, PyObject *args, PyObject *kw)
{
	const struct pgt_format *fmt;
	PyObject *memory;
	struct {
		pgt_addr v[PGT_MAX_ROOTS];
		unsigned n;
	} roots;
	PyObject *kernel_o = Py_None;
	static char *kwlist[] = {"format", "memory", "roots", "kernel", NULL};
	/* the configuration is the keywords left */
	PyObject *config = kw ? PyDict_Copy(kw) : PyDict_New();
	if (!config)
		return NULL;
	PyObject *fixed = PyDict_New();
	for (char **k = kwlist; fixed && *k; k++) {
		PyObject *v = PyDict_GetItemString(config, *k);
		if (v && (PyDict_SetItemString(fixed, *k, v) || PyDict_DelItemString(config, *k)))
			Py_CLEAR(fixed);
	}
	enum pgt_kernel kernel;
	struct pgt_cfg *cfg = NULL;
	PyObject *r = NULL;
	if (!fixed ||
	    !PyArg_ParseTupleAndKeywords(args, fixed, "O&O!O&|O:attach", kwlist, conv_format, &fmt,
					 &Memory_Type, &memory, conv_roots, &roots, &kernel_o) ||
	    !conv_kernel(kernel_o, &kernel) || need_options(fmt, config) ||
	    cfg_from_dict(fmt, kernel, config, &cfg))
		goto out;
	struct pgt_error *err = error_new();
	if (!err)
		goto out;
	MemoryObject *m = (MemoryObject *)memory;
	struct unlocked u;
	struct pgt_table *t = NULL;
	/* what the kernel's alloc refuses, refused as it is */
	int rc = pgt_table_check_config(fmt, cfg, err);
	if (!rc && !memory_lock(&u, m, NULL)) {
		NOGIL(&u, rc = pgt_table_attach(fmt, cfg, m->mem, roots.v, roots.n, &t, err));
		memory_unlock(&u);
		if (memory_reraise(m))
			pgt_table_destroy(t);
		else if (rc)
			raise_pgt(err, rc, ANYWHERE);
		else
			r = table_wrap(t, m, NULL, NULL);
	} else if (rc) {
		raise_pgt(err, rc, ANYWHERE);
	}
	pgt_error_free(err);
out:
	pgt_cfg_free(cfg);
	Py_XDECREF(fixed);
	Py_DECREF(config);
	return r;
}

/* A table and the memory it came with, both new, as Python objects. */
static PyObject *wrap_both(struct pgt_table *t, struct pgt_mem *mem, const char *name)
{
	PyObject *m = memory_wrap(mem, name);
	if (!m) {
		pgt_table_destroy(t);
		return NULL;
	}
	PyObject *r = table_wrap(t, (MemoryObject *)m, NULL, NULL);
	Py_DECREF(m);
	return r;
}

static PyObject *table_image(PyObject *cls, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"path", "kernel", "editable", NULL};
	PyObject *path, *kernel_o = Py_None;
	int editable = 0;
	enum pgt_kernel kernel;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|O$p:image", kwlist, PyUnicode_FSConverter,
					 &path, &kernel_o, &editable))
		return NULL;
	struct pgt_error *err = conv_kernel(kernel_o, &kernel) ? error_new() : NULL;
	PyObject *r = NULL;
	if (err) {
		const char *name = PyBytes_AS_STRING(path);
		struct pgt_mem *mem = NULL;
		struct pgt_table *t = NULL;
		int rc;
		Py_BEGIN_ALLOW_THREADS
		rc = pgt_image_open(name, editable, &mem, &t, err);
		Py_END_ALLOW_THREADS
		if (rc) {
			raise_pgt(err, rc, IN_FILE(name));
		} else if (table_set_kernel(t, kernel, name)) {
			pgt_table_destroy(t);
			pgt_mem_destroy(mem);
		} else {
			r = wrap_both(t, mem, name);
		}
	}
	pgt_error_free(err);
	Py_DECREF(path);
	return r;
}

static PyObject *table_spec(PyObject *cls, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"path", "text", "kernel", NULL};
	PyObject *path = NULL, *kernel_o = Py_None;
	const char *text = NULL;
	Py_ssize_t len = 0;
	enum pgt_kernel kernel;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&$s#O:spec", kwlist, PyUnicode_FSConverter,
					 &path, &text, &len, &kernel_o))
		return NULL;
	if (!path == !text) {
		Py_XDECREF(path);
		PyErr_SetString(PyExc_TypeError, "spec takes a path or text=");
		return NULL;
	}
	struct pgt_error *err = conv_kernel(kernel_o, &kernel) ? error_new() : NULL;
	if (err && text && kernel != PGT_KERNEL_DEFAULT) {
		PyErr_SetString(types.InvalidError, "a spec's text names its kernel (kernel: 7.3)");
		pgt_error_free(err);
		err = NULL;
	}
	PyObject *r = NULL;
	if (err) {
		const char *name = path ? PyBytes_AS_STRING(path) : "<text>";
		struct pgt_spec *spec = NULL;
		struct pgt_mem *mem = NULL;
		struct pgt_table *t = NULL;
		int rc, built = -1;
		Py_BEGIN_ALLOW_THREADS
		rc = path ? pgt_spec_load(name, kernel, &spec, err)
			  : pgt_spec_parse(name, text, (size_t)len, &spec, err);
		if (!rc)
			built = pgt_spec_build(spec, NULL, NULL, &mem, &t, err);
		pgt_spec_free(spec);
		Py_END_ALLOW_THREADS
		if (rc)
			raise_pgt(err, rc, IN_FILE(path ? name : NULL));
		else if (built)
			raise_pgt(err, built, ANYWHERE);
		else
			r = wrap_both(t, mem, name);
	}
	pgt_error_free(err);
	Py_XDECREF(path);
	return r;
}

static PyObject *table_new(PyObject *cls, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"format", "base", "kernel", NULL};
	const struct pgt_format *fmt;
	uint64_t base = 0x80000000;
	PyObject *kernel_o = Py_None, *r = NULL;
	PyObject *config = kw ? PyDict_Copy(kw) : PyDict_New(), *fixed = PyDict_New();
	for (char **k = kwlist; config && fixed && *k; k++) {
		PyObject *v = PyDict_GetItemString(config, *k);
		if (v && (PyDict_SetItemString(fixed, *k, v) || PyDict_DelItemString(config, *k)))
			Py_CLEAR(fixed);
	}
	enum pgt_kernel kernel;
	struct pgt_cfg *cfg = NULL;
	struct pgt_error *err = NULL;
	if (!config || !fixed ||
	    !PyArg_ParseTupleAndKeywords(args, fixed, "O&|O&O:new", kwlist, conv_format, &fmt,
					 conv_u64, &base, &kernel_o) ||
	    !conv_kernel(kernel_o, &kernel) || cfg_from_dict(fmt, kernel, config, &cfg) ||
	    !(err = error_new()))
		goto out;
	struct pgt_mem *arena = NULL;
	struct pgt_table *t = NULL;
	int rc = pgt_arena_new(base, &arena, err);
	if (!rc && (rc = pgt_table_create(fmt, cfg, arena, &t, err)))
		pgt_mem_destroy(arena);
	if (rc)
		raise_pgt(err, rc, ANYWHERE);
	else
		r = wrap_both(t, arena, "new");
out:
	pgt_error_free(err);
	pgt_cfg_free(cfg);
	Py_XDECREF(fixed);
	Py_XDECREF(config);
	return r;
}

/* --- What it is ------------------------------------------------------------------ */

/* What fn makes of the table, read under its memory's lock. */
static PyObject *locked(TableObject *self, PyObject *(*fn)(const struct pgt_table *))
{
	struct unlocked u;
	if (memory_lock(&u, self->memory, NULL))
		return NULL;
	PyObject *r = fn(self->t);
	memory_unlock(&u);
	return r;
}

static PyObject *get_format(TableObject *self, void *c)
{
	return PyUnicode_FromString(pgt_format_name(pgt_table_format(self->t)));
}

static PyObject *kernel_of(const struct pgt_table *t)
{
	return PyUnicode_FromString(pgt_kernel_name(pgt_table_kernel(t)));
}

static PyObject *get_kernel(TableObject *self, void *c)
{
	return locked(self, kernel_of);
}

static PyObject *config_of(const struct pgt_table *t)
{
	return cfg_to_dict(pgt_table_format(t), pgt_table_cfg(t));
}

static PyObject *get_config(TableObject *self, void *c)
{
	return locked(self, config_of);
}

static PyObject *roots_tuple(const struct pgt_table *t)
{
	pgt_addr roots[PGT_MAX_ROOTS];
	unsigned n = pgt_table_roots(t, roots, PGT_MAX_ROOTS);
	PyObject *tuple = PyTuple_New(n);
	for (unsigned i = 0; tuple && i < n; i++) {
		PyObject *v = py_u64(roots[i]);
		if (!v) {
			Py_CLEAR(tuple);
			break;
		}
		PyTuple_SET_ITEM(tuple, i, v);
	}
	return tuple;
}

static PyObject *get_roots(TableObject *self, void *c)
{
	return locked(self, roots_tuple);
}

static PyObject *levels_tuple(const struct pgt_table *t)
{
	const struct pgt_geometry *g = pgt_table_geometry(t);
	unsigned n = pgt_geometry_levels(g);
	PyObject *tuple = PyTuple_New(n);
	for (unsigned d = 0; tuple && d < n; d++) {
		const struct pgt_level_geom *l = pgt_geometry_level(g, d);
		PyObject *r = record(types.Level, 8, PyLong_FromUnsignedLong(d),
				     PyLong_FromUnsignedLong(l->label), PyLong_FromUnsignedLong(l->shift),
				     PyLong_FromUnsignedLong(l->index_bits),
				     py_u64(1ull << l->index_bits), py_u64(l->table_bytes),
				     py_u64(l->leaf_sizes), PyBool_FromLong(l->has_tables));
		if (!r) {
			Py_CLEAR(tuple);
			break;
		}
		PyTuple_SET_ITEM(tuple, d, r);
	}
	return tuple;
}

static PyObject *get_levels(TableObject *self, void *c)
{
	return locked(self, levels_tuple);
}

static PyObject *desc_bytes_of(const struct pgt_table *t)
{
	return PyLong_FromUnsignedLong(pgt_geometry_desc_bytes(pgt_table_geometry(t)));
}

static PyObject *get_desc_bytes(TableObject *self, void *c)
{
	return locked(self, desc_bytes_of);
}

static PyObject *spans_tuple(const struct pgt_table *t)
{
	pgt_addr lo[2], hi[2];
	unsigned n = pgt_table_iova_spans(t, lo, hi);
	return n == 2 ? Py_BuildValue("((KK)(KK))", (unsigned long long)lo[0],
				      (unsigned long long)hi[0], (unsigned long long)lo[1],
				      (unsigned long long)hi[1])
		      : Py_BuildValue("((KK))", (unsigned long long)lo[0], (unsigned long long)hi[0]);
}

static PyObject *get_iova_spans(TableObject *self, void *c)
{
	return locked(self, spans_tuple);
}

static PyObject *register_value(const struct pgt_register *r)
{
	switch (r->kind) {
	case PGT_REG_VALUE:
	case PGT_REG_COUNT:
		return py_u64(r->value);
	case PGT_REG_FIELDS: {
		PyObject *d = PyDict_New();
		int rc = d ? 0 : -1;
		if (!rc && r->image) {
			PyObject *v = py_u64(r->value);
			rc = v ? PyDict_SetItemString(d, "value", v) : -1;
			Py_XDECREF(v);
		}
		for (unsigned k = 0; !rc && k < r->n; k++) {
			PyObject *v = py_u64(r->field[k].value);
			rc = v ? PyDict_SetItemString(d, r->field[k].name, v) : -1;
			Py_XDECREF(v);
		}
		if (rc)
			Py_CLEAR(d);
		return d;
	}
	case PGT_REG_LIST: {
		PyObject *list = PyList_New(r->n);
		for (unsigned k = 0; list && k < r->n; k++) {
			PyObject *v = py_u64(r->list[k]);
			if (!v) {
				Py_CLEAR(list);
				break;
			}
			PyList_SET_ITEM(list, k, v);
		}
		return list;
	}
	}
	PyErr_SetString(PyExc_SystemError, "a register of an unknown kind");
	return NULL;
}

static PyObject *registers_dict(const struct pgt_table *t)
{
	struct pgt_regs *regs;
	struct pgt_error *err = error_new();
	int rc = err ? pgt_table_registers(t, &regs, err) : -ENOMEM;
	if (rc) {
		if (err)
			raise_pgt(err, rc, ANYWHERE);
		pgt_error_free(err);
		return NULL;
	}
	pgt_error_free(err);
	PyObject *d = PyDict_New();
	for (unsigned i = 0; d && i < pgt_regs_count(regs); i++) {
		struct pgt_register reg;
		pgt_regs_get(regs, i, &reg);
		PyObject *v = register_value(&reg);
		if (!v || PyDict_SetItemString(d, reg.name, v))
			Py_CLEAR(d);
		Py_XDECREF(v);
	}
	pgt_regs_free(regs);
	return d;
}

static PyObject *get_registers(TableObject *self, void *c)
{
	return locked(self, registers_dict);
}

static PyObject *iova_min_of(const struct pgt_table *t)
{
	return py_u64(pgt_table_iova_min(t));
}

static PyObject *get_iova_min(TableObject *self, void *c)
{
	return locked(self, iova_min_of);
}

static PyObject *iova_max_of(const struct pgt_table *t)
{
	return py_u64(pgt_table_iova_max(t));
}

static PyObject *get_iova_max(TableObject *self, void *c)
{
	return locked(self, iova_max_of);
}

static PyObject *get_memory(TableObject *self, void *c)
{
	return Py_NewRef(self->memory);
}

/* --- Translate ------------------------------------------------------------------ */

static const char *kind_name(enum pgt_kind k)
{
	static const char *const names[] = {
		[PGT_EMPTY] = "empty", [PGT_TABLE] = "table", [PGT_LEAF] = "leaf", [PGT_BAD] = "malformed"};
	return (unsigned)k < 4 ? names[k] : "malformed";
}

static PyObject *fields_tuple(const struct pgt_field *f, size_t n)
{
	PyObject *t = PyTuple_New((Py_ssize_t)n);
	for (size_t i = 0; t && i < n; i++) {
		PyObject *r = record(types.Field, 3, PyUnicode_FromString(f[i].name),
				     py_u64(f[i].value), py_str_or_none(f[i].meaning));
		if (!r) {
			Py_CLEAR(t);
			break;
		}
		PyTuple_SET_ITEM(t, (Py_ssize_t)i, r);
	}
	return t;
}

static PyObject *step_record(const struct pgt_table *t, const struct pgt_walk_step *s)
{
	struct pgt_field f[PGT_MAX_FIELDS];
	size_t n = pgt_table_fields(t, s->depth, s->e.raw, f, PGT_MAX_FIELDS);
	bool leaf = s->e.kind == PGT_LEAF;
	bool points = leaf || s->e.kind == PGT_TABLE;
	return record(types.Step, 13, PyLong_FromUnsignedLong(s->depth),
		      PyLong_FromUnsignedLong(s->label), PyLong_FromUnsignedLong(s->index),
		      py_u64(s->table_pa), py_u64(s->desc_pa), py_u64(s->e.raw),
		      PyUnicode_FromString(kind_name(s->e.kind)),
		      points ? py_u64(s->e.pa) : Py_NewRef(Py_None),
		      leaf ? py_u64(s->e.size) : Py_NewRef(Py_None),
		      leaf ? py_prot(s->e.prot) : Py_NewRef(Py_None),
		      leaf ? PyLong_FromUnsignedLong(s->e.count) : Py_NewRef(Py_None),
		      py_str_or_none(s->e.kind == PGT_BAD ? s->e.why : NULL), fields_tuple(f, n));
}

static PyObject *translation_record(const struct pgt_table *t, const struct pgt_walk *w,
				    bool ok)
{
	unsigned n = pgt_walk_steps(w);
	const struct pgt_walk_step *last = n ? pgt_walk_at(w, n - 1) : NULL;
	PyObject *steps = PyTuple_New(n);
	for (unsigned i = 0; steps && i < n; i++) {
		PyObject *s = step_record(t, pgt_walk_at(w, i));
		if (!s) {
			Py_CLEAR(steps);
			break;
		}
		PyTuple_SET_ITEM(steps, i, s);
	}
	return record(types.Translation, 10, py_u64(pgt_walk_iova(w)),
		      ok ? py_u64(pgt_walk_pa(w)) : Py_NewRef(Py_None),
		      ok ? py_u64(last->e.size) : Py_NewRef(Py_None),
		      last ? PyLong_FromUnsignedLong(last->label) : Py_NewRef(Py_None),
		      ok ? py_prot(last->e.prot) : Py_NewRef(Py_None),
		      last ? py_u64(last->e.raw) : Py_NewRef(Py_None),
		      PyUnicode_FromString(pgt_stop_name(pgt_walk_stop(w))),
		      py_str_or_none(ok ? NULL : pgt_walk_why(w)),
		      PyLong_FromUnsignedLong(pgt_walk_root(w)), steps);
}

/* Walks of a batch of IOVAs (pgt_translate_many overlaps their memory
 * accesses). */
#define BATCH 32
struct batch {
	struct pgt_walk *w[BATCH];
	pgt_addr iova[BATCH];
};

static void batch_free(struct batch *b)
{
	for (int i = 0; i < BATCH; i++)
		pgt_walk_free(b->w[i]);
}

static int batch_new(struct batch *b)
{
	struct pgt_error *err = error_new();
	int rc = err ? 0 : -ENOMEM;
	memset(b->w, 0, sizeof(b->w));
	for (int i = 0; i < BATCH && !rc; i++)
		if ((rc = pgt_walk_new(&b->w[i], err)))
			raise_pgt(err, rc, ANYWHERE);
	pgt_error_free(err);
	if (rc)
		batch_free(b);
	return rc ? -1 : 0;
}

/* Each IOVA of iovas walked: a list of Translations. */
static PyObject *translate_list(TableObject *self, PyObject *iovas)
{
	PyObject *fast = PySequence_Fast(iovas, "translate_many takes IOVAs");
	struct batch *b = fast ? PyMem_Malloc(sizeof(*b)) : NULL;
	if (!b || batch_new(b)) {
		if (fast && !b)
			PyErr_NoMemory();
		PyMem_Free(b);
		Py_XDECREF(fast);
		return NULL;
	}
	Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
	PyObject *list = PyList_New(n);
	struct unlocked u;
	for (Py_ssize_t at = 0; list && at < n; at += BATCH) {
		size_t k = (size_t)(n - at < BATCH ? n - at : BATCH);
		for (size_t i = 0; list && i < k; i++)
			if (!conv_u64(PySequence_Fast_GET_ITEM(fast, at + (Py_ssize_t)i), &b->iova[i]))
				Py_CLEAR(list);
		if (!list || memory_lock(&u, self->memory, NULL)) {
			Py_CLEAR(list);
			break;
		}
		NOGIL(&u, pgt_translate_many(self->t, b->iova, k, b->w));
		for (size_t i = 0; i < k && !memory_reraise(self->memory); i++) {
			bool ok = pgt_walk_stop(b->w[i]) == PGT_STOP_LEAF;
			PyObject *r = translation_record(self->t, b->w[i], ok);
			if (!r)
				break;
			PyList_SET_ITEM(list, at + (Py_ssize_t)i, r);
		}
		memory_unlock(&u);
		if (PyErr_Occurred())
			Py_CLEAR(list);
	}
	batch_free(b);
	PyMem_Free(b);
	Py_DECREF(fast);
	return list;
}

static PyObject *table_translate(TableObject *self, PyObject *iova)
{
	PyObject *one = PyTuple_Pack(1, iova);
	PyObject *list = one ? translate_list(self, one) : NULL;
	PyObject *r = list ? Py_NewRef(PyList_GET_ITEM(list, 0)) : NULL;
	Py_XDECREF(list);
	Py_XDECREF(one);
	return r;
}

static PyObject *table_iova_to_phys(TableObject *self, PyObject *arg)
{
	uint64_t iova;
	pgt_addr pa;
	struct unlocked u;
	if (!conv_u64(arg, &iova) || memory_lock(&u, self->memory, NULL))
		return NULL;
	NOGIL(&u, pa = pgt_iova_to_phys(self->t, iova));
	memory_unlock(&u);
	return memory_reraise(self->memory) ? NULL : py_u64(pa);
}

static PyObject *table_fields(TableObject *self, PyObject *args)
{
	unsigned depth;
	uint64_t raw;
	struct pgt_field f[PGT_MAX_FIELDS];
	if (!PyArg_ParseTuple(args, "IO&:fields", &depth, conv_u64, &raw))
		return NULL;
	struct unlocked u;
	if (memory_lock(&u, self->memory, NULL))
		return NULL;
	PyObject *r = NULL;
	if (depth >= pgt_geometry_levels(pgt_table_geometry(self->t)))
		PyErr_Format(types.InvalidError, "the table has %u levels (depth %u)",
			     pgt_geometry_levels(pgt_table_geometry(self->t)), depth);
	else
		r = fields_tuple(f, pgt_table_fields(self->t, depth, raw, f, PGT_MAX_FIELDS));
	memory_unlock(&u);
	return r;
}

/* --- Edits --------------------------------------------------------------------- */

/* The result of an edit: None, or its exception. */
static PyObject *edited(TableObject *self, int rc, struct pgt_error *err)
{
	if (memory_reraise(self->memory) || (rc && !raise_pgt(err, rc, ANYWHERE)))
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *table_map(TableObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"iova", "pa", "size", "prot", "pgsize", "replace", NULL};
	uint64_t iova, pa, size, pgsize = 0;
	unsigned prot = PGT_READ | PGT_WRITE;
	int replace = 0;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&O&O&|O&$O&p:map", kwlist, conv_u64, &iova,
					 conv_u64, &pa, conv_u64, &size, conv_prot, &prot, conv_u64,
					 &pgsize, &replace))
		return NULL;
	struct pgt_error *err = error_new();
	struct unlocked u;
	if (!err || memory_lock(&u, self->memory, NULL)) {
		pgt_error_free(err);
		return NULL;
	}
	int rc;
	NOGIL(&u, rc = pgt_map(self->t, iova, pa, size, prot, pgsize, replace ? PGT_MAP_REPLACE : 0,
			       err));
	memory_unlock(&u);
	PyObject *r = edited(self, rc, err);
	pgt_error_free(err);
	return r;
}

static PyObject *table_unmap(TableObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"iova", "size", "split", NULL};
	uint64_t iova, size, unmapped = 0;
	int split = 0;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&O&|$p:unmap", kwlist, conv_u64, &iova,
					 conv_u64, &size, &split))
		return NULL;
	struct pgt_error *err = error_new();
	struct unlocked u;
	if (!err || memory_lock(&u, self->memory, NULL)) {
		pgt_error_free(err);
		return NULL;
	}
	int rc;
	NOGIL(&u, rc = pgt_unmap(self->t, iova, size, split ? PGT_SPLIT_612 : PGT_SPLIT_REFUSE,
				 &unmapped, err));
	memory_unlock(&u);
	PyObject *r = edited(self, rc, err);
	pgt_error_free(err);
	if (!r)
		return NULL;
	Py_DECREF(r);
	return py_u64(unmapped);
}

static PyObject *table_save(TableObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"path", "raw", NULL};
	PyObject *path;
	int raw = 0;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|$p:save", kwlist, PyUnicode_FSConverter,
					 &path, &raw))
		return NULL;
	struct pgt_error *err = error_new();
	struct unlocked u;
	PyObject *r = NULL;
	if (err && !memory_lock(&u, self->memory, NULL)) {
		const char *name = PyBytes_AS_STRING(path);
		int rc;
		NOGIL(&u, rc = pgt_image_write(self->t, name, raw ? PGT_IMAGE_RAW : 0, err));
		memory_unlock(&u);
		if (!memory_reraise(self->memory) && !(rc && !raise_pgt(err, rc, IN_FILE(name))))
			r = Py_NewRef(Py_None);
	}
	pgt_error_free(err);
	Py_DECREF(path);
	return r;
}

static int emit_spec(struct pgt_table *t, const char *comment, char **buf, size_t *len,
		     struct pgt_error *err)
{
	FILE *f = open_memstream(buf, len);
	if (!f)
		return pgt_fail(err, -ENOMEM, "out of memory");
	int rc = pgt_spec_emit(t, comment, f, err);
	fclose(f);
	return rc;
}

/* The YAML spec that rebuilds the table (pgtctl dump --output yaml). */
static PyObject *table_spec_text(TableObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"comment", NULL};
	const char *comment = NULL;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "|$z:spec_text", kwlist, &comment))
		return NULL;
	struct pgt_error *err = error_new();
	struct unlocked u;
	char *buf = NULL;
	size_t len = 0;
	PyObject *r = NULL;
	if (err && !memory_lock(&u, self->memory, NULL)) {
		int rc;
		NOGIL(&u, rc = emit_spec(self->t, comment, &buf, &len, err));
		memory_unlock(&u);
		if (!memory_reraise(self->memory) && !(rc && !raise_pgt(err, rc, ANYWHERE)))
			r = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)len, "strict");
	}
	free(buf);
	pgt_error_free(err);
	return r;
}

/* --- The type -------------------------------------------------------------------- */

static PyObject *table_repr(TableObject *self)
{
	struct unlocked u;
	pgt_addr roots[PGT_MAX_ROOTS];
	char hex[PGT_MAX_ROOTS * 20] = "";
	if (memory_lock(&u, self->memory, NULL))
		return NULL;
	unsigned n = pgt_table_roots(self->t, roots, PGT_MAX_ROOTS);
	memory_unlock(&u);
	for (unsigned i = 0, len = 0; i < n; i++)
		len += (unsigned)snprintf(hex + len, sizeof(hex) - len, "%s0x%llx", i ? "," : "",
					  (unsigned long long)roots[i]);
	return PyUnicode_FromFormat("<pgt.Table %s root %s of %R>",
				    pgt_format_name(pgt_table_format(self->t)), hex, self->name);
}

static int table_traverse(TableObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->memory);
	Py_VISIT(self->device);
	return 0;
}

static int table_clear(TableObject *self)
{
	Py_CLEAR(self->device);
	return 0;
}

static void table_dealloc(TableObject *self)
{
	PyObject_GC_UnTrack(self);
	if (self->weakrefs)
		PyObject_ClearWeakRefs((PyObject *)self);
	/* the table before the memory it reads */
	pgt_table_destroy(self->t);
	Py_XDECREF(self->memory);
	Py_XDECREF(self->name);
	Py_XDECREF(self->device);
	PyObject_GC_Del(self);
}

static PyMethodDef table_methods[] = {
	{"attach", (PyCFunction)(void (*)(void))table_attach, METH_VARARGS | METH_KEYWORDS | METH_CLASS,
	 "attach(format, memory, roots, kernel=None, **config): the table of a format at its "
	 "root(s) in memory; config: ias, oas, pgsize_bitmap, quirks, coherent_walk, "
	 "cpu_page_size, and the format's own options (mode=)"},
	{"image", (PyCFunction)(void (*)(void))table_image, METH_VARARGS | METH_KEYWORDS | METH_CLASS,
	 "image(path, kernel=None, *, editable=False): the table of an IMAGE file"},
	{"spec", (PyCFunction)(void (*)(void))table_spec, METH_VARARGS | METH_KEYWORDS | METH_CLASS,
	 "spec(path=None, *, text=None, kernel=None): the table a YAML spec builds, in memory"},
	{"new", (PyCFunction)(void (*)(void))table_new, METH_VARARGS | METH_KEYWORDS | METH_CLASS,
	 "new(format, base=0x80000000, kernel=None, **config): an empty table in new memory"},
	{"translate", (PyCFunction)table_translate, METH_O,
	 "translate(iova) -> Translation: the walk, every level's descriptor"},
	{"translate_many", (PyCFunction)translate_list, METH_O,
	 "translate_many(iovas) -> [Translation]"},
	{"iova_to_phys", (PyCFunction)table_iova_to_phys, METH_O,
	 "iova_to_phys(iova) -> int: the kernel's iova_to_phys (0 when not mapped)"},
	{"fields", (PyCFunction)table_fields, METH_VARARGS,
	 "fields(depth, desc) -> (Field...): a descriptor found at depth, decoded"},
	{"mappings", (PyCFunction)(void (*)(void))table_mappings, METH_VARARGS | METH_KEYWORDS,
	 "mappings(lo=None, hi=None, *, by_pgsize=True) -> iterator of Mapping (pgtctl dump); "
	 "its problems attribute lists the Problems met"},
	{"leaves", (PyCFunction)(void (*)(void))table_leaves, METH_VARARGS | METH_KEYWORDS,
	 "leaves(lo=None, hi=None) -> iterator of Leaf (pgtctl dump --leaves)"},
	{"walk", (PyCFunction)(void (*)(void))table_walk, METH_VARARGS | METH_KEYWORDS,
	 "walk(lo=None, hi=None, *, check=False) -> iterator of TableVisit, Leaf and Problem in "
	 "IOVA order, tables before their contents (pgtctl dump --tree)"},
	{"check", (PyCFunction)table_check, METH_NOARGS,
	 "check() -> [Problem]: malformed descriptors, loops, bad pointers (pgtctl check)"},
	{"whereis", (PyCFunction)(void (*)(void))table_whereis, METH_VARARGS | METH_KEYWORDS,
	 "whereis(pa, size=1) -> [Mapping]: the IOVA ranges that map [pa, pa+size)"},
	{"diff", (PyCFunction)(void (*)(void))table_diff, METH_VARARGS | METH_KEYWORDS,
	 "diff(other, *, pgsize=False) -> ([Difference], [(side, Problem)]) (pgtctl diff)"},
	{"diff_descriptors", (PyCFunction)table_diff_descriptors, METH_VARARGS,
	 "diff_descriptors(other) -> ([Value], [DescriptorDifference] or None) "
	 "(pgtctl diff --descriptors)"},
	{"map", (PyCFunction)(void (*)(void))table_map, METH_VARARGS | METH_KEYWORDS,
	 "map(iova, pa, size, prot='rw', *, pgsize=0, replace=False): as iommu_map()"},
	{"unmap", (PyCFunction)(void (*)(void))table_unmap, METH_VARARGS | METH_KEYWORDS,
	 "unmap(iova, size, *, split=False) -> bytes unmapped: as iommu_unmap()"},
	{"save", (PyCFunction)(void (*)(void))table_save, METH_VARARGS | METH_KEYWORDS,
	 "save(path, *, raw=False): write an IMAGE (or raw memory), atomically"},
	{"spec_text", (PyCFunction)(void (*)(void))table_spec_text, METH_VARARGS | METH_KEYWORDS,
	 "spec_text(*, comment=None) -> str: a YAML spec that rebuilds the table"},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef table_getset[] = {
	{"format", (getter)get_format, NULL, "the format's name", NULL},
	{"kernel", (getter)get_kernel, NULL, "whose behaviour and bits: \"6.12\", \"7.3\"", NULL},
	{"config", (getter)get_config, NULL, "the configuration, as the format narrowed it", NULL},
	{"roots", (getter)get_roots, NULL, "the root tables' addresses", NULL},
	{"levels", (getter)get_levels, NULL, "the layout: a Level per depth", NULL},
	{"desc_bytes", (getter)get_desc_bytes, NULL, "bytes of a descriptor", NULL},
	{"iova_min", (getter)get_iova_min, NULL, "the lowest IOVA it translates", NULL},
	{"iova_max", (getter)get_iova_max, NULL, "the highest IOVA it translates", NULL},
	{"iova_spans", (getter)get_iova_spans, NULL, "the (lo, hi) IOVA ranges it translates", NULL},
	{"registers", (getter)get_registers, NULL, "the output registers, as the kernel computes them",
	 NULL},
	{"memory", (getter)get_memory, NULL, "the Memory it is read from", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef table_members[] = {
	{"name", T_OBJECT, offsetof(TableObject, name), READONLY, "where it came from"},
	{"device", T_OBJECT, offsetof(TableObject, device), READONLY,
	 "the Device whose table it is, or None"},
	{NULL, 0, 0, 0, NULL},
};

PyTypeObject Table_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "pgt.Table",
	.tp_basicsize = sizeof(TableObject),
	.tp_weaklistoffset = offsetof(TableObject, weakrefs),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "A page table in memory: Table.image, Table.spec, Table.attach, Table.new, "
		  "pgt.open, or an IOMMU's device. It keeps its Memory alive.",
	.tp_dealloc = (destructor)table_dealloc,
	.tp_traverse = (traverseproc)table_traverse,
	.tp_clear = (inquiry)table_clear,
	.tp_repr = (reprfunc)table_repr,
	.tp_methods = table_methods,
	.tp_getset = table_getset,
	.tp_members = table_members,
};

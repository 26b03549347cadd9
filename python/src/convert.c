// SPDX-License-Identifier: MIT
/* Python values into libpgt's (as pgtctl's options take them) and back. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "pgtmodule.h"

/* s parsed by a libpgt parser; a refusal raised as InvalidError. */
static int parsed(int (*parse)(const char *, uint64_t *, struct pgt_error *), PyObject *o,
		  uint64_t *out)
{
	const char *s = PyUnicode_AsUTF8(o);
	struct pgt_error *err = s ? error_new() : NULL;
	if (!err)
		return 0;
	int rc = parse(s, out, err);
	if (rc)
		raise_pgt(err, rc, ANYWHERE);
	pgt_error_free(err);
	return !rc;
}

int conv_u64(PyObject *o, void *out)
{
	if (PyUnicode_Check(o))
		return parsed(pgt_parse_u64, o, out);
	if (!PyLong_Check(o)) {
		PyErr_Format(PyExc_TypeError, "an address or size is an int or a string, not %s",
			     Py_TYPE(o)->tp_name);
		return 0;
	}
	unsigned long long v = PyLong_AsUnsignedLongLong(o);
	if (v == (unsigned long long)-1 && PyErr_Occurred())
		return 0;
	*(uint64_t *)out = v;
	return 1;
}

/* Words or letters, comma-separated, from a string or an iterable of them. */
static PyObject *joined(PyObject *o)
{
	if (PyUnicode_Check(o))
		return Py_NewRef(o);
	PyObject *sep = PyUnicode_FromString(",");
	PyObject *s = sep ? PyUnicode_Join(sep, o) : NULL;
	Py_XDECREF(sep);
	return s;
}

static int parse_prot(const char *s, uint64_t *out, struct pgt_error *err)
{
	unsigned prot;
	int rc = pgt_parse_prot(s, &prot, err);
	*out = prot;
	return rc;
}

int conv_prot(PyObject *o, void *out)
{
	uint64_t v;
	if (PyLong_Check(o)) {
		if (!conv_u64(o, &v))
			return 0;
		if (v & ~(uint64_t)PGT_PROT_ALL) {
			raise_text(types.InvalidError, "prot 0x%llx has bits no IOMMU_* flag has",
				     (unsigned long long)v);
			return 0;
		}
	} else {
		PyObject *s = joined(o);
		int ok = s && parsed(parse_prot, s, &v);
		Py_XDECREF(s);
		if (!ok)
			return 0;
	}
	*(unsigned *)out = (unsigned)v;
	return 1;
}

int conv_kernel(PyObject *o, void *out)
{
	enum pgt_kernel *k = out;
	if (o == Py_None) {
		*k = PGT_KERNEL_DEFAULT;
		return 1;
	}
	const char *name = PyUnicode_Check(o) ? PyUnicode_AsUTF8(o) : NULL;
	if (!name) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_TypeError, "a kernel is a string: \"6.12\", \"7.3\"");
		return 0;
	}
	*k = pgt_kernel_find(name);
	if (*k == PGT_KERNEL_DEFAULT && strcmp(name, "default")) {
		char list[64];
		PyErr_Format(types.InvalidError, "unknown kernel '%s' (%s)", name,
			     pgt_kernel_list(NULL, list, sizeof(list)));
		return 0;
	}
	return 1;
}

int conv_format(PyObject *o, void *out)
{
	PyObject *name = PyUnicode_Check(o) ? Py_NewRef(o) : PyObject_GetAttrString(o, "name");
	const char *s = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
	const struct pgt_format *fmt = s ? pgt_format_find(s) : NULL;
	if (!fmt && s)
		PyErr_Format(types.InvalidError, "unknown format '%s' (pgt.formats() lists them)", s);
	else if (!fmt && !PyErr_Occurred())
		PyErr_SetString(PyExc_TypeError, "a format is a name or a pgt.Format");
	Py_XDECREF(name);
	*(const struct pgt_format **)out = fmt;
	return fmt != NULL;
}

PyObject *py_u64(uint64_t v)
{
	return PyLong_FromUnsignedLongLong(v);
}

PyObject *py_prot(unsigned prot)
{
	return Py_NewRef(types.prot[prot & PGT_PROT_ALL]);
}

PyObject *py_str_or_none(const char *s)
{
	return s ? PyUnicode_FromString(s) : Py_NewRef(Py_None);
}

PyObject *record(PyObject *cls, Py_ssize_t n, ...)
{
	va_list ap;
	PyObject *args = PyTuple_New(n);
	bool failed = !args;
	va_start(ap, n);
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *v = va_arg(ap, PyObject *);
		failed |= !v;
		if (args && v)
			PyTuple_SET_ITEM(args, i, v);
		else
			Py_XDECREF(v);
	}
	va_end(ap);
	PyObject *r = failed ? NULL : PyObject_Call(cls, args, NULL);
	Py_XDECREF(args);
	return r;
}

/* --- Configuration ------------------------------------------------------- */

static int parse_quirks(const char *s, uint64_t *out, struct pgt_error *err)
{
	return pgt_parse_quirks(s, out, err);
}

/* A quirks value: bits, or names as a string or a list. */
static int conv_quirks(PyObject *o, uint64_t *out)
{
	if (PyLong_Check(o))
		return conv_u64(o, out);
	PyObject *s = joined(o);
	int ok = s && parsed(parse_quirks, s, out);
	Py_XDECREF(s);
	return ok;
}

/* Page sizes: a bitmap, "4K,2M", or a list of sizes. */
static int conv_pgsizes(PyObject *o, uint64_t *out)
{
	if (PyLong_Check(o))
		return conv_u64(o, out);
	if (PyUnicode_Check(o))
		return parsed(pgt_parse_pgsizes, o, out);
	PyObject *it = PyObject_GetIter(o), *x;
	uint64_t bitmap = 0, size;
	if (!it)
		return 0;
	while ((x = PyIter_Next(it))) {
		int ok = conv_u64(x, &size);
		Py_DECREF(x);
		if (ok && (!size || (size & (size - 1)))) {
			raise_text(types.InvalidError, "page size 0x%llx is not a power of two",
				     (unsigned long long)size);
			ok = 0;
		}
		if (!ok) {
			Py_DECREF(it);
			return 0;
		}
		bitmap |= size;
	}
	Py_DECREF(it);
	if (PyErr_Occurred())
		return 0;
	*out = bitmap;
	return 1;
}

static int conv_num(PyObject *o, uint64_t *out)
{
	return conv_u64(o, out);
}

static int conv_bool(PyObject *o, uint64_t *out)
{
	int v = PyObject_IsTrue(o);
	*out = v > 0;
	return v >= 0;
}

static const struct {
	const char *name;
	enum pgt_cfg_key key;
	int (*conv)(PyObject *, uint64_t *);
} cfg_keys[] = {
	{"ias", PGT_CFG_IAS, conv_num},
	{"oas", PGT_CFG_OAS, conv_num},
	{"pgsize_bitmap", PGT_CFG_PGSIZE_BITMAP, conv_pgsizes},
	{"quirks", PGT_CFG_QUIRKS, conv_quirks},
	{"coherent_walk", PGT_CFG_COHERENT_WALK, conv_bool},
	{"cpu_page_size", PGT_CFG_CPU_PAGE_SIZE, conv_num},
};
#define N_CFG_KEYS (sizeof(cfg_keys) / sizeof(cfg_keys[0]))

static bool is_cfg_key(const char *name)
{
	for (size_t i = 0; i < N_CFG_KEYS; i++)
		if (!strcmp(name, cfg_keys[i].name))
			return true;
	return !strcmp(name, "kernel");
}

bool cfg_dict_fixes_levels(PyObject *config)
{
	/* every format whose level count is a choice has that option alone */
	PyObject *key, *o;
	Py_ssize_t pos = 0;
	while (config && PyDict_Next(config, &pos, &key, &o)) {
		const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
		if (o != Py_None && name && (!strcmp(name, "ias") || !is_cfg_key(name)))
			return true;
	}
	return false;
}

/* The values config gives, in a fixed order: io_pgtable_cfg's, then the
 * format's own options. */
static int cfg_apply(const struct pgt_format *fmt, struct pgt_cfg *cfg, PyObject *config,
		     struct pgt_error *err)
{
	uint64_t v;
	for (size_t i = 0; i < N_CFG_KEYS; i++) {
		PyObject *o = PyDict_GetItemString(config, cfg_keys[i].name);
		if (!o || o == Py_None)
			continue;
		if (!cfg_keys[i].conv(o, &v))
			return -1;
		int rc = pgt_cfg_set(cfg, cfg_keys[i].key, v, err);
		if (rc) {
			pgt_error_prefix(err, "%s", cfg_keys[i].name);
			raise_pgt(err, rc, ANYWHERE);
			return -1;
		}
	}
	PyObject *key, *o;
	Py_ssize_t pos = 0;
	while (PyDict_Next(config, &pos, &key, &o)) {
		const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
		if (!name) {
			PyErr_SetString(PyExc_TypeError, "configuration keys are strings");
			return -1;
		}
		if (o == Py_None || is_cfg_key(name))
			continue;
		if (!conv_u64(o, &v))
			return -1;
		int rc = pgt_cfg_set_option(fmt, cfg, name, v, err);
		if (rc) {
			raise_pgt(err, rc, ANYWHERE);
			return -1;
		}
	}
	return 0;
}

int cfg_from_dict(const struct pgt_format *fmt, enum pgt_kernel kernel, PyObject *config,
		  struct pgt_cfg **out)
{
	PyObject *k = config ? PyDict_GetItemString(config, "kernel") : NULL;
	if (k && k != Py_None && !conv_kernel(k, &kernel))
		return -1;
	struct pgt_error *err = error_new();
	if (!err)
		return -1;
	struct pgt_cfg *cfg = NULL;
	int rc = pgt_format_default_cfg(fmt, kernel, &cfg, err);
	if (rc)
		raise_pgt(err, rc, ANYWHERE);
	else if (config && cfg_apply(fmt, cfg, config, err))
		rc = -1;
	pgt_error_free(err);
	if (rc) {
		pgt_cfg_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

static int dict_set(PyObject *d, const char *key, PyObject *v)
{
	int rc = v ? PyDict_SetItemString(d, key, v) : -1;
	Py_XDECREF(v);
	return rc;
}

PyObject *cfg_to_dict(const struct pgt_format *fmt, const struct pgt_cfg *cfg)
{
	PyObject *d = PyDict_New();
	int rc = d ? 0 : -1;
	for (size_t i = 0; i < N_CFG_KEYS && !rc; i++) {
		uint64_t v = pgt_cfg_get(cfg, cfg_keys[i].key);
		rc = dict_set(d, cfg_keys[i].name,
			      cfg_keys[i].key == PGT_CFG_COHERENT_WALK ? PyBool_FromLong(v != 0)
								       : py_u64(v));
	}
	if (!rc)
		rc = dict_set(d, "kernel",
			      PyUnicode_FromString(pgt_kernel_name(pgt_cfg_get(cfg, PGT_CFG_KERNEL))));
	for (unsigned i = 0; fmt && i < pgt_format_n_options(fmt) && !rc; i++)
		rc = dict_set(d, pgt_format_option(fmt, i)->name, py_u64(pgt_cfg_option(cfg, i)));
	if (rc) {
		Py_XDECREF(d);
		return NULL;
	}
	return d;
}

/* --- Formats --------------------------------------------------------------- */

static PyObject *format_options(const struct pgt_format *fmt)
{
	unsigned n = pgt_format_n_options(fmt);
	PyObject *t = PyTuple_New(n);
	for (unsigned i = 0; t && i < n; i++) {
		const struct pgt_format_option *o = pgt_format_option(fmt, i);
		PyObject *r = record(types.FormatOption, 6, PyUnicode_FromString(o->name),
				     PyUnicode_FromString(o->summary), PyLong_FromUnsignedLong(o->min),
				     PyLong_FromUnsignedLong(o->max), PyLong_FromUnsignedLong(o->dflt),
				     PyBool_FromLong(o->needed_to_read));
		if (!r) {
			Py_CLEAR(t);
			break;
		}
		PyTuple_SET_ITEM(t, i, r);
	}
	return t;
}

PyObject *format_record(const struct pgt_format *fmt)
{
	PyObject *kernels = PyList_New(0), *max_ias = PyDict_New();
	int rc = kernels && max_ias ? 0 : -1;
	for (enum pgt_kernel k = PGT_KERNEL_DEFAULT + 1; k < PGT_KERNEL_END && !rc; k++) {
		if (!pgt_format_has_kernel(fmt, k))
			continue;
		PyObject *name = PyUnicode_FromString(pgt_kernel_name(k));
		PyObject *ias = PyLong_FromUnsignedLong(pgt_format_max_ias(fmt, k));
		rc = name && ias ? PyList_Append(kernels, name) : -1;
		if (!rc)
			rc = PyDict_SetItem(max_ias, name, ias);
		Py_XDECREF(name);
		Py_XDECREF(ias);
	}
	PyObject *kernel_names = rc ? NULL : PyList_AsTuple(kernels);
	Py_XDECREF(kernels);
	if (!kernel_names) {
		Py_XDECREF(max_ias);
		return NULL;
	}
	return record(types.Format, 10, PyUnicode_FromString(pgt_format_name(fmt)),
		      PyUnicode_FromString(pgt_format_kernel_name(fmt)),
		      PyUnicode_FromString(pgt_format_summary(fmt)), py_u64(pgt_format_pgsizes(fmt)),
		      kernel_names,
		      PyUnicode_FromString(pgt_kernel_name(pgt_format_default_kernel(fmt))), max_ias,
		      PyLong_FromUnsignedLong(pgt_format_max_oas(fmt)),
		      PyLong_FromUnsignedLong(pgt_format_stage(fmt)), format_options(fmt));
}

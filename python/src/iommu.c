// SPDX-License-Identifier: MIT
/*
 * pgt.Iommu: an IOMMU's own structures in memory (AMD-Vi device table,
 * VT-d root/context/PASID tables, SMMUv3 stream table and context
 * descriptors, RISC-V device directory), read from its root register: the
 * devices they know, as pgtctl devices lists them, and each device's table.
 */
#include <errno.h>
#include <stdio.h>

#include "pgtmodule.h"
#include <structmember.h>

typedef struct {
	PyObject_HEAD
	struct pgt_iommu *io;
	MemoryObject *memory;
} IommuObject;

static PyObject *fields_of(const struct pgt_iommu_entry *e)
{
	unsigned n = pgt_iommu_entry_n_fields(e);
	PyObject *t = PyTuple_New(n);
	for (unsigned i = 0; t && i < n; i++) {
		const struct pgt_field *f = pgt_iommu_entry_field(e, i);
		PyObject *r = record(types.Field, 3, PyUnicode_FromString(f->name), py_u64(f->value),
				     py_str_or_none(f->meaning));
		if (!r) {
			Py_CLEAR(t);
			break;
		}
		PyTuple_SET_ITEM(t, i, r);
	}
	return t;
}

static PyObject *entry_record(const struct pgt_iommu_entry *e)
{
	unsigned n = pgt_iommu_entry_n_words(e);
	PyObject *words = PyTuple_New(n);
	for (unsigned i = 0; words && i < n; i++) {
		PyObject *w = py_u64(pgt_iommu_entry_word(e, i));
		if (!w) {
			Py_CLEAR(words);
			break;
		}
		PyTuple_SET_ITEM(words, i, w);
	}
	return record(types.IommuEntry, 5, PyUnicode_FromString(pgt_iommu_entry_name(e)),
		      py_u64(pgt_iommu_entry_index(e)), py_u64(pgt_iommu_entry_pa(e)), words,
		      fields_of(e));
}

static PyObject *problem_of(const struct pgt_iommu_problem *p)
{
	return record(types.IommuProblem, 5,
		      PyUnicode_FromString(pgt_stop_name(pgt_iommu_problem_kind(p))),
		      PyUnicode_FromString(pgt_iommu_problem_what(p)), py_u64(pgt_iommu_problem_pa(p)),
		      py_u64(pgt_iommu_problem_raw(p)), PyUnicode_FromString(pgt_iommu_problem_why(p)));
}

static PyObject *table_of(const struct pgt_iommu_table *it)
{
	if (!it)
		return Py_NewRef(Py_None);
	unsigned n = pgt_iommu_table_n_roots(it);
	PyObject *roots = PyTuple_New(n);
	for (unsigned i = 0; roots && i < n; i++) {
		PyObject *r = py_u64(pgt_iommu_table_root(it, i));
		if (!r) {
			Py_CLEAR(roots);
			break;
		}
		PyTuple_SET_ITEM(roots, i, r);
	}
	const char *format = pgt_iommu_table_format(it);
	return record(types.IommuTable, 3, PyUnicode_FromString(format), roots,
		      cfg_to_dict(pgt_format_find(format), pgt_iommu_table_cfg(it)));
}

static PyObject *chain_of(const struct pgt_iommu_device *d)
{
	unsigned n = pgt_iommu_device_n_chain(d);
	PyObject *t = PyTuple_New(n);
	for (unsigned i = 0; t && i < n; i++) {
		PyObject *x = entry_record(pgt_iommu_device_chain(d, i));
		if (!x) {
			Py_CLEAR(t);
			break;
		}
		PyTuple_SET_ITEM(t, i, x);
	}
	return t;
}

static PyObject *device_problems(const struct pgt_iommu_device *d)
{
	unsigned n = pgt_iommu_device_n_problems(d);
	PyObject *t = PyTuple_New(n);
	for (unsigned i = 0; t && i < n; i++) {
		PyObject *x = problem_of(pgt_iommu_device_problem(d, i));
		if (!x) {
			Py_CLEAR(t);
			break;
		}
		PyTuple_SET_ITEM(t, i, x);
	}
	return t;
}

static PyObject *device_record(IommuObject *self, const struct pgt_iommu_device *d)
{
	const struct pgt_devid *id = pgt_iommu_device_id(d);
	char name[48];
	uint32_t domain;
	const char *domain_name = NULL;
	bool has_domain = pgt_iommu_device_domain(d, &domain, &domain_name);
	pgt_devid_str(pgt_iommu_kind_of(self->io), id, name, sizeof(name));
	return record(types.Device, 14, PyUnicode_FromString(name), PyLong_FromUnsignedLong(id->seg),
		      PyLong_FromUnsignedLong(id->id),
		      id->has_pasid ? PyLong_FromUnsignedLong(id->pasid) : Py_NewRef(Py_None),
		      PyUnicode_FromString(pgt_dev_mode_name(pgt_iommu_device_mode(d))),
		      has_domain ? PyLong_FromUnsignedLong(domain) : Py_NewRef(Py_None),
		      py_str_or_none(has_domain ? domain_name : NULL),
		      py_str_or_none(pgt_iommu_device_note(d)), table_of(pgt_iommu_device_table(d)),
		      table_of(pgt_iommu_device_stage2(d)), chain_of(d), device_problems(d),
		      Py_NewRef(types.prot[pgt_iommu_device_untranslated(d) & PGT_PROT_ALL]),
		      Py_NewRef(self));
}

/* --- Opening -------------------------------------------------------------------- */

/* The register as pgt_iommu_open takes it: a string as it is, a number,
 * or numbers (SMMUv3's two) joined with commas. */
static PyObject *register_text(PyObject *o)
{
	if (PyUnicode_Check(o))
		return Py_NewRef(o);
	PyObject *list = PyLong_Check(o) ? Py_BuildValue("[O]", o) : PySequence_List(o);
	if (!list)
		return NULL;
	char buf[128] = "";
	size_t len = 0;
	int ok = PyList_GET_SIZE(list) > 0 && PyList_GET_SIZE(list) <= 4;
	if (!ok)
		PyErr_SetString(types.InvalidError, "a register is one to four values");
	for (Py_ssize_t i = 0; ok && i < PyList_GET_SIZE(list); i++) {
		uint64_t v;
		ok = conv_u64(PyList_GET_ITEM(list, i), &v);
		if (ok)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s0x%llx",
						i ? "," : "", (unsigned long long)v);
	}
	Py_DECREF(list);
	return ok ? PyUnicode_FromString(buf) : NULL;
}

static PyObject *iommu_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"kind", "register", "memory", NULL};
	const char *kind_name;
	PyObject *reg_o, *memory;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "sOO!:Iommu", kwlist, &kind_name, &reg_o,
					 &Memory_Type, &memory))
		return NULL;
	const struct pgt_iommu_kind *k = pgt_iommu_kind_find(kind_name);
	if (!k) {
		PyErr_Format(types.InvalidError, "unknown IOMMU '%s' (pgt.iommu_kinds() lists them)",
			     kind_name);
		return NULL;
	}
	PyObject *reg = register_text(reg_o);
	const char *text = reg ? PyUnicode_AsUTF8(reg) : NULL;
	struct pgt_error *err = text ? error_new() : NULL;
	IommuObject *self = err ? (IommuObject *)type->tp_alloc(type, 0) : NULL;
	if (self) {
		MemoryObject *m = (MemoryObject *)memory;
		struct unlocked u;
		int rc = 0;
		self->memory = (MemoryObject *)Py_NewRef(m);
		if (memory_lock(&u, m, NULL)) {
			Py_CLEAR(self);
		} else {
			NOGIL(&u, rc = pgt_iommu_open(k, text, m->mem, &self->io, err));
			memory_unlock(&u);
			if (memory_reraise(m) || (rc && !raise_pgt(err, rc, ANYWHERE)))
				Py_CLEAR(self);
		}
	}
	pgt_error_free(err);
	Py_XDECREF(reg);
	return (PyObject *)self;
}

static void iommu_dealloc(IommuObject *self)
{
	PyObject_GC_UnTrack(self);
	pgt_iommu_close(self->io);
	Py_XDECREF(self->memory);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int iommu_traverse(IommuObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->memory);
	return 0;
}

/* --- Devices -------------------------------------------------------------------- */

struct listing {
	IommuObject *self;
	PyObject *list;
};

static int on_device(void *ctx, const struct pgt_iommu_device *d)
{
	struct listing *l = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *r = device_record(l->self, d);
	int rc = r ? PyList_Append(l->list, r) : -1;
	Py_XDECREF(r);
	PyGILState_Release(g);
	return rc ? -ECANCELED : 0;
}

static int on_problem(void *ctx, const struct pgt_iommu_problem *p)
{
	struct listing *l = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *r = problem_of(p);
	int rc = r ? PyList_Append(l->list, r) : -1;
	Py_XDECREF(r);
	PyGILState_Release(g);
	return rc ? -ECANCELED : 0;
}

static PyObject *walk(IommuObject *self, bool devices, bool all)
{
	struct listing l = {self, PyList_New(0)};
	struct pgt_iommu_visitor v = {devices ? on_device : NULL, devices ? NULL : on_problem, all,
				      &l};
	struct unlocked u;
	if (!l.list || memory_lock(&u, self->memory, NULL)) {
		Py_XDECREF(l.list);
		return NULL;
	}
	int rc;
	NOGIL(&u, rc = pgt_iommu_walk(self->io, &v));
	memory_unlock(&u);
	if (memory_reraise(self->memory) || PyErr_Occurred() ||
	    (rc && !raise_pgt(NULL, rc, ANYWHERE)))
		Py_CLEAR(l.list);
	return l.list;
}

static PyObject *iommu_devices(IommuObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"all", NULL};
	int all = 0;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "|$p:devices", kwlist, &all))
		return NULL;
	return walk(self, true, all);
}

static PyObject *iommu_problems(IommuObject *self, PyObject *unused)
{
	return walk(self, false, true);
}

/* A device: a Device's own ID, "0000:00:03.0/1" or "0x10", or a number. */
static int devid_of(PyObject *o, struct pgt_devid *id)
{
	if (PyObject_TypeCheck(o, (PyTypeObject *)types.Device)) {
		PyObject *seg = PyObject_GetAttrString(o, "seg"), *rid = PyObject_GetAttrString(o, "rid");
		PyObject *pasid = PyObject_GetAttrString(o, "pasid");
		int ok = seg && rid && pasid;
		if (ok) {
			id->seg = (uint32_t)PyLong_AsUnsignedLong(seg);
			id->id = (uint32_t)PyLong_AsUnsignedLong(rid);
			id->has_pasid = pasid != Py_None;
			id->pasid = id->has_pasid ? (uint32_t)PyLong_AsUnsignedLong(pasid) : 0;
			ok = !PyErr_Occurred();
		}
		Py_XDECREF(seg);
		Py_XDECREF(rid);
		Py_XDECREF(pasid);
		return ok ? 0 : -1;
	}
	uint64_t number;
	char hex[24];
	PyObject *s = NULL;
	if (!PyLong_Check(o))
		s = Py_NewRef(o);
	else if (conv_u64(o, &number) && snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)number))
		s = PyUnicode_FromString(hex);
	const char *text = s && !PyErr_Occurred() && PyUnicode_Check(s) ? PyUnicode_AsUTF8(s) : NULL;
	if (s && !text && !PyErr_Occurred())
		PyErr_SetString(PyExc_TypeError, "a device is a Device, an ID string or a number");
	struct pgt_error *err = text ? error_new() : NULL;
	int rc = err ? pgt_devid_parse(text, id, err) : -1;
	if (rc && err)
		raise_pgt(err, rc, ANYWHERE);
	pgt_error_free(err);
	Py_XDECREF(s);
	return rc ? -1 : 0;
}

/* The device's entry, found again in the structures: *out to free. */
static int find(IommuObject *self, PyObject *which, struct pgt_iommu_device **out)
{
	struct pgt_devid id;
	struct unlocked u;
	if (devid_of(which, &id))
		return -1;
	struct pgt_error *err = error_new();
	if (!err || memory_lock(&u, self->memory, NULL)) {
		pgt_error_free(err);
		return -1;
	}
	int rc;
	NOGIL(&u, rc = pgt_iommu_find(self->io, &id, out, err));
	memory_unlock(&u);
	int failed = memory_reraise(self->memory) || (rc && !raise_pgt(err, rc, ANYWHERE));
	pgt_error_free(err);
	if (failed && !rc)
		pgt_iommu_device_free(*out);
	return failed ? -1 : 0;
}

static PyObject *iommu_device(IommuObject *self, PyObject *which)
{
	struct pgt_iommu_device *d;
	if (find(self, which, &d))
		return NULL;
	PyObject *r = device_record(self, d);
	pgt_iommu_device_free(d);
	return r;
}

static PyObject *iommu_open_table(IommuObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"device", "stage2", "kernel", NULL};
	PyObject *which, *kernel_o = Py_None;
	int stage2 = 0;
	enum pgt_kernel kernel;
	struct pgt_iommu_device *d;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|p$O:open_table", kwlist, &which, &stage2,
					 &kernel_o) ||
	    !conv_kernel(kernel_o, &kernel) || find(self, which, &d))
		return NULL;
	PyObject *dev = device_record(self, d);
	const struct pgt_iommu_table *it =
		stage2 ? pgt_iommu_device_stage2(d) : pgt_iommu_device_table(d);
	PyObject *r = NULL;
	struct pgt_error *err = dev ? error_new() : NULL;
	struct unlocked u;
	if (err && !it) {
		PyObject *id = PyObject_GetAttrString(dev, "id");
		const char *note = pgt_iommu_device_note(d);
		if (id)
			PyErr_Format(types.NotFoundError, "device %U: %s%s%s: the IOMMU gives it no %s",
				     id, pgt_dev_mode_name(pgt_iommu_device_mode(d)),
				     note ? ", " : "", note ? note : "",
				     stage2 ? "second-stage table" : "table");
		Py_XDECREF(id);
	} else if (err && !memory_lock(&u, self->memory, NULL)) {
		struct pgt_table *t = NULL;
		int rc;
		NOGIL(&u, rc = pgt_iommu_table_open(it, self->memory->mem, &t, err));
		memory_unlock(&u);
		/* the structures name a format, not the kernel that built the table */
		if (memory_reraise(self->memory))
			pgt_table_destroy(t);
		else if (rc)
			raise_pgt(err, rc, ANYWHERE);
		else if (table_set_kernel(t, kernel, PyUnicode_AsUTF8(self->memory->name)))
			pgt_table_destroy(t);
		else
			r = table_wrap(t, self->memory, NULL, dev);
	}
	pgt_error_free(err);
	pgt_iommu_device_free(d);
	Py_XDECREF(dev);
	return r;
}

static PyObject *get_kind(IommuObject *self, void *c)
{
	return PyUnicode_FromString(pgt_iommu_kind_name(pgt_iommu_kind_of(self->io)));
}

static PyObject *get_register(IommuObject *self, void *c)
{
	return entry_record(pgt_iommu_register(self->io));
}

static PyObject *get_register_values(IommuObject *self, void *c)
{
	uint64_t v[4];
	unsigned n = pgt_iommu_register_values(self->io, v);
	PyObject *t = PyTuple_New(n);
	for (unsigned i = 0; t && i < n; i++) {
		PyObject *x = py_u64(v[i]);
		if (!x) {
			Py_CLEAR(t);
			break;
		}
		PyTuple_SET_ITEM(t, i, x);
	}
	return t;
}

static PyObject *iommu_repr(IommuObject *self)
{
	PyObject *values = get_register_values(self, NULL);
	PyObject *r = values ? PyUnicode_FromFormat("<pgt.Iommu %s %R in %R>",
						    pgt_iommu_kind_name(pgt_iommu_kind_of(self->io)),
						    values, self->memory->name)
			     : NULL;
	Py_XDECREF(values);
	return r;
}

PyObject *iommu_kinds(PyObject *module, PyObject *unused)
{
	PyObject *list = PyList_New(0);
	for (const struct pgt_iommu_kind *const *k = pgt_iommu_kinds(); list && *k; k++) {
		PyObject *r = record(types.IommuKind, 3, PyUnicode_FromString(pgt_iommu_kind_name(*k)),
				     PyUnicode_FromString(pgt_iommu_kind_summary(*k)),
				     PyUnicode_FromString(pgt_iommu_kind_register(*k)));
		if (!r || PyList_Append(list, r))
			Py_CLEAR(list);
		Py_XDECREF(r);
	}
	return list;
}

static PyMethodDef iommu_methods[] = {
	{"devices", (PyCFunction)(void (*)(void))iommu_devices, METH_VARARGS | METH_KEYWORDS,
	 "devices(*, all=False) -> [Device]: every device with a valid entry (all: invalid and "
	 "abort entries too), in ID order (pgtctl devices)"},
	{"problems", (PyCFunction)iommu_problems, METH_NOARGS,
	 "problems() -> [IommuProblem]: what is wrong in the structures"},
	{"device", (PyCFunction)iommu_device, METH_O,
	 "device(id) -> Device: one device (\"0000:00:03.0\", \"00:03.0/1\", 0x10)"},
	{"open_table", (PyCFunction)(void (*)(void))iommu_open_table, METH_VARARGS | METH_KEYWORDS,
	 "open_table(device, stage2=False, *, kernel=None) -> Table: the table the device's DMA "
	 "goes through, read as the kernel's (\"6.12\", \"7.3\"; the format's default)"},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef iommu_getset[] = {
	{"kind", (getter)get_kind, NULL, "amd-vi, intel-vtd, smmuv3 or riscv", NULL},
	{"register", (getter)get_register, NULL, "the root register, decoded (an IommuEntry)",
	 NULL},
	{"register_values", (getter)get_register_values, NULL, "the register values as given",
	 NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef iommu_members[] = {
	{"memory", T_OBJECT, offsetof(IommuObject, memory), READONLY, "the Memory it reads"},
	{NULL, 0, 0, 0, NULL},
};

PyTypeObject Iommu_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "pgt.Iommu",
	.tp_basicsize = sizeof(IommuObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "Iommu(kind, register, memory): an IOMMU's structures in memory, from its "
		  "root register as read from the IOMMU (AMD-Vi Device Table Base, VT-d "
		  "RTADDR_REG, SMMUv3 (STRTAB_BASE, STRTAB_BASE_CFG), RISC-V DDTP): a number, "
		  "numbers, or pgtctl's --iommu-reg text.",
	.tp_new = iommu_new,
	.tp_dealloc = (destructor)iommu_dealloc,
	.tp_traverse = (traverseproc)iommu_traverse,
	.tp_repr = (reprfunc)iommu_repr,
	.tp_methods = iommu_methods,
	.tp_getset = iommu_getset,
	.tp_members = iommu_members,
};

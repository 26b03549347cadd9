// SPDX-License-Identifier: MIT
/*
 * pgt.Memory: physical memory libpgt reads tables from. Files (dumps,
 * raw images) are opened by libpgt; memory of Python callbacks is libpgt's
 * pgt_mem_new over a read(pa, size) -> bytes callable (and optionally
 * write(pa, data)), so that anything that can read physical memory (a
 * debugger, an emulator) walks tables with pgt.
 *
 * An exception a callback raises is kept and raised again by the call that
 * made libpgt read (memory_reraise), after libpgt has seen the read fail:
 * reads after it fail at once, so the call ends soon. An AddressError, or
 * an exception of a class in faults, says instead that there is no memory
 * there: libpgt sees the address as outside memory (a walk reports it),
 * with the exception's words.
 */
#include <errno.h>
#include <string.h>

#include "pgtmodule.h"
#include <structmember.h>

struct callback_ctx {
	PyObject *read, *write; /* NULL once cleared by the collector */
	PyObject *faults;	/* a tuple of exception classes */
	struct pgt_mem_range *ranges;
	size_t n_ranges;
	/* the exception a callback raised, not yet raised again */
	PyObject *type, *value, *tb;
};

/* The exception raised in a callback: memory missing (libpgt's code and
 * the exception's words), or kept for the caller, libpgt seeing -EIO. */
static int callback_failed(struct callback_ctx *c, const char *what, struct pgt_error *err)
{
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	bool missing = PyErr_GivenExceptionMatches(type, types.AddressError) ||
		       (c->faults && PyErr_GivenExceptionMatches(type, c->faults));
	if (missing) {
		int code = -EFAULT;
		PyObject *e = PyObject_GetAttrString(value, "errno");
		long v = e && PyLong_Check(e) ? PyLong_AsLong(e) : 0;
		if (v == -ENODATA || v == -EIO)
			code = (int)v;
		Py_XDECREF(e);
		PyObject *s = PyObject_Str(value);
		const char *words = s ? PyUnicode_AsUTF8(s) : NULL;
		PyErr_Clear();
		pgt_fail(err, code, "%s", words ? words : "no memory there");
		Py_XDECREF(s);
		Py_XDECREF(type);
		Py_XDECREF(value);
		Py_XDECREF(tb);
		return code;
	}
	if (tb)
		PyException_SetTraceback(value, tb);
	c->type = type;
	c->value = value;
	c->tb = tb;
	return pgt_fail(err, -EIO, "the %s callback raised %s", what, ((PyTypeObject *)type)->tp_name);
}

static int cb_read(void *ctx, pgt_addr pa, void *buf, uint64_t len, struct pgt_error *err)
{
	struct callback_ctx *c = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	int rc = 0;
	if (c->type || !c->read) {
		rc = pgt_fail(err, -EIO, "a callback of this memory failed");
		goto out;
	}
	PyObject *r = PyObject_CallFunction(c->read, "KK", (unsigned long long)pa,
					    (unsigned long long)len);
	Py_buffer view;
	if (!r || PyObject_GetBuffer(r, &view, PyBUF_SIMPLE)) {
		Py_XDECREF(r);
		rc = callback_failed(c, "read", err);
		goto out;
	}
	if ((uint64_t)view.len == len)
		memcpy(buf, view.buf, len);
	else
		raise_text(PyExc_ValueError, "read(0x%llx, %llu) returned %zd bytes",
			     (unsigned long long)pa, (unsigned long long)len, view.len);
	PyBuffer_Release(&view);
	Py_DECREF(r);
	if (PyErr_Occurred())
		rc = callback_failed(c, "read", err);
out:
	PyGILState_Release(g);
	return rc;
}

static int cb_write(void *ctx, pgt_addr pa, const void *buf, uint64_t len,
		    struct pgt_error *err)
{
	struct callback_ctx *c = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	int rc = 0;
	if (c->type || !c->write) {
		rc = pgt_fail(err, -EIO, "a callback of this memory failed");
	} else {
		PyObject *r = PyObject_CallFunction(c->write, "Ky#", (unsigned long long)pa,
						    (const char *)buf, (Py_ssize_t)len);
		if (!r)
			rc = callback_failed(c, "write", err);
		Py_XDECREF(r);
	}
	PyGILState_Release(g);
	return rc;
}

static size_t cb_ranges(void *ctx, struct pgt_mem_range *out, size_t max)
{
	struct callback_ctx *c = ctx;
	for (size_t i = 0; i < c->n_ranges && i < max; i++)
		out[i] = c->ranges[i];
	return c->n_ranges;
}

static void ctx_clear(struct callback_ctx *c)
{
	Py_CLEAR(c->read);
	Py_CLEAR(c->write);
	Py_CLEAR(c->faults);
	Py_CLEAR(c->type);
	Py_CLEAR(c->value);
	Py_CLEAR(c->tb);
}

static void cb_release(void *ctx)
{
	struct callback_ctx *c = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	ctx_clear(c);
	PyMem_RawFree(c->ranges);
	PyMem_RawFree(c);
	PyGILState_Release(g);
}

/* --- Locks ------------------------------------------------------------------ */

int memory_lock(struct unlocked *u, MemoryObject *a, MemoryObject *b)
{
	/* owner is only ever this thread's own id when this thread set it */
	unsigned long me = PyThread_get_thread_ident();
	if (b == a)
		b = NULL;
	if (a->owner == me || (b && b->owner == me)) {
		PyErr_SetString(PyExc_RuntimeError,
				"pgt: a memory's callback used that memory (re-entered)");
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		MemoryObject *m = i ? b : a;
		if (m && m->cb && m->cb->type) {
			Py_CLEAR(m->cb->type);
			Py_CLEAR(m->cb->value);
			Py_CLEAR(m->cb->tb);
		}
	}
	u->n = b ? 2 : 1;
	u->m[0] = b && b < a ? b : a;
	u->m[1] = b && b < a ? a : b;
	/* never wait for a lock holding the GIL: its holder may be waiting
	 * for the GIL in a callback */
	u->ts = PyEval_SaveThread();
	for (int i = 0; i < u->n; i++) {
		PyThread_acquire_lock(u->m[i]->lock, WAIT_LOCK);
		u->m[i]->owner = me;
	}
	PyEval_RestoreThread(u->ts);
	return 0;
}

void memory_unlock(struct unlocked *u)
{
	for (int i = u->n - 1; i >= 0; i--) {
		u->m[i]->owner = 0;
		PyThread_release_lock(u->m[i]->lock);
	}
}

int memory_reraise(MemoryObject *m)
{
	struct callback_ctx *c = m->cb;
	if (!c || !c->type)
		return 0;
	PyErr_Restore(c->type, c->value, c->tb);
	c->type = c->value = c->tb = NULL;
	return -1;
}

/* --- The object --------------------------------------------------------------- */

static MemoryObject *memory_alloc(PyTypeObject *type, const char *name)
{
	MemoryObject *m = (MemoryObject *)type->tp_alloc(type, 0);
	if (!m)
		return NULL;
	m->lock = PyThread_allocate_lock();
	m->name = PyUnicode_DecodeFSDefault(name);
	if (!m->lock || !m->name) {
		if (!PyErr_Occurred())
			PyErr_NoMemory();
		Py_DECREF(m);
		return NULL;
	}
	return m;
}

PyObject *memory_wrap(struct pgt_mem *mem, const char *name)
{
	MemoryObject *m = memory_alloc(&Memory_Type, name);
	if (!m) {
		pgt_mem_destroy(mem);
		return NULL;
	}
	m->mem = mem;
	return (PyObject *)m;
}

/* The ranges a callback memory has: (pa, len) pairs, sorted here. */
static int ranges_of(PyObject *seq, struct callback_ctx *c)
{
	PyObject *fast = PySequence_Fast(seq, "ranges is a sequence of (pa, len) pairs");
	if (!fast)
		return -1;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
	c->ranges = PyMem_RawCalloc(n ? (size_t)n : 1, sizeof(*c->ranges));
	int rc = c->ranges ? 0 : (PyErr_NoMemory(), -1);
	for (Py_ssize_t i = 0; i < n && !rc; i++) {
		struct pgt_mem_range r;
		if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, i), "O&O&;a range is (pa, len)",
				      conv_u64, &r.pa, conv_u64, &r.len)) {
			rc = -1;
			break;
		}
		size_t at = (size_t)i;
		while (at && c->ranges[at - 1].pa > r.pa) {
			c->ranges[at] = c->ranges[at - 1];
			at--;
		}
		c->ranges[at] = r;
	}
	c->n_ranges = rc ? 0 : (size_t)n;
	Py_DECREF(fast);
	return rc;
}

static PyObject *memory_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"read", "write", "ranges", "name", "faults", NULL};
	PyObject *read, *write = Py_None, *ranges = Py_None, *faults = NULL;
	const char *name = "memory";
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|O$OsO!:Memory", kwlist, &read, &write,
					 &ranges, &name, &PyTuple_Type, &faults))
		return NULL;
	if (!PyCallable_Check(read) || (write != Py_None && !PyCallable_Check(write))) {
		PyErr_SetString(PyExc_TypeError, "read and write are callables");
		return NULL;
	}
	struct callback_ctx *c = PyMem_RawCalloc(1, sizeof(*c));
	if (!c)
		return PyErr_NoMemory();
	c->read = Py_NewRef(read);
	c->write = write == Py_None ? NULL : Py_NewRef(write);
	c->faults = faults && PyTuple_GET_SIZE(faults) ? Py_NewRef(faults) : NULL;
	MemoryObject *m = NULL;
	if (ranges == Py_None || !ranges_of(ranges, c))
		m = memory_alloc(type, name);
	if (!m) {
		cb_release(c);
		return NULL;
	}
	const struct pgt_mem_callbacks cb = {cb_read, c->write ? cb_write : NULL, cb_ranges,
					     cb_release};
	struct pgt_error *err = error_new();
	int rc = err ? pgt_mem_new(name, &cb, c, &m->mem, err) : -ENOMEM;
	if (rc) {
		if (err)
			raise_pgt(err, rc, ANYWHERE);
		cb_release(c);
		Py_CLEAR(m);
	} else {
		m->cb = c;
	}
	pgt_error_free(err);
	return (PyObject *)m;
}

/* Open files as one memory: a path is a dump (ELF core, kdump), a (path,
 * base) pair a raw image; several are joined. */
static int open_one(PyObject *item, struct pgt_mem **out, const char **name, PyObject **bytes,
		    struct pgt_error *err)
{
	PyObject *path = item;
	uint64_t base = 0;
	bool raw = PyTuple_Check(item);
	if (raw && !PyArg_ParseTuple(item, "OO&;a raw file is (path, base)", &path, conv_u64, &base))
		return -1;
	if (!PyUnicode_FSConverter(path, bytes))
		return -1;
	*name = PyBytes_AS_STRING(*bytes);
	int rc;
	Py_BEGIN_ALLOW_THREADS
	rc = raw ? pgt_rawfile_open(*name, base, out, err) : pgt_dump_open(*name, out, err);
	Py_END_ALLOW_THREADS
	if (rc)
		raise_pgt(err, rc, IN_FILE(*name));
	return rc ? -1 : 0;
}

static PyObject *memory_files(PyObject *cls, PyObject *args)
{
	PyObject *list, *fast, *first = NULL;
	struct pgt_mem *parts[64];
	if (!PyArg_ParseTuple(args, "O:files", &list))
		return NULL;
	if (!(fast = PySequence_Fast(list, "files is a list of paths and (path, base) pairs")))
		return NULL;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(fast), got = 0;
	struct pgt_error *err = error_new();
	if (!n || n > 64) {
		PyErr_SetString(types.InvalidError, "memory is one to 64 files");
		n = 0;
	}
	const char *name = NULL;
	for (; err && got < n; got++) {
		PyObject *bytes = NULL;
		int rc = open_one(PySequence_Fast_GET_ITEM(fast, got), &parts[got], &name, &bytes,
				  err);
		if (!rc && !got)
			first = Py_NewRef(bytes);
		Py_XDECREF(bytes);
		if (rc)
			break;
	}
	PyObject *m = NULL;
	struct pgt_mem *mem = got ? parts[0] : NULL;
	if (got < n || !n || !err) {
		while (got)
			pgt_mem_destroy(parts[--got]);
	} else {
		/* the union owns the parts, also when it fails */
		int rc = n > 1 ? pgt_mem_union(parts, (size_t)n, &mem, err) : 0;
		if (rc)
			raise_pgt(err, rc, ANYWHERE);
		else
			m = memory_wrap(mem, PyBytes_AS_STRING(first));
	}
	Py_XDECREF(first);
	Py_DECREF(fast);
	pgt_error_free(err);
	return m;
}

static PyObject *memory_dump(PyObject *cls, PyObject *args)
{
	PyObject *path;
	if (!PyArg_ParseTuple(args, "O:dump", &path))
		return NULL;
	PyObject *list = Py_BuildValue("([O])", path);
	PyObject *m = list ? memory_files(cls, list) : NULL;
	Py_XDECREF(list);
	return m;
}

static PyObject *memory_raw(PyObject *cls, PyObject *args)
{
	PyObject *path, *base;
	if (!PyArg_ParseTuple(args, "OO:raw", &path, &base))
		return NULL;
	PyObject *list = Py_BuildValue("([(OO)])", path, base);
	PyObject *m = list ? memory_files(cls, list) : NULL;
	Py_XDECREF(list);
	return m;
}

static PyObject *memory_read(MemoryObject *self, PyObject *args)
{
	uint64_t pa, size;
	struct unlocked u;
	if (!PyArg_ParseTuple(args, "O&O&:read", conv_u64, &pa, conv_u64, &size))
		return NULL;
	if (size > PY_SSIZE_T_MAX)
		return PyErr_NoMemory();
	PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
	if (!b || memory_lock(&u, self, NULL)) {
		Py_XDECREF(b);
		return NULL;
	}
	int rc;
	NOGIL(&u, rc = pgt_mem_read(self->mem, pa, PyBytes_AS_STRING(b), size));
	char why[256] = "";
	if (rc)
		snprintf(why, sizeof(why), "%s", pgt_mem_why(self->mem));
	memory_unlock(&u);
	if (memory_reraise(self) || rc) {
		Py_DECREF(b);
		if (rc && !PyErr_Occurred())
			raise_code(rc, "0x%llx..0x%llx: %s", (unsigned long long)pa,
				   (unsigned long long)(pa + size - 1),
				   *why ? why : rc == -EFAULT ? "no memory there" : strerror(-rc));
		return NULL;
	}
	return b;
}

static PyObject *memory_write(MemoryObject *self, PyObject *args)
{
	uint64_t pa;
	Py_buffer data;
	struct unlocked u;
	if (!PyArg_ParseTuple(args, "O&y*:write", conv_u64, &pa, &data))
		return NULL;
	if (memory_lock(&u, self, NULL)) {
		PyBuffer_Release(&data);
		return NULL;
	}
	int rc;
	NOGIL(&u, rc = pgt_mem_write(self->mem, pa, data.buf, (uint64_t)data.len));
	memory_unlock(&u);
	PyBuffer_Release(&data);
	if (memory_reraise(self))
		return NULL;
	if (rc)
		return raise_code(rc, "0x%llx..0x%llx: %s", (unsigned long long)pa,
				  (unsigned long long)(pa + data.len - 1),
				  rc == -EFAULT ? "no memory there" : strerror(-rc));
	Py_RETURN_NONE;
}

/* The memory's ranges, in an array of their own. */
static struct pgt_mem_range *ranges_copy(struct pgt_mem *mem, size_t *n)
{
	size_t max = pgt_mem_ranges(mem, NULL, 0);
	struct pgt_mem_range *r = PyMem_RawCalloc(max ? max : 1, sizeof(*r));
	*n = r ? pgt_mem_ranges(mem, r, max) : 0;
	if (*n > max)
		*n = max;
	return r;
}

static PyObject *memory_get_ranges(MemoryObject *self, void *closure)
{
	struct unlocked u;
	if (memory_lock(&u, self, NULL))
		return NULL;
	size_t n;
	struct pgt_mem_range *r;
	NOGIL(&u, r = ranges_copy(self->mem, &n));
	memory_unlock(&u);
	if (!r)
		return PyErr_NoMemory();
	PyObject *list = PyList_New((Py_ssize_t)n);
	for (size_t i = 0; list && i < n; i++) {
		PyObject *pair = Py_BuildValue("(KK)", (unsigned long long)r[i].pa,
					       (unsigned long long)r[i].len);
		if (!pair) {
			Py_CLEAR(list);
			break;
		}
		PyList_SET_ITEM(list, (Py_ssize_t)i, pair);
	}
	PyMem_RawFree(r);
	return list;
}

static PyObject *memory_get_big_endian(MemoryObject *self, void *closure)
{
	return PyBool_FromLong(pgt_mem_big_endian(self->mem));
}

static int memory_set_big_endian(MemoryObject *self, PyObject *v, void *closure)
{
	struct unlocked u;
	int big = v ? PyObject_IsTrue(v) : -1;
	if (big < 0) {
		if (!v)
			PyErr_SetString(PyExc_AttributeError, "big_endian cannot be deleted");
		return -1;
	}
	if (memory_lock(&u, self, NULL))
		return -1;
	pgt_mem_set_big_endian(self->mem, big);
	memory_unlock(&u);
	return 0;
}

static PyObject *memory_get_writable(MemoryObject *self, void *closure)
{
	return PyBool_FromLong(!self->cb || self->cb->write);
}

static PyObject *memory_repr(MemoryObject *self)
{
	return PyUnicode_FromFormat("<pgt.Memory %R>", self->name);
}

static int memory_traverse(MemoryObject *self, visitproc visit, void *arg)
{
	if (self->cb) {
		Py_VISIT(self->cb->read);
		Py_VISIT(self->cb->write);
		Py_VISIT(self->cb->faults);
	}
	return 0;
}

/* Breaking a cycle through a callback: its reads fail from now on. */
static int memory_clear(MemoryObject *self)
{
	if (self->cb)
		ctx_clear(self->cb);
	return 0;
}

static void memory_dealloc(MemoryObject *self)
{
	PyObject_GC_UnTrack(self);
	if (self->weakrefs)
		PyObject_ClearWeakRefs((PyObject *)self);
	pgt_mem_destroy(self->mem);
	if (self->lock)
		PyThread_free_lock(self->lock);
	Py_XDECREF(self->name);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef memory_methods[] = {
	{"dump", memory_dump, METH_VARARGS | METH_CLASS,
	 "dump(path): a dump's memory (ELF core, compressed or flattened kdump, IMAGE)"},
	{"raw", memory_raw, METH_VARARGS | METH_CLASS,
	 "raw(path, base): a flat file whose first byte is at physical address base"},
	{"files", memory_files, METH_VARARGS | METH_CLASS,
	 "files([path, (path, base), ...]): dumps and raw files as one memory"},
	{"read", (PyCFunction)memory_read, METH_VARARGS, "read(pa, size) -> bytes"},
	{"write", (PyCFunction)memory_write, METH_VARARGS, "write(pa, data)"},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef memory_getset[] = {
	{"ranges", (getter)memory_get_ranges, NULL, "the (pa, len) runs it holds", NULL},
	{"big_endian", (getter)memory_get_big_endian, (setter)memory_set_big_endian,
	 "descriptors in it are big-endian (for the tables attached after it is set)", NULL},
	{"writable", (getter)memory_get_writable, NULL, "it can be written", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef memory_members[] = {
	{"name", T_OBJECT_EX, offsetof(MemoryObject, name), READONLY, "the memory's name"},
	{NULL, 0, 0, 0, NULL},
};

PyTypeObject Memory_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "pgt.Memory",
	.tp_basicsize = sizeof(MemoryObject),
	.tp_weaklistoffset = offsetof(MemoryObject, weakrefs),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "Memory(read, write=None, *, ranges=None, name='memory', faults=()): physical "
		  "memory read (and written) by Python callables: read(pa, size) -> bytes, "
		  "write(pa, data). ranges lists the (pa, len) runs there are (for scans); "
		  "an exception of a class in faults, or pgt.AddressError, means no memory at "
		  "that address. Memory.dump, Memory.raw and Memory.files open files.",
	.tp_new = memory_new,
	.tp_dealloc = (destructor)memory_dealloc,
	.tp_traverse = (traverseproc)memory_traverse,
	.tp_clear = (inquiry)memory_clear,
	.tp_repr = (reprfunc)memory_repr,
	.tp_methods = memory_methods,
	.tp_getset = memory_getset,
	.tp_members = memory_members,
};

// SPDX-License-Identifier: MIT
/* libpgt's failures as pgt's exceptions: the class by errno, the message as
 * the library words it, and its remedy in Python's words. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pgtmodule.h"

/* enum pgt_remedy: a name for Error.remedy, and what the message says
 * after the library's words (pgtctl says it with its options). */
static const struct {
	const char *name, *words;
} remedies[] = {
	[PGT_REMEDY_NONE] = {NULL, ""},
	[PGT_REMEDY_REPLACE] = {"replace", "; map(..., replace=True) applies the kernel's "
					   "map_pages as it is"},
	[PGT_REMEDY_SPLIT] = {"split", " (unmap(..., split=True) splits it as 6.12 did)"},
	[PGT_REMEDY_SPLIT_612] = {"split-612", " (only 6.12 splits, with split=True)"},
	[PGT_REMEDY_KERNEL_UNMAP] = {"kernel-unmap", " (split=True does that)"},
	[PGT_REMEDY_SMALLER_IAS] = {"smaller-ias", " (a smaller ias gives one)"},
	[PGT_REMEDY_BUDGET] = {"budget", " (raise it with budget=N)"},
	[PGT_REMEDY_AS_DUMP] = {"as-dump", "; read it as a dump: pgt.open(dump=FILE, "
					   "format=NAME, root=PA)"},
	[PGT_REMEDY_RAW_BASE] = {"raw-base", " (pgt.open(raw=FILE, base=PA, ...))"},
	[PGT_REMEDY_EDIT_COPY] = {"edit-copy", " (Table.save(NEW) writes the table alone)"},
};

static PyObject *class_of(int code, struct err_site site)
{
	switch (code) {
	case -EINVAL:
	case -ERANGE:
	case -EDOM:
		return types.InvalidError;
	case -EUCLEAN:
		return types.MalformedError;
	case -EOPNOTSUPP:
		return types.UnsupportedError;
	case -EFAULT:
	case -ENODATA:
		return types.AddressError;
	}
	if (site.file)
		return types.FileError;
	switch (code) {
	case -ENOENT:
		return types.NotFoundError;
	case -EEXIST:
		return types.ExistsError;
	case -EIO:
		return types.AddressError;
	}
	return types.Error;
}

static enum pgt_remedy remedy_of(const struct pgt_error *err)
{
	enum pgt_remedy r = pgt_error_remedy(err);
	return (unsigned)r < sizeof(remedies) / sizeof(remedies[0]) ? r : PGT_REMEDY_NONE;
}

PyObject *error_text(const struct pgt_error *err)
{
	return PyUnicode_FromFormat("%s%s", pgt_error_message(err), remedies[remedy_of(err)].words);
}

PyObject *raise_pgt(const struct pgt_error *err, int code, struct err_site site)
{
	if (code == -ENOMEM)
		return PyErr_NoMemory();
	enum pgt_remedy r = remedy_of(err);
	PyObject *cls = class_of(code, site);
	PyObject *exc = NULL;
	PyObject *text = pgt_error_code(err) ? error_text(err) : PyUnicode_FromString(strerror(-code));
	if (text && cls == types.FileError)
		exc = PyObject_CallFunction(cls, "Oiss", text, code, remedies[r].name, site.file);
	else if (text)
		exc = PyObject_CallFunction(cls, "Ois", text, code, remedies[r].name);
	Py_XDECREF(text);
	if (exc) {
		PyErr_SetObject(cls, exc);
		Py_DECREF(exc);
	}
	return NULL;
}

PyObject *raise_code(int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	PyObject *cls = class_of(code, ANYWHERE);
	PyObject *exc = PyObject_CallFunction(cls, "sis", msg, code, NULL);
	if (exc) {
		PyErr_SetObject(cls, exc);
		Py_DECREF(exc);
	}
	return NULL;
}

PyObject *raise_text(PyObject *cls, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	PyErr_SetString(cls, msg);
	return NULL;
}

struct pgt_error *error_new(void)
{
	struct pgt_error *err = pgt_error_new();
	if (!err)
		PyErr_NoMemory();
	return err;
}

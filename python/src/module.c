// SPDX-License-Identifier: MIT
/* pgt._pgt: the module, its types, and what libpgt knows without a table
 * (formats, kernels, IOMMU kinds, quirk names). */
#include <stdio.h>

#include "pgtmodule.h"

struct py_types types;

static PyObject *formats(PyObject *module, PyObject *unused)
{
	PyObject *list = PyList_New(0);
	for (const struct pgt_format *const *f = pgt_formats(); list && *f; f++) {
		PyObject *r = format_record(*f);
		if (!r || PyList_Append(list, r))
			Py_CLEAR(list);
		Py_XDECREF(r);
	}
	return list;
}

static PyObject *format(PyObject *module, PyObject *name)
{
	const struct pgt_format *fmt;
	return conv_format(name, &fmt) ? format_record(fmt) : NULL;
}

static PyObject *kernels(PyObject *module, PyObject *unused)
{
	PyObject *list = PyList_New(0);
	for (enum pgt_kernel k = PGT_KERNEL_DEFAULT + 1; list && k < PGT_KERNEL_END; k++) {
		PyObject *name = PyUnicode_FromString(pgt_kernel_name(k));
		if (!name || PyList_Append(list, name))
			Py_CLEAR(list);
		Py_XDECREF(name);
	}
	return list;
}

static PyObject *quirk_names(PyObject *module, PyObject *arg)
{
	uint64_t bits;
	if (!conv_u64(arg, &bits))
		return NULL;
	PyObject *list = PyList_New(0);
	for (unsigned i = 0; list && i < 64; i++) {
		if (!((bits >> i) & 1))
			continue;
		char hex[24];
		const char *name = pgt_quirk_name(1ull << i);
		snprintf(hex, sizeof(hex), "0x%llx", 1ull << i);
		PyObject *s = PyUnicode_FromString(name ? name : hex);
		if (!s || PyList_Append(list, s))
			Py_CLEAR(list);
		Py_XDECREF(s);
	}
	return list;
}

static PyObject *is_elf(PyObject *module, PyObject *arg)
{
	PyObject *path;
	if (!PyUnicode_FSConverter(arg, &path))
		return NULL;
	bool elf;
	Py_BEGIN_ALLOW_THREADS
	elf = pgt_file_is_elf(PyBytes_AS_STRING(path));
	Py_END_ALLOW_THREADS
	Py_DECREF(path);
	return PyBool_FromLong(elf);
}

static PyMethodDef functions[] = {
	{"formats", formats, METH_NOARGS, "formats() -> [Format]: every format, in the kernel's order"},
	{"format", format, METH_O, "format(name) -> Format (the kernel's spellings are accepted)"},
	{"kernels", kernels, METH_NOARGS, "kernels() -> [str]: the kernels libpgt reproduces"},
	{"iommu_kinds", iommu_kinds, METH_NOARGS, "iommu_kinds() -> [IommuKind]"},
	{"scan", (PyCFunction)(void (*)(void))scan, METH_VARARGS | METH_KEYWORDS,
	 "scan(format, memory, *, top=10, budget=None, threads=None, kernel=None, **config) -> "
	 "Scan: candidate roots of the format's tables in memory, best first (pgtctl scan)"},
	{"scan_iommu", (PyCFunction)(void (*)(void))iommu_scan, METH_VARARGS | METH_KEYWORDS,
	 "scan_iommu(kind, memory, *, top=10) -> [IommuCandidate]: candidate root structures "
	 "of an IOMMU, best first, with the register each implies (pgtctl scan --iommu)"},
	{"is_elf", is_elf, METH_O, "is_elf(path) -> bool: the file starts with the ELF magic"},
	{"quirk_names", quirk_names, METH_O,
	 "quirk_names(bits) -> [str]: the quirks' names (arm-ns, sign-extend...)"},
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "pgt._pgt",
	.m_doc = "libpgt for Python: the C half of the pgt package.",
	.m_size = -1,
	.m_methods = functions,
};

static int lookup_types(void)
{
	static const struct {
		const char *name;
		PyObject **slot;
	} names[] = {
		{"Error", &types.Error},
		{"InvalidError", &types.InvalidError},
		{"NotFoundError", &types.NotFoundError},
		{"ExistsError", &types.ExistsError},
		{"MalformedError", &types.MalformedError},
		{"UnsupportedError", &types.UnsupportedError},
		{"AddressError", &types.AddressError},
		{"FileError", &types.FileError},
		{"Prot", &types.Prot},
		{"Field", &types.Field},
		{"Step", &types.Step},
		{"Translation", &types.Translation},
		{"Mapping", &types.Mapping},
		{"Leaf", &types.Leaf},
		{"TableVisit", &types.TableVisit},
		{"Problem", &types.Problem},
		{"Side", &types.Side},
		{"Difference", &types.Difference},
		{"Value", &types.Value},
		{"DescriptorDifference", &types.DescriptorDifference},
		{"Level", &types.Level},
		{"FormatOption", &types.FormatOption},
		{"Format", &types.Format},
		{"IommuKind", &types.IommuKind},
		{"IommuEntry", &types.IommuEntry},
		{"IommuProblem", &types.IommuProblem},
		{"IommuTable", &types.IommuTable},
		{"Device", &types.Device},
		{"ScanCandidate", &types.ScanCandidate},
		{"Scan", &types.Scan},
		{"IommuCandidate", &types.IommuCandidate},
	};
	PyObject *mod = PyImport_ImportModule("pgt._types");
	if (!mod)
		return -1;
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(names) / sizeof(names[0]); i++)
		rc = (*names[i].slot = PyObject_GetAttrString(mod, names[i].name)) ? 0 : -1;
	for (unsigned v = 0; !rc && v <= PGT_PROT_ALL; v++)
		rc = (types.prot[v] = PyObject_CallFunction(types.Prot, "I", v)) ? 0 : -1;
	Py_DECREF(mod);
	return rc;
}

PyMODINIT_FUNC PyInit__pgt(void);
PyMODINIT_FUNC PyInit__pgt(void)
{
	static const struct {
		const char *name;
		PyTypeObject *type;
	} objects[] = {
		{"Memory", &Memory_Type},
		{"Table", &Table_Type},
		{"Iommu", &Iommu_Type},
		{"MappingIterator", &MappingIter_Type},
		{"WalkIterator", &WalkIter_Type},
	};
	if (lookup_types())
		return NULL;
	PyObject *m = PyModule_Create(&module_def);
	for (size_t i = 0; m && i < sizeof(objects) / sizeof(objects[0]); i++)
		if (PyType_Ready(objects[i].type) ||
		    PyModule_AddObjectRef(m, objects[i].name, (PyObject *)objects[i].type))
			Py_CLEAR(m);
	return m;
}

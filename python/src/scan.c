// SPDX-License-Identifier: MIT
/* Finding tables and IOMMU structures in memory with no register value
 * (pgtctl scan): candidate roots, best first. libpgt's scan walks in
 * threads of its own; memory of callbacks takes the GIL in each. */
#include <errno.h>

#include "pgtmodule.h"

static PyObject *candidates_list(const struct pgt_scan_candidate *c, const unsigned *levels,
				 size_t n)
{
	PyObject *list = PyList_New((Py_ssize_t)n);
	for (size_t i = 0; list && i < n; i++) {
		PyObject *r = record(types.ScanCandidate, 9, py_u64(c[i].root),
				     PyLong_FromLongLong(c[i].score), py_u64(c[i].tables),
				     py_u64(c[i].leaves), py_u64(c[i].mapped), py_u64(c[i].problems),
				     py_u64(c[i].lo), py_u64(c[i].hi), PyLong_FromUnsignedLong(levels[i]));
		if (!r) {
			Py_CLEAR(list);
			break;
		}
		PyList_SET_ITEM(list, (Py_ssize_t)i, r);
	}
	return list;
}

PyObject *scan(PyObject *module, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"format", "memory", "top", "budget", "threads", "kernel", NULL};
	const struct pgt_format *fmt;
	MemoryObject *m;
	uint64_t top = 10;
	struct pgt_scan_opts opts = {0};
	PyObject *kernel_o = Py_None, *r = NULL;
	enum pgt_kernel kernel;
	PyObject *config = kw ? PyDict_Copy(kw) : PyDict_New(), *fixed = PyDict_New();
	for (char **k = kwlist; config && fixed && *k; k++) {
		PyObject *v = PyDict_GetItemString(config, *k);
		if (v && (PyDict_SetItemString(fixed, *k, v) || PyDict_DelItemString(config, *k)))
			Py_CLEAR(fixed);
	}
	struct pgt_cfg *cfg = NULL;
	struct pgt_error *err = NULL;
	if (!config || !fixed ||
	    !PyArg_ParseTupleAndKeywords(args, fixed, "O&O!|$O&O&IO:scan", kwlist, conv_format, &fmt,
					 &Memory_Type, &m, conv_u64, &top, conv_u64, &opts.budget,
					 &opts.threads, &kernel_o) ||
	    !conv_kernel(kernel_o, &kernel) || cfg_from_dict(fmt, kernel, config, &cfg) ||
	    !(err = error_new()))
		goto out;
	if (PyDict_GetItemString(fixed, "budget") && !opts.budget) {
		PyErr_SetString(types.InvalidError, "budget must not be zero");
		goto out;
	}
	/* with neither ias nor the format's option, the level count is not known */
	unsigned flags = cfg_dict_fixes_levels(config) ? 0 : PGT_SCAN_EVERY_LEVEL_COUNT;
	struct pgt_scan_candidate *cand = PyMem_RawCalloc(top ? top : 1, sizeof(*cand));
	unsigned *levels = PyMem_RawCalloc(top ? top : 1, sizeof(*levels));
	struct unlocked u;
	size_t n = 0;
	int rc;
	if (!cand || !levels) {
		PyErr_NoMemory();
	} else if (!memory_lock(&u, m, NULL)) {
		NOGIL(&u, rc = pgt_scan_levels(fmt, cfg, m->mem, &opts, flags, cand, levels, top, &n,
					       err));
		memory_unlock(&u);
		/* out of budget: the best found so far, and what stopped it */
		if (!memory_reraise(m) && (!rc || rc == -E2BIG)) {
			PyObject *list = candidates_list(cand, levels, n);
			r = list ? record(types.Scan, 2, list,
					  rc ? error_text(err) : Py_NewRef(Py_None))
				 : NULL;
		} else if (!PyErr_Occurred()) {
			raise_pgt(err, rc, ANYWHERE);
		}
	}
	PyMem_RawFree(levels);
	PyMem_RawFree(cand);
out:
	pgt_error_free(err);
	pgt_cfg_free(cfg);
	Py_XDECREF(fixed);
	Py_XDECREF(config);
	return r;
}

PyObject *iommu_scan(PyObject *module, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"kind", "memory", "top", NULL};
	const char *kind_name;
	MemoryObject *m;
	uint64_t top = 10;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "sO!|$O&:scan_iommu", kwlist, &kind_name,
					 &Memory_Type, &m, conv_u64, &top))
		return NULL;
	const struct pgt_iommu_kind *k = pgt_iommu_kind_find(kind_name);
	if (!k)
		return raise_code(-EINVAL, "unknown IOMMU '%s' (pgt.iommu_kinds() lists them)",
				  kind_name);
	struct pgt_error *err = error_new();
	struct unlocked u;
	if (!err || memory_lock(&u, m, NULL)) {
		pgt_error_free(err);
		return NULL;
	}
	struct pgt_iommu_candidates *cand = NULL;
	int rc;
	NOGIL(&u, rc = pgt_iommu_scan(k, m->mem, top, &cand, err));
	memory_unlock(&u);
	PyObject *list = NULL;
	if (!memory_reraise(m) && !(rc && !raise_pgt(err, rc, ANYWHERE)))
		list = PyList_New(0);
	for (size_t i = 0; list && i < pgt_iommu_candidates_count(cand); i++) {
		struct pgt_iommu_candidate c;
		pgt_iommu_candidates_get(cand, i, &c);
		PyObject *x = record(types.IommuCandidate, 7, py_u64(c.pa), PyLong_FromLongLong(c.score),
				     py_u64(c.devices), py_u64(c.entries), py_u64(c.tables),
				     py_u64(c.problems), PyUnicode_FromString(c.reg));
		if (!x || PyList_Append(list, x))
			Py_CLEAR(list);
		Py_XDECREF(x);
	}
	pgt_iommu_candidates_free(cand);
	pgt_error_free(err);
	return list;
}

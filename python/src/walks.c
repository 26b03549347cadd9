// SPDX-License-Identifier: MIT
/*
 * Walks over a table's IOVA range as Python iterators: its mappings
 * (libpgt's runs, as pgtctl dump prints them), its leaves, or everything
 * the walk meets (tables, leaves, problems, as dump --tree); and what is
 * built on them: check and whereis. An iterator keeps its table alive and
 * walks one item per next(), so a walk of a large dump can stop early.
 */
#include <errno.h>

#include "pgtmodule.h"
#include <structmember.h>

PyObject *problem_record(const struct pgt_problem *p)
{
	return record(types.Problem, 8, PyUnicode_FromString(pgt_stop_name(p->kind)),
		      PyLong_FromUnsignedLong(p->depth), PyLong_FromUnsignedLong(p->label),
		      py_u64(p->iova), py_u64(p->last), py_u64(p->desc_pa), py_u64(p->raw),
		      py_str_or_none(p->why));
}

static PyObject *leaf_record(const struct pgt_leaf *l)
{
	return record(types.Leaf, 10, py_u64(l->iova), py_u64(l->pa), py_u64(l->span),
		      py_u64(l->size), PyLong_FromUnsignedLong(l->count), py_prot(l->prot),
		      PyLong_FromUnsignedLong(l->depth), PyLong_FromUnsignedLong(l->label),
		      py_u64(l->desc_pa), py_u64(l->raw));
}

static PyObject *visit_record(const struct pgt_table *t, const struct pgt_table_visit *v)
{
	const struct pgt_level_geom *l = pgt_geometry_level(pgt_table_geometry(t), v->depth);
	return record(types.TableVisit, 9, PyLong_FromUnsignedLong(v->depth),
		      PyLong_FromUnsignedLong(v->label), py_u64(v->iova), py_u64(v->pa),
		      py_u64(v->bytes), py_u64(1ull << l->index_bits), py_u64(v->desc_pa),
		      py_u64(v->raw), PyLong_FromUnsignedLong(v->root));
}

static PyObject *mapping_record(const struct pgt_range *r)
{
	return record(types.Mapping, 7, py_u64(r->iova), py_u64(r->pa), py_u64(r->size),
		      py_prot(r->prot), r->pgsize ? py_u64(r->pgsize) : Py_NewRef(Py_None),
		      r->label != ~0u ? PyLong_FromUnsignedLong(r->label) : Py_NewRef(Py_None),
		      py_u64(r->leaves));
}

/* A walk's problems, collected in a list as they are met (called with
 * the GIL released): non-zero stops the walk when the list cannot grow. */
static int collect_problem(void *ctx, const struct pgt_problem *p)
{
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *r = problem_record(p);
	int rc = r ? PyList_Append(ctx, r) : -1;
	Py_XDECREF(r);
	PyGILState_Release(g);
	return rc ? -ECANCELED : 0;
}

/* [lo, hi]: given, or the table's whole IOVA range. */
static int walk_bounds(TableObject *self, PyObject *lo_o, PyObject *hi_o, pgt_addr *lo,
		       pgt_addr *hi)
{
	struct unlocked u;
	if (memory_lock(&u, self->memory, NULL))
		return -1;
	*lo = pgt_table_iova_min(self->t);
	*hi = pgt_table_iova_max(self->t);
	memory_unlock(&u);
	if ((lo_o != Py_None && !conv_u64(lo_o, lo)) || (hi_o != Py_None && !conv_u64(hi_o, hi)))
		return -1;
	if (*lo > *hi) {
		raise_text(types.InvalidError, "the range 0x%llx..0x%llx is empty",
			     (unsigned long long)*lo, (unsigned long long)*hi);
		return -1;
	}
	return 0;
}

/* --- Mappings -------------------------------------------------------------------- */

typedef struct {
	PyObject_HEAD
	TableObject *table;
	struct pgt_runs *runs;
	PyObject *problems;
} MappingIterObject;

PyObject *table_mappings(TableObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"lo", "hi", "by_pgsize", NULL};
	PyObject *lo_o = Py_None, *hi_o = Py_None;
	int by_pgsize = 1;
	pgt_addr lo, hi;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "|OO$p:mappings", kwlist, &lo_o, &hi_o,
					 &by_pgsize) ||
	    walk_bounds(self, lo_o, hi_o, &lo, &hi))
		return NULL;
	MappingIterObject *it = PyObject_GC_New(MappingIterObject, &MappingIter_Type);
	if (!it)
		return NULL;
	it->table = (TableObject *)Py_NewRef(self);
	it->runs = NULL;
	it->problems = PyList_New(0);
	PyObject_GC_Track(it);
	struct pgt_error *err = it->problems ? error_new() : NULL;
	struct unlocked u;
	if (!err || memory_lock(&u, self->memory, NULL)) {
		pgt_error_free(err);
		Py_DECREF(it);
		return NULL;
	}
	int rc = pgt_runs_new(self->t, lo, hi, by_pgsize, collect_problem, it->problems, &it->runs,
			      err);
	memory_unlock(&u);
	if (rc) {
		raise_pgt(err, rc, ANYWHERE);
		Py_CLEAR(it);
	}
	pgt_error_free(err);
	return (PyObject *)it;
}

static PyObject *mapping_next(MappingIterObject *it)
{
	struct pgt_range r;
	struct unlocked u;
	int rc = 0;
	/* under the lock: another thread may be at the same iterator */
	if (memory_lock(&u, it->table->memory, NULL))
		return NULL;
	if (it->runs)
		NOGIL(&u, rc = pgt_runs_next(it->runs, &r));
	if (!rc) {
		pgt_runs_free(it->runs);
		it->runs = NULL;
	}
	memory_unlock(&u);
	if (memory_reraise(it->table->memory) || PyErr_Occurred())
		return NULL;
	if (rc < 0)
		return raise_pgt(NULL, rc, ANYWHERE);
	return rc ? mapping_record(&r) : NULL;
}

static int mapping_traverse(MappingIterObject *it, visitproc visit, void *arg)
{
	Py_VISIT(it->table);
	Py_VISIT(it->problems);
	return 0;
}

static void mapping_dealloc(MappingIterObject *it)
{
	PyObject_GC_UnTrack(it);
	pgt_runs_free(it->runs);
	Py_XDECREF(it->table);
	Py_XDECREF(it->problems);
	PyObject_GC_Del(it);
}

static PyMemberDef mapping_members[] = {
	{"problems", T_OBJECT, offsetof(MappingIterObject, problems), READONLY,
	 "the Problems the walk has met so far"},
	{NULL, 0, 0, 0, NULL},
};

PyTypeObject MappingIter_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "pgt.MappingIterator",
	.tp_basicsize = sizeof(MappingIterObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "The mappings of a table, in IOVA order (Table.mappings).",
	.tp_dealloc = (destructor)mapping_dealloc,
	.tp_traverse = (traverseproc)mapping_traverse,
	.tp_iter = PyObject_SelfIter,
	.tp_iternext = (iternextfunc)mapping_next,
	.tp_members = mapping_members,
};

/* --- Walks: leaves, or everything -------------------------------------------------- */

typedef struct {
	PyObject_HEAD
	TableObject *table;
	struct pgt_iter *iter;
	bool leaves_only; /* problems go to the list, tables are passed over */
	PyObject *problems;
} WalkIterObject;

static PyObject *walk_new(TableObject *self, pgt_addr lo, pgt_addr hi, unsigned flags,
			  bool leaves_only)
{
	WalkIterObject *it = PyObject_GC_New(WalkIterObject, &WalkIter_Type);
	if (!it)
		return NULL;
	it->table = (TableObject *)Py_NewRef(self);
	it->iter = NULL;
	it->leaves_only = leaves_only;
	it->problems = PyList_New(0);
	PyObject_GC_Track(it);
	struct pgt_error *err = it->problems ? error_new() : NULL;
	struct unlocked u;
	if (!err || memory_lock(&u, self->memory, NULL)) {
		pgt_error_free(err);
		Py_DECREF(it);
		return NULL;
	}
	int rc = pgt_iter_new(self->t, lo, hi, flags, &it->iter, err);
	memory_unlock(&u);
	if (rc) {
		raise_pgt(err, rc, ANYWHERE);
		Py_CLEAR(it);
	}
	pgt_error_free(err);
	return (PyObject *)it;
}

PyObject *table_leaves(TableObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"lo", "hi", NULL};
	PyObject *lo_o = Py_None, *hi_o = Py_None;
	pgt_addr lo, hi;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "|OO:leaves", kwlist, &lo_o, &hi_o) ||
	    walk_bounds(self, lo_o, hi_o, &lo, &hi))
		return NULL;
	return walk_new(self, lo, hi, 0, true);
}

PyObject *table_walk(TableObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"lo", "hi", "check", NULL};
	PyObject *lo_o = Py_None, *hi_o = Py_None;
	int check = 0;
	pgt_addr lo, hi;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "|OO$p:walk", kwlist, &lo_o, &hi_o, &check) ||
	    walk_bounds(self, lo_o, hi_o, &lo, &hi))
		return NULL;
	return walk_new(self, lo, hi, check ? PGT_ITER_CHECK : 0, false);
}

/* The next item as a record: 1 with *out, 0 for an item passed over (a
 * leaves-only walk's tables and problems), -1 on failure. */
static int walk_item(WalkIterObject *it, const struct pgt_item *item, PyObject **out)
{
	switch (item->kind) {
	case PGT_ITEM_LEAF:
		*out = leaf_record(&item->leaf);
		break;
	case PGT_ITEM_TABLE:
		if (it->leaves_only)
			return 0;
		*out = visit_record(it->table->t, &item->table);
		break;
	case PGT_ITEM_PROBLEM:
		*out = problem_record(&item->problem);
		if (*out && it->leaves_only) {
			int rc = PyList_Append(it->problems, *out);
			Py_CLEAR(*out);
			return rc;
		}
		break;
	default:
		return 0;
	}
	return *out ? 1 : -1;
}

static PyObject *walk_next(WalkIterObject *it)
{
	struct unlocked u;
	PyObject *r = NULL;
	/* under the lock: another thread may be at the same iterator */
	if (memory_lock(&u, it->table->memory, NULL))
		return NULL;
	while (it->iter) {
		const struct pgt_item *item;
		int rc;
		NOGIL(&u, rc = pgt_iter_next(it->iter, &item));
		if (memory_reraise(it->table->memory))
			break;
		if (rc < 0) {
			raise_pgt(NULL, rc, ANYWHERE);
			break;
		}
		if (!rc) {
			pgt_iter_free(it->iter);
			it->iter = NULL;
			break;
		}
		/* the item is the iterator's until the next call: made into a
		 * record under the lock */
		if (walk_item(it, item, &r))
			break;
	}
	memory_unlock(&u);
	return r;
}

static int walk_traverse(WalkIterObject *it, visitproc visit, void *arg)
{
	Py_VISIT(it->table);
	Py_VISIT(it->problems);
	return 0;
}

static void walk_dealloc(WalkIterObject *it)
{
	PyObject_GC_UnTrack(it);
	pgt_iter_free(it->iter);
	Py_XDECREF(it->table);
	Py_XDECREF(it->problems);
	PyObject_GC_Del(it);
}

static PyMemberDef walk_members[] = {
	{"problems", T_OBJECT, offsetof(WalkIterObject, problems), READONLY,
	 "leaves(): the Problems the walk has met so far"},
	{NULL, 0, 0, 0, NULL},
};

PyTypeObject WalkIter_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "pgt.WalkIterator",
	.tp_basicsize = sizeof(WalkIterObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "A walk of a table in IOVA order (Table.leaves, Table.walk).",
	.tp_dealloc = (destructor)walk_dealloc,
	.tp_traverse = (traverseproc)walk_traverse,
	.tp_iter = PyObject_SelfIter,
	.tp_iternext = (iternextfunc)walk_next,
	.tp_members = walk_members,
};

/* --- Built on walks ------------------------------------------------------------- */

PyObject *table_check(TableObject *self, PyObject *unused)
{
	pgt_addr lo, hi;
	if (walk_bounds(self, Py_None, Py_None, &lo, &hi))
		return NULL;
	WalkIterObject *it = (WalkIterObject *)walk_new(self, lo, hi, PGT_ITER_CHECK, true);
	if (!it)
		return NULL;
	PyObject *leaf;
	while ((leaf = walk_next(it)))
		Py_DECREF(leaf);
	PyObject *problems = PyErr_Occurred() ? NULL : Py_NewRef(it->problems);
	Py_DECREF(it);
	return problems;
}

PyObject *table_whereis(TableObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"pa", "size", NULL};
	uint64_t pa, size = 1;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|O&:whereis", kwlist, conv_u64, &pa,
					 conv_u64, &size))
		return NULL;
	if (!size || pa + size - 1 < pa) {
		PyErr_SetString(types.InvalidError, "whereis: the range must be non-empty and not wrap");
		return NULL;
	}
	pgt_addr lo = pa, hi = pa + size - 1;
	PyObject *no_args = PyTuple_New(0), *kwargs = Py_BuildValue("{s:O}", "by_pgsize", Py_False);
	PyObject *runs = no_args && kwargs ? table_mappings(self, no_args, kwargs) : NULL;
	Py_XDECREF(no_args);
	Py_XDECREF(kwargs);
	PyObject *found = runs ? PyList_New(0) : NULL;
	MappingIterObject *it = (MappingIterObject *)runs;
	struct pgt_range r;
	while (found && it->runs) {
		struct unlocked u;
		int rc;
		if (memory_lock(&u, self->memory, NULL)) {
			Py_CLEAR(found);
			break;
		}
		NOGIL(&u, rc = pgt_runs_next(it->runs, &r));
		memory_unlock(&u);
		if (memory_reraise(self->memory) || PyErr_Occurred() ||
		    (rc < 0 && !raise_pgt(NULL, rc, ANYWHERE))) {
			Py_CLEAR(found);
			break;
		}
		if (!rc)
			break;
		pgt_addr last = r.pa + r.size - 1;
		if (last < lo || r.pa > hi)
			continue;
		pgt_addr from = r.pa < lo ? lo : r.pa, to = last > hi ? hi : last;
		r.iova += from - r.pa;
		r.pa = from;
		r.size = to - from + 1;
		PyObject *m = mapping_record(&r);
		if (!m || PyList_Append(found, m))
			Py_CLEAR(found);
		Py_XDECREF(m);
	}
	Py_XDECREF(runs);
	return found;
}

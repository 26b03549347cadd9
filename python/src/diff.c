// SPDX-License-Identifier: MIT
/* Two tables compared, as pgtctl diff compares them: by what they map, or
 * (one format) descriptor by descriptor after their set-up. */
#include <errno.h>

#include "pgtmodule.h"

/* What a comparison collects; its callbacks run with the GIL released. */
struct collect {
	PyObject *list, *problems;
	TableObject *a, *b;
};

static PyObject *side_record(const struct pgt_diff_side *s)
{
	return record(types.Side, 3, py_u64(s->pa), py_prot(s->prot),
		      s->pgsize ? py_u64(s->pgsize) : Py_NewRef(Py_None));
}

static int append(PyObject *list, PyObject *r)
{
	int rc = r ? PyList_Append(list, r) : -1;
	Py_XDECREF(r);
	return rc;
}

static int on_range(void *ctx, const struct pgt_diff_range *r)
{
	static const char *const kinds[] = {"only-a", "only-b", "changed"};
	struct collect *c = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	int rc = append(c->list,
			record(types.Difference, 5, PyUnicode_FromString(kinds[r->kind]),
			       py_u64(r->iova), py_u64(r->size),
			       r->kind == PGT_DIFF_ONLY_B ? Py_NewRef(Py_None) : side_record(&r->a),
			       r->kind == PGT_DIFF_ONLY_A ? Py_NewRef(Py_None) : side_record(&r->b)));
	PyGILState_Release(g);
	return rc ? -ECANCELED : 0;
}

static int on_problem(void *ctx, char side, const struct pgt_problem *p)
{
	struct collect *c = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	int rc = append(c->problems, Py_BuildValue("(CN)", side, problem_record(p)));
	PyGILState_Release(g);
	return rc ? -ECANCELED : 0;
}

/* Both tables' memories locked, fn run with the GIL released, and the
 * failure of either raised. */
static int compare(TableObject *a, TableObject *b, int (*fn)(struct collect *, struct pgt_error *),
		   struct collect *c)
{
	struct pgt_error *err = error_new();
	struct unlocked u;
	if (!err || memory_lock(&u, a->memory, b->memory)) {
		pgt_error_free(err);
		return -1;
	}
	int rc;
	NOGIL(&u, rc = fn(c, err));
	memory_unlock(&u);
	int failed = memory_reraise(a->memory) || memory_reraise(b->memory) || PyErr_Occurred();
	if (!failed && rc) {
		raise_pgt(err, rc, ANYWHERE);
		failed = -1;
	}
	pgt_error_free(err);
	return failed ? -1 : 0;
}

static int diff_mappings_pgsize(struct collect *c, struct pgt_error *err)
{
	struct pgt_diff_ops ops = {on_range, on_problem, c};
	return pgt_diff_mappings(c->a->t, c->b->t, true, &ops, err);
}

static int diff_mappings_plain(struct collect *c, struct pgt_error *err)
{
	struct pgt_diff_ops ops = {on_range, on_problem, c};
	return pgt_diff_mappings(c->a->t, c->b->t, false, &ops, err);
}

PyObject *table_diff(TableObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"other", "pgsize", NULL};
	TableObject *other;
	int pgsize = 0;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O!|$p:diff", kwlist, &Table_Type, &other,
					 &pgsize))
		return NULL;
	struct collect c = {PyList_New(0), PyList_New(0), self, other};
	PyObject *r = NULL;
	if (c.list && c.problems &&
	    !compare(self, other, pgsize ? diff_mappings_pgsize : diff_mappings_plain, &c))
		r = PyTuple_Pack(2, c.list, c.problems);
	Py_XDECREF(c.list);
	Py_XDECREF(c.problems);
	return r;
}

/* --- Descriptors ---------------------------------------------------------------- */

static int on_value(void *ctx, const struct pgt_diff_value *v)
{
	PyGILState_STATE g = PyGILState_Ensure();
	int rc = append(ctx, record(types.Value, 3, PyUnicode_FromString(v->name),
				    PyUnicode_FromString(v->a), PyUnicode_FromString(v->b)));
	PyGILState_Release(g);
	return rc ? -ECANCELED : 0;
}

static const char *kind_word(enum pgt_kind k)
{
	static const char *const kinds[] = {"empty", "table", "leaf", "malformed"};
	return (unsigned)k < 4 ? kinds[k] : "malformed";
}

static int on_desc(void *ctx, const struct pgt_diff_desc *d)
{
	struct collect *c = ctx;
	struct pgt_entry ea, eb;
	pgt_table_decode(c->a->t, d->depth, d->raw_a, &ea);
	pgt_table_decode(c->b->t, d->depth, d->raw_b, &eb);
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *fields = PyList_New(0);
	int rc = fields ? 0 : -1;
	if (!rc) {
		/* its callbacks take the GIL again: nested, as PyGILState allows */
		rc = pgt_diff_desc_fields(c->a->t, c->b->t, d, on_value, fields);
	}
	PyObject *tuple = rc ? NULL : PyList_AsTuple(fields);
	Py_XDECREF(fields);
	rc = append(c->list,
		    tuple ? record(types.DescriptorDifference, 10, PyLong_FromUnsignedLong(d->depth),
				   PyLong_FromUnsignedLong(d->label), py_u64(d->iova),
				   py_u64(d->desc_pa_a), py_u64(d->raw_a), py_u64(d->desc_pa_b),
				   py_u64(d->raw_b), PyUnicode_FromString(kind_word(ea.kind)),
				   PyUnicode_FromString(kind_word(eb.kind)), tuple)
			  : NULL);
	PyGILState_Release(g);
	return rc ? -ECANCELED : 0;
}

static int diff_setup(struct collect *c, struct pgt_error *err)
{
	(void)err;
	return pgt_diff_setup(c->a->t, c->b->t, on_value, c->problems);
}

static int diff_descriptors(struct collect *c, struct pgt_error *err)
{
	return pgt_diff_descriptors(c->a->t, c->b->t, on_desc, c, err);
}

PyObject *table_diff_descriptors(TableObject *self, PyObject *args)
{
	TableObject *other;
	if (!PyArg_ParseTuple(args, "O!:diff_descriptors", &Table_Type, &other))
		return NULL;
	const struct pgt_format *fa = pgt_table_format(self->t), *fb = pgt_table_format(other->t);
	if (fa != fb) {
		PyErr_Format(types.InvalidError,
			     "diff_descriptors compares two tables of one format (%s and %s)",
			     pgt_format_name(fa), pgt_format_name(fb));
		return NULL;
	}
	/* the set-up's values go to problems, the descriptors to list */
	struct collect c = {PyList_New(0), PyList_New(0), self, other};
	PyObject *r = NULL;
	if (c.list && c.problems && !compare(self, other, diff_setup, &c)) {
		struct unlocked u;
		bool alike = false;
		if (!memory_lock(&u, self->memory, other->memory)) {
			alike = pgt_geometry_same_layout(pgt_table_geometry(self->t),
							 pgt_table_geometry(other->t));
			memory_unlock(&u);
			if (!alike)
				r = Py_BuildValue("(OO)", c.problems, Py_None);
			else if (!compare(self, other, diff_descriptors, &c))
				r = PyTuple_Pack(2, c.problems, c.list);
		}
	}
	Py_XDECREF(c.list);
	Py_XDECREF(c.problems);
	return r;
}

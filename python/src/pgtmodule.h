/* SPDX-License-Identifier: MIT */
/*
 * pgt._pgt, the C half of the Python module: libpgt's memories, tables and
 * IOMMUs as Python objects. The records it hands out and its exceptions
 * are pgt._types' classes.
 *
 * Every call into libpgt that reads memory runs with the GIL released and
 * the memory's lock held (memory_lock, NOGIL), so that other threads run while a
 * dump is walked and no two threads use one memory's objects at once, as
 * libpgt(3) asks; memory of Python callbacks takes the GIL back to call
 * them.
 */
#ifndef PGT_PY_MODULE_H
#define PGT_PY_MODULE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>

#include <pgt/pgt.h>

/* pgt._types' classes, looked up once when the module loads. */
struct py_types {
	PyObject *Error, *InvalidError, *NotFoundError, *ExistsError, *MalformedError,
		*UnsupportedError, *AddressError, *FileError;
	PyObject *Prot;
	PyObject *prot[PGT_PROT_ALL + 1]; /* Prot(v) for every v, made once */
	PyObject *Field, *Step, *Translation, *Mapping, *Leaf, *TableVisit, *Problem, *Side,
		*Difference, *Value, *DescriptorDifference, *Level, *FormatOption, *Format,
		*IommuKind, *IommuEntry, *IommuProblem, *IommuTable, *Device, *ScanCandidate, *Scan,
		*IommuCandidate;
};
extern struct py_types types;

/* --- Errors (errors.c) ------------------------------------------------- */

/* Where a failure happened: a file's failure that is not about its
 * content is a FileError (an OSError) naming the file. */
struct err_site {
	const char *file;
};
#define ANYWHERE ((struct err_site){NULL})
#define IN_FILE(path) ((struct err_site){path})

/* Raise the pgt exception for code (a negative errno) with err's message
 * and remedy, or strerror's words when err has none. Returns NULL. */
PyObject *raise_pgt(const struct pgt_error *err, int code, struct err_site site);
/* err's message with its remedy in Python's words, as raise_pgt says it. */
PyObject *error_text(const struct pgt_error *err);
/* Raise the pgt exception for code with a message of the binding's own. */
PyObject *raise_code(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raise cls with a printf-style message (PyErr_Format has no %llx). */
PyObject *raise_text(PyObject *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new error record, or NULL with MemoryError raised. */
struct pgt_error *error_new(void);

/* --- Values in and out (convert.c) ------------------------------------- */

/* O& converters: an address or size (an int, or a string pgtctl takes:
 * "0x1000", "4K"); prot (a Prot or int, "rw", "read,write", or words);
 * a kernel ("6.12", "7.3"; None the default); a format by name. */
int conv_u64(PyObject *o, void *out);
int conv_prot(PyObject *o, void *out);
int conv_kernel(PyObject *o, void *out);
int conv_format(PyObject *o, void *out);
/* Python values for libpgt's. */
PyObject *py_u64(uint64_t v);
PyObject *py_prot(unsigned prot);
PyObject *py_str_or_none(const char *s);
/* Call a record class with n positional values (references stolen; a
 * NULL among them fails the call, as it does when a value cannot be
 * made). */
PyObject *record(PyObject *cls, Py_ssize_t n, ...);

/* A configuration: the format's default for the kernel, with the
 * values config (a dict, may be NULL) gives: ias, oas, pgsize_bitmap,
 * quirks, coherent_walk, cpu_page_size, and the format's own options by
 * name. None is not given. */
/* Does a configuration dict fix the level count (ias, or an option of the
 * format's, which holds the count where it is a choice)? */
bool cfg_dict_fixes_levels(PyObject *config);
int cfg_from_dict(const struct pgt_format *fmt, enum pgt_kernel kernel, PyObject *config,
		  struct pgt_cfg **out);
/* The configuration as a dict, with the format's options by name. */
PyObject *cfg_to_dict(const struct pgt_format *fmt, const struct pgt_cfg *cfg);
PyObject *format_record(const struct pgt_format *fmt);

/* --- Memory (memory.c) -------------------------------------------------- */

struct callback_ctx;

typedef struct {
	PyObject_HEAD
	struct pgt_mem *mem;
	PyObject *name;
	PyThread_type_lock lock;
	unsigned long owner; /* the thread that holds lock, 0 when free */
	struct callback_ctx *cb; /* memory of Python callbacks */
	PyObject *weakrefs;
} MemoryObject;

extern PyTypeObject Memory_Type;

/* A new Memory object owning mem (destroyed with it); NULL on failure,
 * mem destroyed then too. */
PyObject *memory_wrap(struct pgt_mem *mem, const char *name);

/*
 * Take the locks of one or two memories (b may be NULL or a), in address
 * order, waiting for them without the GIL; memory_unlock gives them back.
 * Between the two, NOGIL runs libpgt's calls that read memory with the
 * GIL released. Refuses (RuntimeError, -1) a memory this thread holds
 * already: a callback that uses its own memory.
 */
struct unlocked {
	PyThreadState *ts;
	MemoryObject *m[2];
	int n;
};
int memory_lock(struct unlocked *u, MemoryObject *a, MemoryObject *b);
void memory_unlock(struct unlocked *u);
#define NOGIL(u, stmt)                                                                             \
	do {                                                                                       \
		(u)->ts = PyEval_SaveThread();                                                     \
		stmt;                                                                              \
		PyEval_RestoreThread((u)->ts);                                                     \
	} while (0)
/* The exception a callback of m raised during the last call, raised
 * again: -1; 0 when there is none. */
int memory_reraise(MemoryObject *m);

/* --- Tables (table.c, walks.c, diff.c) ----------------------------------- */

typedef struct {
	PyObject_HEAD
	struct pgt_table *t;
	MemoryObject *memory;
	struct pgt_walk *w;
	PyObject *name;
	PyObject *device; /* the Device it is the table of, or None */
	PyObject *weakrefs;
} TableObject;

extern PyTypeObject Table_Type;
extern PyTypeObject MappingIter_Type;
extern PyTypeObject WalkIter_Type;

/* A Table object owning t, over memory (referenced); NULL on failure, t
 * destroyed then. */
PyObject *table_wrap(struct pgt_table *t, MemoryObject *memory, PyObject *name,
		     PyObject *device);

/* Read t as kernel's: -1 with an exception naming it (name) when that
 * kernel lays it out otherwise. */
int table_set_kernel(struct pgt_table *t, enum pgt_kernel kernel, const char *name);
PyObject *problem_record(const struct pgt_problem *p);
/* Walks (walks.c): Table.mappings, leaves, walk, check, whereis. */
PyObject *table_mappings(TableObject *self, PyObject *args, PyObject *kw);
PyObject *table_leaves(TableObject *self, PyObject *args, PyObject *kw);
PyObject *table_walk(TableObject *self, PyObject *args, PyObject *kw);
PyObject *table_check(TableObject *self, PyObject *unused);
PyObject *table_whereis(TableObject *self, PyObject *args, PyObject *kw);
/* Comparisons (diff.c): Table.diff, Table.diff_descriptors. */
PyObject *table_diff(TableObject *self, PyObject *args, PyObject *kw);
PyObject *table_diff_descriptors(TableObject *self, PyObject *args);

/* --- IOMMUs (iommu.c) ------------------------------------------------------ */

extern PyTypeObject Iommu_Type;
PyObject *iommu_kinds(PyObject *module, PyObject *unused);

/* --- Scans (scan.c): pgt.scan, pgt.scan_iommu ------------------------------ */

PyObject *scan(PyObject *module, PyObject *args, PyObject *kw);
PyObject *iommu_scan(PyObject *module, PyObject *args, PyObject *kw);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A page table instance and the operations on it: the kernel's io_pgtable
 * ops (map_pages, unmap_pages, iova_to_phys), the iommu core's map/unmap
 * loops above them, and read-only walks for translate, dump and check.
 */
#ifndef PGT_TABLE_H
#define PGT_TABLE_H

#include "format.h"
#include "mem.h"

PGT_BEGIN_DECLS

struct pgt_table;

/* An iommu_iotlb_gather as the driver's iotlb_sync gets it from
 * generic_pt: the IOVA range to flush, the table pages freed after the
 * flush, and (PT_FEAT_DETAILED_GATHER) the levels of the leaves and of the
 * tables removed, bit 0 the level of the smallest pages. */
struct pgt_gather {
	pgt_addr start, end; /* inclusive */
	unsigned pages;
	uint8_t leaf_levels, table_levels;
};

/*
 * What the kernel would do, as it happens: the TLB maintenance io-pgtable
 * requests (struct iommu_flush_ops) and the map_pages/unmap_pages calls the
 * iommu core makes. Any member may be NULL.
 */
struct pgt_events {
	void (*flush_all)(void *cookie);
	void (*flush_walk)(pgt_addr iova, uint64_t size, uint64_t granule, void *cookie);
	void (*add_page)(pgt_addr iova, uint64_t granule, void *cookie);
	/* Called before the call is made, so that what it causes follows. */
	void (*map_pages)(pgt_addr iova, pgt_addr pa, uint64_t pgsize, uint64_t pgcount,
			  void *cookie);
	void (*unmap_pages)(pgt_addr iova, uint64_t pgsize, uint64_t pgcount, void *cookie);
	/* Maintenance an IOMMU driver does itself, where the format's code
	 * asks for it instead of io-pgtable callbacks (AMD v1's
	 * amd_iommu_domain_flush_pages, its device-table update on growth). */
	void (*driver)(const char *what, pgt_addr iova, uint64_t size, void *cookie);
	/* generic_pt: the driver's iotlb_sync, when iommu_iotlb_sync() calls
	 * it (after an unmap, after a map that freed tables, and where
	 * PT_FEAT_FLUSH_RANGE_NO_GAPS flushes a range disjoint from the one
	 * gathered). */
	void (*iotlb_sync)(const struct pgt_gather *g, void *cookie);
};

/*
 * A new, empty table: validates and narrows cfg as the kernel's
 * alloc_io_pgtable_ops() does and allocates the root(s) in arena.
 * The table does not own the memory.
 */
PGT_EXPORT int pgt_table_create(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
		     struct pgt_mem *arena, struct pgt_table **out, struct pgt_error *err);

/* Would pgt_table_create accept cfg? The kernel's alloc checks alone,
 * with no memory: a refusal here is the kernel's, not the input's. */
PGT_EXPORT int pgt_table_check_config(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
			   struct pgt_error *err);

/* A table that already exists in mem at the given root(s). */
PGT_EXPORT int pgt_table_attach(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
		     struct pgt_mem *mem, const pgt_addr *roots, unsigned n_roots,
		     struct pgt_table **out, struct pgt_error *err);

/* Read and edit t as the given kernel's from now on: that kernel's rules
 * over the same memory and roots, where its layout of the table is the same
 * (-EINVAL, t unchanged, where it is not). PGT_KERNEL_DEFAULT, or t's own
 * kernel, changes nothing. An open journal records the change. */
PGT_EXPORT int pgt_table_set_kernel(struct pgt_table *t, enum pgt_kernel kernel,
				    struct pgt_error *err);

PGT_EXPORT void pgt_table_destroy(struct pgt_table *t);

PGT_EXPORT const struct pgt_format *pgt_table_format(const struct pgt_table *t);
/* The configuration after the format narrowed it. */
PGT_EXPORT const struct pgt_cfg *pgt_table_cfg(const struct pgt_table *t);
/* The kernel whose behaviour and bits the table reproduces. */
PGT_EXPORT enum pgt_kernel pgt_table_kernel(const struct pgt_table *t);
PGT_EXPORT const struct pgt_geometry *pgt_table_geometry(const struct pgt_table *t);
/* The root tables' addresses: how many there are, at most max of them into
 * roots (PGT_MAX_ROOTS is the most a format has). */
PGT_EXPORT unsigned pgt_table_roots(const struct pgt_table *t, pgt_addr *roots, unsigned max);
PGT_EXPORT struct pgt_mem *pgt_table_mem(const struct pgt_table *t);
/* The table's output registers (struct io_pgtable_cfg's, as the kernel
 * computes them); the caller frees them with pgt_regs_free. */
PGT_EXPORT int pgt_table_registers(const struct pgt_table *t, struct pgt_regs **out,
				   struct pgt_error *err);
PGT_EXPORT void pgt_table_set_events(struct pgt_table *t, const struct pgt_events *ev,
				     void *cookie);
/* Decode one descriptor found at the given depth. */
PGT_EXPORT void pgt_table_decode(const struct pgt_table *t, unsigned depth, uint64_t raw,
		      struct pgt_entry *e);
/* The leaf descriptor the format writes for this page and prot. */
PGT_EXPORT uint64_t pgt_table_encode_leaf(const struct pgt_table *t, unsigned depth,
					  uint64_t pgsize,
			       pgt_addr pa, unsigned prot);
PGT_EXPORT size_t pgt_table_fields(const struct pgt_table *t, unsigned depth, uint64_t raw,
			struct pgt_field *out, size_t max);
/* Do two geometries lay out table memory alike (levels, their index bits
 * and spans, roots, descriptor size)? Then one table's memory reads as the
 * other's. */
PGT_EXPORT bool pgt_geometry_same_layout(const struct pgt_geometry *x,
					 const struct pgt_geometry *y);

/* --- The kernel's io_pgtable ops ------------------------------------- */
/* Every operation takes a non-NULL err, filled in when it fails. */

/*
 * io_pgtable_ops.map_pages(): maps at most up to the end of the current
 * table and reports how much in *mapped, exactly as the kernel does.
 * Returns 0 or the kernel's negative errno, with err explaining.
 */
PGT_EXPORT int pgt_map_pages(struct pgt_table *t, pgt_addr iova, pgt_addr pa, uint64_t pgsize,
		  uint64_t pgcount, unsigned prot, uint64_t *mapped, struct pgt_error *err);

/* Unmap behaviour when a range covers only part of a block. */
enum pgt_split {
	PGT_SPLIT_REFUSE, /* since 6.13: refused, nothing changes */
	PGT_SPLIT_612,	  /* 6.12: the block is split */
};

struct pgt_unmap_opts {
	enum pgt_split split;
	/* The iommu_iotlb_gather: iommu_unmap() passes one that is not queued. */
	bool gather;
	bool gather_queued;
};

/*
 * io_pgtable_ops.unmap_pages(): 0 with *unmapped the bytes the kernel's
 * unmap_pages returns (less than asked where it stopped, err saying why),
 * or a negative errno when it unmapped nothing.
 */
PGT_EXPORT int pgt_unmap_pages(struct pgt_table *t, pgt_addr iova, uint64_t pgsize,
			       uint64_t pgcount, const struct pgt_unmap_opts *opts,
			       uint64_t *unmapped, struct pgt_error *err);

/* io_pgtable_ops.iova_to_phys(): 0 when not mapped, like the kernel. */
PGT_EXPORT pgt_addr pgt_iova_to_phys(struct pgt_table *t, pgt_addr iova);

/* --- The iommu core's loops (drivers/iommu/iommu.c) ------------------ */

enum pgt_map_flags {
	/*
	 * Apply the kernel's map_pages as it is: a block mapped over a table
	 * tears the table down with every page in it (arm_lpae_init_pte()).
	 * Without it, a range with anything mapped in it is refused (-EEXIST).
	 */
	PGT_MAP_REPLACE = 1u << 0,
};

/*
 * iommu_map(): split [iova, iova + size) into the largest page sizes that
 * alignment allows (iommu_pgsize()), or into force_pgsize pages when it is
 * non-zero. On failure the table may hold a partial mapping; callers that
 * need all-or-nothing work on a copy (pgt_table_clone).
 */
PGT_EXPORT int pgt_map(struct pgt_table *t, pgt_addr iova, pgt_addr pa, uint64_t size,
		       unsigned prot,
	    uint64_t force_pgsize, unsigned flags, struct pgt_error *err);

/*
 * iommu_unmap(): unmaps in the largest page sizes that fit, stopping where
 * the kernel stops. Returns 0 when all of [iova, iova + size) was unmapped,
 * else a negative errno with err saying where and why it stopped.
 */
PGT_EXPORT int pgt_unmap(struct pgt_table *t, pgt_addr iova, uint64_t size, enum pgt_split split,
	      uint64_t *unmapped, struct pgt_error *err);

/* The page size iommu_pgsize() picks and how many pages of it. */
PGT_EXPORT uint64_t pgt_iommu_pgsize(uint64_t pgsize_bitmap, pgt_addr iova, pgt_addr pa,
				     uint64_t size,
			  uint64_t *count);

/* --- Walks ------------------------------------------------------------ */

enum pgt_stop {
	PGT_STOP_LEAF,	   /* translated */
	PGT_STOP_EMPTY,	   /* an empty descriptor: not mapped */
	PGT_STOP_BAD,	   /* a descriptor the walker cannot accept */
	PGT_STOP_OUTSIDE,  /* a table or descriptor outside known memory */
	PGT_STOP_EXCLUDED, /* in a page the dump left out */
	PGT_STOP_LOOP,	   /* a table pointer back up the walk */
	PGT_STOP_RANGE,	   /* the IOVA is outside the table's input range */
	PGT_STOP_BOTTOM,   /* a table pointer at the last level */
	PGT_STOP_UNREADABLE, /* in a page of a dump that cannot be read */
};

struct pgt_walk_step {
	unsigned depth;
	unsigned label;
	unsigned index;
	pgt_addr table_pa;
	pgt_addr desc_pa;
	struct pgt_entry e;
};

/* One IOVA's walk: made once, filled by each pgt_translate. */
struct pgt_walk;
PGT_EXPORT int pgt_walk_new(struct pgt_walk **out, struct pgt_error *err);
PGT_EXPORT void pgt_walk_free(struct pgt_walk *w);

/* Walk one IOVA, keeping every level's descriptor. Never follows a pointer
 * outside memory. Returns true when the IOVA translates. */
PGT_EXPORT bool pgt_translate(struct pgt_table *t, pgt_addr iova, struct pgt_walk *w);
/* pgt_translate of n IOVAs, iova[i] into the walk w[i] (n distinct walks),
 * faster than one at a time (their memory accesses overlap, and IOVAs near
 * each other share the steps they have in common); returns how many
 * translate. */
PGT_EXPORT size_t pgt_translate_many(struct pgt_table *t, const pgt_addr *iova, size_t n,
				     struct pgt_walk *const *w);

PGT_EXPORT pgt_addr pgt_walk_iova(const struct pgt_walk *w);
/* Which root the walk started from (several split the IOVA space: DART). */
PGT_EXPORT unsigned pgt_walk_root(const struct pgt_walk *w);
/* The descriptors read, root first: how many, and each (i below that). */
PGT_EXPORT unsigned pgt_walk_steps(const struct pgt_walk *w);
PGT_EXPORT const struct pgt_walk_step *pgt_walk_at(const struct pgt_walk *w, unsigned i);
PGT_EXPORT enum pgt_stop pgt_walk_stop(const struct pgt_walk *w);
/* PGT_STOP_LEAF: the translation. */
PGT_EXPORT pgt_addr pgt_walk_pa(const struct pgt_walk *w);
/* For every stop but PGT_STOP_LEAF: why the walk stopped, in a sentence. */
PGT_EXPORT const char *pgt_walk_why(const struct pgt_walk *w);

PGT_EXPORT const char *pgt_stop_name(enum pgt_stop stop);

/* One leaf entry met by a range walk. */
struct pgt_leaf {
	pgt_addr iova;	   /* first IOVA this entry translates */
	uint64_t span;	   /* bytes this one entry translates */
	pgt_addr pa;	   /* output address of iova */
	uint64_t size;	   /* page size the entry belongs to */
	unsigned count;	   /* entries of that page */
	unsigned prot;
	unsigned depth, label;
	pgt_addr desc_pa;
	uint64_t raw;
};

/* Something wrong met by a range walk (check, and dump's warnings). */
struct pgt_problem {
	enum pgt_stop kind;
	unsigned depth, label;
	pgt_addr iova;
	pgt_addr last; /* the last IOVA under the descriptor (or root) at fault */
	pgt_addr desc_pa;
	uint64_t raw;
	const char *why; /* the walk's: valid until its next item or callback */
};

/* A table met by a range walk, with the descriptor that led to it. */
struct pgt_table_visit {
	unsigned depth, label;
	pgt_addr iova; /* first IOVA the table translates */
	pgt_addr pa;
	uint64_t bytes;
	pgt_addr desc_pa; /* the parent's descriptor; 0 for a root */
	uint64_t raw;
	unsigned root; /* which root the walk is under */
};

/* Callbacks return non-zero to stop the walk; that value is returned. */
struct pgt_visitor {
	int (*table)(void *ctx, const struct pgt_table_visit *tv);
	int (*leaf)(void *ctx, const struct pgt_leaf *leaf);
	int (*problem)(void *ctx, const struct pgt_problem *p);
	/* Descriptor-level checks beyond the walk (reserved bits, alignment). */
	bool check_descriptors;
	/* Tables only: the entries of a table that can hold no tables (the
	 * last level) are not read, so no leaf of it is visited. */
	bool tables_only;
	void *ctx;
};

/*
 * Visit every table and leaf whose IOVA range meets [lo, hi], in IOVA
 * order, tables before their contents. A table reached twice, a loop, or a
 * pointer outside memory is reported as a problem and not followed.
 */
PGT_EXPORT int pgt_walk_range(struct pgt_table *t, pgt_addr lo, pgt_addr hi,
			      const struct pgt_visitor *v);

/*
 * Walk the whole table for its first problem: 0 when there is none, else
 * -EUCLEAN with err "the table is malformed: level N descriptor ... at ...:
 * why" (or -ENOMEM). For what must not copy or edit a broken tree; the
 * code tells a readable file holding a broken table from an unreadable one.
 * A table libpgt built (pgt_table_create, then map and unmap only), or one
 * found sound before, is sound without a walk: whoever writes a table's
 * memory behind libpgt's back attaches to it again.
 */
PGT_EXPORT int pgt_table_check_sound(struct pgt_table *t, struct pgt_error *err);

/* The same walk as an iterator, for merging walks (diff). */
struct pgt_iter;
enum pgt_item_kind {
	PGT_ITEM_TABLE,
	PGT_ITEM_LEAF,
	PGT_ITEM_PROBLEM,
	PGT_ITEM_TABLE_END, /* with PGT_ITER_ENDS: a table's entries are done */
};
struct pgt_item {
	enum pgt_item_kind kind;
	struct pgt_table_visit table; /* TABLE and TABLE_END */
	struct pgt_leaf leaf;
	struct pgt_problem problem;
};
enum pgt_iter_flags {
	/* also the descriptor checks of pgt_visitor.check_descriptors */
	PGT_ITER_CHECK = 1u << 0,
	/* a TABLE_END item after each table's contents */
	PGT_ITER_ENDS = 1u << 1,
	/* as pgt_visitor.tables_only: no leaf of the last level is read */
	PGT_ITER_TABLES_ONLY = 1u << 2,
};
PGT_EXPORT int pgt_iter_new(struct pgt_table *t, pgt_addr lo, pgt_addr hi, unsigned flags,
			    struct pgt_iter **out, struct pgt_error *err);
/* 1 and the next item (valid until the next call), 0 at the end, or a
 * negative errno. */
PGT_EXPORT int pgt_iter_next(struct pgt_iter *it, const struct pgt_item **item);
/* Right after a TABLE item: do not walk that table (no TABLE_END comes for
 * it); for a walker that knows what is below it already (scan). */
PGT_EXPORT void pgt_iter_skip(struct pgt_iter *it);
PGT_EXPORT void pgt_iter_free(struct pgt_iter *it);

/* The first leaf in [iova, iova + size), if any: 1 and *leaf filled. */
PGT_EXPORT int pgt_first_leaf(struct pgt_table *t, pgt_addr iova, uint64_t size,
			      struct pgt_leaf *leaf);

/* --- Finding tables ---------------------------------------------------- */

struct pgt_scan_candidate {
	pgt_addr root;
	int64_t score;	   /* higher is more plausible */
	uint64_t tables;   /* tables below it, itself included */
	uint64_t leaves;   /* leaf descriptors */
	uint64_t mapped;   /* bytes they translate */
	uint64_t problems; /* malformed descriptors, bad pointers, loops */
	pgt_addr lo, hi;   /* the IOVA span of its leaves */
};

/* What a scan may spend. */
struct pgt_scan_opts {
	/* descriptors the walks may read in all; 0: PGT_SCAN_BUDGET */
	uint64_t budget;
	/* threads for the first pass; 0: one per core */
	unsigned threads;
};
#define PGT_SCAN_BUDGET (1ull << 30)

/*
 * Find candidate root tables of a format in memory: every aligned table in
 * the data of memory is tried as a root, those whose entries all decode
 * and whose table pointers stay in memory are walked, and scored by how
 * plausible the tree below is. The best max_out, best first, go to out and
 * their count to *n_out. Returns 0; -E2BIG when the walks ran out of their
 * budget (out then holds the best found before), with err saying so; or
 * another negative errno. opts may be NULL.
 */
PGT_EXPORT int pgt_scan_with(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
			     struct pgt_mem *mem,
		  const struct pgt_scan_opts *opts, struct pgt_scan_candidate *out, size_t max_out,
		  size_t *n_out, struct pgt_error *err);
/* The same with the default budget and threads: the count found, or a
 * negative errno (-E2BIG: the budget ran out). */
PGT_EXPORT int pgt_scan(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
			struct pgt_mem *mem,
	     struct pgt_scan_candidate *out, size_t max_out, struct pgt_error *err);

/* pgt_scan_levels's flags */
enum {
	/* the caller does not know the level count (no ias, no option of the
	 * format's that picks it): scan at each pgt_format_level_counts gives */
	PGT_SCAN_EVERY_LEVEL_COUNT = 1u << 0,
};

/*
 * pgt_scan_with, at every level count the kernel builds the format with
 * when flags has PGT_SCAN_EVERY_LEVEL_COUNT (a table read at the wrong
 * count reads every level wrong, so the right count scores best), else
 * at cfg's. A count the kernel refuses with the rest of cfg is skipped;
 * a root found at several counts is kept at the one it scores best at; a
 * tree found whole at two counts under different roots (a page pointing
 * at a root reads as a level above it) is kept at cfg's count, else the
 * fewer. levels[i] (levels may be NULL) is the count out[i] was read at.
 * Returns 0; -E2BIG when a scan ran out of its budget (opts' budget is
 * each count's; out then holds the best found before, and no further
 * count is tried), err saying so; the kernel's refusal of cfg when it
 * refuses every count (pgt_table_check_config's); -EINVAL with
 * PGT_REMEDY_SMALLER_IAS when the table has several roots; or another
 * negative errno. Since 0.2.0 (LIBPGT_0.2).
 */
PGT_EXPORT int pgt_scan_levels(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
			       struct pgt_mem *mem, const struct pgt_scan_opts *opts, unsigned flags,
			       struct pgt_scan_candidate *out, unsigned *levels, size_t max_out,
			       size_t *n_out, struct pgt_error *err);

/* --- Whole-table operations ------------------------------------------ */

/* A deep copy in a fresh arena laid out canonically: roots first, then
 * every table in depth-first IOVA order. Empty tables are kept. */
PGT_EXPORT int pgt_table_clone(struct pgt_table *t, pgt_addr base, struct pgt_mem **arena_out,
		    struct pgt_table **out, struct pgt_error *err);

/*
 * Undo. Between pgt_journal_begin and pgt_journal_end, every change map and
 * unmap make to a table in an arena (its descriptors, the tables allocated
 * and freed, the roots of a table that grows), and pgt_table_set_kernel to
 * any table, is recorded as what it replaced; pgt_journal_undo then puts
 * the table and its arena back exactly as they were, to the next
 * allocation. A journal costs what its edit changed. Journals of
 * successive edits are undone newest first; changes made outside a journal
 * void those opened before them.
 */
struct pgt_journal;
/* Open a journal of t's next changes; one is open on a table at a time. */
PGT_EXPORT int pgt_journal_begin(struct pgt_table *t, struct pgt_journal **out,
				 struct pgt_error *err);
/* Close t's journal: 0, -ENOMEM when a change could not be recorded (that
 * journal cannot undo: free it), or -EINVAL when none is open. */
PGT_EXPORT int pgt_journal_end(struct pgt_table *t, struct pgt_error *err);
/* Undo what j recorded, and free j. */
PGT_EXPORT void pgt_journal_undo(struct pgt_table *t, struct pgt_journal *j);
PGT_EXPORT void pgt_journal_free(struct pgt_journal *j);

/* Where the table's memory starts: the arena's base, or the lowest range. */
PGT_EXPORT pgt_addr pgt_table_mem_base(const struct pgt_table *t);

/* A run of leaves that map consecutive IOVAs to consecutive PAs with the
 * same prot (and, when asked, the same page size). */
struct pgt_range {
	pgt_addr iova;
	pgt_addr pa;
	uint64_t size;
	unsigned prot;
	uint64_t pgsize; /* the page size, when the run has one; else 0 */
	unsigned label;	 /* level of its leaves, when they share one */
	uint64_t leaves; /* descriptors in the run */
};

/*
 * Walk [lo, hi] and report coalesced runs in IOVA order. by_pgsize keeps
 * runs of different page sizes apart. problem may be NULL.
 */
PGT_EXPORT int pgt_walk_ranges(struct pgt_table *t, pgt_addr lo, pgt_addr hi, bool by_pgsize,
		    int (*fn)(void *ctx, const struct pgt_range *r),
		    int (*problem)(void *ctx, const struct pgt_problem *p), void *ctx);

/* The same runs one at a time: 1 and *out, 0 at the end, or a negative
 * errno (-ECANCELED when problem asked to stop). */
struct pgt_runs;
PGT_EXPORT int pgt_runs_new(struct pgt_table *t, pgt_addr lo, pgt_addr hi, bool by_pgsize,
			    int (*problem)(void *ctx, const struct pgt_problem *p), void *ctx,
			    struct pgt_runs **out, struct pgt_error *err);
PGT_EXPORT int pgt_runs_next(struct pgt_runs *r, struct pgt_range *out);
PGT_EXPORT void pgt_runs_free(struct pgt_runs *r);

/* Lowest IOVA, and highest, that the table can translate. */
PGT_EXPORT pgt_addr pgt_table_iova_min(const struct pgt_table *t);
PGT_EXPORT pgt_addr pgt_table_iova_max(const struct pgt_table *t);
/* The IOVA ranges the table translates, [lo[i], hi[i]]: one, or for a
 * sign-extended table its two halves; returns how many. */
PGT_EXPORT unsigned pgt_table_iova_spans(const struct pgt_table *t, pgt_addr lo[2], pgt_addr hi[2]);

PGT_END_DECLS

#endif

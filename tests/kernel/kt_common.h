/* SPDX-License-Identifier: MIT */
/*
 * The machinery the differential tests of libpgt against the kernel oracle
 * share for ARM_V7S (t_kernel_v7s.c), APPLE_DART/APPLE_DART2
 * (t_kernel_dart.c) and AMD_IOMMU_V1 (t_kernel_amd.c): TAP output, seeded
 * randomness, and a pair of tables, the kernel's and libpgt's, driven by the
 * same io_pgtable operations and compared call by call:
 *   - return values (errno, bytes mapped/unmapped), and WARNs vs errors;
 *   - the events: io-pgtable's TLB callbacks, AMD's driver calls;
 *   - iova_to_phys at sampled IOVAs;
 *   - every descriptor, found by a walker of the test's own per format (leaf
 *     descriptors raw; table descriptors with the address bits masked), and
 *     pgt_walk_range's view of both tables;
 *   - libpgt attached to the kernel's memory (a pgt_mem over the simulated
 *     physical memory, and a raw file of it).
 * Only libpgt's public API is used. A test file describes its format (struct
 * kt_fmt), writes the oracle self-checks and the directed sequences, and
 * plans the configurations.
 */
#ifndef KT_COMMON_H
#define KT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pgt/table.h"

#include "oracle.h"

#define KT_4K ((uint64_t)1 << 12)
#define KT_16K ((uint64_t)1 << 14)
#define KT_64K ((uint64_t)1 << 16)
#define KT_1M ((uint64_t)1 << 20)
#define KT_2M ((uint64_t)1 << 21)
#define KT_16M ((uint64_t)1 << 24)
#define KT_32M ((uint64_t)1 << 25)
#define KT_1G ((uint64_t)1 << 30)

/* --- TAP -------------------------------------------------------------- */

extern bool kt_verbose; /* -v: the kernel's WARNs and printks go to stderr */

void kt_plan(unsigned n);
void kt_tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "# N of M failed"; the exit status. */
int kt_finish(void);

/* A category of comparison: counts failures, prints the first few. */
struct kt_check {
	const char *name;
	unsigned long n, fails;
};
void kt_check_fail(struct kt_check *c, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Expectations of a self-check: the first failure is kept for the TAP line,
 * every failure is printed as a diagnostic. */
struct kt_expect {
	unsigned n, fails;
	char first[400];
};
void kt_expect(struct kt_expect *e, bool cond, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* One TAP point for a self-check. */
void kt_expect_tap(const struct kt_expect *e, const char *what);

/* Common options: -v -q -s SEED -n OPS. Returns false on a usage error.
 * Also arms a watchdog: after KT_TIMEOUT seconds (environment; default
 * 1800) the test prints "Bail out!" with the operation it was in, and
 * exits 3. */
struct kt_opts {
	uint64_t seed;
	unsigned nops;
	bool quick;
};
bool kt_options(int argc, char **argv, struct kt_opts *o);

/* --- randomness --------------------------------------------------------- */

void kt_seed(uint64_t seed);
uint64_t kt_rnd(void);
/* Uniform in [0, n); n == 0: the whole 64-bit range. */
uint64_t kt_rnd_below(uint64_t n);
bool kt_chance(unsigned percent);

/* --- libpgt's side: is the format there at all ----------------------- */

/*
 * True when libpgt implements the format: pgt_format_available(), and a
 * table with the format's default configuration can be created (not
 * -EOPNOTSUPP). why gets the reason when not.
 */
bool kt_implemented(const char *name, char *why, size_t len);

/* --- events ------------------------------------------------------------ */

enum kt_ev_kind {
	KT_FLUSH_ALL,
	KT_FLUSH_WALK,
	KT_ADD_PAGE,
	KT_AMD_FLUSH_PAGES, /* amd_iommu_domain_flush_pages(iova, size) */
	KT_AMD_UPDATE_DTE,  /* amd_iommu_update_and_flush_device_table() */
	KT_DRIVER_OTHER,    /* a libpgt driver event of another name */
};

/*
 * libpgt reports AMD's driver calls through pgt_events.driver(what, iova,
 * size). GUESS at libpgt's future naming: `what` is the kernel function's
 * name, exactly these two strings (iova/size of the flush are the kernel's
 * arguments; the device-table update has none, and its iova/size are not
 * compared: the new root and mode are compared as registers instead).
 */
#define KT_DRIVER_FLUSH_PAGES "amd_iommu_domain_flush_pages"
#define KT_DRIVER_UPDATE_DTE "amd_iommu_update_and_flush_device_table"

struct kt_ev {
	enum kt_ev_kind kind;
	uint64_t iova, size, granule;
	char what[48];
};

struct kt_evv {
	struct kt_ev *v;
	size_t n, cap;
};

const char *kt_ev_name(enum kt_ev_kind k);

/* --- descriptors -------------------------------------------------------- */

enum kt_ent_kind { KT_LEAF, KT_TABLE, KT_JUNK };

/*
 * One non-zero descriptor, as a walker found it. Tables: raw with the
 * address bits masked. Leaves: what pgt_leaf says of the entry; pa is the
 * output address of the entry's first IOVA as the entry itself gives it
 * (what a hardware walk that reaches this entry uses).
 *
 * kernel_differs: the kernel's iova_to_phys() does not use this entry for
 * its IOVAs. AMD only: an entry of a level-7 group that is no longer whole
 * (a smaller page was mapped over part of it, which 6.12 allows):
 * iova_to_phys() reads the group's first entry instead (first_pte_l7()).
 * CHOICE made here for libpgt: pgt_iova_to_phys() (the kernel's op) must
 * give the kernel's answer, and pgt_translate() and pgt_walk_range() (walks
 * of the descriptors) the entry's own. Everywhere else the three agree.
 */
struct kt_ent {
	uint64_t iova;
	uint64_t raw;
	uint64_t span, size, pa; /* leaves */
	unsigned count;		 /* leaves: entries of the page */
	uint16_t label;
	uint8_t kind;
	bool kernel_differs;
};

struct kt_entv {
	struct kt_ent *v;
	size_t n, cap;
};
void kt_entv_add(struct kt_entv *e, struct kt_ent x);

typedef const uint8_t *(*kt_ptr_fn)(void *ctx, uint64_t pa, uint64_t len);

/* Where a format's walker reads memory and puts what it finds. */
struct kt_walker {
	kt_ptr_fn ptr;
	void *ctx;
	struct kt_entv *out;
	unsigned long tables; /* tables met, roots included */
	unsigned long unreadable;
};

/* --- the format, the configuration, the pair ---------------------------- */

struct kt_pair;

struct kt_fmt {
	const char *name; /* libpgt's name */
	enum oracle_fmt kf;
	/*
	 * The test's own walker of one table: every non-zero descriptor in IOVA
	 * order (a table descriptor before the table's contents). mode: AMD's
	 * number of levels.
	 */
	void (*walk)(const struct kt_pair *p, struct kt_walker *w, const uint64_t *roots,
		     unsigned n_roots, unsigned mode);
	/* The label of the level whose descriptor points to a table of this
	 * label (pgt_table_visit.label). */
	unsigned (*parent_label)(unsigned table_label);
	/* The bits of a table descriptor that hold the table's address. */
	uint64_t (*table_addr_bits)(const struct kt_pair *p);
	/* libpgt's registers and geometry vs the kernel's; append to msg. */
	bool (*compare_regs)(struct kt_pair *p, char *msg, size_t len);
	bool (*check_geometry)(struct kt_pair *p, char *msg, size_t len);
	/* The kernel's unmap_pages, or a corrected expectation of it (v7s).
	 * NULL: oracle_unmap_pages() as it is. */
	uint64_t (*kernel_unmap)(struct kt_pair *p, uint64_t iova, uint64_t pgsize,
				 uint64_t pgcount, enum oracle_gather g);
	/* A page size for a random operation; NULL: uniform over the bitmap. */
	uint64_t (*pick_size)(struct kt_pair *p);
	/* The directed sequence of the format (kt_do_map/kt_do_unmap). */
	void (*directed)(struct kt_pair *p);
	/* When the leaf holding iova in the kernel's table is one whose
	 * iova_to_phys() is not the entry's own translation (kt_ent), true and
	 * *pa the entry's own, *head_is_table whether the entry iova_to_phys()
	 * reads instead is a table pointer (whose address is the allocator's
	 * choice, so the kernel's answer is compared by rule, not value).
	 * NULL: never. */
	bool (*entry_translation)(struct kt_pair *p, uint64_t iova, uint64_t *pa,
				  bool *head_is_table);
	/* A kernel WARN means a libpgt error, and the reverse (v7s, DART). */
	bool warns_are_errors;
	/* Registers change with operations (AMD root and mode): compare them
	 * after every call. */
	bool regs_follow_ops;
	/* The kernel can lose tables it allocated (AMD 6.12: an unmap through
	 * a level-7 group that is no longer whole clears the group's other
	 * entries, table descriptors included, and the tables under them are
	 * never freed): counted and reported, not a failure. */
	bool kernel_orphans_tables;
};

struct kt_run {
	const struct kt_fmt *f;
	struct oracle_cfg kin;
	struct pgt_cfg pin;
	uint64_t kbase, klen; /* the kernel's simulated memory */
	uint64_t arena;	      /* libpgt's arena base */
	unsigned nops;
	/* IOVAs and PAs the operations use: below space and pa_limit (0: 2^ias,
	 * 2^oas); a window of 4 * top at wbase (UINT64_MAX: random); counts
	 * reach past `batch` entries (a leaf table's). */
	uint64_t space, pa_limit, top, wbase;
	unsigned batch;
	char label[200];
};

/* libpgt's view of the kernel's simulated physical memory. */
struct kt_kview {
	struct pgt_mem mem;
	struct oracle *k;
};

struct kt_pair {
	const struct kt_run *rc;
	const struct kt_fmt *f;
	const char *label;
	struct oracle *k;
	struct oracle_cfg kcfg;
	const struct pgt_format *pf;
	struct pgt_cfg pcfg;
	struct pgt_mem *arena;
	struct pgt_table *t;
	struct kt_evv plog;
	struct kt_kview kv;
	struct pgt_table *kt; /* libpgt attached to the kernel's memory */
	uint64_t kt_roots[4];
	unsigned kt_n_roots, kt_mode;

	uint64_t sizes[64];
	unsigned n_sizes;
	uint64_t granule, top, space, pa_limit, wbase, wsize;
	unsigned batch;
	uint64_t hot[64];
	unsigned n_hot;

	struct kt_check c_ops, c_ev, c_desc, c_phys, c_attach, c_warn, c_regs;
	unsigned long n_map_calls, n_unmap_calls, n_eexist, n_holes, n_partial, n_splits, n_events,
		n_samples;
	/* corrected expectations (v7s): split tables given their PA back, and
	 * kernel unmaps carried on past a 0 that libpgt does not return */
	unsigned long n_corrections, n_continued;
	long kernel_orphans; /* tables the kernel lost, at the last comparison */
};

/* Both tables; 0, or -1 with msg saying why. */
int kt_pair_open(struct kt_pair *p, const struct kt_run *rc, char *msg, size_t len);
void kt_pair_close(struct kt_pair *p);

/* The window: IOVA of an offset into it. */
uint64_t kt_W(const struct kt_pair *p, uint64_t off);

/* One map request as the iommu core makes it (map_pages until all is
 * mapped or a call fails) on both tables, compared. Returns bytes mapped. */
uint64_t kt_do_map(struct kt_pair *p, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t pgcount,
		   unsigned prot);
/* One unmap request as iommu_unmap makes it; libpgt with PGT_SPLIT_612. */
uint64_t kt_do_unmap(struct kt_pair *p, uint64_t iova, uint64_t pgsize, uint64_t pgcount,
		     enum oracle_gather gather);
/* Every descriptor of both tables, and pgt_walk_range of both. */
void kt_compare_structure(struct kt_pair *p, const char *when);
/* iova_to_phys of both, and pgt_translate on the kernel's memory. */
void kt_sample_phys(struct kt_pair *p, uint64_t iova);
void kt_random_ops(struct kt_pair *p, unsigned nops);

/* Read the kernel's memory (NULL outside it). */
const uint8_t *kt_kernel_ptr(const struct kt_pair *p, uint64_t pa, uint64_t len);

#define KT_POINTS_PER_RUN 9
/* Open, check, run the directed and random sequences and print
 * KT_POINTS_PER_RUN TAP points. */
void kt_run_config(const struct kt_run *rc);

/* The allocation grid: run fn over every combination and print one point. */
struct kt_grid {
	const struct kt_fmt *f;
	const uint64_t *bitmaps;
	size_t n_bitmaps;
	const unsigned *iass, *oass;
	size_t n_iass, n_oass;
	const uint64_t *quirks;
	size_t n_quirks;
	const unsigned *modes; /* AMD: amd_mode values; else NULL */
	size_t n_modes;
	uint64_t kbase, arena; /* table memory of both (same class) */
	const char *label;
};
void kt_grid_run(const struct kt_grid *g);

/* prot letters, for messages */
const char *kt_prot_str(unsigned prot, char buf[16]);

#endif

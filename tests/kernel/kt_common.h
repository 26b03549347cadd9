/* SPDX-License-Identifier: MIT */
/*
 * The machinery the differential tests of libpgt against the kernel oracle
 * share: t_kernel_lpae.c (the five LPAE formats), t_kernel_v7s.c (ARM_V7S),
 * t_kernel_dart.c (APPLE_DART, APPLE_DART2) and t_kernel_amd.c
 * (AMD_IOMMU_V1). TAP output, seeded randomness, and a pair of tables, the
 * kernel's and libpgt's, driven by the same io_pgtable operations and
 * compared call by call:
 *   - return values (errno, bytes mapped/unmapped), and WARNs vs errors;
 *   - the events: io-pgtable's TLB callbacks, AMD's driver calls;
 *   - iova_to_phys at sampled IOVAs;
 *   - the registers and the geometry, against the kernel's cfg and facts;
 *   - every descriptor, found by the test's own walker (leaf descriptors
 *     raw; table descriptors with the address bits masked), and
 *     pgt_walk_range's view of both tables;
 *   - libpgt attached to the kernel's memory (a pgt_mem over the simulated
 *     physical memory, and a raw file of it).
 * Only libpgt's public API is used. A test file describes its formats
 * (struct kt_fmt: the descriptor rules and the geometry as the kernel has
 * them, the registers it expects), writes the oracle self-checks and the
 * directed sequences, and plans the configurations (struct kt_suite).
 */
#ifndef KT_COMMON_H
#define KT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "kt_kview.h"

#include "oracle.h"

#define KT_4K ((uint64_t)1 << 12)
#define KT_16K ((uint64_t)1 << 14)
#define KT_64K ((uint64_t)1 << 16)
#define KT_1M ((uint64_t)1 << 20)
#define KT_2M ((uint64_t)1 << 21)
#define KT_16M ((uint64_t)1 << 24)
#define KT_32M ((uint64_t)1 << 25)
#define KT_512M ((uint64_t)1 << 29)
#define KT_1G ((uint64_t)1 << 30)
#define KT_4T ((uint64_t)1 << 42)

#define KT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- TAP -------------------------------------------------------------- */

void kt_plan(unsigned n);
void kt_tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "# N of M failed"; the exit status (a failure too when the number of
 * points is not the plan's). */
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
/* A self-check's oracle: false when there is none, the self-check's point
 * `what` then printed, failed. */
bool kt_expect_oracle(struct kt_expect *e, const struct oracle *o, const char *what);

/* Append to a message of len bytes. */
void kt_append(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* --- randomness --------------------------------------------------------- */

void kt_seed(uint64_t seed);
uint64_t kt_rnd(void);
/* Uniform in [0, n); n == 0: the whole 64-bit range. */
uint64_t kt_rnd_below(uint64_t n);
bool kt_chance(unsigned percent);

/* --- configurations ----------------------------------------------------- */

/* The inputs of an io_pgtable_cfg, given alike to both sides. */
struct kt_cfg {
	uint64_t quirks, pgsize_bitmap;
	unsigned ias, oas;
	bool coherent;
	unsigned amd_mode; /* AMD: 1..6, 0 the kernel's own 3 (oracle_cfg.amd) */
};
void kt_oracle_cfg(const struct kt_cfg *c, struct oracle_cfg *out);
/* The kernel the oracle is: libpgt's tables reproduce it. */
enum pgt_kernel kt_kernel(void);
/* pf: the format, whose option "mode" (if any) gets amd_mode; may be NULL */
void kt_pgt_cfg(const struct pgt_format *pf, const struct kt_cfg *c, struct pgt_cfg *out);
/* The kernel's alloc of c with its table memory at [base, base + len);
 * NULL when refused. out (may be NULL): the cfg as alloc left it. */
struct oracle *kt_oracle_new(enum oracle_fmt f, const struct kt_cfg *c, uint64_t base, uint64_t len,
			     struct oracle_cfg *out);

/* "arm-ns,no-perms": the quirks' names in labels. */
const char *kt_quirk_names(uint64_t quirks, char *buf, size_t len);
/* prot letters, for messages */
const char *kt_prot_str(unsigned prot, char buf[16]);

/* --- the oracle alone, for self-checks ------------------------------------ */

uint64_t kt_omap(struct oracle *o, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t pgcount,
		 unsigned prot, int *rc);
unsigned long kt_owarns(struct oracle *o);
long kt_olive(struct oracle *o); /* table blocks allocated */
/* A descriptor in the simulated memory (0 outside it). */
uint64_t kt_ord64(struct oracle *o, uint64_t pa);
uint32_t kt_ord32(struct oracle *o, uint64_t pa);
/* The event log since the last oracle_tlb_clear(), as a string:
 * "F" flush_all, "W(iova,size,granule)" flush_walk, "A(iova,granule)"
 * add_page, "P(iova,size)" AMD flush_pages, "D(root,mode)" AMD DTE update,
 * hex, space separated. A static buffer. */
const char *kt_olog(struct oracle *o);

/* --- events ------------------------------------------------------------ */

enum kt_ev_kind {
	KT_FLUSH_ALL,
	KT_FLUSH_WALK,
	KT_ADD_PAGE,
	KT_AMD_FLUSH_PAGES, /* amd_iommu_domain_flush_pages(iova, size) */
	KT_AMD_UPDATE_DTE,  /* amd_iommu_update_and_flush_device_table() */
	KT_DRIVER_OTHER,    /* a libpgt driver event of another name */
	KT_N_EV_KINDS
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
	char what[48]; /* KT_DRIVER_OTHER: libpgt's name */
};

struct kt_evv {
	struct kt_ev *v;
	size_t n, cap;
};

const char *kt_ev_name(enum kt_ev_kind k);

/* --- descriptors and geometry -------------------------------------------- */

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

/* One level of a format's tables as the kernel has them. */
struct kt_level {
	unsigned label;	     /* the kernel's number for the level */
	unsigned shift;	     /* log2 of one entry's IOVA span */
	unsigned index_bits; /* log2 of the entries an IOVA selects */
	/* log2 of the entries a table holds, every one of which the walker
	 * reads (0: index_bits); more than index_bits where the top entries
	 * are past the 64-bit IOVA space (AMD mode 6) */
	unsigned table_bits;
	/* where one map/unmap call stops (pgt_level_geom.batch_bits); 0 where
	 * the kernel goes on to the next table, so that it is not compared */
	unsigned batch_bits;
};

/* A format's geometry as the kernel has it: what the test's own walker
 * reads, and what libpgt's pgt_geometry must say. */
struct kt_geom {
	unsigned n_levels; /* 0: none (no walk, a geometry mismatch) */
	unsigned desc_bytes;
	unsigned n_roots;
	unsigned root_shift; /* several roots: the IOVA bit of the root index */
	uint64_t granule;    /* 0: not compared */
	struct kt_level level[PGT_MAX_LEVELS];
};

/* --- registers ------------------------------------------------------------ */

/* How one of libpgt's registers must be, against the kernel's value. */
enum kt_reg_rule {
	KT_REG_VALUE,  /* a PGT_REG_VALUE, equal */
	KT_REG_ROOT,   /* a PGT_REG_VALUE holding the root table's address: equal
			* once each side's own root is taken out */
	KT_REG_NUMBER, /* a PGT_REG_COUNT (PGT_REG_VALUE accepted), equal */
	KT_REG_FIELD,  /* a field of a PGT_REG_FIELDS register, equal */
	KT_REG_ROOTS,  /* a PGT_REG_LIST of libpgt's roots; value: how many */
};

struct kt_reg_want {
	const char *name;
	const char *field; /* KT_REG_FIELD */
	enum kt_reg_rule rule;
	uint64_t value;
};

/* --- the format, the configuration, the pair ---------------------------- */

struct kt_pair;

struct kt_fmt {
	const char *name; /* libpgt's name */
	enum oracle_fmt kf;
	/*
	 * The kernel's geometry of a table (mode: AMD's number of levels, the
	 * table's own). The walker and the geometry check use it; it comes from
	 * the kernel's cfg and facts only.
	 */
	void (*geometry)(const struct kt_pair *p, unsigned mode, struct kt_geom *g);
	/*
	 * The descriptor rules of the test's own walker: what the non-zero
	 * descriptor e->raw, entry i of a table at level l, is. Leaves: fill
	 * e->pa, and e->size, e->count, e->kernel_differs where they are not
	 * the walker's defaults (one entry of its span). Tables: *next, the
	 * table's address. A table at the last level is taken as junk.
	 */
	enum kt_ent_kind (*classify)(const struct kt_pair *p, const struct kt_level *l,
				     const uint8_t *table, uint64_t i, struct kt_ent *e,
				     uint64_t *next);
	/* The bits of a table descriptor that hold the table's address. */
	uint64_t (*table_addr_bits)(const struct kt_pair *p);
	/* libpgt's registers vs the kernel's cfg (kt_regs_match); append to
	 * msg, which starts empty. */
	bool (*compare_regs)(struct kt_pair *p, char *msg, size_t len);
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
	/* Where the kernel's iova_to_phys() returns an undefined value (reads
	 * what it never wrote): there the kernel's own entry is the
	 * expectation (kt_kernel_phys). NULL: nowhere. */
	bool (*kernel_phys_undefined)(const struct kt_pair *p, uint64_t iova);
	/* A kernel WARN means a libpgt error, and the reverse (LPAE, v7s, DART). */
	bool warns_are_errors;
	/* Registers change with operations (AMD root and mode): compare them
	 * after every call. */
	bool regs_follow_ops;
	/* The kernel can lose tables it allocated (AMD 6.12: an unmap through
	 * a level-7 group that is no longer whole clears the group's other
	 * entries, table descriptors included, and the tables under them are
	 * never freed): counted and reported, not a failure. */
	bool kernel_orphans_tables;
	/* Percent of random unmaps of a page larger than the granule that start
	 * off its grid, at a granule inside it (LPAE: the kernel takes them). */
	unsigned unaligned_unmaps;
};

#define KT_WINDOW_RANDOM UINT64_MAX

struct kt_run {
	const struct kt_fmt *f;
	struct kt_cfg cfg;
	uint64_t kbase, klen; /* the kernel's simulated memory */
	uint64_t arena;	      /* libpgt's arena base */
	unsigned nops;
	/* IOVAs and PAs the operations use: iova_high | x for x below space,
	 * and below pa_limit (0: 2^ias, 2^oas); a window of 4 * top at wbase
	 * (KT_WINDOW_RANDOM: random); counts reach past `batch` entries (a
	 * leaf table's; 0: granule / 8). */
	uint64_t space, pa_limit, top, wbase;
	unsigned batch;
	/* bits set in every IOVA: the upper range of a TTBR1 table (LPAE) */
	uint64_t iova_high;
	/* a random window starts at a multiple of top, not of its size, so
	 * that it can straddle the boundaries of larger tables (LPAE) */
	bool window_on_top;
	char label[200];
};

struct kt_pair {
	const struct kt_run *rc;
	const struct kt_fmt *f;
	const char *label;
	struct oracle *k;
	struct oracle_cfg kcfg; /* after alloc */
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
	uint64_t granule, top, space, pa_limit, wbase, wsize, iova_high;
	unsigned batch;
	uint64_t hot[64];
	unsigned n_hot;

	struct kt_check c_ops, c_ev, c_desc, c_phys, c_attach, c_warn, c_regs;
	unsigned long n_map_calls, n_unmap_calls, n_eexist, n_eexist_teardown, n_holes, n_partial,
		n_splits, n_samples;
	unsigned long n_events[KT_N_EV_KINDS]; /* the kernel's, by kind */
	/* corrected expectations (v7s): split tables given their PA back, and
	 * kernel unmaps carried on past a 0 that libpgt does not return */
	unsigned long n_corrections, n_continued;
	/* iova_to_phys answers of the kernel's replaced (kt_kernel_phys) */
	unsigned long n_phys_corrected;
	long kernel_orphans; /* tables the kernel lost, at the last comparison */
};

/* The window: IOVA of an offset into it. */
uint64_t kt_W(const struct kt_pair *p, uint64_t off);
/* Is a page size in the kernel's narrowed bitmap? */
bool kt_has(const struct kt_pair *p, uint64_t size);

/* One map request as the iommu core makes it (map_pages until all is
 * mapped or a call fails) on both tables, compared. Returns bytes mapped. */
uint64_t kt_do_map(struct kt_pair *p, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t pgcount,
		   unsigned prot);
/* One unmap request as iommu_unmap makes it; libpgt with PGT_SPLIT_612. */
uint64_t kt_do_unmap(struct kt_pair *p, uint64_t iova, uint64_t pgsize, uint64_t pgcount,
		     enum oracle_gather gather);
/* Every descriptor of both tables, and pgt_walk_range of both. */
void kt_compare_structure(struct kt_pair *p, const char *when);

/* Read the kernel's memory (NULL outside it). */
const uint8_t *kt_kernel_ptr(const struct kt_pair *p, uint64_t pa, uint64_t len);

/* libpgt's registers against the kernel's values; mismatches appended to
 * msg as " [name: ...]". */
bool kt_regs_match(struct kt_pair *p, const struct kt_reg_want *w, size_t n, char *msg, size_t len);

/* --- the test program ------------------------------------------------------ */

#define KT_POINTS_PER_RUN 10

/* A configuration to run (KT_POINTS_PER_RUN points): the format, its cfg,
 * KT_WINDOW_RANDOM; the rest is the caller's to set. */
struct kt_run *kt_add_run(const struct kt_fmt *f, const struct kt_cfg *cfg, unsigned nops);

/* Lists of values: KT_LIST(an_array), or written in place: KT_U64S(KT_4K,
 * KT_2M). */
struct kt_u64s {
	const uint64_t *v;
	size_t n;
};
struct kt_uints {
	const unsigned *v;
	size_t n;
};
#define KT_LIST(a)                                                                                 \
	{                                                                                          \
		(a), KT_ARRAY_SIZE(a)                                                              \
	}
#define KT_U64S(...)                                                                               \
	((struct kt_u64s){(const uint64_t[]){__VA_ARGS__},                                         \
			  KT_ARRAY_SIZE(((const uint64_t[]){__VA_ARGS__}))})
#define KT_UINTS(...)                                                                              \
	((struct kt_uints){(const unsigned[]){__VA_ARGS__},                                        \
			   KT_ARRAY_SIZE(((const unsigned[]){__VA_ARGS__}))})

/* The allocation grid: every combination on both sides, one point. */
struct kt_grid {
	const struct kt_fmt *f;
	struct kt_u64s bitmaps, quirks;
	struct kt_uints iass, oass;
	struct kt_uints modes; /* AMD: amd_mode values; else none */
	uint64_t kbase, arena; /* table memory of both (same class) */
	const char *label;
};
void kt_grid_run(const struct kt_grid *g);

/*
 * A test program: first a point for each format saying whether libpgt
 * implements it, then checks() (the oracle's self-checks and the grids:
 * n_checks points), then every configuration plan() adds (kt_add_run),
 * each with its own seed.
 */
struct kt_suite {
	uint64_t seed;		   /* -s's default */
	const struct kt_fmt *fmts; /* an array of n_fmts */
	size_t n_fmts;
	unsigned n_checks;
	void (*checks)(void);
	void (*plan)(unsigned nops, bool quick);
};
/* Options -v -q -s SEED -n OPS; the run; the exit status. Also arms a
 * watchdog: after KT_TIMEOUT seconds (environment; default 1800) the test
 * prints "Bail out!" with the operation it was in, and exits 3. */
int kt_main(int argc, char **argv, const struct kt_suite *s);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Inside the IOMMU layer. A kind is data (its structures' fields, their
 * reserved bits) and a few small functions: decode the register, walk the
 * structures from it to each device's table. They share one reader
 * (read.c) that fetches entries from memory with bounds checks, decodes
 * them by their field tables, and reports reserved bits, misaligned or
 * out-of-memory pointers and loops as problems, never following them.
 */
#ifndef PGT_IOMMU_INT_H
#define PGT_IOMMU_INT_H

#include <string.h>

#include "internal.h"

/* The records behind pgt/iommu.h's opaque types. */
struct pgt_iommu_device;
/* A candidate of a scan (pgt_iommu_candidate as the probes fill it). */
struct iommu_candidate {
	pgt_addr pa;	    /* where the structure starts */
	int64_t score;	    /* higher is more plausible */
	uint64_t devices;   /* valid entries that translate */
	uint64_t entries;   /* valid entries of any mode */
	uint64_t tables;    /* distinct page tables they point to */
	uint64_t problems;  /* malformed entries and bad pointers */
	char reg[64];	    /* the register value it implies, as --iommu-reg takes it */
};

/* pgt_iommu_scan into an array of the caller's: how many, or a negative
 * errno. */
int iommu_scan(const struct pgt_iommu_kind *k, struct pgt_mem *mem, struct iommu_candidate *out,
	       size_t max_out, struct pgt_error *err);

/* pgt_iommu_find into a record of the caller's. */
int iommu_find(struct pgt_iommu *io, const struct pgt_devid *id, struct pgt_iommu_device *dev,
	       struct pgt_error *err);

#define PGT_IOMMU_MAX_WORDS 8
#define PGT_IOMMU_MAX_FIELDS 40

/* One entry of an IOMMU structure, decoded. */
struct pgt_iommu_entry {
	const char *name; /* "DTE", "STE", "L1STD", "CD", "GCR3 entry", ... */
	uint64_t index;	  /* its index in its table */
	pgt_addr pa;	  /* where it is (the register: 0) */
	unsigned n_words; /* 64-bit words */
	uint64_t word[PGT_IOMMU_MAX_WORDS];
	unsigned n_fields;
	struct pgt_field field[PGT_IOMMU_MAX_FIELDS];
};

/* Something wrong in the structures, as check reports descriptors. */
struct pgt_iommu_problem {
	enum pgt_stop kind; /* malformed, outside-memory, excluded, unreadable, loop */
	const char *what;   /* the structure entry */
	pgt_addr pa;
	uint64_t raw; /* its first word */
	char why[256];
};

/* A table the structures give a device, with the configuration the
 * hardware walks it with. */
struct pgt_iommu_table {
	const char *format; /* the canonical name, even when pgtctl lacks it */
	unsigned n_roots;
	pgt_addr root[PGT_MAX_ROOTS];
	struct pgt_cfg cfg;
	/* Registers of the structures the table's own registers must match
	 * (SMMUv3 TCR/VTCR fields): name and value, compared by
	 * pgt_iommu_table_open. */
	unsigned n_expect;
	struct pgt_iommu_expect {
		const char *reg, *field;
		uint64_t value;
	} expect[6];
};

#define PGT_IOMMU_MAX_CHAIN 8
#define PGT_IOMMU_MAX_PROBLEMS 8

/* A device (with its PASID, where it has one) and where its DMA goes. */
struct pgt_iommu_device {
	struct pgt_devid id;
	enum pgt_dev_mode mode;
	bool has_domain;
	uint32_t domain;	 /* DomainID, DID, VMID or ASID, GSCID or PSCID */
	const char *domain_name; /* "DomainID", "DID", "ASID", "VMID", "PSCID", "GSCID" */
	bool has_table;		 /* the table DMA of this ID goes through first */
	struct pgt_iommu_table table;
	bool has_stage2; /* nested: the table the first one's outputs go through */
	struct pgt_iommu_table stage2;
	const char *note; /* a word on the mode, or NULL */
	/* PGT_READ and PGT_WRITE where DMA passes untranslated: bypass (all
	 * of it unless the reader says, as AMD-Vi's IR and IW do), or an
	 * entry the IOMMU passes (AMD-Vi's V=0) */
	unsigned untranslated;
	/* The entries from the register down to this device's own. */
	unsigned n_chain;
	struct pgt_iommu_entry chain[PGT_IOMMU_MAX_CHAIN];
	unsigned n_problems; /* problems of its own entries */
	struct pgt_iommu_problem problem[PGT_IOMMU_MAX_PROBLEMS];
};


/* Bits hi..lo of w, shifted down. */
static inline uint64_t bits(uint64_t w, unsigned hi, unsigned lo)
{
	uint64_t v = w >> lo;
	return hi - lo >= 63 ? v : v & ((1ull << (hi - lo + 1)) - 1);
}

/* Bits hi..lo of w, in place (an address field). */
static inline uint64_t field_in_place(uint64_t w, unsigned hi, unsigned lo)
{
	return bits(w, hi, lo) << lo;
}

/* Bits hi..lo set: the kernel's GENMASK_ULL(), usable in initializers. */
#define GENMASK(hi, lo) ((~0ull >> (63 - (hi))) & (~0ull << (lo)))

enum field_show {
	SHOW_VALUE,   /* the bits, shifted down */
	SHOW_ADDRESS, /* the bits in place: an address */
};

/* One field of a structure entry. */
struct field_def {
	const char *name;
	unsigned word, hi, lo;
	enum field_show show;
	/* Words for its values (indexed by value, NULL where none), or NULL. */
	const char *const *meanings;
	unsigned n_meanings;
};

#define MEANINGS(a) (a), (unsigned)(sizeof(a) / sizeof((a)[0]))

/* A structure entry: its size, fields and reserved bits. */
struct struct_def {
	const char *name;
	unsigned words;
	const struct field_def *fields;
	unsigned n_fields;
	uint64_t reserved[PGT_IOMMU_MAX_WORDS]; /* bits that must be zero, per word */
};

#define FIELDS(a) (a), (unsigned)(sizeof(a) / sizeof((a)[0]))

/* Give field name of a decoded entry the meaning words[value] (a field
 * whose meaning depends on another one). */
void entry_meaning(struct pgt_iommu_entry *e, const char *name, const char *const *words,
		   unsigned n_words);

struct iommu_walk;

struct iommu_kind_ops {
	/* Decode io->reg[] into io->reg_entry and the root fields of io. */
	int (*open)(struct pgt_iommu *io, struct pgt_error *err);
	/* Walk from the root; devices go to iommu_emit, problems to
	 * iommu_problem. Returns 0 or the first non-zero of those. */
	int (*walk)(struct iommu_walk *w);
	/* Scan: the root structure a page at pa would be, scored (a
	 * candidate with no devices is not one). */
	void (*probe)(struct pgt_mem *mem, pgt_addr pa, struct iommu_candidate *c);
};

struct pgt_iommu_kind {
	const char *name;
	const char *summary;
	const char *register_doc;
	unsigned max_regs;
	bool pci_ids; /* IDs are PCI requester IDs: written as a BDF */
	const struct struct_def *reg_def;
	const struct iommu_kind_ops *ops;
};

extern const struct pgt_iommu_kind iommu_amd_vi, iommu_smmuv3, iommu_intel_vtd, iommu_riscv;

struct pgt_iommu {
	const struct pgt_iommu_kind *kind;
	struct pgt_mem *mem;
	unsigned n_reg;
	uint64_t reg[2];
	struct pgt_iommu_entry reg_entry;
	/* The root structure the register names (set by the kind's open). */
	pgt_addr root;
	uint64_t entries; /* how many entries (IDs) it covers */
	unsigned levels;  /* levels of a multi-level structure */
	unsigned split;	  /* SMMUv3: SID bits an L2 table resolves */
	bool extended;	  /* RISC-V: 64-byte device contexts */
	bool scalable;	  /* VT-d: scalable mode */
	unsigned mode;	  /* RISC-V DDTP iommu_mode */
};

/* The walk's state: the chain of entries from the register down, the
 * tables on the path (loops), and what to report. */
#define WALK_BUDGET (1u << 26) /* 64-bit words read before a walk gives up */

struct iommu_walk {
	struct pgt_iommu *io;
	const struct pgt_iommu_visitor *v;
	const struct pgt_devid *want; /* pgt_iommu_find: the one device, else NULL */
	struct pgt_iommu_device *found;
	bool got;
	struct pgt_iommu_problem stop; /* find: the problem that stopped it */
	bool stopped;
	unsigned n_chain;
	struct pgt_iommu_entry chain[PGT_IOMMU_MAX_CHAIN];
	unsigned n_probs; /* problems of the entries on the chain */
	struct {
		unsigned level;
		struct pgt_iommu_problem p;
	} probs[PGT_IOMMU_MAX_PROBLEMS];
	unsigned n_path;
	struct {
		pgt_addr pa;
		uint64_t bytes;
	} path[PGT_IOMMU_MAX_CHAIN];
	uint64_t budget;
	bool over_budget;
	struct pgt_iommu_device dev; /* scratch for the kinds */
};

/* What the reader's calls return besides 0 (go on) and a visitor's value:
 * do not go below this entry (the problem is reported), or stop the whole
 * walk (the budget is spent, or find has its device). */
#define IOMMU_SKIP 0x7fff0001
#define IOMMU_STOP 0x7fff0002

/* Does the walk want this device (and, id_only, any PASID of it)? */
bool iommu_wants(const struct iommu_walk *w, uint32_t id, bool id_only, bool has_pasid,
		 uint32_t pasid);

/*
 * Read n words at pa (little-endian, as every IOMMU reads them). On
 * failure a problem names what, and IOMMU_SKIP (or the visitor's value)
 * is returned.
 */
int iommu_read(struct iommu_walk *w, const char *what, pgt_addr pa, unsigned n, uint64_t *words);

/* Decode words as def and push the entry onto the chain; reserved bits
 * set are a problem of this entry. Returns a visitor value or 0. */
int iommu_push(struct iommu_walk *w, const struct struct_def *def, uint64_t index, pgt_addr pa,
	       const uint64_t *words);
void iommu_pop(struct iommu_walk *w);
/* The entry on top of the chain. */
static inline struct pgt_iommu_entry *iommu_top(struct iommu_walk *w)
{
	return &w->chain[w->n_chain - 1];
}

/*
 * About to read a table of bytes at pa that the entry on top points to:
 * misaligned (not a multiple of align) is a problem, and the hardware's
 * pa & ~(align - 1) is what is read; a table on the path already is a
 * loop, not entered. Returns 0 to enter (*pa may be realigned; call
 * iommu_exit after), IOMMU_SKIP not to, or the visitor's value.
 */
int iommu_enter(struct iommu_walk *w, const char *what, pgt_addr *pa, uint64_t bytes,
		uint64_t align);
void iommu_exit(struct iommu_walk *w);

/* A problem of the entry on top of the chain (or of the register, when
 * the chain is empty), printf-style why. Returns the visitor's value. */
int iommu_problem(struct iommu_walk *w, enum pgt_stop kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The device in w->dev (its id, mode, tables set by the kind) with the
 * chain and its problems, to the visitor or to find. */
int iommu_emit(struct iommu_walk *w);
/* Start w->dev afresh for an ID. */
void iommu_dev_begin(struct iommu_walk *w, uint32_t id, bool has_pasid, uint32_t pasid);

/* Count entries read against the budget: 0, or IOMMU_STOP once it is
 * spent (reported as a problem). */
int iommu_budget(struct iommu_walk *w, uint64_t n);

/* Fill an entry from words as def says (no chain). */
void iommu_decode(const struct struct_def *def, uint64_t index, pgt_addr pa,
		  const uint64_t *words, struct pgt_iommu_entry *e);

/* A table config from a format's defaults. */
void iommu_table_init(struct pgt_iommu_table *t, const char *format);
void iommu_table_expect(struct pgt_iommu_table *t, const char *reg, const char *field,
			uint64_t value);
/* Set a format option (amd-iommu-v1's mode, the levels of another) the
 * structures give; a format without it (not in pgtctl yet) ignores it. */
void iommu_table_option(struct pgt_iommu_table *t, const char *name, unsigned value);

/* --- scan helpers ------------------------------------------------------ */

/* Is [pa, pa + len) all in memory and readable? */
bool iommu_mem_has(struct pgt_mem *mem, pgt_addr pa, uint64_t len);
/* Read n little-endian words, false when not all in memory. */
bool iommu_peek(struct pgt_mem *mem, pgt_addr pa, unsigned n, uint64_t *words);
/* Does a table look like one (a bounded walk: no malformed descriptor, no
 * bad pointer)? Scores: 2 with mappings, 1 empty, 0 not. */
unsigned iommu_plausible_table(struct pgt_mem *mem, const struct pgt_iommu_table *t);

/* Count a device's table into a candidate (once per root: roots holds up
 * to 16 seen) and score the candidate. */
struct iommu_roots {
	unsigned n;
	pgt_addr pa[16];
};
void iommu_count_table(struct pgt_mem *mem, const struct pgt_iommu_table *t,
		       struct iommu_roots *seen, struct iommu_candidate *c);
void iommu_score(struct iommu_candidate *c);

#endif

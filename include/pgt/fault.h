/* SPDX-License-Identifier: MIT */
/*
 * IOMMU faults explained against a table. A fault is what an IOMMU
 * driver's interrupt handler reads and prints (Linux 6.12 and 7.3): an Arm
 * SMMU context bank's FSR/FSYNR0/FAR, an SMMUv3 event record, an AMD-Vi
 * IO_PAGE_FAULT event, an Intel VT-d fault recording register, a RISC-V
 * IOMMU fault queue record, an Apple DART's ERROR registers, a Mali address
 * space's FAULTSTATUS/FAULTADDRESS. It is decoded into words (what kind of
 * fault, which access, which level), and the faulting address is walked in
 * a table to say why the hardware faulted, or that the table is not why.
 *
 * Faults come from FIELD=VALUE pairs (pgt_fault_parse) or from kernel log
 * lines in the drivers' own printk formats (pgt_fault_scanner).
 */
#ifndef PGT_FAULT_H
#define PGT_FAULT_H

#include "table.h"

/* A driver family whose faults can be decoded: arm-smmu, smmuv3, amd-vi,
 * intel-vtd, riscv, apple-dart, mali. */
struct pgt_fault_kind;

const struct pgt_fault_kind *pgt_fault_kind_find(const char *name);
/* Every kind; NULL-terminated. */
const struct pgt_fault_kind *const *pgt_fault_kinds(void);
const char *pgt_fault_kind_name(const struct pgt_fault_kind *k);
const char *pgt_fault_kind_summary(const struct pgt_fault_kind *k);

/* A FIELD a kind takes on the command line. */
struct pgt_fault_field_info {
	const char *name;
	const char *help;
	bool required;
	const char *const *words; /* the values of a word-valued field, or NULL */
	unsigned bits;		  /* the register's width: wider values are refused */
};
/* The kind's fields, in order; returns how many. */
size_t pgt_fault_kind_fields(const struct pgt_fault_kind *k,
			     const struct pgt_fault_field_info **fields);
/* Does this IOMMU walk tables of this format? */
bool pgt_fault_kind_walks(const struct pgt_fault_kind *k, const struct pgt_format *fmt);
/* "arm-64-lpae-s1, arm-64-lpae-s2" */
const char *pgt_fault_kind_formats(const struct pgt_fault_kind *k, char *buf, size_t len);
/* The IOMMU (a pgt_iommu_kind_find() name) whose structures know the
 * devices its faults name, or NULL. */
const char *pgt_fault_kind_iommu(const struct pgt_fault_kind *k);

/* What the hardware says went wrong. */
enum pgt_fault_class {
	PGT_FAULT_NONE,		/* the registers record no fault */
	PGT_FAULT_TRANSLATION,	/* no valid descriptor for the address */
	PGT_FAULT_PERMISSION,	/* a leaf that does not allow the access */
	PGT_FAULT_ACCESS_FLAG,	/* a leaf with its access flag clear */
	PGT_FAULT_ADDRESS_SIZE, /* an address beyond the input or output size */
	PGT_FAULT_WALK_ABORT,	/* a memory access of the table walk failed */
	PGT_FAULT_MALFORMED,	/* reserved bits or a bad level encoding */
	PGT_FAULT_CONFIG,	/* not the page table: stream or context setup */
	PGT_FAULT_OTHER,	/* TLB conflicts, attributes, unknown codes */
	PGT_FAULT_PAGE,		/* no valid leaf, or one that refuses the access: the
				 * hardware does not say which (a RISC-V page fault) */
};
const char *pgt_fault_class_name(enum pgt_fault_class c);

/* Accesses, and in pgt_fault_explanation.denied what a leaf refuses. */
enum pgt_access {
	PGT_ACCESS_READ = 1u << 0,
	PGT_ACCESS_WRITE = 1u << 1,
	PGT_ACCESS_EXEC = 1u << 2,
	PGT_ACCESS_UNPRIV = 1u << 3, /* denied only: an unprivileged access */
};
/* The words of the bits, in bit order: read, write, exec, unprivileged. */
unsigned pgt_access_words(unsigned access, const char *words[4]);
/* "read", "write", "read+write", "exec"; "unknown" for 0. */
const char *pgt_access_str(unsigned access, char *buf, size_t len);

/* One decoded field of a fault register. */
struct pgt_fault_field {
	const char *reg;  /* the input it is part of: "fsr" */
	const char *name; /* the driver's name: "TF", "PLVL", "SID" */
	uint64_t value;
	bool flag;	     /* a one-bit flag: text shows it by name when set */
	const char *meaning; /* a word or phrase for the value, or NULL */
};

#define PGT_FAULT_MAX_INPUTS 8
#define PGT_FAULT_MAX_FIELDS 40

struct pgt_fault {
	const struct pgt_fault_kind *kind;
	/* The values it was decoded from, in the kind's field order. */
	unsigned n_inputs;
	struct {
		const char *name;
		uint64_t value;
		const char *word; /* a word-valued field's word, else NULL */
	} input[PGT_FAULT_MAX_INPUTS];

	enum pgt_fault_class cls;
	const char *code; /* the driver's name for it: "TF", "F_TRANSLATION" */
	const char *hint; /* where to look when the table is not the cause */
	bool has_addr;	  /* the fault names an address (config errors may not) */
	pgt_addr addr;	  /* the input address: IOVA (or the stage-2 input) */
	bool has_ipa;	  /* stage 2 faults of a nested walk: the IPA */
	pgt_addr ipa;
	unsigned access; /* PGT_ACCESS_*; 0 when the fault does not say */
	int privileged;	 /* 1, 0, or -1 when the fault does not say */
	int level;	 /* the level the hardware names, or -1 */
	int stage;	 /* 1, 2, or 0 when the fault does not say */
	/* The table formats this fault is walked in: the kind's, or those of
	 * its reason or flags (NULL-terminated). */
	const char *const *formats;

	/* The requester, where the fault names one: its ID as the kind's
	 * IOMMU's structures know it (PCI segment and requester ID, stream or
	 * device ID); and the PASID (SubstreamID, process ID) of the request,
	 * where it had one. */
	bool has_device;
	uint32_t seg, device;
	bool has_pasid;
	uint32_t pasid;

	unsigned n_fields;
	struct pgt_fault_field field[PGT_FAULT_MAX_FIELDS];
};

/*
 * Decode FIELD=VALUE arguments (numbers as pgt_parse_u64 reads them, or a
 * word for a word-valued field). Unknown or repeated fields, missing
 * required ones and values wider than the register are errors (-EINVAL).
 */
int pgt_fault_parse(const struct pgt_fault_kind *k, char *const *args, unsigned n,
		    struct pgt_fault *f, struct pgt_error *err);

/* What the table says about the fault. */
enum pgt_verdict {
	PGT_VERDICT_NOT_MAPPED,	  /* an empty descriptor on the way */
	PGT_VERDICT_MALFORMED,	  /* a descriptor the hardware cannot use */
	PGT_VERDICT_PERMISSION,	  /* the leaf does not allow the access */
	PGT_VERDICT_ACCESS_FLAG,  /* the leaf's access flag is clear */
	PGT_VERDICT_MAPPED,	  /* the table maps it for this access */
	PGT_VERDICT_OUTSIDE,	  /* a table pointer outside memory */
	PGT_VERDICT_EXCLUDED,	  /* the walk needs a page the dump left out */
	PGT_VERDICT_UNREADABLE,	  /* ... or one whose data is damaged */
	PGT_VERDICT_LOOP,	  /* a table pointer back up the walk */
	PGT_VERDICT_OUT_OF_RANGE, /* the address is beyond the input range */
	PGT_VERDICT_TOO_DEEP,	  /* a table pointer at the last level */
	PGT_VERDICT_NOT_TABLE,	  /* no page-table fault to explain (the last) */
};
const char *pgt_verdict_name(enum pgt_verdict v);

struct pgt_fault_explanation {
	bool walked;   /* the fault has an address, and it was walked */
	pgt_addr addr; /* the address walked */
	bool addr_ipa; /* it is the fault's IPA */
	struct pgt_walk walk;
	enum pgt_verdict verdict;
	bool explained;	     /* the table accounts for the fault */
	int agrees;	     /* hardware and table agree: 1, 0, or -1 (cannot tell) */
	unsigned denied;     /* PERMISSION: the PGT_ACCESS_* bits the leaf refuses */
	char why[320];	     /* what the table says, in a sentence */
	char agreement[320]; /* the hardware's report against the table, or "" */
	char note[320];	     /* a caveat (the table's format or stage), or "" */
	char next[400];	     /* a suggested next step */
};

/* Is this fault walked in tables of this format? */
bool pgt_fault_walks(const struct pgt_fault *f, const struct pgt_format *fmt);

/* Walk the fault's address in t and say what the table makes of it. */
void pgt_fault_explain(struct pgt_table *t, const struct pgt_fault *f,
		       struct pgt_fault_explanation *x);

/* --- Fault lines in kernel logs ---------------------------------------- */

/* A fault found in a log, or a fault line that could not be read. */
struct pgt_fault_found {
	unsigned long line; /* the line its record starts on (1-based) */
	const char *device; /* the message's device prefix, "" if none */
	int error;	    /* 0, or a negative errno with err saying why */
	struct pgt_error err;
	struct pgt_fault fault;
};

/* Called for each fault; non-zero stops the scan and is returned. */
typedef int (*pgt_fault_found_fn)(void *ctx, const struct pgt_fault_found *found);

struct pgt_fault_scanner;

/* A scanner of dmesg/journal text: timestamps and syslog prefixes are
 * skipped, lines that are no fault of a known driver are ignored. */
struct pgt_fault_scanner *pgt_fault_scanner_new(pgt_fault_found_fn fn, void *ctx);
/* One line, without its newline. */
int pgt_fault_scan_line(struct pgt_fault_scanner *s, const char *line);
/* The end of the text: a record still waiting for lines is reported. */
int pgt_fault_scan_end(struct pgt_fault_scanner *s);
unsigned long pgt_fault_scanner_lines(const struct pgt_fault_scanner *s);
void pgt_fault_scanner_free(struct pgt_fault_scanner *s);

#endif

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

PGT_BEGIN_DECLS

/* A driver family whose faults can be decoded: arm-smmu, smmuv3, amd-vi,
 * intel-vtd, riscv, apple-dart, mali. */
struct pgt_fault_kind;

PGT_EXPORT const struct pgt_fault_kind *pgt_fault_kind_find(const char *name);
/* Every kind; NULL-terminated. */
PGT_EXPORT const struct pgt_fault_kind *const *pgt_fault_kinds(void);
PGT_EXPORT const char *pgt_fault_kind_name(const struct pgt_fault_kind *k);
PGT_EXPORT const char *pgt_fault_kind_summary(const struct pgt_fault_kind *k);

/* A FIELD a kind takes on the command line. */
struct pgt_fault_field_info {
	const char *name;
	const char *help;
	bool required;
	const char *const *words; /* the values of a word-valued field, or NULL */
	unsigned bits;		  /* the register's width: wider values are refused */
};
/* The kind's fields, in order; returns how many. */
PGT_EXPORT size_t pgt_fault_kind_fields(const struct pgt_fault_kind *k,
			     const struct pgt_fault_field_info **fields);
/* Does this IOMMU walk tables of this format? */
PGT_EXPORT bool pgt_fault_kind_walks(const struct pgt_fault_kind *k, const struct pgt_format *fmt);
/* "arm-64-lpae-s1, arm-64-lpae-s2" */
PGT_EXPORT const char *pgt_fault_kind_formats(const struct pgt_fault_kind *k, char *buf,
					      size_t len);
/* The IOMMU (a pgt_iommu_kind_find() name) whose structures know the
 * devices its faults name, or NULL. */
PGT_EXPORT const char *pgt_fault_kind_iommu(const struct pgt_fault_kind *k);

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
PGT_EXPORT const char *pgt_fault_class_name(enum pgt_fault_class c);

/* Accesses, and in pgt_fault_explanation.denied what a leaf refuses. */
enum pgt_access {
	PGT_ACCESS_READ = 1u << 0,
	PGT_ACCESS_WRITE = 1u << 1,
	PGT_ACCESS_EXEC = 1u << 2,
	PGT_ACCESS_UNPRIV = 1u << 3, /* denied only: an unprivileged access */
};
/* The words of the bits, in bit order: read, write, exec, unprivileged. */
PGT_EXPORT unsigned pgt_access_words(unsigned access, const char *words[4]);
/* "read", "write", "read+write", "exec"; "unknown" for 0. */
PGT_EXPORT const char *pgt_access_str(unsigned access, char *buf, size_t len);

/* One decoded field of a fault register. */
struct pgt_fault_field {
	const char *reg;  /* the input it is part of: "fsr" */
	const char *name; /* the driver's name: "TF", "PLVL", "SID" */
	uint64_t value;
	bool flag;	     /* a one-bit flag: text shows it by name when set */
	const char *meaning; /* a word or phrase for the value, or NULL */
};

/* A value a fault was decoded from: a register, or a word-valued field. */
struct pgt_fault_input {
	const char *name;
	uint64_t value;
	const char *word; /* a word-valued field's word, else NULL */
};

/* A decoded fault (opaque): from pgt_fault_parse or a log scanner. */
struct pgt_fault;

/*
 * Decode FIELD=VALUE arguments (numbers as pgt_parse_u64 reads them, or a
 * word for a word-valued field). Unknown or repeated fields, missing
 * required ones and values wider than the register are errors (-EINVAL).
 */
PGT_EXPORT int pgt_fault_parse(const struct pgt_fault_kind *k, char *const *args, unsigned n,
			       struct pgt_fault **out, struct pgt_error *err);
PGT_EXPORT void pgt_fault_free(struct pgt_fault *f);

PGT_EXPORT const struct pgt_fault_kind *pgt_fault_kind_of(const struct pgt_fault *f);
/* The values it was decoded from, in the kind's field order. */
PGT_EXPORT unsigned pgt_fault_n_inputs(const struct pgt_fault *f);
PGT_EXPORT const struct pgt_fault_input *pgt_fault_input(const struct pgt_fault *f, unsigned i);
/* The fields decoded from them. */
PGT_EXPORT unsigned pgt_fault_n_fields(const struct pgt_fault *f);
PGT_EXPORT const struct pgt_fault_field *pgt_fault_field(const struct pgt_fault *f, unsigned i);
PGT_EXPORT enum pgt_fault_class pgt_fault_class(const struct pgt_fault *f);
/* The driver's name for it: "TF", "F_TRANSLATION". */
PGT_EXPORT const char *pgt_fault_code(const struct pgt_fault *f);
/* Where to look when the table is not the cause, or NULL. */
PGT_EXPORT const char *pgt_fault_hint(const struct pgt_fault *f);
/* The input address (IOVA, or the stage-2 input): false when the fault
 * names none (configuration errors may not). */
PGT_EXPORT bool pgt_fault_addr(const struct pgt_fault *f, pgt_addr *addr);
/* A stage-2 fault of a nested walk: the IPA. */
PGT_EXPORT bool pgt_fault_ipa(const struct pgt_fault *f, pgt_addr *ipa);
/* PGT_ACCESS_* bits; 0 when the fault does not say. */
PGT_EXPORT unsigned pgt_fault_access(const struct pgt_fault *f);
/* 1, 0, or -1 when the fault does not say. */
PGT_EXPORT int pgt_fault_privileged(const struct pgt_fault *f);
/* The level the hardware names, or -1. */
PGT_EXPORT int pgt_fault_level(const struct pgt_fault *f);
/* 1, 2, or 0 when the fault does not say. */
PGT_EXPORT int pgt_fault_stage(const struct pgt_fault *f);
/* The table formats the fault is walked in: the kind's, or those of its
 * reason or flags; NULL-terminated. */
PGT_EXPORT const char *const *pgt_fault_formats(const struct pgt_fault *f);
/* The requester, where the fault names one: its ID as the kind's IOMMU's
 * structures know it (PCI segment and requester ID, stream or device ID). */
PGT_EXPORT bool pgt_fault_device(const struct pgt_fault *f, uint32_t *seg, uint32_t *device);
/* The PASID (SubstreamID, process ID) of the request, where it had one. */
PGT_EXPORT bool pgt_fault_pasid(const struct pgt_fault *f, uint32_t *pasid);

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
PGT_EXPORT const char *pgt_verdict_name(enum pgt_verdict v);

/* What the table makes of a fault (opaque). */
struct pgt_fault_explanation;

/* Is this fault walked in tables of this format? */
PGT_EXPORT bool pgt_fault_walks(const struct pgt_fault *f, const struct pgt_format *fmt);

/* Walk the fault's address in t and say what the table makes of it. */
PGT_EXPORT int pgt_fault_explain(struct pgt_table *t, const struct pgt_fault *f,
				 struct pgt_fault_explanation **out, struct pgt_error *err);
/*
 * The same for a device whose translation is nested: a stage-2 fault in
 * second, at its IPA, or, where the fault records only the IOVA (VT-d's
 * second-level reasons), at the address first gives the IOVA; any other
 * fault in first.
 */
PGT_EXPORT int pgt_fault_explain_nested(struct pgt_table *first, struct pgt_table *second,
					const struct pgt_fault *f,
					struct pgt_fault_explanation **out, struct pgt_error *err);
PGT_EXPORT void pgt_explanation_free(struct pgt_fault_explanation *x);

/* The fault has an address, and it was walked: which (the fault's IPA
 * when *ipa), and the walk. */
PGT_EXPORT bool pgt_explanation_walked(const struct pgt_fault_explanation *x, pgt_addr *addr,
				       bool *ipa);
PGT_EXPORT const struct pgt_walk *pgt_explanation_walk(const struct pgt_fault_explanation *x);
PGT_EXPORT enum pgt_verdict pgt_explanation_verdict(const struct pgt_fault_explanation *x);
/* The table accounts for the fault. */
PGT_EXPORT bool pgt_explanation_explained(const struct pgt_fault_explanation *x);
/* Hardware and table agree: 1, 0, or -1 (cannot tell). */
PGT_EXPORT int pgt_explanation_agrees(const struct pgt_fault_explanation *x);
/* PGT_VERDICT_PERMISSION: the PGT_ACCESS_* bits the leaf refuses. */
PGT_EXPORT unsigned pgt_explanation_denied(const struct pgt_fault_explanation *x);
/* What the table says, in a sentence. */
PGT_EXPORT const char *pgt_explanation_why(const struct pgt_fault_explanation *x);
/* The hardware's report against the table, or "". */
PGT_EXPORT const char *pgt_explanation_agreement(const struct pgt_fault_explanation *x);
/* A caveat (the table's format or stage), or "". */
PGT_EXPORT const char *pgt_explanation_note(const struct pgt_fault_explanation *x);
/* A suggested next step. */
PGT_EXPORT const char *pgt_explanation_next(const struct pgt_fault_explanation *x);

/* --- Fault lines in kernel logs ---------------------------------------- */

/* A fault found in a log, or a fault line that could not be read. */
struct pgt_fault_found {
	unsigned long line; /* the line its record starts on (1-based) */
	const char *device; /* the message's device prefix, "" if none */
	int error;	    /* 0, or a negative errno with err saying why */
	const struct pgt_error *err;
	const struct pgt_fault *fault; /* when error is 0 */
};

/* Called for each fault; non-zero stops the scan and is returned. */
typedef int (*pgt_fault_found_fn)(void *ctx, const struct pgt_fault_found *found);

struct pgt_fault_scanner;

/* A scanner of dmesg/journal text: timestamps and syslog prefixes are
 * skipped, lines that are no fault of a known driver are ignored. */
PGT_EXPORT int pgt_fault_scanner_new(pgt_fault_found_fn fn, void *ctx,
				     struct pgt_fault_scanner **out, struct pgt_error *err);
/* One line, without its newline. */
PGT_EXPORT int pgt_fault_scan_line(struct pgt_fault_scanner *s, const char *line);
/* The end of the text: a record still waiting for lines is reported. */
PGT_EXPORT int pgt_fault_scan_end(struct pgt_fault_scanner *s);
PGT_EXPORT unsigned long pgt_fault_scanner_lines(const struct pgt_fault_scanner *s);
PGT_EXPORT void pgt_fault_scanner_free(struct pgt_fault_scanner *s);

PGT_END_DECLS

#endif

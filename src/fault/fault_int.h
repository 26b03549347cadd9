/* SPDX-License-Identifier: MIT */
/*
 * Inside the fault module: what a driver family (a fault kind) consists of.
 * A kind is data (its fields, register layouts, log line patterns, the
 * table formats its IOMMU walks) plus one decode function that turns field
 * values into a struct pgt_fault. Everything else, parsing FIELD=VALUE,
 * reading logs, walking and explaining, is shared.
 */
#ifndef PGT_FAULT_INT_H
#define PGT_FAULT_INT_H

#include <errno.h>
#include <string.h>

#include "internal.h"

/* The fault and its explanation (opaque in pgt/fault.h). */
#define PGT_FAULT_MAX_INPUTS 8
#define PGT_FAULT_MAX_FIELDS 40

struct pgt_fault {
	const struct pgt_fault_kind *kind;
	/* The values it was decoded from, in the kind's field order. */
	unsigned n_inputs;
	struct pgt_fault_input input[PGT_FAULT_MAX_INPUTS];

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


/* pgt_fault_parse and pgt_fault_explain into records of the caller's. */
int fault_parse(const struct pgt_fault_kind *k, char *const *args, unsigned n, struct pgt_fault *f,
		struct pgt_error *err);
void fault_explain(struct pgt_table *t, const struct pgt_fault *f, struct pgt_fault_explanation *x);

/* One field of a register, as a driver's header defines it (GENMASK(hi,
 * lo) or BIT(lo) when hi == lo). */
struct fault_bits {
	const char *name;
	unsigned hi, lo;
	const char *meaning; /* a flag: what it says when set */
};

/* Which flag of a register makes which kind of fault, in the order a
 * decoder looks at them. */
struct fault_cause {
	const char *flag;
	enum pgt_fault_class cls;
	const char *hint; /* where to look, when the table is not the cause */
};

/*
 * The lines a driver prints for one fault, as patterns: literal text, and
 * {name} for hex digits, {name:d} for decimal digits, {name:s} for text up
 * to the next literal character; '#' in a name is replaced by the number
 * of the continuation line (evt# -> evt0, evt1, ...). A capture named
 * like one of the kind's fields gives that field its value.
 */
struct fault_log {
	const char *start; /* the line a fault starts with */
	const char *more;  /* a line that must follow, or NULL */
	unsigned n_more;   /* how many such lines */
};

#define FAULT_MAX_CAPTURES 12

struct fault_captures {
	unsigned n;
	struct {
		char name[16];
		uint64_t value;
		char text[64]; /* {name:s} captures */
	} c[FAULT_MAX_CAPTURES];
};

/* The captured value called name: true and *v, or false. */
bool fault_capture(const struct fault_captures *c, const char *name, uint64_t *v);
const char *fault_capture_text(const struct fault_captures *c, const char *name);

/* Pattern p in line (to_end: only blanks may follow it): where the match
 * starts, or NULL; cap gets its captures, '#' numbered by index. */
const char *fault_log_find(const char *p, const char *line, bool to_end, struct fault_captures *cap,
			   unsigned index);
/* Where a log line's message starts, after timestamps and prefixes. */
const char *fault_log_message(const char *line);
/* The device prefix of a message: the text from..to, trimmed. */
void fault_log_device(const char *from, const char *to, char *out, size_t len);
/* A pattern as an example line: "raw fault status: 0x..." */
void fault_log_example(const char *p, char *out, size_t len);

struct pgt_fault_kind {
	const char *name;
	const char *summary;
	const char *unit; /* what faulted, in text: "the SMMU", "the DART" */
	const struct pgt_fault_field_info *fields;
	unsigned n_fields;
	const char *const *formats;   /* the table formats its IOMMU walks */
	const char *iommu;	      /* the --iommu whose structures know its devices */
	/* The table of stage 1 and of stage 2, in the words of the IOMMU's
	 * registers: what a note asks for when the table given is the other
	 * stage's (NULL: "the stage-N table"). */
	const char *stage_table[2];
	const struct fault_log *logs; /* ends with a NULL start */
	/* Decode the values (v[i] for fields[i], given: a bit per field). */
	int (*decode)(const uint64_t *v, unsigned given, struct pgt_fault *f,
		      struct pgt_error *err);
	/* A log record's captures as field values, where they are more than
	 * a capture per field (NULL: by name). Sets v[] and *given. */
	int (*from_log)(const struct fault_captures *c, const char *device, uint64_t *v,
			unsigned *given, struct pgt_error *err);
};

/* A kind's fields array, and how many it has. */
#define FAULT_FIELDS(f) .fields = (f), .n_fields = sizeof(f) / sizeof((f)[0])

extern const struct pgt_fault_kind fault_arm_smmu, fault_arm_smmu_global, fault_smmuv3, fault_amd_vi,
	fault_amd_vi_event, fault_intel_vtd, fault_riscv, fault_apple_dart, fault_mali;
extern const char *const fault_arm_smmu_formats[], *const fault_amd_vi_formats[];
/* An AMD-Vi line's device id, bus << 8 | devfn: from its device=seg:bus:slot.fn
 * captures, else from the pci_err() prefix. */
bool fault_amd_devid(const struct fault_captures *c, const char *device, uint64_t *devid);

/* The requester the fault names, as its IOMMU's structures know it, and
 * the PASID of its request. */
void fault_set_device(struct pgt_fault *f, uint32_t seg, uint32_t device);
void fault_set_pasid(struct pgt_fault *f, uint32_t pasid);

/* "intel-vtd-ss, intel-vtd-fs" */
const char *fault_formats_str(const char *const *formats, char *buf, size_t len);

/* Index of a field by name, or -1. */
int fault_field_index(const struct pgt_fault_kind *k, const char *name);

/* Check the values against the fields (required, width) and decode them. */
int fault_decode_values(const struct pgt_fault_kind *k, const uint64_t *v, unsigned given,
			struct pgt_fault *f, struct pgt_error *err);

/* --- Helpers for decoders ------------------------------------------------ */

static inline uint64_t fault_get(uint64_t v, unsigned hi, unsigned lo)
{
	unsigned w = hi - lo + 1;
	return (v >> lo) & (w >= 64 ? ~0ull : (1ull << w) - 1);
}

void fault_add(struct pgt_fault *f, const char *reg, const char *name, uint64_t value, bool flag,
	       const char *meaning);
/* Add every field of a register's layout. */
void fault_add_bits(struct pgt_fault *f, const char *reg, uint64_t v, const struct fault_bits *b,
		    size_t n);
/* A decoded field's value: true and *v when present. */
bool fault_field(const struct pgt_fault *f, const char *reg, const char *name, uint64_t *v);
/* Is the decoded flag set? */
bool fault_flag(const struct pgt_fault *f, const char *reg, const char *name);
/* The first cause whose flag is set: sets f->cls, f->code and f->hint. */
bool fault_classify(struct pgt_fault *f, const char *reg, const struct fault_cause *c, size_t n);

/* --- Explaining: explain.c walks, compare.c and advice.c follow ---------- */

void fault_say(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "iova" or "ipa": what the walked address is */
const char *fault_space(const struct pgt_fault_explanation *x);
/* x->agrees and x->agreement from the fault's class and level */
void fault_compare(const struct pgt_fault *f, struct pgt_fault_explanation *x);
/* x->next */
void fault_advise(struct pgt_table *t, const struct pgt_fault *f, struct pgt_fault_explanation *x);

#endif

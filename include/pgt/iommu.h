/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU's own structures: which table serves which device. From the
 * IOMMU's root register (AMD-Vi Device Table Base, VT-d RTADDR_REG, SMMUv3
 * STRTAB_BASE and STRTAB_BASE_CFG, RISC-V DDTP), the device table, root
 * and context tables, stream table and context descriptors, or device
 * directory are read from memory, each entry decoded into named fields,
 * and followed to the page table a device's DMA goes through, with the
 * configuration the hardware walks it with. Reserved bits, misaligned or
 * out-of-memory pointers and loops are problems, reported and not followed.
 */
#ifndef PGT_IOMMU_H
#define PGT_IOMMU_H

#include "table.h"

/* An IOMMU architecture: amd-vi, intel-vtd, smmuv3, riscv. */
struct pgt_iommu_kind;

const struct pgt_iommu_kind *pgt_iommu_kind_find(const char *name);
/* Every kind; NULL-terminated. */
const struct pgt_iommu_kind *const *pgt_iommu_kinds(void);
const char *pgt_iommu_kind_name(const struct pgt_iommu_kind *k);
const char *pgt_iommu_kind_summary(const struct pgt_iommu_kind *k);
/* What --iommu-reg is for this kind, in words. */
const char *pgt_iommu_kind_register(const struct pgt_iommu_kind *k);

/* How the IOMMU treats a device's DMA. */
enum pgt_dev_mode {
	PGT_DEV_INVALID,    /* no valid entry: the IOMMU faults (or, AMD-Vi, passes) it */
	PGT_DEV_ABORT,	    /* a valid entry that blocks all DMA */
	PGT_DEV_BYPASS,	    /* untranslated */
	PGT_DEV_TRANSLATED, /* through one table */
	PGT_DEV_NESTED,	    /* through a first stage, then a second */
};
const char *pgt_dev_mode_name(enum pgt_dev_mode m);

/* A device: PCI segment and requester ID (or a stream or device ID), and
 * the PASID (SSID, process ID) of its requests when it uses one. */
struct pgt_devid {
	uint32_t seg;
	uint32_t id;
	bool has_pasid;
	uint32_t pasid;
};

/* "0000:00:03.0", "00:03.0/1", "0x10", "16/3": a BDF (segment optional)
 * or an ID number, with an optional "/PASID". */
int pgt_devid_parse(const char *s, struct pgt_devid *id, struct pgt_error *err);
/* The kind's way of writing it: a BDF for PCI requester IDs (AMD-Vi,
 * VT-d, RISC-V), a number for SMMUv3 stream IDs. */
const char *pgt_devid_str(const struct pgt_iommu_kind *k, const struct pgt_devid *id,
			  char *buf, size_t len);
/* The same device and PASID? A PASID-less id matches a PASID-less one. */
bool pgt_devid_eq(const struct pgt_devid *a, const struct pgt_devid *b);

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
	/* The entries from the register down to this device's own. */
	unsigned n_chain;
	struct pgt_iommu_entry chain[PGT_IOMMU_MAX_CHAIN];
	unsigned n_problems; /* problems of its own entries */
	struct pgt_iommu_problem problem[PGT_IOMMU_MAX_PROBLEMS];
};

/* An IOMMU: its kind, the register value(s) and the memory it reads. */
struct pgt_iommu;

/*
 * Decode the register (the raw value as read from the IOMMU; SMMUv3
 * "STRTAB_BASE,STRTAB_BASE_CFG", RISC-V "DDTP[,CAPABILITIES]") and set up
 * reading the structures in mem (which the IOMMU does not own). A register
 * that cannot be decoded is -EINVAL.
 */
int pgt_iommu_open(const struct pgt_iommu_kind *k, const char *reg, struct pgt_mem *mem,
		   struct pgt_iommu **out, struct pgt_error *err);
void pgt_iommu_close(struct pgt_iommu *io);
const struct pgt_iommu_kind *pgt_iommu_kind_of(const struct pgt_iommu *io);
/* The register, decoded as an entry of fields. */
const struct pgt_iommu_entry *pgt_iommu_register(const struct pgt_iommu *io);
/* The register values as given. */
unsigned pgt_iommu_register_values(const struct pgt_iommu *io, uint64_t *v);

struct pgt_iommu_visitor {
	/* Every device entry, in ID order; return non-zero to stop. */
	int (*device)(void *ctx, const struct pgt_iommu_device *dev);
	/* Every problem met in the structures (those of a device too). */
	int (*problem)(void *ctx, const struct pgt_iommu_problem *p);
	/* Invalid and abort entries are skipped unless this is set. */
	bool all;
	void *ctx;
};

/*
 * Walk the structures: each device (and each PASID of it) with a valid
 * entry, then its problems. Returns 0, a visitor's non-zero value, or a
 * negative errno (-ENOMEM).
 */
int pgt_iommu_walk(struct pgt_iommu *io, const struct pgt_iommu_visitor *v);

/*
 * The entry of one device: a PASID-less ID gives what the device's DMA
 * without a PASID goes through. -ENOENT (with err) when the structures
 * have no valid entry for it or a problem on the way stops the walk.
 */
int pgt_iommu_find(struct pgt_iommu *io, const struct pgt_devid *id,
		   struct pgt_iommu_device *dev, struct pgt_error *err);

/*
 * Attach a device's table in mem (read-only, the configuration checked as
 * the kernel's alloc checks it): -EOPNOTSUPP when pgtctl lacks the format,
 * -EINVAL when the configuration is refused or the table's registers
 * contradict the structures.
 */
int pgt_iommu_table_open(const struct pgt_iommu_table *it, struct pgt_mem *mem,
			 struct pgt_table **out, struct pgt_error *err);

/* --- Finding the structures without the register ----------------------- */

struct pgt_iommu_candidate {
	pgt_addr pa;	    /* where the structure starts */
	int64_t score;	    /* higher is more plausible */
	uint64_t devices;   /* valid entries that translate */
	uint64_t entries;   /* valid entries of any mode */
	uint64_t tables;    /* distinct page tables they point to */
	uint64_t problems;  /* malformed entries and bad pointers */
	char reg[64];	    /* the register value it implies, as --iommu-reg takes it */
};

/*
 * Find candidate root structures of an IOMMU kind in memory by their
 * shape: every aligned page is tried, entries decoded, pointers followed
 * to plausible tables. The best max_out, best first, go to out; returns
 * how many, or a negative errno.
 */
int pgt_iommu_scan(const struct pgt_iommu_kind *k, struct pgt_mem *mem,
		   struct pgt_iommu_candidate *out, size_t max_out, struct pgt_error *err);

#endif

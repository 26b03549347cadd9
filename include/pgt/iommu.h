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

PGT_BEGIN_DECLS

/* An IOMMU architecture: amd-vi, intel-vtd, smmuv3, riscv. */
struct pgt_iommu_kind;

PGT_EXPORT const struct pgt_iommu_kind *pgt_iommu_kind_find(const char *name);
/* Every kind; NULL-terminated. */
PGT_EXPORT const struct pgt_iommu_kind *const *pgt_iommu_kinds(void);
PGT_EXPORT const char *pgt_iommu_kind_name(const struct pgt_iommu_kind *k);
PGT_EXPORT const char *pgt_iommu_kind_summary(const struct pgt_iommu_kind *k);
/* What --iommu-reg is for this kind, in words. */
PGT_EXPORT const char *pgt_iommu_kind_register(const struct pgt_iommu_kind *k);

/* How the IOMMU treats a device's DMA. */
enum pgt_dev_mode {
	PGT_DEV_INVALID,    /* no valid entry: the IOMMU faults (or, AMD-Vi, passes) it */
	PGT_DEV_ABORT,	    /* a valid entry that blocks all DMA */
	PGT_DEV_BYPASS,	    /* untranslated */
	PGT_DEV_TRANSLATED, /* through one table */
	PGT_DEV_NESTED,	    /* through a first stage, then a second */
};
PGT_EXPORT const char *pgt_dev_mode_name(enum pgt_dev_mode m);

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
PGT_EXPORT int pgt_devid_parse(const char *s, struct pgt_devid *id, struct pgt_error *err);
/* The kind's way of writing it: a BDF for PCI requester IDs (AMD-Vi,
 * VT-d, RISC-V), a number for SMMUv3 stream IDs. */
PGT_EXPORT const char *pgt_devid_str(const struct pgt_iommu_kind *k, const struct pgt_devid *id,
			  char *buf, size_t len);
/* The same device and PASID? A PASID-less id matches a PASID-less one. */
PGT_EXPORT bool pgt_devid_eq(const struct pgt_devid *a, const struct pgt_devid *b);

/* One entry of an IOMMU structure, decoded (opaque): its name ("DTE",
 * "STE", "L1STD", "CD", "GCR3 entry"), its index in its table, where it is
 * (the register: 0), its 64-bit words and their fields. */
struct pgt_iommu_entry;
PGT_EXPORT const char *pgt_iommu_entry_name(const struct pgt_iommu_entry *e);
PGT_EXPORT uint64_t pgt_iommu_entry_index(const struct pgt_iommu_entry *e);
PGT_EXPORT pgt_addr pgt_iommu_entry_pa(const struct pgt_iommu_entry *e);
PGT_EXPORT unsigned pgt_iommu_entry_n_words(const struct pgt_iommu_entry *e);
PGT_EXPORT uint64_t pgt_iommu_entry_word(const struct pgt_iommu_entry *e, unsigned i);
PGT_EXPORT unsigned pgt_iommu_entry_n_fields(const struct pgt_iommu_entry *e);
PGT_EXPORT const struct pgt_field *pgt_iommu_entry_field(const struct pgt_iommu_entry *e,
							 unsigned i);

/* Something wrong in the structures, as check reports descriptors
 * (opaque): a malformed entry, a pointer outside memory, in a page a
 * dump excluded or cannot give back, a loop. */
struct pgt_iommu_problem;
PGT_EXPORT enum pgt_stop pgt_iommu_problem_kind(const struct pgt_iommu_problem *p);
/* The structure entry ("DTE") */
PGT_EXPORT const char *pgt_iommu_problem_what(const struct pgt_iommu_problem *p);
PGT_EXPORT pgt_addr pgt_iommu_problem_pa(const struct pgt_iommu_problem *p);
/* Its first word. */
PGT_EXPORT uint64_t pgt_iommu_problem_raw(const struct pgt_iommu_problem *p);
PGT_EXPORT const char *pgt_iommu_problem_why(const struct pgt_iommu_problem *p);

/* A table the structures give a device, with the configuration the
 * hardware walks it with (opaque). */
struct pgt_iommu_table;
/* The format's canonical name, even when pgtctl lacks the format. */
PGT_EXPORT const char *pgt_iommu_table_format(const struct pgt_iommu_table *it);
PGT_EXPORT unsigned pgt_iommu_table_n_roots(const struct pgt_iommu_table *it);
PGT_EXPORT pgt_addr pgt_iommu_table_root(const struct pgt_iommu_table *it, unsigned i);
PGT_EXPORT const struct pgt_cfg *pgt_iommu_table_cfg(const struct pgt_iommu_table *it);

/* A device (with its PASID, where it has one) and where its DMA goes
 * (opaque): from pgt_iommu_walk's visitor, or pgt_iommu_find. */
struct pgt_iommu_device;
PGT_EXPORT const struct pgt_devid *pgt_iommu_device_id(const struct pgt_iommu_device *d);
PGT_EXPORT enum pgt_dev_mode pgt_iommu_device_mode(const struct pgt_iommu_device *d);
/* The domain: DomainID, DID, VMID or ASID, GSCID or PSCID (*name says
 * which); false when the entry has none. */
PGT_EXPORT bool pgt_iommu_device_domain(const struct pgt_iommu_device *d, uint32_t *domain,
					const char **name);
/* The table DMA of this ID goes through first, or NULL. */
PGT_EXPORT const struct pgt_iommu_table *pgt_iommu_device_table(const struct pgt_iommu_device *d);
/* Nested: the table the first one's outputs go through, or NULL. */
PGT_EXPORT const struct pgt_iommu_table *pgt_iommu_device_stage2(const struct pgt_iommu_device *d);
/* The accesses (PGT_READ, PGT_WRITE) of the device's DMA the IOMMU passes
 * untranslated, to the physical address that is the IOVA: every one in
 * bypass (AMD-Vi: those IR and IW allow), and those of a device whose
 * AMD-Vi DTE is not valid; 0 when its DMA is translated or refused. */
PGT_EXPORT unsigned pgt_iommu_device_untranslated(const struct pgt_iommu_device *d);
/* A word on the mode, or NULL. */
PGT_EXPORT const char *pgt_iommu_device_note(const struct pgt_iommu_device *d);
/* The entries from the register down to this device's own. */
PGT_EXPORT unsigned pgt_iommu_device_n_chain(const struct pgt_iommu_device *d);
PGT_EXPORT const struct pgt_iommu_entry *pgt_iommu_device_chain(const struct pgt_iommu_device *d,
								unsigned i);
/* The problems of its own entries. */
PGT_EXPORT unsigned pgt_iommu_device_n_problems(const struct pgt_iommu_device *d);
PGT_EXPORT const struct pgt_iommu_problem *
pgt_iommu_device_problem(const struct pgt_iommu_device *d, unsigned i);
PGT_EXPORT void pgt_iommu_device_free(struct pgt_iommu_device *d);

/* An IOMMU: its kind, the register value(s) and the memory it reads. */
struct pgt_iommu;

/*
 * Decode the register (the raw value as read from the IOMMU; SMMUv3
 * "STRTAB_BASE,STRTAB_BASE_CFG", RISC-V "DDTP[,CAPABILITIES]") and set up
 * reading the structures in mem (which the IOMMU does not own). A register
 * that cannot be decoded is -EINVAL.
 */
PGT_EXPORT int pgt_iommu_open(const struct pgt_iommu_kind *k, const char *reg, struct pgt_mem *mem,
		   struct pgt_iommu **out, struct pgt_error *err);
PGT_EXPORT void pgt_iommu_close(struct pgt_iommu *io);
PGT_EXPORT const struct pgt_iommu_kind *pgt_iommu_kind_of(const struct pgt_iommu *io);
/* The register, decoded as an entry of fields. */
PGT_EXPORT const struct pgt_iommu_entry *pgt_iommu_register(const struct pgt_iommu *io);
/* The register values as given. */
PGT_EXPORT unsigned pgt_iommu_register_values(const struct pgt_iommu *io, uint64_t *v);

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
PGT_EXPORT int pgt_iommu_walk(struct pgt_iommu *io, const struct pgt_iommu_visitor *v);

/*
 * The entry of one device: a PASID-less ID gives what the device's DMA
 * without a PASID goes through. -ENOENT (with err) when the structures
 * have no valid entry for it or a problem on the way stops the walk.
 */
PGT_EXPORT int pgt_iommu_find(struct pgt_iommu *io, const struct pgt_devid *id,
			      struct pgt_iommu_device **out, struct pgt_error *err);

/*
 * Attach a device's table in mem (read-only, the configuration checked as
 * the kernel's alloc checks it): -EOPNOTSUPP when pgtctl lacks the format,
 * -EINVAL when the configuration is refused or the table's registers
 * contradict the structures.
 */
PGT_EXPORT int pgt_iommu_table_open(const struct pgt_iommu_table *it, struct pgt_mem *mem,
			 struct pgt_table **out, struct pgt_error *err);

/* --- Finding the structures without the register ----------------------- */

/* A candidate root structure, as pgt_iommu_candidates_get gives it. */
struct pgt_iommu_candidate {
	pgt_addr pa;	   /* where the structure starts */
	int64_t score;	   /* higher is more plausible */
	uint64_t devices;  /* valid entries that translate */
	uint64_t entries;  /* valid entries of any mode */
	uint64_t tables;   /* distinct page tables they point to */
	uint64_t problems; /* malformed entries and bad pointers */
	const char *reg;   /* the register value it implies, as pgt_iommu_open takes it */
};

/* The candidates a scan found, best first (opaque). */
struct pgt_iommu_candidates;
PGT_EXPORT size_t pgt_iommu_candidates_count(const struct pgt_iommu_candidates *c);
/* Candidate i (below the count): 0, or -ERANGE; out's strings are c's. */
PGT_EXPORT int pgt_iommu_candidates_get(const struct pgt_iommu_candidates *c, size_t i,
					struct pgt_iommu_candidate *out);
PGT_EXPORT void pgt_iommu_candidates_free(struct pgt_iommu_candidates *c);

/*
 * Find candidate root structures of an IOMMU kind in memory by their
 * shape: every aligned page is tried, entries decoded, pointers followed
 * to plausible tables. The best max_out, best first, go to *out.
 */
PGT_EXPORT int pgt_iommu_scan(const struct pgt_iommu_kind *k, struct pgt_mem *mem, size_t max_out,
			      struct pgt_iommu_candidates **out, struct pgt_error *err);

PGT_END_DECLS

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Page-table formats: the public face of the per-format descriptions that
 * the one generic engine consumes. A format is looked up by its canonical
 * name (arm-64-lpae-s1) or by the kernel's enum spelling (ARM_64_LPAE_S1).
 */
#ifndef PGT_FORMAT_H
#define PGT_FORMAT_H

#include "base.h"

#define PGT_MAX_LEVELS 6
#define PGT_MAX_ROOTS 4

struct pgt_format;

const struct pgt_format *pgt_format_find(const char *name);
/* All formats, in the kernel's enum order; NULL-terminated. */
const struct pgt_format *const *pgt_formats(void);
const char *pgt_format_name(const struct pgt_format *fmt);
const char *pgt_format_kernel_name(const struct pgt_format *fmt);
const char *pgt_format_summary(const struct pgt_format *fmt);
/* True once the format's description is written (all nine eventually). */
bool pgt_format_available(const struct pgt_format *fmt);
/* Quirks the kernel's alloc accepts for this format. */
uint64_t pgt_format_quirks(const struct pgt_format *fmt);
/* The configuration a table gets when the user gives none. */
void pgt_format_default_cfg(const struct pgt_format *fmt, struct pgt_cfg *cfg);
/* Every page size the format can ever map, and its ias/oas ceilings. */
uint64_t pgt_format_pgsizes(const struct pgt_format *fmt);
unsigned pgt_format_max_ias(const struct pgt_format *fmt);
unsigned pgt_format_max_oas(const struct pgt_format *fmt);
/* ELF e_machine for images of this format (the CPU the IOMMU serves). */
unsigned pgt_format_elf_machine(const struct pgt_format *fmt);
/* Does the format need the number of levels given (amd-iommu-v1 --mode)? */
bool pgt_format_needs_mode(const struct pgt_format *fmt);

/* One level of a table, as the generic walker needs it. depth 0 is the root. */
struct pgt_level_geom {
	unsigned shift;	     /* log2 of the IOVA span of one entry */
	unsigned index_bits; /* log2 of the number of entries of one table */
	/* One map/unmap call stops at a boundary of 2^batch_bits entries
	 * (the kernel's "end of the granule-sized table"). */
	unsigned batch_bits;
	unsigned label;	      /* the kernel's number for this level */
	uint64_t table_bytes; /* bytes of one table at this level */
	uint64_t table_align;
	uint64_t leaf_sizes; /* page sizes a leaf at this level can have */
	bool has_tables;     /* entries may point to a next-level table */
};

struct pgt_geometry {
	unsigned n_levels;
	struct pgt_level_geom level[PGT_MAX_LEVELS];
	unsigned desc_bytes; /* 4 or 8 */
	unsigned n_roots;    /* several roots split the IOVA space (DART) */
	unsigned root_shift; /* IOVA bit where the root index starts */
	uint64_t granule;    /* the granule passed to tlb_flush_walk */
	unsigned iova_bits;  /* IOVA bits the walk uses */
	uint64_t iova_high;  /* bits set in every IOVA of the table (TTBR1) */
	/* Tables must lie below this physical address (0: anywhere), because
	 * a table descriptor holds only so many address bits (v7s). */
	uint64_t table_pa_limit;
};

/* What one descriptor is, decoded. */
enum pgt_kind {
	PGT_EMPTY,
	PGT_TABLE,
	PGT_LEAF,
	PGT_BAD, /* not something the format's walker accepts */
};

struct pgt_entry {
	enum pgt_kind kind;
	uint64_t raw;
	pgt_addr pa;	/* table address, or the leaf's output address as stored */
	uint64_t size;	/* leaf: page size */
	unsigned prot;	/* leaf: PGT_* flags the descriptor grants */
	unsigned count; /* leaf: consecutive entries the page occupies */
	const char *why; /* PGT_BAD: the reason */
};

/* A decoded descriptor field, for translate -v and check. */
struct pgt_field {
	const char *name;
	uint64_t value;
	const char *meaning; /* NULL, or a word for the value */
};
#define PGT_MAX_FIELDS 16

/* Output registers: a value, a bitfield group, or a list (DART TTBRs). */
/* A value (an address or register image), a count (AMD mode, DART n_ttbrs),
 * a bitfield group, or a list (DART TTBRs). */
enum pgt_reg_kind { PGT_REG_VALUE, PGT_REG_COUNT, PGT_REG_FIELDS, PGT_REG_LIST };
#define PGT_REG_MAX_FIELDS 8
struct pgt_reg {
	const char *name;
	enum pgt_reg_kind kind;
	uint64_t value;
	unsigned n;
	struct {
		const char *name;
		uint64_t value;
	} field[PGT_REG_MAX_FIELDS];
	uint64_t list[PGT_MAX_ROOTS];
};
#define PGT_MAX_REGS 8
struct pgt_regs {
	unsigned n;
	struct pgt_reg reg[PGT_MAX_REGS];
};

#endif

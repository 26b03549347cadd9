/* SPDX-License-Identifier: MIT */
/*
 * Page-table formats: the public face of the per-format descriptions that
 * the one generic engine consumes. A format is looked up by its canonical
 * name (arm-64-lpae-s1) or by the kernel's enum spelling (ARM_64_LPAE_S1).
 */
#ifndef PGT_FORMAT_H
#define PGT_FORMAT_H

#include "base.h"

PGT_BEGIN_DECLS

#define PGT_MAX_LEVELS 6
#define PGT_MAX_ROOTS 4
/* The most options (pgt_format_option) a format has. */
#define PGT_MAX_FORMAT_OPTIONS 4

struct pgt_format;

PGT_EXPORT const struct pgt_format *pgt_format_find(const char *name);
/* All formats, in the kernel's enum order; NULL-terminated. */
PGT_EXPORT const struct pgt_format *const *pgt_formats(void);
PGT_EXPORT const char *pgt_format_name(const struct pgt_format *fmt);
PGT_EXPORT const char *pgt_format_kernel_name(const struct pgt_format *fmt);
PGT_EXPORT const char *pgt_format_summary(const struct pgt_format *fmt);
/* Is there an implementation of the format for this kernel (DEFAULT: for
 * its default kernel)? */
PGT_EXPORT bool pgt_format_available(const struct pgt_format *fmt, enum pgt_kernel kernel);
/* The kernel a table of this format reproduces when none is named: the
 * oldest that builds it (6.12's io-pgtable where it has the format). */
PGT_EXPORT enum pgt_kernel pgt_format_default_kernel(const struct pgt_format *fmt);
/* "6.12, 7.3": every kernel pgtctl knows (fmt NULL), or those that build
 * fmt, oldest first. */
PGT_EXPORT const char *pgt_kernel_list(const struct pgt_format *fmt, char *buf, size_t len);
/* Does this kernel build the format (DEFAULT: the default kernel)? */
PGT_EXPORT bool pgt_format_has_kernel(const struct pgt_format *fmt, enum pgt_kernel kernel);
/* Quirks this kernel's alloc accepts for this format (0 when it does not
 * build it). */
PGT_EXPORT uint64_t pgt_format_quirks(const struct pgt_format *fmt, enum pgt_kernel kernel);
/* The configuration a table gets when the user gives only the format and
 * the kernel (DEFAULT: the format's default kernel, which cfg->kernel
 * names after the call). */
PGT_EXPORT int pgt_format_default_cfg(const struct pgt_format *fmt, enum pgt_kernel kernel,
				      struct pgt_cfg **out, struct pgt_error *err);
/* Every page size the format can ever map, and its ias/oas ceilings under
 * this kernel. */
PGT_EXPORT uint64_t pgt_format_pgsizes(const struct pgt_format *fmt);
PGT_EXPORT unsigned pgt_format_max_ias(const struct pgt_format *fmt, enum pgt_kernel kernel);
PGT_EXPORT unsigned pgt_format_max_oas(const struct pgt_format *fmt);
/* ELF e_machine for images of this format (the CPU the IOMMU serves). */
PGT_EXPORT unsigned pgt_format_elf_machine(const struct pgt_format *fmt);
/* The translation stage the format's tables serve (1 or 2; 0 for an IOMMU
 * without stages): what a fault at one stage is walked in. */
PGT_EXPORT unsigned pgt_format_stage(const struct pgt_format *fmt);

/*
 * A format's own configuration beyond io_pgtable_cfg (amd-iommu-v1's mode):
 * a name the spec's config, the image note, info and the command line use,
 * and the values it takes. Its value is pgt_cfg.opt[i] for the option's
 * position i.
 */
struct pgt_format_option {
	const char *name;
	const char *summary;
	unsigned min, max;
	unsigned dflt; /* what a new table gets when it is not given */
	/* A table in memory cannot be read without it (nothing in memory or in
	 * the other configuration says it): --dump and --raw must give it. */
	bool needed_to_read;
};
PGT_EXPORT unsigned pgt_format_n_options(const struct pgt_format *fmt);
PGT_EXPORT const struct pgt_format_option *pgt_format_option(const struct pgt_format *fmt,
							     unsigned i);
/* The option's position, or -1 when the format has none of that name. */
PGT_EXPORT int pgt_format_option_find(const struct pgt_format *fmt, const char *name);
/* Set the named option in cfg, refusing a name the format does not have
 * or a value out of its range. */
PGT_EXPORT int pgt_cfg_set_option(const struct pgt_format *fmt, struct pgt_cfg *cfg,
				  const char *name,
		       uint64_t value, struct pgt_error *err);

/*
 * The level counts the kernel builds tables of the format with, fewest
 * first (amd-iommu-v1's modes 3 to 6, amd-iommu-v2's 4 and 5, intel-vtd-ss's
 * 3 to 5, riscv-iommu's Sv39, Sv48 and Sv57): up to max of them into levels,
 * and how many there are. 0 for a format whose count the rest of its
 * configuration decides (LPAE: the ias and granule) or that has one.
 */
PGT_EXPORT unsigned pgt_format_level_counts(const struct pgt_format *fmt, unsigned *levels,
					    unsigned max);
/* Configure cfg for a table of n levels, one of pgt_format_level_counts:
 * the option that holds the count and the ias the kernel pairs with it
 * (intel-vtd-ss's 3 levels: ias 39, as compute_vasz_lg2_ss() gives). */
PGT_EXPORT int pgt_cfg_set_levels(const struct pgt_format *fmt, struct pgt_cfg *cfg, unsigned n,
				  struct pgt_error *err);

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

/* How a table lays out its levels (opaque): pgt_table_geometry. */
struct pgt_geometry;
PGT_EXPORT unsigned pgt_geometry_levels(const struct pgt_geometry *g);
/* Level depth (0 is the root's), below pgt_geometry_levels. */
PGT_EXPORT const struct pgt_level_geom *pgt_geometry_level(const struct pgt_geometry *g,
							   unsigned depth);
/* Bytes of a descriptor: 4 or 8. */
PGT_EXPORT unsigned pgt_geometry_desc_bytes(const struct pgt_geometry *g);
/* Roots: several split the IOVA space (DART). */
PGT_EXPORT unsigned pgt_geometry_roots(const struct pgt_geometry *g);
/* The granule passed to tlb_flush_walk. */
PGT_EXPORT uint64_t pgt_geometry_granule(const struct pgt_geometry *g);
/* IOVA bits the walk uses. */
PGT_EXPORT unsigned pgt_geometry_iova_bits(const struct pgt_geometry *g);
/* The top IOVA bit the walk uses is repeated in every bit above it
 * (generic_pt's PT_FEAT_SIGN_EXTEND: x86 and RISC-V paging). */
PGT_EXPORT bool pgt_geometry_sign_extend(const struct pgt_geometry *g);

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

/* A table's output registers, as the kernel computes them into its
 * io_pgtable_cfg: a value (an address or register image), a count (AMD
 * mode, DART n_ttbrs), a bitfield group, or a list (DART TTBRs). */
enum pgt_reg_kind { PGT_REG_VALUE, PGT_REG_COUNT, PGT_REG_FIELDS, PGT_REG_LIST };

struct pgt_reg_field {
	const char *name;
	uint64_t value;
};

/* One register, as pgt_regs_get gives it; the pointers are the regs
 * record's, valid until it is freed. */
struct pgt_register {
	const char *name;
	enum pgt_reg_kind kind;
	/* PGT_REG_VALUE and COUNT: the value; PGT_REG_FIELDS: the register's
	 * image when it has one (image true: RISC-V iosatp) */
	uint64_t value;
	bool image;
	unsigned n; /* fields of a group, values of a list */
	const struct pgt_reg_field *field;
	const uint64_t *list;
};

/* The registers of one table (opaque): pgt_table_registers. */
struct pgt_regs;
PGT_EXPORT void pgt_regs_free(struct pgt_regs *r);
PGT_EXPORT unsigned pgt_regs_count(const struct pgt_regs *r);
/* Register i (below pgt_regs_count): 0, or -ERANGE. */
PGT_EXPORT int pgt_regs_get(const struct pgt_regs *r, unsigned i, struct pgt_register *out);

PGT_END_DECLS

#endif

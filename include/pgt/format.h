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
/* Is there an implementation of the format for this kernel (DEFAULT: for
 * its default kernel)? */
bool pgt_format_available(const struct pgt_format *fmt, enum pgt_kernel kernel);
/* The kernel a table of this format reproduces when none is named: the
 * oldest that builds it (6.12's io-pgtable where it has the format). */
enum pgt_kernel pgt_format_default_kernel(const struct pgt_format *fmt);
/* "6.12, 7.3": every kernel pgtctl knows (fmt NULL), or those that build
 * fmt, oldest first. */
const char *pgt_kernel_list(const struct pgt_format *fmt, char *buf, size_t len);
/* Does this kernel build the format (DEFAULT: the default kernel)? */
bool pgt_format_has_kernel(const struct pgt_format *fmt, enum pgt_kernel kernel);
/* Quirks this kernel's alloc accepts for this format (0 when it does not
 * build it). */
uint64_t pgt_format_quirks(const struct pgt_format *fmt, enum pgt_kernel kernel);
/* The configuration a table gets when the user gives only the format and
 * the kernel (DEFAULT: the format's default kernel, which cfg->kernel
 * names after the call). */
void pgt_format_default_cfg(const struct pgt_format *fmt, enum pgt_kernel kernel,
			    struct pgt_cfg *cfg);
/* Every page size the format can ever map, and its ias/oas ceilings under
 * this kernel. */
uint64_t pgt_format_pgsizes(const struct pgt_format *fmt);
unsigned pgt_format_max_ias(const struct pgt_format *fmt, enum pgt_kernel kernel);
unsigned pgt_format_max_oas(const struct pgt_format *fmt);
/* ELF e_machine for images of this format (the CPU the IOMMU serves). */
unsigned pgt_format_elf_machine(const struct pgt_format *fmt);
/* The translation stage the format's tables serve (1 or 2; 0 for an IOMMU
 * without stages): what a fault at one stage is walked in. */
unsigned pgt_format_stage(const struct pgt_format *fmt);

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
unsigned pgt_format_n_options(const struct pgt_format *fmt);
const struct pgt_format_option *pgt_format_option(const struct pgt_format *fmt, unsigned i);
/* The option's position, or -1 when the format has none of that name. */
int pgt_format_option_find(const struct pgt_format *fmt, const char *name);
/* Set the named option in cfg, refusing a name the format does not have
 * or a value out of its range. */
int pgt_cfg_set_option(const struct pgt_format *fmt, struct pgt_cfg *cfg, const char *name,
		       uint64_t value, struct pgt_error *err);

/*
 * How a kernel's map_pages/unmap_pages behave where implementations differ:
 * each format's kernel row is a set of these bits (after Linux generic_pt's
 * enum pt_features). Bits from PGT_FEAT_FMT_START on are private to one
 * format family, read by its own code only.
 */
enum pgt_feature {
	/* map/unmap_pages walk from the root for every page through the
	 * whole request (arm_v7s_map_pages, iommu_v1_map_pages) instead of
	 * stopping at the end of the current table (__arm_lpae_map). */
	PGT_FEAT_PER_PAGE,
	/* A leaf where a new leaf goes is overwritten, not -EEXIST (AMD v1). */
	PGT_FEAT_REPLACE_LEAVES,
	/* A leaf on the way down is replaced by a table, not -EEXIST; the
	 * rest of that large page is unmapped (AMD v1 alloc_pte()). */
	PGT_FEAT_REPLACE_BLOCKS,
	/* A leaf replaced where a new leaf goes makes the driver flush the
	 * mapped range, as a table torn down does (6.12's v2_alloc_pte()
	 * counts any present entry as an update; AMD v1's only freed
	 * tables). */
	PGT_FEAT_REPLACE_FLUSHES,
	/* An unmap of part of a block splits it into the pages around the
	 * hole (6.12's arm_lpae_split_blk_unmap, arm_v7s_split_cont); without
	 * it the kernel refuses (since 6.13). pgtctl refuses either way unless
	 * asked to split (--split). */
	PGT_FEAT_SPLIT_BLOCKS,
	/* unmap_pages removes whatever page holds each IOVA, whole, whatever
	 * pgsize says (iommu_v1_unmap_pages). */
	PGT_FEAT_UNMAP_WHOLE_PAGES,
	/* At the unmap level each entry in turn gets its TLB call (a table
	 * tlb_flush_walk, a leaf tlb_add_page) instead of the tables' walks
	 * first and then an add_page for every page (__arm_v7s_unmap). */
	PGT_FEAT_TLB_PER_ENTRY,
	/* tlb_add_page is called with a NULL gather too (v7s, DART). */
	PGT_FEAT_ADD_PAGE_WITHOUT_GATHER,
	/* iova_to_phys reads the first entry of the aligned group of equal
	 * large-page entries the IOVA hits (fetch_pte() via first_pte_l7());
	 * translate reads the hit entry, as the IOMMU does. */
	PGT_FEAT_PHYS_FROM_GROUP_HEAD,
	/* The kernel maps and unmaps whole ranges with generic_pt's
	 * map_range() and unmap_range() (drivers/iommu/generic_pt/iommu_pt.h,
	 * Linux 6.19 on) instead of io-pgtable's map_pages and unmap_pages:
	 * page sizes chosen per chunk across levels, contiguous entries,
	 * anything in the way refused (-EADDRINUSE) but empty tables, an
	 * unmap that stops at the first hole and takes whole leaves. */
	PGT_FEAT_RANGE_OPS,
	PGT_FEAT_FMT_START = 16,
};

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
	/* The top IOVA bit the walk uses is repeated in every bit above it
	 * (generic_pt's PT_FEAT_SIGN_EXTEND: x86 and RISC-V paging): the lower
	 * half of the entries of the root translate [0, 2^(iova_bits-1)), the
	 * upper half the same span at the top of the 64-bit space. */
	bool sign_extend;
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
	/* PGT_REG_FIELDS: value is the register's image too (RISC-V iosatp) */
	bool image;
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

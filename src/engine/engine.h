/* SPDX-License-Identifier: MIT */
/*
 * Inside the engine: what a format description consists of, and the table
 * instance the generic walker and mapper work on.
 *
 * How a format is described (read this before adding one or a kernel):
 *
 *  - A format is a struct pgt_format row of facts (names, descriptor size,
 *    page sizes, limits, the stage it serves, its own options) and a
 *    struct pgt_format_ops: the few functions that know its bits (setup as
 *    the kernel's alloc, encode/decode, registers, fields). A family of
 *    formats shares one ops and keeps what differs in its `facts`.
 *
 *  - Each kernel that builds the format has a struct pgt_format_kernel row
 *    in fmt->kernel[]: the feature bits that say how that kernel's
 *    map_pages/unmap_pages behave (enum pgt_feature in pgt/format.h, after
 *    Linux generic_pt's enum pt_features), the quirks its alloc accepts, and
 *    its ops when that kernel's code differs too much for bits (AMD v1 is
 *    io-pgtable in 6.12 and generic_pt in 7.3). A table resolves its row
 *    once, at setup: t->kern, t->ops, t->features. The generic mapper,
 *    unmapper and walker read pgt_feat(t, PGT_FEAT_...), never a format's
 *    name or a kernel version. A difference inside one family (LPAE's
 *    stage-2 concatenation rule, DART's levels) is a private bit from
 *    PGT_FEAT_FMT_START, read only by the family's own file.
 *
 *  - Hooks a format leaves NULL have a default (like generic_pt's
 *    pt_fmt_defaults.h): leaf_step (no bulk runs), check_leaf (every page
 *    encodes), grow (the table never grows), unmap_pages (the generic
 *    level-walking unmap in unmap.c), access_flag (the hardware checks no
 *    access flag).
 *
 *  - Configuration beyond io_pgtable_cfg is declared as options
 *    (struct pgt_format_option: name, range, default) and held in
 *    pgt_cfg.opt[]; the spec, the image note, info and the command line
 *    handle every option by name, so a new option needs no code outside
 *    its format.
 *
 *  - Every format in pgt_formats(), under every kernel it has, runs the
 *    conformance suite (tests/unit/t_conformance.c) with its default
 *    configuration: a new format is covered the day its row is added.
 */
#ifndef PGT_ENGINE_H
#define PGT_ENGINE_H

#include <endian.h>
#include <string.h>

#include "internal.h"

struct pgt_format_ops {
	/* The configuration a user gets by naming only the format. */
	void (*default_cfg)(const struct pgt_format *fmt, struct pgt_cfg *cfg);
	/* The kernel's alloc: refuse what it refuses, narrow t->cfg, fill t->geo. */
	int (*setup)(struct pgt_table *t, struct pgt_error *err);
	/* Leaf attribute bits for an IOMMU_* prot (no type, no address). */
	uint64_t (*prot_attrs)(const struct pgt_table *t, unsigned prot);
	/* A leaf entry of a page at this depth; index is the entry's position
	 * within the page's group of consecutive entries. */
	uint64_t (*leaf)(const struct pgt_table *t, unsigned depth, uint64_t pgsize, pgt_addr pa,
			 uint64_t attrs, unsigned index);
	/* When the leaves of n pages from pa differ only by a constant step
	 * (entry k = leaf(pa) + k * step), that step; else 0. Lets the mapper
	 * write runs without a call per entry. May be NULL. */
	uint64_t (*leaf_step)(const struct pgt_table *t, unsigned depth, uint64_t pgsize,
			      pgt_addr pa, uint64_t n);
	/* A table entry replacing old (0 when the slot was empty). */
	uint64_t (*table)(const struct pgt_table *t, unsigned depth, pgt_addr pa, uint64_t old);
	void (*decode)(const struct pgt_table *t, unsigned depth, uint64_t raw, struct pgt_entry *e);
	/* The attribute bits of a leaf, carried into the pages of a split. */
	uint64_t (*leaf_attrs)(const struct pgt_table *t, unsigned depth, uint64_t raw);
	/* The same table entry pointing at new_pa, every other bit kept. */
	uint64_t (*retarget)(const struct pgt_table *t, unsigned depth, uint64_t raw, pgt_addr new_pa);
	void (*registers)(const struct pgt_table *t, struct pgt_regs *regs);
	size_t (*fields)(const struct pgt_table *t, unsigned depth, uint64_t raw,
			 struct pgt_field *out, size_t max);
	/* Malformations a decoder tolerates but check reports (reserved bits,
	 * misaligned output address); NULL when the descriptor is clean. */
	const char *(*lint)(const struct pgt_table *t, unsigned depth, uint64_t raw);
	/* An entry of a page of several entries (count > 1) that is not the
	 * first, against the first (head): why they disagree as the hardware
	 * needs them to agree, or NULL. NULL hook: not checked. */
	const char *(*lint_group)(const struct pgt_table *t, unsigned depth, uint64_t raw,
				  uint64_t head);
	/* Refuse a page the format would encode wrongly, where the kernel
	 * maps it blindly (DART2 and 4K pages); NULL when all encode. */
	int (*check_leaf)(const struct pgt_table *t, uint64_t pgsize, pgt_addr pa, uint64_t n,
			  struct pgt_error *err);
	/* Make the table cover [iova, last] with pages of pgsize, adding
	 * levels above the root as the kernel does (AMD v1
	 * increase_address_space()); NULL when a format never grows. */
	int (*grow)(struct pgt_table *t, pgt_addr last, uint64_t pgsize, struct pgt_error *err);
	/* The kernel's unmap_pages when it is not the generic level walk of
	 * unmap.c (iommu_v1_unmap_pages); NULL: the generic one. Called after
	 * the common checks, with a writable table and an IOVA in range. */
	uint64_t (*unmap_pages)(struct pgt_table *t, pgt_addr iova, uint64_t pgsize,
				uint64_t pgcount, const struct pgt_unmap_opts *o,
				struct pgt_error *err);
	/* Refuse a prot the kernel's set_prot refuses (generic_pt's
	 * pt_iommu_set_prot: VT-d's read-only under vtdss-force-writeable,
	 * RISC-V's no-access leaf); NULL: every prot with read or write. */
	int (*check_prot)(const struct pgt_table *t, unsigned prot, struct pgt_error *err);
	/* A leaf's access flag as the hardware checks it: 1 set, 0 clear, -1
	 * when the hardware checks none for this table (its format has no
	 * AF, or a quirk has the IOMMU set it itself). NULL: always -1. */
	int (*access_flag)(const struct pgt_table *t, unsigned depth, uint64_t raw);
};

/* What one kernel builds of a format (see the note at the top). */
struct pgt_format_kernel {
	uint32_t features;	 /* 1u << PGT_FEAT_* */
	uint64_t quirks;	 /* accepted by this kernel's alloc */
	unsigned max_ias;	 /* 0: the format's */
	/* No io-pgtable TLB callbacks: the driver flushes the mapped range
	 * when a map replaced something, and what an unmap gathered
	 * (amd_iommu_domain_flush_pages); NULL when it has the callbacks. */
	const char *driver_flush;
	const struct pgt_format_ops *ops; /* NULL: the format's */
};

/* A level count and the ias the kernel pairs with it (0: the setup
 * derives the ias from the count, or keeps its own). */
struct pgt_level_choice {
	unsigned levels, ias;
};

struct pgt_format {
	const char *name;
	const char *kernel_name;
	/* generic_pt's name of the format (amdv1, x86_64, vtdss, riscv64), or
	 * NULL; like kernel_name a name it is found by, where no other
	 * format has it too */
	const char *pt_name;
	const char *summary;
	unsigned desc_bytes;
	uint64_t pgsizes;  /* every page size the format can have */
	unsigned max_ias;  /* the highest ias the format accepts */
	unsigned max_oas;
	unsigned elf_machine; /* e_machine of its images: the CPU it serves */
	unsigned stage;	      /* 1 or 2; 0: an IOMMU without stages */
	const struct pgt_format_option *options;
	unsigned n_options;
	/* The level counts the kernel builds its tables with, fewest first,
	 * and the option that holds the count (NULL: the ias alone decides):
	 * what pgt_cfg_set_levels sets and a scan tries. None where the rest
	 * of the configuration decides (LPAE's ias and granule) or the count
	 * is fixed. */
	const struct pgt_level_choice *level_choices;
	unsigned n_level_choices;
	const char *levels_option;
	const void *facts; /* family-specific description of this format */
	const struct pgt_format_ops *ops;
	/* By enum pgt_kernel; NULL where that kernel does not build it. */
	const struct pgt_format_kernel *kernel[PGT_KERNEL_END];
};

struct pgt_table {
	const struct pgt_format *fmt;
	/* The row of cfg.kernel, its ops and features (resolved by setup). */
	const struct pgt_format_kernel *kern;
	const struct pgt_format_ops *ops;
	uint32_t features;
	struct pgt_cfg cfg;
	struct pgt_geometry geo;
	struct pgt_mem *mem;
	bool writable;	 /* mem is an arena we may allocate in */
	/* No loop, shared table, bad pointer or malformed descriptor: built
	 * by the engine, or checked (pgt_table_check_sound) */
	bool known_sound;
	bool big_endian; /* descriptors as a big-endian kernel writes them */
	unsigned n_roots;
	pgt_addr root[PGT_MAX_ROOTS];
	struct pgt_events ev;
	void *ev_cookie;
	struct pgt_journal *journal; /* recording changes for undo, or NULL */
};

/* Save [p, p + len) of table memory before it changes (journal.c). */
void pgt_journal_note(struct pgt_journal *j, void *p, size_t len);

static inline bool pgt_feat(const struct pgt_table *t, unsigned feature)
{
	return (t->features >> feature) & 1;
}

/* A kernel's row of a format (kernel DEFAULT: the default one), or NULL. */
const struct pgt_format_kernel *pgt_format_row(const struct pgt_format *fmt,
					       enum pgt_kernel kernel);

/* Descriptors are in the byte order of the kernel that wrote them:
 * little-endian, or big-endian for a big-endian kernel's dump. */
static inline uint64_t pgt_desc_get(const struct pgt_table *t, const void *table, uint64_t idx)
{
	if (t->geo.desc_bytes == 8) {
		uint64_t v;
		memcpy(&v, (const char *)table + idx * 8, 8);
		return t->big_endian ? be64toh(v) : le64toh(v);
	}
	uint32_t v;
	memcpy(&v, (const char *)table + idx * 4, 4);
	return t->big_endian ? be32toh(v) : le32toh(v);
}

/* Encode into a buffer: a table's bytes away from its memory. */
static inline void pgt_desc_put(const struct pgt_table *t, void *table, uint64_t idx,
				uint64_t val)
{
	if (t->geo.desc_bytes == 8) {
		uint64_t v = t->big_endian ? htobe64(val) : htole64(val);
		memcpy((char *)table + idx * 8, &v, 8);
		return;
	}
	uint32_t v = t->big_endian ? htobe32((uint32_t)val) : htole32((uint32_t)val);
	memcpy((char *)table + idx * 4, &v, 4);
}

/* Write a descriptor of table memory; an open journal keeps the old one. */
static inline void pgt_desc_set(const struct pgt_table *t, void *table, uint64_t idx,
				uint64_t val)
{
	if (t->journal)
		pgt_journal_note(t->journal, (char *)table + idx * t->geo.desc_bytes,
				 t->geo.desc_bytes);
	pgt_desc_put(t, table, idx, val);
}

static inline unsigned pgt_index(const struct pgt_geometry *g, unsigned depth, pgt_addr iova)
{
	const struct pgt_level_geom *l = &g->level[depth];
	return (unsigned)((iova >> l->shift) & ((1ull << l->index_bits) - 1));
}

static inline unsigned pgt_root_index(const struct pgt_geometry *g, pgt_addr iova)
{
	return g->n_roots > 1 ? (unsigned)((iova >> g->root_shift) & (g->n_roots - 1)) : 0;
}

/* A table instance with its configuration and geometry but no roots yet. */
int pgt_table_setup(const struct pgt_format *fmt, const struct pgt_cfg *cfg, struct pgt_mem *mem,
		    struct pgt_table **out, struct pgt_error *err);

/* The level count the kernel's alloc gives a table of cfg; 0 when it
 * refuses cfg. */
unsigned pgt_config_levels(const struct pgt_format *fmt, const struct pgt_cfg *cfg);

/* Depth whose leaves have this page size, or -1. */
int pgt_depth_of_pgsize(const struct pgt_table *t, uint64_t pgsize);

/* Is iova inside the table's input range (including TTBR1's upper half,
 * and both halves of a sign-extended one)? */
bool pgt_iova_in_range(const struct pgt_table *t, pgt_addr iova);
/* The IOVA with the top walked bit repeated above it, where the table
 * sign-extends; else iova itself. */
pgt_addr pgt_iova_canonical(const struct pgt_geometry *g, pgt_addr iova);

/* Collecting decoded fields (pgt_format_ops.fields) and registers. */
struct pgt_fields {
	struct pgt_field *out;
	size_t n, max;
};
void pgt_field_add(struct pgt_fields *f, const char *name, uint64_t value, const char *meaning);
void pgt_reg_value(struct pgt_regs *r, const char *name, uint64_t value);
void pgt_reg_count(struct pgt_regs *r, const char *name, uint64_t value);
struct pgt_reg *pgt_reg_group(struct pgt_regs *r, const char *name);
/* A group of fields that is also one register's image (value). */
struct pgt_reg *pgt_reg_image(struct pgt_regs *r, const char *name, uint64_t value);
void pgt_reg_field(struct pgt_reg *g, const char *name, uint64_t value);
struct pgt_reg *pgt_reg_list(struct pgt_regs *r, const char *name);

/* Report a descriptor the format cannot accept; returns -EINVAL. */
int pgt_malformed(struct pgt_table *t, unsigned depth, pgt_addr desc_pa,
		  const struct pgt_entry *e, struct pgt_error *err);

/* Record "iova is not mapped" (-ENOENT) for the descriptor at desc_pa;
 * returns 0, the bytes an unmap_pages that stops there unmapped. */
uint64_t pgt_not_mapped(struct pgt_table *t, unsigned depth, pgt_addr iova, pgt_addr desc_pa,
			struct pgt_error *err);
/* Record the refusal of an unmap of part of the page e (-EINVAL), with
 * why; returns 0. */
uint64_t pgt_refuse_partial(struct pgt_table *t, unsigned depth, pgt_addr iova,
			    const struct pgt_entry *e, const char *why, struct pgt_error *err);

/* generic_pt's map_range() and unmap_range() with the iommu core's
 * iommu_iotlb_sync() after them (genpt.c), for PGT_FEAT_RANGE_OPS rows:
 * bitmap is the domain's pgsize_bitmap; queued an unmap with a flush
 * queue's gather (iommu_unmap_fast() from DMA-FQ). */
int pgt_range_map(struct pgt_table *t, pgt_addr iova, pgt_addr pa, uint64_t len, unsigned prot,
		  uint64_t bitmap, uint64_t *mapped, struct pgt_error *err);
uint64_t pgt_range_unmap(struct pgt_table *t, pgt_addr iova, uint64_t len, bool queued,
			 struct pgt_error *err);

/* Leaves in runs (leaf_runs.c). Write the leaves of n pages of pgsize
 * from pa into table p at depth, from entry idx on, whose slots are free:
 * a plain run where the format's leaves step by a constant, else an entry
 * at a time. */
void pgt_write_leaves(struct pgt_table *t, unsigned depth, void *p, uint64_t idx, uint64_t pgsize,
		      pgt_addr pa, uint64_t attrs, uint64_t n);
/* How many entries from idx of table p (at most n) continue the leaf e
 * found there the way a run of pages is mapped (entry k is e's raw plus k
 * times the format's leaf_step): leaves of e's kind and attributes, of the
 * next pages, whatever the format, without decoding each. 1 where the
 * format has no step or e is no single-entry page of the level's size. */
uint64_t pgt_leaf_run(struct pgt_table *t, unsigned depth, const void *p, uint64_t idx,
		      const struct pgt_entry *e, uint64_t n);
/* Zero n entries of table p from idx (noted in the undo journal). */
void pgt_clear_entries(struct pgt_table *t, void *p, uint64_t idx, uint64_t n);
/* How many of the n pages of per entries each from entry idx of table p
 * have all their slots free (zero). */
uint64_t pgt_free_run(const struct pgt_table *t, const void *p, uint64_t idx, uint64_t per,
		      uint64_t n);

/* Free a table and everything below it (__arm_lpae_free_pgtable). */
void pgt_free_subtree(struct pgt_table *t, unsigned depth, pgt_addr table_pa);

/* Can a table descriptor at parent_depth point at a table at pa? */
bool pgt_table_addressable(const struct pgt_table *t, unsigned parent_depth, pgt_addr pa);

/* Allocate a zeroed table for the given depth, where its parent can point. */
int pgt_alloc_table(struct pgt_table *t, unsigned depth, pgt_addr *pa, struct pgt_error *err);

/* Pointer to a whole table at depth, or NULL (with err) when it is not in memory. */
void *pgt_table_ptr(struct pgt_table *t, unsigned depth, pgt_addr pa, struct pgt_error *err);

uint64_t pgt_size_of_depth(const struct pgt_table *t, unsigned depth);

/* Why a read of memory failed (rc of pgt_mem_read), in words that follow
 * "... is": outside memory, excluded by the dump, or unreadable. */
enum pgt_stop pgt_unread(struct pgt_mem *mem, int rc, char *why, size_t len);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Inside the engine: what a format description consists of, and the table
 * instance the generic walker and mapper work on. A format family supplies
 * a struct pgt_format_ops; each format in the family is a struct pgt_format
 * row with its own facts.
 */
#ifndef PGT_ENGINE_H
#define PGT_ENGINE_H

#include <endian.h>
#include <string.h>

#include "pgt/parse.h"
#include "pgt/table.h"

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
	/* Refuse a page the format would encode wrongly, where the kernel
	 * maps it blindly (DART2 and 4K pages); NULL when all encode. */
	int (*check_leaf)(const struct pgt_table *t, uint64_t pgsize, pgt_addr pa, uint64_t n,
			  struct pgt_error *err);
	/* Make the table cover [iova, last] with pages of pgsize, adding
	 * levels above the root as the kernel does (AMD v1
	 * increase_address_space()); NULL when a format never grows. */
	int (*grow)(struct pgt_table *t, pgt_addr last, uint64_t pgsize, struct pgt_error *err);
};

/*
 * How a format's map_pages and unmap_pages behave where the kernel's
 * implementations differ. The generic mapper and unmapper read these; the
 * zero value is LPAE's behaviour.
 */
struct pgt_semantics {
	/* map/unmap_pages loop over every page with a walk from the root
	 * (arm_v7s_map_pages, iommu_v1_map_pages) instead of stopping at the
	 * end of the current table (__arm_lpae_map, dart_map_pages). */
	bool per_page;
	/* A leaf where a new leaf goes is overwritten, not -EEXIST (AMD v1). */
	bool overwrite_leaves;
	/* A leaf on the way down is replaced by a table, not -EEXIST; the
	 * rest of that large page is unmapped (AMD v1 alloc_pte()). */
	bool destroy_blocks;
	/* unmap_pages looks up whatever page holds each IOVA and removes it
	 * whole, whatever pgsize says (iommu_v1_unmap_pages). */
	bool unmap_by_lookup;
	/* At the unmap level each entry in turn gets its TLB call (a table
	 * tlb_flush_walk, a leaf tlb_add_page) instead of the tables' walks
	 * first and then an add_page for every entry (__arm_v7s_unmap). */
	bool tlb_per_entry;
	/* tlb_add_page is called with a NULL gather too (v7s, DART). */
	bool add_page_without_gather;
	/* iova_to_phys reads the first entry of the aligned group of equal
	 * large-page entries the IOVA hits, with the hit entry's page size
	 * (fetch_pte() via first_pte_l7()); translate reads the hit entry,
	 * as the IOMMU does. They differ only where a group is no longer whole. */
	bool phys_from_group_head;
	/* No io-pgtable TLB callbacks: the driver flushes the mapped range
	 * when a map replaced something (amd_iommu_domain_flush_pages). */
	const char *driver_flush;
};

struct pgt_format {
	const char *name;
	const char *kernel_name;
	const char *summary;
	unsigned desc_bytes;
	uint64_t quirks;   /* accepted by the kernel's alloc */
	uint64_t pgsizes;  /* every page size the format can have */
	unsigned max_ias;  /* the highest ias the format accepts */
	unsigned max_oas;
	bool needs_mode;
	unsigned elf_machine; /* e_machine of its images: the CPU it serves */
	struct pgt_semantics sem;
	const void *facts; /* family-specific description of this format */
	const struct pgt_format_ops *ops; /* NULL: not implemented yet */
};

struct pgt_table {
	const struct pgt_format *fmt;
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

/* Depth whose leaves have this page size, or -1. */
int pgt_depth_of_pgsize(const struct pgt_table *t, uint64_t pgsize);

/* Is iova inside the table's input range (including TTBR1's upper half)? */
bool pgt_iova_in_range(const struct pgt_table *t, pgt_addr iova);

/* Collecting decoded fields (pgt_format_ops.fields) and registers. */
struct pgt_fields {
	struct pgt_field *out;
	size_t n, max;
};
void pgt_field_add(struct pgt_fields *f, const char *name, uint64_t value, const char *meaning);
void pgt_reg_value(struct pgt_regs *r, const char *name, uint64_t value);
void pgt_reg_count(struct pgt_regs *r, const char *name, uint64_t value);
struct pgt_reg *pgt_reg_group(struct pgt_regs *r, const char *name);
void pgt_reg_field(struct pgt_reg *g, const char *name, uint64_t value);
struct pgt_reg *pgt_reg_list(struct pgt_regs *r, const char *name);

/* Report a descriptor the format cannot accept; returns -EINVAL. */
int pgt_malformed(struct pgt_table *t, unsigned depth, pgt_addr desc_pa,
		  const struct pgt_entry *e, struct pgt_error *err);

/* Free a table and everything below it (__arm_lpae_free_pgtable). */
void pgt_free_subtree(struct pgt_table *t, unsigned depth, pgt_addr table_pa);

/* Can a table descriptor at parent_depth point at a table at pa? */
bool pgt_table_addressable(const struct pgt_table *t, unsigned parent_depth, pgt_addr pa);

/* Allocate a zeroed table for the given depth, where its parent can point. */
int pgt_alloc_table(struct pgt_table *t, unsigned depth, pgt_addr *pa, struct pgt_error *err);

/* Pointer to a whole table at depth, or NULL (with err) when it is not in memory. */
void *pgt_table_ptr(struct pgt_table *t, unsigned depth, pgt_addr pa, struct pgt_error *err);

uint64_t pgt_size_of_depth(const struct pgt_table *t, unsigned depth);

#endif

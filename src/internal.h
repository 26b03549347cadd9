/* SPDX-License-Identifier: MIT */
/*
 * Inside libpgt: what every part of the library shares but the public
 * headers (include/pgt) do not promise. Nothing declared here is exported
 * from libpgt.so (the build hides every symbol the public headers do not
 * declare); the tests in tests/ that reach inside include it too.
 */
#ifndef PGT_INTERNAL_H
#define PGT_INTERNAL_H

#include <stdarg.h>

#include "pgt/pgt.h"
#include "util/join.h"

/* --- Errors ------------------------------------------------------------- */

#define PGT_ERR_MSG_MAX 512

/* Opaque to callers (pgt/base.h); the library's own code keeps records on
 * its stack. A message cut to fit ends with "...". */
struct pgt_error {
	int code;
	enum pgt_remedy remedy;
	char msg[PGT_ERR_MSG_MAX];
};

/* Name the remedy of the failure just recorded; returns code, so that
 * `return pgt_remedy(err, PGT_REMEDY_SPLIT, pgt_fail(err, ...))` works. */
int pgt_remedy(struct pgt_error *err, enum pgt_remedy remedy, int code);

/* --- Configuration ------------------------------------------------------ */

/*
 * The caller's side of struct io_pgtable_cfg. A format's setup may narrow
 * pgsize_bitmap and clamp ias/oas, as the kernel's alloc functions do.
 */
struct pgt_cfg {
	uint64_t quirks;
	uint64_t pgsize_bitmap;
	unsigned ias;
	unsigned oas;
	bool coherent_walk;
	/* The kernel's PAGE_SIZE: LPAE picks its granule from it. */
	uint64_t cpu_page_size;
	/* The kernel reproduced; a table's setup replaces DEFAULT by the
	 * format's default kernel. */
	enum pgt_kernel kernel;
	/* The format's own options (amd-iommu-v1's mode, ...): see
	 * pgt_format_option(); a setup fills what is not given. */
	unsigned opt[PGT_MAX_FORMAT_OPTIONS];
};

/* Fill defaults: every field that a format treats as "not given". */
void pgt_cfg_init(struct pgt_cfg *cfg);

/* pgt_format_default_cfg into a record of the caller's. */
void pgt_format_cfg_defaults(const struct pgt_format *fmt, enum pgt_kernel kernel,
			     struct pgt_cfg *cfg);

/* --- Physical memory backends ---------------------------------------- */

struct pgt_mem_ops {
	/*
	 * Direct pointer to [pa, pa + len) when the whole range is present and
	 * contiguous in the backend, else NULL. Valid until the backend is
	 * destroyed (arena pointers survive later allocations).
	 */
	void *(*ptr)(struct pgt_mem *mem, pgt_addr pa, uint64_t len);
	/* Copy out; -EFAULT when any byte is outside the memory, -ENODATA in a
	 * page a dump left out, -EIO in one it holds but cannot give back. */
	int (*read)(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len);
	/* The same, callable from several threads at once (no cache, no
	 * why); NULL when the backend cannot. */
	int (*read_shared)(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len);
	/* Why the last read failed with -EIO; NULL when the backend never does. */
	const char *(*why)(struct pgt_mem *mem);
	/* NULL for read-only backends. */
	int (*write)(struct pgt_mem *mem, pgt_addr pa, const void *buf, uint64_t len);
	/* Present ranges, sorted by address; returns the count, fills up to max. */
	size_t (*ranges)(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max);
	/*
	 * The first run of present memory ending after from that may hold
	 * bytes other than zero: true and *out, false when none is left.
	 * What is known to read as zeros is left out (holes of a sparse
	 * file, an ELF segment's memsz beyond its filesz); the cost is that
	 * of the data, not of the memory's size.
	 */
	bool (*data)(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out);
	void (*destroy)(struct pgt_mem *mem);
};

struct pgt_mem {
	const struct pgt_mem_ops *ops;
	const char *name; /* for messages: file name or "arena" */
	/* The memory of a big-endian machine (an ELF core says so): its
	 * kernel wrote page-table descriptors big-endian. */
	bool big_endian;
	/* Memory whose bytes stay where they are for as long as the backend
	 * lives (a file read whole), set by the backend's ptr: pgt_mem_ptr
	 * answers inside it without a call (a walk asks for every level). */
	struct {
		pgt_addr pa;
		uint64_t len;
		const uint8_t *at;
	} window;
};

static inline void *pgt_mem_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	uint64_t off = pa - mem->window.pa;
	if (off < mem->window.len && len <= mem->window.len - off)
		return (void *)(mem->window.at + off);
	return mem->ops->ptr ? mem->ops->ptr(mem, pa, len) : NULL;
}

/* A read that threads may make at once where the backend allows it (bulk
 * reads: scan); else pgt_mem_read. */
int pgt_mem_read_shared(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len);
/* Read one descriptor of 4 or 8 bytes in the given byte order. */
int pgt_mem_read_desc(struct pgt_mem *mem, pgt_addr pa, unsigned bytes, bool big_endian,
		      uint64_t *val);
/* The next run that may hold data (pgt_mem_ops.data), starting at from or
 * later. */
bool pgt_mem_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out);
/* For backends whose open fails part-way: record "NAME: message", destroy
 * what was built (its ops set), and return code. */
int pgt_mem_vfail(struct pgt_mem *mem, const char *name, struct pgt_error *err, int code,
		  const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/* Arena internals: the table code allocates in it. */
int pgt_arena_alloc(struct pgt_mem *arena, uint64_t size, uint64_t align, pgt_addr *pa,
		    struct pgt_error *err);
void pgt_arena_free(struct pgt_mem *arena, pgt_addr pa, uint64_t size);
pgt_addr pgt_arena_base(const struct pgt_mem *arena);
/* One past the highest byte ever allocated. */
pgt_addr pgt_arena_end(const struct pgt_mem *arena);
/* Make [pa, pa + len) part of the arena (zeroed) without allocating it:
 * its memory is made when written or pointed into. Used to load an
 * existing image for editing. */
int pgt_arena_reserve(struct pgt_mem *arena, pgt_addr pa, uint64_t len, struct pgt_error *err);
/* Is every byte below the end a block allocated now, or never handed out
 * (zero)? False while a freed block waits for reuse, and once memory was
 * reserved. */
bool pgt_arena_only_tables(const struct pgt_mem *arena);
/* Cap on arena growth; allocations beyond it fail with -ENOMEM. */
void pgt_arena_set_limit(struct pgt_mem *arena, uint64_t max_bytes);
uint64_t pgt_arena_limit(const struct pgt_mem *arena);

/*
 * Undo (pgt_journal): each change an allocation or a free makes, as the
 * arena tells a recorder, and its exact inverse. A reused block is told
 * before it is zeroed, so that the recorder can keep its bytes.
 */
enum pgt_arena_change_kind {
	PGT_ARENA_BUMP,	 /* allocated above the top */
	PGT_ARENA_REUSE, /* allocated from the free blocks */
	PGT_ARENA_FREE,
};
struct pgt_arena_change {
	enum pgt_arena_change_kind kind;
	pgt_addr pa;
	uint64_t size;
	pgt_addr top; /* the top before */
	size_t slot;  /* where in the free blocks of its size */
};
/* fn NULL: no recorder. */
void pgt_arena_set_recorder(struct pgt_mem *arena,
			    void (*fn)(void *ctx, const struct pgt_arena_change *c), void *ctx);
/* Undo one change: the newest change not yet undone. A reused block's
 * bytes are the recorder's to put back. */
void pgt_arena_revert(struct pgt_mem *arena, const struct pgt_arena_change *c);

bool pgt_mem_is_elfcore(const struct pgt_mem *mem);
/* The descriptor of the first note with this owner and type: 0, or
 * -ENOENT when there is none, or -EINVAL (err says why) when a PT_NOTE
 * segment lies outside the file or that note's sizes run past it. */
int pgt_elfcore_note(struct pgt_mem *mem, const char *owner, uint32_t type, const void **desc,
		     size_t *len, struct pgt_error *err);

/* mem for several threads at once: each call made under one lock. Does
 * not own mem; destroy it after. */
struct pgt_mem *pgt_mem_locked(struct pgt_mem *mem);

/* --- Tables ------------------------------------------------------------ */

/* A table's layout (opaque in pgt/format.h). */
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

/* Output registers (opaque in pgt/format.h; pgt_regs_get reads them). */
#define PGT_REG_MAX_FIELDS 8
struct pgt_reg {
	const char *name;
	enum pgt_reg_kind kind;
	/* PGT_REG_FIELDS: value is the register's image too (RISC-V iosatp) */
	bool image;
	uint64_t value;
	unsigned n;
	struct pgt_reg_field field[PGT_REG_MAX_FIELDS];
	uint64_t list[PGT_MAX_ROOTS];
};
#define PGT_MAX_REGS 8
struct pgt_regs {
	unsigned n;
	struct pgt_reg reg[PGT_MAX_REGS];
};

/* The registers into a record of the caller's. */
void pgt_table_regs(const struct pgt_table *t, struct pgt_regs *regs);

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

/* Does the table's kernel row have this feature (enum pgt_feature)? */
bool pgt_table_feature(const struct pgt_table *t, enum pgt_feature f);
/* A leaf's access flag as the IOMMU checks it: 1 set, 0 clear (the walk
 * faults), -1 when this table's hardware checks none. */
int pgt_table_access_flag(const struct pgt_table *t, unsigned depth, uint64_t raw);
/*
 * Would map_pages write this leaf? It grants read or write (no format
 * writes one that grants neither), and its bits are what the format
 * encodes for its page size, output and prot. *again gets that encoding
 * (NULL: not wanted). A table another writer made (a CPU's, a corrupted
 * one) fails this; so does a leaf whose bits the hardware changed.
 */
struct pgt_leaf;
bool pgt_table_leaf_from_map(const struct pgt_table *t, const struct pgt_leaf *l,
			     uint64_t *again);
/* Descriptor idx of a table's bytes, in the table's byte order. */
uint64_t pgt_table_desc_at(const struct pgt_table *t, const void *table, uint64_t idx);
/* A table descriptor with its address cleared: what stays the same when
 * the table it points to sits elsewhere. */
uint64_t pgt_table_desc_sans_addr(const struct pgt_table *t, unsigned depth, uint64_t raw);

/* A walk (opaque in pgt/table.h): the engine and the fault explainer keep
 * them by value. */
struct pgt_walk {
	pgt_addr iova;
	unsigned root;
	unsigned n_steps;
	struct pgt_walk_step step[PGT_MAX_LEVELS];
	enum pgt_stop stop;
	pgt_addr pa;	     /* PGT_STOP_LEAF: the translation */
	char why[256];	     /* for every stop but LEAF */
};

/* The table laid out canonically from where its memory starts: t itself
 * when its arena already is (*arena_out NULL, *out t: nothing copied),
 * else a clone. */
int pgt_table_canonical(struct pgt_table *t, struct pgt_mem **arena_out, struct pgt_table **out,
			struct pgt_error *err);

/* io_pgtable_ops.unmap_pages() as the kernel returns it: bytes unmapped, 0
 * when it unmapped nothing; err says why nothing (or less) was unmapped
 * (pgt_unmap_pages is the public form). */
uint64_t pgt_unmap_bytes(struct pgt_table *t, pgt_addr iova, uint64_t pgsize, uint64_t pgcount,
			 const struct pgt_unmap_opts *opts, struct pgt_error *err);

/* --- Specs (opaque in pgt/spec.h) ---------------------------------------- */

struct pgt_spec_pos {
	unsigned line, column; /* 1-based */
};

struct pgt_spec_mapping {
	pgt_addr iova, pa;
	uint64_t size;
	uint64_t pgsize; /* 0: as iommu_map() splits it */
	unsigned prot;
	bool replace; /* PGT_MAP_REPLACE */
	struct pgt_spec_pos pos;
};

struct pgt_spec_unmap {
	pgt_addr iova;
	uint64_t size;
	bool split;
	struct pgt_spec_pos pos;
};

struct pgt_spec {
	char *name; /* file name for messages */
	const struct pgt_format *fmt;
	struct pgt_cfg cfg;
	struct pgt_spec_pos cfg_pos; /* where format/config were given */
	pgt_addr mem_base;
	uint64_t mem_limit; /* 0: the arena's default */
	struct pgt_spec_mapping *maps;
	size_t n_maps;
	struct pgt_spec_unmap *unmaps;
	size_t n_unmaps;
};

#endif

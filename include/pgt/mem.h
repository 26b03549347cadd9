/* SPDX-License-Identifier: MIT */
/*
 * Physical memory as the engine sees it: byte ranges placed at physical
 * addresses, read and written through bounds-checked calls. Backends: a
 * growable arena that tables are built in, a file placed at a base address,
 * the PT_LOAD segments of an ELF core, and a union of several of these.
 */
#ifndef PGT_MEM_H
#define PGT_MEM_H

#include <stdarg.h>

#include "base.h"

struct pgt_mem;

/* One run of physical memory the backend holds. */
struct pgt_mem_range {
	pgt_addr pa;
	uint64_t len;
};

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
};

static inline void *pgt_mem_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	return mem->ops->ptr ? mem->ops->ptr(mem, pa, len) : NULL;
}

int pgt_mem_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len);
/* A read that threads may make at once where the backend allows it (bulk
 * reads: scan); else pgt_mem_read. */
int pgt_mem_read_shared(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len);
int pgt_mem_write(struct pgt_mem *mem, pgt_addr pa, const void *buf, uint64_t len);
size_t pgt_mem_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max);
/* The next run that may hold data (pgt_mem_ops.data), starting at from or
 * later. */
bool pgt_mem_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out);
/* Why the last read failed with -EIO, or "". */
const char *pgt_mem_why(struct pgt_mem *mem);
/* Read one descriptor of 4 or 8 bytes in the given byte order. */
int pgt_mem_read_desc(struct pgt_mem *mem, pgt_addr pa, unsigned bytes, bool big_endian,
		      uint64_t *val);
void pgt_mem_destroy(struct pgt_mem *mem);
/* For backends whose open fails part-way: record "NAME: message", destroy
 * what was built (its ops set), and return NULL. */
struct pgt_mem *pgt_mem_vfail(struct pgt_mem *mem, const char *name, struct pgt_error *err,
			      int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/*
 * Arena: table memory allocated upward from base, zeroed, in a
 * deterministic order; a freed block of the size asked for is reused
 * first, the most recently freed one. Allocating and freeing take constant
 * time.
 */
struct pgt_mem *pgt_arena_new(pgt_addr base);
int pgt_arena_alloc(struct pgt_mem *arena, uint64_t size, uint64_t align, pgt_addr *pa,
		    struct pgt_error *err);
void pgt_arena_free(struct pgt_mem *arena, pgt_addr pa, uint64_t size);
bool pgt_mem_is_arena(const struct pgt_mem *mem);
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
/* The cap of arenas made from now on (256 MiB unless changed). */
void pgt_arena_set_default_limit(uint64_t max_bytes);
uint64_t pgt_arena_default_limit(void);

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

/* A flat file whose first byte is at physical address base; read in place,
 * never whole. */
struct pgt_mem *pgt_rawfile_open(const char *path, pgt_addr base, struct pgt_error *err);

/* The PT_LOAD segments of an ELF core file, placed by p_paddr. */
struct pgt_mem *pgt_elfcore_open(const char *path, struct pgt_error *err);
bool pgt_mem_is_elfcore(const struct pgt_mem *mem);
/* The descriptor of the first note with this owner and type: 0, or
 * -ENOENT when there is none, or -EINVAL (err says why) when a PT_NOTE
 * segment lies outside the file or that note's sizes run past it. */
int pgt_elfcore_note(struct pgt_mem *mem, const char *owner, uint32_t type, const void **desc,
		     size_t *len, struct pgt_error *err);

/*
 * A compressed kdump (makedumpfile's "KDUMP   " diskdump format, as
 * makedumpfile -c/-l/-p/-z and QEMU dump-guest-memory -z/-l/-s write it),
 * or its flattened form (makedumpfile -F, QEMU's output), read in place:
 * pages are decompressed on demand through a small cache. A page the dump
 * excluded reads as -ENODATA, not as zeros.
 */
struct pgt_mem *pgt_kdump_open(const char *path, struct pgt_error *err);

/* Whatever FILE is, by its content: an ELF core, a kdump or a flattened
 * kdump. */
struct pgt_mem *pgt_dump_open(const char *path, struct pgt_error *err);

/* mem for several threads at once: each call made under one lock. Does
 * not own mem; destroy it after. */
struct pgt_mem *pgt_mem_locked(struct pgt_mem *mem);

/*
 * Union of several memories (several --dump/--raw sources); takes ownership.
 * Overlapping ranges are an error.
 */
struct pgt_mem *pgt_mem_union(struct pgt_mem **parts, size_t n, struct pgt_error *err);

#endif

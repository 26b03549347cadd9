/* SPDX-License-Identifier: MIT */
/*
 * Physical memory as the engine sees it: byte ranges placed at physical
 * addresses, read and written through bounds-checked calls. Backends: a
 * growable arena that tables are built in, a file placed at a base address,
 * the PT_LOAD segments of an ELF core, and a union of several of these.
 */
#ifndef PGT_MEM_H
#define PGT_MEM_H

#include "base.h"

PGT_BEGIN_DECLS

struct pgt_mem;

/* One run of physical memory the backend holds. */
struct pgt_mem_range {
	pgt_addr pa;
	uint64_t len;
};

PGT_EXPORT int pgt_mem_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len);
PGT_EXPORT int pgt_mem_write(struct pgt_mem *mem, pgt_addr pa, const void *buf, uint64_t len);
PGT_EXPORT size_t pgt_mem_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max);
/* Why the last read failed with -EIO, or "". */
PGT_EXPORT const char *pgt_mem_why(struct pgt_mem *mem);
PGT_EXPORT void pgt_mem_destroy(struct pgt_mem *mem);
/* Descriptors in this memory were written big-endian (a big-endian
 * machine's kernel): an ELF core says so itself, other memory does not. */
PGT_EXPORT void pgt_mem_set_big_endian(struct pgt_mem *mem, bool big_endian);
PGT_EXPORT bool pgt_mem_big_endian(const struct pgt_mem *mem);

/*
 * Arena: table memory allocated upward from base, zeroed, in a
 * deterministic order; a freed block of the size asked for is reused
 * first, the most recently freed one. Allocating and freeing take constant
 * time.
 */
PGT_EXPORT int pgt_arena_new(pgt_addr base, struct pgt_mem **out, struct pgt_error *err);
PGT_EXPORT bool pgt_mem_is_arena(const struct pgt_mem *mem);
/* The cap of arenas made from now on (256 MiB unless changed). */
PGT_EXPORT void pgt_arena_set_default_limit(uint64_t max_bytes);
PGT_EXPORT uint64_t pgt_arena_default_limit(void);

/*
 * Memory the caller reads for the library (a debugger, an emulator, a
 * language binding): callbacks over ctx. Each returns 0 or a negative
 * errno: -EFAULT where there is no memory, -ENODATA in a page a dump left
 * out, -EIO in one that cannot be read (err, which may be given a
 * message with pgt_fail, says why). The callbacks are copied; ctx is the
 * caller's, released (when release is set) with the memory.
 */
struct pgt_mem_callbacks {
	int (*read)(void *ctx, pgt_addr pa, void *buf, uint64_t len, struct pgt_error *err);
	/* NULL: pgt_mem_write fails. Either way map and unmap edit tables in
	 * an arena only (pgt_table_clone copies one there), never in place in
	 * the caller's memory */
	int (*write)(void *ctx, pgt_addr pa, const void *buf, uint64_t len,
		     struct pgt_error *err);
	/* The runs of memory there are, sorted by address: how many, at most
	 * max of them into out (NULL: none known; scans find nothing) */
	size_t (*ranges)(void *ctx, struct pgt_mem_range *out, size_t max);
	/* NULL: nothing to release */
	void (*release)(void *ctx);
};
/* name is for messages ("memory" when NULL). */
PGT_EXPORT int pgt_mem_new(const char *name, const struct pgt_mem_callbacks *cb, void *ctx,
			   struct pgt_mem **out, struct pgt_error *err);

/* A flat file whose first byte is at physical address base; read in place,
 * never whole. */
PGT_EXPORT int pgt_rawfile_open(const char *path, pgt_addr base, struct pgt_mem **out,
				struct pgt_error *err);

/* The PT_LOAD segments of an ELF core file, placed by p_paddr. */
PGT_EXPORT int pgt_elfcore_open(const char *path, struct pgt_mem **out, struct pgt_error *err);

/*
 * A compressed kdump (makedumpfile's "KDUMP   " diskdump format, as
 * makedumpfile -c/-l/-p/-z and QEMU dump-guest-memory -z/-l/-s write it),
 * or its flattened form (makedumpfile -F, QEMU's output), read in place:
 * pages are decompressed on demand through a small cache. A page the dump
 * excluded reads as -ENODATA, not as zeros.
 */
PGT_EXPORT int pgt_kdump_open(const char *path, struct pgt_mem **out, struct pgt_error *err);

/* Whatever FILE is, by its content: an ELF core, a kdump or a flattened
 * kdump. */
PGT_EXPORT int pgt_dump_open(const char *path, struct pgt_mem **out, struct pgt_error *err);

/*
 * Union of several memories (several --dump/--raw sources); takes ownership.
 * Overlapping ranges are an error; the parts are destroyed then too.
 */
PGT_EXPORT int pgt_mem_union(struct pgt_mem **parts, size_t n, struct pgt_mem **out,
			      struct pgt_error *err);

PGT_END_DECLS

#endif

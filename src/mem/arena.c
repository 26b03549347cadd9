// SPDX-License-Identifier: MIT
/*
 * The arena tables are built in. Memory comes in 2 MiB chunks aligned to
 * absolute 2 MiB physical boundaries, so a naturally aligned table (every
 * table is a power of two no larger than 256 KiB: Linux 7.3's stage-2 root
 * of sixteen concatenated 16K tables) never straddles two chunks and
 * pointers handed out stay valid while the arena grows.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

#define CHUNK_SHIFT 21
#define CHUNK_SIZE (1ull << CHUNK_SHIFT)
#define N_CLASSES 64

/* Enough for 128 GiB mapped in 4K pages; what needs more says so. */
static uint64_t default_limit = 256ull << 20;

struct free_list {
	pgt_addr *pa;
	size_t n, cap;
};

/* The free blocks again, as a hash set of (address, class): a free finds
 * in O(1) whether the block is free already. Linear probing; a deletion
 * shifts its cluster back, so there are no tombstones. */
struct free_set {
	struct free_slot {
		pgt_addr pa;
		unsigned cls; /* class + 1; 0: an empty slot */
	} *slot;
	size_t cap, n;
};

struct arena {
	struct pgt_mem mem;
	pgt_addr base;
	pgt_addr top; /* one past the highest byte handed out or reserved */
	uint64_t limit;
	uint8_t **chunk; /* chunk[i] holds chunk number first_chunk + i, or NULL */
	size_t n_chunks;
	size_t n_made; /* chunks allocated */
	uint64_t first_chunk;
	struct free_list free[N_CLASSES]; /* freed blocks by log2(size) */
	struct free_set is_free;
	bool reserved; /* holds memory it did not allocate */
	void (*record)(void *ctx, const struct pgt_arena_change *c);
	void *record_ctx;
};

static struct arena *arena_of(struct pgt_mem *mem)
{
	return (struct arena *)mem;
}

/*
 * A zeroed chunk, aligned to its size. The first of an arena is faulted in
 * page by page as it is used: most tables are small. An arena that grows
 * beyond it is filled densely, so its next chunks come whole, in a huge
 * page where the system gives one: faulting them page by page (each page
 * read first, then written) costs more than the map that fills them.
 */
static uint8_t *chunk_new(bool dense)
{
	size_t len = 2 * CHUNK_SIZE;
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	uint8_t *q = (uint8_t *)(((uintptr_t)p + CHUNK_SIZE - 1) & ~(uintptr_t)(CHUNK_SIZE - 1));
	if (q > p)
		munmap(p, (size_t)(q - p));
	munmap(q + CHUNK_SIZE, (size_t)(p + len - (q + CHUNK_SIZE)));
	if (dense) {
		madvise(q, CHUNK_SIZE, MADV_HUGEPAGE);
		madvise(q, CHUNK_SIZE, MADV_POPULATE_WRITE);
	}
	return q;
}

static uint8_t *chunk_of(struct arena *a, pgt_addr pa, bool create)
{
	if (pa < a->base)
		return NULL;
	uint64_t i = (pa >> CHUNK_SHIFT) - a->first_chunk;
	if (i >= a->n_chunks) {
		if (!create)
			return NULL;
		size_t n = (size_t)i + 1 + a->n_chunks;
		uint8_t **c = realloc(a->chunk, n * sizeof(*c));
		if (!c)
			return NULL;
		memset(c + a->n_chunks, 0, (n - a->n_chunks) * sizeof(*c));
		a->chunk = c;
		a->n_chunks = n;
	}
	if (!a->chunk[i] && create) {
		a->chunk[i] = chunk_new(a->n_made > 0);
		a->n_made += a->chunk[i] != NULL;
	}
	return a->chunk[i];
}

/* A chunk reserved but never written is made when a pointer into it is
 * wanted: an image with gigabytes of zeros costs what its tables use. */
static void *arena_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	struct arena *a = arena_of(mem);
	if (pa < a->base || len == 0 || pa + len > a->top || pa + len < pa)
		return NULL;
	if ((pa >> CHUNK_SHIFT) != ((pa + len - 1) >> CHUNK_SHIFT))
		return NULL;
	uint8_t *c = chunk_of(a, pa, true);
	return c ? c + (pa & (CHUNK_SIZE - 1)) : NULL;
}

/* Copy between buf and the arena, chunk by chunk. */
static int arena_copy(struct arena *a, pgt_addr pa, void *buf, uint64_t len, bool to_arena)
{
	if (pa < a->base || pa + len > a->top || pa + len < pa)
		return -EFAULT;
	while (len) {
		uint64_t off = pa & (CHUNK_SIZE - 1);
		uint64_t n = CHUNK_SIZE - off < len ? CHUNK_SIZE - off : len;
		uint8_t *c = chunk_of(a, pa, to_arena);
		if (to_arena) {
			if (!c)
				return -ENOMEM;
			memcpy(c + off, buf, n);
		} else if (c) {
			memcpy(buf, c + off, n);
		} else {
			memset(buf, 0, n);
		}
		pa += n;
		buf = (uint8_t *)buf + n;
		len -= n;
	}
	return 0;
}

static int arena_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	return arena_copy(arena_of(mem), pa, buf, len, false);
}

static int arena_write(struct pgt_mem *mem, pgt_addr pa, const void *buf, uint64_t len)
{
	return arena_copy(arena_of(mem), pa, (void *)buf, len, true);
}

static size_t arena_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct arena *a = arena_of(mem);
	if (a->top == a->base)
		return 0;
	if (max)
		out[0] = (struct pgt_mem_range){a->base, a->top - a->base};
	return 1;
}

/* The chunks that exist: what was never written reads as zeros. */
static bool arena_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out)
{
	struct arena *a = arena_of(mem);
	pgt_addr pa = from < a->base ? a->base : from;
	while (pa < a->top && !chunk_of(a, pa, false))
		pa = (pa | (CHUNK_SIZE - 1)) + 1;
	if (pa >= a->top || !pa)
		return false;
	pgt_addr end = pa;
	while (end < a->top && chunk_of(a, end, false))
		end = (end | (CHUNK_SIZE - 1)) + 1;
	if (end > a->top || !end)
		end = a->top;
	*out = (struct pgt_mem_range){pa, end - pa};
	return true;
}

static void arena_destroy(struct pgt_mem *mem)
{
	struct arena *a = arena_of(mem);
	for (size_t i = 0; i < a->n_chunks; i++)
		if (a->chunk[i])
			munmap(a->chunk[i], CHUNK_SIZE);
	for (unsigned c = 0; c < N_CLASSES; c++)
		free(a->free[c].pa);
	free(a->is_free.slot);
	free(a->chunk);
	free(a);
}

static const struct pgt_mem_ops arena_ops = {
	.ptr = arena_ptr,
	.read = arena_read,
	.write = arena_write,
	.ranges = arena_ranges,
	.data = arena_data,
	.destroy = arena_destroy,
};

int pgt_arena_new(pgt_addr base, struct pgt_mem **out, struct pgt_error *err)
{
	struct arena *a = calloc(1, sizeof(*a));
	if (!a)
		return pgt_fail(err, -ENOMEM, "out of memory");
	a->mem.ops = &arena_ops;
	a->mem.name = "arena";
	a->base = base;
	a->top = base;
	a->limit = default_limit;
	a->first_chunk = base >> CHUNK_SHIFT;
	*out = &a->mem;
	return 0;
}

bool pgt_mem_is_arena(const struct pgt_mem *mem)
{
	return mem && mem->ops == &arena_ops;
}

pgt_addr pgt_arena_base(const struct pgt_mem *mem)
{
	return ((const struct arena *)mem)->base;
}

pgt_addr pgt_arena_end(const struct pgt_mem *mem)
{
	return ((const struct arena *)mem)->top;
}

void pgt_arena_set_default_limit(uint64_t max_bytes)
{
	default_limit = max_bytes;
}

uint64_t pgt_arena_default_limit(void)
{
	return default_limit;
}

void pgt_arena_set_limit(struct pgt_mem *mem, uint64_t max_bytes)
{
	arena_of(mem)->limit = max_bytes;
}

uint64_t pgt_arena_limit(const struct pgt_mem *mem)
{
	return ((const struct arena *)mem)->limit;
}

static unsigned size_class(uint64_t size)
{
	return (unsigned)(63 - __builtin_clzll(size));
}

/* Make every chunk of [pa, pa + len) exist. Counted to the last byte:
 * for memory in the top chunk of the address space, c + CHUNK_SIZE wraps
 * to 0, and a loop on c < pa + len would never end. */
static int populate(struct arena *a, pgt_addr pa, uint64_t len)
{
	if (!len)
		return 0;
	pgt_addr last = pa + (len - 1);
	for (pgt_addr c = pa & ~(CHUNK_SIZE - 1);; c += CHUNK_SIZE) {
		if (!chunk_of(a, c < a->base ? a->base : c, true))
			return -ENOMEM;
		if (last - c < CHUNK_SIZE)
			return 0;
	}
}

static size_t slot_of(const struct free_set *s, pgt_addr pa, unsigned cls)
{
	return (size_t)(((pa >> 5) ^ cls) * 0x9E3779B97F4A7C15ull >> 17) & (s->cap - 1);
}

/* The slot holding (pa, cls), or the empty slot where it would go. */
static struct free_slot *set_find(const struct free_set *s, pgt_addr pa, unsigned cls)
{
	size_t h = slot_of(s, pa, cls);
	while (s->slot[h].cls && (s->slot[h].pa != pa || s->slot[h].cls != cls + 1))
		h = (h + 1) & (s->cap - 1);
	return &s->slot[h];
}

static bool set_has(const struct free_set *s, pgt_addr pa, unsigned cls)
{
	return s->n && set_find(s, pa, cls)->cls;
}

static int set_add(struct free_set *s, pgt_addr pa, unsigned cls)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct free_set bigger = {calloc(s->cap ? 2 * s->cap : 64, sizeof(*s->slot)),
					  s->cap ? 2 * s->cap : 64, s->n};
		if (!bigger.slot)
			return -ENOMEM;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i].cls)
				*set_find(&bigger, s->slot[i].pa, s->slot[i].cls - 1) = s->slot[i];
		free(s->slot);
		*s = bigger;
	}
	*set_find(s, pa, cls) = (struct free_slot){pa, cls + 1};
	s->n++;
	return 0;
}

static void set_del(struct free_set *s, pgt_addr pa, unsigned cls)
{
	struct free_slot *hole = set_find(s, pa, cls);
	if (!hole->cls)
		return;
	hole->cls = 0;
	s->n--;
	/* move back every later member of the cluster that may sit in the hole */
	size_t i = (size_t)(hole - s->slot), j = i;
	for (;;) {
		j = (j + 1) & (s->cap - 1);
		if (!s->slot[j].cls)
			return;
		size_t home = slot_of(s, s->slot[j].pa, s->slot[j].cls - 1);
		if (((j - home) & (s->cap - 1)) >= ((j - i) & (s->cap - 1))) {
			s->slot[i] = s->slot[j];
			s->slot[j].cls = 0;
			i = j;
		}
	}
}

static void record(struct arena *a, struct pgt_arena_change c)
{
	if (a->record)
		a->record(a->record_ctx, &c);
}

int pgt_arena_alloc(struct pgt_mem *mem, uint64_t size, uint64_t align, pgt_addr *pa,
		    struct pgt_error *err)
{
	struct arena *a = arena_of(mem);

	if (!size || size > CHUNK_SIZE || (size & (size - 1)) || (align & (align - 1)))
		return pgt_fail(err, -EINVAL,
				"internal error: a table allocation of 0x%llx bytes",
				(unsigned long long)size);
	if (align < size)
		align = size; /* natural alignment keeps blocks inside one chunk */

	/* Reuse the most recently freed block of this size. */
	unsigned cls = size_class(size);
	struct free_list *fl = &a->free[cls];
	for (size_t i = fl->n; i-- > 0;) {
		pgt_addr p = fl->pa[i];
		if (p & (align - 1))
			continue;
		/* told before the block is zeroed: an undo gives its bytes back */
		record(a, (struct pgt_arena_change){PGT_ARENA_REUSE, p, size, a->top, i});
		fl->pa[i] = fl->pa[--fl->n];
		set_del(&a->is_free, p, cls);
		void *q = arena_ptr(mem, p, size);
		if (q)
			memset(q, 0, size);
		*pa = p;
		return 0;
	}

	pgt_addr p = (a->top + align - 1) & ~(align - 1);
	if (p < a->top || p + size < p || p + size - a->base > a->limit)
		return pgt_fail(err, -ENOMEM,
				"table memory would exceed its limit of 0x%llx bytes from base 0x%llx",
				(unsigned long long)a->limit, (unsigned long long)a->base);
	if (populate(a, p, size))
		return pgt_fail(err, -ENOMEM, "out of memory allocating table memory");
	record(a, (struct pgt_arena_change){PGT_ARENA_BUMP, p, size, a->top, 0});
	a->top = p + size;
	*pa = p;
	return 0;
}

void pgt_arena_free(struct pgt_mem *mem, pgt_addr pa, uint64_t size)
{
	struct arena *a = arena_of(mem);
	unsigned cls = size_class(size);
	struct free_list *fl = &a->free[cls];

	if (set_has(&a->is_free, pa, cls))
		return; /* freed twice: keep the list a set */
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 16;
		pgt_addr *n = realloc(fl->pa, cap * sizeof(*n));
		if (!n)
			return; /* the block is leaked, never handed out twice */
		fl->pa = n;
		fl->cap = cap;
	}
	if (set_add(&a->is_free, pa, cls))
		return;
	record(a, (struct pgt_arena_change){PGT_ARENA_FREE, pa, size, a->top, fl->n});
	fl->pa[fl->n++] = pa;
}

bool pgt_arena_only_tables(const struct pgt_mem *mem)
{
	const struct arena *a = (const struct arena *)mem;
	return !a->reserved && !a->is_free.n;
}

void pgt_arena_set_recorder(struct pgt_mem *mem,
			    void (*fn)(void *ctx, const struct pgt_arena_change *c), void *ctx)
{
	struct arena *a = arena_of(mem);
	a->record = fn;
	a->record_ctx = ctx;
}

void pgt_arena_revert(struct pgt_mem *mem, const struct pgt_arena_change *c)
{
	struct arena *a = arena_of(mem);
	unsigned cls = size_class(c->size);
	struct free_list *fl = &a->free[cls];
	switch (c->kind) {
	case PGT_ARENA_BUMP: {
		/* memory above the top is zero: bumping hands it out unzeroed */
		void *q = arena_ptr(mem, c->pa, c->size);
		if (q)
			memset(q, 0, c->size);
		a->top = c->top;
		return;
	}
	case PGT_ARENA_REUSE:
		/* Cannot fail: the list and the set held the block before, and
		 * neither ever shrinks. */
		(void)set_add(&a->is_free, c->pa, cls);
		if (c->slot < fl->n)
			fl->pa[fl->n] = fl->pa[c->slot];
		fl->n++;
		fl->pa[c->slot] = c->pa;
		return;
	case PGT_ARENA_FREE:
		fl->n--;
		set_del(&a->is_free, c->pa, cls);
		return;
	}
}

int pgt_arena_reserve(struct pgt_mem *mem, pgt_addr pa, uint64_t len, struct pgt_error *err)
{
	struct arena *a = arena_of(mem);
	if (pa < a->base || pa + len < pa || pa + len - a->base > a->limit)
		return pgt_fail(err, -ERANGE,
				"memory 0x%llx+0x%llx lies beyond the 0x%llx bytes table memory may "
				"span from 0x%llx",
				(unsigned long long)pa, (unsigned long long)len,
				(unsigned long long)a->limit, (unsigned long long)a->base);
	a->reserved = true;
	if (pa + len > a->top)
		a->top = pa + len;
	return 0;
}

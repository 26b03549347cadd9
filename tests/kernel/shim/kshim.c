// SPDX-License-Identifier: MIT
/*
 * Runtime of the kernel shim: simulated physical memory (a page allocator
 * handing out zeroed, naturally aligned blocks of 2^order pages from one
 * reserved buffer), slab caches carved from it, virt/phys translation,
 * and counters for WARN_ON, printk and the DMA API.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>

#include <kshim.h>
#include <kshim_rt.h>
#include <linux/iommu.h>

#define MAX_ORDER 16

/* A kmalloc()ed object's header: its region's list. */
struct kobj {
	struct kobj *prev, *next;
	struct kshim_phys *m;
} __attribute__((aligned(16)));

struct kshim_phys {
	struct kobj objs; /* kmalloc()ed objects, a ring */
	uint8_t *buf;
	uint64_t base, len, top;
	/* order of the block starting at each page, or -1 */
	int8_t *block_order;
	/* free blocks per order, reused lowest address first */
	uint64_t *free_list[MAX_ORDER + 1];
	size_t free_n[MAX_ORDER + 1], free_cap[MAX_ORDER + 1];
	struct kshim_stats st;
};

static struct kshim_phys *cur;
static int verbose;

void kshim_set_verbose(int on)
{
	verbose = on;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "kshim: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

struct kshim_phys *kshim_phys_new(uint64_t base, uint64_t len)
{
	if ((base | len) & (PAGE_SIZE - 1))
		die("region 0x%llx+0x%llx is not page aligned", (unsigned long long)base,
		    (unsigned long long)len);
	struct kshim_phys *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (p == MAP_FAILED) {
		free(m);
		return NULL;
	}
	m->buf = p;
	m->base = base;
	m->len = len;
	m->block_order = malloc(len / PAGE_SIZE);
	if (!m->block_order) {
		munmap(p, len);
		free(m);
		return NULL;
	}
	memset(m->block_order, -1, len / PAGE_SIZE);
	m->objs.prev = m->objs.next = &m->objs;
	return m;
}

void kshim_phys_delete(struct kshim_phys *m)
{
	if (!m)
		return;
	if (cur == m)
		cur = NULL;
	while (m->objs.next != &m->objs) {
		struct kobj *o = m->objs.next;
		o->next->prev = &m->objs;
		m->objs.next = o->next;
		free(o);
	}
	munmap(m->buf, m->len);
	free(m->block_order);
	for (int o = 0; o <= MAX_ORDER; o++)
		free(m->free_list[o]);
	free(m);
}

void kshim_phys_use(struct kshim_phys *m)
{
	cur = m;
}

struct kshim_phys *kshim_phys_current(void)
{
	return cur;
}

uint64_t kshim_phys_base(const struct kshim_phys *m)
{
	return m->base;
}

uint64_t kshim_phys_top(const struct kshim_phys *m)
{
	return m->base + m->top;
}

const uint8_t *kshim_phys_buf(const struct kshim_phys *m)
{
	return m->buf;
}

uint64_t kshim_phys_len(const struct kshim_phys *m)
{
	return m->len;
}

struct kshim_stats *kshim_phys_stats(struct kshim_phys *m)
{
	return &m->st;
}

static struct kshim_phys *need_cur(void)
{
	if (!cur)
		die("no simulated physical memory selected");
	return cur;
}

u64 kshim_virt_to_phys(const volatile void *p)
{
	struct kshim_phys *m = need_cur();
	const uint8_t *q = (const uint8_t *)p;
	if (q < m->buf || q >= m->buf + m->len)
		die("virt_to_phys(%p): not inside the simulated memory", (const void *)p);
	return m->base + (u64)(q - m->buf);
}

/*
 * Outside the simulated memory, __va() is what it is in the kernel, plain
 * arithmetic: the kernel computes it for entries it then finds are not
 * tables (v7s iova_to_phys derefs every entry it reads, even an empty one),
 * so it must not fail. It gives an address in the never-mapped first pages
 * (never NULL), so that a real access through it faults at once.
 */
void *kshim_phys_to_virt(u64 pa)
{
	struct kshim_phys *m = need_cur();
	if (pa < m->base || pa - m->base >= m->len) {
		m->st.bad_va++;
		return (void *)(uintptr_t)(PAGE_SIZE + (pa & (PAGE_SIZE - 1)));
	}
	return m->buf + (pa - m->base);
}

static int cmp_u64_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

static void *alloc_block(struct kshim_phys *m, int order, bool counted)
{
	if (order < 0 || order > MAX_ORDER)
		return NULL;
	uint64_t size = (uint64_t)PAGE_SIZE << order, off;
	if (m->free_n[order]) {
		/* kept sorted descending: the lowest address is last */
		off = m->free_list[order][--m->free_n[order]];
	} else {
		off = (m->top + size - 1) & ~(size - 1);
		if (off + size > m->len || off + size < off)
			return NULL;
		m->top = off + size;
	}
	memset(m->buf + off, 0, size);
	m->block_order[off / PAGE_SIZE] = (int8_t)order;
	if (counted) {
		m->st.allocs++;
		m->st.live_blocks++;
		m->st.live_pages += 1L << order;
	}
	return m->buf + off;
}

void *kshim_alloc_pages(int order)
{
	return alloc_block(need_cur(), order, true);
}

static void free_block(struct kshim_phys *m, void *virt, int order, bool counted)
{
	uint8_t *q = virt;
	if (q < m->buf || q >= m->buf + m->len || ((uint64_t)(q - m->buf) & (PAGE_SIZE - 1)))
		die("free_pages(%p): not a page of the simulated memory", virt);
	uint64_t off = (uint64_t)(q - m->buf);
	if (m->block_order[off / PAGE_SIZE] != order)
		die("free_pages(pa 0x%llx, order %d): block was %s (order %d)",
		    (unsigned long long)(m->base + off), order,
		    m->block_order[off / PAGE_SIZE] < 0 ? "not allocated" : "allocated",
		    m->block_order[off / PAGE_SIZE]);
	m->block_order[off / PAGE_SIZE] = -1;
	if (m->free_n[order] == m->free_cap[order]) {
		size_t cap = m->free_cap[order] ? 2 * m->free_cap[order] : 64;
		uint64_t *n = realloc(m->free_list[order], cap * sizeof(*n));
		if (!n)
			die("out of memory");
		m->free_list[order] = n;
		m->free_cap[order] = cap;
	}
	m->free_list[order][m->free_n[order]++] = off;
	qsort(m->free_list[order], m->free_n[order], sizeof(uint64_t), cmp_u64_desc);
	/* poison, so that a use after free shows */
	memset(q, 0xa5, (size_t)PAGE_SIZE << order);
	if (counted) {
		m->st.frees++;
		m->st.live_blocks--;
		m->st.live_pages -= 1L << order;
	}
}

void *kmalloc(size_t size, gfp_t gfp)
{
	struct kshim_phys *m = need_cur();
	struct kobj *o = gfp & __GFP_ZERO ? calloc(1, sizeof(*o) + size) : malloc(sizeof(*o) + size);
	if (!o)
		return NULL;
	o->m = m;
	o->next = m->objs.next;
	o->prev = &m->objs;
	m->objs.next->prev = o;
	m->objs.next = o;
	m->st.kmalloc_live++;
	return o + 1;
}

void kfree(const void *p)
{
	if (!p)
		return;
	struct kobj *o = (struct kobj *)p - 1;
	o->prev->next = o->next;
	o->next->prev = o->prev;
	o->m->st.kmalloc_live--;
	free(o);
}

int kshim_block_order(const void *virt)
{
	struct kshim_phys *m = need_cur();
	const uint8_t *q = virt;
	if (q < m->buf || q >= m->buf + m->len || ((uint64_t)(q - m->buf) & (PAGE_SIZE - 1)))
		die("%p is not a page of the simulated memory", virt);
	return m->block_order[(uint64_t)(q - m->buf) / PAGE_SIZE];
}

void kshim_free_pages(void *virt, int order)
{
	if (virt)
		free_block(need_cur(), virt, order, true);
}

/*
 * Slab caches: objects of one size carved from order-0 pages of the
 * simulated memory (objects up to a page), aligned to their size rounded up
 * to a power of two. Handed out lowest address first, so that runs are
 * deterministic; the pages stay with the cache until it is destroyed.
 */
#define SLAB_MAX_OBJS 64

struct slab_page {
	uint64_t off;
	uint8_t live[SLAB_MAX_OBJS];
};

struct kmem_cache {
	struct kshim_phys *m;
	char name[48];
	unsigned obj, per_page;
	struct slab_page *pages;
	size_t n_pages, cap_pages;
};

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	(void)flags;
	if (ctor)
		die("kmem_cache_create(%s): constructors are not supported", name);
	unsigned obj = 64;
	while (obj < size || obj < align)
		obj <<= 1;
	if (obj > PAGE_SIZE)
		die("kmem_cache_create(%s): objects of %u bytes are not supported", name, size);
	struct kmem_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->m = need_cur();
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->obj = obj;
	c->per_page = (unsigned)(PAGE_SIZE / obj);
	return c;
}

void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp)
{
	(void)gfp;
	struct kshim_phys *m = c->m;
	struct slab_page *best = NULL;
	unsigned best_i = 0;
	uint64_t best_off = 0;
	for (size_t p = 0; p < c->n_pages; p++)
		for (unsigned i = 0; i < c->per_page; i++) {
			uint64_t off = c->pages[p].off + (uint64_t)i * c->obj;
			if (!c->pages[p].live[i] && (!best || off < best_off)) {
				best = &c->pages[p];
				best_i = i;
				best_off = off;
			}
		}
	if (!best) {
		if (c->n_pages == c->cap_pages) {
			size_t cap = c->cap_pages ? 2 * c->cap_pages : 16;
			struct slab_page *n = realloc(c->pages, cap * sizeof(*n));
			if (!n)
				return NULL;
			c->pages = n;
			c->cap_pages = cap;
		}
		uint8_t *pg = alloc_block(m, 0, false);
		if (!pg)
			return NULL;
		best = &c->pages[c->n_pages++];
		memset(best, 0, sizeof(*best));
		best->off = (uint64_t)(pg - m->buf);
		best_i = 0;
		m->st.slab_pages++;
	}
	best->live[best_i] = 1;
	uint8_t *obj = m->buf + best->off + (uint64_t)best_i * c->obj;
	memset(obj, 0, c->obj);
	m->st.slab_allocs++;
	m->st.slab_live++;
	return obj;
}

void kmem_cache_free(struct kmem_cache *c, void *p)
{
	struct kshim_phys *m = c->m;
	uint8_t *q = p;
	if (!p)
		return;
	if (q < m->buf || q >= m->buf + m->len)
		die("kmem_cache_free(%s, %p): not in the simulated memory", c->name, p);
	uint64_t off = (uint64_t)(q - m->buf);
	for (size_t i = 0; i < c->n_pages; i++) {
		struct slab_page *sp = &c->pages[i];
		if (off < sp->off || off >= sp->off + PAGE_SIZE)
			continue;
		uint64_t k = (off - sp->off) / c->obj;
		if ((off - sp->off) % c->obj || !sp->live[k])
			die("kmem_cache_free(%s, pa 0x%llx): not a live object", c->name,
			    (unsigned long long)(m->base + off));
		sp->live[k] = 0;
		memset(q, 0xa5, c->obj);
		m->st.slab_frees++;
		m->st.slab_live--;
		return;
	}
	die("kmem_cache_free(%s, pa 0x%llx): not from this cache", c->name,
	    (unsigned long long)(m->base + off));
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	if (!c)
		return;
	struct kshim_phys *m = c->m;
	for (size_t i = 0; i < c->n_pages; i++) {
		/* objects still live stay counted in slab_live: a leak */
		free_block(m, m->buf + c->pages[i].off, 0, false);
		m->st.slab_pages--;
	}
	free(c->pages);
	free(c);
}

void kshim_dma_event(int kind, u64 addr, size_t size)
{
	struct kshim_phys *m = need_cur();
	(void)addr;
	(void)size;
	switch (kind) {
	case KSHIM_DMA_MAP:
		m->st.dma_maps++;
		break;
	case KSHIM_DMA_UNMAP:
		m->st.dma_unmaps++;
		break;
	default:
		m->st.dma_syncs++;
	}
}

void kshim_dirty_record(unsigned long iova, size_t length)
{
	(void)iova;
	(void)length;
	if (cur)
		cur->st.dirty_records++;
}

void kshim_warn(const char *file, int line, const char *cond)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (cur) {
		cur->st.warns++;
		snprintf(cur->st.last_warn, sizeof(cur->st.last_warn), "%s:%d: WARN_ON(%s)", base,
			 line, cond);
	}
	if (verbose)
		fprintf(stderr, "kshim: %s:%d: WARN_ON(%s)\n", base, line, cond);
}

void kshim_printk(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cur) {
		cur->st.printks++;
		snprintf(cur->st.last_msg, sizeof(cur->st.last_msg), "%s", msg);
	}
	if (verbose)
		fprintf(stderr, "kshim: printk: %s", msg);
}

void kshim_bug(const char *file, int line, const char *cond)
{
	die("%s:%d: BUG_ON(%s)", file, line, cond);
}

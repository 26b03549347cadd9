/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-ins for the few kernel facilities that
 * drivers/iommu/io-pgtable-arm.c, io-pgtable-arm-v7s.c, io-pgtable-dart.c,
 * amd/io_pgtable.c (with amd_iommu_types.h and amd_iommu.h), io-pgtable.c
 * and iommu-pages.h use, so the real Linux 6.12 sources compile as an
 * ordinary program (the kernel oracle of tests/kernel). Every linux/ and asm/
 * header in this directory includes this one file.
 *
 * Physical memory is simulated: one buffer stands for the physical range
 * [base, base + len); page allocations come from it, and virt_to_phys/__va
 * translate between pointers into the buffer and those addresses. See
 * kshim.c for the allocator and the accounting.
 */
#ifndef KSHIM_H
#define KSHIM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

/* --- types (linux/types.h) ------------------------------------------- */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned int gfp_t;

struct list_head {
	struct list_head *next, *prev;
};

struct device; /* never defined: iommu_dev is always NULL here */

typedef unsigned __int128 u128;
typedef unsigned long pgoff_t;
typedef struct {
	int counter;
} atomic_t;
typedef unsigned int ioasid_t;
typedef unsigned int slab_flags_t;

/* --- kernel configuration the oracle stands for ---------------------- */
/* A 64-bit kernel (arm64, x86-64): phys_addr_t is 64 bits wide, so v7s's
 * MediaTek extension takes effect, and ZONE_DMA32 exists. */
#define CONFIG_PHYS_ADDR_T_64BIT 1
#define CONFIG_ZONE_DMA32 1

/* include/linux/kconfig.h: IS_ENABLED(CONFIG_X) is 1 iff CONFIG_X is 1. */
#define KSHIM_ARG_PLACEHOLDER_1 0,
#define kshim_take_second_arg(ignored, val, ...) val
#define kshim_is_defined(x) kshim_is_defined_(x)
#define kshim_is_defined_(val) kshim_is_defined__(KSHIM_ARG_PLACEHOLDER_##val)
#define kshim_is_defined__(arg1_or_junk) kshim_take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) kshim_is_defined(option)

/* --- compiler and module glue ---------------------------------------- */
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __init
#define __initdata
#define __initconst
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define __iomem
#define __ro_after_init
#if defined(__clang__)
#define __noipa __attribute__((noinline))
#else
#define __noipa __attribute__((noipa))
#endif
#define EXPORT_SYMBOL(sym) extern int kshim_exported_##sym
#define EXPORT_SYMBOL_GPL(sym) extern int kshim_exported_##sym
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* --- bit helpers (linux/bits.h, linux/bitops.h, linux/log2.h) -------- */
#define BITS_PER_LONG 64
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))

/* Floor of log2; like the kernel's, undefined for 0. */
#define ilog2(n) ((int)(63 - __builtin_clzll((unsigned long long)(n))))

static inline unsigned long __ffs(unsigned long word)
{
	return (unsigned long)__builtin_ctzl(word);
}

static inline unsigned long __fls(unsigned long word)
{
	return (unsigned long)(BITS_PER_LONG - 1 - __builtin_clzl(word));
}

/* Index of the first zero bit; like the kernel's, undefined for ~0. */
#define ffz(x) __ffs(~(unsigned long)(x))

#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))

/* linux/bitfield.h, for constant masks */
#define FIELD_PREP(mask, val)                                                      \
	((__typeof__(mask))(((__typeof__(mask))(val) << __builtin_ctzll(mask)) & (mask)))
#define FIELD_GET(mask, reg)                                                       \
	((__typeof__(mask))(((reg) & (mask)) >> __builtin_ctzll(mask)))

static inline int test_bit(long nr, const volatile unsigned long *addr)
{
	return (int)((addr[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1);
}

static inline int test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long m = 1UL << (nr % BITS_PER_LONG);
	unsigned long old = __atomic_fetch_and(&addr[nr / BITS_PER_LONG], ~m, __ATOMIC_SEQ_CST);
	return (old & m) != 0;
}

/* Bitmaps of at most one long (all the selftests iterate over). */
static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
					  unsigned long offset)
{
	if (offset >= size || offset >= BITS_PER_LONG)
		return size;
	unsigned long w = addr[0] & (~0UL << offset);
	if (size < BITS_PER_LONG)
		w &= ~(~0UL << size);
	return w ? __ffs(w) : size;
}
#define for_each_set_bit(bit, addr, size)                                          \
	for ((bit) = find_next_bit((addr), (size), 0); (bit) < (size);             \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

/* --- arithmetic (linux/kernel.h, linux/minmax.h, linux/math.h) ------- */
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define min(a, b)                                                                  \
	({                                                                         \
		__typeof__(a) kshim_a_ = (a);                                      \
		__typeof__(b) kshim_b_ = (b);                                      \
		kshim_a_ < kshim_b_ ? kshim_a_ : kshim_b_;                         \
	})
#define max(a, b)                                                                  \
	({                                                                         \
		__typeof__(a) kshim_a_ = (a);                                      \
		__typeof__(b) kshim_b_ = (b);                                      \
		kshim_a_ > kshim_b_ ? kshim_a_ : kshim_b_;                         \
	})
#define min_t(type, a, b)                                                          \
	({                                                                         \
		type kshim_a_ = (type)(a);                                         \
		type kshim_b_ = (type)(b);                                         \
		kshim_a_ < kshim_b_ ? kshim_a_ : kshim_b_;                         \
	})
#define max_t(type, a, b)                                                          \
	({                                                                         \
		type kshim_a_ = (type)(a);                                         \
		type kshim_b_ = (type)(b);                                         \
		kshim_a_ > kshim_b_ ? kshim_a_ : kshim_b_;                         \
	})

/* --- sizes (linux/sizes.h) ------------------------------------------- */
#define SZ_1K 0x00000400
#define SZ_2K 0x00000800
#define SZ_4K 0x00001000
#define SZ_8K 0x00002000
#define SZ_16K 0x00004000
#define SZ_32K 0x00008000
#define SZ_64K 0x00010000
#define SZ_128K 0x00020000
#define SZ_256K 0x00040000
#define SZ_512K 0x00080000
#define SZ_1M 0x00100000
#define SZ_2M 0x00200000
#define SZ_4M 0x00400000
#define SZ_8M 0x00800000
#define SZ_16M 0x01000000
#define SZ_32M 0x02000000
#define SZ_64M 0x04000000
#define SZ_128M 0x08000000
#define SZ_256M 0x10000000
#define SZ_512M 0x20000000
#define SZ_1G 0x40000000
#define SZ_2G 0x80000000
#define SZ_4G 0x100000000ULL
#define SZ_8G 0x200000000ULL
#define SZ_16G 0x400000000ULL
#define SZ_32G 0x800000000ULL
#define SZ_64G 0x1000000000ULL
#define SZ_512G 0x8000000000ULL
#define SZ_1T 0x10000000000ULL
#define SZ_4T 0x40000000000ULL

/* --- pages (asm/page.h, linux/mm.h) ---------------------------------- */
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* The kernel's get_order(): smallest order with PAGE_SIZE << order >= size. */
static inline int get_order(unsigned long size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return ilog2(size - 1) - PAGE_SHIFT + 1;
}

/* --- once/atomics/barriers (linux/compiler.h, linux/atomic.h, asm/barrier.h) */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)                                                         \
	do {                                                                       \
		*(volatile __typeof__(x) *)&(x) = (val);                           \
	} while (0)

/* Returns the value found; stores new only when it equals old. */
#define cmpxchg64_relaxed(ptr, old, new)                                           \
	({                                                                         \
		__typeof__(*(ptr)) kshim_old_ = (old);                             \
		__atomic_compare_exchange_n((ptr), &kshim_old_, (new), false,      \
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);   \
		kshim_old_;                                                        \
	})
#define cmpxchg64(ptr, old, new) cmpxchg64_relaxed(ptr, old, new)
/* Stores new and returns true when *ptr equals *oldp, else *oldp = *ptr. */
#define try_cmpxchg64(ptr, oldp, new)                                              \
	__atomic_compare_exchange_n((ptr), (oldp), (new), false, __ATOMIC_SEQ_CST,  \
				    __ATOMIC_SEQ_CST)
#define cmpxchg_relaxed(ptr, old, new) cmpxchg64_relaxed(ptr, old, new)

#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dma_wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dma_rmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* --- locks (linux/spinlock.h, linux/mutex.h, linux/seqlock.h) -------- */
/* Single-threaded: locks only need to exist. */
typedef struct {
	int unused;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;
struct mutex {
	int unused;
};
#define spin_lock_init(l) ((void)(l))
#define spin_lock_irqsave(l, flags)                                                \
	do {                                                                       \
		(void)(l);                                                         \
		(flags) = 0;                                                       \
	} while (0)
#define spin_unlock_irqrestore(l, flags)                                           \
	do {                                                                       \
		(void)(l);                                                         \
		(void)(flags);                                                     \
	} while (0)

typedef struct {
	unsigned sequence;
} seqcount_t;
#define seqcount_init(s) ((s)->sequence = 0)
#define read_seqcount_begin(s) ((s)->sequence)
#define read_seqcount_retry(s, start) ((s)->sequence != (start))
#define write_seqcount_begin(s) ((s)->sequence++)
#define write_seqcount_end(s) ((s)->sequence++)

/* --- diagnostics (linux/bug.h, linux/printk.h, linux/dev_printk.h) --- */
/* Counted, and kept for the test to look at; never printed by default. */
void kshim_warn(const char *file, int line, const char *cond);
void kshim_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kshim_bug(const char *file, int line, const char *cond) __attribute__((noreturn));

#define WARN_ON(condition)                                                         \
	({                                                                         \
		int kshim_c_ = !!(condition);                                      \
		if (unlikely(kshim_c_))                                            \
			kshim_warn(__FILE__, __LINE__, #condition);                \
		kshim_c_;                                                          \
	})
#define WARN_ON_ONCE(condition) WARN_ON(condition)
#define WARN(condition, ...)                                                       \
	({                                                                         \
		int kshim_c_ = !!(condition);                                      \
		if (unlikely(kshim_c_)) {                                          \
			kshim_printk(__VA_ARGS__);                                 \
			kshim_warn(__FILE__, __LINE__, #condition);                \
		}                                                                  \
		kshim_c_;                                                          \
	})
#define WARN_ONCE(condition, ...) WARN(condition, __VA_ARGS__)
#define BUG_ON(condition)                                                          \
	do {                                                                       \
		if (unlikely(condition))                                           \
			kshim_bug(__FILE__, __LINE__, #condition);                 \
	} while (0)
#define BUG() kshim_bug(__FILE__, __LINE__, "BUG()")
#define VM_BUG_ON(condition) BUG_ON(condition)

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_err(fmt, ...) kshim_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) kshim_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) kshim_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) kshim_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define dev_err(dev, fmt, ...) ((void)(dev), kshim_printk(fmt, ##__VA_ARGS__))
#define dev_warn(dev, fmt, ...) ((void)(dev), kshim_printk(fmt, ##__VA_ARGS__))

static inline void kmemleak_ignore(const void *ptr)
{
	(void)ptr;
}

/* --- allocation flags and kmalloc (linux/gfp.h, linux/slab.h) -------- */
#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u
#define __GFP_DMA32 0x04u
#define __GFP_ZERO 0x100u
#define GFP_ATOMIC 0x1000u
#define GFP_KERNEL 0x2000u
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define NUMA_NO_NODE (-1)

/* Objects of the current region (kshim.c): what a kernel leaks stays in
 * the region, counted (kshim_stats.kmalloc_live), and goes with it. */
void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *p);

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* linux/slab.h (7.x): an allocation of the size of the object or type */
#define kmalloc_obj(obj, ...) kmalloc(sizeof(obj), GFP_KERNEL)
#define kzalloc_obj(obj, ...) kzalloc(sizeof(obj), GFP_KERNEL)

/* Slab caches (linux/slab.h): objects carved from pages of the simulated
 * memory, aligned to the object size rounded up to a power of two. */
#define SLAB_CACHE_DMA 0x4000u
#define SLAB_CACHE_DMA32 0x8000u
struct kmem_cache;
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *c, void *obj);
void kmem_cache_destroy(struct kmem_cache *c);

static inline int dev_to_node(struct device *dev)
{
	(void)dev;
	return NUMA_NO_NODE;
}

/* --- simulated physical memory (kshim.c) ----------------------------- */
u64 kshim_virt_to_phys(const volatile void *p);
void *kshim_phys_to_virt(u64 pa);
/* Zeroed, naturally aligned blocks of 2^order pages; NULL when full. */
void *kshim_alloc_pages(int order);
void kshim_free_pages(void *virt, int order);
/* The order of the allocated block starting at virt, or -1. */
int kshim_block_order(const void *virt);
void kshim_dma_event(int kind, u64 addr, size_t size);
enum { KSHIM_DMA_MAP, KSHIM_DMA_UNMAP, KSHIM_DMA_SYNC };

#define virt_to_phys(p) kshim_virt_to_phys(p)
#define phys_to_virt(pa) kshim_phys_to_virt((u64)(pa))
#define __pa(p) kshim_virt_to_phys((const void *)(p))
#define __va(pa) kshim_phys_to_virt((u64)(pa))

/* struct page: here a page "is" its address in the simulated memory. */
struct page {
	struct list_head lru;
};
struct pglist_data;
enum node_stat_item { NR_IOMMU_PAGES, NR_SECONDARY_PAGETABLE };

static inline void *page_address(const struct page *page)
{
	return (void *)page;
}

static inline struct page *virt_to_page(const void *virt)
{
	return (struct page *)virt;
}

/* A folio stands for its first page (7.3's iommu-pages.h names them). */
struct folio;
static inline struct folio *virt_to_folio(const void *virt)
{
	return (struct folio *)virt;
}

static inline struct pglist_data *page_pgdat(const struct page *page)
{
	(void)page;
	return NULL;
}

static inline struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	(void)nid;
	(void)gfp; /* always zeroed */
	return (struct page *)kshim_alloc_pages((int)order);
}

static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(NUMA_NO_NODE, gfp, order);
}

static inline unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	(void)gfp; /* always zeroed */
	return (unsigned long)kshim_alloc_pages((int)order);
}

static inline void free_pages(unsigned long addr, unsigned int order)
{
	kshim_free_pages((void *)addr, (int)order);
}

static inline void __free_pages(struct page *page, unsigned int order)
{
	kshim_free_pages(page, (int)order);
}

static inline void put_page(struct page *page)
{
	kshim_free_pages(page, 0);
}

static inline void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item,
				       long delta)
{
	(void)pgdat;
	(void)item;
	(void)delta;
}

static inline void mod_lruvec_page_state(struct page *page, enum node_stat_item item, long delta)
{
	(void)page;
	(void)item;
	(void)delta;
}

/* --- lists (linux/list.h, linux/llist.h) ---------------------------- */
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define LIST_HEAD_INIT(name) {&(name), &(name)}
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member)                                     \
	for (pos = list_first_entry(head, __typeof__(*pos), member);               \
	     &pos->member != (head); pos = list_next_entry(pos, member))

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list->prev = list;
}

static inline void list_add_tail(struct list_head *entry, struct list_head *head)
{
	struct list_head *prev = head->prev;
	entry->next = head;
	entry->prev = prev;
	prev->next = entry;
	head->prev = entry;
}

struct llist_node {
	struct llist_node *next;
};
struct llist_head {
	struct llist_node *first;
};

static inline int list_empty(const struct list_head *head)
{
	return head->next == head;
}

static inline void list_splice(const struct list_head *list, struct list_head *head)
{
	if (list_empty(list))
		return;
	struct list_head *first = list->next, *last = list->prev, *at = head->next;
	first->prev = head;
	head->next = first;
	last->next = at;
	at->prev = last;
}

static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = entry->prev = NULL;
}

/* --- DMA API (linux/dma-mapping.h): the identity, recorded ----------- */
enum dma_data_direction { DMA_BIDIRECTIONAL = 0, DMA_TO_DEVICE = 1, DMA_FROM_DEVICE = 2 };
#define DMA_MAPPING_ERROR (~(dma_addr_t)0)

static inline dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
					enum dma_data_direction dir)
{
	(void)dev;
	(void)dir;
	dma_addr_t a = kshim_virt_to_phys(ptr);
	kshim_dma_event(KSHIM_DMA_MAP, a, size);
	return a;
}

static inline int dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	(void)dev;
	return addr == DMA_MAPPING_ERROR;
}

static inline void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
				    enum dma_data_direction dir)
{
	(void)dev;
	(void)dir;
	kshim_dma_event(KSHIM_DMA_UNMAP, addr, size);
}

static inline void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
					      enum dma_data_direction dir)
{
	(void)dev;
	(void)dir;
	kshim_dma_event(KSHIM_DMA_SYNC, addr, size);
}

/* --- what amd_iommu_types.h and amd_iommu.h name -------------------- */
/* Memory encryption is off: the SME C-bit is 0 (linux/mem_encrypt.h). */
#define __sme_set(x) (x)
#define __sme_clr(x) (x)

typedef enum irqreturn { IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2 } irqreturn_t;

struct xarray {
	void *head;
};
#define xa_init(xa) ((xa)->head = NULL)
struct mmu_notifier {
	const void *ops;
};
struct ratelimit_state {
	int unused;
};
struct msi_msg {
	u32 address_lo, address_hi, data;
};
struct irq_cfg;
struct mm_struct;
struct dentry;
struct iopf_queue;

/* linux/pci.h */
#define PCI_VENDOR_ID_ATI 0x1002
#define PCI_DEVICE_ID_RD890_IOMMU 0x5a23
struct pci_bus {
	int number;
};
struct pci_dev {
	struct pci_bus *bus;
	unsigned int devfn;
	unsigned short vendor, device;
};
static inline int pci_domain_nr(struct pci_bus *bus)
{
	(void)bus;
	return 0;
}
static inline u16 pci_dev_id(struct pci_dev *dev)
{
	return (u16)((dev->bus ? dev->bus->number : 0) << 8 | (dev->devfn & 0xff));
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-ins for what Linux 7.3's generic page table code
 * (drivers/iommu/generic_pt: pt_defs.h, pt_iter.h, iommu_pt.h, the fmt/
 * formats, and drivers/iommu/iommu-pages.h) needs beyond the 6.12 oracle's
 * shim (tests/kernel/shim/kshim.h, included first: types, bit helpers,
 * READ_ONCE, WARN_ON, the simulated physical memory). Every linux/ and asm/
 * header in this directory includes this one file; this directory comes
 * before tests/kernel/shim on the include path, so its linux/iommu.h is
 * 7.3's, not 6.12's.
 *
 * The kernel configuration it stands for: a 64-bit x86 kernel (CONFIG_X86,
 * so iommu-pages.h flushes incoherent tables with clflush_cache_range)
 * with IOMMUFD (dirty tracking compiled in), SMP, and without
 * CONFIG_DEBUG_GENERIC_PT unless a unit defines it (Debian's kernels leave
 * it off: PT_WARN_ON is then false and only the formats' own features are
 * accepted).
 */
#ifndef GPT_SHIM_H
#define GPT_SHIM_H

/* The io-pgtable oracle's shim lets a page stand for its own folio (its
 * 7.3 iommu-pages stand-in keeps nothing in one); iommu-pages.h here
 * overlays struct ioptdesc on the folio and links freed tables through it,
 * which must not write into the tables: its virt_to_folio is kept under
 * another name, and this one's page descriptors live beside the memory. */
#define virt_to_folio kshim_virt_to_folio_of_the_page
#include <kshim.h>
#undef virt_to_folio

#define CONFIG_X86 1
#define CONFIG_SMP 1
#define CONFIG_IOMMU_API 1
#define CONFIG_IOMMU_PT 1
#define CONFIG_IOMMUFD_DRIVER 1

/* --- linux/args.h, linux/stringify.h, linux/build_bug.h --------------- */
#ifndef __CONCAT /* glibc's sys/cdefs.h has the same */
#define __CONCAT(a, b) a##b
#endif
#define CONCATENATE(a, b) __CONCAT(a, b)
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
/* the kernel's static_assert takes an optional message */
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)
/* reached only where the kernel would not have compiled */
#define BUILD_BUG() kshim_bug(__FILE__, __LINE__, "BUILD_BUG()")

/* --- linux/compiler.h, linux/export.h, linux/module.h ----------------- */
#define __maybe_unused __attribute__((unused))
#define EXPORT_SYMBOL_NS_GPL(sym, ns) extern int kshim_module_info
#define MODULE_LICENSE(x) extern int kshim_module_info
#define MODULE_DESCRIPTION(x) extern int kshim_module_info
#define MODULE_IMPORT_NS(x) extern int kshim_module_info

/* --- linux/limits.h ------------------------------------------------------ */
#define U8_MAX ((u8)~0U)
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)

/* --- linux/err.h ------------------------------------------------------- */
#define MAX_ERRNO 4095
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}
static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}
static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

/* --- linux/bitops.h, linux/bitfield.h ---------------------------------- */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}
static inline unsigned int __ffs64(u64 word)
{
	return (unsigned int)__builtin_ctzll(word);
}
#define __bf_shf(x) (__builtin_ffsll(x) - 1)

/* --- linux/minmax.h: the kernel's min() and max() take a constant and an
 * unsigned value alike (min(51, isz_lg2) in amdv1.h); compare in the type
 * the two promote to */
#undef min
#undef max
#define min(a, b)                                                                          \
	({                                                                                 \
		__typeof__((a) + (b)) kshim_a_ = (a), kshim_b_ = (b);                      \
		kshim_a_ < kshim_b_ ? kshim_a_ : kshim_b_;                                 \
	})
#define max(a, b)                                                                          \
	({                                                                                 \
		__typeof__((a) + (b)) kshim_a_ = (a), kshim_b_ = (b);                      \
		kshim_a_ > kshim_b_ ? kshim_a_ : kshim_b_;                                 \
	})

/* --- linux/container_of.h, linux/stddef.h, linux/overflow.h ----------- */
#define container_of_const(ptr, type, member) container_of(ptr, type, member)
#define offsetofend(TYPE, MEMBER) (offsetof(TYPE, MEMBER) + sizeof(((TYPE *)0)->MEMBER))
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

/* --- linux/string.h ---------------------------------------------------- */
static inline void *memset64(u64 *s, u64 v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		s[i] = v;
	return s;
}
#define memset_after(obj, v, member)                                                       \
	({                                                                                 \
		u8 *kshim_p_ = (u8 *)(obj);                                                \
		memset(kshim_p_ + offsetofend(__typeof__(*(obj)), member), (v),            \
		       sizeof(*(obj)) - offsetofend(__typeof__(*(obj)), member));          \
	})

/* --- atomics (linux/atomic.h) ------------------------------------------ */
#define try_cmpxchg64_release(ptr, oldp, new) try_cmpxchg64(ptr, oldp, new)
#define try_cmpxchg_release(ptr, oldp, new) try_cmpxchg64(ptr, oldp, new)

/* --- printk ------------------------------------------------------------ */
#define pr_err_ratelimited(fmt, ...) kshim_printk(fmt, ##__VA_ARGS__)

/* --- linux/mem_encrypt.h: the SME C-bit of the oracle instance -------- */
#undef __sme_set
#undef __sme_clr
extern u64 sme_me_mask;
#define __sme_set(x) ((x) | sme_me_mask)
#define __sme_clr(x) ((x) & ~sme_me_mask)

/* --- linux/mm_types.h: struct folio ------------------------------------
 * The page descriptors iommu-pages.h overlays struct ioptdesc on. They live
 * beside the simulated memory (gpt_shim.c), never in it: the pages
 * themselves are table memory. */
struct folio {
	unsigned long words[10];
};
struct folio *virt_to_folio(const void *virt);

/* --- linux/cacheflush.h (x86) ------------------------------------------ */
void clflush_cache_range(void *addr, unsigned int size);

/* --- linux/iova_bitmap.h ----------------------------------------------- */
struct iova_bitmap;
void iova_bitmap_set(struct iova_bitmap *bitmap, unsigned long iova, size_t length);

/* formats without software bits reach this only where the kernel's
 * optimiser removes the call (pt_fmt_defaults.h) */
void __pt_no_sw_bit(void);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * What the parts of the kernel the fault oracle compiles need, and no more:
 * intel/dmar.c's fault reason tables, dmar_get_fault_reason(),
 * dmar_fault_do_one() and dmar_fault() (with the FRCD and FSTS macros of
 * intel/iommu.h), and riscv/iommu.c's riscv_iommu_fault() over
 * riscv/iommu-bits.h. Their MMIO is an array here, their printk a list of
 * lines the test reads back.
 */
#ifndef KF_SHIM_H
#define KF_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64; /* the kernel's u64 on every architecture */
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;

#define __iomem
#define likely(x) (x)
#define unlikely(x) (x)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* linux/bits.h, linux/bitfield.h */
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define BIT_U64(n) BIT_ULL(n)
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define KF_SHIFT(m) (__builtin_ffsll(m) - 1)
#define FIELD_GET(m, v) ((__typeof__(m))(((v) & (m)) >> KF_SHIFT(m)))
#define FIELD_PREP(m, v) ((((__typeof__(m))(v)) << KF_SHIFT(m)) & (m))

/* asm/page.h */
#define PAGE_SHIFT 12
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))

/* linux/pci.h, linux/iommu.h */
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 0x07)
#define IOMMU_PASID_INVALID (-1U)

typedef enum { IRQ_NONE, IRQ_HANDLED } irqreturn_t;

/* One thread, and every message printed: no locks, no rate limit. */
#define raw_spin_lock_irqsave(lock, flags) ((void)(lock), (flags) = 0)
#define raw_spin_unlock_irqrestore(lock, flags) ((void)(lock), (void)(flags))
#define DEFAULT_RATELIMIT_INTERVAL 0
#define DEFAULT_RATELIMIT_BURST 0
#define DEFINE_RATELIMIT_STATE(name, interval, burst) int name
#define __ratelimit(rs) ((void)(rs), 1)

/* printk: each message one line of kf_lines[] */
#define KF_MAX_LINES 8
extern unsigned kf_n_lines;
extern char kf_lines[KF_MAX_LINES][256];
void kf_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define pr_err(fmt, ...) kf_printk(pr_fmt(fmt), ##__VA_ARGS__)

struct device {
	const char *name; /* dev_name(), with the driver in front */
};
#define dev_warn_ratelimited(dev, fmt, ...) kf_printk("%s: " fmt, (dev)->name, ##__VA_ARGS__)

/* The registers dmar_fault() reads and writes; it writes only RW1C bits
 * (FRCD's F, FSTS's PFO PPF PRO), so a write clears what it writes. */
struct intel_iommu {
	void *reg;
	u64 cap;
	int segment;
	int register_lock;
};

static inline u32 readl(const volatile void *addr)
{
	u32 v;
	memcpy(&v, (const void *)addr, sizeof(v));
	return v;
}

static inline u64 readq(const volatile void *addr)
{
	u64 v;
	memcpy(&v, (const void *)addr, sizeof(v));
	return v;
}

static inline void writel(u32 v, volatile void *addr)
{
	u32 old = readl(addr) & ~v;
	memcpy((void *)addr, &old, sizeof(old));
}

/* CONFIG_DMAR_DEBUG off: the kernel's own stub does nothing */
static inline void dmar_fault_dump_ptes(struct intel_iommu *iommu, u16 source_id,
					unsigned long long addr, u32 pasid)
{
	(void)iommu;
	(void)source_id;
	(void)addr;
	(void)pasid;
}

struct riscv_iommu_device {
	struct device *dev;
};

/* The oracle's entry points, one set per kernel (kf_dmar.c, kf_riscv.c). */
struct kf_cause {
	const char *name;
	unsigned code;
};
#define KF_DMAR_API(v)                                                                  \
	const char *kf_dmar_reason_##v(unsigned reason, bool *intr_remap);              \
	void kf_dmar_fault_##v(struct intel_iommu *iommu);
KF_DMAR_API(612)
KF_DMAR_API(73)
struct riscv_iommu_fq_record;
void kf_riscv_fault(struct riscv_iommu_device *iommu, const u64 *record);
extern const struct kf_cause kf_riscv_causes[];
extern const size_t kf_riscv_n_causes;
/* FIELD_GET() of the RISCV_IOMMU_FQ_HDR_* mask named, of hdr */
bool kf_riscv_hdr_field(const char *name, u64 hdr, u64 *value);

#endif

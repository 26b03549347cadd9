/* SPDX-License-Identifier: MIT */
/*
 * Basic vocabulary shared by every part of libpgt: addresses, the kernel's
 * IOMMU_* protection flags, the IO_PGTABLE_QUIRK_* bits, the io_pgtable_cfg
 * inputs, and the error record every fallible call fills in.
 */
#ifndef PGT_BASE_H
#define PGT_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t pgt_addr;

/* include/linux/iommu.h: IOMMU_READ .. IOMMU_PRIV */
enum pgt_prot {
	PGT_READ = 1u << 0,
	PGT_WRITE = 1u << 1,
	PGT_CACHE = 1u << 2,
	PGT_NOEXEC = 1u << 3,
	PGT_MMIO = 1u << 4,
	PGT_PRIV = 1u << 5,
};
#define PGT_PROT_ALL 0x3fu

/* include/linux/io-pgtable.h: IO_PGTABLE_QUIRK_* (6.12, plus the bits later
 * kernels added so that they can be named and refused precisely). */
enum pgt_quirk {
	PGT_QUIRK_ARM_NS = 1u << 0,
	PGT_QUIRK_NO_PERMS = 1u << 1,
	PGT_QUIRK_ARM_MTK_EXT = 1u << 3,
	PGT_QUIRK_ARM_MTK_TTBR_EXT = 1u << 4,
	PGT_QUIRK_ARM_TTBR1 = 1u << 5,
	PGT_QUIRK_ARM_OUTER_WBWA = 1u << 6,
	PGT_QUIRK_ARM_HD = 1u << 7,
	PGT_QUIRK_ARM_S2FWB = 1u << 8,
	PGT_QUIRK_NO_WARN = 1u << 9,
};

/*
 * Linux generic_pt's enum pt_features (include/linux/generic_pt/common.h)
 * as quirks of the formats it builds, named after the PT_FEAT_* bit
 * (sign-extend for PT_FEAT_SIGN_EXTEND); PT_FEAT_DMA_INCOHERENT is
 * coherent_walk false. The per-format bits share numbers in the kernel
 * (PT_FEAT_FMT_START on), so here each has its own.
 */
#define PGT_QUIRK_PT(n) (1ull << (32 + (n)))
enum pgt_pt_quirk {
	PGT_PT_SIGN_EXTEND,	       /* PT_FEAT_SIGN_EXTEND */
	PGT_PT_FULL_VA,		       /* PT_FEAT_FULL_VA */
	PGT_PT_DYNAMIC_TOP,	       /* PT_FEAT_DYNAMIC_TOP */
	PGT_PT_FLUSH_RANGE,	       /* PT_FEAT_FLUSH_RANGE */
	PGT_PT_FLUSH_RANGE_NO_GAPS,    /* PT_FEAT_FLUSH_RANGE_NO_GAPS */
	PGT_PT_DETAILED_GATHER,	       /* PT_FEAT_DETAILED_GATHER */
	PGT_PT_AMDV1_ENCRYPT_TABLES,   /* PT_FEAT_AMDV1_ENCRYPT_TABLES */
	PGT_PT_AMDV1_FORCE_COHERENCE,  /* PT_FEAT_AMDV1_FORCE_COHERENCE */
	PGT_PT_VTDSS_FORCE_COHERENCE,  /* PT_FEAT_VTDSS_FORCE_COHERENCE */
	PGT_PT_VTDSS_FORCE_WRITEABLE,  /* PT_FEAT_VTDSS_FORCE_WRITEABLE */
	PGT_PT_RISCV_SVNAPOT_64K,      /* PT_FEAT_RISCV_SVNAPOT_64K */
	PGT_PT_RISCV_SVPBMT,	       /* PT_FEAT_RISCV_SVPBMT */
	PGT_PT_X86_64_AMD_ENCRYPT_TABLES, /* PT_FEAT_X86_64_AMD_ENCRYPT_TABLES */
	PGT_PT_N_QUIRKS,
};

/*
 * The kernel whose map/unmap behaviour and bits a table reproduces. Reading
 * accepts what any of them writes. PGT_KERNEL_DEFAULT is the format's own
 * default: the oldest kernel that builds it (pgt_format_default_kernel).
 */
enum pgt_kernel {
	PGT_KERNEL_DEFAULT,
	PGT_KERNEL_6_12,
	PGT_KERNEL_7_3,
	PGT_KERNEL_END,
};

/* "6.12", "7.3"; "default" for PGT_KERNEL_DEFAULT. */
const char *pgt_kernel_name(enum pgt_kernel k);
/* The kernel named "6.12" or "7.3" (also "v6.12", "linux-7.3"), or
 * PGT_KERNEL_DEFAULT when there is none of that name. */
enum pgt_kernel pgt_kernel_find(const char *name);

/* Per-format configuration values (struct pgt_format_option), by the
 * option's position in its format's list; 0 is "not given". */
#define PGT_MAX_FORMAT_OPTIONS 4

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

#define PGT_ERR_MSG_MAX 512

/*
 * code is a negative errno value, chosen to match what the kernel returns
 * for the same condition (-EEXIST, -ERANGE, -EINVAL, ...), or what a file
 * operation failed with.
 */
struct pgt_error {
	int code;
	char msg[PGT_ERR_MSG_MAX];
};

/* Record an error and return code, so callers can `return pgt_fail(...)`. */
int pgt_fail(struct pgt_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put "context: " in front of the message already recorded. */
void pgt_error_prefix(struct pgt_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Append word to the list in buf (a C string of len bytes), after sep
 * unless the list is empty; what does not fit is cut. The one way lists
 * of names are built for messages, so that none can write or point past
 * its buffer.
 */
const char *pgt_join(char *buf, size_t len, const char *sep, const char *word);

#endif

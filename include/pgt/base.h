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

/*
 * What libpgt.so exports: every function a public header declares is
 * marked, the library is built with -fvisibility=hidden, and libpgt.sym
 * names the same set, so that nothing else leaks into its ABI.
 */
#if defined(__GNUC__) || defined(__clang__)
#define PGT_EXPORT __attribute__((visibility("default")))
#else
#define PGT_EXPORT
#endif

#ifdef __cplusplus
#define PGT_BEGIN_DECLS extern "C" {
#define PGT_END_DECLS }
#else
#define PGT_BEGIN_DECLS
#define PGT_END_DECLS
#endif

PGT_BEGIN_DECLS

struct pgt_error; /* Errors, below */

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
PGT_EXPORT const char *pgt_kernel_name(enum pgt_kernel k);
/* The kernel named "6.12" or "7.3" (also "v6.12", "linux-7.3"), or
 * PGT_KERNEL_DEFAULT when there is none of that name. */
PGT_EXPORT enum pgt_kernel pgt_kernel_find(const char *name);

/*
 * The caller's side of struct io_pgtable_cfg (opaque). A format's setup may
 * narrow pgsize_bitmap and clamp ias/oas, as the kernel's alloc functions
 * do; a value that is not given (0, and the defaults of pgt_cfg_new) is
 * the format's to choose.
 */
struct pgt_cfg;

enum pgt_cfg_key {
	PGT_CFG_QUIRKS,	       /* IO_PGTABLE_QUIRK_* bits and PGT_QUIRK_PT() bits */
	PGT_CFG_PGSIZE_BITMAP,
	PGT_CFG_IAS,
	PGT_CFG_OAS,
	PGT_CFG_COHERENT_WALK, /* 1 or 0 */
	PGT_CFG_CPU_PAGE_SIZE, /* the kernel's PAGE_SIZE: LPAE picks its granule from it */
	PGT_CFG_KERNEL,	       /* enum pgt_kernel: whose behaviour and bits */
};

/* A configuration with nothing given (coherent walk, 4K CPU pages, the
 * format's default kernel). */
PGT_EXPORT int pgt_cfg_new(struct pgt_cfg **out, struct pgt_error *err);
PGT_EXPORT int pgt_cfg_dup(const struct pgt_cfg *cfg, struct pgt_cfg **out,
			   struct pgt_error *err);
PGT_EXPORT void pgt_cfg_free(struct pgt_cfg *cfg);
PGT_EXPORT uint64_t pgt_cfg_get(const struct pgt_cfg *cfg, enum pgt_cfg_key key);
/* -EINVAL for a key there is none of, a kernel pgtctl does not know, or an
 * ias/oas above 64. */
PGT_EXPORT int pgt_cfg_set(struct pgt_cfg *cfg, enum pgt_cfg_key key, uint64_t value,
			   struct pgt_error *err);
/* The value of the format's option i (pgt_format_option), 0 when not
 * given; pgt_cfg_set_option sets one by name. */
PGT_EXPORT unsigned pgt_cfg_option(const struct pgt_cfg *cfg, unsigned i);

/*
 * Errors: one convention for the whole API.
 *
 *  - A function that can fail returns an int: 0 on success (or, where its
 *    comment says so, a count or 1/0 for "an item"/"the end"), and a
 *    negative errno value on failure: the kernel's own value where the
 *    kernel fails the same operation (-EEXIST, -ERANGE, -EINVAL), else
 *    -EINVAL for input it refuses, -ENOMEM, -ENOENT, or what a file
 *    operation failed with.
 *  - Its last parameter is a struct pgt_error *, which may be NULL. On
 *    failure the library records the code and a message there, in words
 *    about library concepts (a table, a format, an IOVA); a front-end puts
 *    its own words (options, commands) around them.
 *  - What a function makes is handed back through an out-parameter
 *    (struct pgt_table **out), set only on success; the caller frees it
 *    with the matching _free/_destroy/_close function.
 *  - A function that cannot fail returns its value directly.
 *  - Callbacks return 0 to go on; any other value stops the walk calling
 *    them and is what that walk returns.
 *  - The hot paths have no record: a read or write of memory
 *    (pgt_mem_read, pgt_mem_write; pgt_mem_why says why a read failed with
 *    -EIO) and an iterator's next item (pgt_iter_next, pgt_runs_next)
 *    return the negative errno alone.
 *
 * The error record is opaque: made by pgt_error_new, read with
 * pgt_error_code and pgt_error_message, reused across calls.
 */
struct pgt_error;

/* A new record with no error in it; NULL when memory is short (every
 * function also takes NULL, and then records nothing). */
PGT_EXPORT struct pgt_error *pgt_error_new(void);
PGT_EXPORT void pgt_error_free(struct pgt_error *err);
/* The negative errno value last recorded, or 0 (also for NULL). */
PGT_EXPORT int pgt_error_code(const struct pgt_error *err);
/* The message last recorded, or "" (also for NULL); valid until the
 * record is written again or freed. */
PGT_EXPORT const char *pgt_error_message(const struct pgt_error *err);
/* Forget what was recorded: code 0, message "". */
PGT_EXPORT void pgt_error_clear(struct pgt_error *err);

/*
 * What would make a refused operation go through, where the library knows
 * one: its message stops before it, and a front-end says it in its own
 * words (an option, an argument).
 */
enum pgt_remedy {
	PGT_REMEDY_NONE,
	PGT_REMEDY_REPLACE,	 /* map with PGT_MAP_REPLACE: the kernel's map_pages as it is */
	PGT_REMEDY_SPLIT,	 /* unmap with PGT_SPLIT_612: split the block as 6.12 did */
	PGT_REMEDY_SPLIT_612,	 /* only Linux 6.12 splits: its table, with PGT_SPLIT_612 */
	PGT_REMEDY_KERNEL_UNMAP, /* unmap with PGT_SPLIT_612: what this kernel does */
	PGT_REMEDY_SMALLER_IAS,	 /* a smaller ias, which gives the table one root */
	PGT_REMEDY_BUDGET,	 /* a larger pgt_scan_opts.budget */
	PGT_REMEDY_AS_DUMP,	 /* read the file as a dump: a format and roots */
	PGT_REMEDY_RAW_BASE,	 /* read it as raw memory at a base address */
	PGT_REMEDY_EDIT_COPY,	 /* edit a copy of the table alone (pgt_image_write) */
};
/* The remedy of the failure last recorded, or PGT_REMEDY_NONE. */
PGT_EXPORT enum pgt_remedy pgt_error_remedy(const struct pgt_error *err);

/* Record an error and return code, so callers can `return pgt_fail(...)`
 * (callbacks that fail use it too). err may be NULL. */
PGT_EXPORT int pgt_fail(struct pgt_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put "context: " in front of the message already recorded. */
PGT_EXPORT void pgt_error_prefix(struct pgt_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

PGT_END_DECLS

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The words and numbers users type, shared by the command line, the REPL
 * and the YAML spec: numbers with size suffixes, prot flags, quirk names,
 * page-size lists.
 */
#ifndef PGT_PARSE_H
#define PGT_PARSE_H

#include "base.h"

PGT_BEGIN_DECLS

/* Hex (0x...), decimal, optional binary suffix K M G T P E (KiB.. accepted),
 * '_' separators. Returns 0, or -EINVAL/-ERANGE with err explaining. */
PGT_EXPORT int pgt_parse_u64(const char *s, uint64_t *out, struct pgt_error *err);
/* The same, for a value that must be a power of two (a page size). */
PGT_EXPORT int pgt_parse_pow2(const char *s, uint64_t *out, struct pgt_error *err);

/* "rw", "r,w,c", "read,write", "read|write|noexec": letters r w c x m p or
 * words read write cache noexec mmio priv. */
PGT_EXPORT int pgt_parse_prot(const char *s, unsigned *out, struct pgt_error *err);
/* One prot word or letter; -1 when unknown. */
PGT_EXPORT int pgt_prot_bit(const char *word);
/* Compact letters in rwcxmp order ("rwc"), "-" for none. */
PGT_EXPORT const char *pgt_prot_letters(unsigned prot, char buf[8]);
/* The words in order; n of them; each a static string. */
PGT_EXPORT unsigned pgt_prot_words(unsigned prot, const char *words[6]);
/* The six prot words in bit order, then NULL. */
PGT_EXPORT const char *const *pgt_prot_names(void);

/* "arm-ns,arm-ttbr1", "ARM_NS", "IO_PGTABLE_QUIRK_ARM_NS" or a number. */
PGT_EXPORT int pgt_parse_quirks(const char *s, uint64_t *out, struct pgt_error *err);
/* Name of one quirk bit, or NULL. */
PGT_EXPORT const char *pgt_quirk_name(uint64_t bit);
/* "arm-ns,arm-ttbr1", or "none". */
PGT_EXPORT const char *pgt_quirks_str(uint64_t quirks, char *buf, size_t len);
/* Every quirk name, NULL-terminated. */
PGT_EXPORT const char *const *pgt_quirk_names(void);

/* "4K,2M,1G" (or '|' or ' ' separated) or a bitmap number. */
PGT_EXPORT int pgt_parse_pgsizes(const char *s, uint64_t *out, struct pgt_error *err);
/* "4K 2M 1G" */
PGT_EXPORT const char *pgt_pgsizes_str(uint64_t bitmap, char *buf, size_t len);

/* "yes"/"no"/"true"/"false"/"1"/"0"/"on"/"off" */
PGT_EXPORT int pgt_parse_bool(const char *s, bool *out, struct pgt_error *err);

/* Human size: "4K", "2M", or hex when not a whole unit. */
PGT_EXPORT const char *pgt_fmt_size(uint64_t size, char buf[24]);

PGT_END_DECLS

#endif

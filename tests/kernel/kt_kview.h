/* SPDX-License-Identifier: MIT */
/*
 * libpgt's view of a kernel oracle's simulated memory, read-only: a
 * pgt_mem over the buffer the oracle hands out (oracle_mem(), gpt_mem(),
 * amdv2_mem()), asked for at every access, so that libpgt can attach to
 * the kernel's table and walk it (kt_kview.c).
 */
#ifndef PGT_KT_KVIEW_H
#define PGT_KT_KVIEW_H

#include <stdint.h>

#include "internal.h"

/* The oracle k's memory: its buffer, its base address and length. */
typedef const uint8_t *kt_kview_mem_fn(void *k, uint64_t *base, uint64_t *len);

struct kt_kview {
	struct pgt_mem mem;
	kt_kview_mem_fn *kmem;
	void *k;
};

/* v over the memory kmem gives of k, named name in libpgt's messages; v is
 * embedded in its user and destroying it frees nothing. */
void kt_kview_init(struct kt_kview *v, const char *name, kt_kview_mem_fn *kmem, void *k);
/* [pa, pa + len) of the kernel's memory, or NULL where it is not all there. */
const uint8_t *kt_kview_ptr(const struct kt_kview *v, uint64_t pa, uint64_t len);

#endif

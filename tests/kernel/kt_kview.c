// SPDX-License-Identifier: MIT
/* libpgt's view of a kernel oracle's simulated memory (kt_kview.h). */
#include <errno.h>
#include <string.h>

#include "kt_kview.h"

const uint8_t *kt_kview_ptr(const struct kt_kview *v, uint64_t pa, uint64_t len)
{
	uint64_t base, size;
	const uint8_t *buf = v->kmem(v->k, &base, &size);
	if (pa < base || pa + len < pa || pa + len - base > size)
		return NULL;
	return buf + (pa - base);
}

static void *kview_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	return (void *)kt_kview_ptr((const struct kt_kview *)mem, pa, len);
}

static int kview_read(struct pgt_mem *mem, pgt_addr pa, void *out, uint64_t len)
{
	const void *q = kview_ptr(mem, pa, len);
	if (!q)
		return -EFAULT;
	memcpy(out, q, len);
	return 0;
}

static size_t kview_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	const struct kt_kview *v = (const struct kt_kview *)mem;
	uint64_t base, size;
	v->kmem(v->k, &base, &size);
	if (max)
		out[0] = (struct pgt_mem_range){base, size};
	return 1;
}

static void kview_destroy(struct pgt_mem *mem)
{
	(void)mem; /* embedded in its user */
}

static const struct pgt_mem_ops kview_ops = {
	.ptr = kview_ptr,
	.read = kview_read,
	.ranges = kview_ranges,
	.destroy = kview_destroy,
};

void kt_kview_init(struct kt_kview *v, const char *name, kt_kview_mem_fn *kmem, void *k)
{
	*v = (struct kt_kview){{&kview_ops, name, false}, kmem, k};
}

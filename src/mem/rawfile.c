// SPDX-License-Identifier: MIT
/* A flat memory image mapped read-only; its first byte is at physical base. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgt/mem.h"
#include "util/mapfile.h"

struct rawfile {
	struct pgt_mem mem;
	pgt_addr base;
	struct pgt_mapfile file;
	char *path;
};

static struct rawfile *raw_of(struct pgt_mem *mem)
{
	return (struct rawfile *)mem;
}

static void *raw_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	struct rawfile *r = raw_of(mem);
	/* as offsets into the file: it may end at 2^64, where pa + len is 0 */
	if (pa < r->base || len > r->file.size || pa - r->base > r->file.size - len)
		return NULL;
	return (void *)(r->file.data + (pa - r->base));
}

static int raw_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	const void *p = raw_ptr(mem, pa, len);
	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

static size_t raw_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct rawfile *r = raw_of(mem);
	if (!r->file.size)
		return 0;
	if (max)
		out[0] = (struct pgt_mem_range){r->base, r->file.size};
	return 1;
}

static void raw_destroy(struct pgt_mem *mem)
{
	struct rawfile *r = raw_of(mem);
	pgt_mapfile_close(&r->file);
	free(r->path);
	free(r);
}

static const struct pgt_mem_ops raw_ops = {
	.ptr = raw_ptr,
	.read = raw_read,
	.ranges = raw_ranges,
	.destroy = raw_destroy,
};

struct pgt_mem *pgt_rawfile_open(const char *path, pgt_addr base, struct pgt_error *err)
{
	struct rawfile *r = calloc(1, sizeof(*r));
	if (!r) {
		pgt_fail(err, -ENOMEM, "out of memory");
		return NULL;
	}
	if (pgt_mapfile_open(&r->file, path, err)) {
		free(r);
		return NULL;
	}
	uint64_t size = r->file.size;
	if (size && base + size - 1 < base) {
		pgt_fail(err, -ERANGE, "%s: base 0x%llx plus its size wraps the address space",
			 path, (unsigned long long)base);
		raw_destroy(&r->mem);
		return NULL;
	}
	r->mem.ops = &raw_ops;
	r->path = strdup(path);
	r->mem.name = r->path;
	r->base = base;
	return &r->mem;
}

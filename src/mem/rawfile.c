// SPDX-License-Identifier: MIT
/* A flat memory image read in place; its first byte is at physical base. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "util/infile.h"

struct rawfile {
	struct pgt_mem mem;
	pgt_addr base;
	struct pgt_infile file;
};

static struct rawfile *raw_of(struct pgt_mem *mem)
{
	return (struct rawfile *)mem;
}

/* Is [pa, pa + len) inside the file? As offsets: it may end at 2^64. */
static bool inside(const struct rawfile *r, pgt_addr pa, uint64_t len)
{
	return pa >= r->base && len <= r->file.size && pa - r->base <= r->file.size - len;
}

static int raw_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	struct rawfile *r = raw_of(mem);
	if (!inside(r, pa, len))
		return -EFAULT;
	return pgt_infile_read(&r->file, pa - r->base, buf, len);
}

/* A pointer where the file was read whole (infile.c); read-only. */
static void *raw_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	struct rawfile *r = raw_of(mem);
	const uint8_t *at = inside(r, pa, len) ? pgt_infile_ptr(&r->file, 0, r->file.size) : NULL;
	if (!at)
		return NULL;
	mem->window.pa = r->base;
	mem->window.len = r->file.size;
	mem->window.at = at;
	return (void *)(at + (pa - r->base));
}

static int raw_read_shared(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	struct rawfile *r = raw_of(mem);
	if (!inside(r, pa, len))
		return -EFAULT;
	return pgt_infile_pread(&r->file, pa - r->base, buf, len);
}

static const char *raw_why(struct pgt_mem *mem)
{
	return raw_of(mem)->file.why;
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

static bool raw_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out)
{
	struct rawfile *r = raw_of(mem);
	uint64_t start, end;
	uint64_t off = from > r->base ? from - r->base : 0;
	if (from > r->base && from - r->base >= r->file.size)
		return false;
	if (!pgt_infile_data(&r->file, off, &start, &end))
		return false;
	*out = (struct pgt_mem_range){r->base + start, end - start};
	return true;
}

static void raw_destroy(struct pgt_mem *mem)
{
	struct rawfile *r = raw_of(mem);
	pgt_infile_close(&r->file);
	free(r);
}

static const struct pgt_mem_ops raw_ops = {
	.ptr = raw_ptr,
	.read = raw_read,
	.read_shared = raw_read_shared,
	.why = raw_why,
	.ranges = raw_ranges,
	.data = raw_data,
	.destroy = raw_destroy,
};

int pgt_rawfile_open(const char *path, pgt_addr base, struct pgt_mem **out,
		     struct pgt_error *err)
{
	struct rawfile *r = calloc(1, sizeof(*r));
	if (!r)
		return pgt_fail(err, -ENOMEM, "out of memory");
	int rc = pgt_infile_open(&r->file, path, err);
	if (rc) {
		free(r);
		return rc;
	}
	uint64_t size = r->file.size;
	if (size && base + size - 1 < base) {
		rc = pgt_fail(err, -ERANGE, "%s: base 0x%llx plus its size wraps the address space",
			      path, (unsigned long long)base);
		raw_destroy(&r->mem);
		return rc;
	}
	r->mem.ops = &raw_ops;
	r->mem.name = r->file.path;
	r->base = base;
	*out = &r->mem;
	return 0;
}

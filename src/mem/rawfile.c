// SPDX-License-Identifier: MIT
/* A flat memory image mapped read-only; its first byte is at physical base. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pgt/mem.h"

struct rawfile {
	struct pgt_mem mem;
	pgt_addr base;
	uint64_t size;
	const uint8_t *map;
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
	if (pa < r->base || len > r->size || pa - r->base > r->size - len)
		return NULL;
	return (void *)(r->map + (pa - r->base));
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
	if (!r->size)
		return 0;
	if (max)
		out[0] = (struct pgt_mem_range){r->base, r->size};
	return 1;
}

static void raw_destroy(struct pgt_mem *mem)
{
	struct rawfile *r = raw_of(mem);
	if (r->map && r->size)
		munmap((void *)r->map, r->size);
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
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pgt_fail(err, -errno, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pgt_fail(err, -EINVAL, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	uint64_t size = (uint64_t)st.st_size;
	if (size && base + size - 1 < base) {
		pgt_fail(err, -ERANGE, "%s: base 0x%llx plus its size wraps the address space",
			 path, (unsigned long long)base);
		close(fd);
		return NULL;
	}
	struct rawfile *r = calloc(1, sizeof(*r));
	if (!r) {
		close(fd);
		pgt_fail(err, -ENOMEM, "out of memory");
		return NULL;
	}
	if (size) {
		void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			pgt_fail(err, -errno, "%s: cannot map: %s", path, strerror(errno));
			close(fd);
			free(r);
			return NULL;
		}
		r->map = m;
	}
	close(fd);
	r->mem.ops = &raw_ops;
	r->path = strdup(path);
	r->mem.name = r->path;
	r->base = base;
	r->size = size;
	return &r->mem;
}

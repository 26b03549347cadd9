// SPDX-License-Identifier: MIT
/* The generic half of the memory interface: calls every backend shares. */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pgt/mem.h"

/* Does [pa, pa + len) run past the top of the address space? It may end
 * at 2^64 exactly, as a segment or file placed at the very top does. */
static bool wraps(pgt_addr pa, uint64_t len)
{
	return len && pa + (len - 1) < pa;
}

int pgt_mem_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	if (wraps(pa, len))
		return -EFAULT;
	const void *p = pgt_mem_ptr(mem, pa, len);
	if (p) {
		memcpy(buf, p, len);
		return 0;
	}
	return mem->ops->read(mem, pa, buf, len);
}

int pgt_mem_read_shared(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	if (wraps(pa, len))
		return -EFAULT;
	if (mem->ops->read_shared)
		return mem->ops->read_shared(mem, pa, buf, len);
	return pgt_mem_read(mem, pa, buf, len);
}

int pgt_mem_write(struct pgt_mem *mem, pgt_addr pa, const void *buf, uint64_t len)
{
	if (!mem->ops->write)
		return -EROFS;
	if (wraps(pa, len))
		return -EFAULT;
	return mem->ops->write(mem, pa, buf, len);
}

int pgt_mem_read_desc(struct pgt_mem *mem, pgt_addr pa, unsigned bytes, bool big_endian,
		      uint64_t *val)
{
	if (bytes == 8) {
		uint64_t v = 0;
		int rc = pgt_mem_read(mem, pa, &v, 8);
		*val = big_endian ? be64toh(v) : le64toh(v);
		return rc;
	}
	uint32_t v = 0;
	int rc = pgt_mem_read(mem, pa, &v, 4);
	*val = big_endian ? be32toh(v) : le32toh(v);
	return rc;
}

size_t pgt_mem_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	return mem->ops->ranges(mem, out, max);
}

bool pgt_mem_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out)
{
	if (!mem->ops->data(mem, from, out))
		return false;
	if (out->pa < from) { /* a run holding from: its part from from on */
		out->len -= from - out->pa;
		out->pa = from;
	}
	return true;
}

const char *pgt_mem_why(struct pgt_mem *mem)
{
	const char *why = mem->ops->why ? mem->ops->why(mem) : NULL;
	return why ? why : "";
}

void pgt_mem_destroy(struct pgt_mem *mem)
{
	if (mem)
		mem->ops->destroy(mem);
}

struct pgt_mem *pgt_mem_vfail(struct pgt_mem *mem, const char *name, struct pgt_error *err,
			      int code, const char *fmt, va_list ap)
{
	char why[PGT_ERR_MSG_MAX - 64];
	vsnprintf(why, sizeof(why), fmt, ap);
	pgt_fail(err, code, "%s: %s", name, why); /* name may belong to mem */
	pgt_mem_destroy(mem);
	return NULL;
}

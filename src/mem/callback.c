// SPDX-License-Identifier: MIT
/*
 * Memory the caller reads for the library through callbacks: whatever can
 * read physical memory (a debugger on a live system or a crash dump, an
 * emulator's guest memory, a language binding) walks tables with libpgt.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct callback_mem {
	struct pgt_mem mem;
	struct pgt_mem_callbacks cb;
	void *ctx;
	char *name;
	struct pgt_error err; /* why the last read failed */
};

static struct callback_mem *cb_of(struct pgt_mem *mem)
{
	return (struct callback_mem *)mem;
}

/* A callback's refusal as the backends give theirs: what it said, or the
 * code alone where it said nothing. */
static int cb_result(struct callback_mem *c, int rc)
{
	if (rc > 0 || rc < -4095)
		rc = -EIO; /* not an errno: the caller's bug, reported as unreadable */
	if (rc && !c->err.code)
		pgt_fail(&c->err, rc, "%s", strerror(-rc));
	return rc;
}

static int cb_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	struct callback_mem *c = cb_of(mem);
	pgt_error_clear(&c->err);
	return cb_result(c, c->cb.read(c->ctx, pa, buf, len, &c->err));
}

static int cb_write(struct pgt_mem *mem, pgt_addr pa, const void *buf, uint64_t len)
{
	struct callback_mem *c = cb_of(mem);
	pgt_error_clear(&c->err);
	return cb_result(c, c->cb.write(c->ctx, pa, buf, len, &c->err));
}

static const char *cb_why(struct pgt_mem *mem)
{
	return cb_of(mem)->err.msg;
}

static size_t cb_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct callback_mem *c = cb_of(mem);
	return c->cb.ranges ? c->cb.ranges(c->ctx, out, max) : 0;
}

/* Every range may hold data: the caller's memory has no holes it tells. */
static bool cb_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out)
{
	size_t n = cb_ranges(mem, NULL, 0);
	struct pgt_mem_range *r = n ? calloc(n, sizeof(*r)) : NULL;
	bool found = false;
	if (!r)
		return false;
	n = cb_ranges(mem, r, n);
	for (size_t i = 0; i < n && !found; i++)
		if (r[i].len && r[i].pa + (r[i].len - 1) >= from) {
			*out = r[i];
			found = true;
		}
	free(r);
	return found;
}

static void cb_destroy(struct pgt_mem *mem)
{
	struct callback_mem *c = cb_of(mem);
	if (c->cb.release)
		c->cb.release(c->ctx);
	free(c->name);
	free(c);
}

static const struct pgt_mem_ops cb_ops = {
	.read = cb_read,
	.why = cb_why,
	.ranges = cb_ranges,
	.data = cb_data,
	.destroy = cb_destroy,
};

static const struct pgt_mem_ops cb_ops_writable = {
	.read = cb_read,
	.why = cb_why,
	.write = cb_write,
	.ranges = cb_ranges,
	.data = cb_data,
	.destroy = cb_destroy,
};

int pgt_mem_new(const char *name, const struct pgt_mem_callbacks *cb, void *ctx,
		struct pgt_mem **out, struct pgt_error *err)
{
	if (!cb->read)
		return pgt_fail(err, -EINVAL, "memory of callbacks needs a read callback");
	struct callback_mem *c = calloc(1, sizeof(*c));
	if (!c || !(c->name = strdup(name ? name : "memory"))) {
		free(c);
		return pgt_fail(err, -ENOMEM, "out of memory");
	}
	c->mem.ops = cb->write ? &cb_ops_writable : &cb_ops;
	c->mem.name = c->name;
	c->cb = *cb;
	c->ctx = ctx;
	*out = &c->mem;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * A memory shared by threads: every call into the backend it wraps is made
 * under one lock, so that backends keep their caches without locks of
 * their own (scan reads from several threads at once).
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "pgt/mem.h"

struct locked {
	struct pgt_mem mem;
	struct pgt_mem *inner;
	pthread_mutex_t lock;
};

/* Why the calling thread's last read failed, copied under the lock. */
static _Thread_local char last_why[PGT_ERR_MSG_MAX];

static struct locked *locked_of(struct pgt_mem *mem)
{
	return (struct locked *)mem;
}

static void *locked_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	struct locked *l = locked_of(mem);
	pthread_mutex_lock(&l->lock);
	void *p = pgt_mem_ptr(l->inner, pa, len);
	pthread_mutex_unlock(&l->lock);
	return p;
}

static int locked_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	struct locked *l = locked_of(mem);
	pthread_mutex_lock(&l->lock);
	int rc = pgt_mem_read(l->inner, pa, buf, len);
	if (rc) {
		const char *why = pgt_mem_why(l->inner);
		size_t n = strlen(why) < sizeof(last_why) - 1 ? strlen(why) : sizeof(last_why) - 1;
		memcpy(last_why, why, n);
		last_why[n] = 0;
	}
	pthread_mutex_unlock(&l->lock);
	return rc;
}

/* Backends that can be read by several threads at once are, unlocked. */
static int locked_read_shared(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	struct locked *l = locked_of(mem);
	if (l->inner->ops->read_shared)
		return l->inner->ops->read_shared(l->inner, pa, buf, len);
	return locked_read(mem, pa, buf, len);
}

static const char *locked_why(struct pgt_mem *mem)
{
	(void)mem;
	return last_why;
}

static size_t locked_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct locked *l = locked_of(mem);
	pthread_mutex_lock(&l->lock);
	size_t n = pgt_mem_ranges(l->inner, out, max);
	pthread_mutex_unlock(&l->lock);
	return n;
}

static bool locked_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out)
{
	struct locked *l = locked_of(mem);
	pthread_mutex_lock(&l->lock);
	bool any = pgt_mem_data(l->inner, from, out);
	pthread_mutex_unlock(&l->lock);
	return any;
}

static void locked_destroy(struct pgt_mem *mem)
{
	struct locked *l = locked_of(mem);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static const struct pgt_mem_ops locked_ops = {
	.ptr = locked_ptr,
	.read = locked_read,
	.read_shared = locked_read_shared,
	.why = locked_why,
	.ranges = locked_ranges,
	.data = locked_data,
	.destroy = locked_destroy,
};

struct pgt_mem *pgt_mem_locked(struct pgt_mem *inner)
{
	struct locked *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	if (pthread_mutex_init(&l->lock, NULL)) {
		free(l);
		return NULL;
	}
	l->mem.ops = &locked_ops;
	l->mem.name = inner->name;
	l->mem.big_endian = inner->big_endian;
	l->inner = inner;
	return &l->mem;
}

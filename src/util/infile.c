// SPDX-License-Identifier: MIT
#include "util/infile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Walks read a few descriptors in each of many pages, again and again
 * (translate of a million IOVAs): a direct-mapped cache of up to 16384
 * blocks of 4 KiB keeps the tables of 64 MiB of file, each slot's memory
 * allocated when first used, so that a command costs the blocks it reads.
 * Reads of several blocks go straight to the file and leave it alone.
 *
 * A file no larger than the cache whose blocks are read again and again
 * is worth having whole: once the cache has read a quarter of its size
 * (and at least WHOLE_AFTER), the file is read in one go into memory (in
 * huge pages where the system gives them), reads are copies from there,
 * and pgt_infile_ptr() hands out pointers that walks can prefetch through.
 * A reader that wants a few blocks never pays for the whole; one that
 * wants them all pays at most a quarter again. It is a copy: a file cut
 * short after that reads as it was.
 */
#define BLOCK_SHIFT 12
#define BLOCK_SIZE (1u << BLOCK_SHIFT)
#define SLOTS 16384
#define DIRECT (4 * BLOCK_SIZE)
#define WHOLE_MAX ((uint64_t)SLOTS * BLOCK_SIZE)
#define WHOLE_AFTER (1u << 20)
#define HUGE_PAGE (2ull << 20)

struct infile_cache {
	uint64_t tag[SLOTS]; /* block number + 1; 0: empty */
	uint32_t len[SLOTS]; /* bytes of the block the file has */
	uint8_t *data[SLOTS];
};

int pgt_infile_open(struct pgt_infile *f, const char *path, struct pgt_error *err)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return pgt_fail(err, -errno, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pgt_fail(err, -EINVAL, "%s: not a regular file", path);
	}
	f->path = strdup(path);
	if (!f->path) {
		close(fd);
		return pgt_fail(err, -ENOMEM, "out of memory");
	}
	f->fd = fd;
	f->size = (uint64_t)st.st_size;
	return 0;
}

void pgt_infile_close(struct pgt_infile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->cache)
		for (unsigned i = 0; i < SLOTS; i++)
			free(f->cache->data[i]);
	free(f->cache);
	if (f->whole)
		munmap(f->whole, f->whole_len);
	free(f->path);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

/* Why a pread came back short: the file shrank under us, or an I/O error. */
static int short_read(struct pgt_infile *f, ssize_t got, uint64_t off)
{
	struct stat st;
	if (got < 0)
		snprintf(f->why, sizeof(f->why), "%s: reading at offset 0x%llx: %s", f->path,
			 (unsigned long long)off, strerror(errno));
	else if (!fstat(f->fd, &st) && (uint64_t)st.st_size < f->size)
		snprintf(f->why, sizeof(f->why),
			 "%s: the file shrank from %llu to %llu bytes while it was read", f->path,
			 (unsigned long long)f->size, (unsigned long long)st.st_size);
	else
		snprintf(f->why, sizeof(f->why), "%s: no bytes at offset 0x%llx", f->path,
			 (unsigned long long)off);
	return -EIO;
}

/* pread all of it: 0, or the pread that fell short (0 at the end of the
 * file, -1 with errno) and where. */
static ssize_t pread_all(const struct pgt_infile *f, uint64_t *off, uint8_t *buf, uint64_t len)
{
	while (len) {
		size_t want = len > (1u << 30) ? (1u << 30) : (size_t)len;
		ssize_t got = pread(f->fd, buf, want, (off_t)*off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got;
		buf += got;
		*off += (uint64_t)got;
		len -= (uint64_t)got;
	}
	return 1;
}

static int read_direct(struct pgt_infile *f, uint64_t off, uint8_t *buf, uint64_t len)
{
	ssize_t got = pread_all(f, &off, buf, len);
	return got > 0 ? 0 : short_read(f, got, off);
}

int pgt_infile_pread(const struct pgt_infile *f, uint64_t off, void *buf, uint64_t len)
{
	if (off > f->size || len > f->size - off)
		return -EIO;
	return pread_all(f, &off, buf, len) > 0 ? 0 : -EIO;
}

/* Memory for the file whole: zeroed, 2 MiB aligned, in huge pages where
 * the system gives them; NULL when there is none. */
static uint8_t *whole_alloc(uint64_t size, size_t *len)
{
	*len = (size_t)((size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
	uint8_t *p = mmap(NULL, *len + HUGE_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	uint8_t *q = (uint8_t *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (q > p)
		munmap(p, (size_t)(q - p));
	munmap(q + *len, (size_t)(p + HUGE_PAGE - q));
	madvise(q, *len, MADV_HUGEPAGE);
	return q;
}

/* Read the file whole, the cache given up; it stays as it is when that
 * fails (no memory, or the file is no longer what it was). */
static void read_whole(struct pgt_infile *f)
{
	size_t len;
	uint8_t *p = whole_alloc(f->size, &len);
	if (!p)
		return;
	uint64_t off = 0;
	if (pread_all(f, &off, p, f->size) <= 0) {
		munmap(p, len);
		return;
	}
	f->whole = p;
	f->whole_len = len;
	for (unsigned i = 0; i < SLOTS; i++)
		free(f->cache->data[i]);
	free(f->cache);
	f->cache = NULL;
}

/* The cached block holding off, read in when missing. */
static const uint8_t *block(struct pgt_infile *f, uint64_t blk, uint32_t *have)
{
	struct infile_cache *c = f->cache;
	unsigned s = (unsigned)(blk % SLOTS);
	if (c->tag[s] != blk + 1) {
		uint64_t off = blk << BLOCK_SHIFT;
		if (!c->data[s] && !(c->data[s] = malloc(BLOCK_SIZE))) {
			snprintf(f->why, sizeof(f->why), "out of memory");
			return NULL;
		}
		uint32_t n = f->size - off < BLOCK_SIZE ? (uint32_t)(f->size - off) : BLOCK_SIZE;
		c->tag[s] = 0;
		if (read_direct(f, off, c->data[s], n))
			return NULL;
		c->tag[s] = blk + 1;
		c->len[s] = n;
		f->missed += n;
	}
	*have = c->len[s];
	return c->data[s];
}

int pgt_infile_read(struct pgt_infile *f, uint64_t off, void *buf, uint64_t len)
{
	uint8_t *out = buf;
	if (off > f->size || len > f->size - off) {
		snprintf(f->why, sizeof(f->why), "%s: 0x%llx bytes at offset 0x%llx are past its end",
			 f->path, (unsigned long long)len, (unsigned long long)off);
		return -EIO;
	}
	if (f->whole) {
		memcpy(out, f->whole + off, len);
		return 0;
	}
	if (len >= DIRECT)
		return read_direct(f, off, out, len);
	if (!f->cache && !(f->cache = calloc(1, sizeof(*f->cache))))
		return read_direct(f, off, out, len);
	while (len) {
		uint32_t have, at = (uint32_t)(off & (BLOCK_SIZE - 1));
		const uint8_t *b = block(f, off >> BLOCK_SHIFT, &have);
		if (!b)
			return -EIO;
		uint64_t n = have - at < len ? have - at : len;
		memcpy(out, b + at, n);
		out += n;
		off += n;
		len -= n;
	}
	if (f->missed >= f->size / 4 && f->missed >= WHOLE_AFTER && f->size <= WHOLE_MAX)
		read_whole(f);
	return 0;
}


bool pgt_infile_data(struct pgt_infile *f, uint64_t off, uint64_t *start, uint64_t *end)
{
	if (off >= f->size)
		return false;
	off_t d = lseek(f->fd, (off_t)off, SEEK_DATA);
	if (d < 0) {
		/* ENXIO: only a hole from off on; anything else: no hole
		 * information, so all of it may be data */
		if (errno == ENXIO)
			return false;
		*start = off;
		*end = f->size;
		return true;
	}
	off_t h = lseek(f->fd, d, SEEK_HOLE);
	*start = (uint64_t)d;
	*end = h < 0 || (uint64_t)h > f->size ? f->size : (uint64_t)h;
	return *start < *end;
}

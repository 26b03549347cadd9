/* SPDX-License-Identifier: MIT */
/*
 * An input file read with pread through a block cache, never mapped (a
 * small one read whole once that is cheaper than the cache, see infile.c):
 * a multi-GB dump costs only the blocks a reader asks for, a file truncated
 * while it is read gives an error instead of SIGBUS, and a FIFO or a device
 * is refused before anything can block on it.
 */
#ifndef PGT_UTIL_INFILE_H
#define PGT_UTIL_INFILE_H

#include <stdint.h>

#include "pgt/base.h"

struct infile_cache;

struct pgt_infile {
	int fd;
	uint64_t size; /* when opened */
	char *path;
	struct infile_cache *cache; /* allocated on the first small read */
	uint64_t missed;	    /* bytes the cache read from the file */
	uint8_t *whole;		    /* the file read whole, once worth it */
	size_t whole_len;
	char why[200]; /* why the last read failed */
};

/*
 * Open PATH for reading. Fails, naming the file, when it cannot be opened
 * or is not a regular file (a directory, a FIFO, a device: nothing that
 * has a size to check reads against); a FIFO is opened without waiting
 * for a writer, so that the refusal is immediate.
 */
int pgt_infile_open(struct pgt_infile *f, const char *path, struct pgt_error *err);
void pgt_infile_close(struct pgt_infile *f);

/*
 * Copy [off, off + len) out. 0, or -EIO when those bytes are past the size
 * the file had when opened, or the file no longer has them (it shrank) or
 * cannot be read; f->why says which.
 */
int pgt_infile_read(struct pgt_infile *f, uint64_t off, void *buf, uint64_t len);

/* The same without the cache or f->why: callers may read at once from
 * several threads. 0 or -EIO. */
int pgt_infile_pread(const struct pgt_infile *f, uint64_t off, void *buf, uint64_t len);

/* A pointer to [off, off + len) once the file was read whole (see
 * infile.c), else NULL; valid until the file is closed. Inline: walks ask
 * for one at every level. */
static inline const void *pgt_infile_ptr(const struct pgt_infile *f, uint64_t off, uint64_t len)
{
	if (!f->whole || off > f->size || len > f->size - off)
		return NULL;
	return f->whole + off;
}

/*
 * The first run of bytes at or after off that may hold data: true and
 * [*start, *end), or false when the rest of the file is a hole. Holes are
 * those the file system reports (SEEK_DATA, SEEK_HOLE); where it reports
 * none the whole rest of the file is one run.
 */
bool pgt_infile_data(struct pgt_infile *f, uint64_t off, uint64_t *start, uint64_t *end);

#endif

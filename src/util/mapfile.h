// SPDX-License-Identifier: MIT
/*
 * A regular file mapped read-only: how every reader of pgtctl sees its
 * input, so that a multi-GB dump costs only the pages a walk touches.
 */
#ifndef PGT_UTIL_MAPFILE_H
#define PGT_UTIL_MAPFILE_H

#include <stdint.h>

#include "pgt/base.h"

struct pgt_mapfile {
	const uint8_t *data; /* NULL for an empty file */
	uint64_t size;
};

/*
 * Map PATH. Fails, naming the file, when it cannot be opened, is not a
 * regular file (a directory, a pipe: nothing mmap can serve) or cannot be
 * mapped.
 */
int pgt_mapfile_open(struct pgt_mapfile *m, const char *path, struct pgt_error *err);
void pgt_mapfile_close(struct pgt_mapfile *m);

#endif

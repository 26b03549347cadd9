// SPDX-License-Identifier: MIT
/*
 * The input file's reads (src/util/infile.c): a reader of a few blocks goes
 * through the block cache; one that keeps missing in a small file gets it
 * whole, with pointers into it, and keeps what it read when the file is
 * cut short after that; a file larger than the cache is never read whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "internal.h"
#include "util/infile.h"

#define MIB (1ull << 20)

/* The 8 bytes at off of the pattern file: off itself. */
static uint64_t want(uint64_t off)
{
	return off * 0x9e3779b97f4a7c15ull;
}

static void make_file(const char *path, uint64_t size, uint64_t sparse_to)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(2);
	}
	for (uint64_t off = 0; off < size; off += 8) {
		uint64_t v = want(off);
		fwrite(&v, 8, 1, f);
	}
	fclose(f);
	if (sparse_to && truncate(path, (off_t)sparse_to)) {
		perror(path);
		exit(2);
	}
}

/* Read the descriptor of n blocks, one in each, from block first on. */
static int read_blocks(struct pgt_infile *f, uint64_t first, uint64_t n, int *wrong)
{
	for (uint64_t b = first; b < first + n; b++) {
		uint64_t off = b * 4096 + 8 * (b % 512), v;
		if (pgt_infile_read(f, off, &v, 8))
			return -1;
		*wrong += v != want(off);
	}
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/t_infile.XXXXXX", small[64], big[64];
	struct pgt_infile f;
	struct pgt_error err;
	int wrong = 0;
	if (!mkdtemp(dir))
		return 2;
	snprintf(small, sizeof(small), "%s/small", dir);
	snprintf(big, sizeof(big), "%s/big", dir);

	/* 8 MiB: whole after 2 MiB of misses (a quarter) */
	make_file(small, 8 * MIB, 0);
	OK(!pgt_infile_open(&f, small, &err), "open an 8 MiB file");
	OK(!read_blocks(&f, 0, 100, &wrong) && !wrong, "100 blocks read through the cache");
	OK(!pgt_infile_ptr(&f, 0, 8), "a few blocks read: no pointer, the file is not read whole");
	OK(!read_blocks(&f, 100, 411, &wrong) && !wrong, "411 blocks more");
	OK(!pgt_infile_ptr(&f, 0, 8), "2 MiB less a block missed: still not whole");
	OK(!read_blocks(&f, 511, 1, &wrong) && !wrong, "one more block");
	const uint8_t *p = pgt_infile_ptr(&f, 4096, 8);
	OK(p != NULL, "a quarter of the file missed: it is read whole, with pointers into it");
	uint64_t v = 0;
	if (p)
		memcpy(&v, p, 8);
	EQ(v, want(4096), "the pointer is at the file's bytes");
	OK(!pgt_infile_ptr(&f, 8 * MIB - 4, 8), "no pointer past the end of the file");
	OK(pgt_infile_ptr(&f, 8 * MIB - 8, 8) != NULL, "a pointer to the last 8 bytes");
	OK(!truncate(small, 0), "the file is cut to nothing");
	OK(!read_blocks(&f, 1000, 1000, &wrong) && !wrong,
	   "read whole, it reads as it was when it was read");
	OK(pgt_infile_read(&f, 8 * MIB - 4, &v, 8) == -EIO, "a read past its size still fails");
	pgt_infile_close(&f);

	/* the same file, cut before it was read whole: the cut is seen */
	make_file(small, 8 * MIB, 0);
	OK(!pgt_infile_open(&f, small, &err), "open it again");
	OK(!read_blocks(&f, 0, 10, &wrong) && !wrong, "10 blocks read");
	OK(!truncate(small, 0), "the file is cut to nothing");
	OK(read_blocks(&f, 10, 1, &wrong) == -1 && strstr(f.why, "shrank"),
	   "a block not read yet: the read fails, saying the file shrank (%s)", f.why);
	pgt_infile_close(&f);

	/* larger than the cache: never whole */
	make_file(big, 4 * MIB, 80 * MIB);
	OK(!pgt_infile_open(&f, big, &err), "open an 80 MiB sparse file");
	OK(!read_blocks(&f, 0, 1024, &wrong) && !wrong, "its first 4 MiB, a block at a time");
	uint64_t zero = 1;
	OK(!pgt_infile_read(&f, 40 * MIB, &zero, 8) && !zero, "its hole reads as zeros");
	OK(!pgt_infile_ptr(&f, 0, 8), "larger than the cache: not read whole");
	pgt_infile_close(&f);

	unlink(small);
	unlink(big);
	rmdir(dir);
	return t_done();
}

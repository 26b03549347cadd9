/* SPDX-License-Identifier: MIT */
/*
 * What every fuzz target shares. Each fuzz_<name>.c is one libFuzzer entry
 * point (LLVMFuzzerTestOneInput); the same file links with libFuzzer (make
 * fuzz), with replay.c, which feeds it the corpus and regression files in
 * make test, or with AFL++'s driver:
 *
 *   make CC=afl-clang-fast BUILD=build/afl build/afl/libpgt.a \
 *        build/afl/libpgtcli.a build/afl/tests/fuzz/fuzz_walk.o
 *   afl-clang-fast -fsanitize=fuzzer -o build/afl/fuzz_walk \
 *        build/afl/tests/fuzz/fuzz_walk.o build/afl/libpgtcli.a \
 *        build/afl/libpgt.a -lyaml -lelf -lreadline -lz -llzo2 -lsnappy -lzstd
 *   afl-fuzz -i tests/fuzz/corpus/walk -o build/afl/out -- build/afl/fuzz_walk
 *
 * A header of static functions, like tests/unit/harness.h, so that each
 * target stays one file.
 */
#ifndef PGT_FUZZ_H
#define PGT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A property of the code under test failed: abort, so that the fuzzer
 * keeps the input and the replay fails, whatever sanitizers are on. The
 * message goes to fd 2 itself: a target may point stderr elsewhere.
 */
#define FUZZ_CHECK(cond, ...)                                                                \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			dprintf(STDERR_FILENO, "fuzz: %s:%d: %s: ", __FILE__, __LINE__,      \
				#cond);                                                      \
			dprintf(STDERR_FILENO, __VA_ARGS__);                                 \
			dprintf(STDERR_FILENO, "\n");                                        \
			abort();                                                             \
		}                                                                            \
	} while (0)

/*
 * The input as a file, for the readers that take a path: one memfd for
 * the life of the process, rewritten for each input, named through
 * /proc/self/fd. Nothing touches the disk and no file is left behind.
 */
static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[32];
	if (fd < 0) {
		fd = memfd_create("pgt-fuzz", MFD_CLOEXEC);
		if (fd < 0) {
			perror("fuzz: memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
		perror("fuzz: writing the input");
		abort();
	}
	return path;
}

/*
 * Read what a memory says it holds, as a walk would: ranges sorted and
 * apart, and from each, its first and last bytes and a piece of its middle
 * (a dump's ranges may span terabytes: never all of it). Returns how many
 * reads of bytes inside a range failed; a direct pointer must show what a
 * read copies.
 */
static inline unsigned fuzz_read_ranges(struct pgt_mem *mem)
{
	enum { MAX_RANGES = 64, PIECE = 4096 };
	struct pgt_mem_range r[MAX_RANGES];
	static uint8_t buf[PIECE];
	unsigned failed = 0;
	size_t n = pgt_mem_ranges(mem, r, MAX_RANGES);
	if (n > MAX_RANGES)
		n = MAX_RANGES;
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(r[i].len && r[i].pa + (r[i].len - 1) >= r[i].pa,
			   "range 0x%llx+0x%llx is empty or wraps", (unsigned long long)r[i].pa,
			   (unsigned long long)r[i].len);
		FUZZ_CHECK(!i || r[i].pa - r[i - 1].pa >= r[i - 1].len,
			   "ranges at 0x%llx and 0x%llx overlap or are out of order",
			   (unsigned long long)r[i - 1].pa, (unsigned long long)r[i].pa);
		uint64_t len = r[i].len < PIECE ? r[i].len : PIECE;
		pgt_addr at[3] = {r[i].pa, r[i].pa + r[i].len / 2 - len / 2, r[i].pa + r[i].len - len};
		for (unsigned k = 0; k < 3; k++) {
			if (pgt_mem_read(mem, at[k], buf, len)) {
				failed++;
				continue;
			}
			const void *p = pgt_mem_ptr(mem, at[k], len);
			FUZZ_CHECK(!p || !memcmp(p, buf, len), "ptr and read disagree at 0x%llx",
				   (unsigned long long)at[k]);
		}
	}
	return failed;
}

/* The input as a NUL-terminated string (the parsers take C strings);
 * free() it. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

#endif

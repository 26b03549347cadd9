/* SPDX-License-Identifier: MIT */
/*
 * What every fuzz target shares. Each fuzz_<name>.c is one libFuzzer entry
 * point (LLVMFuzzerTestOneInput); the same file links with libFuzzer,
 * with AFL++'s driver (afl-clang-fast -fsanitize=fuzzer), or with
 * replay.c, which feeds it the corpus and regression files in make test.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A property of the code under test failed: abort, so that the fuzzer
 * keeps the input and the replay fails, whatever sanitizers are on.
 */
#define FUZZ_CHECK(cond, ...)                                                                \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond);     \
			fprintf(stderr, __VA_ARGS__);                                        \
			fputc('\n', stderr);                                                 \
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

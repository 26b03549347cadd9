// SPDX-License-Identifier: MIT
/*
 * A fuzz target without libFuzzer: run it once on each FILE given, so that
 * make test (and its ASan build) replays the seed corpus and every input
 * that once crashed. A crash, a sanitizer report or a failed FUZZ_CHECK
 * ends the run with the file's name already printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

/* Seconds one input may take: generous for an ASan build, where every
 * input of the corpus takes milliseconds. */
#define REPLAY_TIMEOUT 30

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			uint8_t *b = realloc(buf, cap);
			if (!b)
				abort();
			buf = b;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(buf);
		return -1;
	}
	/* to fd 2 itself: a target may point stderr elsewhere */
	dprintf(STDERR_FILENO, "replay: %s\n", path);
	/* a hang fails too, as libFuzzer's -timeout makes it (SIGALRM) */
	alarm(REPLAY_TIMEOUT);
	/* an exact-size copy, so that ASan sees a read past the input */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (replay(argv[i]))
			status = 1;
	return status;
}

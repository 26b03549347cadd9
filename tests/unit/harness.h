/* SPDX-License-Identifier: MIT */
/* A small TAP producer for the C tests: `prove` runs them. */
#ifndef PGT_TEST_HARNESS_H
#define PGT_TEST_HARNESS_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned t_run, t_failed;

static inline void t_result(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void t_result(int ok, const char *fmt, ...)
{
	va_list ap;
	t_run++;
	if (!ok)
		t_failed++;
	printf("%sok %u - ", ok ? "" : "not ", t_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define OK(cond, ...) t_result(!!(cond), __VA_ARGS__)

/* Equality of two 64-bit values, showing both when they differ. */
#define EQ(got, want, ...)                                                                   \
	do {                                                                                 \
		uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);                        \
		t_result(g_ == w_, __VA_ARGS__);                                             \
		if (g_ != w_)                                                                \
			printf("#   got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", g_, w_);           \
	} while (0)

static inline int t_done(void)
{
	printf("1..%u\n", t_run);
	if (t_failed)
		printf("# %u of %u failed\n", t_failed, t_run);
	return t_failed ? 1 : 0;
}

#endif

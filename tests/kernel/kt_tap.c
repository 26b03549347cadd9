// SPDX-License-Identifier: MIT
/*
 * TAP output, and the two ways a test gathers failures into points: check
 * categories (a configuration's comparisons) and expectations (a
 * self-check's).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kt_int.h"

static unsigned tap_planned, tap_n, tap_fail;

void kt_plan(unsigned n)
{
	tap_planned = n;
	printf("1..%u\n", n);
	fflush(stdout);
}

void kt_tap(bool ok, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	if (!ok)
		tap_fail++;
	printf("%sok %u - ", ok ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void kt_diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int kt_finish(void)
{
	kt_diag("%u of %u failed", tap_fail, tap_n);
	/* a plan that is off is the test's own bug; prove says so too, this
	 * makes it fail when run alone */
	if (tap_n != tap_planned)
		kt_diag("planned %u points, ran %u", tap_planned, tap_n);
	return tap_fail || tap_n != tap_planned ? 1 : 0;
}

void kt_check_fail(struct kt_check *c, const char *label, const char *fmt, ...)
{
	va_list ap;
	if (c->fails++ >= KT_MAX_DIAG)
		return;
	printf("# %s: %s: ", label, c->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void kt_expect(struct kt_expect *e, bool cond, const char *fmt, ...)
{
	va_list ap;
	e->n++;
	if (cond)
		return;
	char msg[400];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!e->fails++)
		snprintf(e->first, sizeof(e->first), "%s", msg);
	printf("#   expectation failed: %s\n", msg);
}

void kt_expect_tap(const struct kt_expect *e, const char *what)
{
	if (e->fails)
		kt_tap(false, "%s: %u of %u expectations fail; first: %s", what, e->fails, e->n,
		       e->first);
	else
		kt_tap(true, "%s (%u expectations)", what, e->n);
}

bool kt_expect_oracle(struct kt_expect *e, const struct oracle *o, const char *what)
{
	if (o)
		return true;
	kt_expect(e, false, "the kernel's alloc failed");
	kt_expect_tap(e, what);
	return false;
}

void kt_append(char *msg, size_t len, const char *fmt, ...)
{
	size_t u = strlen(msg);
	if (u + 1 >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + u, len - u, fmt, ap);
	va_end(ap);
}

// SPDX-License-Identifier: MIT
/*
 * The test program around the comparisons: TAP output and its check
 * categories, the options and the watchdog, the seeded randomness.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kt_int.h"

bool kt_verbose;

/* --- TAP ----------------------------------------------------------------- */

static unsigned tap_n, tap_fail;

void kt_plan(unsigned n)
{
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
	return tap_fail ? 1 : 0;
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

/* What the test is doing, for the watchdog's message. */
static char last_op[320] = "starting";

void kt_set_last_op(const char *label, const char *side, const char *op)
{
	snprintf(last_op, sizeof(last_op), "%s: %s %s", label, side, op);
}

static void watchdog(int sig)
{
	(void)sig;
	static const char a[] = "Bail out! the test timed out (a hang?) in: ";
	ssize_t w = write(STDOUT_FILENO, a, sizeof(a) - 1);
	w += write(STDOUT_FILENO, last_op, strlen(last_op));
	w += write(STDOUT_FILENO, "\n", 1);
	(void)w;
	_exit(3);
}

bool kt_options(int argc, char **argv, struct kt_opts *o)
{
	int opt;
	unsigned timeout = 1800;
	const char *env = getenv("KT_TIMEOUT");
	if (env)
		timeout = (unsigned)strtoul(env, NULL, 0);
	signal(SIGALRM, watchdog);
	alarm(timeout);
	while ((opt = getopt(argc, argv, "vqs:n:")) != -1) {
		switch (opt) {
		case 'v':
			kt_verbose = true;
			oracle_verbose(true); /* the kernel's WARNs and printks on stderr */
			break;
		case 'q':
			o->quick = true;
			o->nops = 400;
			break;
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			o->nops = (unsigned)strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-v] [-q] [-s SEED] [-n OPS]\n", argv[0]);
			return false;
		}
	}
	return true;
}

/* --- randomness --------------------------------------------------------- */

static uint64_t rng;

void kt_seed(uint64_t seed)
{
	rng = seed;
}

uint64_t kt_rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t kt_rnd_below(uint64_t n)
{
	return n ? kt_rnd() % n : kt_rnd();
}

bool kt_chance(unsigned percent)
{
	return kt_rnd_below(100) < percent;
}

/* --- libpgt ------------------------------------------------------------- */

bool kt_implemented(const char *name, char *why, size_t len)
{
	const struct pgt_format *pf = pgt_format_find(name);
	if (!pf) {
		snprintf(why, len, "pgt_format_find(\"%s\") finds no format", name);
		return false;
	}
	if (!pgt_format_available(pf)) {
		snprintf(why, len, "pgt_format_available() is false");
		return false;
	}
	struct pgt_cfg cfg;
	pgt_format_default_cfg(pf, &cfg);
	struct pgt_mem *arena = pgt_arena_new(0x10000000ull);
	struct pgt_table *t = NULL;
	struct pgt_error err = {0};
	int rc = arena ? pgt_table_create(pf, &cfg, arena, &t, &err) : -ENOMEM;
	if (t)
		pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	if (rc == -EOPNOTSUPP) {
		snprintf(why, len, "pgt_table_create: %s", err.msg);
		return false;
	}
	why[0] = 0;
	return true;
}

const char *kt_prot_str(unsigned prot, char buf[16])
{
	snprintf(buf, 16, "%s%s%s%s%s%s", prot & PGT_READ ? "r" : "", prot & PGT_WRITE ? "w" : "",
		 prot & PGT_CACHE ? "c" : "", prot & PGT_NOEXEC ? "x" : "",
		 prot & PGT_MMIO ? "m" : "", prot & PGT_PRIV ? "p" : "");
	return buf;
}

// SPDX-License-Identifier: MIT
/*
 * The test program around the comparisons (struct kt_suite): the options,
 * the watchdog, the seeded randomness, the configurations to run.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kt_int.h"

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

/* --- the watchdog ---------------------------------------------------------- */

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

/* --- options ----------------------------------------------------------------- */

struct opts {
	uint64_t seed;
	unsigned nops;
	bool quick;
};

static bool options(int argc, char **argv, struct opts *o)
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

/* --- is the format there at all ------------------------------------------------ */

/* pgt_format_available() for the oracle's kernel, and a table with the
 * format's default configuration under it can be created (not
 * -EOPNOTSUPP). */
static void tap_implemented(const char *name)
{
	const struct pgt_format *pf = pgt_format_find(name);
	if (!pf) {
		kt_tap(false,
		       "%s not implemented yet in libpgt (pgt_format_find(\"%s\") finds no "
		       "format)",
		       name, name);
		return;
	}
	if (!pgt_format_available(pf, kt_kernel())) {
		kt_tap(false,
		       "%s not implemented yet in libpgt for Linux %s (pgt_format_available() is "
		       "false)",
		       name, oracle_kernel());
		return;
	}
	struct pgt_cfg cfg;
	pgt_format_default_cfg(pf, kt_kernel(), &cfg);
	struct pgt_mem *arena = pgt_arena_new(0x10000000ull);
	struct pgt_table *t = NULL;
	struct pgt_error err = {0};
	int rc = arena ? pgt_table_create(pf, &cfg, arena, &t, &err) : -ENOMEM;
	if (t)
		pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	if (rc == -EOPNOTSUPP)
		kt_tap(false, "%s not implemented yet in libpgt (pgt_table_create: %s)", name,
		       err.msg);
	else
		kt_tap(true, "%s is implemented in libpgt for Linux %s", name, oracle_kernel());
}

/* --- the configurations ------------------------------------------------------------ */

static struct kt_run *runs;
static unsigned n_runs, cap_runs;

struct kt_run *kt_add_run(const struct kt_fmt *f, const struct kt_cfg *cfg, unsigned nops)
{
	if (n_runs == cap_runs) {
		cap_runs = cap_runs ? 2 * cap_runs : 64;
		runs = realloc(runs, cap_runs * sizeof(*runs));
		if (!runs)
			abort();
	}
	struct kt_run *r = &runs[n_runs++];
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->cfg = *cfg;
	r->nops = nops;
	r->wbase = KT_WINDOW_RANDOM;
	return r;
}

int kt_main(int argc, char **argv, const struct kt_suite *s)
{
	struct opts opt = {.seed = s->seed, .nops = 4000};
	if (!options(argc, argv, &opt))
		return 2;
	kt_seed(opt.seed);
	s->plan(opt.nops, opt.quick);
	kt_plan((unsigned)s->n_fmts + s->n_checks + n_runs * KT_POINTS_PER_RUN);
	kt_diag("Linux %s, seed 0x%" PRIx64 ", %u configurations", oracle_kernel(), opt.seed,
		n_runs);

	for (size_t i = 0; i < s->n_fmts; i++)
		tap_implemented(s->fmts[i].name);
	s->checks();
	for (unsigned i = 0; i < n_runs; i++) {
		/* each configuration its own stream: a change in one does not
		 * move what the others do */
		kt_seed(opt.seed ^ (0x9e3779b97f4a7c15ull * (i + 1)));
		kt_run_config(&runs[i]);
	}
	free(runs);
	return kt_finish();
}

/* SPDX-License-Identifier: MIT */
/*
 * What a walk met that is wrong, reported the same way by every read
 * command: in text a warning on standard error as it is met (check lists
 * them on standard output instead: they are its output), and in JSON
 * "problems": [...] and "problem_count": N in the command's object. Any
 * problem makes the command fail (exit status 1), as check does.
 */
#ifndef PGT_CLI_PROBLEMS_H
#define PGT_CLI_PROBLEMS_H

#include "pgt/pgt.h"

struct problem {
	enum pgt_stop kind;
	unsigned label;
	pgt_addr iova, desc_pa;
	uint64_t raw;
	char side; /* diff: 'a' or 'b'; else 0 */
	char *why;
};

struct problems {
	uint64_t count;
	struct problem *list; /* kept for JSON only */
	size_t n, cap;
};

/* One element of a "problems" list (check prints them as it goes). */
void problem_print(const struct problem *p);
/* Count p, warn about it in text, keep it for JSON; -ENOMEM or 0. */
int problems_add(struct problems *ps, const struct pgt_problem *p, char side);
/* A walk's problem callback over a struct problems. */
int problems_on_problem(void *ctx, const struct pgt_problem *p);
/* The "problems" list and "problem_count" (JSON only); frees the list. */
void problems_print(struct problems *ps);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Between the kt_*.c files: what one part of the shared machinery needs of
 * another, and no test file does.
 */
#ifndef KT_INT_H
#define KT_INT_H

#include "kt_common.h"

/* Failures a check prints before it only counts them. */
#define KT_MAX_DIAG 6

/* kt_harness.c: what the watchdog names when it fires. */
void kt_set_last_op(const char *label, const char *side, const char *op);

/* kt_events.c */
extern const struct pgt_events kt_pgt_events; /* cookie: the struct kt_pair */
void kt_clear_logs(struct kt_pair *p);
void kt_compare_logs(struct kt_pair *p, const char *op);

/* kt_pair.c: after a call, the registers that follow operations (AMD). */
void kt_after_call(struct kt_pair *p, const char *op);

/* kt_structure.c */
void kt_check_rawfile(struct kt_pair *p);

#endif

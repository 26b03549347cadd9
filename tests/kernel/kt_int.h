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

/* kt_main.c: what the watchdog names when it fires. */
void kt_set_last_op(const char *label, const char *side, const char *op);

/* kt_events.c */
extern const struct pgt_events kt_pgt_events; /* cookie: the struct kt_pair */
void kt_clear_logs(struct kt_pair *p);
void kt_compare_logs(struct kt_pair *p, const char *op);
/* "N kernel events: n1 flush_walk, n2 add_page" */
void kt_ev_counts(const struct kt_pair *p, char *buf, size_t len);

/* kt_pair.c */
/* Both sides' alloc of the run's cfg, each as it went: *krc, *prc, and err
 * why libpgt refused; p->k and p->t NULL where refused. */
void kt_pair_alloc(struct kt_pair *p, const struct kt_run *rc, int *krc, int *prc,
		   struct pgt_error *err);
/* Both narrowed the cfg alike; else false and msg. */
bool kt_pair_narrowed_alike(struct kt_pair *p, char *msg, size_t len);
/* Both tables, libpgt attached to the kernel's memory, the IOVAs to use;
 * 0, or -1 with msg saying why. */
int kt_pair_open(struct kt_pair *p, const struct kt_run *rc, char *msg, size_t len);
void kt_pair_close(struct kt_pair *p);
/* libpgt attached to the kernel's table as it is now (roots, AMD mode),
 * with its memory seen through mem. */
int kt_attach(struct kt_pair *p, struct pgt_mem *mem, struct pgt_table **t, struct pgt_error *err);
/* After a call, the registers that follow operations (AMD). */
void kt_after_call(struct kt_pair *p, const char *op);

/* kt_walk.c */
struct kt_entv {
	struct kt_ent *v;
	size_t n, cap;
};
void kt_entv_add(struct kt_entv *e, struct kt_ent x);
/* What the own walker (or pgt_walk_range) found in one table. */
struct kt_walk {
	struct kt_entv ents;
	unsigned long tables;	  /* tables met, roots included */
	unsigned long unreadable; /* of those, outside the memory */
};
void kt_walk_kernel(const struct kt_pair *p, struct kt_walk *out);
void kt_walk_libpgt(const struct kt_pair *p, struct kt_walk *out);
void kt_free_walk(struct kt_walk *w);
/* libpgt's AMD mode: its "mode" register, else its number of levels. */
unsigned kt_libpgt_mode(const struct pgt_table *t);

/* kt_regs.c: libpgt's geometry against the format's kt_geom; mismatches
 * appended to msg. */
bool kt_geometry_match(struct kt_pair *p, char *msg, size_t len);

/* kt_ops.c: iova_to_phys of both, and pgt_translate on the kernel's memory. */
void kt_sample_phys(struct kt_pair *p, uint64_t iova);
/* The kernel's iova_to_phys(iova), or where the format says the kernel's
 * answer is undefined there (kernel_phys_undefined), the translation of the
 * kernel's own entry as the test's walker reads it: a corrected
 * expectation, counted. */
uint64_t kt_kernel_phys(struct kt_pair *p, uint64_t iova);

/* kt_structure.c */
void kt_check_rawfile(struct kt_pair *p);

/* kt_random.c */
void kt_random_ops(struct kt_pair *p, unsigned nops);

/* kt_run.c */
void kt_run_config(const struct kt_run *rc);

#endif

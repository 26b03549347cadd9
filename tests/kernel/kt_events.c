// SPDX-License-Identifier: MIT
/*
 * The events of both sides, compared call by call: libpgt's pgt_events
 * callbacks and the oracle's log of io-pgtable's TLB callbacks and AMD's
 * driver calls.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_int.h"

const char *kt_ev_name(enum kt_ev_kind k)
{
	switch (k) {
	case KT_FLUSH_ALL:
		return "flush_all";
	case KT_FLUSH_WALK:
		return "flush_walk";
	case KT_ADD_PAGE:
		return "add_page";
	case KT_AMD_FLUSH_PAGES:
		return KT_DRIVER_FLUSH_PAGES;
	case KT_AMD_UPDATE_DTE:
		return KT_DRIVER_UPDATE_DTE;
	case KT_DRIVER_OTHER:
		return "driver";
	case KT_N_EV_KINDS:
		break;
	}
	return "?";
}

static void evv_add(struct kt_evv *l, struct kt_ev e)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = e;
}

static void ev_flush_all(void *cookie)
{
	struct kt_pair *p = cookie;
	evv_add(&p->plog, (struct kt_ev){.kind = KT_FLUSH_ALL});
}

static void ev_flush_walk(pgt_addr iova, uint64_t size, uint64_t granule, void *cookie)
{
	struct kt_pair *p = cookie;
	evv_add(&p->plog,
		(struct kt_ev){
			.kind = KT_FLUSH_WALK, .iova = iova, .size = size, .granule = granule});
}

static void ev_add_page(pgt_addr iova, uint64_t granule, void *cookie)
{
	struct kt_pair *p = cookie;
	evv_add(&p->plog, (struct kt_ev){.kind = KT_ADD_PAGE, .iova = iova, .granule = granule});
}

static void ev_driver(const char *what, pgt_addr iova, uint64_t size, void *cookie)
{
	struct kt_pair *p = cookie;
	struct kt_ev e = {.kind = KT_DRIVER_OTHER, .iova = iova, .size = size};
	if (what && !strcmp(what, KT_DRIVER_FLUSH_PAGES)) {
		e.kind = KT_AMD_FLUSH_PAGES;
	} else if (what && !strcmp(what, KT_DRIVER_UPDATE_DTE)) {
		e.kind = KT_AMD_UPDATE_DTE;
		e.iova = e.size = 0; /* not compared */
	}
	snprintf(e.what, sizeof(e.what), "%s", what ? what : "(null)");
	evv_add(&p->plog, e);
}

const struct pgt_events kt_pgt_events = {
	.flush_all = ev_flush_all,
	.flush_walk = ev_flush_walk,
	.add_page = ev_add_page,
	.driver = ev_driver,
};

static enum kt_ev_kind kernel_ev_kind(enum oracle_tlb_kind k)
{
	switch (k) {
	case ORACLE_TLB_FLUSH_ALL:
		return KT_FLUSH_ALL;
	case ORACLE_TLB_FLUSH_WALK:
		return KT_FLUSH_WALK;
	case ORACLE_TLB_ADD_PAGE:
		return KT_ADD_PAGE;
	case ORACLE_AMD_FLUSH_PAGES:
		return KT_AMD_FLUSH_PAGES;
	case ORACLE_AMD_UPDATE_DTE:
		return KT_AMD_UPDATE_DTE;
	}
	return KT_DRIVER_OTHER;
}

/* What libpgt's events say of the same call: add_page has no size, the
 * device-table update no range. */
static struct kt_ev kernel_ev(const struct oracle_tlb *t)
{
	struct kt_ev e = {.kind = kernel_ev_kind(t->kind),
			  .iova = t->iova,
			  .size = t->size,
			  .granule = t->granule};
	if (e.kind == KT_ADD_PAGE)
		e.size = 0;
	if (e.kind == KT_AMD_UPDATE_DTE)
		e.iova = e.size = 0;
	return e;
}

static bool ev_eq(const struct kt_ev *a, const struct kt_ev *b)
{
	return a->kind == b->kind && a->iova == b->iova && a->size == b->size &&
	       a->granule == b->granule;
}

static void ev_str(const struct kt_ev *e, char *buf, size_t len)
{
	switch (e->kind) {
	case KT_FLUSH_ALL:
	case KT_AMD_UPDATE_DTE:
		snprintf(buf, len, "%s()", kt_ev_name(e->kind));
		break;
	case KT_ADD_PAGE:
		snprintf(buf, len, "add_page(0x%" PRIx64 ", 0x%" PRIx64 ")", e->iova, e->granule);
		break;
	case KT_FLUSH_WALK:
		snprintf(buf, len, "flush_walk(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ")",
			 e->iova, e->size, e->granule);
		break;
	case KT_AMD_FLUSH_PAGES:
	case KT_DRIVER_OTHER:
		snprintf(buf, len, "%s(0x%" PRIx64 ", 0x%" PRIx64 ")",
			 e->kind == KT_DRIVER_OTHER ? e->what : kt_ev_name(e->kind), e->iova,
			 e->size);
		break;
	case KT_N_EV_KINDS:
		break;
	}
}

void kt_clear_logs(struct kt_pair *p)
{
	oracle_tlb_clear(p->k);
	p->plog.n = 0;
}

void kt_compare_logs(struct kt_pair *p, const char *op)
{
	const struct oracle_tlb *kl;
	size_t kn = oracle_tlb_log(p->k, &kl);
	p->c_ev.n++;
	for (size_t i = 0; i < kn; i++)
		p->n_events[kernel_ev_kind(kl[i].kind)]++;
	size_t n = kn < p->plog.n ? kn : p->plog.n;
	char a[128], b[128];
	for (size_t i = 0; i < n; i++) {
		struct kt_ev ke = kernel_ev(&kl[i]);
		if (!ev_eq(&ke, &p->plog.v[i])) {
			ev_str(&ke, a, sizeof(a));
			ev_str(&p->plog.v[i], b, sizeof(b));
			kt_check_fail(&p->c_ev, p->label,
				      "%s: event %zu of %zu: kernel %s, libpgt %s", op, i, kn, a,
				      b);
			return;
		}
	}
	if (kn != p->plog.n) {
		struct kt_ev x = kn > p->plog.n ? kernel_ev(&kl[n]) : p->plog.v[n];
		ev_str(&x, a, sizeof(a));
		kt_check_fail(&p->c_ev, p->label,
			      "%s: kernel made %zu calls, libpgt %zu; first extra: %s %s", op, kn,
			      p->plog.n, kn > p->plog.n ? "kernel" : "libpgt", a);
	}
}

void kt_ev_counts(const struct kt_pair *p, char *buf, size_t len)
{
	unsigned long all = 0;
	for (int k = 0; k < KT_N_EV_KINDS; k++)
		all += p->n_events[k];
	snprintf(buf, len, "%lu kernel events", all);
	const char *sep = ": ";
	for (int k = 0; k < KT_N_EV_KINDS; k++)
		if (p->n_events[k]) {
			kt_append(buf, len, "%s%lu %s", sep, p->n_events[k],
				  kt_ev_name((enum kt_ev_kind)k));
			sep = ", ";
		}
}

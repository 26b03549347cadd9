// SPDX-License-Identifier: MIT
/*
 * A pair of tables, the kernel's and libpgt's, opened with the same
 * configuration; and libpgt attached to the kernel's memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_int.h"
#include "../tools/open.h"

/* --- the kernel's memory as a pgt_mem --------------------------------------- */

static const uint8_t *kernel_mem(void *k, uint64_t *base, uint64_t *len)
{
	return oracle_mem(k, base, len);
}

const uint8_t *kt_kernel_ptr(const struct kt_pair *p, uint64_t pa, uint64_t len)
{
	return kt_kview_ptr(&p->kv, pa, len);
}

/* --- libpgt attached to the kernel's table ----------------------------------- */

int kt_attach(struct kt_pair *p, struct pgt_mem *mem, struct pgt_table **t, struct pgt_error *err)
{
	uint64_t roots[4];
	unsigned n = oracle_roots(p->k, roots), mode = oracle_amd_mode(p->k);
	struct pgt_cfg cfg = p->pcfg;
	int opt = pgt_format_option_find(p->pf, "mode");
	if (mode && opt >= 0)
		cfg.opt[opt] = mode;
	return pgt_table_attach(p->pf, &cfg, mem, roots, n, t, err);
}

/* p->kt: the roots and (AMD) the mode change as the table grows, and
 * libpgt attaches anew when they do. */
static int attach_kernel(struct kt_pair *p, char *msg, size_t len)
{
	uint64_t roots[4];
	unsigned n = oracle_roots(p->k, roots), mode = oracle_amd_mode(p->k);
	if (p->kt && n == p->kt_n_roots && mode == p->kt_mode &&
	    !memcmp(roots, p->kt_roots, n * sizeof(roots[0])))
		return 0;
	if (p->kt)
		pgt_table_destroy(p->kt);
	p->kt = NULL;
	struct pgt_error err = {0};
	if (kt_attach(p, &p->kv.mem, &p->kt, &err)) {
		snprintf(msg, len, "pgt_table_attach to the kernel's root 0x%" PRIx64 "%s: %.300s",
			 roots[0], mode ? " (AMD mode follows)" : "", err.msg);
		p->kt = NULL;
		return -1;
	}
	memcpy(p->kt_roots, roots, sizeof(roots));
	p->kt_n_roots = n;
	p->kt_mode = mode;
	return 0;
}

void kt_after_call(struct kt_pair *p, const char *op)
{
	char msg[512];
	if (!p->f->regs_follow_ops)
		return;
	p->c_regs.n++;
	if (!p->f->compare_regs(p, msg, sizeof(msg)))
		kt_check_fail(&p->c_regs, p->label, "after %s:%s", op, msg);
	if (attach_kernel(p, msg, sizeof(msg)))
		kt_check_fail(&p->c_attach, p->label, "after %s: %s", op, msg);
}

/* --- opening a pair ------------------------------------------------------------ */

void kt_pair_alloc(struct kt_pair *p, const struct kt_run *rc, int *krc, int *prc,
		   struct pgt_error *err)
{
	memset(p, 0, sizeof(*p));
	p->rc = rc;
	p->f = rc->f;
	p->label = rc->label;
	struct oracle_cfg kin;
	kt_oracle_cfg(&rc->cfg, &kin);
	*krc = oracle_create(rc->f->kf, &kin, rc->kbase, rc->klen, &p->k, &p->kcfg);
	if (*krc)
		p->k = NULL;
	p->pf = pgt_format_find(rc->f->name);
	kt_pgt_cfg(p->pf, &rc->cfg, &p->pcfg);
	p->arena = t_arena(rc->arena);
	*prc = p->pf && p->arena ? pgt_table_create(p->pf, &p->pcfg, p->arena, &p->t, err)
				 : -ENOENT;
	if (*prc)
		p->t = NULL;
}

bool kt_pair_narrowed_alike(struct kt_pair *p, char *msg, size_t len)
{
	const struct pgt_cfg *nc = pgt_table_cfg(p->t);
	if (nc->pgsize_bitmap == p->kcfg.pgsize_bitmap && nc->ias == p->kcfg.ias &&
	    nc->oas == p->kcfg.oas)
		return true;
	snprintf(msg, len,
		 "narrowed to pgsize_bitmap 0x%" PRIx64 " ias %u oas %u by the kernel, 0x%" PRIx64
		 " ias %u oas %u by libpgt",
		 p->kcfg.pgsize_bitmap, p->kcfg.ias, p->kcfg.oas, nc->pgsize_bitmap, nc->ias,
		 nc->oas);
	return false;
}

int kt_pair_open(struct kt_pair *p, const struct kt_run *rc, char *msg, size_t len)
{
	int krc, prc;
	struct pgt_error err = {0};
	msg[0] = 0;
	kt_pair_alloc(p, rc, &krc, &prc, &err);
	p->c_ops.name = "return values";
	p->c_ev.name = "events";
	p->c_desc.name = "descriptors";
	p->c_phys.name = "iova_to_phys";
	p->c_attach.name = "libpgt on the kernel's memory";
	p->c_warn.name = "WARN vs libpgt error";
	p->c_regs.name = "registers after an operation";
	if (krc || prc) {
		snprintf(msg, len, "kernel alloc %s, libpgt create %s (%.300s)",
			 krc ? "refused" : "accepted", prc ? "refused" : "accepted",
			 prc ? err.msg : "-");
		return -1;
	}
	pgt_table_set_events(p->t, &kt_pgt_events, p);
	if (!kt_pair_narrowed_alike(p, msg, len))
		return -1;

	kt_kview_init(&p->kv, "kernel simulated memory", kernel_mem, p->k);
	if (attach_kernel(p, msg, len))
		return -1;

	uint64_t bm = p->kcfg.pgsize_bitmap;
	for (unsigned b = 0; b < 64; b++)
		if (bm & (1ull << b))
			p->sizes[p->n_sizes++] = 1ull << b;
	if (!p->n_sizes) {
		snprintf(msg, len, "no page sizes");
		return -1;
	}
	p->granule = p->sizes[0];
	p->top = rc->top ? rc->top : p->sizes[p->n_sizes - 1];
	p->space = rc->space ? rc->space : (p->kcfg.ias >= 64 ? UINT64_MAX : 1ull << p->kcfg.ias);
	p->pa_limit = rc->pa_limit ? rc->pa_limit : 1ull << p->kcfg.oas;
	p->iova_high = rc->iova_high;
	/* a leaf table's entries, for 8-byte descriptors */
	p->batch = rc->batch ? rc->batch : (unsigned)(p->granule / 8);
	p->wsize = 4 * p->top < p->space ? 4 * p->top : p->space;
	/* a random window is aligned to its size, so that every page size up
	 * to it fits at its offsets; or to top only (window_on_top) */
	uint64_t align = rc->window_on_top ? p->top : p->wsize;
	p->wbase = rc->wbase != KT_WINDOW_RANDOM
			   ? rc->wbase
			   : kt_rnd_below((p->space - p->wsize) / align + 1) * align;
	return 0;
}

void kt_pair_close(struct kt_pair *p)
{
	if (p->kt)
		pgt_table_destroy(p->kt);
	if (p->t)
		pgt_table_destroy(p->t);
	if (p->arena)
		pgt_mem_destroy(p->arena);
	if (p->k)
		oracle_destroy(p->k);
	free(p->plog.v);
	p->k = NULL;
	p->t = p->kt = NULL;
	p->arena = NULL;
}

uint64_t kt_W(const struct kt_pair *p, uint64_t off)
{
	return p->iova_high | (p->wbase + off);
}

bool kt_has(const struct kt_pair *p, uint64_t size)
{
	return p->kcfg.pgsize_bitmap & size;
}

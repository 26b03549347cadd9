// SPDX-License-Identifier: MIT
/*
 * One configuration from open to teardown, and the allocation grid.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_int.h"

/* --- one configuration ------------------------------------------------------- */

void kt_run_config(const struct kt_run *rc)
{
	struct kt_pair p;
	char msg[600];
	int rc_open = kt_pair_open(&p, rc, msg, sizeof(msg));
	kt_tap(!rc_open, "%s: both accept the configuration, narrowed alike%s%s", rc->label,
	       msg[0] ? ": " : "", msg);
	if (rc_open) {
		for (int i = 1; i < KT_POINTS_PER_RUN; i++)
			kt_tap(false, "%s: not run", rc->label);
		kt_pair_close(&p);
		return;
	}
	char gmsg[400];
	bool ok = rc->f->compare_regs(&p, msg, sizeof(msg));
	bool gok = rc->f->check_geometry(&p, gmsg, sizeof(gmsg));
	kt_tap(ok && gok, "%s: registers and geometry%s%s", rc->label, msg, gmsg);

	unsigned long ops0 = p.c_ops.fails, ev0 = p.c_ev.fails, desc0 = p.c_desc.fails,
		      n0 = p.c_ops.n;
	if (rc->f->directed)
		rc->f->directed(&p);
	kt_compare_structure(&p, "after the directed sequence");
	kt_tap(p.c_ops.fails == ops0 && p.c_ev.fails == ev0 && p.c_desc.fails == desc0,
	       "%s: directed sequence (%lu calls): results, events, descriptors", rc->label,
	       p.c_ops.n - n0);

	kt_random_ops(&p, rc->nops);
	kt_compare_structure(&p, "at the end");
	kt_check_rawfile(&p);

	kt_tap(!p.c_ops.fails, "%s: %u random ops: %lu map_pages and %lu unmap_pages calls agree",
	       rc->label, rc->nops, p.n_map_calls, p.n_unmap_calls);
	kt_tap(!p.c_ev.fails && !p.c_regs.fails, "%s: events agree (%lu kernel events)%s",
	       rc->label, p.n_events, rc->f->regs_follow_ops ? ", registers follow alike" : "");
	kt_tap(!p.c_desc.fails, "%s: leaf and table descriptors agree (%lu comparisons)", rc->label,
	       p.c_desc.n);
	kt_tap(!p.c_phys.fails, "%s: iova_to_phys agrees at %lu sampled IOVAs", rc->label,
	       p.n_samples);
	kt_tap(!p.c_attach.fails && !p.c_warn.fails,
	       "%s: libpgt attached to the kernel's memory translates and walks alike%s", rc->label,
	       rc->f->warns_are_errors ? "; WARNs match libpgt errors" : "");
	kt_diag("%s: %lu EEXIST, %lu unmaps of nothing, %lu maps cut short, %lu unmaps that "
		"allocated (splits); kernel results corrected: %lu split tables, %lu unmaps "
		"continued",
		rc->label, p.n_eexist, p.n_holes, p.n_partial, p.n_splits, p.n_corrections,
		p.n_continued);

	/* free_io_pgtable_ops frees every table reachable (kt_compare_structure
	 * above counted the ones the kernel lost) */
	struct oracle *k = p.k;
	p.k = NULL;
	struct oracle_stats st;
	oracle_stats(k, &st);
	unsigned long allocs = st.allocs + st.slab_allocs;
	long live = oracle_destroy(k);
	kt_tap(live == p.kernel_orphans,
	       "%s: kernel teardown frees all %lu tables it allocated (%ld left%s)", rc->label,
	       allocs, live, p.kernel_orphans ? ", lost by the kernel before" : "");
	kt_pair_close(&p);
}

/* --- the allocation grid -------------------------------------------------------- */

struct grid_count {
	unsigned long combos, accepted, fails;
	struct kt_check c;
};

static void grid_one(const struct kt_grid *g, const struct pgt_format *pf, uint64_t bitmap,
		     unsigned ias, unsigned oas, uint64_t quirks, unsigned mode, bool coh,
		     struct grid_count *n)
{
	struct kt_run run = {0};
	run.f = g->f;
	run.kin.quirks = quirks;
	run.kin.pgsize_bitmap = bitmap;
	run.kin.ias = ias;
	run.kin.oas = oas;
	run.kin.coherent_walk = coh;
	run.kin.amd.mode = mode;
	pgt_cfg_init(&run.pin);
	run.pin.quirks = quirks;
	run.pin.pgsize_bitmap = bitmap;
	run.pin.ias = ias;
	run.pin.oas = oas;
	run.pin.coherent_walk = coh;
	run.pin.cpu_page_size = 4096;
	if (g->modes)
		run.pin.amd_mode = mode;
	char cfgs[200];
	snprintf(cfgs, sizeof(cfgs),
		 "pgsize_bitmap 0x%" PRIx64 " ias %u oas %u quirks 0x%" PRIx64 "%s", bitmap, ias,
		 oas, quirks, coh ? "" : " non-coherent");
	if (g->modes)
		snprintf(cfgs + strlen(cfgs), sizeof(cfgs) - strlen(cfgs), " amd_mode %u", mode);
	n->combos++;

	struct kt_pair p;
	memset(&p, 0, sizeof(p));
	p.f = g->f;
	p.rc = &run;
	p.label = g->label;
	p.pf = pf;
	p.pcfg = run.pin;
	struct pgt_error err = {0};
	int krc = oracle_create(g->f->kf, &run.kin, g->kbase, 1ull << 24, &p.k, &p.kcfg);
	p.arena = pgt_arena_new(g->arena);
	int prc = pgt_table_create(pf, &run.pin, p.arena, &p.t, &err);
	char msg[600] = "", gmsg[400] = "";
	if (krc == -ENOMEM) {
		n->fails++;
		kt_check_fail(&n->c, g->label, "%s: no memory", cfgs);
	} else if (!krc != !prc) {
		n->fails++;
		kt_check_fail(&n->c, g->label, "%s: kernel %s, libpgt %s%s%s", cfgs,
			      krc ? "refuses" : "accepts", prc ? "refuses" : "accepts",
			      prc ? ": " : "", prc ? err.msg : "");
	} else if (!krc) {
		n->accepted++;
		const struct pgt_cfg *nc = pgt_table_cfg(p.t);
		bool rok, gok;
		if (nc->pgsize_bitmap != p.kcfg.pgsize_bitmap || nc->ias != p.kcfg.ias ||
		    nc->oas != p.kcfg.oas) {
			n->fails++;
			kt_check_fail(&n->c, g->label,
				      "%s: narrowed to 0x%" PRIx64
				      " ias %u oas %u by the kernel, 0x%" PRIx64
				      " ias %u oas %u by libpgt",
				      cfgs, p.kcfg.pgsize_bitmap, p.kcfg.ias, p.kcfg.oas,
				      nc->pgsize_bitmap, nc->ias, nc->oas);
		} else if (rok = g->f->compare_regs(&p, msg, sizeof(msg)),
			   gok = g->f->check_geometry(&p, gmsg, sizeof(gmsg)), !rok || !gok) {
			n->fails++;
			kt_check_fail(&n->c, g->label, "%s: registers/geometry:%s%s", cfgs, msg,
				      gmsg);
		}
	}
	if (p.k && oracle_destroy(p.k)) {
		n->fails++;
		kt_check_fail(&n->c, g->label, "%s: kernel leaked", cfgs);
	}
	if (p.t)
		pgt_table_destroy(p.t);
	pgt_mem_destroy(p.arena);
}

void kt_grid_run(const struct kt_grid *g)
{
	const struct pgt_format *pf = pgt_format_find(g->f->name);
	struct grid_count n = {0, 0, 0, {"allocation", 0, 0}};
	size_t n_modes = g->modes ? g->n_modes : 1;
	for (size_t b = 0; b < g->n_bitmaps; b++)
		for (size_t i = 0; i < g->n_iass; i++)
			for (size_t o = 0; o < g->n_oass; o++)
				for (size_t q = 0; q < g->n_quirks; q++)
					for (size_t m = 0; m < n_modes; m++)
						for (int coh = 0; coh < 2; coh++)
							grid_one(g, pf, g->bitmaps[b], g->iass[i],
								 g->oass[o], g->quirks[q],
								 g->modes ? g->modes[m] : 0, coh,
								 &n);
	kt_tap(!n.fails,
	       "%s: %lu configurations, %lu accepted: acceptance, narrowed cfg, registers and "
	       "geometry agree",
	       g->label, n.combos, n.accepted);
}

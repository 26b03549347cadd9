// SPDX-License-Identifier: MIT
/*
 * The allocation grid: every combination of the inputs given to both sides;
 * both accept or both refuse, and what both accept they narrow alike, with
 * the same registers and geometry.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "kt_int.h"

struct grid_count {
	unsigned long combos, accepted;
	struct kt_check c;
};

static void grid_one(const struct kt_grid *g, const struct kt_cfg *cfg, struct grid_count *n)
{
	struct kt_run run = {
		.f = g->f,
		.cfg = *cfg,
		.kbase = g->kbase,
		.klen = 1ull << 24,
		.arena = g->arena,
	};
	char cfgs[200];
	snprintf(cfgs, sizeof(cfgs),
		 "pgsize_bitmap 0x%" PRIx64 " ias %u oas %u quirks 0x%" PRIx64 "%s",
		 cfg->pgsize_bitmap, cfg->ias, cfg->oas, cfg->quirks,
		 cfg->coherent ? "" : " non-coherent");
	if (g->modes.n)
		kt_append(cfgs, sizeof(cfgs), " amd_mode %u", cfg->amd_mode);
	n->combos++;

	struct kt_pair p;
	struct pgt_error err = {0};
	int krc, prc;
	kt_pair_alloc(&p, &run, &krc, &prc, &err);
	char msg[600] = "";
	if (krc == -ENOMEM) {
		kt_check_fail(&n->c, g->label, "%s: no memory", cfgs);
	} else if (!krc != !prc) {
		kt_check_fail(&n->c, g->label, "%s: kernel %s, libpgt %s%s%s", cfgs,
			      krc ? "refuses" : "accepts", prc ? "refuses" : "accepts",
			      prc ? ": " : "", prc ? err.msg : "");
	} else if (!krc) {
		n->accepted++;
		if (!kt_pair_narrowed_alike(&p, msg, sizeof(msg))) {
			kt_check_fail(&n->c, g->label, "%s: %s", cfgs, msg);
		} else {
			bool rok = g->f->compare_regs(&p, msg, sizeof(msg));
			bool gok = kt_geometry_match(&p, msg, sizeof(msg));
			if (!rok || !gok)
				kt_check_fail(&n->c, g->label, "%s: registers/geometry:%s", cfgs,
					      msg);
		}
	}
	if (p.k && oracle_destroy(p.k))
		kt_check_fail(&n->c, g->label, "%s: kernel leaked", cfgs);
	p.k = NULL;
	kt_pair_close(&p);
}

void kt_grid_run(const struct kt_grid *g)
{
	struct grid_count n = {0, 0, {"allocation", 0, 0}};
	size_t n_modes = g->modes.n ? g->modes.n : 1;
	for (size_t b = 0; b < g->bitmaps.n; b++)
		for (size_t i = 0; i < g->iass.n; i++)
			for (size_t o = 0; o < g->oass.n; o++)
				for (size_t q = 0; q < g->quirks.n; q++)
					for (size_t m = 0; m < n_modes; m++)
						for (int coh = 0; coh < 2; coh++) {
							const struct kt_cfg c = {
								.quirks = g->quirks.v[q],
								.pgsize_bitmap = g->bitmaps.v[b],
								.ias = g->iass.v[i],
								.oas = g->oass.v[o],
								.coherent = coh,
								.amd_mode = g->modes.n
										    ? g->modes.v[m]
										    : 0,
							};
							grid_one(g, &c, &n);
						}
	kt_tap(!n.c.fails,
	       "%s: %lu configurations, %lu accepted: acceptance, narrowed cfg, registers and "
	       "geometry agree",
	       g->label, n.combos, n.accepted);
}

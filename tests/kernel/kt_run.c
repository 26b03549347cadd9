// SPDX-License-Identifier: MIT
/*
 * One configuration from open to teardown: the pair opened, the directed
 * and random sequences, KT_POINTS_PER_RUN points.
 */

#include "kt_int.h"

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
	msg[0] = 0;
	kt_tap(rc->f->compare_regs(&p, msg, sizeof(msg)), "%s: registers%s", rc->label, msg);
	msg[0] = 0;
	kt_tap(kt_geometry_match(&p, msg, sizeof(msg)), "%s: geometry matches the kernel's%s",
	       rc->label, msg);

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

	char evs[200];
	kt_ev_counts(&p, evs, sizeof(evs));
	kt_tap(!p.c_ops.fails, "%s: %u random ops: %lu map_pages and %lu unmap_pages calls agree",
	       rc->label, rc->nops, p.n_map_calls, p.n_unmap_calls);
	kt_tap(!p.c_ev.fails && !p.c_regs.fails, "%s: events agree (%s)%s", rc->label, evs,
	       rc->f->regs_follow_ops ? ", registers follow alike" : "");
	kt_tap(!p.c_desc.fails, "%s: leaf and table descriptors agree (%lu comparisons)", rc->label,
	       p.c_desc.n);
	kt_tap(!p.c_phys.fails, "%s: iova_to_phys agrees at %lu sampled IOVAs", rc->label,
	       p.n_samples);
	kt_tap(!p.c_attach.fails && !p.c_warn.fails,
	       "%s: libpgt attached to the kernel's memory translates and walks alike%s", rc->label,
	       rc->f->warns_are_errors ? "; WARNs match libpgt errors" : "");
	kt_diag("%s: %lu EEXIST (%lu after tearing down tables), %lu unmaps of nothing, %lu maps "
		"cut short, %lu unmaps that allocated (splits); kernel results corrected: %lu "
		"split tables, %lu unmaps continued, %lu undefined iova_to_phys",
		rc->label, p.n_eexist, p.n_eexist_teardown, p.n_holes, p.n_partial, p.n_splits,
		p.n_corrections, p.n_continued, p.n_phys_corrected);

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

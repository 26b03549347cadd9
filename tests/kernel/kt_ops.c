// SPDX-License-Identifier: MIT
/*
 * One map or unmap request on both tables as the iommu core makes it, and
 * iova_to_phys samples, compared.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "kt_int.h"

/* --- operations on both ---------------------------------------------------- */

/* iova_to_phys by the group-head rule (fetch_pte), on libpgt's own table
 * where the head is a table pointer at an address of libpgt's choosing. */
static uint64_t own_group_head_translation(struct pgt_table *t, uint64_t iova)
{
	struct pgt_walk w;
	if (!pgt_translate(t, iova, &w))
		return 0;
	const struct pgt_walk_step *s = &w.step[w.n_steps - 1];
	const struct pgt_geometry *g = pgt_table_geometry(t);
	uint64_t head_pa = s->table_pa + (s->index & ~(uint64_t)(s->e.count - 1)) * g->desc_bytes;
	const uint8_t *b = pgt_mem_ptr(pgt_table_mem(t), head_pa, g->desc_bytes);
	if (!b)
		return 0;
	struct pgt_entry head;
	pgt_table_decode(t, s->depth, pgt_table_desc_at(t, b, 0), &head);
	if (head.kind != PGT_TABLE && head.kind != PGT_LEAF)
		return 0;
	return (head.pa & ~(s->e.size - 1)) | (iova & (s->e.size - 1));
}

uint64_t kt_kernel_phys(struct kt_pair *p, uint64_t iova)
{
	if (!p->f->kernel_phys_undefined || !p->f->kernel_phys_undefined(p, iova))
		return oracle_iova_to_phys(p->k, iova);
	p->n_phys_corrected++;
	struct kt_walk k;
	uint64_t pa = 0;
	kt_walk_kernel(p, &k);
	for (size_t i = 0; i < k.ents.n; i++) {
		const struct kt_ent *e = &k.ents.v[i];
		if (e->kind == KT_LEAF && iova - e->iova < e->span)
			pa = e->pa + (iova - e->iova);
	}
	kt_free_walk(&k);
	return pa;
}

void kt_sample_phys(struct kt_pair *p, uint64_t iova)
{
	/* only inside the input range: the kernels do not all check it (the
	 * difference wraps for an IOVA below iova_high) */
	if (iova - p->iova_high >= p->space)
		return;
	uint64_t kpa = kt_kernel_phys(p, iova);
	uint64_t lpa = pgt_iova_to_phys(p->t, iova);
	p->n_samples++;
	p->c_phys.n++;
	uint64_t hw, want_lpa = kpa;
	bool head_is_table = false;
	bool differs =
		p->f->entry_translation && p->f->entry_translation(p, iova, &hw, &head_is_table);
	if (differs && head_is_table)
		want_lpa = own_group_head_translation(p->t, iova);
	if (want_lpa != lpa)
		kt_check_fail(
			&p->c_phys, p->label,
			"iova_to_phys(0x%" PRIx64 "): kernel 0x%" PRIx64 ", libpgt 0x%" PRIx64 "%s",
			iova, kpa, lpa,
			differs ? " (in a level-7 group no longer whole: the kernel reads the "
				  "group's first entry)"
				: "");
	if (!p->kt)
		return;
	/* on the kernel's own memory, iova_to_phys must agree to the bit */
	p->c_phys.n++;
	uint64_t kt_pa = pgt_iova_to_phys(p->kt, iova);
	if (kt_pa != kpa)
		kt_check_fail(&p->c_phys, p->label,
			      "iova_to_phys(0x%" PRIx64 ") on the kernel's table: kernel 0x%" PRIx64
			      ", libpgt 0x%" PRIx64,
			      iova, kpa, kt_pa);
	struct pgt_walk w;
	bool ok = pgt_translate(p->kt, iova, &w);
	uint64_t apa = ok ? w.pa : 0, want = kpa;
	if (differs)
		want = hw;
	p->c_attach.n++;
	if (want != apa)
		kt_check_fail(&p->c_attach, p->label,
			      "pgt_translate(0x%" PRIx64 ") on the kernel's table: %s 0x%" PRIx64
			      ", libpgt %s 0x%" PRIx64 " (%s)",
			      iova, differs ? "the entry (not iova_to_phys, see kt_ent)" : "kernel",
			      want, ok ? "translates to" : "stops", apa,
			      ok ? "" : pgt_stop_name(w.stop));
}

static void sample_range(struct kt_pair *p, uint64_t iova, uint64_t len)
{
	kt_sample_phys(p, iova);
	if (len > 1) {
		kt_sample_phys(p, iova + len - 1);
		kt_sample_phys(p, iova + kt_rnd_below(len));
	}
}

uint64_t kt_do_map(struct kt_pair *p, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t pgcount,
		   unsigned prot)
{
	uint64_t done = 0;
	char op[200], pb[16];
	while (done < pgcount) {
		uint64_t at = iova + done * pgsize, pat = pa + done * pgsize, n = pgcount - done;
		uint64_t km = 0, pm = 0;
		struct pgt_error err = {0};
		snprintf(op, sizeof(op),
			 "map_pages(iova 0x%" PRIx64 ", pa 0x%" PRIx64 ", pgsize 0x%" PRIx64
			 ", pgcount %" PRIu64 ", prot %s)",
			 at, pat, pgsize, n, kt_prot_str(prot, pb));
		kt_clear_logs(p);
		unsigned long w0 = kt_owarns(p->k);
		kt_set_last_op(p->label, "kernel", op);
		int krc = oracle_map_pages(p->k, at, pat, pgsize, n, prot, &km);
		bool kwarn = kt_owarns(p->k) != w0;
		kt_set_last_op(p->label, "libpgt", op);
		int prc = pgt_map_pages(p->t, at, pat, pgsize, n, prot, &pm, &err);
		p->n_map_calls++;
		p->c_ops.n++;
		if (krc != prc || km != pm)
			kt_check_fail(&p->c_ops, p->label,
				      "%s: kernel rc %d mapped 0x%" PRIx64
				      ", libpgt rc %d mapped 0x%" PRIx64 "%s%s",
				      op, krc, km, prc, pm, prc ? ": " : "", prc ? err.msg : "");
		if (p->f->warns_are_errors) {
			p->c_warn.n++;
			/* NO_WARN (7.3) silences the WARN of a map over a leaf */
			bool quiet = krc == -EEXIST && (p->kcfg.quirks & PGT_QUIRK_NO_WARN);
			if (kwarn != (krc != 0 && !quiet))
				kt_check_fail(&p->c_warn, p->label, "%s: kernel rc %d but %s WARN",
					      op, krc, kwarn ? "a" : "no");
		}
		if (krc == -EEXIST)
			p->n_eexist++;
		if (krc == -EEXIST && oracle_tlb_log(p->k, &(const struct oracle_tlb *){0}))
			p->n_eexist_teardown++;
		if (km < n * pgsize && !krc)
			p->n_partial++;
		kt_compare_logs(p, op);
		kt_after_call(p, op);
		if (krc || prc || !km || km != pm)
			break;
		done += km / pgsize;
	}
	sample_range(p, iova, pgcount * pgsize);
	return done * pgsize;
}

uint64_t kt_do_unmap(struct kt_pair *p, uint64_t iova, uint64_t pgsize, uint64_t pgcount,
		     enum oracle_gather gather)
{
	static const char *gname[] = {"NULL", "gather", "queued gather"};
	uint64_t done = 0;
	char op[200];
	struct pgt_unmap_opts opts = {
		.split = PGT_SPLIT_612,
		.gather = gather != ORACLE_GATHER_NULL,
		.gather_queued = gather == ORACLE_GATHER_QUEUED,
	};
	/* bytes, as __iommu_unmap() counts: AMD unmaps whole pages (more than
	 * asked, or holes of 4K), so a call may end off the pgsize grid */
	const uint64_t total = pgcount * pgsize;
	while (done < total) {
		uint64_t at = iova + done, n = (total - done) / pgsize;
		/* off the grid the request started on: the iommu core would go
		 * on in smaller pages (a request may start off the page grid:
		 * io-pgtable takes it) */
		if (!n || (done & (pgsize - 1)))
			break;
		struct pgt_error err = {0};
		snprintf(op, sizeof(op),
			 "unmap_pages(iova 0x%" PRIx64 ", pgsize 0x%" PRIx64 ", pgcount %" PRIu64
			 ", %s)",
			 at, pgsize, n, gname[gather]);
		kt_clear_logs(p);
		unsigned long w0 = kt_owarns(p->k);
		struct oracle_stats s0, s1;
		oracle_stats(p->k, &s0);
		kt_set_last_op(p->label, "kernel", op);
		uint64_t ku = p->f->kernel_unmap ? p->f->kernel_unmap(p, at, pgsize, n, gather)
						 : oracle_unmap_pages(p->k, at, pgsize, n, gather);
		oracle_stats(p->k, &s1);
		bool kwarn = kt_owarns(p->k) != w0;
		kt_set_last_op(p->label, "libpgt", op);
		uint64_t pu = pgt_unmap_pages(p->t, at, pgsize, n, &opts, &err);
		p->n_unmap_calls++;
		p->c_ops.n++;
		if (s1.allocs + s1.slab_allocs != s0.allocs + s0.slab_allocs)
			p->n_splits++;
		if (!ku)
			p->n_holes++;
		if (ku != pu)
			kt_check_fail(&p->c_ops, p->label,
				      "%s: kernel unmapped 0x%" PRIx64 ", libpgt 0x%" PRIx64 "%s%s",
				      op, ku, pu, err.code ? ": " : "", err.code ? err.msg : "");
		if (p->f->warns_are_errors) {
			p->c_warn.n++;
			/* a hole WARNs, and so, where the kernel splits no
			 * block, does a partial block (7.3's "Unmap of a
			 * partial large IOPTE is not allowed") */
			bool refused = err.code == -EINVAL &&
				       !pgt_table_feature(p->t, PGT_FEAT_SPLIT_BLOCKS);
			/* NO_WARN (7.3) silences a hole's */
			bool quiet = err.code == -ENOENT && (p->kcfg.quirks & PGT_QUIRK_NO_WARN);
			if (kwarn != (err.code != 0 && !quiet) ||
			    (err.code && err.code != -ENOENT && !refused))
				kt_check_fail(&p->c_warn, p->label,
					      "%s: kernel %s (%s); libpgt err %d (%s)", op,
					      kwarn ? "WARNed" : "did not WARN",
					      kwarn ? s1.last_warn : "-", err.code,
					      err.code ? err.msg : "-");
		}
		kt_compare_logs(p, op);
		kt_after_call(p, op);
		if (!ku || ku != pu)
			break;
		done += ku;
	}
	sample_range(p, iova, total);
	return done;
}

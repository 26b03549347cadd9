// SPDX-License-Identifier: MIT
/* pgtctl whereis SOURCE PA [SIZE]: the IOVAs that reach a physical range;
 * with an IOMMU's registers and no --device, of every device it has. */
#include <stdlib.h>

#include "cli.h"
#include "complete.h"

static const struct argp argp = {
	NULL, NULL, "SOURCE PA [SIZE]\n--dump FILE --iommu KIND --iommu-reg VALUE... PA [SIZE]",
	"List every IOVA range that maps onto the physical range [PA, PA+SIZE) (SIZE 1 by "
	"default), with its prot and level: the reverse of translate. Given an IOMMU's "
	"registers and no --device, the tables of every device of every IOMMU given are "
	"searched, and each range names its device: which device maps this page? Devices the "
	"IOMMU lets through untranslated (bypass) reach every page, and are named after the "
	"ranges. Exit status 1 when no table maps it, or when the walk met problems (a "
	"malformed table hides what it maps).",
	NULL, NULL, NULL,
};

struct find {
	pgt_addr lo, hi; /* inclusive */
	uint64_t found;
	const char *device; /* the device whose table it is, or NULL */
	const char *stage;  /* "stage 2" for a nested device's second table */
	struct problems problems;
};

static int on_problem(void *ctx, const struct pgt_problem *p)
{
	return problems_add(&((struct find *)ctx)->problems, p, 0);
}

static int on_run(void *ctx, const struct pgt_range *r)
{
	struct find *f = ctx;
	pgt_addr pa_last = r->pa + r->size - 1;
	if (pa_last < f->lo || r->pa > f->hi)
		return 0;
	pgt_addr from = r->pa < f->lo ? f->lo : r->pa;
	pgt_addr to = pa_last > f->hi ? f->hi : pa_last;
	pgt_addr iova = r->iova + (from - r->pa);
	char b[24];
	f->found++;
	out_obj_begin(NULL);
	if (f->device) {
		out_str("device", "%-16s ", f->device);
		if (f->stage)
			out_str("stage", "(%s) ", f->stage);
	}
	out_hex("iova", "0x%016llx", iova);
	out_text("-0x%016llx", (unsigned long long)(iova + (to - from)));
	out_hex("pa", " -> 0x%016llx", from);
	out_hex("size", NULL, to - from + 1);
	out_text(" %6s", pgt_fmt_size(to - from + 1, b));
	out_prot("prot", " %-4s", r->prot);
	if (r->label != ~0u)
		out_uint("level", " L%llu", r->label);
	out_text("\n");
	out_obj_end();
	return 0;
}

/* PA [SIZE] from the arguments after the SOURCE */
static int parse_range(struct cli *c, int first, struct find *f)
{
	uint64_t pa, size = 1;
	int left = c->n_args - first;
	if (left != 1 && left != 2)
		return cli_usage("whereis takes PA [SIZE]");
	if (cli_parse_number("pa", c->args[first], &pa) ||
	    (left == 2 && cli_parse_number("size", c->args[first + 1], &size)))
		return EXIT_USAGE;
	if (!size || pa + size - 1 < pa)
		return cli_usage("whereis: the range must be non-empty and not wrap");
	f->lo = pa;
	f->hi = pa + size - 1;
	return EXIT_OK;
}

/* The tables of every device the IOMMUs have. */
struct devices {
	struct find *f;
	struct pgt_mem *mem;
	const struct pgt_iommu_kind *kind;
	int rc;
};

static int search(struct devices *d, const struct pgt_iommu_table *it, const char *stage)
{
	struct pgt_table *t;
	CLI_ERROR(err);
	if (pgt_iommu_table_open(it, d->mem, &t, err))
		return 0; /* pgtctl cannot walk it: devices says why */
	d->f->stage = stage;
	int rc = pgt_walk_ranges(t, pgt_table_iova_min(t), pgt_table_iova_max(t), false, on_run,
				 on_problem, d->f);
	pgt_table_destroy(t);
	return rc;
}

static int on_device(void *ctx, const struct pgt_iommu_device *dev)
{
	struct devices *d = ctx;
	char id[48];
	d->f->device = pgt_devid_str(d->kind, pgt_iommu_device_id(dev), id, sizeof(id));
	/* a nested device's first stage outputs IPAs: its second stage maps PAs */
	if (pgt_iommu_device_stage2(dev))
		return d->rc = search(d, pgt_iommu_device_stage2(dev), "stage 2");
	if (pgt_iommu_device_table(dev))
		return d->rc = search(d, pgt_iommu_device_table(dev), NULL);
	return 0;
}

/* A device in bypass maps no page and reaches them all: for a page
 * something wrote to by DMA, it is as much a suspect as a mapping. */
static int on_bypass(void *ctx, const struct pgt_iommu_device *dev)
{
	struct devices *d = ctx;
	char id[48];
	if (pgt_iommu_device_mode(dev) == PGT_DEV_BYPASS)
		out_str(NULL, "%-16s bypass: reaches every page untranslated\n",
			pgt_devid_str(d->kind, pgt_iommu_device_id(dev), id, sizeof(id)));
	return 0;
}

static int every_device(struct cli *c, struct find *f)
{
	CLI_ERROR(err);
	struct pgt_iommu *ios[MAX_IOMMUS];
	unsigned n;
	struct devices d = {.f = f};
	int status = parse_range(c, 0, f);
	if (status)
		return status;
	if (source_iommu_only(&c->src, err) ||
	    source_open_all_iommus(&c->src, &d.mem, ios, &n, err))
		return cli_fail(EXIT_USAGE, err);
	struct pgt_iommu_visitor v = {on_device, NULL, false, &d};
	int rc = 0;
	out_obj_begin(NULL);
	out_arr_begin("mappings");
	for (unsigned i = 0; i < n && !rc; i++) {
		d.kind = pgt_iommu_kind_of(ios[i]);
		rc = pgt_iommu_walk(ios[i], &v);
	}
	out_arr_end();
	if (!f->found)
		out_text("no device maps 0x%llx-0x%llx\n", (unsigned long long)f->lo,
			 (unsigned long long)f->hi);
	struct pgt_iommu_visitor bypass = {on_bypass, NULL, false, &d};
	out_arr_begin("bypass");
	for (unsigned i = 0; i < n && !rc; i++) {
		d.kind = pgt_iommu_kind_of(ios[i]);
		rc = pgt_iommu_walk(ios[i], &bypass);
	}
	out_arr_end();
	uint64_t problems = f->problems.count;
	problems_print(&f->problems);
	out_obj_end();
	source_close_iommus(ios, n);
	pgt_mem_destroy(d.mem);
	if (rc)
		return cli_out_of_memory();
	return f->found && !problems ? EXIT_OK : EXIT_FAILED;
}

static int run(struct cli *c)
{
	struct source s;
	struct find f = {0};
	if (source_iommu_given(&c->src) && !c->src.n_devices)
		return every_device(c, &f);
	int first, status = open_source(c, &s, &first);
	if (status)
		return status;
	if ((status = parse_range(c, first, &f))) {
		source_close(&s);
		return status;
	}
	out_obj_begin(NULL);
	out_arr_begin("mappings");
	int rc = pgt_walk_ranges(s.t, pgt_table_iova_min(s.t), pgt_table_iova_max(s.t), false,
				 on_run, on_problem, &f);
	out_arr_end();
	if (!f.found)
		out_text("no IOVA maps 0x%llx-0x%llx\n", (unsigned long long)f.lo,
			 (unsigned long long)f.hi);
	uint64_t problems = f.problems.count;
	problems_print(&f.problems);
	out_obj_end();
	source_close(&s);
	if (rc)
		return cli_out_of_memory();
	return f.found && !problems ? EXIT_OK : EXIT_FAILED;
}

const struct cmd cmd_whereis = {
	.name = "whereis",
	.run = run,
	.argp = &argp,
	.complete_arg = complete_source_arg,
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "IOVA ranges that map a physical range",
};

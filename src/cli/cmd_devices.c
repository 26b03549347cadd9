// SPDX-License-Identifier: MIT
/*
 * pgtctl devices --dump FILE --iommu KIND --iommu-reg VALUE: every device
 * the IOMMU's structures know, what its DMA goes through (mode, domain,
 * the table's format, root and configuration) and how many mappings that
 * table holds; -v the structures on the way.
 */

#include "cli.h"

enum { OPT_ALL = 256 };

static const struct argp_option options[] = {
	{"verbose", 'v', NULL, 0, "show each device's structure entries, every field decoded", 0},
	{"all", OPT_ALL, NULL, 0, "list invalid and abort entries too", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct devices_opts {
	bool verbose;
	bool all;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct devices_opts *o = state->input;
	(void)arg;
	switch (key) {
	case 'v':
		o->verbose = true;
		return 0;
	case OPT_ALL:
		o->all = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse, "--dump FILE --iommu KIND --iommu-reg VALUE",
	"List the devices the IOMMU's structures in memory know, from its root register: "
	"AMD-Vi's device table, VT-d's root, context and PASID tables, SMMUv3's stream table "
	"and context descriptors, RISC-V's device directory. For each device (and PASID or "
	"substream): its mode (translated, nested, bypass; abort and invalid with --all), "
	"domain, the table's format, root and configuration, and its mappings. Problems of "
	"the structures (reserved bits, misaligned or outside pointers, loops) are listed as "
	"check lists them; exit status 1 when there is any.",
	NULL, NULL, NULL,
};

struct listing {
	const struct devices_opts *o;
	const struct pgt_iommu_kind *kind;
	struct pgt_mem *mem;
	uint64_t shown, hidden, problems;
};

/* The table's mappings as dump counts them (runs of one page size). */
static int count_run(void *ctx, const struct pgt_range *r)
{
	(void)r;
	++*(uint64_t *)ctx;
	return 0;
}

/* The mappings, then the configuration; why the table cannot be walked
 * on a line of its own. */
static void print_mappings(struct listing *l, const struct pgt_iommu_table *it)
{
	CLI_ERROR(err);
	struct pgt_table *t;
	uint64_t n = 0;
	char b[256];
	int rc = pgt_iommu_table_open(it, l->mem, &t, err);
	if (!rc) {
		rc = pgt_walk_ranges(t, pgt_table_iova_min(t), pgt_table_iova_max(t), true,
				     count_run, NULL, &n);
		pgt_table_destroy(t);
		if (rc)
			pgt_fail(err, rc, "out of memory");
	}
	if (rc)
		out_null("mappings", "        -");
	else
		out_uint("mappings", " %8llu", n);
	out_text("  %s", iommu_config_str(it, b, sizeof(b)));
	if (rc) {
		out_str("table_error", NULL, cli_error_text(err));
		out_text("\n           (%s)", cli_error_text(err));
	}
}

static int on_device(void *ctx, const struct pgt_iommu_device *d)
{
	struct listing *l = ctx;
	char id[48];
	enum pgt_dev_mode mode = pgt_iommu_device_mode(d);
	const struct pgt_iommu_table *table = pgt_iommu_device_table(d);
	const struct pgt_iommu_table *stage2 = pgt_iommu_device_stage2(d);
	uint32_t domain;
	const char *domain_name;
	if (!l->o->all && (mode == PGT_DEV_INVALID || mode == PGT_DEV_ABORT)) {
		l->hidden++;
		return 0;
	}
	l->shown++;
	out_obj_begin(NULL);
	out_str("id", "%-20s", pgt_devid_str(l->kind, pgt_iommu_device_id(d), id, sizeof(id)));
	out_str("mode", " %-10s", pgt_dev_mode_name(mode));
	if (pgt_iommu_device_domain(d, &domain, &domain_name)) {
		out_uint("domain", " %6llu", domain);
		out_str("domain_name", NULL, domain_name);
	} else {
		out_null("domain", "      -");
	}
	if (table) {
		out_text("  ");
		print_iommu_table(NULL, table);
		print_mappings(l, table);
	} else {
		out_null("format", NULL);
	}
	if (pgt_iommu_device_note(d))
		out_str("note", "\n           %s", pgt_iommu_device_note(d));
	if (stage2) {
		char b[256];
		out_text("\n           stage 2: ");
		print_iommu_table("stage2", stage2);
		out_text(" %s", iommu_config_str(stage2, b, sizeof(b)));
	}
	out_text("\n");
	if (l->o->verbose) {
		out_arr_begin("chain");
		for (unsigned i = 0; i < pgt_iommu_device_n_chain(d); i++)
			print_iommu_entry(pgt_iommu_device_chain(d, i));
		out_arr_end();
	}
	out_obj_end();
	return 0;
}

static int on_problem(void *ctx, const struct pgt_iommu_problem *p)
{
	struct listing *l = ctx;
	l->problems++;
	print_iommu_problem(p, "problem    ");
	return 0;
}

static void print_register(const struct pgt_iommu *io)
{
	const struct pgt_iommu_entry *r = pgt_iommu_register(io);
	uint64_t v[2];
	unsigned n = pgt_iommu_register_values(io, v);
	out_str("iommu", "%s", pgt_iommu_kind_name(pgt_iommu_kind_of(io)));
	out_arr_begin("register");
	for (unsigned i = 0; i < n; i++)
		out_hex(NULL, i ? ",0x%llx" : " 0x%llx", v[i]);
	out_arr_end();
	out_text(":");
	out_obj_begin("fields");
	for (unsigned i = 0; i < pgt_iommu_entry_n_fields(r); i++) {
		const struct pgt_field *f = pgt_iommu_entry_field(r, i);
		out_text(f->value < 10 ? " %s=%llu" : " %s=0x%llx", f->name,
			 (unsigned long long)f->value);
		out_hex(f->name, NULL, f->value);
		if (f->meaning)
			out_text("(%s)", f->meaning);
	}
	out_obj_end();
	out_text("\n");
}

/* Text: a header, the devices with their problems where they are met, a
 * count. JSON: the devices of every IOMMU in one array, their problems in
 * another (a second walk). */
static int list(struct listing *l, struct pgt_iommu *io, bool problems)
{
	uint64_t shown = l->shown, hidden = l->hidden;
	struct pgt_iommu_visitor v = {problems ? NULL : on_device,
				      problems || !out_json() ? on_problem : NULL, true, l};
	l->kind = pgt_iommu_kind_of(io);
	if (!out_json()) {
		print_register(io);
		out_text("%-20s %-10s %6s  %-15s %-12s %8s  %s\n", "DEVICE", "MODE", "DOMAIN",
			 "FORMAT", "ROOT", "MAPPINGS", "CONFIG");
	}
	int rc = pgt_iommu_walk(io, &v);
	if (out_json())
		return rc;
	if (l->shown == shown)
		out_text("no device translates or bypasses");
	else
		out_text("%llu device%s", (unsigned long long)(l->shown - shown),
			 l->shown - shown == 1 ? "" : "s");
	if (l->hidden > hidden)
		out_text("; %llu entr%s invalid or abort (--all lists them)",
			 (unsigned long long)(l->hidden - hidden), l->hidden - hidden == 1 ? "y" : "ies");
	out_text("\n");
	return rc;
}

static int run(struct cli *c)
{
	CLI_ERROR(err);
	struct pgt_iommu *ios[MAX_IOMMUS];
	unsigned n;
	struct listing l = {.o = c->opts};

	if (c->n_args)
		return cli_usage("devices takes no arguments: the memory comes from --dump/--raw");
	if (source_iommu_only(&c->src, err))
		return cli_fail(EXIT_USAGE, err);
	if (c->src.n_devices)
		return cli_usage("devices lists every device: --device does not apply");
	if (source_open_all_iommus(&c->src, &l.mem, ios, &n, err))
		return cli_fail(EXIT_USAGE, err);
	int rc = 0;
	out_obj_begin(NULL);
	out_str("iommu", NULL, pgt_iommu_kind_name(pgt_iommu_kind_of(ios[0])));
	if (out_json()) {
		out_arr_begin("iommus");
		for (unsigned i = 0; i < n; i++) {
			out_obj_begin(NULL);
			print_register(ios[i]);
			out_obj_end();
		}
		out_arr_end();
	}
	out_arr_begin("devices");
	for (unsigned i = 0; i < n && !rc; i++)
		rc = list(&l, ios[i], false);
	out_arr_end();
	if (out_json()) {
		out_arr_begin("problems");
		for (unsigned i = 0; i < n && !rc; i++)
			rc = list(&l, ios[i], true);
		out_arr_end();
	}
	out_obj_end();
	source_close_iommus(ios, n);
	pgt_mem_destroy(l.mem);
	if (rc)
		return cli_out_of_memory();
	return l.problems ? EXIT_FAILED : EXIT_OK;
}

const struct cmd cmd_devices = {
	.name = "devices",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct devices_opts),
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "the IOMMU's devices and their tables",
};

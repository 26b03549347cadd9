// SPDX-License-Identifier: MIT
/* pgtctl formats: every format with the kernels that build it, and its page
 * sizes, limits, defaults, options and quirks under its default kernel (or
 * --kernel's, listing only the formats that kernel builds). */
#include "cli.h"

static const struct argp argp = {
	NULL, NULL, "",
	"List the page-table formats: kernels, page sizes, levels, ias/oas limits, options, quirks.",
	NULL,
	NULL, NULL,
};

/* The geometry of the default configuration, from a throwaway table. */
static void print_sizes(const char *key, uint64_t bitmap)
{
	char b[24], all[256];
	out_text(" %s", pgt_pgsizes_str(bitmap, all, sizeof(all)));
	out_arr_begin(key);
	for (unsigned i = 0; i < 64; i++)
		if ((bitmap >> i) & 1)
			out_str(NULL, NULL, pgt_fmt_size(1ull << i, b));
	out_arr_end();
}

static void print_kernels(const struct pgt_format *f, enum pgt_kernel shown)
{
	out_text("    kernels   ");
	out_arr_begin("kernels");
	for (unsigned k = PGT_KERNEL_DEFAULT + 1; k < PGT_KERNEL_END; k++)
		if (pgt_format_has_kernel(f, (enum pgt_kernel)k))
			out_str(NULL, " %s", pgt_kernel_name((enum pgt_kernel)k));
	out_arr_end();
	out_text(" (default %s", pgt_kernel_name(pgt_format_default_kernel(f)));
	if (shown != pgt_format_default_kernel(f))
		out_text("; shown: %s", pgt_kernel_name(shown));
	out_text(")\n");
	out_str("kernel", NULL, pgt_kernel_name(shown));
}

static void print_options(const struct pgt_format *f)
{
	if (!pgt_format_n_options(f))
		return;
	out_text("    options   ");
	out_arr_begin("options");
	for (unsigned i = 0; i < pgt_format_n_options(f); i++) {
		const struct pgt_format_option *o = pgt_format_option(f, i);
		out_obj_begin(NULL);
		out_str("name", " %s", o->name);
		out_uint("min", " %llu", o->min);
		out_uint("max", "-%llu", o->max);
		out_uint("default", " (default %llu)", o->dflt);
		out_str("summary", ": %s", o->summary);
		out_obj_end();
	}
	out_arr_end();
	out_text("\n");
}

static int run(struct cli *c)
{
	if (c->n_args)
		return cli_usage("formats takes no arguments");
	out_obj_begin(NULL);
	out_arr_begin("formats");
	for (const struct pgt_format *const *fp = pgt_formats(); *fp; fp++) {
		const struct pgt_format *f = *fp;
		enum pgt_kernel k = c->src.kernel ? c->src.kernel : pgt_format_default_kernel(f);
		if (!pgt_format_has_kernel(f, k))
			continue;
		out_obj_begin(NULL);
		out_str("name", "%-15s", pgt_format_name(f));
		out_str("kernel_name", " %-15s", pgt_format_kernel_name(f));
		out_str("summary", " %s\n", pgt_format_summary(f));
		print_kernels(f, k);
		out_text("    page sizes");
		print_sizes("pgsizes", pgt_format_pgsizes(f));
		out_uint("max_ias", "   ias <= %llu", pgt_format_max_ias(f, k));
		out_uint("max_oas", "  oas <= %llu\n", pgt_format_max_oas(f));

		struct pgt_cfg *cfg;
		if (pgt_format_default_cfg(f, k, &cfg, NULL))
			return cli_out_of_memory();
		unsigned ias, levels;
		source_layout(f, cfg, &ias, &levels);
		out_obj_begin("default");
		out_uint("ias", "    default    ias %llu", ias);
		out_uint("oas", " oas %llu pgsize", pgt_cfg_get(cfg, PGT_CFG_OAS));
		print_sizes("pgsizes", pgt_cfg_get(cfg, PGT_CFG_PGSIZE_BITMAP));
		out_uint("levels", ": %llu levels\n", levels);
		out_obj_end();
		pgt_cfg_free(cfg);
		print_options(f);

		out_text("    quirks    ");
		out_arr_begin("quirks");
		uint64_t q = pgt_format_quirks(f, k);
		for (unsigned i = 0; i < 64; i++)
			if ((q >> i) & 1)
				out_str(NULL, " %s", pgt_quirk_name(1ull << i));
		out_arr_end();
		out_text("%s\n", q ? "" : " none");
		out_obj_end();
	}
	out_arr_end();
	out_obj_end();
	return EXIT_OK;
}

const struct cmd cmd_formats = {
	.name = "formats",
	.run = run,
	.argp = &argp,
	.summary = "list formats: kernels, page sizes, levels, ias/oas limits",
};

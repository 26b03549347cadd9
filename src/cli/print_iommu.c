// SPDX-License-Identifier: MIT
/* Printers of the IOMMU's structures: entries with their fields, problems,
 * and the table a device gets (devices, info, check, whereis). */
#include <string.h>

#include "cli.h"

void print_iommu_entry(const struct pgt_iommu_entry *e)
{
	out_obj_begin(NULL);
	out_str("name", "    %s", pgt_iommu_entry_name(e));
	out_hex("index", "[0x%llx]", pgt_iommu_entry_index(e));
	out_hex("pa", " @0x%llx =", pgt_iommu_entry_pa(e));
	out_arr_begin("words");
	for (unsigned i = 0; i < pgt_iommu_entry_n_words(e); i++)
		out_hex(NULL, " 0x%016llx", pgt_iommu_entry_word(e, i));
	out_arr_end();
	out_text("\n       ");
	out_arr_begin("fields");
	unsigned col = 7;
	for (unsigned i = 0; i < pgt_iommu_entry_n_fields(e); i++) {
		const struct pgt_field *f = pgt_iommu_entry_field(e, i);
		out_obj_begin(NULL);
		out_str("name", NULL, f->name);
		out_hex("value", NULL, f->value);
		if (f->meaning)
			out_str("meaning", NULL, f->meaning);
		out_obj_end();
		if (!f->value && !f->meaning)
			continue;
		char word[160];
		int n = snprintf(word, sizeof(word), f->value < 10 ? " %s=%llu" : " %s=0x%llx",
				 f->name, (unsigned long long)f->value);
		if (f->meaning && n > 0 && (size_t)n < sizeof(word))
			snprintf(word + n, sizeof(word) - (size_t)n, "(%s)", f->meaning);
		if (col + strlen(word) > 96) {
			out_text("\n       ");
			col = 7;
		}
		out_text("%s", word);
		col += (unsigned)strlen(word);
	}
	out_arr_end();
	out_text("\n");
	out_obj_end();
}

void print_iommu_problem(const struct pgt_iommu_problem *p, const char *indent)
{
	out_obj_begin(NULL);
	out_text("%s", indent);
	out_str("kind", "%-14s", pgt_stop_name(pgt_iommu_problem_kind(p)));
	out_str("what", " %s", pgt_iommu_problem_what(p));
	out_hex("pa", " @0x%llx", pgt_iommu_problem_pa(p));
	out_hex("raw", " = 0x%016llx", pgt_iommu_problem_raw(p));
	out_str("why", ": %s\n", pgt_iommu_problem_why(p));
	out_obj_end();
}

/* "ias 39 oas 48 pgsize 4K 2M 1G", the format's options, the quirks */
const char *iommu_config_str(const struct pgt_iommu_table *t, char *buf, size_t len)
{
	const struct pgt_cfg *c = pgt_iommu_table_cfg(t);
	const struct pgt_format *fmt = pgt_format_find(pgt_iommu_table_format(t));
	char sizes[96], q[128];
	uint64_t quirks = pgt_cfg_get(c, PGT_CFG_QUIRKS);
	int n = snprintf(buf, len, "ias %u oas %u pgsize %s", (unsigned)pgt_cfg_get(c, PGT_CFG_IAS),
			 (unsigned)pgt_cfg_get(c, PGT_CFG_OAS),
			 pgt_pgsizes_str(pgt_cfg_get(c, PGT_CFG_PGSIZE_BITMAP), sizes, sizeof(sizes)));
	for (unsigned i = 0; fmt && i < pgt_format_n_options(fmt); i++)
		if (pgt_cfg_option(c, i) && n >= 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, " %s %u",
				      pgt_format_option(fmt, i)->name, pgt_cfg_option(c, i));
	if (quirks && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " quirks %s", pgt_quirks_str(quirks, q, sizeof(q)));
	return buf;
}

void print_iommu_table(const char *key, const struct pgt_iommu_table *t)
{
	const struct pgt_cfg *c = pgt_iommu_table_cfg(t);
	const char *format = pgt_iommu_table_format(t);
	const struct pgt_format *fmt = pgt_format_find(format);
	uint64_t quirks = pgt_cfg_get(c, PGT_CFG_QUIRKS);
	if (key)
		out_obj_begin(key);
	out_str("format", "%-15s", format);
	out_arr_begin("roots");
	for (unsigned i = 0; i < pgt_iommu_table_n_roots(t); i++)
		out_hex(NULL, i ? ",0x%llx" : " 0x%-11llx", pgt_iommu_table_root(t, i));
	out_arr_end();
	out_obj_begin("config");
	out_uint("ias", NULL, pgt_cfg_get(c, PGT_CFG_IAS));
	out_uint("oas", NULL, pgt_cfg_get(c, PGT_CFG_OAS));
	out_hex("pgsize_bitmap", NULL, pgt_cfg_get(c, PGT_CFG_PGSIZE_BITMAP));
	out_arr_begin("quirks");
	for (unsigned i = 0; i < 64; i++)
		if ((quirks >> i) & 1)
			out_str(NULL, NULL, pgt_quirk_name(1ull << i) ? pgt_quirk_name(1ull << i)
								      : "unknown");
	out_arr_end();
	out_bool("coherent_walk", NULL, pgt_cfg_get(c, PGT_CFG_COHERENT_WALK));
	out_hex("cpu_page_size", NULL, pgt_cfg_get(c, PGT_CFG_CPU_PAGE_SIZE));
	for (unsigned i = 0; fmt && i < pgt_format_n_options(fmt); i++)
		if (pgt_cfg_option(c, i))
			out_uint(pgt_format_option(fmt, i)->name, NULL, pgt_cfg_option(c, i));
	out_obj_end();
	if (key)
		out_obj_end();
}

void print_iommu_device(const struct pgt_iommu_kind *k, const struct pgt_iommu_device *d)
{
	char id[48];
	uint32_t domain;
	const char *domain_name;
	const struct pgt_iommu_table *stage2 = pgt_iommu_device_stage2(d);
	out_str("id", "device     %s", pgt_devid_str(k, pgt_iommu_device_id(d), id, sizeof(id)));
	out_str("mode", "  %s", pgt_dev_mode_name(pgt_iommu_device_mode(d)));
	if (pgt_iommu_device_domain(d, &domain, &domain_name)) {
		out_text("  %s", domain_name);
		out_uint("domain", " %llu", domain);
	} else {
		out_null("domain", NULL);
	}
	if (pgt_iommu_device_note(d))
		out_str("note", " (%s)", pgt_iommu_device_note(d));
	out_text("\n");
	if (stage2) {
		char b[256];
		out_text("stage 2    ");
		print_iommu_table("stage2", stage2);
		out_text(" %s\n", iommu_config_str(stage2, b, sizeof(b)));
	}
	out_text("structures\n");
	out_arr_begin("chain");
	for (unsigned i = 0; i < pgt_iommu_device_n_chain(d); i++)
		print_iommu_entry(pgt_iommu_device_chain(d, i));
	out_arr_end();
	out_arr_begin("problems");
	for (unsigned i = 0; i < pgt_iommu_device_n_problems(d); i++)
		print_iommu_problem(pgt_iommu_device_problem(d, i), "  ");
	out_arr_end();
}

// SPDX-License-Identifier: MIT
/* Printers of the IOMMU's structures: entries with their fields, problems,
 * and the table a device gets (devices, info, check, whereis). */
#include <string.h>

#include "cli.h"

void print_iommu_entry(const struct pgt_iommu_entry *e)
{
	out_obj_begin(NULL);
	out_str("name", "    %s", e->name);
	out_hex("index", "[0x%llx]", e->index);
	out_hex("pa", " @0x%llx =", e->pa);
	out_arr_begin("words");
	for (unsigned i = 0; i < e->n_words; i++)
		out_hex(NULL, " 0x%016llx", e->word[i]);
	out_arr_end();
	out_text("\n       ");
	out_arr_begin("fields");
	unsigned col = 7;
	for (unsigned i = 0; i < e->n_fields; i++) {
		const struct pgt_field *f = &e->field[i];
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
	out_str("kind", "%-14s", pgt_stop_name(p->kind));
	out_str("what", " %s", p->what);
	out_hex("pa", " @0x%llx", p->pa);
	out_hex("raw", " = 0x%016llx", p->raw);
	out_str("why", ": %s\n", p->why);
	out_obj_end();
}

/* "ias 39 oas 48 pgsize 4K 2M 1G", the format's options, the quirks */
const char *iommu_config_str(const struct pgt_iommu_table *t, char *buf, size_t len)
{
	const struct pgt_cfg *c = &t->cfg;
	const struct pgt_format *fmt = pgt_format_find(t->format);
	char sizes[96], q[128];
	int n = snprintf(buf, len, "ias %u oas %u pgsize %s", c->ias, c->oas,
			 pgt_pgsizes_str(c->pgsize_bitmap, sizes, sizeof(sizes)));
	for (unsigned i = 0; fmt && i < pgt_format_n_options(fmt); i++)
		if (c->opt[i] && n >= 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, " %s %u",
				      pgt_format_option(fmt, i)->name, c->opt[i]);
	if (c->quirks && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " quirks %s",
			 pgt_quirks_str(c->quirks, q, sizeof(q)));
	return buf;
}

void print_iommu_table(const char *key, const struct pgt_iommu_table *t)
{
	const struct pgt_cfg *c = &t->cfg;
	const struct pgt_format *fmt = pgt_format_find(t->format);
	if (key)
		out_obj_begin(key);
	out_str("format", "%-15s", t->format);
	out_arr_begin("roots");
	for (unsigned i = 0; i < t->n_roots; i++)
		out_hex(NULL, i ? ",0x%llx" : " 0x%-11llx", t->root[i]);
	out_arr_end();
	out_obj_begin("config");
	out_uint("ias", NULL, c->ias);
	out_uint("oas", NULL, c->oas);
	out_hex("pgsize_bitmap", NULL, c->pgsize_bitmap);
	out_arr_begin("quirks");
	for (unsigned i = 0; i < 64; i++)
		if ((c->quirks >> i) & 1)
			out_str(NULL, NULL, pgt_quirk_name(1ull << i) ? pgt_quirk_name(1ull << i)
								      : "unknown");
	out_arr_end();
	out_bool("coherent_walk", NULL, c->coherent_walk);
	out_hex("cpu_page_size", NULL, c->cpu_page_size);
	for (unsigned i = 0; fmt && i < pgt_format_n_options(fmt); i++)
		if (c->opt[i])
			out_uint(pgt_format_option(fmt, i)->name, NULL, c->opt[i]);
	out_obj_end();
	if (key)
		out_obj_end();
}

void print_iommu_device(const struct pgt_iommu_kind *k, const struct pgt_iommu_device *d)
{
	char id[48];
	out_str("id", "device     %s", pgt_devid_str(k, &d->id, id, sizeof(id)));
	out_str("mode", "  %s", pgt_dev_mode_name(d->mode));
	if (d->has_domain) {
		out_text("  %s", d->domain_name);
		out_uint("domain", " %llu", d->domain);
	} else {
		out_null("domain", NULL);
	}
	if (d->note)
		out_str("note", " (%s)", d->note);
	out_text("\n");
	if (d->has_stage2) {
		char b[256];
		out_text("stage 2    ");
		print_iommu_table("stage2", &d->stage2);
		out_text(" %s\n", iommu_config_str(&d->stage2, b, sizeof(b)));
	}
	out_text("structures\n");
	out_arr_begin("chain");
	for (unsigned i = 0; i < d->n_chain; i++)
		print_iommu_entry(&d->chain[i]);
	out_arr_end();
	out_arr_begin("problems");
	for (unsigned i = 0; i < d->n_problems; i++)
		print_iommu_problem(&d->problem[i], "  ");
	out_arr_end();
}

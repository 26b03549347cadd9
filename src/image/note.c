// SPDX-License-Identifier: MIT
/*
 * The PGTCTL note: "key=value" lines, so that `readelf -n` and `strings`
 * show it plainly and later versions can add keys that older ones skip.
 * Registers are recorded for readers of the file; they are recomputed on load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_note.h"
#include "pgt/parse.h"

#define NOTE_VERSION 1

int pgt_image_note(struct pgt_table *t, char **text, size_t *len)
{
	const struct pgt_cfg *c = pgt_table_cfg(t);
	pgt_addr roots[PGT_MAX_ROOTS];
	unsigned n = pgt_table_roots(t, roots);
	struct pgt_regs regs;
	FILE *f = open_memstream(text, len);
	if (!f)
		return -ENOMEM;

	fprintf(f, "pgtctl_image=%d\n", NOTE_VERSION);
	fprintf(f, "format=%s\n", pgt_format_name(pgt_table_format(t)));
	fprintf(f, "kernel=%s\n", pgt_kernel_name(c->kernel));
	fprintf(f, "ias=%u\noas=%u\n", c->ias, c->oas);
	fprintf(f, "pgsize_bitmap=0x%llx\n", (unsigned long long)c->pgsize_bitmap);
	fprintf(f, "quirks=0x%llx\n", (unsigned long long)c->quirks);
	fprintf(f, "coherent_walk=%d\n", c->coherent_walk ? 1 : 0);
	fprintf(f, "cpu_page_size=0x%llx\n", (unsigned long long)c->cpu_page_size);
	const struct pgt_format *fmt = pgt_table_format(t);
	for (unsigned i = 0; i < pgt_format_n_options(fmt); i++)
		fprintf(f, "opt.%s=%u\n", pgt_format_option(fmt, i)->name, c->opt[i]);
	if (pgt_table_mem(t)->big_endian)
		fprintf(f, "big_endian=1\n");
	fprintf(f, "roots=");
	for (unsigned r = 0; r < n; r++)
		fprintf(f, "%s0x%llx", r ? "," : "", (unsigned long long)roots[r]);
	fprintf(f, "\n");
	pgt_table_registers(t, &regs);
	for (unsigned i = 0; i < regs.n; i++) {
		const struct pgt_reg *g = &regs.reg[i];
		if (g->kind == PGT_REG_VALUE)
			fprintf(f, "reg.%s=0x%llx\n", g->name, (unsigned long long)g->value);
		if (g->kind == PGT_REG_COUNT)
			fprintf(f, "reg.%s=%llu\n", g->name, (unsigned long long)g->value);
		for (unsigned k = 0; g->kind == PGT_REG_FIELDS && k < g->n; k++)
			fprintf(f, "reg.%s.%s=%llu\n", g->name, g->field[k].name,
				(unsigned long long)g->field[k].value);
		for (unsigned k = 0; g->kind == PGT_REG_LIST && k < g->n; k++)
			fprintf(f, "reg.%s.%u=0x%llx\n", g->name, k, (unsigned long long)g->list[k]);
	}
	fputc(0, f);
	if (fclose(f))
		return -ENOMEM;
	return 0;
}

static int corrupt_note(struct pgt_error *err, const char *what)
{
	return pgt_fail(err, -EINVAL, "corrupt PGTCTL note: %s", what);
}

static int num(const char *v, uint64_t *out, uint64_t max, struct pgt_error *err, const char *key)
{
	struct pgt_error e;
	if (pgt_parse_u64(v, out, &e) || *out > max)
		return pgt_fail(err, -EINVAL, "corrupt PGTCTL note: bad %s '%s'", key, v);
	return 0;
}

int pgt_image_note_parse(const char *desc, size_t len, struct image_note *n,
			 struct pgt_error *err)
{
	memset(n, 0, sizeof(*n));
	pgt_cfg_init(&n->cfg);
	char *text = strndup(desc, len);
	if (!text)
		return pgt_fail(err, -ENOMEM, "out of memory");
	unsigned have = 0, n_opts = 0;
	struct opt {
		const char *name;
		unsigned value;
	} opts[PGT_MAX_FORMAT_OPTIONS];
	int rc = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (!eq) {
			rc = corrupt_note(err, "a line without '='");
			break;
		}
		*eq = 0;
		const char *k = line, *v = eq + 1;
		uint64_t x;
		if (!strcmp(k, "pgtctl_image")) {
			if (!(rc = num(v, &x, 1000, err, k)) && x > NOTE_VERSION)
				rc = pgt_fail(err, -EINVAL,
					      "image version %llu is newer than this pgtctl reads (%d)",
					      (unsigned long long)x, NOTE_VERSION);
			have |= 1;
		} else if (!strcmp(k, "format")) {
			n->fmt = pgt_format_find(v);
			if (!n->fmt)
				rc = pgt_fail(err, -EINVAL, "corrupt PGTCTL note: unknown format '%s'", v);
			have |= 2;
		} else if (!strcmp(k, "kernel")) {
			/* images written before kernels were recorded have none:
			 * they are the format's default kernel's */
			n->cfg.kernel = pgt_kernel_find(v);
			if (n->cfg.kernel == PGT_KERNEL_DEFAULT)
				rc = pgt_fail(err, -EINVAL, "corrupt PGTCTL note: unknown kernel '%s'", v);
		} else if (!strcmp(k, "ias")) {
			rc = num(v, &x, 64, err, k);
			n->cfg.ias = (unsigned)x;
			have |= 4;
		} else if (!strcmp(k, "oas")) {
			rc = num(v, &x, 64, err, k);
			n->cfg.oas = (unsigned)x;
			have |= 8;
		} else if (!strcmp(k, "pgsize_bitmap")) {
			rc = num(v, &n->cfg.pgsize_bitmap, UINT64_MAX, err, k);
			have |= 16;
		} else if (!strcmp(k, "quirks")) {
			rc = num(v, &n->cfg.quirks, UINT64_MAX, err, k);
		} else if (!strcmp(k, "coherent_walk")) {
			rc = num(v, &x, 1, err, k);
			n->cfg.coherent_walk = x;
		} else if (!strcmp(k, "cpu_page_size")) {
			rc = num(v, &n->cfg.cpu_page_size, 1ull << 30, err, k);
			uint64_t pg = n->cfg.cpu_page_size;
			if (!rc && (!pg || (pg & (pg - 1))))
				rc = pgt_fail(err, -EINVAL, "corrupt PGTCTL note: bad %s '%s'", k, v);
		} else if (!strncmp(k, "opt.", 4) || !strcmp(k, "amd_mode")) {
			/* the format's own options, once the format is known;
			 * amd_mode is how images before options spelt mode */
			if (n_opts == PGT_MAX_FORMAT_OPTIONS)
				rc = corrupt_note(err, "too many format options");
			else if (!(rc = num(v, &x, UINT32_MAX, err, k)))
				opts[n_opts++] = (struct opt){*k == 'o' ? k + 4 : "mode", (unsigned)x};
		} else if (!strcmp(k, "big_endian")) {
			rc = num(v, &x, 1, err, k);
			n->big_endian = x;
		} else if (!strcmp(k, "roots")) {
			char *rs = NULL;
			for (char *r = strtok_r((char *)v, ",", &rs); r && !rc;
			     r = strtok_r(NULL, ",", &rs)) {
				if (n->n_roots == PGT_MAX_ROOTS) {
					rc = corrupt_note(err, "too many roots");
					break;
				}
				rc = num(r, &n->roots[n->n_roots++], UINT64_MAX, err, "root");
			}
			have |= 32;
		}
	}
	if (!rc && have != 63)
		rc = corrupt_note(err, "a required key (pgtctl_image, format, ias, oas, pgsize_bitmap, "
			      "roots) is missing");
	for (unsigned i = 0; !rc && i < n_opts; i++)
		if ((rc = pgt_cfg_set_option(n->fmt, &n->cfg, opts[i].name, opts[i].value, err)))
			pgt_error_prefix(err, "corrupt PGTCTL note");
	free(text);
	return rc;
}

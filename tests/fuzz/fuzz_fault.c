// SPDX-License-Identifier: MIT
/*
 * Faults as users hand them over (src/fault): the input is a kernel log,
 * scanned line by line as `fault --log` does, and every fault found is
 * explained against a small table of each format its kind walks; its
 * first line, split into words, is also given as FIELD=VALUE arguments to
 * every kind, as `fault --kind` takes them.
 */
#include <string.h>

#include "fuzz.h"
#include "pgt/fault.h"
#include "pgt/pgt.h"

/* One small table per format: a few pages and a block, so that walks meet
 * leaves, empty slots and tables. Built once. */
static struct pgt_table *table_of(const struct pgt_format *fmt)
{
	static struct pgt_table *made[32];
	static const struct pgt_format *fmts[32];
	static unsigned n;
	for (unsigned i = 0; i < n; i++)
		if (fmts[i] == fmt)
			return made[i];
	if (n == 32)
		return NULL;
	struct pgt_cfg cfg;
	struct pgt_error err;
	struct pgt_table *t = NULL;
	pgt_cfg_init(&cfg);
	pgt_format_default_cfg(fmt, PGT_KERNEL_DEFAULT, &cfg);
	struct pgt_mem *arena = pgt_arena_new(0x80000000);
	if (!arena || pgt_table_create(fmt, &cfg, arena, &t, &err)) {
		pgt_mem_destroy(arena);
		t = NULL;
	} else {
		uint64_t page = pgt_table_cfg(t)->pgsize_bitmap & -pgt_table_cfg(t)->pgsize_bitmap;
		pgt_map(t, 0x1000000, 0x40000000, 4 * page, PGT_READ, 0, 0, &err);
		pgt_map(t, 0x2000000, 0x50000000, page, PGT_READ | PGT_WRITE | PGT_NOEXEC, 0, 0,
			&err);
	}
	fmts[n] = fmt;
	made[n++] = t;
	return t;
}

static void explain(const struct pgt_fault *f)
{
	for (const struct pgt_format *const *fmt = pgt_formats(); *fmt; fmt++) {
		if (!pgt_fault_kind_walks(f->kind, *fmt))
			continue;
		struct pgt_table *t = table_of(*fmt);
		if (!t)
			continue;
		struct pgt_fault_explanation x;
		pgt_fault_explain(t, f, &x);
		FUZZ_CHECK(x.verdict <= PGT_VERDICT_NOT_TABLE, "verdict %d", (int)x.verdict);
		FUZZ_CHECK(memchr(x.why, 0, sizeof(x.why)) && memchr(x.next, 0, sizeof(x.next)),
			   "an explanation is not terminated");
	}
}

static int on_found(void *ctx, const struct pgt_fault_found *found)
{
	unsigned long *lines = ctx;
	FUZZ_CHECK(found->line >= 1 && found->line <= *lines + 1, "fault on line %lu of %lu",
		   found->line, *lines);
	if (!found->error)
		explain(&found->fault);
	return 0;
}

/* The first line's words as FIELD=VALUE arguments of every kind. */
static void fields(const char *line)
{
	char buf[512], *args[16];
	unsigned n = 0;
	snprintf(buf, sizeof(buf), "%s", line);
	for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w && n < 16;
	     w = strtok_r(NULL, " \t", &save))
		args[n++] = w;
	for (const struct pgt_fault_kind *const *k = pgt_fault_kinds(); *k; k++) {
		struct pgt_fault f;
		struct pgt_error err;
		if (!pgt_fault_parse(*k, args, n, &f, &err))
			explain(&f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	unsigned long lines = 0;
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	struct pgt_fault_scanner *s = pgt_fault_scanner_new(on_found, &lines);
	FUZZ_CHECK(s, "no scanner");
	char *save = NULL, *first = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!first)
			first = line;
		pgt_fault_scan_line(s, line);
	}
	pgt_fault_scan_end(s);
	FUZZ_CHECK(pgt_fault_scanner_lines(s) <= lines + 1, "%lu lines scanned of %lu",
		   pgt_fault_scanner_lines(s), lines);
	pgt_fault_scanner_free(s);
	if (first)
		fields(first);
	free(text);
	return 0;
}

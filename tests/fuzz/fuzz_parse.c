// SPDX-License-Identifier: MIT
/*
 * The words and numbers users type (src/util/parse.c): every parser gets
 * the input as a string, and what the printers write must parse back to
 * the value printed, since dump --output yaml, info and the image note
 * print what the spec loader and the command line read.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"

static void number(const char *s)
{
	struct pgt_error err;
	uint64_t v, again;
	char b[24];
	if (pgt_parse_u64(s, &v, &err))
		return;
	FUZZ_CHECK(!pgt_parse_u64(pgt_fmt_size(v, b), &again, &err) && again == v,
		   "'%s' is 0x%llx, printed '%s': %s", s, (unsigned long long)v, b, err.msg);
}

static void prot(const char *s)
{
	struct pgt_error err;
	unsigned p, again;
	char letters[8];
	if (pgt_parse_prot(s, &p, &err))
		return;
	FUZZ_CHECK(!(p & ~PGT_PROT_ALL), "'%s' gives prot 0x%x", s, p);
	if (!p)
		return;
	FUZZ_CHECK(!pgt_parse_prot(pgt_prot_letters(p, letters), &again, &err) && again == p,
		   "prot 0x%x printed '%s' reads back as 0x%x", p, letters, again);
	const char *words[6];
	char list[64] = "";
	unsigned n = pgt_prot_words(p, words);
	for (unsigned i = 0; i < n; i++) {
		strcat(list, i ? "," : "");
		strcat(list, words[i]);
	}
	FUZZ_CHECK(!pgt_parse_prot(list, &again, &err) && again == p,
		   "prot 0x%x as words '%s' reads back as 0x%x", p, list, again);
}

static void quirks(const char *s)
{
	struct pgt_error err;
	uint64_t q, again;
	char buf[256];
	if (pgt_parse_quirks(s, &q, &err))
		return;
	/* bits without a name print as numbers, which a list does not take */
	for (uint64_t bit = 1; bit; bit <<= 1)
		if ((q & bit) && !pgt_quirk_name(bit))
			return;
	pgt_quirks_str(q, buf, sizeof(buf));
	FUZZ_CHECK(!pgt_parse_quirks(buf, &again, &err) && again == q,
		   "quirks 0x%llx printed '%s' read back as 0x%llx", (unsigned long long)q, buf,
		   (unsigned long long)again);
}

/* A list of sizes is the sizes of its words, each read as one number. */
static void pgsizes(const char *s)
{
	struct pgt_error err;
	uint64_t bm, want = 0;
	if (pgt_parse_pgsizes(s, &bm, &err) || !strpbrk(s, ",| KkMmGgTt"))
		return;
	char *copy = strdup(s), *save = NULL;
	if (!copy)
		abort();
	for (char *w = strtok_r(copy, ",| ", &save); w; w = strtok_r(NULL, ",| ", &save)) {
		uint64_t v;
		FUZZ_CHECK(!pgt_parse_u64(w, &v, &err), "'%s' accepted, but its word '%s' is not a "
			   "number", s, w);
		want |= v;
	}
	free(copy);
	FUZZ_CHECK(bm == want, "'%s' read as 0x%llx, its words give 0x%llx", s,
		   (unsigned long long)bm, (unsigned long long)want);
}

/* The printers, with the value and the buffer length from the input. */
static void printers(const uint8_t *data, size_t size)
{
	uint64_t v = 0;
	memcpy(&v, data, size < 8 ? size : 8);
	size_t len = 1 + (size > 8 ? data[8] : 255);
	char *buf = malloc(len);
	if (!buf)
		abort();
	pgt_quirks_str(v, buf, len);
	FUZZ_CHECK(strlen(buf) < len, "quirks string overflows");
	pgt_pgsizes_str(v, buf, len);
	FUZZ_CHECK(strlen(buf) < len, "page-size string overflows");
	free(buf);
	char b[24], letters[8];
	pgt_fmt_size(v, b);
	pgt_prot_letters((unsigned)v & PGT_PROT_ALL, letters);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct pgt_error err;
	bool yes;
	number(s);
	prot(s);
	pgt_prot_bit(s);
	quirks(s);
	pgsizes(s);
	pgt_parse_bool(s, &yes, &err);
	printers(data, size);
	free(s);
	return 0;
}

// SPDX-License-Identifier: MIT
/* Numbers, prot, quirks and page-size lists as users type them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "internal.h"

static void number(const char *s, int rc, uint64_t want)
{
	struct pgt_error err;
	uint64_t v = 0;
	int got = pgt_parse_u64(s, &v, &err);
	OK(got == rc && (rc || v == want), "number '%s' -> rc %d value 0x%llx", s, got,
	   (unsigned long long)v);
}

static void prot(const char *s, int rc, unsigned want)
{
	struct pgt_error err;
	unsigned v = 0;
	int got = pgt_parse_prot(s, &v, &err);
	OK(got == rc && (rc || v == want), "prot '%s' -> rc %d value 0x%x", s, got, v);
}

static void quirks(const char *s, int rc, uint64_t want)
{
	struct pgt_error err;
	uint64_t v = 0;
	int got = pgt_parse_quirks(s, &v, &err);
	OK(got == rc && (rc || v == want), "quirks '%s' -> rc %d value 0x%llx", s, got,
	   (unsigned long long)v);
}

/* "0x" and 1 to 16 digits of every kind, any case: the value strtoull
 * gives (the plain path takes the last 8 digits at once) */
static void hex_digits(void)
{
	static const char digit[] = "0123456789abcdefABCDEF";
	uint64_t x = 0x2545f4914f6cdd1dull;
	unsigned wrong = 0;
	for (unsigned i = 0; i < 200000; i++) {
		char s[24] = "0x";
		unsigned n = 1 + i % 16;
		for (unsigned k = 0; k < n; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			s[2 + k] = digit[x % 22];
		}
		s[2 + n] = 0;
		struct pgt_error err;
		uint64_t v = 0;
		if ((pgt_parse_u64(s, &v, &err) || v != strtoull(s, NULL, 16)) && wrong++ < 3)
			printf("# '%s' parses as 0x%llx\n", s, (unsigned long long)v);
	}
	EQ(wrong, 0, "200000 hex numbers of 1 to 16 digits parse as strtoull reads them");
}

int main(void)
{
	hex_digits();
	number("0x1000", 0, 0x1000);
	number("4096", 0, 4096);
	number("4K", 0, 4096);
	number("2M", 0, 2 << 20);
	number("1G", 0, 1ull << 30);
	number("1T", 0, 1ull << 40);
	/* the suffixes pgt_fmt_size() prints for AMD v1's largest pages */
	number("1P", 0, 1ull << 50);
	number("2E", 0, 2ull << 60);
	number("16E", -ERANGE, 0);
	number("4KiB", 0, 4096);
	number("0x8000_0000", 0, 0x80000000);
	number("0xffffffffffffffff", 0, ~0ull);
	number("0x10000000000000000", -ERANGE, 0);
	number("20000000T", -ERANGE, 0);
	number("", -EINVAL, 0);
	number("12Q", -EINVAL, 0);
	number("0x", -EINVAL, 0);
	number("-1", -EINVAL, 0);
	/* around the plain hex path (0x and up to 16 digits): what it leaves
	 * to the full parser parses as before */
	number("0XaBcD", 0, 0xabcd);
	number("0x0", 0, 0);
	number("0x00000000000000001", 0, 1);
	number("0x1ffffffffffffffff", -ERANGE, 0);
	number("0x10K", 0, 0x4000);
	number("0x10 ", 0, 0x10);
	number("0x1z", -EINVAL, 0);
	number("0x_1", -EINVAL, 0);

	prot("rw", 0, 3);
	prot("rwcxmp", 0, 0x3f);
	prot("read,write", 0, 3);
	prot("read|noexec|priv", 0, 1 | 8 | 32);
	prot("r", 0, 1);
	prot("READ", 0, 1);
	prot("rq", -EINVAL, 0);
	prot("readwrite", -EINVAL, 0);
	prot("", -EINVAL, 0);

	quirks("arm-ns", 0, 1);
	quirks("arm-ns,arm-ttbr1", 0, 1 | 32);
	quirks("ARM_HD", 0, 128);
	quirks("IO_PGTABLE_QUIRK_ARM_OUTER_WBWA", 0, 64);
	quirks("0x21", 0, 0x21);
	quirks("none", 0, 0);
	quirks("arm-nope", -EINVAL, 0);

	struct pgt_error err;
	uint64_t bm;
	OK(!pgt_parse_pgsizes("4K,2M,1G", &bm, &err) && bm == 0x40201000, "pgsizes list");
	OK(!pgt_parse_pgsizes("0x40201000", &bm, &err) && bm == 0x40201000, "pgsizes bitmap");
	OK(pgt_parse_pgsizes("4K,3K", &bm, &err) == -EINVAL, "pgsizes must be powers of two");
	/* "8", 70 tabs (blanks to parse_u64, not separators), "K": a word
	 * too long for the parser's buffer, which cut short read as 8 */
	char tabs[80];
	memset(tabs, '\t', sizeof(tabs));
	tabs[0] = '8';
	tabs[71] = 'K';
	tabs[72] = 0;
	OK(pgt_parse_pgsizes(tabs, &bm, &err) == -EINVAL,
	   "pgsizes: an overlong word is refused, not cut short");

	char b[64];
	OK(!strcmp(pgt_quirks_str(0x21, b, sizeof(b)), "arm-ns,arm-ttbr1"), "quirk names");
	OK(!strcmp(pgt_fmt_size(0x200000, b), "2M") && !strcmp(pgt_fmt_size(0x3000, b), "12K") &&
		   !strcmp(pgt_fmt_size(0x1234, b), "0x1234"),
	   "size printing");
	static const struct {
		uint64_t size;
		const char *text;
	} sizes[] = {{0, "0"},	      {1, "0x1"},	  {0x200, "0x200"},  {0x400, "1K"},
		     {0x800, "2K"},   {0xc0000000, "3G"}, {1ull << 40, "1T"}, {1ull << 50, "1P"},
		     {3ull << 60, "3E"}, {1ull << 63, "8E"}, {0x1000000000000001ull, "0x1000000000000001"}};
	bool all = true;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		bool same = !strcmp(pgt_fmt_size(sizes[i].size, b), sizes[i].text);
		if (!same)
			printf("# 0x%llx: %s, want %s\n", (unsigned long long)sizes[i].size, b,
			       sizes[i].text);
		all &= same;
	}
	OK(all, "sizes in their largest whole unit, else hex");
	OK(!strcmp(pgt_prot_letters(PGT_READ | PGT_NOEXEC, b), "rx"), "prot letters");

	/* lists for messages: the separator between words only, and a list
	 * longer than its buffer cut at the buffer, terminated */
	char l[12] = "";
	pgt_join(l, sizeof(l), ", ", "a");
	pgt_join(l, sizeof(l), ", ", "bc");
	OK(!strcmp(l, "a, bc"), "join: separator between words, not before the first");
	pgt_join(l, sizeof(l), ", ", "defghij");
	pgt_join(l, sizeof(l), ", ", "k");
	OK(!strcmp(l, "a, bc, defg") && strlen(l) == sizeof(l) - 1, "join: cut at the buffer's end");
	char guard[4] = {'x', 'x', 'x', 'x'};
	pgt_join(guard, 3, ",", "y"); /* not a string within its length: untouched */
	OK(!memcmp(guard, "xxxx", 4), "join: a buffer without a terminator is left alone");
	return t_done();
}

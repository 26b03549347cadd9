// SPDX-License-Identifier: MIT
/*
 * The output layer's hand-written printf (src/cli/format.c) prints what
 * printf prints: every format and value below through out_vformat,
 * out_format_value and out_format_string against vsnprintf (and the
 * digits of digits_hex_min and digits_dec), formats taken
 * apart and found again (also at a reused address with other bytes), and
 * a buffer too small refused without a byte written past it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#include "cli/format.c"

static unsigned mismatches;

static void against_printf(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void against_printf(const char *what, const char *fmt, ...)
{
	char want[512], got[512];
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	vsnprintf(want, sizeof(want), fmt, ap);
	memset(got, 0, sizeof(got));
	int n = out_vformat(got, sizeof(got) - 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (n < 0 || (size_t)n != strlen(want) || memcmp(got, want, (size_t)n)) {
		if (mismatches++ < 5)
			printf("# %s: format \"%s\": printf \"%s\", got %d \"%.*s\"\n", what, fmt, want,
			       n, n > 0 ? n : 0, got);
	}
}

static char buf_for_p[1];

/* out_vformat says -1 for a format only printf knows, so its caller asks
 * printf. */
static bool left_to_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool left_to_printf(const char *fmt, ...)
{
	char got[256];
	va_list ap;
	va_start(ap, fmt);
	int n = out_vformat(got, sizeof(got), fmt, ap);
	va_end(ap);
	return n < 0;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void numbers(void)
{
	static const char *const ufmts[] = {"%llx", "0x%llx", "0x%016llx", "%llu", "L%llu ",
					    "%5llu|", "%-6llx|", "%lX", "%lu", " -> 0x%llx",
					    "%08llx", "%-08llu", "%zu", "%zx"};
	static const char *const ifmts[] = {"%lld", "%5lld|", "%-5lld|", "%i", "%d", "%3d"};
	static const unsigned long long uv[] = {
		0, 1, 9, 10, 15, 16, 99, 255, 256, 4095, 0x80000000ull, 0xffffffffull,
		0x100000000ull, 0x123456789abcdefull, 0xfedcba9876543210ull, ~0ull};
	static const long long iv[] = {0, 1, -1, 9, -10, 2147483647, -2147483647 - 1,
				       (long long)(~0ull >> 1), -(long long)(~0ull >> 1) - 1};
	mismatches = 0;
	for (unsigned f = 0; f < sizeof(ufmts) / sizeof(*ufmts); f++)
		for (unsigned i = 0; i < sizeof(uv) / sizeof(*uv); i++) {
			if (strstr(ufmts[f], "ll"))
				against_printf("unsigned", ufmts[f], uv[i]);
			else
				against_printf("unsigned", ufmts[f], (unsigned long)uv[i]);
			char want[128], got[128];
			snprintf(want, sizeof(want), ufmts[f], uv[i]);
			int n = out_format_value(got, sizeof(got), ufmts[f], uv[i], false);
			if (n < 0 || strncmp(got, want, (size_t)n) || (size_t)n != strlen(want))
				if (mismatches++ < 5)
					printf("# value: \"%s\" of 0x%llx: want \"%s\"\n", ufmts[f],
					       uv[i], want);
		}
	for (unsigned f = 0; f < sizeof(ifmts) / sizeof(*ifmts); f++)
		for (unsigned i = 0; i < sizeof(iv) / sizeof(*iv); i++) {
			if (strstr(ifmts[f], "ll"))
				against_printf("signed", ifmts[f], iv[i]);
			else if ((int)iv[i] == iv[i])
				against_printf("signed", ifmts[f], (int)iv[i]);
		}
	OK(!mismatches, "integers: %u formats, as printf prints them",
	   (unsigned)(sizeof(ufmts) / sizeof(*ufmts) + sizeof(ifmts) / sizeof(*ifmts)));
	mismatches = 0;
	for (unsigned i = 0; i < sizeof(uv) / sizeof(*uv); i++) {
		char want[64], got[64];
		for (unsigned min = 0; min <= 16; min++) {
			snprintf(want, sizeof(want), "%0*llx", (int)min, uv[i]);
			char *end = digits_hex_min(got, uv[i], min);
			if ((size_t)(end - got) != strlen(want) || memcmp(got, want, strlen(want)))
				if (mismatches++ < 5)
					printf("# digits_hex_min(0x%llx, %u): want \"%s\"\n", uv[i], min, want);
		}
		snprintf(want, sizeof(want), "%llu", uv[i]);
		char *end = digits_dec(got, uv[i]);
		if ((size_t)(end - got) != strlen(want) || memcmp(got, want, strlen(want)))
			if (mismatches++ < 5)
				printf("# digits_dec(%llu)\n", uv[i]);
	}
	OK(!mismatches, "digits_hex_min and digits_dec: printf's %%0*llx and %%llu");
}

static void strings(void)
{
	static const char *const sfmts[] = {"%s", "  %s", "%-10s|", "%6s|", "%-4s", "[%s]\n",
					    "%c", "%3c|", "%-3c|"};
	static const char *const sv[] = {"", "r", "rw", "rwcx", "4K", "a longer string here"};
	mismatches = 0;
	for (unsigned f = 0; f < sizeof(sfmts) / sizeof(*sfmts); f++)
		for (unsigned i = 0; i < sizeof(sv) / sizeof(*sv); i++) {
			if (strchr(sfmts[f], 'c'))
				against_printf("char", sfmts[f], sv[i][0] ? sv[i][0] : 'z');
			else
				against_printf("string", sfmts[f], sv[i]);
			if (strchr(sfmts[f], 'c'))
				continue;
			char want[128], got[128];
			snprintf(want, sizeof(want), sfmts[f], sv[i]);
			int n = out_format_string(got, sizeof(got), sfmts[f], sv[i]);
			if (n < 0 || (size_t)n != strlen(want) || strncmp(got, want, (size_t)n))
				if (mismatches++ < 5)
					printf("# string: \"%s\" of \"%s\"\n", sfmts[f], sv[i]);
		}
	OK(!mismatches, "strings and characters, as printf prints them");
}

static void several(void)
{
	mismatches = 0;
	/* twice: taken apart the first time, found again the second */
	for (unsigned k = 0; k < 2; k++)
		against_printf("several", "0x%llx -> 0x%llx  %s  L%u  %s  desc 0x%016llx\n",
			       0x1c386bbc4ull + k, 0x40c386bbc4ull, k ? "2M" : "4K", 3u - k, "rw",
			       0x00000040c386be43ull);
	against_printf("eight", "%d%d%d%d%d%d%d%d", 1, 2, 3, 4, 5, 6, 7, 8);
	against_printf("nine", "%d,%d,%d,%d,%d,%d,%d,%d,%llx", 1, 2, 3, 4, 5, 6, 7, 8, 0xfull);
	against_printf("widths", "[%-6s|%5llu|%08llx|%c]", "ab", 42ull, 0xbeefull, 'z');
	against_printf("star", "%*s|%s", 6, "", "x");
	against_printf("star", "%*s|", -4, "ab");
	against_printf("percent", "100%% of %llu", 5ull);
	against_printf("literal", "no conversion at all\n");
	OK(!mismatches, "several conversions, %%, * and literal text, as printf prints them");
	OK(left_to_printf("%.3f s", 1.5) && left_to_printf("%.2s|", "abc") &&
		   left_to_printf("%#llx", 255ull) && left_to_printf("%+d", 7) &&
		   left_to_printf("%p", (void *)buf_for_p),
	   "floating point, precision and other flags are left to printf");
}

/* The same buffer at the same address with other bytes is not mistaken
 * for the format it held before. */
static void reused_address(void)
{
	char fmt[32], got[64];
	strcpy(fmt, "a=%llx;");
	int n1 = out_format_value(got, sizeof(got), fmt, 0xab, false);
	bool first = n1 == 5 && !memcmp(got, "a=ab;", 5);
	strcpy(fmt, "bb %llu!");
	int n2 = out_format_value(got, sizeof(got), fmt, 12, false);
	OK(first && n2 == 6 && !memcmp(got, "bb 12!", 6),
	   "a buffer reused for another format prints the new one");
}

static int several_into(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int several_into(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = out_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void too_small(void)
{
	char buf[64];
	memset(buf, 'X', sizeof(buf));
	int n = out_format_value(buf, 8, "value 0x%016llx", 1, false);
	bool untouched = true;
	for (size_t i = 8; i < sizeof(buf); i++)
		untouched &= buf[i] == 'X';
	OK(n < 0 && untouched, "a buffer too small: refused, nothing written past it");
	char small[4];
	OK(out_format_string(small, sizeof(small), "%s", "longer than four") < 0,
	   "a string that does not fit is refused");
	for (size_t size = 0; size < 40; size++) {
		char want[64];
		int len = snprintf(want, sizeof(want), "%s=%llx %s", "key", 0x1234ull, "tail");
		memset(buf, 'X', sizeof(buf));
		int got_n = several_into(buf, size, "%s=%llx %s", "key", 0x1234ull, "tail");
		untouched = true;
		for (size_t i = size; i < sizeof(buf); i++)
			untouched &= buf[i] == 'X';
		if (!untouched || (got_n >= 0 && (got_n != len || memcmp(buf, want, (size_t)len)))) {
			OK(0, "several conversions in %zu bytes: %d, %s", size, got_n,
			   untouched ? "wrong text" : "written past the end");
			return;
		}
	}
	OK(1, "several conversions in too small a buffer: refused, nothing written past it");
}
#pragma GCC diagnostic pop

int main(void)
{
	numbers();
	strings();
	several();
	reused_address();
	too_small();
	return t_done();
}

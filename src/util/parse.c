// SPDX-License-Identifier: MIT
/* Numbers, sizes, prot flags, quirks and page-size lists as users write them. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static int not_a_number(const char *s, struct pgt_error *err)
{
	return pgt_fail(err, -EINVAL, "'%s' is not a number (hex 0x..., decimal, suffixes K M G T P E)",
			s);
}

/* Digit values plus one, 0 for what is not a hex digit: a table, not
 * ctype's calls or a branch per kind of digit, which mispredicts on random
 * hex (translate - reads a million numbers), and one test a character. */
static const uint8_t digit_value1[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,	['6'] = 7,
	['7'] = 8,  ['8'] = 9,	['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
	['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
	['F'] = 16,
};

/* The value of c as a digit of base 10 or 16, or -1. */
static int digit(char c, unsigned base)
{
	unsigned v = digit_value1[(unsigned char)c];
	return v && v - 1 < base ? (int)v - 1 : -1;
}

/* "0x" and 1 to 16 hex digits, nothing else (what translate - reads a
 * million of): true and *out; false for anything the full parser must
 * see. No digit can overflow, so there is no check per digit. */
static bool plain_hex(const char *p, uint64_t *out)
{
	if (p[0] != '0' || (p[1] | 0x20) != 'x')
		return false;
	p += 2;
	unsigned n = 0;
	while (n <= 16 && digit_value1[(unsigned char)p[n]])
		n++;
	if (!n || n > 16 || p[n])
		return false;
	uint64_t v = 0;
	unsigned i = 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* the last 8 digits at once: each byte its value ('0'-'9' have bit 6
	 * clear; 'a'-'f' and 'A'-'F' set, and 9 more than their low nibble),
	 * then the nibbles gathered pairwise, most significant (first) high */
	if (n >= 8) {
		uint64_t x;
		memcpy(&x, p + n - 8, 8);
		x = (x & 0x0f0f0f0f0f0f0f0full) + ((x >> 6) & 0x0101010101010101ull) * 9;
		x = (x & 0x000f000f000f000full) << 4 | (x >> 8 & 0x000f000f000f000full);
		x = (x & 0x000000ff000000ffull) << 8 | (x >> 16 & 0x000000ff000000ffull);
		x = (x & 0xffff) << 16 | (x >> 32 & 0xffff);
		for (; i < n - 8; i++)
			v = v << 4 | (digit_value1[(unsigned char)p[i]] - 1u);
		*out = v << 32 | x;
		return true;
	}
#endif
	for (; i < n; i++)
		v = v << 4 | (digit_value1[(unsigned char)p[i]] - 1u);
	*out = v;
	return true;
}

int pgt_parse_u64(const char *s, uint64_t *out, struct pgt_error *err)
{
	const char *p = s;
	unsigned base = 10;
	uint64_t v = 0;
	bool digits = false;

	if (plain_hex(s, out))
		return 0;
	while (isspace((unsigned char)*p))
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p; p++) {
		int d = digit(*p, base);
		if (*p == '_' && digits)
			continue;
		if (d < 0)
			break;
		/* constant divisors: a division by base costs more than the rest */
		uint64_t room = UINT64_MAX - (uint64_t)d;
		if (v > (base == 16 ? room >> 4 : room / 10))
			return pgt_fail(err, -ERANGE, "'%s' does not fit in 64 bits", s);
		v = v * base + (uint64_t)d;
		digits = true;
	}
	if (!digits)
		return not_a_number(s, err);
	if (!*p) {
		*out = v;
		return 0;
	}
	unsigned shift = 0;
	switch (toupper((unsigned char)*p)) {
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	/* pgt_fmt_size() prints AMD v1's 1P and 2P pages this way, and what
	 * dump --output yaml prints must read back */
	case 'P':
		shift = 50;
		break;
	case 'E':
		shift = 60;
		break;
	}
	if (shift) {
		p++;
		if (!strcasecmp(p, "ib") || !strcasecmp(p, "b"))
			p += strlen(p);
		if (v > (UINT64_MAX >> shift))
			return pgt_fail(err, -ERANGE, "'%s' does not fit in 64 bits", s);
		v <<= shift;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return not_a_number(s, err);
	*out = v;
	return 0;
}

int pgt_parse_pow2(const char *s, uint64_t *out, struct pgt_error *err)
{
	int rc = pgt_parse_u64(s, out, err);
	if (rc)
		return rc;
	if (!*out || (*out & (*out - 1)))
		return pgt_fail(err, -EINVAL, "'%s' is not a power of two", s);
	return 0;
}

static const char *const prot_words[7] = {"read", "write", "cache", "noexec", "mmio", "priv", NULL};

const char *const *pgt_prot_names(void)
{
	return prot_words;
}

static const char prot_letters[] = "rwcxmp";

int pgt_prot_bit(const char *word)
{
	for (unsigned i = 0; i < 6; i++) {
		if (!strcasecmp(word, prot_words[i]))
			return 1 << i;
		if (word[0] == prot_letters[i] && !word[1])
			return 1 << i;
	}
	return -1;
}

static int bad_prot(const char *s, struct pgt_error *err)
{
	return pgt_fail(err, -EINVAL,
			"'%s' is not a prot (letters r w c x m p, or words read, write, cache, "
			"noexec, mmio, priv)",
			s);
}

int pgt_parse_prot(const char *s, unsigned *out, struct pgt_error *err)
{
	unsigned prot = 0;
	if (*s && strspn(s, prot_letters) == strlen(s)) {
		for (const char *p = s; *p; p++)
			prot |= 1u << (strchr(prot_letters, *p) - prot_letters);
		*out = prot;
		return 0;
	}
	char word[32];
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ",| ");
		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(word))
			return bad_prot(s, err);
		memcpy(word, p, n);
		word[n] = 0;
		int bit = pgt_prot_bit(word);
		if (bit < 0)
			return bad_prot(s, err);
		prot |= (unsigned)bit;
		p += n;
	}
	if (!prot) /* an empty list: no map_pages makes such a leaf */
		return bad_prot(s, err);
	*out = prot;
	return 0;
}

const char *pgt_prot_letters(unsigned prot, char buf[8])
{
	unsigned n = 0;
	for (unsigned i = 0; i < 6; i++)
		if (prot & (1u << i))
			buf[n++] = prot_letters[i];
	if (!n)
		buf[n++] = '-';
	buf[n] = 0;
	return buf;
}

unsigned pgt_prot_words(unsigned prot, const char *words[6])
{
	unsigned n = 0;
	for (unsigned i = 0; i < 6; i++)
		if (prot & (1u << i))
			words[n++] = prot_words[i];
	return n;
}

/* Index = bit number; NULL where the kernel has no quirk. Bits 32 on are
 * generic_pt's features (PGT_QUIRK_PT). */
static const char *const quirk_by_bit[] = {
	"arm-ns", "no-perms", NULL, "arm-mtk-ext", "arm-mtk-ttbr-ext", "arm-ttbr1",
	"arm-outer-wbwa", "arm-hd", "arm-s2fwb", "no-warn",
	[32 + PGT_PT_SIGN_EXTEND] = "sign-extend",
	[32 + PGT_PT_FULL_VA] = "full-va",
	[32 + PGT_PT_DYNAMIC_TOP] = "dynamic-top",
	[32 + PGT_PT_FLUSH_RANGE] = "flush-range",
	[32 + PGT_PT_FLUSH_RANGE_NO_GAPS] = "flush-range-no-gaps",
	[32 + PGT_PT_DETAILED_GATHER] = "detailed-gather",
	[32 + PGT_PT_AMDV1_ENCRYPT_TABLES] = "amdv1-encrypt-tables",
	[32 + PGT_PT_AMDV1_FORCE_COHERENCE] = "amdv1-force-coherence",
	[32 + PGT_PT_VTDSS_FORCE_COHERENCE] = "vtdss-force-coherence",
	[32 + PGT_PT_VTDSS_FORCE_WRITEABLE] = "vtdss-force-writeable",
	[32 + PGT_PT_RISCV_SVNAPOT_64K] = "riscv-svnapot-64k",
	[32 + PGT_PT_RISCV_SVPBMT] = "riscv-svpbmt",
	[32 + PGT_PT_X86_64_AMD_ENCRYPT_TABLES] = "x86-64-amd-encrypt-tables",
};
#define N_QUIRK_BITS (sizeof(quirk_by_bit) / sizeof(quirk_by_bit[0]))

static const char *const quirk_names[] = {
	"arm-ns", "no-perms", "arm-mtk-ext", "arm-mtk-ttbr-ext", "arm-ttbr1",
	"arm-outer-wbwa", "arm-hd", "arm-s2fwb", "no-warn", "sign-extend", "full-va",
	"dynamic-top", "flush-range", "flush-range-no-gaps", "detailed-gather",
	"amdv1-encrypt-tables", "amdv1-force-coherence", "vtdss-force-coherence",
	"vtdss-force-writeable", "riscv-svnapot-64k", "riscv-svpbmt",
	"x86-64-amd-encrypt-tables", NULL,
};

const char *const *pgt_quirk_names(void)
{
	return quirk_names;
}

const char *pgt_quirk_name(uint64_t bit)
{
	if (!bit || (bit & (bit - 1)))
		return NULL;
	unsigned i = (unsigned)__builtin_ctzll(bit);
	return i < N_QUIRK_BITS ? quirk_by_bit[i] : NULL;
}

/* Accept arm-ns, arm_ns, ARM_NS and IO_PGTABLE_QUIRK_ARM_NS; sign-extend
 * and PT_FEAT_SIGN_EXTEND. */
static int quirk_bit(const char *word)
{
	char norm[64];
	size_t n = 0;
	if (!strncasecmp(word, "io_pgtable_quirk_", 17))
		word += 17;
	else if (!strncasecmp(word, "pt_feat_", 8))
		word += 8;
	for (; *word && n + 1 < sizeof(norm); word++)
		norm[n++] = *word == '_' ? '-' : (char)tolower((unsigned char)*word);
	norm[n] = 0;
	for (unsigned i = 0; i < N_QUIRK_BITS; i++)
		if (quirk_by_bit[i] && !strcmp(norm, quirk_by_bit[i]))
			return (int)i;
	return -1;
}

static const char *all_quirks(char *buf, size_t len)
{
	buf[0] = 0;
	for (const char *const *q = quirk_names; *q; q++)
		pgt_join(buf, len, ", ", *q);
	return buf;
}

int pgt_parse_quirks(const char *s, uint64_t *out, struct pgt_error *err)
{
	uint64_t q = 0;
	char valid[512];
	if (isdigit((unsigned char)*s))
		return pgt_parse_u64(s, out, err);
	char word[64];
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ",| ");
		if (!n) {
			p++;
			continue;
		}
		if (n >= sizeof(word))
			n = sizeof(word) - 1;
		memcpy(word, p, n);
		word[n] = 0;
		int bit = quirk_bit(word);
		if (bit < 0 && strcasecmp(word, "none"))
			return pgt_fail(err, -EINVAL,
					"unknown quirk '%s' (valid: %s, or a number)", word,
					all_quirks(valid, sizeof(valid)));
		if (bit >= 0)
			q |= 1ull << bit;
		p += strcspn(p, ",| ");
	}
	*out = q;
	return 0;
}

const char *pgt_quirks_str(uint64_t quirks, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	if (!quirks) {
		snprintf(buf, len, "none");
		return buf;
	}
	for (unsigned i = 0; i < 64; i++) {
		uint64_t bit = 1ull << i;
		if (!(quirks & bit))
			continue;
		const char *name = pgt_quirk_name(bit);
		char num[24];
		if (!name) {
			snprintf(num, sizeof(num), "0x%llx", (unsigned long long)bit);
			name = num;
		}
		int w = snprintf(buf + used, len - used, "%s%s", used ? "," : "", name);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

int pgt_parse_pgsizes(const char *s, uint64_t *out, struct pgt_error *err)
{
	uint64_t bm = 0;
	if (!strpbrk(s, ",| ") && !strpbrk(s, "KkMmGgTt"))
		return pgt_parse_u64(s, out, err);
	char word[64];
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ",| ");
		if (!n) {
			p++;
			continue;
		}
		/* Refused, not cut short: a cut word can read as another size
		 * ("8" and 60 blanks and "K" would read as 8). */
		if (n >= sizeof(word))
			return pgt_fail(err, -EINVAL, "page size '%.*s...' is too long to be one",
					20, p);
		memcpy(word, p, n);
		word[n] = 0;
		uint64_t v;
		int rc = pgt_parse_pow2(word, &v, err);
		if (rc)
			return rc;
		bm |= v;
		p += strcspn(p, ",| ");
	}
	*out = bm;
	return 0;
}

/* By hand, not snprintf: dump and translate print one per line. */
const char *pgt_fmt_size(uint64_t size, char buf[24])
{
	static const char units[] = "KMGTPE";
	char tmp[24], *p = tmp + sizeof(tmp);
	*--p = 0;
	/* the largest unit (1024^u) the size is a multiple of */
	unsigned u = size ? (unsigned)__builtin_ctzll(size) / 10 : 0;
	if (u > 6)
		u = 6;
	if (u) {
		*--p = units[u - 1];
		size >>= 10 * u;
	}
	bool hex = !u && size;
	do {
		*--p = "0123456789abcdef"[hex ? size & 15 : size % 10];
		size = hex ? size >> 4 : size / 10;
	} while (size);
	if (hex) {
		*--p = 'x';
		*--p = '0';
	}
	memcpy(buf, p, (size_t)(tmp + sizeof(tmp) - p));
	return buf;
}

const char *pgt_pgsizes_str(uint64_t bitmap, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < 64; i++) {
		if (!(bitmap & (1ull << i)))
			continue;
		/* three or more sizes in a row read better as a range */
		unsigned j = i;
		while (j + 1 < 64 && (bitmap & (1ull << (j + 1))))
			j++;
		char a[24], b[24];
		int w;
		if (j >= i + 2)
			w = snprintf(buf + used, len - used, "%s%s..%s", used ? " " : "",
				     pgt_fmt_size(1ull << i, a), pgt_fmt_size(1ull << j, b));
		else
			w = snprintf(buf + used, len - used, "%s%s", used ? " " : "",
				     pgt_fmt_size(1ull << i, a));
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
		if (j >= i + 2)
			i = j;
	}
	return buf;
}

int pgt_parse_bool(const char *s, bool *out, struct pgt_error *err)
{
	static const char *const yes[] = {"yes", "true", "1", "on"};
	static const char *const no[] = {"no", "false", "0", "off"};
	for (unsigned i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return pgt_fail(err, -EINVAL, "'%s' is not yes or no", s);
}

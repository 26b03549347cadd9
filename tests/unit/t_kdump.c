// SPDX-License-Identifier: MIT
/*
 * The kdump reader against dumps of a known memory image: every
 * compression, plain and flattened, excluded pages, both byte orders, the
 * 32-bit layout, split dumps; a flattened file against makedumpfile -R's
 * reassembly of it; QEMU's own dump-guest-memory -z output against its ELF
 * dump of the same guest; damaged dumps, which must be refused or fail to
 * read, never crash (run under ASan by make check SANITIZE=1); and the
 * time to open a mostly-excluded 16 GiB dump and read a page from it.
 */
#include <dirent.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"
#include "pgt/mem.h"
#include "tools/kdumpgen.h"

extern char **environ;

static char dir[64];
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *tmp(const char *name)
{
	/* a ring of names: each lives for the next fifteen calls */
	static char buf[16][128];
	static unsigned k;
	char *p = buf[k++ % 16];
	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

/* Pages of every kind a dump holds: zero (shared), random (stored raw),
 * text (compressed), half zero (compressed well). */
static void fill(uint8_t *m, uint64_t n_pages, uint64_t bs)
{
	for (uint64_t i = 0; i < n_pages; i++) {
		uint8_t *p = m + i * bs;
		switch (i % 7) {
		case 0:
		case 4:
			memset(p, 0, bs);
			break;
		case 2:
		case 5:
			for (uint64_t j = 0; j < bs; j += 8) {
				uint64_t v = rnd();
				memcpy(p + j, &v, 8);
			}
			break;
		default:
			for (uint64_t j = 0; j < bs; j++)
				p[j] = (uint8_t)("pgtctl kdump page "[j % 18] + (j / 18 == i % 64) * 7);
			memcpy(p, &i, sizeof(i));
			if (i % 7 == 6)
				memset(p + bs / 2, 0, bs / 2);
		}
	}
}

static bool excluded(const struct kdumpgen *g, uint64_t pfn)
{
	for (size_t i = 0; i < g->n_exclude; i++)
		if (pfn >= g->exclude[i].pfn && pfn < g->exclude[i].pfn + g->exclude[i].n)
			return true;
	return false;
}

struct image {
	const uint8_t *mem;
	uint64_t len, base, bs;
};

static bool expect_dumped(const struct image *im, const struct kdumpgen *g, uint64_t pfn)
{
	uint64_t first = im->base / im->bs, end = (im->base + im->len + im->bs - 1) / im->bs;
	if (pfn < first || pfn >= end || excluded(g, pfn))
		return false;
	return !g->split || (pfn >= g->split_start && pfn < g->split_end);
}

/* The bytes at pa as the image has them (zero past its end). */
static void expect_bytes(const struct image *im, uint64_t pa, uint8_t *out, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++) {
		uint64_t a = pa + i;
		out[i] = a >= im->base && a - im->base < im->len ? im->mem[a - im->base] : 0;
	}
}

static size_t expect_ranges(const struct image *im, const struct kdumpgen *g,
			    struct pgt_mem_range *out, size_t max)
{
	size_t n = 0;
	uint64_t end = (im->base + im->len + im->bs - 1) / im->bs;
	for (uint64_t pfn = 0; pfn < end + 1; pfn++) {
		if (!expect_dumped(im, g, pfn))
			continue;
		if (n && out[n - 1].pa + out[n - 1].len == pfn * im->bs)
			out[n - 1].len += im->bs;
		else if (n < max)
			out[n++] = (struct pgt_mem_range){pfn * im->bs, im->bs};
	}
	return n;
}

/* Everything the dump should say about the image, checked through mem. */
static void check_mem(struct pgt_mem *m, const struct image *im, const struct kdumpgen *g,
		      const struct kdumpgen_info *inf, const char *what)
{
	uint64_t bs = im->bs, first = im->base / bs, end = (im->base + im->len + bs - 1) / bs;
	uint8_t *got = malloc(4 * bs), *want = malloc(4 * bs);
	unsigned bad_bytes = 0, bad_excluded = 0, n_ptr = 0;
	uint64_t n_dumped = 0;
	for (uint64_t pfn = first > 2 ? first - 2 : 0; pfn < end + 3; pfn++) {
		int rc = pgt_mem_read(m, pfn * bs, got, bs);
		if (!expect_dumped(im, g, pfn)) {
			bad_excluded += rc != -ENODATA;
			continue;
		}
		n_dumped++;
		expect_bytes(im, pfn * bs, want, bs);
		bad_bytes += rc || memcmp(got, want, bs);
		n_ptr += pgt_mem_ptr(m, pfn * bs + 8, bs - 8) != NULL;
	}
	OK(!bad_bytes && !bad_excluded, "%s: %llu dumped pages read back, the others -ENODATA "
	   "(%u wrong, %u not -ENODATA)",
	   what, (unsigned long long)n_dumped, bad_bytes, bad_excluded);
	if (inf)
		EQ(n_dumped, inf->n_dumped, "%s: as many pages as the generator dumped", what);
	/* the file is read, never mapped: no pointer into it is handed out */
	EQ(n_ptr, 0, "%s: ptr() gives no pointer into the file", what);

	/* reads at odd places across page boundaries, through the cache */
	unsigned bad_span = 0, spans = 0;
	for (int i = 0; i < 300; i++) {
		uint64_t pa = im->base + rnd() % (im->len + bs), len = 1 + rnd() % (3 * bs);
		int rc = pgt_mem_read(m, pa, got, len);
		bool all = true;
		for (uint64_t p = pa / bs; p <= (pa + len - 1) / bs; p++)
			all = all && expect_dumped(im, g, p);
		expect_bytes(im, pa, want, len);
		if (all) {
			spans++;
			bad_span += rc || memcmp(got, want, len);
		} else {
			bad_span += rc != -ENODATA;
		}
	}
	OK(!bad_span, "%s: %u reads spanning pages match, the rest -ENODATA (%u wrong)", what,
	   spans, bad_span);

	struct pgt_mem_range r[64], e[64];
	size_t nr = pgt_mem_ranges(m, r, 64), ne = expect_ranges(im, g, e, 64);
	bool same = nr == ne && !memcmp(r, e, (nr < 64 ? nr : 64) * sizeof(*r));
	OK(same, "%s: ranges() lists the %zu dumped runs", what, ne);
	if (!same)
		for (size_t i = 0; i < nr && i < 64; i++)
			printf("#   range 0x%llx + 0x%llx\n", (unsigned long long)r[i].pa,
			       (unsigned long long)r[i].len);
	free(got);
	free(want);
}

static int run(const char *const argv[], const char *in, const char *out)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in ? in : "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int st = -1;
	if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) == 0)
		waitpid(pid, &st, 0);
	posix_spawn_file_actions_destroy(&fa);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *find_tool(const char *name)
{
	static char buf[4][256];
	static unsigned k;
	char *out = buf[k++ % 4];
	const char *path = getenv("PATH");
	char dirs[1024];
	snprintf(dirs, sizeof(dirs), "%s:/usr/sbin:/sbin:/usr/bin", path ? path : "");
	for (char *save, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(out, sizeof(buf[0]), "%s/%s", d, name);
		if (!access(out, X_OK))
			return out;
	}
	return NULL;
}

static const char *makedumpfile;

/* makedumpfile -R FLAT: the file the flattened stream stands for. */
static bool reassemble(const char *flat, const char *out)
{
	unlink(out);
	const char *argv[] = {makedumpfile, "-R", out, NULL};
	return makedumpfile && run(argv, flat, NULL) == 0;
}

/* The same bytes, excluded pages and ranges through two memories. */
static void same_mem(struct pgt_mem *a, struct pgt_mem *b, const char *what)
{
	struct pgt_mem_range ra[64], rb[64];
	size_t na = pgt_mem_ranges(a, ra, 64), nb = pgt_mem_ranges(b, rb, 64);
	bool ok = na == nb && na <= 64 && !memcmp(ra, rb, na * sizeof(*ra));
	uint8_t x[4096], y[4096];
	uint64_t bytes = 0;
	for (size_t i = 0; ok && i < na; i++)
		for (uint64_t off = 0; ok && off < ra[i].len; off += sizeof(x)) {
			uint64_t n = ra[i].len - off < sizeof(x) ? ra[i].len - off : sizeof(x);
			ok = !pgt_mem_read(a, ra[i].pa + off, x, n) &&
			     !pgt_mem_read(b, ra[i].pa + off, y, n) && !memcmp(x, y, n);
			bytes += n;
		}
	OK(ok, "%s: same ranges and the same %llu bytes", what, (unsigned long long)bytes);
}

struct variant {
	const char *name;
	struct kdumpgen g;
};

static void one(const struct image *im, const struct variant *v)
{
	char why[256], label[160];
	struct kdumpgen g = v->g;
	struct kdumpgen_info inf;
	const char *path = tmp(g.flat ? "v.flat" : "v.kdump");
	g.block_size = (uint32_t)im->bs;
	snprintf(label, sizeof(label), "%s", v->name);
	int rc = kdumpgen_write(path, im->mem, im->len, im->base, &g, &inf, why, sizeof(why));
	OK(!rc, "%s: generated (%llu pages: %llu compressed, %llu raw, %llu zero)%s%s", label,
	   (unsigned long long)inf.n_dumped, (unsigned long long)inf.n_compressed,
	   (unsigned long long)inf.n_raw, (unsigned long long)inf.n_zero, rc ? ": " : "",
	   rc ? why : "");
	if (rc)
		return;
	struct pgt_error err = {0};
	struct pgt_mem *m = pgt_kdump_open(path, &err);
	OK(m, "%s: opens%s%s", label, m ? "" : ": ", m ? "" : err.msg);
	if (!m)
		return;
	check_mem(m, im, &g, &inf, label);

	struct pgt_mem *d = pgt_dump_open(path, &err);
	OK(d, "%s: pgt_dump_open recognises it%s%s", label, d ? "" : ": ", d ? "" : err.msg);
	if (d) {
		same_mem(m, d, label);
		pgt_mem_destroy(d);
	}
	if (g.flat) {
		const char *re = tmp("v.reassembled");
		bool ok = reassemble(path, re);
		OK(ok, "%s: makedumpfile -R accepts it", label);
		struct pgt_mem *r = ok ? pgt_kdump_open(re, &err) : NULL;
		OK(r, "%s: its reassembly opens%s%s", label, r || !ok ? "" : ": ", r || !ok ? "" : err.msg);
		if (r) {
			snprintf(label, sizeof(label), "%s vs makedumpfile -R", v->name);
			same_mem(m, r, label);
			pgt_mem_destroy(r);
		}
	}
	pgt_mem_destroy(m);
}

static void formats(void)
{
	static const struct kdumpgen_range ex[] = {{0x40003, 3}, {0x40020, 1}, {0x40030, 16},
						    {0x4007f, 1}};
	const uint64_t bs = 4096, n = 128;
	uint8_t *mem = malloc(n * bs);
	fill(mem, n, bs);
	/* the image does not end on a page: the last page is padded */
	struct image im = {mem, n * bs - 1000, 0x40000000, bs};
	static const unsigned methods[] = {0, KDUMP_ZLIB, KDUMP_LZO, KDUMP_SNAPPY, KDUMP_ZSTD};
	for (size_t i = 0; i < sizeof(methods) / sizeof(*methods); i++)
		for (int flat = 0; flat < 2; flat++) {
			char name[64];
			snprintf(name, sizeof(name), "%s%s", pgt_kdump_method_name(methods[i]),
				 flat ? " flattened" : "");
			struct variant v = {name, {.compress = methods[i], .flat = flat, .exclude = ex,
						   .n_exclude = 4}};
			one(&im, &v);
		}
	const struct variant more[] = {
		{"zlib big-endian", {.compress = KDUMP_ZLIB, .big_endian = true, .exclude = ex,
				     .n_exclude = 4}},
		{"lzo 32-bit layout", {.compress = KDUMP_LZO, .layout32 = true, .exclude = ex,
				       .n_exclude = 4}},
		{"zstd 32-bit big-endian flattened",
		 {.compress = KDUMP_ZSTD, .layout32 = true, .big_endian = true, .flat = true}},
		{"zlib header version 5", {.compress = KDUMP_ZLIB, .header_version = 5, .exclude = ex,
					   .n_exclude = 4}},
		{"snappy header version 1", {.compress = KDUMP_SNAPPY, .header_version = 1}},
		{"zlib split 0x40010-0x40050",
		 {.compress = KDUMP_ZLIB, .split = true, .split_start = 0x40010,
		  .split_end = 0x40050, .exclude = ex, .n_exclude = 4}},
		{"zlib flattened, 1000-byte records",
		 {.compress = KDUMP_ZLIB, .flat = true, .flat_chunk = 1000, .exclude = ex,
		  .n_exclude = 4}},
		{"none flattened, 333-byte records, rewritten",
		 {.compress = 0, .flat = true, .flat_chunk = 333, .flat_rewrite = true, .exclude = ex,
		  .n_exclude = 4}},
		{"zstd flattened, rewritten", {.compress = KDUMP_ZSTD, .flat = true,
					       .flat_rewrite = true, .exclude = ex, .n_exclude = 4}},
	};
	for (size_t i = 0; i < sizeof(more) / sizeof(*more); i++)
		one(&im, &more[i]);
	free(mem);

	/* other page sizes, at a base below 4 GiB and one above */
	static const uint64_t sizes[] = {16384, 65536};
	for (size_t i = 0; i < 2; i++) {
		uint64_t b = sizes[i], np = 40;
		uint8_t *m2 = malloc(np * b);
		fill(m2, np, b);
		struct image im2 = {m2, np * b, i ? 0x880000000ull : 0x80000000ull, b};
		uint64_t f = im2.base / b;
		const struct kdumpgen_range ex2[] = {{f + 1, 2}, {f + 39, 1}};
		char name[64];
		snprintf(name, sizeof(name), "zlib %lluK pages flattened", (unsigned long long)b >> 10);
		struct variant v = {name, {.compress = KDUMP_ZLIB, .flat = true, .exclude = ex2,
					   .n_exclude = 2}};
		one(&im2, &v);
		snprintf(name, sizeof(name), "lzo %lluK pages", (unsigned long long)b >> 10);
		v = (struct variant){name, {.compress = KDUMP_LZO, .exclude = ex2, .n_exclude = 2}};
		one(&im2, &v);
		free(m2);
	}
}

/* ---- damaged dumps --------------------------------------------------- */

static uint8_t *slurp(const char *path, uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (uint64_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc(*len ? *len : 1);
	if (b && fread(b, 1, *len, f) != *len) {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

static void spit(const char *path, const uint8_t *b, uint64_t len)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(b, 1, len, f);
		fclose(f);
	}
}

/* Open it; if it opens, read every page. Counts what failed to read. */
static struct pgt_mem *try_open(const char *path, struct pgt_error *err, unsigned *read_errors)
{
	struct pgt_mem *m = pgt_dump_open(path, err);
	*read_errors = 0;
	if (!m)
		return NULL;
	struct pgt_mem_range r[16];
	size_t n = pgt_mem_ranges(m, r, 16);
	uint8_t buf[4096];
	for (size_t i = 0; i < n && i < 16; i++)
		for (uint64_t off = 0; off < r[i].len; off += sizeof(buf))
			*read_errors += pgt_mem_read(m, r[i].pa + off, buf, sizeof(buf)) != 0;
	return m;
}

static void refused(const char *what, const uint8_t *b, uint64_t len, const char *needle)
{
	const char *p = tmp("bad");
	spit(p, b, len);
	struct pgt_error err = {0};
	unsigned re;
	struct pgt_mem *m = try_open(p, &err, &re);
	OK(!m && strstr(err.msg, needle), "%s: refused, naming '%s'", what, needle);
	if (m || !strstr(err.msg, needle))
		printf("#   %s\n", m ? "it opened" : err.msg);
	pgt_mem_destroy(m);
}

static void read_fails(const char *what, const uint8_t *b, uint64_t len, unsigned want)
{
	const char *p = tmp("bad");
	spit(p, b, len);
	struct pgt_error err = {0};
	unsigned re;
	struct pgt_mem *m = try_open(p, &err, &re);
	OK(m && re == want, "%s: opens, %u page reads fail (want %u)%s%s", what, re, want,
	   m ? "" : ": ", m ? "" : err.msg);
	pgt_mem_destroy(m);
}

static void put32le(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void damaged(void)
{
	const uint64_t bs = 4096, n = 32;
	uint8_t *mem = malloc(n * bs);
	fill(mem, n, bs);
	char why[256];
	struct kdumpgen_info inf;

	/* a plain zlib dump, then copies of it damaged one way each */
	struct kdumpgen g = {.compress = KDUMP_ZLIB, .block_size = bs};
	const char *good = tmp("good.kdump");
	kdumpgen_write(good, mem, n * bs, 0, &g, &inf, why, sizeof(why));
	uint64_t len;
	uint8_t *f = slurp(good, &len), *b = malloc(len);
	const uint64_t desc = inf.desc_off;

	static const struct {
		uint64_t at;
		const char *needle;
	} cuts[] = {{0, "not a crash dump"}, {7, "not a crash dump"}, {100, "too short"},
		    {463, "too short"},		 {4096 + 50, "sub-header"},  {3 * 4096, "bitmap"},
		    {3 * 4096 + 3, "bitmap"}, {4 * 4096 - 10, "page descriptors"},	 {0, NULL}};
	for (size_t i = 0; cuts[i].needle; i++) {
		char what[64];
		snprintf(what, sizeof(what), "truncated at %llu", (unsigned long long)cuts[i].at);
		refused(what, f, cuts[i].at, cuts[i].needle);
	}
	refused("truncated in the page descriptors", f, desc + 24 * 3 + 5, "page descriptors");
	/* cut in the page data: the pages whose data is gone fail, the rest read */
	{
		uint64_t cut = inf.data_off + (len - inf.data_off) / 2, lost = 0;
		for (uint64_t k = 0; k < inf.n_dumped; k++) {
			uint64_t off, size;
			memcpy(&off, f + desc + 24 * k, 8);
			size = (uint32_t)f[desc + 24 * k + 8] | (uint32_t)f[desc + 24 * k + 9] << 8 |
			       (uint32_t)f[desc + 24 * k + 10] << 16;
			lost += off + size > cut;
		}
		read_fails("truncated in the page data", f, cut, (unsigned)lost);
		OK(lost > 0 && lost < inf.n_dumped, "truncated in the page data: %llu of %llu pages lost",
		   (unsigned long long)lost, (unsigned long long)inf.n_dumped);
	}

	memcpy(b, f, len);
	memcpy(b, "KDUMP!  ", 8);
	refused("bad signature", b, len, "not a crash dump");
	memcpy(b, f, len);
	memcpy(b, "DISKDUMP", 8);
	refused("DISKDUMP signature", b, len, "DISKDUMP");
	memcpy(b, f, len);
	memset(b + 8, 0x77, 4);
	refused("header_version garbage", b, len, "header_version");
	static const uint32_t bad_bs[] = {0, 3000, 256, 1u << 20, 0x80000000u};
	for (size_t i = 0; i < 5; i++) {
		char what[64];
		memcpy(b, f, len);
		put32le(b + 428, bad_bs[i]);
		snprintf(what, sizeof(what), "block_size %u", bad_bs[i]);
		refused(what, b, len, "block_size");
	}
	memcpy(b, f, len);
	put32le(b + 432, 0x7fffffff);
	refused("sub_hdr_size huge", b, len, "sub_hdr_size");
	memcpy(b, f, len);
	put32le(b + 432, 0xffffffff);
	refused("sub_hdr_size negative", b, len, "sub_hdr_size");
	memcpy(b, f, len);
	put32le(b + 436, 0xfffffff0);
	refused("bitmap_blocks huge", b, len, "bitmap_blocks");
	memcpy(b, f, len);
	put32le(b + 436, 0x7fffffff);
	refused("bitmap_blocks odd and huge", b, len, "bitmap_blocks");
	memcpy(b, f, len);
	put32le(b + 8, 5); /* max_mapnr from the main header only */
	put32le(b + 440, 0xffffffff);
	refused("max_mapnr beyond the bitmap", b, len, "max_mapnr");
	memcpy(b, f, len);
	{
		uint64_t big = 1ull << 40;
		put32le(b + 440, 0xffffffff);
		memcpy(b + 4096 + 96, &big, 8);
		refused("max_mapnr_64 beyond the bitmap", b, len, "max_mapnr");
		big = 5;
		memcpy(b + 4096 + 96, &big, 8);
		refused("max_mapnr_64 disagreeing with max_mapnr", b, len, "disagrees");
	}
	memcpy(b, f, len);
	{
		/* every pfn the bitmap can hold dumped: more descriptors than the
		 * file has room for */
		uint64_t all = 8 * 4096;
		put32le(b + 440, (uint32_t)all);
		memcpy(b + 4096 + 96, &all, 8);
		memset(b + 3 * 4096, 0xff, 4096);
		refused("2nd bitmap claims every pfn", b, len, "page descriptors");
	}

	/* page descriptors: find a compressed and a raw page to damage */
	uint64_t kc = UINT64_MAX, kr = UINT64_MAX;
	for (uint64_t k = 0; k < inf.n_dumped; k++) {
		uint32_t flags;
		memcpy(&flags, f + desc + 24 * k + 12, 4);
		if (flags && kc == UINT64_MAX)
			kc = k;
		if (!flags && kr == UINT64_MAX && k > 0)
			kr = k;
	}
	OK(kc != UINT64_MAX && kr != UINT64_MAX, "found a compressed and a raw page");
	uint8_t *pdc = b + desc + 24 * kc, *pdr = b + desc + 24 * kr;
	memcpy(b, f, len);
	{
		uint64_t off = len + 10;
		memcpy(pdc, &off, 8);
	}
	read_fails("page offset beyond the file", b, len, 1);
	memcpy(b, f, len);
	{
		uint64_t off = len - 100;
		memcpy(pdr, &off, 8);
	}
	read_fails("raw page running past the end", b, len, 1);
	memcpy(b, f, len);
	{
		uint64_t off = UINT64_MAX - 5;
		memcpy(pdc, &off, 8);
	}
	read_fails("page offset near 2^64", b, len, 1);
	memcpy(b, f, len);
	put32le(pdc + 8, 3 * 4096);
	read_fails("page size over two blocks", b, len, 1);
	memcpy(b, f, len);
	put32le(pdc + 8, 0);
	read_fails("page size 0", b, len, 1);
	memcpy(b, f, len);
	put32le(pdr + 8, 4000);
	read_fails("raw page shorter than a block", b, len, 1);
	memcpy(b, f, len);
	put32le(pdc + 12, KDUMP_ZLIB | KDUMP_LZO);
	read_fails("two compressions at once", b, len, 1);
	memcpy(b, f, len);
	put32le(pdc + 12, 0x100);
	read_fails("unknown page flag", b, len, 1);
	memcpy(b, f, len);
	put32le(pdc + 12, KDUMP_SNAPPY);
	read_fails("zlib data said to be snappy", b, len, 1);

	/* makedumpfile out of space: status says incomplete, and the pages
	 * it never wrote have empty descriptors; those are not in the dump */
	memcpy(b, f, len);
	memset(pdc, 0, 16);
	put32le(b + 424, KDUMP_ZLIB | KDUMP_INCOMPLETE);
	{
		spit(tmp("bad"), b, len);
		struct pgt_error err;
		struct pgt_mem *m = pgt_dump_open(tmp("bad"), &err);
		uint8_t page[4096];
		OK(m && pgt_mem_read(m, kc * 4096, page, 8) == -ENODATA &&
			   !pgt_mem_read(m, kr * 4096, page, 8),
		   "incomplete dump: an unwritten page is -ENODATA, the others read");
		pgt_mem_destroy(m);
	}

	/* bad compressed data, for each method: garbage in place of a page */
	static const unsigned methods[] = {KDUMP_ZLIB, KDUMP_LZO, KDUMP_SNAPPY, KDUMP_ZSTD};
	for (size_t i = 0; i < 4; i++) {
		struct kdumpgen gm = {.compress = methods[i], .block_size = bs};
		struct kdumpgen_info im;
		const char *p = tmp("m.kdump");
		kdumpgen_write(p, mem, n * bs, 0, &gm, &im, why, sizeof(why));
		uint64_t ml;
		uint8_t *mf = slurp(p, &ml);
		for (uint64_t k = 0; k < im.n_dumped; k++) {
			uint32_t flags, size;
			uint64_t off;
			memcpy(&off, mf + im.desc_off + 24 * k, 8);
			memcpy(&size, mf + im.desc_off + 24 * k + 8, 4);
			memcpy(&flags, mf + im.desc_off + 24 * k + 12, 4);
			if (flags) {
				for (uint32_t j = 0; j < size; j++)
					mf[off + j] = (uint8_t)(0xff ^ (j * 13));
				break;
			}
		}
		char what[64];
		snprintf(what, sizeof(what), "garbage %s data", pgt_kdump_method_name(methods[i]));
		read_fails(what, mf, ml, 1);
		/* and a compressed page cut short */
		uint8_t *mg = slurp(p, &ml);
		for (uint64_t k = 0; k < im.n_dumped; k++) {
			uint32_t flags, size;
			memcpy(&size, mg + im.desc_off + 24 * k + 8, 4);
			memcpy(&flags, mg + im.desc_off + 24 * k + 12, 4);
			if (flags) {
				put32le(mg + im.desc_off + 24 * k + 8, size / 2);
				break;
			}
		}
		snprintf(what, sizeof(what), "%s page cut in half", pgt_kdump_method_name(methods[i]));
		read_fails(what, mg, ml, 1);
		free(mf);
		free(mg);
	}

	/* flattened damage */
	struct kdumpgen gf = {.compress = KDUMP_ZLIB, .block_size = bs, .flat = true};
	const char *flat = tmp("good.flat");
	kdumpgen_write(flat, mem, n * bs, 0, &gf, &inf, why, sizeof(why));
	uint64_t fl;
	uint8_t *ff = slurp(flat, &fl), *fb = malloc(fl);
	refused("flattened, truncated in its header", ff, 2000, "shorter than");
	refused("flattened, truncated before the end record", ff, fl - 16, "no end record");
	refused("flattened, truncated inside a record", ff, fl - 100, "past the end");
	refused("flattened, only the header", ff, 4096, "no end record");
	memcpy(fb, ff, fl);
	fb[12] = '!';
	refused("flattened, bad signature", fb, fl, "signature");
	memcpy(fb, ff, fl);
	fb[16 + 7] = 2;
	refused("flattened, type 2", fb, fl, "type");
	memcpy(fb, ff, fl);
	fb[4096] = 0x80; /* the first record's offset negative */
	refused("flattened, negative record offset", fb, fl, "offset");
	memcpy(fb, ff, fl);
	memset(fb + 4096 + 8, 0, 8); /* the first record empty, as -R refuses */
	refused("flattened, empty record", fb, fl, "size 0");
	memcpy(fb, ff, fl);
	fb[4096 + 8] = 0x7f; /* the first record's size huge */
	refused("flattened, huge record", fb, fl, "past the end");

	/* records far apart: a 6K file whose holes claim a 510M bitmap, to be
	 * copied and counted whole (the input the kdump fuzz target found) */
	uint64_t sl;
	uint8_t *sparse = slurp("tests/fuzz/regressions/kdump/flat-sparse-huge-bitmap", &sl);
	OK(sparse, "the fuzz target's sparse flattened dump is there");
	if (sparse)
		refused("flattened, a bitmap in holes", sparse, sl, "longer than the whole");
	free(sparse);

	/* makedumpfile -E -F: a flattened ELF */
	memcpy(fb, ff, fl);
	memcpy(fb + 4096 + 16, "\177ELF", 4);
	refused("flattened ELF", fb, fl, "makedumpfile -R");

	/* random damage to the first blocks: refused or read, never a crash */
	unsigned opened = 0, failed_reads = 0;
	for (int i = 0; i < 400; i++) {
		const uint8_t *src = i % 2 ? ff : f;
		uint64_t l = i % 2 ? fl : len;
		uint8_t *d = i % 2 ? fb : b;
		memcpy(d, src, l);
		for (int k = 0; k < 1 + i % 5; k++) {
			uint64_t span = i % 4 < 2 ? 4096 + 512 : l;
			d[rnd() % (span < l ? span : l)] = (uint8_t)rnd();
		}
		if (i % 2 && i % 3 == 0)
			d[4096 + 16 * (rnd() % 8) + rnd() % 16] = (uint8_t)rnd();
		spit(tmp("fuzz"), d, l);
		struct pgt_error err;
		unsigned re;
		struct pgt_mem *m = try_open(tmp("fuzz"), &err, &re);
		opened += !!m;
		failed_reads += re;
		pgt_mem_destroy(m);
	}
	OK(1, "400 randomly damaged dumps: %u opened (%u page reads failed), the rest refused, "
	   "no crash",
	   opened, failed_reads);

	/* not a dump at all */
	refused("an empty file", f, 0, "not a crash dump");
	{
		struct pgt_error err = {0};
		spit(tmp("empty"), f, 0);
		struct pgt_mem *m = pgt_kdump_open(tmp("empty"), &err);
		OK(!m && strstr(err.msg, "not a compressed kdump"),
		   "pgt_kdump_open of an empty file: refused");
		spit(tmp("short"), f, 8);
		m = pgt_kdump_open(tmp("short"), &err);
		OK(!m && strstr(err.msg, "too short"),
		   "pgt_kdump_open of the bare signature: refused (%s)", err.msg);
		pgt_mem_destroy(m);
	}
	refused("a text file", (const uint8_t *)"hello, world\n", 13, "not a crash dump");
	free(f);
	free(b);
	free(ff);
	free(fb);
	free(mem);
}

/* ---- QEMU's own output ----------------------------------------------- */

static void qemu(void)
{
	const char *q = find_tool("qemu-system-aarch64");
	OK(q, "qemu-system-aarch64 found (Debian package qemu-system-arm)");
	if (!q)
		return;
	/* a guest with known bytes in its RAM: the loader puts them there at
	 * reset, before -S stops the CPU */
	const uint64_t bs = 4096, n = 64;
	uint8_t *mem = malloc(n * bs);
	fill(mem, n, bs);
	spit(tmp("guest.bin"), mem, n * bs);
	char loader[256], cmds[512];
	snprintf(loader, sizeof(loader), "loader,file=%s,addr=0x40100000", tmp("guest.bin"));
	snprintf(cmds, sizeof(cmds),
		 "dump-guest-memory -z %s\ndump-guest-memory %s\nquit\n", tmp("q.flat"),
		 tmp("q.elf"));
	spit(tmp("q.cmds"), (const uint8_t *)cmds, strlen(cmds));
	const char *argv[] = {q, "-M", "virt", "-cpu", "cortex-a57", "-m", "32M", "-S",
			      "-display", "none", "-serial", "none", "-monitor", "stdio",
			      "-device", loader, NULL};
	int rc = run(argv, tmp("q.cmds"), NULL);
	OK(rc == 0, "qemu dump-guest-memory -z and ELF dumps written (exit %d)", rc);

	struct pgt_error err = {0};
	struct pgt_mem *k = pgt_dump_open(tmp("q.flat"), &err);
	OK(k, "QEMU's flattened zlib kdump opens%s%s", k ? "" : ": ", k ? "" : err.msg);
	struct pgt_mem *e = pgt_dump_open(tmp("q.elf"), &err);
	OK(e && pgt_mem_is_elfcore(e), "QEMU's ELF dump opens as an ELF core%s%s", e ? "" : ": ",
	   e ? "" : err.msg);
	if (k && e) {
		same_mem(k, e, "QEMU kdump vs QEMU ELF");
		uint8_t *got = malloc(n * bs);
		OK(!pgt_mem_read(k, 0x40100000, got, n * bs) && !memcmp(got, mem, n * bs),
		   "QEMU kdump holds the loaded bytes at 0x40100000");
		free(got);
	}
	bool ok = reassemble(tmp("q.flat"), tmp("q.kdump"));
	OK(ok, "makedumpfile -R reassembles QEMU's dump");
	struct pgt_mem *r = ok ? pgt_kdump_open(tmp("q.kdump"), &err) : NULL;
	if (k && r)
		same_mem(k, r, "QEMU kdump flattened vs reassembled");
	else
		OK(0, "QEMU kdump reassembled opens%s%s", r ? "" : ": ", r ? "" : err.msg);
	pgt_mem_destroy(r);
	pgt_mem_destroy(k);
	pgt_mem_destroy(e);
	free(mem);
}

/* ---- makedumpfile's own output ---------------------------------------- */

#if defined(__x86_64__)
/*
 * makedumpfile only reads a dump of its own architecture, and only with a
 * VMCOREINFO note that lets it find the kernel's utsname and memory model
 * through the kernel's page tables. This is the least of that for an
 * x86_64 kernel at physical 0: init_uts_ns at 0x100, mem_map's pointer at
 * 0x200, and init_top_pgt at 0x10000 mapping __START_KERNEL_map with one
 * 2 MiB page. Enough for -d 0 and -d 1, which need no page structs.
 */
static const char vmcoreinfo[] = "OSRELEASE=5.10.0\nPAGESIZE=4096\n"
				 "SYMBOL(init_uts_ns)=ffffffff80000100\n"
				 "SYMBOL(init_top_pgt)=ffffffff80010000\n"
				 "SYMBOL(mem_map)=ffffffff80000200\n"
				 "SYMBOL(_stext)=ffffffff81000000\nNUMBER(phys_base)=0\n"
				 "SIZE(page)=64\nOFFSET(page.flags)=0\nOFFSET(page._refcount)=52\n"
				 "OFFSET(page.mapping)=24\nOFFSET(page.lru)=8\n"
				 "OFFSET(page.private)=40\n";

static void put64le(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static bool x86_64_core(const char *path, uint8_t *mem, uint64_t len)
{
	memset(mem, 0, 0x1000);
	memcpy(mem + 0x104, "Linux", 5);
	memcpy(mem + 0x104 + 2 * 65, "5.10.0", 6);
	put64le(mem + 0x200, 0xffffea0000000000ull);
	memset(mem + 0x10000, 0, 3 * 4096);
	put64le(mem + 0x10000 + 511 * 8, 0x11000 | 3);
	put64le(mem + 0x11000 + 510 * 8, 0x12000 | 3);
	put64le(mem + 0x12000, 0x83); /* 2 MiB page at 0, present, writable */

	uint8_t h[4096] = {0};
	size_t desc = strlen(vmcoreinfo), note = 12 + 12 + ((desc + 3) & ~3ul);
	memcpy(h, "\177ELF\2\1\1", 7);
	uint16_t e16[] = {4 /* ET_CORE */, 62 /* EM_X86_64 */};
	memcpy(h + 16, e16, 4);
	put32le(h + 20, 1);
	put64le(h + 32, 64); /* e_phoff */
	uint16_t sizes[] = {64, 56, 2, 64, 0, 0}; /* ehsize phentsize phnum shentsize ... */
	memcpy(h + 52, sizes, sizeof(sizes));
	uint8_t *ph = h + 64;
	put32le(ph, 4); /* PT_NOTE */
	put64le(ph + 8, 176);
	put64le(ph + 32, note);
	put64le(ph + 40, note);
	ph += 56;
	put32le(ph, 1); /* PT_LOAD */
	put32le(ph + 4, 7);
	put64le(ph + 8, 4096);
	put64le(ph + 16, 0xffffffff80000000ull);
	put64le(ph + 24, 0);
	put64le(ph + 32, len);
	put64le(ph + 40, len);
	put64le(ph + 48, 4096);
	uint8_t *n = h + 176;
	put32le(n, 11);
	put32le(n + 4, (uint32_t)desc);
	memcpy(n + 12, "VMCOREINFO", 10);
	memcpy(n + 24, vmcoreinfo, desc);
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(h, 1, sizeof(h), f) == sizeof(h) && fwrite(mem, 1, len, f) == len;
	return !fclose(f) && ok;
}

static void makedumpfile_written(void)
{
	const uint64_t bs = 4096, n = 256;
	uint8_t *mem = malloc(n * bs);
	fill(mem, n, bs);
	char elf[128];
	snprintf(elf, sizeof(elf), "%s", tmp("x86.elf"));
	OK(x86_64_core(elf, mem, n * bs), "an x86_64 ELF core for makedumpfile written");
	struct pgt_error err = {0};
	struct pgt_mem *e = pgt_elfcore_open(elf, &err);
	OK(e, "the ELF core opens%s%s", e ? "" : ": ", e ? "" : err.msg);
	if (!e || !makedumpfile) {
		pgt_mem_destroy(e);
		free(mem);
		return;
	}
	static const struct {
		const char *name, *args[5];
		bool flat;
	} runs[] = {
		{"makedumpfile -c -d 0", {"-c", "-d", "0"}, false},
		{"makedumpfile -l -d 1", {"-l", "-d", "1"}, false},
		{"makedumpfile -F -c -d 1", {"-F", "-c", "-d", "1"}, true},
		{"makedumpfile -F -l -d 0", {"-F", "-l", "-d", "0"}, true},
	};
	for (size_t i = 0; i < sizeof(runs) / sizeof(*runs); i++) {
		const char *out = tmp(runs[i].flat ? "mdf.flat" : "mdf.kdump");
		const char *argv[10] = {makedumpfile};
		size_t k = 1;
		for (size_t j = 0; j < 5 && runs[i].args[j]; j++)
			argv[k++] = runs[i].args[j];
		argv[k++] = elf;
		if (!runs[i].flat)
			argv[k++] = out;
		unlink(out);
		int rc = run(argv, NULL, runs[i].flat ? out : NULL);
		OK(rc == 0, "%s: wrote a dump (exit %d)", runs[i].name, rc);
		struct pgt_mem *m = pgt_dump_open(out, &err);
		OK(m, "%s: its dump opens%s%s", runs[i].name, m ? "" : ": ", m ? "" : err.msg);
		if (m) {
			char what[96];
			snprintf(what, sizeof(what), "%s vs its ELF input", runs[i].name);
			same_mem(m, e, what);
		}
		pgt_mem_destroy(m);
	}
	pgt_mem_destroy(e);
	free(mem);
}
#else
static void makedumpfile_written(void)
{
	printf("# SKIP makedumpfile-written dumps: the crafted core is x86_64's\n");
}
#endif

/* ---- a big sparse dump ----------------------------------------------- */

static void big(void)
{
	const uint64_t bs = 4096, len = 16ull << 30, base = 0x80000000ull;
	/* three runs of pages kept; everything else excluded, as a dump
	 * filtered down to the kernel's page tables would be */
	const uint64_t first = base / bs, n_pages = len / bs;
	const uint64_t keep[3][2] = {{0x1000, 64}, {0x123456, 300}, {n_pages - 16, 16}};
	struct kdumpgen_range ex[4];
	/* the memory is a sparse file: a mapping of it costs no commit charge,
	 * and only the kept pages are ever touched */
	int fd = open(tmp("big.mem"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	bool ok = fd >= 0 && ftruncate(fd, (off_t)len) == 0;
	uint64_t at = 0;
	uint8_t *run = malloc(300 * bs);
	for (int i = 0; ok && i < 3; i++) {
		ex[i] = (struct kdumpgen_range){first + at, keep[i][0] - at};
		fill(run, keep[i][1], bs);
		ok = pwrite(fd, run, keep[i][1] * bs, (off_t)(keep[i][0] * bs)) ==
		     (ssize_t)(keep[i][1] * bs);
		at = keep[i][0] + keep[i][1];
	}
	free(run);
	uint8_t *mem = ok ? mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
	if (fd >= 0)
		close(fd);
	OK(mem != MAP_FAILED, "16 GiB of sparse memory mapped");
	if (mem == MAP_FAILED)
		return;
	struct kdumpgen g = {.compress = KDUMP_ZSTD, .block_size = bs, .exclude = ex, .n_exclude = 3};
	struct kdumpgen_info inf;
	char why[256];
	const char *path = tmp("big.kdump");
	int rc = kdumpgen_write(path, mem, len, base, &g, &inf, why, sizeof(why));
	OK(!rc, "16 GiB dump with %llu pages kept written (%llu bytes)",
	   (unsigned long long)inf.n_dumped, (unsigned long long)inf.size);

	struct pgt_error err;
	struct pgt_mem *m = pgt_kdump_open(path, &err);
	OK(m, "16 GiB dump opens");
	if (m) {
		uint8_t page[4096];
		pgt_addr pa = base + 0x123456 * bs + 7 * bs;
		rc = pgt_mem_read(m, pa, page, bs);
		int rc2 = 0;
		for (int i = 0; i < 1000; i++)
			rc2 |= pgt_mem_read(m, pa + (uint64_t)(i % 8) * 512, page, 512);
		int rc3 = 0;
		for (int i = 0; i < 1000; i++)
			rc3 |= pgt_mem_read(m, base + 0x123456 * bs + (uint64_t)(i % 300) * bs, page, 64);
		OK(!rc && !rc2 && !rc3, "16 GiB dump: reads succeed, through the cache and past it");
		OK(pgt_mem_read(m, base + 0x200000 * bs, page, 8) == -ENODATA,
		   "16 GiB dump: an excluded page is -ENODATA");
		EQ(pgt_mem_ranges(m, NULL, 0), 3, "16 GiB dump: three ranges");
		struct image im = {mem, len, base, bs};
		uint8_t want[4096];
		pgt_mem_read(m, base + (n_pages - 1) * bs, page, bs);
		expect_bytes(&im, base + (n_pages - 1) * bs, want, bs);
		OK(!memcmp(page, want, bs), "16 GiB dump: the last page reads back");
		pgt_mem_destroy(m);
	}
	munmap(mem, len);
}

/*
 * The dumped pfns are found through the bitmap's blocks of 4096 pfns that
 * have one set: runs that cross blocks, fill them, start and end at their
 * edges come out as the ranges (and data runs) they are, and a pfn's page
 * is found past the blocks with nothing set.
 */
static void runs(void)
{
	const uint64_t bs = 4096, blk = 4096, n_pages = 6 * blk, len = n_pages * bs;
	/* kept: [100, blk + 50), [2 blk - 1, 4 blk), [5 blk, 5 blk + 1), the last */
	const uint64_t keep[4][2] = {
		{100, blk + 50}, {2 * blk - 1, 4 * blk}, {5 * blk, 5 * blk + 1}, {n_pages - 1, n_pages}};
	struct kdumpgen_range ex[4];
	uint64_t at = 0;
	for (int i = 0; i < 4; i++) {
		ex[i] = (struct kdumpgen_range){at, keep[i][0] - at};
		at = keep[i][1];
	}
	uint8_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK(mem != MAP_FAILED, "96 MiB of memory for the runs");
	if (mem == MAP_FAILED)
		return;
	for (int i = 0; i < 4; i++)
		for (uint64_t p = keep[i][0]; p < keep[i][1]; p++)
			memcpy(mem + p * bs, &p, sizeof(p));
	struct kdumpgen g = {.compress = KDUMP_LZO, .exclude = ex, .n_exclude = 4};
	char why[256];
	const char *path = tmp("runs.kdump");
	int rc = kdumpgen_write(path, mem, len, 0, &g, NULL, why, sizeof(why));
	OK(!rc, "runs: dump written%s%s", rc ? ": " : "", rc ? why : "");
	struct pgt_error err;
	struct pgt_mem *m = rc ? NULL : pgt_kdump_open(path, &err);
	OK(m, "runs: the dump opens");
	if (m) {
		struct pgt_mem_range r[8];
		size_t n = pgt_mem_ranges(m, r, 8);
		bool same = n == 4;
		for (size_t i = 0; same && i < 4; i++)
			same = r[i].pa == keep[i][0] * bs && r[i].len == (keep[i][1] - keep[i][0]) * bs;
		OK(same, "runs: four ranges, across, filling and at the edges of bitmap blocks");
		struct pgt_mem_range d;
		same = true;
		at = 0;
		for (int i = 0; i < 4; i++) {
			same = same && pgt_mem_data(m, at, &d) && d.pa == keep[i][0] * bs &&
			       d.len == (keep[i][1] - keep[i][0]) * bs;
			at = d.pa + d.len;
		}
		OK(same && !pgt_mem_data(m, at, &d), "runs: the data runs are the ranges");
		OK(pgt_mem_data(m, (2 * blk + 7) * bs, &d) && d.pa == (2 * blk + 7) * bs &&
		   d.len == (4 * blk - 2 * blk - 7) * bs, "runs: a data run from inside one");
		unsigned bad = 0;
		for (int i = 0; i < 4; i++)
			for (uint64_t p = keep[i][0]; p < keep[i][1]; p += 97) {
				uint64_t v = 0;
				bad += pgt_mem_read(m, p * bs, &v, sizeof(v)) || v != p;
			}
		uint64_t v;
		OK(!bad && pgt_mem_read(m, (4 * blk + 3) * bs, &v, 8) == -ENODATA,
		   "runs: pages read back, one in a block with nothing set is excluded");
		pgt_mem_destroy(m);
	}
	munmap(mem, len);
}

static void rmdir_all(const char *d)
{
	DIR *dh = opendir(d);
	if (!dh)
		return;
	struct dirent *e;
	while ((e = readdir(dh)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(tmp(e->d_name));
	closedir(dh);
	rmdir(d);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/t_kdump.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	makedumpfile = find_tool("makedumpfile");
	OK(makedumpfile, "makedumpfile found (Debian package makedumpfile)");
	formats();
	damaged();
	makedumpfile_written();
	qemu();
	runs();
	big();
	if (!getenv("T_KDUMP_KEEP"))
		rmdir_all(dir);
	return t_done();
}

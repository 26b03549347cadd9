// SPDX-License-Identifier: MIT
/*
 * A compressed kdump ("KDUMP   ", makedumpfile's diskdump format) read in
 * place. Block 0 is struct disk_dump_header, sub_hdr_size blocks from block
 * 1 hold the kdump_sub_header (and notes), then two bitmaps of
 * bitmap_blocks / 2 blocks: RAM pfns, then dumped pfns. Each dumped pfn, in pfn order, has a
 * 24-byte page_desc after the bitmaps, pointing at its data: compressed,
 * or raw when compression did not pay. A pfn's descriptor is found by
 * counting the dumped pfns before it: at open, the bitmap's blocks that
 * have a pfn set are listed with the count before each (the holes of a
 * sparse bitmap are skipped, so a bitmap claiming 2^35 pages costs what is
 * set in it); pages are decompressed only when read, into a small cache.
 * Nothing of the file is trusted: every offset and size is checked
 * against the file before use, and what does not fit is an error naming
 * the field.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kdump.h"
#include "pgt/mem.h"

#define CACHE_PAGES 64
#define BLK_SHIFT 12 /* pfns per bitmap block: 4096, 512 bytes, 64 words */
#define BLK_WORDS 64
#define BLK_BYTES 512
#define SCAN_BLOCKS 256 /* bitmap blocks read at once while indexing */

/* A block of the dumped-pfn bitmap with a pfn of [lo, hi) set. */
struct bitmap_block {
	uint64_t no;   /* pfns [no << BLK_SHIFT, +4096) */
	uint64_t rank; /* dumped pfns before it */
};

struct cached {
	uint64_t pfn;
	uint64_t used; /* clock of the last hit, for LRU eviction */
	uint8_t *data;
	bool valid;
};

struct kdump {
	struct pgt_mem mem;
	struct kdfile f;
	char *path;
	bool big_endian;
	uint32_t status;
	uint32_t block_size;
	unsigned block_shift;
	uint64_t max_mapnr;
	uint64_t lo, hi; /* the pfns this file holds (a split dump holds a part) */
	uint64_t bitmap_off; /* of the 2nd (dumped-pfn) bitmap in the dump */
	uint64_t bitmap_bytes;
	struct bitmap_block *blk; /* by number */
	size_t n_blk, last_blk;
	uint64_t words[BLK_WORDS]; /* the bits of block words_no - 1 */
	uint64_t words_no;
	uint64_t n_dumped;
	uint64_t desc_off; /* file offset of page_desc[0] */
	struct cached cache[CACHE_PAGES];
	uint64_t clock;
	size_t last;
	uint8_t *scratch; /* a compressed page as stored */
	struct kdump_dctx *dctx;
	char why[200]; /* what the last failed page read found wrong */
};

struct page_desc {
	uint64_t offset;
	uint32_t size;
	uint32_t flags;
};

static struct kdump *kd_of(struct pgt_mem *mem)
{
	return (struct kdump *)mem;
}

static uint32_t get32(bool be, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return be ? be32toh(v) : le32toh(v);
}

static uint64_t get64(bool be, const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return be ? be64toh(v) : le64toh(v);
}

/* An unsigned long of the dumped machine. */
static uint64_t get_long(bool be, const struct kdump_layout *l, const uint8_t *p)
{
	return l->long_size == 8 ? get64(be, p) : get32(be, p);
}

/* Keep the bits of [lo, hi) of the 64 words of block no. */
static void clip_words(const struct kdump *k, uint64_t no, uint64_t *w)
{
	for (unsigned i = 0; i < BLK_WORDS; i++) {
		uint64_t first = (no << BLK_SHIFT) + 64 * i;
		if (first < k->lo)
			w[i] &= k->lo - first >= 64 ? 0 : ~0ull << (k->lo - first);
		if (first + 64 > k->hi)
			w[i] &= k->hi <= first ? 0 : ~0ull >> (64 - (k->hi - first));
	}
}

/* Bytes of the bitmap as words: bit i of byte b is pfn 8 b + i, so they
 * read as little-endian words whatever the dumped machine's byte order. */
static void to_words(const uint8_t *bytes, uint64_t *w)
{
	for (unsigned i = 0; i < BLK_WORDS; i++) {
		memcpy(&w[i], bytes + 8 * i, 8);
		w[i] = le64toh(w[i]);
	}
}

/* The bytes of bitmap blocks [no, no + n) into buf, zeros past its end. */
static int read_blocks(struct kdump *k, uint64_t no, uint64_t n, uint8_t *buf)
{
	uint64_t at = no * BLK_BYTES, len = n * BLK_BYTES;
	uint64_t have = at >= k->bitmap_bytes ? 0 : k->bitmap_bytes - at < len ? k->bitmap_bytes - at : len;
	memset(buf + have, 0, len - have);
	return pgt_kdfile_copy(&k->f, k->bitmap_off + at, buf, have);
}

/* The bits of listed block i, in k->words. */
static int load_block(struct kdump *k, size_t i)
{
	uint64_t no = k->blk[i].no;
	if (k->words_no == no + 1)
		return 0;
	uint8_t bytes[BLK_BYTES];
	k->words_no = 0;
	int rc = read_blocks(k, no, 1, bytes);
	if (rc)
		return rc;
	to_words(bytes, k->words);
	clip_words(k, no, k->words);
	k->words_no = no + 1;
	return 0;
}

/* The first listed block numbered no or more (n_blk if none). */
static size_t find_block(struct kdump *k, uint64_t no)
{
	if (k->last_blk < k->n_blk && k->blk[k->last_blk].no == no)
		return k->last_blk;
	size_t lo = 0, hi = k->n_blk;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (k->blk[mid].no < no)
			lo = mid + 1;
		else
			hi = mid;
	}
	k->last_blk = lo;
	return lo;
}

/* Is pfn dumped? 1 and *rank (its page_desc's index), 0, or -EIO when the
 * bitmap cannot be read. */
static int dumped(struct kdump *k, uint64_t pfn, uint64_t *rank)
{
	uint64_t no = pfn >> BLK_SHIFT;
	size_t i = find_block(k, no);
	if (pfn < k->lo || pfn >= k->hi || i == k->n_blk || k->blk[i].no != no)
		return 0;
	int rc = load_block(k, i);
	if (rc)
		return rc;
	unsigned bit = (unsigned)(pfn & ((1u << BLK_SHIFT) - 1));
	if (!(k->words[bit / 64] >> (bit % 64) & 1))
		return 0;
	uint64_t r = k->blk[i].rank;
	for (unsigned w = 0; w < bit / 64; w++)
		r += (uint64_t)__builtin_popcountll(k->words[w]);
	if (bit % 64)
		r += (uint64_t)__builtin_popcountll(k->words[bit / 64] & ((1ull << (bit % 64)) - 1));
	*rank = r;
	return 1;
}

/* Bit b of the loaded block and on: the first that is set (want) or clear
 * (!want), or BLK_WORDS * 64. */
static unsigned next_bit(const struct kdump *k, unsigned b, bool want)
{
	for (unsigned w = b / 64; w < BLK_WORDS; w++) {
		uint64_t v = (want ? k->words[w] : ~k->words[w]) & (w == b / 64 ? ~0ull << (b % 64) : ~0ull);
		if (v)
			return 64 * w + (unsigned)__builtin_ctzll(v);
	}
	return BLK_WORDS * 64;
}

/* The first run of dumped pfns ending after pfn: 1 and [*start, *end), 0
 * when none is left, or -EIO. */
static int next_run(struct kdump *k, uint64_t pfn, uint64_t *start, uint64_t *end)
{
	for (size_t i = find_block(k, pfn >> BLK_SHIFT); i < k->n_blk; i++) {
		uint64_t first = k->blk[i].no << BLK_SHIFT;
		int rc = load_block(k, i);
		if (rc)
			return rc;
		unsigned b = next_bit(k, pfn > first ? (unsigned)(pfn - first) : 0, true);
		if (b == BLK_WORDS * 64)
			continue;
		*start = first + b;
		/* the run goes on through following blocks while they are full */
		for (;;) {
			b = next_bit(k, b, false);
			*end = (k->blk[i].no << BLK_SHIFT) + b;
			if (b < BLK_WORDS * 64 || i + 1 == k->n_blk || k->blk[i + 1].no != k->blk[i].no + 1)
				return 1;
			if ((rc = load_block(k, ++i)))
				return rc;
			b = 0;
			if (!(k->words[0] & 1))
				return 1;
		}
	}
	return 0;
}

static int page_fail(struct kdump *k, uint64_t pfn, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int page_fail(struct kdump *k, uint64_t pfn, int code, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(k->why, sizeof(k->why), "pfn 0x%llx: ", (unsigned long long)pfn);
	va_start(ap, fmt);
	vsnprintf(k->why + n, sizeof(k->why) - (size_t)n, fmt, ap);
	va_end(ap);
	return code;
}

static int read_desc(struct kdump *k, uint64_t pfn, uint64_t rank, struct page_desc *pd)
{
	uint8_t raw[KDUMP_PD_SIZE];
	uint64_t at = k->desc_off + rank * KDUMP_PD_SIZE;
	if (pgt_kdfile_copy(&k->f, at, raw, sizeof(raw)))
		return page_fail(k, pfn, -EIO, "page_desc at 0x%llx: %s", (unsigned long long)at,
				 k->f.file.why);
	pd->offset = get64(k->big_endian, raw);
	pd->size = get32(k->big_endian, raw + 8);
	pd->flags = get32(k->big_endian, raw + 12);
	return 0;
}

static struct cached *cache_find(struct kdump *k, uint64_t pfn)
{
	struct cached *c = &k->cache[k->last];
	if (c->valid && c->pfn == pfn)
		return c;
	for (size_t i = 0; i < CACHE_PAGES; i++)
		if (k->cache[i].valid && k->cache[i].pfn == pfn) {
			k->last = i;
			return &k->cache[i];
		}
	return NULL;
}

/* The least recently used slot, emptied, with room for a page. */
static struct cached *cache_victim(struct kdump *k)
{
	size_t v = 0;
	for (size_t i = 0; i < CACHE_PAGES; i++) {
		if (!k->cache[i].valid) {
			v = i;
			break;
		}
		if (k->cache[i].used < k->cache[v].used)
			v = i;
	}
	struct cached *c = &k->cache[v];
	c->valid = false;
	if (!c->data && !(c->data = malloc(k->block_size)))
		return NULL;
	k->last = v;
	return c;
}

/*
 * The block_size bytes of page pfn, decompressed (or read) into the cache,
 * valid until the next call. -ENODATA for a page the dump does not hold,
 * -EIO for one whose descriptor or data is damaged or cannot be read
 * (k->why says how).
 */
static int page_data(struct kdump *k, uint64_t pfn, const uint8_t **out)
{
	struct cached *c = cache_find(k, pfn);
	if (c) {
		c->used = ++k->clock;
		*out = c->data;
		return 0;
	}
	uint64_t rank = 0;
	int rc = dumped(k, pfn, &rank);
	if (rc <= 0)
		return rc ? page_fail(k, pfn, rc, "the bitmap: %s", k->f.file.why) : -ENODATA;
	struct page_desc pd = {0};
	if ((rc = read_desc(k, pfn, rank, &pd)))
		return rc;
	/* makedumpfile ran out of space before writing it: as good as excluded */
	if (!pd.size && !pd.offset && (k->status & KDUMP_INCOMPLETE))
		return -ENODATA;
	unsigned method = pd.flags & KDUMP_COMPRESSION;
	if (pd.flags & ~KDUMP_COMPRESSION || (method & (method - 1)))
		return page_fail(k, pfn, -EIO, "page_desc flags 0x%x are not one compression",
				 pd.flags);
	if (!pd.size || pd.size > 2 * k->block_size || (!method && pd.size != k->block_size))
		return page_fail(k, pfn, -EIO, "page_desc size 0x%x for a %s page of 0x%x bytes",
				 pd.size, method ? "compressed" : "raw", k->block_size);
	if (pd.offset > k->f.size || pd.size > k->f.size - pd.offset)
		return page_fail(k, pfn, -EIO,
				 "page data at 0x%llx (0x%x bytes) is past the end of the file",
				 (unsigned long long)pd.offset, pd.size);
	if (!(c = cache_victim(k)))
		return page_fail(k, pfn, -ENOMEM, "out of memory");
	if (method && !k->scratch && !(k->scratch = malloc(2 * (size_t)k->block_size)))
		return page_fail(k, pfn, -ENOMEM, "out of memory");
	if (pgt_kdfile_copy(&k->f, pd.offset, method ? k->scratch : c->data, pd.size))
		return page_fail(k, pfn, -EIO, "page data: %s", k->f.file.why);
	if (method) {
		char why[160];
		rc = pgt_kdump_decompress(&k->dctx, method, k->scratch, pd.size, c->data,
					  k->block_size, why, sizeof(why));
		if (rc)
			return page_fail(k, pfn, rc, "%s", rc == -ENOMEM ? "out of memory" : why);
	}
	c->pfn = pfn;
	c->valid = true;
	c->used = ++k->clock;
	*out = c->data;
	return 0;
}

static int kd_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	struct kdump *k = kd_of(mem);
	uint8_t *out = buf;
	while (len) {
		uint64_t in_page = pa & (k->block_size - 1);
		uint64_t n = k->block_size - in_page < len ? k->block_size - in_page : len;
		const uint8_t *p = NULL;
		int rc = page_data(k, pa >> k->block_shift, &p);
		if (rc)
			return rc;
		memcpy(out, p + in_page, n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

/* Runs of dumped pfns, as physical ranges. */
static size_t kd_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct kdump *k = kd_of(mem);
	size_t n = 0;
	uint64_t start, end = 0;
	while (next_run(k, end, &start, &end) > 0) {
		if (n < max)
			out[n] = (struct pgt_mem_range){start << k->block_shift,
							(end - start) << k->block_shift};
		n++;
	}
	return n;
}

/* Every dumped page may hold data: the runs of dumped pfns. */
static bool kd_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out)
{
	struct kdump *k = kd_of(mem);
	uint64_t start, end;
	if (next_run(k, from >> k->block_shift, &start, &end) <= 0)
		return false;
	*out = (struct pgt_mem_range){start << k->block_shift, (end - start) << k->block_shift};
	return true;
}

static void kd_destroy(struct pgt_mem *mem)
{
	struct kdump *k = kd_of(mem);
	for (size_t i = 0; i < CACHE_PAGES; i++)
		free(k->cache[i].data);
	pgt_kdump_decompress_free(k->dctx);
	free(k->scratch);
	free(k->blk);
	pgt_kdfile_close(&k->f);
	free(k->path);
	free(k);
}

static const char *kd_why(struct pgt_mem *mem)
{
	return kd_of(mem)->why;
}

static const struct pgt_mem_ops kd_ops = {
	.read = kd_read,
	.why = kd_why,
	.ranges = kd_ranges,
	.data = kd_data,
	.destroy = kd_destroy,
};

/*
 * List the bitmap's blocks with a pfn of [lo, hi) set, each with the count
 * of those before it. Only the bitmap's data is read: the holes of a
 * sparse file (or what no record of a flattened one wrote) are zeros.
 */
static int index_bitmap(struct kdump *k)
{
	uint64_t n_blocks = (k->bitmap_bytes + BLK_BYTES - 1) / BLK_BYTES;
	uint64_t next = k->lo >> BLK_SHIFT, total = 0, start, end;
	uint64_t w[BLK_WORDS];
	size_t cap = 0;
	uint8_t *buf = malloc(SCAN_BLOCKS * BLK_BYTES);
	if (!buf)
		return -ENOMEM;
	int rc = 0;
	while (!rc && next < n_blocks &&
	       pgt_kdfile_data(&k->f, k->bitmap_off + next * BLK_BYTES, &start, &end) &&
	       start < k->bitmap_off + k->bitmap_bytes) {
		uint64_t b = (start - k->bitmap_off) / BLK_BYTES;
		uint64_t stop = (end - k->bitmap_off + BLK_BYTES - 1) / BLK_BYTES;
		if (b < next)
			b = next;
		if (stop > n_blocks)
			stop = n_blocks;
		for (; !rc && b < stop; b += SCAN_BLOCKS) {
			uint64_t n = stop - b < SCAN_BLOCKS ? stop - b : SCAN_BLOCKS;
			if ((rc = read_blocks(k, b, n, buf)))
				break;
			for (uint64_t j = 0; j < n; j++) {
				uint64_t count = 0;
				to_words(buf + j * BLK_BYTES, w);
				clip_words(k, b + j, w);
				for (unsigned x = 0; x < BLK_WORDS; x++)
					count += (uint64_t)__builtin_popcountll(w[x]);
				if (!count)
					continue;
				if (k->n_blk == cap) {
					cap = cap ? 2 * cap : 64;
					struct bitmap_block *nb = realloc(k->blk, cap * sizeof(*nb));
					if (!nb) {
						rc = -ENOMEM;
						break;
					}
					k->blk = nb;
				}
				k->blk[k->n_blk++] = (struct bitmap_block){b + j, total};
				total += count;
			}
		}
		next = stop;
	}
	free(buf);
	k->n_dumped = total;
	return rc;
}

static struct pgt_mem *fail(struct kdump *k, struct pgt_error *err, int code, const char *fmt,
			    ...) __attribute__((format(printf, 4, 5)));
static struct pgt_mem *fail(struct kdump *k, struct pgt_error *err, int code, const char *fmt,
			    ...)
{
	va_list ap;
	va_start(ap, fmt);
	pgt_mem_vfail(&k->mem, k->path ? k->path : "kdump", err, code, fmt, ap);
	va_end(ap);
	return NULL;
}

static bool good_block_size(uint64_t bs)
{
	return bs >= 512 && bs <= 65536 && !(bs & (bs - 1));
}

static bool layout_fits(bool be, const struct kdump_layout *l, const uint8_t *h, uint64_t size)
{
	return size >= l->hdr_size && good_block_size(get32(be, h + l->block_size)) &&
	       (int32_t)get32(be, h + l->sub_hdr_size) > 0 && get32(be, h + l->bitmap_blocks) > 0;
}

/*
 * Which struct layout wrote the header: a 64-bit makedumpfile or QEMU's
 * DiskDumpHeader64, or a 32-bit one. They differ from the timestamp on; a
 * 64-bit header read as 32-bit finds tv_usec's zero high half where
 * sub_hdr_size would be, and a 32-bit one read as 64-bit finds the
 * never-set total_ram_blocks and device_blocks where sub_hdr_size and
 * bitmap_blocks would be, so at most one fits a sound header.
 */
static const struct kdump_layout *pick_layout(bool be, const uint8_t *h, uint64_t size)
{
	if (layout_fits(be, &kdump_layout64, h, size))
		return &kdump_layout64;
	if (layout_fits(be, &kdump_layout32, h, size))
		return &kdump_layout32;
	return NULL;
}

/* Why neither layout fits, naming the 64-bit field that is wrong. */
static struct pgt_mem *bad_header(struct kdump *k, struct pgt_error *err, const uint8_t *h)
{
	const struct kdump_layout *l = &kdump_layout64;
	bool be = k->big_endian;
	if (k->f.size < l->hdr_size)
		return fail(k, err, -EINVAL,
			    "kdump: the file is %llu bytes, too short for a %u-byte disk_dump_header",
			    (unsigned long long)k->f.size, l->hdr_size);
	uint32_t bs = get32(be, h + l->block_size);
	if (!good_block_size(bs))
		return fail(k, err, -EINVAL,
			    "kdump: disk_dump_header block_size %u is not a power of two from 512 "
			    "to 65536",
			    bs);
	int32_t sub = (int32_t)get32(be, h + l->sub_hdr_size);
	if (sub <= 0)
		return fail(k, err, -EINVAL, "kdump: disk_dump_header sub_hdr_size is %d", sub);
	return fail(k, err, -EINVAL, "kdump: disk_dump_header bitmap_blocks is 0");
}

static struct pgt_mem *read_header(struct kdump *k, struct pgt_error *err)
{
	uint8_t h[464] = {0}, sub[104] = {0};
	uint64_t size = k->f.size;
	pgt_kdfile_copy(&k->f, 0, h, size < sizeof(h) ? size : sizeof(h));
	if (size < KDUMP_SIG_LEN || memcmp(h, KDUMP_SIGNATURE, KDUMP_SIG_LEN)) {
		if (size >= 8 && !memcmp(h, "DISKDUMP", 8))
			return fail(k, err, -EINVAL,
				    "an old diskdump (\"DISKDUMP\") file, not a compressed kdump");
		if (k->f.flat && size >= 4 && !memcmp(h, "\177ELF", 4))
			return fail(k, err, -EINVAL,
				    "a flattened ELF dump (makedumpfile -E -F): reassemble it with "
				    "makedumpfile -R first");
		return fail(k, err, -EINVAL, "not a compressed kdump (no \"KDUMP   \" signature)");
	}
	if (size < kdump_layout32.hdr_size)
		return fail(k, err, -EINVAL,
			    "kdump: the file is %llu bytes, too short for a %u-byte disk_dump_header",
			    (unsigned long long)size, kdump_layout32.hdr_size);
	/* header_version is small (1 to 6 so far): that tells the byte order */
	uint32_t v_le = get32(false, h + KDUMP_HDR_VERSION), v_be = get32(true, h + KDUMP_HDR_VERSION);
	if (v_le && v_le < 0x10000)
		k->big_endian = false;
	else if (v_be && v_be < 0x10000)
		k->big_endian = true;
	else
		return fail(k, err, -EINVAL,
			    "kdump: disk_dump_header header_version 0x%x is not a version in either "
			    "byte order",
			    v_le);
	bool be = k->big_endian;
	uint32_t version = be ? v_be : v_le;
	const struct kdump_layout *l = pick_layout(be, h, size);
	if (!l)
		return bad_header(k, err, h);

	k->status = get32(be, h + l->status);
	k->block_size = get32(be, h + l->block_size);
	k->block_shift = (unsigned)__builtin_ctz(k->block_size);
	uint64_t bs = k->block_size, sub_blocks = get32(be, h + l->sub_hdr_size),
		 bitmap_blocks = get32(be, h + l->bitmap_blocks);
	if ((1 + sub_blocks) * bs > size)
		return fail(k, err, -EINVAL,
			    "kdump: the sub-header (sub_hdr_size %llu blocks of %llu bytes) ends past "
			    "the end of the file (%llu bytes; truncated?)",
			    (unsigned long long)sub_blocks, (unsigned long long)bs,
			    (unsigned long long)size);
	pgt_kdfile_copy(&k->f, bs, sub, l->sub_size);

	/*
	 * max_mapnr is 32 bits; version 6 added the full value in the
	 * sub-header, which must agree with it where it fits. Where it does
	 * not, and the 32-bit value is not saturated, that one is exact: the
	 * sub-header is then laid out differently (a 32-bit ARM makedumpfile
	 * aligns its off_t fields to 8, a 32-bit one built with 64-bit time_t
	 * has a 64-bit header but a 32-bit sub-header).
	 */
	uint64_t max32 = get32(be, h + l->max_mapnr);
	k->max_mapnr = max32;
	if (version >= 6) {
		uint64_t max64 = get64(be, sub + l->max_mapnr_64);
		if ((max64 < 0xffffffffull ? max64 : 0xffffffffull) == max32)
			k->max_mapnr = max64;
		else if (max32 == 0xffffffffull)
			return fail(k, err, -EINVAL,
				    "kdump: kdump_sub_header max_mapnr_64 0x%llx disagrees with "
				    "disk_dump_header max_mapnr 0x%llx",
				    (unsigned long long)max64, (unsigned long long)max32);
	}

	/* like crash, the 2nd bitmap starts half way */
	uint64_t bitmap_off = (1 + sub_blocks) * bs, bitmap_len = bitmap_blocks * bs;
	uint64_t half = bitmap_len / 2;
	if (k->max_mapnr > half * 8)
		return fail(k, err, -EINVAL,
			    "kdump: max_mapnr 0x%llx needs 0x%llx bitmap bytes, but bitmap_blocks "
			    "%llu gives 0x%llx per bitmap",
			    (unsigned long long)k->max_mapnr,
			    (unsigned long long)((k->max_mapnr + 7) / 8),
			    (unsigned long long)bitmap_blocks, (unsigned long long)half);
	if (k->max_mapnr > (UINT64_MAX >> k->block_shift))
		return fail(k, err, -EINVAL,
			    "kdump: max_mapnr 0x%llx pages of %u bytes exceed 64-bit addresses",
			    (unsigned long long)k->max_mapnr, k->block_size);

	/*
	 * A split dump (makedumpfile --split) holds the pfns [start, end).
	 * The unsigned long fields are exact on a 32-bit machine and lie at
	 * the same place in every 32-bit layout; the 64-bit copies of version
	 * 6 move with the alignment of off_t, so only 64-bit dumps use them.
	 */
	k->lo = 0;
	k->hi = k->max_mapnr;
	if (version >= 2 && get32(be, sub + l->split)) {
		uint64_t s = get_long(be, l, sub + l->start_pfn), e = get_long(be, l, sub + l->end_pfn);
		if (version >= 6 && l->long_size == 8) {
			s = get64(be, sub + l->start_pfn_64);
			e = get64(be, sub + l->end_pfn_64);
		}
		if (s > e || e > k->max_mapnr)
			return fail(k, err, -EINVAL,
				    "kdump: split dump pfns 0x%llx to 0x%llx are not within max_mapnr "
				    "0x%llx",
				    (unsigned long long)s, (unsigned long long)e,
				    (unsigned long long)k->max_mapnr);
		k->lo = s;
		k->hi = e;
	}

	/*
	 * Only the 2nd bitmap's bytes up to pfn hi are read. The rest may be
	 * missing: a split dump writes the bitmap of its own pfns only, so the
	 * last part of a split file can end inside the bitmaps.
	 */
	k->bitmap_bytes = (k->hi + 7) / 8;
	if (bitmap_off + half > size || k->bitmap_bytes > size - bitmap_off - half)
		return fail(k, err, -EINVAL,
			    "kdump: the dumped-pfn bitmap (0x%llx bytes from offset 0x%llx, "
			    "bitmap_blocks %llu) ends past the end of the file (%llu bytes; "
			    "truncated?)",
			    (unsigned long long)k->bitmap_bytes,
			    (unsigned long long)(bitmap_off + half), (unsigned long long)bitmap_blocks,
			    (unsigned long long)size);
	/*
	 * A flattened file is as long as its records say, holes included, so
	 * a few records far apart make a tiny file claim terabytes of bitmap,
	 * which would be copied and counted whole. makedumpfile -F and QEMU
	 * write every bitmap block (and -F does not split), so its bytes are
	 * in the file: a bitmap longer than the file is damage.
	 */
	if (k->f.flat && k->bitmap_bytes > k->f.file.size)
		return fail(k, err, -EINVAL,
			    "kdump: the dumped-pfn bitmap (0x%llx bytes for 0x%llx pages) is "
			    "longer than the whole flattened file (%llu bytes)",
			    (unsigned long long)k->bitmap_bytes, (unsigned long long)k->max_mapnr,
			    (unsigned long long)k->f.file.size);
	k->bitmap_off = bitmap_off + half;
	int rc = index_bitmap(k);
	if (rc)
		return fail(k, err, rc, "kdump: the dumped-pfn bitmap: %s",
			    rc == -ENOMEM ? "out of memory" : k->f.file.why);
	uint64_t total = k->n_dumped;

	k->desc_off = bitmap_off + bitmap_len;
	if (total && (k->desc_off > size || total > (size - k->desc_off) / KDUMP_PD_SIZE))
		return fail(k, err, -EINVAL,
			    "kdump: the page descriptors (%llu dumped pages, 24 bytes each, at "
			    "offset 0x%llx) end past the end of the file (%llu bytes; truncated?)",
			    (unsigned long long)total, (unsigned long long)k->desc_off,
			    (unsigned long long)size);
	return &k->mem;
}

struct pgt_mem *pgt_kdump_open(const char *path, struct pgt_error *err)
{
	struct kdump *k = calloc(1, sizeof(*k));
	if (!k) {
		pgt_fail(err, -ENOMEM, "out of memory");
		return NULL;
	}
	k->mem.ops = &kd_ops;
	k->path = strdup(path);
	k->mem.name = k->path;
	if (!k->path)
		return fail(k, err, -ENOMEM, "out of memory");
	int rc = pgt_kdfile_open(&k->f, path, err);
	if (rc) {
		kd_destroy(&k->mem);
		return NULL;
	}
	return read_header(k, err);
}

// SPDX-License-Identifier: MIT
/*
 * A compressed kdump ("KDUMP   ", makedumpfile's diskdump format) read in
 * place. Block 0 is struct disk_dump_header, sub_hdr_size blocks from block
 * 1 hold the kdump_sub_header (and notes), then two bitmaps of
 * bitmap_blocks / 2 blocks: RAM pfns, then dumped pfns. Each dumped pfn, in pfn order, has a
 * 24-byte page_desc after the bitmaps, pointing at its data: compressed,
 * or raw when compression did not pay. A pfn's descriptor is found by
 * counting the dumped pfns before it, kept O(1) with a count per 512 pfns
 * computed at open; pages are decompressed only when read, into a small
 * cache. Nothing of the file is trusted: every offset and size is checked
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
#define SUPER_SHIFT 9 /* pfns per rank count: 512, eight bitmap words */

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
	const uint8_t *bitmap; /* the 2nd (dumped-pfn) bitmap */
	uint64_t bitmap_bytes;
	uint8_t *bitmap_copy; /* when the bitmap is not one piece of the mapping */
	uint64_t *rank; /* dumped pfns in [lo, hi) before pfn i << SUPER_SHIFT */
	uint64_t n_dumped;
	uint64_t desc_off; /* file offset of page_desc[0] */
	struct cached cache[CACHE_PAGES];
	uint64_t clock;
	size_t last;
	uint8_t *scratch; /* compressed bytes split across flattened records */
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

/* Bits of the dumped-pfn bitmap for pfns [64 w, 64 w + 64), limited to
 * [lo, hi): bit i of byte b is pfn 8 b + i, so the bytes read as a
 * little-endian word whatever the dumped machine's byte order. */
static uint64_t bits(const struct kdump *k, uint64_t w)
{
	uint64_t v = 0, at = w * 8, first = w * 64;
	if (at + 8 <= k->bitmap_bytes)
		memcpy(&v, k->bitmap + at, 8);
	else if (at < k->bitmap_bytes)
		memcpy(&v, k->bitmap + at, k->bitmap_bytes - at);
	v = le64toh(v);
	if (first < k->lo)
		v &= k->lo - first >= 64 ? 0 : ~0ull << (k->lo - first);
	if (first + 64 > k->hi)
		v &= k->hi <= first ? 0 : ~0ull >> (64 - (k->hi - first));
	return v;
}

static bool dumped(const struct kdump *k, uint64_t pfn)
{
	return pfn >= k->lo && pfn < k->hi && (k->bitmap[pfn >> 3] >> (pfn & 7) & 1);
}

/* Index of pfn's page_desc: the dumped pfns before it. */
static uint64_t rank_of(const struct kdump *k, uint64_t pfn)
{
	uint64_t r = k->rank[pfn >> SUPER_SHIFT];
	for (uint64_t w = (pfn >> SUPER_SHIFT) << (SUPER_SHIFT - 6); w < pfn >> 6; w++)
		r += (uint64_t)__builtin_popcountll(bits(k, w));
	if (pfn & 63)
		r += (uint64_t)__builtin_popcountll(bits(k, pfn >> 6) & ((1ull << (pfn & 63)) - 1));
	return r;
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

static int read_desc(struct kdump *k, uint64_t pfn, struct page_desc *pd)
{
	uint8_t raw[KDUMP_PD_SIZE];
	uint64_t at = k->desc_off + rank_of(k, pfn) * KDUMP_PD_SIZE;
	const uint8_t *p = pgt_kdfile_view(&k->f, at, KDUMP_PD_SIZE);
	if (!p) {
		if (pgt_kdfile_copy(&k->f, at, raw, sizeof(raw)))
			return page_fail(k, pfn, -EIO, "page_desc at 0x%llx is past the end",
					 (unsigned long long)at);
		p = raw;
	}
	pd->offset = get64(k->big_endian, p);
	pd->size = get32(k->big_endian, p + 8);
	pd->flags = get32(k->big_endian, p + 12);
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
 * The block_size bytes of page pfn: in place when stored raw in one piece
 * of the mapping; otherwise, if fill, decompressed (or gathered) into the
 * cache, valid until the next call, else -EAGAIN. -ENODATA for a page the
 * dump does not hold, -EIO for one whose descriptor or data is damaged
 * (k->why says how).
 */
static int page_data(struct kdump *k, uint64_t pfn, bool fill, const uint8_t **out)
{
	if (!dumped(k, pfn))
		return -ENODATA;
	struct cached *c = fill ? cache_find(k, pfn) : NULL;
	if (c) {
		c->used = ++k->clock;
		*out = c->data;
		return 0;
	}
	struct page_desc pd = {0};
	int rc = read_desc(k, pfn, &pd);
	if (rc)
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
	const uint8_t *in = pgt_kdfile_view(&k->f, pd.offset, pd.size);
	if (!method && in) {
		*out = in;
		return 0;
	}
	if (!fill)
		return -EAGAIN;
	if (!(c = cache_victim(k)))
		return page_fail(k, pfn, -ENOMEM, "out of memory");
	if (!method) {
		pgt_kdfile_copy(&k->f, pd.offset, c->data, pd.size);
	} else {
		if (!in) {
			if (!k->scratch && !(k->scratch = malloc(2 * (size_t)k->block_size)))
				return page_fail(k, pfn, -ENOMEM, "out of memory");
			pgt_kdfile_copy(&k->f, pd.offset, k->scratch, pd.size);
			in = k->scratch;
		}
		char why[160];
		rc = pgt_kdump_decompress(&k->dctx, method, in, pd.size, c->data, k->block_size, why,
					  sizeof(why));
		if (rc)
			return page_fail(k, pfn, rc, "%s", rc == -ENOMEM ? "out of memory" : why);
	}
	c->pfn = pfn;
	c->valid = true;
	c->used = ++k->clock;
	*out = c->data;
	return 0;
}

/*
 * Only raw pages stored in one piece hand out a pointer: it points into the
 * file's mapping and lives as long as the memory, as the interface
 * promises. A compressed page's bytes exist only in the cache, which the
 * next read may reuse, so for those ptr() says NULL and callers read().
 */
static void *kd_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	struct kdump *k = kd_of(mem);
	uint64_t in_page = pa & (k->block_size - 1);
	const uint8_t *p;
	if (!len || in_page + len > k->block_size)
		return NULL;
	if (page_data(k, pa >> k->block_shift, false, &p))
		return NULL;
	return (void *)(p + in_page);
}

static int kd_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	struct kdump *k = kd_of(mem);
	uint8_t *out = buf;
	while (len) {
		uint64_t in_page = pa & (k->block_size - 1);
		uint64_t n = k->block_size - in_page < len ? k->block_size - in_page : len;
		const uint8_t *p;
		int rc = page_data(k, pa >> k->block_shift, true, &p);
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
	bool in_run = false;
	uint64_t start = 0;
	for (uint64_t w = k->lo >> 6; w < (k->hi + 63) >> 6; w++) {
		uint64_t v = bits(k, w);
		if (in_run ? v == ~0ull : !v)
			continue;
		unsigned b = 0;
		for (;;) {
			uint64_t m = (in_run ? ~v : v) & (~0ull << b);
			if (!m)
				break;
			b = (unsigned)__builtin_ctzll(m);
			if (in_run) {
				if (n < max)
					out[n] = (struct pgt_mem_range){start << k->block_shift,
									(w * 64 + b - start) << k->block_shift};
				n++;
			} else {
				start = w * 64 + b;
			}
			in_run = !in_run;
		}
	}
	if (in_run) {
		if (n < max)
			out[n] = (struct pgt_mem_range){start << k->block_shift,
							(k->hi - start) << k->block_shift};
		n++;
	}
	return n;
}

static void kd_destroy(struct pgt_mem *mem)
{
	struct kdump *k = kd_of(mem);
	for (size_t i = 0; i < CACHE_PAGES; i++)
		free(k->cache[i].data);
	pgt_kdump_decompress_free(k->dctx);
	free(k->scratch);
	free(k->rank);
	free(k->bitmap_copy);
	pgt_kdfile_close(&k->f);
	free(k->path);
	free(k);
}

static const char *kd_why(struct pgt_mem *mem)
{
	return kd_of(mem)->why;
}

static const struct pgt_mem_ops kd_ops = {
	.ptr = kd_ptr,
	.read = kd_read,
	.why = kd_why,
	.ranges = kd_ranges,
	.destroy = kd_destroy,
};

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
	k->bitmap = pgt_kdfile_view(&k->f, bitmap_off + half, k->bitmap_bytes);
	if (!k->bitmap && k->bitmap_bytes) {
		/* a flattened dump writes its bitmaps a block per record */
		if (!(k->bitmap_copy = malloc(k->bitmap_bytes)))
			return fail(k, err, -ENOMEM, "out of memory for the bitmap");
		pgt_kdfile_copy(&k->f, bitmap_off + half, k->bitmap_copy, k->bitmap_bytes);
		k->bitmap = k->bitmap_copy;
	}

	uint64_t n_super = (k->hi >> SUPER_SHIFT) + 1;
	if (!(k->rank = malloc(n_super * sizeof(*k->rank))))
		return fail(k, err, -ENOMEM, "out of memory for the bitmap counts");
	uint64_t total = 0;
	for (uint64_t s = 0; s < n_super; s++) {
		k->rank[s] = total;
		uint64_t w0 = s << (SUPER_SHIFT - 6);
		for (uint64_t w = w0; w < w0 + (1u << (SUPER_SHIFT - 6)) && w * 64 < k->hi; w++)
			total += (uint64_t)__builtin_popcountll(bits(k, w));
	}
	k->n_dumped = total;

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

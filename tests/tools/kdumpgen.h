/* SPDX-License-Identifier: MIT */
/*
 * Write a compressed kdump of a flat memory image, as makedumpfile and
 * QEMU dump-guest-memory write them: disk_dump_header in block 0,
 * kdump_sub_header in block 1, the RAM and dumped-pfn bitmaps, one
 * page_desc per dumped pfn, then the pages, each compressed when that
 * makes it smaller and raw otherwise; all-zero pages share one raw zero
 * page, as QEMU (and makedumpfile -d 1) do. Flattened output is
 * makedumpfile -F's stream: a 4096-byte "makedumpfile" header, then
 * (offset, size) records, big-endian, ending with (-1, -1).
 *
 * A header of static functions, like harness.h, so that the mkkdump tool
 * and the unit test share it without a library of their own.
 */
#ifndef PGT_TEST_KDUMPGEN_H
#define PGT_TEST_KDUMPGEN_H

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "mem/kdump.h"

/* pfns [pfn, pfn + n) */
struct kdumpgen_range {
	uint64_t pfn, n;
};

struct kdumpgen {
	unsigned compress;	/* KDUMP_ZLIB, _LZO, _SNAPPY, _ZSTD or 0 */
	uint32_t block_size;	/* 0: 4096 */
	unsigned header_version; /* 0: 6 */
	bool flat;
	bool big_endian;
	bool layout32;		/* QEMU's packed DiskDumpHeader32 / i386 */
	const struct kdumpgen_range *exclude;
	size_t n_exclude;
	/* makedumpfile --split: this file holds the pfns [split_start, split_end) */
	bool split;
	uint64_t split_start, split_end;
	/* flattened: most bytes of page data or descriptors per record
	 * (0: four blocks, like QEMU's write cache); odd sizes cut pages and
	 * descriptors across records */
	uint64_t flat_chunk;
	/* flattened: first write garbage over the headers and descriptors,
	 * then the real bytes, so that later records must win */
	bool flat_rewrite;
};

/* Where things went, for tests that damage the file on purpose. */
struct kdumpgen_info {
	uint64_t max_mapnr, n_dumped, bitmap_blocks, desc_off, data_off, size;
	uint64_t n_compressed, n_raw, n_zero;
};

struct kdg_out {
	int fd;
	bool flat;
	int err;
};

static void kdg_write_all(struct kdg_out *o, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len && !o->err) {
		ssize_t n = write(o->fd, p, len);
		if (n <= 0) {
			o->err = n < 0 ? -errno : -EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
}

/* Put len bytes at offset of the dump file: a record when flattened. */
static void kdg_emit(struct kdg_out *o, uint64_t off, const void *buf, uint64_t len)
{
	if (!len || o->err)
		return;
	if (o->flat) {
		uint64_t h[2] = {htobe64(off), htobe64(len)};
		kdg_write_all(o, h, sizeof(h));
		kdg_write_all(o, buf, len);
		return;
	}
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = pwrite(o->fd, p, len, (off_t)off);
		if (n <= 0) {
			o->err = n < 0 ? -errno : -EIO;
			return;
		}
		p += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
}

/* A write cache like makedumpfile's cache_data: contiguous bytes going to
 * consecutive offsets, emitted chunk bytes at a time. */
struct kdg_stream {
	struct kdg_out *o;
	uint64_t off; /* where buf[0] goes */
	uint8_t *buf;
	uint64_t n, chunk;
};

static void kdg_stream_put(struct kdg_stream *s, const void *p, uint64_t len)
{
	const uint8_t *in = p;
	while (len) {
		uint64_t take = s->chunk - s->n < len ? s->chunk - s->n : len;
		memcpy(s->buf + s->n, in, take);
		s->n += take;
		in += take;
		len -= take;
		if (s->n == s->chunk) {
			kdg_emit(s->o, s->off, s->buf, s->n);
			s->off += s->n;
			s->n = 0;
		}
	}
}

static void kdg_stream_flush(struct kdg_stream *s)
{
	kdg_emit(s->o, s->off, s->buf, s->n);
	s->off += s->n;
	s->n = 0;
}

static void kdg_put32(bool be, uint8_t *p, uint32_t v)
{
	v = be ? htobe32(v) : htole32(v);
	memcpy(p, &v, 4);
}

static void kdg_put64(bool be, uint8_t *p, uint64_t v)
{
	v = be ? htobe64(v) : htole64(v);
	memcpy(p, &v, 8);
}

static void kdg_put_long(bool be, const struct kdump_layout *l, uint8_t *p, uint64_t v)
{
	if (l->long_size == 8)
		kdg_put64(be, p, v);
	else
		kdg_put32(be, p, (uint32_t)v);
}

static bool kdg_is_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Compress one page the way makedumpfile does; 0 when it does not pay. */
static size_t kdg_compress(unsigned method, const uint8_t *in, size_t bs, uint8_t *out,
			   size_t cap, void *lzo_wrk)
{
	switch (method) {
	case KDUMP_ZLIB: {
		uLongf n = cap;
		if (compress2(out, &n, in, bs, Z_BEST_SPEED) != Z_OK)
			return 0;
		return n < bs ? n : 0;
	}
	case KDUMP_LZO: {
		lzo_uint n = cap;
		if (lzo1x_1_compress(in, bs, out, &n, lzo_wrk) != LZO_E_OK)
			return 0;
		return n < bs ? n : 0;
	}
	case KDUMP_SNAPPY: {
		size_t n = cap;
		if (snappy_compress((const char *)in, bs, (char *)out, &n) != SNAPPY_OK)
			return 0;
		return n < bs ? n : 0;
	}
	case KDUMP_ZSTD: {
		size_t n = ZSTD_compress(out, cap, in, bs, 1);
		return !ZSTD_isError(n) && n < bs ? n : 0;
	}
	}
	return 0;
}

static bool kdg_excluded(const struct kdumpgen *g, uint64_t pfn)
{
	for (size_t i = 0; i < g->n_exclude; i++)
		if (pfn >= g->exclude[i].pfn && pfn - g->exclude[i].pfn < g->exclude[i].n)
			return true;
	return false;
}

/*
 * Dump the len bytes at mem, whose first byte is physical address base
 * (a multiple of the block size), to path. Only the pages the dump keeps
 * are read, so mem may be a huge sparse mapping. 0 or a negative errno,
 * with why filled in.
 */
static int kdumpgen_write(const char *path, const void *mem, uint64_t len, uint64_t base,
			  const struct kdumpgen *g, struct kdumpgen_info *info, char *why,
			  size_t why_len)
{
	const struct kdump_layout *l = g->layout32 ? &kdump_layout32 : &kdump_layout64;
	const bool be = g->big_endian;
	const uint64_t bs = g->block_size ? g->block_size : 4096;
	const unsigned version = g->header_version ? g->header_version : 6;
	struct kdumpgen_info inf = {0};
	int rc = 0;

	if (bs < 512 || bs > 65536 || (bs & (bs - 1)) || base % bs) {
		snprintf(why, why_len, "block size %llu is not a power of two from 512 to 64K, or "
			 "base 0x%llx is not a multiple of it",
			 (unsigned long long)bs, (unsigned long long)base);
		return -EINVAL;
	}
	const uint64_t first = base / bs, end = (base + len + bs - 1) / bs;
	const uint64_t max_mapnr = end;
	const uint64_t lo = g->split ? g->split_start : 0, hi = g->split ? g->split_end : end;
	const uint64_t bitmap_bytes = (max_mapnr + 7) / 8;
	const uint64_t bitmap_blocks1 = bitmap_bytes ? (bitmap_bytes + bs - 1) / bs : 1;
	const uint64_t bitmap_blocks = 2 * bitmap_blocks1;
	uint8_t *bm1 = calloc(bitmap_blocks1, bs), *bm2 = calloc(bitmap_blocks1, bs);
	uint8_t *block = calloc(1, bs), *page = malloc(bs), *cbuf = NULL;
	uint8_t *dbuf = malloc(2 * bs * 4 + 64), *pbuf = malloc(2 * bs * 4 + 64);
	size_t cap = compressBound(bs) + ZSTD_compressBound(bs) + snappy_max_compressed_length(bs) +
		     bs + bs / 16 + 64 + 3;
	void *lzo_wrk = malloc(LZO1X_1_MEM_COMPRESS);
	cbuf = malloc(cap);
	struct kdg_out o = {-1, g->flat, 0};
	if (!bm1 || !bm2 || !block || !page || !cbuf || !dbuf || !pbuf || !lzo_wrk) {
		snprintf(why, why_len, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	if (g->compress == KDUMP_LZO && lzo_init() != LZO_E_OK) {
		snprintf(why, why_len, "lzo_init failed");
		rc = -EIO;
		goto out;
	}
	for (uint64_t pfn = first; pfn < end; pfn++) {
		bm1[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
		if (!kdg_excluded(g, pfn)) {
			bm2[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
			if (pfn >= lo && pfn < hi)
				inf.n_dumped++;
		}
	}
	inf.max_mapnr = max_mapnr;
	inf.bitmap_blocks = bitmap_blocks;
	inf.desc_off = (2 + bitmap_blocks) * bs;
	inf.data_off = inf.desc_off + inf.n_dumped * KDUMP_PD_SIZE;

	o.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (o.fd < 0) {
		rc = -errno;
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (g->flat) {
		uint8_t fh[FLAT_HEADER_SIZE] = {0};
		memcpy(fh, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE) - 1);
		kdg_put64(true, fh + 16, FLAT_TYPE);
		kdg_put64(true, fh + 24, FLAT_VERSION);
		kdg_write_all(&o, fh, sizeof(fh));
		if (g->flat_rewrite) {
			memset(block, 0xa5, bs);
			kdg_emit(&o, 0, block, bs);
			kdg_emit(&o, bs / 2, block, bs);
			for (uint64_t at = inf.desc_off; at < inf.data_off; at += bs)
				kdg_emit(&o, at, block,
					 inf.data_off - at < bs ? inf.data_off - at : bs);
			memset(block, 0, bs);
		}
	}

	/* disk_dump_header: only its own bytes, like makedumpfile */
	uint8_t h[464] = {0};
	memcpy(h, KDUMP_SIGNATURE, KDUMP_SIG_LEN);
	kdg_put32(be, h + KDUMP_HDR_VERSION, version);
	strcpy((char *)h + 12, "Linux");
	strcpy((char *)h + 12 + 65, "pgtctl");
	strcpy((char *)h + 12 + 2 * 65, "6.12.0-pgtctl-test");
	strcpy((char *)h + 12 + 3 * 65, "#1 SMP");
	strcpy((char *)h + KDUMP_HDR_UTS_MACHINE, g->layout32 ? "i686" : "aarch64");
	kdg_put32(be, h + l->status, g->compress);
	kdg_put32(be, h + l->block_size, (uint32_t)bs);
	kdg_put32(be, h + l->sub_hdr_size, 1);
	kdg_put32(be, h + l->bitmap_blocks, (uint32_t)bitmap_blocks);
	kdg_put32(be, h + l->max_mapnr, max_mapnr > 0xffffffffull ? 0xffffffffu : (uint32_t)max_mapnr);
	kdg_put32(be, h + l->nr_cpus, 1);
	kdg_emit(&o, 0, h, l->hdr_size);

	uint8_t sub[104] = {0};
	kdg_put32(be, sub + l->long_size, 1); /* dump_level */
	if (g->split) {
		kdg_put32(be, sub + l->split, 1);
		kdg_put_long(be, l, sub + l->start_pfn, lo);
		kdg_put_long(be, l, sub + l->end_pfn, hi);
	}
	if (version >= 6) {
		kdg_put64(be, sub + l->start_pfn_64, g->split ? lo : 0);
		kdg_put64(be, sub + l->end_pfn_64, g->split ? hi : 0);
		kdg_put64(be, sub + l->max_mapnr_64, max_mapnr);
	}
	kdg_emit(&o, bs, sub, l->sub_size);

	/* the bitmaps a block per record, as QEMU writes them */
	for (uint64_t b = 0; b < bitmap_blocks1; b++)
		kdg_emit(&o, (2 + b) * bs, bm1 + b * bs, bs);
	for (uint64_t b = 0; b < bitmap_blocks1; b++)
		kdg_emit(&o, (2 + bitmap_blocks1 + b) * bs, bm2 + b * bs, bs);

	uint64_t chunk = g->flat && g->flat_chunk ? g->flat_chunk : 4 * bs;
	if (chunk > 4 * bs)
		chunk = 4 * bs;
	struct kdg_stream ds = {&o, inf.desc_off, dbuf, 0, chunk};
	struct kdg_stream ps = {&o, inf.data_off, pbuf, 0, chunk};
	uint64_t data_at = inf.data_off, zero_at = UINT64_MAX;
	for (uint64_t pfn = lo > first ? lo : first; pfn < hi && pfn < end; pfn++) {
		if (!(bm2[pfn / 8] >> (pfn % 8) & 1))
			continue;
		uint64_t pa = pfn * bs, n = base + len - pa < bs ? base + len - pa : bs;
		memcpy(page, (const uint8_t *)mem + (pa - base), n);
		memset(page + n, 0, bs - n);
		uint8_t pd[KDUMP_PD_SIZE] = {0};
		if (kdg_is_zero(page, bs)) {
			if (zero_at == UINT64_MAX) {
				zero_at = data_at;
				kdg_stream_put(&ps, page, bs);
				data_at += bs;
			}
			kdg_put64(be, pd, zero_at);
			kdg_put32(be, pd + 8, (uint32_t)bs);
			inf.n_zero++;
		} else {
			size_t c = kdg_compress(g->compress, page, bs, cbuf, cap, lzo_wrk);
			kdg_put64(be, pd, data_at);
			kdg_put32(be, pd + 8, c ? (uint32_t)c : (uint32_t)bs);
			kdg_put32(be, pd + 12, c ? g->compress : 0);
			kdg_stream_put(&ps, c ? cbuf : page, c ? c : bs);
			data_at += c ? c : bs;
			if (c)
				inf.n_compressed++;
			else
				inf.n_raw++;
		}
		kdg_stream_put(&ds, pd, sizeof(pd));
	}
	kdg_stream_flush(&ps);
	kdg_stream_flush(&ds);
	inf.size = data_at;
	if (g->flat) {
		uint64_t endrec[2] = {htobe64((uint64_t)FLAT_END), htobe64((uint64_t)FLAT_END)};
		kdg_write_all(&o, endrec, sizeof(endrec));
	} else if (!o.err && ftruncate(o.fd, (off_t)data_at) < 0) {
		o.err = -errno;
	}
	if (o.err) {
		rc = o.err;
		snprintf(why, why_len, "%s: %s", path, strerror(-rc));
	}
out:
	if (o.fd >= 0 && close(o.fd) < 0 && !rc) {
		rc = -errno;
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
	}
	free(bm1);
	free(bm2);
	free(block);
	free(page);
	free(cbuf);
	free(dbuf);
	free(pbuf);
	free(lzo_wrk);
	if (info)
		*info = inf;
	return rc;
}

#endif

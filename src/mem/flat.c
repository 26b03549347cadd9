// SPDX-License-Identifier: MIT
/*
 * The dump file as the bytes a diskdump reader expects. A plain kdump is
 * read as it is. A flattened one (makedumpfile -F, QEMU
 * dump-guest-memory -z) is a 4096-byte header and then records "write
 * these buf_size bytes at offset" that makedumpfile -R would replay into a
 * sparse file; rather than rebuild that file, the records are indexed once
 * at open and reads go through the index. Later records win where they
 * overlap, as they would in the replay, and bytes no record wrote read as
 * the zeros of the replayed file's holes.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kdump.h"

/* One record of the flattened file: seq orders them for "later wins". */
struct record {
	uint64_t off, len, file_off;
	size_t seq;
};

static uint64_t be64_at(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return be64toh(v);
}

/* What a read of the file found wrong, for index_fail's "%s". */
#define READ_FAILED(f) "%s", (f)->file.why

static int by_off(const void *a, const void *b)
{
	const struct record *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A max-heap of records by seq: the one on top owns the current byte. */
struct heap {
	const struct record **r;
	size_t n;
};

static void heap_push(struct heap *h, const struct record *r)
{
	size_t i = h->n++;
	while (i && h->r[(i - 1) / 2]->seq < r->seq) {
		h->r[i] = h->r[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->r[i] = r;
}

static void heap_pop(struct heap *h)
{
	const struct record *last = h->r[--h->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->r[c + 1]->seq > h->r[c]->seq)
			c++;
		if (h->r[c]->seq <= last->seq)
			break;
		h->r[i] = h->r[c];
		i = c;
	}
	if (h->n)
		h->r[i] = last;
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int add_extent(struct kdfile *f, size_t *cap, uint64_t off, uint64_t len,
		      uint64_t file_off)
{
	if (f->n_ext) {
		struct kdfile_extent *p = &f->ext[f->n_ext - 1];
		if (p->off + p->len == off && p->file_off + p->len == file_off) {
			p->len += len;
			return 0;
		}
	}
	if (f->n_ext == *cap) {
		size_t ncap = *cap ? 2 * *cap : 64;
		struct kdfile_extent *e = realloc(f->ext, ncap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		f->ext = e;
		*cap = ncap;
	}
	f->ext[f->n_ext++] = (struct kdfile_extent){off, len, file_off};
	return 0;
}

/*
 * Overlapping records: cut the logical file at every record boundary; each
 * piece belongs to the latest record covering it. A sweep over the sorted
 * boundaries with a heap of the records in force: O(n log n).
 */
static int resolve_overlaps(struct kdfile *f, struct record *rec, size_t n)
{
	uint64_t *cut = malloc(2 * n * sizeof(*cut));
	struct heap h = {malloc(n * sizeof(*h.r)), 0};
	size_t cap = 0, n_cut = 0, next = 0;
	int rc = -ENOMEM;
	if (!cut || !h.r)
		goto out;
	for (size_t i = 0; i < n; i++) {
		cut[n_cut++] = rec[i].off;
		cut[n_cut++] = rec[i].off + rec[i].len;
	}
	qsort(cut, n_cut, sizeof(*cut), by_u64);
	for (size_t k = 0; k + 1 < n_cut; k++) {
		uint64_t lo = cut[k], hi = cut[k + 1];
		if (lo == hi)
			continue;
		while (next < n && rec[next].off <= lo)
			heap_push(&h, &rec[next++]);
		while (h.n && h.r[0]->off + h.r[0]->len <= lo)
			heap_pop(&h);
		/* Records under the top that already ended are dropped when
		 * they surface; the top itself covers lo here. */
		if (!h.n)
			continue;
		const struct record *r = h.r[0];
		if ((rc = add_extent(f, &cap, lo, hi - lo, r->file_off + (lo - r->off))))
			goto out;
	}
	rc = 0;
out:
	free(cut);
	free(h.r);
	return rc;
}

static int index_fail(struct kdfile *f, struct record *rec, struct pgt_error *err, int code,
		      const char *path, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int index_fail(struct kdfile *f, struct record *rec, struct pgt_error *err, int code,
		      const char *path, const char *fmt, ...)
{
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	free(rec);
	free(f->ext);
	f->ext = NULL;
	f->n_ext = 0;
	return pgt_fail(err, code, "%s: flattened kdump: %s", path, why);
}

static int build_index(struct kdfile *f, const char *path, struct pgt_error *err)
{
	uint8_t m[32];
	if (f->file.size < FLAT_HEADER_SIZE)
		return index_fail(f, NULL, err, -EINVAL, path,
				  "the file is %llu bytes, shorter than the %d-byte header",
				  (unsigned long long)f->file.size, FLAT_HEADER_SIZE);
	if (pgt_infile_read(&f->file, 0, m, sizeof(m)))
		return index_fail(f, NULL, err, -EIO, path, READ_FAILED(f));
	/* makedumpfile -R compares the signature with strcmp */
	if (memcmp(m, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE)))
		return index_fail(f, NULL, err, -EINVAL, path,
				  "no \"%s\" signature", FLAT_SIGNATURE);
	uint64_t type = be64_at(m + 16);
	if (type != FLAT_TYPE)
		return index_fail(f, NULL, err, -EINVAL, path,
				  "header type is %llu, not %d (big-endian int64 at offset 16)",
				  (unsigned long long)type, FLAT_TYPE);

	size_t n = 0, cap = 0;
	struct record *rec = NULL;
	uint64_t pos = FLAT_HEADER_SIZE;
	bool sorted = true;
	for (;;) {
		if (f->file.size - pos < 16)
			return index_fail(f, rec, err, -EINVAL, path,
					  "no end record: the records stop at file offset 0x%llx "
					  "(truncated?)",
					  (unsigned long long)pos);
		uint8_t h[16];
		if (pgt_infile_read(&f->file, pos, h, sizeof(h)))
			return index_fail(f, rec, err, -EIO, path, READ_FAILED(f));
		int64_t off = (int64_t)be64_at(h), len = (int64_t)be64_at(h + 8);
		if (off == FLAT_END && len == FLAT_END)
			break;
		if (off < 0 || len <= 0 || off > INT64_MAX - len)
			return index_fail(f, rec, err, -EINVAL, path,
					  "record at file offset 0x%llx has offset %lld and "
					  "size %lld",
					  (unsigned long long)pos, (long long)off, (long long)len);
		if ((uint64_t)len > f->file.size - pos - 16)
			return index_fail(f, rec, err, -EINVAL, path,
					  "record at file offset 0x%llx holds 0x%llx bytes, past "
					  "the end of the file (truncated?)",
					  (unsigned long long)pos, (unsigned long long)len);
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			struct record *r = realloc(rec, cap * sizeof(*r));
			if (!r)
				return index_fail(f, rec, err, -ENOMEM, path, "out of memory");
			rec = r;
		}
		rec[n] = (struct record){(uint64_t)off, (uint64_t)len, pos + 16, n};
		if (n && rec[n - 1].off + rec[n - 1].len > rec[n].off)
			sorted = false;
		n++;
		pos += 16 + (uint64_t)len;
	}
	f->n_records = n;

	/* makedumpfile and QEMU write in increasing offsets almost always: then
	 * the records are the index. Otherwise sort, and if any overlap,
	 * resolve them. */
	if (!sorted)
		qsort(rec, n, sizeof(*rec), by_off);
	bool overlap = false;
	for (size_t i = 1; i < n && !overlap; i++)
		overlap = rec[i - 1].off + rec[i - 1].len > rec[i].off;
	size_t ecap = 0;
	int rc = 0;
	if (overlap)
		rc = resolve_overlaps(f, rec, n);
	else
		for (size_t i = 0; i < n && !rc; i++)
			rc = add_extent(f, &ecap, rec[i].off, rec[i].len, rec[i].file_off);
	if (rc)
		return index_fail(f, rec, err, rc, path, "out of memory");
	free(rec);
	f->size = f->n_ext ? f->ext[f->n_ext - 1].off + f->ext[f->n_ext - 1].len : 0;
	return 0;
}

int pgt_kdfile_open(struct kdfile *f, const char *path, struct pgt_error *err)
{
	char sig[sizeof(FLAT_SIGNATURE) - 1];
	memset(f, 0, sizeof(*f));
	int rc = pgt_infile_open(&f->file, path, err);
	if (rc)
		return rc;
	f->size = f->file.size;
	if (f->file.size >= sizeof(FLAT_SIGNATURE) &&
	    pgt_infile_read(&f->file, 0, sig, sizeof(sig))) {
		rc = pgt_fail(err, -EIO, "%s", f->file.why);
		pgt_kdfile_close(f);
		return rc;
	}
	f->flat = f->file.size >= sizeof(FLAT_SIGNATURE) &&
		  !memcmp(sig, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE) - 1);
	if (f->flat) {
		rc = build_index(f, path, err);
		if (rc) {
			pgt_kdfile_close(f);
			return rc;
		}
	}
	return 0;
}

void pgt_kdfile_close(struct kdfile *f)
{
	pgt_infile_close(&f->file);
	free(f->ext);
	memset(f, 0, sizeof(*f));
}

/* The extent holding off, or the first one after it (n_ext if none). */
static size_t find_extent(struct kdfile *f, uint64_t off)
{
	if (f->last < f->n_ext) {
		const struct kdfile_extent *e = &f->ext[f->last];
		if (off >= e->off && off - e->off < e->len)
			return f->last;
	}
	size_t lo = 0, hi = f->n_ext;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct kdfile_extent *e = &f->ext[mid];
		if (off < e->off)
			hi = mid;
		else if (off - e->off >= e->len)
			lo = mid + 1;
		else
			return f->last = mid;
	}
	return lo;
}

int pgt_kdfile_copy(struct kdfile *f, uint64_t off, void *buf, uint64_t len)
{
	if (off > f->size || len > f->size - off) {
		snprintf(f->file.why, sizeof(f->file.why),
			 "0x%llx bytes at offset 0x%llx are past the end of the dump",
			 (unsigned long long)len, (unsigned long long)off);
		return -EIO;
	}
	if (!len)
		return 0;
	uint8_t *out = buf;
	if (!f->flat)
		return pgt_infile_read(&f->file, off, out, len);
	size_t i = find_extent(f, off);
	while (len) {
		const struct kdfile_extent *e = i < f->n_ext ? &f->ext[i] : NULL;
		uint64_t n;
		if (!e || off < e->off) {
			/* a hole: what -R leaves unwritten */
			n = e && e->off - off < len ? e->off - off : len;
			memset(out, 0, n);
		} else {
			n = e->len - (off - e->off) < len ? e->len - (off - e->off) : len;
			int rc = pgt_infile_read(&f->file, e->file_off + (off - e->off), out, n);
			if (rc)
				return rc;
			i++;
		}
		out += n;
		off += n;
		len -= n;
	}
	return 0;
}

bool pgt_kdfile_data(struct kdfile *f, uint64_t off, uint64_t *start, uint64_t *end)
{
	if (off >= f->size)
		return false;
	if (!f->flat) {
		/* the file's holes, and never past the logical end */
		if (!pgt_infile_data(&f->file, off, start, end))
			return false;
		if (*end > f->size)
			*end = f->size;
		return *start < *end;
	}
	size_t i = find_extent(f, off);
	if (i == f->n_ext)
		return false;
	const struct kdfile_extent *e = &f->ext[i];
	*start = off > e->off ? off : e->off;
	*end = e->off + e->len;
	return true;
}

/* SPDX-License-Identifier: MIT */
/*
 * Inside the kdump reader: the dump file as a run of bytes (a plain
 * "KDUMP   " file, or a flattened one read through an index of its
 * records) and the page decompressors. The on-disk facts shared with the
 * test generator are here too, so that both spell them the same way.
 */
#ifndef PGT_MEM_KDUMP_H
#define PGT_MEM_KDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "pgt/base.h"
#include "util/infile.h"

/*
 * makedumpfile's diskdump_mod.h and QEMU's include/sysemu/dump.h. Offsets are
 * those of struct disk_dump_header and struct kdump_sub_header as a 64-bit
 * makedumpfile lays them out (QEMU's DiskDumpHeader64/KdumpSubHeader64 spell
 * the padding out: utsname ends at 402, the 16-byte timeval is aligned to
 * 408), and of the 32-bit form (QEMU's packed DiskDumpHeader32, i386: the
 * 8-byte timeval follows utsname at 404 with 4-byte alignment).
 */
#define KDUMP_SIGNATURE "KDUMP   "
#define KDUMP_SIG_LEN 8
#define KDUMP_HDR_VERSION 8 /* int header_version */
#define KDUMP_HDR_UTS_MACHINE (12 + 4 * 65)

struct kdump_layout {
	unsigned hdr_size; /* bytes of struct disk_dump_header */
	unsigned status, block_size, sub_hdr_size, bitmap_blocks, max_mapnr, nr_cpus;
	unsigned sub_size; /* bytes of struct kdump_sub_header */
	unsigned long_size; /* phys_base, start_pfn, end_pfn: unsigned long */
	unsigned split, start_pfn, end_pfn, start_pfn_64, end_pfn_64, max_mapnr_64;
};

static const struct kdump_layout kdump_layout64 = {
	.hdr_size = 464, .status = 424, .block_size = 428, .sub_hdr_size = 432,
	.bitmap_blocks = 436, .max_mapnr = 440, .nr_cpus = 460,
	.sub_size = 104, .long_size = 8, .split = 12, .start_pfn = 16, .end_pfn = 24,
	.start_pfn_64 = 80, .end_pfn_64 = 88, .max_mapnr_64 = 96,
};

static const struct kdump_layout kdump_layout32 = {
	.hdr_size = 452, .status = 412, .block_size = 416, .sub_hdr_size = 420,
	.bitmap_blocks = 424, .max_mapnr = 428, .nr_cpus = 448,
	.sub_size = 80, .long_size = 4, .split = 8, .start_pfn = 12, .end_pfn = 16,
	.start_pfn_64 = 56, .end_pfn_64 = 64, .max_mapnr_64 = 72,
};

/* page_desc: off_t offset; unsigned size; unsigned flags; u64 page_flags */
#define KDUMP_PD_SIZE 24

/* page_desc.flags and disk_dump_header.status */
#define KDUMP_ZLIB 0x1
#define KDUMP_LZO 0x2
#define KDUMP_SNAPPY 0x4
#define KDUMP_INCOMPLETE 0x8 /* status only: makedumpfile ran out of space */
#define KDUMP_ZSTD 0x20
#define KDUMP_COMPRESSION (KDUMP_ZLIB | KDUMP_LZO | KDUMP_SNAPPY | KDUMP_ZSTD)

/* makedumpfile.h: struct makedumpfile_header, makedumpfile_data_header */
#define FLAT_SIGNATURE "makedumpfile"
#define FLAT_HEADER_SIZE 4096
#define FLAT_TYPE 1
#define FLAT_VERSION 1
#define FLAT_END (-1)

/* A piece of the logical file stored at file_off of the flattened file. */
struct kdfile_extent {
	uint64_t off;
	uint64_t len;
	uint64_t file_off;
};

/*
 * The bytes of the dump as the diskdump reader sees them. A plain file is
 * read as it is; a flattened one is the file its records would rebuild,
 * found through ext (sorted, disjoint; bytes no record wrote read as zeros,
 * as they would in the sparse file makedumpfile -R writes).
 */
struct kdfile {
	struct pgt_infile file;
	uint64_t size; /* logical size */
	bool flat;
	struct kdfile_extent *ext;
	size_t n_ext;
	size_t n_records;
	size_t last; /* extent of the previous lookup */
};

int pgt_kdfile_open(struct kdfile *f, const char *path, struct pgt_error *err);
void pgt_kdfile_close(struct kdfile *f);
/* Copy [off, off + len) out; -EIO when any of it lies beyond the end or
 * cannot be read (f->file.why says why). */
int pgt_kdfile_copy(struct kdfile *f, uint64_t off, void *buf, uint64_t len);
/* The first run at or after off that may hold data: the file's holes (a
 * sparse plain file), or the stretches no record wrote (a flattened one)
 * are left out. False when none is left. */
bool pgt_kdfile_data(struct kdfile *f, uint64_t off, uint64_t *start, uint64_t *end);

/*
 * Decompress one page stored with method (one KDUMP_* compression bit) into
 * exactly out_len bytes. 0, or -EIO with why filled in (-ENOMEM when
 * memory ran out). ctx holds reusable decompressor state; free it with
 * pgt_kdump_decompress_free.
 */
struct kdump_dctx;
int pgt_kdump_decompress(struct kdump_dctx **ctx, unsigned method, const void *in, size_t in_len,
			 void *out, size_t out_len, char *why, size_t why_len);
void pgt_kdump_decompress_free(struct kdump_dctx *ctx);
const char *pgt_kdump_method_name(unsigned method);

#endif

// SPDX-License-Identifier: MIT
/*
 * One kdump page back to its bytes. makedumpfile and QEMU compress every
 * page on its own (zlib's compress2, lzo1x_1, snappy, zstd level 1), so
 * each is undone on its own too, and must come out at exactly the block
 * size: anything shorter or longer is a damaged dump, not a short page.
 */
#include <errno.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#include "kdump.h"

struct kdump_dctx {
	ZSTD_DCtx *zstd;
	bool lzo_ready;
};

const char *pgt_kdump_method_name(unsigned method)
{
	switch (method) {
	case KDUMP_ZLIB:
		return "zlib";
	case KDUMP_LZO:
		return "lzo";
	case KDUMP_SNAPPY:
		return "snappy";
	case KDUMP_ZSTD:
		return "zstd";
	case 0:
		return "none";
	}
	return "unknown";
}

static int corrupt_page(char *why, size_t why_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int corrupt_page(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return -EIO;
}

static int unzlib(const void *in, size_t in_len, void *out, size_t out_len, char *why,
		  size_t why_len)
{
	uLongf n = out_len;
	int rc = uncompress(out, &n, in, in_len);
	if (rc != Z_OK)
		return corrupt_page(why, why_len, "zlib data does not inflate (%s)", zError(rc));
	if (n != out_len)
		return corrupt_page(why, why_len, "zlib data inflates to %llu bytes, not %zu",
			   (unsigned long long)n, out_len);
	return 0;
}

static int unlzo(struct kdump_dctx *c, const void *in, size_t in_len, void *out,
		 size_t out_len, char *why, size_t why_len)
{
	if (!c->lzo_ready) {
		if (lzo_init() != LZO_E_OK)
			return corrupt_page(why, why_len, "the lzo library failed to initialise");
		c->lzo_ready = true;
	}
	lzo_uint n = out_len;
	int rc = lzo1x_decompress_safe(in, in_len, out, &n, NULL);
	if (rc != LZO_E_OK)
		return corrupt_page(why, why_len, "lzo data does not decompress (lzo error %d)", rc);
	if (n != out_len)
		return corrupt_page(why, why_len, "lzo data decompresses to %llu bytes, not %zu",
			   (unsigned long long)n, out_len);
	return 0;
}

static int unsnappy(const void *in, size_t in_len, void *out, size_t out_len, char *why,
		    size_t why_len)
{
	size_t n;
	if (snappy_uncompressed_length(in, in_len, &n) != SNAPPY_OK)
		return corrupt_page(why, why_len, "snappy data has no valid length header");
	if (n != out_len)
		return corrupt_page(why, why_len, "snappy data says it holds %zu bytes, not %zu", n,
			   out_len);
	if (snappy_uncompress(in, in_len, out, &n) != SNAPPY_OK || n != out_len)
		return corrupt_page(why, why_len, "snappy data does not decompress");
	return 0;
}

static int unzstd(struct kdump_dctx *c, const void *in, size_t in_len, void *out,
		  size_t out_len, char *why, size_t why_len)
{
	/* One context for the life of the dump: creating one per page costs
	 * more than the page. */
	if (!c->zstd && !(c->zstd = ZSTD_createDCtx()))
		return -ENOMEM;
	size_t n = ZSTD_decompressDCtx(c->zstd, out, out_len, in, in_len);
	if (ZSTD_isError(n))
		return corrupt_page(why, why_len, "zstd data does not decompress (%s)",
			   ZSTD_getErrorName(n));
	if (n != out_len)
		return corrupt_page(why, why_len, "zstd data decompresses to %zu bytes, not %zu", n,
			   out_len);
	return 0;
}

int pgt_kdump_decompress(struct kdump_dctx **ctx, unsigned method, const void *in, size_t in_len,
			 void *out, size_t out_len, char *why, size_t why_len)
{
	if (!*ctx && !(*ctx = calloc(1, sizeof(**ctx))))
		return -ENOMEM;
	switch (method) {
	case KDUMP_ZLIB:
		return unzlib(in, in_len, out, out_len, why, why_len);
	case KDUMP_LZO:
		return unlzo(*ctx, in, in_len, out, out_len, why, why_len);
	case KDUMP_SNAPPY:
		return unsnappy(in, in_len, out, out_len, why, why_len);
	case KDUMP_ZSTD:
		return unzstd(*ctx, in, in_len, out, out_len, why, why_len);
	}
	return corrupt_page(why, why_len, "page flags 0x%x name no known compression", method);
}

void pgt_kdump_decompress_free(struct kdump_dctx *ctx)
{
	if (ctx)
		ZSTD_freeDCtx(ctx->zstd);
	free(ctx);
}

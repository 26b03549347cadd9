// SPDX-License-Identifier: MIT
/*
 * One kdump page back to its bytes. makedumpfile and QEMU compress every
 * page on its own (zlib's compress2, lzo1x_1, snappy, zstd level 1), so
 * each is undone on its own too, and must come out at exactly the block
 * size: anything shorter or longer is a damaged dump, not a short page.
 * Each library is loaded the first time a page needs it (util/dl.h).
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
#include "util/dl.h"

static __typeof__(uncompress) *dl_uncompress;
static __typeof__(zError) *dl_zError;
static const struct dl_sym zlib_syms[] = {DL_SYM(uncompress), DL_SYM(zError)};
static struct dl_lib zlib = DL_LIB("zlib", "libz.so.1", zlib_syms);

/* lzo_init() is a macro over __lzo_init_v2 */
static __typeof__(__lzo_init_v2) *dl___lzo_init_v2;
static __typeof__(lzo1x_decompress_safe) *dl_lzo1x_decompress_safe;
static const struct dl_sym lzo_syms[] = {DL_SYM(__lzo_init_v2), DL_SYM(lzo1x_decompress_safe)};
static struct dl_lib lzo = DL_LIB("lzo", "liblzo2.so.2", lzo_syms);

static __typeof__(snappy_uncompressed_length) *dl_snappy_uncompressed_length;
static __typeof__(snappy_uncompress) *dl_snappy_uncompress;
static const struct dl_sym snappy_syms[] = {DL_SYM(snappy_uncompressed_length),
					    DL_SYM(snappy_uncompress)};
static struct dl_lib snappy = DL_LIB("snappy", "libsnappy.so.1", snappy_syms);

static __typeof__(ZSTD_createDCtx) *dl_ZSTD_createDCtx;
static __typeof__(ZSTD_freeDCtx) *dl_ZSTD_freeDCtx;
static __typeof__(ZSTD_decompressDCtx) *dl_ZSTD_decompressDCtx;
static __typeof__(ZSTD_isError) *dl_ZSTD_isError;
static __typeof__(ZSTD_getErrorName) *dl_ZSTD_getErrorName;
static const struct dl_sym zstd_syms[] = {DL_SYM(ZSTD_createDCtx), DL_SYM(ZSTD_freeDCtx),
					  DL_SYM(ZSTD_decompressDCtx), DL_SYM(ZSTD_isError),
					  DL_SYM(ZSTD_getErrorName)};
static struct dl_lib zstd = DL_LIB("zstd", "libzstd.so.1", zstd_syms);

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
	int rc = dl_uncompress(out, &n, in, in_len);
	if (rc != Z_OK)
		return corrupt_page(why, why_len, "zlib data does not inflate (%s)", dl_zError(rc));
	if (n != out_len)
		return corrupt_page(why, why_len, "zlib data inflates to %llu bytes, not %zu",
			   (unsigned long long)n, out_len);
	return 0;
}

static int unlzo(struct kdump_dctx *c, const void *in, size_t in_len, void *out,
		 size_t out_len, char *why, size_t why_len)
{
	if (!c->lzo_ready) {
		if (dl___lzo_init_v2(LZO_VERSION, (int)sizeof(short), (int)sizeof(int),
				     (int)sizeof(long), (int)sizeof(lzo_uint32_t),
				     (int)sizeof(lzo_uint), (int)lzo_sizeof_dict_t,
				     (int)sizeof(char *), (int)sizeof(lzo_voidp),
				     (int)sizeof(lzo_callback_t)) != LZO_E_OK)
			return corrupt_page(why, why_len, "the lzo library failed to initialise");
		c->lzo_ready = true;
	}
	lzo_uint n = out_len;
	int rc = dl_lzo1x_decompress_safe(in, in_len, out, &n, NULL);
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
	if (dl_snappy_uncompressed_length(in, in_len, &n) != SNAPPY_OK)
		return corrupt_page(why, why_len, "snappy data has no valid length header");
	if (n != out_len)
		return corrupt_page(why, why_len, "snappy data says it holds %zu bytes, not %zu", n,
			   out_len);
	if (dl_snappy_uncompress(in, in_len, out, &n) != SNAPPY_OK || n != out_len)
		return corrupt_page(why, why_len, "snappy data does not decompress");
	return 0;
}

static int unzstd(struct kdump_dctx *c, const void *in, size_t in_len, void *out,
		  size_t out_len, char *why, size_t why_len)
{
	/* One context for the life of the dump: creating one per page costs
	 * more than the page. */
	if (!c->zstd && !(c->zstd = dl_ZSTD_createDCtx()))
		return -ENOMEM;
	size_t n = dl_ZSTD_decompressDCtx(c->zstd, out, out_len, in, in_len);
	if (dl_ZSTD_isError(n))
		return corrupt_page(why, why_len, "zstd data does not decompress (%s)",
			   dl_ZSTD_getErrorName(n));
	if (n != out_len)
		return corrupt_page(why, why_len, "zstd data decompresses to %zu bytes, not %zu", n,
			   out_len);
	return 0;
}

/* The library of a method, loaded: 0, or -EIO with why naming it. */
static int need(struct dl_lib *lib, char *why, size_t why_len)
{
	struct pgt_error err;
	if (!dl_load(lib, &err))
		return 0;
	return corrupt_page(why, why_len, "%s", err.msg);
}

int pgt_kdump_decompress(struct kdump_dctx **ctx, unsigned method, const void *in, size_t in_len,
			 void *out, size_t out_len, char *why, size_t why_len)
{
	static struct dl_lib *const libs[] = {
		[KDUMP_ZLIB] = &zlib, [KDUMP_LZO] = &lzo, [KDUMP_SNAPPY] = &snappy,
		[KDUMP_ZSTD] = &zstd};
	if (!*ctx && !(*ctx = calloc(1, sizeof(**ctx))))
		return -ENOMEM;
	int rc;
	if (method < sizeof(libs) / sizeof(libs[0]) && libs[method] &&
	    (rc = need(libs[method], why, why_len)))
		return rc;
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
	/* a context was made with zstd loaded */
	if (ctx && ctx->zstd)
		dl_ZSTD_freeDCtx(ctx->zstd);
	free(ctx);
}

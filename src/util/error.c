// SPDX-License-Identifier: MIT
/* The error record and configuration defaults shared by the whole library. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pgt/base.h"

/* A message cut to fit its buffer ends between UTF-8 characters, with
 * "..." to say it was cut. */
static void mark_cut(char *msg, size_t size)
{
	size_t n = size - 4;
	while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80)
		n--;
	memcpy(msg + n, "...", 4);
}

int pgt_fail(struct pgt_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		int len = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		if (len >= (int)sizeof(err->msg))
			mark_cut(err->msg, sizeof(err->msg));
		err->code = code;
	}
	return code;
}

void pgt_error_prefix(struct pgt_error *err, const char *fmt, ...)
{
	char prefix[PGT_ERR_MSG_MAX], old[PGT_ERR_MSG_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old) >= (int)sizeof(err->msg))
		mark_cut(err->msg, sizeof(err->msg));
}

void pgt_cfg_init(struct pgt_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->coherent_walk = true;
	cfg->cpu_page_size = 4096;
}

// SPDX-License-Identifier: MIT
/* The error record and configuration defaults shared by the whole library. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pgt/base.h"

int pgt_fail(struct pgt_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
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
	size_t n = strlen(prefix);
	if (n > sizeof(err->msg) - 3)
		n = sizeof(err->msg) - 3;
	memcpy(err->msg, prefix, n);
	memcpy(err->msg + n, ": ", 2);
	size_t room = sizeof(err->msg) - n - 3, m = strlen(old);
	if (m > room)
		m = room;
	memcpy(err->msg + n + 2, old, m);
	err->msg[n + 2 + m] = 0;
}

void pgt_cfg_init(struct pgt_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->coherent_walk = true;
	cfg->cpu_page_size = 4096;
}

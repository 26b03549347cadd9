// SPDX-License-Identifier: MIT
/* The error record and the configuration record shared by the whole library. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A message cut to fit its buffer ends between UTF-8 characters, with
 * "..." to say it was cut. */
static void mark_cut(char *msg, size_t size)
{
	size_t n = size - 4;
	while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80)
		n--;
	memcpy(msg + n, "...", 4);
}

struct pgt_error *pgt_error_new(void)
{
	return calloc(1, sizeof(struct pgt_error));
}

void pgt_error_free(struct pgt_error *err)
{
	free(err);
}

int pgt_error_code(const struct pgt_error *err)
{
	return err ? err->code : 0;
}

const char *pgt_error_message(const struct pgt_error *err)
{
	return err ? err->msg : "";
}

void pgt_error_clear(struct pgt_error *err)
{
	if (err) {
		err->code = 0;
		err->remedy = PGT_REMEDY_NONE;
		err->msg[0] = 0;
	}
}

enum pgt_remedy pgt_error_remedy(const struct pgt_error *err)
{
	return err ? err->remedy : PGT_REMEDY_NONE;
}

int pgt_remedy(struct pgt_error *err, enum pgt_remedy remedy, int code)
{
	if (err)
		err->remedy = remedy;
	return code;
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
		err->remedy = PGT_REMEDY_NONE;
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

int pgt_cfg_new(struct pgt_cfg **out, struct pgt_error *err)
{
	struct pgt_cfg *cfg = malloc(sizeof(*cfg));
	if (!cfg)
		return pgt_fail(err, -ENOMEM, "out of memory");
	pgt_cfg_init(cfg);
	*out = cfg;
	return 0;
}

int pgt_cfg_dup(const struct pgt_cfg *cfg, struct pgt_cfg **out, struct pgt_error *err)
{
	struct pgt_cfg *c = malloc(sizeof(*c));
	if (!c)
		return pgt_fail(err, -ENOMEM, "out of memory");
	*c = *cfg;
	*out = c;
	return 0;
}

void pgt_cfg_free(struct pgt_cfg *cfg)
{
	free(cfg);
}

uint64_t pgt_cfg_get(const struct pgt_cfg *cfg, enum pgt_cfg_key key)
{
	switch (key) {
	case PGT_CFG_QUIRKS:
		return cfg->quirks;
	case PGT_CFG_PGSIZE_BITMAP:
		return cfg->pgsize_bitmap;
	case PGT_CFG_IAS:
		return cfg->ias;
	case PGT_CFG_OAS:
		return cfg->oas;
	case PGT_CFG_COHERENT_WALK:
		return cfg->coherent_walk;
	case PGT_CFG_CPU_PAGE_SIZE:
		return cfg->cpu_page_size;
	case PGT_CFG_KERNEL:
		return cfg->kernel;
	}
	return 0;
}

int pgt_cfg_set(struct pgt_cfg *cfg, enum pgt_cfg_key key, uint64_t value, struct pgt_error *err)
{
	switch (key) {
	case PGT_CFG_QUIRKS:
		cfg->quirks = value;
		return 0;
	case PGT_CFG_PGSIZE_BITMAP:
		cfg->pgsize_bitmap = value;
		return 0;
	case PGT_CFG_IAS:
	case PGT_CFG_OAS:
		if (value > 64)
			return pgt_fail(err, -EINVAL, "an address size is at most 64 bits (got %llu)",
					(unsigned long long)value);
		*(key == PGT_CFG_IAS ? &cfg->ias : &cfg->oas) = (unsigned)value;
		return 0;
	case PGT_CFG_COHERENT_WALK:
		cfg->coherent_walk = value;
		return 0;
	case PGT_CFG_CPU_PAGE_SIZE:
		cfg->cpu_page_size = value;
		return 0;
	case PGT_CFG_KERNEL:
		if (value >= PGT_KERNEL_END)
			return pgt_fail(err, -EINVAL, "no kernel numbered %llu",
					(unsigned long long)value);
		cfg->kernel = (enum pgt_kernel)value;
		return 0;
	}
	return pgt_fail(err, -EINVAL, "no configuration value numbered %d", (int)key);
}

unsigned pgt_cfg_option(const struct pgt_cfg *cfg, unsigned i)
{
	return i < PGT_MAX_FORMAT_OPTIONS ? cfg->opt[i] : 0;
}

// SPDX-License-Identifier: MIT
/*
 * Apple DART translation faults, as drivers/iommu/apple-dart.c (6.12)
 * reads them in apple_dart_t8020_irq() and apple_dart_t8110_irq(): the
 * ERROR register (a flag, the stream index and an error code) and the
 * faulting address from ERROR_ADDR_LO | ERROR_ADDR_HI << 32. The two
 * register layouts are data; the t8103, t8103-usb4 and t6000 DARTs use
 * the t8020 one, the t8110 DART its own.
 */
#include <stdio.h>
#include <strings.h>

#include "fault_int.h"

struct dart_code {
	uint32_t code;
	const char *name; /* as the handler prints it */
	enum pgt_fault_class cls;
	unsigned access;
	int level; /* the table level it names (1: L1, the "PMD"; 2: the PTEs) */
};

struct dart_hw {
	const char *name;
	unsigned stream_hi, stream_lo; /* DART_*_ERROR_STREAM */
	unsigned code_hi;	       /* DART_*_ERROR_CODE, from bit 0 */
	const struct dart_code *codes;
	size_t n_codes;
};

/* DART_T8020_ERROR_*: the handler matches the code exactly */
static const struct dart_code t8020_codes[] = {
	{1u << 4, "READ FAULT", PGT_FAULT_PERMISSION, PGT_ACCESS_READ, -1},
	{1u << 3, "WRITE FAULT", PGT_FAULT_PERMISSION, PGT_ACCESS_WRITE, -1},
	{1u << 2, "NO PTE FOR IOVA", PGT_FAULT_TRANSLATION, 0, 2},
	{1u << 1, "NO PMD FOR IOVA", PGT_FAULT_TRANSLATION, 0, 1},
	{1u << 0, "NO TTBR FOR IOVA", PGT_FAULT_TRANSLATION, 0, -1},
};

/* DART_T8110_ERROR_*: one more level name, NO_PGD, above the PMD (a level
 * 6.12's two-level tables do not have) */
static const struct dart_code t8110_codes[] = {
	{1u << 5, "READ FAULT", PGT_FAULT_PERMISSION, PGT_ACCESS_READ, -1},
	{1u << 4, "WRITE FAULT", PGT_FAULT_PERMISSION, PGT_ACCESS_WRITE, -1},
	{1u << 3, "NO PTE FOR IOVA", PGT_FAULT_TRANSLATION, 0, 2},
	{1u << 2, "NO PMD FOR IOVA", PGT_FAULT_TRANSLATION, 0, 1},
	{1u << 1, "NO PGD FOR IOVA", PGT_FAULT_TRANSLATION, 0, 0},
	{1u << 0, "NO TTBR FOR IOVA", PGT_FAULT_TRANSLATION, 0, -1},
};

static const struct dart_hw hws[] = {
	{"t8020", 27, 24, 11, t8020_codes, sizeof(t8020_codes) / sizeof(t8020_codes[0])},
	{"t8110", 27, 20, 14, t8110_codes, sizeof(t8110_codes) / sizeof(t8110_codes[0])},
};

/* The hw= words: the register layouts, and the SoCs that use them. */
static const char *const hw_words[] = {"t8020", "t8103", "t6000", "t8110", NULL};
static const unsigned hw_of_word[] = {0, 0, 0, 1};

#define ERROR_FLAG 31 /* DART_*_ERROR_FLAG */

enum { F_ERROR, F_ADDR, F_ADDR_LO, F_ADDR_HI, F_HW };

static const struct pgt_fault_field_info fields[] = {
	[F_ERROR] = {"error", "the ERROR register: flag, stream, error code", true, NULL, 32},
	[F_ADDR] = {"addr", "the faulting IOVA (or give addr_lo and addr_hi)", false, NULL, 64},
	[F_ADDR_LO] = {"addr_lo", "the ERROR_ADDR_LO register", false, NULL, 32},
	[F_ADDR_HI] = {"addr_hi", "the ERROR_ADDR_HI register", false, NULL, 32},
	[F_HW] = {"hw", "the register layout: t8020 (t8103, t6000) or t8110", false, hw_words, 64},
};

static const struct dart_code *code_of(const struct dart_hw *hw, uint64_t code)
{
	for (size_t i = 0; i < hw->n_codes; i++)
		if (hw->codes[i].code == code)
			return &hw->codes[i];
	return NULL;
}

static int decode(const uint64_t *v, unsigned given, struct pgt_fault *f, struct pgt_error *err)
{
	const struct dart_hw *hw = &hws[given & (1u << F_HW) ? hw_of_word[v[F_HW]] : 0];
	bool whole = given & (1u << F_ADDR), split = given & (3u << F_ADDR_LO);

	if (whole == split)
		return pgt_fail(err, -EINVAL,
				"apple-dart needs the address: addr=, or addr_lo= "
				"and addr_hi=");
	f->addr = whole ? v[F_ADDR] : v[F_ADDR_LO] | v[F_ADDR_HI] << 32;
	f->has_addr = true;
	uint64_t error = v[F_ERROR], code = fault_get(error, hw->code_hi, 0);
	const struct dart_code *c = code_of(hw, code);

	fault_add(f, "error", "FLAG", fault_get(error, ERROR_FLAG, ERROR_FLAG), true, "an error");
	fault_add(f, "error", "STREAM", fault_get(error, hw->stream_hi, hw->stream_lo), false,
		  NULL);
	fault_add(f, "error", "CODE", code, false, c ? c->name : "unknown");
	if (!fault_get(error, ERROR_FLAG, ERROR_FLAG)) {
		f->cls = PGT_FAULT_NONE;
		f->code = "ERROR";
		f->hint = "ERROR.FLAG is clear: the interrupt handler returns IRQ_NONE for it";
		return 0;
	}
	if (!c) {
		f->cls = PGT_FAULT_OTHER;
		f->code = "unknown";
		f->hint = "an error code the driver does not know (several bits, or a new one)";
		return 0;
	}
	f->cls = c->cls;
	f->code = c->name;
	f->access = c->access;
	f->level = c->level;
	if (c->level < 0 && c->cls == PGT_FAULT_TRANSLATION)
		f->hint = "no valid TTBR for this IOVA: the stream's TTBR for that part of the "
			  "IOVA space is not set (is the domain attached to this stream? see "
			  "apple_dart_setup_translation()), or the IOVA is beyond the DART's ias";
	return 0;
}

/* The handler printed the status, and the stream and code it decoded with
 * its own layout: the layout whose decoding matches is the DART's. */
static int from_log(const struct fault_captures *c, const char *device, uint64_t *v,
		    unsigned *given, struct pgt_error *err)
{
	uint64_t error, stream, code;
	const char *name = fault_capture_text(c, "name");
	(void)device;
	if (!fault_capture(c, "error", &error) || !fault_capture(c, "stream", &stream) ||
	    !fault_capture(c, "code", &code) || !fault_capture(c, "addr", &v[F_ADDR]))
		/* the log pattern captured every one of them */
		return pgt_fail(err, -EINVAL, "internal error: incomplete DART fault line");
	for (unsigned i = 0; i < sizeof(hws) / sizeof(hws[0]); i++) {
		const struct dart_hw *hw = &hws[i];
		const struct dart_code *dc = code_of(hw, code);
		if (fault_get(error, hw->stream_hi, hw->stream_lo) != stream ||
		    fault_get(error, hw->code_hi, 0) != code ||
		    strcasecmp(dc ? dc->name : "unknown", name ? name : ""))
			continue;
		v[F_ERROR] = error;
		v[F_HW] = i ? 3 : 0;
		*given |= 1u << F_ERROR | 1u << F_ADDR | 1u << F_HW;
		return 0;
	}
	return pgt_fail(err, -EINVAL,
			"status 0x%llx does not give stream %llu and code 0x%llx (%s) in either "
			"DART layout",
			(unsigned long long)error, (unsigned long long)stream,
			(unsigned long long)code, name ? name : "");
}

static const char *const formats[] = {"apple-dart", "apple-dart2", NULL};

/* apple_dart_t8020_irq() and apple_dart_t8110_irq() print the same line */
static const struct fault_log logs[] = {
	{"translation fault: status:0x{error} stream:{stream:d} code:0x{code} ({name:s}) at "
	 "0x{addr}",
	 NULL, 0},
	{NULL, NULL, 0},
};

const struct pgt_fault_kind fault_apple_dart = {
	.name = "apple-dart",
	.summary = "Apple DART error: ERROR, ERROR_ADDR_LO/HI (apple-dart.c)",
	.unit = "the DART",
	FAULT_FIELDS(fields),
	.formats = formats,
	.logs = logs,
	.decode = decode,
	.from_log = from_log,
};

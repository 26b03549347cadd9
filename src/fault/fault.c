// SPDX-License-Identifier: MIT
/*
 * The fault kinds and what they share: finding a kind, reading FIELD=VALUE
 * arguments, checking values against the fields, and the small helpers the
 * per-driver decoders build a struct pgt_fault with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "fault_int.h"

static const struct pgt_fault_kind *const kinds[] = {
	&fault_arm_smmu,  &fault_arm_smmu_global, &fault_smmuv3,     &fault_amd_vi, &fault_amd_vi_event,
	&fault_intel_vtd, &fault_riscv,		  &fault_apple_dart, &fault_mali,   NULL,
};

const struct pgt_fault_kind *const *pgt_fault_kinds(void)
{
	return kinds;
}

const struct pgt_fault_kind *pgt_fault_kind_find(const char *name)
{
	for (const struct pgt_fault_kind *const *k = kinds; *k; k++)
		if (!strcasecmp((*k)->name, name))
			return *k;
	return NULL;
}

const char *pgt_fault_kind_name(const struct pgt_fault_kind *k)
{
	return k->name;
}

const char *pgt_fault_kind_summary(const struct pgt_fault_kind *k)
{
	return k->summary;
}

size_t pgt_fault_kind_fields(const struct pgt_fault_kind *k,
			     const struct pgt_fault_field_info **fields)
{
	*fields = k->fields;
	return k->n_fields;
}

static bool listed(const char *const *formats, const struct pgt_format *fmt)
{
	for (const char *const *f = formats; *f; f++)
		if (!strcmp(*f, pgt_format_name(fmt)))
			return true;
	return false;
}

bool pgt_fault_kind_walks(const struct pgt_fault_kind *k, const struct pgt_format *fmt)
{
	return listed(k->formats, fmt);
}

bool pgt_fault_walks(const struct pgt_fault *f, const struct pgt_format *fmt)
{
	return listed(f->formats, fmt);
}

const char *pgt_fault_kind_iommu(const struct pgt_fault_kind *k)
{
	return k->iommu;
}

const char *fault_formats_str(const char *const *formats, char *buf, size_t len)
{
	buf[0] = 0;
	for (const char *const *f = formats; *f; f++)
		pgt_join(buf, len, ", ", *f);
	return buf;
}

const char *pgt_fault_kind_formats(const struct pgt_fault_kind *k, char *buf, size_t len)
{
	return fault_formats_str(k->formats, buf, len);
}

const char *pgt_fault_class_name(enum pgt_fault_class c)
{
	static const char *const names[] = {
		[PGT_FAULT_NONE] = "none",
		[PGT_FAULT_TRANSLATION] = "translation",
		[PGT_FAULT_PERMISSION] = "permission",
		[PGT_FAULT_ACCESS_FLAG] = "access-flag",
		[PGT_FAULT_ADDRESS_SIZE] = "address-size",
		[PGT_FAULT_WALK_ABORT] = "walk-abort",
		[PGT_FAULT_MALFORMED] = "malformed",
		[PGT_FAULT_CONFIG] = "config",
		[PGT_FAULT_OTHER] = "other",
		[PGT_FAULT_PAGE] = "page",
	};
	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

unsigned pgt_access_words(unsigned access, const char *words[4])
{
	static const char *const names[] = {"read", "write", "exec", "unprivileged"};
	unsigned n = 0;
	for (unsigned i = 0; i < 4; i++)
		if (access & (1u << i))
			words[n++] = names[i];
	return n;
}

const char *pgt_access_str(unsigned access, char *buf, size_t len)
{
	const char *w[4];
	unsigned n = pgt_access_words(access, w);
	buf[0] = 0;
	for (unsigned i = 0; i < n; i++)
		pgt_join(buf, len, "+", w[i]);
	return n ? buf : pgt_join(buf, len, "", "unknown");
}

int fault_field_index(const struct pgt_fault_kind *k, const char *name)
{
	for (unsigned i = 0; i < k->n_fields; i++)
		if (!strcasecmp(k->fields[i].name, name))
			return (int)i;
	return -1;
}

static const char *field_list(const struct pgt_fault_kind *k, char *buf, size_t len)
{
	buf[0] = 0;
	for (unsigned i = 0; i < k->n_fields; i++)
		pgt_join(buf, len, ", ", k->fields[i].name);
	return buf;
}

/* A word-valued field's word: its index in the field's words. */
static int parse_word(const struct pgt_fault_field_info *fi, const char *s, uint64_t *v,
		      struct pgt_error *err)
{
	char list[400] = "";
	for (unsigned i = 0; fi->words[i]; i++) {
		if (!strcasecmp(fi->words[i], s)) {
			*v = i;
			return 0;
		}
		pgt_join(list, sizeof(list), ", ", fi->words[i]);
	}
	return pgt_fail(err, -EINVAL, "%s: '%s' is not one of %s", fi->name, s, list);
}

int fault_parse(const struct pgt_fault_kind *k, char *const *args, unsigned n, struct pgt_fault *f,
		struct pgt_error *err)
{
	uint64_t v[PGT_FAULT_MAX_INPUTS] = {0};
	unsigned given = 0;
	char list[200];

	for (unsigned i = 0; i < n; i++) {
		const char *eq = strchr(args[i], '=');
		if (!eq || eq == args[i])
			return pgt_fail(err, -EINVAL, "'%s' is not FIELD=VALUE (%s fields: %s)",
					args[i], k->name, field_list(k, list, sizeof(list)));
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - args[i]), args[i]);
		int idx = fault_field_index(k, name);
		if (idx < 0)
			return pgt_fail(err, -EINVAL, "%s has no field '%s' (its fields: %s)",
					k->name, name, field_list(k, list, sizeof(list)));
		if (given & (1u << idx))
			return pgt_fail(err, -EINVAL, "%s is given twice", k->fields[idx].name);
		const struct pgt_fault_field_info *fi = &k->fields[idx];
		int rc = fi->words ? parse_word(fi, eq + 1, &v[idx], err)
				   : pgt_parse_u64(eq + 1, &v[idx], err);
		if (rc) {
			if (!fi->words)
				pgt_error_prefix(err, "%s", fi->name);
			return rc;
		}
		given |= 1u << idx;
	}
	return fault_decode_values(k, v, given, f, err);
}

int fault_decode_values(const struct pgt_fault_kind *k, const uint64_t *v, unsigned given,
			struct pgt_fault *f, struct pgt_error *err)
{
	memset(f, 0, sizeof(*f));
	f->kind = k;
	f->formats = k->formats;
	f->level = -1;
	f->privileged = -1;
	for (unsigned i = 0; i < k->n_fields; i++) {
		const struct pgt_fault_field_info *fi = &k->fields[i];
		if (!(given & (1u << i))) {
			if (fi->required)
				return pgt_fail(err, -EINVAL, "%s needs %s=VALUE (%s)", k->name,
						fi->name, fi->help);
			continue;
		}
		if (fi->bits < 64 && v[i] >> fi->bits)
			return pgt_fail(err, -ERANGE, "%s: 0x%llx does not fit in %u bits",
					fi->name, (unsigned long long)v[i], fi->bits);
		f->input[f->n_inputs].name = fi->name;
		f->input[f->n_inputs].value = v[i];
		f->input[f->n_inputs].word = fi->words ? fi->words[v[i]] : NULL;
		f->n_inputs++;
	}
	return k->decode(v, given, f, err);
}

void fault_set_device(struct pgt_fault *f, uint32_t seg, uint32_t device)
{
	f->has_device = true;
	f->seg = seg;
	f->device = device;
}

void fault_set_pasid(struct pgt_fault *f, uint32_t pasid)
{
	f->has_pasid = true;
	f->pasid = pasid;
}

void fault_add(struct pgt_fault *f, const char *reg, const char *name, uint64_t value, bool flag,
	       const char *meaning)
{
	if (f->n_fields < PGT_FAULT_MAX_FIELDS)
		f->field[f->n_fields++] = (struct pgt_fault_field){reg, name, value, flag, meaning};
}

void fault_add_bits(struct pgt_fault *f, const char *reg, uint64_t v, const struct fault_bits *b,
		    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool flag = b[i].hi == b[i].lo;
		uint64_t x = fault_get(v, b[i].hi, b[i].lo);
		fault_add(f, reg, b[i].name, x, flag, flag && !x ? NULL : b[i].meaning);
	}
}

bool fault_field(const struct pgt_fault *f, const char *reg, const char *name, uint64_t *v)
{
	for (unsigned i = 0; i < f->n_fields; i++)
		if (!strcmp(f->field[i].reg, reg) && !strcmp(f->field[i].name, name)) {
			*v = f->field[i].value;
			return true;
		}
	return false;
}

bool fault_flag(const struct pgt_fault *f, const char *reg, const char *name)
{
	uint64_t v;
	return fault_field(f, reg, name, &v) && v;
}

bool fault_classify(struct pgt_fault *f, const char *reg, const struct fault_cause *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fault_flag(f, reg, c[i].flag)) {
			f->cls = c[i].cls;
			f->code = c[i].flag;
			if (c[i].hint)
				f->hint = c[i].hint;
			return true;
		}
	return false;
}

int pgt_fault_parse(const struct pgt_fault_kind *k, char *const *args, unsigned n,
		    struct pgt_fault **out, struct pgt_error *err)
{
	struct pgt_fault *f = calloc(1, sizeof(*f));
	if (!f)
		return pgt_fail(err, -ENOMEM, "out of memory");
	int rc = fault_parse(k, args, n, f, err);
	if (rc) {
		free(f);
		return rc;
	}
	*out = f;
	return 0;
}

void pgt_fault_free(struct pgt_fault *f)
{
	free(f);
}

const struct pgt_fault_kind *pgt_fault_kind_of(const struct pgt_fault *f)
{
	return f->kind;
}

unsigned pgt_fault_n_inputs(const struct pgt_fault *f)
{
	return f->n_inputs;
}

const struct pgt_fault_input *pgt_fault_input(const struct pgt_fault *f, unsigned i)
{
	return i < f->n_inputs ? &f->input[i] : NULL;
}

unsigned pgt_fault_n_fields(const struct pgt_fault *f)
{
	return f->n_fields;
}

const struct pgt_fault_field *pgt_fault_field(const struct pgt_fault *f, unsigned i)
{
	return i < f->n_fields ? &f->field[i] : NULL;
}

enum pgt_fault_class pgt_fault_class(const struct pgt_fault *f)
{
	return f->cls;
}

const char *pgt_fault_code(const struct pgt_fault *f)
{
	return f->code;
}

const char *pgt_fault_hint(const struct pgt_fault *f)
{
	return f->hint;
}

bool pgt_fault_addr(const struct pgt_fault *f, pgt_addr *addr)
{
	*addr = f->addr;
	return f->has_addr;
}

bool pgt_fault_ipa(const struct pgt_fault *f, pgt_addr *ipa)
{
	*ipa = f->ipa;
	return f->has_ipa;
}

unsigned pgt_fault_access(const struct pgt_fault *f)
{
	return f->access;
}

int pgt_fault_privileged(const struct pgt_fault *f)
{
	return f->privileged;
}

int pgt_fault_level(const struct pgt_fault *f)
{
	return f->level;
}

int pgt_fault_stage(const struct pgt_fault *f)
{
	return f->stage;
}

const char *const *pgt_fault_formats(const struct pgt_fault *f)
{
	return f->formats;
}

bool pgt_fault_device(const struct pgt_fault *f, uint32_t *seg, uint32_t *device)
{
	*seg = f->seg;
	*device = f->device;
	return f->has_device;
}

bool pgt_fault_pasid(const struct pgt_fault *f, uint32_t *pasid)
{
	*pasid = f->pasid;
	return f->has_pasid;
}

// SPDX-License-Identifier: MIT
/*
 * pgtctl fault SOURCE --kind KIND FIELD=VALUE... | --log FILE: decode IOMMU
 * fault registers or the fault lines of a kernel log, walk each faulting
 * address in the table and say why the hardware faulted (libpgt's fault
 * module does all of it; this file parses, calls and prints).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "complete.h"
#include "util/join.h"

enum { OPT_KIND = 256, OPT_LOG };

static const struct argp_option options[] = {
	{"kind", OPT_KIND, "KIND", 0, "the fault's driver (the kinds are listed below)", 0},
	{"log", OPT_LOG, "FILE", 0,
	 "find the faults in kernel log text ('-': standard input, or a session's CMD - <<END "
	 "or <FILE)", 0},
	{"verbose", 'v', NULL, 0, "show each fault's walk, every level decoded", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

/* The kinds and their fields, from the library, after the options. */
static char *help_filter(int key, const char *text, void *input)
{
	(void)input;
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return (char *)text;
	fprintf(f, "%s\n", text);
	for (const struct pgt_fault_kind *const *k = pgt_fault_kinds(); *k; k++) {
		const struct pgt_fault_field_info *fi;
		size_t n = pgt_fault_kind_fields(*k, &fi);
		fprintf(f, "  %s:", pgt_fault_kind_name(*k));
		for (size_t i = 0; i < n; i++)
			fprintf(f, " %s%s", fi[i].name, fi[i].required ? "*" : "");
		fprintf(f, "\n      %s\n", pgt_fault_kind_summary(*k));
	}
	fclose(f);
	return buf;
}

struct fault_opts {
	const char *kind, *log;
	bool verbose;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct fault_opts *o = state->input;
	switch (key) {
	case OPT_KIND:
		o->kind = arg;
		return 0;
	case OPT_LOG:
		o->log = arg;
		return 0;
	case 'v':
		o->verbose = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static void complete_kinds(struct completion *co)
{
	for (const struct pgt_fault_kind *const *k = pgt_fault_kinds(); *k; k++)
		complete_add(co, pgt_fault_kind_name(*k), pgt_fault_kind_summary(*k));
}

/* FIELD=VALUE of the line's --kind: the field names, or a word-valued
 * field's words; the SOURCE before them. */
static void complete_arg(struct completion *co)
{
	const char *name = complete_option_value(co, "kind");
	const struct pgt_fault_kind *k = name ? pgt_fault_kind_find(name) : NULL;
	const struct pgt_fault_field_info *fi;
	size_t n = k ? pgt_fault_kind_fields(k, &fi) : 0;
	const char *eq = strchr(complete_typed(co), '=');
	for (size_t i = 0; i < n && eq; i++) {
		size_t len = (size_t)(eq - complete_typed(co));
		if (fi[i].words && strlen(fi[i].name) == len && !strncmp(fi[i].name, co->cur, len)) {
			complete_keep(co, len + 1);
			for (const char *const *w = fi[i].words; *w; w++)
				complete_add(co, *w, NULL);
		}
	}
	if (eq)
		return;
	for (size_t i = 0; i < n; i++) {
		char field[64];
		snprintf(field, sizeof(field), "%s=", fi[i].name);
		complete_add(co, field, fi[i].help);
		co->flags |= COMPLETE_NOSPACE;
	}
	complete_source_arg(co);
}

static const struct option_values values[] = {
	{OPT_KIND, complete_kinds},
	{OPT_LOG, complete_files},
	{0, NULL},
};

static const struct argp argp = {
	options, parse,
	"SOURCE --kind KIND FIELD=VALUE...\nSOURCE --log FILE\n--dump FILE --iommu KIND "
	"--iommu-reg VALUE --log FILE",
	"Explain IOMMU faults against a table: decode the fault registers of a driver, or find "
	"the fault lines in a kernel log (arm-smmu, arm-smmu-v3, AMD-Vi, Intel VT-d (DMAR), the "
	"RISC-V IOMMU, apple-dart, panfrost, panthor as Linux 6.12 and 7.3 print them), walk "
	"each faulting address and say why the "
	"hardware faulted: which level's descriptor is empty or malformed, which permission "
	"of the leaf forbids the access, or that the table allows it (a stale TLB or another "
	"table). Given an IOMMU's registers and no --device, each fault is walked in the table "
	"of the device it names (AMD-Vi device= and, with GN, its PASID; SMMUv3 StreamID and "
	"SubstreamID; VT-d Request device and PASID; RISC-V devid), in the PASID's table "
	"where the fault has one. Exit status 0 when the table explains every fault, 1 when it does not explain "
	"one or a log has none, 2 for bad usage, unreadable input or an unreadable fault "
	"record."
	"\vKinds and their FIELDs (* required):",
	NULL, help_filter, NULL,
};

struct tally {
	unsigned long lines, faults, explained, unreadable;
	unsigned long verdicts[PGT_VERDICT_NOT_TABLE + 1];
	const char *log_name;
	struct source *src;
	const struct fault_opts *opts;
	/* --iommu-reg: each fault's device's table, or --device's */
	struct pgt_iommu **ios;
	unsigned n_ios;
	struct pgt_mem *mem;
	const struct pgt_devid *device;
	/* a nested device's second-stage table, beside src's first */
	struct pgt_table *stage2;
};

static const char *class_words(enum pgt_fault_class c)
{
	static const char *const words[] = {
		[PGT_FAULT_NONE] = "no fault",
		[PGT_FAULT_TRANSLATION] = "translation fault",
		[PGT_FAULT_PERMISSION] = "permission fault",
		[PGT_FAULT_ACCESS_FLAG] = "access flag fault",
		[PGT_FAULT_ADDRESS_SIZE] = "address size fault",
		[PGT_FAULT_WALK_ABORT] = "table walk abort",
		[PGT_FAULT_MALFORMED] = "malformed descriptor",
		[PGT_FAULT_CONFIG] = "configuration error",
		[PGT_FAULT_OTHER] = "fault",
		[PGT_FAULT_PAGE] = "page fault",
	};
	return words[c];
}

/* An input and the fields decoded from it: "fsr  0x402  TF Format=2" */
static void print_inputs(const struct pgt_fault *f)
{
	out_obj_begin("registers");
	for (unsigned i = 0; i < pgt_fault_n_inputs(f); i++) {
		const struct pgt_fault_input *in = pgt_fault_input(f, i);
		out_text("  %-12s ", in->name);
		if (in->word)
			out_str(in->name, "%s", in->word);
		else
			out_hex(in->name, "0x%llx", in->value);
		const char *sep = "  ";
		for (unsigned k = 0; k < pgt_fault_n_fields(f); k++) {
			const struct pgt_fault_field *d = pgt_fault_field(f, k);
			if (strcmp(d->reg, in->name) || (d->flag && !d->value))
				continue;
			if (d->flag)
				out_text("%s%s", sep, d->name);
			else
				out_text(d->value < 10 ? "%s%s=%llu" : "%s%s=0x%llx", sep, d->name,
					 (unsigned long long)d->value);
			sep = " ";
			if (!d->flag && d->meaning)
				out_text("(%s)", d->meaning);
		}
		out_text("\n");
	}
	out_obj_end();
	out_arr_begin("fields");
	for (unsigned k = 0; k < pgt_fault_n_fields(f); k++) {
		const struct pgt_fault_field *d = pgt_fault_field(f, k);
		out_obj_begin(NULL);
		out_str("register", NULL, d->reg);
		out_str("name", NULL, d->name);
		out_uint("value", NULL, d->value);
		if (d->meaning)
			out_str("meaning", NULL, d->meaning);
		else
			out_null("meaning", NULL);
		out_obj_end();
	}
	out_arr_end();
}

static void access_list(const char *key, unsigned access)
{
	const char *w[4];
	unsigned n = pgt_access_words(access, w);
	out_arr_begin(key);
	for (unsigned i = 0; i < n; i++)
		out_str(NULL, NULL, w[i]);
	out_arr_end();
}

/* "translation fault (TF), write, unprivileged, level 1" */
static void print_decoded(const struct pgt_fault *f)
{
	char acc[48];
	enum pgt_fault_class cls = pgt_fault_class(f);
	unsigned access = pgt_fault_access(f);
	int privileged = pgt_fault_privileged(f), level = pgt_fault_level(f);
	int stage = pgt_fault_stage(f);
	out_str("class", NULL, pgt_fault_class_name(cls));
	out_text("  decoded      %s", class_words(cls));
	out_text(" (");
	out_str("code", "%s", pgt_fault_code(f));
	out_text(")");
	if (access) {
		out_text(", %s", pgt_access_str(access, acc, sizeof(acc)));
		access_list("access", access);
	} else {
		out_null("access", NULL);
	}
	if (privileged >= 0)
		out_bool("privileged", privileged ? ", privileged" : ", unprivileged", privileged);
	else
		out_null("privileged", NULL);
	if (level >= 0)
		out_uint("level", ", level %llu", (uint64_t)level);
	else
		out_null("level", NULL);
	if (stage)
		out_uint("stage", ", stage %llu", (uint64_t)stage);
	else
		out_null("stage", NULL);
	out_text("\n");
}

/* The walk's last descriptor (JSON only: the text says it in words). */
static void print_stop(const struct pgt_fault_explanation *x)
{
	const struct pgt_walk *w = pgt_explanation_walk(x);
	pgt_addr addr;
	bool ipa;
	unsigned n = pgt_walk_steps(w);
	if (!pgt_explanation_walked(x, &addr, &ipa) || !n)
		return;
	const struct pgt_walk_step *s = pgt_walk_at(w, n - 1);
	out_obj_begin("descriptor");
	out_uint("level", NULL, s->label);
	out_hex("desc_pa", NULL, s->desc_pa);
	out_hex("desc", NULL, s->e.raw);
	out_obj_end();
	if (pgt_walk_stop(w) != PGT_STOP_LEAF)
		return;
	out_obj_begin("leaf");
	out_hex("pa", NULL, pgt_walk_pa(w));
	out_hex("size", NULL, s->e.size);
	out_prot("prot", NULL, s->e.prot);
	out_obj_end();
}

static void print_explanation(struct tally *t, const struct pgt_fault_explanation *x)
{
	pgt_addr addr;
	bool ipa;
	enum pgt_verdict verdict = pgt_explanation_verdict(x);
	if (pgt_explanation_walked(x, &addr, &ipa)) {
		out_hex("walked", NULL, addr);
		out_str("space", NULL, ipa ? "ipa" : "iova");
		if (t->opts->verbose)
			print_walk(t->stage2 && ipa ? t->stage2 : t->src->t,
				   pgt_explanation_walk(x));
	}
	out_str("verdict", "  verdict      %s: ", pgt_verdict_name(verdict));
	out_str("why", "%s\n", pgt_explanation_why(x));
	print_stop(x);
	if (verdict == PGT_VERDICT_PERMISSION)
		access_list("denied", pgt_explanation_denied(x));
	out_bool("explained", NULL, pgt_explanation_explained(x));
	int agrees = pgt_explanation_agrees(x);
	if (agrees >= 0)
		out_bool("agrees", NULL, agrees);
	else
		out_null("agrees", NULL);
	if (*pgt_explanation_agreement(x))
		out_str("hardware", "  hardware     %s\n", pgt_explanation_agreement(x));
	if (*pgt_explanation_note(x))
		out_str("note", "  note         %s\n", pgt_explanation_note(x));
	out_str("next", "  next         %s\n", pgt_explanation_next(x));
}

static int print_fault(struct tally *t, const struct pgt_fault *f,
		       const struct pgt_fault_found *found)
{
	struct pgt_fault_explanation *x;
	pgt_addr addr, ipa;
	if (t->stage2 ? pgt_fault_explain_nested(t->src->t, t->stage2, f, &x, NULL)
		      : pgt_fault_explain(t->src->t, f, &x, NULL))
		return cli_out_of_memory();
	t->faults++;
	t->explained += pgt_explanation_explained(x);
	t->verdicts[pgt_explanation_verdict(x)]++;

	out_obj_begin(NULL);
	if (found)
		out_uint("line", "line %llu: ", found->line);
	out_str("kind", "%s fault", pgt_fault_kind_name(pgt_fault_kind_of(f)));
	if (pgt_fault_addr(f, &addr))
		out_hex("address", " at iova 0x%llx", addr);
	else
		out_null("address", NULL);
	if (pgt_fault_ipa(f, &ipa))
		out_hex("ipa", " (ipa 0x%llx)", ipa);
	if (found)
		out_str("device", *found->device ? " (%s)" : NULL, found->device);
	if (t->src->dev) {
		char id[48];
		out_str("table_of", " in the table of %s",
			pgt_devid_str(t->src->iommu, pgt_iommu_device_id(t->src->dev), id,
				      sizeof(id)));
		/* nested: the stage whose table the explanation walked */
		if (t->stage2) {
			pgt_addr walked;
			bool at_ipa;
			pgt_explanation_walked(x, &walked, &at_ipa);
			out_uint("table_stage", " (nested: stage %llu)", at_ipa ? 2ull : 1ull);
		}
	}
	out_text("\n");
	print_inputs(f);
	print_decoded(f);
	print_explanation(t, x);
	out_obj_end();
	pgt_explanation_free(x);
	return EXIT_OK;
}

/* The device whose table a fault is walked in: --device's, else the one
 * the fault names; with the fault's PASID when --device gives none and
 * the fault is of that device. */
static int fault_devid(const struct tally *t, const struct pgt_fault *f, struct pgt_devid *id,
		       struct pgt_error *err)
{
	uint32_t seg, device, pasid;
	bool has_device = pgt_fault_device(f, &seg, &device);
	memset(id, 0, sizeof(*id));
	if (t->device)
		*id = *t->device;
	else if (has_device)
		*id = (struct pgt_devid){.seg = seg, .id = device};
	else
		return pgt_fail(err, -EINVAL, "%s fault names no device the IOMMU's structures know",
				pgt_fault_kind_name(pgt_fault_kind_of(f)));
	if (!id->has_pasid && pgt_fault_pasid(f, &pasid) && (!has_device || device == id->id)) {
		id->has_pasid = true;
		id->pasid = pasid;
	}
	return 0;
}

/* The table of the device of a fault, in the IOMMUs of its kind: an exit
 * status, err saying why. */
static int device_source(struct tally *t, const struct pgt_fault *f, struct source *s,
			 struct pgt_error *err)
{
	struct pgt_iommu *ios[MAX_IOMMUS];
	struct pgt_devid id;
	const char *iommu = pgt_fault_kind_iommu(pgt_fault_kind_of(f));
	unsigned n = 0;
	memset(s, 0, sizeof(*s));
	/* a fault that cannot be walked in a device's table: not explained */
	if (fault_devid(t, f, &id, err))
		return EXIT_FAILED;
	for (unsigned i = 0; i < t->n_ios; i++)
		if (!iommu || !strcmp(pgt_iommu_kind_name(pgt_iommu_kind_of(t->ios[i])), iommu))
			ios[n++] = t->ios[i];
	if (!n) {
		pgt_fail(err, -EINVAL, "an %s fault, but no --iommu %s register is given",
			 pgt_fault_kind_name(pgt_fault_kind_of(f)), iommu);
		return EXIT_FAILED;
	}
	int status = source_device_table(ios, n, t->mem, &id, false, s, err);
	if (status)
		return status;
	/* the memory stays the tally's */
	s->borrowed = true;
	s->kind = SOURCE_MEMORY;
	/* nested: a stage-2 fault is the second stage's */
	const struct pgt_iommu_table *stage2 = pgt_iommu_device_stage2(s->dev);
	if (stage2 && pgt_iommu_table_open(stage2, t->mem, &t->stage2, err)) {
		char name[48];
		pgt_error_prefix(err, "device %s, second stage",
				 pgt_devid_str(s->iommu, pgt_iommu_device_id(s->dev), name, sizeof(name)));
		pgt_table_destroy(s->t);
		pgt_iommu_device_free(s->dev);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

static void close_device_source(struct tally *t, struct source *s)
{
	pgt_table_destroy(s->t);
	pgt_iommu_device_free(s->dev);
	pgt_table_destroy(t->stage2);
	t->stage2 = NULL;
}

static int on_found(void *ctx, const struct pgt_fault_found *found)
{
	struct tally *t = ctx;
	CLI_ERROR(err);
	struct source s;
	if (found->error) {
		t->unreadable++;
		out_error("%s:%lu: %s", t->log_name, found->line, cli_error_text(found->err));
		return 0;
	}
	if (!t->ios)
		return print_fault(t, found->fault, found);
	if (device_source(t, found->fault, &s, err)) {
		t->faults++;
		out_error("%s:%lu: %s", t->log_name, found->line, cli_error_text(err));
		return 0;
	}
	t->src = &s;
	int status = print_fault(t, found->fault, found);
	close_device_source(t, &s);
	t->src = NULL;
	return status;
}

/* Feed the log to the scanner; EXIT_USAGE when it cannot be read. */
static int scan_log(struct tally *t, FILE *in)
{
	struct pgt_fault_scanner *s;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	if (pgt_fault_scanner_new(on_found, t, &s, NULL))
		return cli_out_of_memory();
	while ((len = getline(&line, &cap, in)) >= 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		pgt_fault_scan_line(s, line);
	}
	int status = ferror(in) ? cli_usage("%s: %s", t->log_name, strerror(errno)) : EXIT_OK;
	pgt_fault_scan_end(s);
	t->lines = pgt_fault_scanner_lines(s);
	pgt_fault_scanner_free(s);
	free(line);
	return status;
}

static void print_summary(const struct tally *t, bool log)
{
	out_obj_begin("summary");
	if (log)
		out_uint("lines", NULL, t->lines);
	out_uint("faults", NULL, t->faults);
	out_uint("explained", NULL, t->explained);
	out_uint("unreadable", NULL, t->unreadable);
	out_obj_begin("verdicts");
	for (unsigned v = 0; v <= PGT_VERDICT_NOT_TABLE; v++)
		if (t->verdicts[v])
			out_uint(pgt_verdict_name(v), NULL, t->verdicts[v]);
	out_obj_end();
	out_obj_end();
	if (!log)
		return;
	if (!t->faults) {
		out_text("no faults in %lu line%s", t->lines, t->lines == 1 ? "" : "s");
	} else {
		out_text("%lu fault%s in %lu line%s:", t->faults, t->faults == 1 ? "" : "s",
			 t->lines, t->lines == 1 ? "" : "s");
		const char *sep = " ";
		for (unsigned v = 0; v <= PGT_VERDICT_NOT_TABLE; v++)
			if (t->verdicts[v]) {
				out_text("%s%lu %s", sep, t->verdicts[v], pgt_verdict_name(v));
				sep = ", ";
			}
		out_text("; %lu explained by the table", t->explained);
	}
	if (t->unreadable)
		out_text("; %lu unreadable", t->unreadable);
	out_text("\n");
}

static int kind_usage(const char *name)
{
	char list[200] = "";
	for (const struct pgt_fault_kind *const *k = pgt_fault_kinds(); *k; k++)
		pgt_join(list, sizeof(list), ", ", pgt_fault_kind_name(*k));
	return cli_usage("--kind: unknown fault kind '%s' (kinds: %s)", name, list);
}

/* The log: a file, or for '-' the command's input (standard input, or in a
 * session the data it names); *owned when it is ours to close. */
static int open_log(struct cli *c, struct tally *t, FILE **log, bool *owned)
{
	const struct fault_opts *o = c->opts;
	*owned = false;
	if (!strcmp(o->log, "-"))
		return cli_input(c, log, &t->log_name);
	t->log_name = o->log;
	if (!(*log = fopen(o->log, "r")))
		return cli_usage("%s: %s", o->log, strerror(errno));
	*owned = true;
	return EXIT_OK;
}

/* The faults (one given, or a log's) and the summary: the exit status. */
static int report(struct tally *t, const struct pgt_fault *f, FILE *log)
{
	int status;
	out_obj_begin(NULL);
	out_arr_begin("faults");
	if (f)
		status = print_fault(t, f, NULL);
	else
		status = scan_log(t, log);
	out_arr_end();
	print_summary(t, !f);
	out_obj_end();
	if (status || t->unreadable)
		return status ? status : EXIT_USAGE;
	return t->faults && t->explained == t->faults ? EXIT_OK : EXIT_FAILED;
}

/* With an IOMMU's registers: each fault in the table of its device (or of
 * --device), as the IOMMU's structures give it. */
static int by_device(struct cli *c, const struct pgt_fault_kind *kind)
{
	CLI_ERROR(err);
	struct pgt_iommu *ios[MAX_IOMMUS];
	struct pgt_devid device;
	struct pgt_fault *f = NULL;
	struct tally t = {.opts = c->opts, .ios = ios};
	if (t.opts->log && c->n_args)
		return cli_usage("fault --log takes no FIELD=VALUE ('%s')", c->args[0]);
	if (source_iommu_only(&c->src, err))
		return cli_fail(EXIT_USAGE, err);
	if (c->src.n_devices) {
		if (pgt_devid_parse(c->src.device[0], &device, err)) {
			pgt_error_prefix(err, "--device");
			return cli_fail(EXIT_USAGE, err);
		}
		t.device = &device;
	}
	if (kind && pgt_fault_parse(kind, c->args, (unsigned)c->n_args, &f, err))
		return cli_fail(EXIT_USAGE, err);
	if (source_open_all_iommus(&c->src, &t.mem, ios, &t.n_ios, err)) {
		pgt_fault_free(f);
		return cli_fail(EXIT_USAGE, err);
	}

	int status;
	struct source s = {0};
	FILE *log = NULL;
	bool owned = false;
	if (kind) {
		/* one fault: its table, before any output */
		if (!(status = device_source(&t, f, &s, err))) {
			t.src = &s;
			t.ios = NULL;
			status = report(&t, f, NULL);
			close_device_source(&t, &s);
		} else {
			status = cli_fail(status, err);
		}
	} else if (!(status = open_log(c, &t, &log, &owned))) {
		status = report(&t, NULL, log);
		if (owned)
			fclose(log);
	}
	pgt_fault_free(f);
	source_close_iommus(ios, t.n_ios);
	pgt_mem_destroy(t.mem);
	return status;
}

static int run(struct cli *c)
{
	const struct pgt_fault_kind *kind = NULL;
	struct pgt_fault *f = NULL;
	CLI_ERROR(err);
	struct source s;
	int first, status;

	const struct fault_opts *o = c->opts;
	if (!o->kind == !o->log)
		return cli_usage("fault needs --kind KIND with FIELD=VALUE..., or --log FILE");
	if (o->kind && !(kind = pgt_fault_kind_find(o->kind)))
		return kind_usage(o->kind);
	if (source_iommu_given(&c->src))
		return by_device(c, kind);
	if ((status = open_source(c, &s, &first)))
		return status;
	if (o->log && first < c->n_args) {
		source_close(&s);
		return cli_usage("fault --log takes no FIELD=VALUE ('%s')", c->args[first]);
	}
	if (kind &&
	    pgt_fault_parse(kind, &c->args[first], (unsigned)(c->n_args - first), &f, err)) {
		source_close(&s);
		return cli_fail(EXIT_USAGE, err);
	}

	struct tally t = {.src = &s, .opts = o};
	FILE *log = NULL;
	bool owned = false;
	if (o->log && (status = open_log(c, &t, &log, &owned))) {
		pgt_fault_free(f);
		source_close(&s);
		return status;
	}
	status = report(&t, f, log);
	pgt_fault_free(f);
	if (owned)
		fclose(log);
	source_close(&s);
	return status;
}

const struct cmd cmd_fault = {
	.name = "fault",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct fault_opts),
	.values = values,
	.complete_arg = complete_arg,
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "explain IOMMU faults against the table",
};

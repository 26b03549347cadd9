// SPDX-License-Identifier: MIT
/* pgtctl translate SOURCE IOVA...|-: what each IOVA maps to, and with -v
 * the whole walk: every level's descriptor, decoded, and why it stopped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "complete.h"

enum { OPT_PA = 256 };

static const struct argp_option options[] = {
	{"verbose", 'v', NULL, 0, "show the walk: every level's descriptor, decoded", 0},
	{"pa", OPT_PA, NULL, 0, "print only the physical address, one a line ('-' when not mapped)",
	 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct translate_opts {
	bool verbose;
	bool pa_only;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct translate_opts *o = state->input;
	(void)arg;
	switch (key) {
	case 'v':
		o->verbose = true;
		return 0;
	case OPT_PA:
		o->pa_only = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse, "SOURCE IOVA...\nSOURCE -",
	"Translate IOVAs: physical address, page size, level, prot. '-' reads IOVAs from "
	"standard input, one a line (in a session: the lines of CMD - <<END, or CMD - <FILE). "
	"Exit status 1 when an IOVA is not mapped.",
	NULL, NULL, NULL,
};

/* A translation: a line of a million, or an object's members. */
static const struct out_field mapped_line[] = {
	OUT_FIELD("iova", OUT_HEX, "0x", 0),
	OUT_FIELD("pa", OUT_HEX, " -> 0x", 0),
	OUT_FIELD("size", OUT_SIZE, "  ", 0),
	OUT_FIELD("level", OUT_UINT, "  L", 0),
	OUT_FIELD("prot", OUT_PROT, "  ", 0),
	OUT_FIELD("desc", OUT_HEX, "  desc 0x", 16),
	OUT_FIELDS_END("\n"),
};

/* --pa */
static const struct out_field pa_line[] = {
	OUT_FIELD("pa", OUT_HEX, "0x", 0),
	OUT_FIELDS_END("\n"),
};

/* One IOVA's walk; returns true when it translates. */
static bool print_translation(struct cli *c, struct source *s, const struct pgt_walk *w)
{
	bool ok = pgt_walk_stop(w) == PGT_STOP_LEAF;
	unsigned n = pgt_walk_steps(w);
	const struct pgt_walk_step *last = n ? pgt_walk_at(w, n - 1) : NULL;
	const struct translate_opts *o = c->opts;

	if (o->pa_only) {
		if (ok)
			out_fields(pa_line, (const uint64_t[]){pgt_walk_pa(w)});
		else
			out_null("pa", "-\n");
		return ok;
	}
	out_obj_begin(NULL);
	if (ok) {
		out_fields(mapped_line, (const uint64_t[]){pgt_walk_iova(w), pgt_walk_pa(w),
							   last->e.size, last->label, last->e.prot,
							   last->e.raw});
	} else {
		out_hex("iova", "0x%llx", pgt_walk_iova(w));
		out_null("pa", " -> not mapped");
		if (last) {
			out_uint("level", NULL, last->label);
			out_hex("desc", NULL, last->e.raw);
		}
		out_str("stop", NULL, pgt_stop_name(pgt_walk_stop(w)));
		out_str("why", " (%s)", pgt_walk_why(w));
		out_text("\n");
	}
	if (o->verbose)
		print_walk(s->t, w);
	out_obj_end();
	return ok;
}

/* One IOVA of a device whose DMA the IOMMU passes untranslated (bypass,
 * or AMD-Vi's DTE with V=0): it reaches the physical address it is, with
 * the accesses the entry lets through; the walk is the device's entries. */
static void print_untranslated(struct cli *c, struct source *s, pgt_addr iova)
{
	const struct translate_opts *o = c->opts;
	const struct pgt_iommu_device *d = s->dev;
	const char *note = pgt_iommu_device_note(d);
	char p[8], id[48];
	if (o->pa_only) {
		out_hex("pa", "0x%llx\n", iova);
		return;
	}
	out_obj_begin(NULL);
	out_hex("iova", "0x%llx", iova);
	out_hex("pa", " -> 0x%llx", iova);
	out_text("  bypass  %s\n", pgt_prot_letters(pgt_iommu_device_untranslated(d), p));
	out_prot("prot", NULL, pgt_iommu_device_untranslated(d));
	out_obj_begin("bypass");
	out_str("device", NULL, pgt_devid_str(s->iommu, pgt_iommu_device_id(d), id, sizeof(id)));
	out_str("mode", NULL, pgt_dev_mode_name(pgt_iommu_device_mode(d)));
	if (note)
		out_str("note", NULL, note);
	out_obj_end();
	if (o->verbose) {
		out_text("    device %s: %s, not translated%s%s%s\n", id,
			 pgt_dev_mode_name(pgt_iommu_device_mode(d)), note ? " (" : "",
			 note ? note : "", note ? ")" : "");
		out_arr_begin("walk");
		for (unsigned i = 0; i < pgt_iommu_device_n_chain(d); i++)
			print_iommu_entry(pgt_iommu_device_chain(d, i));
		out_arr_end();
	}
	out_obj_end();
}

/* IOVAs are walked in batches, whose memory accesses overlap and whose
 * walks share the steps their IOVAs have in common (pgt_translate_many). */
#define BATCH 512

/* The walks of a batch, made once for the command. */
struct batch {
	struct pgt_walk *w[BATCH];
};

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < BATCH; i++)
		pgt_walk_free(b->w[i]);
}

static int batch_new(struct batch *b)
{
	*b = (struct batch){0};
	for (size_t i = 0; i < BATCH; i++)
		if (pgt_walk_new(&b->w[i], NULL)) {
			batch_free(b);
			return -1;
		}
	return 0;
}

/* Translate and print n IOVAs; the worse status. */
static int translate_batch(struct cli *c, struct source *s, struct batch *b, const pgt_addr *iova,
			   size_t n, int status)
{
	if (!s->t) {
		for (size_t i = 0; i < n; i++)
			print_untranslated(c, s, iova[i]);
		return status;
	}
	pgt_translate_many(s->t, iova, n, b->w);
	for (size_t i = 0; i < n; i++)
		if (!print_translation(c, s, b->w[i]) && status == EXIT_OK)
			status = EXIT_FAILED;
	return status;
}

/* The lines of a stream, read a block at a time: getline's copy of each
 * line is much of reading a million. By line when the answers go to a
 * terminal: each line is answered before the next is waited for. */
struct lines {
	FILE *f;
	bool by_line;
	char *buf;
	size_t cap, start, end;
	bool no_memory; /* the input did not end: a line had no room */
};

/* Up to room bytes of f, to the end of a line at most. */
static size_t read_to_newline(FILE *f, char *to, size_t room)
{
	size_t n = 0;
	int ch;
	while (n < room && (ch = getc(f)) != EOF) {
		to[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	return n;
}

/* The next line, NUL-terminated, without its newline; NULL at the end. */
static char *next_line(struct lines *r, size_t *len)
{
	for (;;) {
		char *at = r->buf ? r->buf + r->start : NULL; /* no offset to NULL */
		char *nl = r->end > r->start ? memchr(at, '\n', r->end - r->start) : NULL;
		if (nl || (feof(r->f) || ferror(r->f))) {
			if (!nl && r->start == r->end)
				return NULL;
			*len = (size_t)((nl ? nl : r->buf + r->end) - at);
			at[*len] = 0;
			r->start += *len + (nl != NULL);
			return at;
		}
		/* keep the partial line, make room after it */
		if (r->end > r->start)
			memmove(r->buf, at, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
		if (r->cap - r->end < 4096) {
			size_t cap = r->cap ? 2 * r->cap : 65536;
			char *b = realloc(r->buf, cap + 1);
			if (!b) {
				r->no_memory = true;
				return NULL;
			}
			r->buf = b;
			r->cap = cap;
		}
		r->end += r->by_line ? read_to_newline(r->f, r->buf + r->end, r->cap - r->end)
				     : fread(r->buf + r->end, 1, r->cap - r->end, r->f);
	}
}

/* IOVAs one a line from '-': standard input, or a session's data. */
static int translate_input(struct cli *c, struct source *s, struct batch *b, FILE *f,
			   const char *name)
{
	struct lines in = {.f = f, .by_line = out_by_line()};
	size_t len, n = 0;
	int status = EXIT_OK;
	unsigned long lineno = 0;
	pgt_addr iova[BATCH];
	char *line;
	CLI_ERROR(err);

	while ((line = next_line(&in, &len))) {
		lineno++;
		while (len && line[len - 1] == '\r')
			line[--len] = 0;
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		if (pgt_parse_u64(line, &iova[n], err)) {
			/* after the lines before it */
			status = translate_batch(c, s, b, iova, n, status);
			n = 0;
			out_error("%s:%lu: %s", name, lineno, cli_error_text(err));
			status = EXIT_USAGE;
			continue;
		}
		if (++n == BATCH || in.by_line) {
			status = translate_batch(c, s, b, iova, n, status);
			n = 0;
		}
	}
	free(in.buf);
	status = translate_batch(c, s, b, iova, n, status);
	return in.no_memory ? cli_out_of_memory() : status;
}

static int run(struct cli *c)
{
	struct source s;
	c->src.untranslated_ok = true;
	int first, status = open_source(c, &s, &first);
	if (status)
		return status;
	if (first >= c->n_args) {
		source_close(&s);
		return cli_usage("translate needs IOVAs, or '-' to read them from standard input");
	}
	const struct translate_opts *o = c->opts;
	if (o->pa_only && o->verbose) {
		source_close(&s);
		return cli_usage("translate: --pa or -v, not both");
	}
	bool from_stdin = first + 1 == c->n_args && !strcmp(c->args[first], "-");
	FILE *in = NULL;
	const char *in_name = NULL;
	if (from_stdin && (status = cli_input(c, &in, &in_name))) {
		source_close(&s);
		return status;
	}
	uint64_t *iovas = calloc((size_t)c->n_args, sizeof(*iovas));
	struct batch b;
	if (!iovas || batch_new(&b)) {
		free(iovas);
		source_close(&s);
		return cli_out_of_memory();
	}
	if (!from_stdin)
		for (int i = first; i < c->n_args; i++)
			if (cli_parse_number("iova", c->args[i], &iovas[i])) {
				batch_free(&b);
				free(iovas);
				source_close(&s);
				return EXIT_USAGE;
			}
	out_arr_begin(NULL);
	if (from_stdin)
		status = translate_input(c, &s, &b, in, in_name);
	else
		for (int i = first; i < c->n_args; i += BATCH)
			status = translate_batch(c, &s, &b, iovas + i,
						 (size_t)(c->n_args - i < BATCH ? c->n_args - i : BATCH),
						 status);
	out_arr_end();
	batch_free(&b);
	free(iovas);
	source_close(&s);
	return status;
}

const struct cmd cmd_translate = {
	.name = "translate",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct translate_opts),
	.complete_arg = complete_source_arg,
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "translate IOVAs: PA, page size, level, prot",
};

// SPDX-License-Identifier: MIT
/*
 * A decoded fault against a table: walk the faulting address and say what
 * the table makes of it (an empty or malformed descriptor, a leaf that
 * refuses the access, a leaf that allows it, a broken walk). compare.c
 * weighs the hardware's report against that, advice.c says what to do.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fault_int.h"

static const struct {
	const char *name;
	bool explains; /* the table, as it is, makes the hardware fault */
} verdicts[] = {
	[PGT_VERDICT_NOT_MAPPED] = {"not-mapped", true},
	[PGT_VERDICT_MALFORMED] = {"malformed", true},
	[PGT_VERDICT_PERMISSION] = {"permission", true},
	[PGT_VERDICT_ACCESS_FLAG] = {"access-flag", true},
	[PGT_VERDICT_MAPPED] = {"mapped", false},
	[PGT_VERDICT_OUTSIDE] = {"outside-memory", true},
	[PGT_VERDICT_EXCLUDED] = {"excluded", false},
	[PGT_VERDICT_LOOP] = {"loop", true},
	[PGT_VERDICT_OUT_OF_RANGE] = {"out-of-range", true},
	[PGT_VERDICT_TOO_DEEP] = {"too-deep", true},
	[PGT_VERDICT_NOT_TABLE] = {"not-the-table", false},
	[PGT_VERDICT_UNREADABLE] = {"unreadable", false},
};

const char *pgt_verdict_name(enum pgt_verdict v)
{
	return (unsigned)v < sizeof(verdicts) / sizeof(verdicts[0]) ? verdicts[v].name : "?";
}

void fault_say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

const char *fault_space(const struct pgt_fault_explanation *x)
{
	return x->addr_ipa ? "ipa" : "iova";
}

/* "the 4K page at level 3 (0x0060000880000fc7 at 0x80003018)" */
static const char *leaf_words(struct pgt_table *t, const struct pgt_walk_step *s, char *buf,
			      size_t len)
{
	const struct pgt_geometry *g = pgt_table_geometry(t);
	char size[24];
	snprintf(buf, len, "the %s %s at level %u (0x%0*llx at 0x%llx)",
		 pgt_fmt_size(s->e.size, size), s->depth + 1 == g->n_levels ? "page" : "block",
		 s->label, (int)g->desc_bytes * 2, (unsigned long long)s->e.raw,
		 (unsigned long long)s->desc_pa);
	return buf;
}

/* "read,write,noexec": words, as a letter x (noexec) reads like "exec" */
static void prot_words(unsigned prot, char *buf, size_t len)
{
	const char *w[6];
	unsigned n = pgt_prot_words(prot, w);
	buf[0] = 0;
	for (unsigned i = 0; i < n; i++)
		pgt_join(buf, len, ",", w[i]);
	if (!n)
		pgt_join(buf, len, "", "none");
}

/* The accesses a leaf refuses: the fault's access against its prot. */
static unsigned denied_by(const struct pgt_fault *f, unsigned prot)
{
	unsigned d = 0;
	if ((f->access & PGT_ACCESS_READ) && !(prot & PGT_READ))
		d |= PGT_ACCESS_READ;
	if ((f->access & PGT_ACCESS_WRITE) && !(prot & PGT_WRITE))
		d |= PGT_ACCESS_WRITE;
	if ((f->access & PGT_ACCESS_EXEC) && (prot & PGT_NOEXEC))
		d |= PGT_ACCESS_EXEC;
	if (f->privileged == 0 && (prot & PGT_PRIV))
		d |= PGT_ACCESS_UNPRIV;
	return d;
}

/* What a leaf refuses, for a sentence: "writes or reads" */
static const char *denied_words(unsigned d, char *buf, size_t len)
{
	static const char *const words[] = {"reads", "writes", "instruction fetches (noexec)",
					    "unprivileged accesses (priv)"};
	buf[0] = 0;
	for (unsigned i = 0; i < 4; i++)
		if (d & (1u << i))
			pgt_join(buf, len, " or ", words[i]);
	return buf;
}

static void judge_leaf(struct pgt_table *t, const struct pgt_fault *f,
		       struct pgt_fault_explanation *x, const struct pgt_walk_step *s)
{
	char leaf[160], prot[64], acc[48], den[96];
	leaf_words(t, s, leaf, sizeof(leaf));
	prot_words(s->e.prot, prot, sizeof(prot));
	if (pgt_table_access_flag(t, s->depth, s->e.raw) == 0) {
		x->verdict = PGT_VERDICT_ACCESS_FLAG;
		fault_say(x->why, sizeof(x->why), "%s has its access flag (AF) clear", leaf);
		return;
	}
	x->denied = denied_by(f, s->e.prot);
	if (x->denied) {
		x->verdict = PGT_VERDICT_PERMISSION;
		fault_say(x->why, sizeof(x->why), "%s maps it to 0x%llx with prot %s: no %s", leaf,
			  (unsigned long long)x->walk.pa, prot,
			  denied_words(x->denied, den, sizeof(den)));
		return;
	}
	x->verdict = PGT_VERDICT_MAPPED;
	if (f->access)
		fault_say(x->why, sizeof(x->why),
			  "%s maps it to 0x%llx with prot %s, which allows this %s", leaf,
			  (unsigned long long)x->walk.pa, prot,
			  pgt_access_str(f->access, acc, sizeof(acc)));
	else
		fault_say(x->why, sizeof(x->why),
			  "%s maps it to 0x%llx with prot %s (the fault does not say which access "
			  "it was)",
			  leaf, (unsigned long long)x->walk.pa, prot);
}

static void judge(struct pgt_table *t, const struct pgt_fault *f, struct pgt_fault_explanation *x)
{
	const struct pgt_walk *w = &x->walk;
	const struct pgt_walk_step *s = w->n_steps ? &w->step[w->n_steps - 1] : NULL;
	unsigned width = pgt_table_geometry(t)->desc_bytes * 2;

	switch (w->stop) {
	case PGT_STOP_LEAF:
		judge_leaf(t, f, x, s);
		return;
	case PGT_STOP_EMPTY:
		x->verdict = PGT_VERDICT_NOT_MAPPED;
		fault_say(x->why, sizeof(x->why),
			  "the level %u descriptor at 0x%llx is empty (0x%0*llx): nothing maps %s "
			  "0x%llx",
			  s->label, (unsigned long long)s->desc_pa, (int)width,
			  (unsigned long long)s->e.raw, fault_space(x),
			  (unsigned long long)x->addr);
		return;
	case PGT_STOP_BAD:
		x->verdict = PGT_VERDICT_MALFORMED;
		fault_say(x->why, sizeof(x->why),
			  "the level %u descriptor at 0x%llx (0x%0*llx) is "
			  "malformed: %s",
			  s->label, (unsigned long long)s->desc_pa, (int)width,
			  (unsigned long long)s->e.raw, s->e.why);
		return;
	case PGT_STOP_OUTSIDE:
		x->verdict = PGT_VERDICT_OUTSIDE;
		break;
	case PGT_STOP_EXCLUDED:
		x->verdict = PGT_VERDICT_EXCLUDED;
		break;
	case PGT_STOP_UNREADABLE:
		x->verdict = PGT_VERDICT_UNREADABLE;
		break;
	case PGT_STOP_LOOP:
		x->verdict = PGT_VERDICT_LOOP;
		break;
	case PGT_STOP_RANGE:
		x->verdict = PGT_VERDICT_OUT_OF_RANGE;
		break;
	case PGT_STOP_BOTTOM:
		x->verdict = PGT_VERDICT_TOO_DEEP;
		break;
	}
	fault_say(x->why, sizeof(x->why), "the walk of %s 0x%llx stops: %s", fault_space(x),
		  (unsigned long long)x->addr, w->why);
}

/* --- Caveats: the table's format or stage is not the fault's ------------- */

/* The table of a stage, as the fault's IOMMU names it. */
static const char *stage_table(const struct pgt_fault *f, int stage)
{
	const char *words = f->kind->stage_table[stage - 1];
	return words ? words : stage == 1 ? "the stage-1 table" : "the stage-2 table";
}

static bool check_stage(struct pgt_table *t, const struct pgt_fault *f,
			struct pgt_fault_explanation *x)
{
	unsigned stage = pgt_format_stage(pgt_table_format(t));
	x->addr = f->addr;
	if (f->stage == 2 && stage == 2 && f->has_ipa) {
		x->addr = f->ipa;
		x->addr_ipa = true;
		return true;
	}
	if (f->stage == 2 && stage == 1) {
		fault_say(x->note, sizeof(x->note),
			  "the fault is at stage 2, and this is a stage-1 table: the IOVA is walked "
			  "here; give %s to explain it",
			  stage_table(f, 2));
		return false;
	}
	if (f->stage == 1 && stage == 2) {
		fault_say(x->note, sizeof(x->note),
			  "the fault is at stage 1, and this is a stage-2 table: its input address "
			  "is walked as an IPA here; give %s to explain it",
			  stage_table(f, 1));
		return false;
	}
	if (!pgt_fault_walks(f, pgt_table_format(t))) {
		char list[160];
		fault_say(x->note, sizeof(x->note),
			  "this %s fault (%s) is walked in %s tables, and the table given is %s",
			  f->kind->name, f->code, fault_formats_str(f->formats, list, sizeof(list)),
			  pgt_format_name(pgt_table_format(t)));
	}
	return true;
}

void fault_explain(struct pgt_table *t, const struct pgt_fault *f, struct pgt_fault_explanation *x)
{
	memset(x, 0, sizeof(*x));
	x->agrees = -1;
	bool stage_ok = check_stage(t, f, x);
	if ((x->walked = f->has_addr))
		pgt_translate(t, x->addr, &x->walk);
	if (f->cls == PGT_FAULT_NONE) {
		x->verdict = PGT_VERDICT_NOT_TABLE;
		fault_say(x->why, sizeof(x->why), "the registers record no fault");
	} else if (f->cls == PGT_FAULT_CONFIG || !f->has_addr) {
		x->verdict = PGT_VERDICT_NOT_TABLE;
		/* a walk abort without an address to walk is still about table
		 * memory: the hint says where */
		fault_say(x->why, sizeof(x->why),
			  f->cls == PGT_FAULT_WALK_ABORT ? "%s: no address in it to walk"
							 : "%s: not a page-table fault",
			  f->code);
	} else {
		judge(t, f, x);
		/* The hardware's report is about the other stage's table. */
		if (stage_ok)
			fault_compare(f, x);
	}
	x->explained = verdicts[x->verdict].explains && x->agrees != 0 && stage_ok;
	fault_advise(t, f, x);
}

int pgt_fault_explain(struct pgt_table *t, const struct pgt_fault *f,
		      struct pgt_fault_explanation **out, struct pgt_error *err)
{
	struct pgt_fault_explanation *x = malloc(sizeof(*x));
	if (!x)
		return pgt_fail(err, -ENOMEM, "out of memory");
	fault_explain(t, f, x);
	*out = x;
	return 0;
}

int pgt_fault_explain_nested(struct pgt_table *first, struct pgt_table *second,
			     const struct pgt_fault *f, struct pgt_fault_explanation **out,
			     struct pgt_error *err)
{
	if (f->stage != 2 || f->has_ipa || !f->has_addr)
		return pgt_fault_explain(f->stage == 2 ? second : first, f, out, err);
	/* the second stage's input is the first stage's output */
	struct pgt_fault at = *f;
	struct pgt_walk w;
	if (!pgt_translate(first, f->addr, &w)) {
		/* what the second stage refused is a table page of this walk */
		int rc = pgt_fault_explain(first, f, out, err);
		if (!rc)
			fault_say((*out)->note, sizeof((*out)->note),
				  "nested: the first stage does not translate the IOVA, so the second "
				  "stage refused a page of the first-stage tables this walk reads; "
				  "walk their addresses in the second-stage table");
		return rc;
	}
	at.has_ipa = true;
	at.ipa = pgt_walk_pa(&w);
	int rc = pgt_fault_explain(second, &at, out, err);
	if (!rc && !(*out)->note[0])
		fault_say((*out)->note, sizeof((*out)->note),
			  "nested: the first stage translates the IOVA to 0x%llx, walked here",
			  (unsigned long long)at.ipa);
	return rc;
}

void pgt_explanation_free(struct pgt_fault_explanation *x)
{
	free(x);
}

bool pgt_explanation_walked(const struct pgt_fault_explanation *x, pgt_addr *addr, bool *ipa)
{
	*addr = x->addr;
	*ipa = x->addr_ipa;
	return x->walked;
}

const struct pgt_walk *pgt_explanation_walk(const struct pgt_fault_explanation *x)
{
	return &x->walk;
}

enum pgt_verdict pgt_explanation_verdict(const struct pgt_fault_explanation *x)
{
	return x->verdict;
}

bool pgt_explanation_explained(const struct pgt_fault_explanation *x)
{
	return x->explained;
}

int pgt_explanation_agrees(const struct pgt_fault_explanation *x)
{
	return x->agrees;
}

unsigned pgt_explanation_denied(const struct pgt_fault_explanation *x)
{
	return x->denied;
}

const char *pgt_explanation_why(const struct pgt_fault_explanation *x)
{
	return x->why;
}

const char *pgt_explanation_agreement(const struct pgt_fault_explanation *x)
{
	return x->agreement;
}

const char *pgt_explanation_note(const struct pgt_fault_explanation *x)
{
	return x->note;
}

const char *pgt_explanation_next(const struct pgt_fault_explanation *x)
{
	return x->next;
}

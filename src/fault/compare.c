// SPDX-License-Identifier: MIT
/*
 * The hardware's report against the table: does the kind of fault (and
 * the level, where the hardware names one) match what the walk found? A
 * mismatch means the table changed since the fault, or the hardware
 * walked another table.
 */
#include <stdarg.h>
#include <stdio.h>

#include "fault_int.h"

static void agree(struct pgt_fault_explanation *x, int agrees, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void agree(struct pgt_fault_explanation *x, int agrees, const char *fmt, ...)
{
	va_list ap;
	x->agrees = agrees;
	va_start(ap, fmt);
	vsnprintf(x->agreement, sizeof(x->agreement), fmt, ap);
	va_end(ap);
}

/* The hardware's level against where the walk ended. */
static void same_level(const struct pgt_fault *f, struct pgt_fault_explanation *x, const char *what)
{
	const char *u = f->kind->unit;
	unsigned label = x->walk.step[x->walk.n_steps - 1].label;
	if (f->level >= 0 && (unsigned)f->level != label)
		agree(x, 0,
		      "%s names level %d, the walk ends at level %u: the table has changed since "
		      "the fault, or %s walked another table",
		      u, f->level, label, u);
	else if (f->level >= 0)
		agree(x, 1, "%s reports %s at level %d too", u, what, f->level);
	else
		agree(x, 1, "%s reports %s too", u, what);
}

void fault_compare(const struct pgt_fault *f, struct pgt_fault_explanation *x)
{
	const char *u = f->kind->unit;
	enum pgt_verdict v = x->verdict;
	bool leaf = v == PGT_VERDICT_PERMISSION || v == PGT_VERDICT_MAPPED ||
		    v == PGT_VERDICT_ACCESS_FLAG;
	/* (A loop or a table at the last level the hardware walks on as
	 * something else: no comparison.) */
	bool invalid = v == PGT_VERDICT_NOT_MAPPED || v == PGT_VERDICT_MALFORMED;

	switch (f->cls) {
	case PGT_FAULT_TRANSLATION:
		if (invalid)
			same_level(f, x, "a translation fault");
		else if (v == PGT_VERDICT_OUT_OF_RANGE)
			agree(x, 1, "%s reports a translation fault too", u);
		else if (leaf)
			agree(x, 0, "%s found no valid descriptor, but this table maps the address",
			      u);
		return;
	case PGT_FAULT_PAGE:
		/* no valid leaf or a refusing one: all but a leaf that allows it */
		if (invalid || v == PGT_VERDICT_PERMISSION || v == PGT_VERDICT_ACCESS_FLAG)
			same_level(f, x, "a page fault");
		else if (v == PGT_VERDICT_OUT_OF_RANGE)
			agree(x, 1, "%s reports a page fault too", u);
		else if (v == PGT_VERDICT_MAPPED)
			agree(x, 0,
			      "%s found no leaf that allows the access, but this table's leaf "
			      "allows it",
			      u);
		return;
	case PGT_FAULT_PERMISSION:
		if (v == PGT_VERDICT_PERMISSION)
			same_level(f, x, "a permission fault");
		else if (leaf)
			agree(x, 0,
			      "%s found a leaf that did not allow the access; this table's "
			      "leaf %s",
			      u,
			      v == PGT_VERDICT_MAPPED ? "allows it"
						      : "faults on its access flag first");
		else
			agree(x, 0, "%s found a leaf (a permission fault); this table has none", u);
		return;
	case PGT_FAULT_ACCESS_FLAG:
		if (v == PGT_VERDICT_ACCESS_FLAG)
			same_level(f, x, "an access flag fault");
		else if (leaf)
			agree(x, 0,
			      "%s found a leaf with its access flag clear; this table's leaf "
			      "has it set",
			      u);
		else
			agree(x, 0, "%s found a leaf (an access flag fault); this table has none",
			      u);
		return;
	case PGT_FAULT_ADDRESS_SIZE:
		if (v == PGT_VERDICT_OUT_OF_RANGE)
			agree(x, 1, "%s reports an address size fault too", u);
		else
			agree(x, -1,
			      "an address size fault also comes from an output or table "
			      "address beyond the output size (oas), which a walk here "
			      "does not see");
		return;
	case PGT_FAULT_WALK_ABORT:
		if (v == PGT_VERDICT_OUTSIDE || v == PGT_VERDICT_EXCLUDED)
			agree(x, 1, "%s reports a failed access of the table walk too", u);
		else
			agree(x, -1,
			      "%s's read of table memory failed on the bus: a table at an "
			      "address the IOMMU cannot reach, which memory here may still hold",
			      u);
		return;
	case PGT_FAULT_MALFORMED:
		if (v == PGT_VERDICT_MALFORMED)
			same_level(f, x, "a malformed descriptor");
		else
			agree(x, 0,
			      "%s found a malformed descriptor; this table has none on the walk",
			      u);
		return;
	case PGT_FAULT_NONE:
	case PGT_FAULT_CONFIG:
	case PGT_FAULT_OTHER:
		return;
	}
}

// SPDX-License-Identifier: MIT
/*
 * The iterator's table visits name the root they are under, at every
 * depth and at a table's end: a DART of four TTBRs (4K pages, ias 32:
 * one root per GiB) and a single-root table of five levels (VT-d first
 * stage, ias 57), whose deepest tables are still root 0's.
 */
#include <string.h>

#include "harness.h"
#include "../tools/open.h"

#include "unit/table_fixture.h"

/* Every TABLE (and TABLE_END) item of a walk of the whole table: does its
 * root hold its IOVA (the root of the IOVA's top bits, root_of)? */
static void visits_name_their_root(const char *what, struct tbl *x, unsigned root_shift)
{
	struct pgt_iter *it;
	const struct pgt_item *item;
	unsigned tables = 0, ends = 0, wrong = 0, deepest = 0;
	int rc = pgt_iter_new(x->t, pgt_table_iova_min(x->t), pgt_table_iova_max(x->t),
			      PGT_ITER_ENDS, &it, NULL);
	OK(!rc, "%s: the walk starts", what);
	if (rc)
		return;
	while ((rc = pgt_iter_next(it, &item)) > 0) {
		if (item->kind != PGT_ITEM_TABLE && item->kind != PGT_ITEM_TABLE_END)
			continue;
		const struct pgt_table_visit *tv = &item->table;
		unsigned want = root_shift < 64 ? (unsigned)(tv->iova >> root_shift) : 0;
		*(item->kind == PGT_ITEM_TABLE ? &tables : &ends) += 1;
		if (tv->depth > deepest)
			deepest = tv->depth;
		if (tv->root != want && wrong++ < 3)
			printf("# %s: %s at depth %u, iova 0x%llx: root %u, want %u\n", what,
			       item->kind == PGT_ITEM_TABLE ? "table" : "table end", tv->depth,
			       (unsigned long long)tv->iova, tv->root, want);
	}
	pgt_iter_free(it);
	OK(!rc && tables && tables == ends, "%s: %u tables walked, each ended", what, tables);
	EQ(deepest + 1, pgt_geometry_levels(pgt_table_geometry(x->t)),
	   "%s: the walk reaches the last level", what);
	EQ(wrong, 0, "%s: every table visit names the root it is under", what);
}

static void dart_four_roots(void)
{
	struct tbl x;
	if (make(&x, "apple-dart", 32, 36, K4, 0, true, 0x80000000)) {
		OK(0, "apple-dart with 4K pages and ias 32 is made");
		return;
	}
	EQ(pgt_geometry_roots(pgt_table_geometry(x.t)), 4, "apple-dart 4K ias 32: four roots");
	OK(!map1(&x, 0x1000, 0x100000, K4, PGT_READ) &&
		   !map1(&x, 0x40001000, 0x200000, K4, PGT_READ) &&
		   !map1(&x, 0xc0002000, 0x300000, K4, PGT_READ),
	   "pages under roots 0, 1 and 3 map");
	visits_name_their_root("apple-dart", &x, 30);
	drop(&x);
}

static void five_levels(void)
{
	struct tbl x;
	if (make(&x, "intel-vtd-fs", 57, 52, K4 | M2 | G1, 0, true, 0x80000000)) {
		OK(0, "intel-vtd-fs with ias 57 is made");
		return;
	}
	EQ(pgt_geometry_levels(pgt_table_geometry(x.t)), 5, "intel-vtd-fs ias 57: five levels");
	OK(!map1(&x, 0x1000, 0x100000, K4, PGT_READ | PGT_WRITE) &&
		   !map1(&x, 0x7fffffe000ull, 0x200000, K4, PGT_READ),
	   "two pages map");
	visits_name_their_root("intel-vtd-fs", &x, 64);
	drop(&x);
}

int main(void)
{
	dart_four_roots();
	five_levels();
	return t_done();
}

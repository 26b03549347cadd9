// SPDX-License-Identifier: MIT
/*
 * Undo journals: an edit undone leaves the table and its arena exactly as
 * they were (every byte, the roots, the free blocks: the same edit done
 * again gives the same bytes), across the paths that allocate and free:
 * tables freed and their blocks reused in one edit, a block split, a
 * failed map that had mapped part of its range, an AMD v1 table that grew,
 * a change of kernel, and journals of successive edits undone newest first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pgt/pgt.h"

#include "unit/table_fixture.h"

/* The whole state of a table: its arena's bytes, its roots and registers. */
struct state {
	pgt_addr end;
	uint8_t *bytes;
	pgt_addr roots[PGT_MAX_ROOTS];
	unsigned n_roots;
	struct pgt_regs regs;
};

static void take(struct tbl *x, struct state *s)
{
	pgt_addr base = pgt_arena_base(x->arena);
	memset(s, 0, sizeof(*s));
	s->end = pgt_arena_end(x->arena);
	s->bytes = malloc(s->end - base + 1);
	if (!s->bytes || pgt_mem_read(x->arena, base, s->bytes, s->end - base))
		abort();
	s->n_roots = pgt_table_roots(x->t, s->roots, PGT_MAX_ROOTS);
	pgt_table_regs(x->t, &s->regs);
}

static bool same(struct tbl *x, const struct state *a, const struct state *b)
{
	return a->end == b->end &&
	       !memcmp(a->bytes, b->bytes, a->end - pgt_arena_base(x->arena)) &&
	       a->n_roots == b->n_roots && !memcmp(a->roots, b->roots, sizeof(a->roots)) &&
	       !memcmp(&a->regs, &b->regs, sizeof(a->regs));
}

typedef int (*edit_fn)(struct tbl *x);

/* Do the edit in a journal, undo it, check; do it again, check it gives
 * the same state as the first time. Returns what the edit returned. */
static int check_undo(struct tbl *x, edit_fn edit, const char *what)
{
	struct state before, after, undone, again;
	struct pgt_journal *j;
	struct pgt_error err;
	take(x, &before);
	if (pgt_journal_begin(x->t, &j, &err)) {
		OK(0, "%s: journal: %s", what, err.msg);
		free(before.bytes);
		return -1;
	}
	int rc = edit(x);
	OK(!pgt_journal_end(x->t, NULL), "%s: every change recorded", what);
	take(x, &after);
	OK(!same(x, &before, &after), "%s: the edit changed the table", what);
	pgt_journal_undo(x->t, j);
	take(x, &undone);
	OK(same(x, &before, &undone), "%s: undone, the table is as it was", what);
	int rc2 = edit(x);
	take(x, &again);
	OK(rc2 == rc && same(x, &after, &again), "%s: done again, the same table", what);
	free(before.bytes);
	free(after.bytes);
	free(undone.bytes);
	free(again.bytes);
	return rc;
}

static int map(struct tbl *x, pgt_addr iova, pgt_addr pa, uint64_t size, uint64_t pgsize,
	       unsigned flags)
{
	struct pgt_error err;
	return pgt_map(x->t, iova, pa, size, PGT_READ | PGT_WRITE, pgsize, flags, &err);
}

static int unmap(struct tbl *x, pgt_addr iova, uint64_t size, enum pgt_split split)
{
	struct pgt_error err;
	return pgt_unmap(x->t, iova, size, split, NULL, &err);
}

/* Frees the 4K table under a 2M range, then maps 4K pages elsewhere:
 * the freed table's block comes back, zeroed, in the same edit. */
static int free_then_reuse(struct tbl *x)
{
	return unmap(x, 0x200000, M2, PGT_SPLIT_REFUSE) ||
	       map(x, 0x40000000, 0x9000000, 4 * K4, K4, 0);
}

/* A block split: a table allocated from the free blocks and filled. */
static int split(struct tbl *x)
{
	return unmap(x, 0x600000 + K4, K4, PGT_SPLIT_612);
}

/* A block mapped over a table with --replace: the table and its pages go. */
static int replace(struct tbl *x)
{
	return map(x, 0x800000, 0x7000000, M2, M2, PGT_MAP_REPLACE);
}

/* A map that fails part way: table memory runs out at its second table,
 * after its first pages were written. */
static int map_out_of_memory(struct tbl *x)
{
	uint64_t limit = pgt_arena_limit(x->arena);
	pgt_arena_set_limit(x->arena, pgt_arena_end(x->arena) - pgt_arena_base(x->arena) + K4);
	int rc = map(x, 0x1000000 - 2 * K4, 0x5000000, 4 * K4, K4, 0);
	pgt_arena_set_limit(x->arena, limit);
	return rc;
}

static void test_lpae(void)
{
	struct tbl x;
	if (make(&x, "arm-64-lpae-s1", 48, 48, K4 | M2 | G1, 0, true, 0x80000000)) {
		OK(0, "lpae table");
		return;
	}
	map(&x, 0x200000, 0x1000000, M2, K4, 0);
	map(&x, 0x600000, 0x3000000, M2, M2, 0);
	map(&x, 0x800000, 0x8000000, 8 * K4, K4, 0);
	OK(check_undo(&x, map_out_of_memory, "lpae: a map failing part way") == -ENOMEM,
	   "lpae: the map runs out of table memory");
	EQ(check_undo(&x, free_then_reuse, "lpae: free a table, reuse its block"), 0,
	   "lpae: free then reuse succeeds");
	EQ(check_undo(&x, split, "lpae: split a 2M block"), 0, "lpae: the split succeeds");
	EQ(check_undo(&x, replace, "lpae: a block replaces a table"), 0,
	   "lpae: the replace succeeds");

	/* Three journals, undone newest first: back to the start. */
	struct state start, end;
	struct pgt_journal *j[3];
	struct pgt_error err;
	edit_fn edits[3] = {free_then_reuse, split, replace};
	take(&x, &start);
	for (int i = 0; i < 3; i++) {
		pgt_journal_begin(x.t, &j[i], &err);
		edits[i](&x);
		pgt_journal_end(x.t, NULL);
	}
	for (int i = 3; i-- > 0;)
		pgt_journal_undo(x.t, j[i]);
	take(&x, &end);
	OK(same(&x, &start, &end), "lpae: three edits undone newest first: as at the start");
	free(start.bytes);
	free(end.bytes);
	drop(&x);
}

/* AMD v1 adds levels above the root for an IOVA beyond them. */
static int grow(struct tbl *x)
{
	return map(x, 1ull << 45, 0x4000000, K4, K4, 0);
}

static void test_amd_grow(void)
{
	struct tbl x;
	if (make(&x, "amd-iommu-v1", 52, 52, ~0ull, 0, true, 0x100000000)) {
		OK(0, "amd table");
		return;
	}
	map(&x, 0x1000, 0x2000, K4, K4, 0);
	pgt_addr root = 0;
	pgt_table_roots(x.t, &root, 1);
	EQ(check_undo(&x, grow, "amd-iommu-v1: the table grows"), 0, "amd: the map succeeds");
	pgt_addr now = 0;
	pgt_table_roots(x.t, &now, 1);
	OK(now != root, "amd: growing gave a new root");
	drop(&x);
}

/* v7s: level-2 tables of 1K, several to a page of the arena. */
static int v7s_edit(struct tbl *x)
{
	return unmap(x, 0x100000, M1, PGT_SPLIT_REFUSE) ||
	       map(x, 0x300000, 0x700000, 2 * K4, K4, 0);
}

static void test_v7s(void)
{
	struct tbl x;
	if (make(&x, "arm-v7s", 32, 32, K4 | K64 | M1 | M16, 0, true, 0x80000000)) {
		OK(0, "v7s table");
		return;
	}
	map(&x, 0x100000, 0x500000, M1, K4, 0);
	map(&x, 0x200000, 0x600000, 4 * K4, K4, 0);
	EQ(check_undo(&x, v7s_edit, "arm-v7s: free a level-2 table, reuse it"), 0,
	   "v7s: the edit succeeds");
	drop(&x);
}

/* A change of kernel and an edit as the new one, undone: the table is the
 * old kernel's again, byte for byte, and edits as that kernel does. */
static void test_kernel(void)
{
	struct tbl x;
	struct pgt_journal *j[2];
	struct pgt_error err;
	struct state start, end;
	if (make(&x, "arm-64-lpae-s1", 48, 48, K4 | M2 | G1, 0, true, 0x80000000)) {
		OK(0, "lpae table");
		return;
	}
	map(&x, 0x600000, 0x3000000, M2, M2, 0);
	take(&x, &start);
	EQ(pgt_table_cfg(x.t)->kernel, PGT_KERNEL_6_12, "kernel: the table is 6.12's");
	pgt_journal_begin(x.t, &j[0], &err);
	EQ(pgt_table_set_kernel(x.t, PGT_KERNEL_7_3, &err), 0, "kernel: 7.3 reads it alike");
	OK(!pgt_journal_end(x.t, NULL), "kernel: the change recorded");
	EQ(pgt_table_cfg(x.t)->kernel, PGT_KERNEL_7_3, "kernel: the table is 7.3's");
	pgt_journal_begin(x.t, &j[1], &err);
	struct pgt_journal *second = NULL;
	OK(pgt_journal_begin(x.t, &second, &err) == -EBUSY && !second,
	   "kernel: a second journal of the table is refused while one is open");
	OK(split(&x) != 0, "kernel: 7.3 does not split a block");
	EQ(pgt_journal_end(x.t, &err), 0, "kernel: the open journal recorded the refused edit");
	EQ(pgt_journal_end(x.t, &err), -EINVAL, "kernel: no journal is open to end");
	pgt_journal_undo(x.t, j[1]);
	pgt_journal_undo(x.t, j[0]);
	EQ(pgt_table_cfg(x.t)->kernel, PGT_KERNEL_6_12, "kernel: undone, the table is 6.12's");
	take(&x, &end);
	OK(same(&x, &start, &end), "kernel: undone, the table is as it was");
	EQ(split(&x), 0, "kernel: undone, the table splits a block as 6.12 does");
	free(start.bytes);
	free(end.bytes);
	drop(&x);
}

int main(void)
{
	test_lpae();
	test_amd_grow();
	test_v7s();
	test_kernel();
	return t_done();
}

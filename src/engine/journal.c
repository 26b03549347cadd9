// SPDX-License-Identifier: MIT
/*
 * Undo journals: while one is open, every descriptor write (pgt_desc_set)
 * saves the bytes it overwrites and the arena tells each allocation and
 * free; undo replays the records backwards. Writes to neighbouring
 * descriptors extend one record, and a run that was zero keeps no bytes,
 * so a journal costs what the edit changed. The table's own state (its
 * kernel, configuration, geometry and roots) is kept as it was, for a table
 * that grows or changes kernel.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine.h"

struct rec {
	enum { REC_BYTES, REC_ZEROS, REC_ARENA } kind;
	uint8_t *p; /* BYTES, ZEROS: table memory */
	size_t len;
	size_t off; /* BYTES, and an arena REUSE: the old bytes in the pool */
	struct pgt_arena_change change;
};

struct pgt_journal {
	struct pgt_table before;
	struct rec *rec;
	size_t n, cap;
	uint8_t *pool;
	size_t used, room;
	bool lost; /* a record could not be kept: no undo */
};

static struct rec *add(struct pgt_journal *j)
{
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 64;
		struct rec *r = realloc(j->rec, cap * sizeof(*r));
		if (!r) {
			j->lost = true;
			return NULL;
		}
		j->rec = r;
		j->cap = cap;
	}
	return &j->rec[j->n++];
}

/* Copy len bytes into the pool; its offset, or SIZE_MAX. */
static size_t keep(struct pgt_journal *j, const void *p, size_t len)
{
	if (j->room - j->used < len) {
		size_t room = j->room ? 2 * j->room : 4096;
		while (room - j->used < len)
			room *= 2;
		uint8_t *pool = realloc(j->pool, room);
		if (!pool) {
			j->lost = true;
			return SIZE_MAX;
		}
		j->pool = pool;
		j->room = room;
	}
	memcpy(j->pool + j->used, p, len);
	j->used += len;
	return j->used - len;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

void pgt_journal_note(struct pgt_journal *j, void *where, size_t len)
{
	uint8_t *p = where;
	bool zero = all_zero(p, len);
	struct rec *last = j->n ? &j->rec[j->n - 1] : NULL;
	if (last && last->p + last->len == p) {
		if (last->kind == REC_ZEROS && zero) {
			last->len += len;
			return;
		}
		if (last->kind == REC_BYTES && last->off + last->len == j->used) {
			if (keep(j, p, len) != SIZE_MAX)
				last->len += len;
			return;
		}
	}
	size_t off = zero ? 0 : keep(j, p, len);
	struct rec *r = off == SIZE_MAX ? NULL : add(j);
	if (r)
		*r = (struct rec){zero ? REC_ZEROS : REC_BYTES, p, len, off, {0}};
}

static void on_arena(void *ctx, const struct pgt_arena_change *c)
{
	struct pgt_journal *j = ctx;
	size_t off = 0;
	if (c->kind == PGT_ARENA_REUSE) {
		const void *old = pgt_mem_ptr(j->before.mem, c->pa, c->size);
		off = old ? keep(j, old, c->size) : SIZE_MAX;
		if (off == SIZE_MAX) {
			j->lost = true;
			return;
		}
	}
	struct rec *r = add(j);
	if (r)
		*r = (struct rec){REC_ARENA, NULL, 0, off, *c};
}

int pgt_journal_begin(struct pgt_table *t, struct pgt_journal **out, struct pgt_error *err)
{
	if (t->journal)
		return pgt_fail(err, -EBUSY, "a journal of the table is open already");
	struct pgt_journal *j = calloc(1, sizeof(*j));
	if (!j)
		return pgt_fail(err, -ENOMEM, "out of memory");
	j->before = *t;
	t->journal = j;
	/* read-only memory has no edits to record, only a change of kernel */
	if (t->writable)
		pgt_arena_set_recorder(t->mem, on_arena, j);
	*out = j;
	return 0;
}

int pgt_journal_end(struct pgt_table *t, struct pgt_error *err)
{
	struct pgt_journal *j = t->journal;
	t->journal = NULL;
	if (t->writable)
		pgt_arena_set_recorder(t->mem, NULL, NULL);
	if (!j)
		return pgt_fail(err, -EINVAL, "no journal of the table is open");
	return j->lost ? pgt_fail(err, -ENOMEM, "out of memory: the change cannot be undone") : 0;
}

void pgt_journal_undo(struct pgt_table *t, struct pgt_journal *j)
{
	for (size_t i = j->n; i-- > 0;) {
		const struct rec *r = &j->rec[i];
		switch (r->kind) {
		case REC_BYTES:
			memcpy(r->p, j->pool + r->off, r->len);
			break;
		case REC_ZEROS:
			memset(r->p, 0, r->len);
			break;
		case REC_ARENA:
			pgt_arena_revert(t->mem, &r->change);
			if (r->change.kind == PGT_ARENA_REUSE)
				memcpy(pgt_mem_ptr(t->mem, r->change.pa, r->change.size),
				       j->pool + r->off, r->change.size);
			break;
		}
	}
	t->kern = j->before.kern;
	t->ops = j->before.ops;
	t->features = j->before.features;
	t->known_sound = j->before.known_sound;
	t->cfg = j->before.cfg;
	t->geo = j->before.geo;
	t->n_roots = j->before.n_roots;
	memcpy(t->root, j->before.root, sizeof(t->root));
	pgt_journal_free(j);
}

void pgt_journal_free(struct pgt_journal *j)
{
	if (!j)
		return;
	free(j->rec);
	free(j->pool);
	free(j);
}

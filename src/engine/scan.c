// SPDX-License-Identifier: MIT
/*
 * Scanning memory for page tables of a format when the root is unknown.
 * A cheap first pass keeps only aligned tables whose every entry decodes
 * and whose table pointers stay inside memory; a walk below each survivor
 * then scores it: valid tables and leaves count for it, malformed
 * descriptors, misaligned outputs and pointers outside memory against it.
 * A lower-level table taken for a root reads its entries at the wrong
 * level, so its tree scores worse than the real root's; the pages its
 * misread outputs point at are mostly zeros, so an empty table counts for
 * nothing. Leaves that
 * map_pages would not have written count against a candidate: those that
 * grant neither read nor write, and those with bits the format does not
 * encode for their prot. Other tables that decode as this format are full
 * of them: a CPU page table read as AMD v1 (its permission bits are the
 * CPU's ignored bits), or an arm64 CPU table read as LPAE (software bits,
 * contiguous hints, PXN), so the IOMMU's tables rank above them.
 *
 * The cost is that of the data, whatever the memory claims to be: only
 * runs that may hold data are read (the holes of sparse files, an ELF
 * segment's zero tail and a kdump's excluded pages are not: a root table
 * is never all zeros), in pieces of a few MiB, so that memory use stays
 * flat; the first pass decodes each descriptor of the data once, however
 * many candidate windows it lies in, on every core; a table below many
 * candidates (CPU page tables share their kernel half) is walked once and
 * its tally remembered; and the walks together read at most a budget of
 * descriptors, past which the scan stops with what it found.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include "engine.h"

#define MAX_PROBLEMS 16 /* a walk that meets more is not a table */
#define PER_TABLE 8
#define PER_PROBLEM 64
#define PER_FOREIGN 2
#define PIECE (4ull << 20) /* bytes of candidate roots per piece of work */
#define MAX_THREADS 64

/* What the tree below one table adds to a candidate. */
struct tally {
	uint64_t tables, leaves, mapped, foreign, problems;
	bool any;
	uint64_t lo, hi; /* span of its leaves, from the table's first IOVA */
};

/* Tallies of tables walked, by address and depth. */
struct memo {
	struct memo_slot {
		pgt_addr pa;
		unsigned depth; /* + 1; 0: a free slot */
		struct tally t;
	} *slot;
	size_t cap, n;
};

/* Candidate roots [first, end), step apart, read as [first, read_end). */
struct piece {
	pgt_addr first, end, read_end;
	uint8_t *buf;
	pgt_addr *cand;
	size_t n_cand;
	bool unread; /* the bytes could not be read in one go */
	enum { FREE, QUEUED, TAKEN, DONE } state;
};

struct scan {
	struct pgt_table *t;
	struct pgt_mem *mem;
	uint64_t step, tbytes, dbytes, entries;
	/* the pieces in flight, by sequence number modulo n_ring */
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	struct piece *ring;
	unsigned n_ring, n_threads;
	uint64_t head, tail, next_take;
	bool quit;
	/* the walks */
	struct memo memo;
	uint64_t budget, spent;
	bool exhausted;
	uint8_t *root_buf;
	struct pgt_scan_candidate *out;
	size_t max_out, n_out;
};

/* --- First pass ------------------------------------------------------------ */

/* Past the zeros of the buffer's [at, end) that fill whole 8-byte words:
 * where the first word that is not zero starts, or the first byte left. */
static uint64_t skip_zeros(const uint8_t *buf, uint64_t at, uint64_t end)
{
	uint64_t w;
	for (; end - at >= 8; at += 8) {
		memcpy(&w, buf + at, 8);
		if (w)
			break;
	}
	return at;
}

/*
 * The candidates of a piece whose window holds no descriptor that fails to
 * decode and at least one that is not empty. Each descriptor is decoded
 * at most once however many windows overlap on it (it is enough to know
 * where the last used one was), and a bad one ends every window holding
 * it, so the walk goes on at the first candidate after it: noise costs a
 * descriptor or two per window. Positions are offsets into the piece.
 */
static void classify(const struct scan *s, struct piece *p)
{
	const struct pgt_table *t = s->t;
	const uint64_t span = p->end - p->first, db = s->dbytes;
	uint64_t used_to = 0, at = 0, c = 0;
	p->n_cand = 0;
	while (c < span) {
		bool bad = false;
		if (at < c)
			at = c;
		for (; at - c < s->tbytes; at += db) {
			at = skip_zeros(p->buf, at, c + s->tbytes);
			if (at - c >= s->tbytes)
				break;
			uint64_t raw = pgt_desc_get(t, p->buf, at / db);
			if (!raw)
				continue;
			struct pgt_entry e;
			t->ops->decode(t, 0, raw, &e);
			if (e.kind == PGT_BAD || (e.kind == PGT_TABLE && t->geo.n_levels < 2)) {
				bad = true;
				break;
			}
			if (e.kind != PGT_EMPTY)
				used_to = at + db;
		}
		if (!bad) {
			if (used_to > c)
				p->cand[p->n_cand++] = p->first + c;
			c += s->step;
		} else {
			/* pieces start aligned to the step */
			at += db;
			c = (at + s->step - 1) & ~(s->step - 1);
		}
	}
}

/* Read and classify a piece; when it cannot be read whole, every
 * candidate is left to the exact check, which reads its own window. */
static void work_on(struct scan *s, struct piece *p)
{
	p->unread = pgt_mem_read_shared(s->mem, p->first, p->buf, p->read_end - p->first) != 0;
	if (!p->unread) {
		classify(s, p);
		return;
	}
	p->n_cand = 0;
	for (uint64_t c = 0; c < p->end - p->first; c += s->step)
		p->cand[p->n_cand++] = p->first + c;
}

static void *worker(void *arg)
{
	struct scan *s = arg;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->quit && s->next_take == s->tail)
			pthread_cond_wait(&s->work, &s->lock);
		if (s->quit)
			break;
		struct piece *p = &s->ring[s->next_take++ % s->n_ring];
		p->state = TAKEN;
		pthread_mutex_unlock(&s->lock);
		work_on(s, p);
		pthread_mutex_lock(&s->lock);
		p->state = DONE;
		pthread_cond_broadcast(&s->done);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* --- Walks --------------------------------------------------------------- */

/* Exact first pass of one candidate: table pointers must stay in memory. */
static bool plausible_root(struct scan *s, pgt_addr pa)
{
	struct pgt_table *t = s->t;
	const struct pgt_level_geom *l0 = &t->geo.level[0];
	const void *p = pgt_mem_ptr(t->mem, pa, l0->table_bytes);
	s->spent += s->entries;
	if (!p) {
		if (pgt_mem_read(t->mem, pa, s->root_buf, l0->table_bytes))
			return false;
		p = s->root_buf;
	}
	uint64_t used = 0;
	for (uint64_t i = 0; i < s->entries; i++) {
		uint64_t raw = pgt_desc_get(t, p, i);
		if (!raw)
			continue;
		struct pgt_entry e;
		t->ops->decode(t, 0, raw, &e);
		if (e.kind == PGT_BAD)
			return false;
		if (e.kind == PGT_TABLE) {
			uint8_t probe;
			if (t->geo.n_levels < 2 || e.pa == pa || pgt_mem_read(t->mem, e.pa, &probe, 1))
				return false;
		}
		if (e.kind != PGT_EMPTY)
			used++;
	}
	return used > 0;
}

static size_t memo_hash(pgt_addr pa, unsigned depth, size_t cap)
{
	return (size_t)(((pa >> 6) ^ depth) * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
}

static struct tally *memo_find(struct memo *m, pgt_addr pa, unsigned depth)
{
	if (!m->cap)
		return NULL;
	for (size_t h = memo_hash(pa, depth, m->cap); m->slot[h].depth; h = (h + 1) & (m->cap - 1))
		if (m->slot[h].pa == pa && m->slot[h].depth == depth + 1)
			return &m->slot[h].t;
	return NULL;
}

static int memo_add(struct memo *m, pgt_addr pa, unsigned depth, const struct tally *t)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 1024;
		struct memo_slot *n = calloc(cap, sizeof(*n));
		if (!n)
			return -ENOMEM;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->slot[i].depth)
				continue;
			size_t h = memo_hash(m->slot[i].pa, m->slot[i].depth - 1, cap);
			while (n[h].depth)
				h = (h + 1) & (cap - 1);
			n[h] = m->slot[i];
		}
		free(m->slot);
		m->slot = n;
		m->cap = cap;
	}
	size_t h = memo_hash(pa, depth, m->cap);
	while (m->slot[h].depth)
		h = (h + 1) & (m->cap - 1);
	m->slot[h] = (struct memo_slot){pa, depth + 1, *t};
	m->n++;
	return 0;
}

/* Add child, whose table's first IOVA lies delta after parent's. */
static void merge(struct tally *parent, const struct tally *child, uint64_t delta)
{
	parent->tables += child->tables;
	parent->leaves += child->leaves;
	parent->mapped += child->mapped;
	parent->foreign += child->foreign;
	parent->problems += child->problems;
	if (!child->any)
		return;
	if (!parent->any || child->lo + delta < parent->lo)
		parent->lo = child->lo + delta;
	if (!parent->any || child->hi + delta > parent->hi)
		parent->hi = child->hi + delta;
	parent->any = true;
}

/* An open table of the walk and its tally so far. */
struct open_table {
	pgt_addr pa, iova;
	struct tally t;
	bool used; /* it has an entry that is not empty */
};

/*
 * Walk the tree below candidate root pa, tallying it; a table already
 * tallied under another candidate adds its tally without a walk. 0 and
 * *out, 1 when the walk gave up on it (too many problems, or the budget
 * ran out), or a negative errno.
 */
static int walk(struct scan *s, pgt_addr pa, struct pgt_scan_candidate *out)
{
	struct pgt_table *t = s->t;
	struct open_table open[PGT_MAX_LEVELS];
	uint64_t problems = 0;
	int top = -1, rc = 0;
	const struct pgt_item *item;

	t->root[0] = pa;
	struct pgt_iter *it = pgt_iter_new(t, pgt_table_iova_min(t), pgt_table_iova_max(t),
					   PGT_ITER_CHECK | PGT_ITER_ENDS);
	if (!it)
		return -ENOMEM;
	while (!rc && (rc = pgt_iter_next(it, &item)) > 0) {
		rc = 0;
		switch (item->kind) {
		case PGT_ITEM_TABLE: {
			const struct pgt_table_visit *tv = &item->table;
			const struct tally *known = memo_find(&s->memo, tv->pa, tv->depth);
			if (top >= 0)
				open[top].used = true;
			if (known && top >= 0) {
				merge(&open[top].t, known, tv->iova - open[top].iova);
				problems += known->problems;
				pgt_iter_skip(it);
				break;
			}
			s->spent += 1ull << t->geo.level[tv->depth].index_bits;
			open[++top] = (struct open_table){tv->pa, tv->iova, {.tables = 1}, false};
			break;
		}
		case PGT_ITEM_LEAF: {
			const struct pgt_leaf *l = &item->leaf;
			struct tally *y = &open[top].t;
			open[top].used = true;
			uint64_t lo = l->iova - open[top].iova;
			y->leaves++;
			y->mapped += l->span;
			if (!pgt_table_leaf_from_map(t, l, NULL))
				y->foreign++;
			if (!y->any || lo < y->lo)
				y->lo = lo;
			if (!y->any || lo + l->span - 1 > y->hi)
				y->hi = lo + l->span - 1;
			y->any = true;
			break;
		}
		case PGT_ITEM_PROBLEM:
			if (top < 0) { /* the root itself is unreadable */
				rc = 1;
				break;
			}
			open[top].t.problems++;
			open[top].used = true;
			problems++;
			break;
		case PGT_ITEM_TABLE_END:
			if (!open[top].used)
				open[top].t.tables--;
			if (top > 0) {
				rc = memo_add(&s->memo, open[top].pa, (unsigned)top, &open[top].t);
				merge(&open[top - 1].t, &open[top].t, open[top].iova - open[top - 1].iova);
				top--;
			}
			break;
		}
		if (!rc && (problems > MAX_PROBLEMS || s->spent > s->budget))
			rc = 1;
	}
	pgt_iter_free(it);
	if (rc)
		return rc;
	const struct tally *y = &open[0].t;
	*out = (struct pgt_scan_candidate){
		.root = pa,
		.tables = y->tables,
		.leaves = y->leaves,
		.mapped = y->mapped,
		.problems = y->problems,
		.lo = open[0].iova + y->lo,
		.hi = open[0].iova + y->hi,
		.score = (int64_t)(y->tables * PER_TABLE + y->leaves - y->foreign) -
			 (int64_t)(y->problems * PER_PROBLEM + y->foreign * PER_FOREIGN),
	};
	return y->leaves ? 0 : 1;
}

static int by_score(const void *a, const void *b)
{
	const struct pgt_scan_candidate *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->root < y->root ? -1 : x->root > y->root;
}

/* Keep the best max_out candidates, best first. */
static void keep(struct scan *s, const struct pgt_scan_candidate *c)
{
	if (s->n_out < s->max_out)
		s->out[s->n_out++] = *c;
	else if (s->max_out && c->score > s->out[s->max_out - 1].score)
		s->out[s->max_out - 1] = *c;
	else
		return;
	qsort(s->out, s->n_out, sizeof(*s->out), by_score);
}

/* The exact check and the walk of a piece's candidates, in order. */
static int walk_piece(struct scan *s, const struct piece *p)
{
	for (size_t i = 0; i < p->n_cand && !s->exhausted; i++) {
		struct pgt_scan_candidate c;
		if (!plausible_root(s, p->cand[i]))
			continue;
		int rc = walk(s, p->cand[i], &c);
		if (rc < 0)
			return rc;
		if (!rc)
			keep(s, &c);
		s->exhausted = s->spent > s->budget;
	}
	return 0;
}

/* --- The pieces ---------------------------------------------------------- */

/* Wait for the oldest piece and, if asked, walk its candidates. */
static int finish_oldest(struct scan *s, bool walk_it)
{
	struct piece *p = &s->ring[s->head % s->n_ring];
	if (s->n_threads) {
		pthread_mutex_lock(&s->lock);
		while (p->state != DONE)
			pthread_cond_wait(&s->done, &s->lock);
		pthread_mutex_unlock(&s->lock);
	} else {
		work_on(s, p);
	}
	int rc = walk_it ? walk_piece(s, p) : 0;
	p->state = FREE;
	s->head++;
	return rc;
}

/* Queue candidates [first, end), making room by finishing the oldest. */
static int queue(struct scan *s, pgt_addr first, pgt_addr end)
{
	int rc = 0;
	if (s->tail - s->head == s->n_ring && (rc = finish_oldest(s, true)))
		return rc;
	struct piece *p = &s->ring[s->tail % s->n_ring];
	p->first = first;
	p->end = end;
	p->read_end = first + (end - first - 1) / s->step * s->step + s->tbytes;
	p->state = QUEUED;
	pthread_mutex_lock(&s->lock);
	s->tail++;
	pthread_cond_signal(&s->work);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

/*
 * Every candidate whose window meets data: in each present range, the
 * runs that may hold data, a window reaching back from each run's start;
 * next is the first candidate not yet queued, as runs a hole apart can
 * share candidates.
 */
static int queue_range(struct scan *s, const struct pgt_mem_range *r, pgt_addr *next)
{
	const pgt_addr last = r->pa + (r->len - 1), span = s->tbytes - 1;
	struct pgt_mem_range d;
	if (r->len < s->tbytes)
		return 0;
	for (pgt_addr from = r->pa; !s->exhausted && pgt_mem_data(s->mem, from, &d) && d.pa <= last;) {
		pgt_addr d_last = d.pa + (d.len - 1) > last ? last : d.pa + (d.len - 1);
		pgt_addr lo = d.pa - r->pa > span - (s->dbytes - 1) ? d.pa - (span - (s->dbytes - 1)) : r->pa;
		pgt_addr c = (lo + s->step - 1) & ~(s->step - 1);
		if (c < lo)
			return 0; /* the aligned start wraps: nothing fits */
		if (c < *next)
			c = *next;
		/* candidates c <= d_last whose window ends by last */
		pgt_addr c_last = last - span < d_last ? last - span : d_last;
		while (c <= c_last && c >= r->pa && !s->exhausted) {
			uint64_t n = (c_last - c) / s->step + 1, max = PIECE / s->step;
			if (n > max)
				n = max;
			pgt_addr end = c + n * s->step;
			int rc = queue(s, c, end);
			if (rc)
				return rc;
			*next = end;
			if (!end)
				return 0; /* the last candidate of the address space */
			c = end;
		}
		if (d_last == last || !(from = d_last + 1))
			break;
	}
	return 0;
}

/* As many workers as the system gives, up to want; none is fine too. */
static void start_threads(struct scan *s, unsigned want, pthread_t *thr)
{
	unsigned n = 0;
	for (; n < want; n++)
		if (pthread_create(&thr[n], NULL, worker, s))
			break;
	s->n_threads = n;
}

static void stop_threads(struct scan *s, pthread_t *thr)
{
	pthread_mutex_lock(&s->lock);
	s->quit = true;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->lock);
	for (unsigned i = 0; i < s->n_threads; i++)
		pthread_join(thr[i], NULL);
}

static unsigned cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

static int scan_all(struct scan *s, const struct pgt_mem_range *ranges, size_t n_ranges)
{
	int rc = 0;
	pgt_addr next = 0;
	for (size_t r = 0; r < n_ranges && !rc && !s->exhausted; r++)
		rc = queue_range(s, &ranges[r], &next);
	while (!rc && s->head != s->tail)
		rc = finish_oldest(s, true);
	/* what is left in flight after a failure */
	while (s->head != s->tail)
		finish_oldest(s, false);
	return rc;
}

int pgt_scan_with(const struct pgt_format *fmt, const struct pgt_cfg *cfg, struct pgt_mem *mem,
		  const struct pgt_scan_opts *opts, struct pgt_scan_candidate *out, size_t max_out,
		  size_t *n_out, struct pgt_error *err)
{
	struct scan s = {.out = out, .max_out = max_out};
	unsigned want = opts && opts->threads ? opts->threads : cores();
	struct pgt_mem_range *ranges = NULL;
	pthread_t thr[MAX_THREADS];
	int rc = 0;

	*n_out = 0;
	s.budget = opts && opts->budget ? opts->budget : PGT_SCAN_BUDGET;
	if (want > MAX_THREADS)
		want = MAX_THREADS;
	/* one thread: no lock, no worker; more: the backend behind a lock */
	s.mem = want > 1 ? pgt_mem_locked(mem) : mem;
	if (!s.mem)
		return pgt_fail(err, -ENOMEM, "out of memory");
	if ((rc = pgt_table_setup(fmt, cfg, s.mem, &s.t, err)))
		goto out;
	if (s.t->geo.n_roots != 1) {
		rc = pgt_fail(err, -EINVAL,
			      "%s with this configuration has %u roots; scan one at a time (a "
			      "smaller --ias gives one)",
			      fmt->name, s.t->geo.n_roots);
		goto out;
	}
	s.t->n_roots = 1;
	const struct pgt_level_geom *l0 = &s.t->geo.level[0];
	s.tbytes = l0->table_bytes;
	s.dbytes = s.t->geo.desc_bytes;
	s.entries = 1ull << l0->index_bits;
	s.step = l0->table_align < 64 ? 64 : l0->table_align;
	s.n_ring = want > 1 ? 2 * want : 1;
	size_t n_ranges = pgt_mem_ranges(s.mem, NULL, 0);
	ranges = calloc(n_ranges ? n_ranges : 1, sizeof(*ranges));
	s.ring = calloc(s.n_ring, sizeof(*s.ring));
	s.root_buf = malloc(s.tbytes);
	if (!ranges || !s.ring || !s.root_buf)
		goto oom;
	pgt_mem_ranges(s.mem, ranges, n_ranges);
	for (unsigned i = 0; i < s.n_ring; i++) {
		struct piece *p = &s.ring[i];
		if (!(p->buf = malloc(PIECE + s.tbytes)) ||
		    !(p->cand = malloc(PIECE / s.step * sizeof(*p->cand))))
			goto oom;
	}
	if (pthread_mutex_init(&s.lock, NULL) || pthread_cond_init(&s.work, NULL) ||
	    pthread_cond_init(&s.done, NULL))
		goto oom;
	if (want > 1)
		start_threads(&s, want, thr);
	rc = scan_all(&s, ranges, n_ranges);
	stop_threads(&s, thr);
	pthread_cond_destroy(&s.work);
	pthread_cond_destroy(&s.done);
	pthread_mutex_destroy(&s.lock);
	*n_out = s.n_out;
	if (rc)
		pgt_fail(err, rc, "out of memory");
	else if (s.exhausted)
		rc = pgt_fail(err, -E2BIG,
			      "the walks read %llu descriptors, past the scan's work budget of "
			      "%llu: the candidates found so far are shown (raise it with "
			      "--budget N)",
			      (unsigned long long)s.spent, (unsigned long long)s.budget);
	goto out;
oom:
	rc = pgt_fail(err, -ENOMEM, "out of memory");
out:
	if (s.ring)
		for (unsigned i = 0; i < s.n_ring; i++) {
			free(s.ring[i].buf);
			free(s.ring[i].cand);
		}
	free(s.ring);
	free(s.root_buf);
	free(s.memo.slot);
	free(ranges);
	pgt_table_destroy(s.t);
	if (s.mem != mem)
		pgt_mem_destroy(s.mem);
	return rc;
}

int pgt_scan(const struct pgt_format *fmt, const struct pgt_cfg *cfg, struct pgt_mem *mem,
	     struct pgt_scan_candidate *out, size_t max_out, struct pgt_error *err)
{
	size_t n;
	int rc = pgt_scan_with(fmt, cfg, mem, NULL, out, max_out, &n, err);
	return rc ? rc : (int)n;
}

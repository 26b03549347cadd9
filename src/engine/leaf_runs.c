// SPDX-License-Identifier: MIT
/*
 * Leaves in runs, as map writes them and unmap finds them: the pages of a
 * table written in one go where the format's leaves step by a constant
 * (its leaf_step), the entries after a page that continue it so, and runs
 * of free slots. Map and unmap in every format go through these instead of
 * an entry at a time; which entries form a run is decided from the
 * format's own encoding, so what they write and clear is what the
 * kernel's page-by-page loops would.
 */
#include <string.h>

#include "engine.h"

void pgt_write_leaves(struct pgt_table *t, unsigned depth, void *p, uint64_t idx, uint64_t pgsize,
		      pgt_addr pa, uint64_t attrs, uint64_t n)
{
	const struct pgt_format_ops *ops = t->ops;
	uint64_t per = pgsize >> t->geo.level[depth].shift;
	uint64_t step = per == 1 && ops->leaf_step ? ops->leaf_step(t, depth, pgsize, pa, n) : 0;
	if (step) {
		uint64_t first = ops->leaf(t, depth, pgsize, pa, attrs, 0);
		if (t->geo.desc_bytes == 8 && !t->big_endian && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
			/* the bulk case: a plain run the compiler can vectorize */
			uint64_t *d = (uint64_t *)p + idx;
			if (t->journal)
				pgt_journal_note(t->journal, d, n * 8);
			for (uint64_t i = 0; i < n; i++)
				d[i] = first + i * step;
			return;
		}
		for (uint64_t i = 0; i < n; i++)
			pgt_desc_set(t, p, idx + i, first + i * step);
		return;
	}
	for (uint64_t i = 0; i < n; i++)
		for (uint64_t k = 0; k < per; k++)
			pgt_desc_set(t, p, idx + i * per + k,
				     ops->leaf(t, depth, pgsize, pa + i * pgsize, attrs, (unsigned)k));
}

uint64_t pgt_leaf_run(struct pgt_table *t, unsigned depth, const void *p, uint64_t idx,
		      const struct pgt_entry *e, uint64_t n)
{
	const struct pgt_format_ops *ops = t->ops;
	if (e->kind != PGT_LEAF || e->count != 1 || e->size != pgt_size_of_depth(t, depth) ||
	    !ops->leaf_step)
		return 1;
	uint64_t step = ops->leaf_step(t, depth, e->size, e->pa, n);
	uint64_t k = 1;
	if (!step)
		return 1;
	if (t->geo.desc_bytes == 8 && !t->big_endian && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
		const uint64_t *d = (const uint64_t *)p + idx;
		while (k < n && d[k] == e->raw + k * step)
			k++;
	} else {
		while (k < n && pgt_desc_get(t, p, idx + k) == e->raw + k * step)
			k++;
	}
	return k;
}

void pgt_clear_entries(struct pgt_table *t, void *p, uint64_t idx, uint64_t n)
{
	unsigned bytes = t->geo.desc_bytes;
	if (t->journal)
		pgt_journal_note(t->journal, (uint8_t *)p + idx * bytes, n * bytes);
	/* zero in either byte order */
	memset((uint8_t *)p + idx * bytes, 0, n * bytes);
}

uint64_t pgt_free_run(const struct pgt_table *t, const void *p, uint64_t idx, uint64_t per,
		      uint64_t n)
{
	uint64_t i = 0;
	if (t->geo.desc_bytes == 8) {
		/* zero in either byte order: no conversion per entry */
		const uint64_t *d = (const uint64_t *)p + idx;
		while (i < n * per && !d[i])
			i++;
	} else {
		while (i < n * per && !pgt_desc_get(t, p, idx + i))
			i++;
	}
	return i / per;
}

// SPDX-License-Identifier: MIT
/* Building a spec: create the table, map every mapping as iommu_map() would,
 * then apply the unmap entries in order. Errors point at the spec's line. */
#include <errno.h>

#include "internal.h"

int pgt_spec_build(const struct pgt_spec *spec, const struct pgt_events *ev, void *cookie,
		   struct pgt_mem **arena_out, struct pgt_table **t_out, struct pgt_error *err)
{
	struct pgt_mem *arena;
	struct pgt_table *t = NULL;
	int rc = pgt_arena_new(spec->mem_base, &arena, err);

	if (rc)
		return rc;
	if (spec->mem_limit)
		pgt_arena_set_limit(arena, spec->mem_limit);
	rc = pgt_table_create(spec->fmt, &spec->cfg, arena, &t, err);
	if (rc) {
		pgt_error_prefix(err, "%s:%u:%u: configuration refused", spec->name,
				 spec->cfg_pos.line, spec->cfg_pos.column);
		goto fail;
	}
	pgt_table_set_events(t, ev, cookie);
	for (size_t i = 0; i < spec->n_maps; i++) {
		const struct pgt_spec_mapping *m = &spec->maps[i];
		rc = pgt_map(t, m->iova, m->pa, m->size, m->prot, m->pgsize,
			     m->replace ? PGT_MAP_REPLACE : 0, err);
		if (rc) {
			pgt_error_prefix(err, "%s:%u:%u: mapping 0x%llx+0x%llx", spec->name,
					 m->pos.line, m->pos.column, (unsigned long long)m->iova,
					 (unsigned long long)m->size);
			goto fail;
		}
	}
	for (size_t i = 0; i < spec->n_unmaps; i++) {
		const struct pgt_spec_unmap *u = &spec->unmaps[i];
		rc = pgt_unmap(t, u->iova, u->size, u->split ? PGT_SPLIT_612 : PGT_SPLIT_REFUSE, NULL,
			       err);
		if (rc) {
			pgt_error_prefix(err, "%s:%u:%u: unmap 0x%llx+0x%llx", spec->name,
					 u->pos.line, u->pos.column, (unsigned long long)u->iova,
					 (unsigned long long)u->size);
			goto fail;
		}
	}
	/* Hand back the table as an IMAGE of it will hold it: canonical
	 * layout, so that its roots and registers are the file's. A spec
	 * mapped in IOVA order is laid out so already. */
	struct pgt_mem *canon_arena;
	struct pgt_table *canon;
	rc = pgt_table_canonical(t, &canon_arena, &canon, err);
	if (rc)
		goto fail;
	if (canon != t) {
		pgt_table_destroy(t);
		pgt_mem_destroy(arena);
		arena = canon_arena;
	}
	*arena_out = arena;
	*t_out = canon;
	return 0;
fail:
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	return rc;
}

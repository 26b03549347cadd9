// SPDX-License-Identifier: MIT
/*
 * The YAML spec: load it from the input (pgt_spec_parse, the buffer form
 * of pgt_spec_load) and build it. Two promises are checked on the way:
 * - every map and unmap the spec asks for does what it said it did: the
 *   pages a successful map mapped translate to their PAs, the range a
 *   successful unmap unmapped no longer translates, and the finished table
 *   walks without a problem;
 * - dump --output yaml of the built table rebuilds it byte for byte.
 */
#include "fuzz.h"
#include "../tools/open.h"

/*
 * Table memory one input may use. A spec may ask for up to 8 GiB (the
 * arena's default limit) or more with memory.limit; the fuzzer caps it
 * through that same limit, which fails with an error, not an allocation
 * failure, and keeps every input fast.
 */
#define FUZZ_TABLE_MEMORY (1u << 20)

static void cap_memory(struct pgt_spec *spec)
{
	if (!spec->mem_limit || spec->mem_limit > FUZZ_TABLE_MEMORY)
		spec->mem_limit = FUZZ_TABLE_MEMORY;
}

static void expect_mapped(struct pgt_table *t, pgt_addr iova, pgt_addr pa, const char *what)
{
	struct pgt_walk w;
	FUZZ_CHECK(pgt_translate(t, iova, &w) && w.pa == pa,
		   "%s: iova 0x%llx should map pa 0x%llx: %s (pa 0x%llx)", what,
		   (unsigned long long)iova, (unsigned long long)pa, w.why,
		   (unsigned long long)w.pa);
}

static void expect_unmapped(struct pgt_table *t, pgt_addr iova, const char *what)
{
	struct pgt_walk w;
	FUZZ_CHECK(!pgt_translate(t, iova, &w), "%s: iova 0x%llx still maps pa 0x%llx", what,
		   (unsigned long long)iova, (unsigned long long)w.pa);
}

static int count_problem(void *ctx, const struct pgt_problem *p)
{
	FUZZ_CHECK(0, "%s: level %u descriptor 0x%llx at 0x%llx: %s", (const char *)ctx, p->label,
		   (unsigned long long)p->raw, (unsigned long long)p->desc_pa, p->why);
	return 1;
}

/* The spec's maps and unmaps one at a time, as pgt_spec_build makes them,
 * each checked once it is done. */
static void replay_checked(const struct pgt_spec *spec)
{
	struct pgt_mem *arena = t_arena(spec->mem_base);
	struct pgt_table *t;
	struct pgt_error err;
	if (!arena)
		abort();
	pgt_arena_set_limit(arena, spec->mem_limit);
	if (pgt_table_create(spec->fmt, &spec->cfg, arena, &t, &err)) {
		pgt_mem_destroy(arena);
		return;
	}
	for (size_t i = 0; i < spec->n_maps; i++) {
		const struct pgt_spec_mapping *m = &spec->maps[i];
		if (pgt_map(t, m->iova, m->pa, m->size, m->prot, m->pgsize,
			    m->replace ? PGT_MAP_REPLACE : 0, &err))
			goto out;
		expect_mapped(t, m->iova, m->pa, "map");
		expect_mapped(t, m->iova + m->size - 1, m->pa + m->size - 1, "map");
	}
	for (size_t i = 0; i < spec->n_unmaps; i++) {
		const struct pgt_spec_unmap *u = &spec->unmaps[i];
		if (pgt_unmap(t, u->iova, u->size, u->split ? PGT_SPLIT_612 : PGT_SPLIT_REFUSE, NULL,
			      &err))
			goto out;
		expect_unmapped(t, u->iova, "unmap");
		expect_unmapped(t, u->iova + u->size - 1, "unmap");
	}
	struct pgt_visitor v = {.problem = count_problem, .check_descriptors = true,
				.ctx = "the built table"};
	pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &v);
out:
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
}

static int build(const char *name, const void *text, size_t len, struct pgt_mem **arena,
		 struct pgt_table **t, struct pgt_error *err)
{
	struct pgt_spec *spec = NULL;
	int rc = pgt_spec_parse(name, text, len, &spec, err);
	if (rc)
		return rc;
	cap_memory(spec);
	rc = pgt_spec_build(spec, NULL, NULL, arena, t, err);
	pgt_spec_free(spec);
	return rc;
}

static bool same_memory(struct pgt_mem *a, struct pgt_mem *b)
{
	pgt_addr base = pgt_arena_base(a);
	uint64_t len = pgt_arena_end(a) - base;
	if (pgt_arena_base(b) != base || pgt_arena_end(b) - base != len)
		return false;
	uint8_t *x = malloc(len ? len : 1), *y = malloc(len ? len : 1);
	if (!x || !y)
		abort();
	bool same = !pgt_mem_read(a, base, x, len) && !pgt_mem_read(b, base, y, len) &&
		    !memcmp(x, y, len);
	free(x);
	free(y);
	return same;
}

/* dump --output yaml of t, built again. */
static void rebuild(struct pgt_table *t, struct pgt_mem *arena)
{
	char *text = NULL;
	size_t len = 0;
	struct pgt_error err = {0};
	FILE *f = open_memstream(&text, &len);
	if (!f)
		abort();
	int rc = pgt_spec_emit(t, NULL, f, &err);
	fclose(f);
	FUZZ_CHECK(!rc, "the built table does not emit: %s", err.msg);

	struct pgt_mem *arena2;
	struct pgt_table *t2;
	rc = build("emitted.yaml", text, len, &arena2, &t2, &err);
	FUZZ_CHECK(!rc, "the emitted spec does not build: %s\n%s", err.msg, text);
	/* the emitter says where it cannot reproduce the table exactly */
	if (!strstr(text, "# cannot recreate") && !strstr(text, "# note:"))
		FUZZ_CHECK(same_memory(arena, arena2), "the emitted spec builds another table\n%s",
			   text);
	pgt_table_destroy(t2);
	pgt_mem_destroy(arena2);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pgt_spec *spec = NULL;
	struct pgt_mem *arena;
	struct pgt_table *t;
	struct pgt_error err;
	if (pgt_spec_parse("fuzz.yaml", data, size, &spec, &err))
		return 0;
	cap_memory(spec);
	replay_checked(spec);
	if (!pgt_spec_build(spec, NULL, NULL, &arena, &t, &err)) {
		rebuild(t, arena);
		pgt_table_destroy(t);
		pgt_mem_destroy(arena);
	}
	pgt_spec_free(spec);
	return 0;
}

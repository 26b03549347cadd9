// SPDX-License-Identifier: MIT
/*
 * The IOMMU structures over memory they cannot trust, as devices, --device
 * and scan --iommu meet them in a dump: a header picks the IOMMU, its
 * register values and where memory sits; the rest of the input is the
 * memory. Every walk must end, whatever the entries say (loops, tables
 * reached many times, pointers anywhere), and each device the walk lists
 * must be found again, the same, by its ID.
 */
#include "fuzz.h"
#include "pgt/pgt.h"

/* The header, byte by byte. */
enum {
	H_KIND,	      /* index into pgt_iommu_kinds() */
	H_FLAGS,      /* enum flag */
	H_BASE = 8,   /* 8 bytes: physical address of the memory */
	H_REG0 = 16,  /* 8 bytes: the register */
	H_REG1 = 24,  /* 8 bytes: the second register value, with F_REG1 */
	H_SIZE = 32,
};

enum flag {
	F_REG1 = 1u << 0,
	F_ALL = 1u << 1,  /* invalid and abort entries too */
	F_SCAN = 1u << 2, /* scan --iommu */
};

#define MAX_FOUND 32

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

struct seen {
	unsigned n;
	struct pgt_iommu_device dev[MAX_FOUND];
	uint64_t sum;
};

static int on_device(void *ctx, const struct pgt_iommu_device *d)
{
	struct seen *s = ctx;
	FUZZ_CHECK(d->n_chain <= PGT_IOMMU_MAX_CHAIN && d->n_problems <= PGT_IOMMU_MAX_PROBLEMS,
		   "a chain of %u, %u problems", d->n_chain, d->n_problems);
	FUZZ_CHECK(d->has_table || !d->has_stage2, "a second stage without a first");
	for (unsigned i = 0; i < d->n_chain; i++)
		s->sum += d->chain[i].n_fields + strlen(d->chain[i].name);
	if (s->n < MAX_FOUND)
		s->dev[s->n++] = *d;
	return 0;
}

static int on_problem(void *ctx, const struct pgt_iommu_problem *p)
{
	((struct seen *)ctx)->sum += strlen(p->why) + strlen(p->what);
	return 0;
}

/* A device's table, when pgtctl has its format: its walk ends too. */
static void walk_table(const struct pgt_iommu_table *it, struct pgt_mem *mem)
{
	struct pgt_table *t;
	struct pgt_error err;
	if (pgt_iommu_table_open(it, mem, &t, &err))
		return;
	struct pgt_walk w;
	pgt_translate(t, 0x1000, &w);
	pgt_table_destroy(t);
}

static void same(const struct pgt_iommu_kind *k, const struct pgt_iommu_device *a,
		 const struct pgt_iommu_device *b)
{
	char id[48];
	pgt_devid_str(k, &a->id, id, sizeof(id));
	FUZZ_CHECK(pgt_devid_eq(&a->id, &b->id) && a->mode == b->mode &&
			   a->has_table == b->has_table && a->n_chain == b->n_chain,
		   "device %s: the walk says mode %d, find says %d", id, a->mode, b->mode);
	FUZZ_CHECK(!a->has_table || (!strcmp(a->table.format, b->table.format) &&
				     a->table.root[0] == b->table.root[0]),
		   "device %s: another table", id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct pgt_iommu_kind *const *kinds = pgt_iommu_kinds();
	unsigned n_kinds = 0;
	struct pgt_error err;
	if (size < H_SIZE)
		return 0;
	while (kinds[n_kinds])
		n_kinds++;
	const struct pgt_iommu_kind *k = kinds[data[H_KIND] % n_kinds];
	unsigned flags = data[H_FLAGS];
	pgt_addr base = le(data + H_BASE, 8);
	char reg[48];
	if (flags & F_REG1)
		snprintf(reg, sizeof(reg), "0x%llx,0x%llx", (unsigned long long)le(data + H_REG0, 8),
			 (unsigned long long)le(data + H_REG1, 8));
	else
		snprintf(reg, sizeof(reg), "0x%llx", (unsigned long long)le(data + H_REG0, 8));

	struct pgt_mem *mem = pgt_arena_new(base);
	size_t len = size - H_SIZE;
	if (!mem || (len && (pgt_arena_reserve(mem, base, len, &err) ||
			     pgt_mem_write(mem, base, data + H_SIZE, len)))) {
		pgt_mem_destroy(mem);
		return 0;
	}
	if (flags & F_SCAN) {
		struct pgt_iommu_candidate c[4];
		pgt_iommu_scan(k, mem, c, 4, &err);
	}
	struct pgt_iommu *io;
	if (pgt_iommu_open(k, reg, mem, &io, &err)) {
		pgt_mem_destroy(mem);
		return 0;
	}
	static struct seen s;
	memset(&s, 0, sizeof(s));
	struct pgt_iommu_visitor v = {on_device, on_problem, flags & F_ALL, &s};
	pgt_iommu_walk(io, &v);
	static struct pgt_iommu_device found;
	for (unsigned i = 0; i < s.n; i++) {
		FUZZ_CHECK(!pgt_iommu_find(io, &s.dev[i].id, &found, &err),
			   "a device the walk lists is not found: %s", err.msg);
		same(k, &s.dev[i], &found);
		if (s.dev[i].has_table && i < 4)
			walk_table(&s.dev[i].table, mem);
	}
	pgt_iommu_close(io);
	pgt_mem_destroy(mem);
	return 0;
}

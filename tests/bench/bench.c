// SPDX-License-Identifier: MIT
/*
 * make bench: the engine's hot paths on arm-64-lpae-s1 with the 4K
 * granule. Map and unmap of 1, 4 and 64 GiB of 4K pages (and of 4 GiB in
 * every format), translation of a million random IOVAs, and a walk of a
 * table with a million leaves.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../tools/open.h"
#include "tools/kdumpgen.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The bench's table: arm-64-lpae-s1, 4K granule, ias/oas 48. */
static void lpae_cfg(struct pgt_cfg *cfg)
{
	pgt_cfg_init(cfg);
	cfg->ias = 48;
	cfg->oas = 48;
	cfg->pgsize_bitmap = 0x40201000;
}

static struct pgt_table *new_table(const struct pgt_format *fmt, const struct pgt_cfg *cfg,
				   struct pgt_mem **arena)
{
	struct pgt_error err;
	struct pgt_table *t;
	*arena = t_arena(0x80000000);
	if (pgt_table_create(fmt, cfg, *arena, &t, &err)) {
		fprintf(stderr, "bench: %s: %s\n", pgt_format_name(fmt), err.msg);
		exit(1);
	}
	return t;
}

static struct pgt_table *fresh(struct pgt_mem **arena)
{
	struct pgt_cfg cfg;
	lpae_cfg(&cfg);
	return new_table(pgt_format_find("arm-64-lpae-s1"), &cfg, arena);
}

static int count_leaf(void *ctx, const struct pgt_leaf *l)
{
	(void)l;
	(*(uint64_t *)ctx)++;
	return 0;
}

static int count_range(void *ctx, const struct pgt_range *r)
{
	(void)r;
	(*(uint64_t *)ctx)++;
	return 0;
}

static void row(const char *what, double ns, uint64_t n, const char *unit)
{
	printf("  %-46s %9.2f ns/%s  (%llu in %.1f ms)\n", what, ns / (double)n, unit,
	       (unsigned long long)n, ns / 1e6);
}

static void map_pages(struct pgt_table *t, pgt_addr iova, pgt_addr pa, uint64_t bytes,
		      uint64_t pgsize)
{
	struct pgt_error err;
	if (pgt_map(t, iova, pa, bytes, PGT_READ | PGT_WRITE, pgsize, 0, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		exit(1);
	}
}

struct map_unmap_cost {
	double map, pages, freed; /* ns */
};

/* Map bytes of pages of pgsize at iova, then unmap them two ways:
 * unmap_pages in pages of pgsize (each leaf cleared, tables kept) and
 * iommu_unmap of the whole (every table freed). The best of three rounds:
 * the machine may be shared. */
static struct map_unmap_cost map_unmap_cost(const struct pgt_format *fmt,
					    const struct pgt_cfg *cfg, pgt_addr iova, pgt_addr pa,
					    uint64_t bytes, uint64_t pgsize)
{
	struct pgt_error err;
	struct pgt_unmap_opts o = {PGT_SPLIT_REFUSE, true, false};
	struct map_unmap_cost best = {1e18, 1e18, 1e18};

	for (int round = 0; round < 3; round++) {
		struct pgt_mem *arena;
		struct pgt_table *t = new_table(fmt, cfg, &arena);
		double t0 = now();
		map_pages(t, iova, pa, bytes, pgsize);
		double t1 = now();
		best.map = t1 - t0 < best.map ? t1 - t0 : best.map;

		t0 = now();
		for (uint64_t done = 0; done < bytes;) {
			uint64_t got = pgt_unmap_bytes(t, iova + done, pgsize, (bytes - done) / pgsize,
						       &o, &err);
			if (!got) {
				fprintf(stderr, "bench: %s\n", err.msg);
				exit(1);
			}
			done += got;
		}
		t1 = now();
		best.pages = t1 - t0 < best.pages ? t1 - t0 : best.pages;

		map_pages(t, iova, pa, bytes, pgsize);
		t0 = now();
		if (pgt_unmap(t, iova, bytes, PGT_SPLIT_REFUSE, NULL, &err)) {
			fprintf(stderr, "bench: %s\n", err.msg);
			exit(1);
		}
		t1 = now();
		best.freed = t1 - t0 < best.freed ? t1 - t0 : best.freed;
		pgt_table_destroy(t);
		pgt_mem_destroy(arena);
	}
	return best;
}

/* Unmapping is linear: each way costs at most 1.5x the map. */
static void unmap_goal(const char *what, const struct map_unmap_cost *c)
{
	double worst = (c->pages > c->freed ? c->pages : c->freed) / c->map;
	printf("  %-46s %9.2fx   (goal <= 1.50x: %s)\n", what, worst,
	       worst <= 1.5 ? "met" : "NOT MET");
}

static void map_unmap(uint64_t bytes, const char *label)
{
	struct pgt_cfg cfg;
	char what[80];
	lpae_cfg(&cfg);
	struct map_unmap_cost c =
		map_unmap_cost(pgt_format_find("arm-64-lpae-s1"), &cfg, 0x100000000ull,
			       0x4000000000ull, bytes, 0x1000);
	uint64_t pages = bytes >> 12;
	snprintf(what, sizeof(what), "map %s of 4K pages (iommu_map)", label);
	row(what, c.map, pages, "page");
	row("unmap it (unmap_pages, 4K)", c.pages, pages, "page");
	row("unmap it (iommu_unmap, tables freed)", c.freed, pages, "page");
	unmap_goal("slower unmap / map", &c);
}

/* The same goal in every format, as each kernel builds it: 4 GiB of the
 * smallest pages of its default configuration, in the lowest 4 GiB of IOVA
 * and PA that configuration takes. */
static void map_unmap_every_format(void)
{
	static const enum pgt_kernel kernels[] = {PGT_KERNEL_6_12, PGT_KERNEL_7_3};
	const uint64_t bytes = 4ull << 30;
	printf("unmap against map, 4 GiB of the smallest pages, every format and kernel:\n");
	for (const struct pgt_format *const *f = pgt_formats(); *f; f++) {
		for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
			if (!pgt_format_has_kernel(*f, kernels[k]))
				continue;
			struct pgt_cfg cfg;
			pgt_format_cfg_defaults(*f, kernels[k], &cfg);
			uint64_t pgsize = cfg.pgsize_bitmap & -cfg.pgsize_bitmap;
			/* ias 0: the format's to choose, never fewer than 39 bits */
			pgt_addr iova = !cfg.ias || cfg.ias > 33 ? 1ull << 32 : 0;
			pgt_addr pa = cfg.oas > 34 ? 1ull << 33 : 0;
			struct map_unmap_cost c = map_unmap_cost(*f, &cfg, iova, pa, bytes, pgsize);
			char what[80];
			snprintf(what, sizeof(what), "%s %s %s: map %.1f ms, unmap %.1f, %.1f",
				 pgt_format_name(*f), pgt_kernel_name(kernels[k]),
				 pgsize == 0x1000 ? "4K" : "16K", c.map / 1e6, c.pages / 1e6,
				 c.freed / 1e6);
			unmap_goal(what, &c);
		}
	}
}

/* A sparse ELF core of `bytes` of RAM at 0x80000000 with the table's memory
 * copied in at its place: a vmcore as kdump would write it, mostly holes. */
static int write_sparse_core(const char *path, struct pgt_table *t, uint64_t bytes)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	Elf64_Ehdr eh = {0};
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 1;
	Elf64_Phdr ph = {PT_LOAD, PF_R | PF_W, 4096, 0x80000000, 0x80000000, bytes, bytes, 4096};
	struct pgt_mem_range r;
	pgt_mem_ranges(pgt_table_mem(t), &r, 1);
	uint8_t *buf = malloc(r.len);
	int rc = -1;
	if (buf && !pgt_mem_read(pgt_table_mem(t), r.pa, buf, r.len) &&
	    pwrite(fd, &eh, sizeof(eh), 0) == sizeof(eh) &&
	    pwrite(fd, &ph, sizeof(ph), sizeof(eh)) == sizeof(ph) &&
	    pwrite(fd, buf, r.len, (off_t)(4096 + r.pa - 0x80000000)) == (ssize_t)r.len &&
	    !ftruncate(fd, (off_t)(4096 + bytes)))
		rc = 0;
	free(buf);
	close(fd);
	return rc;
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* The same 16 GiB as a zstd kdump that kept only the table's pages, as
 * makedumpfile -d 31 keeps little more than the kernel's own memory. */
static void bench_kdump(const char *core_path, struct pgt_table *t)
{
	const uint64_t bytes = 16ull << 30, base = 0x80000000, bs = 4096;
	int fd = open(core_path, O_RDONLY);
	const uint8_t *ram = fd < 0 ? MAP_FAILED : mmap(NULL, bytes, PROT_READ, MAP_SHARED, fd, 4096);
	if (fd >= 0)
		close(fd);
	if (ram == MAP_FAILED)
		return;
	struct pgt_mem_range r;
	pgt_mem_ranges(pgt_table_mem(t), &r, 1);
	uint64_t first = (r.pa - base) / bs, end = (r.pa + r.len - base + bs - 1) / bs;
	struct kdumpgen_range ex[2] = {{base / bs, first}, {base / bs + end, bytes / bs - end}};
	struct kdumpgen g = {.compress = KDUMP_ZSTD, .exclude = ex, .n_exclude = 2};
	struct kdumpgen_info inf;
	char path[600], why[800];
	snprintf(path, sizeof(path), "%s.kdump", core_path);
	int rc = kdumpgen_write(path, ram, bytes, base, &g, &inf, why, sizeof(why));
	munmap((void *)ram, bytes);
	if (rc) {
		printf("  (cannot write a kdump: %s)\n", why);
		return;
	}
	struct pgt_error err;
	pgt_addr root = 0x80000000;
	struct pgt_table *kt = NULL;
	double t0 = now();
	struct pgt_mem *m = t_dump(path, &err);
	if (!m || pgt_table_attach(pgt_table_format(t), pgt_table_cfg(t), m, &root, 1, &kt, &err)) {
		printf("  (cannot open the kdump: %s)\n", err.msg);
		pgt_mem_destroy(m);
		unlink(path);
		return;
	}
	double t1 = now();
	pgt_addr pa = pgt_iova_to_phys(kt, 0x10123456);
	double t2 = now();
	for (int i = 0; i < 1000; i++)
		pa ^= pgt_iova_to_phys(kt, 0x10000000 + ((uint64_t)i << 16));
	double t3 = now();
	printf("  %-46s %9.3f ms  (%llu pages kept)\n", "open a 16 GiB zstd kdump, attach",
	       (t1 - t0) / 1e6, (unsigned long long)inf.n_dumped);
	printf("  %-46s %9.3f ms\n", "first translate in it (decompresses)", (t2 - t1) / 1e6);
	printf("  %-46s %9.0f ns  (checksum %llx)\n", "translate, pages cached", (t3 - t2) / 1000,
	       (unsigned long long)pa);
	pgt_table_destroy(kt);
	pgt_mem_destroy(m);
	unlink(path);
}

static void dumps(void)
{
	printf("dumps: a 16 GiB sparse ELF vmcore and kdump, a scan of 1 GiB\n");
	struct pgt_mem *arena;
	struct pgt_table *t = fresh(&arena);
	struct pgt_error err;
	pgt_map(t, 0x10000000, 0x100000000, 64ull << 20, PGT_READ | PGT_WRITE, 0x1000, 0, &err);
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[512];
	snprintf(path, sizeof(path), "%s/pgtctl-bench-vmcore.%d", tmp, (int)getpid());
	if (write_sparse_core(path, t, 16ull << 30)) {
		printf("  (cannot write %s)\n", path);
		return;
	}
	long rss0 = max_rss_kb();
	double t0 = now();
	struct pgt_mem *core = t_elfcore(path, &err);
	pgt_addr root = 0x80000000;
	struct pgt_table *ct = NULL;
	if (!core || pgt_table_attach(pgt_table_format(t), pgt_table_cfg(t), core, &root, 1, &ct, &err)) {
		printf("  (cannot open: %s)\n", err.msg);
		unlink(path);
		return;
	}
	double t1 = now();
	pgt_addr pa = pgt_iova_to_phys(ct, 0x10123456);
	double t2 = now();
	printf("  %-46s %9.3f ms\n", "open a 16 GiB sparse vmcore, attach", (t1 - t0) / 1e6);
	printf("  %-46s %9.3f ms  (pa 0x%llx)\n", "first translate in it", (t2 - t1) / 1e6,
	       (unsigned long long)pa);
	printf("  %-46s %9ld KiB\n", "memory use grew by", max_rss_kb() - rss0);
	pgt_table_destroy(ct);
	pgt_mem_destroy(core);
	bench_kdump(path, t);
	unlink(path);

	/* scan: 1 GiB of memory, a quarter of it noise, the table in the middle */
	snprintf(path, sizeof(path), "%s/pgtctl-bench-scan.%d", tmp, (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	uint64_t x = 88172645463325252ull;
	uint64_t *noise = malloc(1 << 20);
	for (unsigned mb = 0; fd >= 0 && noise && mb < 256; mb++) {
		for (unsigned i = 0; i < (1 << 17); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			noise[i] = x;
		}
		if (pwrite(fd, noise, 1 << 20, (off_t)mb << 22) != 1 << 20)
			break;
	}
	free(noise);
	struct pgt_mem_range r;
	pgt_mem_ranges(pgt_table_mem(t), &r, 1);
	uint8_t *tbl = malloc(r.len);
	if (fd >= 0 && tbl && !pgt_mem_read(pgt_table_mem(t), r.pa, tbl, r.len) &&
	    pwrite(fd, tbl, r.len, (off_t)(512ull << 20)) == (ssize_t)r.len &&
	    !ftruncate(fd, 1ll << 30)) {
		/* the table was built at 0x80000000: place the file so it lands there */
		struct pgt_mem *raw = t_rawfile(path, 0x80000000 - (512ull << 20), &err);
		struct pgt_scan_candidate c[4];
		t0 = now();
		int n = raw ? pgt_scan(pgt_table_format(t), pgt_table_cfg(t), raw, c, 4, &err) : -1;
		t1 = now();
		printf("  %-46s %9.3f s   (%d candidates, best 0x%llx)\n", "scan 1 GiB for arm-64-lpae-s1 roots",
		       (t1 - t0) / 1e9, n, n > 0 ? (unsigned long long)c[0].root : 0ull);
		pgt_mem_destroy(raw);
	}
	free(tbl);
	if (fd >= 0)
		close(fd);
	unlink(path);
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
}

int main(void)
{
	printf("pgtctl engine benchmark: arm-64-lpae-s1, 4K granule, ias/oas 48\n");
	map_unmap(1ull << 30, "1 GiB");
	map_unmap(4ull << 30, "4 GiB");
	map_unmap(64ull << 30, "64 GiB");
	map_unmap_every_format();

	struct pgt_mem *arena;
	struct pgt_table *t = fresh(&arena);
	struct pgt_error err;
	const uint64_t bytes = 4ull << 30, pages = bytes >> 12;
	if (pgt_map(t, 0, 0x4000000000ull, bytes, PGT_READ | PGT_WRITE, 0x1000, 0, &err))
		return 1;

	/* translate a million random IOVAs in the 4 GiB */
	const unsigned n = 1000000;
	uint64_t *iova = malloc(n * sizeof(*iova)), x = 0x9e3779b97f4a7c15ull, sum = 0;
	for (unsigned i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		iova[i] = x % bytes;
	}
	double t0 = now();
	for (unsigned i = 0; i < n; i++)
		sum += pgt_iova_to_phys(t, iova[i]);
	double t1 = now();
	row("translate, random IOVAs (iova_to_phys)", t1 - t0, n, "iova");
	struct pgt_walk w;
	t0 = now();
	for (unsigned i = 0; i < n; i++)
		sum += pgt_translate(t, iova[i], &w);
	t1 = now();
	row("translate with the full walk record", t1 - t0, n, "iova");

	uint64_t leaves = 0, ranges = 0;
	struct pgt_visitor v = {.leaf = count_leaf, .ctx = &leaves};
	t0 = now();
	pgt_walk_range(t, 0, pgt_table_iova_max(t), &v);
	t1 = now();
	row("walk every leaf (dump --leaves)", t1 - t0, leaves, "leaf");
	t0 = now();
	pgt_walk_ranges(t, 0, pgt_table_iova_max(t), true, count_range, NULL, &ranges);
	t1 = now();
	row("walk and coalesce leaves (dump)", t1 - t0, leaves, "leaf");

	struct pgt_mem *a2;
	struct pgt_table *copy;
	t0 = now();
	if (pgt_table_clone(t, 0x80000000, &a2, &copy, &err))
		return 1;
	t1 = now();
	row("canonical copy of the table (image write)", t1 - t0, pages, "leaf");
	printf("  (%llu leaves in %llu range%s; checksum %llx)\n", (unsigned long long)leaves,
	       (unsigned long long)ranges, ranges == 1 ? "" : "s", (unsigned long long)sum);
	pgt_table_destroy(copy);
	pgt_mem_destroy(a2);
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
	free(iova);
	dumps();
	return 0;
}

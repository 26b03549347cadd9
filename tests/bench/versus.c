// SPDX-License-Identifier: MIT
/*
 * make bench, against the kernel's own code: the same work done by pgtctl
 * and by the kernel's page-table code (the oracles of tests/kernel: the
 * kernel's files compiled unmodified in userspace) in a program of its
 * own, each timed as a whole process, in alternating runs. Each format is
 * timed against the kernel that builds it by default: Linux 6.12's
 * io-pgtable (and its AMD v2), and Linux 7.3's generic_pt where 6.12 has
 * no code for the format (VT-d, RISC-V) and for what 7.3 builds
 * differently (AMD v1 and v2 as FORMAT@7.3). Printed per format and work:
 * each side's median wall time, and the median of the pairwise ratios
 * against its goal. The work:
 *
 *   build      map 4 GiB as 1M 4K pages (map_pages, as iommu_map() calls
 *              it; generic_pt's map_range of the range in 4K pages) and
 *              write the table out: `pgtctl build SPEC -o IMAGE` against
 *              the map and a write() of the kernel's table memory;
 *   translate  1M random IOVAs read from standard input, one line out for
 *              each: `pgtctl translate IMAGE -` (its line: IOVA, PA, page
 *              size, level, prot, descriptor) against a program that loads
 *              the kernel's table and prints "IOVA -> PA" of iova_to_phys()
 *              for each;
 *   translate --pa  the same, both printing the PA alone.
 *
 * And for build, its floor: the least any program that replaces the image
 * as pgtctl must (whole, or not at all: a new file written, fsynced and
 * renamed over the old one) can take, a program writing the same number
 * of bytes from a buffer it reuses and doing nothing else. Its ratio to
 * the kernel program is how near 0 a build's can ever come here: the
 * kernel program's time is mostly the same writing.
 *
 * Before timing, both sides' results are checked against each other: the
 * same physical address for every IOVA, and whether the table memory is
 * byte for byte the kernel's.
 *
 *   versus PGTCTL [ROW...]              the comparison (default: every row;
 *                                       a ROW is FORMAT, FORMAT@KERNEL)
 *   versus kernel-build ROW OUT         the kernel's side of build
 *   versus kernel-translate ROW TABLE   the kernel's side of translate
 *   versus kernel-translate-pa ROW TABLE  of translate --pa
 *   versus floor-write LEN OUT          build's floor
 *
 * Environment: BENCH_RUNS (pairs timed, default 7), TMPDIR.
 *
 * A format joins with one row of `rows` below; a kernel oracle with another
 * API with one struct kernel_side.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gpt_oracle.h"
#include "oracle.h"

#define BENCH_SIZE ((uint64_t)4 << 30)
#define BENCH_PAGE ((uint64_t)0x1000)
#define N_IOVAS 1000000u
#define PROT_RW 3u /* IOMMU_READ | IOMMU_WRITE */
/* simulated physical memory for the kernel's tables (reserved, not touched) */
#define KERNEL_MEM (256ull << 20)

struct row;

/* A kernel oracle as the bench drives it. */
struct kernel_side {
	const char *name;
	void *(*create)(const struct row *r);
	/* map n pages as the kernel's iommu_map() would for one page size */
	int (*map_pages)(void *k, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t n,
			 unsigned prot, uint64_t *mapped);
	uint64_t (*iova_to_phys)(void *k, uint64_t iova);
	/* the table memory from the base on */
	const uint8_t *(*mem)(void *k, uint64_t *len);
	int (*load)(void *k, const void *buf, uint64_t len);
	/* the spec's config: lines for pgtctl's same table */
	void (*spec_config)(FILE *f, const struct row *r);
};

/* One format as one kernel builds it: pgtctl's name (and kernel, where
 * not the format's default), the kernel's format and configuration (the
 * spec gets the same), where the 4 GiB go, where table memory starts. */
struct row {
	const char *label; /* FORMAT, or FORMAT@KERNEL */
	const char *format;
	const char *kernel_version; /* the spec's kernel:, NULL for the default */
	const struct kernel_side *kernel;
	int kfmt;
	struct oracle_cfg cfg; /* Linux 6.12's io-pgtable */
	struct gpt_cfg gcfg;   /* Linux 7.3's generic_pt, and 6.12's AMD v2 levels */
	uint64_t iova, pa, base;
};

/* --- Linux 6.12's io-pgtable (tests/kernel/oracle.h) ------------------------ */

static void *k612_create(const struct row *r)
{
	struct oracle *o;
	return oracle_create((enum oracle_fmt)r->kfmt, &r->cfg, r->base, KERNEL_MEM, &o, NULL) ? NULL
												 : o;
}

static int k612_map(void *k, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t n,
		    unsigned prot, uint64_t *mapped)
{
	return oracle_map_pages(k, iova, pa, pgsize, n, prot, mapped);
}

static uint64_t k612_iova_to_phys(void *k, uint64_t iova)
{
	return oracle_iova_to_phys(k, iova);
}

static const uint8_t *k612_mem(void *k, uint64_t *len)
{
	uint64_t base;
	return oracle_mem(k, &base, len);
}

static int k612_load(void *k, const void *buf, uint64_t len)
{
	return oracle_load(k, buf, len);
}

static void k612_spec(FILE *f, const struct row *r)
{
	fprintf(f,
		"  ias: %u\n  oas: %u\n  pgsize_bitmap: 0x%" PRIx64 "\n  quirks: 0x%" PRIx64 "\n"
		"  coherent_walk: %s\n",
		r->cfg.ias, r->cfg.oas, r->cfg.pgsize_bitmap, r->cfg.quirks,
		r->cfg.coherent_walk ? "true" : "false");
}

static const struct kernel_side linux612 = {
	"Linux 6.12", k612_create, k612_map, k612_iova_to_phys, k612_mem, k612_load, k612_spec,
};

/* --- Linux 6.12's AMD v2 (tests/kernel/genpt/gpt_oracle.h) --------------------- */

static void *amdv2_new(const struct row *r)
{
	struct amdv2_oracle *o;
	return amdv2_create(r->gcfg.level, r->base, KERNEL_MEM, &o) ? NULL : o;
}

static int amdv2_map(void *k, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t n,
		     unsigned prot, uint64_t *mapped)
{
	return amdv2_map_pages(k, iova, pa, pgsize, n, prot, mapped);
}

static uint64_t amdv2_to_phys(void *k, uint64_t iova)
{
	return amdv2_iova_to_phys(k, iova);
}

static const uint8_t *amdv2_memory(void *k, uint64_t *len)
{
	uint64_t base;
	return amdv2_mem(k, &base, len);
}

static int amdv2_put(void *k, const void *buf, uint64_t len)
{
	return amdv2_load(k, buf, len);
}

static void amdv2_spec(FILE *f, const struct row *r)
{
	fprintf(f, "  levels: %u\n", r->gcfg.level);
}

static const struct kernel_side linux612_amdv2 = {
	"Linux 6.12", amdv2_new, amdv2_map, amdv2_to_phys, amdv2_memory, amdv2_put, amdv2_spec,
};

/* --- Linux 7.3's generic_pt (tests/kernel/genpt/gpt_oracle.h) ------------------ */

static void *k73_create(const struct row *r)
{
	struct gpt_oracle *o;
	return gpt_create((enum gpt_fmt)r->kfmt, &r->gcfg, r->base, KERNEL_MEM, &o) ? NULL : o;
}

/* generic_pt has no map_pages: the iommu core maps the range, in pages
 * of the sizes the domain allows (the row narrows it to one) */
static int k73_map(void *k, uint64_t iova, uint64_t pa, uint64_t pgsize, uint64_t n,
		   unsigned prot, uint64_t *mapped)
{
	return gpt_map_range(k, iova, pa, pgsize * n, prot, mapped);
}

static uint64_t k73_iova_to_phys(void *k, uint64_t iova)
{
	return gpt_iova_to_phys(k, iova);
}

static const uint8_t *k73_mem(void *k, uint64_t *len)
{
	uint64_t base;
	return gpt_mem(k, &base, len);
}

static int k73_load(void *k, const void *buf, uint64_t len)
{
	return gpt_load(k, buf, len);
}

/* enum pt_features bits as pgtctl's quirks (pgtctl-spec(5)) */
static void k73_spec(FILE *f, const struct row *r)
{
	static const char *const common[GPT_FEAT_FMT_START] = {
		[GPT_FEAT_FULL_VA] = "full-va",
		[GPT_FEAT_DYNAMIC_TOP] = "dynamic-top",
		[GPT_FEAT_SIGN_EXTEND] = "sign-extend",
		[GPT_FEAT_FLUSH_RANGE] = "flush-range",
		[GPT_FEAT_FLUSH_RANGE_NO_GAPS] = "flush-range-no-gaps",
		[GPT_FEAT_DETAILED_GATHER] = "detailed-gather",
	};
	static const char *const own[GPT_N_FMTS][2] = {
		[GPT_AMDV1] = {"amdv1-encrypt-tables", "amdv1-force-coherence"},
		[GPT_X86_64] = {"x86-64-amd-encrypt-tables", NULL},
		[GPT_VTDSS] = {"vtdss-force-coherence", "vtdss-force-writeable"},
		[GPT_RISCV64] = {"riscv-svnapot-64k", "riscv-svpbmt"},
	};
	const struct gpt_cfg *c = &r->gcfg;
	fprintf(f, "  ias: %u\n  oas: %u\n  coherent_walk: %s\n  quirks: [", c->vasz, c->oasz,
		c->features & GPT_BIT(GPT_FEAT_DMA_INCOHERENT) ? "false" : "true");
	const char *sep = "";
	for (unsigned b = 0; b < GPT_FEAT_FMT_START + 2; b++) {
		const char *name = b < GPT_FEAT_FMT_START ? common[b] : own[r->kfmt][b - GPT_FEAT_FMT_START];
		if (name && (c->features & GPT_BIT(b))) {
			fprintf(f, "%s%s", sep, name);
			sep = ", ";
		}
	}
	fprintf(f, "]\n");
	if (c->pgsize_mask)
		fprintf(f, "  pgsize_bitmap: 0x%" PRIx64 "\n", c->pgsize_mask);
	/* the number of levels where an option holds it (AMD v1's starting
	 * level, VT-d second stage's top level); ias decides it elsewhere */
	if (r->kfmt == GPT_AMDV1)
		fprintf(f, "  mode: %u\n", c->level + 1);
	if (r->kfmt == GPT_VTDSS)
		fprintf(f, "  levels: %u\n", c->level + 1);
}

static const struct kernel_side linux73 = {
	"Linux 7.3", k73_create, k73_map, k73_iova_to_phys, k73_mem, k73_load, k73_spec,
};

/* The drivers' feature sets (tests/kernel/genpt/gpt_configs.c has where
 * each comes from), 4K pages only: the work is 1M pages of 4K. */
#define F(x) GPT_BIT(GPT_FEAT_##x)
#define AMDV1_FEATURES                                                                       \
	(F(DYNAMIC_TOP) | F(AMDV1_ENCRYPT_TABLES) | F(AMDV1_FORCE_COHERENCE) | F(FLUSH_RANGE))
#define AMDV2_FEATURES (F(X86_64_AMD_ENCRYPT_TABLES) | F(FLUSH_RANGE))
#define VTDFS_FEATURES (F(SIGN_EXTEND) | F(FLUSH_RANGE))
#define RISCV_FEATURES (F(SIGN_EXTEND) | F(FLUSH_RANGE) | F(RISCV_SVNAPOT_64K) | F(DETAILED_GATHER))

static const struct row rows[] = {
	{"arm-64-lpae-s1", "arm-64-lpae-s1", NULL, &linux612, ORACLE_ARM_64_LPAE_S1,
	 {.ias = 48, .oas = 48, .pgsize_bitmap = 0x40201000, .coherent_walk = true}, {0},
	 0x100000000, 0x4000000000, 0x80000000},
	{"arm-v7s", "arm-v7s", NULL, &linux612, ORACLE_ARM_V7S,
	 {.ias = 32, .oas = 32, .pgsize_bitmap = 0x1111000, .coherent_walk = true}, {0}, 0, 0,
	 0x80000000},
	{"apple-dart", "apple-dart", NULL, &linux612, ORACLE_APPLE_DART,
	 {.ias = 32, .oas = 36, .pgsize_bitmap = 0x1000, .coherent_walk = true}, {0}, 0,
	 0x400000000, 0x80000000},
	{"amd-iommu-v1", "amd-iommu-v1", NULL, &linux612, ORACLE_AMD_IOMMU_V1,
	 {.ias = 52, .oas = 52, .pgsize_bitmap = ORACLE_AMD_PGSIZES_V2, .coherent_walk = true}, {0},
	 0x100000000, 0x4000000000, 0x80000000},
	{"amd-iommu-v1@7.3", "amd-iommu-v1", "7.3", &linux73, GPT_AMDV1, {0},
	 {AMDV1_FEATURES, 48, 52, 2, 0x1000, 0}, 0x100000000, 0x4000000000, 0x80000000},
	{"amd-iommu-v2", "amd-iommu-v2", NULL, &linux612_amdv2, 0, {0}, {.level = 4}, 0x100000000,
	 0x4000000000, 0x80000000},
	{"amd-iommu-v2@7.3", "amd-iommu-v2", "7.3", &linux73, GPT_X86_64, {0},
	 {AMDV2_FEATURES, 47, 52, 3, 0x1000, 0}, 0x100000000, 0x4000000000, 0x80000000},
	{"intel-vtd-ss", "intel-vtd-ss", NULL, &linux73, GPT_VTDSS, {0},
	 {F(FLUSH_RANGE), 48, 52, 3, 0x1000, 0}, 0x100000000, 0x4000000000, 0x80000000},
	{"intel-vtd-fs", "intel-vtd-fs", NULL, &linux73, GPT_X86_64, {0},
	 {VTDFS_FEATURES, 48, 52, 3, 0x1000, 0}, 0x100000000, 0x4000000000, 0x80000000},
	{"riscv-iommu", "riscv-iommu", NULL, &linux73, GPT_RISCV64, {0},
	 {RISCV_FEATURES, 48, 56, 0, 0x1000, 0}, 0x100000000, 0x4000000000, 0x80000000},
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static const struct row *row_find(const char *label)
{
	for (size_t i = 0; i < N_ROWS; i++)
		if (!strcmp(rows[i].label, label))
			return &rows[i];
	return NULL;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("versus: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* --- the kernel's side: what a program around the kernel's code does -------- */

static int kernel_build(const struct row *r, const char *out)
{
	void *k = r->kernel->create(r);
	if (!k)
		die("%s: the kernel refused the configuration", r->label);
	for (uint64_t done = 0; done < BENCH_SIZE;) {
		uint64_t mapped = 0;
		int rc = r->kernel->map_pages(k, r->iova + done, r->pa + done, BENCH_PAGE,
					      (BENCH_SIZE - done) / BENCH_PAGE, PROT_RW, &mapped);
		if (rc || !mapped)
			die("%s: map_pages at 0x%" PRIx64 ": %d", r->label, r->iova + done, rc);
		done += mapped;
	}
	uint64_t len;
	const uint8_t *mem = r->kernel->mem(k, &len);
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("%s: %s", out, strerror(errno));
	while (len) {
		ssize_t w = write(fd, mem, len);
		if (w <= 0)
			die("%s: %s", out, strerror(errno));
		mem += w;
		len -= (uint64_t)w;
	}
	close(fd);
	return 0;
}

/* pa_only: the physical address alone, as `translate --pa` prints it */
static int kernel_translate(const struct row *r, const char *table, bool pa_only)
{
	void *k = r->kernel->create(r);
	FILE *f = fopen(table, "rb");
	struct stat st;
	if (!k || !f || fstat(fileno(f), &st))
		die("%s: cannot load %s", r->label, table);
	void *buf = malloc((size_t)st.st_size + 1);
	if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size ||
	    r->kernel->load(k, buf, (uint64_t)st.st_size))
		die("%s: cannot load %s", r->label, table);
	fclose(f);
	free(buf);
	char line[128];
	while (fgets(line, sizeof(line), stdin)) {
		unsigned long long iova = strtoull(line, NULL, 0);
		unsigned long long pa = r->kernel->iova_to_phys(k, iova);
		if (pa_only)
			printf("0x%llx\n", pa);
		else
			printf("0x%llx -> 0x%llx\n", iova, pa);
	}
	return 0;
}

/* The least a build replacing OUT with LEN bytes does: a new file beside
 * it, the bytes (a descriptor per 8, made 64 KiB at a time into the same
 * buffer, so that no memory is touched but the file's), fsync, rename,
 * the directory fsynced: what pgtctl's image writer does around the
 * table's bytes. */
static int floor_write(uint64_t len, const char *out)
{
	static uint64_t buf[8192];
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.floor", out);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		die("%s: %s", tmp, strerror(errno));
	for (uint64_t done = 0, pte = 3; done < len;) {
		size_t n = len - done < sizeof(buf) ? (size_t)(len - done) : sizeof(buf);
		for (size_t i = 0; i < n / 8; i++, pte += BENCH_PAGE)
			buf[i] = pte;
		if (write(fd, buf, n) != (ssize_t)n)
			die("%s: %s", tmp, strerror(errno));
		done += n;
	}
	char dir_name[4096];
	snprintf(dir_name, sizeof(dir_name), "%s", out);
	char *slash = strrchr(dir_name, '/');
	if (slash)
		*slash = 0;
	int dfd = open(slash ? dir_name : ".", O_RDONLY | O_DIRECTORY);
	if (fsync(fd) || close(fd) || rename(tmp, out) || dfd < 0 || fsync(dfd))
		die("%s: %s", out, strerror(errno));
	close(dfd);
	return 0;
}

/* --- the comparison --------------------------------------------------------- */

static char dir[256];

static const char *path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

struct cost {
	double wall, cpu; /* seconds */
};

/* Run argv with stdin and stdout from/to files (NULL: /dev/null); what the
 * whole process took. Dies when it fails. */
static struct cost run(char *const argv[], const char *in, const char *out)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in ? in : "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	struct timespec a, b;
	pid_t pid;
	int status;
	clock_gettime(CLOCK_MONOTONIC, &a);
	extern char **environ;
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ))
		die("cannot run %s", argv[0]);
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4: %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &b);
	posix_spawn_file_actions_destroy(&fa);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("%s %s failed (status 0x%x)", argv[0], argv[1], status);
	return (struct cost){
		(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	};
}

static void write_spec(const struct row *r, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "format: %s\n", r->format);
	if (r->kernel_version)
		fprintf(f, "kernel: %s\n", r->kernel_version);
	fprintf(f, "config:\n");
	r->kernel->spec_config(f, r);
	fprintf(f,
		"memory:\n  base: 0x%" PRIx64 "\n"
		"mappings:\n  - { iova: 0x%" PRIx64 ", paddr: 0x%" PRIx64 ", size: 0x%" PRIx64 ", "
		"pgsize: 0x%" PRIx64 ", prot: rw }\n",
		r->base, r->iova, r->pa, BENCH_SIZE, BENCH_PAGE);
	if (fclose(f))
		die("%s: %s", path, strerror(errno));
}

static void write_iovas(const struct row *r, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (unsigned i = 0; i < N_IOVAS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		fprintf(f, "0x%" PRIx64 "\n", r->iova + x % BENCH_SIZE);
	}
	if (fclose(f))
		die("%s: %s", path, strerror(errno));
}

/* Every line of both outputs starts "IOVA -> PA": the same pairs? */
static bool same_translations(const char *a_path, const char *b_path)
{
	FILE *a = fopen(a_path, "r"), *b = fopen(b_path, "r");
	char la[256], lb[256];
	unsigned n = 0;
	bool same = a && b;
	while (same && fgets(la, sizeof(la), a)) {
		unsigned long long ia, pa, ib, pb;
		same = fgets(lb, sizeof(lb), b) && sscanf(la, "%llx -> %llx", &ia, &pa) == 2 &&
		       sscanf(lb, "%llx -> %llx", &ib, &pb) == 2 && ia == ib && pa == pb;
		n++;
	}
	same = same && !fgets(lb, sizeof(lb), b) && n == N_IOVAS;
	if (a)
		fclose(a);
	if (b)
		fclose(b);
	return same;
}

static bool same_file(const char *a_path, const char *b_path)
{
	FILE *a = fopen(a_path, "rb"), *b = fopen(b_path, "rb");
	char x[65536], y[65536];
	bool same = a && b;
	while (same) {
		size_t n = fread(x, 1, sizeof(x), a), m = fread(y, 1, sizeof(y), b);
		same = n == m && !memcmp(x, y, n);
		if (n < sizeof(x))
			break;
	}
	if (a)
		fclose(a);
	if (b)
		fclose(b);
	return same;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A against B, alternating, after one run of each not counted. The goal
 * is on the wall time; the CPU time's ratio is shown beside it. No goal
 * (0): A is a floor, the least any program can take. */
static void compare(const char *format, const char *work, char *const a[], char *const b[],
		    const char *in, const char *out, unsigned runs, double goal)
{
	double wa[100], wb[100], wr[100], cr[100];
	run(a, in, out);
	run(b, in, out);
	for (unsigned i = 0; i < runs; i++) {
		struct cost x = run(a, in, out), y = run(b, in, out);
		wa[i] = x.wall;
		wb[i] = y.wall;
		wr[i] = x.wall / y.wall;
		cr[i] = x.cpu / (y.cpu > 0 ? y.cpu : 1e-6);
	}
	double r = median(wr, runs);
	printf("%-16s %-14s %9.1f ms %9.1f ms %7.2fx %7.2fx   ", format, work,
	       median(wa, runs) * 1e3, median(wb, runs) * 1e3, r, median(cr, runs));
	if (goal > 0)
		printf("<= %.2fx %s\n", goal, r <= goal ? "met" : "NOT MET");
	else
		printf("(the least any program can)\n");
	fflush(stdout);
}

static void bench_row(const struct row *r, const char *self, const char *pgtctl, unsigned runs)
{
	char spec[300], image[300], raw[300], ktable[300], iovas[300], pout[300], kout[300];
	path_in(spec, sizeof(spec), "spec.yaml");
	path_in(image, sizeof(image), "table.img");
	path_in(raw, sizeof(raw), "table.raw");
	path_in(ktable, sizeof(ktable), "kernel.raw");
	path_in(iovas, sizeof(iovas), "iovas");
	path_in(pout, sizeof(pout), "pgtctl.out");
	path_in(kout, sizeof(kout), "kernel.out");
	write_spec(r, spec);
	write_iovas(r, iovas);

	char *p_build[] = {(char *)pgtctl, "build", spec, "-o", image, NULL};
	char *p_raw[] = {(char *)pgtctl, "build", spec, "--raw", "-o", raw, NULL};
	char *k_build[] = {(char *)self, "kernel-build", (char *)r->label, ktable, NULL};
	char image_len[32], floor[300];
	path_in(floor, sizeof(floor), "floor.img");
	char *f_build[] = {(char *)self, "floor-write", image_len, floor, NULL};
	char *p_tr[] = {(char *)pgtctl, "translate", image, "-", NULL};
	char *k_tr[] = {(char *)self, "kernel-translate", (char *)r->label, ktable, NULL};
	char *p_pa[] = {(char *)pgtctl, "translate", "--pa", image, "-", NULL};
	char *k_pa[] = {(char *)self, "kernel-translate-pa", (char *)r->label, ktable, NULL};

	run(p_build, NULL, NULL);
	run(p_raw, NULL, NULL);
	run(k_build, NULL, NULL);
	run(p_tr, iovas, pout);
	run(k_tr, iovas, kout);
	if (!same_translations(pout, kout))
		die("%s: pgtctl and the kernel translate differently (%s, %s)", r->label, pout,
		    kout);
	run(p_pa, iovas, pout);
	run(k_pa, iovas, kout);
	if (!same_file(pout, kout))
		die("%s: translate --pa and the kernel's program print different addresses (%s, %s)",
		    r->label, pout, kout);
	printf("%-16s (%s: every IOVA translates the same; table memory %s)\n", r->label,
	       r->kernel->name,
	       same_file(raw, ktable) ? "byte for byte the kernel's" : "laid out differently");

	struct stat st;
	if (stat(image, &st))
		die("%s: %s", image, strerror(errno));
	snprintf(image_len, sizeof(image_len), "%jd", (intmax_t)st.st_size);
	compare(r->label, "build", p_build, k_build, NULL, NULL, runs, 0.5);
	compare(r->label, "build floor", f_build, k_build, NULL, NULL, runs, 0);
	compare(r->label, "translate", p_tr, k_tr, iovas, pout, runs, 0.5);
	compare(r->label, "translate --pa", p_pa, k_pa, iovas, pout, runs, 0.5);
	unlink(spec);
	unlink(image);
	unlink(raw);
	unlink(floor);
	unlink(ktable);
	unlink(iovas);
	unlink(pout);
	unlink(kout);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "kernel-build") && row_find(argv[2]))
		return kernel_build(row_find(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "floor-write"))
		return floor_write(strtoull(argv[2], NULL, 10), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "kernel-translate") && row_find(argv[2]))
		return kernel_translate(row_find(argv[2]), argv[3], false);
	if (argc == 4 && !strcmp(argv[1], "kernel-translate-pa") && row_find(argv[2]))
		return kernel_translate(row_find(argv[2]), argv[3], true);
	if (argc < 2 || argv[1][0] == '-' || !strncmp(argv[1], "kernel-", 7) ||
	    !strcmp(argv[1], "floor-write")) {
		fprintf(stderr, "usage: versus PGTCTL [FORMAT|FORMAT@KERNEL...]\n"
				"       versus kernel-build FORMAT[@KERNEL] OUT\n"
				"       versus kernel-translate[-pa] FORMAT[@KERNEL] TABLE\n"
				"       versus floor-write LEN OUT\n");
		return 2;
	}
	unsigned runs = getenv("BENCH_RUNS") ? (unsigned)atoi(getenv("BENCH_RUNS")) : 7;
	if (runs < 1 || runs > 100)
		die("BENCH_RUNS is 1 to 100");
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		die("cannot find my own program");
	self[n] = 0;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(dir, sizeof(dir), "%s/pgtctl-bench.XXXXXX", tmp);
	if (!mkdtemp(dir))
		die("%s: %s", dir, strerror(errno));

	printf("pgtctl against the kernel's own code (Linux 6.12's io-pgtable, 7.3's generic_pt\n"
	       "where 6.12 has none or for FORMAT@7.3, compiled in userspace):\n"
	       "whole processes, median of %u alternating runs, files in %s;\n"
	       "ratio = pgtctl / kernel, of the wall time (the goal's) and of the CPU time\n"
	       "build: 4 GiB as 1M 4K pages, table written out; translate: 1M random IOVAs "
	       "from stdin,\npgtctl's line (6 fields) against the kernel's program's IOVA -> PA; "
	       "translate --pa: both the PA alone;\nbuild floor: a program writing the image's bytes "
	       "as pgtctl replaces a file, and nothing else\n\n",
	       runs, tmp);
	printf("%-16s %-14s %12s %12s %8s %8s   %s\n", "format", "work", "pgtctl", "kernel",
	       "wall", "cpu", "goal");
	for (size_t i = 0; i < N_ROWS; i++) {
		bool chosen = argc == 2;
		for (int a = 2; a < argc; a++)
			chosen |= !strcmp(argv[a], rows[i].label) || !strcmp(argv[a], rows[i].format);
		if (chosen)
			bench_row(&rows[i], self, argv[1], runs);
	}
	rmdir(dir);
	return 0;
}

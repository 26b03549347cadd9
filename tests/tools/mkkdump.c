// SPDX-License-Identifier: MIT
/*
 * mkkdump: write a compressed kdump (or its flattened form) of a flat
 * memory file, for tests and for trying pgtctl on dumps without a crashed
 * machine at hand.
 *
 *   mkkdump [options] MEMFILE OUT
 *     -b, --base PA            physical address of MEMFILE's first byte (0)
 *     -c, --compress METHOD    zlib, lzo, snappy, zstd or none (zlib)
 *     -x, --exclude FIRST[-LAST]  leave out these pfns (repeatable)
 *     -B, --block-size N       page size (4096)
 *     -F, --flat               write the flattened format (makedumpfile -F)
 *         --big-endian         fields in big-endian byte order
 *         --32bit              the 32-bit header layout
 *         --header-version N   disk_dump_header version (6)
 *         --split FIRST-END    hold only pfns [FIRST, END), as --split does
 */
#include <getopt.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "pgt/mem.h"
#include "pgt/parse.h"
#include "tools/kdumpgen.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: mkkdump [-b PA] [-c zlib|lzo|snappy|zstd|none] [-x FIRST[-LAST]]... "
		   "[-B BLOCK] [-F]\n"
		   "               [--big-endian] [--32bit] [--header-version N] "
		   "[--split FIRST-END] MEMFILE OUT\n");
}

static int number(const char *s, uint64_t *v)
{
	struct pgt_error err;
	if (pgt_parse_u64(s, v, &err)) {
		fprintf(stderr, "mkkdump: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* "A" or "A-B" (inclusive) */
static int pair(const char *s, uint64_t *a, uint64_t *b)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", s);
	char *dash = strchr(buf, '-');
	if (dash)
		*dash++ = 0;
	if (number(buf, a) || (dash && number(dash, b)))
		return -1;
	if (!dash)
		*b = *a;
	return *b < *a ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"base", required_argument, NULL, 'b'},
		{"compress", required_argument, NULL, 'c'},
		{"exclude", required_argument, NULL, 'x'},
		{"block-size", required_argument, NULL, 'B'},
		{"flat", no_argument, NULL, 'F'},
		{"big-endian", no_argument, NULL, 'E'},
		{"32bit", no_argument, NULL, '3'},
		{"header-version", required_argument, NULL, 'V'},
		{"split", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct kdumpgen g = {.compress = KDUMP_ZLIB};
	struct kdumpgen_range *ex = NULL;
	uint64_t base = 0, v, w;
	int c;
	while ((c = getopt_long(argc, argv, "b:c:x:B:Fh", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (number(optarg, &base))
				return 2;
			break;
		case 'c':
			if (!strcmp(optarg, "zlib"))
				g.compress = KDUMP_ZLIB;
			else if (!strcmp(optarg, "lzo"))
				g.compress = KDUMP_LZO;
			else if (!strcmp(optarg, "snappy"))
				g.compress = KDUMP_SNAPPY;
			else if (!strcmp(optarg, "zstd"))
				g.compress = KDUMP_ZSTD;
			else if (!strcmp(optarg, "none"))
				g.compress = 0;
			else {
				fprintf(stderr, "mkkdump: unknown compression '%s'\n", optarg);
				return 2;
			}
			break;
		case 'x': {
			if (pair(optarg, &v, &w)) {
				fprintf(stderr, "mkkdump: bad pfn range '%s'\n", optarg);
				return 2;
			}
			struct kdumpgen_range *n = realloc(ex, (g.n_exclude + 1) * sizeof(*n));
			if (!n)
				return 1;
			ex = n;
			ex[g.n_exclude++] = (struct kdumpgen_range){v, w - v + 1};
			g.exclude = ex;
			break;
		}
		case 'B':
			if (number(optarg, &v))
				return 2;
			g.block_size = (uint32_t)v;
			break;
		case 'F':
			g.flat = true;
			break;
		case 'E':
			g.big_endian = true;
			break;
		case '3':
			g.layout32 = true;
			break;
		case 'V':
			if (number(optarg, &v) || !v || v > 6)
				return 2;
			g.header_version = (unsigned)v;
			break;
		case 'S':
			if (pair(optarg, &g.split_start, &g.split_end))
				return 2;
			g.split = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	/* mapped: the generator reads only the pages it keeps */
	int fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "mkkdump: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	uint64_t len = (uint64_t)st.st_size;
	const void *p = len ? mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0) : "";
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "mkkdump: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	char why[256];
	int rc = kdumpgen_write(argv[optind + 1], p, len, base, &g, NULL, why, sizeof(why));
	if (rc)
		fprintf(stderr, "mkkdump: %s\n", why);
	if (len)
		munmap((void *)p, len);
	free(ex);
	return rc ? 1 : 0;
}

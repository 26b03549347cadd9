// SPDX-License-Identifier: MIT
/* pgtctl free SOURCE: unmapped IOVA ranges big enough for a mapping. */
#include <string.h>

#include "cli.h"
#include "complete.h"

static const struct argp_option options[] = {
	{"size", 'z', "SIZE", 0, "only ranges that can hold this much (default: any)", 0},
	{"align", 'a', "ALIGN", 0, "with --size: the mapping's alignment (default its size's "
				     "smallest page)", 0},
	{"range", 'g', "LO-HI", 0, "look only in [LO, HI] (default: the table's input range)", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

struct free_opts {
	const char *size, *align, *range;
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct free_opts *o = state->input;
	switch (key) {
	case 'z':
		o->size = arg;
		return 0;
	case 'a':
		o->align = arg;
		return 0;
	case 'g':
		o->range = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse, "SOURCE",
	"List the unmapped IOVA ranges of the table, in IOVA order; with --size only those "
	"where SIZE bytes fit at an address aligned to --align. What a malformed table or "
	"unreadable memory hides is not free. Exit status 1 when none, or when the walk met "
	"problems.",
	NULL, NULL, NULL,
};

struct gaps {
	pgt_addr next; /* first IOVA not yet accounted for */
	pgt_addr hi;
	uint64_t size, align, found;
	bool done;
	struct problems problems;
};

/* A gap's size to read at a glance (its bounds are exact beside it): in
 * the largest unit it is a whole number of, when that takes at most four
 * digits, else about so many of the largest unit it holds, as df -h does:
 * not 274877906936K but ~256T. */
static const char *gauge(pgt_addr from, pgt_addr to, char b[24])
{
	static const char units[] = "KMGTPE";
	if (to - from == ~0ull)
		return "16E";
	uint64_t size = to - from + 1;
	pgt_fmt_size(size, b);
	if (strlen(b) <= 5 || size < 1024)
		return b;
	unsigned u = 0;
	while (u < 5 && size >> (10 * (u + 1)) >= 1024)
		u++;
	double v = (double)size / (double)(1ull << (10 * (u + 1)));
	if (v >= 1023.5 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(b, 24, v < 9.95 ? "~%.1f%c" : "~%.0f%c", v, units[u]);
	return b;
}

static void gap(struct gaps *g, pgt_addr from, pgt_addr to)
{
	char b[24];
	pgt_addr start = g->align ? (from + g->align - 1) & ~(g->align - 1) : from;
	if (start < from || start > to || (g->size && to - start < g->size - 1))
		return;
	g->found++;
	out_obj_begin(NULL);
	out_hex("iova", "0x%016llx", from);
	out_text("-0x%016llx", (unsigned long long)to);
	out_hex("size", NULL, to - from + 1);
	out_text(" %8s", gauge(from, to, b));
	if (g->align && start != from)
		out_hex("aligned", "  (aligned from 0x%llx)", start);
	out_text("\n");
	out_obj_end();
}

/* [from, last] is not free: mapped, or hidden by a problem. The walk
 * hands them out in IOVA order. */
static void taken(struct gaps *g, pgt_addr from, pgt_addr last)
{
	if (g->done)
		return;
	if (from > g->next)
		gap(g, g->next, from - 1 < g->hi ? from - 1 : g->hi);
	if (last >= g->hi)
		g->done = true;
	else if (last >= g->next)
		g->next = last + 1;
}

static int on_leaf(void *ctx, const struct pgt_leaf *l)
{
	taken(ctx, l->iova, l->iova + l->span - 1);
	return 0;
}

static int on_problem(void *ctx, const struct pgt_problem *p)
{
	struct gaps *g = ctx;
	taken(g, p->iova, p->last);
	return problems_add(&g->problems, p, 0);
}

static int parse_range(const char *s, pgt_addr *lo, pgt_addr *hi)
{
	char buf[128];
	const char *dash = strchr(s, '-');
	if (!dash || (size_t)(dash - s) >= sizeof(buf))
		return cli_usage("--range: LO-HI, as 0x10000000-0x1fffffff");
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = 0;
	if (cli_parse_number("--range", buf, lo) || cli_parse_number("--range", dash + 1, hi))
		return EXIT_USAGE;
	if (*hi < *lo)
		return cli_usage("--range: HI is below LO");
	return 0;
}

static int run(struct cli *c)
{
	const struct free_opts *o = c->opts;
	struct source s;
	struct gaps g = {0};
	pgt_addr lo, hi;
	int status = open_sole_source(c, &s);
	if (status)
		return status;
	lo = pgt_table_iova_min(s.t);
	hi = pgt_table_iova_max(s.t);
	if ((o->size && cli_parse_number("--size", o->size, &g.size)) ||
	    (o->align && cli_parse_pow2("--align", o->align, &g.align)) ||
	    (o->range && parse_range(o->range, &lo, &hi))) {
		source_close(&s);
		return EXIT_USAGE;
	}
	if (g.size && !g.align) {
		uint64_t bm = pgt_cfg_get(pgt_table_cfg(s.t), PGT_CFG_PGSIZE_BITMAP);
		g.align = bm & -bm;
	}
	out_obj_begin(NULL);
	out_arr_begin("free");
	/* each span the table translates: a sign-extended one's two halves */
	pgt_addr span_lo[2], span_hi[2];
	unsigned n = pgt_table_iova_spans(s.t, span_lo, span_hi);
	struct pgt_visitor v = {.leaf = on_leaf, .problem = on_problem, .ctx = &g};
	int rc = 0;
	for (unsigned i = 0; i < n && !rc; i++) {
		pgt_addr a = lo > span_lo[i] ? lo : span_lo[i], b = hi < span_hi[i] ? hi : span_hi[i];
		if (a > b)
			continue;
		g.next = a;
		g.hi = b;
		g.done = false;
		rc = pgt_walk_range(s.t, a, b, &v);
		if (!rc && !g.done)
			gap(&g, g.next, b);
	}
	out_arr_end();
	if (!g.found)
		out_text("no free range%s\n", g.size ? " that large" : "");
	uint64_t problems = g.problems.count;
	problems_print(&g.problems);
	out_obj_end();
	source_close(&s);
	if (rc)
		return cli_out_of_memory();
	return g.found && !problems ? EXIT_OK : EXIT_FAILED;
}

const struct cmd cmd_free = {
	.name = "free",
	.run = run,
	.argp = &argp,
	.opts_size = sizeof(struct free_opts),
	.complete_arg = complete_source_arg,
	.flags = CMD_SOURCE_OPTIONS,
	.summary = "unmapped IOVA ranges",
};

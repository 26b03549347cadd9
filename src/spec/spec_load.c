// SPDX-License-Identifier: MIT
/*
 * YAML spec loading with libyaml's event API. The spec is read as a
 * stream: each entry of mappings and unmap is built as a small tree of its
 * own, checked, turned into its struct and freed, so that memory stays a
 * small multiple of the file; only format, config and memory are kept
 * whole (they are small: a limit on their values says so). Nesting deeper
 * than any spec needs is refused at the first level too many, before
 * libyaml's costs grow with it; an alias, a NUL byte in a value and bytes
 * that are not UTF-8 are refused with the line and column they are at.
 * Every node keeps its position, so every error names file:line:column.
 * Unknown keys and bad values are refused with the list of what is valid.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "pgt/format.h"
#include "pgt/parse.h"
#include "pgt/spec.h"
#include "util/infile.h"

/* A spec is at most four levels deep (the spec, mappings, an entry, its
 * prot list); nothing deeper is meant. */
#define MAX_DEPTH 32
/* Values in one entry, or under config or memory. */
#define MAX_NODES 65536

enum node_kind { NODE_SCALAR, NODE_LIST, NODE_MAP };

/* What libyaml's document API would give, without its costs. */
struct node {
	enum node_kind kind;
	struct pgt_spec_pos pos;
	char *text;	     /* a scalar's value */
	struct node **child; /* a list's items; a map's keys and values in turn */
	size_t n, cap;
};

struct loader {
	yaml_parser_t parser;
	yaml_event_t ev; /* the current event */
	bool have_ev;
	const char *buf; /* the text, for the place of a reader error */
	size_t len;
	unsigned depth;
	size_t nodes; /* in the tree being built */
	struct pgt_spec *spec;
	struct pgt_error *err;
	/* While config is read: the format whose own options it may set, and
	 * which of them it did. */
	const struct pgt_format *options_of;
	unsigned options_seen;
};

static struct pgt_spec_pos pos_of(const struct node *n)
{
	return n->pos;
}

static struct pgt_spec_pos mark_pos(const yaml_mark_t *m)
{
	return (struct pgt_spec_pos){(unsigned)m->line + 1, (unsigned)m->column + 1};
}

static int fail_pos(struct loader *L, struct pgt_spec_pos p, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int fail_pos(struct loader *L, struct pgt_spec_pos p, const char *fmt, va_list ap)
{
	char msg[PGT_ERR_MSG_MAX];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	return pgt_fail(L->err, -EINVAL, "%s:%u:%u: %s", L->spec->name, p.line, p.column, msg);
}

static int fail_at(struct loader *L, const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct loader *L, const struct node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = fail_pos(L, pos_of(n), fmt, ap);
	va_end(ap);
	return rc;
}

static int fail_ev(struct loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail_ev(struct loader *L, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = fail_pos(L, mark_pos(&L->ev.start_mark), fmt, ap);
	va_end(ap);
	return rc;
}

static int fail_root(struct loader *L, struct pgt_spec_pos p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_root(struct loader *L, struct pgt_spec_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = fail_pos(L, p, fmt, ap);
	va_end(ap);
	return rc;
}

/* --- Events and trees ---------------------------------------------------- */

/* libyaml's reader errors (bytes that are not UTF-8, control characters)
 * carry a byte offset, not a line: count the lines up to it. */
static struct pgt_spec_pos offset_pos(const struct loader *L, size_t off)
{
	struct pgt_spec_pos p = {1, 1};
	const char *s = L->buf, *end = L->buf + (off < L->len ? off : L->len);
	for (const char *nl; (nl = memchr(s, '\n', (size_t)(end - s))); s = nl + 1)
		p.line++;
	p.column = (unsigned)(end - s) + 1;
	return p;
}

/* The next event into L->ev; nesting is counted and bounded here. */
static int next_event(struct loader *L)
{
	if (L->have_ev)
		yaml_event_delete(&L->ev);
	L->have_ev = false;
	if (!yaml_parser_parse(&L->parser, &L->ev)) {
		yaml_parser_t *y = &L->parser;
		struct pgt_spec_pos p = y->error == YAML_READER_ERROR
						? offset_pos(L, y->problem_offset)
						: mark_pos(&y->problem_mark);
		return pgt_fail(L->err, -EINVAL, "%s:%u:%u: %s%s%s", L->spec->name, p.line,
				p.column, y->problem ? y->problem : "malformed YAML",
				y->context ? " " : "", y->context ? y->context : "");
	}
	L->have_ev = true;
	switch (L->ev.type) {
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++L->depth > MAX_DEPTH)
			return fail_ev(L, "nested deeper than %d levels", MAX_DEPTH);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		L->depth--;
		break;
	case YAML_ALIAS_EVENT:
		return fail_ev(L, "an alias (*%s): a spec writes its values out",
			       (const char *)L->ev.data.alias.anchor);
	default:
		break;
	}
	return 0;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		node_free(n->child[i]);
	free(n->child);
	free(n->text);
	free(n);
}

static int add_child(struct loader *L, struct node *parent, struct node *child)
{
	if (parent->n == parent->cap) {
		size_t cap = parent->cap ? 2 * parent->cap : 4;
		struct node **c = realloc(parent->child, cap * sizeof(*c));
		if (!c) {
			node_free(child);
			return pgt_fail(L->err, -ENOMEM, "out of memory");
		}
		parent->child = c;
		parent->cap = cap;
	}
	parent->child[parent->n++] = child;
	return 0;
}

/* The tree of the value whose first event is the current one; after it,
 * the current event is its last. */
static int build(struct loader *L, struct node **out)
{
	*out = NULL;
	if (++L->nodes > MAX_NODES)
		return fail_ev(L, "more than %d values in one entry", MAX_NODES);
	struct node *n = calloc(1, sizeof(*n));
	if (!n)
		return pgt_fail(L->err, -ENOMEM, "out of memory");
	n->pos = mark_pos(&L->ev.start_mark);
	int rc = 0;
	yaml_event_type_t end;
	switch (L->ev.type) {
	case YAML_SCALAR_EVENT: {
		const char *v = (const char *)L->ev.data.scalar.value;
		size_t len = L->ev.data.scalar.length;
		n->kind = NODE_SCALAR;
		if (memchr(v, 0, len))
			rc = fail_at(L, n, "a value holds a NUL byte (\\0)");
		else if (!(n->text = strdup(v)))
			rc = pgt_fail(L->err, -ENOMEM, "out of memory");
		if (rc)
			node_free(n);
		else
			*out = n;
		return rc;
	}
	case YAML_SEQUENCE_START_EVENT:
		n->kind = NODE_LIST;
		end = YAML_SEQUENCE_END_EVENT;
		break;
	case YAML_MAPPING_START_EVENT:
		n->kind = NODE_MAP;
		end = YAML_MAPPING_END_EVENT;
		break;
	default:
		node_free(n);
		return fail_ev(L, "malformed YAML");
	}
	while (!(rc = next_event(L)) && L->ev.type != end) {
		struct node *c;
		if ((rc = build(L, &c)) || (rc = add_child(L, n, c)))
			break;
	}
	if (rc)
		node_free(n);
	else
		*out = n;
	return rc;
}

/* build() for a value of its own: its own count of values. */
static int build_value(struct loader *L, struct node **out)
{
	L->nodes = 0;
	return build(L, out);
}

static const char *scalar(const struct node *n)
{
	return n->kind == NODE_SCALAR ? n->text : NULL;
}

static const char *kind_name(const struct node *n)
{
	switch (n->kind) {
	case NODE_SCALAR:
		return "a value";
	case NODE_LIST:
		return "a list";
	case NODE_MAP:
		return "a mapping";
	}
	return "nothing";
}

static int want_scalar(struct loader *L, const struct node *n, const char *what)
{
	if (n->kind != NODE_SCALAR)
		return fail_at(L, n, "%s must be a single value, not %s", what, kind_name(n));
	return 0;
}

static int get_u64(struct loader *L, const struct node *n, const char *what, uint64_t *out)
{
	struct pgt_error e;
	if (want_scalar(L, n, what))
		return -EINVAL;
	if (pgt_parse_u64(scalar(n), out, &e))
		return fail_at(L, n, "%s: %s", what, e.msg);
	return 0;
}

static int get_pow2(struct loader *L, const struct node *n, const char *what, uint64_t *out)
{
	struct pgt_error e;
	if (want_scalar(L, n, what))
		return -EINVAL;
	if (pgt_parse_pow2(scalar(n), out, &e))
		return fail_at(L, n, "%s: %s", what, e.msg);
	return 0;
}

static int get_uint(struct loader *L, const struct node *n, const char *what, unsigned max,
		    unsigned *out)
{
	uint64_t v;
	if (get_u64(L, n, what, &v))
		return -EINVAL;
	if (v > max)
		return fail_at(L, n, "%s: %llu is larger than %u", what, (unsigned long long)v, max);
	*out = (unsigned)v;
	return 0;
}

static int get_bool(struct loader *L, const struct node *n, const char *what, bool *out)
{
	struct pgt_error e;
	if (want_scalar(L, n, what))
		return -EINVAL;
	if (pgt_parse_bool(scalar(n), out, &e))
		return fail_at(L, n, "%s: '%s' is not true or false", what, scalar(n));
	return 0;
}

/* A value given as one string ("rw", "4K,2M") or as a list of strings. */
static int get_words(struct loader *L, const struct node *n, const char *what, char *buf,
		     size_t len)
{
	buf[0] = 0;
	if (n->kind == NODE_SCALAR) {
		snprintf(buf, len, "%s", scalar(n));
		return 0;
	}
	if (n->kind != NODE_LIST)
		return fail_at(L, n, "%s must be a value or a list, not %s", what, kind_name(n));
	size_t used = 0;
	for (size_t i = 0; i < n->n; i++) {
		const struct node *item = n->child[i];
		if (want_scalar(L, item, what))
			return -EINVAL;
		int w = snprintf(buf + used, len - used, "%s%s", used ? "," : "", scalar(item));
		if (w < 0 || (size_t)w >= len - used)
			return fail_at(L, item, "%s: list too long", what);
		used += (size_t)w;
	}
	return 0;
}

/* A key of config that is one of the format's own options (amd-iommu-v1's
 * mode). */
static int cfg_option(struct loader *L, const struct node *k, const struct node *v)
{
	const char *name = scalar(k);
	int i = pgt_format_option_find(L->options_of, name);
	const struct pgt_format_option *o = pgt_format_option(L->options_of, (unsigned)i);
	struct pgt_error e;
	unsigned value = 0;
	if (L->options_seen & (1u << i))
		return fail_at(L, k, "key '%s' given twice in config", name);
	L->options_seen |= 1u << i;
	if (get_uint(L, v, name, o->max, &value))
		return -EINVAL;
	if (pgt_cfg_set_option(L->options_of, &L->spec->cfg, name, value, &e))
		return fail_at(L, v, "%s", e.msg);
	return 0;
}

typedef int (*key_fn)(struct loader *L, struct node *value, void *ctx);

struct key {
	const char *name;
	key_fn fn;
};

/* Dispatch every key of a mapping node to its handler; refuse unknown and
 * repeated keys, naming the valid ones. Returns a bitmask of keys seen. */
/* Which of keys k names: its index, or a failure naming the valid ones
 * or the key given twice. */
static int find_key(struct loader *L, const struct node *k, const char *where,
		    const struct key *keys, unsigned *seen)
{
	const char *name = scalar(k);
	unsigned i;
	for (i = 0; name && keys[i].name; i++)
		if (!strcmp(name, keys[i].name))
			break;
	if (!name || !keys[i].name) {
		char valid[256] = "";
		for (unsigned j = 0; keys[j].name; j++)
			pgt_join(valid, sizeof(valid), ", ", keys[j].name);
		for (unsigned j = 0; L->options_of && j < pgt_format_n_options(L->options_of); j++)
			pgt_join(valid, sizeof(valid), ", ", pgt_format_option(L->options_of, j)->name);
		return fail_at(L, k, "unknown key '%s' in %s (valid: %s)",
			       name ? name : "(not a value)", where, valid);
	}
	if (*seen & (1u << i))
		return fail_at(L, k, "key '%s' given twice in %s", name, where);
	*seen |= 1u << i;
	return (int)i;
}

static int for_keys(struct loader *L, struct node *map, const char *where,
		    const struct key *keys, void *ctx, unsigned *seen)
{
	*seen = 0;
	if (map->kind != NODE_MAP)
		return fail_at(L, map, "%s must be a mapping of keys, not %s", where,
			       kind_name(map));
	for (size_t p = 0; p + 1 < map->n; p += 2) {
		const char *name = scalar(map->child[p]);
		unsigned j = 0;
		while (name && keys[j].name && strcmp(name, keys[j].name))
			j++;
		if (name && !keys[j].name && L->options_of &&
		    pgt_format_option_find(L->options_of, name) >= 0) {
			int rc = cfg_option(L, map->child[p], map->child[p + 1]);
			if (rc)
				return rc;
			continue;
		}
		int i = find_key(L, map->child[p], where, keys, seen);
		if (i < 0)
			return i;
		int rc = keys[i].fn(L, map->child[p + 1], ctx);
		if (rc)
			return rc;
	}
	return 0;
}

/* --- config ---------------------------------------------------------------- */

static int cfg_ias(struct loader *L, struct node *v, void *c)
{
	(void)c;
	return get_uint(L, v, "ias", 64, &L->spec->cfg.ias);
}

static int cfg_oas(struct loader *L, struct node *v, void *c)
{
	(void)c;
	return get_uint(L, v, "oas", 64, &L->spec->cfg.oas);
}

static int cfg_pgsize(struct loader *L, struct node *v, void *c)
{
	(void)c;
	char buf[512];
	struct pgt_error e;
	if (get_words(L, v, "pgsize", buf, sizeof(buf)))
		return -EINVAL;
	if (pgt_parse_pgsizes(buf, &L->spec->cfg.pgsize_bitmap, &e))
		return fail_at(L, v, "pgsize: %s", e.msg);
	return 0;
}

static int cfg_bitmap(struct loader *L, struct node *v, void *c)
{
	(void)c;
	return get_u64(L, v, "pgsize_bitmap", &L->spec->cfg.pgsize_bitmap);
}

static int cfg_quirks(struct loader *L, struct node *v, void *c)
{
	(void)c;
	char buf[512];
	struct pgt_error e;
	if (get_words(L, v, "quirks", buf, sizeof(buf)))
		return -EINVAL;
	if (pgt_parse_quirks(buf, &L->spec->cfg.quirks, &e))
		return fail_at(L, v, "quirks: %s", e.msg);
	return 0;
}

static int cfg_coherent(struct loader *L, struct node *v, void *c)
{
	(void)c;
	return get_bool(L, v, "coherent_walk", &L->spec->cfg.coherent_walk);
}

static int cfg_page(struct loader *L, struct node *v, void *c)
{
	(void)c;
	return get_pow2(L, v, "cpu_page_size", &L->spec->cfg.cpu_page_size);
}

static const struct key config_keys[] = {
	{"ias", cfg_ias},
	{"oas", cfg_oas},
	{"pgsize", cfg_pgsize},
	{"pgsize_bitmap", cfg_bitmap},
	{"quirks", cfg_quirks},
	{"coherent_walk", cfg_coherent},
	{"cpu_page_size", cfg_page},
	{NULL, NULL},
};

/* --- memory ---------------------------------------------------------------- */

static int mem_base(struct loader *L, struct node *v, void *c)
{
	(void)c;
	return get_u64(L, v, "memory.base", &L->spec->mem_base);
}

static int mem_limit(struct loader *L, struct node *v, void *c)
{
	(void)c;
	if (get_u64(L, v, "memory.limit", &L->spec->mem_limit))
		return -EINVAL;
	if (!L->spec->mem_limit)
		return fail_at(L, v, "memory.limit must not be zero");
	return 0;
}

static const struct key memory_keys[] = {
	{"base", mem_base},
	{"limit", mem_limit},
	{NULL, NULL},
};

/* --- mappings and unmap ------------------------------------------------------ */

static int m_iova(struct loader *L, struct node *v, void *c)
{
	return get_u64(L, v, "iova", &((struct pgt_spec_mapping *)c)->iova);
}

static int m_paddr(struct loader *L, struct node *v, void *c)
{
	return get_u64(L, v, "paddr", &((struct pgt_spec_mapping *)c)->pa);
}

static int m_size(struct loader *L, struct node *v, void *c)
{
	struct pgt_spec_mapping *m = c;
	if (get_u64(L, v, "size", &m->size))
		return -EINVAL;
	if (!m->size)
		return fail_at(L, v, "size must not be zero");
	return 0;
}

static int m_pgsize(struct loader *L, struct node *v, void *c)
{
	return get_pow2(L, v, "pgsize", &((struct pgt_spec_mapping *)c)->pgsize);
}

static int m_prot(struct loader *L, struct node *v, void *c)
{
	char buf[256];
	struct pgt_error e;
	if (get_words(L, v, "prot", buf, sizeof(buf)))
		return -EINVAL;
	if (pgt_parse_prot(buf, &((struct pgt_spec_mapping *)c)->prot, &e))
		return fail_at(L, v, "prot: %s", e.msg);
	return 0;
}

static int m_replace(struct loader *L, struct node *v, void *c)
{
	return get_bool(L, v, "replace", &((struct pgt_spec_mapping *)c)->replace);
}

static const struct key mapping_keys[] = {
	{"iova", m_iova},
	{"paddr", m_paddr},
	{"size", m_size},
	{"pgsize", m_pgsize},
	{"prot", m_prot},
	{"replace", m_replace},
	{NULL, NULL},
};

static int u_iova(struct loader *L, struct node *v, void *c)
{
	return get_u64(L, v, "iova", &((struct pgt_spec_unmap *)c)->iova);
}

static int u_size(struct loader *L, struct node *v, void *c)
{
	struct pgt_spec_unmap *u = c;
	if (get_u64(L, v, "size", &u->size))
		return -EINVAL;
	if (!u->size)
		return fail_at(L, v, "size must not be zero");
	return 0;
}

static int u_split(struct loader *L, struct node *v, void *c)
{
	return get_bool(L, v, "split", &((struct pgt_spec_unmap *)c)->split);
}

static const struct key unmap_keys[] = {
	{"iova", u_iova},
	{"size", u_size},
	{"split", u_split},
	{NULL, NULL},
};

/* One entry of mappings, turned into s->maps[s->n_maps]. */
static int one_mapping(struct loader *L, struct node *item)
{
	struct pgt_spec *s = L->spec;
	struct pgt_spec_mapping *m = &s->maps[s->n_maps];
	unsigned seen;
	*m = (struct pgt_spec_mapping){.pos = pos_of(item), .prot = PGT_READ | PGT_WRITE};
	if (for_keys(L, item, "a mapping", mapping_keys, m, &seen))
		return -EINVAL;
	if ((seen & 7) != 7)
		return fail_at(L, item, "a mapping needs iova, paddr and size");
	s->n_maps++;
	return 0;
}

static int one_unmap(struct loader *L, struct node *item)
{
	struct pgt_spec *s = L->spec;
	struct pgt_spec_unmap *u = &s->unmaps[s->n_unmaps];
	unsigned seen;
	*u = (struct pgt_spec_unmap){.pos = pos_of(item)};
	if (for_keys(L, item, "an unmap entry", unmap_keys, u, &seen))
		return -EINVAL;
	if ((seen & 3) != 3)
		return fail_at(L, item, "an unmap entry needs iova and size");
	s->n_unmaps++;
	return 0;
}

/* Room for one more entry in an array that grows by doubling. */
static int grow(struct loader *L, void **array, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? 2 * *cap : 16;
	void *a = realloc(*array, ncap * size);
	if (!a)
		return pgt_fail(L->err, -ENOMEM, "out of memory");
	*array = a;
	*cap = ncap;
	return 0;
}

/*
 * mappings or unmap, whose value starts at the current event: entry by
 * entry, each built, turned into its struct and freed. "mappings:" with
 * nothing after it is an empty list.
 */
static int stream_list(struct loader *L, const char *what, bool maps)
{
	struct pgt_spec *s = L->spec;
	size_t cap = 0;
	int rc;
	if (L->ev.type != YAML_SEQUENCE_START_EVENT) {
		struct node *v;
		if ((rc = build_value(L, &v)))
			return rc;
		rc = v->kind == NODE_SCALAR && !*scalar(v)
			     ? 0
			     : fail_at(L, v, "%s must be a list, not %s", what, kind_name(v));
		node_free(v);
		return rc;
	}
	while (!(rc = next_event(L)) && L->ev.type != YAML_SEQUENCE_END_EVENT) {
		struct node *item;
		if (maps)
			rc = grow(L, (void **)&s->maps, s->n_maps, &cap, sizeof(*s->maps));
		else
			rc = grow(L, (void **)&s->unmaps, s->n_unmaps, &cap, sizeof(*s->unmaps));
		if (rc || (rc = build_value(L, &item)))
			return rc;
		rc = maps ? one_mapping(L, item) : one_unmap(L, item);
		node_free(item);
		if (rc)
			return rc;
	}
	return rc;
}

static int top_format(struct loader *L, struct node *v, void *c)
{
	(void)c;
	if (want_scalar(L, v, "format"))
		return -EINVAL;
	L->spec->fmt = pgt_format_find(scalar(v));
	if (!L->spec->fmt) {
		char valid[400] = "";
		for (const struct pgt_format *const *f = pgt_formats(); *f; f++)
			pgt_join(valid, sizeof(valid), ", ", pgt_format_name(*f));
		return fail_at(L, v, "unknown format '%s' (valid: %s)", scalar(v), valid);
	}
	return 0;
}

/* The top-level keys, in the order of their bits in seen. */
enum top_key { TOP_FORMAT, TOP_KERNEL, TOP_CONFIG, TOP_MEMORY, TOP_MAPPINGS, TOP_UNMAP };
static const struct key top_keys[] = {
	{"format", top_format},
	{"kernel", NULL},
	{"config", NULL},
	{"memory", NULL},
	{"mappings", NULL},
	{"unmap", NULL},
	{NULL, NULL},
};

static int top_kernel(struct loader *L, struct node *v, enum pgt_kernel *kernel)
{
	char list[64];
	if (want_scalar(L, v, "kernel"))
		return -EINVAL;
	*kernel = pgt_kernel_find(scalar(v));
	if (*kernel == PGT_KERNEL_DEFAULT)
		return fail_at(L, v, "kernel: unknown kernel '%s' (kernels: %s)", scalar(v),
			       pgt_kernel_list(NULL, list, sizeof(list)));
	return 0;
}

/*
 * The spec's keys in the order given: format and kernel at once, mappings
 * and unmap entry by entry, config and memory kept for after (the format's
 * defaults must not override them, whatever the order in the file).
 */
static int read_top(struct loader *L, struct node **config, struct node **memory,
		    enum pgt_kernel *kernel)
{
	struct pgt_spec_pos root;
	unsigned seen = 0;
	int rc;
	/* the stream's start, then a document's, or the stream's end */
	if ((rc = next_event(L)) || (rc = next_event(L)))
		return rc;
	if (L->ev.type == YAML_STREAM_END_EVENT)
		return pgt_fail(L->err, -EINVAL, "%s:1:1: the spec is empty; it needs at least 'format'",
				L->spec->name);
	if ((rc = next_event(L)))
		return rc;
	root = mark_pos(&L->ev.start_mark);
	if (L->ev.type != YAML_MAPPING_START_EVENT) {
		struct node *v;
		if ((rc = build_value(L, &v)))
			return rc;
		rc = fail_at(L, v, "the spec must be a mapping of keys, not %s", kind_name(v));
		node_free(v);
		return rc;
	}
	while (!(rc = next_event(L)) && L->ev.type != YAML_MAPPING_END_EVENT) {
		struct node *k, *v = NULL;
		if ((rc = build_value(L, &k)))
			return rc;
		int i = find_key(L, k, "the spec", top_keys, &seen);
		node_free(k);
		if (i < 0)
			return i;
		if ((rc = next_event(L)))
			return rc;
		if (i == TOP_MAPPINGS || i == TOP_UNMAP) {
			rc = stream_list(L, top_keys[i].name, i == TOP_MAPPINGS);
		} else if (!(rc = build_value(L, &v))) {
			if (i == TOP_FORMAT || i == TOP_KERNEL) {
				rc = i == TOP_FORMAT ? top_format(L, v, NULL) : top_kernel(L, v, kernel);
				node_free(v);
			} else {
				*(i == TOP_CONFIG ? config : memory) = v;
			}
		}
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	if (!(seen & (1u << TOP_FORMAT)))
		return fail_root(L, root, "the spec has no 'format'");
	L->spec->cfg_pos = *config ? pos_of(*config) : root;
	return 0;
}

/* kernel: the caller's choice, over the spec's kernel key (DEFAULT: the
 * spec's, else the format's default). */
static int parse(const char *name, const void *buf, size_t len, enum pgt_kernel kernel,
		 struct pgt_spec *spec, struct pgt_error *err)
{
	enum pgt_kernel spec_kernel = PGT_KERNEL_DEFAULT;
	struct loader L = {.spec = spec, .err = err, .buf = buf, .len = len};
	struct node *config = NULL, *memory = NULL;
	unsigned seen = 0;
	int rc;

	memset(spec, 0, sizeof(*spec));
	spec->name = strdup(name);
	if (!spec->name)
		return pgt_fail(err, -ENOMEM, "out of memory");
	if (!yaml_parser_initialize(&L.parser)) {
		pgt_spec_free(spec);
		return pgt_fail(err, -ENOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&L.parser, buf, len);
	if ((rc = read_top(&L, &config, &memory, &spec_kernel)))
		goto out;
	if (kernel == PGT_KERNEL_DEFAULT)
		kernel = spec_kernel;
	pgt_format_default_cfg(spec->fmt, kernel, &spec->cfg);
	L.options_of = spec->fmt;
	if (config && (rc = for_keys(&L, config, "config", config_keys, NULL, &seen)))
		goto out;
	L.options_of = NULL;
	if (config && (seen & 4) && (seen & 8)) {
		rc = fail_at(&L, config, "give pgsize or pgsize_bitmap, not both");
		goto out;
	}
	if (memory && (rc = for_keys(&L, memory, "memory", memory_keys, NULL, &seen)))
		goto out;
out:
	node_free(config);
	node_free(memory);
	if (L.have_ev)
		yaml_event_delete(&L.ev);
	yaml_parser_delete(&L.parser);
	if (rc)
		pgt_spec_free(spec);
	return rc;
}

int pgt_spec_parse(const char *name, const void *buf, size_t len, struct pgt_spec *spec,
		   struct pgt_error *err)
{
	return parse(name, buf, len, PGT_KERNEL_DEFAULT, spec, err);
}

int pgt_spec_load(const char *path, enum pgt_kernel kernel, struct pgt_spec *spec,
		  struct pgt_error *err)
{
	memset(spec, 0, sizeof(*spec));
	struct pgt_infile f;
	int rc = pgt_infile_open(&f, path, err);
	if (rc)
		return rc;
	char *text = NULL;
	if (f.size > (1 << 30))
		rc = pgt_fail(err, -EFBIG, "%s: a spec larger than 1 GiB is refused", path);
	else if (!(text = malloc(f.size + 1)))
		rc = pgt_fail(err, -ENOMEM, "out of memory");
	else if (pgt_infile_read(&f, 0, text, f.size))
		rc = pgt_fail(err, -EIO, "%s", f.why);
	else
		rc = parse(path, text, (size_t)f.size, kernel, spec, err);
	free(text);
	pgt_infile_close(&f);
	return rc;
}

void pgt_spec_free(struct pgt_spec *spec)
{
	free(spec->name);
	free(spec->maps);
	free(spec->unmaps);
	memset(spec, 0, sizeof(*spec));
}

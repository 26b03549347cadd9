// SPDX-License-Identifier: MIT
/*
 * YAML spec loading with libyaml's document API: every node keeps its
 * position, so every error names file:line:column. Unknown keys and bad
 * values are refused with the list of what is valid.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "pgt/format.h"
#include "pgt/parse.h"
#include "pgt/spec.h"
#include "util/mapfile.h"

struct loader {
	yaml_document_t doc;
	struct pgt_spec *spec;
	struct pgt_error *err;
	/* While config is read: the format whose own options it may set, and
	 * which of them it did. */
	const struct pgt_format *options_of;
	unsigned options_seen;
};

static struct pgt_spec_pos pos_of(const yaml_node_t *n)
{
	return (struct pgt_spec_pos){(unsigned)n->start_mark.line + 1,
				     (unsigned)n->start_mark.column + 1};
}

static int fail_at(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[PGT_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct pgt_spec_pos p = pos_of(n);
	return pgt_fail(L->err, -EINVAL, "%s:%u:%u: %s", L->spec->name, p.line, p.column, msg);
}

static yaml_node_t *node(struct loader *L, int id)
{
	return yaml_document_get_node(&L->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a value";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static int want_scalar(struct loader *L, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE)
		return fail_at(L, n, "%s must be a single value, not %s", what, kind_name(n));
	return 0;
}

static int get_u64(struct loader *L, const yaml_node_t *n, const char *what, uint64_t *out)
{
	struct pgt_error e;
	if (want_scalar(L, n, what))
		return -EINVAL;
	if (pgt_parse_u64(scalar(n), out, &e))
		return fail_at(L, n, "%s: %s", what, e.msg);
	return 0;
}

static int get_pow2(struct loader *L, const yaml_node_t *n, const char *what, uint64_t *out)
{
	struct pgt_error e;
	if (want_scalar(L, n, what))
		return -EINVAL;
	if (pgt_parse_pow2(scalar(n), out, &e))
		return fail_at(L, n, "%s: %s", what, e.msg);
	return 0;
}

static int get_uint(struct loader *L, const yaml_node_t *n, const char *what, unsigned max,
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

static int get_bool(struct loader *L, const yaml_node_t *n, const char *what, bool *out)
{
	struct pgt_error e;
	if (want_scalar(L, n, what))
		return -EINVAL;
	if (pgt_parse_bool(scalar(n), out, &e))
		return fail_at(L, n, "%s: '%s' is not true or false", what, scalar(n));
	return 0;
}

/* A value given as one string ("rw", "4K,2M") or as a list of strings. */
static int get_words(struct loader *L, const yaml_node_t *n, const char *what, char *buf,
		     size_t len)
{
	buf[0] = 0;
	if (n->type == YAML_SCALAR_NODE) {
		snprintf(buf, len, "%s", scalar(n));
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(L, n, "%s must be a value or a list, not %s", what, kind_name(n));
	size_t used = 0;
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top;
	     i++) {
		yaml_node_t *item = node(L, *i);
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
static int cfg_option(struct loader *L, yaml_node_t *k, yaml_node_t *v)
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

typedef int (*key_fn)(struct loader *L, yaml_node_t *value, void *ctx);

struct key {
	const char *name;
	key_fn fn;
};

/* Dispatch every key of a mapping node to its handler; refuse unknown and
 * repeated keys, naming the valid ones. Returns a bitmask of keys seen. */
static int for_keys(struct loader *L, yaml_node_t *map, const char *where,
		    const struct key *keys, void *ctx, unsigned *seen)
{
	*seen = 0;
	if (map->type != YAML_MAPPING_NODE)
		return fail_at(L, map, "%s must be a mapping of keys, not %s", where,
			       kind_name(map));
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
		const char *name = scalar(k);
		unsigned i;
		for (i = 0; name && keys[i].name; i++)
			if (!strcmp(name, keys[i].name))
				break;
		if (name && !keys[i].name && L->options_of &&
		    pgt_format_option_find(L->options_of, name) >= 0) {
			int rc = cfg_option(L, k, v);
			if (rc)
				return rc;
			continue;
		}
		if (!name || !keys[i].name) {
			char valid[256] = "";
			for (unsigned j = 0; keys[j].name; j++)
				pgt_join(valid, sizeof(valid), ", ", keys[j].name);
			for (unsigned j = 0; L->options_of && j < pgt_format_n_options(L->options_of); j++)
				pgt_join(valid, sizeof(valid), ", ",
					 pgt_format_option(L->options_of, j)->name);
			return fail_at(L, k, "unknown key '%s' in %s (valid: %s)",
				       name ? name : "(not a value)", where, valid);
		}
		if (*seen & (1u << i))
			return fail_at(L, k, "key '%s' given twice in %s", name, where);
		*seen |= 1u << i;
		int rc = keys[i].fn(L, v, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

/* --- config ---------------------------------------------------------------- */

static int cfg_ias(struct loader *L, yaml_node_t *v, void *c)
{
	(void)c;
	return get_uint(L, v, "ias", 64, &L->spec->cfg.ias);
}

static int cfg_oas(struct loader *L, yaml_node_t *v, void *c)
{
	(void)c;
	return get_uint(L, v, "oas", 64, &L->spec->cfg.oas);
}

static int cfg_pgsize(struct loader *L, yaml_node_t *v, void *c)
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

static int cfg_bitmap(struct loader *L, yaml_node_t *v, void *c)
{
	(void)c;
	return get_u64(L, v, "pgsize_bitmap", &L->spec->cfg.pgsize_bitmap);
}

static int cfg_quirks(struct loader *L, yaml_node_t *v, void *c)
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

static int cfg_coherent(struct loader *L, yaml_node_t *v, void *c)
{
	(void)c;
	return get_bool(L, v, "coherent_walk", &L->spec->cfg.coherent_walk);
}

static int cfg_page(struct loader *L, yaml_node_t *v, void *c)
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

static int mem_base(struct loader *L, yaml_node_t *v, void *c)
{
	(void)c;
	return get_u64(L, v, "memory.base", &L->spec->mem_base);
}

static int mem_limit(struct loader *L, yaml_node_t *v, void *c)
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

static int m_iova(struct loader *L, yaml_node_t *v, void *c)
{
	return get_u64(L, v, "iova", &((struct pgt_spec_mapping *)c)->iova);
}

static int m_paddr(struct loader *L, yaml_node_t *v, void *c)
{
	return get_u64(L, v, "paddr", &((struct pgt_spec_mapping *)c)->pa);
}

static int m_size(struct loader *L, yaml_node_t *v, void *c)
{
	struct pgt_spec_mapping *m = c;
	if (get_u64(L, v, "size", &m->size))
		return -EINVAL;
	if (!m->size)
		return fail_at(L, v, "size must not be zero");
	return 0;
}

static int m_pgsize(struct loader *L, yaml_node_t *v, void *c)
{
	return get_pow2(L, v, "pgsize", &((struct pgt_spec_mapping *)c)->pgsize);
}

static int m_prot(struct loader *L, yaml_node_t *v, void *c)
{
	char buf[256];
	struct pgt_error e;
	if (get_words(L, v, "prot", buf, sizeof(buf)))
		return -EINVAL;
	if (pgt_parse_prot(buf, &((struct pgt_spec_mapping *)c)->prot, &e))
		return fail_at(L, v, "prot: %s", e.msg);
	return 0;
}

static int m_replace(struct loader *L, yaml_node_t *v, void *c)
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

static int u_iova(struct loader *L, yaml_node_t *v, void *c)
{
	return get_u64(L, v, "iova", &((struct pgt_spec_unmap *)c)->iova);
}

static int u_size(struct loader *L, yaml_node_t *v, void *c)
{
	struct pgt_spec_unmap *u = c;
	if (get_u64(L, v, "size", &u->size))
		return -EINVAL;
	if (!u->size)
		return fail_at(L, v, "size must not be zero");
	return 0;
}

static int u_split(struct loader *L, yaml_node_t *v, void *c)
{
	return get_bool(L, v, "split", &((struct pgt_spec_unmap *)c)->split);
}

static const struct key unmap_keys[] = {
	{"iova", u_iova},
	{"size", u_size},
	{"split", u_split},
	{NULL, NULL},
};

static int want_list(struct loader *L, yaml_node_t *v, const char *what, size_t *n)
{
	if (v->type == YAML_SCALAR_NODE && !*scalar(v)) {
		*n = 0; /* "mappings:" with nothing after it */
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return fail_at(L, v, "%s must be a list, not %s", what, kind_name(v));
	*n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	return 0;
}

static int top_mappings(struct loader *L, yaml_node_t *v, void *c)
{
	(void)c;
	size_t n;
	if (want_list(L, v, "mappings", &n))
		return -EINVAL;
	if (!n)
		return 0;
	struct pgt_spec *s = L->spec;
	s->maps = calloc(n, sizeof(*s->maps));
	if (!s->maps)
		return pgt_fail(L->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = node(L, v->data.sequence.items.start[i]);
		struct pgt_spec_mapping *m = &s->maps[s->n_maps++];
		unsigned seen;
		m->pos = pos_of(item);
		m->prot = PGT_READ | PGT_WRITE;
		if (for_keys(L, item, "a mapping", mapping_keys, m, &seen))
			return -EINVAL;
		if ((seen & 7) != 7)
			return fail_at(L, item, "a mapping needs iova, paddr and size");
	}
	return 0;
}

static int top_unmap(struct loader *L, yaml_node_t *v, void *c)
{
	(void)c;
	size_t n;
	if (want_list(L, v, "unmap", &n))
		return -EINVAL;
	if (!n)
		return 0;
	struct pgt_spec *s = L->spec;
	s->unmaps = calloc(n, sizeof(*s->unmaps));
	if (!s->unmaps)
		return pgt_fail(L->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = node(L, v->data.sequence.items.start[i]);
		struct pgt_spec_unmap *u = &s->unmaps[s->n_unmaps++];
		unsigned seen;
		u->pos = pos_of(item);
		if (for_keys(L, item, "an unmap entry", unmap_keys, u, &seen))
			return -EINVAL;
		if ((seen & 3) != 3)
			return fail_at(L, item, "an unmap entry needs iova and size");
	}
	return 0;
}

static int top_format(struct loader *L, yaml_node_t *v, void *c)
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

/* config and memory are applied after format and kernel, whatever their
 * order in the file, so that format defaults do not override them. */
struct deferred {
	yaml_node_t *config, *memory;
	enum pgt_kernel kernel;
};

static int top_kernel(struct loader *L, yaml_node_t *v, void *c)
{
	char list[64];
	if (want_scalar(L, v, "kernel"))
		return -EINVAL;
	((struct deferred *)c)->kernel = pgt_kernel_find(scalar(v));
	if (((struct deferred *)c)->kernel == PGT_KERNEL_DEFAULT)
		return fail_at(L, v, "kernel: unknown kernel '%s' (kernels: %s)", scalar(v),
			       pgt_kernel_list(NULL, list, sizeof(list)));
	return 0;
}

static int top_config(struct loader *L, yaml_node_t *v, void *c)
{
	(void)L;
	((struct deferred *)c)->config = v;
	return 0;
}

static int top_memory(struct loader *L, yaml_node_t *v, void *c)
{
	(void)L;
	((struct deferred *)c)->memory = v;
	return 0;
}

static const struct key top_keys[] = {
	{"format", top_format},
	{"kernel", top_kernel},
	{"config", top_config},
	{"memory", top_memory},
	{"mappings", top_mappings},
	{"unmap", top_unmap},
	{NULL, NULL},
};

/* kernel: the caller's choice, over the spec's kernel key (DEFAULT: the
 * spec's, else the format's default). */
static int parse(const char *name, const void *buf, size_t len, enum pgt_kernel kernel,
		 struct pgt_spec *spec, struct pgt_error *err)
{
	yaml_parser_t parser;
	struct loader L = {.spec = spec, .err = err};
	int rc;

	memset(spec, 0, sizeof(*spec));
	spec->name = strdup(name);
	if (!spec->name)
		return pgt_fail(err, -ENOMEM, "out of memory");
	if (!yaml_parser_initialize(&parser)) {
		pgt_spec_free(spec);
		return pgt_fail(err, -ENOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&parser, buf, len);
	if (!yaml_parser_load(&parser, &L.doc)) {
		rc = pgt_fail(err, -EINVAL, "%s:%zu:%zu: %s%s%s", name,
			      parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			      parser.problem ? parser.problem : "malformed YAML",
			      parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		pgt_spec_free(spec);
		return rc;
	}
	yaml_parser_delete(&parser);

	yaml_node_t *root = yaml_document_get_root_node(&L.doc);
	struct deferred d = {NULL, NULL, PGT_KERNEL_DEFAULT};
	unsigned seen = 0;
	if (!root) {
		rc = pgt_fail(err, -EINVAL, "%s:1:1: the spec is empty; it needs at least 'format'",
			      name);
		goto out;
	}
	if ((rc = for_keys(&L, root, "the spec", top_keys, &d, &seen)))
		goto out;
	if (!(seen & 1)) {
		rc = fail_at(&L, root, "the spec has no 'format'");
		goto out;
	}
	if (kernel == PGT_KERNEL_DEFAULT)
		kernel = d.kernel;
	pgt_format_default_cfg(spec->fmt, kernel, &spec->cfg);
	spec->cfg_pos = pos_of(d.config ? d.config : root);
	L.options_of = spec->fmt;
	if (d.config && (rc = for_keys(&L, d.config, "config", config_keys, NULL, &seen)))
		goto out;
	L.options_of = NULL;
	if (d.config && (seen & 4) && (seen & 8)) {
		rc = fail_at(&L, d.config, "give pgsize or pgsize_bitmap, not both");
		goto out;
	}
	if (d.memory && (rc = for_keys(&L, d.memory, "memory", memory_keys, NULL, &seen)))
		goto out;
	rc = 0;
out:
	yaml_document_delete(&L.doc);
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
	struct pgt_mapfile m;
	int rc = pgt_mapfile_open(&m, path, err);
	if (rc)
		return rc;
	if (m.size > (1 << 30))
		rc = pgt_fail(err, -EFBIG, "%s: a spec larger than 1 GiB is refused", path);
	else
		rc = parse(path, m.data ? (const char *)m.data : "", (size_t)m.size, kernel, spec,
			   err);
	pgt_mapfile_close(&m);
	return rc;
}

void pgt_spec_free(struct pgt_spec *spec)
{
	free(spec->name);
	free(spec->maps);
	free(spec->unmaps);
	memset(spec, 0, sizeof(*spec));
}

// SPDX-License-Identifier: MIT
/* Opening a SOURCE of any kind into a table the commands can read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "source.h"

bool source_opts_given(const struct source_opts *o)
{
	return o->n_files || o->format || o->roots || o->given || source_iommu_given(o);
}

/* A spec that does not load is bad input; one whose build the kernel
 * refuses is a failed operation, as it is for build. */
static int open_spec(const char *path, enum pgt_kernel kernel, struct source *s,
		     struct pgt_error *err)
{
	struct pgt_spec *spec;
	if (pgt_spec_load(path, kernel, &spec, err))
		return EXIT_USAGE;
	int rc = pgt_spec_build(spec, NULL, NULL, &s->mem, &s->t, err);
	pgt_spec_free(spec);
	if (rc)
		return EXIT_FAILED;
	s->kind = SOURCE_SPEC;
	return EXIT_OK;
}

static int parse_roots(const char *list, pgt_addr *roots, unsigned *n, struct pgt_error *err)
{
	char *buf = strdup(list), *save = NULL;
	int rc = 0;
	*n = 0;
	if (!buf)
		return pgt_fail(err, -ENOMEM, "out of memory");
	for (char *r = strtok_r(buf, ",", &save); r && !rc; r = strtok_r(NULL, ",", &save)) {
		if (*n == PGT_MAX_ROOTS)
			rc = pgt_fail(err, -EINVAL, "--root: at most %d roots", PGT_MAX_ROOTS);
		else if ((rc = pgt_parse_u64(r, &roots[(*n)++], err)))
			pgt_error_prefix(err, "--root");
	}
	free(buf);
	if (!rc && !*n)
		rc = pgt_fail(err, -EINVAL, "--root needs an address");
	return rc;
}

int source_config(const struct source_opts *o, const struct pgt_format *fmt, struct pgt_cfg **out,
		  struct pgt_error *err)
{
	const struct {
		unsigned given;
		enum pgt_cfg_key key;
		uint64_t value;
	} given[] = {
		{GIVEN_IAS, PGT_CFG_IAS, o->cfg.ias},
		{GIVEN_OAS, PGT_CFG_OAS, o->cfg.oas},
		{GIVEN_PGSIZES, PGT_CFG_PGSIZE_BITMAP, o->cfg.pgsize_bitmap},
		{GIVEN_QUIRKS, PGT_CFG_QUIRKS, o->cfg.quirks},
		{GIVEN_COHERENT, PGT_CFG_COHERENT_WALK, o->cfg.coherent_walk},
		{GIVEN_PAGE, PGT_CFG_CPU_PAGE_SIZE, o->cfg.cpu_page_size},
	};
	struct pgt_cfg *cfg;
	int rc = pgt_format_default_cfg(fmt, o->kernel, &cfg, err);
	for (unsigned i = 0; !rc && i < sizeof(given) / sizeof(given[0]); i++)
		if (o->given & given[i].given)
			rc = pgt_cfg_set(cfg, given[i].key, given[i].value, err);
	for (unsigned i = 0; !rc && i < o->n_opts; i++)
		rc = pgt_cfg_set_option(fmt, cfg, o->opt[i].name, o->opt[i].value, err);
	if (rc) {
		pgt_cfg_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

bool source_levels_given(const struct source_opts *o)
{
	/* every format whose count is a choice has that option alone */
	return (o->given & GIVEN_IAS) || o->n_opts;
}

void source_layout(const struct pgt_format *fmt, const struct pgt_cfg *cfg, unsigned *ias,
		   unsigned *levels)
{
	struct pgt_mem *arena = NULL;
	struct pgt_table *t = NULL;
	*ias = (unsigned)pgt_cfg_get(cfg, PGT_CFG_IAS);
	*levels = 0;
	if (!pgt_arena_new(0, &arena, NULL) && !pgt_table_create(fmt, cfg, arena, &t, NULL)) {
		*ias = (unsigned)pgt_cfg_get(pgt_table_cfg(t), PGT_CFG_IAS);
		*levels = pgt_geometry_levels(pgt_table_geometry(t));
	}
	pgt_table_destroy(t);
	pgt_mem_destroy(arena);
}

/* An option a table in memory cannot be read without that was not given. */
static const struct pgt_format_option *missing_option(const struct source_opts *o,
						      const struct pgt_format *fmt)
{
	for (unsigned i = 0; i < pgt_format_n_options(fmt); i++) {
		const struct pgt_format_option *opt = pgt_format_option(fmt, i);
		bool given = false;
		for (unsigned k = 0; k < o->n_opts; k++)
			given |= !strcmp(o->opt[k].name, opt->name);
		if (opt->needed_to_read && !given)
			return opt;
	}
	return NULL;
}

int source_open_files(const struct source_opts *o, unsigned first, unsigned count,
		      struct pgt_mem **mem_out, struct pgt_error *err)
{
	struct pgt_mem *parts[MAX_MEM_FILES] = {NULL};
	unsigned n = 0;
	int rc;

	for (unsigned i = first; i < first + count; i++) {
		const struct mem_file *f = &o->file[i];
		if (f->raw && !f->has_base) {
			rc = pgt_fail(err, -EINVAL, "--raw %s needs --base PA after it", f->path);
			goto fail;
		}
		rc = f->raw ? pgt_rawfile_open(f->path, f->base, &parts[n], err)
			    : pgt_dump_open(f->path, &parts[n], err);
		if (rc)
			goto fail;
		n++;
	}
	struct pgt_mem *mem = parts[0];
	/* the union owns the parts, even on failure */
	if (n > 1 && (rc = pgt_mem_union(parts, n, &mem, err)))
		return rc;
	if (o->endian)
		pgt_mem_set_big_endian(mem, o->big_endian);
	*mem_out = mem;
	return 0;
fail:
	while (n)
		pgt_mem_destroy(parts[--n]);
	return rc;
}

int source_open_memory(const struct source_opts *o, struct pgt_mem **mem_out,
		       const struct pgt_format **fmt_out, struct pgt_cfg **cfg,
		       struct pgt_error *err)
{
	const struct pgt_format *fmt;

	if (!o->format)
		return pgt_fail(err, -EINVAL, "memory sources need --format NAME");
	fmt = pgt_format_find(o->format);
	if (!fmt)
		return pgt_fail(err, -EINVAL, "unknown format '%s' (see 'pgtctl formats')", o->format);
	if (source_config(o, fmt, cfg, err))
		return pgt_error_code(err);
	int rc = source_open_files(o, 0, o->n_files, mem_out, err);
	if (rc) {
		pgt_cfg_free(*cfg);
		return rc;
	}
	*fmt_out = fmt;
	return 0;
}

static int open_memory(const struct source_opts *o, bool editable, struct source *s,
		       struct pgt_error *err)
{
	pgt_addr roots[PGT_MAX_ROOTS];
	unsigned n_roots = 0;
	const struct pgt_format *fmt;
	struct pgt_cfg *cfg;
	struct pgt_mem *mem;

	/* the front-ends load memory read-only */
	if (editable) {
		pgt_fail(err, -EROFS, "internal error: memory sources are read-only");
		return EXIT_FAILED;
	}
	if (source_iommu_given(o))
		return source_open_device(o, 0, s, err);
	if (o->format && !o->roots) {
		pgt_fail(err, -EINVAL, "memory sources need --root PA (or find it: pgtctl scan)");
		return EXIT_USAGE;
	}
	if (o->roots && parse_roots(o->roots, roots, &n_roots, err))
		return EXIT_USAGE;
	fmt = o->format ? pgt_format_find(o->format) : NULL;
	const struct pgt_format_option *missing = fmt ? missing_option(o, fmt) : NULL;
	if (missing) {
		pgt_fail(err, -EINVAL, "%s needs --%s N (its %s)", pgt_format_name(fmt),
			 missing->name, missing->summary);
		return EXIT_USAGE;
	}
	if (source_open_memory(o, &mem, &fmt, &cfg, err))
		return EXIT_USAGE;
	/* what the kernel's alloc refuses fails as it does for a spec */
	int status = pgt_table_check_config(fmt, cfg, err) ? EXIT_FAILED : EXIT_OK;
	if (!status && pgt_table_attach(fmt, cfg, mem, roots, n_roots, &s->t, err))
		status = EXIT_USAGE;
	pgt_cfg_free(cfg);
	if (status) {
		pgt_mem_destroy(mem);
		return status;
	}
	s->mem = mem;
	s->kind = SOURCE_MEMORY;
	s->name = o->file[0].path;
	return EXIT_OK;
}

int source_open(const struct source_opts *o, const char *path, bool editable, struct source *s,
		struct pgt_error *err)
{
	memset(s, 0, sizeof(*s));
	/* the front-ends never give both */
	if (path && o->n_files) {
		pgt_fail(err, -EINVAL, "internal error: a SOURCE is a file or memory files");
		return EXIT_FAILED;
	}
	if (!path && !o->n_files && !source_iommu_given(o)) {
		pgt_fail(err, -EINVAL, "no SOURCE given (an IMAGE, a spec, or --dump/--raw)");
		return EXIT_USAGE;
	}
	if (!path)
		return open_memory(o, editable, s, err);
	if (o->format || o->roots || o->given || o->endian || source_iommu_given(o)) {
		pgt_fail(err, -EINVAL,
			 "--format, --root and configuration options apply to --dump/--raw "
			 "memory, not to %s",
			 path);
		return EXIT_USAGE;
	}
	s->name = path;
	if (pgt_file_is_elf(path)) {
		s->kind = SOURCE_IMAGE;
		/* a readable IMAGE whose table is broken fails as any walk of it
		 * does, and one too large for memory as any operation does */
		int rc = pgt_image_open(path, editable, &s->mem, &s->t, err);
		if (rc)
			return rc == -EUCLEAN || rc == -ENOMEM ? EXIT_FAILED : EXIT_USAGE;
		return source_set_kernel(s, o->kernel, err) ? EXIT_FAILED : EXIT_OK;
	}
	return open_spec(path, o->kernel, s, err);
}

int source_set_kernel(struct source *s, enum pgt_kernel kernel, struct pgt_error *err)
{
	int rc = pgt_table_set_kernel(s->t, kernel, err);
	if (rc)
		pgt_error_prefix(err, "%s", s->name);
	return rc;
}

void source_close(struct source *s)
{
	if (!s->borrowed) {
		pgt_table_destroy(s->t);
		pgt_mem_destroy(s->mem);
		pgt_iommu_device_free(s->dev);
	}
	memset(s, 0, sizeof(*s));
}

int open_source(struct cli *c, struct source *s, int *first)
{
	CLI_ERROR(err);
	const char *path = NULL;
	*first = 0;
	/* In a session the SOURCE is the loaded table, unless memory is named. */
	if (c->session && !source_opts_given(&c->src)) {
		if (!c->session->cur.t)
			return cli_usage("no table loaded: load SOURCE, or new FORMAT");
		enum pgt_kernel k = c->src.kernel, cur = pgt_table_kernel(c->session->cur.t);
		if (k != PGT_KERNEL_DEFAULT && k != cur)
			return cli_usage("--kernel %s: the loaded table is Linux %s's; 'kernel %s' "
					 "switches it",
					 pgt_kernel_name(k), pgt_kernel_name(cur), pgt_kernel_name(k));
		*s = c->session->cur;
		s->borrowed = true;
		return EXIT_OK;
	}
	/* IOMMU options make memory the SOURCE, files given or not */
	if (!c->src.n_files && !source_iommu_given(&c->src)) {
		if (!c->n_args)
			return cli_usage("%s needs a SOURCE (see 'pgtctl %s --help')", c->cmd->name,
					 c->cmd->name);
		path = c->args[0];
		*first = 1;
	}
	int status = source_open(&c->src, path, false, s, err);
	return status ? cli_fail(status, err) : EXIT_OK;
}

int open_sole_source(struct cli *c, struct source *s)
{
	int first, status = open_source(c, s, &first);
	if (status)
		return status;
	if (first != c->n_args) {
		source_close(s);
		return cli_usage("%s takes one SOURCE", c->cmd->name);
	}
	return EXIT_OK;
}

// SPDX-License-Identifier: MIT
/*
 * A device as a SOURCE: memory files, the IOMMU's root register(s) and a
 * device ID, turned into the table the IOMMU's structures give the device
 * (--iommu KIND --iommu-reg VALUE --device ID instead of --format --root).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/join.h"
#include "source.h"

bool source_iommu_given(const struct source_opts *o)
{
	return o->iommu || o->n_iommu_regs || o->n_devices;
}

int source_iommu_kind(const char *name, const struct pgt_iommu_kind **k, struct pgt_error *err)
{
	if (!(*k = pgt_iommu_kind_find(name))) {
		char list[128] = "";
		for (const struct pgt_iommu_kind *const *x = pgt_iommu_kinds(); *x; x++)
			pgt_join(list, sizeof(list), ", ", pgt_iommu_kind_name(*x));
		return pgt_fail(err, -EINVAL, "--iommu: unknown IOMMU '%s' (%s)", name, list);
	}
	return 0;
}

int source_iommu_only(const struct source_opts *o, struct pgt_error *err)
{
	if (o->format || o->roots || o->given)
		return pgt_fail(err, -EINVAL, "--format, --root and configuration options do not go "
				"with --iommu: the IOMMU's structures give the table and its "
				"configuration");
	return 0;
}

static int kind_of(const struct source_opts *o, const struct iommu_reg_opt *r,
		   const struct pgt_iommu_kind **k, struct pgt_error *err)
{
	const char *name = r->kind ? r->kind : o->iommu;
	if (!name)
		return pgt_fail(err, -EINVAL, "--iommu-reg %s needs --iommu KIND", r->value);
	return source_iommu_kind(name, k, err);
}

void source_close_iommus(struct pgt_iommu **ios, unsigned n)
{
	while (n)
		pgt_iommu_close(ios[--n]);
}

int source_open_iommus(const struct source_opts *o, unsigned first, unsigned n,
		       struct pgt_mem *mem, struct pgt_iommu **ios, struct pgt_error *err)
{
	for (unsigned i = 0; i < n; i++) {
		const struct iommu_reg_opt *r = &o->iommu_reg[first + i];
		const struct pgt_iommu_kind *k;
		int rc = kind_of(o, r, &k, err);
		if (!rc && (rc = pgt_iommu_open(k, r->value, mem, &ios[i], err)))
			pgt_error_prefix(err, "--iommu-reg");
		if (rc) {
			source_close_iommus(ios, i);
			return rc;
		}
	}
	return 0;
}

static int need_registers(const struct source_opts *o, struct pgt_error *err)
{
	if (!o->n_files)
		return pgt_fail(err, -EINVAL, "the IOMMU's structures are read from memory: give "
				"--dump FILE or --raw FILE --base PA");
	if (!o->n_iommu_regs)
		return pgt_fail(err, -EINVAL, "--iommu-reg VALUE is needed: the IOMMU's root "
				"register (see 'pgtctl devices --help')");
	return 0;
}

int source_open_all_iommus(const struct source_opts *o, struct pgt_mem **mem,
			   struct pgt_iommu **ios, unsigned *n, struct pgt_error *err)
{
	int rc = need_registers(o, err);
	if (rc || (rc = source_open_files(o, 0, o->n_files, mem, err)))
		return rc;
	if ((rc = source_open_iommus(o, 0, o->n_iommu_regs, *mem, ios, err))) {
		pgt_mem_destroy(*mem);
		return rc;
	}
	*n = o->n_iommu_regs;
	return 0;
}

/* The one IOMMU of ios that has an entry for id. */
static int find_device(struct pgt_iommu **ios, unsigned n, const struct pgt_devid *id,
		       struct pgt_iommu_device **dev, struct pgt_iommu **which,
		       struct pgt_error *err)
{
	int first = 0;
	*dev = NULL;
	for (unsigned i = 0; i < n; i++) {
		struct pgt_iommu_device *d;
		/* the first IOMMU's refusal is the one reported */
		int rc = pgt_iommu_find(ios[i], id, &d, first ? NULL : err);
		if (rc) {
			if (!first)
				first = rc;
			continue;
		}
		if (*dev) {
			char name[48];
			pgt_iommu_device_free(d);
			pgt_iommu_device_free(*dev);
			*dev = NULL;
			return pgt_fail(err, -EINVAL,
					"device %s has entries in more than one of the IOMMUs given: "
					"give the --iommu-reg of one",
					pgt_devid_str(pgt_iommu_kind_of(ios[i]), id, name, sizeof(name)));
		}
		*dev = d;
		*which = ios[i];
	}
	return *dev ? 0 : first;
}

int source_device_table(struct pgt_iommu **ios, unsigned n, struct pgt_mem *mem,
			const struct pgt_devid *id, bool untranslated_ok, struct source *s,
			struct pgt_error *err)
{
	struct pgt_iommu *io = NULL;
	struct pgt_iommu_device *dev;
	char name[48];
	if (find_device(ios, n, id, &dev, &io, err))
		return EXIT_USAGE;
	pgt_devid_str(pgt_iommu_kind_of(io), pgt_iommu_device_id(dev), name, sizeof(name));
	const char *note = pgt_iommu_device_note(dev);
	if (!pgt_iommu_device_table(dev) && untranslated_ok && pgt_iommu_device_untranslated(dev)) {
		s->dev = dev;
		s->iommu = pgt_iommu_kind_of(io);
		return EXIT_OK;
	}
	if (!pgt_iommu_device_table(dev)) {
		pgt_fail(err, -ENOENT, "device %s: %s%s%s: the IOMMU gives it no table", name,
			 pgt_dev_mode_name(pgt_iommu_device_mode(dev)), note ? ", " : "",
			 note ? note : "");
		pgt_iommu_device_free(dev);
		return EXIT_FAILED;
	}
	if (pgt_iommu_table_open(pgt_iommu_device_table(dev), mem, &s->t, err)) {
		pgt_error_prefix(err, "device %s", name);
		pgt_iommu_device_free(dev);
		return EXIT_FAILED;
	}
	s->dev = dev;
	s->iommu = pgt_iommu_kind_of(io);
	return EXIT_OK;
}

int source_open_device(const struct source_opts *o, unsigned which, struct source *s,
		       struct pgt_error *err)
{
	struct pgt_iommu *ios[MAX_IOMMUS];
	struct pgt_devid id;
	struct pgt_mem *mem;
	memset(s, 0, sizeof(*s));
	/* diff's two devices: files and registers given after the first
	 * --device are B's, those before it A's; what is given on one side
	 * only, both share */
	bool split_files = o->n_devices == 2 && o->b_files && o->b_files < o->n_files;
	bool split_regs = o->n_devices == 2 && o->b_regs && o->b_regs < o->n_iommu_regs;
	unsigned f0 = 0, nf = split_files ? o->b_files : o->n_files;
	unsigned r0 = 0, nr = split_regs ? o->b_regs : o->n_iommu_regs;
	if (which && split_files) {
		f0 = o->b_files;
		nf = o->n_files - o->b_files;
	}
	if (which && split_regs) {
		r0 = o->b_regs;
		nr = o->n_iommu_regs - o->b_regs;
	}
	if (source_iommu_only(o, err))
		return EXIT_USAGE;
	if (!o->n_devices) {
		pgt_fail(err, -EINVAL, "--device ID names the table (pgtctl devices lists them)");
		return EXIT_USAGE;
	}
	if (need_registers(o, err))
		return EXIT_USAGE;
	if (pgt_devid_parse(o->device[which], &id, err)) {
		pgt_error_prefix(err, "--device");
		return EXIT_USAGE;
	}
	if (source_open_files(o, f0, nf, &mem, err))
		return EXIT_USAGE;
	if (source_open_iommus(o, r0, nr, mem, ios, err)) {
		pgt_mem_destroy(mem);
		return EXIT_USAGE;
	}
	int status = source_device_table(ios, nr, mem, &id, o->untranslated_ok, s, err);
	source_close_iommus(ios, nr);
	if (status) {
		pgt_mem_destroy(mem);
		return status;
	}
	s->mem = mem;
	s->kind = SOURCE_MEMORY;
	s->name = o->file[f0].path;
	/* the structures name a format, not the kernel that built the table */
	if (s->t && source_set_kernel(s, o->kernel, err)) {
		source_close(s);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

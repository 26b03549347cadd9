/* SPDX-License-Identifier: MIT */
/*
 * A SOURCE: an IMAGE, a YAML spec built in memory, or memory files
 * (--dump ELF cores, --raw flat images) read with a format, roots and
 * configuration given on the command line.
 */
#ifndef PGT_CLI_SOURCE_H
#define PGT_CLI_SOURCE_H

#include "pgt/pgt.h"

#define MAX_MEM_FILES 16
#define MAX_IOMMUS 8

enum cfg_given {
	GIVEN_IAS = 1u << 0,
	GIVEN_OAS = 1u << 1,
	GIVEN_PGSIZES = 1u << 2,
	GIVEN_QUIRKS = 1u << 3,
	GIVEN_COHERENT = 1u << 4,
	GIVEN_OPTION = 1u << 5, /* a format's own option */
	GIVEN_PAGE = 1u << 6,
};

/* The io_pgtable_cfg values given on the command line (enum cfg_given
 * says which). */
struct source_cfg {
	uint64_t quirks;
	uint64_t pgsize_bitmap;
	unsigned ias;
	unsigned oas;
	bool coherent_walk;
	uint64_t cpu_page_size;
};

struct source_opts {
	struct mem_file {
		const char *path;
		bool raw;
		bool has_base;
		pgt_addr base;
	} file[MAX_MEM_FILES];
	unsigned n_files;
	const char *format;
	const char *roots;
	struct source_cfg cfg;
	/* The format's own options given (--mode), by name: set once the
	 * format is known. */
	struct option_setting {
		const char *name;
		unsigned value;
	} opt[PGT_MAX_FORMAT_OPTIONS];
	unsigned n_opts;
	unsigned given; /* enum cfg_given */
	/* --kernel: for every kind of SOURCE, and for new tables */
	enum pgt_kernel kernel;
	bool endian;	/* --endian given */
	bool big_endian;
	/* The IOMMU's structures instead of --format --root: --iommu KIND
	 * (for the --iommu-reg values after it), one IOMMU per --iommu-reg,
	 * and --device ID (twice for diff: files and registers given after
	 * the first are B's, when there are any). */
	const char *iommu;
	struct iommu_reg_opt {
		const char *kind; /* the --iommu before it, or NULL */
		const char *value;
	} iommu_reg[MAX_IOMMUS];
	unsigned n_iommu_regs;
	const char *device[2];
	unsigned n_devices;
	unsigned b_files, b_regs;
	/* translate: a --device whose DMA the IOMMU passes untranslated
	 * opens with its entry and no table (source.t NULL) */
	bool untranslated_ok;
};

enum source_kind { SOURCE_IMAGE, SOURCE_SPEC, SOURCE_MEMORY };

struct source {
	enum source_kind kind;
	const char *name;
	struct pgt_mem *mem;
	struct pgt_table *t;
	bool borrowed; /* a session's table: closing it leaves it alone */
	/* --device: the device and the structures that gave its table (or,
	 * with untranslated_ok, its entry alone: t is NULL) */
	struct pgt_iommu_device *dev;
	const struct pgt_iommu_kind *iommu;
};

bool source_opts_given(const struct source_opts *o);
/* Open path (an IMAGE or a spec) or, when path is NULL, the memory files.
 * editable: the table lives in an arena and may be changed. Returns the
 * exit status of the failure (the kernel refused the table: 1; the input
 * is unreadable or the options wrong: 2), err saying why; 0 on success. */
int source_open(const struct source_opts *o, const char *path, bool editable, struct source *s,
		struct pgt_error *err);
void source_close(struct source *s);
/* Read (and edit) the table as the given kernel's, where its layout is the
 * same as the one it was built with (DEFAULT: as it is). */
int source_set_kernel(struct source *s, enum pgt_kernel kernel, struct pgt_error *err);

/* The format's default configuration with the options' changes; fails
 * when an option is not one the format has. */
int source_config(const struct source_opts *o, const struct pgt_format *fmt, struct pgt_cfg **cfg,
		  struct pgt_error *err);

/* Do o's options fix the level count a table in its memory has (--ias,
 * or an option of the format's, which is the count where it is a choice)? */
bool source_levels_given(const struct source_opts *o);
/* The ias and levels a table of this configuration gets from the format's
 * setup (0 levels: the setup refuses it). */
void source_layout(const struct pgt_format *fmt, const struct pgt_cfg *cfg, unsigned *ias,
		   unsigned *levels);

/* The memory files of o as one memory, with the format and configuration
 * the options give (no roots: scan finds them). */
int source_open_memory(const struct source_opts *o, struct pgt_mem **mem,
		       const struct pgt_format **fmt, struct pgt_cfg **cfg, struct pgt_error *err);
/* Memory files first .. first + n - 1 of o as one memory. */
int source_open_files(const struct source_opts *o, unsigned first, unsigned n,
		      struct pgt_mem **mem, struct pgt_error *err);

/* --- IOMMU structures (device_source.c) ------------------------------- */

/* Were IOMMU options given? */
bool source_iommu_given(const struct source_opts *o);
/* The kind --iommu names. */
int source_iommu_kind(const char *name, const struct pgt_iommu_kind **k, struct pgt_error *err);
/* Refuse --format, --root and configuration options next to --iommu. */
int source_iommu_only(const struct source_opts *o, struct pgt_error *err);
/* The IOMMUs of registers first .. first + n - 1 over mem: *n_out of
 * them in ios (MAX_IOMMUS), each to pgt_iommu_close. */
int source_open_iommus(const struct source_opts *o, unsigned first, unsigned n,
		       struct pgt_mem *mem, struct pgt_iommu **ios, struct pgt_error *err);
/* Memory and IOMMUs of o, all of them (devices, whereis, scan, fault). */
int source_open_all_iommus(const struct source_opts *o, struct pgt_mem **mem,
			   struct pgt_iommu **ios, unsigned *n, struct pgt_error *err);
void source_close_iommus(struct pgt_iommu **ios, unsigned n);
/* The table of --device number which (0, or 1 for diff's B): an exit
 * status, err saying why. */
int source_open_device(const struct source_opts *o, unsigned which, struct source *s,
		       struct pgt_error *err);
/* A device's table in IOMMUs already open (fault --log): the same. */
int source_device_table(struct pgt_iommu **ios, unsigned n, struct pgt_mem *mem,
			const struct pgt_devid *id, bool untranslated_ok, struct source *s,
			struct pgt_error *err);

#endif

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

enum cfg_given {
	GIVEN_IAS = 1u << 0,
	GIVEN_OAS = 1u << 1,
	GIVEN_PGSIZES = 1u << 2,
	GIVEN_QUIRKS = 1u << 3,
	GIVEN_COHERENT = 1u << 4,
	GIVEN_OPTION = 1u << 5, /* a format's own option */
	GIVEN_PAGE = 1u << 6,
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
	struct pgt_cfg cfg;
	/* The format's own options given (--mode), by name: set once the
	 * format is known. */
	struct option_setting {
		const char *name;
		unsigned value;
	} opt[PGT_MAX_FORMAT_OPTIONS];
	unsigned n_opts;
	unsigned given; /* enum cfg_given */
	bool endian;	/* --endian given */
	bool big_endian;
};

enum source_kind { SOURCE_IMAGE, SOURCE_SPEC, SOURCE_MEMORY };

struct source {
	enum source_kind kind;
	const char *name;
	struct pgt_mem *mem;
	struct pgt_table *t;
	bool borrowed; /* a session's table: closing it leaves it alone */
};

bool source_opts_given(const struct source_opts *o);
/* Open path (an IMAGE or a spec) or, when path is NULL, the memory files.
 * editable: the table lives in an arena and may be changed. Returns the
 * exit status of the failure (the kernel refused the table: 1; the input
 * is unreadable or the options wrong: 2), err saying why; 0 on success. */
int source_open(const struct source_opts *o, const char *path, bool editable, struct source *s,
		struct pgt_error *err);
void source_close(struct source *s);

/* The format's default configuration with the options' changes; fails
 * when an option is not one the format has. */
int source_config(const struct source_opts *o, const struct pgt_format *fmt, struct pgt_cfg *cfg,
		  struct pgt_error *err);

/* The memory files of o as one memory, with the format and configuration
 * the options give (no roots: scan finds them). */
int source_open_memory(const struct source_opts *o, struct pgt_mem **mem,
		       const struct pgt_format **fmt, struct pgt_cfg *cfg, struct pgt_error *err);

#endif

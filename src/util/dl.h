/* SPDX-License-Identifier: MIT */
/*
 * The libraries libpgt loads on first use with dlopen, as kmod loads its
 * decompressors: libelf for ELF cores and IMAGEs, libyaml for specs, and
 * zlib, lzo, snappy and zstd for compressed kdump pages. A program that
 * walks tables in memory never loads one (and snappy's libstdc++ with it);
 * libpgt.so names none of them as needed.
 */
#ifndef PGT_UTIL_DL_H
#define PGT_UTIL_DL_H

#include <pthread.h>

#include "internal.h"

/* A function of the library, found by name into a pointer of its type. */
struct dl_sym {
	const char *name;
	void **fn;
};

struct dl_lib {
	const char *what;   /* "libelf", for messages */
	const char *soname; /* what dlopen opens: "libelf.so.1" */
	const struct dl_sym *syms;
	size_t n_syms;
	pthread_mutex_t lock;
	int state; /* 0: not tried; 1: loaded; a negative errno: it failed */
	char why[256];
};

#define DL_SYM(f) {#f, (void **)&dl_##f}
#define DL_LIB(what, soname, syms)                                                        \
	{what, soname, syms, sizeof(syms) / sizeof(syms[0]), PTHREAD_MUTEX_INITIALIZER, 0, ""}

/* Load the library once (later calls give the first one's result): 0, or
 * -ENOSYS with err saying which library could not be loaded and why. */
int dl_load(struct dl_lib *lib, struct pgt_error *err);

/* dl_load of libelf and of libyaml, whose functions util/dl_elf.h and
 * util/dl_yaml.h name. */
int dl_libelf(struct pgt_error *err);
int dl_libyaml(struct pgt_error *err);

#endif

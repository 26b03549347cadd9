// SPDX-License-Identifier: MIT
/* Loading a library on first use: its soname, then every function named. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "util/dl.h"

static int load(struct dl_lib *lib)
{
	/* RTLD_LOCAL: its symbols stay out of the program's namespace */
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();
		snprintf(lib->why, sizeof(lib->why), "%s", why ? why : "not found");
		return -ENOSYS;
	}
	for (size_t i = 0; i < lib->n_syms; i++) {
		*lib->syms[i].fn = dlsym(h, lib->syms[i].name);
		if (!*lib->syms[i].fn) {
			snprintf(lib->why, sizeof(lib->why), "it has no %s", lib->syms[i].name);
			dlclose(h);
			return -ENOSYS;
		}
	}
	/* kept open for the life of the process, as libpgt's objects may
	 * use it until their end */
	return 1;
}

int dl_load(struct dl_lib *lib, struct pgt_error *err)
{
	pthread_mutex_lock(&lib->lock);
	if (!lib->state)
		lib->state = load(lib);
	int state = lib->state;
	pthread_mutex_unlock(&lib->lock);
	if (state > 0)
		return 0;
	return pgt_fail(err, state, "cannot load %s (%s): %s", lib->what, lib->soname, lib->why);
}

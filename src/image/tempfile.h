/* SPDX-License-Identifier: MIT */
/*
 * The temporary file a replacement is written to (after git's tempfile.c).
 * It is locked (flock) for as long as its writer lives, so that what a
 * killed writer left behind can be told from a live writer's file, on any
 * host sharing the directory; and it is removed when a signal kills the
 * writer while it has a name.
 */
#ifndef PGT_IMAGE_TEMPFILE_H
#define PGT_IMAGE_TEMPFILE_H

#include <stdbool.h>
#include <sys/types.h>

struct tempfile {
	int dirfd; /* the directory it is in (not owned) */
	int fd;
	char *name; /* NULL while it is an unnamed O_TMPFILE */
};

/*
 * Create a temporary file for base in dirfd with mode (the umask applies),
 * named ".BASE.pgtctl-XXXXXX" or, where the filesystem has O_TMPFILE,
 * nameless until tempfile_name(). Returns 0 or -errno.
 */
int tempfile_create(struct tempfile *t, int dirfd, const char *base, mode_t mode);

/* Give a nameless temporary file its name (a no-op for a named one). */
int tempfile_name(struct tempfile *t, const char *base);

/* Rename it to target in its directory, replacing what is there. */
int tempfile_rename(struct tempfile *t, const char *target);

/* Make it target in its directory unless target exists (then -EEXIST). */
int tempfile_link_new(struct tempfile *t, const char *target);

/* Close it, and remove it if it still has its temporary name. */
void tempfile_discard(struct tempfile *t);

/*
 * Remove the temporary files of base in dirfd that no live writer holds:
 * only names of exactly the form tempfile_create() gives, regular files
 * of this user, unlocked.
 */
void tempfile_remove_stale(int dirfd, const char *base);

#endif

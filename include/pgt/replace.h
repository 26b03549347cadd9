/* SPDX-License-Identifier: MIT */
/*
 * Replacing a file safely, after git's lockfile.c: lock, write a temporary
 * file beside it, rename it over the file. A failed or interrupted writer
 * leaves the complete old file; concurrent writers take turns, so no
 * writer's change is lost; the file keeps its mode, owner and group.
 *
 * What the path names decides how it is written:
 * - a regular file is locked (flock(2) on it, which `flock FILE cmd`
 *   shares) and replaced; one with other hard links, without any write
 *   permission bit (even for root), or that the caller cannot open for
 *   writing is refused;
 * - no file: a new one is created, never replacing one made meanwhile;
 * - a device, a FIFO, or a link in /proc (/dev/stdout, /dev/fd/N): written
 *   through, as a shell's '>' would, never replaced;
 * - "-": standard output;
 * - a directory or a dangling symbolic link: an error.
 */
#ifndef PGT_REPLACE_H
#define PGT_REPLACE_H

#include "base.h"

/* One version of a file: it changes whenever the file is written. */
struct pgt_file_version {
	uint64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec;
};

/* The version of the file path names now; -errno when there is none. */
int pgt_file_version(const char *path, struct pgt_file_version *v);

struct pgt_replace;

enum pgt_replace_flags {
	/* an edit: path must name a regular file, read after begin */
	PGT_REPLACE_EXISTING = 1u << 0,
};

/*
 * Start replacing path: for a regular file, wait for its lock. With
 * expect, the file must still be that version (a session saving what it
 * loaded). The caller reads the file only now, and ends with
 * pgt_replace_end() whatever happened.
 */
int pgt_replace_begin(const char *path, unsigned flags, const struct pgt_file_version *expect,
		      struct pgt_replace **r, struct pgt_error *err);

/*
 * Write the new contents: fill() writes them to fd, which it may seek.
 * Refused, with nothing written, when another program changed the file
 * since begin.
 */
int pgt_replace_commit(struct pgt_replace *r, int (*fill)(int fd, void *ctx), void *ctx,
		       struct pgt_error *err);

/* The path as the caller gave it, for messages. */
const char *pgt_replace_path(const struct pgt_replace *r);

/* After a commit that replaced or created a file: its new version. */
int pgt_replace_written(const struct pgt_replace *r, struct pgt_file_version *v);

/* Release the lock and anything left of an unfinished write. */
void pgt_replace_end(struct pgt_replace *r);

/* Replace path with these bytes (begin, commit, end). */
int pgt_write_file(const char *path, const void *buf, size_t len, struct pgt_error *err);

#endif

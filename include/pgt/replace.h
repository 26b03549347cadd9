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

PGT_BEGIN_DECLS

/* One version of a file: it changes whenever the file is written. */
struct pgt_file_version {
	uint64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec;
};

/* The version of the file path names now. */
PGT_EXPORT int pgt_file_version(const char *path, struct pgt_file_version *v,
				struct pgt_error *err);

struct pgt_replace;

enum pgt_replace_flags {
	/* an edit: path must name a regular file, read after begin */
	PGT_REPLACE_EXISTING = 1u << 0,
	/* After replacing the file, remove the temporary files that writers
	 * of it left when they were killed (of this user, no longer locked,
	 * named exactly as libpgt names them). For a program that owns the
	 * files it writes, as pgtctl does; without it nothing but the file
	 * itself is touched. */
	PGT_REPLACE_REMOVE_STALE = 1u << 1,
};

/*
 * Let libpgt change the signal dispositions of the process while it
 * writes, for a program's main() to ask (a library using libpgt does not):
 * a handler for SIGHUP, SIGINT, SIGQUIT, SIGTERM and SIGPIPE while a
 * temporary file has a name, which removes it and raises the signal again,
 * and SIGXFSZ ignored during a write, so that a file size limit fails it
 * with -EFBIG. Off by default: then a killed writer's named temporary file
 * stays until PGT_REPLACE_REMOVE_STALE removes it, and the limit's signal
 * does what the program has it do.
 */
PGT_EXPORT void pgt_replace_guard_signals(bool on);

/*
 * Start replacing path: for a regular file, wait for its lock. With
 * expect, the file must still be that version (a session saving what it
 * loaded). The caller reads the file only now, and ends with
 * pgt_replace_end() whatever happened.
 */
PGT_EXPORT int pgt_replace_begin(const char *path, unsigned flags,
				 const struct pgt_file_version *expect,
		      struct pgt_replace **r, struct pgt_error *err);

/*
 * Write the new contents: fill() writes them to fd, which it may seek.
 * Refused, with nothing written, when another program changed the file
 * since begin.
 */
PGT_EXPORT int pgt_replace_commit(struct pgt_replace *r, int (*fill)(int fd, void *ctx), void *ctx,
		       struct pgt_error *err);

/* The path as the caller gave it, for messages. */
PGT_EXPORT const char *pgt_replace_path(const struct pgt_replace *r);

/* After a commit that replaced or created a file: its new version. */
PGT_EXPORT int pgt_replace_written(const struct pgt_replace *r, struct pgt_file_version *v);

/* Release the lock and anything left of an unfinished write. */
PGT_EXPORT void pgt_replace_end(struct pgt_replace *r);

/* Replace path with these bytes (begin with flags, commit, end). */
PGT_EXPORT int pgt_write_file(const char *path, const void *buf, size_t len, unsigned flags,
			      struct pgt_error *err);

PGT_END_DECLS

#endif

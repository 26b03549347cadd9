// SPDX-License-Identifier: MIT
/*
 * Crash-safe replacement of a file: write a temporary file in the same
 * directory, fsync it, rename it over the target, fsync the directory.
 * Readers see the complete old file or the complete new one, never a mix,
 * whenever the process dies or the disk fills.
 *
 * The temporary file is an unnamed O_TMPFILE where the filesystem has them,
 * given a name only just before the rename, so a kill at any other moment
 * leaves nothing behind; elsewhere it is a mkstemp() file, removed on error.
 * A process killed in the short moment between naming and renaming leaves
 * ".NAME.PID.N"; the next write of NAME removes it once PID is gone.
 */
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pgt/image.h"

struct tmpfile {
	int fd;
	char *name; /* NULL while it is an unnamed O_TMPFILE */
};

/* The file to replace: a symlink's target, so the link stays a link. */
static char *target_of(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(path, NULL);
		if (real)
			return real;
	}
	return strdup(path);
}

/* The new file gets the old one's permissions, or the umask's default. */
static mode_t mode_for(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

static int tmp_open(struct tmpfile *t, const char *dir, const char *base, mode_t mode)
{
	t->name = NULL;
#ifdef O_TMPFILE
	/* naming it later goes through /proc/self/fd */
	if (access("/proc/self/fd", X_OK) == 0) {
		t->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
		if (t->fd >= 0)
			return 0;
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			return -errno;
	}
#endif
	if (asprintf(&t->name, "%s/.%s.XXXXXX", dir, base) < 0) {
		t->name = NULL;
		return -ENOMEM;
	}
	t->fd = mkstemp(t->name);
	if (t->fd < 0 || fchmod(t->fd, mode) < 0) {
		int e = -errno;
		if (t->fd >= 0) {
			close(t->fd);
			unlink(t->name);
		}
		free(t->name);
		t->name = NULL;
		return e;
	}
	return 0;
}

/* Give an unnamed temporary file a name next to the target (linkat cannot
 * replace an existing file, so the rename still does the replacing). */
static int tmp_name(struct tmpfile *t, const char *dir, const char *base)
{
	if (t->name)
		return 0;
	char fdpath[64];
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", t->fd);
	for (unsigned try = 0; try < 100; try++) {
		char *name;
		if (asprintf(&name, "%s/.%s.%ld.%u", dir, base, (long)getpid(), try) < 0)
			return -ENOMEM;
		if (linkat(AT_FDCWD, fdpath, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
			t->name = name;
			return 0;
		}
		int e = errno;
		free(name);
		if (e != EEXIST)
			return -e;
	}
	return -EEXIST;
}

/* A killed writer may linger as a zombie until someone reaps it: gone all
 * the same. */
static bool process_alive(long pid)
{
	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return false;
	char path[64], state = 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return true;
	/* "pid (comm) S ...": the state follows the last ')' */
	char buf[512];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	char *rp = strrchr(buf, ')');
	if (rp && rp[1] == ' ')
		state = rp[2];
	return state != 'Z' && state != 'X';
}

/* Remove the named temporaries of earlier writers of this file that died. */
static void remove_dead_temporaries(const char *dir, const char *base)
{
	char *pattern;
	glob_t g;
	if (asprintf(&pattern, "%s/.%s.*.*", dir, base) < 0)
		return;
	if (glob(pattern, GLOB_NOSORT, NULL, &g) == 0) {
		size_t skip = strlen(dir) + 2 + strlen(base) + 1;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char *end;
			long pid = strtol(g.gl_pathv[i] + skip, &end, 10);
			if (end == g.gl_pathv[i] + skip || *end != '.' || pid <= 0 ||
			    strspn(end + 1, "0123456789") != strlen(end + 1))
				continue;
			if (!process_alive(pid))
				unlink(g.gl_pathv[i]);
		}
		globfree(&g);
	}
	free(pattern);
}

int pgt_atomic_write(const char *path, int (*fill)(int fd, void *ctx), void *ctx,
		     struct pgt_error *err)
{
	char *target = target_of(path), *d = target ? strdup(target) : NULL;
	char *b = target ? strdup(target) : NULL;
	struct tmpfile t = {-1, NULL};
	int rc;

	if (!target || !d || !b) {
		rc = pgt_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	const char *dir = dirname(d), *base = basename(b);
	rc = tmp_open(&t, dir, base, mode_for(target));
	if (rc) {
		rc = pgt_fail(err, rc, "%s: cannot create a temporary file in %s: %s", path, dir,
			      strerror(-rc));
		goto out;
	}
	rc = fill(t.fd, ctx);
	if (rc) {
		rc = pgt_fail(err, rc, "%s: writing failed: %s", path, strerror(-rc));
		goto out;
	}
	if (fsync(t.fd) < 0) {
		rc = pgt_fail(err, -errno, "%s: writing failed: fsync: %s", path, strerror(errno));
		goto out;
	}
	rc = tmp_name(&t, dir, base);
	if (rc) {
		rc = pgt_fail(err, rc, "%s: writing failed: naming the temporary file: %s", path,
			      strerror(-rc));
		goto out;
	}
	if (close(t.fd) < 0) {
		t.fd = -1;
		rc = pgt_fail(err, -errno, "%s: writing failed: close: %s", path, strerror(errno));
		goto out;
	}
	t.fd = -1;
	if (rename(t.name, target) < 0) {
		rc = pgt_fail(err, -errno, "%s: cannot replace: %s", path, strerror(errno));
		goto out;
	}
	free(t.name);
	t.name = NULL;
	remove_dead_temporaries(dir, base);
	/* the rename itself must reach the disk before we report success */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	if (t.fd >= 0)
		close(t.fd);
	if (t.name) {
		unlink(t.name);
		free(t.name);
	}
	free(target);
	free(d);
	free(b);
	return rc;
}

struct bytes {
	const void *buf;
	size_t len;
};

static int write_bytes(int fd, void *ctx)
{
	const struct bytes *b = ctx;
	const char *p = b->buf;
	size_t left = b->len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		left -= (size_t)w;
	}
	return 0;
}

int pgt_write_file(const char *path, const void *buf, size_t len, struct pgt_error *err)
{
	struct bytes b = {buf, len};
	return pgt_atomic_write(path, write_bytes, &b, err);
}

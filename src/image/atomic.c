// SPDX-License-Identifier: MIT
/*
 * Crash-safe replacement of a file: write a temporary file in the same
 * directory, fsync it, rename it over the target, fsync the directory.
 * Readers see the complete old file or the complete new one, never a mix.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pgt/image.h"

int pgt_atomic_write(const char *path, int (*fill)(int fd, void *ctx), void *ctx,
		     struct pgt_error *err)
{
	char *d = strdup(path), *b = strdup(path), *tmp = NULL;
	int fd = -1, rc;

	if (!d || !b) {
		rc = pgt_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	const char *dir = dirname(d), *base = basename(b);
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
		tmp = NULL;
		rc = pgt_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = pgt_fail(err, -errno, "%s: cannot create a temporary file in %s: %s", path, dir,
			      strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0) {
		rc = pgt_fail(err, -errno, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	rc = fill(fd, ctx);
	if (rc) {
		rc = pgt_fail(err, rc, "%s: writing failed: %s", path, strerror(-rc));
		goto out;
	}
	if (fsync(fd) < 0) {
		rc = pgt_fail(err, -errno, "%s: fsync failed: %s", path, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = pgt_fail(err, -errno, "%s: close failed: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		rc = pgt_fail(err, -errno, "%s: cannot replace: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
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

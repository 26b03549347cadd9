// SPDX-License-Identifier: MIT
/*
 * Crash-safe, lost-update-free replacement of a file (see pgt/replace.h).
 *
 * A regular file is replaced by a temporary file in its directory: written,
 * given the old file's mode, owner and group, fsynced, renamed over it, and
 * the directory fsynced. Readers see the complete old file or the complete
 * new one whenever the writer dies or the disk fills.
 *
 * Writers take turns through flock(2) on the file they replace, held from
 * before they read it until after the rename. A writer that waited for the
 * lock finds the name now holds another file (the one its predecessor
 * renamed there) and locks that one instead, so it reads what was last
 * written. Programs that take no lock are caught before the rename: a file
 * whose version (inode, size, mtime) changed since it was read is not
 * replaced.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "pgt/replace.h"
#include "tempfile.h"

enum kind {
	KIND_NEW,     /* no file yet: created, never over one made meanwhile */
	KIND_LOCKED,  /* a regular file, locked */
	KIND_THROUGH, /* a device, FIFO or /proc link: written through */
	KIND_STDOUT,  /* "-" */
};

struct pgt_replace {
	char *path;	  /* as the caller gave it */
	char *target;	  /* the file it names, symbolic links followed */
	char *dir, *base; /* target's directory and name in it */
	int dirfd;
	int lockfd;
	enum kind kind;
	struct stat st; /* the locked file */
	bool written;
	struct pgt_file_version version; /* KIND_LOCKED: as read; after a commit: as written */
};

static void version_of(const struct stat *st, struct pgt_file_version *v)
{
	*v = (struct pgt_file_version){
		.dev = st->st_dev,
		.ino = st->st_ino,
		.size = (uint64_t)st->st_size,
		.mtime_sec = st->st_mtim.tv_sec,
		.mtime_nsec = st->st_mtim.tv_nsec,
	};
}

static bool same_version(const struct pgt_file_version *a, const struct pgt_file_version *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec;
}

int pgt_file_version(const char *path, struct pgt_file_version *v)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -errno;
	version_of(&st, v);
	return 0;
}

static char *dir_of(const char *p)
{
	const char *slash = strrchr(p, '/');
	if (!slash)
		return strdup(".");
	return slash == p ? strdup("/") : strndup(p, (size_t)(slash - p));
}

static char *read_link(const char *p)
{
	for (size_t len = 256; len <= (1u << 20); len *= 2) {
		char *buf = malloc(len);
		if (!buf)
			return NULL;
		ssize_t n = readlink(p, buf, len);
		if (n >= 0 && (size_t)n < len) {
			buf[n] = 0;
			return buf;
		}
		free(buf);
		if (n < 0)
			return NULL;
	}
	errno = ENAMETOOLONG;
	return NULL;
}

/* A symbolic link in /proc (/dev/stdout leads to one) names an open file,
 * which may be a pipe or a deleted file: not a place to put a new file. */
static bool in_proc(const char *link)
{
	char *dir = dir_of(link);
	struct statfs fs;
	bool proc = dir && statfs(dir, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
	free(dir);
	return proc;
}

/*
 * Follow path's symbolic links to the name of the file itself (which may
 * not exist), so that a link stays a link. *via_link: a link was followed;
 * *proc: a link in /proc was found and not followed (unless follow_proc).
 */
static int resolve(const char *path, bool follow_proc, char **out, bool *via_link, bool *proc)
{
	char *p = strdup(path);
	*via_link = *proc = false;
	for (unsigned hops = 0; p; hops++) {
		struct stat st;
		if (lstat(p, &st) < 0 || !S_ISLNK(st.st_mode)) {
			*out = p;
			return 0;
		}
		if (hops == 40) {
			free(p);
			return -ELOOP;
		}
		if (!follow_proc && in_proc(p)) {
			*proc = true;
			*out = p;
			return 0;
		}
		char *link = read_link(p), *next = link;
		if (!link) {
			int e = errno;
			free(p);
			return -e;
		}
		/* a relative link is relative to the link's directory */
		char *dir = link[0] == '/' ? NULL : dir_of(p);
		if (link[0] != '/' && (!dir || strcmp(dir, "."))) {
			if (!dir || asprintf(&next, "%s/%s", dir, link) < 0)
				next = NULL;
			free(link);
		}
		free(dir);
		free(p);
		p = next;
		*via_link = true;
	}
	return -ENOMEM;
}

static int changed(struct pgt_replace *r, struct pgt_error *err)
{
	return pgt_fail(err, -ESTALE, "%s: another program changed it since pgtctl read it: not replaced",
			r->path);
}

/* "b.img, 1 elsewhere": the other names of a file with hard links. */
static void other_links(const struct pgt_replace *r, char *buf, size_t len)
{
	uintmax_t found = 0, others = (uintmax_t)r->st.st_nlink - 1;
	int d = openat(r->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = d >= 0 ? fdopendir(d) : NULL;
	buf[0] = 0;
	if (!dir && d >= 0)
		close(d);
	for (struct dirent *e; dir && found < others && (e = readdir(dir));) {
		struct stat st;
		if (strcmp(e->d_name, r->base) &&
		    !fstatat(r->dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
		    st.st_dev == r->st.st_dev && st.st_ino == r->st.st_ino) {
			char name[512];
			snprintf(name, sizeof(name), "%s%s%s", strcmp(r->dir, ".") ? r->dir : "",
				 strcmp(r->dir, ".") ? "/" : "", e->d_name);
			pgt_join(buf, len, ", ", name);
			found++;
		}
	}
	if (dir)
		closedir(dir);
	if (found < others) {
		char more[64];
		snprintf(more, sizeof(more), "%ju elsewhere", others - found);
		pgt_join(buf, len, ", ", more);
	}
}

/* Wait for the lock on the regular file r->target names; -EAGAIN when
 * that name was given another file meanwhile, to be resolved again. */
static int lock_target(struct pgt_replace *r, const struct pgt_file_version *expect,
		       struct pgt_error *err)
{
	/* open for writing: the kernel's own check of write permission, and
	 * what an exclusive lock over NFS needs */
	int fd = open(r->target, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ELOOP)
			return -EAGAIN;
		return pgt_fail(err, -errno, "%s: not writable: %s", r->path, strerror(errno));
	}
	struct stat now;
	int rc;
	while ((rc = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		rc = pgt_fail(err, -errno, "%s: cannot lock: %s", r->path, strerror(errno));
		close(fd);
		return rc;
	}
	if (fstat(fd, &r->st) < 0 || stat(r->target, &now) < 0 || !S_ISREG(r->st.st_mode) ||
	    now.st_dev != r->st.st_dev || now.st_ino != r->st.st_ino) {
		close(fd);
		return -EAGAIN;
	}
	r->lockfd = fd;
	r->kind = KIND_LOCKED;
	version_of(&r->st, &r->version);
	if (r->st.st_nlink > 1) {
		char names[256];
		other_links(r, names, sizeof(names));
		return pgt_fail(err, -EMLINK,
				"%s: it has other hard links (%s): replacing it would split them, so it "
				"is not replaced",
				r->path, names);
	}
	/* root may write anything; a file nobody may write is still not
	 * replaced, as chmod a-w asked */
	if (!(r->st.st_mode & 0222))
		return pgt_fail(err, -EACCES,
				"%s: write-protected (mode %04o): pgtctl replaces no file without "
				"write permission, even as root",
				r->path, (unsigned)(r->st.st_mode & 07777));
	if (expect && !same_version(expect, &r->version))
		return changed(r, err);
	return 0;
}

static int open_dir(struct pgt_replace *r, struct pgt_error *err)
{
	free(r->dir);
	r->dir = dir_of(r->target);
	const char *slash = strrchr(r->target, '/');
	r->base = (char *)(slash ? slash + 1 : r->target);
	if (!r->dir)
		return pgt_fail(err, -ENOMEM, "out of memory");
	if (!*r->base)
		return pgt_fail(err, -EISDIR, "%s: cannot replace: %s", r->path, strerror(EISDIR));
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = open(r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->dirfd < 0)
		return pgt_fail(err, -errno, "%s: cannot create a temporary file in %s: %s", r->path,
				r->dir, strerror(errno));
	return 0;
}

/* What the path names now, and its lock if it is a regular file. */
static int find_target(struct pgt_replace *r, unsigned flags,
		       const struct pgt_file_version *expect, struct pgt_error *err)
{
	bool via_link, proc;
	free(r->target);
	r->target = NULL;
	int rc = resolve(r->path, flags & PGT_REPLACE_EXISTING, &r->target, &via_link, &proc);
	if (rc == -ENOMEM)
		return pgt_fail(err, rc, "out of memory");
	if (rc)
		return pgt_fail(err, rc, "%s: cannot replace: %s", r->path, strerror(-rc));
	struct stat st;
	if (proc) {
		r->kind = KIND_THROUGH;
	} else if (stat(r->target, &st) < 0) {
		if (errno == ENOENT && via_link)
			return pgt_fail(err, -ENOENT, "%s: a dangling symbolic link (to %s)", r->path,
					r->target);
		if (errno != ENOENT || (flags & PGT_REPLACE_EXISTING))
			return pgt_fail(err, -errno, "%s: cannot replace: %s", r->path, strerror(errno));
		r->kind = KIND_NEW;
	} else if (S_ISDIR(st.st_mode)) {
		return pgt_fail(err, -EISDIR, "%s: cannot replace: %s", r->path, strerror(EISDIR));
	} else if (!S_ISREG(st.st_mode)) {
		r->kind = KIND_THROUGH;
	} else {
		if ((rc = open_dir(r, err)))
			return rc;
		return lock_target(r, expect, err);
	}
	if (r->kind == KIND_THROUGH && (flags & PGT_REPLACE_EXISTING))
		return pgt_fail(err, -EINVAL, "%s: not a regular file", r->path);
	if (expect)
		return changed(r, err);
	return r->kind == KIND_NEW ? open_dir(r, err) : 0;
}

int pgt_replace_begin(const char *path, unsigned flags, const struct pgt_file_version *expect,
		      struct pgt_replace **out, struct pgt_error *err)
{
	struct pgt_replace *r = calloc(1, sizeof(*r));
	*out = r;
	if (r)
		r->dirfd = r->lockfd = -1;
	if (!r || !(r->path = strdup(path)))
		return pgt_fail(err, -ENOMEM, "out of memory");
	/* an edit's "-" is a file of that name */
	if (!strcmp(path, "-") && !(flags & PGT_REPLACE_EXISTING)) {
		r->kind = KIND_STDOUT;
		return expect ? changed(r, err) : 0;
	}
	int rc;
	while ((rc = find_target(r, flags, expect, err)) == -EAGAIN)
		;
	return rc;
}

const char *pgt_replace_path(const struct pgt_replace *r)
{
	return r->path;
}

int pgt_replace_written(const struct pgt_replace *r, struct pgt_file_version *v)
{
	if (!r->written)
		return -ENOENT;
	*v = r->version;
	return 0;
}

void pgt_replace_end(struct pgt_replace *r)
{
	if (!r)
		return;
	if (r->lockfd >= 0)
		close(r->lockfd);
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r->dir);
	free(r->target);
	free(r->path);
	free(r);
}

/* --- writing ---------------------------------------------------------------- */

static int keep_attributes(struct pgt_replace *r, int fd, struct pgt_error *err)
{
	struct stat now;
	if (fstat(fd, &now) < 0)
		return pgt_fail(err, -errno, "%s: writing failed: %s", r->path, strerror(errno));
	/* only root may give a file away; anyone else editing another user's
	 * file would take it over, so that is refused */
	if ((now.st_uid != r->st.st_uid || now.st_gid != r->st.st_gid) &&
	    fchown(fd, r->st.st_uid, r->st.st_gid) < 0)
		return pgt_fail(err, -errno, "%s: cannot keep its owner and group (%ju:%ju): %s", r->path,
				(uintmax_t)r->st.st_uid, (uintmax_t)r->st.st_gid, strerror(errno));
	/* after fchown, which clears set-id bits; exactly, umask or not */
	if (fchmod(fd, r->st.st_mode & 07777) < 0)
		return pgt_fail(err, -errno, "%s: writing failed: %s", r->path, strerror(errno));
	return 0;
}

/* The file is still the one locked, as it was when it was read. */
static int check_unchanged(struct pgt_replace *r, struct pgt_error *err)
{
	struct stat now, locked;
	struct pgt_file_version v;
	if (stat(r->target, &now) < 0 || fstat(r->lockfd, &locked) < 0 ||
	    now.st_dev != locked.st_dev || now.st_ino != locked.st_ino)
		return changed(r, err);
	version_of(&locked, &v);
	return same_version(&v, &r->version) ? 0 : changed(r, err);
}

static int write_replacement(struct pgt_replace *r, int (*fill)(int fd, void *ctx), void *ctx,
			     struct pgt_error *err)
{
	bool replacing = r->kind == KIND_LOCKED;
	struct tempfile t;
	struct stat st;
	/* a replacement stays private until it has the old file's attributes;
	 * a new file is made as open(O_CREAT) would */
	int rc = tempfile_create(&t, r->dirfd, r->base, replacing ? 0600 : 0666);
	if (rc)
		return pgt_fail(err, rc, "%s: cannot create a temporary file in %s: %s", r->path, r->dir,
				strerror(-rc));
	if ((rc = fill(t.fd, ctx))) {
		rc = pgt_fail(err, rc, "%s: writing failed: %s", r->path, strerror(-rc));
		goto out;
	}
	if (replacing && (rc = keep_attributes(r, t.fd, err)))
		goto out;
	if (fsync(t.fd) < 0 || fstat(t.fd, &st) < 0) {
		rc = pgt_fail(err, -errno, "%s: writing failed: fsync: %s", r->path, strerror(errno));
		goto out;
	}
	if (replacing) {
		if ((rc = check_unchanged(r, err)))
			goto out;
		if ((rc = tempfile_name(&t, r->base))) {
			rc = pgt_fail(err, rc, "%s: writing failed: naming the temporary file: %s", r->path,
				      strerror(-rc));
			goto out;
		}
		rc = tempfile_rename(&t, r->base);
	} else {
		rc = tempfile_link_new(&t, r->base);
	}
	if (rc) {
		rc = pgt_fail(err, rc, "%s: cannot replace: %s", r->path, strerror(-rc));
		goto out;
	}
	/* the rename itself must reach the disk before success is reported */
	fsync(r->dirfd);
	version_of(&st, &r->version);
	r->written = true;
	tempfile_remove_stale(r->dirfd, r->base);
out:
	tempfile_discard(&t);
	return rc;
}

static int copy_fd(int from, int to)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(from, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(to, buf + done, (size_t)(n - done));
			if (w < 0 && errno != EINTR)
				return -errno;
			if (w == 0)
				return -EIO;
			if (w > 0)
				done += w;
		}
	}
}

/*
 * A device, a FIFO or standard output gets the bytes once, in order: fill()
 * may seek (libelf does), so it writes to memory first. Nothing to replace,
 * so nothing to keep: a write error can leave a part written, as with any
 * program writing to a pipe.
 */
static int write_through(struct pgt_replace *r, int (*fill)(int fd, void *ctx), void *ctx,
			 struct pgt_error *err)
{
	int mem = memfd_create("pgtctl-output", MFD_CLOEXEC);
	if (mem < 0)
		return pgt_fail(err, -errno, "%s: writing failed: %s", r->path, strerror(errno));
	int rc = fill(mem, ctx), out = STDOUT_FILENO;
	if (!rc && lseek(mem, 0, SEEK_SET) < 0)
		rc = -errno;
	if (!rc && r->kind == KIND_THROUGH &&
	    (out = open(r->path, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC)) < 0)
		rc = -errno;
	if (!rc && out == STDOUT_FILENO)
		fflush(stdout);
	if (!rc)
		rc = copy_fd(mem, out);
	if (rc)
		pgt_fail(err, rc, "%s: writing failed: %s", r->path, strerror(-rc));
	if (out >= 0 && out != STDOUT_FILENO && close(out) < 0 && !rc)
		rc = pgt_fail(err, -errno, "%s: writing failed: close: %s", r->path, strerror(errno));
	close(mem);
	return rc;
}

int pgt_replace_commit(struct pgt_replace *r, int (*fill)(int fd, void *ctx), void *ctx,
		       struct pgt_error *err)
{
	/* a file size limit fails this write with EFBIG, reported as such,
	 * instead of killing the process with SIGXFSZ */
	struct sigaction ignore = {.sa_handler = SIG_IGN}, old;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGXFSZ, &ignore, &old);
	int rc = r->kind == KIND_THROUGH || r->kind == KIND_STDOUT
			 ? write_through(r, fill, ctx, err)
			 : write_replacement(r, fill, ctx, err);
	sigaction(SIGXFSZ, &old, NULL);
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
	struct pgt_replace *r;
	int rc = pgt_replace_begin(path, 0, NULL, &r, err);
	if (!rc)
		rc = pgt_replace_commit(r, write_bytes, &b, err);
	pgt_replace_end(r);
	return rc;
}

// SPDX-License-Identifier: MIT
/*
 * Temporary files for replacements. An O_TMPFILE has no name until just
 * before the rename, so a kill at any other moment leaves nothing; where
 * the filesystem has none (NFS, FUSE) the file is named from the start.
 * Either way a named temporary file is removed when a signal ends the
 * writer, and what SIGKILL leaves is removed by the next write of the same
 * target: its writer's lock is gone with the writer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tempfile.h"

#define TAG ".pgtctl-"
#define RANDOM_LEN 6
/* ".BASE" + TAG + RANDOM_LEN within NAME_MAX: longer bases are cut */
#define BASE_MAX ((int)(NAME_MAX - 1 - (sizeof(TAG) - 1) - RANDOM_LEN))

static const char name_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static char *random_name(const char *base)
{
	static unsigned counter;
	unsigned char rnd[RANDOM_LEN];
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec ^
				       ((unsigned long long)ts.tv_sec << 30) ^
				       ((unsigned long long)getpid() << 40) ^ counter++;
		for (unsigned i = 0; i < RANDOM_LEN; i++, x >>= 8)
			rnd[i] = (unsigned char)x;
	}
	char suffix[RANDOM_LEN + 1];
	for (unsigned i = 0; i < RANDOM_LEN; i++)
		suffix[i] = name_chars[rnd[i] % (sizeof(name_chars) - 1)];
	suffix[RANDOM_LEN] = 0;
	char *name;
	if (asprintf(&name, ".%.*s" TAG "%s", BASE_MAX, base, suffix) < 0)
		return NULL;
	return name;
}

/* Exactly a name random_name(base) gives: nothing else is ever removed. */
static bool is_temp_name(const char *name, const char *base)
{
	size_t b = strnlen(base, BASE_MAX), tag = sizeof(TAG) - 1;
	if (name[0] != '.' || strncmp(name + 1, base, b) || strncmp(name + 1 + b, TAG, tag))
		return false;
	const char *rnd = name + 1 + b + tag;
	return strlen(rnd) == RANDOM_LEN && strspn(rnd, name_chars) == RANDOM_LEN;
}

static mode_t umask_now(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return mask;
}

/* --- removal on a signal ------------------------------------------------- */

/* git's sigchain_push_common(): the signals that end a command */
static const int guarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE};
#define N_GUARDED (sizeof(guarded) / sizeof(guarded[0]))

static struct {
	int dirfd;
	const char *volatile name; /* the named temporary file, if any */
	struct sigaction old[N_GUARDED];
	volatile sig_atomic_t installed;
} guard;

static void guard_uninstall(void)
{
	if (!guard.installed)
		return;
	guard.installed = 0;
	for (unsigned i = 0; i < N_GUARDED; i++)
		sigaction(guarded[i], &guard.old[i], NULL);
}

/* Remove the file, then let the signal do what it would have done. */
static void guard_signal(int sig)
{
	const char *name = guard.name;
	guard.name = NULL;
	if (name)
		unlinkat(guard.dirfd, name, 0);
	guard_uninstall();
	raise(sig);
}

/* Name changes happen with the guarded signals held back, so that the
 * handler never sees a name that is not yet, or no longer, ours. */
static void guard_block(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (unsigned i = 0; i < N_GUARDED; i++)
		sigaddset(&set, guarded[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void guard_unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

static void guard_set(int dirfd, const char *name)
{
	guard.dirfd = dirfd;
	guard.name = name;
	if (guard.installed)
		return;
	struct sigaction sa = {.sa_handler = guard_signal};
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < N_GUARDED; i++) {
		sigaction(guarded[i], NULL, &guard.old[i]);
		/* an ignored signal ends nothing: leave it ignored */
		if (guard.old[i].sa_handler != SIG_IGN)
			sigaction(guarded[i], &sa, NULL);
	}
	guard.installed = 1;
}

static void guard_clear(void)
{
	guard.name = NULL;
	guard_uninstall();
}

/* --- the file ------------------------------------------------------------- */

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Take the lock of a new named file. A cleaner that took it for a dead
 * writer's between its creation and the lock has removed it: -EAGAIN. */
static int lock_named(struct tempfile *t)
{
	struct stat a, b;
	while (flock(t->fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return -errno;
	if (fstat(t->fd, &a) || fstatat(t->dirfd, t->name, &b, AT_SYMLINK_NOFOLLOW) ||
	    !same_file(&a, &b))
		return -EAGAIN;
	return 0;
}

static void drop_name(struct tempfile *t, bool unlink_it)
{
	sigset_t old;
	guard_block(&old);
	if (unlink_it)
		unlinkat(t->dirfd, t->name, 0);
	guard_clear();
	guard_unblock(&old);
	free(t->name);
	t->name = NULL;
}

int tempfile_create(struct tempfile *t, int dirfd, const char *base, mode_t mode)
{
	t->dirfd = dirfd;
	t->fd = -1;
	t->name = NULL;
#ifdef O_TMPFILE
	/* naming it later goes through /proc/self/fd */
	if (access("/proc/self/fd", X_OK) == 0) {
		t->fd = openat(dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
		if (t->fd >= 0) {
			if (flock(t->fd, LOCK_EX) == 0)
				return 0;
			int e = errno;
			close(t->fd);
			t->fd = -1;
			return -e;
		}
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			return -errno;
	}
#endif
	for (unsigned tries = 0; tries < 100; tries++) {
		char *name = random_name(base);
		if (!name)
			return -ENOMEM;
		sigset_t old;
		guard_block(&old);
		int fd = openat(dirfd, name, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
		int e = errno;
		if (fd >= 0) {
			t->fd = fd;
			t->name = name;
			guard_set(dirfd, name);
		}
		guard_unblock(&old);
		if (fd < 0) {
			free(name);
			if (e == EEXIST)
				continue;
			return -e;
		}
		int rc = lock_named(t);
		if (rc == -EAGAIN) {
			drop_name(t, false);
			close(t->fd);
			t->fd = -1;
			continue;
		}
		if (!rc && fchmod(t->fd, mode & ~umask_now()))
			rc = -errno;
		if (rc)
			tempfile_discard(t);
		return rc;
	}
	return -EEXIST;
}

int tempfile_name(struct tempfile *t, const char *base)
{
	if (t->name)
		return 0;
	char fdpath[64];
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", t->fd);
	for (unsigned tries = 0; tries < 100; tries++) {
		char *name = random_name(base);
		if (!name)
			return -ENOMEM;
		sigset_t old;
		guard_block(&old);
		int rc = linkat(AT_FDCWD, fdpath, t->dirfd, name, AT_SYMLINK_FOLLOW);
		int e = errno;
		if (rc == 0) {
			t->name = name;
			guard_set(t->dirfd, name);
		}
		guard_unblock(&old);
		if (rc == 0)
			return 0;
		free(name);
		if (e != EEXIST)
			return -e;
	}
	return -EEXIST;
}

int tempfile_rename(struct tempfile *t, const char *target)
{
	sigset_t old;
	guard_block(&old);
	int rc = renameat(t->dirfd, t->name, t->dirfd, target);
	int e = errno;
	if (rc == 0)
		guard_clear();
	guard_unblock(&old);
	if (rc < 0)
		return -e;
	free(t->name);
	t->name = NULL;
	return 0;
}

/* A named file becomes target without replacing one: renameat2 where the
 * filesystem has RENAME_NOREPLACE, else a hard link, else (a filesystem
 * with neither) a rename right after seeing that target is absent. */
static int rename_noreplace(struct tempfile *t, const char *target)
{
	if (renameat2(t->dirfd, t->name, t->dirfd, target, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -errno;
	if (linkat(t->dirfd, t->name, t->dirfd, target, 0) == 0) {
		unlinkat(t->dirfd, t->name, 0);
		return 0;
	}
	if (errno != EPERM && errno != EOPNOTSUPP)
		return -errno;
	struct stat st;
	if (fstatat(t->dirfd, target, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return -EEXIST;
	return renameat(t->dirfd, t->name, t->dirfd, target) ? -errno : 0;
}

int tempfile_link_new(struct tempfile *t, const char *target)
{
	if (!t->name) {
		char fdpath[64];
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", t->fd);
		return linkat(AT_FDCWD, fdpath, t->dirfd, target, AT_SYMLINK_FOLLOW) ? -errno : 0;
	}
	sigset_t old;
	guard_block(&old);
	int rc = rename_noreplace(t, target);
	if (rc == 0)
		guard_clear();
	guard_unblock(&old);
	if (rc == 0) {
		free(t->name);
		t->name = NULL;
	}
	return rc;
}

void tempfile_discard(struct tempfile *t)
{
	if (t->name)
		drop_name(t, true);
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

void tempfile_remove_stale(int dirfd, const char *base)
{
	int d = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = d >= 0 ? fdopendir(d) : NULL;
	if (!dir) {
		if (d >= 0)
			close(d);
		return;
	}
	uid_t me = geteuid();
	for (struct dirent *e; (e = readdir(dir));) {
		if (!is_temp_name(e->d_name, base))
			continue;
		/* an exclusive lock over NFS needs the file open for writing */
		int flags = O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
		int fd = openat(dirfd, e->d_name, O_RDWR | flags);
		if (fd < 0 && errno == EACCES)
			fd = openat(dirfd, e->d_name, O_RDONLY | flags);
		if (fd < 0)
			continue;
		struct stat a, b;
		if (!fstat(fd, &a) && S_ISREG(a.st_mode) && (a.st_uid == me || me == 0) &&
		    !flock(fd, LOCK_EX | LOCK_NB) &&
		    !fstatat(dirfd, e->d_name, &b, AT_SYMLINK_NOFOLLOW) && same_file(&a, &b))
			unlinkat(dirfd, e->d_name, 0);
		close(fd);
	}
	closedir(dir);
}

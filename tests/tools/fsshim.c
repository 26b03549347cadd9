// SPDX-License-Identifier: MIT
/*
 * LD_PRELOAD=fsshim.so: pgtctl on a filesystem as NFS or FUSE shows it,
 * for the tests of file replacement.
 *
 *   always                 open(O_TMPFILE) fails with EOPNOTSUPP
 *   FSSHIM_NOLOCK=1        flock() fails with ENOLCK (no lock manager)
 *   FSSHIM_STOP=fsync      the process stops itself (SIGSTOP) before its
 *                          first fsync(), so that a test can signal a
 *                          writer while its temporary file exists
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static int no_tmpfile(int flags)
{
	if ((flags & O_TMPFILE) != O_TMPFILE)
		return 0;
	errno = EOPNOTSUPP;
	return 1;
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

#define SHIM_OPEN(name)                                                                  \
	int name(const char *path, int flags, ...)                                       \
	{                                                                                \
		static int (*real)(const char *, int, ...);                              \
		va_list ap;                                                              \
		va_start(ap, flags);                                                     \
		mode_t mode = mode_arg(flags, ap);                                       \
		va_end(ap);                                                              \
		if (no_tmpfile(flags))                                                   \
			return -1;                                                       \
		if (!real)                                                               \
			real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
		return real(path, flags, mode);                                          \
	}

#define SHIM_OPENAT(name)                                                                     \
	int name(int dirfd, const char *path, int flags, ...)                                 \
	{                                                                                     \
		static int (*real)(int, const char *, int, ...);                              \
		va_list ap;                                                                   \
		va_start(ap, flags);                                                          \
		mode_t mode = mode_arg(flags, ap);                                            \
		va_end(ap);                                                                   \
		if (no_tmpfile(flags))                                                        \
			return -1;                                                            \
		if (!real)                                                                    \
			real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #name); \
		return real(dirfd, path, flags, mode);                                        \
	}

SHIM_OPEN(open)
SHIM_OPEN(open64)
SHIM_OPENAT(openat)
SHIM_OPENAT(openat64)

int flock(int fd, int op)
{
	static int (*real)(int, int);
	const char *e = getenv("FSSHIM_NOLOCK");
	if (e && !strcmp(e, "1")) {
		errno = ENOLCK;
		return -1;
	}
	if (!real)
		real = (int (*)(int, int))dlsym(RTLD_NEXT, "flock");
	return real(fd, op);
}

int fsync(int fd)
{
	static int (*real)(int);
	static int stopped;
	const char *e = getenv("FSSHIM_STOP");
	if (e && !strcmp(e, "fsync") && !stopped++)
		raise(SIGSTOP);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	return real(fd);
}

// SPDX-License-Identifier: MIT
/* A crash dump of whichever kind, told apart by its first bytes, not its name. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kdump.h"
#include "pgt/mem.h"

struct pgt_mem *pgt_dump_open(const char *path, struct pgt_error *err)
{
	unsigned char magic[16] = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pgt_fail(err, -errno, "%s: %s", path, strerror(errno));
		return NULL;
	}
	ssize_t n = pread(fd, magic, sizeof(magic), 0);
	int e = errno;
	close(fd);
	if (n < 0) {
		pgt_fail(err, -e, "%s: %s", path, strerror(e));
		return NULL;
	}
	if (n >= 4 && !memcmp(magic, "\177ELF", 4))
		return pgt_elfcore_open(path, err);
	if ((n >= KDUMP_SIG_LEN && !memcmp(magic, KDUMP_SIGNATURE, KDUMP_SIG_LEN)) ||
	    (n >= (ssize_t)sizeof(FLAT_SIGNATURE) - 1 &&
	     !memcmp(magic, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE) - 1)))
		return pgt_kdump_open(path, err);
	if (n >= 8 && !memcmp(magic, "DISKDUMP", 8))
		pgt_fail(err, -EINVAL, "%s: an old diskdump (\"DISKDUMP\") file, which is not read",
			 path);
	else
		pgt_fail(err, -EINVAL,
			 "%s: not a crash dump: neither an ELF core, a compressed kdump "
			 "(\"KDUMP   \") nor a flattened one (\"makedumpfile\"); raw memory "
			 "has no header and needs its base address (--raw FILE --base PA)",
			 path);
	return NULL;
}

// SPDX-License-Identifier: MIT
#include "util/mapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int pgt_mapfile_open(struct pgt_mapfile *m, const char *path, struct pgt_error *err)
{
	memset(m, 0, sizeof(*m));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pgt_fail(err, -errno, "%s: %s", path, strerror(errno));
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		rc = pgt_fail(err, -EINVAL, "%s: not a regular file", path);
	else if (st.st_size) {
		/* MAP_PRIVATE: a writer replacing the file by rename cannot
		 * change what this mapping shows */
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			rc = pgt_fail(err, -errno, "%s: cannot map: %s", path, strerror(errno));
		else {
			m->data = p;
			m->size = (uint64_t)st.st_size;
		}
	}
	close(fd);
	return rc;
}

void pgt_mapfile_close(struct pgt_mapfile *m)
{
	if (m->data)
		munmap((void *)m->data, m->size);
	memset(m, 0, sizeof(*m));
}

// SPDX-License-Identifier: MIT
/* A crash dump of whichever kind, told apart by its first bytes, not its name. */
#include <errno.h>
#include <string.h>

#include "kdump.h"
#include "pgt/mem.h"
#include "util/infile.h"

struct pgt_mem *pgt_dump_open(const char *path, struct pgt_error *err)
{
	unsigned char magic[16] = {0};
	struct pgt_infile f;
	if (pgt_infile_open(&f, path, err))
		return NULL;
	long n = f.size < sizeof(magic) ? (long)f.size : (long)sizeof(magic);
	if (pgt_infile_read(&f, 0, magic, (uint64_t)n)) {
		pgt_fail(err, -EIO, "%s", f.why);
		pgt_infile_close(&f);
		return NULL;
	}
	pgt_infile_close(&f);
	if (n >= 4 && !memcmp(magic, "\177ELF", 4))
		return pgt_elfcore_open(path, err);
	if ((n >= KDUMP_SIG_LEN && !memcmp(magic, KDUMP_SIGNATURE, KDUMP_SIG_LEN)) ||
	    (n >= (long)sizeof(FLAT_SIGNATURE) - 1 &&
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

// SPDX-License-Identifier: MIT
/* A crash dump of whichever kind, told apart by its first bytes, not its name. */
#include <errno.h>
#include <string.h>

#include "kdump.h"
#include "internal.h"
#include "util/infile.h"

int pgt_dump_open(const char *path, struct pgt_mem **out, struct pgt_error *err)
{
	unsigned char magic[16] = {0};
	struct pgt_infile f;
	int rc = pgt_infile_open(&f, path, err);
	if (rc)
		return rc;
	long n = f.size < sizeof(magic) ? (long)f.size : (long)sizeof(magic);
	if (pgt_infile_read(&f, 0, magic, (uint64_t)n)) {
		rc = pgt_fail(err, -EIO, "%s", f.why);
		pgt_infile_close(&f);
		return rc;
	}
	pgt_infile_close(&f);
	if (n >= 4 && !memcmp(magic, "\177ELF", 4))
		return pgt_elfcore_open(path, out, err);
	if ((n >= KDUMP_SIG_LEN && !memcmp(magic, KDUMP_SIGNATURE, KDUMP_SIG_LEN)) ||
	    (n >= (long)sizeof(FLAT_SIGNATURE) - 1 &&
	     !memcmp(magic, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE) - 1)))
		return pgt_kdump_open(path, out, err);
	if (n >= 8 && !memcmp(magic, "DISKDUMP", 8))
		return pgt_fail(err, -EINVAL,
				"%s: an old diskdump (\"DISKDUMP\") file, which is not read", path);
	return pgt_remedy(err, PGT_REMEDY_RAW_BASE,
			  pgt_fail(err, -EINVAL,
				   "%s: not a crash dump: neither an ELF core, a compressed kdump "
				   "(\"KDUMP   \") nor a flattened one (\"makedumpfile\"); raw "
				   "memory has no header and needs its base address",
				   path));
}

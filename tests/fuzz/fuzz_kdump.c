// SPDX-License-Identifier: MIT
/*
 * Crash dumps: the input as a file through pgt_dump_open, which tells an
 * ELF core, a compressed kdump and a flattened one apart by content, then
 * reads from every range the dump says it holds. A damaged page may fail
 * to read (-EIO); nothing may crash, hang or read outside the file.
 */
#include "fuzz.h"
#include "../tools/open.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pgt_error err;
	struct pgt_mem *mem = t_dump(fuzz_file(data, size), &err);
	if (!mem)
		return 0;
	fuzz_read_ranges(mem);
	/* a read across the end of the lowest range, and one at the very top */
	struct pgt_mem_range r;
	uint8_t buf[16];
	if (pgt_mem_ranges(mem, &r, 1))
		pgt_mem_read(mem, r.pa + r.len - 8, buf, sizeof(buf));
	pgt_mem_read(mem, ~0ull - 7, buf, 8);
	pgt_mem_destroy(mem);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * ELF cores and pgtctl's IMAGE files (an ELF core with a PGTCTL note),
 * from a file that may be anything: the core reader with its segments
 * read back, then the image loader read-only and editable, and on what it
 * loads the reads every command starts with.
 */
#include "fuzz.h"
#include "pgt/pgt.h"

static void core(const char *path)
{
	struct pgt_error err;
	struct pgt_mem *mem = pgt_elfcore_open(path, &err);
	if (!mem)
		return;
	/* memsz past filesz reads as zeros: every byte of a range reads */
	FUZZ_CHECK(!fuzz_read_ranges(mem), "a read inside an ELF core's segment failed");
	const void *desc;
	size_t len;
	pgt_elfcore_note(mem, PGT_NOTE_OWNER, PGT_NOTE_TYPE, &desc, &len, &err);
	pgt_mem_destroy(mem);
}

static void image(const char *path, bool editable)
{
	struct pgt_error err;
	struct pgt_mem *mem;
	struct pgt_table *t;
	if (pgt_image_open(path, editable, &mem, &t, &err))
		return;
	struct pgt_walk w;
	pgt_translate(t, pgt_table_iova_min(t), &w);
	pgt_translate(t, pgt_table_iova_max(t), &w);
	struct pgt_visitor check = {.check_descriptors = true};
	pgt_walk_range(t, pgt_table_iova_min(t), pgt_table_iova_max(t), &check);
	struct pgt_regs regs;
	pgt_table_registers(t, &regs);
	char *note;
	size_t len;
	if (!pgt_image_note(t, &note, &len))
		free(note);
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	core(path);
	image(path, false);
	image(path, true);
	return 0;
}

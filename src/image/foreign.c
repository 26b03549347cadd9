// SPDX-License-Identifier: MIT
/*
 * What an IMAGE holds besides its table. pgtctl writes one PT_LOAD segment
 * of table memory and one PT_NOTE with its PGTCTL note, and an edit writes
 * the file anew from the table: a segment, a note or a program header that
 * another tool added would silently be lost, so such an IMAGE is not edited.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "image_note.h"

static bool is_pgtctl_note(const GElf_Nhdr *nh, const char *name)
{
	return nh->n_type == PGT_NOTE_TYPE && nh->n_namesz == sizeof(PGT_NOTE_OWNER) &&
	       !memcmp(name, PGT_NOTE_OWNER, sizeof(PGT_NOTE_OWNER));
}

/* Notes of one PT_NOTE segment that are not the (first) PGTCTL note. */
static unsigned foreign_notes(Elf *elf, const GElf_Phdr *ph, bool *seen_ours)
{
	Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz, ELF_T_NHDR);
	unsigned n = 0;
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;
	while (d && off < d->d_size && (off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (!*seen_ours && is_pgtctl_note(&nh, (const char *)d->d_buf + name_off))
			*seen_ours = true;
		else
			n++;
	}
	return n;
}

static void count(char *buf, size_t len, unsigned n, const char *one, const char *many)
{
	char part[80];
	if (!n)
		return;
	snprintf(part, sizeof(part), "%u %s", n, n == 1 ? one : many);
	pgt_join(buf, len, ", ", part);
}

int pgt_image_foreign(const char *path, char *what, size_t len)
{
	what[0] = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	size_t n_ph;
	int rc = -EINVAL;
	if (!elf || elf_getphdrnum(elf, &n_ph) != 0)
		goto out;
	unsigned loads = 0, notes = 0, others = 0;
	bool ours = false;
	for (size_t i = 0; i < n_ph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph))
			goto out;
		if (ph.p_type == PT_LOAD)
			loads += ph.p_memsz != 0;
		else if (ph.p_type == PT_NOTE)
			notes += foreign_notes(elf, &ph, &ours);
		else if (ph.p_type != PT_NULL)
			others++;
	}
	count(what, len, loads > 1 ? loads - 1 : 0, "more PT_LOAD segment", "more PT_LOAD segments");
	count(what, len, notes, "other note", "other notes");
	count(what, len, others, "other program header", "other program headers");
	rc = 0;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return rc;
}

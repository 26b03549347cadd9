// SPDX-License-Identifier: MIT
/*
 * IMAGE files: ELF64 cores written with libelf. Layout: ELF header, the
 * PT_NOTE and PT_LOAD program headers, the note, then table memory at a
 * page-aligned offset, then the section headers that name the two parts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_note.h"
#include "util/dl_elf.h"
#include "util/infile.h"

bool pgt_file_is_elf(const char *path)
{
	unsigned char m[4];
	struct pgt_infile f;
	if (pgt_infile_open(&f, path, NULL))
		return false;
	bool elf = f.size >= 4 && !pgt_infile_read(&f, 0, m, 4) && !memcmp(m, ELFMAG, SELFMAG);
	pgt_infile_close(&f);
	return elf;
}

/* The table memory is written from where it is, piece by piece: an arena
 * keeps it in 1 MiB pieces, each contiguous. */
#define PIECE (1ull << 20)

struct piece {
	const void *data;
	uint64_t len;
};

struct write_ctx {
	struct pgt_table *t; /* canonical layout */
	pgt_addr base;
	uint64_t size;
	struct piece *piece;
	size_t n_pieces;
	uint8_t *copied; /* the pieces memory gave no pointer to */
	char *note;
	size_t note_len;
	bool raw;
};

/* Point at [base, base + size) of mem, copying only what has no pointer. */
static int gather(struct write_ctx *c, struct pgt_mem *mem)
{
	size_t n = (size_t)((c->size + PIECE - 1) / PIECE) + 1, k = 0, copied = 0;
	c->piece = calloc(n, sizeof(*c->piece));
	if (!c->piece)
		return -ENOMEM;
	for (pgt_addr pa = c->base, end = c->base + c->size; pa < end; k++) {
		uint64_t len = ((pa + PIECE) & ~(PIECE - 1)) - pa;
		if (len > end - pa)
			len = end - pa;
		c->piece[k] = (struct piece){pgt_mem_ptr(mem, pa, len), len};
		if (!c->piece[k].data)
			copied += len;
		pa += len;
	}
	c->n_pieces = k;
	if (!copied)
		return 0;
	c->copied = malloc(copied);
	if (!c->copied)
		return -ENOMEM;
	uint8_t *to = c->copied;
	pgt_addr pa = c->base;
	for (size_t i = 0; i < k; pa += c->piece[i++].len) {
		if (c->piece[i].data)
			continue;
		if (pgt_mem_read(mem, pa, to, c->piece[i].len))
			return -EIO;
		c->piece[i].data = to;
		to += c->piece[i].len;
	}
	return 0;
}

static int write_all(int fd, const void *buf, uint64_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len > (1u << 30) ? (1u << 30) : len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (uint64_t)w;
	}
	return 0;
}

static const char shstrtab[] = "\0.note.pgtctl\0.pgtctl.mem\0.shstrtab";
#define NAME_NOTE 1
#define NAME_MEM 14
#define NAME_SHSTRTAB 26

static Elf_Scn *add_section(Elf *elf, unsigned name, unsigned type, uint64_t off, void *buf,
			    uint64_t size, uint64_t align, Elf_Type dtype)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *d = scn ? elf_newdata(scn) : NULL;
	GElf_Shdr sh;
	if (!d || !gelf_getshdr(scn, &sh))
		return NULL;
	d->d_buf = buf;
	d->d_size = size;
	d->d_align = align;
	d->d_type = dtype;
	d->d_off = 0;
	sh.sh_name = name;
	sh.sh_type = type;
	sh.sh_offset = off;
	sh.sh_size = size;
	sh.sh_addralign = align;
	sh.sh_flags = type == SHT_PROGBITS ? SHF_ALLOC : 0;
	return gelf_update_shdr(scn, &sh) ? scn : NULL;
}

/* The table memory section: each piece one more data of it, in place. */
static Elf_Scn *add_memory(Elf *elf, uint64_t off, const struct write_ctx *c)
{
	const struct piece none = {NULL, 0}, *first = c->n_pieces ? &c->piece[0] : &none;
	Elf_Scn *scn = add_section(elf, NAME_MEM, SHT_PROGBITS, off, (void *)first->data,
				   first->len, 4096, ELF_T_BYTE);
	uint64_t at = first->len;
	for (size_t i = 1; scn && i < c->n_pieces; at += c->piece[i++].len) {
		Elf_Data *d = elf_newdata(scn);
		if (!d)
			return NULL;
		d->d_buf = (void *)c->piece[i].data;
		d->d_size = c->piece[i].len;
		d->d_off = (int64_t)at;
		d->d_align = 1;
		d->d_type = ELF_T_BYTE;
	}
	GElf_Shdr sh;
	if (!scn || !gelf_getshdr(scn, &sh))
		return NULL;
	sh.sh_size = c->size;
	return gelf_update_shdr(scn, &sh) ? scn : NULL;
}

static int fill_elf(int fd, struct write_ctx *c)
{
	const struct pgt_format *fmt = pgt_table_format(c->t);
	int rc = -EIO;

	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!elf)
		return -EIO;
	GElf_Ehdr eh;
	if (!gelf_newehdr(elf, ELFCLASS64) || !gelf_getehdr(elf, &eh))
		goto out;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_CORE;
	eh.e_machine = (GElf_Half)pgt_format_elf_machine(fmt);
	eh.e_version = EV_CURRENT;

	/* The note: a standard Elf64_Nhdr, owner and text padded to 4 bytes. */
	size_t owner_len = sizeof(PGT_NOTE_OWNER);
	size_t note_size = sizeof(Elf64_Nhdr) + ((owner_len + 3) & ~3u) + ((c->note_len + 3) & ~3u);
	uint8_t *note = calloc(1, note_size);
	if (!note) {
		rc = -ENOMEM;
		goto out;
	}
	Elf64_Nhdr nh = {(Elf64_Word)owner_len, (Elf64_Word)c->note_len, PGT_NOTE_TYPE};
	memcpy(note, &nh, sizeof(nh));
	memcpy(note + sizeof(nh), PGT_NOTE_OWNER, owner_len);
	memcpy(note + sizeof(nh) + ((owner_len + 3) & ~3u), c->note, c->note_len);

	uint64_t phoff = sizeof(Elf64_Ehdr);
	uint64_t note_off = phoff + 2 * sizeof(Elf64_Phdr);
	uint64_t mem_off = (note_off + note_size + 4095) & ~4095ull;
	uint64_t str_off = mem_off + c->size;
	uint64_t sh_off = (str_off + sizeof(shstrtab) + 7) & ~7ull;

	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT);
	eh.e_phoff = phoff;
	eh.e_shoff = sh_off;
	if (!gelf_update_ehdr(elf, &eh) || !gelf_newphdr(elf, 2))
		goto out_note;
	Elf_Scn *snote = add_section(elf, NAME_NOTE, SHT_NOTE, note_off, note, note_size, 4,
				     ELF_T_BYTE);
	Elf_Scn *smem = add_memory(elf, mem_off, c);
	Elf_Scn *sstr = add_section(elf, NAME_SHSTRTAB, SHT_STRTAB, str_off, (void *)shstrtab,
				    sizeof(shstrtab), 1, ELF_T_BYTE);
	if (!snote || !smem || !sstr)
		goto out_note;
	if (!gelf_getehdr(elf, &eh))
		goto out_note;
	eh.e_shstrndx = (GElf_Half)elf_ndxscn(sstr);
	if (!gelf_update_ehdr(elf, &eh))
		goto out_note;

	GElf_Phdr pn = {.p_type = PT_NOTE, .p_offset = note_off, .p_filesz = note_size, .p_align = 4};
	GElf_Phdr pl = {
		.p_type = PT_LOAD,
		.p_flags = PF_R | PF_W,
		.p_offset = mem_off,
		.p_vaddr = c->base,
		.p_paddr = c->base,
		.p_filesz = c->size,
		.p_memsz = c->size,
		.p_align = 4096,
	};
	if (!gelf_update_phdr(elf, 0, &pn) || !gelf_update_phdr(elf, 1, &pl))
		goto out_note;
	/* libelf reports only its own error; the write's errno says why (a
	 * full disk, a file size limit) */
	errno = 0;
	if (elf_update(elf, ELF_C_WRITE) < 0) {
		rc = errno ? -errno : -EIO;
		goto out_note;
	}
	rc = 0;
out_note:
	free(note);
out:
	elf_end(elf);
	return rc;
}

static int fill(int fd, void *ctx)
{
	struct write_ctx *c = ctx;
	if (!c->raw)
		return fill_elf(fd, c);
	for (size_t i = 0; i < c->n_pieces; i++) {
		int rc = write_all(fd, c->piece[i].data, c->piece[i].len);
		if (rc)
			return rc;
	}
	return 0;
}

int pgt_image_commit(struct pgt_table *t, struct pgt_replace *r, unsigned flags,
		     struct pgt_error *err)
{
	bool raw = flags & PGT_IMAGE_RAW;
	int rc;
	if (!raw && (rc = dl_libelf(err)))
		return rc;
	const char *path = pgt_replace_path(r);
	struct pgt_mem *arena = NULL;
	struct pgt_table *canon = NULL;
	struct write_ctx c = {.raw = raw};

	/* The canonical layout starts where the table memory starts; a table
	 * built in IOVA order is written from where it is. */
	if ((rc = pgt_table_canonical(t, &arena, &canon, err))) {
		if (rc == -EUCLEAN)
			pgt_error_prefix(err, "%s: not written", path);
		return rc;
	}
	c.t = canon;
	c.base = pgt_arena_base(pgt_table_mem(canon));
	c.size = pgt_arena_end(pgt_table_mem(canon)) - c.base;
	if (gather(&c, pgt_table_mem(canon))) {
		rc = pgt_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	if (!raw && (rc = pgt_image_note(canon, &c.note, &c.note_len, err)))
		goto out;
	rc = pgt_replace_commit(r, fill, &c, err);
out:
	free(c.note);
	free(c.piece);
	free(c.copied);
	if (canon != t)
		pgt_table_destroy(canon);
	pgt_mem_destroy(arena);
	return rc;
}

int pgt_image_write(struct pgt_table *t, const char *path, unsigned flags, struct pgt_error *err)
{
	struct pgt_replace *r;
	unsigned replace = flags & PGT_IMAGE_REMOVE_STALE ? PGT_REPLACE_REMOVE_STALE : 0;
	int rc = pgt_replace_begin(path, replace, NULL, &r, err);
	if (!rc)
		rc = pgt_image_commit(t, r, flags & PGT_IMAGE_RAW, err);
	pgt_replace_end(r);
	return rc;
}

/*
 * Copy src into a new arena starting at its lowest range: every range is
 * reserved, and only what may hold data (not the holes of a sparse file)
 * is read, a piece at a time, and written; the rest stays unmade zeros.
 * Its table memory may span what it has plus the default limit.
 */
#define COPY_PIECE (1u << 20)
static struct pgt_mem *copy_to_arena(struct pgt_mem *src, struct pgt_error *err)
{
	size_t n = pgt_mem_ranges(src, NULL, 0);
	struct pgt_mem_range *r = calloc(n ? n : 1, sizeof(*r));
	struct pgt_mem *arena = NULL;
	uint8_t *buf = malloc(COPY_PIECE);
	if (!r || !buf)
		goto oom;
	pgt_mem_ranges(src, r, n);
	if (pgt_arena_new(n ? r[0].pa : 0, &arena, NULL))
		goto oom;
	uint64_t limit = pgt_arena_limit(arena);
	for (size_t i = 0; i < n; i++)
		limit = limit + r[i].len < limit ? UINT64_MAX : limit + r[i].len;
	pgt_arena_set_limit(arena, limit);
	for (size_t i = 0; i < n; i++)
		if (pgt_arena_reserve(arena, r[i].pa, r[i].len, err))
			goto fail;
	struct pgt_mem_range d;
	for (pgt_addr at = n ? r[0].pa : 0; n && pgt_mem_data(src, at, &d);) {
		for (uint64_t done = 0; done < d.len;) {
			uint64_t len = d.len - done < COPY_PIECE ? d.len - done : COPY_PIECE;
			if (pgt_mem_read(src, d.pa + done, buf, len)) {
				pgt_fail(err, -EIO, "%s", pgt_mem_why(src));
				goto fail;
			}
			if (pgt_mem_write(arena, d.pa + done, buf, len)) {
				pgt_fail(err, -EIO, "internal error: cannot copy table memory at 0x%llx",
					 (unsigned long long)(d.pa + done));
				goto fail;
			}
			done += len;
		}
		at = d.pa + d.len;
		if (!at)
			break; /* the data ran to the top of the address space */
	}
	free(buf);
	free(r);
	return arena;
oom:
	pgt_fail(err, -ENOMEM, "out of memory");
fail:
	free(buf);
	free(r);
	pgt_mem_destroy(arena);
	return NULL;
}

/*
 * An image to edit is copied whole into an arena. pgtctl writes every byte
 * of its memory into the file; a segment whose memsz runs past its file
 * bytes (zeros, as an ELF core may have) would make a tiny file cost
 * gigabytes of copy, so memory larger than the file is not copied.
 */
static bool memory_in_file(struct pgt_mem *mem, const char *path)
{
	struct stat st;
	size_t n = pgt_mem_ranges(mem, NULL, 0);
	struct pgt_mem_range *r = calloc(n ? n : 1, sizeof(*r));
	uint64_t total = 0;
	bool fits = r && !stat(path, &st);
	if (fits) {
		pgt_mem_ranges(mem, r, n);
		for (size_t i = 0; i < n && fits; i++) {
			total += r[i].len;
			fits = total >= r[i].len && total <= (uint64_t)st.st_size;
		}
	}
	free(r);
	return fits;
}

int pgt_image_open(const char *path, bool editable, struct pgt_mem **mem_out,
		   struct pgt_table **t_out, struct pgt_error *err)
{
	struct pgt_mem *mem;
	int rc = pgt_elfcore_open(path, &mem, err);
	if (rc)
		return rc;
	const void *desc;
	size_t len;
	rc = pgt_elfcore_note(mem, PGT_NOTE_OWNER, PGT_NOTE_TYPE, &desc, &len, err);
	if (rc == -ENOENT)
		pgt_remedy(err, PGT_REMEDY_AS_DUMP,
			   pgt_fail(err, -EINVAL, "%s: an ELF core without a PGTCTL note", path));
	else if (rc)
		pgt_error_prefix(err, "%s", path);
	if (rc) {
		pgt_mem_destroy(mem);
		return err->code;
	}
	struct image_note note;
	rc = pgt_image_note_parse(desc, len, &note, err);
	if (rc) {
		pgt_error_prefix(err, "%s", path);
		pgt_mem_destroy(mem);
		return rc;
	}
	if (editable && !memory_in_file(mem, path)) {
		pgt_mem_destroy(mem);
		return pgt_remedy(err, PGT_REMEDY_AS_DUMP, pgt_fail(err, -EINVAL,
				"%s: its segments hold more memory than the file has bytes (zero-filled "
				"tails), which libpgt never writes: it is not edited, only read",
				path));
	}
	if (editable) {
		struct pgt_mem *arena = copy_to_arena(mem, err);
		pgt_mem_destroy(mem);
		if (!arena) {
			pgt_error_prefix(err, "%s: cannot edit", path);
			return err->code;
		}
		mem = arena;
	}
	mem->big_endian = note.big_endian;
	rc = pgt_table_attach(note.fmt, &note.cfg, mem, note.roots, note.n_roots, t_out, err);
	if (rc) {
		pgt_error_prefix(err, "%s", path);
		pgt_mem_destroy(mem);
		return rc;
	}
	/* Editing frees and rewrites tables: the tree must be sound first. */
	if (editable && (rc = pgt_table_check_sound(*t_out, err))) {
		pgt_error_prefix(err, "%s: cannot edit", path);
		pgt_table_destroy(*t_out);
		pgt_mem_destroy(mem);
		return rc;
	}
	/* and an edit writes the table alone: nothing else may be there */
	char foreign[256];
	if (editable && !pgt_image_foreign(path, foreign, sizeof(foreign)) && foreign[0]) {
		pgt_table_destroy(*t_out);
		pgt_mem_destroy(mem);
		return pgt_remedy(err, PGT_REMEDY_EDIT_COPY, pgt_fail(err, -EINVAL,
				"%s: cannot edit: it holds %s besides its table, which an edit would not "
				"keep: read it, or edit a copy of its table alone",
				path, foreign));
	}
	*mem_out = mem;
	return 0;
}

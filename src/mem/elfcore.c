// SPDX-License-Identifier: MIT
/*
 * An ELF core file (kdump vmcore, QEMU dump-guest-memory, pgtctl image):
 * its PT_LOAD segments placed at their p_paddr. libelf reads the headers
 * and notes; segment bytes are read from the file when asked for, never
 * mapped (a small file is read whole once reads show it worth it).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "util/dl_elf.h"
#include "util/infile.h"

/* PT_NOTE segments hold the notes of every CPU of a machine: a few MiB
 * for thousands of CPUs. */
#define MAX_NOTES (16u << 20)

struct segment {
	pgt_addr pa;
	uint64_t filesz; /* bytes backed by the file */
	uint64_t memsz;	 /* bytes of memory; the rest reads as zeros */
	uint64_t offset; /* of the file bytes in the file */
};

struct elfcore {
	struct pgt_mem mem;
	struct pgt_infile file;
	Elf *elf;
	struct segment *seg;
	size_t n_seg;
	size_t last; /* segment of the previous lookup: walks read nearby */
};

static struct elfcore *core_of(struct pgt_mem *mem)
{
	return (struct elfcore *)mem;
}

/* The segment holding pa, or NULL; looked up without remembering it. */
static const struct segment *lookup(const struct elfcore *c, pgt_addr pa, size_t *at)
{
	size_t lo = 0, hi = c->n_seg;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct segment *s = &c->seg[mid];
		if (pa < s->pa)
			hi = mid;
		else if (pa - s->pa >= s->memsz)
			lo = mid + 1;
		else {
			*at = mid;
			return s;
		}
	}
	return NULL;
}

/* lookup(), trying the segment of the previous one first: walks read
 * nearby. */
static const struct segment *find_segment(struct elfcore *c, pgt_addr pa)
{
	if (c->last < c->n_seg) {
		const struct segment *s = &c->seg[c->last];
		if (pa >= s->pa && pa - s->pa < s->memsz)
			return s;
	}
	return lookup(c, pa, &c->last);
}

/* Copy out, the file's bytes read by get; shared: no state is kept. */
static int copy_out(struct elfcore *c, pgt_addr pa, uint8_t *out, uint64_t len, bool shared)
{
	while (len) {
		size_t at;
		const struct segment *s = shared ? lookup(c, pa, &at) : find_segment(c, pa);
		if (!s)
			return -EFAULT;
		uint64_t off = pa - s->pa;
		uint64_t n = s->memsz - off < len ? s->memsz - off : len;
		uint64_t from_file = off < s->filesz ? (s->filesz - off < n ? s->filesz - off : n) : 0;
		if (from_file) {
			int rc = shared ? pgt_infile_pread(&c->file, s->offset + off, out, from_file)
					: pgt_infile_read(&c->file, s->offset + off, out, from_file);
			if (rc)
				return rc;
		}
		memset(out + from_file, 0, n - from_file);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

/* Where the file was read whole (infile.c), memory that lies in one
 * segment's file bytes has a pointer; read-only, as the memory is. */
static void *core_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	struct elfcore *c = core_of(mem);
	const struct segment *s = c->file.whole ? find_segment(c, pa) : NULL;
	if (!s || pa - s->pa > s->filesz || len > s->filesz - (pa - s->pa))
		return NULL;
	const uint8_t *at = pgt_infile_ptr(&c->file, s->offset, s->filesz);
	if (!at) /* the segment cut short by the file's end: no window */
		return (void *)pgt_infile_ptr(&c->file, s->offset + (pa - s->pa), len);
	mem->window.pa = s->pa;
	mem->window.len = s->filesz;
	mem->window.at = at;
	return (void *)(at + (pa - s->pa));
}

static int core_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	return copy_out(core_of(mem), pa, buf, len, false);
}

static int core_read_shared(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	return copy_out(core_of(mem), pa, buf, len, true);
}

static const char *core_why(struct pgt_mem *mem)
{
	return core_of(mem)->file.why;
}

static size_t core_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct elfcore *c = core_of(mem);
	for (size_t i = 0; i < c->n_seg && i < max; i++)
		out[i] = (struct pgt_mem_range){c->seg[i].pa, c->seg[i].memsz};
	return c->n_seg;
}

/* The file bytes of the segments, less the holes of a sparse file: a
 * segment's zero tail (memsz beyond filesz) is never data. */
static bool core_data(struct pgt_mem *mem, pgt_addr from, struct pgt_mem_range *out)
{
	struct elfcore *c = core_of(mem);
	size_t lo = 0, hi = c->n_seg;
	while (lo < hi) { /* the first segment ending after from */
		size_t mid = (lo + hi) / 2;
		const struct segment *s = &c->seg[mid];
		if (from >= s->pa && from - s->pa >= s->memsz)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < c->n_seg; i++) {
		const struct segment *s = &c->seg[i];
		uint64_t rel = from > s->pa ? from - s->pa : 0, start, end;
		if (rel >= s->filesz ||
		    !pgt_infile_data(&c->file, s->offset + rel, &start, &end) ||
		    start >= s->offset + s->filesz)
			continue;
		if (end > s->offset + s->filesz)
			end = s->offset + s->filesz;
		*out = (struct pgt_mem_range){s->pa + (start - s->offset), end - start};
		return true;
	}
	return false;
}

static void core_destroy(struct pgt_mem *mem)
{
	struct elfcore *c = core_of(mem);
	if (c->elf)
		elf_end(c->elf);
	pgt_infile_close(&c->file);
	free(c->seg);
	free(c);
}

static const struct pgt_mem_ops core_ops = {
	.ptr = core_ptr,
	.read = core_read,
	.read_shared = core_read_shared,
	.why = core_why,
	.ranges = core_ranges,
	.data = core_data,
	.destroy = core_destroy,
};

static int by_pa(const void *a, const void *b)
{
	const struct segment *x = a, *y = b;
	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

static int fail(struct elfcore *c, struct pgt_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct elfcore *c, struct pgt_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pgt_mem_vfail(&c->mem, c->file.path ? c->file.path : "ELF core", err, code, fmt, ap);
	va_end(ap);
	return code;
}

int pgt_elfcore_open(const char *path, struct pgt_mem **out, struct pgt_error *err)
{
	int rc = dl_libelf(err);
	if (rc)
		return rc;
	struct elfcore *c = calloc(1, sizeof(*c));
	if (!c)
		return pgt_fail(err, -ENOMEM, "out of memory");
	c->mem.ops = &core_ops;
	rc = pgt_infile_open(&c->file, path, err);
	if (rc) {
		pgt_infile_close(&c->file);
		free(c);
		return rc;
	}
	c->mem.name = c->file.path;

	/* ELF_C_READ: libelf reads what it is asked for with pread, as we do */
	elf_version(EV_CURRENT);
	c->elf = elf_begin(c->file.fd, ELF_C_READ, NULL);
	if (!c->elf || elf_kind(c->elf) != ELF_K_ELF)
		return fail(c, err, -EINVAL, "not an ELF file");
	uint64_t file_size = c->file.size;
	GElf_Ehdr eh;
	if (!gelf_getehdr(c->elf, &eh))
		return fail(c, err, -EINVAL, "not an ELF file (unreadable ELF header)");
	c->mem.big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	if (eh.e_type != ET_CORE)
		return fail(c, err, -EINVAL, "not an ELF core file (e_type is not ET_CORE)");
	size_t n_ph;
	if (elf_getphdrnum(c->elf, &n_ph) != 0)
		return fail(c, err, -EINVAL, "unreadable program headers (e_phoff, e_phnum)");

	c->seg = calloc(n_ph ? n_ph : 1, sizeof(*c->seg));
	if (!c->seg)
		return fail(c, err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n_ph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(c->elf, (int)i, &ph))
			return fail(c, err, -EINVAL, "unreadable program header %zu", i);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > file_size ||
		    ph.p_filesz > file_size - ph.p_offset || ph.p_paddr + ph.p_memsz - 1 < ph.p_paddr) {
			return fail(c, err, -EINVAL,
				    "PT_LOAD segment %zu (paddr 0x%llx, offset 0x%llx, filesz 0x%llx, "
				    "memsz 0x%llx) lies outside the file or wraps",
				    i, (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_offset,
				    (unsigned long long)ph.p_filesz, (unsigned long long)ph.p_memsz);
		}
		c->seg[c->n_seg++] = (struct segment){ph.p_paddr, ph.p_filesz, ph.p_memsz,
						      ph.p_offset};
	}
	qsort(c->seg, c->n_seg, sizeof(*c->seg), by_pa);
	for (size_t i = 1; i < c->n_seg; i++) {
		const struct segment *p = &c->seg[i - 1], *s = &c->seg[i];
		if (s->pa - p->pa < p->memsz) {
			return fail(c, err, -EINVAL, "PT_LOAD segments at paddr 0x%llx and 0x%llx overlap",
				    (unsigned long long)p->pa, (unsigned long long)s->pa);
		}
	}
	*out = &c->mem;
	return 0;
}

bool pgt_mem_is_elfcore(const struct pgt_mem *mem)
{
	return mem && mem->ops == &core_ops;
}

/* Does the note at off, whose sizes run past the data, name owner? */
static bool names_owner(const Elf_Data *d, size_t off, const char *owner)
{
	size_t n = strlen(owner) + 1;
	return off + sizeof(Elf64_Nhdr) + n <= d->d_size &&
	       !memcmp((const char *)d->d_buf + off + sizeof(Elf64_Nhdr), owner, n);
}

int pgt_elfcore_note(struct pgt_mem *mem, const char *owner, uint32_t type, const void **desc,
		     size_t *len, struct pgt_error *err)
{
	struct elfcore *c = core_of(mem);
	size_t n_ph;
	if (elf_getphdrnum(c->elf, &n_ph) != 0)
		return pgt_fail(err, -EINVAL, "unreadable program headers (e_phoff, e_phnum)");
	for (size_t i = 0; i < n_ph; i++) {
		GElf_Phdr ph;
		/* libelf reads the segment into memory: one larger than any
		 * note set of a machine is not read at all */
		if (!gelf_getphdr(c->elf, (int)i, &ph) || ph.p_type != PT_NOTE ||
		    ph.p_filesz > MAX_NOTES)
			continue;
		Elf_Data *d = elf_getdata_rawchunk(c->elf, (int64_t)ph.p_offset, ph.p_filesz,
						   ELF_T_NHDR);
		if (!d)
			return pgt_fail(err, -EINVAL,
					"PT_NOTE segment %zu (offset 0x%llx, filesz 0x%llx) lies outside "
					"the file",
					i, (unsigned long long)ph.p_offset,
					(unsigned long long)ph.p_filesz);
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nh;
		while (off < d->d_size) {
			size_t next = gelf_getnote(d, off, &nh, &name_off, &desc_off);
			if (!next) {
				Elf64_Nhdr bad;
				/* the one we look for, with sizes that lie */
				if (!names_owner(d, off, owner))
					break;
				memcpy(&bad, (const char *)d->d_buf + off, sizeof(bad));
				return pgt_fail(err, -EINVAL,
						"corrupt %s note: its sizes (name %u, data %u bytes) run "
						"past the 0x%llx bytes of PT_NOTE segment %zu",
						owner, bad.n_namesz, bad.n_descsz,
						(unsigned long long)ph.p_filesz, i);
			}
			const char *name = (const char *)d->d_buf + name_off;
			if (nh.n_type == type && nh.n_namesz == strlen(owner) + 1 &&
			    !memcmp(name, owner, nh.n_namesz)) {
				*desc = (const char *)d->d_buf + desc_off;
				*len = nh.n_descsz;
				return 0;
			}
			off = next;
		}
	}
	return -ENOENT;
}

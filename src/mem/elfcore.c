// SPDX-License-Identifier: MIT
/*
 * An ELF core file (kdump vmcore, QEMU dump-guest-memory, pgtctl image):
 * its PT_LOAD segments placed at their p_paddr. libelf maps the file; the
 * bytes are read straight from that mapping, never copied whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pgt/mem.h"

struct segment {
	pgt_addr pa;
	uint64_t filesz; /* bytes backed by the file */
	uint64_t memsz;	 /* bytes of memory; the rest reads as zeros */
	const uint8_t *data;
};

struct elfcore {
	struct pgt_mem mem;
	int fd;
	Elf *elf;
	char *path;
	struct segment *seg;
	size_t n_seg;
	size_t last; /* segment of the previous lookup: walks read nearby */
};

static struct elfcore *core_of(struct pgt_mem *mem)
{
	return (struct elfcore *)mem;
}

static const struct segment *find_segment(struct elfcore *c, pgt_addr pa)
{
	if (c->n_seg && c->last < c->n_seg) {
		const struct segment *s = &c->seg[c->last];
		if (pa >= s->pa && pa - s->pa < s->memsz)
			return s;
	}
	size_t lo = 0, hi = c->n_seg;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct segment *s = &c->seg[mid];
		if (pa < s->pa)
			hi = mid;
		else if (pa - s->pa >= s->memsz)
			lo = mid + 1;
		else {
			c->last = mid;
			return s;
		}
	}
	return NULL;
}

static void *core_ptr(struct pgt_mem *mem, pgt_addr pa, uint64_t len)
{
	const struct segment *s = find_segment(core_of(mem), pa);
	/* as offsets into the segment: it may end at 2^64, where pa + len is 0 */
	if (!s || len > s->filesz || pa - s->pa > s->filesz - len)
		return NULL;
	return (void *)(s->data + (pa - s->pa));
}

static int core_read(struct pgt_mem *mem, pgt_addr pa, void *buf, uint64_t len)
{
	struct elfcore *c = core_of(mem);
	uint8_t *out = buf;
	while (len) {
		const struct segment *s = find_segment(c, pa);
		if (!s)
			return -EFAULT;
		uint64_t off = pa - s->pa;
		uint64_t n = s->memsz - off < len ? s->memsz - off : len;
		uint64_t from_file = off < s->filesz ? (s->filesz - off < n ? s->filesz - off : n) : 0;
		/* off may lie far past the file's bytes (a long zero tail):
		 * no pointer is formed there */
		if (from_file)
			memcpy(out, s->data + off, from_file);
		memset(out + from_file, 0, n - from_file);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

static size_t core_ranges(struct pgt_mem *mem, struct pgt_mem_range *out, size_t max)
{
	struct elfcore *c = core_of(mem);
	for (size_t i = 0; i < c->n_seg && i < max; i++)
		out[i] = (struct pgt_mem_range){c->seg[i].pa, c->seg[i].memsz};
	return c->n_seg;
}

static void core_destroy(struct pgt_mem *mem)
{
	struct elfcore *c = core_of(mem);
	if (c->elf)
		elf_end(c->elf);
	if (c->fd >= 0)
		close(c->fd);
	free(c->seg);
	free(c->path);
	free(c);
}

static const struct pgt_mem_ops core_ops = {
	.ptr = core_ptr,
	.read = core_read,
	.ranges = core_ranges,
	.destroy = core_destroy,
};

static int by_pa(const void *a, const void *b)
{
	const struct segment *x = a, *y = b;
	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

static struct pgt_mem *fail(struct elfcore *c, struct pgt_error *err, int code, const char *fmt,
			    ...) __attribute__((format(printf, 4, 5)));
static struct pgt_mem *fail(struct elfcore *c, struct pgt_error *err, int code, const char *fmt,
			    ...)
{
	va_list ap;
	va_start(ap, fmt);
	pgt_mem_vfail(&c->mem, c->path ? c->path : "ELF core", err, code, fmt, ap);
	va_end(ap);
	return NULL;
}

struct pgt_mem *pgt_elfcore_open(const char *path, struct pgt_error *err)
{
	struct elfcore *c = calloc(1, sizeof(*c));
	if (!c) {
		pgt_fail(err, -ENOMEM, "out of memory");
		return NULL;
	}
	c->mem.ops = &core_ops;
	c->fd = -1;
	c->path = strdup(path);
	c->mem.name = c->path;
	if (!c->path)
		return fail(c, err, -ENOMEM, "out of memory");
	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0)
		return fail(c, err, -errno, "%s", strerror(errno));

	elf_version(EV_CURRENT);
	c->elf = elf_begin(c->fd, ELF_C_READ_MMAP, NULL);
	if (!c->elf || elf_kind(c->elf) != ELF_K_ELF)
		return fail(c, err, -EINVAL, "not an ELF file");
	size_t file_size;
	const uint8_t *file = (const uint8_t *)elf_rawfile(c->elf, &file_size);
	GElf_Ehdr eh;
	if (!file || !gelf_getehdr(c->elf, &eh))
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
						      file + ph.p_offset};
	}
	qsort(c->seg, c->n_seg, sizeof(*c->seg), by_pa);
	for (size_t i = 1; i < c->n_seg; i++) {
		const struct segment *p = &c->seg[i - 1], *s = &c->seg[i];
		if (s->pa - p->pa < p->memsz) {
			return fail(c, err, -EINVAL, "PT_LOAD segments at paddr 0x%llx and 0x%llx overlap",
				    (unsigned long long)p->pa, (unsigned long long)s->pa);
		}
	}
	return &c->mem;
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
		if (!gelf_getphdr(c->elf, (int)i, &ph) || ph.p_type != PT_NOTE)
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

// SPDX-License-Identifier: MIT
/* libelf's functions, as util/dl_elf.h names them. */
#include <gelf.h>

#include "util/dl.h"

__typeof__(elf_begin) *dl_elf_begin;
__typeof__(elf_end) *dl_elf_end;
__typeof__(elf_flagelf) *dl_elf_flagelf;
__typeof__(elf_getdata_rawchunk) *dl_elf_getdata_rawchunk;
__typeof__(elf_getphdrnum) *dl_elf_getphdrnum;
__typeof__(elf_kind) *dl_elf_kind;
__typeof__(elf_ndxscn) *dl_elf_ndxscn;
__typeof__(elf_newdata) *dl_elf_newdata;
__typeof__(elf_newscn) *dl_elf_newscn;
__typeof__(elf_update) *dl_elf_update;
__typeof__(elf_version) *dl_elf_version;
__typeof__(gelf_getehdr) *dl_gelf_getehdr;
__typeof__(gelf_getnote) *dl_gelf_getnote;
__typeof__(gelf_getphdr) *dl_gelf_getphdr;
__typeof__(gelf_getshdr) *dl_gelf_getshdr;
__typeof__(gelf_newehdr) *dl_gelf_newehdr;
__typeof__(gelf_newphdr) *dl_gelf_newphdr;
__typeof__(gelf_update_ehdr) *dl_gelf_update_ehdr;
__typeof__(gelf_update_phdr) *dl_gelf_update_phdr;
__typeof__(gelf_update_shdr) *dl_gelf_update_shdr;

static const struct dl_sym syms[] = {
	DL_SYM(elf_begin),
	DL_SYM(elf_end),
	DL_SYM(elf_flagelf),
	DL_SYM(elf_getdata_rawchunk),
	DL_SYM(elf_getphdrnum),
	DL_SYM(elf_kind),
	DL_SYM(elf_ndxscn),
	DL_SYM(elf_newdata),
	DL_SYM(elf_newscn),
	DL_SYM(elf_update),
	DL_SYM(elf_version),
	DL_SYM(gelf_getehdr),
	DL_SYM(gelf_getnote),
	DL_SYM(gelf_getphdr),
	DL_SYM(gelf_getshdr),
	DL_SYM(gelf_newehdr),
	DL_SYM(gelf_newphdr),
	DL_SYM(gelf_update_ehdr),
	DL_SYM(gelf_update_phdr),
	DL_SYM(gelf_update_shdr),
};
static struct dl_lib lib = DL_LIB("libelf", "libelf.so.1", syms);

int dl_libelf(struct pgt_error *err)
{
	return dl_load(&lib, err);
}

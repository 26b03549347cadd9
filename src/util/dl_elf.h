/* SPDX-License-Identifier: MIT */
/*
 * libelf (ELF cores and IMAGEs), loaded on first use (util/dl.h): every
 * function this file's users call goes through a pointer of its own type,
 * named like the function, that dl_libelf() fills. Call dl_libelf() before any
 * of them.
 */
#ifndef PGT_UTIL_DL_ELF_H
#define PGT_UTIL_DL_ELF_H

#include <gelf.h>

#include "util/dl.h"

extern __typeof__(elf_begin) *dl_elf_begin;
extern __typeof__(elf_end) *dl_elf_end;
extern __typeof__(elf_flagelf) *dl_elf_flagelf;
extern __typeof__(elf_getdata_rawchunk) *dl_elf_getdata_rawchunk;
extern __typeof__(elf_getphdrnum) *dl_elf_getphdrnum;
extern __typeof__(elf_kind) *dl_elf_kind;
extern __typeof__(elf_ndxscn) *dl_elf_ndxscn;
extern __typeof__(elf_newdata) *dl_elf_newdata;
extern __typeof__(elf_newscn) *dl_elf_newscn;
extern __typeof__(elf_update) *dl_elf_update;
extern __typeof__(elf_version) *dl_elf_version;
extern __typeof__(gelf_getehdr) *dl_gelf_getehdr;
extern __typeof__(gelf_getnote) *dl_gelf_getnote;
extern __typeof__(gelf_getphdr) *dl_gelf_getphdr;
extern __typeof__(gelf_getshdr) *dl_gelf_getshdr;
extern __typeof__(gelf_newehdr) *dl_gelf_newehdr;
extern __typeof__(gelf_newphdr) *dl_gelf_newphdr;
extern __typeof__(gelf_update_ehdr) *dl_gelf_update_ehdr;
extern __typeof__(gelf_update_phdr) *dl_gelf_update_phdr;
extern __typeof__(gelf_update_shdr) *dl_gelf_update_shdr;

#define elf_begin dl_elf_begin
#define elf_end dl_elf_end
#define elf_flagelf dl_elf_flagelf
#define elf_getdata_rawchunk dl_elf_getdata_rawchunk
#define elf_getphdrnum dl_elf_getphdrnum
#define elf_kind dl_elf_kind
#define elf_ndxscn dl_elf_ndxscn
#define elf_newdata dl_elf_newdata
#define elf_newscn dl_elf_newscn
#define elf_update dl_elf_update
#define elf_version dl_elf_version
#define gelf_getehdr dl_gelf_getehdr
#define gelf_getnote dl_gelf_getnote
#define gelf_getphdr dl_gelf_getphdr
#define gelf_getshdr dl_gelf_getshdr
#define gelf_newehdr dl_gelf_newehdr
#define gelf_newphdr dl_gelf_newphdr
#define gelf_update_ehdr dl_gelf_update_ehdr
#define gelf_update_phdr dl_gelf_update_phdr
#define gelf_update_shdr dl_gelf_update_shdr

#endif

# SPDX-License-Identifier: MIT
"""Opening a vmcore for drgn 0.0.22, which finds a kernel's page tables
only at the virtual address of swapper_pg_dir. A QEMU dump made without
paging (dump-guest-memory without -p) has physical addresses alone, so
drgn cannot read that table and with it no kernel object; kdump's
vmcores carry virtual addresses and need nothing. From the dump's
VMCOREINFO (which QEMU writes when the guest gave it, -device vmcoreinfo
with the qemu_fw_cfg driver) the helper places swapper_pg_dir's page at
its virtual address, where the kernel's own arithmetic puts it: x86-64's
__pa_symbol() (__START_KERNEL_map and phys_base), arm64's
__pa_symbol() (kimage_voffset)."""

import os
import re
import struct

import drgn

_START_KERNEL_MAP = 0xFFFFFFFF80000000


class BadInput(Exception):
    """A vmcore drgn cannot open as a kernel's, or debug info of another
    kernel."""
_ET_CORE = 4
_PT_NOTE = 4
_NT_GNU_BUILD_ID = 3


def open_program(core, symbols=(), default_symbols=False):
    """A drgn Program over the vmcore core with the debug info in symbols
    (vmlinux paths); default_symbols: also drgn's default places, kernel
    modules among them. Without them, a module drgn finds no debug info
    for is no error: the helper needs vmlinux's types alone."""
    info = vmcoreinfo(core)
    for path in symbols:
        _same_build(path, info)
    prog = drgn.Program()
    try:
        prog.set_core_dump(core)
    except ValueError as e:
        # drgn's words: not an ELF core, a QEMU dump without VMCOREINFO
        raise BadInput("%s: %s" % (core, e)) from None
    place_page_table(prog, info)
    try:
        prog.load_debug_info(list(symbols), default=default_symbols)
    except drgn.MissingDebugInfoError:
        if default_symbols or not symbols:
            raise
    return prog


def _same_build(vmlinux, info):
    """A vmlinux of another build than the dumped kernel's reads as
    garbage: refused when VMCOREINFO has a BUILD-ID and the file another."""
    want = (info or {}).get("BUILD-ID")
    got = elf_notes(vmlinux).get((b"GNU", _NT_GNU_BUILD_ID))
    if want and got is not None and got.hex() != want:
        raise BadInput("%s: not the dumped kernel's debug info: its build ID is %s, the "
                       "kernel's %s" % (vmlinux, got.hex(), want))


def readable(prog):
    """Make the kernel's objects readable in a Program drgn's command line
    opened (a script's prog): when they are not, swapper_pg_dir is placed
    from the VMCOREINFO of the ELF core this process has open. Returns
    whether they are."""
    if _kernel_readable(prog):
        return True
    core = _open_core()
    return core is not None and place_page_table(prog, vmcoreinfo(core)) and \
        _kernel_readable(prog)


def place_page_table(prog, info):
    """Place swapper_pg_dir's page at its virtual address, reading its
    physical one (harmless where the dump has virtual addresses: the
    same page). False when VMCOREINFO (info, a dict) does not say where."""
    if not info or "SYMBOL(swapper_pg_dir)" not in info:
        return False
    pgd = int(info["SYMBOL(swapper_pg_dir)"], 16)
    size = int(info.get("PAGESIZE", "4096"))
    if "NUMBER(kimage_voffset)" in info:
        offset = -_number(info["NUMBER(kimage_voffset)"])
    elif "NUMBER(phys_base)" in info:
        offset = _number(info["NUMBER(phys_base)"]) - _START_KERNEL_MAP
    else:
        return False

    def read(address, count, _offset, _physical):
        return prog.read((address + offset) & (2**64 - 1), count, True)

    prog.add_memory_segment(pgd, size, read)
    return True


def _kernel_readable(prog):
    try:
        prog["init_uts_ns"].name.release.string_()
    except (drgn.FaultError, KeyError, LookupError):
        return False
    return True


def _number(text):
    return int(text, 0) if not text.lstrip("-").isdigit() else int(text)


def _open_core():
    """The ELF core file among this process's open files: drgn keeps its
    core dump open, and its command line gives a script no other way to
    know which file that is."""
    for fd in os.listdir("/proc/self/fd"):
        path = os.path.realpath("/proc/self/fd/" + fd)
        try:
            with open(path, "rb") as f:
                head = f.read(18)
        except OSError:
            continue
        if head[:4] == b"\x7fELF" and len(head) == 18:
            endian = "<" if head[5] == 1 else ">"
            if struct.unpack(endian + "H", head[16:18])[0] == _ET_CORE:
                return path
    return None


def vmcoreinfo(core):
    """The VMCOREINFO note of an ELF core as a dict ("OSRELEASE",
    "SYMBOL(swapper_pg_dir)", ...), or None."""
    for (name, _), desc in elf_notes(core).items():
        if name == b"VMCOREINFO":
            return dict(re.findall(r"^([^=\n]+)=(.*)$", desc.decode(errors="replace"), re.M))
    return None


def elf_notes(path):
    """The notes of a 64-bit ELF file's PT_NOTE segments: {(name, type): desc}."""
    notes = {}
    with open(path, "rb") as f:
        ident = f.read(64)
        if ident[:4] != b"\x7fELF" or ident[4] != 2:
            return notes
        e = "<" if ident[5] == 1 else ">"
        phoff, = struct.unpack(e + "Q", ident[32:40])
        phentsize, phnum = struct.unpack(e + "HH", ident[54:58])
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, p_offset, _, _, p_filesz = struct.unpack(e + "IIQQQQ", f.read(40))
            if p_type == _PT_NOTE:
                f.seek(p_offset)
                notes.update(_notes(f.read(p_filesz), e))
    return notes


def _notes(data, e):
    off = 0
    while off + 12 <= len(data):
        namesz, descsz, kind = struct.unpack(e + "III", data[off:off + 12])
        off += 12
        name = data[off:off + namesz].rstrip(b"\0")
        off += (namesz + 3) & ~3
        yield (name, kind), data[off:off + descsz]
        off += (descsz + 3) & ~3

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Craft and damage ELF cores for the tests.

  elftool.py core OUT PA:FILE[:MEMSZ] ...   an ELF64 core, one PT_LOAD each
  elftool.py core32 OUT PA:FILE[:MEMSZ] ... the same as an ELF32 core
  elftool.py poke IMAGE PA VALUE            write a 64-bit LE value at PA
  elftool.py poke32 IMAGE PA VALUE          the same, 32 bits
  elftool.py phdr IMAGE INDEX FIELD VALUE   set a program header field
  elftool.py ehdr IMAGE FIELD VALUE         set e_type, e_phoff or e_phnum
  elftool.py subst FILE OLD NEW             replace bytes (as many) in any file
  elftool.py addload IMAGE PA FILE          add a PT_LOAD of FILE's bytes at PA
  elftool.py nhdr IMAGE FIELD VALUE         set namesz, descsz or type of the
                                            first note of the first PT_NOTE
  elftool.py addnote IMAGE OWNER TYPE TEXT  add a PT_NOTE holding one note
"""
import struct
import sys

PHDR = struct.Struct("<IIQQQQQQ")  # type flags offset vaddr paddr filesz memsz align
FIELDS = ["type", "flags", "offset", "vaddr", "paddr", "filesz", "memsz", "align"]


def ehdr(phnum):
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    return ident + struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56, phnum, 64, 0, 0)


PHDR32 = struct.Struct("<IIIIIIII")  # type offset vaddr paddr filesz memsz flags align


def core32(out, specs):
    blobs = []
    for s in specs:
        parts = s.split(":")
        data = open(parts[1], "rb").read()
        blobs.append((int(parts[0], 0), data, int(parts[2], 0) if len(parts) > 2 else len(data)))
    ident = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)
    head = ident + struct.pack("<HHIIIIIHHHHHH", 4, 40, 1, 0, 52, 0, 0, 52, 32, len(blobs), 40, 0, 0)
    off = 4096
    hdrs, body = b"", b""
    for pa, data, memsz in blobs:
        hdrs += PHDR32.pack(1, off + len(body), pa, pa, len(data), memsz, 6, 4096)
        body += data
    head += hdrs
    with open(out, "wb") as f:
        f.write(head + bytes(4096 - len(head)) + body)


def core(out, specs):
    blobs = []
    for s in specs:
        parts = s.split(":")
        pa = int(parts[0], 0)
        data = open(parts[1], "rb").read()
        memsz = int(parts[2], 0) if len(parts) > 2 else len(data)
        blobs.append((pa, data, memsz))
    off = 64 + 56 * len(blobs)
    off = (off + 4095) & ~4095
    hdrs, body = b"", b""
    for pa, data, memsz in blobs:
        hdrs += PHDR.pack(1, 6, off + len(body), pa, pa, len(data), memsz, 4096)
        body += data
    with open(out, "wb") as f:
        head = ehdr(len(blobs)) + hdrs
        f.write(head + bytes((64 + 56 * len(blobs) + 4095) // 4096 * 4096 - len(head)) + body)


def phdrs(img):
    phoff, = struct.unpack_from("<Q", img, 32)
    phnum, = struct.unpack_from("<H", img, 56)
    return [(phoff + 56 * i, PHDR.unpack_from(img, phoff + 56 * i)) for i in range(phnum)]


def poke(path, pa, value, fmt="<Q"):
    img = bytearray(open(path, "rb").read())
    for _, h in phdrs(img):
        if h[0] == 1 and h[4] <= pa < h[4] + h[5]:
            struct.pack_into(fmt, img, h[2] + pa - h[4], value)
            open(path, "wb").write(img)
            return
    sys.exit("poke: 0x%x is in no PT_LOAD" % pa)


def set_phdr(path, index, field, value):
    img = bytearray(open(path, "rb").read())
    at, h = phdrs(img)[index]
    h = list(h)
    h[FIELDS.index(field)] = value
    PHDR.pack_into(img, at, *h)
    open(path, "wb").write(img)


EHDR = {"type": (16, "<H"), "phoff": (32, "<Q"), "phnum": (56, "<H")}


def set_ehdr(path, field, value):
    img = bytearray(open(path, "rb").read())
    struct.pack_into(EHDR[field][1], img, EHDR[field][0], value)
    open(path, "wb").write(img)


def subst(path, old, new):
    data = open(path, "rb").read()
    if len(old) != len(new) or old not in data:
        sys.exit("subst: %r is not in %s, or %r is not as long" % (old, path, new))
    open(path, "wb").write(data.replace(old, new))


def addsegment(path, data, align, header):
    """Append a segment's bytes and a program header table one longer;
    header(offset) is the new segment's program header."""
    img = bytearray(open(path, "rb").read())
    img += bytes(-len(img) % align)
    off = len(img)
    img += data
    table = b"".join(PHDR.pack(*h) for _, h in phdrs(img))
    table += PHDR.pack(*header(off))
    img += bytes(-len(img) % 8)
    struct.pack_into("<Q", img, 32, len(img))
    struct.pack_into("<H", img, 56, len(table) // 56)
    img += table
    open(path, "wb").write(img)


NHDR = ["namesz", "descsz", "type"]


def set_nhdr(path, field, value):
    img = bytearray(open(path, "rb").read())
    notes = [h for _, h in phdrs(img) if h[0] == 4]
    if not notes:
        sys.exit("nhdr: %s has no PT_NOTE" % path)
    struct.pack_into("<I", img, notes[0][2] + 4 * NHDR.index(field), value)
    open(path, "wb").write(img)


def addload(path, pa, data):
    addsegment(path, data, 4096, lambda off: (1, 6, off, pa, pa, len(data), len(data), 4096))


def addnote(path, owner, ntype, text):
    name = owner.encode() + b"\0"
    note = struct.pack("<III", len(name), len(text), ntype)
    note += name + bytes(-len(name) % 4) + text + bytes(-len(text) % 4)
    addsegment(path, note, 4, lambda off: (4, 0, off, 0, 0, len(note), 0, 4))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "core":
        core(sys.argv[2], sys.argv[3:])
    elif cmd == "core32":
        core32(sys.argv[2], sys.argv[3:])
    elif cmd == "poke":
        poke(sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0))
    elif cmd == "poke32":
        poke(sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0), "<I")
    elif cmd == "ehdr":
        set_ehdr(sys.argv[2], sys.argv[3], int(sys.argv[4], 0))
    elif cmd == "subst":
        subst(sys.argv[2], sys.argv[3].encode(), sys.argv[4].encode())
    elif cmd == "addload":
        addload(sys.argv[2], int(sys.argv[3], 0), open(sys.argv[4], "rb").read())
    elif cmd == "nhdr":
        set_nhdr(sys.argv[2], sys.argv[3], int(sys.argv[4], 0))
    elif cmd == "addnote":
        addnote(sys.argv[2], sys.argv[3], int(sys.argv[4], 0), sys.argv[5].encode())
    elif cmd == "phdr":
        set_phdr(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5], 0))
    else:
        sys.exit(__doc__)

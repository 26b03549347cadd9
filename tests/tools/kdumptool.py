#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Damage compressed kdumps (as mkkdump writes them: little-endian, the
64-bit header layout, not split) for the tests.

  kdumptool.py set KDUMP FIELD VALUE       a disk_dump_header or
                                           kdump_sub_header field
  kdumptool.py desc KDUMP PFN FIELD VALUE  a field of a dumped pfn's page_desc
                                           (offset, size, flags)
  kdumptool.py data KDUMP PFN HEX          overwrite the start of its page data
  kdumptool.py descs KDUMP                 print the file offset of the first
                                           page_desc
  kdumptool.py sparse OUT PAGES PFN MEMFILE  a new plain kdump of PAGES
                                           pages (max_mapnr) holding only
                                           MEMFILE's pages from pfn PFN, raw;
                                           its bitmaps are holes elsewhere
"""
import struct
import sys

# src/mem/kdump.h: kdump_layout64; sub-header fields are relative to block 1
HEADER = {"header_version": (8, "I"), "status": (424, "I"), "block_size": (428, "I"),
          "sub_hdr_size": (432, "I"), "bitmap_blocks": (436, "I"), "max_mapnr": (440, "I")}
SUB = {"split": (12, "I"), "start_pfn_64": (80, "Q"), "end_pfn_64": (88, "Q"),
       "max_mapnr_64": (96, "Q")}
DESC = {"offset": (0, "Q"), "size": (8, "I"), "flags": (12, "I")}


def get(b, off, fmt):
    return struct.unpack_from("<" + fmt, b, off)[0]


def put(b, off, fmt, value):
    struct.pack_into("<" + fmt, b, off, value)


def descs(b):
    """File offset of the page_descs, after the header, sub-header and bitmaps."""
    bs = get(b, 428, "I")
    return (1 + get(b, 432, "I")) * bs + get(b, 436, "I") * bs


def desc_offset(b, pfn):
    """File offset of pfn's page_desc: one per dumped pfn, in pfn order."""
    bs = get(b, 428, "I")
    bitmap = (1 + get(b, 432, "I")) * bs
    half = get(b, 436, "I") * bs // 2
    dumped = b[bitmap + half:bitmap + 2 * half]
    if not dumped[pfn >> 3] >> (pfn & 7) & 1:
        sys.exit("pfn 0x%x is not in the dump" % pfn)
    rank = sum(bin(x).count("1") for x in dumped[:pfn >> 3])
    rank += bin(dumped[pfn >> 3] & ((1 << (pfn & 7)) - 1)).count("1")
    return descs(b) + 24 * rank


def sparse(out, pages, pfn, data):
    """A kdump of a huge machine that kept a few pages: its 2*PAGES/8 bytes
    of bitmaps are written only where a bit is set, the rest left holes."""
    bs = 4096
    data += bytes(-len(data) % bs)
    n = len(data) // bs
    half = (pages + 8 * bs - 1) // (8 * bs)
    h = bytearray(464)
    h[0:8] = b"KDUMP   "
    put(h, 8, "I", 6)
    h[12 + 4 * 65:12 + 4 * 65 + 7] = b"aarch64"
    for field, value in (("block_size", bs), ("sub_hdr_size", 1), ("bitmap_blocks", 2 * half),
                         ("max_mapnr", min(pages, 0xffffffff))):
        put(h, *HEADER[field], value)
    put(h, 460, "I", 1)
    sub = bytearray(104)
    put(sub, 8, "I", 1)
    put(sub, *SUB["max_mapnr_64"], pages)
    descs = (2 + 2 * half) * bs
    with open(out, "wb") as f:
        f.write(h)
        f.seek(bs)
        f.write(sub)
        for bitmap in (2, 2 + half):
            first, last = pfn // 8, (pfn + n - 1) // 8
            bits = bytearray(last - first + 1)
            for p in range(pfn, pfn + n):
                bits[p // 8 - first] |= 1 << (p % 8)
            f.seek(bitmap * bs + first)
            f.write(bits)
        at = descs + 24 * n
        f.seek(descs)
        for i in range(n):
            f.write(struct.pack("<QIIQ", at + i * bs, bs, 0, 0))
        f.write(data)


def main():
    if sys.argv[1] == "sparse":
        sparse(sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0), open(sys.argv[5], "rb").read())
        return
    cmd, path = sys.argv[1], sys.argv[2]
    b = bytearray(open(path, "rb").read())
    if cmd == "set":
        field, value = sys.argv[3], int(sys.argv[4], 0)
        if field in HEADER:
            put(b, *HEADER[field], value)
        else:
            off, fmt = SUB[field]
            put(b, get(b, 428, "I") + off, fmt, value)
    elif cmd == "desc":
        pfn, field, value = int(sys.argv[3], 0), sys.argv[4], int(sys.argv[5], 0)
        off, fmt = DESC[field]
        put(b, desc_offset(b, pfn) + off, fmt, value)
    elif cmd == "data":
        pfn, data = int(sys.argv[3], 0), bytes.fromhex(sys.argv[4])
        at = get(b, desc_offset(b, pfn), "Q")
        b[at:at + len(data)] = data
    elif cmd == "descs":
        print(descs(b))
        return
    else:
        sys.exit(__doc__)
    open(path, "wb").write(b)


if __name__ == "__main__":
    main()

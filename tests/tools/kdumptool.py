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


def main():
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

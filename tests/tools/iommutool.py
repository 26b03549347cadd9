#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""IOMMU structures for the tests, written as the kernels write them and as
they must not be: one flat memory file whose first byte is at BASE.

  iommutool.py OUT BASE SIZE [PA=WORD[,WORD...]]...

Each PA=WORDS puts little-endian 64-bit words at physical address PA
(numbers as Python reads them: 0x..., or expressions like 3|4<<9; WORD*N
is WORD N times). The tests compose device table entries, STEs, CDs and
the like from these.
"""
import struct
import sys


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    out, base, size = argv[1], int(argv[2], 0), int(argv[3], 0)
    mem = bytearray(size)
    for arg in argv[4:]:
        pa, words = arg.split("=", 1)
        off = eval(pa, {}) - base
        values = []
        for w in words.split(","):
            word, _, count = w.partition("*")
            values += [eval(word, {}) & (1 << 64) - 1] * (int(count, 0) if count else 1)
        struct.pack_into("<%dQ" % len(values), mem, off, *values)
    with open(out, "wb") as f:
        f.write(mem)


if __name__ == "__main__":
    main(sys.argv)

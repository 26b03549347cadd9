#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# mkinitramfs.py [--base INITRD.gz] OUT [NAME=]FILE...: an initramfs (cpio
# "newc") holding /dev with its console node and each FILE as NAME (default:
# its own name, at the top; a NAME with slashes gets its directories),
# executable; the kernel runs /init from it. With --base, every entry of
# that gzipped initramfs comes first, those of the same names (its /init)
# replaced.
import gzip
import os
import stat
import sys


def entry(out, fields, name, mode, data=b"", rdev=(0, 0)):
    fields = list(fields)
    fields[1], fields[6], fields[11] = mode, len(data), len(name) + 1
    fields[9], fields[10] = rdev
    head = ("070701" + "".join("%08x" % v for v in fields)).encode() + name + b"\0"
    out.write(head + b"\0" * (-len(head) % 4))
    out.write(data + b"\0" * (-len(data) % 4))


def entries(archive):
    """(fields, name, data) of each entry of a newc archive, names as bytes."""
    off = 0
    while archive[off:off + 6] == b"070701":
        fields = [int(archive[off + 6 + 8 * i:off + 14 + 8 * i], 16) for i in range(13)]
        name = archive[off + 110:off + 110 + fields[11] - 1]
        off += 110 + fields[11]
        off += -off % 4
        data = archive[off:off + fields[6]]
        off += fields[6]
        off += -off % 4
        if name == b"TRAILER!!!":
            return
        yield fields, name, data


def main():
    args = sys.argv[1:]
    base = None
    if args[0] == "--base":
        base, args = args[1], args[2:]
    tmp = args[0] + ".tmp"
    files = {}
    for arg in args[1:]:
        name, _, path = arg.rpartition("=")
        files[(name or os.path.basename(path)).encode()] = path
    ino = 1 << 20  # past the base archive's inodes
    with open(tmp, "wb") as out:
        if base:
            with gzip.open(base) as f:
                for fields, name, data in entries(f.read()):
                    if name not in files:
                        entry(out, fields, name, fields[1], data, (fields[9], fields[10]))
        else:
            entry(out, [ino] + [0] * 12, b"dev", stat.S_IFDIR | 0o755)
            entry(out, [ino + 1] + [0] * 12, b"dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
        ino += 2
        # the kernel makes no directory a file's name implies
        dirs = {b"/".join(n.split(b"/")[:i]) for n in files for i in range(1, n.count(b"/") + 1)}
        for name in sorted(dirs):
            entry(out, [ino] + [0] * 12, name, stat.S_IFDIR | 0o755)
            ino += 1
        for name, path in sorted(files.items()):
            with open(path, "rb") as f:
                entry(out, [ino, 0, 0, 0, 1] + [0] * 8, name, stat.S_IFREG | 0o755, f.read())
            ino += 1
        entry(out, [0] * 13, b"TRAILER!!!", 0)
    os.replace(tmp, args[0])


main()

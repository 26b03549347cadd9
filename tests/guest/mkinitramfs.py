#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# mkinitramfs.py OUT FILE...: an initramfs (cpio "newc") holding /dev with
# its console node, and each FILE at the top, executable; the kernel runs
# /init from it.
import os
import stat
import sys


def entry(out, ino, name, mode, data=b"", rdev=(0, 0)):
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    head = ("070701" + "".join("%08x" % v for v in fields)).encode() + name.encode() + b"\0"
    out.write(head + b"\0" * (-len(head) % 4))
    out.write(data + b"\0" * (-len(data) % 4))


def main():
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "wb") as out:
        entry(out, 1, "dev", stat.S_IFDIR | 0o755)
        entry(out, 2, "dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
        for i, path in enumerate(sys.argv[2:]):
            with open(path, "rb") as f:
                entry(out, 3 + i, os.path.basename(path), stat.S_IFREG | 0o755, f.read())
        entry(out, 0, "TRAILER!!!", 0)
    os.replace(tmp, sys.argv[1])


main()

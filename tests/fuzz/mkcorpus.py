#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Make the binary seed corpora from the spec seeds corpus/spec/tiny-*.yaml.

  tests/fuzz/mkcorpus.py BUILD    (BUILD holds pgtctl and tests/tools/mkkdump)

walk/   a fuzz_walk.c header and the table memory of each spec
image/  the IMAGE of each spec, and one of them as an ELF32 core
kdump/  the table memory of two specs as compressed and flattened kdumps
iommu/  a fuzz_iommu.c header and the structures of each IOMMU, as the
        kernels write them, around the amd and arm64-s1 tables

Run it again when a spec seed or the walk header changes; the files are
committed so that make test replays them without generating anything.
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
QUIRK_BITS = {"arm-ns": 0, "no-perms": 1, "arm-mtk-ext": 3, "arm-mtk-ttbr-ext": 4,
              "arm-ttbr1": 5, "arm-outer-wbwa": 6, "arm-hd": 7}
# fuzz_walk.c: enum flag
F_RAWFILE, F_SPLIT, F_IAS, F_OAS, F_PGSIZES, F_QUIRKS = 2, 4, 8, 16, 32, 64


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def walk_header(info, formats, base, rawfile):
    """The header fuzz_walk.c reads: the table's own configuration."""
    cfg = info["config"]
    quirks = sum(1 << QUIRK_BITS[q] for q in cfg["quirks"])
    flags = F_IAS | F_OAS | F_PGSIZES | F_QUIRKS | (F_RAWFILE if rawfile else 0)
    roots = [int(r, 16) - base for r in info["roots"]] + [0] * 4
    mode = info["registers"].get("mode", 0)
    page_shift = int(cfg["cpu_page_size"], 16).bit_length() - 1
    iovas = []
    for leaf in info["leaves"][:3]:
        iovas.append(int(leaf["iova"], 16) + 0x123)
    iovas += [0] * (3 - len(iovas))
    h = struct.pack("<BBBBBBBB", formats.index(info["format"]), flags, cfg["ias"], cfg["oas"],
                    mode, page_shift, quirks, 0)
    h += struct.pack("<QQ", int(cfg["pgsize_bitmap"], 16), base)
    h += struct.pack("<4I", *roots[:4]) + struct.pack("<3Q", *iovas) + struct.pack("<I", 0)
    assert len(h) == 68
    return h


def iommu_seed(path, kind, base, reg0, reg1, words, table):
    """A fuzz_iommu.c header, the memory from base: a table built there
    (its first 32K), then the structures."""
    mem = bytearray(0x10000)
    mem[:len(table)] = table
    for pa, ws in words.items():
        struct.pack_into("<%dQ" % len(ws), mem, pa - base, *ws)
    flags = 1 if reg1 is not None else 0
    h = struct.pack("<BB6xQQQ", kind, flags | 2 | 4, base, reg0, reg1 or 0)
    with open(path, "wb") as f:
        f.write(h + bytes(mem))


def iommu_seeds(out, amd, arm64):
    """One seed per IOMMU (pgt_iommu_kinds() order: amd-vi, intel-vtd,
    smmuv3, riscv), its structures 32K above a table they point to."""
    t = 0x100000000
    s = t + 0x8000
    # AMD-Vi: a one-page device table, 00:03.0 on the v1 table (mode 3),
    # 00:04.0 passed through, 00:05.0 with a GCR3 table
    dte = {s + i * 32: [3, 0, 0, 0] for i in range(128)}
    dte[s + 0x18 * 32] = [3 | 3 << 9 | t | 3 << 61, 5, 0, 0]
    dte[s + 0x20 * 32] = [3 | 3 << 61, 6, 0, 0]
    g = s + 0x1000
    dte[s + 0x28 * 32] = [3 | 1 << 55 | 1 << 54 | 3 << 61 | ((g >> 12) & 7) << 58,
                          9 | ((g >> 15) & 0xffff) << 16 | (g >> 31) << 43, 0, 0]
    dte[g] = [t | 1]
    iommu_seed(os.path.join(out, "amd-vi"), 0, t, s, None, dte, amd)
    # the arm64 table's memory for the others
    t = 0x80000000
    s = t + 0x8000
    # VT-d scalable: bus 0's context table, 00:02.0's PASID directory and
    # a first-stage PASID entry
    vtd = {s: [s + 0x1000 | 1, 0], s + 0x1000 + 0x10 * 32: [s + 0x2000 | 1 | 8, 0, 0, 0],
           s + 0x2000: [s + 0x3000 | 1], s + 0x3000: [1 | 1 << 6 | 2 << 2, 7, t, 0, 0, 0, 0, 0]}
    iommu_seed(os.path.join(out, "intel-vtd"), 1, t, s | 1 << 10, None, vtd, arm64)
    # SMMUv3: a 2-level stream table (SPLIT 6), SID 1 on a CD of the table
    cd = [16 | 1 << 8 | 1 << 10 | 3 << 12 | 1 << 30 | 1 << 31 | 5 << 32 | 1 << 41 | 1 << 48, t,
          0, 0xf404ff44, 0, 0, 0, 0]
    smmu = {s: [s + 0x1000 | 7], s + 0x1000 + 64: [1 | 5 << 1 | (s + 0x3000), 0, 0, 0, 0, 0, 0,
                                                   0],
            s + 0x3000: cd}
    iommu_seed(os.path.join(out, "smmuv3"), 2, t, s, 1 << 16 | 6 << 6 | 8, smmu, arm64)
    # RISC-V: a 2-level directory of base contexts, device 0x18 on Sv48
    rv = {s: [(s + 0x1000) >> 12 << 10 | 1], s + 0x1000 + 0x18 * 32: [1, 0, 6 << 12,
                                                                     9 << 60 | (t >> 12)]}
    iommu_seed(os.path.join(out, "riscv"), 3, t, s >> 12 << 10 | 3, None, rv, arm64)


def main():
    build = sys.argv[1]
    pgtctl = os.path.join(build, "pgtctl")
    mkkdump = os.path.join(build, "tests", "tools", "mkkdump")
    formats = [f["name"] for f in json.loads(run(pgtctl, "formats", "--json"))["formats"]]
    out = {d: os.path.join(HERE, "corpus", d) for d in ("walk", "image", "kdump", "iommu")}
    for d in out.values():
        os.makedirs(d, exist_ok=True)
    specs = sorted(f for f in os.listdir(os.path.join(HERE, "corpus", "spec"))
                   if f.startswith("tiny-"))
    with tempfile.TemporaryDirectory() as tmp:
        for i, spec in enumerate(specs):
            name = spec[len("tiny-"):-len(".yaml")]
            img, raw = os.path.join(out["image"], name + ".img"), os.path.join(tmp, name)
            run(pgtctl, "build", os.path.join(HERE, "corpus", "spec", spec), "-o", img)
            run(pgtctl, "emit", img, "-o", raw, "--raw")
            info = json.loads(run(pgtctl, "info", "--json", img))
            info["leaves"] = json.loads(run(pgtctl, "dump", "--json", img))["mappings"]
            base = int(re.search(r"base: (0x[0-9a-f]+)", open(os.path.join(
                HERE, "corpus", "spec", spec)).read()).group(1), 16)
            with open(raw, "rb") as f:
                memory = f.read()
            with open(os.path.join(out["walk"], name), "wb") as f:
                f.write(walk_header(info, formats, base, i % 2) + memory)
        # an ELF32 core of one table, for the ELF reader's other class
        run(sys.executable, os.path.join(HERE, "..", "tools", "elftool.py"), "core32",
            os.path.join(out["image"], "arm64-s1-core32.elf"),
            "0x80000000:" + os.path.join(tmp, "arm64-s1"))
        # kdumps of memory at PA 0 in small blocks keep the files (and
        # their bitmaps, which start at pfn 0) small
        kdumps = [("amd-zlib", ["-c", "zlib"]), ("amd-lzo-flat", ["-c", "lzo", "-F"]),
                  ("amd-snappy-be", ["-c", "snappy", "--big-endian"]),
                  ("amd-zstd-32bit", ["-c", "zstd", "--32bit"]),
                  ("amd-none-excluded", ["-c", "none", "-x", "2-3"]),
                  ("amd-split", ["-c", "zlib", "--split", "0-4"]),
                  ("arm64-zstd-flat", ["-c", "zstd", "-F", "-B", "4096"])]
        with open(os.path.join(tmp, "amd"), "rb") as f:
            amd = f.read()
        with open(os.path.join(tmp, "arm64-s1"), "rb") as f:
            arm64 = f.read()
        iommu_seeds(out["iommu"], amd[:0x8000], arm64[:0x8000])
        for name, opts in kdumps:
            src = "arm64-s1" if name.startswith("arm64") else "amd"
            if "-B" not in opts:
                opts = opts + ["-B", "512"]
            run(mkkdump, *opts, os.path.join(tmp, src),
                os.path.join(out["kdump"], name))


if __name__ == "__main__":
    main()

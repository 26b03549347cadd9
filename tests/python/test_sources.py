# SPDX-License-Identifier: MIT
"""Every kind of SOURCE pgtctl opens, opened by pgt.open: each translates,
walks and dumps as pgtctl does on the same input."""
import os
import shutil
import subprocess

import pytest

import pgt
import shapes
from conftest import PGTCTL, pgtctl, pgtctl_json, run, tool

MKKDUMP = os.path.join(os.path.dirname(PGTCTL), "tests", "tools", "mkkdump")


def translations(t, iovas):
    levels = len(t.levels)
    return [shapes.translation(x, levels) for x in t.translate_many(iovas)]


def same_as_pgtctl(t, iovas, *source):
    """t translates, dumps and lists leaves as pgtctl on the same source."""
    hexes = [hex(i) for i in iovas]
    assert translations(t, iovas) == pgtctl_json("translate", "-v", *source, *hexes)
    assert [shapes.mapping(m) for m in t.mappings()] == pgtctl_json("dump", *source)["mappings"]
    assert [shapes.leaf(l) for l in t.leaves()] == \
        pgtctl_json("dump", "--leaves", *source)["mappings"]


def dump_args(image, flag, path):
    return [flag, path, "--format", image["format"], "--root", hex(image["root"])]


def test_image(image):
    t = pgt.open(image["img"])
    assert t.format == "arm-64-lpae-s1" and t.roots == (image["root"],)
    assert t.name == str(image["img"])
    same_as_pgtctl(t, image["iovas"], image["img"])


def test_spec(image):
    t = pgt.open(image["spec"])
    same_as_pgtctl(t, image["iovas"], image["spec"])
    assert t.memory.writable


def test_spec_text(image):
    t = pgt.Table.spec(text=image["spec"].read_text())
    assert translations(t, image["iovas"]) == translations(pgt.open(image["img"]), image["iovas"])


def test_raw(image):
    t = pgt.open(raw=image["raw"], base=image["base"], format=image["format"],
                 root=image["root"])
    same_as_pgtctl(t, image["iovas"], "--raw", image["raw"], "--base", hex(image["base"]),
                   "--format", image["format"], "--root", hex(image["root"]))


def test_big_endian(image):
    """big_endian= reads the descriptors in the other byte order, as --endian big."""
    t = pgt.open(raw=image["raw"], base=image["base"], format=image["format"],
                 root=image["root"], big_endian=True)
    assert t.memory.big_endian and t.translate(0x10000000).stop == "malformed"
    same_as_pgtctl(t, image["iovas"], "--raw", image["raw"], "--base", hex(image["base"]),
                   "--format", image["format"], "--root", hex(image["root"]), "--endian", "big")
    t.memory.big_endian = False  # for tables attached from now on
    again = pgt.Table.attach(image["format"], t.memory, image["root"])
    assert again.translate(0x10000000).pa == 0x880000000


def test_elf_core(image, tmp_path):
    core = tmp_path / "core.elf"
    tool("elftool.py", "core", core, f"{image['base']:#x}:{image['raw']}")
    t = pgt.open(dump=core, format=image["format"], root=image["root"])
    same_as_pgtctl(t, image["iovas"], *dump_args(image, "--dump", core))


def test_image_as_dump(image):
    """An IMAGE read as memory, its format and root given (as --dump takes it)."""
    t = pgt.open(dump=image["img"], format=image["format"], root=hex(image["root"]))
    same_as_pgtctl(t, image["iovas"], *dump_args(image, "--dump", image["img"]))


@pytest.mark.parametrize("codec", ["zlib", "lzo", "snappy", "zstd", "none", "flattened"])
def test_kdump(image, tmp_path, codec):
    dump = tmp_path / f"{codec}.kdump"
    flags = ["-c", "zstd", "-F"] if codec == "flattened" else ["-c", codec]
    run(MKKDUMP, "-b", hex(image["base"]), *flags, image["raw"], dump)
    t = pgt.open(dump=dump, format=image["format"], root=image["root"])
    same_as_pgtctl(t, image["iovas"], *dump_args(image, "--dump", dump))


def test_kdump_excluded_page(image, tmp_path):
    """A page the dump left out is a problem of the walk, as pgtctl says."""
    dump = tmp_path / "hole.kdump"
    run(MKKDUMP, "-b", hex(image["base"]), "-c", "lzo", "-x", "0x48003", image["raw"], dump)
    t = pgt.open(dump=dump, format=image["format"], root=image["root"])
    tr = t.translate(0x8000000)
    assert tr.pa is None and tr.stop == "excluded"
    source = dump_args(image, "--dump", dump)
    same_as_pgtctl(t, image["iovas"], *source)
    assert [shapes.problem(p) for p in t.check()] == \
        [{k: p[k] for k in ("kind", "level", "iova", "desc_pa", "desc", "why")}
         for p in pgtctl_json("check", *source)["problems"]]
    it = t.mappings()
    list(it)
    assert [p.kind for p in it.problems] == ["excluded"]


def qemu_dump(raw, base, command, cwd):
    """A stopped aarch64 guest with raw at base, dumped by its monitor."""
    p = subprocess.run(
        ["timeout", "120", "qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "256M",
         "-S", "-display", "none", "-monitor", "stdio", "-nodefaults", "-device",
         f"loader,file={raw},addr={base:#x},force-raw=on"],
        input=f"{command}\nquit\n", capture_output=True, text=True, cwd=cwd)
    assert p.returncode == 0, p.stderr


def test_qemu_dumps(image, tmp_path):
    """QEMU's dump-guest-memory: an ELF core, and a flattened zlib kdump."""
    assert shutil.which("qemu-system-aarch64"), "qemu-system-aarch64 is installed (make check-deps)"
    qemu_dump(image["raw"], image["base"], "dump-guest-memory guest.elf", tmp_path)
    qemu_dump(image["raw"], image["base"], "dump-guest-memory -z guest.flat", tmp_path)
    for name in ("guest.elf", "guest.flat"):
        dump = tmp_path / name
        t = pgt.open(dump=dump, format=image["format"], root=image["root"])
        same_as_pgtctl(t, image["iovas"], *dump_args(image, "--dump", dump))
        assert t.check() == []


def test_several_files(image, tmp_path):
    """Memory of two files: the table's first page raw, the rest in a core."""
    head, tail = tmp_path / "head.raw", tmp_path / "tail.raw"
    data = image["raw"].read_bytes()
    head.write_bytes(data[:4096])
    tail.write_bytes(data[4096:])
    core = tmp_path / "tail.elf"
    tool("elftool.py", "core", core, f"{image['base'] + 4096:#x}:{tail}")
    t = pgt.open(dump=[core], raw=[(head, image["base"])], format=image["format"],
                 root=image["root"])
    same_as_pgtctl(t, image["iovas"], "--raw", head, "--base", hex(image["base"]), "--dump",
                   core, "--format", image["format"], "--root", hex(image["root"]))
    assert t.memory.ranges == [(image["base"], 4096), (image["base"] + 4096, len(data) - 4096)]


def test_every_sample(samples, tmp_path):
    """Every bundled spec, in every format it uses: built, then read back
    from its IMAGE as pgtctl reads it (DART's several roots, AMD v1's mode)."""
    names = sorted(f for f in os.listdir(samples) if f.endswith(".yaml"))
    assert len(names) >= 10
    for name in names:
        img = tmp_path / (name + ".img")
        pgtctl("build", os.path.join(samples, name), "-o", img)
        t = pgt.open(img)
        iovas = [m.iova for m in t.mappings()] + [m.iova + m.size - 1 for m in t.mappings()]
        iovas += [t.iova_min, t.iova_max]
        same_as_pgtctl(t, iovas, img)
        info = pgtctl_json("info", img)
        assert t.format == info["format"] and t.kernel == info["kernel"]
        assert [hex(r) for r in t.roots] == info["roots"]
        assert [l.level for l in t.levels] == [l["level"] for l in info["geometry"]["levels"]]
        assert t.registers == shapes.unhex(info["registers"])
        assert shapes.config(t.config) == shapes.unhex(info["config"])


def test_translate_many(image):
    """Many IOVAs at once (in batches) walk as each alone."""
    t = pgt.open(image["img"])
    iovas = [m.iova + off for m in t.mappings() for off in (0, 0x123, m.size - 1)] * 9
    assert len(iovas) > 100
    assert t.translate_many(iovas) == [t.translate(i) for i in iovas]
    assert t.translate_many([]) == []
    assert [t.iova_to_phys(i) for i in iovas] == [x.pa for x in t.translate_many(iovas)]


def test_tree(image):
    t = pgt.open(image["img"])
    assert shapes.tree(t.walk()) == pgtctl_json("dump", "--tree", image["img"])["tables"]


def test_kernel(image):
    """kernel= reads an IMAGE as another kernel's, as --kernel does."""
    t = pgt.open(image["img"], kernel="7.3")
    assert t.kernel == "7.3" and t.config["kernel"] == "7.3"
    assert pgtctl_json("info", "--kernel", "7.3", image["img"])["kernel"] == "7.3"
    assert translations(t, image["iovas"]) == pgtctl_json(
        "translate", "-v", "--kernel", "7.3", image["img"], *map(hex, image["iovas"]))


def test_spec_output(image, tmp_path):
    """spec_text() is dump --output yaml's spec, and builds the same table."""
    t = pgt.open(image["img"])
    text = t.spec_text(comment="again")
    again = tmp_path / "again.yaml"
    again.write_text(text)
    assert translations(pgt.open(again), image["iovas"]) == translations(t, image["iovas"])
    assert text.split("\n", 1)[1] == \
        pgtctl("dump", "--output", "yaml", image["img"]).stdout.split("\n", 1)[1]


def test_whereis(image):
    t = pgt.open(image["img"])
    for pa, size in ((0x880001000, 0x2000), (0x881200000, 1), (0x8c0000000, 0x40000000),
                     (0x12345000, 1)):
        want = pgtctl_json("whereis", image["img"], hex(pa), hex(size))["mappings"]
        got = t.whereis(pa, size)
        assert [{"iova": hex(m.iova), "pa": hex(m.pa), "size": hex(m.size),
                 "prot": m.prot.words, "level": m.level} for m in got] == \
            [{k: w[k] for k in ("iova", "pa", "size", "prot", "level")} for w in want]
    assert t.whereis(0x12345000) == []


def scanned(s):
    return [{"root": hex(c.root), "levels": c.levels, "score": c.score, "tables": c.tables,
             "pages": c.leaves, "mapped": hex(c.mapped), "problems": c.problems,
             "span": [hex(c.lo), hex(c.hi)]}
            for c in s.candidates]


def test_scan(image, tmp_path):
    """Roots found in memory as pgtctl scan finds them, also through
    callbacks, which libpgt's scan threads call."""
    dump = tmp_path / "zstd.kdump"
    run(MKKDUMP, "-b", hex(image["base"]), "-c", "zstd", image["raw"], dump)
    want = pgtctl_json("scan", "--dump", dump, "--format", image["format"], "--top", "3")
    mem = pgt.Memory.dump(dump)
    got = pgt.scan(image["format"], mem, top=3)
    # LPAE's level count is its ias's: one scan, at 4 levels
    assert all(c.levels == 4 for c in got.candidates)
    assert scanned(got) == want["candidates"] and got.stopped is None and want["complete"]
    assert got.candidates[0].root == image["root"]
    threads = []
    cb = pgt.Memory(lambda pa, size: threads.append(1) or mem.read(pa, size), ranges=mem.ranges)
    assert scanned(pgt.scan(image["format"], cb, top=3, threads=3)) == want["candidates"]
    assert threads
    short = pgtctl_json("scan", "--dump", dump, "--format", image["format"], "--budget", "10")
    got = pgt.scan(image["format"], mem, budget=10)
    assert scanned(got) == short["candidates"]
    assert got.stopped == short["stopped"].replace("--budget N", "budget=N")
    with pytest.raises(pgt.InvalidError, match="budget"):
        pgt.scan(image["format"], mem, budget=0)


MAPS = ({"iova": 0x0, "paddr": 0x100000, "size": "4K", "prot": "rw"},
        {"iova": 0x40000000, "paddr": 0x200000, "size": "2M", "prot": "rw"},
        {"iova": 0x3fc0001000, "paddr": 0x300000, "size": "64K", "prot": "r"})


def raw_table(tmp_path, name, format, config, maps=MAPS):
    """A table of format built at 0x80000000 from a spec, as raw memory."""
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(f"format: {format}\nconfig: {{ {config} }}\n"
                    "memory: { base: 0x80000000 }\nmappings:\n" +
                    "".join(f"  - {{ iova: {m['iova']:#x}, paddr: {m['paddr']:#x}, "
                            f"size: {m['size']}, prot: {m['prot']} }}\n" for m in maps))
    img, raw = tmp_path / f"{name}.img", tmp_path / f"{name}.raw"
    pgtctl("build", spec, "-o", img)
    pgtctl("emit", img, "-o", raw, "--raw")
    return raw


@pytest.mark.parametrize("format, config, levels, fixed, flags", [
    ("intel-vtd-ss", "levels: 3", 3, {"levels": 3}, ("--levels", "3")),
    ("amd-iommu-v2", "levels: 5", 5, {"levels": 5}, ("--levels", "5")),
    ("riscv-iommu", "ias: 39", 3, {"ias": 39}, ("--ias", "39")),
])
def test_scan_levels(tmp_path, format, config, levels, fixed, flags):
    """Without ias or the format's option, pgt.scan tries every level count
    the kernel builds the format with, as pgtctl scan does, and names the
    count each candidate was read at; with one, that count alone."""
    maps = MAPS + ({"iova": 0x1000000000000, "paddr": 0x400000, "size": "4K", "prot": "r"},) \
        if levels == 5 else MAPS
    raw = raw_table(tmp_path, "t", format, config, maps)
    mem = pgt.Memory.raw(raw, 0x80000000)
    source = ("--raw", raw, "--base", "0x80000000", "--format", format)
    want = pgtctl_json("scan", *source)
    got = pgt.scan(format, mem)
    assert scanned(got) == want["candidates"] and got.stopped is None
    # the format's default configuration has 4 levels: the root was read at another
    assert got.candidates[0].root == 0x80000000 and got.candidates[0].levels == levels
    # the count fixed: that one alone, as pgtctl's option gives it
    want = pgtctl_json("scan", *source, *flags)
    got = pgt.scan(format, mem, **fixed)
    assert scanned(got) == want["candidates"]
    assert got.candidates[0].root == 0x80000000
    assert all(c.levels == levels for c in got.candidates)


def test_scan_refused(tmp_path):
    """A configuration the kernel refuses at every level count raises its
    reason, as pgtctl scan fails with it."""
    raw = raw_table(tmp_path, "rv", "riscv-iommu", "ias: 39")
    mem = pgt.Memory.raw(raw, 0x80000000)
    p = pgtctl("scan", "--raw", raw, "--base", "0x80000000", "--format", "riscv-iommu",
               "--quirks", "riscv-svpbmt")
    assert p.returncode == 1 and "riscv-svpbmt" in p.stderr
    with pytest.raises(pgt.Error, match="riscv-svpbmt"):
        pgt.scan("riscv-iommu", mem, quirks="riscv-svpbmt")


def test_scan_iommu(tmp_path, samples):
    img = tmp_path / "amd.img"
    pgtctl("build", os.path.join(samples, "amd-v1-mixed.yaml"), "-o", img)
    want = pgtctl_json("scan", "--dump", img, "--iommu", "amd-vi")["candidates"]
    got = pgt.scan_iommu("amd-vi", pgt.Memory.dump(img))
    assert [{"root": hex(c.pa), "score": c.score, "entries": c.entries, "devices": c.devices,
             "tables": c.tables, "problems": c.problems, "register": c.register}
            for c in got] == want
    assert got

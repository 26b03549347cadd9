# SPDX-License-Identifier: MIT
"""IOMMU structures, built here by hand around tables pgtctl built (as
t0230 builds them): pgt.Iommu lists the devices pgtctl devices lists,
opens each device's table as --device does, and reads the structures
through memory of callbacks as well as from a dump."""
import errno
import os

import pytest

import pgt
import shapes
from conftest import SAMPLES, pgtctl, pgtctl_json, tool

DT, ST, CD = 0x10000000, 0x10010000, 0x10011000
AMD = ["--iommu", "amd-vi", "--iommu-reg", "0x10000001"]
SMMU = ["--iommu", "smmuv3", "--iommu-reg", "0x10010000,0x6"]


def cd0(asid, extra=""):
    """arm_smmu_make_s1_cd(): T0SZ 16, TG0 4K, WBWA inner shareable, EPD1,
    V, IPS 48 bits, AA64, R, A, ASET; TTB0 0x80000000; MAIR."""
    return (f"16|1<<8|1<<10|3<<12|1<<30|1<<31|{asid}<<32|1<<41|1<<45|1<<46|1<<47|1<<48{extra},"
            "0x80000000,0,0xf404ff44")


@pytest.fixture
def dump(tmp_path):
    """An ELF core with an AMD v1 table, an LPAE table, an AMD-Vi device
    table (00:03.0 translated, 00:04.0 bypass, 00:05.0 with a reserved bit
    set) and an SMMUv3 stream table (stream 1 through a CD, 2 bypass, 3
    aborted by its CD's EPD0)."""
    for name, spec in (("amd", "amd-v1-mixed.yaml"), ("smmu", "smmuv3-s1-4k.yaml")):
        pgtctl("build", os.path.join(SAMPLES, spec), "-o", tmp_path / f"{name}.img")
        pgtctl("emit", tmp_path / f"{name}.img", "-o", tmp_path / f"{name}.raw", "--raw")
    v1 = "3|4<<9|0x100000000|3<<61"
    tool("iommutool.py", tmp_path / "st.raw", hex(DT), "0x30000",
         f"{DT + 0x18 * 32}={v1},5", f"{DT + 0x20 * 32}=3|3<<61,6", f"{DT + 0x28 * 32}={v1}|1<<3",
         f"{DT + 32}=1", f"{ST + 64}=1|5<<1|{CD}", f"{ST + 128}=1|4<<1",
         f"{ST + 192}=1|5<<1|{CD + 64}", f"{CD}={cd0(5)}", f"{CD + 64}={cd0(5, '|1<<14')}")
    core = tmp_path / "mem.elf"
    tool("elftool.py", "core", core, f"0x80000000:{tmp_path / 'smmu.raw'}",
         f"0x100000000:{tmp_path / 'amd.raw'}", f"0x10000000:{tmp_path / 'st.raw'}")
    return core


def listed(d):
    """A Device as devices --json lists it."""
    j = {"id": d.id, "mode": d.mode, "domain": d.domain}
    if d.domain is not None:
        j["domain_name"] = d.domain_name
    if d.table is None:
        j["format"] = None
    else:
        j.update(format=d.table.format, roots=[hex(r) for r in d.table.roots],
                 config=shapes.config(d.table.config),
                 mappings=len(list(d.open_table().mappings())))
    if d.note is not None:
        j["note"] = d.note
    return j


def want_devices(core, *args):
    j = pgtctl_json("devices", "--dump", core, *args)
    for d in j["devices"]:
        if "config" in d:
            d["config"] = shapes.unhex(d["config"])
    return j


@pytest.mark.parametrize("every", [False, True])
def test_amd_vi(dump, every):
    io = pgt.Iommu("amd-vi", 0x10000001, pgt.Memory.dump(dump))
    want = want_devices(dump, *AMD, *(["--all"] if every else []))
    got = io.devices(all=every)
    assert [listed(d) for d in got] == want["devices"]
    assert [d.id for d in got if d.mode != "invalid" and d.mode != "abort"] == \
        ["0000:00:03.0", "0000:00:04.0", "0000:00:05.0"]
    assert [{"kind": p.kind, "what": p.what, "pa": hex(p.pa), "raw": hex(p.raw), "why": p.why}
            for p in io.problems()] == want["problems"]
    assert io.kind == "amd-vi" and io.register_values == (0x10000001,)
    assert {f.name: hex(f.value) for f in io.register.fields} == want["iommus"][0]["fields"]


def test_smmuv3_chain(dump):
    """The entries on the way to each device, every field decoded (-v)."""
    io = pgt.Iommu("smmuv3", (0x10010000, 6), pgt.Memory.dump(dump))
    want = pgtctl_json("devices", "--dump", dump, *SMMU, "-v")["devices"]
    got = io.devices()
    assert [d.id for d in got] == [d["id"] for d in want] == ["0x1", "0x2"]
    for d, w in zip(got, want):
        assert [{"name": e.name, "index": hex(e.index), "pa": hex(e.pa),
                 "words": [hex(x) for x in e.words],
                 "fields": [{"name": f.name, "value": hex(f.value),
                             **({"meaning": f.meaning} if f.meaning else {})} for f in e.fields]}
                for e in d.chain] == w["chain"]
    assert got[0].table.format == "arm-64-lpae-s1" and got[0].domain_name == "ASID"


def test_device_table(dump):
    """A device's table, as --device opens it, from pgt.open and from a Device."""
    iovas = ["0x1000", "0x40001234", "0x7f0000000"]
    for args, device in ((AMD, "0000:00:03.0"), (SMMU, "0x1")):
        t = pgt.open(dump=dump, iommu=args[1], iommu_reg=args[3], device=device)
        want = pgtctl_json("translate", "-v", "--dump", dump, *args, "--device", device, *iovas)
        assert [shapes.translation(x, len(t.levels)) for x in t.translate_many(iovas)] == want
        assert t.device.id == device and t.device.mode == "translated"
        io = pgt.Iommu(args[1], args[3], t.memory)
        again = io.device(device).open_table()
        assert again.diff(t) == ([], []) and again.device == t.device
    assert pgt.Iommu("smmuv3", "0x10010000,6", pgt.Memory.dump(dump)).device(1).id == "0x1"


@pytest.mark.parametrize("kernel", ["6.12", "7.3"])
def test_device_table_kernel(dump, kernel):
    """kernel= reads a device's table as that kernel's driver set it up,
    as --kernel does for --device."""
    args = [*AMD, "--device", "00:03.0", "--kernel", kernel]
    t = pgt.open(dump=dump, iommu="amd-vi", iommu_reg=0x10000001, device="00:03.0",
                 kernel=kernel)
    info = pgtctl_json("info", "--dump", dump, *args)
    assert t.kernel == info["kernel"] == kernel
    assert shapes.config(t.config) == shapes.unhex(info["config"])
    iovas = [m.iova for m in t.mappings()]
    assert [shapes.translation(x, len(t.levels)) for x in t.translate_many(iovas)] == \
        pgtctl_json("translate", "-v", "--dump", dump, *args, *map(hex, iovas))
    assert t.device.open_table(kernel=kernel).diff(t) == ([], [])


def test_device_refusals(dump):
    io = pgt.Iommu("amd-vi", "0x10000001", pgt.Memory.dump(dump))
    with pytest.raises(pgt.NotFoundError) as e:
        io.device("01:00.0")
    assert e.value.errno == -errno.ENOENT and isinstance(e.value, LookupError)
    why = pgtctl("translate", "--dump", dump, *AMD, "--device", "01:00.0", "0", check=False)
    assert why.returncode == 2
    assert str(e.value) == why.stderr.strip().removeprefix("pgtctl: ")
    for device in ("00:04.0", "00:09.0"):
        with pytest.raises(pgt.NotFoundError) as e:
            io.device(device).open_table()
        why = pgtctl("dump", "--dump", dump, *AMD, "--device", device, check=False)
        assert str(e.value) == why.stderr.strip().removeprefix("pgtctl: ")
        # no table, and DMA that passes untranslated (bypass; V=0): translate answers
        passes = pgtctl("translate", "--dump", dump, *AMD, "--device", device, "0x1000")
        assert passes.stdout == "0x1000 -> 0x1000  bypass  rw\n"
    assert io.device("00:09.0").mode == "invalid"
    # what passes untranslated, as translate answers it for each device
    for device in ("00:03.0", "00:04.0", "00:09.0"):
        d = io.device(device)
        want = pgtctl_json("translate", "--dump", dump, *AMD, "--device", device, "0x1000")[0]
        if "bypass" in want:
            assert d.untranslated.words == want["prot"] and d.untranslated
        else:
            assert d.untranslated == pgt.Prot(0) and d.mode == "translated"
    smmu = pgt.Iommu("smmuv3", "0x10010000,6", io.memory)
    assert smmu.device(3).mode == "abort" and "EPD0" in smmu.device(3).note
    assert not smmu.device(3).untranslated and smmu.device(2).untranslated == pgt.Prot.READ | pgt.Prot.WRITE
    with pytest.raises(pgt.NotFoundError, match="abort, EPD0"):
        smmu.open_table(3)
    with pytest.raises(pgt.InvalidError):
        io.device("not-a-device")
    with pytest.raises(pgt.InvalidError, match="unknown IOMMU 'amd'"):
        pgt.Iommu("amd", 0x10000001, io.memory)
    with pytest.raises(pgt.InvalidError, match="iommu_reg= and device="):
        pgt.open(dump=dump, iommu="amd-vi", device="00:03.0")
    with pytest.raises(pgt.InvalidError, match="do not go with iommu="):
        pgt.open(dump=dump, iommu="amd-vi", iommu_reg=0x10000001, device="00:03.0",
                 format="amd-iommu-v1")


def test_through_callbacks(dump):
    """The structures and tables read by a callback (as a debugger reads
    them): the same devices and the same tables."""
    reads = []
    backing = pgt.Memory.dump(dump)

    def read(pa, size):
        reads.append(pa)
        return backing.read(pa, size)
    mem = pgt.Memory(read, ranges=backing.ranges, name="debugger")
    io = pgt.Iommu("amd-vi", 0x10000001, mem)
    assert [listed(d) for d in io.devices()] == want_devices(dump, *AMD)["devices"]
    assert reads and io.memory is mem
    t = io.open_table("00:03.0")
    assert t.memory is mem and t.diff(pgt.open(dump=dump, iommu="amd-vi",
                                               iommu_reg=0x10000001, device="00:03.0")) == ([], [])

    class Gone(Exception):
        pass

    def broken(pa, size):
        raise Gone("the target went away")
    with pytest.raises(Gone):
        pgt.Iommu("amd-vi", 0x10000001, pgt.Memory(broken)).devices()

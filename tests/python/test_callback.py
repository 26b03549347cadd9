# SPDX-License-Identifier: MIT
"""Memory read through Python callables: whatever can read physical memory
walks tables with pgt. The callback's exceptions come out of the call that
made it read; a table keeps its memory (and the callables) alive; threads
share tables; nothing leaks."""
import errno
import ctypes
import gc
import sys
import threading
import tracemalloc
import weakref

import pytest

import pgt
import shapes
from conftest import pgtctl_json


class Ram:
    """Physical memory as a debugger holds it: bytes at a base address."""

    def __init__(self, base, data):
        self.base, self.data = base, bytearray(data)
        self.reads = 0

    def read(self, pa, size):
        self.reads += 1
        off = pa - self.base
        if off < 0 or off + size > len(self.data):
            raise pgt.AddressError(f"no RAM at {pa:#x}")
        return bytes(self.data[off:off + size])

    def write(self, pa, data):
        off = pa - self.base
        self.data[off:off + len(data)] = data


@pytest.fixture
def ram(image):
    return Ram(image["base"], image["raw"].read_bytes())


def test_reads_as_the_file(image, ram):
    mem = pgt.Memory(ram.read, name="debugger", ranges=[(ram.base, len(ram.data))])
    t = pgt.Table.attach(image["format"], mem, image["root"])
    source = ["--raw", image["raw"], "--base", hex(image["base"]), "--format", image["format"],
              "--root", hex(image["root"])]
    assert [shapes.translation(x, 4) for x in t.translate_many(image["iovas"])] == \
        pgtctl_json("translate", "-v", *source, *map(hex, image["iovas"]))
    assert [shapes.mapping(m) for m in t.mappings()] == pgtctl_json("dump", *source)["mappings"]
    assert ram.reads > 0
    assert mem.name == "debugger" and mem.ranges == [(ram.base, len(ram.data))]
    assert mem.read(image["root"], 8) == image["raw"].read_bytes()[:8]
    assert not mem.writable and t.check() == []
    # pgt.open takes it as memory=
    t = pgt.open(memory=mem, format=image["format"], root=image["root"])
    assert t.translate(0x10000000).pa == 0x880000000


def test_memory_missing(image, ram):
    """A read the callback cannot do: the walk says where, as for a dump."""
    mem = pgt.Memory(ram.read)
    t = pgt.Table.attach(image["format"], mem, image["root"])
    ram.data = ram.data[:0x3000]  # the level-3 tables are gone
    tr = t.translate(0x8000000)
    assert tr.pa is None and tr.stop == "outside-memory"
    assert tr.why == "level 3 descriptor address 0x48003000 is outside memory"
    assert [p.kind for p in t.check()] == ["outside-memory"] * 3
    with pytest.raises(pgt.AddressError, match="no RAM at 0x48003000") as e:
        mem.read(0x48003000, 8)
    assert e.value.errno == -errno.EFAULT


def test_faults_classes(image, ram):
    """A debugger's own fault exception (drgn.FaultError) named in faults."""
    class FaultError(Exception):
        pass

    def read(pa, size):
        if pa >= 0x48003000:
            raise FaultError("could not read memory")
        return ram.read(pa, size)
    t = pgt.Table.attach(image["format"], pgt.Memory(read, faults=(FaultError,)), image["root"])
    tr = t.translate(0x8000000)
    assert tr.stop == "outside-memory" and tr.why.endswith("is outside memory")
    with pytest.raises(pgt.AddressError, match="could not read memory"):
        t.memory.read(0x48003000, 8)


def test_exception_propagates(image, ram):
    """Any other exception comes out of the call that read, with its
    traceback; reads after it are not made; the table still works."""
    class Broken(Exception):
        pass
    fail = {"at": None}

    def read(pa, size):
        if fail["at"] is not None and pa <= fail["at"] < pa + size:
            raise Broken(f"cannot read {fail['at']:#x}")
        return ram.read(pa, size)
    t = pgt.Table.attach(image["format"], pgt.Memory(read), image["root"])
    fail["at"] = 0x48002400
    with pytest.raises(Broken, match="cannot read 0x48002400") as e:
        t.translate(0x10000000)
    assert e.traceback[-1].name == "read"
    with pytest.raises(Broken):
        list(t.mappings())
    with pytest.raises(Broken):
        t.check()
    with pytest.raises(Broken):
        t.diff(pgt.open(image["img"]))
    with pytest.raises(Broken):
        t.translate_many([0x8000000, 0x10000000])
    fail["at"] = None
    assert t.translate(0x10000000).pa == 0x880000000
    # a wrong answer is the callback's error too
    with pytest.raises(ValueError, match=r"read\(0x48000000, 4096\) returned 1 bytes"):
        pgt.Table.attach(image["format"], pgt.Memory(lambda pa, size: b"\0"), image["root"])
    with pytest.raises(TypeError):
        pgt.Table.attach(image["format"], pgt.Memory(lambda pa, size: None), image["root"])


def test_exception_stops_iteration_midway(image, ram):
    fail = {"on": False}

    def read(pa, size):
        if fail["on"]:
            raise KeyError("gone")
        return ram.read(pa, size)
    t = pgt.Table.attach(image["format"], pgt.Memory(read), image["root"])
    it = t.leaves()
    first = next(it)
    fail["on"] = True
    with pytest.raises(KeyError):
        list(it)
    assert first.iova == 0x8000000


def test_write_callback(image, ram):
    """Writes go to the write callback; libpgt edits tables in its own
    arenas only, so a table in the caller's memory stays read-only."""
    mem = pgt.Memory(ram.read, ram.write)
    assert mem.writable
    mem.write(0x48000000, b"\0" * 8)
    assert ram.data[:8] == b"\0" * 8
    t = pgt.Table.attach(image["format"], mem, image["root"])
    assert t.translate(0x10000000).pa is None
    with pytest.raises(pgt.Error, match="read-only") as e:
        t.unmap(0x10200000, "2M")
    assert e.value.errno == -errno.EROFS
    ro = pgt.Memory(ram.read)
    with pytest.raises(pgt.Error) as e:
        ro.write(0x48000000, b"\0")
    assert e.value.errno == -errno.EROFS


def test_reentry_refused(image, ram):
    """A callback that walks its own memory is refused, not deadlocked."""
    holder = {}

    def read(pa, size):
        if "t" in holder:
            holder.pop("t").translate(0)
        return ram.read(pa, size)
    t = pgt.Table.attach(image["format"], pgt.Memory(read), image["root"])
    holder["t"] = t
    with pytest.raises(RuntimeError, match="re-entered"):
        t.translate(0x10000000)


def test_lifetimes(image, ram):
    """A table keeps its memory and the callables alive; a cycle through a
    callback is collected."""
    mem = pgt.Memory(ram.read)
    t = pgt.Table.attach(image["format"], mem, image["root"])
    gone = weakref.ref(mem)
    del mem
    gc.collect()
    assert gone() is not None and t.memory is gone()
    assert t.translate(0x10000000).pa == 0x880000000
    it = t.mappings()
    del t
    gc.collect()
    assert len(list(it)) == 5
    del it
    gc.collect()
    assert gone() is None

    class Reader:
        def read(self, pa, size):
            return ram.read(pa, size)
    r = Reader()
    r.table = pgt.Table.attach(image["format"], pgt.Memory(r.read), image["root"])
    collected = weakref.ref(r)
    del r
    gc.collect()
    assert collected() is None


def test_threads(image, ram):
    """Threads translating in one table and in tables of one memory, while
    the callbacks take the GIL back: every answer right, none stuck."""
    mem = pgt.Memory(ram.read)
    tables = [pgt.Table.attach(image["format"], mem, image["root"]) for _ in range(2)]
    want = [x.pa for x in tables[0].translate_many(image["iovas"])]
    errors = []

    def work(t):
        try:
            for _ in range(200):
                assert [x.pa for x in t.translate_many(image["iovas"])] == want
                assert len(list(t.mappings())) == 5
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)
    threads = [threading.Thread(target=work, args=(tables[i % 2],)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not any(th.is_alive() for th in threads) and errors == []


def test_threads_share_an_iterator():
    """Threads taking turns at one iterator: every mapping comes out once."""
    t = pgt.Table.new("arm-64-lpae-s1", ias=39)
    for i in range(2000):
        t.map(0x10000000 + i * 0x2000, 0x880000000 + i * 0x3000, "4K", "rw")
    it, got = t.mappings(), []

    def work():
        got.extend(it)
    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted(m.iova for m in got) == [m.iova for m in t.mappings()]
    assert len(got) == 2000


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def c_heap():
    """Bytes malloc has handed out and not had back (glibc's mallinfo2)."""
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = MallInfo2
    m = libc.mallinfo2()
    return m.uordblks + m.hblkhd


def test_no_leaks(image, ram):
    """Memories, tables, walks, records and exceptions made over and over:
    neither Python's heap nor the process grows."""
    def once():
        mem = pgt.Memory(ram.read, ranges=[(ram.base, len(ram.data))])
        t = pgt.Table.attach(image["format"], mem, image["root"])
        t.translate_many(image["iovas"])
        list(t.mappings())
        list(t.walk())
        t.check()
        t.diff(t)
        t.registers, t.config, t.levels, repr(t)
        try:
            t.map(0x10000000, 0, 4096)
        except pgt.Error:
            pass
        f = pgt.open(image["img"])
        f.whereis(0x880000000, 0x10000)
        f.diff_descriptors(f)
        try:
            pgt.Table.attach(image["format"], pgt.Memory(lambda pa, size: 1 / 0), 0).translate(0)
        except ZeroDivisionError:
            pass
    kept = [pgt.Memory, pgt.Table, pgt.Mapping, pgt.Translation, pgt.Step, pgt.Field,
            pgt.Leaf, pgt.TableVisit, pgt.Problem, pgt.Difference, pgt.Side, pgt.Value,
            pgt.Level, pgt.ExistsError, *pgt.Prot]
    # long enough for the caches Python and pytest fill as they go
    for _ in range(1000):
        once()
    gc.collect()
    refs = [sys.getrefcount(x) for x in kept]
    heap = c_heap()
    for _ in range(2000):
        once()
    gc.collect()
    assert c_heap() - heap < 64 * 1024, f"malloc's heap grew {c_heap() - heap} bytes"
    assert [sys.getrefcount(x) for x in kept] == refs, "references to pgt's types leaked"
    # (tracemalloc's own tables are malloc'd: its count of Python's blocks
    # comes after)
    tracemalloc.start()
    snap = tracemalloc.take_snapshot()
    for _ in range(2000):
        once()
    gc.collect()
    # what one call left behind would be 2000 blocks; a cache that grew
    # once is a few
    left = sum(s.count_diff for s in tracemalloc.take_snapshot().compare_to(snap, "filename"))
    tracemalloc.stop()
    assert left < 100, f"{left} blocks of Python's heap were left"

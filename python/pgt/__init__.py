# SPDX-License-Identifier: MIT
"""libpgt for Python: IOMMU page tables exactly as the Linux kernel builds
and reads them.

    import pgt
    t = pgt.open("table.img")                       # an IMAGE (pgtctl build)
    t = pgt.open(dump="vmcore", format="arm-64-lpae-s1", root=0x8f3e0000)
    t.translate(0x10000000)                         # a Translation, with the walk
    for m in t.mappings():                          # pgtctl dump
        print(m)

    io = pgt.Iommu("amd-vi", 0x8f400000, pgt.Memory.dump("vmcore"))
    for dev in io.devices():                        # pgtctl devices
        print(dev.id, dev.mode, dev.table)

    mem = pgt.Memory(read=lambda pa, size: debugger_read(pa, size))
    t = pgt.Table.attach("amd-iommu-v1", mem, root, mode=3)

See python/README.md and the docstrings; libpgt(3) for the library under it.
"""
from ._types import (
    AddressError, Device, DescriptorDifference, Difference, Error, ExistsError, Field,
    FileError, Format, FormatOption, InvalidError, IommuCandidate, IommuEntry, IommuKind,
    IommuProblem, IommuTable, Leaf, Level, MalformedError, Mapping, NotFoundError, Problem,
    Prot, Scan, ScanCandidate, Side, Step, TableVisit, Translation, UnsupportedError, Value,
)
from ._pgt import (
    Iommu, MappingIterator, Memory, Table, WalkIterator, format, formats, iommu_kinds,
    is_elf, kernels, quirk_names, scan, scan_iommu,
)

__all__ = [
    "open", "scan", "scan_iommu", "Memory", "Table", "Iommu", "MappingIterator",
    "WalkIterator", "format", "formats", "kernels", "iommu_kinds", "quirk_names", "is_elf",
    "Prot", "Error", "InvalidError", "NotFoundError", "ExistsError", "MalformedError",
    "UnsupportedError", "AddressError", "FileError", "Field", "Step", "Translation", "Mapping",
    "Leaf", "TableVisit", "Problem", "Side", "Difference", "Value", "DescriptorDifference",
    "Level", "FormatOption", "Format", "IommuKind", "IommuEntry", "IommuProblem", "IommuTable",
    "Device", "Scan", "ScanCandidate", "IommuCandidate",
]

# pgt._types' classes, named as users import them (the C types are pgt.X)
for _name in __all__:
    if isinstance(globals().get(_name), type) and globals()[_name].__module__ == "pgt._types":
        globals()[_name].__module__ = "pgt"


def _listed(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _memory(dump, raw, base):
    files = _listed(dump)
    raws = _listed(raw)
    if base is not None:
        if len(raws) != 1 or isinstance(raws[0], tuple):
            raise InvalidError("base= goes with one raw= file (else give (path, base) pairs)")
        raws = [(raws[0], base)]
    for r in raws:
        if not isinstance(r, tuple):
            raise InvalidError(f"raw file {r} needs its base: base=PA, or (path, base)")
    return Memory.files(files + raws)


def open(source=None, *, dump=None, raw=None, base=None, memory=None, format=None,
         root=None, kernel=None, big_endian=None, iommu=None, iommu_reg=None, device=None,
         **config):
    """A table, as pgtctl opens a SOURCE.

    source: an IMAGE file or a YAML spec (built in memory), or else memory:
    dump= a dump file or a list of them (ELF vmcore, QEMU dump, compressed or
    flattened kdump, IMAGE), raw= a flat file with base= its physical address
    (or (path, base) pairs), or memory= a pgt.Memory (of callbacks); read with
    format= and root= (an address, a list, or "0x..,0x.."), or, instead, with an
    IOMMU's structures: iommu= its kind, iommu_reg= its root register and
    device= the device's ID. kernel= whose rules ("6.12", "7.3"; for a device's
    table, whose driver set it up); big_endian=
    for memory of a big-endian machine; config: ias, oas, pgsize_bitmap,
    quirks, coherent_walk, cpu_page_size and the format's own (mode=).
    """
    memory_given = dump is not None or raw is not None or memory is not None
    if source is not None:
        if memory_given or format or root is not None or config or iommu or device:
            raise InvalidError(
                f"format, root, memory and configuration apply to dump=/raw=/memory=, "
                f"not to {source}")
        return _open_file(source, kernel)
    if not memory_given:
        raise InvalidError("no source given (an IMAGE, a spec, or dump=/raw=/memory=)")
    if memory is None:
        memory = _memory(dump, raw, base)
    elif dump is not None or raw is not None:
        raise InvalidError("memory= is the memory: no dump= or raw= with it")
    if big_endian is not None:
        memory.big_endian = big_endian
    if iommu is not None or iommu_reg is not None or device is not None:
        if format or root is not None or config:
            raise InvalidError(
                "format, root and configuration do not go with iommu=: the IOMMU's "
                "structures give the table and its configuration")
        if iommu is None or iommu_reg is None or device is None:
            raise InvalidError("a device's table needs iommu=, iommu_reg= and device=")
        return Iommu(iommu, iommu_reg, memory).open_table(device, kernel=kernel)
    if format is None:
        raise InvalidError("memory sources need format=NAME")
    if root is None:
        raise InvalidError("memory sources need root=PA (or find it: pgtctl scan)")
    return Table.attach(format, memory, root, kernel=kernel, **config)


def _open_file(path, kernel):
    if is_elf(path):
        return Table.image(path, kernel)
    return Table.spec(path, kernel=kernel)

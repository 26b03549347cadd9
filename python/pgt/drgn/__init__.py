# SPDX-License-Identifier: MIT
"""IOMMU page tables in a kernel drgn reads (a vmcore with the kernel's
debug info, or the running kernel): every IOMMU domain found from kernel
objects alone, each device named by its pci_dev, and the tables walked
by pgt over drgn's physical reads.

    >>> from pgt.drgn import *
    >>> for dev in iommu_devices(prog): print(dev)
    >>> iommu_translate(prog, "0000:00:02.0", 0xfffff000)
    >>> iommu_whereis(prog, 0x53d1000)

The same as commands: python3 -m pgt.drgn -c VMCORE -s VMLINUX devices
(see pgt-drgn(1))."""

from .core import open_program, readable
from .discover import Kernel
from .walk import Found, Tables

__all__ = ["iommu_kernel", "iommu_units", "iommu_devices", "iommu_domains", "iommu_table",
           "iommu_entries", "iommu_translate", "iommu_whereis", "open_program"]

# one Kernel and its tables for each Program: reading them is not free
_seen = {}


def iommu_kernel(prog):
    """The IOMMUs, devices and domains of the kernel prog reads (a
    discover.Kernel), read once."""
    if id(prog) not in _seen or _seen[id(prog)][0] is not prog:
        if not readable(prog):
            raise ValueError("drgn cannot read this kernel's objects (no VMCOREINFO to "
                             "find its page tables with?)")
        kernel = Kernel(prog)
        _seen[id(prog)] = (prog, kernel, Tables(prog, kernel))
    return _seen[id(prog)][1]


def _tables(prog):
    iommu_kernel(prog)
    return _seen[id(prog)][2]


def iommu_units(prog):
    """The hardware IOMMUs (model.Unit), with the root register value the
    driver wrote, computed from its objects."""
    return iommu_kernel(prog).units


def iommu_devices(prog):
    """Every device in an IOMMU group (model.Device), with its domain."""
    return iommu_kernel(prog).devices


def iommu_domains(prog):
    """Every domain attached to a group (model.Domain)."""
    return iommu_kernel(prog).domains


def iommu_table(prog, domain):
    """The pgt.Table of a domain that translates (a model.Domain)."""
    return _tables(prog).table(domain)


def iommu_entries(prog, device):
    """What the IOMMU's own structures say of device (a model.Device or
    its name), reached from the root register its driver wrote: a
    walk.Entry for each ID the IOMMU knows it by, with .agrees."""
    if isinstance(device, str):
        device = iommu_kernel(prog).find(device)
    return _tables(prog).entries(device)


def iommu_translate(prog, device, iova):
    """The walk of iova through the table of device's domain (a
    model.Device or its name: 0000:00:02.0, 00:02.0, ivhd0/0x10): a
    pgt.Translation; for an identity domain, the IOVA untranslated (pa the
    IOVA, stop "bypass", no steps)."""
    if isinstance(device, str):
        device = iommu_kernel(prog).find(device)
    return _tables(prog).translate(device, iova)


def iommu_whereis(prog, pa, size=1):
    """Which devices map [pa, pa + size), through which domain and at
    which IOVAs: a list of walk.Found, one for each mapping of each
    domain."""
    return _tables(prog).whereis(pa, size)

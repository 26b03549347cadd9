# SPDX-License-Identifier: MIT
"""What the helper finds in the kernel: the IOMMUs (Unit), the devices
behind them (Device) and the domain each is attached to (Domain), each
with the drgn object it was read from."""


class Unit:
    """A hardware IOMMU: pgt's kind of it (amd-vi, intel-vtd, smmuv3), its
    name (the iommu_device's sysfs name: ivhd0, dmar0, ...), its MMIO
    address, and the root register value the driver wrote as pgt's
    Iommu takes it (computed from kernel objects, never read from the
    IOMMU), or None."""

    def __init__(self, obj, kind, name, mmio, register):
        self.obj = obj
        self.kind = kind
        self.name = name
        self.mmio = mmio
        self.register = register

    def __repr__(self):
        return "Unit(%s %s mmio=%s register=%s)" % (
            self.kind, self.name, hex(self.mmio) if self.mmio is not None else None,
            self.register)


class Domain:
    """An iommu_domain: its address, type (dma, dma-fq, identity, blocked,
    unmanaged, ...), the ID the IOMMU knows it by (id_name says which:
    DomainID, DID, ASID, VMID), and for a domain that translates: the
    format of its table as pgt names it, the root(s), the configuration
    (a dict as pgt's table configuration takes it) and the kernel whose
    code built it (6.12 or 7.3). why says what is missing when a paging
    domain's table cannot be given."""

    def __init__(self, obj, type):
        self.obj = obj
        self.address = obj.address_of_().value_() if obj is not None else None
        self.type = type
        self.id = None
        self.id_name = None
        self.format = None
        self.roots = ()
        self.config = {}
        self.kernel = None
        self.why = None

    @property
    def translates(self):
        return self.format is not None

    def __repr__(self):
        roots = ",".join(hex(r) for r in self.roots)
        return "Domain(%s %s=%s %s roots=%s %s)" % (
            self.type, self.id_name, self.id, self.format, roots, self.config)


class Device:
    """A device in an IOMMU group: its struct device, what names it
    (kernel.Name), its group's ID, the IOMMU it is behind (a Unit), the
    IDs that IOMMU knows it by ((segment, requester or stream ID) pairs)
    and the domain attached to its group."""

    def __init__(self, obj, name, group, unit, ids, domain):
        self.obj = obj
        self.name = name
        self.group = group
        self.unit = unit
        self.ids = ids
        self.domain = domain

    def __repr__(self):
        return "Device(%s %s %s group=%s %s %s)" % (
            self.name.name, self.name.ids, self.name.driver, self.group,
            self.unit.name if self.unit else None, self.domain)

# SPDX-License-Identifier: MIT
"""The domains' tables walked by pgt, reading physical memory through
drgn (prog.read(pa, size, physical=True)); an address drgn cannot read
(drgn.FaultError) is memory that is not there, as a walk reports it."""

import drgn

import pgt


def memory(prog):
    """The physical memory of prog as a pgt.Memory."""

    def read(pa, size):
        return prog.read(pa, size, True)

    return pgt.Memory(read, name="drgn", faults=(drgn.FaultError,))


def walk_kernel(domain):
    """The kernel whose rules walk the domain's table: the dumped kernel's
    (domain.kernel) where pgt has that format for it, else the format's
    own (VT-d's tables exist in pgt as 7.3's generic_pt builds them,
    which read Linux 6.12's driver's tables alike)."""
    fmt = pgt.format(domain.format)
    return domain.kernel if domain.kernel in fmt.kernels else fmt.default_kernel


class Found:
    """A mapping of the physical range whereis asked for: the domain and
    the devices attached to it, and the pgt.Mapping (IOVA, PA, size,
    prot) within the range."""

    def __init__(self, domain, devices, mapping):
        self.domain = domain
        self.devices = devices
        self.mapping = mapping

    def __repr__(self):
        return "Found(%s %s %r)" % (
            ",".join(d.name.name for d in self.devices), self.domain, self.mapping)


class Entry:
    """What the IOMMU's own structures say of a device: from the unit's
    root register (as its driver wrote it) down to the device's entry
    (AMD-Vi's DTE; VT-d's root, context and scalable-mode PASID entries;
    SMMUv3's STE and CD), read by pgt: its pgt.Device (None when it has
    no valid entry; why says so), and whether it agrees with the domain
    the kernel attached: the same table (format and roots) and domain ID
    for a paging domain, no translation for an identity domain, no DMA
    for a blocking one."""

    def __init__(self, device, found, why=None):
        self.device = found
        self.why = why
        self.agrees = found is not None and _agrees(device.domain, found)


def _agrees(domain, found):
    if domain is None:
        return False
    if domain.type == "identity":
        return found.mode == "bypass"
    if domain.type == "blocked":
        return found.mode in ("abort", "invalid")
    table = found.table
    return (domain.translates and found.mode == "translated" and table is not None
            and table.format == domain.format and tuple(table.roots) == tuple(domain.roots)
            and (domain.id is None or found.domain is None or found.domain == domain.id))


def devid(unit, seg, rid):
    """A device ID as pgt's Iommu takes it: a PCI requester ID as
    segment:bus:device.function, an SMMUv3 stream ID as its number in hex."""
    if unit.kind == "smmuv3":
        return "0x%x" % rid
    return "%04x:%02x:%02x.%x" % (seg, rid >> 8, (rid >> 3) & 0x1F, rid & 7)


class Tables:
    """The pgt.Table of each domain of a Kernel, attached once, and each
    unit's structures as a pgt.Iommu."""

    def __init__(self, prog, kernel):
        self.kernel = kernel
        self.memory = memory(prog)
        self._tables = {}
        self._iommus = {}

    def entries(self, device):
        """The device's Entry for each ID its IOMMU knows it by; [] when
        the helper knows no register for its unit."""
        unit = device.unit
        if unit is None or unit.register is None:
            return []
        if id(unit) not in self._iommus:
            self._iommus[id(unit)] = pgt.Iommu(unit.kind, unit.register, self.memory)
        iommu = self._iommus[id(unit)]
        entries = []
        for seg, rid in device.ids:
            try:
                entries.append(Entry(device, iommu.device(devid(unit, seg, rid))))
            except pgt.NotFoundError as e:
                entries.append(Entry(device, None, str(e)))
        return entries

    def table(self, domain):
        """The domain's pgt.Table; ValueError when it has none."""
        if not domain.translates:
            raise ValueError("domain %s (%s) has no table%s" % (
                domain.id, domain.type, ": " + domain.why if domain.why else ""))
        if id(domain) not in self._tables:
            self._tables[id(domain)] = pgt.Table.attach(
                domain.format, self.memory, list(domain.roots), kernel=walk_kernel(domain),
                **domain.config)
        return self._tables[id(domain)]

    def translate(self, device, iova):
        if device.domain is None:
            raise ValueError("%s has no domain attached" % device.name.name)
        if device.domain.type == "identity":
            # the IOMMU passes the device's DMA untranslated: the IOVA is
            # the address it reaches, as pgtctl translate --device answers
            return pgt.Translation(iova=iova, pa=iova, prot=pgt.Prot.READ | pgt.Prot.WRITE,
                                   stop="bypass", why="identity domain: not translated",
                                   steps=())
        return self.table(device.domain).translate(iova)

    def whereis(self, pa, size=1):
        found = []
        for domain in self.kernel.domains:
            if not domain.translates:
                continue
            devices = [d for d in self.kernel.devices if d.domain is domain]
            for mapping in self.table(domain).whereis(pa, size):
                found.append(Found(domain, devices, mapping))
        return found

# SPDX-License-Identifier: MIT
"""The IOMMU core's objects in the kernel drgn reads: the IOMMUs it
registered (iommu_device_list), its groups (iommu_group_kset), the devices
of each group and the domain attached to it, and what names a device.
Nothing is scanned: every object is reached from a kernel variable."""

from drgn import FaultError, cast, container_of
from drgn.helpers.linux.list import list_for_each_entry

# include/linux/iommu.h's domain types: macros, so not in the debug info
_PAGING, _DMA_API, _PT, _DMA_FQ, _SVA, _PLATFORM, _NESTED = (1 << i for i in range(7))
DOMAIN_TYPES = {
    0: "blocked",
    _PT: "identity",
    _PAGING: "unmanaged",
    _PAGING | _DMA_API: "dma",
    _PAGING | _DMA_API | _DMA_FQ: "dma-fq",
    _SVA: "sva",
    _PLATFORM: "platform",
    _NESTED: "nested",
}


def domain_type(domain):
    """The iommu_domain's type by the kernel's name for it."""
    t = domain.type.value_()
    return DOMAIN_TYPES.get(t, "0x%x" % t)


def domain_pages(domain):
    """Does the domain translate through a page table (IOMMU_DOMAIN_PAGING)?"""
    return bool(domain.type.value_() & _PAGING)


def member(obj, *paths):
    """The first of the member paths ("a.b") the object's type has: a
    struct that changed between kernels."""
    for path in paths:
        try:
            value = obj
            for name in path.split("."):
                value = getattr(value, name)
            return value
        except AttributeError:
            continue
    raise AttributeError("%s has none of %s" % (obj.type_, ", ".join(paths)))


def kernel_release(prog):
    return prog["init_uts_ns"].name.release.string_().decode()


def string(ptr):
    """A char * as str, or None for NULL or unreadable memory."""
    try:
        return ptr.string_().decode(errors="replace") if ptr.value_() else None
    except FaultError:
        return None


def symbol_name(prog, address):
    """The name of the kernel symbol at address, or None."""
    try:
        sym = prog.symbol(address)
    except LookupError:
        return None
    return sym.name if sym.address == address else None


def ops_name(ops):
    """Which driver an iommu_ops belongs to: its symbol (amd_iommu_ops,
    intel_iommu_ops, arm_smmu_ops), else the module that owns it."""
    name = symbol_name(ops.prog_, ops.value_())
    if name is None and ops.owner.value_():
        name = string(ops.owner.name.address_of_())
    return name


def iommu_devices(prog):
    """Every struct iommu_device the core registered (iommu_device_register)."""
    return list_for_each_entry("struct iommu_device", prog["iommu_device_list"].address_of_(),
                               "list")


def iommu_groups(prog):
    """Every struct iommu_group: the kset the core adds each group to."""
    kset = prog["iommu_group_kset"]
    for kobj in list_for_each_entry("struct kobject", kset.list.address_of_(), "entry"):
        yield container_of(kobj, "struct iommu_group", "kobj")


def group_devices(group):
    for gd in list_for_each_entry("struct group_device", group.devices.address_of_(), "list"):
        yield gd.dev


def dev_name(dev):
    """dev_name(): the device's kobject name (init_name before it is added)."""
    return string(dev.kobj.name) or string(dev.init_name)


def driver_name(dev):
    return string(dev.driver.name) if dev.driver.value_() else None


def pci_dev(dev):
    """The struct pci_dev a device is, or None (to_pci_dev on the PCI bus)."""
    prog = dev.prog_
    try:
        pci_bus = prog["pci_bus_type"].address_of_().value_()
    except KeyError:
        return None
    if dev.bus.value_() != pci_bus:
        return None
    return container_of(dev, "struct pci_dev", "dev")


class Name:
    """What names a device: its name (a PCI device's is pci_name(), its
    segment:bus:device.function), the vendor and device IDs of a PCI
    device, the driver bound to it."""

    def __init__(self, dev):
        self.name = dev_name(dev)
        self.driver = driver_name(dev)
        pdev = pci_dev(dev)
        self.pci = pdev is not None
        if self.pci:
            self.vendor = pdev.vendor.value_()
            self.device = pdev.device.value_()
            self.bus = pdev.bus.number.value_()
            self.devfn = pdev.devfn.value_()
            self.segment = pci_domain_nr(pdev)
        else:
            self.vendor = self.device = self.bus = self.devfn = self.segment = None

    @property
    def ids(self):
        """vendor:device, as lspci -n writes them, or None."""
        return "%04x:%04x" % (self.vendor, self.device) if self.pci else None

    @property
    def rid(self):
        """The PCI requester ID (bus << 8 | devfn), or None."""
        return self.bus << 8 | self.devfn if self.pci else None


def pci_domain_nr(pdev):
    """pci_domain_nr(): x86 keeps the segment in the bus's pci_sysdata,
    other architectures in pci_bus.domain_nr."""
    bus = pdev.bus
    try:
        return bus.domain_nr.value_()
    except AttributeError:
        return cast("struct pci_sysdata *", bus.sysdata).domain.value_()

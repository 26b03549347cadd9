# SPDX-License-Identifier: MIT
"""AMD-Vi (drivers/iommu/amd): the IOMMUs on amd_iommu_list, each with
its PCI segment's device table; a device's iommu_dev_data (its devid);
a protection_domain's table: Linux 6.12's amd_io_pgtable (iop.root and
iop.mode for v1, iop.pgd for v2) or 7.3's generic_pt (amdv1, x86_64)."""

from drgn import cast, container_of
from drgn.helpers.linux.list import list_for_each_entry
from drgn.helpers.linux.mm import virt_to_phys

from . import generic_pt
from .kernel import dev_name
from .model import Unit

OPS = ("amd_iommu_ops",)
KIND = "amd-vi"

# enum protection_domain_mode
_PD_MODE_V1, _PD_MODE_V2 = 1, 2


def units(prog):
    for iommu in list_for_each_entry("struct amd_iommu", prog["amd_iommu_list"].address_of_(),
                                     "list"):
        yield _unit(iommu)


def _unit(iommu):
    seg = iommu.pci_seg
    register = None
    if seg.value_() and seg.dev_table.value_():
        # iommu_set_device_table(): the table's address, its size in 4K
        # pages less one
        base = virt_to_phys(iommu.prog_, seg.dev_table).value_()
        register = "0x%x" % (base | ((seg.dev_table_size.value_() >> 12) - 1))
    return Unit(iommu, KIND, dev_name(iommu.iommu.dev) or "AMD-Vi%d" % iommu.index.value_(),
                iommu.mmio_phys.value_(), register)


def iommu_device(unit):
    """The struct iommu_device the unit registered (iommu_device_register)."""
    return unit.obj.iommu.address_of_()


def device_ids(unit, dev):
    """The device table index of the device: its iommu_dev_data's devid,
    in the unit's PCI segment."""
    data = cast("struct iommu_dev_data *", dev.iommu.priv)
    if not data.value_():
        return []
    return [(unit.obj.pci_seg.id.value_(), data.devid.value_())]


def fill_domain(d, domain, unit, kernel):
    pdom = container_of(domain, "struct protection_domain", "domain")
    d.id, d.id_name = pdom.id.value_(), "DomainID"
    d.kernel = kernel
    top = generic_pt.top(domain)
    if top is not None:
        fmt = {"amdv1": ("amd-iommu-v1", "mode"), "x86_64": ("amd-iommu-v2", "levels")}
        if top.fmt not in fmt:
            d.why = "generic_pt format %s" % top.fmt
            return
        d.format, option = fmt[top.fmt]
        d.roots = (top.root,)
        d.config = {option: top.level + 1}
        return
    iop = pdom.iop
    cfg = iop.pgtbl.cfg
    config = {"ias": cfg.ias.value_(), "oas": cfg.oas.value_(),
              "pgsize_bitmap": cfg.pgsize_bitmap.value_()}
    mode = pdom.pd_mode.value_()
    if mode == _PD_MODE_V1 and iop.root.value_():
        d.format = "amd-iommu-v1"
        d.roots = (virt_to_phys(pdom.prog_, iop.root).value_(),)
        d.config = dict(config, mode=iop.mode.value_())
    elif mode == _PD_MODE_V2 and iop.pgd.value_():
        # v2 tables are as deep as amd_iommu_gpt_level (get_pgtable_level())
        d.format = "amd-iommu-v2"
        d.roots = (virt_to_phys(pdom.prog_, iop.pgd).value_(),)
        d.config = dict(config, levels=pdom.prog_["amd_iommu_gpt_level"].value_())
    else:
        d.why = "protection domain mode %d without a table" % mode

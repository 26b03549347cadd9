# SPDX-License-Identifier: MIT
"""Intel VT-d (drivers/iommu/intel): the DMAR units on dmar_drhd_units,
each with its root table (legacy or scalable mode); a device's
device_domain_info (segment, bus, devfn); a dmar_domain's table: Linux
6.12's pgd with agaw (second stage, or first stage with
use_first_level) or 7.3's generic_pt (vtdss, x86_64), and the DID it
has on a unit (domain_id_iommu())."""

from drgn import cast, container_of
from drgn.helpers.linux.list import list_for_each_entry
from drgn.helpers.linux.mm import virt_to_phys
from drgn.helpers.linux.xarray import xa_load

from . import generic_pt
from .kernel import dev_name, string
from .model import Unit

OPS = ("intel_iommu_ops",)
KIND = "intel-vtd"

# intel/iommu.h: ecap_smts(), DMA_RTADDR_SMT
_ECAP_SMTS = 1 << 43
_RTADDR_SMT = 1 << 10


def units(prog):
    for drhd in list_for_each_entry("struct dmar_drhd_unit", prog["dmar_drhd_units"].address_of_(),
                                    "list"):
        if drhd.iommu.value_():
            yield _unit(drhd.iommu)


def _unit(iommu):
    prog = iommu.prog_
    register = None
    if iommu.root_entry.value_():
        # iommu_set_root_entry(): the root table's address, and SMT when
        # sm_supported()
        register = virt_to_phys(prog, iommu.root_entry).value_()
        if prog["intel_iommu_sm"].value_() and iommu.ecap.value_() & _ECAP_SMTS:
            register |= _RTADDR_SMT
        register = "0x%x" % register
    name = string(iommu.name.address_of_()) or dev_name(iommu.iommu.dev)
    return Unit(iommu, KIND, name, iommu.reg_phys.value_(), register)


def iommu_device(unit):
    return unit.obj.iommu.address_of_()


def device_ids(unit, dev):
    info = cast("struct device_domain_info *", dev.iommu.priv)
    if not info.value_():
        return []
    return [(info.segment.value_(), info.bus.value_() << 8 | info.devfn.value_())]


def fill_domain(d, domain, unit, kernel):
    dmar = container_of(domain, "struct dmar_domain", "domain")
    prog = domain.prog_
    if unit is not None:
        info = xa_load(dmar.iommu_array.address_of_(), unit.obj.seq_id.value_())
        if info.value_():
            d.id = cast("struct iommu_domain_info *", info).did.value_()
            d.id_name = "DID"
    d.kernel = kernel
    top = generic_pt.top(domain)
    if top is not None:
        fmt = {"vtdss": "intel-vtd-ss", "x86_64": "intel-vtd-fs"}
        if top.fmt not in fmt:
            d.why = "generic_pt format %s" % top.fmt
            return
        _table(d, fmt[top.fmt], top.root, top.level + 1)
        return
    if not dmar.pgd.value_():
        d.why = "no page directory"
        return
    # agaw_to_level()
    _table(d, "intel-vtd-fs" if dmar.use_first_level.value_() else "intel-vtd-ss",
           virt_to_phys(prog, dmar.pgd).value_(), dmar.agaw.value_() + 2)


def _table(d, fmt, root, levels):
    """The configuration the unit's entries give the table: a second
    stage's AW is levels - 2 and its width 30 + 9 * AW
    (context_set_address_width(), agaw_to_width()); a first stage is
    4-level (48 bits) or 5-level (57, PASID_FLAG_FL5LP)."""
    d.format = fmt
    d.roots = (root,)
    if fmt == "intel-vtd-ss":
        d.config = {"ias": 12 + 9 * levels, "levels": levels}
    else:
        d.config = {"ias": 57 if levels == 5 else 48}

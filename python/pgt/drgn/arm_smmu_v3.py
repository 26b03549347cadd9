# SPDX-License-Identifier: MIT
"""Arm SMMUv3 (drivers/iommu/arm/arm-smmu-v3): the SMMUs among the
registered iommu_devices, each with its stream table (linear or two
levels); a device's arm_smmu_master (its stream IDs); an
arm_smmu_domain's io-pgtable (pgtbl_ops), whose io_pgtable_cfg holds the
table's format, root (TTBR or VTTBR) and configuration, and its ASID or
VMID."""

from drgn import cast, container_of

from .kernel import dev_name, iommu_devices, member, ops_name
from .model import Unit

OPS = ("arm_smmu_ops", "arm_smmu_v3")
KIND = "smmuv3"

# arm-smmu-v3.h
_FEAT_2_LVL_STRTAB = 1 << 0
_STRTAB_SPLIT = 8
_STRTAB_BASE_RA = 1 << 62
_STRTAB_BASE_ADDR_MASK = ((1 << 52) - 1) & ~((1 << 6) - 1)
_CFG_FMT_2LVL = 1 << 16
_CFG_SPLIT_SHIFT = 6
# enum arm_smmu_domain_stage
_STAGE_1, _STAGE_2 = 0, 1


def _type(prog, name):
    """The SMMUv3 driver's struct: the SMMUv2 driver has structs of the
    same names (arm_smmu_device, arm_smmu_domain), so the header says
    which."""
    return prog.type("struct " + name, "arm-smmu-v3.h")


def units(prog):
    for iommu in iommu_devices(prog):
        if ops_name(iommu.ops) in OPS:
            yield _unit(container_of(iommu, _type(prog, "arm_smmu_device"), "iommu"))


def _unit(smmu):
    return Unit(smmu, KIND, dev_name(smmu.dev), _mmio(smmu), _register(smmu))


def _mmio(smmu):
    try:
        return smmu.ioaddr.value_()
    except AttributeError:
        return None


def _register(smmu):
    """STRTAB_BASE and STRTAB_BASE_CFG as the driver writes them: from
    strtab_cfg's precomputed values (before 6.12), or as 6.12's
    arm_smmu_write_strtab() computes them."""
    cfg = smmu.strtab_cfg
    try:
        return "0x%x,0x%x" % (cfg.strtab_base.value_(), cfg.strtab_base_cfg.value_())
    except AttributeError:
        pass
    if smmu.features.value_() & _FEAT_2_LVL_STRTAB:
        n = cfg.l2.num_l1_ents.value_()
        reg = (_CFG_FMT_2LVL | (_STRTAB_SPLIT << _CFG_SPLIT_SHIFT)
               | (n.bit_length() - 1 + _STRTAB_SPLIT))
        dma = cfg.l2.l1_dma.value_()
    else:
        reg = smmu.sid_bits.value_()
        dma = cfg.linear.ste_dma.value_()
    return "0x%x,0x%x" % ((dma & _STRTAB_BASE_ADDR_MASK) | _STRTAB_BASE_RA, reg)


def iommu_device(unit):
    return unit.obj.iommu.address_of_()


def device_ids(unit, dev):
    master = cast(dev.prog_.pointer_type(_type(dev.prog_, "arm_smmu_master")), dev.iommu.priv)
    if not master.value_():
        return []
    return [(0, master.streams[i].id.value_()) for i in range(master.num_streams.value_())]


def fill_domain(d, domain, unit, kernel):
    smmu_domain = container_of(domain, _type(domain.prog_, "arm_smmu_domain"), "domain")
    d.kernel = kernel
    stage = smmu_domain.stage.value_()
    if stage == _STAGE_1:
        # 6.12's cd, 6.1's s1_cfg.cd
        d.id, d.id_name = member(smmu_domain, "cd", "s1_cfg.cd").asid.value_(), "ASID"
    elif stage == _STAGE_2:
        d.id, d.id_name = smmu_domain.s2_cfg.vmid.value_(), "VMID"
    if not smmu_domain.pgtbl_ops.value_():
        d.why = "no io-pgtable"
        return
    iop = container_of(smmu_domain.pgtbl_ops, "struct io_pgtable", "ops")
    cfg = iop.cfg
    # io-pgtable's format names are pgt's: ARM_64_LPAE_S1 is arm-64-lpae-s1
    fmt = iop.fmt.format_(type_name=False).replace("_", "-").lower()
    root = cfg.arm_lpae_s2_cfg.vttbr if fmt.endswith("-s2") else cfg.arm_lpae_s1_cfg.ttbr
    d.format = fmt
    d.roots = (root.value_(),)
    d.config = {"ias": cfg.ias.value_(), "oas": cfg.oas.value_(),
                "pgsize_bitmap": cfg.pgsize_bitmap.value_(), "quirks": cfg.quirks.value_()}

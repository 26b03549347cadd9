# SPDX-License-Identifier: MIT
"""Domains whose table generic_pt builds (Linux 7.3: AMD's amdv1 and
x86_64, VT-d's vtdss and x86_64, RISC-V's riscv64): struct pt_iommu
overlays the iommu_domain (iommupt_from_domain()), the format-specific
struct pt_iommu_<fmt> follows it with its struct pt_common, whose
top_of_table holds the top table's address and level in one word
(include/linux/generic_pt/common.h)."""

from drgn import cast, container_of
from drgn.helpers.linux.mm import virt_to_phys

from .kernel import symbol_name

# enum { PT_TOP_LEVEL_BITS = 3 }: the level in the pointer's low bits
_TOP_LEVEL_MASK = (1 << 3) - 1


class Top:
    """A generic_pt table: its format's name in generic_pt (amdv1, vtdss,
    x86_64, riscv64), the top table's physical address and level (0: the
    level of the smallest pages)."""

    def __init__(self, fmt, root, level, common):
        self.fmt = fmt
        self.root = root
        self.level = level
        self.common = common


def top(domain):
    """The generic_pt table of an iommu_domain, or None when the domain
    is not generic_pt's (a kernel before it, or another driver)."""
    try:
        if not domain.is_iommupt:
            return None
    except AttributeError:
        return None
    pti = container_of(domain, "struct pt_iommu", "domain")
    # pt_iommu.ops is NS(ops) of the format's iommu_pt.h instance: <fmt>_ops
    ops = symbol_name(domain.prog_, pti.ops.value_()) or ""
    if not ops.endswith("_ops"):
        return None
    fmt = ops[: -len("_ops")]
    table = cast("struct pt_iommu_%s *" % fmt, pti)
    # IOMMU_FORMAT(fmt, member): struct pt_iommu, then struct pt_<fmt>
    member = table.type_.type.members[1].name
    common = getattr(table, member).common
    word = common.top_of_table.value_()
    root = virt_to_phys(domain.prog_, word & ~_TOP_LEVEL_MASK).value_()
    return Top(fmt, root, word & _TOP_LEVEL_MASK, common)

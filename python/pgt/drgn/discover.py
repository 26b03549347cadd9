# SPDX-License-Identifier: MIT
"""Every IOMMU, device and domain of the kernel, from its objects: the
drivers' lists of their IOMMUs, the iommu core's groups and the domain
attached to each group, each driver's per-device data and domain
struct. Nothing is scanned and no register is read."""

import re

from drgn import FaultError

from . import amd, arm_smmu_v3, intel
from .kernel import (Name, domain_pages, domain_type, group_devices, iommu_groups,
                     kernel_release)
from .model import Device, Domain

DRIVERS = (amd, intel, arm_smmu_v3)


def pgt_kernel(release):
    """The kernel whose page-table code pgt reproduces for this release:
    7.3 from 7.3 on (generic_pt), 6.12 before it."""
    m = re.match(r"(\d+)\.(\d+)", release)
    version = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    return "7.3" if version >= (7, 3) else "6.12"


class Kernel:
    """The IOMMUs (units), devices and domains of the kernel prog reads."""

    def __init__(self, prog):
        self.prog = prog
        self.release = kernel_release(prog)
        self.kernel = pgt_kernel(self.release)
        self.units = []
        self._driver_of = {}
        for driver in DRIVERS:
            for unit in _units(driver, prog):
                self.units.append(unit)
                self._driver_of[driver.iommu_device(unit).value_()] = (driver, unit)
        self._domains = {}
        self.devices = list(self._devices())

    def _devices(self):
        for group in iommu_groups(self.prog):
            for dev in group_devices(group):
                driver, unit = self._driver_of.get(dev.iommu.iommu_dev.value_(), (None, None))
                ids = driver.device_ids(unit, dev) if driver else []
                yield Device(dev, Name(dev), group.id.value_(), unit, ids,
                             self._domain(group.domain, driver, unit))

    def _domain(self, domain, driver, unit):
        """The Domain of an iommu_domain *, made once for each unit it is
        on (a domain ID can be the unit's own, as VT-d's DID is)."""
        if not domain.value_():
            return None
        key = (domain.value_(), unit.obj.value_() if unit else None)
        if key not in self._domains:
            d = Domain(domain[0], domain_type(domain))
            if domain_pages(domain) and driver:
                try:
                    driver.fill_domain(d, domain, unit, self.kernel)
                except FaultError as e:
                    d.format, d.why = None, "unreadable: %s" % e
                except (AttributeError, LookupError) as e:
                    # a struct of a kernel the helper does not know
                    d.format, d.why = None, "unknown layout: %s" % e
            self._domains[key] = d
        return self._domains[key]

    @property
    def domains(self):
        """Every distinct domain attached to a group, in the order met."""
        seen = {}
        for dev in self.devices:
            if dev.domain is not None:
                seen.setdefault(id(dev.domain), dev.domain)
        return list(seen.values())

    def find(self, spec):
        """The device named spec: its name (0000:00:02.0), its name without
        the PCI segment (00:02.0), or unit/ID as the IOMMU knows it
        (ivhd0/0x10); LookupError when none or several match."""
        found = [d for d in self.devices if _matches(d, spec)]
        if len(found) != 1:
            what = "no device" if not found else "%d devices" % len(found)
            raise LookupError("%s named '%s'" % (what, spec))
        return found[0]


def _units(driver, prog):
    """The driver's IOMMUs; none when the kernel has no such driver (its
    list is not in the debug info)."""
    try:
        return list(driver.units(prog))
    except (KeyError, LookupError):
        return []


def _matches(dev, spec):
    name = dev.name.name or ""
    if spec in (name, name.split(":", 1)[-1] if dev.name.pci else None):
        return True
    unit, _, rid = spec.rpartition("/")
    if dev.unit is None or (unit and unit != dev.unit.name):
        return False
    try:
        n = int(rid, 0)
    except ValueError:
        return False
    return any(i == n for _, i in dev.ids)

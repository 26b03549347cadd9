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


class Tables:
    """The pgt.Table of each domain of a Kernel, attached once."""

    def __init__(self, prog, kernel):
        self.kernel = kernel
        self.memory = memory(prog)
        self._tables = {}

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

# SPDX-License-Identifier: MIT
"""The helper's commands, for drgn's command line (drgn ... iommu.py
COMMAND) and its own (python3 -m pgt.drgn ... COMMAND): units, devices,
translate DEVICE IOVA..., whereis PA [SIZE]; text as pgtctl prints, or
JSON."""

import argparse
import json
import sys

import drgn
import pgt

from . import iommu_entries, iommu_kernel, iommu_table, iommu_translate, iommu_units, \
    iommu_whereis, open_program
from .core import BadInput

PROG = "pgt.drgn"


class Failed(Exception):
    """An operation that failed: exit status 1."""


def parser(standalone):
    p = argparse.ArgumentParser(
        prog="python3 -m pgt.drgn" if standalone else "drgn ... iommu.py",
        description="IOMMU domains, devices and page tables of a kernel drgn reads, found "
                    "from kernel objects and walked by pgt.")
    if standalone:
        p.add_argument("-c", "--core", metavar="VMCORE", required=True,
                       help="the vmcore (an ELF core with VMCOREINFO)")
        p.add_argument("-s", "--symbols", metavar="VMLINUX", action="append", default=[],
                       help="the kernel's debug info (vmlinux); repeatable")
        p.add_argument("--default-symbols", action="store_true",
                       help="also look where drgn looks by default (modules among them)")
    p.add_argument("--json", action="store_true", help="JSON instead of text")
    # --json after the command too
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="JSON instead of text")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("units", parents=[common],
                   help="the IOMMUs and the root register each driver wrote")
    sub.add_parser("devices", parents=[common],
                   help="each device, its IOMMU, group and domain, and the domain's table")
    t = sub.add_parser("translate", parents=[common], help="walk IOVAs through a device's table")
    t.add_argument("device", metavar="DEVICE",
                   help="0000:00:02.0, 00:02.0, or IOMMU/ID as the IOMMU knows it (ivhd0/0x10)")
    t.add_argument("iova", metavar="IOVA", nargs="+", type=_address)
    w = sub.add_parser("whereis", parents=[common], help="which devices map a physical address, at which IOVAs")
    w.add_argument("pa", metavar="PA", type=_address)
    w.add_argument("size", metavar="SIZE", nargs="?", default=1, type=_address)
    return p


def _address(text):
    try:
        return int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("'%s' is not a number" % text) from None


def main(prog, argv, standalone=False):
    """Run one command on prog (None with standalone: opened from the
    options); returns the exit status."""
    p = parser(standalone)
    args = p.parse_args(argv)
    if standalone and not args.symbols and not args.default_symbols:
        p.error("no debug info: -s VMLINUX (or --default-symbols)")
    try:
        if prog is None:
            prog = open_program(args.core, args.symbols, args.default_symbols)
        COMMANDS[args.command](prog, args)
    except (BadInput, OSError) as e:
        return _fail(e, 2)
    except (Failed, LookupError, ValueError, pgt.Error) as e:
        return _fail(e, 1)
    except drgn.FaultError as e:
        return _fail("memory the dump does not have: %s" % e, 1)
    except AttributeError as e:
        return _fail("a kernel object the helper does not know: %s" % e, 1)
    return 0


def _fail(why, status):
    print("%s: %s" % (PROG, why), file=sys.stderr)
    return status


def _hex(v):
    return None if v is None else "0x%x" % v


def _config(config):
    return " ".join("%s %s" % (k, _hex(v) if k == "pgsize_bitmap" else v)
                    for k, v in config.items())


def _print_rows(rows):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())


def cmd_units(prog, args):
    units = iommu_units(prog)
    if args.json:
        json.dump([{"name": u.name, "kind": u.kind, "mmio": _hex(u.mmio), "register": u.register}
                   for u in units], sys.stdout)
        print()
        return
    rows = [("IOMMU", "KIND", "MMIO", "REGISTER")]
    rows += [(u.name, u.kind, _hex(u.mmio) or "-", u.register or "-") for u in units]
    _print_rows(rows)


def _walked(prog, domain):
    """The number of mappings of the domain's table and the kernel whose
    rules walked it, or (None, None)."""
    if not domain.translates:
        return None, None
    table = iommu_table(prog, domain)
    return sum(1 for _ in table.mappings()), table.kernel


def cmd_devices(prog, args):
    kernel = iommu_kernel(prog)
    walked = {id(d): _walked(prog, d) for d in kernel.domains}
    entries = {id(dev): iommu_entries(prog, dev) for dev in kernel.devices}
    if args.json:
        json.dump({"release": kernel.release, "kernel": kernel.kernel,
                   "devices": [_device_json(d, walked, entries[id(d)]) for d in kernel.devices]},
                  sys.stdout)
        print()
    else:
        _devices_text(kernel, walked, entries)
    differ = [d.name.name for d in kernel.devices if not all(e.agrees for e in entries[id(d)])]
    if differ:
        raise Failed("the IOMMU's structures disagree with the kernel's domain of %s"
                     % ", ".join(differ))


def _entry_word(entries):
    if not entries:
        return "-"
    return "agrees" if all(e.agrees for e in entries) else "DIFFERS"


def _devices_text(kernel, walked, entries):
    rows = [("DEVICE", "PCI", "DRIVER", "IOMMU", "ID", "ENTRY", "GROUP", "DOMAIN", "TYPE",
             "FORMAT", "ROOT", "MAPPINGS", "CONFIG")]
    for dev in kernel.devices:
        d = dev.domain
        rows.append((dev.name.name, dev.name.ids or "-", dev.name.driver or "-",
                     dev.unit.name if dev.unit else "-",
                     ",".join(_hex(i) for _, i in dev.ids) or "-", _entry_word(entries[id(dev)]),
                     dev.group,
                     d.id if d and d.id is not None else "-", d.type if d else "-",
                     (d.format or "-") if d else "-",
                     ",".join(_hex(r) for r in d.roots) if d and d.roots else "-",
                     walked[id(d)][0] if d and d.translates else "-",
                     _config(d.config) if d and d.translates else (d.why or "") if d else ""))
    _print_rows(rows)
    print("Linux %s: %d devices in IOMMU groups" % (kernel.release, len(kernel.devices)))


def _device_json(dev, walked, entries):
    d = dev.domain
    domain = None
    if d is not None:
        domain = {"address": _hex(d.address), "type": d.type, "id": d.id, "id_name": d.id_name,
                  "format": d.format, "roots": [_hex(r) for r in d.roots], "config": d.config,
                  "kernel": walked[id(d)][1], "mappings": walked[id(d)][0], "why": d.why}
    return {"name": dev.name.name, "pci": dev.name.ids, "driver": dev.name.driver,
            "iommu": dev.unit.name if dev.unit else None,
            "ids": [{"segment": s, "id": _hex(i)} for s, i in dev.ids], "group": dev.group,
            "domain": domain, "entries": [_entry_json(e) for e in entries]}


def _entry_json(e):
    f = e.device
    if f is None:
        return {"agrees": False, "why": e.why}
    return {"agrees": e.agrees, "id": f.id, "mode": f.mode, "domain": f.domain,
            "format": f.table.format if f.table else None,
            "roots": [_hex(r) for r in f.table.roots] if f.table else None}


def cmd_translate(prog, args):
    device = iommu_kernel(prog).find(args.device)
    walks = [iommu_translate(prog, device, iova) for iova in args.iova]
    if args.json:
        json.dump([{"device": device.name.name, "iova": _hex(t.iova), "pa": _hex(t.pa),
                    "size": _hex(t.size), "level": t.level,
                    "prot": t.prot.words if t.pa is not None else None, "desc": _hex(t.desc),
                    "why": t.why, "bypass": t.stop == "bypass"} for t in walks], sys.stdout)
        print()
    else:
        for t in walks:
            if t.stop == "bypass":
                print("%s -> %s  bypass  %s" % (_hex(t.iova), _hex(t.pa), t.prot))
            elif t.pa is None:
                print("%s -> not mapped (%s)" % (_hex(t.iova), t.why))
            else:
                print("%s -> %s  %s  L%d  %s  desc %s" % (
                    _hex(t.iova), _hex(t.pa), pgt_size(t.size), t.level, t.prot, _hex(t.desc)))
    if any(t.pa is None for t in walks):
        raise Failed("%d of %d IOVAs do not translate" % (
            sum(t.pa is None for t in walks), len(walks)))


def pgt_size(size):
    for unit, shift in (("P", 50), ("T", 40), ("G", 30), ("M", 20), ("K", 10)):
        if size >= 1 << shift and not size & ((1 << shift) - 1):
            return "%d%s" % (size >> shift, unit)
    return str(size)


def cmd_whereis(prog, args):
    found = iommu_whereis(prog, args.pa, args.size)
    if args.json:
        json.dump({"mappings": [{"devices": [d.name.name for d in f.devices],
                                 "domain": f.domain.id, "format": f.domain.format,
                                 "iova": _hex(f.mapping.iova), "pa": _hex(f.mapping.pa),
                                 "size": _hex(f.mapping.size), "prot": f.mapping.prot.words}
                                for f in found]}, sys.stdout)
        print()
        return
    for f in found:
        m = f.mapping
        print("%s  domain %s  0x%016x-0x%016x -> 0x%016x  %s" % (
            ",".join(d.name.name for d in f.devices) or "-", f.domain.id, m.iova,
            m.iova + m.size - 1, m.pa, m.prot))
    if not found:
        raise Failed("no device maps 0x%x" % args.pa)


COMMANDS = {"units": cmd_units, "devices": cmd_devices, "translate": cmd_translate,
            "whereis": cmd_whereis}

# SPDX-License-Identifier: MIT
"""The values pgt hands out: exceptions, protection flags and records.

The C extension (pgt._pgt) makes these; they hold plain Python values and
keep nothing of libpgt alive, except a Device, which knows its IOMMU so
that it can open its table.
"""
import enum


class Error(Exception):
    """A libpgt failure: its message, the negative errno it failed with,
    and the remedy the library knows for a refusal (a name, or None)."""

    def __init__(self, message, errno=0, remedy=None):
        super().__init__(message)
        self.message = message
        self.errno = errno
        self.remedy = remedy

    def __str__(self):
        return self.message


class InvalidError(Error, ValueError):
    """Input the library refuses (EINVAL, ERANGE): a bad value, a
    configuration the kernel refuses, a file that is not what it should be."""

    def __init__(self, message, errno=-22, remedy=None):
        super().__init__(message, errno, remedy)


class NotFoundError(Error, LookupError):
    """Nothing of that name or ID (ENOENT): a device the IOMMU has no entry for."""


class ExistsError(Error):
    """Something is mapped there already (EEXIST)."""


class MalformedError(Error):
    """The table is malformed (EUCLEAN): a walk met a descriptor it cannot accept."""


class UnsupportedError(Error, NotImplementedError):
    """A format or feature libpgt lacks (EOPNOTSUPP)."""


class AddressError(Error):
    """Memory that is not there (EFAULT), a page a dump left out (ENODATA),
    or one that cannot be read (EIO). A read callback raises it to say so."""

    def __init__(self, message="no memory there", errno=-14, remedy=None):
        super().__init__(message, errno, remedy)


class FileError(Error, OSError):
    """A file that cannot be opened, read or written: an OSError with the
    errno (positive, as OSError has it) and the file's name."""

    def __init__(self, message, errno=0, remedy=None, filename=None):
        OSError.__init__(self, -errno, message, filename)
        self.message = message
        self.remedy = remedy

    def __str__(self):
        return self.message


class Prot(enum.IntFlag):
    """The kernel's IOMMU_* protection flags."""

    READ = 1 << 0
    WRITE = 1 << 1
    CACHE = 1 << 2
    NOEXEC = 1 << 3
    MMIO = 1 << 4
    PRIV = 1 << 5

    @property
    def words(self):
        """The flags' words in bit order, as pgtctl --json lists them."""
        return [f.name.lower() for f in Prot if f in self]

    @property
    def letters(self):
        """pgtctl's letters, "rw", "rwx"... ("-" for none)."""
        return "".join(l for f, l in zip(Prot, "rwcxmp") if f in self) or "-"

    def __str__(self):
        return self.letters


class Record:
    """A plain record: its fields by name, in order; addresses and sizes in
    hex in its repr."""

    __slots__ = ()
    _fields = ()
    _hex = frozenset(
        {
            "iova", "pa", "size", "desc", "desc_pa", "table_pa", "pgsize", "last",
            "desc_a", "desc_b", "desc_pa_a", "desc_pa_b", "raw", "lo", "hi", "root", "mapped",
        }
    )

    def __init__(self, *values, **named):
        if len(values) > len(self._fields):
            raise TypeError(f"{type(self).__name__} has {len(self._fields)} fields")
        for name, value in zip(self._fields, values):
            object.__setattr__(self, name, value)
        for name in self._fields[len(values):]:
            object.__setattr__(self, name, named.pop(name, None))
        if named:
            raise TypeError(f"{type(self).__name__} has no field {sorted(named)[0]}")

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _show(self, name):
        value = getattr(self, name)
        if isinstance(value, Prot):
            return value.letters
        if name in self._hex and isinstance(value, int) and not isinstance(value, bool):
            return hex(value)
        if name in ("roots", "words") and value is not None:
            return "(" + ", ".join(hex(r) for r in value) + ("," if len(value) == 1 else "") + ")"
        return repr(value)

    def __repr__(self):
        shown = ", ".join(f"{n}={self._show(n)}" for n in self._fields if not n.startswith("_"))
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other):
        return type(self) is type(other) and self._astuple() == other._astuple()

    def __hash__(self):
        return hash(self._astuple())

    def _astuple(self):
        return tuple(getattr(self, n) for n in self._fields if not n.startswith("_"))

    def _asdict(self):
        return {n: getattr(self, n) for n in self._fields if not n.startswith("_")}


def _record(name, fields, doc):
    return type(name, (Record,), {"__slots__": fields, "_fields": fields, "__doc__": doc})


class Field(Record):
    """A decoded field of a descriptor or structure entry (meaning: a word, or None)."""

    __slots__ = _fields = ("name", "value", "meaning")

    def _show(self, name):
        # as pgtctl prints fields: small values in decimal, others in hex
        if name == "value" and self.value >= 10:
            return hex(self.value)
        return super()._show(name)


Step = _record(
    "Step",
    ("depth", "level", "index", "table_pa", "desc_pa", "desc", "kind", "pa", "size", "prot",
     "count", "why", "fields"),
    "One level of a walk: the descriptor read at desc_pa (index in the table at "
    "table_pa), what it is (kind: empty, table, leaf, malformed), the next table or the "
    "output address (pa), a leaf's page size, prot and entry count, a malformed one's "
    "why, and its decoded fields.",
)
Translation = _record(
    "Translation",
    ("iova", "pa", "size", "level", "prot", "desc", "stop", "why", "root", "steps"),
    "One IOVA's walk: pa None when it does not translate (stop and why say where and "
    "why), else the page size, level, prot and descriptor of the leaf; root is the "
    "root the walk began at, steps every level's descriptor.",
)
Mapping = _record(
    "Mapping",
    ("iova", "pa", "size", "prot", "pgsize", "level", "leaves"),
    "A run of leaves mapping consecutive IOVAs to consecutive PAs with one prot "
    "(pgsize and level None where the run mixes them).",
)
Leaf = _record(
    "Leaf",
    ("iova", "pa", "size", "pgsize", "count", "prot", "depth", "level", "desc_pa", "desc"),
    "One leaf descriptor: the IOVAs it translates (size bytes), its page size and the "
    "entries that page takes (count), where it is and its value.",
)
TableVisit = _record(
    "TableVisit",
    ("depth", "level", "iova", "pa", "size", "entries", "desc_pa", "desc", "root"),
    "A table a walk entered: its first IOVA, address, bytes and entries, and the "
    "descriptor that led to it (desc_pa 0 for a root).",
)
Problem = _record(
    "Problem",
    ("kind", "depth", "level", "iova", "last", "desc_pa", "desc", "why"),
    "Something wrong a walk met: kind (malformed, outside-memory, loop...), the IOVAs "
    "iova..last under the descriptor at fault, and why.",
)
Side = _record("Side", ("pa", "prot", "pgsize"),
               "One table's side of a difference (pgsize None where mixed).")
Difference = _record(
    "Difference",
    ("kind", "iova", "size", "a", "b"),
    "A range two tables map differently: kind only-a, only-b or changed; a and b each "
    "side's Side, None where it maps nothing.",
)
Value = _record("Value", ("name", "a", "b"),
                "A named value two tables hold differently, as text.")
DescriptorDifference = _record(
    "DescriptorDifference",
    ("depth", "level", "iova", "desc_pa_a", "desc_a", "desc_pa_b", "desc_b", "kind_a", "kind_b",
     "fields"),
    "A descriptor two tables of one format hold differently, with the decoded fields "
    "that differ (Values).",
)
Level = _record(
    "Level",
    ("depth", "level", "shift", "index_bits", "entries", "table_bytes", "leaf_sizes",
     "has_tables"),
    "One level of a table's layout (depth 0 is the root's; level the kernel's number).",
)
FormatOption = _record("FormatOption",
                       ("name", "summary", "min", "max", "default", "needed_to_read"),
                       "A format's own configuration value (amd-iommu-v1's mode).")
Format = _record(
    "Format",
    ("name", "kernel_name", "summary", "pgsizes", "kernels", "default_kernel", "max_ias",
     "max_oas", "stage", "options"),
    "A page-table format: the kernels that build it, every page size it can map, its "
    "ias ceiling per kernel (a dict) and its own options.",
)
ScanCandidate = _record(
    "ScanCandidate",
    ("root", "score", "tables", "leaves", "mapped", "problems", "lo", "hi", "levels"),
    "A candidate root a scan found: how plausible (score, higher is better), the tables "
    "and leaves below it, the bytes they map, its problems, the IOVA span lo..hi of "
    "its leaves and the level count it was read at.",
)
Scan = _record("Scan", ("candidates", "stopped"),
               "A scan's candidates, best first; stopped says why the scan ended before it "
               "had read everything (its budget), else None.")
IommuCandidate = _record(
    "IommuCandidate",
    ("pa", "score", "devices", "entries", "tables", "problems", "register"),
    "A candidate root structure of an IOMMU found by its shape, and the register value "
    "it implies (as Iommu takes it).",
)
IommuKind = _record("IommuKind", ("name", "summary", "register"),
                    "An IOMMU architecture and what its root register is.")
IommuEntry = _record("IommuEntry", ("name", "index", "pa", "words", "fields"),
                     "An entry of an IOMMU structure (DTE, STE, CD...) and its fields.")
IommuProblem = _record("IommuProblem", ("kind", "what", "pa", "raw", "why"),
                       "Something wrong in an IOMMU's structures.")
IommuTable = _record("IommuTable", ("format", "roots", "config"),
                     "The table an IOMMU gives a device, and its configuration.")


class Device(Record):
    """A device (and PASID) an IOMMU's structures know: how its DMA is
    treated (mode), its domain, the table it goes through (an IommuTable,
    and stage2 for a nested one), the structure entries on the way (chain)
    and their problems; untranslated: the accesses (a Prot) the IOMMU
    passes to the physical address that is the IOVA (bypass, an AMD-Vi DTE
    that is not valid), none when its DMA is translated or refused."""

    __slots__ = _fields = (
        "id", "seg", "rid", "pasid", "mode", "domain", "domain_name", "note", "table",
        "stage2", "chain", "problems", "untranslated", "_iommu",
    )

    def open_table(self, stage2=False, *, kernel=None):
        """The Table its DMA goes through (stage2: a nested device's second
        stage), read as the kernel's ("6.12", "7.3"; the format's default)."""
        return self._iommu.open_table(self, stage2, kernel=kernel)

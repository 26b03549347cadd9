# SPDX-License-Identifier: MIT
"""pgt's records in the shapes pgtctl --json prints, so that the tests
compare the module with the tool on the same input."""


def h(v):
    return None if v is None else hex(v)


def fields(fs):
    """translate -v's "fields": a word where the field has one, the
    address in hex, else the number."""
    return {f.name: f.meaning if f.meaning else hex(f.value) if f.name == "addr" else f.value
            for f in fs}


def step(s, levels):
    d = {"level": s.level, "index": s.index, "desc_pa": h(s.desc_pa), "desc": h(s.desc)}
    if s.kind == "leaf":
        d["type"] = "page" if s.depth + 1 == levels else "block"
        d.update(size=h(s.size), out=h(s.pa))
    else:
        d["type"] = s.kind
    if s.kind == "table":
        d["next"] = h(s.pa)
    if s.kind == "malformed":
        d["why"] = s.why
    d["fields"] = fields(s.fields)
    return d


def translation(t, levels):
    """translate --json -v's object for one IOVA."""
    d = {"iova": h(t.iova), "pa": h(t.pa)}
    if t.pa is not None:
        d.update(size=h(t.size), level=t.level, prot=t.prot.words, desc=h(t.desc))
    else:
        if t.steps:
            d.update(level=t.level, desc=h(t.desc))
        d.update(stop=t.stop, why=t.why)
    d["root"] = t.root
    d["walk"] = [step(s, levels) for s in t.steps]
    return d


def mapping(m):
    """dump --json's mapping."""
    return {"iova": h(m.iova), "pa": h(m.pa), "size": h(m.size), "prot": m.prot.words,
            "pgsize": h(m.pgsize or 0)}


def leaf(l):
    """dump --leaves --json's mapping."""
    return {"level": l.level, "iova": h(l.iova), "pa": h(l.pa), "size": h(l.size),
            "prot": l.prot.words, "pgsize": h(l.pgsize), "desc": h(l.desc),
            "desc_pa": h(l.desc_pa)}


def problem(p):
    return {"kind": p.kind, "level": p.level, "iova": h(p.iova), "desc_pa": h(p.desc_pa),
            "desc": h(p.desc), "why": p.why}


def tree(items):
    """dump --tree --json's tables: each table with its entries inside."""
    out, stack = [], []
    for x in items:
        kind = type(x).__name__
        if kind == "Problem":
            continue
        depth = x.depth if kind == "TableVisit" else x.depth + 1
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1]["entries"] if stack else out
        if kind == "Leaf":
            parent.append(leaf(x))
            continue
        node = {"desc": h(x.desc)} if x.depth else {}
        node.update(level=x.level, pa=h(x.pa), iova=h(x.iova), entries=[])
        parent.append(node)
        stack.append((x.depth, node))
    return out


def side(s):
    return None if s is None else {"pa": h(s.pa), "prot": s.prot.words, "pgsize": h(s.pgsize or 0)}


def difference(d):
    return {"kind": d.kind, "iova": h(d.iova), "size": h(d.size), "a": side(d.a),
            "b": side(d.b)}


def device_table(t):
    return None if t is None else {"format": t.format, "roots": [h(r) for r in t.roots]}


def unhex(j):
    """pgtctl's JSON with its "0x..." strings as numbers, as pgt gives them."""
    if isinstance(j, dict):
        return {k: unhex(v) for k, v in j.items()}
    if isinstance(j, list):
        return [unhex(v) for v in j]
    if isinstance(j, str) and j.startswith("0x"):
        return int(j, 16)
    return j


def config(cfg):
    """A table's config as info --json has it, numbers as numbers: quirks
    by name, and no kernel (info says it on its own)."""
    import pgt
    d = {k: v for k, v in cfg.items() if k != "kernel"}
    d["quirks"] = pgt.quirk_names(cfg["quirks"])
    return d

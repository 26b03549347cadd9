# SPDX-License-Identifier: MIT
"""Two tables compared as pgtctl diff compares them; tables made, edited
and saved as pgtctl build, map and unmap make them; libpgt's refusals as
pgt's exceptions."""
import errno

import pytest

import pgt
import shapes
from conftest import pgtctl, pgtctl_json


@pytest.fixture
def edited(image, tmp_path):
    """The IMAGE, and a copy pgtctl edited: one page remapped, 64K more."""
    b = tmp_path / "b.img"
    b.write_bytes(image["img"].read_bytes())
    pgtctl("map", b, "0x30000000", "0x900000000", "64K", "--prot", "r")
    pgtctl("unmap", b, "0x10000000", "4K")
    pgtctl("map", b, "0x10000000", "0x123000", "4K")
    return image["img"], b


@pytest.mark.parametrize("pgsize", [False, True])
def test_diff(edited, pgsize):
    a, b = edited
    differences, problems = pgt.open(a).diff(pgt.open(b), pgsize=pgsize)
    want = pgtctl_json("diff", *(["--pgsize"] if pgsize else []), a, b)
    assert [shapes.difference(d) for d in differences] == want["differences"]
    assert [d.kind for d in differences] == ["changed", "only-b"]
    assert problems == [] and want["problems"] == []
    assert pgt.open(a).diff(pgt.open(a)) == ([], [])


def test_diff_across_formats(image, samples, tmp_path):
    """Mappings compare across formats (prot as IOMMU_* words)."""
    other = tmp_path / "dart.img"
    pgtctl("build", f"{samples}/apple-m1-dart.yaml", "-o", other)
    differences, _ = pgt.open(image["img"]).diff(pgt.open(other))
    want = pgtctl_json("diff", image["img"], other)["differences"]
    assert len(want) > 1 and [shapes.difference(d) for d in differences] == want
    with pytest.raises(pgt.InvalidError, match="one format"):
        pgt.open(image["img"]).diff_descriptors(pgt.open(other))


def test_diff_descriptors(edited, image, tmp_path):
    a, b = edited
    setup, descriptors = pgt.open(a).diff_descriptors(pgt.open(b))
    want = pgtctl_json("diff", "--descriptors", a, b)
    assert setup == [] and want["setup"] == []
    assert [{"level": d.level, "iova": hex(d.iova),
             "fields": [{"name": f.name, "a": f.a, "b": f.b} for f in d.fields],
             "a": {"desc_pa": hex(d.desc_pa_a), "desc": hex(d.desc_a)},
             "b": {"desc_pa": hex(d.desc_pa_b), "desc": hex(d.desc_b)}}
            for d in descriptors] == want["descriptors"]
    assert [(d.kind_a, d.kind_b) for d in descriptors] == [("leaf", "leaf"), ("empty", "table")]
    # another configuration: the set-up differs, the layout too
    spec = tmp_path / "ias39.yaml"
    spec.write_text(image["spec"].read_text().replace("ias: 48", "ias: 39"))
    c = tmp_path / "c.img"
    pgtctl("build", spec, "-o", c)
    setup, descriptors = pgt.open(a).diff_descriptors(pgt.open(c))
    want = pgtctl_json("diff", "--descriptors", a, c)
    assert [{"name": v.name, "a": v.a, "b": v.b} for v in setup] == want["setup"]
    assert "ias" in [v.name for v in setup]
    assert descriptors is None and want["compared"] is False


def test_new_map_save(tmp_path):
    """A table made and mapped here is the one pgtctl reads from its IMAGE."""
    t = pgt.Table.new("arm-64-lpae-s1", base=0x80000000, ias=39)
    t.map(0x10000000, 0x880000000, "2M", "rw")
    t.map(0x40001000, 0x90001000, 0x1000, pgt.Prot.READ)
    t.map("0x50000000", 0x90010000, "64K", prot=["read", "noexec"], pgsize="4K")
    assert t.config["ias"] == 39 and t.kernel == "6.12"
    img = tmp_path / "new.img"
    t.save(img)
    want = pgtctl_json("dump", img)["mappings"]
    assert [shapes.mapping(m) for m in t.mappings()] == want
    assert [(m["iova"], m["pgsize"]) for m in want] == [
        ("0x10000000", "0x200000"), ("0x40001000", "0x1000"), ("0x50000000", "0x1000")]
    assert t.unmap(0x50000000, "64K") == 0x10000
    raw = tmp_path / "new.raw"
    t.save(raw, raw=True)
    back = pgt.open(raw=raw, base=0x80000000, format="arm-64-lpae-s1", root=t.roots, ias=39)
    assert [m.iova for m in back.mappings()] == [0x10000000, 0x40001000]


def test_edit_image(edited, tmp_path):
    a, b = edited
    t = pgt.Table.image(a, editable=True)
    t.map(0x30000000, 0x900000000, "64K", "r")
    t.unmap(0x10000000, "4K")
    t.map(0x10000000, 0x123000, "4K")
    assert t.diff(pgt.open(b)) == ([], [])


def test_refusals(image):
    t = pgt.Table.image(image["img"], editable=True)
    with pytest.raises(pgt.ExistsError) as e:
        t.map(0x10000000, 0, 4096)
    assert e.value.errno == -errno.EEXIST and e.value.remedy == "replace"
    assert "already mapped" in str(e.value) and "replace=True" in str(e.value)
    with pytest.raises(pgt.InvalidError) as e:
        t.unmap(0x10200000, 4096)
    assert e.value.remedy == "split" and isinstance(e.value, ValueError)
    assert "inside a 2M block" in str(e.value) and "split=True" in str(e.value)
    assert t.unmap(0x10200000, 4096, split=True) == 4096
    assert t.translate(0x10201000).pa == 0x881201000 and t.translate(0x10200000).pa is None
    with pytest.raises(pgt.Error, match="read-only") as e:
        pgt.open(image["img"]).map(0x90000000, 0, 4096)
    assert e.value.errno == -errno.EROFS


def test_bad_input(image, tmp_path):
    with pytest.raises(pgt.FileError) as e:
        pgt.open(tmp_path / "missing.img")
    assert isinstance(e.value, OSError) and e.value.errno == errno.ENOENT
    assert e.value.filename == str(tmp_path / "missing.img")
    assert str(e.value) == pgtctl("info", tmp_path / "missing.img", check=False).stderr.strip() \
        .removeprefix("pgtctl: ")
    with pytest.raises(pgt.InvalidError, match="unknown format 'arm-65'"):
        pgt.open(raw=image["raw"], base=0, format="arm-65", root=0)
    with pytest.raises(pgt.InvalidError, match="amd-iommu-v1 needs mode=N"):
        pgt.open(raw=image["raw"], base=0, format="amd-iommu-v1", root=0)
    with pytest.raises(pgt.InvalidError, match="unknown kernel '5.4'"):
        pgt.open(image["img"], kernel="5.4")
    with pytest.raises(pgt.InvalidError, match="needs its base"):
        pgt.open(raw=image["raw"], format="arm-64-lpae-s1", root=0)
    with pytest.raises(pgt.InvalidError, match="root=PA"):
        pgt.open(raw=image["raw"], base=0, format="arm-64-lpae-s1")
    with pytest.raises(pgt.InvalidError, match="apply to dump="):
        pgt.open(image["img"], format="arm-64-lpae-s1")
    with pytest.raises(pgt.InvalidError, match="ias"):
        pgt.Table.new("arm-64-lpae-s1", ias=65)
    with pytest.raises(pgt.InvalidError, match="has no option 'mode'"):
        pgt.Table.new("arm-64-lpae-s1", mode=3)
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: arm-64-lpae-s1\nmappings: [{iova: 1}]\n")
    with pytest.raises(pgt.InvalidError) as e:
        pgt.open(bad)
    assert str(e.value) == pgtctl("info", bad, check=False).stderr.strip().removeprefix("pgtctl: ")
    with pytest.raises(TypeError):
        pgt.open(image["img"]).translate(1.5)
    with pytest.raises(pgt.InvalidError, match="empty"):
        list(pgt.open(image["img"]).mappings(0x2000, 0x1000))

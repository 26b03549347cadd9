#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl dump: coalesced mappings, leaves, the tree, YAML that rebuilds the
# table byte for byte, and every SOURCE kind reading the same table.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s2-concat.yaml" -o s2.img >/dev/null

run pgtctl dump s2.img
expect_status 0 "dump"
expect_golden dump-s2.txt "coalesced ranges of one page size and prot"
run pgtctl dump --leaves s2.img
expect_golden dump-s2-leaves.txt "--leaves: one line per leaf descriptor"
run pgtctl dump --tree s2.img
expect_golden dump-s2-tree.txt "--tree: tables by level"

run pgtctl dump --json s2.img
expect_json "dump --json"
expect_py 'j["format"] == "arm-64-lpae-s2" and j["mappings"][0] == {"iova":"0x9000000","pa":"0x8e0001000","size":"0x1000","prot":["read"],"pgsize":"0x1000"}' \
	"the schema of design.md"
run pgtctl dump --json --leaves s2.img
expect_py 'len(j["mappings"]) == 278 and all("level" in m and "desc" in m for m in j["mappings"])' \
	"--leaves --json: level and desc on every leaf"
run pgtctl dump --json --tree s2.img
expect_py 'j["tables"][0]["level"] == 1 and len(j["tables"][0]["entries"]) > 0' "--tree --json nests entries"

# dump --output yaml, then build: byte-identical
run pgtctl dump s2.img --output yaml
expect_status 0 "dump --output yaml"
cp out rebuilt.yaml
run pgtctl build rebuilt.yaml -o rebuilt.img
expect_status 0 "the dumped spec builds"
if cmp -s s2.img rebuilt.img; then ok "the rebuilt image is byte-identical"; else not_ok "byte-identical rebuild"; fi

# with unmaps and a split, empty tables must survive the round trip
cat >holes.yaml <<'Y'
format: arm-64-lpae-s1
memory: { base: 0x100000 }
mappings:
  - { iova: 0x40000000, paddr: 0x40000000, size: 1G, prot: rwc }
  - { iova: 0x200000, paddr: 0x80200000, size: 2M, pgsize: 4K, prot: rw }
  - { iova: 0x7000000000, paddr: 0x1000, size: 4K, prot: r }
unmap:
  - { iova: 0x40001000, size: 4K, split: true }
  - { iova: 0x200000, size: 2M }
  - { iova: 0x7000000000, size: 4K }
Y
pgtctl build holes.yaml -o holes.img >/dev/null
pgtctl dump holes.img --output yaml -o holes2.yaml
run pgtctl build holes2.yaml -o holes2.img
expect_status 0 "a table with emptied tables round-trips"
if cmp -s holes.img holes2.img; then ok "byte-identical, empty tables kept"; else not_ok "byte-identical with empty tables"; fi

# leaves no map_pages writes: the spec says which it cannot recreate, and
# still builds
cat >odd.yaml <<'Y'
format: arm-64-lpae-s2
config: { ias: 40, oas: 40 }
memory: { base: 0x90000000 }
mappings:
  - { iova: 0x1000, paddr: 0x2000, size: 4K, prot: rw }
  - { iova: 0x2000, paddr: 0x3000, size: 4K, prot: r }
Y
pgtctl build odd.yaml -o odd.img >/dev/null
pgtctl emit odd.img -o odd.raw --raw >/dev/null
# the leaf of 0x2000 at 0x90003010 loses S2AP (no access); the leaf of
# 0x1000 at 0x90003008 gains software bit 55
python3 -c '
import struct
f = open("odd.raw", "r+b")
for off, clear, set_ in ((0x3010, 0xc0, 0), (0x3008, 0, 1 << 55)):
    f.seek(off); v = struct.unpack("<Q", f.read(8))[0]
    f.seek(off); f.write(struct.pack("<Q", (v & ~clear) | set_))
'
run pgtctl dump --raw odd.raw --base 0x90000000 --format arm-64-lpae-s2 --root 0x90000000 --ias 40 --oas 40 --output yaml
expect_status 0 "dump --output yaml of leaves no map makes"
expect_out_has "# cannot recreate iova 0x2000+0x1000: its leaves grant neither read nor write" \
	"a leaf without read or write is named, not written as an empty prot"
expect_out_has "# note: the level 3 leaf at iova 0x1000 (0x00800000000026d7) has bits its prot words do not give; rebuilt it reads 0x00000000000026d7" \
	"a leaf with bits prot cannot give is noted with both values"
cp out odd2.yaml
run pgtctl build odd2.yaml -o odd2.img
expect_status 0 "that spec builds"
run pgtctl dump --json odd2.img
expect_py '[(m["iova"], m["pa"]) for m in j["mappings"]] == [("0x1000", "0x2000")]' \
	"with only the leaf it can recreate"

# every SOURCE kind: image, spec, --dump ELF, --raw flat memory
pgtctl dump s2.img >want
run pgtctl dump "$SAMPLES/smmuv3-s2-concat.yaml"
if cmp -s out want; then ok "a spec as SOURCE"; else not_ok "a spec as SOURCE"; fi
run pgtctl dump --dump s2.img --format arm-64-lpae-s2 --root 0x90000000 --ias 40 --oas 40
if cmp -s out want; then ok "--dump ELF core with --format --root"; else not_ok "--dump" "$(head -3 err)"; fi
pgtctl emit s2.img -o s2.raw --raw >/dev/null
run pgtctl dump --raw s2.raw --base 0x90000000 --format ARM_64_LPAE_S2 --root 0x90000000 --ias 40 --oas 40
if cmp -s out want; then ok "--raw flat memory reads back the same mappings"; else not_ok "--raw" "$(head -3 err)"; fi

run pgtctl dump --raw s2.raw --format arm-64-lpae-s2 --root 0x90000000
expect_status 2 "--raw without --base"
expect_err_has "needs --base" "says so"
run pgtctl dump s2.img --format arm-64-lpae-s2
expect_status 2 "--format with an IMAGE is refused"
done_testing

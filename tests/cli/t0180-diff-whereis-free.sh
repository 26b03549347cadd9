#!/bin/sh
# SPDX-License-Identifier: MIT
# diff of two tables (also of two formats), whereis and free.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null
cp a.img b.img
pgtctl map b.img 0x90000000 0x900000000 4M >/dev/null
pgtctl unmap b.img 0x10200000 2M >/dev/null
pgtctl unmap b.img 0x10004000 8K >/dev/null
pgtctl map b.img 0x10004000 0x123000 8K --prot r >/dev/null

run pgtctl diff a.img a.img
expect_status 0 "a table against itself: exit 0"
expect_out "no differences" "says so"
run pgtctl diff a.img "$SAMPLES/smmuv3-s1-4k.yaml"
expect_status 0 "an image against the spec it came from: the same"
run pgtctl diff a.img b.img
expect_status 1 "different tables: exit 1"
expect_golden diff.txt "one line a difference, in IOVA order, and a summary"
run pgtctl diff --json a.img b.img
expect_py '[d["kind"] for d in j["differences"]] == ["changed", "only-a", "only-b"] and j["differences"][1]["b"] is None and j["summary"]["changed_bytes"] == "0x2000"' \
	"diff --json"
run pgtctl diff --descriptors a.img b.img
expect_status 1 "--descriptors: exit 1"
expect_out_has "L3 iova 0x10004000: leaf -> leaf" "names each differing descriptor"
expect_out_has "A @0x80004020 = 0x0060000880004f47" "with both values"

# page sizes: the same memory as 2M blocks and as 4K pages
cat >big.yaml <<'Y'
format: arm-64-lpae-s1
mappings:
  - { iova: 0x200000, paddr: 0x200000, size: 4M, prot: rw }
Y
sed 's/prot: rw }/pgsize: 4K, prot: rw }/' big.yaml >small.yaml
run pgtctl diff big.yaml small.yaml
expect_status 0 "the same mappings in other page sizes are the same"
run pgtctl diff --pgsize big.yaml small.yaml
expect_status 1 "--pgsize tells them apart"
expect_out_has "A 0x200000 rw 2M  B 0x200000 rw 4K" "showing both sizes"

# across formats: an LPAE table and a DART table of the same mappings
cat >dart.yaml <<'Y'
format: apple-dart
config: { ias: 32, oas: 36, pgsize: [16K] }
mappings:
  - { iova: 0x200000, paddr: 0x200000, size: 4M, prot: rw }
Y
run pgtctl diff big.yaml dart.yaml
expect_status 0 "an LPAE table and a DART table mapping the same compare equal"
run pgtctl diff --descriptors big.yaml dart.yaml
expect_status 2 "--descriptors needs one format"

# B from memory
pgtctl emit b.img -o b.raw --raw >/dev/null
run pgtctl diff a.img --raw b.raw --base 0x80000000 --format arm-64-lpae-s1 --root 0x80000000
expect_status 1 "A against memory"

run pgtctl whereis a.img 0x881200000 0x1000
expect_out "0x0000000010200000-0x0000000010200fff -> 0x0000000881200000     4K rwcx L2" "whereis: the IOVA of a PA"
run pgtctl whereis --json a.img 0x880000000 1M
expect_py 'j["mappings"] == [{"iova": "0x10000000", "pa": "0x880000000", "size": "0x10000", "prot": ["read", "write", "cache", "noexec"], "level": 3}]' \
	"whereis --json: the part of the range that is mapped"
run pgtctl whereis a.img 0x1
expect_status 1 "whereis of an unmapped PA: exit 1"

run pgtctl free a.img --range 0-0x2fffffff
expect_golden free.txt "free: the gaps, in IOVA order"
run pgtctl free a.img --size 128M --range 0-0x2fffffff --json
expect_py '[g["iova"] for g in j["free"]] == ["0x0", "0x10400000", "0x20004000"]' "free --size keeps the gaps it fits"
run pgtctl free a.img --size 1T --align 1T --range 0-0x2fffffff
expect_status 1 "nothing that large"
run pgtctl free a.img --range 0x30-0x20
expect_status 2 "a reversed range"
cat >gap.yaml <<'Y'
format: arm-64-lpae-s1
mappings:
  - {iova: 0x1001000, paddr: 0x1000, size: 4K}
Y
run pgtctl free gap.yaml
expect_out "0x0000000000000000-0x0000000001000fff     ~16M
0x0000000001002000-0x0000ffffffffffff    ~256T" "free: sizes of no round unit read at a glance (not 274877906936K)"
run pgtctl free gap.yaml --json
expect_py 'j["free"][1]["size"] == "0xfffffeffe000"' "free --json: the size exact"
done_testing

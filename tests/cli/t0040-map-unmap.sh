#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl map and unmap: in-place edits, all or nothing.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null

run pgtctl map a.img 0x90000000 0x900000000 4M --prot rwc
expect_status 0 "map 4M"
expect_out "mapped 0x90000000+0x400000 -> 0x900000000 rwc" "reports the mapping"
run pgtctl translate a.img 0x90300042
expect_out_has "0x90300042 -> 0x900300042  2M  L2" "mapped as 2M blocks, as iommu_map splits it"

run pgtctl map a.img 0xa0000000 0x900000000 64K --pgsize 4K --trace-tlb
expect_status 0 "map with a forced page size"
expect_out_has "# map_pages iova=0xa0000000 pa=0x900000000 pgsize=0x1000 pgcount=16" "one map_pages call of 16 pages"

# failures leave the file as it was
before=$(sum a.img)
run pgtctl map a.img 0x10000000 0x1000 4K
expect_status 1 "mapping over a mapping fails"
expect_err_has "is already mapped (EEXIST)" "EEXIST, named"
expect_unchanged a.img "$before" "the image is untouched"
run pgtctl map a.img 0x90000000 0x1000 2M --replace
expect_status 1 "--replace cannot map over a leaf either (the kernel refuses too)"
expect_unchanged a.img "$before" "still untouched"
run pgtctl map a.img 0xb0001000 0x1000 4K --pgsize 2M
expect_status 1 "unaligned for the forced page size"
expect_err_has "unaligned" "says unaligned"
run pgtctl map a.img 0xb0000800 0x1000 4K
expect_status 1 "unaligned iova"
run pgtctl map a.img 0x1000000000000 0x1000 4K
expect_status 1 "beyond ias"
expect_err_has "ERANGE" "ERANGE"
run pgtctl map a.img 0xb0000000 0x1000000000000 4K
expect_status 1 "beyond oas"
run pgtctl map a.img 0xb0000000 0x1000 4K --prot c
expect_status 1 "prot without read or write"
run pgtctl map a.img 0xb0000000 0x1000 4K --prot rz
expect_status 2 "a bad prot word is a usage error"
expect_unchanged a.img "$before" "none of them changed the image"
if ls -a | grep -q '^\.a\.img\.'; then not_ok "no temporary files left"; else ok "no temporary files left"; fi

# a block over an emptied table: refused by default, the kernel's way with --replace
pgtctl map a.img 0xb0000000 0x1000 4K >/dev/null
pgtctl unmap a.img 0xb0000000 4K >/dev/null
run pgtctl map a.img 0xb0000000 0xb0000000 2M --trace-tlb
expect_status 0 "a block over an empty table"
expect_out_has "tlb_flush_walk iova=0xb0000000 size=0x200000 granule=0x1000" "the table is torn down with flush_walk"

before=$(sum a.img)
run pgtctl unmap a.img 0x10201000 4K
expect_status 1 "part of a 2M block is refused by default"
expect_err_has "inside a 2M block at level 2" "the refusal names the block"
expect_unchanged a.img "$before" "the image is untouched"
run pgtctl unmap a.img 0x10201000 4K --split --trace-tlb
expect_status 0 "--split splits it as 6.12 did"
expect_out_has "tlb_add_page iova=0x10201000 granule=0x1000" "one add_page for the window"
run pgtctl translate a.img 0x10200000 0x10201000 0x10202000
expect_status 1 "the window is unmapped"
expect_out_has "0x10202000 -> 0x881202000  4K  L3" "the rest is 4K pages now"

run pgtctl unmap a.img 0xbf000000 4K
expect_status 1 "unmapping a hole fails"
expect_err_has "is not mapped" "and says so"
run pgtctl unmap a.img 0xa0000000 64K --json
expect_json "unmap --json"
expect_py 'j == {"iova":"0xa0000000","size":"0x10000"}' "reports what was unmapped"

run pgtctl map "$SAMPLES/smmuv3-s1-4k.yaml" 0x0 0x0 4K
expect_status 2 "map edits IMAGEs, not specs"
expect_err_has "not an IMAGE" "says so"
run pgtctl map missing.img 0x0 0x0 4K
expect_status 2 "a missing image"
done_testing

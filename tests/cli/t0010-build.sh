#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl build: registers, determinism, the IMAGE's ELF layout, raw output.
. "$(dirname "$0")/lib.sh"

for s in smmuv3-s1-4k smmuv3-s2-concat smmu-s1-64k; do
	run pgtctl build "$SAMPLES/$s.yaml" -o "$s.img"
	expect_status 0 "$s builds"
	expect_golden "build-$s.txt" "$s: registers as the kernel computes them"
done

run pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o again.img
if cmp -s smmuv3-s1-4k.img again.img; then ok "building twice gives identical files"; else
	not_ok "building twice gives identical files"; fi

run readelf -lnW smmuv3-s1-4k.img
expect_out_has "CORE (Core file)" "an ELF core"
expect_out_has "LOAD" "table memory in a PT_LOAD segment"
expect_out_has "0x0000000080000000 0x0000000080000000" "placed at its physical address"
expect_out_has "PGTCTL" "the PGTCTL note"
run strings smmuv3-s1-4k.img
expect_out_has "format=arm-64-lpae-s1" "the note names the format"
expect_out_has "reg.tcr.tsz=16" "the note records the registers"

run pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o flat.bin --raw
expect_status 0 "build --raw"
if [ "$(wc -c <flat.bin)" -eq 24576 ]; then ok "raw: six 4K tables"; else not_ok "raw: six 4K tables" "$(wc -c <flat.bin) bytes"; fi

cat >split.yaml <<'Y'
format: arm-64-lpae-s1
mappings:
  - { iova: 0x40000000, paddr: 0x40000000, size: 1G, prot: rw }
  - { iova: 0x1000, paddr: 0x1000, size: 8K, prot: rw }
unmap:
  - { iova: 0x40001000, size: 12K, split: true }
  - { iova: 0x1000, size: 8K }
Y
run pgtctl build split.yaml -o split.img --trace-tlb
expect_status 0 "build with a 6.12 split"
expect_golden build-trace.txt "--trace-tlb: map_pages calls and TLB maintenance in the kernel's order"
run pgtctl --json build split.yaml --trace-tlb
expect_json "build --json"
expect_py '[e["op"] for e in j["trace"] if e["op"].startswith("tlb")] == ["tlb_add_page"]*5' \
	"three split pages, then two pages: five tlb_add_page"
expect_py 'j["registers"]["tcr"]["tsz"] == 16 and j["registers"]["mair"] == "0xfffffffff404ff44"' \
	"JSON registers: tcr fields nested, values as strings"

run pgtctl build split.yaml
expect_status 0 "build without -o checks the spec only"
done_testing

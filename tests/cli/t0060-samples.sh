#!/bin/sh
# SPDX-License-Identifier: MIT
# Every sample: builds, translates, dumps as its golden output says, and
# round-trips through dump --output yaml byte for byte.
. "$(dirname "$0")/lib.sh"

for spec in "$SAMPLES"/*.yaml; do
	s=$(basename "$spec" .yaml)
	run pgtctl build "$spec" -o "$s.img"
	expect_status 0 "$s: builds"
	run pgtctl dump "$s.img"
	expect_golden "sample-$s.txt" "$s: its mappings"
	first=$(head -1 out | cut -d- -f1)
	run pgtctl translate "$s.img" "$first"
	expect_status 0 "$s: its first mapping translates"
	run pgtctl dump "$s.img" --output yaml -o "$s.rebuilt.yaml"
	run pgtctl build "$s.rebuilt.yaml" -o "$s.rebuilt.img"
	if cmp -s "$s.img" "$s.rebuilt.img"; then ok "$s: dump --output yaml rebuilds it byte for byte"; else
		not_ok "$s: round trip"; fi
	run pgtctl info --json "$s.img"
	expect_json "$s: info --json"
done

# the registers each format reports, by their kernel names
run pgtctl info --json panfrost-mali.img
expect_py 'j["registers"] == {"transtab": "0x80000007", "memattr": "0x888d88"}' \
	"Mali: transtab (non-coherent: PA|0x7) and memattr"
run pgtctl info --json apple-m1-dart.img
expect_py 'j["registers"] == {"ttbr": ["0x800000000"], "n_ttbrs": 1}' "DART: ttbr list and n_ttbrs"
run pgtctl info --json mediatek-v7s.img
expect_py 'j["registers"]["ttbr"] == "0x40000001" and j["registers"]["prrr"] == "0x800b8204"' \
	"v7s: MediaTek ttbr with PA bits 34:32 in bits 2:0; prrr"
run pgtctl info --json amd-v1-mixed.img
expect_py 'j["registers"] == {"root": "0x100000000", "mode": 4}' "AMD: root and mode, grown to 4"
run pgtctl info --json amd-v2-pasid.img
expect_py 'j["registers"] == {"root": "0x240000000", "levels": 4}' "AMD v2: root and levels"
run pgtctl info --json vtd-nic.img
expect_py 'j["registers"] == {"root": "0x1f0000000", "aw": 2}' "VT-d second stage: root and AW"
run pgtctl info --json riscv-sv48.img
expect_py 'j["registers"] == {"iosatp": {"value": "0x9000000000080200", "mode": 9, "ppn": 0x80200}}' \
	"RISC-V: iosatp, MODE 9 (Sv48) and the root's PPN"

# memory sources need what a format needs to walk
run pgtctl translate --dump amd-v1-mixed.img --format amd-iommu-v1 --root 0x100000000 0x12345
expect_status 2 "amd-iommu-v1 from memory needs --mode"
expect_err_has "needs --mode N" "says so"
run pgtctl translate --dump amd-v1-mixed.img --format amd-iommu-v1 --root 0x100000000 --mode 4 0x12345
expect_out_has "0x12345 -> 0x2f0012345  64K  L0  rw" "with --mode 4 it walks"
run pgtctl translate --dump apple-m1-dart.img --format apple-dart --root 0x800000000 --pgsize-bitmap 16K --ias 32 --oas 36 0xffe01234
expect_out_has "0xffe01234 -> 0x8a0001234  16K  L2  rw" "a DART from memory"
done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# A table's level count is part of reading it. --levels alone gives
# intel-vtd-ss the ias the kernel pairs with it (compute_vasz_lg2_ss():
# 3/4/5 levels, 39/48/57 bits), an ias that contradicts it is refused, and
# scan without --ias or the format's option tries every level count the
# kernel builds the format with, naming each candidate's.
. "$(dirname "$0")/lib.sh"

# spec NAME FORMAT CONFIG MAPPING...: NAME.yaml, built and emitted as NAME.raw
table() {
	name=$1 format=$2 config=$3
	shift 3
	{
		printf 'format: %s\nconfig: { %s }\nmemory: { base: 0x80000000 }\nmappings:\n' \
			"$format" "$config"
		for m in "$@"; do printf '  - %s\n' "$m"; done
	} >"$name.yaml"
	pgtctl build "$name.yaml" -o "$name.img" >/dev/null &&
		pgtctl emit "$name.img" -o "$name.raw" --raw >/dev/null ||
		not_ok "$name: the fixture builds"
}
MAPS='{ iova: 0x0, paddr: 0x100000, size: 4K, prot: rw }|{ iova: 0x40000000, paddr: 0x200000, size: 2M, prot: rw }|{ iova: 0x3fc0001000, paddr: 0x300000, size: 64K, prot: r }'
IFS='|'
# shellcheck disable=SC2086
table ss3 intel-vtd-ss "levels: 3" $MAPS
# shellcheck disable=SC2086
table rv39 riscv-iommu "ias: 39" $MAPS
# shellcheck disable=SC2086
table v2five amd-iommu-v2 "levels: 5" $MAPS "{ iova: 0x1000000000000, paddr: 0x400000, size: 4K, prot: r }"
# shellcheck disable=SC2086
table v2four amd-iommu-v2 "" $MAPS
# shellcheck disable=SC2086
table ss4 intel-vtd-ss "levels: 4" $MAPS
unset IFS
MEM="--raw ss3.raw --base 0x80000000 --format intel-vtd-ss"

# --- --levels gives the ias -----------------------------------------------------
run pgtctl translate --json $MEM --levels 3 --root 0x80000000 0x3fc0001000
expect_status 0 "vtd-ss --levels 3 alone reads the 3-level table"
expect_py 'j[0]["pa"] == "0x300000"' "--levels 3: ias 39, the top IOVA translates"
run pgtctl translate $MEM --levels 3 --ias 39 --root 0x80000000 0x3fc0001000
expect_status 0 "--levels 3 --ias 39 agree"
diag "levels do not hold ias" pgtctl translate $MEM --levels 3 --ias 48 --root 0x80000000 0x0
run pgtctl info --json --raw ss3.raw --base 0x80000000 --format intel-vtd-ss --levels 5 --root 0x80000000
expect_py 'j["config"]["ias"] == 57 and j["geometry"]["n_levels"] == 5' "--levels 5 alone: ias 57"
run pgtctl info --json --raw ss3.raw --base 0x80000000 --format intel-vtd-ss --levels 5 --ias 48 --root 0x80000000
expect_py 'j["config"]["ias"] == 48 and j["geometry"]["n_levels"] == 5' \
	"--levels 5 --ias 48: 48 bits on 5 levels, as a SAGAW of 5 levels alone gives"
run pgtctl info --json --raw ss3.raw --base 0x80000000 --format intel-vtd-ss --root 0x80000000
expect_py 'j["config"]["ias"] == 48 and j["geometry"]["n_levels"] == 4' "neither: 48 bits, 4 levels"

# --- scan tries every level count -------------------------------------------------
run pgtctl scan --json $MEM
expect_status 0 "vtd-ss scan finds the 3-level table unaided"
expect_py 'j["candidates"][0]["root"] == "0x80000000" and j["candidates"][0]["levels"] == 3 and j["candidates"][0]["pages"] == 18 and j["candidates"][0]["problems"] == 0' \
	"vtd-ss scan: the root first, at 3 levels, with its 18 leaf entries"
expect_py 'len(set(c["root"] for c in j["candidates"])) == len(j["candidates"])' \
	"a root found at several level counts is listed once"
run pgtctl scan $MEM --top 1
expect_out_has "ROOT               LEVELS     SCORE" "the text names the level count"
expect_out_has "0x80000000              3 " "the root at 3 levels"
run pgtctl scan --json $MEM --levels 4
expect_py 'all(c["root"] != "0x80000000" or c["levels"] == 4 for c in j["candidates"]) and all(c["levels"] == 4 for c in j["candidates"])' \
	"--levels 4: only 4 levels are tried"
run pgtctl scan --json --raw ss3.raw --base 0x80000000 --format intel-vtd-ss --ias 48
expect_py 'all(c["levels"] == 4 for c in j["candidates"])' "--ias 48: only the 4 levels it gives"
run pgtctl scan --json --raw ss4.raw --base 0x80000000 --format intel-vtd-ss
expect_py 'j["candidates"][0]["root"] == "0x80000000" and j["candidates"][0]["levels"] == 4' \
	"a 4-level table whose top has one entry: its root at 4 levels, not its child's tree at 3"
run pgtctl scan --json --raw rv39.raw --base 0x80000000 --format riscv-iommu
expect_py 'j["candidates"][0]["root"] == "0x80000000" and j["candidates"][0]["levels"] == 3 and j["candidates"][0]["pages"] == 18' \
	"riscv-iommu scan finds an Sv39 table unaided"
run pgtctl scan --json --raw v2five.raw --base 0x80000000 --format amd-iommu-v2
expect_py 'j["candidates"][0]["root"] == "0x80000000" and j["candidates"][0]["levels"] == 5 and j["candidates"][0]["pages"] == 19' \
	"amd-iommu-v2 scan finds a 5-level table unaided (mappings under two of its top entries)"
# a page whose one entry points at a 4-level root (as the GCR3 table's
# entry for PASID 0 does) reads as a fifth level above it: the same tree,
# named at the fewer levels
python3 -c 'import struct, sys; sys.stdout.buffer.write(struct.pack("<Q", 0x80000001) + bytes(4088))' >gcr3.raw
run pgtctl scan --json --raw v2four.raw --base 0x80000000 --raw gcr3.raw --base 0x90000000 --format amd-iommu-v2
expect_py 'j["candidates"][0]["root"] == "0x80000000" and j["candidates"][0]["levels"] == 4 and all(c["levels"] == 4 for c in j["candidates"])' \
	"a tree found at 4 and 5 levels is named at 4, not through the page above it"
pgtctl build "$SAMPLES/amd-v1-mixed.yaml" -o amd.img >/dev/null &&
	pgtctl emit amd.img -o amd.raw --raw >/dev/null || not_ok "amd-v1-mixed builds"
run pgtctl scan --json --raw amd.raw --base 0x100000000 --format amd-iommu-v1
expect_py 'j["candidates"][0]["root"] == "0x100000000" and j["candidates"][0]["levels"] == 4' \
	"amd-iommu-v1 scan finds the table that grew to mode 4, not its mode-3 subtable"
run pgtctl scan --json --raw amd.raw --base 0x100000000 --format amd-iommu-v1 --mode 3
expect_py 'j["candidates"][0]["root"] == "0x100001000"' "--mode 3: the subtable, as before"
run pgtctl scan --raw rv39.raw --base 0x80000000 --format riscv-iommu --quirks riscv-svpbmt
expect_status 1 "a configuration the kernel refuses at every level count: refused, not an empty scan"
expect_err_has "riscv-svpbmt" "with the kernel's reason"
run pgtctl scan --json --raw ss3.raw --base 0x80000000 --format arm-64-lpae-s1
expect_py 'all(c["levels"] == 4 for c in j["candidates"])' "LPAE: the levels its ias gives, one scan"
done_testing

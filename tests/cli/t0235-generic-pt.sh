#!/bin/sh
# SPDX-License-Identifier: MIT
# The formats Linux 7.3 builds with its generic page table library
# (amd-iommu-v2, intel-vtd-ss, intel-vtd-fs, riscv-iommu, and amd-iommu-v1
# under 7.3): the descriptors and registers the kernel's code writes (as
# tests/kernel/genpt checks them against it), its map and unmap rules
# through map/unmap, check of what no kernel writes, and pgtctl(1)'s
# DIAGNOSTICS of them.
. "$(dirname "$0")/lib.sh"

# spec NAME FORMAT CONFIG [KERNEL] [MAPPINGS]: NAME.yaml, one page at 0 by default
spec() {
	{
		printf 'format: %s\n' "$2"
		[ -n "$4" ] && printf 'kernel: %s\n' "$4"
		printf 'config: { %s }\nmemory: { base: 0x80000000 }\nmappings:\n' "$3"
		printf '%s\n' "${5:-  - { iova: 0x0, paddr: 0x100000, size: 4K, prot: rw \}}"
	} >"$1.yaml"
}
# img NAME ...: NAME.img built from spec NAME ...
img() {
	spec "$@"
	pgtctl build "$1.yaml" -o "$1.img" >/dev/null
}
# desc IMG IOVA: the leaf descriptor translate reports
desc() {
	pgtctl translate --json "$1" "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["desc"])'
}

# --- amd-iommu-v2: 6.12's io_pgtable_v2.c and 7.3's x86_64 -----------------
MAPS='  - { iova: 0x0, paddr: 0x100000, size: 4K, prot: r }
  - { iova: 0x200000, paddr: 0x400000, size: 2M, prot: rw }'
img v2a amd-iommu-v2 "" "" "$MAPS"
img v2b amd-iommu-v2 "" 7.3 "$MAPS"
[ "$(desc v2a.img 0x0)" = 0x100065 ] && ok "6.12 v2: a read-only leaf is P U A D" ||
	not_ok "6.12 v2: a read-only leaf is P U A D" "$(desc v2a.img 0x0)"
[ "$(desc v2b.img 0x0)" = 0x100025 ] && ok "7.3 v2: a read-only leaf is P U A" ||
	not_ok "7.3 v2: a read-only leaf is P U A" "$(desc v2b.img 0x0)"
[ "$(desc v2b.img 0x200000)" = 0x4000e7 ] && ok "7.3 v2: a 2M leaf is P RW U A D PS" ||
	not_ok "7.3 v2: a 2M leaf is P RW U A D PS" "$(desc v2b.img 0x200000)"
run pgtctl diff --descriptors v2a.img v2b.img
expect_status 1 "diff --descriptors: 6.12 and 7.3 differ"
expect_out_has "A @0x80003000 = 0x0000000000100065" "in the read-only leaf's D"
run pgtctl info --json v2b.img
expect_py 'j["registers"]["levels"] == 4 and j["registers"]["root"] == "0x80000000" and j["config"]["ias"] == 47' \
	"7.3 v2: levels 4, ias 47 (the top bit cut)"
img v2c amd-iommu-v2 "levels: 5" 7.3
run pgtctl info --json v2c.img
expect_py 'j["registers"]["levels"] == 5 and j["config"]["ias"] == 56' "7.3 v2 with 5 levels: ias 56"
diag "needs --levels N" pgtctl translate --raw v2c.img --base 0 --format amd-iommu-v2 --root 0x80000000 0x0

# --- intel-vtd-ss --------------------------------------------------------------
img ss intel-vtd-ss ""
run pgtctl info --json ss.img
expect_py 'j["registers"]["aw"] == 2 and j["registers"]["root"] == "0x80000000"' "vtd-ss 48 bits: aw 2"
[ "$(desc ss.img 0x0)" = 0x100003 ] && ok "vtd-ss: a leaf is R W, no present bit" ||
	not_ok "vtd-ss: a leaf is R W" "$(desc ss.img 0x0)"
img ss39 intel-vtd-ss "ias: 39"
run pgtctl info --json ss39.img
expect_py 'j["registers"]["aw"] == 1' "vtd-ss 39 bits: aw 1"
img ss5 intel-vtd-ss "levels: 5"
run pgtctl info --json ss5.img
expect_py 'j["registers"]["aw"] == 3 and j["config"]["ias"] == 57' "vtd-ss 5 levels: aw 3, the 57 bits they hold"
img ss548 intel-vtd-ss "levels: 5, ias: 48"
run pgtctl info --json ss548.img
expect_py 'j["registers"]["aw"] == 3 and j["config"]["ias"] == 48' "vtd-ss 48 bits on 5 levels: aw 3"
img ss3 intel-vtd-ss "levels: 3"
run pgtctl info --json ss3.img
expect_py 'j["registers"]["aw"] == 1 and j["config"]["ias"] == 39' "vtd-ss 3 levels alone: ias 39, aw 1"
img snp intel-vtd-ss "quirks: [flush-range, vtdss-force-coherence]"
[ "$(desc snp.img 0x0)" = 0x100803 ] && ok "vtd-ss force coherence: SNP" ||
	not_ok "vtd-ss force coherence: SNP" "$(desc snp.img 0x0)"
img incoh intel-vtd-ss "coherent_walk: false"
run pgtctl translate -v incoh.img 0x0
expect_out_has "= 0x0000000080001403 table" "vtd-ss incoherent: tables carry software bit 0 (bit 10)"
spec rw intel-vtd-ss "quirks: [flush-range, vtdss-force-writeable]" "" \
	"  - { iova: 0x0, paddr: 0x100000, size: 4K, prot: r }"
diag "ERRATA_772415_SPR17" pgtctl build rw.yaml -o rw.img
spec b intel-vtd-ss "pgsize: [2M]"
diag "FORMAT: pgsize_bitmap must include 4K" pgtctl build b.yaml -o b.img
spec b intel-vtd-ss "ias: 60"
diag "needs ias N to N" pgtctl build b.yaml -o b.img
spec b intel-vtd-ss "ias: 48, levels: 3"
diag "levels do not hold ias" pgtctl build b.yaml -o b.img

# --- intel-vtd-fs --------------------------------------------------------------
img fs intel-vtd-fs ""
[ "$(desc fs.img 0x0)" = 0x100067 ] && ok "vtd-fs: a leaf is P RW U A D" ||
	not_ok "vtd-fs: a leaf is P RW U A D" "$(desc fs.img 0x0)"
run pgtctl info --json fs.img
expect_py 'j["registers"]["flpm"] == 0' "vtd-fs 48 bits: FLPM 0"
img fs5 intel-vtd-fs "ias: 57, coherent_walk: false"
run pgtctl info --json fs5.img
expect_py 'j["registers"]["flpm"] == 1' "vtd-fs 57 bits: FLPM 1"
run pgtctl translate -v fs5.img 0x0
expect_out_has "= 0x0000000080001227 table" "vtd-fs incoherent: tables carry software bit 0 (bit 9)"
run pgtctl map fs.img 0xffff800000000000 0x200000 2M
expect_status 0 "vtd-fs: the upper half maps"
run pgtctl translate --json fs.img 0xffff800000001000
expect_py 'j[0]["pa"] == "0x201000"' "and translates"
diag "sign-extended input address space" pgtctl map fs.img 0x7ffffffff000 0x1000 8K
diag "iova IOVA is outside the" pgtctl map fs.img 0x1000000000000 0x1000 4K
img fs39 intel-vtd-fs "ias: 39"
diag "where the IOMMU does not walk" pgtctl map fs39.img 0xffffffc000200000 0x1000 4K

# --- riscv-iommu -------------------------------------------------------------------
MAPS='  - { iova: 0x0, paddr: 0x100000, size: 4K, prot: r }
  - { iova: 0x10000, paddr: 0x410000, size: 64K, prot: rw }
  - { iova: 0x200000, paddr: 0x400000, size: 2M, prot: [read, write, noexec] }'
img rv riscv-iommu "" "" "$MAPS"
run pgtctl info --json rv.img
expect_py 'j["registers"]["iosatp"]["mode"] == 9 and j["registers"]["iosatp"]["ppn"] == 0x80000 and j["registers"]["iosatp"]["value"] == "0x9000000000080000"' \
	"riscv Sv48: iosatp MODE 9 and the root's PPN"
[ "$(desc rv.img 0x0)" = 0x4005b ] && ok "riscv: a read-only leaf is V R X U A" ||
	not_ok "riscv: a read-only leaf is V R X U A" "$(desc rv.img 0x0)"
[ "$(desc rv.img 0x1f000)" = 0x80000000001060df ] && ok "riscv: a 64K page is N with ppn[3:0] 1000" ||
	not_ok "riscv: a 64K page is N with ppn[3:0] 1000" "$(desc rv.img 0x1f000)"
[ "$(desc rv.img 0x200000)" = 0x1000d7 ] && ok "riscv: noexec clears X" ||
	not_ok "riscv: noexec clears X" "$(desc rv.img 0x200000)"
run pgtctl dump rv.img
expect_out_has "64K rw   1 x 64K" "dump: the 64K page is one leaf of 16 entries"
run pgtctl check rv.img
expect_status 0 "check: the kernel's table is clean"
run pgtctl emit rv.img -o rv.raw --raw
run pgtctl scan --raw rv.raw --base 0x80000000 --format riscv-iommu --json
expect_py 'j["candidates"][0]["root"] == "0x80000000" and j["candidates"][0]["pages"] == 18' \
	"scan ranks the root first, with its 18 leaf entries"
diag "generic_pt unmaps no part" pgtctl unmap rv.img 0x201000 4K
diag "would unmap all of it" pgtctl unmap rv.img 0x200000 4K
run pgtctl unmap --split rv.img 0x200000 4K
expect_status 0 "--split: the 2M page goes whole, as the kernel does"
run pgtctl translate rv.img 0x200000
expect_status 1 "and is gone"
diag "EADDRINUSE): a SIZE leaf" pgtctl map rv.img 0x0 0x800000 4K
diag "in the way still maps pages" pgtctl map rv.img 0x0 0x800000 2M
diag "(ENXIO)" pgtctl map rv.img 0x400000 0x1800 4K
spec b riscv-iommu "ias: 40"
diag "needs ias 39, 48 or 57" pgtctl build b.yaml -o b.img
spec b riscv-iommu "quirks: [sign-extend, flush-range]"
diag "forces them" pgtctl build b.yaml -o b.img
spec b riscv-iommu "quirks: [sign-extend, flush-range, detailed-gather, riscv-svpbmt]"
diag "refuses riscv-svpbmt" pgtctl build b.yaml -o b.img

# --- amd-iommu-v1 under 7.3 ---------------------------------------------------------
img v1 amd-iommu-v1 "" 7.3
run pgtctl map v1.img 0x0 0x800000 4K
expect_status 1 "7.3 v1: a map over a page is refused"
expect_err_has "(EADDRINUSE)" "with generic_pt's EADDRINUSE"
run pgtctl map --trace-tlb v1.img 0x8000000000 0x0 4K
expect_out_has "amd_iommu_change_top" "7.3 v1 grows, and the driver points the DTEs at the new top"
run pgtctl info --json v1.img
expect_py 'j["registers"]["mode"] == 4' "to 4 levels"
run pgtctl dump --output yaml v1.img
expect_out_has "kernel: 7.3" "dump --output yaml keeps the kernel"

# --- reading: what no kernel writes ----------------------------------------------------
# diag_desc KEY IMG ADDR VALUE: IMG with the descriptor at ADDR set to
# VALUE is reported by check as KEY says
diag_desc() {
	cp "$2.img" bad.img
	elftool poke bad.img "$3" "$4"
	diag "$1" pgtctl check bad.img
	expect_out_has "malformed " "$2 $4: of kind malformed"
}
diag_desc "reserved in a PML4E" fs 0x80000000 0x00000000800010a7
diag_desc "PAT set in a PTE" fs 0x80003000 0x00000000001000e7
diag_desc "a leaf without U" fs 0x80003000 0x0000000000100063
diag_desc "SL-PML4E" ss 0x80000000 0x0000000080001083
diag_desc "neither R nor W" ss 0x80003000 0x0000000000100000
diag_desc "memory-type or snoop bits" ss 0x80000000 0x0000000080001803
diag_desc "a table pointer at level 0" rv 0x80003000 0x0000000000040001
diag_desc "W without R" rv 0x80003000 0x00000000000400d5
diag_desc "N set but not a 64K" rv 0x80003000 0x80000000000400df
diag_desc "reserved bits 60:54" rv 0x80003000 0x00400000000400df
diag_desc "in a pointer to a table" rv 0x80000000 0x0000000020000441
diag_desc "PBMT 3" rv 0x80003000 0x60000000000400df
# the 64K page at 0x10000 is entries 16 to 31 of the level-0 table
diag_desc "Svnapot page differs" rv 0x80003088 0x80000000001060db

# --- the spec's kernel --------------------------------------------------------------
spec b amd-iommu-v2 "" 6.13
diag "unknown kernel" pgtctl build b.yaml -o b.img

done_testing

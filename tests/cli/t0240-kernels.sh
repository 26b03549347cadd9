#!/bin/sh
# SPDX-License-Identifier: MIT
# The kernel as a parameter: --kernel on every command, kernel: in a spec,
# recorded in an IMAGE, shown by info and formats, set in a session; what
# Linux 7.3 builds differently from 6.12 (partial unmaps refused, stage-2
# concatenation, S2FWB, DART levels and leaf bits), and diff --descriptors
# naming what a kernel upgrade changes.
. "$(dirname "$0")/lib.sh"

# --- formats: each format's kernels, and one kernel's view
run pgtctl formats --json
expect_py 'all(f["kernel"] == f["kernels"][0] for f in j["formats"])' \
	"formats: each format is shown as its default (oldest) kernel has it"
expect_py 'next(f for f in j["formats"] if f["name"] == "arm-64-lpae-s2")["kernels"] == ["6.12", "7.3"]' \
	"stage 2 LPAE: built by 6.12 and 7.3"
expect_py 'next(f for f in j["formats"] if f["name"] == "arm-64-lpae-s2")["quirks"] == []' \
	"6.12's stage 2 takes no quirk"
run pgtctl formats --kernel 7.3 --json
expect_py 'all(f["kernel"] == "7.3" for f in j["formats"])' "formats --kernel 7.3: 7.3's view"
expect_py 'next(f for f in j["formats"] if f["name"] == "arm-64-lpae-s2")["quirks"] == ["arm-s2fwb", "no-warn"]' \
	"7.3's stage 2 takes arm-s2fwb and no-warn"
expect_py 'next(f for f in j["formats"] if f["name"] == "apple-dart2")["max_ias"] == 42' \
	"7.3's DART reaches further (three levels)"
diag "unknown kernel" pgtctl formats --kernel 8.0

# --- a 6.12 AMD v1 IMAGE read as 7.3: generic_pt's amdv1, with the
# quirks 7.3's driver always sets
pgtctl build "$SAMPLES/amd-v1-mixed.yaml" -o amd-612.img >/dev/null
run pgtctl info amd-612.img --kernel 7.3
expect_out_has "quirks dynamic-top,flush-range,amdv1-encrypt-tables,amdv1-force-coherence" \
	"info --kernel 7.3 of a 6.12 AMD v1 IMAGE: read as 7.3's driver sets it up"
run pgtctl check amd-612.img --kernel 7.3
expect_status 0 "check --kernel 7.3: the same descriptors are sound for 7.3"

# --- a spec's kernel, recorded and shown, overridden by --kernel
cat >s1.yaml <<'Y'
format: arm-64-lpae-s1
kernel: 7.3
mappings:
  - { iova: 0x40000000, paddr: 0x80000000, size: 2M, prot: rw }
Y
run pgtctl build s1.yaml -o s1.img
expect_out_has "kernel     Linux 7.3" "build shows the spec's kernel"
run pgtctl info --json s1.img
expect_py 'j["kernel"] == "7.3"' "info: the IMAGE records it"
if strings s1.img | grep -qx "kernel=7.3"; then ok "the note says kernel=7.3"; else
	not_ok "the note says kernel=7.3" "$(strings s1.img | grep kernel)"; fi
run pgtctl build s1.yaml --kernel 6.12 -o s1-612.img
expect_out_has "kernel     Linux 6.12" "--kernel overrides the spec's"
run pgtctl dump s1.img --output yaml
expect_out_has "kernel: 7.3" "dump --output yaml keeps the kernel"
pgtctl dump s1.img --output yaml -o again.yaml >/dev/null
pgtctl build again.yaml -o again.img >/dev/null
if cmp -s s1.img again.img; then ok "and rebuilds the same image"; else not_ok "and rebuilds the same image"; fi
printf 'format: arm-64-lpae-s1\nkernel: 5.4\n' >bad.yaml
diag "unknown kernel" pgtctl build bad.yaml

# --- partial unmaps: 6.12 splits with --split, 7.3 refuses either way
cp s1-612.img split.img
run pgtctl unmap split.img 0x40001000 4K --split
expect_status 0 "6.12: --split splits the block"
cp s1.img nosplit.img
run pgtctl unmap nosplit.img 0x40001000 4K --split
expect_status 1 "7.3: a partial unmap is refused, --split or not"
expect_err_has "as Linux 7.3 refuses it" "saying whose rule it is"
expect_unchanged nosplit.img "$(sum s1.img)" "the refused unmap leaves the IMAGE alone"
cp s1-612.img edit.img
run pgtctl unmap edit.img 0x40001000 4K --split --kernel 7.3
expect_status 1 "--kernel 7.3 on a 6.12 IMAGE edits it as 7.3 does"
run pgtctl map edit.img 0x50000000 0x90000000 4K --kernel 7.3
expect_status 0 "a map as 7.3's"
run pgtctl info --json edit.img
expect_py 'j["kernel"] == "7.3"' "and the IMAGE is 7.3's from then on"

# --- stage-2 concatenation: 6.12 concatenates a small level-0 root, 7.3
# only where the architecture requires it
cat >s2.yaml <<'Y'
format: arm-64-lpae-s2
config: { ias: 40, oas: 48 }
mappings:
  - { iova: 0x40000000, paddr: 0x880000000, size: 2M, prot: rwc }
Y
pgtctl build s2.yaml -o s2-612.img >/dev/null
run pgtctl build s2.yaml --kernel 7.3 -o s2-73.img --json
expect_py 'j["registers"]["vtcr"]["sl"] == 2' "7.3: ias 40 with oas 48 walks from level 0 (SL0 2)"
run pgtctl info --json s2-612.img
expect_py 'j["registers"]["vtcr"]["sl"] == 1 and j["geometry"]["levels"][0]["level"] == 1' \
	"6.12: the same spec concatenates into level 1 (SL0 1)"
run pgtctl diff --descriptors s2-612.img s2-73.img
expect_status 1 "diff --descriptors: the kernels' tables differ"
expect_out_has "kernel 6.12 -> 7.3" "names the kernel"
expect_out_has "start_level 1 -> 0" "the concatenation"
expect_out_has "reg.vtcr.sl 1 -> 2" "and the register it changes"
expect_out_has "the layouts differ: descriptors are not compared" "without comparing descriptors"
diag "lays out this" pgtctl translate --kernel 7.3 s2-612.img 0x40000000
cat >s2-16k.yaml <<'Y'
format: arm-64-lpae-s2
config: { ias: 47, oas: 40, pgsize: [16K, 32M] }
Y
run pgtctl build s2-16k.yaml -o s2-16k.img
expect_status 0 "6.12 builds 16K, ias 47, oas 40 from level 1"
diag "but concatenates at most 16" pgtctl build --kernel 7.3 s2-16k.yaml
cat >s2-40.yaml <<'Y'
format: arm-64-lpae-s2
config: { ias: 40, oas: 40, pgsize: [16K, 32M] }
Y
run pgtctl build --kernel 7.3 --json s2-40.yaml
expect_py 'j["registers"]["vtcr"]["sl"] == 1' "7.3: 16K with oas 40 concatenates into level 2 (SL0 1)"
run pgtctl build --json s2-40.yaml
expect_py 'j["registers"]["vtcr"]["sl"] == 2' "where 6.12 walks from level 1 (SL0 2)"

# --- S2FWB: 7.3 writes MemAttr 0b0110 for a cacheable stage-2 leaf
cat >fwb.yaml <<'Y'
format: arm-64-lpae-s2
kernel: 7.3
config: { ias: 40, oas: 40, quirks: [arm-s2fwb] }
mappings:
  - { iova: 0x40000000, paddr: 0x880000000, size: 4K, prot: rwc }
  - { iova: 0x40001000, paddr: 0x880001000, size: 4K, prot: rw }
Y
pgtctl build fwb.yaml -o fwb.img >/dev/null
run pgtctl translate -v fwb.img 0x40000000
expect_out_has "memattr=6(force-write-back)" "S2FWB: a cacheable leaf is forced write-back"
run pgtctl translate --json fwb.img 0x40000000 0x40001000
expect_py '"cache" in j[0]["prot"] and "cache" not in j[1]["prot"]' "and reads back as cache"
diag "does not accept quirks" pgtctl build --kernel 6.12 fwb.yaml

# --- DART: 7.3's third level, one TTBR with 16K pages, n_levels; DART2
# leaves without NO_CACHE when cacheable
cat >dart.yaml <<'Y'
format: apple-dart2
config: { ias: 38, oas: 42 }
mappings:
  - { iova: 0x3000000000, paddr: 0x810000000, size: 32K, prot: rwc }
Y
run pgtctl build dart.yaml --json -o dart-612.img
expect_py 'j["registers"]["n_ttbrs"] == 4' "6.12: ias 38 with 16K pages takes four TTBRs"
run pgtctl build dart.yaml --kernel 7.3 --json -o dart-73.img
expect_py 'j["registers"]["n_ttbrs"] == 1 and j["registers"]["n_levels"] == 4' \
	"7.3: one TTBR and three levels (n_levels 4 with the TTBR's)"
run pgtctl translate --json dart-73.img 0x3000004000
expect_py 'j[0]["pa"] == "0x810004000" and "cache" in j[0]["prot"]' "and it translates"
run pgtctl diff --descriptors dart-612.img dart-73.img
expect_out_has "levels 2 -> 3" "diff names the levels"
expect_out_has "roots 4 -> 1" "and the TTBRs"
printf 'format: apple-dart\nconfig: { ias: 42, oas: 42, pgsize: [4K] }\n' >dart-4l.yaml
diag "needs N levels" pgtctl build --kernel 7.3 dart-4l.yaml
cat >dart-small.yaml <<'Y'
format: apple-dart2
config: { ias: 32, oas: 42 }
mappings:
  - { iova: 0x10000, paddr: 0x810000000, size: 16K, prot: rwc }
  - { iova: 0x14000, paddr: 0x810004000, size: 16K, prot: rw }
Y
pgtctl build dart-small.yaml -o ds-612.img >/dev/null
pgtctl build dart-small.yaml --kernel 7.3 -o ds-73.img >/dev/null
run pgtctl diff --descriptors ds-612.img ds-73.img
expect_out_has "L2 iova 0x10000: leaf -> leaf: no_cache 0x1 -> 0x0" \
	"diff --descriptors: 7.3 leaves NO_CACHE off a cacheable DART2 leaf"
expect_out_has "1 descriptors differ" "and only there"

# --- a kernel that does not build the format: 6.12 builds no RISC-V IOMMU
# table (only 7.3's generic_pt does)
diag "does not build" pgtctl build --kernel 6.12 "$SAMPLES/riscv-sv48.yaml"

# --- sessions: kernel shows and sets the loaded table's kernel
run pgtctl repl s1-612.img -c 'kernel; kernel 7.3; unmap 0x40001000 4K --split; undo; kernel'
expect_out_has "Linux 6.12" "kernel shows the loaded table's"
expect_err_has "as Linux 7.3 refuses it" "kernel 7.3: edits follow 7.3"
if [ "$(grep -c 'Linux 6.12' out)" = 2 ]; then ok "undo takes the kernel change back"; else
	not_ok "undo takes the kernel change back" "$(tr '\n' '|' <out)"; fi
pgtctl emit s1-612.img -o s1-612.raw --raw >/dev/null
run pgtctl repl --json --raw s1-612.raw --base 0 --format arm-64-lpae-s1 --root 0 \
	-c 'kernel 7.3; translate 0x40001000; undo; kernel'
expect_status 0 "read-only memory: a kernel change undone leaves nothing unsaved"
expect_py 'j[0]["kernel"] == "7.3" and j[1][0]["pa"] == "0x80001000" and j[3]["kernel"] == "6.12"' \
	"read-only memory: kernel 7.3 reads it, undo takes the change back"
diag "COMMAND takes" pgtctl repl s1.img -c 'kernel 6.12 7.3'
diag "unknown kernel" pgtctl repl s1.img -c 'kernel 2.6'
diag "loaded table is Linux" pgtctl repl s1.img -c 'translate --kernel 6.12 0x40000000'
done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# Undo in a session is exact: edits that allocate, free and reuse tables,
# split blocks and fail part way are undone to the byte (the saved IMAGE
# is the one loaded) and to the next allocation (an edit redone after its
# undo lays its tables out as the first time); 32 edits can be undone,
# and many edits on a large table keep working.
. "$(dirname "$0")/lib.sh"

cat >spec.yaml <<'EOF'
format: arm-64-lpae-s1
config: { ias: 48, oas: 48, pgsize: [4K, 2M, 1G] }
memory: { base: 0x80000000 }
mappings:
  - { iova: 0x200000, paddr: 0x10000000, size: 2M, pgsize: 4K, prot: rw }
  - { iova: 0x600000, paddr: 0x30000000, size: 2M, prot: rw }
  - { iova: 0x40000000, paddr: 0x40000000, size: 64M, pgsize: 4K, prot: r }
EOF
pgtctl build spec.yaml -o a.img >/dev/null
cp a.img orig.img

# the freed table's block is reused by the map; undone and redone, the
# tree (with its table addresses) is the same
cat >script <<'S'
load a.img
unmap 0x200000 2M
map 0x80000000 0x80000000 8K
dump --tree
undo
dump --tree
map 0x80000000 0x80000000 8K
dump --tree
unmap 0x601000 4K --split
map 0x7ff000 0x1000 8K
undo
undo
undo
save b.img
S
run pgtctl batch script
expect_status 1 "the script ran, with the failing map (exit 1)"
expect_err_has "already mapped" "the map into a mapping failed"
awk '/^root 0/{n++} /^(root| )/{print > ("tree" n)}' out
if cmp -s tree1 tree3; then ok "an edit redone after its undo lays out its tables as the first time"; else
	not_ok "redo after undo" "$(diff tree1 tree3 | head -10 | tr '\n' '|')"; fi
if grep -q "0x0000000080000000 -> 0x0000000080000000" tree1 && ! grep -q "0x0000000080000000 ->" tree2; then
	ok "undo took the map back"; else not_ok "undo of the map" "$(grep -c . tree2) lines"; fi
if cmp -s b.img orig.img; then ok "every edit undone: the saved IMAGE is byte for byte the one loaded"; else
	not_ok "undo all" "$(cmp b.img orig.img)"; fi
expect_unchanged a.img "$(sum orig.img)" "the loaded IMAGE is untouched"

# 40 edits: the last 32 can be undone, then there is nothing left
: >many
i=0
while [ $i -lt 40 ]; do
	printf 'map 0x%x 0x%x 4K\n' $((0x90000000 + i * 4096)) $((0x90000000 + i * 4096)) >>many
	i=$((i + 1))
done
{ echo "load a.img"; cat many; i=0; while [ $i -lt 33 ]; do echo undo; i=$((i + 1)); done
  echo "translate 0x90007000 0x90008000"; } >script
run pgtctl batch script
expect_err_has "nothing to undo" "the 33rd undo finds nothing"
expect_out_has "undone (0 more to undo)" "32 edits were undone"
expect_out_has "0x90007000 -> 0x90007000" "the 8th edit, beyond the 32, stays"
expect_out_has "0x90008000 -> not mapped" "the 9th was undone"

# 200 one-page maps on a table of 16K leaves, saved: every page is there
{ echo "load a.img"; i=0; while [ $i -lt 200 ]; do
	printf 'map 0x%x 0x%x 4K\n' $((0x100000000 + i * 8192)) $((0x100000000 + i * 4096))
	i=$((i + 1)); done; echo "save c.img"; } >script
run pgtctl batch script
expect_status 0 "200 maps and a save"
i=0
: >iovas
while [ $i -lt 200 ]; do printf '0x%x\n' $((0x100000000 + i * 8192)) >>iovas; i=$((i + 1)); done
run sh -c "\"$PGTCTL\" translate c.img - <iovas"
expect_status 0 "all 200 pages are mapped in the saved IMAGE"
if [ "$(grep -c ' -> 0x1000' out)" = 200 ]; then ok "each to its own page"; else not_ok "200 pages" "$(head -3 out)"; fi
done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# Every read command reports the problems its walk met and fails, as check
# does, with one JSON shape ("problems" list and "problem_count"); free
# never lists what a malformed table hides as free. And what is wrong is
# said: a root in a page a dump left out or cannot read, a PGTCTL note
# whose sizes lie.
. "$(dirname "$0")/lib.sh"

# two pages: IOVA 0 under the L2 table at 0x80002000, IOVA 1G under the
# one at 0x80004000; the L1 descriptor of IOVA 0 then points outside memory
cat >two.yaml <<'Y'
format: arm-64-lpae-s1
memory: { base: 0x80000000 }
mappings:
  - { iova: 0x0, paddr: 0x100000, size: 4K }
  - { iova: 0x40000000, paddr: 0x200000, size: 4K }
Y
pgtctl build two.yaml -o good.img >/dev/null
cp good.img bad.img
elftool poke bad.img 0x80001000 0x00000000800ff003
WHY="level 2 table at 0x800ff000 is outside memory"

for cmd in "info" "free" "whereis 0x200000" "dump" "dump --leaves" "check"; do
	set -- $cmd
	name=$1
	shift
	run pgtctl "$name" bad.img "$@"
	expect_status 1 "$cmd of a table with a problem fails"
	if [ "$name" = check ]; then expect_out_has "$WHY" "check lists it"; else
		expect_err_has "pgtctl: warning: level 1 descriptor 0x00000000800ff003 at 0x80001000 (iova 0x0): $WHY" \
			"$cmd warns what it is"; fi
	run pgtctl "$name" bad.img "$@" --json
	expect_py 'j["problem_count"] == 1 and j["problems"] == [{"kind": "outside-memory", "level": 1, "iova": "0x0", "desc_pa": "0x80001000", "desc": "0x800ff003", "why": "'"$WHY"'"}]' \
		"$cmd --json: the problems list and problem_count"
	run pgtctl "$name" good.img "$@" --json
	expect_py 'j["problem_count"] == 0 and j["problems"] == []' "$cmd --json of a sound table: none"
done
run pgtctl diff bad.img good.img --json
expect_py 'j["problem_count"] == 1 and j["problems"][0]["side"] == "a" and j["problems"][0]["why"] == "'"$WHY"'"' \
	"diff: the same shape, with the side"
run pgtctl diff good.img bad.img
expect_err_has "warning: B: level 1" "diff warns which side"

# free: what the broken descriptor covers (IOVA 0..1G) is not free
run pgtctl free good.img --json
expect_py 'j["free"][0] == {"iova": "0x1000", "size": "0x3ffff000"}' "free of the sound table: from 0x1000"
run pgtctl free bad.img --json
expect_py 'j["free"][0]["iova"] == "0x40001000" and all(int(f["iova"], 16) >= 0x40000000 for f in j["free"])' \
	"free never lists what the malformed descriptor hides"
run pgtctl free bad.img --range 0x0-0x3fffffff
expect_status 1 "a range all hidden: nothing free, and a failure"
expect_out "no free range" "says none"
# a root that cannot be read hides everything under it
pgtctl emit good.img -o good.raw --raw >/dev/null
"$MKKDUMP" -b 0x80000000 -c zlib good.raw good.kdump
cp good.kdump l1.kdump
kdumptool data l1.kdump 0x80001 ffffffff
run pgtctl free --dump l1.kdump --format arm-64-lpae-s1 --root 0x80000000 --range 0x0-0xffffffffff
expect_status 1 "free over a table it cannot read fails"
expect_out_has "0x0000008000000000" "the next L0 entry is free"
if grep -q "^0x0000000000" out; then not_ok "what the unreadable table covers is not free" "$(cat out)"; else
	ok "what the unreadable table covers is not free"; fi
run pgtctl whereis --dump l1.kdump --format arm-64-lpae-s1 --root 0x80000000 0x100000 --json
expect_py 'j["mappings"] == [] and j["problems"][0]["kind"] == "unreadable"' "whereis: unreadable, not unmapped"

# a root in a page the dump left out, or cannot read
SRC="--format arm-64-lpae-s1 --root 0x80000000"
"$MKKDUMP" -b 0x80000000 -c lzo -x 0x80000 good.raw noroot.kdump
diag "root table ADDR..ADDR is in a page the dump excluded" pgtctl translate --dump noroot.kdump $SRC 0x0
expect_err_has "root table 0x80000000..0x80000fff is in a page the dump excluded" "names the root and the page"
cp good.kdump badroot.kdump
kdumptool data badroot.kdump 0x80000 ffffffff
diag "is in a page of the dump that cannot be read (WHY)" pgtctl info --dump badroot.kdump $SRC
expect_err_has "root table 0x80000000..0x80000fff is in a page of the dump that cannot be read (pfn 0x80000: zlib data does not inflate" \
	"says why"

# a PGTCTL note whose sizes lie
cp good.img note.img
elftool nhdr note.img descsz 0x10000
diag "corrupt PGTCTL note" pgtctl info note.img
expect_err_has "note.img: corrupt PGTCTL note: its sizes (name 7, data 65536 bytes) run past the 0x" \
	"a data size past its segment"
cp good.img note.img
elftool nhdr note.img namesz 0x100000
diag "corrupt PGTCTL note" pgtctl translate note.img 0x0
expect_err_has "corrupt PGTCTL note: its sizes (name 1048576" "a name size past its segment"
cp good.img note.img
elftool phdr note.img 0 filesz 0x100000
diag "PT_NOTE segment" pgtctl dump note.img
expect_err_has "note.img: PT_NOTE segment 0 (offset 0x" "a note segment past the end of the file"
done_testing

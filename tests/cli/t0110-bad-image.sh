#!/bin/sh
# SPDX-License-Identifier: MIT
# Corrupt and hostile images: truncated files, bad notes and segments,
# descriptors pointing outside memory, loops, malformed entries. Each is a
# clear error or a reported problem; nothing crashes, hangs or is followed.
. "$(dirname "$0")/lib.sh"
elftool() { python3 "$PGTCTL_TOP/tests/tools/elftool.py" "$@"; }

cat >s.yaml <<'Y'
format: arm-64-lpae-s1
memory: { base: 0x80000000 }
mappings:
  - { iova: 0x40000000, paddr: 0x1000000, size: 8K, prot: rw }
  - { iova: 0x80000000, paddr: 0x2000000, size: 2M, prot: rw }
Y
pgtctl build s.yaml -o good.img >/dev/null
# tables: root 0x80000000, L1 0x80001000, L2 0x80002000, L3 0x80003000

head -c 300 good.img >trunc.img
run pgtctl translate trunc.img 0x40000000
expect_status 2 "a truncated image is unreadable input"
expect_err_has "trunc.img: PT_LOAD segment" "names the segment that lies outside the file"

head -c 40 good.img >tiny.img
run pgtctl dump tiny.img
expect_status 2 "a 40-byte file"
expect_err_has "tiny.img" "names the file"

cp good.img badnote.img
python3 -c "
p='badnote.img'; b=open(p,'rb').read(); open(p,'wb').write(b.replace(b'format=arm-64-lpae-s1', b'format=arm-99-lpae-s1'))"
run pgtctl info badnote.img
expect_status 2 "a note naming an unknown format"
expect_err_has "corrupt PGTCTL note: unknown format 'arm-99-lpae-s1'" "says what is corrupt"

cp good.img noroot.img
python3 -c "
p='noroot.img'; b=open(p,'rb').read(); open(p,'wb').write(b.replace(b'roots=0x80000000', b'rootz=0x80000000'))"
run pgtctl info noroot.img
expect_status 2 "a note without roots"
expect_err_has "a required key" "says a key is missing"

cp good.img overlap.img
elftool phdr overlap.img 1 filesz 0x100000000
run pgtctl dump overlap.img
expect_status 2 "a segment larger than the file"
expect_err_has "lies outside the file" "is refused"

# 1G of zero tail in a small file: read, but not copied whole to edit
cp good.img tail.img
elftool phdr tail.img 1 memsz 0x40000000
run pgtctl translate tail.img 0x40000000
expect_status 0 "an image with a long zero-filled tail reads"
run pgtctl map tail.img 0x1000 0x1000 4K
expect_status 2 "it is not edited"
expect_err_has "hold more memory than the file has bytes" "saying why, at once"

printf 'abc' >mem.bin
elftool core nonote.img 0x1000:mem.bin
run pgtctl translate nonote.img 0x0
expect_status 2 "an ELF core without a PGTCTL note"
expect_err_has "read it as a dump: --dump nonote.img --format NAME --root PA" "says how to read it"

elftool core twice.img 0x1000:mem.bin 0x1002:mem.bin
run pgtctl translate --dump twice.img --format arm-64-lpae-s1 --root 0x1000 0x0
expect_status 2 "overlapping segments"
expect_err_has "overlap" "are refused, naming them"

head -c 3000 /dev/urandom >noise.img
run pgtctl dump noise.img
expect_status 2 "random bytes are unreadable input"

# a table pointer outside memory: reported, never followed
cp good.img outside.img
elftool poke outside.img 0x80000000 0x0000007000000003
run pgtctl translate -v outside.img 0x40000000
expect_status 1 "translate through a pointer outside memory: not mapped"
expect_out_has "level 1 descriptor address 0x7000000008 is outside memory" "says where the walk stopped"
run pgtctl dump outside.img
expect_status 1 "dump reports the problem"
expect_err_has "level 1 table at 0x7000000000 is outside memory" "as a warning naming the table"
run pgtctl map outside.img 0x100000 0x100000 4K
expect_status 2 "an image with a bad pointer is not edited"
expect_err_has "cannot edit a malformed table" "says why"

# a loop: the L2 entry points back at the L1 table
cp good.img loop.img
elftool poke loop.img 0x80002008 0x0000000080001003
run pgtctl translate loop.img 0x40200000
expect_status 1 "translate does not go round a loop"
expect_out_has "points back to the level 1 table at 0x80001000" "and says so"
run pgtctl dump loop.img
expect_status 1 "dump survives the loop"
expect_err_has "points back up the walk to the table at 0x80001000" "and names it"

# a table reached from two places
cp good.img shared.img
elftool poke shared.img 0x80001010 0x0000000080002003
run pgtctl dump shared.img
expect_status 1 "a shared table is walked once"
expect_err_has "already reached from another descriptor" "and reported"

# a reserved descriptor type
cp good.img reserved.img
elftool poke reserved.img 0x80003000 0x0000000001000e42
run pgtctl translate reserved.img 0x40000000 0x40001000
expect_status 1 "a malformed leaf does not translate"
expect_out_has "reserved descriptor type 0b10" "says what is wrong with it"
expect_out_has "0x40001000 -> 0x1001000" "the next page still translates"

run pgtctl translate --dump good.img --format arm-64-lpae-s1 --root 0x90000000 0x0
expect_status 2 "a root outside memory"
expect_err_has "root table 0x90000000..0x90000fff is not inside the memory" "is refused"
done_testing

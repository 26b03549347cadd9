#!/bin/sh
# SPDX-License-Identifier: MIT
# Corrupt and hostile images: truncated files, bad notes and segments,
# descriptors pointing outside memory, loops, malformed entries. Each is a
# message of pgtctl(1)'s DIAGNOSTICS or a reported problem; nothing crashes,
# hangs or is followed.
. "$(dirname "$0")/lib.sh"

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
diag "lies outside the file or wraps" pgtctl translate trunc.img 0x40000000
expect_err_has "trunc.img: PT_LOAD segment" "names the file and the segment"

head -c 40 good.img >tiny.img
diag "FILE: not an ELF file" pgtctl dump tiny.img
expect_err_has "tiny.img" "names the file"

# bad notes
note() { # note NAME OLD NEW: good.img with OLD in its note replaced
	cp good.img "$1.img"
	elftool subst "$1.img" "$2" "$3"
}
note badnote format=arm-64-lpae-s1 format=arm-99-lpae-s1
diag "corrupt PGTCTL note" pgtctl info badnote.img
expect_err_has "corrupt PGTCTL note: unknown format 'arm-99-lpae-s1'" "says what is corrupt"
note noroot roots=0x80000000 rootz=0x80000000
diag "corrupt PGTCTL note" pgtctl info noroot.img
expect_err_has "a required key" "says a key is missing"
note noeq format=arm-64-lpae-s1 format_arm-64-lpae-s1
diag "corrupt PGTCTL note" pgtctl info noeq.img
expect_err_has "a line without '='" "a line that is not KEY=VALUE"
note oddpage cpu_page_size=0x1000 cpu_page_size=0x1001
diag "corrupt PGTCTL note" pgtctl info oddpage.img
expect_err_has "bad cpu_page_size '0x1001'" "a page size that is not a power of two"
note newer pgtctl_image=1 pgtctl_image=9
diag "is newer than this libpgt" pgtctl info newer.img

cp good.img overlap.img
elftool phdr overlap.img 1 filesz 0x100000000
diag "lies outside the file or wraps" pgtctl dump overlap.img

# a second segment 16G above the first: readable, but further than an
# editable table memory may span
cp good.img wide.img
printf 'far' >far.bin
elftool addload wide.img 0x480000000 far.bin
run pgtctl translate wide.img 0x40000000
expect_status 0 "an image with segments 16G apart reads"
diag "table memory may span" pgtctl map wide.img 0x0 0x0 4K
expect_err_has "wide.img: cannot edit: memory 0x480000000+0x3" "names the image and the memory"

# 1G of zero tail in a small file: read, but not copied whole to edit
cp good.img tail.img
elftool phdr tail.img 1 memsz 0x40000000
run pgtctl translate tail.img 0x40000000
expect_status 0 "an image with a long zero-filled tail reads"
diag "more memory than the file has bytes" pgtctl map tail.img 0x1000 0x1000 4K

printf 'abc' >mem.bin
elftool core nonote.img 0x1000:mem.bin
diag "without a PGTCTL note" pgtctl translate nonote.img 0x0
expect_err_has "read it as a dump: --dump FILE --format NAME --root PA" "says how to read it"

elftool core twice.img 0x1000:mem.bin 0x1002:mem.bin
diag "segments at paddr" pgtctl translate --dump twice.img --format arm-64-lpae-s1 --root 0x1000 0x0

head -c 3000 /dev/urandom >noise.img
run pgtctl dump noise.img
expect_status 2 "random bytes are unreadable input"

# a table pointer outside memory: reported, never followed
cp good.img outside.img
elftool poke outside.img 0x80000000 0x0000007000000003
diag "descriptor address ADDR is outside memory" pgtctl translate -v outside.img 0x40000000
expect_out_has "level 1 descriptor address 0x7000000008 is outside memory" "says where the walk stopped"
diag "table at ADDR is outside memory" pgtctl dump outside.img
expect_err_has "warning: level 0 descriptor 0x0000007000000003 at 0x80000000 (iova 0x0)" "a warning naming the descriptor"
before=$(sum outside.img)
diag "the table is malformed" pgtctl map outside.img 0x100000 0x100000 4K
expect_err_has "outside.img: cannot edit: the table is malformed: level 0 descriptor" "an image with a bad pointer is not edited"
expect_unchanged outside.img "$before" "and is left as it was"

# a loop: the L2 entry points back at the L1 table
cp good.img loop.img
elftool poke loop.img 0x80002008 0x0000000080001003
diag "points back to the level" pgtctl translate loop.img 0x40200000
diag "points back up the walk" pgtctl dump loop.img
expect_err_has "points back up the walk to the table at 0x80001000" "and names it"
diag "the table is malformed" pgtctl emit loop.img -o copy.img --elf
expect_no_file copy.img "a malformed table is not copied"
diag "the table is malformed" pgtctl dump loop.img --output yaml
expect_err_has "cannot write a spec: the table is malformed" "nor written as a spec"

# a table reached from two places
cp good.img shared.img
elftool poke shared.img 0x80001010 0x0000000080002003
diag "already reached from another" pgtctl dump shared.img

# a reserved descriptor type
cp good.img reserved.img
elftool poke reserved.img 0x80003000 0x0000000001000e42
diag "reserved descriptor type 0b10" pgtctl translate reserved.img 0x40000000 0x40001000
expect_out_has "0x40001000 -> 0x1001000" "the next page still translates"
done_testing

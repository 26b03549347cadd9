#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl(1) DIAGNOSTICS of memory files: every way an ELF core, a compressed
# kdump or a flattened one can be refused at open, each from a good file
# damaged in one place, and a flat memory file that does not fit.
. "$(dirname "$0")/lib.sh"

sed 's/base: 0x80000000/base: 0x48000000/' "$SAMPLES/smmuv3-s1-4k.yaml" >s1.yaml
pgtctl build s1.yaml -o table.img >/dev/null
pgtctl emit table.img -o table.raw --raw >/dev/null
SRC="--format arm-64-lpae-s1 --root 0x48000000"
"$MKKDUMP" -b 0x48000000 -c zlib table.raw good.kdump
"$MKKDUMP" -b 0x48000000 -c zlib -F table.raw good.flat
run pgtctl translate --dump good.kdump $SRC 0x10000000
expect_status 0 "the undamaged kdump reads"
run pgtctl translate --dump good.flat $SRC 0x10000000
expect_status 0 "the undamaged flattened kdump reads"

# --- flat memory
diag "plus its size wraps" pgtctl translate --raw table.raw --base 0xfffffffffffff000 $SRC 0x0

# --- ELF cores
printf '\177ELF' >magic.elf
diag "FILE: not an ELF file" pgtctl translate --dump magic.elf $SRC 0x0
elftool core exec.elf 0x48000000:table.raw
elftool ehdr exec.elf type 2
diag "not an ELF core file" pgtctl translate --dump exec.elf $SRC 0x0
elftool core phoff.elf 0x48000000:table.raw
elftool ehdr phoff.elf phoff 0x1000000
diag "unreadable program header" pgtctl translate --dump phoff.elf $SRC 0x0

# --- compressed kdumps: a field of the header
# diag_header KEY FIELD VALUE TEXT: good.kdump with FIELD set to VALUE is refused
diag_header() {
	cp good.kdump bad.kdump
	kdumptool set bad.kdump "$2" "$3"
	diag "$1" pgtctl translate --dump bad.kdump $SRC 0x0
	expect_err_has "bad.kdump: kdump: $4" "$2 $3: $4"
}
diag_header "disk_dump_header FIELD" header_version 0 "disk_dump_header header_version 0x0 is not a version"
diag_header "disk_dump_header FIELD" block_size 1000 "disk_dump_header block_size 1000 is not a power of two"
diag_header "disk_dump_header FIELD" sub_hdr_size 0 "disk_dump_header sub_hdr_size is 0"
diag_header "disk_dump_header FIELD" bitmap_blocks 0 "disk_dump_header bitmap_blocks is 0"
diag_header "the PART end" sub_hdr_size 1000 "the sub-header (sub_hdr_size 1000 blocks of 4096 bytes) ends past the end"
diag_header "the PART end" bitmap_blocks 1000 "the dumped-pfn bitmap"
diag_header "max_mapnr" max_mapnr 0x10000000 "max_mapnr 0x10000000 needs 0x2000000 bitmap bytes"
cp good.kdump bad.kdump
kdumptool set bad.kdump max_mapnr 0xffffffff
kdumptool set bad.kdump max_mapnr_64 5
diag "max_mapnr" pgtctl translate --dump bad.kdump $SRC 0x0
expect_err_has "max_mapnr_64 0x5 disagrees with disk_dump_header max_mapnr 0xffffffff" "a 64-bit max_mapnr that disagrees"
cp good.kdump bad.kdump
kdumptool set bad.kdump split 1
kdumptool set bad.kdump start_pfn_64 9
kdumptool set bad.kdump end_pfn_64 5
diag "max_mapnr" pgtctl translate --dump bad.kdump $SRC 0x0
expect_err_has "split dump pfns 0x9 to 0x5 are not within max_mapnr" "a split dump's range"

# cut short
head -c "$(($(kdumptool descs good.kdump) + 100))" good.kdump >cut.kdump
diag "the PART end" pgtctl translate --dump cut.kdump $SRC 0x0
expect_err_has "the page descriptors (6 dumped pages" "the page descriptors"
head -c 460 good.kdump >cut.kdump
diag "too short for a" pgtctl translate --dump cut.kdump $SRC 0x0
expect_err_has "the file is 460 bytes, too short for a 464-byte disk_dump_header" "names the sizes"

# --- flattened kdumps: what the records rebuild, and the records
cp good.flat bad.flat
elftool subst bad.flat 'KDUMP   ' 'KDUMQ   '
diag "not a compressed kdump" pgtctl translate --dump bad.flat $SRC 0x0
cp good.flat bad.flat
elftool subst bad.flat 'KDUMP   ' "$(printf '\177ELF    ')"
diag "a flattened ELF dump" pgtctl translate --dump bad.flat $SRC 0x0
cp good.flat bad.flat
elftool subst bad.flat 'KDUMP   ' 'DISKDUMP'
diag "an old diskdump" pgtctl translate --dump bad.flat $SRC 0x0
head -c 5000 good.flat >cut.flat
diag "flattened kdump:" pgtctl translate --dump cut.flat $SRC 0x0
expect_err_has "cut.flat: flattened kdump: record at file offset 0x1258 holds 0x1000 bytes, past the end of the file" "a record cut short"
# records far apart: a small file claiming a bitmap of half a gigabyte
diag "is longer than the whole flattened file" pgtctl translate \
	--dump "$PGTCTL_TOP/tests/fuzz/regressions/kdump/flat-sparse-huge-bitmap" $SRC 0x0
head -c 4100 good.flat >cut.flat
diag "flattened kdump:" pgtctl translate --dump cut.flat $SRC 0x0
expect_err_has "no end record: the records stop at file offset 0x1000" "no end record"
printf 'makedumpfile\0' >cut.flat
diag "flattened kdump:" pgtctl translate --dump cut.flat $SRC 0x0
expect_err_has "the file is 13 bytes, shorter than the 4096-byte header" "shorter than its header"
cp good.flat bad.flat
printf 'makedumpfile\001' | dd of=bad.flat conv=notrunc status=none
diag "flattened kdump:" pgtctl translate --dump bad.flat $SRC 0x0
expect_err_has "no \"makedumpfile\" signature" "a header without its signature"
done_testing

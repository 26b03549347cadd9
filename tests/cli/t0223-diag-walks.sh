#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl(1) DIAGNOSTICS of walks and writes: every reason a descriptor of
# each format is malformed, planted in a good table, as check and translate
# report it; why a translation stops; and files that cannot be written.
# (Pointers outside memory, loops and malformed IMAGEs are in t0110,
# excluded and damaged pages of dumps in t0165.)
. "$(dirname "$0")/lib.sh"

# tables of one mapping at iova 0 in each format, at 0x80000000
build() { # build NAME FORMAT [CONFIG]: NAME.img
	printf 'format: %s\nconfig: { %s }\nmemory: { base: 0x80000000 }\nmappings:\n  - { iova: 0x0, paddr: 0x100000, size: %s }\n' \
		"$2" "$3" "$4" >"$1.yaml"
	pgtctl build "$1.yaml" -o "$1.img" >/dev/null
}
build lpae arm-64-lpae-s1 "" 4K      # L0 0x80000000, L1 +0x1000, L2 +0x2000, L3 +0x3000
build g16k arm-64-lpae-s1 "pgsize: [16K]" 16K
build mali arm-mali-lpae "" 4K       # L3 at 0x80003000
build v7s arm-v7s "" 1M              # a section at 0x80000000
build dart apple-dart "" 16K         # the leaf table at 0x80004000
build amd amd-iommu-v1 "" 4K         # L2 0x80000000, L1 +0x1000, L0 +0x2000

# diag_desc KEY IMG ADDR VALUE [poke32]: IMG with the descriptor at ADDR
# set to VALUE is reported by check as KEY says
diag_desc() {
	cp "$2.img" bad.img
	elftool "${5:-poke}" bad.img "$3" "$4"
	diag "$1" pgtctl check bad.img
	expect_out_has "malformed " "$2 $4: of kind malformed"
}
diag_desc "invalid (type 0b00)" lpae 0x80003000 0x0000000000100e40
diag_desc "type 0b01 is reserved" lpae 0x80003000 0x0000000000100e41
diag_desc "not a Mali page" mali 0x80003000 0x00000000001002c3
diag_desc "not aligned to the granule" g16k 0x80000000 0x0000000080005003
diag_desc "block of a size this granule" lpae 0x80000000 0x0000000000000e41
diag_desc "not aligned to the block size" lpae 0x80002000 0x0000000000101e41
diag_desc "bits 1:0 are 0" v7s 0x80000000 0x10 poke32
diag_desc "bit 0 clear" dart 0x80004000 0x10
diag_desc "not aligned to the page size" dart 0x80004000 0x000fff0000101003
diag_desc "subpage protection" dart 0x80004000 0x00ffff0000100003
diag_desc "not present but not zero" amd 0x80002000 0x0000000000100000
diag_desc "next level 7" amd 0x80002000 0x70000000000ffe01
diag_desc "level skipping" amd 0x80000000 0x6000000080001201
diag_desc "a level-0 entry" amd 0x80002000 0x6000000000100601
# what the configuration given with memory files rules out
cp lpae.img bad.img
elftool poke bad.img 0x80003000 0x0000010000100e43
diag "output address is beyond oas" pgtctl check --dump bad.img --format arm-64-lpae-s1 --root 0x80000000 --oas 40
diag "a page size not in pgsize_bitmap" pgtctl check --dump v7s.img --format arm-v7s --root 0x80000000 --pgsize-bitmap 4K
# translate names the reason too
cp lpae.img bad.img
elftool poke bad.img 0x80003000 0x0000000000100e40
diag "invalid (type 0b00)" pgtctl translate bad.img 0x0
expect_out_has "0x0 -> not mapped (level 3 descriptor at 0x80003000: invalid (type 0b00) but not zero)" \
	"translate: the descriptor and the reason"

# why a translation stops
diag "level N descriptor at ADDR is empty" pgtctl translate lpae.img 0x40000000
expect_out_has "0x40000000 -> not mapped (level 1 descriptor at 0x80001008 is empty)" "names the empty descriptor"
diag "iova is outside the" pgtctl translate lpae.img 0x1000000000000
printf 'format: arm-64-lpae-s1\nconfig: { quirks: [arm-ttbr1] }\n' >ttbr1.yaml
diag "iova is outside the" pgtctl translate ttbr1.yaml 0x0
expect_out_has "of the upper (TTBR1) half" "the TTBR1 half says so"

# files that cannot be written: an error, and the target as it was
diag "cannot create a temporary file" pgtctl build lpae.yaml -o no-such-dir/x.img
expect_err_has "no-such-dir/x.img: cannot create a temporary file in no-such-dir: No such file or directory" \
	"names the file, the directory and the reason"
mkdir dir.img
diag "cannot replace" pgtctl build lpae.yaml -o dir.img
expect_err_has "dir.img: cannot replace: Is a directory" "names the file and the reason"
cp lpae.img keep.img
before=$(sum keep.img)
# (t0200 runs every writer out of room so)
diag "writing failed" sh -c 'trap "" XFSZ; ulimit -f 4; exec "$@"' sh "$PGTCTL" map keep.img 0x40000000 0x0 4M
expect_err_has "keep.img: writing failed: File too large" "names the file and the reason"
expect_unchanged keep.img "$before" "the IMAGE is as it was"

# running out of memory: an address-space limit, or under ASan (which
# reserves terabytes of shadow) its own limit on one allocation. Table
# memory is mapped, not allocated, so under ASan what fails is a list as
# long as the table's 32K tables: the one its canonical layout is planned
# from.
printf 'format: arm-64-lpae-s1\nmappings:\n  - { iova: 0x0, paddr: 0x0, size: 64G, pgsize: 4K }\n' >oom.yaml
case $PGTCTL in
*/build/san/*)
	diag "out of memory" env ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=1 \
		"$PGTCTL" build oom.yaml -o oom.img ;;
*) diag "out of memory" sh -c 'ulimit -v 100000; exec "$@"' sh "$PGTCTL" build oom.yaml -o oom.img ;;
esac
expect_no_file oom.img "nothing is written"
done_testing

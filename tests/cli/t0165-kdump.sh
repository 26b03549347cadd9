#!/bin/sh
# SPDX-License-Identifier: MIT
# Compressed kdumps (makedumpfile's format) as --dump sources, made by our
# generator: every compression reads like the raw memory, a page the dump
# excluded or whose data is damaged is named as such by translate, dump and
# check (never read as zeros), and a damaged dump is refused with a
# message, not a crash (t0222 has every refusal).
. "$(dirname "$0")/lib.sh"

sed 's/base: 0x80000000/base: 0x48000000/' "$SAMPLES/smmuv3-s1-4k.yaml" >s1.yaml
pgtctl build s1.yaml -o table.img >/dev/null
pgtctl emit table.img -o table.raw --raw >/dev/null
SRC="--format arm-64-lpae-s1 --root 0x48000000"
IOVAS="0x8000000 0x10000000 0x10201234 0x20003000 0x40000000 0x7f0000000"
pgtctl translate table.img $IOVAS >want.translate
pgtctl dump --leaves table.img >want.leaves

for c in zlib lzo snappy zstd none; do
	"$MKKDUMP" -b 0x48000000 -c $c table.raw $c.kdump
	run pgtctl translate --dump $c.kdump $SRC $IOVAS
	if cmp -s out want.translate; then ok "$c kdump: every IOVA translates as in the image"; else
		not_ok "$c kdump translations" "$(cat err; diff want.translate out | head -5 | tr '\n' '|')"; fi
done
"$MKKDUMP" -b 0x48000000 -c zstd -F table.raw flat.kdump
run pgtctl dump --leaves --dump flat.kdump $SRC
if cmp -s out want.leaves; then ok "flattened kdump: the same leaves"; else not_ok "flattened kdump leaves"; fi
"$MKKDUMP" -b 0x48000000 -c zlib --big-endian table.raw be.kdump
run pgtctl translate --dump be.kdump $SRC $IOVAS
if cmp -s out want.translate; then ok "a big-endian kdump header still reads the little-endian table"; else
	not_ok "big-endian kdump" "$(cat err)"; fi

# the level-3 table of IOVA 0x8000000 is at 0x48003000; exclude its page
"$MKKDUMP" -b 0x48000000 -c lzo -x 0x48003 table.raw hole.kdump
diag "descriptor address ADDR is in a page the dump excluded" \
	pgtctl translate --dump hole.kdump $SRC 0x8000000 0x10000000
expect_out_has "0x8000000 -> not mapped (level 3 descriptor address 0x48003000 is in a page the dump excluded)" \
	"translate names the excluded page"
expect_out_has "0x10000000 -> 0x880000000" "other IOVAs still translate"
run pgtctl check --dump hole.kdump $SRC --json
expect_status 1 "check reports the excluded table"
expect_py 'j["problems"][0]["kind"] == "excluded" and j["problem_count"] == 1' "check: one problem, of kind excluded"
diag "table at ADDR is in a page the dump excluded" pgtctl dump --leaves --dump hole.kdump $SRC
if grep -q '^0x0000000008000000' out; then not_ok "dump shows no leaf under the excluded table"; else
	ok "dump shows no leaf under the excluded table"; fi

# a page whose data is damaged: named with what is wrong, not read
cp zlib.kdump bad.kdump
kdumptool data bad.kdump 0x48003 ffffffff
diag "descriptor address ADDR is in a page of the dump that cannot be read" \
	pgtctl translate --dump bad.kdump $SRC 0x8000000 0x10000000
expect_out_has "(pfn 0x48003: zlib data does not inflate" "says why"
expect_out_has "0x10000000 -> 0x880000000" "other IOVAs still translate"
run pgtctl check --dump bad.kdump $SRC --json
expect_py 'j["problems"][0]["kind"] == "unreadable" and j["problem_count"] == 1' "check: one problem, of kind unreadable"
for c in lzo snappy zstd; do
	cp $c.kdump bad.kdump
	kdumptool data bad.kdump 0x48003 ffffffffffffffff
	diag "table at ADDR is in a page of the dump that cannot be read" pgtctl check --dump bad.kdump $SRC
	expect_out_has "$c data" "$c: the decompressor's complaint"
done
bad_desc() { # bad_desc FIELD VALUE WHY: a page_desc with a bad field
	cp zlib.kdump bad.kdump
	kdumptool desc bad.kdump 0x48003 "$1" "$2"
	diag "table at ADDR is in a page of the dump that cannot be read" pgtctl dump --dump bad.kdump $SRC
	expect_err_has "(pfn 0x48003: $3" "a page_desc with a bad $1"
}
bad_desc flags 0x3 "page_desc flags 0x3 are not one compression"
bad_desc size 0x5000 "page_desc size 0x5000 for a compressed page of 0x1000 bytes"
bad_desc offset 0x7fffffff "page data at 0x7fffffff"

# damaged dumps: a clear refusal at open
head -c 300 zlib.kdump >short.kdump
diag "too short for a" pgtctl translate --dump short.kdump $SRC 0x8000000
expect_err_has "short.kdump" "the refusal names the file"
printf 'DISKDUMP' | cat - table.raw >old.kdump
diag "an old diskdump" pgtctl translate --dump old.kdump $SRC 0x8000000
diag "not a crash dump" pgtctl translate --dump table.raw $SRC 0x8000000
done_testing

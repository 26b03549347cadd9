#!/bin/sh
# SPDX-License-Identifier: MIT
# Compressed kdumps (makedumpfile's format) as --dump sources, made by our
# generator: every compression reads like the raw memory, a page the dump
# excluded is named as such by translate, dump and check (never read as
# zeros), and a damaged dump is refused with a message, not a crash.
. "$(dirname "$0")/lib.sh"
MKKDUMP="$(dirname "$PGTCTL")/tests/tools/mkkdump"

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
run pgtctl translate --dump hole.kdump $SRC 0x8000000 0x10000000
expect_status 1 "translate through an excluded page fails"
expect_out_has "0x8000000 -> not mapped (level 3 descriptor address 0x48003000 is in a page the dump excluded)" \
	"translate names the excluded page"
expect_out_has "0x10000000 -> 0x880000000" "other IOVAs still translate"
run pgtctl check --dump hole.kdump $SRC --json
expect_status 1 "check reports the excluded table"
expect_py 'j["problems"][0]["kind"] == "excluded" and j["problem_count"] == 1' "check: one problem, of kind excluded"
run pgtctl dump --leaves --dump hole.kdump $SRC
expect_err_has "level 3 table at 0x48003000 is in a page the dump excluded" "dump warns about the excluded table"
if grep -q '^0x0000000008000000' out; then not_ok "dump shows no leaf under the excluded table"; else
	ok "dump shows no leaf under the excluded table"; fi

# damaged dumps: a clear refusal at open
head -c 300 zlib.kdump >short.kdump
run pgtctl translate --dump short.kdump $SRC 0x8000000
expect_status 2 "a truncated kdump is refused"
expect_err_has "short.kdump" "the refusal names the file"
printf 'DISKDUMP' | cat - table.raw >old.kdump
run pgtctl translate --dump old.kdump $SRC 0x8000000
expect_err_has "old diskdump" "an old DISKDUMP file is named as such"
run pgtctl translate --dump table.raw $SRC 0x8000000
expect_err_has "not a crash dump" "a raw file given as --dump is refused, with the hint in the message"
done_testing

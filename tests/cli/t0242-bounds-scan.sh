#!/bin/sh
# SPDX-License-Identifier: MIT
# scan costs what the data costs: a segment's zero tail, however long, and
# the holes of a sparse file are never read; a tree shared by thousands of
# candidate roots is walked once; memory stays flat; and the walks have a
# budget, past which the scan stops with a clear message and what it has.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o s.img >/dev/null
pgtctl emit s.img -o s.raw --raw >/dev/null
F="--format arm-64-lpae-s1"
# best ROOT: the first candidate of the text output is ROOT
best() {
	if [ "$(sed -n 2p out | cut -d' ' -f1)" = "$1" ]; then ok "$2"; else
		not_ok "$2" "status $status: $(head -3 out | tr '\n' '|') $(head -c 300 err)"; fi
}
# maxrss CMD...: run CMD, status in $status, its peak RSS in KiB in $rss
maxrss() {
	rss=$(python3 -c '
import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=open("out", "w"), stderr=open("err", "w"))
_, st, ru = os.wait4(p.pid, 0)
print(os.waitstatus_to_exitcode(st), ru.ru_maxrss)' "$@")
	status=${rss% *}
	rss=${rss#* }
}

# a 28 KB ELF core whose segment claims 1 TiB (then 2^62 bytes) of zeros
elftool core tib.elf 0x80000000:s.raw:0x10000000000
run timeout 120 "$PGTCTL" scan --dump tib.elf $F
expect_status 0 "1 TiB of zero tail: the scan ends"
best 0x80000000 "1 TiB of zero tail: the table is found"
elftool core huge.elf 0x80000000:s.raw:0x4000000000000000
run timeout 120 "$PGTCTL" scan --dump huge.elf $F
expect_status 0 "2^62 bytes of zero tail: the scan ends"
best 0x80000000 "2^62 bytes of zero tail: the table is found"

# 32 GiB of sparse memory around the table, as a flat file and as a
# vmcore: peak memory stays far below what mapping it all would touch
truncate -s 32G sparse.raw
dd if=s.raw of=sparse.raw bs=4096 seek=524288 conv=notrunc status=none
maxrss timeout 300 "$PGTCTL" scan --raw sparse.raw --base 0 $F
expect_status 0 "32 GiB sparse flat file: the scan ends"
best 0x80000000 "32 GiB sparse flat file: the table is found"
if [ "$rss" -lt 262144 ]; then ok "32 GiB sparse flat file: peak RSS ${rss} KiB < 256 MiB"; else
	not_ok "32 GiB sparse flat file: peak RSS < 256 MiB" "${rss} KiB"; fi
python3 - <<'PY'
import struct
eh = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) + struct.pack(
    "<HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56, 1, 64, 0, 0)
ph = struct.pack("<IIQQQQQQ", 1, 6, 4096, 0, 0, 32 << 30, 32 << 30, 4096)
with open("sparse.elf", "wb") as f:
    f.write(eh + ph)
    f.truncate(4096 + (32 << 30))
    f.seek(4096 + 0x80000000)
    f.write(open("s.raw", "rb").read())
PY
maxrss timeout 300 "$PGTCTL" scan --dump sparse.elf $F
expect_status 0 "32 GiB sparse vmcore: the scan ends"
best 0x80000000 "32 GiB sparse vmcore: the table is found"
if [ "$rss" -lt 262144 ]; then ok "32 GiB sparse vmcore: peak RSS ${rss} KiB < 256 MiB"; else
	not_ok "32 GiB sparse vmcore: peak RSS < 256 MiB" "${rss} KiB"; fi
rm -f sparse.raw sparse.elf

# 2,048 copies of a root over one tree of 4 GiB in 4K pages (17 MB): a
# walk of each would read 2048 x 2054 tables (2^31 descriptors); walked
# once, the whole scan fits a budget of 2^24
cat >big.yaml <<'Y'
format: arm-64-lpae-s1
config: { pgsize: [4K] }
memory: { base: 0x80000000 }
mappings:
  - { iova: 0x0, paddr: 0x100000000, size: 4G, prot: rw }
Y
pgtctl build big.yaml -o big.img >/dev/null
pgtctl emit big.img -o big.raw --raw >/dev/null
python3 -c '
d = open("big.raw", "rb").read()
open("roots.raw", "wb").write(d + d[:4096] * 2047)'
run timeout 120 "$PGTCTL" scan --json --raw roots.raw --base 0x80000000 $F --top 2048 --budget 16M
expect_status 0 "2,048 roots over one tree: the scan ends within a budget of 2^24"
expect_py 'j["complete"] and len(j["candidates"]) == 2048 and all(c["pages"] == 1048576 and c["tables"] == 2054 for c in j["candidates"])' \
	"every root is scored with the whole tree below it"

# the budget: a clear message, the candidates so far, exit 1
diag "work budget" timeout 120 "$PGTCTL" scan --raw roots.raw --base 0x80000000 $F --budget 100000
expect_err_has "past the scan's work budget of 100000" "the message names the budget"
run timeout 120 "$PGTCTL" scan --json --raw roots.raw --base 0x80000000 $F --budget 4M
expect_status 1 "a budget too small: exit 1"
expect_py 'not j["complete"] and "work budget" in j["stopped"] and 0 < len(j["candidates"]) <= 10' \
	"JSON: complete false, why, and the best found before it stopped"
run "$PGTCTL" scan --raw roots.raw --base 0x80000000 $F --budget 0
expect_status 2 "--budget 0 is refused"

done_testing

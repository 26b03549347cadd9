#!/bin/sh
# SPDX-License-Identifier: MIT
# A spec costs what its file costs: nesting deeper than any spec needs is
# refused at the first level too many (a CPU-time limit turns a run that
# grows with the nesting into a failure), a 40 MB spec loads in a small
# multiple of its size, and what would be silently misread is refused at
# its line and column: a NUL byte in a value, an alias, bytes that are not
# UTF-8.
. "$(dirname "$0")/lib.sh"

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

python3 -c '
d = 100000
open("deep.yaml", "w").write("format: arm-64-lpae-s1\nmappings: " + "[" * d + "]" * d + "\n")
open("deepmap.yaml", "w").write("format: arm-64-lpae-s1\nconfig: " + "{a: " * d + "1" + "}" * d + "\n")'
# cpu SECONDS CMD...: CMD under a CPU-time limit
cpu() {
	s=$1
	shift
	(ulimit -t "$s"; "$@") >out 2>err
	status=$?
}
cpu 10 "$PGTCTL" build deep.yaml -o deep.img
expect_status 2 "100,000 nested lists: refused within 10 s of CPU"
expect_err_has "deep.yaml:2:42: nested deeper than 32 levels" "at the first level too many"
cpu 10 "$PGTCTL" build deepmap.yaml -o deep.img
expect_status 2 "100,000 nested mappings: refused within 10 s of CPU"
diag "nested deeper than" "$PGTCTL" build deepmap.yaml -o deep.img

# 40 MB of mappings, the last one wrong: read to the end in a small
# multiple of the file (the sanitizers' quarantine of freed memory is kept
# small, so that the figure is the loader's)
python3 - <<'PY'
with open("big.yaml", "w") as f:
    f.write("format: arm-64-lpae-s1\nmappings:\n")
    i = 0
    while f.tell() < 40 << 20:
        f.write("  - { iova: 0x%x, paddr: 0x%x, size: 4K, prot: rw }\n" % (i << 12, i << 12))
        i += 1
    f.write("  - { iova: 0x0, paddr: 0x0, size: 4K, prot: rw, bogus: 1 }\n")
PY
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8" maxrss "$PGTCTL" build big.yaml -o big.img
expect_status 2 "a 40 MB spec is read to its last line"
expect_err_has "big.yaml:657548:50: unknown key 'bogus' in a mapping" "the error at its line"
if [ "$rss" -lt 204800 ]; then ok "a 40 MB spec: peak RSS ${rss} KiB < 5 x the file"; else
	not_ok "a 40 MB spec: peak RSS < 5 x the file" "${rss} KiB"; fi
rm -f big.yaml

# many values under config, as many as a file holds
python3 -c '
open("many.yaml", "w").write("format: arm-64-lpae-s1\nconfig: { pgsize: [" + ",".join(["4K"] * 70000) + "] }\n")'
diag "more than MAX values in one entry" pgtctl build many.yaml -o many.img

# prot: "r\0w" would read as "r": refused
printf 'format: arm-64-lpae-s1\nmappings:\n  - { iova: 0x0, paddr: 0x0, size: 4K, prot: "r\\0w" }\n' >nul.yaml
diag "holds a NUL byte" pgtctl build nul.yaml -o nul.img
expect_err_has "nul.yaml:3:46: a value holds a NUL byte" "at the value's line and column"
if [ ! -e nul.img ]; then ok "nothing built"; else not_ok "nothing built" "nul.img exists"; fi
printf 'format: arm-64-lpae-s1\nmappings:\n  - { iova: 0x0, paddr: 0x0, size: 4K, prot: r }\n  - { iova: 0x1000, paddr: 0x0, size: 4K, prot: "r\0x" }\n' >rawnul.yaml
run pgtctl build rawnul.yaml -o nul.img
expect_status 2 "a NUL byte in the file: refused"
expect_err_has "rawnul.yaml:4:51: control characters are not allowed" "at its line and column"

# bytes that are not UTF-8: at their line and column, not 1:1
printf 'format: arm-64-lpae-s1\n# a comment\nmappings:\n  - { iova: 0x0, paddr: 0x0, size: 4K, prot: "r\377w" }\n' >utf.yaml
run pgtctl build utf.yaml -o utf.img
expect_status 2 "invalid UTF-8: refused"
expect_err_has "utf.yaml:4:48: invalid leading UTF-8 octet" "at its line and column"

# an alias is not followed
printf 'format: arm-64-lpae-s1\nmappings:\n  - &m { iova: 0x0, paddr: 0x0, size: 4K }\n  - *m\n' >alias.yaml
diag "an alias" pgtctl build alias.yaml -o alias.img
expect_err_has "alias.yaml:4:5: an alias (*m)" "named, at its place"

done_testing

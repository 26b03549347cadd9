#!/bin/sh
# SPDX-License-Identifier: MIT
# What a command costs follows the data, not what a file claims: an edit of
# a sparse 4 GiB IMAGE, a kdump whose sparse bitmap claims 2^35 pages, a
# log line of 12 MB, a three-line spec asking for gigabytes of tables; and
# the table-memory limit is one a user can raise.
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
# below KIB DESC: the last maxrss stayed below KIB
below() {
	if [ "$rss" -lt "$1" ]; then ok "$2: peak RSS ${rss} KiB < $1 KiB"; else
		not_ok "$2: peak RSS < $1 KiB" "${rss} KiB"; fi
}
# cpu SECONDS CMD...: CMD under a CPU-time limit
cpu() {
	s=$1
	shift
	(ulimit -t "$s"; "$@") >out 2>err
	status=$?
}

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o s.img >/dev/null
pgtctl emit s.img -o s.raw --raw >/dev/null

# an IMAGE whose segment is 4 GiB of a sparse file, its table at the start
python3 - <<'PY'
import os, struct
b = bytearray(open("s.img", "rb").read())
phoff, = struct.unpack_from("<Q", b, 32)
phnum, = struct.unpack_from("<H", b, 56)
for i in range(phnum):
    h = list(struct.unpack_from("<IIQQQQQQ", b, phoff + 56 * i))
    if h[0] == 1:
        h[5] = h[6] = 4 << 30
        end = h[2] + h[5]
        struct.pack_into("<IIQQQQQQ", b, phoff + 56 * i, *h)
struct.pack_into("<Q", b, 40, 0)    # no section headers
struct.pack_into("<HH", b, 60, 0, 0)
open("sparse.img", "wb").write(b)
os.truncate("sparse.img", end)
PY
run pgtctl translate sparse.img 0x10000000
expect_out_has "0x10000000 -> 0x880000000" "the sparse 4 GiB IMAGE reads"
maxrss "$PGTCTL" map sparse.img 0x90000000 0x900000000 4K
expect_status 0 "map on a sparse 4 GiB IMAGE"
below 131072 "map on a sparse 4 GiB IMAGE"
run pgtctl translate sparse.img 0x90000000 0x10000000
expect_out_has "0x90000000 -> 0x900000000" "the new mapping is there"
expect_out_has "0x10000000 -> 0x880000000" "the old ones too"

# a kdump of a machine of 2^35 pages that kept the table's six
python3 "$PGTCTL_TOP/tests/tools/kdumptool.py" sparse k35.kdump 0x800000000 0x80000 s.raw
maxrss "$PGTCTL" translate --dump k35.kdump --format arm-64-lpae-s1 --root 0x80000000 0x10000000
expect_status 0 "a kdump whose bitmap claims 2^35 pages opens"
expect_out_has "0x10000000 -> 0x880000000" "and translates"
below 65536 "a kdump of 2^35 pages"
cpu 10 "$PGTCTL" scan --dump k35.kdump --format arm-64-lpae-s1
expect_status 0 "scan of it ends within 10 s of CPU"
expect_out_has "0x80000000 " "and finds the table"

# a 12 MB log line of fault starts whose name never ends: linear, not
# scanned again from every start
python3 -c '
s = "arm-smmu 2b400000.iommu: translation fault: status:0x1 stream:1 code:0x1 ("
open("long.log", "w").write(s * (12000000 // len(s)) + "\n")'
cpu 10 "$PGTCTL" fault s.img --log long.log
expect_status 1 "a 12 MB log line: read within 10 s of CPU"

# the default table memory: a three-line spec that needs 1 GiB of tables
# is refused before anything is made; PGTCTL_TABLE_MEMORY moves the limit
printf 'format: arm-64-lpae-s1\nmappings:\n  - { iova: 0x0, paddr: 0x0, size: 512G, pgsize: 4K }\n' >huge.yaml
maxrss "$PGTCTL" build huge.yaml -o huge.img
expect_status 1 "1 GiB of tables for a three-line spec: refused"
expect_err_has "more than the table memory limit of 0x10000000 bytes holds" "by the default limit"
below 65536 "the refused spec"
printf 'format: arm-64-lpae-s1\nmappings:\n  - { iova: 0x0, paddr: 0x0, size: 1G, pgsize: 4K }\n' >g.yaml
run env PGTCTL_TABLE_MEMORY=1M "$PGTCTL" build g.yaml -o g.img
expect_status 1 "PGTCTL_TABLE_MEMORY=1M: 1 GiB of 4K pages refused"
expect_err_has "table memory limit of 0x100000 bytes" "the limit it sets"
run env PGTCTL_TABLE_MEMORY=4M "$PGTCTL" build g.yaml -o g.img
expect_status 0 "PGTCTL_TABLE_MEMORY=4M: built"
diag "must not be zero" env PGTCTL_TABLE_MEMORY=0 "$PGTCTL" build g.yaml -o g.img
run env PGTCTL_TABLE_MEMORY=lots "$PGTCTL" build g.yaml -o g.img
expect_status 2 "PGTCTL_TABLE_MEMORY that is not a size: exit 2"
expect_err_has "PGTCTL_TABLE_MEMORY: 'lots' is not a number" "named"

done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl translate: addresses, the verbose walk, stdin batches, JSON.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null

run pgtctl translate a.img 0x10000000 0x10201234 0x20003000 0x40000000 0x8000000
expect_status 0 "all mapped: exit 0"
expect_golden translate.txt "the sample's IOVAs translate as mapped"

run pgtctl translate a.img 0x10000000 0x7f0000000
expect_status 1 "an unmapped IOVA: exit 1"
expect_out_has "0x7f0000000 -> not mapped (level 1 descriptor at 0x800010f8 is empty)" \
	"says where the walk stopped"

run pgtctl translate -v a.img 0x10201234
expect_golden translate-v.txt "-v shows every level's descriptor, decoded"

printf '0x10000000\n# comment\n\n0x10201234\n0x7f0000000\n' >iovas
run sh -c "\"$PGTCTL\" translate a.img - <iovas"
expect_status 1 "stdin: one unmapped among them"
if [ "$(wc -l <out)" -eq 3 ]; then ok "stdin: one line per IOVA, comments skipped"; else not_ok "stdin lines" "$(cat out)"; fi

run pgtctl translate a.img 0x10000000 0x7f0000000 --json
expect_json "translate --json"
expect_py 'j[0] == {"iova":"0x10000000","pa":"0x880000000","size":"0x1000","level":3,"prot":["read","write","cache","noexec"],"desc":"0x60000880000f47"}' \
	"the mapped IOVA's object"
expect_py 'j[1]["pa"] is None and j[1]["level"] == 1 and j[1]["stop"] == "empty"' "the unmapped one: pa null"

run pgtctl translate -v --json a.img 0x10201234
expect_py '[s["level"] for s in j[0]["walk"]] == [0,1,2] and j[0]["walk"][2]["fields"]["sh"] == "inner"' \
	"-v --json: the walk with decoded fields"

run pgtctl translate a.img 0xzz
expect_status 2 "a bad IOVA is a usage error"
expect_err_has "pgtctl: iova: '0xzz' is not a number" "named in the message"

run pgtctl translate a.img 0x1000000000000
expect_status 1 "beyond ias: not mapped"
expect_out_has "outside the 48-bit input address space" "says why"

# --pa: the address alone, in the order asked, '-' for what is not mapped
run pgtctl translate --pa a.img 0x10000000 0x7f0000000 0x10201234
expect_status 1 "--pa: an unmapped IOVA is still exit 1"
expect_out "0x880000000
-
0x881201234" "--pa: one address a line, '-' where not mapped"
run pgtctl translate --pa --json a.img 0x10000000 0x7f0000000
expect_py 'j == ["0x880000000", None]' "--pa --json: the addresses, null where not mapped"
printf '0x10201234\n0x7f0000000\n0x20003000\n' >iovas
run sh -c "\"$PGTCTL\" translate a.img - <iovas"
cut -d' ' -f3 out | sed 's/^not$/-/' >want
run sh -c "\"$PGTCTL\" translate --pa a.img - <iovas"
if cmp -s out want; then ok "--pa from stdin: the PAs of the full lines"; else
	not_ok "--pa from stdin" "$(cat out)"; fi
run pgtctl translate --pa -v a.img 0x10000000
expect_status 2 "--pa with -v: a usage error"
expect_err_has "one or the other" "says they do not go together"

# a million IOVAs from stdin: a batch, not a loop of processes
python3 -c "
import sys
w = sys.stdout.write
for i in range(200000): w('0x%x\n' % (0x10000000 + (i % 16) * 0x1000))
" >many
run sh -c "\"$PGTCTL\" translate a.img - <many"
expect_status 0 "200000 IOVAs from stdin"
if [ "$(wc -l <out)" -eq 200000 ]; then ok "one answer each"; else not_ok "one answer each"; fi
done_testing

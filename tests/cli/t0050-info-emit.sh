#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl info and emit.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmu-s1-64k.yaml" -o a.img >/dev/null
run pgtctl info a.img
expect_status 0 "info"
expect_golden info-64k.txt "format, config, geometry, registers, memory per level"
run pgtctl info --json a.img
expect_json "info --json"
expect_py 'j["format"]=="arm-64-lpae-s1" and j["config"]["ias"]==48 and j["config"]["oas"]==52 and j["roots"]==["0x40000000"]' \
	"format, config and roots"
expect_py 'j["registers"]["tcr"] == {"ips":6,"tg":1,"sh":3,"orgn":1,"irgn":1,"tsz":16}' \
	"tcr fields: 52-bit IPS, TG0 64K"
expect_py '[t["count"] for t in j["tables"]] == [1,1,3] and j["table_bytes"] == "0x40200"' \
	"tables per level"
expect_py '[(l["level"], l["top_bit"], l["shift"], l["index_bits"], l["entries"]) for l in j["geometry"]["levels"]] == [(1,47,42,6,64),(2,41,29,13,8192),(3,28,16,13,8192)]' \
	"geometry per level: IOVA bits each level indexes (64K granule, ias 48)"

run pgtctl emit a.img -o a.raw --raw
expect_status 0 "emit --raw"
run pgtctl emit a.img -o b.img --elf
expect_status 0 "emit --elf"
if cmp -s a.img b.img; then ok "an image re-emitted is identical"; else not_ok "re-emit identical"; fi
run pgtctl emit a.img -o c.img
expect_status 2 "emit needs --raw or --elf"
done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# The command line: options before or after the command, prefixes, help,
# and errors as JSON.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null

run pgtctl --json translate a.img 0x10000000
expect_py 'j[0]["pa"] == "0x880000000"' "--json before the command"
run pgtctl translate a.img 0x10000000 -j
expect_py 'j[0]["pa"] == "0x880000000"' "-j after the arguments"
run pgtctl -v translate a.img 0x10000000
expect_out_has "L3[0] @0x80004000" "a command's option before the command"
run pgtctl --dump a.img --format arm-64-lpae-s1 --root 0x80000000 translate 0x10000000
expect_out_has "0x10000000 -> 0x880000000" "source options before the command"
run pgtctl trans a.img 0x10000000
expect_out_has "0x10000000 -> 0x880000000" "a unique prefix names the command"

# (every error message is tested in t0220-t0223; here only their JSON form)
run pgtctl --json frobnicate
expect_status 2 "an unknown command, with --json"
expect_py 'j == {"error": "unknown command '"'"'frobnicate'"'"' (see '"'"'pgtctl --help'"'"')"}' "is JSON"
run pgtctl translate a.img 0x0 --ias 99 --json
expect_py 'j == {"error": "--ias: 99 is larger than 64"}' "so is an option's error"

run pgtctl --help
expect_status 0 "--help"
for c in formats build map unmap translate dump info emit; do
	expect_out_has "  $c " "--help lists $c"
done
run pgtctl translate --help
expect_status 0 "a command's --help"
expect_out_has "--verbose" "shows its options"
expect_out_has "--dump=FILE" "and the source options"
run pgtctl --version
expect_out_has "pgtctl " "--version"
done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# The output contract: under --json every command, and every session,
# prints exactly one JSON document of valid UTF-8, whatever fails and
# whatever the input's names hold; in text, control characters and bytes
# that are not UTF-8 from input never reach the terminal as they are.
. "$(dirname "$0")/lib.sh"

# one_doc DESC: stdout is one JSON document, strictly UTF-8
one_doc() {
	if why=$(python3 -c '
import json, sys
text = open("out", "rb").read().decode("utf-8")
json.loads(text)' 2>&1); then ok "$1"; else
		not_ok "$1" "$(printf '%s' "$why" | tail -n 1)" "stdout: $(head -c 300 out | tr '\n' '|')"
	fi
}
# no_raw_bytes FILE DESC: no control character but newline, no byte that
# is not UTF-8
no_raw_bytes() {
	if python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
t = b.decode("utf-8")
sys.exit(any(c != "\n" and (ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0) for c in t))' "$1" 2>/dev/null
	then ok "$2"; else not_ok "$2" "$(od -c "$1" | head -5 | tr '\n' '|')"; fi
}

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null

# a command that fails after it began, or before: one document
run pgtctl emit a.img -o /nonexistent/x.raw --raw --json
expect_status 1 "emit to a directory that does not exist fails"
one_doc "emit's failure is one document"
expect_py 'list(j) == ["error"] and "/nonexistent" in j["error"]' "that says why"
run pgtctl --json
expect_status 2 "no command, with --json"
one_doc "is one document too"
diag "no command given" pgtctl --json
run pgtctl --help --json
one_doc "--help --json"
expect_py 'j["help"].startswith("Usage: pgtctl")' "is the help text as a string"
run pgtctl translate --version -j
expect_py 'j == {"version": "pgtctl 0.2.0"}' "--version --json"
run pgtctl translate a.img 0x10000000 0x1 --json
expect_py 'len(j) == 2 and j[1]["pa"] is None' "translate: one array, unmapped included"

# dump --output yaml under --json: the spec as a string, the same text
run pgtctl dump a.img --output yaml
cp out spec.txt
run pgtctl dump a.img --output yaml --json
one_doc "dump --output yaml --json is JSON"
if python3 -c 'import json,sys; sys.exit(json.load(open("out"))["spec"] != open("spec.txt").read())'; then
	ok "whose spec is the text dump --output yaml prints"; else not_ok "the spec in JSON" "$(head -c 200 out)"; fi
run pgtctl dump a.img --output yaml -o spec.yaml --json
expect_py 'j == {"format": "arm-64-lpae-s1", "output": "spec.yaml"}' "with -o: where it went"

# batch and repl: one array, one element a command, whatever the lines hold
printf 'load a.img\ntranslate "0x10000000\ntranslate 0x10000000\n\n# a comment\nbogus\ninfo\n' >s.batch
run pgtctl batch --json s.batch
expect_status 2 "a batch with bad lines fails"
one_doc "batch --json with unbalanced quotes stays one document"
expect_py 'len(j) == 5 and "error" in j[1] and j[2][0]["pa"] == "0x880000000" and "error" in j[3] and j[4]["format"] == "arm-64-lpae-s1"' \
	"one element a command: the bad line's error, then the lines after it"
run sh -c "\"$PGTCTL\" repl --json a.img <s.batch"
one_doc "repl --json from a pipe is one document"
expect_py 'len(j) == 5 and j[2][0]["pa"] == "0x880000000"' "the same elements as batch"
run pgtctl repl a.img --json -c 'translate 0x10000000; map 0x10000000 0 4K; dump'
one_doc "repl -c --json is one document"
expect_py 'len(j) == 3 and "error" in j[1] and j[2]["format"] == "arm-64-lpae-s1"' \
	"a failed edit is its element"
printf 'load a.img\n' >load.batch
run pgtctl batch --json load.batch
expect_py 'j == [{"loaded": "a.img", "format": "arm-64-lpae-s1"}]' "a one-command batch"
printf '# nothing\n' >empty.batch
run pgtctl batch --json empty.batch
expect_py 'j == []' "a batch without commands: an empty array"

# messages cut to fit end between characters
long=$(python3 -c 'print("\u4e2d" * 300 + ".img")')
run pgtctl info "$long" --json
one_doc "a long message of multibyte characters, cut"
expect_py 'j["error"].endswith("...") and "\ufffd" not in j["error"]' "between characters, with ..."
run pgtctl info "$long"
no_raw_bytes err "and in text"

# names that are not UTF-8, or hold control characters
bad=$(printf 'bad\377\376.img')
run pgtctl info "$bad" --json
one_doc "a file name that is not UTF-8, in JSON"
expect_py 'j["error"].startswith("bad\ufffd\ufffd.img:")' "its bytes as U+FFFD"
odd=$(printf 'o\300\257s\355\240\200c\302\233\360\237\230\200.img')
run pgtctl info "$odd" --json
expect_py 'j["error"].startswith("o\ufffd\ufffds\ufffd\ufffd\ufffdc\u009b\U0001f600.img:")' \
	"an overlong form and a surrogate are not UTF-8; a C1 control and U+1F600 are"
run pgtctl info "$odd"
expect_err_has 'o\xc0\xafs\xed\xa0\x80c\xc2\x9b' "in text each byte of them escaped"
run pgtctl info "$bad"
no_raw_bytes err "in text, escaped"
expect_err_has 'bad\xff\xfe.img' "each byte as a hex escape"
esc=$(printf 'red\033[31m\t.img')
cp a.img "$esc"
run pgtctl info "$esc"
expect_status 0 "a file whose name holds ESC reads"
no_raw_bytes out "its name reaches the terminal escaped"
expect_out_has 'source     red\x1b[31m\t.img' "as hex and C escapes"
run pgtctl info "$esc" --json
one_doc "and in JSON"
expect_py 'j["source"] == "red\x1b[31m\t.img"' "escaped as JSON escapes it"
run pgtctl translate "$esc" 0x10000000 -j
run pgtctl repl -c "load '$esc'"
no_raw_bytes out "a session's messages too"
expect_out_has 'loaded red\x1b[31m\t.img' "escaped"
# a kernel log's device names
sed "s/arm-smmu-v3 arm-smmu-v3.0.auto/arm-smmu-v3 arm-smmu$(printf '\033')[31m-v3.0.auto/" \
	"$SAMPLES/smmuv3-faults.log" >esc.log
pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o s1.img >/dev/null
run pgtctl fault s1.img --log esc.log
no_raw_bytes out "fault --log: a device name from the log reaches the terminal escaped"
expect_out_has '(arm-smmu-v3 arm-smmu\x1b[31m-v3.0.auto)' "as a hex escape"
# one comment line in a spec, whatever the name
nl=$(printf 'two\nlines.img')
cp a.img "$nl"
run pgtctl dump "$nl" --output yaml
expect_out_has '# pgtctl dump --output yaml of two\nlines.img' "dump --output yaml: a name's newline stays in its comment"
if grep -q '^lines' out; then not_ok "the spec is whole" "$(head -3 out)"; else ok "the spec is whole"; fi
done_testing

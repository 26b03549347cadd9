#!/bin/sh
# SPDX-License-Identifier: MIT
# Sessions are scripts a user can trust: one that ends with unsaved edits
# says so and fails; '-' inside a session reads the line's here-document
# or <FILE, never the rest of the script. (Ctrl-C at the prompt is tested
# in a real terminal in t0190.)
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null
orig=$(sum a.img)

# unsaved edits at the end of a script
printf 'load a.img\nmap 0x90000000 0x900000000 2M\n' >dirty.batch
diag "lost as the script ends" pgtctl batch dirty.batch
expect_out_has "mapped 0x90000000" "the edit itself ran"
expect_unchanged a.img "$orig" "nothing was written"
run sh -c "\"$PGTCTL\" repl a.img <dirty.batch"
expect_status 1 "a piped repl that ends with unsaved edits fails"
expect_err_has "unsaved changes, lost as the script ends" "and says so"
run pgtctl repl a.img -c 'map 0x90000000 0x900000000 2M'
expect_status 1 "so does repl -c"
run pgtctl batch --json dirty.batch
expect_py 'len(j) == 3 and "unsaved changes" in j[2]["error"]' "with --json, as the last element"
printf 'load a.img\nmap 0x90000000 0x900000000 2M\nsave b.img\n' >saved.batch
run pgtctl batch saved.batch
expect_status 0 "a script that saves its edits succeeds"
expect_err_empty "without a warning"
printf 'load a.img\nmap 0x90000000 0x900000000 2M\nundo\n' >undone.batch
run pgtctl batch undone.batch
expect_status 0 "undone edits are no unsaved changes"
printf 'load a.img\nmap 0x90000000 0x900000000 2M\nquit --force\n' >forced.batch
run pgtctl batch forced.batch
expect_status 0 "quit --force leaves edits on purpose"
expect_err_empty "quietly"

# '-' in a session: never the script's own lines
printf 'load a.img\ntranslate -\n0x10000000\ninfo\n' >swallow.batch
run sh -c "\"$PGTCTL\" batch - <swallow.batch"
expect_status 2 "translate - without data in a script fails"
diag "never standard input" sh -c "\"$PGTCTL\" batch - <swallow.batch"
expect_err_has "unknown command '0x10000000'" "the line after it is a command line, as it reads"
expect_out_has "format     arm-64-lpae-s1" "the lines after it still run"
cat >here.batch <<'B'
load a.img
translate - <<IOVAS
0x10000000
# a comment in the data
0x10201234
IOVAS
info
B
run sh -c "\"$PGTCTL\" batch - <here.batch"
expect_status 0 "a here-document in a script read through standard input"
expect_out_has "0x10000000 -> 0x880000000" "gives translate its IOVAs"
expect_out_has "0x10201234 -> 0x881201234" "all of them"
expect_out_has "format     arm-64-lpae-s1" "and the script goes on after it"
run pgtctl batch --json here.batch
expect_py 'len(j) == 3 and [t["pa"] for t in j[1]] == ["0x880000000", "0x881201234"] and j[2]["format"] == "arm-64-lpae-s1"' \
	"one element for the command with its here-document"
printf '0x10000000\nnonsense\n' >iovas.txt
run pgtctl repl a.img -c 'translate - <iovas.txt; info'
expect_status 2 "a bad IOVA in a <FILE"
expect_err_has "iovas.txt:2: 'nonsense' is not a number" "is named by the file and its line"
expect_out_has "0x10000000 -> 0x880000000" "the good ones translate"
run pgtctl repl a.img -c 'translate - <<E; 0x10201234; E; translate 0x0'
expect_out_has "0x10201234 -> 0x881201234" "repl -c: the parts after <<E are its lines"
expect_out_has "0x0 -> not mapped" "up to E, then the commands go on"
run sh -c "printf '0x10000000\n' | \"$PGTCTL\" batch here.batch"
expect_status 0 "batch FILE"
run sh -c "printf '0x10000000\n' | \"$PGTCTL\" repl a.img -c 'translate - </dev/stdin'"
expect_out_has "0x10000000 -> 0x880000000" "</dev/stdin reads standard input on purpose"
cat >log.batch <<B
load a.img
fault --log - <$SAMPLES/smmuv3-faults.log
fault --log - <<LOG
$(cat "$SAMPLES/smmuv3-faults.log")
LOG
formats
B
run pgtctl batch log.batch
expect_out_has "2 faults in 12 lines" "fault --log - reads <FILE"
if [ "$(grep -c '2 faults in 12 lines' out)" -eq 2 ]; then ok "and a here-document"; else
	not_ok "fault --log - <<LOG" "$(grep -c 'faults in' out) summaries"; fi
expect_out_has "arm-v7s" "the script goes on"
printf 'load a.img\nfault --log -\n' >nolog.batch
diag "never standard input" pgtctl batch nolog.batch

# what goes wrong with a redirection
printf 'load a.img\ntranslate - <<IOVAS\n0x10000000\n' >open.batch
diag "inside a here-document" pgtctl batch open.batch
if grep -q "0x10000000 ->" out; then not_ok "the command does not run" "$(cat out)"; else
	ok "the command does not run"; fi
diag "a redirection takes" pgtctl repl a.img -c 'translate - <'
diag "a redirection takes" pgtctl repl a.img -c 'translate - <a <b'
run pgtctl repl a.img -c 'translate - <missing.txt; info'
expect_status 2 "a <FILE that does not exist"
expect_err_has "missing.txt: No such file or directory" "is named"
expect_out_has "format     arm-64-lpae-s1" "the next command runs"
run pgtctl repl a.img -c "translate '<0x10000000'"
expect_err_has "'<0x10000000' is not a number" "a quoted < is a word"

# a script's messages name its line, as sh's do; a here-document's lines
# count, and the command's own line is the one named
printf 'formats\ntranslate - <<X\n0x1\nX\n\nfrobnicate\n' >where.batch
run pgtctl batch where.batch
expect_status 2 "an unknown command in a script"
expect_err_has "pgtctl: where.batch:6: unknown command 'frobnicate'" "names the script and its line"
printf 'info --bogus\n' | run pgtctl batch -
expect_err_has "pgtctl: <stdin>:1: info: unknown option '--bogus'" "standard input is <stdin>"
run pgtctl repl a.img -c 'frobnicate'
if grep -q ':[0-9]*: unknown' err; then not_ok "repl -c names no line" "$(cat err)"; else
	ok "repl -c names no line"; fi
done_testing

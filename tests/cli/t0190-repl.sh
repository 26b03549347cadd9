#!/bin/sh
# SPDX-License-Identifier: MIT
# The REPL and batch: the same commands on a loaded table, undo, save, an
# error never losing the table, scripts through stdin and -c, batch JSON,
# and in a real terminal (tmux) the prompt, completion and history.
. "$(dirname "$0")/lib.sh"

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null
orig=$(sum a.img)

cat >script <<'S'
load a.img
translate 0x10201234
map 0x90000000 0x900000000 2M --prot rwc
translate 0x90000123
map 0x90000000 0 4K
translate 0x90000123
unmap 0x90000000 4K
translate 0x90000123
undo
translate 0x90000123
diff a.img
save b.img
quit
S
run sh -c "\"$PGTCTL\" repl <script"
expect_status 1 "a script with failing commands: exit 1"
expect_golden repl-script.txt "each command's output, as on the command line"
expect_err_has "pgtctl: map: 0x90000000-0x90000fff is already mapped (EEXIST)" "the failed map says why"
expect_unchanged a.img "$orig" "the loaded image is not touched until saved"
run pgtctl translate b.img 0x90000123 0x10201234
expect_out_has "0x90000123 -> not mapped" "save wrote the table as it is after undo"
expect_out_has "0x10201234 -> 0x881201234" "with the rest of it"

run pgtctl repl a.img -c 'map 0x90000000 0x900000000 2M; save; translate 0x90000000'
expect_status 0 "-c runs a list; save writes back to the loaded IMAGE"
run pgtctl translate a.img 0x90000000
expect_status 0 "the image was saved in place"

run pgtctl repl -c 'new arm-v7s; map 0x100000 0x200000 1M --prot rwc; quit; formats'
expect_err_has "unsaved changes, lost as the script ends" "quit in a script says the changes are lost"
expect_status 1 "and leaves, failing"
if [ -s out ] && ! grep -q "arm-v7s  " out; then ok "nothing runs after quit"; else not_ok "quit leaves" "$(cat out)"; fi
run pgtctl repl -c 'new arm-v7s; map 0x100000 0x200000 1M --prot rwc; quit --force'
expect_status 0 "quit --force leaves the changes on purpose"
expect_err_empty "without a word"
run pgtctl repl -c 'translate 0x0'
expect_status 2 "a command before any table"
expect_err_has "no table loaded" "says so"
run pgtctl repl -c 'bogus; formats --json' -j
expect_status 2 "an unknown command does not stop the script"
expect_out_has '"name":"arm-v7s"' "the next command still runs"
run pgtctl repl -c "load 'a.img'; translate \"0x10000000\" # a comment"
expect_out_has "0x10000000 -> 0x880000000" "quotes and comments as in a shell"
run pgtctl repl -c 'load'
expect_status 2 "load without a SOURCE"
run pgtctl load a.img
expect_status 2 "session commands need a session"
expect_err_has "works in a session" "says so"

# batch: commands through the same table, --json as one array
printf 'load a.img\ntranslate 0x10000000\ninfo\nbogus\nhelp\n' >batch.txt
run pgtctl batch --json batch.txt
expect_status 2 "batch: the worst status"
expect_json "batch --json is one JSON document"
expect_py 'len(j) == 5 and j[1][0]["pa"] == "0x880000000" and j[2]["format"] == "arm-64-lpae-s1" and "error" in j[3]' \
	"one element per command, errors included"
run sh -c "printf 'load a.img\ncheck\n' | \"$PGTCTL\" batch -"
expect_out_has "problems" "batch - reads standard input"

# a real terminal
command -v tmux >/dev/null || { not_ok "tmux is installed (make check-deps)"; done_testing; exit 1; }
export HOME="$T_DIR/home" XDG_STATE_HOME=
mkdir -p "$HOME"
sock="$T_DIR/tmux.sock"
tmx() { tmux -S "$sock" "$@"; }
# wait_for TEXT: the pane shows TEXT within 5 s
wait_for() {
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
		tmx capture-pane -t t -p >pane 2>/dev/null
		grep -qF -- "$1" pane && return 0
		sleep 0.2
	done
	return 1
}
# wait_last TEXT: the pane's last line that is not blank is TEXT within 5 s
wait_last() {
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
		tmx capture-pane -t t -p >pane 2>/dev/null
		[ "$(grep -v '^ *$' pane | tail -n 1 | sed 's/ *$//')" = "$1" ] && return 0
		sleep 0.2
	done
	return 1
}
tmx new-session -d -s t -x 160 -y 40 \
	"env HOME=$HOME $PGTCTL repl $T_DIR/a.img; echo \$? >$T_DIR/repl.status"
if wait_for "pgtctl(arm-64-lpae-s1)>"; then ok "the prompt shows the format"; else not_ok "prompt" "$(cat pane)"; fi
tmx send-keys -t t 'transl' Tab
if wait_for "translate"; then ok "Tab completes a command"; else not_ok "command completion" "$(cat pane)"; fi
tmx send-keys -t t ' 0x10201234' Enter
if wait_for "0x10201234 -> 0x881201234"; then ok "it runs"; else not_ok "run" "$(cat pane)"; fi
# Ctrl-C drops the line being typed, and a here-document; the session stays
# (each key once readline has shown the one before: Ctrl-C also flushes
# what the terminal has not handed on yet; DONE, as tmux reads END as the
# End key)
tmx send-keys -t t 'map 0xb0000000 0xb00000000 2M'
wait_for "> map 0xb0000000 0xb00000000 2M" || not_ok "the line is typed" "$(cat pane)"
tmx send-keys -t t C-c
wait_last "pgtctl(arm-64-lpae-s1)>" || not_ok "a new prompt" "$(cat pane)"
tmx send-keys -t t 'translate 0xb0000000' Enter
if wait_for "0xb0000000 -> not mapped"; then ok "Ctrl-C at the prompt drops the line, the session goes on"; else
	not_ok "Ctrl-C at the prompt" "$(cat pane)"; fi
tmx send-keys -t t 'translate - <<DONE' Enter
wait_last ">" || not_ok "a here-document's prompt" "$(cat pane)"
tmx send-keys -t t '0x10201000' Enter
wait_last ">" || not_ok "its next line" "$(cat pane)"
tmx send-keys -t t C-c
wait_last "pgtctl(arm-64-lpae-s1)>" || not_ok "a new prompt" "$(cat pane)"
tmx send-keys -t t 'translate - <<DONE' Enter '0x10202000' Enter 'DONE' Enter
if wait_for "0x10202000 -> 0x881202000"; then ok "a here-document at the prompt"; else
	not_ok "here-document at the prompt" "$(cat pane)"; fi
if grep -q "0x10201000 ->" pane; then not_ok "Ctrl-C drops a here-document" "$(cat pane)"; else
	ok "Ctrl-C drops a here-document"; fi
tmx send-keys -t t 'dump --form' Tab
if wait_for "dump --format"; then ok "Tab completes an option"; else not_ok "option completion" "$(cat pane)"; fi
tmx send-keys -t t ' arm-64-lpae-s' Tab Tab
if wait_for "arm-64-lpae-s1  arm-64-lpae-s2"; then ok "Tab lists format names"; else not_ok "format names" "$(cat pane)"; fi
tmx send-keys -t t C-u 'map 0xa0000000 0xa00000000 2M --prot read,wr' Tab
if wait_for "--prot read,write"; then ok "Tab completes prot words in a list"; else not_ok "prot words" "$(cat pane)"; fi
tmx send-keys -t t Enter
if wait_for "pgtctl(arm-64-lpae-s1*)>"; then ok "the prompt marks unsaved changes"; else not_ok "dirty prompt" "$(cat pane)"; fi
tmx send-keys -t t 'quit' Enter
if wait_for "unsaved changes"; then ok "quit with unsaved changes warns"; else not_ok "quit warning" "$(cat pane)"; fi
cp pane warned.pane
tmx send-keys -t t 'quit' Enter
for _ in 1 2 3 4 5 6 7 8 9 10; do tmx has-session -t t 2>/dev/null || break; sleep 0.2; done
if tmx has-session -t t 2>/dev/null; then not_ok "a second quit leaves"; tmx kill-server; else ok "a second quit leaves"; fi
diag_seen "quit again to leave anyway" "$(cat repl.status 2>/dev/null)" warned.pane
if grep -Eq "^translate +0x10201234" "$HOME/.local/state/pgtctl/history"; then ok "history is kept in ~/.local/state/pgtctl/history"; else
	not_ok "history file" "$(find "$HOME")"; fi
done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# Every fuzz target, built without libFuzzer (tests/fuzz/replay.c), run on
# its seed corpus and on every input that once made it crash: the crashes
# stay fixed, and make test SANITIZE=1 replays them under ASan and UBSan.
. "$(dirname "$0")/lib.sh"
FUZZ="$PGTCTL_TOP/tests/fuzz"
BIN="$(dirname "$PGTCTL")/tests/fuzz"

for src in "$FUZZ"/fuzz_*.c; do
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	if [ -n "$(ls "$FUZZ/corpus/$t" 2>/dev/null)" ]; then ok "$t: has a seed corpus"; else
		not_ok "$t: no seed corpus in tests/fuzz/corpus/$t"; fi
	for set in corpus regressions; do
		[ -d "$FUZZ/$set/$t" ] || continue
		n=$(ls "$FUZZ/$set/$t" | wc -l)
		if "$BIN/replay_$t" "$FUZZ/$set/$t"/* >log 2>&1; then
			ok "$t: the $n inputs of $set/ run clean"
		else
			not_ok "$t: $set/ input failed" "$(tail -12 log | tr '\n' '|')"
		fi
	done
done
done_testing

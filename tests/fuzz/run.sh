#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh DIR SECONDS TARGET...: run each fuzz target DIR/fuzz_TARGET for
# SECONDS on its seed corpus and regression inputs, new inputs kept in
# DIR/corpus/TARGET. Fails, naming the saved input, when any target finds
# a crash, a leak, a timeout or an out-of-memory.
set -u
dir=$1 seconds=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
failed=""
for t in "$@"; do
	mkdir -p "$dir/corpus/$t" "$dir/crashes/$t"
	seeds="$top/tests/fuzz/corpus/$t"
	regressions=""
	[ -d "$top/tests/fuzz/regressions/$t" ] && regressions="$top/tests/fuzz/regressions/$t"
	dict=""
	[ -f "$top/tests/fuzz/$t.dict" ] && dict="-dict=$top/tests/fuzz/$t.dict"
	echo "fuzz: $t for ${seconds}s"
	# -close_fd_mask=1: what a target prints on stdout is noise; stderr
	# stays open for FUZZ_CHECK's message.
	if ! "$dir/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-close_fd_mask=1 -print_final_stats=1 $dict \
		-artifact_prefix="$dir/crashes/$t/" \
		"$dir/corpus/$t" "$seeds" $regressions >"$dir/$t.log" 2>&1; then
		tail -40 "$dir/$t.log"
		failed="$failed $t"
	else
		grep -E '^(stat::average_exec_per_sec|#[0-9]+[[:space:]]+DONE)' \
			"$dir/$t.log" | tr '\n' ' '
		echo
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed (inputs in $dir/crashes/)" >&2
	exit 1
fi

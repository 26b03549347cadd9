#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh PGTCTL DIR: what make demo shows, on the SMMUv3 sample: build it
# into an IMAGE in DIR, translate IOVAs (one with its walk, one that is not
# mapped), dump the mappings. Each command is shown before its output. An
# IOVA that is not mapped is an answer here: translate says so with exit
# status 1, which is what the demo expects of it.
pgtctl=$1 dir=$2
cd "$(dirname "$0")/.." || exit 1
mkdir -p "$dir" || exit 1
img=$dir/smmuv3.img

# run STATUS ARG...: show the command, run it, and stop unless it exits STATUS
run() {
	want=$1
	shift
	printf '\n$ pgtctl %s\n' "$*"
	"$pgtctl" "$@"
	status=$?
	[ "$status" -ne 0 ] && [ "$status" -eq "$want" ] && echo "(exit status $status)"
	if [ "$status" -ne "$want" ]; then
		echo "demo: pgtctl $1 exited $status, not $want" >&2
		exit 1
	fi
}

run 0 build samples/smmuv3-s1-4k.yaml -o "$img"
run 0 translate "$img" 0x10000000 0x10201234
run 0 translate -v "$img" 0x10201234
run 1 translate "$img" 0x7f0000000
run 0 dump "$img"
printf '\ndemo: done; README.md has the tour, man pgtctl the rest\n'

#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Fetch the kernel sources (once), build the kernel oracle tests and run
# them: t_kernel_lpae, t_kernel_v7s, t_kernel_dart, t_kernel_amd against
# Linux 6.12, t_kernel_lpae-7.3, t_kernel_v7s-7.3, t_kernel_dart-7.3 against
# Linux 7.3 (every BUILD_DIR/tests/kernel/t_kernel_*), or those named in
# KERNEL_TESTS (e.g. KERNEL_TESTS="v7s amd lpae-7.3").
#
#   tests/kernel/run.sh [CACHE_DIR [BUILD_DIR]] [-- TEST_ARGS...]
#
# Prints each test's TAP in turn, each after a "# t_kernel_NAME" line (one
# TAP stream per test; `prove` runs them one by one, as tests/run.sh does),
# and exits non-zero when any failed. TEST_ARGS go to every test (-q, -v,
# -s SEED, -n OPS). When the kernel sources cannot be obtained the run
# fails: the oracle is part of the suite, never skipped.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

cache=build/kernel
build=build/opt
if [ $# -gt 0 ] && [ "$1" != -- ]; then cache=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" != -- ]; then build=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" = -- ]; then shift; fi

logs=$build/tests/kernel
mkdir -p "$logs"
for v in ${KERNEL_VERSIONS:-6.12 7.3}; do
	if ! sh "$here/fetch.sh" "$cache" "$v" >"$logs/fetch.log" 2>&1; then
		cat "$logs/fetch.log" >&2
		exit 1
	fi
done
NO_FETCH=1 sh "$here/build.sh" "$cache" "$build" >"$logs/build.log" 2>&1 || {
	cat "$logs/build.log" >&2
	exit 1
}
names=${KERNEL_TESTS:-}
if [ -z "$names" ]; then
	for t in "$build"/tests/kernel/t_kernel_*; do
		case "$t" in *.o | *.d) continue ;; esac
		[ -x "$t" ] && names="$names ${t##*/t_kernel_}"
	done
fi
status=0
for n in $names; do
	echo "# t_kernel_$n"
	"$build/tests/kernel/t_kernel_$n" "$@" || status=1
done
exit $status

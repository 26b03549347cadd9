#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Fetch the kernel sources (once), build the kernel oracle test and run it.
#
#   tests/kernel/run.sh [CACHE_DIR [BUILD_DIR]] [-- TEST_ARGS...]
#
# Prints TAP. When the kernel sources cannot be obtained the run fails:
# the oracle is part of the suite, never skipped.
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
if ! sh "$here/fetch.sh" "$cache" >"$logs/fetch.log" 2>&1; then
	cat "$logs/fetch.log" >&2
	exit 1
fi
NO_FETCH=1 sh "$here/build.sh" "$cache" "$build" >"$logs/build.log" 2>&1 || {
	cat "$logs/build.log" >&2
	exit 1
}
exec "$build/tests/kernel/t_kernel_lpae" "$@"

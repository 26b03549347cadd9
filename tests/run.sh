#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every test with prove: the C unit tests, the randomized differential
# test, the kernel oracle, and the CLI scripts. A failure exits non-zero.
# SKIP: paths under tests/ to leave out (a directory ends in /), for make
# test-offline.
set -e
BUILD=${BUILD:-build/opt}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PGTCTL="$top/$BUILD/pgtctl"
export PGTCTL_TOP="$top"
# skipped PATH: SKIP names it or a directory above it
skipped() {
	for s in $SKIP; do
		case "$1" in "$s" | "${s%/}"/*) return 0 ;; esac
	done
	return 1
}
tests=""
for t in "$BUILD"/tests/unit/t_* "$BUILD"/tests/random/random_ops "$BUILD"/tests/kernel/t_kernel_*; do
	case "$t" in *.d) continue ;; esac
	[ -x "$t" ] && ! skipped "${t#"$BUILD"/}" && tests="$tests $t"
done
for t in tests/cli/t[0-9]*.sh; do
	skipped "$t" || tests="$tests $t"
done
exec prove --exec '' --jobs "${JOBS:-2}" $tests

#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every test with prove: the C unit tests, the randomized differential
# test, the kernel oracle, the CLI scripts and the Python module's tests.
# A failure exits non-zero.
set -e
BUILD=${BUILD:-build/opt}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PGTCTL="$top/$BUILD/pgtctl"
export PGTCTL_TOP="$top"
tests=""
for t in "$BUILD"/tests/unit/t_* "$BUILD"/tests/random/random_ops "$BUILD"/tests/kernel/t_kernel_*; do
	case "$t" in *.d) continue ;; esac
	[ -x "$t" ] && tests="$tests $t"
done
tests="$tests $(ls tests/cli/t[0-9]*.sh) tests/python/run.sh"
exec prove --exec '' --jobs "${JOBS:-2}" $tests

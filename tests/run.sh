#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every test with prove: the C unit tests, the randomized differential
# test, the kernel oracle, the CLI scripts and the Python module's tests.
# A failure exits non-zero. OFFLINE=1 (make test-offline, the Debian
# package's build): no kernel oracle, whose sources are downloaded, and no
# script that runs QEMU (with a downloaded guest kernel, or through
# tests/guest/guest.sh).
set -e
BUILD=${BUILD:-build/opt}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PGTCTL="$top/$BUILD/pgtctl"
export PGTCTL_TOP="$top"
tests=""
for t in "$BUILD"/tests/unit/t_* "$BUILD"/tests/random/random_ops "$BUILD"/tests/kernel/t_kernel_*; do
	case "$t" in *.d) continue ;; */tests/kernel/*) [ "${OFFLINE:-0}" = 1 ] && continue ;; esac
	[ -x "$t" ] && tests="$tests $t"
done
for t in tests/cli/t[0-9]*.sh; do
	[ "${OFFLINE:-0}" = 1 ] && grep -q 'qemu-system-\|/tests/guest/guest\.sh' "$t" && continue
	tests="$tests $t"
done
tests="$tests tests/python/run.sh"
exec prove --exec '' --jobs "${JOBS:-2}" $tests

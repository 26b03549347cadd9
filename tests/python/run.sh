#!/bin/sh
# SPDX-License-Identifier: MIT
# The pgt module's tests: pytest over the module built in $BUILD/python
# (make python), reporting to prove in TAP, a line per test.
set -e
BUILD=${BUILD:-build/opt}
top=$(cd "$(dirname "$0")/../.." && pwd)
export PYTHONPATH="$top/$BUILD/python" LD_LIBRARY_PATH="$top/$BUILD" PYTHONDONTWRITEBYTECODE=1
export PGTCTL="${PGTCTL:-$top/$BUILD/pgtctl}" PGTCTL_TOP="$top"
# a sanitized libpgt.so needs the sanitizers' runtimes loaded first in
# python3, which is not built with them; python3's own allocations are not
# ours to report
case $BUILD in */san)
	LD_PRELOAD="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
	ASAN_OPTIONS=detect_leaks=0
	export LD_PRELOAD ASAN_OPTIONS ;;
esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgt-pytest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# TAP on standard output (descriptor 3 for pytest), pytest's own report
# (whose failures the TAP lines carry) nowhere
status=0
"${PYTHON:-/usr/bin/python3}" -m pytest -q -p no:cacheprovider --tap=3 --basetemp "$tmp/t" \
	--rootdir "$top/tests/python" "$top/tests/python" 3>&1 >/dev/null || status=$?
exit $status

#!/bin/sh
# SPDX-License-Identifier: MIT
# A subset of the suite under valgrind memcheck: the unit tests and the CLI
# scripts that read and write tables, images and dumps. Any memcheck error
# or definite leak fails the run (exit status 99 of the tested program).
# ASan and UBSan cover the whole suite; valgrind also sees what they do
# not: uninitialised reads, and the plain (unsanitized) optimised build.
set -e
BUILD=${BUILD:-build/opt}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"

# the CLI scripts run pgtctl through a wrapper that puts valgrind in front
# (next to pgtctl, where the scripts look for the test tools too)
wrapper="$top/$BUILD/pgtctl-valgrind"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$VG" "$top/$BUILD/pgtctl" >"$wrapper"
chmod +x "$wrapper"
export PGTCTL="$wrapper" PGTCTL_TOP="$top"

units="$BUILD/tests/unit/t_lpae $BUILD/tests/unit/t_formats $BUILD/tests/unit/t_parse $BUILD/tests/unit/t_fault"
clis="tests/cli/t0010-build.sh tests/cli/t0020-translate.sh tests/cli/t0030-dump.sh \
tests/cli/t0040-map-unmap.sh tests/cli/t0110-bad-image.sh tests/cli/t0165-kdump.sh \
tests/cli/t0180-diff-whereis-free.sh tests/cli/t0210-fault.sh"
prove --exec "$VG" --jobs "${JOBS:-2}" $units
exec prove --exec '' --jobs "${JOBS:-2}" $clis

#!/bin/sh
# SPDX-License-Identifier: MIT
# t0161 for Linux 7.3 (Debian's linux-binary-7.3.4+deb13-amd64), whose AMD
# driver builds the v2 table with generic_pt's x86_64, read as 7.3 does
# (--kernel 7.3). tests/guest/x86.sh says how.
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"
. "$PGTCTL_TOP/tests/guest/x86.sh"

x86_amd_v2 "$PGTCTL_TOP/build/guest/x86_64-7.3" 7.3
done_testing

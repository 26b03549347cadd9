#!/bin/sh
# SPDX-License-Identifier: MIT
# t0162 for Linux 7.3 (Debian's linux-binary-7.3.4+deb13-amd64): its AMD
# driver builds the NIC's table with generic_pt's amdv1, whose top grows as
# the IOVAs need (the DTE's Mode says how deep it is), and pgtctl reads it
# as 7.3 does (--kernel 7.3). tests/guest/x86.sh says how.
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"
. "$PGTCTL_TOP/tests/guest/x86.sh"

x86_amd_vi "$PGTCTL_TOP/build/guest/x86_64-7.3" 7.3
done_testing

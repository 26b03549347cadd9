#!/bin/sh
# SPDX-License-Identifier: MIT
# Linux 7.3 behind QEMU's Intel VT-d (intel-iommu, Debian 12's QEMU 7.2) in
# legacy mode: RTADDR_REG names a root table, whose context entry for the
# NIC points at a second-stage table (generic_pt's vtdss, 3 levels for the
# unit's 39-bit address width). tests/guest/x86.sh says what is checked.
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"
. "$PGTCTL_TOP/tests/guest/x86.sh"

x86_vtd "$PGTCTL_TOP/build/guest/x86_64-7.3" qemu-system-x86_64 x-scalable-mode=off intel-vtd-ss 0
done_testing

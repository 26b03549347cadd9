#!/bin/sh
# SPDX-License-Identifier: MIT
# Linux 7.3 behind QEMU 7.2's Intel VT-d in scalable mode
# (x-scalable-mode=on): root and context entries lead to a PASID directory
# and the NIC's PASID entry (RID_PASID 0). QEMU 7.2 offers second-stage
# translation only (ECAP.SLTS, no FLTS), so Linux 7.3 builds a vtdss table
# there, PGTT second stage (intel/iommu.c picks first stage only when the
# unit has FLTS: t0168). tests/guest/x86.sh says what is checked.
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"
. "$PGTCTL_TOP/tests/guest/x86.sh"

x86_vtd "$PGTCTL_TOP/build/guest/x86_64-7.3" qemu-system-x86_64 x-scalable-mode=on intel-vtd-ss 1
done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# AMD v2 tables Linux itself built: Debian's Linux 6.12 with
# amd_iommu=pgtbl_v2 behind QEMU's AMD-Vi, told by the firmware table that
# the IOMMU has GIOSUP, maps the e1000's rings and buffers into a 4-level
# x86-64 table its GCR3 table names. pgtctl must list the NIC with that
# table, translate the ring bases the NIC holds to the pages with its rings,
# find every receive buffer mapped write-only, find the table sound and
# unaided. tests/guest/x86.sh says how.
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"
. "$PGTCTL_TOP/tests/guest/x86.sh"

x86_amd_v2 "$PGTCTL_TOP/build/guest" 6.12
done_testing

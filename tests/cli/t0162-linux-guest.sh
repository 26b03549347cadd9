#!/bin/sh
# SPDX-License-Identifier: MIT
# A table Linux itself built: Debian's Linux 6.12 boots in QEMU with an
# e1000 NIC behind QEMU's AMD-Vi IOMMU and maps the NIC's rings and buffers
# through the DMA API into its AMD v1 page table (io-pgtable's); the
# guest's memory is dumped. pgtctl must find the table unaided (scan), find
# it sound (check), translate every page the NIC kept using exactly as
# QEMU's IOMMU did (its trace is the witness), and, from the Device Table
# Base register QEMU's monitor reads, list the NIC with that table,
# translate through --device as QEMU did, find the device table unaided
# (scan --iommu) and name the NIC as the device that maps its ring pages
# (whereis). tests/guest/x86.sh says how.
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"
. "$PGTCTL_TOP/tests/guest/x86.sh"

x86_amd_vi "$PGTCTL_TOP/build/guest" 6.12
done_testing

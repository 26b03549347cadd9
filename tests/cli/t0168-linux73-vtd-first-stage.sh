#!/bin/sh
# SPDX-License-Identifier: MIT
# Linux 7.3 behind Intel VT-d in scalable mode with first-stage translation
# (x-flts=on: QEMU 10, which make guest unpacks from bookworm-backports
# into build/guest/qemu): with ECAP.FLTS the kernel builds x86-64 paging
# tables (generic_pt's x86_64, 4 levels, FLPM 0) and points the NIC's PASID
# entry at one, PGTT first stage. tests/guest/x86.sh says what is checked.
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"
. "$PGTCTL_TOP/tests/guest/x86.sh"

Q="$PGTCTL_TOP/build/guest/qemu/usr"
X86_QEMU_DIRS="-L $Q/share/seabios -L $Q/share/qemu"
x86_vtd "$PGTCTL_TOP/build/guest/x86_64-7.3" "$Q/bin/qemu-system-x86_64" x-scalable-mode=on,x-flts=on \
	intel-vtd-fs 1
done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# Debian's riscv64 Linux 7 (linux-binary-7.3.4+deb13-riscv64 when the
# mirror serves it, else the newest 7.x of trixie-backports; tests/guest/
# fetch.sh) boots in QEMU 10's virt machine (AIA, for the MSIs the IOMMU
# needs) with an e1000 behind QEMU's RISC-V IOMMU (riscv-iommu-pci: QEMU
# 9.2 or later, unpacked by make guest), Debian's riscv64 busybox as its
# userland (tests/guest/init.sh). Linux's DMA API does not use the IOMMU on
# RISC-V (IOMMU_DMA is an ARM64, X86 and S390 option), so the kernel gives
# the NIC the identity domain: a valid device context with fsc and iohgatp
# Bare, and no page table (and VFIO, the one way user space could get a
# table built, refuses the RISC-V IOMMU: it has no
# IOMMU_CAP_CACHE_COHERENCY). What the kernel did build is its device
# directory; QEMU's trace of every DMA is the witness that the NIC's
# addresses pass untranslated. pgtctl must decode the directory DDTP and the
# capabilities register name (read through the monitor: 3 levels of
# extended contexts, as MSI_FLAT asks), list the NIC in bypass, refuse a
# table for it, find the directory unaided (scan --iommu) and name the NIC
# among the devices that reach its ring pages (whereis).
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"

G="$PGTCTL_TOP/build/guest/riscv64"
Q="$PGTCTL_TOP/build/guest/qemu/usr"
[ -x "$Q/bin/qemu-system-riscv64" ] ||
	{ not_ok "QEMU 10's qemu-system-riscv64 is unpacked (make guest)"; done_testing; exit 1; }
[ -f "$G/Image" ] && [ -f "$G/initramfs.cpio" ] ||
	{ not_ok "the riscv64 guest kernel and initramfs are built (make guest)"; done_testing; exit 1; }

# DDTP (MMIO 0x10) and the capabilities (0x0) read at the dump
GUEST_REGS="riscv-iommu-regs 0x10:8 0x0:8" guest_run \
	"Linux $(sed 's/linux-binary-//; s/-riscv64//' "$G/version") (riscv64, RISC-V IOMMU)" \
	"$Q/bin/qemu-system-riscv64" -L "$Q/share/qemu" -M virt,aia=aplic-imsic -m 256M \
	-display none -nodefaults -no-reboot \
	-kernel "$G/Image" -initrd "$G/initramfs.cpio" -append "console=ttyS0 panic=-1" \
	-device riscv-iommu-pci -device e1000,netdev=n0,romfile= -netdev user,id=n0 \
	-serial file:console.log -monitor unix:mon.sock,server,nowait \
	-trace enable=riscv_iommu_dma,file=trace.log || { done_testing; exit 1; }
grep -q "pgtctl-guest: eth0 up: 0" console.log && grep -q "pgtctl-guest: traffic sent: 20" console.log &&
	ok "the e1000 driver loaded, eth0 came up and sent" ||
	not_ok "eth0 came up and sent" "$(grep pgtctl-guest console.log | tr '\n' '|')"
grep -q "pgtctl-guest: eth0 iommu domain: identity" console.log &&
	ok "the kernel gave the NIC the identity domain (no IOMMU DMA ops on RISC-V)" ||
	not_ok "the NIC's IOMMU domain is the identity one" "$(grep 'iommu domain' console.log)"

# QEMU's witness: every DMA of the NIC passed untranslated
PATTERN='riscv_iommu_dma .* (0x[0-9a-f]+) -> (0x[0-9a-f]+)$'
python3 - "$PATTERN" >witness <<'PY'
import re, sys
p = re.compile(sys.argv[1])
hits = [(int(m.group(1), 16), int(m.group(2), 16)) for m in map(p.search, open("trace.log")) if m]
print(len(hits), sum(1 for i, o in hits if i == o))
PY
read -r n same <witness
[ "$n" -ge 20 ] && [ "$n" = "$same" ] && ok "QEMU's IOMMU passed all $n of the NIC's accesses untranslated" ||
	not_ok "QEMU's IOMMU passed the NIC's accesses untranslated" "$n accesses, $same identity"
nic=$(sed -n 's/^riscv_iommu_dma .* translate \([0-9a-f]*\):\([0-9a-f]*\)\.\([0-7]\) .*/\1 \2 \3/p' trace.log |
	sort -u | while read -r bus dev fn; do printf '0000:%02x:%02x.%x\n' "0x$bus" "0x$dev" "$fn"; done)
[ "$(echo "$nic" | wc -w)" = 1 ] && ok "QEMU's IOMMU saw one device, the NIC ($nic)" ||
	not_ok "QEMU's IOMMU saw one device" "$nic"

# --- the device directory the kernel built -----------------------------------
reg="$(guest_reg 0x10),$(guest_reg 0x0)"
IOMMU="--dump guest.elf --iommu riscv --iommu-reg $reg"
run pgtctl devices $IOMMU -v --json
expect_status 0 "devices: the directory DDTP names decodes without a problem ($reg)"
expect_py "j['iommus'][0]['fields']['iommu_mode'] == '0x4' and j['iommus'][0]['fields']['MSI_FLAT'] == '0x1'" \
	"DDTP: a 3LVL directory, and the capabilities' MSI_FLAT: extended device contexts"
expect_py "[(d['mode'], d['format'], d['chain'][-1]['name']) for d in j['devices'] if d['id'] == '$nic'] == [('bypass', None, 'extended device context')]" \
	"devices: the NIC ($nic) in bypass, its extended context valid with fsc and iohgatp Bare"
run pgtctl translate $IOMMU --device "$nic" 0x1000; expect_out "0x1000 -> 0x1000  bypass  rw" "translate --device: the NIC in bypass reaches the IOVA as its PA, untranslated"
run pgtctl scan --dump guest.elf --iommu riscv --json
expect_py "j['candidates'][0]['root'] == '$(printf '0x%x' $((($(guest_reg 0x10) >> 10 & 0xfffffffffff) << 12)))' and j['candidates'][0]['register'] == '$(guest_reg 0x10),0x400000'" \
	"scan --iommu: the directory ranks first, unaided, with DDTP and MSI_FLAT as the IOMMU has them"
guest_steady "$PATTERN" >stable
ring=$(head -n 1 stable | cut -d' ' -f2)
[ -n "$ring" ] && ok "the NIC used a page ($ring) steadily" || not_ok "the NIC used a page steadily"
run pgtctl whereis $IOMMU --json "${ring:-0}"
expect_py "j['mappings'] == [] and '$nic' in j['bypass']" \
	"whereis $ring: no table maps the NIC's ring page, and the NIC, in bypass, reaches it"
done_testing

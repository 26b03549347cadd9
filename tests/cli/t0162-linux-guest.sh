#!/bin/sh
# SPDX-License-Identifier: MIT
# A table Linux itself built: Debian's Linux 6.12 boots in QEMU with an
# e1000 NIC behind QEMU's AMD-Vi IOMMU, maps the NIC's rings and buffers
# through the DMA API into its AMD v1 page table, and the guest's memory is
# dumped. QEMU traces every translation its IOMMU makes (IOVA -> page), a
# witness independent of both the kernel and pgtctl. pgtctl must find the
# table in the dump without being told where (scan), find it sound (check),
# and translate every page the NIC kept using exactly as QEMU did. Then from
# the IOMMU's own structures: with the Device Table Base register QEMU's
# monitor reads from the IOMMU's MMIO, pgtctl must list the NIC among the
# devices with that same table, translate through --device as QEMU did,
# find the device table unaided (scan --iommu) and name the NIC as the
# device that maps its ring pages (whereis).
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"

G="$PGTCTL_TOP/build/guest"
command -v qemu-system-x86_64 >/dev/null ||
	{ not_ok "qemu-system-x86_64 is installed (make check-deps)"; done_testing; exit 1; }
[ -f "$G/vmlinuz" ] && [ -f "$G/initramfs.cpio" ] ||
	{ not_ok "the guest kernel and initramfs are built (make guest)"; done_testing; exit 1; }

# q35 with the IOMMU before the NIC it translates for; no option ROM; the
# serial console and the IOMMU's translations in files; the Device Table
# Base register (MMIO 0x0) read at the dump
GUEST_REGS="amdvi-mmio 0x0:8" guest_run "Linux $(sed 's/linux-image-//; s/-amd64-unsigned//' "$G/version") (x86_64, AMD-Vi)" \
	qemu-system-x86_64 -M q35 -m 128M -display none -nodefaults -no-reboot \
	-kernel "$G/vmlinuz" -initrd "$G/initramfs.cpio" -append "$GUEST_X86_APPEND" \
	-device amd-iommu,intremap=off -device e1000,netdev=n0,romfile= -netdev user,id=n0 \
	-serial file:console.log -monitor unix:mon.sock,server,nowait \
	-trace enable=amdvi_translation_result,file=trace.log || { done_testing; exit 1; }
grep -q "pgtctl-guest: eth0 up: 0" console.log && grep -q "pgtctl-guest: datagrams sent: 20" console.log &&
	ok "the e1000 driver loaded, eth0 came up and sent" ||
	not_ok "eth0 came up and sent" "$(grep pgtctl-guest console.log | tr '\n' '|')"

# scan: the best candidate is the kernel's table, not one of the CPU's page
# tables that also decode as AMD v1
run pgtctl scan --dump guest.elf --format amd-iommu-v1 --json
expect_status 0 "scan"
root=$(python3 -c "import json; print(json.load(open('out'))['candidates'][0]['root'])")
expect_py 'j["candidates"][0]["pages"] >= 8 and j["candidates"][0]["problems"] == 0' \
	"scan ranks a table of NIC mappings first (root $root)"
SRC="--dump guest.elf --format amd-iommu-v1 --mode 3 --root $root"
run pgtctl check $SRC
expect_status 0 "check: the kernel's table has no malformed descriptor"

# QEMU's witness: the pages the NIC used again and again at one address
# are its descriptor rings, mapped (dma_alloc_coherent) for as long as the
# interface is up; packet buffers were used a few times each, some unmapped
PATTERN='amdvi_translation_result .* gpa (0x[0-9a-f]+) hpa (0x[0-9a-f]+)'
guest_agree "$PATTERN" $SRC

# the table as pgtctl sees it: the DMA API's IOVAs, below 4G; receive
# buffers mapped DMA_FROM_DEVICE (write only), rings both ways
run pgtctl dump --json $SRC
expect_py 'len(j["mappings"]) > 0 and all(int(m["iova"], 16) + int(m["size"], 16) <= 1 << 32 for m in j["mappings"])' \
	"dump: the DMA API's mappings, all below 4G"
expect_py '{tuple(m["prot"]) for m in j["mappings"]} >= {("write",), ("read", "write")}' \
	"dump: write-only receive buffers and read-write rings"
maps=$(python3 -c 'import json; print(len(json.load(open("out"))["mappings"]))')

# --- from the IOMMU's own structures ---------------------------------------
reg=$(guest_reg 0x0)
nic=$(sed -n 's/^amdvi_translation_result devid: \([0-9a-f:.]*\) .*/\1/p' trace.log | sort -u)
[ "$(echo "$nic" | wc -w)" = 1 ] && ok "QEMU's IOMMU translated for one device, the NIC ($nic)" ||
	not_ok "QEMU's IOMMU translated for one device" "$nic"
guest_iommu "0000:$nic" "$root" amd-iommu-v1 "$maps" "$PATTERN" "$(printf '0x%x' $((reg & ~0xfff)))" \
	--dump guest.elf --iommu amd-vi --iommu-reg "$reg"
run pgtctl devices --dump guest.elf --iommu amd-vi --iommu-reg "$reg" --json
expect_py "[d['config']['mode'] for d in j['devices'] if d['id'] == '0000:$nic'] == [3]" \
	"devices: the NIC's DTE gives its table 3 levels (Mode 3), as the kernel's v1 domain has"
done_testing

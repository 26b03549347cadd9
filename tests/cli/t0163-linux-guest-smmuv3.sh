#!/bin/sh
# SPDX-License-Identifier: MIT
# A table Linux built, in the LPAE stage-1 format: the kernel of Debian's
# arm64 installer boots in QEMU's virt machine with an e1000 behind QEMU's
# SMMUv3 and maps the NIC's rings and buffers through the DMA API into an
# io-pgtable ARM_64_LPAE_S1 table. QEMU traces the table's base as it reads
# the context descriptor, and every translation its SMMU makes. pgtctl must
# find exactly that base in the dump, ranked above the CPU's own page tables
# (the same format), find the table sound, and translate every page the NIC
# kept using as QEMU's SMMU did. Then from the SMMU's own structures: with
# STRTAB_BASE and STRTAB_BASE_CFG read through QEMU's monitor, pgtctl must
# list the NIC's stream with that table and the configuration of its CD,
# translate through --device as QEMU did, find the stream table unaided
# (scan --iommu) and name the NIC's stream for its ring pages (whereis).
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"

G="$PGTCTL_TOP/build/guest/arm64"
command -v qemu-system-aarch64 >/dev/null ||
	{ not_ok "qemu-system-aarch64 is installed (make check-deps)"; done_testing; exit 1; }
[ -f "$G/linux" ] && [ -f "$G/initramfs.cpio" ] ||
	{ not_ok "the arm64 guest kernel and initramfs are built (make guest)"; done_testing; exit 1; }

GUEST_REGS="arm-smmuv3 0x80:8 0x88:4" guest_run "Linux $(cat "$G/version") (arm64, SMMUv3)" \
	qemu-system-aarch64 -M virt,iommu=smmuv3 -cpu cortex-a57 -m 1G -display none -nodefaults \
	-no-reboot -kernel "$G/linux" -initrd "$G/initramfs.cpio" -append "console=ttyAMA0 panic=-1" \
	-device e1000,netdev=n0,romfile= -netdev user,id=n0 \
	-serial file:console.log -monitor unix:mon.sock,server,nowait \
	-trace enable=smmuv3_translate_success,file=trace.log \
	-trace enable=smmuv3_decode_cd_tt,file=trace.log || { done_testing; exit 1; }
grep -q "pgtctl-guest: eth0 up: 0" console.log && grep -q "pgtctl-guest: traffic sent: 20" console.log &&
	ok "the e1000 driver loaded, eth0 came up and sent" ||
	not_ok "eth0 came up and sent" "$(grep pgtctl-guest console.log | tr '\n' '|')"

# the table base the SMMU read from the stream's context descriptor (TT0)
ttb=$(sed -n 's/^smmuv3_decode_cd_tt TT\[0\]:tsz:\([0-9]*\) ttb:\(0x[0-9a-f]*\) .*/\2/p' trace.log | sort -u)
tsz=$(sed -n 's/^smmuv3_decode_cd_tt TT\[0\]:tsz:\([0-9]*\) ttb:.*/\1/p' trace.log | sort -u)
[ "$(echo "$ttb" | wc -w)" = 1 ] && ok "QEMU's SMMU read one table base, $ttb (T0SZ $tsz)" ||
	not_ok "QEMU's SMMU read one table base" "$ttb"

run pgtctl scan --dump guest.elf --format arm-64-lpae-s1 --ias $((64 - tsz)) --json
expect_status 0 "scan"
expect_py "j['candidates'][0]['root'] == '$ttb' and j['candidates'][0]['problems'] == 0" \
	"scan ranks the SMMU's table first, above the CPU's page tables"
SRC="--dump guest.elf --format arm-64-lpae-s1 --ias $((64 - tsz)) --root $ttb"
run pgtctl check $SRC
expect_status 0 "check: the kernel's table has no malformed descriptor"

PATTERN='smmuv3_translate_success .* iova=(0x[0-9a-f]+) translated=(0x[0-9a-f]+)'
guest_agree "$PATTERN" $SRC

run pgtctl dump --json $SRC
expect_py 'len(j["mappings"]) > 0 and all(int(m["iova"], 16) + int(m["size"], 16) <= 1 << 32 for m in j["mappings"])' \
	"dump: the DMA API's mappings, all below 4G"
expect_py 'all("read" in m["prot"] and "cache" in m["prot"] for m in j["mappings"])' \
	"dump: every mapping readable (stage 1 has no write-only) and cacheable (a coherent SMMU)"

# --- from the SMMU's own structures -------------------------------------------
maps=$(python3 -c 'import json; print(len(json.load(open("out"))["mappings"]))')
reg="$(guest_reg 0x80),$(guest_reg 0x88)"
sid=$(sed -n 's/^smmuv3_translate_success .* sid=\(0x[0-9a-f]*\) .*/\1/p' trace.log | sort -u)
[ "$(echo "$sid" | wc -w)" = 1 ] && ok "QEMU's SMMU translated for one stream, the NIC's ($sid)" ||
	not_ok "QEMU's SMMU translated for one stream" "$sid"
guest_iommu "$sid" "$ttb" arm-64-lpae-s1 "$maps" "$PATTERN" \
	"$(printf '0x%x' $(($(guest_reg 0x80) & 0xffffffffffc0)))" \
	--dump guest.elf --iommu smmuv3 --iommu-reg "$reg"
run pgtctl devices --dump guest.elf --iommu smmuv3 --iommu-reg "$reg" --json
expect_py "[d['config']['ias'] for d in j['devices'] if d['id'] == '$sid'] == [64 - $tsz]" \
	"devices: the CD's T0SZ ($tsz) gives the stream's table ias 64 - T0SZ"
done_testing

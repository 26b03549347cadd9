#!/bin/sh
# SPDX-License-Identifier: MIT
# The drgn helper (pgt.drgn) on vmcores of Linux guests: Debian's 6.12
# boots in QEMU behind AMD-Vi (io-pgtable's AMD v1), then behind VT-d in
# scalable mode (the driver's own second stage), Debian's 7.3 behind
# AMD-Vi (generic_pt's amdv1), and the arm64 installer's 6.1 behind SMMUv3
# (io-pgtable's LPAE stage 1), each with an e1000 NIC and QEMU's
# vmcoreinfo device, to which the guest's qemu_fw_cfg module gives the
# kernel's VMCOREINFO; QEMU dumps the guest's memory.
# With the kernel's Debian debug info and nothing else (no register, no
# scan), the helper must name the NIC by its pci_dev (BDF, 8086:100e,
# e1000) with the domain the kernel attached; the root register it says
# the driver wrote must be the one QEMU's monitor reads; the domain's table
# must be the one the IOMMU's own structures give the NIC (pgtctl
# devices); every page QEMU's trace saw the NIC use steadily must
# translate as QEMU translated it, and whereis must find the NIC back at
# the IOVA QEMU saw; drgn's own command line must run it as a script.
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"

# each guest (make guest) and its kernel's debug info (make guest-dbg)
G="$PGTCTL_TOP/build/guest"
D="$PGTCTL_TOP/build/guest-dbg"
command -v drgn >/dev/null ||
	{ not_ok "drgn is installed (python3-drgn: make check-deps)"; done_testing; exit 1; }
command -v qemu-system-x86_64 >/dev/null ||
	{ not_ok "qemu-system-x86_64 is installed (make check-deps)"; done_testing; exit 1; }
command -v qemu-system-aarch64 >/dev/null ||
	{ not_ok "qemu-system-aarch64 is installed (make check-deps)"; done_testing; exit 1; }
for f in "$G/vmlinuz" "$G/initramfs.cpio" "$G/x86_64-7.3/vmlinuz" "$G/x86_64-7.3/initramfs.cpio" \
	"$G/arm64/linux" "$D/arm64/initramfs.cpio" "$D/x86_64-6.12/vmlinux" "$D/x86_64-7.3/vmlinux" \
	"$D/arm64/vmlinux"; do
	[ -f "$f" ] ||
		{ not_ok "the guests and their kernels' debug info are there (make guest guest-dbg)" "no $f"; done_testing; exit 1; }
done
# the Python drgn runs on, with pgt where make python builds it (a
# sanitized libpgt.so needs the sanitizers' runtimes first, as
# tests/python/run.sh says)
PY=$(sed -n '1s/^#! *//p' "$(command -v drgn)")
B=$(dirname "$PGTCTL")
export PYTHONPATH="$B/python" LD_LIBRARY_PATH="$B" PYTHONDONTWRITEBYTECODE=1
case $B in */san)
	LD_PRELOAD="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
	ASAN_OPTIONS=detect_leaks=0
	export LD_PRELOAD ASAN_OPTIONS ;;
esac
[ -f "$B/python/pgt/drgn/iommu.py" ] ||
	{ not_ok "the pgt module is built (make python)"; done_testing; exit 1; }
helper() { "$PY" -m pgt.drgn -c guest.elf -s "$VMLINUX" "$@"; }

# boot_x86 DIR NAME IOMMU-DEVICE EVENT [KERNEL-ARGS]: the guest in DIR on
# q35 with an e1000 behind QEMU's IOMMU-DEVICE, tracing EVENT
boot_x86() {
	bx_dir=$1 bx_name=$2 bx_dev=$3 bx_event=$4
	shift 4
	guest_run "Linux $(sed 's/linux-image-//; s/linux-binary-//; s/-unsigned//' "$bx_dir/version") (x86_64, $bx_name)" \
		qemu-system-x86_64 -M q35 -m 128M -display none -nodefaults -no-reboot \
		-kernel "$bx_dir/vmlinuz" -initrd "$bx_dir/initramfs.cpio" \
		-append "$GUEST_X86_APPEND $*" \
		-device "$bx_dev" -device e1000,netdev=n0,romfile= -netdev user,id=n0 \
		-device vmcoreinfo -serial file:console.log -monitor unix:mon.sock,server,nowait \
		-trace "enable=$bx_event,file=trace.log"
}

# boot_arm64: the arm64 installer's Linux on virt with an e1000 behind
# QEMU's SMMUv3, its initrd with the kernel's qemu_fw_cfg
boot_arm64() {
	guest_run "Linux $(cat "$G/arm64/version") (arm64, SMMUv3)" \
		qemu-system-aarch64 -M virt,iommu=smmuv3 -cpu cortex-a57 -m 512M -display none \
		-nodefaults -no-reboot -kernel "$G/arm64/linux" \
		-initrd "$D/arm64/initramfs.cpio" -append "console=ttyAMA0 panic=-1" \
		-device e1000,netdev=n0,romfile= -netdev user,id=n0 \
		-device vmcoreinfo -serial file:console.log -monitor unix:mon.sock,server,nowait \
		-trace "enable=smmuv3_translate_success,file=trace.log"
}

# drgn_guest VMLINUX KIND REGS PATTERN ID-SED BOOT ARGS...: boot (BOOT
# ARGS..., reading the IOMMU's root register as GUEST_REGS=REGS says), then
# the helper's checks on the dump with VMLINUX: KIND is pgt's IOMMU kind,
# PATTERN matches QEMU's trace lines (IOVA, page), ID-SED gives the ID QEMU
# knows the NIC by (a BDF, or a stream ID)
drgn_guest() {
	VMLINUX=$1 dg_kind=$2 GUEST_REGS=$3 dg_pattern=$4 dg_sed=$5
	shift 5
	rm -f console.log trace.log guest.elf regs mon.sock qemu.log
	"$@" || return 1
	grep -q "pgtctl-guest: qemu_fw_cfg loaded: 0" console.log &&
		grep -q "pgtctl-guest: eth0 up: 0" console.log &&
		ok "qemu_fw_cfg and e1000 loaded, eth0 came up" ||
		not_ok "qemu_fw_cfg and e1000 loaded, eth0 came up" "$(grep pgtctl-guest console.log | tr '\n' '|')"
	reg=$(awk '{ printf "%s%s", sep, $2; sep = "," }' regs)
	qid=$(sed -n "$dg_sed" trace.log | sort -u)
	[ "$(echo "$qid" | wc -w)" = 1 ] && ok "QEMU's IOMMU translated for one device, the NIC ($qid)" ||
		not_ok "QEMU's IOMMU translated for one device" "$qid"

	run helper units --json
	cp out units.json
	expect_py "[(u['kind'], [int(v, 0) for v in u['register'].split(',')]) for u in j] == [('$dg_kind', [int(v, 0) for v in '$reg'.split(',')])]" \
		"units: one $dg_kind IOMMU, whose root register the driver wrote is the one QEMU holds ($reg)"
	run helper devices --json
	expect_status 0 "devices: every device's entry in the IOMMU's structures agrees with its domain"
	cp out devices.json
	# the device QEMU saw: by its BDF, or by its stream ID
	nic=$(python3 -c "import json,sys; print(' '.join(d['name'] for d in json.load(open('devices.json'))['devices'] if d['name'] == '0000:$qid' or '$qid' in [i['id'] for i in d['ids']]))" 2>/dev/null)
	hwid=0000:$qid
	[ "$dg_kind" = smmuv3 ] && hwid=$qid
	expect_py "[[(e['agrees'], e['mode']) for e in d['entries']] for d in j['devices'] if d['name'] == '$nic'] == [[(True, 'translated')]]" \
		"devices: the NIC's entry, reached from the register the driver wrote, translates through the domain's table"
	expect_py "[(d['pci'], d['driver'], d['domain']['type'] in ('dma', 'dma-fq'), d['domain']['mappings'] > 0) for d in j['devices'] if d['name'] == '$nic'] == [('8086:100e', 'e1000', True, True)]" \
		"devices: the NIC ($nic) by its pci_dev, 8086:100e bound to e1000, in a DMA domain with mappings"
	run pgtctl devices --dump guest.elf --iommu "$dg_kind" --iommu-reg "$reg" --json
	python3 - "$nic" "$hwid" >verdict 2>&1 <<'PY'
import json, sys
nic, hwid = sys.argv[1:]
try:
    kernel = [d["domain"] for d in json.load(open("devices.json"))["devices"] if d["name"] == nic]
    hw = [d for d in json.load(open("out"))["devices"] if d["id"] == hwid]
except ValueError as e:
    sys.exit("not JSON: %s" % e)
print("agree" if len(kernel) == len(hw) == 1 and
      [kernel[0][k] for k in ("format", "roots", "id", "mappings")] ==
      [hw[0][k] for k in ("format", "roots", "domain", "mappings")] else
      "kernel %s | IOMMU %s" % (kernel, hw))
PY
	[ "$(cat verdict)" = agree ] &&
		ok "the kernel's domain is the table, format and domain ID the IOMMU's structures give the NIC, with as many mappings read through drgn as pgtctl reads in the dump" ||
		not_ok "the kernel's domain agrees with the IOMMU's structures" "$(cat verdict)"

	guest_steady "$dg_pattern" >stable
	n=$(wc -l <stable)
	[ "$n" -ge 2 ] && ok "QEMU saw the NIC use $n pages (its rings) steadily" ||
		not_ok "QEMU saw steady pages" "$n: $(tr '\n' ' ' <stable)"
	# shellcheck disable=SC2046
	run helper translate --json "$nic" $(cut -d' ' -f1 stable)
	python3 - <<'PY' >verdict
import json
want = [l.split() for l in open("stable")]
try:
    got = json.load(open("out"))
except ValueError:
    got = []
bad = [(w, g) for w, g in zip(want, got) if not g["pa"] or int(g["pa"], 16) & ~0xfff != int(w[1], 16)]
print("%d of %d agree" % (len(want) - len(bad), len(want)) if len(want) == len(got) else "lines differ")
for w, g in bad[:5]:
    print(" ".join(w), "|", g)
PY
	[ "$(head -n 1 verdict)" = "$n of $n agree" ] &&
		ok "translate: each of them walks to the page QEMU's IOMMU used" ||
		not_ok "translate agrees with QEMU's IOMMU" "$(tr '\n' '|' <verdict)" "$(head -c 300 err)"
	read -r iova page <stable
	run helper whereis --json "$page"
	expect_py "[(m['devices'], int(m['iova'], 16) & ~0xfff) for m in j['mappings']] == [(['$nic'], $iova)]" \
		"whereis $page: the NIC alone maps it, at the IOVA QEMU saw ($iova)"

	# drgn's own command line: the same devices
	run drgn -q -c guest.elf -s "$VMLINUX" "$B/python/pgt/drgn/iommu.py" devices --json
	[ "$status" = 0 ] && grep -q "\"$nic\"" out && cmp -s out devices.json &&
		ok "drgn -c ... iommu.py devices: the same as python3 -m pgt.drgn" ||
		not_ok "drgn's command line runs the helper as a script" "$(head -c 300 out)" "$(head -c 300 err)"
}

AMD='amdvi_translation_result .* gpa (0x[0-9a-f]+) hpa (0x[0-9a-f]+)'
AMD_NIC='s/^amdvi_translation_result devid: \([0-9a-f:.]*\) .*/\1/p'
drgn_guest "$D/x86_64-6.12/vmlinux" amd-vi "amdvi-mmio 0x0:8" "$AMD" "$AMD_NIC" \
	boot_x86 "$G" AMD-Vi amd-iommu,intremap=off amdvi_translation_result

# what the helper refuses, and says why
run helper translate 0000:00:1e.7 0x1000
expect_status 1 "translate through a device there is not: refused"
expect_err_has "no device named '0000:00:1e.7'" "and named"
run helper translate "$nic" 0x1234zz
expect_status 2 "an IOVA that is not a number: a usage error"
run "$PY" -m pgt.drgn -c guest.elf -s /bin/true devices
expect_status 2 "debug info of another build: refused"
expect_err_has "/bin/true: not the dumped kernel's debug info" "and said so"
run "$PY" -m pgt.drgn -c guest.elf devices
expect_status 2 "no debug info given: a usage error"
expect_err_has "no debug info: -s VMLINUX" "and says what to give"
run "$PY" -m pgt.drgn -c /bin/true -s "$VMLINUX" devices
expect_status 2 "a file that is no vmcore: refused"
expect_err_has "pgt.drgn: /bin/true: " "and named"

# the check can fail: the NIC's DTE (devid * 32 into the device table)
# made to point at another domain's table
cp guest.elf bad.elf && chmod u+w bad.elf
"$PY" - "$nic" >poke 2>&1 <<'PY'
import json, sys
import pgt
nic = sys.argv[1]
devices = json.load(open("devices.json"))["devices"]
dev = [d for d in devices if d["name"] == nic][0]
other = [d for d in devices if d["domain"]["roots"] != dev["domain"]["roots"]][0]
table = int(json.load(open("units.json"))[0]["register"], 16) & ~0xfff
dte = table + 32 * int(dev["ids"][0]["id"], 16)
word = int.from_bytes(pgt.Memory.dump("guest.elf").read(dte, 8), "little")
root_bits = ((1 << 52) - 1) & ~0xfff
print("0x%x 0x%x" % (dte, word & ~root_bits | int(other["domain"]["roots"][0], 16)))
PY
# shellcheck disable=SC2046
elftool poke bad.elf $(cat poke) >/dev/null 2>&1
run "$PY" -m pgt.drgn -c bad.elf -s "$VMLINUX" devices
expect_status 1 "a DTE that points elsewhere than the kernel's domain: devices fails"
expect_err_has "disagree with the kernel's domain of $nic" "and names the device ($(cat poke))"
[ "$(grep -c DIFFERS out)" = 1 ] && grep -q "^$nic .* DIFFERS " out &&
	ok "its ENTRY, and only its, DIFFERS" || not_ok "the NIC's ENTRY alone DIFFERS" "$(tr '\n' '|' <out)"
rm -f bad.elf

drgn_guest "$D/x86_64-6.12/vmlinux" intel-vtd "intel_iommu 0x20:8" \
	'vtd_dmar_translate .* iova (0x[0-9a-f]+) -> gpa (0x[0-9a-f]+)' \
	's/^vtd_dmar_translate dev \([0-9a-f]*:[0-9a-f]*\)\.0*\([0-7]\) .*/\1.\2/p' \
	boot_x86 "$G" "VT-d, scalable mode" intel-iommu,intremap=off,x-scalable-mode=on \
	vtd_dmar_translate intel_iommu=on

# 7.3's AMD driver: generic_pt's amdv1, found from the domain's pt_iommu
drgn_guest "$D/x86_64-7.3/vmlinux" amd-vi "amdvi-mmio 0x0:8" "$AMD" "$AMD_NIC" \
	boot_x86 "$G/x86_64-7.3" AMD-Vi amd-iommu,intremap=off amdvi_translation_result
expect_py "[(d['domain']['format'], d['domain']['config'], d['domain']['kernel']) for d in j['devices'] if d['name'] == '$nic'] == [('amd-iommu-v1', {'mode': 3}, '7.3')]" \
	"Linux 7.3's NIC domain: amdv1 as generic_pt built it, 3 levels (its top_of_table), walked as 7.3 walks it"

# arm64: the SMMUv3 driver's arm_smmu_domain and its io-pgtable
drgn_guest "$D/arm64/vmlinux" smmuv3 "arm-smmuv3 0x80:8 0x88:4" \
	'smmuv3_translate_success .* iova=(0x[0-9a-f]+) translated=(0x[0-9a-f]+)' \
	's/^smmuv3_translate_success .* sid=\(0x[0-9a-f]*\) .*/\1/p' boot_arm64
expect_py "[(d['domain']['format'], d['domain']['id_name'], d['iommu'].endswith('.smmuv3')) for d in j['devices'] if d['name'] == '$nic'] == [('arm-64-lpae-s1', 'ASID', True)]" \
	"the NIC's arm_smmu_domain: an io-pgtable ARM_64_LPAE_S1 table and its ASID, on the SMMU's platform device"
done_testing

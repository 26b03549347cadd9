#!/bin/sh
# SPDX-License-Identifier: MIT
# Debian's riscv64 Linux 7 (linux-binary-7.3.4+deb13-riscv64 when the
# mirror serves it, else the newest 7.x of trixie-backports; tests/guest/
# fetch.sh) boots in QEMU 10's virt machine (AIA, for the MSIs the IOMMU
# needs) with an e1000 behind QEMU's RISC-V IOMMU (riscv-iommu-pci: QEMU
# 9.2 or later, unpacked by make guest), Debian's riscv64 busybox as its
# userland (tests/guest/init.sh). Linux's DMA API does not use the IOMMU on
# RISC-V (IOMMU_DMA is an ARM64, X86 and S390 option), so the kernel gives
# its devices the identity domain (and VFIO, the one way user space could
# get a table built, refuses the RISC-V IOMMU: it has no
# IOMMU_CAP_CACHE_COHERENCY). So a test module of ours, rvdomain (tests/
# guest/rvdomain, built against the kernel's headers), loaded once eth0 is
# up, has the kernel's RISC-V IOMMU driver build a paging domain (generic_pt
# riscv64, the Sv mode the driver picks from the IOMMU's capabilities) and
# attach it to the NIC: RAM mapped at IOVA == PA (the addresses the driver
# gave so far) and again at PA + an offset, which the NIC's DMA addresses
# carry from then on (its DMA range map), and pages of its own at a high
# IOVA, each holding its IOVA's name, one 64K block of them a Svnapot leaf;
# and it sets the IOMMU's first performance counter to count the
# first-stage walks for the NIC. The witnesses: QEMU's trace of every DMA
# (the offset ones land at PA) and that counter, read through the monitor.
# pgtctl must decode the directory DDTP and the capabilities register name
# (3 levels of extended contexts, as MSI_FLAT asks), list the NIC
# translated by the kernel's table and the host bridge in bypass, translate
# every page the NIC used to QEMU's and the module's IOVAs to the pages
# holding their names, dump the table as the module mapped it, build the
# kernel's very descriptors from that dump, check it clean, find it unaided
# (scan --format, given the Sv mode) and the directory (scan --iommu), and
# name the NIC's IOVAs of a page (whereis).
. "$(dirname "$0")/lib.sh"
. "$PGTCTL_TOP/tests/guest/guest.sh"

G="$PGTCTL_TOP/build/guest/riscv64"
Q="$PGTCTL_TOP/build/guest/qemu/usr"
[ -x "$Q/bin/qemu-system-riscv64" ] ||
	{ not_ok "QEMU 10's qemu-system-riscv64 is unpacked (make guest)"; done_testing; exit 1; }
[ -f "$G/Image" ] && [ -f "$G/initramfs.cpio" ] ||
	{ not_ok "the riscv64 guest kernel and initramfs are built (make guest)"; done_testing; exit 1; }

[ -f "$G/rvdomain.ko" ] && ok "the test module rvdomain built for the guest's kernel" ||
	not_ok "the test module rvdomain built (make guest)" \
		"$(grep -i 'error\|not found' "$G/rvdomain.log" 2>&1 | head -n 5 | tr '\n' '|')"

# DDTP (MMIO 0x10), the capabilities (0x0), the first performance counter
# (iohpmctr1, 0x68) and its event (iohpmevt1, 0x160) read at the dump
GUEST_REGS="riscv-iommu-regs 0x10:8 0x0:8 0x68:8 0x160:8" guest_run \
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
nic=$(sed -n 's/^riscv_iommu_dma .* translate \([0-9a-f]*\):\([0-9a-f]*\)\.\([0-7]\) .*/\1 \2 \3/p' trace.log |
	sort -u | while read -r bus dev fn; do printf '0000:%02x:%02x.%x\n' "0x$bus" "0x$dev" "$fn"; done)
[ "$(echo "$nic" | wc -w)" = 1 ] && ok "QEMU's IOMMU saw one device, the NIC ($nic)" ||
	not_ok "QEMU's IOMMU saw one device" "$nic"
grep -q "pgtctl-guest: rvdomain loaded: 0" console.log &&
	grep -q "rvdomain: attached a paging domain to $nic" console.log &&
	ok "rvdomain: the kernel built a paging domain and attached it to the NIC" ||
	not_ok "rvdomain: the kernel attached a paging domain to the NIC" \
		"$(grep 'rvdomain' console.log | tr '\n' '|')"

# QEMU's witnesses: the IOMMU sent each of the NIC's accesses to the page
# the driver meant, the addresses given before the attach (IOVA == PA) and
# after it (PA + the DMA offset, which only the table undoes) alike; and it
# walked a first-stage table for them: the counter rvdomain set counts
# those walks of the NIC (event 7, DV, the NIC's device ID), none in bypass
tr -d '\r' <console.log >console
offset=$(sed -n 's/.*rvdomain: DMA offset \(0x[0-9a-f]*\) for .*/\1/p' console)
PATTERN='riscv_iommu_dma .* (0x[0-9a-f]+) -> (0x[0-9a-f]+)$'
python3 - "$PATTERN" "${offset:-0}" >witness <<'PY'
import re, sys
p = re.compile(sys.argv[1])
offset = int(sys.argv[2], 16)
hits = [(int(m.group(1), 16) & ~0xfff, int(m.group(2), 16) & ~0xfff)
        for m in map(p.search, open("trace.log")) if m]
print(len(hits), sum(1 for i, o in hits if i == o), sum(1 for i, o in hits if i == o + offset))
with open("traced", "w") as out:
    for i, o in sorted(set(hits)):
        out.write("0x%x 0x%x\n" % (i, o))
PY
read -r n same moved <witness
[ "$n" -ge 20 ] && [ "$moved" -gt 0 ] && [ "$n" = $((same + moved)) ] &&
	ok "QEMU's IOMMU sent $moved of the NIC's $n accesses from PA + $offset to PA, the rest IOVA == PA" ||
	not_ok "QEMU's IOMMU sent the NIC's accesses to the driver's pages" \
		"$n accesses, $same at IOVA == PA, $moved at PA + ${offset:-?}"
# shellcheck disable=SC2046
set -- $(echo "$nic" | tr ':.' '  ')
devid=$((0x${2:-0} << 8 | 0x${3:-0} << 3 | ${4:-0}))
walks=$(guest_reg 0x68)
[ "$(guest_reg 0x160)" = "$(printf '0x%x' $((7 | 1 << 61 | devid << 36)))" ] && [ $((walks)) -gt 0 ] &&
	ok "the IOMMU walked a first-stage table $((walks)) times for the NIC (iohpmctr1)" ||
	not_ok "the IOMMU walked a first-stage table for the NIC" \
		"iohpmevt1 $(guest_reg 0x160), iohpmctr1 $walks"

# --- the device directory and the table the kernel built ---------------------
reg="$(guest_reg 0x10),$(guest_reg 0x0)"
IOMMU="--dump guest.elf --iommu riscv --iommu-reg $reg"
caps=$(guest_reg 0x0)
# the Sv mode riscv_iommu_alloc_paging_domain() picks: the largest the
# capabilities offer
if [ $((caps >> 11 & 1)) = 1 ]; then sv=57; elif [ $((caps >> 10 & 1)) = 1 ]; then sv=48; else sv=39; fi
run pgtctl devices $IOMMU -v --json
expect_status 0 "devices: the directory DDTP names decodes without a problem ($reg)"
expect_py "j['iommus'][0]['fields']['iommu_mode'] == '0x4' and j['iommus'][0]['fields']['MSI_FLAT'] == '0x1'" \
	"DDTP: a 3LVL directory, and the capabilities' MSI_FLAT: extended device contexts"
root=$(python3 -c "
import json
d = [d for d in json.load(open('out'))['devices'] if d['id'] == '$nic'][0]
print('0x%x' % (int([f['value'] for f in d['chain'][-1]['fields'] if f['name'] == 'fsc.PPN'][0], 16) << 12))" 2>/dev/null)
expect_py "[(d['mode'], d['format'], d['roots'], d['config']['ias'], [f.get('meaning') for f in d['chain'][-1]['fields'] if f['name'] == 'fsc.MODE']) for d in j['devices'] if d['id'] == '$nic'] == [('translated', 'riscv-iommu', ['$root'], $sv, ['Sv$sv'])]" \
	"devices: the NIC ($nic) translated by its riscv-iommu table at $root, fsc Sv$sv as the driver chose"
python3 -c "import json; print(json.dumps([d['config'] for d in json.load(open('out'))['devices'] if d['id'] == '$nic'][0]))" >nic-config.json 2>/dev/null
expect_py "[(d['mode'], d['format'], d['chain'][-1]['name']) for d in j['devices'] if d['id'] == '0000:00:00.0'] == [('bypass', None, 'extended device context')]" \
	"devices: the host bridge in bypass, its extended context valid with fsc and iohgatp Bare"
run pgtctl translate $IOMMU --device 0000:00:00.0 0x1000
expect_out "0x1000 -> 0x1000  bypass  rw" "translate --device: the host bridge, in bypass, reaches the IOVA as its PA, untranslated"

guest_translates traced "translate --device: each of the $(wc -l <traced) pages the NIC used goes where QEMU's IOMMU sent it" \
	$IOMMU --device "$nic"

# rvdomain's own pages: pgtctl's translation of each IOVA is the page the
# module mapped, and that page holds the IOVA's name
sed -n 's/.*rvdomain: page \(0x[0-9a-f]*\) -> \(0x[0-9a-f]*\)$/\1 \2/p' console >pages
cut -d' ' -f1 pages | pgtctl translate $IOMMU --device "$nic" - >translated 2>err
python3 - <<'PY' >verdict
import struct
want = [l.split() for l in open("pages")]
got = [l.split() for l in open("translated")]
dump = open("guest.elf", "rb")
head = dump.read(64)
phoff, = struct.unpack_from("<Q", head, 32)
phnum, = struct.unpack_from("<H", head, 56)
dump.seek(phoff)
loads = [h for h in struct.iter_unpack("<IIQQQQQQ", dump.read(56 * phnum)) if h[0] == 1]
def page(pa):
    for h in loads:
        if h[4] <= pa < h[4] + h[5]:
            dump.seek(h[2] + pa - h[4])
            return dump.read(32).split(b"\0")[0].decode(errors="replace")
    return "not in the dump"
bad = []
for w, g in zip(want, got):
    pa = g[2] if len(g) > 2 else "?"
    held = page(int(pa, 16)) if pa.startswith("0x") else "?"
    if pa != w[1] or held != "rvdomain iova " + w[0]:
        bad.append("%s -> %s (rvdomain: %s) holds '%s'" % (w[0], pa, w[1], held))
print("%d of %d agree" % (len(want) - len(bad), len(want)) if want and len(want) == len(got) else "lines differ")
print("\n".join(bad[:5]))
PY
[ "$(head -n 1 verdict)" = "$(wc -l <pages) of $(wc -l <pages) agree" ] &&
	ok "translate --device: each of rvdomain's $(wc -l <pages) IOVAs lands on its page, which holds its name" ||
	not_ok "translate --device: rvdomain's IOVAs land on their pages" "$(tr '\n' '|' <verdict)" "$(cat err)"

identity=$(sed -n 's/.*rvdomain: identity \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)$/\1 \2/p' console)
run pgtctl dump $IOMMU --device "$nic" --json
python3 - "$identity" "${offset:-0}" <<'PY' >want
import sys
lo, hi = (int(x, 16) for x in sys.argv[1].split())
offset = int(sys.argv[2], 16)
runs = [[lo, lo, hi + 1 - lo], [lo + offset, lo, hi + 1 - lo]]
for iova, pa in sorted((int(a, 16), int(b, 16)) for a, b in (l.split() for l in open("pages"))):
    last = runs[-1]
    if last[0] + last[2] == iova and last[1] + last[2] == pa:
        last[2] += 0x1000
    else:
        runs.append([iova, pa, 0x1000])
print(sorted(tuple(r) for r in runs))
PY
expect_py "sorted((int(m['iova'], 16), int(m['pa'], 16), int(m['size'], 16)) for m in j['mappings']) == $(cat want) and j['problem_count'] == 0" \
	"dump --device: the table maps exactly what rvdomain mapped (RAM at PA and PA + $offset, its pages)"
# pgtctl builds what the kernel built: the table's mappings as a spec,
# built by pgtctl, give the kernel's descriptors bit for bit (their table
# addresses aside)
quirks=$(python3 -c "import json; print(','.join(json.load(open('nic-config.json'))['quirks']))" 2>/dev/null)
pgtctl dump $IOMMU --device "$nic" --output yaml >spec.yaml 2>err && pgtctl build spec.yaml -o built >/dev/null 2>>err
run pgtctl diff -D built --dump guest.elf --format riscv-iommu --root "$root" --ias $sv --quirks "$quirks"
[ "$(grep -vc '^set-up: reg.iosatp.ppn ' out)" = 1 ] && grep -qx 'no descriptor differs' out &&
	ok "build of the dump's spec, diff -D: pgtctl writes the kernel's descriptors (quirks $quirks)" ||
	not_ok "pgtctl builds the kernel's descriptors" "$(head -c 600 out | tr '\n' '|')" "$(cat err)"
run pgtctl check $IOMMU --device "$nic" --json
expect_status 0 "check --device: the kernel's table is clean"
expect_py "j['problem_count'] == 0 and j['leaves'] > $(wc -l <pages)" "check --device: no problem in $(python3 -c 'import json; print(json.load(open("out"))["leaves"])' 2>/dev/null) leaves"
block=$(sed -n 's/.*rvdomain: page \(0x[0-9a-f]*0000\) -> \(0x[0-9a-f]*\)$/\1 \2/p' console | tail -n 1)
run pgtctl whereis $IOMMU --json "${block#* }" 0x10000
expect_py "sorted((m['device'], int(m['iova'], 16), m['size']) for m in j['mappings']) == sorted([('$nic', ${block#* }, '0x10000'), ('$nic', ${block#* } + ${offset:-0}, '0x10000'), ('$nic', ${block% *}, '0x10000')]) and j['bypass'] == ['0000:00:00.0']" \
	"whereis ${block#* }: the NIC maps rvdomain's 64K block at PA, PA + $offset and ${block% *}; the host bridge reaches it"
run pgtctl translate $IOMMU --device "$nic" -v "${block% *}"
expect_out_has "n=1(napot 64K)" "translate -v ${block% *}: a Svnapot 64K leaf"

run pgtctl scan --dump guest.elf --format riscv-iommu --ias $sv --json
expect_py "j['candidates'][0]['root'] == '$root'" \
	"scan --format riscv-iommu --ias $sv: the NIC's table ranks first, unaided"
run pgtctl scan --dump guest.elf --iommu riscv --json
expect_py "j['candidates'][0]['root'] == '$(printf '0x%x' $((($(guest_reg 0x10) >> 10 & 0xfffffffffff) << 12)))' and j['candidates'][0]['register'] == '$(guest_reg 0x10),0x400000'" \
	"scan --iommu: the directory ranks first, unaided, with DDTP and MSI_FLAT as the IOMMU has them"
guest_steady "$PATTERN" >stable
ring=$(head -n 1 stable | cut -d' ' -f2)
[ -n "$ring" ] && ok "the NIC used a page ($ring) steadily" || not_ok "the NIC used a page steadily"
run pgtctl whereis $IOMMU --json "${ring:-0}"
expect_py "sorted((m['device'], int(m['iova'], 16)) for m in j['mappings']) == [('$nic', ${ring:-0}), ('$nic', ${ring:-0} + ${offset:-0})] and j['bypass'] == ['0000:00:00.0']" \
	"whereis $ring: the NIC's table maps its ring page at PA and PA + $offset, the host bridge reaches it"
done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# A table Linux itself built: Debian's Linux 6.12 boots in QEMU with an
# e1000 NIC behind QEMU's AMD-Vi IOMMU, maps the NIC's rings and buffers
# through the DMA API into its AMD v1 page table, and the guest's memory is
# dumped. QEMU traces every translation its IOMMU makes (IOVA -> page), a
# witness independent of both the kernel and pgtctl. pgtctl must find the
# table in the dump without being told where (scan), find it sound (check),
# and translate every page the NIC kept using exactly as QEMU did.
. "$(dirname "$0")/lib.sh"

G="$PGTCTL_TOP/build/guest"
command -v qemu-system-x86_64 >/dev/null ||
	{ not_ok "qemu-system-x86_64 is installed (make check-deps)"; done_testing; exit 1; }
[ -f "$G/vmlinuz" ] && [ -f "$G/initramfs.cpio" ] ||
	{ not_ok "the guest kernel and initramfs are built (make guest)"; done_testing; exit 1; }

# q35 with the IOMMU before the NIC it translates for; no option ROM, no
# reboot on a panic; the serial console and the IOMMU's translations in files
timeout 300 qemu-system-x86_64 -M q35 -m 128M -display none -nodefaults -no-reboot \
	-kernel "$G/vmlinuz" -initrd "$G/initramfs.cpio" -append "console=ttyS0 panic=-1" \
	-device amd-iommu -device e1000,netdev=n0,romfile= -netdev user,id=n0 \
	-serial file:console.log -monitor unix:mon.sock,server,nowait \
	-trace enable=amdvi_translation_result,file=trace.log >qemu.log 2>&1 &
qemu=$!
i=0
while [ $i -lt 240 ] && ! grep -q "pgtctl-guest: ready" console.log 2>/dev/null &&
	kill -0 $qemu 2>/dev/null; do
	sleep 1
	i=$((i + 1))
done
if grep -q "pgtctl-guest: ready" console.log 2>/dev/null; then
	ok "Linux $(sed 's/linux-image-//; s/-amd64-unsigned//' "$G/version") booted and brought the NIC up (${i}s)"
else
	not_ok "the guest booted" "$(tail -c 600 console.log 2>/dev/null | tr '\n' '|')" "$(tail -c 300 qemu.log)"
	kill $qemu 2>/dev/null
	done_testing
	exit 1
fi
grep -q "pgtctl-guest: eth0 up: 0" console.log && grep -q "pgtctl-guest: datagrams sent: 20" console.log &&
	ok "the e1000 driver loaded, eth0 came up and sent" ||
	not_ok "eth0 came up and sent" "$(grep pgtctl-guest console.log | tr '\n' '|')"

# QEMU writes its trace behind the guest: wait until it stops growing
last=-1 now=0 i=0
while [ $i -lt 30 ] && [ "$now" != "$last" ]; do
	last=$now
	sleep 1
	now=$(wc -l <trace.log)
	i=$((i + 1))
done

# dump-guest-memory through the monitor, then quit, and read until QEMU
# closes the monitor: closing it first could drop the quit
python3 - <<'PY'
import socket
s = socket.socket(socket.AF_UNIX)
s.settimeout(120)
s.connect("mon.sock")
def until_prompt():
    buf = b""
    while not buf.endswith(b"(qemu) "):
        got = s.recv(65536)
        if not got:
            break
        buf += got
until_prompt()
s.sendall(b"dump-guest-memory guest.elf\n")
until_prompt()
s.sendall(b"quit\n")
try:
    while s.recv(65536):
        pass
except OSError:
    pass
PY
i=0
while [ $i -lt 30 ] && kill -0 $qemu 2>/dev/null; do
	sleep 1
	i=$((i + 1))
done
kill $qemu 2>/dev/null && not_ok "QEMU quit when asked" || ok "QEMU quit when asked"
wait $qemu
if [ -s guest.elf ]; then ok "QEMU dumped the guest's memory"; else not_ok "QEMU dumped the guest" "$(tail -c 300 qemu.log)"; fi

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

# QEMU's witness: the pages the NIC used again and again, always at the
# same address, are its descriptor rings, mapped (dma_alloc_coherent) for as
# long as the interface is up; the packet buffers were read or written a
# few times each, and some unmapped since
python3 - <<'PY' >stable
import collections
seen = collections.defaultdict(list)
for line in open("trace.log"):
    f = line.split()
    if f and f[0] == "amdvi_translation_result":
        seen[int(f[4], 16) & ~0xfff].append(int(f[6], 16))
for iova, pages in sorted(seen.items()):
    if len(pages) >= 10 and len(set(pages)) == 1:
        print("0x%x 0x%x" % (iova, pages[0]))
PY
n=$(wc -l <stable)
[ "$n" -ge 2 ] && ok "QEMU saw the NIC use $n pages (its rings) steadily" ||
	not_ok "QEMU saw steady pages" "$n: $(tr "\n" " " <stable)" "$(grep -c amdvi_translation_result trace.log) translations"
cut -d' ' -f1 stable | pgtctl translate $SRC - >translated 2>err
python3 - <<'PY' >verdict
want = [l.split() for l in open("stable")]
got = [l.split() for l in open("translated")]
bad = [(w, g) for w, g in zip(want, got)
       if len(g) < 3 or not g[2].startswith("0x") or int(g[2], 16) & ~0xfff != int(w[1], 16)]
print("%d of %d agree" % (len(want) - len(bad), len(want)) if len(want) == len(got) else "lines differ")
for w, g in bad[:5]:
    print(" ".join(w), "|", " ".join(g))
PY
if [ "$(head -n 1 verdict)" = "$n of $n agree" ]; then ok "pgtctl translates each of them to the page QEMU's IOMMU used"; else
	not_ok "pgtctl agrees with QEMU's IOMMU" "$(tr '\n' '|' <verdict)" "$(cat err)"; fi

# the table as pgtctl sees it: the DMA API's IOVAs, below 4G; receive
# buffers mapped DMA_FROM_DEVICE (write only), rings both ways
run pgtctl dump --json $SRC
expect_py 'len(j["mappings"]) > 0 and all(int(m["iova"], 16) + int(m["size"], 16) <= 1 << 32 for m in j["mappings"])' \
	"dump: the DMA API's mappings, all below 4G"
expect_py '{tuple(m["prot"]) for m in j["mappings"]} >= {("write",), ("read", "write")}' \
	"dump: write-only receive buffers and read-write rings"
done_testing

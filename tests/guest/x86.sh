# SPDX-License-Identifier: MIT
# Sourced by the x86_64 guest tests after lib.sh and guest.sh. Each boots
# one of Debian's kernels (tests/guest/fetch.sh) on QEMU's q35 with an
# e1000 behind an IOMMU; the static tests/guest/init.c loads the driver
# and sends, so that the kernel's DMA API maps the NIC's rings and buffers
# through its IOMMU page table. QEMU traces every translation its IOMMU
# makes, a witness independent of the kernel and of pgtctl. pgtctl must
# find the table in the dump unaided (scan), find it sound (check),
# translate every page the NIC kept using as QEMU did, and, from the
# IOMMU's root register read through QEMU's monitor, list the NIC with that
# table (guest_iommu).
#
#   x86_amd_vi DIR KERNEL
#     the kernel in DIR (vmlinuz, initramfs.cpio, version), Linux KERNEL
#     (6.12: io-pgtable's AMD v1; 7.3: generic_pt's amdv1), behind QEMU's
#     amd-iommu.
#   x86_vtd DIR QEMU IOMMU-OPTIONS FORMAT TTM
#     Linux 7.3 in DIR behind QEMU's intel-iommu with IOMMU-OPTIONS, whose
#     kernel builds FORMAT (intel-vtd-ss or intel-vtd-fs) tables, in legacy
#     (TTM 0) or scalable (TTM 1) mode; QEMU is the emulator to run.
#   x86_amd_v2 DIR KERNEL
#     Linux KERNEL in DIR behind QEMU's amd-iommu with amd_iommu=pgtbl_v2:
#     its DMA domains get AMD v2 (x86-64, 4-level) tables that the DTEs
#     name through GCR3 tables. QEMU's IOMMU has GT but not GIOSUP,
#     without which Linux keeps v1 (amd_iommu_v2_pgtbl_supported()), so
#     the guest gets QEMU's own IVRS with an IVHD of type 0x11 added whose
#     EFR is the IOMMU's plus GIOSUP (x86_ivrs_giosup), through the
#     kernel's ACPI table upgrade from the initrd. QEMU's IOMMU ignores
#     GV and GCR3: the DTE's Mode 0, as Linux writes it for v2, lets DMA
#     pass untranslated (amdvi_page_walk()), so its trace is no witness:
#     the NIC's ring base registers give the IOVAs, and the pages pgtctl
#     translates them to must hold the rings the driver wrote.
#   X86_QEMU_DIRS
#     -L options for an emulator that is not the machine's (QEMU 10).
#   X86_INITRD
#     the initrd to boot instead of DIR/initramfs.cpio.

# x86_boot NAME DIR QEMU IOMMU-DEVICE TRACE-EVENT REGS [KERNEL-ARGS]
x86_boot() {
	xb_name=$1 xb_dir=$2 xb_qemu=$3 xb_iommu=$4 xb_event=$5 xb_regs=$6 xb_args=${7:-}
	[ -f "$xb_dir/vmlinuz" ] && [ -f "$xb_dir/initramfs.cpio" ] ||
		{ not_ok "the guest kernel and initramfs are built (make guest)"; return 1; }
	command -v "$xb_qemu" >/dev/null ||
		{ not_ok "$xb_qemu is there (make check-deps; make guest for QEMU 10)"; return 1; }
	# the IOMMU before the NIC it translates for; no option ROM; the
	# serial console and the IOMMU's translations in files
	# shellcheck disable=SC2086
	GUEST_REGS="$xb_regs" guest_run "$xb_name" \
		"$xb_qemu" ${X86_QEMU_DIRS:-} -M q35 -m 128M -display none -nodefaults -no-reboot \
		-kernel "$xb_dir/vmlinuz" -initrd "${X86_INITRD:-$xb_dir/initramfs.cpio}" \
		-append "$GUEST_X86_APPEND $xb_args" \
		-device "$xb_iommu" -device e1000,netdev=n0,romfile= -netdev user,id=n0 \
		-serial file:console.log -monitor unix:mon.sock,server,nowait \
		-trace "enable=$xb_event,file=trace.log" || return 1
	grep -q "pgtctl-guest: eth0 up: 0" console.log && grep -q "pgtctl-guest: datagrams sent: 20" console.log &&
		ok "the e1000 driver loaded, eth0 came up and sent" ||
		not_ok "eth0 came up and sent" "$(grep pgtctl-guest console.log | tr '\n' '|')"
}

# x86_table FORMAT-ARGS...: scan for the table (the CPU's page tables also
# decode as these formats), check it, agree with QEMU ($PATTERN), and the
# DMA API's IOVAs in the dump, below 4G; sets root, SRC and maps
x86_table() {
	run pgtctl scan --dump guest.elf "$@" --json
	expect_status 0 "scan"
	root=$(python3 -c "import json; print(json.load(open('out'))['candidates'][0]['root'])" 2>/dev/null)
	expect_py 'j["candidates"][0]["pages"] >= 8 and j["candidates"][0]["problems"] == 0' \
		"scan ranks a table of NIC mappings first (root $root)"
	SRC="--dump guest.elf $* --root $root"
	run pgtctl check $SRC
	expect_status 0 "check: the kernel's table has no malformed descriptor"
	# QEMU's witness: the pages the NIC used again and again at one
	# address are its descriptor rings, mapped (dma_alloc_coherent) for as
	# long as the interface is up; packet buffers were used a few times
	# each, some unmapped since
	guest_agree "$PATTERN" $SRC
	run pgtctl dump --json $SRC
	expect_py 'len(j["mappings"]) > 0 and all(int(m["iova"], 16) + int(m["size"], 16) <= 1 << 32 for m in j["mappings"])' \
		"dump: the DMA API's mappings, all below 4G"
	maps=$(python3 -c 'import json; print(len(json.load(open("out"))["mappings"]))' 2>/dev/null)
}

x86_amd_vi() {
	xa_dir=$1 xa_kernel=$2
	PATTERN='amdvi_translation_result .* gpa (0x[0-9a-f]+) hpa (0x[0-9a-f]+)'
	# the Device Table Base register (MMIO 0x0) read at the dump
	x86_boot "Linux $(sed 's/linux-image-//; s/linux-binary-//; s/-amd64-unsigned//; s/-amd64//' "$xa_dir/version") (x86_64, AMD-Vi)" \
		"$xa_dir" qemu-system-x86_64 amd-iommu,intremap=off amdvi_translation_result \
		"amdvi-mmio 0x0:8" || return 1
	reg=$(guest_reg 0x0)
	nic=$(sed -n 's/^amdvi_translation_result devid: \([0-9a-f:.]*\) .*/\1/p' trace.log | sort -u)
	[ "$(echo "$nic" | wc -w)" = 1 ] && ok "QEMU's IOMMU translated for one device, the NIC ($nic)" ||
		not_ok "QEMU's IOMMU translated for one device" "$nic"
	# the DTE's Mode is the table's depth: 6.12's v1 domain starts at 3
	# levels, 7.3's amdv1 too, and grows its top as IOVAs need
	run pgtctl devices --dump guest.elf --iommu amd-vi --iommu-reg "$reg" --json
	mode=$(python3 -c "import json; print([d['config']['mode'] for d in json.load(open('out'))['devices'] if d['id'] == '0000:$nic'][0])" 2>/dev/null)
	[ "$mode" = 3 ] && ok "the NIC's DTE: Mode 3, the 3 levels the kernel's DMA domain starts with" ||
		not_ok "the NIC's DTE has Mode 3" "Mode: $mode"
	x86_table --format amd-iommu-v1 --kernel "$xa_kernel" --mode "${mode:-3}"
	# receive buffers mapped DMA_FROM_DEVICE (write only), rings both ways
	expect_py '{tuple(m["prot"]) for m in j["mappings"]} >= {("write",), ("read", "write")}' \
		"dump: write-only receive buffers and read-write rings"
	guest_iommu "0000:$nic" "$root" amd-iommu-v1 "$maps" "$PATTERN" \
		"$(printf '0x%x' $((reg & ~0xfff)))" \
		--dump guest.elf --iommu amd-vi --iommu-reg "$reg" --kernel "$xa_kernel"
}

x86_vtd() {
	xv_dir=$1 xv_qemu=$2 xv_opts=$3 xv_format=$4 xv_ttm=$5
	PATTERN='vtd_dmar_translate .* iova (0x[0-9a-f]+) -> gpa (0x[0-9a-f]+)'
	# RTADDR_REG (MMIO 0x20) read at the dump
	x86_boot "Linux $(sed 's/linux-binary-//; s/-amd64//' "$xv_dir/version") (x86_64, VT-d $xv_opts)" \
		"$xv_dir" "$xv_qemu" "intel-iommu,intremap=off,$xv_opts" vtd_dmar_translate \
		"intel_iommu 0x20:8" intel_iommu=on || return 1
	reg=$(guest_reg 0x20)
	# QEMU prints the function in two digits
	nic=$(sed -n 's/^vtd_dmar_translate dev \([0-9a-f]*:[0-9a-f]*\)\.0*\([0-7]\) .*/\1.\2/p' trace.log | sort -u)
	[ "$(echo "$nic" | wc -w)" = 1 ] && ok "QEMU's IOMMU translated for one device, the NIC ($nic)" ||
		not_ok "QEMU's IOMMU translated for one device" "$nic"
	# the DMAR unit's address width, as the kernel read it from the
	# capability register: its domains' tables reach that far
	aw=$(sed -n 's/.*DMAR: Host address width \([0-9]*\).*/\1/p' console.log | head -n 1)
	case "$xv_format" in
	intel-vtd-ss) x86_table --format intel-vtd-ss --ias "${aw:-48}" ;;
	*) x86_table --format intel-vtd-fs --ias 48 ;;
	esac
	case "$xv_format" in
	intel-vtd-ss)
		expect_py '{tuple(m["prot"]) for m in j["mappings"]} >= {("write",), ("read", "write")}' \
			"dump: write-only receive buffers (second stage has R and W apart) and read-write rings" ;;
	*)
		expect_py 'all("read" in m["prot"] for m in j["mappings"])' \
			"dump: every mapping readable (first stage, x86 paging, has no write-only)" ;;
	esac
	guest_iommu "0000:$nic" "$root" "$xv_format" "$maps" "$PATTERN" \
		"$(printf '0x%x' $((reg & ~0xfff)))" --dump guest.elf --iommu intel-vtd --iommu-reg "$reg"
	run pgtctl devices --dump guest.elf --iommu intel-vtd --iommu-reg "$reg" -v --json
	expect_py "j['iommus'][0]['fields']['TTM'] == '$(printf '0x%x' "$xv_ttm")'" \
		"RTADDR_REG's TTM: $([ "$xv_ttm" = 0 ] && echo legacy || echo scalable) mode"
	if [ "$xv_ttm" = 1 ]; then
		stage=$([ "$xv_format" = intel-vtd-ss ] && echo second || echo first)
		expect_py "[[f.get('meaning') for f in d['chain'][-1]['fields'] if f['name'] == 'PGTT'] for d in j['devices'] if d['id'] == '0000:$nic'] == [['$stage stage']]" \
			"the NIC's PASID entry: PGTT $stage stage, as Linux 7.3 chose for this IOMMU"
	fi
}

# x86_ivrs_giosup QEMU CPIO: QEMU's IVRS as its firmware (SeaBIOS) puts it in
# memory, with an IVHD of type 0x11 like its type 0x10 one whose EFR is
# the IOMMU's own (MMIO 0x30) plus GIOSUP (bit 48, 6.12's FEATURE_GIOSUP),
# IVinfo's EFRSup set and a higher OEM revision (acpi_table_initrd_override()
# takes no other), as kernel/firmware/acpi/ivrs.aml in the newc archive
# CPIO; prints the EFR
x86_ivrs_giosup() {
	rm -f fw.sock
	# shellcheck disable=SC2086
	timeout 120 "$1" ${X86_QEMU_DIRS:-} -M q35 -m 128M -display none -nodefaults -no-reboot \
		-device amd-iommu,intremap=off -device e1000,netdev=n0,romfile= -netdev user,id=n0 \
		-monitor unix:fw.sock,server,nowait >fw.log 2>&1 &
	xi_qemu=$!
	python3 - "$2" <<'PY'
import socket, struct, sys, time
for _ in range(100):
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect("fw.sock")
        break
    except OSError:
        time.sleep(0.1)
s.settimeout(60)
def command(line):
    if line:
        s.sendall(line.encode() + b"\n")
    buf = b""
    while not buf.endswith(b"(qemu) "):
        buf += s.recv(65536)
    return buf.decode(errors="replace")
def ivrs():
    # SeaBIOS puts the ACPI tables at the top of the 128M of RAM
    command("pmemsave 0x7f00000 0x100000 fw.mem")
    mem = open("fw.mem", "rb").read()
    at = mem.find(b"IVRS")
    while at >= 0:
        size = struct.unpack_from("<I", mem, at + 4)[0]
        if 48 <= size <= 4096 and sum(mem[at:at + size]) % 256 == 0:
            return bytearray(mem[at:at + size])
        at = mem.find(b"IVRS", at + 1)
    return None
command("")
for _ in range(100):
    table = ivrs()
    if table:
        break
    time.sleep(0.2)
else:
    s.sendall(b"quit\n")
    sys.exit("no IVRS in the firmware's memory")
# the IVHD after the 48-byte header (6.12's struct ivhd_header)
ivhd = table[48:48 + struct.unpack_from("<H", table, 50)[0]]
if ivhd[0] != 0x10 or len(table) != 48 + len(ivhd):
    s.sendall(b"quit\n")
    sys.exit("QEMU's IVRS is not one IVHD of type 0x10")
base = struct.unpack_from("<Q", ivhd, 8)[0]
efr = int(command("xp /1gx 0x%x" % (base + 0x30)).split(": ")[-1].split()[0], 16) | 1 << 48
s.sendall(b"quit\n")
# type, the flags 0x11 does not reserve, length; devid, capability
# offset, MMIO base, segment, info; EFR attributes, EFR, EFR2; the same
# device entries
table += struct.pack("<BBH", 0x11, ivhd[1] & 0x3f, 40 + len(ivhd) - 24) + ivhd[4:20] + \
    struct.pack("<IQQ", 0, efr, 0) + ivhd[24:]
struct.pack_into("<I", table, 4, len(table))
# IVinfo's EFRSup: the IVHDs' EFR stands (6.12's IOMMU_IVINFO_EFRSUP)
table[36] |= 1
struct.pack_into("<I", table, 24, struct.unpack_from("<I", table, 24)[0] + 1)
table[9] = 0
table[9] = -sum(table) & 0xff
out = bytearray()
for ino, (name, mode, data) in enumerate([("kernel", 0o40755, b""), ("kernel/firmware", 0o40755, b""),
        ("kernel/firmware/acpi", 0o40755, b""), ("kernel/firmware/acpi/ivrs.aml", 0o100644, bytes(table)),
        ("TRAILER!!!", 0, b"")]):
    name = name.encode() + b"\0"
    out += b"070701" + b"".join(b"%08X" % v for v in (ino + 1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0))
    out += name + b"\0" * (-(110 + len(name)) % 4) + data + b"\0" * (-len(data) % 4)
open(sys.argv[1], "wb").write(out + b"\0" * (-len(out) % 512))
print("0x%x" % efr)
PY
	xi_status=$?
	# a QEMU the script could not ask to quit
	[ $xi_status = 0 ] || kill $xi_qemu 2>/dev/null
	wait $xi_qemu
	rm -f fw.mem
	return $xi_status
}

# x86_ring DUMP ADDRESS: the 16-byte e1000 descriptors of the page at
# physical ADDRESS in the ELF DUMP: "BUFFER LENGTH" for each with a buffer
x86_ring() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
elf = open(sys.argv[1], "rb").read()
want = int(sys.argv[2], 16)
phoff, = struct.unpack_from("<Q", elf, 0x20)
size, count = struct.unpack_from("<HH", elf, 0x36)
for i in range(count):
    kind, _, off, _, paddr, filesz = struct.unpack_from("<IIQQQQ", elf, phoff + i * size)
    if kind == 1 and paddr <= want < paddr + filesz:
        page = elf[off + want - paddr:off + want - paddr + 4096]
        for at in range(0, 4096, 16):
            addr, length = struct.unpack_from("<QH", page, at)
            if addr:
                print("0x%x %d" % (addr, length))
PY
}

x86_amd_v2() {
	xw_dir=$1 xw_kernel=$2
	if efr=$(x86_ivrs_giosup qemu-system-x86_64 ivrs.cpio); then
		ok "QEMU's IVRS, with an IVHD of type 0x11 whose EFR ($efr) has GIOSUP"
	else
		not_ok "QEMU's IVRS read from its firmware" "$(tail -c 300 fw.log)"
		return 1
	fi
	cat ivrs.cpio "$xw_dir/initramfs.cpio" >initrd.cpio
	# the Device Table Base register, and the NIC's receive and transmit
	# descriptor ring bases (RDBAL/H, TDBAL/H)
	X86_INITRD=initrd.cpio x86_boot "Linux $(sed 's/linux-image-//; s/linux-binary-//; s/-amd64-unsigned//; s/-amd64//' "$xw_dir/version") (x86_64, AMD-Vi, v2 tables)" \
		"$xw_dir" qemu-system-x86_64 amd-iommu,intremap=off amdvi_devtab_inval \
		"amdvi-mmio 0x0:8 e1000-mmio 0x2800:4 0x2804:4 0x3800:4 0x3804:4" amd_iommu=pgtbl_v2 || return 1
	grep -q "ACPI: Table Upgrade: override \[IVRS" console.log &&
		grep -q "AMD-Vi: V2 page table enabled (Paging mode : 4 level)" console.log &&
		ok "Linux took the IVRS and chose 4-level v2 tables for DMA" ||
		not_ok "Linux chose v2 tables" "$(grep -i 'IVRS\|AMD-Vi' console.log | tr '\n' '|')"
	reg=$(guest_reg 0x0)
	rx=$(printf '0x%x' $(($(guest_reg 0x2804 e1000-mmio) << 32 | $(guest_reg 0x2800 e1000-mmio))))
	tx=$(printf '0x%x' $(($(guest_reg 0x3804 e1000-mmio) << 32 | $(guest_reg 0x3800 e1000-mmio))))
	iommu="--dump guest.elf --iommu amd-vi --iommu-reg $reg --kernel $xw_kernel"
	# shellcheck disable=SC2086
	run pgtctl devices $iommu --json
	expect_status 0 "devices: the structures the register names decode without a problem"
	nic=$(python3 -c "import json; print(' '.join(d['id'] for d in json.load(open('out'))['devices'] if d['mappings']))" 2>/dev/null)
	root=$(python3 -c "import json; print([d['roots'][0] for d in json.load(open('out'))['devices'] if d['mappings']][0])" 2>/dev/null)
	expect_py "[(d['format'], d['mode']) for d in j['devices'] if d['mappings']] == [('amd-iommu-v2', 'translated')]" \
		"devices: one device maps anything, the NIC ($nic), with the v2 table at $root its GCR3 table names"
	# shellcheck disable=SC2086
	run pgtctl translate $iommu --device "$nic" --json "$rx" "$tx"
	expect_py '[t["prot"] for t in j] == [["read", "write"]] * 2' \
		"translate --device: the NIC's rings at $rx (receive) and $tx (transmit) are mapped read-write"
	rxpage=$(python3 -c "import json; print(json.load(open('out'))[0]['pa'])" 2>/dev/null)
	txpage=$(python3 -c "import json; print(json.load(open('out'))[1]['pa'])" 2>/dev/null)
	x86_ring guest.elf "$rxpage" >rxring
	x86_ring guest.elf "$txpage" >txring
	[ "$(wc -l <rxring)" -ge 64 ] && ok "the page $rxpage holds the receive ring, buffers: $(wc -l <rxring)" ||
		not_ok "the receive ring is at $rxpage" "$(wc -l <rxring) descriptors with a buffer"
	[ "$(awk '$2 > 0' txring | wc -l)" -ge 1 ] &&
		ok "the page $txpage holds the transmit ring, frames: $(wc -l <txring)" ||
		not_ok "the transmit ring is at $txpage" "$(head -n 3 txring | tr '\n' '|')"
	# x86-64 paging has no write-only: the receive buffers
	# (DMA_FROM_DEVICE) are read-write, the frames to send (DMA_TO_DEVICE)
	# read-only, mapped until the NIC says it sent them
	cut -d' ' -f1 rxring >rxbufs
	# shellcheck disable=SC2086
	run pgtctl translate $iommu --device "$nic" --json - <rxbufs
	expect_py 'len(j) == len(open("rxbufs").readlines()) and all(t.get("prot") == ["read", "write"] for t in j)' \
		"translate: every receive buffer the ring names is mapped read-write"
	cut -d' ' -f1 txring >txbufs
	# shellcheck disable=SC2086
	run pgtctl translate $iommu --device "$nic" --json - <txbufs
	expect_py 'len(j) == len(open("txbufs").readlines()) and all(t.get("prot") == ["read"] for t in j)' \
		"translate: every frame the transmit ring names is mapped read-only"
	run pgtctl check --dump guest.elf --format amd-iommu-v2 --kernel "$xw_kernel" --levels 4 --root "$root"
	expect_status 0 "check: the kernel's v2 table has no malformed descriptor"
	run pgtctl scan --dump guest.elf --format amd-iommu-v2 --kernel "$xw_kernel" --json
	expect_py "j['candidates'][0]['root'] == '$root'" \
		"scan --format amd-iommu-v2: the NIC's table ranks first, unaided (the CPU's tables decode too)"
	run pgtctl scan --dump guest.elf --iommu amd-vi --json
	expect_py "j['candidates'][0]['register'] == '$reg'" \
		"scan --iommu amd-vi: the device table the register names ranks first, unaided"
}

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
#   X86_QEMU_DIRS
#     -L options for an emulator that is not the machine's (QEMU 10).

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
		-kernel "$xb_dir/vmlinuz" -initrd "$xb_dir/initramfs.cpio" \
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

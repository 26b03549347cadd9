#!/bin/sh
# SPDX-License-Identifier: MIT
# fault: the registers and log lines of each driver, as Linux 6.12 prints
# them (the printk formats are quoted above each group), explained against
# tables built to match: an empty descriptor at each level, permission
# faults, tables that map the address fine, broken walks, and bad input.
# (The lines are printed with the kernel's formats less the l and ll
# length modifiers, which dash's printf does not take.)
. "$(dirname "$0")/lib.sh"

# --- arm-smmu: arm_smmu_print_context_fault_info() ----------------------------
# "Unhandled context fault: fsr=0x%x, iova=0x%08lx, fsynr=0x%x, cbfrsynra=0x%x, cb=%d"
cat >smmu.yaml <<'Y'
format: arm-64-lpae-s1
memory: { base: 0x80000000 }
mappings:
  - { iova: 0x10000000, paddr: 0x880000000, size: 16K, prot: [read, write, noexec] }
  - { iova: 0x20000000, paddr: 0x8a0000000, size: 4K, prot: [read] }
  - { iova: 0x30000000, paddr: 0x8b0000000, size: 4K, prot: [read, write, priv] }
  - { iova: 0x40000000, paddr: 0x8c0000000, size: 2M, prot: rw }
Y
pgtctl build smmu.yaml -o smmu.img >/dev/null
# fsynr0: WNR 0x10, PNU 0x20, IND 0x40, PLVL 1:0; fsr: TF 0x2, PF 0x8, Format=2 0x400
smmu_line() {
	printf '[ %s] arm-smmu 5000000.iommu: Unhandled context fault: fsr=0x%x, iova=0x%08x, fsynr=0x%x, cbfrsynra=0x%x, cb=%d\n' \
		"$1" "$2" "$3" "$4" 0x800 2
}
{
	echo "[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]"
	smmu_line "  10.100001" 0x402 0x8000000000 0x10 # level 0
	echo "[   10.100002] arm-smmu 5000000.iommu: FSR    = 00000402 [Format=2 TF], SID=0x800"
	echo "[   10.100003] arm-smmu 5000000.iommu: FSYNR0 = 00000010 [S1CBNDX=0 WNR PLVL=0]"
	smmu_line "  10.200001" 0x402 0x80000000 0x11   # level 1
	smmu_line "  10.300001" 0x402 0x50000000 0x12   # level 2
	smmu_line "  10.400001" 0x402 0x10004000 0x13   # level 3
	smmu_line "  10.500001" 0x408 0x20000800 0x13   # write to a read-only page
	smmu_line "  10.600001" 0x408 0x10001000 0x43   # fetch from a noexec page
	smmu_line "  10.700001" 0x408 0x30000000 0x03   # unprivileged read of a priv page
	smmu_line "  10.800001" 0x402 0x40001000 0x12   # mapped fine: a 2M block
} >smmu.log

run pgtctl fault smmu.img --log smmu.log
expect_status 1 "arm-smmu log: one fault the table does not explain: exit 1"
expect_golden fault-smmu.txt "arm-smmu log: each fault explained, then a summary"
expect_out_has "8 faults in 11 lines: 4 not-mapped, 3 permission, 1 mapped; 7 explained by the table" \
	"the FSR and FSYNR0 lines are the same fault, not others"
for l in 0 1 2 3; do
	expect_out_has "the SMMU reports a translation fault at level $l too" "arm-smmu: an empty level-$l descriptor"
done
expect_out_has "verdict      not-mapped: the level 0 descriptor at 0x80000008 is empty (0x0000000000000000): nothing maps iova 0x8000000000" \
	"the empty descriptor's level, address and value"
expect_out_has "with prot read: no writes" "arm-smmu: a write to a read-only page"
expect_out_has "with prot read,write,noexec: no instruction fetches (noexec)" "arm-smmu: an instruction fetch from a noexec page"
expect_out_has "with prot read,write,priv: no unprivileged accesses (priv)" "arm-smmu: an unprivileged access to a priv page"
expect_out_has "verdict      mapped: the 2M block at level 2" "arm-smmu: mapped fine"
expect_out_has "a TLB or walk cache still held an old entry" "mapped fine: the next step names a stale TLB"

run pgtctl fault smmu.img --kind arm-smmu fsr=0x402 fsynr0=0x13 far=0x10004000 cbfrsynra=0x800 cb=2
expect_status 0 "--kind arm-smmu: explained, exit 0"
sed -n '/^line 7:/,/^line 8:/p' "$GOLDEN/fault-smmu.txt" | sed '1d;$d' >want
tail -n +2 out >got
if cmp -s want got; then ok "--kind prints what the log's line prints"; else
	not_ok "--kind prints what the log's line prints" "$(diff want got | head -5 | tr '\n' '|')"; fi
expect_out_has "cbfrsynra    0x800  SID=0x800" "CBFRSYNRA's stream id"

run pgtctl fault smmu.img --kind arm-smmu fsr=0x408 fsynr0=0x33 far=0x30000000
expect_status 1 "a privileged read of a priv page is allowed: exit 1"
expect_out_has "the SMMU found a leaf that did not allow the access; this table's leaf allows it" \
	"the hardware's report against the table"

run pgtctl fault -v smmu.img --kind arm-smmu fsr=0x402 fsynr0=0x12 far=0x50000000
expect_out_has "    L1[1] @0x80001008 = 0x0000000080006003 table -> 0x80006000" "-v: the walk, as translate -v"
expect_out_has "    L2[128] @0x80006400 = 0x0000000000000000 empty" "-v: down to the empty descriptor"

run pgtctl fault --json -v smmu.img --log smmu.log
expect_json "--json"
expect_py 'len(j["faults"]) == 8 and j["summary"] == {"lines": 11, "faults": 8, "explained": 7, "unreadable": 0, "verdicts": {"not-mapped": 4, "permission": 3, "mapped": 1}}' \
	"--json: a summary with a count per verdict"
expect_py '[f["line"] for f in j["faults"]] == [2, 5, 6, 7, 8, 9, 10, 11] and j["faults"][0]["device"] == "arm-smmu 5000000.iommu"' \
	"--json: each fault's line and device"
expect_py 'j["faults"][0]["class"] == "translation" and j["faults"][0]["code"] == "TF" and j["faults"][0]["access"] == ["write"] and j["faults"][0]["privileged"] is False and j["faults"][0]["level"] == 0 and j["faults"][0]["stage"] is None' \
	"--json: the decoded fault"
expect_py 'j["faults"][0]["verdict"] == "not-mapped" and j["faults"][0]["descriptor"] == {"level": 0, "desc_pa": "0x80000008", "desc": "0x0"} and j["faults"][0]["explained"] is True and j["faults"][0]["agrees"] is True' \
	"--json: the verdict and the empty descriptor"
expect_py 'j["faults"][4]["denied"] == ["write"] and j["faults"][4]["leaf"] == {"pa": "0x8a0000800", "size": "0x1000", "prot": ["read"]}' \
	"--json: the leaf and what it denies"
expect_py 'j["faults"][0]["registers"] == {"fsr": "0x402", "far": "0x8000000000", "fsynr0": "0x10", "cbfrsynra": "0x800", "cb": "0x2"} and {"register": "fsr", "name": "TF", "value": 1, "meaning": "translation fault"} in j["faults"][0]["fields"]' \
	"--json: the registers and their fields"
expect_py 'len(j["faults"][1]["walk"]) == 2 and j["faults"][7]["agrees"] is False and j["faults"][7]["explained"] is False' \
	"--json: the walk with -v; a fault the table does not explain"

# --- arm-smmu global faults: arm_smmu_global_fault() -------------------------
# a first line (the USF form when bypass is disabled by default), then the
# four registers on a line of their own, behind a tab
cat >global.log <<'L'
[    3.100000] arm-smmu 5000000.iommu: Blocked unknown Stream ID 0x1c01; boot with "arm-smmu.disable_bypass=0" to allow, but this may have security implications
[    3.100001] arm-smmu 5000000.iommu: 	GFSR 0x80000002, GFSYNR0 0x00000000, GFSYNR1 0x00001c01, GFSYNR2 0x00000000
[    3.200000] arm-smmu 5000000.iommu: Unhandled context fault: fsr=0x402, iova=0x10004000, fsynr=0x13, cbfrsynra=0x800, cb=2
[    4.000000] arm-smmu 5000000.iommu: Unexpected global fault, this could be serious
[    4.000001] arm-smmu 5000000.iommu: 	GFSR 0x00000004, GFSYNR0 0x0000000a, GFSYNR1 0x00000800, GFSYNR2 0x00000000
L
run pgtctl fault smmu.img --log global.log --json
expect_status 1 "global faults: the table does not explain them, exit 1"
expect_py '[(f["line"], f["kind"], f["code"], f["class"], f["verdict"]) for f in j["faults"]] == [(1, "arm-smmu-global", "USF", "config", "not-the-table"), (3, "arm-smmu", "TF", "translation", "not-mapped"), (4, "arm-smmu-global", "SMCF", "config", "not-the-table")]' \
	"global faults among context faults: each found, decoded and not walked"
expect_py '{"register": "gfsynr1", "name": "SID", "value": 0x1c01, "meaning": None} in j["faults"][0]["fields"] and {"register": "gfsr", "name": "MULTI", "value": 1, "meaning": "more than one fault"} in j["faults"][0]["fields"]' \
	"the stream ID and MULTI from the registers line"
expect_py 'j["faults"][2]["access"] == ["exec"] and "walk" not in j["faults"][2] and "descriptor" not in j["faults"][2]' \
	"GFSYNR0's IND gives an instruction fetch; nothing walked"
run pgtctl fault smmu.img --kind arm-smmu-global gfsr=0x1 gfsynr0=0x2 gfsynr1=0x30007
expect_status 1 "--kind arm-smmu-global"
expect_out_has "gfsynr1      0x30007  SSD_Index=3 SID=7" "GFSYNR1: SSD index and stream ID"
expect_out_has "decoded      configuration error (ICF), write, unprivileged" "ICF: the S2CR's context bank"
expect_out_has "points at a context bank that is not set up" "the next step for ICF"
run pgtctl fault smmu.img --kind arm-smmu-global gfsr=0x0
expect_out_has "no fault bit is set in sGFSR" "an sGFSR without a fault"
printf '[ 1.0] arm-smmu 5000000.iommu: Unexpected global fault, this could be serious\n' >cut.log
run pgtctl fault smmu.img --log cut.log
expect_status 2 "a global fault without its registers line"
expect_err_has "arm-smmu-global fault cut short: 1 more line expected, like 'GFSR 0x..., GFSYNR0 0x..., GFSYNR1 0x..., GFSYNR2 0x...'" \
	"says what line is missing"

# --- arm-smmu on a short-descriptor (arm-v7s) context -------------------------
cat >v7s.yaml <<'Y'
format: arm-v7s
memory: { base: 0x40000000 }
mappings:
  - { iova: 0x100000, paddr: 0x40100000, size: 1M, prot: r }
  - { iova: 0x200000, paddr: 0x40200000, size: 4K, prot: [read, write, noexec] }
Y
run pgtctl fault v7s.yaml --kind arm-smmu fsr=0x2 fsynr0=0x11 far=0x300000
expect_out_has "the SMMU reports a translation fault at level 1 too" "v7s: an empty level-1 descriptor"
run pgtctl fault v7s.yaml --kind arm-smmu fsr=0x2 fsynr0=0x12 far=0x201000
expect_out_has "the SMMU reports a translation fault at level 2 too" "v7s: an empty level-2 descriptor"
run pgtctl fault v7s.yaml --kind arm-smmu fsr=0x8 fsynr0=0x11 far=0x100000
expect_out_has "the 1M block at level 1 (0x40139c02 at 0x40000004) maps it to 0x40100000 with prot read: no writes" \
	"v7s: a write to a read-only section"

# --- smmuv3: arm_smmu_evtq_thread() ------------------------------------------
# "event 0x%02x received:", then four times "\t0x%016llx"
evt() {
	printf '[ %s] arm-smmu-v3 arm-smmu-v3.0.auto: event 0x%02x received:\n' "$1" "$2"
	shift 2
	for w; do printf '[ 0.0] arm-smmu-v3 arm-smmu-v3.0.auto: \t0x%016x\n' "$w"; done
}
cat >s2.yaml <<'Y'
format: arm-64-lpae-s2
config: { ias: 40, oas: 40 }
memory: { base: 0x90000000 }
mappings:
  - { iova: 0x80000000, paddr: 0x900000000, size: 4K, prot: r }
Y
{
	# F_TRANSLATION, SID 0x100, a read (RnW), CLASS=IN
	evt 20.1 0x10 0x0000010000000010 0x0000020800000000 0x80000000 0
	# F_PERMISSION, SSV with SSID 5, a write
	evt 20.2 0x13 0x0000010000005813 0x0000020000000000 0x20000010 0
	# C_BAD_STE
	evt 20.3 0x04 0x0000010000000004 0 0 0
} >v3.log
run pgtctl fault smmu.img --log v3.log
expect_status 1 "smmuv3: a configuration error is no table's fault: exit 1"
expect_out_has "evt0         0x10000005813  ID=0x13(F_PERMISSION) SSV SSID=5 SID=0x100" "smmuv3: evt0 decoded"
expect_out_has "decoded      translation fault (F_TRANSLATION), read, unprivileged, stage 1" "smmuv3: the access"
expect_out_has "verdict      not-mapped: the level 1 descriptor at 0x80001010 is empty" "smmuv3: an empty level-1 descriptor"
expect_out_has "verdict      permission: the 4K page at level 3 (0x00000008a0000ec3 at 0x80004000)" "smmuv3: a write to a read-only page"
expect_out_has "verdict      not-the-table: C_BAD_STE: not a page-table fault" "smmuv3: C_BAD_STE"
expect_out_has "what arm_smmu_write_ste() wrote for it" "smmuv3: where to look instead"

# stage 2: the IPA in evt3 is walked in a stage-2 table
evt 21.0 0x13 0x0000010000000013 0x0000028000000000 0x1234 0x0000000080000000 >s2.log
run pgtctl fault s2.yaml --log s2.log
expect_status 0 "smmuv3 stage 2: explained"
expect_out_has "line 1: smmuv3 fault at iova 0x1234 (ipa 0x80000000) (arm-smmu-v3 arm-smmu-v3.0.auto)" "the IPA"
expect_out_has "decoded      permission fault (F_PERMISSION), write, unprivileged, stage 2" "stage 2"
expect_out_has "maps it to 0x900000000 with prot read: no writes" "the stage-2 leaf refuses the write"
run pgtctl fault --json s2.yaml --log s2.log
expect_py 'j["faults"][0]["walked"] == "0x80000000" and j["faults"][0]["space"] == "ipa" and j["faults"][0]["ipa"] == "0x80000000"' \
	"--json: the IPA walked"
run pgtctl fault smmu.img --log s2.log
expect_status 1 "a stage-2 fault against a stage-1 table: not explained"
expect_out_has "note         the fault is at stage 2, and this is a stage-1 table" "a note says so"

# a record cut short, and a word from another device in between
{
	evt 22.0 0x10 0x0000010000000010
	echo "[ 22.1] other-dev 1.x: 	0x0000000000000000"
	evt 22.2 0x10 0x0000010000000010 0x0000020800000000 0x80000000 0
} >cut.log
diag "fault cut short" pgtctl fault smmu.img --log cut.log
expect_err_has "pgtctl: cut.log:1: smmuv3 fault cut short: 3 more lines expected, like '0x...'" \
	"it is named by its line"
expect_out_has "line 4: smmuv3 fault at iova 0x80000000" "the next record still counts"
expect_out_has "1 fault in 8 lines: 1 not-mapped; 1 explained by the table; 1 unreadable" "the summary counts it"
run pgtctl fault --json smmu.img --log cut.log
expect_py 'j["faults"][0] == {"error": "cut.log:1: smmuv3 fault cut short: 3 more lines expected, like \u00270x...\u0027"} and j["summary"]["unreadable"] == 1' \
	"--json: the error is an element of the faults"

# --- amd-vi: amd_iommu_report_page_fault() ------------------------------------
# pci_err(): "Event logged [IO_PAGE_FAULT domain=0x%04x address=0x%llx flags=0x%04x]"
# pr_err(): "Event logged [IO_PAGE_FAULT device=%04x:%02x:%02x.%x domain=0x%04x address=0x%llx flags=0x%04x]"
cat >amd.yaml <<'Y'
format: amd-iommu-v1
config: { mode: 3 }
memory: { base: 0x100000000 }
mappings:
  - { iova: 0x1000, paddr: 0x10001000, size: 4K, prot: r }
  - { iova: 0x200000, paddr: 0x10200000, size: 2M, prot: rw }
Y
amd_pci() {
	printf 'Jan 01 00:00:0%s host kernel: vfio-pci 0000:03:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x%04x address=0x%x flags=0x%04x]\n' \
		"$1" 0xe "$2" "$3"
}
{
	amd_pci 1 0x2000 0x20     # level 0
	amd_pci 2 0x400000 0x0    # level 1
	amd_pci 3 0x40000000 0x0  # level 2
	amd_pci 4 0x1010 0x70     # a write to a read-only page (PR, RW, PE)
	printf 'Jan 01 00:00:05 host kernel: AMD-Vi: Event logged [IO_PAGE_FAULT device=%04x:%02x:%02x.%x domain=0x%04x address=0x%x flags=0x%04x]\n' \
		0 4 0 1 2 0x200040 0x20
	printf 'Jan 01 00:00:06 host kernel: AMD-Vi: Event logged [IO_PAGE_FAULT device=%04x:%02x:%02x.%x domain=0x%04x address=0x%x flags=0x%04x]\n' \
		0 4 0 1 2 0xfee00000 0x8
} >amd.log
run pgtctl fault amd.yaml --log amd.log
expect_status 1 "amd-vi: faults the table does not explain: exit 1"
for l in 0 1 2; do
	expect_out_has "verdict      not-mapped: the level $l descriptor" "amd-vi: an empty level-$l descriptor"
done
expect_out_has "flags        0x70  PE RW PR" "amd-vi: the flags decoded"
expect_out_has "devid        0x300  bus=3 slot=0 fn=0" "amd-vi: the device from pci_err()'s prefix"
expect_out_has "devid        0x401  bus=4 slot=0 fn=1" "amd-vi: the device from pr_err()'s text"
expect_out_has "with prot read: no writes" "amd-vi: a write to a read-only page"
expect_out_has "verdict      mapped: the 2M block at level 1" "amd-vi: mapped fine"
expect_out_has "verdict      not-the-table: IO_PAGE_FAULT of an interrupt request" "amd-vi: an interrupt request"

# --- amd-vi-event: iommu_print_event()'s other events -------------------------
# each line as 6.12 prints it, in its dev_err() form; RMP_PAGE_FAULT in its
# pci_err() form; "Device not attached" over two lines; IO_PAGE_FAULT among
# them stays the amd-vi kind's
{
	echo '[ 12.0] AMD-Vi: Event logged [ILLEGAL_DEV_TABLE_ENTRY device=0000:03:00.0 pasid=0x00000 address=0xfffffffdf8000000 flags=0x0a00]'
	echo '[ 12.0] AMD-Vi: DTE[0]: 6000003ff4a36003'
	echo '[ 12.1] iommu ivhd0: AMD-Vi: Event logged [PAGE_TAB_HARDWARE_ERROR device=0000:03:00.0 pasid=0x0000 address=0x12345000 flags=0x0000]'
	echo '[ 12.2] iommu ivhd0: AMD-Vi: Event logged [ILLEGAL_COMMAND_ERROR address=0x3ff4a1000]'
	echo '[ 12.3] iommu ivhd0: AMD-Vi: Event logged [COMMAND_HARDWARE_ERROR address=0x3ff4a1000 flags=0x0010]'
	echo '[ 12.4] iommu ivhd0: AMD-Vi: Event logged [IOTLB_INV_TIMEOUT device=0000:03:00.0 address=0x3ff4a1020]'
	echo '[ 12.5] iommu ivhd0: AMD-Vi: Event logged [DEV_TAB_HARDWARE_ERROR device=0000:03:00.0 address=0x3ff400018 flags=0x0000]'
	echo '[ 12.6] iommu ivhd0: AMD-Vi: Event logged [INVALID_PPR_REQUEST device=0000:05:00.2 pasid=0x00001 address=0x7f0000 flags=0x0000 tag=0x001]'
	echo '[ 12.7] vfio-pci 0000:03:00.0: AMD-Vi: Event logged [RMP_PAGE_FAULT vmg_tag=0x0001, gpa=0x80000000, flags_rmp=0x0001, flags=0x0020]'
	echo '[ 12.8] AMD-Vi: Event logged [RMP_HW_ERROR device=0000:03:00.0, vmg_tag=0x0001, spa=0x80000000, flags=0x0000]'
	echo '[ 12.9] AMD-Vi: Event logged [Device not attached to domain properly]'
	echo '[ 12.9] AMD-Vi:   device=0000:03:00.0 domain=0x0002'
	echo '[ 13.0] nvme 0000:03:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0002 address=0x2000 flags=0x0020]'
	echo '[ 13.1] iommu ivhd0: AMD-Vi: Event logged [INVALID_DEVICE_REQUEST device=0000:03:00.0 pasid=0x00000 address=0x0 flags=0x0100]'
} >events.log
run pgtctl fault amd.yaml --log events.log --json
expect_status 1 "amd-vi-event: events the table does not explain: exit 1"
expect_py '[(f["line"], f["kind"], f["code"], f["class"], f["verdict"]) for f in j["faults"]] == [(1, "amd-vi-event", "ILLEGAL_DEV_TABLE_ENTRY", "config", "not-the-table"), (3, "amd-vi-event", "PAGE_TAB_HARDWARE_ERROR", "walk-abort", "not-the-table"), (4, "amd-vi-event", "ILLEGAL_COMMAND_ERROR", "other", "not-the-table"), (5, "amd-vi-event", "COMMAND_HARDWARE_ERROR", "other", "not-the-table"), (6, "amd-vi-event", "IOTLB_INV_TIMEOUT", "other", "not-the-table"), (7, "amd-vi-event", "DEV_TAB_HARDWARE_ERROR", "config", "not-the-table"), (8, "amd-vi-event", "INVALID_PPR_REQUEST", "config", "not-the-table"), (9, "amd-vi-event", "RMP_PAGE_FAULT", "other", "not-the-table"), (10, "amd-vi-event", "RMP_HW_ERROR", "other", "not-the-table"), (11, "amd-vi-event", "DEVICE_NOT_ATTACHED", "config", "not-the-table"), (13, "amd-vi", "IO_PAGE_FAULT", "translation", "not-mapped"), (14, "amd-vi-event", "INVALID_DEVICE_REQUEST", "config", "not-the-table")]' \
	"amd-vi-event: every event line found and named, none walked"
expect_py 'j["faults"][0]["registers"] == {"event": "ILLEGAL_DEV_TABLE_ENTRY", "address": "0xfffffffdf8000000", "flags": "0xa00", "pasid": "0x0", "devid": "0x300"}' \
	"amd-vi-event: the fields of a dev_err() line"
expect_py 'j["faults"][6]["registers"]["devid"] == "0x502" and j["faults"][7]["registers"] == {"event": "RMP_PAGE_FAULT", "address": "0x80000000", "flags": "0x20", "devid": "0x300"} and j["faults"][8]["registers"]["address"] == "0x80000000" and j["faults"][9]["registers"] == {"event": "DEVICE_NOT_ATTACHED", "domain": "0x2", "devid": "0x300"}' \
	"amd-vi-event: the device from the text or the prefix, gpa=/spa= as the address, the domain from the second line"
run pgtctl fault amd.yaml --kind amd-vi-event event=page_tab_hardware_error address=0x12345000
expect_out_has "verdict      not-the-table: PAGE_TAB_HARDWARE_ERROR: no address in it to walk" \
	"PAGE_TAB_HARDWARE_ERROR: a walk abort with nothing to walk"
expect_out_has "check the DTE's root pointer against this table's root" "the next step for it"
run pgtctl fault amd.yaml --kind amd-vi-event event=IO_PAGE_FAULT
expect_status 2 "IO_PAGE_FAULT is amd-vi's, not an amd-vi-event"
expect_err_has "event: 'IO_PAGE_FAULT' is not one of ILLEGAL_DEV_TABLE_ENTRY," "lists the events"
expect_err_has "RMP_PAGE_FAULT, RMP_HW_ERROR, DEVICE_NOT_ATTACHED" "all of them, to the last"

# --- apple-dart: apple_dart_t8020_irq(), apple_dart_t8110_irq() ---------------
# "translation fault: status:0x%x stream:%d code:0x%x (%s) at 0x%llx"
cat >dart.yaml <<'Y'
format: apple-dart
config: { ias: 32, oas: 36, pgsize: [16K] }
memory: { base: 0x800000000 }
mappings:
  - { iova: 0x4000, paddr: 0x800004000, size: 16K, prot: r }
  - { iova: 0x8000, paddr: 0x800008000, size: 16K, prot: w }
Y
dart() {
	printf '[ 30.0] apple-dart 382f00000.iommu: translation fault: status:0x%x stream:%d code:0x%x (%s) at 0x%x\n' "$@"
}
{
	dart 0x81000004 1 0x4 "NO PTE FOR IOVA" 0xc000
	dart 0x81000002 1 0x2 "NO PMD FOR IOVA" 0x10000000
	dart 0x81000008 1 0x8 "WRITE FAULT" 0x4000
	dart 0x81000010 1 0x10 "READ FAULT" 0x8000
	dart 0x80300008 3 0x8 "NO PTE FOR IOVA" 0xc000
	dart 0x81000004 1 0x4 "NO PTE FOR IOVA" 0x8000
} >dart.log
run pgtctl fault dart.yaml --log dart.log
expect_status 1 "apple-dart: one fault the table does not explain"
expect_out_has "the DART reports a translation fault at level 2 too" "apple-dart: NO PTE, an empty level-2 descriptor"
expect_out_has "the DART reports a translation fault at level 1 too" "apple-dart: NO PMD, an empty level-1 descriptor"
expect_out_has "with prot read: no writes" "apple-dart: a WRITE FAULT on a read-only page"
expect_out_has "with prot write: no reads" "apple-dart: a READ FAULT on a write-only page"
expect_out_has "hw           t8110" "apple-dart: the t8110 layout, told by its code"
expect_out_has "error        0x80300008  FLAG STREAM=3 CODE=8(NO PTE FOR IOVA)" "apple-dart: t8110's stream bits 27:20"
expect_out_has "verdict      mapped: the 16K page at level 2" "apple-dart: mapped fine"
run pgtctl fault dart.yaml --kind apple-dart error=0x80000004 addr_lo=0xc000 addr_hi=0
expect_status 0 "apple-dart from the registers, ADDR_LO and ADDR_HI"

# --- mali: panfrost_mmu_irq_handler_thread(), panthor_mmu_irq_handler() -------
# "Unhandled Page fault in AS%d at VA 0x%016llX\n" ["Reason: %s\n"]
# "raw fault status: 0x%X\n" ... (one message; dmesg shows its lines)
cat >gpu.yaml <<'Y'
format: arm-mali-lpae
config: { ias: 48, oas: 40, pgsize: [4K, 2M] }
memory: { base: 0x80000000 }
mappings:
  - { iova: 0x1000000, paddr: 0xa1200000, size: 4K, prot: [read] }
  - { iova: 0x1100000, paddr: 0xa1300000, size: 4K, prot: [read, write, noexec] }
Y
panfrost() {
	printf '[ 40.0] panfrost 1800000.gpu: Unhandled Page fault in AS%d at VA 0x%016X\n' 1 "$1"
	printf 'Reason: %s\nraw fault status: 0x%X\n' TODO "$2"
	printf 'decoded fault status: %s\nexception type 0x%X: %s\n' "SLAVE FAULT" 0 x
}
panthor() {
	printf '[ 50.0] panthor fb000000.gpu: [drm] *ERROR* Unhandled Page fault in AS%d at VA 0x%016X\n' 0 "$1"
	printf '[ 50.0] raw fault status: 0x%X\n[ 50.0] source id 0x0\n' "$2"
}
{
	panfrost 0x40000000 0x2C1   # TRANSLATION_FAULT_1, READ
	panfrost 0x3000000 0x2C2    # TRANSLATION_FAULT_2
	panthor 0x1001000 0x3C3     # TRANSLATION_FAULT_3, WRITE
	panthor 0x1100000 0x1CB     # PERM_FAULT_3, EXECUTE of noexec
	panfrost 0x1000000 0x3CB    # PERM_FAULT_3, WRITE of read-only
} >gpu.log
run pgtctl fault gpu.yaml --log gpu.log
expect_status 0 "mali: every fault explained"
for l in 1 2 3; do
	expect_out_has "the GPU MMU reports a translation fault at level $l too" "mali: an empty level-$l descriptor"
done
expect_out_has "faultstatus  0x1cb  EXCEPTION_TYPE=0xcb(PERM_FAULT_3) ACCESS_TYPE=1(EXECUTE)" "mali: FAULTSTATUS decoded"
expect_out_has "with prot read,write,noexec: no instruction fetches (noexec)" "mali: an execute of a noexec page"
expect_out_has "with prot read: no writes" "mali: a write to a read-only page"
expect_out_has "(panthor fb000000.gpu: [drm] *ERROR*)" "mali: panthor's drm_err() line"

# --- broken walks --------------------------------------------------------------
cp smmu.img bad.img
elftool poke bad.img 0x80001008 0x0000007000000003   # L1[1]: a table outside memory
elftool poke bad.img 0x80001010 0x0000000080001003   # L1[2]: back to itself
elftool poke bad.img 0x80002400 0x0000000000000002   # L2[128]: a reserved type
run pgtctl fault bad.img --kind arm-smmu fsr=0x10 fsynr0=0x412 far=0x40000000
expect_status 0 "a table walk abort where the table points outside memory"
expect_out_has "verdict      outside-memory:" "outside memory"
expect_out_has "the SMMU reports a failed access of the table walk too" "the SMMU agrees"
run pgtctl fault bad.img --kind arm-smmu fsr=0x2 far=0x80000000
expect_out_has "verdict      loop:" "a loop"
run pgtctl fault bad.img --kind arm-smmu fsr=0x2 fsynr0=0x12 far=0x10000000
expect_out_has "verdict      malformed: the level 2 descriptor at 0x80002400 (0x0000000000000002) is malformed: reserved descriptor type 0b10" \
	"a malformed descriptor"
run pgtctl fault smmu.img --kind arm-smmu fsr=0x80 far=0x1000000000000
expect_out_has "verdict      out-of-range:" "an address beyond the input range"

# --- the log from standard input, a SOURCE from memory ---------------------------
pgtctl emit smmu.img -o smmu.raw --raw >/dev/null
smmu_line 1.0 0x402 0x80000000 0x11 >one.log
run sh -c "\"$PGTCTL\" fault --raw smmu.raw --base 0x80000000 --format arm-64-lpae-s1 --root 0x80000000 --log - <one.log"
expect_status 0 "--log - reads standard input; memory sources work"
expect_out_has "1 fault in 1 line: 1 not-mapped; 1 explained by the table" "a summary"

# --- bad input -----------------------------------------------------------------
head -c 2000 /dev/urandom | tr -d '\000' >garbage.log
printf 'Unhandled context fault: fsr=0x2\nevent 0x10 received\ntranslation fault: status:zz\n' >>garbage.log
run pgtctl fault smmu.img --log garbage.log
expect_status 1 "a log without faults: exit 1"
expect_out_has "no faults in" "says so"
run pgtctl fault smmu.img --log nonexistent.log
expect_status 2 "an unreadable log: exit 2"
expect_err_has "pgtctl: nonexistent.log: No such file or directory" "names it"
diag "unknown fault kind" pgtctl fault smmu.img --kind vt-d fsr=1
expect_err_has "unknown fault kind 'vt-d' (kinds: arm-smmu, arm-smmu-global, smmuv3, amd-vi, amd-vi-event, intel-vtd, riscv, apple-dart, mali)" "lists the kinds"
diag "has no field" pgtctl fault smmu.img --kind arm-smmu fsr=0x2 far=0x1000 wnr=1
expect_err_has "arm-smmu has no field 'wnr' (its fields: fsr, fsynr0, far, cbfrsynra, cb)" "lists the fields"
diag "needs FIELD=VALUE" pgtctl fault smmu.img --kind arm-smmu fsr=0x2
expect_err_has "arm-smmu needs far=VALUE" "a missing field"
diag "apple-dart needs the address" pgtctl fault smmu.img --kind apple-dart error=0x81000004
diag "needs evt1 and evt2" pgtctl fault smmu.img --kind smmuv3 evt0=0x10
diag "needs evt3" pgtctl fault smmu.img --kind smmuv3 evt0=0x10 evt1=0x8000000000 evt2=0x1000
diag "is not a number" pgtctl fault smmu.img --kind arm-smmu fsr=0x2x far=0
expect_err_has "pgtctl: fsr: '0x2x' is not a number" "names the field"
diag "is not FIELD=VALUE" pgtctl fault smmu.img --kind arm-smmu fsr 0x2 far=0
diag "FIELD is given twice" pgtctl fault smmu.img --kind arm-smmu fsr=0x2 fsr=0x8 far=0
diag "does not fit in N bits" pgtctl fault smmu.img --kind mali faultstatus=0x1ffffffff faultaddress=0
expect_err_has "faultstatus: 0x1ffffffff does not fit in 32 bits" "a value wider than its register"
diag "is not one of WORDS" pgtctl fault smmu.img --kind apple-dart error=1 addr=0 hw=m3
expect_err_has "hw: 'm3' is not one of t8020, t8103, t6000, t8110" "a word field"
diag "COMMAND needs WHAT" pgtctl fault smmu.img
diag "COMMAND needs WHAT" pgtctl fault smmu.img --kind mali --log smmu.log
diag "COMMAND takes" pgtctl fault smmu.img --log smmu.log fsr=1
expect_err_has "fault --log takes no FIELD=VALUE ('fsr=1')" "--log takes no fields"
# a record whose lines disagree
evt 23.0 0x10 0x0000010000000013 0x0000020800000000 0x80000000 0 >disagree.log
diag "fault: PROBLEM" pgtctl fault smmu.img --log disagree.log
expect_err_has "disagree.log:1: smmuv3 fault: event 0x10 received, but evt0 says 0x13" "names the line and both ids"
echo '[ 1.0] AMD-Vi: Event logged [GUEST_EVENT_LOG_OVERFLOW device=0000:03:00.0 address=0x1000]' >newevent.log
diag "fault: PROBLEM" pgtctl fault smmu.img --log newevent.log
expect_err_has "newevent.log:1: amd-vi-event fault: unknown AMD-Vi event 'GUEST_EVENT_LOG_OVERFLOW'" \
	"an AMD-Vi event 6.12 does not print is named"
run pgtctl fault --json smmu.img --kind arm-smmu fsr=x far=0
expect_py 'j == {"error": "fsr: \u0027x\u0027 is not a number (hex 0x..., decimal, suffixes K M G T P E)"}' "--json: a usage error is JSON"

# --- completion -------------------------------------------------------------------
# (the completion asks the pgtctl it completes, which lists the library's
# kinds and fields)
COMP="$PGTCTL_TOP/completions/pgtctl.bash"
complete_words() {
	PATH="$(dirname "$PGTCTL"):$PATH" bash -c ". $COMP; COMP_WORDS=($1); COMP_CWORD=$2; _pgtctl; echo \${COMPREPLY[*]}"
}
kinds_a=$(pgtctl fault --help | sed -n '/^Kinds and their/,$ s/^  \(a[a-z0-9-]*\): .*/\1/p' | tr '\n' ' ' | sed 's/ $//')
[ -n "$kinds_a" ] && [ "$(complete_words "pgtctl fault x.img --kind a" 4)" = "$kinds_a" ] &&
	ok "bash completes fault kinds" || not_ok "bash completes fault kinds" "want: $kinds_a"
[ "$(complete_words "pgtctl fault x.img --kind mali fa" 5)" = "faultstatus= faultaddress=" ] &&
	ok "bash completes the kind's fields" || not_ok "bash completes the kind's fields" \
	"$(complete_words "pgtctl fault x.img --kind mali fa" 5)"

done_testing

#!/bin/sh
# SPDX-License-Identifier: MIT
# fault for Intel VT-d, the RISC-V IOMMU and AMD-Vi faults with a PASID:
# the lines Linux 6.12 and 7.3 print (each printk format quoted above its
# group, printed here less the l and ll length modifiers, which dash's
# printf does not take), the fault recording registers and fault queue
# records as FIELD=VALUE, each walked in the table its reason or cause is
# about, explained or not; and, given the IOMMU's registers, each fault
# walked in the table of the device (and PASID) it names, as the IOMMU's
# own structures give it, with no --root.
. "$(dirname "$0")/lib.sh"
iommutool() { python3 "$PGTCTL_TOP/tests/tools/iommutool.py" "$@"; }

# the tables: VT-d second stage (a NIC's, root 0x1f0000000, AW 2), VT-d
# first stage (root 0x1f8000000), RISC-V Sv48 (root 0x80200000), AMD v2
# (root 0x240000000)
pgtctl build "$SAMPLES/vtd-nic.yaml" -o ss.img >/dev/null
cat >fs.yaml <<'Y'
format: intel-vtd-fs
kernel: 7.3
config: { ias: 48 }
memory: { base: 0x1f8000000 }
mappings:
  - { iova: 0x7f0000001000, paddr: 0x120000000, size: 4K, prot: rw }
  - { iova: 0x7f0000002000, paddr: 0x120001000, size: 4K, prot: r }
  - { iova: 0x7f0000004000, paddr: 0xffffff800000, size: 4K, prot: rw }
Y
pgtctl build fs.yaml -o fs.img >/dev/null
pgtctl build "$SAMPLES/riscv-sv48.yaml" -o rv.img >/dev/null
pgtctl build "$SAMPLES/amd-v2-pasid.yaml" -o v2.img >/dev/null

# --- intel-vtd: dmar_fault_do_one() --------------------------------------------
# 6.12: pr_err("[%s NO_PASID] Request device [%02x:%02x.%d] fault addr 0x%llx [fault reason 0x%02x] %s\n", ...)
#       pr_err("[%s PASID 0x%x] Request device [%02x:%02x.%d] fault addr 0x%llx [fault reason 0x%02x] %s\n", ...)
#       pr_err("[INTR-REMAP] Request device [%02x:%02x.%d] fault index 0x%llx [fault reason 0x%02x] %s\n", ...)
# 7.3:  the same with the requester as [%04x:%02x:%02x.%d], the segment first
# (pr_fmt "DMAR: "; type ? "DMA Read" : "DMA Write")
dmar612() {
	printf '[ %s] DMAR: [%s NO_PASID] Request device [%02x:%02x.%d] fault addr 0x%x [fault reason 0x%02x] %s\n' "$@"
}
dmar73() {
	printf '[ %s] DMAR: [%s NO_PASID] Request device [%04x:%02x:%02x.%d] fault addr 0x%x [fault reason 0x%02x] %s\n' "$@"
}
dmar73_pasid() {
	printf '[ %s] DMAR: [%s PASID 0x%x] Request device [%04x:%02x:%02x.%d] fault addr 0x%x [fault reason 0x%02x] %s\n' "$@"
}
{
	echo "[ 10.0] DMAR: DRHD: handling fault status reg 2"
	dmar612 10.1 "DMA Read" 0 3 0 0xfffffff00000 6 "PTE Read access is not set"
	dmar73 10.2 "DMA Write" 0 0 3 0 0xffffff800000 5 "PTE Write access is not set"
	dmar73 10.3 "DMA Write" 0 0 3 0 0xfffffffff000 5 "PTE Write access is not set"
	dmar612 10.4 "DMA Read" 0 3 0 0x1000000000000 4 "Access beyond MGAW"
	dmar612 10.5 "DMA Read" 0 3 0 0xfffffffff000 2 "Present bit in context entry is clear"
	printf '[ %s] DMAR: [INTR-REMAP] Request device [%02x:%02x.%d] fault index 0x%x [fault reason 0x%02x] %s\n' \
		10.6 0 0x1f 0 0x13 0x22 "Present field in the IRTE entry is clear"
	printf '[ %s] DMAR: [INTR-REMAP] Request device [%04x:%02x:%02x.%d] fault index 0x%x [fault reason 0x%02x] %s\n' \
		10.7 0 0 0x1f 0 0x14 0x25 "Blocked a compatibility format interrupt request"
} >vtd.log
run pgtctl fault ss.img --log vtd.log
expect_status 1 "intel-vtd log: faults the table does not explain: exit 1"
expect_out_has "line 2: intel-vtd fault at iova 0xfffffff00000 (DMAR)" "6.12's line, behind the DRHD line"
expect_out_has "decoded      page fault (PTE Read access is not set), read, stage 2" \
	"reason 0x06: a page fault of the second stage, a read"
expect_out_has "verdict      not-mapped: the level 0 descriptor at" "and not mapped: the table explains it"
expect_out_has "the IOMMU reports a page fault too" "the IOMMU and the table agree"
expect_out_has "seg          0x0" "7.3's line: the segment"
expect_out_has "with prot read: no writes" "reason 0x05 on the read-only firmware: a permission the table refuses"
expect_out_has "the IOMMU found no leaf that allows the access, but this table's leaf allows it" \
	"reason 0x05 on a writable ring page: the table does not explain it"
expect_out_has "decoded      address size fault (Access beyond MGAW), read, stage 2" "reason 0x04"
expect_out_has "verdict      out-of-range:" "beyond the 48-bit table: out of range, agreed"
expect_out_has "verdict      not-the-table: Present bit in context entry is clear: not a page-table fault" \
	"a context entry reason is not the table's"
expect_out_has "the root or context entry of this requester" "and says where to look"
expect_out_has "addr         0x13000000000000  index=0x13(the interrupt index)" \
	"INTR-REMAP: the fault index is FI bits 63:48"
expect_out_has "interrupt remapping table entry (IRTE)" "INTR-REMAP: not the DMA page table"
expect_out_has "7 faults in 8 lines: 1 not-mapped, 1 permission, 1 mapped, 1 out-of-range, 3 not-the-table; 3 explained by the table" \
	"the summary: the DRHD line is no fault"
run pgtctl fault ss.img --log vtd.log --json
expect_py '[(f["line"], f["code"], f["class"], f["stage"], f["verdict"], f["explained"]) for f in j["faults"]] == [(2, "PTE Read access is not set", "page", 2, "not-mapped", True), (3, "PTE Write access is not set", "page", 2, "permission", True), (4, "PTE Write access is not set", "page", 2, "mapped", False), (5, "Access beyond MGAW", "address-size", 2, "out-of-range", True), (6, "Present bit in context entry is clear", "config", None, "not-the-table", False), (7, "Present field in the IRTE entry is clear", "config", None, "not-the-table", False), (8, "Blocked a compatibility format interrupt request", "config", None, "not-the-table", False)]' \
	"--json: each line's reason, class, stage and verdict"
expect_py 'j["faults"][0]["registers"] == {"reason": "0x6", "addr": "0xfffffff00000", "sid": "0x18", "type": "read"} and j["faults"][1]["registers"]["seg"] == "0x0"' \
	"--json: the line's fields as the registers (6.12's without the segment)"

# a first-stage reason against a second-stage table, and against its own
dmar73_pasid 11.0 "DMA Write" 2 0 0 3 0 0x7f0000002000 0x85 "SM: No write permission for Write/AtomicOp request" >fs.log
dmar73_pasid 11.1 "DMA Read" 2 0 0 3 0 0x7f0000003000 0x71 "SM: Present bit in first-level paging entry is clear" >>fs.log
run pgtctl fault fs.img --log fs.log
expect_status 0 "first-stage reasons in the first-stage table: explained"
expect_out_has "pasid        0x2" "the PASID of the line"
expect_out_has "decoded      permission fault (SM: No write permission for Write/AtomicOp request), write" \
	"reason 0x85: a permission fault"
expect_out_has "decoded      translation fault (SM: Present bit in first-level paging entry is clear), read, stage 1" \
	"reason 0x71: a translation fault of the first stage"
run pgtctl fault ss.img --log fs.log
expect_status 1 "a first-stage reason against a second-stage table: not explained"
expect_out_has "the fault is at stage 1, and this is a stage-2 table" "the note says so"
expect_out_has "give the first-stage table (the PASID entry's FSPTPTR) to explain it" "and which table to give"

# the fault recording register, as dmar_fault() reads it
# frcd_hi: F 63, T 62, PV 59:40, FR 39:32, PP 31, EXE 30, PRIV 29, T2 28, SID 15:0
run pgtctl fault ss.img --kind intel-vtd frcd_lo=0xfffffff00000 frcd_hi=0xc000000600000018
expect_status 0 "FRCD: reason 6, a read of 00:03.0, explained"
expect_out_has "frcd_hi      0xc000000600000018  F T AT=0 PV=0 FR=6(PTE Read access is not set) SID=0x18" "FRCD decoded"
expect_out_has "frcd_lo      0xfffffff00000  FI=0xfffffff00" "FI: the page address"
run pgtctl fault fs.img --kind intel-vtd frcd_lo=0x7f0000002000 frcd_hi=0xc0000285b0000018
expect_out_has "decoded      permission fault (SM: No write permission for Write/AtomicOp request), read+write, privileged" \
	"T with T2: an AtomicOp, a read and a write; PRIV with PP: privileged"
run pgtctl fault ss.img --kind intel-vtd frcd_lo=0x1000 frcd_hi=0x0000000600000018
expect_out_has "decoded      no fault (F clear)" "F clear: no fault recorded"
diag "KIND takes WHAT, not both" pgtctl fault ss.img --kind intel-vtd frcd_lo=0 frcd_hi=0 reason=6
diag "needs FIELD=VALUE" pgtctl fault ss.img --kind intel-vtd frcd_lo=0
expect_err_has "intel-vtd needs frcd_hi=VALUE" "the other half of the register"
diag "needs FIELD=VALUE" pgtctl fault ss.img --kind intel-vtd addr=0x1000
expect_err_has "intel-vtd needs reason=VALUE" "a reason, or the register"
diag "needs FIELD=VALUE" pgtctl fault ss.img --kind intel-vtd reason=6
expect_err_has "intel-vtd needs addr=VALUE" "and the address"
diag "is not one of WORDS" pgtctl fault ss.img --kind intel-vtd reason=6 addr=0 type=atomic
expect_err_has "type: 'atomic' is not one of write, read" "type: read or write, as the line says"
diag "does not fit in N bits" pgtctl fault ss.img --kind intel-vtd reason=0x100 addr=0

# lines that are not what the kernel prints
{
	dmar612 12.0 "DMA Fetch" 0 3 0 0x1000 6 x
	dmar612 12.1 "DMA Read" 0 0x20 0 0x1000 6 x
	printf '[ 12.2] DMAR: [INTR-REMAP] Request device [00:1f.0] fault index 0x10000 [fault reason 0x22] x\n'
} >bad.log
diag "fault: PROBLEM" pgtctl fault ss.img --log bad.log
expect_err_has "bad.log:1: intel-vtd fault: 'DMA Fetch' is neither a DMA Read nor a DMA Write" "a direction the kernel does not print"
expect_err_has "bad.log:2: intel-vtd fault: Request device [0:20.0] is no PCI requester" "a slot beyond 0x1f"
expect_err_has "bad.log:3: intel-vtd fault: fault index 0x10000 is wider than 16 bits" "an index FI cannot hold"

# --- riscv: riscv_iommu_fault() (7.3) --------------------------------------------
# dev_warn_ratelimited(iommu->dev, "Fault %d devid: 0x%x iotval: %llx iotval2: %llx\n", ...)
rvfault() {
	printf '[ %s] riscv,iommu 3010000.iommu: Fault %d devid: 0x%x iotval: %x iotval2: %x\n' "$@"
}
{
	rvfault 5.0 15 0x10 0x200000 0      # a write to the read-only 2M buffer
	rvfault 5.1 13 0x10 0x400000 0      # nothing mapped
	rvfault 5.2 12 0x10 0x200000 0      # an instruction fetch of the noexec buffer
	rvfault 5.3 13 0x10 0x1000 0        # mapped fine
	rvfault 5.4 258 0x18 0x1000 0       # no device context
	rvfault 5.5 21 0x10 0x1000 0x80001001  # a G-stage fault of the walk's own access
	rvfault 5.6 274 0x10 0x1000 0       # the walk read corrupted data
	echo "[ 5.7] riscv,iommu 3010000.iommu: Queue #1 error; memory fault:1 overflow:0"
} >rv.log
run pgtctl fault rv.img --log rv.log
expect_status 1 "riscv log: faults the table does not explain"
expect_out_has "cause        0xf  CAUSE=0xf(Write/AMO page fault)" "the cause, as the specification names it"
expect_out_has "decoded      page fault (WR_FAULT_S), write, stage 1" "cause 15: a first-stage page fault, as the kernel names it"
expect_out_has "with prot read,noexec: no writes" "a write to the read-only buffer"
expect_out_has "verdict      not-mapped: the level 1 descriptor" "cause 13: nothing mapped"
expect_out_has "no instruction fetches (noexec)" "cause 12: a fetch of a noexec page"
expect_out_has "decoded      configuration error (DDT_INVALID)" "cause 258: the device context"
expect_out_has "riscv_iommu_iodir_update() clears it on detach" "and why it is invalid"
expect_out_has "iotval2      0x80001001  GPA=0x80001000 implicit" "iotval2: the GPA and the implicit access"
expect_out_has "give the G-stage table (the device context's iohgatp) to explain it" \
	"a guest-page fault against the first-stage table: the G-stage table is the one"
expect_out_has "decoded      table walk abort (PT_CORRUPTED)" "cause 274: the walk's read"
expect_out_has "7 faults in 8 lines: 1 not-mapped, 2 permission, 3 mapped, 1 not-the-table; 3 explained by the table" \
	"the summary: the queue error line is no fault"
run pgtctl fault rv.img --log rv.log --json
expect_py '[(f["code"], f["class"], f["access"], f["device"]) for f in j["faults"]][:2] == [("WR_FAULT_S", "page", ["write"], "riscv,iommu 3010000.iommu"), ("RD_FAULT_S", "page", ["read"], "riscv,iommu 3010000.iommu")] and j["faults"][5]["ipa"] == "0x80001000"' \
	"--json: code, class, access and the device; the GPA as the ipa"
# the record's header: CAUSE 11:0, PID 31:12, PV 32, PRIV 33, TTYP 39:34, DID 63:40
run pgtctl fault rv.img --kind riscv hdr=0x000010180000000d iotval=0x400000
expect_status 0 "hdr=: a read page fault of a translated read, explained"
expect_out_has "hdr          0x10180000000d  CAUSE=0xd(Read page fault) PID=0 TTYP=6(translated read) DID=0x10" \
	"the header decoded"
run pgtctl fault rv.img --kind riscv hdr=0x101b0000200d iotval=0x400000
expect_out_has "PID=2 PV PRIV TTYP=6(translated read)" "a process ID and a supervisor request"
expect_out_has "read, privileged" "PRIV: privileged"
run pgtctl fault rv.img --kind riscv cause=0 iotval=0
expect_out_has "verdict      not-the-table: the registers record no fault" "cause 0: riscv_iommu_fault() reports nothing"
diag "KIND takes WHAT, not both" pgtctl fault rv.img --kind riscv hdr=0xd cause=13
diag "FIELD= is for" pgtctl fault rv.img --kind riscv cause=13 priv=1 iotval=0
diag "needs FIELD=VALUE" pgtctl fault rv.img --kind riscv iotval=0
expect_err_has "riscv needs cause=VALUE" "a cause, or the header"

# --- amd-vi with a PASID (GN): the PASID's v2 table ----------------------------
# "Event logged [IO_PAGE_FAULT device=%04x:%02x:%02x.%x domain=0x%04x address=0x%llx flags=0x%04x]"
# (the domain is the PASID, truncated to a u16 by amd_iommu_report_page_fault())
run pgtctl fault v2.img --kind amd-vi address=0x7f3a1c210000 flags=0x71 devid=0x30 pasid=1
expect_status 0 "GN: a write to a read-only page of the PASID's v2 table, explained"
expect_out_has "with prot read: no writes" "the v2 table walked"
run pgtctl fault v2.img --kind amd-vi address=0x7f3a1c210000 flags=0x70
expect_out_has "note         this amd-vi fault (IO_PAGE_FAULT) is walked in amd-iommu-v1 tables, and the table given is amd-iommu-v2" \
	"without GN the host (v1) table is the one"
diag "FIELD= is for" pgtctl fault v2.img --kind amd-vi address=0 flags=0x70 pasid=1

# --- each fault in its device's table: the IOMMU's structures -------------------
pgtctl emit ss.img -o ss.raw --raw >/dev/null
pgtctl emit fs.img -o fs.raw --raw >/dev/null
pgtctl emit rv.img -o rv.raw --raw >/dev/null
pgtctl emit v2.img -o v2.raw --raw >/dev/null
RT=0x10000000   # VT-d legacy: root table
CT=0x10001000   # its context table for bus 0
SRT=0x10002000  # VT-d scalable mode: root table
SCT=0x10003000  # its lower context table
PDIR=0x10004000 # a PASID directory
PTAB=0x10005000 # its first PASID table
DDT=0x10006000  # a RISC-V device directory (1LVL)
DT=0x10008000   # an AMD-Vi device table (one page)
GCR3=0x1000a000 # a GCR3 table
# 00:03.0 (devfn 0x18): legacy context entry P, TT 0, SLPTPTR, AW 2, DID 5;
# scalable: PASIDE, P; RID_PASID 0's PASID entry second stage (PGTT 2, AW
# 2), PASID 2's first stage (PGTT 1, FLPTPTR, FLPM 0), PASID 3 nested (PGTT
# 3: PASID 2's first stage, its outputs through RID_PASID's second stage,
# whose GPA 0xffffff800000, the first stage's output for 0x7f0000004000, is
# read-only); RISC-V device 0x10:
# V, PSCID 3, iosatp Sv48; AMD-Vi 00:06.0: V, TV, GV, IR, IW, one-level
# GCR3 table with PASID 1's guest CR3
iommutool st.raw 0x10000000 0x10000 \
	"$RT=$((CT | 1)),0" "$((CT + 0x18 * 16))=0x1f0000001,$((2 | 5 << 8))" \
	"$SRT=$((SCT | 1)),0" "$((SCT + 0x18 * 32))=$((PDIR | 8 | 1)),0,0,0" \
	"$PDIR=$((PTAB | 1))" \
	"$PTAB=$((0x1f0000000 | 2 << 6 | 2 << 2 | 1)),7,0,0,0,0,0,0" \
	"$((PTAB + 2 * 64))=$((1 << 6 | 1)),8,0x1f8000000,0,0,0,0,0" \
	"$((PTAB + 3 * 64))=$((0x1f0000000 | 3 << 6 | 2 << 2 | 1)),9,0x1f8000000,0,0,0,0,0" \
	"$((DDT + 0x10 * 32))=1,0,$((3 << 12)),$((9 << 60 | 0x80200))" \
	"$((DT + 0x30 * 32))=3|1<<55|3<<61|(($GCR3>>12)&7)<<58,9|(($GCR3>>15)&0xffff)<<16,0,0" \
	"$((GCR3 + 8))=0x240000001"
elftool core mem.elf 0x10000000:st.raw 0x1f0000000:ss.raw 0x1f8000000:fs.raw \
	0x80200000:rv.raw 0x240000000:v2.raw
VTD="--dump mem.elf --iommu intel-vtd --iommu-reg $RT"
SVTD="--dump mem.elf --iommu intel-vtd --iommu-reg $((SRT | 1 << 10))"
RISCV="--dump mem.elf --iommu riscv --iommu-reg $(((DDT >> 12) << 10 | 2))"
AMD="--dump mem.elf --iommu amd-vi --iommu-reg $DT"

dmar612 20.0 "DMA Read" 0 3 0 0xfffffff00000 6 "PTE Read access is not set" >dev.log
dmar73 20.1 "DMA Write" 0 0 3 0 0xffffff800000 5 "PTE Write access is not set" >>dev.log
dmar73 20.2 "DMA Write" 0 0 4 0 0x1000 2 "Present bit in context entry is clear" >>dev.log
run pgtctl fault $VTD --log dev.log
expect_out_has "line 1: intel-vtd fault at iova 0xfffffff00000 (DMAR) in the table of 0000:00:03.0" \
	"VT-d legacy: the fault walked in its requester's second-stage table, no --root"
expect_out_has "verdict      permission: the 4K page at level 0" "explained by it"
expect_err_has "dev.log:3: device 0000:00:04.0: invalid, the context entry is not present: DMA faults: the IOMMU gives it no table" \
	"a requester without a context entry: said"
{
	dmar73_pasid 21.0 "DMA Write" 2 0 0 3 0 0x7f0000002000 0x85 "SM: No write permission for Write/AtomicOp request"
	dmar73 21.1 "DMA Read" 0 0 3 0 0xfffffff00000 0x79 "SM: Read/Write permission error in second-level paging entry"
} >sm.log
run pgtctl fault $SVTD --log sm.log
expect_status 0 "VT-d scalable mode: both faults explained"
expect_out_has "line 1: intel-vtd fault at iova 0x7f0000002000 (DMAR) in the table of 0000:00:03.0/2" \
	"a fault with a PASID: that PASID's first-stage table"
expect_out_has "line 2: intel-vtd fault at iova 0xfffffff00000 (DMAR) in the table of 0000:00:03.0" \
	"one without: RID_PASID's second-stage table"
# nested (PGTT 3): reason 0x79 is the second stage's (dma_remap_sm_fault_reasons[]:
# "Read/Write permission error in second-level paging entry"), walked at
# the GPA the first stage gives the IOVA; a first-stage reason in the first
{
	dmar73_pasid 22.0 "DMA Write" 3 0 0 3 0 0x7f0000004000 0x79 "SM: Read/Write permission error in second-level paging entry"
	dmar73_pasid 22.1 "DMA Write" 3 0 0 3 0 0x7f0000002000 0x85 "SM: No write permission for Write/AtomicOp request"
	dmar73_pasid 22.2 "DMA Read" 3 0 0 3 0 0x7f0000008000 0x79 "SM: Read/Write permission error in second-level paging entry"
} >nested.log
run pgtctl fault $SVTD --log nested.log
expect_out_has "line 1: intel-vtd fault at iova 0x7f0000004000 (DMAR) in the table of 0000:00:03.0/3 (nested: stage 2)" \
	"nested, reason 0x79: the second stage's table"
expect_out_has "note         nested: the first stage translates the IOVA to 0xffffff800000, walked here" \
	"at the GPA the first stage gives the IOVA"
expect_out_has "with prot read: no writes" "explained: the GPA's page is read-only in the second stage"
expect_out_has "line 2: intel-vtd fault at iova 0x7f0000002000 (DMAR) in the table of 0000:00:03.0/3 (nested: stage 1)" \
	"reason 0x85 of the same device: the first stage's table"
expect_out_has "line 3: intel-vtd fault at iova 0x7f0000008000 (DMAR) in the table of 0000:00:03.0/3 (nested: stage 1)" \
	"reason 0x79 at an IOVA the first stage does not map: its walk is shown"
expect_out_has "note         nested: the first stage does not translate the IOVA, so the second stage refused a page of the first-stage tables this walk reads" \
	"and the note says the second stage refused one of its table pages"
expect_out_has "3 faults in 3 lines: 1 not-mapped, 2 permission; 2 explained by the table" \
	"that one is not explained by a walk of the IOVA"
run pgtctl fault $SVTD --log nested.log --json
expect_py '[(f["table_stage"], f["walked"], f["space"], f["explained"]) for f in j["faults"]][:2] == [(2, "0xffffff800000", "ipa", True), (1, "0x7f0000002000", "iova", True)]' \
	"--json: the stage whose table is walked, the GPA as an ipa, both explained"
run pgtctl fault $SVTD --kind intel-vtd frcd_lo=0x7f0000002000 frcd_hi=0x8000028580000018
expect_status 0 "--kind with the registers: the FRCD's requester and PASID find the table"
expect_out_has "in the table of 0000:00:03.0/2" "PP and PV: the PASID's"
run pgtctl fault $SVTD --device 00:03.0 --kind intel-vtd reason=0x85 addr=0x7f0000002000 type=write pasid=2
expect_out_has "in the table of 0000:00:03.0/2" "--device without a PASID: the fault's PASID"
run pgtctl fault $RISCV --log rv.log
expect_out_has "line 1: riscv fault at iova 0x200000 (riscv,iommu 3010000.iommu) in the table of 0000:00:02.0" \
	"RISC-V: the devid's device context, its iosatp's table"
expect_out_has "with prot read,noexec: no writes" "explained by it"
expect_err_has "rv.log:5: device 0000:00:03.0:" "a device ID with no valid device context: said"
printf '[ 30.0] AMD-Vi: Event logged [IO_PAGE_FAULT device=%04x:%02x:%02x.%x domain=0x%04x address=0x%x flags=0x%04x]\n' \
	0 0 6 0 1 0x7f3a1c210000 0x71 >gn.log
run pgtctl fault $AMD --log gn.log
expect_status 0 "AMD-Vi GN: explained"
expect_out_has "in the table of 0000:00:06.0/1" "the domain= of a GN fault is its PASID: that PASID's v2 table"
expect_out_has "with prot read: no writes" "walked in the GCR3 table's guest table"
run pgtctl fault $AMD --device 00:06.0 --kind amd-vi address=0x7f3a1c210000 flags=0x71 pasid=1
expect_out_has "in the table of 0000:00:06.0/1" "--device without a PASID, a GN fault: the PASID's table"
diag "fault names no device" pgtctl fault $AMD --kind amd-vi address=0 flags=0x71

done_testing

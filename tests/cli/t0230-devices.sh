#!/bin/sh
# SPDX-License-Identifier: MIT
# From a device to its mappings, through the IOMMU's own structures built
# here by hand around tables pgtctl built: AMD-Vi DTEs and a GCR3 table,
# SMMUv3 stream tables (linear, 2-level) and context descriptors, a VT-d
# root table, a RISC-V directory; devices lists them, --device makes a
# device's table a SOURCE for every read command, scan --iommu finds the
# structures, whereis names the device of a page, fault --log walks each
# fault's device; and every way the structures or the options are wrong.
. "$(dirname "$0")/lib.sh"
iommutool() { python3 "$PGTCTL_TOP/tests/tools/iommutool.py" "$@"; }

# the tables: AMD v1 (root 0x100000000, mode 4) and LPAE stage 1 (root 0x80000000)
pgtctl build "$SAMPLES/amd-v1-mixed.yaml" -o amd.img >/dev/null
pgtctl emit amd.img -o amd.raw --raw >/dev/null
pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o smmu.img >/dev/null
pgtctl emit smmu.img -o smmu.raw --raw >/dev/null

DT=0x10000000  # AMD-Vi device table: 2 pages, 256 DTEs
GCR3=0x10003000
ST=0x10010000  # SMMUv3 linear stream table, 64 STEs
CD=0x10011000  # its context descriptors, one per 64 bytes
L1=0x10014000  # a 2-level stream table: L1 of 256 descriptors
L2=0x10018000  # and one L2 table of 256 STEs
RT=0x10020000  # a VT-d root table
DDT=0x10021000 # a RISC-V device directory (1LVL)
dtes=""
for i in $(seq 0 255); do dtes="$dtes $((DT + i * 32))=3"; done
V1="3|4<<9|0x100000000|3<<61"
# arm_smmu_make_s1_cd(): T0SZ 16, TG0 4K, WBWA inner shareable, EPD1, V,
# IPS 48 bits, AA64, R, A, ASET, ASID 1; TTB0; MAIR
cd0() { echo "16|1<<8|1<<10|3<<12|1<<30|1<<31|$1<<32|1<<41|1<<45|1<<46|1<<47|1<<48${2:-},0x80000000,0,0xf404ff44"; }
# shellcheck disable=SC2086
iommutool st.raw 0x10000000 0x30000 $dtes \
	"$((DT + 0x18 * 32))=$V1,5" \
	"$((DT + 0x20 * 32))=3|3<<61,6" \
	"$((DT + 0x28 * 32))=$V1|1<<3" \
	"$((DT + 0x30 * 32))=3|1<<55|1<<54|3<<61|3<<58,9|(($GCR3>>15)&0xffff)<<16" \
	"$((DT + 0x38 * 32))=3|7<<9" \
	"$((DT + 0x40 * 32))=3|1<<55|3<<61,9|((0x20000000>>15)&0xffff)<<16" \
	"$GCR3=0x10005000|1" \
	"$((ST + 64))=1|5<<1|$CD" "$((ST + 128))=1|4<<1" "$((ST + 192))=1|5<<1|$((CD + 64))" \
	"$((ST + 256))=1|5<<1|$((CD + 128))" \
	"$CD=$(cd0 5)" "$((CD + 64))=$(cd0 5 '|1<<14')" "$((CD + 128))=$(cd0 6)" \
	"$L1=$L2|9" "$((L1 + 8))=$L1|9" "$((L1 + 16))=0x30000000|9" "$((L1 + 24))=$L2|12" \
	"$((L2 + 64))=1|5<<1|$CD" \
	"$((DDT + 3 * 32))=1,9<<60|0x80000" "$((DDT + 4 * 32))=1,0,5<<12,9<<60|0x80000"
elftool core mem.elf 0x80000000:smmu.raw 0x100000000:amd.raw 0x10000000:st.raw
AMD_REG="--iommu amd-vi --iommu-reg 0x10000001"
SMMU_REG="--iommu smmuv3 --iommu-reg 0x10010000,0x6"
AMD="--dump mem.elf $AMD_REG"
SMMU="--dump mem.elf $SMMU_REG"

# --- AMD-Vi ------------------------------------------------------------------
run pgtctl devices $AMD
expect_status 1 "devices: exit 1, the structures have problems"
expect_out_has "0000:00:03.0         translated      5  amd-iommu-v1    0x100000000" \
	"00:03.0: translated by its v1 table, domain 5"
expect_out_has "0000:00:04.0         bypass          6" "00:04.0: bypass"
expect_out_has "problem    malformed      DTE @0x10000500 = 0x600000010000080b: reserved bits 0x8 set in word 0" \
	"a reserved bit of 00:05.0's DTE, where it is met"
expect_out_has "5 devices; 251 entries invalid or abort (--all lists them)" \
	"the rest counted, not listed (00:07.0's Mode 7 among them)"
run pgtctl devices $AMD --json
expect_py "[(d['id'], d['mode'], d['format'], d['roots'], d['config']['mode'], d['mappings']) for d in j['devices'] if d['id'] == '0000:00:03.0'] == [('0000:00:03.0', 'translated', 'amd-iommu-v1', ['0x100000000'], 4, $(pgtctl dump --json amd.img | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["mappings"]))'))]" \
	"devices --json: id, mode, format, roots, config and every mapping of the table"
expect_py "j['iommu'] == 'amd-vi' and j['iommus'][0]['fields'] == {'DevTabBase': '0x10000000', 'Size': '0x1'}" \
	"devices --json: the register, decoded"
expect_py "sorted(p['why'] for p in j['problems'])[0].startswith('DTE: GCR3 table at 0x20000000') or any('GCR3 table at 0x20000000 is outside memory' in p['why'] for p in j['problems'])" \
	"devices --json: the problems in their own array"
run pgtctl devices $AMD --all
expect_out_has "0000:00:00.0         abort" "--all: abort entries too"
run pgtctl devices $AMD -v
expect_out_has "    DTE[0x18] @0x10000300 = 0x6000000100000803 0x0000000000000005" "-v: the DTE, where it is"
expect_out_has "Mode=4(4 levels) HostPageTableRootPtr=0x100000000" "-v: its fields, decoded"

# --device as a SOURCE, for every read command
D3="$AMD --device 0000:00:03.0"
run pgtctl translate $D3 0x1000 0x40001234
expect_out "0x1000 -> 0x2f0001000  4K  L0  rw  desc 0x70000002f0001001
0x40001234 -> 0x440001234  1G  L2  rw  desc 0x7000000440000001" "translate --device"
pgtctl dump amd.img >want
run pgtctl dump $D3
cmp -s out want && ok "dump --device: the table the image holds" || not_ok "dump --device" "$(diff want out | head -3)"
run pgtctl check $D3
expect_status 0 "check --device: a sound table"
run pgtctl info $D3
expect_out_has "device     0000:00:03.0  translated  DomainID 5" "info --device: the device"
run pgtctl info $D3 --kernel 7.3
expect_out_has "kernel     Linux 7.3" "info --device --kernel 7.3: the device's table as 7.3 reads it"
expect_out_has "quirks dynamic-top,flush-range,amdv1-encrypt-tables,amdv1-force-coherence" \
	"with the quirks 7.3's AMD driver always sets, which no DTE records"
run pgtctl translate $D3 --kernel 7.3 0x1000
expect_out "0x1000 -> 0x2f0001000  4K  L0  rw  desc 0x70000002f0001001" "translate --device --kernel 7.3"
run pgtctl free $D3 --size 1G
expect_status 0 "free --device"
run pgtctl diff amd.img $AMD --device 00:05.0
expect_out "no differences" "diff: the image and a device with the same table"
run pgtctl diff $AMD --device 00:03.0 --device 00:05.0
expect_out "no differences" "diff of two devices"
cp mem.elf mem2.elf
elftool poke mem2.elf 0x100003008 0
run pgtctl diff $D3 --dump mem2.elf --device 00:03.0
expect_out "- 0x0000000000001000-0x0000000000001fff     4K  0x2f0001000 rw  (only in A)
1 only in A (4K), 0 only in B (0), 0 mapped differently (0)" "diff of one device in two dumps"
elftool poke mem2.elf $((DT + 0x18 * 32)) 3
diag "the IOMMU gives it no table" pgtctl diff $D3 --dump mem2.elf --device 00:03.0

# translate of a device the IOMMU passes untranslated: the IOVA is the PA
run pgtctl translate $AMD --device 00:04.0 0x1000 0x40001234
expect_out "0x1000 -> 0x1000  bypass  rw
0x40001234 -> 0x40001234  bypass  rw" "translate --device in bypass (Mode 0, IR, IW): untranslated, exit 0"
run pgtctl translate $AMD --device 00:04.0 --json -v 0x2345
expect_py 'j == [{"iova": "0x2345", "pa": "0x2345", "prot": ["read", "write"], "bypass": {"device": "0000:00:04.0", "mode": "bypass"}, "walk": j[0]["walk"]}] and [(w["name"], w["index"]) for w in j[0]["walk"]] == [("DTE", "0x20")]' \
	"translate --json -v in bypass: pa, prot, the bypass and the walk of the device's entries"
run pgtctl translate $AMD --device 00:04.0 -v 0x1000
expect_out_has "    device 0000:00:04.0: bypass, not translated
    DTE[0x20] @0x10000400 = 0x6000000000000003" "translate -v in bypass: the DTE that says so"
run pgtctl translate $AMD --device 00:04.0 --pa 0x1000
expect_out "0x1000" "translate --pa in bypass"
elftool poke mem2.elf $((DT + 0x20 * 32)) 0x2000000000000003
run pgtctl translate --dump mem2.elf $AMD_REG --device 00:04.0 0x1000
expect_out "0x1000 -> 0x1000  bypass  r" "bypass with IR alone: reads pass"
elftool poke mem2.elf $((DT + 0x20 * 32)) 0
run pgtctl translate --dump mem2.elf $AMD_REG --device 00:04.0 --json 0x1000
expect_py 'j[0]["pa"] == "0x1000" and j[0]["bypass"]["mode"] == "invalid" and "V=0" in j[0]["bypass"]["note"]' \
	"a DTE with V=0: the IOMMU passes the DMA untranslated"
diag "the IOMMU gives it no table" pgtctl translate $AMD --device 00:00.0 0x1000
expect_err_has "abort, no host table and neither IR nor IW: DMA is blocked" "translate of a blocked device: refused, and why"
run pgtctl dump $AMD --device 00:04.0
expect_status 1 "dump of a device in bypass: no table to list"
run pgtctl check $AMD --device 00:05.0
expect_status 1 "check --device: the DTE's problem is the device's"
expect_out_has "malformed      DTE @0x10000500" "and it is listed first"
run pgtctl repl -c "load $D3; translate 0x1000"
expect_out_has "0x1000 -> 0x2f0001000" "the REPL loads a device"

# whereis over every device
run pgtctl whereis $AMD 0x2f0001000 0x2000
expect_out "0000:00:03.0     0x0000000000001000-0x0000000000002fff -> 0x00000002f0001000     8K rw   L0
0000:00:05.0     0x0000000000001000-0x0000000000002fff -> 0x00000002f0001000     8K rw   L0
0000:00:04.0     bypass: reaches every page untranslated
0000:00:08.0     bypass: reaches every page untranslated" \
	"whereis: every device whose table maps the page, then those in bypass, which reach it too"
run pgtctl whereis $AMD 0x5000
expect_status 1 "whereis: exit 1 when no device maps it"
run pgtctl whereis $AMD 0x5000 --json
expect_py 'j["mappings"] == [] and j["bypass"] == ["0000:00:04.0", "0000:00:08.0"]' \
	"whereis --json: the devices in bypass, apart from the mappings"

# faults, each in its device's table
cat >amd.log <<'EOF'
[   12.3] AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:00:03.0 domain=0x0005 address=0x3000000 flags=0x0020]
[   12.4] e1000 0000:00:04.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0006 address=0x1000 flags=0x0000]
[   12.5] arm-smmu 2b400000.iommu: Unhandled context fault: fsr=0x402, iova=0x10000000, fsynr=0x20011, cbfrsynra=0x10021, cb=3
[   12.6] arm-smmu-v3 2b400000.iommu: event 0x10 received:
[   12.6] arm-smmu-v3 2b400000.iommu: 	0x0000000100000010
[   12.6] arm-smmu-v3 2b400000.iommu: 	0x0000020000000000
[   12.6] arm-smmu-v3 2b400000.iommu: 	0x0000000010000000
[   12.6] arm-smmu-v3 2b400000.iommu: 	0x0000000000000000
EOF
run pgtctl fault $AMD --log amd.log
expect_out_has "line 1: amd-vi fault at iova 0x3000000 (AMD-Vi) in the table of 0000:00:03.0" \
	"fault --log: a fault walked in its device's table"
expect_out_has "verdict      permission" "and explained by it: a write to its read-only 32M block"
run pgtctl fault $AMD --log amd.log
expect_err_has "amd.log:2: device 0000:00:04.0: bypass: the IOMMU gives it no table" \
	"a fault whose device is in bypass: said, and not explained"
diag "fault names no device" pgtctl fault $AMD --log amd.log
diag "fault, but no --iommu" pgtctl fault $AMD --log amd.log
run pgtctl fault $AMD $SMMU_REG --log amd.log
expect_out_has "line 4: smmuv3 fault at iova 0x10000000 (arm-smmu-v3 2b400000.iommu) in the table of 0x1" \
	"with both IOMMUs, the SMMUv3 event is walked in stream 0x1's table"

# --- SMMUv3 ----------------------------------------------------------------------
run pgtctl devices $SMMU --json
expect_py "[(d['format'], d['roots'], d['config']['ias'], d['config']['oas'], d['domain'], d['domain_name']) for d in j['devices'] if d['id'] == '0x1'] == [('arm-64-lpae-s1', ['0x80000000'], 48, 48, 1, 'ASID')]" \
	"devices: stream 1 through its CD's table, ias 64 - T0SZ, oas from IPS, ASID"
expect_py "[(d['id'], d['mode']) for d in j['devices']] == [('0x1', 'translated'), ('0x2', 'bypass'), ('0x4', 'translated')]" \
	"devices: the streams that translate or bypass (stream 3's CD has EPD0: abort)"
expect_py "j['devices'][2]['table_error'].startswith('the kernel\'s arm-64-lpae-s1 table for this configuration has tcr.ips 5')" \
	"stream 4: IPS 52 bits with 4K pages is not what the kernel writes"
run pgtctl translate $SMMU --device 0x1 0x10201234
expect_out "0x10201234 -> 0x881201234  2M  L2  rwcx  desc 0x0060000881200f45" "translate --device 0x1"
run pgtctl translate $SMMU --device 0x2 0x10201234
expect_out "0x10201234 -> 0x10201234  bypass  rw" "translate of stream 2, whose STE bypasses"
diag "the IOMMU gives it no table" pgtctl translate $SMMU --device 0x3 0x1000
run pgtctl devices --dump mem.elf --iommu smmuv3 --iommu-reg $L1,0x10210
expect_out_has "problem    loop           L1STD @0x10014008 = 0x0000000010014009: L2 stream table at 0x10014000 overlaps the table at 0x10014000 above it" \
	"a 2-level table whose L1 descriptor points at the L1: a loop"
expect_out_has "0x1                  translated" "and SID 1 through the good descriptor"

# --- scan --iommu -------------------------------------------------------------------
run pgtctl scan --dump mem.elf --iommu amd-vi --json
expect_py "j['candidates'][0]['root'] == '0x10000000' and j['candidates'][0]['register'] == '0x10000001'" \
	"scan --iommu amd-vi: the device table first, and its register"
run pgtctl scan --dump mem.elf --iommu smmuv3 --json
expect_py "j['candidates'][0]['register'] in ('0x10010000,0x6', '0x10014000,0x10208')" \
	"scan --iommu smmuv3: a stream table first, and its registers"

# --- what is wrong ------------------------------------------------------------------
diag "reserved bits ADDR set in word" pgtctl devices $AMD
diag "FIELD N is reserved" pgtctl devices $AMD
diag "STRUCTURE at ADDR is WHERE" pgtctl devices $AMD
diag "overlaps the table" pgtctl devices --dump mem.elf --iommu smmuv3 --iommu-reg $L1,0x10210
diag "the hardware reads" pgtctl devices --dump mem.elf --iommu smmuv3 --iommu-reg $((ST + 64)),0x6
# an L1 of 2^17 descriptors, each to the same L2 table: too much to read
iommutool big.raw 0x20000000 0x120000 "0x20000000=0x20100000|9*131072"
elftool core big.elf 0x20000000:big.raw
diag "the walk stops here" pgtctl devices --dump big.elf --iommu smmuv3 --iommu-reg 0x20000000,0x10219
RISCV="--dump mem.elf --iommu riscv --iommu-reg $(((DDT >> 12) << 10 | 2))"
run pgtctl devices $RISCV --json
expect_py "[(d['id'], d['mode'], d['format'], d['domain_name']) for d in j['devices']] == [('0000:00:00.3', 'translated', 'riscv-iommu-gstage', 'GSCID'), ('0000:00:00.4', 'translated', 'riscv-iommu', 'PSCID')]" \
	"riscv: a second stage alone (iohgatp Sv48x4), a first stage alone (iosatp Sv48)"
diag "libpgt cannot walk" pgtctl translate $RISCV --device 0x3 0x1000
diag "the structures say" pgtctl translate $SMMU --device 0x4 0x1000
diag "device ID: STRUCTURE at ADDR: WHY" pgtctl translate $AMD --device 00:08.0/1 0x1000
diag "the KIND structures have no entry" pgtctl translate $AMD --device 00:06.0/3 0x1000
diag "device ID ADDR is beyond" pgtctl translate $AMD --device 01:00.0 0x1000
diag "device ID: WHY" pgtctl translate $AMD --device 01:00.0 0x1000
diag "the WHAT is not valid" pgtctl translate --dump mem.elf --iommu intel-vtd --iommu-reg $RT --device 00:02.0 0x1000
diag "the IOMMU is MODE" pgtctl translate --dump mem.elf --iommu riscv --iommu-reg 0 --device 0x3 0x1000
diag "more than one of the IOMMUs" pgtctl translate $AMD --iommu-reg 0x10000001 --device 00:03.0 0x1000
diag "reserved bits ADDR set in REGISTER" pgtctl devices --dump mem.elf --iommu amd-vi --iommu-reg 0x10000201
diag "is a reserved value" pgtctl devices --dump mem.elf --iommu smmuv3 --iommu-reg $L1,0x10150
diag "KIND takes REGISTERS" pgtctl devices --dump mem.elf --iommu smmuv3 --iommu-reg $ST
diag "unknown IOMMU" pgtctl devices --dump mem.elf --iommu vt-d --iommu-reg 1
diag "needs --iommu KIND" pgtctl devices --dump mem.elf --iommu-reg 1
diag "--iommu-reg VALUE is needed" pgtctl devices --dump mem.elf --iommu amd-vi
diag "are read from memory" pgtctl translate --iommu amd-vi --iommu-reg 1 --device 00:03.0 0x1000
diag "do not go with --iommu" pgtctl translate $D3 --format amd-iommu-v1 0x1000
diag "--device ID names the table" pgtctl translate $AMD 0x1000
diag "is not a device" pgtctl translate $AMD --device nic 0x1000
diag "wider than 32 bits" pgtctl translate $AMD --device 0x100000000 0x1000
diag "PASID VALUE is wider" pgtctl translate $AMD --device 00:03.0/0x100000 0x1000
diag "too many IOMMUs" pgtctl devices $AMD --iommu-reg 1 --iommu-reg 1 --iommu-reg 1 --iommu-reg 1 \
	--iommu-reg 1 --iommu-reg 1 --iommu-reg 1 --iommu-reg 1
diag "at most two" pgtctl diff $D3 --device 1 --device 2
diag "--device does not apply" pgtctl devices $D3
diag "scan --iommu finds the register" pgtctl scan $AMD
diag "COMMAND takes" pgtctl devices $AMD extra
diag "COMMAND takes" pgtctl diff amd.img $AMD --device 1 --device 2
done_testing

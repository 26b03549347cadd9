// SPDX-License-Identifier: MIT
/*
 * The fault module: each driver's registers decoded as the 6.12 drivers
 * define them, their log lines found behind any prefix, and faults
 * explained against a table built here.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "../tools/open.h"
#include "fault/fault_int.h"

/* Decode "name=value ..." for a kind; returns fault_parse()'s code. */
static int decode(const char *kind, const char *args, struct pgt_fault *f, struct pgt_error *err)
{
	char buf[512], *argv[16];
	unsigned n = 0;
	snprintf(buf, sizeof(buf), "%s", args);
	for (char *tok = strtok(buf, " "); tok && n < 16; tok = strtok(NULL, " "))
		argv[n++] = tok;
	return fault_parse(pgt_fault_kind_find(kind), argv, n, f, err);
}

static uint64_t field(const struct pgt_fault *f, const char *reg, const char *name)
{
	for (unsigned i = 0; i < f->n_fields; i++)
		if (!strcmp(f->field[i].reg, reg) && !strcmp(f->field[i].name, name))
			return f->field[i].value;
	return ~0ull;
}

static void kinds(void)
{
	OK(pgt_fault_kind_find("arm-smmu") && pgt_fault_kind_find("SMMUV3") &&
		   pgt_fault_kind_find("amd-vi") && pgt_fault_kind_find("apple-dart") &&
		   pgt_fault_kind_find("mali") && pgt_fault_kind_find("Intel-VTd") &&
		   pgt_fault_kind_find("riscv"),
	   "the kinds are found, in any case");
	OK(!strcmp(pgt_fault_kind_iommu(pgt_fault_kind_find("intel-vtd")), "intel-vtd") &&
		   !strcmp(pgt_fault_kind_iommu(pgt_fault_kind_find("riscv")), "riscv") &&
		   !pgt_fault_kind_iommu(pgt_fault_kind_find("mali")),
	   "a kind names the IOMMU whose structures know its devices, where there is one");
	OK(!pgt_fault_kind_find("vt-d"), "an unknown kind is not");
	const struct pgt_fault_field_info *fi;
	size_t n = pgt_fault_kind_fields(pgt_fault_kind_find("arm-smmu"), &fi);
	OK(n == 5 && !strcmp(fi[0].name, "fsr") && fi[0].required && fi[0].bits == 32,
	   "arm-smmu's fields: fsr first, required, 32 bits");
	OK(pgt_fault_kind_walks(pgt_fault_kind_find("mali"), pgt_format_find("arm-64-lpae-s1")),
	   "mali walks panthor's arm-64-lpae-s1 tables too");
	OK(!pgt_fault_kind_walks(pgt_fault_kind_find("amd-vi"), pgt_format_find("apple-dart")),
	   "amd-vi does not walk DART tables");
}

static void arm_smmu(void)
{
	struct pgt_fault f;
	struct pgt_error err;
	/* FSR: Format=2 TF; FSYNR0: S1CBNDX=3 WNR PLVL=1 */
	int rc = decode("arm-smmu", "fsr=0x402 fsynr0=0x30011 far=0x7f0000000 cbfrsynra=0x10021",
			&f, &err);
	OK(!rc && f.cls == PGT_FAULT_TRANSLATION && !strcmp(f.code, "TF"),
	   "arm-smmu: FSR.TF is a translation fault");
	OK(f.access == PGT_ACCESS_WRITE && f.privileged == 0 && f.level == 1 &&
		   f.addr == 0x7f0000000 && f.has_addr,
	   "FSYNR0: WNR is a write, PNU clear unprivileged, PLVL the level, FAR the address");
	EQ(field(&f, "fsr", "Format"), 2, "FSR.Format is bits 10:9");
	EQ(field(&f, "fsynr0", "S1CBNDX"), 3, "FSYNR0.S1CBNDX is bits 23:16");
	EQ(field(&f, "cbfrsynra", "SID"), 0x21, "CBFRSYNRA.SID is bits 15:0");
	decode("arm-smmu", "fsr=0x8 fsynr0=0x63 far=0", &f, &err);
	OK(f.cls == PGT_FAULT_PERMISSION && f.access == PGT_ACCESS_EXEC && f.privileged == 1 &&
		   f.level == 3,
	   "PF with IND and PNU: a privileged instruction fetch");
	decode("arm-smmu", "fsr=0x10 fsynr0=0x400 far=0", &f, &err);
	OK(f.cls == PGT_FAULT_WALK_ABORT, "EF with PTWF: the table walk's access failed");
	decode("arm-smmu", "fsr=0x10 fsynr0=0 far=0", &f, &err);
	OK(f.cls == PGT_FAULT_OTHER, "EF without PTWF: a bus error of the transaction");
	decode("arm-smmu", "fsr=0x80000006 far=0", &f, &err);
	OK(f.cls == PGT_FAULT_TRANSLATION && !f.access && f.privileged < 0 && f.level < 0,
	   "TF before AFF; without FSYNR0 the access and level are unknown");
	decode("arm-smmu", "fsr=0 far=0", &f, &err);
	OK(f.cls == PGT_FAULT_NONE, "no fault bit in the FSR: no fault");

	OK(decode("arm-smmu", "fsr=0x2", &f, &err) == -EINVAL && strstr(err.msg, "far="),
	   "far is required: %s", err.msg);
	OK(decode("arm-smmu", "fsr=0x100000000 far=0", &f, &err) == -ERANGE, "fsr is 32 bits: %s",
	   err.msg);
	OK(decode("arm-smmu", "fsr=2 far=0 wnr=1", &f, &err) == -EINVAL &&
		   strstr(err.msg, "no field 'wnr'"),
	   "an unknown field: %s", err.msg);
	OK(decode("arm-smmu", "fsr=2 far=0 fsr=3", &f, &err) == -EINVAL, "a field twice");
	OK(decode("arm-smmu", "fsr=x far=0", &f, &err) == -EINVAL && strstr(err.msg, "fsr"),
	   "a value that is no number: %s", err.msg);
	OK(decode("arm-smmu", "0x2", &f, &err) == -EINVAL && strstr(err.msg, "FIELD=VALUE"),
	   "not FIELD=VALUE: %s", err.msg);
}

static void smmuv3(void)
{
	struct pgt_fault f;
	struct pgt_error err;
	/* F_TRANSLATION, SSV, SSID 1, SID 0x2a; RnW, PnU, CLASS=IN */
	int rc = decode("smmuv3",
			"evt0=0x0000002a00001810 evt1=0x0000020a00000000 evt2=0x1234000 evt3=0", &f,
			&err);
	OK(!rc && f.cls == PGT_FAULT_TRANSLATION && !strcmp(f.code, "F_TRANSLATION"),
	   "smmuv3: event 0x10 is F_TRANSLATION");
	EQ(field(&f, "evt0", "SID"), 0x2a, "EVTQ_0_SID is bits 63:32");
	EQ(field(&f, "evt0", "SSID"), 1, "EVTQ_0_SSID is bits 31:12, with SSV");
	EQ(field(&f, "evt1", "CLASS"), 2, "EVTQ_1_CLASS is bits 41:40");
	OK(f.access == PGT_ACCESS_READ && f.privileged == 1 && f.stage == 1 && f.addr == 0x1234000,
	   "RnW a read, PnU privileged, S2 clear stage 1, evt2 the address");
	rc = decode("smmuv3", "evt0=0x13 evt1=0x0000008000000000 evt2=0x5000 evt3=0x80000abc", &f,
		    &err);
	OK(!rc && f.cls == PGT_FAULT_PERMISSION && f.stage == 2 && f.has_ipa &&
		   f.ipa == 0x80000000 && f.access == PGT_ACCESS_WRITE,
	   "F_PERMISSION at stage 2: the IPA is evt3 bits 51:12, RnW clear a write");
	OK(decode("smmuv3", "evt0=0x13 evt1=0x0000008000000000 evt2=0x5000", &f, &err) == -EINVAL,
	   "a stage-2 fault needs evt3");
	OK(decode("smmuv3", "evt0=0x10", &f, &err) == -EINVAL, "a fault event needs evt1 and evt2");
	rc = decode("smmuv3", "evt0=0x0000000700000004", &f, &err);
	OK(!rc && f.cls == PGT_FAULT_CONFIG && !strcmp(f.code, "C_BAD_STE") && !f.has_addr,
	   "C_BAD_STE is a configuration error without an address");
	decode("smmuv3", "evt0=0x10 evt1=0x0000000400000000 evt2=0", &f, &err);
	OK(f.access == PGT_ACCESS_EXEC, "InD: an instruction fetch");
}

static void amd_vi(void)
{
	struct pgt_fault f;
	struct pgt_error err;
	decode("amd-vi", "address=0x5000 flags=0x20 domain=0xe devid=0x300", &f, &err);
	OK(f.cls == PGT_FAULT_TRANSLATION && f.access == PGT_ACCESS_WRITE && f.privileged < 0,
	   "amd-vi: PR clear is a translation fault, EVENT_FLAG_RW a write");
	EQ(field(&f, "devid", "bus"), 3, "devid: the bus is bits 15:8");
	decode("amd-vi", "address=0 flags=0x70", &f, &err);
	OK(f.cls == PGT_FAULT_PERMISSION, "PR and PE: a permission fault");
	decode("amd-vi", "address=0 flags=0x90", &f, &err);
	OK(f.cls == PGT_FAULT_MALFORMED, "RZ: a reserved bit or a bad level");
	decode("amd-vi", "address=0xfee00000 flags=0x8", &f, &err);
	OK(f.cls == PGT_FAULT_CONFIG, "EVENT_FLAG_I: an interrupt request, not the page table");
	decode("amd-vi", "address=0 flags=0x3", &f, &err);
	OK(f.access == (PGT_ACCESS_READ | PGT_ACCESS_EXEC) && f.privileged == 1,
	   "GN with NX: an instruction fetch; US clear: privileged");
	OK(decode("amd-vi", "address=0 flags=0x1000", &f, &err) == -ERANGE, "flags are 12 bits");
	decode("amd-vi", "address=0 flags=0x21 domain=0x1 devid=0x30", &f, &err);
	OK(f.has_device && f.device == 0x30 && f.has_pasid && f.pasid == 1 &&
		   pgt_fault_walks(&f, pgt_format_find("amd-iommu-v2")) &&
		   !pgt_fault_walks(&f, pgt_format_find("amd-iommu-v1")),
	   "GN: the domain is the PASID, and the v2 table is walked");
	decode("amd-vi", "address=0 flags=0x21 domain=0x1 pasid=0x10001", &f, &err);
	OK(f.has_pasid && f.pasid == 0x10001 && !f.has_device,
	   "pasid= gives what the u16 domain= cuts off");
	decode("amd-vi", "address=0 flags=0x20 domain=0x1 devid=0x30", &f, &err);
	OK(!f.has_pasid && pgt_fault_walks(&f, pgt_format_find("amd-iommu-v1")),
	   "without GN: no PASID, the host (v1) table");
	OK(decode("amd-vi", "address=0 flags=0x20 pasid=1", &f, &err) == -EINVAL,
	   "pasid= without GN: %s", err.msg);
}

/* Every fault reason dmar_get_fault_reason() names (intel/dmar.c, the same
 * tables in 6.12 and 7.3), what it is, and which stage it is about. */
static const struct {
	unsigned code;
	const char *text;
	enum pgt_fault_class cls;
	int stage;
} vtd_reasons[] = {
	{0x00, "Software", PGT_FAULT_OTHER, 0},
	{0x01, "Present bit in root entry is clear", PGT_FAULT_CONFIG, 0},
	{0x02, "Present bit in context entry is clear", PGT_FAULT_CONFIG, 0},
	{0x03, "Invalid context entry", PGT_FAULT_CONFIG, 0},
	{0x04, "Access beyond MGAW", PGT_FAULT_ADDRESS_SIZE, 2},
	{0x05, "PTE Write access is not set", PGT_FAULT_PAGE, 2},
	{0x06, "PTE Read access is not set", PGT_FAULT_PAGE, 2},
	{0x07, "Next page table ptr is invalid", PGT_FAULT_WALK_ABORT, 2},
	{0x08, "Root table address invalid", PGT_FAULT_CONFIG, 0},
	{0x09, "Context table ptr is invalid", PGT_FAULT_CONFIG, 0},
	{0x0a, "non-zero reserved fields in RTP", PGT_FAULT_CONFIG, 0},
	{0x0b, "non-zero reserved fields in CTP", PGT_FAULT_CONFIG, 0},
	{0x0c, "non-zero reserved fields in PTE", PGT_FAULT_MALFORMED, 2},
	{0x0d, "PCE for translation request specifies blocking", PGT_FAULT_CONFIG, 0},
	{0x20, "Detected reserved fields in the decoded interrupt-remapped request",
	 PGT_FAULT_CONFIG, 0},
	{0x21, "Interrupt index exceeded the interrupt-remapping table size", PGT_FAULT_CONFIG, 0},
	{0x22, "Present field in the IRTE entry is clear", PGT_FAULT_CONFIG, 0},
	{0x23, "Error accessing interrupt-remapping table pointed by IRTA_REG", PGT_FAULT_CONFIG,
	 0},
	{0x24, "Detected reserved fields in the IRTE entry", PGT_FAULT_CONFIG, 0},
	{0x25, "Blocked a compatibility format interrupt request", PGT_FAULT_CONFIG, 0},
	{0x26, "Blocked an interrupt request due to source-id verification failure",
	 PGT_FAULT_CONFIG, 0},
	{0x30, "SM: Invalid Root Table Address", PGT_FAULT_CONFIG, 0},
	{0x31, "SM: TTM 0 for request with PASID", PGT_FAULT_CONFIG, 0},
	{0x32, "SM: TTM 0 for page group request", PGT_FAULT_CONFIG, 0},
	{0x38, "SM: Error attempting to access Root Entry", PGT_FAULT_CONFIG, 0},
	{0x39, "SM: Present bit in Root Entry is clear", PGT_FAULT_CONFIG, 0},
	{0x3a, "SM: Non-zero reserved field set in Root Entry", PGT_FAULT_CONFIG, 0},
	{0x40, "SM: Error attempting to access Context Entry", PGT_FAULT_CONFIG, 0},
	{0x41, "SM: Present bit in Context Entry is clear", PGT_FAULT_CONFIG, 0},
	{0x42, "SM: Non-zero reserved field set in the Context Entry", PGT_FAULT_CONFIG, 0},
	{0x43, "SM: Invalid Context Entry", PGT_FAULT_CONFIG, 0},
	{0x44, "SM: DTE field in Context Entry is clear", PGT_FAULT_CONFIG, 0},
	{0x45, "SM: PASID Enable field in Context Entry is clear", PGT_FAULT_CONFIG, 0},
	{0x46, "SM: PASID is larger than the max in Context Entry", PGT_FAULT_CONFIG, 0},
	{0x47, "SM: PRE field in Context-Entry is clear", PGT_FAULT_CONFIG, 0},
	{0x48, "SM: RID_PASID field error in Context-Entry", PGT_FAULT_CONFIG, 0},
	{0x50, "SM: Error attempting to access the PASID Directory Entry", PGT_FAULT_CONFIG, 0},
	{0x51, "SM: Present bit in Directory Entry is clear", PGT_FAULT_CONFIG, 0},
	{0x52, "SM: Non-zero reserved field set in PASID Directory Entry", PGT_FAULT_CONFIG, 0},
	{0x58, "SM: Error attempting to access PASID Table Entry", PGT_FAULT_CONFIG, 0},
	{0x59, "SM: Present bit in PASID Table Entry is clear", PGT_FAULT_CONFIG, 0},
	{0x5a, "SM: Non-zero reserved field set in PASID Table Entry", PGT_FAULT_CONFIG, 0},
	{0x5b, "SM: Invalid Scalable-Mode PASID Table Entry", PGT_FAULT_CONFIG, 0},
	{0x5c, "SM: ERE field is clear in PASID Table Entry", PGT_FAULT_CONFIG, 0},
	{0x5d, "SM: SRE field is clear in PASID Table Entry", PGT_FAULT_CONFIG, 0},
	{0x70, "SM: Error attempting to access first-level paging entry", PGT_FAULT_WALK_ABORT, 1},
	{0x71, "SM: Present bit in first-level paging entry is clear", PGT_FAULT_TRANSLATION, 1},
	{0x72, "SM: Non-zero reserved field set in first-level paging entry", PGT_FAULT_MALFORMED,
	 1},
	{0x73, "SM: Error attempting to access FL-PML4 entry", PGT_FAULT_WALK_ABORT, 1},
	{0x74, "SM: First-level entry address beyond MGAW in Nested translation",
	 PGT_FAULT_ADDRESS_SIZE, 1},
	{0x75, "SM: Read permission error in FL-PML4 entry in Nested translation",
	 PGT_FAULT_WALK_ABORT, 1},
	{0x76, "SM: Read permission error in first-level paging entry in Nested translation",
	 PGT_FAULT_WALK_ABORT, 1},
	{0x77, "SM: Write permission error in first-level paging entry in Nested translation",
	 PGT_FAULT_WALK_ABORT, 1},
	{0x78, "SM: Error attempting to access second-level paging entry", PGT_FAULT_WALK_ABORT,
	 2},
	{0x79, "SM: Read/Write permission error in second-level paging entry", PGT_FAULT_PAGE, 2},
	{0x7a, "SM: Non-zero reserved field set in second-level paging entry",
	 PGT_FAULT_MALFORMED, 2},
	{0x7b, "SM: Invalid second-level page table pointer", PGT_FAULT_CONFIG, 0},
	{0x7c, "SM: A/D bit update needed in second-level entry when set up in no snoop",
	 PGT_FAULT_OTHER, 2},
	{0x80, "SM: Address in first-level translation is not canonical", PGT_FAULT_ADDRESS_SIZE,
	 1},
	{0x81, "SM: U/S set 0 for first-level translation with user privilege",
	 PGT_FAULT_PERMISSION, 1},
	{0x82, "SM: No execute permission for request with PASID and ER=1", PGT_FAULT_PERMISSION,
	 1},
	{0x83, "SM: Address beyond the DMA hardware max", PGT_FAULT_ADDRESS_SIZE, 0},
	{0x84, "SM: Second-level entry address beyond the max", PGT_FAULT_ADDRESS_SIZE, 2},
	{0x85, "SM: No write permission for Write/AtomicOp request", PGT_FAULT_PERMISSION, 0},
	{0x86, "SM: No read permission for Read/AtomicOp request", PGT_FAULT_PERMISSION, 0},
	{0x87, "SM: Invalid address-interrupt address", PGT_FAULT_OTHER, 0},
	{0x90, "SM: A/D bit update needed in first-level entry when set up in no snoop",
	 PGT_FAULT_OTHER, 1},
};

static void intel_vtd(void)
{
	struct pgt_fault f;
	struct pgt_error err;
	char args[96];
	unsigned named = 0, right = 0, unknown = 0, bad_unknown = 0;
	for (unsigned code = 0; code < 256; code++) {
		size_t i = 0;
		while (i < sizeof(vtd_reasons) / sizeof(vtd_reasons[0]) && vtd_reasons[i].code != code)
			i++;
		snprintf(args, sizeof(args), "reason=%u addr=0x1000 type=read sid=0x18", code);
		if (decode("intel-vtd", args, &f, &err)) {
			OK(0, "reason 0x%x: %s", code, err.msg);
			continue;
		}
		if (i == sizeof(vtd_reasons) / sizeof(vtd_reasons[0])) {
			unknown++;
			bad_unknown += strcmp(f.code, "Unknown") || f.cls != PGT_FAULT_OTHER;
			continue;
		}
		named++;
		if (!strcmp(f.code, vtd_reasons[i].text) && f.cls == vtd_reasons[i].cls &&
		    f.stage == vtd_reasons[i].stage)
			right++;
		else
			printf("# reason 0x%x: %s, %s, stage %d\n", code, f.code,
			       pgt_fault_class_name(f.cls), f.stage);
	}
	OK(named == sizeof(vtd_reasons) / sizeof(vtd_reasons[0]) && right == named,
	   "intel-vtd: each of the %u reasons the kernel names: its text, class and stage", named);
	OK(unknown == 256 - named && !bad_unknown,
	   "the %u other codes are 'Unknown', as dmar_get_fault_reason() says", unknown);

	decode("intel-vtd", "reason=0x79 addr=0x1000 type=write", &f, &err);
	OK(pgt_fault_walks(&f, pgt_format_find("intel-vtd-ss")) &&
		   !pgt_fault_walks(&f, pgt_format_find("intel-vtd-fs")),
	   "a second-level reason is walked in the second-stage table only");
	decode("intel-vtd", "reason=0x71 addr=0x1000 type=write", &f, &err);
	OK(pgt_fault_walks(&f, pgt_format_find("intel-vtd-fs")) &&
		   !pgt_fault_walks(&f, pgt_format_find("intel-vtd-ss")),
	   "a first-level reason in the first-stage table only");
	decode("intel-vtd", "reason=0x85 addr=0x1000 type=write", &f, &err);
	OK(pgt_fault_walks(&f, pgt_format_find("intel-vtd-fs")) &&
		   pgt_fault_walks(&f, pgt_format_find("intel-vtd-ss")),
	   "0x85 in either");

	/* FRCD: F T | PV 5 | FR 0x85 | PP EXE PRIV T2 | SID 0x0318 */
	int rc = decode("intel-vtd", "frcd_lo=0x7f0000002abc frcd_hi=0xc0000585f0000318", &f, &err);
	OK(!rc && f.addr == 0x7f0000002000 && f.has_addr,
	   "FRCD: the address is FI, bits 63:12 (dma_frcd_page_addr())");
	OK(f.access == (PGT_ACCESS_READ | PGT_ACCESS_WRITE | PGT_ACCESS_EXEC) && f.privileged == 1,
	   "T with T2: an AtomicOp; EXE an execute; PRIV with PP: privileged");
	OK(f.has_device && f.device == 0x318 && f.has_pasid && f.pasid == 5,
	   "SID 15:0 the requester, PV 59:40 the PASID, PP present");
	EQ(field(&f, "frcd_hi", "FR"), 0x85, "FR is bits 39:32 of the upper half");
	rc = decode("intel-vtd", "frcd_lo=0x1000 frcd_hi=0x4000000500000000", &f, &err);
	OK(!rc && f.cls == PGT_FAULT_NONE, "F clear: no fault");
	decode("intel-vtd", "frcd_lo=0x1000 frcd_hi=0x8000000510000000", &f, &err);
	OK(!f.access && !f.has_pasid && f.privileged < 0,
	   "T2 without T: a page request, no access; PRIV without PP says nothing");
	decode("intel-vtd", "frcd_lo=0x0013000000000000 frcd_hi=0x8000002200000018", &f, &err);
	OK(f.cls == PGT_FAULT_CONFIG && !f.has_addr && field(&f, "frcd_lo", "index") == 0x13,
	   "an interrupt remapping reason: FI 63:48 is the index, no address to walk");
	decode("intel-vtd", "reason=0x81 addr=0x1000 type=read", &f, &err);
	OK(f.privileged == 0 && f.access == PGT_ACCESS_READ, "0x81: a user request");
	decode("intel-vtd", "reason=0x82 addr=0x1000 type=read pasid=1", &f, &err);
	OK(f.access == (PGT_ACCESS_READ | PGT_ACCESS_EXEC) && f.has_pasid && !f.has_device,
	   "0x82: an execute; a PASID without the requester");
	decode("intel-vtd", "reason=6 addr=0x1000", &f, &err);
	OK(!f.access, "without type the access is not known");
	OK(decode("intel-vtd", "frcd_lo=0 frcd_hi=0 sid=1", &f, &err) == -EINVAL &&
		   strstr(err.msg, "not both"),
	   "the register and the line's fields: %s", err.msg);
	OK(decode("intel-vtd", "frcd_hi=0", &f, &err) == -EINVAL && strstr(err.msg, "frcd_lo="),
	   "half a register: %s", err.msg);
	OK(decode("intel-vtd", "reason=6", &f, &err) == -EINVAL && strstr(err.msg, "addr="),
	   "a reason without an address: %s", err.msg);
}

/* Every cause of enum riscv_iommu_fq_causes (iommu-bits.h, 7.3) */
static const struct {
	unsigned code;
	const char *name;
	enum pgt_fault_class cls;
	int stage;
	unsigned access;
} rv_causes[] = {
	{1, "INST_FAULT", PGT_FAULT_WALK_ABORT, 0, PGT_ACCESS_EXEC},
	{4, "RD_ADDR_MISALIGNED", PGT_FAULT_OTHER, 0, PGT_ACCESS_READ},
	{5, "RD_FAULT", PGT_FAULT_WALK_ABORT, 0, PGT_ACCESS_READ},
	{6, "WR_ADDR_MISALIGNED", PGT_FAULT_OTHER, 0, PGT_ACCESS_WRITE},
	{7, "WR_FAULT", PGT_FAULT_WALK_ABORT, 0, PGT_ACCESS_WRITE},
	{12, "INST_FAULT_S", PGT_FAULT_PAGE, 1, PGT_ACCESS_EXEC},
	{13, "RD_FAULT_S", PGT_FAULT_PAGE, 1, PGT_ACCESS_READ},
	{15, "WR_FAULT_S", PGT_FAULT_PAGE, 1, PGT_ACCESS_WRITE},
	{20, "INST_FAULT_VS", PGT_FAULT_PAGE, 2, PGT_ACCESS_EXEC},
	{21, "RD_FAULT_VS", PGT_FAULT_PAGE, 2, PGT_ACCESS_READ},
	{23, "WR_FAULT_VS", PGT_FAULT_PAGE, 2, PGT_ACCESS_WRITE},
	{256, "DMA_DISABLED", PGT_FAULT_CONFIG, 0, 0},
	{257, "DDT_LOAD_FAULT", PGT_FAULT_CONFIG, 0, 0},
	{258, "DDT_INVALID", PGT_FAULT_CONFIG, 0, 0},
	{259, "DDT_MISCONFIGURED", PGT_FAULT_CONFIG, 0, 0},
	{260, "TTYP_BLOCKED", PGT_FAULT_CONFIG, 0, 0},
	{261, "MSI_LOAD_FAULT", PGT_FAULT_OTHER, 0, 0},
	{262, "MSI_INVALID", PGT_FAULT_OTHER, 0, 0},
	{263, "MSI_MISCONFIGURED", PGT_FAULT_OTHER, 0, 0},
	{264, "MRIF_FAULT", PGT_FAULT_OTHER, 0, 0},
	{265, "PDT_LOAD_FAULT", PGT_FAULT_CONFIG, 0, 0},
	{266, "PDT_INVALID", PGT_FAULT_CONFIG, 0, 0},
	{267, "PDT_MISCONFIGURED", PGT_FAULT_CONFIG, 0, 0},
	{268, "DDT_CORRUPTED", PGT_FAULT_CONFIG, 0, 0},
	{269, "PDT_CORRUPTED", PGT_FAULT_CONFIG, 0, 0},
	{270, "MSI_PT_CORRUPTED", PGT_FAULT_OTHER, 0, 0},
	{271, "MRIF_CORRUIPTED", PGT_FAULT_OTHER, 0, 0},
	{272, "INTERNAL_DP_ERROR", PGT_FAULT_OTHER, 0, 0},
	{273, "MSI_WR_FAULT", PGT_FAULT_OTHER, 0, 0},
	{274, "PT_CORRUPTED", PGT_FAULT_WALK_ABORT, 0, 0},
};

static void riscv(void)
{
	struct pgt_fault f;
	struct pgt_error err;
	char args[96];
	unsigned named = 0, right = 0, other = 0, bad_other = 0;
	for (unsigned code = 1; code < 4096; code++) {
		size_t i = 0;
		while (i < sizeof(rv_causes) / sizeof(rv_causes[0]) && rv_causes[i].code != code)
			i++;
		snprintf(args, sizeof(args), "cause=%u iotval=0x1000 did=0x10", code);
		if (decode("riscv", args, &f, &err)) {
			OK(0, "cause %u: %s", code, err.msg);
			continue;
		}
		if (i == sizeof(rv_causes) / sizeof(rv_causes[0])) {
			other++;
			bad_other += strcmp(f.code, "unknown") || f.cls != PGT_FAULT_OTHER;
			continue;
		}
		named++;
		if (!strcmp(f.code, rv_causes[i].name) && f.cls == rv_causes[i].cls &&
		    f.stage == rv_causes[i].stage && f.access == rv_causes[i].access)
			right++;
		else
			printf("# cause %u: %s, %s, stage %d\n", code, f.code,
			       pgt_fault_class_name(f.cls), f.stage);
	}
	OK(named == sizeof(rv_causes) / sizeof(rv_causes[0]) && right == named,
	   "riscv: each of the %u causes: the kernel's name, class, stage, access", named);
	OK(!bad_other, "the %u reserved and custom causes are unknown", other);

	/* hdr: CAUSE 13 | PID 0x12345 | PV | PRIV | TTYP 6 | DID 0xabcdef */
	int rc = decode("riscv", "hdr=0xabcdef1b12345000d iotval=0x5000", &f, &err);
	OK(rc == -ERANGE, "hdr is 64 bits");
	rc = decode("riscv", "hdr=0xabcdef1b1234500d iotval=0x5000", &f, &err);
	OK(!rc && f.cls == PGT_FAULT_PAGE && f.access == PGT_ACCESS_READ && f.privileged == 1 &&
		   f.has_addr && f.addr == 0x5000,
	   "hdr: a read page fault of a supervisor request, iotval the IOVA");
	OK(f.has_device && f.device == 0xabcdef && f.has_pasid && f.pasid == 0x12345,
	   "DID 63:40 the device, PID 31:12 with PV the process");
	EQ(field(&f, "hdr", "TTYP"), 6, "TTYP is bits 39:34");
	rc = decode("riscv", "hdr=0x0000100000000102 iotval=0", &f, &err);
	OK(!rc && f.cls == PGT_FAULT_CONFIG && !f.has_addr && !f.has_pasid,
	   "DDT_INVALID with TTYP none: no address; PV clear, no process");
	decode("riscv", "cause=258 ttyp=2 iotval=0x1000", &f, &err);
	OK(f.access == PGT_ACCESS_READ && f.has_addr,
	   "a cause without an access takes TTYP's (an untranslated read, iotval its IOVA)");
	decode("riscv", "cause=23 iotval=0x1000 iotval2=0x80002003", &f, &err);
	OK(f.stage == 2 && f.has_ipa && f.ipa == 0x80002000 &&
		   field(&f, "iotval2", "implicit") == 1 && field(&f, "iotval2", "write") == 1,
	   "a guest-page fault: the GPA from iotval2 63:2, bit 0 implicit, bit 1 a write");
	decode("riscv", "cause=0 iotval=0", &f, &err);
	OK(f.cls == PGT_FAULT_NONE, "cause 0: no fault");
	OK(decode("riscv", "cause=13 pid=1 priv=1", &f, &err) == 0 && f.privileged == 1,
	   "pid and priv: a supervisor request of a process");
	OK(decode("riscv", "cause=13 priv=1", &f, &err) == -EINVAL, "priv without a pid");
	OK(decode("riscv", "hdr=13 cause=13", &f, &err) == -EINVAL, "hdr and its fields");
	OK(decode("riscv", "cause=4096", &f, &err) == -ERANGE, "cause is 12 bits");
}

static void apple_dart(void)
{
	struct pgt_fault f;
	struct pgt_error err;
	decode("apple-dart", "error=0x81000004 addr=0xffd04000", &f, &err);
	OK(f.cls == PGT_FAULT_TRANSLATION && f.level == 2 && !strcmp(f.code, "NO PTE FOR IOVA"),
	   "t8020: code 0x4 is NO_PTE, at the leaf level");
	EQ(field(&f, "error", "STREAM"), 1, "t8020: the stream is bits 27:24");
	decode("apple-dart", "error=0x80100008 addr=0 hw=t8110", &f, &err);
	OK(f.cls == PGT_FAULT_TRANSLATION && f.level == 2 && field(&f, "error", "STREAM") == 1,
	   "t8110: code 0x8 is NO_PTE, the stream bits 27:20");
	decode("apple-dart", "error=0x80000008 addr=0", &f, &err);
	OK(f.cls == PGT_FAULT_PERMISSION && f.access == PGT_ACCESS_WRITE,
	   "t8020: code 0x8 is a WRITE FAULT");
	decode("apple-dart", "error=0x80000010 addr_lo=0x1000 addr_hi=0x2 hw=t6000", &f, &err);
	OK(f.access == PGT_ACCESS_READ && f.addr == 0x200001000,
	   "t6000 is t8020's layout; the address is ADDR_LO | ADDR_HI << 32");
	decode("apple-dart", "error=0x80000006 addr=0", &f, &err);
	OK(f.cls == PGT_FAULT_OTHER && !strcmp(f.code, "unknown"),
	   "two code bits: unknown, as the handler says");
	decode("apple-dart", "error=0x4 addr=0", &f, &err);
	OK(f.cls == PGT_FAULT_NONE, "ERROR.FLAG clear: no fault");
	OK(decode("apple-dart", "error=0x80000004", &f, &err) == -EINVAL, "an address is needed");
	OK(decode("apple-dart", "error=0x80000004 addr=1 addr_lo=1", &f, &err) == -EINVAL,
	   "addr, or addr_lo and addr_hi, not both");
	OK(decode("apple-dart", "error=1 addr=1 hw=t9999", &f, &err) == -EINVAL &&
		   strstr(err.msg, "t8110"),
	   "hw is one of its words: %s", err.msg);
}

static void mali(void)
{
	struct pgt_fault f;
	struct pgt_error err;
	decode("mali", "faultstatus=0x123402C2 faultaddress=0x3000000", &f, &err);
	OK(f.cls == PGT_FAULT_TRANSLATION && f.level == 2 && f.access == PGT_ACCESS_READ,
	   "mali: TRANSLATION_FAULT_2 on a READ");
	EQ(field(&f, "faultstatus", "SOURCE_ID"), 0x1234, "the source id is bits 31:16");
	decode("mali", "faultstatus=0x6CB faultaddress=0", &f, &err);
	OK(f.cls == PGT_FAULT_PERMISSION && f.level == 3 && f.access == PGT_ACCESS_READ &&
		   field(&f, "faultstatus", "DECODER_FAULT") == 1,
	   "PERM_FAULT_3, with bit 10: a decoder fault");
	decode("mali", "faultstatus=0xD9 faultaddress=0", &f, &err);
	OK(f.cls == PGT_FAULT_ACCESS_FLAG && f.level == 1 &&
		   f.access == (PGT_ACCESS_READ | PGT_ACCESS_WRITE),
	   "ACCESS_FLAG_1 on an ATOMIC: read and write");
	decode("mali", "faultstatus=0x1D2 faultaddress=0", &f, &err);
	OK(f.cls == PGT_FAULT_WALK_ABORT && f.access == PGT_ACCESS_EXEC,
	   "TRANSTAB_BUS_FAULT_2 on an EXECUTE");
	decode("mali", "faultstatus=0x41 faultaddress=0", &f, &err);
	OK(f.cls == PGT_FAULT_OTHER && !strcmp(f.code, "Unknown exception type"),
	   "a job exception code is no MMU fault");
}

/* --- Logs --------------------------------------------------------------- */

struct seen {
	unsigned n, errors;
	struct pgt_fault last; /* a copy: the scanner frees its own */
	unsigned long lines[8];
	char devices[8][64];
};

static int on_found(void *ctx, const struct pgt_fault_found *found)
{
	struct seen *s = ctx;
	if (found->error) {
		s->errors++;
		return 0;
	}
	if (s->n < 8) {
		s->lines[s->n] = found->line;
		snprintf(s->devices[s->n], sizeof(s->devices[0]), "%s", found->device);
	}
	s->n++;
	s->last = *found->fault;
	return 0;
}

static void scan(const char *const *lines, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	struct pgt_fault_scanner *sc = t_scanner(on_found, s);
	for (; *lines; lines++)
		pgt_fault_scan_line(sc, *lines);
	pgt_fault_scan_end(sc);
	pgt_fault_scanner_free(sc);
}

static void logs(void)
{
	struct seen s;
	static const char *const smmu[] = {
		"[   12.000000] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, "
		"iova=0x7f0000000, fsynr=0x11, cbfrsynra=0x21, cb=3",
		"[   12.000001] arm-smmu 15000000.iommu: FSR    = 00000402 [Format=2 TF], SID=0x21",
		"[   12.000002] arm-smmu 15000000.iommu: FSYNR0 = 00000011 [S1CBNDX=0 WNR PLVL=1]",
		"<3>qcom-iommu-ctx 1e20000.iommu-ctx: Unhandled context fault: fsr=0x8, "
		"iova=0x0000000000001000, fsynr=0x3, cb=1",
		NULL,
	};
	scan(smmu, &s);
	OK(s.n == 2 && !s.errors && s.lines[0] == 1 && s.lines[1] == 4,
	   "arm-smmu: two faults; the FSR and FSYNR0 lines repeat the first");
	OK(!strcmp(s.devices[0], "arm-smmu 15000000.iommu") &&
		   !strcmp(s.devices[1], "qcom-iommu-ctx 1e20000.iommu-ctx"),
	   "the device prefixes, without timestamp and level");
	OK(s.last.cls == PGT_FAULT_PERMISSION && s.last.addr == 0x1000,
	   "qcom_iommu's line, without cbfrsynra");

	static const char *const v3[] = {
		"Mar 01 10:00:00 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: event 0x13 received:",
		"Mar 01 10:00:00 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000300000013",
		"Mar 01 10:00:00 host kernel: other-dev 1.x: \t0x0000000000000000",
		"Mar 01 10:00:00 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000008800000000",
		"Mar 01 10:00:00 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000004000",
		"Mar 01 10:00:00 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000012345000",
		NULL,
	};
	scan(v3, &s);
	OK(s.n == 1 && !s.errors && s.last.cls == PGT_FAULT_PERMISSION &&
		   s.last.has_ipa && s.last.ipa == 0x12345000,
	   "smmuv3: the four words follow the id line; another device's word is skipped");

	static const char *const v3_cut[] = {
		"arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:",
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000300000010",
		"arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:",
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000300000011",
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000000000",
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000000000",
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000000000",
		NULL,
	};
	scan(v3_cut, &s);
	OK(s.n == 0 && s.errors == 2,
	   "a record cut short by the next is an error, and so is an id that evt0 contradicts");

	static const char *const amd[] = {
		"kern  :err   : [  5.5] vfio-pci 0000:03:00.1: AMD-Vi: Event logged [IO_PAGE_FAULT "
		"domain=0x000e address=0x5000 flags=0x0020]",
		"[  5.6] AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:04:01.2 domain=0x0002 "
		"address=0xfffff000 flags=0x0050]",
		NULL,
	};
	scan(amd, &s);
	OK(s.n == 2 && !strcmp(s.devices[0], "vfio-pci 0000:03:00.1: AMD-Vi"),
	   "amd-vi: both forms of the line, behind dmesg -x's facility and level");
	OK(s.last.n_inputs == 4 && s.last.input[3].value == 0x40a,
	   "amd-vi: the device id from the line (bus << 8 | slot << 3 | fn)");

	/* dmar_fault_do_one(): 6.12 without the segment, 7.3 with it */
	static const char *const dmar[] = {
		"[    9.9] DMAR: DRHD: handling fault status reg 3",
		"[   10.0] DMAR: [DMA Read NO_PASID] Request device [03:00.1] fault addr 0x7f000 "
		"[fault reason 0x06] PTE Read access is not set",
		"[   10.1] DMAR: [DMA Write PASID 0x1f] Request device [0001:03:00.1] fault addr "
		"0xfff000 [fault reason 0x85] SM: No write permission for Write/AtomicOp request",
		"[   10.2] DMAR: [INTR-REMAP] Request device [0002:f0:1f.0] fault index 0x2a "
		"[fault reason 0x25] Blocked a compatibility format interrupt request",
		"[   10.3] DMAR: [DMA Read NO_PASID] Request device [03:00.1] fault addr 0x7f000 "
		"[fault reason 0x0x] PTE Read access is not set",
		NULL,
	};
	scan(dmar, &s);
	OK(s.n == 3 && !s.errors && s.lines[0] == 2 && !strcmp(s.devices[0], "DMAR"),
	   "intel-vtd: the three lines, the DRHD line and a garbled reason skipped");
	OK(s.last.has_device && s.last.seg == 2 && s.last.device == 0xf0f8 &&
		   !s.last.has_addr && field(&s.last, "addr", "index") == 0x2a,
	   "INTR-REMAP (7.3): the segment, the requester, the index as FI 63:48");

	static const char *const dmar_pasid[] = {
		"DMAR: [DMA Write PASID 0x1f] Request device [0001:03:00.1] fault addr 0xfff000 "
		"[fault reason 0x85] SM: No write permission for Write/AtomicOp request",
		NULL,
	};
	scan(dmar_pasid, &s);
	OK(s.n == 1 && s.last.has_pasid && s.last.pasid == 0x1f &&
		   s.last.seg == 1 && s.last.device == 0x301 &&
		   s.last.access == PGT_ACCESS_WRITE && s.last.addr == 0xfff000,
	   "intel-vtd: the PASID, segment, requester, direction and address of a 7.3 line");

	/* riscv_iommu_fault() */
	static const char *const rv[] = {
		"[    3.0] riscv,iommu 3010000.iommu: Fault 13 devid: 0x18 iotval: 7f0001000 "
		"iotval2: 0",
		"[    3.1] riscv,iommu 3010000.iommu: Queue #1 error; memory fault:1 overflow:0",
		"[    3.2] riscv,iommu 3010000.iommu: Fault 23 devid: 0x10 iotval: 1000 iotval2: "
		"80001002",
		NULL,
	};
	scan(rv, &s);
	OK(s.n == 2 && !s.errors && s.lines[1] == 3 &&
		   !strcmp(s.devices[0], "riscv,iommu 3010000.iommu"),
	   "riscv: the two records, the queue error skipped");
	OK(s.last.cls == PGT_FAULT_PAGE && s.last.stage == 2 &&
		   s.last.device == 0x10 && s.last.ipa == 0x80001000 &&
		   s.last.addr == 0x1000,
	   "riscv: cause in decimal, the rest in hex without 0x");

	static const char *const dart[] = {
		"apple-dart 382f00000.iommu: translation fault: status:0x81000004 stream:1 "
		"code:0x4 "
		"(NO PTE FOR IOVA) at 0xffd04000",
		"apple-dart 39b004000.iommu: translation fault: status:0x80200002 stream:2 "
		"code:0x2 "
		"(NO PGD FOR IOVA) at 0x1000",
		"apple-dart 39b004000.iommu: translation fault: status:0x80200002 stream:2 "
		"code:0x2 "
		"(READ FAULT) at 0x1000",
		NULL,
	};
	scan(dart, &s);
	OK(s.n == 2 && s.errors == 1 && s.last.level == 0 &&
		   !strcmp(s.last.input[2].word, "t8110"),
	   "apple-dart: the layout is the one that decodes to what the line says");

	static const char *const gpu[] = {
		"[  100.1] panthor fb000000.gpu: [drm] *ERROR* Unhandled Page fault in AS0 at VA "
		"0x0000000001000000",
		"[  100.1] raw fault status: 0x3CB",
		"[  100.1] decoded fault status: SLAVE FAULT",
		"panfrost 1800000.gpu: Unhandled Page fault in AS1 at VA 0x0000000003000000",
		"Reason: TODO",
		"raw fault status: 0x123402C2",
		"panfrost 1800000.gpu: Unhandled Page fault in AS1 at VA 0x0000000003000000",
		NULL,
	};
	scan(gpu, &s);
	OK(s.n == 2 && s.errors == 1 && s.last.level == 2 && s.last.input[2].value == 1,
	   "mali: the status lines follow the address line; a last one without is cut short");

	static const char *const rsyslog[] = {
		"Nov 24 10:00:00 box kernel: [ 7.1] panfrost 1800000.gpu: Unhandled Page fault in "
		"AS1 "
		"at VA 0x0000000003000000#012Reason: TODO#012raw fault status: "
		"0x123402C2#012decoded "
		"fault status: SLAVE FAULT",
		NULL,
	};
	scan(rsyslog, &s);
	OK(s.n == 1 && !s.errors && s.lines[0] == 1 && s.last.level == 2,
	   "mali: a message whose newlines rsyslog wrote as #012");

	static const char *const noise[] = {
		"",
		"random text 0x1234",
		"event 0x10 received",
		"translation fault: status:zz",
		"Unhandled context fault: fsr=0x2",
		NULL,
	};
	scan(noise, &s);
	OK(s.n == 0 && s.errors == 0, "lines that are no fault are ignored");
}

/* --- Explanations against a table ------------------------------------------- */

static struct pgt_table *build(const char *yaml, struct pgt_mem **mem)
{
	struct pgt_spec *spec = NULL;
	struct pgt_error err;
	struct pgt_table *t = NULL;
	if (pgt_spec_parse("test", yaml, strlen(yaml), &spec, &err) ||
	    pgt_spec_build(spec, NULL, NULL, mem, &t, &err))
		printf("# %s\n", err.msg);
	pgt_spec_free(spec);
	return t;
}

static void explain(struct pgt_table *t, const char *kind, const char *args,
		    enum pgt_verdict verdict, bool explained, int agrees, const char *what)
{
	struct pgt_fault f;
	struct pgt_fault_explanation x;
	struct pgt_error err;
	if (decode(kind, args, &f, &err)) {
		OK(0, "%s: %s", what, err.msg);
		return;
	}
	fault_explain(t, &f, &x);
	OK(x.verdict == verdict && x.explained == explained && x.agrees == agrees, "%s: %s (%s)",
	   what, pgt_verdict_name(x.verdict), x.why);
}

static void explanations(void)
{
	struct pgt_mem *mem = NULL;
	struct pgt_table *t = build(
		"format: arm-64-lpae-s1\n"
		"memory: { base: 0x80000000 }\n"
		"mappings:\n"
		"  - { iova: 0x10000, paddr: 0x40000000, size: 4K, prot: r }\n"
		"  - { iova: 0x11000, paddr: 0x40001000, size: 4K, prot: rwx }\n"
		"  - { iova: 0x12000, paddr: 0x40002000, size: 4K, prot: rwp }\n"
		"  - { iova: 0x200000, paddr: 0x40200000, size: 2M, prot: rw }\n",
		&mem);
	OK(t != NULL, "a stage-1 table");
	if (!t)
		return;
	explain(t, "arm-smmu", "fsr=0x2 fsynr0=0x11 far=0x40000000", PGT_VERDICT_NOT_MAPPED, true,
		1, "an empty level-1 descriptor, and the SMMU says level 1");
	explain(t, "arm-smmu", "fsr=0x2 fsynr0=0x13 far=0x40000000", PGT_VERDICT_NOT_MAPPED, false,
		0, "the SMMU names another level than the walk's");
	explain(t, "arm-smmu", "fsr=0x2 fsynr0=0x13 far=0x13000", PGT_VERDICT_NOT_MAPPED, true, 1,
		"an empty level-3 descriptor");
	explain(t, "arm-smmu", "fsr=0x8 fsynr0=0x13 far=0x10008", PGT_VERDICT_PERMISSION, true, 1,
		"a write to a read-only page");
	explain(t, "arm-smmu", "fsr=0x8 fsynr0=0x43 far=0x11008", PGT_VERDICT_PERMISSION, true, 1,
		"an instruction fetch from a noexec page");
	explain(t, "arm-smmu", "fsr=0x8 fsynr0=0x3 far=0x12000", PGT_VERDICT_PERMISSION, true, 1,
		"an unprivileged read of a priv page");
	explain(t, "arm-smmu", "fsr=0x8 fsynr0=0x23 far=0x12000", PGT_VERDICT_MAPPED, false, 0,
		"a privileged read of a priv page is allowed");
	explain(t, "arm-smmu", "fsr=0x2 fsynr0=0x12 far=0x200800", PGT_VERDICT_MAPPED, false, 0,
		"a translation fault where a 2M block maps");
	explain(t, "arm-smmu", "fsr=0x2 far=0x10000", PGT_VERDICT_MAPPED, false, 0,
		"a mapped page, the access unknown");
	explain(t, "arm-smmu", "fsr=0x2 fsynr0=0x10 far=0x1000000000000", PGT_VERDICT_OUT_OF_RANGE,
		true, 1, "an IOVA beyond 48 bits");
	explain(t, "arm-smmu", "fsr=0 far=0x10000", PGT_VERDICT_NOT_TABLE, false, -1,
		"an FSR without a fault");
	explain(t, "smmuv3", "evt0=0x10 evt1=0x0000000800000000 evt2=0x40000000",
		PGT_VERDICT_NOT_MAPPED, true, 1, "smmuv3 walks the same table");
	explain(t, "smmuv3", "evt0=0x10 evt1=0x0000008800000000 evt2=0x10000 evt3=0x10000",
		PGT_VERDICT_MAPPED, false, -1, "a stage-2 fault against a stage-1 table");
	explain(t, "amd-vi", "address=0x40000000 flags=0", PGT_VERDICT_NOT_MAPPED, true, 1,
		"a kind that walks other formats is still walked");
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);

	t = build("format: apple-dart\n"
		  "config: { ias: 32, oas: 36, pgsize: [16K] }\n"
		  "memory: { base: 0x800000000 }\n"
		  "mappings:\n"
		  "  - { iova: 0x80000000, paddr: 0x900000000, size: 16K, prot: w }\n",
		  &mem);
	explain(t, "apple-dart", "error=0x80000010 addr=0x80000000", PGT_VERDICT_PERMISSION, true,
		1, "DART: a READ FAULT on a write-only page");
	explain(t, "apple-dart", "error=0x80000004 addr=0x80004000", PGT_VERDICT_NOT_MAPPED, true,
		1, "DART: NO PTE at level 2");
	explain(t, "apple-dart", "error=0x80000002 addr=0x80004000", PGT_VERDICT_NOT_MAPPED, false,
		0, "DART: NO PMD where the walk reaches level 2");
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);

	t = build("format: intel-vtd-ss\n"
		  "kernel: 7.3\n"
		  "config: { ias: 48 }\n"
		  "mappings:\n"
		  "  - { iova: 0x10000, paddr: 0x40000000, size: 4K, prot: r }\n"
		  "  - { iova: 0x11000, paddr: 0x40001000, size: 4K, prot: rw }\n",
		  &mem);
	explain(t, "intel-vtd", "reason=6 addr=0x20000 type=read", PGT_VERDICT_NOT_MAPPED, true, 1,
		"VT-d: PTE Read access not set where nothing maps");
	explain(t, "intel-vtd", "reason=5 addr=0x10000 type=write", PGT_VERDICT_PERMISSION, true,
		1, "VT-d: PTE Write access not set on a read-only page");
	explain(t, "intel-vtd", "reason=5 addr=0x11000 type=write", PGT_VERDICT_MAPPED, false, 0,
		"VT-d: ... on a writable page: not explained");
	explain(t, "intel-vtd", "reason=0xc addr=0x20000 type=read", PGT_VERDICT_NOT_MAPPED, false,
		0, "VT-d: reserved fields where the table has none");
	explain(t, "intel-vtd", "reason=0x71 addr=0x20000 type=read", PGT_VERDICT_NOT_MAPPED,
		false, -1, "VT-d: a first-stage reason against a second-stage table");
	explain(t, "intel-vtd", "reason=2 addr=0x20000", PGT_VERDICT_NOT_TABLE, false, -1,
		"VT-d: a context entry reason");
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);

	t = build("format: intel-vtd-fs\n"
		  "kernel: 7.3\n"
		  "config: { ias: 48 }\n"
		  "mappings:\n"
		  "  - { iova: 0x10000, paddr: 0x40000000, size: 4K, prot: r }\n"
		  "  - { iova: 0x11000, paddr: 0x40001000, size: 4K, prot: rw }\n",
		  &mem);
	explain(t, "intel-vtd", "reason=0x71 addr=0x20000 type=read", PGT_VERDICT_NOT_MAPPED, true,
		1, "VT-d first stage: present bit clear where nothing maps");
	explain(t, "intel-vtd", "reason=0x85 addr=0x10000 type=write", PGT_VERDICT_PERMISSION, true,
		1, "VT-d first stage: no write permission");
	explain(t, "intel-vtd", "reason=0x80 addr=0x0000800000000000 type=read",
		PGT_VERDICT_OUT_OF_RANGE, true, 1, "VT-d first stage: a non-canonical address");
	explain(t, "intel-vtd", "reason=0x81 addr=0x11000 type=read", PGT_VERDICT_MAPPED, false, 0,
		"VT-d: a user request to a leaf with U set: allowed");
	struct pgt_walk w;
	uint64_t leaf;
	pgt_translate(t, 0x11000, &w);
	leaf = w.step[w.n_steps - 1].e.raw & ~4ull; /* U clear: supervisor only */
	pgt_mem_write(pgt_table_mem(t), w.step[w.n_steps - 1].desc_pa, &leaf, 8);
	explain(t, "intel-vtd", "reason=0x81 addr=0x11000 type=read", PGT_VERDICT_PERMISSION, true,
		1, "VT-d: a user request to a leaf with U clear");
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);

	t = build("format: riscv-iommu\n"
		  "config: { ias: 48 }\n"
		  "mappings:\n"
		  "  - { iova: 0x10000, paddr: 0x40000000, size: 4K, prot: [read, noexec] }\n",
		  &mem);
	explain(t, "riscv", "cause=15 iotval=0x10000", PGT_VERDICT_PERMISSION, true, 1,
		"RISC-V: a write page fault on a read-only page");
	explain(t, "riscv", "cause=12 iotval=0x10000", PGT_VERDICT_PERMISSION, true, 1,
		"RISC-V: an instruction page fault on a noexec page");
	explain(t, "riscv", "cause=13 iotval=0x20000", PGT_VERDICT_NOT_MAPPED, true, 1,
		"RISC-V: a read page fault where nothing maps");
	explain(t, "riscv", "cause=13 iotval=0x10000", PGT_VERDICT_MAPPED, false, 0,
		"RISC-V: a read page fault where a readable page maps");
	explain(t, "riscv", "cause=21 iotval=0x20000 iotval2=0x80000000", PGT_VERDICT_NOT_MAPPED,
		false, -1, "RISC-V: a guest-page fault is the G-stage table's");
	explain(t, "riscv", "cause=258 ttyp=2 iotval=0x10000", PGT_VERDICT_NOT_TABLE, false, -1,
		"RISC-V: an invalid device context");
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);

	t = build("format: amd-iommu-v2\n"
		  "mappings:\n"
		  "  - { iova: 0x10000, paddr: 0x40000000, size: 4K, prot: r }\n",
		  &mem);
	explain(t, "amd-vi", "address=0x10000 flags=0x71 domain=1", PGT_VERDICT_PERMISSION, true, 1,
		"AMD-Vi GN: a write to a read-only page of the v2 table");
	explain(t, "amd-vi", "address=0x20000 flags=0x01 domain=1", PGT_VERDICT_NOT_MAPPED, true, 1,
		"AMD-Vi GN: nothing maps it in the v2 table");
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);

	t = build("format: arm-64-lpae-s2\n"
		  "config: { ias: 40, oas: 40 }\n"
		  "mappings:\n"
		  "  - { iova: 0x80000000, paddr: 0x900000000, size: 4K, prot: r }\n",
		  &mem);
	explain(t, "smmuv3", "evt0=0x13 evt1=0x0000008000000000 evt2=0x1234 evt3=0x80000000",
		PGT_VERDICT_PERMISSION, true, 1, "stage 2: the IPA is walked");
	explain(t, "arm-smmu", "fsr=0x2 fsynr0=0x11 far=0x1000", PGT_VERDICT_NOT_MAPPED, true, 1,
		"an arm-smmu stage-2 context: FAR is the IPA");
	pgt_table_destroy(t);
	pgt_mem_destroy(mem);
}

int main(void)
{
	kinds();
	arm_smmu();
	smmuv3();
	amd_vi();
	intel_vtd();
	riscv();
	apple_dart();
	mali();
	logs();
	explanations();
	return t_done();
}

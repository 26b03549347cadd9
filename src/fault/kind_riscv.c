// SPDX-License-Identifier: MIT
/*
 * RISC-V IOMMU fault queue records, as drivers/iommu/riscv/iommu.c (Linux
 * 7.3; 6.12 has no RISC-V IOMMU driver) takes them off the fault queue in
 * riscv_iommu_fltq_process() and prints them in riscv_iommu_fault(): the
 * cause, the device ID, iotval and iotval2. The record's header layout is
 * iommu-bits.h's RISCV_IOMMU_FQ_HDR_* (CAUSE, PID, PV, PRIV, TTYP, DID),
 * the cause names its enum riscv_iommu_fq_causes; what each cause and
 * transaction type means, and what iotval and iotval2 hold, is the RISC-V
 * IOMMU Architecture Specification's ("Fault/Event-Queue", the tables of
 * CAUSE and TTYP encodings).
 */
#include "fault_int.h"

/* RISCV_IOMMU_FQ_HDR_* */
static const struct fault_bits hdr_bits[] = {
	{"CAUSE", 11, 0, NULL}, {"PID", 31, 12, NULL},		     {"PV", 32, 32, "PID valid"},
	{"PRIV", 33, 33, "supervisor"}, {"TTYP", 39, 34, NULL}, {"DID", 63, 40, NULL},
};

/* The specification's access, when a cause names one */
enum { NO_ACCESS, EXEC, READ, WRITE };

struct cause {
	unsigned code;
	const char *name;  /* enum riscv_iommu_fq_causes, less RISCV_IOMMU_FQ_CAUSE_ */
	const char *words; /* the specification's description */
	enum pgt_fault_class cls;
	int stage;
	unsigned access;
	const char *hint;
};

#define DEVICE_CONTEXT                                                                       \
	"not the page table: the device directory entry (device context) of this device ID " \
	"is missing, not valid or misconfigured; the device's structures, from the DDTP, show it"
#define PROCESS_CONTEXT                                                                        \
	"not the page table: the process directory entry (process context) of this device "    \
	"and process ID is missing, not valid or misconfigured; the device's structures, from " \
	"the DDTP, show it"
#define MSI                                                                                  \
	"an MSI translation fault: the device context's MSI page table (msiptp) or an MRIF, " \
	"not the DMA page table"
#define ACCESS_FAULT                                                                           \
	"an access fault: a memory access the walk made, or the translated one, failed its "   \
	"PMA or PMP check (or the bus): a table or page at an address the IOMMU cannot reach"

static const struct cause causes[] = {
	{1, "INST_FAULT", "Instruction access fault", PGT_FAULT_WALK_ABORT, 0, EXEC, ACCESS_FAULT},
	{4, "RD_ADDR_MISALIGNED", "Read address misaligned", PGT_FAULT_OTHER, 0, READ,
	 "a misaligned request, not the page table"},
	{5, "RD_FAULT", "Read access fault", PGT_FAULT_WALK_ABORT, 0, READ, ACCESS_FAULT},
	{6, "WR_ADDR_MISALIGNED", "Write/AMO address misaligned", PGT_FAULT_OTHER, 0, WRITE,
	 "a misaligned request, not the page table"},
	{7, "WR_FAULT", "Write/AMO access fault", PGT_FAULT_WALK_ABORT, 0, WRITE, ACCESS_FAULT},
	{12, "INST_FAULT_S", "Instruction page fault", PGT_FAULT_PAGE, 1, EXEC, NULL},
	{13, "RD_FAULT_S", "Read page fault", PGT_FAULT_PAGE, 1, READ, NULL},
	{15, "WR_FAULT_S", "Write/AMO page fault", PGT_FAULT_PAGE, 1, WRITE, NULL},
	{20, "INST_FAULT_VS", "Instruction guest page fault", PGT_FAULT_PAGE, 2, EXEC, NULL},
	{21, "RD_FAULT_VS", "Read guest-page fault", PGT_FAULT_PAGE, 2, READ, NULL},
	{23, "WR_FAULT_VS", "Write/AMO guest-page fault", PGT_FAULT_PAGE, 2, WRITE, NULL},
	{256, "DMA_DISABLED", "All inbound transactions disallowed", PGT_FAULT_CONFIG, 0,
	 NO_ACCESS,
	 "the IOMMU translates nothing: ddtp.iommu_mode is Off (the driver has not enabled it, "
	 "or has shut it down)"},
	{257, "DDT_LOAD_FAULT", "DDT entry load access fault", PGT_FAULT_CONFIG, 0, NO_ACCESS,
	 DEVICE_CONTEXT},
	{258, "DDT_INVALID", "DDT entry not valid", PGT_FAULT_CONFIG, 0, NO_ACCESS,
	 "not the page table: the device context of this device ID is not valid (V clear): "
	 "no domain is attached (riscv_iommu_iodir_update() clears it on detach), or the DMA "
	 "came before the attach or after the detach"},
	{259, "DDT_MISCONFIGURED", "DDT entry misconfigured", PGT_FAULT_CONFIG, 0, NO_ACCESS,
	 DEVICE_CONTEXT},
	{260, "TTYP_BLOCKED", "Transaction type disallowed", PGT_FAULT_CONFIG, 0, NO_ACCESS,
	 "not the page table: the device context does not allow this transaction type (an ATS "
	 "request without EN_ATS, a PASID without PDTV, ...)"},
	{261, "MSI_LOAD_FAULT", "MSI PTE load access fault", PGT_FAULT_OTHER, 0, NO_ACCESS, MSI},
	{262, "MSI_INVALID", "MSI PTE not valid", PGT_FAULT_OTHER, 0, NO_ACCESS, MSI},
	{263, "MSI_MISCONFIGURED", "MSI PTE misconfigured", PGT_FAULT_OTHER, 0, NO_ACCESS, MSI},
	{264, "MRIF_FAULT", "MRIF access fault", PGT_FAULT_OTHER, 0, NO_ACCESS, MSI},
	{265, "PDT_LOAD_FAULT", "PDT entry load access fault", PGT_FAULT_CONFIG, 0, NO_ACCESS,
	 PROCESS_CONTEXT},
	{266, "PDT_INVALID", "PDT entry not valid", PGT_FAULT_CONFIG, 0, NO_ACCESS,
	 PROCESS_CONTEXT},
	{267, "PDT_MISCONFIGURED", "PDT entry misconfigured", PGT_FAULT_CONFIG, 0, NO_ACCESS,
	 PROCESS_CONTEXT},
	{268, "DDT_CORRUPTED", "DDT data corruption", PGT_FAULT_CONFIG, 0, NO_ACCESS,
	 DEVICE_CONTEXT},
	{269, "PDT_CORRUPTED", "PDT data corruption", PGT_FAULT_CONFIG, 0, NO_ACCESS,
	 PROCESS_CONTEXT},
	{270, "MSI_PT_CORRUPTED", "MSI PT data corruption", PGT_FAULT_OTHER, 0, NO_ACCESS, MSI},
	/* sic: the kernel's name */
	{271, "MRIF_CORRUIPTED", "MSI MRIF data corruption", PGT_FAULT_OTHER, 0, NO_ACCESS, MSI},
	{272, "INTERNAL_DP_ERROR", "Internal data path error", PGT_FAULT_OTHER, 0, NO_ACCESS,
	 "an error inside the IOMMU, not the page table"},
	{273, "MSI_WR_FAULT", "IOMMU MSI write access fault", PGT_FAULT_OTHER, 0, NO_ACCESS,
	 "the IOMMU's own interrupt message failed: its MSI configuration (msi_cfg_tbl), not "
	 "the page table"},
	{274, "PT_CORRUPTED", "First/second-stage PT data corruption", PGT_FAULT_WALK_ABORT, 0,
	 NO_ACCESS,
	 "a table read of the walk returned corrupted data (a memory error): the table page "
	 "the walk reads there"},
};

static const struct cause unknown = {0, "unknown", "reserved or custom", PGT_FAULT_OTHER, 0,
				     NO_ACCESS,
				     "a cause the specification reserves, or an implementation's "
				     "own (2048 and up)"};

static const struct cause *cause_of(unsigned code)
{
	for (size_t i = 0; i < sizeof(causes) / sizeof(causes[0]); i++)
		if (causes[i].code == code)
			return &causes[i];
	return &unknown;
}

/* The specification's TTYP encodings */
static const char *ttyp_words(unsigned t)
{
	static const char *const words[] = {
		"none", "untranslated exec", "untranslated read", "untranslated write",
		"reserved", "translated exec", "translated read", "translated write",
		"ATS translation request", "message request",
	};
	return t < sizeof(words) / sizeof(words[0]) ? words[t] : t >= 32 ? "custom" : "reserved";
}

/* A transaction with an IOVA (iotval holds it) and its access. */
static bool ttyp_iova(unsigned t)
{
	return (t >= 1 && t <= 3) || (t >= 5 && t <= 8);
}

static unsigned ttyp_access(unsigned t)
{
	static const unsigned access[] = {
		0,		  PGT_ACCESS_EXEC, PGT_ACCESS_READ, PGT_ACCESS_WRITE, 0,
		PGT_ACCESS_EXEC, PGT_ACCESS_READ, PGT_ACCESS_WRITE,
	};
	return t < sizeof(access) / sizeof(access[0]) ? access[t] : 0;
}

enum { F_CAUSE, F_TTYP, F_DID, F_PID, F_PRIV, F_IOTVAL, F_IOTVAL2, F_HDR };

static const struct pgt_fault_field_info fields[] = {
	[F_CAUSE] = {"cause", "the CAUSE, 'Fault N'; or hdr=", false, NULL, 12},
	[F_TTYP] = {"ttyp", "the transaction type (TTYP)", false, NULL, 6},
	[F_DID] = {"did", "the device ID ('devid: 0x..')", false, NULL, 24},
	[F_PID] = {"pid", "the process ID of a request with one (PV)", false, NULL, 20},
	[F_PRIV] = {"priv", "1: a supervisor request (with a pid)", false, NULL, 1},
	[F_IOTVAL] = {"iotval", "the IOVA (or what the cause says)", false, NULL, 64},
	[F_IOTVAL2] = {"iotval2", "a guest-page fault's GPA (bits 63:2)", false, NULL, 64},
	[F_HDR] = {"hdr", "the record's first word: CAUSE PID PV PRIV TTYP DID", false, NULL, 64},
};

#define GIVEN(f) (given & (1u << (f)))

/* The header's fields from hdr=, or from the fields one by one. */
static int header(const uint64_t *v, unsigned given, struct pgt_fault *f, uint64_t *hdr,
		  struct pgt_error *err)
{
	const unsigned parts = 1u << F_CAUSE | 1u << F_TTYP | 1u << F_DID | 1u << F_PID |
			       1u << F_PRIV;
	if (GIVEN(F_HDR) && (given & parts))
		return pgt_fail(err, -EINVAL,
				"riscv takes hdr=, or its fields (cause= ttyp= did= pid= priv=), "
				"not both");
	if (GIVEN(F_HDR)) {
		*hdr = v[F_HDR];
		fault_add_bits(f, "hdr", *hdr, hdr_bits, sizeof(hdr_bits) / sizeof(hdr_bits[0]));
		return 0;
	}
	if (!GIVEN(F_CAUSE))
		return pgt_fail(err, -EINVAL, "%s needs %s=VALUE (%s)", fault_riscv.name,
				fields[F_CAUSE].name, fields[F_CAUSE].help);
	if (GIVEN(F_PRIV) && !GIVEN(F_PID))
		return pgt_fail(err, -EINVAL, "riscv: priv= is for a request with a process ID: "
				"give pid= too");
	*hdr = v[F_CAUSE] | v[F_PID] << 12 | (GIVEN(F_PID) ? 1ull << 32 : 0) | v[F_PRIV] << 33 |
	       v[F_TTYP] << 34 | v[F_DID] << 40;
	fault_add(f, "cause", "CAUSE", v[F_CAUSE], false, NULL);
	if (GIVEN(F_TTYP))
		fault_add(f, "ttyp", "TTYP", v[F_TTYP], false, ttyp_words((unsigned)v[F_TTYP]));
	return 0;
}

static int decode(const uint64_t *v, unsigned given, struct pgt_fault *f, struct pgt_error *err)
{
	uint64_t hdr = 0;
	int rc = header(v, given, f, &hdr, err);
	if (rc)
		return rc;
	unsigned code = (unsigned)fault_get(hdr, 11, 0), ttyp = (unsigned)fault_get(hdr, 39, 34);
	bool pv = fault_get(hdr, 32, 32);
	bool typed = GIVEN(F_HDR) || GIVEN(F_TTYP);
	const struct cause *c = cause_of(code);

	for (unsigned i = 0; i < f->n_fields; i++) {
		if (!strcmp(f->field[i].name, "CAUSE"))
			f->field[i].meaning = c->words;
		if (!strcmp(f->field[i].name, "TTYP"))
			f->field[i].meaning = ttyp_words(ttyp);
	}
	if (GIVEN(F_HDR) || GIVEN(F_DID))
		fault_set_device(f, 0, (uint32_t)fault_get(hdr, 63, 40));
	if (pv)
		fault_set_pasid(f, (uint32_t)fault_get(hdr, 31, 12));
	if (!code) {
		/* riscv_iommu_fault() prints nothing for it */
		f->cls = PGT_FAULT_NONE;
		f->code = "CAUSE 0";
		f->hint = "cause 0 is no fault: riscv_iommu_fault() reports none for it";
		return 0;
	}
	f->code = c->name;
	f->cls = c->cls;
	f->hint = c->hint;
	f->stage = c->stage;
	if (c->access)
		f->access = c->access == EXEC	? PGT_ACCESS_EXEC
			    : c->access == READ ? PGT_ACCESS_READ
						: PGT_ACCESS_WRITE;
	else if (typed)
		f->access = ttyp_access(ttyp);
	if (pv)
		f->privileged = fault_get(hdr, 33, 33);
	/* iotval is the IOVA of a transaction that has one; the causes of a
	 * translation report it when the log does not give TTYP */
	f->has_addr = GIVEN(F_IOTVAL) && (typed ? ttyp_iova(ttyp) : c->access || code == 274);
	f->addr = v[F_IOTVAL];
	if (c->stage != 2 || !GIVEN(F_IOTVAL2))
		return 0;
	uint64_t v2 = v[F_IOTVAL2];
	f->has_ipa = true;
	f->ipa = v2 & ~3ull;
	fault_add(f, "iotval2", "GPA", f->ipa, false, NULL);
	fault_add(f, "iotval2", "implicit", v2 & 1, true, "the first-stage walk's own access");
	fault_add(f, "iotval2", "write", v2 >> 1 & 1, true, "an A/D update (a write)");
	if (v2 & 1)
		f->hint = "the G-stage table refused the first-stage walk's own access to its "
			  "table page at this GPA (or to the process directory): walk the GPA "
			  "in the G-stage table, not the IOVA";
	return 0;
}

static int from_log(const struct fault_captures *c, const char *device, uint64_t *v,
		    unsigned *given, struct pgt_error *err)
{
	static const char *const names[] = {"cause", "did", "iotval", "iotval2"};
	static const unsigned index[] = {F_CAUSE, F_DID, F_IOTVAL, F_IOTVAL2};
	(void)device;
	(void)err;
	for (unsigned i = 0; i < 4; i++)
		if (fault_capture(c, names[i], &v[index[i]]))
			*given |= 1u << index[i];
	return 0;
}

static const char *const formats[] = {"riscv-iommu", NULL};

/* riscv_iommu_fault(): dev_warn_ratelimited() with the cause in decimal,
 * iotval and iotval2 in hex without 0x */
static const struct fault_log logs[] = {
	{"Fault {cause:d} devid: 0x{did} iotval: {iotval} iotval2: {iotval2}", NULL, 0},
	{NULL, NULL, 0},
};

const struct pgt_fault_kind fault_riscv = {
	.name = "riscv",
	.summary = "RISC-V IOMMU fault queue record: cause, DID, iotval (riscv/iommu.c, 7.3)",
	.unit = "the IOMMU",
	FAULT_FIELDS(fields),
	.formats = formats,
	.iommu = "riscv",
	.stage_table = {"the first-stage table (the device or process context's iosatp)",
			"the G-stage table (the device context's iohgatp)"},
	.logs = logs,
	.decode = decode,
	.from_log = from_log,
};

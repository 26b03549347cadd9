// SPDX-License-Identifier: MIT
/*
 * Intel VT-d DMA remapping faults, as drivers/iommu/intel/dmar.c (6.12 and
 * 7.3) reads them in dmar_fault() and prints them in dmar_fault_do_one():
 * the 128-bit fault recording register (FRCD) the driver reads in three
 * parts (intel/iommu.h dma_frcd_*()), or the fields its log line prints:
 * the direction, the PASID, the requester, the address and the fault
 * reason. Each reason is named as dmar_get_fault_reason() names it (its
 * tables dma_remap_fault_reasons[], dma_remap_sm_fault_reasons[] and
 * irq_remap_fault_reasons[], the same in both kernels), and says which
 * table the hardware was walking: the second stage (legacy mode, and the
 * scalable-mode second-level reasons) or the first.
 */
#include <stdio.h>
#include <strings.h>

#include "fault_int.h"

/* FRCD bits 127:64, as the VT-d specification ("Fault Recording
 * Registers") lays them out; the kernel reads F, T, PV and FR from its
 * upper half (dma_frcd_type(), dma_frcd_pasid_value(),
 * dma_frcd_fault_reason()) and SID and PP from its lower half
 * (dma_frcd_source_id(), dma_frcd_pasid_present()). */
static const struct fault_bits frcd_hi_bits[] = {
	{"F", 63, 63, "a fault is recorded"},
	{"T", 62, 62, "a read (clear: a write)"},
	{"AT", 61, 60, NULL},
	{"PV", 59, 40, NULL},
	{"FR", 39, 32, NULL},
	{"PP", 31, 31, "the request had a PASID"},
	{"EXE", 30, 30, "execute permission requested"},
	{"PRIV", 29, 29, "privileged (supervisor) request"},
	{"T2", 28, 28, "type bit 2: with T an AtomicOp, without it a page request"},
	{"SID", 15, 0, NULL},
};

/* What a reason says of the table, and which stage's table it is about. */
enum table { ANY, FIRST, SECOND };

struct reason {
	unsigned code;
	const char *text; /* as dmar_get_fault_reason() returns it */
	enum pgt_fault_class cls;
	enum table table;
	const char *hint;
};

#define ROOT_CONTEXT                                                                        \
	"not the page table: the root or context entry of this requester (its bus and devfn) " \
	"is missing, not present or malformed; the device's structures, from RTADDR_REG, show " \
	"them"
#define PASID_ENTRY                                                                          \
	"not the page table: the PASID directory or PASID table entry of this requester and "  \
	"PASID (RID_PASID for a request without one) is missing, not present or malformed; "   \
	"the device's structures, from RTADDR_REG, show them"
#define INTR_REMAP                                                                          \
	"an interrupt remapping fault: the interrupt remapping table entry (IRTE) of the "     \
	"fault index, not the DMA page table"
#define NESTED                                                                               \
	"nested translation: the second-stage table refused the hardware's access to a "       \
	"first-stage table page (its GPA); walk that address in the second-stage table"
#define NO_SNOOP                                                                             \
	"the hardware had to set an accessed or dirty bit in a table it walks without "        \
	"snooping (the PASID entry's PWSNP clear): not a mapping missing"

/* The named reasons; any other code is "Unknown", as the kernel says. */
static const struct reason reasons[] = {
	/* dma_remap_fault_reasons[]: legacy mode, second-stage tables */
	{0x00, "Software", PGT_FAULT_OTHER, ANY, "reason 0 is reserved: not a fault the "
						  "hardware defines"},
	{0x01, "Present bit in root entry is clear", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x02, "Present bit in context entry is clear", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x03, "Invalid context entry", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x04, "Access beyond MGAW", PGT_FAULT_ADDRESS_SIZE, SECOND, NULL},
	{0x05, "PTE Write access is not set", PGT_FAULT_PAGE, SECOND, NULL},
	{0x06, "PTE Read access is not set", PGT_FAULT_PAGE, SECOND, NULL},
	{0x07, "Next page table ptr is invalid", PGT_FAULT_WALK_ABORT, SECOND, NULL},
	{0x08, "Root table address invalid", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x09, "Context table ptr is invalid", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x0a, "non-zero reserved fields in RTP", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x0b, "non-zero reserved fields in CTP", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x0c, "non-zero reserved fields in PTE", PGT_FAULT_MALFORMED, SECOND, NULL},
	{0x0d, "PCE for translation request specifies blocking", PGT_FAULT_CONFIG, ANY,
	 "an ATS translation request of a requester whose context entry (TT 00b) does not "
	 "allow them: the device's ATS setup, not the page table"},
	/* irq_remap_fault_reasons[] */
	{0x20, "Detected reserved fields in the decoded interrupt-remapped request",
	 PGT_FAULT_CONFIG, ANY, INTR_REMAP},
	{0x21, "Interrupt index exceeded the interrupt-remapping table size", PGT_FAULT_CONFIG,
	 ANY, INTR_REMAP},
	{0x22, "Present field in the IRTE entry is clear", PGT_FAULT_CONFIG, ANY, INTR_REMAP},
	{0x23, "Error accessing interrupt-remapping table pointed by IRTA_REG", PGT_FAULT_CONFIG,
	 ANY, INTR_REMAP},
	{0x24, "Detected reserved fields in the IRTE entry", PGT_FAULT_CONFIG, ANY, INTR_REMAP},
	{0x25, "Blocked a compatibility format interrupt request", PGT_FAULT_CONFIG, ANY,
	 INTR_REMAP},
	{0x26, "Blocked an interrupt request due to source-id verification failure",
	 PGT_FAULT_CONFIG, ANY, INTR_REMAP},
	/* dma_remap_sm_fault_reasons[]: scalable mode */
	{0x30, "SM: Invalid Root Table Address", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x31, "SM: TTM 0 for request with PASID", PGT_FAULT_CONFIG, ANY,
	 "a request with a PASID to an IOMMU in legacy mode (RTADDR_REG.TTM 0): the device "
	 "uses PASIDs the IOMMU was not set up for"},
	{0x32, "SM: TTM 0 for page group request", PGT_FAULT_CONFIG, ANY,
	 "a page request to an IOMMU in legacy mode (RTADDR_REG.TTM 0)"},
	{0x38, "SM: Error attempting to access Root Entry", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x39, "SM: Present bit in Root Entry is clear", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x3a, "SM: Non-zero reserved field set in Root Entry", PGT_FAULT_CONFIG, ANY,
	 ROOT_CONTEXT},
	{0x40, "SM: Error attempting to access Context Entry", PGT_FAULT_CONFIG, ANY,
	 ROOT_CONTEXT},
	{0x41, "SM: Present bit in Context Entry is clear", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x42, "SM: Non-zero reserved field set in the Context Entry", PGT_FAULT_CONFIG, ANY,
	 ROOT_CONTEXT},
	{0x43, "SM: Invalid Context Entry", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x44, "SM: DTE field in Context Entry is clear", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x45, "SM: PASID Enable field in Context Entry is clear", PGT_FAULT_CONFIG, ANY,
	 ROOT_CONTEXT},
	{0x46, "SM: PASID is larger than the max in Context Entry", PGT_FAULT_CONFIG, ANY,
	 ROOT_CONTEXT},
	{0x47, "SM: PRE field in Context-Entry is clear", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x48, "SM: RID_PASID field error in Context-Entry", PGT_FAULT_CONFIG, ANY, ROOT_CONTEXT},
	{0x50, "SM: Error attempting to access the PASID Directory Entry", PGT_FAULT_CONFIG, ANY,
	 PASID_ENTRY},
	{0x51, "SM: Present bit in Directory Entry is clear", PGT_FAULT_CONFIG, ANY, PASID_ENTRY},
	{0x52, "SM: Non-zero reserved field set in PASID Directory Entry", PGT_FAULT_CONFIG, ANY,
	 PASID_ENTRY},
	{0x58, "SM: Error attempting to access PASID Table Entry", PGT_FAULT_CONFIG, ANY,
	 PASID_ENTRY},
	{0x59, "SM: Present bit in PASID Table Entry is clear", PGT_FAULT_CONFIG, ANY,
	 PASID_ENTRY},
	{0x5a, "SM: Non-zero reserved field set in PASID Table Entry", PGT_FAULT_CONFIG, ANY,
	 PASID_ENTRY},
	{0x5b, "SM: Invalid Scalable-Mode PASID Table Entry", PGT_FAULT_CONFIG, ANY, PASID_ENTRY},
	{0x5c, "SM: ERE field is clear in PASID Table Entry", PGT_FAULT_CONFIG, ANY, PASID_ENTRY},
	{0x5d, "SM: SRE field is clear in PASID Table Entry", PGT_FAULT_CONFIG, ANY, PASID_ENTRY},
	{0x70, "SM: Error attempting to access first-level paging entry", PGT_FAULT_WALK_ABORT,
	 FIRST, NULL},
	{0x71, "SM: Present bit in first-level paging entry is clear", PGT_FAULT_TRANSLATION,
	 FIRST, NULL},
	{0x72, "SM: Non-zero reserved field set in first-level paging entry", PGT_FAULT_MALFORMED,
	 FIRST, NULL},
	{0x73, "SM: Error attempting to access FL-PML4 entry", PGT_FAULT_WALK_ABORT, FIRST, NULL},
	{0x74, "SM: First-level entry address beyond MGAW in Nested translation",
	 PGT_FAULT_ADDRESS_SIZE, FIRST, NESTED},
	{0x75, "SM: Read permission error in FL-PML4 entry in Nested translation",
	 PGT_FAULT_WALK_ABORT, FIRST, NESTED},
	{0x76, "SM: Read permission error in first-level paging entry in Nested translation",
	 PGT_FAULT_WALK_ABORT, FIRST, NESTED},
	{0x77, "SM: Write permission error in first-level paging entry in Nested translation",
	 PGT_FAULT_WALK_ABORT, FIRST, NESTED},
	{0x78, "SM: Error attempting to access second-level paging entry", PGT_FAULT_WALK_ABORT,
	 SECOND, NULL},
	{0x79, "SM: Read/Write permission error in second-level paging entry", PGT_FAULT_PAGE,
	 SECOND, NULL},
	{0x7a, "SM: Non-zero reserved field set in second-level paging entry",
	 PGT_FAULT_MALFORMED, SECOND, NULL},
	{0x7b, "SM: Invalid second-level page table pointer", PGT_FAULT_CONFIG, ANY,
	 "not the page table: the PASID entry's second-stage table pointer (SSPTPTR) is beyond "
	 "the address width or reserved; the device's structures, from RTADDR_REG, show it"},
	{0x7c, "SM: A/D bit update needed in second-level entry when set up in no snoop",
	 PGT_FAULT_OTHER, SECOND, NO_SNOOP},
	{0x80, "SM: Address in first-level translation is not canonical", PGT_FAULT_ADDRESS_SIZE,
	 FIRST, NULL},
	{0x81, "SM: U/S set 0 for first-level translation with user privilege",
	 PGT_FAULT_PERMISSION, FIRST, NULL},
	{0x82, "SM: No execute permission for request with PASID and ER=1", PGT_FAULT_PERMISSION,
	 FIRST, NULL},
	{0x83, "SM: Address beyond the DMA hardware max", PGT_FAULT_ADDRESS_SIZE, ANY, NULL},
	{0x84, "SM: Second-level entry address beyond the max", PGT_FAULT_ADDRESS_SIZE, SECOND,
	 NULL},
	{0x85, "SM: No write permission for Write/AtomicOp request", PGT_FAULT_PERMISSION, ANY,
	 NULL},
	{0x86, "SM: No read permission for Read/AtomicOp request", PGT_FAULT_PERMISSION, ANY,
	 NULL},
	{0x87, "SM: Invalid address-interrupt address", PGT_FAULT_OTHER, ANY,
	 "a request with a PASID to the interrupt address range (0xfeexxxxx): not the page "
	 "table"},
	{0x90, "SM: A/D bit update needed in first-level entry when set up in no snoop",
	 PGT_FAULT_OTHER, FIRST, NO_SNOOP},
};

static const struct reason unknown = {0, "Unknown", PGT_FAULT_OTHER, ANY,
				      "a fault reason the kernel does not name: see the VT-d "
				      "specification's table of fault reasons"};

static const struct reason *reason_of(unsigned code)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == code)
			return &reasons[i];
	return &unknown;
}

/* dmar_get_fault_reason(): 0x20 up to the end of its table is INTR_REMAP */
static bool interrupt_remapping(unsigned code)
{
	return code >= 0x20 && code <= 0x26;
}

static const char *const first_stage[] = {"intel-vtd-fs", NULL};
static const char *const second_stage[] = {"intel-vtd-ss", NULL};
static const char *const both_stages[] = {"intel-vtd-ss", "intel-vtd-fs", NULL};

/* dmar_fault_do_one(): type ? "DMA Read" : "DMA Write" */
static const char *const type_words[] = {"write", "read", NULL};

enum { F_REASON, F_ADDR, F_SID, F_TYPE, F_PASID, F_SEG, F_FRCD_LO, F_FRCD_HI };

static const struct pgt_fault_field_info fields[] = {
	[F_REASON] = {"reason", "the fault reason, 'fault reason 0x..'; or frcd_lo= and frcd_hi=",
		      false, NULL, 8},
	[F_ADDR] = {"addr", "the fault address ('fault addr'; an interrupt's index << 48)", false,
		    NULL, 64},
	[F_SID] = {"sid", "the requester (source id): bus << 8 | devfn", false, NULL, 16},
	[F_TYPE] = {"type", "the request: read or write ('DMA Read', 'DMA Write')", false,
		    type_words, 64},
	[F_PASID] = {"pasid", "the request's PASID (none: NO_PASID)", false, NULL, 20},
	[F_SEG] = {"seg", "the PCI segment of the IOMMU (7.3 prints it)", false, NULL, 16},
	[F_FRCD_LO] = {"frcd_lo", "fault recording register bits 63:0, FI, with frcd_hi", false,
		       NULL, 64},
	[F_FRCD_HI] = {"frcd_hi", "fault recording register bits 127:64, F T PV FR PP SID, with "
				  "frcd_lo",
		       false, NULL, 64},
};

#define GIVEN(f) (given & (1u << (f)))

/* What the record says, from the register or from the log's fields. */
struct record {
	unsigned reason;
	uint64_t addr;
	uint32_t sid;
	bool typed, read, has_pasid;
	uint32_t pasid;
	bool exe, priv, atomic, page_request;
};

static int from_register(const uint64_t *v, unsigned given, struct pgt_fault *f,
			 struct record *r, struct pgt_error *err)
{
	unsigned missing = GIVEN(F_FRCD_LO) ? F_FRCD_HI : F_FRCD_LO;
	if (!GIVEN(missing))
		return pgt_fail(err, -EINVAL, "%s needs %s=VALUE (%s)", fault_intel_vtd.name,
				fields[missing].name, fields[missing].help);
	uint64_t hi = v[F_FRCD_HI];
	fault_add_bits(f, "frcd_hi", hi, frcd_hi_bits, sizeof(frcd_hi_bits) / sizeof(frcd_hi_bits[0]));
	fault_add(f, "frcd_lo", "FI", v[F_FRCD_LO] >> 12, false, NULL);
	r->reason = (unsigned)fault_get(hi, 39, 32);
	r->addr = v[F_FRCD_LO] & ~0xfffull; /* dma_frcd_page_addr() */
	r->sid = (uint32_t)fault_get(hi, 15, 0);
	r->typed = true;
	r->read = fault_get(hi, 62, 62);
	r->has_pasid = fault_get(hi, 31, 31);
	r->pasid = (uint32_t)fault_get(hi, 59, 40);
	r->exe = fault_get(hi, 30, 30);
	r->priv = r->has_pasid && fault_get(hi, 29, 29);
	r->atomic = r->read && fault_get(hi, 28, 28);
	r->page_request = !r->read && fault_get(hi, 28, 28);
	return 0;
}

static int from_fields(const uint64_t *v, unsigned given, struct pgt_fault *f, struct record *r,
		       struct pgt_error *err)
{
	unsigned missing = !GIVEN(F_REASON) ? F_REASON : F_ADDR;
	if (!GIVEN(missing))
		return pgt_fail(err, -EINVAL, "%s needs %s=VALUE (%s)", fault_intel_vtd.name,
				fields[missing].name, fields[missing].help);
	r->reason = (unsigned)v[F_REASON];
	r->addr = v[F_ADDR];
	r->sid = (uint32_t)v[F_SID];
	r->typed = GIVEN(F_TYPE);
	r->read = v[F_TYPE] == 1;
	r->has_pasid = GIVEN(F_PASID);
	r->pasid = (uint32_t)v[F_PASID];
	fault_add(f, "reason", "FR", r->reason, false, NULL);
	if (GIVEN(F_SID)) {
		fault_add(f, "sid", "bus", r->sid >> 8, false, NULL);
		fault_add(f, "sid", "slot", (r->sid >> 3) & 0x1f, false, NULL);
		fault_add(f, "sid", "fn", r->sid & 7, false, NULL);
	}
	return 0;
}

/* The reason's name on its FR field, where the register's fields are. */
static void name_reason(struct pgt_fault *f, const char *text)
{
	for (unsigned i = 0; i < f->n_fields; i++)
		if (!strcmp(f->field[i].name, "FR"))
			f->field[i].meaning = text;
}

static unsigned access_of(const struct record *r)
{
	unsigned a = !r->typed || r->page_request ? 0
		     : r->atomic		      ? PGT_ACCESS_READ | PGT_ACCESS_WRITE
		     : r->read			      ? PGT_ACCESS_READ
						      : PGT_ACCESS_WRITE;
	return a | (r->exe ? PGT_ACCESS_EXEC : 0);
}

static int decode(const uint64_t *v, unsigned given, struct pgt_fault *f, struct pgt_error *err)
{
	const unsigned reg = 1u << F_FRCD_LO | 1u << F_FRCD_HI;
	const unsigned flds = 1u << F_REASON | 1u << F_ADDR | 1u << F_SID | 1u << F_TYPE |
			      1u << F_PASID;
	struct record r = {0};
	if ((given & reg) && (given & flds))
		return pgt_fail(err, -EINVAL,
				"intel-vtd takes frcd_lo= and frcd_hi=, or the fields of the log "
				"line (reason= addr= sid= type= pasid=), not both");
	int rc = given & reg ? from_register(v, given, f, &r, err)
			     : from_fields(v, given, f, &r, err);
	if (rc)
		return rc;

	const struct reason *why = reason_of(r.reason);
	name_reason(f, why->text);
	f->code = why->text;
	f->cls = why->cls;
	f->hint = why->hint;
	f->stage = why->table == FIRST ? 1 : why->table == SECOND ? 2 : 0;
	f->formats = why->table == FIRST    ? first_stage
		     : why->table == SECOND ? second_stage
					    : both_stages;
	if ((given & reg) || GIVEN(F_SID))
		fault_set_device(f, (uint32_t)v[F_SEG], r.sid);
	if ((given & reg) && !fault_get(v[F_FRCD_HI], 63, 63)) {
		/* dmar_fault() stops at the first record without F */
		f->cls = PGT_FAULT_NONE;
		f->code = "F clear";
		f->hint = "the F bit is clear: the register records no fault (dmar_fault() "
			  "stops at such a record); read the one FSTS_REG's FRI field names";
		return 0;
	}
	if (interrupt_remapping(r.reason)) {
		/* the FI of an interrupt request: its index in bits 63:48 */
		fault_add(f, given & reg ? "frcd_lo" : "addr", "index", r.addr >> 48, false,
			  "the interrupt index");
		return 0;
	}
	/* PP, T, EXE and PRIV describe a DMA request only (dmar_fault_do_one()
	 * prints no PASID for an interrupt) */
	if (r.has_pasid)
		fault_set_pasid(f, r.pasid);
	f->addr = r.addr;
	f->has_addr = true;
	f->access = access_of(&r);
	if (r.reason == 0x82)
		f->access |= PGT_ACCESS_EXEC;
	if (r.reason == 0x81)
		f->privileged = 0;
	else if (r.has_pasid && (given & reg))
		f->privileged = r.priv;
	return 0;
}

/* "Request device [bus:slot.fn]" as a source id; 7.3 prints the segment too. */
static int from_log(const struct fault_captures *c, const char *device, uint64_t *v,
		    unsigned *given, struct pgt_error *err)
{
	uint64_t bus = 0, slot = 0, fn = 0, index;
	(void)device;
	if (!fault_capture(c, "bus", &bus) || !fault_capture(c, "slot", &slot) ||
	    !fault_capture(c, "fn", &fn) || !fault_capture(c, "reason", &v[F_REASON]))
		return pgt_fail(err, -EINVAL,
				"internal error: the DMAR line lacks its requester or reason");
	if (bus > 0xff || slot > 0x1f || fn > 7)
		return pgt_fail(err, -EINVAL, "Request device [%llx:%llx.%llx] is no PCI requester",
				(unsigned long long)bus, (unsigned long long)slot,
				(unsigned long long)fn);
	v[F_SID] = bus << 8 | slot << 3 | fn;
	*given |= 1u << F_SID | 1u << F_REASON;
	if (fault_capture(c, "seg", &v[F_SEG]))
		*given |= 1u << F_SEG;
	if (fault_capture(c, "pasid", &v[F_PASID]))
		*given |= 1u << F_PASID;
	if (fault_capture(c, "addr", &v[F_ADDR])) {
		*given |= 1u << F_ADDR;
	} else if (fault_capture(c, "index", &index)) {
		/* dmar_fault_do_one() prints addr >> 48 */
		if (index > 0xffff)
			return pgt_fail(err, -EINVAL, "fault index 0x%llx is wider than 16 bits",
					(unsigned long long)index);
		v[F_ADDR] = index << 48;
		*given |= 1u << F_ADDR;
	}
	const char *dir = fault_capture_text(c, "dir");
	if (dir) {
		if (strcmp(dir, "Read") && strcmp(dir, "Write"))
			return pgt_fail(err, -EINVAL, "'DMA %s' is neither a DMA Read nor a DMA Write",
					dir);
		v[F_TYPE] = !strcmp(dir, "Read");
		*given |= 1u << F_TYPE;
	}
	return 0;
}

/* dmar_fault_do_one()'s pr_err() lines (pr_fmt "DMAR: "): 6.12 prints the
 * requester as %02x:%02x.%d, 7.3 with the IOMMU's segment in front,
 * %04x:%02x:%02x.%d */
#define DMA_LINE(pasid, device)                                                         \
	"[DMA {dir:s} " pasid "] Request device [" device "] fault addr 0x{addr} [fault " \
	"reason 0x{reason}]"
#define INTR_LINE(device)                                                               \
	"[INTR-REMAP] Request device [" device "] fault index 0x{index} [fault reason " \
	"0x{reason}]"
#define DEV_612 "{bus}:{slot}.{fn:d}"
#define DEV_73 "{seg}:{bus}:{slot}.{fn:d}"
static const struct fault_log logs[] = {
	{DMA_LINE("NO_PASID", DEV_612), NULL, 0},
	{DMA_LINE("PASID 0x{pasid}", DEV_612), NULL, 0},
	{INTR_LINE(DEV_612), NULL, 0},
	{DMA_LINE("NO_PASID", DEV_73), NULL, 0},
	{DMA_LINE("PASID 0x{pasid}", DEV_73), NULL, 0},
	{INTR_LINE(DEV_73), NULL, 0},
	{NULL, NULL, 0},
};

const struct pgt_fault_kind fault_intel_vtd = {
	.name = "intel-vtd",
	.summary = "Intel VT-d DMAR fault: FRCD, or the log line's fields (intel/dmar.c)",
	.unit = "the IOMMU",
	FAULT_FIELDS(fields),
	.formats = both_stages,
	.iommu = "intel-vtd",
	.stage_table = {"the first-stage table (the PASID entry's FSPTPTR)",
			"the second-stage table (the context or PASID entry's SSPTPTR)"},
	.logs = logs,
	.decode = decode,
	.from_log = from_log,
};

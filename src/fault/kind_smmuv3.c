// SPDX-License-Identifier: MIT
/*
 * SMMUv3 event records, as drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c
 * (6.12) takes them off the event queue in arm_smmu_evtq_thread() and
 * prints them: "event 0x%02x received:" and the four 64-bit words. The
 * field layout is arm-smmu-v3.h's EVTQ_0_* .. EVTQ_3_*, as
 * arm_smmu_handle_evt() reads it.
 */
#include <stdio.h>

#include "fault_int.h"

/* How much of the record an event has: 6.12 decodes words 1-3 only for
 * the four fault events it defines (EVT_ID_*_FAULT). */
enum layout {
	EVT_ID_ONLY,
	EVT_FAULT, /* evt1 access bits, evt2 input address, evt3 IPA */
	EVT_WALK,  /* the same, with evt3 the descriptor's fetch address */
};

struct event {
	unsigned id;
	const char *name;
	enum pgt_fault_class cls;
	enum layout layout;
};

/* 6.12's arm-smmu-v3.h defines 0x10-0x13. The other numbers and names are
 * the SMMUv3 architecture's (later kernels name them the same in
 * arm_smmu_event_str); 6.12 prints them as bare numbers. */
static const struct event events[] = {
	{0x01, "F_UUT", PGT_FAULT_OTHER, EVT_ID_ONLY},
	{0x02, "C_BAD_STREAMID", PGT_FAULT_CONFIG, EVT_ID_ONLY},
	{0x03, "F_STE_FETCH", PGT_FAULT_CONFIG, EVT_ID_ONLY},
	{0x04, "C_BAD_STE", PGT_FAULT_CONFIG, EVT_ID_ONLY},
	{0x05, "F_BAD_ATS_TREQ", PGT_FAULT_OTHER, EVT_ID_ONLY},
	{0x06, "F_STREAM_DISABLED", PGT_FAULT_CONFIG, EVT_ID_ONLY},
	{0x07, "F_TRANSL_FORBIDDEN", PGT_FAULT_OTHER, EVT_ID_ONLY},
	{0x08, "C_BAD_SUBSTREAMID", PGT_FAULT_CONFIG, EVT_ID_ONLY},
	{0x09, "F_CD_FETCH", PGT_FAULT_CONFIG, EVT_ID_ONLY},
	{0x0a, "C_BAD_CD", PGT_FAULT_CONFIG, EVT_ID_ONLY},
	{0x0b, "F_WALK_EABT", PGT_FAULT_WALK_ABORT, EVT_WALK},
	{0x10, "F_TRANSLATION", PGT_FAULT_TRANSLATION, EVT_FAULT},
	{0x11, "F_ADDR_SIZE", PGT_FAULT_ADDRESS_SIZE, EVT_FAULT},
	{0x12, "F_ACCESS", PGT_FAULT_ACCESS_FLAG, EVT_FAULT},
	{0x13, "F_PERMISSION", PGT_FAULT_PERMISSION, EVT_FAULT},
	{0x20, "F_TLB_CONFLICT", PGT_FAULT_OTHER, EVT_ID_ONLY},
	{0x21, "F_CFG_CONFLICT", PGT_FAULT_OTHER, EVT_ID_ONLY},
	{0x24, "E_PAGE_REQUEST", PGT_FAULT_OTHER, EVT_ID_ONLY},
	{0x25, "F_VMS_FETCH", PGT_FAULT_CONFIG, EVT_ID_ONLY},
};

/* EVTQ_1_*: the fault events' second word */
static const struct fault_bits evt1_bits[] = {
	{"STAG", 15, 0, NULL},
	{"STALL", 31, 31, "the transaction is stalled"},
	{"PnU", 33, 33, "privileged"},
	{"InD", 34, 34, "instruction fetch"},
	{"RnW", 35, 35, "read"},
	{"S2", 39, 39, "stage 2"},
	{"TT_READ", 44, 44, "the table access was a read"},
};

static const char *const class_words[] = {"CD", "TT", "IN", "reserved"};

enum { F_EVT0, F_EVT1, F_EVT2, F_EVT3 };

static const struct pgt_fault_field_info fields[] = {
	[F_EVT0] = {"evt0", "event word 0: event id, SSID, stream id", true, NULL, 64},
	[F_EVT1] = {"evt1", "event word 1: stall, PnU, InD, RnW, S2, class", false, NULL, 64},
	[F_EVT2] = {"evt2", "event word 2: the input address", false, NULL, 64},
	[F_EVT3] = {"evt3", "event word 3: the IPA of a stage-2 fault", false, NULL, 64},
};

static const struct event *event_of(unsigned id)
{
	static const struct event unknown = {0, "unknown", PGT_FAULT_OTHER, EVT_ID_ONLY};
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (events[i].id == id)
			return &events[i];
	return &unknown;
}

static void decode_evt0(uint64_t w, const struct event *e, struct pgt_fault *f)
{
	/* EVTQ_0_ID, EVTQ_0_SSV, EVTQ_0_SSID, EVTQ_0_SID */
	bool ssv = fault_get(w, 11, 11);
	fault_add(f, "evt0", "ID", fault_get(w, 7, 0), false, e->name);
	fault_add(f, "evt0", "SSV", ssv, true, "substream valid");
	if (ssv)
		fault_add(f, "evt0", "SSID", fault_get(w, 31, 12), false, NULL);
	fault_add(f, "evt0", "SID", fault_get(w, 63, 32), false, NULL);
	fault_set_device(f, 0, (uint32_t)fault_get(w, 63, 32));
	if (ssv)
		fault_set_pasid(f, (uint32_t)fault_get(w, 31, 12));
}

static int decode(const uint64_t *v, unsigned given, struct pgt_fault *f, struct pgt_error *err)
{
	const struct event *e = event_of((unsigned)fault_get(v[F_EVT0], 7, 0));

	decode_evt0(v[F_EVT0], e, f);
	f->cls = e->cls;
	f->code = e->name;
	if (e->cls == PGT_FAULT_CONFIG)
		f->hint = "not a page-table fault: the stream table entry or the context "
			  "descriptor of this stream (SID, SSID) is missing or wrong; check that "
			  "the device is attached and what arm_smmu_write_ste() wrote for it";
	else if (e->cls == PGT_FAULT_OTHER)
		f->hint = "not a translation fault of the page table: see the SMMUv3 "
			  "architecture's description of this event";
	if (e->layout == EVT_ID_ONLY)
		return 0;
	if ((given & 6u) != 6u)
		return pgt_fail(err, -EINVAL,
				"smmuv3 event %s needs evt1 and evt2 (the access and the address)",
				e->name);
	fault_add_bits(f, "evt1", v[F_EVT1], evt1_bits, sizeof(evt1_bits) / sizeof(evt1_bits[0]));
	unsigned cls = (unsigned)fault_get(v[F_EVT1], 41, 40);
	fault_add(f, "evt1", "CLASS", cls, false, class_words[cls]);
	f->addr = v[F_EVT2]; /* EVTQ_2_ADDR: the input address, whole */
	f->has_addr = true;

	bool s2 = fault_flag(f, "evt1", "S2");
	f->stage = s2 ? 2 : 1;
	if (fault_flag(f, "evt1", "InD"))
		f->access = PGT_ACCESS_EXEC;
	else
		f->access = fault_flag(f, "evt1", "RnW") ? PGT_ACCESS_READ : PGT_ACCESS_WRITE;
	f->privileged = fault_flag(f, "evt1", "PnU");
	if (e->layout == EVT_WALK) {
		if (given & (1u << F_EVT3))
			fault_add(f, "evt3", "FETCH_ADDR", v[F_EVT3] & 0x000ffffffffffff8ull, false,
				  NULL);
		return 0;
	}
	if (!s2)
		return 0;
	/* EVTQ_3_IPA: bits 51:12 of the IPA the stage-2 walk faulted on */
	if (!(given & (1u << F_EVT3)))
		return pgt_fail(err, -EINVAL, "a stage-2 smmuv3 event %s needs evt3 (the IPA)",
				e->name);
	f->has_ipa = true;
	f->ipa = v[F_EVT3] & 0x000ffffffffff000ull;
	fault_add(f, "evt3", "IPA", f->ipa, false, NULL);
	return 0;
}

/* The event id the start line printed must be the one in the record. */
static int from_log(const struct fault_captures *c, const char *device, uint64_t *v,
		    unsigned *given, struct pgt_error *err)
{
	uint64_t id;
	(void)device;
	for (unsigned i = 0; i < 4; i++) {
		char name[8];
		snprintf(name, sizeof(name), "evt%u", i);
		if (!fault_capture(c, name, &v[i]))
			/* the log pattern captured all four */
			return pgt_fail(err, -EINVAL, "internal error: the event record lacks %s",
					name);
		*given |= 1u << i;
	}
	if (fault_capture(c, "id", &id) && id != (v[F_EVT0] & 0xff))
		return pgt_fail(err, -EINVAL, "event 0x%02llx received, but evt0 says 0x%02llx",
				(unsigned long long)id, (unsigned long long)(v[F_EVT0] & 0xff));
	return 0;
}

static const char *const formats[] = {"arm-64-lpae-s1", "arm-64-lpae-s2", NULL};

/* arm_smmu_evtq_thread(): one line with the id, then one per word, each
 * "\t0x%016llx" */
static const struct fault_log logs[] = {
	{"event 0x{id} received:", "0x{evt#}", 4},
	{NULL, NULL, 0},
};

const struct pgt_fault_kind fault_smmuv3 = {
	.name = "smmuv3",
	.summary = "Arm SMMUv3 event record: evt0..evt3 (arm-smmu-v3.c)",
	.unit = "the SMMU",
	FAULT_FIELDS(fields),
	.formats = formats,
	.iommu = "smmuv3",
	.stage_table = {"the stage-1 table (the CD's TTB0)", "the stage-2 table (the VTTBR's)"},
	.logs = logs,
	.decode = decode,
	.from_log = from_log,
};

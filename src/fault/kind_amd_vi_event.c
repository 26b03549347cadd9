// SPDX-License-Identifier: MIT
/*
 * AMD-Vi events other than IO_PAGE_FAULT, as drivers/iommu/amd/iommu.c
 * (6.12) prints them in iommu_print_event(), amd_iommu_report_rmp_fault(),
 * amd_iommu_report_rmp_hw_error(), amd_iommu_report_ppr_err(), and the
 * "Device not attached to domain properly" report of
 * amd_iommu_report_page_fault(). None of them is a walk of the DMA page
 * table that found an empty or forbidding entry, so nothing is walked:
 * decoding says which structure (device table, command buffer, RMP, the
 * device's ATC) to look at instead. The flags of these events mean other
 * things than IO_PAGE_FAULT's and are shown as the driver prints them.
 */
#include "fault_int.h"

struct event {
	const char *name;
	enum pgt_fault_class cls;
	const char *hint;
};

/* The event names as the driver prints them (the last is the driver's own
 * report, not an event type). */
static const struct event events[] = {
	{"ILLEGAL_DEV_TABLE_ENTRY", PGT_FAULT_CONFIG,
	 "the device table entry of this device is invalid (reserved bits, a bad mode or "
	 "root pointer): the driver prints the DTE after this line (dump_dte_entry()); "
	 "compare it with what amd_iommu_update_and_flush_device_table() should write"},
	{"DEV_TAB_HARDWARE_ERROR", PGT_FAULT_CONFIG,
	 "reading the device table failed on the bus: the device table memory, not the "
	 "page table"},
	{"PAGE_TAB_HARDWARE_ERROR", PGT_FAULT_WALK_ABORT,
	 "a read of the page table failed on the bus (master abort, target abort or a data "
	 "error): the table memory the DTE leads to is unreachable or damaged; check the "
	 "DTE's root pointer against this table's root, and check the table"},
	{"ILLEGAL_COMMAND_ERROR", PGT_FAULT_OTHER,
	 "the driver queued a command the IOMMU does not accept: the driver prints the "
	 "command after this line (dump_command())"},
	{"COMMAND_HARDWARE_ERROR", PGT_FAULT_OTHER,
	 "reading the command buffer failed on the bus: the command buffer memory"},
	{"IOTLB_INV_TIMEOUT", PGT_FAULT_OTHER,
	 "the device did not complete an ATS invalidation in time: its address translation "
	 "cache may still hold old entries; look at the device's ATS support"},
	{"INVALID_DEVICE_REQUEST", PGT_FAULT_CONFIG,
	 "the device made a request its DTE does not allow (an ATS translation request or a "
	 "PASID it is not enabled for): the device's ATS/PRI/PASID setup"},
	{"INVALID_PPR_REQUEST", PGT_FAULT_CONFIG,
	 "a page request (PRI) the IOMMU refused: the device's PRI and PASID setup"},
	{"RMP_PAGE_FAULT", PGT_FAULT_OTHER,
	 "the SEV-SNP reverse map table refused the access, after translation: the page's "
	 "RMP entry (its owner or validation), not the IOMMU page table"},
	{"RMP_HW_ERROR", PGT_FAULT_OTHER,
	 "reading the SEV-SNP reverse map table failed on the bus: the RMP memory"},
	{"DEVICE_NOT_ATTACHED", PGT_FAULT_CONFIG,
	 "a DMA of a device with no domain attached (\"Device not attached to domain "
	 "properly\"): the device did DMA before its domain was attached or after it was "
	 "detached"},
};
#define N_EVENTS (sizeof(events) / sizeof(events[0]))

static const char *const event_words[N_EVENTS + 1] = {
	"ILLEGAL_DEV_TABLE_ENTRY", "DEV_TAB_HARDWARE_ERROR", "PAGE_TAB_HARDWARE_ERROR",
	"ILLEGAL_COMMAND_ERROR",   "COMMAND_HARDWARE_ERROR", "IOTLB_INV_TIMEOUT",
	"INVALID_DEVICE_REQUEST",  "INVALID_PPR_REQUEST",    "RMP_PAGE_FAULT",
	"RMP_HW_ERROR",		   "DEVICE_NOT_ATTACHED",    NULL,
};

enum { F_EVENT, F_ADDRESS, F_FLAGS, F_PASID, F_DOMAIN, F_DEVID };

static const struct pgt_fault_field_info fields[] = {
	[F_EVENT] = {"event", "the event's name, as the driver prints it", true, event_words, 64},
	[F_ADDRESS] = {"address", "the event's address (gpa= or spa= of the RMP events)", false,
		       NULL, 64},
	[F_FLAGS] = {"flags", "the event's flags, as the kernel prints them", false, NULL, 16},
	[F_PASID] = {"pasid", "the PASID (or domain) field", false, NULL, 20},
	[F_DOMAIN] = {"domain", "the domain id", false, NULL, 16},
	[F_DEVID] = {"devid", "the device id: bus << 8 | devfn", false, NULL, 16},
};

static int decode(const uint64_t *v, unsigned given, struct pgt_fault *f, struct pgt_error *err)
{
	(void)err;
	const struct event *e = &events[v[F_EVENT]];
	f->cls = e->cls;
	f->code = e->name;
	f->hint = e->hint;
	if (given & (1u << F_DEVID)) {
		uint64_t d = v[F_DEVID];
		fault_add(f, "devid", "bus", d >> 8, false, NULL);
		fault_add(f, "devid", "slot", (d >> 3) & 0x1f, false, NULL);
		fault_add(f, "devid", "fn", d & 7, false, NULL);
		/* the event's PASID field is printed whether the request had one
		 * or not: the device's own entry is the one to look at */
		fault_set_device(f, 0, (uint32_t)d);
	}
	return 0;
}

static int from_log(const struct fault_captures *c, const char *device, uint64_t *v,
		    unsigned *given, struct pgt_error *err)
{
	const char *name = fault_capture_text(c, "event");
	unsigned i = N_EVENTS - 1; /* the one line without a name in it */
	if (name)
		for (i = 0; i < N_EVENTS && strcmp(events[i].name, name); i++)
			;
	if (i == N_EVENTS)
		return pgt_fail(err, -EINVAL, "unknown AMD-Vi event '%s'", name);
	v[F_EVENT] = i;
	*given |= 1u << F_EVENT;
	static const char *const names[] = {"address", "flags", "pasid", "domain"};
	for (unsigned k = 0; k < 4; k++)
		if (fault_capture(c, names[k], &v[F_ADDRESS + k]))
			*given |= 1u << (F_ADDRESS + k);
	if (fault_amd_devid(c, device, &v[F_DEVID]))
		*given |= 1u << F_DEVID;
	return 0;
}

#define DEVICE "device={seg}:{bus}:{slot}.{fn}"
/* iommu_print_event()'s dev_err() lines, by their fields; the RMP reports
 * with pci_err() (device in the prefix) or with the device named */
static const struct fault_log logs[] = {
	{"Event logged [{event:s} " DEVICE " pasid=0x{pasid} address=0x{address} flags=0x{flags}]",
	 NULL, 0},
	{"Event logged [{event:s} " DEVICE " pasid=0x{pasid} address=0x{address} flags=0x{flags} "
	 "tag=0x{tag}]",
	 NULL, 0},
	{"Event logged [{event:s} " DEVICE " address=0x{address} flags=0x{flags}]", NULL, 0},
	{"Event logged [{event:s} " DEVICE " address=0x{address}]", NULL, 0},
	{"Event logged [{event:s} address=0x{address} flags=0x{flags}]", NULL, 0},
	{"Event logged [{event:s} address=0x{address}]", NULL, 0},
	{"Event logged [{event:s} " DEVICE ", vmg_tag=0x{vmg_tag}, gpa=0x{address}, "
	 "flags_rmp=0x{flags_rmp}, flags=0x{flags}]",
	 NULL, 0},
	{"Event logged [{event:s} vmg_tag=0x{vmg_tag}, gpa=0x{address}, flags_rmp=0x{flags_rmp}, "
	 "flags=0x{flags}]",
	 NULL, 0},
	{"Event logged [{event:s} " DEVICE ", vmg_tag=0x{vmg_tag}, spa=0x{address}, "
	 "flags=0x{flags}]",
	 NULL, 0},
	{"Event logged [{event:s} vmg_tag=0x{vmg_tag}, spa=0x{address}, flags=0x{flags}]", NULL, 0},
	{"Event logged [Device not attached to domain properly]", DEVICE " domain=0x{domain}", 1},
	{NULL, NULL, 0},
};

const struct pgt_fault_kind fault_amd_vi_event = {
	.name = "amd-vi-event",
	.summary = "AMD-Vi events other than IO_PAGE_FAULT: DTE, command, RMP (amd/iommu.c)",
	.unit = "the IOMMU",
	FAULT_FIELDS(fields),
	.formats = fault_amd_vi_formats,
	.iommu = "amd-vi",
	.logs = logs,
	.decode = decode,
	.from_log = from_log,
};

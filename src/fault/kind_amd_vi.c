// SPDX-License-Identifier: MIT
/*
 * AMD-Vi IO_PAGE_FAULT events, as drivers/iommu/amd/iommu.c (6.12 and 7.3
 * alike) reads them in iommu_print_event() and prints them in
 * amd_iommu_report_page_fault(): the device id, the domain (or PASID), the
 * address and the 12 flag bits (EVENT_FLAGS_SHIFT, EVENT_FLAGS_MASK). A
 * request with a PASID (GN) is translated by that PASID's guest (v2) table,
 * and walked there.
 */
#include <stdio.h>

#include "fault_int.h"

/* The flags of an IO_PAGE_FAULT event. amd_iommu_types.h (6.12) names two
 * of them, EVENT_FLAG_I (0x008) and EVENT_FLAG_RW (0x020); the others are
 * the AMD I/O Virtualization Technology specification's, at the places
 * that puts them (event bits 48-56, so flag bits 0-8). */
static const struct fault_bits flag_bits[] = {
	{"TR", 8, 8, "the fault was on a table walk access"},
	{"RZ", 7, 7, "a reserved bit set, or a bad next-level encoding"},
	{"PE", 6, 6, "permission denied"},
	{"RW", 5, 5, "write"},
	{"PR", 4, 4, "the page was present"},
	{"I", 3, 3, "an interrupt request"},
	{"US", 2, 2, "user (unprivileged)"},
	{"NX", 1, 1, "instruction fetch"},
	{"GN", 0, 0, "guest: the request had a PASID"},
};

enum { F_ADDRESS, F_FLAGS, F_DOMAIN, F_DEVID, F_PASID };

/* iommu_print_event() reads a 20-bit PASID (EVENT_DOMID_MASK_HI | _LO), and
 * amd_iommu_report_page_fault() takes it as a u16 domain_id: the log shows
 * its low 16 bits as domain= */
static const struct pgt_fault_field_info fields[] = {
	[F_ADDRESS] = {"address", "the faulting DMA address (IOVA)", true, NULL, 64},
	[F_FLAGS] = {"flags", "the event's flags, as the kernel prints them", true, NULL, 12},
	[F_DOMAIN] = {"domain", "the domain id (a PASID's low 16 bits when GN is set)", false,
		      NULL, 16},
	[F_DEVID] = {"devid", "the device id: bus << 8 | devfn", false, NULL, 16},
	[F_PASID] = {"pasid", "the PASID of a request with GN set (default: domain)", false, NULL,
		     20},
};

static const char *const guest_formats[] = {"amd-iommu-v2", NULL};
static const char *const host_formats[] = {"amd-iommu-v1", NULL};

static int decode(const uint64_t *v, unsigned given, struct pgt_fault *f, struct pgt_error *err)
{
	f->addr = v[F_ADDRESS];
	f->has_addr = true;
	f->code = "IO_PAGE_FAULT";
	fault_add_bits(f, "flags", v[F_FLAGS], flag_bits, sizeof(flag_bits) / sizeof(flag_bits[0]));
	bool gn = fault_flag(f, "flags", "GN");
	if ((given & (1u << F_PASID)) && !gn)
		return pgt_fail(err, -EINVAL,
				"amd-vi: pasid= is for a request with a PASID: GN (flags bit 0) is "
				"clear");
	f->formats = gn ? guest_formats : host_formats;
	if (gn && (given & (1u << F_PASID | 1u << F_DOMAIN)))
		fault_set_pasid(f, (uint32_t)(given & (1u << F_PASID) ? v[F_PASID] : v[F_DOMAIN]));
	if (given & (1u << F_DEVID)) {
		uint64_t d = v[F_DEVID];
		fault_add(f, "devid", "bus", d >> 8, false, NULL);
		fault_add(f, "devid", "slot", (d >> 3) & 0x1f, false, NULL);
		fault_add(f, "devid", "fn", d & 7, false, NULL);
		fault_set_device(f, 0, (uint32_t)d);
	}

	bool present = fault_flag(f, "flags", "PR");
	if (fault_flag(f, "flags", "I")) {
		f->cls = PGT_FAULT_CONFIG;
		f->code = "IO_PAGE_FAULT of an interrupt request";
		f->hint = "an interrupt request (I set): interrupt remapping faulted, not the DMA "
			  "page table; check the device's interrupt remapping table entry";
		return 0;
	}
	if (fault_flag(f, "flags", "RZ"))
		f->cls = PGT_FAULT_MALFORMED;
	else if (present && fault_flag(f, "flags", "PE"))
		f->cls = PGT_FAULT_PERMISSION;
	else if (!present)
		f->cls = PGT_FAULT_TRANSLATION;
	else
		f->cls = PGT_FAULT_OTHER;
	f->access = fault_flag(f, "flags", "RW") ? PGT_ACCESS_WRITE : PGT_ACCESS_READ;
	/* NX and US describe a request with a PASID (GN) only */
	if (fault_flag(f, "flags", "GN")) {
		if (fault_flag(f, "flags", "NX"))
			f->access |= PGT_ACCESS_EXEC;
		f->privileged = !fault_flag(f, "flags", "US");
		f->hint = "a request with a PASID (GN): it was translated by the guest (v2) "
			  "table of that PASID, the GCR3 table's entry for it";
	}
	return 0;
}

/* The pci_err() form names the device in its prefix: "0000:03:00.0". */
static bool device_in_prefix(const char *device, uint64_t *devid)
{
	unsigned seg, bus, slot, fn;
	for (const char *p = device; *p; p++) {
		char end;
		if (sscanf(p, "%4x:%2x:%2x.%1x%c", &seg, &bus, &slot, &fn, &end) == 5 &&
		    (end == ':' || end == ' ')) {
			*devid = (uint64_t)bus << 8 | slot << 3 | fn;
			return true;
		}
	}
	return false;
}

bool fault_amd_devid(const struct fault_captures *c, const char *device, uint64_t *devid)
{
	uint64_t bus, slot, fn;
	if (fault_capture(c, "bus", &bus) && fault_capture(c, "slot", &slot) &&
	    fault_capture(c, "fn", &fn)) {
		*devid = bus << 8 | slot << 3 | fn;
		return true;
	}
	return device_in_prefix(device, devid);
}

static int from_log(const struct fault_captures *c, const char *device, uint64_t *v,
		    unsigned *given, struct pgt_error *err)
{
	(void)err;
	static const char *const names[] = {"address", "flags", "domain"};
	for (unsigned i = 0; i < 3; i++)
		if (fault_capture(c, names[i], &v[i]))
			*given |= 1u << i;
	if (fault_amd_devid(c, device, &v[F_DEVID]))
		*given |= 1u << F_DEVID;
	return 0;
}

const char *const fault_amd_vi_formats[] = {"amd-iommu-v1", "amd-iommu-v2", NULL};

/* amd_iommu_report_page_fault(): pci_err() with the device in the prefix,
 * or pr_err_ratelimited() naming it when the device has no iommu data. */
static const struct fault_log logs[] = {
	{"Event logged [IO_PAGE_FAULT domain=0x{domain} address=0x{address} flags=0x{flags}]", NULL,
	 0},
	{"Event logged [IO_PAGE_FAULT device={seg}:{bus}:{slot}.{fn} domain=0x{domain} "
	 "address=0x{address} flags=0x{flags}]",
	 NULL, 0},
	{NULL, NULL, 0},
};

const struct pgt_fault_kind fault_amd_vi = {
	.name = "amd-vi",
	.summary = "AMD-Vi IO_PAGE_FAULT event: address, flags, domain (amd/iommu.c)",
	.unit = "the IOMMU",
	FAULT_FIELDS(fields),
	.formats = fault_amd_vi_formats,
	.iommu = "amd-vi",
	.logs = logs,
	.decode = decode,
	.from_log = from_log,
};

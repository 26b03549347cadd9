// SPDX-License-Identifier: MIT
/*
 * Arm SMMU (v1/v2) global faults, as drivers/iommu/arm/arm-smmu/arm-smmu.c
 * (6.12) reads and prints them in arm_smmu_global_fault() (and
 * arm-smmu-nvidia.c in nvidia_smmu_global_fault_inst()): sGFSR and
 * sGFSYNR0-2. They come before any context bank, so no page table is
 * walked; decoding them says which part of the stream setup failed.
 * arm-smmu.h names only ARM_SMMU_sGFSR_USF; the other bits are the SMMU
 * architecture's (v2: SMMU_sGFSR, SMMU_sGFSYNR0, SMMU_sGFSYNR1).
 */
#include "fault_int.h"

static const struct fault_bits gfsr_bits[] = {
	{"MULTI", 31, 31, "more than one fault"},
	{"UUT", 8, 8, "unsupported upstream transaction"},
	{"PF", 7, 7, "permission fault on a configuration access"},
	{"EF", 6, 6, "external fault"},
	{"CAF", 5, 5, "configuration access fault"},
	{"UCIF", 4, 4, "unimplemented context interrupt fault"},
	{"UCBF", 3, 3, "unimplemented context bank fault"},
	{"SMCF", 2, 2, "stream match conflict fault"},
	{"USF", 1, 1, "unidentified stream fault"},
	{"ICF", 0, 0, "invalid context fault"},
};

static const struct fault_bits gfsynr0_bits[] = {
	{"NSATTR", 5, 5, "non-secure attribute"},
	{"NSSTATE", 4, 4, "non-secure state"},
	{"IND", 3, 3, "instruction fetch"},
	{"PNU", 2, 2, "privileged"},
	{"WNR", 1, 1, "write"},
	{"Nested", 0, 0, "a nested (stage 2 of a stage 1) access"},
};

static const struct fault_bits gfsynr1_bits[] = {
	{"SSD_Index", 31, 16, NULL},
	{"SID", 15, 0, NULL},
};

/* Which sGFSR bit is the fault. All but EF and UUT are about the stream
 * setup (stream mapping registers, S2CRs, context banks). */
static const struct fault_cause gfsr_causes[] = {
	{"USF", PGT_FAULT_CONFIG,
	 "no stream mapping register matches this stream ID: the device is not attached "
	 "to the SMMU, or the firmware gives it another ID (the iommus or iommu-map "
	 "property, the IORT); with arm-smmu.disable_bypass=1 such streams are blocked"},
	{"SMCF", PGT_FAULT_CONFIG,
	 "two stream mapping registers match this stream ID: two masters share the ID or "
	 "their SMR masks overlap; see what arm_smmu_write_smr() wrote"},
	{"ICF", PGT_FAULT_CONFIG,
	 "the stream's S2CR points at a context bank that is not set up: the domain was "
	 "detached, or its bank not yet written (arm_smmu_write_context_bank())"},
	{"UCBF", PGT_FAULT_CONFIG,
	 "the stream's S2CR names a context bank this SMMU does not implement"},
	{"UCIF", PGT_FAULT_CONFIG, "a context bank interrupt this SMMU does not implement"},
	{"CAF", PGT_FAULT_CONFIG,
	 "a register access the SMMU refused (secure or privileged only): the firmware "
	 "owns that register"},
	{"PF", PGT_FAULT_CONFIG, "a configuration access the SMMU refused for permission"},
	{"EF", PGT_FAULT_OTHER,
	 "an external fault before translation: look at the master's bus transactions"},
	{"UUT", PGT_FAULT_OTHER,
	 "a transaction the SMMU does not support: look at the master's transaction "
	 "attributes"},
	{"MULTI", PGT_FAULT_OTHER, "only MULTI is set: the fault itself was cleared already"},
};

enum { F_GFSR, F_GFSYNR0, F_GFSYNR1, F_GFSYNR2 };

static const struct pgt_fault_field_info fields[] = {
	[F_GFSR] = {"gfsr", "the global fault status register (sGFSR)", true, NULL, 32},
	[F_GFSYNR0] = {"gfsynr0", "global fault syndrome 0: the access", false, NULL, 32},
	[F_GFSYNR1] = {"gfsynr1", "global fault syndrome 1: the stream ID", false, NULL, 32},
	[F_GFSYNR2] = {"gfsynr2", "global fault syndrome 2 (implementation defined)", false, NULL,
		       32},
};

static int decode(const uint64_t *v, unsigned given, struct pgt_fault *f, struct pgt_error *err)
{
	(void)err;
	fault_add_bits(f, "gfsr", v[F_GFSR], gfsr_bits, sizeof(gfsr_bits) / sizeof(gfsr_bits[0]));
	if (given & (1u << F_GFSYNR0))
		fault_add_bits(f, "gfsynr0", v[F_GFSYNR0], gfsynr0_bits,
			       sizeof(gfsynr0_bits) / sizeof(gfsynr0_bits[0]));
	if (given & (1u << F_GFSYNR1))
		fault_add_bits(f, "gfsynr1", v[F_GFSYNR1], gfsynr1_bits,
			       sizeof(gfsynr1_bits) / sizeof(gfsynr1_bits[0]));

	if (!fault_classify(f, "gfsr", gfsr_causes,
			    sizeof(gfsr_causes) / sizeof(gfsr_causes[0]))) {
		f->cls = PGT_FAULT_NONE;
		f->code = "sGFSR";
		f->hint = "no fault bit is set in sGFSR: arm_smmu_global_fault() returns "
			  "IRQ_NONE for it";
		return 0;
	}
	if (given & (1u << F_GFSYNR0)) {
		if (fault_flag(f, "gfsynr0", "IND"))
			f->access = PGT_ACCESS_EXEC;
		else
			f->access = fault_flag(f, "gfsynr0", "WNR") ? PGT_ACCESS_WRITE
								    : PGT_ACCESS_READ;
		f->privileged = fault_flag(f, "gfsynr0", "PNU");
	}
	return 0;
}

/* arm_smmu_global_fault(): a first line, then the registers on the next. */
#define GFSR_LINE "GFSR 0x{gfsr}, GFSYNR0 0x{gfsynr0}, GFSYNR1 0x{gfsynr1}, GFSYNR2 0x{gfsynr2}"
static const struct fault_log logs[] = {
	{"Unexpected global fault, this could be serious", GFSR_LINE, 1},
	{"Blocked unknown Stream ID 0x{sid}; boot with", GFSR_LINE, 1},
	{NULL, NULL, 0},
};

const struct pgt_fault_kind fault_arm_smmu_global = {
	.name = "arm-smmu-global",
	.summary = "Arm SMMU v1/v2 global fault: sGFSR, sGFSYNR0-2 (arm-smmu.c)",
	.unit = "the SMMU",
	FAULT_FIELDS(fields),
	.formats = fault_arm_smmu_formats,
	.logs = logs,
	.decode = decode,
};

// SPDX-License-Identifier: MIT
/*
 * Arm SMMU (v1/v2) context faults, as drivers/iommu/arm/arm-smmu/arm-smmu.c
 * (6.12) reads them in arm_smmu_read_context_fault_info() and prints them
 * in arm_smmu_print_context_fault_info(): the context bank's FSR, FSYNR0
 * and FAR, and GR1's CBFRSYNRA. The bit layouts are arm-smmu.h's
 * ARM_SMMU_CB_FSR_* and ARM_SMMU_CB_FSYNR0_*.
 */
#include "fault_int.h"

/* ARM_SMMU_CB_FSR_* */
static const struct fault_bits fsr_bits[] = {
	{"MULTI", 31, 31, "more than one fault"},
	{"SS", 30, 30, "the transaction is stalled"},
	{"Format", 10, 9, NULL},
	{"UUT", 8, 8, "unsupported upstream transaction"},
	{"ASF", 7, 7, "address size fault"},
	{"TLBLKF", 6, 6, "TLB lock fault"},
	{"TLBMCF", 5, 5, "TLB match conflict"},
	{"EF", 4, 4, "external fault"},
	{"PF", 3, 3, "permission fault"},
	{"AFF", 2, 2, "access flag fault"},
	{"TF", 1, 1, "translation fault"},
};

/* ARM_SMMU_CB_FSYNR0_* */
static const struct fault_bits fsynr0_bits[] = {
	{"S1CBNDX", 23, 16, NULL},
	{"AFR", 11, 11, "asynchronous fault recorded"},
	{"PTWF", 10, 10, "fault on a page table walk"},
	{"NSATTR", 8, 8, "non-secure attribute"},
	{"IND", 6, 6, "instruction fetch"},
	{"PNU", 5, 5, "privileged"},
	{"WNR", 4, 4, "write"},
	{"PLVL", 1, 0, NULL},
};

/* Which FSR bit is the fault, most specific first. The driver handles a
 * context interrupt only when one of ARM_SMMU_CB_FSR_FAULT is set. */
#define NOT_THE_TABLE                                                                  \
	"a TLB conflict or an unsupported transaction is not about the page table: look "  \
	"at the TLB invalidation sequence and the master's transaction attributes"
static const struct fault_cause fsr_causes[] = {
	{"TF", PGT_FAULT_TRANSLATION, NULL},
	{"PF", PGT_FAULT_PERMISSION, NULL},
	{"AFF", PGT_FAULT_ACCESS_FLAG, NULL},
	{"ASF", PGT_FAULT_ADDRESS_SIZE, NULL},
	{"EF", PGT_FAULT_WALK_ABORT, NULL},
	{"TLBMCF", PGT_FAULT_OTHER, NOT_THE_TABLE},
	{"TLBLKF", PGT_FAULT_OTHER, NOT_THE_TABLE},
	{"UUT", PGT_FAULT_OTHER, NOT_THE_TABLE},
	{"MULTI", PGT_FAULT_OTHER, NOT_THE_TABLE},
	{"SS", PGT_FAULT_OTHER, NOT_THE_TABLE},
};

enum { F_FSR, F_FSYNR0, F_FAR, F_CBFRSYNRA, F_CB };

static const struct pgt_fault_field_info fields[] = {
	[F_FSR] = {"fsr", "the context bank's fault status register", true, NULL, 32},
	[F_FSYNR0] = {"fsynr0", "fault syndrome 0: access, privilege and level", false, NULL, 32},
	[F_FAR] = {"far", "fault address register: the faulting input address", true, NULL, 64},
	[F_CBFRSYNRA] = {"cbfrsynra", "GR1 CBFRSYNRA of the bank: the stream ID", false, NULL, 32},
	[F_CB] = {"cb", "the context bank's index", false, NULL, 8},
};

static int decode(const uint64_t *v, unsigned given, struct pgt_fault *f, struct pgt_error *err)
{
	(void)err;
	f->addr = v[F_FAR];
	f->has_addr = true;
	fault_add_bits(f, "fsr", v[F_FSR], fsr_bits, sizeof(fsr_bits) / sizeof(fsr_bits[0]));
	if (given & (1u << F_FSYNR0))
		fault_add_bits(f, "fsynr0", v[F_FSYNR0], fsynr0_bits,
			       sizeof(fsynr0_bits) / sizeof(fsynr0_bits[0]));
	if (given & (1u << F_CBFRSYNRA))
		fault_add(f, "cbfrsynra", "SID", fault_get(v[F_CBFRSYNRA], 15, 0), false, NULL);

	if (!fault_classify(f, "fsr", fsr_causes, sizeof(fsr_causes) / sizeof(fsr_causes[0]))) {
		f->cls = PGT_FAULT_NONE;
		f->code = "FSR";
		f->hint = "no fault bit is set in the FSR: arm_smmu_context_fault() returns "
			  "IRQ_NONE for it; read the FSR of the bank that raised the interrupt";
		return 0;
	}
	if (!(given & (1u << F_FSYNR0)))
		return 0;
	/* An external fault is the table walk's own read when PTWF says so,
	 * else a bus error of the translated transaction. */
	if (f->cls == PGT_FAULT_WALK_ABORT && !fault_flag(f, "fsynr0", "PTWF")) {
		f->cls = PGT_FAULT_OTHER;
		f->hint = "an external fault outside the table walk: the translated address "
			  "did not answer on the bus (check the physical address it maps to)";
	}
	if (fault_flag(f, "fsynr0", "IND"))
		f->access = PGT_ACCESS_EXEC;
	else
		f->access = fault_flag(f, "fsynr0", "WNR") ? PGT_ACCESS_WRITE : PGT_ACCESS_READ;
	f->privileged = fault_flag(f, "fsynr0", "PNU");
	if (f->cls != PGT_FAULT_OTHER)
		f->level = (int)fault_get(v[F_FSYNR0], 1, 0);
	return 0;
}

/* The formats an Arm SMMU v1/v2 context bank walks (arm_smmu_init_domain_context()) */
const char *const fault_arm_smmu_formats[] = {
	"arm-64-lpae-s1", "arm-32-lpae-s1", "arm-v7s", "arm-64-lpae-s2", "arm-32-lpae-s2", NULL,
};

/* "Unhandled context fault: ..." of arm_smmu_print_context_fault_info()
 * (and of the nvidia implementation), and qcom_iommu.c's without
 * cbfrsynra. The FSR and FSYNR0 lines after it repeat the same values. */
static const struct fault_log logs[] = {
	{"Unhandled context fault: fsr=0x{fsr}, iova=0x{far}, fsynr=0x{fsynr0}, "
	 "cbfrsynra=0x{cbfrsynra}, cb={cb:d}",
	 NULL, 0},
	{"Unhandled context fault: fsr=0x{fsr}, iova=0x{far}, fsynr=0x{fsynr0}, cb={cb:d}", NULL,
	 0},
	{NULL, NULL, 0},
};

const struct pgt_fault_kind fault_arm_smmu = {
	.name = "arm-smmu",
	.summary = "Arm SMMU v1/v2 context fault: FSR, FSYNR0, FAR (arm-smmu.c)",
	.unit = "the SMMU",
	FAULT_FIELDS(fields),
	.formats = fault_arm_smmu_formats,
	.logs = logs,
	.decode = decode,
};

// SPDX-License-Identifier: MIT
/* What the fault explainer needs to know of each table format: which
 * stage it serves (so a nested fault is walked at the right address) and
 * whether its walker faults on a leaf whose access flag is clear. */
#include "fault_int.h"

static const struct fault_format formats[] = {
	/* arm-smmu.c sets SCTLR.AFE and no hardware AF update for LPAE
	 * contexts: a leaf with AF clear faults (the kernel always sets it). */
	{"arm-32-lpae-s1", 1, true, 0},
	{"arm-32-lpae-s2", 2, true, 0},
	/* SMMUv3 with dirty tracking (ARM_HD) also sets the CD's HA: the SMMU
	 * sets AF itself (arm_smmu_make_s1_cd()). */
	{"arm-64-lpae-s1", 1, true, PGT_QUIRK_ARM_HD},
	{"arm-64-lpae-s2", 2, true, 0},
	/* Short descriptors with SCTLR.AFE: AP[0] is the access flag, except
	 * under NO_PERMS (MediaTek M4U), whose leaves have no AP bits at all. */
	{"arm-v7s", 1, true, PGT_QUIRK_NO_PERMS},
	/* Mali leaves never have AF (arm_lpae_init_pte() leaves it out). */
	{"arm-mali-lpae", 1, false, 0},
	{"amd-iommu-v1", 0, false, 0},
	{"apple-dart", 0, false, 0},
	{"apple-dart2", 0, false, 0},
};

const struct fault_format *fault_format_of(const struct pgt_format *fmt)
{
	static const struct fault_format unknown = {"", 0, false, 0};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, pgt_format_name(fmt)))
			return &formats[i];
	return &unknown;
}

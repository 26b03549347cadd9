// SPDX-License-Identifier: MIT
/*
 * One kernel's DMAR fault reporting, compiled as it is: build.sh cuts
 * intel/dmar.c's fault reason tables, dmar_get_fault_reason(),
 * dmar_fault_do_one() and dmar_fault(), and intel/iommu.h's FRCD, FSTS and
 * capability macros, out of the version's sources into KF_EXTRACT; this
 * file names its entry points after the version (KF_VERSION: 612, 73).
 */
#include "kf_shim.h"

#define KF_CAT(a, b) a##b
#define KF_NAME(name, v) KF_CAT(name, v)

/* dmar_fault() is global in the kernel: one per version here */
#define dmar_fault KF_NAME(kf_kernel_dmar_fault_, KF_VERSION)

#include KF_EXTRACT

const char *KF_NAME(kf_dmar_reason_, KF_VERSION)(unsigned reason, bool *intr_remap)
{
	int type;
	const char *text = dmar_get_fault_reason((u8)reason, &type);
	*intr_remap = type == INTR_REMAP;
	return text;
}

void KF_NAME(kf_dmar_fault_, KF_VERSION)(struct intel_iommu *iommu)
{
	dmar_fault(0, iommu);
}

// SPDX-License-Identifier: MIT
/*
 * Linux 7.3's RISC-V IOMMU fault reporting, compiled as it is: build.sh cuts
 * riscv_iommu_fault() out of riscv/iommu.c into KF_EXTRACT, and the names
 * of enum riscv_iommu_fq_causes out of riscv/iommu-bits.h into KF_CAUSES;
 * iommu-bits.h itself is included whole.
 */
#include "kf_shim.h"

#include "iommu-bits.h"

#include KF_EXTRACT

void kf_riscv_fault(struct riscv_iommu_device *iommu, const u64 *record)
{
	struct riscv_iommu_fq_record event;
	memcpy(&event, record, sizeof(event));
	riscv_iommu_fault(iommu, &event);
}

const struct kf_cause kf_riscv_causes[] = {
#include KF_CAUSES
};
const size_t kf_riscv_n_causes = ARRAY_SIZE(kf_riscv_causes);

bool kf_riscv_hdr_field(const char *name, u64 hdr, u64 *value)
{
	static const struct {
		const char *name;
		u64 mask;
	} fields[] = {
		{"CAUSE", RISCV_IOMMU_FQ_HDR_CAUSE}, {"PID", RISCV_IOMMU_FQ_HDR_PID},
		{"PV", RISCV_IOMMU_FQ_HDR_PV},	     {"PRIV", RISCV_IOMMU_FQ_HDR_PRIV},
		{"TTYP", RISCV_IOMMU_FQ_HDR_TTYP},   {"DID", RISCV_IOMMU_FQ_HDR_DID},
	};
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (!strcmp(fields[i].name, name)) {
			*value = FIELD_GET(fields[i].mask, hdr);
			return true;
		}
	return false;
}
